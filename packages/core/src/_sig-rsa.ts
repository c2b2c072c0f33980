// Internal: RSA signature descriptors, RSASSA-PKCS1-v1_5 (RFC 8017 §8.2, OIDs RFC 4055 §5) and RSASSA-PSS (RFC 8017 §8.1, parameters RFC 4055 §3.1); WebCrypto with the bigint fallback of _rsa.ts.

import { bigIntToBytes, bitLength } from './_bytes';
import { OID_RSA, OID_RSA_PSS, rsaPrivateComponents, rsaPublicComponents } from './_key-material';
import { type PssParams, type RsaPrivate, signPkcs1Unsafe, signPssUnsafe, verifyPkcs1, verifyPss } from './_rsa';
import {
  absentOrNull,
  b64u,
  checkDigest,
  importCached,
  platformSubtle,
  REBUILD,
  type Rebuildable,
  type SubtleSource,
  subtleHashName,
  subtleVerify,
} from './_webcrypto';
import { type Der, decodeDer, der, TAG } from './asn1';
import { sha1, sha256, sha384, sha512 } from './digests';
import { DecodeError, UnsupportedAlgorithmError } from './errors';
import type { AlgorithmIdentifier, DigestAlgorithm, PrivateKey, PublicKey, SignatureAlgorithm } from './types';

/** id-mgf1 (RFC 8017 §B.2.1, RFC 4055 §3.1). */
export const OID_MGF1 = '1.2.840.113549.1.1.8';
/** The hashes RSASSA-PSS parameters may name here (RFC 4055 §2.1, without SHA-224). */
const PSS_HASHES: readonly DigestAlgorithm[] = [sha1, sha256, sha384, sha512];
/** Largest salt accepted in parameters: far above any modulus the SDK takes (16384 bits). */
const MAX_SALT = 4096;

/** A hash AlgorithmIdentifier with absent or NULL parameters (RFC 4055 §2.1 accepts both). */
function readHashAlgorithm(node: Der): DigestAlgorithm {
  const r = node.read();
  const oid = r.next(TAG.OID, 'algorithm').oid();
  const params = r.optional(TAG.NULL, 'parameters');
  params?.null();
  r.end();
  const hash = PSS_HASHES.find((h) => h.oid === oid);
  if (!hash) throw new UnsupportedAlgorithmError({ oid }, `unsupported RSASSA-PSS hash ${oid}`);
  return hash;
}

/**
 * Decodes RSASSA-PSS-params (RFC 4055 §3.1), defaults filled in:
 *
 * ```asn1
 * RSASSA-PSS-params ::= SEQUENCE {
 *   hashAlgorithm      [0] HashAlgorithm DEFAULT sha1Identifier,
 *   maskGenAlgorithm   [1] MaskGenAlgorithm DEFAULT mgf1SHA1Identifier,
 *   saltLength         [2] INTEGER DEFAULT 20,
 *   trailerField       [3] INTEGER DEFAULT 1 }
 * ```
 * @throws DecodeError for malformed DER or a trailer field other than 1; UnsupportedAlgorithmError
 *   for a hash or mask generation function this SDK does not have.
 */
export function decodePssParams(params: Uint8Array): PssParams {
  const r = decodeDer(params, 'RSASSA-PSS-params', { maxSize: 1024 }).read();
  const hashNode = r.optional(0xa0, 'hashAlgorithm');
  const hash = hashNode ? readHashAlgorithm(hashNode.explicit(0)) : sha1;
  const mgfNode = r.optional(0xa1, 'maskGenAlgorithm');
  let mgfHash = sha1;
  if (mgfNode) {
    const m = mgfNode.explicit(1).read();
    const oid = m.next(TAG.OID, 'algorithm').oid();
    if (oid !== OID_MGF1) throw new UnsupportedAlgorithmError({ oid }, `unsupported mask generation function ${oid}`);
    mgfHash = readHashAlgorithm(m.next(TAG.SEQUENCE, 'parameters'));
    m.end();
  }
  const saltNode = r.optional(0xa2, 'saltLength')?.explicit(2);
  const saltLength = saltNode ? saltNode.smallInt() : 20;
  if (saltNode && (saltLength < 0 || saltLength > MAX_SALT))
    throw saltNode.error(`salt length ${saltLength} out of range`);
  const trailer = r.optional(0xa3, 'trailerField')?.explicit(3);
  if (trailer && trailer.smallInt() !== 1) throw trailer.error('trailer field must be 1 (trailerFieldBC)');
  r.end();
  return { hash, mgfHash, saltLength };
}

/** A hash AlgorithmIdentifier as RFC 4055 §2.1 writes it: `{ id-shaX, NULL }`. */
const hashIdentifier = (h: DigestAlgorithm) => der.seq(der.oid(h.oid), der.null());

/** Encodes RSASSA-PSS-params (RFC 4055 §3.1), defaults omitted as DER requires; trailer field 1. */
export function encodePssParams(p: PssParams): Uint8Array {
  const parts: Uint8Array[] = [];
  if (p.hash !== sha1) parts.push(der.explicit(0, hashIdentifier(p.hash)));
  if (p.mgfHash !== sha1) parts.push(der.explicit(1, der.seq(der.oid(OID_MGF1), hashIdentifier(p.mgfHash))));
  if (p.saltLength !== 20) parts.push(der.explicit(2, der.int(p.saltLength)));
  return der.seq(...parts);
}

/** The AlgorithmIdentifier of the key's SPKI, or undefined when it cannot be read. */
function spkiAlgorithm(key: PublicKey): AlgorithmIdentifier | undefined {
  try {
    const r = decodeDer(key.spki, 'SubjectPublicKeyInfo').read();
    const a = r.next(TAG.SEQUENCE, 'algorithm').read();
    const oid = a.next(TAG.OID, 'algorithm').oid();
    return { oid, params: a.more ? a.next(undefined, 'parameters').bytes : undefined };
  } catch {
    return undefined;
  }
}

/**
 * True when the key may be used with these PSS parameters: an rsaEncryption key always; an
 * id-RSASSA-PSS key with parameters only with the same hashes and at least its salt length
 * (RFC 4055 §3.3).
 */
function pssKeyAllows(key: PublicKey, p: PssParams): boolean {
  const a = spkiAlgorithm(key);
  if (!a || a.oid !== OID_RSA_PSS || a.params === undefined) return true;
  try {
    const k = decodePssParams(a.params);
    return k.hash === p.hash && k.mgfHash === p.mgfHash && p.saltLength >= k.saltLength;
  } catch {
    return false;
  }
}

function checkKey(key: PublicKey, name: string): void {
  if (key?.type !== 'rsa') throw new TypeError(`${name} needs an rsa key, got ${key?.type}`);
}

/** Byte length of the modulus; signatures of any other length are invalid (RFC 8017 §8.1.2, §8.2.2 step 1). */
const modulusBytes = (key: PublicKey) => Math.ceil(bitLength(rsaPublicComponents(key).n) / 8);

function publicJwk(key: PublicKey): JsonWebKey {
  const { n, e } = rsaPublicComponents(key);
  return { kty: 'RSA', n: b64u(bigIntToBytes(n)), e: b64u(bigIntToBytes(e)) };
}

function privateJwk(key: PrivateKey): JsonWebKey {
  const k = rsaPrivateComponents(key);
  const f = (v: bigint) => b64u(bigIntToBytes(v));
  return { kty: 'RSA', n: f(k.n), e: f(k.e), d: f(k.d), p: f(k.p), q: f(k.q), dp: f(k.dp), dq: f(k.dq), qi: f(k.qi) };
}

/** Imports a key into WebCrypto for `scheme` (RSASSA-PKCS1-v1_5 or RSA-PSS) with `hash`, cached. */
function subtleKey(subtle: SubtleCrypto, key: PublicKey | PrivateKey, scheme: string, hash: string) {
  const isPrivate = 'pkcs8' in key;
  return importCached(subtle, key, `${scheme}/${hash}/${isPrivate ? 'sign' : 'verify'}`, () =>
    subtle.importKey('jwk', isPrivate ? privateJwk(key) : publicJwk(key), { name: scheme, hash }, false, [
      isPrivate ? 'sign' : 'verify',
    ]),
  );
}

/** What one RSA descriptor is. */
interface RsaSpec {
  readonly name: string;
  readonly hash: DigestAlgorithm;
  readonly signs: boolean;
  /** The sha*WithRSAEncryption OID (PKCS#1 v1.5 only). */
  readonly oid?: string;
}

/** RSASSA-PKCS1-v1_5 with one hash, on a SubtleCrypto source; `signDigest` is variable-time (bigint). */
export function rsaPkcs1Algorithm(s: RsaSpec, source: SubtleSource = platformSubtle): SignatureAlgorithm & Rebuildable {
  const { hash, name } = s;
  const oid = s.oid as string;
  const identifier = der.seq(der.oid(oid), der.null());
  const hashName = subtleHashName(hash.name);
  const scheme = 'RSASSA-PKCS1-v1_5';
  const alg: SignatureAlgorithm & Rebuildable = {
    name,
    keyType: 'rsa',
    digest: hash,
    identifier: () => identifier.slice(),
    matches: (ai, key, digestOid) => {
      if (key && (key.type !== 'rsa' || spkiAlgorithm(key)?.oid === OID_RSA_PSS)) return false;
      if (!absentOrNull(ai.params)) return false;
      return ai.oid === oid || (ai.oid === OID_RSA && digestOid === hash.oid);
    },
    verify: async (key, data, sig) => {
      checkKey(key, name);
      if (sig.length !== modulusBytes(key)) return false;
      const subtle = source();
      const ck = subtle && hashName ? await subtleKey(subtle, key, scheme, hashName) : undefined;
      if (subtle && ck) return subtleVerify(subtle, { name: scheme }, ck, sig, data);
      return verifyPkcs1(rsaPublicComponents(key), hash, hash.digest(data), sig);
    },
    verifyDigest: async (key, digest, sig) => {
      checkKey(key, name);
      checkDigest(name, hash, digest);
      return verifyPkcs1(rsaPublicComponents(key), hash, digest, sig);
    },
    [REBUILD]: (src) => rsaPkcs1Algorithm(s, src),
  };
  if (s.signs) {
    alg.sign = async (key, data) => {
      checkKey(key?.publicKey, name);
      const subtle = source();
      const ck = subtle && hashName ? await subtleKey(subtle, key, scheme, hashName) : undefined;
      if (subtle && ck) return new Uint8Array(await subtle.sign({ name: scheme }, ck, data as BufferSource));
      return signPkcs1Unsafe(rsaPrivateComponents(key) as RsaPrivate, hash, hash.digest(data));
    };
    // Variable-time bigint RSA even with WebCrypto, which only signs whole messages (documented
    // on the descriptors and on Signer.signDigest).
    alg.signDigest = async (key, digest) => {
      checkKey(key?.publicKey, name);
      checkDigest(name, hash, digest);
      return signPkcs1Unsafe(rsaPrivateComponents(key) as RsaPrivate, hash, digest);
    };
  }
  return Object.freeze(alg);
}

/** A PSS descriptor, which can be bound to the parameters of an AlgorithmIdentifier. */
export interface PssAlgorithm extends SignatureAlgorithm, Rebuildable {
  /** The parameters this descriptor signs and verifies with. */
  readonly params: PssParams;
  /**
   * The same algorithm bound to the RSASSA-PSS-params of `algorithm` (its MGF1 hash and salt
   * length); the message hash must be this descriptor's.
   * @throws UnsupportedAlgorithmError when the parameters name another hash or an unknown one;
   *   DecodeError when they are malformed or absent.
   */
  withParams(algorithm: AlgorithmIdentifier): PssAlgorithm;
}

function paramsOf(ai: AlgorithmIdentifier): PssParams {
  if (ai.oid !== OID_RSA_PSS) throw new UnsupportedAlgorithmError({ oid: ai.oid }, `${ai.oid} is not id-RSASSA-PSS`);
  // RFC 4055 §3.1: the parameters MUST be present in the AlgorithmIdentifier of a signature.
  if (ai.params === undefined)
    throw new DecodeError('ERR_DECODE_DER', 'id-RSASSA-PSS signature algorithm without parameters');
  return decodePssParams(ai.params);
}

/** RSASSA-PSS with one message hash and `params`, on a SubtleCrypto source; `signDigest` is variable-time (bigint). */
export function rsaPssAlgorithm(s: RsaSpec, params?: PssParams, source: SubtleSource = platformSubtle): PssAlgorithm {
  const { hash, name } = s;
  const p: PssParams = params ?? { hash, mgfHash: hash, saltLength: hash.size };
  const identifier = der.seq(der.oid(OID_RSA_PSS), encodePssParams(p));
  // WebCrypto's RSA-PSS ties the MGF1 hash to the message hash.
  const hashName = p.mgfHash === p.hash ? subtleHashName(hash.name) : undefined;
  const alg: PssAlgorithm = {
    name,
    keyType: 'rsa',
    digest: hash,
    params: p,
    identifier: () => identifier.slice(),
    matches: (ai, key) => {
      if (key && key.type !== 'rsa') return false;
      try {
        const q = paramsOf(ai);
        return q.hash === hash && (!key || pssKeyAllows(key, q));
      } catch {
        return false;
      }
    },
    withParams: (ai) => {
      const q = paramsOf(ai);
      if (q.hash !== hash)
        throw new UnsupportedAlgorithmError({ oid: q.hash.oid }, `${name} cannot verify with ${q.hash.name}`);
      return rsaPssAlgorithm(s, q, source);
    },
    verify: async (key, data, sig) => {
      checkKey(key, name);
      if (sig.length !== modulusBytes(key)) return false;
      const subtle = source();
      const ck = subtle && hashName ? await subtleKey(subtle, key, 'RSA-PSS', hashName) : undefined;
      if (subtle && ck) return subtleVerify(subtle, { name: 'RSA-PSS', saltLength: p.saltLength }, ck, sig, data);
      return verifyPss(rsaPublicComponents(key), p, hash.digest(data), sig);
    },
    verifyDigest: async (key, digest, sig) => {
      checkKey(key, name);
      checkDigest(name, hash, digest);
      return verifyPss(rsaPublicComponents(key), p, digest, sig);
    },
    [REBUILD]: (src) => rsaPssAlgorithm(s, p, src),
  };
  if (s.signs) {
    alg.sign = async (key, data) => {
      checkKey(key?.publicKey, name);
      const subtle = source();
      const ck = subtle && hashName ? await subtleKey(subtle, key, 'RSA-PSS', hashName) : undefined;
      if (subtle && ck) {
        return new Uint8Array(
          await subtle.sign({ name: 'RSA-PSS', saltLength: p.saltLength }, ck, data as BufferSource),
        );
      }
      return signPssUnsafe(rsaPrivateComponents(key), p, hash.digest(data));
    };
    // Variable-time, as for PKCS#1 v1.5 above.
    alg.signDigest = async (key, digest) => {
      checkKey(key?.publicKey, name);
      checkDigest(name, hash, digest);
      return signPssUnsafe(rsaPrivateComponents(key), p, digest);
    };
  }
  return Object.freeze(alg);
}
