// `eds token list|certs` and `eds sign --token-module/--token-key` on a real SoftHSM2 token; the CAdES is checked by `openssl cms -verify` and the PIN is never printed.
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodePem } from '@eds/core/encoding';
import { parseSignedData } from '@eds/core/signed-data';
import { createTestCa, type IssuedCertificate, type TestCa } from '@eds/core/testing';
import { openssl } from '@eds/test-support/openssl';
import { createSoftHsm, type SoftHsm } from '@eds/test-support/softhsm';
import { withTempDir } from '@eds/test-support/temp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eds } from './_eds';

const PIN = '4711';
let hsm: SoftHsm;
let ca: TestCa;
let ecLeaf: IssuedCertificate;
let rsaLeaf: IssuedCertificate;

beforeAll(async () => {
  hsm = await createSoftHsm({ pin: PIN, label: 'cli-token' });
  ca = await createTestCa({ keySpec: { type: 'ecdsa', curve: 'P-256' }, crlUrl: null, ocspUrl: null });
  ecLeaf = await ca.issue({ keySpec: { type: 'ecdsa', curve: 'P-256' }, subject: { commonName: 'Token EC' } });
  rsaLeaf = await ca.issue({ keySpec: { type: 'rsa', bits: 2048 }, subject: { commonName: 'Token RSA' } });
  await hsm.importKey({ pkcs8: ecLeaf.key.pkcs8, certificate: ecLeaf.certificate, id: 'e1', label: 'ec' });
  await hsm.importKey({ pkcs8: rsaLeaf.key.pkcs8, certificate: rsaLeaf.certificate, id: 'a1b2', label: 'rsa' });
}, 120_000);

afterAll(async () => {
  await hsm?.dispose();
});

const env = (extra: Record<string, string> = {}) => ({ EDS_PIN: PIN, ...extra });

describe('eds token', () => {
  it('list: the token with its serial and PIN state; JSON parses', async () => {
    const text = await eds(['token', 'list', '--module', hsm.modulePath]);
    expect(text.code).toBe(0);
    expect(text.out).toContain('token "cli-token"');
    expect(text.out).toContain(`serial ${hsm.serial}`);
    const json = await eds(['token', 'list', '--module', hsm.modulePath, '--json']);
    const tokens = JSON.parse(json.out) as Array<{ tokenId: string; label: string; pin: { state: string } }>;
    expect(tokens.map((t) => [t.tokenId, t.label])).toContainEqual([hsm.serial, 'cli-token']);
  });

  it('certs --login: both certificates with their CKA_ID; the PIN appears nowhere', async () => {
    const r = await eds(['token', 'certs', '--module', hsm.modulePath, '--login'], { env: env() });
    expect(r.code).toBe(0);
    expect(r.out).toContain('key e1 "ec"');
    expect(r.out).toContain('key a1b2 "rsa"');
    expect(r.out).toContain('Token EC');
    expect(`${r.out}${r.err}`).not.toContain(PIN);
    const json = JSON.parse(
      (await eds(['token', 'certs', '--module', hsm.modulePath, '--login', '--json'], { env: env() })).out,
    );
    expect(json[0].certificates.map((c: { key: { keyId: string } }) => c.key.keyId).sort()).toEqual(['a1b2', 'e1']);
  });

  it('a wrong PIN: exit 1 with "incorrect PIN", and the wrong PIN is not echoed', async () => {
    const r = await eds(['token', 'certs', '--module', hsm.modulePath, '--login'], {
      env: env({ EDS_PIN: '0000-wrong' }),
    });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/incorrect PIN/);
    expect(`${r.out}${r.err}`).not.toContain('0000-wrong');
  });

  it('usage: a missing module path, an unknown subcommand, no PIN and no terminal', async () => {
    expect((await eds(['token', 'list'])).code).toBe(2);
    expect((await eds(['token', 'purge', '--module', hsm.modulePath])).code).toBe(2);
    const noPin = await eds(['token', 'certs', '--module', hsm.modulePath, '--login']);
    expect(noPin.code).toBe(2);
    expect(noPin.err).toContain('EDS_PIN');
    const missing = await eds(['token', 'list', '--module', join(hsm.dir, 'no-such-module.so')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no such file|not installed/i);
  });
});

describe('eds sign with a token key', () => {
  it.each([
    ['ECDSA', 'e1', () => ecLeaf],
    ['RSA', 'A1:B2', () => rsaLeaf],
  ])('%s: the detached CAdES-BES verifies with openssl cms -verify', async (_name, keyId, leaf) =>
    withTempDir(async (dir) => {
      const doc = join(dir, 'contract.txt');
      const root = join(dir, 'root.pem');
      await writeFile(doc, 'Договор поставки №1\n');
      await writeFile(root, encodePem('CERTIFICATE', ca.certificate));
      const out = join(dir, 'contract.txt.sig');
      const args = ['sign', doc, '--token-module', hsm.modulePath, '--token-key', keyId, '--detached', '--out', out];
      const r = await eds(args, { env: env() });
      expect(r.err).not.toContain(PIN);
      expect(r.code).toBe(0);
      const sd = parseSignedData(new Uint8Array(await readFile(out)));
      expect(sd.content).toBeUndefined();
      expect(sd.certificates.some((c) => equal(c, leaf().certificate))).toBe(true);
      const v = await openssl([
        'cms',
        '-verify',
        '-binary',
        '-inform',
        'DER',
        '-in',
        out,
        '-content',
        doc,
        '-CAfile',
        root,
      ]);
      expect(v.stderr).toContain('Verification successful');
      await writeFile(doc, 'Договор поставки №2\n');
      await expect(
        openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', out, '-content', doc, '-CAfile', root]),
      ).rejects.toThrow();
    }),
  );

  it('refuses --key with --token-module, a key id that is not hex, and an unknown key', async () =>
    withTempDir(async (dir) => {
      const doc = join(dir, 'd.txt');
      await writeFile(doc, 'x');
      const both = await eds(['sign', doc, '--key', 'k.pem', '--token-module', hsm.modulePath, '--token-key', 'e1']);
      expect(both.code).toBe(2);
      expect((await eds(['sign', doc, '--token-module', hsm.modulePath, '--token-key', 'xyz'])).code).toBe(2);
      expect((await eds(['sign', doc, '--token-module', hsm.modulePath])).code).toBe(2);
      const unknown = await eds(['sign', doc, '--token-module', hsm.modulePath, '--token-key', 'ff'], { env: env() });
      expect(unknown.code).toBe(1);
      expect(unknown.err).toContain('no certificate with a private key of CKA_ID ff');
    }));
});

// Last: it adds a second token, with another PIN, to the module's slots.
describe('two tokens', () => {
  it('the PIN goes only to the token that holds the key; --login needs --token', async () => {
    const env = { ...process.env, SOFTHSM2_CONF: hsm.conf };
    execFileSync(
      'softhsm2-util',
      ['--init-token', '--free', '--label', 'other', '--so-pin', '87654321', '--pin', '9999'],
      {
        env,
      },
    );
    const listed = JSON.parse((await eds(['token', 'list', '--module', hsm.modulePath, '--json'])).out);
    const other = listed.find((t: { label: string }) => t.label === 'other');
    expect(other?.pin.state).toBe('ok');
    await withTempDir(async (dir) => {
      const doc = join(dir, 'd.txt');
      await writeFile(doc, 'два токена');
      const r = await eds(['sign', doc, '--token-module', hsm.modulePath, '--token-key', 'e1'], {
        env: { EDS_PIN: PIN },
      });
      expect(r.err).toBe(`signature (CAdES-BES) written to ${doc}.sig\n`);
      expect(r.code).toBe(0);
    });
    // the other token (PIN 9999) was never offered EDS_PIN: no failed try is counted against it
    const after = JSON.parse((await eds(['token', 'list', '--module', hsm.modulePath, '--json'])).out);
    expect(after.find((t: { label: string }) => t.label === 'other')?.pin.state).toBe('ok');
    const many = await eds(['token', 'certs', '--module', hsm.modulePath, '--login'], { env: { EDS_PIN: PIN } });
    expect(many.code).toBe(2);
    expect(many.err).toContain('--token <serial>');
    const one = await eds(['token', 'certs', '--module', hsm.modulePath, '--login', '--token', hsm.serial], {
      env: { EDS_PIN: PIN },
    });
    expect(one.code).toBe(0);
    expect(one.out).toContain('key e1');
  });
});

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
