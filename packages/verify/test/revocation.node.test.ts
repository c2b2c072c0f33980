// createRevocationChecker against real loopback HTTP servers: a test CA's OCSP responder and CRL distribution point.
import { base64Decode } from '@eds/core/encoding';
import { createFetcher } from '@eds/core/fetcher';
import { parseOcspRequest } from '@eds/core/ocsp';
import type { Certificate } from '@eds/core/x509';
import { type LoopbackRequest, type LoopbackResponse, startLoopbackServer } from '@eds/test-support/server';
import { createMemoryCache } from '@eds/verify/cache';
import { createRevocationChecker } from '@eds/verify/revocation';
import type { RevocationContext } from '@eds/verify/types';
import { describe, expect, it } from 'vitest';
import { HOUR, KEY_SPECS, makePki, type Pki, T0 } from './_revocation-pki';

const AT = new Date(T0.getTime() + HOUR);

type Behaviour = 'answer' | 'fail' | 'slow' | 'garbage';

/** A CA behind one loopback server: POST/GET /ocsp answered with createOcspResponse, GET /ca.crl serving its CRL. */
async function serve(keySpec: Parameters<typeof makePki>[0]) {
  const state: { pki?: Pki; ocsp: Behaviour; crl: Behaviour } = { ocsp: 'answer', crl: 'answer' };
  const server = await startLoopbackServer(async (req: LoopbackRequest): Promise<LoopbackResponse> => {
    const pki = state.pki as Pki;
    if (req.url.startsWith('/ocsp')) {
      if (state.ocsp === 'fail') return { status: 500, body: 'responder down' };
      if (state.ocsp === 'slow') return { delayMs: 1500, body: 'late' };
      if (state.ocsp === 'garbage') return { body: 'this is not DER' };
      const request = req.method === 'POST' ? req.body : base64Decode(decodeURIComponent(req.url.slice(6)));
      parseOcspRequest(request); // the responder refuses what it cannot read
      const body = await pki.ca.createOcspResponse({ request, time: T0 });
      return { body, headers: { 'content-type': 'application/ocsp-response' } };
    }
    if (req.url === '/ca.crl') {
      if (state.crl === 'fail') return { status: 404, body: 'no CRL' };
      return { body: await pki.ca.createCrl({ thisUpdate: T0 }), headers: { 'content-type': 'application/pkix-crl' } };
    }
    return { status: 404 };
  });
  state.pki = await makePki(keySpec, { ocspUrl: `${server.url}/ocsp`, crlUrl: `${server.url}/ca.crl` });
  return { server, state, pki: state.pki };
}

function context(pki: Pki, leaf: Certificate): RevocationContext {
  return {
    time: AT,
    path: [leaf, pki.caCert, pki.rootCert],
    index: 0,
    validateSigner: async () => {
      throw new Error('no delegated signers in this test');
    },
  };
}

const methods = (reqs: readonly LoopbackRequest[]) =>
  reqs.map((r) => `${r.method} ${r.url.replace(/^\/ocsp\/.+/, '/ocsp/…')}`);

describe.each(KEY_SPECS)('revocation over loopback HTTP with %s', (_label, keySpec) => {
  it('OCSP first (POST with a nonce), then a cache hit makes no second request', async () => {
    const { server, pki } = await serve(keySpec);
    await using _s = server;
    const { cert } = await pki.leaf();
    // The test PKI lives at T0, so the cache's clock is set there (the default is the wall clock).
    const cache = createMemoryCache({ now: () => AT.getTime() });
    const checker = createRevocationChecker({ fetcher: createFetcher({ timeoutMs: 5000 }), cache });
    const r = await checker(cert, pki.caCert, context(pki, cert));
    expect(r).toMatchObject({ status: 'good', source: 'ocsp', url: `${server.url}/ocsp` });
    expect(methods(server.requests)).toEqual(['POST /ocsp']);
    expect(server.requests[0]?.headers['content-type']).toBe('application/ocsp-request');
    expect(parseOcspRequest(server.requests[0]?.body as Uint8Array).nonce?.length).toBe(32);
    const again = await checker(cert, pki.caCert, context(pki, cert));
    expect(again.status).toBe('good');
    expect(server.requests.length).toBe(1);
  });

  it('OCSP by GET when asked; a revoked certificate is reported as such', async () => {
    const { server, pki } = await serve(keySpec);
    await using _s = server;
    const { cert, serial } = await pki.leaf();
    pki.ca.revoke(serial, { reason: 'keyCompromise', time: new Date(T0.getTime() - HOUR) });
    const checker = createRevocationChecker({ fetcher: createFetcher(), ocspGet: true });
    const r = await checker(cert, pki.caCert, context(pki, cert));
    expect(r).toMatchObject({ status: 'revoked', reason: 'keyCompromise', source: 'ocsp' });
    expect(methods(server.requests)).toEqual(['GET /ocsp/…']);
  });

  for (const behaviour of ['fail', 'slow', 'garbage'] as const) {
    it(`falls back to the CRL when the responder is ${behaviour}`, async () => {
      const { server, state, pki } = await serve(keySpec);
      await using _s = server;
      state.ocsp = behaviour;
      const { cert } = await pki.leaf();
      const checker = createRevocationChecker({ fetcher: createFetcher({ timeoutMs: 300 }) });
      const r = await checker(cert, pki.caCert, context(pki, cert));
      expect(r).toMatchObject({ status: 'good', source: 'crl', url: `${server.url}/ca.crl` });
      expect(r.evidence?.length).toBeGreaterThan(100);
      expect(methods(server.requests)).toEqual(['POST /ocsp', 'GET /ca.crl']);
    });
  }

  it('unknown, with both attempts named, when OCSP and CRL both fail', async () => {
    const { server, state, pki } = await serve(keySpec);
    await using _s = server;
    state.ocsp = 'fail';
    state.crl = 'fail';
    const { cert } = await pki.leaf();
    const r = await createRevocationChecker({ fetcher: createFetcher() })(cert, pki.caCert, context(pki, cert));
    expect(r).toMatchObject({ status: 'unknown', source: 'none' });
    expect(r.detail).toMatch(/OCSP .*500/);
    expect(r.detail).toMatch(/CRL .*404/);
  });

  it('a host policy that refuses the host stops every request', async () => {
    const { server, pki } = await serve(keySpec);
    await using _s = server;
    const { cert } = await pki.leaf();
    const fetcher = createFetcher({ hostPolicy: (url) => url.hostname !== '127.0.0.1' });
    const r = await createRevocationChecker({ fetcher })(cert, pki.caCert, context(pki, cert));
    expect(r).toMatchObject({ status: 'unknown', detail: expect.stringMatching(/host refused by policy/) });
    expect(server.requests.length).toBe(0);
  });

  it('offline mode makes no request, even with network URLs in the certificate', async () => {
    const { server, pki } = await serve(keySpec);
    await using _s = server;
    const { cert } = await pki.leaf();
    const offline = createRevocationChecker({});
    expect((await offline(cert, pki.caCert, context(pki, cert))).status).toBe('unknown');
    const refused = createRevocationChecker({ fetcher: createFetcher({ offline: true }) });
    expect((await refused(cert, pki.caCert, context(pki, cert))).detail).toMatch(/network access is off/);
    const supplied = createRevocationChecker({ data: { crls: [await pki.ca.createCrl({ thisUpdate: T0 })] } });
    expect((await supplied(cert, pki.caCert, context(pki, cert))).source).toBe('embedded-crl');
    expect(server.requests.length).toBe(0);
  });
});
