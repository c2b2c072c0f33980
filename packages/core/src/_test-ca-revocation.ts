// Internal: the revocation side of the test CA of `@eds/core/testing`: CRLs (RFC 5280 §5) and OCSP responses (RFC 6960 §4.2) from what a CA recorded.

import { equalBytes } from './_bytes';
import { EXT, encodeExtension, keyIdentifier, signEnvelope, subjectPublicKeyBits } from './_cert-builder';
import { readCertificate } from './_cert-fields';
import { decodeDer, der, TAG } from './asn1';
import { findDigest, sha1 } from './digests';
import type { DigestAlgorithm, Signer } from './types';

/** CRL reason codes (RFC 5280 §5.3.1). */
export const REVOCATION_REASONS = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
} as const;

/** A CRL reason name. */
export type RevocationReason = keyof typeof REVOCATION_REASONS;

/** A revocation recorded by {@link TestCa.revoke}. */
export interface Revocation {
  readonly serial: bigint;
  readonly time: Date;
  readonly reason?: RevocationReason | undefined;
}

/** Options of {@link TestCa.createCrl}. */
export interface CrlOptions {
  /** Default: now. */
  readonly thisUpdate?: Date;
  /** Default: thisUpdate + 7 days; `null` leaves nextUpdate out. */
  readonly nextUpdate?: Date | null;
  /** cRLNumber (default: one more than the last CRL of this CA, from 1). */
  readonly number?: bigint | number;
  /** Makes a delta CRL against the base CRL with this number: only revocations after that CRL. */
  readonly delta?: bigint | number;
  readonly signal?: AbortSignal;
}

/** A certificate to answer about: by certificate (DER) or serial number, hashed with `hash` (default SHA-1). */
export type CertIdInput =
  | { readonly certificate: Uint8Array; readonly hash?: DigestAlgorithm }
  | { readonly serial: bigint; readonly hash?: DigestAlgorithm };

/** OCSPResponseStatus (RFC 6960 §4.2.1). */
export const OCSP_RESPONSE_STATUS = {
  successful: 0,
  malformedRequest: 1,
  internalError: 2,
  tryLater: 3,
  sigRequired: 5,
  unauthorized: 6,
} as const;

/** Options of {@link TestCa.createOcspResponse}. */
export interface OcspResponseOptions {
  /** The OCSP request (DER) to answer, or the certificates to answer about. */
  readonly request?: Uint8Array | readonly CertIdInput[];
  /** producedAt and thisUpdate, and the time revocations are judged at (default: now). */
  readonly time?: Date;
  /** Default: time + 1 day; `null` leaves nextUpdate out. */
  readonly nextUpdate?: Date | null;
  /** A nonce to put in; by default the request's nonce is echoed; `false` leaves it out. */
  readonly nonce?: Uint8Array | false;
  /** Who signs: the CA itself (default) or a delegated responder it issued (id-kp-OCSPSigning). */
  readonly responder?: 'ca' | { readonly certificate: Uint8Array; readonly signer: Signer };
  /** ResponderID form (default `key`). */
  readonly responderId?: 'key' | 'name';
  /** Puts the responder's certificate into `certs` (default: true for a delegated responder). */
  readonly includeCertificate?: boolean;
  /** Answers this status for every certificate instead of the CA's records. */
  readonly status?: 'good' | 'revoked' | 'unknown';
  /** A non-successful response status: the response then has no responseBytes. */
  readonly responseStatus?: keyof typeof OCSP_RESPONSE_STATUS;
  readonly signal?: AbortSignal;
}

/** What a CA keeps for revocation: its identity, signer and records. */
export interface RevocationAuthority {
  readonly cert: { readonly certificate: Uint8Array; readonly signer: Signer };
  readonly subject: Uint8Array;
  readonly spki: Uint8Array;
  readonly issued: Set<bigint>;
  readonly revoked: Map<bigint, Revocation>;
  /** thisUpdate of each full CRL by number, for delta CRLs. */
  readonly crls: Map<bigint, Date>;
  lastCrl: bigint;
}

const DAY = 24 * 60 * 60_000;

// ---------------------------------------------------------------------------------------------
// CRLs (RFC 5280 §5)

/**
 * ```asn1
 * TBSCertList ::= SEQUENCE {
 *   version Version OPTIONAL (v2), signature AlgorithmIdentifier, issuer Name,
 *   thisUpdate Time, nextUpdate Time OPTIONAL,
 *   revokedCertificates SEQUENCE OF SEQUENCE {
 *     userCertificate CertificateSerialNumber, revocationDate Time, crlEntryExtensions Extensions OPTIONAL } OPTIONAL,
 *   crlExtensions [0] EXPLICIT Extensions OPTIONAL }
 * ```
 */
export async function createCrl(ca: RevocationAuthority, o: CrlOptions): Promise<Uint8Array> {
  const thisUpdate = o.thisUpdate ?? new Date();
  const nextUpdate = o.nextUpdate === undefined ? new Date(thisUpdate.getTime() + 7 * DAY) : o.nextUpdate;
  const number = o.number === undefined ? ca.lastCrl + 1n : BigInt(o.number);
  if (number < 0n) throw new RangeError('CRL number must not be negative');
  const since = o.delta === undefined ? undefined : ca.crls.get(BigInt(o.delta));
  const entries = [...ca.revoked.values()]
    .filter((r) => r.time <= thisUpdate && (since === undefined || r.time > since))
    .map((r) => {
      const code = r.reason === undefined ? undefined : REVOCATION_REASONS[r.reason];
      const ext = code ? [der.seq(encodeExtension(EXT.reasonCode, der.enumerated(code)))] : [];
      return der.seq(der.int(r.serial), der.time(r.time), ...ext);
    });
  const crlExtensions = [
    encodeExtension(EXT.authorityKeyIdentifier, der.seq(der.tlv(0x80, keyIdentifier(ca.spki)))),
    encodeExtension(EXT.cRLNumber, der.int(number)),
  ];
  if (o.delta !== undefined) crlExtensions.push(encodeExtension(EXT.deltaCRLIndicator, der.int(BigInt(o.delta)), true));
  const tbs = der.seq(
    der.int(1),
    ca.cert.signer.algorithm.identifier(),
    ca.subject,
    der.time(thisUpdate),
    ...(nextUpdate ? [der.time(nextUpdate)] : []),
    ...(entries.length ? [der.seq(...entries)] : []),
    der.explicit(0, der.seq(...crlExtensions)),
  );
  const crl = await signEnvelope(ca.cert.signer, tbs, o.signal);
  if (o.delta === undefined) ca.crls.set(number, thisUpdate);
  if (number > ca.lastCrl) ca.lastCrl = number;
  return crl;
}

// ---------------------------------------------------------------------------------------------
// OCSP (RFC 6960)

const OID_OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';
const OID_OCSP_NONCE = '1.3.6.1.5.5.7.48.1.2';

interface CertIdView {
  readonly der: Uint8Array;
  readonly hashOid: string;
  readonly nameHash: Uint8Array;
  readonly keyHash: Uint8Array;
  readonly serial: bigint;
}

/** `CertID ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, issuerNameHash OCTET STRING, issuerKeyHash OCTET STRING, serialNumber CertificateSerialNumber }` */
function readCertId(bytes: Uint8Array): CertIdView {
  const r = decodeDer(bytes, 'CertID').read();
  const hashOid = r.next(TAG.SEQUENCE, 'hashAlgorithm').read().next(TAG.OID, 'algorithm').oid();
  const nameHash = r.next(TAG.OCTET_STRING, 'issuerNameHash').value;
  const keyHash = r.next(TAG.OCTET_STRING, 'issuerKeyHash').value;
  const serial = r.next(TAG.INTEGER, 'serialNumber').integer();
  r.end();
  return { der: bytes, hashOid, nameHash, keyHash, serial };
}

/**
 * The CertIDs and the nonce extension value of an OCSPRequest.
 *
 * ```asn1
 * OCSPRequest ::= SEQUENCE { tbsRequest TBSRequest, optionalSignature [0] EXPLICIT Signature OPTIONAL }
 * TBSRequest ::= SEQUENCE { version [0] EXPLICIT Version DEFAULT v1, requestorName [1] EXPLICIT GeneralName OPTIONAL,
 *   requestList SEQUENCE OF Request, requestExtensions [2] EXPLICIT Extensions OPTIONAL }
 * Request ::= SEQUENCE { reqCert CertID, singleRequestExtensions [0] EXPLICIT Extensions OPTIONAL }
 * ```
 */
function readOcspRequest(bytes: Uint8Array): { certIds: CertIdView[]; nonce?: Uint8Array } {
  const tbs = decodeDer(bytes, 'OCSPRequest').read().next(TAG.SEQUENCE, 'tbsRequest').read();
  tbs.optional(0xa0, 'version');
  tbs.optional(0xa1, 'requestorName');
  const list = tbs.next(TAG.SEQUENCE, 'requestList').children();
  if (list.length > 1000) throw list[0]?.error('more than 1000 requests') ?? new RangeError('too many requests');
  const certIds = list.map((req) => readCertId(req.read().next(TAG.SEQUENCE, 'reqCert').bytes));
  const exts = tbs.optional(0xa2, 'requestExtensions');
  for (const ext of exts ? exts.explicit(2).children() : []) {
    const r = ext.read();
    if (r.next(TAG.OID, 'extnID').oid() !== OID_OCSP_NONCE) continue;
    r.optional(TAG.BOOLEAN, 'critical');
    return { certIds, nonce: r.next(TAG.OCTET_STRING, 'extnValue').value };
  }
  return { certIds };
}

function buildCertId(ca: RevocationAuthority, input: CertIdInput): CertIdView {
  const hash = input.hash ?? sha1;
  const serial = 'serial' in input ? input.serial : readCertificate(input.certificate).serial;
  const algorithm =
    hash.oid === sha1.oid || hash.oid.startsWith('2.16.840.1.101.3.4.2.')
      ? der.seq(der.oid(hash.oid), der.null())
      : der.seq(der.oid(hash.oid));
  const nameHash = hash.digest(ca.subject);
  const keyHash = hash.digest(subjectPublicKeyBits(ca.spki));
  const bytes = der.seq(algorithm, der.octets(nameHash), der.octets(keyHash), der.int(serial));
  return { der: bytes, hashOid: hash.oid, nameHash, keyHash, serial };
}

/** `CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo, unknown [2] IMPLICIT NULL }` */
function certStatus(
  ca: RevocationAuthority,
  id: CertIdView,
  time: Date,
  override?: OcspResponseOptions['status'],
): Uint8Array {
  let mine = false;
  try {
    const hash = findDigest(id.hashOid);
    mine =
      equalBytes(hash.digest(ca.subject), id.nameHash) &&
      equalBytes(hash.digest(subjectPublicKeyBits(ca.spki)), id.keyHash);
  } catch {
    mine = false;
  }
  const revocation = ca.revoked.get(id.serial);
  const status =
    override ??
    (!mine || !ca.issued.has(id.serial) ? 'unknown' : revocation && revocation.time <= time ? 'revoked' : 'good');
  if (status === 'good') return Uint8Array.of(0x80, 0);
  if (status === 'unknown') return Uint8Array.of(0x82, 0);
  const revokedAt = revocation?.time ?? time;
  const reason =
    revocation?.reason === undefined ? [] : [der.explicit(0, der.enumerated(REVOCATION_REASONS[revocation.reason]))];
  return der.tlv(0xa1, generalizedTime(revokedAt), ...reason);
}

function generalizedTime(d: Date): Uint8Array {
  return der.generalizedTime(new Date(Math.floor(d.getTime() / 1000) * 1000));
}

/**
 * ```asn1
 * OCSPResponse ::= SEQUENCE { responseStatus OCSPResponseStatus, responseBytes [0] EXPLICIT ResponseBytes OPTIONAL }
 * ResponseBytes ::= SEQUENCE { responseType OBJECT IDENTIFIER, response OCTET STRING }
 * BasicOCSPResponse ::= SEQUENCE { tbsResponseData ResponseData, signatureAlgorithm AlgorithmIdentifier,
 *   signature BIT STRING, certs [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL }
 * ResponseData ::= SEQUENCE { version [0] EXPLICIT Version DEFAULT v1, responderID ResponderID,
 *   producedAt GeneralizedTime, responses SEQUENCE OF SingleResponse, responseExtensions [1] EXPLICIT Extensions OPTIONAL }
 * ResponderID ::= CHOICE { byName [1] Name, byKey [2] KeyHash }
 * SingleResponse ::= SEQUENCE { certID CertID, certStatus CertStatus, thisUpdate GeneralizedTime,
 *   nextUpdate [0] EXPLICIT GeneralizedTime OPTIONAL, singleExtensions [1] EXPLICIT Extensions OPTIONAL }
 * ```
 */
export async function createOcspResponse(ca: RevocationAuthority, o: OcspResponseOptions): Promise<Uint8Array> {
  const name = o.responseStatus ?? 'successful';
  if (!Object.hasOwn(OCSP_RESPONSE_STATUS, name))
    throw new RangeError(`createOcspResponse: unknown responseStatus ${JSON.stringify(name)}`);
  const status = OCSP_RESPONSE_STATUS[name];
  if (status !== 0) return der.seq(der.enumerated(status));
  const time = o.time ?? new Date();
  const nextUpdate = o.nextUpdate === undefined ? new Date(time.getTime() + DAY) : o.nextUpdate;
  const parsed =
    o.request instanceof Uint8Array
      ? readOcspRequest(o.request)
      : { certIds: (o.request ?? []).map((c) => buildCertId(ca, c)), nonce: undefined };
  if (parsed.certIds.length === 0) throw new RangeError('createOcspResponse: nothing to answer about (give a request)');
  const delegated = o.responder && o.responder !== 'ca' ? o.responder : undefined;
  const signer = delegated ? delegated.signer : ca.cert.signer;
  const responderCert = delegated ? delegated.certificate : ca.cert.certificate;
  const responderSpki = delegated ? readCertificate(delegated.certificate).spki : ca.spki;
  const responderId =
    o.responderId === 'name'
      ? der.explicit(1, delegated ? readCertificate(delegated.certificate).subject : ca.subject)
      : der.explicit(2, der.octets(sha1.digest(subjectPublicKeyBits(responderSpki))));
  const responses = parsed.certIds.map((id) =>
    der.seq(
      id.der,
      certStatus(ca, id, time, o.status),
      generalizedTime(time),
      ...(nextUpdate ? [der.explicit(0, generalizedTime(nextUpdate))] : []),
    ),
  );
  const nonceValue = o.nonce === false ? undefined : o.nonce ? der.octets(o.nonce) : parsed.nonce;
  const extensions = nonceValue ? [der.explicit(1, der.seq(encodeExtension(OID_OCSP_NONCE, nonceValue)))] : [];
  const tbs = der.seq(responderId, generalizedTime(time), der.seq(...responses), ...extensions);
  const certs = (o.includeCertificate ?? delegated !== undefined) ? [der.explicit(0, der.seq(responderCert))] : [];
  const basic = await signEnvelope(signer, tbs, o.signal, certs);
  return der.seq(der.enumerated(0), der.explicit(0, der.seq(der.oid(OID_OCSP_BASIC), der.octets(basic))));
}
