// GOST R 34.10-2001 signature verification (RFC 5832) for archived documents: the 2012 256-bit equation on the CryptoPro curves, with the 2001 OIDs (RFC 4491).

import { isBytes } from '@noble/hashes/utils.js';
import { type GostCurve, getCurve } from './curves';
import { UnknownParameterSetError } from './errors';
import { type CurveInput, verify } from './gost3410';

// GOST R 34.10-2001 and GOST R 34.10-2012 with 256-bit keys are one signature scheme: the same
// curves, the same equation, the same byte layouts (s || r big-endian; x || y little-endian; the
// digest read little-endian). What differs is the hash, GOST R 34.11-94 with the CryptoPro
// parameters (`gost341194` in ./gost341194) instead of Streebog-256, and the OIDs. Signing with
// 2001 keys has not been allowed since 2019, so this module only verifies; tests that need 2001
// signatures make them with `sign` from ./gost3410.

/** The public-key algorithm OID of GOST R 34.10-2001 (id-GostR3410-2001, RFC 4491). */
export const OID_GOST3410_2001 = '1.2.643.2.2.19';
/** The signature algorithm OID GOST R 34.11-94 with GOST R 34.10-2001 (id-GostR3411-94-with-GostR3410-2001, RFC 4491). */
export const OID_GOST3411_94_WITH_GOST3410_2001 = '1.2.643.2.2.3';

/** The parameter sets a GOST R 34.10-2001 key can name (RFC 4357): the test set, CryptoPro A, B, C, XchA and XchB. */
const SETS_2001: readonly string[] = [
  'cryptopro-test',
  'cryptopro-a',
  'cryptopro-b',
  'cryptopro-c',
  'cryptopro-xcha',
  'cryptopro-xchb',
];

/**
 * Looks up a GOST R 34.10-2001 parameter set by name or OID (1.2.643.2.2.35.0-3, 1.2.643.2.2.36.0-1).
 *
 * @throws {UnknownParameterSetError} for other sets, the 512-bit and TC26 ones included.
 * @example
 * ```ts
 * getCurve2001('1.2.643.2.2.35.1').name; // 'cryptopro-a'
 * ```
 */
export function getCurve2001(curve: CurveInput): GostCurve {
  const c = getCurve(curve);
  if (!SETS_2001.includes(c.name)) throw new UnknownParameterSetError(typeof curve === 'string' ? curve : c.name);
  return c;
}

/**
 * Verifies a GOST R 34.10-2001 signature s || r (each 32 bytes big-endian) over a GOST R 34.11-94
 * digest (32 bytes as the hash outputs them, read little-endian) with a public key x || y (each
 * 32 bytes little-endian), the layouts of X.509 and CMS (RFC 4491). Returns false for any
 * signature that does not verify. Variable-time (all inputs are public).
 *
 * Standard: RFC 5832 §6.2 (the same equation as RFC 7091 §6.2).
 *
 * @param digest - `gost341194(message)` (CryptoPro parameters), or the hash of the signed attributes.
 * @throws {TypeError} if the signature, digest or public key is not a Uint8Array.
 * @throws {InvalidKeyError} `ERR_INVALID_PUBLIC_KEY` for a key of the wrong length or off the curve.
 * @throws {RangeError} when the digest is not 32 bytes.
 * @throws {UnknownParameterSetError} for a set that is not a GOST R 34.10-2001 one.
 * @example
 * ```ts
 * if (!verify2001(signature, gost341194(document), publicKey, 'cryptopro-a')) throw new Error('bad signature');
 * ```
 */
export function verify2001(
  signature: Uint8Array,
  digest: Uint8Array,
  publicKey: Uint8Array,
  curve: CurveInput,
): boolean {
  for (const [what, value] of [
    ['signature', signature],
    ['digest', digest],
    ['public key', publicKey],
  ] as const) {
    if (!isBytes(value)) throw new TypeError(`verify2001: the ${what} must be a Uint8Array`);
  }
  return verify(signature, digest, publicKey, getCurve2001(curve));
}
