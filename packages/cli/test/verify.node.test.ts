// `eds verify` on real files: signatures made by `eds sign` and by `openssl cms -sign`, the report in Russian and English and as JSON, and the exit codes 0 valid, 1 invalid, 2 indeterminate, 64 wrong usage.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodePem } from '@eds/core/encoding';
import { exportPrivateKey } from '@eds/core/keys';
import { createTestCa, type IssuedCertificate, type TestCa, testIdentifiers } from '@eds/core/testing';
import { openssl } from '@eds/test-support/openssl';
import { withTempDir } from '@eds/test-support/temp';
import { beforeAll, describe, expect, it } from 'vitest';
import { eds } from './_eds';

const DOCUMENT = new TextEncoder().encode('Акт сверки № 5\nподписан\n');
let root: TestCa;
let leaf: IssuedCertificate;

beforeAll(async () => {
  root = await createTestCa({ keySpec: { type: 'gost2012-256' }, profile: 'russian-qualified' });
  const ids = testIdentifiers();
  leaf = await root.issue({ subject: { commonName: 'Петров Пётр Петрович', snils: ids.snils, inn: ids.inn } });
}, 60_000);

/** Writes the document, the signer's key and certificate, the root and its CRL into `dir`. */
async function files(dir: string): Promise<{ doc: string; key: string; cert: string; root: string; crl: string }> {
  const f = {
    doc: join(dir, 'doc.txt'),
    key: join(dir, 'key.pem'),
    cert: join(dir, 'cert.pem'),
    root: join(dir, 'root.pem'),
    crl: join(dir, 'root.crl'),
  };
  await writeFile(f.doc, DOCUMENT);
  await writeFile(f.key, exportPrivateKey(leaf.key, 'pem'));
  await writeFile(f.cert, encodePem('CERTIFICATE', leaf.certificate));
  await writeFile(f.root, encodePem('CERTIFICATE', root.certificate));
  await writeFile(f.crl, await root.createCrl());
  return f;
}

describe('eds verify', () => {
  it('a detached signature from eds sign: exit 0 with the verdict in Russian, English and JSON', async () => {
    await withTempDir(async (dir) => {
      const f = await files(dir);
      expect((await eds(['sign', f.doc, '-k', f.key, '-c', f.cert, '--detached'])).code).toBe(0);
      const base = ['verify', f.doc, '--sig', `${f.doc}.sig`, '--trust', f.root, '--crl', f.crl, '--offline'];
      const ru = await eds(base);
      expect(ru.code, ru.out + ru.err).toBe(0);
      expect(ru.out.split('\n')[0]).toContain('Подлинность документа подтверждена');
      expect(ru.out).toContain('Петров Пётр Петрович');
      const en = await eds([...base, '--lang', 'en']);
      expect(en.out.split('\n')[0]).toContain('Signature is valid');
      const json = JSON.parse((await eds([...base, '--json'])).out);
      expect(json.indication).toBe('TOTAL_PASSED');
      expect(json.signatures[0].signer.snils).toMatch(/^\d{11}$/);
    });
  });

  it('a changed document exits 1; missing revocation data exits 2; wrong usage exits 64', async () => {
    await withTempDir(async (dir) => {
      const f = await files(dir);
      expect((await eds(['sign', f.doc, '-k', f.key, '-c', f.cert, '--detached'])).code).toBe(0);
      const sig = `${f.doc}.sig`;
      await writeFile(join(dir, 'changed.txt'), new TextEncoder().encode('Акт сверки № 6\nподписан\n'));
      const changed = await eds([
        'verify',
        join(dir, 'changed.txt'),
        '--sig',
        sig,
        '--trust',
        f.root,
        '--crl',
        f.crl,
        '--offline',
      ]);
      expect(changed.code).toBe(1);
      expect(changed.out.split('\n')[0]).toContain('Подпись недействительна');
      const unknown = await eds(['verify', f.doc, '--sig', sig, '--trust', f.root, '--offline']);
      expect(unknown.code).toBe(2);
      const off = await eds(['verify', f.doc, '--sig', sig, '--trust', f.root, '--revocation', 'off']);
      expect(off.code).toBe(0);
      for (const argv of [
        ['verify', f.doc],
        ['verify', '--trust', f.root],
        ['verify', f.doc, '--trust', f.root, '--revocation', 'maybe'],
        ['verify', f.doc, '--trust', f.root, '--lang', 'de'],
        ['verify', f.doc, '--trust', f.root, '--bogus'],
      ]) {
        const r = await eds(argv);
        expect(r.code, argv.join(' ')).toBe(64);
        expect(r.err).toContain('Usage: eds');
      }
    });
  });

  it('eds sign --xml (XMLDSig and XAdES-BES, GOST) and eds verify of the signed XML file; a changed document fails', async () => {
    await withTempDir(async (dir) => {
      const f = await files(dir);
      const xml = join(dir, 'order.xml');
      await writeFile(xml, '<o:Order xmlns:o="urn:example:order"><o:Item Id="i1">Поставка 10 шт.</o:Item></o:Order>');
      const plain = await eds(['sign', xml, '-k', f.key, '-c', f.cert, '--xml']);
      expect(plain.code, plain.err).toBe(0);
      expect(plain.err).toContain('XMLDSig');
      const signed = join(dir, 'order.signed.xml');
      const ok = await eds(['verify', signed, '--trust', f.root, '--crl', f.crl, '--offline', '--lang', 'en']);
      expect(ok.code, ok.out).toBe(0);
      expect(ok.out.split('\n')[0]).toContain('Signature is valid');
      const xades = await eds([
        'sign',
        xml,
        '-k',
        f.key,
        '-c',
        f.cert,
        '--xml',
        '--level',
        'BES',
        '--reference-id',
        'i1',
        '--out',
        join(dir, 'x.xml'),
      ]);
      expect(xades.code, xades.err).toBe(0);
      const json = JSON.parse(
        (await eds(['verify', join(dir, 'x.xml'), '--trust', f.root, '--crl', f.crl, '--offline', '--json'])).out,
      );
      expect([json.container, json.indication, json.signatures[0].format]).toEqual([
        'XML',
        'TOTAL_PASSED',
        'XAdES-BES',
      ]);
      const text = new TextDecoder().decode(await readFile(signed)).replace('10 шт.', '99 шт.');
      await writeFile(join(dir, 'forged.xml'), text);
      const forged = await eds(['verify', join(dir, 'forged.xml'), '--trust', f.root, '--crl', f.crl, '--offline']);
      expect(forged.code).toBe(1);
      const usage = await eds(['sign', xml, '-k', f.key, '--xml', '--level', 'XLT1', '--tsa', 'http://127.0.0.1/']);
      expect(usage.code).toBe(2);
      expect(usage.err).toContain('--xml signs at --level BES or T');
    });
  });

  it('an attached CAdES-BES made by openssl cms -sign (GOST engine) verifies', async () => {
    await withTempDir(async (dir) => {
      const f = await files(dir);
      const out = join(dir, 'openssl.p7s');
      const args = ['cms', '-sign', '-binary', '-nodetach', '-cades', '-in', f.doc, '-signer', f.cert, '-inkey', f.key];
      await openssl([...args, '-md', 'md_gost12_256', '-outform', 'DER', '-out', out], { gost: true });
      const r = await eds(['verify', out, '--trust', f.root, '--crl', f.crl, '--offline', '--lang', 'en']);
      expect(r.code, r.out).toBe(0);
      expect(r.out).toContain('CAdES-BES');
    });
  });
});
