// Interop of GOST R 34.11-94 (RFC 5831) and HMAC/PBKDF2 over it with OpenSSL 3 and the GOST engine, and with crypto-gost-js for the test parameters.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gost341194, hmacGost341194 } from '@eds/gost/gost341194';
import { openssl, opensslText } from '@eds/test-support/openssl';
import { withTempDir } from '@eds/test-support/temp';
import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { bytesToHex, randomBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** `openssl dgst -md_gost94` (CryptoPro parameters) prints `md_gost94(stdin)= <hex>`. */
async function opensslDigest(input: Uint8Array, extra: string[] = []): Promise<string> {
  const text = await opensslText(['dgst', '-md_gost94', ...extra], { input });
  const match = /= ([0-9a-f]+)\s*$/.exec(text);
  if (!match?.[1]) throw new Error(`unexpected openssl output: ${text}`);
  return match[1];
}

describe('GOST R 34.11-94 (CryptoPro parameters) against openssl dgst -md_gost94', () => {
  it('agrees on 50 random messages of 0..5000 bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 5000 }), async (message) => {
        expect(bytesToHex(gost341194(message))).toBe(await opensslDigest(message));
      }),
      { numRuns: 50 },
    );
  });

  it('agrees around the block boundaries, the empty message included', async () => {
    for (const length of [0, 1, 31, 32, 33, 63, 64, 65, 95, 96, 97]) {
      const message = Uint8Array.from({ length }, (_, i) => (i * 131 + 7) & 0xff);
      expect(bytesToHex(gost341194(message)), `length ${length}`).toBe(await opensslDigest(message));
    }
  });

  it('carries the OID OpenSSL encodes for md_gost94', async () => {
    const der = await withTempDir(async (dir) => {
      await opensslText(['asn1parse', '-genstr', 'OID:md_gost94', '-noout', '-out', join(dir, 'oid.der')]);
      return readFile(join(dir, 'oid.der'));
    });
    expect(bytesToHex(gost341194.oid ?? new Uint8Array())).toBe(bytesToHex(der));
  });
});

describe('HMAC and PBKDF2 over GOST R 34.11-94 against OpenSSL', () => {
  it('HMAC_GOSTR3411 equals openssl dgst -md_gost94 -mac HMAC on random keys (1..100 bytes) and messages', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 100 }),
        fc.uint8Array({ maxLength: 2000 }),
        async (key, message) => {
          const theirs = await opensslDigest(message, ['-mac', 'HMAC', '-macopt', `hexkey:${bytesToHex(key)}`]);
          expect(bytesToHex(hmacGost341194(key, message))).toBe(theirs);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('PBKDF2 with @noble/hashes equals openssl kdf ... PBKDF2 (digest md_gost94) on random inputs', async () => {
    for (let i = 0; i < 3; i++) {
      const password = randomBytes(1 + ((randomBytes(1)[0] as number) % 40));
      const salt = randomBytes(16);
      const c = 1 + ((randomBytes(1)[0] as number) % 50);
      const args = ['kdf', '-keylen', '40', '-binary', '-kdfopt', 'digest:md_gost94'];
      args.push('-kdfopt', `hexpass:${bytesToHex(password)}`, '-kdfopt', `hexsalt:${bytesToHex(salt)}`);
      args.push('-kdfopt', `iter:${c}`, 'PBKDF2');
      const theirs = (await openssl(args)).stdout;
      expect(bytesToHex(pbkdf2(gost341194, password, salt, { c, dkLen: 40 }))).toBe(bytesToHex(theirs));
    }
  });
});

// OpenSSL has no GOST R 34.11-94 with the test parameters; crypto-gost-js (the pure-JS peer in
// devDependencies, loaded as plain CommonJS) has. It skips the zero block of the empty message
// (see gost341194.test.ts), so messages here are not empty.
describe('GOST R 34.11-94 (test parameters) against crypto-gost-js', () => {
  interface Peer {
    GostEngine: {
      getGostDigest(algorithm: { name: string; version: 1994; sBox: string }): { digest(d: Uint8Array): ArrayBuffer };
    };
  }
  const peer = createRequire(import.meta.url)('@wavesenterprise/crypto-gost-js') as Peer;

  it.each([
    ['gostr3411-94-test', 'D-TEST'],
    ['gostr3411-94-cryptopro', 'D-A'],
  ])('%s agrees with sBox %s on random messages of 1..3000 bytes', (paramSet, sBox) => {
    const theirs = peer.GostEngine.getGostDigest({ name: 'GOST R 34.11', version: 1994, sBox });
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 3000 }), (message) => {
        expect(bytesToHex(gost341194(message, { paramSet }))).toBe(bytesToHex(new Uint8Array(theirs.digest(message))));
      }),
      { numRuns: 40 },
    );
  });
});
