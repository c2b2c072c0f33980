// collectValidationData / validationDataSource: the validated path's certificates and the OCSP/CRL evidence relied on, embedded by @eds/core/cades as CAdES-X Long Type 1 and B-LT, then verified offline; a revoked signer gets no data.
import { der } from '@eds/core/asn1';
import { signCades } from '@eds/core/cades';
import { parseSignedData } from '@eds/core/signed-data';
import { createTestCa } from '@eds/core/testing';
import { PathValidationError } from '@eds/verify/errors';
import { createTrustStore } from '@eds/verify/trust';
import { collectValidationData, validationDataSource } from '@eds/verify/validation-data';
import { verify } from '@eds/verify/verify';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SigningPki, signingPki, timestampSource } from './_signing-pki';

const doc = new TextEncoder().encode('Заявление\n');
let pki: SigningPki;
let data: { crls: Uint8Array[]; ocspResponses: Uint8Array[] };

beforeAll(async () => {
  pki = await signingPki();
  data = {
    crls: [await pki.root.createCrl()],
    ocspResponses: [await pki.ca.createOcspResponse({ request: [{ certificate: pki.leaf.certificate }] })],
  };
}, 60_000);

describe('collectValidationData', () => {
  it('returns the CA certificates up to the anchor and the OCSP response and CRL that were relied on', async () => {
    const values = await collectValidationData({
      certificate: pki.leaf.certificate,
      trust: createTrustStore(pki.root.certificate),
      intermediates: [pki.ca.certificate],
      revocationData: { ...data, crls: [...data.crls, await pki.ca.createCrl()] },
    });
    expect(values.certificates).toEqual([pki.ca.certificate, pki.root.certificate]);
    // OCSP first: the CA's CRL was supplied but not needed for the leaf
    expect(values.ocspResponses).toEqual(data.ocspResponses);
    expect(values.crls).toEqual(data.crls);
  });

  it('signCades XLT1 and LT with validationDataSource verify offline from what they embed, the TSA of another hierarchy included', async () => {
    const tsaRoot = await createTestCa({
      keySpec: { type: 'ecdsa', curve: 'P-256' },
      subject: { commonName: 'TSA root' },
    });
    const tsa = await tsaRoot.issue({
      subject: { commonName: 'TSA' },
      keyUsage: ['digitalSignature'],
      extensions: [{ oid: '2.5.29.37', value: der.seq(der.oid('1.3.6.1.5.5.7.3.8')), critical: true }],
    });
    const trust = createTrustStore([pki.root.certificate, tsaRoot.certificate]);
    const revocationData = { ...data, crls: [...data.crls, await tsaRoot.createCrl()] };
    const revocation = validationDataSource({ trust, revocationData });
    for (const level of ['XLT1', 'LT'] as const) {
      const sig = await signCades({
        content: doc,
        signers: [pki.leaf.signer],
        certificates: [pki.ca.certificate],
        detached: true,
        level,
        tsa: timestampSource(tsa),
        revocation,
      });
      const report = await verify({ signature: sig, content: doc, trust });
      expect(report.signatures[0]?.timestamps.every((t) => t.indication === 'TOTAL_PASSED')).toBe(true);
      expect(report.signatures[0]?.format).toBe(level === 'XLT1' ? 'CAdES-X-Long-Type-1' : 'CAdES-B-LT');
      expect(report.indication, JSON.stringify(report.signatures[0]?.checks)).toBe('TOTAL_PASSED');
      expect(parseSignedData(sig).signerInfos).toHaveLength(1);
    }
  });

  it('a revoked signer or missing revocation data: PathValidationError, and signing returns nothing', async () => {
    const trust = createTrustStore(pki.root.certificate);
    const victim = await pki.ca.issue();
    pki.ca.revoke(victim.certificate, { reason: 'keyCompromise' });
    const revoked = await collectValidationData({
      certificate: victim.certificate,
      trust,
      intermediates: [pki.ca.certificate],
      revocationData: { crls: [...data.crls, await pki.ca.createCrl()] },
    }).catch((e: unknown) => e);
    expect(revoked).toBeInstanceOf(PathValidationError);
    expect((revoked as PathValidationError).reason).toBe('REVOKED');
    const none = signCades({
      content: doc,
      signers: [pki.leaf.signer],
      certificates: [pki.ca.certificate],
      level: 'XLT1',
      tsa: timestampSource(pki.tsa),
      revocation: validationDataSource({ trust }),
    });
    await expect(none).rejects.toMatchObject({ reason: 'REVOCATION_UNKNOWN' });
  });
});
