// Interop of the GOST R 34.13-2015 modes, CTR-ACPKM and OMAC-ACPKM with OpenSSL 3 and the GOST engine / provider, an independent implementation.
import { kuznyechik } from '@eds/gost/kuznyechik';
import { magma } from '@eds/gost/magma';
import { type CipherMode, cbc, cfb, ctr, ctrAcpkm, ecb, mac, ofb, omacAcpkm, pad } from '@eds/gost/modes';
import { openssl, opensslText } from '@eds/test-support/openssl';
import { bytesToHex } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { A1, A2, ACPKM } from './_modes-vectors';

const hex = bytesToHex;

/** `openssl enc -<alg> -K <key> [-iv <iv>] -nopad [-d]`: raw GOST modes without PKCS#7 padding. */
async function opensslEnc(
  alg: string,
  key: Uint8Array,
  iv: Uint8Array | undefined,
  data: Uint8Array,
  decrypt = false,
): Promise<Uint8Array> {
  const args = [
    'enc',
    `-${alg}`,
    '-K',
    hex(key),
    ...(iv ? ['-iv', hex(iv)] : []),
    '-nopad',
    ...(decrypt ? ['-d'] : []),
  ];
  return (await openssl(args, { input: data })).stdout;
}

/** The last hex string OpenSSL prints (`dgst` writes `name(stdin)= hex`, `mac` just the hex). */
function lastHex(text: string): string {
  const match = /([0-9A-Fa-f]+)\s*$/.exec(text);
  if (!match?.[1]) throw new Error(`unexpected openssl output: ${text}`);
  return match[1].toLowerCase();
}

/**
 * A mode with an m = z·n register is z interleaved chains with one-block registers: block j
 * depends only on blocks j - z, j - 2z, ... and IV block j mod z (34.13 §5.3-5.5). So OpenSSL,
 * which takes one-block IVs, can still compute the examples of Appendix A, one chain at a time.
 */
async function opensslInterleaved(alg: string, key: Uint8Array, iv: Uint8Array, data: Uint8Array, n: number) {
  const z = iv.length / n;
  const blocks = data.length / n;
  const out = new Uint8Array(data.length);
  for (let r = 0; r < z; r++) {
    const lane: number[] = [];
    for (let j = r; j < blocks; j += z) lane.push(...data.subarray(j * n, (j + 1) * n));
    const ct = await opensslEnc(alg, key, iv.subarray(r * n, (r + 1) * n), Uint8Array.from(lane));
    for (let j = r, at = 0; j < blocks; j += z, at += n) out.set(ct.subarray(at, at + n), j * n);
  }
  return out;
}

interface InteropCase {
  alg: string;
  make: (key: Uint8Array, iv: Uint8Array) => CipherMode;
  ivLength: number;
  /** Block size when the data must be whole blocks (ECB, CBC). */
  whole?: number;
  maxLength: number;
}

const CASES: readonly InteropCase[] = [
  { alg: 'kuznyechik-ecb', make: (k) => ecb(kuznyechik(k)), ivLength: 0, whole: 16, maxLength: 3000 },
  { alg: 'kuznyechik-ctr', make: (k, iv) => ctr(kuznyechik(k), iv), ivLength: 8, maxLength: 3000 },
  { alg: 'kuznyechik-cbc', make: (k, iv) => cbc(kuznyechik(k), iv), ivLength: 16, whole: 16, maxLength: 3000 },
  { alg: 'kuznyechik-cfb', make: (k, iv) => cfb(kuznyechik(k), iv), ivLength: 16, maxLength: 3000 },
  { alg: 'kuznyechik-ofb', make: (k, iv) => ofb(kuznyechik(k), iv), ivLength: 16, maxLength: 3000 },
  { alg: 'kuznyechik-ctr-acpkm', make: (k, iv) => ctrAcpkm(kuznyechik, k, iv), ivLength: 8, maxLength: 20000 },
  { alg: 'magma-ctr', make: (k, iv) => ctr(magma(k), iv), ivLength: 4, maxLength: 3000 },
  { alg: 'magma-cbc', make: (k, iv) => cbc(magma(k), iv), ivLength: 8, whole: 8, maxLength: 3000 },
  { alg: 'magma-ctr-acpkm', make: (k, iv) => ctrAcpkm(magma, k, iv), ivLength: 4, maxLength: 6000 },
];

const key32 = fc.uint8Array({ minLength: 32, maxLength: 32 });

describe.each(CASES)('$alg against openssl enc', ({ alg, make, ivLength, whole, maxLength }) => {
  it('agrees both ways on random keys, IVs and data', async () => {
    await fc.assert(
      fc.asyncProperty(
        key32,
        fc.uint8Array({ minLength: ivLength, maxLength: ivLength }),
        fc.uint8Array({ maxLength }),
        async (key, iv, raw) => {
          const data = whole ? raw.subarray(0, raw.length - (raw.length % whole)) : raw;
          const ivArg = ivLength > 0 ? iv : undefined;
          const mode = make(key, iv);
          const ours = mode.encrypt(data);
          expect(hex(ours)).toBe(hex(await opensslEnc(alg, key, ivArg, data)));
          expect(hex(await opensslEnc(alg, key, ivArg, ours, true))).toBe(hex(data));
          expect(hex(mode.decrypt(ours))).toBe(hex(data));
        },
      ),
      { numRuns: 8 },
    );
  });
});

describe('CTR-ACPKM section boundaries against openssl enc', () => {
  it.each([
    ['kuznyechik-ctr-acpkm', 8, [4095, 4096, 4097, 8192, 8193, 12300]],
    ['magma-ctr-acpkm', 4, [1023, 1024, 1025, 2048, 2049, 5000]],
  ] as const)('%s', async (alg, ivLength, lengths) => {
    const key = crypto.getRandomValues(new Uint8Array(32));
    const iv = crypto.getRandomValues(new Uint8Array(ivLength));
    const create = alg.startsWith('kuznyechik') ? kuznyechik : magma;
    for (const length of lengths) {
      const data = crypto.getRandomValues(new Uint8Array(length));
      expect(hex(ctrAcpkm(create, key, iv).encrypt(data)), `length ${length}`).toBe(
        hex(await opensslEnc(alg, key, iv, data)),
      );
    }
  });
});

describe('CBC with padding No. 2 against openssl enc -nopad', () => {
  it.each([
    ['kuznyechik-cbc', kuznyechik, 16],
    ['magma-cbc', magma, 8],
  ] as const)('%s: OpenSSL decrypts to the message padded by procedure 2', async (alg, create, n) => {
    await fc.assert(
      fc.asyncProperty(
        key32,
        fc.uint8Array({ minLength: n, maxLength: n }),
        fc.uint8Array({ maxLength: 100 }),
        async (key, iv, data) => {
          const ct = cbc(create(key), iv, { padding: 2 }).encrypt(data);
          expect(hex(await opensslEnc(alg, key, iv, ct, true))).toBe(hex(pad(data, n, 2)));
        },
      ),
      { numRuns: 8 },
    );
  });
});

describe('MAC (34.13 §5.6) against OpenSSL', () => {
  it.each([
    ['kuznyechik', kuznyechik, 16],
    ['magma', magma, 8],
  ] as const)('%s-mac (openssl dgst) and CMAC over the CBC cipher (openssl mac)', async (name, create, n) => {
    await fc.assert(
      fc.asyncProperty(
        key32,
        fc.uint8Array({ maxLength: 3000 }),
        // The engine's `size` option takes 1..8 bytes even for Kuznyechik; CMAC gives the full block.
        fc.integer({ min: 1, max: 8 }),
        async (key, data, s) => {
          const macopt = ['-macopt', `hexkey:${hex(key)}`];
          const dgst = await opensslText(['dgst', '-mac', `${name}-mac`, ...macopt, '-macopt', `size:${s}`], {
            input: data,
          });
          expect(hex(mac(create(key), data, s))).toBe(lastHex(dgst));
          const cmac = await opensslText(['mac', '-cipher', `${name}-cbc`, ...macopt, 'CMAC'], { input: data });
          expect(lastHex(cmac).length).toBe(2 * n);
          expect(hex(mac(create(key), data))).toBe(lastHex(cmac));
        },
      ),
      { numRuns: 10 },
    );
  });

  it('the empty message', async () => {
    const key = crypto.getRandomValues(new Uint8Array(32));
    const out = await opensslText(['dgst', '-mac', 'kuznyechik-mac', '-macopt', `hexkey:${hex(key)}`], { input: '' });
    expect(hex(mac(kuznyechik(key), new Uint8Array(0)))).toBe(lastHex(out));
  });
});

/** OMAC-ACPKM from the gost provider (`openssl mac ... kuznyechik-ctr-acpkm-omac`): N = T* = 4096. */
async function opensslOmacAcpkm(key: Uint8Array, data: Uint8Array, size?: number): Promise<string> {
  const args = ['mac', '-provider', 'gostprov', '-provider', 'default', '-macopt', `hexkey:${hex(key)}`];
  if (size !== undefined) args.push('-macopt', `size:${size}`);
  return lastHex(await opensslText([...args, 'kuznyechik-ctr-acpkm-omac'], { input: data, gost: false }));
}

describe('OMAC-ACPKM against openssl mac kuznyechik-ctr-acpkm-omac (gost provider)', () => {
  it('agrees on random keys and messages across several sections', async () => {
    await fc.assert(
      fc.asyncProperty(
        key32,
        fc.uint8Array({ maxLength: 20000 }),
        fc.integer({ min: 1, max: 16 }),
        async (key, data, s) => {
          expect(hex(omacAcpkm(kuznyechik, key, data, { length: s }))).toBe(await opensslOmacAcpkm(key, data, s));
        },
      ),
      { numRuns: 10 },
    );
  });

  it('agrees at section boundaries and past the first re-keying of ACPKM-Master (T* = 4096 bytes)', async () => {
    const key = crypto.getRandomValues(new Uint8Array(32));
    // 86 sections use 86 · 48 bytes of key material, more than one master section of 4096.
    for (const length of [0, 4095, 4096, 4097, 4112, 86 * 4096 + 5]) {
      const data = crypto.getRandomValues(new Uint8Array(Math.min(length, 65536)));
      const message = length > 65536 ? new Uint8Array(length).map((_, i) => data[i % 65536] as number) : data;
      expect(hex(omacAcpkm(kuznyechik, key, message)), `length ${length}`).toBe(await opensslOmacAcpkm(key, message));
    }
  });
});

describe('the examples of Appendix A, cross-checked with OpenSSL', () => {
  it('34.13 A.1.1, A.1.2: Kuznyechik ECB and CTR', async () => {
    expect(hex(await opensslEnc('kuznyechik-ecb', A1.key, undefined, A1.plaintext))).toBe(hex(A1.ecb));
    expect(hex(await opensslEnc('kuznyechik-ctr', A1.key, A1.iv.subarray(0, 8), A1.plaintext))).toBe(hex(A1.ctr));
  });

  it.each([
    ['A.1.3 OFB', 'kuznyechik-ofb', A1.ofb],
    ['A.1.4 CBC', 'kuznyechik-cbc', A1.cbc],
    ['A.1.5 CFB', 'kuznyechik-cfb', A1.cfb],
  ])('34.13 %s (m = 2n, as two interleaved chains)', async (_, alg, expected) => {
    expect(hex(await opensslInterleaved(alg, A1.key, A1.iv, A1.plaintext, 16))).toBe(hex(expected));
  });

  it('34.13 A.2.1 Magma ECB (each block as CBC with a zero IV), A.2.2 CTR, A.2.4 CBC (m = 3n)', async () => {
    expect(hex(await opensslInterleaved('magma-cbc', A2.key, new Uint8Array(32), A2.plaintext, 8))).toBe(hex(A2.ecb));
    expect(hex(await opensslEnc('magma-ctr', A2.key, A2.iv.subarray(0, 4), A2.plaintext))).toBe(hex(A2.ctr));
    expect(hex(await opensslInterleaved('magma-cbc', A2.key, A2.iv, A2.plaintext, 8))).toBe(hex(A2.cbc));
  });

  it('34.13 A.1.6 and A.2.6 MACs', async () => {
    const run = (name: string, key: Uint8Array, size: number, input: Uint8Array) =>
      opensslText(['dgst', '-mac', name, '-macopt', `hexkey:${hex(key)}`, '-macopt', `size:${size}`], { input });
    expect(lastHex(await run('kuznyechik-mac', A1.key, 8, A1.plaintext))).toBe(hex(A1.mac));
    expect(lastHex(await run('magma-mac', A2.key, 4, A2.plaintext))).toBe(hex(A2.mac));
  });

  it('R 1323565.1.017-2018 OMAC-ACPKM, 24-byte example (one section, so N and T* do not matter)', async () => {
    const { cases } = ACPKM.omac;
    const first = cases[0];
    if (!first) throw new Error('no OMAC-ACPKM example');
    expect(await opensslOmacAcpkm(ACPKM.key, ACPKM.message.subarray(0, first.length))).toBe(hex(first.mac));
  });
});
