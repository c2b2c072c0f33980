// GOST R 34.11-94, the hash function of the GOST R 34.10-2001 era (RFC 5831), with the test and CryptoPro parameter sets, usable with @noble/hashes; HMAC-GOSTR3411-94 (RFC 4357 §3).

import { hmac } from '@noble/hashes/hmac.js';
import { type CHash, createHasher, type Hash, isBytes } from '@noble/hashes/utils.js';
import { UnknownParameterSetError } from './errors';
import { type Gost28147Core, getGost28147Sbox, gost28147Core } from './gost28147';

// Representation. RFC 5831 reads a 32-byte block as a little-endian 256-bit number (byte 0 is the
// least significant; the RFC prints its examples most significant first, so they read reversed).
// Blocks are 8 signed 32-bit words here, word j holding bytes 4j..4j+3; the embedded GOST 28147-89
// encryption reads keys and 8-byte halves with the same little-endian convention as OpenSSL.
//
// Not constant-time: the embedded cipher indexes lookup tables with data (see ./gost28147).

/** The OID of GOST R 34.11-94 (id-GostR3411-94). */
export const OID_GOST3411_94 = '1.2.643.2.2.9';
/** The OID of HMAC over GOST R 34.11-94 (id-HMACGostR3411-94, RFC 4357 §3). */
export const OID_HMAC_GOST3411_94 = '1.2.643.2.2.10';
/** id-GostR3411-94-TestParamSet: the S-boxes of the RFC 5831 examples. */
export const OID_GOST3411_94_TEST_PARAMS = '1.2.643.2.2.30.0';
/** id-GostR3411-94-CryptoProParamSet (RFC 4357): the parameters of real 2001-era signatures. */
export const OID_GOST3411_94_CRYPTOPRO_PARAMS = '1.2.643.2.2.30.1';

/** Options of {@link gost341194}. */
export interface Gost341194Options {
  /**
   * The parameter set (S-boxes) by name (`gostr3411-94-cryptopro`, `gostr3411-94-test`), ASN.1
   * name or OID. Default: CryptoPro (1.2.643.2.2.30.1), as OpenSSL's `md_gost94` and every
   * GOST R 34.10-2001 signature.
   */
  paramSet?: string;
}

const HASH_SETS = ['gostr3411-94-cryptopro', 'gostr3411-94-test'];

/** The canonical name of a GOST R 34.11-94 parameter set; looks nothing up beyond the names. */
function hashSetName(paramSet: string): string {
  let name: string | undefined;
  try {
    name = getGost28147Sbox(paramSet).name;
  } catch {
    name = undefined;
  }
  if (name === undefined || !HASH_SETS.includes(name)) throw new UnknownParameterSetError(String(paramSet));
  return name;
}

/** C_3 of RFC 5831 §6.1 (the others are zero) as 8 little-endian words. */
const C3 = /* @__PURE__ */ Int32Array.of(
  0xff00ff00,
  0xff00ff00,
  0x00ff00ff,
  0x00ff00ff,
  0x00ffff00,
  0xff0000ff,
  0x000000ff,
  0xff00ffff,
);

/** Work areas of the step function, made on first use (the step never yields, so one set suffices). */
interface Scratch {
  u: Int32Array;
  v: Int32Array;
  w: Int32Array;
  key: Int32Array;
  s: Int32Array;
  half: Int32Array;
  /** 16-bit words for the shuffle: 16 in, then up to 61 produced by psi. */
  x: Uint16Array;
}

let scratch: Scratch | undefined;

function getScratch(): Scratch {
  scratch ??= {
    u: new Int32Array(8),
    v: new Int32Array(8),
    w: new Int32Array(8),
    key: new Int32Array(8),
    s: new Int32Array(8),
    half: new Int32Array(2),
    x: new Uint16Array(16 + 61),
  };
  return scratch;
}

// biome-ignore-start lint/style/noNonNullAssertion: all arrays below have the fixed lengths of RFC 5831 blocks (8 words, 16 half-words) and every index is in range by construction
/** Y = A(Y) (RFC 5831 §6.1): the 64-bit blocks y4||y3||y2||y1 become (y1 ^ y2)||y4||y3||y2. */
function transformA(y: Int32Array): void {
  const a0 = y[0]! ^ y[2]!;
  const a1 = y[1]! ^ y[3]!;
  y.copyWithin(0, 2);
  y[6] = a0;
  y[7] = a1;
}

/**
 * key = P(w) (RFC 5831 §6.1): byte i + 4k of the key is byte 8i + k of w (i < 4, k < 8), a
 * transposition. Word k of the key thus gathers byte k of each 64-bit block of w.
 */
function transformP(w: Int32Array, key: Int32Array): void {
  for (let k = 0; k < 8; k++) {
    const word = k >> 2;
    const shift = (k & 3) * 8;
    key[k] =
      ((w[word]! >>> shift) & 255) |
      (((w[word + 2]! >>> shift) & 255) << 8) |
      (((w[word + 4]! >>> shift) & 255) << 16) |
      (((w[word + 6]! >>> shift) & 255) << 24);
  }
}

/**
 * psi^n of the 16 half-words in x[0..16] (RFC 5831 §6.3): psi shifts the half-words down by one
 * and puts y1 ^ y2 ^ y3 ^ y4 ^ y13 ^ y16 on top, so psi^n is x[n..n+16] of the sequence that
 * continues x with that rule. Returns n.
 */
function psi(x: Uint16Array, n: number): number {
  for (let t = 0; t < n; t++) {
    x[t + 16] = x[t]! ^ x[t + 1]! ^ x[t + 2]! ^ x[t + 3]! ^ x[t + 12]! ^ x[t + 15]!;
  }
  return n;
}

/** x[0..16] = the half-words of `words` XOR the half-words x[from..from+16]. */
function xorHalves(x: Uint16Array, from: number, words: Int32Array): void {
  for (let j = 0; j < 8; j++) {
    const word = words[j]!;
    x[2 * j] = x[from + 2 * j]! ^ (word & 0xffff);
    x[2 * j + 1] = x[from + 2 * j + 1]! ^ (word >>> 16);
  }
}

/**
 * The step function h = f(h, m) of RFC 5831 §6: key generation (§6.1), encryption of the four
 * 64-bit blocks of h with GOST 28147-89 (§6.2), and the shuffle h = psi^61(h ^ psi(m ^ psi^12(s)))
 * (§6.3).
 */
function step(core: Gost28147Core, h: Int32Array, m: Int32Array): void {
  const { u, v, w, key, s, half, x } = getScratch();
  u.set(h);
  v.set(m);
  for (let i = 0; i < 4; i++) {
    if (i > 0) {
      transformA(u);
      if (i === 2) for (let j = 0; j < 8; j++) u[j] = u[j]! ^ C3[j]!;
      transformA(v);
      transformA(v);
    }
    for (let j = 0; j < 8; j++) w[j] = u[j]! ^ v[j]!;
    transformP(w, key);
    half[0] = h[2 * i]!;
    half[1] = h[2 * i + 1]!;
    core.encrypt(key, half);
    s[2 * i] = half[0]!;
    s[2 * i + 1] = half[1]!;
  }
  for (let j = 0; j < 8; j++) {
    x[2 * j] = s[j]! & 0xffff;
    x[2 * j + 1] = s[j]! >>> 16;
  }
  let at = psi(x, 12);
  xorHalves(x, at, m);
  at = psi(x, 1);
  xorHalves(x, at, h);
  at = psi(x, 61);
  for (let j = 0; j < 8; j++) h[j] = x[at + 2 * j]! | (x[at + 2 * j + 1]! << 16);
  key.fill(0);
  half.fill(0);
}
// biome-ignore-end lint/style/noNonNullAssertion: end of the step function

/** The little-endian 32-bit word at data[at..at+4]. */
function readLE(data: Uint8Array, at: number): number {
  return (data[at] ?? 0) | ((data[at + 1] ?? 0) << 8) | ((data[at + 2] ?? 0) << 16) | ((data[at + 3] ?? 0) << 24);
}

/** Writes `word` little-endian at out[at..at+4]. */
function writeLE(out: Uint8Array, at: number, word: number): void {
  out[at] = word;
  out[at + 1] = word >>> 8;
  out[at + 2] = word >>> 16;
  out[at + 3] = word >>> 24;
}

/** a = (a + b) mod 2^256, both 8 little-endian words. */
function add256(a: Int32Array, b: Int32Array): void {
  let carry = 0;
  for (let i = 0; i < 8; i++) {
    const sum = ((a[i] ?? 0) >>> 0) + ((b[i] ?? 0) >>> 0) + carry;
    a[i] = sum | 0;
    carry = sum > 0xffffffff ? 1 : 0;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return value.constructor?.name ?? 'object';
}

/**
 * An incremental GOST R 34.11-94 computation, what `gost341194.create()` returns. It implements the
 * @noble/hashes `Hash` interface, so `hmac` and `pbkdf2` from @noble/hashes accept `gost341194`
 * (with the default CryptoPro parameters).
 *
 * Not constant-time (table-based cipher inside).
 *
 * @example
 * ```ts
 * const h = gost341194.create();
 * h.update(new TextEncoder().encode('ab')).update(new TextEncoder().encode('c'));
 * h.digest(); // b285056d...f92fd42c, the same as gost341194 of 'abc'
 * ```
 */
export class Gost341194Hash implements Hash<Gost341194Hash> {
  /** Bytes per block: 32. */
  readonly blockLen = 32;
  /** Digest size in bytes: 32. */
  readonly outputLen = 32;
  /** Not an extendable-output function. */
  readonly canXOF = false;
  /** Set by `digest()` / `digestInto()`. */
  finished = false;
  /** Set by `destroy()`. */
  destroyed = false;
  /** The parameter set's canonical name. */
  readonly paramSet: string;

  private core: Gost28147Core | undefined;
  // The state of RFC 5831 §7: H (starting at zero), the checksum Σ, the message length in bytes
  // and the bytes of the current block.
  private readonly h = new Int32Array(8);
  private readonly sigma = new Int32Array(8);
  private readonly m = new Int32Array(8);
  private readonly buf = new Uint8Array(32);
  private pos = 0;
  private length = 0;

  /**
   * Starts a computation with H = 0 (the starting value of RFC 5831 §7.3 and of CryptoPro).
   *
   * @throws {UnknownParameterSetError} for a parameter set other than the two of GOST R 34.11-94.
   * @example
   * ```ts
   * const h = new Gost341194Hash('gostr3411-94-test'); // the RFC 5831 examples' parameters
   * ```
   */
  constructor(paramSet = 'gostr3411-94-cryptopro') {
    // Only the name is checked here: @noble/hashes makes one instance when the module loads, so
    // the S-box tables are built on the first update or digest.
    this.paramSet = hashSetName(paramSet);
  }

  private engine(): Gost28147Core {
    this.core ??= gost28147Core(this.paramSet);
    return this.core;
  }

  /** H = f(H, block) for 32 bytes at data[at..], with Σ += block (RFC 5831 §7 stage 2). */
  private block(core: Gost28147Core, data: Uint8Array, at: number): void {
    const { m } = this;
    for (let j = 0; j < 8; j++) m[j] = readLE(data, at + 4 * j);
    step(core, this.h, m);
    add256(this.sigma, m);
  }

  /**
   * Absorbs message bytes (stage 2 of RFC 5831 §7).
   *
   * @throws {TypeError} if `data` is not a Uint8Array.
   * @throws {Error} after `digest()` or `destroy()`.
   * @example
   * ```ts
   * gost341194.create().update(part1).update(part2).digest();
   * ```
   */
  update(data: Uint8Array): this {
    this.check();
    if (!isBytes(data)) throw new TypeError(`GOST R 34.11-94: expected a Uint8Array, got ${describe(data)}`);
    const core = this.engine();
    const { buf } = this;
    const len = data.length;
    this.length += len;
    let at = 0;
    if (this.pos > 0) {
      at = Math.min(32 - this.pos, len);
      buf.set(data.subarray(0, at), this.pos);
      this.pos += at;
      if (this.pos < 32) return this;
      this.block(core, buf, 0);
      this.pos = 0;
    }
    for (; at + 32 <= len; at += 32) this.block(core, data, at);
    if (at < len) {
      buf.set(data.subarray(at), 0);
      this.pos = len - at;
    }
    return this;
  }

  /**
   * Finishes (stage 3 of RFC 5831 §7) and writes the 32-byte digest into `out`; the instance is
   * then wiped. The last partial block is padded with zero bytes. The empty message hashes one
   * all-zero block, as OpenSSL does (PyGOST, Bouncy Castle and crypto-gost-js skip it, so their
   * digests of the empty message differ). Then H = f(H, L) with L the length in bits, and
   * H = f(H, Σ).
   *
   * @throws {TypeError} if `out` is not a Uint8Array.
   * @throws {RangeError} if `out` is shorter than 32 bytes.
   * @throws {Error} after `digest()` or `destroy()`.
   * @example
   * ```ts
   * const out = new Uint8Array(32);
   * gost341194.create().update(message).digestInto(out);
   * ```
   */
  digestInto(out: Uint8Array): void {
    this.check();
    if (!isBytes(out)) throw new TypeError(`GOST R 34.11-94: expected a Uint8Array output, got ${describe(out)}`);
    if (out.length < 32) throw new RangeError('GOST R 34.11-94: the output needs 32 bytes');
    this.finished = true;
    const core = this.engine();
    const { buf, h, m } = this;
    if (this.pos > 0 || this.length === 0) {
      buf.fill(0, this.pos);
      this.block(core, buf, 0);
    }
    // L, the message length in bits as a 256-bit little-endian number (exact below 2^53 bits).
    m.fill(0);
    const bits = this.length * 8;
    m[0] = (bits % 0x100000000) | 0;
    m[1] = Math.floor(bits / 0x100000000) | 0;
    step(core, h, m);
    step(core, h, this.sigma);
    for (let j = 0; j < 8; j++) writeLE(out, 4 * j, h[j] ?? 0);
    this.wipe();
  }

  /**
   * Finishes and returns the 32-byte digest in the order the algorithm outputs it: OpenSSL
   * prints the same hex, RFC 5831 §7.3 prints it reversed.
   *
   * @throws {Error} after `digest()` or `destroy()`.
   * @example
   * ```ts
   * gost341194.create().update(new Uint8Array(0)).digest(); // 981e5f3c...4cd656c0
   * ```
   */
  digest(): Uint8Array<ArrayBuffer> {
    const out = new Uint8Array(32);
    this.digestInto(out);
    return out;
  }

  /**
   * Copies the state into `to` (or a new instance), as @noble/hashes' HMAC does with a keyed
   * prefix. `to` takes this instance's parameter set.
   *
   * @example
   * ```ts
   * const copy = gost341194.create().update(header)._cloneInto();
   * ```
   */
  _cloneInto(to?: Gost341194Hash): Gost341194Hash {
    const t = to ?? new Gost341194Hash(this.paramSet);
    (t as { paramSet: string }).paramSet = this.paramSet;
    t.core = this.core;
    t.h.set(this.h);
    t.sigma.set(this.sigma);
    t.buf.set(this.buf);
    t.pos = this.pos;
    t.length = this.length;
    t.finished = this.finished;
    t.destroyed = this.destroyed;
    return t;
  }

  /**
   * Returns an independent copy of the computation so far.
   *
   * @example
   * ```ts
   * const prefix = gost341194.create().update(header);
   * const a = prefix.clone().update(bodyA).digest();
   * ```
   */
  clone(): Gost341194Hash {
    return this._cloneInto();
  }

  /**
   * Wipes the state and makes the instance unusable.
   *
   * @example
   * ```ts
   * gost341194.create().update(secret).destroy();
   * ```
   */
  destroy(): void {
    this.destroyed = true;
    this.wipe();
  }

  private check(): void {
    if (this.destroyed) throw new Error('GOST R 34.11-94: the hash was destroyed');
    if (this.finished) throw new Error('GOST R 34.11-94: digest() was already called; clone() before it to continue');
  }

  private wipe(): void {
    this.h.fill(0);
    this.sigma.fill(0);
    this.m.fill(0);
    this.buf.fill(0);
    this.pos = 0;
    this.length = 0;
  }
}

/**
 * GOST R 34.11-94 (RFC 5831), 32-byte digest, OID 1.2.643.2.2.9 in `.oid` (DER). Call it on
 * bytes (with `{ paramSet }` for the test parameters), or `.create()` to hash incrementally.
 * Default parameters: CryptoPro (1.2.643.2.2.30.1), as `openssl dgst -md_gost94`.
 *
 * @throws {TypeError} if the message is not a Uint8Array.
 * @throws {UnknownParameterSetError} for an unknown parameter set.
 * @example
 * ```ts
 * gost341194(new TextEncoder().encode('abc')); // b285056d...f92fd42c
 * gost341194(message, { paramSet: 'gostr3411-94-test' }); // the RFC 5831 §7.3 parameters
 * ```
 */
export const gost341194: CHash<Gost341194Hash, Gost341194Options> = /* @__PURE__ */ createHasher(
  (opts?: Gost341194Options) => new Gost341194Hash(opts?.paramSet),
  { oid: /* @__PURE__ */ Uint8Array.of(0x06, 0x06, 0x2a, 0x85, 0x03, 0x02, 0x02, 0x09) },
);

/**
 * HMAC_GOSTR3411 (RFC 4357 §3): HMAC (RFC 2104) over GOST R 34.11-94 with the CryptoPro
 * parameters, 32 bytes; OID 1.2.643.2.2.10. The PRF of the legacy CryptoPro PBKDF2 and PFX.
 *
 * Variable-time: the key passes through the table-based hash.
 *
 * @throws {TypeError} if `key` or `data` is not a Uint8Array.
 * @example
 * ```ts
 * hmacGost341194(key, data); // 32 bytes
 * ```
 */
export function hmacGost341194(key: Uint8Array, data: Uint8Array): Uint8Array {
  return hmac(gost341194, key, data);
}
