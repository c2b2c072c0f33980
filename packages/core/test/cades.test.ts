// CAdES-T assembly (@eds/core/cades): the signature-time-stamp attribute over the signature value, added without touching other bytes; TSA failures reject; Node and Chromium.

import { type Der, decodeDer, TAG } from '@eds/core/asn1';
import {
  addSignatureTimestamp,
  addValidationData,
  OID_CERTIFICATE_VALUES,
  OID_COMPLETE_CERTIFICATE_REFS,
  OID_COMPLETE_REVOCATION_REFS,
  OID_ESC_TIMESTAMP,
  OID_REVOCATION_VALUES,
  OID_SIGNATURE_TIMESTAMP_TOKEN,
  signCades,
  type ValidationDataRequest,
} from '@eds/core/cades';
import { signCms } from '@eds/core/cms';
import { gostr3411_2012_256, sha256, sha512 } from '@eds/core/digests';
import { DecodeError, TimestampError } from '@eds/core/errors';
import { createTestCa, type IssuedCertificate, type TestCa } from '@eds/core/testing';
import { parseTimestampToken } from '@eds/core/tsp';
import type { DigestAlgorithm } from '@eds/core/types';
import { beforeAll, describe, expect, it } from 'vitest';
import { fakeFetcher, fakeTsa, token, tstInfo } from './_tsp-builders';

const doc = new TextEncoder().encode('документ');
let gost: IssuedCertificate;
let ecdsa: IssuedCertificate;
let tsa: IssuedCertificate;

beforeAll(async () => {
  const g = await createTestCa({ keySpec: { type: 'gost2012-256' } });
  gost = await g.issue();
  const e = await createTestCa({ keySpec: { type: 'ecdsa', curve: 'P-256' }, profile: 'plain' });
  ecdsa = await e.issue();
  tsa = await e.issue({ profile: 'plain' });
}, 60_000);

/** A time-stamp source that records what it was asked and answers a well-formed (unsigned-for-real) token. */
function recordingSource() {
  const calls: { digest: Uint8Array; hashAlgorithm: DigestAlgorithm }[] = [];
  const source = async (digest: Uint8Array, hashAlgorithm: DigestAlgorithm) => {
    calls.push({ digest, hashAlgorithm });
    return token(tstInfo({ hashOid: hashAlgorithm.oid, hash: digest }));
  };
  return { calls, source };
}

interface SignerInfoView {
  raw: Der;
  fields: Der[];
  signature: Uint8Array;
  tokens: Uint8Array[];
}

function signerInfos(cms: Uint8Array): SignerInfoView[] {
  const sd = (decodeDer(cms).children()[1] as Der).explicit(0).children();
  return (sd[sd.length - 1] as Der).children().map((raw) => {
    const fields = raw.children();
    const unsigned = fields.find((f) => f.tag === 0xa1);
    const tokens = (unsigned?.children() ?? [])
      .filter((a) => a.children()[0]?.oid() === OID_SIGNATURE_TIMESTAMP_TOKEN)
      .flatMap((a) => (a.children()[1] as Der).children().map((v) => v.bytes));
    return { raw, fields, signature: (fields.find((f) => f.tag === TAG.OCTET_STRING) as Der).octets(), tokens };
  });
}

/** The SignedData fields before signerInfos. */
function head(cms: Uint8Array): Uint8Array[] {
  return (decodeDer(cms).children()[1] as Der)
    .explicit(0)
    .children()
    .slice(0, -1)
    .map((f) => f.bytes);
}

describe('addSignatureTimestamp', () => {
  it('time-stamps the hash of the signature value with the signer digest and adds one unsigned attribute', async () => {
    const bes = await signCms({ content: doc, signers: [gost.signer], detached: true });
    const { calls, source } = recordingSource();
    const t = await addSignatureTimestamp(bes, { tsa: source });
    const [before] = signerInfos(bes) as [SignerInfoView];
    const [after] = signerInfos(t) as [SignerInfoView];
    expect(calls).toHaveLength(1);
    expect(calls[0]?.hashAlgorithm).toBe(gostr3411_2012_256);
    expect(calls[0]?.digest).toEqual(gostr3411_2012_256.digest(before.signature));
    expect(after.fields.slice(0, -1).map((f) => f.bytes)).toEqual(before.fields.map((f) => f.bytes));
    expect(after.fields[after.fields.length - 1]?.tag).toBe(0xa1);
    expect(after.tokens).toHaveLength(1);
    expect(parseTimestampToken(after.tokens[0] as Uint8Array).tstInfo.messageImprint.hashedMessage).toEqual(
      calls[0]?.digest,
    );
    expect(head(t)).toEqual(head(bes));
  });

  it('an explicit hash, a chosen signer of two, and a second time-stamp after the first', async () => {
    const bes = await signCms({ content: doc, signers: [gost.signer, ecdsa.signer] });
    const { calls, source } = recordingSource();
    const before = signerInfos(bes);
    const t1 = await addSignatureTimestamp(bes, { tsa: source, signerIndex: 1, hashAlgorithm: sha512 });
    expect(calls[0]?.digest).toEqual(sha512.digest(before[1]?.signature as Uint8Array));
    const after = signerInfos(t1);
    const untouched = after.find((s) => s.tokens.length === 0) as SignerInfoView;
    const stamped = after.find((s) => s.tokens.length === 1) as SignerInfoView;
    expect(untouched.raw.bytes).toEqual(before[0]?.raw.bytes);
    expect(stamped.signature).toEqual(before[1]?.signature);
    const again = await addSignatureTimestamp(t1, { tsa: source, signerIndex: after.indexOf(stamped) });
    const twice = signerInfos(again).find((s) => s.tokens.length === 2);
    expect(twice?.tokens.map((x) => parseTimestampToken(x).tstInfo.messageImprint.hashAlgorithm.oid).sort()).toEqual(
      [(stamped.fields[2] as Der).read().next(TAG.OID, 'digestAlgorithm').oid(), sha512.oid].sort(),
    );
    expect(head(again)).toEqual(head(bes));
  });

  it('a TSA endpoint goes through requestTimestamp and its checks', async () => {
    const bes = await signCms({ content: doc, signers: [ecdsa.signer], detached: true });
    const fetcher = fakeTsa(tsa.certificate);
    const t = await addSignatureTimestamp(bes, { tsa: { url: 'http://tsa.test/', fetcher } });
    expect(fetcher.requests).toHaveLength(1);
    expect(signerInfos(t)[0]?.tokens).toHaveLength(1);
    const wrongNonce = fakeTsa(tsa.certificate, (f) => ({ ...f, nonce: 7n }));
    await expect(
      addSignatureTimestamp(bes, { tsa: { url: 'http://tsa.test/', fetcher: wrongNonce } }),
    ).rejects.toMatchObject({
      code: 'ERR_TSA_MISMATCH',
    });
  });

  it('a token over something else, garbage, or a failing source rejects with a typed error', async () => {
    const bes = await signCms({ content: doc, signers: [gost.signer], detached: true });
    const other = async (_d: Uint8Array, h: DigestAlgorithm) =>
      token(tstInfo({ hashOid: h.oid, hash: new Uint8Array(h.size) }));
    const e1 = await addSignatureTimestamp(bes, { tsa: other }).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(TimestampError);
    expect(e1).toMatchObject({ code: 'ERR_TSA_MISMATCH' });
    const garbage = async () => new Uint8Array([0x30, 0x01, 0x00]);
    await expect(addSignatureTimestamp(bes, { tsa: garbage })).rejects.toMatchObject({ code: 'ERR_TSA_BAD_RESPONSE' });
    const notBytes = async () => 'token' as unknown as Uint8Array;
    await expect(addSignatureTimestamp(bes, { tsa: notBytes })).rejects.toMatchObject({ code: 'ERR_TSA_BAD_RESPONSE' });
    const boom = new Error('token service down');
    await expect(addSignatureTimestamp(bes, { tsa: () => Promise.reject(boom) })).rejects.toBe(boom);
    const rejected = fakeFetcher(() => ({ body: new Uint8Array([0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x02]) }));
    await expect(
      addSignatureTimestamp(bes, { tsa: { url: 'http://tsa.test/', fetcher: rejected } }),
    ).rejects.toMatchObject({
      code: 'ERR_TSA_REJECTED',
    });
  });

  it('bad input: not a SignedData, a signer index past the end, an aborted signal', async () => {
    const { source } = recordingSource();
    await expect(addSignatureTimestamp(new Uint8Array([1, 2, 3]), { tsa: source })).rejects.toThrow(DecodeError);
    const bes = await signCms({ content: doc, signers: [gost.signer], detached: true });
    await expect(addSignatureTimestamp(bes.subarray(0, bes.length - 1), { tsa: source })).rejects.toThrow(DecodeError);
    await expect(addSignatureTimestamp(bes, { tsa: source, signerIndex: 1 })).rejects.toThrow(RangeError);
    await expect(addSignatureTimestamp(bes, { tsa: source, signerIndex: -1 })).rejects.toThrow(RangeError);
    const reason = new Error('stop');
    await expect(addSignatureTimestamp(bes, { tsa: source, signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });
});

describe('signCades', () => {
  it('BES is signCms; T time-stamps every signer', async () => {
    const signingTime = new Date(Date.UTC(2025, 5, 1));
    const bes = await signCades({ content: doc, signers: [gost.signer], level: 'BES', signingTime });
    expect(signerInfos(bes)[0]?.tokens).toEqual([]);
    const { calls, source } = recordingSource();
    const t = await signCades({
      content: doc,
      signers: [gost.signer, ecdsa.signer],
      detached: true,
      level: 'T',
      tsa: source,
    });
    expect(calls.map((c) => c.hashAlgorithm.name).sort()).toEqual(['sha256', 'streebog256']);
    for (const si of signerInfos(t)) expect(si.tokens).toHaveLength(1);
  });

  it('refuses level T without a TSA, unknown levels and plain CMS; a failing TSA leaves no output', async () => {
    await expect(signCades({ content: doc, signers: [gost.signer], level: 'T' })).rejects.toThrow(TypeError);
    await expect(signCades({ content: doc, signers: [gost.signer], level: 'X' as 'T' })).rejects.toThrow(TypeError);
    const { source } = recordingSource();
    await expect(
      signCades({ content: doc, signers: [gost.signer], level: 'T', tsa: source, signedAttributes: false }),
    ).rejects.toThrow(TypeError);
    let second = false;
    const failsSecond = async (d: Uint8Array, h: DigestAlgorithm) => {
      if (second) throw new TimestampError('ERR_TSA_REJECTED', 'no');
      second = true;
      return token(tstInfo({ hashOid: h.oid, hash: d }));
    };
    const result = await signCades({
      content: doc,
      signers: [gost.signer, ecdsa.signer],
      level: 'T',
      tsa: failsSecond,
    }).catch((e: unknown) => e);
    expect(result).toBeInstanceOf(TimestampError);
  });
});

describe('CAdES-X Long Type 1 and B-LT from caller data', () => {
  let root: TestCa;
  let ca: TestCa;
  let leaf: IssuedCertificate;
  let data: { certificates: Uint8Array[]; crls: Uint8Array[]; ocspResponses: Uint8Array[] };

  beforeAll(async () => {
    root = await createTestCa({ keySpec: { type: 'ecdsa', curve: 'P-256' }, profile: 'plain' });
    ca = await root.issueIntermediate();
    leaf = await ca.issue({ profile: 'plain' });
    data = {
      certificates: [root.certificate, ca.certificate],
      crls: [await root.createCrl()],
      ocspResponses: [await ca.createOcspResponse({ request: [{ certificate: leaf.certificate }] })],
    };
  }, 60_000);

  const unsignedTypes = (cms: Uint8Array, i = 0) =>
    (
      signerInfos(cms)
        [i]?.fields.find((f) => f.tag === 0xa1)
        ?.children() ?? []
    ).map((a) => a.children()[0]?.oid());

  it('signCades XLT1: the callback is asked per signer; the CAdES-C time-stamp is over signature, sigTS and refs', async () => {
    const { calls, source } = recordingSource();
    const asked: Uint8Array[] = [];
    const revocation = async (r: ValidationDataRequest) => {
      asked.push(r.signerCertificate);
      expect(r.timestampTokens).toHaveLength(1);
      return data;
    };
    const xlt1 = await signCades({ content: doc, signers: [leaf.signer], level: 'XLT1', tsa: source, revocation });
    expect(asked.map((c) => c.length)).toEqual([leaf.certificate.length]);
    expect(unsignedTypes(xlt1)).toEqual([
      OID_SIGNATURE_TIMESTAMP_TOKEN,
      OID_COMPLETE_CERTIFICATE_REFS,
      OID_COMPLETE_REVOCATION_REFS,
      OID_ESC_TIMESTAMP,
      OID_CERTIFICATE_VALUES,
      OID_REVOCATION_VALUES,
    ]);
    const si = signerInfos(xlt1)[0] as SignerInfoView;
    const attrs = (si.fields.find((f) => f.tag === 0xa1) as Der).children();
    const covered = [si.signature, ...attrs.slice(0, 3).map((a) => a.value)];
    const expected = sha256.digest(Uint8Array.from(covered.flatMap((b) => [...b])));
    expect(calls).toHaveLength(2);
    expect(calls[1]?.digest).toEqual(expected);
    // raising the same SignerInfo again is refused; B-LT on top of it is not
    await expect(addValidationData(xlt1, { level: 'XLT1', tsa: source, revocation: data })).rejects.toThrow(TypeError);
    const lt = await addValidationData(xlt1, { level: 'LT', revocation: data });
    const again = await addValidationData(lt, { level: 'LT', revocation: data });
    expect(again).toEqual(lt);
  });

  it('refuses what cannot make a complete X-Long: typed errors, nothing returned', async () => {
    const { source } = recordingSource();
    const bes = await signCades({ content: doc, signers: [leaf.signer], level: 'BES' });
    const t = await signCades({ content: doc, signers: [leaf.signer], level: 'T', tsa: source });
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'resolved',
        (e: { code?: string; name: string }) => e.code ?? e.name,
      );
    const xlt1 = (revocation: Partial<typeof data>) =>
      code(addValidationData(t, { level: 'XLT1', tsa: source, revocation: { certificates: [], ...revocation } }));
    expect(await code(addValidationData(bes, { level: 'LT', revocation: data }))).toBe('TypeError');
    expect(await code(addValidationData(t, { level: 'XLT1', revocation: data }))).toBe('TypeError');
    expect(await code(signCades({ content: doc, signers: [leaf.signer], level: 'XLT1', tsa: source }))).toBe(
      'TypeError',
    );
    expect(await code(addValidationData(t, { level: 'LT', revocation: data, signerIndex: 1 }))).toBe('RangeError');
    // the issuer is missing; the root's CRL is missing; an OCSP answer of unknown covers nothing
    expect(await xlt1({ ...data, certificates: [root.certificate] })).toBe('ERR_VALIDATION_DATA_INCOMPLETE');
    expect(await xlt1({ ...data, crls: [] })).toBe('ERR_VALIDATION_DATA_INCOMPLETE');
    const unknown = await ca.createOcspResponse({ request: [{ certificate: leaf.certificate }], status: 'unknown' });
    expect(await xlt1({ ...data, ocspResponses: [unknown] })).toBe('ERR_VALIDATION_DATA_INCOMPLETE');
    // unusable data
    const tryLater = await ca.createOcspResponse({ responseStatus: 'tryLater' });
    expect(await xlt1({ ...data, ocspResponses: [tryLater] })).toBe('ERR_VALIDATION_DATA_UNUSABLE');
    expect(await xlt1({ ...data, crls: [new Uint8Array([0x30, 0x03, 1, 2, 3])] })).toBe('ERR_VALIDATION_DATA_UNUSABLE');
    // revoked by OCSP, and on hold by the CA's CRL (which then covers the leaf instead of OCSP)
    const revoked = await ca.createOcspResponse({ request: [{ certificate: leaf.certificate }], status: 'revoked' });
    expect(await xlt1({ ...data, ocspResponses: [revoked] })).toBe('ERR_VALIDATION_DATA_REVOKED');
    const other = await ca.issue({ profile: 'plain' });
    ca.revoke(other.certificate, { reason: 'certificateHold' });
    const held = await signCades({ content: doc, signers: [other.signer], level: 'T', tsa: source });
    const heldData = { ...data, ocspResponses: [], crls: [...data.crls, await ca.createCrl()] };
    expect(await code(addValidationData(held, { level: 'LT', revocation: heldData }))).toBe(
      'ERR_VALIDATION_DATA_REVOKED',
    );
  });
});
