// Internal: the parts of XML signature verification that are not XMLDSig core: algorithm URI tables (xml-signatures.md §1, §2), strict reading of base64 element text, XAdES signing-certificate binding and SignatureTimeStamp (ETSI EN 319 132-1 §5.2.2, §5.3), and the certification path (RFC 5280 §6) with revocation.

import {
  ecdsaSha1,
  ecdsaSha256,
  ecdsaSha384,
  ecdsaSha512,
  gost2001,
  gost2012_256,
  gost2012_512,
  rsaPkcs1Sha1,
  rsaPkcs1Sha256,
  rsaPkcs1Sha384,
  rsaPkcs1Sha512,
  rsaPssSha256,
  rsaPssSha384,
  rsaPssSha512,
} from '@eds/core/algorithms';
import { C14N_10, canonicalize } from '@eds/core/c14n';
import { gostr3411_94, gostr3411_2012_256, gostr3411_2012_512, sha1, sha256, sha384, sha512 } from '@eds/core/digests';
import { base64Decode } from '@eds/core/encoding';
import type { SignerInfoView } from '@eds/core/signed-data';
import type { DigestAlgorithm, SignatureAlgorithm } from '@eds/core/types';
import type { Certificate } from '@eds/core/x509';
import { childElements, type Element, NodeType } from '@eds/core/xml';
import { type PathContext, validateCertificate } from './_report-parts';
import type { CheckList, Failure } from './_signer-info';
import { checkTimestamps, type TimestampOutcome } from './_timestamps';

/** XMLDSig namespace (XMLDSig §4). */
export const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
/** XAdES 1.3.2 namespace (ETSI EN 319 132-1 §4.1). */
export const XADES_NS = 'http://uri.etsi.org/01903/v1.3.2#';
/** The Reference Type of SignedProperties (ETSI EN 319 132-1 §4.3.1). */
export const SIGNED_PROPERTIES_TYPE = 'http://uri.etsi.org/01903#SignedProperties';

/** How SignatureValue bytes become the descriptor's input: GOST s‖r as-is, ECDSA r‖s to DER, Kazakh reversed. */
export type SignatureLayout = 'as-is' | 'ecdsa-raw' | 'reversed';

/** A SignatureMethod URI: the descriptor, its layout, and whether it is legacy (SHA-1). */
export interface XmlSignatureMethod {
  readonly algorithm: SignatureAlgorithm;
  readonly layout: SignatureLayout;
  readonly sha1?: boolean;
}

const MORE = 'http://www.w3.org/2001/04/xmldsig-more#';
const CP = 'urn:ietf:params:xml:ns:cpxmlsec:algorithms:';
const KZ = 'urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:';

/** SignatureMethod URIs (xml-signatures.md §1.1-§1.3), emitted and accepted aliases. */
export const SIGNATURE_METHODS: ReadonlyMap<string, XmlSignatureMethod> = new Map([
  [`${CP}gostr34102012-gostr34112012-256`, { algorithm: gost2012_256, layout: 'as-is' }],
  [`${MORE}gostr34102012-gostr34112012-256`, { algorithm: gost2012_256, layout: 'as-is' }],
  [`${CP}gostr34102012-gostr34112012-512`, { algorithm: gost2012_512, layout: 'as-is' }],
  [`${MORE}gostr34102012-gostr34112012-512`, { algorithm: gost2012_512, layout: 'as-is' }],
  [`${MORE}gostr34102001-gostr3411`, { algorithm: gost2001, layout: 'as-is' }],
  [`${CP}gostr34102001-gostr3411`, { algorithm: gost2001, layout: 'as-is' }],
  [`${KZ}gostr34102015-gostr34112015-512`, { algorithm: gost2012_512, layout: 'reversed' }],
  [`${KZ}gostr34102015-gostr34112015-256`, { algorithm: gost2012_256, layout: 'reversed' }],
  [`${MORE}rsa-sha256`, { algorithm: rsaPkcs1Sha256, layout: 'as-is' }],
  [`${MORE}rsa-sha384`, { algorithm: rsaPkcs1Sha384, layout: 'as-is' }],
  [`${MORE}rsa-sha512`, { algorithm: rsaPkcs1Sha512, layout: 'as-is' }],
  ['http://www.w3.org/2000/09/xmldsig#rsa-sha1', { algorithm: rsaPkcs1Sha1, layout: 'as-is', sha1: true }],
  ['http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1', { algorithm: rsaPssSha256, layout: 'as-is' }],
  ['http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1', { algorithm: rsaPssSha384, layout: 'as-is' }],
  ['http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1', { algorithm: rsaPssSha512, layout: 'as-is' }],
  [`${MORE}ecdsa-sha256`, { algorithm: ecdsaSha256, layout: 'ecdsa-raw' }],
  [`${MORE}ecdsa-sha384`, { algorithm: ecdsaSha384, layout: 'ecdsa-raw' }],
  [`${MORE}ecdsa-sha512`, { algorithm: ecdsaSha512, layout: 'ecdsa-raw' }],
  [`${MORE}ecdsa-sha1`, { algorithm: ecdsaSha1, layout: 'ecdsa-raw', sha1: true }],
]);

/** DigestMethod URIs (xml-signatures.md §1). SHA-1 ones are marked legacy. */
export const DIGEST_METHODS: ReadonlyMap<string, { digest: DigestAlgorithm; sha1?: boolean }> = new Map([
  [`${CP}gostr34112012-256`, { digest: gostr3411_2012_256 }],
  [`${MORE}gostr34112012-256`, { digest: gostr3411_2012_256 }],
  [`${CP}gostr34112012-512`, { digest: gostr3411_2012_512 }],
  [`${MORE}gostr34112012-512`, { digest: gostr3411_2012_512 }],
  [`${KZ}gostr34112015-512`, { digest: gostr3411_2012_512 }],
  [`${KZ}gostr34112015-256`, { digest: gostr3411_2012_256 }],
  [`${MORE}gostr3411`, { digest: gostr3411_94 }],
  [`${CP}gostr3411`, { digest: gostr3411_94 }],
  ['http://www.w3.org/2001/04/xmlenc#sha256', { digest: sha256 }],
  [`${MORE}sha384`, { digest: sha384 }],
  ['http://www.w3.org/2001/04/xmlenc#sha512', { digest: sha512 }],
  ['http://www.w3.org/2000/09/xmldsig#sha1', { digest: sha1, sha1: true }],
]);

/** TOTAL_FAILED / FORMAT_FAILURE: a structure XMLDSig does not allow. */
export const FORMAT: Failure = { indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' };
const NO_CERT: Failure = { indication: 'INDETERMINATE', subIndication: 'NO_SIGNING_CERTIFICATE_FOUND' };
const MAX_BASE64_CHARS = 16 * 1024 * 1024;
const MAX_TOKENS = 8;
const OID_SIGNATURE_TIMESTAMP = '1.2.840.113549.1.9.16.2.14';

/** Thrown when an element that must hold only base64 text holds anything else (comment injection, CVE-2025-29775). */
export class XmlStructureError extends Error {}

/**
 * The bytes of a base64 element. Every child must be text: a comment or an element inside
 * (xml-crypto CVE-2025-29775) is refused, never skipped.
 */
export function base64Of(el: Element): Uint8Array {
  let text = '';
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType !== NodeType.TEXT && n.nodeType !== NodeType.CDATA)
      throw new XmlStructureError(`${el.localName} must hold only base64 text`);
    text += n.nodeValue ?? '';
    if (text.length > MAX_BASE64_CHARS) throw new XmlStructureError(`${el.localName} is too large`);
  }
  try {
    return base64Decode(text);
  } catch (e) {
    throw new XmlStructureError(`${el.localName} is not base64: ${(e as Error).message}`);
  }
}

/** The text of an element made only of text (SigningTime, X509SerialNumber); comments refused. */
export function textOf(el: Element): string {
  let text = '';
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType !== NodeType.TEXT && n.nodeType !== NodeType.CDATA)
      throw new XmlStructureError(`${el.localName} must hold only text`);
    text += n.nodeValue ?? '';
  }
  return text.trim();
}

/** The single child `ns:local` of `parent`, undefined when absent; more than one is a structure error. */
export function one(parent: Element, ns: string, local: string, required = true): Element | undefined {
  const found = childElements(parent, ns, local);
  if (found.length > 1) throw new XmlStructureError(`more than one ${local} in ${parent.localName}`);
  if (found.length === 0 && required) throw new XmlStructureError(`no ${local} in ${parent.localName}`);
  return found[0];
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** What XAdES reading found: the qualifying properties, for the report. */
export interface XadesInfo {
  readonly signedProperties: Element;
  readonly claimedSigningTime?: Date | undefined;
  /** SignatureTimeStamp tokens with the C14N algorithm each names (C14N 1.0 when none). */
  readonly timestamps: readonly { readonly token: Uint8Array; readonly c14n: string }[];
}

/** The XAdES QualifyingProperties of a Signature (ds:Object children only), or undefined for plain XMLDSig. */
export function readXades(signature: Element): XadesInfo | undefined {
  const props = childElements(signature, DSIG_NS, 'Object').flatMap((o) =>
    childElements(o, XADES_NS, 'QualifyingProperties'),
  );
  if (props.length === 0) return undefined;
  if (props.length > 1) throw new XmlStructureError('more than one QualifyingProperties');
  const signedProperties = one(props[0] as Element, XADES_NS, 'SignedProperties') as Element;
  const ssp = one(signedProperties, XADES_NS, 'SignedSignatureProperties', false);
  const timeEl = ssp && one(ssp, XADES_NS, 'SigningTime', false);
  const time = timeEl ? new Date(textOf(timeEl)) : undefined;
  const usp = childElements(props[0] as Element, XADES_NS, 'UnsignedProperties').flatMap((u) =>
    childElements(u, XADES_NS, 'UnsignedSignatureProperties'),
  );
  const stamps = usp
    .flatMap((u) => childElements(u, XADES_NS, 'SignatureTimeStamp'))
    .flatMap((t) => {
      const c14n = one(t, DSIG_NS, 'CanonicalizationMethod', false)?.getAttribute('Algorithm') ?? C14N_10;
      return childElements(t, XADES_NS, 'EncapsulatedTimeStamp').map((e) => ({ token: base64Of(e), c14n }));
    });
  return {
    signedProperties,
    claimedSigningTime: time && !Number.isNaN(time.getTime()) ? time : undefined,
    timestamps: stamps,
  };
}

/**
 * SigningCertificateV2 (or v1) bound to the certificate that verified the signature: one Cert
 * whose CertDigest is the digest of its DER (ETSI EN 319 132-1 §5.2.2). Missing: the signer is
 * not identified (XAdES-BES requires it).
 */
export function checkXadesBinding(list: CheckList, signedProperties: Element, cert: Certificate): void {
  const ssp = one(signedProperties, XADES_NS, 'SignedSignatureProperties', false);
  const holder = ssp
    ? (one(ssp, XADES_NS, 'SigningCertificateV2', false) ?? one(ssp, XADES_NS, 'SigningCertificate', false))
    : undefined;
  if (!holder) {
    list.fail('SIGNING_CERTIFICATE_ATTRIBUTE_MISSING', NO_CERT);
    return;
  }
  for (const c of childElements(holder, XADES_NS, 'Cert')) {
    const cd = one(c, XADES_NS, 'CertDigest') as Element;
    const method = (one(cd, DSIG_NS, 'DigestMethod') as Element).getAttribute('Algorithm') ?? '';
    const value = base64Of(one(cd, DSIG_NS, 'DigestValue') as Element);
    const d = DIGEST_METHODS.get(method);
    if (d && equal(d.digest.digest(cert.raw), value)) {
      list.add('SIGNING_CERTIFICATE_BOUND', 'passed');
      return;
    }
  }
  list.fail('SIGNING_CERTIFICATE_MISMATCH', NO_CERT, {
    detail: 'no CertDigest of SigningCertificate(V2) matches the certificate that verified the signature',
  });
}

/**
 * Validates XAdES SignatureTimeStamps: the imprint is over the SignatureValue element
 * canonicalised by the time-stamp's CanonicalizationMethod (ETSI EN 319 132-1 §5.3; C14N 1.0
 * when absent), then the TSA signature and the TSA path, as for CAdES (EN 319 102-1 §5.4). Reuses
 * the CAdES token checks through a minimal SignerInfo-shaped view carrying a token and the
 * covered octets; the best signature time is the earliest valid token.
 */
export async function checkXadesTimestamps(
  list: CheckList,
  tokens: XadesInfo['timestamps'],
  signatureValue: Element,
  ctx: PathContext,
  validationTime: Date,
): Promise<TimestampOutcome> {
  const reports: TimestampOutcome['reports'] = [];
  const certificates: Certificate[] = [];
  let bestTime: Date | undefined;
  for (const { token, c14n } of tokens.slice(0, MAX_TOKENS)) {
    let covered: Uint8Array;
    try {
      covered = canonicalize(signatureValue, { algorithm: c14n });
    } catch (e) {
      list.add('TIMESTAMP_INVALID', 'warning', { params: { kind: 'signature' }, detail: (e as Error).message });
      continue;
    }
    const view = {
      signature: covered,
      unsignedAttrs: { list: [{ oid: OID_SIGNATURE_TIMESTAMP, values: [token] }] },
    } as unknown as SignerInfoView;
    const out = await checkTimestamps(view, list, {
      trust: ctx.trust,
      algorithms: ctx.algorithms,
      pool: ctx.pool,
      validate: (c, extra) => validateCertificate(ctx, c, validationTime, 'timestamping', extra),
    });
    reports.push(...out.reports);
    certificates.push(...out.certificates);
    if (out.bestTime && (!bestTime || out.bestTime < bestTime)) bestTime = out.bestTime;
  }
  return { reports, bestTime, certificates };
}
