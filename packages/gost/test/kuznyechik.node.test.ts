// Interop of Kuznyechik (GOST R 34.12-2015, RFC 7801) with OpenSSL 3 and the GOST engine, an independent implementation.
import { kuznyechik } from '@eds/gost/kuznyechik';
import { openssl } from '@eds/test-support/openssl';
import { bytesToHex } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** `openssl enc -kuznyechik-ecb` without padding: the key and blocks as raw byte strings. */
async function opensslEcb(key: Uint8Array, data: Uint8Array, decrypt = false): Promise<string> {
  const args = ['enc', '-kuznyechik-ecb', '-K', bytesToHex(key), '-nopad', ...(decrypt ? ['-d'] : [])];
  return bytesToHex((await openssl(args, { input: data })).stdout);
}

function ecb(key: Uint8Array, data: Uint8Array, decrypt = false): string {
  const cipher = kuznyechik(key);
  const out = new Uint8Array(data.length);
  for (let at = 0; at < data.length; at += 16) {
    if (decrypt) cipher.decryptBlock(data, at, out, at);
    else cipher.encryptBlock(data, at, out, at);
  }
  cipher.destroy();
  return bytesToHex(out);
}

/** Random keys and 1..64 random blocks, new ones every run. */
const cases = fc.tuple(
  fc.uint8Array({ minLength: 32, maxLength: 32 }),
  fc.integer({ min: 1, max: 64 }).chain((blocks) => fc.uint8Array({ minLength: 16 * blocks, maxLength: 16 * blocks })),
);

describe('Kuznyechik against openssl enc -kuznyechik-ecb', () => {
  it('encrypts like OpenSSL: 20 random keys with 1..64 random blocks', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async ([key, data]) => {
        expect(ecb(key, data)).toBe(await opensslEcb(key, data));
      }),
      { numRuns: 20 },
    );
  });

  it('decrypts like OpenSSL: 20 random keys with 1..64 random blocks', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async ([key, data]) => {
        expect(ecb(key, data, true)).toBe(await opensslEcb(key, data, true));
      }),
      { numRuns: 20 },
    );
  });
});
