// What the benchmarks share: one temporary directory per run, a large generated document, the environment that loads OpenSSL's GOST engine, and child-process probes.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIB = 2 ** 20;
const GOST_CONF = fileURLToPath(new URL('../../test-support/openssl-gost.cnf', import.meta.url));
const dirs = new Map<string, string>();

/** A temporary directory for this run, created on first use and removed when the process exits. */
export function benchTempDir(prefix: string): string {
  let dir = dirs.get(prefix);
  if (!dir) {
    const made = mkdtempSync(join(tmpdir(), `${prefix}-`));
    process.on('exit', () => rmSync(made, { recursive: true, force: true }));
    dirs.set(prefix, made);
    dir = made;
  }
  return dir;
}

/** Writes `bytes` (a multiple of 1 MiB) of varying content to `path` in 1 MiB pieces, never holding it whole. */
export function writeLargeFile(path: string, bytes: number): string {
  const chunk = new Uint8Array(MIB);
  writeFileSync(path, new Uint8Array(0));
  for (let i = 0; i < bytes / MIB; i++) {
    chunk.fill((i * 131 + 7) & 0xff);
    writeFileSync(path, chunk, { flag: 'a' });
  }
  return path;
}

/** The environment for an `openssl` child process: with the GOST engine's configuration, or without any. */
export function opensslEnv(gost: boolean): NodeJS.ProcessEnv {
  const env = { ...process.env };
  if (gost) env.OPENSSL_CONF = GOST_CONF;
  else delete env.OPENSSL_CONF;
  return env;
}

/**
 * Runs a TypeScript probe in a fresh child Node (through tsx, from `cwd`) and parses the JSON
 * report on the last line of its output; a failing probe rejects with its stderr.
 */
export function runProbe<T>(script: string, args: readonly string[], cwd: string): Promise<T> {
  const name = basename(script);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${name} ${args.join(' ')} exited with ${code}:\n${err}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() as string) as T);
      } catch (error) {
        reject(new Error(`${name} printed no report:\n${out}\n${err}`, { cause: error }));
      }
    });
  });
}
