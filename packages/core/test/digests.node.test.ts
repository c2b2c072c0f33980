// Digest descriptors against OpenSSL 3 with the GOST engine (an independent implementation): SHA-1/2, Streebog and GOST R 34.11-94 (CryptoPro, `-md_gost94`).
import { gostr3411_94, gostr3411_2012_256, gostr3411_2012_512, sha1, sha256, sha384, sha512 } from '@eds/core/digests';
import { hexEncode } from '@eds/core/encoding';
import type { DigestAlgorithm } from '@eds/core/types';
import { opensslText } from '@eds/test-support/openssl';
import { randomBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';

const CASES: [DigestAlgorithm, string][] = [
  [sha1, '-sha1'],
  [sha256, '-sha256'],
  [sha384, '-sha384'],
  [sha512, '-sha512'],
  [gostr3411_2012_256, '-md_gost12_256'],
  [gostr3411_2012_512, '-md_gost12_512'],
  [gostr3411_94, '-md_gost94'],
];

describe('digests agree with openssl dgst', () => {
  for (const [d, flag] of CASES) {
    it(`${d.name} = openssl dgst ${flag} (empty, block-sized and random inputs)`, async () => {
      for (const data of [
        new Uint8Array(0),
        new Uint8Array(64).fill(0xff),
        randomBytes((1 + Math.random() * 300) | 0),
        randomBytes(1000),
      ]) {
        const out = await opensslText(['dgst', flag, '-r'], { input: data });
        expect(hexEncode(d.digest(data))).toBe(out.split(' ')[0]);
      }
    });
  }
});
