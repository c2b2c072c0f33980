// Key algorithms and signature schemes of the token adapters, and their @eds/core counterparts
// (RFC 5280 §4.1.2.7 SubjectPublicKeyInfo; RFC 9215 §3 for GOST R 34.10-2012).
import {
  ecdsaSha256,
  ecdsaSha384,
  ecdsaSha512,
  ed25519,
  gost2012_256,
  gost2012_512,
  parseAlgorithmIdentifier,
  rsaPkcs1Sha256,
  rsaPkcs1Sha384,
  rsaPkcs1Sha512,
  rsaPssSha256,
  rsaPssSha384,
  rsaPssSha512,
} from '@eds/core/algorithms';
import { decodeDer, TAG } from '@eds/core/asn1';
import { gostr3411_2012_256, gostr3411_2012_512, sha1, sha256, sha384, sha512 } from '@eds/core/digests';
import { UnsupportedAlgorithmError } from '@eds/core/errors';
import { parsePublicKey } from '@eds/core/keys';
import type { DigestAlgorithm, PublicKey, SignatureAlgorithm } from '@eds/core/types';
import { parseCertificate } from '@eds/core/x509';
import { MechanismNotSupportedError } from './errors';
import type { HashAlg, KeyAlgorithm, SignatureScheme } from './types';

/**
 * The named curves the SDK signs with, by OID (RFC 5480 §2.1.1.1).
 *
 * @example
 * ```ts
 * NAMED_CURVES['1.2.840.10045.3.1.7']; // 'P-256'
 * ```
 */
export const NAMED_CURVES: Readonly<Record<string, 'P-256' | 'P-384' | 'P-521'>> = Object.freeze({
  '1.2.840.10045.3.1.7': 'P-256',
  '1.3.132.0.34': 'P-384',
  '1.3.132.0.35': 'P-521',
});

const HASHES: Record<HashAlg, DigestAlgorithm> = {
  'SHA-1': sha1,
  'SHA-256': sha256,
  'SHA-384': sha384,
  'SHA-512': sha512,
  'STREEBOG-256': gostr3411_2012_256,
  'STREEBOG-512': gostr3411_2012_512,
};

/**
 * The key algorithm of a public key (DER SubjectPublicKeyInfo, RFC 5280 §4.1.2.7, or a parsed
 * key). Keys the SDK does not sign with — GOST R 34.10-2001, Kazakh GOST 34.310, curves other than
 * P-256/384/521, unknown algorithms — are `{ kind: 'other', oid, parameter? }`, never an error.
 *
 * @throws {DecodeError} when `key` is not a DER SubjectPublicKeyInfo.
 * @example
 * ```ts
 * keyAlgorithmOf(parseCertificate(der).spki); // { kind: 'EC', namedCurve: 'P-256' }
 * ```
 */
export function keyAlgorithmOf(key: PublicKey | Uint8Array): KeyAlgorithm {
  let k: PublicKey;
  try {
    k = key instanceof Uint8Array ? parsePublicKey(key) : key;
  } catch (e) {
    if (e instanceof UnsupportedAlgorithmError && key instanceof Uint8Array) return otherOf(key);
    throw e;
  }
  switch (k.type) {
    case 'rsa':
      return { kind: 'RSA', modulusBits: k.bits };
    case 'ed25519':
      return { kind: 'EdDSA', curve: 'Ed25519' };
    case 'gost2012-256':
    case 'gost2012-512':
      return { kind: 'GOST2012', bits: k.type === 'gost2012-256' ? 256 : 512, paramSet: k.curveOid ?? '' };
    case 'ecdsa': {
      const namedCurve = NAMED_CURVES[k.curveOid ?? ''];
      if (namedCurve) return { kind: 'EC', namedCurve };
      break;
    }
  }
  return otherOf(k.spki);
}

/** `{ kind: 'other' }` with the SPKI's algorithm OID and, when it is an OID, its parameter. */
function otherOf(spki: Uint8Array): KeyAlgorithm {
  const algorithm = parseAlgorithmIdentifier(
    decodeDer(spki, 'subjectPublicKeyInfo').read().next(TAG.SEQUENCE, 'algorithm'),
  );
  let parameter: string | undefined;
  if (algorithm.params?.[0] === TAG.OID) parameter = decodeDer(algorithm.params, 'parameters').oid();
  else if (algorithm.params?.[0] === TAG.SEQUENCE) {
    const first = decodeDer(algorithm.params, 'parameters').read().optional(TAG.OID, 'publicKeyParamSet');
    parameter = first?.oid();
  }
  return { kind: 'other', oid: algorithm.oid, ...(parameter ? { parameter } : {}) };
}

/**
 * The key algorithm of a certificate's subject key (DER certificate).
 *
 * @throws {DecodeError} when `certificate` is not a certificate.
 *  * @example
 * ```ts
 * keyAlgorithmOfCertificate(der).kind; // 'GOST2012'
 * ```
 */
export function keyAlgorithmOfCertificate(certificate: Uint8Array): KeyAlgorithm {
  return keyAlgorithmOf(parseCertificate(certificate).spki);
}

/**
 * The scheme used when the caller names none: RSA PKCS#1 v1.5 with SHA-256, ECDSA with the
 * curve's hash (SHA-256/384/512), Ed25519, GOST R 34.10-2012 with Streebog of the key's size.
 *
 * @example
 * ```ts
 * defaultScheme({ kind: 'GOST2012', bits: 256, paramSet: '1.2.643.7.1.2.1.1.1' }); // { name: 'GOST3410', hash: 'STREEBOG-256' }
 * ```
 */
export function defaultScheme(key: KeyAlgorithm): SignatureScheme {
  switch (key.kind) {
    case 'other':
      throw new MechanismNotSupportedError({ message: `no signing with ${key.oid} keys` });
    case 'RSA':
      return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    case 'EC':
      return {
        name: 'ECDSA',
        hash: key.namedCurve === 'P-256' ? 'SHA-256' : key.namedCurve === 'P-384' ? 'SHA-384' : 'SHA-512',
      };
    case 'EdDSA':
      return { name: 'EdDSA' };
    case 'GOST2012':
      return { name: 'GOST3410', hash: key.bits === 256 ? 'STREEBOG-256' : 'STREEBOG-512' };
  }
}

/**
 * The @eds/core digest of a scheme's hash name.
 *
 * @example
 * ```ts
 * digestOf('STREEBOG-256').size; // 32
 * ```
 */
export function digestOf(hash: HashAlg): DigestAlgorithm {
  const d = HASHES[hash];
  if (!d) throw new MechanismNotSupportedError({ message: `unknown hash ${String(hash)}` });
  return d;
}

/**
 * The scheme's hash, or undefined for EdDSA (which hashes inside the signature).
 *
 * @example
 * ```ts
 * schemeHash({ name: 'EdDSA' }); // undefined
 * ```
 */
export function schemeHash(scheme: SignatureScheme): HashAlg | undefined {
  return scheme.name === 'EdDSA' ? undefined : scheme.hash;
}

/**
 * The @eds/core signature algorithm that describes a scheme for a key: what a CMS SignerInfo or
 * an XML SignatureMethod names for signatures a token made.
 *
 * @throws {MechanismNotSupportedError} when the scheme does not fit the key (ECDSA with an RSA
 *   key, GOST with the wrong size, RSA-PSS with a salt other than the hash length, SHA-1).
 * @example
 * ```ts
 * signatureAlgorithmFor({ name: 'ECDSA', hash: 'SHA-256' }, { kind: 'EC', namedCurve: 'P-256' }).name; // 'ecdsa-sha256'
 * ```
 */
export function signatureAlgorithmFor(scheme: SignatureScheme, key: KeyAlgorithm): SignatureAlgorithm {
  const found = lookup(scheme, key);
  if (!found) {
    const hash = schemeHash(scheme) ?? '';
    throw new MechanismNotSupportedError({ message: `scheme ${scheme.name} ${hash} does not fit a ${key.kind} key` });
  }
  return found;
}

function lookup(scheme: SignatureScheme, key: KeyAlgorithm): SignatureAlgorithm | undefined {
  const bySha = (a256: SignatureAlgorithm, a384: SignatureAlgorithm, a512: SignatureAlgorithm, hash: HashAlg) =>
    hash === 'SHA-256' ? a256 : hash === 'SHA-384' ? a384 : hash === 'SHA-512' ? a512 : undefined;
  switch (scheme.name) {
    case 'RSASSA-PKCS1-v1_5':
      return key.kind === 'RSA' ? bySha(rsaPkcs1Sha256, rsaPkcs1Sha384, rsaPkcs1Sha512, scheme.hash) : undefined;
    case 'RSA-PSS': {
      if (key.kind !== 'RSA') return undefined;
      const a = bySha(rsaPssSha256, rsaPssSha384, rsaPssSha512, scheme.hash);
      return a && a.digest?.size === scheme.saltLength ? a : undefined;
    }
    case 'ECDSA':
      return key.kind === 'EC' ? bySha(ecdsaSha256, ecdsaSha384, ecdsaSha512, scheme.hash) : undefined;
    case 'EdDSA':
      return key.kind === 'EdDSA' ? ed25519 : undefined;
    case 'GOST3410':
      if (key.kind !== 'GOST2012') return undefined;
      if (key.bits === 256 && scheme.hash === 'STREEBOG-256') return gost2012_256;
      if (key.bits === 512 && scheme.hash === 'STREEBOG-512') return gost2012_512;
      return undefined;
  }
}
