// `eds cert` and `eds csr` on real files, checked against OpenSSL with the GOST engine.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openssl, opensslText } from '@eds/test-support/openssl';
import { withTempDir } from '@eds/test-support/temp';
import { resolveFixture } from '@eds/test-support/vectors';
import { describe, expect, it } from 'vitest';
import { eds } from './_eds';

const RFC9215 = 'packages/core/test/vectors/rfc9215';
const PFX = resolveFixture('packages/core/test/vectors/pkcs12/r50-1-112.pfx');
const PFX_PASSWORD = 'Пароль для PFX';

describe('eds cert', () => {
  it('describes a certificate in English and Russian, with the fingerprints OpenSSL computes', async () => {
    const file = resolveFixture(`${RFC9215}/tk26iok-256.pem`);
    const en = await eds(['cert', file]);
    expect(en.code).toBe(0);
    const sha256 = (await opensslText(['x509', '-in', file, '-noout', '-fingerprint', '-sha256'])).split(
      '=',
    )[1] as string;
    expect(en.out).toContain(sha256.trim().replace(/:/g, '').toLowerCase());
    expect(en.out).toMatch(/Valid from: +Nov {2}5 14:02:37 2013 GMT/);
    const ru = await eds(['cert', file, '--lang', 'ru']);
    expect(ru.out).toContain('Действителен с:');
    expect(ru.out).toContain('05.11.2013 14:02:37 UTC');
  });

  it('prints JSON with the serial and dates OpenSSL reads', async () => {
    const file = resolveFixture(`${RFC9215}/gost2012-512-testparamset-cert.pem`);
    const r = await eds(['cert', file, '--json']);
    const [cert] = JSON.parse(r.out) as Record<string, unknown>[];
    const serial = (await opensslText(['x509', '-in', file, '-noout', '-serial'], { gost: true })).trim().split('=')[1];
    expect(cert).toMatchObject({ kind: 'certificate' });
    expect(JSON.stringify(cert).toUpperCase()).toContain((serial as string).toUpperCase());
  });

  it('describes every object of a bundle: certificates, a CRL and a CSR', async () => {
    await withTempDir(async (dir) => {
      const parts = await Promise.all(
        ['gost2012-256-tc26a-cert.pem', 'gost2012-256-tc26a-crl.pem', 'gost2012-256-tc26a-csr.pem'].map((f) =>
          readFile(resolveFixture(`${RFC9215}/${f}`), 'utf8'),
        ),
      );
      const bundle = join(dir, 'bundle.pem');
      await writeFile(bundle, `some notes first\n${parts.join('\n')}`);
      const r = await eds(['cert', bundle, '--json']);
      expect(r.code).toBe(0);
      const kinds = (JSON.parse(r.out) as { kind: string; signatureValid?: boolean }[]).map((o) => o.kind);
      expect(kinds).toEqual(['certificate', 'crl', 'csr']);
      expect((await eds(['cert', bundle])).out).toContain('Signature: valid');
    });
  });

  it('opens a PFX with the password from --password-env, and rejects a wrong one with exit 1', async () => {
    const r = await eds(['cert', PFX, '--password-env', 'PFX_PW'], { env: { PFX_PW: PFX_PASSWORD } });
    expect(r.code).toBe(0);
    expect(r.out).toContain('PKCS#12 file (gost-tc26');
    expect(r.out).toContain('Test certificate 1 (PKCS#12 example)');
    const wrong = await eds(['cert', PFX, '--password-env', 'PFX_PW'], { env: { PFX_PW: 'nope' } });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/^eds: .*password/i);
    expect(wrong.err).not.toContain('nope');
  });

  it('never takes a password from the command line and says how to give one', async () => {
    const missing = await eds(['cert', PFX, '--password-env', 'UNSET']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('UNSET is not set');
    const noTerminal = await eds(['cert', PFX]);
    expect(noTerminal.code).toBe(2);
    expect(noTerminal.err).toContain('--password-env');
  });

  it('shows only the public half of a private key', async () => {
    const file = resolveFixture(`${RFC9215}/gost2012-256-testparamset-key.pem`);
    const r = await eds(['cert', file, '--json']);
    const secret = (await opensslText(['pkey', '-in', file, '-noout', '-text'], { gost: true }))
      .split(/Private key:/)[1]
      ?.trim()
      .split(/\s/)[0] as string;
    expect(r.code).toBe(0);
    expect(r.out).toContain('"type": "gost2012-256"');
    expect(secret.length).toBeGreaterThan(10);
    expect(r.out.toLowerCase()).not.toContain(secret.toLowerCase());
  });

  it('fails cleanly on a file that is not one', async () => {
    await withTempDir(async (dir) => {
      const junk = join(dir, 'junk.cer');
      await writeFile(junk, 'this is not a certificate!');
      const r = await eds(['cert', junk]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^eds: input is neither DER, PEM nor Base64/);
      // Letters only look like Base64, and are reported as broken Base64.
      await writeFile(junk, 'not a certificate');
      expect((await eds(['cert', junk])).err).toMatch(/^eds: invalid Base64 at offset/);
    });
  });
});

describe('eds csr', () => {
  const subject = 'CN=Иванов Иван Иванович,SN=Иванов,GN=Иван Иванович,SNILS=11223344595,INN=500100732259,C=RU';

  it.each([
    ['gost2012-256', true],
    ['gost2012-512', true],
    ['ecdsa-p256', false],
    ['rsa-2048', false],
  ])('%s: OpenSSL verifies the request and reads the Russian subject', async (alg, gost) => {
    await withTempDir(async (dir) => {
      const key = join(dir, 'key.pem');
      const csr = join(dir, 'req.pem');
      expect((await eds(['keygen', '--alg', alg, '--out', key])).code).toBe(0);
      const r = await eds([
        'csr',
        '--key',
        key,
        '--subject',
        subject,
        '--san',
        'email:ivanov@example.ru',
        '--key-usage',
        'digitalSignature,nonRepudiation',
        '--eku',
        'clientAuth,emailProtection',
        '--out',
        csr,
      ]);
      expect(r.err).toContain('written');
      expect(r.code).toBe(0);
      const args = ['req', '-in', csr, '-verify', '-noout', '-text', '-nameopt', 'utf8,sep_comma_plus'];
      const result = await openssl(args, { gost });
      // OpenSSL 3.0 prints the verdict on stderr and exits 0 either way: read the verdict.
      expect(result.stderr).toContain('verify OK');
      const text = new TextDecoder().decode(result.stdout);
      expect(text).toMatch(/SNILS ?= ?11223344595/);
      expect(text).toMatch(/INN ?= ?500100732259/);
      expect(text).toContain('Иванов Иван Иванович');
      expect(text).toContain('email:ivanov@example.ru');
      expect(text).toContain('TLS Web Client Authentication');
    });
  });

  it('signs with the key in a PFX and takes the OpenSSL /-separated subject form', async () => {
    await withTempDir(async (dir) => {
      const out = join(dir, 'req.der');
      const r = await eds(
        ['csr', '--key', PFX, '--password-env', 'PW', '--subject', '/CN=Test/O=ТК26/C=RU', '--out', out, '--der'],
        { env: { PW: PFX_PASSWORD } },
      );
      expect(r.code).toBe(0);
      const verified = await openssl(['req', '-inform', 'DER', '-in', out, '-verify', '-noout'], { gost: true });
      expect(verified.stderr).toContain('verify OK');
      const certKey = await opensslText(['pkcs12', '-in', PFX, '-nokeys', '-passin', `pass:${PFX_PASSWORD}`], {
        gost: true,
      });
      const pubFromCert = await opensslText(['x509', '-noout', '-pubkey'], {
        gost: true,
        input: new TextEncoder().encode(certKey),
      });
      const pubFromCsr = await opensslText(['req', '-inform', 'DER', '-in', out, '-noout', '-pubkey'], { gost: true });
      expect(pubFromCsr).toBe(pubFromCert);
    });
  });

  it.each([
    [['csr', '--subject', 'CN=x'], 'needs --key'],
    [['csr', '--key', 'k.pem'], 'needs --subject'],
    [['csr', '--key', 'k.pem', '--subject', 'XX=1'], 'unknown subject attribute XX'],
    [['csr', '--key', 'k.pem', '--subject', 'CN'], 'is not TYPE=value'],
    [['csr', '--key', 'k.pem', '--subject', 'CN=a', '--der'], '--der needs --out'],
  ])('exits 2 with usage for %j', async (argv, message) => {
    const r = await eds(argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });
});
