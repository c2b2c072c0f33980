// Internal: GOST R 34.10-2012 (RFC 7091, OIDs and layouts RFC 9215 §3) and GOST R 34.10-2001 verify-only (RFC 5832, RFC 4491) signature descriptors; signatures s‖r big-endian.
import { sign as gostSign, verify as gostVerify } from '@eds/gost/gost3410';
import { getCurve2001, verify2001 } from '@eds/gost/legacy';
import { gostCurveOf, gostPrivateScalar, OID_GOST2001, OID_GOST2012_256, OID_GOST2012_512 } from './_key-material';
import { absentOrNull, checkDigest } from './_webcrypto';
import { der } from './asn1';
import { gostr3411_94, gostr3411_2012_256, gostr3411_2012_512 } from './digests';
import { UnsupportedAlgorithmError } from './errors';
import type { AlgorithmIdentifier, DigestAlgorithm, KeyType, PrivateKey, PublicKey, SignatureAlgorithm } from './types';

/** What one GOST descriptor is. */
interface GostSpec {
  readonly name: string;
  readonly keyType: KeyType;
  /** Key types accepted for verification (2001 keys name the same curves as 2012-256 ones). */
  readonly keyTypes: readonly KeyType[];
  /** The signature OID (signWithDigest), written by identifier(). */
  readonly oid: string;
  /** The public-key OID, which CMS SignerInfos carry as signatureAlgorithm (gost.md §1.1). */
  readonly keyOid: string;
  readonly hash: DigestAlgorithm;
  readonly bits: 256 | 512;
  readonly signs: boolean;
}

const SPECS = {
  gost2012_256: {
    name: 'gost2012-256',
    keyType: 'gost2012-256',
    keyTypes: ['gost2012-256'],
    oid: '1.2.643.7.1.1.3.2',
    keyOid: OID_GOST2012_256,
    hash: gostr3411_2012_256,
    bits: 256,
    signs: true,
  },
  gost2012_512: {
    name: 'gost2012-512',
    keyType: 'gost2012-512',
    keyTypes: ['gost2012-512'],
    oid: '1.2.643.7.1.1.3.3',
    keyOid: OID_GOST2012_512,
    hash: gostr3411_2012_512,
    bits: 512,
    signs: true,
  },
  gost2001: {
    name: 'gost2001',
    keyType: 'gost2001',
    keyTypes: ['gost2001', 'gost2012-256'],
    oid: '1.2.643.2.2.3',
    keyOid: OID_GOST2001,
    hash: gostr3411_94,
    bits: 256,
    signs: false,
  },
} as const satisfies Record<string, GostSpec>;

function checkKey(s: GostSpec, key: PublicKey): void {
  if (!s.keyTypes.includes(key?.type))
    throw new TypeError(`${s.name} needs a ${s.keyTypes.join(' or ')} key, got ${key?.type}`);
}

/** The curve of the key's parameter set, which must have the descriptor's size. */
function curveOf(s: GostSpec, key: PublicKey | PrivateKey) {
  const curve = gostCurveOf(key);
  if (curve.bits !== s.bits) throw new TypeError(`${s.name} needs a ${s.bits}-bit key, got a ${curve.bits}-bit one`);
  return curve;
}

/** True when the key is on one of the GOST R 34.10-2001 parameter sets (RFC 4357 §10.1), the only ones verify2001 takes. */
function on2001Set(key: PublicKey): boolean {
  try {
    getCurve2001(gostCurveOf(key));
    return true;
  } catch {
    return false;
  }
}

/** Verifies over a digest with @eds/gost; the curve comes from the key's parameter set. */
function verifyDigest(s: GostSpec, key: PublicKey, digest: Uint8Array, sig: Uint8Array): boolean {
  checkKey(s, key);
  checkDigest(s.name, s.hash, digest);
  const curve = curveOf(s, key);
  if (s.signs) return gostVerify(sig, digest, key.raw, curve);
  // A 2012 key on a TC26 set under a 2001 signature: the algorithm does not fit the key.
  if (!on2001Set(key))
    throw new UnsupportedAlgorithmError({ oid: s.oid }, `${s.name} needs a key on a GOST R 34.10-2001 parameter set`);
  return verify2001(sig, digest, key.raw, curve);
}

function signDigest(s: GostSpec, key: PrivateKey, digest: Uint8Array): Uint8Array {
  checkKey(s, key?.publicKey);
  checkDigest(s.name, s.hash, digest);
  const curve = curveOf(s, key);
  return gostSign(digest, gostPrivateScalar(key), curve);
}

/**
 * The signature OID with absent parameters (RFC 9215 §3.2; a NULL is tolerated), or the
 * public-key OID with the CMS digestAlgorithm naming this hash or absent.
 */
function matches(s: GostSpec, ai: AlgorithmIdentifier, key?: PublicKey, digestOid?: string): boolean {
  if (key && (!s.keyTypes.includes(key.type) || (!s.signs && !on2001Set(key)))) return false;
  if (!absentOrNull(ai.params)) return false;
  if (ai.oid === s.oid) return true;
  return ai.oid === s.keyOid && (digestOid === undefined || digestOid === s.hash.oid);
}

function gostAlgorithm(s: GostSpec): SignatureAlgorithm {
  const identifier = der.seq(der.oid(s.oid));
  const alg: SignatureAlgorithm = {
    name: s.name,
    keyType: s.keyType,
    digest: s.hash,
    identifier: () => identifier.slice(),
    matches: (ai, key, digestOid) => matches(s, ai, key, digestOid),
    verify: async (key, data, sig) => verifyDigest(s, key, s.hash.digest(data), sig),
    verifyDigest: async (key, digest, sig) => verifyDigest(s, key, digest, sig),
  };
  if (s.signs) {
    alg.sign = async (key, data) => signDigest(s, key, s.hash.digest(data));
    alg.signDigest = async (key, digest) => signDigest(s, key, digest);
  }
  return Object.freeze(alg);
}

/** GOST R 34.10-2012 with 256-bit keys and Streebog-256. */
export const gost2012_256: SignatureAlgorithm = /* @__PURE__ */ gostAlgorithm(SPECS.gost2012_256);
/** GOST R 34.10-2012 with 512-bit keys and Streebog-512. */
export const gost2012_512: SignatureAlgorithm = /* @__PURE__ */ gostAlgorithm(SPECS.gost2012_512);
/** GOST R 34.10-2001 with GOST R 34.11-94 (CryptoPro parameters), verify only. */
export const gost2001: SignatureAlgorithm = /* @__PURE__ */ gostAlgorithm(SPECS.gost2001);
