// OpenSSL 3 with the GOST engine verifies the CMS SignedData / CAdES-BES signatures made by @eds/core/cms (openssl cms -verify), and we read what openssl cms -sign makes.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeDer, TAG } from '@eds/core/asn1';
import { addCountersignature, addSigner, signCms } from '@eds/core/cms';
import { gostr3411_2012_256 } from '@eds/core/digests';
import { encodePem } from '@eds/core/encoding';
import { exportPrivateKey } from '@eds/core/keys';
import { parseSignedData } from '@eds/core/signed-data';
import { createTestCa, type IssuedCertificate, type KeySpec, type TestCa } from '@eds/core/testing';
import { opensslText } from '@eds/test-support/openssl';
import { withTempDir } from '@eds/test-support/temp';
import { beforeAll, describe, expect, it } from 'vitest';
import { outputOf, writeCertificates } from './_openssl-helpers';

const SPECS: [string, KeySpec][] = [
  ['GOST-256 CryptoPro-A', { type: 'gost2012-256' }],
  ['GOST-256 tc26-256-A', { type: 'gost2012-256', paramSet: 'tc26-256-a' }],
  ['GOST-512', { type: 'gost2012-512' }],
  ['ECDSA P-256', { type: 'ecdsa', curve: 'P-256' }],
  ['RSA-2048', { type: 'rsa', bits: 2048 }],
];

const doc = new TextEncoder().encode('Документ для подписи\r\nбинарно: \u0000\u00ff конец\n');

const made = new Map<string, { root: TestCa; leaf: IssuedCertificate }>();
beforeAll(async () => {
  for (const [label, keySpec] of SPECS) {
    const root = await createTestCa({ keySpec });
    made.set(label, { root, leaf: await root.issue() });
  }
}, 120_000);
const get = (label: string) => made.get(label) as { root: TestCa; leaf: IssuedCertificate };

/** `openssl cms -verify` of sig.der against root.pem (and doc.bin when detached); output with EXIT-NONZERO on failure. */
async function verify(dir: string, sig: Uint8Array, detached: boolean, extra: string[] = []): Promise<string> {
  await writeFile(join(dir, 'sig.der'), sig);
  const args = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'sig.der', '-CAfile', 'root.pem'];
  if (detached) args.push('-content', 'doc.bin');
  return outputOf([...args, ...extra, '-out', '/dev/null'], dir);
}

async function setup(dir: string, roots: Record<string, Uint8Array>): Promise<void> {
  await writeFile(join(dir, 'doc.bin'), doc);
  await writeFile(
    join(dir, 'root.pem'),
    Object.values(roots)
      .map((r) => encodePem('CERTIFICATE', r))
      .join(''),
  );
}

describe('openssl cms -verify accepts our signatures', () => {
  it('GOST-256 with content hints: verifies, and OpenSSL shows the attribute with our description', async () => {
    const { root, leaf } = get('GOST-256 CryptoPro-A');
    await withTempDir(async (dir) => {
      await setup(dir, { root: root.certificate });
      const sig = await signCms({
        content: doc,
        signers: [leaf.signer],
        detached: true,
        contentHints: { description: 'Договор.pdf' },
      });
      expect(await verify(dir, sig, true)).toContain('Verification successful');
      const text = await opensslText(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', 'sig.der'], { cwd: dir });
      expect(text).toContain('id-smime-aa-contentHint');
      expect(text).toMatch(/UTF8STRING\s*:Договор\.pdf\s+\d+:d=1 .*OBJECT\s*:pkcs7-data/);
    });
  });

  for (const [label] of SPECS) {
    it(`${label}: CAdES-BES attached and detached; tampered content fails`, async () => {
      const { root, leaf } = get(label);
      await withTempDir(async (dir) => {
        await setup(dir, { root: root.certificate });
        const attached = await signCms({ content: doc, signers: [leaf.signer] });
        const a = await verify(dir, attached, false);
        expect(a, a).toContain('Verification successful');
        expect(a).not.toContain('EXIT-NONZERO');

        const detached = await signCms({ content: new Blob([doc]).stream(), signers: [leaf.signer], detached: true });
        const d = await verify(dir, detached, true);
        expect(d, d).toContain('Verification successful');

        await writeFile(
          join(dir, 'doc.bin'),
          doc.map((b, i) => (i === 3 ? b ^ 1 : b)),
        );
        const bad = await verify(dir, detached, true);
        expect(bad).toContain('EXIT-NONZERO');
        expect(bad).not.toContain('Verification successful');
        expect(bad).toMatch(/digest failure|verification failure/i);
      });
    });
  }

  for (const label of ['GOST-256 CryptoPro-A', 'RSA-2048']) {
    it(`${label}: plain CMS without signed attributes (bytes and a detached stream)`, async () => {
      const { root, leaf } = get(label);
      await withTempDir(async (dir) => {
        await setup(dir, { root: root.certificate });
        const attached = await signCms({ content: doc, signers: [leaf.signer], signedAttributes: false });
        const a = await verify(dir, attached, false);
        expect(a, a).toContain('Verification successful');
        const streamed = await signCms({
          content: new Blob([doc]).stream(),
          signers: [leaf.signer],
          signedAttributes: false,
          detached: true,
        });
        const d = await verify(dir, streamed, true);
        expect(d, d).toContain('Verification successful');
        const text = await opensslText(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', 'sig.der'], { cwd: dir });
        expect(text).toMatch(/signedAttrs:\s*<ABSENT>/);
      });
    });
  }

  it('two signers (GOST-256 then ECDSA P-256 by addSigner, and a third by GOST-512) verify; -print shows them', async () => {
    const g = get('GOST-256 CryptoPro-A');
    const e = get('ECDSA P-256');
    const g5 = get('GOST-512');
    await withTempDir(async (dir) => {
      await setup(dir, { g: g.root.certificate, e: e.root.certificate, g5: g5.root.certificate });
      const one = await signCms({ content: doc, signers: [g.leaf.signer], detached: true });
      const two = await addSigner(one, { signer: e.leaf.signer, content: doc });
      const out = await verify(dir, two, true);
      expect(out, out).toContain('Verification successful');
      const text = await opensslText(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', 'sig.der'], { cwd: dir });
      expect(text.match(/signerInfos:/g)?.length).toBe(1);
      expect(text.match(/signatureAlgorithm:/g)?.length).toBe(2);

      const three = await addSigner(two, {
        signer: g5.leaf.signer,
        digest: undefined,
        content: new Blob([doc]).stream(),
      });
      const out3 = await verify(dir, three, true);
      expect(out3, out3).toContain('Verification successful');
      const text3 = await opensslText(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', 'sig.der'], { cwd: dir });
      expect(text3.match(/signatureAlgorithm:/g)?.length).toBe(3);

      // attached: co-signing keeps the content
      const att = await addSigner(await signCms({ content: doc, signers: [e.leaf.signer] }), { signer: g.leaf.signer });
      const outA = await verify(dir, att, false);
      expect(outA, outA).toContain('Verification successful');
    });
  });

  it('a precomputed GOST digest (detached) verifies against the document', async () => {
    const { root, leaf } = get('GOST-256 tc26-256-A');
    await withTempDir(async (dir) => {
      await setup(dir, { root: root.certificate });
      const sig = await signCms({ digest: gostr3411_2012_256.digest(doc), signers: [leaf.signer], detached: true });
      const out = await verify(dir, sig, true);
      expect(out, out).toContain('Verification successful');
    });
  });
});

describe('we read what openssl cms -sign makes', () => {
  it('GOST-256 -nodetach output: signed attributes present, messageDigest is Streebog-256 of the content', async () => {
    const { root, leaf } = get('GOST-256 CryptoPro-A');
    await withTempDir(async (dir) => {
      await setup(dir, { root: root.certificate });
      await writeCertificates(dir, { leaf: leaf.certificate });
      await writeFile(join(dir, 'leaf.key'), exportPrivateKey(leaf.key, 'pem'));
      await opensslText(
        ['cms', '-sign', '-binary', '-nodetach', '-in', 'doc.bin', '-signer', 'leaf.pem', '-inkey', 'leaf.key'].concat([
          '-md',
          'md_gost12_256',
          '-cades',
          '-outform',
          'DER',
          '-out',
          'theirs.der',
        ]),
        { cwd: dir },
      );
      const theirs = new Uint8Array(await readFile(join(dir, 'theirs.der')));
      const ci = decodeDer(theirs).read();
      expect(ci.next(TAG.OID, 'contentType').oid()).toBe('1.2.840.113549.1.7.2');
      const signed = ci.next(0xa0, 'content').explicit(0).read();
      signed.next(TAG.INTEGER, 'version');
      signed.next(TAG.SET, 'digestAlgorithms');
      const encap = signed.next(TAG.SEQUENCE, 'encap').read();
      encap.next(TAG.OID, 'type');
      expect(encap.next(0xa0, 'eContent').explicit(0).octets()).toEqual(doc);
      signed.optional(0xa0, 'certificates');
      const si = signed.next(TAG.SET, 'signerInfos').children()[0]?.read();
      si?.next(TAG.INTEGER, 'version');
      si?.next(undefined, 'sid');
      si?.next(TAG.SEQUENCE, 'digestAlgorithm');
      const attrs = si?.next(0xa0, 'signedAttrs').children() ?? [];
      const byOid = new Map(attrs.map((a) => [a.read().next(TAG.OID, 't').oid(), a.children()[1]?.children()[0]]));
      expect(byOid.get('1.2.840.113549.1.9.4')?.octets()).toEqual(gostr3411_2012_256.digest(doc));
      expect(byOid.has('1.2.840.113549.1.9.16.2.47')).toBe(true);
      // and our co-signature on their file verifies too
      const both = await addSigner(theirs, { signer: get('ECDSA P-256').leaf.signer });
      await writeFile(
        join(dir, 'root.pem'),
        encodePem('CERTIFICATE', root.certificate) + encodePem('CERTIFICATE', get('ECDSA P-256').root.certificate),
      );
      const out = await verify(dir, both, false);
      expect(out, out).toContain('Verification successful');
    });
  });
});

describe('countersigning and BER input', () => {
  for (const counter of ['ECDSA P-256', 'GOST-512']) {
    it(`a GOST-256 signature countersigned by ${counter} still verifies; -print shows the countersignature`, async () => {
      const g = get('GOST-256 CryptoPro-A');
      const c = get(counter);
      await withTempDir(async (dir) => {
        await setup(dir, { g: g.root.certificate, c: c.root.certificate });
        for (const detached of [false, true]) {
          const one = await signCms({ content: doc, signers: [g.leaf.signer], detached });
          const out = await addCountersignature(one, { signer: c.leaf.signer });
          const v = await verify(dir, out, detached);
          expect(v, v).toContain('Verification successful');
          expect(v).not.toContain('EXIT-NONZERO');
          const text = await opensslText(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', 'sig.der'], {
            cwd: dir,
          });
          const unsigned = text.slice(text.indexOf('unsignedAttrs:'));
          expect(unsigned).toMatch(/object: countersignature \(1\.2\.840\.113549\.1\.9\.6\)/);
          expect(unsigned).toMatch(/messageDigest/);
          expect(parseSignedData(out).signerInfos[0]?.countersignatures.length).toBe(1);
        }
      });
    });
  }

  it('addSigner on OpenSSL -stream output (BER): both signatures verify with openssl cms -verify', async () => {
    const { root, leaf } = get('GOST-256 CryptoPro-A');
    const e = get('ECDSA P-256');
    await withTempDir(async (dir) => {
      await setup(dir, { root: root.certificate, e: e.root.certificate });
      await writeCertificates(dir, { leaf: leaf.certificate });
      await writeFile(join(dir, 'leaf.key'), exportPrivateKey(leaf.key, 'pem'));
      const sign = ['cms', '-sign', '-binary', '-nodetach', '-stream', '-in', 'doc.bin', '-signer', 'leaf.pem'];
      await opensslText([...sign, '-inkey', 'leaf.key', '-md', 'md_gost12_256', '-outform', 'DER', '-out', 'ber.der'], {
        cwd: dir,
      });
      const ber = new Uint8Array(await readFile(join(dir, 'ber.der')));
      expect(ber[1]).toBe(0x80);
      const both = await addSigner(ber, { signer: e.leaf.signer });
      expect(both[1]).not.toBe(0x80);
      const out = await verify(dir, both, false);
      expect(out, out).toContain('Verification successful');
      const text = await opensslText(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', 'sig.der'], { cwd: dir });
      expect(text.match(/signatureAlgorithm:/g)?.length).toBe(2);
      // a countersignature on the BER file works the same way
      const counter = await addCountersignature(ber, { signer: e.leaf.signer });
      const out2 = await verify(dir, counter, false);
      expect(out2, out2).toContain('Verification successful');
    });
  });
});
