// Tests of key export and wrapping (KExp15 / KImp15 of R 1323565.1.017-2018; RFC 4357 §6 key wraps): official examples, properties, misuse.

import { IntegrityError, InvalidLengthError, UnknownParameterSetError } from '@eds/gost/errors';
import { gost28147, gost28147CfbDecrypt, gost28147CfbEncrypt, gost28147Imit } from '@eds/gost/gost28147';
import { vko2012_256 } from '@eds/gost/kdf';
import {
  diversifyKekCryptoPro,
  type Kexp15Cipher,
  kexp15,
  kimp15,
  OID_GOST28147_89_CRYPTOPRO_KEYWRAP,
  OID_GOST28147_89_NONE_KEYWRAP,
  OID_KEXP15_KUZNYECHIK,
  OID_KEXP15_MAGMA,
  unwrapCryptoPro,
  unwrapGost28147,
  wrapCryptoPro,
  wrapGost28147,
} from '@eds/gost/keywrap';
import { kuznyechik } from '@eds/gost/kuznyechik';
import { magma } from '@eds/gost/magma';
import { ctr, mac } from '@eds/gost/modes';
import { at as node } from '@eds/test-support/der';
import { NOT_BYTES } from '@eds/test-support/inputs';
import { readVector } from '@eds/test-support/vectors';
import { bytesToHex, concatBytes, hexToBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const hex = bytesToHex;
const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const blockSize = (cipher: Kexp15Cipher) => (cipher === 'kuznyechik' ? 16 : 8);

/** Flips bit `bit` (0..7) of byte `at` in a copy of `data`. */
function flip(data: Uint8Array, at: number, bit: number): Uint8Array {
  const out = data.slice();
  out[at] = (out[at] as number) ^ (1 << bit);
  return out;
}

/** Runs `f` and returns what it threw (fails the test if nothing). */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an exception');
}

// R 1323565.1.017-2018, the KExp15 examples (as reproduced in PyGOST's test_wrap.py
// `TestVectorKExp15`; the Magma one also in gost-engine's test_keyexpimp.c): K is exported
// under K_Exp_ENC with K_Exp_MAC; both ciphers share the keys, each has its own IV.
const K = hexToBytes('8899aabbccddeeff0011223344556677fedcba98765432100123456789abcdef');
const K_ENC = hexToBytes('202122232425262728292a2b2c2d2e2f38393a3b3c3d3e3f3031323334353637');
const K_MAC = hexToBytes('08090a0b0c0d0e0f0001020304050607101112131415161718191a1b1c1d1e1f');
const KEXP15 = {
  magma: {
    iv: '67bed654',
    exported: 'cfd5a12d5b81b6e1e99c916d07900c6ac12703fb3abded55567bf3742c899c755dafe7b42e3a8bd9',
  },
  kuznyechik: {
    iv: '0909472dd9f26be8',
    exported: 'e36184e84e8d736ff36cc2e5ae065dc656b23c20f549b02fdff88e1f3f30d8c29a53f3ca554dbad80de152b9a4625b32',
  },
} as const;
const CIPHERS = ['kuznyechik', 'magma'] as const;

describe('KExp15 / KImp15: the examples of R 1323565.1.017-2018', () => {
  it.each(CIPHERS)('%s: KExp15 gives the published export', (cipher) => {
    const { iv, exported } = KEXP15[cipher];
    expect(hex(kexp15(cipher, K, K_ENC, K_MAC, hexToBytes(iv)))).toBe(exported);
  });

  it.each(CIPHERS)('%s: KImp15 of the published export gives K back', (cipher) => {
    const { iv, exported } = KEXP15[cipher];
    expect(hex(kimp15(cipher, hexToBytes(exported), K_ENC, K_MAC, hexToBytes(iv)))).toBe(hex(K));
  });

  it.each(CIPHERS)('%s: is CTR(K_enc, IV) over K ‖ OMAC(K_mac, IV ‖ K), recomputed from ./modes', (cipher) => {
    const create = cipher === 'kuznyechik' ? kuznyechik : magma;
    const iv = hexToBytes(KEXP15[cipher].iv);
    const tag = mac(create(K_MAC), concatBytes(iv, K));
    expect(tag.length).toBe(blockSize(cipher)); // the full block, not truncated
    expect(hex(ctr(create(K_ENC), iv).encrypt(concatBytes(K, tag)))).toBe(KEXP15[cipher].exported);
  });

  it('names the OIDs of R 1323565.1.024-2019', () => {
    expect([OID_KEXP15_MAGMA, OID_KEXP15_KUZNYECHIK]).toEqual(['1.2.643.7.1.1.7.1.1', '1.2.643.7.1.1.7.2.1']);
  });
});

describe('KExp15 / KImp15: properties', () => {
  it.each(CIPHERS)('%s: KImp15 inverts KExp15 for random keys and IVs', (cipher) => {
    const n = blockSize(cipher);
    fc.assert(
      fc.property(bytes(32), bytes(32), bytes(32), bytes(n / 2), (key, kEnc, kMac, iv) => {
        const exported = kexp15(cipher, key, kEnc, kMac, iv);
        expect(exported.length).toBe(32 + n);
        expect(hex(kimp15(cipher, exported, kEnc, kMac, iv))).toBe(hex(key));
      }),
      { numRuns: 50 },
    );
  });

  it.each(CIPHERS)('%s: every single bit flip of the export is rejected with ERR_MAC_MISMATCH', (cipher) => {
    const iv = hexToBytes(KEXP15[cipher].iv);
    const exported = hexToBytes(KEXP15[cipher].exported);
    for (let at = 0; at < exported.length; at++) {
      for (let bit = 0; bit < 8; bit++) {
        const e = thrown(() => kimp15(cipher, flip(exported, at, bit), K_ENC, K_MAC, iv));
        expect(e).toBeInstanceOf(IntegrityError);
        expect((e as IntegrityError).code).toBe('ERR_MAC_MISMATCH');
      }
    }
  });

  it.each(CIPHERS)('%s: a wrong K_enc, K_mac or IV is rejected, as is the other cipher', (cipher) => {
    const iv = hexToBytes(KEXP15[cipher].iv);
    const exported = hexToBytes(KEXP15[cipher].exported);
    expect(() => kimp15(cipher, exported, flip(K_ENC, 31, 0), K_MAC, iv)).toThrow(IntegrityError);
    expect(() => kimp15(cipher, exported, K_MAC, K_ENC, iv)).toThrow(IntegrityError); // keys swapped
    expect(() => kimp15(cipher, exported, K_ENC, flip(K_MAC, 0, 7), iv)).toThrow(IntegrityError);
    expect(() => kimp15(cipher, exported, K_ENC, K_MAC, flip(iv, 0, 0))).toThrow(IntegrityError);
    // The first 40 bytes of the Kuznyechik export read as a Magma export (and IV half of it).
    expect(() =>
      kimp15('magma', hexToBytes(KEXP15.kuznyechik.exported).subarray(0, 40), K_ENC, K_MAC, iv.subarray(0, 4)),
    ).toThrow(IntegrityError);
  });

  it.each(CIPHERS)('%s: random bit flips of random exports are rejected', (cipher) => {
    const n = blockSize(cipher);
    fc.assert(
      fc.property(
        bytes(32),
        bytes(32),
        bytes(32),
        bytes(n / 2),
        fc.nat(32 + n - 1),
        fc.nat(7),
        (key, kEnc, kMac, iv, at, bit) => {
          const exported = flip(kexp15(cipher, key, kEnc, kMac, iv), at, bit);
          expect(() => kimp15(cipher, exported, kEnc, kMac, iv)).toThrow(IntegrityError);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('leaves its inputs alone and returns fresh arrays', () => {
    const iv = hexToBytes(KEXP15.kuznyechik.iv);
    const [key, kEnc, kMac] = [K.slice(), K_ENC.slice(), K_MAC.slice()];
    const exported = kexp15('kuznyechik', key, kEnc, kMac, iv);
    const imported = kimp15('kuznyechik', exported, kEnc, kMac, iv);
    expect([hex(key), hex(kEnc), hex(kMac), hex(iv)]).toEqual([hex(K), hex(K_ENC), hex(K_MAC), KEXP15.kuznyechik.iv]);
    expect(hex(exported)).toBe(KEXP15.kuznyechik.exported);
    imported.fill(0);
    expect(hex(kimp15('kuznyechik', exported, kEnc, kMac, iv))).toBe(hex(K));
  });
});

describe('KExp15 / KImp15: misuse', () => {
  const ok = {
    kuznyechik: { iv: new Uint8Array(8), exported: new Uint8Array(48) },
    magma: { iv: new Uint8Array(4), exported: new Uint8Array(40) },
  };

  it.each(NOT_BYTES)('rejects %s in any byte argument with a TypeError', (_, bad) => {
    const b = bad as Uint8Array;
    const { iv, exported } = ok.kuznyechik;
    const z = new Uint8Array(32);
    expect(() => kexp15('kuznyechik', b, z, z, iv)).toThrow(TypeError);
    expect(() => kexp15('kuznyechik', z, b, z, iv)).toThrow(TypeError);
    expect(() => kexp15('kuznyechik', z, z, b, iv)).toThrow(TypeError);
    expect(() => kexp15('kuznyechik', z, z, z, b)).toThrow(TypeError);
    expect(() => kimp15('magma', b, z, z, ok.magma.iv)).toThrow(TypeError);
    expect(() => kimp15('kuznyechik', exported, b, z, iv)).toThrow(TypeError);
    expect(() => kimp15('kuznyechik', exported, z, b, iv)).toThrow(TypeError);
    expect(() => kimp15('kuznyechik', exported, z, z, b)).toThrow(TypeError);
  });

  it('rejects an unknown cipher with a RangeError', () => {
    const z = new Uint8Array(32);
    for (const bad of ['grasshopper', 'Kuznyechik', 'gost28147', '', undefined, 16]) {
      expect(() => kexp15(bad as Kexp15Cipher, z, z, z, new Uint8Array(8))).toThrow(RangeError);
      expect(() => kimp15(bad as Kexp15Cipher, new Uint8Array(48), z, z, new Uint8Array(8))).toThrow(RangeError);
    }
  });

  it.each(CIPHERS)('%s: wrong lengths give InvalidLengthError with the right code', (cipher) => {
    const n = blockSize(cipher);
    const { iv, exported } = ok[cipher];
    const z = new Uint8Array(32);
    const code = (f: () => unknown) => {
      const e = thrown(f);
      expect(e).toBeInstanceOf(InvalidLengthError);
      return (e as InvalidLengthError).code;
    };
    for (const len of [0, 16, 31, 33, 64]) {
      const k = new Uint8Array(len);
      expect(code(() => kexp15(cipher, k, z, z, iv))).toBe('ERR_INVALID_KEY_LENGTH');
      expect(code(() => kexp15(cipher, z, k, z, iv))).toBe('ERR_INVALID_KEY_LENGTH');
      expect(code(() => kexp15(cipher, z, z, k, iv))).toBe('ERR_INVALID_KEY_LENGTH');
      expect(code(() => kimp15(cipher, exported, k, z, iv))).toBe('ERR_INVALID_KEY_LENGTH');
      expect(code(() => kimp15(cipher, exported, z, k, iv))).toBe('ERR_INVALID_KEY_LENGTH');
    }
    for (const len of [0, n / 2 - 1, n / 2 + 1, n]) {
      expect(code(() => kexp15(cipher, z, z, z, new Uint8Array(len)))).toBe('ERR_INVALID_IV_LENGTH');
      expect(code(() => kimp15(cipher, exported, z, z, new Uint8Array(len)))).toBe('ERR_INVALID_IV_LENGTH');
    }
    for (const len of [0, 32, 32 + n - 1, 32 + n + 1, 48 + 40 - (32 + n)]) {
      expect(code(() => kimp15(cipher, new Uint8Array(len), z, z, iv))).toBe('ERR_INVALID_DATA_LENGTH');
    }
  });
});

// ---------------------------------------------------------------------------------------------
// RFC 4357 §6
// ---------------------------------------------------------------------------------------------

// Self-consistency with a spelled-out reading of RFC 4357 §6.1/§6.3/§6.5 over the ./gost28147
// primitives (`referenceDiversify`, `referenceWrap`). The official known answers are the TK26CMS
// examples below; the CryptoPro wrap is also checked against OpenSSL's CMS (gost-engine
// keyWrapCryptoPro) in keywrap.node.test.ts.
const KEK = hexToBytes('8899aabbccddeeff0011223344556677fedcba98765432100123456789abcdef');
const CEK = Uint8Array.from({ length: 32 }, (_, i) => i);
const UKM = hexToBytes('0102030405060708');
const WRAPS = ['gost28147', 'cryptopro'] as const;
const wrap = { gost28147: wrapGost28147, cryptopro: wrapCryptoPro };
const unwrap = { gost28147: unwrapGost28147, cryptopro: unwrapCryptoPro };

/** RFC 4357 §6.5 written out with the bits of each UKM byte as a list, to cross-check the module. */
function referenceDiversify(kek: Uint8Array, ukm: Uint8Array, sbox: string): Uint8Array {
  let k: Uint8Array = kek.slice();
  for (let i = 0; i < 8; i++) {
    const words = Array.from({ length: 8 }, (_, j) => new DataView(k.buffer, 4 * j, 4).getUint32(0, true));
    const bits = Array.from({ length: 8 }, (_, j) => ((ukm[i] as number) >> j) & 1);
    const sum = (want: number) => words.reduce((s, w, j) => (bits[j] === want ? (s + w) % 2 ** 32 : s), 0);
    const s = new Uint8Array(8);
    new DataView(s.buffer).setUint32(0, sum(1), true);
    new DataView(s.buffer).setUint32(4, sum(0), true);
    k = gost28147CfbEncrypt(k, s, k, { sbox, keyMeshing: false });
  }
  return k;
}

/** RFC 4357 §6.1 steps 2-4, spelled out: ECB of the CEK, IMIT from the UKM. */
function referenceWrap(kek: Uint8Array, cek: Uint8Array, ukm: Uint8Array, sbox: string): Uint8Array {
  const cipher = gost28147(kek, sbox);
  const enc = new Uint8Array(32);
  for (let at = 0; at < 32; at += 8) cipher.encryptBlock(cek, at, enc, at);
  return concatBytes(ukm, enc, gost28147Imit(kek, cek, { iv: ukm, sbox }));
}

describe('RFC 4357 §6 key wraps: known answers', () => {
  it('GOST 28147-89 key wrap (§6.1), CryptoPro-A', () => {
    const wrapped = wrapGost28147(KEK, CEK, UKM);
    expect(hex(wrapped)).toBe(hex(referenceWrap(KEK, CEK, UKM, 'cryptopro-a')));
    expect(hex(wrapped.subarray(0, 8))).toBe(hex(UKM));
    expect(hex(unwrapGost28147(KEK, wrapped))).toBe(hex(CEK));
  });

  it('CryptoPro key wrap (§6.3) = §6.1 under the diversified KEK (§6.5), CryptoPro-A and Z', () => {
    for (const sbox of ['cryptopro-a', 'tc26-z', '1.2.643.2.2.31.2']) {
      const diversified = diversifyKekCryptoPro(KEK, UKM, sbox);
      expect(hex(diversified)).toBe(hex(referenceDiversify(KEK, UKM, sbox)));
      expect(hex(wrapCryptoPro(KEK, CEK, UKM, sbox))).toBe(hex(referenceWrap(diversified, CEK, UKM, sbox)));
    }
    expect(hex(diversifyKekCryptoPro(KEK, UKM))).toBe(hex(diversifyKekCryptoPro(KEK, UKM, 'cryptopro-a')));
  });

  it('the diversification depends on every UKM bit and on the S-box', () => {
    const base = hex(diversifyKekCryptoPro(KEK, UKM));
    const seen = new Set([base]);
    for (let at = 0; at < 8; at++) {
      for (let bit = 0; bit < 8; bit++) seen.add(hex(diversifyKekCryptoPro(KEK, flip(UKM, at, bit))));
    }
    expect(seen.size).toBe(65);
    expect(hex(diversifyKekCryptoPro(KEK, UKM, 'tc26-z'))).not.toBe(base);
  });

  it('names the OIDs of RFC 4490', () => {
    expect([OID_GOST28147_89_NONE_KEYWRAP, OID_GOST28147_89_CRYPTOPRO_KEYWRAP]).toEqual([
      '1.2.643.2.2.13.0',
      '1.2.643.2.2.13.1',
    ]);
  });
});

// TC26 "TK26CMS" (2014) EnvelopedData examples, GOST 28147-89 with param Z
// (`../shared/vectors/gost/tk26cms-2014`, from PyGOST's test_cms.py, which also gives the
// recipient keys and plaintexts). Key transport wraps the CEK with the CryptoPro key wrap,
// key agreement with the plain GOST 28147-89 key wrap; KEK = VKO_GOSTR3410_2012_256 in both.
const TK26 = {
  256: {
    curve: 'cryptopro-xcha',
    // The scalar as printed (big-endian); this package takes it little-endian.
    key: 'bfcf1d623e5cdd3032a7c6eabb4a923c46e43d640ffeaaf2c3ed39a8fa399924',
    ktri: 'Test data to encrypt.\n'.repeat(100),
    kari: 'Test message',
  },
  512: {
    curve: 'tc26-512-b',
    key: '3fc01cdcd4ec5f972eb482774c41e66db7f380528dfe9e67992ba05aee462435757530e641077ce587b976c8eeb48c48fd33fd175f0c7de6a44e014e6bcb074b',
    ktri: 'Test message',
    kari: 'Test message',
  },
} as const;

/** EncryptedContentInfo { type, { GOST 28147-89, { iv, paramSet } }, [0] content } of an EnvelopedData. */
function content(der: Uint8Array, at: number) {
  return {
    iv: node(der, 1, 0, at, 1, 1, 0).value,
    sbox: node(der, 1, 0, at, 1, 1, 1).oid(),
    ciphertext: node(der, 1, 0, at, 2).value,
  };
}

describe('RFC 4357 §6 key wraps: the TK26CMS (2014) EnvelopedData examples', () => {
  it.each([256, 512] as const)('%i: KeyTransRecipientInfo, CryptoPro key wrap (§6.3)', async (bits) => {
    const v = TK26[bits];
    const der = await readVector(`gost/tk26cms-2014/TestEnvelopedKTRI_${bits}.der`);
    // ContentInfo { [0] EnvelopedData { version, { KTRI { version, rid, alg, encryptedKey } }, eci } };
    // encryptedKey = GostR3410-KeyTransport { { encryptedKey, macKey }, [0] { paramSet, [0] SPKI, ukm } }.
    const transport = node(der, 1, 0, 1, 0, 3).value;
    const ukm = node(transport, 1, 2).value;
    const sbox = node(transport, 1, 0).oid();
    expect(sbox).toBe('1.2.643.7.1.2.5.1.1');
    const ephemeral = node(transport, 1, 1, 1).value.subarray(-(bits / 4));
    const kek = vko2012_256(hexToBytes(v.key).reverse(), ephemeral, ukm, v.curve);
    const wrapped = concatBytes(ukm, node(transport, 0, 0).value, node(transport, 0, 1).value);
    const cek = unwrapCryptoPro(kek, wrapped, sbox);
    const c = content(der, 2);
    expect(new TextDecoder().decode(gost28147CfbDecrypt(cek, c.iv, c.ciphertext, { sbox: c.sbox }))).toBe(v.ktri);
    expect(hex(wrapCryptoPro(kek, cek, ukm, sbox))).toBe(hex(wrapped));
    expect(() => unwrapGost28147(kek, wrapped, sbox)).toThrow(IntegrityError);
  });

  it.each([256, 512] as const)('%i: KeyAgreeRecipientInfo, GOST 28147-89 key wrap (§6.1)', async (bits) => {
    const v = TK26[bits];
    const der = await readVector(`gost/tk26cms-2014/TestEnvelopedKARI_${bits}.der`);
    // KARI { version, [0] { [1] originatorKey { alg, BIT STRING } }, [1] ukm, alg, { { rid, encryptedKey } } };
    // encryptedKey = Gost28147-89-EncryptedKey { encryptedKey, macKey }.
    const kari = [1, 0, 1, 0];
    const originator = node(der, ...kari, 1, 0, 1).value.subarray(-(bits / 4));
    const ukm = node(der, ...kari, 2, 0).value;
    // keyEncryptionAlgorithm { agreement, { id-Gost28147-89-None-KeyWrap, { paramSet } } }.
    expect(node(der, ...kari, 3, 1, 0).oid()).toBe(OID_GOST28147_89_NONE_KEYWRAP);
    const sbox = node(der, ...kari, 3, 1, 1, 0).oid();
    expect(sbox).toBe('1.2.643.7.1.2.5.1.1');
    const encrypted = node(der, ...kari, 4, 0, 1).value;
    const kek = vko2012_256(hexToBytes(v.key).reverse(), originator, ukm, v.curve);
    const wrapped = concatBytes(ukm, node(encrypted, 0).value, node(encrypted, 1).value);
    const cek = unwrapGost28147(kek, wrapped, sbox);
    const c = content(der, 2);
    expect(new TextDecoder().decode(gost28147CfbDecrypt(cek, c.iv, c.ciphertext, { sbox: c.sbox }))).toBe(v.kari);
    expect(hex(wrapGost28147(kek, cek, ukm, sbox))).toBe(hex(wrapped));
    expect(() => unwrapCryptoPro(kek, wrapped, sbox)).toThrow(IntegrityError);
  });
});

describe('RFC 4357 §6 key wraps: properties', () => {
  it.each(WRAPS)('%s: unwrap inverts wrap for random keys, UKMs and two S-box sets', (kind) => {
    fc.assert(
      fc.property(bytes(32), bytes(32), bytes(8), fc.constantFrom('cryptopro-a', 'tc26-z'), (kek, cek, ukm, sbox) => {
        const wrapped = wrap[kind](kek, cek, ukm, sbox);
        expect(wrapped.length).toBe(44);
        expect(hex(wrapped.subarray(0, 8))).toBe(hex(ukm));
        expect(hex(unwrap[kind](kek, wrapped, sbox))).toBe(hex(cek));
      }),
      { numRuns: 50 },
    );
  });

  it('the CryptoPro wrap is the GOST 28147-89 wrap under the diversified KEK, for random inputs', () => {
    fc.assert(
      fc.property(bytes(32), bytes(32), bytes(8), fc.constantFrom('cryptopro-a', 'tc26-z'), (kek, cek, ukm, sbox) => {
        const diversified = diversifyKekCryptoPro(kek, ukm, sbox);
        expect(hex(wrapCryptoPro(kek, cek, ukm, sbox))).toBe(hex(wrapGost28147(diversified, cek, ukm, sbox)));
        expect(hex(diversified)).toBe(hex(referenceDiversify(kek, ukm, sbox)));
      }),
      { numRuns: 30 },
    );
  });

  it.each(WRAPS)('%s: every single bit flip of the 44 bytes is rejected with ERR_MAC_MISMATCH', (kind) => {
    const wrapped = wrap[kind](KEK, CEK, UKM);
    for (let at = 0; at < wrapped.length; at++) {
      for (let bit = 0; bit < 8; bit++) {
        const e = thrown(() => unwrap[kind](KEK, flip(wrapped, at, bit)));
        expect(e).toBeInstanceOf(IntegrityError);
        expect((e as IntegrityError).code).toBe('ERR_MAC_MISMATCH');
      }
    }
  });

  it.each(WRAPS)('%s: a wrong KEK or S-box set is rejected, and the two wraps differ', (kind) => {
    const wrapped = wrap[kind](KEK, CEK, UKM);
    expect(() => unwrap[kind](flip(KEK, 5, 3), wrapped)).toThrow(IntegrityError);
    expect(() => unwrap[kind](KEK, wrapped, 'tc26-z')).toThrow(IntegrityError);
    const other = kind === 'gost28147' ? 'cryptopro' : 'gost28147';
    expect(() => unwrap[other](KEK, wrapped)).toThrow(IntegrityError);
  });

  it.each(WRAPS)('%s: random bit flips of random wraps are rejected', (kind) => {
    fc.assert(
      fc.property(bytes(32), bytes(32), bytes(8), fc.nat(43), fc.nat(7), (kek, cek, ukm, at, bit) => {
        expect(() => unwrap[kind](kek, flip(wrap[kind](kek, cek, ukm), at, bit))).toThrow(IntegrityError);
      }),
      { numRuns: 50 },
    );
  });
});

describe('RFC 4357 §6 key wraps: misuse', () => {
  const z32 = new Uint8Array(32);
  const z8 = new Uint8Array(8);

  it.each(NOT_BYTES)('rejects %s in any byte argument with a TypeError', (_, bad) => {
    const b = bad as Uint8Array;
    for (const kind of WRAPS) {
      expect(() => wrap[kind](b, z32, z8)).toThrow(TypeError);
      expect(() => wrap[kind](z32, b, z8)).toThrow(TypeError);
      expect(() => wrap[kind](z32, z32, b)).toThrow(TypeError);
      expect(() => unwrap[kind](b, new Uint8Array(44))).toThrow(TypeError);
      expect(() => unwrap[kind](z32, b)).toThrow(TypeError);
    }
    expect(() => diversifyKekCryptoPro(b, z8)).toThrow(TypeError);
    expect(() => diversifyKekCryptoPro(z32, b)).toThrow(TypeError);
  });

  it('wrong lengths give InvalidLengthError with the right code', () => {
    const code = (f: () => unknown) => {
      const e = thrown(f);
      expect(e).toBeInstanceOf(InvalidLengthError);
      return (e as InvalidLengthError).code;
    };
    for (const kind of WRAPS) {
      for (const len of [0, 16, 31, 33, 64]) {
        const k = new Uint8Array(len);
        expect(code(() => wrap[kind](k, z32, z8))).toBe('ERR_INVALID_KEY_LENGTH');
        expect(code(() => wrap[kind](z32, k, z8))).toBe('ERR_INVALID_KEY_LENGTH');
        expect(code(() => unwrap[kind](k, new Uint8Array(44)))).toBe('ERR_INVALID_KEY_LENGTH');
      }
      for (const len of [0, 4, 7, 9, 16]) {
        expect(code(() => wrap[kind](z32, z32, new Uint8Array(len)))).toBe('ERR_INVALID_IV_LENGTH');
      }
      for (const len of [0, 36, 40, 43, 45, 76]) {
        expect(code(() => unwrap[kind](z32, new Uint8Array(len)))).toBe('ERR_INVALID_DATA_LENGTH');
      }
    }
    expect(code(() => diversifyKekCryptoPro(new Uint8Array(31), z8))).toBe('ERR_INVALID_KEY_LENGTH');
    expect(code(() => diversifyKekCryptoPro(z32, new Uint8Array(7)))).toBe('ERR_INVALID_IV_LENGTH');
  });

  it('an unknown S-box set gives UnknownParameterSetError', () => {
    expect(() => wrapCryptoPro(z32, z32, z8, 'nope')).toThrow(UnknownParameterSetError);
    expect(() => unwrapGost28147(z32, new Uint8Array(44), '1.2.3')).toThrow(UnknownParameterSetError);
  });
});
