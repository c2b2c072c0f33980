// The tests every GOST R 34.12-2015 block cipher must pass, shared by kuznyechik.test.ts and magma.test.ts:
// block access at offsets, properties, misuse. Each cipher's official examples stay in its own file.
import { InvalidLengthError } from '@eds/gost/errors';
import type { BlockCipher } from '@eds/gost/modes';
import { NOT_BYTES } from '@eds/test-support/inputs';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** ECB over whole blocks with encryptBlock or decryptBlock, into a new array. */
export function ecb(cipher: BlockCipher, data: Uint8Array, direction: 'encrypt' | 'decrypt' = 'encrypt'): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let at = 0; at < data.length; at += cipher.blockSize) {
    if (direction === 'encrypt') cipher.encryptBlock(data, at, out, at);
    else cipher.decryptBlock(data, at, out, at);
  }
  return out;
}

/** ECB on hex strings with a fresh instance of the cipher for each call. */
export function ecbHex(create: (key: Uint8Array) => BlockCipher) {
  return {
    encryptHex: (key: string, data: string) => bytesToHex(ecb(create(hexToBytes(key)), hexToBytes(data))),
    decryptHex: (key: string, data: string) => bytesToHex(ecb(create(hexToBytes(key)), hexToBytes(data), 'decrypt')),
  };
}

export interface BlockCipherContract {
  /** The cipher for a 32-byte key (both ciphers of GOST R 34.12-2015 take 256-bit keys). */
  create: (key: Uint8Array) => BlockCipher;
  blockSize: 8 | 16;
  /** One official example: the key, a block and its ciphertext, in hex. */
  key: string;
  plainHex: string;
  cipherHex: string;
  /** The private Int32Array that holds the round keys, which destroy() must zero. */
  scheduleField: string;
}

/** Registers the describe blocks 'block access', 'properties' and 'misuse' for one cipher. */
export function describeBlockCipherContract({
  create,
  blockSize,
  key: KEY,
  plainHex,
  cipherHex,
  scheduleField,
}: BlockCipherContract): void {
  const { encryptHex } = ecbHex(create);

  describe('block access', () => {
    it('reads and writes at the given offsets and touches nothing else', () => {
      const cipher = create(hexToBytes(KEY));
      const src = new Uint8Array(40).fill(0xaa);
      src.set(hexToBytes(plainHex), 7);
      const dst = new Uint8Array(40).fill(0x55);
      cipher.encryptBlock(src, 7, dst, 21);
      expect(bytesToHex(dst.subarray(21, 21 + blockSize))).toBe(cipherHex);
      expect([...dst.subarray(0, 21), ...dst.subarray(21 + blockSize)]).toEqual(new Array(40 - blockSize).fill(0x55));
      cipher.decryptBlock(dst, 21, dst, 3);
      expect(bytesToHex(dst.subarray(3, 3 + blockSize))).toBe(plainHex);
    });

    it('reads views at any offset of their buffer', () => {
      const backing = new Uint8Array(64);
      backing.set(hexToBytes(plainHex), 33);
      const view = backing.subarray(30, 60);
      const out = new Uint8Array(blockSize);
      create(hexToBytes(KEY)).encryptBlock(view, 3, out, 0);
      expect(bytesToHex(out)).toBe(cipherHex);
    });
  });

  describe('properties', () => {
    const key = fc.uint8Array({ minLength: 32, maxLength: 32 });
    const block = fc.uint8Array({ minLength: blockSize, maxLength: blockSize });

    it('decryptBlock(encryptBlock(x)) = x for random keys and blocks', () => {
      fc.assert(
        fc.property(key, fc.uint8Array({ minLength: blockSize, maxLength: 10 * blockSize }), (k, data) => {
          const blocks = data.subarray(0, data.length - (data.length % blockSize));
          const cipher = create(k);
          const encrypted = ecb(cipher, blocks);
          expect(bytesToHex(ecb(cipher, encrypted, 'decrypt'))).toBe(bytesToHex(blocks));
          // and the other way round: the cipher is a permutation.
          expect(bytesToHex(ecb(cipher, ecb(cipher, blocks, 'decrypt')))).toBe(bytesToHex(blocks));
        }),
        { numRuns: 200 },
      );
    });

    it('in place (src === dst, same offset) equals out of place', () => {
      fc.assert(
        fc.property(key, block, (k, x) => {
          const cipher = create(k);
          const out = new Uint8Array(blockSize);
          cipher.encryptBlock(x, 0, out, 0);
          const inPlace = Uint8Array.from(x);
          cipher.encryptBlock(inPlace, 0, inPlace, 0);
          expect(bytesToHex(inPlace)).toBe(bytesToHex(out));
          cipher.decryptBlock(inPlace, 0, inPlace, 0);
          expect(bytesToHex(inPlace)).toBe(bytesToHex(x));
        }),
        { numRuns: 100 },
      );
    });

    it('distinct keys give distinct ciphertexts of the same block', () => {
      fc.assert(
        fc.property(key, fc.nat({ max: 255 }), block, (k, at, x) => {
          const other = Uint8Array.from(k);
          other[at % 32] = (other[at % 32] ?? 0) ^ (1 << (at % 8));
          expect(bytesToHex(ecb(create(other), x))).not.toBe(bytesToHex(ecb(create(k), x)));
        }),
        { numRuns: 100 },
      );
    });

    it('instances with different keys do not disturb each other', () => {
      fc.assert(
        fc.property(key, key, block, (k1, k2, x) => {
          const expected1 = bytesToHex(ecb(create(k1), x));
          const expected2 = bytesToHex(ecb(create(k2), x));
          const c1 = create(k1);
          const c2 = create(k2);
          expect(bytesToHex(ecb(c1, x))).toBe(expected1);
          expect(bytesToHex(ecb(c2, x))).toBe(expected2);
          expect(bytesToHex(ecb(c1, x))).toBe(expected1);
        }),
        { numRuns: 30 },
      );
    });
  });

  describe('misuse', () => {
    it.each([0, 16, 31, 33, 64])('rejects a %i-byte key with InvalidLengthError ERR_INVALID_KEY_LENGTH', (length) => {
      const attempt = () => create(new Uint8Array(length));
      expect(attempt).toThrow(InvalidLengthError);
      expect(attempt).toThrow(expect.objectContaining({ code: 'ERR_INVALID_KEY_LENGTH' }));
    });

    it.each(NOT_BYTES)('rejects %s as the key with a TypeError', (_, input) => {
      expect(() => create(input as unknown as Uint8Array)).toThrow(TypeError);
    });

    // The chosen behaviour: after destroy() every call throws (rather than silently using a wiped key).
    it('throws on every call after destroy(), and other instances keep working', () => {
      const cipher = create(hexToBytes(KEY));
      const twin = create(hexToBytes(KEY));
      const block = new Uint8Array(blockSize);
      cipher.destroy();
      expect(() => cipher.encryptBlock(block, 0, block, 0)).toThrow(/destroyed/);
      expect(() => cipher.decryptBlock(block, 0, block, 0)).toThrow(/destroyed/);
      // White-box: the round keys themselves are zeroed, not just fenced off.
      const schedule = (cipher as unknown as Record<string, unknown>)[scheduleField];
      expect(schedule).toBeInstanceOf(Int32Array);
      expect((schedule as Int32Array).every((word) => word === 0)).toBe(true);
      expect(encryptHex(KEY, plainHex)).toBe(cipherHex);
      expect(bytesToHex(ecb(twin, hexToBytes(plainHex)))).toBe(cipherHex);
    });

    it('does not keep a reference to the caller’s key array', () => {
      const key = hexToBytes(KEY);
      const cipher = create(key);
      key.fill(0);
      expect(bytesToHex(ecb(cipher, hexToBytes(plainHex)))).toBe(cipherHex);
    });
  });
}
