// RC2 block decryption in CBC mode (RFC 2268 §2 key expansion, §4 decryption); internal, to read legacy PKCS#12 (pbeWithSHAAnd40BitRC2-CBC, pbeWithSHAAnd128BitRC2-CBC).

// Decryption only: the SDK never writes RC2. Variable-time (table lookups indexed by key bytes).

/** PITABLE of RFC 2268 §2, a permutation of 0..255 based on the digits of pi. */
const PITABLE = /* @__PURE__ */ Uint8Array.from(
  (
    'd978f9c419ddb5ed28e9fd794aa0d89dc67e37832b76538e624c6488448bfba2179a59f587b34f1361456d8d09817d32' +
    'bd8f40eb86b77b0bf09521225c6b4e8254d66593ce60b21c7356c014a78cf1dc1275ca1f3bbee4d1423dd430a33cb626' +
    '6fbf0eda4669075727f21d9bbc944303f811c7f690ef3ee706c3d52fc8661ed708e8eade8052eef784aa72ac354d6a2a' +
    '961ad2715a1549744b9fd05e0418a4ecc2e0416e0f51cbcc2491af50a1f47039997c3a8523b8b47afc02365b25559731' +
    '2d5dfa98e38a92ae05df2910676cbac9d300e6cfe19ea82c6316013f58e289a90d38341bab33ffb0bb480c5fb9b1cd2e' +
    'c5f3db47e5a59c770aa62068fe7fc1ad'
  ).match(/../g) as string[],
  (x) => Number.parseInt(x, 16),
);

/**
 * The 64 key words K[0..63] of RFC 2268 §2 for `key` (1..128 bytes) with `effectiveBits`
 * (1..1024) effective key bits.
 */
export function rc2ExpandKey(key: Uint8Array, effectiveBits: number): Uint16Array {
  if (!(key instanceof Uint8Array) || key.length < 1 || key.length > 128) {
    throw new RangeError('RC2: the key must be 1 to 128 bytes');
  }
  if (!Number.isInteger(effectiveBits) || effectiveBits < 1 || effectiveBits > 1024) {
    throw new RangeError('RC2: the effective key length must be 1 to 1024 bits');
  }
  const l = new Uint8Array(128);
  l.set(key);
  const t = key.length;
  for (let i = t; i < 128; i++) l[i] = PITABLE[((l[i - 1] as number) + (l[i - t] as number)) & 0xff] as number;
  const t8 = (effectiveBits + 7) >> 3;
  const tm = 0xff >> (8 * t8 - effectiveBits);
  l[128 - t8] = PITABLE[(l[128 - t8] as number) & tm] as number;
  for (let i = 127 - t8; i >= 0; i--) l[i] = PITABLE[(l[i + 1] as number) ^ (l[i + t8] as number)] as number;
  const k = new Uint16Array(64);
  for (let i = 0; i < 64; i++) k[i] = (l[2 * i] as number) | ((l[2 * i + 1] as number) << 8);
  l.fill(0);
  return k;
}

const SHIFT = [1, 2, 3, 5];

/** Decrypts one block in place: R[0..3] as 16-bit little-endian words (RFC 2268 §4). */
function decryptWords(r: Uint16Array, k: Uint16Array): void {
  let j = 63;
  const mix = (): void => {
    for (let i = 3; i >= 0; i--) {
      const s = SHIFT[i] as number;
      let x = r[i] as number;
      x = ((x >>> s) | (x << (16 - s))) & 0xffff;
      const a = r[(i + 3) & 3] as number;
      const b = r[(i + 2) & 3] as number;
      const c = r[(i + 1) & 3] as number;
      r[i] = x - (k[j--] as number) - (a & b) - (~a & c);
    }
  };
  const mash = (): void => {
    for (let i = 3; i >= 0; i--) r[i] = (r[i] as number) - (k[(r[(i + 3) & 3] as number) & 63] as number);
  };
  for (let n = 0; n < 5; n++) mix();
  mash();
  for (let n = 0; n < 6; n++) mix();
  mash();
  for (let n = 0; n < 5; n++) mix();
}

/**
 * RC2 decryption in CBC mode (RFC 2268 §4; CBC as RFC 2268 §6 / SP 800-38A), no padding removed.
 * Variable-time.
 *
 * @throws {RangeError} for a bad key or effective length (see {@link rc2ExpandKey}), an IV that is
 *   not 8 bytes, or data that is not whole 8-byte blocks.
 * @example
 * ```ts
 * const padded = rc2CbcDecrypt(key5, 40, iv, ciphertext); // pbeWithSHAAnd40BitRC2-CBC
 * ```
 */
export function rc2CbcDecrypt(key: Uint8Array, effectiveBits: number, iv: Uint8Array, data: Uint8Array): Uint8Array {
  if (!(iv instanceof Uint8Array) || iv.length !== 8) throw new RangeError('RC2: the IV must be 8 bytes');
  if (!(data instanceof Uint8Array) || data.length % 8 !== 0)
    throw new RangeError('RC2: CBC data must be whole 8-byte blocks');
  const k = rc2ExpandKey(key, effectiveBits);
  const out = new Uint8Array(data.length);
  const r = new Uint16Array(4);
  let prev = iv;
  for (let o = 0; o < data.length; o += 8) {
    for (let i = 0; i < 4; i++) r[i] = (data[o + 2 * i] as number) | ((data[o + 2 * i + 1] as number) << 8);
    decryptWords(r, k);
    for (let i = 0; i < 4; i++) {
      out[o + 2 * i] = ((r[i] as number) & 0xff) ^ (prev[2 * i] as number);
      out[o + 2 * i + 1] = ((r[i] as number) >>> 8) ^ (prev[2 * i + 1] as number);
    }
    prev = data.subarray(o, o + 8);
  }
  k.fill(0);
  r.fill(0);
  return out;
}
