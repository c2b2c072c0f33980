// Internal: CMS signed attributes of CAdES-BES (RFC 5652 §11, RFC 5035 §3, ETSI EN 319 122-1 §5.2) and the certificate fields a SignerInfo names.
import { equalBytes } from './_bytes';
import { readCertificate } from './_cert-fields';
import { der } from './asn1';
import { sha256 } from './digests';
import { KeyMismatchError } from './errors';
import { parsePublicKey } from './keys';
import type { DigestAlgorithm, PublicKey } from './types';

/** id-contentType (RFC 5652 §11.1). */
export const OID_ATTR_CONTENT_TYPE = '1.2.840.113549.1.9.3';
/** id-messageDigest (RFC 5652 §11.2). */
export const OID_ATTR_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
/** id-signingTime (RFC 5652 §11.3). */
export const OID_ATTR_SIGNING_TIME = '1.2.840.113549.1.9.5';
/** id-aa-signingCertificateV2 (RFC 5035 §3). */
export const OID_ATTR_SIGNING_CERTIFICATE_V2 = '1.2.840.113549.1.9.16.2.47';
/** id-aa-ets-sigPolicyId (ETSI EN 319 122-1 §5.2.9.1, RFC 5126 §5.8.1). */
export const OID_ATTR_SIGNATURE_POLICY = '1.2.840.113549.1.9.16.2.15';
/** id-aa-contentHint (RFC 2634 §2.9). */
export const OID_ATTR_CONTENT_HINT = '1.2.840.113549.1.9.16.2.4';
/** id-spq-ets-uri, the SPuri policy qualifier (RFC 5126 §5.8.1). */
const OID_SPQ_URI = '1.2.840.113549.1.9.16.5.1';

/** The fields of a signer's certificate that CMS writes, as DER slices of the certificate. */
export interface CertificateParts {
  /** The whole certificate. */
  readonly der: Uint8Array;
  /** issuer Name TLV. */
  readonly issuer: Uint8Array;
  /** serialNumber INTEGER TLV, as written in the certificate. */
  readonly serial: Uint8Array;
  /** subject Name TLV. */
  readonly subject: Uint8Array;
  /** SubjectPublicKeyInfo TLV. */
  readonly spki: Uint8Array;
}

/**
 * Reads issuer, serial, subject and SPKI of a DER certificate (RFC 5280 §4.1) as raw TLVs, so
 * that IssuerAndSerialNumber and IssuerSerial repeat the certificate's own bytes.
 * @throws DecodeError for malformed DER.
 */
export function certificateParts(cert: Uint8Array): CertificateParts {
  const c = readCertificate(cert);
  return { der: cert, issuer: c.issuer, serial: c.serialTlv, subject: c.subject, spki: c.spki };
}

/**
 * Checks that a certificate carries `key`: the same SPKI bytes, or the same decoded key.
 * @throws {KeyMismatchError} when it does not (or its SPKI does not decode).
 */
export function checkCertificateKey(parts: CertificateParts, key: PublicKey): void {
  if (equalBytes(parts.spki, key.spki)) return;
  let same = false;
  try {
    const k = parsePublicKey(parts.spki);
    same = k.type === key.type && k.curveOid === key.curveOid && equalBytes(k.raw, key.raw);
  } catch {
    same = false;
  }
  if (!same) throw new KeyMismatchError("the signer's certificate does not carry the signer's public key");
}

/** `Attribute ::= SEQUENCE { attrType OBJECT IDENTIFIER, attrValues SET OF AttributeValue }` with one value. */
export function attribute(oid: string, value: Uint8Array): Uint8Array {
  return der.seq(der.oid(oid), der.setOf(value));
}

/** `ContentType ::= OBJECT IDENTIFIER` (RFC 5652 §11.1). */
export function contentTypeAttribute(contentType: string): Uint8Array {
  return attribute(OID_ATTR_CONTENT_TYPE, der.oid(contentType));
}

/** `MessageDigest ::= OCTET STRING` (RFC 5652 §11.2). */
export function messageDigestAttribute(digest: Uint8Array): Uint8Array {
  return attribute(OID_ATTR_MESSAGE_DIGEST, der.octets(digest));
}

/**
 * `SigningTime ::= Time` (RFC 5652 §11.3): UTCTime for 1950 through 2049, GeneralizedTime
 * otherwise, whole seconds.
 */
export function signingTimeAttribute(time: Date): Uint8Array {
  return attribute(OID_ATTR_SIGNING_TIME, der.time(time));
}

/**
 * The hash of ESSCertIDv2 for a signer: its own Streebog for GOST keys, SHA-256 otherwise
 * (the DEFAULT of RFC 5035 §4, which every CAdES verifier knows).
 */
export function essCertIdHash(key: PublicKey, signerDigest: DigestAlgorithm): DigestAlgorithm {
  return key.type === 'gost2012-256' || key.type === 'gost2012-512' ? signerDigest : sha256;
}

/**
 * signingCertificateV2 (RFC 5035 §3) with one ESSCertIDv2; `hashAlgorithm` is left out when it is
 * SHA-256, as DER requires for a DEFAULT value.
 *
 * ```asn1
 * SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies SEQUENCE OF PolicyInformation OPTIONAL }
 * ESSCertIDv2 ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier DEFAULT {algorithm id-sha256},
 *   certHash OCTET STRING, issuerSerial IssuerSerial OPTIONAL }
 * IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber }
 * ```
 */
export function signingCertificateV2Attribute(parts: CertificateParts, hash: DigestAlgorithm): Uint8Array {
  const issuerSerial = issuerSerialOf(parts);
  const certHash = der.octets(hash.digest(parts.der));
  const id =
    hash.oid === sha256.oid
      ? der.seq(certHash, issuerSerial)
      : der.seq(der.seq(der.oid(hash.oid)), certHash, issuerSerial);
  return attribute(OID_ATTR_SIGNING_CERTIFICATE_V2, der.seq(der.seq(id)));
}

/** `IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber }` (RFC 5035 §4), the issuer as one directoryName. */
export function issuerSerialOf(parts: CertificateParts): Uint8Array {
  return der.seq(der.seq(der.tlv(0xa4, parts.issuer)), parts.serial);
}

/** An explicit signature policy for {@link signaturePolicyAttribute}. */
export interface SignaturePolicy {
  /** sigPolicyId: the policy's OID. */
  readonly oid: string;
  /** The hash algorithm of `hash`. */
  readonly hashAlgorithm: DigestAlgorithm;
  /** sigPolicyHash: the hash of the policy document. */
  readonly hash: Uint8Array;
  /** Optional SPuri qualifier: where the policy document is published. */
  readonly uri?: string | undefined;
}

/**
 * SignaturePolicyIdentifier with an explicit SignaturePolicyId (ETSI EN 319 122-1 §5.2.9.1).
 *
 * ```asn1
 * SignaturePolicyId ::= SEQUENCE { sigPolicyId OBJECT IDENTIFIER, sigPolicyHash OtherHashAlgAndValue,
 *   sigPolicyQualifiers SEQUENCE SIZE (1..MAX) OF SigPolicyQualifierInfo OPTIONAL }
 * OtherHashAlgAndValue ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, hashValue OCTET STRING }
 * SigPolicyQualifierInfo ::= SEQUENCE { sigPolicyQualifierId OBJECT IDENTIFIER, sigQualifier ANY }
 * ```
 * @throws RangeError when the hash does not have the algorithm's length or the OID/URI is invalid.
 */
export function signaturePolicyAttribute(policy: SignaturePolicy): Uint8Array {
  if (!(policy.hash instanceof Uint8Array) || policy.hash.length !== policy.hashAlgorithm.size) {
    throw new RangeError(`policy hash must be ${policy.hashAlgorithm.size} bytes of ${policy.hashAlgorithm.name}`);
  }
  const parts = [der.oid(policy.oid), der.seq(der.seq(der.oid(policy.hashAlgorithm.oid)), der.octets(policy.hash))];
  if (policy.uri !== undefined) parts.push(der.seq(der.seq(der.oid(OID_SPQ_URI), der.ia5(policy.uri))));
  return attribute(OID_ATTR_SIGNATURE_POLICY, der.seq(...parts));
}

/** What the signed content is, for the person who opens it (RFC 2634 §2.9, ETSI EN 319 122-1 §5.2.4.1). */
export interface ContentHints {
  /** A description such as the file name, e.g. `Договор.pdf`. */
  readonly description?: string | undefined;
  /** The content type the hint names (default id-data). */
  readonly contentType?: string | undefined;
}

/**
 * ```asn1
 * ContentHints ::= SEQUENCE { contentDescription UTF8String (SIZE (1..MAX)) OPTIONAL, contentType ContentType }
 * ```
 * @throws RangeError for an empty description.
 */
export function contentHintsAttribute(hints: ContentHints): Uint8Array {
  if (hints.description !== undefined && hints.description.length === 0) {
    throw new RangeError('content hint description must not be empty');
  }
  const type = der.oid(hints.contentType ?? '1.2.840.113549.1.7.1');
  const value = hints.description === undefined ? der.seq(type) : der.seq(der.utf8(hints.description), type);
  return attribute(OID_ATTR_CONTENT_HINT, value);
}
