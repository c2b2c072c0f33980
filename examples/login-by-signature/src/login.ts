// The login check: a CMS SignedData (RFC 5652 §5) over the issued challenge, verified with @eds/verify (path, revocation), its signer's key usage and signing time, and the account its SNILS or INN names.
import { timingSafeEqual } from 'node:crypto';
import { parseSignedData, type SignedDataView } from '@eds/core/signed-data';
import { type Certificate, parseCertificate } from '@eds/core/x509';
import type { Indication, SignatureReport, SubIndication } from '@eds/verify/report';
import type { VerificationOptions } from '@eds/verify/types';
import { verify } from '@eds/verify/verify';
import type { AccountMatch, AccountTable } from './accounts.ts';
import type { Challenge, ChallengeFailure } from './challenges.ts';

/** Stable reason codes of a refused login. */
export type LoginReason =
  | ChallengeFailure
  | 'BAD_REQUEST'
  | 'CONTENT_MISMATCH'
  | 'SIGNATURE_INVALID'
  | 'SIGNING_TIME_OUT_OF_WINDOW'
  | 'KEY_USAGE_NOT_ALLOWED'
  | 'NO_ACCOUNT';

/** A refused login: the HTTP status, the reason code, and a message for the user. */
export interface LoginRefusal {
  readonly ok: false;
  readonly status: 400 | 401 | 403;
  readonly reason: LoginReason;
  readonly message: string;
  /** For SIGNATURE_INVALID: the report's verdict (ETSI EN 319 102-1 §5.1). */
  readonly indication?: Indication | undefined;
  readonly subIndication?: SubIndication | undefined;
  /** For SIGNATURE_INVALID: the codes of the checks that did not pass. */
  readonly failedChecks?: readonly string[] | undefined;
}

/** Who signed in. */
export interface LoginSuccess {
  readonly ok: true;
  readonly match: AccountMatch;
  /** The certificate that signed, validated to a trust anchor. */
  readonly certificate: Certificate;
  readonly report: SignatureReport;
}

/** What the check needs besides the signature: verification settings and the accounts. */
export interface LoginCheckOptions
  extends Pick<VerificationOptions, 'trust' | 'intermediates' | 'fetcher' | 'revocationData'> {
  readonly accounts: AccountTable;
  /** Revocation policy (default `require`: a login is never accepted without a revocation answer). */
  readonly revocation?: VerificationOptions['revocation'];
  /** How far the claimed signing time may lie outside the challenge's lifetime (client clocks drift; default 2 minutes). */
  readonly clockSkewMs?: number | undefined;
}

const CONTENT_DIGEST_MISMATCH = 'DIGEST_MISMATCH';

/** A refusal with its status, reason code, message and, for SIGNATURE_INVALID, the verdict. */
export function refuse(
  status: LoginRefusal['status'],
  reason: LoginReason,
  message: string,
  extra: Partial<LoginRefusal> = {},
): LoginRefusal {
  return { ok: false, status, reason, message, ...extra };
}

/** Equal bytes, in time that depends on the length only. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function parse(cms: Uint8Array): SignedDataView | LoginRefusal {
  let sd: SignedDataView;
  try {
    sd = parseSignedData(cms, { maxSize: 64 << 10 });
  } catch {
    return refuse(400, 'BAD_REQUEST', 'the signature is not a CMS SignedData');
  }
  if (sd.signerInfos.length !== 1) return refuse(400, 'BAD_REQUEST', 'exactly one signer is expected');
  return sd;
}

/** The signer's certificate as validated: the one of the CMS whose SHA-256 is the report's chain[0]. */
function signerCertificate(sd: SignedDataView, report: SignatureReport): Certificate | undefined {
  const fingerprint = report.chain[0]?.fingerprint;
  for (const der of sd.certificates) {
    try {
      const cert = parseCertificate(der);
      if (cert.fingerprintHex('sha256') === fingerprint) return cert;
    } catch {
      // another choice of CertificateChoices, or a malformed extra certificate: not the signer's
    }
  }
  return undefined;
}

function withinWindow(report: SignatureReport, challenge: Challenge, skew: number): boolean {
  if (report.claimedSigningTime === undefined) return true;
  const t = Date.parse(report.claimedSigningTime);
  return t >= challenge.issuedAt.getTime() - skew && t <= challenge.expiresAt.getTime() + skew;
}

/**
 * Checks a CMS answer to `challenge` and finds the account. In order: the CMS parses and has one
 * signer; its content (attached) equals the challenge byte for byte, or (detached) its digest is
 * of the challenge; `verify()` says TOTAL_PASSED at `time`, which takes the path to a trusted
 * root and, under `require`, an OCSP or CRL answer for every certificate; a claimed signing time
 * lies within the challenge's lifetime; the key usage allows digitalSignature; the SNILS, else
 * the INN, is linked to an account.
 *
 * Standard: RFC 5652 §5 (SignedData), ETSI EN 319 102-1 §5.1 (indications), RFC 5280 §4.2.1.3.
 *
 * @example
 * ```ts
 * const outcome = await checkLogin(cmsBytes, challenge, { trust, accounts, fetcher });
 * if (outcome.ok) openSession(outcome.match.account);
 * ```
 */
export async function checkLogin(
  cms: Uint8Array,
  challenge: Challenge,
  options: LoginCheckOptions,
  context: { readonly time: Date; readonly signal?: AbortSignal | undefined },
): Promise<LoginSuccess | LoginRefusal> {
  const sd = parse(cms);
  if ('ok' in sd) return sd;
  const attached = sd.content !== undefined;
  if (attached && !sameBytes(sd.content as Uint8Array, challenge.bytes))
    return refuse(401, 'CONTENT_MISMATCH', 'the signed text is not the challenge issued for this login');
  const report = await verify({
    signature: sd.der,
    content: attached ? undefined : challenge.bytes,
    trust: options.trust,
    intermediates: options.intermediates,
    revocation: options.revocation ?? 'require',
    revocationData: options.revocationData,
    fetcher: options.fetcher,
    time: context.time,
    signal: context.signal,
  });
  const signature = report.signatures[0];
  if (signature?.checks.some((c) => c.code === CONTENT_DIGEST_MISMATCH))
    return refuse(401, 'CONTENT_MISMATCH', 'the signature is not over the challenge issued for this login');
  if (!signature || report.indication !== 'TOTAL_PASSED') {
    const failed = [...report.checks, ...(signature?.checks ?? [])]
      .filter((c) => c.outcome === 'failed' || c.outcome === 'indeterminate')
      .map((c) => c.code);
    return refuse(401, 'SIGNATURE_INVALID', 'the signature or its certificate did not pass verification', {
      indication: report.indication,
      subIndication: report.subIndication,
      failedChecks: [...new Set(failed)],
    });
  }
  if (!withinWindow(signature, challenge, options.clockSkewMs ?? 120_000))
    return refuse(401, 'SIGNING_TIME_OUT_OF_WINDOW', 'the signing time is outside the lifetime of the challenge');
  const certificate = signerCertificate(sd, signature);
  if (!certificate) return refuse(401, 'SIGNATURE_INVALID', 'the signer certificate is not in the signature');
  if (certificate.keyUsage && !certificate.keyUsage.has('digitalSignature'))
    return refuse(403, 'KEY_USAGE_NOT_ALLOWED', 'the certificate is not for digital signatures (keyUsage)');
  const match = options.accounts.find({ snils: certificate.subject.snils, inn: certificate.subject.inn });
  if (!match) return refuse(403, 'NO_ACCOUNT', 'no account is linked to the SNILS or INN of this certificate');
  return { ok: true, match, certificate, report: signature };
}
