import {
  base64Decode,
  base64Encode,
  DecodeError,
  decodePem,
  detectEncoding,
  EdsError,
  encodePem,
  hexDecode,
  hexEncode,
  toDer,
} from '@eds/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// Independent reference for Base64: the platform's btoa over a binary string.
const refBase64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));
const bytes = fc.uint8Array({ maxLength: 300 });

describe('Base64 (RFC 4648)', () => {
  it('encodes the RFC 4648 §10 test vectors', () => {
    const cases = ['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar'];
    const expected = ['', 'Zg==', 'Zm8=', 'Zm9v', 'Zm9vYg==', 'Zm9vYmE=', 'Zm9vYmFy'];
    const enc = new TextEncoder();
    expect(cases.map((c) => base64Encode(enc.encode(c)))).toEqual(expected);
    expect(expected.map((e) => new TextDecoder().decode(base64Decode(e)))).toEqual(cases);
  });

  it('agrees with btoa and round-trips, padded or not, with white space anywhere', () => {
    fc.assert(
      fc.property(bytes, fc.nat(), (b, cut) => {
        const text = base64Encode(b);
        expect(text).toBe(refBase64(b));
        expect(base64Decode(text)).toEqual(b);
        expect(base64Decode(text.replace(/=+$/, ''))).toEqual(b);
        const at = text.length ? cut % text.length : 0;
        expect(base64Decode(`${text.slice(0, at)}\r\n \t${text.slice(at)}`)).toEqual(b);
      }),
    );
  });

  it('round-trips base64url without padding', () => {
    fc.assert(
      fc.property(bytes, (b) => {
        const text = base64Encode(b, { url: true });
        expect(text).not.toMatch(/[+/=]/);
        expect(base64Decode(text, { url: true })).toEqual(b);
      }),
    );
  });

  it.each([
    ['Zg=', 'wrong padding'],
    ['Zg===', 'too much padding'],
    ['Z', 'truncated'],
    ['Zh==', 'non-canonical'],
    ['Zm9v!', 'invalid character'],
    ['Zg==Zg==', 'data after padding'],
    ['Zm9v\u00e9', 'invalid character'],
  ])('rejects %j (%s) with a typed error and offset', (text, why) => {
    const err = capture(() => base64Decode(text));
    expect(err).toBeInstanceOf(DecodeError);
    expect(err).toBeInstanceOf(EdsError);
    expect(err).toMatchObject({ code: 'ERR_DECODE_BASE64' });
    expect((err as DecodeError).message).toContain(why);
    expect((err as DecodeError).offset).toBeTypeOf('number');
  });

  it('never throws anything but DecodeError on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 64 }), (s) => {
        const err = capture(() => base64Decode(s));
        if (err) expect(err).toBeInstanceOf(DecodeError);
      }),
    );
  });

  it('enforces the size limit', () => {
    expect(capture(() => base64Decode('AAAA', { maxBytes: 3 }))).toMatchObject({ code: 'ERR_DECODE_TOO_LARGE' });
  });
});

describe('hex', () => {
  it('round-trips and accepts OpenSSL-style separators', () => {
    fc.assert(
      fc.property(bytes, (b) => {
        expect(hexDecode(hexEncode(b))).toEqual(b);
      }),
    );
    expect(hexDecode('DE:ad be\nEF')).toEqual(new Uint8Array([0xde, 0xad, 0xbe, 0xef]));
  });

  it('rejects odd length and non-hex characters', () => {
    expect(capture(() => hexDecode('abc'))).toMatchObject({ code: 'ERR_DECODE_HEX' });
    expect(capture(() => hexDecode('0g'))).toMatchObject({ code: 'ERR_DECODE_HEX', offset: 1 });
  });
});

describe('PEM (RFC 7468)', () => {
  it('round-trips several blocks with text between them', () => {
    fc.assert(
      fc.property(fc.array(bytes, { minLength: 1, maxLength: 4 }), (list) => {
        const text = list.map((b, i) => `note ${i}\n${encodePem(i % 2 ? 'CERTIFICATE' : 'X509 CRL', b)}`).join('\n');
        const blocks = decodePem(text);
        expect(blocks.map((x) => x.bytes)).toEqual(list);
        expect(blocks.map((x) => x.label)).toEqual(list.map((_, i) => (i % 2 ? 'CERTIFICATE' : 'X509 CRL')));
      }),
    );
  });

  it('writes 64-character lines', () => {
    const pem = encodePem('CMS', new Uint8Array(100));
    const body = pem.split('\n').slice(1, -2);
    expect(body.map((l) => l.length)).toEqual([64, 64, 8]); // 100 bytes = 136 characters
  });

  it.each([
    ['no block', 'hello', 'ERR_DECODE_PEM'],
    ['missing END', '-----BEGIN CMS-----\nAAAA\n', 'ERR_DECODE_PEM'],
    ['label mismatch', '-----BEGIN CMS-----\nAAAA\n-----END PKCS7-----', 'ERR_DECODE_PEM'],
    [
      'RFC 1421 headers',
      '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nAAAA\n-----END RSA PRIVATE KEY-----',
      'ERR_DECODE_PEM',
    ],
    ['bad body', '-----BEGIN CMS-----\nA*AA\n-----END CMS-----', 'ERR_DECODE_BASE64'],
  ])('rejects %s', (_name, text, code) => {
    expect(capture(() => decodePem(text))).toMatchObject({ code });
  });

  it('limits the number of blocks', () => {
    const text = encodePem('A', new Uint8Array(1)).repeat(3);
    expect(capture(() => decodePem(text, { maxBlocks: 2 }))).toMatchObject({ code: 'ERR_DECODE_TOO_LARGE' });
  });

  it('rejects labels that cannot be written', () => {
    expect(() => encodePem('BAD-LABEL', new Uint8Array(1))).toThrow(RangeError);
  });
});

describe('detectEncoding and toDer', () => {
  // A DER SEQUENCE with a definite length of any size (short and long forms).
  const der = fc.uint8Array({ maxLength: 400 }).map((body) => {
    const len =
      body.length < 128
        ? [body.length]
        : body.length < 256
          ? [0x81, body.length]
          : [0x82, body.length >> 8, body.length & 255];
    return new Uint8Array([0x30, ...len, ...body]);
  });

  it('recognises DER, PEM and Base64 of the same object and normalises all to the DER', () => {
    fc.assert(
      fc.property(der, (d) => {
        const pem = encodePem('CMS', d);
        const b64 = base64Encode(d);
        expect(detectEncoding(d)).toBe('der');
        expect(detectEncoding(pem)).toBe('pem');
        expect(detectEncoding(new TextEncoder().encode(pem))).toBe('pem');
        expect(detectEncoding(b64)).toBe('base64');
        expect(toDer(d)).toEqual(d);
        expect(toDer(pem)).toEqual(d);
        expect(toDer(new TextEncoder().encode(pem))).toEqual(d);
        expect(toDer(b64)).toEqual(d);
      }),
    );
  });

  it('accepts BER indefinite length (CryptoPro CMS) as binary', () => {
    expect(detectEncoding(new Uint8Array([0x30, 0x80, 0x02, 0x01, 0x01, 0, 0]))).toBe('der');
  });

  it('picks the PEM block by label and says what it found otherwise', () => {
    const text =
      encodePem('CERTIFICATE', new Uint8Array([0x30, 0])) + encodePem('X509 CRL', new Uint8Array([0x30, 1, 5]));
    expect(toDer(text, { labels: ['X509 CRL'] })).toEqual(new Uint8Array([0x30, 1, 5]));
    const err = capture(() => toDer(text, { labels: ['CMS'] }));
    expect(err).toMatchObject({ code: 'ERR_DECODE_FORMAT' });
    expect((err as Error).message).toContain('CERTIFICATE, X509 CRL');
  });

  it('rejects what is neither', () => {
    expect(detectEncoding(new Uint8Array([0x30, 5, 1]))).toBe('unknown');
    expect(capture(() => toDer(new Uint8Array([0xff, 0xfe, 0x00])))).toMatchObject({ code: 'ERR_DECODE_FORMAT' });
    expect(capture(() => toDer('<xml/>'))).toMatchObject({ code: 'ERR_DECODE_FORMAT' });
  });
});

describe('detectEncoding: the whole input, text or bytes (regression, issue 5 review)', () => {
  const body = new Uint8Array([0x30, 3, 2, 1, 7]);
  const preamble = `${'Certificate:\n    Data: some text output of a tool, not Base64!\n'.repeat(200)}`;

  it('finds PEM after a 10 KB text preamble, as a string and as bytes', () => {
    expect(preamble.length).toBeGreaterThan(10_000);
    const text = preamble + encodePem('CERTIFICATE', body);
    const bytes = new TextEncoder().encode(text);
    expect(detectEncoding(text)).toBe('pem');
    expect(detectEncoding(bytes)).toBe('pem');
    expect(toDer(text)).toEqual(body);
    expect(toDer(bytes)).toEqual(body);
  });

  it('finds PEM after 10 KB of binary bytes without taking them for DER', () => {
    const junk = new Uint8Array(10_000).fill(0xfe);
    const pem = new TextEncoder().encode(encodePem('CERTIFICATE', body));
    const bytes = new Uint8Array(junk.length + pem.length);
    bytes.set(junk);
    bytes.set(pem, junk.length);
    expect(detectEncoding(bytes)).toBe('pem');
    expect(toDer(bytes)).toEqual(body);
  });

  it('a marker without a label, or cut at the end, is not PEM', () => {
    expect(detectEncoding(new TextEncoder().encode(`${preamble}-----BEGIN `))).toBe('unknown');
    expect(detectEncoding(new TextEncoder().encode(`${preamble}-----BEGIN  X`))).toBe('unknown');
    expect(detectEncoding(`${preamble}-----BEGIN `)).toBe('unknown');
  });

  it('long Base64 reads the same as bytes and as a string', () => {
    const b64 = base64Encode(new Uint8Array(20_000).fill(0x41)).replace(/(.{76})/g, '$1\r\n');
    expect(detectEncoding(b64)).toBe('base64');
    expect(detectEncoding(new TextEncoder().encode(b64))).toBe('base64');
    expect(detectEncoding(new TextEncoder().encode(`${b64}!`))).toBe('unknown');
    expect(detectEncoding(`${b64}!`)).toBe('unknown');
  });
});

function capture(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}
