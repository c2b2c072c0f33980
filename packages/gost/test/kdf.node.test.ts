// Interop of the GOST R 34.11-2012 KDFs (HMAC, PBKDF2, KDF_TREE) with OpenSSL 3 and the GOST engine, an independent implementation.

import {
  hmacStreebog256,
  hmacStreebog512,
  kdfTreeGostR3411_2012_256,
  OID_HMAC_STREEBOG_256,
  OID_HMAC_STREEBOG_512,
  pbkdf2Streebog512,
  pbkdf2Streebog512Async,
} from '@eds/gost/kdf';
import { openssl } from '@eds/test-support/openssl';
import { bytesToHex } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** `openssl mac -digest md_gost12_256 -macopt hexkey:... HMAC` over standard input (an empty key works here, not with `dgst -mac`). */
async function opensslHmac(bits: 256 | 512, key: Uint8Array, data: Uint8Array): Promise<string> {
  const args = ['mac', '-binary', '-digest', `md_gost12_${bits}`, '-macopt', `hexkey:${bytesToHex(key)}`, 'HMAC'];
  return bytesToHex((await openssl(args, { input: data })).stdout);
}

/** `openssl kdf ... PBKDF2` with HMAC over md_gost12_512 (OpenSSL's PBKDF2, the engine's digest). */
async function opensslPbkdf2(password: Uint8Array, salt: Uint8Array, iterations: number, dkLen: number) {
  const args = ['kdf', '-binary', '-keylen', String(dkLen), '-kdfopt', 'digest:md_gost12_512'];
  args.push('-kdfopt', `hexpass:${bytesToHex(password)}`, '-kdfopt', `hexsalt:${bytesToHex(salt)}`);
  args.push('-kdfopt', `iter:${iterations}`, 'PBKDF2');
  return bytesToHex((await openssl(args)).stdout);
}

/**
 * KDF_TREE with R = 4 through OpenSSL's SP 800-108 KBKDF in counter mode, which computes
 * HMAC(key, [i]_4 | label | 0x00 | context [| [L]_4]). GOST writes L without leading zero bytes,
 * so `use-l` is off and [L]_b is appended to the context (the seed) by hand; everything else,
 * counter, separator and HMAC-Streebog, is OpenSSL's. OpenSSL 3.0 has no 8-, 16- or 24-bit
 * counter (the `r` option came in 3.1), and fails silently on an empty key.
 */
async function opensslKdfTree(key: Uint8Array, label: Uint8Array, seed: Uint8Array, length: number) {
  const bits = BigInt(8 * length).toString(16);
  const context = bytesToHex(seed) + bits.padStart(bits.length + (bits.length % 2), '0');
  const args = ['kdf', '-binary', '-keylen', String(length), '-kdfopt', 'mac:HMAC', '-kdfopt', 'digest:md_gost12_256'];
  args.push('-kdfopt', `hexkey:${bytesToHex(key)}`, '-kdfopt', `hexsalt:${bytesToHex(label)}`);
  args.push('-kdfopt', `hexinfo:${context}`, '-kdfopt', 'use-l:0', 'KBKDF');
  return bytesToHex((await openssl(args)).stdout);
}

describe('HMAC-Streebog against openssl mac', () => {
  it('agrees on 40 random keys (0..200 bytes, across the 64-byte block) and messages, both sizes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 1000 }), async (key, data) => {
        expect(bytesToHex(hmacStreebog256(key, data))).toBe(await opensslHmac(256, key, data));
        expect(bytesToHex(hmacStreebog512(key, data))).toBe(await opensslHmac(512, key, data));
      }),
      { numRuns: 40 },
    );
  });

  it('uses the OIDs OpenSSL knows as the HMAC-Streebog algorithms', async () => {
    for (const [oid, bits] of [
      [OID_HMAC_STREEBOG_256, 256],
      [OID_HMAC_STREEBOG_512, 512],
    ] as const) {
      const text = new TextDecoder().decode((await openssl(['asn1parse', '-genstr', `OID:${oid}`])).stdout);
      expect(text).toContain(`:HMAC GOST 34.11-2012 ${bits} bit`);
    }
  });

  it('agrees for keys of 63, 64 and 65 bytes', async () => {
    for (const length of [63, 64, 65]) {
      const key = Uint8Array.from({ length }, (_, i) => (i * 29 + 3) & 0xff);
      const data = Uint8Array.from({ length: 100 }, (_, i) => i);
      expect(bytesToHex(hmacStreebog256(key, data)), `key of ${length} bytes`).toBe(await opensslHmac(256, key, data));
      expect(bytesToHex(hmacStreebog512(key, data)), `key of ${length} bytes`).toBe(await opensslHmac(512, key, data));
    }
  });
});

describe('PBKDF2-HMAC-Streebog-512 against openssl kdf PBKDF2', () => {
  it('agrees on 20 random passwords, salts, counts (1..50) and lengths (1..200)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 100 }),
        fc.uint8Array({ maxLength: 64 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 200 }),
        async (password, salt, iterations, dkLen) => {
          expect(bytesToHex(pbkdf2Streebog512(password, salt, iterations, dkLen))).toBe(
            await opensslPbkdf2(password, salt, iterations, dkLen),
          );
        },
      ),
      { numRuns: 20 },
    );
  });

  it('encodes a string password as UTF-8, like the GOST PFX password of R 50.1.112-2016', async () => {
    const salt = Uint8Array.from({ length: 32 }, (_, i) => 0xa0 + i);
    const expected = await opensslPbkdf2(new TextEncoder().encode('Пароль для PFX'), salt, 2000, 96);
    expect(bytesToHex(await pbkdf2Streebog512Async('Пароль для PFX', salt, 2000, 96))).toBe(expected);
  });
});

describe('KDF_TREE_GOSTR3411_2012_256 against openssl kdf KBKDF (R = 4)', () => {
  it('agrees on 30 random keys, labels, seeds and lengths (1..200 bytes)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 100 }),
        fc.uint8Array({ maxLength: 40 }),
        fc.uint8Array({ maxLength: 40 }),
        fc.integer({ min: 1, max: 200 }),
        async (key, label, seed, length) => {
          expect(bytesToHex(kdfTreeGostR3411_2012_256(key, label, seed, length, 4))).toBe(
            await opensslKdfTree(key, label, seed, length),
          );
        },
      ),
      { numRuns: 30 },
    );
  });
});
