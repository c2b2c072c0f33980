// Digest descriptors: published vectors (FIPS 180-4 examples, RFC 6986 §10, GOST R 34.11-94 CryptoPro), OIDs, findDigest, streaming equals one-shot.
import { allDigests } from '@eds/core/all-algorithms';
import {
  findDigest,
  gostr3411_94,
  gostr3411_2012_256,
  gostr3411_2012_512,
  sha1,
  sha256,
  sha384,
  sha512,
} from '@eds/core/digests';
import { hexEncode } from '@eds/core/encoding';
import { UnsupportedAlgorithmError } from '@eds/core/errors';
import type { DigestAlgorithm } from '@eds/core/types';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const ascii = (s: string) => new TextEncoder().encode(s);
/** RFC 6986 §10.1 M1: the 63 ASCII digits "0123456789" repeated, ending in "012". */
const M1 = ascii('012345678901234567890123456789012345678901234567890123456789012');

// [descriptor, name, OID, size, message, expected digest (bytes as output)]
const VECTORS: [DigestAlgorithm, string, string, number, Uint8Array, string][] = [
  // FIPS 180-4 examples (NIST CSRC "Example Algorithms"), message "abc".
  [sha1, 'sha1', '1.3.14.3.2.26', 20, ascii('abc'), 'a9993e364706816aba3e25717850c26c9cd0d89d'],
  [
    sha256,
    'sha256',
    '2.16.840.1.101.3.4.2.1',
    32,
    ascii('abc'),
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  ],
  [
    sha384,
    'sha384',
    '2.16.840.1.101.3.4.2.2',
    48,
    ascii('abc'),
    'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7',
  ],
  [
    sha512,
    'sha512',
    '2.16.840.1.101.3.4.2.3',
    64,
    ascii('abc'),
    'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
  ],
  // RFC 6986 §10.1 (Example 1), printed there most significant byte first, so reversed here (gost.md §2).
  [
    gostr3411_2012_256,
    'streebog256',
    '1.2.643.7.1.1.2.2',
    32,
    M1,
    '9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500',
  ],
  [
    gostr3411_2012_512,
    'streebog512',
    '1.2.643.7.1.1.2.3',
    64,
    M1,
    '1b54d01a4af5b9d5cc3d86d68d285462b19abc2475222f35c085122be4ba1ffa00ad30f8767b3a82384c6574f024c311e2a481332b08ef7f41797891c1646f48',
  ],
  // GOST R 34.11-94 with the CryptoPro parameters: the published examples (Wikipedia "GOST (hash
  // function)", CryptoPro table), equal to `openssl dgst -md_gost94` (checked in digests.node.test.ts).
  [
    gostr3411_94,
    'gostr3411-94',
    '1.2.643.2.2.9',
    32,
    ascii('abc'),
    'b285056dbf18d7392d7677369524dd14747459ed8143997e163b2986f92fd42c',
  ],
];

describe('digest descriptors', () => {
  for (const [d, name, oid, size, message, expected] of VECTORS) {
    it(`${name}: name, OID, size and the published vector`, () => {
      expect(d.name).toBe(name);
      expect(d.oid).toBe(oid);
      expect(d.size).toBe(size);
      expect(hexEncode(d.digest(message))).toBe(expected);
      const h = d.create();
      h.update(message);
      expect(hexEncode(h.digest())).toBe(expected);
    });
  }

  it('GOST R 34.11-94 (CryptoPro): the other published examples', () => {
    expect(hexEncode(gostr3411_94.digest(ascii('a')))).toBe(
      'e74c52dd282183bf37af0079c9f78055715a103f17e3133ceff1aacf2f403011',
    );
    expect(hexEncode(gostr3411_94.digest(ascii('message digest')))).toBe(
      'bc6041dd2aa401ebfa6e9886734174febdb4729aa972d60f549ac39b29721ba0',
    );
  });

  it('Streebog-256 of the empty message (gost.md §2)', () => {
    expect(hexEncode(gostr3411_2012_256.digest(new Uint8Array(0)))).toMatch(/^3f539a21.*8d9ce1bb$/);
  });

  it('streaming equals one-shot for random chunkings, every digest', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...allDigests),
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.nat({ max: 300 }), { maxLength: 6 }),
        (d, data, cuts) => {
          const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
          const h = d.create();
          let at = 0;
          for (const p of [...points, data.length]) {
            h.update(data.subarray(at, p));
            at = p;
          }
          expect(hexEncode(h.digest())).toBe(hexEncode(d.digest(data)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('descriptors are frozen and allDigests lists each once', () => {
    expect(Object.isFrozen(sha256)).toBe(true);
    expect(new Set(allDigests.map((d) => d.oid)).size).toBe(allDigests.length);
    expect(allDigests.length).toBe(7);
  });
});

describe('findDigest', () => {
  it('finds each digest by OID, in the default set and in allDigests', () => {
    for (const [d, , oid] of VECTORS) {
      expect(findDigest(oid)).toBe(d);
      expect(findDigest(oid, allDigests)).toBe(d);
    }
  });

  it('throws UnsupportedAlgorithmError with the OID for an unknown digest or one outside the set', () => {
    const sha224 = '2.16.840.1.101.3.4.2.4';
    expect(() => findDigest(sha224)).toThrow(UnsupportedAlgorithmError);
    try {
      findDigest(sha256.oid, [gostr3411_2012_256]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UnsupportedAlgorithmError);
      expect((e as UnsupportedAlgorithmError).code).toBe('ERR_UNSUPPORTED_ALGORITHM');
      expect((e as UnsupportedAlgorithmError).oid).toBe(sha256.oid);
    }
  });
});
