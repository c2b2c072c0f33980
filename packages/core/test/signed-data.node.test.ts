// What `openssl cms -sign` writes (DER, and BER with -stream) reads with @eds/core/signed-data: fields, byte-for-byte round trips, and our BER normalisation against `openssl cms -cmsout -outform DER`.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { berToDer } from '@eds/core/_ber';
import { verifySignature } from '@eds/core/algorithms';
import { allAlgorithms } from '@eds/core/all-algorithms';
import { gostr3411_2012_256 } from '@eds/core/digests';
import { exportPrivateKey, parsePublicKey } from '@eds/core/keys';
import { encodeSignedData, parseSignedData, type SignerInfoView } from '@eds/core/signed-data';
import { createTestCa, type IssuedCertificate } from '@eds/core/testing';
import { parseCertificate } from '@eds/core/x509';
import { opensslText } from '@eds/test-support/openssl';
import { withTempDir } from '@eds/test-support/temp';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeCertificates } from './_openssl-helpers';

const doc = new TextEncoder().encode('Документ для подписи\r\nбинарно: \u0000\u00ff конец\n'.repeat(300));

let leaf: IssuedCertificate;
beforeAll(async () => {
  const root = await createTestCa({ keySpec: { type: 'gost2012-256' } });
  leaf = await root.issue();
}, 60_000);

/** Runs `openssl cms -sign` with the GOST-256 leaf over doc.bin; returns the output file's bytes. */
async function opensslSign(dir: string, flags: string[]): Promise<Uint8Array> {
  await writeFile(join(dir, 'doc.bin'), doc);
  await writeCertificates(dir, { leaf: leaf.certificate });
  await writeFile(join(dir, 'leaf.key'), exportPrivateKey(leaf.key, 'pem'));
  const args = ['cms', '-sign', '-binary', '-in', 'doc.bin', '-signer', 'leaf.pem', '-inkey', 'leaf.key'];
  await opensslText([...args, '-md', 'md_gost12_256', ...flags, '-outform', 'DER', '-out', 'out.der'], { cwd: dir });
  return new Uint8Array(await readFile(join(dir, 'out.der')));
}

/** `openssl cms -cmsout -outform DER` of a file: OpenSSL's own re-encoding. */
async function opensslCmsout(dir: string, input: Uint8Array): Promise<Uint8Array> {
  await writeFile(join(dir, 'in.der'), input);
  await opensslText(['cms', '-cmsout', '-inform', 'DER', '-in', 'in.der', '-outform', 'DER', '-out', 'cmsout.der'], {
    cwd: dir,
  });
  return new Uint8Array(await readFile(join(dir, 'cmsout.der')));
}

async function expectSigner(si: SignerInfoView, content: Uint8Array): Promise<void> {
  expect(si.digestAlgorithm.oid).toBe(gostr3411_2012_256.oid);
  expect(si.messageDigest).toEqual(gostr3411_2012_256.digest(content));
  expect(si.attribute('1.2.840.113549.1.9.3')).toBeDefined();
  const ok = await verifySignature(allAlgorithms, {
    algorithm: si.signatureAlgorithm,
    publicKey: parsePublicKey(parseCertificate(leaf.certificate).spki),
    data: si.signedAttrsForSignature as Uint8Array,
    signature: si.signature,
    digestOid: si.digestAlgorithm.oid,
  });
  expect(ok).toBe(true);
}

describe('openssl cms -sign output (GOST-256, engine)', () => {
  for (const [label, flags, attached] of [
    ['attached (-nodetach)', ['-nodetach'], true],
    ['detached', [], false],
  ] as const) {
    it(`${label}: DER, parses, round-trips byte for byte, and the signature verifies`, async () => {
      await withTempDir(async (dir) => {
        const out = await opensslSign(dir, [...flags]);
        expect(berToDer(out)).toBe(out);
        const sd = parseSignedData(out);
        expect(sd.der).toBe(out);
        expect(encodeSignedData(sd)).toEqual(out);
        expect(sd.content).toEqual(attached ? doc : undefined);
        expect(sd.certificates).toEqual([leaf.certificate]);
        await expectSigner(sd.signerInfos[0] as SignerInfoView, doc);
      });
    });
  }

  for (const [label, flags] of [
    ['-stream -nodetach', ['-stream', '-nodetach']],
    ['-stream (no -nodetach)', ['-stream']],
  ] as const) {
    it(`${label}: BER (indefinite lengths, constructed OCTET STRING); our DER equals openssl -cmsout -outform DER`, async () => {
      await withTempDir(async (dir) => {
        const out = await opensslSign(dir, [...flags]);
        expect(out[1]).toBe(0x80); // indefinite length at the top: BER
        const at = out.findIndex((b, i) => b === 0x24 && out[i + 1] === 0x80);
        expect(at).toBeGreaterThan(0); // a constructed, indefinite OCTET STRING (the eContent)
        const sd = parseSignedData(out);
        expect(sd.der).not.toBe(out);
        expect(sd.der.length).toBeLessThan(out.length);
        expect(encodeSignedData(sd)).toEqual(sd.der);
        // OpenSSL with DER output writes the content even without -nodetach when streaming
        expect(sd.content).toEqual(doc);
        await expectSigner(sd.signerInfos[0] as SignerInfoView, doc);
        const theirs = await opensslCmsout(dir, out);
        expect(sd.der).toEqual(theirs);
        // and OpenSSL's re-encoding of our DER is our DER
        expect(await opensslCmsout(dir, sd.der)).toEqual(sd.der);
      });
    });
  }
});
