// DES and Triple DES (TDEA, EDE with keying options 1-3) in CBC mode, FIPS 46-3 and NIST SP 800-67 Rev. 2; internal, for legacy PKCS#12 and PBES1/PBES2 data only.

// Internal: this exists to read (and, for tests, write) old PKCS#12 files, never to protect new
// data. Variable-time (table lookups indexed by key and data).

/** IP, the initial permutation (FIPS 46-3): output bit i comes from input bit IP[i] (1-based, MSB first). */
const IP = [
  58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4, 62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32, 24,
  16, 8, 57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3, 61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31,
  23, 15, 7,
];

/** P, the permutation applied to the S-box outputs. */
const P = [
  16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10, 2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25,
];

/** PC-1: 56 key bits (parity bits dropped) into C and D. */
const PC1 = [
  57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18, 10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36, 63, 55,
  47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22, 14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
];

/** PC-2: 48 bits of C‖D into a round key. */
const PC2 = [
  14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2, 41, 52, 31, 37, 47, 55, 30,
  40, 51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
];

/** Left rotations of C and D before each of the 16 rounds. */
const SHIFTS = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];

/** S1..S8, each four rows of 16 (row = outer bits b1 b6, column = b2..b5). */
const S = [
  '14 4 13 1 2 15 11 8 3 10 6 12 5 9 0 7 0 15 7 4 14 2 13 1 10 6 12 11 9 5 3 8 4 1 14 8 13 6 2 11 15 12 9 7 3 10 5 0 15 12 8 2 4 9 1 7 5 11 3 14 10 0 6 13',
  '15 1 8 14 6 11 3 4 9 7 2 13 12 0 5 10 3 13 4 7 15 2 8 14 12 0 1 10 6 9 11 5 0 14 7 11 10 4 13 1 5 8 12 6 9 3 2 15 13 8 10 1 3 15 4 2 11 6 7 12 0 5 14 9',
  '10 0 9 14 6 3 15 5 1 13 12 7 11 4 2 8 13 7 0 9 3 4 6 10 2 8 5 14 12 11 15 1 13 6 4 9 8 15 3 0 11 1 2 12 5 10 14 7 1 10 13 0 6 9 8 7 4 15 14 3 11 5 2 12',
  '7 13 14 3 0 6 9 10 1 2 8 5 11 12 4 15 13 8 11 5 6 15 0 3 4 7 2 12 1 10 14 9 10 6 9 0 12 11 7 13 15 1 3 14 5 2 8 4 3 15 0 6 10 1 13 8 9 4 5 11 12 7 2 14',
  '2 12 4 1 7 10 11 6 8 5 3 15 13 0 14 9 14 11 2 12 4 7 13 1 5 0 15 10 3 9 8 6 4 2 1 11 10 13 7 8 15 9 12 5 6 3 0 14 11 8 12 7 1 14 2 13 6 15 0 9 10 4 5 3',
  '12 1 10 15 9 2 6 8 0 13 3 4 14 7 5 11 10 15 4 2 7 12 9 5 6 1 13 14 0 11 3 8 9 14 15 5 2 8 12 3 7 0 4 10 1 13 11 6 4 3 2 12 9 5 15 10 11 14 1 7 6 0 8 13',
  '4 11 2 14 15 0 8 13 3 12 9 7 5 10 6 1 13 0 11 7 4 9 1 10 14 3 5 12 2 15 8 6 1 4 11 13 12 3 7 14 10 15 6 8 0 5 9 2 6 11 13 8 1 4 10 7 9 5 0 15 14 2 3 12',
  '13 2 8 4 6 15 11 1 10 9 3 14 5 0 12 7 1 15 13 8 10 3 7 4 12 5 6 11 0 14 9 2 7 11 4 1 9 12 14 2 0 6 10 13 15 3 5 8 2 1 14 7 4 10 8 13 15 12 9 0 3 5 6 11',
];

interface Tables {
  /** SP[j][x]: the S-box j output for the 6-bit input x, already passed through P. */
  sp: Uint32Array[];
  /** FP = IP⁻¹. */
  fp: number[];
}

let tables: Tables | undefined;

function getTables(): Tables {
  if (tables) return tables;
  const sp = S.map((text, j) => {
    const box = text.split(' ').map(Number);
    const out = new Uint32Array(64);
    for (let x = 0; x < 64; x++) {
      const row = ((x >> 4) & 2) | (x & 1);
      const col = (x >> 1) & 15;
      const s = (box[row * 16 + col] as number) << (28 - 4 * j); // bits 4j+1..4j+4 of the 32-bit output
      let v = 0;
      for (let i = 0; i < 32; i++) if ((s >>> (32 - (P[i] as number))) & 1) v |= 1 << (31 - i);
      out[x] = v >>> 0;
    }
    return out;
  });
  const fp = new Array<number>(64);
  IP.forEach((from, to) => {
    fp[from - 1] = to + 1;
  });
  tables = { sp, fp };
  return tables;
}

/** Bit `pos` (1-based, MSB first) of the 64-bit value hi‖lo. */
function bit(hi: number, lo: number, pos: number): number {
  return pos <= 32 ? (hi >>> (32 - pos)) & 1 : (lo >>> (64 - pos)) & 1;
}

/** Permutes the 64-bit hi‖lo by `table`; returns [hi, lo]. */
function permute64(hi: number, lo: number, table: readonly number[]): [number, number] {
  let h = 0;
  let l = 0;
  for (let i = 0; i < 32; i++) h = (h << 1) | bit(hi, lo, table[i] as number);
  for (let i = 32; i < 64; i++) l = (l << 1) | bit(hi, lo, table[i] as number);
  return [h >>> 0, l >>> 0];
}

/** The 16 round keys of one DES key, each as 8 six-bit groups (one byte per group). */
function subkeys(key: Uint8Array, at: number): Uint8Array {
  const hi = read32(key, at);
  const lo = read32(key, at + 4);
  let c = 0;
  let d = 0;
  for (let i = 0; i < 28; i++) c = (c << 1) | bit(hi, lo, PC1[i] as number);
  for (let i = 28; i < 56; i++) d = (d << 1) | bit(hi, lo, PC1[i] as number);
  const out = new Uint8Array(128);
  for (let r = 0; r < 16; r++) {
    const s = SHIFTS[r] as number;
    c = ((c << s) | (c >>> (28 - s))) & 0xfffffff;
    d = ((d << s) | (d >>> (28 - s))) & 0xfffffff;
    for (let g = 0; g < 8; g++) {
      let v = 0;
      for (let b = 0; b < 6; b++) {
        const pos = PC2[g * 6 + b] as number;
        v = (v << 1) | (pos <= 28 ? (c >>> (28 - pos)) & 1 : (d >>> (56 - pos)) & 1);
      }
      out[r * 8 + g] = v;
    }
  }
  return out;
}

/** The Feistel function f(R, K) with the expansion E done by rotations. */
function feistel(r: number, k: Uint8Array, round: number, sp: Uint32Array[]): number {
  let v = 0;
  for (let j = 0; j < 8; j++) {
    const rot = (4 * j + 31) % 32; // E takes bits 4j, 4j+1, ..., 4j+5 (1-based, cyclic)
    const six = (rot === 0 ? r : (r << rot) | (r >>> (32 - rot))) >>> 26;
    v |= (sp[j] as Uint32Array)[(six ^ (k[round * 8 + j] as number)) & 63] as number;
  }
  return v >>> 0;
}

/** One DES block on hi‖lo with the given round keys, forwards or backwards. */
function desBlock(hi: number, lo: number, k: Uint8Array, decrypt: boolean, t: Tables): [number, number] {
  let [l, r] = permute64(hi, lo, IP);
  for (let i = 0; i < 16; i++) {
    const next = (l ^ feistel(r, k, decrypt ? 15 - i : i, t.sp)) >>> 0;
    l = r;
    r = next;
  }
  return permute64(r, l, t.fp);
}

function checkKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array)) throw new TypeError('DES: the key must be a Uint8Array');
  if (key.length !== 8 && key.length !== 16 && key.length !== 24) {
    throw new RangeError(`DES: a key has 8 (DES), 16 or 24 (TDEA) bytes, got ${key.length}`);
  }
}

function checkBlocks(iv: Uint8Array, data: Uint8Array): void {
  if (!(iv instanceof Uint8Array) || iv.length !== 8) throw new RangeError('DES: the IV must be 8 bytes');
  if (!(data instanceof Uint8Array) || data.length % 8 !== 0)
    throw new RangeError('DES: CBC data must be whole 8-byte blocks');
}

function read32(b: Uint8Array, o: number): number {
  return (
    (((b[o] as number) << 24) | ((b[o + 1] as number) << 16) | ((b[o + 2] as number) << 8) | (b[o + 3] as number)) >>> 0
  );
}

function write32(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24;
  b[o + 1] = (v >>> 16) & 0xff;
  b[o + 2] = (v >>> 8) & 0xff;
  b[o + 3] = v & 0xff;
}

/**
 * CBC over TDEA with keying option 1-3 (SP 800-67 §3.1: a 16-byte key is K1‖K2 with K3 = K1; an
 * 8-byte key is single DES, where E_K1 D_K1 E_K1 collapses to one E_K1 and so is skipped).
 * Encryption is E_K3(D_K2(E_K1(P_i ⊕ C_{i-1}))), decryption D_K1(E_K2(D_K3(C_i))) ⊕ C_{i-1}.
 */
function tdeaCbc(key: Uint8Array, iv: Uint8Array, data: Uint8Array, decrypt: boolean): Uint8Array {
  checkKey(key);
  checkBlocks(iv, data);
  const t = getTables();
  const k1 = subkeys(key, 0);
  const k2 = key.length > 8 ? subkeys(key, 8) : k1;
  const k3 = key.length > 16 ? subkeys(key, 16) : k1;
  const [first, last] = decrypt ? [k3, k1] : [k1, k3];
  const out = new Uint8Array(data.length);
  let ch = read32(iv, 0);
  let cl = read32(iv, 4);
  for (let o = 0; o < data.length; o += 8) {
    const xh = read32(data, o);
    const xl = read32(data, o + 4);
    let [h, l] = decrypt ? [xh, xl] : [(xh ^ ch) >>> 0, (xl ^ cl) >>> 0];
    if (key.length > 8) {
      [h, l] = desBlock(h, l, first, decrypt, t);
      [h, l] = desBlock(h, l, k2, !decrypt, t);
    }
    [h, l] = desBlock(h, l, last, decrypt, t);
    if (decrypt) {
      write32(out, o, (h ^ ch) >>> 0);
      write32(out, o + 4, (l ^ cl) >>> 0);
      [ch, cl] = [xh, xl];
    } else {
      write32(out, o, h);
      write32(out, o + 4, l);
      [ch, cl] = [h, l];
    }
  }
  k1.fill(0);
  k2.fill(0);
  k3.fill(0);
  return out;
}

/**
 * TDEA (or single DES for an 8-byte key) encryption in CBC mode, no padding: C_i = E_K3(D_K2(E_K1(P_i ⊕ C_{i-1}))).
 * SP 800-67 Rev. 2 §3; SP 800-38A §6.2. Variable-time.
 *
 * @throws {RangeError} for a key not 8, 16 or 24 bytes, an IV not 8 bytes, data not whole blocks.
 * @example
 * ```ts
 * const c = tripleDesCbcEncrypt(key24, iv8, paddedData);
 * ```
 */
export function tripleDesCbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  return tdeaCbc(key, iv, data, false);
}

/**
 * TDEA (or single DES for an 8-byte key) decryption in CBC mode, no padding removed:
 * P_i = D_K1(E_K2(D_K3(C_i))) ⊕ C_{i-1}. SP 800-67 Rev. 2 §3; SP 800-38A §6.2. Variable-time.
 *
 * @throws {RangeError} for a key not 8, 16 or 24 bytes, an IV not 8 bytes, data not whole blocks.
 * @example
 * ```ts
 * const padded = tripleDesCbcDecrypt(key24, iv8, ciphertext);
 * ```
 */
export function tripleDesCbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  return tdeaCbc(key, iv, data, true);
}
