// CAdES-T assembly (@eds/core/cades): the signature-time-stamp attribute over the signature value, added without touching other bytes; TSA failures reject; Node and Chromium.

import { type Der, decodeDer, TAG } from '@eds/core/asn1';
import { addSignatureTimestamp, OID_SIGNATURE_TIMESTAMP_TOKEN, signCades } from '@eds/core/cades';
import { signCms } from '@eds/core/cms';
import { gostr3411_2012_256, sha512 } from '@eds/core/digests';
import { DecodeError, TimestampError } from '@eds/core/errors';
import { createTestCa, type IssuedCertificate } from '@eds/core/testing';
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
