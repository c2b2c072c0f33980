// Internal, Node only: SHA-2 (FIPS 180-4) through node:crypto (OpenSSL), chosen by the package import `#sha2` under the `node` condition; the same interface and tests as _sha2.ts.
import { createHash } from 'node:crypto';
import type { Sha2Hasher, Sha2Name } from './_sha2';

export type { Sha2Hasher, Sha2Name } from './_sha2';

/** Which implementation this module is, for benchmarks and reports. */
export const SHA2_BACKEND: string = 'node:crypto';

function bytes(b: Uint8Array): Uint8Array {
  // a plain Uint8Array of its own (node:crypto returns a Buffer that may share a pool)
  return new Uint8Array(b);
}

/** A new streaming hasher. */
export function createSha2(name: Sha2Name): Sha2Hasher {
  const h = createHash(name);
  let done = false;
  return {
    update(data: Uint8Array) {
      if (done) throw new Error('sha2: update after digest');
      h.update(data);
      return this;
    },
    digest() {
      if (done) throw new Error('sha2: digest called twice');
      done = true;
      return bytes(h.digest());
    },
  };
}

/** The hash of `data` in one call. */
export function sha2(name: Sha2Name, data: Uint8Array): Uint8Array {
  return bytes(createHash(name).update(data).digest());
}
