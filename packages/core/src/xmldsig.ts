// XML signature building: XMLDSig enveloped/enveloping/detached (W3C XMLDSig 1.1), XAdES-BES/T (ETSI EN 319 132-1), SMEV 3 and Kazakh profiles (xml-signatures.md).
import type { Document, Element, Node } from '@xmldom/xmldom';
import { copyBytes } from './_bytes';
import {
  ENVELOPED_SIGNATURE,
  lookupXmlAlgorithm,
  type UriProfile,
  XADES_NS,
  XADES_SIGNED_PROPERTIES_TYPE,
  XMLDSIG_NS,
  type XmlAlgorithm,
} from './_xmldsig-uris';
import { ecdsaDerToP1363 } from './algorithms';
import { der } from './asn1';
import {
  C14N_10,
  C14N_10_WITH_COMMENTS,
  C14N_11,
  C14N_11_WITH_COMMENTS,
  canonicalize,
  EXC_C14N,
  EXC_C14N_WITH_COMMENTS,
  excludeSubtree,
} from './c14n';
import type { TimestampSource, TsaEndpoint } from './cades';
import { base64Encode } from './encoding';
import { DecodeError, TimestampError, UnsupportedAlgorithmError } from './errors';
import { SMEV_TRANSFORM_URI, smevTransform } from './smev-transform';
import { checkTimestampToken, requestTimestamp } from './tsp';
import type { DigestAlgorithm, Signer } from './types';
import { parseCertificate } from './x509';
import {
  buildIdIndex,
  childElements,
  findElements,
  NodeType,
  parseXml,
  serializeXml,
  walkElements,
  XMLNS_NS,
} from './xml';

export {
  DIGEST_URIS,
  ECDSA_SHA256,
  ECDSA_SHA384,
  ECDSA_SHA512,
  ENVELOPED_SIGNATURE,
  GOST2001_SIGNATURE,
  GOST2012_256_DIGEST,
  GOST2012_256_SIGNATURE,
  GOST2012_512_DIGEST,
  GOST2012_512_SIGNATURE,
  GOST3411_94_DIGEST,
  KZ_CURVE_OIDS,
  KZ_GOST2015_256_DIGEST,
  KZ_GOST2015_256_SIGNATURE,
  KZ_GOST2015_512_DIGEST,
  KZ_GOST2015_512_SIGNATURE,
  RSA_SHA256,
  RSA_SHA384,
  RSA_SHA512,
  SHA256_DIGEST,
  SHA384_DIGEST,
  SHA512_DIGEST,
  XADES_NS,
  XADES_SIGNED_PROPERTIES_TYPE,
  XMLDSIG_NS,
} from './_xmldsig-uris';
/** The SMEV 3 transform URI (`urn://smev-gov-ru/xmldsig/transform`, xml-signatures.md §3.1). */
export const SMEV_TRANSFORM = SMEV_TRANSFORM_URI;

/** Options of {@link signXml}. */
export interface SignXmlOptions {
  /** The XML to sign (UTF-8 octets or text); parsed by `parseXml` with its default limits. */
  readonly document: string | Uint8Array;
  readonly signer: Signer;
  /**
   * `enveloped` (default; Signature the last child of the root or of `signatureParent`, transforms
   * enveloped-signature + C14N), `enveloping` (the document's root inside `ds:Object`, the
   * Signature is the new root) or `detached` (Signature placed outside the element `referenceId`
   * names, in the same document; no enveloped transform). SMEV 3 is always `detached`.
   */
  readonly mode?: 'enveloped' | 'enveloping' | 'detached' | undefined;
  /** Sign the element with this `Id`/`ID`/`id` (`URI="#id"`); default the whole document (`URI=""`). */
  readonly referenceId?: string | undefined;
  /**
   * The Id of the element the Signature is appended to (as its last child). For `smev3` the
   * default is the one `CallerInformationSystemSignature` element of the document (any namespace).
   */
  readonly signatureParent?: string | undefined;
  /** `default` (W3C/IANA URIs), `smev3` (xml-signatures.md §3.1) or `kazakh` (NCALayer, §1.2, §2). */
  readonly profile?: 'default' | 'smev3' | 'kazakh' | undefined;
  /** XAdES level: BES adds SignedProperties; T also a SignatureTimeStamp from `tsa`. */
  readonly xades?: { level: 'BES' | 'T'; tsa?: TimestampSource; signingTime?: Date } | undefined;
  /** C14N URI for SignedInfo and the references' C14N transform (default exclusive C14N); `default` profile only. */
  readonly canonicalization?: string | undefined;
  /** Write the signer's certificate in KeyInfo/X509Data (default true; needs `signer.certificate`). */
  readonly includeCertificate?: boolean | undefined;
  /** The Id of the ds:Signature element (generated when XAdES needs one and none is given). */
  readonly signatureId?: string | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** What a profile fixes: the SignedInfo C14N, the main reference's transforms and the mode. */
interface Plan {
  readonly profile: UriProfile;
  readonly mode: 'enveloped' | 'enveloping' | 'detached';
  readonly c14n: string;
  readonly transforms: readonly string[];
  readonly alg: XmlAlgorithm;
  readonly digest: DigestAlgorithm;
}

const C14N_URIS: readonly string[] = [
  C14N_10,
  C14N_10_WITH_COMMENTS,
  C14N_11,
  C14N_11_WITH_COMMENTS,
  EXC_C14N,
  EXC_C14N_WITH_COMMENTS,
];
const ID_PATTERN = /^[A-Za-z_][\w.-]*$/;

/**
 * The XMLDSig SignatureMethod and DigestMethod URIs this module writes for `signer` (xml-signatures.md
 * §1): GOST R 34.10-2012 with the IANA cpxmlsec URIs (Kazakh profile: pkigovkz URIs), RSA PKCS#1 v1.5
 * and ECDSA with the W3C/RFC 6931 URIs.
 *
 * @throws {UnsupportedAlgorithmError} for a signer the profile cannot use (Ed25519, RSA-PSS, ECDSA in SMEV 3, ...).
 * @example
 * ```ts
 * xmlSignatureAlgorithm(signer); // { signatureUri: 'urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr34102012-gostr34112012-256', digestUri: '…:gostr34112012-256' }
 * ```
 */
export function xmlSignatureAlgorithm(
  signer: Signer,
  profile: 'default' | 'smev3' | 'kazakh' = 'default',
): { signatureUri: string; digestUri: string } {
  const { signatureUri, digestUri } = lookupXmlAlgorithm(signer, profile);
  return { signatureUri, digestUri };
}

/**
 * Signs an XML document and returns the signed document as text (XMLDSig §3.1 core generation).
 * The SignedInfo is canonicalised in place, signed, and the document serialised once; the output
 * is re-parsed and its canonical SignedInfo compared with the signed octets, so what was signed is
 * what is returned. The document is re-serialised (attribute quoting, empty tags): its canonical
 * form is unchanged. An XML declaration in the input is written back as `encoding="UTF-8"`.
 *
 * Profiles: `default`: CanonicalizationMethod and C14N transform `canonicalization` (exclusive
 * C14N by default); `smev3` (xml-signatures.md §3.1): exclusive C14N, one Reference `#referenceId`
 * with transforms [exc-c14n, `urn://smev-gov-ru/xmldsig/transform`], GOST only, the Signature in
 * `signatureParent` (default `CallerInformationSystemSignature`); `kazakh` (§1.2, §2): inclusive
 * C14N 1.0, transforms [enveloped-signature, C14N 1.0 WithComments], pkigovkz URIs, SignatureValue
 * byte-reversed, GOST-512 keys on paramSetA (1.2.643.7.1.2.1.2.1 ≡ KZ 1.2.398.3.10.1.1.2.2.1).
 * SignatureValue: GOST s‖r big-endian (RFC 4491 §2.2.2), ECDSA r‖s (XMLDSig 1.1 §6.4.3), RSA as is.
 *
 * XAdES (ETSI EN 319 132-1): `ds:Object/xades:QualifyingProperties` with SignedProperties
 * (SigningTime, SigningCertificateV2: the certificate digest with the signer's hash and
 * IssuerSerialV2 = base64 DER `IssuerSerial` of RFC 5035), referenced with Type
 * `http://uri.etsi.org/01903#SignedProperties` and exclusive C14N; level T adds
 * UnsignedSignatureProperties/SignatureTimeStamp over the exclusive-C14N ds:SignatureValue (§5.3).
 *
 * @throws {TypeError} for misuse: no signer, an unknown mode/profile/C14N, a missing or bad
 *   `referenceId`/`signatureParent`, a detached reference that contains the Signature, XAdES or
 *   `includeCertificate: true` without a certificate, level T without `tsa`, an Id already taken.
 * @throws {DecodeError} when the document is not well-formed XML (or has a DOCTYPE, duplicate Ids, ...).
 * @throws {UnsupportedAlgorithmError} for a signer the profile cannot use.
 * @throws {TimestampError}, {FetchError} from the TSA (level T); the signal's reason on abort.
 * @example
 * ```ts
 * const signed = await signXml({ document: xml, signer, xades: { level: 'BES' } });
 * const smev = await signXml({ document: envelope, signer, profile: 'smev3', referenceId: 'SIGNED_BY_CONSUMER' });
 * ```
 */
export async function signXml(options: SignXmlOptions): Promise<string> {
  const plan = makePlan(options);
  const input = options.document;
  if (typeof input !== 'string' && !(input instanceof Uint8Array))
    throw new TypeError('signXml: document must be a string or a Uint8Array');
  const hadDeclaration = hasDeclaration(input);
  const parsed = parseXml(input);
  const ids = buildIdIndex(parsed); // duplicate Ids in the input are refused here
  const { doc, signature, target } =
    plan.mode === 'enveloping'
      ? envelopingSignature(parsed, options, plan)
      : placedSignature(parsed, ids, options, plan);
  const signedInfo = signature.firstChild as Element;
  fillDigest(signedInfo, 0, referenceDigest(target, plan.transforms, signature, plan.digest));
  const props = xadesSignedProperties(signature);
  if (props) fillDigest(signedInfo, 1, referenceDigest(props, [EXC_C14N], signature, plan.digest));
  const signedBytes = canonicalize(signedInfo, { algorithm: plan.c14n });
  checkAborted(options.signal);
  const raw = await options.signer.sign(signedBytes, options.signal ? { signal: options.signal } : undefined);
  const value = signatureLayout(raw, plan.alg, options.signer);
  const signatureValue = childAt(signature, 1);
  signatureValue.appendChild(doc.createTextNode(base64Encode(value)));
  if (options.xades?.level === 'T') await addSignatureTimestamp(signature, signatureValue, plan, options);
  const index = findElements(doc, XMLDSIG_NS, 'Signature').indexOf(signature);
  const out = (hadDeclaration ? '<?xml version="1.0" encoding="UTF-8"?>\n' : '') + serialize(doc);
  checkRoundTrip(out, index, signedBytes, plan.c14n);
  return out;
}

/** Validates the options and fixes what the profile decides. */
function makePlan(options: SignXmlOptions): Plan {
  if (!options || typeof options !== 'object') throw new TypeError('signXml: options are required');
  const { signer } = options;
  if (!signer || typeof signer.sign !== 'function' || !signer.algorithm)
    throw new TypeError('signXml: signer must be a Signer');
  const profile = options.profile ?? 'default';
  if (!['default', 'smev3', 'kazakh'].includes(profile)) throw new TypeError(`signXml: unknown profile ${profile}`);
  const mode = options.mode ?? (profile === 'smev3' ? 'detached' : 'enveloped');
  if (!['enveloped', 'enveloping', 'detached'].includes(mode)) throw new TypeError(`signXml: unknown mode ${mode}`);
  checkIdOption('referenceId', options.referenceId);
  checkIdOption('signatureParent', options.signatureParent);
  checkIdOption('signatureId', options.signatureId);
  checkCertificateOptions(options);
  const alg = lookupXmlAlgorithm(signer, profile);
  const digest = signer.algorithm.digest;
  if (!digest) throw new UnsupportedAlgorithmError({}, `xmldsig: ${signer.algorithm.name} has no digest`);
  if (profile === 'smev3') {
    if (mode !== 'detached') throw new TypeError('signXml: SMEV 3 signatures are detached (mode "detached")');
    if (!options.referenceId) throw new TypeError('signXml: SMEV 3 needs referenceId (e.g. SIGNED_BY_CONSUMER)');
    if (options.canonicalization !== undefined || options.xades)
      throw new TypeError('signXml: SMEV 3 fixes the canonicalization and has one Reference (no XAdES)');
    return { profile, mode, c14n: EXC_C14N, transforms: [EXC_C14N, SMEV_TRANSFORM_URI], alg, digest };
  }
  if (profile === 'kazakh') {
    if (mode !== 'enveloped') throw new TypeError('signXml: the Kazakh profile is enveloped');
    if (options.canonicalization !== undefined)
      throw new TypeError('signXml: the Kazakh profile fixes the canonicalization');
    return { profile, mode, c14n: C14N_10, transforms: [ENVELOPED_SIGNATURE, C14N_10_WITH_COMMENTS], alg, digest };
  }
  const c14n = options.canonicalization ?? EXC_C14N;
  if (!C14N_URIS.includes(c14n)) throw new TypeError(`signXml: not a canonicalization URI: ${c14n}`);
  if (mode === 'detached' && !options.referenceId) throw new TypeError('signXml: detached signatures need referenceId');
  const transforms = mode === 'enveloped' ? [ENVELOPED_SIGNATURE, c14n] : [c14n];
  return { profile, mode, c14n, transforms, alg, digest };
}

function checkIdOption(name: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || !ID_PATTERN.test(value))
    throw new TypeError(`signXml: ${name} must be an XML NCName`);
}

function checkCertificateOptions(options: SignXmlOptions): void {
  const hasCert = options.signer.certificate instanceof Uint8Array;
  if (options.includeCertificate === true && !hasCert)
    throw new TypeError('signXml: includeCertificate needs signer.certificate');
  const xades = options.xades;
  if (xades === undefined) return;
  if (xades.level !== 'BES' && xades.level !== 'T') throw new TypeError('signXml: xades.level must be BES or T');
  if (!hasCert) throw new TypeError('signXml: XAdES needs signer.certificate (SigningCertificateV2)');
  if (xades.level === 'T' && !xades.tsa) throw new TypeError('signXml: XAdES-T needs xades.tsa');
  if (xades.signingTime !== undefined && !(xades.signingTime instanceof Date && !Number.isNaN(+xades.signingTime)))
    throw new TypeError('signXml: xades.signingTime must be a valid Date');
}

function hasDeclaration(input: string | Uint8Array): boolean {
  const head = typeof input === 'string' ? input.slice(0, 8) : new TextDecoder().decode(input.subarray(0, 8));
  return /^\uFEFF?<\?xml[\t\n\r ]/.test(head);
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('signing was aborted', 'AbortError');
}

// ---------------------------------------------------------------------------------------------
// Building the Signature element

type Child = Node | string;

function el(doc: Document, ns: string, qname: string, attrs: Record<string, string>, ...children: Child[]): Element {
  const e = doc.createElementNS(ns, qname);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.appendChild(typeof c === 'string' ? doc.createTextNode(c) : c);
  return e;
}

function ds(doc: Document, local: string, attrs: Record<string, string> = {}, ...children: Child[]): Element {
  return el(doc, XMLDSIG_NS, `ds:${local}`, attrs, ...children);
}

function xa(doc: Document, local: string, attrs: Record<string, string> = {}, ...children: Child[]): Element {
  return el(doc, XADES_NS, `xades:${local}`, attrs, ...children);
}

function randomId(prefix: string): string {
  const b = new Uint8Array(8);
  globalThis.crypto.getRandomValues(b);
  return `${prefix}-${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;
}

/** ds:Signature with SignedInfo (empty DigestValues), empty SignatureValue, KeyInfo, XAdES Object. */
function createSignature(doc: Document, options: SignXmlOptions, plan: Plan, content?: Node): Element {
  const needsId = options.xades !== undefined;
  const sigId = options.signatureId ?? (needsId ? randomId('signature') : undefined);
  const enveloping = plan.mode === 'enveloping';
  const signature = enveloping ? (doc.documentElement as Element) : ds(doc, 'Signature');
  if (!enveloping) signature.setAttributeNS(XMLNS_NS, 'xmlns:ds', XMLDSIG_NS);
  if (sigId) signature.setAttribute('Id', sigId);
  const uri = options.referenceId !== undefined ? `#${options.referenceId}` : '';
  const objectId = enveloping ? randomId('object') : undefined;
  const refs = [reference(doc, enveloping && !options.referenceId ? `#${objectId}` : uri, plan.transforms, plan)];
  const propsId = sigId ? `${sigId}-signedprops` : '';
  if (options.xades) refs.push(reference(doc, `#${propsId}`, [EXC_C14N], plan, XADES_SIGNED_PROPERTIES_TYPE));
  signature.appendChild(
    ds(
      doc,
      'SignedInfo',
      {},
      ds(doc, 'CanonicalizationMethod', { Algorithm: plan.c14n }),
      ds(doc, 'SignatureMethod', { Algorithm: plan.alg.signatureUri }),
      ...refs,
    ),
  );
  signature.appendChild(ds(doc, 'SignatureValue'));
  const cert = options.signer.certificate;
  if (cert instanceof Uint8Array && options.includeCertificate !== false)
    signature.appendChild(
      ds(doc, 'KeyInfo', {}, ds(doc, 'X509Data', {}, ds(doc, 'X509Certificate', {}, base64Encode(cert)))),
    );
  if (content) signature.appendChild(ds(doc, 'Object', { Id: objectId as string }, content));
  if (options.xades && cert)
    signature.appendChild(
      ds(doc, 'Object', {}, qualifyingProperties(doc, sigId as string, propsId, cert, plan, options.xades.signingTime)),
    );
  return signature;
}

function reference(doc: Document, uri: string, transforms: readonly string[], plan: Plan, type?: string): Element {
  const attrs: Record<string, string> = type ? { Type: type, URI: uri } : { URI: uri };
  const ts = transforms.map((t) => ds(doc, 'Transform', { Algorithm: t }));
  return ds(
    doc,
    'Reference',
    attrs,
    ds(doc, 'Transforms', {}, ...ts),
    ds(doc, 'DigestMethod', { Algorithm: plan.alg.digestUri }),
    ds(doc, 'DigestValue'),
  );
}

/**
 * xades:QualifyingProperties with SignedProperties (ETSI EN 319 132-1 §5.2.1 SigningTime, §5.2.2
 * SigningCertificateV2). IssuerSerialV2 is the base64 DER of RFC 5035 `IssuerSerial`:
 *
 * ```asn1
 * IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber }
 * ```
 */
function qualifyingProperties(
  doc: Document,
  sigId: string,
  propsId: string,
  cert: Uint8Array,
  plan: Plan,
  signingTime: Date | undefined,
): Element {
  const parsed = parseCertificate(cert);
  const issuerSerial = der.seq(der.seq(der.explicit(4, parsed.issuer.raw)), der.int(parsed.serialNumber));
  const time = (signingTime ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const qp = xa(
    doc,
    'QualifyingProperties',
    { Target: `#${sigId}` },
    xa(
      doc,
      'SignedProperties',
      { Id: propsId },
      xa(
        doc,
        'SignedSignatureProperties',
        {},
        xa(doc, 'SigningTime', {}, time),
        xa(
          doc,
          'SigningCertificateV2',
          {},
          xa(
            doc,
            'Cert',
            {},
            xa(
              doc,
              'CertDigest',
              {},
              ds(doc, 'DigestMethod', { Algorithm: plan.alg.digestUri }),
              ds(doc, 'DigestValue', {}, base64Encode(plan.digest.digest(cert))),
            ),
            xa(doc, 'IssuerSerialV2', {}, base64Encode(issuerSerial)),
          ),
        ),
      ),
    ),
  );
  qp.setAttributeNS(XMLNS_NS, 'xmlns:xades', XADES_NS);
  return qp;
}

// ---------------------------------------------------------------------------------------------
// Placement and references

interface Assembled {
  readonly doc: Document;
  readonly signature: Element;
  /** The node the main Reference covers: the document, the element `referenceId`, or ds:Object. */
  readonly target: Node;
}

/** Enveloping: a new document whose root is the Signature, the input's root inside ds:Object. */
function envelopingSignature(parsed: Document, options: SignXmlOptions, plan: Plan): Assembled {
  const doc = parseXml(`<ds:Signature xmlns:ds="${XMLDSIG_NS}"/>`);
  const content = doc.importNode(parsed.documentElement as Element, true);
  const signature = createSignature(doc, options, plan, content);
  const ids = indexWithSignature(doc);
  const object = content.parentNode as Element;
  if (options.referenceId === undefined) return { doc, signature, target: object };
  const target = ids.get(options.referenceId);
  if (!target) throw new TypeError(`signXml: no element with Id "${options.referenceId}"`);
  return { doc, signature, target };
}

/** Enveloped and detached: the Signature appended to its parent in the input document. */
function placedSignature(doc: Document, ids: Map<string, Element>, options: SignXmlOptions, plan: Plan): Assembled {
  let target: Node = doc;
  if (options.referenceId !== undefined) {
    const found = ids.get(options.referenceId);
    if (!found) throw new TypeError(`signXml: no element with Id "${options.referenceId}"`);
    target = found;
  }
  const parent = signatureParent(doc, ids, options, plan);
  if (plan.mode === 'detached' && (target === doc || contains(target as Element, parent)))
    throw new TypeError('signXml: a detached signature cannot sit inside the element it signs');
  const signature = createSignature(doc, options, plan);
  parent.appendChild(signature);
  indexWithSignature(doc);
  return { doc, signature, target };
}

/** The Id index once the Signature is in: an Id it brings that the document already has is misuse. */
function indexWithSignature(doc: Document): Map<string, Element> {
  try {
    return buildIdIndex(doc);
  } catch (e) {
    if (e instanceof DecodeError && e.code === 'ERR_DECODE_DUPLICATE_ID')
      throw new TypeError(`signXml: Id "${e.path}" is already used in the document`);
    throw e;
  }
}

function signatureParent(doc: Document, ids: Map<string, Element>, options: SignXmlOptions, plan: Plan): Element {
  if (options.signatureParent !== undefined) {
    const found = ids.get(options.signatureParent);
    if (!found) throw new TypeError(`signXml: no element with Id "${options.signatureParent}"`);
    return found;
  }
  if (plan.profile === 'smev3') {
    const found: Element[] = [];
    walkElements(doc, (e) => {
      if (e.localName === 'CallerInformationSystemSignature') found.push(e);
    });
    if (found.length !== 1)
      throw new TypeError(
        `signXml: SMEV 3: expected one CallerInformationSystemSignature, found ${found.length}; pass signatureParent`,
      );
    return found[0] as Element;
  }
  return doc.documentElement as Element;
}

function contains(ancestor: Element, node: Node): boolean {
  for (let n: Node | null = node; n; n = n.parentNode) if (n === ancestor) return true;
  return false;
}

/**
 * The digest of a same-document Reference (XMLDSig §4.4.3.3: comments removed from the node-set;
 * §6.6.4 enveloped-signature as a node-set filter; C14N to octets; SMEV on octets; C14N 1.0 when
 * no transform gave octets).
 */
function referenceDigest(
  target: Node,
  transforms: readonly string[],
  signature: Element,
  digest: DigestAlgorithm,
): Uint8Array {
  let excludeSig = false;
  let octets: Uint8Array | undefined;
  const inSignature = excludeSubtree(signature);
  const exclude = (n: Node) => n.nodeType === NodeType.COMMENT || (excludeSig && inSignature(n));
  for (const t of transforms) {
    if (t === ENVELOPED_SIGNATURE) excludeSig = true;
    else if (t === SMEV_TRANSFORM_URI) octets = smevTransform(octets as Uint8Array);
    else octets = canonicalize(target, { algorithm: t, exclude });
  }
  return digest.digest(octets ?? canonicalize(target, { algorithm: C14N_10, exclude }));
}

function childAt(parent: Element, index: number): Element {
  let i = 0;
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === NodeType.ELEMENT && i++ === index) return n as Element;
  }
  throw new Error('signXml: internal: missing element');
}

function fillDigest(signedInfo: Element, refIndex: number, value: Uint8Array): void {
  const ref = childAt(signedInfo, 2 + refIndex);
  const digestValue = childAt(ref, 2);
  digestValue.appendChild((signedInfo.ownerDocument as Document).createTextNode(base64Encode(value)));
}

/** Signature/Object/QualifyingProperties read structurally (never a search: signed content may hold XAdES too). */
function qualifyingPropertiesOf(signature: Element): Element | undefined {
  const object = signature.lastChild as Element | null;
  if (!object || object.namespaceURI !== XMLDSIG_NS || object.localName !== 'Object') return undefined;
  return childElements(object, XADES_NS, 'QualifyingProperties')[0];
}

function xadesSignedProperties(signature: Element): Element | undefined {
  const qp = qualifyingPropertiesOf(signature);
  return qp && childElements(qp, XADES_NS, 'SignedProperties')[0];
}

/** SignatureValue bytes in the profile's layout (xml-signatures.md §2). */
function signatureLayout(raw: Uint8Array, alg: XmlAlgorithm, signer: Signer): Uint8Array {
  if (alg.layout === 'reversed') return copyBytes(raw).reverse();
  if (alg.layout === 'ecdsa-p1363') return ecdsaDerToP1363(raw, Math.ceil(signer.publicKey.bits / 8));
  return raw;
}

// ---------------------------------------------------------------------------------------------
// XAdES-T and output

/** UnsignedSignatureProperties/SignatureTimeStamp over the exclusive-C14N SignatureValue (EN 319 132-1 §5.3). */
async function addSignatureTimestamp(
  signature: Element,
  signatureValue: Element,
  plan: Plan,
  options: SignXmlOptions,
): Promise<void> {
  const doc = signature.ownerDocument as Document;
  const tsa = options.xades?.tsa as TimestampSource;
  const digest = plan.digest.digest(canonicalize(signatureValue, { algorithm: EXC_C14N }));
  const token = await obtainToken(tsa, digest, plan.digest, options.signal);
  const qp = qualifyingPropertiesOf(signature) as Element;
  const sigId = signature.getAttribute('Id') as string;
  qp.appendChild(
    xa(
      doc,
      'UnsignedProperties',
      {},
      xa(
        doc,
        'UnsignedSignatureProperties',
        {},
        xa(
          doc,
          'SignatureTimeStamp',
          { Id: `${sigId}-timestamp` },
          ds(doc, 'CanonicalizationMethod', { Algorithm: EXC_C14N }),
          xa(doc, 'EncapsulatedTimeStamp', {}, base64Encode(token)),
        ),
      ),
    ),
  );
}

/** A checked DER TimeStampToken over `digest` from a TSA endpoint or a token function (as `@eds/core/cades`). */
async function obtainToken(
  tsa: TimestampSource,
  digest: Uint8Array,
  hashAlgorithm: DigestAlgorithm,
  signal: AbortSignal | undefined,
): Promise<Uint8Array> {
  if (typeof tsa === 'object' && tsa !== null && typeof (tsa as TsaEndpoint).url === 'string') {
    const { url, fetcher, policy, certReq } = tsa as TsaEndpoint;
    return (await requestTimestamp({ url, fetcher, policy, certReq, digest, hashAlgorithm, signal })).token;
  }
  if (typeof tsa !== 'function') throw new TypeError('signXml: xades.tsa must be { url, fetcher } or a function');
  const token = await tsa(digest, hashAlgorithm, signal);
  if (!(token instanceof Uint8Array))
    throw new TimestampError('ERR_TSA_BAD_RESPONSE', 'the time-stamp source returned no token bytes');
  return checkTimestampToken(token, { digest, hashAlgorithm }).der;
}

/** serializeXml with CR in text written as `&#13;` (xmldom writes it raw, which a parser turns into LF). */
function serialize(doc: Document): string {
  return serializeXml(doc).replace(/\r/g, '&#13;');
}

/** Re-parses the output and checks that its SignedInfo canonicalises to the signed octets. */
function checkRoundTrip(out: string, index: number, signed: Uint8Array, c14n: string): void {
  const again = findElements(parseXml(out), XMLDSIG_NS, 'Signature')[index];
  const si = again && findElements(again, XMLDSIG_NS, 'SignedInfo')[0];
  const bytes = si ? canonicalize(si, { algorithm: c14n }) : new Uint8Array(0);
  if (bytes.length !== signed.length || bytes.some((b, i) => b !== signed[i]))
    throw new Error('signXml: the serialised document does not reproduce the signed SignedInfo');
}
