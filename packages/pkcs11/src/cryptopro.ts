// CryptoPro EDS Browser plug-in bridge (cadesplugin async API, CAdESCOM/CAPICOM objects): raw GOST/RSA signatures, CAdES and XMLDSig built by the plug-in (tokens.md §5.1, §6.2).
import { base64Decode, base64Encode, hexDecode, hexEncode } from '@eds/core/encoding';
import { parseCertificate } from '@eds/core/x509';
import { abortReason, checkContainer, checkDigestInput, raceAbort, throwIfAborted, withTimeout } from './_shared';
import {
  KeyNotFoundError,
  MechanismNotSupportedError,
  PinIncorrectError,
  PinLockedError,
  ProviderError,
  ProviderUnavailableError,
  type TokenError,
  TokenNotPresentError,
  UserCancelledError,
} from './errors';
import { digestOf, keyAlgorithmOfCertificate } from './schemes';
import type {
  Capabilities,
  CertificateEntry,
  ContainerCmsOptions,
  ContainerSigner,
  ContainerXmlOptions,
  HashAlg,
  KeyAlgorithm,
  KeyRef,
  OpOptions,
  SignatureScheme,
  SignInput,
  SignOptions,
  TokenAdapter,
  TokenInfo,
  TokenRef,
} from './types';

/**
 * The part of the `cadesplugin` object (cadesplugin_api.js) this bridge uses: a thenable that
 * settles when the extension and the native host answer, `CreateObjectAsync` and `getLastError`.
 * Structural, so that `@types/cadesplugin` is not needed to use the bridge.
 */
export interface CadesPluginLike extends PromiseLike<unknown> {
  /** Absent in the NPAPI/ActiveX builds, which have only the synchronous `CreateObject`. */
  CreateObjectAsync?(name: string): Promise<unknown>;
  getLastError?(error: Error): string;
}

/** Options of {@link createCryptoProAdapter}. */
export interface CryptoProAdapterOptions {
  /**
   * The `cadesplugin` object, or a function that returns it when first needed (a page that loads
   * cadesplugin_api.js later). Default: `globalThis.cadesplugin`. Not a Promise of it: the object
   * is itself a thenable, so a Promise cannot resolve to it.
   */
  readonly plugin?: CadesPluginLike | (() => CadesPluginLike | undefined) | undefined;
  /** How long to wait for the plug-in to load, in ms (default 10 000). */
  readonly loadTimeoutMs?: number | undefined;
  /**
   * Certificates written into CMS by the plug-in: the whole chain (default,
   * CAPICOM_CERTIFICATE_INCLUDE_WHOLE_CHAIN) or the signer's only (END_ENTITY_ONLY).
   */
  readonly includeCertificates?: 'chain' | 'end-entity' | undefined;
}

/** The CryptoPro adapter: a {@link TokenAdapter} that also builds CMS and XML signatures. */
export type CryptoProAdapter = TokenAdapter & Required<ContainerSigner>;

/**
 * The one pseudo token: the CURRENT_USER "My" certificate store of CryptoPro CSP.
 *
 * @example
 * ```ts
 * const entries = await createCryptoProAdapter().listCertificates(CRYPTOPRO_STORE);
 * ```
 */
export const CRYPTOPRO_STORE: TokenRef = Object.freeze({ provider: 'cryptopro', tokenId: 'store' });

// Values of @types/cadesplugin 2.1.3 (capicom_enums.d.ts, cadescom_enums.d.ts).
const CURRENT_USER_STORE = 2;
const MY_STORE = 'My';
const STORE_OPEN_MAXIMUM_ALLOWED = 2;
const FIND_SHA1_HASH = 0;
const ENCODE_BASE64 = 0;
const BASE64_TO_BINARY = 1;
const INCLUDE_WHOLE_CHAIN = 1;
const INCLUDE_END_ENTITY_ONLY = 2;
const XML_ENVELOPED = 0;
const CADES_TYPES = { BES: 1, T: 5, XLT1: 93 } as const;
const HASH_IDS: Partial<Record<HashAlg, number>> = {
  'SHA-256': 4,
  'SHA-384': 5,
  'SHA-512': 6,
  'STREEBOG-256': 101,
  'STREEBOG-512': 102,
};
// XMLDSig URIs: cpxmlsec URNs for GOST 2012 (@types/cadesplugin SignedXmlUrls, IANA XMLDSig registry), RFC 6931 for RSA.
const XML_URIS: Record<string, readonly [string, string]> = {
  GOST256: [
    'urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr34102012-gostr34112012-256',
    'urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr34112012-256',
  ],
  GOST512: [
    'urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr34102012-gostr34112012-512',
    'urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr34112012-512',
  ],
  RSA: ['http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', 'http://www.w3.org/2001/04/xmlenc#sha256'],
};

/**
 * HRESULTs of CryptoAPI and the smart-card subsystem as the plug-in reports them (the hex in
 * `getLastError`, e.g. "… (0x8010006B)"), from WinError.h / SCardErr.h names. All are
 * [unconfirmed] against a live CSP except 0x80070057 (tokens.md §6.2).
 *
 * @example
 * ```ts
 * if (e.cause?.message.includes('0x8010006B')) // same as e instanceof PinIncorrectError
 * ```
 */
export const CRYPTOPRO_HRESULT = {
  /** SCARD_W_WRONG_CHV: wrong PIN [unconfirmed]. */
  WRONG_PIN: 0x8010006b,
  /** SCARD_W_CHV_BLOCKED: PIN blocked [unconfirmed]. */
  PIN_BLOCKED: 0x8010006c,
  /** SCARD_W_REMOVED_CARD [unconfirmed]. */
  REMOVED_CARD: 0x80100069,
  /** SCARD_E_NO_SMARTCARD [unconfirmed]. */
  NO_SMARTCARD: 0x8010000c,
  /** NTE_BAD_KEYSET: the key container is missing [unconfirmed]. */
  BAD_KEYSET: 0x80090016,
  /** CRYPT_E_NOT_FOUND: certificate not found [unconfirmed]. */
  NOT_FOUND: 0x80092004,
  /** CRYPT_E_NO_KEY_PROPERTY: no private key bound to the certificate [unconfirmed]. */
  NO_KEY_PROPERTY: 0x8009200b,
  /** SCARD_W_CANCELLED_BY_USER [unconfirmed]. */
  CANCELLED_BY_USER: 0x8010006e,
  /** HRESULT_FROM_WIN32(ERROR_CANCELLED) [unconfirmed]. */
  ERROR_CANCELLED: 0x800704c7,
  /** E_INVALIDARG: often a hash or key that does not fit (crypto-pro #36, #48). */
  INVALID_ARG: 0x80070057,
  /** NTE_BAD_ALGID [unconfirmed]. */
  BAD_ALGID: 0x80090008,
} as const;

const INSTALL_HINT = 'install the CryptoPro EDS Browser plug-in and its browser extension, then reload the page';

type Obj = Record<string, unknown>;

/**
 * The HRESULT in a plug-in error: the last `0x` followed by 8 hex digits of `getLastError(e)` or
 * of the message, as the plug-in writes it ("Неправильный PIN-код. (0x8010006B)").
 */
function hresultOf(text: string): number | undefined {
  const all = text.match(/0x[0-9a-f]{8}/gi);
  const last = all?.[all.length - 1];
  return last === undefined ? undefined : Number.parseInt(last.slice(2), 16) >>> 0;
}

/**
 * Maps a plug-in failure to a typed error by the HRESULT in its text (tokens.md §6.2; codes in
 * {@link CRYPTOPRO_HRESULT}, most [unconfirmed]); anything else is a ProviderError. The PIN is cut
 * out of the text kept as `cause`; the original error object is not kept (it may hold anything
 * the host echoed). Never throws.
 *
 * @example
 * ```ts
 * fromCryptoProError(new Error('Указан неправильный PIN-код. (0x8010006B)')); // PinIncorrectError
 * ```
 */
export function fromCryptoProError(error: unknown, plugin?: CadesPluginLike, pin?: string): TokenError {
  let text = 'unknown error';
  try {
    text = error instanceof Error ? error.message : String(error);
    if (plugin?.getLastError && error instanceof Error) text = String(plugin.getLastError(error)) || text;
  } catch {
    // getLastError of the NPAPI build may throw; the message is enough
  }
  const hr = hresultOf(text); // before the PIN is cut out: a PIN of hex digits must not break the code
  if (pin) text = text.split(pin).join('***');
  const cause = new Error(`CryptoPro plug-in: ${text}`);
  const H = CRYPTOPRO_HRESULT;
  switch (hr) {
    case H.WRONG_PIN:
      return new PinIncorrectError({ cause });
    case H.PIN_BLOCKED:
      return new PinLockedError({ cause });
    case H.REMOVED_CARD:
    case H.NO_SMARTCARD:
      return new TokenNotPresentError({ cause });
    case H.BAD_KEYSET:
    case H.NOT_FOUND:
    case H.NO_KEY_PROPERTY:
      return new KeyNotFoundError({ cause });
    case H.CANCELLED_BY_USER:
    case H.ERROR_CANCELLED:
      return new UserCancelledError({ cause });
    case H.INVALID_ARG:
    case H.BAD_ALGID:
      return new MechanismNotSupportedError({
        cause,
        message: 'the CryptoPro CSP refused the hash or key (0x80070057)',
      });
    default: {
      const code = hr === undefined ? '' : ` (0x${hr.toString(16).toUpperCase()})`;
      return new ProviderError(`CryptoPro plug-in error${code}`, { cause });
    }
  }
}

function isThenable(x: unknown): x is CadesPluginLike {
  return (typeof x === 'object' || typeof x === 'function') && x !== null && typeof (x as Obj).then === 'function';
}

/** Classifies a rejection of the cadesplugin promise (the strings of cadesplugin_api.js). */
function loadRejection(reason: unknown): ProviderUnavailableError {
  const text = reason instanceof Error ? reason.message : String(reason);
  const cause = new Error(text);
  // "Плагин загружен, но не создаются обьекты", "Ошибка при загрузке плагина": present but broken
  if (/загружен|ошибка при загрузке|load/i.test(text) && !/недоступен|истекло/i.test(text)) {
    return new ProviderUnavailableError('load-failed', `the CryptoPro plug-in failed to load: ${INSTALL_HINT}`, {
      cause,
    });
  }
  // "Плагин недоступен", "Истекло время ожидания загрузки плагина": no extension or no native host answered
  return new ProviderUnavailableError('not-installed', `the CryptoPro plug-in is not available: ${INSTALL_HINT}`, {
    cause,
  });
}

/** Waits for the plug-in to load: at most `ms`, and no longer than the signal allows. */
function race<T>(promise: PromiseLike<T>, ms: number, signal: AbortSignal | undefined): Promise<T> {
  const loading = Promise.resolve(promise).catch((e: unknown) => {
    throw loadRejection(e);
  });
  const timeout = () =>
    new ProviderUnavailableError('timeout', `the CryptoPro plug-in did not load in ${ms} ms: ${INSTALL_HINT}`);
  return raceAbort(withTimeout(loading, ms, timeout), signal);
}

/**
 * Creates the CryptoPro EDS Browser plug-in adapter. The page loads `cadesplugin_api.js` (not
 * bundled); the adapter uses only its async API (`CreateObjectAsync`, awaited property getters,
 * `propset_*`). One pseudo token, {@link CRYPTOPRO_STORE}, is the CURRENT_USER "My" store;
 * `keyId` is the certificate's SHA-1 thumbprint in lower-case hex (matched case-insensitively).
 * There is no login: the PIN goes with each signature (`KeyPin`) or the CSP asks in its own
 * dialog. PIN counters and lock state are not exposed by CryptoPro.
 *
 * Raw signatures: `data` input is hashed here with @eds/core (one native-messaging round trip
 * fewer, no base64 of the whole document) and signed as a digest: `HashedData.SetHashValue` +
 * `RawSignature.SignHash`, whose CryptoAPI little-endian output is byte-reversed into GOST s‖r
 * big-endian (tokens.md §3.3, [source]) and RSA big-endian (CryptSignHash order, [unconfirmed]
 * for the plug-in). GOST R 34.10-2012 and RSA PKCS#1 v1.5 keys only: ECDSA, EdDSA and RSA-PSS
 * through the CSP are not documented and raise MechanismNotSupportedError. `RawSignature` takes
 * no signer, so a `pin` goes to the certificate's `PrivateKey.KeyPin` [unconfirmed]; for CMS
 * and XML it is the CPSigner's `KeyPin`. Without a PIN the CSP shows its own dialog.
 *
 * Containers: `signCms` sends the content base64-encoded through native messaging (keep it to
 * documents, not gigabytes) and returns DER (`SignCades` BES / T / X Long Type 1, the CSP
 * fetches the time-stamp and revocation data itself from `tsaUrl` and the certificates' AIA);
 * `signXml` is the plug-in's ENVELOPED SignedXML with the cpxmlsec GOST 2012 URIs (RSA: RFC
 * 6931 rsa-sha256), the Signature placed by the plug-in (or at `signatureParentXPath`
 * [unconfirmed]); signing part of a document (`signedElementXPath`) is not offered.
 *
 * Standard: CryptoPro CAdESCOM/CAPICOM object model (@types/cadesplugin 2.1.3); RFC 9215 §3.
 *
 * @throws {ProviderUnavailableError} (from each method) `not-installed` when there is no
 *   `cadesplugin` or its promise rejects, `load-failed` when it loaded broken, `timeout` after
 *   `loadTimeoutMs`, `unsupported-runtime` for a build without the async API.
 * @throws {RangeError} from `sign` for a digest of another hash than the scheme's or of the wrong
 *   length; {MechanismNotSupportedError} for a scheme the CSP does not sign raw.
 * @throws {ProviderError} from `signCms` when the plug-in's CMS does not parse, is not attached or
 *   detached as asked, carries other content, has a messageDigest that is not the hash of `data`
 *   or a signature that does not verify with its certificate (every container is checked).
 * @throws the signal's reason as soon as `signal` aborts, also while a plug-in call is in flight
 *   (the call is left to finish in the plug-in; its result is dropped).
 * @example
 * ```ts
 * const cp = createCryptoProAdapter();
 * const [entry] = await cp.listCertificates(CRYPTOPRO_STORE);
 * const p7s = await cp.signCms(entry.key, bytes, { detached: true, level: 'BES' });
 * ```
 */
export function createCryptoProAdapter(options: CryptoProAdapterOptions = {}): CryptoProAdapter {
  const timeoutMs = options.loadTimeoutMs ?? 10_000;
  const include = options.includeCertificates === 'end-entity' ? INCLUDE_END_ENTITY_ONLY : INCLUDE_WHOLE_CHAIN;
  // Held in an object: the plug-in is a thenable, so a Promise would resolve to its settlement instead.
  let loaded: { readonly plugin: CadesPluginLike } | undefined;

  const resolvePlugin = (): CadesPluginLike | undefined => {
    const given = options.plugin;
    if (typeof given === 'function' && !isThenable(given)) return given();
    if (given !== undefined) return given;
    return (globalThis as { cadesplugin?: CadesPluginLike }).cadesplugin;
  };

  const ready = async (signal: AbortSignal | undefined): Promise<{ readonly plugin: CadesPluginLike }> => {
    throwIfAborted(signal);
    if (loaded) return loaded;
    const plugin = resolvePlugin();
    if (!isThenable(plugin)) {
      throw new ProviderUnavailableError('not-installed', `cadesplugin is not on this page: ${INSTALL_HINT}`);
    }
    await race(plugin, timeoutMs, signal);
    if (typeof plugin.CreateObjectAsync !== 'function') {
      throw new ProviderUnavailableError(
        'unsupported-runtime',
        `this CryptoPro plug-in build has only the synchronous API (CreateObject): ${INSTALL_HINT} in a browser with extensions`,
      );
    }
    loaded = { plugin };
    return loaded;
  };

  /** One plug-in call: abort checked before, raced while in flight, and after; failures mapped. */
  const call = async <T = unknown>(
    ctx: Ctx,
    target: unknown,
    member: string,
    args: readonly unknown[] | 'get',
  ): Promise<T> => {
    throwIfAborted(ctx.signal);
    let value: unknown;
    try {
      const o = target as Obj;
      const invoke = async () => {
        if (args === 'get') return o[member];
        const f = o[member];
        if (typeof f !== 'function') throw new Error(`the plug-in object has no ${member}()`);
        return (f as (...a: unknown[]) => unknown).apply(o, args as unknown[]);
      };
      value = await raceAbort(invoke(), ctx.signal);
    } catch (e) {
      if (ctx.signal?.aborted) throw abortReason(ctx.signal); // the caller's reason, not a plug-in error
      throw fromCryptoProError(e, ctx.plugin, ctx.pin);
    }
    throwIfAborted(ctx.signal);
    return value as T;
  };
  const set = (ctx: Ctx, target: unknown, prop: string, value: unknown) =>
    call<void>(ctx, target, `propset_${prop}`, [value]);
  const create = async (ctx: Ctx, name: string) => {
    try {
      return await call<Obj>(ctx, ctx.plugin, 'CreateObjectAsync', [name]);
    } catch (e) {
      if (e instanceof ProviderError) {
        throw new ProviderUnavailableError(
          'load-failed',
          `the CryptoPro plug-in cannot create ${name}: ${INSTALL_HINT}`,
          {
            cause: e.cause,
          },
        );
      }
      throw e;
    }
  };

  const context = async (o: { signal?: AbortSignal | undefined; pin?: string | undefined } = {}): Promise<Ctx> => ({
    plugin: (await ready(o.signal)).plugin,
    signal: o.signal,
    pin: o.pin,
  });

  /** Opens CURRENT_USER\My, runs `body`, closes the store whatever happens. */
  const withStore = async <T>(ctx: Ctx, body: (certificates: Obj) => Promise<T>): Promise<T> => {
    const store = await create(ctx, 'CAdESCOM.Store');
    await call(ctx, store, 'Open', [CURRENT_USER_STORE, MY_STORE, STORE_OPEN_MAXIMUM_ALLOWED]);
    try {
      return await body(await call<Obj>(ctx, store, 'Certificates', 'get'));
    } finally {
      await Promise.resolve((store.Close as (() => unknown) | undefined)?.call(store)).catch(() => undefined);
    }
  };

  const exportDer = async (ctx: Ctx, cert: Obj) =>
    base64Decode((await call<string>(ctx, cert, 'Export', [ENCODE_BASE64])).replace(/\s+/g, ''));

  /** The store's certificate object for `key`, with its DER and key algorithm. */
  const findCertificate = async (ctx: Ctx, key: KeyRef | TokenRef) => {
    const keyId = checkKeyRef(key);
    return withStore(ctx, async (certificates) => {
      const found = await call<Obj>(ctx, certificates, 'Find', [FIND_SHA1_HASH, keyId.toUpperCase()]);
      if ((await call<number>(ctx, found, 'Count', 'get')) < 1) {
        throw new KeyNotFoundError({ message: `no certificate with thumbprint ${keyId} in the CryptoPro store` });
      }
      const cert = await call<Obj>(ctx, found, 'Item', [1]);
      const der = await exportDer(ctx, cert);
      return { cert, der, keyAlgorithm: keyAlgorithmOfCertificate(der) };
    });
  };

  const entryOf = async (ctx: Ctx, cert: Obj): Promise<CertificateEntry | undefined> => {
    if (!(await call<boolean>(ctx, cert, 'HasPrivateKey', []))) return undefined;
    const der = await exportDer(ctx, cert);
    let keyAlgorithm: KeyAlgorithm;
    let label: string;
    try {
      keyAlgorithm = keyAlgorithmOfCertificate(der);
      label = parseCertificate(der).subject.toString();
    } catch {
      return undefined; // a certificate this bridge cannot sign with (GOST 2001, other curves) or cannot parse
    }
    if (!CAPABILITIES.algorithms.includes(keyAlgorithm.kind)) return undefined;
    const keyId = (await call<string>(ctx, cert, 'Thumbprint', 'get')).replace(/\s+/g, '').toLowerCase();
    let storage = 'CryptoPro CSP';
    try {
      storage = String(await call(ctx, await call<Obj>(ctx, cert, 'PrivateKey', 'get'), 'ProviderName', 'get'));
    } catch (e) {
      if (isAbort(e)) throw e; // the key's medium may be absent now: list the certificate anyway
    }
    const key: KeyRef = { provider: 'cryptopro', tokenId: CRYPTOPRO_STORE.tokenId, keyId };
    return { key, certificate: der, keyAlgorithm, hasPrivateKey: true, label, storage };
  };

  const storeInfo = (): TokenInfo => ({
    ...CRYPTOPRO_STORE,
    label: 'CryptoPro CSP: CURRENT_USER\\My',
    manufacturer: 'CryptoPro',
    present: true,
    loggedIn: 'unknown',
    pin: { state: 'unknown' },
    protectedAuthPath: false,
  });

  const rawSign = async (key: KeyRef, input: SignInput, scheme: SignatureScheme, o: SignOptions = {}) => {
    const hash = rawSchemeHash(scheme);
    checkDigestInput(input, scheme);
    const digest = input.type === 'data' ? digestOf(hash).digest(input.data) : input.digest;
    const ctx = await context(o);
    const { cert, keyAlgorithm } = await findCertificate(ctx, key);
    checkKeyFits(scheme, keyAlgorithm);
    const hashed = await create(ctx, 'CAdESCOM.HashedData');
    await set(ctx, hashed, 'Algorithm', HASH_IDS[hash]);
    await call(ctx, hashed, 'SetHashValue', [hexEncode(digest).toUpperCase()]);
    // RawSignature has no signer object: the PIN goes to the certificate's key [unconfirmed]
    if (o.pin !== undefined) await set(ctx, await call<Obj>(ctx, cert, 'PrivateKey', 'get'), 'KeyPin', o.pin);
    const raw = await create(ctx, 'CAdESCOM.RawSignature');
    const hex = await call<string>(ctx, raw, 'SignHash', [hashed, cert]);
    return hexDecode(hex.replace(/\s+/g, '')).reverse();
  };

  const makeSigner = async (ctx: Ctx, cert: Obj, tsaUrl?: string) => {
    const signer = await create(ctx, 'CAdESCOM.CPSigner');
    await set(ctx, signer, 'Certificate', cert);
    await set(ctx, signer, 'Options', include);
    if (ctx.pin !== undefined) await set(ctx, signer, 'KeyPin', ctx.pin);
    if (tsaUrl !== undefined) await set(ctx, signer, 'TSAAddress', tsaUrl);
    return signer;
  };

  const signCms = async (key: KeyRef | TokenRef, data: Uint8Array, o: ContainerCmsOptions): Promise<Uint8Array> => {
    const level = o.level ?? 'BES';
    const type = CADES_TYPES[level];
    if (type === undefined) throw new TypeError(`cryptopro: unknown CAdES level ${String(level)}`);
    if (level !== 'BES' && !o.tsaUrl) throw new TypeError(`cryptopro: CAdES-${level} needs tsaUrl`);
    if (!(data instanceof Uint8Array)) throw new TypeError('cryptopro: data must be a Uint8Array');
    const ctx = await context(o);
    const { cert } = await findCertificate(ctx, key);
    const signer = await makeSigner(ctx, cert, level === 'BES' ? undefined : o.tsaUrl);
    const sd = await create(ctx, 'CAdESCOM.CadesSignedData');
    // the encoding first: the Content setter converts with the encoding in force
    await set(ctx, sd, 'ContentEncoding', BASE64_TO_BINARY);
    await set(ctx, sd, 'Content', base64Encode(data));
    const b64 = await call<string>(ctx, sd, 'SignCades', [signer, type, o.detached, ENCODE_BASE64]);
    let der: Uint8Array;
    try {
      der = base64Decode(String(b64).replace(/\s+/g, ''));
    } catch (cause) {
      throw new ProviderError('the cryptopro provider returned a malformed CMS', { cause });
    }
    const checked = await checkContainer(der, data, { detached: o.detached, provider: 'cryptopro' });
    throwIfAborted(o.signal);
    return checked;
  };

  const signXml = async (key: KeyRef | TokenRef, xml: string, o: ContainerXmlOptions = {}): Promise<string> => {
    if (typeof xml !== 'string') throw new TypeError('cryptopro: xml must be a string');
    if (o.signedElementXPath !== undefined) {
      throw new MechanismNotSupportedError({
        message: 'the CryptoPro plug-in signs the whole document (enveloped); use a TEMPLATE document for parts',
      });
    }
    const ctx = await context(o);
    const { cert, keyAlgorithm } = await findCertificate(ctx, key);
    const [signatureUri, digestUri] = xmlUris(keyAlgorithm);
    const signer = await makeSigner(ctx, cert);
    const sx = await create(ctx, 'CAdESCOM.SignedXML');
    await set(ctx, sx, 'Content', xml);
    await set(ctx, sx, 'SignatureType', XML_ENVELOPED);
    await set(ctx, sx, 'SignatureMethod', signatureUri);
    await set(ctx, sx, 'DigestMethod', digestUri);
    const args = o.signatureParentXPath === undefined ? [signer] : [signer, o.signatureParentXPath];
    return call<string>(ctx, sx, 'Sign', args);
  };

  const adapter: CryptoProAdapter = {
    provider: 'cryptopro',
    capabilities: CAPABILITIES,
    async listTokens(o: OpOptions = {}) {
      await ready(o.signal);
      return [storeInfo()];
    },
    async getTokenInfo(token: TokenRef, o: OpOptions = {}) {
      checkToken(token);
      await ready(o.signal);
      return storeInfo();
    },
    async login(token: TokenRef, _pin: string | undefined, o: OpOptions = {}) {
      // CryptoPro has no session login: the PIN goes with each signature (KeyPin) or the CSP asks
      checkToken(token);
      await ready(o.signal);
    },
    async logout(token: TokenRef, o: OpOptions = {}) {
      checkToken(token);
      await ready(o.signal);
    },
    async listCertificates(token: TokenRef, o: OpOptions = {}) {
      checkToken(token);
      const ctx = await context(o);
      return withStore(ctx, async (certificates) => {
        const count = await call<number>(ctx, certificates, 'Count', 'get');
        const out: CertificateEntry[] = [];
        for (let i = 1; i <= count; i++) {
          const entry = await entryOf(ctx, await call<Obj>(ctx, certificates, 'Item', [i]));
          if (entry) out.push(entry);
        }
        return out;
      });
    },
    sign: rawSign,
    signCms,
    signXml,
    async close() {
      loaded = undefined;
    },
  };
  return Object.freeze(adapter);
}

interface Ctx {
  readonly plugin: CadesPluginLike;
  readonly signal: AbortSignal | undefined;
  readonly pin: string | undefined;
}

const CAPABILITIES: Capabilities = Object.freeze({
  enumerateTokens: false,
  pinRetries: 'none',
  pinEntry: 'caller-or-provider-ui',
  rawSign: Object.freeze({ data: true, digest: true }),
  containerSign: Object.freeze({
    cms: true,
    cadesLevels: Object.freeze(['BES', 'T', 'XLT1'] as const),
    xml: true,
    detached: true,
  }),
  algorithms: Object.freeze(['GOST2012', 'RSA'] as const),
  tokenEvents: false,
});

function isAbort(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}

function checkToken(token: TokenRef): void {
  if (token?.provider !== 'cryptopro' || token.tokenId !== CRYPTOPRO_STORE.tokenId) {
    throw new TokenNotPresentError({ cause: new Error('the CryptoPro adapter has one token: { tokenId: "store" }') });
  }
}

/** The thumbprint of a key reference (40 hex digits), or KeyNotFoundError. */
function checkKeyRef(key: KeyRef | TokenRef): string {
  checkToken(key);
  const keyId = (key as Partial<KeyRef>).keyId;
  if (typeof keyId !== 'string' || !/^[0-9a-f]{40}$/i.test(keyId)) {
    throw new KeyNotFoundError({
      message: 'a CryptoPro key reference is a certificate SHA-1 thumbprint (40 hex digits)',
    });
  }
  return keyId.toLowerCase();
}

/** The hash of a scheme the CSP signs raw, or MechanismNotSupportedError. */
function rawSchemeHash(scheme: SignatureScheme): HashAlg {
  const ok =
    (scheme.name === 'GOST3410' && (scheme.hash === 'STREEBOG-256' || scheme.hash === 'STREEBOG-512')) ||
    (scheme.name === 'RSASSA-PKCS1-v1_5' && HASH_IDS[scheme.hash] !== undefined && !scheme.hash.startsWith('STREEBOG'));
  if (!ok) {
    const hash = scheme.name === 'EdDSA' ? '' : ` with ${scheme.hash}`;
    throw new MechanismNotSupportedError({
      message: `the CryptoPro plug-in signs GOST R 34.10-2012 and RSA PKCS#1 v1.5 only, not ${scheme.name}${hash}`,
    });
  }
  return (scheme as { hash: HashAlg }).hash;
}

function checkKeyFits(scheme: SignatureScheme, key: KeyAlgorithm): void {
  const fits =
    scheme.name === 'GOST3410'
      ? key.kind === 'GOST2012' && (key.bits === 256) === ((scheme as { hash: HashAlg }).hash === 'STREEBOG-256')
      : key.kind === 'RSA';
  if (!fits) throw new MechanismNotSupportedError({ message: `scheme ${scheme.name} does not fit a ${key.kind} key` });
}

function xmlUris(key: KeyAlgorithm): readonly [string, string] {
  const uris = key.kind === 'GOST2012' ? XML_URIS[`GOST${key.bits}`] : key.kind === 'RSA' ? XML_URIS.RSA : undefined;
  if (!uris) throw new MechanismNotSupportedError({ message: `no CryptoPro XML signature with a ${key.kind} key` });
  return uris;
}
