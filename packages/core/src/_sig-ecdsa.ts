// Internal: ECDSA signature descriptors (FIPS 186-5 §6.4, RFC 5758 §3.2, RFC 5480) with DER Ecdsa-Sig-Value signatures (RFC 3279 §2.2.3); WebCrypto with a @noble/curves fallback.

import { type EcCurveInfo, ecCurveInfo, ecPrivateScalar, OID_EC_PUBLIC_KEY } from './_key-material';
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
import { decodeDer, der, TAG } from './asn1';
import { UnsupportedAlgorithmError } from './errors';
import type { AlgorithmIdentifier, DigestAlgorithm, PrivateKey, PublicKey, SignatureAlgorithm } from './types';

/**
 * Converts a DER Ecdsa-Sig-Value to IEEE P1363 r‖s, each `size` bytes big-endian.
 *
 * ```asn1
 * Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }
 * ```
 * Strict DER: BER lengths, non-minimal or negative integers and trailing bytes are rejected.
 */
export function derToP1363(sig: Uint8Array, size: number): Uint8Array {
  if (!Number.isInteger(size) || size <= 0 || size > 1024) throw new RangeError(`bad scalar size ${size}`);
  const r = decodeDer(sig, 'Ecdsa-Sig-Value', { maxSize: 4 * size + 16 }).read();
  const out = new Uint8Array(2 * size);
  for (const [i, name] of [
    [0, 'r'],
    [1, 's'],
  ] as const) {
    const node = r.next(TAG.INTEGER, name);
    const v = node.unsigned();
    if (v.length > size) throw node.error(`integer longer than ${size} bytes`);
    out.set(v, (i + 1) * size - v.length);
  }
  r.end();
  return out;
}

/** Converts IEEE P1363 r‖s (two equal halves) to a DER Ecdsa-Sig-Value. */
export function p1363ToDer(sig: Uint8Array): Uint8Array {
  if (!(sig instanceof Uint8Array)) throw new TypeError('expected a Uint8Array');
  if (sig.length === 0 || sig.length % 2)
    throw new RangeError(`P1363 signature of ${sig.length} bytes is not two equal halves`);
  const h = sig.length / 2;
  return der.seq(der.uint(sig.subarray(0, h)), der.uint(sig.subarray(h)));
}

/** What one ECDSA descriptor is. */
interface EcdsaSpec {
  readonly name: string;
  readonly oid: string;
  readonly hash: DigestAlgorithm;
  /** False for verify-only algorithms (ECDSA with SHA-1). */
  readonly signs: boolean;
}

/** The curve of an ECDSA public key; a key of another type is a TypeError, an unknown curve unsupported. */
function curveOf(key: PublicKey): EcCurveInfo {
  if (key?.type !== 'ecdsa') throw new TypeError(`ECDSA needs an ecdsa key, got ${key?.type}`);
  const c = ecCurveInfo(key.curveOid);
  if (!c)
    throw new UnsupportedAlgorithmError(
      { oid: key.curveOid ?? OID_EC_PUBLIC_KEY },
      `unsupported curve ${key.curveOid}`,
    );
  return c;
}

const NOBLE_VERIFY = { prehash: false, lowS: false, format: 'compact' } as const;

/** r‖s from DER, or undefined when the DER is malformed (a bad signature). */
function p1363OrUndefined(sig: Uint8Array, size: number): Uint8Array | undefined {
  try {
    return derToP1363(sig, size);
  } catch {
    return undefined;
  }
}

function nobleVerify(c: EcCurveInfo, key: PublicKey, digest: Uint8Array, rs: Uint8Array): boolean {
  try {
    return c.noble.verify(rs, digest, key.raw, NOBLE_VERIFY);
  } catch {
    return false;
  }
}

async function verifyData(s: EcdsaSpec, source: SubtleSource, key: PublicKey, data: Uint8Array, sig: Uint8Array) {
  const c = curveOf(key);
  const rs = p1363OrUndefined(sig, c.size);
  if (!rs) return false;
  const subtle = source();
  const hashName = subtleHashName(s.hash.name);
  if (subtle && hashName) {
    const ck = await importCached(subtle, key, `ECDSA/${c.name}/verify`, () =>
      subtle.importKey('raw', key.raw as BufferSource, { name: 'ECDSA', namedCurve: c.name }, false, ['verify']),
    );
    if (ck) return subtleVerify(subtle, { name: 'ECDSA', hash: hashName }, ck, rs, data);
  }
  return nobleVerify(c, key, s.hash.digest(data), rs);
}

/** Signs with @noble/curves: hedged RFC 6979 nonce (extra entropy), any-S, DER out. */
function nobleSign(key: PrivateKey, digest: Uint8Array): Uint8Array {
  const c = curveOf(key.publicKey);
  const rs = c.noble.sign(digest, ecPrivateScalar(key), { prehash: false, lowS: false, extraEntropy: true });
  return p1363ToDer(rs);
}

async function signData(s: EcdsaSpec, source: SubtleSource, key: PrivateKey, data: Uint8Array): Promise<Uint8Array> {
  const c = curveOf(key?.publicKey);
  const subtle = source();
  const hashName = subtleHashName(s.hash.name);
  if (subtle && hashName) {
    const ck = await importCached(subtle, key, `ECDSA/${c.name}/sign`, () => {
      const raw = key.publicKey.raw;
      const jwk: JsonWebKey = {
        kty: 'EC',
        crv: c.name,
        x: b64u(raw.subarray(1, 1 + c.size)),
        y: b64u(raw.subarray(1 + c.size)),
        d: b64u(ecPrivateScalar(key)),
      };
      return subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: c.name }, false, ['sign']);
    });
    if (ck)
      return p1363ToDer(new Uint8Array(await subtle.sign({ name: 'ECDSA', hash: hashName }, ck, data as BufferSource)));
  }
  return nobleSign(key, s.hash.digest(data));
}

/**
 * True for `ecdsa-with-SHAx` with absent parameters (RFC 5758 §3.2; a NULL written by old
 * encoders is tolerated), or for id-ecPublicKey with the CMS digestAlgorithm naming the hash.
 */
function matches(s: EcdsaSpec, ai: AlgorithmIdentifier, key?: PublicKey, digestOid?: string): boolean {
  if (key && (key.type !== 'ecdsa' || !ecCurveInfo(key.curveOid))) return false;
  if (ai.oid === s.oid) return absentOrNull(ai.params);
  return ai.oid === OID_EC_PUBLIC_KEY && digestOid === s.hash.oid;
}

/** Builds one ECDSA descriptor on a SubtleCrypto source. */
export function ecdsaAlgorithm(s: EcdsaSpec, source: SubtleSource = platformSubtle): SignatureAlgorithm & Rebuildable {
  const identifier = der.seq(der.oid(s.oid));
  const alg: SignatureAlgorithm & Rebuildable = {
    name: s.name,
    keyType: 'ecdsa',
    digest: s.hash,
    identifier: () => identifier.slice(),
    matches: (ai, key, digestOid) => matches(s, ai, key, digestOid),
    verify: (key, data, sig) => verifyData(s, source, key, data, sig),
    verifyDigest: async (key, digest, sig) => {
      const c = curveOf(key);
      checkDigest(s.name, s.hash, digest);
      const rs = p1363OrUndefined(sig, c.size);
      return rs !== undefined && nobleVerify(c, key, digest, rs);
    },
    [REBUILD]: (src) => ecdsaAlgorithm(s, src),
  };
  if (s.signs) {
    alg.sign = (key, data) => signData(s, source, key, data);
    alg.signDigest = async (key, digest) => {
      checkDigest(s.name, s.hash, digest);
      return nobleSign(key, digest);
    };
  }
  return Object.freeze(alg);
}
