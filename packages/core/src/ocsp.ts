// OCSP response and request views (RFC 6960 §4.1, §4.2): parsing only; checking signatures and status is the verifier's job.

import { formatDate, hex, type Lang, labelsFor, readAlgorithm, readSerial, renderLines } from './_describe';
import { type GeneralName, readGeneralName } from './_general-name';
import { readReason } from './_revocation-extensions';
import { extensionsJson } from './_signed';
import { contextTag, type Der, decodeDer, TAG } from './asn1';
import { toDer } from './encoding';
import { decodeOcspNonce, type Extension, findExtension, parseExtensions } from './extensions';
import { type Name, parseName } from './name';
import { OID_OCSP_BASIC, OID_OCSP_NONCE, oidName } from './oids';
import type { AlgorithmIdentifier } from './types';
import { Certificate } from './x509';

/** OCSPResponseStatus names by code (RFC 6960 §4.2.1); 4 is not used. */
export const OCSP_RESPONSE_STATUSES: Readonly<Record<number, OcspResponseStatus>> = {
  0: 'successful',
  1: 'malformedRequest',
  2: 'internalError',
  3: 'tryLater',
  5: 'sigRequired',
  6: 'unauthorized',
};

export type OcspResponseStatus =
  | 'successful'
  | 'malformedRequest'
  | 'internalError'
  | 'tryLater'
  | 'sigRequired'
  | 'unauthorized';

/** CertID ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, issuerNameHash OCTET STRING, issuerKeyHash OCTET STRING, serialNumber CertificateSerialNumber } */
export interface CertId {
  readonly hashAlgorithm: AlgorithmIdentifier;
  readonly issuerNameHash: Uint8Array;
  readonly issuerKeyHash: Uint8Array;
  /** The serial; a non-minimal INTEGER encoding is accepted (compare `serialBytes` for exact matching). */
  readonly serialNumber: bigint;
  /** The INTEGER contents as encoded. */
  readonly serialBytes: Uint8Array;
  /** DER of the CertID, for byte comparison with a request. */
  readonly raw: Uint8Array;
}

/** CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo, unknown [2] IMPLICIT UnknownInfo } */
export type CertStatus =
  | { readonly status: 'good' }
  | { readonly status: 'revoked'; readonly time: Date; readonly reason?: string | undefined }
  | { readonly status: 'unknown' };

/** One SingleResponse. */
export interface SingleResponse {
  readonly certId: CertId;
  readonly certStatus: CertStatus;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date | undefined;
  readonly singleExtensions: readonly Extension[];
}

/** ResponderID ::= CHOICE { byName [1] Name, byKey [2] KeyHash } */
export type ResponderId =
  | { readonly type: 'byName'; readonly name: Name }
  | { readonly type: 'byKey'; readonly keyHash: Uint8Array };

/** The decoded BasicOCSPResponse. */
export interface BasicOcspResponse {
  /** DER of the BasicOCSPResponse (what CAdES revocation-values and ocspRepHash use). */
  readonly raw: Uint8Array;
  /** DER of ResponseData: the signed bytes. */
  readonly tbsResponseData: Uint8Array;
  readonly version: number;
  readonly responderId: ResponderId;
  readonly producedAt: Date;
  readonly responses: readonly SingleResponse[];
  readonly responseExtensions: readonly Extension[];
  /** The nonce extension's value (RFC 8954), when present. */
  readonly nonce?: Uint8Array | undefined;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly signature: Uint8Array;
  readonly certs: readonly Certificate[];
}

/** A parsed OCSPResponse; `basic` is present exactly when the status is `successful`. */
export interface OcspResponse {
  readonly raw: Uint8Array;
  readonly responseStatus: OcspResponseStatus;
  readonly responseType?: string | undefined;
  readonly basic?: BasicOcspResponse | undefined;
  describe(lang?: Lang): string;
  toJSON(): Record<string, unknown>;
}

const DEFAULT_MAX_OCSP = 16 * 1024 * 1024;
const MAX_RESPONSES = 10_000;

/** Reads a CertID. */
export function readCertId(node: Der): CertId {
  const r = node.read();
  const hashAlgorithm = readAlgorithm(r.next(TAG.SEQUENCE, 'hashAlgorithm'));
  const issuerNameHash = r.next(TAG.OCTET_STRING, 'issuerNameHash').value;
  const issuerKeyHash = r.next(TAG.OCTET_STRING, 'issuerKeyHash').value;
  const serialNode = r.next(TAG.INTEGER, 'serialNumber');
  r.end();
  const serialNumber = readSerial(serialNode).value;
  return { hashAlgorithm, issuerNameHash, issuerKeyHash, serialNumber, serialBytes: serialNode.value, raw: node.bytes };
}

function readCertStatus(node: Der): CertStatus {
  if (node.tag === contextTag(0, false)) {
    if (node.value.length) throw node.error('good [0] NULL with contents');
    return { status: 'good' };
  }
  if (node.tag === contextTag(2, false)) {
    if (node.value.length) throw node.error('unknown [2] NULL with contents');
    return { status: 'unknown' };
  }
  const r = node.read(contextTag(1, true));
  const time = r.next(TAG.GENERALIZED_TIME, 'revocationTime').time();
  const reasonNode = r.optional(contextTag(0, true), 'revocationReason');
  r.end();
  return { status: 'revoked', time, reason: reasonNode ? readReason(reasonNode.explicit(0)) : undefined };
}

/**
 * SingleResponse ::= SEQUENCE { certID CertID, certStatus CertStatus, thisUpdate GeneralizedTime,
 *   nextUpdate [0] EXPLICIT GeneralizedTime OPTIONAL, singleExtensions [1] EXPLICIT Extensions OPTIONAL }
 */
function readSingle(node: Der): SingleResponse {
  const r = node.read();
  const certId = readCertId(r.next(TAG.SEQUENCE, 'certID'));
  const certStatus = readCertStatus(r.next(undefined, 'certStatus'));
  const thisUpdate = r.next(TAG.GENERALIZED_TIME, 'thisUpdate').time();
  const next = r.optional(contextTag(0, true), 'nextUpdate');
  const ext = r.optional(contextTag(1, true), 'singleExtensions');
  r.end();
  return {
    certId,
    certStatus,
    thisUpdate,
    nextUpdate: next ? next.explicit(0).expect(TAG.GENERALIZED_TIME).time() : undefined,
    singleExtensions: ext ? parseExtensions(ext.explicit(1)) : [],
  };
}

function readResponderId(node: Der): ResponderId {
  if (node.tag === contextTag(1, true)) return { type: 'byName', name: parseName(node.explicit(1)) };
  if (node.tag === contextTag(2, true)) return { type: 'byKey', keyHash: node.explicit(2).octets() };
  throw node.error('expected ResponderID byName [1] or byKey [2]');
}

/** An explicitly encoded `version [0] EXPLICIT Version DEFAULT v1`; v1 written out is accepted, as peers do. */
function readVersion(node: Der | undefined): number {
  if (!node) return 1;
  const v = node.explicit(0).smallInt();
  if (v !== 0) throw node.error(`unknown OCSP version ${v + 1}`);
  return 1;
}

/**
 * BasicOCSPResponse ::= SEQUENCE { tbsResponseData ResponseData, signatureAlgorithm AlgorithmIdentifier,
 *   signature BIT STRING, certs [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL }
 * ResponseData ::= SEQUENCE { version [0] EXPLICIT Version DEFAULT v1, responderID ResponderID,
 *   producedAt GeneralizedTime, responses SEQUENCE OF SingleResponse, responseExtensions [1] EXPLICIT Extensions OPTIONAL }
 */
function readBasic(node: Der): BasicOcspResponse {
  const r = node.read();
  const tbs = r.next(TAG.SEQUENCE, 'tbsResponseData');
  const signatureAlgorithm = readAlgorithm(r.next(TAG.SEQUENCE, 'signatureAlgorithm'));
  const signature = r.next(TAG.BIT_STRING, 'signature').bitBytes();
  const certsNode = r.optional(contextTag(0, true), 'certs');
  r.end();
  const t = tbs.read();
  const version = readVersion(t.optional(contextTag(0, true), 'version'));
  const responderId = readResponderId(t.next(undefined, 'responderID'));
  const producedAt = t.next(TAG.GENERALIZED_TIME, 'producedAt').time();
  const list = t.next(TAG.SEQUENCE, 'responses');
  const ext = t.optional(contextTag(1, true), 'responseExtensions');
  t.end();
  const responses: SingleResponse[] = [];
  for (const item of list.iterate()) {
    if (responses.length >= MAX_RESPONSES) throw item.error(`more than ${MAX_RESPONSES} responses`);
    responses.push(readSingle(item));
  }
  const responseExtensions = ext ? parseExtensions(ext.explicit(1)) : [];
  const nonceExt = findExtension(responseExtensions, OID_OCSP_NONCE);
  const certs = certsNode
    ? certsNode
        .explicit(0)
        .expect(TAG.SEQUENCE)
        .children()
        .map((c) => new Certificate(c))
    : [];
  return {
    raw: node.bytes,
    tbsResponseData: tbs.bytes,
    version,
    responderId,
    producedAt,
    responses,
    responseExtensions,
    nonce: nonceExt ? decodeOcspNonce(nonceExt) : undefined,
    signatureAlgorithm,
    signature,
    certs,
  };
}

/**
 * Parses an OCSPResponse (RFC 6960 §4.2.1) from DER, PEM (`OCSP RESPONSE`) or Base64. Only
 * id-pkix-ocsp-basic responses are read; `basic` is present only for `successful`.
 *
 * ```asn1
 * OCSPResponse ::= SEQUENCE { responseStatus OCSPResponseStatus, responseBytes [0] EXPLICIT ResponseBytes OPTIONAL }
 * OCSPResponseStatus ::= ENUMERATED { successful (0), malformedRequest (1), internalError (2), tryLater (3),
 *   sigRequired (5), unauthorized (6) }
 * ResponseBytes ::= SEQUENCE { responseType OBJECT IDENTIFIER, response OCTET STRING }
 * ```
 *
 * @throws DecodeError `ERR_DECODE_DER` for malformed DER, an unknown status, a successful status
 *   without responseBytes, responseBytes with another status, or a response type other than
 *   id-pkix-ocsp-basic; `ERR_DECODE_TOO_LARGE` past `maxSize` (default 16 MiB).
 * @example
 * ```ts
 * const res = parseOcspResponse(body);
 * res.basic?.responses[0]?.certStatus.status; // 'good'
 * ```
 */
export function parseOcspResponse(input: Uint8Array | string, options: { maxSize?: number } = {}): OcspResponse {
  const maxSize = options.maxSize ?? DEFAULT_MAX_OCSP;
  const der = toDer(input, { labels: ['OCSP RESPONSE'], maxBytes: maxSize * 2 });
  const root = decodeDer(der, 'OCSPResponse', { maxSize });
  const r = root.read();
  const statusNode = r.next(TAG.ENUMERATED, 'responseStatus');
  const responseStatus = OCSP_RESPONSE_STATUSES[statusNode.smallInt(TAG.ENUMERATED)];
  if (!responseStatus) throw statusNode.error('unknown OCSPResponseStatus');
  const bytesNode = r.optional(contextTag(0, true), 'responseBytes');
  r.end();
  if ((responseStatus === 'successful') !== (bytesNode !== undefined)) {
    throw root.error(`responseBytes ${bytesNode ? 'present' : 'missing'} with status ${responseStatus}`);
  }
  let responseType: string | undefined;
  let basic: BasicOcspResponse | undefined;
  if (bytesNode) {
    const b = bytesNode.explicit(0).read();
    responseType = b.next(TAG.OID, 'responseType').oid();
    const response = b.next(TAG.OCTET_STRING, 'response');
    b.end();
    if (responseType !== OID_OCSP_BASIC) throw response.error(`unsupported OCSP response type ${responseType}`);
    basic = readBasic(response.inner('BasicOCSPResponse'));
  }
  return makeResponse(root.bytes, responseStatus, responseType, basic);
}

function makeResponse(
  raw: Uint8Array,
  responseStatus: OcspResponseStatus,
  responseType: string | undefined,
  basic: BasicOcspResponse | undefined,
): OcspResponse {
  return {
    raw,
    responseStatus,
    responseType,
    basic,
    describe: (lang: Lang = 'en') => describeResponse(responseStatus, basic, lang),
    toJSON: () => responseJson(responseStatus, basic),
  };
}

function statusText(s: CertStatus, lang: Lang): string {
  if (s.status !== 'revoked') return s.status;
  return `revoked ${formatDate(s.time, lang)}${s.reason ? ` (${labelsFor(lang).reason} ${s.reason})` : ''}`;
}

function describeResponse(status: OcspResponseStatus, basic: BasicOcspResponse | undefined, lang: Lang): string {
  const L = labelsFor(lang);
  const rows: [string, string | undefined][] = [[L.ocspResponse, status]];
  if (basic) {
    const id = basic.responderId;
    rows.push(
      [L.responder, id.type === 'byName' ? id.name.toString() : `keyHash ${hex(id.keyHash)}`],
      [L.producedAt, formatDate(basic.producedAt, lang)],
      [L.signatureAlgorithm, oidName(basic.signatureAlgorithm.oid, lang)],
      [L.nonce, basic.nonce ? hex(basic.nonce) : undefined],
    );
    for (const s of basic.responses) {
      rows.push(
        [`${L.serial} ${s.certId.serialNumber.toString(16)}`, statusText(s.certStatus, lang)],
        [`  ${L.thisUpdate}`, formatDate(s.thisUpdate, lang)],
        [`  ${L.nextUpdate}`, s.nextUpdate ? formatDate(s.nextUpdate, lang) : undefined],
      );
    }
  }
  return renderLines(rows);
}

function responseJson(status: OcspResponseStatus, basic: BasicOcspResponse | undefined): Record<string, unknown> {
  if (!basic) return { responseStatus: status };
  const id = basic.responderId;
  return {
    responseStatus: status,
    responderId: id.type === 'byName' ? { byName: id.name.toString() } : { byKey: hex(id.keyHash) },
    producedAt: basic.producedAt.toISOString(),
    nonce: basic.nonce ? hex(basic.nonce) : undefined,
    signatureAlgorithm: basic.signatureAlgorithm.oid,
    responses: basic.responses.map((s) => ({
      hashAlgorithm: s.certId.hashAlgorithm.oid,
      issuerNameHash: hex(s.certId.issuerNameHash),
      issuerKeyHash: hex(s.certId.issuerKeyHash),
      serialNumber: s.certId.serialNumber.toString(16),
      certStatus:
        s.certStatus.status === 'revoked' ? { ...s.certStatus, time: s.certStatus.time.toISOString() } : s.certStatus,
      thisUpdate: s.thisUpdate.toISOString(),
      nextUpdate: s.nextUpdate?.toISOString(),
      singleExtensions: extensionsJson(s.singleExtensions),
    })),
    responseExtensions: extensionsJson(basic.responseExtensions),
    certs: basic.certs.map((c) => c.subject.toString()),
  };
}

/** One Request of an OCSPRequest. */
export interface OcspSingleRequest {
  readonly certId: CertId;
  readonly singleRequestExtensions: readonly Extension[];
}

/** A parsed OCSPRequest (minimal view). */
export interface OcspRequest {
  readonly raw: Uint8Array;
  /** DER of TBSRequest. */
  readonly tbsRequest: Uint8Array;
  readonly requestorName?: GeneralName | undefined;
  readonly requests: readonly OcspSingleRequest[];
  readonly requestExtensions: readonly Extension[];
  readonly nonce?: Uint8Array | undefined;
  /** True when optionalSignature is present (its contents are not decoded). */
  readonly signed: boolean;
}

/**
 * Parses an OCSPRequest (RFC 6960 §4.1.1) from DER, PEM (`OCSP REQUEST`) or Base64: the CertIDs
 * and the nonce.
 *
 * ```asn1
 * OCSPRequest ::= SEQUENCE { tbsRequest TBSRequest, optionalSignature [0] EXPLICIT Signature OPTIONAL }
 * TBSRequest ::= SEQUENCE { version [0] EXPLICIT Version DEFAULT v1, requestorName [1] EXPLICIT GeneralName OPTIONAL,
 *   requestList SEQUENCE OF Request, requestExtensions [2] EXPLICIT Extensions OPTIONAL }
 * Request ::= SEQUENCE { reqCert CertID, singleRequestExtensions [0] EXPLICIT Extensions OPTIONAL }
 * ```
 *
 * @throws DecodeError for malformed DER or an empty request list.
 * @example
 * ```ts
 * parseOcspRequest(body).requests[0]?.certId.serialNumber;
 * ```
 */
export function parseOcspRequest(input: Uint8Array | string, options: { maxSize?: number } = {}): OcspRequest {
  const maxSize = options.maxSize ?? 1024 * 1024;
  const root = decodeDer(toDer(input, { labels: ['OCSP REQUEST'], maxBytes: maxSize * 2 }), 'OCSPRequest', { maxSize });
  const r = root.read();
  const tbs = r.next(TAG.SEQUENCE, 'tbsRequest');
  const sig = r.optional(contextTag(0, true), 'optionalSignature');
  r.end();
  const t = tbs.read();
  readVersion(t.optional(contextTag(0, true), 'version'));
  const requestor = t.optional(contextTag(1, true), 'requestorName');
  const list = t.next(TAG.SEQUENCE, 'requestList');
  const ext = t.optional(contextTag(2, true), 'requestExtensions');
  t.end();
  const requests: OcspSingleRequest[] = [];
  for (const item of list.iterate()) {
    if (requests.length >= MAX_RESPONSES) throw item.error(`more than ${MAX_RESPONSES} requests`);
    const q = item.read();
    const certId = readCertId(q.next(TAG.SEQUENCE, 'reqCert'));
    const e = q.optional(contextTag(0, true), 'singleRequestExtensions');
    q.end();
    requests.push({ certId, singleRequestExtensions: e ? parseExtensions(e.explicit(0)) : [] });
  }
  if (requests.length === 0) throw list.error('empty requestList');
  const requestExtensions = ext ? parseExtensions(ext.explicit(2)) : [];
  const nonceExt = findExtension(requestExtensions, OID_OCSP_NONCE);
  return {
    raw: root.bytes,
    tbsRequest: tbs.bytes,
    requestorName: requestor ? readGeneralName(requestor.explicit(1)) : undefined,
    requests,
    requestExtensions,
    nonce: nonceExt ? decodeOcspNonce(nonceExt) : undefined,
    signed: sig !== undefined,
  };
}
