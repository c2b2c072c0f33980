// Certificate revocation list view (RFC 5280 §5) with lazy, streaming access to revoked entries for CRLs of tens of MB.

import { EntryIndex } from './_crl-index';
import { bytesEqual, formatDate, type Lang, labelsFor, readSerial, renderLines, serialBytes } from './_describe';
import { extensionsJson, optionalTime, readSigned } from './_signed';
import { contextTag, type Der, decodeDer, der, TAG } from './asn1';
import { toDer } from './encoding';
import { DecodeError } from './errors';
import {
  type AuthorityKeyIdentifier,
  decodeAuthorityKeyIdentifier,
  decodeCrlNumber,
  decodeGeneralNames,
  decodeInvalidityDate,
  decodeIssuingDistributionPoint,
  decodeReasonCode,
  type Extension,
  findExtension,
  type GeneralName,
  type IssuingDistributionPoint,
  parseExtensions,
} from './extensions';
import { type Name, parseName } from './name';
import {
  OID_EXT_AUTHORITY_KEY_IDENTIFIER,
  OID_EXT_CERTIFICATE_ISSUER,
  OID_EXT_CRL_NUMBER,
  OID_EXT_CRL_REASON,
  OID_EXT_DELTA_CRL_INDICATOR,
  OID_EXT_INVALIDITY_DATE,
  OID_EXT_ISSUING_DISTRIBUTION_POINT,
  oidName,
} from './oids';
import type { AlgorithmIdentifier } from './types';

/** Options of {@link parseCrl}. */
export interface CrlOptions {
  /** Largest accepted input in bytes (default 256 MiB). */
  maxSize?: number;
}

/** One revoked certificate. `extensions` is the raw entry extension list. */
export interface RevokedEntry {
  readonly serialNumber: bigint;
  readonly revocationDate: Date;
  readonly reasonCode?: string | undefined;
  readonly invalidityDate?: Date | undefined;
  readonly certificateIssuer?: readonly GeneralName[] | undefined;
  readonly extensions: readonly Extension[];
}

/**
 * Lookups in the revoked entries of one CRL through a hash index ({@link Crl.entryIndex}),
 * with what the entry extensions carry, gathered in the same pass (RFC 5280 §5.3).
 */
export interface CrlEntryIndex {
  /** The number of revoked entries. */
  readonly count: number;
  /** Every entry extension OID met, mapped to true when at least one occurrence is critical. */
  readonly entryExtensions: ReadonlyMap<string, boolean>;
  /**
   * Positions (0-based, in CRL order) of the entries for `serial`, compared by value like
   * {@link Crl.findEntry}; several in an indirect CRL that lists one serial for several issuers.
   */
  positions(serial: bigint): number[];
  /**
   * The entry at `position`, decoded.
   *
   * @throws DecodeError for a malformed entry (a bad date, reason code or extension value);
   *   RangeError for a position out of range.
   */
  entryAt(position: number): RevokedEntry;
  /**
   * The certificateIssuer in force at `position` (RFC 5280 §5.3.3): that of the entry, or of the
   * nearest earlier entry carrying one; undefined when no entry up to `position` carries one (the
   * CRL issuer then). Meaningful in indirect CRLs only.
   *
   * @throws DecodeError for a malformed certificateIssuer.
   */
  certificateIssuerAt(position: number): readonly GeneralName[] | undefined;
}

const DEFAULT_MAX_CRL = 256 * 1024 * 1024;

/**
 * A read-only view of a CRL (RFC 5280 §5.1). The header is checked on parse; revoked entries
 * are read one at a time by {@link Crl.entries}, never all kept; lookups go through a hash index of
 * typed arrays built on first use ({@link Crl.entryIndex}).
 *
 * ```asn1
 * CertificateList ::= SEQUENCE { tbsCertList TBSCertList, signatureAlgorithm AlgorithmIdentifier, signatureValue BIT STRING }
 * TBSCertList ::= SEQUENCE { version Version OPTIONAL -- if present, MUST be v2, signature AlgorithmIdentifier,
 *   issuer Name, thisUpdate Time, nextUpdate Time OPTIONAL,
 *   revokedCertificates SEQUENCE OF SEQUENCE { userCertificate CertificateSerialNumber, revocationDate Time,
 *     crlEntryExtensions Extensions OPTIONAL -- if present, version MUST be v2 } OPTIONAL,
 *   crlExtensions [0] EXPLICIT Extensions OPTIONAL -- if present, version MUST be v2 }
 * ```
 */
export class Crl {
  readonly raw: Uint8Array;
  /** DER of TBSCertList: the signed bytes. */
  readonly tbs: Uint8Array;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly signature: Uint8Array;
  /** 1 or 2. */
  readonly version: number;
  readonly issuer: Name;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
  readonly extensions: readonly Extension[];
  private readonly revoked: Der | undefined;
  private count: number | undefined;
  /** The entry index once built, or the DecodeError that stopped it (then lookups scan). */
  private index: EntryIndex | DecodeError | undefined;

  /** @internal use {@link parseCrl}. */
  constructor(root: Der) {
    const env = readSigned(root, 'tbsCertList', '§5.1.1.2');
    this.raw = env.raw;
    this.tbs = env.tbs;
    this.signatureAlgorithm = env.signatureAlgorithm;
    this.signature = env.signature;
    const t = env.body;
    const v = t.optional(TAG.INTEGER, 'version');
    if (v && v.smallInt() !== 1) throw v.error('CRL version, if present, must be v2 (RFC 5280 §5.1.2.1)');
    this.version = v ? 2 : 1;
    env.readInnerAlgorithm();
    this.issuer = parseName(t.next(TAG.SEQUENCE, 'issuer'));
    this.thisUpdate = t.next(undefined, 'thisUpdate').time();
    this.nextUpdate = optionalTime(t, 'nextUpdate');
    this.revoked = t.optional(TAG.SEQUENCE, 'revokedCertificates');
    const ext = t.optional(contextTag(0, true), 'crlExtensions');
    t.end();
    if (ext && this.version !== 2) throw ext.error('crlExtensions in a v1 CRL');
    this.extensions = ext ? parseExtensions(ext.explicit(0)) : [];
    if (this.revoked && this.revoked.value.length === 0) throw this.revoked.error('empty revokedCertificates');
  }

  private ext<T>(oid: string, decode: (e: Extension) => T): T | undefined {
    const e = findExtension(this.extensions, oid);
    return e ? decode(e) : undefined;
  }

  get crlNumber(): bigint | undefined {
    return this.ext(OID_EXT_CRL_NUMBER, decodeCrlNumber);
  }
  /** The BaseCRLNumber of a delta CRL. */
  get deltaCrlIndicator(): bigint | undefined {
    return this.ext(OID_EXT_DELTA_CRL_INDICATOR, decodeCrlNumber);
  }
  get authorityKeyIdentifier(): AuthorityKeyIdentifier | undefined {
    return this.ext(OID_EXT_AUTHORITY_KEY_IDENTIFIER, decodeAuthorityKeyIdentifier);
  }
  get issuingDistributionPoint(): IssuingDistributionPoint | undefined {
    return this.ext(OID_EXT_ISSUING_DISTRIBUTION_POINT, decodeIssuingDistributionPoint);
  }

  /** The raw entry nodes, checked for the outer shape only. */
  private *nodes(): Generator<Der> {
    if (this.revoked) yield* this.revoked.iterate();
  }

  /**
   * Iterates the revoked entries in order, decoding each as it goes (RFC 5280 §5.1.2.6, §5.3).
   *
   * @throws DecodeError for a malformed entry, entry extensions in a v1 CRL, or a duplicate
   *   entry extension.
   * @example
   * ```ts
   * for (const e of crl.entries()) console.log(e.serialNumber, e.reasonCode);
   * ```
   */
  *entries(): Generator<RevokedEntry> {
    for (const node of this.nodes()) yield this.readEntry(node);
  }

  private readEntry(node: Der): RevokedEntry {
    const r = node.read();
    const serialNumber = readSerial(r.next(TAG.INTEGER, 'userCertificate')).value;
    const revocationDate = r.next(undefined, 'revocationDate').time();
    const extNode = r.optional(TAG.SEQUENCE, 'crlEntryExtensions');
    r.end();
    if (extNode && this.version !== 2) throw extNode.error('crlEntryExtensions in a v1 CRL');
    const extensions = extNode ? parseExtensions(extNode) : [];
    const get = <T>(oid: string, f: (e: Extension) => T) => {
      const e = findExtension(extensions, oid);
      return e ? f(e) : undefined;
    };
    return {
      serialNumber,
      revocationDate,
      reasonCode: get(OID_EXT_CRL_REASON, decodeReasonCode),
      invalidityDate: get(OID_EXT_INVALIDITY_DATE, decodeInvalidityDate),
      certificateIssuer: get(OID_EXT_CERTIFICATE_ISSUER, decodeGeneralNames),
      extensions,
    };
  }

  /**
   * The first entry for `serial`, or undefined. Serials are compared by value, so an entry whose
   * INTEGER is padded (`00 00 01`, accepted leniently as in certificates) is found for `1n`.
   * Indirect CRLs: the certificateIssuer of the entry is in the result; matching the issuer is the
   * caller's. The first lookup builds a hash index of the entries ({@link entryIndex}); when some
   * entry is malformed, lookups scan the entries in order instead and fail only on a malformed
   * entry met before the match.
   *
   * @throws DecodeError for a malformed entry met on the way, or a serial over 128 bytes.
   * @example
   * ```ts
   * crl.findEntry(cert.serialNumber)?.reasonCode;
   * ```
   */
  findEntry(serial: bigint): RevokedEntry | undefined {
    const index = this.builtIndex();
    if (index) {
      const first = index.positions(serial)[0];
      return first === undefined ? undefined : index.entryAt(first);
    }
    // Minimal two's-complement bytes on both sides: equal bytes exactly when equal values.
    const want = decodeDer(der.int(serial), 'serial').value;
    for (const node of this.nodes()) {
      const first = node.read().next(TAG.INTEGER, 'userCertificate');
      if (bytesEqual(serialBytes(first), want)) return this.readEntry(node);
    }
    return undefined;
  }

  /**
   * The hash index of the revoked entries (RFC 5280 §5.1.2.6), built once on first use in one
   * pass over the encoding: typed arrays only (8 bytes per entry and 4 per hash slot, at least
   * twice as many slots as entries; entries repeating a serial are chained), no object per entry. The pass checks the shape of every
   * entry (serial INTEGER of 1 to 128 bytes, a UTCTime or GeneralizedTime, crlEntryExtensions
   * only in v2, each a well-formed Extension, no duplicates, none empty); values are decoded
   * when an entry is read.
   *
   * @throws DecodeError `ERR_DECODE_DER` for the first malformed entry (offset and path), or for
   *   serials that collide in the (randomly seeded) hash far beyond chance; lookups by
   *   {@link findEntry} then scan the entries instead.
   * @example
   * ```ts
   * const index = crl.entryIndex();
   * if (index.entryExtensions.get('2.5.29.29')) console.log('critical certificateIssuer');
   * for (const p of index.positions(cert.serialNumber)) console.log(index.entryAt(p).reasonCode);
   * ```
   */
  entryIndex(): CrlEntryIndex {
    const index = this.builtIndex();
    if (index) return index;
    throw this.index as DecodeError;
  }

  private builtIndex(): EntryIndex | undefined {
    if (this.index === undefined) {
      try {
        this.index = this.revoked
          ? new EntryIndex(this.revoked, this.version, (node) => this.readEntry(node))
          : EntryIndex.empty(this.version);
        this.count = this.index.count;
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
        this.index = e;
      }
    }
    return this.index instanceof EntryIndex ? this.index : undefined;
  }

  /**
   * True when `serial` is listed with any reason but removeFromCRL (RFC 5280 §5.3.1): a
   * certificateHold entry counts as revoked, and a removeFromCRL entry (which only appears in
   * delta CRLs, to lift a hold) does not. This is a lookup by serial only: it does not interpret
   * `certificateIssuer` (indirect CRLs, RFC 5280 §5.3.3), so in an indirect CRL the entry may
   * belong to another issuer; a verifier that handles indirect or delta CRLs should use
   * {@link findEntry} or {@link entries} and decide from the entry.
   *
   * @throws DecodeError as {@link findEntry}.
   * @example
   * ```ts
   * if (crl.isRevoked(cert.serialNumber)) reject();
   * ```
   */
  isRevoked(serial: bigint): boolean {
    const entry = this.findEntry(serial);
    return entry !== undefined && entry.reasonCode !== 'removeFromCRL';
  }

  /** The number of revoked entries, counted once without decoding them. */
  get revokedCount(): number {
    if (this.count === undefined) {
      let n = 0;
      for (const _ of this.nodes()) n++;
      this.count = n;
    }
    return this.count;
  }

  /**
   * A readable description (issuer, dates, CRL number, entry count) in English or Russian.
   *
   * @example
   * ```ts
   * console.log(crl.describe('ru'));
   * ```
   */
  describe(lang: Lang = 'en'): string {
    const L = labelsFor(lang);
    const delta = this.deltaCrlIndicator;
    return renderLines([
      [L.revocationList, `v${this.version}`],
      [L.issuer, this.issuer.toString()],
      [L.thisUpdate, formatDate(this.thisUpdate, lang)],
      [L.nextUpdate, this.nextUpdate ? formatDate(this.nextUpdate, lang) : L.none],
      [L.crlNumber, this.crlNumber?.toString()],
      [L.deltaOf, delta?.toString()],
      [L.signatureAlgorithm, oidName(this.signatureAlgorithm.oid, lang)],
      [L.revoked, String(this.revokedCount)],
    ]);
  }

  /** JSON form; at most `limit` entries (default 1000) with the total count. */
  toJSON(limit = 1000): Record<string, unknown> {
    const entries: Record<string, unknown>[] = [];
    for (const e of this.entries()) {
      if (entries.length >= limit) break;
      entries.push({
        serialNumber: e.serialNumber.toString(16),
        revocationDate: e.revocationDate.toISOString(),
        reasonCode: e.reasonCode,
        invalidityDate: e.invalidityDate?.toISOString(),
      });
    }
    return {
      version: this.version,
      issuer: this.issuer.toString(),
      thisUpdate: this.thisUpdate.toISOString(),
      nextUpdate: this.nextUpdate?.toISOString(),
      signatureAlgorithm: this.signatureAlgorithm.oid,
      crlNumber: this.crlNumber?.toString(),
      deltaCrlIndicator: this.deltaCrlIndicator?.toString(),
      extensions: extensionsJson(this.extensions),
      revokedCount: this.revokedCount,
      entries,
      entriesTruncated: this.revokedCount > entries.length,
    };
  }
}

/**
 * Parses a CRL from DER, PEM (`X509 CRL` block) or Base64 (RFC 5280 §5).
 *
 * @throws DecodeError `ERR_DECODE_DER` for malformed DER (offset and path), a bad version,
 *   differing signature algorithms, extensions in a v1 CRL; `ERR_DECODE_TOO_LARGE` past `maxSize`.
 * @example
 * ```ts
 * const crl = parseCrl(bytes);
 * crl.isRevoked(cert.serialNumber);
 * ```
 */
export function parseCrl(input: Uint8Array | string, options: CrlOptions = {}): Crl {
  const maxSize = options.maxSize ?? DEFAULT_MAX_CRL;
  const der = toDer(input, { labels: ['X509 CRL', 'CRL'], maxBytes: Math.ceil(maxSize * 1.4) + 1024 });
  if (der.length > maxSize)
    throw new DecodeError('ERR_DECODE_TOO_LARGE', `CRL of ${der.length} bytes exceeds ${maxSize}`);
  return new Crl(decodeDer(der, 'CertificateList', { maxSize }));
}
