import { EdsError } from '@eds/core';
import { createFetcher, FetchError } from '@eds/verify/fetcher';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** A fake platform fetch that records calls and answers from a table. */
function fakeFetch(routes: Record<string, () => Response>) {
  const calls: Array<{ url: string; init: RequestInit | undefined }> = [];
  const fn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    calls.push({ url, init });
    const route = routes[url];
    if (!route) throw new TypeError('fetch failed');
    return route();
  }) as typeof fetch;
  return { fn, calls };
}

async function failure(p: Promise<unknown>): Promise<FetchError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(FetchError);
  expect(e).toBeInstanceOf(EdsError);
  return e as FetchError;
}

describe('createFetcher', () => {
  it('returns the body, status and content type of a 200 response', async () => {
    const { fn, calls } = fakeFetch({
      'http://ca.test/ca.crl': () =>
        new Response(new Uint8Array([1, 2, 3]), { headers: { 'content-type': 'application/pkix-crl' } }),
    });
    const res = await createFetcher({ fetch: fn }).fetch('http://ca.test/ca.crl');
    expect(res).toEqual({
      url: 'http://ca.test/ca.crl',
      status: 200,
      contentType: 'application/pkix-crl',
      body: new Uint8Array([1, 2, 3]),
    });
    expect(calls[0]?.init).toMatchObject({ method: 'GET', redirect: 'manual', credentials: 'omit' });
  });

  it('POSTs a body with its content type (OCSP over HTTP)', async () => {
    const { fn, calls } = fakeFetch({ 'http://ocsp.test/': () => new Response('ok') });
    await createFetcher({ fetch: fn }).fetch('http://ocsp.test/', {
      body: new Uint8Array([0x30, 0]),
      contentType: 'application/ocsp-request',
    });
    expect(calls[0]?.init).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/ocsp-request' } });
  });

  it.each([
    ['offline mode', { offline: true }, 'http://ca.test/x', 'ERR_FETCH_OFFLINE'],
    ['a file: URL', {}, 'file:///etc/passwd', 'ERR_FETCH_PROTOCOL'],
    ['an ldap: URL', {}, 'ldap://ca.test/cn=ca', 'ERR_FETCH_PROTOCOL'],
    ['not a URL', {}, 'ca.crl', 'ERR_FETCH_PROTOCOL'],
    [
      'a denied host',
      { hostPolicy: (u: URL) => u.hostname === 'ok.test' },
      'http://evil.test/',
      'ERR_FETCH_HOST_DENIED',
    ],
  ])('refuses %s without touching the network', async (_name, options, url, code) => {
    const { fn, calls } = fakeFetch({});
    const e = await failure(createFetcher({ ...options, fetch: fn }).fetch(url));
    expect(e.code).toBe(code);
    expect(e.url).toBe(url);
    expect(calls).toHaveLength(0);
  });

  it('reports non-2xx statuses with the status', async () => {
    const { fn } = fakeFetch({ 'http://ca.test/': () => new Response('nope', { status: 404 }) });
    const e = await failure(createFetcher({ fetch: fn }).fetch('http://ca.test/'));
    expect(e).toMatchObject({ code: 'ERR_FETCH_STATUS', status: 404 });
  });

  it('maps a network failure to ERR_FETCH_NETWORK with the cause', async () => {
    const { fn } = fakeFetch({});
    const e = await failure(createFetcher({ fetch: fn }).fetch('http://down.test/'));
    expect(e.code).toBe('ERR_FETCH_NETWORK');
    expect(e.cause).toBeInstanceOf(TypeError);
  });

  it('checks every redirect hop against the policy', async () => {
    const { fn, calls } = fakeFetch({
      'http://a.test/': () => new Response(null, { status: 302, headers: { location: 'http://b.test/x' } }),
      'http://b.test/x': () => new Response(null, { status: 301, headers: { location: '/y' } }),
      'http://b.test/y': () => new Response('done'),
    });
    const ok = await createFetcher({ fetch: fn }).fetch('http://a.test/');
    expect(ok.url).toBe('http://b.test/y');
    expect(calls.map((c) => c.url)).toEqual(['http://a.test/', 'http://b.test/x', 'http://b.test/y']);
    const denied = await failure(
      createFetcher({ fetch: fn, hostPolicy: (u) => u.hostname === 'a.test' }).fetch('http://a.test/'),
    );
    expect(denied).toMatchObject({ code: 'ERR_FETCH_HOST_DENIED', url: 'http://b.test/x' });
    const tooMany = await failure(createFetcher({ fetch: fn, maxRedirects: 1 }).fetch('http://a.test/'));
    expect(tooMany.code).toBe('ERR_FETCH_REDIRECT');
  });

  it('accepts bodies up to the limit and refuses one byte more, declared or streamed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 5 }), async (limit, pieces) => {
        const stream = (n: number) =>
          new ReadableStream<Uint8Array>({
            start(c) {
              const size = Math.ceil(n / pieces);
              for (let at = 0; at < n; at += size) c.enqueue(new Uint8Array(Math.min(size, n - at)));
              c.close();
            },
          });
        const { fn } = fakeFetch({
          'http://a.test/exact': () => new Response(stream(limit)),
          'http://a.test/over': () => new Response(stream(limit + 1)),
          'http://a.test/declared': () => new Response('x', { headers: { 'content-length': String(limit + 1) } }),
        });
        const f = createFetcher({ fetch: fn, maxBytes: limit });
        expect((await f.fetch('http://a.test/exact')).body.length).toBe(limit);
        expect((await failure(f.fetch('http://a.test/over'))).code).toBe('ERR_FETCH_TOO_LARGE');
        expect((await failure(f.fetch('http://a.test/declared'))).code).toBe('ERR_FETCH_TOO_LARGE');
      }),
      { numRuns: 30 },
    );
  });

  it('times out a response that never ends, and honours the caller signal', async () => {
    const hanging = () => new Response(new ReadableStream({ start() {} }));
    const { fn } = fakeFetch({ 'http://slow.test/': hanging });
    const timedOut = await failure(createFetcher({ fetch: fn, timeoutMs: 50 }).fetch('http://slow.test/'));
    expect(timedOut.code).toBe('ERR_FETCH_TIMEOUT');
    const controller = new AbortController();
    const pending = createFetcher({ fetch: fn }).fetch('http://slow.test/', { signal: controller.signal });
    controller.abort();
    expect((await failure(pending)).code).toBe('ERR_FETCH_ABORTED');
  });

  it('rejects nonsense limits as API misuse', () => {
    expect(() => createFetcher({ timeoutMs: 0 })).toThrow(RangeError);
    expect(() => createFetcher({ maxBytes: -1 })).toThrow(RangeError);
  });
});
