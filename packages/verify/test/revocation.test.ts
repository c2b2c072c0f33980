// createRevocationChecker with supplied data and an injected in-memory Fetcher: order, fallback, cache, modes, abort.

import { der } from '@eds/core/asn1';
import { parseCrl } from '@eds/core/crl';
import { base64Decode } from '@eds/core/encoding';
import { FetchError, type Fetcher, type FetchRequest } from '@eds/core/fetcher';
import { parseOcspRequest } from '@eds/core/ocsp';
import { type Certificate, parseCertificate } from '@eds/core/x509';
import { createMemoryCache, crlCacheKey } from '@eds/verify/cache';
import { createRevocationChecker } from '@eds/verify/revocation';
import type { RevocationContext, ValidatedPath } from '@eds/verify/types';
import { beforeAll, describe, expect, it } from 'vitest';
import { DAY, HOUR, KEY_SPECS, makePki, type Pki, T0 } from './_revocation-pki';

const AT = new Date(T0.getTime() + HOUR);
const CRL_URL = 'http://crl.test.invalid/ca.crl';
const OCSP_URL = 'http://ocsp.test.invalid/';

function context(pki: Pki, leaf: Certificate, extra: Partial<RevocationContext> = {}): RevocationContext {
  return {
    time: AT,
    path: [leaf, pki.caCert, pki.rootCert],
    index: 0,
    validateSigner: async (c): Promise<ValidatedPath> => ({
      certificates: [c],
      anchor: { certificate: pki.rootCert },
      time: AT,
      policies: [],
      revocation: [],
    }),
    ...extra,
  };
}

interface Call {
  readonly url: string;
  readonly request: FetchRequest;
}

/** A Fetcher answering from a table of handlers by URL prefix, recording every call. */
function fakeFetcher(
  handlers: Record<string, (url: string, request: FetchRequest) => Promise<Uint8Array> | Uint8Array>,
) {
  const calls: Call[] = [];
  const fetcher: Fetcher = {
    async fetch(url, request = {}) {
      calls.push({ url, request });
      const key = Object.keys(handlers).find((k) => url.startsWith(k));
      if (!key) throw new FetchError('ERR_FETCH_NETWORK', url, 'no route');
      const body = await (handlers[key] as (u: string, r: FetchRequest) => Promise<Uint8Array> | Uint8Array)(
        url,
        request,
      );
      return { url, status: 200, contentType: undefined, body };
    },
  };
  return { fetcher, calls };
}

const fail = () => {
  throw new FetchError('ERR_FETCH_STATUS', 'x', 'HTTP status 500', { status: 500 });
};

describe.each(KEY_SPECS)('createRevocationChecker with %s', (_label, keySpec) => {
  let pki: Pki;
  beforeAll(async () => {
    pki = await makePki(keySpec, { crlUrl: CRL_URL, ocspUrl: OCSP_URL });
  });

  const ocspAnswer =
    (time = T0) =>
    async (_url: string, req: FetchRequest) =>
      pki.ca.createOcspResponse({ request: req.body ?? requestFromGet(_url), time });

  it('offline: supplied CRLs and OCSP responses, in the asked order, with their source', async () => {
    const { cert } = await pki.leaf();
    const crl = await pki.ca.createCrl({ thisUpdate: T0 });
    const rootCrl = await pki.root.createCrl({ thisUpdate: T0 });
    const ocsp = await pki.ca.createOcspResponse({ request: [{ certificate: cert.raw }], time: T0 });
    const both = { crls: [rootCrl, crl], ocspResponses: [ocsp] };
    const first = await createRevocationChecker({ data: both })(cert, pki.caCert, context(pki, cert));
    expect(first).toMatchObject({ status: 'good', source: 'embedded-ocsp', evidence: ocsp });
    const crlFirst = await createRevocationChecker({ data: both, order: ['crl', 'ocsp'] })(
      cert,
      pki.caCert,
      context(pki, cert),
    );
    expect(crlFirst).toMatchObject({ status: 'good', source: 'embedded-crl', evidence: crl });
    const caByRoot = await createRevocationChecker({ data: both })(pki.caCert, pki.rootCert, {
      ...context(pki, cert),
      index: 1,
    });
    expect(caByRoot).toMatchObject({ status: 'good', source: 'embedded-crl', evidence: rootCrl });
  });

  it('offline without data: unknown, and nothing is fetched', async () => {
    const { cert } = await pki.leaf();
    const checker = createRevocationChecker({});
    expect(checker.mode).toBe('require');
    const r = await checker(cert, pki.caCert, context(pki, cert));
    expect(r).toMatchObject({ status: 'unknown', source: 'none', detail: expect.stringMatching(/offline/) });
    const prefer = createRevocationChecker({ mode: 'prefer' });
    expect(prefer.mode).toBe('prefer');
    expect((await prefer(cert, pki.caCert, context(pki, cert))).status).toBe('unknown');
    const off = createRevocationChecker({ mode: 'off', data: { crls: [await pki.ca.createCrl({ thisUpdate: T0 })] } });
    expect(await off(cert, pki.caCert, context(pki, cert))).toMatchObject({ status: 'unknown', detail: /off/ });
  });

  it('online: OCSP first by POST with a nonce; evidence and URL in the result', async () => {
    const { cert } = await pki.leaf();
    const { fetcher, calls } = fakeFetcher({ [OCSP_URL]: ocspAnswer() });
    const r = await createRevocationChecker({ fetcher })(cert, pki.caCert, context(pki, cert));
    expect(r).toMatchObject({ status: 'good', source: 'ocsp', url: OCSP_URL });
    expect(calls.length).toBe(1);
    expect(calls[0]?.request.contentType).toBe('application/ocsp-request');
    const sent = parseOcspRequest(calls[0]?.request.body as Uint8Array);
    expect(sent.nonce?.length).toBe(32);
    expect(sent.requests[0]?.certId.serialNumber).toBe(cert.serialNumber);
  });

  it('online: a responder echoing another nonce is not believed; the CRL answers', async () => {
    const { cert, serial } = await pki.leaf();
    pki.ca.revoke(serial, { reason: 'keyCompromise', time: new Date(T0.getTime() - HOUR) });
    const crl = await pki.ca.createCrl({ thisUpdate: T0 });
    const { fetcher } = fakeFetcher({
      [OCSP_URL]: async (_u, req) =>
        pki.ca.createOcspResponse({ request: req.body as Uint8Array, time: T0, nonce: Uint8Array.of(1) }),
      [CRL_URL]: () => crl,
    });
    const r = await createRevocationChecker({ fetcher })(cert, pki.caCert, context(pki, cert));
    expect(r).toMatchObject({ status: 'revoked', source: 'crl', url: CRL_URL, reason: 'keyCompromise' });
  });

  it('online: GET when asked, without a nonce', async () => {
    const { cert } = await pki.leaf();
    const { fetcher, calls } = fakeFetcher({ [OCSP_URL]: ocspAnswer() });
    const r = await createRevocationChecker({ fetcher, ocspGet: true })(cert, pki.caCert, context(pki, cert));
    expect(r.status).toBe('good');
    expect(calls[0]?.request.body).toBeUndefined();
    expect(parseOcspRequest(requestFromGet(calls[0]?.url as string)).nonce).toBeUndefined();
  });

  it('falls back to the CRL when OCSP fails, and reports every attempt when both fail', async () => {
    const { cert } = await pki.leaf();
    const crl = await pki.ca.createCrl({ thisUpdate: T0 });
    const withCrl = fakeFetcher({ [OCSP_URL]: fail, [CRL_URL]: () => crl });
    const r = await createRevocationChecker({ fetcher: withCrl.fetcher })(cert, pki.caCert, context(pki, cert));
    expect(r).toMatchObject({ status: 'good', source: 'crl', url: CRL_URL, evidence: crl });
    expect(withCrl.calls.map((c) => c.url)).toEqual([OCSP_URL, CRL_URL]);
    const none = fakeFetcher({ [OCSP_URL]: fail, [CRL_URL]: () => Uint8Array.of(0x30, 0x00) });
    const u = await createRevocationChecker({ fetcher: none.fetcher })(cert, pki.caCert, context(pki, cert));
    expect(u.status).toBe('unknown');
    expect(u.detail).toContain(`OCSP ${OCSP_URL}`);
    expect(u.detail).toContain(`CRL ${CRL_URL}`);
  });

  it('the caller-chosen order asks the CRL first', async () => {
    const { cert } = await pki.leaf();
    const crl = await pki.ca.createCrl({ thisUpdate: T0 });
    const { fetcher, calls } = fakeFetcher({ [OCSP_URL]: ocspAnswer(), [CRL_URL]: () => crl });
    const r = await createRevocationChecker({ fetcher, order: ['crl', 'ocsp'] })(cert, pki.caCert, context(pki, cert));
    expect(r.source).toBe('crl');
    expect(calls.map((c) => c.url)).toEqual([CRL_URL]);
  });

  it('a cache hit avoids a second download', async () => {
    const a = await pki.leaf();
    const b = await pki.leaf();
    const crl = await pki.ca.createCrl({ thisUpdate: T0 });
    const { fetcher, calls } = fakeFetcher({ [CRL_URL]: () => crl, [OCSP_URL]: ocspAnswer() });
    const checker = createRevocationChecker({ fetcher, cache: createMemoryCache({ now: () => T0.getTime() }) });
    await checker(a.cert, pki.caCert, context(pki, a.cert));
    await checker(a.cert, pki.caCert, context(pki, a.cert));
    expect(calls.length).toBe(1);
    const crlFirst = createRevocationChecker({
      fetcher,
      order: ['crl'],
      cache: createMemoryCache({ now: () => T0.getTime() }),
    });
    expect((await crlFirst(a.cert, pki.caCert, context(pki, a.cert))).status).toBe('good');
    expect((await crlFirst(b.cert, pki.caCert, context(pki, b.cert))).status).toBe('good');
    expect(calls.filter((c) => c.url === CRL_URL).length).toBe(1);
  });

  it('of several supplied OCSP responses, revoked wins over an older good', async () => {
    const { cert, serial } = await pki.leaf();
    const before = await pki.ca.createOcspResponse({ request: [{ certificate: cert.raw }], time: T0 });
    pki.ca.revoke(serial, { reason: 'keyCompromise', time: new Date(T0.getTime() + 60_000) });
    const after = await pki.ca.createOcspResponse({
      request: [{ certificate: cert.raw }],
      time: new Date(T0.getTime() + 120_000),
    });
    for (const ocspResponses of [
      [before, after],
      [after, before],
    ]) {
      const r = await createRevocationChecker({ data: { ocspResponses } })(cert, pki.caCert, context(pki, cert));
      expect(r).toMatchObject({ status: 'revoked', source: 'embedded-ocsp', evidence: after });
    }
  });

  it('online delta CRLs from freshestCRL lift a hold', async () => {
    const DELTA_URL = 'http://crl.test.invalid/delta.crl';
    const freshest = der.seq(der.seq(der.explicit(0, der.tlv(0xa0, der.implicit(6, der.ia5(DELTA_URL))))));
    const { cert, serial } = await pki.leaf({ extensions: [{ oid: '2.5.29.46', value: freshest }] });
    pki.ca.revoke(serial, { reason: 'certificateHold', time: new Date(T0.getTime() - HOUR) });
    const base = await pki.ca.createCrl({ thisUpdate: T0 });
    const number = parseCrl(base).crlNumber as bigint;
    pki.ca.revoke(serial, { reason: 'removeFromCRL', time: new Date(T0.getTime() + 60_000) });
    const delta = await pki.ca.createCrl({ thisUpdate: new Date(T0.getTime() + 120_000), delta: number });
    const withDelta = fakeFetcher({ [CRL_URL]: () => base, [DELTA_URL]: () => delta });
    const r = await createRevocationChecker({ fetcher: withDelta.fetcher, order: ['crl'] })(
      cert,
      pki.caCert,
      context(pki, cert),
    );
    expect(r).toMatchObject({ status: 'good', source: 'crl', evidence: base, deltaEvidence: delta });
    expect(withDelta.calls.map((c) => c.url)).toEqual([CRL_URL, DELTA_URL]);
    const baseOnly = fakeFetcher({ [CRL_URL]: () => base });
    const held = await createRevocationChecker({ fetcher: baseOnly.fetcher, order: ['crl'] })(
      cert,
      pki.caCert,
      context(pki, cert),
    );
    expect(held).toMatchObject({ status: 'suspended', reason: 'certificateHold' });
  });

  it('a cached CRL that no longer answers is downloaded again', async () => {
    const { cert } = await pki.leaf();
    const stale = await pki.ca.createCrl({ thisUpdate: new Date(T0.getTime() - 30 * DAY) });
    const current = await pki.ca.createCrl({ thisUpdate: T0 });
    const cache = createMemoryCache({ now: () => T0.getTime() });
    await cache.set(crlCacheKey(CRL_URL), { data: stale, expires: new Date(T0.getTime() + DAY) });
    const { fetcher, calls } = fakeFetcher({ [CRL_URL]: () => current });
    const r = await createRevocationChecker({ fetcher, cache, order: ['crl'] })(cert, pki.caCert, context(pki, cert));
    expect(r).toMatchObject({ status: 'good', evidence: current });
    expect(calls.length).toBe(1);
    expect((await cache.get(crlCacheKey(CRL_URL)))?.data).toEqual(current);
  });

  it('an aborted signal ends with unknown', async () => {
    const { cert } = await pki.leaf();
    const { fetcher, calls } = fakeFetcher({ [OCSP_URL]: ocspAnswer() });
    const controller = new AbortController();
    controller.abort();
    const r = await createRevocationChecker({ fetcher })(
      cert,
      pki.caCert,
      context(pki, cert, { signal: controller.signal }),
    );
    expect(r).toMatchObject({ status: 'unknown', detail: expect.stringMatching(/aborted/) });
    expect(calls.length).toBe(0);
  });

  it('concurrent checks of the same certificate each get their answer', async () => {
    const { cert } = await pki.leaf();
    const { fetcher } = fakeFetcher({ [OCSP_URL]: ocspAnswer() });
    const checker = createRevocationChecker({ fetcher, cache: createMemoryCache({ now: () => T0.getTime() }) });
    const results = await Promise.all([1, 2, 3].map(() => checker(cert, pki.caCert, context(pki, cert))));
    expect(results.map((r) => r.status)).toEqual(['good', 'good', 'good']);
  });

  it('a CRL signer outside the path is validated through validateSigner, for crl-signing', async () => {
    const { cert } = await pki.leaf();
    const rollover = await pki.root.issueIntermediate({ now: T0, subject: pki.caCert.subject.raw });
    const rolloverCrl = await rollover.createCrl({ thisUpdate: T0 });
    const signer = parseCertificate(rollover.certificate);
    const checker = createRevocationChecker({ data: { crls: [rolloverCrl], certificates: [signer] } });
    const asked: string[] = [];
    const r = await checker(cert, pki.caCert, {
      ...context(pki, cert),
      validateSigner: async (c, o) => {
        asked.push(`${c.subject.commonName} ${o.purpose}`);
        return { certificates: [c], anchor: { certificate: pki.rootCert }, time: AT, policies: [], revocation: [] };
      },
    });
    expect(r).toMatchObject({ status: 'good', source: 'embedded-crl', evidence: rolloverCrl });
    expect(asked).toEqual(['Revocation Test CA crl-signing']);
    const refused = await checker(cert, pki.caCert, {
      ...context(pki, cert),
      validateSigner: async () => {
        throw new Error('signer revoked');
      },
    });
    expect(refused).toMatchObject({ status: 'unknown', detail: expect.stringMatching(/signer revoked/) });
  });

  it('never throws, even for a broken fetcher', async () => {
    const { cert } = await pki.leaf();
    const fetcher: Fetcher = {
      fetch: async () => {
        throw new TypeError('boom');
      },
    };
    const r = await createRevocationChecker({ fetcher })(cert, pki.caCert, context(pki, cert));
    expect(r).toMatchObject({ status: 'unknown', detail: expect.stringMatching(/boom/) });
  });
});

describe('createRevocationChecker options', () => {
  it('rejects a bad order or URL limit', () => {
    expect(() => createRevocationChecker({ order: [] })).toThrow(RangeError);
    expect(() => createRevocationChecker({ order: ['ldap' as 'crl'] })).toThrow(RangeError);
    expect(() => createRevocationChecker({ maxUrls: 0 })).toThrow(RangeError);
  });
});

function requestFromGet(url: string): Uint8Array {
  return base64Decode(decodeURIComponent(url.slice(url.lastIndexOf('/') + 1)));
}
