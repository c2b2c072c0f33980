// Verification of XML signatures (W3C XMLDSig 1.1 §3.2 core validation; ETSI EN 319 132-1 XAdES-BES/T; SMEV 3 and Kazakh profiles of xml-signatures.md §1-§4, §7), safe against signature wrapping, with the report model of verify().
/**
 * `verifyXml()` parses once (no DTD), resolves references by ID only, checks every digest and
 * the SignatureValue over SignedInfo canonicalised from the parsed DOM, then the signer's
 * certification path and revocation, and returns the report with the nodes the signatures cover.
 *
 * @module
 */

import { ecdsaP1363ToDer } from '@eds/core/algorithms';
import { allAlgorithms } from '@eds/core/all-algorithms';
import {
  C14N_10,
  C14N_10_WITH_COMMENTS,
  C14N_11,
  C14N_11_WITH_COMMENTS,
  canonicalize,
  EXC_C14N,
  EXC_C14N_WITH_COMMENTS,
  excludeSubtree,
} from '@eds/core/c14n';
import { base64Decode } from '@eds/core/encoding';
import { DecodeError } from '@eds/core/errors';
import { parsePublicKey } from '@eds/core/keys';
import { SMEV_TRANSFORM_URI, smevTransform } from '@eds/core/smev-transform';
import type { PublicKey, SignatureAlgorithm } from '@eds/core/types';
import { type Certificate, parseCertificate } from '@eds/core/x509';
import {
  buildIdIndex,
  childElements,
  type Document,
  type Element,
  findElements,
  type Node,
  NodeType,
  parseXml,
} from '@eds/core/xml';
import {
  chainOf,
  decodeCertificates,
  identityOf,
  iso,
  keyUsageCheck,
  type PathContext,
  type PathOutcome,
  pathChecks,
  qualifiedOf,
  revocationReport,
  validateCertificate,
} from './_report-parts';
import { CheckList, type Failure } from './_signer-info';
import type { TimestampOutcome } from './_timestamps';
import {
  base64Of,
  checkXadesBinding,
  checkXadesTimestamps,
  DIGEST_METHODS,
  DSIG_NS,
  FORMAT,
  one,
  readXades,
  SIGNATURE_METHODS,
  SIGNED_PROPERTIES_TYPE,
  type XadesInfo,
  XmlStructureError,
} from './_xml-reports';
import { EdsError } from './errors';
import type { SignatureFormat, SignatureReport, SubIndication, VerificationReport } from './report';
import { worstIndication } from './report';
import type { VerificationOptions } from './types';

/** Options of {@link verifyXml}. */
export interface VerifyXmlOptions extends VerificationOptions {
  /** The signed XML document: text or UTF-8 octets. */
  readonly xml: string | Uint8Array;
  /**
   * `auto`/`default`: layouts by URI; `smev3`: also the SMEV 3 rules (bare `#id` references,
   * transforms exactly [exc-c14n, SMEV], consistent GOST digest); `kazakh`: GOST SignatureValues
   * byte-reversed (Kalkan/NCALayer) whatever their URI.
   */
  readonly profile?: 'auto' | 'default' | 'smev3' | 'kazakh' | undefined;
  /** Verify only the n-th (0-based, document order) ds:Signature. */
  readonly signatureIndex?: number | undefined;
}

/** The report and the nodes that passing signatures cover: consume only these as signed. */
export interface XmlVerificationResult {
  readonly report: VerificationReport;
  /**
   * Targets of the References of signatures whose indication is TOTAL_PASSED: the element an
   * `#id` names, the Document for `URI=""` (whose ds:Signature subtrees the enveloped transform or
   * the XPath filter left out are not covered: never read content inside a ds:Signature as signed).
   */
  readonly signedNodes: readonly Node[];
}

const MAX_SIGNATURES = 32;
const MAX_REFERENCES = 32;
const MAX_TRANSFORMS = 8;
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const XPATH = 'http://www.w3.org/TR/1999/REC-xpath-19991116';
const BASE64 = 'http://www.w3.org/2000/09/xmldsig#base64';
const C14N_URIS = new Set([
  C14N_10,
  C14N_10_WITH_COMMENTS,
  C14N_11,
  C14N_11_WITH_COMMENTS,
  EXC_C14N,
  EXC_C14N_WITH_COMMENTS,
]);
/** Same-document references drop comments (XMLDSig §4.4.3.3): the with-comments form renders none. */
const WITHOUT_COMMENTS: Record<string, string> = {
  [C14N_10_WITH_COMMENTS]: C14N_10,
  [C14N_11_WITH_COMMENTS]: C14N_11,
  [EXC_C14N_WITH_COMMENTS]: EXC_C14N,
};
const UNSUPPORTED: Failure = { indication: 'INDETERMINATE', subIndication: 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE' };
const NOT_FOUND: Failure = { indication: 'INDETERMINATE', subIndication: 'SIGNED_DATA_NOT_FOUND' };
const LEGACY = new Set(['gost2001', 'rsa-pkcs1-sha1', 'ecdsa-sha1']);

/** A refusal inside the XMLDSig core: recorded as `code` with `failure`, ending that signature's checks. */
class Refusal extends Error {
  constructor(
    readonly code: 'FORMAT_INVALID' | 'ALGORITHM_UNSUPPORTED' | 'CONTENT_MISSING',
    readonly failure: Failure,
    message: string,
  ) {
    super(message);
  }
}

const refuse = (message: string): never => {
  throw new Refusal('FORMAT_INVALID', FORMAT, message);
};
const unsupported = (message: string): never => {
  throw new Refusal('ALGORITHM_UNSUPPORTED', UNSUPPORTED, message);
};

/** Everything the signatures of one document share. */
interface Context {
  readonly options: VerifyXmlOptions;
  readonly doc: Document;
  readonly now: Date;
  /** The ID index, or the duplicate-ID error that makes every ID reference unsafe. */
  readonly ids: Map<string, Element> | DecodeError;
  readonly path: PathContext;
}

/** The data between transforms: a node-set (a subtree minus excluded nodes) or octets (XMLDSig §4.4.3.2). */
type Data =
  | { readonly kind: 'nodes'; readonly root: Node; readonly exclude: ((n: Node) => boolean)[] }
  | { readonly kind: 'octets'; readonly bytes: Uint8Array };

const algorithmOf = (el: Element | undefined): string => el?.getAttribute('Algorithm') ?? '';

function inclusivePrefixes(transform: Element): string[] | undefined {
  const inc = childElements(transform, 'http://www.w3.org/2001/10/xml-exc-c14n#', 'InclusiveNamespaces')[0];
  const list = inc?.getAttribute('PrefixList');
  return list ? list.split(/\s+/).filter(Boolean) : undefined;
}

function excluding(preds: readonly ((n: Node) => boolean)[]): (n: Node) => boolean {
  return (n) => preds.some((p) => p(n));
}

/** A node-set as octets by `algorithm` (C14N 1.0 when octets are needed implicitly, XMLDSig §4.4.3.2). */
function toOctets(data: Data, algorithm = C14N_10, prefixes?: string[]): Uint8Array {
  if (data.kind === 'octets') {
    const doc = parseXml(data.bytes);
    return canonicalize(doc, { algorithm, inclusivePrefixes: prefixes });
  }
  const alg = WITHOUT_COMMENTS[algorithm] ?? algorithm;
  return canonicalize(data.root, { algorithm: alg, inclusivePrefixes: prefixes, exclude: excluding(data.exclude) });
}

/** The one XPath filter allowed: `not(ancestor-or-self::ds:Signature)` with `ds` bound to XMLDSig (xml-signatures.md §4). */
function xpathFilter(transform: Element, data: Data): Data {
  const [xp, ...more] = childElements(transform, DSIG_NS, 'XPath');
  const expr = xp && more.length === 0 ? (xp.textContent ?? '').replace(/\s+/g, '') : '';
  const m = /^not\(ancestor-or-self::([A-Za-z_][\w.-]*):Signature\)$/.exec(expr);
  if (!m || xp?.lookupNamespaceURI(m[1] as string) !== DSIG_NS)
    return unsupported('only the XPath filter not(ancestor-or-self::ds:Signature) is supported');
  if (data.kind !== 'nodes') return refuse('the XPath filter needs a node-set');
  const signatures = findElements(data.root, DSIG_NS, 'Signature');
  return { ...data, exclude: [...data.exclude, ...signatures.map(excludeSubtree)] };
}

function base64Transform(data: Data): Data {
  let text = '';
  if (data.kind === 'octets') text = new TextDecoder('utf-8', { fatal: true }).decode(data.bytes);
  else {
    const skip = excluding(data.exclude);
    const stack: Node[] = [data.root];
    while (stack.length) {
      const n = stack.pop() as Node;
      if (skip(n)) continue;
      if (n.nodeType === NodeType.TEXT || n.nodeType === NodeType.CDATA) text += n.nodeValue ?? '';
      for (let c = n.lastChild; c; c = c.previousSibling) stack.push(c);
    }
  }
  try {
    return { kind: 'octets', bytes: base64Decode(text) };
  } catch (e) {
    return refuse(`base64 transform: ${(e as Error).message}`);
  }
}

/** Applies one Transform (the allow-list of xml-signatures.md §7); anything else is unsupported, never skipped. */
function applyTransform(transform: Element, data: Data, signature: Element): Data {
  const uri = algorithmOf(transform);
  if (uri === ENVELOPED) {
    if (data.kind !== 'nodes') return refuse('enveloped-signature needs a node-set');
    return { ...data, exclude: [...data.exclude, excludeSubtree(signature)] };
  }
  if (C14N_URIS.has(uri)) return { kind: 'octets', bytes: toOctets(data, uri, inclusivePrefixes(transform)) };
  if (uri === XPATH) return xpathFilter(transform, data);
  if (uri === SMEV_TRANSFORM_URI) return { kind: 'octets', bytes: smevTransform(toOctets(data)) };
  if (uri === BASE64) return base64Transform(data);
  return unsupported(`transform ${uri || '(none)'} is not supported`);
}

/** Resolves a Reference URI: `""` the document, `#id` through the ID index; anything else refused (no XPointer, no network). */
function dereference(ctx: Context, uri: string | null): Node {
  if (uri === null) return unsupported('a Reference without URI needs an application-defined resolver');
  if (uri === '') return ctx.doc;
  if (!/^#[^#\s()]+$/.test(uri)) return unsupported(`Reference URI "${uri}": only "" and bare-name "#id" are resolved`);
  if (ctx.ids instanceof DecodeError) return refuse(`duplicate IDs in the document: ${ctx.ids.message}`);
  const el = ctx.ids.get(uri.slice(1));
  if (!el) throw new Refusal('CONTENT_MISSING', NOT_FOUND, `no element with ID ${uri.slice(1)}`);
  return el;
}

interface ReferenceInfo {
  readonly uri: string | null;
  readonly type: string | null;
  readonly target: Node;
  readonly transforms: readonly string[];
  readonly digestUri: string;
}

/** SHA-1 only when the caller's own algorithm list holds a SHA-1 algorithm (xml-signatures.md §1.3: reject unless allow-listed). */
function allowedSha1(ctx: Context): boolean {
  return ctx.options.algorithms?.some((a) => a.digest?.name === 'sha1') ?? false;
}

/** Checks one Reference's digest (XMLDSig §3.2.1); throws a Refusal or returns what it covered. */
function checkReference(ctx: Context, list: CheckList, ref: Element, signature: Element): ReferenceInfo {
  const uri = ref.getAttribute('URI');
  const target = dereference(ctx, uri);
  const transformsEl = one(ref, DSIG_NS, 'Transforms', false);
  const transforms = transformsEl ? childElements(transformsEl, DSIG_NS, 'Transform') : [];
  if (transformsEl && childElements(transformsEl).length !== transforms.length)
    refuse('unexpected element in Transforms');
  if (transforms.length > MAX_TRANSFORMS) refuse(`more than ${MAX_TRANSFORMS} transforms in a Reference`);
  const digestUri = algorithmOf(one(ref, DSIG_NS, 'DigestMethod'));
  const expected = base64Of(one(ref, DSIG_NS, 'DigestValue') as Element);
  const method = DIGEST_METHODS.get(digestUri);
  if (!method || (method.sha1 && !allowedSha1(ctx))) return unsupported(`digest ${digestUri} is not accepted`);
  let data: Data = { kind: 'nodes', root: target, exclude: [] };
  for (const t of transforms) data = applyTransform(t, data, signature);
  const actual = method.digest.digest(data.kind === 'octets' ? data.bytes : toOctets(data));
  const same = actual.length === expected.length && actual.every((x, i) => x === expected[i]);
  if (!same) {
    list.fail(
      'DIGEST_MISMATCH',
      { indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' },
      { detail: `Reference ${uri}` },
    );
  } else list.add('DIGEST_MATCH', 'passed', { params: { algorithm: method.digest.name }, detail: `Reference ${uri}` });
  return { uri, type: ref.getAttribute('Type'), target, transforms: transforms.map(algorithmOf), digestUri };
}

/** SMEV 3 rules (xml-signatures.md §3.4). */
function checkSmevProfile(refs: readonly ReferenceInfo[], signatureUri: string): void {
  for (const r of refs) {
    if (!r.uri?.startsWith('#')) refuse('SMEV 3: a Reference must be a bare-name #id');
    if (r.transforms.length !== 2 || r.transforms[0] !== EXC_C14N || r.transforms[1] !== SMEV_TRANSFORM_URI)
      refuse('SMEV 3: transforms must be exactly [exc-c14n, SMEV transform]');
    const sig = SIGNATURE_METHODS.get(signatureUri)?.algorithm.digest?.name;
    if (DIGEST_METHODS.get(r.digestUri)?.digest.name !== sig)
      refuse('SMEV 3: DigestMethod does not match SignatureMethod');
  }
}

/** The SignatureValue in the descriptor's layout (xml-signatures.md §2). */
function signatureBytes(value: Uint8Array, layout: string, profile: string | undefined, gost: boolean): Uint8Array {
  if (layout === 'ecdsa-raw') {
    if (value.length === 0 || value.length % 2 !== 0) return new Uint8Array(0);
    return ecdsaP1363ToDer(value);
  }
  return layout === 'reversed' || (profile === 'kazakh' && gost) ? value.slice().reverse() : value;
}

/** KeyInfo/X509Data certificates: candidates only, never trusted for being there. */
function keyInfoCertificates(signature: Element): Certificate[] {
  const keyInfo = one(signature, DSIG_NS, 'KeyInfo', false);
  if (!keyInfo) return [];
  const out: Certificate[] = [];
  for (const data of childElements(keyInfo, DSIG_NS, 'X509Data'))
    for (const c of childElements(data, DSIG_NS, 'X509Certificate').slice(0, 16)) {
      try {
        out.push(parseCertificate(base64Of(c)));
      } catch (e) {
        if (e instanceof XmlStructureError) throw e;
      }
    }
  return out;
}

/** Verifies SignatureValue over the canonicalised SignedInfo with the first KeyInfo certificate it verifies under. */
async function checkSignatureValue(
  ctx: Context,
  list: CheckList,
  signature: Element,
  signedInfo: Element,
): Promise<{ cert?: Certificate | undefined; algorithm: SignatureAlgorithm }> {
  const c14n = one(signedInfo, DSIG_NS, 'CanonicalizationMethod') as Element;
  const c14nUri = algorithmOf(c14n);
  if (!C14N_URIS.has(c14nUri)) unsupported(`CanonicalizationMethod ${c14nUri} is not supported`);
  const sigUri = algorithmOf(one(signedInfo, DSIG_NS, 'SignatureMethod'));
  const method = SIGNATURE_METHODS.get(sigUri);
  const accepted = ctx.options.algorithms ?? allAlgorithms;
  if (!method || (method.sha1 && !allowedSha1(ctx)) || !accepted.some((a) => a.name === method.algorithm.name))
    return unsupported(`SignatureMethod ${sigUri} is not accepted`);
  const data = canonicalize(signedInfo, { algorithm: c14nUri, inclusivePrefixes: inclusivePrefixes(c14n) });
  const value = base64Of(one(signature, DSIG_NS, 'SignatureValue') as Element);
  const gost = method.algorithm.keyType.startsWith('gost');
  const sig = signatureBytes(value, method.layout, ctx.options.profile, gost);
  // KeyInfo certificates, else the caller's: candidates only, the path decides trust
  const fromKeyInfo = keyInfoCertificates(signature);
  const candidates = fromKeyInfo.length > 0 ? fromKeyInfo : ctx.path.pool;
  for (const cert of candidates) {
    let key: PublicKey;
    try {
      key = parsePublicKey(cert.spki);
    } catch {
      continue;
    }
    if (key.type !== method.algorithm.keyType) continue;
    if (await method.algorithm.verify(key, data, sig).catch(() => false)) {
      list.add('SIGNING_CERTIFICATE_FOUND', 'passed');
      list.add('SIGNATURE_VALID', 'passed', { params: { algorithm: method.algorithm.name } });
      return { cert, algorithm: method.algorithm };
    }
  }
  if (candidates.length === 0)
    list.fail('SIGNING_CERTIFICATE_NOT_FOUND', {
      indication: 'INDETERMINATE',
      subIndication: 'NO_SIGNING_CERTIFICATE_FOUND',
    });
  else list.fail('SIGNATURE_INVALID', { indication: 'TOTAL_FAILED', subIndication: 'SIG_CRYPTO_FAILURE' });
  return { algorithm: method.algorithm };
}

/** The XMLDSig core of one Signature: structure, references, SignatureValue, XAdES coverage. */
async function checkCore(ctx: Context, list: CheckList, signature: Element, xades: XadesInfo | undefined) {
  const signedInfo = one(signature, DSIG_NS, 'SignedInfo') as Element;
  one(signature, DSIG_NS, 'SignatureValue');
  const refEls = childElements(signedInfo, DSIG_NS, 'Reference');
  if (refEls.length === 0) refuse('SignedInfo has no Reference');
  if (refEls.length > MAX_REFERENCES) refuse(`more than ${MAX_REFERENCES} References`);
  const refs = refEls.map((r) => checkReference(ctx, list, r, signature));
  if (ctx.options.profile === 'smev3') checkSmevProfile(refs, algorithmOf(one(signedInfo, DSIG_NS, 'SignatureMethod')));
  if (xades && !refs.some((r) => r.target === xades.signedProperties && r.type === SIGNED_PROPERTIES_TYPE))
    list.fail('SIGNED_ATTRIBUTES_INVALID', FORMAT, {
      detail: `SignedProperties is not covered by a Reference of Type ${SIGNED_PROPERTIES_TYPE}`,
    });
  const verified = list.failure ? undefined : await checkSignatureValue(ctx, list, signature, signedInfo);
  return { refs, verified, digestUri: refs[0]?.digestUri };
}

function formatOf(xades: XadesInfo | undefined): SignatureFormat {
  if (!xades) return 'XMLDSig';
  return xades.timestamps.length > 0 ? 'XAdES-T' : 'XAdES-BES';
}

/** Path, revocation, key usage and XAdES checks after a valid SignatureValue. */
async function checkSigner(
  ctx: Context,
  list: CheckList,
  cert: Certificate,
  xades: XadesInfo | undefined,
  signature: Element,
) {
  const validationTime = ctx.options.time ?? ctx.now;
  let stamps: TimestampOutcome = { reports: [], bestTime: undefined, certificates: [] };
  if (xades) {
    checkXadesBinding(list, xades.signedProperties, cert);
    if (!list.failure)
      stamps = await checkXadesTimestamps(
        list,
        xades.timestamps,
        one(signature, DSIG_NS, 'SignatureValue') as Element,
        ctx.path,
        validationTime,
      );
  }
  let outcome: PathOutcome = {};
  const time = stamps.bestTime ?? validationTime;
  const checked = ctx.path.revocation !== 'off';
  if (!list.failure) {
    outcome = await validateCertificate(ctx.path, cert, time, 'document-signing', stamps.certificates);
    pathChecks(list, outcome, stamps.bestTime !== undefined, checked);
    if (outcome.path) {
      keyUsageCheck(list, cert);
      list.add(qualifiedOf(cert) ? 'QUALIFIED' : 'NOT_QUALIFIED', 'info', { certificate: 0 });
      if (!list.failure) list.add('VALID_AT_SIGNING_TIME', 'passed', { params: { time: iso(time) }, certificate: 0 });
    }
  }
  return { stamps, outcome, time };
}

/** One Signature into its report, and the nodes it covers. */
async function signatureReport(
  ctx: Context,
  signature: Element,
  id: string,
): Promise<{ report: SignatureReport; nodes: Node[] }> {
  const list = new CheckList();
  let core: Awaited<ReturnType<typeof checkCore>> | undefined;
  let signer: Awaited<ReturnType<typeof checkSigner>> | undefined;
  let xades: XadesInfo | undefined;
  try {
    xades = readXades(signature);
    core = await checkCore(ctx, list, signature, xades);
    const cert = core.verified?.cert;
    if (cert && !list.failure) signer = await checkSigner(ctx, list, cert, xades, signature);
    if (cert && core.verified && LEGACY.has(core.verified.algorithm.name))
      list.add('LEGACY_ALGORITHM', 'warning', { params: { algorithm: core.verified.algorithm.name } });
  } catch (e) {
    if (e instanceof Refusal) list.fail(e.code, e.failure, { detail: e.message });
    else if (e instanceof XmlStructureError || e instanceof EdsError)
      list.fail('FORMAT_INVALID', FORMAT, { detail: e.message });
    else throw e;
  }
  const cert = core?.verified?.cert;
  const f = list.failure;
  const checked = ctx.path.revocation !== 'off';
  const path = signer?.outcome.path;
  const report: SignatureReport = {
    id,
    indication: f ? f.indication : 'TOTAL_PASSED',
    subIndication: f?.subIndication,
    format: formatOf(xades),
    signer: cert && identityOf(cert),
    qualified: cert ? qualifiedOf(cert) : false,
    signatureAlgorithm: core?.verified?.algorithm.name,
    digestAlgorithm: core?.digestUri ? DIGEST_METHODS.get(core.digestUri)?.digest.name : undefined,
    claimedSigningTime: xades?.claimedSigningTime && iso(xades.claimedSigningTime),
    bestSignatureTime: iso(signer?.time ?? ctx.options.time ?? ctx.now),
    timestamps: signer?.stamps.reports ?? [],
    chain: path ? chainOf(path, checked) : [],
    revocation: path ? revocationReport(path.revocation[0], checked) : undefined,
    checks: list.checks,
    countersignatures: [],
  };
  return { report, nodes: !f && core ? core.refs.map((r) => r.target) : [] };
}

function containerReport(time: Date, detail: string, sub: SubIndication, failed: boolean): XmlVerificationResult {
  const code = failed ? 'FORMAT_INVALID' : 'CONTENT_MISSING';
  return {
    report: {
      indication: failed ? 'TOTAL_FAILED' : 'INDETERMINATE',
      subIndication: sub,
      validationTime: iso(time),
      container: 'XML',
      signatures: [],
      checks: [{ code, outcome: failed ? 'failed' : 'indeterminate', detail }],
    },
    signedNodes: [],
  };
}

function idIndex(doc: Document): Map<string, Element> | DecodeError {
  try {
    return buildIdIndex(doc);
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
}

function pathContext(options: VerifyXmlOptions, signatures: readonly Element[]): PathContext {
  const embedded = signatures.flatMap((s) => {
    try {
      return keyInfoCertificates(s);
    } catch {
      return [];
    }
  });
  const pool = [...embedded, ...decodeCertificates(options.intermediates ?? [])];
  const supplied = options.revocationData ?? {};
  return {
    trust: options.trust,
    revocation: options.revocation ?? 'require',
    revocationData: { ...supplied, certificates: [...pool, ...(supplied.certificates ?? [])] },
    fetcher: options.fetcher,
    algorithms: options.algorithms ?? allAlgorithms,
    pool,
    signal: options.signal,
  };
}

/**
 * Verifies the XML signatures of a document (every ds:Signature, or the one `signatureIndex`
 * names): one parse without DTDs; exactly one SignedInfo and SignatureValue per Signature,
 * References read only as SignedInfo children and resolved by ID (`""` = the document, `#id`
 * through an index that refuses duplicate IDs; XPointer and external URIs refused); transforms
 * from an allow-list (enveloped, C14N 1.0/1.1/exclusive ± comments, the XPath filter
 * `not(ancestor-or-self::ds:Signature)`, SMEV 3, base64), anything else INDETERMINATE; SignedInfo
 * canonicalised from the parsed DOM as received; the KeyInfo certificate only as a candidate whose
 * path and revocation are validated against `trust`; XAdES SignedProperties coverage,
 * SigningCertificate(V2) binding and SignatureTimeStamps. Consume only `signedNodes`.
 *
 * Standard: W3C XMLDSig 1.1 §3.2, §4.4.3, §6.6; ETSI EN 319 132-1 §4-§5; EN 319 102-1 §5; RFC 5280 §6.
 *
 * @throws {TypeError} without `trust`. Bad documents and signatures never throw: see the report.
 * @throws the signal's reason when `signal` aborts.
 * @example
 * ```ts
 * const { report, signedNodes } = await verifyXml({ xml, trust: createTrustStore(rootsPem) });
 * if (report.indication === 'TOTAL_PASSED') use(signedNodes[0]);
 * ```
 */
export async function verifyXml(options: VerifyXmlOptions): Promise<XmlVerificationResult> {
  if (!options.trust || typeof options.trust.findByName !== 'function')
    throw new TypeError('verifyXml: trust must be a TrustStore (createTrustStore)');
  const now = new Date();
  const time = options.time ?? now;
  let doc: Document;
  try {
    doc = parseXml(options.xml);
  } catch (e) {
    if (!(e instanceof EdsError)) throw e;
    return containerReport(time, e.message, 'FORMAT_FAILURE', true);
  }
  let signatures = findElements(doc, DSIG_NS, 'Signature');
  if (signatures.length > MAX_SIGNATURES)
    return containerReport(time, `more than ${MAX_SIGNATURES} signatures`, 'FORMAT_FAILURE', true);
  if (options.signatureIndex !== undefined)
    signatures = signatures.slice(options.signatureIndex, options.signatureIndex + 1);
  if (signatures.length === 0)
    return containerReport(time, 'no ds:Signature in the document', 'SIGNED_DATA_NOT_FOUND', false);
  const ctx: Context = { options, doc, now, ids: idIndex(doc), path: pathContext(options, signatures) };
  const reports: SignatureReport[] = [];
  const nodes = new Set<Node>();
  for (const [i, s] of signatures.entries()) {
    options.signal?.throwIfAborted();
    const r = await signatureReport(ctx, s, `S${i + 1}`);
    reports.push(r.report);
    for (const n of r.nodes) nodes.add(n);
  }
  const worst = worstIndication(reports);
  return {
    report: {
      indication: worst.indication,
      subIndication: worst.subIndication,
      validationTime: iso(time),
      container: 'XML',
      signatures: reports,
      checks: [{ code: 'FORMAT_OK', outcome: 'passed' }],
    },
    signedNodes: [...nodes],
  };
}
