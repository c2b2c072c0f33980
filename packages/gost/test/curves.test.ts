// Tests of the GOST R 34.10-2012 parameter sets: lookup by name and OID, and that each set is a sound curve.
import { type CurveName, getCurve, listCurves, OID_KZ_GOST_512_A } from '@eds/gost/curves';
import { UnknownParameterSetError } from '@eds/gost/errors';
import { describe, expect, it } from 'vitest';

// Name, OID, key size, cofactor: RFC 4357, RFC 7836, reference/gost.md §1.2.
const TABLE: [CurveName, string, 256 | 512, bigint][] = [
  ['cryptopro-test', '1.2.643.2.2.35.0', 256, 1n],
  ['cryptopro-a', '1.2.643.2.2.35.1', 256, 1n],
  ['cryptopro-b', '1.2.643.2.2.35.2', 256, 1n],
  ['cryptopro-c', '1.2.643.2.2.35.3', 256, 1n],
  ['cryptopro-xcha', '1.2.643.2.2.36.0', 256, 1n],
  ['cryptopro-xchb', '1.2.643.2.2.36.1', 256, 1n],
  ['tc26-256-a', '1.2.643.7.1.2.1.1.1', 256, 4n],
  ['tc26-256-b', '1.2.643.7.1.2.1.1.2', 256, 1n],
  ['tc26-256-c', '1.2.643.7.1.2.1.1.3', 256, 1n],
  ['tc26-256-d', '1.2.643.7.1.2.1.1.4', 256, 1n],
  ['tc26-512-test', '1.2.643.7.1.2.1.2.0', 512, 1n],
  ['tc26-512-a', '1.2.643.7.1.2.1.2.1', 512, 1n],
  ['tc26-512-b', '1.2.643.7.1.2.1.2.2', 512, 1n],
  ['tc26-512-c', '1.2.643.7.1.2.1.2.3', 512, 4n],
];

describe('getCurve', () => {
  it.each(TABLE)('finds %s by name and by OID %s', (name, oid, bits, h) => {
    const curve = getCurve(name);
    expect(curve.name).toBe(name);
    expect(curve.oid).toBe(oid);
    expect(getCurve(oid)).toBe(curve);
    expect(getCurve(curve)).toBe(curve);
    expect(getCurve(name.toUpperCase())).toBe(curve);
    expect(curve.bits).toBe(bits);
    expect(curve.byteLength).toBe(bits / 8);
    expect(curve.h).toBe(h);
    expect(curve.twistedEdwards).toBe(h === 4n);
  });

  it('lists every set once, in the table order', () => {
    expect(listCurves().map((c) => c.name)).toEqual(TABLE.map((row) => row[0]));
  });

  it('resolves the Kazakh alias to tc26-512-a', () => {
    expect(OID_KZ_GOST_512_A).toBe('1.2.398.3.10.1.1.2.2.1');
    expect(getCurve(OID_KZ_GOST_512_A)).toBe(getCurve('tc26-512-a'));
    expect(getCurve('tc26-512-a').aliases).toEqual([OID_KZ_GOST_512_A]);
  });

  it('shares the curve between the 2001 and 2012 names of the same set', () => {
    const same = (x: string, y: string) => {
      const { p, a, b, q, Gx, Gy } = getCurve(x);
      expect(getCurve(y)).toMatchObject({ p, a, b, q, Gx, Gy });
    };
    same('cryptopro-a', 'tc26-256-b');
    same('cryptopro-a', 'cryptopro-xcha');
    same('cryptopro-b', 'tc26-256-c');
    same('cryptopro-c', 'tc26-256-d');
    same('cryptopro-c', 'cryptopro-xchb');
    expect(getCurve('tc26-256-a').p).toBe(getCurve('cryptopro-a').p);
    expect(getCurve('tc26-512-c').p).toBe(getCurve('tc26-512-a').p);
  });

  it.each(['1.2.643.2.2.35.4', '1.2.643.7.1.2.1.2.4', 'cryptopro-d', '', 'tc26-512-a ', '__proto__'])(
    'throws UnknownParameterSetError for %j',
    (id) => {
      const error = (() => {
        try {
          getCurve(id);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(UnknownParameterSetError);
      expect(error).toMatchObject({ code: 'ERR_UNKNOWN_PARAMETER_SET', id });
    },
  );

  it('rejects an object that only looks like a curve', () => {
    expect(() => getCurve({ ...getCurve('cryptopro-a') })).toThrow(UnknownParameterSetError);
  });
});

describe('every parameter set is a sound curve (checked with @noble/curves)', () => {
  it.each(TABLE)('%s: G is on the curve, has order q, and m = h·q lies in the Hasse interval', (name) => {
    const curve = getCurve(name);
    const { Point, p, q, h } = curve;
    const G = Point.BASE;
    expect(G.x).toBe(curve.Gx);
    expect(G.y).toBe(curve.Gy);
    G.assertValidity();
    // (q-1)·G = -G, so q·G = O: the order of G divides the prime q and G is not O.
    expect(G.multiply(q - 1n).equals(G.negate())).toBe(true);
    // |m - (p + 1)| <= 2·sqrt(p): compare squares to stay in integers.
    const t = h * q - (p + 1n);
    expect(t * t <= 4n * p).toBe(true);
    // 4a³ + 27b² != 0 (mod p): the curve is not singular.
    const { a, b } = curve;
    expect((4n * a ** 3n + 27n * b ** 2n) % p).not.toBe(0n);
  });
});
