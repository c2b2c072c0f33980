// The Fetcher against a real HTTP server on loopback (Node's own fetch, real sockets).
import { type LoopbackResponse, startLoopbackServer } from '@eds/test-support/server';
import { createFetcher } from '@eds/verify/fetcher';
import { describe, expect, it } from 'vitest';

describe('createFetcher over real HTTP', () => {
  it('downloads, follows a redirect and posts', async () => {
    await using server = await startLoopbackServer((req): LoopbackResponse => {
      if (req.url === '/old') return { status: 302, headers: { location: '/ca.crl' } };
      if (req.method === 'POST') return { body: req.body, headers: { 'content-type': 'application/ocsp-response' } };
      return { body: new Uint8Array(1000).fill(7) };
    });
    const fetcher = createFetcher();
    const crl = await fetcher.fetch(`${server.url}/old`);
    expect(crl.url).toBe(`${server.url}/ca.crl`);
    expect(crl.body).toEqual(new Uint8Array(1000).fill(7));
    const ocsp = await fetcher.fetch(server.url, {
      body: new Uint8Array([0x30, 3, 1, 2, 3]),
      contentType: 'application/ocsp-request',
    });
    expect(ocsp).toMatchObject({ contentType: 'application/ocsp-response', body: new Uint8Array([0x30, 3, 1, 2, 3]) });
    expect(server.requests.map((r) => [r.method, r.url, r.headers['content-type']])).toEqual([
      ['GET', '/old', undefined],
      ['GET', '/ca.crl', undefined],
      ['POST', '/', 'application/ocsp-request'],
    ]);
  });

  it('gives up on a slow server at the deadline', async () => {
    await using server = await startLoopbackServer(() => ({ body: 'late', delayMs: 2000 }));
    const e = await createFetcher({ timeoutMs: 100 })
      .fetch(server.url)
      .catch((err: unknown) => err);
    expect(e).toMatchObject({ code: 'ERR_FETCH_TIMEOUT' });
  });

  it('stops reading a body over the size limit', async () => {
    await using server = await startLoopbackServer(() => ({ body: new Uint8Array(64 * 1024) }));
    const e = await createFetcher({ maxBytes: 1024 })
      .fetch(server.url)
      .catch((err: unknown) => err);
    expect(e).toMatchObject({ code: 'ERR_FETCH_TOO_LARGE' });
  });
});
