// The validation report of @eds/verify (ETSI EN 319 102-1 §5.1 indications and sub-indications; ARCHITECTURE.md "Public API shape"): plain JSON data, rendered for people by `formatReport`.

/** ETSI EN 319 102-1 §5.1.2 main status indication. */
export type Indication = 'TOTAL_PASSED' | 'TOTAL_FAILED' | 'INDETERMINATE';

/** ETSI EN 319 102-1 §5.1.3 sub-indications (Table 5 for TOTAL_FAILED, Table 6 for INDETERMINATE). */
export type SubIndication =
  // TOTAL_FAILED
  | 'FORMAT_FAILURE'
  | 'HASH_FAILURE'
  | 'SIG_CRYPTO_FAILURE'
  | 'REVOKED'
  | 'SIG_CONSTRAINTS_FAILURE'
  | 'CHAIN_CONSTRAINTS_FAILURE'
  | 'CERTIFICATE_CHAIN_GENERAL_FAILURE'
  | 'CRYPTO_CONSTRAINTS_FAILURE'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'POLICY_PROCESSING_ERROR'
  | 'SIGNATURE_POLICY_NOT_AVAILABLE'
  | 'TIMESTAMP_ORDER_FAILURE'
  // INDETERMINATE
  | 'NO_SIGNING_CERTIFICATE_FOUND'
  | 'NO_CERTIFICATE_CHAIN_FOUND'
  | 'REVOKED_NO_POE'
  | 'REVOKED_CA_NO_POE'
  | 'OUT_OF_BOUNDS_NO_POE'
  | 'OUT_OF_BOUNDS_NOT_REVOKED'
  | 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE'
  | 'NO_POE'
  | 'TRY_LATER'
  | 'SIGNED_DATA_NOT_FOUND';

/** How a check came out. `warning` and `info` never change the indication. */
export type CheckOutcome = 'passed' | 'failed' | 'indeterminate' | 'warning' | 'info' | 'skipped';

/**
 * Stable codes of the checks and findings a report lists; `formatReport` has a Russian and an
 * English sentence for each. `PATH_*` repeat the `PathFailureReason` of `@eds/verify/errors`.
 */
export type CheckCode =
  // structure
  | 'FORMAT_OK'
  | 'FORMAT_INVALID'
  | 'CONTENT_MISSING'
  // the document digest and the signature value
  | 'DIGEST_MATCH'
  | 'DIGEST_MISMATCH'
  | 'SIGNATURE_VALID'
  | 'SIGNATURE_INVALID'
  | 'ALGORITHM_UNSUPPORTED'
  // signed attributes (RFC 5652 §5.3, §11; ETSI EN 319 122-1 §5.2)
  | 'SIGNED_ATTRIBUTES_OK'
  | 'SIGNED_ATTRIBUTES_INVALID'
  | 'CONTENT_TYPE_MISMATCH'
  | 'SIGNING_CERTIFICATE_FOUND'
  | 'SIGNING_CERTIFICATE_NOT_FOUND'
  | 'SIGNING_CERTIFICATE_BOUND'
  | 'SIGNING_CERTIFICATE_ATTRIBUTE_MISSING'
  | 'SIGNING_CERTIFICATE_MISMATCH'
  // the certification path (RFC 5280 §6.1)
  | 'PATH_VALID'
  | 'PATH_NO_PATH'
  | 'PATH_NAME_CHAINING'
  | 'PATH_SIGNATURE'
  | 'PATH_UNSUPPORTED_ALGORITHM'
  | 'PATH_EXPIRED'
  | 'PATH_NOT_YET_VALID'
  | 'PATH_NOT_CA'
  | 'PATH_PATH_LENGTH'
  | 'PATH_KEY_USAGE'
  | 'PATH_EXTENDED_KEY_USAGE'
  | 'PATH_NAME_CONSTRAINTS'
  | 'PATH_POLICY'
  | 'PATH_UNKNOWN_CRITICAL_EXTENSION'
  | 'PATH_MALFORMED'
  | 'PATH_REVOKED'
  | 'PATH_SUSPENDED'
  | 'PATH_REVOCATION_UNKNOWN'
  | 'PATH_ANCHOR_NOT_ALLOWED'
  | 'PATH_BUDGET'
  // revocation of the signer's certificate
  | 'REVOCATION_GOOD'
  | 'REVOCATION_REVOKED'
  | 'REVOCATION_SUSPENDED'
  | 'REVOKED_AFTER_SIGNING'
  | 'REVOCATION_UNKNOWN'
  | 'REVOCATION_NOT_CHECKED'
  // time-stamps (RFC 3161; ETSI EN 319 122-1 §5.3)
  | 'TIMESTAMP_VALID'
  | 'TIMESTAMP_INVALID'
  | 'TIMESTAMP_IMPRINT_MISMATCH'
  | 'TIMESTAMP_UNTRUSTED'
  | 'TIMESTAMP_ORDER'
  // 63-FZ art. 11 and profile findings
  | 'QUALIFIED'
  | 'NOT_QUALIFIED'
  | 'VALID_AT_SIGNING_TIME'
  | 'KEY_USAGE_OK'
  | 'KEY_USAGE_NOT_FOR_SIGNING'
  // warnings
  | 'CERT_EXPIRES_SOON'
  | 'LEGACY_ALGORITHM'
  | 'WEAK_ALGORITHM'
  | 'TEST_CA'
  | 'NO_SIGNING_TIME'
  | 'SIGNING_TIME_UNTRUSTED';

/** One check or finding. `params` fill the placeholders of its sentence (e.g. `{ days: 12 }`). */
export interface Check {
  readonly code: CheckCode;
  readonly outcome: CheckOutcome;
  /** English detail for logs (the rendered sentence comes from `formatReport`). */
  readonly detail?: string | undefined;
  readonly params?: Readonly<Record<string, string | number>> | undefined;
  /** Index into the signature's `chain` of the certificate concerned. */
  readonly certificate?: number | undefined;
}

/** Who a certificate names: its subject's identifiers (Russian and Kazakh), as strings. */
export interface Identity {
  /** RFC 4514 subject string. */
  readonly subject: string;
  readonly commonName?: string | undefined;
  /** Surname, given name(s) and patronymic as in the certificate (SN + GN), when present. */
  readonly fullName?: string | undefined;
  readonly organization?: string | undefined;
  readonly title?: string | undefined;
  readonly email?: string | undefined;
  readonly inn?: string | undefined;
  /** INN of a legal entity (1.2.643.100.4). */
  readonly innLe?: string | undefined;
  readonly snils?: string | undefined;
  readonly ogrn?: string | undefined;
  readonly ogrnip?: string | undefined;
  /** Kazakhstan: IIN of an individual, BIN of an organisation. */
  readonly iin?: string | undefined;
  readonly bin?: string | undefined;
}

/** Revocation status of one certificate as reported (dates as ISO 8601 strings). */
export interface RevocationReport {
  readonly status: 'good' | 'revoked' | 'suspended' | 'unknown' | 'not-checked';
  readonly source: 'ocsp' | 'crl' | 'embedded-ocsp' | 'embedded-crl' | 'none';
  readonly reason?: string | undefined;
  readonly revocationTime?: string | undefined;
  readonly thisUpdate?: string | undefined;
  readonly nextUpdate?: string | undefined;
  readonly producedAt?: string | undefined;
  readonly url?: string | undefined;
  readonly detail?: string | undefined;
}

/** One certificate of the path: target first, the anchor last. */
export interface ChainEntry {
  /** RFC 4514 subject string. */
  readonly subject: string;
  /** A short name for people: the subject's commonName, else its organisation. */
  readonly name?: string | undefined;
  /** The same for the issuer. */
  readonly issuerName?: string | undefined;
  readonly issuer: string;
  /** Hex, as printed by OpenSSL. */
  readonly serialNumber: string;
  readonly notBefore: string;
  readonly notAfter: string;
  /** SHA-256 fingerprint, hex. */
  readonly fingerprint: string;
  readonly trustAnchor: boolean;
  readonly revocation?: RevocationReport | undefined;
}

/** A time-stamp found on the signature and what came of checking it. */
export interface TimestampReport {
  /** `signature`: id-aa-signatureTimeStampToken; `cades-c`: id-aa-ets-escTimeStamp; `archive`, `content` likewise. */
  readonly kind: 'signature' | 'cades-c' | 'archive' | 'content';
  readonly genTime: string;
  readonly tsa?: string | undefined;
  readonly serialNumber?: string | undefined;
  readonly hashAlgorithm: string;
  readonly indication: Indication;
  readonly checks: readonly Check[];
}

/** The signature levels a CMS signature was found to have. */
export type SignatureFormat =
  | 'CMS'
  | 'CAdES-BES'
  | 'CAdES-EPES'
  | 'CAdES-T'
  | 'CAdES-X-Long-Type-1'
  | 'CAdES-B-LT'
  | 'XAdES-BES'
  | 'XAdES-T'
  | 'XMLDSig';

/** The result for one signature (a SignerInfo, a countersignature, an XML Signature). */
export interface SignatureReport {
  /** Position: `S1`, `S2`, ... and `S1.C1` for the first countersignature of S1. */
  readonly id: string;
  readonly indication: Indication;
  readonly subIndication?: SubIndication | undefined;
  readonly format: SignatureFormat;
  readonly signer?: Identity | undefined;
  /** A qualified certificate (63-FZ: КЭП), as far as the certificate says. */
  readonly qualified: boolean;
  readonly signatureAlgorithm?: string | undefined;
  readonly digestAlgorithm?: string | undefined;
  /** The signingTime attribute: claimed by the signer, not proven. */
  readonly claimedSigningTime?: string | undefined;
  /** The time the path and revocation were judged at: the earliest valid signature time-stamp, else the validation time. */
  readonly bestSignatureTime: string;
  readonly timestamps: readonly TimestampReport[];
  readonly chain: readonly ChainEntry[];
  /** The signer certificate's revocation status (also in `chain[0]`). */
  readonly revocation?: RevocationReport | undefined;
  /** Every check in the order run, warnings included. */
  readonly checks: readonly Check[];
  readonly countersignatures: readonly SignatureReport[];
}

/** The whole report: JSON-serialisable, stable field names, dates as ISO 8601 strings. */
export interface VerificationReport {
  /** The worst indication over all signatures (TOTAL_FAILED > INDETERMINATE > TOTAL_PASSED); INDETERMINATE when there is none. */
  readonly indication: Indication;
  readonly subIndication?: SubIndication | undefined;
  readonly validationTime: string;
  readonly container: 'CMS' | 'XML';
  readonly signatures: readonly SignatureReport[];
  /** Checks about the container itself (format, missing content). */
  readonly checks: readonly Check[];
}

const RANK: Record<Indication, number> = { TOTAL_PASSED: 0, INDETERMINATE: 1, TOTAL_FAILED: 2 };

/**
 * The overall indication of several results: the worst one (TOTAL_FAILED, then INDETERMINATE),
 * with the sub-indication of the first signature that has it; INDETERMINATE with
 * SIGNED_DATA_NOT_FOUND when there is no signature.
 *
 * Standard: ETSI EN 319 102-1 §5.1.
 * @example
 * ```ts
 * const { indication } = worstIndication(report.signatures);
 * ```
 */
export function worstIndication(
  results: readonly { indication: Indication; subIndication?: SubIndication | undefined }[],
): {
  indication: Indication;
  subIndication?: SubIndication | undefined;
} {
  if (results.length === 0) return { indication: 'INDETERMINATE', subIndication: 'SIGNED_DATA_NOT_FOUND' };
  let worst = results[0] as { indication: Indication; subIndication?: SubIndication | undefined };
  for (const r of results) if (RANK[r.indication] > RANK[worst.indication]) worst = r;
  return worst.subIndication === undefined
    ? { indication: worst.indication }
    : { indication: worst.indication, subIndication: worst.subIndication };
}
