// Signature descriptors against OpenSSL 3 (+ GOST engine): our signatures verify with openssl dgst/pkeyutl and theirs verify with ours, on the WebCrypto and the fallback path.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withSubtle } from '@eds/core/_webcrypto';
import {
  ecdsaSha256,
  ecdsaSha384,
  ecdsaSha512,
  ed25519,
  findAlgorithm,
  gost2012_256,
  gost2012_512,
  rsaPkcs1Sha256,
  rsaPkcs1Sha512,
  rsaPssSha256,
  rsaPssSha384,
} from '@eds/core/algorithms';
import { allAlgorithms } from '@eds/core/all-algorithms';
import { der } from '@eds/core/asn1';
import { exportPrivateKey, exportPublicKey, generateKeyPair, type KeySpec } from '@eds/core/keys';
import type { PrivateKey, SignatureAlgorithm } from '@eds/core/types';
import { openssl, opensslText } from '@eds/test-support/openssl';
import { withTempDir } from '@eds/test-support/temp';
import { randomBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';

type Tool = 'dgst' | 'pkeyutl';
interface Case {
  label: string;
  alg: SignatureAlgorithm;
  spec: KeySpec;
  /** openssl dgst digest flag and extra options (dgst), or pkeyutl -rawin (Ed25519). */
  tool: Tool;
  args: string[];
  gost: boolean;
}

const pss = (md: string, salt: number, mgf = md) => [
  `-${md}`,
  '-sigopt',
  'rsa_padding_mode:pss',
  '-sigopt',
  `rsa_pss_saltlen:${salt}`,
  '-sigopt',
  `rsa_mgf1_md:${mgf}`,
];

const CASES: Case[] = [
  {
    label: 'GOST 2012-256 CryptoPro-A',
    alg: gost2012_256,
    spec: { type: 'gost2012-256' },
    tool: 'dgst',
    args: ['-md_gost12_256'],
    gost: true,
  },
  {
    label: 'GOST 2012-256 tc26-256-A (twisted Edwards)',
    alg: gost2012_256,
    spec: { type: 'gost2012-256', paramSet: 'tc26-256-a' },
    tool: 'dgst',
    args: ['-md_gost12_256'],
    gost: true,
  },
  {
    label: 'GOST 2012-512 tc26-512-A',
    alg: gost2012_512,
    spec: { type: 'gost2012-512' },
    tool: 'dgst',
    args: ['-md_gost12_512'],
    gost: true,
  },
  {
    label: 'GOST 2012-512 tc26-512-C',
    alg: gost2012_512,
    spec: { type: 'gost2012-512', paramSet: 'tc26-512-c' },
    tool: 'dgst',
    args: ['-md_gost12_512'],
    gost: true,
  },
  {
    label: 'ECDSA P-256 SHA-256',
    alg: ecdsaSha256,
    spec: { type: 'ecdsa', curve: 'P-256' },
    tool: 'dgst',
    args: ['-sha256'],
    gost: false,
  },
  {
    label: 'ECDSA P-384 SHA-384',
    alg: ecdsaSha384,
    spec: { type: 'ecdsa', curve: 'P-384' },
    tool: 'dgst',
    args: ['-sha384'],
    gost: false,
  },
  {
    label: 'ECDSA P-521 SHA-512',
    alg: ecdsaSha512,
    spec: { type: 'ecdsa', curve: 'P-521' },
    tool: 'dgst',
    args: ['-sha512'],
    gost: false,
  },
  {
    label: 'RSA PKCS#1 v1.5 SHA-256',
    alg: rsaPkcs1Sha256,
    spec: { type: 'rsa', bits: 2048 },
    tool: 'dgst',
    args: ['-sha256'],
    gost: false,
  },
  {
    label: 'RSA PKCS#1 v1.5 SHA-512',
    alg: rsaPkcs1Sha512,
    spec: { type: 'rsa', bits: 3072 },
    tool: 'dgst',
    args: ['-sha512'],
    gost: false,
  },
  {
    label: 'RSA-PSS SHA-256',
    alg: rsaPssSha256,
    spec: { type: 'rsa', bits: 2048 },
    tool: 'dgst',
    args: pss('sha256', 32),
    gost: false,
  },
  {
    label: 'RSA-PSS SHA-384',
    alg: rsaPssSha384,
    spec: { type: 'rsa', bits: 2048 },
    tool: 'dgst',
    args: pss('sha384', 48),
    gost: false,
  },
  { label: 'Ed25519', alg: ed25519, spec: { type: 'ed25519' }, tool: 'pkeyutl', args: ['-rawin'], gost: false },
];

/** RSASSA-PSS with SHA-256, MGF1-SHA-1 and a 20-byte salt: only the fallback can do it (WebCrypto ties MGF1 to the hash). */
const PSS_MGF1_SHA1 = findAlgorithm(
  allAlgorithms,
  der.seq(
    der.oid('1.2.840.113549.1.1.10'),
    der.seq(
      der.explicit(0, der.seq(der.oid('2.16.840.1.101.3.4.2.1'), der.null())),
      der.explicit(1, der.seq(der.oid('1.2.840.113549.1.1.8'), der.seq(der.oid('1.3.14.3.2.26'), der.null()))),
    ),
  ),
);
CASES.push({
  label: 'RSA-PSS SHA-256 / MGF1-SHA-1 / salt 20 (bound parameters)',
  alg: PSS_MGF1_SHA1,
  spec: { type: 'rsa', bits: 2048 },
  tool: 'dgst',
  args: pss('sha256', 20, 'sha1'),
  gost: false,
});

const PATHS: [string, SubtleCrypto | undefined][] = [
  ['webcrypto', globalThis.crypto.subtle],
  ['fallback', undefined],
];

async function opensslSign(c: Case, keyPem: string, dataFile: string, sigFile: string): Promise<void> {
  if (c.tool === 'dgst')
    await openssl(['dgst', ...c.args, '-sign', keyPem, '-out', sigFile, dataFile], { gost: c.gost });
  else
    await openssl(['pkeyutl', '-sign', ...c.args, '-inkey', keyPem, '-in', dataFile, '-out', sigFile], {
      gost: c.gost,
    });
}

async function opensslVerify(c: Case, pubPem: string, dataFile: string, sigFile: string): Promise<string> {
  const args =
    c.tool === 'dgst'
      ? ['dgst', ...c.args, '-verify', pubPem, '-signature', sigFile, dataFile]
      : ['pkeyutl', '-verify', ...c.args, '-pubin', '-inkey', pubPem, '-in', dataFile, '-sigfile', sigFile];
  try {
    return (await opensslText(args, { gost: c.gost })).trim();
  } catch (e) {
    return String((e as Error).message);
  }
}

describe('signature interop with OpenSSL', () => {
  for (const c of CASES) {
    it(`${c.label}: ours verify with openssl, openssl's verify with ours (both paths)`, {
      timeout: 120_000,
    }, async () => {
      await withTempDir(async (dir) => {
        const key: PrivateKey = await generateKeyPair(c.spec);
        const keyPem = join(dir, 'key.pem');
        const pubPem = join(dir, 'pub.pem');
        await writeFile(keyPem, exportPrivateKey(key, 'pem'));
        await writeFile(pubPem, exportPublicKey(key.publicKey, 'pem'));
        for (const [path, subtle] of PATHS) {
          const alg = withSubtle(c.alg, subtle);
          const data = randomBytes(1 + ((randomBytes(1)[0] as number) % 200));
          const dataFile = join(dir, `${path}.bin`);
          await writeFile(dataFile, data);

          const ours = join(dir, `${path}.ours.sig`);
          await writeFile(ours, await (alg.sign as NonNullable<SignatureAlgorithm['sign']>)(key, data));
          expect(await opensslVerify(c, pubPem, dataFile, ours), `${path}: openssl on ours`).toMatch(
            /Verified OK|Signature Verified Successfully/,
          );

          const theirs = join(dir, `${path}.theirs.sig`);
          await opensslSign(c, keyPem, dataFile, theirs);
          const signature = new Uint8Array(await readFile(theirs));
          expect(await alg.verify(key.publicKey, data, signature), `${path}: ours on openssl's`).toBe(true);
          const tampered = data.slice();
          tampered[0] = (tampered[0] as number) ^ 0x80;
          expect(await alg.verify(key.publicKey, tampered, signature)).toBe(false);
          await writeFile(dataFile, tampered);
          expect(await opensslVerify(c, pubPem, dataFile, ours)).not.toMatch(
            /Verified OK|Signature Verified Successfully/,
          );
        }
      });
    });
  }
});
