// Internal: RSA signature primitives in bigint (RFC 8017 §5.2 RSASP1/RSAVP1, §8.1 RSASSA-PSS, §8.2 RSASSA-PKCS1-v1_5, §9.1 EMSA-PSS, §9.2 EMSA-PKCS1-v1_5, B.2.1 MGF1).
//
// Timing: JavaScript BigInt arithmetic takes data-dependent time and this file makes no attempt
// at constant time. Verification handles public data only. Signing (RSASP1 with the private
// key) is variable-time: it is the fallback for runtimes without WebCrypto RSA, and is documented
// as such where it is used.
import { randomBytes } from '@noble/hashes/utils.js';
import { bigIntToBytes, bitLength, bytesToBigInt, equalBytes } from './_bytes';
import { keyError, MAX_RSA_EXPONENT_BITS, MAX_RSA_MODULUS_BITS, MIN_RSA_MODULUS_BITS } from './_key-material';
import { der } from './asn1';
import type { DigestAlgorithm } from './types';

/** An RSA public key (RFC 8017 §3.1). */
export interface RsaPublic {
  readonly n: bigint;
  readonly e: bigint;
}

/** An RSA private key in CRT form (RFC 8017 §3.2, second representation, two primes). */
export interface RsaPrivate extends RsaPublic {
  readonly d: bigint;
  readonly p: bigint;
  readonly q: bigint;
  readonly dp: bigint;
  readonly dq: bigint;
  readonly qi: bigint;
}

/** OS2IP (RFC 8017 §4.2) is {@link bytesToBigInt}; I2OSP (§4.1) is {@link bigIntToBytes} with a length. */
const os2ip = bytesToBigInt;

/** b^e mod m by left-to-right square-and-multiply. Variable-time. */
export function powModUnsafe(b: bigint, e: bigint, m: bigint): bigint {
  let result = 1n;
  const base = b % m;
  for (const bit of e.toString(2)) {
    result = (result * result) % m;
    if (bit === '1') result = (result * base) % m;
  }
  return result;
}

/**
 * Checks a public key is usable and returns the modulus size in bits: an odd modulus of
 * 512..16384 bits and an odd e in [3, n) of at most 32 bits (the limits of `_key-material.ts`,
 * which bound the work of one operation on a hostile key).
 *
 * @throws DecodeError `ERR_DECODE_KEY` for a key outside those limits.
 */
export function checkPublic(key: RsaPublic): number {
  const bits = key.n > 0n ? bitLength(key.n) : 0;
  if (bits < MIN_RSA_MODULUS_BITS || bits > MAX_RSA_MODULUS_BITS || (key.n & 1n) === 0n)
    throw keyError(`unusable RSA modulus of ${bits} bits`, 'RSAPublicKey.modulus');
  if (key.e < 3n || (key.e & 1n) === 0n || key.e >= key.n || bitLength(key.e) > MAX_RSA_EXPONENT_BITS)
    throw keyError('unusable RSA public exponent', 'RSAPublicKey.publicExponent');
  return bits;
}

/**
 * RSAVP1 then I2OSP to `emLen` bytes (RFC 8017 §5.2.2, §8.1.2 step 2, §8.2.2 step 2); undefined
 * when the signature is not k bytes, is not below n, or its representative does not fit emLen.
 */
function recover(key: RsaPublic, signature: Uint8Array, emLen: number): Uint8Array | undefined {
  const k = Math.ceil(bitLength(key.n) / 8);
  if (signature.length !== k || bitLength(key.e) > MAX_RSA_EXPONENT_BITS) return undefined;
  const s = os2ip(signature);
  if (s >= key.n) return undefined;
  const m = powModUnsafe(s, key.e, key.n);
  return bitLength(m) > 8 * emLen ? undefined : bigIntToBytes(m, emLen);
}

/**
 * RSASP1 with the CRT (RFC 8017 §5.2.1 step 2b), checked by RSAVP1 against faults. Variable-time.
 *
 * @throws RangeError for m ≥ n; DecodeError `ERR_DECODE_KEY` when the check fails.
 */
export function rsasp1Unsafe(key: RsaPrivate, m: bigint): bigint {
  if (m >= key.n) throw new RangeError('message representative out of range');
  const m1 = powModUnsafe(m, key.dp, key.p);
  const m2 = powModUnsafe(m, key.dq, key.q);
  const h = (((m1 - m2) % key.p) + key.p) % key.p;
  const s = m2 + ((key.qi * h) % key.p) * key.q;
  // A fault, or private values that do not belong to (n, e): no signature leaves in either case.
  if (powModUnsafe(s, key.e, key.n) !== m)
    throw keyError(
      'RSA signing fault: the private key does not produce signatures for its public key',
      'RSAPrivateKey',
    );
  return s;
}

/** The DigestInfo T of EMSA-PKCS1-v1_5 (RFC 8017 §9.2 step 2), NULL hash parameters (note 1). */
function digestInfo(hash: DigestAlgorithm, h: Uint8Array): Uint8Array {
  return der.seq(der.seq(der.oid(hash.oid), der.null()), der.octets(h));
}

/**
 * EMSA-PKCS1-v1_5 (RFC 8017 §9.2): 00 01 FF..FF 00 || DigestInfo, the DigestInfo written in DER
 * with NULL hash parameters (the prefixes of §9.2 note 1).
 *
 * @throws RangeError when emLen < tLen + 11 ("intended encoded message length too short", step 3).
 */
export function emsaPkcs1(hash: DigestAlgorithm, h: Uint8Array, emLen: number): Uint8Array {
  const t = digestInfo(hash, h);
  if (emLen < t.length + 11) throw new RangeError('RSA modulus too short for this hash');
  const em = new Uint8Array(emLen).fill(0xff, 2, emLen - t.length - 1);
  em[1] = 0x01;
  em.set(t, emLen - t.length);
  return em;
}

/**
 * RSASSA-PKCS1-V1_5-VERIFY (RFC 8017 §8.2.2) over a digest `h`: encodes the expected message
 * and compares (no parsing of the recovered one). DigestInfo without the NULL (Wycheproof
 * `MissingNull`) is rejected. A modulus too short for the hash (k < tLen + 11, §9.2 step 3) is
 * a signature that does not verify, not an error.
 */
export function verifyPkcs1(key: RsaPublic, hash: DigestAlgorithm, h: Uint8Array, signature: Uint8Array): boolean {
  const k = Math.ceil(checkPublic(key) / 8);
  if (h.length !== hash.size || k < digestInfo(hash, h).length + 11) return false;
  const em = recover(key, signature, k);
  return em !== undefined && equalBytes(em, emsaPkcs1(hash, h, k));
}

/** RSASSA-PKCS1-V1_5-SIGN (RFC 8017 §8.2.1) over a digest `h`. Variable-time. */
export function signPkcs1Unsafe(key: RsaPrivate, hash: DigestAlgorithm, h: Uint8Array): Uint8Array {
  const k = Math.ceil(checkPublic(key) / 8);
  return bigIntToBytes(rsasp1Unsafe(key, os2ip(emsaPkcs1(hash, h, k))), k);
}

/** MGF1 (RFC 8017 §B.2.1). */
export function mgf1(hash: DigestAlgorithm, seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const block = new Uint8Array(seed.length + 4);
  block.set(seed);
  for (let counter = 0, at = 0; at < length; counter++, at += hash.size) {
    new DataView(block.buffer).setUint32(seed.length, counter);
    out.set(hash.digest(block).subarray(0, Math.min(hash.size, length - at)), at);
  }
  return out;
}

/** RSASSA-PSS parameters (RFC 4055 §3.1, RFC 8017 §A.2.3); the trailer field is always 1 (0xbc). */
export interface PssParams {
  readonly hash: DigestAlgorithm;
  readonly mgfHash: DigestAlgorithm;
  readonly saltLength: number;
}

/** H = Hash(00 x 8 || mHash || salt) (RFC 8017 §9.1.1 steps 5-6). */
function pssHash(hash: DigestAlgorithm, mHash: Uint8Array, salt: Uint8Array): Uint8Array {
  const m = new Uint8Array(8 + mHash.length + salt.length);
  m.set(mHash, 8);
  m.set(salt, 8 + mHash.length);
  return hash.digest(m);
}

/** EMSA-PSS-VERIFY (RFC 8017 §9.1.2) of EM against mHash, emBits = modBits - 1. */
function emsaPssVerify(p: PssParams, mHash: Uint8Array, em: Uint8Array, emBits: number): boolean {
  const hLen = p.hash.size;
  const emLen = em.length;
  if (mHash.length !== hLen || emLen < hLen + p.saltLength + 2 || em[emLen - 1] !== 0xbc) return false;
  const dbLen = emLen - hLen - 1;
  const h = em.subarray(dbLen, emLen - 1);
  const topMask = 0xff >> (8 * emLen - emBits);
  if (((em[0] as number) & ~topMask) !== 0) return false;
  const db = mgf1(p.mgfHash, h, dbLen);
  for (let i = 0; i < dbLen; i++) db[i] = (db[i] as number) ^ (em[i] as number);
  db[0] = (db[0] as number) & topMask;
  const psLen = emLen - hLen - p.saltLength - 2;
  for (let i = 0; i < psLen; i++) if (db[i] !== 0) return false;
  if (db[psLen] !== 0x01) return false;
  return equalBytes(h, pssHash(p.hash, mHash, db.subarray(dbLen - p.saltLength)));
}

/** RSASSA-PSS-VERIFY (RFC 8017 §8.1.2) over mHash = Hash(M). */
export function verifyPss(key: RsaPublic, p: PssParams, mHash: Uint8Array, signature: Uint8Array): boolean {
  const emBits = checkPublic(key) - 1;
  const emLen = Math.ceil(emBits / 8);
  // §9.1.2 step 3: emLen < hLen + sLen + 2 is "inconsistent", a signature that does not verify.
  if (emLen < p.hash.size + p.saltLength + 2) return false;
  const em = recover(key, signature, emLen);
  return em !== undefined && emsaPssVerify(p, mHash, em, emBits);
}

/** RSASSA-PSS-SIGN (RFC 8017 §8.1.1, EMSA-PSS-ENCODE §9.1.1) over mHash with a fresh random salt. Variable-time. */
export function signPssUnsafe(key: RsaPrivate, p: PssParams, mHash: Uint8Array): Uint8Array {
  const modBits = checkPublic(key);
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const hLen = p.hash.size;
  if (mHash.length !== hLen) throw new RangeError(`digest must be ${hLen} bytes`);
  if (emLen < hLen + p.saltLength + 2) throw new RangeError('RSA modulus too short for this hash and salt length');
  const salt = randomBytes(p.saltLength);
  const h = pssHash(p.hash, mHash, salt);
  const dbLen = emLen - hLen - 1;
  const db = new Uint8Array(dbLen);
  db[dbLen - p.saltLength - 1] = 0x01;
  db.set(salt, dbLen - p.saltLength);
  const mask = mgf1(p.mgfHash, h, dbLen);
  for (let i = 0; i < dbLen; i++) db[i] = (db[i] as number) ^ (mask[i] as number);
  db[0] = (db[0] as number) & (0xff >> (8 * emLen - emBits));
  const em = new Uint8Array(emLen);
  em.set(db);
  em.set(h, dbLen);
  em[emLen - 1] = 0xbc;
  return bigIntToBytes(rsasp1Unsafe(key, os2ip(em)), Math.ceil(modBits / 8));
}
