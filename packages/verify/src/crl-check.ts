// CRL checking of one certificate (RFC 5280 §6.3): issuer and signer, scope, delta CRLs, freshness, entries.

import { verifySignature } from '@eds/core/algorithms';
import { allAlgorithms } from '@eds/core/all-algorithms';
import { decodeDer, der } from '@eds/core/asn1';
import { type Crl, type CrlEntryIndex, parseCrl, type RevokedEntry } from '@eds/core/crl';
import { DecodeError } from '@eds/core/errors';
import {
  type DistributionPoint,
  type DistributionPointName,
  type GeneralName,
  type IssuingDistributionPoint,
  REASON_FLAG_BITS,
  type ReasonFlag,
} from '@eds/core/extensions';
import { parsePublicKey } from '@eds/core/keys';
import { type Name, parseName } from '@eds/core/name';
import {
  OID_EXT_AUTHORITY_KEY_IDENTIFIER,
  OID_EXT_CERTIFICATE_ISSUER,
  OID_EXT_CRL_NUMBER,
  OID_EXT_CRL_REASON,
  OID_EXT_DELTA_CRL_INDICATOR,
  OID_EXT_FRESHEST_CRL,
  OID_EXT_INVALIDITY_DATE,
  OID_EXT_ISSUER_ALT_NAME,
  OID_EXT_ISSUING_DISTRIBUTION_POINT,
} from '@eds/core/oids';
import type { SignatureAlgorithm } from '@eds/core/types';
import type { Certificate } from '@eds/core/x509';
import type { RevocationResult, ValidateSigner } from './types';

/** Options of {@link checkCrl} and {@link checkCrls}. */
export interface CrlCheckOptions {
  /** The validation time. */
  readonly time: Date;
  /**
   * The latest acceptable thisUpdate (and producedAt), default `time`. When validating at a past
   * time, data issued later, up to the present, still covers that time (ETSI EN 319 102-1
   * §5.2.5: revocation information issued after the best signature time).
   */
  readonly issuedUntil?: Date | undefined;
  /** Largest accepted age of the CRL (now minus thisUpdate), in seconds; no limit when absent. */
  readonly maxAge?: number | undefined;
  /** Tolerated clock difference for thisUpdate and nextUpdate, in milliseconds (default 5 minutes). */
  readonly clockSkewMs?: number | undefined;
  /** Delta CRLs that may update the complete CRL (RFC 5280 §5.2.4); unusable ones are ignored. */
  readonly deltaCrls?: readonly (Crl | Uint8Array)[] | undefined;
  /**
   * Validates a CRL signer that is not in the validated path (an indirect CRL issuer, a
   * rollover certificate from `signers`). Without it such signers are not used.
   */
  readonly validateSigner?: ValidateSigner | undefined;
  /** Signature algorithms accepted (default: every algorithm of @eds/core). */
  readonly algorithms?: readonly SignatureAlgorithm[] | undefined;
  /**
   * Certificates of the validated path above the issuer. One with the CRL issuer's name may have
   * signed the CRL with an older key of the same CA (key rollover) and needs no further validation.
   */
  readonly trustedSigners?: readonly Certificate[] | undefined;
  /** Other candidate CRL signers; used only after `validateSigner` accepts them for `crl-signing`. */
  readonly signers?: readonly Certificate[] | undefined;
  readonly signal?: AbortSignal | undefined;
}

const DEFAULT_SKEW_MS = 5 * 60_000;
/** CRL extensions this module processes (RFC 5280 §5.2); any other critical one makes the CRL unusable. */
const HANDLED_CRL_EXTENSIONS: ReadonlySet<string> = new Set([
  OID_EXT_AUTHORITY_KEY_IDENTIFIER,
  OID_EXT_ISSUER_ALT_NAME,
  OID_EXT_CRL_NUMBER,
  OID_EXT_DELTA_CRL_INDICATOR,
  OID_EXT_ISSUING_DISTRIBUTION_POINT,
  OID_EXT_FRESHEST_CRL,
]);
const ALL_REASONS: readonly ReasonFlag[] = REASON_FLAG_BITS.filter((r) => r !== 'unused');
/** CRL entry extensions this module processes (RFC 5280 §5.3); certificateIssuer only in indirect CRLs. */
const HANDLED_ENTRY_EXTENSIONS = new Set([OID_EXT_CRL_REASON, OID_EXT_INVALIDITY_DATE, OID_EXT_CERTIFICATE_ISSUER]);

/** Why a CRL is unusable, remembered. */
type UnusableNote = { readonly unusable: string };

/**
 * What is learnt once about a Crl object, whatever the certificate: its own extensions and IDP,
 * the checked entry index, and signature checks by algorithm set and signer key. Kept as long as
 * the Crl object lives; a Crl is an immutable view, so none of it goes stale.
 */
interface CrlState {
  header?: { readonly idp: IssuingDistributionPoint | undefined } | UnusableNote;
  entries?: CrlEntryIndex | UnusableNote;
  readonly signatures: WeakMap<readonly SignatureAlgorithm[], Map<string, Promise<boolean>>>;
}

const states = new WeakMap<Crl, CrlState>();

function stateOf(crl: Crl): CrlState {
  const state = states.get(crl) ?? { signatures: new WeakMap() };
  states.set(crl, state);
  return state;
}

/** Runs `fn`, keeping an {@link Unusable} it throws as a note. */
function noteUnusable<T>(fn: () => T): T | UnusableNote {
  try {
    return fn();
  } catch (e) {
    if (e instanceof Unusable) return { unusable: e.message };
    throw e;
  }
}

const isNote = (x: object): x is UnusableNote => 'unusable' in x;

/** Why a CRL cannot be used; becomes status `unknown` with this text as `detail`. */
class Unusable extends Error {}

/** The status one CRL (with its delta) gives, and the reasons it covers (RFC 5280 §6.3.3 d). */
interface CrlVerdict {
  readonly result: RevocationResult;
  readonly reasons: ReadonlySet<ReasonFlag>;
}

function unknown(detail: string, crl?: Crl): RevocationResult {
  return {
    status: 'unknown',
    source: 'crl',
    detail,
    thisUpdate: crl?.thisUpdate,
    nextUpdate: crl?.nextUpdate,
  };
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function bytesEqual(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function toCrl(input: Crl | Uint8Array): Crl {
  try {
    return input instanceof Uint8Array ? parseCrl(input) : input;
  } catch (e) {
    throw new Unusable(`malformed CRL: ${message(e)}`);
  }
}

/** Reads a getter that decodes an extension, turning a decode failure into {@link Unusable}. */
function read<T>(what: string, get: () => T): T {
  try {
    return get();
  } catch (e) {
    throw new Unusable(`malformed ${what}: ${message(e)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Scope: issuer, distribution point, onlyContains*, reasons (RFC 5280 §6.3.3 b)

/** The full name of a DistributionPointName; nameRelativeToCRLIssuer is appended to `base` (§4.2.1.13). */
function fullNames(name: DistributionPointName, base: Name): GeneralName[] {
  if (name.type === 'fullName') return [...name.names];
  const rdns = decodeDer(base.raw, 'Name')
    .children()
    .map((c) => c.bytes);
  const rdn = decodeDer(name.raw, 'nameRelativeToCRLIssuer');
  return [{ type: 'directoryName', value: parseName(der.seq(...rdns, der.tlv(0x31, rdn.value))) }];
}

function generalNameEquals(a: GeneralName, b: GeneralName): boolean {
  if (a.type === 'directoryName' && b.type === 'directoryName') return a.value.equals(b.value);
  if (a.type === 'uniformResourceIdentifier' && b.type === 'uniformResourceIdentifier') return a.value === b.value;
  if ((a.type === 'dNSName' || a.type === 'rfc822Name') && a.type === b.type)
    return a.value.toLowerCase() === b.value.toLowerCase();
  return false;
}

function anyNameMatches(a: readonly GeneralName[], b: readonly GeneralName[]): boolean {
  return a.some((x) => b.some((y) => generalNameEquals(x, y)));
}

function directoryNames(names: readonly GeneralName[] | undefined): Name[] {
  return (names ?? []).flatMap((n) => (n.type === 'directoryName' ? [n.value] : []));
}

/** True when the certificate may be a CA: cA asserted, or a v1/v2 certificate (which carries no basicConstraints). */
function mayBeCa(cert: Certificate): boolean {
  return cert.isCA || cert.version < 3;
}

/** Reasons of `dp` restricted by the IDP's onlySomeReasons (§6.3.3 d). */
function interimReasons(dp: DistributionPoint | undefined, idp: IssuingDistributionPoint | undefined): Set<ReasonFlag> {
  const fromDp = dp?.reasons;
  const fromIdp = idp?.onlySomeReasons;
  return new Set(ALL_REASONS.filter((r) => (!fromDp || fromDp.has(r)) && (!fromIdp || fromIdp.has(r))));
}

/**
 * Whether `crl` covers the certificate through `dp` (undefined: the certificate has no
 * cRLDistributionPoints, so only the CA's own full-scope CRLs apply). Returns why not, or null.
 */
function dpMismatch(
  crl: Crl,
  idp: IssuingDistributionPoint | undefined,
  cert: Certificate,
  dp: DistributionPoint | undefined,
): string | null {
  if (dp?.crlIssuer) {
    if (!directoryNames(dp.crlIssuer).some((n) => n.equals(crl.issuer)))
      return 'CRL issuer is not the cRLIssuer of the distribution point';
    if (!idp?.indirectCRL) return 'the distribution point names a cRLIssuer but the CRL is not indirect';
  } else if (!crl.issuer.equals(cert.issuer)) {
    if (!idp?.indirectCRL) return 'CRL issuer is not the certificate issuer';
    return 'indirect CRL not named by a cRLIssuer of the certificate';
  }
  if (!idp?.name) return null;
  const idpNames = fullNames(idp.name, crl.issuer);
  if (dp?.name) {
    const dpBase = directoryNames(dp.crlIssuer)[0] ?? cert.issuer;
    return anyNameMatches(idpNames, fullNames(dp.name, dpBase)) ? null : 'CRL distribution point name does not match';
  }
  const issuers: GeneralName[] = dp?.crlIssuer ? [...dp.crlIssuer] : [{ type: 'directoryName', value: cert.issuer }];
  return anyNameMatches(idpNames, issuers) ? null : 'CRL distribution point name does not match the certificate';
}

/** The CRL's own critical extensions (§5.2) and its IDP, checked once per Crl object. */
function crlHeader(crl: Crl): IssuingDistributionPoint | undefined {
  const state = stateOf(crl);
  state.header ??= noteUnusable(() => {
    for (const e of crl.extensions) {
      if (e.critical && !HANDLED_CRL_EXTENSIONS.has(e.oid))
        throw new Unusable(`unhandled critical CRL extension ${e.oid}`);
    }
    return { idp: read('issuingDistributionPoint', () => crl.issuingDistributionPoint) };
  });
  if (isNote(state.header)) throw new Unusable(state.header.unusable);
  return state.header.idp;
}

/** Checks RFC 5280 §6.3.3 b and returns the reasons the CRL covers for the certificate. */
function checkScope(
  crl: Crl,
  cert: Certificate,
): { reasons: Set<ReasonFlag>; idp: IssuingDistributionPoint | undefined } {
  const idp = crlHeader(crl);
  if (idp?.onlyContainsAttributeCerts) throw new Unusable('CRL covers attribute certificates only');
  if (idp?.onlyContainsUserCerts && mayBeCa(cert)) throw new Unusable('CRL covers end-entity certificates only');
  if (idp?.onlyContainsCACerts && !cert.isCA) throw new Unusable('CRL covers CA certificates only');
  const dps = read('cRLDistributionPoints', () => cert.crlDistributionPoints);
  const reasons = new Set<ReasonFlag>();
  const why: string[] = [];
  for (const dp of dps ?? [undefined]) {
    const mismatch = read('distribution point name', () => dpMismatch(crl, idp, cert, dp));
    if (mismatch) why.push(mismatch);
    else for (const r of interimReasons(dp, idp)) reasons.add(r);
  }
  if (reasons.size === 0) throw new Unusable(`CRL does not cover the certificate: ${why[0] ?? 'no reasons in scope'}`);
  return { reasons, idp };
}

// ---------------------------------------------------------------------------------------------
// Signer: the issuer, a rollover key of the same CA, or a validated indirect CRL issuer (§6.3.3 f, g)

interface Candidate {
  readonly cert: Certificate;
  readonly trusted: boolean;
}

/**
 * The certificates that may have signed `crl`, trusted ones first. The checked certificate itself
 * is trusted too: a CRL issuer's certificate may be covered by the CRL it signs (an indirect CRL
 * issuer, PKITS 4.14.30); its chain has already verified, and validating it through its own CRL
 * would never end.
 */
function candidates(crl: Crl, certificate: Certificate, issuer: Certificate, options: CrlCheckOptions): Candidate[] {
  const list: Candidate[] = [
    { cert: issuer, trusted: true },
    ...(options.trustedSigners ?? []).map((cert) => ({ cert, trusted: true })),
    { cert: certificate, trusted: true },
    ...(options.signers ?? []).map((cert) => ({ cert, trusted: false })),
  ];
  const kept: Candidate[] = [];
  for (const c of list) {
    if (!c.cert.subject.equals(crl.issuer) || kept.some((k) => bytesEqual(k.cert.raw, c.cert.raw))) continue;
    kept.push(c);
  }
  return kept;
}

/** Hex of a signer's SubjectPublicKeyInfo, kept per array (a Certificate's `spki` is one array for its life). */
const spkiKeys = new WeakMap<Uint8Array, string>();

function spkiKey(spki: Uint8Array): string {
  const key = spkiKeys.get(spki) ?? Array.from(spki, (b) => b.toString(16).padStart(2, '0')).join('');
  spkiKeys.set(spki, key);
  return key;
}

/** Whether `cert`'s key verifies `crl`: computed once per Crl object, algorithm set and key. */
function verifiesCrl(crl: Crl, cert: Certificate, options: CrlCheckOptions): Promise<boolean> {
  const algorithms = options.algorithms ?? allAlgorithms;
  const byAlgorithms = stateOf(crl).signatures;
  const byKey = byAlgorithms.get(algorithms) ?? new Map<string, Promise<boolean>>();
  byAlgorithms.set(algorithms, byKey);
  const key = spkiKey(cert.spki);
  const verdict =
    byKey.get(key) ??
    (async () => {
      const publicKey = parsePublicKey(cert.spki);
      const { signatureAlgorithm: algorithm, tbs: data, signature } = crl;
      return verifySignature(algorithms, { algorithm, publicKey, data, signature });
    })().catch(() => false);
  byKey.set(key, verdict);
  return verdict;
}

/** Finds the certificate that signed `crl` among the candidates, or throws {@link Unusable} with the reasons. */
async function findSigner(
  crl: Crl,
  certificate: Certificate,
  issuer: Certificate,
  options: CrlCheckOptions,
): Promise<Certificate> {
  const aki = read('authorityKeyIdentifier', () => crl.authorityKeyIdentifier)?.keyIdentifier;
  const why: string[] = [];
  for (const { cert, trusted } of candidates(crl, certificate, issuer, options)) {
    const ski = read('subjectKeyIdentifier', () => cert.subjectKeyIdentifier);
    if (aki && ski && !bytesEqual(aki, ski)) {
      why.push('authorityKeyIdentifier does not match');
      continue;
    }
    const ku = read('keyUsage', () => cert.keyUsage);
    if (ku && !ku.has('cRLSign')) {
      why.push('signer key usage lacks cRLSign');
      continue;
    }
    if (!trusted && !options.validateSigner) continue;
    if (!(await verifiesCrl(crl, cert, options))) {
      why.push('signature does not verify');
      continue;
    }
    if (!trusted) {
      try {
        await options.validateSigner?.(cert, { purpose: 'crl-signing', time: options.time, signal: options.signal });
      } catch (e) {
        why.push(`CRL signer not valid: ${message(e)}`);
        continue;
      }
    }
    return cert;
  }
  throw new Unusable(
    `no CRL signer found (${why.length ? [...new Set(why)].join('; ') : 'no certificate has the CRL issuer name'})`,
  );
}

// ---------------------------------------------------------------------------------------------
// Freshness (§6.3.3 a) and entries (§6.3.3 i, j)

function checkFreshness(crl: Crl, options: CrlCheckOptions): void {
  const t = options.time.getTime();
  const skew = options.clockSkewMs ?? DEFAULT_SKEW_MS;
  const latest = Math.max(t, options.issuedUntil?.getTime() ?? t);
  if (crl.thisUpdate.getTime() > latest + skew) throw new Unusable('CRL thisUpdate is after the validation time');
  if (crl.nextUpdate) {
    if (crl.nextUpdate.getTime() <= crl.thisUpdate.getTime())
      throw new Unusable('CRL nextUpdate is not after thisUpdate');
    if (crl.nextUpdate.getTime() < t - skew)
      throw new Unusable('CRL is stale: nextUpdate is before the validation time');
  }
  if (options.maxAge !== undefined && crl.thisUpdate.getTime() < t - options.maxAge * 1000) {
    throw new Unusable(`CRL is older than the maximum age of ${options.maxAge} s`);
  }
}

/** The listed entry for the certificate: what the result needs from it. */
type Listing = Pick<RevokedEntry, 'revocationDate' | 'reasonCode'>;

/**
 * The checked entry index of a CRL, built once per Crl object: every entry well-formed, no
 * unhandled critical entry extension (§5.3: one makes the whole CRL unusable), certificateIssuer
 * only in an indirect CRL (§5.3.3).
 */
function entriesOf(crl: Crl, indirect: boolean): CrlEntryIndex {
  const state = stateOf(crl);
  state.entries ??= noteUnusable(() => {
    const index = malformedEntry(() => crl.entryIndex());
    for (const [oid, critical] of index.entryExtensions) {
      if (critical && !HANDLED_ENTRY_EXTENSIONS.has(oid))
        throw new Unusable(`unhandled critical CRL entry extension ${oid}`);
    }
    if (!indirect && index.entryExtensions.has(OID_EXT_CERTIFICATE_ISSUER))
      throw new Unusable('certificateIssuer entry extension in a CRL that is not indirect');
    return index;
  });
  if (isNote(state.entries)) throw new Unusable(state.entries.unusable);
  return state.entries;
}

/**
 * The first entry for the certificate: its serial through the index, and its issuer — the CRL
 * issuer, or in an indirect CRL the certificateIssuer in force at the entry (§5.3.3). Only the
 * matching entries are decoded.
 */
function findListing(crl: Crl, cert: Certificate, indirect: boolean): Listing | undefined {
  const index = entriesOf(crl, indirect);
  for (const position of malformedEntry(() => index.positions(cert.serialNumber))) {
    const names = indirect ? malformedEntry(() => index.certificateIssuerAt(position)) : undefined;
    const issuers = names ? directoryNames(names) : [crl.issuer];
    if (!issuers.some((n) => n.equals(cert.issuer))) continue;
    return malformedEntry(() => index.entryAt(position));
  }
  return undefined;
}

/** Runs `fn`, turning a DecodeError of the entries into {@link Unusable}. */
function malformedEntry<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof DecodeError) throw new Unusable(`malformed CRL entry: ${e.message}`);
    throw e;
  }
}

/** The evidence and times of a complete CRL and the delta CRL used with it (the delta's times are the fresher). */
function evidenceOf(crl: Crl, delta: Crl | undefined): Partial<RevocationResult> {
  const dated = delta ?? crl;
  return { thisUpdate: dated.thisUpdate, nextUpdate: dated.nextUpdate, evidence: crl.raw, deltaEvidence: delta?.raw };
}

function entryResult(entry: Listing, crl: Crl, delta: Crl | undefined): RevocationResult {
  return {
    status: entry.reasonCode === 'certificateHold' ? 'suspended' : 'revoked',
    source: 'crl',
    reason: entry.reasonCode ?? 'unspecified',
    revocationTime: entry.revocationDate,
    ...evidenceOf(crl, delta),
  };
}

// ---------------------------------------------------------------------------------------------
// Delta CRLs (§5.2.4, §6.3.3 c)

function sameScope(base: Crl, delta: Crl): boolean {
  const idp = (c: Crl) => c.extensions.find((e) => e.oid === OID_EXT_ISSUING_DISTRIBUTION_POINT)?.value;
  const a = idp(base);
  const b = idp(delta);
  return base.issuer.equals(delta.issuer) && (a === undefined ? b === undefined : bytesEqual(a, b));
}

/** The newest usable delta CRL for `base`, signed by `signer`; unusable candidates are skipped. */
async function pickDelta(base: Crl, signer: Certificate, options: CrlCheckOptions): Promise<Crl | undefined> {
  const baseNumber = read('cRLNumber', () => base.crlNumber);
  if (baseNumber === undefined || !options.deltaCrls?.length) return undefined;
  let best: { crl: Crl; number: bigint } | undefined;
  for (const input of options.deltaCrls) {
    try {
      const delta = toCrl(input);
      const baseRef = delta.deltaCrlIndicator;
      const number = delta.crlNumber;
      if (baseRef === undefined || number === undefined || baseRef > baseNumber || number <= baseNumber) continue;
      if (!sameScope(base, delta) || (best && number <= best.number)) continue;
      checkFreshness(delta, options);
      for (const e of delta.extensions)
        if (e.critical && !HANDLED_CRL_EXTENSIONS.has(e.oid)) throw new Unusable('critical extension');
      if (!(await verifiesCrl(delta, signer, options))) continue;
      best = { crl: delta, number };
    } catch {
      // An unusable delta CRL is ignored: the complete CRL still answers (§6.3.3 c is optional).
    }
  }
  return best?.crl;
}

// ---------------------------------------------------------------------------------------------
// One complete CRL

async function evaluate(
  input: Crl | Uint8Array,
  cert: Certificate,
  issuer: Certificate,
  options: CrlCheckOptions,
): Promise<CrlVerdict> {
  let crl: Crl | undefined;
  try {
    crl = toCrl(input);
    if (read('deltaCRLIndicator', () => crl?.deltaCrlIndicator) !== undefined)
      throw new Unusable('a delta CRL cannot be used without its complete CRL');
    const { reasons, idp } = checkScope(crl, cert);
    checkFreshness(crl, options);
    const signer = await findSigner(crl, cert, issuer, options);
    const indirect = idp?.indirectCRL ?? false;
    const entry = findListing(crl, cert, indirect);
    const delta = await pickDelta(crl, signer, options);
    const deltaEntry = delta ? findListing(delta, cert, indirect) : undefined;
    const listed = delta && deltaEntry ? deltaEntry : entry;
    const result =
      listed && listed.reasonCode !== 'removeFromCRL' ? entryResult(listed, crl, delta) : good(crl, delta, reasons);
    return { result, reasons };
  } catch (e) {
    if (e instanceof Unusable) return { result: unknown(e.message, crl), reasons: new Set() };
    throw e;
  }
}

function good(crl: Crl, delta: Crl | undefined, reasons: ReadonlySet<ReasonFlag>): RevocationResult {
  if (reasons.size < ALL_REASONS.length) {
    const partial = ALL_REASONS.filter((r) => reasons.has(r)).join(', ');
    return unknown(`CRL covers only some revocation reasons (${partial})`, delta ?? crl);
  }
  return { status: 'good', source: 'crl', ...evidenceOf(crl, delta) };
}

/**
 * Checks one certificate against one complete CRL and optional delta CRLs (RFC 5280 §6.3.3):
 * CRL issuer and signer (AKI, cRLSign, key rollover, indirect CRL issuers through
 * `validateSigner`), scope (issuingDistributionPoint against the certificate's
 * cRLDistributionPoints, onlyContainsUserCerts/CACerts, onlySomeReasons), freshness, critical
 * extensions, and the entries through the CRL's hash index ({@link Crl.entryIndex}). What does not
 * depend on the certificate (signature, critical extensions, IDP, the check of every entry) is
 * done once per Crl object and remembered: pass one parsed Crl, not bytes, to check many
 * certificates against it. certificateHold gives `suspended`; a delta CRL
 * entry removeFromCRL lifts it. Anything that makes the CRL unusable gives `unknown` with
 * `detail`, never `good`; a CRL that covers only some reasons gives `unknown` unless the
 * certificate is listed (use {@link checkCrls} to combine partitioned CRLs).
 *
 * @throws nothing for bad data; only programming errors escape.
 * @example
 * ```ts
 * const r = await checkCrl(crlDer, cert, issuer, { time: new Date() });
 * if (r.status === 'revoked') console.log(r.reason, r.revocationTime);
 * ```
 */
export async function checkCrl(
  crl: Crl | Uint8Array,
  certificate: Certificate,
  issuer: Certificate,
  options: CrlCheckOptions,
): Promise<RevocationResult> {
  return (await evaluate(crl, certificate, issuer, options)).result;
}

/** Splits CRLs into complete and delta ones; malformed ones become problems. */
function split(crls: readonly (Crl | Uint8Array)[], options: CrlCheckOptions) {
  const complete: Crl[] = [];
  const deltas: (Crl | Uint8Array)[] = [...(options.deltaCrls ?? [])];
  const problems: string[] = [];
  for (const input of crls) {
    try {
      const crl = toCrl(input);
      if (read('deltaCRLIndicator', () => crl.deltaCrlIndicator) !== undefined) deltas.push(crl);
      else complete.push(crl);
    } catch (e) {
      problems.push(message(e));
    }
  }
  // Newest first: of several usable complete CRLs the latest speaks (a hold may have been lifted since).
  complete.sort((a, b) => b.thisUpdate.getTime() - a.thisUpdate.getTime());
  return { complete, deltas, problems };
}

/**
 * Checks one certificate against several CRLs (RFC 5280 §6.3.3 with the reasons mask): each
 * complete CRL is evaluated with the delta CRLs among `crls` and `options.deltaCrls`. `revoked`
 * from any usable CRL wins (revocation is final, RFC 5280 §5.3.1); otherwise the newest usable
 * CRL answers `good` or `suspended`; CRLs partitioned by reasons answer `good` only when together
 * they cover every reason. Otherwise `unknown` with every CRL's problem in `detail`.
 *
 * @throws nothing for bad data.
 * @example
 * ```ts
 * const r = await checkCrls([full, delta], cert, issuer, { time });
 * ```
 */
export async function checkCrls(
  crls: readonly (Crl | Uint8Array)[],
  certificate: Certificate,
  issuer: Certificate,
  options: CrlCheckOptions,
): Promise<RevocationResult> {
  const { complete, deltas, problems } = split(crls, options);
  const covered = new Set<ReasonFlag>();
  let answer: RevocationResult | undefined;
  let partial: RevocationResult | undefined;
  for (const crl of complete) {
    const { result, reasons } = await evaluate(crl, certificate, issuer, { ...options, deltaCrls: deltas });
    if (result.status === 'revoked') return result;
    if (result.status !== 'unknown') answer ??= result;
    else if (reasons.size > 0) {
      for (const r of reasons) covered.add(r);
      partial ??= result;
    } else if (result.detail) problems.push(result.detail);
  }
  if (answer) return answer;
  if (partial && covered.size === ALL_REASONS.length) return { ...partial, status: 'good', detail: undefined };
  if (partial) problems.push(partial.detail ?? 'CRLs cover only some revocation reasons');
  return unknown(problems.length ? [...new Set(problems)].join('; ') : 'no CRL given');
}
