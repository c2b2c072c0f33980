// The shared contract of @eds/verify: trust anchors, validation inputs, validated paths and revocation results (RFC 5280 §6.1, RFC 6960, ETSI EN 319 102-1).
import type { Crl } from '@eds/core/crl';
import type { Fetcher } from '@eds/core/fetcher';
import type { SignatureAlgorithm } from '@eds/core/types';
import type { Certificate } from '@eds/core/x509';
import type { PathFailureReason } from './errors';

/**
 * What a certificate is validated for. Each purpose names the extended key usage the leaf must
 * allow (when it has the extension) and, for `document-signing`, the key usage
 * digitalSignature or nonRepudiation. `any` checks no EKU.
 *
 * - `document-signing`: CMS/XML signatures of documents (EKU anyExtendedKeyUsage, emailProtection,
 *   or any EKU the caller lists in `requiredEku`; a certificate without EKU passes).
 * - `timestamping`: a TSA certificate (id-kp-timeStamping, RFC 3161 §2.3, critical and sole EKU).
 * - `ocsp-signing`: a delegated OCSP responder (id-kp-OCSPSigning, RFC 6960 §4.2.2.2).
 * - `crl-signing`: a CRL issuer (key usage cRLSign, RFC 5280 §6.3.3 f).
 * - `server-auth`, `client-auth`: TLS, for the x509-limbo corpus and login by signature.
 */
export type CertificatePurpose =
  | 'document-signing'
  | 'timestamping'
  | 'ocsp-signing'
  | 'crl-signing'
  | 'server-auth'
  | 'client-auth'
  | 'any';

/**
 * A trust anchor (RFC 5280 §6.1.1 d): a certificate whose key and name start path validation.
 * Its own validity and extensions are not checked unless `enforceAnchorConstraints` is set in the
 * validation options (RFC 5937 style).
 */
export interface TrustAnchor {
  readonly certificate: Certificate;
  /** Purposes this anchor may be used for (default: all). */
  readonly purposes?: ReadonlySet<CertificatePurpose> | undefined;
  /** A label for reports, e.g. the file it came from. */
  readonly label?: string | undefined;
}

/** A set of trust anchors with lookup by subject name. */
export interface TrustStore {
  readonly anchors: readonly TrustAnchor[];
  /** Anchors whose subject equals `issuer` (RFC 5280 §7.1 name matching). */
  findByName(issuer: Certificate['issuer']): readonly TrustAnchor[];
}

/** RFC 5280 §6.1.1 inputs c, e, f, g, h: the certificate-policy processing inputs. */
export interface PolicyInputs {
  /** user-initial-policy-set (default: anyPolicy). */
  readonly initialPolicySet?: readonly string[] | undefined;
  /** initial-explicit-policy (default false). */
  readonly explicitPolicy?: boolean | undefined;
  /** initial-policy-mapping-inhibit (default false). */
  readonly policyMappingInhibit?: boolean | undefined;
  /** initial-any-policy-inhibit (default false). */
  readonly anyPolicyInhibit?: boolean | undefined;
}

/** The revocation status of one certificate. */
export type RevocationStatus = 'good' | 'revoked' | 'suspended' | 'unknown';

/** Where a revocation result came from. */
export type RevocationSource = 'ocsp' | 'crl' | 'embedded-ocsp' | 'embedded-crl' | 'none';

/** The answer for one certificate: status, the evidence and its times. */
export interface RevocationResult {
  readonly status: RevocationStatus;
  readonly source: RevocationSource;
  /** CRLReason name for revoked or suspended (RFC 5280 §5.3.1), e.g. `keyCompromise`, `certificateHold`. */
  readonly reason?: string | undefined;
  readonly revocationTime?: Date | undefined;
  /** thisUpdate of the CRL or SingleResponse used. */
  readonly thisUpdate?: Date | undefined;
  readonly nextUpdate?: Date | undefined;
  /** producedAt of the OCSP response used. */
  readonly producedAt?: Date | undefined;
  /** The URL fetched, for online sources. */
  readonly url?: string | undefined;
  /** Why the status is `unknown` (or what was tried), for the report. */
  readonly detail?: string | undefined;
  /** The DER CRL or OCSPResponse relied on, so signing can embed it (CAdES-X Long, B-LT). */
  readonly evidence?: Uint8Array | undefined;
  /**
   * The DER delta CRL used together with the complete CRL in `evidence`, when one was (RFC 5280
   * §5.2.4); thisUpdate and nextUpdate are then the delta's. (Added with the CRL checker.)
   */
  readonly deltaEvidence?: Uint8Array | undefined;
}

/**
 * Validates a certificate that signs revocation data (a CRL issuer other than the CA, a
 * delegated OCSP responder) for `purpose` at `time`; resolves when it is valid, rejects with a
 * {@link PathValidationError} when not. Supplied by the path validator to the revocation checker.
 */
export type ValidateSigner = (
  certificate: Certificate,
  options: { readonly purpose: CertificatePurpose; readonly time: Date; readonly signal?: AbortSignal | undefined },
) => Promise<ValidatedPath>;

/** What a {@link RevocationChecker} is told about the certificate it checks. */
export interface RevocationContext {
  /** The validation time. */
  readonly time: Date;
  /** The path being validated, target first, ending with the anchor's certificate. */
  readonly path: readonly Certificate[];
  /** Position of the checked certificate in `path`. */
  readonly index: number;
  readonly validateSigner: ValidateSigner;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Checks one certificate of a path whose signatures already verified up to the anchor
 * (so nothing is fetched for an unverified chain). Never throws for bad data: it resolves
 * with status `unknown` and a `detail`.
 */
export type RevocationChecker = (
  certificate: Certificate,
  issuer: Certificate,
  context: RevocationContext,
) => Promise<RevocationResult>;

/** Options of path building and validation. */
export interface PathValidationOptions extends PolicyInputs {
  readonly trust: TrustStore;
  /** The validation time (default: now). */
  readonly time?: Date | undefined;
  /** What the target certificate is for (default `document-signing`). */
  readonly purpose?: CertificatePurpose | undefined;
  /** Extra EKU OIDs any one of which the target may carry instead of the purpose's. */
  readonly requiredEku?: readonly string[] | undefined;
  /** Untrusted certificates to build from (from the signature or the caller). Any order. */
  readonly intermediates?: readonly Certificate[] | undefined;
  /** The signature algorithm set (default: every algorithm of @eds/core). */
  readonly algorithms?: readonly SignatureAlgorithm[] | undefined;
  /** Longest path, anchor included (default 10). */
  readonly maxDepth?: number | undefined;
  /** Most signature verifications the builder may spend (default 100). */
  readonly maxSignatureChecks?: number | undefined;
  /** Revocation checking of every certificate but the anchor; absent = not checked. */
  readonly revocation?: RevocationChecker | undefined;
  readonly signal?: AbortSignal | undefined;
  /**
   * Also check the anchor certificate (RFC 5937 style): its validity, encoding, critical
   * extensions, basicConstraints cA / pathLenConstraint, keyUsage keyCertSign and nameConstraints
   * (default false: only its key and name are used). Added by the path-validation helper.
   */
  readonly enforceAnchorConstraints?: boolean | undefined;
}

/** A path that validated. */
export interface ValidatedPath {
  /** Target first, ending with the anchor's certificate. */
  readonly certificates: readonly Certificate[];
  readonly anchor: TrustAnchor;
  /** The validation time used. */
  readonly time: Date;
  /** RFC 5280 §6.1.6 user-constrained-policy-set: policy OIDs, or `['2.5.29.32.0']` for anyPolicy. */
  readonly policies: readonly string[];
  /** Revocation results of `certificates` (same index; the anchor has none), when checked. */
  readonly revocation: readonly (RevocationResult | undefined)[];
}

/** One candidate path the builder tried and rejected, for the report. */
export interface RejectedPath {
  readonly certificates: readonly Certificate[];
  readonly reason: PathFailureReason;
  readonly message: string;
  readonly index: number | undefined;
}

/** Revocation data supplied by the caller (offline mode, or embedded in a signature). */
export interface RevocationData {
  readonly crls?: readonly (Uint8Array | Crl)[] | undefined;
  /** DER OCSPResponse. */
  readonly ocspResponses?: readonly Uint8Array[] | undefined;
  /**
   * Certificates that may have signed the CRLs (an indirect CRL issuer, a CA's rollover
   * certificate), e.g. from the signature's certificate set; each is used only after the path
   * validator accepts it for `crl-signing`. (Added with createRevocationChecker.)
   */
  readonly certificates?: readonly Certificate[] | undefined;
}

/**
 * How a revocation checker's `unknown` answers are treated (added with createRevocationChecker):
 * `require` makes the path INDETERMINATE (`REVOCATION_UNKNOWN`); `prefer` reports the unknown
 * result and lets validation proceed; `off` checks nothing (no checker should be passed).
 * A checker made by `createRevocationChecker` carries its mode as a `mode` property; a checker
 * without one is treated as `require`.
 */
export type RevocationMode = 'require' | 'prefer' | 'off';

/** What verify() and verifyXml() share: the trust, the time, the revocation policy and its data, the network. */
export interface VerificationOptions {
  readonly trust: TrustStore;
  /** The validation time (default: now). Paths are judged at the earliest valid signature time-stamp when there is one. */
  readonly time?: Date | undefined;
  /** Revocation policy (default `require`: no revocation data is INDETERMINATE, never a pass). */
  readonly revocation?: RevocationMode | undefined;
  /** CRLs and OCSP responses supplied by the caller (offline mode); embedded ones are used too. */
  readonly revocationData?: RevocationData | undefined;
  /** Fetch OCSP and CRLs online through this fetcher (default: offline). */
  readonly fetcher?: Fetcher | undefined;
  /** Untrusted CA certificates to build paths from (DER, PEM or parsed). */
  readonly intermediates?: readonly (Uint8Array | string | Certificate)[] | undefined;
  /** Signature algorithms accepted (default: every algorithm of @eds/core). */
  readonly algorithms?: readonly SignatureAlgorithm[] | undefined;
  readonly signal?: AbortSignal | undefined;
}
