#!/usr/bin/env node
// Installs the packed tarballs into an empty project, the way a user gets them from npm, and
// uses them from ESM (import), from CommonJS (require) and through the `eds` executable.
// Run after `pnpm build`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packAll } from './_pack.mjs';

const dir = mkdtempSync(join(tmpdir(), 'eds-consumer-'));
const ABC256 = '4e2919cf137ed41ec4fb6270c61826cc4fffb660341e0af3688cd0626d23b481';

const esm = `
import { streebog256 } from '@eds/gost/streebog';
import { EdsError } from '@eds/gost';
import { base64Encode, DecodeError } from '@eds/core';
import { createFetcher } from '@eds/verify';
import { fromCkr } from '@eds/pkcs11';
import { run } from '@eds/cli';
const hex = Buffer.from(streebog256(new TextEncoder().encode('abc'))).toString('hex');
if (hex !== '${ABC256}') throw new Error('ESM digest ' + hex);
if (base64Encode(new Uint8Array([1, 2, 3])) !== 'AQID') throw new Error('ESM base64');
if (!(new DecodeError('ERR_X', 'x') instanceof EdsError)) throw new Error('ESM error hierarchy');
if (typeof createFetcher !== 'function' || fromCkr(0xa0)?.code !== 'ERR_TOKEN_PIN_INCORRECT') throw new Error('ESM verify/pkcs11');
if (typeof run !== 'function') throw new Error('ESM cli');
console.log('esm ok');
`;
const cjs = `
const { streebog256 } = require('@eds/gost/streebog');
const { EdsError } = require('@eds/gost');
const { DecodeError, hexEncode } = require('@eds/core');
const { createFetcher } = require('@eds/verify');
const { fromCkr } = require('@eds/pkcs11');
const hex = hexEncode(streebog256(new TextEncoder().encode('abc')));
if (hex !== '${ABC256}') throw new Error('CJS digest ' + hex);
if (!(new DecodeError('ERR_X', 'x') instanceof EdsError)) throw new Error('CJS error hierarchy');
if (typeof createFetcher !== 'function' || fromCkr(0xe0)?.code !== 'ERR_TOKEN_NOT_PRESENT') throw new Error('CJS verify/pkcs11');
console.log('cjs ok');
`;

try {
  const tarballs = packAll(dir);
  const overrides = Object.fromEntries(Object.entries(tarballs).map(([name, file]) => [name, `file:${file}`]));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, dependencies: overrides, overrides }, null, 2),
  );
  writeFileSync(join(dir, 'esm.mjs'), esm);
  writeFileSync(join(dir, 'cjs.cjs'), cjs);
  writeFileSync(join(dir, 'abc.txt'), 'abc');
  const sh = (cmd, args) =>
    execFileSync(cmd, args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  sh('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error']);
  process.stdout.write(sh('node', ['esm.mjs']));
  process.stdout.write(sh('node', ['cjs.cjs']));
  const line = sh(join(dir, 'node_modules', '.bin', 'eds'), ['digest', 'abc.txt']);
  if (line.trim() !== `${ABC256}  abc.txt`) throw new Error(`eds bin printed ${line}`);
  console.log('bin ok');
  console.log(`consumer test: ${Object.keys(tarballs).length} tarballs installed; ESM, CJS and the eds bin work`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
