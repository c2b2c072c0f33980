// Kuznyechik, the 128-bit block cipher of GOST R 34.12-2015 (RFC 7801), with a 256-bit key.

import { isBytes } from '@noble/hashes/utils.js';
import type { BlockCipher } from './_block';
import { PI } from './_pi';
import { InvalidLengthError } from './errors';

export type { BlockCipher } from './_block';

/** OID of Kuznyechik, id-tc26-cipher-gostr3412-2015-kuznyechik (RFC 9337; OpenSSL: "kuznyechik"). */
export const OID_KUZNYECHIK = '1.2.643.7.1.1.5.2';

// Byte order. RFC 7801 writes a block a = a_15 || ... || a_0 and the key most significant byte
// first, and that printed hex is the byte string OpenSSL's GOST engine reads and writes: with the
// key and plaintext of RFC 7801 §5 as bytes in printed order, `openssl enc -kuznyechik-ecb -nopad`
// outputs 7f679d90...b9d4edcd, the ciphertext as printed. So no reversal is needed (unlike
// Streebog's RFC 6986 vectors): byte 0 of a block is a_15, and key bytes 0..15 are K_1.
//
// Representation. A block is four 32-bit words x0..x3, byte 4w + k of the block in bits 8k..8k+7
// of word w (shifts, not typed-array views, so the platform's endianness does not matter). One
// round LSX[k] is a XOR of 16 table entries: T[i][v] = L(S(v) placed at byte i), 128 bits each.

/**
 * The coefficients of l of RFC 7801 by byte position: l(a_15, ..., a_0) = 148 a_15 + 32 a_14
 * + ... + 148 a_1 + 1 a_0 in GF(2^8), and byte i of a block is a_(15-i).
 */
const L_COEFFICIENTS = [148, 32, 133, 16, 194, 192, 1, 251, 1, 192, 194, 16, 133, 32, 148, 1];

// biome-ignore-start lint/style/noNonNullAssertion: every index below is in range by construction (masked byte offsets into fixed-size tables, 80-word key schedules); noUncheckedIndexedAccess cannot see that
/** a * b in GF(2^8) = GF(2)[x] / p(x), p(x) = x^8 + x^7 + x^6 + x + 1, the field of RFC 7801. */
function gfMul(a: number, b: number): number {
  let r = 0;
  for (; b !== 0; b >>= 1) {
    if (b & 1) r ^= a;
    a <<= 1;
    if (a & 0x100) a ^= 0x1c3;
  }
  return r;
}

/** R of RFC 7801, in place: R(a_15..a_0) = l(a_15, ..., a_0) || a_15 || ... || a_1. */
function stepR(a: Uint8Array): void {
  let l = 0;
  for (let i = 0; i < 16; i++) l ^= gfMul(a[i]!, L_COEFFICIENTS[i]!);
  a.copyWithin(1, 0, 15);
  a[0] = l;
}

/** R^-1 in place: a_0 is recovered from l, whose coefficient of a_0 is 1. */
function stepRInverse(a: Uint8Array): void {
  let l = a[0]!;
  a.copyWithin(0, 1);
  for (let i = 0; i < 15; i++) l ^= gfMul(a[i]!, L_COEFFICIENTS[i]!);
  a[15] = l;
}

/** Reads 4 bytes at `at` as a word, byte 0 least significant. */
function load(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
}

/** Doubles each of the four bytes of a word in GF(2^8): x * b(x) modulo p(x) = 0x1c3. */
const double = (w: number) => ((w & 0x7f7f7f7f) << 1) ^ (((w >>> 7) & 0x01010101) * 0xc3);

/**
 * Fills a round table: word w of M(box(v) at byte i) goes to t[w][256 i + v], where M = R^16 = L
 * (with box = S) or (R^-1)^16 = L^-1 (with box = S^-1). M is linear over GF(2), so for each i only
 * M(1 at byte i) is computed with R; M(2^k at byte i) follows by doubling every byte, and
 * M(x at byte i) as the XOR of those for the bits of x.
 */
function fillTable(box: Uint8Array, step: (a: Uint8Array) => void, t: readonly Int32Array[]): void {
  const [t0, t1, t2, t3] = t as [Int32Array, Int32Array, Int32Array, Int32Array];
  const column = new Uint8Array(16);
  const m = new Int32Array(1024); // m[4x + w] = word w of M(x at byte i)
  for (let i = 0; i < 16; i++) {
    column.fill(0);
    column[i] = 1;
    for (let n = 0; n < 16; n++) step(column);
    m[4] = load(column, 0);
    m[5] = load(column, 4);
    m[6] = load(column, 8);
    m[7] = load(column, 12);
    for (let x = 2; x < 256; x++) {
      const low = x & -x;
      const o = 4 * x;
      if (low === x) {
        const h = 2 * x; // M(x/2 at byte i)
        m[o] = double(m[h]!);
        m[o + 1] = double(m[h + 1]!);
        m[o + 2] = double(m[h + 2]!);
        m[o + 3] = double(m[h + 3]!);
      } else {
        const a = 4 * low;
        const b = 4 * (x ^ low);
        m[o] = m[a]! ^ m[b]!;
        m[o + 1] = m[a + 1]! ^ m[b + 1]!;
        m[o + 2] = m[a + 2]! ^ m[b + 2]!;
        m[o + 3] = m[a + 3]! ^ m[b + 3]!;
      }
    }
    for (let v = 0; v < 256; v++) {
      const o = 4 * box[v]!;
      const at = (i << 8) | v;
      t0[at] = m[o]!;
      t1[at] = m[o + 1]!;
      t2[at] = m[o + 2]!;
      t3[at] = m[o + 3]!;
    }
  }
}

/** y[yo..yo+4] = XOR over i of t[..][i][byte i of x[xo..xo+4]]: one L∘S (or L^-1∘S^-1) step, for the key schedule. */
function mix(t: readonly Int32Array[], x: Int32Array, xo: number, y: Int32Array, yo: number): void {
  const [t0, t1, t2, t3] = t as [Int32Array, Int32Array, Int32Array, Int32Array];
  let y0 = 0;
  let y1 = 0;
  let y2 = 0;
  let y3 = 0;
  for (let i = 0; i < 16; i++) {
    const j = (i << 8) | ((x[xo + (i >> 2)]! >>> (8 * (i & 3))) & 255);
    y0 ^= t0[j]!;
    y1 ^= t1[j]!;
    y2 ^= t2[j]!;
    y3 ^= t3[j]!;
  }
  y[yo] = y0;
  y[yo + 1] = y1;
  y[yo + 2] = y2;
  y[yo + 3] = y3;
}

/** The block machinery shared by all keys. */
interface Engine {
  /** rk[0..40] = K_1..K_10 for encryption; rk[40..80] = L^-1(K_10), ..., L^-1(K_2), K_1 for decryption. */
  expandKey(key: Uint8Array, rk: Int32Array): void;
  encrypt(rk: Int32Array, src: Uint8Array, s: number, dst: Uint8Array, d: number): void;
  decrypt(rk: Int32Array, src: Uint8Array, s: number, dst: Uint8Array, d: number): void;
}

let engine: Engine | undefined;

function getEngine(): Engine {
  engine ??= createEngine();
  return engine;
}

/**
 * Builds the engine on first use: S, S^-1, the 2 x 64 KiB of round tables (a few milliseconds)
 * and the functions that use them. The tables are `const`s of this closure so that V8 embeds their
 * addresses in the optimised code (see the measurements in ./streebog).
 */
function createEngine(): Engine {
  const S = Uint8Array.from(PI);
  const SI = new Uint8Array(256);
  for (let v = 0; v < 256; v++) SI[S[v]!] = v;
  // Word w of T[i][v] is Tw[256 i + v]: four tables rather than one interleaved measured faster.
  const T = [new Int32Array(4096), new Int32Array(4096), new Int32Array(4096), new Int32Array(4096)] as const;
  const TI = [new Int32Array(4096), new Int32Array(4096), new Int32Array(4096), new Int32Array(4096)] as const;
  fillTable(S, stepR, T);
  fillTable(SI, stepRInverse, TI);
  const [T0, T1, T2, T3] = T;
  const [TI0, TI1, TI2, TI3] = TI;

  /** S (or S^-1) on the four bytes of a word. */
  const sub = (box: Uint8Array, x: number) =>
    box[x & 255]! | (box[(x >>> 8) & 255]! << 8) | (box[(x >>> 16) & 255]! << 16) | (box[x >>> 24]! << 24);

  function store(dst: Uint8Array, d: number, x0: number, x1: number, x2: number, x3: number): void {
    dst[d] = x0;
    dst[d + 1] = x0 >>> 8;
    dst[d + 2] = x0 >>> 16;
    dst[d + 3] = x0 >>> 24;
    dst[d + 4] = x1;
    dst[d + 5] = x1 >>> 8;
    dst[d + 6] = x1 >>> 16;
    dst[d + 7] = x1 >>> 24;
    dst[d + 8] = x2;
    dst[d + 9] = x2 >>> 8;
    dst[d + 10] = x2 >>> 16;
    dst[d + 11] = x2 >>> 24;
    dst[d + 12] = x3;
    dst[d + 13] = x3 >>> 8;
    dst[d + 14] = x3 >>> 16;
    dst[d + 15] = x3 >>> 24;
  }

  /**
   * E = X[K_10] LSX[K_9] ... LSX[K_1] (RFC 7801, encryption): nine rounds of one table XOR each, then
   * the last key. The 16 lookups of a round are unrolled by hand, as in ./streebog.
   */
  // biome-ignore format: one table lookup per line, aligned so the pattern can be checked by eye
  function encrypt(rk: Int32Array, src: Uint8Array, s: number, dst: Uint8Array, d: number): void {
    let x0 = load(src, s);
    let x1 = load(src, s + 4);
    let x2 = load(src, s + 8);
    let x3 = load(src, s + 12);
    let j: number;
    for (let r = 0; r < 36; r += 4) {
      const a0 = x0 ^ rk[r]!;
      const a1 = x1 ^ rk[r + 1]!;
      const a2 = x2 ^ rk[r + 2]!;
      const a3 = x3 ^ rk[r + 3]!;
      j = a0 & 255;                   x0 = T0[j]!; x1 = T1[j]!; x2 = T2[j]!; x3 = T3[j]!;
      j = 256 | ((a0 >>> 8) & 255);   x0 ^= T0[j]!; x1 ^= T1[j]!; x2 ^= T2[j]!; x3 ^= T3[j]!;
      j = 512 | ((a0 >>> 16) & 255);  x0 ^= T0[j]!; x1 ^= T1[j]!; x2 ^= T2[j]!; x3 ^= T3[j]!;
      j = 768 | (a0 >>> 24);          x0 ^= T0[j]!; x1 ^= T1[j]!; x2 ^= T2[j]!; x3 ^= T3[j]!;
      j = 1024 | (a1 & 255);          x0 ^= T0[j]!; x1 ^= T1[j]!; x2 ^= T2[j]!; x3 ^= T3[j]!;
      j = 1280 | ((a1 >>> 8) & 255);  x0 ^= T0[j]!; x1 ^= T1[j]!; x2 ^= T2[j]!; x3 ^= T3[j]!;
      j = 1536 | ((a1 >>> 16) & 255); x0 ^= T0[j]!; x1 ^= T1[j]!; x2 ^= T2[j]!; x3 ^= T3[j]!;
      j = 1792 | (a1 >>> 24);         x0 ^= T0[j]!; x1 ^= T1[j]!; x2 ^= T2[j]!; x3 ^= T3[j]!;
      j = 2048 | (a2 & 255);          x0 ^= T0[j]!; x1 ^= T1[j]!; x2 ^= T2[j]!; x3 ^= T3[j]!;
      j = 2304 | ((a2 >>> 8) & 255);  x0 ^= T0[j]!; x1 ^= T1[j]!; x2 ^= T2[j]!; x3 ^= T3[j]!;
      j = 2560 | ((a2 >>> 16) & 255); x0 ^= T0[j]!; x1 ^= T1[j]!; x2 ^= T2[j]!; x3 ^= T3[j]!;
      j = 2816 | (a2 >>> 24);         x0 ^= T0[j]!; x1 ^= T1[j]!; x2 ^= T2[j]!; x3 ^= T3[j]!;
      j = 3072 | (a3 & 255);          x0 ^= T0[j]!; x1 ^= T1[j]!; x2 ^= T2[j]!; x3 ^= T3[j]!;
      j = 3328 | ((a3 >>> 8) & 255);  x0 ^= T0[j]!; x1 ^= T1[j]!; x2 ^= T2[j]!; x3 ^= T3[j]!;
      j = 3584 | ((a3 >>> 16) & 255); x0 ^= T0[j]!; x1 ^= T1[j]!; x2 ^= T2[j]!; x3 ^= T3[j]!;
      j = 3840 | (a3 >>> 24);         x0 ^= T0[j]!; x1 ^= T1[j]!; x2 ^= T2[j]!; x3 ^= T3[j]!;
    }
    store(dst, d, x0 ^ rk[36]!, x1 ^ rk[37]!, x2 ^ rk[38]!, x3 ^ rk[39]!);
  }

  /**
   * D = X[K_1] S^-1 L^-1 X[K_2] ... S^-1 L^-1 X[K_10] (RFC 7801, decryption), regrouped for tables:
   * L^-1 is linear, so L^-1(S^-1(z) ^ K) = TI(z) ^ L^-1(K) with TI[i][v] = L^-1(S^-1(v) at byte i).
   * The input first goes through S so that the first TI applies L^-1 alone:
   * z = TI(S(c)) ^ L^-1(K_10), then z = TI(z) ^ L^-1(K_r) for r = 9..2, and p = S^-1(z) ^ K_1.
   */
  // biome-ignore format: one table lookup per line, aligned so the pattern can be checked by eye
  function decrypt(rk: Int32Array, src: Uint8Array, s: number, dst: Uint8Array, d: number): void {
    let x0 = sub(S, load(src, s));
    let x1 = sub(S, load(src, s + 4));
    let x2 = sub(S, load(src, s + 8));
    let x3 = sub(S, load(src, s + 12));
    let j: number;
    for (let r = 40; r < 76; r += 4) {
      const a0 = x0;
      const a1 = x1;
      const a2 = x2;
      const a3 = x3;
      j = a0 & 255;                   x0 = TI0[j]!; x1 = TI1[j]!; x2 = TI2[j]!; x3 = TI3[j]!;
      j = 256 | ((a0 >>> 8) & 255);   x0 ^= TI0[j]!; x1 ^= TI1[j]!; x2 ^= TI2[j]!; x3 ^= TI3[j]!;
      j = 512 | ((a0 >>> 16) & 255);  x0 ^= TI0[j]!; x1 ^= TI1[j]!; x2 ^= TI2[j]!; x3 ^= TI3[j]!;
      j = 768 | (a0 >>> 24);          x0 ^= TI0[j]!; x1 ^= TI1[j]!; x2 ^= TI2[j]!; x3 ^= TI3[j]!;
      j = 1024 | (a1 & 255);          x0 ^= TI0[j]!; x1 ^= TI1[j]!; x2 ^= TI2[j]!; x3 ^= TI3[j]!;
      j = 1280 | ((a1 >>> 8) & 255);  x0 ^= TI0[j]!; x1 ^= TI1[j]!; x2 ^= TI2[j]!; x3 ^= TI3[j]!;
      j = 1536 | ((a1 >>> 16) & 255); x0 ^= TI0[j]!; x1 ^= TI1[j]!; x2 ^= TI2[j]!; x3 ^= TI3[j]!;
      j = 1792 | (a1 >>> 24);         x0 ^= TI0[j]!; x1 ^= TI1[j]!; x2 ^= TI2[j]!; x3 ^= TI3[j]!;
      j = 2048 | (a2 & 255);          x0 ^= TI0[j]!; x1 ^= TI1[j]!; x2 ^= TI2[j]!; x3 ^= TI3[j]!;
      j = 2304 | ((a2 >>> 8) & 255);  x0 ^= TI0[j]!; x1 ^= TI1[j]!; x2 ^= TI2[j]!; x3 ^= TI3[j]!;
      j = 2560 | ((a2 >>> 16) & 255); x0 ^= TI0[j]!; x1 ^= TI1[j]!; x2 ^= TI2[j]!; x3 ^= TI3[j]!;
      j = 2816 | (a2 >>> 24);         x0 ^= TI0[j]!; x1 ^= TI1[j]!; x2 ^= TI2[j]!; x3 ^= TI3[j]!;
      j = 3072 | (a3 & 255);          x0 ^= TI0[j]!; x1 ^= TI1[j]!; x2 ^= TI2[j]!; x3 ^= TI3[j]!;
      j = 3328 | ((a3 >>> 8) & 255);  x0 ^= TI0[j]!; x1 ^= TI1[j]!; x2 ^= TI2[j]!; x3 ^= TI3[j]!;
      j = 3584 | ((a3 >>> 16) & 255); x0 ^= TI0[j]!; x1 ^= TI1[j]!; x2 ^= TI2[j]!; x3 ^= TI3[j]!;
      j = 3840 | (a3 >>> 24);         x0 ^= TI0[j]!; x1 ^= TI1[j]!; x2 ^= TI2[j]!; x3 ^= TI3[j]!;
      x0 ^= rk[r]!;
      x1 ^= rk[r + 1]!;
      x2 ^= rk[r + 2]!;
      x3 ^= rk[r + 3]!;
    }
    store(dst, d, sub(SI, x0) ^ rk[76]!, sub(SI, x1) ^ rk[77]!, sub(SI, x2) ^ rk[78]!, sub(SI, x3) ^ rk[79]!);
  }

  /**
   * The key schedule of RFC 7801: K_1 || K_2 = key, then each next pair is 8 Feistel steps
   * F[C_i](a_1, a_0) = (LSX[C_i](a_1) ^ a_0, a_1) with C_i = L(Vec128(i)) = T[15][S^-1(i)].
   */
  function expandKey(key: Uint8Array, rk: Int32Array): void {
    // w[0..4] = a_1, w[4..8] = a_0, w[8..12] = scratch.
    const w = new Int32Array(12);
    for (let i = 0; i < 8; i++) w[i] = load(key, 4 * i);
    rk.set(w.subarray(0, 8), 0);
    for (let i = 1; i <= 32; i++) {
      const c = (15 << 8) | SI[i]!;
      for (let k = 0; k < 4; k++) w[8 + k] = w[k]! ^ T[k]![c]!;
      mix(T, w, 8, w, 8);
      for (let k = 0; k < 4; k++) {
        const a1 = w[k]!;
        w[k] = w[8 + k]! ^ w[4 + k]!;
        w[4 + k] = a1;
      }
      if ((i & 7) === 0) rk.set(w.subarray(0, 8), i);
    }
    // Decryption keys: L^-1(K_r) = TI(S(K_r)) for r = 10..2, then K_1.
    for (let r = 10; r >= 2; r--) {
      for (let k = 0; k < 4; k++) w[8 + k] = sub(S, rk[4 * (r - 1) + k]!);
      mix(TI, w, 8, rk, 40 + 4 * (10 - r));
    }
    rk.set(rk.subarray(0, 4), 76);
    w.fill(0);
  }

  return { expandKey, encrypt, decrypt };
}
// biome-ignore-end lint/style/noNonNullAssertion: end of the hot path

/** One Kuznyechik key schedule; see `kuznyechik`. */
class Kuznyechik implements BlockCipher {
  readonly blockSize = 16;
  private readonly engine = getEngine();
  /** Encryption keys at words 0..39, decryption keys at 40..79 (see `Engine.expandKey`). */
  private readonly rk = new Int32Array(80);
  private destroyed = false;

  constructor(key: Uint8Array) {
    this.engine.expandKey(key, this.rk);
  }

  encryptBlock(src: Uint8Array, srcOffset: number, dst: Uint8Array, dstOffset: number): void {
    if (this.destroyed) throw new Error('Kuznyechik: the cipher was destroyed');
    this.engine.encrypt(this.rk, src, srcOffset, dst, dstOffset);
  }

  decryptBlock(src: Uint8Array, srcOffset: number, dst: Uint8Array, dstOffset: number): void {
    if (this.destroyed) throw new Error('Kuznyechik: the cipher was destroyed');
    this.engine.decrypt(this.rk, src, srcOffset, dst, dstOffset);
  }

  destroy(): void {
    this.rk.fill(0);
    this.destroyed = true;
  }
}

/**
 * Kuznyechik, the 128-bit block cipher of GOST R 34.12-2015 (RFC 7801), keyed with 32 bytes.
 * Returns a `BlockCipher` for the modes of GOST R 34.13-2015; blocks and key are byte strings in
 * the order RFC 7801 prints them and OpenSSL's `kuznyechik-*` ciphers use (no reversal). The
 * key schedule is computed once; `destroy()` wipes it, and every later call throws.
 *
 * Variable-time: like OpenSSL's GOST engine and most software Kuznyechik, it indexes 64 KiB
 * lookup tables with key- and data-dependent bytes, which a cache-timing attacker on the same
 * machine could observe. The tables are built on the first call (a few ms), not at import.
 *
 * @throws {TypeError} if `key` is not a Uint8Array.
 * @throws {InvalidLengthError} `ERR_INVALID_KEY_LENGTH` if `key` is not 32 bytes.
 * @example
 * ```ts
 * const cipher = kuznyechik(hexToBytes('8899aabbccddeeff0011223344556677fedcba98765432100123456789abcdef'));
 * const block = hexToBytes('1122334455667700ffeeddccbbaa9988');
 * cipher.encryptBlock(block, 0, block, 0); // block is now 7f679d90bebc24305a468d42b9d4edcd
 * cipher.destroy();
 * ```
 */
export function kuznyechik(key: Uint8Array): BlockCipher {
  if (!isBytes(key)) throw new TypeError(`Kuznyechik: expected the key as a Uint8Array, got ${describe(key)}`);
  if (key.length !== 32) {
    throw new InvalidLengthError('ERR_INVALID_KEY_LENGTH', `Kuznyechik: the key must be 32 bytes, got ${key.length}`);
  }
  return new Kuznyechik(key);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return value.constructor?.name ?? 'object';
}
