import type { KeySpec } from '@eds/core/testing';
import { createTestCa } from '@eds/core/testing';
import { parseCertificate } from '@eds/core/x509';
import { MechanismNotSupportedError } from '@eds/pkcs11/errors';
import {
  defaultScheme,
  digestOf,
  keyAlgorithmOf,
  keyAlgorithmOfCertificate,
  signatureAlgorithmFor,
} from '@eds/pkcs11/schemes';
import type { HashAlg, KeyAlgorithm, SignatureScheme } from '@eds/pkcs11/types';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const hashes: HashAlg[] = ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512', 'STREEBOG-256', 'STREEBOG-512'];
const keys: KeyAlgorithm[] = [
  { kind: 'other', oid: '1.2.643.2.2.19', parameter: '1.2.643.2.2.35.1' },
  { kind: 'RSA', modulusBits: 2048 },
  { kind: 'EC', namedCurve: 'P-256' },
  { kind: 'EC', namedCurve: 'P-384' },
  { kind: 'EC', namedCurve: 'P-521' },
  { kind: 'EdDSA', curve: 'Ed25519' },
  { kind: 'GOST2012', bits: 256, paramSet: '1.2.643.7.1.2.1.1.1' },
  { kind: 'GOST2012', bits: 512, paramSet: '1.2.643.7.1.2.1.2.1' },
];
const scheme = fc.oneof(
  fc.constantFrom(...hashes).map((hash) => ({ name: 'RSASSA-PKCS1-v1_5', hash }) as SignatureScheme),
  fc
    .tuple(fc.constantFrom(...hashes), fc.integer({ min: 0, max: 80 }))
    .map(([hash, saltLength]) => ({ name: 'RSA-PSS', hash, saltLength }) as SignatureScheme),
  fc.constantFrom(...hashes).map((hash) => ({ name: 'ECDSA', hash }) as SignatureScheme),
  fc.constant({ name: 'EdDSA' } as SignatureScheme),
  fc.constantFrom(...hashes).map((hash) => ({ name: 'GOST3410', hash }) as SignatureScheme),
);

describe('schemes', () => {
  it.each([
    // the toolkit's default 256-bit set is CryptoPro-A (id-GostR3410-2001-CryptoPro-A-ParamSet)
    [{ type: 'gost2012-256' }, { kind: 'GOST2012', bits: 256, paramSet: '1.2.643.2.2.35.1' }],
    [{ type: 'gost2012-512' }, { kind: 'GOST2012', bits: 512, paramSet: '1.2.643.7.1.2.1.2.1' }],
    [
      { type: 'ecdsa', curve: 'P-384' },
      { kind: 'EC', namedCurve: 'P-384' },
    ],
    [
      { type: 'rsa', bits: 2048 },
      { kind: 'RSA', modulusBits: 2048 },
    ],
    [{ type: 'ed25519' }, { kind: 'EdDSA', curve: 'Ed25519' }],
  ] as Array<[KeySpec, KeyAlgorithm]>)('reads the key algorithm of a %o certificate', async (spec, expected) => {
    const ca = await createTestCa({ keySpec: { type: 'ecdsa', curve: 'P-256' } });
    const leaf = await ca.issue({ keySpec: spec });
    expect(keyAlgorithmOfCertificate(leaf.certificate)).toEqual(expected);
  });

  it('a key the SDK does not sign with is kind "other" with its OIDs, and refused by signing', async () => {
    const ca = await createTestCa({ keySpec: { type: 'ecdsa', curve: 'P-256' } });
    const leaf = await ca.issue({ keySpec: { type: 'ecdsa', curve: 'P-256' } });
    // the P-256 OID (1.2.840.10045.3.1.7) of the SPKI patched to prime192v1 (…3.1.1), same length
    const spki = parseCertificate(leaf.certificate).spki.slice();
    const p256 = [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
    const at = spki.findIndex((_, i) => p256.every((b, j) => spki[i + j] === b));
    expect(at).toBeGreaterThan(0);
    spki[at + 9] = 0x01;
    const other = keyAlgorithmOf(spki);
    expect(other).toEqual({ kind: 'other', oid: '1.2.840.10045.2.1', parameter: '1.2.840.10045.3.1.1' });
    expect(() => defaultScheme(other)).toThrow(MechanismNotSupportedError);
    expect(() => signatureAlgorithmFor({ name: 'ECDSA', hash: 'SHA-256' }, other)).toThrow(MechanismNotSupportedError);
  });

  it('the default scheme of every key kind names an algorithm that fits it', () => {
    const names = keys.filter((k) => k.kind !== 'other').map((k) => signatureAlgorithmFor(defaultScheme(k), k).name);
    expect(names).toEqual([
      'rsa-pkcs1-sha256',
      'ecdsa-sha256',
      'ecdsa-sha384',
      'ecdsa-sha512',
      'ed25519',
      'gost2012-256',
      'gost2012-512',
    ]);
  });

  it('signatureAlgorithmFor is total: an algorithm of the key type or MechanismNotSupportedError', () => {
    const keyType = { RSA: 'rsa', EC: 'ecdsa', EdDSA: 'ed25519', GOST2012: 'gost2012', other: '-' } as const;
    fc.assert(
      fc.property(fc.constantFrom(...keys), scheme, (key, s) => {
        try {
          const a = signatureAlgorithmFor(s, key);
          expect(a.keyType.startsWith(keyType[key.kind])).toBe(true);
          if (s.name !== 'EdDSA') expect(a.digest?.name).toBe(digestOf(s.hash).name);
          if (s.name === 'RSA-PSS') expect(s.saltLength).toBe(digestOf(s.hash).size);
        } catch (e) {
          expect(e).toBeInstanceOf(MechanismNotSupportedError);
        }
      }),
    );
  });
});
