// Software-key signers: default algorithms, key/certificate binding, AbortSignal, PEM and PKCS#12 import.
import {
  ecdsaSha256,
  ecdsaSha384,
  gost2001,
  gost2012_256,
  parseAlgorithmIdentifier,
  rsaPkcs1Sha256,
  rsaPssSha256,
  rsaPssSha384,
  verifySignature,
} from '@eds/core/algorithms';
import { allAlgorithms } from '@eds/core/all-algorithms';
import { decodeDer, der, TAG } from '@eds/core/asn1';
import { encodePem } from '@eds/core/encoding';
import { KeyMismatchError, UnsupportedAlgorithmError } from '@eds/core/errors';
import { exportPrivateKey, generateKeyPair, type KeySpec, parsePrivateKey } from '@eds/core/keys';
import { createPkcs12 } from '@eds/core/pkcs12';
import { createSigner, signerFromPem, signerFromPkcs12 } from '@eds/core/signer';
import { createTestCa } from '@eds/core/testing';
import { describe, expect, it } from 'vitest';

const data = new TextEncoder().encode('документ для подписи');

const SPECS: [KeySpec, string][] = [
  [{ type: 'gost2012-256' }, 'gost2012-256'],
  [{ type: 'gost2012-512' }, 'gost2012-512'],
  [{ type: 'ecdsa', curve: 'P-384' }, '1.2.840.10045.4.3.3'],
  [{ type: 'rsa', bits: 2048 }, '1.2.840.113549.1.1.11'],
  [{ type: 'ed25519' }, 'ed25519'],
];

describe('createSigner', () => {
  for (const [spec, expected] of SPECS) {
    it(`${spec.type}: default algorithm signs what verifySignature accepts`, async () => {
      const key = await generateKeyPair(spec);
      const signer = createSigner({ key });
      expect([signer.algorithm.name, parseAlgorithmIdentifier(signer.algorithm.identifier()).oid]).toContain(expected);
      expect(signer.publicKey).toBe(key.publicKey);
      expect(signer.certificate).toBeUndefined();
      const signature = await signer.sign(data);
      const input = { algorithm: signer.algorithm.identifier(), publicKey: key.publicKey, data, signature };
      expect(await verifySignature(allAlgorithms, input)).toBe(true);
      expect(await verifySignature(allAlgorithms, { ...input, data: data.slice(1) })).toBe(false);
      if (spec.type === 'ed25519') expect(signer.signDigest).toBeUndefined();
      else {
        const digest = signer.algorithm.digest?.digest(data) as Uint8Array;
        const byDigest = await signer.signDigest?.(digest);
        expect(await verifySignature(allAlgorithms, { ...input, signature: byDigest as Uint8Array })).toBe(true);
        await expect(signer.signDigest?.(digest.subarray(1))).rejects.toThrow(RangeError);
      }
    });
  }

  it('takes an explicit algorithm and rejects one for another key type', async () => {
    const key = await generateKeyPair({ type: 'rsa', bits: 2048 });
    const signer = createSigner({ key, algorithm: rsaPssSha256 });
    const signature = await signer.sign(data);
    expect(
      await verifySignature(allAlgorithms, {
        algorithm: rsaPssSha256.identifier(),
        publicKey: key.publicKey,
        data,
        signature,
      }),
    ).toBe(true);
    expect(() => createSigner({ key, algorithm: gost2012_256 })).toThrow(UnsupportedAlgorithmError);
    expect(() => createSigner({ key, algorithm: ecdsaSha384 })).toThrow(
      expect.objectContaining({ code: 'ERR_UNSUPPORTED_ALGORITHM' }),
    );
  });

  it('binds the certificate and rejects a certificate of another key', async () => {
    const ca = await createTestCa();
    const leaf = await ca.issue();
    const signer = createSigner({ key: leaf.key, certificate: leaf.certificate });
    expect(signer.certificate).toEqual(leaf.certificate);
    expect(() => createSigner({ key: leaf.key, certificate: ca.certificate })).toThrow(KeyMismatchError);
    expect(() => createSigner({ key: leaf.key, certificate: ca.certificate })).toThrow(
      expect.objectContaining({ code: 'ERR_KEY_MISMATCH' }),
    );
  });

  it('rejects with the reason of an aborted signal before signing', async () => {
    const key = await generateKeyPair({ type: 'ecdsa', curve: 'P-256' });
    const signer = createSigner({ key, algorithm: ecdsaSha256 });
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    controller.abort(reason);
    await expect(signer.sign(data, { signal: controller.signal })).rejects.toBe(reason);
    await expect(signer.signDigest?.(new Uint8Array(32), { signal: controller.signal })).rejects.toBe(reason);
  });
});

describe("createSigner and the key's own restrictions (regression, issue 5 review)", () => {
  /** The same RSA key as an id-RSASSA-PSS key restricted to SHA-384, MGF1-SHA-384, salt >= 48 (RFC 4055 §3.1, §3.3). */
  async function restrictedPssKey() {
    const rsa = await generateKeyPair({ type: 'rsa', bits: 2048 });
    const r = decodeDer(rsa.pkcs8).read();
    r.next(TAG.INTEGER, 'version');
    r.next(TAG.SEQUENCE, 'algorithm');
    const rsaPrivateKey = r.next(TAG.OCTET_STRING, 'privateKey').value;
    const sha384 = der.seq(der.oid('2.16.840.1.101.3.4.2.2'), der.null());
    const params = der.seq(
      der.explicit(0, sha384),
      der.explicit(1, der.seq(der.oid('1.2.840.113549.1.1.8'), sha384)),
      der.explicit(2, der.int(48)),
    );
    const algorithm = der.seq(der.oid('1.2.840.113549.1.1.10'), params);
    return parsePrivateKey(der.seq(der.int(0), algorithm, der.octets(rsaPrivateKey)));
  }

  it('refuses a PSS algorithm with another hash, and PKCS#1 v1.5, for a restricted id-RSASSA-PSS key', async () => {
    const key = await restrictedPssKey();
    for (const algorithm of [rsaPssSha256, rsaPkcs1Sha256]) {
      expect(() => createSigner({ key, algorithm })).toThrow(UnsupportedAlgorithmError);
    }
    for (const signer of [createSigner({ key, algorithm: rsaPssSha384 }), createSigner({ key })]) {
      expect(signer.algorithm.name).toBe('rsa-pss-sha384');
      const signature = await signer.sign(data);
      const input = { algorithm: signer.algorithm.identifier(), publicKey: key.publicKey, data, signature };
      expect(await verifySignature(allAlgorithms, input)).toBe(true);
    }
  });

  it('says a verify-only algorithm cannot sign, for a key of the type it verifies', async () => {
    const key = await generateKeyPair({ type: 'gost2012-256' });
    expect(() => createSigner({ key, algorithm: gost2001 })).toThrow(/verify-only/);
  });
});

describe('signerFromPem', () => {
  it('picks the certificate of the key from a bundle', async () => {
    const ca = await createTestCa({ keySpec: { type: 'gost2012-256' } });
    const leaf = await ca.issue();
    const keyPem = exportPrivateKey(leaf.key, 'pem');
    const bundle = encodePem('CERTIFICATE', ca.certificate) + encodePem('CERTIFICATE', leaf.certificate);
    const signer = await signerFromPem(keyPem, bundle);
    expect(signer.certificate).toEqual(leaf.certificate);
    expect(signer.algorithm).toBe(gost2012_256);
    const signature = await signer.sign(data);
    expect(await gost2012_256.verify(leaf.key.publicKey, data, signature)).toBe(true);
    expect((await signerFromPem(exportPrivateKey(leaf.key, 'der'))).certificate).toBeUndefined();
    await expect(signerFromPem(keyPem, encodePem('CERTIFICATE', ca.certificate))).rejects.toBeInstanceOf(
      KeyMismatchError,
    );
  });
});

describe('signerFromPkcs12', () => {
  for (const dialect of ['standard', 'gost-tc26'] as const) {
    it(`${dialect}: finds the key and its certificate`, async () => {
      const ca = await createTestCa({ keySpec: { type: dialect === 'standard' ? 'ed25519' : 'gost2012-256' } });
      const leaf = await ca.issue();
      const pfx = await createPkcs12({
        key: leaf.key,
        certificates: [leaf.certificate, ca.certificate],
        password: 'пароль',
        dialect,
        iterations: 10,
      });
      const signer = await signerFromPkcs12(pfx, 'пароль');
      expect(signer.certificate).toEqual(leaf.certificate);
      expect(signer.publicKey.raw).toEqual(leaf.key.publicKey.raw);
      const signature = await signer.sign(data);
      expect(await signer.algorithm.verify(leaf.key.publicKey, data, signature)).toBe(true);
    });
  }

  it('gives a signer without certificate when no certificate in the file is the key', async () => {
    const ca = await createTestCa();
    const leaf = await ca.issue();
    const pfx = await createPkcs12({
      key: leaf.key,
      certificates: [ca.certificate],
      password: 'p',
      dialect: 'standard',
      iterations: 10,
    });
    const signer = await signerFromPkcs12(pfx, 'p');
    expect(signer.certificate).toBeUndefined();
    expect(signer.publicKey.raw).toEqual(leaf.key.publicKey.raw);
  });

  it('fails with ERR_KEY_NOT_FOUND on a certificates-only file', async () => {
    const ca = await createTestCa();
    const pfx = await createPkcs12({
      key: undefined,
      certificates: [ca.certificate],
      password: 'p',
      dialect: 'standard',
      iterations: 10,
    });
    await expect(signerFromPkcs12(pfx, 'p')).rejects.toThrow(expect.objectContaining({ code: 'ERR_KEY_NOT_FOUND' }));
  });
});
