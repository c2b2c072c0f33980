// OpenSSL 3 with the GOST engine verifies what the test-CA toolkit makes: chains, CRLs, OCSP responses, the Russian profile.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodePem } from '@eds/core/encoding';
import { createTestCa } from '@eds/core/testing';
import { openssl, opensslText } from '@eds/test-support/openssl';
import { withTempDir } from '@eds/test-support/temp';
import { describe, expect, it } from 'vitest';
import { CHAIN_KEY_SPECS } from './_key-specs';
import { expectRussianSubject, outputOf, RUSSIAN_IDS, writeCertificates } from './_openssl-helpers';

describe('OpenSSL verifies toolkit chains, CRLs and OCSP responses', () => {
  for (const [label, keySpec] of CHAIN_KEY_SPECS) {
    it(`${label}: verify, crl -verify, ocsp -verify (good and revoked)`, async () => {
      const root = await createTestCa({ keySpec });
      const inter = await root.issueIntermediate({ pathLen: 0 });
      const leaf = await inter.issue({ extKeyUsage: ['clientAuth'] });
      const other = await inter.issue();
      inter.revoke(other.serial, { reason: 'keyCompromise', time: new Date(Date.now() - 60_000) });
      const crl = await inter.createCrl();
      const rootCrl = await root.createCrl();
      const responder = await inter.issue({ extKeyUsage: ['OCSPSigning'], ocspNoCheck: true });

      await withTempDir(async (dir) => {
        await writeCertificates(dir, {
          root: root.certificate,
          inter: inter.certificate,
          leaf: leaf.certificate,
          other: other.certificate,
        });
        await writeFile(join(dir, 'crl.pem'), encodePem('X509 CRL', crl));
        await writeFile(join(dir, 'root-crl.pem'), encodePem('X509 CRL', rootCrl));
        await writeFile(join(dir, 'crl.der'), crl);

        const verified = await opensslText(['verify', '-CAfile', 'root.pem', '-untrusted', 'inter.pem', 'leaf.pem'], {
          cwd: dir,
        });
        expect(verified).toContain('leaf.pem: OK');

        const crlOut = await outputOf(
          ['crl', '-in', 'crl.der', '-inform', 'DER', '-CAfile', 'inter.pem', '-verify', '-noout'],
          dir,
        );
        expect(crlOut).toMatch(/verify OK/);
        expect(crlOut).not.toContain('EXIT-NONZERO');
        const rootCrlOut = await outputOf(
          ['crl', '-in', 'root-crl.pem', '-CAfile', 'root.pem', '-verify', '-noout'],
          dir,
        );
        expect(rootCrlOut).toMatch(/verify OK/);
        const crlText = await opensslText(['crl', '-in', 'crl.pem', '-text', '-noout'], { cwd: dir });
        expect(crlText).toContain('Key Compromise');

        // CRL checking: the leaf passes, the revoked certificate fails.
        await writeFile(join(dir, 'crls.pem'), encodePem('X509 CRL', crl) + encodePem('X509 CRL', rootCrl));
        const crlArgs = [
          'verify',
          '-crl_check_all',
          '-CAfile',
          'root.pem',
          '-untrusted',
          'inter.pem',
          '-CRLfile',
          'crls.pem',
        ];
        expect(await outputOf([...crlArgs, 'leaf.pem'], dir)).toContain('leaf.pem: OK');
        const revokedOut = await outputOf([...crlArgs, 'other.pem'], dir);
        expect(revokedOut).toMatch(/certificate revoked/);
        expect(revokedOut).toContain('EXIT-NONZERO');

        // OCSP: signed by the CA itself, and by a delegated responder.
        const byCa = await inter.createOcspResponse({
          request: [{ certificate: leaf.certificate }, { certificate: other.certificate }],
        });
        await writeFile(join(dir, 'resp-ca.der'), byCa);
        const caOut = await outputOf(
          [
            'ocsp',
            '-respin',
            'resp-ca.der',
            '-CAfile',
            'root.pem',
            '-verify_other',
            'inter.pem',
            '-resp_text',
            '-noverify',
          ],
          dir,
        );
        expect(caOut).toMatch(/Cert Status: good[\s\S]*Cert Status: revoked[\s\S]*Revocation Reason: keyCompromise/);
        const caVerify = await outputOf(
          ['ocsp', '-respin', 'resp-ca.der', '-CAfile', 'root.pem', '-verify_other', 'inter.pem'],
          dir,
        );
        expect(caVerify).toContain('Response verify OK');

        await writeCertificates(dir, { responder: responder.certificate });
        const reqOut = join(dir, 'req.der');
        await openssl(['ocsp', '-issuer', 'inter.pem', '-cert', 'leaf.pem', '-cert', 'other.pem', '-reqout', reqOut], {
          cwd: dir,
        });
        const delegated = await inter.createOcspResponse({ request: await readFile(reqOut), responder });
        await writeFile(join(dir, 'resp-del.der'), delegated);
        const delOut = await outputOf(
          [
            'ocsp',
            '-reqin',
            'req.der',
            '-respin',
            'resp-del.der',
            '-CAfile',
            'root.pem',
            '-verify_other',
            'inter.pem',
            '-issuer',
            'inter.pem',
            '-cert',
            'leaf.pem',
            '-cert',
            'other.pem',
            '-no_nonce',
          ],
          dir,
        );
        expect(delOut).toContain('Response verify OK');
        expect(delOut).toMatch(/leaf\.pem: good/);
        expect(delOut).toMatch(/other\.pem: revoked/);
      });
    });
  }

  it('OpenSSL rejects a chain whose leaf signature was tampered with (the check can fail)', async () => {
    const root = await createTestCa({ keySpec: { type: 'gost2012-256' } });
    const leaf = await root.issue();
    const bad = leaf.certificate.slice();
    bad[bad.length - 1] = (bad[bad.length - 1] as number) ^ 1;
    await withTempDir(async (dir) => {
      await writeCertificates(dir, { root: root.certificate, leaf: bad });
      const out = await outputOf(['verify', '-CAfile', 'root.pem', 'leaf.pem'], dir);
      expect(out).toMatch(/signature failure/);
      expect(out).toContain('EXIT-NONZERO');
    });
  });

  it('a russian-qualified leaf shows INN, SNILS, OGRN and the sign-tool extensions in openssl x509 -text', async () => {
    const root = await createTestCa({ profile: 'russian-qualified', keySpec: { type: 'gost2012-512' } });
    const inter = await root.issueIntermediate();
    const leaf = await inter.issue({
      keySpec: { type: 'gost2012-256' },
      subject: {
        organization: 'ООО «Ромашка»',
        commonName: 'Иванов Иван Иванович',
        surname: 'Иванов',
        givenName: 'Иван Иванович',
        ...RUSSIAN_IDS,
      },
    });
    await withTempDir(async (dir) => {
      await writeCertificates(dir, { root: root.certificate, inter: inter.certificate, leaf: leaf.certificate });
      const verified = await opensslText(['verify', '-CAfile', 'root.pem', '-untrusted', 'inter.pem', 'leaf.pem'], {
        cwd: dir,
      });
      expect(verified).toContain('leaf.pem: OK');
      const text = await opensslText(
        ['x509', '-in', 'leaf.pem', '-text', '-noout', '-nameopt', 'utf8,sep_comma_plus'],
        {
          cwd: dir,
        },
      );
      expectRussianSubject(text);
      expect(text).toContain('Signing Tool of Issuer');
      expect(text).toContain('X509v3 Private Key Usage Period');
      expect(text).toMatch(/Signature Algorithm: GOST R 34.10-2012 with GOST R 34.11-2012 \(512 bit\)/);
    });
  });
});
