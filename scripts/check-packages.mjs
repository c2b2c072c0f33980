#!/usr/bin/env node
// Lints what would be published: each package is packed, then checked by publint (package.json
// and files) and @arethetypeswrong/cli (types resolve for ESM and CJS consumers under node16
// and bundler resolution). Fails on any problem. Run after `pnpm build`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packAll, root } from './_pack.mjs';

const dest = mkdtempSync(join(tmpdir(), 'eds-pack-'));
const bin = (name) => join(root, 'node_modules', '.bin', name);
let failed = 0;
try {
  const tarballs = packAll(dest);
  for (const [name, tarball] of Object.entries(tarballs)) {
    for (const [tool, args] of [
      ['publint', [bin('publint'), 'run', tarball, '--strict']],
      ['attw', [bin('attw'), tarball, '--format', 'ascii', '--profile', 'node16']],
    ]) {
      const r = spawnSync(args[0], args.slice(1), { encoding: 'utf8' });
      const ok = r.status === 0;
      if (!ok) failed++;
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${tool.padEnd(7)} ${name}`);
      if (!ok) console.log(`${r.stdout}${r.stderr}`.replace(/^/gm, '     '));
    }
  }
} finally {
  rmSync(dest, { recursive: true, force: true });
}
if (failed) {
  console.error(`check:packages: ${failed} check(s) failed`);
  process.exit(1);
}
console.log('check:packages: publint and attw found no problems');
