// Certification path building (RFC 4158 strategy, RFC 5280 §6): depth-first with backtracking over an unordered pool, bounded by budgets.
import { allAlgorithms } from '@eds/core/all-algorithms';
import type { Certificate } from '@eds/core/x509';
import { type PathFailureReason, PathValidationError } from './errors';
import { certificateKey, hexOf, nameKey } from './trust';
import type { PathValidationOptions, RejectedPath, RevocationResult, TrustAnchor, ValidatedPath } from './types';
import { createLinkVerifier, type LinkVerifier, validateWith } from './validate';

/** Default longest path, anchor included, counting self-issued intermediates as nothing. */
const DEFAULT_MAX_DEPTH = 10;
const DEFAULT_MAX_SIGNATURE_CHECKS = 100;
/** Candidate visits allowed per signature check of the budget (cached links cost no signature). */
const VISITS_PER_CHECK = 20;
/** Rejected candidates kept for the report. */
const MAX_REJECTED = 64;

/**
 * No valid path was found: the most specific failure of the best rejected candidate (the one that
 * got furthest: a complete path to an anchor before a partial one, then the longest), with every
 * candidate tried in `rejected` (at most 64, best first). Code: `ERR_PATH_<reason>`.
 *
 * @example
 * ```ts
 * try { await buildPath(leaf, { trust }); } catch (e) {
 *   if (e instanceof PathBuildError) for (const r of e.rejected) console.log(r.reason, r.certificates.length);
 * }
 * ```
 */
export class PathBuildError extends PathValidationError {
  /** The candidate paths tried and rejected, best first. */
  readonly rejected: readonly RejectedPath[];

  constructor(
    reason: PathFailureReason,
    message: string,
    options: {
      certificate?: Certificate;
      index?: number;
      cause?: unknown;
      rejected?: readonly RejectedPath[];
      revocation?: RevocationResult;
    } = {},
  ) {
    super(reason, message, options);
    this.rejected = options.rejected ?? [];
  }
}

/** A rejected candidate with its rank: complete paths first, then partial ones with a reason, then dead ends. */
interface Ranked extends RejectedPath {
  readonly rank: number;
  readonly seq: number;
  readonly revocation: RevocationResult | undefined;
}

function better(a: Ranked, b: Ranked): number {
  return b.rank - a.rank || b.certificates.length - a.certificates.length || a.seq - b.seq;
}

/** Bytes compared as unsigned, shorter first on a common prefix. */
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}

function safe<T>(get: () => T): T | undefined {
  try {
    return get();
  } catch {
    return undefined;
  }
}

/** 0 when the child's AKI keyIdentifier equals the candidate's SKI, 2 when they differ, 1 when unknown. */
function keyIdMatch(child: Certificate, candidate: Certificate): number {
  const aki = safe(() => child.authorityKeyIdentifier?.keyIdentifier);
  const ski = safe(() => candidate.subjectKeyIdentifier);
  if (!aki || !ski) return 1;
  return compareBytes(aki, ski) === 0 ? 0 : 2;
}

/** A stable order of issuer candidates: AKI/SKI match, valid at `time`, newest notBefore, then DER bytes. */
function sortCandidates<T>(child: Certificate, items: T[], cert: (x: T) => Certificate, time: Date): T[] {
  const t = time.getTime();
  const key = (x: T) => {
    const c = cert(x);
    const valid = t >= c.notBefore.getTime() && t <= c.notAfter.getTime() ? 0 : 1;
    return { m: keyIdMatch(child, c), valid, nb: c.notBefore.getTime(), raw: c.raw };
  };
  const keyed = items.map((x) => ({ x, k: key(x) }));
  keyed.sort((a, b) => a.k.m - b.k.m || a.k.valid - b.k.valid || b.k.nb - a.k.nb || compareBytes(a.k.raw, b.k.raw));
  return keyed.map((e) => e.x);
}

/** The state of one search. */
class Search {
  readonly bySubject = new Map<string, Certificate[]>();
  readonly anchorsByRaw = new Map<string, TrustAnchor>();
  readonly rejected: Ranked[] = [];
  readonly maxDepth: number;
  readonly time: Date;
  visits = 0;
  readonly maxVisits: number;
  seq = 0;

  constructor(
    readonly options: PathValidationOptions,
    readonly verifier: LinkVerifier,
  ) {
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.time = options.time ?? new Date();
    this.maxVisits = (options.maxSignatureChecks ?? DEFAULT_MAX_SIGNATURE_CHECKS) * VISITS_PER_CHECK;
    for (const a of options.trust.anchors) this.anchorsByRaw.set(certificateKey(a.certificate), a);
    const seen = new Set<string>();
    for (const c of options.intermediates ?? []) {
      const k = certificateKey(c);
      if (seen.has(k) || this.anchorsByRaw.has(k)) continue;
      seen.add(k);
      const nk = nameKey(c.subject);
      const list = this.bySubject.get(nk);
      if (list) list.push(c);
      else this.bySubject.set(nk, [c]);
    }
  }

  /** Records a rejected candidate (keeping the best {@link MAX_REJECTED}). */
  reject(certificates: readonly Certificate[], e: unknown, complete: boolean): void {
    if (!(e instanceof PathValidationError)) throw e;
    if (e.reason === 'BUDGET') throw e;
    const rank = complete ? 2 : e.reason === 'NO_PATH' ? 0 : 1;
    const index = e.index;
    const revocation = e.revocation;
    this.rejected.push({
      certificates,
      reason: e.reason,
      message: e.message,
      index,
      rank,
      seq: this.seq++,
      revocation,
    });
    if (this.rejected.length > MAX_REJECTED * 2) {
      this.rejected.sort(better);
      this.rejected.length = MAX_REJECTED;
    }
  }

  visit(): void {
    this.options.signal?.throwIfAborted();
    if (++this.visits > this.maxVisits) {
      throw new PathValidationError('BUDGET', `more than ${this.maxVisits} candidate paths visited`);
    }
  }

  /** Logical length of `path` plus an anchor: target + non-self-issued intermediates + anchor. */
  logicalLength(path: readonly Certificate[]): number {
    let n = 2;
    for (let i = 1; i < path.length; i++) if (!(path[i] as Certificate).isSelfIssued) n++;
    return n;
  }

  async tryAnchor(path: Certificate[], anchor: TrustAnchor): Promise<ValidatedPath | undefined> {
    this.visit();
    const full = [...path, anchor.certificate];
    try {
      return await validateWith(full, anchor, this.options, this.verifier);
    } catch (e) {
      this.reject(full, e, true);
      return undefined;
    }
  }

  /** Depth-first from the last certificate of `path` towards an anchor. */
  async extend(path: Certificate[], inPath: Set<string>): Promise<ValidatedPath | undefined> {
    const current = path[path.length - 1] as Certificate;
    const anchors = sortCandidates(
      current,
      [...this.options.trust.findByName(current.issuer)],
      (a) => a.certificate,
      this.time,
    );
    let tried = false;
    for (const anchor of anchors) {
      if (inPath.has(certificateKey(anchor.certificate))) continue;
      tried = true;
      if (this.logicalLength(path) > this.maxDepth) {
        this.reject([...path, anchor.certificate], depthError(path.length, this.maxDepth), true);
        continue;
      }
      const ok = await this.tryAnchor(path, anchor);
      if (ok) return ok;
    }
    const pool = (this.bySubject.get(nameKey(current.issuer)) ?? []).filter(
      (c) => c.subject.equals(current.issuer) && !inPath.has(certificateKey(c)) && !inPath.has(logicalKey(c)),
    );
    for (const candidate of sortCandidates(current, pool, (c) => c, this.time)) {
      tried = true;
      const ok = await this.step(path, inPath, candidate);
      if (ok) return ok;
    }
    if (!tried) {
      this.visit();
      this.reject(path, noIssuer(current, path.length - 1), false);
    }
    return undefined;
  }

  async step(path: Certificate[], inPath: Set<string>, candidate: Certificate): Promise<ValidatedPath | undefined> {
    this.visit();
    const next = [...path, candidate];
    if (this.logicalLength(next) > this.maxDepth || next.length > this.maxDepth * 2 + 2) {
      this.reject(next, depthError(next.length, this.maxDepth), false);
      return undefined;
    }
    try {
      await this.verifier.verify(path[path.length - 1] as Certificate, candidate, path.length - 1);
    } catch (e) {
      this.reject(next, e, false);
      return undefined;
    }
    const keys = [certificateKey(candidate), logicalKey(candidate)];
    for (const k of keys) inPath.add(k);
    try {
      return await this.extend(next, inPath);
    } finally {
      for (const k of keys) inPath.delete(k);
    }
  }

  best(): Ranked[] {
    return [...this.rejected].sort(better).slice(0, MAX_REJECTED);
  }
}

/** Subject and key: two certificates for the same logical CA (loop detection, RFC 4158 §5.2). */
function logicalKey(c: Certificate): string {
  let k = logicalKeys.get(c);
  if (k === undefined) {
    k = `${nameKey(c.subject)}|${hexOf(c.spki)}`;
    logicalKeys.set(c, k);
  }
  return k;
}

const logicalKeys = new WeakMap<Certificate, string>();

function depthError(length: number, max: number): PathValidationError {
  return new PathValidationError('PATH_LENGTH', `a path of ${length} or more certificates exceeds maxDepth ${max}`, {
    index: length - 1,
  });
}

function noIssuer(cert: Certificate, index: number): PathValidationError {
  return new PathValidationError('NO_PATH', `no issuer found for ${cert.issuer.toString()}`, {
    certificate: cert,
    index,
  });
}

function toError(search: Search, cause?: PathValidationError): PathBuildError {
  const ranked = search.best();
  const rejected: RejectedPath[] = ranked.map(({ certificates, reason, message, index }) => ({
    certificates,
    reason,
    message,
    index,
  }));
  if (cause) {
    return new PathBuildError(cause.reason, cause.message, {
      certificate: cause.certificate,
      index: cause.index,
      rejected,
      ...(cause.revocation ? { revocation: cause.revocation } : {}),
    });
  }
  const top = ranked[0];
  if (!top) return new PathBuildError('NO_PATH', 'no certification path found', { rejected });
  const certificate = top.index === undefined ? undefined : top.certificates[top.index];
  const revocation = top.revocation ? { revocation: top.revocation } : {};
  return new PathBuildError(top.reason, top.message, { certificate, index: top.index, rejected, ...revocation });
}

/**
 * Builds and validates a certification path from `target` to an anchor of `options.trust`
 * (RFC 5280 §6; RFC 4158 path-building strategy). Issuer candidates come from
 * `options.intermediates` and the trust store by name chaining, ordered by a stable key (AKI/SKI
 * match, valid at the time, newest notBefore, DER bytes) so the result does not depend on input
 * order. The search is depth-first with backtracking across cross-certificates and alternatives;
 * no certificate (and no subject+key pair) appears twice in a path; each complete candidate is
 * validated by {@link validatePath}. `maxDepth` (default 10) counts the target, the anchor and the
 * intermediates that are not self-issued; `maxSignatureChecks` (default 100) bounds signature
 * verifications and, times 20, candidate visits. A target that is itself an anchor is valid.
 *
 * @throws PathBuildError (a {@link PathValidationError}) with the most specific reason of the best
 *   rejected candidate and all rejected candidates in `rejected`; `NO_PATH` when no issuer is
 *   found; `BUDGET` when a budget runs out first. The signal's reason when aborted.
 * @example
 * ```ts
 * const path = await buildPath(leaf, { trust, intermediates: cms.certificates, purpose: 'document-signing' });
 * path.certificates.length; // 3
 * ```
 */
export async function buildPath(target: Certificate, input: PathValidationOptions): Promise<ValidatedPath> {
  // One time for every candidate (and the candidate order), fixed when the caller gives none.
  const options: PathValidationOptions = input.time ? input : { ...input, time: new Date() };
  const verifier = createLinkVerifier(
    options.algorithms ?? allAlgorithms,
    options.maxSignatureChecks ?? DEFAULT_MAX_SIGNATURE_CHECKS,
  );
  const search = new Search(options, verifier);
  try {
    const self = search.anchorsByRaw.get(certificateKey(target));
    if (self) {
      try {
        return await validateWith([target], self, options, verifier);
      } catch (e) {
        search.reject([target], e, true);
      }
    }
    const inPath = new Set([certificateKey(target), logicalKey(target)]);
    const found = await search.extend([target], inPath);
    if (found) return found;
  } catch (e) {
    if (e instanceof PathValidationError && e.reason === 'BUDGET') throw toError(search, e);
    throw e;
  }
  throw toError(search);
}
