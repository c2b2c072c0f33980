// Tests of Kuznyechik (GOST R 34.12-2015, RFC 7801): official examples, the GOST R 34.13-2015 ECB example, properties, misuse.
import { InvalidLengthError } from '@eds/gost/errors';
import { type BlockCipher, kuznyechik, OID_KUZNYECHIK } from '@eds/gost/kuznyechik';
import { NOT_BYTES } from '@eds/test-support/inputs';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// All hex below is as RFC 7801 and GOST R 34.13-2015 print it, which is also the byte order of
// OpenSSL's kuznyechik-ecb: no reversal (checked in kuznyechik.node.test.ts).
const KEY = '8899aabbccddeeff0011223344556677fedcba98765432100123456789abcdef';

/** ECB over whole blocks with encryptBlock or decryptBlock, into a new array. */
function ecb(cipher: BlockCipher, data: Uint8Array, direction: 'encrypt' | 'decrypt' = 'encrypt'): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let at = 0; at < data.length; at += 16) {
    if (direction === 'encrypt') cipher.encryptBlock(data, at, out, at);
    else cipher.decryptBlock(data, at, out, at);
  }
  return out;
}

const encryptHex = (key: string, block: string) => bytesToHex(ecb(kuznyechik(hexToBytes(key)), hexToBytes(block)));
const decryptHex = (key: string, block: string) =>
  bytesToHex(ecb(kuznyechik(hexToBytes(key)), hexToBytes(block), 'decrypt'));

describe('official examples', () => {
  it('RFC 7801 §5: encryption of 1122334455667700ffeeddccbbaa9988', () => {
    expect(encryptHex(KEY, '1122334455667700ffeeddccbbaa9988')).toBe('7f679d90bebc24305a468d42b9d4edcd');
  });

  it('RFC 7801 §5: decryption of 7f679d90bebc24305a468d42b9d4edcd', () => {
    expect(decryptHex(KEY, '7f679d90bebc24305a468d42b9d4edcd')).toBe('1122334455667700ffeeddccbbaa9988');
  });

  // GOST R 34.13-2015 Appendix A.1.1: ECB with the key of RFC 7801, four blocks.
  const plaintext =
    '1122334455667700ffeeddccbbaa9988' +
    '00112233445566778899aabbcceeff0a' +
    '112233445566778899aabbcceeff0a00' +
    '2233445566778899aabbcceeff0a0011';
  const ciphertext =
    '7f679d90bebc24305a468d42b9d4edcd' +
    'b429912c6e0032f9285452d76718d08b' +
    'f0ca33549d247ceef3f5a5313bd4b157' +
    'd0b09ccde830b9eb3a02c4c5aa8ada98';

  it('GOST R 34.13-2015 A.1.1: ECB encryption, four blocks', () => {
    expect(encryptHex(KEY, plaintext)).toBe(ciphertext);
  });

  it('GOST R 34.13-2015 A.1.1: ECB decryption, four blocks', () => {
    expect(decryptHex(KEY, ciphertext)).toBe(plaintext);
  });

  it('exposes the block size and the OID 1.2.643.7.1.1.5.2', () => {
    expect(kuznyechik(hexToBytes(KEY)).blockSize).toBe(16);
    expect(OID_KUZNYECHIK).toBe('1.2.643.7.1.1.5.2');
  });
});

describe('block access', () => {
  it('reads and writes at the given offsets and touches nothing else', () => {
    const cipher = kuznyechik(hexToBytes(KEY));
    const src = new Uint8Array(40).fill(0xaa);
    src.set(hexToBytes('1122334455667700ffeeddccbbaa9988'), 7);
    const dst = new Uint8Array(40).fill(0x55);
    cipher.encryptBlock(src, 7, dst, 21);
    expect(bytesToHex(dst.subarray(21, 37))).toBe('7f679d90bebc24305a468d42b9d4edcd');
    expect([...dst.subarray(0, 21), ...dst.subarray(37)]).toEqual(new Array(24).fill(0x55));
    cipher.decryptBlock(dst, 21, dst, 3);
    expect(bytesToHex(dst.subarray(3, 19))).toBe('1122334455667700ffeeddccbbaa9988');
  });

  it('reads views at any offset of their buffer', () => {
    const backing = new Uint8Array(64);
    backing.set(hexToBytes('1122334455667700ffeeddccbbaa9988'), 33);
    const view = backing.subarray(30, 60);
    const out = new Uint8Array(16);
    kuznyechik(hexToBytes(KEY)).encryptBlock(view, 3, out, 0);
    expect(bytesToHex(out)).toBe('7f679d90bebc24305a468d42b9d4edcd');
  });
});

describe('properties', () => {
  const key = fc.uint8Array({ minLength: 32, maxLength: 32 });
  const block = fc.uint8Array({ minLength: 16, maxLength: 16 });

  it('decryptBlock(encryptBlock(x)) = x for random keys and blocks', () => {
    fc.assert(
      fc.property(key, fc.uint8Array({ minLength: 16, maxLength: 160 }), (k, data) => {
        const blocks = data.subarray(0, data.length - (data.length % 16));
        const cipher = kuznyechik(k);
        const encrypted = ecb(cipher, blocks);
        expect(bytesToHex(ecb(cipher, encrypted, 'decrypt'))).toBe(bytesToHex(blocks));
        // and the other way round: Kuznyechik is a permutation.
        expect(bytesToHex(ecb(cipher, ecb(cipher, blocks, 'decrypt')))).toBe(bytesToHex(blocks));
      }),
      { numRuns: 200 },
    );
  });

  it('in place (src === dst, same offset) equals out of place', () => {
    fc.assert(
      fc.property(key, block, (k, x) => {
        const cipher = kuznyechik(k);
        const out = new Uint8Array(16);
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
        expect(bytesToHex(ecb(kuznyechik(other), x))).not.toBe(bytesToHex(ecb(kuznyechik(k), x)));
      }),
      { numRuns: 100 },
    );
  });

  it('instances with different keys do not disturb each other', () => {
    fc.assert(
      fc.property(key, key, block, (k1, k2, x) => {
        const expected1 = bytesToHex(ecb(kuznyechik(k1), x));
        const expected2 = bytesToHex(ecb(kuznyechik(k2), x));
        const c1 = kuznyechik(k1);
        const c2 = kuznyechik(k2);
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
    const attempt = () => kuznyechik(new Uint8Array(length));
    expect(attempt).toThrow(InvalidLengthError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'ERR_INVALID_KEY_LENGTH' }));
  });

  it.each(NOT_BYTES)('rejects %s as the key with a TypeError', (_, input) => {
    expect(() => kuznyechik(input as unknown as Uint8Array)).toThrow(TypeError);
  });

  // The chosen behaviour: after destroy() every call throws (rather than silently using a wiped key).
  it('throws on every call after destroy(), and other instances keep working', () => {
    const cipher = kuznyechik(hexToBytes(KEY));
    const twin = kuznyechik(hexToBytes(KEY));
    const block = new Uint8Array(16);
    cipher.destroy();
    expect(() => cipher.encryptBlock(block, 0, block, 0)).toThrow(/destroyed/);
    expect(() => cipher.decryptBlock(block, 0, block, 0)).toThrow(/destroyed/);
    // White-box: the round keys themselves are zeroed, not just fenced off.
    expect((cipher as unknown as { rk: Int32Array }).rk.every((word) => word === 0)).toBe(true);
    expect(encryptHex(KEY, '1122334455667700ffeeddccbbaa9988')).toBe('7f679d90bebc24305a468d42b9d4edcd');
    expect(bytesToHex(ecb(twin, hexToBytes('1122334455667700ffeeddccbbaa9988')))).toBe(
      '7f679d90bebc24305a468d42b9d4edcd',
    );
  });

  it('does not keep a reference to the caller’s key array', () => {
    const key = hexToBytes(KEY);
    const cipher = kuznyechik(key);
    key.fill(0);
    expect(bytesToHex(ecb(cipher, hexToBytes('1122334455667700ffeeddccbbaa9988')))).toBe(
      '7f679d90bebc24305a468d42b9d4edcd',
    );
  });
});
