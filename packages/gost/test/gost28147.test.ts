// Tests of GOST 28147-89 (RFC 5830): S-box sets, published vectors, vectors checked with OpenSSL, CFB/CNT/IMIT properties, misuse.
import { InvalidLengthError, UnknownParameterSetError } from '@eds/gost/errors';
import {
  Gost28147Cfb,
  Gost28147Cnt,
  getGost28147Sbox,
  gost28147,
  gost28147CfbDecrypt,
  gost28147CfbEncrypt,
  gost28147Cnt,
  gost28147Imit,
  listGost28147Sboxes,
} from '@eds/gost/gost28147';
import { streebog256 } from '@eds/gost/streebog';
import { NOT_BYTES } from '@eds/test-support/inputs';
import { bytesToHex, concatBytes, hexToBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const ascii = (text: string) => new TextEncoder().encode(text);
/** The byte pattern of the libgcl vectors: 07 06 .. 00 0f 0e .. 08 ... (each 8-byte group reversed). */
const gclPlaintext = (length: number) => Uint8Array.from({ length }, (_, i) => (i & ~7) | (7 - (i & 7)));
/** The message of the vectors computed with OpenSSL: bytes (131 i + 7) mod 256. */
const pattern = (length: number) => Uint8Array.from({ length }, (_, i) => (i * 131 + 7) & 0xff);
const KEY = hexToBytes('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
const IV = hexToBytes('0001020304050607');
const SIX = ['test', 'cryptopro-a', 'cryptopro-b', 'cryptopro-c', 'cryptopro-d', 'tc26-z'] as const;

function ecb(key: Uint8Array, data: Uint8Array, sbox: string, decrypt = false): Uint8Array {
  const cipher = gost28147(key, sbox);
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i += 8) {
    if (decrypt) cipher.decryptBlock(data, i, out, i);
    else cipher.encryptBlock(data, i, out, i);
  }
  return out;
}

describe('S-box parameter sets', () => {
  it('lists the six cipher sets and the two GOST R 34.11-94 sets, each box a permutation of 0..15', () => {
    const sets = listGost28147Sboxes();
    expect(sets.map((s) => s.oid)).toEqual([
      '1.2.643.2.2.31.0',
      '1.2.643.2.2.31.1',
      '1.2.643.2.2.31.2',
      '1.2.643.2.2.31.3',
      '1.2.643.2.2.31.4',
      '1.2.643.7.1.2.5.1.1',
      '1.2.643.2.2.30.0',
      '1.2.643.2.2.30.1',
    ]);
    for (const set of sets) {
      expect(set.sbox).toMatch(/^[0-9a-f]{128}$/);
      for (let j = 0; j < 8; j++) {
        expect([...set.sbox.slice(16 * j, 16 * j + 16)].sort().join(''), `${set.name} K${j + 1}`).toBe(
          '0123456789abcdef',
        );
      }
    }
  });

  it('param Z is the S-box of Magma (RFC 8891 §4.1, pi_0 .. pi_7)', () => {
    const pi = [
      [12, 4, 6, 2, 10, 5, 11, 9, 14, 8, 13, 7, 0, 3, 15, 1],
      [6, 8, 2, 3, 9, 10, 5, 12, 1, 14, 4, 7, 11, 13, 0, 15],
      [11, 3, 5, 8, 2, 15, 10, 13, 14, 1, 7, 4, 12, 9, 6, 0],
      [12, 8, 2, 1, 13, 4, 15, 6, 7, 0, 10, 5, 3, 14, 9, 11],
      [7, 15, 5, 10, 8, 1, 6, 13, 0, 9, 3, 14, 11, 4, 2, 12],
      [5, 13, 15, 6, 9, 2, 12, 10, 11, 7, 8, 1, 4, 3, 14, 0],
      [8, 14, 2, 5, 6, 9, 1, 12, 15, 4, 11, 0, 13, 10, 3, 7],
      [1, 7, 14, 13, 0, 5, 8, 3, 4, 15, 10, 6, 9, 12, 11, 2],
    ];
    expect(getGost28147Sbox('tc26-z').sbox).toBe(
      pi
        .flat()
        .map((v) => v.toString(16))
        .join(''),
    );
  });

  it('finds a set by name, ASN.1 name (any case) and OID', () => {
    expect(getGost28147Sbox('1.2.643.2.2.31.1').name).toBe('cryptopro-a');
    expect(getGost28147Sbox('id-Gost28147-89-CryptoPro-A-ParamSet').name).toBe('cryptopro-a');
    expect(getGost28147Sbox('ID-TC26-GOST-28147-PARAM-Z').name).toBe('tc26-z');
    expect(getGost28147Sbox('1.2.643.2.2.30.1').name).toBe('gostr3411-94-cryptopro');
  });

  it.each(['1.2.3', 'cryptopro-e', '', '1.2.643.2.2.31.5'])('rejects %j with UnknownParameterSetError', (id) => {
    expect(() => getGost28147Sbox(id)).toThrow(UnknownParameterSetError);
    expect(() => gost28147(KEY, id)).toThrow(UnknownParameterSetError);
    expect(() => gost28147CfbEncrypt(KEY, IV, new Uint8Array(1), { sbox: id })).toThrow(UnknownParameterSetError);
    expect(() => gost28147Imit(KEY, new Uint8Array(1), { sbox: id })).toThrow(UnknownParameterSetError);
  });
});

describe('published vectors', () => {
  // libgcl3 ECB vector with id-Gost28147-89-TestParamSet, as reproduced in PyGOST's
  // test_gost28147.py (ECBTest.test_gcl); the same values come out of OpenSSL with
  // CRYPT_PARAMS=id-Gost28147-89-TestParamSet (gost28147.node.test.ts checks that set there).
  it('ECB, test parameter set (libgcl3): 32 blocks both ways', () => {
    const key = hexToBytes('0475f6e05038fbfad2c7c390edb3ca3d1547124291ae1e8a2f79cd9ed2bcefbd');
    const ciphertext =
      '4b8c4c9815f24aea1ec35709b3bc2ed1e0d1f222652d5918f7dffc804bde5c6846537553a7460dec051f1bd30a631ab7' +
      '78c443e05d3ea40e2d7e23a91bc902bc210c84cb0d0a07c87bd0fbb51a14045ca25397712e5cc28f393f6f52f230264e' +
      '8ce0d101756ddcd303791ecad5c10e12530a78e20ab11cea3af855b97ce10bbaa0c896eb505ad36043a30f98dbd9506d' +
      '6391af0140e9755a465c1f194a0b899bc4f6f8f52f873ffa26d4f825ba1f9882fc26af2dc0f9c45849fa09800262a434' +
      '2dcb5a6bab615d08d426e00813d62e022a37e8d0cf36f1c7c03f9b2160bd292d2e01484ef88f20168abf82dc327aa318' +
      '69d150593191f26c5a5fca589ab22db2';
    expect(bytesToHex(ecb(key, gclPlaintext(256), 'test'))).toBe(ciphertext);
    expect(ecb(key, hexToBytes(ciphertext), 'test', true)).toEqual(gclPlaintext(256));
  });

  // cryptomanager.com test vectors (GOST R 34.11-94 test S-box), via PyGOST's ECBTest and CFBTest.
  const cmKey = hexToBytes('75713134b60fec45a607bb83aa3746af4ff99da6d1b53b5b1b402a1baa030d1b');
  it('ECB, GOST R 34.11-94 test S-box (cryptomanager)', () => {
    expect(bytesToHex(ecb(cmKey, hexToBytes('1122334455667788'), 'gostr3411-94-test'))).toBe('03251e14f9d28acb');
  });

  it('CFB, GOST R 34.11-94 test S-box (cryptomanager)', () => {
    const iv = hexToBytes('0102030405060708');
    const plaintext = hexToBytes('112233445566778899aabbccdd800000');
    const ciphertext = '6ee84586dd2bca0cad3616940e164242';
    const sbox = 'gostr3411-94-test';
    expect(bytesToHex(gost28147CfbEncrypt(cmKey, iv, plaintext, { sbox }))).toBe(ciphertext);
    expect(gost28147CfbDecrypt(cmKey, iv, hexToBytes(ciphertext), { sbox })).toEqual(plaintext);
  });

  // libgcl3 counter-mode vectors with the test parameter set (PyGOST CTRTest.test_gcl, test_gcl2).
  it('CNT, test parameter set (libgcl3, 253 bytes, IV 0201010101010101)', () => {
    const key = hexToBytes('0475f6e05038fbfad2c7c390edb3ca3d1547124291ae1e8a2f79cd9ed2bcefbd');
    const iv = hexToBytes('0201010101010101');
    const ciphertext =
      '4a5e376ca112d35509131a21acfbb21e8c249b57206846d5232a263512565c692a2fd1abbd45dc3a1aa45764d5e4696d' +
      'b48bf154783b108f7a4b32e0e84cbf032437956a55a8ce6f956212f679e6f01b86ef363605d86f10a1410507f8faa40b' +
      '172c71bc8bcbcf3d7418320b1cd29e75ba3e61e16196d0ee8ff29a5eb77a15aa4e1e777c99e14113f46039464c35de95' +
      'cc4fd5afd14d841a45c72af22cc0b794a308b91296b597993ab70c1456b9cb4944a993a9fb19108c6a68e87b0657f0ef' +
      '8844a6d298bed407413745a6713676694b75153390296e33cb963978192e96f3494c893da1868200cebd542965001d16' +
      '13c3fe1f8c5563091fcdd428ca';
    const plaintext = gclPlaintext(253);
    expect(bytesToHex(gost28147Cnt(key, iv, plaintext, { sbox: 'test' }))).toBe(ciphertext);
    expect(gost28147Cnt(key, iv, hexToBytes(ciphertext), { sbox: 'test' })).toEqual(plaintext);
  });

  it('CNT, test parameter set (libgcl3, 53 bytes, zero IV)', () => {
    const key = hexToBytes('fc7ad2886f455b50d29008fa622b57d5c65b3c637202025799cadf0768519e8a');
    const plaintext = concatBytes(gclPlaintext(48), hexToBytes('fffefdfcfb'));
    expect(bytesToHex(gost28147Cnt(key, new Uint8Array(8), plaintext, { sbox: 'test' }))).toBe(
      'd0be601a2cf190269b7b23b4d2cce115f60557288875eb1ed362dcda9b62ee9a57878af182379c7f13cc5538b56332c523a4cb7d51',
    );
  });

  // libgcl3 MAC vectors (PyGOST test_gost28147_mac.py, CryptoPro-A, 8-byte state; IMIT is its
  // first 4 bytes). For messages longer than 8 bytes they agree with OpenSSL.
  const macKey = concatBytes(
    ascii('This is message'),
    Uint8Array.of(0xff),
    ascii(' length'),
    Uint8Array.of(0),
    ascii('32 bytes'),
  );
  it.each([
    ['13 x', 'x'.repeat(13), '917ee1f1'],
    ['128 U', 'U'.repeat(128), '1a06d1ba'],
  ])('IMIT of %s (libgcl3)', (_, message, mac) => {
    expect(bytesToHex(gost28147Imit(macKey, ascii(message)))).toBe(mac);
  });

  // Messages of at most 8 bytes: OpenSSL's gost-mac (and the rule of GOST 28147-89 that the MAC
  // covers at least two blocks) adds an all-zero block; libgcl3/PyGOST do not, and print
  // bd5d3b5b for "a" and 28661e40 for "abc". The values here are OpenSSL's:
  //   printf abc | openssl dgst -mac gost-mac -macopt hexkey:5468...7465
  it.each([
    ['"a"', 'a', 'a97031c8'],
    ['"abc"', 'abc', '10942cd7'],
    ['"abcdefgh" (one whole block)', 'abcdefgh', '788ecffd'],
    ['the empty message', '', '00000000'],
  ])('IMIT of %s (OpenSSL, short-message rule)', (_, message, mac) => {
    expect(bytesToHex(gost28147Imit(macKey, ascii(message)))).toBe(mac);
  });
});

// Computed with OpenSSL 3 and the GOST engine, key 00..1f, IV 0001020304050607, message
// `pattern(n)`; the S-box of `enc -gost89` / `-gost89-cbc` chosen with the engine's CRYPT_PARAMS
// environment variable, e.g.
//   CRYPT_PARAMS=id-Gost28147-89-CryptoPro-B-ParamSet openssl enc -gost89 -K 0001..1f -iv 0001020304050607
describe('vectors computed with OpenSSL', () => {
  const cfb24 = {
    test: '92badd77ea70d53fb69c6fbb6e6314d7f1bb52af46177025',
    'cryptopro-a': 'cdaa876d627d2048508569228216e9b83ab3ea5c817fa012',
    'cryptopro-b': '927a07240ba436ca182ef0bb39d5317b441898372fa49a15',
    'cryptopro-c': '7dd1736490fc1cc0ae917993d1a12470e97a96f42c56e561',
    'cryptopro-d': '173b37d54e550e46ac23e333e37a09aa333e1566c6ac1f04',
    'tc26-z': '662d1b6637cb0391da27194fe5d62ec4fe306e98824a4f97',
  };
  // `openssl enc -gost89-cbc -nopad`: CBC built here from the block cipher, so the raw ECB
  // primitive is checked with every set.
  const cbc24 = {
    test: 'efd67dd7649b1101fb68d42f31a111565470fd809e4118ec',
    'cryptopro-a': '4d42f9a0834ac6c1765467a140340b0bcc0278dadc397659',
    'cryptopro-b': '3808fffd2719996733ffda7c22968efd8207ac975764344b',
    'cryptopro-c': '13d960356ede4b385322e023eece11dc99d1f52c6f41dbc9',
    'cryptopro-d': '3951f31ae760d898f290eb96046c1e03cfc559770abe7484',
    'tc26-z': 'f46b8ddda7dc32e41e79cb577a706c661012d04d68965f0c',
  };

  it.each(SIX)('CFB and CBC with S-box %s', (sbox) => {
    const message = pattern(24);
    expect(bytesToHex(gost28147CfbEncrypt(KEY, IV, message, { sbox }))).toBe(cfb24[sbox]);
    const cipher = gost28147(KEY, sbox);
    const out = new Uint8Array(24);
    let previous = IV;
    for (let i = 0; i < 24; i += 8) {
      const block = message.slice(i, i + 8).map((b, j) => b ^ (previous[j] as number));
      cipher.encryptBlock(block, 0, out, i);
      previous = out.subarray(i, i + 8);
    }
    expect(bytesToHex(out)).toBe(cbc24[sbox]);
  });

  // 2100 bytes cross two key meshings (after 1024 and 2048 bytes). The ciphertexts are compared
  // by their Streebog-256, as `openssl enc ... | openssl dgst -streebog256` printed them.
  const fingerprint = (bytes: Uint8Array) => bytesToHex(streebog256(bytes));
  it.each([
    [
      'enc -gost89 (CRYPT_PARAMS = CryptoPro-A)',
      'cryptopro-a',
      '75d84d6ab5e153af4204434dfd7f82efa9694142ce116f4017b3b8d90dc7b2e3',
    ],
    ['enc -gost89 (engine default: Z)', 'tc26-z', '624cc0313200d21cc456a5df32620ca4532ed3d146c36a37c23cb831832bdb02'],
  ])('CFB with key meshing over 2100 bytes = %s', (_, sbox, expected) => {
    const ciphertext = gost28147CfbEncrypt(KEY, IV, pattern(2100), { sbox });
    expect(fingerprint(ciphertext)).toBe(expected);
    expect(gost28147CfbDecrypt(KEY, IV, ciphertext, { sbox })).toEqual(pattern(2100));
  });

  it.each([
    ['enc -gost89-cnt', 'cryptopro-a', 'd62462b0cd4906f3eff36c7f3a59c1fde21d3b7c1b8267887f1e79402bf813f2'],
    ['enc -gost89-cnt-12', 'tc26-z', '8e98d75c209defa018b45cecd6af17aab49376b5dda3f79961cb9c4b92697c6c'],
  ])('CNT with key meshing over 2100 bytes = %s', (_, sbox, expected) => {
    expect(fingerprint(gost28147Cnt(KEY, IV, pattern(2100), { sbox }))).toBe(expected);
  });

  it.each([
    ['dgst -mac gost-mac', 'cryptopro-a', '7a2bd831'],
    ['... -macopt paramset:id-tc26-gost-28147-param-Z', 'tc26-z', '987693cc'],
  ])('IMIT with key meshing over 2100 bytes = %s', (_, sbox, expected) => {
    expect(bytesToHex(gost28147Imit(KEY, pattern(2100), { sbox }))).toBe(expected);
  });
});

describe('properties', () => {
  const key = fc.uint8Array({ minLength: 32, maxLength: 32 });
  const iv = fc.uint8Array({ minLength: 8, maxLength: 8 });
  const sbox = fc.constantFrom(...SIX);
  const cuts = fc.array(fc.nat({ max: 300 }), { maxLength: 12 });
  const message = fc.uint8Array({ maxLength: 2600 });

  /** Feeds `data` to `update` in the pieces `cuts` describes and joins the outputs. */
  function chunked(update: (d: Uint8Array) => Uint8Array, data: Uint8Array, pieces: number[]): Uint8Array {
    const out: Uint8Array[] = [];
    let at = 0;
    for (const cut of pieces) {
      const end = Math.min(data.length, at + cut);
      out.push(update(data.subarray(at, end)));
      at = end;
    }
    out.push(update(data.subarray(at)));
    return concatBytes(...out);
  }

  it('block cipher: decryptBlock inverts encryptBlock, in place too', () => {
    fc.assert(
      fc.property(key, fc.uint8Array({ minLength: 8, maxLength: 8 }), sbox, (k, block, s) => {
        const cipher = gost28147(k, s);
        const c = new Uint8Array(8);
        cipher.encryptBlock(block, 0, c, 0);
        const inPlace = Uint8Array.from(block);
        cipher.encryptBlock(inPlace, 0, inPlace, 0);
        expect(inPlace).toEqual(c);
        cipher.decryptBlock(c, 0, c, 0);
        expect(c).toEqual(block);
      }),
      { numRuns: 100 },
    );
  });

  it('CFB: decryption inverts encryption; any chunking equals one call, both ways', () => {
    fc.assert(
      fc.property(key, iv, sbox, fc.boolean(), message, cuts, cuts, (k, v, s, keyMeshing, m, c1, c2) => {
        const options = { sbox: s, keyMeshing };
        const ciphertext = gost28147CfbEncrypt(k, v, m, options);
        expect(ciphertext.length).toBe(m.length);
        const enc = new Gost28147Cfb(k, v, options);
        expect(chunked((d) => enc.update(d), m, c1)).toEqual(ciphertext);
        const dec = new Gost28147Cfb(k, v, { ...options, decrypt: true });
        expect(chunked((d) => dec.update(d), ciphertext, c2)).toEqual(m);
        expect(gost28147CfbDecrypt(k, v, ciphertext, options)).toEqual(m);
      }),
      { numRuns: 60 },
    );
  });

  it('CNT: applying it twice gives the input back; any chunking equals one call', () => {
    fc.assert(
      fc.property(key, iv, sbox, fc.boolean(), message, cuts, (k, v, s, keyMeshing, m, c) => {
        const options = { sbox: s, keyMeshing };
        const ciphertext = gost28147Cnt(k, v, m, options);
        const ctr = new Gost28147Cnt(k, v, options);
        expect(chunked((d) => ctr.update(d), m, c)).toEqual(ciphertext);
        expect(gost28147Cnt(k, v, ciphertext, options)).toEqual(m);
      }),
      { numRuns: 60 },
    );
  });

  it('key meshing changes nothing in the first 1024 bytes and everything after', () => {
    fc.assert(
      fc.property(key, iv, sbox, fc.uint8Array({ minLength: 1100, maxLength: 1100 }), (k, v, s, m) => {
        for (const run of [gost28147CfbEncrypt, gost28147Cnt]) {
          const meshed = run(k, v, m, { sbox: s });
          const plain = run(k, v, m, { sbox: s, keyMeshing: false });
          expect(meshed.subarray(0, 1024)).toEqual(plain.subarray(0, 1024));
          expect(bytesToHex(meshed.subarray(1024, 1032))).not.toBe(bytesToHex(plain.subarray(1024, 1032)));
        }
      }),
      { numRuns: 20 },
    );
  });

  it('IMIT: 4 bytes, deterministic, changed by any flipped bit of message or key', () => {
    fc.assert(
      fc.property(key, sbox, fc.uint8Array({ minLength: 1, maxLength: 2100 }), fc.nat(), (k, s, m, at) => {
        const mac = gost28147Imit(k, m, { sbox: s });
        expect(mac.length).toBe(4);
        expect(gost28147Imit(k, Uint8Array.from(m), { sbox: s })).toEqual(mac);
        const flipped = Uint8Array.from(m);
        flipped[at % m.length] = (flipped[at % m.length] as number) ^ (1 << (at % 8));
        expect(bytesToHex(gost28147Imit(k, flipped, { sbox: s }))).not.toBe(bytesToHex(mac));
        const otherKey = Uint8Array.from(k);
        otherKey[at % 32] = (otherKey[at % 32] as number) ^ 1;
        expect(bytesToHex(gost28147Imit(otherKey, m, { sbox: s }))).not.toBe(bytesToHex(mac));
      }),
      { numRuns: 60 },
    );
  });

  it('IMIT with an IV equals IMIT of the IV XORed into the first block', () => {
    fc.assert(
      fc.property(key, iv, fc.uint8Array({ minLength: 9, maxLength: 200 }), (k, v, m) => {
        const xored = Uint8Array.from(m);
        for (let i = 0; i < 8; i++) xored[i] = (xored[i] as number) ^ (v[i] as number);
        expect(gost28147Imit(k, m, { iv: v })).toEqual(gost28147Imit(k, xored));
      }),
      { numRuns: 30 },
    );
  });

  it('reads views at any offset of their buffer', () => {
    const backing = pattern(300);
    const view = backing.subarray(5, 205);
    expect(gost28147CfbEncrypt(KEY, IV, view)).toEqual(gost28147CfbEncrypt(KEY, IV, Uint8Array.from(view)));
    expect(gost28147Imit(KEY, view)).toEqual(gost28147Imit(KEY, Uint8Array.from(view)));
  });
});

describe('misuse', () => {
  it.each([0, 16, 31, 33, 64])('rejects a %i-byte key with ERR_INVALID_KEY_LENGTH', (n) => {
    const key = new Uint8Array(n);
    for (const call of [
      () => gost28147(key),
      () => gost28147CfbEncrypt(key, IV, new Uint8Array(1)),
      () => new Gost28147Cnt(key, IV),
      () => gost28147Imit(key, new Uint8Array(1)),
    ]) {
      expect(call).toThrow(InvalidLengthError);
      expect(call).toThrow(expect.objectContaining({ code: 'ERR_INVALID_KEY_LENGTH' }));
    }
  });

  it.each([0, 7, 9, 16])('rejects a %i-byte IV with ERR_INVALID_IV_LENGTH', (n) => {
    const iv = new Uint8Array(n);
    for (const call of [
      () => new Gost28147Cfb(KEY, iv),
      () => gost28147CfbDecrypt(KEY, iv, new Uint8Array(1)),
      () => gost28147Cnt(KEY, iv, new Uint8Array(1)),
      () => gost28147Imit(KEY, new Uint8Array(1), { iv }),
    ]) {
      expect(call).toThrow(expect.objectContaining({ name: 'InvalidLengthError', code: 'ERR_INVALID_IV_LENGTH' }));
    }
  });

  it.each(NOT_BYTES)('rejects %s as key, IV or data with a TypeError', (_, value) => {
    const bad = value as Uint8Array;
    const data = new Uint8Array(1);
    expect(() => gost28147(bad)).toThrow(TypeError);
    expect(() => gost28147CfbEncrypt(bad, IV, data)).toThrow(TypeError);
    expect(() => gost28147CfbEncrypt(KEY, bad, data)).toThrow(TypeError);
    expect(() => gost28147CfbEncrypt(KEY, IV, bad)).toThrow(TypeError);
    expect(() => gost28147Cnt(KEY, bad, data)).toThrow(TypeError);
    expect(() => new Gost28147Cnt(KEY, IV).update(bad)).toThrow(TypeError);
    expect(() => gost28147Imit(bad, data)).toThrow(TypeError);
    expect(() => gost28147Imit(KEY, bad)).toThrow(TypeError);
    if (value !== undefined) expect(() => gost28147Imit(KEY, data, { iv: bad })).toThrow(TypeError);
  });

  it('refuses to work after destroy()', () => {
    const cipher = gost28147(KEY);
    cipher.destroy();
    expect(() => cipher.encryptBlock(new Uint8Array(8), 0, new Uint8Array(8), 0)).toThrow(/destroyed/);
    const cfb = new Gost28147Cfb(KEY, IV);
    cfb.destroy();
    expect(() => cfb.update(new Uint8Array(1))).toThrow(/destroyed/);
    const cnt = new Gost28147Cnt(KEY, IV);
    cnt.destroy();
    expect(() => cnt.update(new Uint8Array(1))).toThrow(/destroyed/);
  });
});
