// Fast arithmetic on the GOST curves: short Weierstrass, Jacobian coordinates, BigInt field (SEC 1 §2.2, EFD formulas).

import { invert } from '@noble/curves/abstract/modular.js';
import type { GostCurve } from './curves';

// Why not @noble/curves' generic points: measured on Node 20, its complete formulas, generic
// modular reduction and per-multiplication inversion give about 1,100 signatures and 290
// verifications per second on a 256-bit GOST curve. These formulas (a = -3 doubling where it
// applies, mixed additions against precomputed affine tables, a fold reduction for p = 2^n - c,
// no inversion in verification) do several times better. `curve.Point` (noble) stays the
// independent reference that the tests compare this code against.
//
// Representation: Jacobian (X, Y, Z) stands for (X/Z², Y/Z³); Z = 0n exactly is the point at
// infinity. Every coordinate is kept canonical in [0, p), so equality mod p is equality of
// BigInts; sums and differences fed into a multiplication are reduced by it.

/** Affine point [x, y], canonical coordinates. */
export type Affine = readonly [bigint, bigint];
type Jac = readonly [bigint, bigint, bigint];

const INF: Jac = [0n, 1n, 0n];

/** Comb window of the fixed-base table: 8 bits, digits in [-127, 128]. */
const W = 8;
const HALF = 1 << (W - 1);

export interface Engine {
  /** k·G for 0 < k < q, uniform sequence of point operations. */
  mulBase(k: bigint): Affine;
  /** k·P for 0 < k < q and P of order q, uniform sequence of point operations. */
  mul(P: Affine, k: bigint): Affine | undefined;
  /** Whether x(u1·G + u2·Q) mod q equals r. Variable-time: public inputs only. */
  verifyUnsafe(u1: bigint, u2: bigint, Q: Affine, r: bigint): boolean;
  /** Whether y² = x³ + ax + b with x, y in [0, p). */
  isOnCurve(P: Affine): boolean;
  /** Whether q·P is the point at infinity. Variable-time. */
  isTorsionFreeUnsafe(P: Affine): boolean;
}

const engines = new WeakMap<GostCurve, Engine>();

/** The engine of a curve, built on first use. */
export function engineFor(curve: GostCurve): Engine {
  let e = engines.get(curve);
  if (!e) {
    e = createEngine(curve);
    engines.set(curve, e);
  }
  return e;
}

/** Reduction to [0, p) of any |x| < 2^(2n+8): a fold for p = 2^n - c with small c, else `%`. */
function makeReduce(p: bigint, bits: number): (x: bigint) => bigint {
  const n = BigInt(bits);
  const c = (1n << n) - p;
  if (c > 0n && c < 1n << 32n) {
    // 2^n ≡ c (mod p): x = hi·2^n + lo ≡ hi·c + lo. Two folds bring |x| below 2^n + 2^76;
    // one correction lands in [0, p). `&` and `>>` are two's-complement, so negatives work.
    const mask = (1n << n) - 1n;
    return (x) => {
      x = (x & mask) + (x >> n) * c;
      x = (x & mask) + (x >> n) * c;
      return x < 0n ? x + p : x >= p ? x - p : x;
    };
  }
  return (x) => {
    x %= p;
    return x < 0n ? x + p : x;
  };
}

function createEngine(curve: GostCurve): Engine {
  const { p, a, b, q } = curve;
  const red = makeReduce(p, curve.bits);
  const aIsMinus3 = a === p - 3n;
  const aSmall = a < 1n << 32n;

  function dbl(P: Jac): Jac {
    const [X1, Y1, Z1] = P;
    if (Z1 === 0n || Y1 === 0n) return INF;
    if (aIsMinus3) {
      // dbl-2001-b: 3M + 5S.
      const delta = red(Z1 * Z1);
      const gamma = red(Y1 * Y1);
      const beta = red(X1 * gamma);
      const alpha = red(3n * (X1 - delta) * (X1 + delta));
      const X3 = red(alpha * alpha - 8n * beta);
      const Z3 = red(2n * Y1 * Z1);
      const Y3 = red(alpha * (4n * beta - X3) - 8n * gamma * gamma);
      return [X3, Y3, Z3];
    }
    // dbl-2007-bl: 1M + 8S + 1·a.
    const XX = red(X1 * X1);
    const YY = red(Y1 * Y1);
    const ZZ = red(Z1 * Z1);
    const S = red(4n * X1 * YY);
    const ZZZZ = red(ZZ * ZZ);
    const M = red(3n * XX + (aSmall ? a * ZZZZ : red(a * ZZZZ)));
    const T = red(M * M - 2n * S);
    const Y3 = red(M * (S - T) - 8n * YY * YY);
    const Z3 = red(2n * Y1 * Z1);
    return [T, Y3, Z3];
  }

  /** P + (x2, y2) with (x2, y2) affine: madd-2007-bl, 7M + 4S. */
  function madd(P: Jac, x2: bigint, y2: bigint): Jac {
    const [X1, Y1, Z1] = P;
    if (Z1 === 0n) return [x2, y2, 1n];
    const Z1Z1 = red(Z1 * Z1);
    const U2 = red(x2 * Z1Z1);
    const S2 = red(y2 * red(Z1 * Z1Z1));
    const H = U2 - X1;
    const rr = S2 - Y1;
    if (H === 0n) return rr === 0n ? dbl(P) : INF;
    const HH = red(H * H);
    const I = 4n * HH;
    const J = red(H * I);
    const r = 2n * rr;
    const V = red(X1 * I);
    const X3 = red(r * r - J - 2n * V);
    const Y3 = red(r * (V - X3) - 2n * Y1 * J);
    const Z3 = red(2n * Z1 * H);
    return [X3, Y3, Z3];
  }

  /** P1 + P2, both Jacobian: add-2007-bl, 11M + 5S. */
  function add(P1: Jac, P2: Jac): Jac {
    const [X1, Y1, Z1] = P1;
    const [X2, Y2, Z2] = P2;
    if (Z1 === 0n) return P2;
    if (Z2 === 0n) return P1;
    const Z1Z1 = red(Z1 * Z1);
    const Z2Z2 = red(Z2 * Z2);
    const U1 = red(X1 * Z2Z2);
    const U2 = red(X2 * Z1Z1);
    const S1 = red(Y1 * red(Z2 * Z2Z2));
    const S2 = red(Y2 * red(Z1 * Z1Z1));
    const H = U2 - U1;
    const rr = S2 - S1;
    if (H === 0n) return rr === 0n ? dbl(P1) : INF;
    const I = red(4n * H * H);
    const J = red(H * I);
    const r = 2n * rr;
    const V = red(U1 * I);
    const X3 = red(r * r - J - 2n * V);
    const Y3 = red(r * (V - X3) - 2n * S1 * J);
    const Z3 = red(red(2n * Z1 * Z2) * H);
    return [X3, Y3, Z3];
  }

  /** Affine forms of Jacobian points (none at infinity) with one inversion (Montgomery's trick). */
  function normalizeAll(points: readonly Jac[]): Affine[] {
    const prefix: bigint[] = [];
    let acc = 1n;
    for (const P of points) {
      prefix.push(acc);
      acc = red(acc * P[2]);
    }
    let inv = invert(acc, p);
    const out: Affine[] = new Array(points.length);
    for (let i = points.length - 1; i >= 0; i--) {
      const [X, Y, Z] = points[i] as Jac;
      const zi = red(inv * (prefix[i] as bigint));
      inv = red(inv * Z);
      const zi2 = red(zi * zi);
      out[i] = [red(X * zi2), red(Y * red(zi2 * zi))];
    }
    return out;
  }

  function toAffine(P: Jac): Affine | undefined {
    if (P[2] === 0n) return undefined;
    return normalizeAll([P])[0];
  }

  // Fixed-base table: table[i][j] = (j + 1)·2^(8i)·G, affine, for j < 128, one row per digit of a
  // scalar below q (plus one for the final carry). Built on first use: ~4,000 points for 256-bit
  // sets, ~8,000 for 512-bit ones.
  let table: Affine[][] | undefined;
  function getTable(): Affine[][] {
    if (table) return table;
    const rows = Math.ceil(curve.bits / W) + 1;
    const all: Jac[] = [];
    let base: Jac = [curve.Gx, curve.Gy, 1n];
    for (let i = 0; i < rows; i++) {
      let P = base;
      for (let j = 0; j < HALF; j++) {
        all.push(P);
        P = add(P, base);
      }
      base = dbl(all[all.length - 1] as Jac); // 2·128·base = 256·base
    }
    const flat = normalizeAll(all);
    table = [];
    for (let i = 0; i < rows; i++) table.push(flat.slice(i * HALF, (i + 1) * HALF));
    return table;
  }

  /** Signed base-2^w digits of k, least significant first, each in [1 - 2^(w-1), 2^(w-1)]. */
  function digits(k: bigint, count: number, w: number): number[] {
    const out: number[] = new Array(count);
    const mask = BigInt((1 << w) - 1);
    const shift = BigInt(w);
    let carry = 0;
    for (let i = 0; i < count; i++) {
      let d = Number(k & mask) + carry;
      k >>= shift;
      carry = d > 1 << (w - 1) ? 1 : 0;
      d -= carry << w;
      out[i] = d;
    }
    return out;
  }

  /** acc + d·2^(8i)·G from the table, d ≠ 0. */
  function addDigit(acc: Jac, row: Affine[], d: number): Jac {
    const [x, y] = row[(d < 0 ? -d : d) - 1] as Affine;
    return madd(acc, x, d < 0 ? p - y : y);
  }

  function mulBase(k: bigint): Affine {
    const t = getTable();
    const ds = digits(k, t.length, W);
    let acc = INF;
    let dummy: Jac = INF;
    for (let i = 0; i < t.length; i++) {
      const d = ds[i] as number;
      // A zero digit still costs one addition, into a dummy, so the sequence of point
      // operations does not depend on the digits.
      if (d !== 0) acc = addDigit(acc, t[i] as Affine[], d);
      else dummy = addDigit(dummy, t[i] as Affine[], 1);
    }
    const out = toAffine(acc);
    if (!out) throw new RangeError('scalar must be in [1, q)');
    return out;
  }

  /** Odd multiples P, 3P, ..., (2m-1)P, Jacobian. */
  function oddMultiples(P: Jac, m: number): Jac[] {
    const out: Jac[] = [P];
    const P2 = dbl(P);
    for (let i = 1; i < m; i++) out.push(add(out[i - 1] as Jac, P2));
    return out;
  }

  function mul(P: Affine, k: bigint): Affine | undefined {
    // Fixed 4-bit signed windows over the affine multiples 1..8·P: four doublings and one
    // addition per window whatever the digit.
    const Pj: Jac = [P[0], P[1], 1n];
    const multiples: Jac[] = [Pj];
    for (let i = 1; i < 8; i++) multiples.push(i === 1 ? dbl(Pj) : add(multiples[i - 1] as Jac, Pj));
    const tbl = normalizeAll(multiples);
    const count = Math.ceil(curve.bits / 4) + 1;
    const ds = digits(k, count, 4);
    let acc = INF;
    let dummy: Jac = INF;
    for (let i = count - 1; i >= 0; i--) {
      acc = dbl(dbl(dbl(dbl(acc))));
      const d = ds[i] as number;
      const [x, y] = tbl[(d < 0 ? -d : d || 1) - 1] as Affine;
      if (d !== 0) acc = madd(acc, x, d < 0 ? p - y : y);
      else dummy = madd(dummy, x, y);
    }
    return toAffine(acc);
  }

  /** Width-5 NAF of k > 0, least significant first. */
  function naf(k: bigint): number[] {
    const out: number[] = [];
    while (k > 0n) {
      let d = 0;
      if (k & 1n) {
        d = Number(k & 31n);
        if (d > 16) d -= 32;
        k -= BigInt(d);
      }
      out.push(d);
      k >>= 1n;
    }
    return out;
  }

  function mulUnsafe(P: Jac, k: bigint): Jac {
    if (k === 0n) return INF;
    const odd = oddMultiples(P, 8);
    const ds = naf(k);
    let acc = INF;
    for (let i = ds.length - 1; i >= 0; i--) {
      acc = dbl(acc);
      const d = ds[i] as number;
      if (d > 0) acc = add(acc, odd[(d - 1) >> 1] as Jac);
      else if (d < 0) {
        const [X, Y, Z] = odd[(-d - 1) >> 1] as Jac;
        acc = add(acc, [X, Y === 0n ? 0n : p - Y, Z]);
      }
    }
    return acc;
  }

  function verifyUnsafe(u1: bigint, u2: bigint, Q: Affine, r: bigint): boolean {
    let acc = mulUnsafe([Q[0], Q[1], 1n], u2);
    if (u1 !== 0n) {
      const t = getTable();
      const ds = digits(u1, t.length, W);
      for (let i = 0; i < t.length; i++) {
        const d = ds[i] as number;
        if (d !== 0) acc = addDigit(acc, t[i] as Affine[], d);
      }
    }
    const [X, , Z] = acc;
    if (Z === 0n) return false;
    // x = X/Z² ≡ r + j·q for some j with r + j·q < p: compare without inverting Z.
    const ZZ = red(Z * Z);
    for (let x = r; x < p; x += q) if (red(x * ZZ) === X) return true;
    return false;
  }

  function isOnCurve([x, y]: Affine): boolean {
    if (x < 0n || x >= p || y < 0n || y >= p) return false;
    return red(y * y) === red(red(x * x + a) * x + b);
  }

  function isTorsionFreeUnsafe(P: Affine): boolean {
    return mulUnsafe([P[0], P[1], 1n], q)[2] === 0n;
  }

  return { mulBase, mul, verifyUnsafe, isOnCurve, isTorsionFreeUnsafe };
}
