// Verification of CMS/CAdES signatures (RFC 5652 §5; ETSI EN 319 102-1 §5, EN 319 122-1): every signer and countersigner, time-stamps, the certification path and revocation at the right time, and the report.
/**
 * `verify()` answers "is this signed document authentic, who signed it, when, and can I rely on
 * it" with a {@link VerificationReport}. It never throws for a bad signature: the report says
 * why. It throws only for misuse (no trust store, a content where none fits).
 *
 * @module
 */
import { allAlgorithms } from '@eds/core/all-algorithms';
import { type CmsContent, hashContent } from '@eds/core/cms';
import { findDigest } from '@eds/core/digests';
import { parseSignedData, type SignedDataView, type SignerInfoView } from '@eds/core/signed-data';
import type { DigestAlgorithm, SignatureAlgorithm } from '@eds/core/types';
import type { Certificate } from '@eds/core/x509';
import { type EmbeddedData, embeddedData } from './_embedded';
import {
  chainOf,
  decodeCertificates,
  identityOf,
  iso,
  keyUsageCheck,
  type PathContext,
  type PathOutcome,
  pathChecks,
  qualifiedOf,
  revocationReport,
  validateCertificate,
} from './_report-parts';
import { type CheckList, checkSignerInfo } from './_signer-info';
import { checkTimestamps, type TimestampOutcome } from './_timestamps';
import { EdsError } from './errors';
import type { Check, SignatureFormat, SignatureReport, SubIndication, VerificationReport } from './report';
import { worstIndication } from './report';
import type { PolicyInputs, RevocationData, VerificationOptions } from './types';

export { identityOf } from './_report-parts';

/** Options of {@link verify}. The policy inputs (RFC 5280 §6.1.1) apply to the signers' paths. */
export interface VerifyOptions extends VerificationOptions, PolicyInputs {
  /** The CMS signature: DER, BER, PEM or Base64. */
  readonly signature: Uint8Array | string;
  /** The signed content of a detached signature (bytes or a stream of any size). */
  readonly content?: CmsContent | undefined;
  /** Warn when the signer's certificate expires within this many days of now (default 30). */
  readonly expiryWarningDays?: number | undefined;
}

const OID_SIGNATURE_POLICY = '1.2.840.113549.1.9.16.2.15';
const OID_ESC_TIMESTAMP = '1.2.840.113549.1.9.16.2.25';
const OID_CERTIFICATE_VALUES = '1.2.840.113549.1.9.16.2.23';
const OID_REVOCATION_VALUES = '1.2.840.113549.1.9.16.2.24';
const OID_SIGNATURE_TIMESTAMP = '1.2.840.113549.1.9.16.2.14';
const DAY = 86_400_000;
const MAX_COUNTERSIGNATURE_DEPTH = 4;
const LEGACY = new Set(['gost2001', 'ecdsa-sha1', 'rsa-pkcs1-sha1', 'rsa-pss-sha1']);

/** Everything a signature's validation shares. */
interface Context {
  readonly options: VerifyOptions;
  readonly now: Date;
  readonly sd: SignedDataView;
  readonly algorithms: readonly SignatureAlgorithm[];
  readonly pool: readonly Certificate[];
  readonly embedded: EmbeddedData;
}

/** The signature's path context: the options' trust and policy, the embedded and supplied data. */
function pathContext(ctx: Context): PathContext {
  const { options } = ctx;
  return {
    trust: options.trust,
    revocation: options.revocation ?? 'require',
    revocationData: revocationData(ctx),
    fetcher: options.fetcher,
    algorithms: ctx.algorithms,
    pool: ctx.pool,
    signal: options.signal,
  };
}

/** A path for `cert` at `time` for `purpose`, the signer's with the caller's policy inputs (RFC 5280 §6.1.1 c-h). */
function validateFor(
  ctx: Context,
  cert: Certificate,
  time: Date,
  purpose: 'document-signing' | 'timestamping',
  extra: readonly Certificate[],
): Promise<PathOutcome> {
  const o = ctx.options;
  const policy =
    purpose === 'document-signing'
      ? {
          initialPolicySet: o.initialPolicySet,
          explicitPolicy: o.explicitPolicy,
          policyMappingInhibit: o.policyMappingInhibit,
          anyPolicyInhibit: o.anyPolicyInhibit,
        }
      : {};
  return validateCertificate(pathContext(ctx), cert, time, purpose, extra, policy);
}

/** Embedded and supplied revocation data, with the signature's certificates as candidate CRL signers. */
function revocationData(ctx: Context): RevocationData {
  const a = ctx.embedded.data;
  const b = ctx.options.revocationData ?? {};
  return {
    crls: [...(a.crls ?? []), ...(b.crls ?? [])],
    ocspResponses: [...(a.ocspResponses ?? []), ...(b.ocspResponses ?? [])],
    certificates: [...ctx.pool, ...(b.certificates ?? [])],
  };
}

function formatOf(si: SignerInfoView, bound: boolean, sd: SignedDataView): SignatureFormat {
  const has = (oid: string) => si.unsignedAttrs?.list.some((a) => a.oid === oid) ?? false;
  if (!si.signedAttrs || !bound) return 'CMS';
  if (has(OID_ESC_TIMESTAMP) && has(OID_CERTIFICATE_VALUES) && has(OID_REVOCATION_VALUES)) return 'CAdES-X-Long-Type-1';
  if (has(OID_SIGNATURE_TIMESTAMP)) return sd.crls.length > 0 ? 'CAdES-B-LT' : 'CAdES-T';
  return si.attribute(OID_SIGNATURE_POLICY) ? 'CAdES-EPES' : 'CAdES-BES';
}

/** Findings that never change the indication: expiry, legacy algorithms, missing signing time, qualification. */
function findings(
  ctx: Context,
  list: CheckList,
  cert: Certificate,
  algorithm: SignatureAlgorithm | undefined,
  si: SignerInfoView,
  stamped: boolean,
): void {
  const days = Math.floor((cert.notAfter.getTime() - ctx.now.getTime()) / DAY);
  const limit = ctx.options.expiryWarningDays ?? 30;
  if (days >= 0 && days <= limit) list.add('CERT_EXPIRES_SOON', 'warning', { params: { days }, certificate: 0 });
  if (algorithm && LEGACY.has(algorithm.name))
    list.add('LEGACY_ALGORITHM', 'warning', { params: { algorithm: algorithm.name } });
  if (!si.signingTime && !stamped) list.add('NO_SIGNING_TIME', 'warning');
  else if (si.signingTime && !stamped)
    list.add('SIGNING_TIME_UNTRUSTED', 'info', { params: { time: iso(si.signingTime) } });
}

/** Validates one SignerInfo (or countersignature) into its report. */
async function signatureReport(
  ctx: Context,
  si: SignerInfoView,
  id: string,
  digests: ReadonlyMap<string, Uint8Array>,
  contentType: string | undefined,
  depth: number,
): Promise<SignatureReport> {
  const { options } = ctx;
  const base = await checkSignerInfo(si, {
    certificates: ctx.pool,
    contentType,
    digests,
    content: undefined,
    algorithms: ctx.algorithms,
    requireSigningCertificate: false,
  });
  const list = base.list;
  const cert = base.certificate;
  let stamps: TimestampOutcome = { reports: [], bestTime: undefined, certificates: [] };
  let outcome: PathOutcome = {};
  const checked = (options.revocation ?? 'require') !== 'off';
  if (cert && !list.failure) {
    stamps = await checkTimestamps(si, list, {
      trust: options.trust,
      algorithms: ctx.algorithms,
      pool: ctx.pool,
      validate: (c, extra) => validateFor(ctx, c, options.time ?? ctx.now, 'timestamping', extra),
    });
    const time = stamps.bestTime ?? options.time ?? ctx.now;
    if (!list.failure) {
      outcome = await validateFor(ctx, cert, time, 'document-signing', stamps.certificates);
      pathChecks(list, outcome, stamps.bestTime !== undefined, checked);
      if (outcome.path) {
        keyUsageCheck(list, cert);
        list.add(qualifiedOf(cert) ? 'QUALIFIED' : 'NOT_QUALIFIED', 'info', { certificate: 0 });
        if (!list.failure) list.add('VALID_AT_SIGNING_TIME', 'passed', { params: { time: iso(time) }, certificate: 0 });
      }
    }
    findings(ctx, list, cert, base.signatureAlgorithm, si, stamps.bestTime !== undefined);
  }
  const countersignatures = await countersign(ctx, si, id, depth);
  const f = list.failure;
  return {
    id,
    indication: f ? f.indication : 'TOTAL_PASSED',
    subIndication: f?.subIndication,
    format: formatOf(si, base.bound, ctx.sd),
    signer: cert && identityOf(cert),
    qualified: cert ? qualifiedOf(cert) : false,
    signatureAlgorithm: base.signatureAlgorithm?.name,
    digestAlgorithm: digestName(si.digestAlgorithm.oid),
    claimedSigningTime: si.signingTime && iso(si.signingTime),
    bestSignatureTime: iso(stamps.bestTime ?? options.time ?? ctx.now),
    timestamps: stamps.reports,
    chain: outcome.path ? chainOf(outcome.path, checked) : [],
    revocation: outcome.path ? revocationReport(outcome.path.revocation[0], checked) : undefined,
    checks: list.checks,
    countersignatures,
  };
}

/**
 * {@link signatureReport}, with a structure that does not decode somewhere inside the signature
 * (an extension read late, a malformed token) reported as FORMAT_FAILURE of that signature.
 */
async function guardedReport(
  ctx: Context,
  si: SignerInfoView,
  id: string,
  digests: ReadonlyMap<string, Uint8Array>,
  contentType: string | undefined,
  depth: number,
): Promise<SignatureReport> {
  try {
    return await signatureReport(ctx, si, id, digests, contentType, depth);
  } catch (e) {
    if (!(e instanceof EdsError)) throw e;
    return {
      id,
      indication: 'TOTAL_FAILED',
      subIndication: 'FORMAT_FAILURE',
      format: 'CMS',
      qualified: false,
      bestSignatureTime: iso(ctx.options.time ?? ctx.now),
      timestamps: [],
      chain: [],
      checks: [{ code: 'FORMAT_INVALID', outcome: 'failed', detail: e.message }],
      countersignatures: [],
    };
  }
}

function digestName(oid: string): string {
  try {
    return findDigest(oid).name;
  } catch {
    return oid;
  }
}

async function countersign(ctx: Context, si: SignerInfoView, id: string, depth: number): Promise<SignatureReport[]> {
  if (si.countersignatures.length === 0 || depth >= MAX_COUNTERSIGNATURE_DEPTH) return [];
  const out: SignatureReport[] = [];
  for (const [i, cs] of si.countersignatures.entries()) {
    const digests = new Map<string, Uint8Array>();
    try {
      const hash = findDigest(cs.digestAlgorithm.oid);
      digests.set(hash.oid, hash.digest(si.signature));
    } catch {
      // an unknown digest: checkSignerInfo reports it
    }
    out.push(await guardedReport(ctx, cs, `${id}.C${i + 1}`, digests, undefined, depth + 1));
  }
  return out;
}

/** The digests of the content for every SignerInfo's algorithm, in one pass. */
async function contentDigests(
  sd: SignedDataView,
  content: CmsContent,
  signal: AbortSignal | undefined,
): Promise<ReadonlyMap<string, Uint8Array>> {
  const algorithms: DigestAlgorithm[] = [];
  for (const si of sd.signerInfos) {
    try {
      algorithms.push(findDigest(si.digestAlgorithm.oid));
    } catch {
      // reported per signer
    }
  }
  return hashContent(content, algorithms, { signal });
}

function containerReport(
  time: Date,
  checks: Check[],
  subIndication: SubIndication,
  failed: boolean,
): VerificationReport {
  return {
    indication: failed ? 'TOTAL_FAILED' : 'INDETERMINATE',
    subIndication,
    validationTime: iso(time),
    container: 'CMS',
    signatures: [],
    checks,
  };
}

/**
 * Verifies a CMS/CAdES signature: every SignerInfo and countersignature, with the message
 * digest over the content (attached, or `content` for a detached signature, streamed), the
 * signature value, the signed attributes (contentType, messageDigest, signingCertificate(V2)
 * bound to the certificate used), the signature time-stamps (imprint, TSA signature, TSA path at
 * genTime), then the certification path and revocation at the best signature time: the earliest
 * valid time-stamp, else `time`. Embedded certificates and revocation values (CAdES-X Long,
 * B-LT) are used first; online fetching needs a `fetcher`. No revocation data where it is
 * required gives INDETERMINATE, never a pass.
 *
 * Standard: RFC 5652 §5.4-§5.6, §11.4; ETSI EN 319 102-1 §5 (indications), EN 319 122-1; RFC 3161; RFC 5280 §6.
 *
 * @throws {TypeError} without `trust`, or with `content` for an attached signature.
 * @throws the signal's reason when `signal` aborts. Bad signatures never throw: see the report.
 * @example
 * ```ts
 * const report = await verify({ signature: p7s, content: file.stream(), trust: createTrustStore(rootsPem) });
 * if (report.indication !== 'TOTAL_PASSED') console.log(formatReport(report, { lang: 'ru' }));
 * ```
 */
export async function verify(options: VerifyOptions): Promise<VerificationReport> {
  if (!options.trust || typeof options.trust.findByName !== 'function')
    throw new TypeError('verify: trust must be a TrustStore (createTrustStore)');
  const now = new Date();
  const time = options.time ?? now;
  let sd: SignedDataView;
  try {
    sd = parseSignedData(options.signature);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    return containerReport(time, [{ code: 'FORMAT_INVALID', outcome: 'failed', detail }], 'FORMAT_FAILURE', true);
  }
  if (sd.content !== undefined && options.content !== undefined)
    throw new TypeError('verify: the signature is attached; do not pass content');
  const content = sd.content ?? options.content;
  if (content === undefined) {
    return containerReport(
      time,
      [{ code: 'CONTENT_MISSING', outcome: 'indeterminate' }],
      'SIGNED_DATA_NOT_FOUND',
      false,
    );
  }
  const digests = await contentDigests(sd, content, options.signal);
  const algorithms = options.algorithms ?? allAlgorithms;
  const embedded = embeddedData(sd);
  const pool = [
    ...decodeCertificates(sd.certificates),
    ...embedded.certificates,
    ...decodeCertificates(options.intermediates ?? []),
  ];
  const ctx: Context = { options, now, sd, algorithms, pool, embedded };
  const signatures: SignatureReport[] = [];
  for (const [i, si] of sd.signerInfos.entries()) {
    options.signal?.throwIfAborted();
    signatures.push(await guardedReport(ctx, si, `S${i + 1}`, digests, sd.encapContentType, 0));
  }
  const all = signatures.flatMap(function flat(s): SignatureReport[] {
    return [s, ...s.countersignatures.flatMap(flat)];
  });
  const worst = worstIndication(all);
  return {
    indication: worst.indication,
    subIndication: worst.subIndication,
    validationTime: iso(time),
    container: 'CMS',
    signatures,
    checks: [{ code: 'FORMAT_OK', outcome: 'passed' }],
  };
}
