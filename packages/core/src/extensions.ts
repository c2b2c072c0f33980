// X.509 certificate, CRL and OCSP extensions (RFC 5280 §4.2, §5.2, §5.3; RFC 6960 §4.4; FSB order 795 sign-tool extensions).

import { readSerial, retag } from './_describe';
import { type Extension, openExtension as open } from './_extension-list';
import { type GeneralName, readGeneralName, readGeneralNames } from './_general-name';
import { contextTag, type Der, TAG } from './asn1';
import { DecodeError } from './errors';
import { OID_AD_CA_ISSUERS, OID_AD_OCSP, OID_QT_CPS, OID_QT_UNOTICE } from './oids';

// The extension list, GeneralName with nameConstraints, and the revocation-related extensions
// live in internal files; this module is their one public entry point.
export { type Extension, findExtension, parseExtensions } from './_extension-list';
// readGeneralName/readGeneralNames/readReason take decoded nodes and stay internal (used by ocsp.ts).
export {
  decodeGeneralNames,
  decodeNameConstraints,
  type GeneralName,
  type GeneralSubtree,
  type NameConstraints,
} from './_general-name';
export {
  CRL_REASONS,
  type DistributionPoint,
  type DistributionPointName,
  decodeCrlDistributionPoints,
  decodeCrlNumber,
  decodeInvalidityDate,
  decodeIssuingDistributionPoint,
  decodeOcspNonce,
  decodeReasonCode,
  type IssuingDistributionPoint,
  REASON_FLAG_BITS,
  type ReasonFlag,
} from './_revocation-extensions';

// ---------------------------------------------------------------------------------------------
// Certificate extensions

/** BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL } */
export interface BasicConstraints {
  readonly ca: boolean;
  readonly pathLength?: number | undefined;
}

/**
 * basicConstraints (RFC 5280 §4.2.1.9). An explicit `cA FALSE` is accepted (common in issued certificates).
 *
 * @throws DecodeError for malformed DER or a negative path length.
 * @example
 * ```ts
 * decodeBasicConstraints(ext).ca;
 * ```
 */
export function decodeBasicConstraints(input: Extension | Uint8Array): BasicConstraints {
  const r = open(input, 'BasicConstraints').read();
  const ca = r.optional(TAG.BOOLEAN, 'cA')?.bool() ?? false;
  const len = r.optional(TAG.INTEGER, 'pathLenConstraint');
  r.end();
  if (!len) return { ca };
  const pathLength = len.smallInt();
  if (pathLength < 0) throw len.error('negative pathLenConstraint');
  return { ca, pathLength };
}

/** KeyUsage bit names, bit 0 first (RFC 5280 §4.2.1.3; bit 1 is also called contentCommitment). */
export const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

export type KeyUsageName = (typeof KEY_USAGE_BITS)[number];

/**
 * keyUsage (RFC 5280 §4.2.1.3) as a set of named bits; bits past decipherOnly are ignored.
 *
 * ```asn1
 * KeyUsage ::= BIT STRING { digitalSignature (0), nonRepudiation (1), keyEncipherment (2), dataEncipherment (3),
 *   keyAgreement (4), keyCertSign (5), cRLSign (6), encipherOnly (7), decipherOnly (8) }
 * ```
 *
 * @throws DecodeError for malformed DER.
 * @example
 * ```ts
 * decodeKeyUsage(ext).has('nonRepudiation');
 * ```
 */
export function decodeKeyUsage(input: Extension | Uint8Array): ReadonlySet<KeyUsageName> {
  const bits = open(input, 'KeyUsage').flags();
  return new Set(KEY_USAGE_BITS.filter((_, i) => bits.has(i)));
}

/**
 * extKeyUsage (RFC 5280 §4.2.1.12): `ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId`.
 *
 * @throws DecodeError for malformed DER or an empty list.
 * @example
 * ```ts
 * decodeExtKeyUsage(ext).includes('1.3.6.1.5.5.7.3.4');
 * ```
 */
export function decodeExtKeyUsage(input: Extension | Uint8Array): string[] {
  return oidList(open(input, 'ExtKeyUsageSyntax'));
}

function oidList(node: Der): string[] {
  node.expect(TAG.SEQUENCE);
  const out: string[] = [];
  for (const item of node.iterate()) out.push(item.oid());
  if (out.length === 0) throw node.error('empty list');
  return out;
}

/** A policy qualifier: CPS pointer, user notice, or another qualifier kept raw. */
export interface PolicyQualifier {
  readonly oid: string;
  readonly cps?: string | undefined;
  readonly userNotice?:
    | {
        readonly organization?: string | undefined;
        readonly noticeNumbers?: readonly number[] | undefined;
        readonly explicitText?: string | undefined;
      }
    | undefined;
  /** DER of the qualifier. */
  readonly raw: Uint8Array;
}

/** One PolicyInformation. */
export interface PolicyInformation {
  readonly oid: string;
  readonly qualifiers: readonly PolicyQualifier[];
}

/** Most PolicyInformation entries read from one certificatePolicies (real ones have a handful). */
const MAX_POLICIES = 1024;

/**
 * certificatePolicies (RFC 5280 §4.2.1.4); Russian qualified certificates list the sign-tool
 * class here (1.2.643.100.113.x). A duplicate policy OID is an error.
 *
 * ```asn1
 * certificatePolicies ::= SEQUENCE SIZE (1..MAX) OF PolicyInformation
 * PolicyInformation ::= SEQUENCE { policyIdentifier CertPolicyId, policyQualifiers SEQUENCE SIZE (1..MAX) OF PolicyQualifierInfo OPTIONAL }
 * PolicyQualifierInfo ::= SEQUENCE { policyQualifierId OBJECT IDENTIFIER, qualifier ANY }
 * UserNotice ::= SEQUENCE { noticeRef NoticeReference OPTIONAL, explicitText DisplayText OPTIONAL }
 * NoticeReference ::= SEQUENCE { organization DisplayText, noticeNumbers SEQUENCE OF INTEGER }
 * ```
 *
 * @throws DecodeError for malformed DER, an empty list, a duplicate policy; `ERR_DECODE_TOO_LARGE`
 *   past 1024 policies.
 * @example
 * ```ts
 * decodeCertificatePolicies(ext).map((p) => p.oid);
 * ```
 */
export function decodeCertificatePolicies(input: Extension | Uint8Array): PolicyInformation[] {
  const node = open(input, 'certificatePolicies').expect(TAG.SEQUENCE);
  const out: PolicyInformation[] = [];
  const seen = new Set<string>();
  for (const item of node.iterate()) {
    if (out.length >= MAX_POLICIES) {
      throw new DecodeError('ERR_DECODE_TOO_LARGE', `more than ${MAX_POLICIES} policies`, {
        offset: item.offset,
        path: node.path,
      });
    }
    const r = item.read();
    const oid = r.next(TAG.OID, 'policyIdentifier').oid();
    const qs = r.optional(TAG.SEQUENCE, 'policyQualifiers');
    r.end();
    if (seen.has(oid)) throw item.error(`duplicate policy ${oid}`);
    seen.add(oid);
    out.push({ oid, qualifiers: qs ? qs.children().map(readQualifier) : [] });
  }
  if (out.length === 0) throw node.error('empty certificatePolicies');
  return out;
}

function readQualifier(node: Der): PolicyQualifier {
  const r = node.read();
  const oid = r.next(TAG.OID, 'policyQualifierId').oid();
  const q = r.next(undefined, 'qualifier');
  r.end();
  if (oid === OID_QT_CPS) return { oid, cps: q.expect(TAG.IA5_STRING).string(), raw: node.bytes };
  if (oid !== OID_QT_UNOTICE) return { oid, raw: node.bytes };
  const u = q.read();
  const ref = u.optional(TAG.SEQUENCE, 'noticeRef');
  const text = u.more ? u.next(undefined, 'explicitText').string() : undefined;
  u.end();
  let organization: string | undefined;
  let noticeNumbers: number[] | undefined;
  if (ref) {
    const rr = ref.read();
    organization = rr.next(undefined, 'organization').string();
    noticeNumbers = rr
      .next(TAG.SEQUENCE, 'noticeNumbers')
      .children()
      .map((n) => n.smallInt());
    rr.end();
  }
  return { oid, userNotice: { organization, noticeNumbers, explicitText: text }, raw: node.bytes };
}

/**
 * subjectKeyIdentifier (RFC 5280 §4.2.1.2): `KeyIdentifier ::= OCTET STRING`.
 *
 * @throws DecodeError for malformed DER.
 * @example
 * ```ts
 * hexEncode(decodeSubjectKeyIdentifier(ext));
 * ```
 */
export function decodeSubjectKeyIdentifier(input: Extension | Uint8Array): Uint8Array {
  return open(input, 'SubjectKeyIdentifier').octets();
}

/** AuthorityKeyIdentifier fields. */
export interface AuthorityKeyIdentifier {
  readonly keyIdentifier?: Uint8Array | undefined;
  readonly authorityCertIssuer?: readonly GeneralName[] | undefined;
  readonly authorityCertSerialNumber?: bigint | undefined;
}

/**
 * authorityKeyIdentifier (RFC 5280 §4.2.1.1).
 *
 * ```asn1
 * AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] KeyIdentifier OPTIONAL,
 *   authorityCertIssuer [1] GeneralNames OPTIONAL, authorityCertSerialNumber [2] CertificateSerialNumber OPTIONAL }
 * ```
 *
 * @throws DecodeError for malformed DER.
 * @example
 * ```ts
 * decodeAuthorityKeyIdentifier(ext).keyIdentifier;
 * ```
 */
export function decodeAuthorityKeyIdentifier(input: Extension | Uint8Array): AuthorityKeyIdentifier {
  const r = open(input, 'AuthorityKeyIdentifier').read();
  const kid = r.optional(contextTag(0, false), 'keyIdentifier');
  const issuer = r.optional(contextTag(1, true), 'authorityCertIssuer');
  const serial = r.optional(contextTag(2, false), 'authorityCertSerialNumber');
  r.end();
  return {
    keyIdentifier: kid?.value,
    authorityCertIssuer: issuer ? readGeneralNames(issuer, issuer.tag) : undefined,
    // Read as leniently as the certificate serial it names (padded INTEGERs are accepted there).
    authorityCertSerialNumber: serial ? readSerial(retag(serial, TAG.INTEGER)).value : undefined,
  };
}

/** One AccessDescription. */
export interface AccessDescription {
  readonly method: string;
  readonly location: GeneralName;
}

/** authorityInfoAccess / subjectInfoAccess, with the URIs of the two usual methods picked out. */
export interface InfoAccess {
  readonly descriptions: readonly AccessDescription[];
  /** URIs of id-ad-ocsp. */
  readonly ocsp: readonly string[];
  /** URIs of id-ad-caIssuers. */
  readonly caIssuers: readonly string[];
}

/**
 * authorityInfoAccess (RFC 5280 §4.2.2.1), also subjectInfoAccess (§4.2.2.2).
 *
 * ```asn1
 * AuthorityInfoAccessSyntax ::= SEQUENCE SIZE (1..MAX) OF AccessDescription
 * AccessDescription ::= SEQUENCE { accessMethod OBJECT IDENTIFIER, accessLocation GeneralName }
 * ```
 *
 * @throws DecodeError for malformed DER.
 * @example
 * ```ts
 * decodeInfoAccess(ext).ocsp[0]; // 'http://ocsp.example/ocsp'
 * ```
 */
export function decodeInfoAccess(input: Extension | Uint8Array): InfoAccess {
  const node = open(input, 'AuthorityInfoAccessSyntax').expect(TAG.SEQUENCE);
  const descriptions: AccessDescription[] = [];
  for (const item of node.iterate()) {
    const r = item.read();
    const method = r.next(TAG.OID, 'accessMethod').oid();
    const location = readGeneralName(r.next(undefined, 'accessLocation'));
    r.end();
    descriptions.push({ method, location });
  }
  if (descriptions.length === 0) throw node.error('empty AuthorityInfoAccessSyntax');
  const uris = (m: string) =>
    descriptions.flatMap((d) =>
      d.method === m && d.location.type === 'uniformResourceIdentifier' ? [d.location.value] : [],
    );
  return { descriptions, ocsp: uris(OID_AD_OCSP), caIssuers: uris(OID_AD_CA_ISSUERS) };
}

/** The policyConstraints skip counts (RFC 5280 §4.2.1.11); an absent field is undefined. */
export interface PolicyConstraints {
  readonly requireExplicitPolicy?: number | undefined;
  readonly inhibitPolicyMapping?: number | undefined;
}

/**
 * policyConstraints (RFC 5280 §4.2.1.11):
 * `PolicyConstraints ::= SEQUENCE { requireExplicitPolicy [0] SkipCerts OPTIONAL, inhibitPolicyMapping [1] SkipCerts OPTIONAL }`.
 *
 * @throws DecodeError for malformed DER or an empty sequence.
 * @example
 * ```ts
 * decodePolicyConstraints(ext).requireExplicitPolicy;
 * ```
 */
export function decodePolicyConstraints(input: Extension | Uint8Array): PolicyConstraints {
  const [a, b] = twoOptional(input, 'PolicyConstraints', 'requireExplicitPolicy', 'inhibitPolicyMapping');
  return {
    requireExplicitPolicy: a ? skipCerts(a) : undefined,
    inhibitPolicyMapping: b ? skipCerts(b) : undefined,
  };
}

/** `SEQUENCE { first [0] IMPLICIT ... OPTIONAL, second [1] IMPLICIT ... OPTIONAL }` with at least one present. */
function twoOptional(
  input: Extension | Uint8Array,
  type: string,
  first: string,
  second: string,
): [Der | undefined, Der | undefined] {
  const node = open(input, type);
  const r = node.read();
  const a = r.optional(contextTag(0, false), first);
  const b = r.optional(contextTag(1, false), second);
  r.end();
  if (!a && !b) throw node.error(`empty ${type}`);
  return [a, b];
}

function skipCerts(node: Der): number {
  const n = retag(node, TAG.INTEGER).smallInt();
  if (n < 0) throw node.error('negative SkipCerts');
  return n;
}

/**
 * policyMappings (RFC 5280 §4.2.1.5):
 * `PolicyMappings ::= SEQUENCE SIZE (1..MAX) OF SEQUENCE { issuerDomainPolicy CertPolicyId, subjectDomainPolicy CertPolicyId }`.
 *
 * @throws DecodeError for malformed DER.
 * @example
 * ```ts
 * decodePolicyMappings(ext)[0]?.issuerDomainPolicy;
 * ```
 */
export function decodePolicyMappings(
  input: Extension | Uint8Array,
): { issuerDomainPolicy: string; subjectDomainPolicy: string }[] {
  const node = open(input, 'PolicyMappings').expect(TAG.SEQUENCE);
  const out = node.children().map((item) => {
    const r = item.read();
    const issuerDomainPolicy = r.next(TAG.OID, 'issuerDomainPolicy').oid();
    const subjectDomainPolicy = r.next(TAG.OID, 'subjectDomainPolicy').oid();
    r.end();
    return { issuerDomainPolicy, subjectDomainPolicy };
  });
  if (out.length === 0) throw node.error('empty PolicyMappings');
  return out;
}

/**
 * inhibitAnyPolicy (RFC 5280 §4.2.1.14): `InhibitAnyPolicy ::= SkipCerts` (INTEGER 0..MAX).
 *
 * @throws DecodeError for malformed DER or a negative count.
 * @example
 * ```ts
 * decodeInhibitAnyPolicy(ext); // 0
 * ```
 */
export function decodeInhibitAnyPolicy(input: Extension | Uint8Array): number {
  return skipCerts(open(input, 'InhibitAnyPolicy'));
}

/** PrivateKeyUsagePeriod bounds. */
export interface PrivateKeyUsagePeriod {
  readonly notBefore?: Date | undefined;
  readonly notAfter?: Date | undefined;
}

/**
 * privateKeyUsagePeriod (RFC 3280 §4.2.1.4, still issued in Russian certificates; gost.md §1.5).
 *
 * ```asn1
 * PrivateKeyUsagePeriod ::= SEQUENCE { notBefore [0] GeneralizedTime OPTIONAL, notAfter [1] GeneralizedTime OPTIONAL }
 * ```
 *
 * @throws DecodeError for malformed DER or an empty sequence.
 * @example
 * ```ts
 * decodePrivateKeyUsagePeriod(ext).notAfter;
 * ```
 */
export function decodePrivateKeyUsagePeriod(input: Extension | Uint8Array): PrivateKeyUsagePeriod {
  const [a, b] = twoOptional(input, 'PrivateKeyUsagePeriod', 'notBefore', 'notAfter');
  return {
    notBefore: a ? retag(a, TAG.GENERALIZED_TIME).time() : undefined,
    notAfter: b ? retag(b, TAG.GENERALIZED_TIME).time() : undefined,
  };
}

/**
 * subjectSignTool (FSB order 795): `SubjectSignTool ::= UTF8String (SIZE (1..200))`, the name of
 * the owner's signature tool. Other string types are read too.
 *
 * @throws DecodeError for malformed DER or a non-string value.
 * @example
 * ```ts
 * decodeSubjectSignTool(ext); // 'СКЗИ "КриптоПро CSP" (версия 5.0)'
 * ```
 */
export function decodeSubjectSignTool(input: Extension | Uint8Array): string {
  return open(input, 'SubjectSignTool').string();
}

/** IssuerSignTool fields. */
export interface IssuerSignTool {
  /** The CA's signature tool. */
  readonly signTool: string;
  /** The CA software. */
  readonly cATool: string;
  /** Certificate of conformity of the signature tool. */
  readonly signToolCert: string;
  /** Certificate of conformity of the CA software. */
  readonly cAToolCert: string;
}

/**
 * issuerSignTool (FSB order 795).
 *
 * ```asn1
 * IssuerSignTool ::= SEQUENCE { signTool UTF8String (SIZE (1..200)), cATool UTF8String (SIZE (1..200)),
 *   signToolCert UTF8String (SIZE (1..100)), cAToolCert UTF8String (SIZE (1..100)) }
 * ```
 *
 * @throws DecodeError for malformed DER.
 * @example
 * ```ts
 * decodeIssuerSignTool(ext).cATool;
 * ```
 */
export function decodeIssuerSignTool(input: Extension | Uint8Array): IssuerSignTool {
  const r = open(input, 'IssuerSignTool').read();
  const [signTool, cATool, signToolCert, cAToolCert] = ['signTool', 'cATool', 'signToolCert', 'cAToolCert'].map((n) =>
    r.next(undefined, n).string(),
  ) as [string, string, string, string];
  r.end();
  return { signTool, cATool, signToolCert, cAToolCert };
}
