// checkCrl / checkCrls (RFC 5280 §6.3) with test-CA CRLs in GOST and ECDSA: statuses, scope, signer, freshness, deltas.
import { der } from '@eds/core/asn1';
import { parseCrl } from '@eds/core/crl';
import { createTestCa } from '@eds/core/testing';
import { parseCertificate } from '@eds/core/x509';
import { damagedCopies } from '@eds/test-support/inputs';
import { checkCrl, checkCrls } from '@eds/verify/crl-check';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  crlWithBadSignature,
  crlWithExtensions,
  DAY,
  extension,
  HOUR,
  KEY_SPECS,
  makePki,
  type Pki,
  T0,
} from './_revocation-pki';

const OID_IDP = '2.5.29.28';
const AT = new Date(T0.getTime() + HOUR);

/** IssuingDistributionPoint with the given [n] IMPLICIT fields. */
function idp(...fields: Uint8Array[]): Uint8Array {
  return der.seq(...fields);
}
const ONLY_CA = der.tlv(0x82, Uint8Array.of(0xff));
/** onlySomeReasons [3] ReasonFlags. */
const reasonsField = (bits: number[]) => der.implicit(3, der.flags(bits));

describe.each(KEY_SPECS)('checkCrl with %s', (_label, keySpec) => {
  let pki: Pki;
  beforeAll(async () => {
    pki = await makePki(keySpec);
  });

  it('good: a fresh CRL that does not list the certificate', async () => {
    const { cert } = await pki.leaf();
    const crl = await pki.ca.createCrl({ thisUpdate: T0 });
    const r = await checkCrl(crl, cert, pki.caCert, { time: AT });
    expect(r).toMatchObject({ status: 'good', source: 'crl', thisUpdate: T0, evidence: crl });
    expect(r.nextUpdate?.getTime()).toBe(T0.getTime() + 7 * DAY);
  });

  it('revoked with its reason and time', async () => {
    const { cert, serial } = await pki.leaf();
    const when = new Date(T0.getTime() - 2 * HOUR);
    pki.ca.revoke(serial, { reason: 'keyCompromise', time: when });
    const crl = await pki.ca.createCrl({ thisUpdate: T0 });
    const r = await checkCrl(crl, cert, pki.caCert, { time: AT });
    expect(r).toMatchObject({ status: 'revoked', reason: 'keyCompromise', revocationTime: when });
  });

  it('certificateHold gives suspended; removeFromCRL in a delta CRL lifts it', async () => {
    const { cert, serial } = await pki.leaf();
    pki.ca.revoke(serial, { reason: 'certificateHold', time: new Date(T0.getTime() - HOUR) });
    const base = await pki.ca.createCrl({ thisUpdate: T0 });
    const baseNumber = numberOf(base);
    expect(await checkCrl(base, cert, pki.caCert, { time: AT })).toMatchObject({
      status: 'suspended',
      reason: 'certificateHold',
    });
    pki.ca.revoke(serial, { reason: 'removeFromCRL', time: new Date(T0.getTime() + 10 * 60_000) });
    const later = new Date(T0.getTime() + 20 * 60_000);
    const delta = await pki.ca.createCrl({ thisUpdate: later, delta: baseNumber });
    const lifted = await checkCrl(base, cert, pki.caCert, { time: AT, deltaCrls: [delta] });
    expect(lifted).toMatchObject({ status: 'good', thisUpdate: later, evidence: base, deltaEvidence: delta });
    // A delta CRL alone is not a complete CRL.
    const alone = await checkCrl(delta, cert, pki.caCert, { time: AT });
    expect(alone.status).toBe('unknown');
    expect(alone.detail).toMatch(/delta CRL/);
  });

  it('a delta CRL that revokes after the base', async () => {
    const { cert, serial } = await pki.leaf();
    const base = await pki.ca.createCrl({ thisUpdate: T0 });
    pki.ca.revoke(serial, { reason: 'superseded', time: new Date(T0.getTime() + 5 * 60_000) });
    const delta = await pki.ca.createCrl({ thisUpdate: new Date(T0.getTime() + 10 * 60_000), delta: numberOf(base) });
    expect((await checkCrl(base, cert, pki.caCert, { time: AT })).status).toBe('good');
    expect(await checkCrls([base, delta], cert, pki.caCert, { time: AT })).toMatchObject({
      status: 'revoked',
      reason: 'superseded',
    });
  });

  it('of several complete CRLs the newest answers, and revoked always wins', async () => {
    const { cert, serial } = await pki.leaf();
    pki.ca.revoke(serial, { reason: 'certificateHold', time: new Date(T0.getTime() - 2 * HOUR) });
    const held = await pki.ca.createCrl({ thisUpdate: new Date(T0.getTime() - HOUR) });
    pki.ca.revoke(serial, { reason: 'removeFromCRL', time: new Date(T0.getTime() - 30 * 60_000) });
    // The CA's next full CRL no longer holds it (the test CA writes the removeFromCRL record, which a
    // complete CRL treats as not listed).
    const lifted = await pki.ca.createCrl({ thisUpdate: T0 });
    expect((await checkCrls([held], cert, pki.caCert, { time: AT })).status).toBe('suspended');
    expect((await checkCrls([held, lifted], cert, pki.caCert, { time: AT })).status).toBe('good');
    expect((await checkCrls([lifted, held], cert, pki.caCert, { time: AT })).status).toBe('good');
    const other = await pki.leaf();
    pki.ca.revoke(other.serial, { reason: 'keyCompromise', time: new Date(T0.getTime() - 2 * HOUR) });
    const old = await pki.ca.createCrl({ thisUpdate: new Date(T0.getTime() - HOUR) });
    expect(await checkCrls([lifted, old], other.cert, pki.caCert, { time: AT })).toMatchObject({
      status: 'revoked',
      reason: 'keyCompromise',
    });
  });

  it('stale, too old and not yet valid CRLs give unknown', async () => {
    const { cert } = await pki.leaf();
    const crl = await pki.ca.createCrl({ thisUpdate: T0 });
    const stale = await checkCrl(crl, cert, pki.caCert, { time: new Date(T0.getTime() + 8 * DAY) });
    expect(stale).toMatchObject({ status: 'unknown', detail: expect.stringMatching(/stale/) });
    const old = await checkCrl(crl, cert, pki.caCert, { time: new Date(T0.getTime() + 2 * DAY), maxAge: 86_400 });
    expect(old).toMatchObject({ status: 'unknown', detail: expect.stringMatching(/maximum age/) });
    const early = await checkCrl(crl, cert, pki.caCert, { time: new Date(T0.getTime() - HOUR) });
    expect(early).toMatchObject({ status: 'unknown', detail: expect.stringMatching(/thisUpdate/) });
  });

  it('a CRL of another issuer gives unknown', async () => {
    const { cert } = await pki.leaf();
    const rootCrl = await pki.root.createCrl({ thisUpdate: T0 });
    const r = await checkCrl(rootCrl, cert, pki.caCert, { time: AT });
    expect(r).toMatchObject({ status: 'unknown', detail: expect.stringMatching(/issuer/) });
  });

  it('a bad signature gives unknown', async () => {
    const { cert } = await pki.leaf();
    const crl = crlWithBadSignature(await pki.ca.createCrl({ thisUpdate: T0 }));
    const r = await checkCrl(crl, cert, pki.caCert, { time: AT });
    expect(r).toMatchObject({ status: 'unknown', detail: expect.stringMatching(/signature/) });
  });

  it('an unknown critical CRL extension gives unknown; a non-critical one is ignored', async () => {
    const { cert } = await pki.leaf();
    const crl = await pki.ca.createCrl({ thisUpdate: T0 });
    const critical = await crlWithExtensions(crl, pki.ca.signer, [extension('1.2.3.4', der.null(), true)]);
    expect(await checkCrl(critical, cert, pki.caCert, { time: AT })).toMatchObject({
      status: 'unknown',
      detail: expect.stringMatching(/critical CRL extension 1\.2\.3\.4/),
    });
    const plain = await crlWithExtensions(crl, pki.ca.signer, [extension('1.2.3.4', der.null())]);
    expect((await checkCrl(plain, cert, pki.caCert, { time: AT })).status).toBe('good');
  });

  it('scope: an onlyContainsCACerts CRL covers CA certificates, not leaves', async () => {
    const { cert } = await pki.leaf();
    const caCrl = await crlWithExtensions(await pki.ca.createCrl({ thisUpdate: T0 }), pki.ca.signer, [
      extension(OID_IDP, idp(ONLY_CA), true),
    ]);
    expect(await checkCrl(caCrl, cert, pki.caCert, { time: AT })).toMatchObject({
      status: 'unknown',
      detail: expect.stringMatching(/CA certificates only/),
    });
    const rootCrl = await crlWithExtensions(await pki.root.createCrl({ thisUpdate: T0 }), pki.root.signer, [
      extension(OID_IDP, idp(ONLY_CA), true),
    ]);
    expect((await checkCrl(rootCrl, pki.caCert, pki.rootCert, { time: AT })).status).toBe('good');
  });

  it('onlySomeReasons: each partition alone is not enough, together they answer', async () => {
    const { cert } = await pki.leaf();
    const base = await pki.ca.createCrl({ thisUpdate: T0 });
    const compromise = await crlWithExtensions(base, pki.ca.signer, [
      extension(OID_IDP, idp(reasonsField([1, 2])), true),
    ]);
    const others = await crlWithExtensions(base, pki.ca.signer, [
      extension(OID_IDP, idp(reasonsField([3, 4, 5, 6, 7, 8])), true),
    ]);
    const one = await checkCrl(compromise, cert, pki.caCert, { time: AT });
    expect(one).toMatchObject({ status: 'unknown', detail: expect.stringMatching(/only some revocation reasons/) });
    expect((await checkCrls([compromise], cert, pki.caCert, { time: AT })).status).toBe('unknown');
    expect((await checkCrls([compromise, others], cert, pki.caCert, { time: AT })).status).toBe('good');
  });

  it('a signer without cRLSign is refused', async () => {
    const noCrlSign = await pki.root.issueIntermediate({
      now: T0,
      subject: { commonName: 'No cRLSign CA' },
      extensions: [{ oid: '2.5.29.15', critical: true, value: der.flags([5]) }],
    });
    const leaf = parseCertificate((await noCrlSign.issue({ now: T0 })).certificate);
    const crl = await noCrlSign.createCrl({ thisUpdate: T0 });
    const r = await checkCrl(crl, leaf, parseCertificate(noCrlSign.certificate), { time: AT });
    expect(r).toMatchObject({ status: 'unknown', detail: expect.stringMatching(/cRLSign/) });
  });

  it('key rollover: another key of the same CA signs the CRL only when validateSigner accepts it', async () => {
    const { cert } = await pki.leaf();
    const rollover = await createTestCa({ keySpec, now: T0, subject: pki.caCert.subject.raw });
    const rolloverCert = parseCertificate(rollover.certificate);
    const crl = await rollover.createCrl({ thisUpdate: T0 });
    const none = await checkCrl(crl, cert, pki.caCert, { time: AT, signers: [rolloverCert] });
    expect(none.status).toBe('unknown');
    const asked: string[] = [];
    const validateSigner = async (c: typeof cert, o: { purpose: string }) => {
      asked.push(o.purpose);
      if (c !== rolloverCert) throw new Error('unexpected certificate');
      return { certificates: [c], anchor: { certificate: c }, time: AT, policies: [], revocation: [] };
    };
    const ok = await checkCrl(crl, cert, pki.caCert, { time: AT, signers: [rolloverCert], validateSigner });
    expect(ok.status).toBe('good');
    expect(asked).toEqual(['crl-signing']);
    const refused = await checkCrl(crl, cert, pki.caCert, {
      time: AT,
      signers: [rolloverCert],
      validateSigner: async () => {
        throw new Error('not trusted');
      },
    });
    expect(refused).toMatchObject({ status: 'unknown', detail: expect.stringMatching(/not trusted/) });
    // The same certificate as part of the validated path needs no further validation.
    const trusted = await checkCrl(crl, cert, pki.caCert, { time: AT, trustedSigners: [rolloverCert] });
    expect(trusted.status).toBe('good');
  });

  it('damaged copies of a CRL never give good', async () => {
    const { cert } = await pki.leaf();
    const crl = await pki.ca.createCrl({ thisUpdate: T0 });
    await fc.assert(
      fc.asyncProperty(damagedCopies(crl), async (bad) => {
        const r = await checkCrl(bad, cert, pki.caCert, { time: AT });
        expect(r.status).not.toBe('good');
        expect(r.detail).toBeTruthy();
      }),
      { numRuns: 40 },
    );
  });
});

describe('checkCrl on a large CRL', () => {
  it('finds the last of 20,000 entries in one pass', async () => {
    const pki = await makePki({ type: 'ecdsa', curve: 'P-256' });
    const { cert, serial } = await pki.leaf();
    for (let i = 1; i <= 20_000; i++) pki.ca.revoke(BigInt(i) * 7919n, { time: new Date(T0.getTime() - DAY) });
    pki.ca.revoke(serial, { reason: 'affiliationChanged', time: new Date(T0.getTime() - HOUR) });
    const crl = await pki.ca.createCrl({ thisUpdate: T0 });
    expect(crl.length).toBeGreaterThan(20_000 * 20);
    const r = await checkCrl(crl, cert, pki.caCert, { time: AT });
    expect(r).toMatchObject({ status: 'revoked', reason: 'affiliationChanged' });
    const other = await pki.leaf();
    expect((await checkCrl(crl, other.cert, pki.caCert, { time: AT })).status).toBe('good');
  });
});

function numberOf(crl: Uint8Array): bigint {
  const n = parseCrl(crl).crlNumber;
  if (n === undefined) throw new Error('no cRLNumber');
  return n;
}
