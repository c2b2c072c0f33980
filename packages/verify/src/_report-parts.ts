// Internal: report parts shared by verify() (CMS) and verifyXml() (XMLDSig/XAdES): signer identity, chain entries, revocation entries, path-failure sub-indications (ETSI EN 319 102-1 §5.1, §5.2.6; RFC 5280 §6).

import type { Fetcher } from '@eds/core/fetcher';
import type { SignatureAlgorithm } from '@eds/core/types';
import { type Certificate, parseCertificate } from '@eds/core/x509';
import type { CheckList, Failure } from './_signer-info';
import { EdsError, PathValidationError } from './errors';
import { buildPath } from './path';
import type { ChainEntry, Identity, RevocationReport } from './report';
import { createRevocationChecker } from './revocation';
import type {
  PolicyInputs,
  RevocationData,
  RevocationMode,
  RevocationResult,
  TrustStore,
  ValidatedPath,
} from './types';

/** ISO 8601 form of a date, as reports carry them. */
export const iso = (d: Date): string => d.toISOString();

/** Parses what decodes; a malformed certificate in a pool is skipped (it cannot be used). */
export function decodeCertificates(list: readonly (Uint8Array | string | Certificate)[]): Certificate[] {
  const out: Certificate[] = [];
  for (const c of list) {
    try {
      out.push(typeof c === 'string' || c instanceof Uint8Array ? parseCertificate(c) : c);
    } catch {
      // a malformed certificate in a pool is not a reason to fail: it cannot be used
    }
  }
  return out;
}

/** The identity fields a person looks for (field-requirements.md §2). */
export function identityOf(c: Certificate): Identity {
  try {
    return identityFields(c);
  } catch {
    // an identifier that does not decode is left out, not a reason to fail the report
    return { subject: c.subject.toString() };
  }
}

/** Whether the certificate follows the qualified profile; a sign-tool extension that does not decode means no. */
export function qualifiedOf(c: Certificate): boolean {
  try {
    return c.isQualified;
  } catch {
    return false;
  }
}

function identityFields(c: Certificate): Identity {
  const s = c.subject;
  const fullName = [s.surname, s.givenName].filter(Boolean).join(' ') || undefined;
  return {
    subject: s.toString(),
    commonName: s.commonName,
    fullName,
    organization: s.organization,
    title: s.title,
    email: s.email,
    inn: s.inn,
    innLe: s.innle,
    snils: s.snils,
    ogrn: s.ogrn,
    ogrnip: s.ogrnip,
    iin: s.iin,
    bin: s.bin,
  };
}

/** A revocation result as reported; `not-checked` when revocation was off, undefined when checked but absent. */
export function revocationReport(r: RevocationResult | undefined, checked: boolean): RevocationReport | undefined {
  if (!r) return checked ? undefined : { status: 'not-checked', source: 'none' };
  return {
    status: r.status,
    source: r.source,
    reason: r.reason,
    revocationTime: r.revocationTime && iso(r.revocationTime),
    thisUpdate: r.thisUpdate && iso(r.thisUpdate),
    nextUpdate: r.nextUpdate && iso(r.nextUpdate),
    producedAt: r.producedAt && iso(r.producedAt),
    url: r.url,
    detail: r.detail,
  };
}

/** The report's chain entries of a validated path: target first, the anchor last (RFC 5280 §6.1). */
export function chainOf(path: ValidatedPath, checked: boolean): ChainEntry[] {
  const last = path.certificates.length - 1;
  return path.certificates.map((c, i) => ({
    subject: c.subject.toString(),
    name: c.subject.commonName ?? c.subject.organization,
    issuer: c.issuer.toString(),
    issuerName: c.issuer.commonName ?? c.issuer.organization,
    serialNumber: c.serialHex,
    notBefore: iso(c.notBefore),
    notAfter: iso(c.notAfter),
    fingerprint: c.fingerprintHex('sha256'),
    trustAnchor: i === last,
    revocation: i === last ? undefined : revocationReport(path.revocation[i], checked),
  }));
}

/** The sub-indication of a path failure (ETSI EN 319 102-1 §5.2.6, Table 5 and 6). */
export function pathFailure(e: PathValidationError, proven: boolean): Failure {
  const target = e.index === 0;
  switch (e.reason) {
    case 'NO_PATH':
    case 'ANCHOR_NOT_ALLOWED':
      return { indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' };
    case 'EXPIRED':
      return { indication: 'INDETERMINATE', subIndication: 'OUT_OF_BOUNDS_NO_POE' };
    case 'NOT_YET_VALID':
      return { indication: 'TOTAL_FAILED', subIndication: 'NOT_YET_VALID' };
    case 'REVOKED':
      return target && !proven
        ? { indication: 'INDETERMINATE', subIndication: 'REVOKED_NO_POE' }
        : target
          ? { indication: 'TOTAL_FAILED', subIndication: 'REVOKED' }
          : { indication: 'INDETERMINATE', subIndication: 'REVOKED_CA_NO_POE' };
    case 'SUSPENDED':
    case 'REVOCATION_UNKNOWN':
      return { indication: 'INDETERMINATE', subIndication: 'TRY_LATER' };
    case 'UNSUPPORTED_ALGORITHM':
      return { indication: 'INDETERMINATE', subIndication: 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE' };
    case 'KEY_USAGE':
    case 'EXTENDED_KEY_USAGE':
      return target
        ? { indication: 'INDETERMINATE', subIndication: 'SIG_CONSTRAINTS_FAILURE' }
        : { indication: 'INDETERMINATE', subIndication: 'CHAIN_CONSTRAINTS_FAILURE' };
    case 'NOT_CA':
    case 'PATH_LENGTH':
    case 'NAME_CONSTRAINTS':
    case 'POLICY':
    case 'UNKNOWN_CRITICAL_EXTENSION':
      return { indication: 'INDETERMINATE', subIndication: 'CHAIN_CONSTRAINTS_FAILURE' };
    default:
      return { indication: 'INDETERMINATE', subIndication: 'CERTIFICATE_CHAIN_GENERAL_FAILURE' };
  }
}

/** What the path step found. */
export interface PathOutcome {
  readonly path?: ValidatedPath | undefined;
  readonly error?: PathValidationError | undefined;
}

/** Key usage for signing documents: digitalSignature or nonRepudiation, when the extension is there (63-FZ art. 11 item 3). */
export function keyUsageCheck(list: CheckList, cert: Certificate): void {
  const ku = cert.keyUsage;
  if (!ku || ku.has('digitalSignature') || ku.has('nonRepudiation'))
    list.add('KEY_USAGE_OK', 'passed', { certificate: 0 });
  else
    list.fail(
      'KEY_USAGE_NOT_FOR_SIGNING',
      { indication: 'INDETERMINATE', subIndication: 'SIG_CONSTRAINTS_FAILURE' },
      { certificate: 0 },
    );
}

/** Records the path step's checks, the signer's revocation and qualification. */
export function pathChecks(list: CheckList, outcome: PathOutcome, proven: boolean, checked: boolean): void {
  const { path, error } = outcome;
  if (error) {
    const r = error.revocation;
    const params = r && {
      source: r.source,
      ...(r.revocationTime ? { revocationTime: iso(r.revocationTime) } : {}),
      ...(r.reason ? { reason: r.reason } : {}),
    };
    list.fail(`PATH_${error.reason}`, pathFailure(error, proven), {
      detail: error.message,
      certificate: error.index,
      ...(params ? { params } : {}),
    });
    return;
  }
  if (!path) return;
  list.add('PATH_VALID', 'passed', { params: { length: path.certificates.length } });
  // An anchor is input to path validation (RFC 5280 §6.1.1 d), but one without basicConstraints
  // cA is not a CA certificate (§4.2.1.9): say so (the TC26 example root is one).
  const last = path.certificates.length - 1;
  if (last > 0 && path.certificates[last]?.basicConstraints?.ca !== true)
    list.add('PATH_NOT_CA', 'warning', {
      certificate: last,
      detail:
        'the trust anchor has no basicConstraints with cA (RFC 5280 §4.2.1.9); it is used as an anchor all the same',
    });
  const r = path.revocation[0];
  if (!checked) list.add('REVOCATION_NOT_CHECKED', 'warning', { certificate: 0 });
  else if (r?.status === 'good')
    list.add('REVOCATION_GOOD', 'passed', { params: { source: r.source }, certificate: 0 });
  else if (r && (r.status === 'revoked' || r.status === 'suspended') && r.revocationTime) {
    // a path passes with such a status only when it is dated after the best signature time
    const params = {
      source: r.source,
      revocationTime: iso(r.revocationTime),
      ...(r.reason ? { reason: r.reason } : {}),
    };
    list.add('REVOKED_AFTER_SIGNING', 'warning', { params, certificate: 0 });
  } else if (r) list.add('REVOCATION_UNKNOWN', 'warning', { params: { source: r.source }, certificate: 0 });
}

/** What path validation needs from the options of verify() and verifyXml(). */
export interface PathContext {
  readonly trust: TrustStore;
  readonly revocation: RevocationMode;
  readonly revocationData: RevocationData;
  readonly fetcher?: Fetcher | undefined;
  readonly algorithms: readonly SignatureAlgorithm[];
  readonly pool: readonly Certificate[];
  readonly signal?: AbortSignal | undefined;
}

/**
 * Builds and validates a path for `cert` at `time` (RFC 5280 §6) with the revocation policy; a
 * certificate that does not decode on the way is a MALFORMED finding, not an exception.
 */
export async function validateCertificate(
  ctx: PathContext,
  cert: Certificate,
  time: Date,
  purpose: 'document-signing' | 'timestamping',
  extra: readonly Certificate[],
  policy: PolicyInputs = {},
): Promise<PathOutcome> {
  const revocation =
    ctx.revocation === 'off'
      ? undefined
      : createRevocationChecker({
          mode: ctx.revocation,
          data: ctx.revocationData,
          fetcher: ctx.fetcher,
          algorithms: ctx.algorithms,
        });
  try {
    const path = await buildPath(cert, {
      ...policy,
      trust: ctx.trust,
      time,
      purpose,
      intermediates: [...ctx.pool, ...extra],
      algorithms: ctx.algorithms,
      revocation,
      signal: ctx.signal,
    });
    return { path };
  } catch (e) {
    if (e instanceof PathValidationError) return { error: e };
    if (e instanceof EdsError)
      return { error: new PathValidationError('MALFORMED', e.message, { certificate: cert, cause: e }) };
    throw e;
  }
}
