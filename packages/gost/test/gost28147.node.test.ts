// Interop of GOST 28147-89 (RFC 5830, RFC 4357 key meshing) with OpenSSL 3 and the GOST engine, an independent implementation.

import { gost28147, gost28147CfbDecrypt, gost28147CfbEncrypt, gost28147Cnt, gost28147Imit } from '@eds/gost/gost28147';
import { openssl } from '@eds/test-support/openssl';
import { bytesToHex, randomBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** The S-box sets with the names the engine's CRYPT_PARAMS takes. */
const SETS = [
  ['test', 'id-Gost28147-89-TestParamSet'],
  ['cryptopro-a', 'id-Gost28147-89-CryptoPro-A-ParamSet'],
  ['cryptopro-b', 'id-Gost28147-89-CryptoPro-B-ParamSet'],
  ['cryptopro-c', 'id-Gost28147-89-CryptoPro-C-ParamSet'],
  ['cryptopro-d', 'id-Gost28147-89-CryptoPro-D-ParamSet'],
  ['tc26-z', 'id-tc26-gost-28147-param-Z'],
] as const;

/**
 * Runs `openssl enc`. `enc -gost89` and `-gost89-cbc` take their S-box from the engine parameter
 * CRYPT_PARAMS, read from the environment; without it the engine (3.0.x) uses param Z.
 * `-gost89-cnt` is fixed to CryptoPro-A and `-gost89-cnt-12` to Z.
 */
async function enc(
  cipher: string,
  key: Uint8Array,
  iv: Uint8Array,
  input: Uint8Array,
  options: { decrypt?: boolean; cryptParams?: string } = {},
): Promise<Uint8Array> {
  const args = ['enc', `-${cipher}`, '-K', bytesToHex(key), '-iv', bytesToHex(iv)];
  if (options.decrypt) args.push('-d');
  if (cipher === 'gost89-cbc') args.push('-nopad');
  const saved = process.env.CRYPT_PARAMS;
  if (options.cryptParams) process.env.CRYPT_PARAMS = options.cryptParams;
  try {
    return (await openssl(args, { input })).stdout;
  } finally {
    if (saved === undefined) delete process.env.CRYPT_PARAMS;
    else process.env.CRYPT_PARAMS = saved;
  }
}

const key = fc.uint8Array({ minLength: 32, maxLength: 32 });
const iv = fc.uint8Array({ minLength: 8, maxLength: 8 });
/** Random lengths up to 5000 bytes: up to four key meshings. */
const data = fc.uint8Array({ maxLength: 5000 });

describe('CFB with CryptoPro key meshing against openssl enc -gost89', () => {
  it('agrees both ways on random keys, IVs and messages (CryptoPro-A)', async () => {
    await fc.assert(
      fc.asyncProperty(key, iv, data, async (k, v, m) => {
        const cryptParams = 'id-Gost28147-89-CryptoPro-A-ParamSet';
        const theirs = await enc('gost89', k, v, m, { cryptParams });
        expect(bytesToHex(gost28147CfbEncrypt(k, v, m))).toBe(bytesToHex(theirs));
        expect(gost28147CfbDecrypt(k, v, theirs)).toEqual(m);
        const ours = gost28147CfbEncrypt(k, v, m);
        expect(await enc('gost89', k, v, ours, { cryptParams, decrypt: true })).toEqual(m);
      }),
      { numRuns: 12 },
    );
  });

  it.each(SETS)('agrees with S-box %s (CRYPT_PARAMS=%s)', async (sbox, cryptParams) => {
    for (let i = 0; i < 3; i++) {
      const k = randomBytes(32);
      const v = randomBytes(8);
      const m = randomBytes((randomBytes(2)[0] as number) * 10 + (randomBytes(1)[0] as number));
      expect(bytesToHex(gost28147CfbEncrypt(k, v, m, { sbox }))).toBe(
        bytesToHex(await enc('gost89', k, v, m, { cryptParams })),
      );
    }
  });

  it("equals the engine's default S-box when CRYPT_PARAMS is not set: param Z, not CryptoPro-A", async () => {
    const k = randomBytes(32);
    const v = randomBytes(8);
    const m = randomBytes(3000);
    const theirs = await enc('gost89', k, v, m);
    expect(bytesToHex(gost28147CfbEncrypt(k, v, m, { sbox: 'tc26-z' }))).toBe(bytesToHex(theirs));
    expect(bytesToHex(gost28147CfbEncrypt(k, v, m))).not.toBe(bytesToHex(theirs));
  });
});

describe('counter mode against openssl enc -gost89-cnt / -gost89-cnt-12', () => {
  it.each([
    ['gost89-cnt', 'cryptopro-a'],
    ['gost89-cnt-12', 'tc26-z'],
  ])('%s agrees both ways on random keys, IVs and messages (S-box %s)', async (cipher, sbox) => {
    await fc.assert(
      fc.asyncProperty(key, iv, data, async (k, v, m) => {
        const theirs = await enc(cipher, k, v, m);
        expect(bytesToHex(gost28147Cnt(k, v, m, { sbox }))).toBe(bytesToHex(theirs));
        expect(gost28147Cnt(k, v, theirs, { sbox })).toEqual(m);
        expect(await enc(cipher, k, v, gost28147Cnt(k, v, m, { sbox }), { decrypt: true })).toEqual(m);
      }),
      { numRuns: 10 },
    );
  });
});

describe('the block cipher against openssl enc -gost89-cbc -nopad', () => {
  it.each(SETS)('CBC from encryptBlock/decryptBlock agrees with S-box %s', async (sbox, cryptParams) => {
    const k = randomBytes(32);
    const v = randomBytes(8);
    const m = randomBytes(8 * (1 + (randomBytes(1)[0] as number)));
    const cipher = gost28147(k, sbox);
    const ours = new Uint8Array(m.length);
    let previous = v;
    for (let i = 0; i < m.length; i += 8) {
      const block = m.slice(i, i + 8).map((b, j) => b ^ (previous[j] as number));
      cipher.encryptBlock(block, 0, ours, i);
      previous = ours.subarray(i, i + 8);
    }
    expect(bytesToHex(ours)).toBe(bytesToHex(await enc('gost89-cbc', k, v, m, { cryptParams })));
    const back = new Uint8Array(m.length);
    for (let i = 0; i < m.length; i += 8) {
      cipher.decryptBlock(ours, i, back, i);
      const before = i === 0 ? v : ours.subarray(i - 8, i);
      for (let j = 0; j < 8; j++) back[i + j] = (back[i + j] as number) ^ (before[j] as number);
    }
    expect(back).toEqual(m);
  });
});

describe('IMIT against openssl dgst -mac gost-mac', () => {
  /** `openssl dgst -mac gost-mac -macopt hexkey:<key>` prints `gost-mac(stdin)= <8 hex digits>`. */
  async function opensslImit(k: Uint8Array, m: Uint8Array, paramset?: string): Promise<string> {
    const args = ['dgst', '-mac', 'gost-mac', '-macopt', `hexkey:${bytesToHex(k)}`];
    if (paramset) args.push('-macopt', `paramset:${paramset}`);
    const text = new TextDecoder().decode((await openssl(args, { input: m })).stdout);
    const match = /= ([0-9a-f]{8})\s*$/.exec(text);
    if (!match?.[1]) throw new Error(`unexpected openssl output: ${text}`);
    return match[1];
  }

  it('agrees on random keys and messages of 0..5000 bytes (CryptoPro-A)', async () => {
    await fc.assert(
      fc.asyncProperty(key, data, async (k, m) => {
        expect(bytesToHex(gost28147Imit(k, m))).toBe(await opensslImit(k, m));
      }),
      { numRuns: 15 },
    );
  });

  it('agrees on the short messages where implementations differ (0..17 bytes)', async () => {
    const k = randomBytes(32);
    for (let n = 0; n <= 17; n++) {
      const m = randomBytes(n);
      expect(bytesToHex(gost28147Imit(k, m)), `${n} bytes`).toBe(await opensslImit(k, m));
    }
  });

  it.each(SETS)('agrees with S-box %s (-macopt paramset:%s)', async (sbox, paramset) => {
    const k = randomBytes(32);
    const m = randomBytes(1500);
    expect(bytesToHex(gost28147Imit(k, m, { sbox }))).toBe(await opensslImit(k, m, paramset));
  });
});
