// RFC 3161 against a real TSA: `openssl ts -reply` behind a loopback HTTP server, reached through createFetcher; `openssl ts -verify` checks the tokens we receive and `openssl ts -query` reads our requests.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeDer, der, TAG } from '@eds/core/asn1';
import { gostr3411_2012_256, gostr3411_2012_512, sha1, sha256 } from '@eds/core/digests';
import { encodePem } from '@eds/core/encoding';
import { TimestampError } from '@eds/core/errors';
import { createFetcher, FetchError } from '@eds/core/fetcher';
import { exportPrivateKey } from '@eds/core/keys';
import { createTestCa, type IssuedCertificate, type KeySpec, type TestCa } from '@eds/core/testing';
import { createTimestampRequest, parseTimestampToken, requestTimestamp } from '@eds/core/tsp';
import { opensslText } from '@eds/test-support/openssl';
import { withTempDir } from '@eds/test-support/temp';
import { type OpensslTsa, type OpensslTsaOptions, startOpensslTsa } from '@eds/test-support/tsa';
import { bytesToHex } from '@noble/hashes/utils.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputOf } from './_openssl-helpers';

const EKU_TIMESTAMPING = { oid: '2.5.29.37', value: der.seq(der.oid('1.3.6.1.5.5.7.3.8')), critical: true };
const data = new TextEncoder().encode('данные для метки времени\n');

interface Pki {
  root: TestCa;
  tsa: IssuedCertificate;
}

async function tsaPki(keySpec: KeySpec): Promise<Pki> {
  const root = await createTestCa({ keySpec, profile: 'plain' });
  const tsa = await root.issue({
    keySpec,
    profile: 'plain',
    subject: { commonName: 'Test TSA' },
    keyUsage: ['digitalSignature'],
    extensions: [EKU_TIMESTAMPING],
  });
  return { root, tsa };
}

function tsaOptions(pki: Pki, signerDigest: string): OpensslTsaOptions {
  return {
    key: exportPrivateKey(pki.tsa.key, 'pem'),
    certificate: encodePem('CERTIFICATE', pki.tsa.certificate),
    chain: encodePem('CERTIFICATE', pki.root.certificate),
    signerDigest,
    maxRequests: 20,
    lifetimeMs: 120_000,
  };
}

/** The TimeStampReq with its nonce replaced by `nonce + 1` (what a TSA that mixes up requests would sign). */
function bumpNonce(query: Uint8Array): Uint8Array {
  const fields = decodeDer(query).children();
  return der.seq(...fields.map((f, i) => (i > 0 && f.tag === TAG.INTEGER ? der.int(f.integer() + 1n) : f.bytes)));
}

/** The bytes of openssl's `0000 - 85 93 0f ...-99 0d   ascii` dump lines, as hex. */
function dumpedHex(text: string): string {
  const rows = [...text.matchAll(/^\s*[0-9a-f]{4} - ((?:[0-9a-f]{2}[ -]){0,15}[0-9a-f]{2})/gim)];
  return rows.map((m) => (m[1] as string).replace(/[ -]/g, '')).join('');
}

let gost: Pki;
let ecdsa: Pki;
const servers: OpensslTsa[] = [];
async function start(options: OpensslTsaOptions): Promise<OpensslTsa> {
  const server = await startOpensslTsa(options);
  servers.push(server);
  return server;
}

beforeAll(async () => {
  gost = await tsaPki({ type: 'gost2012-256' });
  ecdsa = await tsaPki({ type: 'ecdsa', curve: 'P-256' });
}, 120_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/** `openssl ts -verify` of a token against root.pem: with -data and with -digest. */
async function verifyToken(dir: string, token: Uint8Array, pki: Pki, digestHex: string): Promise<string[]> {
  await writeFile(join(dir, 'token.der'), token);
  await writeFile(join(dir, 'data.bin'), data);
  await writeFile(join(dir, 'root.pem'), encodePem('CERTIFICATE', pki.root.certificate));
  const common = ['-in', 'token.der', '-token_in', '-CAfile', 'root.pem'];
  return [
    await outputOf(['ts', '-verify', '-data', 'data.bin', ...common], dir),
    await outputOf(['ts', '-verify', '-digest', digestHex, ...common], dir),
  ];
}

describe('requestTimestamp against openssl ts -reply on loopback', () => {
  it('GOST-256 TSA, Streebog-256 and Streebog-512 imprints: tokens pass openssl ts -verify', async () => {
    const server = await start(tsaOptions(gost, 'md_gost12_256'));
    const fetcher = createFetcher({ timeoutMs: 20_000, maxBytes: 1 << 20 });
    await withTempDir(async (dir) => {
      for (const hashAlgorithm of [gostr3411_2012_256, gostr3411_2012_512]) {
        const digest = hashAlgorithm.digest(data);
        const before = Date.now();
        const r = await requestTimestamp({ url: server.url, fetcher, digest, hashAlgorithm });
        expect(r.status.status).toBe('granted');
        expect(r.tstInfo.messageImprint.hashAlgorithm.oid).toBe(hashAlgorithm.oid);
        expect(r.tstInfo.messageImprint.hashedMessage).toEqual(digest);
        expect(r.tstInfo.policy).toBe('1.2.3.4.1');
        expect(r.tstInfo.ordering).toBe(true);
        expect(r.tstInfo.accuracy).toEqual({ seconds: 1, millis: 500, micros: 100 });
        expect(r.tstInfo.nonce).toBeTypeOf('bigint');
        expect(r.tstInfo.tsa?.type).toBe('directoryName');
        expect(Math.abs(r.tstInfo.genTime.getTime() - before)).toBeLessThan(120_000);
        expect(r.tsaCertificate).toEqual(gost.tsa.certificate);
        const outs = await verifyToken(dir, r.token, gost, bytesToHex(digest));
        for (const out of outs) expect(out, out).toMatch(/Verification: OK/);
        // and a token over other data fails openssl's check
        const wrong = await outputOf(
          [
            'ts',
            '-verify',
            '-digest',
            bytesToHex(digest.map((b) => b ^ 1)),
            '-in',
            'token.der',
            '-token_in',
            '-CAfile',
            'root.pem',
          ],
          dir,
        );
        expect(wrong).toContain('EXIT-NONZERO');
      }
      const text = await opensslText(['ts', '-reply', '-in', 'token.der', '-token_in', '-token_out', '-text'], {
        cwd: dir,
      });
      expect(text).toMatch(/Policy OID: 1\.2\.3\.4\.1/);
    });
  });

  it('ECDSA P-256 TSA with SHA-256, policy asked for, certReq false', async () => {
    const server = await start(tsaOptions(ecdsa, 'sha256'));
    const fetcher = createFetcher({ timeoutMs: 20_000 });
    await withTempDir(async (dir) => {
      const digest = sha256.digest(data);
      const r = await requestTimestamp({
        url: server.url,
        fetcher,
        digest,
        hashAlgorithm: sha256,
        policy: '1.2.3.4.5',
      });
      expect(r.tstInfo.policy).toBe('1.2.3.4.5');
      const outs = await verifyToken(dir, r.token, ecdsa, bytesToHex(digest));
      for (const out of outs) expect(out, out).toMatch(/Verification: OK/);
      const bare = await requestTimestamp({ url: server.url, fetcher, digest, hashAlgorithm: sha256, certReq: false });
      expect(parseTimestampToken(bare.token).certificates).toEqual([]);
      expect(bare.tsaCertificate).toBeUndefined();
    });
  });

  it('openssl ts -query reads our request: imprint, nonce, certReq, policy', async () => {
    await withTempDir(async (dir) => {
      const digest = gostr3411_2012_256.digest(data);
      const tsq = createTimestampRequest({
        digest,
        hashAlgorithm: gostr3411_2012_256,
        nonce: 0x1234567890abcdefn,
        policy: '1.2.3.4.5',
      });
      await writeFile(join(dir, 'q.tsq'), tsq);
      const text = await opensslText(['ts', '-query', '-in', 'q.tsq', '-text'], { cwd: dir });
      expect(text).toMatch(/Version: 1/);
      expect(text).toMatch(/Hash Algorithm: GOST R 34\.11-2012 with 256 bit hash/);
      expect(dumpedHex(text)).toBe(bytesToHex(digest));
      expect(text).toMatch(/Policy OID: 1\.2\.3\.4\.5/);
      expect(text).toMatch(/Nonce: 0x1234567890ABCDEF/i);
      expect(text).toMatch(/Certificate required: yes/);
    });
  });

  it("the TSA's own rejections come back as ERR_TSA_REJECTED with the failure bits", async () => {
    const server = await start(tsaOptions(gost, 'md_gost12_256'));
    const fetcher = createFetcher({ timeoutMs: 20_000 });
    const badAlg = await requestTimestamp({
      url: server.url,
      fetcher,
      digest: sha1.digest(data),
      hashAlgorithm: sha1,
    }).catch((e: unknown) => e);
    expect(badAlg).toBeInstanceOf(TimestampError);
    expect(badAlg).toMatchObject({ code: 'ERR_TSA_REJECTED', status: 'rejection', failInfo: ['badAlg'] });
    const policy = await requestTimestamp({
      url: server.url,
      fetcher,
      digest: sha256.digest(data),
      hashAlgorithm: sha256,
      policy: '1.2.3.4.99',
    }).catch((e: unknown) => e);
    expect(policy).toMatchObject({ code: 'ERR_TSA_REJECTED', failInfo: ['unacceptedPolicy'] });
  });
});

describe('a TSA that misbehaves gives a typed error and no token', () => {
  const digest = gostr3411_2012_256.digest(data);
  const ask = (url: string, timeoutMs = 20_000) =>
    requestTimestamp({ url, fetcher: createFetcher({ timeoutMs }), digest, hashAlgorithm: gostr3411_2012_256 }).then(
      () => undefined,
      (e: unknown) => e,
    );

  it('a wrong nonce (the TSA signs a request with another nonce): ERR_TSA_MISMATCH', async () => {
    const server = await start({ ...tsaOptions(gost, 'md_gost12_256'), rewriteQuery: bumpNonce });
    const e = await ask(server.url);
    expect(e).toBeInstanceOf(TimestampError);
    expect(e).toMatchObject({ code: 'ERR_TSA_MISMATCH' });
    expect(server.requests).toHaveLength(1);
  });

  it('garbage with the right content type: ERR_TSA_BAD_RESPONSE; HTML: ERR_TSA_BAD_RESPONSE', async () => {
    const garbage = await start({
      ...tsaOptions(gost, 'md_gost12_256'),
      answer: () => ({ body: 'garbage\x00\x01', headers: { 'content-type': 'application/timestamp-reply' } }),
    });
    expect(await ask(garbage.url)).toMatchObject({ code: 'ERR_TSA_BAD_RESPONSE' });
    const html = await start({
      ...tsaOptions(gost, 'md_gost12_256'),
      answer: (reply) => ({ body: reply, headers: { 'content-type': 'text/html' } }),
    });
    const e = await ask(html.url);
    expect(e).toBeInstanceOf(TimestampError);
    expect(e).toMatchObject({ code: 'ERR_TSA_BAD_RESPONSE' });
  });

  it('a TSA that does not answer before the deadline: FetchError ERR_FETCH_TIMEOUT', async () => {
    const server = await start({
      ...tsaOptions(gost, 'md_gost12_256'),
      answer: (reply) => ({ body: reply, headers: { 'content-type': 'application/timestamp-reply' }, delayMs: 5_000 }),
    });
    const e = await ask(server.url, 300);
    expect(e).toBeInstanceOf(FetchError);
    expect(e).toMatchObject({ code: 'ERR_FETCH_TIMEOUT' });
  });

  it('an HTTP error status: FetchError ERR_FETCH_STATUS', async () => {
    const server = await start({ ...tsaOptions(gost, 'md_gost12_256'), answer: () => ({ status: 500, body: 'oops' }) });
    expect(await ask(server.url)).toMatchObject({ code: 'ERR_FETCH_STATUS', status: 500 });
  });
});
