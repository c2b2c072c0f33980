#!/usr/bin/env node
// `pnpm bench [filter...]`: runs the TypeScript benchmark files through tsx.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const r = spawnSync(
  join(root, 'node_modules', '.bin', 'tsx'),
  [join(root, 'tooling/bench/src/run.ts'), ...process.argv.slice(2)],
  {
    stdio: 'inherit',
  },
);
process.exit(r.status ?? 1);
