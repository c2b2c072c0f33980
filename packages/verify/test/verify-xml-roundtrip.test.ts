// signXml of @eds/core/xmldsig through verifyXml: GOST-256 enveloped and ID-referenced, XAdES-BES and -T, the SMEV 3 and Kazakh profiles; Node and Chromium.
import { createTestCa } from '@eds/core/testing';
import type { Element } from '@eds/core/xml';
import { signXml } from '@eds/core/xmldsig';
import { createTrustStore } from '@eds/verify/trust';
import { type VerifyXmlOptions, verifyXml } from '@eds/verify/verify-xml';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SigningPki, signingPki, timestampSource } from './_signing-pki';

let pki: SigningPki;
let crls: { crls: Uint8Array[] };

beforeAll(async () => {
  pki = await signingPki();
  crls = { crls: [await pki.root.createCrl(), await pki.ca.createCrl()] };
}, 60_000);

const trust = () => createTrustStore(pki.root.certificate);
const check = (xml: string, extra: Partial<VerifyXmlOptions> = {}) =>
  verifyXml({ xml, trust: trust(), revocation: 'off', ...extra });
const verdict = (r: { indication: string; subIndication?: string | undefined }) => [r.indication, r.subIndication];

describe('verifyXml: round trips with signXml of @eds/core/xmldsig', () => {
  // signXml writes the signer's certificate only: the intermediate comes from the caller
  const withCa = { intermediates: [] as Uint8Array[] };
  beforeAll(() => {
    withCa.intermediates = [pki.ca.certificate];
  });
  const DOCUMENT =
    '<doc:Order xmlns:doc="urn:example:doc"><doc:Item Id="item-1">Поставка 10 шт.</doc:Item><doc:Note>не подписано</doc:Note></doc:Order>';

  it('GOST-256 enveloped and ID-referenced: TOTAL_PASSED with CRLs', async () => {
    for (const referenceId of [undefined, 'item-1']) {
      const xml = await signXml({ document: DOCUMENT, signer: pki.leaf.signer, referenceId });
      const { report, signedNodes } = await verifyXml({ xml, trust: trust(), revocationData: crls, ...withCa });
      expect(verdict(report), JSON.stringify(report.signatures[0]?.checks)).toEqual(['TOTAL_PASSED', undefined]);
      expect(report.signatures[0]?.signatureAlgorithm).toBe('gost2012-256');
      expect(signedNodes).toHaveLength(1);
      if (referenceId) expect((signedNodes[0] as Element).getAttribute('Id')).toBe('item-1');
    }
  });

  it('XAdES-BES and XAdES-T (GOST-256): bound signing certificate, time-stamp as proof of time', async () => {
    const bes = await signXml({ document: DOCUMENT, signer: pki.leaf.signer, xades: { level: 'BES' } });
    const b = (await check(bes, withCa)).report;
    expect(verdict(b), JSON.stringify(b.signatures[0]?.checks)).toEqual(['TOTAL_PASSED', undefined]);
    expect(b.signatures[0]?.format).toBe('XAdES-BES');
    const genTime = new Date(Date.now() + 2000);
    const t = await signXml({
      document: DOCUMENT,
      signer: pki.leaf.signer,
      xades: { level: 'T', tsa: timestampSource(pki.tsa, () => genTime) },
    });
    const r = (await check(t, { ...withCa, time: new Date(Date.now() + 60_000) })).report;
    const s = r.signatures[0];
    expect(verdict(r), JSON.stringify(s?.checks)).toEqual(['TOTAL_PASSED', undefined]);
    expect(s?.format).toBe('XAdES-T');
    expect(s?.timestamps.map((x) => x.indication)).toEqual(['TOTAL_PASSED']);
    expect(s?.bestSignatureTime).toBe(s?.timestamps[0]?.genTime);
  });

  it('the SMEV 3 profile verifies under profile smev3', async () => {
    const envelope =
      '<ns:SendRequestRequest xmlns:ns="urn://x-artefacts-smev-gov-ru/services/message-exchange/types/1.1"><ns:SenderProvidedRequestData Id="SIGNED_BY_CONSUMER"><ns:MessageID>a</ns:MessageID></ns:SenderProvidedRequestData><ns:CallerInformationSystemSignature/></ns:SendRequestRequest>';
    const xml = await signXml({
      document: envelope,
      signer: pki.leaf.signer,
      profile: 'smev3',
      referenceId: 'SIGNED_BY_CONSUMER',
    });
    const { report, signedNodes } = await check(xml, { ...withCa, profile: 'smev3' });
    expect(verdict(report), JSON.stringify(report.signatures[0]?.checks)).toEqual(['TOTAL_PASSED', undefined]);
    expect((signedNodes[0] as Element).localName).toBe('SenderProvidedRequestData');
  });

  it('the Kazakh profile (GOST-512 paramSetA, pkigovkz URIs, reversed value) verifies', async () => {
    const keySpec = { type: 'gost2012-512', paramSet: '1.2.643.7.1.2.1.2.1' } as const;
    const root = await createTestCa({ keySpec, profile: 'plain' });
    const leaf = await root.issue({ keySpec, profile: 'plain' });
    const xml = await signXml({ document: DOCUMENT, signer: leaf.signer, profile: 'kazakh' });
    expect(xml).toContain('pkigovkz');
    const { report } = await verifyXml({ xml, trust: createTrustStore(root.certificate), revocation: 'off' });
    expect(verdict(report), JSON.stringify(report.signatures[0]?.checks)).toEqual(['TOTAL_PASSED', undefined]);
    const forged = xml.replace('Поставка 10 шт.', 'Поставка 99 шт.');
    const f = await verifyXml({ xml: forged, trust: createTrustStore(root.certificate), revocation: 'off' });
    expect(verdict(f.report)).toEqual(['TOTAL_FAILED', 'HASH_FAILURE']);
  }, 30_000);
});
