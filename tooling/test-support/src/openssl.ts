// OpenSSL 3 with the GOST engine, for interop tests: an independent implementation to check
// the SDK against (recipes: shared/docs/reference/openssl-gost-recipes.md).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { COMPONENTS, requireComponent } from './components.ts';

/** The config that loads engine `gost` for every subcommand (crl and ocsp have no -engine). */
export const OPENSSL_GOST_CONF = fileURLToPath(new URL('../openssl-gost.cnf', import.meta.url));

export interface OpensslOptions {
  /** Bytes written to standard input. */
  input?: Uint8Array | string;
  /** Working directory (for relative file arguments). */
  cwd?: string;
  /** Load the GOST engine through OPENSSL_CONF (default true). */
  gost?: boolean;
  /** Kill the process after this many milliseconds (default 60 s). */
  timeoutMs?: number;
}

export interface OpensslResult {
  stdout: Uint8Array;
  stderr: string;
}

/** Raised when openssl exits non-zero; carries what it printed. */
export class OpensslError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
    readonly stdout: Uint8Array,
  ) {
    super(`openssl ${args.join(' ')} exited with ${exitCode}: ${stderr.trim()}`);
    this.name = 'OpensslError';
  }
}

let engineChecked = false;

/**
 * Runs `openssl ...args` and resolves with its output; rejects with OpensslError on a non-zero
 * exit. Fails with the package name when openssl or the GOST engine is missing.
 */
export async function openssl(args: readonly string[], options: OpensslOptions = {}): Promise<OpensslResult> {
  const gost = options.gost ?? true;
  if (gost && !engineChecked) {
    await checkGostEngine();
    engineChecked = true;
  }
  return run(args, options, gost);
}

/** Convenience: openssl's standard output as text. */
export async function opensslText(args: readonly string[], options: OpensslOptions = {}): Promise<string> {
  return new TextDecoder().decode((await openssl(args, options)).stdout);
}

async function checkGostEngine(): Promise<void> {
  requireComponent(COMPONENTS.openssl);
  try {
    await run(['dgst', '-streebog256'], { input: '' }, true);
  } catch (cause) {
    throw new Error(
      'OpenSSL cannot load the GOST engine: install the Debian package "libengine-gost-openssl" ' +
        '(run: sudo bash scripts/setup-system.sh)',
      { cause },
    );
  }
}

function run(args: readonly string[], options: OpensslOptions, gost: boolean): Promise<OpensslResult> {
  const env = { ...process.env };
  if (gost) env.OPENSSL_CONF = OPENSSL_GOST_CONF;
  else delete env.OPENSSL_CONF;
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', args, {
      cwd: options.cwd,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 60_000,
    });
    const out: Uint8Array[] = [];
    const err: Uint8Array[] = [];
    child.stdout.on('data', (c: Uint8Array) => out.push(c));
    child.stderr.on('data', (c: Uint8Array) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      const stdout = concat(out);
      const stderr = new TextDecoder().decode(concat(err));
      if (code === 0) resolve({ stdout, stderr });
      else reject(new OpensslError(args, code, stderr, stdout));
    });
    child.stdin.on('error', () => {}); // a command that ignores stdin may close it early
    child.stdin.end(options.input ?? '');
  });
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
