// Interop of Magma (GOST R 34.12-2015, RFC 8891) with OpenSSL 3 and the GOST engine, an independent implementation.
import { magma } from '@eds/gost/magma';
import { openssl } from '@eds/test-support/openssl';
import { bytesToHex } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// OpenSSL has no magma-ecb; CBC of GOST R 34.13-2015 with m = n and a zero IV exercises the
// block function on every block, so the test computes the same CBC from encryptBlock/decryptBlock.

/** `openssl enc -magma-cbc` with a zero IV and no padding: the key and blocks as raw byte strings. */
async function opensslCbc(key: Uint8Array, data: Uint8Array, decrypt = false): Promise<string> {
  const args = ['enc', '-magma-cbc', '-K', bytesToHex(key), '-iv', '0000000000000000', '-nopad'];
  if (decrypt) args.push('-d');
  return bytesToHex((await openssl(args, { input: data })).stdout);
}

/** CBC with a zero IV: C_i = E(P_i ^ C_(i-1)), P_i = D(C_i) ^ C_(i-1), C_0 = 0. */
function cbc(key: Uint8Array, data: Uint8Array, decrypt = false): string {
  const cipher = magma(key);
  const out = new Uint8Array(data.length);
  const chain = new Uint8Array(8);
  for (let at = 0; at < data.length; at += 8) {
    if (decrypt) {
      cipher.decryptBlock(data, at, out, at);
      for (let i = 0; i < 8; i++) out[at + i] = (out[at + i] ?? 0) ^ (chain[i] ?? 0);
      chain.set(data.subarray(at, at + 8));
    } else {
      for (let i = 0; i < 8; i++) chain[i] = (chain[i] ?? 0) ^ (data[at + i] ?? 0);
      cipher.encryptBlock(chain, 0, chain, 0);
      out.set(chain, at);
    }
  }
  cipher.destroy();
  return bytesToHex(out);
}

/** Random keys and 1..128 random blocks, new ones every run. */
const cases = fc.tuple(
  fc.uint8Array({ minLength: 32, maxLength: 32 }),
  fc.integer({ min: 1, max: 128 }).chain((blocks) => fc.uint8Array({ minLength: 8 * blocks, maxLength: 8 * blocks })),
);

describe('Magma against openssl enc -magma-cbc', () => {
  it('encrypts like OpenSSL: 20 random keys with 1..128 random blocks', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async ([key, data]) => {
        expect(cbc(key, data)).toBe(await opensslCbc(key, data));
      }),
      { numRuns: 20 },
    );
  });

  it('decrypts like OpenSSL: 20 random keys with 1..128 random blocks', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async ([key, data]) => {
        expect(cbc(key, data, true)).toBe(await opensslCbc(key, data, true));
      }),
      { numRuns: 20 },
    );
  });
});
