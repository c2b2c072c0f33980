// Bad input to verify() (RFC 5652 §3, §5; ITU-T X.690 §8 BER): garbage, truncation, BER indefinite lengths, nested ContentInfo, thousands of SignerInfos, a huge attribute, deep nesting: always a report (FORMAT_FAILURE or per signer) or a TypeError for misuse; Node and Chromium.
import { der } from '@eds/core/asn1';
import { signCades } from '@eds/core/cades';
import { signCms } from '@eds/core/cms';
import { base64Encode } from '@eds/core/encoding';
import { encodeSignedData, encodeSignerInfo, parseSignedData } from '@eds/core/signed-data';
import { createTestCa } from '@eds/core/testing';
import { damagedCopies, NOT_BYTES } from '@eds/test-support/inputs';
import { readVectorText } from '@eds/test-support/vectors';
import type { VerificationReport } from '@eds/verify/report';
import { createTrustStore } from '@eds/verify/trust';
import { type VerifyOptions, verify } from '@eds/verify/verify';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SigningPki, signingPki, timestampSource } from './_signing-pki';

const doc = new TextEncoder().encode('Счёт на оплату № 7\n');
const OID_DATA = '1.2.840.113549.1.7.1';
const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const INDICATIONS = ['TOTAL_PASSED', 'TOTAL_FAILED', 'INDETERMINATE'];
const verdict = (r: { indication: string; subIndication?: string | undefined }) => [r.indication, r.subIndication];
const why = (r: VerificationReport) => JSON.stringify(r.signatures.map((s) => s.checks));

let pki: SigningPki;
let crls: Uint8Array[];
/** A CAdES-T with attached content: every kind of structure verify() reads. */
let cadesT: Uint8Array;
let ecdsa: SigningPki;

beforeAll(async () => {
  pki = await signingPki();
  crls = [await pki.root.createCrl(), await pki.ca.createCrl()];
  cadesT = await signCades({
    content: doc,
    signers: [pki.leaf.signer],
    certificates: [pki.ca.certificate],
    level: 'T',
    tsa: timestampSource(pki.tsa),
  });
  ecdsa = await signingPki({ type: 'ecdsa', curve: 'P-256' });
}, 60_000);

const run = (signature: VerifyOptions['signature'], extra: Partial<VerifyOptions> = {}) =>
  verify({ signature, trust: createTrustStore(pki.root.certificate), revocationData: { crls }, ...extra });

/** A FORMAT_FAILURE report: TOTAL_FAILED, no signature, the FORMAT_INVALID check. */
function expectFormatFailure(r: VerificationReport, label = ''): void {
  expect([label, ...verdict(r)]).toEqual([label, 'TOTAL_FAILED', 'FORMAT_FAILURE']);
  expect(r.signatures).toEqual([]);
  expect(r.checks.map((c) => [c.code, c.outcome])).toEqual([['FORMAT_INVALID', 'failed']]);
}

describe('verify: garbage', () => {
  it('the valid CAdES-T these tests damage is TOTAL_PASSED', async () => {
    const r = await run(cadesT);
    expect(verdict(r), why(r)).toEqual(['TOTAL_PASSED', undefined]);
  });

  it('bytes, text, PEM and Base64 that are no CMS SignedData: FORMAT_FAILURE', async () => {
    const inputs: [string, Uint8Array | string][] = [
      ['empty bytes', new Uint8Array(0)],
      ['empty text', ''],
      ['one zero byte', new Uint8Array(1)],
      ['a bare SEQUENCE', der.seq()],
      ['text', 'это не подпись'],
      ['PEM of another label', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'],
      ['Base64 of garbage', base64Encode(new Uint8Array(64).fill(0x5a))],
      ['a certificate', pki.leaf.certificate],
      ['a CRL', crls[0] as Uint8Array],
      ['ContentInfo id-data', der.seq(der.oid(OID_DATA), der.explicit(0, der.octets(doc)))],
      ['ContentInfo id-signedData without content', der.seq(der.oid(OID_SIGNED_DATA))],
      ['EnvelopedData (TC26 A.2.1.1)', await readVectorText('gost/tc26-cms-2019/encrypted_keyagree_a211.pem')],
      ['DigestedData (TC26 A.3.1.1)', await readVectorText('gost/tc26-cms-2019/hashed_a311.pem')],
    ];
    for (const [label, input] of inputs) expectFormatFailure(await run(input), label);
  });

  it('random bytes: FORMAT_FAILURE (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (bytes) => {
        const r = await run(bytes);
        // random bytes that happen to be a SignedData are beyond reach: the report is FORMAT_FAILURE
        expectFormatFailure(r);
      }),
      { numRuns: 200 },
    );
  });

  it('a plain-profile ECDSA CAdES-BES with each byte changed (XOR 0x01, 0x80): a report every time, a pass only for unsigned fields', async () => {
    const root = await createTestCa({ keySpec: { type: 'ecdsa', curve: 'P-256' }, profile: 'plain' });
    const leaf = await root.issue({ profile: 'plain' });
    const bes = await signCms({ content: doc, signers: [leaf.signer] });
    const trust = createTrustStore(root.certificate);
    const seen = new Map<string, number>();
    const unsigned = unsignedFields(bes);
    for (let i = 0; i < bes.length; i++)
      for (const x of [0x01, 0x80]) {
        const bad = bes.slice();
        bad[i] = (bad[i] as number) ^ x;
        const r = await verify({ signature: bad, trust, revocation: 'off' });
        expect(INDICATIONS).toContain(r.indication);
        // SignedData.version, digestAlgorithms and SignerInfo.version are outside the signature (RFC 5652 §5.1, §5.3)
        if (r.indication === 'TOTAL_PASSED') expect([i, unsigned.some(([a, b]) => i >= a && i < b)]).toEqual([i, true]);
        const key = `${r.indication}/${r.subIndication ?? '-'}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
    console.log(`one-byte changes of a ${bes.length}-byte CAdES-BES: ${JSON.stringify(Object.fromEntries(seen))}`);
    expect(seen.get('TOTAL_FAILED/FORMAT_FAILURE')).toBeGreaterThan(0);
    expect(seen.get('TOTAL_FAILED/SIG_CRYPTO_FAILURE')).toBeGreaterThan(0);
  });

  it('a Russian-qualified CAdES-T cut short or with one byte changed: a report, never a throw; a cut is FORMAT_FAILURE (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(damagedCopies(cadesT), async (bad) => {
        const r = await run(bad);
        expect(INDICATIONS).toContain(r.indication);
        expect(JSON.parse(JSON.stringify(r))).toEqual(r);
        if (bad.length < cadesT.length) expectFormatFailure(r);
      }),
      { numRuns: 300 },
    );
  });

  it('truncated at every 5th offset and each of the last 40 bytes: FORMAT_FAILURE', async () => {
    const offsets = new Set<number>();
    for (let n = 0; n < cadesT.length; n += 5) offsets.add(n);
    for (let n = cadesT.length - 40; n < cadesT.length; n++) offsets.add(n);
    for (const n of offsets) expectFormatFailure(await run(cadesT.subarray(0, n)), `cut at ${n}`);
    console.log(`truncated CAdES-T: ${offsets.size} cuts of ${cadesT.length} bytes, all FORMAT_FAILURE`);
  });

  it('misuse throws TypeError; a signature of the wrong type is a TypeError or a FORMAT_FAILURE report', async () => {
    await expect(verify({ signature: cadesT } as VerifyOptions)).rejects.toThrow(TypeError);
    await expect(verify({ signature: cadesT, trust: {} } as unknown as VerifyOptions)).rejects.toThrow(TypeError);
    await expect(run(cadesT, { content: doc })).rejects.toThrow(TypeError);
    for (const [label, value] of NOT_BYTES) {
      const outcome = await run(value as Uint8Array).then(
        (r) => verdict(r),
        (e: unknown) => (e instanceof TypeError ? 'TypeError' : `${label}: ${String(e)}`),
      );
      expect([label, outcome]).toEqual([
        label,
        expect.toSatisfy((o) => o === 'TypeError' || String(o) === 'TOTAL_FAILED,FORMAT_FAILURE'),
      ]);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// BER

/** One TLV of `b` at `at`: header length, content start and end (definite lengths only). */
function tlv(b: Uint8Array, at: number): { tag: Uint8Array; start: number; end: number } {
  let i = at + 1;
  if (((b[at] as number) & 0x1f) === 0x1f) while (((b[i++] as number) & 0x80) !== 0);
  const tag = b.subarray(at, i);
  let len = b[i++] as number;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let k = 0; k < n; k++) len = len * 256 + (b[i++] as number);
  }
  return { tag, start: i, end: i + len };
}

const EOC = Uint8Array.of(0, 0);

/** Byte ranges of a DER SignedData that no signature covers: SignedData.version, digestAlgorithms, the first SignerInfo's version. */
function unsignedFields(b: Uint8Array): [number, number][] {
  const top = tlv(b, 0);
  const explicit = tlv(b, tlv(b, top.start).end);
  const sd = tlv(b, explicit.start);
  const version = tlv(b, sd.start);
  const algorithms = tlv(b, version.end);
  let at = tlv(b, algorithms.end).end; // encapContentInfo
  while (b[at] === 0xa0 || b[at] === 0xa1) at = tlv(b, at).end; // certificates, crls
  const si = tlv(b, tlv(b, at).start);
  const siVersion = tlv(b, si.start);
  const range = (x: { start: number; end: number }, header: number): [number, number] => [x.start - header, x.end];
  return [range(version, 2), range(algorithms, 2), range(siVersion, 2)];
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The BER form of DER `b` (X.690 §8.1.3.6): every constructed TLV with the indefinite length 0x80
 * and end-of-contents, every OCTET STRING of 32 bytes or more as a constructed string of 16-byte
 * primitive pieces (§8.7.3).
 */
function toBer(b: Uint8Array): Uint8Array {
  const out: Uint8Array[] = [];
  for (let at = 0; at < b.length; ) {
    const { tag, start, end } = tlv(b, at);
    const content = b.subarray(start, end);
    if (((tag[0] as number) & 0x20) !== 0) out.push(tag, Uint8Array.of(0x80), toBer(content), EOC);
    else if (tag.length === 1 && tag[0] === 0x04 && content.length >= 32) {
      const pieces: Uint8Array[] = [];
      for (let i = 0; i < content.length; i += 16) pieces.push(der.octets(content.subarray(i, i + 16)));
      out.push(Uint8Array.of(0x24, 0x80), ...pieces, EOC);
    } else out.push(b.subarray(at, end));
    at = end;
  }
  return concat(out);
}

describe('verify: BER and nesting', () => {
  it('a CAdES-T converted by hand to BER (indefinite lengths, constructed OCTET STRINGs) verifies as its DER', async () => {
    const ber = toBer(cadesT);
    expect(ber.length).toBeGreaterThan(cadesT.length);
    expect(ber[1]).toBe(0x80);
    expect(parseSignedData(ber).der).toEqual(cadesT);
    const r = await run(ber);
    expect(verdict(r), why(r)).toEqual(['TOTAL_PASSED', undefined]);
    expect(r.signatures[0]?.timestamps[0]?.indication).toBe('TOTAL_PASSED');
    // BER with an end-of-contents missing: FORMAT_FAILURE
    expectFormatFailure(await run(ber.subarray(0, ber.length - 2)));
  });

  it('a SignedData whose eContent is another ContentInfo: the outer signature is checked over those bytes, the inner one is content', async () => {
    let cms = await signCms({ content: doc, signers: [pki.leaf.signer], certificates: [pki.ca.certificate] });
    for (let level = 0; level < 8; level++)
      cms = await signCms({ content: cms, signers: [pki.leaf.signer], certificates: [pki.ca.certificate] });
    const r = await run(cms);
    expect(verdict(r), why(r)).toEqual(['TOTAL_PASSED', undefined]);
    expect(r.signatures).toHaveLength(1);
    // eContentType says id-signedData: the signed contentType attribute must match it
    const inner = await signCms({ content: doc, signers: [pki.leaf.signer] });
    const typed = await signCms({
      content: inner,
      contentType: OID_SIGNED_DATA,
      signers: [pki.leaf.signer],
      certificates: [pki.ca.certificate],
    });
    const r2 = await run(typed);
    expect(verdict(r2), why(r2)).toEqual(['TOTAL_PASSED', undefined]);
    // a ContentInfo(SignedData) whose [0] holds a ContentInfo instead of a SignedData: FORMAT_FAILURE
    expectFormatFailure(await run(der.seq(der.oid(OID_SIGNED_DATA), der.explicit(0, cms))));
  });

  it('deep nesting: 100,000 nested SEQUENCEs (definite and indefinite) and a SignedData nested past the depth limit: FORMAT_FAILURE', async () => {
    const depth = 100_000;
    const indefinite = new Uint8Array(depth * 4);
    for (let i = 0; i < depth; i++) indefinite.set([0x30, 0x80], i * 2);
    expectFormatFailure(await run(indefinite));
    let definite: Uint8Array = new Uint8Array(0);
    for (let i = 0; i < 2_000; i++) definite = der.seq(definite);
    expectFormatFailure(await run(definite));
    let wrapped = der.seq(der.oid(OID_DATA));
    for (let i = 0; i < 200; i++) wrapped = der.seq(wrapped);
    const sd = parseSignedData(cadesT);
    const deep = encodeSignedData({ ...sd, certificates: [...sd.certificates, wrapped] });
    expectFormatFailure(await run(deep));
  });
});

// ---------------------------------------------------------------------------------------------
// Size

describe('verify: many and large', () => {
  it('2,000 SignerInfos (copies of one valid ECDSA signer): a report with a verdict for each', async () => {
    const one = await signCms({
      content: doc,
      signers: [ecdsa.leaf.signer],
      certificates: [ecdsa.ca.certificate],
      detached: true,
    });
    const sd = parseSignedData(one);
    const si = sd.signerInfos[0]?.raw as Uint8Array;
    const many = encodeSignedData({ ...sd, signerInfos: Array.from({ length: 2_000 }, () => si) });
    const r = await verify({
      signature: many,
      content: doc,
      trust: createTrustStore(ecdsa.root.certificate),
      revocation: 'off',
    });
    expect(r.signatures).toHaveLength(2_000);
    expect(new Set(r.signatures.map((s) => s.indication))).toEqual(new Set(['TOTAL_PASSED']));
    expect(r.signatures.at(-1)?.id).toBe('S2000');
    // the same with one copy's signature value broken: only that one fails, and the report with it
    const bad = sd.signerInfos[0] as (typeof sd.signerInfos)[number];
    const value = bad.signature.slice();
    value[10] = (value[10] as number) ^ 1;
    const broken = encodeSignerInfo({ ...bad, signature: value });
    const mixed = encodeSignedData({ ...sd, signerInfos: [...Array.from({ length: 1_999 }, () => si), broken] });
    const r2 = await verify({
      signature: mixed,
      content: doc,
      trust: createTrustStore(ecdsa.root.certificate),
      revocation: 'off',
    });
    expect(verdict(r2)).toEqual(['TOTAL_FAILED', 'SIG_CRYPTO_FAILURE']);
    expect(r2.signatures.filter((s) => s.indication !== 'TOTAL_PASSED').map((s) => s.id)).toEqual(['S2000']);
  }, 120_000);

  it('a 10 MB unsigned attribute: an unknown one is ignored, as a signature time-stamp it is reported invalid', async () => {
    const sd = parseSignedData(cadesT);
    const si = sd.signerInfos[0] as (typeof sd.signerInfos)[number];
    const huge = new Uint8Array(10_000_000).fill(0xa5);
    const withAttr = (oid: string, value: Uint8Array) =>
      encodeSignedData({
        ...sd,
        signerInfos: [
          encodeSignerInfo({
            ...si,
            unsignedAttrs: { list: [...(si.unsignedAttrs?.list ?? []), { oid, values: [value] }] },
          }),
        ],
      });
    const unknown = await run(withAttr('1.2.643.100.99.7', der.octets(huge)));
    expect(verdict(unknown), why(unknown)).toEqual(['TOTAL_PASSED', undefined]);
    // a second signatureTimeStampToken of 10 MB of garbage: reported, not used; the good one still gives the time
    const stamped = await run(withAttr('1.2.840.113549.1.9.16.2.14', der.seq(der.octets(huge))));
    const [s] = stamped.signatures;
    expect(s?.timestamps.map((t) => t.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_FAILED']);
    expect(verdict(stamped), why(stamped)).toEqual(['TOTAL_PASSED', undefined]);
    expect(s?.bestSignatureTime).toBe(s?.timestamps[0]?.genTime);
  });
});
