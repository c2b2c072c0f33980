// The verification service: node:http with POST /verify (multipart/form-data or JSON, CMS/CAdES or XML signatures, checked by @eds/verify) and GET /health.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CmsContent } from '@eds/core/cms';
import type { Fetcher } from '@eds/core/fetcher';
import { parseSignedData } from '@eds/core/signed-data';
import { formatReport } from '@eds/verify/format';
import type { VerificationReport } from '@eds/verify/report';
import type { RevocationData, RevocationMode, TrustStore } from '@eds/verify/types';
import { verify } from '@eds/verify/verify';
import { verifyXml } from '@eds/verify/verify-xml';
import { boundaryOf, MultipartError, parseMultipart } from './multipart.ts';

/** Options of {@link createVerifyService}. Only `trust` is required. */
export interface VerifyServiceOptions {
  /** The CA roots signatures must chain to. */
  readonly trust: TrustStore;
  /** Revocation policy (default `require`: no revocation data is INDETERMINATE, never a pass). */
  readonly revocation?: RevocationMode | undefined;
  /** CRLs and OCSP responses given at start (offline use); embedded ones are used too. */
  readonly revocationData?: RevocationData | undefined;
  /** CA certificates (not trusted) to build paths from, e.g. for XML signatures that carry only the signer's certificate. */
  readonly intermediates?: readonly Uint8Array[] | undefined;
  /** Fetches OCSP and CRLs; without one the service is offline. */
  readonly fetcher?: Fetcher | undefined;
  /** Largest document, attached signature or signed XML, in bytes (default 50 MiB). */
  readonly maxDocumentBytes?: number | undefined;
  /** Largest detached signature, in bytes (default 1 MiB). */
  readonly maxSignatureBytes?: number | undefined;
  /** Time for one request from its first byte to the answer, in milliseconds (default 120 s). */
  readonly requestTimeoutMs?: number | undefined;
  /** Verifications at the same time; more get 503 (default 4). */
  readonly maxConcurrent?: number | undefined;
  /** Receives one line per request (default: standard output). */
  readonly log?: ((line: string) => void) | undefined;
}

/** A service made by {@link createVerifyService}: the node:http server, not yet listening. */
export interface VerifyService {
  readonly server: Server;
  /** Listens on `host:port` (port 0: a free one) and resolves with the address. */
  listen(port?: number, host?: string): Promise<{ readonly url: string; readonly port: number }>;
  /** Stops accepting connections, lets running requests finish for `graceMs` (default 10 s), then cuts the rest. */
  close(graceMs?: number): Promise<void>;
}

/** The body of a 200 answer to POST /verify. */
export interface VerifyResponse {
  readonly indication: VerificationReport['indication'];
  readonly subIndication?: VerificationReport['subIndication'];
  /** The JSON report of @eds/verify. */
  readonly report: VerificationReport;
  /** The report rendered for a person by formatReport. */
  readonly summary: { readonly ru: string; readonly en: string };
}

/** A refusal with its HTTP status and a stable code; the message is for the client. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const MiB = 1 << 20;
/** Room for multipart headers and boundaries, or JSON syntax, besides the payload. */
const OVERHEAD = 64 << 10;
const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

interface Settings {
  readonly maxDocument: number;
  readonly maxSignature: number;
  readonly verifyWith: Pick<
    VerifyServiceOptions,
    'trust' | 'revocation' | 'revocationData' | 'fetcher' | 'intermediates'
  >;
}

function tooLarge(what: string, max: number): HttpError {
  return new HttpError(413, 'PAYLOAD_TOO_LARGE', `the ${what} is larger than ${max} bytes`);
}

function badRequest(message: string): HttpError {
  return new HttpError(400, 'BAD_REQUEST', message);
}

/** The stream, failing with 413 once more than `max` bytes have passed. */
async function* limited(source: AsyncIterable<Uint8Array>, max: number, what: string): AsyncGenerator<Uint8Array> {
  let seen = 0;
  for await (const chunk of source) {
    seen += chunk.length;
    if (seen > max) throw tooLarge(what, max);
    yield chunk;
  }
}

/**
 * A plain Uint8Array over a Buffer's bytes. A Buffer's `slice()` does not copy, and code written
 * for Uint8Array may rely on it copying (parseSignedData re-tags a slice of its input).
 */
function plain(bytes: Buffer): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

async function readAll(source: AsyncIterable<Uint8Array>, max: number, what: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of limited(source, max, what)) chunks.push(chunk);
  return plain(Buffer.concat(chunks));
}

/** An XML document (after an optional BOM and white space, `<`) rather than DER, PEM or Base64 CMS. */
function looksLikeXml(bytes: Uint8Array): boolean {
  const head = new TextDecoder().decode(bytes.subarray(0, 256));
  return head
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('<');
}

/** Whether a CMS signature carries its content; 400 when it is not a SignedData at all. */
function isAttached(signature: Uint8Array): boolean {
  try {
    return parseSignedData(signature).content !== undefined;
  } catch (e) {
    throw new HttpError(
      400,
      'SIGNATURE_UNREADABLE',
      `the signature is neither CMS SignedData nor XML: ${(e as Error).message}`,
    );
  }
}

/** Verifies what was received: an XML signature, an attached CMS, or a detached CMS with its content. */
async function check(
  s: Settings,
  signature: Uint8Array,
  content: CmsContent | undefined,
  signal: AbortSignal,
): Promise<VerificationReport> {
  if (looksLikeXml(signature)) {
    if (content !== undefined) throw badRequest('an XML signature carries its document: send it alone');
    const { report } = await verifyXml({ ...s.verifyWith, xml: signature, signal });
    if (report.signatures.length === 0) {
      // not a signed XML at all: a request error, not a verdict
      const detail = report.checks.find((c) => c.detail)?.detail ?? report.subIndication ?? 'no signature';
      throw new HttpError(400, 'SIGNATURE_UNREADABLE', `the XML holds no signature that can be checked: ${detail}`);
    }
    return report;
  }
  const attached = isAttached(signature);
  if (attached && content !== undefined)
    throw badRequest('the signature is attached (it contains the document): send it without a document');
  if (!attached && content === undefined) throw badRequest('the signature is detached: send the document too');
  if (!attached && signature.length > s.maxSignature) throw tooLarge('detached signature', s.maxSignature);
  return verify({ ...s.verifyWith, signature, content, signal });
}

/**
 * multipart/form-data with the parts `signature` and `document`. A document that comes after a
 * detached CMS signature is streamed into the verifier (hashed as it arrives); otherwise it is
 * held until the signature has arrived.
 */
async function fromMultipart(
  s: Settings,
  body: AsyncIterable<Uint8Array>,
  boundary: string,
  signal: AbortSignal,
): Promise<VerificationReport> {
  let signature: Uint8Array | undefined;
  let document: Uint8Array | undefined;
  let report: VerificationReport | undefined;
  const seen = new Set<string>();
  for await (const part of parseMultipart(body, boundary, { maxParts: 2 })) {
    if (part.name !== 'signature' && part.name !== 'document')
      throw badRequest(`unknown part "${part.name.slice(0, 64)}" (expected signature and document)`);
    if (seen.has(part.name)) throw badRequest(`the part "${part.name}" appears twice`);
    seen.add(part.name);
    if (part.name === 'signature') signature = await readAll(part.body, s.maxDocument, 'signature');
    else if (signature !== undefined && !looksLikeXml(signature) && !isAttached(signature))
      report = await check(s, signature, limited(part.body, s.maxDocument, 'document'), signal);
    else document = await readAll(part.body, s.maxDocument, 'document');
  }
  if (report) return report;
  if (signature === undefined) {
    // a signed XML or an attached CMS may come as the only part, named document
    if (document === undefined) throw badRequest('no signature part');
    return check(s, document, undefined, signal);
  }
  return check(s, signature, document, signal);
}

/** Base64 characters with at most two `=` at the end; the length rule is checked apart (no backtracking on megabytes). */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function isBase64(text: string): boolean {
  const padded = text.endsWith('=');
  return BASE64.test(text) && text.length % 4 !== 1 && (!padded || text.length % 4 === 0);
}

function base64Field(value: unknown, field: string, max: number): Uint8Array {
  if (typeof value !== 'string') throw badRequest(`"${field}" must be a Base64 string`);
  const text = value.replace(/\s+/g, '');
  if (!isBase64(text)) throw badRequest(`"${field}" is not valid Base64`);
  if (Math.floor((text.length * 3) / 4) > max + 2) throw tooLarge(field, max);
  const bytes = plain(Buffer.from(text, 'base64'));
  if (bytes.length > max) throw tooLarge(field, max);
  return bytes;
}

/** application/json: `{ "signature": Base64, "document"?: Base64 }`, read whole within the limits. */
async function fromJson(
  s: Settings,
  body: AsyncIterable<Uint8Array>,
  signal: AbortSignal,
): Promise<VerificationReport> {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(await readAll(body, jsonLimit(s), 'request'));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw badRequest(`the body is not JSON: ${(e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw badRequest('the body must be a JSON object');
  const fields = value as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((k) => k !== 'signature' && k !== 'document');
  if (unknown.length > 0)
    throw badRequest(`unknown field "${unknown[0]?.slice(0, 64)}" (expected signature and document)`);
  const signature = base64Field(fields.signature, 'signature', s.maxDocument);
  const document = fields.document === undefined ? undefined : base64Field(fields.document, 'document', s.maxDocument);
  return check(s, signature, document, signal);
}

function jsonLimit(s: Settings): number {
  return Math.ceil((s.maxDocument * 4) / 3) * 2 + OVERHEAD;
}

function send(res: ServerResponse, status: number, body: unknown, close = false): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(text);
}

function errorBody(e: HttpError): unknown {
  return { error: { code: e.code, message: e.message } };
}

/** Counts the request's bytes for the log. */
async function* counted(source: AsyncIterable<Uint8Array>, into: { bytes: number }): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    into.bytes += chunk.length;
    yield chunk;
  }
}

/** The answer to POST /verify, or an HttpError. */
async function verifyRequest(
  s: Settings,
  req: IncomingMessage,
  signal: AbortSignal,
  stats: { bytes: number },
): Promise<VerifyResponse> {
  const type = req.headers['content-type'] ?? '';
  const total = s.maxDocument + s.maxSignature + OVERHEAD;
  const isJson = /^application\/json\s*(;|$)/i.test(type);
  let boundary: string | undefined;
  try {
    boundary = boundaryOf(type);
  } catch (e) {
    throw badRequest((e as Error).message);
  }
  if (boundary === undefined && !isJson)
    throw new HttpError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'send multipart/form-data (signature, document) or application/json',
    );
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  const max = isJson ? jsonLimit(s) : total;
  if (declared > max) throw tooLarge('request', max);
  const body = limited(counted(req, stats), max, 'request');
  let report: VerificationReport;
  try {
    report = boundary === undefined ? await fromJson(s, body, signal) : await fromMultipart(s, body, boundary, signal);
  } catch (e) {
    if (e instanceof MultipartError) throw badRequest(e.message);
    throw e;
  }
  return {
    indication: report.indication,
    subIndication: report.subIndication,
    report,
    summary: { ru: formatReport(report, { lang: 'ru' }), en: formatReport(report, { lang: 'en' }) },
  };
}

/** Rejects when `signal` aborts. */
function whenAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () =>
      reject(
        signal.reason instanceof HttpError
          ? signal.reason
          : new HttpError(503, 'TIMEOUT', 'the request did not finish in time'),
      );
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

/**
 * Creates the verification service (node:http, not yet listening): `POST /verify` with
 * multipart/form-data (`signature`, and `document` for a detached signature; the document is
 * hashed as it streams when it comes after the signature) or JSON (`{ signature, document? }`
 * in Base64); CMS/CAdES is checked by `verify()`, a signed XML by `verifyXml()`. Answers 200
 * with the report and its Russian and English summaries whatever the verdict; 400 for a
 * malformed request, 413 past a size limit, 415 for another content type, 503 when busy or out
 * of time. `GET /health` answers `{ status: "ok", version }`. Each request logs one line
 * (method, path, status, bytes, time, indication), never document contents.
 *
 * @throws RangeError for a non-positive limit.
 * @example
 * ```ts
 * const service = createVerifyService({ trust: createTrustStore(rootsPem), fetcher: createFetcher() });
 * const { url } = await service.listen(8080, '127.0.0.1');
 * process.on('SIGTERM', () => void service.close());
 * ```
 */
export function createVerifyService(options: VerifyServiceOptions): VerifyService {
  const s: Settings = {
    maxDocument: options.maxDocumentBytes ?? 50 * MiB,
    maxSignature: options.maxSignatureBytes ?? MiB,
    verifyWith: {
      trust: options.trust,
      revocation: options.revocation ?? 'require',
      revocationData: options.revocationData,
      intermediates: options.intermediates,
      fetcher: options.fetcher,
    },
  };
  const timeoutMs = options.requestTimeoutMs ?? 120_000;
  const maxConcurrent = options.maxConcurrent ?? 4;
  for (const [name, v] of Object.entries({
    maxDocumentBytes: s.maxDocument,
    maxSignatureBytes: s.maxSignature,
    timeoutMs,
    maxConcurrent,
  }))
    if (!(v > 0)) throw new RangeError(`${name} must be positive`);
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  let active = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const stats = { bytes: 0 };
    const entry: Record<string, unknown> = { method: req.method, path };
    try {
      if (path === '/health') {
        if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'use GET');
        send(res, 200, { status: 'ok', version: VERSION });
      } else if (path === '/verify') {
        if (req.method !== 'POST') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'use POST');
        if (active >= maxConcurrent) throw new HttpError(503, 'BUSY', 'too many verifications at once; retry later');
        active++;
        // the slot is freed when the verification ends, not when a timeout answers the client
        const answer = await runBounded(
          res,
          (signal) => verifyRequest(s, req, signal, stats),
          () => active--,
        );
        entry.indication = answer.indication;
        send(res, 200, answer);
      } else throw new HttpError(404, 'NOT_FOUND', 'no such endpoint (POST /verify, GET /health)');
    } catch (e) {
      const known = e instanceof HttpError ? e : undefined;
      if (!known) entry.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      else entry.error = known.code;
      const error = known ?? new HttpError(500, 'INTERNAL', 'internal error');
      if (error.status === 405) res.setHeader('allow', path === '/health' ? 'GET, HEAD' : 'POST');
      if (error.status === 503) res.setHeader('retry-after', '1');
      // the body may be left unread: close the connection rather than read the rest
      send(res, error.status, errorBody(error), !req.complete);
    } finally {
      log(
        JSON.stringify({
          time: new Date(started).toISOString(),
          ...entry,
          status: res.statusCode,
          bytes: stats.bytes,
          ms: Date.now() - started,
        }),
      );
    }
  }

  /** Runs the work under the request time limit; a client that goes away aborts it. */
  async function runBounded<T>(
    res: ServerResponse,
    work: (signal: AbortSignal) => Promise<T>,
    done: () => void,
  ): Promise<T> {
    const gone = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) gone.abort(new HttpError(499, 'CLIENT_CLOSED', 'the client went away'));
    });
    const signal = AbortSignal.any([gone.signal, AbortSignal.timeout(timeoutMs)]);
    const running = work(signal);
    running.then(done, done); // settled below, or abandoned after a timeout and still running
    return Promise.race([running, whenAborted(signal)]);
  }

  const server = createServer(
    { requestTimeout: timeoutMs + 5_000, headersTimeout: Math.min(15_000, timeoutMs), keepAliveTimeout: 5_000 },
    (req, res) => {
      void handle(req, res);
    },
  );
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });

  return {
    server,
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve({ url: `http://${shown}:${address.port}`, port: address.port });
        });
      });
    },
    close(graceMs = 10_000) {
      return new Promise((resolve) => {
        const cut = setTimeout(() => server.closeAllConnections(), graceMs);
        cut.unref();
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}

/**
 * Creates the service and listens: `port` 0 (the default) picks a free one, `host` defaults to
 * 127.0.0.1.
 *
 * @throws the errors of {@link createVerifyService} and of listening (EADDRINUSE, ...).
 * @example
 * ```ts
 * const running = await start({ trust, port: 0 });
 * await fetch(`${running.url}/health`);
 * await running.close();
 * ```
 */
export async function start(
  options: VerifyServiceOptions & { readonly port?: number | undefined; readonly host?: string | undefined },
): Promise<VerifyService & { readonly url: string; readonly port: number }> {
  const service = createVerifyService(options);
  const address = await service.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  return { ...service, ...address };
}
