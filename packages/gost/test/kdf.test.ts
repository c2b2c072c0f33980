// Tests of the GOST KDFs and VKO (RFC 7836 §4.1, §4.3-4.5; RFC 9337): official examples, properties, misuse.

import { getCurve, listCurves } from '@eds/gost/curves';
import { InvalidKeyError } from '@eds/gost/errors';
import { getPublicKey, randomPrivateKey } from '@eds/gost/gost3410';
import {
  hmacStreebog256,
  hmacStreebog512,
  kdfGostR3411_2012_256,
  kdfTreeGostR3411_2012_256,
  OID_HMAC_STREEBOG_256,
  OID_HMAC_STREEBOG_512,
  pbkdf2Streebog512,
  pbkdf2Streebog512Async,
  vko2012_256,
  vko2012_512,
} from '@eds/gost/kdf';
import { streebog256, streebog512 } from '@eds/gost/streebog';
import { NOT_BYTES } from '@eds/test-support/inputs';
import { bytesToHex, type CHash, concatBytes, hexToBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const ascii = (text: string) => new TextEncoder().encode(text);

// RFC 7836 Appendix B: key 00..1f for all examples; the HMAC message is
// 01 | label 26bdb878 | 00 | seed af21434145656378 | 01 00, i.e. exactly KDF_GOSTR3411_2012_256's input.
const key = Uint8Array.from({ length: 32 }, (_, i) => i);
const label = hexToBytes('26bdb878');
const seed = hexToBytes('af21434145656378');
const hmacData = hexToBytes('0126bdb87800af214341456563780100');

describe('RFC 7836 Appendix B examples', () => {
  it('HMAC_GOSTR3411_2012_256', () => {
    expect(bytesToHex(hmacStreebog256(key, hmacData))).toBe(
      'a1aa5f7de402d7b3d323f2991c8d4534013137010a83754fd0af6d7cd4922ed9',
    );
  });

  it('HMAC_GOSTR3411_2012_512', () => {
    expect(bytesToHex(hmacStreebog512(key, hmacData))).toBe(
      'a59bab22ecae19c65fbde6e5f4e9f5d8549d31f037f9df9b905500e171923a773d5f1530f2ed7e964cb2eedc29e9ad2f3afe93b2814f79f5000ffc0366c251e6',
    );
  });

  it('KDF_GOSTR3411_2012_256 with label 26bdb878, seed af21434145656378 (the HMAC example message)', () => {
    expect(bytesToHex(kdfGostR3411_2012_256(key, label, seed))).toBe(
      'a1aa5f7de402d7b3d323f2991c8d4534013137010a83754fd0af6d7cd4922ed9',
    );
  });

  it('KDF_TREE_GOSTR3411_2012_256, R = 1, L = 512 ([L]_b = 02 00)', () => {
    expect(bytesToHex(kdfTreeGostR3411_2012_256(key, label, seed, 64))).toBe(
      '22b6837845c6bef65ea71672b265831086d3c76aebe6dae91cad51d83f79d16b' +
        '074c9330599d7f8d712fca54392f4ddde93751206b3584c8f43f9e6dc51531f9',
    );
    expect(bytesToHex(kdfTreeGostR3411_2012_256(key, label, seed, 64, 1))).toBe(
      bytesToHex(kdfTreeGostR3411_2012_256(key, label, seed, 64)),
    );
  });

  it('exports the HMAC OIDs (TC26; OpenSSL names them HMAC GOST 34.11-2012 256/512 bit)', () => {
    expect([OID_HMAC_STREEBOG_256, OID_HMAC_STREEBOG_512]).toEqual(['1.2.643.7.1.1.4.1', '1.2.643.7.1.1.4.2']);
  });
});

// RFC 9337 Appendix A (the examples of R 50.1.111-2016); every value also agrees with
// `openssl kdf -kdfopt digest:md_gost12_512 ... PBKDF2` and the GOST engine. The fourth example,
// c = 16777216, takes minutes here and is left out.
describe('RFC 9337 Appendix A: PBKDF2 with HMAC_GOSTR3411_2012_512', () => {
  it.each([
    [
      1,
      '64770af7f748c3b1c9ac831dbcfd85c26111b30a8a657ddc3056b80ca73e040d2854fd36811f6d825cc4ab66ec0a68a490a9e5cf5156b3a2b7eecddbf9a16b47',
    ],
    [
      2,
      '5a585bafdfbb6e8830d6d68aa3b43ac00d2e4aebce01c9b31c2caed56f0236d4d34b2b8fbd2c4e89d54d46f50e47d45bbac301571743119e8d3c42ba66d348de',
    ],
    [
      4096,
      'e52deb9a2d2aaff4e2ac9d47a41f34c20376591c67807f0477e32549dc341bc7867c09841b6d58e29d0347c996301d55df0d34e47cf68f4e3c2cdaf1d9ab86c3',
    ],
  ])('P = "password", S = "salt", c = %i, dkLen = 64', (c, expected) => {
    expect(bytesToHex(pbkdf2Streebog512('password', ascii('salt'), c, 64))).toBe(expected);
    expect(bytesToHex(pbkdf2Streebog512(ascii('password'), ascii('salt'), c, 64))).toBe(expected);
  });

  it('the long password and salt, c = 4096, dkLen = 100 (two blocks, the second truncated)', () => {
    expect(
      bytesToHex(
        pbkdf2Streebog512('passwordPASSWORDpassword', ascii('saltSALTsaltSALTsaltSALTsaltSALTsalt'), 4096, 100),
      ),
    ).toBe(
      'b2d8f1245fc4d29274802057e4b54e0a0753aa22fc53760b301cf008679e58fe4bee9addcae99ba2b0b20f431a9c5e50' +
        'f395c89387d0945aedeca6eb4015dfc2bd2421ee9bb71183ba882ceebfef259f33f9e27dc6178cb89dc37428cf9cc52a2baa2d3a',
    );
  });

  it('P = "pass\\0word", S = "sa\\0lt", c = 4096, dkLen = 64 (NUL bytes are data)', () => {
    const expected =
      '50df062885b69801a3c10248eb0a27ab6e522ffeb20c991c660f001475d73a4e167f782c18e97e92976d9c1d970831ea78ccb879f67068cdac1910740844e830';
    expect(bytesToHex(pbkdf2Streebog512('pass\0word', ascii('sa\0lt'), 4096, 64))).toBe(expected);
  });

  it('the async version gives the same bytes', async () => {
    await expect(pbkdf2Streebog512Async('password', ascii('salt'), 2, 64).then(bytesToHex)).resolves.toBe(
      '5a585bafdfbb6e8830d6d68aa3b43ac00d2e4aebce01c9b31c2caed56f0236d4d34b2b8fbd2c4e89d54d46f50e47d45bbac301571743119e8d3c42ba66d348de',
    );
  });
});

/** HMAC as RFC 2104 §2 writes it: H((K0 ^ opad) | H((K0 ^ ipad) | m)), K0 = K (or H(K) if longer) zero-padded. */
function textbookHmac(hash: CHash, k: Uint8Array, m: Uint8Array): Uint8Array {
  const k0 = new Uint8Array(64);
  k0.set(k.length > 64 ? hash(k) : k);
  const ipad = k0.map((b) => b ^ 0x36);
  const opad = k0.map((b) => b ^ 0x5c);
  return hash(concatBytes(opad, hash(concatBytes(ipad, m))));
}

/** [n] big-endian in `size` bytes, by BigInt and hex: a different route from the module's. */
const beBytes = (n: number, size?: number) => {
  const hex = BigInt(n).toString(16);
  const digits = size === undefined ? hex.length + (hex.length % 2) : 2 * size;
  return hexToBytes(hex.padStart(digits, '0'));
};

describe('properties', () => {
  const bytes = (maxLength: number) => fc.uint8Array({ maxLength });

  it('HMAC equals the textbook H((K ^ opad) | H((K ^ ipad) | m)), keys shorter and longer than the 64-byte block', () => {
    fc.assert(
      fc.property(bytes(200), bytes(300), (k, m) => {
        expect(bytesToHex(hmacStreebog256(k, m))).toBe(bytesToHex(textbookHmac(streebog256, k, m)));
        expect(bytesToHex(hmacStreebog512(k, m))).toBe(bytesToHex(textbookHmac(streebog512, k, m)));
      }),
      { numRuns: 60 },
    );
    // The boundary: a 64-byte key is used as is, a 65-byte key is hashed first.
    for (const length of [63, 64, 65]) {
      const k = Uint8Array.from({ length }, (_, i) => 255 - i);
      expect(bytesToHex(hmacStreebog256(k, hmacData)), `key of ${length} bytes`).toBe(
        bytesToHex(textbookHmac(streebog256, k, hmacData)),
      );
    }
  });

  it('KDF_TREE output is the first `length` bytes of K(1) | K(2) | ... for that L and R', () => {
    fc.assert(
      fc.property(
        bytes(80),
        bytes(40),
        bytes(40),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 4 }),
        (k, lab, sd, length, r) => {
          const blocks: Uint8Array[] = [];
          for (let i = 1; 32 * (i - 1) < length; i++) {
            blocks.push(hmacStreebog256(k, concatBytes(beBytes(i, r), lab, Uint8Array.of(0), sd, beBytes(8 * length))));
          }
          const expected = concatBytes(...blocks).subarray(0, length);
          expect(bytesToHex(kdfTreeGostR3411_2012_256(k, lab, sd, length, r))).toBe(bytesToHex(expected));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('KDF_TREE binds the length: a shorter output is not a prefix of a longer one (L is in every block)', () => {
    fc.assert(
      fc.property(bytes(64), fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 100 }), (k, a, b) => {
        fc.pre(a !== b);
        const n = Math.min(a, b);
        const first = kdfTreeGostR3411_2012_256(k, label, seed, a).subarray(0, n);
        const second = kdfTreeGostR3411_2012_256(k, label, seed, b).subarray(0, n);
        expect(bytesToHex(first)).not.toBe(bytesToHex(second));
      }),
      { numRuns: 40 },
    );
  });

  it('KDF_GOSTR3411_2012_256 is KDF_TREE with L = 256 and R = 1', () => {
    fc.assert(
      fc.property(bytes(80), bytes(40), bytes(40), (k, lab, sd) => {
        expect(bytesToHex(kdfGostR3411_2012_256(k, lab, sd))).toBe(
          bytesToHex(kdfTreeGostR3411_2012_256(k, lab, sd, 32, 1)),
        );
      }),
      { numRuns: 40 },
    );
  });

  it('PBKDF2 is prefix-consistent: a shorter dkLen gives a prefix of a longer one', () => {
    fc.assert(
      fc.property(
        bytes(30),
        bytes(30),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 200 }),
        (p, s, c, n) => {
          const long = pbkdf2Streebog512(p, s, c, 200);
          expect(bytesToHex(pbkdf2Streebog512(p, s, c, n))).toBe(bytesToHex(long.subarray(0, n)));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('PBKDF2 of a string is PBKDF2 of its UTF-8 bytes; the async version agrees', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 20 }), bytes(20), async (password, s) => {
        const expected = bytesToHex(pbkdf2Streebog512(ascii(password), s, 2, 70));
        expect(bytesToHex(pbkdf2Streebog512(password, s, 2, 70))).toBe(expected);
        expect(bytesToHex(await pbkdf2Streebog512Async(password, s, 2, 70))).toBe(expected);
      }),
      { numRuns: 20 },
    );
  });

  it('does not modify its inputs', () => {
    const k = Uint8Array.from(key);
    const p = ascii('password');
    const s = ascii('salt');
    hmacStreebog512(k, hmacData);
    kdfTreeGostR3411_2012_256(k, label, seed, 100, 3);
    pbkdf2Streebog512(p, s, 2, 64);
    expect([k, p, s, label, seed]).toEqual([
      key,
      ascii('password'),
      ascii('salt'),
      hexToBytes('26bdb878'),
      hexToBytes('af21434145656378'),
    ]);
  });
});

describe('misuse', () => {
  const notAnInteger = fc.oneof(
    fc.double({ noInteger: true }),
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  );

  it('PBKDF2 rejects iterations that are not integers >= 1 with a RangeError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(notAnInteger, fc.integer({ max: 0 })), async (c) => {
        expect(() => pbkdf2Streebog512('password', ascii('salt'), c, 32)).toThrow(RangeError);
        await expect(pbkdf2Streebog512Async('password', ascii('salt'), c, 32)).rejects.toThrow(RangeError);
      }),
      { numRuns: 50 },
    );
  });

  it('PBKDF2 rejects dkLen outside 1..(2^32 - 1) * 64 with a RangeError, before allocating', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(notAnInteger, fc.integer({ max: 0 }), fc.constantFrom((2 ** 32 - 1) * 64 + 1, 2 ** 53)),
        async (dkLen) => {
          expect(() => pbkdf2Streebog512('password', ascii('salt'), 1, dkLen)).toThrow(RangeError);
          await expect(pbkdf2Streebog512Async('password', ascii('salt'), 1, dkLen)).rejects.toThrow(RangeError);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('KDF_TREE rejects R outside 1..4 with a RangeError', () => {
    fc.assert(
      fc.property(fc.oneof(notAnInteger, fc.integer({ max: 0 }), fc.integer({ min: 5 })), (r) => {
        expect(() => kdfTreeGostR3411_2012_256(key, label, seed, 32, r)).toThrow(RangeError);
      }),
      { numRuns: 50 },
    );
  });

  it('KDF_TREE rejects a length that is not >= 1 or overflows the R-byte counter with a RangeError', () => {
    fc.assert(
      fc.property(fc.oneof(notAnInteger, fc.integer({ max: 0 })), fc.integer({ min: 1, max: 4 }), (length, r) => {
        expect(() => kdfTreeGostR3411_2012_256(key, label, seed, length, r)).toThrow(RangeError);
      }),
      { numRuns: 50 },
    );
    // R = 1 counts 255 blocks of 32 bytes at most.
    expect(kdfTreeGostR3411_2012_256(key, label, seed, 255 * 32, 1)).toHaveLength(8160);
    expect(() => kdfTreeGostR3411_2012_256(key, label, seed, 255 * 32 + 1, 1)).toThrow(RangeError);
    expect(() => kdfTreeGostR3411_2012_256(key, label, seed, 65535 * 32 + 1, 2)).toThrow(RangeError);
  });

  it.each(NOT_BYTES)('rejects %s where bytes are expected with a TypeError', (_, input) => {
    const bad = input as unknown as Uint8Array;
    expect(() => hmacStreebog256(bad, hmacData)).toThrow(TypeError);
    expect(() => hmacStreebog512(key, bad)).toThrow(TypeError);
    expect(() => kdfGostR3411_2012_256(key, bad, seed)).toThrow(TypeError);
    expect(() => kdfTreeGostR3411_2012_256(key, label, bad, 32)).toThrow(TypeError);
    expect(() => pbkdf2Streebog512('password', bad, 1, 32)).toThrow(TypeError);
  });

  it('rejects a password that is neither a string nor bytes, and a length that is not a number, with a TypeError', () => {
    expect(() => pbkdf2Streebog512(42 as unknown as string, ascii('salt'), 1, 32)).toThrow(TypeError);
    expect(() => pbkdf2Streebog512('password', ascii('salt'), '2' as unknown as number, 32)).toThrow(TypeError);
    expect(() => kdfTreeGostR3411_2012_256(key, label, seed, '32' as unknown as number)).toThrow(TypeError);
  });
});

describe('VKO_GOSTR3410_2012 (RFC 7836 §4.3)', () => {
  // Appendix B: two tc26-512-a key pairs and UKM 1d80603c8544c727; keys and UKM little-endian,
  // as they appear in PKCS#8, SPKI and CMS.
  const ukm = hexToBytes('1d80603c8544c727');
  const a = hexToBytes(
    'c990ecd972fce84ec4db022778f50fcac726f46708384b8d458304962d7147f8c2db41cef22c90b102f2968404f9b9be6d47c79692d81826b32b8daca43cb667',
  );
  const b = hexToBytes(
    '48c859f7b6f11585887cc05ec6ef1390cfea739b1a18c0d4662293ef63b79e3b8014070b44918590b4b996acfea4edfbbbcccc8c06edd8bf5bda92a51392d0db',
  );
  const A = hexToBytes(
    'aab0eda4abff21208d18799fb9a8556654ba783070eba10cb9abb253ec56dcf5d3ccba6192e464e6e5bcb6dea137792f2431f6c897eb1b3c0cc14327b1adc0a7914613a3074e363aedb204d38d3563971bd8758e878c9db11403721b48002d38461f92472d40ea92f9958c0ffa4c93756401b97f89fdbe0b5e46e4a4631cdb5a',
  );
  const B = hexToBytes(
    '192fe183b9713a077253c72c8735de2ea42a3dbc66ea317838b65fa32523cd5efca974eda7c863f4954d1147f1f2b25c395fce1c129175e876d132e94ed5a65104883b414c9b592ec4dc84826f07d0b6d9006dda176ce48c391e3f97d102e03bb598bf132a228a45f7201aba08fc524a2d77e43a362ab022ad4028f75bde3b79',
  );
  const curve = 'tc26-512-a';

  it('the example key pairs match', () => {
    expect(bytesToHex(getPublicKey(a, curve))).toBe(bytesToHex(A));
    expect(bytesToHex(getPublicKey(b, curve))).toBe(bytesToHex(B));
  });

  it('VKO_GOSTR3410_2012_256 gives the example KEK from both sides', () => {
    const kek = 'c9a9a77320e2cc559ed72dce6f47e2192ccea95fa648670582c054c0ef36c221';
    expect(bytesToHex(vko2012_256(a, B, ukm, curve))).toBe(kek);
    expect(bytesToHex(vko2012_256(b, A, ukm, curve))).toBe(kek);
  });

  it('VKO_GOSTR3410_2012_512 gives the example KEK from both sides', () => {
    const kek =
      '79f002a96940ce7bde3259a52e015297adaad84597a0d205b50e3e1719f97bfa7ee1d2661fa9979a5aa235b558a7e6d9f88f982dd63fc35a8ec0dd5e242d3bdf';
    expect(bytesToHex(vko2012_512(a, B, ukm, curve))).toBe(kek);
    expect(bytesToHex(vko2012_512(b, A, ukm, curve))).toBe(kek);
  });

  it.each(listCurves().map((c) => c.name))('%s: symmetric for random keys and UKMs, and depends on the UKM', (name) => {
    const c = getCurve(name);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 16 }), (u) => {
        const x = randomPrivateKey(c);
        const y = randomPrivateKey(c);
        const X = getPublicKey(x, c);
        const Y = getPublicKey(y, c);
        const k = vko2012_256(x, Y, u, c);
        expect(bytesToHex(vko2012_256(y, X, u, c))).toBe(bytesToHex(k));
        expect(bytesToHex(vko2012_512(y, X, u, c))).toBe(bytesToHex(vko2012_512(x, Y, u, c)));
        const other = u.slice();
        other[0] = (other[0] as number) ^ 1;
        // A UKM of 0 means 1 (gost-engine), so [0] and [1] are the same UKM.
        const asInteger = (bytes: Uint8Array) => BigInt(`0x${bytesToHex(bytes.slice().reverse())}`) || 1n;
        if (asInteger(other) !== asInteger(u)) expect(bytesToHex(vko2012_256(x, Y, other, c))).not.toBe(bytesToHex(k));
      }),
      { numRuns: c.bits === 512 ? 2 : 4 },
    );
  });

  it('a UKM of zero counts as one', () => {
    expect(bytesToHex(vko2012_256(a, B, new Uint8Array(8), curve))).toBe(
      bytesToHex(vko2012_256(a, B, Uint8Array.of(1), curve)),
    );
  });

  it('rejects an empty or over-long UKM and malformed keys', () => {
    expect(() => vko2012_256(a, B, new Uint8Array(0), curve)).toThrow(RangeError);
    expect(() => vko2012_256(a, B, new Uint8Array(65), curve)).toThrow(RangeError);
    expect(() => vko2012_256(a, B.subarray(1), ukm, curve)).toThrow(InvalidKeyError);
    expect(() => vko2012_256(a, new Uint8Array(128), ukm, curve)).toThrow(InvalidKeyError);
    expect(() => vko2012_256(a.subarray(1), B, ukm, curve)).toThrow(InvalidKeyError);
  });
});
