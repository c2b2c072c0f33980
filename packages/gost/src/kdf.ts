// KDFs of GOST R 34.11-2012 and 34.10-2012: HMAC (RFC 7836 §4.1), PBKDF2 (RFC 9337), KDF_GOSTR3411_2012_256, KDF_TREE_GOSTR3411_2012_256 and VKO (RFC 7836 §4.3-4.5).

// Every function here takes secrets (keys, passwords) through Streebog, which is table-based and
// not constant-time (see `StreebogHash` in ./streebog): a cache-timing attacker on the same machine
// could learn something about them. That is the same trade-off OpenSSL's GOST engine makes. VKO
// also multiplies a point by the private key, with the fixed sequence of point operations but
// data-dependent BigInt timing described in ./gost3410.

import { bytesToNumberLE } from '@noble/curves/utils.js';
import { hmac } from '@noble/hashes/hmac.js';
import { pbkdf2, pbkdf2Async } from '@noble/hashes/pbkdf2.js';
import { abytes } from '@noble/hashes/utils.js';
import { engineFor } from './_ec';
import { getCurve } from './curves';
import { type CurveInput, encodePoint, privateScalar, publicPoint } from './gost3410';
import { streebog256, streebog512 } from './streebog';

/** OID of HMAC_GOSTR3411_2012_256 (id-tc26-hmac-gost-3411-12-256; OpenSSL: "HMAC GOST 34.11-2012 256 bit"). */
export const OID_HMAC_STREEBOG_256 = '1.2.643.7.1.1.4.1';
/** OID of HMAC_GOSTR3411_2012_512 (id-tc26-hmac-gost-3411-12-512), the PBKDF2 PRF of RFC 9337. */
export const OID_HMAC_STREEBOG_512 = '1.2.643.7.1.1.4.2';

/** PBKDF2's limit on the derived key, (2^32 - 1) * hLen bytes (RFC 8018 §5.2 step 1), hLen = 64. */
const PBKDF2_MAX_DKLEN = (2 ** 32 - 1) * 64;

const ZERO = /* @__PURE__ */ Uint8Array.of(0);
const ONE = /* @__PURE__ */ Uint8Array.of(1);
/** [L]_b for L = 256 bits: the trailer 0x01 0x00 of KDF_GOSTR3411_2012_256. */
const L_256 = /* @__PURE__ */ Uint8Array.of(1, 0);

/**
 * HMAC_GOSTR3411_2012_256: HMAC (RFC 2104) over Streebog-256, as defined in RFC 7836 §4.1; 32 bytes.
 *
 * Variable-time: the key passes through table-based Streebog (see the note at the top of this file).
 *
 * @throws {TypeError} if `key` or `data` is not a Uint8Array.
 * @example
 * ```ts
 * const key = Uint8Array.from({ length: 32 }, (_, i) => i);
 * hmacStreebog256(key, hexToBytes('0126bdb87800af214341456563780100')); // a1aa5f7d...d4922ed9
 * ```
 */
export function hmacStreebog256(key: Uint8Array, data: Uint8Array): Uint8Array {
  return hmac(streebog256, key, data);
}

/**
 * HMAC_GOSTR3411_2012_512: HMAC (RFC 2104) over Streebog-512, as defined in RFC 7836 §4.1; 64 bytes.
 *
 * Variable-time: the key passes through table-based Streebog (see the note at the top of this file).
 *
 * @throws {TypeError} if `key` or `data` is not a Uint8Array.
 * @example
 * ```ts
 * const key = Uint8Array.from({ length: 32 }, (_, i) => i);
 * hmacStreebog512(key, hexToBytes('0126bdb87800af214341456563780100')); // a59bab22...66c251e6
 * ```
 */
export function hmacStreebog512(key: Uint8Array, data: Uint8Array): Uint8Array {
  return hmac(streebog512, key, data);
}

/**
 * PBKDF2 (RFC 8018 §5.2) with HMAC_GOSTR3411_2012_512 as the PRF, the password-based KDF of
 * RFC 9337 §4 (R 50.1.111-2016); a string password is UTF-8 encoded, as GOST PFX (R 50.1.112-2016)
 * requires. It runs synchronously: use `pbkdf2Streebog512Async` for large iteration counts.
 *
 * Variable-time: the password passes through table-based Streebog (see the note at the top of
 * this file).
 *
 * @throws {TypeError} if `password` is neither a string nor a Uint8Array, `salt` is not a
 *   Uint8Array, or `iterations` / `dkLen` is not a number.
 * @throws {RangeError} if `iterations` is not an integer >= 1, or `dkLen` is not an integer in
 *   1..(2^32 - 1) * 64.
 * @example
 * ```ts
 * const salt = new TextEncoder().encode('salt');
 * pbkdf2Streebog512('password', salt, 2, 64); // 5a585baf...66d348de (RFC 9337 Appendix A)
 * ```
 */
export function pbkdf2Streebog512(
  password: Uint8Array | string,
  salt: Uint8Array,
  iterations: number,
  dkLen: number,
): Uint8Array {
  checkPbkdf2Arguments(salt, iterations, dkLen);
  const bytes = passwordBytes(password);
  try {
    return pbkdf2(streebog512, bytes, salt, { c: iterations, dkLen });
  } finally {
    if (bytes !== password) bytes.fill(0);
  }
}

/**
 * PBKDF2 with HMAC_GOSTR3411_2012_512 (RFC 9337 §4), like `pbkdf2Streebog512` but asynchronous:
 * it yields to the event loop every few milliseconds, so large iteration counts do not freeze a
 * page or a server. It is not faster.
 *
 * Variable-time: the password passes through table-based Streebog (see the note at the top of
 * this file).
 *
 * @throws {TypeError} (as a rejected promise) if `password` is neither a string nor a Uint8Array,
 *   `salt` is not a Uint8Array, or `iterations` / `dkLen` is not a number.
 * @throws {RangeError} (as a rejected promise) if `iterations` is not an integer >= 1, or `dkLen`
 *   is not an integer in 1..(2^32 - 1) * 64.
 * @example
 * ```ts
 * const key = await pbkdf2Streebog512Async('Пароль для PFX', salt, 2000, 96);
 * ```
 */
export async function pbkdf2Streebog512Async(
  password: Uint8Array | string,
  salt: Uint8Array,
  iterations: number,
  dkLen: number,
): Promise<Uint8Array> {
  checkPbkdf2Arguments(salt, iterations, dkLen);
  const bytes = passwordBytes(password);
  try {
    return await pbkdf2Async(streebog512, bytes, salt, { c: iterations, dkLen });
  } finally {
    if (bytes !== password) bytes.fill(0);
  }
}

/**
 * KDF_GOSTR3411_2012_256 (RFC 7836 §4.4): HMAC_GOSTR3411_2012_256(key, 0x01 | label | 0x00 |
 * seed | 0x01 | 0x00), a 32-byte key; the same as `kdfTreeGostR3411_2012_256(key, label, seed, 32)`.
 * CryptoPro key export, for one, derives its key-encryption key with it (label 26bdb878, seed = UKM).
 *
 * Variable-time: the key passes through table-based Streebog (see the note at the top of this file).
 *
 * @throws {TypeError} if `key`, `label` or `seed` is not a Uint8Array.
 * @example
 * ```ts
 * const key = Uint8Array.from({ length: 32 }, (_, i) => i);
 * kdfGostR3411_2012_256(key, hexToBytes('26bdb878'), hexToBytes('af21434145656378')); // a1aa5f7d...
 * ```
 */
export function kdfGostR3411_2012_256(key: Uint8Array, label: Uint8Array, seed: Uint8Array): Uint8Array {
  abytes(label, undefined, 'label');
  abytes(seed, undefined, 'seed');
  return hmac.create(streebog256, key).update(ONE).update(label).update(ZERO).update(seed).update(L_256).digest();
}

/**
 * KDF_TREE_GOSTR3411_2012_256 (RFC 7836 §4.5, the counter-mode KDF of NIST SP 800-108 §5.1 over
 * HMAC_GOSTR3411_2012_256): the first `length` bytes of K(1) | K(2) | ..., where
 * K(i) = HMAC256(key, [i]_b | label | 0x00 | seed | [L]_b), [i]_b is i big-endian in `r` bytes
 * and [L]_b is L = 8 * length big-endian without leading zero bytes (512 bits: 02 00), as in
 * gost-engine's `gost_kdftree2012_256`. Because L is hashed into every block, outputs for
 * different lengths are not prefixes of each other.
 *
 * Variable-time: the key passes through table-based Streebog (see the note at the top of this file).
 *
 * @param r - bytes of the block counter, R in 1..4 (RFC 7836 §4.5); 1 by default.
 * @throws {TypeError} if `key`, `label` or `seed` is not a Uint8Array, or `length` / `r` is not
 *   a number.
 * @throws {RangeError} if `r` is not an integer in 1..4, or `length` is not an integer in
 *   1..(2^(8r) - 1) * 32 (the counter would overflow its `r` bytes).
 * @example
 * ```ts
 * const key = Uint8Array.from({ length: 32 }, (_, i) => i);
 * kdfTreeGostR3411_2012_256(key, hexToBytes('26bdb878'), hexToBytes('af21434145656378'), 64);
 * // 22b68378...c51531f9 (RFC 7836 Appendix B)
 * ```
 */
export function kdfTreeGostR3411_2012_256(
  key: Uint8Array,
  label: Uint8Array,
  seed: Uint8Array,
  length: number,
  r = 1,
): Uint8Array {
  abytes(label, undefined, 'label');
  abytes(seed, undefined, 'seed');
  checkInteger(r, 'r', 1, 4);
  checkInteger(length, 'length', 1, (2 ** (8 * r) - 1) * 32);
  const bitLength = unsignedBytes(length * 8);
  const out = new Uint8Array(length);
  const block = new Uint8Array(32);
  // HMAC's keyed inner and outer states, computed once and cloned for every block.
  const keyed = hmac.create(streebog256, key);
  try {
    for (let i = 1, at = 0; at < length; i++, at += 32) {
      keyed
        .clone()
        .update(fixedBytes(i, r))
        .update(label)
        .update(ZERO)
        .update(seed)
        .update(bitLength)
        .digestInto(block);
      out.set(block.subarray(0, Math.min(32, length - at)), at);
    }
  } finally {
    keyed.destroy();
    block.fill(0);
  }
  return out;
}

function checkPbkdf2Arguments(salt: Uint8Array, iterations: number, dkLen: number): void {
  abytes(salt, undefined, 'salt');
  checkInteger(iterations, 'iterations', 1, Number.MAX_SAFE_INTEGER);
  checkInteger(dkLen, 'dkLen', 1, PBKDF2_MAX_DKLEN);
}

/** The password's bytes: the array itself, or a fresh UTF-8 encoding the caller must wipe. */
function passwordBytes(password: Uint8Array | string): Uint8Array {
  if (typeof password === 'string') return new TextEncoder().encode(password);
  return abytes(password, undefined, 'password');
}

function checkInteger(value: number, name: string, min: number, max: number): void {
  if (typeof value !== 'number') throw new TypeError(`${name}: expected a number, got ${typeof value}`);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name}: expected an integer in ${min}..${max}, got ${value}`);
  }
}

/** `n` big-endian in exactly `size` bytes (n < 256^size). Division, not shifts: n may exceed 2^32. */
function fixedBytes(n: number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = size - 1, rest = n; i >= 0; i--, rest = Math.floor(rest / 256)) out[i] = rest % 256;
  return out;
}

/** `n` > 0 big-endian in as few bytes as hold it, i.e. without leading zero bytes. */
function unsignedBytes(n: number): Uint8Array {
  let size = 1;
  while (256 ** size <= n) size++;
  return fixedBytes(n, size);
}

/** OIDs of VKO_GOSTR3410_2012_256 and VKO_GOSTR3410_2012_512 (id-tc26-agreement-gost-3410-12-*). */
export const OID_VKO_GOST3410_2012_256 = '1.2.643.7.1.1.6.1';
export const OID_VKO_GOST3410_2012_512 = '1.2.643.7.1.1.6.2';

/**
 * VKO_GOSTR3410_2012_256: the 32-byte key-agreement key Streebog-256(K) of a private key, the
 * other party's public key and a UKM, where K = (h·UKM·d mod q)·Q is written x || y
 * little-endian. Either party gets the same key. Works with 256- and 512-bit keys (RFC 7836
 * Appendix B uses 512-bit keys).
 *
 * Standard: RFC 7836 §4.3.1. Keys use the byte layout of `@eds/gost/gost3410`.
 *
 * @param ukm - User keying material, little-endian, 1 to `byteLength` bytes (typically 8); a
 *   UKM of 0 counts as 1, as in OpenSSL's GOST engine.
 * @throws {InvalidKeyError} for a malformed private key or a public key that is off the curve or
 *   outside the prime-order subgroup.
 * @throws {RangeError} for an empty or over-long UKM.
 * @throws {UnknownParameterSetError} for an unknown curve.
 * @example
 * ```ts
 * const kek = vko2012_256(myPrivateKey, theirPublicKey, ukm, 'tc26-512-a');
 * ```
 */
export function vko2012_256(
  privateKey: Uint8Array,
  publicKey: Uint8Array,
  ukm: Uint8Array,
  curve: CurveInput,
): Uint8Array {
  return streebog256(vkoPoint(privateKey, publicKey, ukm, curve));
}

/**
 * VKO_GOSTR3410_2012_512: as {@link vko2012_256} with Streebog-512, a 64-byte key.
 *
 * Standard: RFC 7836 §4.3.2.
 *
 * @throws {InvalidKeyError} for malformed keys.
 * @throws {RangeError} for an empty or over-long UKM.
 * @throws {UnknownParameterSetError} for an unknown curve.
 * @example
 * ```ts
 * const kek = vko2012_512(myPrivateKey, theirPublicKey, ukm, 'tc26-512-a');
 * ```
 */
export function vko2012_512(
  privateKey: Uint8Array,
  publicKey: Uint8Array,
  ukm: Uint8Array,
  curve: CurveInput,
): Uint8Array {
  return streebog512(vkoPoint(privateKey, publicKey, ukm, curve));
}

/** K = (h·UKM·d mod q)·Q, encoded x || y little-endian. */
function vkoPoint(privateKey: Uint8Array, publicKey: Uint8Array, ukm: Uint8Array, curve: CurveInput): Uint8Array {
  const c = getCurve(curve);
  const d = privateScalar(privateKey, c);
  const Q = publicPoint(publicKey, c);
  abytes(ukm, undefined, 'ukm');
  if (ukm.length === 0 || ukm.length > c.byteLength) {
    throw new RangeError(`ukm: expected 1..${c.byteLength} bytes, got ${ukm.length}`);
  }
  const u = bytesToNumberLE(ukm) || 1n;
  const k = (c.h * u * d) % c.q;
  const K = k === 0n ? undefined : engineFor(c).mul(Q, k);
  if (!K) throw new RangeError('ukm is a multiple of the group order');
  return encodePoint(K, c);
}
