// Trust stores: sets of trust anchors (RFC 5280 §6.1.1 d) from PEM bundles, DER or certificates, with per-anchor purposes.
import { DecodeError } from '@eds/core/errors';
import { prepareString } from '@eds/core/name';
import { type Certificate, parseCertificates } from '@eds/core/x509';
import type { CertificatePurpose, TrustAnchor, TrustStore } from './types';

/** One certificate source: PEM text (one or more CERTIFICATE blocks), DER bytes, or a parsed certificate. */
export type TrustSource = string | Uint8Array | Certificate;

/** One entry of {@link createTrustStore}'s input: a source, or a source with its own purposes and label. */
export type TrustInput =
  | TrustSource
  | {
      readonly certificate: TrustSource;
      readonly purposes?: Iterable<CertificatePurpose> | undefined;
      readonly label?: string | undefined;
    };

/** Options of {@link createTrustStore}: defaults for entries that do not set their own. */
export interface TrustStoreOptions {
  /** Purposes the anchors may be used for (default: all). */
  readonly purposes?: Iterable<CertificatePurpose> | undefined;
  /** A label for reports, e.g. the file the bundle came from. */
  readonly label?: string | undefined;
  /** Most anchors accepted (default 10,000). */
  readonly maxAnchors?: number | undefined;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Lower-case hex of `bytes`, for map keys. @internal (used by path.ts).
 *
 * @throws nothing.
 * @example
 * ```ts
 * hexOf(cert.spki);
 * ```
 */
export function hexOf(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += HEX[b];
  return s;
}

/**
 * A string key for a Name such that two names get the same key exactly when they match under
 * RFC 5280 §7.1 as `Name.equals` implements it (string values prepared, RDN sets unordered).
 * @internal (used by path.ts for candidate lookup).
 *
 * @throws nothing.
 * @example
 * ```ts
 * nameKey(cert.issuer) === nameKey(issuerCert.subject);
 * ```
 */
export function nameKey(name: Certificate['subject']): string {
  return name.rdns
    .map((rdn) =>
      rdn
        .map((a) => `${a.type}=${a.isString ? `s${JSON.stringify(prepareString(a.value))}` : `b${hexOf(a.raw)}`}`)
        .sort()
        .join('+'),
    )
    .join(',');
}

/**
 * Lower-case hex of the certificate's DER: the identity used to collapse duplicates (RFC 5280 §4.1).
 * @internal (used by path.ts).
 *
 * @throws nothing.
 * @example
 * ```ts
 * certificateKey(a) === certificateKey(b); // same DER
 * ```
 */
export function certificateKey(certificate: Certificate): string {
  let k = rawKeys.get(certificate);
  if (k === undefined) {
    k = hexOf(certificate.raw);
    rawKeys.set(certificate, k);
  }
  return k;
}

const rawKeys = new WeakMap<Certificate, string>();

function parseSource(source: TrustSource): Certificate[] {
  if (typeof source !== 'string' && !(source instanceof Uint8Array)) {
    if (source && typeof source === 'object' && source.raw instanceof Uint8Array) return [source];
    throw new DecodeError('ERR_DECODE_FORMAT', 'a trust source must be PEM text, DER bytes or a Certificate');
  }
  const certs = parseCertificates(source);
  if (certs.length === 0) throw new DecodeError('ERR_DECODE_FORMAT', 'no certificate found in the trust source');
  return certs;
}

function purposeSet(p: Iterable<CertificatePurpose> | undefined): Set<CertificatePurpose> | undefined {
  return p === undefined ? undefined : new Set(p);
}

/** Union of two purpose sets where undefined means "all". */
function mergePurposes(
  a: ReadonlySet<CertificatePurpose> | undefined,
  b: ReadonlySet<CertificatePurpose> | undefined,
): ReadonlySet<CertificatePurpose> | undefined {
  if (a === undefined || b === undefined) return undefined;
  return new Set([...a, ...b]);
}

function isEntry(x: TrustInput): x is Exclude<TrustInput, TrustSource> {
  return typeof x === 'object' && !(x instanceof Uint8Array) && 'certificate' in x && !('raw' in x);
}

/**
 * Creates a {@link TrustStore} from PEM bundles, DER certificates, parsed certificates, or a list
 * of these, each optionally with the purposes its anchors may serve and a label (RFC 5280 §6.1.1 d:
 * trust anchor information). Certificates with identical DER are collapsed into one anchor (their
 * purposes joined). Lookup by subject uses RFC 5280 §7.1 name matching.
 *
 * @throws DecodeError for input that holds no certificate or does not parse (`ERR_DECODE_*`);
 *   `ERR_DECODE_TOO_LARGE` past `maxAnchors`.
 * @example
 * ```ts
 * const trust = createTrustStore([
 *   { certificate: rootPem, purposes: ['document-signing'], label: 'Минцифры' },
 *   tsaRootDer,
 * ]);
 * trust.findByName(leaf.issuer);
 * ```
 */
export function createTrustStore(
  input: TrustInput | readonly TrustInput[],
  options: TrustStoreOptions = {},
): TrustStore {
  const list: readonly TrustInput[] = Array.isArray(input) ? input : [input as TrustInput];
  const max = options.maxAnchors ?? 10_000;
  const byRaw = new Map<string, TrustAnchor>();
  for (const item of list) {
    const entry = isEntry(item) ? item : { certificate: item };
    const purposes = purposeSet(entry.purposes ?? options.purposes);
    const label = entry.label ?? options.label;
    for (const certificate of parseSource(entry.certificate)) {
      const key = certificateKey(certificate);
      const seen = byRaw.get(key);
      if (seen) {
        byRaw.set(key, { ...seen, purposes: mergePurposes(seen.purposes, purposes) });
        continue;
      }
      if (byRaw.size >= max) throw new DecodeError('ERR_DECODE_TOO_LARGE', `more than ${max} trust anchors`);
      byRaw.set(key, { certificate, purposes, label });
    }
  }
  return storeOf([...byRaw.values()]);
}

function storeOf(anchors: readonly TrustAnchor[]): TrustStore {
  const byName = new Map<string, TrustAnchor[]>();
  for (const a of anchors) {
    const k = nameKey(a.certificate.subject);
    const l = byName.get(k);
    if (l) l.push(a);
    else byName.set(k, [a]);
  }
  return Object.freeze({
    anchors: Object.freeze([...anchors]),
    findByName(issuer: Certificate['issuer']): readonly TrustAnchor[] {
      return (byName.get(nameKey(issuer)) ?? []).filter((a) => a.certificate.subject.equals(issuer));
    },
  });
}
