// Tests of GOST R 34.10-2012 signatures: RFC 7091 §7 examples, properties on every parameter set, malformed input.
import { getCurve, listCurves } from '@eds/gost/curves';
import { InvalidKeyError, UnknownParameterSetError } from '@eds/gost/errors';
import { getPublicKey, randomPrivateKey, sign, signWithNonceUnsafe, verify } from '@eds/gost/gost3410';
import { streebog256, streebog512 } from '@eds/gost/streebog';
import type { WeierstrassPoint } from '@noble/curves/abstract/weierstrass.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** RFC 7091 prints integers most significant byte first; keys and digests here are little-endian. */
const le = (hex: string) => hexToBytes(hex).reverse();
const leHex = (bytes: Uint8Array) => bytesToHex(bytes.slice().reverse());
const CURVES = listCurves();
const digestOf = (bits: 256 | 512, message: Uint8Array) => (bits === 256 ? streebog256 : streebog512)(message);

describe('RFC 7091 §7 examples', () => {
  // §7.1: the 256-bit test curve (cryptopro-test), d, e, k, and the expected Q, r, s.
  const ex256 = {
    curve: 'cryptopro-test',
    d: '7a929ade789bb9be10ed359dd39a72c11b60961f49397eee1d19ce9891ec3b28',
    e: '2dfbc1b372d89a1188c09c52e0eec61fce52032ab1022e8e67ece6672b043ee5',
    k: '77105c9b20bcd3122823c8cf6fcc7b956de33814e95b7fe64fed924594dceab3',
    xq: '7f2b49e270db6d90d8595bec458b50c58585ba1d4e9b788f6689dbd8e56fd80b',
    yq: '26f1b489d6701dd185c8413a977b3cbbaf64d1c593d26627dffb101a87ff77da',
    r: '41aa28d2f1ab148280cd9ed56feda41974053554a42767b83ad043fd39dc0493',
    s: '01456c64ba4642a1653c235a98a60249bcd6d3f746b631df928014f6c5bf9c40',
  };
  // §7.2: the 512-bit test curve (tc26-512-test).
  const ex512 = {
    curve: 'tc26-512-test',
    d: '0ba6048aadae241ba40936d47756d7c93091a0e8514669700ee7508e508b102072e8123b2200a0563322dad2827e2714a2636b7bfd18aadfc62967821fa18dd4',
    e: '3754f3cfacc9e0615c4f4a7c4d8dab531b09b6f9c170c533a71d147035b0c5917184ee536593f4414339976c647c5d5a407adedb1d560c4fc6777d2972075b8c',
    k: '0359e7f4b1410feacc570456c6801496946312120b39d019d455986e364f365886748ed7a44b3e794434006011842286212273a6d14cf70ea3af71bb1ae679f1',
    xq: '115dc5bc96760c7b48598d8ab9e740d4c4a85a65be33c1815b5c320c854621dd5a515856d13314af69bc5b924c8b4ddff75c45415c1d9dd9dd33612cd530efe1',
    yq: '37c7c90cd40b0f5621dc3ac1b751cfa0e2634fa0503b3d52639f5d7fb72afd61ea199441d943ffe7f0c70a2759a3cdb84c114e1f9339fdf27f35eca93677beec',
    r: '2f86fa60a081091a23dd795e1e3c689ee512a3c82ee0dcc2643c78eea8fcacd35492558486b20f1c9ec197c90699850260c93bcbcd9c5c3317e19344e173ae36',
    s: '1081b394696ffe8e6585e7a9362d26b6325f56778aadbc081c0bfbe933d52ff5823ce288e8c4f362526080df7f70ce406a6eeb1f56919cb92a9853bde73e5b4a',
  };

  it.each([ex256, ex512])('$curve: public key, signature with the fixed k, verification', (ex) => {
    const d = le(ex.d);
    const digest = le(ex.e);
    const publicKey = getPublicKey(d, ex.curve);
    const half = publicKey.length / 2;
    expect(leHex(publicKey.subarray(0, half))).toBe(ex.xq);
    expect(leHex(publicKey.subarray(half))).toBe(ex.yq);
    const signature = signWithNonceUnsafe(digest, d, hexToBytes(ex.k), ex.curve);
    // s || r, each big-endian: the layout of X.509 and CMS.
    expect(bytesToHex(signature)).toBe(ex.s + ex.r);
    expect(verify(signature, digest, publicKey, ex.curve)).toBe(true);
    const other = digest.slice();
    other[0] = (other[0] as number) ^ 1;
    expect(verify(signature, other, publicKey, ex.curve)).toBe(false);
  });

  it('signWithNonceUnsafe rejects k = 0 and k >= q', () => {
    const c = getCurve(ex256.curve);
    const k = (n: bigint) => hexToBytes(n.toString(16).padStart(64, '0'));
    expect(() => signWithNonceUnsafe(le(ex256.e), le(ex256.d), k(0n), c)).toThrow(RangeError);
    expect(() => signWithNonceUnsafe(le(ex256.e), le(ex256.d), k(c.q), c)).toThrow(RangeError);
  });
});

describe.each(CURVES.map((c) => [c.name, c] as const))('%s', (_, curve) => {
  const bits = curve.bits;
  const runs = { numRuns: bits === 512 ? 4 : 8 };

  it('getPublicKey agrees with @noble/curves for random keys', () => {
    fc.assert(
      fc.property(fc.integer(), () => {
        const d = randomPrivateKey(curve);
        const P = curve.Point.BASE.multiply(BigInt(`0x${leHex(d)}`));
        const publicKey = getPublicKey(d, curve);
        const n = curve.byteLength;
        expect(leHex(publicKey.subarray(0, n))).toBe(P.x.toString(16).padStart(2 * n, '0'));
        expect(leHex(publicKey.subarray(n))).toBe(P.y.toString(16).padStart(2 * n, '0'));
      }),
      runs,
    );
  });

  it('signatures verify, and any bit flip in signature, digest or key breaks them', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(), (message, flip) => {
        const d = randomPrivateKey(curve);
        const publicKey = getPublicKey(d, curve);
        const digest = digestOf(bits, message);
        const signature = sign(digest, d, curve);
        expect(signature.length).toBe(2 * curve.byteLength);
        expect(verify(signature, digest, publicKey, curve)).toBe(true);
        const flipped = (bytes: Uint8Array) => {
          const copy = bytes.slice();
          const bit = flip % (8 * copy.length);
          copy[bit >> 3] = (copy[bit >> 3] as number) ^ (1 << (bit & 7));
          return copy;
        };
        expect(verify(flipped(signature), digest, publicKey, curve)).toBe(false);
        expect(verify(signature, flipped(digest), publicKey, curve)).toBe(false);
        // A flipped public key is usually off the curve (a typed error); if it happens to be a
        // valid point, the signature must not verify under it.
        let verdict: boolean | 'invalid';
        try {
          verdict = verify(signature, digest, flipped(publicKey), curve);
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidKeyError);
          verdict = 'invalid';
        }
        expect(verdict).not.toBe(true);
      }),
      runs,
    );
  });

  it('a signature made with another key does not verify', () => {
    const digest = digestOf(bits, new Uint8Array([1, 2, 3]));
    const signature = sign(digest, randomPrivateKey(curve), curve);
    expect(verify(signature, digest, getPublicKey(randomPrivateKey(curve), curve), curve)).toBe(false);
  });

  it('hedged by default, deterministic with extraEntropy: false', () => {
    const d = randomPrivateKey(curve);
    const digest = digestOf(bits, new Uint8Array(10));
    expect(bytesToHex(sign(digest, d, curve))).not.toBe(bytesToHex(sign(digest, d, curve)));
    const fixed = sign(digest, d, curve, { extraEntropy: false });
    expect(bytesToHex(sign(digest, d, curve, { extraEntropy: false }))).toBe(bytesToHex(fixed));
    const seeded = sign(digest, d, curve, { extraEntropy: new Uint8Array(32).fill(7) });
    expect(bytesToHex(seeded)).not.toBe(bytesToHex(fixed));
    expect(verify(fixed, digest, getPublicKey(d, curve), curve)).toBe(true);
  });

  it('treats a digest that is 0 mod q as e = 1 (RFC 7091 §6.1 step 2)', () => {
    const d = randomPrivateKey(curve);
    const zero = new Uint8Array(curve.byteLength);
    const one = zero.slice();
    one[0] = 1;
    const signature = sign(zero, d, curve);
    expect(verify(signature, one, getPublicKey(d, curve), curve)).toBe(true);
  });
});

describe('malformed input', () => {
  const curve = getCurve('tc26-256-b');
  const d = randomPrivateKey(curve);
  const publicKey = getPublicKey(d, curve);
  const digest = streebog256(new Uint8Array(3));
  const signature = sign(digest, d, curve);
  const q = curve.q;
  const be = (n: bigint) => hexToBytes(n.toString(16).padStart(64, '0'));
  const r = signature.subarray(32);
  const s = signature.subarray(0, 32);
  const cat = (a: Uint8Array, b: Uint8Array) => new Uint8Array([...a, ...b]);

  it.each([
    ['empty', new Uint8Array(0)],
    ['one byte short', signature.subarray(1)],
    ['one byte long', cat(signature, new Uint8Array(1))],
    ['the 512-bit length', cat(signature, signature)],
    ['s = 0', cat(be(0n), r)],
    ['r = 0', cat(s, be(0n))],
    ['s = q', cat(be(q), r)],
    ['r = q', cat(s, be(q))],
    ['s = q + 1', cat(be(q + 1n), r)],
    ['all 0xff', new Uint8Array(64).fill(0xff)],
    ['r || s instead of s || r', cat(r, s)],
  ])('verify returns false for a signature that is %s', (_, bad) => {
    expect(verify(bad, digest, publicKey, curve)).toBe(false);
  });

  it('verify returns false, not an exception, for a signature that is not bytes', () => {
    expect(verify('00' as unknown as Uint8Array, digest, publicKey, curve)).toBe(false);
  });

  it.each([
    ['empty', new Uint8Array(0)],
    ['short', publicKey.subarray(1)],
    ['all zero (no encoding of infinity)', new Uint8Array(64)],
    ['off the curve', Uint8Array.from(publicKey, (v, i) => (i === 40 ? v ^ 1 : v))],
    ['x = p', new Uint8Array([...be(curve.p).reverse(), ...publicKey.subarray(32)])],
  ])('verify throws InvalidKeyError for a public key that is %s', (_, bad) => {
    expect(() => verify(signature, digest, bad, curve)).toThrow(
      expect.objectContaining({ name: 'InvalidKeyError', code: 'ERR_INVALID_PUBLIC_KEY' }),
    );
  });

  it.each([
    ['empty', new Uint8Array(0)],
    ['33 bytes', new Uint8Array(33).fill(1)],
    ['0', new Uint8Array(32)],
    ['q', be(q).reverse()],
    ['all 0xff', new Uint8Array(32).fill(0xff)],
  ])('sign and getPublicKey throw InvalidKeyError for a private key that is %s', (_, bad) => {
    const expected = expect.objectContaining({ name: 'InvalidKeyError', code: 'ERR_INVALID_PRIVATE_KEY' });
    expect(() => sign(digest, bad, curve)).toThrow(expected);
    expect(() => getPublicKey(bad, curve)).toThrow(expected);
  });

  it('throws RangeError for a digest whose length does not match the curve', () => {
    expect(() => sign(streebog512(new Uint8Array(3)), d, curve)).toThrow(RangeError);
    expect(() => verify(signature, streebog512(new Uint8Array(3)), publicKey, curve)).toThrow(RangeError);
    expect(() => verify(signature, new Uint8Array(0), publicKey, curve)).toThrow(RangeError);
  });

  it('throws UnknownParameterSetError for an unknown curve', () => {
    expect(() => sign(digest, d, '1.2.3')).toThrow(UnknownParameterSetError);
    expect(() => verify(signature, digest, publicKey, 'nope')).toThrow(UnknownParameterSetError);
    expect(() => randomPrivateKey('nope')).toThrow(UnknownParameterSetError);
  });

  it('throws TypeError for extraEntropy that is neither boolean nor bytes', () => {
    expect(() => sign(digest, d, curve, { extraEntropy: 'x' as unknown as Uint8Array })).toThrow(TypeError);
  });

  it.each(['tc26-256-a', 'tc26-512-c'])('%s: rejects a public key outside the subgroup of order q', (name) => {
    const c = getCurve(name);
    const { Point } = c;
    // A point of the whole group (order 4q) outside the subgroup: q·P is not O. noble cannot
    // represent points with y = 0 (order 2), so an exception there also means "outside".
    const Fp = Point.Fp;
    let P: WeierstrassPoint<bigint> | undefined;
    for (let x = 1n; !P; x++) {
      const rhs = Fp.add(Fp.mul(Fp.add(Fp.sqr(x), c.a), x), c.b);
      if (Fp.pow(rhs, (c.p - 1n) / 2n) !== 1n) continue;
      const candidate = Point.fromAffine({ x, y: Fp.sqrt(rhs) });
      let inSubgroup: boolean;
      try {
        inSubgroup = candidate
          .multiplyUnsafe(c.q - 1n)
          .add(candidate)
          .is0();
      } catch {
        inSubgroup = false;
      }
      if (!inSubgroup) P = candidate;
    }
    const dd = randomPrivateKey(c);
    const n = c.byteLength;
    const bad = new Uint8Array([
      ...hexToBytes(P.x.toString(16).padStart(2 * n, '0')).reverse(),
      ...hexToBytes(P.y.toString(16).padStart(2 * n, '0')).reverse(),
    ]);
    const dg = new Uint8Array(n).fill(1);
    expect(() => verify(sign(dg, dd, c), dg, bad, c)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_PUBLIC_KEY', message: expect.stringMatching(/subgroup/) }),
    );
  });
});
