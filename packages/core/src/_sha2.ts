// Internal: SHA-2 (FIPS 180-4) from @noble/hashes, for browsers and every runtime; in Node the package import `#sha2` resolves to _sha2.node.ts instead (ARCHITECTURE.md: a measured hot path behind one small module chosen by an import condition).
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';

/** The SHA-2 functions digests.ts needs. */
export type Sha2Name = 'sha256' | 'sha384' | 'sha512';

/** A streaming hash: update with chunks, then digest once. */
export interface Sha2Hasher {
  update(data: Uint8Array): unknown;
  digest(): Uint8Array;
}

const NOBLE = { sha256, sha384, sha512 } as const;

/** Which implementation this module is, for benchmarks and reports. */
export const SHA2_BACKEND: string = 'noble';

/** A new streaming hasher. */
export function createSha2(name: Sha2Name): Sha2Hasher {
  return NOBLE[name].create();
}

/** The hash of `data` in one call. */
export function sha2(name: Sha2Name, data: Uint8Array): Uint8Array {
  return NOBLE[name](data);
}
