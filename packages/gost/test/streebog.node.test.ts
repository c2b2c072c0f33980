// Interop of Streebog (GOST R 34.11-2012, RFC 6986) with OpenSSL 3 and the GOST engine, an independent implementation.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { streebog256, streebog512 } from '@eds/gost/streebog';
import { opensslText } from '@eds/test-support/openssl';
import { withTempDir } from '@eds/test-support/temp';
import { bytesToHex } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** `openssl dgst -streebog256` prints `md_gost12_256(stdin)= <hex>`. */
async function opensslDigest(bits: 256 | 512, input: Uint8Array): Promise<string> {
  const text = await opensslText(['dgst', `-streebog${bits}`], { input });
  const match = /= ([0-9a-f]+)\s*$/.exec(text);
  if (!match?.[1]) throw new Error(`unexpected openssl output: ${text}`);
  return match[1];
}

describe('Streebog against openssl dgst', () => {
  it('agrees on 50 random messages of 0..5000 bytes, both sizes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 5000 }), async (message) => {
        expect(bytesToHex(streebog256(message))).toBe(await opensslDigest(256, message));
        expect(bytesToHex(streebog512(message))).toBe(await opensslDigest(512, message));
      }),
      { numRuns: 50 },
    );
  });

  it('agrees around the block boundaries', async () => {
    for (const length of [0, 1, 63, 64, 65, 127, 128, 129, 191, 192, 193]) {
      const message = Uint8Array.from({ length }, (_, i) => (i * 131 + 7) & 0xff);
      expect(bytesToHex(streebog256(message)), `length ${length}`).toBe(await opensslDigest(256, message));
      expect(bytesToHex(streebog512(message)), `length ${length}`).toBe(await opensslDigest(512, message));
    }
  });

  it('carries the OIDs OpenSSL encodes for md_gost12_256 and md_gost12_512', async () => {
    for (const [hash, name] of [
      [streebog256, 'md_gost12_256'],
      [streebog512, 'md_gost12_512'],
    ] as const) {
      const der = await withTempDir(async (dir) => {
        await opensslText(['asn1parse', '-genstr', `OID:${name}`, '-noout', '-out', join(dir, 'oid.der')]);
        return readFile(join(dir, 'oid.der'));
      });
      expect(bytesToHex(hash.oid ?? new Uint8Array())).toBe(bytesToHex(der));
    }
  });
});
