// The PKCS#12 key derivation function (RFC 7292 Appendix B.2) and the BMPString password encoding (Appendix B.1); internal.

import type { CHash } from '@noble/hashes/utils.js';

/** Purpose bytes (RFC 7292 App. B.3): 1 = encryption key, 2 = IV, 3 = MAC key. */
export type Pkcs12KdfId = 1 | 2 | 3;

/**
 * The password as RFC 7292 App. B.1 wants it: UTF-16 big-endian code units followed by two zero
 * bytes. The empty password gives `00 00` (what OpenSSL and Java write for ""); use an empty
 * array for the "no password" variant some writers use.
 */
export function bmpPassword(password: string): Uint8Array {
  const out = new Uint8Array(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) {
    const c = password.charCodeAt(i);
    out[2 * i] = c >>> 8;
    out[2 * i + 1] = c & 0xff;
  }
  return out;
}

/** Options of {@link pkcs12Kdf}. */
export interface Pkcs12KdfOptions {
  /** Aborts between iterations. */
  signal?: AbortSignal | undefined;
}

/** Milliseconds of work between two yields to the event loop. */
const TICK_MS = 10;

const yieldNow = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Repeats `src` to fill `length` bytes (App. B.2 step 2 and 3). */
function fill(src: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = src[i % src.length] as number;
  return out;
}

/**
 * The PKCS#12 KDF of RFC 7292 App. B.2 with hash H (u = output length, v = block length):
 * D = ID repeated v times, I = S‖P (each repeated to a multiple of v), A_i = H^r(D‖I), and I
 * updated with B = A_i repeated, I_j = (I_j + B + 1) mod 2^(8v). Asynchronous: it yields to the
 * event loop about every 10 ms so that large iteration counts do not freeze a page. Used with
 * SHA-1/SHA-2 and, for the legacy CryptoPro PFX, with GOST R 34.11-94 (u = v = 32).
 *
 * @param password - already encoded, see {@link bmpPassword}.
 * @throws {RangeError} if `iterations` < 1 or `length` < 1.
 * @throws the abort reason when `signal` aborts.
 * @example
 * ```ts
 * const macKey = await pkcs12Kdf(sha1, bmpPassword('secret'), salt, 3, 2048, 20);
 * ```
 */
export async function pkcs12Kdf(
  hash: CHash,
  password: Uint8Array,
  salt: Uint8Array,
  id: Pkcs12KdfId,
  iterations: number,
  length: number,
  options: Pkcs12KdfOptions = {},
): Promise<Uint8Array> {
  if (!Number.isSafeInteger(iterations) || iterations < 1) throw new RangeError('PKCS#12 KDF: iterations must be >= 1');
  if (!Number.isSafeInteger(length) || length < 1) throw new RangeError('PKCS#12 KDF: length must be >= 1');
  const u = hash.outputLen;
  const v = hash.blockLen;
  const d = new Uint8Array(v).fill(id);
  const s = salt.length ? fill(salt, v * Math.ceil(salt.length / v)) : new Uint8Array(0);
  const p = password.length ? fill(password, v * Math.ceil(password.length / v)) : new Uint8Array(0);
  const i = new Uint8Array(s.length + p.length);
  i.set(s);
  i.set(p, s.length);
  const out = new Uint8Array(length);
  let last = Date.now();
  for (let done = 0; done < length; done += u) {
    let a = hash.create().update(d).update(i).digest();
    for (let r = 1; r < iterations; r++) {
      a = hash(a);
      if ((r & 0xff) === 0 && Date.now() - last >= TICK_MS) {
        options.signal?.throwIfAborted();
        await yieldNow();
        last = Date.now();
      }
    }
    out.set(a.subarray(0, Math.min(u, length - done)), done);
    if (done + u >= length) break;
    addBlocks(i, fill(a, v), v);
  }
  i.fill(0);
  p.fill(0);
  return out;
}

/** I_j = (I_j + B + 1) mod 2^(8v) for each v-byte block I_j of `i`, big-endian. */
function addBlocks(i: Uint8Array, b: Uint8Array, v: number): void {
  for (let j = 0; j < i.length; j += v) {
    let carry = 1;
    for (let k = v - 1; k >= 0; k--) {
      const sum = (i[j + k] as number) + (b[k] as number) + carry;
      i[j + k] = sum & 0xff;
      carry = sum >>> 8;
    }
  }
}
