// GOST R 34.10-2012 digital signatures (RFC 7091 §5-6) with the byte conventions of X.509 and CMS (RFC 9215, RFC 4490).

import { invert } from '@noble/curves/abstract/modular.js';
import {
  bytesToNumberBE,
  bytesToNumberLE,
  concatBytes,
  numberToBytesBE,
  numberToBytesLE,
} from '@noble/curves/utils.js';
import { hmac } from '@noble/hashes/hmac.js';
import { isBytes, randomBytes } from '@noble/hashes/utils.js';
import { type Affine, engineFor } from './_ec';
import { type GostCurve, getCurve } from './curves';
import { InvalidKeyError } from './errors';
import { streebog512 } from './streebog';

// Byte conventions, so that callers never reverse anything:
// - private key: the scalar d, little-endian, `byteLength` bytes (the PKCS#8 OCTET STRING content);
// - public key: x || y, each little-endian (the SPKI OCTET STRING content);
// - digest: as output by Streebog; the integer e is read from it little-endian;
// - signature: s || r, each big-endian (the X.509 BIT STRING / CMS OCTET STRING content).
//
// Timing: JavaScript BigInt arithmetic takes data-dependent time, so nothing here is constant-time
// in the strict sense. Functions that handle secrets (getPublicKey, sign, and VKO in
// @eds/gost/kdf) use a fixed sequence of point operations whatever the scalar; verification uses
// faster variable-time code, which is fine because all of its inputs are public.

/** A parameter set: a {@link GostCurve} or its name or OID. */
export type CurveInput = GostCurve | string;

/** Options of {@link sign}. */
export interface SignOptions {
  /**
   * Fresh randomness mixed into the deterministic nonce (hedged signing). `true` (default) draws
   * 32 bytes from the platform CSPRNG; bytes use those; `false` makes signatures deterministic
   * (the nonce then depends on the key and digest only), so the same key and digest always give
   * the same signature.
   */
  extraEntropy?: boolean | Uint8Array;
}

/** The signature algorithm OIDs (signWithDigest) for 256- and 512-bit keys. */
export const OID_GOST3410_2012_256_SIGN = '1.2.643.7.1.1.3.2';
export const OID_GOST3410_2012_512_SIGN = '1.2.643.7.1.1.3.3';
/** The public-key algorithm OIDs (SubjectPublicKeyInfo) for 256- and 512-bit keys. */
export const OID_GOST3410_2012_256 = '1.2.643.7.1.1.1.1';
export const OID_GOST3410_2012_512 = '1.2.643.7.1.1.1.2';

/**
 * Decodes and checks a private key: `byteLength` bytes, little-endian, 0 < d < q.
 * @internal shared with VKO in `@eds/gost/kdf`.
 */
export function privateScalar(privateKey: Uint8Array, curve: GostCurve): bigint {
  if (!isBytes(privateKey) || privateKey.length !== curve.byteLength) {
    throw new InvalidKeyError(
      'ERR_INVALID_PRIVATE_KEY',
      `private key must be ${curve.byteLength} bytes for ${curve.name}, got ${describe(privateKey)}`,
    );
  }
  const d = bytesToNumberLE(privateKey);
  if (d === 0n || d >= curve.q) {
    throw new InvalidKeyError('ERR_INVALID_PRIVATE_KEY', `private key is not in [1, q) for ${curve.name}`);
  }
  return d;
}

/**
 * Decodes and checks a public key: x || y little-endian, a point of the curve in the subgroup of
 * order q (checked by multiplication for the sets with cofactor 4).
 * @internal shared with VKO in `@eds/gost/kdf`.
 */
export function publicPoint(publicKey: Uint8Array, curve: GostCurve): Affine {
  const len = curve.byteLength;
  if (!isBytes(publicKey) || publicKey.length !== 2 * len) {
    throw new InvalidKeyError(
      'ERR_INVALID_PUBLIC_KEY',
      `public key must be ${2 * len} bytes (x || y) for ${curve.name}, got ${describe(publicKey)}`,
    );
  }
  const P: Affine = [bytesToNumberLE(publicKey.subarray(0, len)), bytesToNumberLE(publicKey.subarray(len))];
  const engine = engineFor(curve);
  if (!engine.isOnCurve(P)) {
    throw new InvalidKeyError('ERR_INVALID_PUBLIC_KEY', `public key is not a point of ${curve.name}`);
  }
  if (curve.h !== 1n && !engine.isTorsionFreeUnsafe(P)) {
    throw new InvalidKeyError(
      'ERR_INVALID_PUBLIC_KEY',
      `public key is not in the prime-order subgroup of ${curve.name}`,
    );
  }
  return P;
}

/** x || y, each little-endian. @internal */
export function encodePoint([x, y]: Affine, curve: GostCurve): Uint8Array {
  return concatBytes(numberToBytesLE(x, curve.byteLength), numberToBytesLE(y, curve.byteLength));
}

function describe(v: unknown): string {
  return isBytes(v) ? `${v.length} bytes` : typeof v;
}

/** e = int_LE(digest) mod q, and 1 if that is 0 (RFC 7091 §6.1 step 2). */
function digestScalar(digest: Uint8Array, curve: GostCurve): bigint {
  if (!isBytes(digest) || digest.length !== curve.byteLength) {
    throw new RangeError(
      `digest must be ${curve.byteLength} bytes (Streebog-${curve.bits}) for ${curve.name}, got ${describe(digest)}`,
    );
  }
  const e = bytesToNumberLE(digest) % curve.q;
  return e === 0n ? 1n : e;
}

/**
 * Generates a private key: `byteLength` bytes, little-endian, uniform in [1, q).
 *
 * Standard: GOST R 34.10-2012 §6.1 (RFC 7091 §5.2: 0 < d < q).
 *
 * @throws {UnknownParameterSetError} for an unknown curve.
 * @example
 * ```ts
 * const privateKey = randomPrivateKey('tc26-256-b');
 * ```
 */
export function randomPrivateKey(curve: CurveInput): Uint8Array {
  const c = getCurve(curve);
  // 64 extra bits make the bias of the reduction negligible (FIPS 186-5 A.2.1).
  const d = (bytesToNumberBE(randomBytes(c.byteLength + 8)) % (c.q - 1n)) + 1n;
  return numberToBytesLE(d, c.byteLength);
}

/**
 * Derives the public key x || y (each coordinate little-endian) of a private key: Q = d·G.
 *
 * Standard: GOST R 34.10-2012 §6.1 (RFC 7091 §5.2); byte layout RFC 9215.
 *
 * @throws {InvalidKeyError} `ERR_INVALID_PRIVATE_KEY` for a key of the wrong length or out of range.
 * @throws {UnknownParameterSetError} for an unknown curve.
 * @example
 * ```ts
 * const publicKey = getPublicKey(privateKey, 'tc26-256-b'); // 64 bytes
 * ```
 */
export function getPublicKey(privateKey: Uint8Array, curve: CurveInput): Uint8Array {
  const c = getCurve(curve);
  return encodePoint(engineFor(c).mulBase(privateScalar(privateKey, c)), c);
}

/**
 * Signs a digest: returns s || r, each big-endian (64 bytes for 256-bit keys, 128 for 512-bit).
 * The nonce is hedged: HMAC-Streebog-512 keyed by the private key over the digest and fresh
 * randomness (none with `extraEntropy: false`, which makes signatures deterministic), reduced
 * into [1, q). A broken random generator therefore cannot repeat a nonce for different digests.
 *
 * Standard: GOST R 34.10-2012 §6.1 (RFC 7091 §6.1); signature layout RFC 9215.
 *
 * @param digest - Streebog-256 (256-bit keys) or Streebog-512 (512-bit keys) of the message.
 * @throws {InvalidKeyError} `ERR_INVALID_PRIVATE_KEY` for a malformed key.
 * @throws {RangeError} when the digest length does not match the curve.
 * @throws {UnknownParameterSetError} for an unknown curve.
 * @example
 * ```ts
 * const signature = sign(streebog256(message), privateKey, 'tc26-256-b');
 * ```
 */
export function sign(
  digest: Uint8Array,
  privateKey: Uint8Array,
  curve: CurveInput,
  options: SignOptions = {},
): Uint8Array {
  const c = getCurve(curve);
  const d = privateScalar(privateKey, c);
  const e = digestScalar(digest, c);
  const { extraEntropy = true } = options;
  const extra = extraEntropy === true ? randomBytes(32) : extraEntropy === false ? new Uint8Array(0) : extraEntropy;
  if (!isBytes(extra)) throw new TypeError('extraEntropy must be a boolean or a Uint8Array');
  const len = c.byteLength;
  const key = numberToBytesBE(d, len);
  const msg = concatBytes(new Uint8Array(2), numberToBytesBE(e, len), extra);
  // Nonce: HMAC-Streebog-512 keyed by the private key (a PRF, as in RFC 6979 §3.2) over an
  // attempt counter, a block counter, the digest and the fresh randomness: 64 bytes for 256-bit
  // sets, 128 for 512-bit ones (at least 256 bits more than q), reduced into [1, q), so the bias
  // is below 2^-256. A second attempt (r = 0 or s = 0) has probability about 2/q.
  for (let attempt = 0; ; attempt++) {
    const blocks: Uint8Array[] = [];
    for (let block = 0; block < len / 32; block++) {
      msg.set([attempt & 0xff, block]);
      blocks.push(hmac(streebog512, key, msg));
    }
    const k = (bytesToNumberBE(concatBytes(...blocks)) % (c.q - 1n)) + 1n;
    const sig = trySign(c, d, e, k);
    if (sig) return sig;
  }
}

/**
 * Signs with a caller-chosen nonce k (0 < k < q). For known-answer tests such as RFC 7091 §7 only:
 * a nonce that is ever reused, predictable or biased reveals the private key. Use {@link sign}.
 *
 * Standard: GOST R 34.10-2012 §6.1 (RFC 7091 §6.1).
 *
 * @param k - The nonce, big-endian bytes as printed in RFC 7091.
 * @throws {InvalidKeyError} for a malformed private key.
 * @throws {RangeError} when k is out of range, gives r = 0 or s = 0, or the digest length is wrong.
 * @example
 * ```ts
 * const signature = signWithNonceUnsafe(digest, privateKey, k, 'cryptopro-test');
 * ```
 */
export function signWithNonceUnsafe(
  digest: Uint8Array,
  privateKey: Uint8Array,
  k: Uint8Array,
  curve: CurveInput,
): Uint8Array {
  const c = getCurve(curve);
  const sig = trySign(c, privateScalar(privateKey, c), digestScalar(digest, c), bytesToNumberBE(k));
  if (!sig) throw new RangeError('nonce k is out of range or gives r = 0 or s = 0');
  return sig;
}

/** RFC 7091 §6.1 steps 4-6 for one k; undefined when k is unusable. */
function trySign(c: GostCurve, d: bigint, e: bigint, k: bigint): Uint8Array | undefined {
  const { q } = c;
  if (k <= 0n || k >= q) return undefined;
  const r = engineFor(c).mulBase(k)[0] % q;
  if (r === 0n) return undefined;
  const s = (r * d + k * e) % q;
  if (s === 0n) return undefined;
  return concatBytes(numberToBytesBE(s, c.byteLength), numberToBytesBE(r, c.byteLength));
}

/**
 * Verifies a signature s || r (each big-endian) over a digest with a public key x || y (each
 * little-endian). Returns false for any signature that does not verify, including one of the
 * wrong length or with r or s outside [1, q). Variable-time (all inputs are public).
 *
 * Standard: GOST R 34.10-2012 §6.2 (RFC 7091 §6.2); layouts RFC 9215.
 *
 * @throws {InvalidKeyError} `ERR_INVALID_PUBLIC_KEY` for a key of the wrong length, off the
 * curve, or (cofactor-4 sets) outside the prime-order subgroup.
 * @throws {RangeError} when the digest length does not match the curve.
 * @throws {UnknownParameterSetError} for an unknown curve.
 * @example
 * ```ts
 * if (!verify(signature, streebog256(message), publicKey, 'tc26-256-b')) throw new Error('bad signature');
 * ```
 */
export function verify(signature: Uint8Array, digest: Uint8Array, publicKey: Uint8Array, curve: CurveInput): boolean {
  const c = getCurve(curve);
  const Q = publicPoint(publicKey, c);
  const e = digestScalar(digest, c);
  const len = c.byteLength;
  if (!isBytes(signature) || signature.length !== 2 * len) return false;
  const { q } = c;
  const s = bytesToNumberBE(signature.subarray(0, len));
  const r = bytesToNumberBE(signature.subarray(len));
  if (r === 0n || r >= q || s === 0n || s >= q) return false;
  const v = invert(e, q);
  return engineFor(c).verifyUnsafe((s * v) % q, ((q - r) * v) % q, Q, r);
}
