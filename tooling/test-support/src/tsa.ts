// A loopback RFC 3161 time-stamp authority for tests: `openssl ts -reply` (OpenSSL 3 with the GOST
// engine) behind the loopback HTTP server, bounded in requests and time like every test server.
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

export interface OpensslTsaOptions extends LoopbackOptions {
  /** The TSA's private key, PEM (PKCS#8). */
  key: string;
  /** The TSA certificate, PEM (extendedKeyUsage critical timeStamping). */
  certificate: string;
  /** Certificates to put into tokens besides the TSA's, PEM (e.g. the root). */
  chain?: string;
  /** The TSA's signing digest in openssl's naming (`md_gost12_256`, `sha256`). */
  signerDigest: string;
  /** ESSCertIDv2 hash (default `signerDigest`). */
  essCertIdDigest?: string;
  /** The TSA policy OID (default 1.2.3.4.1; 1.2.3.4.5 is accepted as another). */
  policy?: string;
  /** Changes the query before openssl reads it (e.g. another nonce). */
  rewriteQuery?: (query: Uint8Array) => Uint8Array;
  /** Replaces the HTTP answer; gets openssl's reply (or its failure) and the request. */
  answer?: (reply: Uint8Array | undefined, request: LoopbackRequest) => LoopbackResponse;
}

export interface OpensslTsa extends LoopbackServer {
  /** The directory with tsa.cnf, tsa.pem, chain.pem (removed on close). */
  readonly dir: string;
}

function config(dir: string, o: OpensslTsaOptions): string {
  return `[ tsa ]
default_tsa = tsa_config1

[ tsa_config1 ]
dir = ${dir}
serial = $dir/tsaserial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/chain.pem
signer_key = $dir/tsa.key
signer_digest = ${o.signerDigest}
default_policy = ${o.policy ?? '1.2.3.4.1'}
other_policies = 1.2.3.4.5
digests = md_gost12_256, md_gost12_512, sha256, sha384, sha512
accuracy = secs:1, millisecs:500, microsecs:100
clock_precision_digits = 3
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = ${o.essCertIdDigest ?? o.signerDigest}
`;
}

/**
 * Starts a TSA on 127.0.0.1 (free port): each POSTed query is answered by `openssl ts -reply`
 * with content type application/timestamp-reply. A query openssl cannot read gets HTTP 400.
 */
export async function startOpensslTsa(options: OpensslTsaOptions): Promise<OpensslTsa> {
  const dir = await mkdtemp(join(tmpdir(), 'eds-tsa-'));
  await writeFile(join(dir, 'tsa.key'), options.key, { mode: 0o600 });
  await writeFile(join(dir, 'tsa.pem'), options.certificate);
  await writeFile(join(dir, 'chain.pem'), options.chain ?? options.certificate);
  await writeFile(join(dir, 'tsaserial'), '01\n');
  await writeFile(join(dir, 'tsa.cnf'), config(dir, options));
  let n = 0;
  const reply = async (request: LoopbackRequest): Promise<Uint8Array | undefined> => {
    const id = ++n;
    const query = options.rewriteQuery ? options.rewriteQuery(request.body) : request.body;
    await writeFile(join(dir, `q${id}.tsq`), query);
    const args = ['ts', '-reply', '-config', 'tsa.cnf', '-queryfile', `q${id}.tsq`, '-out', `r${id}.tsr`];
    const ok = await openssl(args, { cwd: dir, timeoutMs: 20_000 }).then(
      () => true,
      () => false,
    );
    return ok ? new Uint8Array(await readFile(join(dir, `r${id}.tsr`))) : undefined;
  };
  const server = await startLoopbackServer(async (request) => {
    if (request.method !== 'POST') return { status: 405 };
    const tsr = await reply(request);
    if (options.answer) return options.answer(tsr, request);
    if (!tsr) return { status: 400, body: 'openssl ts -reply failed' };
    return { body: tsr, headers: { 'content-type': 'application/timestamp-reply' } };
  }, options);
  const close = async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  };
  return { ...server, url: server.url, requests: server.requests, dir, close, [Symbol.asyncDispose]: close };
}
