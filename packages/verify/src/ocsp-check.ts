// OCSP client side (RFC 6960 §4.1, §4.2, §4.2.2.2, App. A.1; nonce RFC 8954): request building and response checking.

import { verifySignature } from '@eds/core/algorithms';
import { allAlgorithms } from '@eds/core/all-algorithms';
import { decodeDer, der, TAG } from '@eds/core/asn1';
import { findDigest, sha1 } from '@eds/core/digests';
import { base64Encode } from '@eds/core/encoding';
import { parsePublicKey } from '@eds/core/keys';
import {
  type BasicOcspResponse,
  type CertId,
  type OcspResponse,
  parseOcspResponse,
  type SingleResponse,
} from '@eds/core/ocsp';
import { OID_EKU_OCSP_SIGNING, OID_OCSP_NO_CHECK, OID_OCSP_NONCE } from '@eds/core/oids';
import type { DigestAlgorithm, SignatureAlgorithm } from '@eds/core/types';
import type { Certificate } from '@eds/core/x509';
import type { RevocationResult, RevocationStatus, ValidateSigner } from './types';

/** Options of {@link createOcspRequest}. */
export interface OcspRequestOptions {
  readonly certificate: Certificate;
  readonly issuer: Certificate;
  /** Adds a nonce extension (RFC 8954): `true` for 32 random bytes, or the bytes to send (default none). */
  readonly nonce?: boolean | Uint8Array | undefined;
  /** CertID hash (default SHA-1, as RFC 5019 clients and BoringSSL do). */
  readonly hash?: DigestAlgorithm | undefined;
}

/** An OCSP request ready to send. */
export interface OcspRequestData {
  /** DER OCSPRequest. */
  readonly der: Uint8Array;
  /** The nonce sent, to give {@link checkOcsp}. */
  readonly nonce: Uint8Array | undefined;
  /** DER CertID: a cache key for the answer. */
  readonly certId: Uint8Array;
}

/** Options of {@link checkOcsp}. */
export interface OcspCheckOptions {
  /** The validation time. */
  readonly time: Date;
  /**
   * The latest acceptable thisUpdate (and producedAt), default `time`. When validating at a past
   * time, data issued later, up to the present, still covers that time (ETSI EN 319 102-1
   * §5.2.5: revocation information issued after the best signature time).
   */
  readonly issuedUntil?: Date | undefined;
  /** Largest accepted age of the SingleResponse (time minus thisUpdate), in seconds. */
  readonly maxAge?: number | undefined;
  /** Tolerated clock difference for thisUpdate, nextUpdate and producedAt, in ms (default 5 minutes). */
  readonly clockSkewMs?: number | undefined;
  /** The nonce sent: a response carrying another nonce is rejected. */
  readonly nonce?: Uint8Array | undefined;
  /** Also reject a response without a nonce when `nonce` was sent (default false: many responders pre-sign). */
  readonly requireNonce?: boolean | undefined;
  /** Validates a delegated responder's certificate for `ocsp-signing` (its chain, validity, revocation per policy). */
  readonly validateSigner?: ValidateSigner | undefined;
  /** Signature algorithms accepted (default: every algorithm of @eds/core). */
  readonly algorithms?: readonly SignatureAlgorithm[] | undefined;
  readonly signal?: AbortSignal | undefined;
}

const DEFAULT_SKEW_MS = 5 * 60_000;
/** How long an answer without nextUpdate covers, when no `maxAge` is given. */
const NO_NEXT_UPDATE_MAX_AGE_S = 86_400;
/** Response extensions processed: the nonce (RFC 6960 §4.4.1). */
const HANDLED_RESPONSE_EXTENSIONS: ReadonlySet<string> = new Set([OID_OCSP_NONCE]);
/** SingleResponse extensions processed: the CT SCT list of RFC 6962 §3.3, which needs no action here. */
const HANDLED_SINGLE_EXTENSIONS: ReadonlySet<string> = new Set(['1.3.6.1.4.1.11129.2.4.5']);
const NONCE_SIZE = 32;

/**
 * The `detail` of {@link checkOcsp} for a response without a SingleResponse for the certificate
 * (typically one about another certificate, among several supplied).
 *
 * @example
 * ```ts
 * if (r.status === 'unknown' && r.detail === NO_MATCHING_RESPONSE) tryTheNextResponse();
 * ```
 */
export const NO_MATCHING_RESPONSE = 'no SingleResponse for this certificate';

class Unusable extends Error {}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function bytesEqual(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** AlgorithmIdentifier of a CertID hash: NULL parameters for SHA-1/SHA-2 (as OpenSSL and BoringSSL write), none otherwise. */
function hashIdentifier(hash: DigestAlgorithm): Uint8Array {
  const withNull = hash.oid === sha1.oid || hash.oid.startsWith('2.16.840.1.101.3.4.2.');
  return withNull ? der.seq(der.oid(hash.oid), der.null()) : der.seq(der.oid(hash.oid));
}

/** CertID ::= SEQUENCE { hashAlgorithm, issuerNameHash, issuerKeyHash, serialNumber } (RFC 6960 §4.1.1). */
function encodeCertId(certificate: Certificate, issuer: Certificate, hash: DigestAlgorithm): Uint8Array {
  return der.seq(
    hashIdentifier(hash),
    der.octets(hash.digest(certificate.issuer.raw)),
    der.octets(hash.digest(issuer.publicKey)),
    serialTlv(certificate),
  );
}

/** The certificate's serialNumber INTEGER as encoded, so a non-minimal serial is asked about byte for byte. */
function serialTlv(certificate: Certificate): Uint8Array {
  const fields = decodeDer(certificate.tbs, 'TBSCertificate').children();
  const serial = fields[0]?.tag === TAG.INTEGER ? fields[0] : fields[1];
  return serial?.tag === TAG.INTEGER ? serial.bytes : der.int(certificate.serialNumber);
}

/**
 * Builds an OCSPRequest for one certificate (RFC 6960 §4.1.1), unsigned, with an optional nonce
 * extension (RFC 8954: `Nonce ::= OCTET STRING (SIZE(1..32))`).
 *
 * ```asn1
 * OCSPRequest ::= SEQUENCE { tbsRequest TBSRequest }
 * TBSRequest ::= SEQUENCE { requestList SEQUENCE OF Request, requestExtensions [2] EXPLICIT Extensions OPTIONAL }
 * Request ::= SEQUENCE { reqCert CertID }
 * ```
 *
 * @throws RangeError for a nonce outside 1..32 bytes.
 * @example
 * ```ts
 * const { der, nonce } = createOcspRequest({ certificate, issuer, nonce: true });
 * ```
 */
export function createOcspRequest(options: OcspRequestOptions): OcspRequestData {
  const certId = encodeCertId(options.certificate, options.issuer, options.hash ?? sha1);
  let nonce: Uint8Array | undefined;
  if (options.nonce === true) nonce = globalThis.crypto.getRandomValues(new Uint8Array(NONCE_SIZE));
  else if (options.nonce instanceof Uint8Array) nonce = options.nonce;
  if (nonce && (nonce.length < 1 || nonce.length > NONCE_SIZE))
    throw new RangeError('OCSP nonce must be 1 to 32 bytes');
  const extensions = nonce
    ? [der.explicit(2, der.seq(der.seq(der.oid(OID_OCSP_NONCE), der.octets(der.octets(nonce)))))]
    : [];
  const request = der.seq(der.seq(der.seq(der.seq(certId)), ...extensions));
  return { der: request, nonce, certId };
}

/**
 * The GET form of an OCSP request (RFC 6960 App. A.1): `base/` + URL-encoded Base64 of the DER.
 *
 * @throws nothing.
 * @example
 * ```ts
 * await fetcher.fetch(ocspGetUrl('http://ocsp.example.ru', request.der));
 * ```
 */
export function ocspGetUrl(base: string, request: Uint8Array): string {
  return `${base.endsWith('/') ? base : `${base}/`}${encodeURIComponent(base64Encode(request))}`;
}

// ---------------------------------------------------------------------------------------------
// Responder authorisation (RFC 6960 §4.2.2.2)

function matchesResponderId(cert: Certificate, basic: BasicOcspResponse): boolean {
  const id = basic.responderId;
  if (id.type === 'byName') return cert.subject.equals(id.name);
  return bytesEqual(sha1.digest(cert.publicKey), id.keyHash);
}

async function verifies(
  signer: Certificate,
  data: Uint8Array,
  algorithm: BasicOcspResponse['signatureAlgorithm'],
  signature: Uint8Array,
  options: OcspCheckOptions,
): Promise<boolean> {
  try {
    return await verifySignature(options.algorithms ?? allAlgorithms, {
      algorithm,
      publicKey: parsePublicKey(signer.spki),
      data,
      signature,
    });
  } catch {
    return false;
  }
}

/** Checks a delegated responder certificate: issued by the CA, id-kp-OCSPSigning, valid at the time. */
async function checkDelegate(cert: Certificate, issuer: Certificate, options: OcspCheckOptions): Promise<void> {
  if (!cert.issuer.equals(issuer.subject)) throw new Unusable('delegated responder not issued by the CA');
  let eku: readonly string[] | undefined;
  try {
    eku = cert.extKeyUsage;
  } catch (e) {
    throw new Unusable(`malformed responder extKeyUsage: ${message(e)}`);
  }
  if (!eku?.includes(OID_EKU_OCSP_SIGNING)) throw new Unusable('delegated responder lacks id-kp-OCSPSigning');
  if (!(await verifies(issuer, cert.tbs, cert.signatureAlgorithm, cert.signature, options)))
    throw new Unusable('delegated responder certificate signature does not verify with the CA key');
  const t = options.time.getTime();
  if (t < cert.notBefore.getTime() || t > cert.notAfter.getTime())
    throw new Unusable('delegated responder certificate is not valid at the validation time');
  if (options.validateSigner) {
    try {
      await options.validateSigner(cert, { purpose: 'ocsp-signing', time: options.time, signal: options.signal });
    } catch (e) {
      throw new Unusable(`delegated responder not valid: ${message(e)}`);
    }
  }
}

/** The certificate that signed the response: the CA itself or an authorised delegated responder. */
async function findResponder(
  basic: BasicOcspResponse,
  issuer: Certificate,
  options: OcspCheckOptions,
): Promise<Certificate> {
  if (matchesResponderId(issuer, basic)) return issuer;
  const why: string[] = [];
  for (const cert of basic.certs) {
    if (!matchesResponderId(cert, basic)) continue;
    try {
      await checkDelegate(cert, issuer, options);
      return cert;
    } catch (e) {
      if (!(e instanceof Unusable)) throw e;
      why.push(e.message);
    }
  }
  throw new Unusable(why.length ? why.join('; ') : 'responder is neither the CA nor a certificate in the response');
}

// ---------------------------------------------------------------------------------------------
// SingleResponses

function matchesCertId(id: CertId, certificate: Certificate, issuer: Certificate): boolean {
  let hash: DigestAlgorithm;
  try {
    hash = findDigest(id.hashAlgorithm.oid);
  } catch {
    return false;
  }
  if (id.serialNumber !== certificate.serialNumber || !bytesEqual(hash.digest(issuer.publicKey), id.issuerKeyHash))
    return false;
  // RFC 6960 §4.1.1 hashes the issuer name as written in the certificate; some responders hash the
  // issuer certificate's subject, which names the same CA (they differ only in encoding).
  return (
    bytesEqual(hash.digest(certificate.issuer.raw), id.issuerNameHash) ||
    bytesEqual(hash.digest(issuer.subject.raw), id.issuerNameHash)
  );
}

/** Date checks of one SingleResponse (RFC 6960 §4.2.2.1, §3.2 items 5 and 6); returns why not usable, or null. */
function dateProblem(s: SingleResponse, options: OcspCheckOptions): string | null {
  const t = options.time.getTime();
  const skew = options.clockSkewMs ?? DEFAULT_SKEW_MS;
  const latest = Math.max(t, options.issuedUntil?.getTime() ?? t);
  if (s.thisUpdate.getTime() > latest + skew) return 'thisUpdate is after the validation time';
  if (s.nextUpdate && s.nextUpdate.getTime() <= s.thisUpdate.getTime()) return 'nextUpdate is not after thisUpdate';
  if (s.nextUpdate && s.nextUpdate.getTime() < t - skew)
    return 'response is stale: nextUpdate is before the validation time';
  // Without nextUpdate the responder says newer information is always available (RFC 6960
  // §4.2.2.1): the answer speaks for its thisUpdate, and is accepted for a later validation time
  // only within `maxAge` (default one day), so an old answer cannot stand for the present.
  const noNextUpdateAge = options.maxAge ?? NO_NEXT_UPDATE_MAX_AGE_S;
  if (!s.nextUpdate && s.thisUpdate.getTime() < t - skew - noNextUpdateAge * 1000)
    return `response has no nextUpdate and is older than ${noNextUpdateAge} s at the validation time`;
  if (options.maxAge !== undefined && s.thisUpdate.getTime() < t - options.maxAge * 1000)
    return `response is older than the maximum age of ${options.maxAge} s`;
  return null;
}

/** Revoked outranks unknown, which outranks good: several matching answers never give good unless all say good. */
const RANK: Record<string, number> = { good: 0, unknown: 1, revoked: 2 };

function pickSingle(
  basic: BasicOcspResponse,
  certificate: Certificate,
  issuer: Certificate,
  options: OcspCheckOptions,
): SingleResponse {
  const matching = basic.responses.filter((s) => matchesCertId(s.certId, certificate, issuer));
  if (matching.length === 0) throw new Unusable(NO_MATCHING_RESPONSE);
  let best: SingleResponse | undefined;
  const why: string[] = [];
  for (const s of matching) {
    const critical = s.singleExtensions.find((e) => e.critical && !HANDLED_SINGLE_EXTENSIONS.has(e.oid));
    if (critical) throw new Unusable(`unhandled critical SingleResponse extension ${critical.oid}`);
    const problem = dateProblem(s, options);
    if (problem) {
      why.push(problem);
      continue;
    }
    if (!best || (RANK[s.certStatus.status] ?? 1) > (RANK[best.certStatus.status] ?? 1)) best = s;
  }
  if (!best) throw new Unusable(why.join('; '));
  return best;
}

function checkEnvelope(response: OcspResponse, certificate: Certificate, options: OcspCheckOptions): BasicOcspResponse {
  if (response.responseStatus !== 'successful') throw new Unusable(`responder answered ${response.responseStatus}`);
  const basic = response.basic;
  if (!basic) throw new Unusable('no BasicOCSPResponse');
  const critical = basic.responseExtensions.find((e) => e.critical && !HANDLED_RESPONSE_EXTENSIONS.has(e.oid));
  if (critical) throw new Unusable(`unhandled critical response extension ${critical.oid}`);
  const skew = options.clockSkewMs ?? DEFAULT_SKEW_MS;
  const produced = basic.producedAt.getTime();
  const latest = Math.max(options.time.getTime(), options.issuedUntil?.getTime() ?? 0);
  if (produced > latest + skew) throw new Unusable('producedAt is after the validation time');
  if (produced < certificate.notBefore.getTime() || produced > certificate.notAfter.getTime())
    throw new Unusable('producedAt is outside the certificate validity period');
  if (options.nonce) {
    if (basic.nonce && !bytesEqual(basic.nonce, options.nonce))
      throw new Unusable('response nonce does not match the request');
    if (!basic.nonce && options.requireNonce) throw new Unusable('response carries no nonce');
  }
  return basic;
}

function resultOf(response: OcspResponse, basic: BasicOcspResponse, single: SingleResponse): RevocationResult {
  const s = single.certStatus;
  const status: RevocationStatus =
    s.status === 'revoked' ? (s.reason === 'certificateHold' ? 'suspended' : 'revoked') : s.status;
  return {
    status,
    source: 'ocsp',
    reason: s.status === 'revoked' ? (s.reason ?? 'unspecified') : undefined,
    revocationTime: s.status === 'revoked' ? s.time : undefined,
    thisUpdate: single.thisUpdate,
    nextUpdate: single.nextUpdate,
    producedAt: basic.producedAt,
    detail: s.status === 'unknown' ? 'the responder does not know this certificate' : undefined,
    evidence: response.raw,
  };
}

/**
 * Checks an OCSP response for one certificate (RFC 6960): successful basic response; responder
 * authorised per §4.2.2.2 (the CA itself by name or key hash, or a certificate in `certs` issued
 * by the CA with id-kp-OCSPSigning, valid at the time and accepted by `validateSigner` when
 * given; id-pkix-ocsp-nocheck is reported in `detail`, its revocation is the validator's
 * policy); the signature; the matching SingleResponse (CertID with the response's own hash;
 * several matching answers give the most severe, so never `good` unless all say good);
 * thisUpdate/nextUpdate/producedAt against `time` with `clockSkewMs` and `maxAge`; the nonce;
 * unhandled critical extensions. Anything unusable gives `unknown` with `detail`.
 *
 * @throws nothing for bad data.
 * @example
 * ```ts
 * const r = await checkOcsp(body, cert, issuer, { time: new Date(), nonce: request.nonce });
 * ```
 */
export async function checkOcsp(
  response: Uint8Array,
  certificate: Certificate,
  issuer: Certificate,
  options: OcspCheckOptions,
): Promise<RevocationResult> {
  let parsed: OcspResponse;
  try {
    parsed = parseOcspResponse(response);
  } catch (e) {
    return { status: 'unknown', source: 'ocsp', detail: `malformed OCSP response: ${message(e)}` };
  }
  try {
    const basic = checkEnvelope(parsed, certificate, options);
    // The answer must be about this certificate before any work on its responder (a pile of
    // foreign responses must not cost a responder validation each).
    const single = pickSingle(basic, certificate, issuer, options);
    const responder = await findResponder(basic, issuer, options);
    if (!(await verifies(responder, basic.tbsResponseData, basic.signatureAlgorithm, basic.signature, options)))
      throw new Unusable('OCSP response signature does not verify');
    const result = resultOf(parsed, basic, single);
    const noCheck = responder !== issuer && responder.extensions.some((e) => e.oid === OID_OCSP_NO_CHECK);
    return noCheck && !result.detail
      ? { ...result, detail: 'delegated responder carries id-pkix-ocsp-nocheck' }
      : result;
  } catch (e) {
    if (!(e instanceof Unusable)) throw e;
    return { status: 'unknown', source: 'ocsp', detail: e.message, producedAt: parsed.basic?.producedAt };
  }
}
