// Public and private keys: SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) and PKCS#8 (RFC 5208, RFC 5958) for GOST (RFC 9215 §4-5, RFC 4491), ECDSA (RFC 5480, RFC 5915), RSA (RFC 8017, RFC 4055) and Ed25519 (RFC 8410).
import { type GostCurve, getCurve } from '@eds/gost/curves';
import { getPublicKey as gostPublicKey, publicPoint } from '@eds/gost/gost3410';
import { ed25519 } from '@noble/curves/ed25519.js';
import { bigIntToBytes, bitLength, bytesToBigInt, equalBytes } from './_bytes';
import {
  bigToBytesLE,
  checkEd25519Point,
  type EcCurveInfo,
  ecCurveInfo,
  gostCurveOf,
  gostKeyType,
  gostScalarFromContents,
  keyError,
  MAX_KEY_DER,
  OID_EC_PUBLIC_KEY,
  OID_ED25519,
  OID_RSA,
  OID_RSA_PSS,
  type Pkcs8Parts,
  readEcPrivateKey,
  readEd25519Seed,
  readPkcs8,
  readRsaPrivateKey,
  readRsaPublicKey,
} from './_key-material';
import { generatePkcs8, gostAlgorithm, gostSpecCurve, pkcs8Of, type RandomSource } from './_keygen';
import { type Der, type DerReader, decodeDer, der, TAG } from './asn1';
import { decodePem, detectEncoding, encodePem, toDer } from './encoding';
import { DecodeError, UnsupportedAlgorithmError } from './errors';
import type { KeyType, PrivateKey, PublicKey } from './types';

/**
 * What {@link generateKeyPair} makes and {@link publicKeyFromRaw} wraps. `paramSet` is a GOST
 * parameter-set name or OID as `@eds/gost/curves` `getCurve` accepts (default CryptoPro-A
 * 1.2.643.2.2.35.1 for 256-bit keys, tc26-512-A 1.2.643.7.1.2.1.2.1 for 512-bit keys).
 */
export type KeySpec =
  | { type: 'gost2012-256'; paramSet?: string }
  | { type: 'gost2012-512'; paramSet?: string }
  | { type: 'ecdsa'; curve: 'P-256' | 'P-384' | 'P-521' }
  | { type: 'rsa'; bits: 2048 | 3072 | 4096; publicExponent?: 65537 }
  | { type: 'ed25519' };

/** Ed25519 keys report the size of their field, GF(2^255 - 19). */
const ED25519_BITS = 255;
/** Certificates may carry large extensions; keys alone stay under {@link MAX_KEY_DER}. */
const MAX_CERT_DER = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// SubjectPublicKeyInfo

/**
 * Decodes a SubjectPublicKeyInfo and checks the key: GOST R 34.10-2012 (256/512) and 2001
 * points on their curve and in the prime-order subgroup, ECDSA named-curve points (P-256,
 * P-384, P-521), RSA moduli and exponents (rsaEncryption and id-RSASSA-PSS), Ed25519 points.
 *
 * ```asn1
 * SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
 * GostR3410-2012-PublicKeyParameters ::= SEQUENCE {
 *   publicKeyParamSet OBJECT IDENTIFIER, digestParamSet OBJECT IDENTIFIER OPTIONAL,
 *   encryptionParamSet OBJECT IDENTIFIER OPTIONAL }   -- RFC 9215 §4.2, RFC 4491 §2.3.2
 * GostR3410-2012-PublicKey ::= OCTET STRING           -- X‖Y, each little-endian (RFC 9215 §4.3)
 * ECParameters ::= CHOICE { namedCurve OBJECT IDENTIFIER }             -- RFC 5480 §2.1.1
 * RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } -- RFC 8017 A.1.1
 * ```
 *
 * Standard: RFC 5280 §4.1.2.7; RFC 9215 §4; RFC 5480 §2; RFC 8017 A.1.1, RFC 4055 §1.2; RFC 8410 §4.
 *
 * @throws DecodeError `ERR_DECODE_DER` for malformed DER and `ERR_DECODE_KEY` for an invalid
 *   key (wrong length, point off the curve, bad parameters), both with the path.
 * @throws UnsupportedAlgorithmError for an unknown algorithm, curve or parameter set, or explicit
 *   EC curve parameters.
 * @example
 * ```ts
 * const key = parsePublicKey(spkiDer);
 * key.type; // 'gost2012-256'
 * ```
 */
export function parsePublicKey(spki: Uint8Array): PublicKey {
  const copy = Uint8Array.from(spki);
  const r = decodeDer(copy, 'SubjectPublicKeyInfo', { maxSize: MAX_KEY_DER }).read();
  const { oid, params } = readAlgorithm(r.next(TAG.SEQUENCE, 'algorithm'));
  const bits = r.next(TAG.BIT_STRING, 'subjectPublicKey');
  r.end();
  return publicKeyOf(oid, params, bits, copy);
}

function readAlgorithm(node: Der): { oid: string; params: Der | undefined } {
  const r = node.read();
  const oid = r.next(TAG.OID, 'algorithm').oid();
  const params = r.more ? r.next(undefined, 'parameters') : undefined;
  r.end();
  return { oid, params };
}

function publicKeyOf(oid: string, params: Der | undefined, bits: Der, spki: Uint8Array): PublicKey {
  const gost = gostKeyType(oid);
  if (gost) {
    const p = readGostParams(params, gost.bits, bits.path);
    const raw = bits.inner(`${bits.path}.GostR3410-PublicKey`).expect(TAG.OCTET_STRING).value;
    checkGostPoint(raw, p.curve, bits.path);
    return freeze({
      type: gost.type,
      spki,
      raw,
      curveOid: p.curveOid,
      digestParamOid: p.digestParamOid,
      bits: gost.bits,
    });
  }
  if (oid === OID_EC_PUBLIC_KEY) {
    const info = readEcParams(params, bits.path);
    const raw = ecPoint(info, bits.bitBytes(), bits.path);
    return freeze({ type: 'ecdsa', spki, raw, curveOid: info.oid, bits: info.bits });
  }
  if (oid === OID_RSA || oid === OID_RSA_PSS) {
    checkRsaParams(oid, params);
    const raw = bits.bitBytes();
    const { n } = readRsaPublicKey(bits.inner(`${bits.path}.RSAPublicKey`));
    return freeze({ type: 'rsa', spki, raw, bits: bitLength(n) });
  }
  if (oid === OID_ED25519) {
    if (params)
      throw keyError('Ed25519 AlgorithmIdentifier must have no parameters (RFC 8410 §3)', params.path, params.offset);
    const raw = bits.bitBytes();
    checkEd25519Point(raw, bits.path);
    return freeze({ type: 'ed25519', spki, raw, bits: ED25519_BITS });
  }
  throw new UnsupportedAlgorithmError({ oid }, `unsupported public-key algorithm ${oid}`);
}

function freeze(key: PublicKey): PublicKey {
  return Object.freeze({ ...key });
}

interface GostParams {
  curve: GostCurve;
  curveOid: string;
  digestParamOid: string | undefined;
}

function readGostParams(params: Der | undefined, bits: 256 | 512, path: string): GostParams {
  if (!params || params.tag !== TAG.SEQUENCE) throw keyError('GOST key parameters must be a SEQUENCE', path);
  const r = params.read();
  const curveOid = r.next(TAG.OID, 'publicKeyParamSet').oid();
  const digestParamOid = r.optional(TAG.OID, 'digestParamSet')?.oid();
  r.optional(TAG.OID, 'encryptionParamSet');
  r.end();
  let curve: GostCurve;
  try {
    curve = getCurve(curveOid);
  } catch {
    throw new UnsupportedAlgorithmError({ oid: curveOid }, `unknown GOST parameter set ${curveOid}`);
  }
  if (curve.bits !== bits)
    throw keyError(`parameter set ${curve.name} is not a ${bits}-bit set`, params.path, params.offset);
  return { curve, curveOid, digestParamOid };
}

function checkGostPoint(raw: Uint8Array, curve: GostCurve, path: string): void {
  if (raw.length !== 2 * curve.byteLength) {
    throw keyError(`GOST public key must be ${2 * curve.byteLength} bytes for ${curve.name}, got ${raw.length}`, path);
  }
  try {
    publicPoint(raw, curve);
  } catch (cause) {
    throw new DecodeError('ERR_DECODE_KEY', `${path}: not a valid point of ${curve.name}`, { path, cause });
  }
}

function readEcParams(params: Der | undefined, path: string): EcCurveInfo {
  if (!params) throw keyError('id-ecPublicKey needs ECParameters (RFC 5480 §2.1.1)', path);
  if (params.tag !== TAG.OID) {
    const what = params.tag === TAG.SEQUENCE ? 'explicit curve parameters' : 'implicitlyCA curve parameters';
    throw new UnsupportedAlgorithmError({ oid: OID_EC_PUBLIC_KEY }, `${what} are not supported; use a named curve`);
  }
  return namedCurve(params.oid());
}

function namedCurve(oid: string): EcCurveInfo {
  const info = ecCurveInfo(oid);
  if (!info) throw new UnsupportedAlgorithmError({ oid }, `unsupported elliptic curve ${oid}`);
  return info;
}

/** Decodes an EC point (uncompressed or compressed) and returns it uncompressed. */
function ecPoint(info: EcCurveInfo, bytes: Uint8Array, path: string): Uint8Array {
  try {
    const point = info.noble.Point.fromBytes(bytes);
    point.assertValidity();
    return point.toBytes(false);
  } catch {
    throw keyError(`not a valid point of ${info.name}`, path);
  }
}

function checkRsaParams(oid: string, params: Der | undefined): void {
  if (!params) return;
  if (oid === OID_RSA) params.null();
  else params.expect(TAG.SEQUENCE); // RSASSA-PSS-params restrict the key's use; kept in `spki`.
}

// ---------------------------------------------------------------------------------------------
// PKCS#8

/**
 * Decodes a PKCS#8 PrivateKeyInfo / OneAsymmetricKey (version 0 or 1; attributes ignored; an
 * included publicKey is checked against the private key), derives the public key, and
 * re-encodes the key in the SDK's canonical form:
 * - GOST: privateKey = OCTET STRING(d little-endian) inside the PKCS#8 OCTET STRING
 *   (RFC 9215 §5), algorithm parameters as given. Accepted on input besides: raw d, CryptoPro
 *   masked blobs k‖m1[‖m2…], an INTEGER, gost-engine's MASKED_GOST_KEY.
 * - ECDSA: ECPrivateKey (RFC 5915) with the public key and without [0] parameters; the named
 *   curve in the algorithm parameters (from either place on input).
 * - RSA: RSAPrivateKey (RFC 8017 A.1.2, two primes) as given; rsaEncryption with NULL, or
 *   id-RSASSA-PSS with its parameters as given.
 * - Ed25519: CurvePrivateKey (RFC 8410 §7), version 0, no public key.
 *
 * ```asn1
 * OneAsymmetricKey ::= SEQUENCE { version INTEGER, privateKeyAlgorithm AlgorithmIdentifier,
 *   privateKey OCTET STRING, attributes [0] IMPLICIT Attributes OPTIONAL,
 *   publicKey [1] IMPLICIT BIT STRING OPTIONAL }
 * ```
 *
 * Standard: RFC 5208 §5, RFC 5958 §2; RFC 9215 §5; RFC 5915 §3; RFC 8017 A.1.2; RFC 8410 §7.
 *
 * @throws DecodeError `ERR_DECODE_DER` / `ERR_DECODE_KEY` with the path (no secret is quoted).
 * @throws UnsupportedAlgorithmError for an unknown algorithm, curve or parameter set.
 * @example
 * ```ts
 * const key = parsePrivateKey(pkcs8Der);
 * key.publicKey.raw; // derived public key
 * ```
 */
export function parsePrivateKey(pkcs8: Uint8Array): PrivateKey {
  const parts = readPkcs8(pkcs8);
  const oid = parts.algorithmOid;
  const gost = gostKeyType(oid);
  if (gost) return gostPrivateKey(parts, gost.type, gost.bits);
  if (oid === OID_EC_PUBLIC_KEY) return ecPrivateKey(parts);
  if (oid === OID_RSA || oid === OID_RSA_PSS) return rsaPrivateKey(parts);
  if (oid === OID_ED25519) return ed25519PrivateKey(parts);
  throw new UnsupportedAlgorithmError({ oid }, `unsupported private-key algorithm ${oid}`);
}

function makePrivate(type: KeyType, publicKey: PublicKey, pkcs8: Uint8Array): PrivateKey {
  return Object.freeze({ type, publicKey, pkcs8 });
}

function spkiOf(algorithm: Uint8Array, key: Uint8Array): Uint8Array {
  return der.seq(algorithm, der.bits(key));
}

/** Throws unless the optional publicKey [1] of the PKCS#8 equals `expected` (in any form `same` accepts). */
function checkIncluded(parts: Pkcs8Parts, same: (bits: Uint8Array) => boolean): void {
  if (parts.publicKey && !same(parts.publicKey)) {
    throw keyError('publicKey does not match the private key', 'PrivateKeyInfo.publicKey');
  }
}

function gostPrivateKey(parts: Pkcs8Parts, type: KeyType, bits: 256 | 512): PrivateKey {
  const p = readGostParams(parts.params, bits, parts.algorithm.path);
  const d = bigToBytesLE(gostScalarFromContents(parts.privateKey, p.curve), p.curve.byteLength);
  const raw = gostPublicKey(d, p.curve);
  const spkiKey = der.octets(raw);
  checkIncluded(parts, (b) => equalBytes(b, spkiKey) || equalBytes(b, raw));
  const algorithm = parts.algorithm.bytes;
  const spki = spkiOf(algorithm, spkiKey);
  const publicKey = freeze({ type, spki, raw, curveOid: p.curveOid, digestParamOid: p.digestParamOid, bits });
  return makePrivate(type, publicKey, pkcs8Of(algorithm, der.octets(d)));
}

function ecPrivateKey(parts: Pkcs8Parts): PrivateKey {
  const ec = readEcPrivateKey(parts.privateKey.inner('ECPrivateKey'));
  if (ec.explicitParams)
    throw new UnsupportedAlgorithmError({ oid: OID_EC_PUBLIC_KEY }, 'explicit curve parameters are not supported');
  const outer = parts.params ? readEcParams(parts.params, parts.algorithm.path) : undefined;
  const inner = ec.curveOid ? namedCurve(ec.curveOid) : undefined;
  if (outer && inner && outer !== inner) throw keyError('the two curve parameters differ', 'ECPrivateKey.parameters');
  const info = outer ?? inner;
  if (!info) throw keyError('no named curve in the algorithm or the ECPrivateKey', parts.algorithm.path);
  return ecKeyFromScalar(info, ec.d, ec.node.path, (pub) => {
    for (const included of [ec.publicKey, parts.publicKey]) {
      if (included && !equalBytes(ecPoint(info, included, 'ECPrivateKey.publicKey'), pub)) {
        throw keyError('publicKey does not match the private key', 'ECPrivateKey.publicKey');
      }
    }
  });
}

function ecKeyFromScalar(
  info: EcCurveInfo,
  dBytes: Uint8Array,
  path: string,
  check?: (pub: Uint8Array) => void,
): PrivateKey {
  if (dBytes.length > info.size) throw keyError(`EC private key longer than ${info.size} bytes`, path);
  const d = bigIntToBytes(bytesToBigInt(dBytes), info.size);
  if (!info.noble.utils.isValidSecretKey(d)) throw keyError(`EC private key is not in [1, n) for ${info.name}`, path);
  const pub = info.noble.getPublicKey(d, false);
  check?.(pub);
  const algorithm = der.seq(der.oid(OID_EC_PUBLIC_KEY), der.oid(info.oid));
  const ecKey = der.seq(der.int(1), der.octets(d), der.explicit(1, der.bits(pub)));
  const publicKey = freeze({
    type: 'ecdsa',
    spki: spkiOf(algorithm, pub),
    raw: pub,
    curveOid: info.oid,
    bits: info.bits,
  });
  return makePrivate('ecdsa', publicKey, pkcs8Of(algorithm, ecKey));
}

function rsaPrivateKey(parts: Pkcs8Parts): PrivateKey {
  checkRsaParams(parts.algorithmOid, parts.params);
  const k = readRsaPrivateKey(parts.privateKey.inner('RSAPrivateKey'));
  const raw = der.seq(der.int(k.n), der.int(k.e));
  checkIncluded(parts, (b) => equalBytes(b, raw));
  const algorithm = parts.algorithmOid === OID_RSA ? der.seq(der.oid(OID_RSA), der.null()) : parts.algorithm.bytes;
  const publicKey = freeze({ type: 'rsa', spki: spkiOf(algorithm, raw), raw, bits: bitLength(k.n) });
  return makePrivate('rsa', publicKey, pkcs8Of(algorithm, parts.privateKey.value));
}

function ed25519PrivateKey(parts: Pkcs8Parts): PrivateKey {
  if (parts.params) {
    throw keyError(
      'Ed25519 AlgorithmIdentifier must have no parameters (RFC 8410 §3)',
      parts.params.path,
      parts.params.offset,
    );
  }
  return ed25519FromSeed(readEd25519Seed(parts.privateKey), (pub) => checkIncluded(parts, (b) => equalBytes(b, pub)));
}

function ed25519FromSeed(seed: Uint8Array, check?: (pub: Uint8Array) => void): PrivateKey {
  const raw = ed25519.getPublicKey(seed);
  check?.(raw);
  const algorithm = der.seq(der.oid(OID_ED25519));
  const publicKey = freeze({ type: 'ed25519', spki: spkiOf(algorithm, raw), raw, bits: ED25519_BITS });
  return makePrivate('ed25519', publicKey, pkcs8Of(algorithm, der.octets(seed)));
}

// ---------------------------------------------------------------------------------------------
// Building keys

/**
 * Wraps a raw public key in a canonical SubjectPublicKeyInfo and checks it: GOST X‖Y
 * little-endian (64/128 bytes), ECDSA the point 04‖X‖Y (compressed accepted), RSA the DER
 * RSAPublicKey, Ed25519 the 32 bytes.
 *
 * Standard: RFC 9215 §4 (GOST parameters as in {@link generateKeyPair}), RFC 5480 §2, RFC 8017
 * A.1.1, RFC 8410 §4.
 *
 * @throws DecodeError `ERR_DECODE_KEY` for a key that is not valid for the spec.
 * @throws UnsupportedAlgorithmError for an unknown GOST parameter set.
 * @example
 * ```ts
 * const key = publicKeyFromRaw({ type: 'gost2012-256', paramSet: 'cryptopro-a' }, xyLittleEndian);
 * ```
 */
export function publicKeyFromRaw(spec: KeySpec, raw: Uint8Array): PublicKey {
  switch (spec.type) {
    case 'gost2012-256':
    case 'gost2012-512': {
      const { oid } = gostSpecCurve(spec);
      return parsePublicKey(spkiOf(gostAlgorithm(spec.type, oid), der.octets(raw)));
    }
    case 'ecdsa': {
      const info = ecCurveInfo(spec.curve);
      if (!info) throw new RangeError(`unknown curve ${spec.curve}`);
      return parsePublicKey(spkiOf(der.seq(der.oid(OID_EC_PUBLIC_KEY), der.oid(info.oid)), raw));
    }
    case 'rsa':
      return parsePublicKey(spkiOf(der.seq(der.oid(OID_RSA), der.null()), raw));
    case 'ed25519':
      return parsePublicKey(spkiOf(der.seq(der.oid(OID_ED25519)), raw));
    default:
      throw new TypeError(`unknown key type ${(spec as { type: string }).type}`);
  }
}

/**
 * Generates a key pair. GOST keys are made here (`@eds/gost`); ECDSA and Ed25519 keys by
 * WebCrypto when the runtime has it (falling back to `@noble/curves`), or by `@noble/curves`
 * from `options.random` when that is given; RSA keys only by WebCrypto (`options.random` is not
 * used for RSA).
 *
 * Standard: GOST R 34.10-2012 §6.1 (0 < d < q); FIPS 186-5 A.2.1; RFC 8032 §5.1.5.
 *
 * @throws UnsupportedAlgorithmError for GOST R 34.10-2001 (verify-only), an unknown GOST
 *   parameter set, or RSA without WebCrypto.
 * @throws RangeError for a parameter set of the other key size, or unsupported RSA sizes.
 * @example
 * ```ts
 * const key = await generateKeyPair({ type: 'gost2012-256', paramSet: 'tc26-256-a' });
 * ```
 */
export async function generateKeyPair(spec: KeySpec, options: { random?: RandomSource } = {}): Promise<PrivateKey> {
  return parsePrivateKey(await generatePkcs8(spec, options.random));
}

// ---------------------------------------------------------------------------------------------
// Import and export

/** Reads DER, bare Base64 or PEM; for PEM, the first block with one of `labels`. */
function readInput(input: Uint8Array | string, labels: readonly string[]): { der: Uint8Array; label?: string } {
  if (detectEncoding(input) === 'pem') {
    const text = typeof input === 'string' ? input : new TextDecoder('latin1').decode(input);
    const blocks = decodePem(text, { maxBlocks: 1000 });
    const block = blocks.find((b) => labels.includes(b.label));
    if (!block) {
      throw new DecodeError(
        'ERR_DECODE_FORMAT',
        `no PEM block labelled ${labels.join(', ')} (found ${blocks.map((b) => b.label).join(', ')})`,
      );
    }
    return { der: block.bytes, label: block.label };
  }
  return { der: toDer(input, { maxBytes: 4 * MAX_CERT_DER }) };
}

/** The SubjectPublicKeyInfo DER inside a certificate (RFC 5280 §4.1: tbsCertificate field 7). */
function spkiOfCertificate(cert: Uint8Array): Uint8Array {
  const tbs = decodeDer(cert, 'Certificate', { maxSize: MAX_CERT_DER }).read().next(TAG.SEQUENCE, 'tbsCertificate');
  const r: DerReader = tbs.read();
  r.optional(0xa0, 'version');
  r.next(TAG.INTEGER, 'serialNumber');
  for (const name of ['signature', 'issuer', 'validity', 'subject']) r.next(TAG.SEQUENCE, name);
  return r.next(TAG.SEQUENCE, 'subjectPublicKeyInfo').bytes;
}

/**
 * Imports a public key from a SubjectPublicKeyInfo or a certificate, as DER, bare Base64 or PEM
 * (`PUBLIC KEY`, `CERTIFICATE`, or PKCS#1 `RSA PUBLIC KEY`).
 *
 * Standard: RFC 7468 §5, §13; RFC 5280 §4.1.2.7; RFC 8017 A.1.1.
 *
 * @throws DecodeError (`ERR_DECODE_FORMAT`, `ERR_DECODE_PEM`, `ERR_DECODE_DER`, `ERR_DECODE_KEY`).
 * @throws UnsupportedAlgorithmError for an unsupported algorithm.
 * @example
 * ```ts
 * const key = importPublicKey(await (await fetch('/signer.cer')).text());
 * ```
 */
export function importPublicKey(input: Uint8Array | string): PublicKey {
  const { der: bytes, label } = readInput(input, ['PUBLIC KEY', 'CERTIFICATE', 'RSA PUBLIC KEY']);
  if (label === 'RSA PUBLIC KEY') return publicKeyFromRaw({ type: 'rsa', bits: 2048 }, bytes);
  if (label === 'CERTIFICATE') return parsePublicKey(spkiOfCertificate(bytes));
  if (label === undefined && decodeDer(bytes, 'input', { maxSize: MAX_CERT_DER }).children().length === 3) {
    return parsePublicKey(spkiOfCertificate(bytes));
  }
  return parsePublicKey(bytes);
}

const PRIVATE_LABELS = ['PRIVATE KEY', 'EC PRIVATE KEY', 'RSA PRIVATE KEY', 'ENCRYPTED PRIVATE KEY'];

function encryptedError(): DecodeError {
  return new DecodeError(
    'ERR_DECODE_ENCRYPTED',
    'the private key is encrypted (EncryptedPrivateKeyInfo): decrypt it first, or open the PKCS#12 file it came from',
  );
}

/**
 * Imports a private key as DER, bare Base64 or PEM: PKCS#8 (`PRIVATE KEY`), bare RFC 5915
 * `EC PRIVATE KEY` (named curve in its parameters) or PKCS#1 `RSA PRIVATE KEY`. The result is
 * in the canonical form of {@link parsePrivateKey}.
 *
 * Standard: RFC 7468 §10-11; RFC 5958; RFC 5915 §3; RFC 8017 A.1.2.
 *
 * @throws DecodeError `ERR_DECODE_ENCRYPTED` for an EncryptedPrivateKeyInfo (decrypt it first,
 *   e.g. through PKCS#12); the other codes of {@link parsePrivateKey}.
 * @throws UnsupportedAlgorithmError for an unsupported algorithm.
 * @example
 * ```ts
 * const key = importPrivateKey(pemText);
 * ```
 */
export function importPrivateKey(input: Uint8Array | string): PrivateKey {
  const { der: bytes, label } = readInput(input, PRIVATE_LABELS);
  if (label === 'ENCRYPTED PRIVATE KEY') throw encryptedError();
  const kind = label ?? sniffPrivateKey(bytes);
  if (kind === 'EC PRIVATE KEY') {
    const ec = readEcPrivateKey(decodeDer(bytes, 'ECPrivateKey', { maxSize: MAX_KEY_DER }));
    if (ec.explicitParams)
      throw new UnsupportedAlgorithmError({ oid: OID_EC_PUBLIC_KEY }, 'explicit curve parameters are not supported');
    if (!ec.curveOid) throw keyError('a bare ECPrivateKey needs its named curve in [0] parameters', 'ECPrivateKey');
    return parsePrivateKey(pkcs8Of(der.seq(der.oid(OID_EC_PUBLIC_KEY), der.oid(ec.curveOid)), bytes));
  }
  if (kind === 'RSA PRIVATE KEY') return parsePrivateKey(pkcs8Of(der.seq(der.oid(OID_RSA), der.null()), bytes));
  return parsePrivateKey(bytes);
}

/** Tells PKCS#8, EncryptedPrivateKeyInfo, ECPrivateKey and RSAPrivateKey apart by their first fields. */
function sniffPrivateKey(bytes: Uint8Array): string {
  const items = decodeDer(bytes, 'input', { maxSize: MAX_KEY_DER }).children();
  const [a, b] = items;
  if (a?.tag === TAG.SEQUENCE && b?.tag === TAG.OCTET_STRING && items.length === 2) throw encryptedError();
  if (a?.tag === TAG.INTEGER && b?.tag === TAG.OCTET_STRING) return 'EC PRIVATE KEY';
  if (a?.tag === TAG.INTEGER && b?.tag === TAG.INTEGER) return 'RSA PRIVATE KEY';
  return 'PRIVATE KEY';
}

function checkFormat(format: string): void {
  if (format !== 'der' && format !== 'pem') throw new RangeError(`unknown key format ${JSON.stringify(format)}`);
}

/**
 * Exports a public key as SubjectPublicKeyInfo DER or PEM (`PUBLIC KEY`, RFC 7468 §13).
 *
 * @throws RangeError for an unknown format.
 * @example
 * ```ts
 * const pem = exportPublicKey(key, 'pem');
 * ```
 */
export function exportPublicKey(key: PublicKey, format: 'der'): Uint8Array;
export function exportPublicKey(key: PublicKey, format: 'pem'): string;
export function exportPublicKey(key: PublicKey, format: 'der' | 'pem'): Uint8Array | string;
export function exportPublicKey(key: PublicKey, format: 'der' | 'pem'): Uint8Array | string {
  checkFormat(format);
  return format === 'der' ? Uint8Array.from(key.spki) : encodePem('PUBLIC KEY', key.spki);
}

/**
 * Exports a private key as unencrypted PKCS#8 DER or PEM (`PRIVATE KEY`, RFC 7468 §10), in the
 * canonical form of {@link parsePrivateKey}.
 *
 * @throws RangeError for an unknown format.
 * @example
 * ```ts
 * const pem = exportPrivateKey(key, 'pem');
 * ```
 */
export function exportPrivateKey(key: PrivateKey, format: 'der'): Uint8Array;
export function exportPrivateKey(key: PrivateKey, format: 'pem'): string;
export function exportPrivateKey(key: PrivateKey, format: 'der' | 'pem'): Uint8Array | string;
export function exportPrivateKey(key: PrivateKey, format: 'der' | 'pem'): Uint8Array | string {
  checkFormat(format);
  return format === 'der' ? Uint8Array.from(key.pkcs8) : encodePem('PRIVATE KEY', key.pkcs8);
}

function sameGostCurve(a: GostCurve, b: GostCurve): boolean {
  return a.p === b.p && a.a === b.a && a.b === b.b && a.q === b.q && a.Gx === b.Gx && a.Gy === b.Gy;
}

/**
 * True when `publicKey` is the public half of `privateKey`: same key type, same curve (GOST
 * parameter sets with the same domain parameters count as one, e.g. CryptoPro-A and
 * tc26-256-B) and the same public key.
 *
 * @example
 * ```ts
 * if (!keysMatch(key, importPublicKey(certificatePem))) throw new Error('wrong key for this certificate');
 * ```
 */
export function keysMatch(privateKey: PrivateKey, publicKey: PublicKey): boolean {
  const mine = privateKey.publicKey;
  if (mine.type !== publicKey.type || !equalBytes(mine.raw, publicKey.raw)) return false;
  if (mine.type.startsWith('gost')) {
    try {
      return sameGostCurve(gostCurveOf(mine), gostCurveOf(publicKey));
    } catch {
      return false;
    }
  }
  return mine.curveOid === publicKey.curveOid;
}
