// The revocation policy (RFC 5280 §6.3, RFC 6960): supplied data first, then OCSP with CRL fallback over an injected fetcher, with a cache.
import { type Crl, parseCrl } from '@eds/core/crl';
import { decodeCrlDistributionPoints } from '@eds/core/extensions';
import { createFetcher, type Fetcher } from '@eds/core/fetcher';
import { OID_EXT_FRESHEST_CRL } from '@eds/core/oids';
import type { DigestAlgorithm, SignatureAlgorithm } from '@eds/core/types';
import type { Certificate } from '@eds/core/x509';
import { createMemoryCache, crlCacheKey, ocspCacheKey, type RevocationCache, type RevocationCacheEntry } from './cache';
import { type CrlCheckOptions, checkCrls } from './crl-check';
import {
  checkOcsp,
  createOcspRequest,
  NO_MATCHING_RESPONSE as NO_MATCH,
  type OcspCheckOptions,
  ocspGetUrl,
} from './ocsp-check';
import type {
  RevocationChecker,
  RevocationContext,
  RevocationData,
  RevocationMode,
  RevocationResult,
  RevocationSource,
} from './types';

/** A revocation method. */
export type RevocationMethod = 'ocsp' | 'crl';

/** Options of {@link createRevocationChecker}. */
export interface RevocationCheckerOptions {
  /** What an `unknown` answer means to the validator (default `require`). */
  readonly mode?: RevocationMode | undefined;
  /** Methods in the order tried, for supplied and for fetched data (default `['ocsp', 'crl']`). */
  readonly order?: readonly RevocationMethod[] | undefined;
  /** CRLs and OCSP responses supplied by the caller or embedded in a signature; used first. */
  readonly data?: RevocationData | undefined;
  /** The network boundary; without it (and without `network`) nothing is fetched: offline mode. */
  readonly fetcher?: Fetcher | undefined;
  /** Allows a default `createFetcher()` when no `fetcher` is given (default false). */
  readonly network?: boolean | undefined;
  /** Where fetched data is kept until its nextUpdate (default: an in-memory cache when online). */
  readonly cache?: RevocationCache | undefined;
  /** Ask OCSP with GET (RFC 6960 App. A.1, cacheable, no nonce) instead of POST (default false). */
  readonly ocspGet?: boolean | undefined;
  /** CertID hash of OCSP requests (default SHA-1, which responders must accept, RFC 5019 §2.1.1). */
  readonly ocspHash?: DigestAlgorithm | undefined;
  /** Send a nonce in POST requests (RFC 8954; default true). */
  readonly nonce?: boolean | undefined;
  /** Reject a fetched response without the nonce sent (default false). */
  readonly requireNonce?: boolean | undefined;
  /** Largest accepted age of a CRL or OCSP answer, in seconds. */
  readonly maxAge?: number | undefined;
  /** Tolerated clock difference, in milliseconds (default 5 minutes). */
  readonly clockSkewMs?: number | undefined;
  /** Signature algorithms accepted for CRLs and responses (default: all of @eds/core). */
  readonly algorithms?: readonly SignatureAlgorithm[] | undefined;
  /** Most URLs tried per method and certificate (default 3). */
  readonly maxUrls?: number | undefined;
}

/** A {@link RevocationChecker} that states its policy mode for the validator. */
export type PolicyRevocationChecker = RevocationChecker & { readonly mode: RevocationMode };

/** What one check needs, shared by the steps. */
interface Job {
  readonly certificate: Certificate;
  readonly issuer: Certificate;
  readonly context: RevocationContext;
  readonly attempts: string[];
}

const DEFAULT_ORDER: readonly RevocationMethod[] = ['ocsp', 'crl'];
const MAX_DETAIL = 20;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function definitive(r: RevocationResult): boolean {
  return r.status !== 'unknown';
}

function httpUrls(urls: readonly string[], max: number): string[] {
  return [...new Set(urls.filter((u) => /^https?:\/\//i.test(u)))].slice(0, max);
}

/**
 * Creates the revocation checker a path validator calls for each certificate of a path whose
 * signatures have already verified up to a trust anchor (RevocationContext: nothing is fetched
 * for an unverified chain; the validator only calls it after that check).
 *
 * Order of work: the supplied `data` (offline mode, or values embedded in a signature), by
 * `order`; then, when a fetcher is available, online in the same order: OCSP at the
 * certificate's AIA id-ad-ocsp URLs (POST with a nonce, or GET), CRLs at its
 * cRLDistributionPoints (http and https only), each through the cache. A method that fails or
 * answers `unknown` falls through to the next; when all fail the result is `unknown` with every
 * attempt in `detail`. Results carry source, url, times and the DER `evidence` relied on. The
 * checker never throws; an aborted `signal` ends it with `unknown`. In `require` mode the
 * validator turns `unknown` into INDETERMINATE (REVOCATION_UNKNOWN); in `prefer` mode it
 * reports it and proceeds; `off` returns `unknown` without doing anything.
 *
 * CRL signers and delegated OCSP responders outside the path are validated through
 * `context.validateSigner`, which may call this checker again for them: the validator must bound
 * that nesting (the one of @eds/verify/validate does). A certificate may vouch for itself on a
 * CRL it signed (an indirect CRL issuer), which ends the most common loop.
 *
 * @throws RangeError for an empty or unknown `order` or a non-positive `maxUrls`.
 * @example
 * ```ts
 * const revocation = createRevocationChecker({ fetcher: createFetcher({ timeoutMs: 5000 }) });
 * await buildPath(cert, { trust, revocation });
 * const offline = createRevocationChecker({ data: { crls: [crlDer] } });
 * ```
 */
export function createRevocationChecker(options: RevocationCheckerOptions = {}): PolicyRevocationChecker {
  const mode = options.mode ?? 'require';
  const order = options.order ?? DEFAULT_ORDER;
  if (order.length === 0 || order.some((m) => m !== 'ocsp' && m !== 'crl'))
    throw new RangeError('order must list ocsp and/or crl');
  const maxUrls = options.maxUrls ?? 3;
  if (!(maxUrls > 0)) throw new RangeError('maxUrls must be positive');
  const fetcher = options.fetcher ?? (options.network ? createFetcher() : undefined);
  const cache = options.cache ?? (fetcher ? createMemoryCache() : undefined);
  const supplied = parseSupplied(options.data);
  const env: Env = { options, order, maxUrls, fetcher, cache, supplied };

  const checker = async (
    certificate: Certificate,
    issuer: Certificate,
    context: RevocationContext,
  ): Promise<RevocationResult> => {
    if (mode === 'off') return { status: 'unknown', source: 'none', detail: 'revocation checking is off' };
    const job: Job = { certificate, issuer, context, attempts: [] };
    try {
      return await run(env, job);
    } catch (e) {
      job.attempts.push(`internal error: ${message(e)}`);
      return failure(job);
    }
  };
  return Object.assign(checker, { mode });
}

interface Supplied {
  readonly crls: readonly Crl[];
  readonly ocsp: readonly Uint8Array[];
  readonly signers: readonly Certificate[];
  readonly problems: readonly string[];
}

interface Env {
  readonly options: RevocationCheckerOptions;
  readonly order: readonly RevocationMethod[];
  readonly maxUrls: number;
  readonly fetcher: Fetcher | undefined;
  readonly cache: RevocationCache | undefined;
  readonly supplied: Supplied;
}

function parseSupplied(data: RevocationData | undefined): Supplied {
  const crls: Crl[] = [];
  const problems: string[] = [];
  for (const c of data?.crls ?? []) {
    try {
      crls.push(c instanceof Uint8Array ? parseCrl(c) : c);
    } catch (e) {
      problems.push(`supplied CRL malformed: ${message(e)}`);
    }
  }
  // Each item once: copies of one response must not multiply the work of checking it.
  const ocsp = (data?.ocspResponses ?? []).filter((r, i, all) => all.findIndex((o) => sameBytes(o, r)) === i);
  const unique = crls.filter((c, i) => crls.findIndex((o) => sameBytes(o.raw, c.raw)) === i);
  return { crls: unique, ocsp, signers: data?.certificates ?? [], problems };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function failure(job: Job): RevocationResult {
  const list = [...new Set(job.attempts)];
  const extra = list.length > MAX_DETAIL ? `; and ${list.length - MAX_DETAIL} more` : '';
  const detail = list.length ? list.slice(0, MAX_DETAIL).join('; ') + extra : 'no revocation data';
  return { status: 'unknown', source: 'none', detail };
}

async function run(env: Env, job: Job): Promise<RevocationResult> {
  // Every supplied source is consulted and a revocation in any of them wins: supplied and embedded
  // data travel in unsigned containers, where an old `good` answer can be placed next to a fresh
  // CRL that lists the certificate.
  const supplied: RevocationResult[] = [];
  for (const method of env.order) {
    const r = method === 'ocsp' ? await suppliedOcsp(env, job) : await suppliedCrls(env, job);
    if (r) supplied.push(r);
  }
  const best = strongest(supplied);
  if (best) return best;
  if (!env.fetcher) {
    job.attempts.push('offline: no fetcher, nothing downloaded');
    return failure(job);
  }
  for (const method of env.order) {
    if (job.context.signal?.aborted) {
      job.attempts.push('aborted');
      break;
    }
    const r = method === 'ocsp' ? await onlineOcsp(env, job, env.fetcher) : await onlineCrls(env, job, env.fetcher);
    if (r) return r;
  }
  return failure(job);
}

function ocspOptions(env: Env, job: Job, nonce?: Uint8Array): OcspCheckOptions {
  const o = env.options;
  return {
    time: job.context.time,
    issuedUntil: issuedUntil(job),
    maxAge: o.maxAge,
    clockSkewMs: o.clockSkewMs,
    nonce,
    requireNonce: o.requireNonce,
    validateSigner: job.context.validateSigner,
    algorithms: o.algorithms,
    signal: job.context.signal,
  };
}

/** Data issued up to the present covers a past validation time. */
function issuedUntil(job: Job): Date {
  return new Date(Math.max(job.context.time.getTime(), Date.now()));
}

function crlOptions(env: Env, job: Job): CrlCheckOptions {
  const o = env.options;
  const { path, index } = job.context;
  return {
    time: job.context.time,
    issuedUntil: issuedUntil(job),
    maxAge: o.maxAge,
    clockSkewMs: o.clockSkewMs,
    validateSigner: job.context.validateSigner,
    algorithms: o.algorithms,
    // Certificates above the issuer in the validated path may hold the CA's older key (rollover).
    trustedSigners: path.slice(index + 2),
    signers: env.supplied.signers,
    signal: job.context.signal,
  };
}

function withSource(r: RevocationResult, source: RevocationSource, url?: string): RevocationResult {
  return { ...r, source, url: url ?? r.url };
}

/**
 * Of several usable answers, `revoked` wins (revocation is final); otherwise the newest by
 * thisUpdate, so a later answer lifts a hold.
 */
function strongest(results: readonly RevocationResult[]): RevocationResult | undefined {
  const revoked = results.find((r) => r.status === 'revoked');
  if (revoked) return revoked;
  const time = (r: RevocationResult) => r.thisUpdate?.getTime() ?? 0;
  return [...results].sort((a, b) => time(b) - time(a))[0];
}

async function suppliedOcsp(env: Env, job: Job): Promise<RevocationResult | undefined> {
  const usable: RevocationResult[] = [];
  for (const response of env.supplied.ocsp) {
    const r = await checkOcsp(response, job.certificate, job.issuer, ocspOptions(env, job));
    if (definitive(r)) usable.push(withSource(r, 'embedded-ocsp'));
    // Responses about other certificates are expected among supplied data and are not reported.
    else if (r.detail !== NO_MATCH) job.attempts.push(`supplied OCSP response: ${r.detail}`);
  }
  return strongest(usable);
}

/** Supplied CRLs that may be about this certificate: by its issuer's name, or indirect CRLs. */
function relevantCrls(crls: readonly Crl[], certificate: Certificate): Crl[] {
  return crls.filter((c) => {
    if (c.issuer.equals(certificate.issuer)) return true;
    try {
      return c.issuingDistributionPoint?.indirectCRL === true;
    } catch {
      return true; // let checkCrls report it
    }
  });
}

async function suppliedCrls(env: Env, job: Job): Promise<RevocationResult | undefined> {
  for (const p of env.supplied.problems) job.attempts.push(p);
  const crls = relevantCrls(env.supplied.crls, job.certificate);
  if (crls.length === 0) return undefined;
  const r = await checkCrls(crls, job.certificate, job.issuer, crlOptions(env, job));
  if (definitive(r)) return withSource(r, 'embedded-crl');
  job.attempts.push(`supplied CRLs: ${r.detail}`);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Online

async function cached(env: Env, key: string): Promise<RevocationCacheEntry | undefined> {
  try {
    return await env.cache?.get(key);
  } catch {
    return undefined; // a failing shared cache must not stop validation
  }
}

async function store(env: Env, key: string, data: Uint8Array, r: RevocationResult, url: string): Promise<void> {
  if (!env.cache || !r.nextUpdate) return;
  try {
    await env.cache.set(key, { data, expires: r.nextUpdate, url });
  } catch {
    // as above: the cache is an optimisation only
  }
}

function ocspUrls(env: Env, job: Job): string[] {
  try {
    const urls = httpUrls(job.certificate.authorityInfoAccess?.ocsp ?? [], env.maxUrls);
    if (urls.length === 0) job.attempts.push('OCSP: the certificate names no http(s) responder');
    return urls;
  } catch (e) {
    job.attempts.push(`OCSP: malformed authorityInfoAccess: ${message(e)}`);
    return [];
  }
}

/** Sends the request by POST (RFC 6960 App. A.1) or, when asked, by GET. */
async function askResponder(fetcher: Fetcher, url: string, request: Uint8Array, get: boolean, signal?: AbortSignal) {
  const accept = 'application/ocsp-response';
  const response = get
    ? await fetcher.fetch(ocspGetUrl(url, request), { accept, signal })
    : await fetcher.fetch(url, { body: request, contentType: 'application/ocsp-request', accept, signal });
  return response.body;
}

async function onlineOcsp(env: Env, job: Job, fetcher: Fetcher): Promise<RevocationResult | undefined> {
  const urls = ocspUrls(env, job);
  if (urls.length === 0) return undefined;
  const get = env.options.ocspGet ?? false;
  const request = createOcspRequest({
    certificate: job.certificate,
    issuer: job.issuer,
    nonce: !get && (env.options.nonce ?? true),
    hash: env.options.ocspHash,
  });
  const key = ocspCacheKey(request.certId);
  const hit = await cached(env, key);
  if (hit) {
    const r = await checkOcsp(hit.data, job.certificate, job.issuer, ocspOptions(env, job));
    if (definitive(r)) return withSource(r, 'ocsp', hit.url);
  }
  for (const url of urls) {
    try {
      const body = await askResponder(fetcher, url, request.der, get, job.context.signal);
      const r = await checkOcsp(body, job.certificate, job.issuer, ocspOptions(env, job, request.nonce));
      if (definitive(r)) {
        await store(env, key, body, r, url);
        return withSource(r, 'ocsp', url);
      }
      job.attempts.push(`OCSP ${url}: ${r.detail}`);
    } catch (e) {
      job.attempts.push(`OCSP ${url}: ${message(e)}`);
    }
  }
  return undefined;
}

function crlUrls(certificate: Certificate, max: number): string[] {
  return httpUrls(
    (certificate.crlDistributionPoints ?? []).flatMap((dp) => dp.uris),
    max,
  );
}

/** A CRL from the cache or, when absent (or `fresh`), downloaded; failures are noted in the job. */
async function downloadCrl(
  env: Env,
  job: Job,
  fetcher: Fetcher,
  url: string,
  fresh = false,
): Promise<{ crl: Crl; cached: boolean } | undefined> {
  const hit = fresh ? undefined : (await cached(env, crlCacheKey(url)))?.data;
  try {
    if (hit) return { crl: parseCrl(hit), cached: true };
  } catch {
    // a damaged cache entry: download again
  }
  try {
    const response = await fetcher.fetch(url, { accept: 'application/pkix-crl', signal: job.context.signal });
    return { crl: parseCrl(response.body), cached: false };
  } catch (e) {
    job.attempts.push(`CRL ${url}: ${message(e)}`);
    return undefined;
  }
}

/** freshestCRL URLs (RFC 5280 §4.2.1.15, §5.2.6) of the certificate and of its complete CRL. */
function deltaUrls(certificate: Certificate, crl: Crl, max: number): string[] {
  const points = (list: Certificate['extensions']) => {
    const e = list.find((x) => x.oid === OID_EXT_FRESHEST_CRL);
    try {
      return e ? decodeCrlDistributionPoints(e).flatMap((dp) => dp.uris) : [];
    } catch {
      return [];
    }
  };
  return httpUrls([...points(certificate.extensions), ...points(crl.extensions)], max);
}

/** Delta CRLs for `crl`: supplied ones and those its freshestCRL pointers name (cached like complete CRLs). */
async function deltasFor(env: Env, job: Job, fetcher: Fetcher, crl: Crl): Promise<Crl[]> {
  const deltas = suppliedDeltas(env.supplied.crls);
  for (const url of deltaUrls(job.certificate, crl, env.maxUrls)) {
    const got = await downloadCrl(env, job, fetcher, url);
    if (!got) continue;
    deltas.push(got.crl);
    const next = got.crl.nextUpdate;
    if (!got.cached && next && env.cache) {
      await env.cache.set(crlCacheKey(url), { data: got.crl.raw, expires: next, url }).catch(() => undefined);
    }
  }
  return deltas;
}

/** Checks the CRL at one URL (cached first, downloaded again when the cached copy does not answer). */
async function crlAt(env: Env, job: Job, fetcher: Fetcher, url: string): Promise<{ crl?: Crl; r?: RevocationResult }> {
  let got = await downloadCrl(env, job, fetcher, url);
  for (let round = 0; got && round < 2; round++) {
    const deltaCrls = await deltasFor(env, job, fetcher, got.crl);
    const r = await checkCrls([got.crl], job.certificate, job.issuer, { ...crlOptions(env, job), deltaCrls });
    if (definitive(r)) {
      if (!got.cached) await store(env, crlCacheKey(url), got.crl.raw, r, url);
      return { crl: got.crl, r };
    }
    if (!got.cached) {
      job.attempts.push(`CRL ${url}: ${r.detail}`);
      return { crl: got.crl };
    }
    got = await downloadCrl(env, job, fetcher, url, true);
  }
  return {};
}

function suppliedDeltas(crls: readonly Crl[]): Crl[] {
  return crls.filter((c) => {
    try {
      return c.deltaCrlIndicator !== undefined;
    } catch {
      return false;
    }
  });
}

async function onlineCrls(env: Env, job: Job, fetcher: Fetcher): Promise<RevocationResult | undefined> {
  let urls: string[];
  try {
    urls = crlUrls(job.certificate, env.maxUrls);
  } catch (e) {
    job.attempts.push(`CRL: malformed cRLDistributionPoints: ${message(e)}`);
    return undefined;
  }
  if (urls.length === 0) {
    job.attempts.push('CRL: the certificate names no http(s) distribution point');
    return undefined;
  }
  const fetched: { crl: Crl; url: string }[] = [];
  for (const url of urls) {
    if (job.context.signal?.aborted) break;
    const { crl, r } = await crlAt(env, job, fetcher, url);
    if (r) return withSource(r, 'crl', url);
    if (crl) fetched.push({ crl, url });
  }
  // Partitioned CRLs (onlySomeReasons) answer only together.
  if (fetched.length > 1) {
    const r = await checkCrls(
      fetched.map((f) => f.crl),
      job.certificate,
      job.issuer,
      crlOptions(env, job),
    );
    if (definitive(r)) return withSource(r, 'crl', fetched.map((f) => f.url).join(' '));
  }
  return undefined;
}
