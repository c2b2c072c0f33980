// The network boundary (ARCHITECTURE.md, "Security posture"): every download of revocation data
// and every TSA request goes through a Fetcher (AIA caIssuers links are not followed) with a protocol
// check, a caller-supplied host policy, a time limit, a size limit and an offline switch.
import { EdsError } from './errors';

/**
 * Why a fetch was refused or failed. Stable codes:
 * `ERR_FETCH_OFFLINE`, `ERR_FETCH_PROTOCOL`, `ERR_FETCH_HOST_DENIED`, `ERR_FETCH_TIMEOUT`,
 * `ERR_FETCH_ABORTED`, `ERR_FETCH_TOO_LARGE`, `ERR_FETCH_STATUS`, `ERR_FETCH_REDIRECT`,
 * `ERR_FETCH_NETWORK`.
 */
export type FetchErrorCode =
  | 'ERR_FETCH_OFFLINE'
  | 'ERR_FETCH_PROTOCOL'
  | 'ERR_FETCH_HOST_DENIED'
  | 'ERR_FETCH_TIMEOUT'
  | 'ERR_FETCH_ABORTED'
  | 'ERR_FETCH_TOO_LARGE'
  | 'ERR_FETCH_STATUS'
  | 'ERR_FETCH_REDIRECT'
  | 'ERR_FETCH_NETWORK';

/**
 * A download was refused by policy or failed. `url` is the address asked for; `status` the
 * HTTP status when one was received.
 *
 * @example
 * ```ts
 * try { await fetcher.fetch(url); } catch (e) {
 *   if (e instanceof FetchError && e.code === 'ERR_FETCH_TIMEOUT') { ... }
 * }
 * ```
 */
export class FetchError extends EdsError {
  declare readonly code: FetchErrorCode;
  readonly url: string;
  readonly status: number | undefined;

  constructor(code: FetchErrorCode, url: string, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(code, `${message} (${url})`, { cause: options.cause });
    this.url = url;
    this.status = options.status;
  }
}

/** A request: GET by default, POST when a body is given (OCSP, RFC 6960 App. A.1; TSA, RFC 3161 §3.4). */
export interface FetchRequest {
  body?: Uint8Array;
  /** Content type of the body, e.g. `application/ocsp-request`. */
  contentType?: string;
  /** Accept header. */
  accept?: string;
  signal?: AbortSignal;
}

/** A successful (2xx) response with its body read in full. */
export interface FetchResponse {
  /** The final URL after redirects. */
  url: string;
  status: number;
  contentType: string | undefined;
  body: Uint8Array;
}

/** What verification and timestamping use to reach the network. Create one with {@link createFetcher}. */
export interface Fetcher {
  fetch(url: string, request?: FetchRequest): Promise<FetchResponse>;
}

export interface FetcherOptions {
  /** The platform fetch to use (default `globalThis.fetch`); inject one for tests or proxies. */
  fetch?: typeof globalThis.fetch;
  /** Refuse every request: verification then uses embedded and cached data only. */
  offline?: boolean;
  /** Time limit per request including the body, in milliseconds (default 10,000). */
  timeoutMs?: number;
  /** Largest response body accepted, in bytes (default 16 MiB; large CRLs exist). */
  maxBytes?: number;
  /** Redirects followed, each checked against the policy (default 3; 0 refuses redirects). */
  maxRedirects?: number;
  /** Decides per URL whether the host may be contacted (default: any host). */
  hostPolicy?: (url: URL) => boolean;
  /** Allowed protocols (default `http:` and `https:`; CRL and OCSP are usually plain HTTP). */
  protocols?: readonly string[];
}

/**
 * Creates a Fetcher that enforces protocols, a host policy, a timeout, a size limit and an
 * offline mode. The body is streamed and the request aborted as soon as it passes `maxBytes`,
 * so a hostile server cannot exhaust memory. Redirects are followed by hand so that each hop
 * passes the same checks; where the runtime hides redirect targets (browsers), a redirect is
 * reported as `ERR_FETCH_REDIRECT`.
 *
 * @throws RangeError for a non-positive timeout or size limit.
 * @example
 * ```ts
 * const fetcher = createFetcher({
 *   timeoutMs: 5000,
 *   hostPolicy: (url) => url.hostname.endsWith('.example.ru'),
 * });
 * const crl = await fetcher.fetch('http://ca.example.ru/ca.crl');
 * ```
 */
export function createFetcher(options: FetcherOptions = {}): Fetcher {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
  const maxRedirects = options.maxRedirects ?? 3;
  if (!(timeoutMs > 0)) throw new RangeError('timeoutMs must be positive');
  if (!(maxBytes > 0)) throw new RangeError('maxBytes must be positive');
  if (!(maxRedirects >= 0)) throw new RangeError('maxRedirects must not be negative');
  const protocols = options.protocols ?? ['http:', 'https:'];
  const hostPolicy = options.hostPolicy ?? (() => true);
  const platformFetch = options.fetch ?? ((...args) => globalThis.fetch(...args));

  function check(url: string): URL {
    if (options.offline) throw new FetchError('ERR_FETCH_OFFLINE', url, 'network access is off');
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (cause) {
      throw new FetchError('ERR_FETCH_PROTOCOL', url, 'not a valid URL', { cause });
    }
    if (!protocols.includes(parsed.protocol)) {
      throw new FetchError('ERR_FETCH_PROTOCOL', url, `protocol ${parsed.protocol} is not allowed`);
    }
    if (!hostPolicy(parsed)) throw new FetchError('ERR_FETCH_HOST_DENIED', url, 'host refused by policy');
    return parsed;
  }

  return {
    async fetch(url, request = {}) {
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
      let target = check(url);
      for (let hops = 0; ; hops++) {
        const response = await send(platformFetch, target, request, signal, url);
        if (response.type === 'opaqueredirect') {
          throw new FetchError('ERR_FETCH_REDIRECT', target.href, 'redirect cannot be followed in this runtime');
        }
        if (response.status >= 300 && response.status < 400) {
          await response.body?.cancel();
          const location = response.headers.get('location');
          if (!location) throw new FetchError('ERR_FETCH_REDIRECT', target.href, 'redirect without Location');
          if (hops >= maxRedirects) {
            throw new FetchError('ERR_FETCH_REDIRECT', target.href, `more than ${maxRedirects} redirects`);
          }
          target = check(new URL(location, target).href);
          continue;
        }
        if (response.status < 200 || response.status >= 300) {
          await response.body?.cancel();
          throw new FetchError('ERR_FETCH_STATUS', target.href, `HTTP status ${response.status}`, {
            status: response.status,
          });
        }
        const body = await readLimited(response, maxBytes, signal, target.href);
        return {
          url: target.href,
          status: response.status,
          contentType: response.headers.get('content-type') ?? undefined,
          body,
        };
      }
    },
  };
}

async function send(
  platformFetch: typeof globalThis.fetch,
  target: URL,
  request: FetchRequest,
  signal: AbortSignal,
  original: string,
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (request.contentType) headers['content-type'] = request.contentType;
  if (request.accept) headers.accept = request.accept;
  try {
    return await platformFetch(target.href, {
      method: request.body ? 'POST' : 'GET',
      headers,
      // A copy: fetch takes ArrayBuffer-backed bytes only, and the caller keeps its buffer.
      body: request.body ? new Uint8Array(request.body) : undefined,
      redirect: 'manual',
      signal,
      credentials: 'omit',
    });
  } catch (cause) {
    throw abortError(signal, original) ?? new FetchError('ERR_FETCH_NETWORK', target.href, 'network error', { cause });
  }
}

function abortError(signal: AbortSignal, url: string): FetchError | undefined {
  if (!signal.aborted) return undefined;
  const reason: unknown = signal.reason;
  const timedOut = reason instanceof DOMException && reason.name === 'TimeoutError';
  return timedOut
    ? new FetchError('ERR_FETCH_TIMEOUT', url, 'timed out', { cause: reason })
    : new FetchError('ERR_FETCH_ABORTED', url, 'aborted by the caller', { cause: reason });
}

async function readLimited(
  response: Response,
  maxBytes: number,
  signal: AbortSignal,
  url: string,
): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new FetchError('ERR_FETCH_TOO_LARGE', url, `response of ${declared} bytes exceeds ${maxBytes}`);
  }
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  // A body that stalls must not outlive the deadline: cancelling ends the pending read, and
  // the aborted signal then turns the short read into an error rather than a truncated body.
  const onAbort = () => void reader.cancel(signal.reason).catch(() => {});
  signal.addEventListener('abort', onAbort, { once: true });
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      if (signal.aborted) throw signal.reason;
      const { done, value } = await reader.read();
      if (signal.aborted) throw signal.reason;
      if (done) break;
      size += value.length;
      if (size > maxBytes) {
        await reader.cancel();
        throw new FetchError('ERR_FETCH_TOO_LARGE', url, `response exceeds ${maxBytes} bytes`);
      }
      chunks.push(value);
    }
  } catch (cause) {
    if (cause instanceof FetchError) throw cause;
    throw abortError(signal, url) ?? new FetchError('ERR_FETCH_NETWORK', url, 'body read failed', { cause });
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.length;
  }
  return body;
}
