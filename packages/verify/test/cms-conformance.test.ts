// Conformance of verify() (RFC 5652 §5; ETSI EN 319 102-1 §5; EN 319 122-1): the TC26 CMS examples (R 1323565.1.024-2019 App. A, TK26CMS), every @eds/core signing form for GOST-256/512, ECDSA P-256 and RSA, and the negative cases with their indications; Node and Chromium.
import { der } from '@eds/core/asn1';
import { addValidationData, signCades } from '@eds/core/cades';
import { addCountersignature, addSigner, signCms } from '@eds/core/cms';
import { encodeSignedData, parseSignedData } from '@eds/core/signed-data';
import type { KeySpec, TestCa } from '@eds/core/testing';
import { parseCertificate } from '@eds/core/x509';
import { readFixture, readVector, readVectorText } from '@eds/test-support/vectors';
import type { SignatureReport, VerificationReport } from '@eds/verify/report';
import { createTrustStore } from '@eds/verify/trust';
import { type VerifyOptions, verify } from '@eds/verify/verify';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SigningPki, signingPki, timestampSource } from './_signing-pki';

const DAY = 86_400_000;
const doc = new TextEncoder().encode('Акт сдачи-приёмки работ № 42 от 1 декабря\n');
const verdict = (r: { indication: string; subIndication?: string | undefined }) => [r.indication, r.subIndication];
const codes = (s: SignatureReport | undefined) => s?.checks.map((c) => c.code) ?? [];
const why = (r: VerificationReport) => JSON.stringify(r.signatures.map((s) => s.checks));

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// TC26 examples

const TC26 = 'gost/tc26-cms-2019';
const IOK = 'packages/core/test/vectors/rfc9215';

describe('verify: the TC26 CMS examples', () => {
  it('R 1323565.1.024-2019 A.1.1 and A.1.2 verify against the example root; TK26CMS 256/512 with the TK26IOK certificates', async () => {
    const root = await readVectorText(`${TC26}/root256_cert.pem`);
    const cases: [string, VerifyOptions, string, string][] = [];
    for (const [f, alg, digest] of [
      ['signed_a111.pem', 'gost2012-512', 'streebog512'],
      ['signed_a121.pem', 'gost2012-256', 'streebog256'],
    ] as const)
      cases.push([
        f,
        { signature: await readVectorText(`${TC26}/${f}`), trust: createTrustStore(root), revocation: 'off' },
        alg,
        digest,
      ]);
    for (const n of ['256', '512'] as const) {
      // no certificates in these SignedData: the TK26IOK example certificate is both the signer's and the anchor
      const cert = new TextDecoder().decode(await readFixture(`${IOK}/tk26iok-${n}.pem`));
      cases.push([
        `TestSigned_${n}.der`,
        {
          signature: await readVector(`gost/tk26cms-2014/TestSigned_${n}.der`),
          trust: createTrustStore(cert),
          intermediates: [cert],
          revocation: 'off',
        },
        `gost2012-${n}`,
        `streebog${n}`,
      ]);
    }
    let passed = 0;
    for (const [name, options, alg, digest] of cases) {
      const r = await verify(options);
      const [s] = r.signatures;
      expect([name, ...verdict(r)], why(r)).toEqual([name, 'TOTAL_PASSED', undefined]);
      expect(r.signatures).toHaveLength(1);
      expect([s?.signatureAlgorithm, s?.digestAlgorithm, s?.format]).toEqual([alg, digest, 'CMS']);
      expect(codes(s)).toEqual(expect.arrayContaining(['SIGNATURE_VALID', 'DIGEST_MATCH', 'PATH_VALID']));
      if (s?.indication === 'TOTAL_PASSED') passed++;
    }
    console.log(`TC26 CMS SignedData examples: ${passed}/${cases.length} TOTAL_PASSED`);
    expect(passed).toBe(4);
  });

  it('the examples fail when their content or signer changes: HASH_FAILURE / SIG_CRYPTO_FAILURE / NO_SIGNING_CERTIFICATE_FOUND', async () => {
    const root = createTrustStore(await readVectorText(`${TC26}/root256_cert.pem`));
    // A.1.1 has signed attributes: a changed eContent no longer matches messageDigest
    const a111 = parseSignedData(await readVectorText(`${TC26}/signed_a111.pem`));
    const content = (a111.content as Uint8Array).slice();
    content[0] = (content[0] as number) ^ 1;
    const changed = await verify({ signature: encodeSignedData({ ...a111, content }), trust: root, revocation: 'off' });
    expect(verdict(changed)).toEqual(['TOTAL_FAILED', 'HASH_FAILURE']);
    // A.1.2 has none: the signature is over the content itself
    const a121 = parseSignedData(await readVectorText(`${TC26}/signed_a121.pem`));
    const c2 = (a121.content as Uint8Array).slice();
    c2[0] = (c2[0] as number) ^ 1;
    const plain = await verify({
      signature: encodeSignedData({ ...a121, content: c2 }),
      trust: root,
      revocation: 'off',
    });
    expect(verdict(plain)).toEqual(['TOTAL_FAILED', 'SIG_CRYPTO_FAILURE']);
    // TK26CMS carries no certificate: without one the signer is not found
    const cert = new TextDecoder().decode(await readFixture(`${IOK}/tk26iok-256.pem`));
    const alone = await verify({
      signature: await readVector('gost/tk26cms-2014/TestSigned_256.der'),
      trust: createTrustStore(cert),
      revocation: 'off',
    });
    expect(verdict(alone)).toEqual(['INDETERMINATE', 'NO_SIGNING_CERTIFICATE_FOUND']);
  });

  it('the example root has no basicConstraints: as the trust anchor it is input (RFC 5280 §6.1.1 d), as an issuer below another anchor it is PATH_NOT_CA', async () => {
    const rootPem = await readVectorText(`${TC26}/root256_cert.pem`);
    const tc26Root = parseCertificate(rootPem);
    expect(tc26Root.basicConstraints).toBeUndefined();
    // As the anchor: the signature passes, and the missing basicConstraints is a warning on the anchor.
    const asAnchor = await verify({
      signature: await readVectorText(`${TC26}/signed_a111.pem`),
      trust: createTrustStore(rootPem),
      revocation: 'off',
    });
    expect(asAnchor.indication).toBe('TOTAL_PASSED');
    const warning = asAnchor.signatures[0]?.checks.find((c) => c.code === 'PATH_NOT_CA');
    expect([warning?.outcome, warning?.certificate]).toEqual(['warning', 1]);
    // The TC26 root cross-certified by a test anchor, keeping its name, key and extensions (no basicConstraints):
    // the path A.1.1 signer -> TC26 root (now an intermediate) -> test anchor must fail §6.1.4 (k).
    const pki = await signingPki();
    const cross = await crossCertify(pki.root, tc26Root);
    const r = await verify({
      signature: await readVectorText(`${TC26}/signed_a111.pem`),
      trust: createTrustStore(pki.root.certificate),
      intermediates: [cross],
      revocation: 'off',
    });
    const [s] = r.signatures;
    expect(verdict(r), why(r)).toEqual(['INDETERMINATE', 'CHAIN_CONSTRAINTS_FAILURE']);
    const finding = s?.checks.find((c) => c.code === 'PATH_NOT_CA');
    expect(finding?.outcome).toBe('indeterminate');
    expect(finding?.certificate).toBe(1);
    // the signature and digest checks still ran and passed
    expect(codes(s)).toEqual(expect.arrayContaining(['SIGNATURE_VALID', 'DIGEST_MATCH']));
  });
});

/** A certificate for `target`'s subject, key and extensions, issued by `ca` (RFC 5280 §4.1). */
async function crossCertify(ca: TestCa, target: ReturnType<typeof parseCertificate>): Promise<Uint8Array> {
  const issuer = parseCertificate(ca.certificate);
  const exts = target.extensions.map((e) =>
    der.seq(der.oid(e.oid), ...(e.critical ? [der.bool(true)] : []), der.octets(e.value)),
  );
  const tbs = der.seq(
    der.explicit(0, der.int(2)),
    der.int(0x7c05_5e11n),
    ca.signer.algorithm.identifier(),
    issuer.subject.raw,
    der.seq(der.generalizedTime(target.notBefore), der.generalizedTime(target.notAfter)),
    target.subject.raw,
    target.spki,
    der.explicit(3, der.seq(...exts)),
  );
  return der.seq(tbs, ca.signer.algorithm.identifier(), der.bits(await ca.signer.sign(tbs)));
}

// ---------------------------------------------------------------------------------------------
// Everything @eds/core signs

const SPECS: readonly (readonly [string, KeySpec])[] = [
  ['GOST-256', { type: 'gost2012-256' }],
  ['GOST-512', { type: 'gost2012-512' }],
  ['ECDSA P-256', { type: 'ecdsa', curve: 'P-256' }],
  ['RSA-2048', { type: 'rsa', bits: 2048 }],
];

interface Party {
  pki: SigningPki;
  crls: Uint8Array[];
}

const parties = new Map<string, Party>();
const party = (name: string) => parties.get(name) as Party;

beforeAll(async () => {
  for (const [name, spec] of SPECS) {
    const pki = await signingPki(spec);
    parties.set(name, { pki, crls: [await pki.root.createCrl(), await pki.ca.createCrl()] });
  }
}, 120_000);

function check(p: Party | Party[], signature: Uint8Array, content?: Uint8Array): Promise<VerificationReport> {
  const all = Array.isArray(p) ? p : [p];
  return verify({
    signature,
    content,
    trust: createTrustStore(all.map((x) => x.pki.root.certificate)),
    revocationData: { crls: all.flatMap((x) => x.crls) },
  });
}

async function validationValues(p: Party) {
  return {
    certificates: [p.pki.root.certificate, p.pki.ca.certificate],
    ocspResponses: [await p.pki.ca.createOcspResponse({ request: [{ certificate: p.pki.leaf.certificate }] })],
    crls: [p.crls[0] as Uint8Array],
  };
}

describe.each(SPECS.map(([name]) => [name]))('verify: every @eds/core signing form, %s', (name) => {
  const base = () => ({ signers: [party(name).pki.leaf.signer], certificates: [party(name).pki.ca.certificate] });

  it('signCms attached, detached, and plain (no signed attributes) attached and detached', async () => {
    const p = party(name);
    const forms: [string, Uint8Array, Uint8Array | undefined, string][] = [
      ['attached', await signCms({ content: doc, ...base() }), undefined, 'CAdES-BES'],
      ['detached', await signCms({ content: doc, detached: true, ...base() }), doc, 'CAdES-BES'],
      ['plain attached', await signCms({ content: doc, signedAttributes: false, ...base() }), undefined, 'CMS'],
      [
        'plain detached',
        await signCms({ content: doc, signedAttributes: false, detached: true, ...base() }),
        doc,
        'CMS',
      ],
    ];
    for (const [form, sig, content, format] of forms) {
      const r = await check(p, sig, content);
      const [s] = r.signatures;
      expect([form, ...verdict(r)], why(r)).toEqual([form, 'TOTAL_PASSED', undefined]);
      expect([form, s?.format, s?.revocation?.status]).toEqual([form, format, 'good']);
      expect(s?.chain).toHaveLength(3);
    }
  });

  it('CAdES-T, X Long Type 1 and B-LT with a real TSA token', async () => {
    const p = party(name);
    const tsa = timestampSource(p.pki.tsa);
    const values = await validationValues(p);
    const t = await signCades({ content: doc, detached: true, level: 'T', tsa, ...base() });
    const xl = await signCades({ content: doc, detached: true, level: 'XLT1', tsa, revocation: values, ...base() });
    const lt = await addValidationData(t, { level: 'LT', revocation: values });
    for (const [sig, format, offline] of [
      [t, 'CAdES-T', false],
      [xl, 'CAdES-X-Long-Type-1', true],
      [lt, 'CAdES-B-LT', true],
    ] as const) {
      // X-Long and LT carry their own revocation data: verified with nothing else supplied
      const r = offline
        ? await verify({ signature: sig, content: doc, trust: createTrustStore(p.pki.root.certificate) })
        : await check(p, sig, doc);
      const [s] = r.signatures;
      expect([format, ...verdict(r)], why(r)).toEqual([format, 'TOTAL_PASSED', undefined]);
      expect(s?.format).toBe(format);
      expect(s?.timestamps.every((x) => x.indication === 'TOTAL_PASSED')).toBe(true);
      expect(s?.timestamps[0]?.kind).toBe('signature');
      expect(s?.bestSignatureTime).toBe(s?.timestamps[0]?.genTime);
    }
  });
});

describe('verify: co-signed and countersigned across algorithms', () => {
  it('signCms + addSigner: GOST-256 and ECDSA P-256 parallel signers, both TOTAL_PASSED', async () => {
    const g = party('GOST-256');
    const e = party('ECDSA P-256');
    const first = await signCms({ content: doc, signers: [g.pki.leaf.signer], certificates: [g.pki.ca.certificate] });
    const both = await addSigner(first, { signer: e.pki.leaf.signer, certificates: [e.pki.ca.certificate] });
    const r = await check([g, e], both);
    expect(verdict(r), why(r)).toEqual(['TOTAL_PASSED', undefined]);
    expect(r.signatures.map((s) => [s.indication, s.signatureAlgorithm]).sort()).toEqual([
      ['TOTAL_PASSED', 'ecdsa-sha256'],
      ['TOTAL_PASSED', 'gost2012-256'],
    ]);
    // two signers in one signCms call, GOST-512 and RSA, detached
    const x = party('GOST-512');
    const y = party('RSA-2048');
    const two = await signCms({
      content: doc,
      detached: true,
      signers: [x.pki.leaf.signer, y.pki.leaf.signer],
      certificates: [x.pki.ca.certificate, y.pki.ca.certificate],
    });
    const r2 = await check([x, y], two, doc);
    expect(verdict(r2), why(r2)).toEqual(['TOTAL_PASSED', undefined]);
    expect(r2.signatures).toHaveLength(2);
  });

  it('addCountersignature: a GOST signature countersigned with RSA, the countersignature checked over the signature value', async () => {
    const g = party('GOST-256');
    const rsa = party('RSA-2048');
    const sig = await signCms({
      content: doc,
      detached: true,
      signers: [g.pki.leaf.signer],
      certificates: [g.pki.ca.certificate],
    });
    const cs = await addCountersignature(sig, { signer: rsa.pki.leaf.signer, certificates: [rsa.pki.ca.certificate] });
    const r = await check([g, rsa], cs, doc);
    expect(verdict(r), why(r)).toEqual(['TOTAL_PASSED', undefined]);
    const [c] = r.signatures[0]?.countersignatures ?? [];
    expect([c?.id, c?.indication, c?.signatureAlgorithm, c?.format]).toEqual([
      'S1.C1',
      'TOTAL_PASSED',
      'rsa-pkcs1-sha256',
      'CAdES-BES',
    ]);
    // the countersigner's own path is validated: with its root untrusted the overall result is INDETERMINATE
    const r2 = await check(g, cs, doc);
    expect(r2.signatures[0]?.indication).toBe('TOTAL_PASSED');
    expect(verdict(r2.signatures[0]?.countersignatures[0] as SignatureReport)).toEqual([
      'INDETERMINATE',
      'NO_CERTIFICATE_CHAIN_FOUND',
    ]);
    expect(verdict(r2)).toEqual(['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND']);
  });
});

// ---------------------------------------------------------------------------------------------
// Negative cases (ETSI EN 319 102-1 §5.2.3 identification of the signing certificate, §5.2.7
// cryptographic verification, §5.2.6 X.509 validation, §5.5/§5.6.2 with proof of existence)

describe('verify: negative cases', () => {
  it('tampered signed attributes (signingTime changed, messageDigest intact): TOTAL_FAILED / SIG_CRYPTO_FAILURE', async () => {
    const p = party('GOST-256');
    const time = new Date('2026-03-04T05:06:07Z');
    const sig = await signCms({ content: doc, detached: true, signingTime: time, ...{ signers: [p.pki.leaf.signer] } });
    const at = indexOf(sig, new TextEncoder().encode('260304050607Z'));
    expect(at).toBeGreaterThan(0);
    const bad = sig.slice();
    bad[at + 11] = 0x38; // ...07Z -> ...08Z: still a valid UTCTime
    expect(parseSignedData(bad).signerInfos[0]?.signingTime?.toISOString()).toBe('2026-03-04T05:06:08.000Z');
    const r = await check(p, bad, doc);
    // §5.2.7: the digest of the content still matches messageDigest, the signature over the attributes does not
    expect(verdict(r), why(r)).toEqual(['TOTAL_FAILED', 'SIG_CRYPTO_FAILURE']);
    expect(codes(r.signatures[0])).toEqual(expect.arrayContaining(['DIGEST_MATCH', 'SIGNATURE_INVALID']));
  });

  it('substituted signer certificate: same issuer and serial, another key', async () => {
    const p = party('GOST-256');
    const impostor = await p.pki.ca.issue({ serial: p.pki.leaf.serial, subject: { commonName: 'Самозванец' } });
    const swap = (sig: Uint8Array) => {
      const sd = parseSignedData(sig);
      const certificates = sd.certificates.map((c) => (equal(c, p.pki.leaf.certificate) ? impostor.certificate : c));
      expect(certificates.some((c) => equal(c, impostor.certificate))).toBe(true);
      return encodeSignedData({ ...sd, certificates });
    };
    // CAdES-BES: the sid names the impostor, but signingCertificateV2 binds the original: the signing
    // certificate cannot be identified (§5.2.3) -> INDETERMINATE / NO_SIGNING_CERTIFICATE_FOUND, before any signature check
    const bes = await signCms({
      content: doc,
      detached: true,
      signers: [p.pki.leaf.signer],
      certificates: [p.pki.ca.certificate],
    });
    const r = await check(p, swap(bes), doc);
    expect(verdict(r), why(r)).toEqual(['INDETERMINATE', 'NO_SIGNING_CERTIFICATE_FOUND']);
    expect(codes(r.signatures[0])).toContain('SIGNING_CERTIFICATE_MISMATCH');
    expect(codes(r.signatures[0])).not.toContain('SIGNATURE_VALID');
    // the impostor listed before the genuine certificate: signingCertificateV2 picks the genuine one (§5.2.3.4)
    const parsed = parseSignedData(bes);
    const both = encodeSignedData({ ...parsed, certificates: [impostor.certificate, ...parsed.certificates] });
    const rb = await check(p, both, doc);
    expect(verdict(rb), why(rb)).toEqual(['TOTAL_PASSED', undefined]);
    expect(rb.signatures[0]?.signer?.commonName).toBe('Иванов Иван Иванович');
    // plain CMS has no binding: the impostor's key is tried and the signature fails (§5.2.7) -> SIG_CRYPTO_FAILURE
    const plain = await signCms({ content: doc, signedAttributes: false, signers: [p.pki.leaf.signer] });
    const r2 = await check(p, swap(plain));
    expect(verdict(r2), why(r2)).toEqual(['TOTAL_FAILED', 'SIG_CRYPTO_FAILURE']);
    // the signer certificate left out entirely: NO_SIGNING_CERTIFICATE_FOUND; supplied by the caller: passes
    const none = await signCms({
      content: doc,
      detached: true,
      signers: [p.pki.leaf.signer],
      includeCertificates: 'none',
    });
    expect(verdict(await check(p, none, doc))).toEqual(['INDETERMINATE', 'NO_SIGNING_CERTIFICATE_FOUND']);
    const supplied = await verify({
      signature: none,
      content: doc,
      trust: createTrustStore(p.pki.root.certificate),
      intermediates: [p.pki.leaf.certificate, p.pki.ca.certificate],
      revocationData: { crls: p.crls },
    });
    expect(verdict(supplied), why(supplied)).toEqual(['TOTAL_PASSED', undefined]);
  });

  describe.each([
    ['GOST-256', { type: 'gost2012-256' }],
    ['ECDSA P-256', { type: 'ecdsa', curve: 'P-256' }],
  ] as const)('revocation and expiry against the time-stamp, %s', (_name, spec) => {
    const past = new Date(Date.now() - 30 * DAY);
    const at = (days: number) => new Date(past.getTime() + days * DAY);
    let old: SigningPki;
    beforeAll(async () => {
      old = await signingPki(spec, past);
    }, 60_000);

    async function stamped(signer = old.leaf.signer, genTime = at(2)): Promise<Uint8Array> {
      return signCades({
        content: doc,
        signers: [signer],
        detached: true,
        certificates: [old.ca.certificate],
        level: 'T',
        signingTime: at(1),
        tsa: timestampSource(old.tsa, () => genTime),
      });
    }
    const crlsAt = async (t: Date) => [
      await old.root.createCrl({ thisUpdate: t }),
      await old.ca.createCrl({ thisUpdate: t }),
    ];
    // the TSA's certificate is validated at the current time (EN 319 102-1 §5.4): a current root CRL covers it
    const run = async (sig: Uint8Array, crls: Uint8Array[]) =>
      verify({
        signature: sig,
        content: doc,
        trust: createTrustStore(old.root.certificate),
        revocationData: { crls: [...crls, await old.root.createCrl()] },
      });

    it('revoked BEFORE the time-stamp: TOTAL_FAILED / REVOKED (revocation proven before the signature existed)', async () => {
      const victim = await old.ca.issue({ now: past });
      const sig = await stamped(victim.signer, at(2));
      old.ca.revoke(victim.certificate, { reason: 'keyCompromise', time: at(1) });
      const r = await run(sig, await crlsAt(at(3)));
      const [s] = r.signatures;
      expect(s?.timestamps[0]?.indication).toBe('TOTAL_PASSED');
      expect(verdict(r), why(r)).toEqual(['TOTAL_FAILED', 'REVOKED']);
      expect(codes(s)).toContain('PATH_REVOKED');
    });

    it('revoked AFTER the time-stamp: TOTAL_PASSED, the signature existed while the certificate was valid', async () => {
      const victim = await old.ca.issue({ now: past });
      const sig = await stamped(victim.signer, at(2));
      old.ca.revoke(victim.certificate, { reason: 'keyCompromise', time: at(4) });
      const r = await run(sig, await crlsAt(at(5)));
      const [s] = r.signatures;
      expect(verdict(r), why(r)).toEqual(['TOTAL_PASSED', undefined]);
      expect(s?.bestSignatureTime).toBe(at(2).toISOString());
      // the later revocation is shown in the report, with its reason and time
      expect([s?.revocation?.status, s?.revocation?.reason]).toEqual(['revoked', 'keyCompromise']);
      expect(Date.parse(s?.revocation?.revocationTime ?? '')).toBeGreaterThan(at(2).getTime());
      const finding = s?.checks.find((c) => c.code === 'REVOKED_AFTER_SIGNING');
      expect([finding?.outcome, finding?.params?.reason]).toEqual(['warning', 'keyCompromise']);
      // without the time-stamp the same certificate is revoked now: no proof of existence -> REVOKED_NO_POE
      const bes = await signCms({
        content: doc,
        signers: [victim.signer],
        detached: true,
        certificates: [old.ca.certificate],
      });
      expect(verdict(await run(bes, await crlsAt(new Date())))).toEqual(['INDETERMINATE', 'REVOKED_NO_POE']);
    });

    it('expired certificate: with a time-stamp inside its validity TOTAL_PASSED; with none or a late one OUT_OF_BOUNDS_NO_POE', async () => {
      const shortLived = await old.ca.issue({ now: past, validity: { notBefore: at(0), notAfter: at(3) } });
      const crls = await crlsAt(at(2.5));
      const inTime = await run(await stamped(shortLived.signer, at(2)), crls);
      expect(verdict(inTime), why(inTime)).toEqual(['TOTAL_PASSED', undefined]);
      // a time-stamp made after notAfter proves nothing about the validity period (§5.5.4)
      const late = await run(await stamped(shortLived.signer, at(5)), [...crls, ...(await crlsAt(at(5.5)))]);
      expect(verdict(late), why(late)).toEqual(['INDETERMINATE', 'OUT_OF_BOUNDS_NO_POE']);
      const bes = await signCms({
        content: doc,
        signers: [shortLived.signer],
        detached: true,
        certificates: [old.ca.certificate],
      });
      const none = await run(bes, crls);
      expect(verdict(none), why(none)).toEqual(['INDETERMINATE', 'OUT_OF_BOUNDS_NO_POE']);
    });
  });
});
