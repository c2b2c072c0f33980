// Interop of PKCS#10 requests with OpenSSL 3 and the GOST engine: `openssl req -verify` accepts every request we make.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCsr } from '@eds/core/csr';
import { encodePem } from '@eds/core/encoding';
import { generateKeyPair, type KeySpec } from '@eds/core/keys';
import { openssl, opensslText } from '@eds/test-support/openssl';
import { withTempDir } from '@eds/test-support/temp';
import { describe, expect, it } from 'vitest';
import { expectRussianSubject, outputOf, RUSSIAN_IDS } from './_openssl-helpers';

const SPECS: [string, KeySpec, boolean][] = [
  ['GOST-256 CryptoPro-A', { type: 'gost2012-256', paramSet: 'cryptopro-a' }, true],
  ['GOST-256 tc26-256-A', { type: 'gost2012-256', paramSet: 'tc26-256-a' }, true],
  ['GOST-512 tc26-512-A', { type: 'gost2012-512' }, true],
  ['GOST-512 tc26-512-C', { type: 'gost2012-512', paramSet: 'tc26-512-c' }, true],
  ['ECDSA P-256', { type: 'ecdsa', curve: 'P-256' }, false],
  ['ECDSA P-384', { type: 'ecdsa', curve: 'P-384' }, false],
  ['RSA-2048', { type: 'rsa', bits: 2048 }, false],
  ['Ed25519', { type: 'ed25519' }, false],
];

const SUBJECT = {
  country: 'RU',
  stateOrProvince: '77 г. Москва',
  locality: 'Москва',
  organization: 'ООО «Ромашка»',
  commonName: 'Иванов Иван Иванович',
  surname: 'Иванов',
  givenName: 'Иван Иванович',
  email: 'ivanov@example.ru',
  ...RUSSIAN_IDS,
  ogrnip: '304500116000157',
} as const;

describe('openssl req accepts our CSRs', () => {
  for (const [label, spec, gost] of SPECS) {
    it(`${label}: req -verify, and req -text shows the subject and extensions`, async () => {
      const key = await generateKeyPair(spec);
      const csr = await createCsr({
        key,
        subject: SUBJECT,
        extensions: {
          keyUsage: ['digitalSignature', 'nonRepudiation'],
          extKeyUsage: ['clientAuth', 'emailProtection'],
          subjectAltName: [{ email: 'ivanov@example.ru' }, { dns: 'example.ru' }],
          certificatePolicies: ['1.2.643.100.113.1'],
          subjectSignTool: 'СКЗИ «Тест»',
        },
      });
      await withTempDir(async (dir) => {
        const file = join(dir, 'csr.pem');
        await writeFile(file, encodePem('CERTIFICATE REQUEST', csr));
        const verified = await openssl(['req', '-verify', '-noout', '-in', file], { gost });
        expect(verified.stderr).toMatch(/verify OK/i);
        const text = await opensslText(['req', '-text', '-noout', '-nameopt', 'utf8,sep_comma_plus', '-in', file], {
          gost,
        });
        expectRussianSubject(text);
        expect(text).toContain('OGRNIP=304500116000157');
        expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Non Repudiation/);
        expect(text).toMatch(/TLS Web Client Authentication, E-mail Protection/);
        expect(text).toContain('email:ivanov@example.ru, DNS:example.ru');
      });
    });
  }

  it('openssl req -verify rejects a request whose signature was tampered with (the check can fail)', async () => {
    const key = await generateKeyPair({ type: 'gost2012-256' });
    const csr = await createCsr({ key, subject: { commonName: 'tamper' } });
    csr[csr.length - 1] = (csr[csr.length - 1] as number) ^ 1;
    await withTempDir(async (dir) => {
      const file = join(dir, 'csr.pem');
      await writeFile(file, encodePem('CERTIFICATE REQUEST', csr));
      // OpenSSL 3.0 prints the failure but may still exit 0, so the test reads the message either way.
      const out = await outputOf(['req', '-verify', '-noout', '-in', file]);
      expect(out).toMatch(/verify failure/i);
      expect(out).not.toMatch(/verify OK/i);
    });
  });
});
