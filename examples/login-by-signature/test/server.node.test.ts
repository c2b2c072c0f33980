// `pnpm start` as a child process: settings from flags and files, a login over HTTP, a clean stop on SIGTERM; bad flags exit 64 with the usage.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signCms } from '@eds/core/cms';
import { base64Encode, encodePem } from '@eds/core/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoPki, type DemoPki } from '../src/demo-pki.ts';

const cwd = fileURLToPath(new URL('..', import.meta.url));
let pki: DemoPki;
let dir: string;

beforeAll(async () => {
  pki = await createDemoPki();
  dir = await mkdtemp(join(tmpdir(), 'eds-login-server-'));
});

afterAll(async () => {
  await pki?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Started {
  readonly child: ChildProcess;
  output(): string;
  readonly exited: Promise<number | null>;
  /** The URL once the server says it listens; rejects when it exits first. */
  readonly url: Promise<string>;
}

function start(args: readonly string[]): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts', ...args], { cwd, stdio: 'pipe' });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    const seen = (d: Buffer) => {
      output += d;
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m?.[1]) resolve(m[1]);
    };
    child.stdout?.on('data', seen);
    child.stderr?.on('data', seen);
    void exited.then(() => reject(new Error(`the server exited:\n${output}`)));
  });
  url.catch(() => undefined); // observed by the tests that wait for it
  return { child, output: () => output, exited, url };
}

describe('server entry point', () => {
  it('reads the trust, intermediates and accounts files, signs a user in, and stops on SIGTERM', async () => {
    const user = await pki.issueUser({ surname: 'Иванова', givenName: 'Мария Петровна' });
    await writeFile(join(dir, 'roots.pem'), encodePem('CERTIFICATE', pki.root.certificate));
    await writeFile(join(dir, 'cas.pem'), encodePem('CERTIFICATE', pki.ca.certificate));
    await writeFile(
      join(dir, 'accounts.json'),
      JSON.stringify([{ id: 'u-7', name: 'Иванова М. П.', snils: user.snils }]),
    );
    const files = ['--trust', 'roots.pem', '--intermediates', 'cas.pem', '--accounts', 'accounts.json'];
    const server = start([
      ...files.map((f) => (f.startsWith('--') ? f : join(dir, f))),
      '--port',
      '0',
      '--portal',
      'portal.test',
    ]);
    try {
      const url = await server.url;
      const page = await fetch(`${url}/`);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await page.text()).toContain('Войти по подписи');
      const script = await fetch(`${url}/app.js`);
      expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
      const challenge = await fetch(`${url}/challenge`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      });
      const { challenge: text } = (await challenge.json()) as { challenge: string };
      expect(text).toMatch(/^Вход на портал portal\.test, /);
      const cms = await signCms({ content: new TextEncoder().encode(text), signers: [user.signer] });
      const login = await fetch(`${url}/login`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          cookie: (challenge.headers.get('set-cookie') ?? '').split(';')[0] ?? '',
        },
        body: JSON.stringify({ cms: base64Encode(cms) }),
      });
      expect(await login.json()).toEqual({ account: { id: 'u-7', name: 'Иванова М. П.' }, matchedBy: 'snils' });
    } finally {
      server.child.kill('SIGTERM');
    }
    expect(await server.exited).toBe(0);
    expect(server.output()).toMatch(/POST \/login 200 \d+ms/); // one log line per request
  });

  it('exits 64 with the usage for missing or bad settings', async () => {
    const missing = start([]);
    expect(await missing.exited).toBe(64);
    expect(missing.output()).toContain('--trust and --accounts are required');
    await writeFile(join(dir, 'bad.json'), '[{"id":"x","name":"X","snils":"12"}]');
    await writeFile(join(dir, 'root.pem'), encodePem('CERTIFICATE', pki.root.certificate));
    const bad = start(['--trust', join(dir, 'root.pem'), '--accounts', join(dir, 'bad.json')]);
    expect(await bad.exited).toBe(64);
    expect(bad.output()).toContain('SNILS must have 11 digits');
    expect(bad.output()).not.toMatch(/\bat .+:\d+:\d+/);
  });
});
