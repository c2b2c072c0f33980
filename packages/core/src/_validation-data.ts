// Internal: the signer's certification path and the CRLs/OCSP responses that cover it, and their CAdES encodings (RFC 5126 §6.2.1-§6.3.4, ETSI EN 319 122-1 §5.4, A.1).

import { equalBytes } from './_bytes';
import { certificateParts, issuerSerialOf } from './_cms-attributes';
import { decodeDer, der, TAG } from './asn1';
import { type Crl, parseCrl } from './crl';
import { findDigest, sha1 } from './digests';
import { ValidationDataError } from './errors';
import { type BasicOcspResponse, type CertId, parseOcspResponse } from './ocsp';
import type { DigestAlgorithm } from './types';
import { type Certificate, parseCertificate } from './x509';

/**
 * Certificates and revocation data for CAdES-X Long Type 1 and B-LT, as DER (or PEM/Base64).
 * `certificates` must hold the signer's CA certificates up to a self-issued trust anchor, in
 * any order; `crls` and `ocspResponses` must cover the signer's certificate and every CA
 * certificate but the anchor. More may be given: what does not belong to the path is left out
 * of the references (B-LT embeds it all; see `addValidationData`).
 */
export interface ValidationValues {
  readonly certificates: readonly (Uint8Array | string)[];
  readonly crls?: readonly (Uint8Array | string)[] | undefined;
  /** DER OCSPResponse (successful, basic). */
  readonly ocspResponses?: readonly (Uint8Array | string)[] | undefined;
}

/** The CRLs and OCSP responses found for one certificate of the path. */
export interface Evidence {
  readonly crls: readonly Crl[];
  readonly ocsp: readonly BasicOcspResponse[];
}

/** The signer's path, issuer first, ending with the anchor, and the evidence per certificate (signer first; the anchor's is empty). */
export interface CollectedPath {
  readonly signer: Certificate;
  readonly chain: readonly Certificate[];
  readonly evidence: readonly Evidence[];
  /** Everything supplied, decoded: certificates, CRLs, OCSP responses (and each one's whole DER OCSPResponse). */
  readonly pool: readonly Certificate[];
  readonly crls: readonly Crl[];
  readonly ocsp: readonly BasicOcspResponse[];
  readonly ocspResponse: ReadonlyMap<BasicOcspResponse, Uint8Array>;
}

const MAX_PATH = 16;
const MAX_ITEMS = 1_000;

function limited<T>(list: readonly T[] | undefined, what: string): readonly T[] {
  if ((list?.length ?? 0) > MAX_ITEMS) throw new RangeError(`cades: more than ${MAX_ITEMS} ${what}`);
  return list ?? [];
}

function unusable(what: string, cause: unknown): ValidationDataError {
  return new ValidationDataError('ERR_VALIDATION_DATA_UNUSABLE', `cades: ${what} does not decode`, { cause });
}

function decodeAll<T>(list: readonly (Uint8Array | string)[], what: string, parse: (x: Uint8Array | string) => T): T[] {
  return list.map((x, i) => {
    try {
      return parse(x);
    } catch (e) {
      throw unusable(`${what} ${i}`, e);
    }
  });
}

function successfulBasic(input: Uint8Array | string): { basic: BasicOcspResponse; raw: Uint8Array } {
  const r = parseOcspResponse(input);
  if (!r.basic) {
    throw new ValidationDataError(
      'ERR_VALIDATION_DATA_UNUSABLE',
      `cades: an OCSP response with status ${r.responseStatus}`,
    );
  }
  return { basic: r.basic, raw: r.raw };
}

/** The issuer of `cert` in `pool`: same name, AKI = SKI when both are there; a self-issued one, then the newest, wins a tie. */
function issuerOf(cert: Certificate, pool: readonly Certificate[]): Certificate | undefined {
  const aki = cert.authorityKeyIdentifier?.keyIdentifier;
  const candidates = pool.filter((c) => {
    if (equalBytes(c.raw, cert.raw) || !c.subject.equals(cert.issuer)) return false;
    const ski = c.subjectKeyIdentifier;
    return aki === undefined || ski === undefined || equalBytes(aki, ski);
  });
  candidates.sort(
    (a, b) => Number(b.isSelfIssued) - Number(a.isSelfIssued) || b.notAfter.getTime() - a.notAfter.getTime(),
  );
  return candidates[0];
}

/** Whether a SingleResponse's CertID names `cert` issued by `issuer` (RFC 6960 §4.1.1). */
function certIdNames(id: CertId, cert: Certificate, issuer: Certificate): boolean {
  if (id.serialNumber !== cert.serialNumber) return false;
  let hash: DigestAlgorithm;
  try {
    hash = findDigest(id.hashAlgorithm.oid);
  } catch {
    return false;
  }
  return (
    equalBytes(id.issuerNameHash, hash.digest(issuer.subject.raw)) &&
    equalBytes(id.issuerKeyHash, hash.digest(issuer.publicKey))
  );
}

function revoked(cert: Certificate, source: string): ValidationDataError {
  const subject = cert.subject.toString();
  return new ValidationDataError('ERR_VALIDATION_DATA_REVOKED', `cades: ${source} says ${subject} is revoked`, {
    certificate: subject,
  });
}

/** The CRLs and good OCSP answers for `cert`; revoked or on hold throws. */
function evidenceFor(
  cert: Certificate,
  issuer: Certificate,
  crls: readonly Crl[],
  ocsp: readonly BasicOcspResponse[],
): Evidence {
  const ski = issuer.subjectKeyIdentifier;
  const usedCrls = crls.filter((crl) => {
    const aki = crl.authorityKeyIdentifier?.keyIdentifier;
    return crl.issuer.equals(cert.issuer) && (aki === undefined || ski === undefined || equalBytes(aki, ski));
  });
  for (const crl of usedCrls) if (crl.isRevoked(cert.serialNumber)) throw revoked(cert, 'a CRL');
  const usedOcsp = ocsp.filter((basic) => {
    const mine = basic.responses.filter((s) => certIdNames(s.certId, cert, issuer));
    if (mine.some((s) => s.certStatus.status === 'revoked')) throw revoked(cert, 'an OCSP response');
    return mine.some((s) => s.certStatus.status === 'good');
  });
  if (usedCrls.length === 0 && usedOcsp.length === 0) {
    const subject = cert.subject.toString();
    throw new ValidationDataError(
      'ERR_VALIDATION_DATA_INCOMPLETE',
      `cades: no CRL or OCSP response covers ${subject}`,
      {
        certificate: subject,
      },
    );
  }
  return { crls: usedCrls, ocsp: usedOcsp };
}

/**
 * Orders the signer's path from `values.certificates` (and `extra`, the SignedData's own) and
 * finds the revocation data for each certificate.
 * @throws {ValidationDataError} an incomplete path, uncovered or revoked certificate, undecodable data.
 */
export function collectPath(
  signer: Certificate,
  values: ValidationValues,
  extra: readonly Uint8Array[],
): CollectedPath {
  const supplied = decodeAll(limited(values.certificates, 'certificates'), 'certificate', (c) => parseCertificate(c));
  const pool = [...supplied, ...decodeAll(extra, 'certificate', (c) => parseCertificate(c))];
  const crls = decodeAll(limited(values.crls, 'CRLs'), 'CRL', (c) => parseCrl(c));
  const responses = decodeAll(limited(values.ocspResponses, 'OCSP responses'), 'OCSP response', successfulBasic);
  const ocsp = responses.map((r) => r.basic);
  const ocspResponse = new Map(responses.map((r) => [r.basic, r.raw]));
  const chain: Certificate[] = [];
  const evidence: Evidence[] = [];
  let cert = signer;
  while (!cert.isSelfIssued) {
    const issuer = issuerOf(cert, pool);
    if (!issuer || chain.includes(issuer) || chain.length >= MAX_PATH) {
      const subject = cert.issuer.toString();
      throw new ValidationDataError(
        'ERR_VALIDATION_DATA_INCOMPLETE',
        `cades: no certificate of the issuer ${subject}`,
        {
          certificate: subject,
        },
      );
    }
    evidence.push(evidenceFor(cert, issuer, crls, ocsp));
    chain.push(issuer);
    cert = issuer;
  }
  if (chain.length === 0) {
    throw new ValidationDataError('ERR_VALIDATION_DATA_INCOMPLETE', "cades: the signer's certificate is self-issued");
  }
  evidence.push({ crls: [], ocsp: [] });
  return { signer, chain, evidence, pool: supplied, crls, ocsp, ocspResponse };
}

// ---------------------------------------------------------------------------------------------
// Encodings (RFC 5126 §6.2 and §6.3, ETSI EN 319 122-1 A.1; explicit tags)

/** `OtherHash ::= CHOICE { sha1Hash OtherHashValue, otherHash OtherHashAlgAndValue }` */
function otherHash(hash: DigestAlgorithm, data: Uint8Array): Uint8Array {
  const value = der.octets(hash.digest(data));
  return hash.oid === sha1.oid ? value : der.seq(der.seq(der.oid(hash.oid)), value);
}

/**
 * `CompleteCertificateRefs ::= SEQUENCE OF OtherCertID`,
 * `OtherCertID ::= SEQUENCE { otherCertHash OtherHash, issuerSerial IssuerSerial OPTIONAL }`
 */
export function completeCertificateRefs(path: CollectedPath, hash: DigestAlgorithm): Uint8Array {
  return der.seq(...path.chain.map((c) => der.seq(otherHash(hash, c.raw), issuerSerialOf(certificateParts(c.raw)))));
}

/** `CrlValidatedID ::= SEQUENCE { crlHash OtherHash, crlIdentifier CrlIdentifier OPTIONAL }`; the identifier needs a UTCTime thisUpdate. */
function crlValidatedId(crl: Crl, hash: DigestAlgorithm): Uint8Array {
  const year = crl.thisUpdate.getUTCFullYear();
  if (year < 1950 || year > 2049) return der.seq(otherHash(hash, crl.raw));
  const n = crl.crlNumber;
  const id = der.seq(crl.issuer.raw, der.utcTime(crl.thisUpdate), ...(n === undefined ? [] : [der.int(n)]));
  return der.seq(otherHash(hash, crl.raw), id);
}

/** `OcspResponsesID ::= SEQUENCE { ocspIdentifier OcspIdentifier, ocspRepHash OtherHash OPTIONAL }`; the hash is of the BasicOCSPResponse that revocation-values holds. */
function ocspResponsesId(basic: BasicOcspResponse, hash: DigestAlgorithm): Uint8Array {
  const r = decodeDer(basic.tbsResponseData, 'ResponseData').read();
  r.optional(0xa0, 'version');
  const responderId = r.next(undefined, 'responderID').bytes;
  const producedAt = r.next(TAG.GENERALIZED_TIME, 'producedAt').bytes;
  return der.seq(der.seq(responderId, producedAt), otherHash(hash, basic.raw));
}

/**
 * `CompleteRevocationRefs ::= SEQUENCE OF CrlOcspRef`: one per certificate, the signer's first,
 * then in the order of the certificate references; the anchor's is empty.
 * `CrlOcspRef ::= SEQUENCE { crlids [0] CRLListID OPTIONAL, ocspids [1] OcspListID OPTIONAL, otherRev [2] OtherRevRefs OPTIONAL }`
 */
export function completeRevocationRefs(path: CollectedPath, hash: DigestAlgorithm): Uint8Array {
  const refs = path.evidence.map((e) => {
    const crlIds = e.crls.length
      ? [der.explicit(0, der.seq(der.seq(...e.crls.map((c) => crlValidatedId(c, hash)))))]
      : [];
    const ocspIds = e.ocsp.length
      ? [der.explicit(1, der.seq(der.seq(...e.ocsp.map((o) => ocspResponsesId(o, hash)))))]
      : [];
    return der.seq(...crlIds, ...ocspIds);
  });
  return der.seq(...refs);
}

function unique<T extends { raw: Uint8Array }>(items: readonly T[]): T[] {
  return items.filter((x, i) => items.findIndex((y) => equalBytes(x.raw, y.raw)) === i);
}

/** The CRLs and OCSP responses the path's references name, each once. */
export function usedEvidence(path: CollectedPath): { crls: Crl[]; ocsp: BasicOcspResponse[] } {
  return { crls: unique(path.evidence.flatMap((e) => e.crls)), ocsp: unique(path.evidence.flatMap((e) => e.ocsp)) };
}

/** The certificates certificate-values holds: the referenced path first, then the other supplied ones (the TSA's chain), each once. */
export function valueCertificates(path: CollectedPath): Uint8Array[] {
  const all = [...path.chain, ...path.pool].filter((c) => !equalBytes(c.raw, path.signer.raw));
  return unique(all).map((c) => c.raw);
}

/** `CertificateValues ::= SEQUENCE OF Certificate` */
export function certificateValues(certificates: readonly Uint8Array[]): Uint8Array {
  return der.seq(...certificates);
}

/**
 * `RevocationValues ::= SEQUENCE { crlVals [0] SEQUENCE OF CertificateList OPTIONAL,
 *   ocspVals [1] SEQUENCE OF BasicOCSPResponse OPTIONAL, otherRevVals [2] OtherRevVals OPTIONAL }`
 */
export function revocationValues(path: CollectedPath): Uint8Array {
  const used = usedEvidence(path);
  // Referenced data first, then what else was supplied (for example the TSA's), each once.
  const crls = unique([...used.crls, ...path.crls]);
  const ocsp = unique([...used.ocsp, ...path.ocsp]);
  return der.seq(
    ...(crls.length ? [der.explicit(0, der.seq(...crls.map((c) => c.raw)))] : []),
    ...(ocsp.length ? [der.explicit(1, der.seq(...ocsp.map((o) => o.raw)))] : []),
  );
}
