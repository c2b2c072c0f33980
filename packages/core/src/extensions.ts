// X.509 certificate, CRL and OCSP extensions (RFC 5280 §4.2, §5.2, §5.3; RFC 6960 §4.4; FSB order 795 sign-tool extensions).

import { retag } from './_describe';
import { contextTag, Der, decodeDer, TAG } from './asn1';
import { DecodeError } from './errors';
import { type Name, parseName } from './name';
import { OID_AD_CA_ISSUERS, OID_AD_OCSP, OID_QT_CPS, OID_QT_UNOTICE } from './oids';

/** One extension as found in the list: OID, criticality, and the contents of its OCTET STRING. */
export interface Extension {
  readonly oid: string;
  readonly critical: boolean;
  /** Contents of `extnValue` (the DER of the extension's own type). */
  readonly value: Uint8Array;
  /** Offset of `value` in the outermost input, for error messages. */
  readonly offset: number;
}

// Decoders read the value through the node it came from, so error offsets are absolute.
const nodes = new WeakMap<Extension, Der>();

/** Upper bound on extensions in one list. */
const MAX_EXTENSIONS = 256;

/**
 * Decodes an Extensions list (RFC 5280 §4.1.2.9). Unknown extensions are kept raw; an OID that
 * appears twice is an error (RFC 5280 §4.2). `critical` encoded as an explicit FALSE (a DER
 * violation found in issued certificates) is accepted.
 *
 * ```asn1
 * Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension
 * Extension ::= SEQUENCE { extnID OBJECT IDENTIFIER, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
 * ```
 *
 * @throws DecodeError `ERR_DECODE_DER` for malformed DER, an empty list or a duplicate OID.
 * @example
 * ```ts
 * for (const e of parseExtensions(der)) console.log(e.oid, e.critical);
 * ```
 */
export function parseExtensions(input: Uint8Array | Der): Extension[] {
  const node = input instanceof Der ? input : decodeDer(input, 'Extensions');
  node.expect(TAG.SEQUENCE);
  const out: Extension[] = [];
  const seen = new Set<string>();
  for (const item of node.iterate()) {
    if (out.length >= MAX_EXTENSIONS) throw item.error(`more than ${MAX_EXTENSIONS} extensions`);
    const r = item.read();
    const oid = r.next(TAG.OID, 'extnID').oid();
    const crit = r.optional(TAG.BOOLEAN, 'critical');
    const valueNode = r.next(TAG.OCTET_STRING, 'extnValue');
    r.end();
    if (seen.has(oid)) throw item.error(`duplicate extension ${oid}`);
    seen.add(oid);
    const ext: Extension = {
      oid,
      critical: crit ? crit.bool() : false,
      value: valueNode.value,
      offset: valueNode.valueOffset,
    };
    nodes.set(ext, valueNode.named(`${item.path}(${oid})`));
    out.push(ext);
  }
  if (out.length === 0) throw node.error('empty Extensions');
  return out;
}

/** The DER inside an extension value (or inside given bytes). */
function open(input: Extension | Uint8Array, name: string): Der {
  if (input instanceof Uint8Array) return decodeDer(input, name);
  const node = nodes.get(input);
  return node ? node.inner(name) : decodeDer(input.value, name);
}

// ---------------------------------------------------------------------------------------------
// GeneralName (RFC 5280 §4.2.1.6)

/**
 * One GeneralName. `iPAddress` keeps the octets (4 or 16, or 8/32 with a mask in name
 * constraints); `otherName` keeps the DER of its value; x400Address and ediPartyName stay raw.
 *
 * ```asn1
 * GeneralName ::= CHOICE { otherName [0] OtherName, rfc822Name [1] IA5String, dNSName [2] IA5String,
 *   x400Address [3] ORAddress, directoryName [4] Name, ediPartyName [5] EDIPartyName,
 *   uniformResourceIdentifier [6] IA5String, iPAddress [7] OCTET STRING, registeredID [8] OBJECT IDENTIFIER }
 * ```
 */
export type GeneralName =
  | { readonly type: 'otherName'; readonly typeId: string; readonly value: Uint8Array }
  | { readonly type: 'rfc822Name' | 'dNSName' | 'uniformResourceIdentifier'; readonly value: string }
  | { readonly type: 'x400Address' | 'ediPartyName'; readonly raw: Uint8Array }
  | { readonly type: 'directoryName'; readonly value: Name }
  | { readonly type: 'iPAddress'; readonly value: Uint8Array }
  | { readonly type: 'registeredID'; readonly value: string };

/** Decodes one GeneralName node. */
export function readGeneralName(node: Der): GeneralName {
  if ((node.tag & 0xc0) !== 0x80) throw node.error('expected a context-tagged GeneralName');
  switch (node.tag) {
    case contextTag(0, true): {
      const r = node.read(node.tag);
      const typeId = r.next(TAG.OID, 'type-id').oid();
      const value = r.next(contextTag(0, true), 'value').explicit(0).bytes;
      r.end();
      return { type: 'otherName', typeId, value };
    }
    case contextTag(1, false):
      return { type: 'rfc822Name', value: retag(node, TAG.IA5_STRING).string() };
    case contextTag(2, false):
      return { type: 'dNSName', value: retag(node, TAG.IA5_STRING).string() };
    case contextTag(3, true):
      return { type: 'x400Address', raw: node.bytes };
    case contextTag(4, true):
      return { type: 'directoryName', value: parseName(node.explicit(4)) };
    case contextTag(5, true):
      return { type: 'ediPartyName', raw: node.bytes };
    case contextTag(6, false):
      return { type: 'uniformResourceIdentifier', value: retag(node, TAG.IA5_STRING).string() };
    case contextTag(7, false):
      return { type: 'iPAddress', value: node.value };
    case contextTag(8, false):
      return { type: 'registeredID', value: retag(node, TAG.OID).oid() };
    default:
      throw node.error(`unknown GeneralName choice [${node.tagNumber}]`);
  }
}

/** GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName, under `tag` (SEQUENCE or an implicit tag). */
export function readGeneralNames(node: Der, tag: number = TAG.SEQUENCE): GeneralName[] {
  node.expect(tag);
  const out: GeneralName[] = [];
  for (const item of node.iterate()) out.push(readGeneralName(item));
  if (out.length === 0) throw node.error('empty GeneralNames');
  return out;
}

/**
 * subjectAltName / issuerAltName / certificateIssuer (RFC 5280 §4.2.1.6, §4.2.1.7, §5.3.3).
 *
 * @throws DecodeError for malformed DER.
 * @example
 * ```ts
 * decodeGeneralNames(ext).filter((n) => n.type === 'rfc822Name');
 * ```
 */
export function decodeGeneralNames(input: Extension | Uint8Array): GeneralName[] {
  return readGeneralNames(open(input, 'GeneralNames'));
}

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
 * @throws DecodeError for malformed DER.
 * @example
 * ```ts
 * decodeCertificatePolicies(ext).map((p) => p.oid);
 * ```
 */
export function decodeCertificatePolicies(input: Extension | Uint8Array): PolicyInformation[] {
  const node = open(input, 'certificatePolicies').expect(TAG.SEQUENCE);
  const out: PolicyInformation[] = [];
  for (const item of node.iterate()) {
    const r = item.read();
    const oid = r.next(TAG.OID, 'policyIdentifier').oid();
    const qs = r.optional(TAG.SEQUENCE, 'policyQualifiers');
    r.end();
    if (out.some((p) => p.oid === oid)) throw item.error(`duplicate policy ${oid}`);
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
    authorityCertSerialNumber: serial ? retag(serial, TAG.INTEGER).integer() : undefined,
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

/** ReasonFlags bit names, bit 0 first (RFC 5280 §4.2.1.13). */
export const REASON_FLAG_BITS = [
  'unused',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'privilegeWithdrawn',
  'aACompromise',
] as const;

export type ReasonFlag = (typeof REASON_FLAG_BITS)[number];

/** DistributionPointName: full GeneralNames, or an RDN relative to the CRL issuer kept as a one-RDN Name. */
export type DistributionPointName =
  | { readonly type: 'fullName'; readonly names: readonly GeneralName[] }
  | { readonly type: 'nameRelativeToCRLIssuer'; readonly raw: Uint8Array };

/** One DistributionPoint. `uris` lists the URIs of `fullName` for convenience. */
export interface DistributionPoint {
  readonly name?: DistributionPointName | undefined;
  readonly reasons?: ReadonlySet<ReasonFlag> | undefined;
  readonly crlIssuer?: readonly GeneralName[] | undefined;
  readonly uris: readonly string[];
}

function readDpName(node: Der): DistributionPointName {
  const inner = node.explicit(0);
  if (inner.tag === contextTag(0, true)) return { type: 'fullName', names: readGeneralNames(inner, inner.tag) };
  if (inner.tag === contextTag(1, true)) return { type: 'nameRelativeToCRLIssuer', raw: inner.bytes };
  throw inner.error('expected fullName [0] or nameRelativeToCRLIssuer [1]');
}

function reasonSet(node: Der): ReadonlySet<ReasonFlag> {
  const bits = node.flags(node.tag);
  return new Set(REASON_FLAG_BITS.filter((_, i) => bits.has(i)));
}

function dpUris(name: DistributionPointName | undefined): string[] {
  if (name?.type !== 'fullName') return [];
  return name.names.flatMap((n) => (n.type === 'uniformResourceIdentifier' ? [n.value] : []));
}

/**
 * cRLDistributionPoints (RFC 5280 §4.2.1.13), also freshestCRL (§4.2.1.15).
 *
 * ```asn1
 * CRLDistributionPoints ::= SEQUENCE SIZE (1..MAX) OF DistributionPoint
 * DistributionPoint ::= SEQUENCE { distributionPoint [0] DistributionPointName OPTIONAL,
 *   reasons [1] ReasonFlags OPTIONAL, cRLIssuer [2] GeneralNames OPTIONAL }
 * DistributionPointName ::= CHOICE { fullName [0] GeneralNames, nameRelativeToCRLIssuer [1] RelativeDistinguishedName }
 * ```
 *
 * @throws DecodeError for malformed DER, or a point with neither a name nor a cRLIssuer.
 * @example
 * ```ts
 * decodeCrlDistributionPoints(ext).flatMap((p) => p.uris);
 * ```
 */
export function decodeCrlDistributionPoints(input: Extension | Uint8Array): DistributionPoint[] {
  const node = open(input, 'CRLDistributionPoints').expect(TAG.SEQUENCE);
  const out: DistributionPoint[] = [];
  for (const item of node.iterate()) {
    const r = item.read();
    const dp = r.optional(contextTag(0, true), 'distributionPoint');
    const reasons = r.optional(contextTag(1, false), 'reasons');
    const issuer = r.optional(contextTag(2, true), 'cRLIssuer');
    r.end();
    if (!dp && !issuer) throw item.error('DistributionPoint with neither distributionPoint nor cRLIssuer');
    const name = dp ? readDpName(dp) : undefined;
    out.push({
      name,
      reasons: reasons ? reasonSet(reasons) : undefined,
      crlIssuer: issuer ? readGeneralNames(issuer, issuer.tag) : undefined,
      uris: dpUris(name),
    });
  }
  if (out.length === 0) throw node.error('empty CRLDistributionPoints');
  return out;
}

/** One GeneralSubtree; `maximum` undefined means unbounded. */
export interface GeneralSubtree {
  readonly base: GeneralName;
  readonly minimum: number;
  readonly maximum?: number | undefined;
}

/** NameConstraints: permitted and excluded subtrees. */
export interface NameConstraints {
  readonly permitted?: readonly GeneralSubtree[] | undefined;
  readonly excluded?: readonly GeneralSubtree[] | undefined;
}

function readSubtrees(node: Der): GeneralSubtree[] {
  const out: GeneralSubtree[] = [];
  for (const item of node.iterate()) {
    const r = item.read();
    const base = readGeneralName(r.next(undefined, 'base'));
    const min = r.optional(contextTag(0, false), 'minimum');
    const max = r.optional(contextTag(1, false), 'maximum');
    r.end();
    out.push({
      base,
      minimum: min ? retag(min, TAG.INTEGER).smallInt() : 0,
      maximum: max ? retag(max, TAG.INTEGER).smallInt() : undefined,
    });
  }
  if (out.length === 0) throw node.error('empty GeneralSubtrees');
  return out;
}

/**
 * nameConstraints (RFC 5280 §4.2.1.10).
 *
 * ```asn1
 * NameConstraints ::= SEQUENCE { permittedSubtrees [0] GeneralSubtrees OPTIONAL, excludedSubtrees [1] GeneralSubtrees OPTIONAL }
 * GeneralSubtree ::= SEQUENCE { base GeneralName, minimum [0] BaseDistance DEFAULT 0, maximum [1] BaseDistance OPTIONAL }
 * ```
 *
 * @throws DecodeError for malformed DER or an empty NameConstraints.
 * @example
 * ```ts
 * decodeNameConstraints(ext).permitted?.map((s) => s.base);
 * ```
 */
export function decodeNameConstraints(input: Extension | Uint8Array): NameConstraints {
  const node = open(input, 'NameConstraints');
  const r = node.read();
  const permitted = r.optional(contextTag(0, true), 'permittedSubtrees');
  const excluded = r.optional(contextTag(1, true), 'excludedSubtrees');
  r.end();
  if (!permitted && !excluded) throw node.error('empty NameConstraints');
  return {
    permitted: permitted ? readSubtrees(permitted) : undefined,
    excluded: excluded ? readSubtrees(excluded) : undefined,
  };
}

/** PolicyConstraints: skip counts, undefined when absent. */
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
  const node = open(input, 'PolicyConstraints');
  const r = node.read();
  const a = r.optional(contextTag(0, false), 'requireExplicitPolicy');
  const b = r.optional(contextTag(1, false), 'inhibitPolicyMapping');
  r.end();
  if (!a && !b) throw node.error('empty PolicyConstraints');
  return {
    requireExplicitPolicy: a ? skipCerts(a) : undefined,
    inhibitPolicyMapping: b ? skipCerts(b) : undefined,
  };
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
  const node = open(input, 'PrivateKeyUsagePeriod');
  const r = node.read();
  const a = r.optional(contextTag(0, false), 'notBefore');
  const b = r.optional(contextTag(1, false), 'notAfter');
  r.end();
  if (!a && !b) throw node.error('empty PrivateKeyUsagePeriod');
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

// ---------------------------------------------------------------------------------------------
// CRL and CRL-entry extensions (RFC 5280 §5.2, §5.3), OCSP nonce (RFC 6960 §4.4.1, RFC 8954)

/**
 * cRLNumber or deltaCRLIndicator (RFC 5280 §5.2.3, §5.2.4): `CRLNumber ::= INTEGER (0..MAX)`.
 *
 * @throws DecodeError for malformed DER or a negative number.
 * @example
 * ```ts
 * decodeCrlNumber(ext); // 42n
 * ```
 */
export function decodeCrlNumber(input: Extension | Uint8Array): bigint {
  const node = open(input, 'CRLNumber');
  const n = node.integer();
  if (n < 0n) throw node.error('negative CRLNumber');
  return n;
}

/** IssuingDistributionPoint fields; booleans are false when absent. */
export interface IssuingDistributionPoint {
  readonly name?: DistributionPointName | undefined;
  readonly uris: readonly string[];
  readonly onlyContainsUserCerts: boolean;
  readonly onlyContainsCACerts: boolean;
  readonly onlySomeReasons?: ReadonlySet<ReasonFlag> | undefined;
  readonly indirectCRL: boolean;
  readonly onlyContainsAttributeCerts: boolean;
}

/**
 * issuingDistributionPoint (RFC 5280 §5.2.5). An empty sequence and more than one of the
 * `onlyContains*` flags are errors (RFC 5280 §5.2.5).
 *
 * ```asn1
 * IssuingDistributionPoint ::= SEQUENCE { distributionPoint [0] DistributionPointName OPTIONAL,
 *   onlyContainsUserCerts [1] BOOLEAN DEFAULT FALSE, onlyContainsCACerts [2] BOOLEAN DEFAULT FALSE,
 *   onlySomeReasons [3] ReasonFlags OPTIONAL, indirectCRL [4] BOOLEAN DEFAULT FALSE,
 *   onlyContainsAttributeCerts [5] BOOLEAN DEFAULT FALSE }
 * ```
 *
 * @throws DecodeError for malformed DER or the violations above.
 * @example
 * ```ts
 * decodeIssuingDistributionPoint(ext).onlyContainsUserCerts;
 * ```
 */
export function decodeIssuingDistributionPoint(input: Extension | Uint8Array): IssuingDistributionPoint {
  const node = open(input, 'IssuingDistributionPoint');
  const r = node.read();
  const dp = r.optional(contextTag(0, true), 'distributionPoint');
  const flag = (n: number, name: string) => {
    const f = r.optional(contextTag(n, false), name);
    return f ? retag(f, TAG.BOOLEAN).bool() : false;
  };
  const onlyContainsUserCerts = flag(1, 'onlyContainsUserCerts');
  const onlyContainsCACerts = flag(2, 'onlyContainsCACerts');
  const reasons = r.optional(contextTag(3, false), 'onlySomeReasons');
  const indirectCRL = flag(4, 'indirectCRL');
  const onlyContainsAttributeCerts = flag(5, 'onlyContainsAttributeCerts');
  r.end();
  if (node.value.length === 0) throw node.error('empty IssuingDistributionPoint');
  if (Number(onlyContainsUserCerts) + Number(onlyContainsCACerts) + Number(onlyContainsAttributeCerts) > 1) {
    throw node.error('more than one onlyContains* flag set');
  }
  const name = dp ? readDpName(dp) : undefined;
  return {
    name,
    uris: dpUris(name),
    onlyContainsUserCerts,
    onlyContainsCACerts,
    onlySomeReasons: reasons ? reasonSet(reasons) : undefined,
    indirectCRL,
    onlyContainsAttributeCerts,
  };
}

/** CRLReason names by code (RFC 5280 §5.3.1); 7 is not used. */
export const CRL_REASONS: Readonly<Record<number, string>> = {
  0: 'unspecified',
  1: 'keyCompromise',
  2: 'cACompromise',
  3: 'affiliationChanged',
  4: 'superseded',
  5: 'cessationOfOperation',
  6: 'certificateHold',
  8: 'removeFromCRL',
  9: 'privilegeWithdrawn',
  10: 'aACompromise',
};

/** Reads a CRLReason ENUMERATED node. */
export function readReason(node: Der): string {
  const code = node.smallInt(TAG.ENUMERATED);
  const name = CRL_REASONS[code];
  if (!name) throw node.error(`unknown CRLReason ${code}`);
  return name;
}

/**
 * reasonCode CRL-entry extension (RFC 5280 §5.3.1): `CRLReason ::= ENUMERATED`, as its name.
 *
 * @throws DecodeError for malformed DER or an unknown code.
 * @example
 * ```ts
 * decodeReasonCode(ext); // 'keyCompromise'
 * ```
 */
export function decodeReasonCode(input: Extension | Uint8Array): string {
  return readReason(open(input, 'CRLReason'));
}

/**
 * invalidityDate CRL-entry extension (RFC 5280 §5.3.2): `InvalidityDate ::= GeneralizedTime`.
 *
 * @throws DecodeError for malformed DER or a time not in DER form.
 * @example
 * ```ts
 * decodeInvalidityDate(ext).toISOString();
 * ```
 */
export function decodeInvalidityDate(input: Extension | Uint8Array): Date {
  return open(input, 'InvalidityDate').expect(TAG.GENERALIZED_TIME).time();
}

/**
 * OCSP nonce (RFC 6960 §4.4.1, RFC 8954): the contents of the inner OCTET STRING; responders
 * that put the bare bytes in extnValue are read as-is.
 *
 * @example
 * ```ts
 * decodeOcspNonce(ext).length; // 32
 * ```
 */
export function decodeOcspNonce(input: Extension | Uint8Array): Uint8Array {
  const bytes = input instanceof Uint8Array ? input : input.value;
  try {
    return open(input, 'Nonce').octets();
  } catch (e) {
    if (e instanceof DecodeError) return bytes;
    throw e;
  }
}

/** The extension with `oid` in a list, or undefined. */
export function findExtension(list: readonly Extension[] | undefined, oid: string): Extension | undefined {
  return list?.find((e) => e.oid === oid);
}
