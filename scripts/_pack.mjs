// Packs every published package with pnpm (which rewrites workspace: ranges) into a folder.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname;

/** The published packages: name, folder and manifest. */
export function publishedPackages() {
  return readdirSync(join(root, 'packages')).map((dir) => {
    const path = join(root, 'packages', dir);
    const manifest = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8'));
    return { name: manifest.name, dir: path, manifest };
  });
}

/** Packs each package into `dest`; returns name to tarball path. Needs a prior build. */
export function packAll(dest) {
  const tarballs = {};
  for (const pkg of publishedPackages()) {
    const out = execFileSync('pnpm', ['pack', '--pack-destination', dest], { cwd: pkg.dir, encoding: 'utf8' });
    const file = out.trim().split('\n').pop().trim();
    tarballs[pkg.name] = file.startsWith('/') ? file : join(dest, file);
  }
  return tarballs;
}
