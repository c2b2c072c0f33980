// NCALayer bridge (Kazakhstan): a TokenAdapter and ContainerSigner over NCALayer's WebSocket protocol,
// modules kz.gov.pki.knca.commonUtils and kz.gov.pki.knca.basics (shared/docs/reference/tokens.md §5.3, §6.2).
import { base64Encode, toDer } from '@eds/core/encoding';
import { parseCertificate } from '@eds/core/x509';
import { findElements, parseXml } from '@eds/core/xml';
import { abortReason, checkContainer, throwIfAborted } from './_shared';
import {
  MechanismNotSupportedError,
  ProviderError,
  ProviderUnavailableError,
  TokenNotPresentError,
  UserCancelledError,
} from './errors';
import { keyAlgorithmOfCertificate } from './schemes';
import type {
  Capabilities,
  CertificateEntry,
  ContainerCmsOptions,
  ContainerSigner,
  ContainerXmlOptions,
  KeyRef,
  OpOptions,
  TokenAdapter,
  TokenInfo,
  TokenRef,
} from './types';

/** Where NCALayer listens. */
export const NCALAYER_URL = 'wss://127.0.0.1:13579';

/** Storage types NCALayer knows, with a display label (PKCS12 and JKS are files, the rest devices). */
export const NCALAYER_STORAGES: Readonly<Record<string, string>> = Object.freeze({
  PKCS12: 'PKCS#12 file',
  AKKaztokenStore: 'Kaztoken',
  AKKZIDCardStore: 'Kazakhstan ID card',
  AKEToken72KStore: 'eToken 72K',
  AKEToken5110Store: 'eToken 5110',
  AKJaCartaStore: 'JaCarta',
  AKAKEYStore: 'aKey',
  JKS: 'Java KeyStore file',
});

/** The part of the WebSocket API (WHATWG) the adapter uses: browsers, Node 22 and the `ws` package have it. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  // biome-ignore lint/suspicious/noExplicitAny: event shapes differ between browsers, undici and ws
  addEventListener(type: 'open' | 'message' | 'error' | 'close', listener: (event: any) => void): void;
}

/** A WebSocket constructor (`globalThis.WebSocket`, or `WebSocket` of the `ws` package on Node 20). */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** Options of {@link createNcaLayerAdapter}. */
export interface NcaLayerAdapterOptions {
  /** Default `wss://127.0.0.1:13579`. */
  readonly url?: string | undefined;
  /** Default `globalThis.WebSocket`. */
  readonly WebSocket?: WebSocketConstructor | undefined;
  /** Connecting and NCALayer's greeting, in milliseconds (default 5000). */
  readonly connectTimeoutMs?: number | undefined;
  /** One request, including the time the user spends in NCALayer's dialog (default 300,000). */
  readonly requestTimeoutMs?: number | undefined;
  /** `basics` (default): CMS and XML through kz.gov.pki.knca.basics `sign`; `commonUtils`: createCAdESFromBase64 and signXml. */
  readonly api?: 'basics' | 'commonUtils' | undefined;
  /** commonUtils keyType: which keys the dialog offers (default `SIGNATURE`; `""` any). */
  readonly keyType?: 'SIGNATURE' | 'AUTHENTICATION' | '' | undefined;
  /** basics signerParams.extKeyUsageOids: certificates the dialog offers (default none: any). */
  readonly extKeyUsageOids?: readonly string[] | undefined;
  /** Language of NCALayer's dialog for basics (default `ru`). */
  readonly locale?: 'ru' | 'kk' | 'en' | undefined;
}

/** The NCALayer adapter: every TokenAdapter method, and CMS and XML signatures built by NCALayer. */
export type NcaLayerAdapter = TokenAdapter & ContainerSigner & Required<Pick<ContainerSigner, 'signXml'>>;

const PROVIDER = 'ncalayer';
const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
const COMMON = 'kz.gov.pki.knca.commonUtils';
const BASICS = 'kz.gov.pki.knca.basics';
const MAX_MESSAGE = 300;
const MAX_REPLY = 64 * 1024 * 1024;
const STORAGE_NAME = /^[A-Za-z][\w.-]{0,63}$/;
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const NOT_RUNNING = 'NCALayer is not running: start it';
const ADAPTER_CLOSED = 'the NCALayer adapter is closed';
const NOT_RUNNING_OR_UNTRUSTED = `${NOT_RUNNING}, or its local certificate is not trusted: open https://127.0.0.1:13579 once and accept it`;

const CAPABILITIES: Capabilities = Object.freeze({
  enumerateTokens: true,
  pinRetries: 'none',
  pinEntry: 'provider-ui',
  rawSign: false,
  containerSign: Object.freeze({
    cms: true,
    cadesLevels: Object.freeze(['BES', 'T'] as const),
    xml: true,
    detached: true,
  }),
  // 'other': Kazakh GOST 34.310 keys, which NCALayer signs itself
  algorithms: Object.freeze(['RSA', 'GOST2012', 'other'] as const),
  tokenEvents: false,
});

// ---------------------------------------------------------------------------------------------
// Transport: one socket, one request in flight (requests carry no id)

type Incoming = { readonly type: 'message'; readonly data: unknown } | { readonly type: 'closed' };

interface Connection {
  readonly socket: WebSocketLike;
  waiter: ((incoming: Incoming) => void) | undefined;
  closed: boolean;
}

interface Transport {
  request(payload: unknown, signal: AbortSignal | undefined): Promise<unknown>;
  close(): void;
}

function shut(socket: WebSocketLike): void {
  try {
    socket.close();
  } catch {
    // a socket that cannot close is already unusable
  }
}

/** The error code of a failed connection where the runtime gives one (ws, undici); the browser gives none. */
function errorCode(event: unknown): string | undefined {
  const error = (event as { error?: { code?: unknown; cause?: { code?: unknown } } } | undefined)?.error;
  const code = error?.code ?? error?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The error of a socket that failed or closed before NCALayer's greeting. */
function connectError(event: unknown, opened: boolean): ProviderUnavailableError {
  const code = errorCode(event);
  const cause = (event as { error?: unknown } | undefined)?.error;
  if (code && TLS_CODES.has(code)) {
    return new ProviderUnavailableError(
      'certificate-untrusted',
      `NCALayer's local certificate is not trusted (${code}): open https://127.0.0.1:13579 once and accept it`,
      { cause },
    );
  }
  if (opened) return new ProviderUnavailableError('not-running', 'NCALayer closed the connection before greeting');
  return new ProviderUnavailableError('not-running', code ? `${NOT_RUNNING} (${code})` : NOT_RUNNING_OR_UNTRUSTED, {
    cause,
  });
}

function isGreeting(data: unknown): boolean {
  if (typeof data !== 'string' || data.length > 4096) return false;
  try {
    const version = (JSON.parse(data) as { result?: { version?: unknown } } | null)?.result?.version;
    return typeof version === 'string';
  } catch {
    return false;
  }
}

/** Opens a socket and waits for NCALayer's `{"result":{"version":…}}`. */
function connect(
  WS: WebSocketConstructor,
  url: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  track: (socket: WebSocketLike) => void,
): Promise<Connection> {
  return new Promise((resolve, reject) => {
    let socket: WebSocketLike;
    try {
      socket = new WS(url);
    } catch (cause) {
      reject(new ProviderUnavailableError('not-running', `cannot connect to ${url}`, { cause }));
      return;
    }
    track(socket);
    const conn: Connection = { socket, waiter: undefined, closed: false };
    const state = { settled: false, opened: false, error: undefined as unknown };
    const settle = (error?: unknown) => {
      if (state.settled) return;
      state.settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (error === undefined) return resolve(conn);
      shut(socket);
      reject(error);
    };
    const onAbort = () => settle(abortReason(signal));
    const timer = setTimeout(
      () => settle(new ProviderUnavailableError('timeout', `NCALayer did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.addEventListener('open', () => {
      state.opened = true;
    });
    socket.addEventListener('error', (event) => {
      state.error = event;
      if (!state.settled) settle(connectError(event, state.opened));
      else deliver(conn, { type: 'closed' });
    });
    socket.addEventListener('close', () => {
      conn.closed = true;
      if (!state.settled) settle(connectError(state.error, state.opened));
      else deliver(conn, { type: 'closed' });
    });
    socket.addEventListener('message', (event: { data?: unknown }) => {
      if (state.settled) return deliver(conn, { type: 'message', data: event.data });
      settle(
        isGreeting(event.data)
          ? undefined
          : new ProviderError('the server on the NCALayer port did not greet as NCALayer'),
      );
    });
  });
}

function deliver(conn: Connection, incoming: Incoming): void {
  const waiter = conn.waiter;
  conn.waiter = undefined;
  waiter?.(incoming); // a message nobody waits for (after an abort or a timeout) is dropped
}

/** Sends one request on `conn` and waits for the one reply; on abort or timeout the socket is dropped. */
function exchange(conn: Connection, payload: unknown, timeoutMs: number, signal: AbortSignal | undefined) {
  return new Promise<unknown>((resolve, reject) => {
    const finish = (error: unknown, value?: unknown) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      conn.waiter = undefined;
      if (error === undefined) return resolve(value);
      conn.closed = true; // no request id: a late reply would answer the next request
      shut(conn.socket);
      reject(error);
    };
    const onAbort = () => finish(abortReason(signal));
    const timer = setTimeout(
      () => finish(new ProviderUnavailableError('timeout', `NCALayer did not reply within ${timeoutMs} ms`)),
      timeoutMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    if (conn.closed || conn.socket.readyState !== 1) {
      return finish(new ProviderUnavailableError('not-running', `${NOT_RUNNING}: the connection is closed`));
    }
    conn.waiter = (incoming) =>
      incoming.type === 'message'
        ? finish(undefined, incoming.data)
        : finish(
            new ProviderUnavailableError('not-running', `${NOT_RUNNING}: it closed the connection before replying`),
          );
    try {
      conn.socket.send(JSON.stringify(payload));
    } catch (cause) {
      finish(new ProviderUnavailableError('not-running', `${NOT_RUNNING}: the request could not be sent`, { cause }));
    }
  });
}

function createTransport(options: NcaLayerAdapterOptions): Transport {
  const url = options.url ?? NCALAYER_URL;
  const connectTimeout = options.connectTimeoutMs ?? 5000;
  const requestTimeout = options.requestTimeoutMs ?? 300_000;
  let current: Connection | undefined;
  let connecting: WebSocketLike | undefined;
  let closed = false;
  let tail: Promise<void> = Promise.resolve();
  const checkOpen = () => {
    if (closed) throw new ProviderUnavailableError('not-running', ADAPTER_CLOSED);
  };

  async function once(payload: unknown, signal: AbortSignal | undefined): Promise<unknown> {
    checkOpen();
    const WS = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!WS) throw new ProviderUnavailableError('unsupported-runtime', 'no WebSocket: pass options.WebSocket');
    if (!current || current.closed) {
      const track = (socket: WebSocketLike) => {
        connecting = socket;
      };
      let conn: Connection;
      try {
        conn = await connect(WS, url, connectTimeout, signal, track);
      } catch (e) {
        checkOpen(); // the socket failed because close() shut it
        throw e;
      } finally {
        connecting = undefined;
      }
      if (closed) {
        shut(conn.socket); // close() came while connecting: nothing may stay open
        checkOpen();
      }
      current = conn;
    }
    throwIfAborted(signal);
    return exchange(current, payload, requestTimeout, signal);
  }

  /** Runs requests one at a time; one aborted while queued leaves at once but frees its turn only in order. */
  function request(payload: unknown, signal: AbortSignal | undefined): Promise<unknown> {
    const previous = tail;
    let release!: () => void;
    tail = new Promise<void>((r) => {
      release = r;
    });
    let started = false;
    const run = async () => {
      checkOpen();
      await untilOrAbort(previous, signal);
      throwIfAborted(signal);
      checkOpen(); // close() came while this request waited its turn
      started = true;
      return once(payload, signal);
    };
    return run()
      .catch((e: unknown) => {
        // a request cut off by close() says so, not that NCALayer stopped
        if (closed && e instanceof ProviderUnavailableError)
          throw new ProviderUnavailableError('not-running', ADAPTER_CLOSED);
        throw e;
      })
      .finally(() => (started ? release() : void previous.then(release)));
  }

  return {
    request,
    close() {
      closed = true;
      if (current) {
        current.closed = true;
        shut(current.socket);
        deliver(current, { type: 'closed' }); // the request in flight rejects now
      }
      if (connecting) shut(connecting);
      current = undefined;
      connecting = undefined;
    },
  };
}

/** Waits for `turn`, or rejects as soon as `signal` aborts. */
function untilOrAbort(turn: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  throwIfAborted(signal);
  if (!signal) return turn;
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    void turn.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Replies

/** A server text made safe to show: no control characters, at most {@link MAX_MESSAGE} characters. */
function sanitise(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return clean.length > MAX_MESSAGE ? `${clean.slice(0, MAX_MESSAGE)}…` : clean;
}

function parseReply(data: unknown): Record<string, unknown> {
  if (typeof data !== 'string' || data.length > MAX_REPLY)
    throw new ProviderError('NCALayer sent a reply that is not text');
  try {
    const reply: unknown = JSON.parse(data);
    if (reply !== null && typeof reply === 'object' && !Array.isArray(reply)) return reply as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new ProviderError('NCALayer sent a reply that is not a JSON object');
}

/** commonUtils: `{"code":"200","responseObject":…}`, `{"code":"500","message":…}` (`action.canceled`: the user). */
function commonResult(data: unknown): unknown {
  const reply = parseReply(data);
  if (reply.code === '200') return reply.responseObject;
  if (reply.message === 'action.canceled') throw new UserCancelledError();
  throw new ProviderError(`NCALayer: ${sanitise(`${String(reply.code)}: ${String(reply.message ?? '')}`)}`);
}

/** basics: `{"status":true,"body":{"result":…}}`; no result: cancelled; `status:false`: code, message, details. */
function basicsResult(data: unknown): unknown {
  const reply = parseReply(data);
  if (!('status' in reply)) return commonResult(data);
  const body = reply.body as { result?: unknown } | undefined;
  if (reply.status === true) {
    if (body === null || typeof body !== 'object' || !('result' in body)) throw new UserCancelledError();
    return body.result;
  }
  const details = reply.details === undefined ? '' : ` (${String(reply.details)})`;
  throw new ProviderError(`NCALayer: ${sanitise(`${String(reply.code)}: ${String(reply.message ?? '')}${details}`)}`);
}

/** The single result of a call that may answer with an array (basics answers XML as one). */
function single(result: unknown): unknown {
  return Array.isArray(result) && result.length === 1 ? result[0] : result;
}

/**
 * PEM (basics) or Base64 DER (commonUtils) CMS → DER, through {@link checkContainer}: shape, content,
 * messageDigest and signature (not for a Kazakh GOST 34.310 key, which @eds/core cannot verify).
 */
async function cmsFromResult(result: unknown, data: Uint8Array, detached: boolean): Promise<Uint8Array> {
  const text = single(result);
  if (typeof text !== 'string' || text.length === 0) throw new ProviderError('NCALayer returned no CMS');
  return checkContainer(text, data, { detached, provider: PROVIDER, unknownAlgorithms: 'skip' });
}

/** The signed XML: it must parse (@eds/core parseXml) and hold a ds:Signature; verification is verifyXml's. */
function xmlFromResult(result: unknown): string {
  const text = single(result);
  if (typeof text !== 'string') throw new ProviderError('NCALayer returned no signed XML');
  let doc: ReturnType<typeof parseXml>;
  try {
    doc = parseXml(text);
  } catch (cause) {
    throw new ProviderError('NCALayer returned XML that does not parse', { cause });
  }
  if (findElements(doc, DSIG_NS, 'Signature').length === 0) {
    throw new ProviderError('NCALayer returned XML without a ds:Signature');
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// The adapter

function storageOf(ref: TokenRef): string {
  if (ref?.provider !== PROVIDER || typeof ref.tokenId !== 'string' || !STORAGE_NAME.test(ref.tokenId)) {
    throw new TokenNotPresentError();
  }
  return ref.tokenId;
}

function tokenInfo(storage: string): TokenInfo {
  return {
    provider: PROVIDER,
    tokenId: storage,
    label: NCALAYER_STORAGES[storage] ?? storage,
    present: true,
    loggedIn: 'unknown',
    pin: { state: 'unknown' },
    protectedAuthPath: false,
  };
}

/** getKeyInfo's answer → one certificate entry; keyId from its `keyId` (hex) or the certificate's SHA-1. */
function entryFromKeyInfo(storage: string, info: unknown): CertificateEntry {
  const o = (info ?? {}) as Record<string, unknown>;
  if (typeof o.pem !== 'string') throw new ProviderError('NCALayer getKeyInfo returned no certificate');
  const certificate = toDer(o.pem, { labels: ['CERTIFICATE'] });
  const cert = parseCertificate(certificate);
  const keyId =
    typeof o.keyId === 'string' && /^[0-9A-Fa-f]{2,256}$/.test(o.keyId)
      ? o.keyId.toLowerCase()
      : cert.fingerprintHex('sha1');
  const label = typeof o.alias === 'string' && o.alias ? o.alias : undefined;
  return {
    key: { provider: PROVIDER, tokenId: storage, keyId },
    certificate,
    keyAlgorithm: keyAlgorithmOfCertificate(certificate),
    hasPrivateKey: true,
    label: label === undefined ? undefined : sanitise(label),
    storage,
  };
}

/**
 * Creates an adapter for NCALayer, the signing bridge of Kazakhstan's NCA (WebSocket on
 * wss://127.0.0.1:13579; tokens.md §5.3). Works in browsers and in Node (pass `ws`'s WebSocket on
 * Node 20). NCALayer builds the containers itself and picks the key in its own dialog, where it also
 * asks for the password: there is no raw signature, no PIN counter and no caller login (`login` and
 * `logout` resolve and do nothing; a PIN given anywhere is ignored). Tokens are storage types
 * (`getActiveTokens`, plus PKCS12 which is always offered); `listCertificates` shows NCALayer's
 * dialog and returns the one certificate the user chose. Requests carry no id, so they go one at a
 * time on one connection; an aborted or timed-out request closes the socket and the next one
 * reconnects. `close()` is terminal: the socket (also one still connecting) is closed, the request
 * in flight and the queued ones reject, later calls reject, and nothing keeps a Node process alive.
 *
 * Checks of what NCALayer returns: every CMS goes through the SDK's container check (it parses,
 * is attached or detached as asked, carries `data`, each messageDigest is the hash of `data` and
 * each signature verifies with its certificate in the CMS). Limitation: a signer whose certificate
 * key is Kazakh GOST 34.310, which @eds/core does not implement, gets the shape, content and (where
 * its digest is known) messageDigest checks but no signature check. Signed XML is only parsed and must hold a
 * ds:Signature: verifying it needs a trust store, so call @eds/verify `verifyXml` on it. Keys the
 * SDK does not sign with itself (Kazakh GOST) are listed with `keyAlgorithm.kind === 'other'`
 * (NCALayer signs them; no SDK scheme is needed).
 *
 * @throws {ProviderUnavailableError} `not-running` (refused, closed before a reply; in a browser also
 *   an untrusted local certificate, which it cannot tell apart), `certificate-untrusted` (where the
 *   runtime names the TLS error), `timeout`, `unsupported-runtime` (no WebSocket).
 * @throws {UserCancelledError} the user closed NCALayer's dialog.
 * @throws {MechanismNotSupportedError} `sign` (raw signatures), CAdES-XLT1 or a TSA URL.
 * @throws {ProviderError} NCALayer's own failures (its message, sanitised and at most 300 characters),
 *   or an answer that is not the CMS or XML asked for.
 * @throws {TokenNotPresentError} a storage NCALayer does not report now, or a TokenRef of another provider.
 * @throws {ProviderUnavailableError} `not-running` with "the NCALayer adapter is closed" after `close()`.
 * @throws the signal's reason when an operation's `signal` aborts.
 * @example
 * ```ts
 * const nca = createNcaLayerAdapter();
 * const [storage] = await nca.listTokens();
 * const p7s = await nca.signCms(storage, documentBytes, { detached: true });
 * await nca.close();
 * ```
 */
export function createNcaLayerAdapter(options: NcaLayerAdapterOptions = {}): NcaLayerAdapter {
  const transport = createTransport(options);
  const api = options.api ?? 'basics';
  const keyType = options.keyType ?? 'SIGNATURE';
  const common = async (method: string, args: unknown[] | undefined, signal: AbortSignal | undefined) =>
    commonResult(await transport.request({ module: COMMON, method, ...(args ? { args } : {}) }, signal));
  const basics = async (args: Record<string, unknown>, signal: AbortSignal | undefined) =>
    basicsResult(
      await transport.request(
        {
          module: BASICS,
          method: 'sign',
          args: {
            ...args,
            signerParams: { extKeyUsageOids: [...(options.extKeyUsageOids ?? [])] },
            locale: options.locale ?? 'ru',
          },
        },
        signal,
      ),
    );

  async function listTokens(o: OpOptions = {}): Promise<TokenInfo[]> {
    const active = await common('getActiveTokens', undefined, o.signal);
    if (!Array.isArray(active)) throw new ProviderError('NCALayer getActiveTokens returned no list');
    const names = active.filter((s): s is string => typeof s === 'string' && STORAGE_NAME.test(s));
    return [...new Set(['PKCS12', ...names])].map(tokenInfo);
  }

  async function signCms(key: KeyRef | TokenRef, data: Uint8Array, o: ContainerCmsOptions): Promise<Uint8Array> {
    throwIfAborted(o.signal);
    const storage = storageOf(key);
    if (!(data instanceof Uint8Array)) throw new TypeError('signCms: data must be a Uint8Array');
    if (o.tsaUrl !== undefined)
      throw new MechanismNotSupportedError({ message: 'NCALayer uses its own TSA: no tsaUrl' });
    const level = o.level ?? 'BES';
    if (level === 'XLT1' || (level === 'T' && api === 'commonUtils')) {
      throw new MechanismNotSupportedError({ message: `NCALayer ${api} makes no CAdES-${level}` });
    }
    const result =
      api === 'commonUtils'
        ? await common('createCAdESFromBase64', [storage, keyType, base64Encode(data), !o.detached], o.signal)
        : await basics(
            {
              allowedStorages: [storage],
              format: 'cms',
              data: base64Encode(data),
              signingParams: {
                decode: true,
                encapsulate: !o.detached,
                digested: false,
                ...(level === 'T' ? { tsaProfile: {} } : {}),
              },
            },
            o.signal,
          );
    throwIfAborted(o.signal);
    const der = await cmsFromResult(result, data, o.detached);
    throwIfAborted(o.signal);
    return der;
  }

  async function signXml(key: KeyRef | TokenRef, xml: string, o: ContainerXmlOptions = {}): Promise<string> {
    throwIfAborted(o.signal);
    const storage = storageOf(key);
    if (typeof xml !== 'string') throw new TypeError('signXml: xml must be a string');
    const tbs = o.signedElementXPath ?? '';
    const parent = o.signatureParentXPath ?? '';
    const result =
      api === 'commonUtils' || tbs || parent
        ? await common('signXml', [storage, keyType, xml, tbs, parent], o.signal)
        : await basics({ allowedStorages: [storage], format: 'xml', data: xml, signingParams: {} }, o.signal);
    throwIfAborted(o.signal);
    return xmlFromResult(result);
  }

  return Object.freeze({
    provider: PROVIDER,
    capabilities: CAPABILITIES,
    listTokens,
    async getTokenInfo(token: TokenRef, o: OpOptions = {}) {
      const storage = storageOf(token);
      const found = (await listTokens(o)).find((t) => t.tokenId === storage);
      if (!found) throw new TokenNotPresentError();
      return found;
    },
    async login(token: TokenRef, _pin: string | undefined, o: OpOptions = {}) {
      throwIfAborted(o.signal);
      storageOf(token); // NCALayer asks for the password in its own dialog, on every signature
    },
    async logout(token: TokenRef, o: OpOptions = {}) {
      throwIfAborted(o.signal);
      storageOf(token);
    },
    async listCertificates(token: TokenRef, o: OpOptions = {}) {
      const storage = storageOf(token);
      const info = await common('getKeyInfo', [storage], o.signal);
      throwIfAborted(o.signal);
      return [entryFromKeyInfo(storage, info)];
    },
    async sign() {
      throw new MechanismNotSupportedError({
        message: 'NCALayer makes no raw signatures: use signCms or signXml (capabilities.rawSign is false)',
      });
    },
    signCms,
    signXml,
    async close() {
      transport.close();
    },
  });
}
