import { DecodeError } from '@eds/core';
import { contextTag, type Der, decodeDer, der, TAG } from '@eds/core/asn1';
import * as asn1js from 'asn1js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// asn1js is the independent oracle: what our writer produces must read back the same there.
function oracle(bytes: Uint8Array) {
  const { offset, result } = asn1js.fromBER(bytes);
  expect(offset).toBe(bytes.length);
  return result;
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const oids = fc
  .tuple(fc.integer({ min: 0, max: 2 }), fc.array(fc.bigInt({ min: 0n, max: 2n ** 52n }), { maxLength: 8 }))
  .chain(([a, rest]) => fc.integer({ min: 0, max: a < 2 ? 39 : 100_000 }).map((b) => [a, b, ...rest].join('.')));

describe('DER writer and reader (X.690)', () => {
  it("INTEGER: two's complement, minimal, agrees with asn1js", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 600n), max: 2n ** 600n }), (n) => {
        const enc = der.int(n);
        expect(decodeDer(enc).integer()).toBe(n);
        expect((oracle(enc) as asn1js.Integer).toBigInt()).toBe(n);
      }),
    );
  });

  it('unsigned magnitudes get a sign octet only when needed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 80 }), (bytes) => {
        const enc = der.uint(bytes);
        const value = decodeDer(enc).unsigned();
        const stripped = bytes.subarray(Math.min(bytes.findIndex((b) => b !== 0) >>> 0, bytes.length - 1));
        expect(hex(value)).toBe(hex(stripped.length ? stripped : new Uint8Array(1)));
        expect((oracle(enc) as asn1js.Integer).toBigInt()).toBe(BigInt(`0x${hex(bytes) || '0'}`));
      }),
    );
  });

  it('OBJECT IDENTIFIER round-trips and agrees with asn1js', () => {
    fc.assert(
      fc.property(oids, (oid) => {
        const enc = der.oid(oid);
        expect(decodeDer(enc).oid()).toBe(oid);
        expect((oracle(enc) as asn1js.ObjectIdentifier).getValue()).toBe(oid);
      }),
    );
    expect(hex(der.oid('1.2.643.7.1.1.1.1'))).toBe('06082a85030701010101');
    // UUID arcs (X.667) exceed 2^53; asn1js cannot hold them, so this one is checked by value.
    const uuid = '2.25.329800735698586629295641978511506172918';
    expect(decodeDer(der.oid(uuid)).oid()).toBe(uuid);
    expect(() => der.oid('1.40')).toThrow(RangeError);
    expect(() => der.oid('1.2.03')).toThrow(RangeError);
  });

  it('strings of every type round-trip', () => {
    const cases: [Uint8Array, string][] = [
      [der.utf8('Иванов Иван Иванович'), 'Иванов Иван Иванович'],
      [der.printable("RU ( )+,-./:=?'"), "RU ( )+,-./:=?'"],
      [der.numeric('007710474375'), '007710474375'],
      [der.ia5('a@b.ru'), 'a@b.ru'],
      [der.bmp('Жж'), 'Жж'],
      [der.tlv(TAG.UNIVERSAL_STRING, Uint8Array.of(0, 1, 0xf6, 0x00)), '\u{1f600}'],
      [der.tlv(TAG.TELETEX_STRING, Uint8Array.of(0xe9)), 'é'],
    ];
    for (const [enc, text] of cases) expect(decodeDer(enc).string()).toBe(text);
    expect(() => der.printable('a_b')).toThrow(RangeError);
    expect(() => decodeDer(der.tlv(TAG.UTF8_STRING, Uint8Array.of(0xc3))).string()).toThrow(DecodeError);
    expect(() => decodeDer(der.tlv(TAG.PRINTABLE_STRING, Uint8Array.of(0xc3))).string()).toThrow(DecodeError);
  });

  it('times: UTCTime up to 2049, GeneralizedTime after, both read back', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
        (d) => {
          const whole = new Date(Math.floor(d.getTime() / 1000) * 1000);
          const enc = der.time(d);
          expect(enc[0]).toBe(whole.getUTCFullYear() < 2050 ? TAG.UTC_TIME : TAG.GENERALIZED_TIME);
          expect(decodeDer(enc).time().getTime()).toBe(whole.getTime());
          expect(decodeDer(der.generalizedTime(d)).time().getTime()).toBe(d.getTime());
        },
      ),
    );
    const bad = ['491231235959', '4912312359Z', '491232235959Z', '490229000000Z', '491231240000Z'];
    for (const s of bad) {
      const enc = der.tlv(TAG.UTC_TIME, new TextEncoder().encode(s));
      expect(() => decodeDer(enc).time(), s).toThrow(DecodeError);
    }
    expect(() =>
      decodeDer(der.tlv(TAG.GENERALIZED_TIME, new TextEncoder().encode('20250101000000.10Z'))).time(),
    ).toThrow(DecodeError);
  });

  it('SET OF is sorted, named bits drop trailing zeros, implicit tags keep the form', () => {
    const set = der.setOf(der.int(300), der.int(2), der.octets(new Uint8Array(0)));
    expect(hex(set)).toBe('31090201020202012c0400');
    const ku = der.flags([0, 5]);
    expect(hex(ku)).toBe('03020284');
    expect([...decodeDer(ku).flags()]).toEqual([0, 5]);
    expect(hex(der.flags([]))).toBe('030100');
    expect(der.implicit(1, der.seq())[0]).toBe(contextTag(1, true));
    expect(der.implicit(2, der.octets(Uint8Array.of(1)))[0]).toBe(0x82);
    expect(
      decodeDer(der.explicit(3, der.bool(true)))
        .explicit(3)
        .bool(),
    ).toBe(true);
  });

  it('lengths: long forms agree with asn1js', () => {
    for (const n of [0, 127, 128, 255, 256, 65535, 65536, 70_000]) {
      const enc = der.octets(new Uint8Array(n));
      expect(decodeDer(enc).octets().length).toBe(n);
      expect((oracle(enc) as asn1js.OctetString).valueBlock.valueHexView.length).toBe(n);
    }
  });
});

describe('DER reader: hostile input', () => {
  const cert = der.seq(
    der.seq(der.explicit(0, der.int(2)), der.int(1234n)),
    der.seq(der.oid('1.2.3')),
    der.bits(Uint8Array.of(1, 2)),
  );

  const rejects = (bytes: number[] | Uint8Array, path?: string) => {
    let error: unknown;
    try {
      const node = decodeDer(Uint8Array.from(bytes));
      walk(node);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as DecodeError).code).toMatch(/^ERR_DECODE_(DER|TOO_LARGE)$/);
    expect((error as DecodeError).offset).toBeTypeOf('number');
    if (path) expect((error as DecodeError).path).toBe(path);
  };

  it('rejects BER and non-canonical encodings with an offset', () => {
    rejects([0x30, 0x80, 0, 0]); // indefinite length
    rejects([0x04, 0x81, 0x01, 0x00]); // non-minimal length
    rejects([0x04, 0x82, 0x00, 0x81, ...new Array(0x81).fill(0)]); // leading zero length octet
    rejects([0x24, 0x03, 0x04, 0x01, 0x00]); // constructed OCTET STRING
    rejects([0x30, 0x03, 0x02, 0x01]); // truncated child
    rejects([0x02, 0x01, 0x00, 0x00]); // trailing data
    rejects([0x1f, 0x05, 0x00]); // high tag form for a low number
  });

  it('rejects non-minimal INTEGERs, bad OIDs, bad BOOLEANs and BIT STRING padding', () => {
    const must = (f: () => unknown) => expect(f).toThrow(DecodeError);
    must(() => decodeDer(Uint8Array.of(0x02, 0x02, 0x00, 0x7f)).integer());
    must(() => decodeDer(Uint8Array.of(0x02, 0x02, 0xff, 0x80)).integer());
    must(() => decodeDer(Uint8Array.of(0x02, 0x00)).integer());
    must(() => decodeDer(Uint8Array.of(0x06, 0x02, 0x2a, 0x80)).oid());
    must(() => decodeDer(Uint8Array.of(0x06, 0x02, 0x80, 0x01)).oid());
    must(() => decodeDer(Uint8Array.of(0x01, 0x01, 0x01)).bool());
    must(() => decodeDer(Uint8Array.of(0x03, 0x02, 0x01, 0x01)).bits());
    must(() => decodeDer(Uint8Array.of(0x03, 0x01, 0x01)).bits());
  });

  it('names the path of a missing or unexpected field', () => {
    let error: unknown;
    try {
      const r = decodeDer(cert, 'Certificate').read();
      const tbs = r.next(TAG.SEQUENCE, 'tbsCertificate').read();
      tbs.optional(contextTag(0, true), 'version');
      tbs.next(TAG.INTEGER, 'serialNumber');
      tbs.next(TAG.SEQUENCE, 'signature');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as DecodeError).path).toBe('Certificate.tbsCertificate.signature');
  });

  it('limits depth and size', () => {
    let nested = der.null();
    for (let i = 0; i < 100; i++) nested = der.seq(nested);
    expect(() => walk(decodeDer(nested))).toThrow(/nesting deeper than 64/);
    expect(() => decodeDer(nested, 'x', { maxSize: 10 })).toThrow(
      expect.objectContaining({ code: 'ERR_DECODE_TOO_LARGE' }),
    );
  });

  it('never throws anything but DecodeError on mutated input', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: cert.length - 1 }),
        fc.integer({ min: 0, max: 255 }),
        fc.nat(cert.length),
        (i, v, cut) => {
          const m = cert.slice(0, Math.max(cut, 1));
          if (i < m.length) m[i] = v;
          try {
            walk(decodeDer(m));
          } catch (e) {
            expect(e).toBeInstanceOf(DecodeError);
          }
        },
      ),
    );
  });
});

/** Reads every node the way a codec would, so that every child and primitive gets checked. */
function walk(node: Der): void {
  if (node.constructed) for (const child of node.iterate()) walk(child);
  else if (node.tag === TAG.INTEGER) node.integer();
  else if (node.tag === TAG.OID) node.oid();
  else if (node.tag === TAG.BIT_STRING) node.bits();
}

describe('DER reader: size caps and large values (regression, issue 5 review)', () => {
  const decodeError = (f: () => unknown, code = 'ERR_DECODE_DER') => {
    let caught: unknown;
    try {
      f();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DecodeError);
    expect((caught as DecodeError).code).toBe(code);
  };

  it('a 1 MiB INTEGER is a DecodeError for integer() and smallInt(), not a quadratic conversion', () => {
    const big = new Uint8Array(1024 * 1024);
    big[0] = 0x01;
    const node = decodeDer(der.tlv(TAG.INTEGER, big));
    decodeError(() => node.integer(), 'ERR_DECODE_TOO_LARGE');
    decodeError(() => node.smallInt());
    decodeError(() => decodeDer(der.tlv(TAG.ENUMERATED, big)).smallInt(TAG.ENUMERATED));
  });

  it('INTEGERs up to 4096 content bytes still read, by value', () => {
    const top = new Uint8Array(4096);
    top[0] = 0x01;
    expect(decodeDer(der.tlv(TAG.INTEGER, top)).integer()).toBe(1n << BigInt(8 * 4095));
    const negative = new Uint8Array(4096);
    negative[0] = 0x80;
    expect(decodeDer(der.tlv(TAG.INTEGER, negative)).integer()).toBe(-(1n << BigInt(8 * 4096 - 1)));
    // A 16384-bit RSA modulus: 2049 bytes with the sign octet.
    const modulus = 2n ** 16384n - 1n;
    expect(decodeDer(der.int(modulus)).integer()).toBe(modulus);
    expect((oracle(der.int(modulus)) as asn1js.Integer).toBigInt()).toBe(modulus);
    decodeError(() => decodeDer(der.tlv(TAG.INTEGER, new Uint8Array(4097).fill(1))).integer(), 'ERR_DECODE_TOO_LARGE');
  });

  it('smallInt() takes 7 content bytes and rejects 8', () => {
    expect(decodeDer(der.int(Number.MAX_SAFE_INTEGER)).smallInt()).toBe(Number.MAX_SAFE_INTEGER);
    expect(decodeDer(der.int(Number.MIN_SAFE_INTEGER)).smallInt()).toBe(Number.MIN_SAFE_INTEGER);
    decodeError(() => decodeDer(der.int(2n ** 55n)).smallInt());
    decodeError(() =>
      decodeDer(der.tlv(TAG.ENUMERATED, Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0))).smallInt(TAG.ENUMERATED),
    );
  });

  it("der.int writes minimal two's complement at the byte edges", () => {
    const cases: [bigint, string][] = [
      [0n, '00'],
      [-1n, 'ff'],
      [127n, '7f'],
      [128n, '0080'],
      [-128n, '80'],
      [-129n, 'ff7f'],
      [255n, '00ff'],
      [256n, '0100'],
      [-32768n, '8000'],
      [-32769n, 'ff7fff'],
    ];
    for (const [n, h] of cases) {
      expect(hex(decodeDer(der.int(n)).value), String(n)).toBe(h);
      expect((oracle(der.int(n)) as asn1js.Integer).toBigInt()).toBe(n);
    }
  });

  it('a 100 KB OID arc and a 300-byte OID are DecodeErrors', () => {
    const arc = new Uint8Array(100_000).fill(0xff);
    arc[0] = 0x2a;
    arc[arc.length - 1] = 0x01;
    decodeError(() => decodeDer(der.tlv(TAG.OID, arc)).oid(), 'ERR_DECODE_TOO_LARGE');
    const long = new Uint8Array(300).fill(0x01);
    decodeError(() => decodeDer(der.tlv(TAG.OID, long)).oid(), 'ERR_DECODE_TOO_LARGE');
    // 21 bytes in one arc (147 bits) is past the arc cap; 19 (a UUID) is not.
    const wide = Uint8Array.of(0x69, ...new Uint8Array(20).fill(0xff), 0x7f);
    decodeError(() => decodeDer(der.tlv(TAG.OID, wide)).oid(), 'ERR_DECODE_TOO_LARGE');
    const uuid = `2.25.${(2n ** 128n - 1n).toString()}`;
    expect(decodeDer(der.oid(uuid)).oid()).toBe(uuid);
  });

  it('200 KB strings of every width decode (or give DecodeError), never RangeError', () => {
    const size = 200_000;
    expect(decodeDer(der.printable('A'.repeat(size))).string()).toBe('A'.repeat(size));
    expect(decodeDer(der.ia5('x'.repeat(size))).string()).toHaveLength(size);
    const bmp = 'Я'.repeat(size / 2);
    expect(decodeDer(der.bmp(bmp)).string()).toBe(bmp);
    // UniversalString: UTF-32BE, here with a character outside the BMP.
    const universal = new Uint8Array(size);
    for (let i = 0; i < size; i += 4) universal.set([0, 1, 0xf6, 0x00], i); // U+1F600
    expect(decodeDer(der.tlv(TAG.UNIVERSAL_STRING, universal)).string()).toBe('\u{1F600}'.repeat(size / 4));
    // Teletex is read as Latin-1 by code unit: 0x80..0x9f stay U+0080..U+009F (windows-1252 would remap them).
    const teletex = new Uint8Array(size);
    for (let i = 0; i < size; i++) teletex[i] = 0x80 + (i % 128);
    const t = decodeDer(der.tlv(TAG.TELETEX_STRING, teletex)).string();
    expect(t.length).toBe(size);
    expect(t.charCodeAt(0)).toBe(0x80);
    expect(t.charCodeAt(size - 1)).toBe(0x80 + ((size - 1) % 128));
    // Bad ones: a code point past U+10FFFF, a surrogate, odd lengths.
    const tooHigh = universal.slice();
    tooHigh.set([0, 0x11, 0, 0], size - 4);
    decodeError(() => decodeDer(der.tlv(TAG.UNIVERSAL_STRING, tooHigh)).string());
    const surrogate = universal.slice();
    surrogate.set([0, 0, 0xd8, 0], 4);
    decodeError(() => decodeDer(der.tlv(TAG.UNIVERSAL_STRING, surrogate)).string());
    decodeError(() => decodeDer(der.tlv(TAG.UNIVERSAL_STRING, new Uint8Array(size + 2))).string());
    let message = '';
    try {
      decodeDer(der.tlv(TAG.BMP_STRING, new Uint8Array(size + 1))).string();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/BMP/);
    decodeError(() => decodeDer(der.tlv(TAG.PRINTABLE_STRING, new Uint8Array(size).fill(0xc0))).string());
  });

  it('a 200 KB time is a DecodeError, not a RangeError', () => {
    decodeError(() => decodeDer(der.tlv(TAG.UTC_TIME, new Uint8Array(200_000).fill(0x30))).time());
    decodeError(() => decodeDer(der.tlv(TAG.GENERALIZED_TIME, new Uint8Array(33).fill(0x30))).time());
  });

  it('der.flags takes 200,000 bit numbers', () => {
    const bits = Array.from({ length: 200_000 }, (_, i) => i);
    const flags = decodeDer(der.flags(bits)).flags();
    expect(flags.size).toBe(200_000);
    expect(flags.has(199_999)).toBe(true);
  });
});
