// Internal: the few fields of a DER certificate (RFC 5280 §4.1) that signing, CMS and time-stamping need, without the full view.
import { decodeDer, TAG } from './asn1';

/** The fields of a DER Certificate that issuing and signing need; views of `cert`. @throws DecodeError. */
export function readCertificate(cert: Uint8Array): {
  tbs: Uint8Array;
  serial: bigint;
  /** The serialNumber INTEGER TLV as written, for IssuerAndSerialNumber. */
  serialTlv: Uint8Array;
  issuer: Uint8Array;
  notAfter: Date;
  subject: Uint8Array;
  spki: Uint8Array;
} {
  const tbsNode = decodeDer(cert, 'Certificate').read().next(TAG.SEQUENCE, 'tbsCertificate');
  const r = tbsNode.read();
  r.optional(0xa0, 'version');
  const serialNode = r.next(TAG.INTEGER, 'serialNumber');
  const serial = serialNode.integer();
  r.next(TAG.SEQUENCE, 'signature');
  const issuer = r.next(TAG.SEQUENCE, 'issuer').bytes;
  const validity = r.next(TAG.SEQUENCE, 'validity').read();
  validity.next(undefined, 'notBefore').time();
  const notAfter = validity.next(undefined, 'notAfter').time();
  const subject = r.next(TAG.SEQUENCE, 'subject').bytes;
  const spki = r.next(TAG.SEQUENCE, 'subjectPublicKeyInfo').bytes;
  return { tbs: tbsNode.bytes, serial, serialTlv: serialNode.bytes, issuer, notAfter, subject, spki };
}
