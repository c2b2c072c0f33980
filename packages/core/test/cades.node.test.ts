// CAdES-T made by @eds/core/cades with a real TSA (`openssl ts -reply` on loopback): `openssl cms -verify` still accepts the signature and `openssl ts -verify` accepts the signature time-stamp over the SignerInfo's signature value.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Der, decodeDer, der, TAG } from '@eds/core/asn1';
import { addSignatureTimestamp, OID_SIGNATURE_TIMESTAMP_TOKEN, signCades } from '@eds/core/cades';
import { gostr3411_2012_256, gostr3411_2012_512, sha256 } from '@eds/core/digests';
import { encodePem } from '@eds/core/encoding';
import { TimestampError } from '@eds/core/errors';
import { createFetcher, FetchError } from '@eds/core/fetcher';
import { exportPrivateKey } from '@eds/core/keys';
import { createTestCa, type IssuedCertificate, type KeySpec, type TestCa } from '@eds/core/testing';
import { parseTimestampToken } from '@eds/core/tsp';
import type { DigestAlgorithm } from '@eds/core/types';
import { opensslText } from '@eds/test-support/openssl';
import { withTempDir } from '@eds/test-support/temp';
import { type OpensslTsa, type OpensslTsaOptions, startOpensslTsa } from '@eds/test-support/tsa';
import { bytesToHex } from '@noble/hashes/utils.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputOf } from './_openssl-helpers';

const EKU_TIMESTAMPING = { oid: '2.5.29.37', value: der.seq(der.oid('1.3.6.1.5.5.7.3.8')), critical: true };
const doc = new TextEncoder().encode('Документ, подписанный с меткой времени\r\n');

let tsaRoot: TestCa;
let tsaCert: IssuedCertificate;
const signers = new Map<string, { root: TestCa; leaf: IssuedCertificate }>();
const servers: OpensslTsa[] = [];

beforeAll(async () => {
  tsaRoot = await createTestCa({ keySpec: { type: 'gost2012-256' }, profile: 'plain' });
  tsaCert = await tsaRoot.issue({
    keySpec: { type: 'gost2012-256' },
    profile: 'plain',
    subject: { commonName: 'Test GOST TSA' },
    keyUsage: ['digitalSignature'],
    extensions: [EKU_TIMESTAMPING],
  });
  const specs: [string, KeySpec][] = [
    ['GOST-256', { type: 'gost2012-256' }],
    ['ECDSA P-256', { type: 'ecdsa', curve: 'P-256' }],
    ['GOST-512', { type: 'gost2012-512' }],
    ['RSA-2048', { type: 'rsa', bits: 2048 }],
  ];
  for (const [label, keySpec] of specs) {
    const root = await createTestCa({ keySpec });
    signers.set(label, { root, leaf: await root.issue() });
  }
}, 120_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function startTsa(extra: Partial<OpensslTsaOptions> = {}): Promise<OpensslTsa> {
  const server = await startOpensslTsa({
    key: exportPrivateKey(tsaCert.key, 'pem'),
    certificate: encodePem('CERTIFICATE', tsaCert.certificate),
    chain: encodePem('CERTIFICATE', tsaRoot.certificate),
    signerDigest: 'md_gost12_256',
    maxRequests: 20,
    lifetimeMs: 120_000,
    ...extra,
  });
  servers.push(server);
  return server;
}

const get = (label: string) => signers.get(label) as { root: TestCa; leaf: IssuedCertificate };

/** Each SignerInfo's signature value and the values of its signature-time-stamp attributes. */
function signerInfos(cms: Uint8Array): { digestOid: string; signature: Uint8Array; tokens: Uint8Array[]; raw: Der }[] {
  const ci = decodeDer(cms).read();
  ci.next(TAG.OID, 'contentType');
  const sd = ci.next(0xa0, 'content').explicit(0).read();
  const nodes = sd.rest('field');
  const infos = (nodes[nodes.length - 1] as Der).expect(TAG.SET).children();
  return infos.map((raw) => {
    const fields = raw.children();
    const sig = fields.find((f) => f.tag === TAG.OCTET_STRING) as Der;
    const unsigned = fields.find((f) => f.tag === 0xa1);
    const tokens = (unsigned?.children() ?? [])
      .filter((a) => a.children()[0]?.oid() === OID_SIGNATURE_TIMESTAMP_TOKEN)
      .flatMap((a) => (a.children()[1] as Der).children().map((v) => v.bytes));
    const digestOid = (fields[2] as Der).read().next(TAG.OID, 'algorithm').oid();
    return { digestOid, signature: sig.octets(), tokens, raw };
  });
}

async function writeRoots(dir: string, roots: Uint8Array[]): Promise<void> {
  await writeFile(join(dir, 'doc.bin'), doc);
  await writeFile(join(dir, 'root.pem'), roots.map((r) => encodePem('CERTIFICATE', r)).join(''));
  await writeFile(join(dir, 'tsa-root.pem'), encodePem('CERTIFICATE', tsaRoot.certificate));
}

async function cmsVerify(dir: string, sig: Uint8Array, detached: boolean): Promise<string> {
  await writeFile(join(dir, 'sig.der'), sig);
  const args = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'sig.der', '-CAfile', 'root.pem'];
  if (detached) args.push('-content', 'doc.bin');
  return outputOf([...args, '-out', '/dev/null'], dir);
}

/** `openssl ts -verify -digest <hex>` of a token against the TSA root. */
async function tsVerify(dir: string, token: Uint8Array, digest: Uint8Array): Promise<string> {
  await writeFile(join(dir, 'token.der'), token);
  const args = ['ts', '-verify', '-digest', bytesToHex(digest), '-in', 'token.der', '-token_in'];
  return outputOf([...args, '-CAfile', 'tsa-root.pem'], dir);
}

const HASH_BY_OID: Record<string, DigestAlgorithm> = {
  [gostr3411_2012_256.oid]: gostr3411_2012_256,
  [gostr3411_2012_512.oid]: gostr3411_2012_512,
  [sha256.oid]: sha256,
};

describe('signCades level T with a real TSA', () => {
  for (const label of ['GOST-256', 'ECDSA P-256', 'GOST-512', 'RSA-2048']) {
    it(`${label}: detached and attached CAdES-T pass openssl cms -verify; the token passes openssl ts -verify`, async () => {
      const { root, leaf } = get(label);
      const tsa = await startTsa();
      const fetcher = createFetcher({ timeoutMs: 20_000 });
      await withTempDir(async (dir) => {
        await writeRoots(dir, [root.certificate]);
        for (const detached of [true, false]) {
          const p7s = await signCades({
            content: doc,
            signers: [leaf.signer],
            detached,
            level: 'T',
            tsa: { url: tsa.url, fetcher },
          });
          const out = await cmsVerify(dir, p7s, detached);
          expect(out, out).toContain('Verification successful');
          const [si] = signerInfos(p7s);
          expect(si?.tokens).toHaveLength(1);
          const hash = HASH_BY_OID[si?.digestOid as string] as DigestAlgorithm;
          expect(hash).toBeDefined();
          const digest = hash.digest(si?.signature as Uint8Array);
          const token = si?.tokens[0] as Uint8Array;
          expect(parseTimestampToken(token).tstInfo.messageImprint.hashAlgorithm.oid).toBe(hash.oid);
          const ts = await tsVerify(dir, token, digest);
          expect(ts, ts).toMatch(/Verification: OK/);
          // the token is over the signature value, not over anything else
          const other = await tsVerify(dir, token, hash.digest(doc));
          expect(other).toContain('EXIT-NONZERO');
          const text = await opensslText(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', 'sig.der'], {
            cwd: dir,
          });
          expect(text).toMatch(/unsignedAttrs:[\s\S]*id-smime-aa-timeStampToken/);
        }
      });
    });
  }

  it('two signers (GOST-256 and ECDSA P-256): each SignerInfo gets its own time-stamp; both verify', async () => {
    const g = get('GOST-256');
    const e = get('ECDSA P-256');
    const tsa = await startTsa();
    await withTempDir(async (dir) => {
      await writeRoots(dir, [g.root.certificate, e.root.certificate]);
      const p7s = await signCades({
        content: new Blob([doc]).stream(),
        signers: [g.leaf.signer, e.leaf.signer],
        detached: true,
        level: 'T',
        tsa: { url: tsa.url, fetcher: createFetcher() },
      });
      const out = await cmsVerify(dir, p7s, true);
      expect(out, out).toContain('Verification successful');
      const infos = signerInfos(p7s);
      expect(infos).toHaveLength(2);
      expect(tsa.requests).toHaveLength(2);
      for (const si of infos) {
        expect(si.tokens).toHaveLength(1);
        const hash = HASH_BY_OID[si.digestOid] as DigestAlgorithm;
        const ts = await tsVerify(dir, si.tokens[0] as Uint8Array, hash.digest(si.signature));
        expect(ts, ts).toMatch(/Verification: OK/);
      }
    });
  });

  it('addSignatureTimestamp on a CAdES-BES made by openssl cms -sign keeps every other byte; a second time-stamp is appended', async () => {
    const { root, leaf } = get('GOST-256');
    const tsa = await startTsa();
    const fetcher = createFetcher({ timeoutMs: 20_000 });
    await withTempDir(async (dir) => {
      await writeRoots(dir, [root.certificate]);
      await writeFile(join(dir, 'leaf.pem'), encodePem('CERTIFICATE', leaf.certificate));
      await writeFile(join(dir, 'leaf.key'), exportPrivateKey(leaf.key, 'pem'));
      const args = ['cms', '-sign', '-binary', '-in', 'doc.bin', '-signer', 'leaf.pem', '-inkey', 'leaf.key'];
      await opensslText([...args, '-md', 'md_gost12_256', '-cades', '-outform', 'DER', '-out', 'theirs.der'], {
        cwd: dir,
      });
      const theirs = new Uint8Array(await readFile(join(dir, 'theirs.der')));
      const t1 = await addSignatureTimestamp(theirs, { tsa: { url: tsa.url, fetcher } });
      const t2 = await addSignatureTimestamp(t1, { tsa: { url: tsa.url, fetcher }, hashAlgorithm: sha256 });
      for (const sig of [t1, t2]) {
        const out = await cmsVerify(dir, sig, true);
        expect(out, out).toContain('Verification successful');
      }
      // every SignedData field but signerInfos is byte-identical; the SignerInfo only grew its unsignedAttrs
      const before = signerInfos(theirs)[0] as ReturnType<typeof signerInfos>[number];
      const after = signerInfos(t2)[0] as ReturnType<typeof signerInfos>[number];
      expect(
        after.raw
          .children()
          .slice(0, -1)
          .map((f) => f.bytes),
      ).toEqual(before.raw.children().map((f) => f.bytes));
      const fields = (cms: Uint8Array) =>
        (decodeDer(cms).children()[1] as Der)
          .explicit(0)
          .children()
          .slice(0, -1)
          .map((f) => f.bytes);
      expect(fields(t2)).toEqual(fields(theirs));
      expect(after.tokens).toHaveLength(2);
      const [first, second] = after.tokens as [Uint8Array, Uint8Array];
      expect(await tsVerify(dir, first, gostr3411_2012_256.digest(after.signature))).toMatch(/Verification: OK/);
      expect(await tsVerify(dir, second, sha256.digest(after.signature))).toMatch(/Verification: OK/);
    });
  });
});

describe('a failing TSA: typed error, no signature returned', () => {
  const sign = (url: string, timeoutMs = 20_000) =>
    signCades({
      content: doc,
      signers: [get('GOST-256').leaf.signer],
      detached: true,
      level: 'T',
      tsa: { url, fetcher: createFetcher({ timeoutMs }) },
    }).then(
      (p7s) => p7s,
      (e: unknown) => e,
    );

  it('garbage: TimestampError ERR_TSA_BAD_RESPONSE', async () => {
    const tsa = await startTsa({
      answer: () => ({
        body: new Uint8Array([0x30, 0x03, 0x02, 0x01]),
        headers: { 'content-type': 'application/timestamp-reply' },
      }),
    });
    const result = await sign(tsa.url);
    expect(result).toBeInstanceOf(TimestampError);
    expect(result).toMatchObject({ code: 'ERR_TSA_BAD_RESPONSE' });
  });

  it('a wrong nonce: TimestampError ERR_TSA_MISMATCH', async () => {
    const tsa = await startTsa({
      rewriteQuery: (q) => {
        const fields = decodeDer(q).children();
        return der.seq(...fields.map((f, i) => (i > 0 && f.tag === TAG.INTEGER ? der.int(f.integer() ^ 1n) : f.bytes)));
      },
    });
    const result = await sign(tsa.url);
    expect(result).toBeInstanceOf(TimestampError);
    expect(result).toMatchObject({ code: 'ERR_TSA_MISMATCH' });
  });

  it('no answer within the fetcher timeout: FetchError ERR_FETCH_TIMEOUT', async () => {
    const tsa = await startTsa({
      answer: (reply) => ({ body: reply, headers: { 'content-type': 'application/timestamp-reply' }, delayMs: 5_000 }),
    });
    const result = await sign(tsa.url, 300);
    expect(result).toBeInstanceOf(FetchError);
    expect(result).toMatchObject({ code: 'ERR_FETCH_TIMEOUT' });
  });
});
