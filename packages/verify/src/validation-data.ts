// The certificates and revocation data of a signer's validated path, in the form CAdES-X Long Type 1 and B-LT embed (RFC 5126 §6.3.3-§6.3.4, ETSI EN 319 122-1 §5.5): the bridge from @eds/verify's path building and OCSP/CRL checking to @eds/core/cades.
import type { ValidationDataRequest, ValidationValues } from '@eds/core/cades';
import type { Fetcher } from '@eds/core/fetcher';
import { parseTimestampToken } from '@eds/core/tsp';
import type { SignatureAlgorithm } from '@eds/core/types';
import { type Certificate, parseCertificate } from '@eds/core/x509';
import { PathValidationError } from './errors';
import { buildPath } from './path';
import { createRevocationChecker } from './revocation';
import type { RevocationData, TrustStore } from './types';

/** Options of {@link collectValidationData}. */
export interface CollectValidationDataOptions {
  /** The signer's certificate. */
  readonly certificate: Uint8Array | string | Certificate;
  readonly trust: TrustStore;
  /** Untrusted CA certificates to build the path from. */
  readonly intermediates?: readonly (Uint8Array | string | Certificate)[] | undefined;
  /** Fetch OCSP responses and CRLs online through this fetcher (default: only `revocationData`). */
  readonly fetcher?: Fetcher | undefined;
  /** CRLs and OCSP responses at hand; used before anything is fetched. */
  readonly revocationData?: RevocationData | undefined;
  /** The time the path must be valid at (default: now). */
  readonly time?: Date | undefined;
  readonly algorithms?: readonly SignatureAlgorithm[] | undefined;
  readonly signal?: AbortSignal | undefined;
}

function certificateOf(c: Uint8Array | string | Certificate): Certificate {
  return typeof c === 'string' || c instanceof Uint8Array ? parseCertificate(c) : c;
}

/**
 * Validates the signer's path with revocation required (OCSP first, CRL as fallback) and returns
 * what was relied on: the CA certificates up to the trust anchor, and the OCSP responses and CRLs
 * (with delta CRLs) that gave each certificate its `good` status. Nothing is returned for a path
 * that does not validate.
 *
 * Standard: RFC 5126 §6.3.3, §6.3.4 (the values CAdES-X Long embeds); RFC 5280 §6.1; RFC 6960.
 *
 * @throws {PathValidationError} when the path does not validate or a status cannot be established (`REVOCATION_UNKNOWN`).
 * @throws {DecodeError} a certificate that does not decode.
 * @example
 * ```ts
 * const values = await collectValidationData({ certificate: signerCert, trust, fetcher: createFetcher() });
 * const xlt1 = await addValidationData(cadesT, { level: 'XLT1', tsa, revocation: values });
 * ```
 */
export async function collectValidationData(options: CollectValidationDataOptions): Promise<ValidationValues> {
  return collect(options, 'document-signing');
}

async function collect(
  options: CollectValidationDataOptions,
  purpose: 'document-signing' | 'timestamping',
): Promise<{ certificates: Uint8Array[]; crls: Uint8Array[]; ocspResponses: Uint8Array[] }> {
  const revocation = createRevocationChecker({
    mode: 'require',
    data: options.revocationData,
    fetcher: options.fetcher,
    algorithms: options.algorithms,
  });
  const path = await buildPath(certificateOf(options.certificate), {
    trust: options.trust,
    time: options.time,
    purpose,
    intermediates: (options.intermediates ?? []).map(certificateOf),
    algorithms: options.algorithms,
    revocation,
    signal: options.signal,
  });
  const crls: Uint8Array[] = [];
  const ocspResponses: Uint8Array[] = [];
  for (const r of path.revocation) {
    if (!r?.evidence) continue;
    if (r.source === 'ocsp' || r.source === 'embedded-ocsp') ocspResponses.push(r.evidence);
    else crls.push(r.evidence, ...(r.deltaEvidence ? [r.deltaEvidence] : []));
  }
  return { certificates: path.certificates.slice(1).map((c) => c.raw), crls, ocspResponses };
}

/** The TSA's path and status for a signature time-stamp token, validated for time-stamping. */
async function timestampValues(
  token: Uint8Array,
  options: Omit<CollectValidationDataOptions, 'certificate'>,
): Promise<{ certificates: Uint8Array[]; crls: Uint8Array[]; ocspResponses: Uint8Array[] }> {
  const t = parseTimestampToken(token);
  if (!t.tsaCertificate) return { certificates: [], crls: [], ocspResponses: [] };
  const intermediates = [...t.certificates, ...(options.intermediates ?? [])];
  return collect({ ...options, certificate: t.tsaCertificate, intermediates }, 'timestamping');
}

/**
 * A `revocation` source for `signCades` and `addValidationData` of `@eds/core/cades`: for each
 * signer, {@link collectValidationData} over the signer's certificate, with the SignedData's
 * certificates as intermediates, and the same for the TSA of each signature time-stamp (validated
 * for time-stamping), so that the time-stamp too can be validated from the embedded data. The
 * signer's data is required; the TSA's is added when its path and status can be established.
 *
 * @throws as {@link collectValidationData}, through the signing call.
 * @example
 * ```ts
 * const p7s = await signCades({ content, signers: [signer], level: 'XLT1', tsa,
 *   revocation: validationDataSource({ trust, fetcher: createFetcher({ timeoutMs: 10_000 }) }) });
 * ```
 */
export function validationDataSource(
  options: Omit<CollectValidationDataOptions, 'certificate'>,
): (request: ValidationDataRequest) => Promise<ValidationValues> {
  return async (request) => {
    const o = { ...options, signal: request.signal ?? options.signal };
    const intermediates = [...request.certificates, ...(options.intermediates ?? [])];
    const parts = [await collect({ ...o, certificate: request.signerCertificate, intermediates }, 'document-signing')];
    for (const token of request.timestampTokens) {
      // Best effort: a TSA whose path or status cannot be established does not stop the signing
      // (RFC 5126 references cover the signer's path); its data is then simply not embedded.
      try {
        parts.push(await timestampValues(token, o));
      } catch (e) {
        if (!(e instanceof PathValidationError)) throw e;
      }
    }
    return {
      certificates: parts.flatMap((p) => p.certificates),
      crls: parts.flatMap((p) => p.crls),
      ocspResponses: parts.flatMap((p) => p.ocspResponses),
    };
  };
}
