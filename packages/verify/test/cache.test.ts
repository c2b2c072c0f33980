// The in-memory revocation cache: expiry at nextUpdate, bounds in entries and bytes, least recently used out first.
import { createMemoryCache, crlCacheKey, ocspCacheKey } from '@eds/verify/cache';
import { describe, expect, it } from 'vitest';

const NOW = 1_800_000_000_000;

function entry(size: number, expiresIn = 60_000) {
  return { data: new Uint8Array(size).fill(size % 256), expires: new Date(NOW + expiresIn), url: 'http://x.test/' };
}

describe('createMemoryCache', () => {
  it('keeps an entry until its expiry on the given clock', async () => {
    let now = NOW;
    const cache = createMemoryCache({ now: () => now });
    await cache.set('a', entry(10));
    expect((await cache.get('a'))?.data).toEqual(new Uint8Array(10).fill(10));
    now = NOW + 59_999;
    expect(await cache.get('a')).toBeDefined();
    now = NOW + 60_000;
    expect(await cache.get('a')).toBeUndefined();
    now = NOW;
    expect(await cache.get('a')).toBeUndefined();
  });

  it('does not store what has already expired', async () => {
    const cache = createMemoryCache({ now: () => NOW });
    await cache.set('old', entry(5, -1));
    expect(await cache.get('old')).toBeUndefined();
  });

  it('evicts the least recently used entry past maxEntries', async () => {
    const cache = createMemoryCache({ maxEntries: 2, now: () => NOW });
    await cache.set('a', entry(1));
    await cache.set('b', entry(2));
    await cache.get('a');
    await cache.set('c', entry(3));
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toBeDefined();
    expect(await cache.get('c')).toBeDefined();
  });

  it('stays within maxBytes and skips entries larger than it', async () => {
    const cache = createMemoryCache({ maxBytes: 100, now: () => NOW });
    await cache.set('a', entry(60));
    await cache.set('b', entry(60));
    expect(await cache.get('a')).toBeUndefined();
    expect(await cache.get('b')).toBeDefined();
    await cache.set('huge', entry(101));
    expect(await cache.get('huge')).toBeUndefined();
    expect(await cache.get('b')).toBeDefined();
  });

  it('replacing a key keeps the byte count right', async () => {
    const cache = createMemoryCache({ maxBytes: 100, now: () => NOW });
    for (let i = 0; i < 10; i++) await cache.set('same', entry(90));
    await cache.set('other', entry(10));
    expect(await cache.get('same')).toBeDefined();
    expect(await cache.get('other')).toBeDefined();
  });

  it('stores a copy of the data', async () => {
    const cache = createMemoryCache({ now: () => NOW });
    const e = entry(4);
    await cache.set('k', e);
    e.data.fill(0xee);
    expect((await cache.get('k'))?.data).toEqual(new Uint8Array(4).fill(4));
  });

  it('rejects non-positive bounds', () => {
    expect(() => createMemoryCache({ maxEntries: 0 })).toThrow(RangeError);
    expect(() => createMemoryCache({ maxBytes: -1 })).toThrow(RangeError);
  });
});

describe('cache keys', () => {
  it('CRLs by URL, OCSP answers by CertID', () => {
    expect(crlCacheKey('http://ca.test/ca.crl')).toBe('crl:http://ca.test/ca.crl');
    expect(ocspCacheKey(Uint8Array.of(0x30, 0x0a, 0xff))).toBe('ocsp:300aff');
    expect(ocspCacheKey(Uint8Array.of(1))).not.toBe(ocspCacheKey(Uint8Array.of(2)));
  });
});
