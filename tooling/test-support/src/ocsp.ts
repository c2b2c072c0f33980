// A loopback OCSP responder for tests (RFC 6960, HTTP binding of App. A.1): `openssl ocsp -index ... -reqin ...
// -respout ...` (OpenSSL 3 with the GOST engine) run once per request behind the loopback HTTP server, bounded in
// requests and time like every test server.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openssl } from './openssl.ts';
import {
  type LoopbackOptions,
  type LoopbackRequest,
  type LoopbackResponse,
  type LoopbackServer,
  startLoopbackServer,
} from './server.ts';

/** What signs the responses and how; may be changed between requests with `configure`. */
export interface OpensslOcspSettings {
  /** The responder's certificate and key, as PEM file paths (-rsigner, -rkey): the CA itself or a delegate. */
  signer: { readonly certificate: string; readonly key: string };
  /** A PEM file of further certificates put into responses (-rother). */
  otherCertificates?: string | undefined;
  /** The signing digest in openssl's naming (-rmd: `md_gost12_256`, `sha256`); default: openssl's choice. */
  digest?: string | undefined;
  /** nextUpdate this many minutes after thisUpdate (-nmin); absent: responses carry no nextUpdate. */
  validityMinutes?: number | undefined;
  /** Name the responder by key hash (-resp_key_id) instead of by name. */
  byKeyHash?: boolean | undefined;
  /** Leave the signer's certificate out of responses (-resp_no_certs). */
  noCertificates?: boolean | undefined;
  /** Replaces the HTTP answer; gets openssl's response (undefined when openssl failed) and the request. */
  answer?: ((response: Uint8Array | undefined, request: LoopbackRequest) => LoopbackResponse) | undefined;
}

export interface OpensslOcspOptions extends LoopbackOptions, OpensslOcspSettings {
  /**
   * The `openssl ca` database (index.txt) answered from, a file path. It is read for each request,
   * so `openssl ca -revoke` takes effect at once, and it may be written after the responder starts.
   */
  index: string;
  /** A PEM file path: the CA whose certificates are answered for (-CA). */
  ca: string;
  /** The path the responder answers at: POST to it, GET below it (default `/ocsp`). */
  path?: string;
}

export interface OpensslOcsp extends LoopbackServer {
  /** The working directory of requests and responses (removed on close). */
  readonly dir: string;
  /** The responder URL to write into certificates (authorityInfoAccess id-ad-ocsp). */
  readonly responderUrl: string;
  /** The DER responses openssl produced, in request order (failed requests left out). */
  readonly responses: readonly Uint8Array[];
  /** Changes the settings for later requests (a key set to undefined goes back to openssl's default). */
  configure(settings: Partial<OpensslOcspSettings>): void;
}

/** The DER OCSPRequest of a POST body or of a GET path `<path>/<url-encoded base64>`. */
function requestBytes(request: LoopbackRequest, path: string): Uint8Array | undefined {
  if (request.method === 'POST' && request.url === path) return request.body;
  if (request.method !== 'GET' || !request.url.startsWith(`${path}/`)) return undefined;
  const text = decodeURIComponent(request.url.slice(path.length + 1));
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  return new Uint8Array(Buffer.from(text, 'base64'));
}

function ocspArgs(options: OpensslOcspOptions, settings: OpensslOcspSettings, id: number): string[] {
  const args = ['ocsp', '-index', options.index, '-CA', options.ca];
  args.push('-rsigner', settings.signer.certificate, '-rkey', settings.signer.key);
  if (settings.otherCertificates) args.push('-rother', settings.otherCertificates);
  if (settings.digest) args.push('-rmd', settings.digest);
  if (settings.validityMinutes !== undefined) args.push('-nmin', String(settings.validityMinutes));
  if (settings.byKeyHash) args.push('-resp_key_id');
  if (settings.noCertificates) args.push('-resp_no_certs');
  args.push('-reqin', `q${id}.der`, '-respout', `r${id}.der`);
  return args;
}

/**
 * Starts an OCSP responder on 127.0.0.1 (free port): each request (POST, or GET as in RFC 6960
 * App. A.1) is answered by one `openssl ocsp` run over the CA database, with content type
 * application/ocsp-response; openssl copies the request's nonce. A request openssl cannot read
 * gets HTTP 400, other paths 404.
 */
export async function startOpensslOcsp(options: OpensslOcspOptions): Promise<OpensslOcsp> {
  const dir = await mkdtemp(join(tmpdir(), 'eds-ocsp-'));
  const path = options.path ?? '/ocsp';
  const settings: OpensslOcspSettings = { ...options };
  const responses: Uint8Array[] = [];
  let n = 0;
  const respond = async (der: Uint8Array): Promise<Uint8Array | undefined> => {
    const id = ++n;
    await writeFile(join(dir, `q${id}.der`), der);
    const ok = await openssl(ocspArgs(options, settings, id), { cwd: dir, timeoutMs: 20_000 }).then(
      () => true,
      () => false,
    );
    if (!ok) return undefined;
    const response = new Uint8Array(await readFile(join(dir, `r${id}.der`)));
    responses.push(response);
    return response;
  };
  const server = await startLoopbackServer(async (request) => {
    const der = requestBytes(request, path);
    if (!der) return { status: request.url.startsWith(path) ? 400 : 404 };
    const response = await respond(der);
    if (settings.answer) return settings.answer(response, request);
    if (!response) return { status: 400, body: 'openssl ocsp failed' };
    return { body: response, headers: { 'content-type': 'application/ocsp-response' } };
  }, options);
  const close = async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  };
  return {
    url: server.url,
    requests: server.requests,
    responderUrl: `${server.url}${path}`,
    dir,
    responses,
    configure: (changes) => Object.assign(settings, changes),
    close,
    [Symbol.asyncDispose]: close,
  };
}
