// Internal to `eds demo`: the loopback services of the throwaway PKI over real HTTP on 127.0.0.1: an OCSP responder (RFC 6960 App. A), a CRL distribution point (RFC 5280 §4.2.1.13) and a time-stamp authority (RFC 3161 §3.4).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DerReader, decodeDer, der, TAG } from '@eds/core/asn1';
import { signCms } from '@eds/core/cms';
import { findDigest } from '@eds/core/digests';
import { base64Decode } from '@eds/core/encoding';
import { DecodeError } from '@eds/core/errors';
import type { IssuedCertificate, TestCa } from '@eds/core/testing';
import { OID_TST_INFO } from '@eds/core/tsp';

/** Largest request body read (an OCSP request or a TimeStampReq is a few hundred bytes). */
const MAX_BODY = 16 << 10;
/** Slow or stalled clients are cut off after this long. */
const REQUEST_TIMEOUT_MS = 10_000;
/** The demo TSA's policy: an arc under the test OID space used by the test toolkit (not a real policy). */
export const DEMO_TSA_POLICY = '1.2.643.100.99.1';

/** What the services answer for: the CAs by path name, and the TSA's key and certificate. */
export interface DemoAuthorities {
  /** CA by the path segment of its URLs (`/crl/<name>.crl`, `/ocsp/<name>`). */
  readonly cas: Readonly<Record<string, TestCa>>;
  readonly tsa: IssuedCertificate;
}

/** The running services: their base URLs, request counts, and the switch that stops them. */
export interface DemoServices {
  readonly ocspUrl: string;
  readonly crlUrl: string;
  readonly tsaUrl: string;
  /** Starts answering (until then every request gets 503). */
  serve(authorities: DemoAuthorities): void;
  /** Requests answered so far, by service. */
  counts(): { ocsp: number; crl: number; tsa: number };
  /** Stops all three servers and drops their connections; safe to call twice. */
  close(): Promise<void>;
}

interface Request {
  readonly method: string;
  readonly path: string;
  readonly body: Uint8Array;
}

interface Reply {
  readonly status: number;
  readonly type?: string;
  readonly body: Uint8Array | string;
}

type Handler = (request: Request, authorities: DemoAuthorities) => Promise<Reply>;

class TooLarge extends Error {}

function text(status: number, message: string): Reply {
  return { status, type: 'text/plain; charset=utf-8', body: `${message}\n` };
}

async function readBody(req: IncomingMessage): Promise<Uint8Array> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY) throw new TooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Uint8Array).length;
    if (size > MAX_BODY) throw new TooLarge();
    chunks.push(chunk as Uint8Array);
  }
  return der.concat(chunks);
}

/** A server on 127.0.0.1 with a free port; `handler` answers once `serve` has been called. */
async function listen(handler: Handler, state: { authorities?: DemoAuthorities; count: number }): Promise<Server> {
  const server = createServer((req, res) => {
    const authorities = state.authorities;
    if (!authorities) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('not ready\n');
      return;
    }
    readBody(req)
      .then((body) => {
        state.count++;
        return handler({ method: req.method ?? 'GET', path: req.url ?? '/', body }, authorities);
      })
      .catch((e: unknown) => (e instanceof TooLarge ? text(413, `request over ${MAX_BODY} bytes`) : failure(e)))
      .then((reply) => {
        const headers: Record<string, string> = { connection: 'close' };
        if (reply.type) headers['content-type'] = reply.type;
        res.writeHead(reply.status, headers).end(reply.body);
      })
      .catch(() => res.destroy());
  });
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.headersTimeout = REQUEST_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return server;
}

/** Bad input is the client's (400 with the reason); anything else is ours (500). */
function failure(e: unknown): Reply {
  if (e instanceof DecodeError || e instanceof RangeError || e instanceof TypeError) return text(400, e.message);
  return text(500, e instanceof Error ? e.message : String(e));
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function urlOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The CA a path names (`/ocsp/<name>`, `/crl/<name>.crl`), or undefined. */
function caAt(path: string, pattern: RegExp, authorities: DemoAuthorities): TestCa | undefined {
  const name = pattern.exec(path)?.[1];
  return name !== undefined && Object.hasOwn(authorities.cas, name) ? authorities.cas[name] : undefined;
}

/** OCSP over HTTP (RFC 6960 App. A.1): POST with the DER request, or GET with it Base64 in the path. */
const ocsp: Handler = async (request, authorities) => {
  const ca = caAt(request.path, /^\/ocsp\/([a-z]+)(?:\/|$)/, authorities);
  if (!ca) return text(404, 'no OCSP responder at this path');
  if (request.method !== 'POST' && request.method !== 'GET') return text(405, 'OCSP takes GET or POST');
  const type = 'application/ocsp-response';
  try {
    // GET: the request Base64 in the path, URL-encoded (RFC 6960 A.1); a query string is not part of it
    const der =
      request.method === 'POST'
        ? request.body
        : base64Decode(decodeURIComponent((request.path.split('?')[0] ?? '').split('/').slice(3).join('/')));
    decodeDer(der, 'OCSPRequest', { maxSize: MAX_BODY }).expect(TAG.SEQUENCE);
    return { status: 200, type, body: await ca.createOcspResponse({ request: der }) };
  } catch (e) {
    // a bad percent-escape is a URIError, bad Base64 a DecodeError or RangeError
    if (!(e instanceof DecodeError || e instanceof RangeError || e instanceof TypeError || e instanceof URIError))
      throw e;
    return { status: 200, type, body: await ca.createOcspResponse({ responseStatus: 'malformedRequest' }) };
  }
};

/** A fresh CRL of the CA on each GET (RFC 5280 §5, served as application/pkix-crl). */
const crl: Handler = async (request, authorities) => {
  if (request.method !== 'GET') return text(405, 'CRLs are fetched with GET');
  const ca = caAt(request.path, /^\/crl\/([a-z]+)\.crl$/, authorities);
  if (!ca) return text(404, 'no CRL at this path');
  return { status: 200, type: 'application/pkix-crl', body: await ca.createCrl() };
};

/** PKIFailureInfo bits (RFC 3161 §2.4.2). */
const BAD_ALG = 0;
const BAD_DATA_FORMAT = 5;
const UNACCEPTED_POLICY = 15;

interface TimestampRequest {
  readonly imprint: Uint8Array;
  readonly nonce: bigint | undefined;
  readonly certReq: boolean;
}

/** Reads a TimeStampReq (RFC 3161 §2.4.1); the failure bit to answer when it is refused. */
function readTimestampRequest(body: Uint8Array): TimestampRequest | number {
  try {
    const r: DerReader = decodeDer(body, 'TimeStampReq', { maxSize: MAX_BODY, maxDepth: 8 }).read();
    if (r.next(TAG.INTEGER, 'version').smallInt() !== 1) return BAD_DATA_FORMAT;
    const imprint = r.next(TAG.SEQUENCE, 'messageImprint');
    const m = imprint.read();
    const hashOid = m.next(TAG.SEQUENCE, 'hashAlgorithm').read().next(TAG.OID, 'algorithm').oid();
    const digest = m.next(TAG.OCTET_STRING, 'hashedMessage').octets();
    m.end();
    const policy = r.optional(TAG.OID, 'reqPolicy')?.oid();
    const nonce = r.optional(TAG.INTEGER, 'nonce')?.integer();
    const certReq = r.optional(TAG.BOOLEAN, 'certReq')?.bool() ?? false;
    r.optional(0xa0, 'extensions');
    r.end();
    let size: number;
    try {
      size = findDigest(hashOid).size;
    } catch {
      return BAD_ALG;
    }
    if (digest.length !== size) return BAD_DATA_FORMAT;
    if (policy !== undefined && policy !== DEMO_TSA_POLICY) return UNACCEPTED_POLICY;
    return { imprint: imprint.bytes, nonce, certReq };
  } catch (e) {
    if (e instanceof DecodeError || e instanceof RangeError) return BAD_DATA_FORMAT;
    throw e;
  }
}

/**
 * A time-stamp token (RFC 3161 §2.4.2): TSTInfo v1 with the demo policy, the request's imprint
 * and nonce, a serial and genTime (milliseconds, accuracy 1 s), signed by the TSA as CMS with
 * eContentType id-ct-TSTInfo; the TSA certificate is included when the request asked for it.
 */
async function timestampToken(tsa: IssuedCertificate, req: TimestampRequest, serial: bigint): Promise<Uint8Array> {
  const time = new Date();
  const tstInfo = der.seq(
    der.int(1),
    der.oid(DEMO_TSA_POLICY),
    req.imprint,
    der.int(serial),
    der.generalizedTime(time),
    der.seq(der.int(1)),
    ...(req.nonce === undefined ? [] : [der.int(req.nonce)]),
  );
  return signCms({
    content: tstInfo,
    contentType: OID_TST_INFO,
    signers: [tsa.signer],
    signingTime: time,
    includeCertificates: req.certReq ? 'signer' : 'none',
  });
}

/** The TSA front end (RFC 3161 §3.4): POST application/timestamp-query, answer application/timestamp-reply. */
function tsaHandler(): Handler {
  let serial = 0n;
  return async (request, authorities) => {
    if (request.method !== 'POST') return text(405, 'the TSA takes POST application/timestamp-query');
    const req = readTimestampRequest(request.body);
    const type = 'application/timestamp-reply';
    if (typeof req === 'number') {
      // PKIStatusInfo { status rejection(2), failInfo }
      return { status: 200, type, body: der.seq(der.seq(der.int(2), der.flags([req]))) };
    }
    serial += 1n;
    const token = await timestampToken(authorities.tsa, req, serial);
    return { status: 200, type, body: der.seq(der.seq(der.int(0)), token) };
  };
}

/**
 * Starts the OCSP responder, the CRL distribution point and the TSA, each on its own free port of
 * 127.0.0.1, before the PKI exists (its certificates carry their URLs); they answer once `serve`
 * is given the CAs. Request bodies are limited to 16 KiB, requests to 10 s.
 */
export async function startDemoServices(): Promise<DemoServices> {
  const states = { ocsp: { count: 0 }, crl: { count: 0 }, tsa: { count: 0 } } as Record<
    'ocsp' | 'crl' | 'tsa',
    { authorities?: DemoAuthorities; count: number }
  >;
  const servers: Server[] = [];
  const stopAll = async () => {
    await Promise.all(servers.map(close));
  };
  try {
    servers.push(await listen(ocsp, states.ocsp));
    servers.push(await listen(crl, states.crl));
    servers.push(await listen(tsaHandler(), states.tsa));
  } catch (e) {
    await stopAll();
    throw e;
  }
  const [o, c, t] = servers as [Server, Server, Server];
  let closing: Promise<void> | undefined;
  return {
    ocspUrl: `${urlOf(o)}/ocsp`,
    crlUrl: `${urlOf(c)}/crl`,
    tsaUrl: `${urlOf(t)}/tsp`,
    serve(authorities) {
      for (const s of Object.values(states)) s.authorities = authorities;
    },
    counts: () => ({ ocsp: states.ocsp.count, crl: states.crl.count, tsa: states.tsa.count }),
    close() {
      closing ??= stopAll();
      return closing;
    },
  };
}
