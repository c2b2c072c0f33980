// Tests of the modes of GOST R 34.13-2015 and CTR-ACPKM / OMAC-ACPKM (R 1323565.1.017-2018): official examples, properties, misuse.
import { IntegrityError, InvalidLengthError } from '@eds/gost/errors';
import { kuznyechik } from '@eds/gost/kuznyechik';
import { magma } from '@eds/gost/magma';
import {
  type BlockCipher,
  type CipherFactory,
  type CipherMode,
  type CipherStream,
  cbc,
  cfb,
  createMac,
  createOmacAcpkm,
  ctr,
  ctrAcpkm,
  ecb,
  mac,
  ofb,
  omacAcpkm,
  pad,
  unpad,
  verifyMac,
} from '@eds/gost/modes';
import { NOT_BYTES } from '@eds/test-support/inputs';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { A1, A2, ACPKM } from './_modes-vectors';

const hex = bytesToHex;

/**
 * A toy 2-round permutation of 8- or 16-byte blocks (not a cipher worth the name): the modes must
 * work over any BlockCipher, and this one is independent of the Kuznyechik and Magma code.
 */
function standIn(blockSize: 8 | 16): CipherFactory {
  return (key) => {
    const k = key.slice();
    const t = new Uint8Array(blockSize);
    const rotl = (x: number, r: number) => ((x << r) | (x >>> (8 - r))) & 0xff;
    return {
      blockSize,
      encryptBlock(src, from, dst, to) {
        for (let j = 0; j < blockSize; j++) t[j] = src[from + j] as number;
        for (let r = 0; r < 2; r++) {
          const u = t.slice();
          for (let j = 0; j < blockSize; j++) {
            t[j] = (rotl((u[(j + 1) % blockSize] as number) ^ (k[(r * 16 + j) % 32] as number), 3) + 7 * j) & 0xff;
          }
        }
        dst.set(t, to);
      },
      decryptBlock(src, from, dst, to) {
        for (let j = 0; j < blockSize; j++) t[j] = src[from + j] as number;
        for (let r = 1; r >= 0; r--) {
          const u = t.slice();
          for (let j = 0; j < blockSize; j++) {
            t[(j + 1) % blockSize] = rotl(((u[j] as number) - 7 * j) & 0xff, 5) ^ (k[(r * 16 + j) % 32] as number);
          }
        }
        dst.set(t, to);
      },
      destroy() {
        k.fill(0);
      },
    };
  };
}

const FACTORIES: readonly (readonly [string, CipherFactory, 8 | 16])[] = [
  ['Kuznyechik', kuznyechik, 16],
  ['Magma', magma, 8],
  ['a 16-byte stand-in', standIn(16), 16],
  ['an 8-byte stand-in', standIn(8), 8],
];

/** A mode under test: how to build it, its IV length in blocks (0: none, 0.5: half), whole blocks only? */
interface ModeCase {
  name: string;
  make: (cipher: BlockCipher, iv: Uint8Array) => CipherMode;
  ivBlocks: 0 | 0.5 | 1 | 2 | 3;
  wholeBlocks: boolean;
}

const MODES: readonly ModeCase[] = [
  { name: 'ECB', make: (c) => ecb(c), ivBlocks: 0, wholeBlocks: true },
  { name: 'ECB, padding 2', make: (c) => ecb(c, { padding: 2 }), ivBlocks: 0, wholeBlocks: false },
  { name: 'CBC', make: (c, iv) => cbc(c, iv), ivBlocks: 1, wholeBlocks: true },
  { name: 'CBC, m = 3n', make: (c, iv) => cbc(c, iv), ivBlocks: 3, wholeBlocks: true },
  { name: 'CBC, padding 2', make: (c, iv) => cbc(c, iv, { padding: 2 }), ivBlocks: 2, wholeBlocks: false },
  { name: 'CFB', make: (c, iv) => cfb(c, iv), ivBlocks: 1, wholeBlocks: false },
  { name: 'CFB, m = 2n', make: (c, iv) => cfb(c, iv), ivBlocks: 2, wholeBlocks: false },
  { name: 'OFB', make: (c, iv) => ofb(c, iv), ivBlocks: 1, wholeBlocks: false },
  { name: 'OFB, m = 3n', make: (c, iv) => ofb(c, iv), ivBlocks: 3, wholeBlocks: false },
  { name: 'CTR', make: (c, iv) => ctr(c, iv), ivBlocks: 0.5, wholeBlocks: false },
];

/** Feeds `data` to a stream in pieces of the given sizes (the rest as one more piece). */
function streamed(stream: CipherStream, data: Uint8Array, sizes: readonly number[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const size of sizes) {
    const end = Math.min(at + size, data.length);
    parts.push(stream.update(data.subarray(at, end)));
    at = end;
  }
  parts.push(stream.update(data.subarray(at)), stream.final());
  return concat(parts);
}

function chunked(data: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const size of sizes) {
    const end = Math.min(at + size, data.length);
    parts.push(data.subarray(at, end));
    at = end;
  }
  parts.push(data.subarray(at));
  return parts;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const key32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const chunkSizes = fc.array(fc.nat({ max: 40 }), { maxLength: 12 });

describe('GOST R 34.13-2015 A.1: Kuznyechik', () => {
  const cipher = kuznyechik(A1.key);
  const { plaintext, iv } = A1;

  it.each([
    ['ECB (A.1.1)', ecb(cipher), A1.ecb],
    ['CTR (A.1.2)', ctr(cipher, iv.subarray(0, 8)), A1.ctr],
    ['OFB (A.1.3)', ofb(cipher, iv), A1.ofb],
    ['CBC (A.1.4)', cbc(cipher, iv), A1.cbc],
    ['CFB (A.1.5)', cfb(cipher, iv), A1.cfb],
  ])('%s encrypts and decrypts', (_, mode, expected) => {
    expect(hex(mode.encrypt(plaintext))).toBe(hex(expected));
    expect(hex(mode.decrypt(expected))).toBe(hex(plaintext));
  });

  it('MAC (A.1.6), s = 64 bits', () => {
    expect(hex(mac(cipher, plaintext, 8))).toBe(hex(A1.mac));
  });

  it('MAC, full 128 bits (the value of openssl dgst -mac kuznyechik-mac)', () => {
    expect(hex(mac(cipher, plaintext))).toBe('336f4d296059fbe34ddeb35b37749c67');
  });

  it('MAC subkeys K1, K2 (A.1.6): a whole last block takes K1, a partial or empty one K2', () => {
    const e = (block: Uint8Array) => ecb(cipher).encrypt(block);
    const xor = (a: Uint8Array, b: Uint8Array) => a.map((v, i) => v ^ (b[i] as number));
    const block = plaintext.subarray(0, 16);
    expect(hex(mac(cipher, block))).toBe(hex(e(xor(block, A1.k1))));
    expect(hex(mac(cipher, new Uint8Array(0)))).toBe(hex(e(xor(pad(new Uint8Array(0), 16, 2), A1.k2))));
    expect(hex(mac(cipher, block.subarray(0, 5)))).toBe(hex(e(xor(pad(block.subarray(0, 5), 16, 2), A1.k2))));
  });
});

describe('GOST R 34.13-2015 A.2: Magma', () => {
  const cipher = magma(A2.key);
  const { plaintext, iv } = A2;

  it.each([
    ['ECB (A.2.1)', ecb(cipher), A2.ecb],
    ['CTR (A.2.2)', ctr(cipher, iv.subarray(0, 4)), A2.ctr],
    ['OFB (A.2.3)', ofb(cipher, iv.subarray(0, 16)), A2.ofb],
    ['CBC (A.2.4)', cbc(cipher, iv), A2.cbc],
    ['CFB (A.2.5)', cfb(cipher, iv.subarray(0, 16)), A2.cfb],
  ])('%s encrypts and decrypts', (_, mode, expected) => {
    expect(hex(mode.encrypt(plaintext))).toBe(hex(expected));
    expect(hex(mode.decrypt(expected))).toBe(hex(plaintext));
  });

  it('MAC (A.2.6), s = 32 bits', () => {
    expect(hex(mac(cipher, plaintext, 4))).toBe(hex(A2.mac));
  });

  it('MAC, full 64 bits (the value of openssl dgst -mac magma-mac)', () => {
    expect(hex(mac(cipher, plaintext))).toBe('154e72102030c5bb');
  });

  it('MAC subkeys K1, K2 (A.2.6)', () => {
    const e = (block: Uint8Array) => ecb(cipher).encrypt(block);
    const xor = (a: Uint8Array, b: Uint8Array) => a.map((v, i) => v ^ (b[i] as number));
    const block = plaintext.subarray(0, 8);
    expect(hex(mac(cipher, block))).toBe(hex(e(xor(block, A2.k1))));
    expect(hex(mac(cipher, block.subarray(0, 7)))).toBe(hex(e(xor(pad(block.subarray(0, 7), 8, 2), A2.k2))));
  });
});

describe('R 1323565.1.017-2018 Appendix A', () => {
  it('CTR-ACPKM with Kuznyechik, N = 256 bits', () => {
    const { iv, sectionSize, ciphertext } = ACPKM.kuznyechikCtr;
    const mode = ctrAcpkm(kuznyechik, ACPKM.key, iv, { sectionSize });
    expect(hex(mode.encrypt(ACPKM.message))).toBe(hex(ciphertext));
    expect(hex(mode.decrypt(ciphertext))).toBe(hex(ACPKM.message));
  });

  it('CTR-ACPKM with Magma, N = 128 bits', () => {
    const { iv, sectionSize, length, ciphertext } = ACPKM.magmaCtr;
    const mode = ctrAcpkm(magma, ACPKM.key, iv, { sectionSize });
    expect(hex(mode.encrypt(ACPKM.message.subarray(0, length)))).toBe(hex(ciphertext));
  });

  it('the first section of CTR-ACPKM is CTR (34.13 A.1.2)', () => {
    const { iv, sectionSize } = ACPKM.kuznyechikCtr;
    const head = ctrAcpkm(kuznyechik, ACPKM.key, iv, { sectionSize }).encrypt(A1.plaintext).subarray(0, sectionSize);
    expect(hex(head)).toBe(hex(A1.ctr.subarray(0, sectionSize)));
  });

  it('ACPKM-Master(T* = 768, K, 384, 3): CTR-ACPKM over zeros with IV 1^64', () => {
    const { iv, sectionSize, keyMaterial } = ACPKM.master;
    const out = ctrAcpkm(kuznyechik, ACPKM.key, iv, { sectionSize }).encrypt(new Uint8Array(keyMaterial.length));
    expect(hex(out)).toBe(hex(keyMaterial));
  });

  it('ACPKM-Master(T* = 640, K, 320, 3) with Magma', () => {
    const { iv, sectionSize, keyMaterial } = ACPKM.magmaMaster;
    const out = ctrAcpkm(magma, ACPKM.key, iv, { sectionSize }).encrypt(new Uint8Array(keyMaterial.length));
    expect(hex(out)).toBe(hex(keyMaterial));
  });

  // ACPKM is internal; section i + 1 of CTR-ACPKM is CTR under K^{i+1} with the counter run on.
  it.each([
    ['Kuznyechik', kuznyechik, 16, ACPKM.kuznyechikKeys],
    ['Magma', magma, 8, ACPKM.magmaKeys],
  ] as const)('the section keys K^2, K^3, K^4 of CTR-ACPKM with %s', (_, create, n, keys) => {
    const iv = new Uint8Array(n / 2).fill(0x33);
    const zeros = new Uint8Array(8 * n);
    const gamma = ctrAcpkm(create, ACPKM.key, iv, { sectionSize: 2 * n }).encrypt(zeros);
    keys.forEach((key, i) => {
      const section = [(2 * i + 2) * n, (2 * i + 4) * n] as const;
      const expected = ctr(create(key), iv)
        .encrypt(zeros)
        .subarray(...section);
      expect(hex(gamma.subarray(...section)), `K^${i + 2}`).toBe(hex(expected));
    });
  });

  it.each([
    ...ACPKM.omac.cases.map((c) => ['Kuznyechik', kuznyechik, ACPKM.omac, c] as const),
    ...ACPKM.magmaOmac.cases.map((c) => ['Magma', magma, ACPKM.magmaOmac, c] as const),
  ])('OMAC-ACPKM with %s, example %#', (_, create, { sectionSize, masterSectionSize }, { length, mac: expected }) => {
    const data = ACPKM.message.subarray(0, length);
    expect(hex(omacAcpkm(create, ACPKM.key, data, { sectionSize, masterSectionSize }))).toBe(hex(expected));
  });
});

describe('padding (34.13 §4.1)', () => {
  const bytes = (...values: number[]) => Uint8Array.from(values);

  it.each([
    [1, bytes(1, 2, 3), '0102030000000000'],
    [1, new Uint8Array(8).fill(9), '0909090909090909'],
    [1, bytes(), ''],
    [2, bytes(1, 2, 3), '0102038000000000'],
    [2, new Uint8Array(8).fill(9), '09090909090909098000000000000000'],
    [2, bytes(), '8000000000000000'],
    [3, bytes(1, 2, 3), '0102038000000000'],
    [3, new Uint8Array(8).fill(9), '0909090909090909'],
    [3, bytes(), ''],
  ] as const)('procedure %i of %o', (procedure, data, expected) => {
    expect(hex(pad(data, 8, procedure))).toBe(expected);
  });

  it('procedure 2 round-trips for every length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.constantFrom(8, 16), (data, n) => {
        expect(hex(unpad(pad(data, n, 2), n))).toBe(hex(data));
      }),
    );
  });

  it.each([
    ['all zeros', '0000000000000000'],
    ['a last byte other than 80 or 00', '0102030405060701'],
    ['81 before the zeros', '0102038100000000'],
    ['no marker, non-zero data', '0102030405060708'],
  ])('rejects %s with IntegrityError ERR_BAD_PADDING', (_, block) => {
    expect(() => unpad(hexToBytes(block), 8)).toThrow(expect.objectContaining({ code: 'ERR_BAD_PADDING' }));
    expect(() => unpad(hexToBytes(block), 8)).toThrow(IntegrityError);
  });

  it('a block of 80 00...00 is all padding', () => {
    expect(unpad(hexToBytes('0102030405060708' + '8000000000000000'), 8)).toEqual(hexToBytes('0102030405060708'));
  });

  it('CBC with padding 2 decrypts to the message and rejects a bad last block', () => {
    const mode = cbc(kuznyechik(A1.key), A1.iv.subarray(0, 16), { padding: 2 });
    const ct = mode.encrypt(A1.plaintext.subarray(0, 20));
    expect(ct.length).toBe(32);
    expect(hex(mode.decrypt(ct))).toBe(hex(A1.plaintext.subarray(0, 20)));
    // The ciphertext of a whole-block message without padding does not end in valid padding No. 2.
    const raw = cbc(kuznyechik(A1.key), A1.iv.subarray(0, 16)).encrypt(A1.plaintext);
    expect(() => mode.decrypt(raw)).toThrow(expect.objectContaining({ code: 'ERR_BAD_PADDING' }));
  });

  it('ECB and CBC with padding 1 and 3 keep the padding in the plaintext', () => {
    const cipher = magma(A2.key);
    for (const padding of [1, 3] as const) {
      const data = A2.plaintext.subarray(0, 13);
      const mode = cbc(cipher, A2.iv.subarray(0, 8), { padding });
      expect(hex(mode.decrypt(mode.encrypt(data)))).toBe(hex(pad(data, 8, padding)));
      expect(hex(ecb(cipher, { padding }).encrypt(data))).toBe(hex(ecb(cipher).encrypt(pad(data, 8, padding))));
    }
  });
});

describe.each(FACTORIES)('properties over %s', (_, create, n) => {
  const ivFor = (bytes: Uint8Array, blocks: number) => bytes.subarray(0, blocks * n);
  const fitted = (data: Uint8Array, whole: boolean) =>
    whole ? data.subarray(0, data.length - (data.length % n)) : data;

  describe.each(MODES)('$name', ({ make, ivBlocks, wholeBlocks }) => {
    it('decrypt(encrypt(x)) = x for random keys, IVs and data', () => {
      fc.assert(
        fc.property(
          key32,
          fc.uint8Array({ minLength: 48, maxLength: 48 }),
          fc.uint8Array({ maxLength: 200 }),
          (k, ivBytes, raw) => {
            const mode = make(create(k), ivFor(ivBytes, ivBlocks));
            const data = fitted(raw, wholeBlocks);
            expect(hex(mode.decrypt(mode.encrypt(data)))).toBe(hex(data));
          },
        ),
        { numRuns: 40 },
      );
    });

    it('streaming with random chunkings equals one-shot, both ways', () => {
      fc.assert(
        fc.property(
          key32,
          fc.uint8Array({ minLength: 48, maxLength: 48 }),
          fc.uint8Array({ maxLength: 200 }),
          chunkSizes,
          chunkSizes,
          (k, ivBytes, raw, encSizes, decSizes) => {
            const mode = make(create(k), ivFor(ivBytes, ivBlocks));
            const data = fitted(raw, wholeBlocks);
            const ct = mode.encrypt(data);
            expect(hex(streamed(mode.encryptor(), data, encSizes))).toBe(hex(ct));
            expect(hex(streamed(mode.decryptor(), ct, decSizes))).toBe(hex(data));
          },
        ),
        { numRuns: 40 },
      );
    });
  });

  it('CTR-ACPKM: round trip and random chunkings across many small sections', () => {
    fc.assert(
      fc.property(
        key32,
        fc.uint8Array({ minLength: n / 2, maxLength: n / 2 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.integer({ min: 1, max: 4 }),
        chunkSizes,
        (k, iv, data, sectionBlocks, sizes) => {
          const mode = ctrAcpkm(create, k, iv, { sectionSize: sectionBlocks * n });
          const ct = mode.encrypt(data);
          expect(hex(mode.decrypt(ct))).toBe(hex(data));
          expect(hex(streamed(mode.encryptor(), data, sizes))).toBe(hex(ct));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('CTR-ACPKM: the first section is plain CTR, later ones are not', () => {
    fc.assert(
      fc.property(key32, fc.uint8Array({ minLength: n / 2, maxLength: n / 2 }), (k, iv) => {
        const zeros = new Uint8Array(4 * n);
        const a = ctrAcpkm(create, k, iv, { sectionSize: 2 * n }).encrypt(zeros);
        const b = ctr(create(k), iv).encrypt(zeros);
        expect(hex(a.subarray(0, 2 * n))).toBe(hex(b.subarray(0, 2 * n)));
        expect(hex(a.subarray(2 * n))).not.toBe(hex(b.subarray(2 * n)));
      }),
      { numRuns: 10 },
    );
  });

  it('MAC: streaming with random chunkings equals one-shot', () => {
    fc.assert(
      fc.property(
        key32,
        fc.uint8Array({ maxLength: 200 }),
        chunkSizes,
        fc.integer({ min: 1, max: n }),
        (k, data, sizes, s) => {
          const cipher = create(k);
          const stream = createMac(cipher, s);
          for (const part of chunked(data, sizes)) stream.update(part);
          expect(hex(stream.digest())).toBe(hex(mac(cipher, data, s)));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('MAC: a flipped bit anywhere changes the MAC', () => {
    fc.assert(
      fc.property(key32, fc.uint8Array({ minLength: 1, maxLength: 100 }), fc.nat(), (k, data, bit) => {
        const cipher = create(k);
        const flipped = data.slice();
        const at = bit % (data.length * 8);
        flipped[at >> 3] = (flipped[at >> 3] as number) ^ (1 << (at & 7));
        expect(hex(mac(cipher, flipped))).not.toBe(hex(mac(cipher, data)));
      }),
      { numRuns: 60 },
    );
  });

  it('MAC: appending a zero byte or 80 changes the MAC (K1 / K2 separate the cases)', () => {
    fc.assert(
      fc.property(key32, fc.uint8Array({ maxLength: 40 }), (k, data) => {
        const cipher = create(k);
        const tag = hex(mac(cipher, data));
        expect(hex(mac(cipher, concat([data, Uint8Array.of(0)])))).not.toBe(tag);
        expect(hex(mac(cipher, pad(data, n, 2)))).not.toBe(tag);
      }),
      { numRuns: 30 },
    );
  });

  it('OMAC-ACPKM: streaming equals one-shot; a flipped bit changes it; one section is OMAC', () => {
    fc.assert(
      fc.property(
        key32,
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 3 }),
        chunkSizes,
        fc.nat(),
        (k, data, sectionBlocks, sizes, bit) => {
          const options = { sectionSize: sectionBlocks * n, masterSectionSize: 2 * n };
          const tag = hex(omacAcpkm(create, k, data, options));
          const stream = createOmacAcpkm(create, k, options);
          for (const part of chunked(data, sizes)) stream.update(part);
          expect(hex(stream.digest())).toBe(tag);
          const flipped = data.slice();
          const at = bit % (data.length * 8);
          flipped[at >> 3] = (flipped[at >> 3] as number) ^ (1 << (at & 7));
          expect(hex(omacAcpkm(create, k, flipped, options))).not.toBe(tag);
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('OMAC-ACPKM and OMAC', () => {
  // With one section the key and K1 are the first k + n bits of ACPKM-Master, so OMAC-ACPKM is
  // OMAC1 under the key K^1 with K1 replaced; it differs from OMAC under K itself.
  it('differs from the MAC of 34.13 §5.6 under the same key', () => {
    expect(hex(omacAcpkm(kuznyechik, A1.key, A1.plaintext))).not.toBe(hex(mac(kuznyechik(A1.key), A1.plaintext)));
  });

  it('truncates to `length` bytes', () => {
    const full = omacAcpkm(magma, A2.key, A2.plaintext);
    expect(full.length).toBe(8);
    expect(hex(omacAcpkm(magma, A2.key, A2.plaintext, { length: 3 }))).toBe(hex(full.subarray(0, 3)));
  });
});

describe('defaults', () => {
  it('CTR-ACPKM: N = 4096 bytes for Kuznyechik, 1024 for Magma', () => {
    const data = new Uint8Array(9000);
    const iv16 = new Uint8Array(8);
    const iv8 = new Uint8Array(4);
    expect(hex(ctrAcpkm(kuznyechik, A1.key, iv16).encrypt(data))).toBe(
      hex(ctrAcpkm(kuznyechik, A1.key, iv16, { sectionSize: 4096 }).encrypt(data)),
    );
    expect(hex(ctrAcpkm(magma, A1.key, iv8).encrypt(data))).toBe(
      hex(ctrAcpkm(magma, A1.key, iv8, { sectionSize: 1024 }).encrypt(data)),
    );
  });

  it('OMAC-ACPKM: N = 4096 and T* = the CTR-ACPKM default', () => {
    const data = new Uint8Array(5000).map((_, i) => i);
    expect(hex(omacAcpkm(kuznyechik, A1.key, data))).toBe(
      hex(omacAcpkm(kuznyechik, A1.key, data, { sectionSize: 4096, masterSectionSize: 4096 })),
    );
    expect(hex(omacAcpkm(magma, A1.key, data))).toBe(
      hex(omacAcpkm(magma, A1.key, data, { sectionSize: 4096, masterSectionSize: 1024 })),
    );
  });
});

describe('verifyMac', () => {
  const tag = hexToBytes('336f4d296059fbe3');

  it('accepts an equal MAC', () => {
    expect(() => verifyMac(tag, tag.slice())).not.toThrow();
  });

  it.each([
    ['one bit differs', hexToBytes('336f4d296059fbe2')],
    ['the first byte differs', hexToBytes('326f4d296059fbe3')],
    ['shorter', tag.subarray(0, 7)],
    ['longer', hexToBytes('336f4d296059fbe300')],
    ['empty', new Uint8Array(0)],
  ])('rejects a MAC where %s with IntegrityError ERR_MAC_MISMATCH', (_, received) => {
    expect(() => verifyMac(tag, received)).toThrow(IntegrityError);
    expect(() => verifyMac(tag, received)).toThrow(expect.objectContaining({ code: 'ERR_MAC_MISMATCH' }));
  });
});

describe('bad input', () => {
  const k16 = kuznyechik(A1.key);
  const m8 = magma(A2.key);
  const ivError = expect.objectContaining({ code: 'ERR_INVALID_IV_LENGTH' });
  const dataError = expect.objectContaining({ code: 'ERR_INVALID_DATA_LENGTH' });

  it.each([
    ['CTR, Kuznyechik', () => ctr(k16, new Uint8Array(16)), () => ctr(k16, new Uint8Array(7))],
    ['CTR, Magma', () => ctr(m8, new Uint8Array(8)), () => ctr(m8, new Uint8Array(0))],
    [
      'CTR-ACPKM',
      () => ctrAcpkm(kuznyechik, A1.key, new Uint8Array(16)),
      () => ctrAcpkm(magma, A1.key, new Uint8Array(8)),
    ],
    ['CBC', () => cbc(k16, new Uint8Array(8)), () => cbc(k16, new Uint8Array(0))],
    ['CBC, 1.5 blocks', () => cbc(m8, new Uint8Array(12)), () => cbc(k16, new Uint8Array(24))],
    ['CFB', () => cfb(k16, new Uint8Array(15)), () => cfb(m8, new Uint8Array(4))],
    ['OFB', () => ofb(k16, new Uint8Array(17)), () => ofb(m8, new Uint8Array(0))],
  ])('%s rejects IVs of the wrong length with InvalidLengthError', (_, a, b) => {
    expect(a).toThrow(InvalidLengthError);
    expect(a).toThrow(ivError);
    expect(b).toThrow(ivError);
  });

  it('ECB and CBC without padding want whole blocks, in one shot and streaming', () => {
    for (const mode of [ecb(k16), cbc(k16, new Uint8Array(16)), cbc(m8, new Uint8Array(8))]) {
      expect(() => mode.encrypt(new Uint8Array(17))).toThrow(dataError);
      expect(() => mode.decrypt(new Uint8Array(15))).toThrow(dataError);
      const enc = mode.encryptor();
      enc.update(new Uint8Array(5));
      expect(() => enc.final()).toThrow(InvalidLengthError);
    }
  });

  it('a padding-2 decryptor wants at least one whole block', () => {
    for (const data of [new Uint8Array(0), new Uint8Array(8), new Uint8Array(24)]) {
      expect(() => cbc(k16, new Uint8Array(16), { padding: 2 }).decrypt(data)).toThrow(dataError);
    }
  });

  it.each(NOT_BYTES)('%s instead of bytes is a TypeError', (_, value) => {
    const bad = value as Uint8Array;
    expect(() => ctr(k16, bad)).toThrow(TypeError);
    expect(() => cbc(k16, bad)).toThrow(TypeError);
    expect(() => cfb(k16, bad)).toThrow(TypeError);
    expect(() => ofb(k16, bad)).toThrow(TypeError);
    expect(() => ctrAcpkm(kuznyechik, bad, new Uint8Array(8))).toThrow(TypeError);
    expect(() => ctrAcpkm(kuznyechik, A1.key, bad)).toThrow(TypeError);
    expect(() => ecb(k16).encrypt(bad)).toThrow(TypeError);
    expect(() => ctr(k16, new Uint8Array(8)).decrypt(bad)).toThrow(TypeError);
    expect(() => ofb(k16, new Uint8Array(16)).encryptor().update(bad)).toThrow(TypeError);
    expect(() => mac(k16, bad)).toThrow(TypeError);
    expect(() => createMac(k16).update(bad)).toThrow(TypeError);
    expect(() => omacAcpkm(kuznyechik, A1.key, bad)).toThrow(TypeError);
    expect(() => omacAcpkm(kuznyechik, bad, new Uint8Array(1))).toThrow(TypeError);
    expect(() => verifyMac(bad, new Uint8Array(4))).toThrow(TypeError);
    expect(() => verifyMac(new Uint8Array(4), bad)).toThrow(TypeError);
    expect(() => pad(bad, 8, 2)).toThrow(TypeError);
    expect(() => unpad(bad, 8)).toThrow(TypeError);
  });

  it('something other than a BlockCipher is a TypeError', () => {
    for (const bad of [null, undefined, {}, { blockSize: 12, encryptBlock() {} }, { blockSize: 16 }]) {
      expect(() => ecb(bad as unknown as BlockCipher)).toThrow(TypeError);
      expect(() => mac(bad as unknown as BlockCipher, new Uint8Array(1))).toThrow(TypeError);
    }
  });

  it('ACPKM keys must be 32 bytes', () => {
    expect(() => ctrAcpkm(kuznyechik, new Uint8Array(16), new Uint8Array(8))).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_KEY_LENGTH' }),
    );
    expect(() => createOmacAcpkm(magma, new Uint8Array(33))).toThrow(InvalidLengthError);
  });

  it('out-of-range options are RangeErrors', () => {
    expect(() => mac(k16, new Uint8Array(1), 0)).toThrow(RangeError);
    expect(() => mac(k16, new Uint8Array(1), 17)).toThrow(RangeError);
    expect(() => mac(m8, new Uint8Array(1), 9)).toThrow(RangeError);
    expect(() => createMac(m8, 2.5)).toThrow(RangeError);
    expect(() => ecb(k16, { padding: 4 as 1 })).toThrow(RangeError);
    expect(() => cbc(k16, new Uint8Array(16), { padding: 0 as 1 })).toThrow(RangeError);
    for (const sectionSize of [0, -16, 24, 16.5, Number.NaN]) {
      expect(() => ctrAcpkm(kuznyechik, A1.key, new Uint8Array(8), { sectionSize })).toThrow(RangeError);
      expect(() => createOmacAcpkm(kuznyechik, A1.key, { sectionSize })).toThrow(RangeError);
      expect(() => createOmacAcpkm(kuznyechik, A1.key, { masterSectionSize: sectionSize })).toThrow(RangeError);
    }
    expect(() => createOmacAcpkm(magma, A1.key, { length: 9 })).toThrow(RangeError);
    expect(() => pad(new Uint8Array(1), 12, 2)).toThrow(RangeError);
    expect(() => pad(new Uint8Array(1), 8, 4 as 2)).toThrow(RangeError);
  });

  it('a stream or MAC cannot be used after final() / digest()', () => {
    const enc = ctr(k16, new Uint8Array(8)).encryptor();
    enc.final();
    expect(() => enc.update(new Uint8Array(1))).toThrow(/final/);
    expect(() => enc.final()).toThrow(/final/);
    const stream = createMac(m8);
    stream.digest();
    expect(() => stream.update(new Uint8Array(1))).toThrow(/digest/);
    expect(() => stream.digest()).toThrow(/digest/);
  });

  it('a failed padding check returns no plaintext and ends the stream', () => {
    const first = A1.plaintext.subarray(0, 16);
    // The last block decrypts to zeros: no 80 marker.
    const ct = concat([ecb(k16).encrypt(first), ecb(k16).encrypt(new Uint8Array(16))]);
    const dec = ecb(k16, { padding: 2 }).decryptor();
    expect(hex(dec.update(ct))).toBe(hex(first));
    expect(() => dec.final()).toThrow(IntegrityError);
    expect(() => dec.final()).toThrow(/final/);
  });
});
