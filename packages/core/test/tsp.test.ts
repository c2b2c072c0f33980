// RFC 3161 codecs and client checks (@eds/core/tsp): TimeStampReq encoding, TimeStampResp/TSTInfo reading, and requestTimestamp's checks through a fake Fetcher; Node and Chromium.
import { decodeDer, der, TAG } from '@eds/core/asn1';
import { gostr3411_2012_256, gostr3411_2012_512, sha256 } from '@eds/core/digests';
import { DecodeError, EdsError, TimestampError } from '@eds/core/errors';
import { FetchError } from '@eds/core/fetcher';
import { createTestCa, type IssuedCertificate } from '@eds/core/testing';
import {
  checkTimestampToken,
  createTimestampRequest,
  parseTimestampResponse,
  parseTimestampToken,
  requestTimestamp,
} from '@eds/core/tsp';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { fakeFetcher, fakeTsa, readRequest, response, type TstFields, token, tstInfo } from './_tsp-builders';

const data = new TextEncoder().encode('метка времени');
const digest = gostr3411_2012_256.digest(data);
const URL_ = 'http://tsa.test/tsp';

let tsa: IssuedCertificate;
beforeAll(async () => {
  const root = await createTestCa({ keySpec: { type: 'ecdsa', curve: 'P-256' }, profile: 'plain' });
  tsa = await root.issue({ keySpec: { type: 'ecdsa', curve: 'P-256' }, profile: 'plain' });
}, 60_000);

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => expect.unreachable('expected a rejection'),
    (e: unknown) => e,
  );
}

describe('createTimestampRequest', () => {
  it('encodes version 1, the imprint without parameters, the nonce and certReq', () => {
    const tsq = createTimestampRequest({ digest, hashAlgorithm: gostr3411_2012_256, nonce: 0x0102030405060708n });
    const r = decodeDer(tsq).read();
    expect(r.next(TAG.INTEGER, 'version').smallInt()).toBe(1);
    const imprint = r.next(TAG.SEQUENCE, 'messageImprint');
    const alg = imprint.read().next(TAG.SEQUENCE, 'hashAlgorithm');
    expect(alg.bytes).toEqual(der.seq(der.oid('1.2.643.7.1.1.2.2')));
    expect(imprint.children()[1]?.octets()).toEqual(digest);
    expect(r.next(TAG.INTEGER, 'nonce').integer()).toBe(0x0102030405060708n);
    expect(r.next(TAG.BOOLEAN, 'certReq').bool()).toBe(true);
    r.end();
  });

  it('policy, no nonce, certReq false; default nonces are positive, 8 bytes and fresh', () => {
    const tsq = createTimestampRequest({
      digest: sha256.digest(data),
      hashAlgorithm: sha256,
      nonce: false,
      certReq: false,
      policy: '1.2.643.100.1',
    });
    expect(readRequest(tsq)).toEqual({
      hashOid: sha256.oid,
      hash: sha256.digest(data),
      policy: '1.2.643.100.1',
      nonce: undefined,
      certReq: false,
    });
    const nonces = Array.from(
      { length: 20 },
      () => readRequest(createTimestampRequest({ digest, hashAlgorithm: gostr3411_2012_256 })).nonce,
    );
    for (const n of nonces) {
      expect(n).toBeGreaterThan(0n);
      expect(n).toBeLessThan(1n << 64n);
    }
    expect(new Set(nonces).size).toBe(nonces.length);
  });

  it('round-trips random digests and nonces', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 64, maxLength: 64 }),
        fc.bigInt({ min: 1n, max: (1n << 160n) - 1n }),
        (d, n) => {
          const q = readRequest(createTimestampRequest({ digest: d, hashAlgorithm: gostr3411_2012_512, nonce: n }));
          expect(q).toEqual({ hashOid: gostr3411_2012_512.oid, hash: d, nonce: n, policy: undefined, certReq: true });
        },
      ),
      { numRuns: 50 },
    );
  });

  it('refuses a digest of the wrong length and a nonce that is not positive', () => {
    expect(() => createTimestampRequest({ digest: new Uint8Array(31), hashAlgorithm: sha256 })).toThrow(RangeError);
    expect(() => createTimestampRequest({ digest, hashAlgorithm: gostr3411_2012_256, nonce: 0n })).toThrow(RangeError);
    expect(() => createTimestampRequest({ digest, hashAlgorithm: gostr3411_2012_256, nonce: -5n })).toThrow(RangeError);
    expect(() => createTimestampRequest({ digest, hashAlgorithm: gostr3411_2012_256, policy: 'x' })).toThrow(
      RangeError,
    );
  });
});

describe('parseTimestampResponse', () => {
  it('reads a granted response: TSTInfo fields, genTime with its fraction, the TSA certificate', () => {
    const accuracy = der.seq(der.int(1), der.tlv(0x80, Uint8Array.of(0, 250)), der.tlv(0x81, Uint8Array.of(7)));
    const tsaName = der.tlv(0x86, new TextEncoder().encode('http://tsa.test'));
    const tst = tstInfo({
      hashOid: gostr3411_2012_256.oid,
      hash: digest,
      nonce: 99n,
      serial: 0xabcdef0123456789abcdefn,
      accuracy,
      ordering: true,
      tsa: tsaName,
    });
    const tok = token(tst, { certificates: [tsa.certificate], signer: tsa.certificate });
    const r = parseTimestampResponse(response(0, tok));
    expect(r.status).toEqual({ status: 'granted', failInfo: [], text: [] });
    expect(r.token).toEqual(tok);
    expect(r.tsaCertificate).toEqual(tsa.certificate);
    expect(r.tstInfo).toEqual({
      version: 1,
      policy: '1.2.3.4.1',
      messageImprint: { hashAlgorithm: { oid: gostr3411_2012_256.oid }, hashedMessage: digest },
      serialNumber: 0xabcdef0123456789abcdefn,
      genTime: new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 678)),
      accuracy: { seconds: 1, millis: 250, micros: 7 },
      ordering: true,
      nonce: 99n,
      tsa: { type: 'uniformResourceIdentifier', value: 'http://tsa.test' },
      extensions: undefined,
    });
    const t = parseTimestampToken(tok);
    expect(t.tstInfoDer).toEqual(tst);
    expect(t.certificates).toEqual([tsa.certificate]);
  });

  it('finds the TSA certificate by subjectKeyIdentifier too', () => {
    const tok = token(tstInfo({ hashOid: sha256.oid, hash: sha256.digest(data) }), {
      certificates: [tsa.certificate],
      signer: tsa.certificate,
      bySki: true,
    });
    expect(parseTimestampToken(tok).tsaCertificate).toEqual(tsa.certificate);
  });

  it('reads a rejection with its failure bits and texts', () => {
    const r = parseTimestampResponse(
      response(2, undefined, { text: ['bad algorithm', 'try SHA-256'], failBits: [0, 5, 25, 30] }),
    );
    expect(r.status).toEqual({
      status: 'rejection',
      failInfo: ['badAlg', 'badDataFormat', 'systemFailure', 'bit30'],
      text: ['bad algorithm', 'try SHA-256'],
    });
    expect(r.token).toBeUndefined();
    expect(r.tstInfo).toBeUndefined();
  });

  it('refuses a token that is not a TSTInfo, has two SignerInfos, or a TSTInfo of version 2', () => {
    const tst = tstInfo({ hashOid: sha256.oid, hash: sha256.digest(data) });
    expect(() => parseTimestampToken(token(tst, { contentType: '1.2.840.113549.1.7.1' }))).toThrow(DecodeError);
    expect(() => parseTimestampToken(token(tst, { signerCount: 2 }))).toThrow(/one SignerInfo/);
    const v2 = der.seq(
      der.int(2),
      ...decodeDer(tst)
        .children()
        .slice(1)
        .map((c) => c.bytes),
    );
    expect(() => parseTimestampToken(token(v2))).toThrow(DecodeError);
    expect(() => parseTimestampResponse(response(9))).toThrow(DecodeError);
  });

  it('garbage and every truncation give DecodeError, never another error', () => {
    const good = response(
      0,
      token(tstInfo({ hashOid: sha256.oid, hash: sha256.digest(data), nonce: 5n }), {
        certificates: [tsa.certificate],
        signer: tsa.certificate,
      }),
    );
    for (let n = 0; n < good.length; n++)
      expect(() => parseTimestampResponse(good.subarray(0, n))).toThrow(DecodeError);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          parseTimestampResponse(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
        }
      }),
      { numRuns: 300 },
    );
    // single-byte corruptions of a valid response: parsed or DecodeError
    fc.assert(
      fc.property(fc.nat({ max: good.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, x) => {
        const bad = good.slice();
        bad[at] = (bad[at] as number) ^ x;
        try {
          parseTimestampResponse(bad);
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('requestTimestamp with a fake Fetcher', () => {
  const ask = (fetcher: ReturnType<typeof fakeFetcher>, extra: { policy?: string; certReq?: boolean } = {}) =>
    requestTimestamp({ url: URL_, fetcher, digest, hashAlgorithm: gostr3411_2012_256, ...extra });

  it('posts application/timestamp-query and returns the checked token', async () => {
    const fetcher = fakeTsa(tsa.certificate);
    const r = await ask(fetcher);
    expect(fetcher.requests).toHaveLength(1);
    expect(fetcher.requests[0]).toMatchObject({
      contentType: 'application/timestamp-query',
      accept: 'application/timestamp-reply',
    });
    const q = readRequest(fetcher.requests[0]?.body as Uint8Array);
    expect(r.tstInfo.nonce).toBe(q.nonce);
    expect(r.tstInfo.messageImprint.hashedMessage).toEqual(digest);
    expect(r.tsaCertificate).toEqual(tsa.certificate);
    expect(checkTimestampToken(r.token, { digest, hashAlgorithm: gostr3411_2012_256 }).tstInfo.nonce).toBe(q.nonce);
    // NULL parameters in the token's hash algorithm are the same algorithm
    await expect(ask(fakeTsa(tsa.certificate, (f) => ({ ...f, nullParams: true })))).resolves.toBeDefined();
  });

  const cases: [string, (f: TstFields) => TstFields, string][] = [
    ['a wrong nonce', (f) => ({ ...f, nonce: (f.nonce as bigint) + 1n }), 'ERR_TSA_MISMATCH'],
    ['no nonce', (f) => ({ ...f, nonce: undefined }), 'ERR_TSA_MISMATCH'],
    ['a wrong imprint', (f) => ({ ...f, hash: f.hash.map((b, i) => (i === 0 ? b ^ 1 : b)) }), 'ERR_TSA_MISMATCH'],
    [
      'another hash algorithm',
      (f) => ({ ...f, hashOid: gostr3411_2012_512.oid, hash: new Uint8Array(64) }),
      'ERR_TSA_MISMATCH',
    ],
  ];
  for (const [what, tweak, code] of cases) {
    it(`${what}: TimestampError ${code}`, async () => {
      const e = await failure(ask(fakeTsa(tsa.certificate, tweak)));
      expect(e).toBeInstanceOf(TimestampError);
      expect(e).toMatchObject({ code });
    });
  }

  it('another policy than asked: ERR_TSA_MISMATCH', async () => {
    const e = await failure(
      ask(
        fakeTsa(tsa.certificate, (f) => ({ ...f, policy: '1.2.3' })),
        { policy: '1.2.4' },
      ),
    );
    expect(e).toMatchObject({ code: 'ERR_TSA_MISMATCH' });
  });

  it('a rejection: ERR_TSA_REJECTED with status, failInfo and text', async () => {
    const fetcher = fakeFetcher(() => ({ body: response(2, undefined, { text: ['no'], failBits: [15] }) }));
    const e = await failure(ask(fetcher));
    expect(e).toBeInstanceOf(TimestampError);
    expect(e).toMatchObject({
      code: 'ERR_TSA_REJECTED',
      status: 'rejection',
      failInfo: ['unacceptedPolicy'],
      statusText: 'no',
    });
  });

  it('granted without a token, no TSA certificate though asked, wrong content type or status: ERR_TSA_BAD_RESPONSE', async () => {
    const noToken = fakeFetcher(() => ({ body: response(0) }));
    expect(await failure(ask(noToken))).toMatchObject({ code: 'ERR_TSA_BAD_RESPONSE' });
    const noCert = fakeTsa(tsa.certificate, undefined, { certificates: [] });
    expect(await failure(ask(noCert))).toMatchObject({ code: 'ERR_TSA_BAD_RESPONSE' });
    await expect(
      ask(fakeTsa(tsa.certificate, undefined, { certificates: [] }), { certReq: false }),
    ).resolves.toBeDefined();
    const good = fakeTsa(tsa.certificate);
    const html: ReturnType<typeof fakeFetcher> = {
      requests: [],
      fetch: async (url, req) => ({ ...(await good.fetch(url, req)), contentType: 'text/html' }),
    };
    expect(await failure(ask(html))).toMatchObject({ code: 'ERR_TSA_BAD_RESPONSE' });
    const noContent: ReturnType<typeof fakeFetcher> = {
      requests: [],
      fetch: async (url, req) => ({ ...(await good.fetch(url, req)), status: 204 }),
    };
    expect(await failure(ask(noContent))).toMatchObject({ code: 'ERR_TSA_BAD_RESPONSE' });
  });

  it('garbage and truncated bodies: TimestampError ERR_TSA_BAD_RESPONSE with the DecodeError as cause, never another error', async () => {
    const full = response(
      0,
      token(tstInfo({ hashOid: gostr3411_2012_256.oid, hash: digest }), {
        certificates: [tsa.certificate],
        signer: tsa.certificate,
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          fc.nat({ max: full.length - 1 }).map((n) => full.subarray(0, n)),
        ),
        async (body) => {
          const e = await failure(ask(fakeFetcher(() => ({ body }))));
          expect(e).toBeInstanceOf(TimestampError);
          expect(e).toMatchObject({ code: 'ERR_TSA_BAD_RESPONSE' });
          expect((e as TimestampError).cause).toBeInstanceOf(DecodeError);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('FetchErrors of the Fetcher pass through unchanged; a missing Fetcher is a TypeError', async () => {
    const refused = new FetchError('ERR_FETCH_TIMEOUT', URL_, 'timed out');
    const e = await failure(ask({ requests: [], fetch: () => Promise.reject(refused) }));
    expect(e).toBe(refused);
    expect(e).toBeInstanceOf(EdsError);
    await expect(
      requestTimestamp({ url: URL_, fetcher: undefined as never, digest, hashAlgorithm: gostr3411_2012_256 }),
    ).rejects.toThrow(TypeError);
  });

  it('checkTimestampToken: garbage is ERR_TSA_BAD_RESPONSE, another digest ERR_TSA_MISMATCH', () => {
    const tok = token(tstInfo({ hashOid: gostr3411_2012_256.oid, hash: digest }));
    expect(() => checkTimestampToken(new Uint8Array([1, 2, 3]), { digest, hashAlgorithm: gostr3411_2012_256 })).toThrow(
      expect.objectContaining({ code: 'ERR_TSA_BAD_RESPONSE' }),
    );
    expect(() => checkTimestampToken(tok, { digest: new Uint8Array(32), hashAlgorithm: gostr3411_2012_256 })).toThrow(
      expect.objectContaining({ code: 'ERR_TSA_MISMATCH' }),
    );
    expect(() => checkTimestampToken(tok, { digest, hashAlgorithm: gostr3411_2012_256, certReq: true })).toThrow(
      expect.objectContaining({ code: 'ERR_TSA_BAD_RESPONSE' }),
    );
  });
});
