// `eds keygen` against OpenSSL (with the GOST engine): every key it writes is one OpenSSL reads.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openssl } from '@eds/test-support/openssl';
import { withTempDir } from '@eds/test-support/temp';
import { describe, expect, it } from 'vitest';
import { eds } from './_eds';

describe('eds keygen', () => {
  it.each([
    ['gost2012-256', []],
    ['gost2012-256', ['--paramset', 'tc26-256-A']],
    ['gost2012-512', ['--paramset', '1.2.643.7.1.2.1.2.2']],
    ['ecdsa-p256', []],
    ['rsa-2048', []],
    ['ed25519', []],
  ])('%s %j: OpenSSL reads the key, and --pubout is its public key', async (alg, extra) => {
    await withTempDir(async (dir) => {
      const key = join(dir, 'key.pem');
      const pub = join(dir, 'pub.pem');
      const r = await eds(['keygen', '--alg', alg, ...extra, '--out', key, '--pubout', pub]);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toContain(`${alg} key`);
      expect((await stat(key)).mode & 0o777).toBe(0o600);
      const gost = alg.startsWith('gost');
      const theirs = await openssl(['pkey', '-in', key, '-pubout', '-outform', 'DER'], { gost });
      const ours = await openssl(['pkey', '-pubin', '-in', pub, '-outform', 'DER'], { gost });
      expect(Buffer.from(ours.stdout).toString('hex')).toBe(Buffer.from(theirs.stdout).toString('hex'));
    });
  });

  it('never overwrites a key without --force, and says why', async () => {
    await withTempDir(async (dir) => {
      const key = join(dir, 'key.pem');
      await writeFile(key, 'precious');
      const r = await eds(['keygen', '--alg', 'ecdsa-p256', '--out', key]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/EEXIST|already exists/);
      expect(await readFile(key, 'utf8')).toBe('precious');
      expect((await eds(['keygen', '--alg', 'ecdsa-p256', '--out', key, '--force'])).code).toBe(0);
      expect(await readFile(key, 'utf8')).toContain('BEGIN PRIVATE KEY');
    });
  });

  it.each([
    [['keygen', '--out', 'k.pem'], 'needs --alg'],
    [['keygen', '--alg', 'dsa', '--out', 'k.pem'], 'needs --alg'],
    [['keygen', '--alg', 'ecdsa-p256', '--paramset', 'A', '--out', 'k.pem'], 'GOST keys only'],
    [['keygen', '--alg', 'ecdsa-p256'], 'needs --out'],
  ])('exits 2 with usage for %j', async (argv, message) => {
    const r = await eds(argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    '--alg %s is a usage error, exit 2, not a crash (regression, issue 5 review)',
    async (alg) => {
      const r = await eds(['keygen', '--alg', alg, '--out', 'k.pem']);
      expect(r.code).toBe(2);
      expect(r.err).toContain('needs --alg');
      expect(r.err).not.toMatch(/TypeError|\n\s+at /);
    },
  );

  it('reports an unknown GOST parameter set as an error, exit 1', async () => {
    await withTempDir(async (dir) => {
      const r = await eds(['keygen', '--alg', 'gost2012-256', '--paramset', 'tc26-256-Z', '--out', join(dir, 'k.pem')]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^eds: .*tc26-256-Z/);
    });
  });
});
