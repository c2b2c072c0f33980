// Reads corpus files in Node (the browser twin is vectors.browser.ts; the test config picks one).
import { readFile } from 'node:fs/promises';
import { resolveFixture, resolveVector } from './vectors-path.ts';

export { resolveFixture, resolveVector, vectorsDir } from './vectors-path.ts';

/** Bytes of a file under ../shared/vectors, e.g. `readVector('gost/tc26-cms-2019/signed_a111.pem')`. */
export async function readVector(relative: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(resolveVector(relative)));
}

/** Text (UTF-8) of a corpus file. */
export async function readVectorText(relative: string): Promise<string> {
  return new TextDecoder().decode(await readVector(relative));
}

/** Bytes of a package's own fixture, e.g. `readFixture('packages/core/test/vectors/pkcs12/r50-1-112.pfx')`. */
export async function readFixture(relative: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(resolveFixture(relative)));
}
