// Internal: byte-array helpers shared by the codecs (comparison, hex, unsigned big-endian bigint conversion).

const HEX_TABLE: readonly string[] = /* @__PURE__ */ Array.from({ length: 256 }, (_, i) =>
  i.toString(16).padStart(2, '0'),
);

/**
 * Equality of two byte arrays. Lengths are compared first (lengths are not secret); when they
 * are equal every byte is visited, without an early exit, so the time does not depend on where
 * the first difference is.
 *
 * @example
 * ```ts
 * equalBytes(mac, expected); // true or false
 * ```
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

/**
 * Lexicographic order of two byte arrays, a shorter prefix first: the order of the encodings in
 * a DER SET OF (X.690 §11.6). Negative, zero or positive, as `Array.prototype.sort` wants.
 *
 * @example
 * ```ts
 * items.sort(compareBytes);
 * ```
 */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}

/**
 * Lower-case hex of bytes, with `separator` between octets when given.
 *
 * @example
 * ```ts
 * hexOf(new Uint8Array([1, 0xab]), ':'); // '01:ab'
 * ```
 */
export function hexOf(bytes: Uint8Array, separator = ''): string {
  if (separator === '') {
    let s = '';
    for (let i = 0; i < bytes.length; i++) s += HEX_TABLE[bytes[i] as number];
    return s;
  }
  const parts = new Array<string>(bytes.length);
  for (let i = 0; i < bytes.length; i++) parts[i] = HEX_TABLE[bytes[i] as number] as string;
  return parts.join(separator);
}

/**
 * The unsigned big-endian integer of `bytes` (0n for no bytes). Goes through one hex string, so
 * the cost is linear in the length, not quadratic as with byte-by-byte shifting.
 *
 * @example
 * ```ts
 * bytesToBigInt(new Uint8Array([1, 0])); // 256n
 * ```
 */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  return BigInt(`0x${hexOf(bytes)}`);
}

/**
 * The unsigned big-endian bytes of `n`: exactly `length` bytes when given (zero-padded on the
 * left), otherwise the fewest bytes (at least one, so 0n gives `[0]`).
 *
 * @throws RangeError if `n` is negative, or does not fit in `length` bytes, or `length` is not a
 *   non-negative safe integer.
 * @example
 * ```ts
 * bigIntToBytes(256n); // Uint8Array [1, 0]
 * bigIntToBytes(1n, 4); // Uint8Array [0, 0, 0, 1]
 * ```
 */
export function bigIntToBytes(n: bigint, length?: number): Uint8Array {
  if (n < 0n) throw new RangeError('bigIntToBytes: negative value');
  let h = n.toString(16);
  if (h.length % 2 === 1) h = `0${h}`;
  let size = h.length / 2;
  if (length !== undefined) {
    if (!Number.isSafeInteger(length) || length < 0) throw new RangeError('bigIntToBytes: bad length');
    if (n === 0n) size = 0;
    if (size > length) throw new RangeError(`bigIntToBytes: value does not fit in ${length} bytes`);
  }
  const out = new Uint8Array(length ?? size);
  const start = out.length - size;
  for (let i = 0; i < size; i++) out[start + i] = Number.parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * The number of bits in a non-negative integer (0n has 0 bits).
 *
 * @throws RangeError if `n` is negative.
 * @example
 * ```ts
 * bitLength(255n); // 8
 * ```
 */
export function bitLength(n: bigint): number {
  if (n < 0n) throw new RangeError('bitLength: negative value');
  if (n === 0n) return 0;
  const h = n.toString(16);
  return (h.length - 1) * 4 + Number.parseInt(h[0] as string, 16).toString(2).length;
}

/** The concatenation of `parts` in one new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * A copy of `bytes` in a new plain Uint8Array. Not `bytes.slice()`: Node's Buffer overrides
 * `slice` to return a view, so writing into that "copy" would change the caller's data.
 */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  return Uint8Array.prototype.slice.call(bytes);
}
