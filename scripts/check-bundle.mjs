#!/usr/bin/env node
// `pnpm check:bundle`: bundles single subpath imports of the built packages with esbuild, as an
// application would, and fails when one pulls in modules it does not need (for example the
// cipher tables into a Streebog-only bundle). Run after `pnpm build`.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

/** Subpath -> source modules (by file name in src/) that its bundle must not contain. */
const CIPHERS = ['kuznyechik', 'magma', 'gost28147', 'gost341194', 'modes', 'keywrap', 'legacy'];
const SIGNATURES = ['curves', 'gost3410', 'kdf', '_ec'];
const except = (list, ...keep) => list.filter((name) => !keep.includes(name));
const RULES = {
  '@eds/gost/streebog': [...CIPHERS, ...SIGNATURES],
  '@eds/gost/gost3410': CIPHERS,
  '@eds/gost/kdf': CIPHERS,
  '@eds/gost/curves': [...CIPHERS, 'streebog'],
  '@eds/gost/kuznyechik': [...except(CIPHERS, 'kuznyechik'), ...SIGNATURES, 'streebog'],
  '@eds/gost/magma': [...except(CIPHERS, 'magma'), ...SIGNATURES, 'streebog'],
  '@eds/gost/modes': [...except(CIPHERS, 'modes'), ...SIGNATURES, 'streebog'],
  '@eds/gost/gost28147': [...except(CIPHERS, 'gost28147'), ...SIGNATURES, 'streebog'],
  '@eds/gost/gost341194': [...except(CIPHERS, 'gost341194', 'gost28147'), ...SIGNATURES, 'streebog'],
  '@eds/gost/keywrap': ['gost341194', 'legacy', ...SIGNATURES, 'streebog'],
};

let failed = false;
for (const [entry, forbidden] of Object.entries(RULES)) {
  const result = await build({
    // Resolved from a package that depends on @eds/gost, through its exports map to dist/, as an
    // application would; the root tsconfig's source paths are not used.
    stdin: { contents: `export * from '${entry}';`, resolveDir: 'packages/cli', loader: 'js' },
    tsconfigRaw: '{}',
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs).filter((path) => path.includes('packages/gost/dist/'));
  const output = result.outputFiles[0]?.text ?? '';
  // With code splitting a module's code may sit in a shared chunk, so ask each bundled dist
  // file's source map which source modules it holds.
  const sources = inputs.flatMap((path) => JSON.parse(readFileSync(`${path}.map`, 'utf8')).sources);
  const bad = forbidden.filter((name) => sources.some((source) => source.endsWith(`src/${name}.ts`)));
  const size = (output.length / 1024).toFixed(1);
  if (bad.length > 0) {
    failed = true;
    console.error(`FAIL ${entry}: bundle (${size} KiB) contains ${bad.join(', ')}`);
  } else {
    console.log(`ok   ${entry}: ${size} KiB, none of ${forbidden.join(', ')}`);
  }
}
if (failed) process.exit(1);
console.log('check:bundle: every subpath bundles only what it uses');
