// One test suite, two runtimes: every *.test.ts runs in Node and in headless Chromium;
// *.node.test.ts runs in Node only (child processes, servers, PKCS#11).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { CHROMIUM_ARGS, chromiumPath } from './tooling/test-support/src/chromium.ts';
import { resolveFixture, resolveVector } from './tooling/test-support/src/vectors-path.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const workspace = ['gost', 'core', 'verify', 'pkcs11'].join('|');

// Tests import packages by their public names and get the sources, so no build is needed.
const alias = [
  { find: new RegExp(`^@eds/(${workspace})$`), replacement: `${root}packages/$1/src/index.ts` },
  { find: new RegExp(`^@eds/(${workspace})/(.+)$`), replacement: `${root}packages/$1/src/$2.ts` },
];
// `#sha2` of @eds/core: node:crypto in Node, @noble/hashes in the browser (package.json "imports").
const importsAlias = (runtime: 'node' | 'browser') => [
  { find: /^#sha2$/, replacement: `${root}packages/core/src/_sha2${runtime === 'node' ? '.node' : ''}.ts` },
];
const supportAlias = (runtime: 'node' | 'browser') => [
  {
    find: /^@eds\/test-support\/vectors$/,
    replacement: `${root}tooling/test-support/src/vectors.${runtime}.ts`,
  },
  { find: /^@eds\/test-support\/(.+)$/, replacement: `${root}tooling/test-support/src/$1.ts` },
];

const include = ['packages/*/test/**/*.test.ts', 'tooling/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        resolve: { alias: [...alias, ...importsAlias('node'), ...supportAlias('node')] },
        test: { name: 'node', include, environment: 'node' },
      },
      {
        extends: true,
        resolve: { alias: [...alias, ...importsAlias('browser'), ...supportAlias('browser')] },
        optimizeDeps: { include: ['fast-check'] },
        test: {
          name: 'browser',
          include,
          exclude: ['**/*.node.test.ts', '**/node_modules/**'],
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: { executablePath: chromiumPath(), args: [...CHROMIUM_ARGS] },
            }),
            instances: [{ browser: 'chromium' }],
            commands: {
              // Corpus files reach the browser through the test server, base64 over the wire.
              readVector: async (_ctx, relative: string) =>
                (await readFile(resolveVector(relative))).toString('base64'),
              readFixture: async (_ctx, relative: string) =>
                (await readFile(resolveFixture(relative))).toString('base64'),
              // NCALayer protocol servers (packages/pkcs11 tests) run in Node, loaded through the project's module runner.
              ncaLayer: async (ctx, action: string, ...args: unknown[]) =>
                (
                  await ctx.project.import<typeof import('./tooling/test-support/src/ncalayer-server.ts')>(
                    `${root}tooling/test-support/src/ncalayer-server.ts`,
                  )
                ).ncaLayerCommand(action, ...args),
            },
          },
        },
      },
    ],
  },
});
