// Internal: key material behind PublicKey/PrivateKey (RFC 5958 PKCS#8, RFC 5915, RFC 8017 A.1, RFC 8410, RFC 9215 §4-5).
// Secrets never enter error messages: errors name the structure and the rule broken, not the value.
import { type GostCurve, getCurve } from '@eds/gost/curves';
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { bigIntToBytes, bitLength, bytesToBigInt, copyBytes } from './_bytes';
import { type Der, decodeDer, TAG } from './asn1';
import { DecodeError, UnsupportedAlgorithmError } from './errors';
import type { KeyType, PrivateKey, PublicKey } from './types';

/** Public-key algorithm OIDs (RFC 9215 §3, RFC 4491 §2.3.2, RFC 5480 §2.1.1, RFC 8017 A.1, RFC 4055 §3.1, RFC 8410 §3). */
export const OID_GOST2012_256 = '1.2.643.7.1.1.1.1';
export const OID_GOST2012_512 = '1.2.643.7.1.1.1.2';
export const OID_GOST2001 = '1.2.643.2.2.19';
export const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
export const OID_RSA = '1.2.840.113549.1.1.1';
export const OID_RSA_PSS = '1.2.840.113549.1.1.10';
export const OID_ED25519 = '1.3.101.112';
/** Streebog-256, the digestParamSet of 256-bit keys on the 2001-era parameter sets (RFC 9215 §4.2). */
export const OID_STREEBOG256 = '1.2.643.7.1.1.2.2';

/** The named curves of RFC 5480 §2.1.1.1 the SDK supports, with their sizes. */
export type EcCurveName = 'P-256' | 'P-384' | 'P-521';
export interface EcCurveInfo {
  readonly name: EcCurveName;
  readonly oid: string;
  readonly bits: 256 | 384 | 521;
  /** Bytes of a scalar and of each coordinate. */
  readonly size: 32 | 48 | 66;
  readonly noble: typeof p256;
}

export const EC_CURVES: readonly EcCurveInfo[] = [
  { name: 'P-256', oid: '1.2.840.10045.3.1.7', bits: 256, size: 32, noble: p256 },
  { name: 'P-384', oid: '1.3.132.0.34', bits: 384, size: 48, noble: p384 },
  { name: 'P-521', oid: '1.3.132.0.35', bits: 521, size: 66, noble: p521 },
];

/** The named curve for an OID or WebCrypto name; undefined when not supported. */
export function ecCurveInfo(oidOrName: string | undefined): EcCurveInfo | undefined {
  return EC_CURVES.find((c) => c.oid === oidOrName || c.name === oidOrName);
}

/** A DecodeError about key contents (well-formed DER that is not a valid key). */
export function keyError(why: string, path: string, offset?: number): DecodeError {
  return new DecodeError('ERR_DECODE_KEY', `${path}: ${why}`, offset === undefined ? { path } : { path, offset });
}

/** Little-endian bytes to a bigint. */
export function bytesToBigLE(b: Uint8Array): bigint {
  return bytesToBigInt(copyBytes(b).reverse());
}

/** A bigint below 2^(8·length) as fixed-length little-endian bytes. @throws RangeError when it does not fit. */
export function bigToBytesLE(n: bigint, length: number): Uint8Array {
  return bigIntToBytes(n, length).reverse();
}

/** Largest key DER accepted (a 16384-bit RSA private key is about 9 KiB). */
export const MAX_KEY_DER = 64 * 1024;

/** The parts of a PrivateKeyInfo / OneAsymmetricKey (RFC 5958 §2). */
export interface Pkcs8Parts {
  readonly version: number;
  /** The AlgorithmIdentifier TLV. */
  readonly algorithm: Der;
  readonly algorithmOid: string;
  /** The parameters TLV, when present. */
  readonly params: Der | undefined;
  /** The contents of the privateKey OCTET STRING, with its node for error offsets. */
  readonly privateKey: Der;
  /** The publicKey [1] bits, when present. */
  readonly publicKey: Uint8Array | undefined;
}

/**
 * Reads a PKCS#8 PrivateKeyInfo (RFC 5208 §5) or OneAsymmetricKey (RFC 5958 §2):
 *
 * ```asn1
 * OneAsymmetricKey ::= SEQUENCE {
 *   version                   INTEGER { v1(0), v2(1) },
 *   privateKeyAlgorithm       AlgorithmIdentifier,
 *   privateKey                OCTET STRING,
 *   attributes            [0] IMPLICIT Attributes OPTIONAL,
 *   ...,
 *   [[2: publicKey        [1] IMPLICIT BIT STRING OPTIONAL ]] }
 * ```
 */
export function readPkcs8(pkcs8: Uint8Array): Pkcs8Parts {
  const r = decodeDer(pkcs8, 'PrivateKeyInfo', { maxSize: MAX_KEY_DER }).read();
  const versionNode = r.next(TAG.INTEGER, 'version');
  const version = versionNode.smallInt();
  if (version !== 0 && version !== 1) throw versionNode.error(`unknown version ${version}`);
  const algorithm = r.next(TAG.SEQUENCE, 'privateKeyAlgorithm');
  const ar = algorithm.read();
  const algorithmOid = ar.next(TAG.OID, 'algorithm').oid();
  const params = ar.more ? ar.next(undefined, 'parameters') : undefined;
  ar.end();
  const privateKey = r.next(TAG.OCTET_STRING, 'privateKey');
  r.optional(0xa0, 'attributes');
  const pub = r.optional(0x81, 'publicKey');
  r.end();
  return { version, algorithm, algorithmOid, params, privateKey, publicKey: pub?.bitBytes(0x81) };
}

/** GOST key OIDs and their sizes. */
export function gostKeyType(oid: string): { type: KeyType; bits: 256 | 512 } | undefined {
  if (oid === OID_GOST2012_256) return { type: 'gost2012-256', bits: 256 };
  if (oid === OID_GOST2012_512) return { type: 'gost2012-512', bits: 512 };
  if (oid === OID_GOST2001) return { type: 'gost2001', bits: 256 };
  return undefined;
}

/** Upper bound on the masks of a CryptoPro masked key (real ones carry one or two). */
const MAX_MASKS = 16;

/**
 * Decodes the contents of a GOST PKCS#8 `privateKey` OCTET STRING in any of the forms in use
 * and returns the scalar d reduced into [1, q):
 * - a DER OCTET STRING holding d little-endian (RFC 9215 §5, the canonical form);
 * - d little-endian directly (gost-engine's default output);
 * - CryptoPro's masked blob k‖m1[‖m2…], d = k·m1·m2… mod q, all little-endian;
 * - a DER INTEGER holding d (old OpenSSL);
 * - `MASKED_GOST_KEY ::= SEQUENCE { maskedPrivateKey OCTET STRING, publicKey OCTET STRING }`
 *   (gost-engine), the blob unmasked as above; its publicKey field is not used.
 * As in gost-engine, contents whose length is a multiple of the key length are read as raw or
 * masked bytes before any DER is tried.
 */
export function gostScalarFromContents(node: Der, curve: GostCurve): bigint {
  const bytes = node.value;
  const len = curve.byteLength;
  if (bytes.length > 0 && bytes.length % len === 0) return unmask(bytes, curve, node.path);
  let inner: Der;
  try {
    inner = node.inner(`${node.path}(inner)`);
  } catch (cause) {
    throw new DecodeError('ERR_DECODE_KEY', `${node.path}: not a GOST private key of ${len} bytes in a known form`, {
      path: node.path,
      offset: node.offset,
      cause,
    });
  }
  if (inner.tag === TAG.OCTET_STRING) {
    if (inner.value.length !== len)
      throw keyError(`expected ${len} bytes inside the OCTET STRING`, inner.path, inner.offset);
    return checkScalar(bytesToBigLE(inner.value), curve, inner.path);
  }
  if (inner.tag === TAG.INTEGER) {
    const v = inner.unsigned();
    if (v.length > len) throw keyError('INTEGER private key is too long', inner.path, inner.offset);
    return checkScalar(bytesToBigInt(v), curve, inner.path);
  }
  if (inner.tag === TAG.SEQUENCE) {
    const r = inner.read();
    const masked = r.next(TAG.OCTET_STRING, 'maskedPrivateKey');
    r.next(TAG.OCTET_STRING, 'publicKey');
    r.end();
    if (masked.value.length === 0 || masked.value.length % len) {
      throw keyError(`masked key is not a multiple of ${len} bytes`, masked.path, masked.offset);
    }
    return unmask(masked.value, curve, masked.path);
  }
  throw keyError('unknown GOST private key form', inner.path, inner.offset);
}

function unmask(bytes: Uint8Array, curve: GostCurve, path: string): bigint {
  const len = curve.byteLength;
  const count = bytes.length / len;
  if (count === 1) return checkScalar(bytesToBigLE(bytes), curve, path);
  if (count - 1 > MAX_MASKS) throw keyError(`more than ${MAX_MASKS} masks`, path);
  let d = bytesToBigLE(bytes.subarray(0, len));
  for (let i = 1; i < count; i++) d = (d * bytesToBigLE(bytes.subarray(i * len, (i + 1) * len))) % curve.q;
  return checkScalar(d, curve, path);
}

/**
 * Reduces d modulo q. Keys of `byteLength` bytes may exceed q on the sets whose q is well below
 * 2^bits (the RFC 9215 tc26-256-A example key does, and gost-engine accepts it); d·G only
 * depends on d mod q. A multiple of q is no key.
 */
function checkScalar(d: bigint, curve: GostCurve, path: string): bigint {
  const r = d % curve.q;
  if (r === 0n) throw keyError(`private key is 0 modulo q for ${curve.name}`, path);
  return r;
}

/**
 * The GOST parameter set of a GOST key.
 *
 * @throws TypeError for a key that is not GOST; UnsupportedAlgorithmError for an unknown set.
 */
export function gostCurveOf(key: PublicKey | PrivateKey): GostCurve {
  const pub = 'publicKey' in key ? key.publicKey : key;
  expectType(pub, 'gost2012-256', 'gost2012-512', 'gost2001');
  if (!pub.curveOid) throw new TypeError('GOST key without a parameter set');
  try {
    return getCurve(pub.curveOid);
  } catch {
    throw new UnsupportedAlgorithmError({ oid: pub.curveOid }, `unknown GOST parameter set ${pub.curveOid}`);
  }
}

function expectType(key: { type: KeyType }, ...types: KeyType[]): void {
  if (!types.includes(key.type)) throw new TypeError(`expected a ${types.join(' or ')} key, got ${key.type}`);
}

/**
 * The private scalar of a GOST key, little-endian, `curve.byteLength` bytes (the layout of
 * `@eds/gost/gost3410`).
 *
 * @throws TypeError for a non-GOST key; DecodeError for a malformed `pkcs8`.
 */
export function gostPrivateScalar(key: PrivateKey): Uint8Array {
  expectType(key, 'gost2012-256', 'gost2012-512', 'gost2001');
  const curve = gostCurveOf(key);
  const parts = readPkcs8(key.pkcs8);
  return bigToBytesLE(gostScalarFromContents(parts.privateKey, curve), curve.byteLength);
}

/** The named curve of an ECDSA key. @throws TypeError for another key type. */
export function ecCurveName(key: PublicKey | PrivateKey): EcCurveName {
  const pub = 'publicKey' in key ? key.publicKey : key;
  expectType(pub, 'ecdsa');
  const info = ecCurveInfo(pub.curveOid);
  if (!info) throw new UnsupportedAlgorithmError({ oid: pub.curveOid ?? '' }, 'unsupported named curve');
  return info.name;
}

/** The fields of an RFC 5915 ECPrivateKey. */
export interface EcPrivateKeyParts {
  /** d, big-endian, as stored (length checked by the caller). */
  readonly d: Uint8Array;
  readonly node: Der;
  readonly curveOid: string | undefined;
  readonly explicitParams: boolean;
  readonly publicKey: Uint8Array | undefined;
}

/**
 * Reads an ECPrivateKey (RFC 5915 §3):
 *
 * ```asn1
 * ECPrivateKey ::= SEQUENCE {
 *   version        INTEGER { ecPrivkeyVer1(1) },
 *   privateKey     OCTET STRING,
 *   parameters [0] ECParameters {{ NamedCurve }} OPTIONAL,
 *   publicKey  [1] BIT STRING OPTIONAL }
 * ```
 */
export function readEcPrivateKey(root: Der): EcPrivateKeyParts {
  const r = root.read();
  const version = r.next(TAG.INTEGER, 'version');
  if (version.smallInt() !== 1) throw version.error('ECPrivateKey version must be 1');
  const node = r.next(TAG.OCTET_STRING, 'privateKey');
  const params = r.optional(0xa0, 'parameters')?.explicit(0);
  const pub = r.optional(0xa1, 'publicKey')?.explicit(1);
  r.end();
  return {
    d: node.value,
    node,
    curveOid: params?.tag === TAG.OID ? params.oid() : undefined,
    explicitParams: params !== undefined && params.tag !== TAG.OID,
    publicKey: pub?.bitBytes(),
  };
}

/** The private scalar of an ECDSA key, big-endian, the curve's fixed length. @throws TypeError, DecodeError. */
export function ecPrivateScalar(key: PrivateKey): Uint8Array {
  const info = ecCurveInfo(ecCurveName(key)) as EcCurveInfo;
  const parts = readPkcs8(key.pkcs8);
  const ec = readEcPrivateKey(parts.privateKey.inner('ECPrivateKey'));
  if (ec.d.length > info.size) throw keyError(`EC private key longer than ${info.size} bytes`, ec.node.path);
  return bigIntToBytes(bytesToBigInt(ec.d), info.size);
}

/** The 32-byte seed of an Ed25519 key (RFC 8410 §7 CurvePrivateKey). @throws TypeError, DecodeError. */
export function ed25519Seed(key: PrivateKey): Uint8Array {
  expectType(key, 'ed25519');
  const parts = readPkcs8(key.pkcs8);
  return readEd25519Seed(parts.privateKey);
}

/** `CurvePrivateKey ::= OCTET STRING` inside the privateKey OCTET STRING (RFC 8410 §7). */
export function readEd25519Seed(privateKey: Der): Uint8Array {
  const inner = privateKey.inner(`${privateKey.path}.CurvePrivateKey`).expect(TAG.OCTET_STRING);
  if (inner.value.length !== 32) throw keyError('Ed25519 private key must be 32 bytes', inner.path, inner.offset);
  return inner.value;
}

/** RSA moduli the SDK accepts, in bits: the upper bound limits the work of one operation on a hostile key. */
export const MIN_RSA_MODULUS_BITS = 512;
export const MAX_RSA_MODULUS_BITS = 16384;
/**
 * Largest RSA public exponent accepted, in bits. Verification costs one modular multiplication
 * per exponent bit, so an e close to n (which WebCrypto refuses to import, leaving the bigint
 * fallback) makes one verification take seconds; Go's crypto/rsa and BoringSSL also stop at 32 bits.
 */
export const MAX_RSA_EXPONENT_BITS = 32;

/** An RSA public exponent: odd, at least 3, below n, at most {@link MAX_RSA_EXPONENT_BITS} bits. */
function checkRsaExponent(e: bigint, n: bigint, node: Der): bigint {
  if (e < 3n || (e & 1n) === 0n || e >= n)
    throw keyError('RSA public exponent must be odd, at least 3 and below n', node.path, node.offset);
  if (bitLength(e) > MAX_RSA_EXPONENT_BITS)
    throw keyError(`RSA public exponent longer than ${MAX_RSA_EXPONENT_BITS} bits`, node.path, node.offset);
  return e;
}

/** `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }` (RFC 8017 A.1.1), checked. */
export function readRsaPublicKey(der: Uint8Array | Der, path = 'RSAPublicKey'): { n: bigint; e: bigint } {
  const root = der instanceof Uint8Array ? decodeDer(der, path) : der;
  const r = root.read();
  const nNode = r.next(TAG.INTEGER, 'modulus');
  const eNode = r.next(TAG.INTEGER, 'publicExponent');
  r.end();
  const n = checkRsaModulus(nNode);
  return { n, e: checkRsaExponent(bytesToBigInt(eNode.unsigned()), n, eNode) };
}

/** RSA moduli the SDK accepts: 512 to 16384 bits, odd. */
function checkRsaModulus(node: Der): bigint {
  const n = bytesToBigInt(node.unsigned());
  const bits = bitLength(n);
  if (bits < MIN_RSA_MODULUS_BITS || bits > MAX_RSA_MODULUS_BITS) {
    const range = `${MIN_RSA_MODULUS_BITS}..${MAX_RSA_MODULUS_BITS}`;
    throw keyError(`RSA modulus of ${bits} bits is outside ${range}`, node.path, node.offset);
  }
  if ((n & 1n) === 0n) throw keyError('RSA modulus is even', node.path, node.offset);
  return n;
}

/** n and e of an RSA public key. @throws TypeError for another key type. */
export function rsaPublicComponents(key: PublicKey): { n: bigint; e: bigint } {
  expectType(key, 'rsa');
  return readRsaPublicKey(key.raw);
}

/** The CRT form of an RSA private key (RFC 8017 §3.2). */
export interface RsaPrivateComponents {
  n: bigint;
  e: bigint;
  d: bigint;
  p: bigint;
  q: bigint;
  dp: bigint;
  dq: bigint;
  qi: bigint;
}

const RSA_FIELDS = ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] as const;

/**
 * Reads and checks an RSAPrivateKey (RFC 8017 A.1.2), two-prime only:
 *
 * ```asn1
 * RSAPrivateKey ::= SEQUENCE {
 *   version Version, modulus INTEGER, publicExponent INTEGER, privateExponent INTEGER,
 *   prime1 INTEGER, prime2 INTEGER, exponent1 INTEGER, exponent2 INTEGER, coefficient INTEGER,
 *   otherPrimeInfos OtherPrimeInfos OPTIONAL }
 * ```
 * Checks n = p·q, the ranges of d, dp, dq, qi and e (e as for public keys, at most 32 bits); nothing costly.
 */
export function readRsaPrivateKey(root: Der): RsaPrivateComponents {
  const r = root.read();
  const version = r.next(TAG.INTEGER, 'version');
  const v = version.smallInt();
  if (v === 1) throw new UnsupportedAlgorithmError({ oid: OID_RSA }, 'multi-prime RSA private keys are not supported');
  if (v !== 0) throw version.error(`unknown RSAPrivateKey version ${v}`);
  const nNode = r.next(TAG.INTEGER, 'modulus');
  const n = checkRsaModulus(nNode);
  const out: Partial<RsaPrivateComponents> = { n };
  for (const name of RSA_FIELDS.slice(1)) {
    const node = r.next(TAG.INTEGER, name);
    const value = bytesToBigInt(node.unsigned());
    if (value === 0n || value >= n) throw keyError(`${name} out of range`, node.path, node.offset);
    if (name === 'e') checkRsaExponent(value, n, node);
    out[name] = value;
  }
  r.end();
  const k = out as RsaPrivateComponents;
  if (k.p * k.q !== n) throw keyError('modulus is not the product of the primes', root.path, root.offset);
  if (k.dp >= k.p || k.dq >= k.q || k.qi >= k.p) throw keyError('CRT values out of range', root.path, root.offset);
  return k;
}

/** The CRT components of an RSA private key. @throws TypeError for another key type; DecodeError. */
export function rsaPrivateComponents(key: PrivateKey): RsaPrivateComponents {
  expectType(key, 'rsa');
  const parts = readPkcs8(key.pkcs8);
  return readRsaPrivateKey(parts.privateKey.inner('RSAPrivateKey'));
}

/** Checks that 32 bytes are an Ed25519 point encoding (RFC 8032 §5.1.3). */
export function checkEd25519Point(raw: Uint8Array, path: string): void {
  if (raw.length !== 32) throw keyError(`Ed25519 public key must be 32 bytes, got ${raw.length}`, path);
  try {
    ed25519.Point.fromBytes(raw);
  } catch {
    throw keyError('Ed25519 public key is not a point of the curve', path);
  }
}
