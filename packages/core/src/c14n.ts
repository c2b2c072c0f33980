// XML canonicalisation: Canonical XML 1.0 (W3C REC 2001-03-15), Canonical XML 1.1 (W3C REC
// 2008-05-02, §2.4 xml:* attributes in document subsets) and Exclusive XML C14N 1.0 (W3C REC 2002-07-18).
import type { Attr, Document, Element, Node } from '@xmldom/xmldom';
import { UnsupportedAlgorithmError } from './errors';
import { NodeType, XML_NS, XMLNS_NS } from './xml';

/** Canonical XML 1.0, comments omitted. */
export const C14N_10 = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
/** Canonical XML 1.0 with comments. */
export const C14N_10_WITH_COMMENTS = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments';
/** Canonical XML 1.1, comments omitted. */
export const C14N_11 = 'http://www.w3.org/2006/12/xml-c14n11';
/** Canonical XML 1.1 with comments. */
export const C14N_11_WITH_COMMENTS = 'http://www.w3.org/2006/12/xml-c14n11#WithComments';
/** Exclusive XML Canonicalization 1.0, comments omitted. */
export const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
/** Exclusive XML Canonicalization 1.0 with comments. */
export const EXC_C14N_WITH_COMMENTS = 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments';

/** Options of {@link canonicalize}. */
export interface CanonicalizeOptions {
  /** One of the six algorithm URIs exported by this module. */
  algorithm: string;
  /**
   * Exclusive C14N only: the InclusiveNamespaces PrefixList (Exc-C14N §3), `#default` for the default
   * namespace. These prefixes are rendered by the inclusive rules. Ignored by C14N 1.0/1.1.
   */
  inclusivePrefixes?: readonly string[];
  /**
   * Removes nodes from the node-set (elements, attributes, text, comments, PIs; C14N 1.0 §2.4).
   * Excluding an element does not exclude its descendants: return true for each node of a subtree
   * to drop it (see {@link excludeSubtree}). Namespace nodes follow their element.
   */
  exclude?: (node: Node) => boolean;
}

interface Mode {
  exclusive: boolean;
  comments: boolean;
  v11: boolean;
  inclusive: ReadonlySet<string>;
  exclude: (node: Node) => boolean;
}

const ALGORITHMS: Record<string, Omit<Mode, 'inclusive' | 'exclude'>> = {
  [C14N_10]: { exclusive: false, comments: false, v11: false },
  [C14N_10_WITH_COMMENTS]: { exclusive: false, comments: true, v11: false },
  [C14N_11]: { exclusive: false, comments: false, v11: true },
  [C14N_11_WITH_COMMENTS]: { exclusive: false, comments: true, v11: true },
  [EXC_C14N]: { exclusive: true, comments: false, v11: false },
  [EXC_C14N_WITH_COMMENTS]: { exclusive: true, comments: true, v11: false },
};

/** prefix ('' = default) → namespace URI ('' = no default namespace). Shared, never mutated. */
type NsMap = ReadonlyMap<string, string>;

/** What an element passes to its children. */
interface Scope {
  inScope: NsMap;
  rendered: NsMap;
  /** Nearest xml:* attribute values on the ancestor-or-self axis. */
  xmlAttrs: ReadonlyMap<string, string>;
  /** xml:base values of the contiguous omitted ancestors ending here (C14N 1.1 §2.4). */
  omittedBases: readonly string[];
  included: boolean;
}

const EMPTY_MAP: ReadonlyMap<string, string> = new Map();

/**
 * Canonicalises a document, an element subtree (with its in-scope namespaces and, for 1.0/1.1,
 * inherited xml:* attributes per C14N 1.0 §2.4 / C14N 1.1 §2.4) or a text/comment/PI node, as
 * UTF-8 octets. `exclude` narrows the node-set, which is how the enveloped-signature transform and
 * the XPath filter `not(ancestor-or-self::ds:Signature)` are expressed.
 *
 * @throws {UnsupportedAlgorithmError} for an algorithm URI other than the six C14N URIs.
 * @example
 * ```ts
 * const doc = parseXml('<a xmlns:p="urn:p"><p:b  y="2" x="1"/></a>');
 * new TextDecoder().decode(canonicalize(doc, { algorithm: EXC_C14N }));
 * // '<a><p:b xmlns:p="urn:p" x="1" y="2"></p:b></a>'
 * ```
 */
export function canonicalize(node: Node | Document, options: CanonicalizeOptions): Uint8Array {
  return new TextEncoder().encode(canonicalizeToString(node, options));
}

/**
 * {@link canonicalize} as a string, before UTF-8 encoding (for diagnostics and tests).
 *
 * @throws {UnsupportedAlgorithmError} for an algorithm URI other than the six C14N URIs.
 * @example
 * ```ts
 * canonicalizeToString(parseXml('<a b="1"/>'), { algorithm: C14N_10 }); // '<a b="1"></a>'
 * ```
 */
export function canonicalizeToString(node: Node | Document, options: CanonicalizeOptions): string {
  const base = ALGORITHMS[options.algorithm];
  if (!base)
    throw new UnsupportedAlgorithmError(
      { uri: options.algorithm },
      `not a canonicalization algorithm: ${options.algorithm}`,
    );
  const inclusive = new Set(
    (base.exclusive ? (options.inclusivePrefixes ?? []) : []).map((p) => (p === '#default' ? '' : p)),
  );
  const mode: Mode = { ...base, inclusive, exclude: options.exclude ?? (() => false) };
  const out: string[] = [];
  if (node.nodeType === NodeType.DOCUMENT) canonDocument(node as Document, mode, out);
  else if (node.nodeType === NodeType.ELEMENT) canonTree(node as Element, apexScope(node as Element), mode, out);
  else canonLeaf(node, mode, out);
  return out.join('');
}

/**
 * A predicate for `exclude` that drops `root` and everything inside it (the enveloped-signature
 * transform, XMLDSig §6.6.4).
 *
 * @example
 * ```ts
 * canonicalize(doc, { algorithm: EXC_C14N, exclude: excludeSubtree(signatureElement) });
 * ```
 */
export function excludeSubtree(root: Node): (node: Node) => boolean {
  return (node) => {
    let n: Node | null = node.nodeType === NodeType.ATTRIBUTE ? (node as Attr).ownerElement : node;
    for (; n; n = n.parentNode) if (n === root) return true;
    return false;
  };
}

/** Document: children in order; PIs and comments get the #xA before/after the root (C14N 1.0 §2.1). */
function canonDocument(doc: Document, mode: Mode, out: string[]): void {
  const scope: Scope = {
    inScope: EMPTY_MAP,
    rendered: EMPTY_MAP,
    xmlAttrs: EMPTY_MAP,
    omittedBases: [],
    included: true,
  };
  let afterRoot = false;
  for (let n = doc.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === NodeType.ELEMENT) {
      canonTree(n as Element, scope, mode, out);
      afterRoot = true;
    } else if (isOutputLeaf(n, mode) && n.nodeType !== NodeType.TEXT && n.nodeType !== NodeType.CDATA) {
      if (afterRoot) out.push('\n');
      canonLeaf(n, mode, out);
      if (!afterRoot) out.push('\n');
    }
  }
}

/** Scope of an apex element: everything its ancestors contribute, none of them in the node-set. */
function apexScope(el: Element): Scope {
  const chain: Element[] = [];
  for (let p = el.parentNode; p && p.nodeType === NodeType.ELEMENT; p = p.parentNode) chain.unshift(p as Element);
  let inScope: NsMap = EMPTY_MAP;
  let xmlAttrs: ReadonlyMap<string, string> = EMPTY_MAP;
  const omittedBases: string[] = [];
  for (const a of chain) {
    inScope = declareNamespaces(a, inScope);
    xmlAttrs = collectXmlAttrs(a, xmlAttrs);
    const base = a.getAttributeNS(XML_NS, 'base');
    if (a.hasAttributeNS(XML_NS, 'base') && base !== null) omittedBases.push(base);
  }
  return { inScope, rendered: EMPTY_MAP, xmlAttrs, omittedBases, included: false };
}

function isOutputLeaf(n: Node, mode: Mode): boolean {
  switch (n.nodeType) {
    case NodeType.TEXT:
    case NodeType.CDATA:
      return !mode.exclude(n);
    case NodeType.COMMENT:
      return mode.comments && !mode.exclude(n);
    case NodeType.PI:
      return n.nodeName !== 'xml' && !mode.exclude(n);
    default:
      return false;
  }
}

function canonLeaf(n: Node, mode: Mode, out: string[]): void {
  if (!isOutputLeaf(n, mode)) return;
  if (n.nodeType === NodeType.TEXT || n.nodeType === NodeType.CDATA) out.push(escapeText(n.nodeValue ?? ''));
  else if (n.nodeType === NodeType.COMMENT) out.push(`<!--${n.nodeValue ?? ''}-->`);
  else {
    const data = n.nodeValue ?? '';
    out.push(data === '' ? `<?${n.nodeName}?>` : `<?${n.nodeName} ${data}?>`);
  }
}

type Frame = { node: Node; scope: Scope } | { close: string };

/** Element subtree, iteratively (no recursion, so nesting depth cannot overflow the stack). */
function canonTree(root: Element, rootScope: Scope, mode: Mode, out: string[]): void {
  const stack: Frame[] = [{ node: root, scope: rootScope }];
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    if ('close' in frame) {
      out.push(frame.close);
      continue;
    }
    if (frame.node.nodeType !== NodeType.ELEMENT) {
      canonLeaf(frame.node, mode, out);
      continue;
    }
    const el = frame.node as Element;
    const scope = enterElement(el, frame.scope, mode, out);
    if (scope.included) stack.push({ close: `</${el.nodeName}>` });
    for (let c = el.lastChild; c; c = c.previousSibling) stack.push({ node: c, scope });
  }
}

/** Writes the start tag when `el` is in the node-set; returns the scope for its children. */
function enterElement(el: Element, parent: Scope, mode: Mode, out: string[]): Scope {
  const included = !mode.exclude(el);
  const inScope = declareNamespaces(el, parent.inScope);
  const xmlAttrs = collectXmlAttrs(el, parent.xmlAttrs);
  let rendered = parent.rendered;
  if (included) {
    const attrs = attributeAxis(el, parent, mode);
    const decls = namespaceAxis(el, inScope, parent.rendered, attrs, mode);
    if (decls.length > 0) {
      const next = new Map(parent.rendered);
      for (const [p, uri] of decls) next.set(p, uri);
      rendered = next;
    }
    out.push('<', el.nodeName);
    for (const [p, uri] of decls) out.push(p === '' ? ' xmlns="' : ` xmlns:${p}="`, escapeAttr(uri), '"');
    for (const a of attrs) out.push(' ', a.name, '="', escapeAttr(a.value), '"');
    out.push('>');
  }
  let omittedBases: readonly string[] = [];
  if (!included) {
    const own = el.hasAttributeNS(XML_NS, 'base') ? el.getAttributeNS(XML_NS, 'base') : null;
    omittedBases = own === null ? parent.omittedBases : [...parent.omittedBases, own];
  }
  return { inScope, rendered, xmlAttrs, omittedBases, included };
}

/** The in-scope namespaces of `el`, given its parent's (copy only when `el` declares something). */
function declareNamespaces(el: Element, parent: NsMap): NsMap {
  let map: Map<string, string> | undefined;
  const attrs = el.attributes;
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs.item(i) as Attr;
    if (a.namespaceURI !== XMLNS_NS) continue;
    map ??= new Map(parent);
    map.set(a.prefix === 'xmlns' ? (a.localName ?? '') : '', a.value);
  }
  return map ?? parent;
}

function collectXmlAttrs(el: Element, parent: ReadonlyMap<string, string>): ReadonlyMap<string, string> {
  let map: Map<string, string> | undefined;
  const attrs = el.attributes;
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs.item(i) as Attr;
    if (a.namespaceURI !== XML_NS) continue;
    map ??= new Map(parent);
    map.set(a.localName ?? '', a.value);
  }
  return map ?? parent;
}

interface OutAttr {
  name: string;
  ns: string;
  local: string;
  prefix: string | null;
  value: string;
}

/** Attributes in the node-set, plus inherited xml:* for an element whose parent is omitted; sorted. */
function attributeAxis(el: Element, parent: Scope, mode: Mode): OutAttr[] {
  const list: OutAttr[] = [];
  const attrs = el.attributes;
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs.item(i) as Attr;
    if (a.namespaceURI === XMLNS_NS || mode.exclude(a)) continue;
    const local = a.localName ?? a.name;
    list.push({ name: a.name, ns: a.namespaceURI ?? '', local, prefix: a.prefix ?? null, value: a.value });
  }
  if (!mode.exclusive && !parent.included) inheritXmlAttrs(el, parent, mode, list);
  return list.sort(compareAttrs);
}

// C14N 1.0 §2.4 inherits every xml:* attribute; C14N 1.1 §2.4 only xml:lang and xml:space,
// never xml:id, and rebuilds xml:base from the omitted ancestors.
function inheritXmlAttrs(el: Element, parent: Scope, mode: Mode, list: OutAttr[]): void {
  for (const [local, value] of parent.xmlAttrs) {
    if (el.hasAttributeNS(XML_NS, local)) continue;
    if (mode.v11 && local !== 'lang' && local !== 'space') continue;
    list.push({ name: `xml:${local}`, ns: XML_NS, local, prefix: 'xml', value });
  }
  if (!mode.v11 || parent.omittedBases.length === 0) return;
  const own = el.hasAttributeNS(XML_NS, 'base') ? el.getAttributeNS(XML_NS, 'base') : null;
  const value = joinUriReferences(own === null ? parent.omittedBases : [...parent.omittedBases, own]);
  const at = list.findIndex((a) => a.ns === XML_NS && a.local === 'base');
  const attr = { name: 'xml:base', ns: XML_NS, local: 'base', prefix: 'xml', value };
  if (at >= 0) list[at] = attr;
  else list.push(attr);
}

/** Namespace declarations to write on `el`, sorted by prefix. */
function namespaceAxis(el: Element, inScope: NsMap, rendered: NsMap, attrs: OutAttr[], mode: Mode): [string, string][] {
  let candidates: Iterable<string>;
  if (mode.exclusive) {
    // Exc-C14N §3: prefixes visibly utilized by the element and its attributes in the node-set.
    const used = new Set<string>(mode.inclusive);
    used.add(el.prefix ?? '');
    for (const a of attrs) if (a.prefix !== null) used.add(a.prefix);
    candidates = used;
  } else {
    candidates = inScope.keys();
  }
  const decls: [string, string][] = [];
  for (const p of candidates) {
    if (p === 'xml') continue;
    if (p !== '' && !inScope.has(p)) continue;
    const uri = inScope.get(p) ?? '';
    // Superfluous when the nearest output ancestor already rendered the same binding; an absent
    // default and xmlns="" are the same thing.
    if ((rendered.get(p) ?? '') !== uri) decls.push([p, uri]);
  }
  return decls.sort((a, b) => compareCodePoints(a[0], b[0]));
}

function compareAttrs(a: OutAttr, b: OutAttr): number {
  return compareCodePoints(a.ns, b.ns) || compareCodePoints(a.local, b.local);
}

/**
 * Compares strings by Unicode code point, the order C14N sorts attributes and namespace
 * declarations in (C14N 1.0 §2.2 "lexicographic"); UTF-16 code unit order differs for U+E000-U+FFFF
 * against astral characters.
 *
 * @example
 * ```ts
 * compareCodePoints('\u{1F600}', '\uFF21') > 0; // true ('\u{1F600}' < '\uFF21' in UTF-16 order)
 * ```
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

const TEXT_ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' };
const ATTR_ESC: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '"': '&quot;',
  '\t': '&#x9;',
  '\n': '&#xA;',
  '\r': '&#xD;',
};

/** Text node escaping (C14N 1.0 §2.3 Text Nodes). */
function escapeText(s: string): string {
  return s.replace(/[&<>\r]/g, (c) => TEXT_ESC[c] as string);
}

/** Attribute value escaping (C14N 1.0 §2.3 Attribute Nodes). */
function escapeAttr(s: string): string {
  return s.replace(/[&<"\t\n\r]/g, (c) => ATTR_ESC[c] as string);
}

/**
 * join-URI-References of C14N 1.1 §2.4: xml:base values of omitted ancestors (outermost first) and
 * the element's own, resolved one after the other by RFC 3986 §5.2.2 with the modified
 * remove_dot_segments that keeps leading `../` of a relative result.
 *
 * @example
 * ```ts
 * joinUriReferences(['something/else', 'bar/', 'foo']); // 'something/bar/foo'
 * ```
 */
export function joinUriReferences(values: readonly string[]): string {
  let base = values[0] ?? '';
  for (let i = 1; i < values.length; i++) base = resolveReference(base, values[i] as string);
  return base;
}

const URI_RE = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/;

interface UriParts {
  scheme?: string;
  authority?: string;
  path: string;
  query?: string;
  fragment?: string;
}

function parseUri(s: string): UriParts {
  const m = URI_RE.exec(s) as RegExpExecArray;
  return { scheme: m[1], authority: m[2], path: m[3] ?? '', query: m[4], fragment: m[5] };
}

function formatUri(u: UriParts): string {
  let s = u.scheme !== undefined ? `${u.scheme}:` : '';
  if (u.authority !== undefined) s += `//${u.authority}`;
  s += u.path;
  if (u.query !== undefined) s += `?${u.query}`;
  if (u.fragment !== undefined) s += `#${u.fragment}`;
  return s;
}

/** RFC 3986 §5.2.2 with a base that may itself be relative. */
function resolveReference(baseText: string, refText: string): string {
  const b = parseUri(baseText);
  const r = parseUri(refText);
  if (r.scheme !== undefined) return formatUri({ ...r, path: removeDotSegments(r.path) });
  const t: UriParts = { scheme: b.scheme, path: '', fragment: r.fragment };
  if (r.authority !== undefined)
    return formatUri({ ...t, authority: r.authority, path: removeDotSegments(r.path), query: r.query });
  t.authority = b.authority;
  if (r.path === '') {
    t.path = b.path;
    t.query = r.query ?? b.query;
  } else {
    t.query = r.query;
    if (r.path.startsWith('/')) t.path = removeDotSegments(r.path);
    else t.path = removeDotSegments(mergePaths(b, r.path));
  }
  return formatUri(t);
}

function mergePaths(b: UriParts, ref: string): string {
  if (b.authority !== undefined && b.path === '') return `/${ref}`;
  const cut = b.path.lastIndexOf('/');
  return cut < 0 ? ref : b.path.slice(0, cut + 1) + ref;
}

/** remove_dot_segments (RFC 3986 §5.2.4) that keeps `..` it cannot cancel in a relative path. */
function removeDotSegments(path: string): string {
  const absolute = path.startsWith('/');
  const segments = path.split('/');
  if (absolute) segments.shift();
  const out: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as string;
    const last = i === segments.length - 1;
    if (seg === '.') {
      if (last) out.push('');
    } else if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
      if (last) out.push('');
    } else out.push(seg);
  }
  const joined = out.join('/');
  return absolute ? `/${joined}` : joined;
}
