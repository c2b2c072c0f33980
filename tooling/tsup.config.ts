// One build configuration for every published package: one entry per subpath export (taken
// from package.json, so the exports map and the build cannot drift apart), ESM + CJS,
// declarations for both, source maps, tree-shakeable output.
import { readFileSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

interface Manifest {
  version: string;
  exports: Record<string, unknown>;
  bin?: Record<string, string>;
}

/** Build options for the package in the current directory; `platform` is neutral by default. */
export function packageConfig(options: { platform?: 'node' | 'neutral' } = {}): Options {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as Manifest;
  const entry = Object.keys(pkg.exports)
    .filter((key) => key !== './package.json')
    .map((key) => (key === '.' ? 'src/index.ts' : `src/${key.slice(2)}.ts`));
  return {
    // The executable (src/bin.ts, with its shebang) is built beside the library entries.
    entry: pkg.bin ? [...entry, 'src/bin.ts'] : entry,
    dts: { entry },
    format: ['esm', 'cjs'],
    target: 'es2022',
    platform: options.platform ?? 'neutral',
    sourcemap: true,
    treeshake: true,
    splitting: true,
    clean: true,
    define: { __EDS_VERSION__: JSON.stringify(pkg.version) },
  };
}

export default defineConfig(packageConfig());
