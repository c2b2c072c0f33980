// Digest algorithm descriptors with their OIDs: SHA-1 and SHA-2 (RFC 3279 §2.2.1, RFC 5754 §2), Streebog (RFC 6986, RFC 9215), GOST R 34.11-94 (RFC 5831, RFC 4357).
import { gost341194 } from '@eds/gost/gost341194';
import { streebog256, streebog512 } from '@eds/gost/streebog';
import { sha1 as nobleSha1 } from '@noble/hashes/legacy.js';
import { createSha2, type Sha2Name, sha2 } from '#sha2';
import { UnsupportedAlgorithmError } from './errors';
import type { DigestAlgorithm } from './types';

/** SHA-2 from `#sha2`: node:crypto in Node, @noble/hashes elsewhere. */
function sha2Hash(name: Sha2Name): NobleHash {
  return Object.assign((data: Uint8Array) => sha2(name, data), { create: () => createSha2(name) });
}

/** The part of a noble-style hash this module needs. */
interface NobleHash {
  (data: Uint8Array): Uint8Array;
  create(): { update(data: Uint8Array): unknown; digest(): Uint8Array };
}

function describe(name: string, oid: string, size: number, hash: NobleHash): DigestAlgorithm {
  if (typeof hash !== 'function') throw new TypeError(`digest ${name}: no hash function`);
  return Object.freeze({
    name,
    oid,
    size,
    digest: (data: Uint8Array): Uint8Array => hash(data),
    create: () => hash.create(),
  });
}

/**
 * SHA-1 (FIPS 180-4), OID 1.3.14.3.2.26 (RFC 3279 §2.2.1). For verifying legacy signatures and
 * for certificate fingerprints only; SHA-1 is broken for collision resistance.
 *
 * @example
 * ```ts
 * sha1.digest(new TextEncoder().encode('abc')); // a9993e36...9cd0d89d
 * ```
 */
export const sha1: DigestAlgorithm = /* @__PURE__ */ describe('sha1', '1.3.14.3.2.26', 20, nobleSha1);

/**
 * SHA-256 (FIPS 180-4), OID 2.16.840.1.101.3.4.2.1 (RFC 5754 §2.2).
 *
 * @example
 * ```ts
 * const h = sha256.create(); h.update(part1); h.update(part2); h.digest();
 * ```
 */
export const sha256: DigestAlgorithm = /* @__PURE__ */ describe(
  'sha256',
  '2.16.840.1.101.3.4.2.1',
  32,
  sha2Hash('sha256'),
);

/**
 * SHA-384 (FIPS 180-4), OID 2.16.840.1.101.3.4.2.2 (RFC 5754 §2.3).
 *
 * @example
 * ```ts
 * sha384.digest(data).length; // 48
 * ```
 */
export const sha384: DigestAlgorithm = /* @__PURE__ */ describe(
  'sha384',
  '2.16.840.1.101.3.4.2.2',
  48,
  sha2Hash('sha384'),
);

/**
 * SHA-512 (FIPS 180-4), OID 2.16.840.1.101.3.4.2.3 (RFC 5754 §2.4).
 *
 * @example
 * ```ts
 * sha512.digest(data).length; // 64
 * ```
 */
export const sha512: DigestAlgorithm = /* @__PURE__ */ describe(
  'sha512',
  '2.16.840.1.101.3.4.2.3',
  64,
  sha2Hash('sha512'),
);

/**
 * Streebog-256, GOST R 34.11-2012 (RFC 6986), OID 1.2.643.7.1.1.2.2 (RFC 9215 §2). The output is
 * the hash as `openssl dgst -md_gost12_256` prints it (RFC 6986 prints its examples reversed).
 *
 * @example
 * ```ts
 * gostr3411_2012_256.digest(new Uint8Array(0)); // 3f539a21...8d9ce1bb
 * ```
 */
export const gostr3411_2012_256: DigestAlgorithm = /* @__PURE__ */ describe(
  'streebog256',
  '1.2.643.7.1.1.2.2',
  32,
  streebog256,
);

/**
 * Streebog-512, GOST R 34.11-2012 (RFC 6986), OID 1.2.643.7.1.1.2.3 (RFC 9215 §2).
 *
 * @example
 * ```ts
 * gostr3411_2012_512.digest(data).length; // 64
 * ```
 */
export const gostr3411_2012_512: DigestAlgorithm = /* @__PURE__ */ describe(
  'streebog512',
  '1.2.643.7.1.1.2.3',
  64,
  streebog512,
);

/**
 * GOST R 34.11-94 (RFC 5831) with the CryptoPro parameters (1.2.643.2.2.30.1, RFC 4357 §11.2),
 * OID 1.2.643.2.2.9: the hash of GOST R 34.10-2001 signatures, as `openssl dgst -md_gost94`.
 * For verifying archived documents. Variable-time (table lookups on the data).
 *
 * @example
 * ```ts
 * gostr3411_94.digest(new TextEncoder().encode('abc')); // b285056d...f92fd42c
 * ```
 */
export const gostr3411_94: DigestAlgorithm = /* @__PURE__ */ describe('gostr3411-94', '1.2.643.2.2.9', 32, gost341194);

/**
 * Every digest descriptor: SHA-1, SHA-256, SHA-384, SHA-512, Streebog-256, Streebog-512 and
 * GOST R 34.11-94 (CryptoPro parameters); the default set of {@link findDigest}. Also exported
 * by `@eds/core/all-algorithms`.
 *
 * @example
 * ```ts
 * allDigests.map((d) => d.name); // ['sha1', 'sha256', ...]
 * ```
 */
export const allDigests: readonly DigestAlgorithm[] = Object.freeze([
  sha1,
  sha256,
  sha384,
  sha512,
  gostr3411_2012_256,
  gostr3411_2012_512,
  gostr3411_94,
]);

/**
 * Finds the digest named by an OID (a CMS `digestAlgorithm`, an ESSCertIDv2 `hashAlgorithm`) in
 * `set`, by default every digest of this module.
 *
 * Standard: RFC 5652 §10.1.1 (DigestAlgorithmIdentifier); OIDs of RFC 5754 §2 and RFC 9215 §2.
 *
 * @throws {UnsupportedAlgorithmError} `ERR_UNSUPPORTED_ALGORITHM` (with `oid`) when no digest in
 *   `set` has that OID.
 * @example
 * ```ts
 * findDigest('1.2.643.7.1.1.2.2').name; // 'streebog256'
 * findDigest('2.16.840.1.101.3.4.2.1', [sha256]).size; // 32
 * ```
 */
export function findDigest(oid: string, set: readonly DigestAlgorithm[] = allDigests): DigestAlgorithm {
  const found = set.find((d) => d.oid === oid);
  if (!found) throw new UnsupportedAlgorithmError({ oid }, `unsupported digest algorithm ${oid}`);
  return found;
}
