// GOST R 34.10-2012 signatures made through the PKCS#11 adapter on FAKE Rutoken, JaCarta and TC26
// tokens (tokens.md §3.2, §6.1; s‖r per RFC 9215 §3) checked by OpenSSL's GOST engine
// (`openssl dgst -verify`, tokens.md §4.4), the independent verifier; Node only (child processes).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gostr3411_2012_256, gostr3411_2012_512 } from '@eds/core/digests';
import { inProcessBinding, openPkcs11 } from '@eds/pkcs11/pkcs11';
import type { HashAlg, SignatureScheme } from '@eds/pkcs11/types';
import { openssl } from '@eds/test-support/openssl';
import { withTempDir } from '@eds/test-support/temp';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFakePki, FAKE_CKM, FakePkcs11, type FakePki } from './support/fake-pkcs11';

const data = new TextEncoder().encode('Акт сверки взаимных расчётов за IV квартал\n');

let pki: FakePki;
beforeAll(async () => {
  pki = await createFakePki();
}, 120_000);

/** `openssl dgst -md_gost12_* -verify` with the public key openssl takes from the certificate. */
async function opensslVerifies(dir: string, md: string, cert: Uint8Array, signed: Uint8Array, sig: Uint8Array) {
  await writeFile(join(dir, 'cert.der'), cert);
  await writeFile(join(dir, 'data.bin'), signed);
  await writeFile(join(dir, 'sig.bin'), sig);
  await openssl(['x509', '-inform', 'der', '-in', 'cert.der', '-pubkey', '-noout', '-out', 'pub.pem'], { cwd: dir });
  try {
    const r = await openssl(['dgst', md, '-verify', 'pub.pem', '-signature', 'sig.bin', 'data.bin'], { cwd: dir });
    return new TextDecoder().decode(r.stdout).includes('Verified OK');
  } catch {
    return false;
  }
}

const SIZES = [
  {
    name: 'GOST-256 tc26-256-A',
    bits: 256,
    md: '-md_gost12_256',
    hash: 'STREEBOG-256' as HashAlg,
    digest: gostr3411_2012_256,
    leaf: () => pki.gost256tc26,
  },
  {
    name: 'GOST-256 CryptoPro-A',
    bits: 256,
    md: '-md_gost12_256',
    hash: 'STREEBOG-256' as HashAlg,
    digest: gostr3411_2012_256,
    leaf: () => pki.gost256,
  },
  {
    name: 'GOST-512 tc26-512-A',
    bits: 512,
    md: '-md_gost12_512',
    hash: 'STREEBOG-512' as HashAlg,
    digest: gostr3411_2012_512,
    leaf: () => pki.gost512,
  },
] as const;

describe('GOST signatures from fake tokens, verified by openssl dgst with the GOST engine', () => {
  for (const flavour of ['rutoken', 'jacarta', 'tc26'] as const) {
    for (const size of SIZES) {
      it(`${flavour}: ${size.name} over data and over a digest: openssl says Verified OK`, async () => {
        const leaf = size.leaf();
        const objects = [{ id: '42', key: leaf.key, certificate: leaf.certificate }];
        const fake = new FakePkcs11({ tokens: [{ serial: 'OSSL-1', label: flavour, flavour, objects }] });
        const adapter = await openPkcs11('fake-pkcs11.so', { binding: inProcessBinding(fake) });
        try {
          await adapter.login({ provider: 'pkcs11', tokenId: 'OSSL-1' }, '1234');
          const key = { provider: 'pkcs11', tokenId: 'OSSL-1', keyId: '42' };
          const scheme: SignatureScheme = { name: 'GOST3410', hash: size.hash };
          const overData = await adapter.sign(key, { type: 'data', data }, scheme);
          const digest = size.digest.digest(data);
          const overDigest = await adapter.sign(key, { type: 'digest', digest, hash: size.hash }, scheme);
          await withTempDir(async (dir) => {
            expect(await opensslVerifies(dir, size.md, leaf.certificate, data, overData)).toBe(true);
            expect(await opensslVerifies(dir, size.md, leaf.certificate, data, overDigest)).toBe(true);
            // The same check refuses other data and the halves in the wrong order (r‖s).
            const other = new TextEncoder().encode('Акт сверки (изменён)\n');
            expect(await opensslVerifies(dir, size.md, leaf.certificate, other, overData)).toBe(false);
            const half = size.bits / 8;
            const rs = new Uint8Array([...overData.subarray(half), ...overData.subarray(0, half)]);
            expect(await opensslVerifies(dir, size.md, leaf.certificate, data, rs)).toBe(false);
          });
          const raw = size.bits === 256 ? FAKE_CKM.GOSTR3410 : FAKE_CKM.GOSTR3410_512;
          expect(fake.signInits.at(-1)).toBe(raw);
        } finally {
          await adapter.close();
        }
      });
    }
  }

  it('the digest the adapter signs equals openssl dgst of the data (Streebog-256 and -512)', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'data.bin'), data);
      for (const size of SIZES) {
        await openssl(['dgst', size.md, '-binary', '-out', 'd.bin', 'data.bin'], { cwd: dir });
        expect(new Uint8Array(await readFile(join(dir, 'd.bin')))).toEqual(size.digest.digest(data));
      }
    });
  });
});
