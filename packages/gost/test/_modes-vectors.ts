// Examples of GOST R 34.13-2015 Appendix A and R 1323565.1.017-2018 Appendix A, shared by modes.test.ts and the OpenSSL cross-checks in modes.node.test.ts.
//
// Hex is byte order as the standards print it and OpenSSL reads it (no reversal). Copies used to
// transcribe them: pygost's test_gost3413.py (34.13; its TestVectorACPKM for the ACPKM section
// keys, ACPKM-Master and OMAC-ACPKM of both ciphers), gost-engine's test_ciphers.c and
// test_digest.c (CTR-ACPKM, ACPKM-Master and OMAC-ACPKM with Kuznyechik), nettle-gost's
// acpkm-test.c (CTR-ACPKM with Magma); every value appears in at least two of them.
// modes.node.test.ts checks every 34.13 value OpenSSL can compute.
import { hexToBytes } from '@noble/hashes/utils.js';

const hex = (text: string) => hexToBytes(text.replace(/\s+/g, ''));

/** GOST R 34.13-2015 A.1: Kuznyechik, n = 128. The IV is m = 2n; CTR takes its first n/2 bits. */
export const A1 = {
  key: hex('8899aabbccddeeff0011223344556677 fedcba98765432100123456789abcdef'),
  plaintext: hex(`
    1122334455667700ffeeddccbbaa9988 00112233445566778899aabbcceeff0a
    112233445566778899aabbcceeff0a00 2233445566778899aabbcceeff0a0011`),
  iv: hex('1234567890abcef0a1b2c3d4e5f00112 23344556677889901213141516171819'),
  /** A.1.1 */
  ecb: hex(`
    7f679d90bebc24305a468d42b9d4edcd b429912c6e0032f9285452d76718d08b
    f0ca33549d247ceef3f5a5313bd4b157 d0b09ccde830b9eb3a02c4c5aa8ada98`),
  /** A.1.2, IV = 1234567890abcef0 */
  ctr: hex(`
    f195d8bec10ed1dbd57b5fa240bda1b8 85eee733f6a13e5df33ce4b33c45dee4
    a5eae88be6356ed3d5e877f13564a3a5 cb91fab1f20cbab6d1c6d15820bdba73`),
  /** A.1.3 */
  ofb: hex(`
    81800a59b1842b24ff1f795e897abd95 ed5b47a7048cfab48fb521369d9326bf
    66a257ac3ca0b8b1c80fe7fc10288a13 203ebbc066138660a0292243f6903150`),
  /** A.1.4 */
  cbc: hex(`
    689972d4a085fa4d90e52e3d6d7dcc27 2826e661b478eca6af1e8e448d5ea5ac
    fe7babf1e91999e85640e8b0f49d90d0 167688065a895c631a2d9a1560b63970`),
  /** A.1.5 */
  cfb: hex(`
    81800a59b1842b24ff1f795e897abd95 ed5b47a7048cfab48fb521369d9326bf
    79f2a8eb5cc68d38842d264e97a238b5 4ffebecd4e922de6c75bd9dd44fbf4d1`),
  /** A.1.6, s = 64, with the subkeys K1 and K2 */
  mac: hex('336f4d296059fbe3'),
  k1: hex('297d82bc4d39e3ca0de0573298151dc7'),
  k2: hex('52fb05789a73c7941bc0ae65302a3b8e'),
};

/** GOST R 34.13-2015 A.2: Magma, n = 64. CBC takes the IV as m = 3n, OFB and CFB its first 2n, CTR n/2. */
export const A2 = {
  key: hex('ffeeddccbbaa99887766554433221100 f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff'),
  plaintext: hex('92def06b3c130a59 db54c704f8189d20 4a98fb2e67a8024c 8912409b17b57e41'),
  iv: hex('1234567890abcdef 234567890abcdef1 34567890abcdef12'),
  /** A.2.1 */
  ecb: hex('2b073f0494f372a0 de70e715d3556e48 11d8d9e9eacfbc1e 7c68260996c67efb'),
  /** A.2.2, IV = 12345678 */
  ctr: hex('4e98110c97b7b93c 3e250d93d6e85d69 136d868807b2dbef 568eb680ab52a12d'),
  /** A.2.3, IV = the first 16 bytes */
  ofb: hex('db37e0e266903c83 0d46644c1f9a089c a0f83062430e327e c824efb8bd4fdb05'),
  /** A.2.4, IV = all 24 bytes */
  cbc: hex('96d1b05eea683919 aff76129abb937b9 5058b4a1c4bc0019 20b78b1a7cd7e667'),
  /** A.2.5, IV = the first 16 bytes */
  cfb: hex('db37e0e266903c83 0d46644c1f9a089c 24bdd2035315d38b bcc0321421075505'),
  /** A.2.6, s = 32, with the subkeys K1 and K2 */
  mac: hex('154e7210'),
  k1: hex('5f459b3342521424'),
  k2: hex('be8b366684a42848'),
};

/** The 112-byte message of R 1323565.1.017-2018 Appendix A (the 34.13 A.1 message, extended). */
const ACPKM_MESSAGE = hex(`
  1122334455667700ffeeddccbbaa9988 00112233445566778899aabbcceeff0a
  112233445566778899aabbcceeff0a00 2233445566778899aabbcceeff0a0011
  33445566778899aabbcceeff0a001122 445566778899aabbcceeff0a00112233
  5566778899aabbcceeff0a0011223344`);

/** R 1323565.1.017-2018 Appendix A: CTR-ACPKM, OMAC-ACPKM and ACPKM-Master, key of 34.13 A.1. */
export const ACPKM = {
  key: A1.key,
  message: ACPKM_MESSAGE,
  /** CTR-ACPKM with Kuznyechik, N = 256 bits, IV = 1234567890abcef0. */
  kuznyechikCtr: {
    iv: hex('1234567890abcef0'),
    sectionSize: 32,
    ciphertext: hex(`
      f195d8bec10ed1dbd57b5fa240bda1b8 85eee733f6a13e5df33ce4b33c45dee4
      4bceeb8f646f4c55001706275e85e800 587c4df568d094393e4834afd0805046
      cf30f57686aeece11cfc6c316b8a896e dffd07ec813636460c4f3b743423163e
      6409a9c282fac8d469d221e7fbd6de5d`),
  },
  /** CTR-ACPKM with Magma, N = 128 bits, IV = 12345678, the first 56 bytes of the message. */
  magmaCtr: {
    iv: hex('12345678'),
    sectionSize: 16,
    length: 56,
    ciphertext: hex(`
      2ab81deeeb1e4cab68e104c4bd6b94ea c72c67af6c2e5b6b0eafb61770f1b32e
      a1ae71149eed1382abd467180672ec6f 84a2f15b3fca72c1`),
  },
  /** The section keys K^2, K^3, K^4 = ACPKM(K^1), ... of CTR-ACPKM with Kuznyechik. */
  kuznyechikKeys: [
    hex('2666ed40ae687811745ca0b448f57a7b 390adb5780307e8e9659ac403ae60c60'),
    hex('bb3dd5402e999b7a3debb0db45448ec5 30f07365dfee3aba8415f77ac8f34ce8'),
    hex('23362fd553cad2178299a5b5a2d4722e 3bb83c730a8bf57ce2dd004017f8c565'),
  ],
  /** The section keys K^2, K^3, K^4 of CTR-ACPKM with Magma. */
  magmaKeys: [
    hex('863ea017842c3d372b18a85a28e2317d 74befc107720de0c9e8ab974abd00ca0'),
    hex('49a5e2677de555982b8ad5e826652d17 eec847bf5b3997a81cf7fe7f1187bd27'),
    hex('3256bf3f97b5667426a9fb1c5eaabe41 893ccdd5a868f9b63b0aa90720fa43c4'),
  ],
  /** ACPKM-Master(T* = 768 bits, K, d = 384 bits, l = 3) with Kuznyechik: CTR-ACPKM, IV 1^64, over zeros. */
  master: {
    iv: hex('ffffffffffffffff'),
    sectionSize: 96,
    keyMaterial: hex(`
      0cabf1f2efbc4ac16048df1a24c605b2 c0d1673d7586a8ec0dd42c45a4f95bae
      0f2e2617e47148680fc3e6178df2c137 c9dda89cffa491feadd9b3eab703bb31
      bc7e927f0494729f51b49d3df9c94608 00fbbcf5edee610ea02f01093c7bc742
      d7d6271501b177775263c2a3495a8318 a81c79a04f29660ea3fda874c630799e
      142c577914fea90d3bc2502e833685d9`),
  },
  /** ACPKM-Master(T* = 640 bits, K, d = 320 bits, l = 3) with Magma: CTR-ACPKM, IV 1^32, over zeros. */
  magmaMaster: {
    iv: hex('ffffffff'),
    sectionSize: 80,
    keyMaterial: hex(`
      0df2f5273da328932ac49d81d36b2558 a50dbf9bbcac74a614b2ccb2f1cbcd8a
      70638e3de8b3571e8d3826d55e63a167 e2406640547b9f1f5f2b43612aaeafda
      180bac8604dfa6fe53c2ce270e9c9f52 68d0fdbfe1a3bdd9be5b96d0a1202348
      6ef1710f924ae0313052cb5fca0b791e 1babe8576d0fe3a8`),
  },
  /** OMAC-ACPKM with Magma, N = 128 bits, T* = 640 bits, s = 64: 12- and 40-byte messages. */
  magmaOmac: {
    sectionSize: 16,
    masterSectionSize: 80,
    cases: [
      { length: 12, mac: hex('a0540e3730acbcf3') },
      { length: 40, mac: hex('34008dad5496bb8e') },
    ],
  },
  /** OMAC-ACPKM with Kuznyechik, N = 256 bits, T* = 768 bits, s = 128: A.4.1 (24 bytes), A.4.2 (80 bytes). */
  omac: {
    sectionSize: 32,
    masterSectionSize: 96,
    cases: [
      { length: 24, mac: hex('b5367f47b62b995eeb2a648c5843145e') },
      { length: 80, mac: hex('fbb8dcee45bea67c35f58c5700898e5d') },
    ],
  },
};
