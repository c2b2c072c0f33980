// parseXml hardening (no DTD/entities, UTF-8, limits, fatal well-formedness errors), element
// lookup, the duplicate-refusing ID index and serialisation (reference xml-signatures.md §4, §7).
import { DecodeError } from '@eds/core/errors';
import {
  buildIdIndex,
  childElements,
  type Element,
  elementIds,
  findElements,
  NodeType,
  parseXml,
  serializeXml,
  WSU_NS,
} from '@eds/core/xml';
import { describe, expect, it } from 'vitest';

const code = (c: string) => expect.objectContaining({ code: c });
const bad = (input: string | Uint8Array, c = 'ERR_DECODE_XML', options = {}) => {
  let error: unknown;
  try {
    parseXml(input, options);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(DecodeError);
  expect(error).toEqual(code(c));
};

describe('parseXml: accepted input', () => {
  it('parses namespaces, attributes, comments and PIs; drops the XML declaration', () => {
    const doc = parseXml(
      '<?xml version="1.0" encoding="utf-8"?>\n<?pi data?><!--c--><a xmlns="urn:a" xmlns:p="urn:p" p:x="1"><b/></a>',
    );
    const root = doc.documentElement as Element;
    expect(root.namespaceURI).toBe('urn:a');
    expect(root.getAttributeNS('urn:p', 'x')).toBe('1');
    expect(doc.firstChild?.nodeType).toBe(NodeType.PI);
    expect(doc.firstChild?.nodeName).toBe('pi');
    expect(serializeXml(doc)).toBe('<?pi data?><!--c--><a xmlns="urn:a" xmlns:p="urn:p" p:x="1"><b/></a>');
  });

  it('takes UTF-8 bytes with or without a BOM, and strings with a BOM', () => {
    const body = '<a>\u0436\u{1F600}</a>';
    const bytes = new TextEncoder().encode(body);
    expect(parseXml(bytes).documentElement?.textContent).toBe('\u0436\u{1F600}');
    expect(parseXml(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes])).documentElement?.textContent).toBe('\u0436\u{1F600}');
    expect(parseXml(`\uFEFF${body}`).documentElement?.localName).toBe('a');
  });

  it('normalises line ends (XML 1.0 §2.11) and attribute whitespace (§3.3.3), keeps char references', () => {
    const doc = parseXml('<a v="x\ty\nz&#9;">l1\r\nl2\rl3&#13;</a>');
    const a = doc.documentElement as Element;
    expect(a.getAttribute('v')).toBe('x y z\t');
    expect(a.textContent).toBe('l1\nl2\nl3\r');
  });

  it('accepts ]]> where XML allows it: attribute values, comments, PIs, the end of CDATA; ]]&gt; in text', () => {
    const doc = parseXml('<a b="]]>"><!--]]>--><?p ]]>?><![CDATA[x]]>]]&gt;</a>');
    expect(doc.documentElement?.textContent).toBe('x]]>');
  });

  it('accepts the five predefined entities and U+FFFD', () => {
    expect(parseXml('<a>&lt;&gt;&amp;&apos;&quot;\uFFFD</a>').documentElement?.textContent).toBe('<>&\'"\uFFFD');
  });

  it('serialises without reformatting', () => {
    const text = '<a>\n  <b x="1">t</b>\n\t<!-- c -->\n</a>';
    expect(serializeXml(parseXml(text))).toBe(text);
  });
});

describe('parseXml: refused input (typed errors)', () => {
  it.each([
    ['DOCTYPE without subset', '<!DOCTYPE a><a/>'],
    ['external DTD', '<!DOCTYPE a SYSTEM "http://127.0.0.1/x.dtd"><a/>'],
    ['external entity', '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'],
    ['parameter entity', '<!DOCTYPE a [<!ENTITY % p SYSTEM "http://127.0.0.1/p">%p;]><a/>'],
    ['undeclared entity', '<a>&nbsp;</a>'],
    ['entity without ;', '<a>&amp</a>'],
    ['two roots', '<a/><b/>'],
    ['trailing text', '<a/>x'],
    ['leading text', 'x<a/>'],
    ['empty input', ''],
    ['unclosed element', '<a><b></a>'],
    ['mismatched tags', '<a></b>'],
    ['unquoted attribute', '<a x=1/>'],
    ['attribute without value', '<a x/>'],
    ['duplicate attribute', '<a x="1" x="2"/>'],
    ['duplicate expanded attribute name', '<a xmlns:p="urn:x" xmlns:q="urn:x" p:y="1" q:y="2"/>'],
    ['unbound prefix', '<p:a/>'],
    ['prefix undeclaration', '<a xmlns:p="urn:p"><b xmlns:p=""/></a>'],
    ['xml prefix rebound', '<a xmlns:xml="urn:x"/>'],
    ['xmlns prefix declared', '<a xmlns:xmlns="urn:x"/>'],
    ['control character', '<a>\u0001</a>'],
    ['NUL by reference', '<a>&#0;</a>'],
    ['reference beyond U+10FFFF', '<a>&#x110000;</a>'],
    ['lone surrogate by reference', '<a>&#xD800;</a>'],
    ['U+FFFE', '<a>\uFFFE</a>'],
    ['bad comment', '<a><!-- a -- b --></a>'],
    [']]> in text', '<a>x]]>y</a>'],
    [']]> in text after markup', '<a><b c="]]>"/><!--]]>--><![CDATA[]]]]>]]></a>'],
    ['late XML declaration', ' <?xml version="1.0"?><a/>'],
    ['ISO-8859-1 declaration', '<?xml version="1.0" encoding="ISO-8859-1"?><a/>'],
    ['windows-1251 declaration', "<?xml version='1.0' encoding='windows-1251'?><a/>"],
  ])('%s', (_name, input) => bad(input));

  it('refuses malformed UTF-8 and UTF-16 byte order marks', () => {
    bad(new Uint8Array([0x3c, 0x61, 0x3e, 0xc3, 0x28, 0x3c, 0x2f, 0x61, 0x3e]));
    bad(new Uint8Array([0xff, 0xfe, 0x3c, 0x00, 0x61, 0x00, 0x2f, 0x00, 0x3e, 0x00]));
  });

  it('refuses non-string input', () => {
    bad(42 as unknown as string);
  });

  it('billion laughs: refused at the DOCTYPE, nothing expanded', () => {
    let dtd = '<!ENTITY lol0 "lol">';
    for (let i = 1; i <= 9; i++) dtd += `<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`;
    bad(`<?xml version="1.0"?><!DOCTYPE lolz [${dtd}]><lolz>&lol9;</lolz>`);
  });
});

describe('parseXml: limits', () => {
  it('size', () => {
    bad('<a>0123456789</a>', 'ERR_DECODE_TOO_LARGE', { maxBytes: 10 });
    bad(new TextEncoder().encode('<a>0123456789</a>'), 'ERR_DECODE_TOO_LARGE', { maxBytes: 10 });
    expect(parseXml('<a>0123456789</a>', { maxBytes: 17 }).documentElement?.textContent).toBe('0123456789');
  });

  it('depth 10^5 is refused at the default depth limit', () => {
    bad(`${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}`, 'ERR_DECODE_TOO_LARGE');
    expect(() => parseXml(`${'<a>'.repeat(256)}${'</a>'.repeat(256)}`)).not.toThrow();
    bad(`${'<a>'.repeat(4)}${'</a>'.repeat(4)}`, 'ERR_DECODE_TOO_LARGE', { maxDepth: 3 });
  });

  it('attributes per element (10^6 attributes)', () => {
    const attrs = Array.from({ length: 1_000_000 }, (_, i) => `a${i}=""`).join(' ');
    bad(`<r ${attrs}/>`, 'ERR_DECODE_TOO_LARGE');
    // Quoted '=' and '>' are not attributes; the pre-scan must not miscount them.
    const quoted = `<r a="${'='.repeat(1000)}>" b='=>'><!-- = = --><![CDATA[ = ]]><?p = ?></r>`;
    expect(parseXml(quoted, { maxAttributes: 2, maxNamespaces: 0 }).documentElement?.getAttribute('b')).toBe('=>');
    bad('<r a="" b="" c=""/>', 'ERR_DECODE_TOO_LARGE', { maxAttributes: 2 });
  });

  it('namespace declarations per element', () => {
    const decls = Array.from({ length: 65 }, (_, i) => `xmlns:p${i}="urn:${i}"`).join(' ');
    bad(`<r ${decls}/>`, 'ERR_DECODE_TOO_LARGE');
    expect(() => parseXml(`<r ${decls}/>`, { maxNamespaces: 65 })).not.toThrow();
  });

  it('total nodes', () => {
    bad(`<r>${'<a/>'.repeat(20)}</r>`, 'ERR_DECODE_TOO_LARGE', { maxNodes: 10 });
  });
});

describe('element lookup and the ID index', () => {
  const DS = 'http://www.w3.org/2000/09/xmldsig#';
  const text = `<r xmlns:ds="${DS}"><ds:Signature Id="s1"><ds:SignedInfo/></ds:Signature><x:Signature xmlns:x="urn:other"/><Signature/></r>`;

  it('finds elements by namespace URI and local name, never by prefix', () => {
    const doc = parseXml(text);
    expect(findElements(doc, DS, 'Signature')).toHaveLength(1);
    expect(findElements(doc, null, 'Signature')).toHaveLength(1);
    const [sig] = findElements(doc, DS, 'Signature');
    expect(childElements(sig as Element, DS, 'SignedInfo')).toHaveLength(1);
    expect(childElements(doc.documentElement as Element)).toHaveLength(3);
  });

  it('indexes Id, ID, id, xml:id and wsu:Id', () => {
    const doc = parseXml(
      `<r xmlns:wsu="${WSU_NS}"><a Id="1"/><b ID="2"/><c id="3"/><d xml:id="4"/><e wsu:Id="5"/><f foo:Id="6" xmlns:foo="urn:f"/></r>`,
    );
    const index = buildIdIndex(doc);
    expect([...index.keys()].sort()).toEqual(['1', '2', '3', '4', '5']);
    expect(index.get('5')?.localName).toBe('e');
  });

  it.each([
    ['Id twice', '<r><a Id="x"/><b Id="x"/></r>'],
    ['Id and id', '<r><a Id="x"/><b id="x"/></r>'],
    ['xml:id and ID', '<r><a xml:id="x"/><b ID="x"/></r>'],
    ['wsu:Id and Id', `<r xmlns:wsu="${WSU_NS}"><a wsu:Id="x"/><b Id="x"/></r>`],
    [
      'SMEV: a second SIGNED_BY_CONSUMER inside ds:Object',
      '<r><d Id="SIGNED_BY_CONSUMER"/><o><d Id="SIGNED_BY_CONSUMER"/></o></r>',
    ],
  ])('refuses duplicate IDs: %s', (_name, input) => {
    expect(() => buildIdIndex(parseXml(input))).toThrow(code('ERR_DECODE_DUPLICATE_ID'));
  });

  it('the same value twice on one element is one ID', () => {
    const doc = parseXml('<r><a Id="x" id="x"/></r>');
    expect(elementIds(doc.documentElement?.firstChild as Element)).toEqual(['x']);
    expect(buildIdIndex(doc).size).toBe(1);
  });
});

describe('parseXml: XML 1.0 line ends', () => {
  it('only CR LF and CR become LF; U+0085 and U+2028 stay (XML 1.0 §2.11, unlike XML 1.1)', () => {
    const doc = parseXml('<a b="x\u2028y\u0085z">\u0085z\r\nw\rv\u2028</a>');
    const cps = (s: string | null) => [...(s ?? '')].map((c) => c.codePointAt(0));
    expect(cps(doc.documentElement?.textContent ?? null)).toEqual([0x85, 0x7a, 0x0a, 0x77, 0x0a, 0x76, 0x2028]);
    expect(cps(doc.documentElement?.getAttribute('b') ?? null)).toEqual([0x78, 0x2028, 0x79, 0x85, 0x7a]);
  });
});
