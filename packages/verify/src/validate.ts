// Certification path validation (RFC 5280 §6.1) of an ordered path, with purposes (EKU/KU), name constraints, policies (RFC 9618) and revocation.

import { verifySignature } from '@eds/core/algorithms';
import { allAlgorithms } from '@eds/core/all-algorithms';
import { DecodeError, UnsupportedAlgorithmError } from '@eds/core/errors';
import { decodeInhibitAnyPolicy, findExtension, type NameConstraints } from '@eds/core/extensions';
import { parsePublicKey } from '@eds/core/keys';
import type { PublicKey, SignatureAlgorithm } from '@eds/core/types';
import type { Certificate } from '@eds/core/x509';
import { nameConstraintsProblem, nameConstraintsViolation } from './_name-constraints';
import {
  ANY_POLICY,
  finishPolicies,
  initialPolicyState,
  PolicyFailure,
  type PolicyState,
  processMappings,
  processPolicies,
  updateCounters,
} from './_policy';
import { type PathFailureReason, PathValidationError } from './errors';
import { buildPath } from './path';
import type {
  CertificatePurpose,
  PathValidationOptions,
  RevocationMode,
  RevocationResult,
  TrustAnchor,
  TrustStore,
  ValidatedPath,
  ValidateSigner,
} from './types';

const OID_KP = {
  any: '2.5.29.37.0',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
} as const;
const OID_EXT_EKU = '2.5.29.37';
const OID_EXT_INHIBIT_ANY_POLICY = '2.5.29.54';

/**
 * Critical extensions this validator processes (RFC 5280 §6.1.4 o, §6.1.5 f). Any other critical
 * extension rejects the path; authorityKeyIdentifier, subjectKeyIdentifier and authorityInfoAccess
 * must be non-critical (RFC 5280 §4.2.1.1, §4.2.1.2, §4.2.2.1) so are not in the list.
 */
const HANDLED_CRITICAL = new Set([
  '2.5.29.15', // keyUsage
  '2.5.29.17', // subjectAltName
  '2.5.29.18', // issuerAltName
  '2.5.29.19', // basicConstraints
  '2.5.29.30', // nameConstraints
  '2.5.29.31', // cRLDistributionPoints (read by the revocation checker)
  '2.5.29.32', // certificatePolicies
  '2.5.29.33', // policyMappings
  '2.5.29.36', // policyConstraints
  '2.5.29.37', // extKeyUsage
  '2.5.29.46', // freshestCRL (read by the revocation checker)
  '2.5.29.54', // inhibitAnyPolicy
  '1.3.6.1.5.5.7.48.1.5', // id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1)
]);

/** Nesting limit of signer validations (a CRL signer's own revocation check, and so on). */
const MAX_SIGNER_DEPTH = 4;
const SIGNER_DEPTH = Symbol('signerDepth');
/** The purpose of the outermost validation, which also admits the anchors of its revocation signers. */
const OUTER_PURPOSE = Symbol('outerPurpose');
/** Signer validations already run under one top-level validation, by certificate, purpose and time. */
const SIGNER_CACHE = Symbol('signerCache');
/** id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1). */
const OID_OCSP_NO_CHECK = '1.3.6.1.5.5.7.48.1.5';

/**
 * Verifies certificate signatures for path building and validation, caching each (certificate,
 * issuer key) result and counting verifications against a budget. @internal (shared with path.ts).
 */
export interface LinkVerifier {
  /**
   * Verifies `child`'s signature with `issuer`'s public key.
   *
   * @throws PathValidationError `SIGNATURE` (bad signature or issuer key), `UNSUPPORTED_ALGORITHM`,
   *   or `BUDGET` when the budget is spent.
   */
  verify(child: Certificate, issuer: Certificate, index: number): Promise<void>;
  /** Signature verifications done so far. */
  readonly checks: number;
}

type LinkResult = { ok: true } | { ok: false; reason: PathFailureReason; message: string; cause?: unknown };

/**
 * Creates a {@link LinkVerifier} over an algorithm set (RFC 5280 §6.1.3 a.1) with a budget of
 * signature verifications. @internal (used by path.ts; not part of the package API).
 *
 * @throws nothing; see {@link LinkVerifier.verify}.
 * @example
 * ```ts
 * const v = createLinkVerifier(allAlgorithms, 100);
 * await v.verify(leaf, ca, 0);
 * ```
 */
export function createLinkVerifier(algorithms: readonly SignatureAlgorithm[], budget = Infinity): LinkVerifier {
  const keys = new WeakMap<Certificate, PublicKey | LinkResult>();
  const results = new WeakMap<Certificate, Map<Certificate, LinkResult>>();
  let checks = 0;
  const keyOf = (issuer: Certificate): PublicKey | LinkResult => {
    let k = keys.get(issuer);
    if (!k) {
      k = readKey(issuer);
      keys.set(issuer, k);
    }
    return k;
  };
  const run = async (child: Certificate, issuer: Certificate): Promise<LinkResult> => {
    const key = keyOf(issuer);
    if ('ok' in key) return key;
    if (checks >= budget) return { ok: false, reason: 'BUDGET', message: `more than ${budget} signature checks` };
    checks++;
    return checkSignature(algorithms, child, key);
  };
  return {
    get checks() {
      return checks;
    },
    async verify(child, issuer, index) {
      const byIssuer = results.get(child) ?? new Map<Certificate, LinkResult>();
      results.set(child, byIssuer);
      let r = byIssuer.get(issuer);
      if (!r) {
        r = await run(child, issuer);
        if (r.ok || r.reason !== 'BUDGET') byIssuer.set(issuer, r);
      }
      if (!r.ok) throw new PathValidationError(r.reason, r.message, { certificate: child, index, cause: r.cause });
    },
  };
}

function readKey(issuer: Certificate): PublicKey | LinkResult {
  try {
    return parsePublicKey(issuer.spki);
  } catch (e) {
    if (e instanceof UnsupportedAlgorithmError) {
      return { ok: false, reason: 'UNSUPPORTED_ALGORITHM', message: `issuer key: ${e.message}`, cause: e };
    }
    if (e instanceof DecodeError)
      return { ok: false, reason: 'SIGNATURE', message: `bad issuer key: ${e.message}`, cause: e };
    throw e;
  }
}

async function checkSignature(
  algorithms: readonly SignatureAlgorithm[],
  child: Certificate,
  key: PublicKey,
): Promise<LinkResult> {
  try {
    const ok = await verifySignature(algorithms, {
      algorithm: child.signatureAlgorithm,
      publicKey: key,
      data: child.tbs,
      signature: child.signature,
    });
    return ok ? { ok: true } : { ok: false, reason: 'SIGNATURE', message: 'the signature does not verify' };
  } catch (e) {
    if (e instanceof UnsupportedAlgorithmError) {
      return { ok: false, reason: 'UNSUPPORTED_ALGORITHM', message: e.message, cause: e };
    }
    if (e instanceof DecodeError) return { ok: false, reason: 'SIGNATURE', message: e.message, cause: e };
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Per-certificate checks

function fail(
  reason: PathFailureReason,
  message: string,
  cert: Certificate,
  index: number,
  cause?: unknown,
  revocation?: RevocationResult,
): never {
  throw new PathValidationError(reason, message, { certificate: cert, index, cause, revocation });
}

/** Reads an extension getter; a decode failure is a MALFORMED certificate. */
function read<T>(cert: Certificate, index: number, what: string, get: () => T): T {
  try {
    return get();
  } catch (e) {
    if (e instanceof DecodeError) fail('MALFORMED', `malformed ${what}: ${e.message}`, cert, index, e);
    throw e;
  }
}

/** RFC 5280 MUSTs on the certificate's own encoding that the other checks rely on (§4.1.2.4, §4.1.2.6, §4.2). */
function checkWellFormed(cert: Certificate, index: number, issuer: boolean): void {
  const bc = read(cert, index, 'basicConstraints', () => cert.basicConstraints);
  const ku = read(cert, index, 'keyUsage', () => cert.keyUsage);
  read(cert, index, 'extKeyUsage', () => cert.extKeyUsage);
  read(cert, index, 'certificatePolicies', () => cert.certificatePolicies);
  read(cert, index, 'policyMappings', () => cert.policyMappings);
  read(cert, index, 'policyConstraints', () => cert.policyConstraints);
  const san = read(cert, index, 'subjectAltName', () => cert.subjectAltName);
  const nc = read(cert, index, 'nameConstraints', () => cert.nameConstraints);
  if (cert.issuer.isEmpty) fail('MALFORMED', 'empty issuer name (RFC 5280 §4.1.2.4)', cert, index);
  if (bc?.ca && cert.subject.isEmpty)
    fail('MALFORMED', 'a CA certificate with an empty subject (§4.1.2.6)', cert, index);
  if (cert.subject.isEmpty) {
    const e = cert.extensions.find((x) => x.oid === '2.5.29.17');
    if (!san || !e?.critical)
      fail('MALFORMED', 'empty subject without a critical subjectAltName (§4.1.2.6)', cert, index);
  }
  // For an issuer, checkIssuer reports the more specific NOT_CA.
  if (!issuer && ku?.has('keyCertSign') && !bc?.ca)
    fail('MALFORMED', 'keyCertSign without basicConstraints cA (§4.2.1.3)', cert, index);
  if (!issuer && nc && !bc?.ca)
    fail('MALFORMED', 'nameConstraints in a certificate that is not a CA (§4.2.1.10)', cert, index);
  if (nc) {
    const p = nameConstraintsProblem(nc);
    if (p) fail('NAME_CONSTRAINTS', p, cert, index);
  }
}

function inhibitAnyPolicyOf(cert: Certificate, index: number): number | undefined {
  const e = findExtension(cert.extensions, OID_EXT_INHIBIT_ANY_POLICY);
  return e ? read(cert, index, 'inhibitAnyPolicy', () => decodeInhibitAnyPolicy(e)) : undefined;
}

/** RFC 5280 §4.1.2.5: certificate times have whole seconds, so the validation time is compared at that precision. */
function checkValidity(cert: Certificate, index: number, time: Date): void {
  const t = Math.floor(time.getTime() / 1000) * 1000;
  if (t < cert.notBefore.getTime()) {
    fail('NOT_YET_VALID', `not valid before ${cert.notBefore.toISOString()}`, cert, index);
  }
  if (t > cert.notAfter.getTime()) fail('EXPIRED', `expired at ${cert.notAfter.toISOString()}`, cert, index);
}

function checkCritical(cert: Certificate, index: number): void {
  for (const e of cert.extensions) {
    if (e.critical && !HANDLED_CRITICAL.has(e.oid)) {
      fail('UNKNOWN_CRITICAL_EXTENSION', `unprocessed critical extension ${e.oid}`, cert, index);
    }
  }
}

/** RFC 5280 §6.1.4 k-n for an issuer: a CA, within the path length, allowed to sign certificates. */
function checkIssuer(cert: Certificate, index: number, state: ValidationState): void {
  const bc = cert.basicConstraints;
  if (cert.version < 3) fail('NOT_CA', `a v${cert.version} certificate cannot issue certificates`, cert, index);
  if (!bc?.ca) fail('NOT_CA', 'an issuer without basicConstraints cA (RFC 5280 §6.1.4 k)', cert, index);
  if (!cert.isSelfIssued) {
    if (state.maxPathLength <= 0) fail('PATH_LENGTH', 'pathLenConstraint exceeded (RFC 5280 §6.1.4 l)', cert, index);
    state.maxPathLength--;
  }
  if (bc.pathLength !== undefined && bc.pathLength < state.maxPathLength) state.maxPathLength = bc.pathLength;
  const ku = cert.keyUsage;
  if (ku && !ku.has('keyCertSign')) fail('KEY_USAGE', 'an issuer without keyUsage keyCertSign (§6.1.4 n)', cert, index);
}

/** EKU OIDs accepted for a purpose (RFC 5280 §4.2.1.12), besides anyExtendedKeyUsage where allowed. */
function purposeEkus(purpose: CertificatePurpose): { oids: string[]; required: boolean; any: boolean } {
  switch (purpose) {
    case 'document-signing':
      return { oids: [OID_KP.emailProtection], required: false, any: true };
    case 'timestamping':
      return { oids: [OID_KP.timeStamping], required: true, any: false };
    case 'ocsp-signing':
      return { oids: [OID_KP.ocspSigning], required: true, any: false };
    case 'server-auth':
      return { oids: [OID_KP.serverAuth], required: false, any: true };
    case 'client-auth':
      return { oids: [OID_KP.clientAuth], required: false, any: true };
    default:
      return { oids: [], required: false, any: true };
  }
}

/** The target's key usage and extended key usage for the purpose (RFC 5280 §4.2.1.3, §4.2.1.12; RFC 3161 §2.3). */
function checkPurpose(cert: Certificate, options: PathValidationOptions): void {
  const purpose = options.purpose ?? 'document-signing';
  const ku = cert.keyUsage;
  if (purpose === 'document-signing' && ku && !ku.has('digitalSignature') && !ku.has('nonRepudiation')) {
    fail('KEY_USAGE', 'neither digitalSignature nor nonRepudiation in keyUsage', cert, 0);
  }
  if (purpose === 'crl-signing' && ku && !ku.has('cRLSign')) fail('KEY_USAGE', 'no cRLSign in keyUsage', cert, 0);
  if (purpose === 'any' || purpose === 'crl-signing') return;
  const want = purposeEkus(purpose);
  const eku = cert.extKeyUsage;
  if (!eku) {
    if (want.required) fail('EXTENDED_KEY_USAGE', `no extKeyUsage; ${purpose} requires one`, cert, 0);
    return;
  }
  const ok = new Set([...want.oids, ...(options.requiredEku ?? [])]);
  if (want.any) ok.add(OID_KP.any);
  if (!eku.some((o) => ok.has(o))) fail('EXTENDED_KEY_USAGE', `extKeyUsage does not allow ${purpose}`, cert, 0);
  if (purpose === 'timestamping') {
    const critical = findExtension(cert.extensions, OID_EXT_EKU)?.critical;
    if (!critical || eku.length !== 1) {
      fail(
        'EXTENDED_KEY_USAGE',
        'a TSA certificate needs one critical id-kp-timeStamping EKU (RFC 3161 §2.3)',
        cert,
        0,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The path

/** The RFC 5280 §6.1.2 state variables this module keeps besides the policy ones. */
interface ValidationState {
  maxPathLength: number;
  readonly constraints: NameConstraints[];
  readonly policy: PolicyState;
}

function checkShape(path: readonly Certificate[], anchor: TrustAnchor): void {
  if (path.length === 0) throw new PathValidationError('NO_PATH', 'an empty path');
  const top = path[path.length - 1] as Certificate;
  const a = anchor.certificate;
  if (top !== a && (top.raw.length !== a.raw.length || !top.raw.every((b, i) => b === a.raw[i]))) {
    throw new PathValidationError('NO_PATH', 'the path does not end with the trust anchor', {
      certificate: top,
      index: path.length - 1,
    });
  }
}

function checkAnchorPurpose(anchor: TrustAnchor, options: PathValidationOptions, n: number): void {
  const purpose = options.purpose ?? 'document-signing';
  const outer = (options as Nested)[OUTER_PURPOSE];
  if (anchor.purposes && !anchor.purposes.has(purpose) && !(outer && anchor.purposes.has(outer))) {
    throw new PathValidationError('ANCHOR_NOT_ALLOWED', `the trust anchor may not be used for ${purpose}`, {
      certificate: anchor.certificate,
      index: n,
    });
  }
}

/** RFC 5937-style checks of the anchor certificate, when the caller asks for them. */
function checkAnchorConstraints(anchor: Certificate, n: number, time: Date, state: ValidationState): void {
  checkWellFormed(anchor, n, n > 0);
  checkValidity(anchor, n, time);
  checkCritical(anchor, n);
  if (n === 0) return;
  const bc = anchor.basicConstraints;
  if (anchor.version >= 3 && !bc?.ca) fail('NOT_CA', 'the anchor has no basicConstraints cA', anchor, n);
  if (anchor.keyUsage && !anchor.keyUsage.has('keyCertSign'))
    fail('KEY_USAGE', 'the anchor lacks keyCertSign', anchor, n);
  if (bc?.pathLength !== undefined && bc.pathLength < state.maxPathLength) state.maxPathLength = bc.pathLength;
  if (anchor.nameConstraints) state.constraints.push(anchor.nameConstraints);
}

/** §6.1.3 for certificate `k` of the path (0 = target), issued by the certificate at `k + 1`. */
async function processCertificate(
  path: readonly Certificate[],
  k: number,
  state: ValidationState,
  ctx: { time: Date; verifier: LinkVerifier },
): Promise<void> {
  const cert = path[k] as Certificate;
  const issuer = path[k + 1] as Certificate;
  const n = path.length - 1;
  if (!cert.issuer.equals(issuer.subject)) {
    fail('NAME_CHAINING', `issuer ${cert.issuer} is not the subject of the next certificate`, cert, k);
  }
  await ctx.verifier.verify(cert, issuer, k);
  checkValidity(cert, k, ctx.time);
  checkWellFormed(cert, k, k > 0);
  if (!(cert.isSelfIssued && k > 0)) {
    const why = nameConstraintsViolation(cert, state.constraints);
    if (why) fail('NAME_CONSTRAINTS', why, cert, k);
  }
  policyStep(() => processPolicies(state.policy, cert, n - k, n), cert, k);
  if (k === 0) return;
  policyStep(() => processMappings(state.policy, cert), cert, k);
  if (cert.nameConstraints) state.constraints.push(cert.nameConstraints);
  updateCounters(state.policy, cert, inhibitAnyPolicyOf(cert, k));
  checkIssuer(cert, k, state);
  checkCritical(cert, k);
}

function policyStep<T>(step: () => T, cert: Certificate, index: number): T {
  try {
    return step();
  } catch (e) {
    if (e instanceof PolicyFailure) fail('POLICY', e.message, cert, index, e);
    throw e;
  }
}

async function processPath(
  path: readonly Certificate[],
  anchor: TrustAnchor,
  options: PathValidationOptions,
  ctx: { time: Date; verifier: LinkVerifier },
): Promise<string[]> {
  const n = path.length - 1;
  const initial = options.initialPolicySet?.length ? options.initialPolicySet : [ANY_POLICY];
  const state: ValidationState = { maxPathLength: n, constraints: [], policy: initialPolicyState(n, options) };
  if (options.enforceAnchorConstraints) checkAnchorConstraints(anchor.certificate, n, ctx.time, state);
  if (n === 0) return initial.includes(ANY_POLICY) ? [ANY_POLICY] : [...initial].sort();
  for (let k = n - 1; k >= 0; k--) {
    options.signal?.throwIfAborted();
    await processCertificate(path, k, state, ctx);
  }
  const target = path[0] as Certificate;
  const policies = policyStep(() => finishPolicies(state.policy, target, initial), target, 0);
  checkCritical(target, 0);
  checkPurpose(target, options);
  return policies;
}

// ---------------------------------------------------------------------------------------------
// Revocation

/** Options of a nested signer validation: its depth and the purpose of the outermost one. */
type Nested = {
  [SIGNER_DEPTH]?: number;
  [OUTER_PURPOSE]?: CertificatePurpose;
  [SIGNER_CACHE]?: Map<string, Promise<ValidatedPath>>;
};

/**
 * The validateSigner given to the revocation checker: builds the signer's path to the same trust
 * anchor (RFC 5280 §6.3.3 f) with the path's certificates as candidates, the signer's purpose and
 * time, and default policy inputs.
 */
function signerValidator(
  options: PathValidationOptions,
  path: readonly Certificate[],
  anchor: TrustAnchor,
): ValidateSigner {
  const depth = ((options as Nested)[SIGNER_DEPTH] ?? 0) + 1;
  const outer = (options as Nested)[OUTER_PURPOSE] ?? options.purpose ?? 'document-signing';
  // Shared by every nested validation under this one: a responder or CRL signer met again is not
  // validated again (hostile data could otherwise multiply the work at every level).
  const cache = (options as Nested)[SIGNER_CACHE] ?? new Map<string, Promise<ValidatedPath>>();
  return (certificate, o) => {
    const key = `${certificate.fingerprintHex('sha256')} ${o.purpose} ${o.time.getTime()}`;
    const known = cache.get(key);
    if (known) return known;
    if (depth > MAX_SIGNER_DEPTH) {
      return Promise.reject(
        new PathValidationError('REVOCATION_UNKNOWN', 'revocation signers nested too deeply', { certificate }),
      );
    }
    const trust: TrustStore = {
      anchors: [anchor],
      findByName: (name) => (anchor.certificate.subject.equals(name) ? [anchor] : []),
    };
    const nested: PathValidationOptions & Nested = {
      ...options,
      trust,
      purpose: o.purpose,
      initialPolicySet: undefined,
      explicitPolicy: undefined,
      policyMappingInhibit: undefined,
      anyPolicyInhibit: undefined,
      time: o.time,
      signal: o.signal ?? options.signal,
      requiredEku: undefined,
      intermediates: [...path.slice(1), ...(options.intermediates ?? [])],
      [SIGNER_DEPTH]: depth,
      [OUTER_PURPOSE]: outer,
      [SIGNER_CACHE]: cache,
    };
    const result = buildPath(certificate, nested);
    cache.set(key, result);
    return result;
  };
}

const STATUS_REASON: Record<string, PathFailureReason> = {
  revoked: 'REVOKED',
  suspended: 'SUSPENDED',
  unknown: 'REVOCATION_UNKNOWN',
};

async function checkRevocation(
  path: readonly Certificate[],
  anchor: TrustAnchor,
  options: PathValidationOptions,
  time: Date,
): Promise<(RevocationResult | undefined)[]> {
  const out: (RevocationResult | undefined)[] = path.map(() => undefined);
  const checker = options.revocation;
  const mode = (checker as { mode?: RevocationMode } | undefined)?.mode ?? 'require';
  if (!checker) return out;
  const validateSigner = signerValidator(options, path, anchor);
  // A delegated OCSP responder with id-pkix-ocsp-nocheck is not checked (RFC 6960 §4.2.2.2.1).
  const noCheck =
    options.purpose === 'ocsp-signing' && (path[0] as Certificate).extensions.some((e) => e.oid === OID_OCSP_NO_CHECK);
  for (let k = path.length - 2; k >= (noCheck ? 1 : 0); k--) {
    options.signal?.throwIfAborted();
    const cert = path[k] as Certificate;
    let r: RevocationResult;
    try {
      r = await checker(cert, path[k + 1] as Certificate, {
        time,
        path,
        index: k,
        validateSigner,
        signal: options.signal,
      });
    } catch (e) {
      options.signal?.throwIfAborted();
      fail('REVOCATION_UNKNOWN', `the revocation check failed: ${String((e as Error)?.message ?? e)}`, cert, k, e);
    }
    out[k] = r;
    const reason = STATUS_REASON[r.status];
    // `prefer`: a status that could not be found is reported in the result, not a failure; a
    // revocation dated after the validation time does not affect the certificate at that time
    // (RFC 5280 §5.3.2 revocationDate; ETSI EN 319 102-1 §5.2.5).
    const later =
      r.status !== 'unknown' && r.revocationTime !== undefined && r.revocationTime.getTime() > time.getTime();
    if (reason && !later && !(r.status === 'unknown' && mode === 'prefer')) {
      const what = r.reason ? ` (${r.reason})` : r.detail ? `: ${r.detail}` : '';
      fail(reason, `revocation status ${r.status} from ${r.source}${what}`, cert, k, undefined, r);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

/**
 * Runs {@link validatePath} with a given signature verifier (shared with the path builder so each
 * link is verified once and counted against its budget). @internal (used by path.ts).
 *
 * @throws PathValidationError as {@link validatePath}.
 * @example
 * ```ts
 * await validateWith([leaf, ca, root], anchor, options, createLinkVerifier(allAlgorithms));
 * ```
 */
export async function validateWith(
  path: readonly Certificate[],
  anchor: TrustAnchor,
  options: PathValidationOptions,
  verifier: LinkVerifier,
): Promise<ValidatedPath> {
  const time = options.time ?? new Date();
  checkShape(path, anchor);
  checkAnchorPurpose(anchor, options, path.length - 1);
  const policies = await processPath(path, anchor, options, { time, verifier });
  const revocation = await checkRevocation(path, anchor, options, time);
  return { certificates: [...path], anchor, time, policies, revocation };
}

/**
 * Validates an ordered certification path (RFC 5280 §6.1): `path` is the target first and ends
 * with the anchor's certificate. Checks, from the anchor down: name chaining, every signature (with
 * `options.algorithms`, default every algorithm of @eds/core), validity at `options.time`,
 * RFC 5280 MUSTs the checks rely on, name constraints (DN, rfc822 incl. emailAddress in the DN, DNS,
 * URI, IP; other forms fail closed), certificate policies on the RFC 9618 graph with the
 * §6.1.1 c, e-h inputs, basicConstraints cA and pathLenConstraint, keyUsage keyCertSign, unknown
 * critical extensions, then the target's key usage and EKU for `options.purpose`. When all of that
 * passes and `options.revocation` is set, checks every certificate but the anchor, anchor side first,
 * giving the checker a `validateSigner` that builds the signer's path with {@link buildPath} and the
 * same options. The anchor certificate itself is checked only with `options.enforceAnchorConstraints`.
 *
 * @returns the path, anchor, time, user-constrained-policy-set and revocation results.
 * @throws PathValidationError with the reason, the offending certificate and its index
 *   (0 = target): e.g. `SIGNATURE`, `UNSUPPORTED_ALGORITHM` (DSA), `EXPIRED`, `NOT_CA`, `POLICY`,
 *   `REVOKED`, `SUSPENDED`, `REVOCATION_UNKNOWN`, `ANCHOR_NOT_ALLOWED`.
 * @example
 * ```ts
 * const v = await validatePath([leaf, ca, root], trust.anchors[0], { trust, time: new Date() });
 * v.policies; // ['1.2.643.100.113.1']
 * ```
 */
export function validatePath(
  path: readonly Certificate[],
  anchor: TrustAnchor,
  options: PathValidationOptions,
): Promise<ValidatedPath> {
  return validateWith(path, anchor, options, createLinkVerifier(options.algorithms ?? allAlgorithms));
}
