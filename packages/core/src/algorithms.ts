// Signature algorithm descriptors (GOST R 34.10-2012/2001, ECDSA, RSA PKCS#1 v1.5 and PSS, Ed25519), AlgorithmIdentifier parsing (RFC 5280 §4.1.1.2) and look-up in an explicit set.

import { derToP1363, ecdsaAlgorithm, p1363ToDer } from './_sig-ecdsa';
import { ed25519Algorithm } from './_sig-ed25519';
import { gost2012_256 as gost256, gost2012_512 as gost512, gost2001 as gost2001Descriptor } from './_sig-gost';
import { type PssAlgorithm, rsaPkcs1Algorithm, rsaPssAlgorithm } from './_sig-rsa';
import { type Der, decodeDer, TAG } from './asn1';
import { sha1, sha256, sha384, sha512 } from './digests';
import { UnsupportedAlgorithmError } from './errors';
import type { AlgorithmIdentifier, PublicKey, SignatureAlgorithm } from './types';

export type { PssAlgorithm } from './_sig-rsa';

// Descriptors. Verification and signing take keys from `@eds/core/keys`; a key of a type the
// descriptor does not handle is API misuse and throws TypeError from verify/sign. Bad signatures
// never throw: verify resolves to false.

/**
 * GOST R 34.10-2012 with 256-bit keys and Streebog-256 (RFC 7091; RFC 9215 §3.2): OID
 * 1.2.643.7.1.1.3.2, and in CMS also the key OID 1.2.643.7.1.1.1.1 with the digest Streebog-256
 * or none. Signatures s‖r, 32 bytes each, big-endian. Signing uses hedged nonces.
 *
 * @throws TypeError from verify/sign for a key that is not gost2012-256.
 * @example
 * ```ts
 * const sig = await gost2012_256.sign(privateKey, data);
 * await gost2012_256.verify(privateKey.publicKey, data, sig); // true
 * ```
 */
export const gost2012_256: SignatureAlgorithm = gost256;

/**
 * GOST R 34.10-2012 with 512-bit keys and Streebog-512 (RFC 7091; RFC 9215 §3.2): OID
 * 1.2.643.7.1.1.3.3, in CMS also the key OID 1.2.643.7.1.1.1.2. Signatures s‖r, 64 bytes each.
 *
 * @throws TypeError from verify/sign for a key that is not gost2012-512.
 * @example
 * ```ts
 * const sig = await gost2012_512.sign(privateKey, data);
 * ```
 */
export const gost2012_512: SignatureAlgorithm = gost512;

/**
 * GOST R 34.10-2001 with GOST R 34.11-94 (CryptoPro parameters), verify only (RFC 5832, RFC 4491
 * §2.2.2): OID 1.2.643.2.2.3, in CMS also the key OID 1.2.643.2.2.19. For archived signatures.
 *
 * @throws TypeError from verify for a key that is not a 256-bit GOST key; UnsupportedAlgorithmError
 *   for a key on a parameter set GOST R 34.10-2001 does not have (it does not match such keys).
 * @example
 * ```ts
 * await gost2001.verify(publicKey, archivedDocument, signature);
 * ```
 */
export const gost2001: SignatureAlgorithm = gost2001Descriptor;

/**
 * ECDSA with SHA-256, `ecdsa-with-SHA256` 1.2.840.10045.4.3.2 (RFC 5758 §3.2); the curve (P-256,
 * P-384, P-521) comes from the key. Signatures are DER Ecdsa-Sig-Value, parsed strictly.
 * WebCrypto where the runtime has it, @noble/curves otherwise and for precomputed digests.
 *
 * @throws TypeError from verify/sign for a key that is not ecdsa; UnsupportedAlgorithmError for
 *   a curve other than P-256/P-384/P-521.
 * @example
 * ```ts
 * const sig = await ecdsaSha256.sign(privateKey, data); // DER
 * ```
 */
export const ecdsaSha256: SignatureAlgorithm = /* @__PURE__ */ ecdsaAlgorithm({
  name: 'ecdsa-sha256',
  oid: '1.2.840.10045.4.3.2',
  hash: sha256,
  signs: true,
});

/**
 * ECDSA with SHA-384, `ecdsa-with-SHA384` 1.2.840.10045.4.3.3 (RFC 5758 §3.2). See {@link ecdsaSha256}.
 *
 * @throws TypeError from verify/sign for a key that is not ecdsa.
 * @example
 * ```ts
 * await ecdsaSha384.verify(publicKey, data, derSignature);
 * ```
 */
export const ecdsaSha384: SignatureAlgorithm = /* @__PURE__ */ ecdsaAlgorithm({
  name: 'ecdsa-sha384',
  oid: '1.2.840.10045.4.3.3',
  hash: sha384,
  signs: true,
});

/**
 * ECDSA with SHA-512, `ecdsa-with-SHA512` 1.2.840.10045.4.3.4 (RFC 5758 §3.2). See {@link ecdsaSha256}.
 *
 * @throws TypeError from verify/sign for a key that is not ecdsa.
 * @example
 * ```ts
 * await ecdsaSha512.verify(publicKey, data, derSignature);
 * ```
 */
export const ecdsaSha512: SignatureAlgorithm = /* @__PURE__ */ ecdsaAlgorithm({
  name: 'ecdsa-sha512',
  oid: '1.2.840.10045.4.3.4',
  hash: sha512,
  signs: true,
});

/**
 * ECDSA with SHA-1, `ecdsa-with-SHA1` 1.2.840.10045.4.1 (RFC 3279 §2.2.3), verify only, for
 * legacy signatures.
 *
 * @throws TypeError from verify for a key that is not ecdsa.
 * @example
 * ```ts
 * await ecdsaSha1.verify(publicKey, data, derSignature);
 * ```
 */
export const ecdsaSha1: SignatureAlgorithm = /* @__PURE__ */ ecdsaAlgorithm({
  name: 'ecdsa-sha1',
  oid: '1.2.840.10045.4.1',
  hash: sha1,
  signs: false,
});

/**
 * RSASSA-PKCS1-v1_5 with SHA-256, sha256WithRSAEncryption 1.2.840.113549.1.1.11 (RFC 8017 §8.2,
 * RFC 4055 §5); in CMS also rsaEncryption with the digest SHA-256. Signatures raw, k bytes.
 * WebCrypto where present, else bigint code (signing then variable-time). `signDigest` is
 * always variable-time (bigint), WebCrypto or not, since WebCrypto cannot sign a precomputed
 * digest: use `sign(data)` where you can.
 *
 * @throws TypeError from verify/sign for a key that is not rsa.
 * @example
 * ```ts
 * const sig = await rsaPkcs1Sha256.sign(privateKey, data);
 * ```
 */
export const rsaPkcs1Sha256: SignatureAlgorithm = /* @__PURE__ */ rsaPkcs1Algorithm({
  name: 'rsa-pkcs1-sha256',
  oid: '1.2.840.113549.1.1.11',
  hash: sha256,
  signs: true,
});

/**
 * RSASSA-PKCS1-v1_5 with SHA-384, sha384WithRSAEncryption 1.2.840.113549.1.1.12. See {@link rsaPkcs1Sha256}.
 * `signDigest` is variable-time (bigint) even where WebCrypto exists: use `sign(data)` where you can.
 *
 * @throws TypeError from verify/sign for a key that is not rsa.
 * @example
 * ```ts
 * await rsaPkcs1Sha384.verify(publicKey, data, sig);
 * ```
 */
export const rsaPkcs1Sha384: SignatureAlgorithm = /* @__PURE__ */ rsaPkcs1Algorithm({
  name: 'rsa-pkcs1-sha384',
  oid: '1.2.840.113549.1.1.12',
  hash: sha384,
  signs: true,
});

/**
 * RSASSA-PKCS1-v1_5 with SHA-512, sha512WithRSAEncryption 1.2.840.113549.1.1.13. See {@link rsaPkcs1Sha256}.
 * `signDigest` is variable-time (bigint) even where WebCrypto exists: use `sign(data)` where you can.
 *
 * @throws TypeError from verify/sign for a key that is not rsa.
 * @example
 * ```ts
 * await rsaPkcs1Sha512.verify(publicKey, data, sig);
 * ```
 */
export const rsaPkcs1Sha512: SignatureAlgorithm = /* @__PURE__ */ rsaPkcs1Algorithm({
  name: 'rsa-pkcs1-sha512',
  oid: '1.2.840.113549.1.1.13',
  hash: sha512,
  signs: true,
});

/**
 * RSASSA-PKCS1-v1_5 with SHA-1, sha1WithRSAEncryption 1.2.840.113549.1.1.5, verify only (legacy).
 *
 * @throws TypeError from verify for a key that is not rsa.
 * @example
 * ```ts
 * await rsaPkcs1Sha1.verify(publicKey, data, sig);
 * ```
 */
export const rsaPkcs1Sha1: SignatureAlgorithm = /* @__PURE__ */ rsaPkcs1Algorithm({
  name: 'rsa-pkcs1-sha1',
  oid: '1.2.840.113549.1.1.5',
  hash: sha1,
  signs: false,
});

/**
 * RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (RFC 8017 §8.1; id-RSASSA-PSS with
 * RSASSA-PSS-params, RFC 4055 §3.1). `identifier()` writes those parameters. Matches any
 * id-RSASSA-PSS AlgorithmIdentifier whose hash is SHA-256; {@link findAlgorithm} then returns
 * the descriptor bound to its MGF1 hash and salt length (`withParams`). Keys restricted by
 * RSASSA-PSS parameters in their SPKI are honoured (RFC 4055 §3.3).
 * WebCrypto where present (when the MGF1 hash is the message hash), else bigint code (signing
 * then variable-time). `signDigest` is always variable-time (bigint), WebCrypto or not: use
 * `sign(data)` where you can.
 *
 * @throws TypeError from verify/sign for a key that is not rsa.
 * @example
 * ```ts
 * const alg = findAlgorithm(allAlgorithms, certificateSignatureAlgorithm, { key });
 * await alg.verify(key, tbs, signature);
 * ```
 */
export const rsaPssSha256: PssAlgorithm = /* @__PURE__ */ rsaPssAlgorithm({
  name: 'rsa-pss-sha256',
  hash: sha256,
  signs: true,
});

/**
 * RSASSA-PSS with SHA-384, MGF1-SHA-384, 48-byte salt. See {@link rsaPssSha256}.
 * `signDigest` is variable-time (bigint) even where WebCrypto exists: use `sign(data)` where you can.
 *
 * @throws TypeError from verify/sign for a key that is not rsa.
 * @example
 * ```ts
 * rsaPssSha384.withParams(algorithmIdentifier);
 * ```
 */
export const rsaPssSha384: PssAlgorithm = /* @__PURE__ */ rsaPssAlgorithm({
  name: 'rsa-pss-sha384',
  hash: sha384,
  signs: true,
});

/**
 * RSASSA-PSS with SHA-512, MGF1-SHA-512, 64-byte salt. See {@link rsaPssSha256}.
 * `signDigest` is variable-time (bigint) even where WebCrypto exists: use `sign(data)` where you can.
 *
 * @throws TypeError from verify/sign for a key that is not rsa.
 * @example
 * ```ts
 * await rsaPssSha512.sign(privateKey, data);
 * ```
 */
export const rsaPssSha512: PssAlgorithm = /* @__PURE__ */ rsaPssAlgorithm({
  name: 'rsa-pss-sha512',
  hash: sha512,
  signs: true,
});

/**
 * RSASSA-PSS with SHA-1 (the RFC 4055 default parameters: MGF1-SHA-1, 20-byte salt), verify only,
 * for legacy certificates.
 *
 * @throws TypeError from verify for a key that is not rsa.
 * @example
 * ```ts
 * findAlgorithm([rsaPssSha1], { oid: '1.2.840.113549.1.1.10', params: Uint8Array.of(0x30, 0) });
 * ```
 */
export const rsaPssSha1: PssAlgorithm = /* @__PURE__ */ rsaPssAlgorithm({
  name: 'rsa-pss-sha1',
  hash: sha1,
  signs: false,
});

/**
 * Ed25519 (RFC 8032 §5.1; OID 1.3.101.112 with absent parameters, RFC 8410 §3). Signatures raw
 * 64 bytes; no digest (no verifyDigest/signDigest). WebCrypto where the runtime has Ed25519,
 * @noble/curves otherwise.
 *
 * @throws TypeError from verify/sign for a key that is not ed25519.
 * @example
 * ```ts
 * const sig = await ed25519.sign(privateKey, data);
 * ```
 */
export const ed25519: SignatureAlgorithm = /* @__PURE__ */ ed25519Algorithm();

/**
 * Converts a DER Ecdsa-Sig-Value to IEEE P1363 r‖s (WebCrypto's form), `size` bytes per half
 * (32 for P-256, 48 for P-384, 66 for P-521).
 *
 * ```asn1
 * Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }   -- RFC 3279 §2.2.3
 * ```
 * Strict DER (X.690 §10): BER lengths, non-minimal or negative integers, extra elements and
 * trailing bytes are rejected.
 *
 * @throws DecodeError `ERR_DECODE_DER` for malformed input or an integer longer than `size`.
 * @throws RangeError for an unusable `size`.
 * @example
 * ```ts
 * const rs = ecdsaDerToP1363(derSignature, 32);
 * ```
 */
export function ecdsaDerToP1363(sig: Uint8Array, size: number): Uint8Array {
  return derToP1363(sig, size);
}

/**
 * Converts IEEE P1363 r‖s (two halves of equal length) to a DER Ecdsa-Sig-Value (RFC 3279 §2.2.3).
 *
 * @throws RangeError for an empty or odd-length input; TypeError for a non-Uint8Array.
 * @example
 * ```ts
 * const derSignature = ecdsaP1363ToDer(new Uint8Array(await crypto.subtle.sign(params, key, data)));
 * ```
 */
export function ecdsaP1363ToDer(sig: Uint8Array): Uint8Array {
  return p1363ToDer(sig);
}

/**
 * Reads an AlgorithmIdentifier (RFC 5280 §4.1.1.2); `params` is the DER of the parameters when
 * present (a NULL included), absent otherwise.
 *
 * ```asn1
 * AlgorithmIdentifier ::= SEQUENCE {
 *   algorithm    OBJECT IDENTIFIER,
 *   parameters   ANY DEFINED BY algorithm OPTIONAL }
 * ```
 * @throws DecodeError `ERR_DECODE_DER` for malformed DER or more than one parameters element.
 * @example
 * ```ts
 * parseAlgorithmIdentifier(Uint8Array.of(0x30, 0x0a, 0x06, 0x08, 0x2a, 0x85, 0x03, 0x07, 0x01, 0x01, 0x03, 0x02));
 * // { oid: '1.2.643.7.1.1.3.2' }
 * ```
 */
export function parseAlgorithmIdentifier(input: Uint8Array | Der): AlgorithmIdentifier {
  const node = input instanceof Uint8Array ? decodeDer(input, 'AlgorithmIdentifier', { maxSize: 64 * 1024 }) : input;
  const r = node.read(TAG.SEQUENCE);
  const oid = r.next(TAG.OID, 'algorithm').oid();
  const params = r.more ? r.next(undefined, 'parameters').bytes : undefined;
  r.end();
  return params === undefined ? { oid } : { oid, params };
}

/** A descriptor with `withParams` (the RSASSA-PSS ones). */
function bindable(
  a: SignatureAlgorithm,
): a is SignatureAlgorithm & { withParams(ai: AlgorithmIdentifier): SignatureAlgorithm } {
  return typeof (a as { withParams?: unknown }).withParams === 'function';
}

/**
 * Finds the descriptor in `set` for an AlgorithmIdentifier (DER or parsed) and, when given, the
 * signer's key and the CMS digestAlgorithm OID (needed for rsaEncryption and the GOST key OIDs
 * in SignerInfos). Descriptors with parameters (RSASSA-PSS) come back bound to them.
 *
 * Standard: RFC 5280 §4.1.1.2; RFC 5652 §5.3 (signatureAlgorithm with digestAlgorithm).
 *
 * @throws UnsupportedAlgorithmError `ERR_UNSUPPORTED_ALGORITHM` (with `oid`) when no descriptor
 *   in `set` matches: an unknown OID, parameters it cannot use, or a key of another type.
 * @throws DecodeError when `algorithm` is DER that does not parse.
 * @example
 * ```ts
 * const alg = findAlgorithm(allAlgorithms, signerInfo.signatureAlgorithm, { key, digestOid: '1.2.643.7.1.1.2.2' });
 * ```
 */
export function findAlgorithm(
  set: readonly SignatureAlgorithm[],
  algorithm: AlgorithmIdentifier | Uint8Array,
  options: { key?: PublicKey; digestOid?: string } = {},
): SignatureAlgorithm {
  const ai = algorithm instanceof Uint8Array ? parseAlgorithmIdentifier(algorithm) : algorithm;
  for (const a of set) {
    if (!a.matches(ai, options.key, options.digestOid)) continue;
    return bindable(a) ? a.withParams(ai) : a;
  }
  const what = options.key ? ` for a ${options.key.type} key` : '';
  throw new UnsupportedAlgorithmError({ oid: ai.oid }, `unsupported signature algorithm ${ai.oid}${what}`);
}

/**
 * Verifies a signature with the descriptor of `set` that matches the algorithm and key
 * ({@link findAlgorithm}). Resolves to false for a signature that does not verify, malformed
 * signatures included.
 *
 * @throws UnsupportedAlgorithmError when no descriptor in `set` matches the algorithm for this
 *   key (which includes a key whose type does not fit the algorithm, e.g. an RSA key with
 *   ecdsa-with-SHA256).
 * @throws DecodeError when `algorithm` is DER that does not parse.
 * @example
 * ```ts
 * const ok = await verifySignature(allAlgorithms, { algorithm, publicKey, data: tbs, signature });
 * ```
 */
export async function verifySignature(
  set: readonly SignatureAlgorithm[],
  input: {
    algorithm: AlgorithmIdentifier | Uint8Array;
    publicKey: PublicKey;
    data: Uint8Array;
    signature: Uint8Array;
    digestOid?: string;
  },
): Promise<boolean> {
  const options =
    input.digestOid === undefined ? { key: input.publicKey } : { key: input.publicKey, digestOid: input.digestOid };
  const a = findAlgorithm(set, input.algorithm, options);
  return a.verify(input.publicKey, input.data, input.signature);
}

const OID_RSASSA_PSS = '1.2.840.113549.1.1.10';

/**
 * rsaPkcs1Sha256 for an rsaEncryption key; for an id-RSASSA-PSS key (which must not sign PKCS#1
 * v1.5, RFC 4055 §1.2) the PSS descriptor its parameters name, bound to them, or rsaPssSha256.
 */
function defaultRsaAlgorithm(key: PublicKey): SignatureAlgorithm {
  const spkiAlgorithm = parseAlgorithmIdentifier(decodeDer(key.spki, 'SubjectPublicKeyInfo').children()[0] as Der);
  if (spkiAlgorithm.oid !== OID_RSASSA_PSS) return rsaPkcs1Sha256;
  if (spkiAlgorithm.params === undefined) return rsaPssSha256;
  const fit = [rsaPssSha256, rsaPssSha384, rsaPssSha512].find((a) => a.matches(spkiAlgorithm, key));
  if (!fit)
    throw new UnsupportedAlgorithmError({ oid: OID_RSASSA_PSS }, 'no signing algorithm for this RSASSA-PSS key');
  return fit.withParams(spkiAlgorithm);
}

/**
 * The usual signature algorithm for a key: GOST by key size (gost2001 keys: none, they are
 * verify-only), ECDSA P-256/P-384/P-521 with SHA-256/384/512, RSA with PKCS#1 v1.5 and SHA-256
 * (an id-RSASSA-PSS key: RSASSA-PSS with the hash and salt length its parameters ask for, or
 * rsaPssSha256), Ed25519.
 *
 * @throws UnsupportedAlgorithmError for a GOST R 34.10-2001 key (signing with it is no longer
 *   allowed), an ECDSA curve other than the three, or an id-RSASSA-PSS key restricted to SHA-1.
 * @example
 * ```ts
 * defaultSignatureAlgorithm(key).name; // 'ecdsa-sha256' for a P-256 key
 * ```
 */
export function defaultSignatureAlgorithm(key: PublicKey): SignatureAlgorithm {
  switch (key.type) {
    case 'gost2012-256':
      return gost2012_256;
    case 'gost2012-512':
      return gost2012_512;
    case 'rsa':
      return defaultRsaAlgorithm(key);
    case 'ed25519':
      return ed25519;
    case 'ecdsa': {
      const byCurve = new Map<string | undefined, SignatureAlgorithm>([
        ['1.2.840.10045.3.1.7', ecdsaSha256],
        ['1.3.132.0.34', ecdsaSha384],
        ['1.3.132.0.35', ecdsaSha512],
      ]);
      const a = byCurve.get(key.curveOid);
      if (a) return a;
      throw new UnsupportedAlgorithmError(
        { oid: key.curveOid ?? '1.2.840.10045.2.1' },
        `no signature algorithm for curve ${key.curveOid}`,
      );
    }
    default:
      throw new UnsupportedAlgorithmError(
        { oid: '1.2.643.2.2.19' },
        `no default signature algorithm for ${key.type} keys`,
      );
  }
}
