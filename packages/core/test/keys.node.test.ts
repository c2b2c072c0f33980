// Keys against OpenSSL 3 with the GOST engine, both ways: SPKI and PKCS#8 for GOST, ECDSA, RSA and Ed25519.
import { gostPrivateScalar } from '@eds/core/_key-material';
import { der } from '@eds/core/asn1';
import { encodePem, hexEncode } from '@eds/core/encoding';
import { DecodeError } from '@eds/core/errors';
import {
  exportPrivateKey,
  exportPublicKey,
  generateKeyPair,
  importPrivateKey,
  importPublicKey,
  type KeySpec,
  keysMatch,
  parsePublicKey,
} from '@eds/core/keys';
import { getCurve } from '@eds/gost/curves';
import { openssl, opensslText } from '@eds/test-support/openssl';
import { invert } from '@noble/curves/abstract/modular.js';
import { describe, expect, it } from 'vitest';

const isGost = (spec: KeySpec) => spec.type.startsWith('gost');

/** The SPKI DER OpenSSL derives from a PEM private key. */
async function opensslPublic(pem: string, gost: boolean): Promise<Uint8Array> {
  return (await openssl(['pkey', '-pubout', '-outform', 'DER'], { input: pem, gost })).stdout;
}

describe('keys made here, read by OpenSSL', () => {
  const specs: [string, KeySpec][] = [
    ['gost2012-256 CryptoPro-A', { type: 'gost2012-256' }],
    ['gost2012-256 CryptoPro-XchA', { type: 'gost2012-256', paramSet: 'cryptopro-xcha' }],
    ['gost2012-256 tc26-256-A', { type: 'gost2012-256', paramSet: 'tc26-256-a' }],
    ['gost2012-256 tc26-256-B', { type: 'gost2012-256', paramSet: 'tc26-256-b' }],
    ['gost2012-512 tc26-512-A', { type: 'gost2012-512' }],
    ['gost2012-512 tc26-512-C', { type: 'gost2012-512', paramSet: 'tc26-512-c' }],
    ['ECDSA P-256', { type: 'ecdsa', curve: 'P-256' }],
    ['ECDSA P-384', { type: 'ecdsa', curve: 'P-384' }],
    ['RSA 2048', { type: 'rsa', bits: 2048 }],
    ['Ed25519', { type: 'ed25519' }],
  ];

  it.each(specs)('%s', async (_, spec) => {
    const key = await generateKeyPair(spec);
    const pem = exportPrivateKey(key, 'pem');
    const gost = isGost(spec);
    const text = await opensslText(['pkey', '-noout', '-text'], { input: pem, gost });
    expect(text).toMatch(/Private[- ]Key|private key/i);
    const theirs = await opensslPublic(pem, gost);
    // gost-engine writes digestParamSet for tc26-512-A/B keys for old CSPs (gost-engine PR #185),
    // which RFC 9215 §4.2 does not ask for; the key itself must still be the same.
    if (spec.type === 'gost2012-512' && !spec.paramSet) {
      expect(hexEncode(parsePublicKey(theirs).raw)).toBe(hexEncode(key.publicKey.raw));
      expect(parsePublicKey(theirs).curveOid).toBe(key.publicKey.curveOid);
    } else {
      expect(hexEncode(theirs)).toBe(hexEncode(key.publicKey.spki));
    }
    // OpenSSL reads our public key file too.
    const pubDer = (
      await openssl(['pkey', '-pubin', '-outform', 'DER'], { input: exportPublicKey(key.publicKey, 'pem'), gost })
    ).stdout;
    expect(parsePublicKey(pubDer).raw).toEqual(key.publicKey.raw);
    if (gost) {
      // OpenSSL prints the scalar as a number, most significant digit first.
      const printed = BigInt(`0x${/Private key: ([0-9A-F]+)/.exec(text)?.[1]}`);
      expect(printed).toBe(BigInt(`0x${hexEncode(gostPrivateScalar(key).reverse())}`));
    }
  });

  it('OpenSSL (gost-engine) unmasks CryptoPro masked keys and reads INTEGER keys as we do', async () => {
    for (const name of ['cryptopro-a', 'tc26-512-c']) {
      const curve = getCurve(name);
      const len = curve.byteLength;
      const type = curve.bits === 256 ? 'gost2012-256' : 'gost2012-512';
      const key = await generateKeyPair({ type, paramSet: name });
      const d = BigInt(`0x${hexEncode(gostPrivateScalar(key).reverse())}`);
      const le = (n: bigint) => Uint8Array.from(Buffer.from(n.toString(16).padStart(2 * len, '0'), 'hex').reverse());
      const m1 = 0x1234567n;
      const m2 = 0xabcdef987654321n;
      const k = (d * invert((m1 * m2) % curve.q, curve.q)) % curve.q;
      const algorithm = der.seq(
        der.oid(curve.bits === 256 ? '1.2.643.7.1.1.1.1' : '1.2.643.7.1.1.1.2'),
        der.seq(der.oid(curve.oid)),
      );
      for (const contents of [new Uint8Array([...le(k), ...le(m1), ...le(m2)]), der.int(d)]) {
        const pem = encodePem('PRIVATE KEY', der.seq(der.int(0), algorithm, der.octets(contents)));
        const theirs = parsePublicKey(await opensslPublic(pem, true));
        expect(keysMatch(importPrivateKey(pem), theirs)).toBe(true);
        expect(theirs.raw).toEqual(key.publicKey.raw);
      }
    }
  });
});

describe('keys made by OpenSSL, read here', () => {
  const cases: [string, string[], boolean][] = [
    ...['A', 'B', 'C', 'XA', 'XB', 'TCA', 'TCB', 'TCC', 'TCD'].map(
      (p) =>
        [`gost2012_256 ${p}`, ['-algorithm', 'gost2012_256', '-pkeyopt', `paramset:${p}`], true] as [
          string,
          string[],
          boolean,
        ],
    ),
    ...['A', 'B', 'C'].map(
      (p) =>
        [`gost2012_512 ${p}`, ['-algorithm', 'gost2012_512', '-pkeyopt', `paramset:${p}`], true] as [
          string,
          string[],
          boolean,
        ],
    ),
    ['EC P-256', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'], false],
    ['EC P-384', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'], false],
    ['EC P-521', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521'], false],
    ['RSA 2048', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'], false],
    ['RSA-PSS 2048', ['-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048'], false],
    ['Ed25519', ['-algorithm', 'ED25519'], false],
  ];

  it.each(cases)('%s', async (_, args, gost) => {
    const pem = await opensslText(['genpkey', ...args], { gost });
    const key = importPrivateKey(pem);
    const spki = await opensslPublic(pem, gost);
    expect(hexEncode(key.publicKey.spki)).toBe(hexEncode(spki));
    const pub = importPublicKey(spki);
    expect(keysMatch(key, pub)).toBe(true);
    // Our canonical re-encoding is still the same key for OpenSSL.
    expect(hexEncode(await opensslPublic(exportPrivateKey(key, 'pem'), gost))).toBe(hexEncode(spki));
  });

  it('reads OpenSSL traditional EC and RSA private keys', async () => {
    for (const args of [
      ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
      ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
    ]) {
      const pem = await opensslText(['genpkey', ...args], { gost: false });
      const traditional = await opensslText(['pkey', '-traditional'], { input: pem, gost: false });
      expect(traditional).toMatch(/BEGIN (EC|RSA) PRIVATE KEY/);
      expect(importPrivateKey(traditional).pkcs8).toEqual(importPrivateKey(pem).pkcs8);
    }
  });

  it('refuses an OpenSSL-encrypted PKCS#8 with ERR_DECODE_ENCRYPTED', async () => {
    const pem = await opensslText(['genpkey', '-algorithm', 'ED25519'], { gost: false });
    const enc = await opensslText(['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-passout', 'pass:x'], {
      input: pem,
      gost: false,
    });
    let caught: unknown;
    try {
      importPrivateKey(enc);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DecodeError);
    expect((caught as DecodeError).code).toBe('ERR_DECODE_ENCRYPTED');
  });
});
