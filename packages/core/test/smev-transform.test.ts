// Tests of the SMEV 3 transform (xml-signatures.md §3.2-§3.4): hand-derived fixtures, scope traps, properties, hostile input.

import { base64Encode } from '@eds/core/encoding';
import { DecodeError, EdsError } from '@eds/core/errors';
import { SMEV_TRANSFORM_URI, smevTransform } from '@eds/core/smev-transform';
import { parseXml } from '@eds/core/xml';
import { gost341194 } from '@eds/gost/gost341194';
import { readFixture } from '@eds/test-support/vectors';
import { XMLSerializer, DOMParser as XmldomParser } from '@xmldom/xmldom';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const utf8 = (b: Uint8Array) => new TextDecoder().decode(b);
const run = (input: Parameters<typeof smevTransform>[0], options?: Parameters<typeof smevTransform>[1]) =>
  utf8(smevTransform(input, options));
const parse = (xml: string) => new XmldomParser().parseFromString(xml, 'text/xml') as unknown as Document;

/** The error `fn` throws, failing the test when it does not throw. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

function expectDecodeError(fn: () => unknown, code: string): DecodeError {
  const e = thrown(fn);
  expect(e).toBeInstanceOf(DecodeError);
  expect((e as DecodeError).code).toBe(code);
  return e as DecodeError;
}

// Pairs under packages/core/test/vectors/smev, derived by hand (see the README there).
const FIXTURES: [string, string][] = [
  ['01-declaration-and-pis', 'XML declaration and processing instructions are removed'],
  ['02-comments', 'comments are removed'],
  ['03-whitespace-text', 'text of only characters <= U+0020 is removed, other text is kept unchanged'],
  ['04-prefix-order', 'prefixes become ns1, ns2... in order of first use'],
  ['05-unused-declarations', 'declared but unused prefixes are dropped'],
  ['06-default-namespace', 'default-namespace elements get generated prefixes'],
  ['07-unqualified-attributes', 'attributes without namespace keep their names, sorted by local name'],
  ['08-attribute-sort', 'namespaced attributes first by URI then local name, declarations in creation order'],
  ['09-utf16-order', 'attribute order compares UTF-16 code units, not code points'],
  ['10-sibling-redeclared', 'a prefix declared on one element is not visible to its later siblings'],
  ['11-sibling-subtrees', 'children see the parent mapping, siblings do not'],
  ['12-counter-never-back', 'the nsN counter never goes back'],
  ['13-empty-elements', 'empty elements are written as start/end pairs'],
  ['14-escaping', 'text escaping of & and <, CDATA as text, attribute escaping'],
  ['15-scope-prefix-rebound', 'scope trap: one source prefix bound to two URIs'],
  ['16-scope-two-prefixes-one-uri', 'scope trap: two source prefixes for one URI'],
  ['17-scope-attribute-first', 'scope trap: a namespace first used by an attribute of the parent'],
  ['18-scope-declared-where-used', 'a namespace is declared where first used, not where the source declared it'],
  ['19-scope-lookalike-prefixes', 'scope trap: source prefixes that look like generated ones'],
  ['20-scope-cousins', 'scope trap: cousins in one namespace get fresh numbers'],
  ['21-sender-provided-request-data', 'a realistic SMEV 3 SenderProvidedRequestData with nested namespaces'],
];

const fixture = (name: string) => readFixture(`packages/core/test/vectors/smev/${name}`);

describe('SMEV 3 transform: hand-derived fixtures (§3.2, §3.3)', () => {
  it('has the algorithm URI of §1.1', () => {
    expect(SMEV_TRANSFORM_URI).toBe('urn://smev-gov-ru/xmldsig/transform');
  });

  for (const [name, rule] of FIXTURES) {
    it(`${name}: ${rule}`, async () => {
      const input = await fixture(`${name}.in.xml`);
      const expected = await fixture(`${name}.out.xml`);
      const out = smevTransform(input);
      expect(utf8(out)).toBe(utf8(expected));
      expect(out).toEqual(expected);
      // Same result from text, from a parsed Document and from its root Element.
      const text = utf8(input);
      expect(smevTransform(text)).toEqual(expected);
      const doc = parse(text);
      expect(smevTransform(doc)).toEqual(expected);
      expect(smevTransform(doc.documentElement)).toEqual(expected);
    });
  }
});

describe('SMEV 3 transform: the official signed sample (authority-backed digest, §3.4)', () => {
  // SendRequestRequest of the SMEV 3 methodological recommendations (GIBDD BreachRequest),
  // signed with exc-c14n + SMEV transform and GOST R 34.11-94; see the fixtures README.
  const sample = 'official/send-request-request-no-attach.xml';

  it('reproduces the DigestValue of SIGNED_BY_CONSUMER', async () => {
    const doc = parseXml(await fixture(sample)) as unknown as Document;
    const signed = Array.from(doc.getElementsByTagNameNS('*', 'SenderProvidedRequestData'));
    expect(signed).toHaveLength(1);
    expect((signed[0] as Element).getAttribute('Id')).toBe('SIGNED_BY_CONSUMER');
    const digestValue = doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'DigestValue')[0];
    expect(digestValue?.textContent).toBe('/jXl70XwnttJB5sSokwh8SaVHwo2gjgILSu0qBaLUAo=');
    const out = smevTransform(signed[0] as Element);
    expect(base64Encode(gost341194(out))).toBe(digestValue?.textContent);
    // The hand-derived realistic fixture is this element's transform, byte for byte.
    expect(out).toEqual(await fixture('21-sender-provided-request-data.out.xml'));
  });
});

describe('SMEV 3 transform: behaviour of the reference (§3.3)', () => {
  it('transforms an Element inside a document, with namespaces declared on its ancestors', () => {
    const doc = parse(
      '<s:Envelope xmlns:s="urn:env" xmlns:t="urn:types"><s:Body><t:Data Id="SIGNED_BY_CONSUMER">' +
        '<t:V>1</t:V></t:Data></s:Body></s:Envelope>',
    );
    const data = doc.getElementsByTagNameNS('urn:types', 'Data')[0] as Element;
    expect(run(data)).toBe('<ns1:Data xmlns:ns1="urn:types" Id="SIGNED_BY_CONSUMER"><ns1:V>1</ns1:V></ns1:Data>');
  });

  it('starts the counter at ns1 on every call (no state between calls)', () => {
    const xml = '<a:A xmlns:a="urn:a"><b:B xmlns:b="urn:b"/></a:A>';
    const expected = '<ns1:A xmlns:ns1="urn:a"><ns2:B xmlns:ns2="urn:b"></ns2:B></ns1:A>';
    expect(run(xml)).toBe(expected);
    expect(run(xml)).toBe(expected);
  });

  it('rejects an element without a namespace (the reference throws), at the root or nested', () => {
    const root = expectDecodeError(() => smevTransform('<Root/>'), 'ERR_SMEV_UNSUPPORTED');
    expect(root.path).toBe('/Root');
    const nested = expectDecodeError(
      () => smevTransform('<a:A xmlns:a="urn:a"><B xmlns=""><C/></B></a:A>'),
      'ERR_SMEV_UNSUPPORTED',
    );
    expect(nested.path).toBe('/A/B');
  });

  it('rejects xml: attributes and elements, which cannot take an nsN prefix (open question of §3.3)', () => {
    expectDecodeError(() => smevTransform('<a:A xmlns:a="urn:a" xml:lang="ru"/>'), 'ERR_SMEV_UNSUPPORTED');
    const doc = parse('<a:A xmlns:a="urn:a"/>');
    doc.documentElement.appendChild(doc.createElementNS('http://www.w3.org/XML/1998/namespace', 'xml:odd'));
    expectDecodeError(() => smevTransform(doc), 'ERR_SMEV_UNSUPPORTED');
  });

  it('keeps blank text that sits next to non-blank text in one run, whatever the white space', () => {
    expect(run('<a:A xmlns:a="urn:a">\n x \n</a:A>')).toBe('<ns1:A xmlns:ns1="urn:a">\n x \n</ns1:A>');
    // Java trim() treats every character <= U+0020 as blank; U+0085 and U+2003 are not.
    expect(run('<a:A xmlns:a="urn:a">\u2003</a:A>')).toBe('<ns1:A xmlns:ns1="urn:a">\u2003</ns1:A>');
    // U+0085 through a DOM: this tests the blank rule, not a parser's line-end handling.
    const doc = parse('<a:A xmlns:a="urn:a"/>');
    doc.documentElement.appendChild(doc.createTextNode('\u0085'));
    expect(run(doc)).toBe('<ns1:A xmlns:ns1="urn:a">\u0085</ns1:A>');
  });

  it('ends a character run at a comment, as the reference event stream does (README choice)', () => {
    expect(run('<a:A xmlns:a="urn:a">x<!--c-->  </a:A>')).toBe('<ns1:A xmlns:ns1="urn:a">x</ns1:A>');
    expect(run('<a:A xmlns:a="urn:a">x<!--c--> y</a:A>')).toBe('<ns1:A xmlns:ns1="urn:a">x y</ns1:A>');
  });

  it('writes CR in text as &#xD; and TAB/LF/CR in attributes as character references (README choice)', () => {
    expect(run('<a:A xmlns:a="urn:a" v="1&#9;2&#10;3&#13;4">x&#13;y</a:A>')).toBe(
      '<ns1:A xmlns:ns1="urn:a" v="1&#x9;2&#xA;3&#xD;4">x&#xD;y</ns1:A>',
    );
  });

  it('escapes a namespace URI written in a declaration', () => {
    expect(run('<a:A xmlns:a="urn:a?x=1&amp;y=&quot;2&quot;"/>')).toBe(
      '<ns1:A xmlns:ns1="urn:a?x=1&amp;y=&quot;2&quot;"></ns1:A>',
    );
  });

  it('gives the same answer for the platform DOMParser (Chromium) as for xmldom', async () => {
    const text = utf8(await fixture('21-sender-provided-request-data.in.xml'));
    const Native = (globalThis as { DOMParser?: typeof DOMParser }).DOMParser;
    const doc = Native ? new Native().parseFromString(text, 'text/xml') : parse(text);
    expect(smevTransform(doc)).toEqual(await fixture('21-sender-provided-request-data.out.xml'));
  });

  it('reads UTF-8 with a byte order mark', () => {
    const bytes = new TextEncoder().encode('\uFEFF<a:A xmlns:a="urn:a">\u0436</a:A>');
    expect(run(bytes)).toBe('<ns1:A xmlns:ns1="urn:a">\u0436</ns1:A>');
  });

  it('rejects input that is not an Element, Document, string or Uint8Array', () => {
    expect(() => smevTransform(42 as never)).toThrow(TypeError);
  });
});

describe('SMEV 3 transform: hostile and ill-formed input', () => {
  it('refuses a DOCTYPE, with or without entities (billion laughs, external and parameter entities)', () => {
    const laughs =
      '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' +
      '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>' +
      '<p:l xmlns:p="urn:l">&d;</p:l>';
    const cases = [
      '<!DOCTYPE a><p:a xmlns:p="urn:a"/>',
      laughs,
      '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><p:a xmlns:p="urn:a">&x;</p:a>',
      '<!DOCTYPE a [<!ENTITY % p SYSTEM "http://127.0.0.1:1/x.dtd"> %p;]><p:a xmlns:p="urn:a"/>',
      '<!DOCTYPE a SYSTEM "http://127.0.0.1:1/x.dtd"><p:a xmlns:p="urn:a"/>',
    ];
    for (const xml of cases) expectDecodeError(() => smevTransform(xml), 'ERR_DECODE_XML');
  });

  it('rejects ill-formed XML with ERR_DECODE_XML', () => {
    const cases = [
      '',
      '<a:A xmlns:a="urn:a">',
      '<a:A xmlns:a="urn:a"/><a:B xmlns:a="urn:a"/>',
      '<a:A xmlns:a="urn:a"/>trailing',
      '<a:A/>',
      '<a:A xmlns:a="urn:a" x="1" x="2"/>',
      '<a:A xmlns:a="urn:a">&unknown;</a:A>',
      '<a:A xmlns:a="urn:a">\u0001</a:A>',
      '<a:A xmlns:a="urn:a" v="\u0002"/>',
    ];
    for (const xml of cases) expectDecodeError(() => smevTransform(xml), 'ERR_DECODE_XML');
  });

  it('rejects octets that are not UTF-8, or that declare another encoding', () => {
    expectDecodeError(() => smevTransform(new Uint8Array([0x3c, 0xff, 0x3e])), 'ERR_DECODE_XML');
    const cp1251 = new TextEncoder().encode('<?xml version="1.0" encoding="windows-1251"?><a:A xmlns:a="urn:a"/>');
    expectDecodeError(() => smevTransform(cp1251), 'ERR_DECODE_XML');
  });

  it('rejects characters XML forbids when they come through a DOM (lone surrogate, control)', () => {
    for (const bad of ['\uD800', 'x\uDC00', '\u0000', '\uFFFE']) {
      const doc = parse('<a:A xmlns:a="urn:a"/>');
      doc.documentElement.appendChild(doc.createTextNode(bad));
      expectDecodeError(() => smevTransform(doc), 'ERR_DECODE_XML');
    }
  });

  it('enforces the depth limit, including on 100,000-deep nesting', () => {
    const nest = (n: number) => `${'<a:e xmlns:a="urn:a">'.repeat(n)}${'</a:e>'.repeat(n)}`;
    expect(run(nest(3), { maxDepth: 3 })).toBe('<ns1:e xmlns:ns1="urn:a"><ns1:e><ns1:e></ns1:e></ns1:e></ns1:e>');
    expectDecodeError(() => smevTransform(nest(4), { maxDepth: 3 }), 'ERR_DECODE_TOO_LARGE');
    // A DOM handed in directly is bounded by the transform itself.
    const e = expectDecodeError(() => smevTransform(parse(nest(4)), { maxDepth: 3 }), 'ERR_DECODE_TOO_LARGE');
    expect(e.path).toBe('/e/e/e');
    const deep = `${'<a:e xmlns:a="urn:a">'.repeat(1)}${'<a:e>'.repeat(99_999)}${'</a:e>'.repeat(100_000)}`;
    expectDecodeError(() => smevTransform(deep), 'ERR_DECODE_TOO_LARGE');
  });

  it('enforces the input size limit for text and octets', () => {
    const xml = `<a:A xmlns:a="urn:a">${'x'.repeat(1000)}</a:A>`;
    expectDecodeError(() => smevTransform(xml, { maxBytes: 1000 }), 'ERR_DECODE_TOO_LARGE');
    expectDecodeError(() => smevTransform(new TextEncoder().encode(xml), { maxBytes: 1000 }), 'ERR_DECODE_TOO_LARGE');
  });

  it('bounds the output: a long URI re-declared on many siblings cannot blow up memory', () => {
    const uri = `urn:${'u'.repeat(2000)}`;
    const xml = `<r:R xmlns:r="urn:r" xmlns:s="${uri}">${'<s:x/>'.repeat(2000)}</r:R>`;
    expectDecodeError(() => smevTransform(xml, { maxOutputBytes: 1 << 20 }), 'ERR_DECODE_TOO_LARGE');
    expect(smevTransform(xml).length).toBeGreaterThan(2000 * uri.length);
  });
});

// Random namespaced trees built through the xmldom DOM API and serialised by xmldom.
const URIS = ['urn:a', 'urn:b', 'urn:c', 'http://x/\u0436', 'urn:d'];
// Prefix names carry the URI index, so one element never binds one prefix to two URIs (the
// xmldom serializer would write conflicting declarations); `ns<k>` look like generated prefixes.
const ELEMENT_PREFIXES = (ns: number) => ['', `p${ns}`, `ns${ns}`];
const ATTRIBUTE_PREFIXES = (ns: number) => [`q${ns}`, `ns${ns}`, `p${ns}`];
const LOCALS = ['A', 'a', 'B', 'Id', 'x', '\u0416'];
const TEXTS = fc.oneof(
  fc.constantFrom(' ', '\n  ', '\t', 'x', ' y ', '<&>"\'', '\u0436', '\u00a0', ']]>'),
  fc.string({ maxLength: 6, unit: fc.constantFrom('a', ' ', '\n', '&', '<', '>', '"', '\u0436') }),
);

type Tree = { ns: number; pfx: number; local: number; attrs: [number, number, number, string][]; kids: Kid[] };
type Kid = { t: 'el'; el: Tree } | { t: 'text' | 'cdata' | 'comment' | 'pi'; s: string };

const treeArb = fc.letrec<{ tree: Tree; kid: Kid }>((tie) => ({
  tree: fc.record({
    ns: fc.nat(URIS.length - 1),
    pfx: fc.nat(2),
    local: fc.nat(LOCALS.length - 1),
    attrs: fc.array(
      fc.tuple(fc.integer({ min: -1, max: URIS.length - 1 }), fc.nat(2), fc.nat(LOCALS.length - 1), TEXTS),
      { maxLength: 4 },
    ),
    kids: fc.array(tie('kid'), { maxLength: 4, depthIdentifier: 'tree' }),
  }) as fc.Arbitrary<Tree>,
  kid: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ t: fc.constantFrom('text', 'cdata', 'comment', 'pi'), s: TEXTS }) as fc.Arbitrary<Kid>,
    fc.record({ t: fc.constant('el'), el: tie('tree') }) as fc.Arbitrary<Kid>,
  ),
}));

function buildDom(tree: Tree): Document {
  const doc = parse('<r:root xmlns:r="urn:root"/>');
  const make = (t: Tree): Element => {
    const pfx = ELEMENT_PREFIXES(t.ns)[t.pfx] as string;
    const el = doc.createElementNS(URIS[t.ns] as string, `${pfx ? `${pfx}:` : ''}${LOCALS[t.local]}`);
    for (const [ns, p, local, value] of t.attrs) {
      const name = LOCALS[local] as string;
      if (ns < 0) el.setAttribute(name, value);
      else el.setAttributeNS(URIS[ns] as string, `${ATTRIBUTE_PREFIXES(ns)[p]}:${name}`, value);
    }
    for (const k of t.kids) {
      if (k.t === 'el') el.appendChild(make(k.el));
      else if (k.t === 'text') el.appendChild(doc.createTextNode(k.s));
      else if (k.t === 'cdata' && !k.s.includes(']]>')) el.appendChild(doc.createCDATASection(k.s));
      else if (k.t === 'comment' && !/--|-$/.test(k.s)) el.appendChild(doc.createComment(k.s));
      else if (k.t === 'pi' && !k.s.includes('?>')) el.appendChild(doc.createProcessingInstruction('pi', k.s));
    }
    return el;
  };
  doc.replaceChild(make(tree), doc.documentElement);
  return doc;
}

/** Namespace-level content of a subtree: (URI, local), attributes as a set, non-blank text runs joined. */
function model(el: Element): unknown {
  const attrs = Array.from(el.attributes)
    .filter((a) => a.namespaceURI !== 'http://www.w3.org/2000/xmlns/')
    .map((a) => `${a.namespaceURI ?? ''}|${a.localName}=${a.value}`)
    .sort();
  const content: unknown[] = [];
  let run = '';
  let text = '';
  const endRun = () => {
    if (/[^\0-\x20]/.test(run)) text += run;
    run = '';
  };
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 3 || n.nodeType === 4) run += (n as CharacterData).data;
    else endRun();
    if (n.nodeType === 1) {
      if (text) content.push(text);
      text = '';
      content.push(model(n as Element));
    }
  }
  endRun();
  if (text) content.push(text);
  return [el.namespaceURI, el.localName, attrs, content];
}

describe('SMEV 3 transform: properties (fast-check)', () => {
  it('keeps the namespace-level content, gives the same bytes from DOM and from text, and is idempotent', () => {
    fc.assert(
      fc.property(treeArb.tree, (tree) => {
        const doc = buildDom(tree);
        const text = new XMLSerializer().serializeToString(doc as never);
        const out = smevTransform(doc);
        expect(smevTransform(text)).toEqual(out);
        const reparsed = parse(utf8(out));
        expect(model(reparsed.documentElement)).toEqual(model(parse(text).documentElement));
        expect(smevTransform(reparsed)).toEqual(out);
        expect(utf8(out)).not.toMatch(/\/>/);
      }),
      { numRuns: 300 },
    );
  });

  it('never crashes on arbitrary markup: bytes or a typed error', () => {
    const token = fc.constantFrom(
      '<',
      '>',
      '</',
      '/>',
      'a',
      'p:',
      'xmlns',
      ':p',
      '="urn:a"',
      '=""',
      ' ',
      '&amp;',
      '&',
      ';',
      '<!--',
      '-->',
      '<?x',
      '?>',
      '<![CDATA[',
      ']]>',
      '<!DOCTYPE',
      '"',
      '\u0436',
      '\uD800',
    );
    const markup = fc.array(token, { maxLength: 40 }).map((t) => t.join(''));
    const wrapped = markup.map((m) => `<p:r xmlns:p="urn:a">${m}</p:r>`);
    fc.assert(
      fc.property(fc.oneof(markup, wrapped), (xml) => {
        try {
          const out = smevTransform(xml);
          expect(out).toBeInstanceOf(Uint8Array);
        } catch (e) {
          expect(e).toBeInstanceOf(EdsError);
          expect((e as EdsError).code).toMatch(/^ERR_(DECODE_XML|DECODE_TOO_LARGE|SMEV_UNSUPPORTED)$/);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
