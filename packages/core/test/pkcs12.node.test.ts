// PKCS#12 and EncryptedPrivateKeyInfo interop with OpenSSL 3 (+ GOST engine), both ways: standard, legacy and GOST TC26 PFX.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decryptPrivateKeyInfo, encryptPrivateKeyInfo } from '@eds/core/pbe';
import { type CreatePkcs12Options, createPkcs12, parsePkcs12 } from '@eds/core/pkcs12';
import { openssl, opensslText } from '@eds/test-support/openssl';
import { withTempDir } from '@eds/test-support/temp';
import { describe, expect, it } from 'vitest';

const bytes = async (path: string) => new Uint8Array(await readFile(path));

/** A key and a self-signed certificate made by openssl req -x509, with the key's PKCS#8 DER and the certificate DER. */
async function makeKeyAndCert(dir: string, newkey: string[]): Promise<{ pkcs8: Uint8Array; cert: Uint8Array }> {
  await openssl(
    [
      'req',
      '-x509',
      ...newkey,
      '-nodes',
      '-keyout',
      'key.pem',
      '-subj',
      '/CN=PFX test',
      '-days',
      '30',
      '-out',
      'cert.pem',
    ],
    {
      cwd: dir,
    },
  );
  await openssl(['pkcs8', '-topk8', '-nocrypt', '-outform', 'DER', '-in', 'key.pem', '-out', 'key.der'], { cwd: dir });
  await openssl(['x509', '-in', 'cert.pem', '-outform', 'DER', '-out', 'cert.der'], { cwd: dir });
  return { pkcs8: await bytes(join(dir, 'key.der')), cert: await bytes(join(dir, 'cert.der')) };
}

/** What `openssl pkcs12 -nodes` extracts from a PFX: the key as PKCS#8 DER and the certificate DER. */
async function opensslOpens(
  dir: string,
  pfx: Uint8Array,
  password: string,
): Promise<{ pkcs8: Uint8Array; cert: Uint8Array }> {
  await writeFile(join(dir, 'ours.pfx'), pfx);
  const pass = `pass:${password}`;
  await openssl(['pkcs12', '-in', 'ours.pfx', '-nodes', '-nocerts', '-passin', pass, '-out', 'out-key.pem'], {
    cwd: dir,
  });
  await openssl(['pkcs12', '-in', 'ours.pfx', '-nokeys', '-clcerts', '-passin', pass, '-out', 'out-cert.pem'], {
    cwd: dir,
  });
  await openssl(['pkcs8', '-topk8', '-nocrypt', '-outform', 'DER', '-in', 'out-key.pem', '-out', 'out-key.der'], {
    cwd: dir,
  });
  await openssl(['x509', '-in', 'out-cert.pem', '-outform', 'DER', '-out', 'out-cert.der'], { cwd: dir });
  return { pkcs8: await bytes(join(dir, 'out-key.der')), cert: await bytes(join(dir, 'out-cert.der')) };
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
const RSA = ['-newkey', 'rsa:2048'];
const GOST = ['-newkey', 'gost2012_256', '-pkeyopt', 'paramset:A'];

describe('OpenSSL-made PFX read by parsePkcs12', () => {
  it.each([
    ['EC, OpenSSL 3 default (PBES2/AES-256/SHA-256)', EC, []],
    ['RSA, -legacy (3DES key, RC2-40 certificates, SHA-1 MAC)', RSA, ['-legacy']],
    ['EC, -legacy', EC, ['-legacy']],
  ] as const)('%s', async (_name, newkey, extra) => {
    await withTempDir(async (dir) => {
      const { pkcs8, cert } = await makeKeyAndCert(dir, [...newkey]);
      const password = 'Пароль 1';
      await openssl(
        [
          'pkcs12',
          '-export',
          ...extra,
          '-in',
          'cert.pem',
          '-inkey',
          'key.pem',
          '-name',
          'мой ключ',
          '-passout',
          `pass:${password}`,
          '-out',
          'o.p12',
        ],
        { cwd: dir },
      );
      const p = await parsePkcs12(await bytes(join(dir, 'o.p12')), password);
      expect(p.dialect).toBe('standard');
      expect(p.mac?.algorithm).toBe(extra.length ? 'hmac-sha1' : 'hmac-sha256');
      expect(p.keys.map((k) => k.pkcs8)).toEqual([pkcs8]);
      expect(p.certificates.map((c) => c.der)).toEqual([cert]);
      expect(p.keys[0]?.friendlyName).toBe('мой ключ');
      expect(p.keys[0]?.localKeyId).toEqual(p.certificates[0]?.localKeyId);
      await expect(parsePkcs12(await bytes(join(dir, 'o.p12')), 'wrong')).rejects.toThrow(/wrong password/);
    });
  });

  it.each([
    ['gost89 bags, md_gost12_512 MAC', ['-keypbe', 'gost89', '-certpbe', 'gost89', '-macalg', 'md_gost12_512']],
    [
      'kuznyechik-ctr-acpkm bags, md_gost12_256 MAC',
      ['-keypbe', 'kuznyechik-ctr-acpkm', '-certpbe', 'kuznyechik-ctr-acpkm', '-macalg', 'md_gost12_256'],
    ],
    ['AES bags, md_gost12_256 MAC', ['-macalg', 'md_gost12_256']],
  ])('GOST key, %s', async (_name, args) => {
    await withTempDir(async (dir) => {
      const { pkcs8, cert } = await makeKeyAndCert(dir, GOST);
      await openssl(
        [
          'pkcs12',
          '-export',
          ...args,
          '-in',
          'cert.pem',
          '-inkey',
          'key.pem',
          '-passout',
          'pass:тест',
          '-out',
          'g.p12',
        ],
        { cwd: dir },
      );
      const p = await parsePkcs12(await bytes(join(dir, 'g.p12')), 'тест');
      expect(p.dialect).toBe('gost-tc26');
      expect(p.keys.map((k) => k.pkcs8)).toEqual([pkcs8]);
      expect(p.certificates.map((c) => c.der)).toEqual([cert]);
    });
  });
});

/**
 * Makes a key and certificate with OpenSSL, stores them with createPkcs12, checks that OpenSSL
 * extracts the same two back, and returns what `openssl pkcs12 -info` prints about the file.
 */
async function roundTrip(
  dir: string,
  newkey: string[],
  options: Omit<CreatePkcs12Options, 'key' | 'certificates'>,
): Promise<string> {
  const { pkcs8, cert } = await makeKeyAndCert(dir, newkey);
  const pfx = await createPkcs12({ key: { pkcs8 }, certificates: [cert], ...options });
  const out = await opensslOpens(dir, pfx, options.password);
  expect(out.pkcs8).toEqual(pkcs8);
  expect(out.cert).toEqual(cert);
  const pass = `pass:${options.password}`;
  return (await openssl(['pkcs12', '-info', '-nodes', '-in', 'ours.pfx', '-passin', pass], { cwd: dir })).stderr;
}

describe('createPkcs12 output opened by OpenSSL', () => {
  it.each([
    ['EC', EC],
    ['RSA', RSA],
  ])(
    'standard dialect with an %s key: openssl pkcs12 -info -nodes gives the same key and certificate',
    async (_n, newkey) => {
      await withTempDir(async (dir) => {
        const password = 'Пароль для PFX';
        const info = await roundTrip(dir, newkey, { password, dialect: 'standard', friendlyName: 'my key' });
        expect(info).toMatch(/MAC: sha256, Iteration 2048/);
        expect(info).toMatch(/PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256/);
        const text = await opensslText(['pkcs12', '-in', 'ours.pfx', '-nodes', '-passin', `pass:${password}`], {
          cwd: dir,
        });
        // OpenSSL 3.0 prints BMPString names byte-wise, so an ASCII name is what can be compared here.
        expect(text).toMatch(/friendlyName: my key/);
      });
    },
  );

  it.each(['gost28147-cfb', 'kuznyechik-ctr-acpkm', 'magma-ctr-acpkm'] as const)(
    'gost-tc26 dialect (%s): the GOST engine opens it, MAC verified, same key',
    async (encryption) => {
      await withTempDir(async (dir) => {
        const info = await roundTrip(dir, GOST, { password: 'Пароль для PFX', dialect: 'gost-tc26', encryption });
        expect(info).toMatch(/MAC: .*512.*Iteration 2000/);
        await expect(
          openssl(['pkcs12', '-in', 'ours.pfx', '-nodes', '-passin', 'pass:wrong'], { cwd: dir }),
        ).rejects.toThrow(/Mac verify error|invalid password/i);
      });
    },
  );
});

describe('EncryptedPrivateKeyInfo (RFC 5958 §3) interop', () => {
  it.each([
    ['-v2 aes-256-cbc', ['-v2', 'aes-256-cbc']],
    ['-v2 aes-128-cbc -v2prf hmacWithSHA512', ['-v2', 'aes-128-cbc', '-v2prf', 'hmacWithSHA512']],
    ['-v2 des3', ['-v2', 'des3']],
    ['-v1 PBE-SHA1-3DES', ['-v1', 'PBE-SHA1-3DES']],
    ['-v1 PBE-SHA1-RC2-40 (legacy)', ['-v1', 'PBE-SHA1-RC2-40', '-provider', 'legacy', '-provider', 'default']],
    ['-v1 PBE-MD5-DES (PBES1, legacy)', ['-v1', 'PBE-MD5-DES', '-provider', 'legacy', '-provider', 'default']],
    ['-v1 PBE-SHA1-RC2-64 (PBES1, legacy)', ['-v1', 'PBE-SHA1-RC2-64', '-provider', 'legacy', '-provider', 'default']],
  ])('reads openssl pkcs8 -topk8 %s', async (_n, args) => {
    await withTempDir(async (dir) => {
      const { pkcs8 } = await makeKeyAndCert(dir, EC);
      await openssl(['pkcs8', '-topk8', ...args, '-in', 'key.pem', '-passout', 'pass:ключ', '-out', 'enc.pem'], {
        cwd: dir,
      });
      const pem = await readFile(join(dir, 'enc.pem'), 'utf8');
      expect(await decryptPrivateKeyInfo(pem, 'ключ')).toEqual(pkcs8);
      await expect(decryptPrivateKeyInfo(pem, 'ключ!')).rejects.toThrow(/wrong password/);
    });
  });

  it.each([
    ['aes-256-cbc', EC],
    ['des-ede3-cbc', EC],
    ['gost28147-cfb', GOST],
    ['kuznyechik-ctr-acpkm', GOST],
  ] as const)('openssl pkcs8 reads ours (%s)', async (scheme, newkey) => {
    await withTempDir(async (dir) => {
      const { pkcs8 } = await makeKeyAndCert(dir, [...newkey]);
      await writeFile(join(dir, 'ours.der'), await encryptPrivateKeyInfo(pkcs8, 'ключ', { scheme }));
      await openssl(
        [
          'pkcs8',
          '-topk8',
          '-nocrypt',
          '-inform',
          'DER',
          '-in',
          'ours.der',
          '-passin',
          'pass:ключ',
          '-outform',
          'DER',
          '-out',
          'plain.der',
        ],
        {
          cwd: dir,
        },
      );
      expect(await bytes(join(dir, 'plain.der'))).toEqual(pkcs8);
    });
  });
});
