// One build configuration for every published package: one entry per subpath export (taken
// from package.json, so the exports map and the build cannot drift apart), ESM + CJS,
// declarations for both, source maps, tree-shakeable output.
import { readFileSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

interface Manifest {
  version: string;
  exports: Record<string, unknown>;
  /** Package imports (`#name`) chosen by condition, e.g. `#sha2`: node or portable. */
  imports?: Record<string, unknown>;
  bin?: Record<string, string>;
}

/** Build options for the package in the current directory; `platform` is neutral by default. */
export function packageConfig(options: { platform?: 'node' | 'neutral' } = {}): Options {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as Manifest;
  const entry = Object.keys(pkg.exports)
    .filter((key) => key !== './package.json')
    .map((key) => (key === '.' ? 'src/index.ts' : `src/${key.slice(2)}.ts`));
  // Each `imports` target (./dist/x.js) is built from src/x.ts as an entry of its own and left
  // as an import, so that Node and bundlers pick the variant by condition at run time.
  const targets = JSON.stringify(pkg.imports ?? {}).match(/\.\/dist\/[\w.-]+\.js/g) ?? [];
  const internal = [...new Set(targets.map((t) => `src/${t.slice('./dist/'.length, -'.js'.length)}.ts`))];
  return {
    // The executable (src/bin.ts, with its shebang) is built beside the library entries.
    entry: [...entry, ...internal, ...(pkg.bin ? ['src/bin.ts'] : [])],
    external: Object.keys(pkg.imports ?? {}),
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
