// createOcspRequest, ocspGetUrl and checkOcsp (RFC 6960, RFC 8954) with test-CA responses in GOST and ECDSA.
import { der } from '@eds/core/asn1';
import { sha1, sha256 } from '@eds/core/digests';
import { base64Decode } from '@eds/core/encoding';
import { parseOcspRequest } from '@eds/core/ocsp';
import { type Certificate, parseCertificate } from '@eds/core/x509';
import { damagedCopies } from '@eds/test-support/inputs';
import { checkOcsp, createOcspRequest, ocspGetUrl } from '@eds/verify/ocsp-check';
import type { ValidatedPath } from '@eds/verify/types';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DAY, extension, HOUR, KEY_SPECS, makePki, ocspWithExtensions, type Pki, T0 } from './_revocation-pki';

const AT = new Date(T0.getTime() + HOUR);
const OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';

function accept(c: Certificate): ValidatedPath {
  return { certificates: [c], anchor: { certificate: c }, time: AT, policies: [], revocation: [] };
}

describe('createOcspRequest and ocspGetUrl', () => {
  let pki: Pki;
  beforeAll(async () => {
    pki = await makePki({ type: 'ecdsa', curve: 'P-256' });
  });

  it('builds a SHA-1 CertID request without a nonce by default', async () => {
    const { cert } = await pki.leaf();
    const req = createOcspRequest({ certificate: cert, issuer: pki.caCert });
    expect(req.nonce).toBeUndefined();
    const parsed = parseOcspRequest(req.der);
    const id = parsed.requests[0]?.certId;
    expect(parsed.requests.length).toBe(1);
    expect(parsed.nonce).toBeUndefined();
    expect(id?.hashAlgorithm.oid).toBe(sha1.oid);
    expect(id?.serialNumber).toBe(cert.serialNumber);
    expect(id?.issuerNameHash).toEqual(sha1.digest(pki.caCert.subject.raw));
    expect(id?.issuerKeyHash).toEqual(sha1.digest(pki.caCert.publicKey));
    expect(id?.raw).toEqual(req.certId);
  });

  it('adds a random or given nonce and another hash', async () => {
    const { cert } = await pki.leaf();
    const a = createOcspRequest({ certificate: cert, issuer: pki.caCert, nonce: true });
    const b = createOcspRequest({ certificate: cert, issuer: pki.caCert, nonce: true });
    expect(a.nonce?.length).toBe(32);
    expect(a.nonce).not.toEqual(b.nonce);
    expect(parseOcspRequest(a.der).nonce).toEqual(a.nonce);
    const given = createOcspRequest({
      certificate: cert,
      issuer: pki.caCert,
      nonce: Uint8Array.of(1, 2, 3),
      hash: sha256,
    });
    const parsed = parseOcspRequest(given.der);
    expect(parsed.nonce).toEqual(Uint8Array.of(1, 2, 3));
    expect(parsed.requests[0]?.certId.hashAlgorithm.oid).toBe(sha256.oid);
    expect(() => createOcspRequest({ certificate: cert, issuer: pki.caCert, nonce: new Uint8Array(33) })).toThrow(
      RangeError,
    );
  });

  it('GET form: base, slash, URL-encoded Base64', async () => {
    const { cert } = await pki.leaf();
    const req = createOcspRequest({ certificate: cert, issuer: pki.caCert });
    for (const base of ['http://ocsp.test', 'http://ocsp.test/']) {
      const url = ocspGetUrl(base, req.der);
      expect(url.startsWith('http://ocsp.test/')).toBe(true);
      const tail = url.slice('http://ocsp.test/'.length);
      expect(tail).not.toMatch(/[+/=]/);
      expect(base64Decode(decodeURIComponent(tail))).toEqual(req.der);
    }
  });
});

describe.each(KEY_SPECS)('checkOcsp with %s', (_label, keySpec) => {
  let pki: Pki;
  beforeAll(async () => {
    pki = await makePki(keySpec);
  });

  async function answer(cert: Certificate, options: Parameters<Pki['ca']['createOcspResponse']>[0] = {}) {
    const req = createOcspRequest({ certificate: cert, issuer: pki.caCert, nonce: true });
    const der = await pki.ca.createOcspResponse({ request: req.der, time: T0, ...options });
    return { req, der };
  }

  it('good, signed by the CA, with its times and evidence', async () => {
    const { cert } = await pki.leaf();
    const { req, der: response } = await answer(cert);
    const r = await checkOcsp(response, cert, pki.caCert, { time: AT, nonce: req.nonce });
    expect(r).toMatchObject({ status: 'good', source: 'ocsp', thisUpdate: T0, producedAt: T0, evidence: response });
    expect(r.nextUpdate?.getTime()).toBe(T0.getTime() + DAY);
    const byName = await answer(cert, { responderId: 'name' });
    expect((await checkOcsp(byName.der, cert, pki.caCert, { time: AT })).status).toBe('good');
  });

  it('revoked with reason and time; certificateHold gives suspended', async () => {
    const revoked = await pki.leaf();
    const held = await pki.leaf();
    const when = new Date(T0.getTime() - 3 * HOUR);
    pki.ca.revoke(revoked.serial, { reason: 'cessationOfOperation', time: when });
    pki.ca.revoke(held.serial, { reason: 'certificateHold', time: when });
    const r = await checkOcsp((await answer(revoked.cert)).der, revoked.cert, pki.caCert, { time: AT });
    expect(r).toMatchObject({ status: 'revoked', reason: 'cessationOfOperation', revocationTime: when });
    const h = await checkOcsp((await answer(held.cert)).der, held.cert, pki.caCert, { time: AT });
    expect(h).toMatchObject({ status: 'suspended', reason: 'certificateHold' });
  });

  it('the responder saying unknown, or a failure status, gives unknown', async () => {
    const { cert } = await pki.leaf();
    const u = await checkOcsp((await answer(cert, { status: 'unknown' })).der, cert, pki.caCert, { time: AT });
    expect(u).toMatchObject({ status: 'unknown', detail: expect.stringMatching(/does not know/) });
    const later = await checkOcsp((await answer(cert, { responseStatus: 'tryLater' })).der, cert, pki.caCert, {
      time: AT,
    });
    expect(later).toMatchObject({ status: 'unknown', detail: expect.stringMatching(/tryLater/) });
  });

  it('nonce: a wrong one is refused, a missing one only when required', async () => {
    const { cert } = await pki.leaf();
    const { req, der: wrong } = await answer(cert, { nonce: Uint8Array.of(9, 9, 9) });
    const r = await checkOcsp(wrong, cert, pki.caCert, { time: AT, nonce: req.nonce });
    expect(r).toMatchObject({ status: 'unknown', detail: expect.stringMatching(/nonce/) });
    const { req: req2, der: none } = await answer(cert, { nonce: false });
    expect((await checkOcsp(none, cert, pki.caCert, { time: AT, nonce: req2.nonce })).status).toBe('good');
    const strict = await checkOcsp(none, cert, pki.caCert, { time: AT, nonce: req2.nonce, requireNonce: true });
    expect(strict).toMatchObject({ status: 'unknown', detail: expect.stringMatching(/nonce/) });
  });

  it('stale, too old and future responses give unknown; the skew is configurable', async () => {
    const { cert } = await pki.leaf();
    const { der: response } = await answer(cert);
    const stale = await checkOcsp(response, cert, pki.caCert, { time: new Date(T0.getTime() + 2 * DAY) });
    expect(stale).toMatchObject({ status: 'unknown', detail: expect.stringMatching(/stale/) });
    const old = await checkOcsp(response, cert, pki.caCert, { time: AT, maxAge: 600 });
    expect(old).toMatchObject({ status: 'unknown', detail: expect.stringMatching(/maximum age/) });
    const early = new Date(T0.getTime() - 2 * 60_000);
    expect((await checkOcsp(response, cert, pki.caCert, { time: early })).status).toBe('good');
    const strictSkew = await checkOcsp(response, cert, pki.caCert, { time: early, clockSkewMs: 0 });
    expect(strictSkew.status).toBe('unknown');
  });

  it('a response of another CA, or for another certificate, gives unknown', async () => {
    const { cert } = await pki.leaf();
    const other = await pki.leaf();
    const rootAnswer = await pki.root.createOcspResponse({ request: [{ certificate: cert.raw }], time: T0 });
    const r = await checkOcsp(rootAnswer, cert, pki.caCert, { time: AT });
    expect(r.status).toBe('unknown');
    expect(r.detail).toMatch(/responder|SingleResponse/);
    const forOther = (await answer(other.cert)).der;
    expect(await checkOcsp(forOther, cert, pki.caCert, { time: AT })).toMatchObject({
      status: 'unknown',
      detail: expect.stringMatching(/no SingleResponse/),
    });
  });

  it('a bad signature gives unknown', async () => {
    const { cert } = await pki.leaf();
    const response = (await answer(cert)).der.slice();
    response[response.length - 3] = (response[response.length - 3] as number) ^ 0x40;
    expect(await checkOcsp(response, cert, pki.caCert, { time: AT })).toMatchObject({
      status: 'unknown',
      detail: expect.stringMatching(/signature|malformed/),
    });
  });

  it('a delegated responder needs id-kp-OCSPSigning and the CA as issuer', async () => {
    const { cert } = await pki.leaf();
    const good = await pki.ca.issue({
      now: T0,
      subject: { commonName: 'OCSP responder' },
      extKeyUsage: [OCSP_SIGNING],
    });
    const response = (await answer(cert, { responder: good })).der;
    expect((await checkOcsp(response, cert, pki.caCert, { time: AT })).status).toBe('good');
    const asked: string[] = [];
    const validated = await checkOcsp(response, cert, pki.caCert, {
      time: AT,
      validateSigner: async (c, o) => {
        asked.push(o.purpose);
        return accept(c);
      },
    });
    expect(validated.status).toBe('good');
    expect(asked).toEqual(['ocsp-signing']);
    const refused = await checkOcsp(response, cert, pki.caCert, {
      time: AT,
      validateSigner: async () => {
        throw new Error('responder revoked');
      },
    });
    expect(refused).toMatchObject({ status: 'unknown', detail: expect.stringMatching(/responder revoked/) });

    const noEku = await pki.ca.issue({ now: T0, subject: { commonName: 'Not a responder' } });
    const bad = (await answer(cert, { responder: noEku })).der;
    expect(await checkOcsp(bad, cert, pki.caCert, { time: AT })).toMatchObject({
      status: 'unknown',
      detail: expect.stringMatching(/OCSPSigning/),
    });

    const foreign = await pki.root.issue({
      now: T0,
      subject: { commonName: 'Root responder' },
      extKeyUsage: [OCSP_SIGNING],
    });
    const wrongIssuer = (await answer(cert, { responder: foreign })).der;
    expect(await checkOcsp(wrongIssuer, cert, pki.caCert, { time: AT })).toMatchObject({
      status: 'unknown',
      detail: expect.stringMatching(/not issued by the CA/),
    });

    const missing = (await answer(cert, { responder: good, includeCertificate: false })).der;
    expect((await checkOcsp(missing, cert, pki.caCert, { time: AT })).status).toBe('unknown');
  });

  it('id-pkix-ocsp-nocheck is noted', async () => {
    const { cert } = await pki.leaf();
    const responder = await pki.ca.issue({
      now: T0,
      subject: { commonName: 'No-check responder' },
      extKeyUsage: [OCSP_SIGNING],
      ocspNoCheck: true,
    });
    const r = await checkOcsp((await answer(cert, { responder })).der, cert, pki.caCert, { time: AT });
    expect(r).toMatchObject({ status: 'good', detail: expect.stringMatching(/nocheck/) });
  });

  it('an unknown critical response extension gives unknown; a non-critical one is ignored', async () => {
    const { cert } = await pki.leaf();
    const base = (await answer(cert, { nonce: false })).der;
    const critical = await ocspWithExtensions(base, pki.ca.signer, [extension('1.2.3.4', der.null(), true)]);
    expect(await checkOcsp(critical, cert, pki.caCert, { time: AT })).toMatchObject({
      status: 'unknown',
      detail: expect.stringMatching(/critical response extension 1\.2\.3\.4/),
    });
    const plain = await ocspWithExtensions(base, pki.ca.signer, [extension('1.2.3.4', der.null())]);
    expect((await checkOcsp(plain, cert, pki.caCert, { time: AT })).status).toBe('good');
  });

  it('damaged copies of a response never give good', async () => {
    const { cert } = await pki.leaf();
    const response = (await answer(cert, { nonce: false })).der;
    await fc.assert(
      fc.asyncProperty(damagedCopies(response), async (bad) => {
        const r = await checkOcsp(bad, cert, pki.caCert, { time: AT });
        expect(r.status).not.toBe('good');
      }),
      { numRuns: 40 },
    );
  });
});

describe('checkOcsp with a parsed certificate of its own', () => {
  it('keeps working with certificates parsed again from DER', async () => {
    const pki = await makePki({ type: 'gost2012-256' });
    const { cert } = await pki.leaf();
    const response = await pki.ca.createOcspResponse({ request: [{ certificate: cert.raw }], time: T0 });
    const r = await checkOcsp(response, parseCertificate(cert.raw), parseCertificate(pki.caCert.raw), { time: AT });
    expect(r.status).toBe('good');
  });
});
