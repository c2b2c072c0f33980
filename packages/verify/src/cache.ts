// A cache of revocation data (DER CRLs and OCSP responses) kept until their nextUpdate (RFC 5280 §5.1.2.5, RFC 6960 §4.2.2.1).

/** One cached CRL or OCSP response. */
export interface RevocationCacheEntry {
  /** DER CertificateList or OCSPResponse, exactly as received. */
  readonly data: Uint8Array;
  /** When the entry stops being useful: the nextUpdate of the CRL or SingleResponse. */
  readonly expires: Date;
  /** The URL it came from, for reports. */
  readonly url?: string | undefined;
}

/**
 * Storage for revocation data, keyed by {@link crlCacheKey} or {@link ocspCacheKey}. Async so
 * that a service can back it with a shared store (Redis, a database). The checker re-verifies
 * every entry it reads (signature, freshness at the validation time), so a cache never needs to
 * be trusted; it only saves downloads.
 *
 * @example
 * ```ts
 * const redisCache: RevocationCache = {
 *   get: async (key) => decode(await redis.getBuffer(key)),
 *   set: async (key, entry) => void (await redis.set(key, encode(entry), 'PXAT', entry.expires.getTime())),
 * };
 * ```
 */
export interface RevocationCache {
  get(key: string): Promise<RevocationCacheEntry | undefined>;
  set(key: string, entry: RevocationCacheEntry): Promise<void>;
}

/** Options of {@link createMemoryCache}. */
export interface MemoryCacheOptions {
  /** Most entries kept; the least recently used goes first (default 1,000). */
  readonly maxEntries?: number | undefined;
  /** Most bytes of DER kept in total; larger entries are not stored (default 256 MiB). */
  readonly maxBytes?: number | undefined;
  /** The clock used to drop expired entries (default `Date.now`). */
  readonly now?: (() => number) | undefined;
}

/**
 * The in-memory default {@link RevocationCache}: bounded in entries and bytes, least recently
 * used first out, entries dropped once `expires` has passed on the given clock.
 *
 * @throws RangeError for a non-positive `maxEntries` or `maxBytes`.
 * @example
 * ```ts
 * const checker = createRevocationChecker({ fetcher, cache: createMemoryCache({ maxEntries: 500 }) });
 * ```
 */
export function createMemoryCache(options: MemoryCacheOptions = {}): RevocationCache {
  const maxEntries = options.maxEntries ?? 1000;
  const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  if (!(maxEntries > 0) || !(maxBytes > 0)) throw new RangeError('maxEntries and maxBytes must be positive');
  const now = options.now ?? Date.now;
  // A Map keeps insertion order: re-inserting on use makes its first key the least recently used.
  const entries = new Map<string, RevocationCacheEntry>();
  let bytes = 0;

  function remove(key: string): void {
    const old = entries.get(key);
    if (!old) return;
    entries.delete(key);
    bytes -= old.data.length;
  }

  return {
    async get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      remove(key);
      if (entry.expires.getTime() <= now()) return undefined;
      entries.set(key, entry);
      bytes += entry.data.length;
      return entry;
    },
    async set(key, entry) {
      remove(key);
      if (entry.data.length > maxBytes || entry.expires.getTime() <= now()) return;
      while (entries.size >= maxEntries || bytes + entry.data.length > maxBytes) {
        const oldest = entries.keys().next();
        if (oldest.done) break;
        remove(oldest.value);
      }
      // A copy: the caller may reuse its buffer.
      entries.set(key, { ...entry, data: entry.data.slice() });
      bytes += entry.data.length;
    },
  };
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/**
 * The cache key of a CRL: its distribution point URL.
 *
 * @example
 * ```ts
 * crlCacheKey('http://ca.example.ru/ca.crl'); // 'crl:http://ca.example.ru/ca.crl'
 * ```
 */
export function crlCacheKey(url: string): string {
  return `crl:${url}`;
}

/**
 * The cache key of an OCSP response: the DER CertID it answers (RFC 6960 §4.1.1), in hex.
 *
 * @example
 * ```ts
 * ocspCacheKey(createOcspRequest({ certificate, issuer }).certId);
 * ```
 */
export function ocspCacheKey(certId: Uint8Array): string {
  return `ocsp:${hex(certId)}`;
}
