// A SoftHSM2 token per test run in a temp dir, with pkcs11-tool helpers to make and import keys
// (recipe: shared/docs/reference/tokens.md §4.3). Node only.
//
// Usage:
//   const hsm = await createSoftHsm();            // sets process.env.SOFTHSM2_CONF: call it BEFORE
//                                                  // loading the module (openPkcs11(hsm.modulePath))
//   await hsm.generateKey({ type: 'rsa', id: '01', label: 'rsa1' });
//   await hsm.importKey({ pkcs8, certificate, id: '04', label: 'imp' });
//   ... tests ...
//   await hsm.dispose();                           // removes the dir, restores SOFTHSM2_CONF
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMPONENTS, requireComponent } from './components.ts';

/** A SoftHSM2 token initialised for one test run. */
export interface SoftHsm {
  /** Path of libsofthsm2.so, for `openPkcs11`. */
  readonly modulePath: string;
  /** The temp dir holding the config and the token files. */
  readonly dir: string;
  /** The config file, also set as `process.env.SOFTHSM2_CONF` until `dispose()`. */
  readonly conf: string;
  readonly label: string;
  /** Token serial number (trimmed), the adapter's `tokenId`. */
  readonly serial: string;
  readonly pin: string;
  readonly soPin: string;
  /** Generates a key pair on the token with pkcs11-tool (CKA_ID `id` in hex). */
  generateKey(options: GenerateKeyOptions): Promise<void>;
  /** Imports a PKCS#8 private key (softhsm2-util --import) and, when given, its certificate (pkcs11-tool --write-object), sharing CKA_ID `id`. */
  importKey(options: ImportKeyOptions): Promise<void>;
  /** Writes a DER certificate object with CKA_ID `id`. */
  writeCertificate(der: Uint8Array, id: string, label: string): Promise<void>;
  /** Initialises another token in the next free slot (same PINs); resolves with its serial. */
  initToken(label: string): Promise<string>;
  /** Runs pkcs11-tool on this token, logged in with the user PIN; resolves with its stdout. */
  pkcs11Tool(args: readonly string[], options?: { input?: Uint8Array }): Promise<Uint8Array>;
  /** Removes the token files and restores the previous SOFTHSM2_CONF. */
  dispose(): Promise<void>;
}

/** Options of {@link SoftHsm.generateKey}. */
export interface GenerateKeyOptions {
  /** `rsa` (2048 bits) or `ec` (P-256). */
  readonly type: 'rsa' | 'ec';
  /** CKA_ID in hex, e.g. `01`. */
  readonly id: string;
  readonly label: string;
  /** CKA_ALWAYS_AUTHENTICATE: the key asks for the PIN on every signature. */
  readonly alwaysAuthenticate?: boolean;
}

/** Options of {@link SoftHsm.importKey}. */
export interface ImportKeyOptions {
  /** DER PKCS#8 PrivateKeyInfo (RSA, EC P-256 or Ed25519: what SoftHSM imports). */
  readonly pkcs8: Uint8Array;
  /** DER certificate stored with the same CKA_ID. */
  readonly certificate?: Uint8Array;
  readonly id: string;
  readonly label: string;
}

/** Options of {@link createSoftHsm}. */
export interface SoftHsmOptions {
  readonly label?: string;
  readonly pin?: string;
  readonly soPin?: string;
}

const KNOWN_MODULE_PATHS = [
  '/usr/lib/softhsm/libsofthsm2.so',
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/local/lib/softhsm/libsofthsm2.so',
];

/**
 * Finds libsofthsm2.so (`dpkg -L libsofthsm2`, then known paths).
 *
 * @throws Error naming the Debian package `softhsm2` when it is not installed.
 */
export function findSoftHsmModule(): string {
  const r = spawnSync('dpkg', ['-L', 'libsofthsm2'], { encoding: 'utf8' });
  const listed = (r.stdout ?? '').split('\n').find((l) => l.endsWith('/softhsm/libsofthsm2.so') && existsSync(l));
  const found = listed ?? KNOWN_MODULE_PATHS.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      'SoftHSM2 module libsofthsm2.so not found: install the Debian packages "softhsm2" and "opensc" ' +
        '(run: sudo bash scripts/setup-system.sh)',
    );
  }
  return found;
}

/**
 * Creates a SoftHSM2 config and token dir in a fresh temp dir, sets `process.env.SOFTHSM2_CONF`
 * (SoftHSM reads it at C_Initialize; worker threads share the process environment) and
 * initialises one token. Call before loading the module in this process.
 *
 * @throws Error naming `softhsm2` / `opensc` when softhsm2-util or pkcs11-tool is missing.
 */
export async function createSoftHsm(options: SoftHsmOptions = {}): Promise<SoftHsm> {
  requireComponent(COMPONENTS.softhsm);
  requireComponent(COMPONENTS.pkcs11Tool);
  const modulePath = findSoftHsmModule();
  const label = options.label ?? 'eds-test';
  const pin = options.pin ?? '1234';
  const soPin = options.soPin ?? '12345678';
  const dir = await mkdtemp(join(tmpdir(), 'eds-softhsm-'));
  const conf = join(dir, 'softhsm2.conf');
  await mkdir(join(dir, 'tokens'));
  await writeFile(
    conf,
    `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`,
  );
  const previous = process.env.SOFTHSM2_CONF;
  process.env.SOFTHSM2_CONF = conf;
  const env = { ...process.env, SOFTHSM2_CONF: conf };
  const initToken = async (tokenLabel: string) => {
    await run('softhsm2-util', ['--init-token', '--free', '--label', tokenLabel, '--so-pin', soPin, '--pin', pin], {
      env,
    });
    return serialOf(new TextDecoder().decode(await run('softhsm2-util', ['--show-slots'], { env })), tokenLabel);
  };
  const serial = await initToken(label);
  const tool = (args: readonly string[], o: { input?: Uint8Array } = {}) =>
    run('pkcs11-tool', ['--module', modulePath, '--token-label', label, '--login', '--pin', pin, ...args], {
      env,
      input: o.input,
    });
  const writeCertificate = async (der: Uint8Array, id: string, certLabel: string) => {
    const file = join(dir, `cert-${id}.der`);
    await writeFile(file, der);
    await tool(['--write-object', file, '--type', 'cert', '--id', id, '--label', certLabel]);
  };
  return {
    modulePath,
    dir,
    conf,
    label,
    serial,
    pin,
    soPin,
    pkcs11Tool: tool,
    initToken,
    writeCertificate,
    generateKey: async (o) => {
      const keyType = o.type === 'rsa' ? 'rsa:2048' : 'EC:prime256v1';
      const extra = o.alwaysAuthenticate ? ['--always-auth'] : [];
      await tool(['--keypairgen', '--key-type', keyType, '--id', o.id, '--label', o.label, '--usage-sign', ...extra]);
    },
    importKey: async (o) => {
      const file = join(dir, `key-${o.id}.pem`);
      await writeFile(file, pem('PRIVATE KEY', o.pkcs8), { mode: 0o600 });
      await run('softhsm2-util', ['--import', file, '--token', label, '--label', o.label, '--id', o.id, '--pin', pin], {
        env,
      });
      await rm(file, { force: true });
      if (o.certificate) await writeCertificate(o.certificate, o.id, o.label);
    },
    dispose: async () => {
      if (process.env.SOFTHSM2_CONF === conf) {
        if (previous === undefined) delete process.env.SOFTHSM2_CONF;
        else process.env.SOFTHSM2_CONF = previous;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The serial number of the token labelled `label` in `softhsm2-util --show-slots` output. */
function serialOf(slots: string, label: string): string {
  for (const block of slots.split(/\nSlot /)) {
    const l = /Label:\s*(.*)/.exec(block)?.[1]?.trim();
    const s = /Serial number:\s*(\S*)/.exec(block)?.[1]?.trim();
    if (l === label && s) return s;
  }
  throw new Error(`softhsm2-util --show-slots lists no token labelled ${label}`);
}

function pem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${b64.trimEnd()}\n-----END ${label}-----\n`;
}

function run(
  command: string,
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; input?: Uint8Array | undefined },
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env, stdio: ['pipe', 'pipe', 'pipe'], timeout: 120_000 });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(new Uint8Array(Buffer.concat(out)));
      else
        reject(new Error(`${command} ${args[0] ?? ''} exited with ${code}: ${Buffer.concat(err).toString().trim()}`));
    });
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? new Uint8Array(0));
  });
}
