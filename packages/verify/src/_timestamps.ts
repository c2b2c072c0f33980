// Internal: validation of the time-stamps on a SignerInfo (RFC 3161 §2.4.2; ETSI EN 319 122-1 §5.3, RFC 5126 §6.1.1, §6.3.5; EN 319 102-1 §5.4): imprint, TSA signature and TSA path at genTime; the earliest valid signature time-stamp is the best signature time.
import { decodeDer } from '@eds/core/asn1';
import { findDigest } from '@eds/core/digests';
import {
  type CmsAttribute,
  encodeAttribute,
  parseSignedData,
  type SignedDataView,
  type SignerInfoView,
} from '@eds/core/signed-data';
import { OID_TST_INFO, parseTimestampToken, type TimestampToken } from '@eds/core/tsp';
import type { SignatureAlgorithm } from '@eds/core/types';
import { type Certificate, parseCertificate } from '@eds/core/x509';
import { CheckList, checkSignerInfo } from './_signer-info';
import type { PathValidationError } from './errors';
import type { TimestampReport } from './report';
import type { TrustStore, ValidatedPath } from './types';

const OID_SIGNATURE_TIMESTAMP = '1.2.840.113549.1.9.16.2.14';
const OID_ESC_TIMESTAMP = '1.2.840.113549.1.9.16.2.25';
const OID_CERTIFICATE_REFS = '1.2.840.113549.1.9.16.2.21';
const OID_REVOCATION_REFS = '1.2.840.113549.1.9.16.2.22';
const MAX_TOKENS = 16;

/** What time-stamp validation needs from the caller. */
export interface TimestampContext {
  readonly trust: TrustStore;
  readonly algorithms: readonly SignatureAlgorithm[];
  readonly pool: readonly Certificate[];
  /**
   * Validates a TSA certificate for time-stamping at the validation time, not at the genTime the
   * token claims: a token is proof of existence only while its TSA is trusted (ETSI EN 319 102-1
   * §5.4; a TSA key that expired or was revoked could sign any back-dated time).
   */
  readonly validate: (
    certificate: Certificate,
    extra: readonly Certificate[],
  ) => Promise<{ path?: ValidatedPath | undefined; error?: PathValidationError | undefined }>;
}

/** The time-stamps' reports, the best signature time and the TSA certificates seen. */
export interface TimestampOutcome {
  readonly reports: TimestampReport[];
  readonly bestTime: Date | undefined;
  readonly certificates: readonly Certificate[];
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** An attribute's attrType and attrValues TLVs: its DER without the outer SEQUENCE header (ETSI EN 319 122-1 A.1.5). */
function contents(a: CmsAttribute): Uint8Array {
  return decodeDer(a.raw ?? encodeAttribute(a), 'Attribute').value;
}

/** The bytes a CAdES-C time-stamp covers: signature value, signature time-stamps, both reference attributes (RFC 5126 §6.3.5). */
function escData(si: SignerInfoView): Uint8Array {
  const attrs = si.unsignedAttrs?.list ?? [];
  const parts = [
    si.signature,
    ...attrs.filter((a) => a.oid === OID_SIGNATURE_TIMESTAMP).map(contents),
    ...attrs.filter((a) => a.oid === OID_CERTIFICATE_REFS).map(contents),
    ...attrs.filter((a) => a.oid === OID_REVOCATION_REFS).map(contents),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function certificatesOf(token: TimestampToken): Certificate[] {
  const out: Certificate[] = [];
  for (const c of token.certificates) {
    try {
      out.push(parseCertificate(c));
    } catch {
      // unusable
    }
  }
  return out;
}

/** Validates one token over `data`; the report's indication is TOTAL_PASSED only when it may serve as proof of existence. */
async function checkToken(
  der: Uint8Array,
  data: Uint8Array,
  kind: TimestampReport['kind'],
  ctx: TimestampContext,
): Promise<{ report: TimestampReport; genTime?: Date; certificates: Certificate[] }> {
  const list = new CheckList();
  let token: TimestampToken;
  try {
    token = parseTimestampToken(der);
  } catch (e) {
    list.fail(
      'TIMESTAMP_INVALID',
      { indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' },
      { detail: String((e as Error)?.message ?? e) },
    );
    return {
      report: { kind, genTime: '', hashAlgorithm: '', indication: 'TOTAL_FAILED', checks: list.checks },
      certificates: [],
    };
  }
  const { tstInfo } = token;
  const imprint = tstInfo.messageImprint;
  const base = {
    kind,
    genTime: tstInfo.genTime.toISOString(),
    serialNumber: tstInfo.serialNumber.toString(16),
    hashAlgorithm: imprint.hashAlgorithm.oid,
  };
  const certificates = certificatesOf(token);
  let hashName = imprint.hashAlgorithm.oid;
  try {
    const hash = findDigest(imprint.hashAlgorithm.oid);
    hashName = hash.name;
    if (!equal(hash.digest(data), imprint.hashedMessage))
      list.fail('TIMESTAMP_IMPRINT_MISMATCH', { indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' });
  } catch {
    list.fail(
      'ALGORITHM_UNSUPPORTED',
      { indication: 'INDETERMINATE', subIndication: 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE' },
      { params: { algorithm: hashName } },
    );
  }
  let tsa: Certificate | undefined;
  let sd: SignedDataView | undefined;
  try {
    sd = parseSignedData(der);
  } catch (e) {
    list.fail(
      'TIMESTAMP_INVALID',
      { indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' },
      { detail: String((e as Error)?.message ?? e) },
    );
  }
  if (!list.failure && sd) {
    const si = sd.signerInfos[0] as SignerInfoView;
    const digests = new Map<string, Uint8Array>();
    try {
      const h = findDigest(si.digestAlgorithm.oid);
      digests.set(h.oid, h.digest(token.tstInfoDer));
    } catch {
      // reported by checkSignerInfo
    }
    const r = await checkSignerInfo(si, {
      certificates: [...certificates, ...ctx.pool],
      contentType: OID_TST_INFO,
      digests,
      algorithms: ctx.algorithms,
      requireSigningCertificate: true,
    });
    tsa = r.certificate;
    if (sd.signerInfos.length !== 1)
      list.fail(
        'TIMESTAMP_INVALID',
        { indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' },
        { detail: 'a time-stamp token has exactly one SignerInfo' },
      );
    else if (r.list.failure)
      list.fail('TIMESTAMP_INVALID', r.list.failure, {
        detail: r.list.checks
          .filter((c) => c.outcome !== 'passed')
          .map((c) => c.detail ?? c.code)
          .join('; '),
      });
  }
  if (!list.failure && tsa && (tstInfo.genTime < tsa.notBefore || tstInfo.genTime > tsa.notAfter)) {
    list.fail(
      'TIMESTAMP_INVALID',
      { indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' },
      {
        detail: "genTime is outside the TSA certificate's validity period",
      },
    );
  }
  if (!list.failure && tsa) {
    const v = await ctx.validate(tsa, certificates);
    if (v.error)
      list.fail(
        'TIMESTAMP_UNTRUSTED',
        { indication: 'INDETERMINATE', subIndication: 'NO_POE' },
        { detail: v.error.message },
      );
  }
  const tsaName = tsa?.subject.toString();
  if (list.failure) {
    return {
      report: {
        ...base,
        hashAlgorithm: hashName,
        tsa: tsaName,
        indication: list.failure.indication,
        checks: list.checks,
      },
      certificates,
    };
  }
  list.add('TIMESTAMP_VALID', 'passed', { params: { time: base.genTime } });
  return {
    report: { ...base, hashAlgorithm: hashName, tsa: tsaName, indication: 'TOTAL_PASSED', checks: list.checks },
    genTime: tstInfo.genTime,
    certificates,
  };
}

/**
 * Validates the signature time-stamps and CAdES-C time-stamps of `si`, adds a check per token to
 * `list` (failed tokens are reported and not used as proof of time, as EN 319 102-1 §5.4 has it;
 * a CAdES-C time-stamp older than a signature time-stamp is TIMESTAMP_ORDER_FAILURE).
 */
export async function checkTimestamps(
  si: SignerInfoView,
  list: CheckList,
  ctx: TimestampContext,
): Promise<TimestampOutcome> {
  const attrs = si.unsignedAttrs?.list ?? [];
  const jobs: [Uint8Array, TimestampReport['kind'], () => Uint8Array][] = [];
  for (const a of attrs) {
    if (a.oid === OID_SIGNATURE_TIMESTAMP) for (const v of a.values) jobs.push([v, 'signature', () => si.signature]);
    if (a.oid === OID_ESC_TIMESTAMP) for (const v of a.values) jobs.push([v, 'cades-c', () => escData(si)]);
  }
  const reports: TimestampReport[] = [];
  const certificates: Certificate[] = [];
  let best: Date | undefined;
  let latestSignatureStamp: Date | undefined;
  const escTimes: Date[] = [];
  for (const [der, kind, data] of jobs.slice(0, MAX_TOKENS)) {
    const r = await checkToken(der, data(), kind, ctx);
    reports.push(r.report);
    certificates.push(...r.certificates);
    const code = r.genTime ? 'TIMESTAMP_VALID' : 'TIMESTAMP_INVALID';
    list.add(code, r.genTime ? 'passed' : 'warning', {
      params: { kind, time: r.report.genTime },
      detail: r.report.checks.map((c) => c.detail ?? c.code).join('; '),
    });
    if (!r.genTime) continue;
    if (kind === 'signature') {
      if (!best || r.genTime < best) best = r.genTime;
      if (!latestSignatureStamp || r.genTime > latestSignatureStamp) latestSignatureStamp = r.genTime;
    } else escTimes.push(r.genTime);
  }
  if (latestSignatureStamp && escTimes.some((t) => t < (latestSignatureStamp as Date)))
    list.fail('TIMESTAMP_ORDER', { indication: 'INDETERMINATE', subIndication: 'TIMESTAMP_ORDER_FAILURE' });
  return { reports, bestTime: best, certificates };
}
