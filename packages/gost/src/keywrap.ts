// Key export and import: KExp15 / KImp15 of R 1323565.1.017-2018 (Kuznyechik, Magma), and the GOST 28147-89 and CryptoPro key wraps of RFC 4357 §6 with the CryptoPro KEK diversification of §6.5.

// Byte layouts, as OpenSSL's GOST engine (gost_keyexpimp.c, gost_keywrap.c) and PyGOST (wrap.py)
// lay them out:
// - KExp15 output: CTR(K_enc, IV) over K ‖ OMAC(K_mac, IV ‖ K), 32 + n bytes (48 for Kuznyechik,
//   40 for Magma). The OMAC is the full-block MAC of GOST R 34.13-2015 §5.6; the CTR counter
//   starts at IV ‖ 0^{n/2}. In CMS key transport (R 1323565.1.024-2019) the 64 bytes of KEG
//   (R 1323565.1.020-2018) are K_mac ‖ K_enc (MAC key first, as gost-engine's
//   pkey_gost2018_decrypt takes them) and the IV is bytes 24.. of the 32-byte UKM.
// - RFC 4357 wraps: UKM (8) ‖ CEK_ENC (32) ‖ CEK_MAC (4) = 44 bytes. In CMS (RFC 4490 §4.2) the
//   UKM sits in `transportParameters.ukm` (or the KeyAgreeRecipientInfo's `ukm`) and the other
//   two in `Gost28147-89-EncryptedKey` (`encryptedKey`, `macKey`): concatenate them to unwrap.
//
// Timing: the unwrapping functions compare MACs with `verifyMac`, which looks at every byte; the
// block ciphers underneath are variable-time (table lookups, see ./kuznyechik, ./magma,
// ./gost28147). The CryptoPro diversification branches on the bits of the UKM, which is public.

import { isBytes } from '@noble/hashes/utils.js';
import type { BlockCipher } from './_block';
import { InvalidLengthError } from './errors';
import { gost28147, gost28147CfbEncrypt, gost28147Imit } from './gost28147';
import { kuznyechik } from './kuznyechik';
import { magma } from './magma';
import { createMac, ctr, verifyMac } from './modes';

/** id-tc26-wrap-gostr3412-2015-magma-kexp15: KExp15 with Magma (R 1323565.1.024-2019). */
export const OID_KEXP15_MAGMA = '1.2.643.7.1.1.7.1.1';
/** id-tc26-wrap-gostr3412-2015-kuznyechik-kexp15: KExp15 with Kuznyechik (R 1323565.1.024-2019). */
export const OID_KEXP15_KUZNYECHIK = '1.2.643.7.1.1.7.2.1';

/** id-Gost28147-89-None-KeyWrap: the GOST 28147-89 key wrap of RFC 4357 §6.1 (RFC 4490). */
export const OID_GOST28147_89_NONE_KEYWRAP = '1.2.643.2.2.13.0';
/** id-Gost28147-89-CryptoPro-KeyWrap: the CryptoPro key wrap of RFC 4357 §6.3 (RFC 4490). */
export const OID_GOST28147_89_CRYPTOPRO_KEYWRAP = '1.2.643.2.2.13.1';

/**
 * The block cipher of KExp15 / KImp15 (GOST R 34.12-2015): `kuznyechik` (n = 16 bytes) or
 * `magma` (n = 8 bytes).
 *
 * @example
 * ```ts
 * const cipher: Kexp15Cipher = 'kuznyechik';
 * ```
 */
export type Kexp15Cipher = 'kuznyechik' | 'magma';

/** Length of every key here: the exported key, K_enc, K_mac, the KEK and the CEK. */
const KEY_LENGTH = 32;
/** UKM length of RFC 4357 §6 (64 bits). */
const UKM_LENGTH = 8;
/** IMIT length of the RFC 4357 wraps (32 bits). */
const IMIT_LENGTH = 4;
/** UKM ‖ CEK_ENC ‖ CEK_MAC. */
const WRAPPED_LENGTH = UKM_LENGTH + KEY_LENGTH + IMIT_LENGTH;
/** The S-box set RFC 4357 and RFC 4490 use unless the parameters name another. */
const DEFAULT_SBOX = 'cryptopro-a';

// ---------------------------------------------------------------------------------------------
// KExp15 / KImp15 (R 1323565.1.017-2018)
// ---------------------------------------------------------------------------------------------

/**
 * KExp15 of R 1323565.1.017-2018: exports (encrypts and authenticates) a 32-byte key as
 * CTR_{kEnc}(IV) over `key ‖ OMAC_{kMac}(IV ‖ key)`, with the full-block OMAC of
 * GOST R 34.13-2015 §5.6. Used by CMS (R 1323565.1.024-2019, OIDs {@link OID_KEXP15_MAGMA},
 * {@link OID_KEXP15_KUZNYECHIK}) and by the GOST TLS 1.2 / 1.3 cipher suites. Never export two
 * keys under the same `kEnc` and IV.
 *
 * @param cipher - `kuznyechik` (48-byte result) or `magma` (40-byte result).
 * @param key - the key to export, 32 bytes.
 * @param kEnc - the CTR encryption key K_Exp_ENC, 32 bytes.
 * @param kMac - the OMAC key K_Exp_MAC, 32 bytes.
 * @param iv - half a block: 8 bytes for Kuznyechik, 4 for Magma.
 * @returns 32 + n bytes: the encrypted key, then the encrypted MAC.
 * @throws {TypeError} if a key or the IV is not a Uint8Array.
 * @throws {RangeError} if `cipher` is not `kuznyechik` or `magma`.
 * @throws {InvalidLengthError} `ERR_INVALID_KEY_LENGTH` if `key`, `kEnc` or `kMac` is not 32 bytes,
 *   `ERR_INVALID_IV_LENGTH` if `iv` is not half a block.
 * @example
 * ```ts
 * const exported = kexp15('kuznyechik', cek, kEnc, kMac, iv); // 48 bytes
 * kimp15('kuznyechik', exported, kEnc, kMac, iv); // cek
 * ```
 */
export function kexp15(
  cipher: Kexp15Cipher,
  key: Uint8Array,
  kEnc: Uint8Array,
  kMac: Uint8Array,
  iv: Uint8Array,
): Uint8Array {
  const n = kexp15Args(cipher, 'key', key, kEnc, kMac, iv);
  checkLength(key, KEY_LENGTH, 'ERR_INVALID_KEY_LENGTH', 'key');
  const create = cipher === 'kuznyechik' ? kuznyechik : magma;
  const enc = create(kEnc);
  const macCipher = create(kMac);
  const data = new Uint8Array(KEY_LENGTH + n);
  try {
    const tag = createMac(macCipher).update(iv).update(key).digest();
    data.set(key);
    data.set(tag, KEY_LENGTH);
    tag.fill(0);
    return ctr(enc, iv).encrypt(data);
  } finally {
    data.fill(0);
    enc.destroy();
    macCipher.destroy();
  }
}

/**
 * KImp15 of R 1323565.1.017-2018, the inverse of {@link kexp15}: decrypts `exported` with
 * CTR_{kEnc}(IV), recomputes OMAC_{kMac}(IV ‖ key) and returns the 32-byte key only if the MAC
 * matches. In CMS key transport (R 1323565.1.024-2019) `exported` is the key transport's
 * `psexp`; with KEG = the 64 bytes of KEG(R 1323565.1.020-2018), `kMac` is KEG[0..32], `kEnc`
 * is KEG[32..64] and `iv` is UKM[24..24 + n/2] (as gost-engine's pkey_gost2018_decrypt).
 *
 * @param cipher - `kuznyechik` (48-byte input) or `magma` (40-byte input).
 * @param exported - 32 + n bytes, as {@link kexp15} returns.
 * @param kEnc - the CTR key K_Exp_ENC, 32 bytes.
 * @param kMac - the OMAC key K_Exp_MAC, 32 bytes.
 * @param iv - half a block: 8 bytes for Kuznyechik, 4 for Magma.
 * @throws {TypeError} if an argument is not a Uint8Array.
 * @throws {RangeError} if `cipher` is not `kuznyechik` or `magma`.
 * @throws {InvalidLengthError} `ERR_INVALID_KEY_LENGTH` if `kEnc` or `kMac` is not 32 bytes,
 *   `ERR_INVALID_IV_LENGTH` if `iv` is not half a block, `ERR_INVALID_DATA_LENGTH` if `exported`
 *   is not 32 + n bytes.
 * @throws {IntegrityError} `ERR_MAC_MISMATCH` if the MAC does not match (altered data or wrong
 *   keys or IV); no key is returned.
 * @example
 * ```ts
 * const cek = kimp15('magma', psexp, keg.subarray(32), keg.subarray(0, 32), ukm.subarray(24, 28));
 * ```
 */
export function kimp15(
  cipher: Kexp15Cipher,
  exported: Uint8Array,
  kEnc: Uint8Array,
  kMac: Uint8Array,
  iv: Uint8Array,
): Uint8Array {
  const n = kexp15Args(cipher, 'exported', exported, kEnc, kMac, iv);
  checkLength(exported, KEY_LENGTH + n, 'ERR_INVALID_DATA_LENGTH', 'exported');
  const create = cipher === 'kuznyechik' ? kuznyechik : magma;
  const enc = create(kEnc);
  const macCipher = create(kMac);
  let data: Uint8Array | undefined;
  try {
    data = ctr(enc, iv).decrypt(exported);
    const key = data.subarray(0, KEY_LENGTH);
    const expected = createMac(macCipher).update(iv).update(key).digest();
    try {
      verifyMac(expected, data.subarray(KEY_LENGTH));
    } finally {
      expected.fill(0);
    }
    return key.slice();
  } finally {
    data?.fill(0);
    enc.destroy();
    macCipher.destroy();
  }
}

/** Checks what kexp15 and kimp15 share (types first, then lengths) and returns the block size. */
function kexp15Args(
  cipher: Kexp15Cipher,
  name: string,
  data: Uint8Array,
  kEnc: Uint8Array,
  kMac: Uint8Array,
  iv: Uint8Array,
): 8 | 16 {
  if (cipher !== 'kuznyechik' && cipher !== 'magma') {
    throw new RangeError(`cipher: expected 'kuznyechik' or 'magma', got ${describe(cipher)}`);
  }
  checkBytes(data, name);
  checkBytes(kEnc, 'kEnc');
  checkBytes(kMac, 'kMac');
  checkBytes(iv, 'iv');
  const n = cipher === 'kuznyechik' ? 16 : 8;
  checkLength(kEnc, KEY_LENGTH, 'ERR_INVALID_KEY_LENGTH', 'kEnc');
  checkLength(kMac, KEY_LENGTH, 'ERR_INVALID_KEY_LENGTH', 'kMac');
  checkLength(iv, n / 2, 'ERR_INVALID_IV_LENGTH', 'iv');
  return n;
}

// ---------------------------------------------------------------------------------------------
// RFC 4357 §6: GOST 28147-89 and CryptoPro key wraps
// ---------------------------------------------------------------------------------------------

/**
 * The GOST 28147-89 key wrap of RFC 4357 §6.1: CEK_MAC = IMIT(KEK, CEK) with the UKM as the
 * MAC's initial state, CEK_ENC = ECB(KEK, CEK), result UKM ‖ CEK_ENC ‖ CEK_MAC (44 bytes).
 * RFC 4490 (CMS) uses the CryptoPro variant, {@link wrapCryptoPro}; this one is for
 * `id-Gost28147-89-None-KeyWrap` (1.2.643.2.2.13.0). Use a fresh random UKM for every wrap.
 *
 * @param kek - key-encryption key, 32 bytes.
 * @param cek - content-encryption key to wrap, 32 bytes.
 * @param ukm - user keying material, 8 bytes.
 * @param sbox - S-box set by name or OID (see `getGost28147Sbox`); default `cryptopro-a`.
 * @returns UKM ‖ CEK_ENC ‖ CEK_MAC, 44 bytes.
 * @throws {TypeError} if an argument is not a Uint8Array.
 * @throws {InvalidLengthError} `ERR_INVALID_KEY_LENGTH` if `kek` or `cek` is not 32 bytes,
 *   `ERR_INVALID_IV_LENGTH` if `ukm` is not 8 bytes.
 * @throws {UnknownParameterSetError} for an unknown S-box set.
 * @example
 * ```ts
 * const wrapped = wrapGost28147(kek, cek, ukm); // 44 bytes
 * unwrapGost28147(kek, wrapped); // cek
 * ```
 */
export function wrapGost28147(kek: Uint8Array, cek: Uint8Array, ukm: Uint8Array, sbox = DEFAULT_SBOX): Uint8Array {
  wrapArgs(kek, cek, ukm);
  return wrapWith(kek, cek, ukm, sbox);
}

/**
 * Unwraps a key wrapped by {@link wrapGost28147} (RFC 4357 §6.2): splits UKM ‖ CEK_ENC ‖
 * CEK_MAC, decrypts CEK_ENC in ECB mode and returns the CEK only if IMIT(KEK, CEK) with the UKM
 * as initial state equals CEK_MAC.
 *
 * @param kek - key-encryption key, 32 bytes.
 * @param wrapped - UKM ‖ CEK_ENC ‖ CEK_MAC, 44 bytes.
 * @param sbox - S-box set by name or OID; default `cryptopro-a`.
 * @throws {TypeError} if an argument is not a Uint8Array.
 * @throws {InvalidLengthError} `ERR_INVALID_KEY_LENGTH` if `kek` is not 32 bytes,
 *   `ERR_INVALID_DATA_LENGTH` if `wrapped` is not 44 bytes.
 * @throws {IntegrityError} `ERR_MAC_MISMATCH` if the MAC does not match; no key is returned.
 * @throws {UnknownParameterSetError} for an unknown S-box set.
 * @example
 * ```ts
 * const cek = unwrapGost28147(kek, wrapped, 'tc26-z');
 * ```
 */
export function unwrapGost28147(kek: Uint8Array, wrapped: Uint8Array, sbox = DEFAULT_SBOX): Uint8Array {
  unwrapArgs(kek, wrapped);
  return unwrapWith(kek, wrapped, sbox);
}

/**
 * The CryptoPro key wrap of RFC 4357 §6.3, used by CMS with GOST (RFC 4490 §4, the key transport
 * and key agreement of GOST R 34.10-2001 / 2012 with GOST 28147-89) and by CryptoPro CSP: the
 * KEK is first diversified with the UKM ({@link diversifyKekCryptoPro}, §6.5), then the CEK is
 * wrapped as in {@link wrapGost28147}. `id-Gost28147-89-CryptoPro-KeyWrap` (1.2.643.2.2.13.1).
 *
 * @param kek - key-encryption key (e.g. the VKO output), 32 bytes.
 * @param cek - content-encryption key to wrap, 32 bytes.
 * @param ukm - user keying material, 8 bytes.
 * @param sbox - S-box set by name or OID; default `cryptopro-a`. CMS names it in
 *   `encryptionParamSet`.
 * @returns UKM ‖ CEK_ENC ‖ CEK_MAC, 44 bytes.
 * @throws {TypeError} if an argument is not a Uint8Array.
 * @throws {InvalidLengthError} `ERR_INVALID_KEY_LENGTH` if `kek` or `cek` is not 32 bytes,
 *   `ERR_INVALID_IV_LENGTH` if `ukm` is not 8 bytes.
 * @throws {UnknownParameterSetError} for an unknown S-box set.
 * @example
 * ```ts
 * const wrapped = wrapCryptoPro(kek, cek, ukm);
 * const encryptedKey = wrapped.subarray(8, 40);
 * const macKey = wrapped.subarray(40); // the two fields of Gost28147-89-EncryptedKey
 * ```
 */
export function wrapCryptoPro(kek: Uint8Array, cek: Uint8Array, ukm: Uint8Array, sbox = DEFAULT_SBOX): Uint8Array {
  wrapArgs(kek, cek, ukm);
  const diversified = diversify(kek, ukm, sbox);
  try {
    return wrapWith(diversified, cek, ukm, sbox);
  } finally {
    diversified.fill(0);
  }
}

/**
 * Unwraps a key wrapped by {@link wrapCryptoPro} (RFC 4357 §6.4): diversifies the KEK with the
 * UKM (the first 8 bytes), decrypts CEK_ENC and returns the CEK only if the IMIT matches. From
 * CMS (RFC 4490): `concatBytes(ukm, encryptedKey, macKey)`.
 *
 * @param kek - key-encryption key (e.g. the VKO output), 32 bytes.
 * @param wrapped - UKM ‖ CEK_ENC ‖ CEK_MAC, 44 bytes.
 * @param sbox - S-box set by name or OID; default `cryptopro-a`.
 * @throws {TypeError} if an argument is not a Uint8Array.
 * @throws {InvalidLengthError} `ERR_INVALID_KEY_LENGTH` if `kek` is not 32 bytes,
 *   `ERR_INVALID_DATA_LENGTH` if `wrapped` is not 44 bytes.
 * @throws {IntegrityError} `ERR_MAC_MISMATCH` if the MAC does not match; no key is returned.
 * @throws {UnknownParameterSetError} for an unknown S-box set.
 * @example
 * ```ts
 * const cek = unwrapCryptoPro(kek, concatBytes(ukm, encryptedKey, macKey), 'tc26-z');
 * ```
 */
export function unwrapCryptoPro(kek: Uint8Array, wrapped: Uint8Array, sbox = DEFAULT_SBOX): Uint8Array {
  unwrapArgs(kek, wrapped);
  const diversified = diversify(kek, wrapped.subarray(0, UKM_LENGTH), sbox);
  try {
    return unwrapWith(diversified, wrapped, sbox);
  } finally {
    diversified.fill(0);
  }
}

/**
 * The CryptoPro KEK diversification of RFC 4357 §6.5: eight rounds, each encrypting the key
 * with itself in CFB mode (RFC 5830 §7) from an IV made of two sums of its little-endian 32-bit
 * words, those whose bit in the current UKM byte is 1 (first half of the IV) and the others
 * (second half). Bit j of UKM byte i, least significant first, selects word j in round i.
 *
 * @param kek - 32 bytes.
 * @param ukm - 8 bytes.
 * @param sbox - S-box set by name or OID; default `cryptopro-a`.
 * @returns KEK(UKM), 32 bytes.
 * @throws {TypeError} if an argument is not a Uint8Array.
 * @throws {InvalidLengthError} `ERR_INVALID_KEY_LENGTH` if `kek` is not 32 bytes,
 *   `ERR_INVALID_IV_LENGTH` if `ukm` is not 8 bytes.
 * @throws {UnknownParameterSetError} for an unknown S-box set.
 * @example
 * ```ts
 * const kekUkm = diversifyKekCryptoPro(kek, ukm);
 * ```
 */
export function diversifyKekCryptoPro(kek: Uint8Array, ukm: Uint8Array, sbox = DEFAULT_SBOX): Uint8Array {
  checkBytes(kek, 'kek');
  checkBytes(ukm, 'ukm');
  checkLength(kek, KEY_LENGTH, 'ERR_INVALID_KEY_LENGTH', 'kek');
  checkLength(ukm, UKM_LENGTH, 'ERR_INVALID_IV_LENGTH', 'ukm');
  return diversify(kek, ukm, sbox);
}

function diversify(kek: Uint8Array, ukm: Uint8Array, sbox: string): Uint8Array {
  let k: Uint8Array = kek.slice();
  const iv = new Uint8Array(8);
  for (let i = 0; i < UKM_LENGTH; i++) {
    const a = ukm[i] as number;
    let s1 = 0;
    let s2 = 0;
    for (let j = 0; j < 8; j++) {
      const at = 4 * j;
      const word =
        ((k[at] as number) |
          ((k[at + 1] as number) << 8) |
          ((k[at + 2] as number) << 16) |
          ((k[at + 3] as number) << 24)) >>>
        0;
      if ((a >>> j) & 1) s1 = (s1 + word) >>> 0;
      else s2 = (s2 + word) >>> 0;
    }
    writeLE(iv, 0, s1);
    writeLE(iv, 4, s2);
    // 32 bytes never reach the 1024 of key meshing; off, as the RFC's plain CFB.
    const next = gost28147CfbEncrypt(k, iv, k, { sbox, keyMeshing: false });
    k.fill(0);
    k = next;
  }
  iv.fill(0);
  return k;
}

/** RFC 4357 §6.1 steps 2-4 with a ready KEK (plain, or diversified for §6.3). */
function wrapWith(kek: Uint8Array, cek: Uint8Array, ukm: Uint8Array, sbox: string): Uint8Array {
  const out = new Uint8Array(WRAPPED_LENGTH);
  out.set(ukm);
  const cipher = gost28147(kek, sbox);
  try {
    for (let at = 0; at < KEY_LENGTH; at += 8) cipher.encryptBlock(cek, at, out, UKM_LENGTH + at);
  } finally {
    cipher.destroy();
  }
  out.set(imit(kek, cek, ukm, sbox), UKM_LENGTH + KEY_LENGTH);
  return out;
}

/** RFC 4357 §6.2 steps 2-4 with a ready KEK. */
function unwrapWith(kek: Uint8Array, wrapped: Uint8Array, sbox: string): Uint8Array {
  const ukm = wrapped.subarray(0, UKM_LENGTH);
  const cek = new Uint8Array(KEY_LENGTH);
  const cipher: BlockCipher = gost28147(kek, sbox);
  try {
    for (let at = 0; at < KEY_LENGTH; at += 8) cipher.decryptBlock(wrapped, UKM_LENGTH + at, cek, at);
    verifyMac(imit(kek, cek, ukm, sbox), wrapped.subarray(UKM_LENGTH + KEY_LENGTH));
    return cek.slice();
  } finally {
    cek.fill(0);
    cipher.destroy();
  }
}

/** gost28147IMIT(IV = UKM, K, CEK) of RFC 4357 §6: the 4-byte MAC of RFC 5830 §8 from state UKM. */
function imit(kek: Uint8Array, cek: Uint8Array, ukm: Uint8Array, sbox: string): Uint8Array {
  return gost28147Imit(kek, cek, { iv: ukm, sbox, keyMeshing: false });
}

function wrapArgs(kek: Uint8Array, cek: Uint8Array, ukm: Uint8Array): void {
  checkBytes(kek, 'kek');
  checkBytes(cek, 'cek');
  checkBytes(ukm, 'ukm');
  checkLength(kek, KEY_LENGTH, 'ERR_INVALID_KEY_LENGTH', 'kek');
  checkLength(cek, KEY_LENGTH, 'ERR_INVALID_KEY_LENGTH', 'cek');
  checkLength(ukm, UKM_LENGTH, 'ERR_INVALID_IV_LENGTH', 'ukm');
}

function unwrapArgs(kek: Uint8Array, wrapped: Uint8Array): void {
  checkBytes(kek, 'kek');
  checkBytes(wrapped, 'wrapped');
  checkLength(kek, KEY_LENGTH, 'ERR_INVALID_KEY_LENGTH', 'kek');
  checkLength(wrapped, WRAPPED_LENGTH, 'ERR_INVALID_DATA_LENGTH', 'wrapped');
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function checkBytes(value: unknown, name: string): asserts value is Uint8Array {
  if (!isBytes(value)) throw new TypeError(`${name}: expected a Uint8Array, got ${describe(value)}`);
}

function checkLength(
  value: Uint8Array,
  length: number,
  code: 'ERR_INVALID_KEY_LENGTH' | 'ERR_INVALID_IV_LENGTH' | 'ERR_INVALID_DATA_LENGTH',
  name: string,
): void {
  if (value.length !== length)
    throw new InvalidLengthError(code, `${name}: expected ${length} bytes, got ${value.length}`);
}

function writeLE(out: Uint8Array, at: number, word: number): void {
  out[at] = word;
  out[at + 1] = word >>> 8;
  out[at + 2] = word >>> 16;
  out[at + 3] = word >>> 24;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value !== 'object') return typeof value;
  return value.constructor?.name ?? 'object';
}
