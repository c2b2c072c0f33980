// C14N 1.0 / 1.1 / exclusive C14N: W3C examples (test/vectors/c14n/README.md), document subsets,
// InclusiveNamespaces PrefixList, and properties (idempotence, attribute order independence).
import {
  C14N_10,
  C14N_10_WITH_COMMENTS,
  C14N_11,
  C14N_11_WITH_COMMENTS,
  type CanonicalizeOptions,
  canonicalize,
  canonicalizeToString,
  compareCodePoints,
  EXC_C14N,
  EXC_C14N_WITH_COMMENTS,
  excludeSubtree,
  joinUriReferences,
} from '@eds/core/c14n';
import { UnsupportedAlgorithmError } from '@eds/core/errors';
import { type Element, findElements, type Node, parseXml } from '@eds/core/xml';
import { readFixture } from '@eds/test-support/vectors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbDocument, renderDocument } from './_xml-arbitrary';

const dir = 'packages/core/test/vectors/c14n/';
const text = async (name: string) => new TextDecoder().decode(await readFixture(dir + name));
const c14n = (node: Node, options: CanonicalizeOptions) => new TextDecoder().decode(canonicalize(node, options));
const ALL = [C14N_10, C14N_10_WITH_COMMENTS, C14N_11, C14N_11_WITH_COMMENTS, EXC_C14N, EXC_C14N_WITH_COMMENTS];

function byName(root: Node, local: string): Element {
  const [el] = findElements(root, null, local).concat(findElements(root, 'http://www.ietf.org', local));
  if (!el) throw new Error(`no ${local}`);
  return el;
}

function isInside(node: Node, root: Node): boolean {
  for (
    let n: Node | null = node.nodeType === 2 ? (node as unknown as { ownerElement: Node }).ownerElement : node;
    n;
    n = n.parentNode
  ) {
    if (n === root) return true;
  }
  return false;
}

describe('Canonical XML 1.0 §3 examples (W3C)', () => {
  it.each([
    ['3.1 PIs, comments, outside the document element', 'c14n10-3.1-in.xml', 'c14n10-3.1-out.xml', C14N_10],
    ['3.1 with comments', 'c14n10-3.1-in.xml', 'c14n10-3.1-out-comments.xml', C14N_10_WITH_COMMENTS],
    ['3.2 whitespace in document content', 'c14n10-3.2-in.xml', 'c14n10-3.2-out.xml', C14N_10],
    [
      '3.3 start and end tags (DTD default attribute made explicit)',
      'c14n10-3.3-in.xml',
      'c14n10-3.3-out.xml',
      C14N_10,
    ],
    ['3.4 character modifications (DTD-typed attributes dropped)', 'c14n10-3.4-in.xml', 'c14n10-3.4-out.xml', C14N_10],
    ['3.6 UTF-8 encoding (declaration changed to UTF-8)', 'c14n10-3.6-in.xml', 'c14n10-3.6-out.xml', C14N_10],
  ])('%s', async (_name, input, output, algorithm) => {
    const doc = parseXml(await readFixture(dir + input));
    expect(c14n(doc, { algorithm })).toBe(await text(output));
    // C14N 1.1 differs from 1.0 only for document subsets; these are whole documents.
    const v11 = algorithm === C14N_10 ? C14N_11 : C14N_11_WITH_COMMENTS;
    expect(c14n(doc, { algorithm: v11 })).toBe(await text(output));
  });

  it('3.5 entity references: refused, since any DOCTYPE is refused', () => {
    const input =
      '<!DOCTYPE doc [\n<!ENTITY ent1 "Hello">\n<!ENTITY ent2 SYSTEM "world.txt">\n]>\n<doc>&ent1;, &ent2;!</doc>';
    expect(() => parseXml(input)).toThrow(expect.objectContaining({ code: 'ERR_DECODE_XML' }));
  });

  it('3.6 with its original ISO-8859-1 declaration: refused', () => {
    expect(() => parseXml('<?xml version="1.0" encoding="ISO-8859-1"?>\n<doc>&#169;</doc>')).toThrow(
      expect.objectContaining({ code: 'ERR_DECODE_XML' }),
    );
  });

  it('3.7 document subset given as a predicate', async () => {
    const doc = parseXml(await readFixture(`${dir}c14n10-3.7-in.xml`));
    const e1 = byName(doc, 'e1');
    const e3 = byName(doc, 'e3');
    // self::ietf:e1 or (parent::ietf:e1 and not(self::text() or self::e2)) or ancestor-or-self is id("E3")
    const keep = (n: Node) =>
      n === e1 || (n.parentNode === e1 && n.nodeType !== 3 && (n as Element).localName !== 'e2') || isInside(n, e3);
    expect(c14n(doc, { algorithm: C14N_10, exclude: (n) => !keep(n) })).toBe(await text('c14n10-3.7-out.xml'));
  });
});

describe('Canonical XML 1.1 §3.8 document subsets and xml:* attributes (W3C)', () => {
  const subset = async () => {
    const doc = parseXml(await readFixture(`${dir}c14n11-3.8-in.xml`));
    const e1 = byName(doc, 'e1');
    const e3 = byName(doc, 'e3');
    const keep = (n: Node) =>
      n === e1 || (n.parentNode === e1 && n.nodeType !== 3 && (n as Element).localName !== 'e2') || isInside(n, e3);
    return { doc, exclude: (n: Node) => !keep(n) };
  };

  it('1.1: xml:base joined over omitted ancestors, xml:id not inherited, xml:space inherited', async () => {
    const { doc, exclude } = await subset();
    expect(c14n(doc, { algorithm: C14N_11, exclude })).toBe(await text('c14n11-3.8-out.xml'));
  });

  it('1.0 on the same subset inherits every xml:* attribute as is (C14N 1.0 §2.4, derived)', async () => {
    const { doc, exclude } = await subset();
    expect(c14n(doc, { algorithm: C14N_10, exclude })).toBe(
      '<e1 xmlns="http://www.ietf.org" xmlns:w3c="http://www.w3.org" xml:base="something/else">' +
        '<e3 xmlns="" id="E3" xml:base="foo" xml:id="abc" xml:space="preserve"></e3></e1>',
    );
  });

  it('xml:lang inherits into an element subtree (1.0 and 1.1), never with exclusive C14N', () => {
    const doc = parseXml('<a xml:lang="ru" xml:id="top"><b xml:space="preserve"><c x="1"/></b></a>');
    const c = byName(doc, 'c');
    expect(c14n(c, { algorithm: C14N_10 })).toBe('<c x="1" xml:id="top" xml:lang="ru" xml:space="preserve"></c>');
    expect(c14n(c, { algorithm: C14N_11 })).toBe('<c x="1" xml:lang="ru" xml:space="preserve"></c>');
    expect(c14n(c, { algorithm: EXC_C14N })).toBe('<c x="1"></c>');
    const own = parseXml('<a xml:lang="ru"><b xml:lang="en"/></a>');
    expect(c14n(byName(own, 'b'), { algorithm: C14N_10 })).toBe('<b xml:lang="en"></b>');
  });

  it.each([
    [['something/else', 'bar/', 'foo'], 'something/bar/foo'],
    [['http://example.org/a/b', '../c'], 'http://example.org/c'],
    [['a/b/', '../../../c'], '../c'],
    [['a/', './b/./c'], 'a/b/c'],
    [['http://x/y', 'urn:z'], 'urn:z'],
    [['/p/q', ''], '/p/q'],
  ])('join-URI-References %j = %s', (values, expected) => {
    expect(joinUriReferences(values)).toBe(expected);
  });
});

describe('Exclusive XML Canonicalization §2.2 (W3C)', () => {
  it.each(['exc-2.2-a', 'exc-2.2-b'])('%s: inclusive vs exclusive form of the n1:elem2 subtree', async (name) => {
    const doc = parseXml(await readFixture(`${dir}${name}-in.xml`));
    const [elem2] = findElements(doc, 'http://example.net', 'elem2');
    expect(c14n(elem2 as Element, { algorithm: C14N_10 })).toBe(await text(`${name}-out-c14n.xml`));
    expect(c14n(elem2 as Element, { algorithm: EXC_C14N })).toBe(await text('exc-2.2-out-exc.xml'));
  });

  it('InclusiveNamespaces PrefixList renders the listed prefixes by the inclusive rules', async () => {
    const doc = parseXml(await readFixture(`${dir}exc-2.2-b-in.xml`));
    const [elem2] = findElements(doc, 'http://example.net', 'elem2');
    const out = c14n(elem2 as Element, { algorithm: EXC_C14N, inclusivePrefixes: ['n2'] });
    expect(out.split('\n')[0]).toBe(
      '<n1:elem2 xmlns:n1="http://example.net" xmlns:n2="http://foo.example" xml:lang="en">',
    );
    // A listed prefix that is not in scope is ignored.
    const none = c14n(elem2 as Element, { algorithm: EXC_C14N, inclusivePrefixes: ['zz'] });
    expect(none).toBe(await text('exc-2.2-out-exc.xml'));
  });

  it('#default in the PrefixList; xmlns="" only when a default was rendered above', () => {
    const doc = parseXml('<r xmlns="urn:d" xmlns:p="urn:p"><p:a><b xmlns=""><c/></b></p:a></r>');
    const [a] = findElements(doc, 'urn:p', 'a');
    expect(c14n(a as Element, { algorithm: EXC_C14N })).toBe('<p:a xmlns:p="urn:p"><b><c></c></b></p:a>');
    expect(c14n(a as Element, { algorithm: EXC_C14N, inclusivePrefixes: ['#default'] })).toBe(
      '<p:a xmlns="urn:d" xmlns:p="urn:p"><b xmlns=""><c></c></b></p:a>',
    );
    expect(c14n(a as Element, { algorithm: C14N_10 })).toBe(
      '<p:a xmlns="urn:d" xmlns:p="urn:p"><b xmlns=""><c></c></b></p:a>',
    );
  });

  it('a prefix used only by an attribute is declared where the attribute is', () => {
    const doc = parseXml('<r xmlns:p="urn:p" xmlns:q="urn:q"><a p:x="1"><b q:y="2"/></a></r>');
    expect(c14n(doc, { algorithm: EXC_C14N })).toBe(
      '<r><a xmlns:p="urn:p" p:x="1"><b xmlns:q="urn:q" q:y="2"></b></a></r>',
    );
    // An excluded attribute does not utilise its prefix.
    const exclude = (n: Node) => n.nodeType === 2 && (n as unknown as { localName: string }).localName === 'y';
    expect(c14n(doc, { algorithm: EXC_C14N, exclude })).toBe('<r><a xmlns:p="urn:p" p:x="1"><b></b></a></r>');
  });
});

describe('rules', () => {
  it('escapes text (&amp; &lt; &gt; #xD) and attributes (&amp; &lt; &quot; #x9 #xA #xD)', () => {
    const doc = parseXml('<r a="&amp;&lt;&gt;&quot;&apos;&#9;&#10;&#13;">&amp;&lt;&gt;"\'&#13;&#9;</r>');
    expect(c14n(doc, { algorithm: C14N_10 })).toBe(
      '<r a="&amp;&lt;>&quot;\'&#x9;&#xA;&#xD;">&amp;&lt;&gt;"\'&#xD;\t</r>',
    );
  });

  it('escapes namespace URIs like attribute values', () => {
    const doc = parseXml('<r xmlns:p="http://e.org/?a=1&amp;b=&quot;2&quot;" p:x="1"/>');
    expect(c14n(doc, { algorithm: C14N_10 })).toBe('<r xmlns:p="http://e.org/?a=1&amp;b=&quot;2&quot;" p:x="1"></r>');
  });

  it('sorts attributes by namespace URI then local name, comparing code points', () => {
    const doc = parseXml('<r xmlns:z="urn:a" xmlns:a="urn:b" a:k="1" z:k="2" b="3" a="4"/>');
    expect(c14n(doc, { algorithm: C14N_10 })).toBe(
      '<r xmlns:a="urn:b" xmlns:z="urn:a" a="4" b="3" z:k="2" a:k="1"></r>',
    );
    // U+1F600 (surrogates D83D DE00) sorts after U+FF21 by code point, before it by UTF-16 unit.
    const wide = parseXml('<r \uFF21="1" \u{1F600}="2"/>');
    expect(c14n(wide, { algorithm: C14N_10 })).toBe('<r \uFF21="1" \u{1F600}="2"></r>');
    expect(compareCodePoints('\u{1F600}', '\uFF21')).toBeGreaterThan(0);
  });

  it('enveloped-signature style exclusion of a subtree keeps the surrounding whitespace', () => {
    const doc = parseXml('<r>\n  <data>1</data>\n  <ds:Signature xmlns:ds="urn:ds"><ds:X/></ds:Signature>\n</r>');
    const [sig] = findElements(doc, 'urn:ds', 'Signature');
    expect(c14n(doc, { algorithm: EXC_C14N, exclude: excludeSubtree(sig as Element) })).toBe(
      '<r>\n  <data>1</data>\n  \n</r>',
    );
  });

  it('comments inside the subtree depend on the algorithm; PI data is kept verbatim', () => {
    const doc = parseXml('<r><!--c--><?t  d  ?><?e?></r>');
    expect(c14n(doc, { algorithm: EXC_C14N })).toBe('<r><?t d  ?><?e?></r>');
    expect(c14n(doc, { algorithm: EXC_C14N_WITH_COMMENTS })).toBe('<r><!--c--><?t d  ?><?e?></r>');
  });

  it('an element subtree carries its in-scope namespaces (inclusive) or only used ones (exclusive)', () => {
    const doc = parseXml('<r xmlns="urn:d" xmlns:p="urn:p" xmlns:u="urn:u"><p:a><b/></p:a></r>');
    const [a] = findElements(doc, 'urn:p', 'a');
    expect(c14n(a as Element, { algorithm: C14N_11 })).toBe(
      '<p:a xmlns="urn:d" xmlns:p="urn:p" xmlns:u="urn:u"><b></b></p:a>',
    );
    expect(c14n(a as Element, { algorithm: EXC_C14N })).toBe('<p:a xmlns:p="urn:p"><b xmlns="urn:d"></b></p:a>');
  });

  it('redeclaring a prefix to the same URI is superfluous; to another URI is kept', () => {
    const doc = parseXml('<p:r xmlns:p="urn:1"><p:a xmlns:p="urn:1"><p:b xmlns:p="urn:2"/></p:a></p:r>');
    for (const algorithm of [C14N_10, EXC_C14N]) {
      expect(c14n(doc, { algorithm })).toBe('<p:r xmlns:p="urn:1"><p:a><p:b xmlns:p="urn:2"></p:b></p:a></p:r>');
    }
  });

  it('deep documents canonicalise without recursion', () => {
    const depth = 200;
    const doc = parseXml(`${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}`);
    expect(c14n(doc, { algorithm: C14N_10 })).toBe(`${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}`);
  });

  it('refuses an unknown algorithm URI', () => {
    const doc = parseXml('<r/>');
    expect(() => canonicalize(doc, { algorithm: 'http://www.w3.org/2006/12/xml-c14n11#Bogus' })).toThrow(
      UnsupportedAlgorithmError,
    );
  });

  it('returns UTF-8 bytes', () => {
    const doc = parseXml('<r>\u0436\u{1F600}</r>');
    expect(Array.from(canonicalize(doc, { algorithm: C14N_10 }))).toEqual(
      Array.from(new TextEncoder().encode('<r>\u0436\u{1F600}</r>')),
    );
  });
});

describe('properties', () => {
  it('canonical form is a fixed point: c14n(parse(c14n(x))) = c14n(x)', () => {
    fc.assert(
      fc.property(arbDocument(), fc.constantFrom(...ALL), (tree, algorithm) => {
        const once = canonicalizeToString(parseXml(renderDocument(tree)), { algorithm });
        expect(canonicalizeToString(parseXml(once), { algorithm })).toBe(once);
      }),
      { numRuns: 150 },
    );
  });

  it('attribute and namespace declaration order in the source does not matter', () => {
    fc.assert(
      fc.property(arbDocument(), fc.constantFrom(...ALL), fc.integer(), (tree, algorithm, seed) => {
        const a = canonicalizeToString(parseXml(renderDocument(tree)), { algorithm });
        const b = canonicalizeToString(parseXml(renderDocument(tree, seed)), { algorithm });
        expect(b).toBe(a);
      }),
      { numRuns: 150 },
    );
  });

  it('an exclusive element subtree reparses to the same canonical form', () => {
    fc.assert(
      fc.property(arbDocument(), (tree) => {
        const doc = parseXml(renderDocument(tree));
        const root = doc.documentElement as Element;
        const first = findElements(root, null, 'x')[0] ?? root;
        const inPlace = canonicalizeToString(first, { algorithm: EXC_C14N });
        expect(canonicalizeToString(parseXml(inPlace), { algorithm: EXC_C14N })).toBe(inPlace);
      }),
      { numRuns: 100 },
    );
  });
});
