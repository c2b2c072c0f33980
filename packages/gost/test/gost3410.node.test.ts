// Interop of GOST R 34.10-2012 signatures and VKO with OpenSSL 3 and the GOST engine, an independent implementation.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getCurve } from '@eds/gost/curves';
import { getPublicKey, randomPrivateKey, sign, verify } from '@eds/gost/gost3410';
import { vko2012_256 } from '@eds/gost/kdf';
import { streebog256, streebog512 } from '@eds/gost/streebog';
import { openssl, opensslText } from '@eds/test-support/openssl';
import { withTempDir } from '@eds/test-support/temp';
import { bytesToHex, randomBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';

/** The sets the issue names, with OpenSSL's algorithm and paramset for each. */
const SETS = [
  ['cryptopro-a', 'gost2012_256', 'A'],
  ['tc26-256-a', 'gost2012_256', 'TCA'],
  ['tc26-512-a', 'gost2012_512', 'A'],
  ['tc26-512-c', 'gost2012_512', 'C'],
] as const;

/** Key material in OpenSSL's files and in this package's byte layout. */
interface KeyFiles {
  /** PKCS#8 and SPKI PEM files. */
  privatePem: string;
  publicPem: string;
  privateKey: Uint8Array;
  publicKey: Uint8Array;
}

const pem = (label: string, der: Uint8Array) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64')}\n-----END ${label}-----\n`;

/**
 * A fresh OpenSSL key pair. GOST PKCS#8 and SPKI DER end with the raw key bytes (the private
 * scalar little-endian; x || y little-endian), so the DER prefixes let the test wrap this
 * package's keys in the same structures without an ASN.1 encoder.
 */
async function opensslKey(dir: string, name: string, algorithm: string, paramset: string) {
  const privatePem = join(dir, `${name}.key.pem`);
  const publicPem = join(dir, `${name}.pub.pem`);
  await openssl(['genpkey', '-algorithm', algorithm, '-pkeyopt', `paramset:${paramset}`, '-out', privatePem]);
  await openssl(['pkey', '-in', privatePem, '-pubout', '-out', publicPem]);
  const pkcs8 = (await openssl(['pkey', '-in', privatePem, '-outform', 'DER'])).stdout;
  const spki = (await openssl(['pkey', '-pubin', '-in', publicPem, '-outform', 'DER'])).stdout;
  return { privatePem, publicPem, pkcs8, spki };
}

/** Writes this package's key pair as PEM files shaped like OpenSSL's for the same set. */
async function ownKeyFiles(dir: string, name: string, model: { pkcs8: Uint8Array; spki: Uint8Array }, curve: string) {
  const c = getCurve(curve);
  const privateKey = randomPrivateKey(c);
  const publicKey = getPublicKey(privateKey, c);
  const pkcs8 = new Uint8Array([...model.pkcs8.subarray(0, -c.byteLength), ...privateKey]);
  const spki = new Uint8Array([...model.spki.subarray(0, -2 * c.byteLength), ...publicKey]);
  const files: KeyFiles = {
    privatePem: join(dir, `${name}.key.pem`),
    publicPem: join(dir, `${name}.pub.pem`),
    privateKey,
    publicKey,
  };
  await writeFile(files.privatePem, pem('PRIVATE KEY', pkcs8));
  await writeFile(files.publicPem, pem('PUBLIC KEY', spki));
  return files;
}

describe.each(SETS)('%s against OpenSSL (%s, paramset %s)', (curve, algorithm, paramset) => {
  const c = getCurve(curve);
  const md = `-md_gost12_${c.bits}`;
  const digest = (m: Uint8Array) => (c.bits === 256 ? streebog256 : streebog512)(m);

  it('derives the public key OpenSSL derives for its own random key', async () => {
    await withTempDir(async (dir) => {
      for (let i = 0; i < 3; i++) {
        const { privatePem, pkcs8, spki } = await opensslKey(dir, `k${i}`, algorithm, paramset);
        const privateKey = pkcs8.subarray(-c.byteLength);
        expect(bytesToHex(getPublicKey(privateKey, c))).toBe(bytesToHex(spki.subarray(-2 * c.byteLength)));
        // The text form prints the scalar as a number, most significant digit first.
        const text = await opensslText(['pkey', '-in', privatePem, '-text', '-noout']);
        const printed = BigInt(`0x${/Private key: ([0-9A-F]+)/.exec(text)?.[1]}`);
        expect(printed).toBe(BigInt(`0x${bytesToHex(privateKey.slice().reverse())}`));
      }
    });
  });

  it('signs here and verifies with openssl dgst, and the other way round, random keys and messages', async () => {
    await withTempDir(async (dir) => {
      const model = await opensslKey(dir, 'model', algorithm, paramset);
      for (let i = 0; i < 3; i++) {
        const key = await ownKeyFiles(dir, `own${i}`, model, curve);
        const message = randomBytes(1 + (randomBytes(1)[0] as number) * 20);
        const messageFile = join(dir, `m${i}.bin`);
        await writeFile(messageFile, message);

        const ours = join(dir, `ours${i}.sig`);
        await writeFile(ours, sign(digest(message), key.privateKey, c));
        const out = await opensslText(['dgst', md, '-verify', key.publicPem, '-signature', ours, messageFile]);
        expect(out.trim()).toBe('Verified OK');

        const theirs = join(dir, `theirs${i}.sig`);
        await openssl(['dgst', md, '-sign', key.privatePem, '-out', theirs, messageFile]);
        const signature = new Uint8Array(await readFile(theirs));
        expect(verify(signature, digest(message), key.publicKey, c)).toBe(true);
        const tampered = message.slice();
        tampered[0] = (tampered[0] as number) ^ 0x80;
        expect(verify(signature, digest(tampered), key.publicKey, c)).toBe(false);
      }
    });
  });

  it('VKO_GOSTR3410_2012_256 equals openssl pkeyutl -derive with a random UKM', async () => {
    await withTempDir(async (dir) => {
      const model = await opensslKey(dir, 'peer', algorithm, paramset);
      const own = await ownKeyFiles(dir, 'own', model, curve);
      const ukm = randomBytes(8);
      const args = ['pkeyutl', '-derive', '-inkey', model.privatePem, '-peerkey', own.publicPem];
      const derived = (await openssl([...args, '-pkeyopt', `ukmhex:${bytesToHex(ukm)}`])).stdout;
      const peerPublic = model.spki.subarray(-2 * c.byteLength);
      expect(bytesToHex(vko2012_256(own.privateKey, peerPublic, ukm, c))).toBe(bytesToHex(derived));
    });
  });
});
