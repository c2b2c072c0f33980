// The block-cipher shape shared by Kuznyechik, Magma and GOST 28147-89 and the modes of GOST R 34.13-2015.

/**
 * A block cipher bound to one key (its key schedule computed once). Blocks are read from `src` at
 * `srcOffset` and written to `dst` at `dstOffset`; `src` and `dst` may be the same array at the
 * same offset. The caller guarantees `blockSize` bytes at both places.
 */
export interface BlockCipher {
  /** Block length in bytes: 16 for Kuznyechik, 8 for Magma and GOST 28147-89. */
  readonly blockSize: 8 | 16;
  encryptBlock(src: Uint8Array, srcOffset: number, dst: Uint8Array, dstOffset: number): void;
  decryptBlock(src: Uint8Array, srcOffset: number, dst: Uint8Array, dstOffset: number): void;
  /** Overwrites the key schedule; the object must not be used afterwards. */
  destroy(): void;
}
