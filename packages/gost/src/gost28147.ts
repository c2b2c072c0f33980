// GOST 28147-89 (RFC 5830): the block cipher with its S-box parameter sets, CFB and counter modes with CryptoPro key meshing (RFC 4357 §2.3), and the IMIT MAC (RFC 5830 §8).

import { isBytes } from '@noble/hashes/utils.js';
import type { BlockCipher } from './_block';
import { InvalidLengthError, UnknownParameterSetError } from './errors';

export type { BlockCipher } from './_block';

// Byte conventions, those of OpenSSL's GOST engine, CryptoPro CSP and PyGOST (RFC 5830 itself
// speaks of bits, not bytes):
// - key: 32 bytes, read as eight little-endian 32-bit words K0..K7;
// - block: 8 bytes, bytes 0-3 are N1 and bytes 4-7 are N2, each little-endian; the result is
//   written back the same way;
// - S-boxes K1..K8: K1 substitutes the least significant 4 bits of the 32-bit round input.
// Magma (GOST R 34.12-2015) is the same cipher with parameter set Z but reads keys and blocks
// big-endian; it lives in ./magma.
//
// Timing: the round function indexes lookup tables with key-dependent data, as every software
// GOST 28147-89 does (OpenSSL's included); a cache-timing attacker on the same machine could
// observe it.

/** The OID of the GOST 28147-89 cipher (id-Gost28147-89; CryptoPro CFB with key meshing in CMS). */
export const OID_GOST28147_89 = '1.2.643.2.2.21';
/** The OID of the GOST 28147-89 IMIT MAC (id-Gost28147-89-MAC). */
export const OID_GOST28147_89_MAC = '1.2.643.2.2.22';
/** id-Gost28147-89-TestParamSet. */
export const OID_GOST28147_89_TEST_PARAMS = '1.2.643.2.2.31.0';
/** id-Gost28147-89-CryptoPro-A-ParamSet (RFC 4357), the usual set for CMS and PFX of the 2001 era. */
export const OID_GOST28147_89_CRYPTOPRO_A_PARAMS = '1.2.643.2.2.31.1';
/** id-Gost28147-89-CryptoPro-B-ParamSet (RFC 4357). */
export const OID_GOST28147_89_CRYPTOPRO_B_PARAMS = '1.2.643.2.2.31.2';
/** id-Gost28147-89-CryptoPro-C-ParamSet (RFC 4357). */
export const OID_GOST28147_89_CRYPTOPRO_C_PARAMS = '1.2.643.2.2.31.3';
/** id-Gost28147-89-CryptoPro-D-ParamSet (RFC 4357). */
export const OID_GOST28147_89_CRYPTOPRO_D_PARAMS = '1.2.643.2.2.31.4';
/** id-tc26-gost-28147-param-Z (RFC 7836): the S-box of Magma, used in TC26 PFX and CMS. */
export const OID_GOST28147_89_PARAM_Z = '1.2.643.7.1.2.5.1.1';

/** The names {@link getGost28147Sbox} knows (it also takes the ASN.1 names and the OIDs). */
export type Gost28147SboxName =
  | 'test'
  | 'cryptopro-a'
  | 'cryptopro-b'
  | 'cryptopro-c'
  | 'cryptopro-d'
  | 'tc26-z'
  | 'gostr3411-94-test'
  | 'gostr3411-94-cryptopro';

/** An S-box parameter set of GOST 28147-89. */
export interface Gost28147Sbox {
  /** Canonical name, e.g. `cryptopro-a`. */
  readonly name: Gost28147SboxName;
  /** ASN.1 name, e.g. `id-Gost28147-89-CryptoPro-A-ParamSet` (OpenSSL accepts it too). */
  readonly asn1Name: string;
  /** Object identifier, e.g. `1.2.643.2.2.31.1`. */
  readonly oid: string;
  /**
   * The eight S-boxes K1..K8 as 128 hex digits, 16 per box; digit v of box j is K_j(v). K1
   * substitutes the least significant 4 bits.
   */
  readonly sbox: string;
}

/**
 * The sets, as printed in RFC 4357 (CryptoPro A-D, the 34.11-94 sets) and RFC 8891 §4.1 (Z is
 * Magma's pi'); the test set is the one in OpenSSL's GOST engine and libgcl. Each one is checked
 * against an independent implementation in the tests (OpenSSL, the libgcl and RFC 5831 vectors).
 * The two GOST R 34.11-94 sets are listed because the hash runs the cipher with them.
 */
const SETS: readonly Gost28147Sbox[] = [
  {
    name: 'test',
    asn1Name: 'id-Gost28147-89-TestParamSet',
    oid: OID_GOST28147_89_TEST_PARAMS,
    sbox: '42f59108e3bcd7a6c9fe813a274d60b5d8ec739a15246f0be9b25f710dc6a4383e59680dab7c21f48f6b19c5d37a0e249bc0367548ef1a2dc652b09d3e7af418',
  },
  {
    name: 'cryptopro-a',
    asn1Name: 'id-Gost28147-89-CryptoPro-A-ParamSet',
    oid: OID_GOST28147_89_CRYPTOPRO_A_PARAMS,
    sbox: '96328b17a4efc0d537e98af0526cb4d1e462b3d8cf5a0719e7acd13902b4f856b5198df0e423c7a63adc120b75948fe61d297a608c45f3bebaf50ce8623917d4',
  },
  {
    name: 'cryptopro-b',
    asn1Name: 'id-Gost28147-89-CryptoPro-B-ParamSet',
    oid: OID_GOST28147_89_CRYPTOPRO_B_PARAMS,
    sbox: '84b135092eacd67f012a4d5c973fb86eec0a92db758f3614750db6123acf4e9827cf95ab140d68e383264debc17fa09552ab91c374d06f8e04be8371a296fd5c',
  },
  {
    name: 'cryptopro-c',
    asn1Name: 'id-Gost28147-89-CryptoPro-C-ParamSet',
    oid: OID_GOST28147_89_CRYPTOPRO_C_PARAMS,
    sbox: '1bc29d0f458ea763017db4528efc9a63825049fa37cd6e1b36015da8b297efc48db0451293ce6fa7c9b18e247365a0fda968de20f35b41c77405a2fec61bd938',
  },
  {
    name: 'cryptopro-d',
    asn1Name: 'id-Gost28147-89-CryptoPro-D-ParamSet',
    oid: OID_GOST28147_89_CRYPTOPRO_D_PARAMS,
    sbox: 'fc2a645079ed1b83b634cfe27d805a911cb0fe65ad48937215eca70d62b493f80c89d2ab73654ef180f325eb1a47c9d6306f1e92d8c4ba571a68fb04c3597d2e',
  },
  {
    name: 'tc26-z',
    asn1Name: 'id-tc26-gost-28147-param-Z',
    oid: OID_GOST28147_89_PARAM_Z,
    sbox: 'c462a5b9e8d703f168239a5c1e47bd0fb3582fade174c960c821d4f670a53e9b7f5a816d093eb42c5df692cab78143e08e25691cf4b0da3717ed05834fa69cb2',
  },
  {
    name: 'gostr3411-94-test',
    asn1Name: 'id-GostR3411-94-TestParamSet',
    oid: '1.2.643.2.2.30.0',
    sbox: '4a92d80e6b1c7f53eb4c6dfa23810759581da342efc7609b7da1089fe46cb2536c715fd84a9e03b24ba0721d36859cfedb413f590ae7682c1fd057a4923e6b8c',
  },
  {
    name: 'gostr3411-94-cryptopro',
    asn1Name: 'id-GostR3411-94-CryptoProParamSet',
    oid: '1.2.643.2.2.30.1',
    sbox: 'a4568137dce092bf5f402db91763cea87fce94103b526a8d4a7c0f28e165db93764b9c2a180efd357624d9f0a15b8ec3de41705a3c8f629b13a95b4f867ed02c',
  },
];

/**
 * The default S-box of every function here: CryptoPro-A, the set of RFC 4357 and CryptoPro CSP, and
 * of OpenSSL's `gost89-cnt` and `gost-mac`. OpenSSL's `gost89` (CFB) and `gost89-cbc` use param Z
 * unless the engine's CRYPT_PARAMS says otherwise (gost-engine 3.0.x).
 */
const DEFAULT_SBOX = 'cryptopro-a';

/**
 * Looks up an S-box parameter set by name (`cryptopro-a`), ASN.1 name
 * (`id-Gost28147-89-CryptoPro-A-ParamSet`) or OID (`1.2.643.2.2.31.1`); names in any case.
 *
 * Standard: RFC 4357 (CryptoPro sets), RFC 7836 (Z).
 *
 * @throws {UnknownParameterSetError} for anything else.
 * @example
 * ```ts
 * getGost28147Sbox('1.2.643.7.1.2.5.1.1').name; // 'tc26-z'
 * ```
 */
export function getGost28147Sbox(nameOrOid: string): Gost28147Sbox {
  const key = typeof nameOrOid === 'string' ? nameOrOid.toLowerCase() : undefined;
  const set = SETS.find((s) => s.name === key || s.oid === key || s.asn1Name.toLowerCase() === key);
  if (!set) throw new UnknownParameterSetError(String(nameOrOid));
  return set;
}

/**
 * Lists the S-box parameter sets {@link getGost28147Sbox} knows.
 *
 * @example
 * ```ts
 * listGost28147Sboxes().map((s) => s.oid);
 * ```
 */
export function listGost28147Sboxes(): Gost28147Sbox[] {
  return [...SETS];
}

/**
 * The cipher for one S-box. `k` holds the key words K0..K7; `s` holds a block as the words
 * [N1, N2] and receives the result as the two words to write back (see the conventions above).
 * @internal shared with GOST R 34.11-94 in ./gost341194.
 */
export interface Gost28147Core {
  /** The 32 rounds of encryption, RFC 5830 §5 (K0..K7 three times, then K7..K0). */
  encrypt(k: Int32Array, s: Int32Array): void;
  /** The 32 rounds of decryption, RFC 5830 §5 (K0..K7, then K7..K0 three times). */
  decrypt(k: Int32Array, s: Int32Array): void;
  /** The 16 rounds of the MAC, RFC 5830 §8 (K0..K7 twice), without the final swap. */
  mac16(k: Int32Array, s: Int32Array): void;
}

const cores = /* @__PURE__ */ new Map<string, Gost28147Core>();

/**
 * The cipher machinery for a parameter set, built on first use and cached.
 * @internal shared with ./gost341194.
 */
export function gost28147Core(nameOrOid: string): Gost28147Core {
  const set = getGost28147Sbox(nameOrOid);
  let core = cores.get(set.name);
  if (!core) {
    core = createCore(set.sbox);
    cores.set(set.name, core);
  }
  return core;
}

// biome-ignore-start lint/style/noNonNullAssertion: table offsets are bytes plus multiples of 256 below 1024, and key/state arrays have fixed lengths; noUncheckedIndexedAccess cannot see that
/**
 * Builds the round function for one S-box. T[256j + b] is byte b of the round input (at bit
 * 8j) through K_(2j+1) and K_(2j+2), shifted into place and rotated left by 11, so the round
 * function f(x) = rotl11(S(x)) is four lookups XORed (the four bytes land on disjoint bits, and
 * the rotation distributes over XOR). Rounds go eight to a pass; unrolling the repeated passes
 * as well measured no faster on Node 20.
 */
function createCore(hex: string): Gost28147Core {
  const T = new Int32Array(1024);
  const digit = (i: number) => Number.parseInt(hex[i] ?? '', 16);
  for (let j = 0; j < 4; j++) {
    for (let b = 0; b < 256; b++) {
      const v = ((digit(32 * j + 16 + (b >>> 4)) << 4) | digit(32 * j + (b & 15))) << (8 * j);
      T[256 * j + b] = (v << 11) | (v >>> 21);
    }
  }
  const f = (x: number): number =>
    T[x & 255]! ^ T[256 | ((x >>> 8) & 255)]! ^ T[512 | ((x >>> 16) & 255)]! ^ T[768 | (x >>> 24)]!;

  return {
    // biome-ignore format: one round per statement, two per line, so the key order can be read
    encrypt(k, s) {
      const k0 = k[0]!, k1 = k[1]!, k2 = k[2]!, k3 = k[3]!, k4 = k[4]!, k5 = k[5]!, k6 = k[6]!, k7 = k[7]!;
      let a = s[0]!;
      let b = s[1]!;
      for (let i = 0; i < 3; i++) {
        b ^= f((a + k0) | 0); a ^= f((b + k1) | 0);
        b ^= f((a + k2) | 0); a ^= f((b + k3) | 0);
        b ^= f((a + k4) | 0); a ^= f((b + k5) | 0);
        b ^= f((a + k6) | 0); a ^= f((b + k7) | 0);
      }
      b ^= f((a + k7) | 0); a ^= f((b + k6) | 0);
      b ^= f((a + k5) | 0); a ^= f((b + k4) | 0);
      b ^= f((a + k3) | 0); a ^= f((b + k2) | 0);
      b ^= f((a + k1) | 0); a ^= f((b + k0) | 0);
      s[0] = b;
      s[1] = a;
    },
    // biome-ignore format: one round per statement, two per line, so the key order can be read
    decrypt(k, s) {
      const k0 = k[0]!, k1 = k[1]!, k2 = k[2]!, k3 = k[3]!, k4 = k[4]!, k5 = k[5]!, k6 = k[6]!, k7 = k[7]!;
      let a = s[0]!;
      let b = s[1]!;
      b ^= f((a + k0) | 0); a ^= f((b + k1) | 0);
      b ^= f((a + k2) | 0); a ^= f((b + k3) | 0);
      b ^= f((a + k4) | 0); a ^= f((b + k5) | 0);
      b ^= f((a + k6) | 0); a ^= f((b + k7) | 0);
      for (let i = 0; i < 3; i++) {
        b ^= f((a + k7) | 0); a ^= f((b + k6) | 0);
        b ^= f((a + k5) | 0); a ^= f((b + k4) | 0);
        b ^= f((a + k3) | 0); a ^= f((b + k2) | 0);
        b ^= f((a + k1) | 0); a ^= f((b + k0) | 0);
      }
      s[0] = b;
      s[1] = a;
    },
    // biome-ignore format: one round per statement, two per line, so the key order can be read
    mac16(k, s) {
      const k0 = k[0]!, k1 = k[1]!, k2 = k[2]!, k3 = k[3]!, k4 = k[4]!, k5 = k[5]!, k6 = k[6]!, k7 = k[7]!;
      let a = s[0]!;
      let b = s[1]!;
      for (let i = 0; i < 2; i++) {
        b ^= f((a + k0) | 0); a ^= f((b + k1) | 0);
        b ^= f((a + k2) | 0); a ^= f((b + k3) | 0);
        b ^= f((a + k4) | 0); a ^= f((b + k5) | 0);
        b ^= f((a + k6) | 0); a ^= f((b + k7) | 0);
      }
      s[0] = a;
      s[1] = b;
    },
  };
}

/** The little-endian 32-bit word at data[at..at+4]. */
function readLE(data: Uint8Array, at: number): number {
  return data[at]! | (data[at + 1]! << 8) | (data[at + 2]! << 16) | (data[at + 3]! << 24);
}
// biome-ignore-end lint/style/noNonNullAssertion: end of the hot path

/** Writes `word` little-endian at out[at..at+4]. */
function writeLE(out: Uint8Array, at: number, word: number): void {
  out[at] = word;
  out[at + 1] = word >>> 8;
  out[at + 2] = word >>> 16;
  out[at + 3] = word >>> 24;
}

/** Checks a key and returns its eight words K0..K7. */
function keyWords(key: Uint8Array, who: string): Int32Array {
  if (!isBytes(key)) throw new TypeError(`${who}: the key must be a Uint8Array, got ${describe(key)}`);
  if (key.length !== 32) {
    throw new InvalidLengthError('ERR_INVALID_KEY_LENGTH', `${who}: the key must be 32 bytes, got ${key.length}`);
  }
  const k = new Int32Array(8);
  for (let i = 0; i < 8; i++) k[i] = readLE(key, 4 * i);
  return k;
}

/** Checks an IV (8 bytes) and returns its two words; no IV gives zeros (the MAC's default). */
function ivWords(iv: Uint8Array | undefined, who: string): Int32Array {
  const s = new Int32Array(2);
  if (iv === undefined) return s;
  if (!isBytes(iv)) throw new TypeError(`${who}: the IV must be a Uint8Array, got ${describe(iv)}`);
  if (iv.length !== 8) {
    throw new InvalidLengthError('ERR_INVALID_IV_LENGTH', `${who}: the IV must be 8 bytes, got ${iv.length}`);
  }
  s[0] = readLE(iv, 0);
  s[1] = readLE(iv, 4);
  return s;
}

function checkData(data: unknown, who: string): asserts data is Uint8Array {
  if (!isBytes(data)) throw new TypeError(`${who}: the data must be a Uint8Array, got ${describe(data)}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return value.constructor?.name ?? 'object';
}

/**
 * GOST 28147-89 as a {@link BlockCipher} (8-byte blocks, ECB primitive) for a 32-byte key, with the
 * byte conventions of OpenSSL and CryptoPro (little-endian key words and block halves). Modes
 * built on it: {@link Gost28147Cfb}, {@link Gost28147Cnt}, {@link gost28147Imit}.
 *
 * Standard: RFC 5830 §5 (electronic codebook); S-boxes RFC 4357, RFC 7836.
 *
 * @param sbox - S-box set by name or OID; default `cryptopro-a` (id-Gost28147-89-CryptoPro-A-ParamSet).
 * @throws {TypeError} if `key` is not a Uint8Array.
 * @throws {InvalidLengthError} `ERR_INVALID_KEY_LENGTH` if `key` is not 32 bytes.
 * @throws {UnknownParameterSetError} for an unknown S-box set.
 * @example
 * ```ts
 * const cipher = gost28147(key, 'tc26-z');
 * cipher.encryptBlock(block, 0, block, 0); // in place
 * cipher.destroy();
 * ```
 */
export function gost28147(key: Uint8Array, sbox: string = DEFAULT_SBOX): BlockCipher {
  const k = keyWords(key, 'gost28147');
  const core = gost28147Core(sbox);
  const s = new Int32Array(2);
  let destroyed = false;
  const run = (op: 'encrypt' | 'decrypt', src: Uint8Array, at: number, dst: Uint8Array, to: number) => {
    if (destroyed) throw new Error('gost28147: the cipher was destroyed');
    s[0] = readLE(src, at);
    s[1] = readLE(src, at + 4);
    core[op](k, s);
    writeLE(dst, to, s[0]);
    writeLE(dst, to + 4, s[1]);
  };
  return {
    blockSize: 8,
    encryptBlock: (src, at, dst, to) => run('encrypt', src, at, dst, to),
    decryptBlock: (src, at, dst, to) => run('decrypt', src, at, dst, to),
    destroy() {
      destroyed = true;
      k.fill(0);
      s.fill(0);
    },
  };
}

/** Options of the GOST 28147-89 modes. */
export interface Gost28147ModeOptions {
  /**
   * S-box set by name or OID; default `cryptopro-a` (as OpenSSL's `gost89-cnt`; OpenSSL's
   * `gost89` defaults to `tc26-z`). Containers name the set in their parameters: use that.
   */
  sbox?: string;
  /**
   * CryptoPro key meshing (RFC 4357 §2.3.2): after every 1024 bytes the key becomes the
   * decryption of a fixed constant under the old key, and the feedback or counter register is
   * encrypted under the new key. Default `true`, as OpenSSL (`gost89`, `gost89-cnt`, `gost-mac`)
   * and CryptoPro CSP do for every CryptoPro set; `false` gives plain RFC 5830 ("null key
   * meshing", RFC 4357 §2.3.1). It changes nothing below 1024 bytes.
   */
  keyMeshing?: boolean;
}

/** C of RFC 4357 §2.3.2, as 8 little-endian words. */
const MESHING_KEY = /* @__PURE__ */ Int32Array.of(
  0x22720069,
  0x2304c964,
  0x96db3a8d,
  0xc42ae946,
  0x94acfe18,
  0x1207ed00,
  0xc2dc86c0,
  0x2ba94cef,
);

/** Blocks (of 8 bytes) between two key meshings: 1024 bytes. */
const MESHING_PERIOD = 128;

/**
 * CryptoPro key meshing (RFC 4357 §2.3.2): K' = D_K(C) (C decrypted as four ECB blocks), then
 * the register `reg` (if given) = E_K'(reg). @internal shared by the modes and the MAC.
 */
function meshKey(core: Gost28147Core, k: Int32Array, reg: Int32Array | undefined): void {
  const next = new Int32Array(8);
  const s = new Int32Array(2);
  for (let i = 0; i < 8; i += 2) {
    s[0] = MESHING_KEY[i] as number;
    s[1] = MESHING_KEY[i + 1] as number;
    core.decrypt(k, s);
    next[i] = s[0];
    next[i + 1] = s[1];
  }
  k.set(next);
  next.fill(0);
  if (reg) core.encrypt(k, reg);
}

/**
 * The keystream machinery shared by CFB and CNT: the key, the S-box, the register and the
 * meshing counter; subclasses say how the register advances and what feeds back.
 */
abstract class GammaMode {
  protected readonly core: Gost28147Core;
  protected readonly k: Int32Array;
  /** The register, [N1, N2]: the feedback block (CFB) or the counter (CNT). */
  protected readonly reg: Int32Array;
  /** The keystream block being used, and how many of its bytes are used (8: none left). */
  protected readonly gamma = new Uint8Array(8);
  protected pos = 8;
  private readonly meshing: boolean;
  private blocks = 0;
  private destroyed = false;
  private readonly who: string;

  constructor(who: string, key: Uint8Array, iv: Uint8Array, options: Gost28147ModeOptions) {
    this.who = who;
    this.k = keyWords(key, who);
    if (iv === undefined) throw new TypeError(`${who}: the IV must be a Uint8Array, got undefined`);
    this.reg = ivWords(iv, who);
    this.core = gost28147Core(options.sbox ?? DEFAULT_SBOX);
    this.meshing = options.keyMeshing ?? true;
  }

  /** Meshes the key when 1024 bytes of keystream were used, then counts one block. */
  protected tick(): void {
    if (this.meshing && this.blocks === MESHING_PERIOD) {
      meshKey(this.core, this.k, this.reg);
      this.blocks = 0;
    }
    this.blocks++;
  }

  protected check(data: unknown): asserts data is Uint8Array {
    if (this.destroyed) throw new Error(`${this.who}: the instance was destroyed`);
    checkData(data, this.who);
  }

  /** Wipes the key and the state; the instance cannot be used afterwards. */
  destroy(): void {
    this.destroyed = true;
    this.k.fill(0);
    this.reg.fill(0);
    this.gamma.fill(0);
  }
}

/**
 * GOST 28147-89 in cipher feedback mode ("gamma with feedback", RFC 5830 §7) with CryptoPro key
 * meshing (RFC 4357 §2.3.2), incremental: each `update` returns as many bytes as it gets, so
 * chunks of any size give the same result as one call; there is no final step and no padding.
 * The same as OpenSSL's `gost89` cipher (`openssl enc -gost89`) with the same S-box set; note
 * that OpenSSL defaults to `tc26-z` there, this class to `cryptopro-a`.
 *
 * @example
 * ```ts
 * const enc = new Gost28147Cfb(key, iv);
 * const c1 = enc.update(part1);
 * const c2 = enc.update(part2);
 * const dec = new Gost28147Cfb(key, iv, { decrypt: true });
 * dec.update(concatBytes(c1, c2)); // part1 || part2
 * ```
 */
export class Gost28147Cfb extends GammaMode {
  private readonly decrypting: boolean;
  /** The ciphertext bytes of the current block, the next feedback block once complete. */
  private readonly next = new Uint8Array(8);
  private readonly s = new Int32Array(2);

  /**
   * Starts an encryption (or with `decrypt: true` a decryption).
   *
   * @throws {TypeError} if `key` or `iv` is not a Uint8Array.
   * @throws {InvalidLengthError} `ERR_INVALID_KEY_LENGTH` (not 32 bytes), `ERR_INVALID_IV_LENGTH` (not 8 bytes).
   * @throws {UnknownParameterSetError} for an unknown S-box set.
   * @example
   * ```ts
   * const dec = new Gost28147Cfb(key, iv, { decrypt: true, sbox: 'tc26-z' });
   * ```
   */
  constructor(key: Uint8Array, iv: Uint8Array, options: Gost28147ModeOptions & { decrypt?: boolean } = {}) {
    super('Gost28147Cfb', key, iv, options);
    this.decrypting = options.decrypt ?? false;
  }

  /**
   * Encrypts or decrypts the next bytes of the stream; the result has the length of `data`.
   *
   * @throws {TypeError} if `data` is not a Uint8Array.
   * @throws {Error} after `destroy()`.
   * @example
   * ```ts
   * const ciphertext = new Gost28147Cfb(key, iv).update(plaintext);
   * ```
   */
  update(data: Uint8Array): Uint8Array {
    this.check(data);
    const n = data.length;
    const out = new Uint8Array(n);
    let i = this.bytes(data, out, 0, n);
    const { core, k, reg, s, decrypting } = this;
    // Whole blocks, a word at a time, while no partial block is pending.
    for (; i + 8 <= n; i += 8) {
      this.tick();
      s[0] = reg[0] as number;
      s[1] = reg[1] as number;
      core.encrypt(k, s);
      const p0 = readLE(data, i);
      const p1 = readLE(data, i + 4);
      const c0 = p0 ^ (s[0] as number);
      const c1 = p1 ^ (s[1] as number);
      writeLE(out, i, c0);
      writeLE(out, i + 4, c1);
      reg[0] = decrypting ? p0 : c0;
      reg[1] = decrypting ? p1 : c1;
    }
    this.bytes(data, out, i, n);
    return out;
  }

  /** Byte-wise path: uses up a pending keystream block, or starts one for a tail under 8 bytes. */
  private bytes(data: Uint8Array, out: Uint8Array, i: number, n: number): number {
    const { gamma, next } = this;
    if (this.pos === 8) {
      if (i === n || n - i >= 8) return i;
      this.tick();
      this.s.set(this.reg);
      this.core.encrypt(this.k, this.s);
      writeLE(gamma, 0, this.s[0] as number);
      writeLE(gamma, 4, this.s[1] as number);
      this.pos = 0;
    }
    for (; this.pos < 8 && i < n; this.pos++, i++) {
      const x = data[i] as number;
      const y = x ^ (gamma[this.pos] as number);
      out[i] = y;
      next[this.pos] = this.decrypting ? x : y;
    }
    if (this.pos === 8) {
      this.reg[0] = readLE(next, 0);
      this.reg[1] = readLE(next, 4);
    }
    return i;
  }

  override destroy(): void {
    super.destroy();
    this.next.fill(0);
    this.s.fill(0);
  }
}

/**
 * GOST 28147-89 counter mode ("gamma", RFC 5830 §6), incremental; encryption and decryption are
 * the same operation. The register starts as E_K(IV); before each keystream block its halves
 * get C2 = 0x01010101 added mod 2^32 and C1 = 0x01010104 added mod 2^32 - 1. With key meshing
 * (default) it equals OpenSSL's `gost89-cnt` (CryptoPro-A) and `gost89-cnt-12` (set Z).
 *
 * @example
 * ```ts
 * const ctr = new Gost28147Cnt(key, iv);
 * const c = concatBytes(ctr.update(part1), ctr.update(part2));
 * ```
 */
export class Gost28147Cnt extends GammaMode {
  private started = false;
  private readonly s = new Int32Array(2);

  /**
   * Starts a keystream.
   *
   * @throws {TypeError} if `key` or `iv` is not a Uint8Array.
   * @throws {InvalidLengthError} `ERR_INVALID_KEY_LENGTH` (not 32 bytes), `ERR_INVALID_IV_LENGTH` (not 8 bytes).
   * @throws {UnknownParameterSetError} for an unknown S-box set.
   * @example
   * ```ts
   * const ctr = new Gost28147Cnt(key, iv, { sbox: 'tc26-z' }); // as openssl's gost89-cnt-12
   * ```
   */
  constructor(key: Uint8Array, iv: Uint8Array, options: Gost28147ModeOptions = {}) {
    super('Gost28147Cnt', key, iv, options);
  }

  /**
   * Encrypts or decrypts the next bytes of the stream; the result has the length of `data`.
   *
   * @throws {TypeError} if `data` is not a Uint8Array.
   * @throws {Error} after `destroy()`.
   * @example
   * ```ts
   * const ciphertext = new Gost28147Cnt(key, iv).update(plaintext);
   * ```
   */
  update(data: Uint8Array): Uint8Array {
    this.check(data);
    const n = data.length;
    const out = new Uint8Array(n);
    const { gamma, s } = this;
    let i = 0;
    while (i < n) {
      if (this.pos === 8 && n - i >= 8) {
        this.step();
        writeLE(out, i, readLE(data, i) ^ (s[0] as number));
        writeLE(out, i + 4, readLE(data, i + 4) ^ (s[1] as number));
        i += 8;
        continue;
      }
      if (this.pos === 8) {
        this.step();
        writeLE(gamma, 0, s[0] as number);
        writeLE(gamma, 4, s[1] as number);
        this.pos = 0;
      }
      for (; this.pos < 8 && i < n; this.pos++, i++) out[i] = (data[i] as number) ^ (gamma[this.pos] as number);
    }
    return out;
  }

  /** Advances the counter and leaves the next keystream block in `s` (RFC 5830 §6). */
  private step(): void {
    const { core, k, reg, s } = this;
    this.tick();
    if (!this.started) {
      core.encrypt(k, reg);
      this.started = true;
    }
    reg[0] = ((reg[0] as number) + 0x01010101) | 0;
    let n2 = ((reg[1] as number) >>> 0) + 0x01010104;
    if (n2 > 0xffffffff) n2 -= 0xffffffff; // addition modulo 2^32 - 1
    reg[1] = n2 | 0;
    s.set(reg);
    core.encrypt(k, s);
  }

  override destroy(): void {
    super.destroy();
    this.s.fill(0);
  }
}

/**
 * Encrypts in CFB mode with CryptoPro key meshing: one call of {@link Gost28147Cfb}. Equals
 * `openssl enc -gost89 -K <key> -iv <iv>` with `{ sbox: 'tc26-z' }` (OpenSSL's default set) or
 * with the set given in the engine's CRYPT_PARAMS.
 *
 * Standard: RFC 5830 §7, RFC 4357 §2.3.2.
 *
 * @throws {TypeError} if an argument is not a Uint8Array.
 * @throws {InvalidLengthError} `ERR_INVALID_KEY_LENGTH` (key not 32 bytes), `ERR_INVALID_IV_LENGTH` (IV not 8 bytes).
 * @throws {UnknownParameterSetError} for an unknown S-box set.
 * @example
 * ```ts
 * const ciphertext = gost28147CfbEncrypt(key, iv, plaintext, { sbox: 'tc26-z' });
 * ```
 */
export function gost28147CfbEncrypt(
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
  options: Gost28147ModeOptions = {},
): Uint8Array {
  return once(new Gost28147Cfb(key, iv, { ...options, decrypt: false }), data);
}

/**
 * Decrypts in CFB mode with CryptoPro key meshing: one call of {@link Gost28147Cfb}. Equals
 * `openssl enc -d -gost89 -K <key> -iv <iv>` with the same S-box set (OpenSSL's default is
 * `tc26-z`). CFB has no integrity: a wrong key or set gives garbage, not an error.
 *
 * Standard: RFC 5830 §7, RFC 4357 §2.3.2.
 *
 * @throws {TypeError} if an argument is not a Uint8Array.
 * @throws {InvalidLengthError} `ERR_INVALID_KEY_LENGTH` (key not 32 bytes), `ERR_INVALID_IV_LENGTH` (IV not 8 bytes).
 * @throws {UnknownParameterSetError} for an unknown S-box set.
 * @example
 * ```ts
 * const plaintext = gost28147CfbDecrypt(key, iv, ciphertext);
 * ```
 */
export function gost28147CfbDecrypt(
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
  options: Gost28147ModeOptions = {},
): Uint8Array {
  return once(new Gost28147Cfb(key, iv, { ...options, decrypt: true }), data);
}

/**
 * Encrypts or decrypts in counter mode (the same operation): one call of {@link Gost28147Cnt}.
 * Equals `openssl enc -gost89-cnt -K <key> -iv <iv>`.
 *
 * Standard: RFC 5830 §6; key meshing RFC 4357 §2.3.2.
 *
 * @throws {TypeError} if an argument is not a Uint8Array.
 * @throws {InvalidLengthError} `ERR_INVALID_KEY_LENGTH` (key not 32 bytes), `ERR_INVALID_IV_LENGTH` (IV not 8 bytes).
 * @throws {UnknownParameterSetError} for an unknown S-box set.
 * @example
 * ```ts
 * const ciphertext = gost28147Cnt(key, iv, plaintext);
 * gost28147Cnt(key, iv, ciphertext); // plaintext
 * ```
 */
export function gost28147Cnt(
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
  options: Gost28147ModeOptions = {},
): Uint8Array {
  return once(new Gost28147Cnt(key, iv, options), data);
}

/** Runs a whole message through a fresh mode object and wipes it. */
function once(mode: Gost28147Cfb | Gost28147Cnt, data: Uint8Array): Uint8Array {
  try {
    return mode.update(data);
  } finally {
    mode.destroy();
  }
}

/** Options of {@link gost28147Imit}. */
export interface Gost28147ImitOptions extends Gost28147ModeOptions {
  /** Initial state instead of zeros (8 bytes), as the CryptoPro key wrap uses with the UKM (RFC 4357 §6.3). */
  iv?: Uint8Array;
}

/**
 * The GOST 28147-89 MAC ("imitovstavka", IMIT): 4 bytes. Each 8-byte block is XORed into the
 * state, which then goes through 16 rounds; a last partial block is padded with zeros, and a
 * message of at most 8 bytes gets a second, all-zero block (as OpenSSL does); the empty
 * message gives 00000000. The result is the first 4 bytes of the state. With key meshing
 * (default, the key only) it equals `openssl dgst -mac gost-mac -macopt hexkey:<key>`.
 *
 * Standard: RFC 5830 §8; key meshing RFC 4357 §2.3.2.
 *
 * @throws {TypeError} if an argument is not a Uint8Array.
 * @throws {InvalidLengthError} `ERR_INVALID_KEY_LENGTH` (key not 32 bytes), `ERR_INVALID_IV_LENGTH` (IV not 8 bytes).
 * @throws {UnknownParameterSetError} for an unknown S-box set.
 * @example
 * ```ts
 * const mac = gost28147Imit(key, data); // 4 bytes, S-box CryptoPro-A
 * ```
 */
export function gost28147Imit(key: Uint8Array, data: Uint8Array, options: Gost28147ImitOptions = {}): Uint8Array {
  const k = keyWords(key, 'gost28147Imit');
  checkData(data, 'gost28147Imit');
  const s = ivWords(options.iv, 'gost28147Imit');
  const core = gost28147Core(options.sbox ?? DEFAULT_SBOX);
  const meshing = options.keyMeshing ?? true;
  const n = data.length;
  let blocks = 0;
  const block = (at: number, from: Uint8Array) => {
    if (meshing && blocks === MESHING_PERIOD) {
      meshKey(core, k, undefined); // CryptoPro does not re-encrypt the MAC state
      blocks = 0;
    }
    blocks++;
    s[0] = (s[0] as number) ^ readLE(from, at);
    s[1] = (s[1] as number) ^ readLE(from, at + 4);
    core.mac16(k, s);
  };
  let i = 0;
  for (; i + 8 <= n; i += 8) block(i, data);
  if (i < n) {
    const last = new Uint8Array(8);
    last.set(data.subarray(i));
    block(0, last);
  }
  if (n > 0 && n <= 8) block(0, new Uint8Array(8));
  const out = new Uint8Array(4);
  writeLE(out, 0, s[0] as number);
  k.fill(0);
  s.fill(0);
  return out;
}
