// The test-CA toolkit: chains in every key type, the Russian qualified profile, CRLs and OCSP responses,
// all read back with parseCertificate/parseCrl/parseOcspResponse and their signatures checked with verifySignature.
import { verifySignature } from '@eds/core/algorithms';
import { allAlgorithms } from '@eds/core/all-algorithms';
import { der } from '@eds/core/asn1';
import { parseCrl } from '@eds/core/crl';
import { sha256 } from '@eds/core/digests';
import { parsePublicKey } from '@eds/core/keys';
import { parseOcspResponse } from '@eds/core/ocsp';
import { createTestCa, type TestCa, testIdentifiers } from '@eds/core/testing';
import type { AlgorithmIdentifier } from '@eds/core/types';
import { type Certificate, parseCertificate } from '@eds/core/x509';
import { describe, expect, it } from 'vitest';
import { CHAIN_KEY_SPECS } from './_key-specs';

/** Verifies `signed.signature` over `signed.tbs` with the issuer's public key. */
async function signedBy(
  signed: { tbs: Uint8Array; signature: Uint8Array; signatureAlgorithm: AlgorithmIdentifier },
  issuer: Uint8Array,
): Promise<boolean> {
  const publicKey = parsePublicKey(parseCertificate(issuer).spki);
  return verifySignature(allAlgorithms, {
    algorithm: signed.signatureAlgorithm,
    publicKey,
    data: signed.tbs,
    signature: signed.signature,
  });
}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

describe('createTestCa: chains root -> intermediate -> leaf', () => {
  for (const [label, keySpec] of CHAIN_KEY_SPECS) {
    it(`${label}: certificates parse with the asked-for fields and their signatures verify`, async () => {
      const now = new Date('2025-03-01T12:00:00Z');
      const root = await createTestCa({ keySpec, now, subject: { commonName: `Root ${label}` } });
      const inter = await root.issueIntermediate({
        now,
        pathLen: 0,
        crlUrl: 'http://127.0.0.1/inter.crl',
        ocspUrl: 'http://127.0.0.1/ocsp',
        caIssuersUrl: 'http://127.0.0.1/inter.cer',
      });
      const leaf = await inter.issue({
        now,
        subject: { commonName: 'Leaf', email: 'leaf@example.org' },
        extKeyUsage: ['clientAuth'],
        subjectAltName: [{ email: 'leaf@example.org' }],
        validity: { notBefore: new Date('2025-03-01T00:00:00Z'), notAfter: new Date('2026-03-01T00:00:00Z') },
        serial: 0x1234567890n,
      });
      const r = parseCertificate(root.certificate);
      const i = parseCertificate(inter.certificate);
      const l = parseCertificate(leaf.certificate);

      expect(r.version).toBe(3);
      expect(r.isCA).toBe(true);
      expect(r.isSelfIssued).toBe(true);
      expect(r.subject.commonName).toBe(`Root ${label}`);
      expect(r.notAfter.getTime() - now.getTime()).toBeGreaterThan(9 * 365 * 86_400_000);
      expect(i.basicConstraints).toMatchObject({ ca: true, pathLength: 0 });
      expect([...(i.keyUsage ?? [])].sort()).toEqual(['cRLSign', 'digitalSignature', 'keyCertSign']);
      expect(i.issuer.raw).toEqual(r.subject.raw);
      expect(i.authorityKeyIdentifier?.keyIdentifier).toEqual(r.subjectKeyIdentifier);
      expect(l.issuer.raw).toEqual(i.subject.raw);
      expect(l.authorityKeyIdentifier?.keyIdentifier).toEqual(i.subjectKeyIdentifier);
      expect(l.subjectKeyIdentifier?.length).toBe(20);
      expect(l.serialNumber).toBe(0x1234567890n);
      expect(leaf.serial).toBe(0x1234567890n);
      expect(l.notBefore.toISOString()).toBe('2025-03-01T00:00:00.000Z');
      expect(l.notAfter.toISOString()).toBe('2026-03-01T00:00:00.000Z');
      expect(l.isCA).toBe(false);
      expect(l.basicConstraints?.ca ?? false).toBe(false);
      expect([...(l.keyUsage ?? [])].sort()).toEqual(['digitalSignature', 'nonRepudiation']);
      expect(l.extKeyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
      expect(l.subjectAltName).toEqual([{ type: 'rfc822Name', value: 'leaf@example.org' }]);
      expect(JSON.stringify(l.crlDistributionPoints)).toContain('http://127.0.0.1/inter.crl');
      expect(JSON.stringify(l.authorityInfoAccess)).toContain('http://127.0.0.1/ocsp');
      expect(JSON.stringify(l.authorityInfoAccess)).toContain('http://127.0.0.1/inter.cer');
      expect(parsePublicKey(l.spki).type).toBe(leaf.key.type);
      expect(inter.chain).toEqual([inter.certificate, root.certificate]);

      expect(await signedBy(r, root.certificate)).toBe(true);
      expect(await signedBy(i, root.certificate)).toBe(true);
      expect(await signedBy(l, inter.certificate)).toBe(true);
      expect(await signedBy(l, root.certificate)).toBe(false);

      // The leaf's signer signs with the leaf key.
      const data = new TextEncoder().encode('signed by the leaf');
      const sig = await leaf.signer.sign(data);
      expect(leaf.signer.certificate).toEqual(leaf.certificate);
      expect(
        await verifySignature(allAlgorithms, {
          algorithm: leaf.signer.algorithm.identifier(),
          publicKey: parsePublicKey(l.spki),
          data,
          signature: sig,
        }),
      ).toBe(true);
    });
  }

  it('gives random positive 16-byte serials and caps default validity at the issuer', async () => {
    const root = await createTestCa({ validity: { notAfter: new Date(Date.now() + 30 * 86_400_000) } });
    const a = await root.issue();
    const b = await root.issue();
    for (const c of [a, b]) {
      const bytes = c.serial.toString(16).padStart(32, '0');
      expect(bytes.length).toBe(32);
      expect(c.serial > 0n).toBe(true);
    }
    expect(a.serial).not.toBe(b.serial);
    expect(parseCertificate(a.certificate).notAfter.getTime()).toBeLessThanOrEqual(
      parseCertificate(root.certificate).notAfter.getTime(),
    );
  });

  it('adds raw extensions, replacing a generated one with the same OID', async () => {
    const root = await createTestCa();
    const leaf = await root.issue({
      extensions: [
        { oid: '2.5.29.15', critical: true, value: der.flags([0]) },
        { oid: '1.2.3.4.5', value: der.utf8('custom') },
      ],
    });
    const c = parseCertificate(leaf.certificate);
    expect([...(c.keyUsage ?? [])]).toEqual(['digitalSignature']);
    expect(c.extensions.filter((e) => e.oid === '2.5.29.15').length).toBe(1);
    expect(c.extensions.find((e) => e.oid === '1.2.3.4.5')?.value).toEqual(der.utf8('custom'));
  });
});

/** Check digits of the Russian identifiers, written independently of the toolkit from the FNS/PFR rules. */
function validInn(s: string): boolean {
  const d = [...s].map(Number);
  const c = (w: number[]) => (w.reduce((a, x, k) => a + x * (d[k] as number), 0) % 11) % 10;
  if (s.length === 10) return c([2, 4, 10, 3, 5, 9, 4, 6, 8]) === d[9];
  return c([7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) === d[10] && c([3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) === d[11];
}
function validOgrn(s: string): boolean {
  const body = BigInt(s.slice(0, -1));
  const m = s.length === 13 ? 11n : 13n;
  return (body % m) % 10n === BigInt(s.slice(-1));
}
function validSnils(s: string): boolean {
  const d = [...s.slice(0, 9)].map(Number);
  const sum = d.reduce((a, x, k) => a + x * (9 - k), 0);
  const check = sum < 100 ? sum : sum === 100 || sum === 101 ? 0 : sum % 101 === 100 ? 0 : sum % 101;
  return check === Number(s.slice(9));
}

describe('testIdentifiers', () => {
  it('the checkers accept published examples and reject altered ones', () => {
    expect(validInn('7707083893')).toBe(true); // Sberbank, published
    expect(validInn('500100732259')).toBe(true);
    expect(validInn('500100732258')).toBe(false);
    expect(validOgrn('1027700132195')).toBe(true); // Sberbank, published
    expect(validOgrn('1027700132196')).toBe(false);
    expect(validSnils('11223344595')).toBe(true); // the usual PFR example
    expect(validSnils('11223344594')).toBe(false);
  });

  it('makes identifiers with valid check digits', () => {
    for (let n = 0; n < 50; n++) {
      const ids = testIdentifiers();
      expect(ids.inn).toMatch(/^\d{12}$/);
      expect(ids.innle).toMatch(/^\d{10}$/);
      expect(ids.ogrn).toMatch(/^\d{13}$/);
      expect(ids.ogrnip).toMatch(/^\d{15}$/);
      expect(ids.snils).toMatch(/^\d{11}$/);
      expect(validInn(ids.inn) && validInn(ids.innle)).toBe(true);
      expect(validOgrn(ids.ogrn) && validOgrn(ids.ogrnip)).toBe(true);
      expect(validSnils(ids.snils)).toBe(true);
    }
  });
});

describe('russian-qualified profile', () => {
  it('writes INN/SNILS/OGRN, the sign-tool extensions and the KC1 policy', async () => {
    const root = await createTestCa({ profile: 'russian-qualified', keySpec: { type: 'gost2012-512' } });
    const leaf = await root.issue({
      subject: {
        commonName: 'Петров Пётр Петрович',
        surname: 'Петров',
        givenName: 'Пётр Петрович',
        snils: '11223344595',
      },
    });
    const r = parseCertificate(root.certificate);
    const l = parseCertificate(leaf.certificate);
    expect(r.subject.country).toBe('RU');
    expect(r.subject.ogrn).toMatch(/^\d{13}$/);
    expect(r.subject.innle).toMatch(/^\d{10}$/);
    expect(l.subject.country).toBe('RU');
    expect(l.subject.snils).toBe('11223344595');
    expect(l.subject.inn).toMatch(/^\d{12}$/);
    expect(leaf.key.type).toBe('gost2012-512');
    expect(l.certificatePolicies?.map((p) => p.oid)).toContain('1.2.643.100.113.1');
    expect(l.qualifiedClasses).toContain('KC1');
    expect(l.subjectSignTool).toMatch(/не сертифицировано/);
    expect(l.issuerSignTool?.signTool).toBeTruthy();
    expect(l.issuerSignTool?.cATool).toBeTruthy();
    expect(l.privateKeyUsagePeriod?.notBefore).toEqual(l.notBefore);
    expect(l.extKeyUsage).toEqual(['1.3.6.1.5.5.7.3.2', '1.3.6.1.5.5.7.3.4']);
    expect([...(l.keyUsage ?? [])].sort()).toEqual([
      'dataEncipherment',
      'digitalSignature',
      'keyEncipherment',
      'nonRepudiation',
    ]);
    expect(await signedBy(l, root.certificate)).toBe(true);
  });

  it('adds OGRN and INNLE for an organisation subject and keeps a list subject as given', async () => {
    const root = await createTestCa({ profile: 'russian-qualified' });
    const org = await root.issue({ subject: { organization: 'ООО «Ромашка»', commonName: 'Сидоров С. С.' } });
    const o = parseCertificate(org.certificate);
    expect(o.subject.ogrn).toMatch(/^\d{13}$/);
    expect(o.subject.innle).toMatch(/^\d{10}$/);
    const listed = await root.issue({ subject: [['commonName', 'only']] });
    expect(parseCertificate(listed.certificate).subject.attributes.length).toBe(1);
  });
});

describe('CRLs', () => {
  it('lists revocations with reasons, numbers them, and verifies with the CA key; delta CRLs', async () => {
    const ca = await createTestCa({ keySpec: { type: 'gost2012-256' } });
    const a = await ca.issue();
    const b = await ca.issue();
    const c = await ca.issue();
    const t0 = new Date('2025-01-01T00:00:00Z');
    ca.revoke(a.serial, { reason: 'keyCompromise', time: t0 });
    ca.revoke(b.certificate, { time: new Date('2025-01-02T00:00:00Z') });
    const crl1 = parseCrl(await ca.createCrl({ thisUpdate: new Date('2025-01-03T00:00:00Z') }));
    expect(crl1.version).toBe(2);
    expect(crl1.crlNumber).toBe(1n);
    expect(crl1.issuer.raw).toEqual(parseCertificate(ca.certificate).subject.raw);
    expect(crl1.nextUpdate?.toISOString()).toBe('2025-01-10T00:00:00.000Z');
    expect(crl1.authorityKeyIdentifier?.keyIdentifier).toEqual(parseCertificate(ca.certificate).subjectKeyIdentifier);
    const entries = [...crl1.entries()];
    expect(entries.map((e) => e.serialNumber)).toEqual([a.serial, b.serial]);
    expect(entries[0]?.reasonCode).toBe('keyCompromise');
    expect(entries[0]?.revocationDate.toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(entries[1]?.reasonCode).toBeUndefined();
    expect(await signedBy(crl1, ca.certificate)).toBe(true);

    ca.revoke(c.serial, { reason: 'certificateHold', time: new Date('2025-01-04T00:00:00Z') });
    const delta = parseCrl(await ca.createCrl({ thisUpdate: new Date('2025-01-05T00:00:00Z'), delta: 1 }));
    expect(delta.deltaCrlIndicator).toBe(1n);
    expect(delta.crlNumber).toBe(2n);
    expect([...delta.entries()].map((e) => [e.serialNumber, e.reasonCode])).toEqual([[c.serial, 'certificateHold']]);
    const full = parseCrl(await ca.createCrl({ nextUpdate: null }));
    expect(full.crlNumber).toBe(3n);
    expect(full.nextUpdate).toBeUndefined();
    expect(full.revokedCount).toBe(3);
    expect(await signedBy(full, ca.certificate)).toBe(true);
  });

  it('makes an empty CRL without revokedCertificates', async () => {
    const ca = await createTestCa({ keySpec: { type: 'ed25519' } });
    const crl = parseCrl(await ca.createCrl({ number: 42 }));
    expect(crl.revokedCount).toBe(0);
    expect(crl.crlNumber).toBe(42n);
    expect(await signedBy(crl, ca.certificate)).toBe(true);
  });
});

/** A minimal OCSPRequest (RFC 6960 §4.1.1) built here, with a nonce, to feed the responder. */
function ocspRequest(ca: TestCa, serials: bigint[], nonce: Uint8Array): Uint8Array {
  const spki = parseCertificate(ca.certificate);
  const certId = (serial: bigint) =>
    der.seq(
      der.seq(der.oid(sha256.oid), der.null()),
      der.octets(sha256.digest(spki.subject.raw)),
      der.octets(sha256.digest(spki.publicKey)),
      der.int(serial),
    );
  const nonceExt = der.seq(der.oid('1.3.6.1.5.5.7.48.1.2'), der.octets(der.octets(nonce)));
  return der.seq(der.seq(der.seq(...serials.map((s) => der.seq(certId(s)))), der.explicit(2, der.seq(nonceExt))));
}

describe('OCSP responses', () => {
  async function setup(): Promise<{ root: TestCa; ca: TestCa; good: Certificate; revoked: Certificate }> {
    const root = await createTestCa({ keySpec: { type: 'ecdsa', curve: 'P-256' } });
    const ca = await root.issueIntermediate();
    const good = parseCertificate((await ca.issue()).certificate);
    const revoked = parseCertificate((await ca.issue()).certificate);
    ca.revoke(revoked.serialNumber, { reason: 'keyCompromise', time: new Date('2025-02-01T00:00:00Z') });
    return { root, ca, good, revoked };
  }

  it('answers good / revoked / unknown from the CA records, signed by the CA', async () => {
    const { root, ca, good, revoked } = await setup();
    const time = new Date('2025-02-02T00:00:00Z');
    const foreign = parseCertificate((await root.issue()).certificate);
    const resp = parseOcspResponse(
      await ca.createOcspResponse({
        request: [{ certificate: good.raw }, { certificate: revoked.raw }, { certificate: foreign.raw }],
        time,
      }),
    );
    expect(resp.responseStatus).toBe('successful');
    const basic = resp.basic;
    if (!basic) throw new Error('no BasicOCSPResponse');
    expect(basic.producedAt.toISOString()).toBe(time.toISOString());
    expect(basic.responses.map((r) => r.certStatus.status)).toEqual(['good', 'revoked', 'unknown']);
    expect(basic.responses.map((r) => r.certId.serialNumber)).toEqual([
      good.serialNumber,
      revoked.serialNumber,
      foreign.serialNumber,
    ]);
    expect(basic.responses[1]?.certStatus).toMatchObject({ reason: 'keyCompromise' });
    expect(basic.responses[0]?.nextUpdate?.toISOString()).toBe('2025-02-03T00:00:00.000Z');
    expect(basic.responderId.type).toBe('byKey');
    expect(basic.certs.length).toBe(0);
    expect(
      await signedBy(
        { tbs: basic.tbsResponseData, signature: basic.signature, signatureAlgorithm: basic.signatureAlgorithm },
        ca.certificate,
      ),
    ).toBe(true);
  });

  it('reports a revocation only from its time on', async () => {
    const { ca, revoked } = await setup();
    const before = parseOcspResponse(
      await ca.createOcspResponse({
        request: [{ serial: revoked.serialNumber }],
        time: new Date('2025-01-15T00:00:00Z'),
      }),
    );
    expect(before.basic?.responses[0]?.certStatus.status).toBe('good');
  });

  it('answers a DER request, echoing its CertIDs and nonce; delegated responder with its certificate', async () => {
    const { ca, good, revoked } = await setup();
    const responder = await ca.issue({ extKeyUsage: ['OCSPSigning'], ocspNoCheck: true });
    const nonce = Uint8Array.from({ length: 16 }, (_, k) => k + 1);
    const request = ocspRequest(ca, [good.serialNumber, revoked.serialNumber], nonce);
    const resp = parseOcspResponse(await ca.createOcspResponse({ request, responder, responderId: 'name' }));
    const basic = resp.basic;
    if (!basic) throw new Error('no BasicOCSPResponse');
    expect(basic.nonce).toEqual(nonce);
    expect(basic.responses.map((r) => r.certStatus.status)).toEqual(['good', 'revoked']);
    expect(basic.responses[0]?.certId.hashAlgorithm.oid).toBe(sha256.oid);
    expect(basic.responderId.type).toBe('byName');
    expect(basic.certs.map((c) => hex(c.raw))).toEqual([hex(responder.certificate)]);
    const rc = parseCertificate(responder.certificate);
    expect(rc.extKeyUsage).toEqual(['1.3.6.1.5.5.7.3.9']);
    expect(rc.extensions.some((e) => e.oid === '1.3.6.1.5.5.7.48.1.5')).toBe(true);
    const sig = {
      tbs: basic.tbsResponseData,
      signature: basic.signature,
      signatureAlgorithm: basic.signatureAlgorithm,
    };
    expect(await signedBy(sig, responder.certificate)).toBe(true);
    expect(await signedBy(sig, ca.certificate)).toBe(false);
  });

  it('applies a status override and non-successful response statuses', async () => {
    const { ca, good } = await setup();
    const over = parseOcspResponse(
      await ca.createOcspResponse({ request: [{ certificate: good.raw }], status: 'revoked', nonce: false }),
    );
    expect(over.basic?.responses[0]?.certStatus.status).toBe('revoked');
    expect(over.basic?.nonce).toBeUndefined();
    const later = parseOcspResponse(await ca.createOcspResponse({ responseStatus: 'tryLater' }));
    expect(later.responseStatus).toBe('tryLater');
    expect(later.basic).toBeUndefined();
  });
});

describe('names from callers are own properties only (regression, issue 5 review)', () => {
  it('refuses revocation reasons and OCSP response statuses named after Object.prototype properties', async () => {
    const ca = await createTestCa({ keySpec: { type: 'ecdsa', curve: 'P-256' } });
    const leaf = await ca.issue();
    for (const name of ['toString', 'constructor', '__proto__']) {
      expect(() => ca.revoke(leaf.serial, { reason: name as 'keyCompromise' })).toThrow(RangeError);
      await expect(ca.createOcspResponse({ responseStatus: name as 'tryLater' })).rejects.toThrow(RangeError);
    }
    expect(ca.revocations()).toEqual([]);
  });
});
