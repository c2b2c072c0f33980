// PKCS#12 (RFC 7292) in its three dialects: official and third-party PFX vectors, round trips, tampering, and the legacy ciphers' known answers.

import { tripleDesCbcDecrypt, tripleDesCbcEncrypt } from '@eds/core/_des';
import { rc2CbcDecrypt } from '@eds/core/_rc2';
import { der } from '@eds/core/asn1';
import { base64Decode, hexDecode, hexEncode } from '@eds/core/encoding';
import { DecodeError, UnsupportedAlgorithmError, UnsupportedFormatError, WrongPasswordError } from '@eds/core/errors';
import { encryptPbe } from '@eds/core/pbe';
import { createPkcs12, parsePkcs12 } from '@eds/core/pkcs12';
import { readFixture } from '@eds/test-support/vectors';
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';

const DIR = 'packages/core/test/vectors/pkcs12';
const R50_PASSWORD = 'Пароль для PFX';

interface Expected {
  'r50-1-112.pfx': {
    source: { privateKeyInfoBase64: string; certBagSafeContentsBase64: string };
    derivedWithOpenSSL: { certificateSha256: string };
  };
  'bc-gost2001.pfx': { derivedWithOpenSSL: { privateKeyLittleEndianHex: string; certificateSha256: string } };
  'bc-gost2001-openssl-integer.pfx': {
    derivedWithOpenSSL: { privateKeyBigEndianHex: string; certificateSha256: string };
  };
}

let expected: Expected;
let r50: Uint8Array;
let bc2001: Uint8Array;
let bcInteger: Uint8Array;

beforeAll(async () => {
  expected = JSON.parse(new TextDecoder().decode(await readFixture(`${DIR}/expected.json`)));
  r50 = await readFixture(`${DIR}/r50-1-112.pfx`);
  bc2001 = await readFixture(`${DIR}/bc-gost2001.pfx`);
  bcInteger = await readFixture(`${DIR}/bc-gost2001-openssl-integer.pfx`);
});

const sha256Hex = (b: Uint8Array) => hexEncode(sha256(b)).toUpperCase();
const contains = (haystack: Uint8Array, needle: Uint8Array) => hexEncode(haystack).includes(hexEncode(needle));

describe('R 50.1.112-2016 example PFX (TC26 dialect)', () => {
  it('verifies the MAC and yields the key and certificate of the pygost test', async () => {
    const p = await parsePkcs12(r50, R50_PASSWORD);
    const e = expected['r50-1-112.pfx'];
    expect(p.dialect).toBe('gost-tc26');
    expect(p.mac).toEqual({ algorithm: 'hmac-streebog512', iterations: 2000 });
    expect(p.keys).toHaveLength(1);
    expect(p.keys[0]?.pkcs8).toEqual(base64Decode(e.source.privateKeyInfoBase64));
    expect(p.keys[0]?.localKeyId).toEqual(Uint8Array.of(1, 0, 0, 0));
    expect(p.certificates).toHaveLength(1);
    const cert = p.certificates[0]?.der as Uint8Array;
    expect(sha256Hex(cert)).toBe(e.derivedWithOpenSSL.certificateSha256);
    // The decrypted SafeContents of the pygost test holds exactly this certificate.
    expect(contains(base64Decode(e.source.certBagSafeContentsBase64), cert)).toBe(true);
    expect(p.certificates[0]?.localKeyId).toEqual(Uint8Array.of(1, 0, 0, 0));
  });

  it('accepts the file as Base64 text', async () => {
    const text = btoa(String.fromCharCode(...r50));
    expect((await parsePkcs12(text, R50_PASSWORD)).keys).toHaveLength(1);
  });

  it.each(['', 'Пароль для pfx', 'Пароль для PFX ', 'password'])('rejects the wrong password %j', async (pw) => {
    await expect(parsePkcs12(r50, pw)).rejects.toBeInstanceOf(WrongPasswordError);
  });

  it('refuses iteration counts above the limit with a DecodeError', async () => {
    const err = await parsePkcs12(r50, R50_PASSWORD, { maxIterations: 1999 }).catch((e) => e);
    expect(err).toBeInstanceOf(DecodeError);
    expect(err.code).toBe('ERR_DECODE_TOO_LARGE');
  });
});

describe('legacy CryptoPro GOST 2001 PFX (bc-java gostPfx)', () => {
  it('verifies the GOST R 34.11-94 PKCS#12-KDF MAC and decrypts the PBKDF2-HMAC-GOST94 / 28147 bags', async () => {
    const p = await parsePkcs12(bc2001, '1');
    const e = expected['bc-gost2001.pfx'].derivedWithOpenSSL;
    expect(p.dialect).toBe('cryptopro-2001');
    expect(p.mac).toEqual({ algorithm: 'hmac-gostr3411-94', iterations: 2048 });
    expect(p.keys).toHaveLength(1);
    expect(p.keys[0]?.friendlyName).toBe('cp_exported');
    expect(contains(p.keys[0]?.pkcs8 as Uint8Array, hexDecode(e.privateKeyLittleEndianHex))).toBe(true);
    expect(p.certificates.map((c) => sha256Hex(c.der))).toContain(e.certificateSha256);
  });

  it.each(['', '2', 'password'])('rejects the wrong password %j', async (pw) => {
    await expect(parsePkcs12(bc2001, pw)).rejects.toBeInstanceOf(WrongPasswordError);
  });
});

describe('OpenSSL-made GOST 2001 PFX with SHA-1 MAC, 3DES key bag and RC2-40 certificates', () => {
  it('decodes, keeping the INTEGER private key as stored', async () => {
    const p = await parsePkcs12(bcInteger, 'password');
    const e = expected['bc-gost2001-openssl-integer.pfx'].derivedWithOpenSSL;
    expect(p.dialect).toBe('standard');
    expect(p.mac).toEqual({ algorithm: 'hmac-sha1', iterations: 2048 });
    expect(p.keys).toHaveLength(1);
    expect(contains(p.keys[0]?.pkcs8 as Uint8Array, der.uint(hexDecode(e.privateKeyBigEndianHex)))).toBe(true);
    expect(p.keys[0]?.friendlyName).toBe('test');
    expect(p.certificates.map((c) => sha256Hex(c.der))).toEqual([e.certificateSha256]);
    expect(p.keys[0]?.localKeyId).toEqual(p.certificates[0]?.localKeyId);
  });

  it('rejects a wrong password', async () => {
    await expect(parsePkcs12(bcInteger, 'Password')).rejects.toBeInstanceOf(WrongPasswordError);
  });
});

/** A minimal PFX without MAC whose only bag is a pkcs8ShroudedKeyBag of CryptoPro's algorithm. */
function cpfxLike(): Uint8Array {
  const alg = der.seq(der.oid('1.2.840.113549.1.12.1.80'), der.seq(der.octets(new Uint8Array(32)), der.int(2000)));
  const bag = der.seq(
    der.oid('1.2.840.113549.1.12.10.1.2'),
    der.explicit(0, der.seq(alg, der.octets(new Uint8Array(80)))),
  );
  const ci = der.seq(der.oid('1.2.840.113549.1.7.1'), der.explicit(0, der.octets(der.seq(bag))));
  const authSafe = der.seq(der.oid('1.2.840.113549.1.7.1'), der.explicit(0, der.octets(der.seq(ci))));
  return der.seq(der.int(3), authSafe);
}

describe('CryptoPro proprietary key bag (1.2.840.113549.1.12.1.80)', () => {
  it('is an UnsupportedFormatError that says what it is and what to do', async () => {
    const err = await parsePkcs12(cpfxLike(), 'qawsqaws').catch((e) => e);
    expect(err).toBeInstanceOf(UnsupportedFormatError);
    expect(err.code).toBe('ERR_UNSUPPORTED_FORMAT');
    expect(err.what).toBe('cryptopro-pfx-key');
    expect(err.message).toMatch(/CryptoPro/);
    expect(err.message).toMatch(/R 50\.1\.112-2016/);
    expect(err.message).toMatch(/plug-in/);
  });
});

// ---------------------------------------------------------------------------------------------
// Round trips

let r50Key: Uint8Array;
let r50Cert: Uint8Array;
beforeAll(async () => {
  const p = await parsePkcs12(r50, R50_PASSWORD);
  r50Key = p.keys[0]?.pkcs8 as Uint8Array;
  r50Cert = p.certificates[0]?.der as Uint8Array;
});

/** Passwords: ASCII, Cyrillic, empty, and any Unicode (surrogate pairs included). */
const passwords = fc.oneof(
  fc.constantFrom('', 'Пароль для PFX', 'ёЁ', 'p@ss word'),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: fc.constantFrom(...'абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВ'), maxLength: 10 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);

describe('createPkcs12 → parsePkcs12', () => {
  it.each(['standard', 'gost-tc26'] as const)('round-trips the %s dialect for any password', async (dialect) => {
    await fc.assert(
      fc.asyncProperty(passwords, fc.boolean(), async (password, withName) => {
        const friendlyName = withName ? 'Ключ 1' : undefined;
        const pfx = await createPkcs12({
          key: { pkcs8: r50Key },
          certificates: [r50Cert],
          password,
          dialect,
          friendlyName,
          iterations: 3,
        });
        const p = await parsePkcs12(pfx, password);
        expect(p.dialect).toBe(dialect);
        expect(p.keys.map((k) => k.pkcs8)).toEqual([r50Key]);
        expect(p.certificates.map((c) => c.der)).toEqual([r50Cert]);
        expect(p.keys[0]?.localKeyId).toEqual(p.certificates[0]?.localKeyId);
        expect(p.keys[0]?.friendlyName).toBe(friendlyName);
        expect(p.mac?.iterations).toBe(3);
        await expect(parsePkcs12(pfx, `${password}x`)).rejects.toBeInstanceOf(WrongPasswordError);
      }),
      { numRuns: 12 },
    );
  });

  it.each(['kuznyechik-ctr-acpkm', 'magma-ctr-acpkm', 'gost28147-cfb'] as const)(
    'round-trips gost-tc26 with %s bags and the default iterations',
    async (encryption) => {
      const pfx = await createPkcs12({
        key: { pkcs8: r50Key },
        certificates: [r50Cert, r50Cert],
        password: 'тест',
        dialect: 'gost-tc26',
        encryption,
      });
      const p = await parsePkcs12(pfx, 'тест');
      expect(p.mac).toEqual({ algorithm: 'hmac-streebog512', iterations: 2000 });
      expect(p.keys[0]?.pkcs8).toEqual(r50Key);
      expect(p.certificates).toHaveLength(2);
    },
  );

  it('writes the OpenSSL 3 defaults for the standard dialect (PBES2/AES-256/SHA-256, 2048 iterations)', async () => {
    const pfx = await createPkcs12({
      key: { pkcs8: r50Key },
      certificates: [r50Cert],
      password: 'x',
      dialect: 'standard',
    });
    const hex = hexEncode(pfx);
    expect(hex).toContain(hexEncode(der.oid('2.16.840.1.101.3.4.1.42')));
    expect(hex).toContain(hexEncode(der.oid('1.2.840.113549.2.9')));
    expect((await parsePkcs12(pfx, 'x')).mac).toEqual({ algorithm: 'hmac-sha256', iterations: 2048 });
  });

  it('stores certificates alone', async () => {
    const pfx = await createPkcs12({
      key: undefined,
      certificates: [r50Cert],
      password: '',
      dialect: 'standard',
      iterations: 1,
    });
    const p = await parsePkcs12(pfx, '');
    expect(p.keys).toEqual([]);
    expect(p.certificates[0]?.der).toEqual(r50Cert);
  });

  it('refuses bad options', async () => {
    await expect(
      createPkcs12({ key: undefined, certificates: [], password: '', dialect: 'standard' }),
    ).rejects.toBeInstanceOf(RangeError);
    await expect(
      createPkcs12({ key: { pkcs8: Uint8Array.of(1, 2) }, certificates: [], password: '', dialect: 'standard' }),
    ).rejects.toBeInstanceOf(RangeError);
  });
});

// ---------------------------------------------------------------------------------------------
// Bad input

/** The errors a damaged PFX may give: never a crash, a hang or an untyped error. */
function isTyped(e: unknown): boolean {
  return (
    e instanceof DecodeError ||
    e instanceof WrongPasswordError ||
    // A mutated OID can name an algorithm or format the SDK does not have.
    e instanceof UnsupportedAlgorithmError ||
    e instanceof UnsupportedFormatError
  );
}

describe('truncated and mutated PFX', () => {
  it.each(['standard', 'gost-tc26'] as const)(
    '%s: every truncation and random byte change fails with a typed error',
    async (dialect) => {
      const pfx = await createPkcs12({
        key: { pkcs8: r50Key },
        certificates: [r50Cert],
        password: 'pw',
        dialect,
        iterations: 1,
      });
      for (const cut of [0, 1, 2, 10, pfx.length >> 1, pfx.length - 1]) {
        const err = await parsePkcs12(pfx.subarray(0, cut), 'pw').then(
          () => 'parsed',
          (e) => e,
        );
        expect(err).toBeInstanceOf(DecodeError);
      }
      await fc.assert(
        fc.asyncProperty(fc.nat(pfx.length - 1), fc.integer({ min: 1, max: 255 }), async (at, x) => {
          const bad = pfx.slice();
          bad[at] = (bad[at] as number) ^ x;
          const err = await parsePkcs12(bad, 'pw').then(
            () => undefined,
            (e) => e,
          );
          // A change that leaves a valid file (e.g. in an unchecked attribute) may parse; nothing else may happen.
          if (err !== undefined) expect(isTyped(err), String(err)).toBe(true);
        }),
        { numRuns: 150 },
      );
    },
  );

  it('a mutated authSafe of the R 50.1.112 example is caught by the MAC', async () => {
    const bad = r50.slice();
    bad[200] = (bad[200] as number) ^ 1;
    await expect(parsePkcs12(bad, R50_PASSWORD)).rejects.toBeInstanceOf(WrongPasswordError);
  });

  it('refuses a version other than 3 and oversized input', async () => {
    const bad = r50.slice();
    bad[6] = 2;
    await expect(parsePkcs12(bad, R50_PASSWORD)).rejects.toBeInstanceOf(DecodeError);
    await expect(parsePkcs12(r50, R50_PASSWORD, { maxSize: 100 })).rejects.toBeInstanceOf(DecodeError);
  });
});

// ---------------------------------------------------------------------------------------------
// Legacy ciphers

describe('Triple DES (SP 800-67 Rev. 2) known answers', () => {
  it('encrypts the SP 800-67 example (three keys, "The qufck brown fox jump")', () => {
    const key = hexDecode('0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123');
    const plain = new TextEncoder().encode('The qufck brown fox jump');
    const want = ['A826FD8CE53B855F', 'CCE21C8112256FE6', '68D5C05DD9B6B900'];
    // ECB, block by block, as CBC with a zero IV over one block.
    want.forEach((c, i) => {
      const block = plain.subarray(8 * i, 8 * i + 8);
      expect(hexEncode(tripleDesCbcEncrypt(key, new Uint8Array(8), block)).toUpperCase()).toBe(c);
      expect(tripleDesCbcDecrypt(key, new Uint8Array(8), hexDecode(c))).toEqual(block);
    });
  });

  it('single DES: key 133457799BBCDFF1, 0123456789ABCDEF → 85E813540F0AB405', () => {
    const c = tripleDesCbcEncrypt(hexDecode('133457799BBCDFF1'), new Uint8Array(8), hexDecode('0123456789ABCDEF'));
    expect(hexEncode(c)).toBe('85e813540f0ab405');
  });

  it('CBC decryption inverts encryption for 2- and 3-key TDEA', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(16, 24),
        fc.uint8Array({ minLength: 24, maxLength: 24 }),
        fc.uint8Array({ minLength: 8, maxLength: 8 }),
        fc.nat(8),
        (n, k, iv, blocks) => {
          const data = Uint8Array.from({ length: blocks * 8 }, (_, i) => i * 7);
          const key = k.subarray(0, n);
          expect(tripleDesCbcDecrypt(key, iv, tripleDesCbcEncrypt(key, iv, data))).toEqual(data);
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('RC2 (RFC 2268 §5) known answers, through decryption', () => {
  const vectors: [string, number, string, string][] = [
    ['0000000000000000', 63, '0000000000000000', 'ebb773f993278eff'],
    ['ffffffffffffffff', 64, 'ffffffffffffffff', '278b27e42e2f0d49'],
    ['3000000000000000', 64, '1000000000000001', '30649edf9be7d2c2'],
    ['88', 64, '0000000000000000', '61a8a244adacccf0'],
    ['88bca90e90875a', 64, '0000000000000000', '6ccf4308974c267f'],
    ['88bca90e90875a7f0f79c384627bafb2', 64, '0000000000000000', '1a807d272bbe5db1'],
    ['88bca90e90875a7f0f79c384627bafb2', 128, '0000000000000000', '2269552ab0f85ca6'],
    ['88bca90e90875a7f0f79c384627bafb216f80a6f85920584c42fceb0be255daf1e', 129, '0000000000000000', '5b78d3a43dfff1f1'],
  ];
  it.each(vectors)('key %s, %i effective bits', (key, bits, plain, cipher) => {
    expect(hexEncode(rc2CbcDecrypt(hexDecode(key), bits, new Uint8Array(8), hexDecode(cipher)))).toBe(plain);
  });
});

// ---------------------------------------------------------------------------------------------
// Work limits (regression, issue 5 review: PBKDF2 work before anything is authenticated)

const OID_DATA = '1.2.840.113549.1.7.1';

/** A PFX without MAC whose SafeContents holds `count` copies of one pkcs8ShroudedKeyBag. */
function macLessPfxOf(algorithm: Uint8Array, ciphertext: Uint8Array, count: number): Uint8Array {
  const bag = der.seq(
    der.oid('1.2.840.113549.1.12.10.1.2'),
    der.explicit(0, der.seq(algorithm, der.octets(ciphertext))),
  );
  const safeContents = der.seq(...Array.from({ length: count }, () => bag));
  const ci = der.seq(der.oid(OID_DATA), der.explicit(0, der.octets(safeContents)));
  return der.seq(der.int(3), der.seq(der.oid(OID_DATA), der.explicit(0, der.octets(der.seq(ci)))));
}

/** {@link macLessPfxOf} with a key really encrypted under PBES2 with `iterations`. */
async function macLessPfx(pkcs8: Uint8Array, password: string, iterations: number, count: number): Promise<Uint8Array> {
  const { algorithm, ciphertext } = await encryptPbe(pkcs8, password, { iterations });
  return macLessPfxOf(algorithm, ciphertext, count);
}

/** PBES2 / PBKDF2-HMAC-SHA-256 (`iterations`) / AES-256-CBC parameters, written by hand (RFC 8018 A.2, A.4). */
function pbes2Params(iterations: number): Uint8Array {
  const prf = der.seq(der.oid('1.2.840.113549.2.9'), der.null());
  const kdf = der.seq(
    der.oid('1.2.840.113549.1.5.12'),
    der.seq(der.octets(new Uint8Array(16)), der.int(iterations), prf),
  );
  const enc = der.seq(der.oid('2.16.840.1.101.3.4.1.42'), der.octets(new Uint8Array(16)));
  return der.seq(der.oid('1.2.840.113549.1.5.13'), der.seq(kdf, enc));
}

describe('PKCS#12 work budget and requireMac (regression, issue 5 review)', () => {
  it('refuses a file whose bags exceed maxTotalIterations, with ERR_DECODE_TOO_LARGE, before deriving the rest', async () => {
    const pfx = await macLessPfx(r50Key, 'pw', 5000, 100);
    // Without the budget the same file reads: it is the budget that refuses it.
    const all = await parsePkcs12(pfx, 'pw', { maxTotalIterations: Number.POSITIVE_INFINITY });
    expect(all.keys).toHaveLength(100);
    expect(all.mac).toBeUndefined();
    const err = await parsePkcs12(pfx, 'pw', { maxTotalIterations: 12_000 }).catch((e) => e);
    expect(err).toBeInstanceOf(DecodeError);
    expect(err.code).toBe('ERR_DECODE_TOO_LARGE');
    expect(err.message).toMatch(/maxTotalIterations/);
    expect(err.path).toMatch(/SafeContents/);
  });

  it('has a default budget of 20,000,000 iterations, charged before the derivation runs', async () => {
    // One bag of 20,000,001 iterations (maxIterations raised to let it past the per-derivation
    // limit): refused at once by the default budget, without deriving anything.
    const over = macLessPfxOf(pbes2Params(20_000_001), new Uint8Array(64), 1);
    const err = await parsePkcs12(over, 'pw', { maxIterations: 30_000_000 }).catch((e) => e);
    expect(err).toBeInstanceOf(DecodeError);
    expect(err.code).toBe('ERR_DECODE_TOO_LARGE');
    expect(err.message).toMatch(/20000000 iterations in all/);
  });

  it('counts every MAC key rule tried: a wrong empty password tries two and exceeds 1.5 rules of budget', async () => {
    const pfx = await createPkcs12({
      key: undefined,
      certificates: [r50Cert],
      password: 'x',
      dialect: 'standard',
      iterations: 1000,
    });
    // '' is tried as the BMPString of "" and as an absent password: two derivations of 1000.
    await expect(parsePkcs12(pfx, '')).rejects.toBeInstanceOf(WrongPasswordError);
    const err = await parsePkcs12(pfx, '', { maxTotalIterations: 1500 }).catch((e) => e);
    expect(err).toBeInstanceOf(DecodeError);
    expect(err.code).toBe('ERR_DECODE_TOO_LARGE');
    expect(err.path).toMatch(/macData/);
  });

  it('reads a MAC-less file as mac: undefined, and refuses it under requireMac', async () => {
    const pfx = await macLessPfx(r50Key, 'pw', 1000, 1);
    const p = await parsePkcs12(pfx, 'pw');
    expect(p.mac).toBeUndefined();
    expect(p.keys[0]?.pkcs8).toEqual(r50Key);
    const err = await parsePkcs12(pfx, 'pw', { requireMac: true }).catch((e) => e);
    expect(err).toBeInstanceOf(UnsupportedFormatError);
    expect(err.what).toBe('pfx-without-mac');
    const withMac = await createPkcs12({ key: undefined, certificates: [r50Cert], password: 'x', dialect: 'standard' });
    expect((await parsePkcs12(withMac, 'x', { requireMac: true })).certificates).toHaveLength(1);
  });
});
