// The login page: index.html and its script, src/browser.ts bundled for the browser with esbuild when the server starts.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const here = new URL('./', import.meta.url);
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const WORKSPACE = /^@eds\/(gost|core|verify|pkcs11)(?:\/(.+))?$/;

/**
 * Resolves `@eds/<package>[/<subpath>]` to the package's TypeScript sources in this repository and
 * `#sha2` to @eds/core's browser implementation, so the example runs on a fresh clone without
 * building the packages. An application that installs the published packages needs no plugin.
 */
export const edsSources: Plugin = {
  name: 'eds-sources',
  setup(b) {
    b.onResolve({ filter: /^(@eds\/|#sha2$)/ }, (args) => {
      if (args.path === '#sha2') return { path: `${repo}packages/core/src/_sha2.ts` };
      const m = WORKSPACE.exec(args.path);
      if (!m) return undefined;
      return { path: `${repo}packages/${m[1]}/src/${m[2] ?? 'index'}.ts` };
    });
  },
};

/**
 * Reads the page and bundles its script (ES2022 module, one file, with a source map inline so
 * errors in the browser point at the TypeScript).
 *
 * @throws the esbuild error when the script does not compile.
 * @example
 * ```ts
 * const page = await buildPage();
 * createLoginServer({ ...options, page });
 * ```
 */
export async function buildPage(): Promise<{ readonly html: Uint8Array; readonly script: Uint8Array }> {
  const [html, result] = await Promise.all([
    readFile(new URL('index.html', here)),
    build({
      entryPoints: [fileURLToPath(new URL('browser.ts', here))],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      sourcemap: 'inline',
      logLevel: 'silent',
      plugins: [edsSources],
    }),
  ]);
  const script = result.outputFiles[0]?.contents;
  if (!script) throw new Error('esbuild produced no output');
  return { html: new Uint8Array(html), script };
}
