// `eds sign` on real files (keys from `eds keygen`, certificates from a test CA), checked with `openssl cms -verify`.
import { createWriteStream } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { der } from '@eds/core/asn1';
import {
  OID_CERTIFICATE_VALUES,
  OID_COMPLETE_CERTIFICATE_REFS,
  OID_COMPLETE_REVOCATION_REFS,
  OID_ESC_TIMESTAMP,
  OID_REVOCATION_VALUES,
  OID_SIGNATURE_TIMESTAMP_TOKEN,
} from '@eds/core/cades';
import { gostr3411_2012_256, sha256 } from '@eds/core/digests';
import { encodePem, hexEncode } from '@eds/core/encoding';
import { exportPrivateKey, importPrivateKey } from '@eds/core/keys';
import { createPkcs12 } from '@eds/core/pkcs12';
import { parseSignedData } from '@eds/core/signed-data';
import { createTestCa, type TestCa } from '@eds/core/testing';
import { openssl } from '@eds/test-support/openssl';
import { startLoopbackServer } from '@eds/test-support/server';
import { withTempDir } from '@eds/test-support/temp';
import { type OpensslTsa, startOpensslTsa } from '@eds/test-support/tsa';
import { afterAll, describe, expect, it } from 'vitest';
import { eds } from './_eds';

type Alg = 'gost2012-256' | 'ecdsa-p256';
const GOST = (alg: Alg) => alg.startsWith('gost');

interface Party {
  key: string;
  cert: string;
  root: string;
  /** DER of the leaf certificate and PKCS#8 of its key. */
  leaf: Uint8Array;
  rootDer: Uint8Array;
  pkcs8: Uint8Array;
  ca: TestCa;
}

/** A key from `eds keygen` and a certificate for it from a fresh test CA, all written to `dir`. */
async function party(dir: string, alg: Alg, name: string = alg): Promise<Party> {
  const key = join(dir, `${name}-key.pem`);
  expect((await eds(['keygen', '--alg', alg, '--out', key])).code).toBe(0);
  const privateKey = importPrivateKey(await readFile(key, 'utf8'));
  const ca = await createTestCa({
    keySpec: GOST(alg) ? { type: 'gost2012-256' } : { type: 'ecdsa', curve: 'P-256' },
    subject: { commonName: `Test root ${name}` },
  });
  const issued = await ca.issue({ key: privateKey, subject: { commonName: `Signer ${name}` } });
  const cert = join(dir, `${name}-cert.pem`);
  const root = join(dir, `${name}-root.pem`);
  await writeFile(cert, encodePem('CERTIFICATE', issued.certificate));
  await writeFile(root, encodePem('CERTIFICATE', ca.certificate));
  return {
    key,
    cert,
    root,
    leaf: issued.certificate,
    rootDer: ca.certificate,
    pkcs8: exportPrivateKey(privateKey, 'der'),
    ca,
  };
}

/** `openssl cms -verify`; resolves with the verified content and the signer certificates it reports. */
async function verify(
  sig: string,
  caFile: string,
  options: { content?: string; pem?: boolean; gost: boolean },
): Promise<{ content: Uint8Array; signers: number; stderr: string }> {
  const dir = join(sig, '..');
  const signersFile = join(dir, 'signers.pem');
  const args = ['cms', '-verify', '-binary', '-inform', options.pem ? 'PEM' : 'DER', '-in', sig, '-CAfile', caFile];
  if (options.content) args.push('-content', options.content);
  const r = await openssl([...args, '-signer', signersFile], { gost: options.gost });
  const signers = (await readFile(signersFile, 'utf8')).match(/BEGIN CERTIFICATE/g)?.length ?? 0;
  return { content: r.stdout, signers, stderr: r.stderr };
}

const DOCUMENT = new TextEncoder().encode('Договор № 42\nподписан электронной подписью\n'.repeat(50));

describe('eds sign', () => {
  it.each<[Alg]>([['gost2012-256'], ['ecdsa-p256']])(
    '%s: attached, detached and PEM signatures pass openssl cms -verify',
    async (alg) => {
      await withTempDir(async (dir) => {
        const p = await party(dir, alg);
        const doc = join(dir, 'doc.txt');
        await writeFile(doc, DOCUMENT);
        const gost = GOST(alg);

        const attached = await eds(['sign', doc, '--key', p.key, '--cert', p.cert]);
        expect(attached.err).toContain(`written to ${doc}.sig`);
        expect(attached.code).toBe(0);
        const a = await verify(`${doc}.sig`, p.root, { gost });
        expect(a.stderr).toContain('Verification successful');
        expect(Buffer.from(a.content).equals(DOCUMENT)).toBe(true);
        expect(a.signers).toBe(1);

        const detachedSig = join(dir, 'doc.p7s');
        const detached = await eds(['sign', doc, '--key', p.key, '--cert', p.cert, '--detached', '--out', detachedSig]);
        expect(detached.code).toBe(0);
        expect((await stat(detachedSig)).size).toBeLessThan(DOCUMENT.length);
        const d = await verify(detachedSig, p.root, { gost, content: doc });
        expect(d.stderr).toContain('Verification successful');
        // Without its document, the detached signature does not verify.
        await expect(verify(detachedSig, p.root, { gost })).rejects.toThrow();

        const pemSig = join(dir, 'doc.pem');
        expect((await eds(['sign', doc, '-k', p.key, '-c', p.cert, '-d', '--pem', '-o', pemSig])).code).toBe(0);
        expect(await readFile(pemSig, 'utf8')).toMatch(/^-----BEGIN CMS-----/);
        expect((await verify(pemSig, p.root, { gost, content: doc, pem: true })).stderr).toContain('successful');

        // A changed document no longer matches the detached signature.
        const changed = join(dir, 'changed.txt');
        await writeFile(
          changed,
          DOCUMENT.map((b, i) => (i === 7 ? b ^ 1 : b)),
        );
        await expect(verify(detachedSig, p.root, { gost, content: changed })).rejects.toThrow(/content verify error/);
      });
    },
  );

  it.each([false, true])('--add-to co-signs (detached: %s): OpenSSL verifies both signers', async (detached) => {
    await withTempDir(async (dir) => {
      const g = await party(dir, 'gost2012-256');
      const e = await party(dir, 'ecdsa-p256');
      const roots = join(dir, 'roots.pem');
      await writeFile(roots, (await readFile(g.root, 'utf8')) + (await readFile(e.root, 'utf8')));
      const doc = join(dir, 'doc.txt');
      await writeFile(doc, DOCUMENT);
      const first = await eds(['sign', doc, '--key', g.key, '--cert', g.cert, ...(detached ? ['--detached'] : [])]);
      expect(first.code).toBe(0);
      const both = join(dir, 'both.sig');
      const second = await eds(['sign', doc, '--key', e.key, '--cert', e.cert, '--add-to', `${doc}.sig`, '-o', both]);
      expect(second.err).toContain('co-signature added');
      expect(second.code).toBe(0);
      const v = await verify(both, roots, { gost: true, ...(detached ? { content: doc } : {}) });
      expect(v.stderr).toContain('Verification successful');
      expect(v.signers).toBe(2);
      if (!detached) expect(Buffer.from(v.content).equals(DOCUMENT)).toBe(true);
      // The first signature is left as it was.
      expect((await verify(`${doc}.sig`, roots, { gost: true, ...(detached ? { content: doc } : {}) })).signers).toBe(
        1,
      );
      // Co-signing a PEM signature in place needs --force.
      const pem = join(dir, 'first.pem');
      expect((await eds(['sign', doc, '-k', g.key, '-c', g.cert, '--pem', '-o', pem])).code).toBe(0);
      const refused = await eds(['sign', doc, '-k', e.key, '-c', e.cert, '--add-to', pem, '-o', pem, '--pem']);
      expect(refused.code).toBe(2);
      const inPlace = await eds(['sign', doc, '-k', e.key, '-c', e.cert, '--add-to', pem, '-o', pem, '--pem', '-f']);
      expect(inPlace.code).toBe(0);
      expect((await verify(pem, roots, { gost: true, pem: true })).signers).toBe(2);
    });
  });

  it('signs with the key of a PFX, the password from --password-env', async () => {
    await withTempDir(async (dir) => {
      const p = await party(dir, 'gost2012-256');
      const pfx = join(dir, 'signer.pfx');
      const password = 'пароль PFX';
      await writeFile(
        pfx,
        await createPkcs12({
          key: { pkcs8: p.pkcs8 },
          certificates: [p.leaf, p.rootDer],
          password,
          dialect: 'gost-tc26',
        }),
      );
      const doc = join(dir, 'doc.txt');
      await writeFile(doc, DOCUMENT);
      const r = await eds(['sign', doc, '--key', pfx, '--password-env', 'PFX_PW', '--detached'], {
        env: { PFX_PW: password },
      });
      expect(r.code).toBe(0);
      expect((await verify(`${doc}.sig`, p.root, { gost: true, content: doc })).stderr).toContain('successful');

      const wrong = await eds(['sign', doc, '--key', pfx, '--password-env', 'PFX_PW', '-o', join(dir, 'x.sig')], {
        env: { PFX_PW: 'wrong' },
      });
      expect(wrong.code).toBe(1);
      expect(wrong.err).toMatch(/^eds: .*password/i);
      expect(wrong.err.trim().split('\n')).toHaveLength(1);
      const unset = await eds(['sign', doc, '--key', pfx, '-o', join(dir, 'y.sig')]);
      expect(unset.code).toBe(2);
      expect(unset.err).toContain('--password-env');
    });
  });

  it('signs a 20 MB file detached, streamed, and OpenSSL verifies it', async () => {
    await withTempDir(async (dir) => {
      const p = await party(dir, 'ecdsa-p256');
      const big = join(dir, 'big.bin');
      const chunk = new Uint8Array(1 << 20);
      await new Promise<void>((resolve, reject) => {
        const out = createWriteStream(big);
        out.on('error', reject);
        for (let i = 0; i < 20; i++) {
          chunk.fill(i * 7 + 1);
          out.write(chunk.slice());
        }
        out.end(resolve);
      });
      expect((await stat(big)).size).toBe(20 * 2 ** 20);
      const r = await eds(['sign', big, '--key', p.key, '--cert', p.cert, '--detached']);
      expect(r.code).toBe(0);
      expect((await stat(`${big}.sig`)).size).toBeLessThan(8192);
      expect((await verify(`${big}.sig`, p.root, { gost: false, content: big })).stderr).toContain('successful');
    });
  }, 120_000);

  it('exits 1 with one line when the certificate is not the key’s', async () => {
    await withTempDir(async (dir) => {
      const a = await party(dir, 'ecdsa-p256', 'a');
      const b = await party(dir, 'ecdsa-p256', 'b');
      const doc = join(dir, 'doc.txt');
      await writeFile(doc, DOCUMENT);
      const r = await eds(['sign', doc, '--key', a.key, '--cert', b.cert]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^eds: [^\n]*\n$/);
      await expect(stat(`${doc}.sig`)).rejects.toThrow(/ENOENT/);
      const missing = await eds(['sign', join(dir, 'nope.txt'), '--key', a.key, '--cert', a.cert]);
      expect(missing.code).toBe(1);
      expect(missing.err).toMatch(/^eds: .*ENOENT/);
    });
  });

  it('refuses to overwrite without --force and keeps the old file', async () => {
    await withTempDir(async (dir) => {
      const p = await party(dir, 'ecdsa-p256');
      const doc = join(dir, 'doc.txt');
      await writeFile(doc, DOCUMENT);
      await writeFile(`${doc}.sig`, 'old');
      const r = await eds(['sign', doc, '--key', p.key, '--cert', p.cert]);
      expect(r.code).toBe(2);
      expect(r.err).toContain('exists; pass --force');
      expect(await readFile(`${doc}.sig`, 'utf8')).toBe('old');
      expect((await eds(['sign', doc, '--key', p.key, '--cert', p.cert, '--force'])).code).toBe(0);
      expect((await verify(`${doc}.sig`, p.root, { gost: false })).signers).toBe(1);
    });
  });

  it('asks for --cert when the key file has none', async () => {
    await withTempDir(async (dir) => {
      const p = await party(dir, 'ecdsa-p256');
      const doc = join(dir, 'doc.txt');
      await writeFile(doc, DOCUMENT);
      const r = await eds(['sign', doc, '--key', p.key]);
      expect(r.code).toBe(2);
      expect(r.err).toContain('--cert');
    });
  });

  it.each([
    [['sign', 'doc.txt'], 'needs --key'],
    [['sign', '--key', 'k.pem'], 'exactly one <file>'],
    [['sign', 'a', 'b', '--key', 'k.pem'], 'exactly one <file>'],
    [['sign', 'doc.txt', '--key', 'k.pem', '--level', 'T'], '--level T needs --tsa'],
    [['sign', 'doc.txt', '--key', 'k.pem', '--level', 'XLT1'], '--level XLT1 needs --tsa'],
    [['sign', 'doc.txt', '--key', 'k.pem', '--level', 'lt', '--tsa', 'http://127.0.0.1/'], 'needs revocation data'],
    [
      ['sign', 'doc.txt', '--key', 'k.pem', '--level', 'T', '--tsa', 'http://127.0.0.1/', '--crl', 'a.crl'],
      'XLT1 and LT only',
    ],
    [['sign', 'doc.txt', '--key', 'k.pem', '--level', 'EPES'], 'unknown --level EPES'],
    [['sign', 'doc.txt', '--key', 'k.pem', '--tsa', 'http://127.0.0.1/'], '--tsa applies to --level T'],
    [['sign', 'doc.txt', '--key', 'k.pem', '--level', 'T', '--tsa', 'ftp://tsa'], 'is not an http:// or https:// URL'],
    [['sign', 'doc.txt', '--key', 'k.pem', '--add-to', 'x.sig', '--detached'], '--detached does not apply'],
    [['sign', 'doc.txt', '--key', 'k.pem', '--password', 'secret'], "Unknown option '--password'"],
  ])('exits 2 with usage for %j', async (argv, message) => {
    const r = await eds(argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).toContain('Usage: eds');
  });
});

describe('eds sign --level T', () => {
  const servers: OpensslTsa[] = [];
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  /** A GOST TSA (`openssl ts -reply` on loopback) and its root, written to `dir/tsa-root.pem`. */
  async function tsa(dir: string): Promise<OpensslTsa> {
    const root = await createTestCa({ keySpec: { type: 'gost2012-256' }, profile: 'plain' });
    const cert = await root.issue({
      keySpec: { type: 'gost2012-256' },
      profile: 'plain',
      subject: { commonName: 'Test GOST TSA' },
      keyUsage: ['digitalSignature'],
      extensions: [{ oid: '2.5.29.37', value: der.seq(der.oid('1.3.6.1.5.5.7.3.8')), critical: true }],
    });
    await writeFile(join(dir, 'tsa-root.pem'), encodePem('CERTIFICATE', root.certificate));
    const server = await startOpensslTsa({
      key: exportPrivateKey(cert.key, 'pem'),
      certificate: encodePem('CERTIFICATE', cert.certificate),
      chain: encodePem('CERTIFICATE', root.certificate),
      signerDigest: 'md_gost12_256',
      maxRequests: 10,
      lifetimeMs: 60_000,
    });
    servers.push(server);
    return server;
  }

  /** The signature time-stamp tokens of each SignerInfo, with the hash of its signature value. */
  async function tokens(sig: string) {
    return parseSignedData(new Uint8Array(await readFile(sig))).signerInfos.map((si) => {
      const hash = si.digestAlgorithm.oid === sha256.oid ? sha256 : gostr3411_2012_256;
      const list = si.unsignedAttrs?.list.filter((a) => a.oid === OID_SIGNATURE_TIMESTAMP_TOKEN) ?? [];
      return { digest: hash.digest(si.signature), tokens: list.flatMap((a) => a.values) };
    });
  }

  async function tsVerify(dir: string, token: Uint8Array, digest: Uint8Array): Promise<string> {
    const file = join(dir, 'token.der');
    await writeFile(file, token);
    const args = ['ts', '-verify', '-digest', hexEncode(digest), '-in', file, '-token_in'];
    const r = await openssl([...args, '-CAfile', join(dir, 'tsa-root.pem')]);
    return new TextDecoder().decode(r.stdout) + r.stderr;
  }

  it('makes a CAdES-T that openssl cms -verify accepts, with a token openssl ts -verify accepts', async () => {
    await withTempDir(async (dir) => {
      const server = await tsa(dir);
      const p = await party(dir, 'gost2012-256');
      const doc = join(dir, 'doc.txt');
      await writeFile(doc, DOCUMENT);
      const r = await eds([
        'sign',
        doc,
        '--key',
        p.key,
        '--cert',
        p.cert,
        '--detached',
        '--level',
        't',
        '--tsa',
        server.url,
      ]);
      expect(r.err).toContain('CAdES-T');
      expect(r.code).toBe(0);
      expect(server.requests).toHaveLength(1);
      expect((await verify(`${doc}.sig`, p.root, { gost: true, content: doc })).stderr).toContain('successful');
      const [si] = await tokens(`${doc}.sig`);
      expect(si?.tokens).toHaveLength(1);
      expect(await tsVerify(dir, si?.tokens[0] as Uint8Array, si?.digest as Uint8Array)).toMatch(/Verification: OK/);
      // The token is over the signature value, not over the document.
      await expect(tsVerify(dir, si?.tokens[0] as Uint8Array, gostr3411_2012_256.digest(DOCUMENT))).rejects.toThrow();
    });
  });

  it('--level XLT1 and LT with --crl (PEM) and --ocsp (DER): references, values and time-stamps; OpenSSL checks the CRL of LT', async () => {
    await withTempDir(async (dir) => {
      const server = await tsa(dir);
      const p = await party(dir, 'gost2012-256');
      const doc = join(dir, 'doc.txt');
      await writeFile(doc, DOCUMENT);
      await writeFile(join(dir, 'root.crl'), encodePem('X509 CRL', await p.ca.createCrl()));
      await writeFile(join(dir, 'leaf.ocsp'), await p.ca.createOcspResponse({ request: [{ certificate: p.leaf }] }));
      const base = ['sign', doc, '-k', p.key, '-c', p.cert, '--detached', '--tsa', server.url, '--chain', p.root];
      const xlt1 = await eds([
        ...base,
        '--level',
        'xlt1',
        '--crl',
        join(dir, 'root.crl'),
        '--ocsp',
        join(dir, 'leaf.ocsp'),
      ]);
      expect(xlt1.err).toContain('CAdES-XLT1');
      expect(xlt1.code).toBe(0);
      const [si] = parseSignedData(new Uint8Array(await readFile(`${doc}.sig`))).signerInfos;
      expect(si?.unsignedAttrs?.list.map((a) => a.oid)).toEqual([
        OID_SIGNATURE_TIMESTAMP_TOKEN,
        OID_COMPLETE_CERTIFICATE_REFS,
        OID_COMPLETE_REVOCATION_REFS,
        OID_ESC_TIMESTAMP,
        OID_CERTIFICATE_VALUES,
        OID_REVOCATION_VALUES,
      ]);
      expect(server.requests).toHaveLength(2);
      expect((await verify(`${doc}.sig`, p.root, { gost: true, content: doc })).stderr).toContain('successful');

      const out = join(dir, 'lt.sig');
      const lt = await eds([...base, '--level', 'LT', '--crl', join(dir, 'root.crl'), '--out', out]);
      expect(lt.code).toBe(0);
      const args = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', out, '-CAfile', p.root, '-content', doc];
      const r = await openssl([...args, '-crl_check', '-out', join(dir, 'out.bin')], { gost: true });
      expect(r.stderr).toContain('successful');
      // a CRL that covers nobody on the path is refused with its reason, and nothing is written
      const other = await createTestCa({ keySpec: { type: 'gost2012-256' } });
      await writeFile(join(dir, 'other.crl'), await other.createCrl());
      const refused = await eds([
        ...base,
        '--level',
        'LT',
        '--crl',
        join(dir, 'other.crl'),
        '--out',
        join(dir, 'x.sig'),
      ]);
      expect(refused.code).not.toBe(0);
      expect(refused.err).toContain('no CRL or OCSP response covers');
      await expect(stat(join(dir, 'x.sig'))).rejects.toThrow();
    });
  });

  it('--level XLT1 --trust: the path is validated and its CRL fetched from the distribution point; a revoked signer gets no signature', async () => {
    await withTempDir(async (dir) => {
      const server = await tsa(dir);
      let crl: Uint8Array = new Uint8Array();
      const crlServer = await startLoopbackServer(() => ({
        body: crl,
        headers: { 'content-type': 'application/pkix-crl' },
      }));
      servers.push(crlServer as unknown as OpensslTsa);
      const root = await createTestCa({
        keySpec: { type: 'gost2012-256' },
        crlUrl: `${crlServer.url}/root.crl`,
        ocspUrl: null,
      });
      const leaf = await root.issue();
      crl = await root.createCrl();
      await writeFile(join(dir, 'root.pem'), encodePem('CERTIFICATE', root.certificate));
      await writeFile(join(dir, 'key.pem'), exportPrivateKey(leaf.key, 'pem'));
      await writeFile(join(dir, 'cert.pem'), encodePem('CERTIFICATE', leaf.certificate));
      const doc = join(dir, 'doc.txt');
      await writeFile(doc, DOCUMENT);
      const base = [
        'sign',
        doc,
        '-k',
        join(dir, 'key.pem'),
        '-c',
        join(dir, 'cert.pem'),
        '--detached',
        '--tsa',
        server.url,
      ];
      const r = await eds([...base, '--level', 'XLT1', '--trust', join(dir, 'root.pem')]);
      expect(r.code, r.err).toBe(0);
      expect(crlServer.requests.map((q) => q.url)).toEqual(['/root.crl']);
      const [si] = parseSignedData(new Uint8Array(await readFile(`${doc}.sig`))).signerInfos;
      expect(si?.unsignedAttrs?.list.map((a) => a.oid)).toContain(OID_REVOCATION_VALUES);
      const v = await eds(['verify', doc, '--sig', `${doc}.sig`, '--trust', join(dir, 'root.pem'), '--offline']);
      expect(v.code, v.out).toBe(0);
      // offline without a CRL at hand: the status is unknown and nothing is written
      const offline = await eds([
        ...base,
        '--level',
        'LT',
        '--trust',
        join(dir, 'root.pem'),
        '--offline',
        '--out',
        join(dir, 'o.sig'),
      ]);
      expect(offline.code).toBe(1);
      expect(offline.err).toContain('revocation');
      await expect(stat(join(dir, 'o.sig'))).rejects.toThrow();
      root.revoke(leaf.certificate, { reason: 'keyCompromise' });
      crl = await root.createCrl();
      const revoked = await eds([
        ...base,
        '--level',
        'XLT1',
        '--trust',
        join(dir, 'root.pem'),
        '--out',
        join(dir, 'r.sig'),
      ]);
      expect(revoked.code).toBe(1);
      expect(revoked.err).toMatch(/revoked/i);
    });
  });

  it('--add-to --level T time-stamps only the new signer', async () => {
    await withTempDir(async (dir) => {
      const server = await tsa(dir);
      const g = await party(dir, 'gost2012-256');
      const e = await party(dir, 'ecdsa-p256');
      const roots = join(dir, 'roots.pem');
      await writeFile(roots, (await readFile(g.root, 'utf8')) + (await readFile(e.root, 'utf8')));
      const doc = join(dir, 'doc.txt');
      await writeFile(doc, DOCUMENT);
      expect((await eds(['sign', doc, '--key', g.key, '--cert', g.cert])).code).toBe(0);
      const both = join(dir, 'both.sig');
      const argv = [
        'sign',
        doc,
        '-k',
        e.key,
        '-c',
        e.cert,
        '--add-to',
        `${doc}.sig`,
        '--level',
        'T',
        '--tsa',
        server.url,
      ];
      const r = await eds([...argv, '-o', both]);
      expect(r.code).toBe(0);
      const v = await verify(both, roots, { gost: true });
      expect(v.signers).toBe(2);
      const infos = await tokens(both);
      expect(infos.map((i) => i.tokens.length).sort()).toEqual([0, 1]);
      const stamped = infos.find((i) => i.tokens.length === 1);
      expect(await tsVerify(dir, stamped?.tokens[0] as Uint8Array, stamped?.digest as Uint8Array)).toMatch(
        /Verification: OK/,
      );
    });
  });

  it('exits 1 with one line and writes nothing when the TSA is unreachable or answers garbage', async () => {
    await withTempDir(async (dir) => {
      const p = await party(dir, 'ecdsa-p256');
      const doc = join(dir, 'doc.txt');
      await writeFile(doc, DOCUMENT);
      const garbage = await startOpensslTsa({
        key: 'unused',
        certificate: 'unused',
        signerDigest: 'sha256',
        maxRequests: 2,
        lifetimeMs: 30_000,
        answer: () => ({ status: 200, headers: { 'content-type': 'application/timestamp-reply' }, body: 'garbage' }),
      });
      servers.push(garbage);
      const bad = await eds(['sign', doc, '-k', p.key, '-c', p.cert, '--level', 'T', '--tsa', garbage.url]);
      expect(bad.code).toBe(1);
      expect(bad.err).toMatch(/^eds: [^\n]*\n$/);
      await expect(stat(`${doc}.sig`)).rejects.toThrow(/ENOENT/);
      await garbage.close();
      const down = await eds(['sign', doc, '-k', p.key, '-c', p.cert, '--level', 'T', '--tsa', garbage.url]);
      expect(down.code).toBe(1);
      expect(down.err).toMatch(/^eds: [^\n]*\n$/);
      await expect(stat(`${doc}.sig`)).rejects.toThrow(/ENOENT/);
    });
  });
});
