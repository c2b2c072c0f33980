// Tests of Magma (GOST R 34.12-2015, RFC 8891): official examples, the GOST R 34.13-2015 ECB example, properties, misuse.
import { magma, OID_MAGMA } from '@eds/gost/magma';
import { hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { describeBlockCipherContract, ecbHex } from './_block-cipher';

// All hex below is as RFC 8891 and GOST R 34.13-2015 print it, which is also the byte order of
// OpenSSL's magma-cbc: no reversal (checked in magma.node.test.ts).
const KEY = 'ffeeddccbbaa99887766554433221100f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff';

const { encryptHex, decryptHex } = ecbHex(magma);

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

// Block access at offsets, properties and misuse: the same for both ciphers of GOST R 34.12-2015.
describeBlockCipherContract({
  create: magma,
  blockSize: 8,
  key: KEY,
  plainHex: 'fedcba9876543210',
  cipherHex: '4ee901e5c2d8ca3d',
  scheduleField: 'k',
});
