// Hardened XML parsing on @xmldom/xmldom (XML 1.0 5th ed. + Namespaces in XML 1.0) for XMLDSig:
// no DTD, no entities beyond the five predefined, UTF-8 only, size/depth/count limits, ID index.

import type { Document, Element, Node } from '@xmldom/xmldom';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { DecodeError } from './errors';

/** The `xml:` namespace (Namespaces in XML 1.0 §3). */
export const XML_NS = 'http://www.w3.org/XML/1998/namespace';
/** The namespace of `xmlns` declarations as DOM attributes (DOM Level 2). */
export const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
/** The WS-Security utility namespace whose `wsu:Id` is an ID attribute. */
export const WSU_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';

/** DOM node types used by the XML code (DOM Level 1 `Node.nodeType`). */
export const NodeType = {
  ELEMENT: 1,
  ATTRIBUTE: 2,
  TEXT: 3,
  CDATA: 4,
  PI: 7,
  COMMENT: 8,
  DOCUMENT: 9,
  DOCUMENT_TYPE: 10,
} as const;

/** Limits applied by {@link parseXml}; exceeding one is a `DecodeError` `ERR_DECODE_TOO_LARGE`. */
export interface XmlLimits {
  /** Largest input: bytes for a Uint8Array, UTF-16 code units for a string (default 64 MiB). */
  maxBytes?: number;
  /** Deepest element nesting (default 256). */
  maxDepth?: number;
  /** Most attributes on one element, namespace declarations not counted (default 256). */
  maxAttributes?: number;
  /** Most namespace declarations on one element (default 64). */
  maxNamespaces?: number;
  /** Most nodes (elements, text runs, comments, PIs, attributes) in the document (default 2,000,000). */
  maxNodes?: number;
}

const DEFAULTS: Required<XmlLimits> = {
  maxBytes: 64 * 1024 * 1024,
  maxDepth: 256,
  maxAttributes: 256,
  maxNamespaces: 64,
  maxNodes: 2_000_000,
};

// Chars outside the XML 1.0 `Char` production (§2.2), lone surrogates included.
const BAD_CHAR =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching these control characters is the point
  /[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const XML_DECL = /^<\?xml[\t\n\r ][\s\S]*?\?>/;
const ENCODING = /[\t\n\r ]encoding[\t\n\r ]*=[\t\n\r ]*(["'])([^"']*)\1/;

function xmlError(message: string, path?: string): DecodeError {
  return new DecodeError('ERR_DECODE_XML', message, { path });
}

function tooLarge(message: string): DecodeError {
  return new DecodeError('ERR_DECODE_TOO_LARGE', message);
}

/** Bytes or text to a string: UTF-8 only, one BOM allowed, malformed UTF-8 refused. */
function decodeInput(input: string | Uint8Array, maxBytes: number): string {
  if (typeof input === 'string') {
    if (input.length > maxBytes) throw tooLarge(`XML input exceeds ${maxBytes} characters`);
    return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  }
  if (!(input instanceof Uint8Array)) throw xmlError('XML input must be a string or a Uint8Array');
  if (input.length > maxBytes) throw tooLarge(`XML input exceeds ${maxBytes} bytes`);
  if ((input[0] === 0xfe && input[1] === 0xff) || (input[0] === 0xff && input[1] === 0xfe)) {
    throw xmlError('UTF-16 XML is not supported; only UTF-8');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(input);
  } catch (cause) {
    throw new DecodeError('ERR_DECODE_XML', 'XML input is not valid UTF-8', { cause });
  }
}

/** The XML declaration, when present, must name UTF-8 (or nothing). */
function checkDeclaration(text: string): void {
  const decl = XML_DECL.exec(text);
  if (!decl) return;
  const enc = ENCODING.exec(decl[0]);
  if (enc && (enc[2] as string).toLowerCase() !== 'utf-8') {
    throw xmlError(`XML encoding "${enc[2]}" is not supported; only UTF-8`);
  }
}

/** Skips a markup construct that cannot hold a start tag; returns the index after it, or -1. */
function skipMarkup(text: string, lt: number): number {
  if (text.startsWith('<!--', lt)) return after(text, '-->', lt + 4);
  if (text.startsWith('<![CDATA[', lt)) return after(text, ']]>', lt + 9);
  if (text.startsWith('<?', lt)) return after(text, '?>', lt + 2);
  return text.startsWith('<!', lt) ? -1 : lt + 1;
}

/**
 * Index after the first `end` at or past `from`, -1 when there is none. A plain loop: V8's
 * String.prototype.indexOf with a start offset on a large two-byte (e.g. Cyrillic) string
 * slows down by orders of magnitude after a few documents in one process.
 */
function after(text: string, end: string, from: number): number {
  const first = end.charCodeAt(0);
  for (let i = from; i <= text.length - end.length; i++) {
    if (text.charCodeAt(i) === first && text.startsWith(end, i)) return i + end.length;
  }
  return -1;
}

/** Index of the next `code` at or past `from`, -1 when there is none (see {@link after} for why not indexOf). */
function next(text: string, code: number, from: number): number {
  for (let i = from; i < text.length; i++) if (text.charCodeAt(i) === code) return i;
  return -1;
}

/**
 * One linear pass over the text before xmldom sees it, for two things xmldom does not do: it counts
 * `=` outside quotes in each start tag (xmldom collects every attribute of a tag before any hook
 * runs, seconds for 10^6 attributes), and it refuses `]]>` in character data (XML 1.0 §2.4), which
 * xmldom accepts. Stops at anything odd (DOCTYPE, unterminated markup): the parser refuses those.
 */
function prescan(text: string, limit: number): void {
  let i = 0;
  while (i >= 0 && i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5d && text.startsWith(']]>', i)) throw xmlError(`"]]>" in character data at offset ${i}`);
    if (c !== 0x3c) {
      i++;
      continue;
    }
    const k = text.charCodeAt(i + 1);
    i = k === 0x21 || k === 0x3f || k === 0x2f ? skipMarkup(text, i) : startTagEnd(text, i, limit);
  }
}

/** Index of the `>` closing the start tag at `lt` (or of a stray `<`), -1 when unterminated. */
function startTagEnd(text: string, lt: number, limit: number): number {
  let count = 0;
  for (let j = lt + 1; j < text.length; j++) {
    const ch = text.charCodeAt(j);
    if (ch === 0x3e || ch === 0x3c) return j;
    if (ch === 0x22 || ch === 0x27) {
      j = next(text, ch, j + 1);
      if (j < 0) return -1;
    } else if (ch === 0x3d && ++count > limit) {
      throw tooLarge(`more than ${limit} attributes and namespace declarations on one element`);
    }
  }
  return -1;
}

interface AttrList {
  length: number;
  getURI(i: number): string | null | undefined;
  getLocalName(i: number): string;
  getQName(i: number): string;
  getValue(i: number): string;
}

interface ParseState {
  limits: Required<XmlLimits>;
  /** The source has `&#`: only then can parsed text hold characters the source scan did not see. */
  charRefs: boolean;
  depth: number;
  nodes: number;
  failure: DecodeError | undefined;
}

function fail(state: ParseState, error: DecodeError): never {
  state.failure ??= error;
  throw error;
}

function checkChars(state: ParseState, text: string, what: string): void {
  if (BAD_CHAR.test(text)) fail(state, xmlError(`${what} contains a character not allowed in XML 1.0`));
}

/** Namespace constraints of Namespaces in XML 1.0 §3 that xmldom does not enforce. */
function checkDeclarationAttr(state: ParseState, qName: string, value: string): void {
  const prefix = qName === 'xmlns' ? '' : qName.slice(6);
  if (prefix === 'xmlns') fail(state, xmlError('the xmlns prefix must not be declared'));
  if (prefix === 'xml' ? value !== XML_NS : value === XML_NS || value === XMLNS_NS) {
    fail(state, xmlError(`namespace declaration ${qName}="${value}" is not allowed`));
  }
  if (prefix !== '' && value === '') fail(state, xmlError(`prefix undeclaration ${qName}="" is not XML 1.0`));
}

function checkElement(state: ParseState, qName: string, attrs: AttrList): void {
  const { limits } = state;
  if (++state.depth > limits.maxDepth) fail(state, tooLarge(`XML nesting deeper than ${limits.maxDepth}`));
  let declarations = 0;
  // xmldom refuses a repeated qualified name; two prefixes bound to one URI are the remaining case.
  let prefixed: Set<string> | undefined;
  for (let i = 0; i < attrs.length; i++) {
    const name = attrs.getQName(i);
    const value = attrs.getValue(i);
    if (state.charRefs) checkChars(state, value, `attribute ${name}`);
    if (name === 'xmlns' || name.startsWith('xmlns:')) {
      declarations++;
      checkDeclarationAttr(state, name, value);
    } else if (name.includes(':')) {
      const key = `${attrs.getURI(i) ?? ''}\u0000${attrs.getLocalName(i)}`;
      prefixed ??= new Set();
      if (prefixed.has(key)) fail(state, xmlError(`attribute ${name} duplicated on <${qName}>`));
      prefixed.add(key);
    }
  }
  if (declarations > limits.maxNamespaces) {
    fail(state, tooLarge(`more than ${limits.maxNamespaces} namespace declarations on <${qName}>`));
  }
  if (attrs.length - declarations > limits.maxAttributes) {
    fail(state, tooLarge(`more than ${limits.maxAttributes} attributes on <${qName}>`));
  }
  countNodes(state, 1 + attrs.length);
}

function countNodes(state: ParseState, n: number): void {
  state.nodes += n;
  if (state.nodes > state.limits.maxNodes) fail(state, tooLarge(`more than ${state.limits.maxNodes} XML nodes`));
}

type HandlerClass = new (options: unknown) => Record<string, unknown>;

/**
 * A DOMHandler subclass that checks each event before xmldom builds the node. xmldom does not export
 * its DOMHandler; a DOMParser instance carries it as `domHandler`.
 */
function guardedHandler(state: ParseState): HandlerClass {
  const Base = (new DOMParser() as unknown as { domHandler: HandlerClass }).domHandler;
  const base = Base.prototype as Record<string, (...args: unknown[]) => unknown>;
  class Guarded extends Base {}
  const proto = Guarded.prototype as Record<string, unknown>;
  proto.startElement = function (this: unknown, ns: unknown, local: unknown, qName: string, attrs: AttrList) {
    checkElement(state, qName, attrs);
    return base.startElement?.call(this, ns, local, qName, attrs);
  };
  proto.endElement = function (this: unknown, ...args: unknown[]) {
    state.depth--;
    return base.endElement?.apply(this, args);
  };
  proto.characters = function (this: unknown, chars: string, ...rest: unknown[]) {
    if (state.charRefs) checkChars(state, chars, 'text');
    countNodes(state, 1);
    return base.characters?.call(this, chars, ...rest);
  };
  proto.comment = function (this: unknown, ...args: unknown[]) {
    countNodes(state, 1);
    return base.comment?.apply(this, args);
  };
  proto.processingInstruction = function (this: unknown, ...args: unknown[]) {
    countNodes(state, 1);
    return base.processingInstruction?.apply(this, args);
  };
  proto.startDTD = () => fail(state, xmlError('DOCTYPE is not allowed (no DTDs, no entity declarations)'));
  return Guarded;
}

// The one xmldom report that is not about well-formedness: U+FFFD in the text is legitimate.
const BENIGN = /^Unicode replacement character detected/;

/**
 * Parses XML text or UTF-8 bytes into an xmldom `Document`, refusing anything a signature verifier
 * should not see: any DOCTYPE (so no DTD, no custom or external entities), entity references other
 * than the five predefined ones and character references, non-UTF-8 encodings, characters outside
 * the XML 1.0 `Char` production, duplicate attributes (also by expanded name), prefix
 * undeclarations, multiple roots or trailing content. Every xmldom warning or error is fatal; nothing
 * is recovered silently. Line ends are normalised (XML 1.0 §2.11), attribute values normalised
 * (§3.3.3). Processing instructions and comments are kept; the XML declaration is dropped.
 *
 * @throws {DecodeError} `ERR_DECODE_XML` for ill-formed or refused input; `ERR_DECODE_TOO_LARGE`
 *   when a limit in `options` is exceeded.
 * @example
 * ```ts
 * const doc = parseXml('<a xmlns="urn:x"><b Id="1"/></a>');
 * doc.documentElement?.localName; // 'a'
 * ```
 */
export function parseXml(input: string | Uint8Array, options: XmlLimits = {}): Document {
  const limits = { ...DEFAULTS, ...options };
  const text = decodeInput(input, limits.maxBytes);
  checkDeclaration(text);
  const state: ParseState = { limits, charRefs: text.includes('&#'), depth: 0, nodes: 0, failure: undefined };
  checkChars(state, text, 'XML input');
  prescan(text, limits.maxAttributes + limits.maxNamespaces);
  const parser = new DOMParser({
    locator: false,
    // XML 1.0 §2.11: only CR LF and CR become LF (xmldom's default follows XML 1.1 and would also
    // turn U+0085 and U+2028 into line feeds, changing what a signature's digest covers).
    normalizeLineEndings: (s: string) => s.replace(/\r\n?/g, '\n'),
    domHandler: guardedHandler(state),
    onError: (level: string, message: string) => {
      if (level === 'warning' && BENIGN.test(message)) return;
      fail(state, xmlError(`ill-formed XML (${level}): ${message}`));
    },
  });
  let doc: Document;
  try {
    doc = parser.parseFromString(text, 'application/xml');
  } catch (cause) {
    if (state.failure) throw state.failure;
    throw new DecodeError('ERR_DECODE_XML', `ill-formed XML: ${(cause as Error)?.message ?? cause}`, { cause });
  }
  if (state.failure) throw state.failure;
  return finishDocument(doc);
}

/** Post-parse checks: one root, no DOCTYPE node; the XML declaration PI is removed. */
function finishDocument(doc: Document): Document {
  let roots = 0;
  for (let n = doc.firstChild; n; ) {
    const next = n.nextSibling;
    if (n.nodeType === NodeType.ELEMENT) roots++;
    else if (n.nodeType === NodeType.DOCUMENT_TYPE) throw xmlError('DOCTYPE is not allowed');
    else if (n.nodeType === NodeType.PI && n.nodeName === 'xml') doc.removeChild(n);
    else if (n.nodeType === NodeType.TEXT) doc.removeChild(n); // xmldom keeps prolog whitespace
    n = next;
  }
  if (roots !== 1) throw xmlError(`a document needs exactly one root element, found ${roots}`);
  return doc;
}

/**
 * Element children of `parent`, optionally only those with the given namespace URI and local name
 * (`null` namespace = no namespace). Namespace + local name, never prefixes (XMLDSig §4). Reading
 * children structurally (Signature/SignedInfo/Reference) is the defence against unanchored lookups
 * (CVE-2024-45409).
 *
 * @example
 * ```ts
 * const [signedInfo] = childElements(signature, DSIG_NS, 'SignedInfo');
 * ```
 */
export function childElements(parent: Node, ns?: string | null, localName?: string): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === NodeType.ELEMENT && matches(n as Element, ns, localName)) out.push(n as Element);
  }
  return out;
}

function matches(el: Element, ns: string | null | undefined, localName: string | undefined): boolean {
  if (ns !== undefined && (el.namespaceURI ?? null) !== ns) return false;
  return localName === undefined || el.localName === localName;
}

/**
 * All descendant elements of `root` (document order, `root` itself included when it is an element)
 * with the given namespace URI and local name. Iterative, so any depth is safe.
 *
 * @example
 * ```ts
 * const signatures = findElements(doc, 'http://www.w3.org/2000/09/xmldsig#', 'Signature');
 * ```
 */
export function findElements(root: Node, ns: string | null, localName: string): Element[] {
  const out: Element[] = [];
  walkElements(root, (el) => {
    if (matches(el, ns, localName)) out.push(el);
  });
  return out;
}

/**
 * Visits `root` (if an element) and every descendant element in document order, without recursion.
 *
 * @example
 * ```ts
 * let n = 0;
 * walkElements(parseXml('<a><b/><c/></a>'), () => n++); // n === 3
 * ```
 */
export function walkElements(root: Node, visit: (el: Element) => void): void {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    if (node.nodeType === NodeType.ELEMENT) visit(node as Element);
    for (let c = node.lastChild; c; c = c.previousSibling) {
      if (c.nodeType === NodeType.ELEMENT) stack.push(c);
    }
  }
}

/**
 * The ID values an element carries: unqualified `Id`, `ID`, `id`, plus `xml:id` and `wsu:Id`
 * (the attributes XMLDSig same-document references name in practice; no DTD declares IDs here).
 *
 * @example
 * ```ts
 * elementIds(parseXml('<a Id="x" xml:id="y"/>').documentElement!); // ['x', 'y']
 * ```
 */
export function elementIds(el: Element): string[] {
  const ids: string[] = [];
  const attrs = el.attributes;
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs.item(i);
    if (!a) continue;
    const ns = a.namespaceURI ?? null;
    const isId =
      (ns === null && (a.localName === 'Id' || a.localName === 'ID' || a.localName === 'id')) ||
      (ns === XML_NS && a.localName === 'id') ||
      (ns === WSU_NS && a.localName === 'Id');
    if (isId && !ids.includes(a.value)) ids.push(a.value);
  }
  return ids;
}

/**
 * Indexes every element of `root` by its ID attributes (`Id`, `ID`, `id`, `xml:id`, `wsu:Id`)
 * and refuses a value that appears on two elements: signature wrapping through duplicate IDs
 * (xmldsigjs 2025 fix, XMLDSig §4.4.3.3 same-document references) is impossible by construction.
 *
 * @throws {DecodeError} `ERR_DECODE_DUPLICATE_ID` with `path` set to the ID value.
 * @example
 * ```ts
 * const ids = buildIdIndex(parseXml('<a><b Id="x"/></a>'));
 * ids.get('x')?.localName; // 'b'
 * ```
 */
export function buildIdIndex(root: Node): Map<string, Element> {
  const index = new Map<string, Element>();
  walkElements(root, (el) => {
    for (const id of elementIds(el)) {
      if (index.has(id)) {
        throw new DecodeError('ERR_DECODE_DUPLICATE_ID', `ID "${id}" appears on more than one element`, { path: id });
      }
      index.set(id, el);
    }
  });
  return index;
}

/**
 * Serialises a node as XML text without reformatting (no indentation added, whitespace text kept).
 * Not canonical: use `canonicalize` from `@eds/core/c14n` for anything that is digested.
 *
 * @example
 * ```ts
 * serializeXml(parseXml('<a> <b/> </a>')); // '<a> <b/> </a>'
 * ```
 */
export function serializeXml(node: Node): string {
  return new XMLSerializer().serializeToString(node);
}

export type { Document, Element, Node };
