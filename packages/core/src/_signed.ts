// Internal: the signed envelope of certificates and CRLs (RFC 5280 §4.1.1, §5.1.1), optional Time fields, and extension lists as JSON.
import { bytesEqual, hex, readAlgorithm } from './_describe';
import type { Extension } from './_extension-list';
import { type Der, type DerReader, TAG } from './asn1';
import { oidName } from './oids';
import type { AlgorithmIdentifier } from './types';

/** The fields around a signed body, and a reader positioned at the body's first field. */
export interface SignedEnvelope {
  /** DER of the whole structure. */
  readonly raw: Uint8Array;
  /** DER of the signed body. */
  readonly tbs: Uint8Array;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  /** The signatureValue BIT STRING bytes. */
  readonly signature: Uint8Array;
  /** A reader over the fields of the signed body. */
  readonly body: DerReader;
  /**
   * Reads the body's own `signature` AlgorithmIdentifier and checks that it is byte-for-byte the
   * outer signatureAlgorithm (RFC 5280 §4.1.1.2, §5.1.1.2).
   */
  readonly readInnerAlgorithm: () => void;
}

/**
 * Reads `SEQUENCE { tbs SEQUENCE, signatureAlgorithm AlgorithmIdentifier, signatureValue BIT STRING }`
 * (Certificate, RFC 5280 §4.1.1; CertificateList, §5.1.1).
 *
 * @throws DecodeError for malformed DER, and from `readInnerAlgorithm` when the two algorithms differ.
 */
export function readSigned(root: Der, tbsName: string, section: string): SignedEnvelope {
  const r = root.read();
  const tbs = r.next(TAG.SEQUENCE, tbsName);
  const outer = r.next(TAG.SEQUENCE, 'signatureAlgorithm');
  const signature = r.next(TAG.BIT_STRING, 'signatureValue').bitBytes();
  r.end();
  const signatureAlgorithm = readAlgorithm(outer);
  const body = tbs.read();
  const readInnerAlgorithm = () => {
    const inner = body.next(TAG.SEQUENCE, 'signature');
    if (!bytesEqual(inner.bytes, outer.bytes)) {
      throw outer.error(`signatureAlgorithm differs from ${tbsName}.signature (RFC 5280 ${section})`);
    }
  };
  return { raw: root.bytes, tbs: tbs.bytes, signatureAlgorithm, signature, body, readInnerAlgorithm };
}

/** An optional `Time ::= CHOICE { utcTime UTCTime, generalTime GeneralizedTime }` field (RFC 5280 §4.1.2.5). */
export function optionalTime(r: DerReader, name: string): Date | undefined {
  return (r.optional(TAG.UTC_TIME, name) ?? r.optional(TAG.GENERALIZED_TIME, name))?.time();
}

/** An extension list for JSON output: OID, its name, criticality, and the value as hex. */
export function extensionsJson(list: readonly Extension[]): Record<string, unknown>[] {
  return list.map((e) => ({ oid: e.oid, name: oidName(e.oid), critical: e.critical, value: hex(e.value) }));
}
