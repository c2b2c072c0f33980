// Vite configuration of the browser signing example: the @eds packages are taken from their sources in this repository.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const workspace = ['gost', 'core', 'verify', 'pkcs11'].join('|');

// The page imports the packages by their public names (`@eds/pkcs11/software`, …). Mapping them to
// the sources, as the root vitest.config.ts does, makes `pnpm dev` work on a fresh clone without
// `pnpm build`; an application that installs the published packages needs none of this.
export const edsAliases = [
  { find: new RegExp(`^@eds/(${workspace})$`), replacement: `${repo}packages/$1/src/index.ts` },
  { find: new RegExp(`^@eds/(${workspace})/(.+)$`), replacement: `${repo}packages/$1/src/$2.ts` },
  // `#sha2` of @eds/core ("imports" in its package.json): the browser implementation.
  { find: /^#sha2$/, replacement: `${repo}packages/core/src/_sha2.ts` },
];

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: { alias: edsAliases },
  server: { host: '127.0.0.1', strictPort: false },
  preview: { host: '127.0.0.1' },
  // BigInt and top-level features the SDK uses need ES2022.
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2048 },
  esbuild: { target: 'es2022' },
  optimizeDeps: { esbuildOptions: { target: 'es2022' } },
});
