// Tests of GOST R 34.10-2001 verification (RFC 5832) with GOST R 34.11-94: the RFC 5832 example, the RFC 4491 certificate, properties, misuse.
import { getCurve } from '@eds/gost/curves';
import { InvalidKeyError, UnknownParameterSetError } from '@eds/gost/errors';
import { getPublicKey, randomPrivateKey, sign } from '@eds/gost/gost3410';
import { gost341194 } from '@eds/gost/gost341194';
import { getCurve2001, OID_GOST3410_2001, OID_GOST3411_94_WITH_GOST3410_2001, verify2001 } from '@eds/gost/legacy';
import { NOT_BYTES } from '@eds/test-support/inputs';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** RFC 5832 prints integers most significant byte first; keys and digests here are little-endian. */
const le = (hex: string) => hexToBytes(hex).reverse();
const base64 = (text: string) => Uint8Array.from(atob(text.replace(/\s/g, '')), (c) => c.charCodeAt(0));
const flipped = (bytes: Uint8Array, at = 0) => {
  const copy = Uint8Array.from(bytes);
  copy[at % copy.length] = (copy[at % copy.length] as number) ^ 1;
  return copy;
};
const SETS_2001 = ['cryptopro-test', 'cryptopro-a', 'cryptopro-b', 'cryptopro-c', 'cryptopro-xcha', 'cryptopro-xchb'];

describe('RFC 5832 §7 example (GOST R 34.10-2001 test parameters 1.2.643.2.2.35.0)', () => {
  // The digest e, public key Q and signature (r, s) of the example; they reappear in RFC 7091 §7.1.
  const e = le('2dfbc1b372d89a1188c09c52e0eec61fce52032ab1022e8e67ece6672b043ee5');
  const publicKey = new Uint8Array([
    ...le('7f2b49e270db6d90d8595bec458b50c58585ba1d4e9b788f6689dbd8e56fd80b'),
    ...le('26f1b489d6701dd185c8413a977b3cbbaf64d1c593d26627dffb101a87ff77da'),
  ]);
  const signature = hexToBytes(
    '01456c64ba4642a1653c235a98a60249bcd6d3f746b631df928014f6c5bf9c40' + // s
      '41aa28d2f1ab148280cd9ed56feda41974053554a42767b83ad043fd39dc0493', // r
  );

  it('verifies, by name and by OID', () => {
    expect(verify2001(signature, e, publicKey, 'cryptopro-test')).toBe(true);
    expect(verify2001(signature, e, publicKey, '1.2.643.2.2.35.0')).toBe(true);
  });

  it('rejects a changed digest or signature, and r || s in place of s || r', () => {
    expect(verify2001(signature, flipped(e), publicKey, 'cryptopro-test')).toBe(false);
    expect(verify2001(flipped(signature, 63), e, publicKey, 'cryptopro-test')).toBe(false);
    const swapped = new Uint8Array([...signature.subarray(32), ...signature.subarray(0, 32)]);
    expect(verify2001(swapped, e, publicKey, 'cryptopro-test')).toBe(false);
  });
});

// RFC 4491 §4.2: a self-signed GOST R 34.10-2001 certificate (CryptoPro-XchA key, signature
// 1.2.643.2.2.3 = GOST R 34.11-94 with CryptoPro parameters + GOST R 34.10-2001). OpenSSL with
// the GOST engine verifies it too: openssl verify -CAfile c.pem -no_check_time c.pem.
describe('RFC 4491 §4.2 certificate', () => {
  const der = base64(`
    MIIB0DCCAX8CECv1xh7CEb0Xx9zUYma0LiEwCAYGKoUDAgIDMG0xHzAdBgNVBAMM
    Fkdvc3RSMzQxMC0yMDAxIGV4YW1wbGUxEjAQBgNVBAoMCUNyeXB0b1BybzELMAkG
    A1UEBhMCUlUxKTAnBgkqhkiG9w0BCQEWGkdvc3RSMzQxMC0yMDAxQGV4YW1wbGUu
    Y29tMB4XDTA1MDgxNjE0MTgyMFoXDTE1MDgxNjE0MTgyMFowbTEfMB0GA1UEAwwW
    R29zdFIzNDEwLTIwMDEgZXhhbXBsZTESMBAGA1UECgwJQ3J5cHRvUHJvMQswCQYD
    VQQGEwJSVTEpMCcGCSqGSIb3DQEJARYaR29zdFIzNDEwLTIwMDFAZXhhbXBsZS5j
    b20wYzAcBgYqhQMCAhMwEgYHKoUDAgIkAAYHKoUDAgIeAQNDAARAhJVodWACGkB1
    CM0TjDGJLP3lBQN6Q1z0bSsP508yfleP68wWuZWIA9CafIWuD+SN6qa7flbHy7Df
    D2a8yuoaYDAIBgYqhQMCAgMDQQA8L8kJRLcnqeyn1en7U23Sw6pkfEQu3u0xFkVP
    vFQ/3cHeF26NG+xxtZPz3TaTVXdoiYkXYiD02rEx1bUcM97i`);
  // Certificate ::= SEQUENCE (30 82 01 d0) { tbsCertificate (30 82 01 7f, 383 bytes), ...,
  // signatureValue BIT STRING (03 41 00 || 64 bytes) } - the signature is the last 64 bytes.
  const tbs = der.subarray(4, 4 + 4 + 0x17f);
  const signature = der.subarray(der.length - 64);
  /** subjectPublicKey: BIT STRING 03 43 00 wrapping OCTET STRING 04 40 || x || y. */
  const publicKey = (() => {
    const hex = bytesToHex(tbs);
    const at = hex.indexOf('0343000440') / 2 + 5;
    return tbs.subarray(at, at + 64);
  })();

  it('has the layout the test assumes', () => {
    expect(bytesToHex(der.subarray(0, 8))).toBe('308201d03082017f');
    expect(bytesToHex(der.subarray(der.length - 67, der.length - 64))).toBe('034100');
    // SPKI parameters: 1.2.643.2.2.36.0 (CryptoPro-XchA) and 1.2.643.2.2.30.1 (34.11-94 CryptoPro).
    expect(bytesToHex(tbs)).toContain('06072a85030202240006072a850302021e01');
    // The X coordinate OpenSSL prints (most significant first) is this key's first half reversed.
    expect(bytesToHex(publicKey.subarray(0, 32).slice().reverse())).toBe(
      '577e324fe70f2b6df45c437a0305e5fd2c89318c13cd0875401a026075689584',
    );
  });

  it('its signature verifies over GOST R 34.11-94 (CryptoPro) of the TBSCertificate', () => {
    expect(verify2001(signature, gost341194(tbs), publicKey, '1.2.643.2.2.36.0')).toBe(true);
    expect(verify2001(signature, gost341194(tbs), publicKey, 'cryptopro-xcha')).toBe(true);
  });

  it('fails for a changed TBSCertificate or the test-parameter hash', () => {
    expect(verify2001(signature, gost341194(flipped(tbs, 100)), publicKey, 'cryptopro-xcha')).toBe(false);
    expect(verify2001(signature, gost341194(tbs, { paramSet: 'gostr3411-94-test' }), publicKey, 'cryptopro-xcha')).toBe(
      false,
    );
  });
});

describe('properties', () => {
  it('a 34.10-2012 256-bit signature over a 34.11-94 digest verifies as 2001, on every 2001 set', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SETS_2001), fc.uint8Array({ maxLength: 300 }), (curve, message) => {
        const privateKey = randomPrivateKey(curve);
        const publicKey = getPublicKey(privateKey, curve);
        const digest = gost341194(message);
        const signature = sign(digest, privateKey, curve);
        expect(verify2001(signature, digest, publicKey, curve)).toBe(true);
        expect(verify2001(signature, flipped(digest, message.length), publicKey, curve)).toBe(false);
        expect(verify2001(flipped(signature, message.length), digest, publicKey, curve)).toBe(false);
      }),
      { numRuns: 12 },
    );
  });

  it('exports the 2001 OIDs', () => {
    expect([OID_GOST3410_2001, OID_GOST3411_94_WITH_GOST3410_2001]).toEqual(['1.2.643.2.2.19', '1.2.643.2.2.3']);
    expect(SETS_2001.map((name) => getCurve2001(name).oid)).toEqual([
      '1.2.643.2.2.35.0',
      '1.2.643.2.2.35.1',
      '1.2.643.2.2.35.2',
      '1.2.643.2.2.35.3',
      '1.2.643.2.2.36.0',
      '1.2.643.2.2.36.1',
    ]);
  });
});

describe('misuse', () => {
  const curve = 'cryptopro-a';
  const privateKey = randomPrivateKey(curve);
  const publicKey = getPublicKey(privateKey, curve);
  const digest = gost341194(new Uint8Array(3));
  const signature = sign(digest, privateKey, curve);

  it.each(['tc26-256-a', 'tc26-256-b', 'tc26-512-a', '1.2.643.7.1.2.1.1.2', 'nope'])(
    'rejects parameter set %j with UnknownParameterSetError',
    (other) => {
      expect(() => verify2001(signature, digest, publicKey, other)).toThrow(UnknownParameterSetError);
    },
  );

  it('rejects a GostCurve object of a non-2001 set, accepts one of a 2001 set', () => {
    expect(() => verify2001(signature, digest, publicKey, getCurve('tc26-256-b'))).toThrow(UnknownParameterSetError);
    expect(verify2001(signature, digest, publicKey, getCurve(curve))).toBe(true);
  });

  it('a digest of the wrong length is a RangeError, a bad key an InvalidKeyError, a short signature false', () => {
    expect(() => verify2001(signature, new Uint8Array(64), publicKey, curve)).toThrow(RangeError);
    expect(() => verify2001(signature, digest, publicKey.subarray(1), curve)).toThrow(InvalidKeyError);
    expect(() => verify2001(signature, digest, flipped(publicKey), curve)).toThrow(InvalidKeyError);
    expect(verify2001(signature.subarray(1), digest, publicKey, curve)).toBe(false);
    expect(verify2001(new Uint8Array(64), digest, publicKey, curve)).toBe(false);
  });

  it.each(NOT_BYTES)('rejects %s as signature, digest or key with a TypeError', (_, value) => {
    const bad = value as Uint8Array;
    expect(() => verify2001(bad, digest, publicKey, curve)).toThrow(TypeError);
    expect(() => verify2001(signature, bad, publicKey, curve)).toThrow(TypeError);
    expect(() => verify2001(signature, digest, bad, curve)).toThrow(TypeError);
  });
});
