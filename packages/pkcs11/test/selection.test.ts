// Certificate selection for key pickers: each criterion, the order, expiry warnings and a property
// over random criteria; test-CA certificates with fixed dates; Node and Chromium.
import { DecodeError } from '@eds/core/errors';
import { createTestCa, type IssueOptions, type TestCa } from '@eds/core/testing';
import { parseCertificate } from '@eds/core/x509';
import { keyAlgorithmOfCertificate } from '@eds/pkcs11/schemes';
import {
  compareSelected,
  type SelectedCertificate,
  type SelectionCriteria,
  selectCertificates,
} from '@eds/pkcs11/selection';
import type { CertificateEntry } from '@eds/pkcs11/types';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';

const DAY = 86_400_000;
const NOW = new Date('2026-06-01T00:00:00Z');
const at = (days: number) => new Date(NOW.getTime() + days * DAY);
const EKU_CLIENT = '1.3.6.1.5.5.7.3.2';
const EKU_EMAIL = '1.3.6.1.5.5.7.3.4';

let rootA: TestCa;
let rootB: TestCa;
const E: Record<string, CertificateEntry> = {};
let all: CertificateEntry[];

async function entry(
  name: string,
  ca: TestCa,
  from: number,
  to: number,
  extra: IssueOptions & { storage?: string; hasPrivateKey?: boolean } = {},
): Promise<void> {
  const { storage = 'PKCS12', hasPrivateKey = true, ...issue } = extra;
  const { certificate } = await ca.issue({
    keySpec: { type: 'ecdsa', curve: 'P-256' },
    subject: { commonName: name },
    ...issue,
    validity: { notBefore: at(from), notAfter: at(to) },
  });
  E[name] = {
    key: { provider: 'software', tokenId: 't', keyId: name },
    certificate,
    keyAlgorithm: keyAlgorithmOfCertificate(certificate),
    hasPrivateKey,
    storage,
  };
}

beforeAll(async () => {
  const old = at(-3650);
  rootA = await createTestCa({ subject: { commonName: 'Test Root A' }, profile: 'plain', now: old });
  rootB = await createTestCa({
    subject: { commonName: 'Удостоверяющий центр Б', organization: 'УЦ Б' },
    keySpec: { type: 'gost2012-256' },
    profile: 'russian-qualified',
    now: old,
  });
  const gost = { keySpec: { type: 'gost2012-256' } } as const;
  await entry('plain', rootA, -100, 300, { keyUsage: ['digitalSignature'], extKeyUsage: ['clientAuth'] });
  await entry('qualified', rootB, -10, 200, {
    ...gost,
    subject: { surname: 'Иванов', givenName: 'Иван Иванович', commonName: 'Иванов Иван Иванович' },
  });
  await entry('expiring', rootA, -300, 10, { storage: 'pkcs11' });
  await entry('expired', rootA, -400, -1);
  await entry('not-yet', rootA, 1, 400);
  await entry('key-expired', rootB, -500, 300, gost);
  await entry('key-encipherment', rootA, -5, 250, { keyUsage: ['keyEncipherment'], storage: 'pkcs11' });
  await entry('no-private-key', rootA, -5, 600, { hasPrivateKey: false });
  all = Object.values(E);
}, 60_000);

const names = (r: SelectedCertificate[]) => r.map((s) => s.entry.key.keyId);
const select = (c: SelectionCriteria = {}) => names(selectCertificates(all, { at: NOW, ...c }));

describe('selectCertificates', () => {
  it('by default: valid at the time, with a private key; qualified first, then latest notAfter', () => {
    const copy = [...all];
    const r = selectCertificates(all, { at: NOW });
    expect(names(r)).toEqual(['qualified', 'plain', 'key-encipherment', 'expiring']);
    expect(all).toEqual(copy);
    expect(r.every((s) => s.status === 'valid')).toBe(true);
    expect(r.map((s) => s.qualified)).toEqual([true, false, false, false]);
    expect(r[0]?.entry).toBe(E.qualified);
  });

  it('a privateKeyUsagePeriod that has not begun: key-not-yet-valid with KEY_NOT_YET_VALID, left out by default (F-F)', async () => {
    const { certificate } = await rootB.issue({
      keySpec: { type: 'gost2012-256' },
      subject: { commonName: 'key period starts later' },
      validity: { notBefore: at(-10), notAfter: at(700) },
      privateKeyUsagePeriod: { notBefore: at(30), notAfter: at(400) },
    });
    const late: CertificateEntry = { ...(E.qualified as CertificateEntry), certificate };
    expect(parseCertificate(certificate).privateKeyUsagePeriod?.notBefore).toEqual(at(30));
    expect(selectCertificates([late], { at: NOW })).toEqual([]);
    const [any] = selectCertificates([late, E.plain as CertificateEntry], { at: NOW, validity: 'any' }).slice(-1);
    expect(any?.entry).toBe(late); // sorted after the valid one
    expect(any?.status).toBe('key-not-yet-valid');
    expect(any?.warnings).toEqual([{ code: 'KEY_NOT_YET_VALID', keyNotBefore: at(30) }]);
    // from the period's first second on, it is valid
    expect(selectCertificates([late], { at: at(30) }).map((x) => x.status)).toEqual(['valid']);
  });

  it('defaults `at` to the current time', async () => {
    const now = Date.now();
    const issue = async (from: number, to: number) => ({
      ...(E.plain as CertificateEntry),
      certificate: (
        await rootA.issue({ validity: { notBefore: new Date(now + from * DAY), notAfter: new Date(now + to * DAY) } })
      ).certificate,
    });
    const current = await issue(-1, 100);
    const gone = await issue(-3, -2);
    const future = await issue(2, 3);
    expect(selectCertificates([gone, current, future]).map((s) => s.entry)).toEqual([current]);
  });

  it('validity is inclusive of notBefore and notAfter (RFC 5280 §4.1.2.5)', () => {
    const c = parseCertificate(E.expiring?.certificate as Uint8Array);
    expect(select({ at: c.notAfter })).toContain('expiring');
    expect(select({ at: new Date(c.notAfter.getTime() + 1000) })).not.toContain('expiring');
    expect(select({ at: c.notBefore })).toContain('expiring');
  });

  it("validity 'any' keeps all with their status and warnings, valid ones first", () => {
    const r = selectCertificates(all, { at: NOW, validity: 'any', includeWithoutPrivateKey: true });
    expect(names(r)).toEqual([
      'qualified',
      'no-private-key',
      'plain',
      'key-encipherment',
      'expiring',
      'key-expired',
      'not-yet',
      'expired',
    ]);
    const by = Object.fromEntries(r.map((s) => [s.entry.key.keyId, s]));
    expect(by.expired?.status).toBe('expired');
    expect(by.expired?.warnings).toEqual([{ code: 'EXPIRED', notAfter: at(-1) }]);
    expect(by['not-yet']?.status).toBe('not-yet-valid');
    expect(by['not-yet']?.warnings).toEqual([{ code: 'NOT_YET_VALID', notBefore: at(1) }]);
    // russian-qualified test certificates carry a privateKeyUsagePeriod of 450 days from notBefore
    expect(by['key-expired']?.status).toBe('key-expired');
    expect(by['key-expired']?.warnings).toEqual([{ code: 'KEY_EXPIRED', keyNotAfter: at(-50) }]);
  });

  it('warns EXPIRES_SOON with the whole days left, under expiryWarningDays (default 30)', () => {
    const r = selectCertificates(all, { at: NOW });
    const warned = r.filter((s) => s.warnings.length > 0);
    expect(warned.map((s) => [s.entry.key.keyId, s.warnings])).toEqual([
      ['expiring', [{ code: 'EXPIRES_SOON', daysLeft: 10, notAfter: at(10) }]],
    ]);
    expect(selectCertificates(all, { at: NOW, expiryWarningDays: 10 }).flatMap((s) => s.warnings)).toEqual([]);
    expect(selectCertificates(all, { at: NOW, expiryWarningDays: 11 }).flatMap((s) => s.warnings)).toHaveLength(1);
    expect(selectCertificates(all, { at: NOW, expiryWarningDays: 0 }).flatMap((s) => s.warnings)).toEqual([]);
    const many = selectCertificates(all, { at: NOW, expiryWarningDays: 400 });
    expect(many.map((s) => s.warnings[0]?.code)).toEqual([
      'EXPIRES_SOON',
      'EXPIRES_SOON',
      'EXPIRES_SOON',
      'EXPIRES_SOON',
    ]);
    expect(many.find((s) => s.entry === E.plain)?.warnings[0]).toMatchObject({ daysLeft: 300 });
  });

  it('qualified or not (Certificate.isQualified)', () => {
    expect(select({ qualified: true })).toEqual(['qualified']);
    expect(select({ qualified: false })).toEqual(['plain', 'key-encipherment', 'expiring']);
    expect(select({ qualified: true, validity: 'any' })).toEqual(['qualified', 'key-expired']);
  });

  it('key usage: every bit asked must be set; a certificate without keyUsage allows all', () => {
    expect(select({ keyUsage: ['digitalSignature'] })).toEqual(['qualified', 'plain', 'expiring']);
    expect(select({ keyUsage: ['digitalSignature', 'nonRepudiation'] })).toEqual(['qualified', 'expiring']);
  });

  it('extended key usage: every OID asked must be present; absent EKU allows any', () => {
    expect(select({ extKeyUsage: [EKU_CLIENT] })).toEqual(['qualified', 'plain', 'key-encipherment', 'expiring']);
    expect(select({ extKeyUsage: [EKU_CLIENT, EKU_EMAIL] })).toEqual(['qualified', 'key-encipherment', 'expiring']);
  });

  it('issuer: case-insensitive text, or the DER Name', () => {
    expect(select({ issuer: 'test root a' })).toEqual(['plain', 'key-encipherment', 'expiring']);
    expect(select({ issuer: 'ЦЕНТР Б' })).toEqual(['qualified']);
    expect(select({ issuer: rootB.subject, validity: 'any' })).toEqual(['qualified', 'key-expired']);
    expect(select({ issuer: rootA.subject })).toEqual(['plain', 'key-encipherment', 'expiring']);
    expect(select({ issuer: 'nobody' })).toEqual([]);
  });

  it('algorithm kinds and storage', () => {
    expect(select({ algorithms: ['GOST2012'] })).toEqual(['qualified']);
    expect(select({ algorithms: ['EC', 'RSA'] })).toEqual(['plain', 'key-encipherment', 'expiring']);
    expect(select({ storage: ['pkcs11'] })).toEqual(['key-encipherment', 'expiring']);
    expect(select({ storage: ['pkcs11'], algorithms: ['GOST2012'] })).toEqual([]);
  });

  it('describes each certificate for a picker from the @eds/core view', () => {
    const [q] = selectCertificates([E.qualified as CertificateEntry], { at: NOW });
    const cert = parseCertificate(E.qualified?.certificate as Uint8Array);
    expect(q?.describe).toMatchObject({
      owner: 'Иванов Иван Иванович',
      subjectCommonName: 'Иванов Иван Иванович',
      issuerCommonName: 'Удостоверяющий центр Б',
      notAfter: at(200),
      notBefore: at(-10),
      serialNumber: cert.serialHex,
      thumbprint: cert.fingerprintHex('sha1'),
    });
    expect(q?.describe.snils).toMatch(/^\d{11}$/);
    expect(q?.describe.inn).toMatch(/^\d{12}$/);
    const [p] = selectCertificates([E.plain as CertificateEntry], { at: NOW });
    expect(p?.describe).toMatchObject({
      subjectCommonName: 'plain',
      issuerCommonName: 'Test Root A',
      snils: undefined,
    });
  });

  it('a certificate that is not DER is a DecodeError', () => {
    const bad = { ...(E.plain as CertificateEntry), certificate: Uint8Array.of(0x30, 0x03, 1, 2, 3) };
    expect(() => selectCertificates([bad], { at: NOW })).toThrow(DecodeError);
  });

  it('property: the result is a subset in the documented order, stable for ties', () => {
    const criteria = fc.record(
      {
        at: fc.integer({ min: -600, max: 700 }).map(at),
        validity: fc.constantFrom('valid' as const, 'any' as const),
        qualified: fc.boolean(),
        keyUsage: fc.subarray(['digitalSignature', 'nonRepudiation'] as const),
        extKeyUsage: fc.subarray([EKU_CLIENT, EKU_EMAIL]),
        algorithms: fc.subarray(['EC', 'GOST2012', 'RSA', 'EdDSA'] as const),
        storage: fc.subarray(['PKCS12', 'pkcs11']),
        includeWithoutPrivateKey: fc.boolean(),
        expiryWarningDays: fc.integer({ min: 0, max: 500 }),
      },
      { requiredKeys: [] },
    );
    const input = fc.array(fc.constantFrom(...all), { maxLength: 12 });
    fc.assert(
      fc.property(input, criteria, (picked, c) => {
        // unique key ids, so that each result names its input position
        const entries = picked.map((e, i) => ({ ...e, key: { ...e.key, keyId: `${e.key.keyId}#${i}` } }));
        const r = selectCertificates(entries, c);
        // subset, with multiplicity, in input order among equals
        const remaining = [...entries];
        for (const s of r) {
          const i = remaining.indexOf(s.entry);
          expect(i).toBeGreaterThanOrEqual(0);
          remaining.splice(i, 1);
        }
        for (let i = 1; i < r.length; i++) {
          const [a, b] = [r[i - 1] as SelectedCertificate, r[i] as SelectedCertificate];
          const order = compareSelected(a, b);
          expect(order).toBeLessThanOrEqual(0);
          if (order === 0) expect(entries.indexOf(a.entry)).toBeLessThanOrEqual(entries.indexOf(b.entry));
          // the documented rule, independently of compareSelected
          expect(a.status === 'valid' || b.status !== 'valid').toBe(true);
          if ((a.status === 'valid') === (b.status === 'valid')) {
            expect(a.qualified || !b.qualified).toBe(true);
            if (a.qualified === b.qualified) expect(+a.describe.notAfter).toBeGreaterThanOrEqual(+b.describe.notAfter);
          }
        }
        for (const s of r) {
          if ((c.validity ?? 'valid') === 'valid') expect(s.status).toBe('valid');
          if (c.qualified !== undefined) expect(s.qualified).toBe(c.qualified);
          if (c.algorithms) expect(c.algorithms).toContain(s.entry.keyAlgorithm.kind);
          if (c.storage) expect(c.storage).toContain(s.entry.storage);
          if (!c.includeWithoutPrivateKey) expect(s.entry.hasPrivateKey).toBe(true);
          const soon = s.warnings.find((w) => w.code === 'EXPIRES_SOON');
          if (soon) expect(soon.daysLeft).toBeLessThan(c.expiryWarningDays ?? 30);
        }
        // with nothing asked and validity 'any', everything is kept
        expect(selectCertificates(entries, { at: c.at, validity: 'any', includeWithoutPrivateKey: true })).toHaveLength(
          entries.length,
        );
      }),
      { numRuns: 150 },
    );
  });
});
