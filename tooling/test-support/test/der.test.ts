// Tests of the strict test-only DER reader (ITU-T X.690 §8, §10): known encodings, every rejection reason, limits.

import { DerError, type DerErrorCode, decodePem, nth, parseDer, TAG } from '@eds/test-support/der';
import { describe, expect, it } from 'vitest';

/** Bytes from hex with optional spaces (test-support has no hex dependency). */
const der = (hex: string) => Uint8Array.from(hex.replace(/\s+/g, '').match(/../g) ?? [], (h) => Number.parseInt(h, 16));

/** The code of the DerError `f` throws (fails the test if it throws nothing or something else). */
function errorCode(f: () => unknown): DerErrorCode {
  try {
    f();
  } catch (e) {
    if (e instanceof DerError) return e.code;
    throw e;
  }
  throw new Error('expected a DerError');
}

describe('DER reader: well-formed input', () => {
  it('walks a SEQUENCE and reads INTEGER, OID, OCTET STRING, BIT STRING, NULL and an explicit tag', () => {
    // SEQUENCE { INTEGER 2, OID 1.2.643.7.1.1.1.1, OCTET STRING 0102, BIT STRING 04 (6 unused) ...,
    //            [1] { OCTET STRING aa }, NULL }
    const input = der('3021 020102 06082a85030701010101 04020102 03020680 a103 0401aa 0500 0303000a0b');
    const root = parseDer(input);
    expect(root).toMatchObject({ tagClass: 'universal', constructed: true, tagNumber: TAG.SEQUENCE, depth: 0 });
    const [int, oid, octets, bits, tagged, nul, whole] = root.sequence();
    expect(int?.integer()).toBe(2n);
    expect(oid?.oid()).toBe('1.2.643.7.1.1.1.1');
    expect(octets?.octetString()).toEqual(Uint8Array.of(1, 2));
    expect(bits?.bitString()).toEqual({ bytes: Uint8Array.of(0x80), unusedBits: 6 });
    expect(tagged?.explicit(1).octetString()).toEqual(Uint8Array.of(0xaa));
    expect(nul?.isUniversal(TAG.NULL)).toBe(true);
    expect(whole?.bitStringBytes()).toEqual(Uint8Array.of(0x0a, 0x0b));
    expect(tagged?.depth).toBe(1);
    expect(tagged?.explicit(1).depth).toBe(2);
  });

  it('reports offsets in the outermost input and keeps raw TLVs as views', () => {
    const input = der('3008 a106 0404deadbeef');
    const inner = parseDer(input).children()[0]?.explicit(1);
    expect(inner?.offset).toBe(4);
    expect(inner?.contentOffset).toBe(6);
    expect(inner?.raw).toEqual(input.subarray(4));
    expect(inner?.value.buffer).toBe(input.buffer);
  });

  it('decodes DER wrapped in an OCTET STRING or BIT STRING, keeping outer offsets and depth', () => {
    const wrapped = parseDer(der('0405 3003 020105')).decodeContents();
    expect(wrapped).toMatchObject({ offset: 2, depth: 1, tagNumber: TAG.SEQUENCE });
    expect(nth(wrapped.sequence(), 0).integer()).toBe(5n);
    expect(nth(wrapped.sequence(), 0).offset).toBe(4);
    const key = parseDer(der('0305 00 0402aabb')).decodeBitStringContents();
    expect(key.offset).toBe(3);
    expect(key.octetString()).toEqual(Uint8Array.of(0xaa, 0xbb));
  });

  it('decodes OIDs with large arcs and the 2.x form', () => {
    expect(parseDer(der('0603 2a8648')).oid()).toBe('1.2.840'); // 840 = 0x86 0x48
    expect(parseDer(der('0603 883703')).oid()).toBe('2.999.3'); // first subidentifier 1079
    expect(parseDer(der('060a 2a864886f70d01090e01')).oid()).toBe('1.2.840.113549.1.9.14.1');
    expect(parseDer(der('0609 2a85030701000601 01')).oid()).toBe('1.2.643.7.1.0.6.1.1');
    expect(parseDer(der('060b 2a 8f ff ff ff ff ff ff ff ff 7f')).oid()).toBe(`1.2.${2n ** 67n - 1n}`);
  });

  it('decodes negative and multi-byte INTEGERs', () => {
    expect(parseDer(der('0201 ff')).integer()).toBe(-1n);
    expect(parseDer(der('0202 0080')).integer()).toBe(128n);
    expect(parseDer(der('0202 ff7f')).integer()).toBe(-129n);
    expect(parseDer(der('0204 018cba85')).integer()).toBe(0x018cba85n);
  });

  it('reads long-form lengths and high tag numbers', () => {
    const long = new Uint8Array(3 + 200);
    long.set([0x04, 0x81, 200]);
    expect(parseDer(long).octetString()).toHaveLength(200);
    const high = parseDer(der('9f2001ff')); // [32] primitive
    expect(high).toMatchObject({ tagClass: 'context', tagNumber: 32, constructed: false });
    expect(high.octetString(32)).toEqual(Uint8Array.of(0xff));
  });

  it('decodes one PEM block and ignores text around it', () => {
    const text = 'comment\n-----BEGIN CMS-----\nMAMCAQI=\n-----END CMS-----\ntrailer\n';
    expect(parseDer(decodePem(text, 'CMS')).sequence()[0]?.integer()).toBe(2n);
  });
});

describe('DER reader: rejections (each with its reason)', () => {
  const cases: readonly (readonly [string, string, DerErrorCode])[] = [
    ['empty input', '', 'ERR_DER_TRUNCATED'],
    ['a header cut short', '30', 'ERR_DER_TRUNCATED'],
    ['a length past the end', '0403 0102', 'ERR_DER_TRUNCATED'],
    ['a long length cut short', '0482 01', 'ERR_DER_TRUNCATED'],
    ['indefinite length (BER)', '3080 0000', 'ERR_DER_INDEFINITE_LENGTH'],
    ['a long form for a short length', '0481 05 0102030405', 'ERR_DER_NON_MINIMAL_LENGTH'],
    ['a length with a leading zero octet', '0482 0080', 'ERR_DER_NON_MINIMAL_LENGTH'],
    ['five length octets', '0485 0000000001', 'ERR_DER_TOO_LARGE'],
    ['a high tag form for a low number', '9f0500', 'ERR_DER_BAD_TAG'],
    ['a high tag number with a leading zero group', '9f800100', 'ERR_DER_BAD_TAG'],
    ['bytes after the outer TLV', '0500 00', 'ERR_DER_TRAILING_DATA'],
  ];
  for (const [name, hex, code] of cases) {
    it(`${name}: ${code}`, () => {
      expect(errorCode(() => parseDer(der(hex)))).toBe(code);
    });
  }

  it('a child that runs past its parent: ERR_DER_TRUNCATED at the child', () => {
    expect(errorCode(() => parseDer(der('3003 040201')).children())).toBe('ERR_DER_TRUNCATED');
    const tail = parseDer(der('3004 0401aa 05'));
    const e = (() => {
      try {
        tail.children();
      } catch (error) {
        return error as DerError;
      }
    })();
    expect(e?.code).toBe('ERR_DER_TRUNCATED');
    expect(e?.offset).toBe(5);
  });

  it('wrapped DER with bytes after it, and a missing list element', () => {
    expect(errorCode(() => parseDer(der('0406 3003020105 00')).decodeContents())).toBe('ERR_DER_TRAILING_DATA');
    expect(errorCode(() => parseDer(der('0302 0105')).decodeBitStringContents())).toBe('ERR_DER_BAD_BIT_STRING');
    expect(errorCode(() => nth(parseDer(der('3003 020105')).sequence(), 1))).toBe('ERR_DER_UNEXPECTED');
  });

  it('bad OIDs: empty, unterminated arc, non-minimal arc', () => {
    expect(errorCode(() => parseDer(der('0600')).oid())).toBe('ERR_DER_BAD_OID');
    expect(errorCode(() => parseDer(der('0602 2a86')).oid())).toBe('ERR_DER_BAD_OID');
    expect(errorCode(() => parseDer(der('0603 2a8001')).oid())).toBe('ERR_DER_BAD_OID');
  });

  it('bad INTEGERs: empty, redundant 00 or ff', () => {
    expect(errorCode(() => parseDer(der('0200')).integer())).toBe('ERR_DER_BAD_INTEGER');
    expect(errorCode(() => parseDer(der('0202 0001')).integer())).toBe('ERR_DER_BAD_INTEGER');
    expect(errorCode(() => parseDer(der('0202 ff80')).integer())).toBe('ERR_DER_BAD_INTEGER');
  });

  it('bad BIT STRINGs: no first octet, > 7 unused bits, unused bits in an empty string, non-zero padding', () => {
    expect(errorCode(() => parseDer(der('0300')).bitString())).toBe('ERR_DER_BAD_BIT_STRING');
    expect(errorCode(() => parseDer(der('0302 08ff')).bitString())).toBe('ERR_DER_BAD_BIT_STRING');
    expect(errorCode(() => parseDer(der('0301 01')).bitString())).toBe('ERR_DER_BAD_BIT_STRING');
    expect(errorCode(() => parseDer(der('0302 0181')).bitString())).toBe('ERR_DER_BAD_BIT_STRING');
    expect(errorCode(() => parseDer(der('0302 0180')).bitStringBytes())).toBe('ERR_DER_BAD_BIT_STRING');
  });

  it('wrong types: a constructed OCTET STRING, a SET read as SEQUENCE, children of a primitive', () => {
    expect(errorCode(() => parseDer(der('2403 0401aa')).octetString())).toBe('ERR_DER_UNEXPECTED');
    expect(errorCode(() => parseDer(der('3100')).sequence())).toBe('ERR_DER_UNEXPECTED');
    expect(errorCode(() => parseDer(der('0401aa')).children())).toBe('ERR_DER_UNEXPECTED');
    expect(errorCode(() => parseDer(der('0401aa')).integer())).toBe('ERR_DER_UNEXPECTED');
    expect(errorCode(() => parseDer(der('a106 0401aa 0401bb')).explicit(1))).toBe('ERR_DER_UNEXPECTED');
    expect(errorCode(() => parseDer(der('a203 0401aa')).explicit(1))).toBe('ERR_DER_UNEXPECTED');
  });

  it('limits: nesting past maxDepth and input past maxSize', () => {
    // 40 nested SEQUENCEs: the walk stops at the default depth of 32.
    let nested = der('0500');
    for (let i = 0; i < 40; i++) nested = Uint8Array.of(0x30, nested.length, ...nested);
    const walk = (node: ReturnType<typeof parseDer>): number =>
      node.constructed ? 1 + walk(node.children()[0] as ReturnType<typeof parseDer>) : 0;
    expect(errorCode(() => walk(parseDer(nested)))).toBe('ERR_DER_TOO_DEEP');
    expect(walk(parseDer(nested, { maxDepth: 40 }))).toBe(40);
    expect(errorCode(() => parseDer(new Uint8Array(17), { maxSize: 16 }))).toBe('ERR_DER_TOO_LARGE');
  });

  it('bad PEM: no block, two blocks, no end line, bad base64', () => {
    const block = '-----BEGIN CMS-----\nMAMCAQI=\n-----END CMS-----\n';
    expect(errorCode(() => decodePem(block, 'CERTIFICATE'))).toBe('ERR_DER_BAD_PEM');
    expect(errorCode(() => decodePem(block + block, 'CMS'))).toBe('ERR_DER_BAD_PEM');
    expect(errorCode(() => decodePem('-----BEGIN CMS-----\nMAMCAQI=\n', 'CMS'))).toBe('ERR_DER_BAD_PEM');
    expect(errorCode(() => decodePem(block.replace('MAMCAQI=', 'MAMC*QI='), 'CMS'))).toBe('ERR_DER_BAD_PEM');
  });

  it('rejects a non-Uint8Array with a TypeError', () => {
    expect(() => parseDer('3000' as unknown as Uint8Array)).toThrow(TypeError);
  });
});
