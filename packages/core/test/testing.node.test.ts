// OpenSSL 3 with the GOST engine verifies what the test-CA toolkit makes: chains, CRLs, OCSP responses, the Russian profile.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodePem } from '@eds/core/encoding';
import type { KeySpec } from '@eds/core/keys';
import { createTestCa } from '@eds/core/testing';
import { openssl, opensslText } from '@eds/test-support/openssl';
import { withTempDir } from '@eds/test-support/temp';
import { describe, expect, it } from 'vitest';

const CHAINS: [string, KeySpec][] = [
  ['GOST-256', { type: 'gost2012-256' }],
  ['GOST-256 tc26-256-A', { type: 'gost2012-256', paramSet: 'tc26-256-a' }],
  ['GOST-512', { type: 'gost2012-512' }],
  ['ECDSA P-256', { type: 'ecdsa', curve: 'P-256' }],
  ['RSA-2048', { type: 'rsa', bits: 2048 }],
  ['Ed25519', { type: 'ed25519' }],
];

const pem = (der: Uint8Array) => encodePem('CERTIFICATE', der);

/** OpenSSL's output of a command that may exit non-zero: stdout and stderr together. */
async function outputOf(args: string[], cwd: string): Promise<string> {
  return openssl(args, { cwd }).then(
    (r) => new TextDecoder().decode(r.stdout) + r.stderr,
    (e: { stdout: Uint8Array; stderr: string }) => `${new TextDecoder().decode(e.stdout)}${e.stderr}\nEXIT-NONZERO`,
  );
}

describe('OpenSSL verifies toolkit chains, CRLs and OCSP responses', () => {
  for (const [label, keySpec] of CHAINS) {
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
        await writeFile(join(dir, 'root.pem'), pem(root.certificate));
        await writeFile(join(dir, 'inter.pem'), pem(inter.certificate));
        await writeFile(join(dir, 'leaf.pem'), pem(leaf.certificate));
        await writeFile(join(dir, 'other.pem'), pem(other.certificate));
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

        await writeFile(join(dir, 'responder.pem'), pem(responder.certificate));
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
      await writeFile(join(dir, 'root.pem'), pem(root.certificate));
      await writeFile(join(dir, 'leaf.pem'), pem(bad));
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
        inn: '500100732259',
        snils: '11223344595',
        ogrn: '1027700132195',
      },
    });
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'root.pem'), pem(root.certificate));
      await writeFile(join(dir, 'inter.pem'), pem(inter.certificate));
      await writeFile(join(dir, 'leaf.pem'), pem(leaf.certificate));
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
      expect(text).toContain('INN=500100732259');
      expect(text).toContain('SNILS=11223344595');
      expect(text).toContain('OGRN=1027700132195');
      expect(text).toContain('C=RU');
      expect(text).toContain('CN=Иванов Иван Иванович');
      expect(text).toContain('Signing Tool of Subject');
      expect(text).toContain('Signing Tool of Issuer');
      expect(text).toContain('Class of Signing Tool KC1');
      expect(text).toContain('X509v3 Private Key Usage Period');
      expect(text).toMatch(/Signature Algorithm: GOST R 34.10-2012 with GOST R 34.11-2012 \(512 bit\)/);
    });
  });
});
