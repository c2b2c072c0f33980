// Where the shared test corpora live: ../shared/vectors beside the repository (read-only).
import { existsSync } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The corpora folder; `EDS_VECTORS_DIR` overrides the default `../shared/vectors`. */
export function vectorsDir(): string {
  const dir = process.env.EDS_VECTORS_DIR ?? fileURLToPath(new URL('../../../../shared/vectors', import.meta.url));
  if (!existsSync(dir)) {
    throw new Error(
      `test corpora not found at ${dir}: clone the repository with "shared/" beside it ` +
        '(the layout CI uses) or set EDS_VECTORS_DIR to the vectors folder',
    );
  }
  return dir;
}

/** Absolute path of a corpus file, refusing paths that climb out of the corpora folder. */
export function resolveVector(relative: string): string {
  const clean = normalize(relative);
  if (isAbsolute(clean) || clean.startsWith('..')) {
    throw new Error(`vector path must stay inside the corpora folder: ${relative}`);
  }
  const path = join(vectorsDir(), clean);
  if (!existsSync(path)) throw new Error(`test vector not found: ${path}`);
  return path;
}

/**
 * Absolute path of a fixture a package owns (`packages/<name>/test/vectors/...`), given from the
 * repository root, e.g. `packages/core/test/vectors/rfc9215/cert-256.pem`.
 */
export function resolveFixture(relative: string): string {
  const clean = normalize(relative).replace(/\\/g, '/');
  if (!/^packages\/[a-z0-9-]+\/test\/vectors\//.test(clean) || clean.includes('..')) {
    throw new Error(`fixture path must be under packages/<name>/test/vectors/: ${relative}`);
  }
  const path = fileURLToPath(new URL(`../../../${clean}`, import.meta.url));
  if (!existsSync(path)) throw new Error(`fixture not found: ${path}`);
  return path;
}
