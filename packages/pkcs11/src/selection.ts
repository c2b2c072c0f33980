// Certificate selection for a key picker: filters and sorts token certificates by validity (RFC 5280
// §4.1.2.5), key usage and EKU (§4.2.1.3, §4.2.1.12), issuer (§7.1 name matching), qualified profile.
import { type Name, parseName } from '@eds/core/name';
import { type Certificate, parseCertificate } from '@eds/core/x509';
import type { CertificateEntry, KeyAlgorithm } from './types';

/** Key usage bits a signing picker filters on. */
export type SigningKeyUsage = 'digitalSignature' | 'nonRepudiation';

/** What {@link selectCertificates} keeps; every field is optional and all given ones must hold. */
export interface SelectionCriteria {
  /** The time validity is judged at (default: now). */
  readonly at?: Date | undefined;
  /**
   * `'valid'` (default) keeps only certificates valid at `at` (notBefore ≤ at ≤ notAfter and,
   * when present, within the privateKeyUsagePeriod: its notBefore ≤ at ≤ its notAfter); `'any'`
   * keeps all, with their status.
   */
  readonly validity?: 'valid' | 'any' | undefined;
  /** true: only certificates of the Russian qualified profile (`Certificate.isQualified`); false: only others. */
  readonly qualified?: boolean | undefined;
  /** Key usage bits that must all be allowed (a certificate without keyUsage allows all, RFC 5280 §4.2.1.3). */
  readonly keyUsage?: readonly SigningKeyUsage[] | undefined;
  /**
   * Extended key usage OIDs that must all be allowed: a certificate without the extension, or
   * with anyExtendedKeyUsage (2.5.29.37.0), allows any (RFC 5280 §4.2.1.12).
   */
  readonly extKeyUsage?: readonly string[] | undefined;
  /**
   * The issuer: a string is a case-insensitive substring of the issuer's RFC 4514 text; bytes are
   * a DER Name compared by RFC 5280 §7.1 name matching.
   */
  readonly issuer?: string | Uint8Array | undefined;
  /** Key kinds to keep. */
  readonly algorithms?: readonly KeyAlgorithm['kind'][] | undefined;
  /** Storages to keep (`CertificateEntry.storage`, compared exactly). */
  readonly storage?: readonly string[] | undefined;
  /** Keep entries without a private key (default false). */
  readonly includeWithoutPrivateKey?: boolean | undefined;
  /** Warn when fewer whole days than this are left (default 30; 0 turns the warning off). */
  readonly expiryWarningDays?: number | undefined;
}

/**
 * Validity of a certificate at the selection time (RFC 5280 §4.1.2.5; privateKeyUsagePeriod, RFC
 * 3280 §4.2.1.4). `key-not-yet-valid`: the privateKeyUsagePeriod has not begun; `key-expired`: it
 * has ended.
 */
export type CertificateStatus = 'valid' | 'not-yet-valid' | 'expired' | 'key-not-yet-valid' | 'key-expired';

/** A warning a picker shows next to a certificate. */
export type SelectionWarning =
  | { readonly code: 'EXPIRES_SOON'; readonly daysLeft: number; readonly notAfter: Date }
  | { readonly code: 'EXPIRED'; readonly notAfter: Date }
  | { readonly code: 'NOT_YET_VALID'; readonly notBefore: Date }
  | { readonly code: 'KEY_NOT_YET_VALID'; readonly keyNotBefore: Date }
  | { readonly code: 'KEY_EXPIRED'; readonly keyNotAfter: Date };

/** What a picker shows for a certificate, from the @eds/core certificate view. */
export interface CertificateSummary {
  /** The owner's full name (surname and given names, else CN). */
  readonly owner: string | undefined;
  readonly subjectCommonName: string | undefined;
  readonly organization: string | undefined;
  readonly inn: string | undefined;
  readonly innle: string | undefined;
  readonly snils: string | undefined;
  readonly ogrn: string | undefined;
  readonly ogrnip: string | undefined;
  readonly issuerCommonName: string | undefined;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Serial number, lower-case hex. */
  readonly serialNumber: string;
  /** SHA-1 thumbprint, lower-case hex. */
  readonly thumbprint: string;
}

/** One selected certificate. */
export interface SelectedCertificate {
  readonly entry: CertificateEntry;
  readonly status: CertificateStatus;
  readonly qualified: boolean;
  readonly warnings: readonly SelectionWarning[];
  readonly describe: CertificateSummary;
}

const DAY_MS = 86_400_000;
const ANY_EKU = '2.5.29.37.0';

function statusAt(cert: Certificate, at: Date): CertificateStatus {
  const t = at.getTime();
  if (t < cert.notBefore.getTime()) return 'not-yet-valid';
  if (t > cert.notAfter.getTime()) return 'expired';
  const keyNotBefore = cert.privateKeyUsagePeriod?.notBefore;
  if (keyNotBefore && t < keyNotBefore.getTime()) return 'key-not-yet-valid';
  const keyNotAfter = cert.privateKeyUsagePeriod?.notAfter;
  return keyNotAfter && t > keyNotAfter.getTime() ? 'key-expired' : 'valid';
}

/** The end of the signing period: notAfter, or the privateKeyUsagePeriod end when earlier. */
function signingEnd(cert: Certificate): Date {
  const k = cert.privateKeyUsagePeriod?.notAfter;
  return k && k.getTime() < cert.notAfter.getTime() ? k : cert.notAfter;
}

function warningsFor(cert: Certificate, at: Date, status: CertificateStatus, days: number): SelectionWarning[] {
  switch (status) {
    case 'not-yet-valid':
      return [{ code: 'NOT_YET_VALID', notBefore: cert.notBefore }];
    case 'expired':
      return [{ code: 'EXPIRED', notAfter: cert.notAfter }];
    case 'key-not-yet-valid':
      return [{ code: 'KEY_NOT_YET_VALID', keyNotBefore: cert.privateKeyUsagePeriod?.notBefore ?? cert.notBefore }];
    case 'key-expired':
      return [{ code: 'KEY_EXPIRED', keyNotAfter: signingEnd(cert) }];
  }
  const end = signingEnd(cert);
  const daysLeft = Math.floor((end.getTime() - at.getTime()) / DAY_MS);
  return daysLeft < days ? [{ code: 'EXPIRES_SOON', daysLeft, notAfter: end }] : [];
}

function summary(cert: Certificate): CertificateSummary {
  const s = cert.subject;
  return Object.freeze({
    owner: cert.ownerName,
    subjectCommonName: s.commonName,
    organization: s.organization,
    inn: s.inn,
    innle: s.innle,
    snils: s.snils,
    ogrn: s.ogrn,
    ogrnip: s.ogrnip,
    issuerCommonName: cert.issuer.commonName,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    serialNumber: cert.serialHex,
    thumbprint: cert.fingerprintHex('sha1'),
  });
}

function issuerMatches(cert: Certificate, issuer: string | Name): boolean {
  if (typeof issuer !== 'string') return cert.issuer.equals(issuer);
  return cert.issuer.toString().toLowerCase().includes(issuer.toLowerCase());
}

function usageMatches(cert: Certificate, criteria: SelectionCriteria): boolean {
  const ku = cert.keyUsage;
  if (ku && criteria.keyUsage?.some((u) => !ku.has(u))) return false;
  const eku = cert.extKeyUsage;
  if (!eku || eku.includes(ANY_EKU)) return true;
  return (criteria.extKeyUsage ?? []).every((oid) => eku.includes(oid));
}

function keep(
  e: CertificateEntry,
  cert: Certificate,
  c: SelectionCriteria,
  issuer: string | Name | undefined,
): boolean {
  if (!e.hasPrivateKey && !c.includeWithoutPrivateKey) return false;
  if (c.algorithms && !c.algorithms.includes(e.keyAlgorithm.kind)) return false;
  if (c.storage && !c.storage.includes(e.storage)) return false;
  if (c.qualified !== undefined && cert.isQualified !== c.qualified) return false;
  if (issuer !== undefined && !issuerMatches(cert, issuer)) return false;
  return usageMatches(cert, c);
}

/**
 * Orders selected certificates: valid ones first, then qualified ones, then the latest notAfter
 * first; ties keep the input order. Exported for pickers that sort their own lists the same way.
 *
 * @example
 * ```ts
 * const ordered = [...selected].sort(compareSelected);
 * ```
 */
export function compareSelected(a: SelectedCertificate, b: SelectedCertificate): number {
  const valid = Number(b.status === 'valid') - Number(a.status === 'valid');
  if (valid !== 0) return valid;
  const qualified = Number(b.qualified) - Number(a.qualified);
  if (qualified !== 0) return qualified;
  return b.describe.notAfter.getTime() - a.describe.notAfter.getTime();
}

/**
 * Filters and sorts token certificates for a key picker (issue 10, item 6). Pure: the entries are
 * not changed. Kept are entries with a private key (unless `includeWithoutPrivateKey`) meeting
 * every given criterion of {@link SelectionCriteria}; by default only those valid at `at`.
 * Sorted by {@link compareSelected}: valid first, qualified first, latest notAfter first (stable).
 * Each result carries its status, warnings (`EXPIRES_SOON` with `daysLeft` when fewer than
 * `expiryWarningDays` whole days are left until notAfter or, when earlier, the end of the
 * privateKeyUsagePeriod; `EXPIRED`, `NOT_YET_VALID`, `KEY_NOT_YET_VALID` (the key's usage period
 * has not begun), `KEY_EXPIRED` with `validity: 'any'`) and
 * the fields a picker shows.
 *
 * Standard: RFC 5280 §4.1.2.5 (validity), §4.2.1.3 (keyUsage), §4.2.1.12 (extKeyUsage), §7.1
 * (name matching); the qualified profile as `Certificate.isQualified` (FSB order 795).
 *
 * @throws {DecodeError} when an entry's certificate, or `criteria.issuer` given as bytes, is not DER.
 * @example
 * ```ts
 * const choices = selectCertificates(await adapter.listCertificates(token), {
 *   qualified: true,
 *   keyUsage: ['digitalSignature'],
 * });
 * for (const c of choices) console.log(c.describe.owner, c.warnings);
 * ```
 */
export function selectCertificates(
  entries: readonly CertificateEntry[],
  criteria: SelectionCriteria = {},
): SelectedCertificate[] {
  const at = criteria.at ?? new Date();
  const days = criteria.expiryWarningDays ?? 30;
  const issuer = criteria.issuer instanceof Uint8Array ? parseName(criteria.issuer) : criteria.issuer;
  const out: SelectedCertificate[] = [];
  for (const entry of entries) {
    const cert = parseCertificate(entry.certificate);
    if (!keep(entry, cert, criteria, issuer)) continue;
    const status = statusAt(cert, at);
    if (status !== 'valid' && (criteria.validity ?? 'valid') === 'valid') continue;
    out.push(
      Object.freeze({
        entry,
        status,
        qualified: cert.isQualified,
        warnings: Object.freeze(warningsFor(cert, at, status, days)),
        describe: summary(cert),
      }),
    );
  }
  return out.sort(compareSelected);
}
