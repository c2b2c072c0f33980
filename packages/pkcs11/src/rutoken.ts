// Rutoken Plugin bridge (Aktiv Co. "Рутокен Плагин", CryptoPlugin API v4.x; tokens.md §5.2, errors §6.2):
// a TokenAdapter and ContainerSigner over the plug-in object that `@aktivco/rutoken-plugin` loads.
import { base64Decode, base64Encode, decodePem } from '@eds/core/encoding';
import { checkContainer, checkDigestInput, createPoller, raceAbort, throwIfAborted, withTimeout } from './_shared';
import {
  KeyNotFoundError,
  LoginRequiredError,
  MechanismNotSupportedError,
  PinIncorrectError,
  PinLockedError,
  ProviderError,
  ProviderUnavailableError,
  TokenError,
  TokenNotPresentError,
  UserCancelledError,
} from './errors';
import { digestOf, keyAlgorithmOfCertificate } from './schemes';
import type {
  Capabilities,
  CertificateEntry,
  ContainerCmsOptions,
  ContainerSigner,
  KeyRef,
  LoginOptions,
  OpOptions,
  PinState,
  SignatureScheme,
  SignInput,
  SignOptions,
  TokenAdapter,
  TokenEvent,
  TokenInfo,
  TokenRef,
} from './types';

/**
 * Options of the plug-in's `rawSign`. `hashAlgorithm` (a `HASH_TYPE_*` constant) is read by the
 * plug-in with `computeHash` [source: Aktiv's own rutokenweb-to-plugin shim passes it; not in the
 * v4.10 summary we could read].
 */
export interface RutokenRawSignOptions {
  readonly computeHash?: boolean;
  readonly useHardwareHash?: boolean;
  readonly hashAlgorithm?: number;
}

/** Options of the plug-in's `sign` (CMS). */
export interface RutokenCmsOptions {
  readonly detached?: boolean;
  readonly addUserCertificate?: boolean;
  readonly addSignTime?: boolean;
  readonly useHardwareHash?: boolean;
}

/** What `getDeviceInfo(dev, TOKEN_INFO_PINS_INFO)` returns (fields seen in public integrations). */
export interface RutokenPinsInfo {
  readonly retriesLeft?: number;
  readonly isPinCached?: boolean;
  readonly isPinDefault?: boolean;
}

/**
 * The subset of the Rutoken Plugin object (CryptoPlugin, API v4.x) this adapter calls: the object
 * `rutoken.loadPlugin()` of npm `@aktivco/rutoken-plugin` resolves to. Every method returns a
 * Promise and rejects with `Error(String(code))`, `code` one of `errorCodes`. Device ids are slot
 * numbers that change between enumerations; binary data travels as colon-separated hex
 * ("aa:bb:…"), certificates as PEM.
 *
 * Names [source: plugin.api.rutoken.ru v4.10.1.0 summary, public TypeScript declarations of the
 * plug-in object, Aktiv's rutokenweb-to-plugin]; numeric values are the plug-in's, never assumed.
 */
export interface RutokenPlugin {
  readonly errorCodes: Readonly<Record<string, number>>;
  readonly TOKEN_INFO_SERIAL: number;
  readonly TOKEN_INFO_LABEL: number;
  readonly TOKEN_INFO_MODEL: number;
  readonly TOKEN_INFO_IS_LOGGED_IN: number;
  readonly TOKEN_INFO_PINS_INFO?: number;
  readonly TOKEN_INFO_PIN_RETRIES_LEFT?: number;
  readonly CERT_CATEGORY_USER: number;
  readonly DATA_FORMAT_BASE64: number;
  readonly HASH_TYPE_GOST3411_12_256?: number;
  readonly HASH_TYPE_GOST3411_12_512?: number;
  enumerateDevices(options?: unknown): Promise<number[]>;
  getDeviceInfo(deviceId: number, type: number): Promise<unknown>;
  login(deviceId: number, pin: string): Promise<unknown>;
  logout(deviceId: number): Promise<unknown>;
  enumerateCertificates(deviceId: number, category: number): Promise<string[]>;
  /** The certificate as PEM. */
  getCertificate(deviceId: number, certId: string): Promise<string>;
  getKeyByCertificate(deviceId: number, certId: string): Promise<string>;
  /** A raw signature, colon-hex. */
  rawSign(deviceId: number, keyId: string, data: string, options: RutokenRawSignOptions): Promise<string>;
  /** A CMS SignedData, Base64. */
  sign(deviceId: number, certId: string, data: string, format: number, options: RutokenCmsOptions): Promise<string>;
}

/** Options of {@link createRutokenAdapter}: exactly one of `plugin` and `loadPlugin`. */
export interface RutokenAdapterOptions {
  /** A plug-in object already loaded. */
  readonly plugin?: RutokenPlugin | undefined;
  /**
   * Loads the plug-in on first use, e.g. `() => rutoken.ready.then(() => rutoken.loadPlugin())`;
   * a rejection (extension or plug-in missing) is a ProviderUnavailableError('not-installed') and
   * the next call tries again.
   */
  readonly loadPlugin?: (() => Promise<RutokenPlugin>) | undefined;
  /** How long `loadPlugin` may take before ProviderUnavailableError('timeout') (default 15000 ms). */
  readonly loadTimeoutMs?: number | undefined;
  /**
   * `data` inputs: let the plug-in hash (`rawSign` with `computeHash`) instead of hashing with
   * @eds/core and signing the digest (default false: fewer unconfirmed plug-in options involved).
   */
  readonly hashOnDevice?: boolean | undefined;
  /** Interval of the `enumerateDevices` polling behind `onTokenEvent` (default 1000 ms). */
  readonly pollIntervalMs?: number | undefined;
}

/** The Rutoken Plugin adapter: raw GOST signatures and the plug-in's own CMS. */
export type RutokenAdapter = TokenAdapter & ContainerSigner & { readonly provider: 'rutoken-plugin' };

/** Shown by a UI when the plug-in cannot be loaded. */
export const RUTOKEN_NOT_INSTALLED_MESSAGE =
  'Rutoken Plugin is not available: install "Рутокен Плагин" and enable its browser extension ' +
  '(https://www.rutoken.ru/support/download/rutoken-plugin/), then reload the page';

const CAPABILITIES: Capabilities = Object.freeze({
  enumerateTokens: true,
  pinRetries: 'exact',
  pinEntry: 'caller',
  rawSign: Object.freeze({ data: true, digest: true }),
  containerSign: Object.freeze({ cms: true, xml: false, detached: true }),
  algorithms: Object.freeze(['GOST2012'] as const),
  tokenEvents: true,
});

const REQUIRED_METHODS = [
  'enumerateDevices',
  'getDeviceInfo',
  'login',
  'logout',
  'enumerateCertificates',
  'getCertificate',
  'getKeyByCertificate',
  'rawSign',
  'sign',
] as const;

// ---------------------------------------------------------------------------------------------
// Errors (tokens.md §6.2, Rutoken column)

const NOT_PRESENT = ['DEVICE_NOT_FOUND', 'TOKEN_NOT_PRESENT', 'TOKEN_INVALID', 'SLOT_ID_INVALID', 'SESSION_CLOSED'];
const NOT_FOUND = ['KEY_NOT_FOUND', 'CERTIFICATE_NOT_FOUND', 'KEY_HANDLE_INVALID', 'OBJECT_HANDLE_INVALID'];
const CANCELLED = ['PKCS11_CANCEL', 'FUNCTION_REJECTED'];
const UNSUPPORTED = ['MECHANISM_INVALID', 'WRONG_KEY_TYPE', 'KEY_FUNCTION_NOT_PERMITTED', 'UNSUPPORTED_BY_TOKEN'];

/** The plug-in's numeric code in a rejection (`Error(String(code))`, or the bare code of old wrappers). */
function errorCode(e: unknown): number | undefined {
  const text = e instanceof Error ? e.message : typeof e === 'string' || typeof e === 'number' ? String(e) : '';
  return /^-?\d+$/.test(text.trim()) ? Number(text) : undefined;
}

/** The name of a code in `plugin.errorCodes`. */
function codeName(plugin: RutokenPlugin, code: number): string | undefined {
  for (const [name, value] of Object.entries(plugin.errorCodes ?? {})) if (value === code) return name;
  return undefined;
}

/**
 * A typed error for a plug-in rejection. PIN_INCORRECT becomes PinIncorrectError without a count
 * here; `login` adds the exact count. The plug-in's own error is kept as `cause` (it carries a
 * code, never the PIN).
 */
function mapError(plugin: RutokenPlugin, e: unknown): Error {
  if (e instanceof TokenError || (e instanceof DOMException && e.name === 'AbortError')) return e;
  if (e instanceof RangeError) return e; // a misuse found before the plug-in was called (checkDigestInput)
  const code = errorCode(e);
  const name = code === undefined ? undefined : codeName(plugin, code);
  const o = { cause: e };
  if (name === 'PIN_INCORRECT') return new PinIncorrectError(o);
  if (name === 'PIN_LOCKED') return new PinLockedError(o);
  if (name === 'USER_NOT_LOGGED_IN') return new LoginRequiredError(o);
  if (name === 'PKCS11_LOAD_FAILED')
    return new ProviderUnavailableError('load-failed', 'the Rutoken Plugin could not load its PKCS#11 library', o);
  if (name && NOT_PRESENT.includes(name)) return new TokenNotPresentError(o);
  if (name && NOT_FOUND.includes(name)) return new KeyNotFoundError(o);
  if (name && CANCELLED.includes(name)) return new UserCancelledError(o);
  if (name && UNSUPPORTED.includes(name)) return new MechanismNotSupportedError(o);
  if (code !== undefined) return new ProviderError(`Rutoken Plugin error ${code}${name ? ` (${name})` : ''}`, o);
  return new ProviderError('Rutoken Plugin call failed', o);
}

function isCode(plugin: RutokenPlugin, e: unknown, name: string): boolean {
  const code = errorCode(e);
  return code !== undefined && plugin.errorCodes?.[name] === code;
}

// ---------------------------------------------------------------------------------------------
// Encoding

/** Bytes as the plug-in's colon-separated lower-case hex. */
function toColonHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(':');
}

/** The plug-in's colon-hex (separators optional) as bytes. @throws {ProviderError} when malformed. */
function fromColonHex(text: unknown): Uint8Array {
  const hex = typeof text === 'string' ? text.replace(/[:\s]/g, '') : '';
  if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(hex))
    throw new ProviderError('the Rutoken Plugin returned a signature that is not hex');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** A certificate or CMS from the plug-in (PEM or bare Base64) as DER. */
function fromPemOrBase64(text: unknown, what: string): Uint8Array {
  if (typeof text !== 'string') throw new ProviderError(`the Rutoken Plugin returned no ${what}`);
  try {
    const blocks = text.includes('-----BEGIN') ? decodePem(text) : [];
    return blocks[0]?.bytes ?? base64Decode(text.replace(/\s/g, ''));
  } catch (e) {
    throw new ProviderError(`the Rutoken Plugin returned a malformed ${what}`, { cause: e });
  }
}

// ---------------------------------------------------------------------------------------------
// The adapter

interface Device {
  readonly id: number;
  readonly serial: string;
}

/**
 * A token adapter over the Rutoken Plugin (provider `rutoken-plugin`): lists Rutoken devices with
 * their exact PIN retry counters, logs in with a PIN from the caller, lists the user certificates
 * with their key ids, signs digests and data with GOST R 34.10-2012 keys (`rawSign`), and has the
 * plug-in build CMS SignedData itself (`signCms`, attached or detached).
 *
 * References are stable: `tokenId` is the device serial (`TOKEN_INFO_SERIAL`), resolved to the
 * current device number on every call (numbers change between enumerations); `keyId` is the
 * plug-in's key id from `getKeyByCertificate`, as it gives it (colon-hex CKA_ID). A certificate
 * without a key is listed with `hasPrivateKey: false` and its certificate id as `keyId`.
 * Certificates of keys nothing here signs with (GOST R 34.10-2001, other algorithms) are listed
 * with `keyAlgorithm.kind === 'other'`, as the PKCS#11 adapter lists them; `sign` refuses them
 * (MechanismNotSupportedError): the algorithm of the key's certificate on the token, when there is
 * one, must be GOST R 34.10-2012 of the scheme's size. `onTokenEvent` polls `enumerateDevices` only while subscribed; a listener
 * that throws does not stop the others or repeat an event; `close()` stops it for good.
 *
 * Byte order: `rawSign` takes the digest in the order Streebog outputs it (the bytes of CMS
 * messageDigest) and returns s‖r big-endian, as the Rutoken PKCS#11 library beneath it does, so
 * both pass through unchanged; no reversal here (unlike CryptoPro's RawSignature). Evidence
 * [source]: Aktiv's own rutokenweb-to-plugin shim builds the legacy Rutoken Web r‖s by swapping the
 * two halves of the plug-in's signature (s first) and keeping the bytes within each half; its
 * whole-buffer reversals only serve that legacy format. Not confirmed on hardware here;
 * `tokenSigner` checks every signature against the certificate, so another order fails loudly.
 *
 * Not supported: RSA and ECDSA raw signatures (the plug-in's RSA `rawSign` padding is
 * unconfirmed), XML signing, CAdES levels above what the plug-in writes, PIN pads (`pin` undefined
 * is refused), per-signature PINs (`SignOptions.pin` is ignored: the plug-in keeps the login).
 * `TOKEN_INFO_PINS_INFO.retriesLeft` is read first, `TOKEN_INFO_PIN_RETRIES_LEFT` as a fallback;
 * `PKCS11_CANCEL` is the code name seen in public declarations, unconfirmed in Aktiv's docs.
 *
 * Standard: tokens.md §5.2 (plug-in surface), §6.2 (error mapping); RFC 9215 §3 (signature form).
 *
 * @throws {ProviderUnavailableError} `not-installed` when no plug-in is given or `loadPlugin`
 *   rejects (message: {@link RUTOKEN_NOT_INSTALLED_MESSAGE}), `timeout` when it hangs, `load-failed`
 *   when the object lacks the plug-in's methods; from the first call, not from this factory.
 * @throws from every method: PinIncorrectError{retriesLeft}, PinLockedError, TokenNotPresentError,
 *   KeyNotFoundError, UserCancelledError, LoginRequiredError, MechanismNotSupportedError,
 *   ProviderError (unknown plug-in codes, with the code and its name; a CMS from `signCms` that
 *   does not parse, is not attached/detached as asked, carries other content, or whose
 *   messageDigest or signature does not match `data`), RangeError (`sign` with a digest of another
 *   hash or length), the signal's reason (at once, also while a plug-in call is in flight).
 * @example
 * ```ts
 * // rutoken: the default export of npm @aktivco/rutoken-plugin (the page installs it; not an SDK dependency)
 * const adapter = createRutokenAdapter({ loadPlugin: () => rutoken.ready.then(() => rutoken.loadPlugin()) });
 * const [token] = await adapter.listTokens(); // token.pin.retriesLeft is exact
 * await adapter.login(token, pinFromUser);
 * const [entry] = await adapter.listCertificates(token);
 * const cms = await signCms({ signers: [tokenSigner({ adapter, entry })], content, detached: true });
 * ```
 */
export function createRutokenAdapter(options: RutokenAdapterOptions = {}): RutokenAdapter {
  const load = pluginLoader(options);
  const withPlugin = async <T>(signal: AbortSignal | undefined, fn: (p: RutokenPlugin) => Promise<T>): Promise<T> => {
    throwIfAborted(signal);
    const plugin = await load(signal);
    let result: T;
    try {
      result = await raceAbort(fn(plugin), signal); // an abort while the plug-in works rejects at once
    } catch (e) {
      throwIfAborted(signal); // the caller's reason, whatever it is, is not a plug-in error
      throw mapError(plugin, e);
    }
    throwIfAborted(signal);
    return result;
  };
  const events = createPoller({
    provider: 'rutoken-plugin',
    intervalMs: options.pollIntervalMs ?? 1000,
    snapshot: async () => (await withPlugin(undefined, listDevices)).map((d) => d.serial),
  });

  const adapter: RutokenAdapter = {
    provider: 'rutoken-plugin',
    capabilities: CAPABILITIES,
    listTokens: (o?: OpOptions) =>
      withPlugin(o?.signal, async (p) => {
        const out: TokenInfo[] = [];
        for (const device of await listDevices(p, o?.signal)) {
          const info = await tokenInfo(p, device, o?.signal).catch((e) => {
            if (mapError(p, e) instanceof TokenNotPresentError) return undefined; // removed meanwhile
            throw e;
          });
          if (info) out.push(info);
        }
        return out;
      }),
    getTokenInfo: (token: TokenRef, o?: OpOptions) =>
      withPlugin(o?.signal, async (p) => tokenInfo(p, await findDevice(p, token, o?.signal), o?.signal)),
    login: (token: TokenRef, pin: string | undefined, o?: LoginOptions) =>
      withPlugin(o?.signal, (p) => login(p, token, pin, o)),
    logout: (token: TokenRef, o?: OpOptions) =>
      withPlugin(o?.signal, async (p) => {
        const device = await findDevice(p, token, o?.signal);
        await p.logout(device.id).catch((e) => {
          if (!isCode(p, e, 'USER_NOT_LOGGED_IN')) throw e;
        });
      }),
    listCertificates: (token: TokenRef, o?: OpOptions) =>
      withPlugin(o?.signal, async (p) => listCertificates(p, await findDevice(p, token, o?.signal), o?.signal)),
    sign: (key: KeyRef, input: SignInput, scheme: SignatureScheme, o?: SignOptions) =>
      withPlugin(o?.signal, (p) => rawSign(p, key, input, scheme, options.hashOnDevice ?? false, o?.signal)),
    signCms: (key: KeyRef | TokenRef, data: Uint8Array, o: ContainerCmsOptions) =>
      withPlugin(o?.signal, (p) => pluginCms(p, key, data, o)),
    onTokenEvent(listener: (event: TokenEvent) => void): () => void {
      return events.subscribe(listener); // after close(): a no-op
    },
    async close() {
      events.close();
    },
  };
  return Object.freeze(adapter);
}

/** Loads the plug-in once (a failure is not kept, so a later call retries after installation). */
function pluginLoader(options: RutokenAdapterOptions): (signal?: AbortSignal) => Promise<RutokenPlugin> {
  let loaded: Promise<RutokenPlugin> | undefined;
  return async (signal) => {
    if (options.plugin) return checkPlugin(options.plugin);
    if (!options.loadPlugin) throw new ProviderUnavailableError('not-installed', RUTOKEN_NOT_INSTALLED_MESSAGE);
    loaded ??= loadWithTimeout(options.loadPlugin, options.loadTimeoutMs ?? 15_000);
    const attempt = loaded;
    const settled = attempt.catch((e) => {
      if (loaded === attempt) loaded = undefined;
      throw e;
    });
    const plugin = await raceAbort(settled, signal);
    throwIfAborted(signal);
    return plugin;
  };
}

async function loadWithTimeout(loadPlugin: () => Promise<RutokenPlugin>, ms: number): Promise<RutokenPlugin> {
  const loading = Promise.resolve()
    .then(loadPlugin)
    .catch((e) => {
      throw new ProviderUnavailableError('not-installed', RUTOKEN_NOT_INSTALLED_MESSAGE, { cause: e });
    });
  const timeout = () => new ProviderUnavailableError('timeout', `the Rutoken Plugin did not load within ${ms} ms`);
  return checkPlugin(await withTimeout(loading, ms, timeout));
}

function checkPlugin(plugin: RutokenPlugin | null | undefined): RutokenPlugin {
  if (!plugin || typeof plugin !== 'object')
    throw new ProviderUnavailableError('not-installed', RUTOKEN_NOT_INSTALLED_MESSAGE);
  const missing = REQUIRED_METHODS.filter((m) => typeof plugin[m] !== 'function');
  if (missing.length > 0 || typeof plugin.errorCodes !== 'object' || plugin.errorCodes === null) {
    const what = missing.length > 0 ? missing.join(', ') : 'errorCodes';
    throw new ProviderUnavailableError('load-failed', `the object given as the Rutoken Plugin lacks ${what}`);
  }
  return plugin;
}

// ---------------------------------------------------------------------------------------------
// Devices and PIN state

async function call<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
  throwIfAborted(signal);
  const result = await raceAbort(fn(), signal);
  throwIfAborted(signal);
  return result;
}

/** The devices present now with their serials. */
async function listDevices(p: RutokenPlugin, signal?: AbortSignal): Promise<Device[]> {
  const ids = await call(signal, () => p.enumerateDevices());
  const out: Device[] = [];
  for (const id of Array.isArray(ids) ? ids : []) {
    const serial = await call(signal, () => p.getDeviceInfo(id, p.TOKEN_INFO_SERIAL)).catch((e) => {
      if (mapError(p, e) instanceof TokenNotPresentError) return undefined;
      throw e;
    });
    if (serial !== undefined && serial !== null) out.push({ id, serial: String(serial).trim() });
  }
  return out;
}

/** The current device number of a token (numbers change between enumerations, serials do not). */
async function findDevice(p: RutokenPlugin, token: TokenRef, signal?: AbortSignal): Promise<Device> {
  if (token?.provider !== 'rutoken-plugin')
    throw new KeyNotFoundError({ message: `not a rutoken-plugin token: ${String(token?.provider)}` });
  const device = (await listDevices(p, signal)).find((d) => d.serial === token.tokenId);
  if (!device) throw new TokenNotPresentError();
  return device;
}

/** The exact PIN retry counter, or undefined when the plug-in says nothing. */
async function retriesLeft(p: RutokenPlugin, id: number, signal?: AbortSignal): Promise<number | undefined> {
  if (p.TOKEN_INFO_PINS_INFO !== undefined) {
    const info = (await call(signal, () => p.getDeviceInfo(id, p.TOKEN_INFO_PINS_INFO as number))) as RutokenPinsInfo;
    const n = Number(info?.retriesLeft);
    if (info?.retriesLeft !== undefined && Number.isInteger(n) && n >= 0) return n;
  }
  if (p.TOKEN_INFO_PIN_RETRIES_LEFT !== undefined) {
    const n = Number(await call(signal, () => p.getDeviceInfo(id, p.TOKEN_INFO_PIN_RETRIES_LEFT as number)));
    if (Number.isInteger(n) && n >= 0) return n;
  }
  return undefined;
}

function pinState(retries: number | undefined): PinState {
  if (retries === undefined) return 'unknown';
  return retries === 0 ? 'locked' : retries === 1 ? 'finalTry' : 'ok';
}

async function tokenInfo(p: RutokenPlugin, device: Device, signal?: AbortSignal): Promise<TokenInfo> {
  const text = async (type: number) => {
    const v = await call(signal, () => p.getDeviceInfo(device.id, type));
    return v === undefined || v === null ? undefined : String(v).trim();
  };
  const label = (await text(p.TOKEN_INFO_LABEL)) || `Rutoken ${device.serial}`;
  const model = await text(p.TOKEN_INFO_MODEL);
  const loggedIn = await call(signal, () => p.getDeviceInfo(device.id, p.TOKEN_INFO_IS_LOGGED_IN));
  const retries = await retriesLeft(p, device.id, signal);
  return {
    provider: 'rutoken-plugin',
    tokenId: device.serial,
    label,
    manufacturer: 'Aktiv Co.',
    model,
    serial: device.serial,
    present: true,
    loggedIn: typeof loggedIn === 'boolean' ? loggedIn : 'unknown',
    pin: { state: pinState(retries), retriesLeft: retries },
    protectedAuthPath: false,
  };
}

async function login(p: RutokenPlugin, token: TokenRef, pin: string | undefined, o?: LoginOptions): Promise<void> {
  if (typeof pin !== 'string' || pin.length === 0) throw new LoginRequiredError(); // no PIN dialog in the plug-in
  const device = await findDevice(p, token, o?.signal);
  const before = await retriesLeft(p, device.id, o?.signal);
  if (before === 0) throw new PinLockedError();
  if (before === 1 && !o?.allowFinalTry) throw new PinIncorrectError({ retriesLeft: 1 });
  try {
    await call(o?.signal, () => p.login(device.id, pin));
  } catch (e) {
    if (isCode(p, e, 'ALREADY_LOGGED_IN')) return;
    if (!isCode(p, e, 'PIN_INCORRECT')) throw e;
    const left = await retriesLeft(p, device.id).catch(() => undefined);
    if (left === 0) throw new PinLockedError({ cause: e });
    throw new PinIncorrectError(left === undefined ? { cause: e } : { retriesLeft: left, cause: e });
  }
}

// ---------------------------------------------------------------------------------------------
// Certificates and signing

async function listCertificates(p: RutokenPlugin, device: Device, signal?: AbortSignal): Promise<CertificateEntry[]> {
  const ids = await call(signal, () => p.enumerateCertificates(device.id, p.CERT_CATEGORY_USER));
  const out: CertificateEntry[] = [];
  for (const certId of Array.isArray(ids) ? ids : []) {
    const certificate = fromPemOrBase64(await call(signal, () => p.getCertificate(device.id, certId)), 'certificate');
    // A key the adapter does not sign with (GOST 2001, other curves) is listed as kind 'other', as
    // the PKCS#11 adapter does: a picker shows it, signing refuses it.
    const keyAlgorithm = keyAlgorithmOfCertificate(certificate);
    const keyId = await call(signal, () => p.getKeyByCertificate(device.id, certId)).catch((e) => {
      if (mapError(p, e) instanceof KeyNotFoundError) return undefined;
      throw e;
    });
    out.push({
      key: { provider: 'rutoken-plugin', tokenId: device.serial, keyId: keyId ? String(keyId) : certId },
      certificate,
      keyAlgorithm,
      hasPrivateKey: Boolean(keyId),
      storage: 'rutoken',
    });
  }
  return out;
}

/** The digest to sign and its size; checks the scheme (GOST R 34.10-2012 with Streebog only). */
function gostHash(scheme: SignatureScheme): { hash: 'STREEBOG-256' | 'STREEBOG-512'; size: 32 | 64 } {
  if (scheme?.name !== 'GOST3410' || (scheme.hash !== 'STREEBOG-256' && scheme.hash !== 'STREEBOG-512')) {
    throw new MechanismNotSupportedError({
      message: `the Rutoken Plugin adapter signs GOST R 34.10-2012 with Streebog only, not ${scheme?.name}`,
    });
  }
  return scheme.hash === 'STREEBOG-256' ? { hash: scheme.hash, size: 32 } : { hash: scheme.hash, size: 64 };
}

async function rawSign(
  p: RutokenPlugin,
  key: KeyRef,
  input: SignInput,
  scheme: SignatureScheme,
  hashOnDevice: boolean,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const { hash, size } = gostHash(scheme);
  checkDigestInput(input, scheme);
  const device = await findDevice(p, key, signal);
  await checkCertifiedKey(p, device, key, size, signal);
  let data: Uint8Array;
  let options: RutokenRawSignOptions = { computeHash: false };
  if (input.type === 'digest') {
    data = input.digest;
  } else if (hashOnDevice) {
    const hashAlgorithm = size === 32 ? p.HASH_TYPE_GOST3411_12_256 : p.HASH_TYPE_GOST3411_12_512;
    options = { computeHash: true, useHardwareHash: false, ...(hashAlgorithm === undefined ? {} : { hashAlgorithm }) };
    data = input.data;
  } else {
    data = digestOf(hash).digest(input.data);
  }
  const out = fromColonHex(await call(signal, () => p.rawSign(device.id, key.keyId, toColonHex(data), options)));
  if (out.length !== 2 * size)
    throw new ProviderError(`the Rutoken Plugin returned a ${out.length}-byte signature, expected ${2 * size}`);
  return out;
}

/**
 * Refuses a key whose certificate names another algorithm than GOST R 34.10-2012 of the scheme's
 * size (GOST 2001, kind 'other'): the key's certified algorithm decides, as in the PKCS#11 adapter.
 * A key without a certificate on the token is left to the plug-in.
 */
async function checkCertifiedKey(
  p: RutokenPlugin,
  device: Device,
  key: KeyRef,
  size: 32 | 64,
  signal?: AbortSignal,
): Promise<void> {
  const certId = await certificateFor(p, device, key, signal).catch((e) => {
    if (e instanceof KeyNotFoundError) return undefined;
    throw e;
  });
  if (certId === undefined) return;
  const der = fromPemOrBase64(await call(signal, () => p.getCertificate(device.id, certId)), 'certificate');
  const k = keyAlgorithmOfCertificate(der);
  if (k.kind !== 'GOST2012' || k.bits !== size * 8) {
    const what = k.kind === 'other' ? k.oid : k.kind === 'GOST2012' ? `GOST2012-${k.bits}` : k.kind;
    throw new MechanismNotSupportedError({
      message: `the key's certificate is for ${what}: no GOST R 34.10-2012 ${size * 8}-bit signature with it`,
    });
  }
}

/** The certificate id whose key is `keyId`, or of the only certificate with a key for a TokenRef. */
async function certificateFor(
  p: RutokenPlugin,
  device: Device,
  key: KeyRef | TokenRef,
  signal?: AbortSignal,
): Promise<string> {
  const ids = await call(signal, () => p.enumerateCertificates(device.id, p.CERT_CATEGORY_USER));
  const pairs: { certId: string; keyId: string }[] = [];
  for (const certId of Array.isArray(ids) ? ids : []) {
    const keyId = await call(signal, () => p.getKeyByCertificate(device.id, certId)).catch((e) => {
      if (mapError(p, e) instanceof KeyNotFoundError) return undefined;
      throw e;
    });
    if (keyId) pairs.push({ certId, keyId: String(keyId) });
  }
  if (!('keyId' in key) || key.keyId === undefined) {
    if (pairs.length === 1 && pairs[0]) return pairs[0].certId;
    throw new KeyNotFoundError({ message: `${pairs.length} keys on the token: pass the KeyRef of one` });
  }
  const found = pairs.find((x) => x.keyId === key.keyId);
  if (!found) throw new KeyNotFoundError();
  return found.certId;
}

async function pluginCms(
  p: RutokenPlugin,
  key: KeyRef | TokenRef,
  data: Uint8Array,
  o: ContainerCmsOptions,
): Promise<Uint8Array> {
  if (o?.level !== undefined || o?.tsaUrl !== undefined) {
    throw new MechanismNotSupportedError({
      message:
        'the Rutoken Plugin writes plain CMS only: extend it with @eds/core/cades (addTimestamp, validation data)',
    });
  }
  const device = await findDevice(p, key, o?.signal);
  const certId = await certificateFor(p, device, key, o?.signal);
  const cms = await call(o?.signal, () =>
    p.sign(device.id, certId, base64Encode(data), p.DATA_FORMAT_BASE64, {
      detached: o?.detached ?? false,
      addUserCertificate: true,
      addSignTime: true,
    }),
  );
  const der = fromPemOrBase64(cms, 'CMS');
  return checkContainer(der, data, { detached: o?.detached ?? false, provider: 'rutoken-plugin' });
}
