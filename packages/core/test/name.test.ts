// X.501 names: round trips through the DER writer with random attribute sets (Cyrillic, multi-valued RDNs), RFC 4514 §2.4 escaping, RFC 5280 §7.1 matching, Russian and Kazakh identifiers.
import { der } from '@eds/core/asn1';
import { DecodeError } from '@eds/core/errors';
import { parseName } from '@eds/core/name';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const atv = (oid: string, value: Uint8Array) => der.setOf(der.seq(der.oid(oid), value));

/** RFC 4514 §3 short names. */
const SHORT: Record<string, string> = {
  CN: '2.5.4.3',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  C: '2.5.4.6',
  STREET: '2.5.4.9',
  DC: '0.9.2342.19200300.100.1.25',
  UID: '0.9.2342.19200300.100.1.1',
};

/**
 * A strict RFC 4514 §3 parser written for this test: RDNs in string order, each a list of
 * [type OID, value]; a `#hexstring` value stays as written. Throws on any character RFC 4514
 * requires to be escaped that is not (`"`, `;`, `<`, `>`, `\`, a leading `#` in a string value,
 * a leading or trailing space).
 */
function parseRfc4514(text: string): [string, string][][] {
  if (text === '') return [];
  const rdns: [string, string][][] = [[]];
  let i = 0;
  while (i <= text.length) {
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new Error(`no '=' after ${i}`);
    const type = text.slice(i, eq);
    const oid = SHORT[type] ?? (/^\d+(\.\d+)+$/.test(type) ? type : undefined);
    if (!oid) throw new Error(`unknown type ${type}`);
    const [value, end] = readValue(text, eq + 1);
    rdns.at(-1)?.push([oid, value]);
    if (end >= text.length) break;
    if (text[end] === ',') rdns.push([]);
    i = end + 1;
  }
  return rdns;
}

function readValue(text: string, start: number): [string, number] {
  if (text[start] === '#') {
    const m = /^#([0-9a-fA-F]{2})+/.exec(text.slice(start));
    if (!m) throw new Error('bad hexstring');
    return [m[0].toLowerCase(), start + m[0].length];
  }
  const bytes: number[] = [];
  const enc = new TextEncoder();
  let i = start;
  let lastEscaped = false;
  for (; i < text.length && text[i] !== ',' && text[i] !== '+'; i++) {
    const c = text[i] as string;
    lastEscaped = c === '\\';
    if (c === '\\') {
      const next = text[i + 1] ?? '';
      const pair = /^[0-9a-fA-F]{2}/.exec(text.slice(i + 1));
      if (pair) {
        bytes.push(Number.parseInt(pair[0], 16));
        i += 2;
      } else if (' "#+,;<=>\\'.includes(next) && next !== '') {
        bytes.push(...enc.encode(next));
        i += 1;
      } else throw new Error(`bad escape at ${i}`);
    } else if ('";<>'.includes(c) || (i === start && (c === ' ' || c === '#'))) {
      throw new Error(`unescaped ${JSON.stringify(c)} at ${i}`);
    } else bytes.push(...enc.encode(c));
  }
  if (text[i - 1] === ' ' && !lastEscaped) throw new Error('unescaped trailing space');
  return [new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes)), i];
}

// ---------------------------------------------------------------------------------------------
// Random names

const CHARS = [...'abcxyzABCXYZ019', ...'абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВЁЖЯ', ...' ,+"\\<>;#=', '\0'];
const STRING_TYPES = ['2.5.4.3', '2.5.4.10', '2.5.4.11', '2.5.4.7', '2.5.4.8', '2.5.4.9'];
// types with no RFC 4514 short name: printed as dotted OID = # hex of the DER value
const OTHER_TYPES = ['2.5.4.4', '2.5.4.42', '2.5.4.12', '1.2.643.100.3'];

const value = fc.array(fc.constantFrom(...CHARS), { minLength: 1, maxLength: 12 }).map((a) => a.join(''));
const attribute = fc.tuple(fc.constantFrom(...STRING_TYPES, ...OTHER_TYPES), value);
const rdnsArb = fc.array(fc.array(attribute, { minLength: 1, maxLength: 3 }), { maxLength: 5 });

type Rdns = [string, string][][];
const encode = (rdns: Rdns, str: (v: string) => Uint8Array = der.utf8) =>
  der.seq(...rdns.map((rdn) => der.setOf(...rdn.map(([t, v]) => der.seq(der.oid(t), str(v))))));
const sortRdn = (rdn: readonly (readonly [string, string])[]) => [...rdn].map((a) => a.join('\u0001')).sort();

describe('round trip through the DER writer', () => {
  it('random names with Cyrillic values and multi-valued RDNs parse back to the same attributes', () => {
    fc.assert(
      fc.property(rdnsArb, (rdns) => {
        const bytes = encode(rdns);
        const name = parseName(bytes);
        expect(name.raw).toEqual(bytes);
        expect(name.isEmpty).toBe(rdns.length === 0);
        expect(name.rdns.length).toBe(rdns.length);
        name.rdns.forEach((rdn, i) => {
          expect(sortRdn(rdn.map((a) => [a.type, a.value]))).toEqual(sortRdn(rdns[i] ?? []));
          for (const a of rdn) {
            expect(a.isString).toBe(true);
            expect(a.rdn).toBe(i);
          }
        });
        expect(name.attributes.length).toBe(rdns.flat().length);
      }),
    );
  });

  it('BMP, Printable, Numeric and IA5 values decode to their text', () => {
    const n = parseName(
      der.seq(
        atv('2.5.4.3', der.bmp('Иванов Иван')),
        atv('2.5.4.6', der.printable('RU')),
        atv('1.2.643.100.3', der.numeric('12345678901')),
        atv('1.2.840.113549.1.9.1', der.ia5('a@b.ru')),
      ),
    );
    expect([n.commonName, n.country, n.snils, n.email]).toEqual(['Иванов Иван', 'RU', '12345678901', 'a@b.ru']);
  });

  it('a non-string value is kept as #hex of its DER', () => {
    const n = parseName(der.seq(atv('2.5.4.3', der.int(5))));
    expect(n.attributes[0]?.isString).toBe(false);
    expect(n.commonName).toBe('#020105');
    expect(n.toString()).toBe('2.5.4.3=#020105');
  });

  it('an empty RDN, a non-SEQUENCE and trailing bytes are DecodeErrors', () => {
    for (const bad of [der.seq(der.setOf()), der.setOf(), der.concat([der.seq(), Uint8Array.of(0)])]) {
      expect(() => parseName(bad)).toThrow(DecodeError);
    }
  });
});

describe('RFC 4514 string (§2)', () => {
  it('parses back to the RDNs, last first, with every special escaped (§2.4)', () => {
    fc.assert(
      fc.property(rdnsArb, (rdns) => {
        const name = parseName(encode(rdns));
        const text = name.toString();
        const back = parseRfc4514(text);
        const want = [...name.rdns]
          .reverse()
          .map((rdn) => rdn.map((a) => [a.type, OTHER_TYPES.includes(a.type) ? `#${hex(a.raw)}` : a.value]));
        expect(back).toEqual(want);
      }),
    );
  });

  it.each([
    ['a,b', 'a\\,b'],
    ['a+b', 'a\\+b'],
    ['say "hi"', 'say \\"hi\\"'],
    ['back\\slash', 'back\\\\slash'],
    ['<tag>', '\\<tag\\>'],
    ['a;b', 'a\\;b'],
    ['#hash', '\\#hash'],
    ['in#side', 'in#side'],
    [' lead', '\\ lead'],
    ['trail ', 'trail\\ '],
    [' ', '\\ '],
    ['  ', '\\ \\ '],
    ['a  b', 'a  b'],
    ['nul\0', 'nul\\00'],
    ['a=b', 'a=b'],
    ['ООО "Ромашка"', 'ООО \\"Ромашка\\"'],
  ])('%j is written %j', (v, escaped) => {
    const name = parseName(der.seq(atv('2.5.4.3', der.utf8(v))));
    expect(name.toString()).toBe(`CN=${escaped}`);
    expect(parseRfc4514(name.toString())).toEqual([[['2.5.4.3', v]]]);
  });

  it('multi-valued RDNs use +, RDNs are written last to first', () => {
    const name = parseName(
      der.seq(
        atv('2.5.4.6', der.printable('RU')),
        der.setOf(der.seq(der.oid('2.5.4.10'), der.utf8('Org')), der.seq(der.oid('2.5.4.3'), der.utf8('CA'))),
      ),
    );
    expect(name.toString()).toMatch(/^(CN=CA\+O=Org|O=Org\+CN=CA),C=RU$/);
  });
});

// ---------------------------------------------------------------------------------------------
// Matching (RFC 5280 §7.1)

/** The same text with letters in random case and each space repeated. */
const variant = (rdns: Rdns) =>
  fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 3 })), { minLength: 64, maxLength: 64 }).map((flips) => {
    let k = 0;
    const change = (v: string) =>
      Array.from(v, (ch) => {
        const [upper, spaces] = flips[k++ % flips.length] as [boolean, number];
        if (ch === ' ') return ' '.repeat(spaces);
        return upper ? ch.toUpperCase() : ch.toLowerCase();
      }).join('');
    return rdns.map((rdn) => rdn.map(([t, v]) => [t, change(v)] as [string, string]));
  });

describe('equals (RFC 5280 §7.1)', () => {
  it('is reflexive', () => {
    fc.assert(
      fc.property(rdnsArb, (rdns) => {
        const a = parseName(encode(rdns));
        expect(a.equals(a)).toBe(true);
        expect(a.equals(parseName(encode(rdns)))).toBe(true);
      }),
    );
  });

  it('is symmetric', () => {
    fc.assert(
      fc.property(rdnsArb, rdnsArb, (x, y) => {
        const a = parseName(encode(x));
        const b = parseName(encode(y));
        expect(a.equals(b)).toBe(b.equals(a));
      }),
    );
  });

  it('ignores case, repeated inner spaces and the string type', () => {
    const pair = rdnsArb.chain((rdns) => fc.tuple(fc.constant(rdns), variant(rdns), fc.boolean()));
    fc.assert(
      fc.property(pair, ([rdns, changed, bmp]) => {
        const a = parseName(encode(rdns));
        const b = parseName(encode(changed, bmp ? der.bmp : der.utf8));
        expect(a.equals(b)).toBe(true);
        expect(b.equals(a)).toBe(true);
      }),
    );
  });

  it('tells apart names that differ in one value or one RDN', () => {
    fc.assert(
      fc.property(
        rdnsArb.filter((r) => r.length > 0),
        (rdns) => {
          const a = parseName(encode(rdns));
          const changed = rdns.map((rdn, i) => (i === 0 ? rdn.map(([t, v], j) => [t, j === 0 ? `${v}q` : v]) : rdn));
          expect(a.equals(parseName(encode(changed as Rdns)))).toBe(false);
          expect(a.equals(parseName(encode(rdns.slice(1))))).toBe(false);
        },
      ),
    );
  });
});

describe('Russian and Kazakh identifiers, matching examples', () => {
  it('legacy "00" + 10-digit INN is a legal entity INN', () => {
    const n = parseName(der.seq(atv('1.2.643.3.131.1.1', der.numeric('007701234567'))));
    expect(n.inn).toBe('007701234567');
    expect(n.innle).toBe('7701234567');
  });

  it('Kazakh IIN in serialNumber and BIN in OU', () => {
    const n = parseName(
      der.seq(
        atv('2.5.4.3', der.utf8('ТЕСТОВ ТЕСТ')),
        atv('2.5.4.5', der.printable('IIN123456789011')),
        atv('2.5.4.6', der.printable('KZ')),
        atv('2.5.4.10', der.utf8('АО "ТЕСТ"')),
        atv('2.5.4.11', der.printable('BIN123456789021')),
      ),
    );
    expect(n.iin).toBe('123456789011');
    expect(n.bin).toBe('123456789021');
    expect(n.serialNumber).toBe('IIN123456789011');
  });

  it('equals() folds case and white space, keeps multi-valued RDN sets', () => {
    const a = parseName(
      der.seq(
        der.setOf(
          der.seq(der.oid('2.5.4.3'), der.printable('Test  CA')),
          der.seq(der.oid('2.5.4.10'), der.utf8('Org')),
        ),
      ),
    );
    const b = parseName(
      der.seq(
        der.setOf(
          der.seq(der.oid('2.5.4.10'), der.printable('ORG')),
          der.seq(der.oid('2.5.4.3'), der.utf8(' test ca')),
        ),
      ),
    );
    const c = parseName(der.seq(atv('2.5.4.3', der.utf8('test ca'))));
    expect(a.rdns).toHaveLength(1);
    expect(a.rdns[0]).toHaveLength(2);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
    expect(a.toString()).toMatch(/^(CN=Test {2}CA\+O=Org|O=Org\+CN=Test {2}CA)$/);
  });
});

describe('equals on large multi-valued RDNs (regression, issue 5 review)', () => {
  // One RDN of 1000 attributes: matching must not compare every pair (it was quadratic).
  const values = Array.from({ length: 1000 }, (_, i) => `Value ${i}`);
  const rdn = (f: (v: string, i: number) => Uint8Array) =>
    parseName(der.seq(der.setOf(...values.map((v, i) => der.seq(der.oid('2.5.4.11'), f(v, i))))));

  it('matches the same set written with other case, spacing and string types', () => {
    const a = rdn((v) => der.utf8(v));
    const b = rdn((v, i) => (i % 2 ? der.printable(v.toUpperCase()) : der.utf8(`  ${v.replace(' ', '   ')} `)));
    expect(a.rdns[0]).toHaveLength(1000);
    expect(a.equals(b)).toBe(true);
    expect(b.equals(a)).toBe(true);
  });

  it('counts repeats: a multiset, not a set', () => {
    const twice = (v: string) =>
      parseName(
        der.seq(der.setOf(der.seq(der.oid('2.5.4.11'), der.utf8(v)), der.seq(der.oid('2.5.4.11'), der.utf8(v)))),
      );
    const mixed = parseName(
      der.seq(der.setOf(der.seq(der.oid('2.5.4.11'), der.utf8('a')), der.seq(der.oid('2.5.4.11'), der.utf8('b')))),
    );
    expect(twice('a').equals(mixed)).toBe(false);
    expect(mixed.equals(twice('a'))).toBe(false);
    expect(twice('a').equals(twice('A'))).toBe(true);
  });

  it('one changed value, type or string-versus-binary value breaks the match', () => {
    const a = rdn((v) => der.utf8(v));
    expect(a.equals(rdn((v, i) => der.utf8(i === 999 ? 'other' : v)))).toBe(false);
    const otherType = parseName(
      der.seq(der.setOf(...values.map((v, i) => der.seq(der.oid(i === 0 ? '2.5.4.10' : '2.5.4.11'), der.utf8(v))))),
    );
    expect(a.equals(otherType)).toBe(false);
    expect(a.equals(rdn((v, i) => (i === 5 ? der.octets(new TextEncoder().encode(v)) : der.utf8(v))))).toBe(false);
  });
});
