// Interop of KImp15 (R 1323565.1.017-2018) and the CryptoPro key wrap (RFC 4357 §6.3) with OpenSSL 3 and the GOST engine, an independent implementation.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gost28147CfbDecrypt } from '@eds/gost/gost28147';
import { vko2012_256 } from '@eds/gost/kdf';
import { type Kexp15Cipher, kexp15, kimp15, unwrapCryptoPro, wrapCryptoPro } from '@eds/gost/keywrap';
import { at } from '@eds/test-support/der';
import { openssl } from '@eds/test-support/openssl';
import { withTempDir } from '@eds/test-support/temp';
import { bytesToHex, concatBytes, randomBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const hex = bytesToHex;
const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });

/**
 * `openssl enc -d -<cipher>-kexp15`: gost-engine's KImp15 (gost_keyexpimp.c). The 64-byte `-K` is
 * K_mac ‖ K_enc; the IV is half a block. The engine only imports (`-e` fails), and it runs the
 * import once in `update` and again in `final`, so a good input prints the key twice; a bad MAC
 * prints nothing and "bad mac" on standard error, with exit status 0.
 */
async function opensslKimp15(
  cipher: Kexp15Cipher,
  exported: Uint8Array,
  kEnc: Uint8Array,
  kMac: Uint8Array,
  iv: Uint8Array,
) {
  const args = ['enc', '-d', `-${cipher}-kexp15`, '-K', hex(concatBytes(kMac, kEnc)), '-iv', hex(iv)];
  return openssl(args, { input: exported });
}

describe('KExp15 against openssl enc -d -kuznyechik-kexp15 / -magma-kexp15', () => {
  it.each(['kuznyechik', 'magma'] as const)('%s: OpenSSL imports 25 random exports of ours', async (cipher) => {
    const n = cipher === 'kuznyechik' ? 16 : 8;
    await fc.assert(
      fc.asyncProperty(bytes(32), bytes(32), bytes(32), bytes(n / 2), async (key, kEnc, kMac, iv) => {
        const exported = kexp15(cipher, key, kEnc, kMac, iv);
        const { stdout } = await opensslKimp15(cipher, exported, kEnc, kMac, iv);
        expect(hex(stdout)).toBe(hex(key) + hex(key));
      }),
      { numRuns: 25 },
    );
  });

  it.each(['kuznyechik', 'magma'] as const)('%s: OpenSSL and kimp15 both reject the same bit flips', async (cipher) => {
    const n = cipher === 'kuznyechik' ? 16 : 8;
    const [key, kEnc, kMac, iv] = [randomBytes(32), randomBytes(32), randomBytes(32), randomBytes(n / 2)];
    const exported = kexp15(cipher, key, kEnc, kMac, iv);
    for (const at of [0, 31, 32, 32 + n - 1]) {
      const bad = exported.slice();
      bad[at] = (bad[at] as number) ^ 0x10;
      const { stdout, stderr } = await opensslKimp15(cipher, bad, kEnc, kMac, iv);
      expect(stdout.length).toBe(0);
      expect(stderr).toMatch(/bad mac/i);
      expect(() => kimp15(cipher, bad, kEnc, kMac, iv)).toThrow(/MAC mismatch/);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// CryptoPro key wrap through `openssl cms -encrypt -gost89` (RFC 4490 key transport)
// ---------------------------------------------------------------------------------------------

/**
 * The pieces of a GOST key-transport EnvelopedData (RFC 4490 §4.2) with one recipient:
 * ContentInfo { [0] EnvelopedData { version, recipientInfos { KTRI { version, rid, alg,
 * encryptedKey } }, EncryptedContentInfo { type, alg { oid, Gost28147-89-Parameters { iv,
 * paramSet } }, [0] content } } }, and in encryptedKey GostR3410-KeyTransport {
 * Gost28147-89-EncryptedKey { encryptedKey, macKey }, [0] { encryptionParamSet, [0]
 * ephemeralPublicKey, ukm } }.
 */
function parseKeyTransport(der: Uint8Array, size: number) {
  const ktri = [1, 0, 1, 0];
  expect(at(der, ...ktri).tagNumber).toBe(16);
  const transport = at(der, ...ktri, 3).value;
  return {
    encryptedKey: at(transport, 0, 0).value,
    macKey: at(transport, 0, 1).value,
    keyParamSet: at(transport, 1, 0).oid(),
    ephemeralPublicKey: at(transport, 1, 1, 1).value.subarray(-(2 * size)),
    ukm: at(transport, 1, 2).value,
    contentIv: at(der, 1, 0, 2, 1, 1, 0).value,
    contentParamSet: at(der, 1, 0, 2, 1, 1, 1).oid(),
    encryptedContent: at(der, 1, 0, 2, 2).value,
  };
}

describe('CryptoPro key wrap against openssl cms -encrypt -gost89 (gost-engine keyWrapCryptoPro)', () => {
  it.each([
    ['cryptopro-a', 'gost2012_256', 'A'],
    ['tc26-256-a', 'gost2012_256', 'TCA'],
    ['tc26-512-a', 'gost2012_512', 'A'],
  ] as const)(
    'unwraps the CEK of 5 OpenSSL messages to a %s recipient and decrypts the content',
    async (curve, algorithm, paramset) => {
      const size = algorithm === 'gost2012_256' ? 32 : 64;
      await withTempDir(async (dir) => {
        const keyPem = join(dir, 'r.key.pem');
        const certPem = join(dir, 'r.cert.pem');
        await openssl(['genpkey', '-algorithm', algorithm, '-pkeyopt', `paramset:${paramset}`, '-out', keyPem]);
        await openssl([
          'req',
          '-new',
          '-x509',
          '-key',
          keyPem,
          '-subj',
          '/CN=recipient',
          '-days',
          '1',
          '-out',
          certPem,
        ]);
        // GOST PKCS#8 DER ends with the private scalar, little-endian.
        const privateKey = (await openssl(['pkey', '-in', keyPem, '-outform', 'DER'])).stdout.subarray(-size);
        for (let i = 0; i < 5; i++) {
          const plain = randomBytes(1 + i * 300);
          const plainFile = join(dir, `m${i}.bin`);
          const envFile = join(dir, `m${i}.der`);
          await writeFile(plainFile, plain);
          const args = ['cms', '-encrypt', '-binary', '-gost89', '-in', plainFile, '-outform', 'DER', '-out', envFile];
          await openssl([...args, certPem]);
          const m = parseKeyTransport(new Uint8Array(await readFile(envFile)), size);
          expect(m.ukm.length).toBe(8);
          // RFC 4490 §4.2.1 with GOST R 34.10-2012 keys, 256- and 512-bit alike: KEK = VKO_GOSTR3410_2012_256.
          const kek = vko2012_256(privateKey, m.ephemeralPublicKey, m.ukm, curve);
          const cek = unwrapCryptoPro(kek, concatBytes(m.ukm, m.encryptedKey, m.macKey), m.keyParamSet);
          const decrypted = gost28147CfbDecrypt(cek, m.contentIv, m.encryptedContent, { sbox: m.contentParamSet });
          expect(hex(decrypted)).toBe(hex(plain));
          // Wrapping is deterministic: the same CEK, KEK and UKM give OpenSSL's bytes.
          expect(hex(wrapCryptoPro(kek, cek, m.ukm, m.keyParamSet))).toBe(
            hex(concatBytes(m.ukm, m.encryptedKey, m.macKey)),
          );
        }
      });
    },
  );
});
