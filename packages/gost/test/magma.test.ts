// Tests of Magma (GOST R 34.12-2015, RFC 8891): official examples, the GOST R 34.13-2015 ECB example, properties, misuse.
import { InvalidLengthError } from '@eds/gost/errors';
import { type BlockCipher, magma, OID_MAGMA } from '@eds/gost/magma';
import { NOT_BYTES } from '@eds/test-support/inputs';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// All hex below is as RFC 8891 and GOST R 34.13-2015 print it, which is also the byte order of
// OpenSSL's magma-cbc: no reversal (checked in magma.node.test.ts).
const KEY = 'ffeeddccbbaa99887766554433221100f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff';

/** ECB over whole blocks with encryptBlock or decryptBlock, into a new array. */
function ecb(cipher: BlockCipher, data: Uint8Array, direction: 'encrypt' | 'decrypt' = 'encrypt'): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let at = 0; at < data.length; at += 8) {
    if (direction === 'encrypt') cipher.encryptBlock(data, at, out, at);
    else cipher.decryptBlock(data, at, out, at);
  }
  return out;
}

const encryptHex = (key: string, block: string) => bytesToHex(ecb(magma(hexToBytes(key)), hexToBytes(block)));
const decryptHex = (key: string, block: string) =>
  bytesToHex(ecb(magma(hexToBytes(key)), hexToBytes(block), 'decrypt'));

describe('official examples', () => {
  it('RFC 8891 A.4: encryption of fedcba9876543210', () => {
    expect(encryptHex(KEY, 'fedcba9876543210')).toBe('4ee901e5c2d8ca3d');
  });

  it('RFC 8891 A.5: decryption of 4ee901e5c2d8ca3d', () => {
    expect(decryptHex(KEY, '4ee901e5c2d8ca3d')).toBe('fedcba9876543210');
  });

  // GOST R 34.13-2015 Appendix A.2.1: ECB with the key of RFC 8891, four blocks.
  const plaintext = '92def06b3c130a59' + 'db54c704f8189d20' + '4a98fb2e67a8024c' + '8912409b17b57e41';
  const ciphertext = '2b073f0494f372a0' + 'de70e715d3556e48' + '11d8d9e9eacfbc1e' + '7c68260996c67efb';

  it('GOST R 34.13-2015 A.2.1: ECB encryption, four blocks', () => {
    expect(encryptHex(KEY, plaintext)).toBe(ciphertext);
  });

  it('GOST R 34.13-2015 A.2.1: ECB decryption, four blocks', () => {
    expect(decryptHex(KEY, ciphertext)).toBe(plaintext);
  });

  it('exposes the block size and the OID 1.2.643.7.1.1.5.1', () => {
    expect(magma(hexToBytes(KEY)).blockSize).toBe(8);
    expect(OID_MAGMA).toBe('1.2.643.7.1.1.5.1');
  });
});

describe('block access', () => {
  it('reads and writes at the given offsets and touches nothing else', () => {
    const cipher = magma(hexToBytes(KEY));
    const src = new Uint8Array(30).fill(0xaa);
    src.set(hexToBytes('fedcba9876543210'), 5);
    const dst = new Uint8Array(30).fill(0x55);
    cipher.encryptBlock(src, 5, dst, 13);
    expect(bytesToHex(dst.subarray(13, 21))).toBe('4ee901e5c2d8ca3d');
    expect([...dst.subarray(0, 13), ...dst.subarray(21)]).toEqual(new Array(22).fill(0x55));
    cipher.decryptBlock(dst, 13, dst, 1);
    expect(bytesToHex(dst.subarray(1, 9))).toBe('fedcba9876543210');
  });

  it('reads views at any offset of their buffer', () => {
    const backing = new Uint8Array(32);
    backing.set(hexToBytes('fedcba9876543210'), 19);
    const view = backing.subarray(17, 30);
    const out = new Uint8Array(8);
    magma(hexToBytes(KEY)).encryptBlock(view, 2, out, 0);
    expect(bytesToHex(out)).toBe('4ee901e5c2d8ca3d');
  });
});

describe('properties', () => {
  const key = fc.uint8Array({ minLength: 32, maxLength: 32 });
  const block = fc.uint8Array({ minLength: 8, maxLength: 8 });

  it('decryptBlock(encryptBlock(x)) = x for random keys and blocks', () => {
    fc.assert(
      fc.property(key, fc.uint8Array({ minLength: 8, maxLength: 80 }), (k, data) => {
        const blocks = data.subarray(0, data.length - (data.length % 8));
        const cipher = magma(k);
        const encrypted = ecb(cipher, blocks);
        expect(bytesToHex(ecb(cipher, encrypted, 'decrypt'))).toBe(bytesToHex(blocks));
        // and the other way round: Magma is a permutation.
        expect(bytesToHex(ecb(cipher, ecb(cipher, blocks, 'decrypt')))).toBe(bytesToHex(blocks));
      }),
      { numRuns: 200 },
    );
  });

  it('in place (src === dst, same offset) equals out of place', () => {
    fc.assert(
      fc.property(key, block, (k, x) => {
        const cipher = magma(k);
        const out = new Uint8Array(8);
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
        expect(bytesToHex(ecb(magma(other), x))).not.toBe(bytesToHex(ecb(magma(k), x)));
      }),
      { numRuns: 100 },
    );
  });

  it('instances with different keys do not disturb each other', () => {
    fc.assert(
      fc.property(key, key, block, (k1, k2, x) => {
        const expected1 = bytesToHex(ecb(magma(k1), x));
        const expected2 = bytesToHex(ecb(magma(k2), x));
        const c1 = magma(k1);
        const c2 = magma(k2);
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
    const attempt = () => magma(new Uint8Array(length));
    expect(attempt).toThrow(InvalidLengthError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'ERR_INVALID_KEY_LENGTH' }));
  });

  it.each(NOT_BYTES)('rejects %s as the key with a TypeError', (_, input) => {
    expect(() => magma(input as unknown as Uint8Array)).toThrow(TypeError);
  });

  // The chosen behaviour: after destroy() every call throws (rather than silently using a wiped key).
  it('throws on every call after destroy(), and other instances keep working', () => {
    const cipher = magma(hexToBytes(KEY));
    const twin = magma(hexToBytes(KEY));
    const block = new Uint8Array(8);
    cipher.destroy();
    expect(() => cipher.encryptBlock(block, 0, block, 0)).toThrow(/destroyed/);
    expect(() => cipher.decryptBlock(block, 0, block, 0)).toThrow(/destroyed/);
    // White-box: the round keys themselves are zeroed, not just fenced off.
    expect((cipher as unknown as { k: Int32Array }).k.every((word) => word === 0)).toBe(true);
    expect(encryptHex(KEY, 'fedcba9876543210')).toBe('4ee901e5c2d8ca3d');
    expect(bytesToHex(ecb(twin, hexToBytes('fedcba9876543210')))).toBe('4ee901e5c2d8ca3d');
  });

  it('does not keep a reference to the caller’s key array', () => {
    const key = hexToBytes(KEY);
    const cipher = magma(key);
    key.fill(0);
    expect(bytesToHex(ecb(cipher, hexToBytes('fedcba9876543210')))).toBe('4ee901e5c2d8ca3d');
  });
});
