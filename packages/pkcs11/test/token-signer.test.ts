import { ecdsaDerToP1363, verifySignature } from '@eds/core/algorithms';
import { allAlgorithms } from '@eds/core/all-algorithms';
import { parsePublicKey } from '@eds/core/keys';
import type { KeySpec } from '@eds/core/testing';
import { createTestCa } from '@eds/core/testing';
import { parseCertificate } from '@eds/core/x509';
import { MechanismNotSupportedError, ProviderError } from '@eds/pkcs11/errors';
import { keyAlgorithmOfCertificate, signatureAlgorithmFor } from '@eds/pkcs11/schemes';
import { tokenSigner } from '@eds/pkcs11/token-signer';
import type { Capabilities, CertificateEntry, SignatureScheme, SignInput, TokenAdapter } from '@eds/pkcs11/types';
import { describe, expect, it } from 'vitest';

// A minimal adapter over a software key, with the output forms of types.ts (ECDSA as r‖s), so
// that tokenSigner's own work (scheme, DER encoding, digest routing, the check) is what is tested.
async function fixture(spec: KeySpec, rawSign: Capabilities['rawSign'] = { data: true, digest: true }) {
  const ca = await createTestCa({ keySpec: { type: 'ecdsa', curve: 'P-256' } });
  const leaf = await ca.issue({ keySpec: spec });
  const entry: CertificateEntry = {
    key: { provider: 'test', tokenId: 't1', keyId: '01' },
    certificate: leaf.certificate,
    keyAlgorithm: keyAlgorithmOfCertificate(leaf.certificate),
    hasPrivateKey: true,
    storage: 'test',
  };
  const calls: Array<{ input: SignInput; scheme: SignatureScheme; pin: string | undefined }> = [];
  let corrupt = false;
  const adapter = {
    provider: 'test',
    capabilities: { rawSign } as Capabilities,
    async sign(_key: unknown, input: SignInput, scheme: SignatureScheme, o?: { pin?: string }) {
      calls.push({ input, scheme, pin: o?.pin });
      const alg = signatureAlgorithmFor(scheme, entry.keyAlgorithm);
      let sig =
        input.type === 'data' ? await alg.sign?.(leaf.key, input.data) : await alg.signDigest?.(leaf.key, input.digest);
      if (!sig) throw new Error('unreachable');
      if (scheme.name === 'ECDSA') sig = ecdsaDerToP1363(sig, 32);
      if (corrupt) sig = sig.slice().reverse();
      return sig;
    },
  } as unknown as TokenAdapter;
  return { leaf, entry, adapter, calls, setCorrupt: (v: boolean) => (corrupt = v) };
}

const data = new TextEncoder().encode('документ');

// Verified by @eds/core's verifier with the certificate's own key, not by the signer's check.
function verifiesWithCertificate(certificate: Uint8Array, algorithm: Uint8Array, signature: Uint8Array) {
  const publicKey = parsePublicKey(parseCertificate(certificate).spki);
  return verifySignature(allAlgorithms, { algorithm, publicKey, data, signature });
}

describe('tokenSigner', () => {
  it.each([
    ['GOST 2012-256', { type: 'gost2012-256' } as KeySpec, 'gost2012-256'],
    ['GOST 2012-512', { type: 'gost2012-512' } as KeySpec, 'gost2012-512'],
    ['ECDSA P-256', { type: 'ecdsa', curve: 'P-256' } as KeySpec, 'ecdsa-sha256'],
    ['Ed25519', { type: 'ed25519' } as KeySpec, 'ed25519'],
  ])('%s: the signature verifies with the certificate key and names %s', async (_n, spec, name) => {
    const f = await fixture(spec);
    const signer = tokenSigner({ adapter: f.adapter, entry: f.entry });
    expect(signer.algorithm.name).toBe(name);
    const signature = await signer.sign(data);
    expect(await verifiesWithCertificate(f.leaf.certificate, signer.algorithm.identifier(), signature)).toBe(true);
  });

  it('hashes in JS and signs the digest when the provider signs digests only', async () => {
    const f = await fixture({ type: 'gost2012-256' }, { data: false, digest: true });
    const signer = tokenSigner({ adapter: f.adapter, entry: f.entry });
    const signature = await signer.sign(data);
    expect(f.calls[0]?.input.type).toBe('digest');
    expect(await verifiesWithCertificate(f.leaf.certificate, signer.algorithm.identifier(), signature)).toBe(true);
  });

  it('offers signDigest only when the provider signs digests and the scheme hashes', async () => {
    const dataOnly = await fixture({ type: 'ecdsa', curve: 'P-256' }, { data: true, digest: false });
    expect(tokenSigner({ adapter: dataOnly.adapter, entry: dataOnly.entry }).signDigest).toBeUndefined();
    const ed = await fixture({ type: 'ed25519' });
    expect(tokenSigner({ adapter: ed.adapter, entry: ed.entry }).signDigest).toBeUndefined();
    const gost = await fixture({ type: 'gost2012-512' });
    const signer = tokenSigner({ adapter: gost.adapter, entry: gost.entry });
    // the same RangeError and message as the adapters' sign (checkDigestInput)
    await expect(signer.signDigest?.(new Uint8Array(32))).rejects.toThrow(
      new RangeError('GOST3410 with STREEBOG-512: expected a 64-byte digest, got 32 bytes'),
    );
  });

  it('refuses a provider without raw signatures, and a scheme that does not fit the key', async () => {
    const f = await fixture({ type: 'gost2012-256' }, false);
    expect(() => tokenSigner({ adapter: f.adapter, entry: f.entry })).toThrow(MechanismNotSupportedError);
    const g = await fixture({ type: 'gost2012-256' });
    expect(() =>
      tokenSigner({ adapter: g.adapter, entry: g.entry, scheme: { name: 'ECDSA', hash: 'SHA-256' } }),
    ).toThrow(MechanismNotSupportedError);
  });

  it('catches a signature that does not verify (byte order fault) unless told not to check', async () => {
    const f = await fixture({ type: 'gost2012-256' });
    f.setCorrupt(true);
    await expect(tokenSigner({ adapter: f.adapter, entry: f.entry }).sign(data)).rejects.toThrow(ProviderError);
    const unchecked = await tokenSigner({ adapter: f.adapter, entry: f.entry, verify: false }).sign(data);
    expect(unchecked).toHaveLength(64);
  });

  it('asks for the PIN per signature only for always-authenticate keys', async () => {
    const f = await fixture({ type: 'ecdsa', curve: 'P-256' });
    let asked = 0;
    const pin = async () => {
      asked++;
      return '1234';
    };
    await tokenSigner({ adapter: f.adapter, entry: f.entry, pin }).sign(data);
    await tokenSigner({ adapter: f.adapter, entry: { ...f.entry, alwaysAuthenticate: true }, pin }).sign(data);
    expect(asked).toBe(1);
    expect(f.calls.map((c) => c.pin)).toEqual([undefined, '1234']);
  });

  it('honours an aborted signal before calling the provider', async () => {
    const f = await fixture({ type: 'gost2012-256' });
    const controller = new AbortController();
    controller.abort();
    await expect(
      tokenSigner({ adapter: f.adapter, entry: f.entry }).sign(data, { signal: controller.signal }),
    ).rejects.toThrow(/abort/i);
    expect(f.calls).toHaveLength(0);
  });
});
