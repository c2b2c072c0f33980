// SMEV 3 transform urn://smev-gov-ru/xmldsig/transform (SMEV 3 methodology, Java SmevTransformSpi behaviour; xml-signatures.md §3).
import { DecodeError } from './errors';
import { parseXml, type XmlLimits } from './xml';

/** Algorithm URI of the SMEV 3 transform (xml-signatures.md §1.1, §3.1). */
export const SMEV_TRANSFORM_URI = 'urn://smev-gov-ru/xmldsig/transform';

/**
 * Limits applied by {@link smevTransform}. Text and octets are parsed by `parseXml` of
 * `@eds/core/xml` with these {@link XmlLimits}; `maxDepth` also bounds a DOM given directly.
 */
export interface SmevTransformOptions extends XmlLimits {
  /** Largest output produced, in bytes; bounds the growth from repeated declarations. Default 64 MiB. */
  readonly maxOutputBytes?: number;
}

// maxDepth as parseXml's default, so DOM input and parsed input meet the same bound.
const DEFAULT_MAX_DEPTH = 256;
const DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024;

const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const ELEMENT = 1;
const TEXT = 3;
const CDATA = 4;
const PI = 7;
const COMMENT = 8;

// XML 1.0 Char excludes these code units; a lone surrogate is not a character either. Checked here
// too because a DOM handed in directly was never checked by a parser.
const BAD_CHAR =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the control characters XML 1.0 forbids
  /[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// NCName of Namespaces in XML 1.0 (XML 1.0 5th ed. NameStartChar / NameChar without ':').
const NC_START =
  'A-Z_a-z\\xC0-\\xD6\\xD8-\\xF6\\xF8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NCNAME = new RegExp(`^[${NC_START}][${NC_START}\\-.0-9\\xB7\\u0300-\\u036F\\u203F\\u2040]*$`, 'u');

/** One attribute of the model: namespace URI ('' for none), local name, value. */
interface Attr {
  readonly uri: string;
  readonly local: string;
  readonly value: string;
}

/** An open element: its generated prefix, the URIs it declared (its mapping list), its next child. */
interface Frame {
  readonly el: Element;
  readonly prefix: string;
  readonly declared: string[];
  next: ChildNode | null;
}

/**
 * Applies the SMEV 3 transform and returns the UTF-8 octets of the result (xml-signatures.md §3.3).
 *
 * Rules, in the reference's terms: the XML declaration, processing instructions, comments and
 * the DTD are dropped; a character run made only of characters ≤ U+0020 is dropped, any other
 * run is written unchanged with `&` and `<` escaped; every element and namespaced attribute gets
 * a generated prefix `nsN` (one counter per call that never goes back), declared on the element
 * that first needs it and forgotten when that element closes, so a later sibling in the same
 * namespace is given a new number; source `xmlns` declarations vanish; attributes are sorted
 * (namespaced ones first by URI then local name, then plain ones by local name, comparing UTF-16
 * code units); declarations come before attributes; no empty-element tags.
 *
 * Input: the octets or text of the previous transform (normally exclusive C14N), a Document or
 * an Element (its subtree is transformed; namespaces come from the DOM). Adjacent Text and
 * CDATA nodes form one character run; a comment or processing instruction ends a run, as it
 * ends a characters event in the reference's event stream. Choices where the specification is
 * silent (open questions of §3.3): a carriage return in text is written `&#xD;`; attribute
 * values escape `&`, `<`, `"`, TAB, LF and CR (as C14N does), so the output parses back to
 * the same values.
 *
 * @throws DecodeError `ERR_DECODE_XML` for input that is not well-formed, namespace-well-formed
 *   UTF-8 XML, carries a DOCTYPE, or contains characters XML forbids; `ERR_DECODE_TOO_LARGE`
 *   when a limit of {@link SmevTransformOptions} is passed; `ERR_SMEV_UNSUPPORTED` for an element
 *   without a namespace (the reference throws), an element or attribute in the `xml:` namespace
 *   (which cannot be bound to an `nsN` prefix).
 * @example
 * ```ts
 * const out = smevTransform('<a:R xmlns:a="urn:a"><a:X/></a:R>');
 * new TextDecoder().decode(out); // '<ns1:R xmlns:ns1="urn:a"><ns1:X></ns1:X></ns1:R>'
 * ```
 */
export function smevTransform(
  input: Element | Document | string | Uint8Array,
  options: SmevTransformOptions = {},
): Uint8Array {
  const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const root = rootOf(input, options);
  const text = new SmevWriter(options.maxDepth ?? DEFAULT_MAX_DEPTH, maxOutputBytes).run(root);
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > maxOutputBytes) tooLarge(`output exceeds ${maxOutputBytes} bytes`);
  return bytes;
}

function tooLarge(message: string, path?: string): never {
  throw new DecodeError('ERR_DECODE_TOO_LARGE', message, { path });
}

function badXml(message: string, options: { path?: string; cause?: unknown } = {}): never {
  throw new DecodeError('ERR_DECODE_XML', message, options);
}

/** The element whose subtree is transformed, parsing text or octets first (safe parser, limits). */
function rootOf(input: Element | Document | string | Uint8Array, limits: XmlLimits): Element {
  if (typeof input === 'string' || input instanceof Uint8Array) {
    return (parseXml(input, limits) as unknown as Document).documentElement;
  }
  if (input && input.nodeType === 9) {
    const el = (input as Document).documentElement;
    if (!el) badXml('the document has no root element');
    return el;
  }
  if (input && input.nodeType === ELEMENT) return input as Element;
  throw new TypeError('smevTransform: expected an Element, a Document, a string or a Uint8Array');
}

/** The event loop of §3.3 over a DOM subtree, iterative so that depth costs no call stack. */
class SmevWriter {
  private out = '';
  private counter = 1;
  /** URI → prefix over all currently open mapping lists (a URI is in at most one open list). */
  private readonly open = new Map<string, string>();
  private readonly stack: Frame[] = [];
  private pending = '';
  /** Names already checked (documents repeat a few names many times). */
  private readonly names = new Set<string>();

  constructor(
    private readonly maxDepth: number,
    private readonly maxOutputBytes: number,
  ) {}

  run(root: Element): string {
    this.start(root);
    while (this.stack.length > 0) {
      const top = this.stack[this.stack.length - 1] as Frame;
      const node = top.next;
      if (!node) {
        this.end(top);
        continue;
      }
      top.next = node.nextSibling;
      this.child(node);
    }
    return this.out;
  }

  private child(node: Node): void {
    switch (node.nodeType) {
      case ELEMENT:
        this.flushText();
        this.start(node as Element);
        return;
      case TEXT:
      case CDATA:
        this.pending += (node as CharacterData).data;
        return;
      case COMMENT:
      case PI:
        this.flushText();
        return;
      default:
        badXml(`unsupported node type ${node.nodeType} in element content`, { path: this.path() });
    }
  }

  /** §3.3 step 3: a run of only characters ≤ U+0020 is dropped (Java `trim().isEmpty()`). */
  private flushText(): void {
    const text = this.pending;
    this.pending = '';
    this.checkChars(text);
    if (!/[^\0-\x20]/.test(text)) return;
    this.write(TEXT_SPECIAL.test(text) ? text.replace(TEXT_SPECIALS, (c) => ESCAPES[c] as string) : text);
  }

  /** §3.3 step 4: mapping list, element prefix, sorted attributes, declarations, write. */
  private start(el: Element): void {
    if (this.stack.length >= this.maxDepth) {
      tooLarge(`element nesting exceeds depth ${this.maxDepth}`, this.path());
    }
    const uri = el.namespaceURI ?? '';
    const local = this.checkName(el.localName ?? '');
    if (uri === '' || uri === XML_NS || uri === XMLNS_NS) {
      const why = uri === '' ? 'has no namespace' : `is in the reserved namespace ${uri}`;
      throw new DecodeError('ERR_SMEV_UNSUPPORTED', `element ${local} ${why}; the SMEV transform rejects it`, {
        path: `${this.path()}/${local}`,
      });
    }
    const declared: string[] = [];
    const prefix = this.resolve(uri, declared);
    const attrs = sortAttributes(this.attributes(el, local));
    let written = '';
    for (const a of attrs) {
      const name = a.uri === '' ? a.local : `${this.resolve(a.uri, declared)}:${a.local}`;
      written += ` ${name}="${escapeAttr(a.value)}"`;
    }
    let tag = `<${prefix}:${local}`;
    for (const d of declared) tag += ` xmlns:${this.open.get(d)}="${escapeAttr(d)}"`;
    this.write(`${tag}${written}>`);
    this.stack.push({ el, prefix, declared, next: el.firstChild });
  }

  /** §3.3 step 5: close the element with an explicit end tag, then pop its mapping list. */
  private end(frame: Frame): void {
    this.flushText();
    this.write(`</${frame.prefix}:${frame.el.localName}>`);
    for (const uri of frame.declared) this.open.delete(uri);
    this.stack.pop();
  }

  /** §3.3 steps 4.2/4.6: the prefix in scope for `uri`, or a new `nsN` declared on this element. */
  private resolve(uri: string, declared: string[]): string {
    const known = this.open.get(uri);
    if (known !== undefined) return known;
    this.checkChars(uri);
    const prefix = `ns${this.counter++}`;
    this.open.set(uri, prefix);
    declared.push(uri);
    return prefix;
  }

  /** §3.3 step 4.4: the element's attributes; source namespace declarations are not attributes. */
  private attributes(el: Element, elName: string): Attr[] {
    const result: Attr[] = [];
    const list = el.attributes;
    for (let i = 0; i < list.length; i++) {
      const a = list[i] as globalThis.Attr;
      const uri = a.namespaceURI ?? '';
      if (uri === XMLNS_NS || (uri === '' && a.name === 'xmlns')) continue;
      const local = this.checkName(a.localName ?? a.name);
      if (uri === XML_NS) {
        throw new DecodeError('ERR_SMEV_UNSUPPORTED', `attribute xml:${local} cannot be given an nsN prefix`, {
          path: `${this.path()}/${elName}/@xml:${local}`,
        });
      }
      this.checkChars(a.value);
      result.push({ uri, local, value: a.value });
    }
    return result;
  }

  private checkName(name: string): string {
    if (this.names.has(name)) return name;
    if (!NCNAME.test(name)) badXml(`not an XML name: ${JSON.stringify(name.slice(0, 64))}`, { path: this.path() });
    if (this.names.size < 4096) this.names.add(name);
    return name;
  }

  private checkChars(text: string): void {
    const m = BAD_CHAR.exec(text);
    if (m) {
      const code = (m[0].codePointAt(0) ?? 0).toString(16).toUpperCase();
      badXml(`U+${code.padStart(4, '0')} is not an XML character`, { path: this.path() });
    }
  }

  private write(s: string): void {
    if (this.out.length + s.length > this.maxOutputBytes) tooLarge(`output exceeds ${this.maxOutputBytes} bytes`);
    this.out += s;
  }

  /** Slash-separated local names of the open elements, for error paths. */
  private path(): string {
    return this.stack.map((f) => `/${f.el.localName}`).join('');
  }
}

/** §3.2 rule 7 / §3.3 step 4.5: namespaced first (URI, then local name), then plain by local name. */
function sortAttributes(attrs: Attr[]): Attr[] {
  const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  return attrs.sort((a, b) => {
    if ((a.uri === '') !== (b.uri === '')) return a.uri === '' ? 1 : -1;
    return cmp(a.uri, b.uri) || cmp(a.local, b.local);
  });
}

const TEXT_SPECIAL = /[&<\r]/;
const TEXT_SPECIALS = /[&<\r]/g;
const ATTR_SPECIAL = /[&<"\t\n\r]/;
const ATTR_SPECIALS = /[&<"\t\n\r]/g;

function escapeAttr(value: string): string {
  return ATTR_SPECIAL.test(value) ? value.replace(ATTR_SPECIALS, (c) => ESCAPES[c] as string) : value;
}

/** Text escapes `&`, `<`, CR; attribute values also `"`, TAB, LF (README "choices"). */
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '"': '&quot;',
  '\t': '&#x9;',
  '\n': '&#xA;',
  '\r': '&#xD;',
};
