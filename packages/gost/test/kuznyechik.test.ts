// Tests of Kuznyechik (GOST R 34.12-2015, RFC 7801): official examples, the GOST R 34.13-2015 ECB example, properties, misuse.
import { kuznyechik, OID_KUZNYECHIK } from '@eds/gost/kuznyechik';
import { hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { describeBlockCipherContract, ecbHex } from './_block-cipher';

// All hex below is as RFC 7801 and GOST R 34.13-2015 print it, which is also the byte order of
// OpenSSL's kuznyechik-ecb: no reversal (checked in kuznyechik.node.test.ts).
const KEY = '8899aabbccddeeff0011223344556677fedcba98765432100123456789abcdef';

const { encryptHex, decryptHex } = ecbHex(kuznyechik);

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

// Block access at offsets, properties and misuse: the same for both ciphers of GOST R 34.12-2015.
describeBlockCipherContract({
  create: kuznyechik,
  blockSize: 16,
  key: KEY,
  plainHex: '1122334455667700ffeeddccbbaa9988',
  cipherHex: '7f679d90bebc24305a468d42b9d4edcd',
  scheduleField: 'rk',
});
