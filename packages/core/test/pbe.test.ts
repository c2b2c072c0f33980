// Password-based encryption (RFC 8018 PBES2, RFC 9337 GOST schemes) of EncryptedPrivateKeyInfo (RFC 5958 §3): round trips, wrong passwords, limits, bad input.

import { der } from '@eds/core/asn1';
import { encodePem } from '@eds/core/encoding';
import { DecodeError, UnsupportedAlgorithmError, UnsupportedFormatError, WrongPasswordError } from '@eds/core/errors';
import {
  decryptPbe,
  decryptPrivateKeyInfo,
  encryptPbe,
  encryptPrivateKeyInfo,
  type PbePrf,
  type PbeScheme,
} from '@eds/core/pbe';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** An Ed25519 PrivateKeyInfo (RFC 8410 §7) around a given seed. */
const ed25519Pkcs8 = (seed: Uint8Array) =>
  der.seq(der.int(0), der.seq(der.oid('1.3.101.112')), der.octets(der.octets(seed)));

const ALL_SCHEMES: PbeScheme[] = [
  'aes-128-cbc',
  'aes-192-cbc',
  'aes-256-cbc',
  'des-ede3-cbc',
  'gost28147-cfb',
  'kuznyechik-ctr-acpkm',
  'magma-ctr-acpkm',
];
/** Chromium's WebCrypto has no 192-bit AES; where it is missing the SDK must say so with a typed error. */
const aes192 = await globalThis.crypto.subtle.importKey('raw', new Uint8Array(24), 'AES-CBC', false, ['encrypt']).then(
  () => true,
  () => false,
);
const SCHEMES = ALL_SCHEMES.filter((s) => aes192 || s !== 'aes-192-cbc');
const PRFS: PbePrf[] = ['sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'streebog256', 'streebog512', 'gostr3411-94'];

describe('EncryptedPrivateKeyInfo round trips', () => {
  it('decrypts what it encrypts, for every scheme, PRF and password', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SCHEMES),
        fc.constantFrom(...PRFS),
        fc.string({ maxLength: 10 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        async (scheme, prf, password, seed) => {
          const pkcs8 = ed25519Pkcs8(seed);
          const epki = await encryptPrivateKeyInfo(pkcs8, password, { scheme, prf, iterations: 2 });
          expect(await decryptPrivateKeyInfo(epki, password)).toEqual(pkcs8);
          expect(await decryptPrivateKeyInfo(encodePem('ENCRYPTED PRIVATE KEY', epki), password)).toEqual(pkcs8);
          await expect(decryptPrivateKeyInfo(epki, `${password}!`)).rejects.toBeInstanceOf(WrongPasswordError);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('uses the stated defaults: PBKDF2-HMAC-SHA-256, AES-256-CBC, 2048 iterations', async () => {
    const epki = await encryptPrivateKeyInfo(ed25519Pkcs8(new Uint8Array(32)), 'pw');
    const hex = Array.from(epki, (b) => b.toString(16).padStart(2, '0')).join('');
    expect(hex).toContain('0202080030'); // INTEGER 2048 followed by the PRF SEQUENCE
    expect(hex).toContain('06096086480165030401 2a'.replace(' ', '')); // aes256-CBC
    expect(hex).toContain('06082a864886f70d0209'); // hmacWithSHA256
  });

  it('encryptPbe / decryptPbe carry any data, with padding only for the block modes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SCHEMES), fc.uint8Array({ maxLength: 100 }), async (scheme, data) => {
        const { algorithm, ciphertext } = await encryptPbe(data, 'k', { scheme, iterations: 1 });
        const block = scheme.startsWith('aes') ? 16 : scheme === 'des-ede3-cbc' ? 8 : 0;
        expect(ciphertext.length).toBe(block ? (Math.floor(data.length / block) + 1) * block : data.length);
        expect(await decryptPbe(algorithm, ciphertext, 'k')).toEqual(data);
      }),
      { numRuns: 40 },
    );
  });
});

describe('limits and bad input', () => {
  it('AES-192 works where WebCrypto has it (Node) and is UnsupportedAlgorithmError where not (Chromium)', async () => {
    const attempt = encryptPbe(new Uint8Array(3), 'k', { scheme: 'aes-192-cbc', iterations: 1 });
    if (aes192) {
      const { algorithm, ciphertext } = await attempt;
      expect(await decryptPbe(algorithm, ciphertext, 'k')).toEqual(new Uint8Array(3));
    } else await expect(attempt).rejects.toBeInstanceOf(UnsupportedAlgorithmError);
  });

  it('refuses iteration counts above maxIterations (DecodeError ERR_DECODE_TOO_LARGE)', async () => {
    const epki = await encryptPrivateKeyInfo(ed25519Pkcs8(new Uint8Array(32)), 'pw', { iterations: 101 });
    const err = await decryptPrivateKeyInfo(epki, 'pw', { maxIterations: 100 }).catch((e) => e);
    expect(err).toBeInstanceOf(DecodeError);
    expect(err.code).toBe('ERR_DECODE_TOO_LARGE');
  });

  it('names unknown algorithms and the CryptoPro key bag', async () => {
    const unknown = der.seq(der.seq(der.oid('1.2.3.4')), der.octets(new Uint8Array(16)));
    const err = await decryptPrivateKeyInfo(unknown, 'pw').catch((e) => e);
    expect(err).toBeInstanceOf(UnsupportedAlgorithmError);
    expect(err.oid).toBe('1.2.3.4');
    const cp = der.seq(
      der.seq(der.oid('1.2.840.113549.1.12.1.80'), der.seq(der.octets(new Uint8Array(8)), der.int(1))),
      der.octets(new Uint8Array(16)),
    );
    await expect(decryptPrivateKeyInfo(cp, 'pw')).rejects.toBeInstanceOf(UnsupportedFormatError);
  });

  it('an unknown PBKDF2 PRF is UnsupportedAlgorithmError', async () => {
    const { algorithm, ciphertext } = await encryptPbe(new Uint8Array(5), 'k', { iterations: 1 });
    const swapped = algorithm.slice();
    const hex = Array.from(swapped, (b) => b.toString(16).padStart(2, '0')).join('');
    const at = hex.indexOf('2a864886f70d0209') / 2; // hmacWithSHA256 → arc 2.99
    swapped[at + 7] = 99;
    const err = await decryptPbe(swapped, ciphertext, 'k').catch((e) => e);
    expect(err).toBeInstanceOf(UnsupportedAlgorithmError);
  });

  it('mutated or truncated EPKI fails with a typed error', async () => {
    const epki = await encryptPrivateKeyInfo(ed25519Pkcs8(new Uint8Array(32).fill(7)), 'pw', {
      iterations: 1,
      scheme: 'gost28147-cfb',
    });
    await fc.assert(
      fc.asyncProperty(
        fc.nat(epki.length - 1),
        fc.integer({ min: 1, max: 255 }),
        fc.boolean(),
        async (at, x, truncate) => {
          const bad = truncate ? epki.subarray(0, at) : epki.slice();
          if (!truncate) bad[at] = (bad[at] as number) ^ x;
          const err = await decryptPrivateKeyInfo(bad, 'pw').then(
            () => undefined,
            (e) => e,
          );
          if (err !== undefined) {
            const typed =
              err instanceof DecodeError ||
              err instanceof WrongPasswordError ||
              err instanceof UnsupportedAlgorithmError ||
              err instanceof UnsupportedFormatError;
            expect(typed, String(err)).toBe(true);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses to encrypt something that is not a PrivateKeyInfo', async () => {
    await expect(encryptPrivateKeyInfo(Uint8Array.of(0x30, 0), 'pw')).rejects.toBeInstanceOf(RangeError);
  });
});

describe('untrusted names and AbortSignal (regression, issue 5 review)', () => {
  it('refuses a PRF named after an Object.prototype property with a RangeError', async () => {
    for (const prf of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      await expect(encryptPbe(new Uint8Array(16), 'pw', { prf: prf as PbePrf })).rejects.toThrow(RangeError);
    }
  });

  /** PBES2 / PBKDF2-HMAC-`prf` (`iterations`) / GOST 28147-89 CFB param Z parameters, by hand (RFC 8018 A.2, A.4; RFC 4357 §10.3). */
  const gostPbes2 = (prfOid: string, iterations: number) =>
    der.seq(
      der.oid('1.2.840.113549.1.5.13'),
      der.seq(
        der.seq(
          der.oid('1.2.840.113549.1.5.12'),
          der.seq(der.octets(new Uint8Array(32)), der.int(iterations), der.seq(der.oid(prfOid), der.null())),
        ),
        der.seq(der.oid('1.2.643.2.2.21'), der.seq(der.octets(new Uint8Array(8)), der.oid('1.2.643.7.1.2.5.1.1'))),
      ),
    );

  // Pure-JavaScript PBKDF2 paths (no WebCrypto hash): 1,000,000 iterations would run for many
  // seconds; the abort during the derivation must end it.
  it.each([
    ['streebog512', '1.2.643.7.1.1.4.2'],
    ['streebog256', '1.2.643.7.1.1.4.1'],
    ['sha224', '1.2.840.113549.2.8'],
  ])('decryption with PBKDF2-HMAC-%s of 1,000,000 iterations rejects with the abort reason', async (_, oid) => {
    const controller = new AbortController();
    const pending = decryptPbe(gostPbes2(oid, 1_000_000), new Uint8Array(64), 'pw', { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const err = await pending.catch((e) => e);
    expect(err).toBeInstanceOf(DOMException);
    expect(err.name).toBe('AbortError');
  });

  it('encryption with a 1,000,000-iteration Streebog PBKDF2 rejects with the abort reason', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const pending = encryptPbe(new Uint8Array(16), 'pw', {
      scheme: 'gost28147-cfb',
      prf: 'streebog512',
      iterations: 1_000_000,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(reason), 20);
    await expect(pending).rejects.toBe(reason);
  });
});
