// A loopback WebSocket server speaking NCALayer's protocol (shared/docs/reference/tokens.md §5.3) with
// real signatures from a test CA: for the NCALayer adapter's tests. Plain ws:// on 127.0.0.1; the real
// NCALayer listens on wss://127.0.0.1:13579 with its own certificate.
import { readFile } from 'node:fs/promises';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { signCms } from '@eds/core/cms';
import { base64Decode, base64Encode, encodePem } from '@eds/core/encoding';
import { createTestCa, type IssuedCertificate, type TestCa } from '@eds/core/testing';
import { parseCertificate } from '@eds/core/x509';
import { signXml } from '@eds/core/xmldsig';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { openssl } from './openssl.ts';
import { withTempDir } from './temp.ts';

/**
 * How the server answers: `normal` signs; `cancel` answers as when the user closes NCALayer's
 * dialog; `error` fails with `errorMessage`; `slow` waits `delayMs` before a normal answer;
 * `close` drops the connection when a request arrives; `silent` never answers; `empty` answers
 * CMS with the empty PEM block of the public transcripts and commonUtils with a text that is no CMS;
 * `other-content` signs a CMS over other bytes than those sent (a rogue or faulty local server);
 * `unsigned-xml` answers XML requests with the document as sent, without a signature.
 */
export type NcaLayerMode =
  | 'normal'
  | 'cancel'
  | 'error'
  | 'slow'
  | 'close'
  | 'silent'
  | 'empty'
  | 'other-content'
  | 'unsigned-xml';

/** Options of {@link startNcaLayerServer}; all JSON, so a browser test can pass them through a command. */
export interface NcaLayerServerOptions {
  mode?: NcaLayerMode;
  /** Storages getActiveTokens reports (default `["AKKaztokenStore"]`). */
  activeTokens?: string[];
  /** The message of `error` mode (default a Java exception text). */
  errorMessage?: string;
  /** The delay of `slow` mode in milliseconds (default 2000). */
  delayMs?: number;
  /** Stop by itself after this many milliseconds (default 120 s). */
  lifetimeMs?: number;
  /** wss:// with a fresh self-signed certificate for 127.0.0.1 (as NCALayer; nobody trusts it). */
  tls?: boolean;
  /**
   * getKeyInfo returns the signer's certificate with its SPKI algorithm changed from rsaEncryption
   * to the Kazakh GOST 34.310-2004 key OID 1.2.398.3.10.1.1.1.1 (same length; the certificate's
   * signature no longer verifies, which listing does not check): a Kazakh GOST key for listing tests.
   */
  kazakhGostKey?: boolean;
}

/** The Kazakh GOST 34.310-2004 public key OID that {@link NcaLayerServerOptions.kazakhGostKey} writes. */
export const KZ_GOST_KEY_OID = '1.2.398.3.10.1.1.1.1';
const RSA_ENCRYPTION_DER = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const KZ_GOST_KEY_DER = [0x06, 0x09, 0x2a, 0x83, 0x0e, 0x03, 0x0a, 0x01, 0x01, 0x01, 0x01];

/** The certificate with its (only) rsaEncryption OID replaced by {@link KZ_GOST_KEY_OID}. */
export function withKazakhGostKey(der: Uint8Array): Uint8Array {
  const out = der.slice();
  for (let i = 0; i + RSA_ENCRYPTION_DER.length <= out.length; i++) {
    if (RSA_ENCRYPTION_DER.every((b, j) => out[i + j] === b)) {
      out.set(KZ_GOST_KEY_DER, i);
      return out;
    }
  }
  throw new Error('no rsaEncryption key in the certificate');
}

/** One request as the server received it. */
export interface NcaLayerRequest {
  /** Which connection (1, 2, … in order of connection). */
  connection: number;
  module: string;
  method: string;
  args: unknown;
  /** True when it arrived while an earlier request on the same connection had no answer yet. */
  concurrent: boolean;
  /** Order of arrival among all requests, and order of the answer among all answers (-1: none). */
  receivedSeq: number;
  answeredSeq: number;
}

/** A running server. */
export interface NcaLayerServer {
  /** `ws://127.0.0.1:<port>`. */
  url: string;
  /** Requests received so far, in order. */
  readonly requests: readonly NcaLayerRequest[];
  /** The signer's certificate (DER), the test CA's certificate (the trust anchor) and its CRL. */
  certificate: Uint8Array;
  caCertificate: Uint8Array;
  crl: Uint8Array;
  /** Changes how later requests are answered. */
  setMode(mode: NcaLayerMode): void;
  close(): Promise<void>;
}

interface Pki {
  ca: TestCa;
  leaf: IssuedCertificate;
  crl: Uint8Array;
}

let pki: Promise<Pki> | undefined;

/** One RSA test PKI per process (NCALayer keys are RSA or Kazakh GOST): root CA and a signer. */
function testPki(): Promise<Pki> {
  pki ??= (async () => {
    const ca = await createTestCa({ keySpec: { type: 'rsa', bits: 2048 }, subject: { commonName: 'Test NCA RK' } });
    const leaf = await ca.issue({ subject: { commonName: 'ТЕСТОВ ТЕСТ', country: 'KZ' } });
    return { ca, leaf, crl: await ca.createCrl() };
  })();
  return pki;
}

type Reply = Record<string, unknown>;

const GREETING = JSON.stringify({ result: { version: '1.2' } });
const BASICS = 'kz.gov.pki.knca.basics';
const COMMON = 'kz.gov.pki.knca.commonUtils';

/**
 * Starts the server on 127.0.0.1 with a free port. It greets each connection with
 * `{"result":{"version":"1.2"}}` and answers commonUtils getActiveTokens, getKeyInfo,
 * createCAdESFromBase64, signXml and basics sign (cms, xml) with real signatures. A request
 * that arrives before the previous one on its connection was answered is recorded as
 * `concurrent` and answered with an error (NCALayer requests carry no id).
 *
 * @throws the errors of the test CA or of the socket.
 * @example
 * ```ts
 * const server = await startNcaLayerServer({ mode: 'cancel' });
 * // … server.requests …
 * await server.close();
 * ```
 */
export async function startNcaLayerServer(options: NcaLayerServerOptions = {}): Promise<NcaLayerServer> {
  const { ca, leaf, crl } = await testPki();
  const https = options.tls ? createHttpsServer(await selfSigned()) : undefined;
  const wss = https
    ? new WebSocketServer({ server: https, maxPayload: 16 << 20 })
    : new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 16 << 20 });
  await new Promise<void>((resolve, reject) => {
    const target = https ?? wss;
    target.once('listening', resolve);
    target.once('error', reject);
    https?.listen(0, '127.0.0.1');
  });
  const state = { mode: options.mode ?? 'normal', connections: 0, seq: 0 };
  const requests: NcaLayerRequest[] = [];
  const ctx: Ctx = { leaf, options };
  wss.on('connection', (socket) => {
    const connection = ++state.connections;
    let busy = false;
    socket.send(GREETING);
    socket.on('message', (data) => {
      const record = receive(data, connection, busy, ++state.seq);
      requests.push(record);
      if (record.concurrent) return answer(socket, record, { code: '500', message: 'another request is in flight' });
      busy = true;
      const mode = state.mode;
      if (mode === 'close') return socket.terminate();
      if (mode === 'silent') return;
      setTimeout(
        () => {
          reply(record, mode, ctx)
            .catch((e: unknown): Reply => ({ code: '500', message: String(e) }))
            .then((r) => {
              busy = false;
              answer(socket, record, r);
            });
        },
        mode === 'slow' ? (options.delayMs ?? 2000) : 0,
      );
    });
  });
  function answer(socket: WebSocket, record: NcaLayerRequest, r: Reply): void {
    record.answeredSeq = ++state.seq;
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(r));
  }
  const port = ((https ?? wss).address() as AddressInfo).port;
  const close = () =>
    new Promise<void>((resolve) => {
      clearTimeout(timer);
      for (const c of wss.clients) c.terminate();
      wss.close(() => (https ? https.close(() => resolve()) : resolve()));
    });
  const timer = setTimeout(() => void close(), options.lifetimeMs ?? 120_000);
  timer.unref?.();
  return {
    url: `${https ? 'wss' : 'ws'}://127.0.0.1:${port}`,
    requests,
    certificate: leaf.certificate,
    caCertificate: ca.certificate,
    crl,
    setMode: (mode) => {
      state.mode = mode;
    },
    close,
  };
}

/** A self-signed P-256 certificate and key for 127.0.0.1 (PEM), from the system openssl. */
function selfSigned(): Promise<{ cert: string; key: string }> {
  return withTempDir(async (dir) => {
    const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
    const subject = ['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'];
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
    await openssl(['req', '-x509', ...ec, '-nodes', '-days', '1', ...subject, '-keyout', key, '-out', cert], {
      gost: false,
    });
    return { cert: await readFile(cert, 'utf8'), key: await readFile(key, 'utf8') };
  });
}

interface Ctx {
  leaf: IssuedCertificate;
  options: NcaLayerServerOptions;
}

function receive(data: RawData, connection: number, busy: boolean, seq: number): NcaLayerRequest {
  let parsed: { module?: unknown; method?: unknown; args?: unknown } = {};
  try {
    parsed = JSON.parse(data.toString()) as typeof parsed;
  } catch {
    // recorded with empty module and method
  }
  return {
    connection,
    module: typeof parsed.module === 'string' ? parsed.module : '',
    method: typeof parsed.method === 'string' ? parsed.method : '',
    args: parsed.args,
    concurrent: busy,
    receivedSeq: seq,
    answeredSeq: -1,
  };
}

async function reply(r: NcaLayerRequest, mode: NcaLayerMode, ctx: Ctx): Promise<Reply> {
  const basics = r.module === BASICS;
  const message = ctx.options.errorMessage ?? 'java.lang.IllegalStateException: test failure';
  if (mode === 'cancel') return basics ? { body: {}, status: true } : { code: '500', message: 'action.canceled' };
  if (mode === 'error') {
    return basics
      ? { status: false, code: 'INVOCATION_ERROR', message, details: 'test server' }
      : { code: '500', message };
  }
  if (mode === 'empty') {
    return basics
      ? { body: { result: '-----BEGIN CMS-----\n-----END CMS-----\n' }, status: true }
      : { code: '200', responseObject: 'Actual signature stripped to protect private data' };
  }
  if (mode === 'unsigned-xml') return unsignedXml(r, basics);
  if (basics && r.method === 'sign') return basicsSign(r.args, ctx, mode === 'other-content');
  if (r.module === COMMON) return commonUtils(r.method, r.args, ctx, mode === 'other-content');
  return { code: '500', message: `unknown module ${r.module}` };
}

const OTHER_CONTENT = new TextEncoder().encode('a document the user never saw');

/** The XML of an XML request sent back unsigned. */
function unsignedXml(r: NcaLayerRequest, basics: boolean): Reply {
  if (basics) return { body: { result: [String((r.args as { data?: unknown } | undefined)?.data)] }, status: true };
  return { code: '200', responseObject: String((Array.isArray(r.args) ? r.args : [])[2]) };
}

async function basicsSign(args: unknown, ctx: Ctx, otherContent = false): Promise<Reply> {
  const a = (args ?? {}) as Record<string, unknown>;
  const p = (a.signingParams ?? {}) as Record<string, unknown>;
  const fail = (details: string) => ({ status: false, code: 'INVOCATION_ERROR', message: 'bad request', details });
  if (typeof a.data !== 'string') return fail('data is not a string');
  if (a.format === 'xml') return { body: { result: [await xml(a.data, ctx)] }, status: true };
  if (a.format !== 'cms') return fail(`unknown format ${String(a.format)}`);
  if (p.digested === true) return fail('digested data is not supported by the test server');
  const sent = p.decode === true ? base64Decode(a.data) : new TextEncoder().encode(a.data);
  const content = otherContent ? OTHER_CONTENT : sent;
  const cms = await signCms({ content, signers: [ctx.leaf.signer], detached: p.encapsulate === false });
  return { body: { result: encodePem('CMS', cms) }, status: true };
}

async function commonUtils(method: string, args: unknown, ctx: Ctx, otherContent = false): Promise<Reply> {
  const a = Array.isArray(args) ? args : [];
  const ok = (responseObject: unknown) => ({ code: '200', responseObject });
  const mismatch = {
    code: '500',
    message: `java.lang.IllegalArgumentException: argument type mismatch. Method: ${method}`,
  };
  switch (method) {
    case 'getActiveTokens':
      return ok(ctx.options.activeTokens ?? ['AKKaztokenStore']);
    case 'getKeyInfo':
      if (typeof a[0] !== 'string') return mismatch;
      return ok(keyInfo(ctx.options.kazakhGostKey ? withKazakhGostKey(ctx.leaf.certificate) : ctx.leaf.certificate));
    case 'createCAdESFromBase64': {
      if (typeof a[2] !== 'string' || typeof a[3] !== 'boolean') return mismatch;
      const content = otherContent ? OTHER_CONTENT : base64Decode(a[2]);
      return ok(base64Encode(await signCms({ content, signers: [ctx.leaf.signer], detached: !a[3] })));
    }
    case 'signXml':
      if (typeof a[2] !== 'string') return mismatch;
      if (a[3] || a[4]) return { code: '500', message: 'XPath arguments are not supported by the test server' };
      return ok(await xml(a[2], ctx));
    default:
      return { code: '500', message: `unknown method ${method}` };
  }
}

function xml(document: string, ctx: Ctx): Promise<string> {
  return signXml({ document, signer: ctx.leaf.signer, profile: 'kazakh' });
}

/** getKeyInfo's responseObject (field names as NCALayer's, tokens.md §5.3). */
function keyInfo(der: Uint8Array): Record<string, string> {
  const c = parseCertificate(der);
  const cn = (n: string) => /CN=([^,]+)/.exec(n)?.[1] ?? '';
  return {
    alias: c.fingerprintHex('sha1'),
    keyId: c.fingerprintHex('sha1').toUpperCase(),
    algorithm: 'RSA',
    subjectCn: cn(c.subject.toString()),
    subjectDn: c.subject.toString(),
    issuerCn: cn(c.issuer.toString()),
    issuerDn: c.issuer.toString(),
    serialNumber: c.serialNumber.toString(16),
    certNotBefore: String(c.notBefore.getTime()),
    certNotAfter: String(c.notAfter.getTime()),
    pem: encodePem('CERTIFICATE', der),
  };
}

const running = new Map<string, NcaLayerServer>();
let serverIds = 0;

/** What `start` returns through {@link ncaLayerCommand}: JSON, certificates and CRL in Base64. */
export interface NcaLayerServerHandle {
  id: string;
  url: string;
  certificate: string;
  caCertificate: string;
  crl: string;
}

/**
 * The servers as JSON commands, the same in Node tests and behind the browser command `ncaLayer`
 * (vitest.config.ts): `start` (options) → {@link NcaLayerServerHandle}, `requests` (id),
 * `mode` (id, mode), `stop` (id).
 *
 * @throws Error for an unknown action or server id.
 * @example
 * ```ts
 * const { id, url } = (await ncaLayerCommand('start', { mode: 'cancel' })) as NcaLayerServerHandle;
 * await ncaLayerCommand('stop', id);
 * ```
 */
export async function ncaLayerCommand(action: string, ...args: unknown[]): Promise<unknown> {
  if (action === 'start') {
    const server = await startNcaLayerServer((args[0] ?? {}) as NcaLayerServerOptions);
    const id = String(++serverIds);
    running.set(id, server);
    const b64 = base64Encode;
    return {
      id,
      url: server.url,
      certificate: b64(server.certificate),
      caCertificate: b64(server.caCertificate),
      crl: b64(server.crl),
    };
  }
  const server = running.get(String(args[0]));
  if (!server && action === 'stop') return undefined;
  if (!server) throw new Error(`no NCALayer test server ${String(args[0])}`);
  switch (action) {
    case 'requests':
      return server.requests.map((r) => ({ ...r }));
    case 'mode':
      return server.setMode(args[1] as NcaLayerMode);
    case 'stop':
      running.delete(String(args[0]));
      return server.close();
    default:
      throw new Error(`unknown NCALayer test server action ${action}`);
  }
}
