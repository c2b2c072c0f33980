// Interop of GOST R 34.10-2001 verification (RFC 5832, byte layouts of RFC 4491) with OpenSSL 3 and the GOST engine's gost2001 keys.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getPublicKey, randomPrivateKey, sign } from '@eds/gost/gost3410';
import { gost341194 } from '@eds/gost/gost341194';
import { verify2001 } from '@eds/gost/legacy';
import { openssl, opensslText } from '@eds/test-support/openssl';
import { withTempDir } from '@eds/test-support/temp';
import { randomBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';

/** The GOST R 34.10-2001 sets with OpenSSL's paramset names (`genpkey -algorithm gost2001`). */
const SETS = [
  ['cryptopro-test', '0'],
  ['cryptopro-a', 'A'],
  ['cryptopro-b', 'B'],
  ['cryptopro-c', 'C'],
  ['cryptopro-xcha', 'XA'],
  ['cryptopro-xchb', 'XB'],
] as const;

const pem = (label: string, der: Uint8Array) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64')}\n-----END ${label}-----\n`;

/**
 * A fresh gost2001 key pair from OpenSSL. Its PKCS#8 DER ends with the 32-byte little-endian
 * scalar and its SPKI DER with x || y (little-endian each), as for 2012 keys.
 */
async function opensslKey(dir: string, name: string, paramset: string) {
  const privatePem = join(dir, `${name}.key.pem`);
  const publicPem = join(dir, `${name}.pub.pem`);
  await openssl(['genpkey', '-algorithm', 'gost2001', '-pkeyopt', `paramset:${paramset}`, '-out', privatePem]);
  await openssl(['pkey', '-in', privatePem, '-pubout', '-out', publicPem]);
  const pkcs8 = (await openssl(['pkey', '-in', privatePem, '-outform', 'DER'])).stdout;
  const spki = (await openssl(['pkey', '-pubin', '-in', publicPem, '-outform', 'DER'])).stdout;
  return { privatePem, publicPem, pkcs8, spki };
}

describe.each(SETS)('%s against OpenSSL gost2001 (paramset %s)', (curve, paramset) => {
  it('verifies signatures made by openssl dgst -md_gost94 -sign, and rejects altered ones', async () => {
    await withTempDir(async (dir) => {
      const key = await opensslKey(dir, 'k', paramset);
      const publicKey = key.spki.subarray(-64);
      expect(getPublicKey(key.pkcs8.subarray(-32), curve)).toEqual(publicKey);
      for (let i = 0; i < 3; i++) {
        const message = randomBytes(1 + (randomBytes(1)[0] as number) * 20);
        const messageFile = join(dir, `m${i}.bin`);
        const signatureFile = join(dir, `s${i}.sig`);
        await writeFile(messageFile, message);
        await openssl(['dgst', '-md_gost94', '-sign', key.privatePem, '-out', signatureFile, messageFile]);
        const signature = new Uint8Array(await readFile(signatureFile));
        expect(signature.length).toBe(64);
        expect(verify2001(signature, gost341194(message), publicKey, curve)).toBe(true);
        const tampered = message.slice();
        tampered[0] = (tampered[0] as number) ^ 0x80;
        expect(verify2001(signature, gost341194(tampered), publicKey, curve)).toBe(false);
      }
    });
  });

  it('makes signatures (with the 2012 signer) that openssl dgst -md_gost94 -verify accepts', async () => {
    await withTempDir(async (dir) => {
      const model = await opensslKey(dir, 'model', paramset);
      const privateKey = randomPrivateKey(curve);
      const publicKey = getPublicKey(privateKey, curve);
      // Our key in OpenSSL's SPKI shape (the DER prefix carries the 2001 OIDs and the paramset).
      const publicPem = join(dir, 'own.pub.pem');
      await writeFile(publicPem, pem('PUBLIC KEY', new Uint8Array([...model.spki.subarray(0, -64), ...publicKey])));
      const message = randomBytes(333);
      const messageFile = join(dir, 'm.bin');
      const signatureFile = join(dir, 'own.sig');
      await writeFile(messageFile, message);
      await writeFile(signatureFile, sign(gost341194(message), privateKey, curve));
      const out = await opensslText([
        'dgst',
        '-md_gost94',
        '-verify',
        publicPem,
        '-signature',
        signatureFile,
        messageFile,
      ]);
      expect(out.trim()).toBe('Verified OK');
    });
  });
});
