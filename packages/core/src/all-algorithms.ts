// The ready-made sets of every signature algorithm and digest of @eds/core, for callers who accept them all (no global registry: pass these explicitly).
import {
  ecdsaSha1,
  ecdsaSha256,
  ecdsaSha384,
  ecdsaSha512,
  ed25519,
  gost2001,
  gost2012_256,
  gost2012_512,
  rsaPkcs1Sha1,
  rsaPkcs1Sha256,
  rsaPkcs1Sha384,
  rsaPkcs1Sha512,
  rsaPssSha1,
  rsaPssSha256,
  rsaPssSha384,
  rsaPssSha512,
} from './algorithms';
import type { SignatureAlgorithm } from './types';

/**
 * Every signature algorithm descriptor: GOST R 34.10-2012 256/512, GOST R 34.10-2001 (verify),
 * ECDSA with SHA-256/384/512 and SHA-1 (verify), RSA PKCS#1 v1.5 with SHA-256/384/512 and SHA-1
 * (verify), RSASSA-PSS with SHA-256/384/512 and SHA-1 (verify), Ed25519. The SHA-1 ones verify
 * legacy signatures; leave them out of a set for a stricter policy.
 *
 * @example
 * ```ts
 * const ok = await verifySignature(allAlgorithms, { algorithm, publicKey, data, signature });
 * const strict = allAlgorithms.filter((a) => a.digest?.name !== 'sha1');
 * ```
 */
export const allAlgorithms: readonly SignatureAlgorithm[] = Object.freeze([
  gost2012_256,
  gost2012_512,
  gost2001,
  ecdsaSha256,
  ecdsaSha384,
  ecdsaSha512,
  ecdsaSha1,
  rsaPkcs1Sha256,
  rsaPkcs1Sha384,
  rsaPkcs1Sha512,
  rsaPkcs1Sha1,
  rsaPssSha256,
  rsaPssSha384,
  rsaPssSha512,
  rsaPssSha1,
  ed25519,
]);

export { allDigests } from './digests';
