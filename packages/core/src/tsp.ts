// RFC 3161 time-stamp protocol client: TimeStampReq, TimeStampResp, TimeStampToken and TSTInfo (§2.4), and a request over HTTP (§3.4) through an injected Fetcher.
/**
 * `@eds/core/tsp` asks a time-stamp authority (TSA) for a time-stamp token over a digest and
 * reads what it answers. The network is reached only through a {@link Fetcher} the caller
 * passes in (`createFetcher` of `@eds/core/fetcher` gives one with time and size limits).
 *
 * What is checked here is structural: the response decodes, its status is granted, the token is
 * a SignedData over a TSTInfo with one SignerInfo, and the TSTInfo's messageImprint, nonce and
 * policy are the request's. The token's signature, the TSA certificate's chain, its
 * timeStamping EKU and the ESS signing-certificate attribute are not checked: that is the
 * verifier's job, with its own trust anchors and algorithm policy.
 *
 * @module
 */
import { equalBytes } from './_bytes';
import { readCertificate } from './_cert-fields';
import { type GeneralName, readGeneralName } from './_general-name';
import { type Der, decodeDer, der, TAG } from './asn1';
import { DecodeError, TimestampError } from './errors';
import type { Fetcher } from './fetcher';
import type { AlgorithmIdentifier, DigestAlgorithm } from './types';
import { parseCertificate } from './x509';

export type { GeneralName } from './_general-name';

/** id-ct-TSTInfo (RFC 3161 §2.4.2), the eContentType of a time-stamp token. */
export const OID_TST_INFO = '1.2.840.113549.1.9.16.1.4';
const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
/** The MIME types of RFC 3161 §3.4; `timestamp-response` is the pre-RFC name some TSAs still send. */
const QUERY_TYPE = 'application/timestamp-query';
const REPLY_TYPES = ['application/timestamp-reply', 'application/timestamp-response'];
/** Largest TimeStampResp read (a token carries a few certificates, not megabytes). */
const MAX_RESPONSE = 4 * 1024 * 1024;

/** PKIStatus (RFC 3161 §2.4.2, RFC 4210 §5.2.3) by name; index = the INTEGER value. */
const STATUS_NAMES = [
  'granted',
  'grantedWithMods',
  'rejection',
  'waiting',
  'revocationWarning',
  'revocationNotification',
] as const;

/** The statuses a TSA may answer. */
export type PkiStatus = (typeof STATUS_NAMES)[number];

/** PKIFailureInfo bits of RFC 3161 §2.4.2. */
const FAILURE_BITS: Readonly<Record<number, string>> = {
  0: 'badAlg',
  2: 'badRequest',
  5: 'badDataFormat',
  14: 'timeNotAvailable',
  15: 'unacceptedPolicy',
  16: 'unacceptedExtension',
  17: 'addInfoNotAvailable',
  25: 'systemFailure',
};

/**
 * What the TSA said about the request.
 *
 * ```asn1
 * PKIStatusInfo ::= SEQUENCE { status PKIStatus, statusString PKIFreeText OPTIONAL, failInfo PKIFailureInfo OPTIONAL }
 * PKIFreeText ::= SEQUENCE SIZE (1..MAX) OF UTF8String
 * ```
 */
export interface PkiStatusInfo {
  readonly status: PkiStatus;
  /** The PKIFailureInfo bits by name (`badAlg`, `badRequest`, `badDataFormat`, `timeNotAvailable`, `unacceptedPolicy`, `unacceptedExtension`, `addInfoNotAvailable`, `systemFailure`; others as `bit<n>`). */
  readonly failInfo: readonly string[];
  /** The statusString texts, in order (empty when absent). */
  readonly text: readonly string[];
}

/** `MessageImprint ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, hashedMessage OCTET STRING }` */
export interface MessageImprint {
  readonly hashAlgorithm: AlgorithmIdentifier;
  readonly hashedMessage: Uint8Array;
}

/** `Accuracy ::= SEQUENCE { seconds INTEGER OPTIONAL, millis [0] INTEGER (1..999) OPTIONAL, micros [1] INTEGER (1..999) OPTIONAL }` */
export interface Accuracy {
  readonly seconds?: number | undefined;
  readonly millis?: number | undefined;
  readonly micros?: number | undefined;
}

/**
 * The content a TSA signs (RFC 3161 §2.4.2).
 *
 * ```asn1
 * TSTInfo ::= SEQUENCE { version INTEGER { v1(1) }, policy TSAPolicyId, messageImprint MessageImprint,
 *   serialNumber INTEGER, genTime GeneralizedTime, accuracy Accuracy OPTIONAL,
 *   ordering BOOLEAN DEFAULT FALSE, nonce INTEGER OPTIONAL, tsa [0] GeneralName OPTIONAL,
 *   extensions [1] IMPLICIT Extensions OPTIONAL }
 * ```
 */
export interface TstInfo {
  readonly version: number;
  readonly policy: string;
  readonly messageImprint: MessageImprint;
  readonly serialNumber: bigint;
  /** genTime, with its fraction of a second (to the millisecond). */
  readonly genTime: Date;
  readonly accuracy?: Accuracy | undefined;
  readonly ordering: boolean;
  readonly nonce?: bigint | undefined;
  readonly tsa?: GeneralName | undefined;
  /** DER of the `[1]` extensions field, when present. */
  readonly extensions?: Uint8Array | undefined;
}

/** A TimeStampToken read by {@link parseTimestampToken}. */
export interface TimestampToken {
  /** The token: DER ContentInfo with SignedData. */
  readonly der: Uint8Array;
  readonly tstInfo: TstInfo;
  /** The eContent octets: the DER TSTInfo that was signed. */
  readonly tstInfoDer: Uint8Array;
  /** The certificates of the SignedData (DER), in order. */
  readonly certificates: readonly Uint8Array[];
  /** The certificate the SignerInfo's sid names, when it is among `certificates`. */
  readonly tsaCertificate?: Uint8Array | undefined;
}

/** A TimeStampResp read by {@link parseTimestampResponse}. */
export interface TimestampResponse {
  readonly status: PkiStatusInfo;
  /** The TimeStampToken (DER ContentInfo), when present. */
  readonly token?: Uint8Array | undefined;
  readonly tstInfo?: TstInfo | undefined;
  /** The TSA certificate in the token, when present (see {@link TimestampToken.tsaCertificate}). */
  readonly tsaCertificate?: Uint8Array | undefined;
}

/** Options of {@link createTimestampRequest}. */
export interface TimestampRequestOptions {
  /** The digest to time-stamp (`hashAlgorithm.size` bytes). */
  readonly digest: Uint8Array;
  readonly hashAlgorithm: DigestAlgorithm;
  /** The nonce (positive); default 8 random bytes; `false` sends none. */
  readonly nonce?: bigint | false | undefined;
  /** Ask for the TSA certificate in the token (default true). */
  readonly certReq?: boolean | undefined;
  /** reqPolicy: the TSA policy OID asked for. */
  readonly policy?: string | undefined;
}

/** What a token must match: the request's imprint, and its nonce and policy when it had them. */
export interface TimestampExpectation {
  readonly digest: Uint8Array;
  readonly hashAlgorithm: DigestAlgorithm;
  readonly nonce?: bigint | undefined;
  readonly policy?: string | undefined;
  /** The TSA certificate must be in the token. */
  readonly certReq?: boolean | undefined;
}

/** Options of {@link requestTimestamp}. */
export interface RequestTimestampOptions extends TimestampRequestOptions {
  /** The TSA's HTTP(S) address. */
  readonly url: string;
  /** The network boundary: make one with `createFetcher` (`@eds/core/fetcher`), which enforces time and size limits. */
  readonly fetcher: Fetcher;
  readonly signal?: AbortSignal | undefined;
}

/** A granted time-stamp, checked against its request. */
export interface TimestampResult {
  readonly status: PkiStatusInfo;
  /** The TimeStampToken: DER ContentInfo with SignedData, ready to embed. */
  readonly token: Uint8Array;
  readonly tstInfo: TstInfo;
  readonly tsaCertificate?: Uint8Array | undefined;
}

// ---------------------------------------------------------------------------------------------
// Request

/** 8 random bytes as a positive INTEGER value (RFC 3161 §2.4.1: a large random number). */
function randomNonce(): bigint {
  const b = globalThis.crypto.getRandomValues(new Uint8Array(8));
  b[0] = ((b[0] as number) & 0x7f) | 0x01; // positive and 57..63 bits long, never zero
  return b.reduce((n, x) => (n << 8n) | BigInt(x), 0n);
}

function checkDigest(digest: Uint8Array, hashAlgorithm: DigestAlgorithm): void {
  if (!hashAlgorithm || typeof hashAlgorithm.oid !== 'string' || typeof hashAlgorithm.size !== 'number')
    throw new TypeError('tsp: hashAlgorithm must be a DigestAlgorithm');
  if (!(digest instanceof Uint8Array)) throw new TypeError('tsp: digest must be a Uint8Array');
  if (digest.length !== hashAlgorithm.size)
    throw new RangeError(
      `tsp: expected a ${hashAlgorithm.size}-byte ${hashAlgorithm.name} digest, got ${digest.length}`,
    );
}

function buildRequest(o: TimestampRequestOptions): { der: Uint8Array; nonce: bigint | undefined } {
  checkDigest(o.digest, o.hashAlgorithm);
  const nonce = o.nonce === false ? undefined : (o.nonce ?? randomNonce());
  if (nonce !== undefined && (typeof nonce !== 'bigint' || nonce <= 0n))
    throw new RangeError('tsp: the nonce must be a positive bigint');
  const fields = [der.int(1), der.seq(der.seq(der.oid(o.hashAlgorithm.oid)), der.octets(o.digest))];
  if (o.policy !== undefined) fields.push(der.oid(o.policy));
  if (nonce !== undefined) fields.push(der.int(nonce));
  if (o.certReq ?? true) fields.push(der.bool(true));
  return { der: der.seq(...fields), nonce };
}

/**
 * Encodes a TimeStampReq (DER) for a digest: version 1, the messageImprint (the hash algorithm
 * without parameters, as RFC 5754 §2 and RFC 9215 write it), the optional reqPolicy, a nonce
 * (8 random bytes unless given or `false`) and certReq (true unless `false`).
 *
 * Standard: RFC 3161 §2.4.1.
 *
 * ```asn1
 * TimeStampReq ::= SEQUENCE { version INTEGER { v1(1) }, messageImprint MessageImprint,
 *   reqPolicy TSAPolicyId OPTIONAL, nonce INTEGER OPTIONAL, certReq BOOLEAN DEFAULT FALSE,
 *   extensions [0] IMPLICIT Extensions OPTIONAL }
 * ```
 *
 * @throws {RangeError} a digest of the wrong length, a nonce that is not positive, a bad policy OID.
 * @throws {TypeError} a digest that is not a Uint8Array, a hashAlgorithm that is not a DigestAlgorithm.
 * @example
 * ```ts
 * const tsq = createTimestampRequest({ digest: streebog256Digest, hashAlgorithm: gostr3411_2012_256 });
 * ```
 */
export function createTimestampRequest(options: TimestampRequestOptions): Uint8Array {
  return buildRequest(options).der;
}

// ---------------------------------------------------------------------------------------------
// Response and token

function readAlgorithm(node: Der): AlgorithmIdentifier {
  const r = node.read();
  const oid = r.next(TAG.OID, 'algorithm').oid();
  const params = r.more ? r.next(undefined, 'parameters').bytes : undefined;
  r.end();
  return params ? { oid, params } : { oid };
}

function readImprint(node: Der): MessageImprint {
  const r = node.read();
  const hashAlgorithm = readAlgorithm(r.next(TAG.SEQUENCE, 'hashAlgorithm'));
  const hashedMessage = r.next(TAG.OCTET_STRING, 'hashedMessage').octets();
  r.end();
  return { hashAlgorithm, hashedMessage };
}

function readAccuracy(node: Der): Accuracy {
  const r = node.read();
  const seconds = r.optional(TAG.INTEGER, 'seconds')?.smallInt();
  const millis = r.optional(0x80, 'millis')?.smallInt(0x80);
  const micros = r.optional(0x81, 'micros')?.smallInt(0x81);
  r.end();
  if (seconds !== undefined && seconds < 0) throw node.error('negative accuracy');
  for (const v of [millis, micros])
    if (v !== undefined && (v < 1 || v > 999)) throw node.error('accuracy out of 1..999');
  return { seconds, millis, micros };
}

/** Reads a DER TSTInfo (RFC 3161 §2.4.2). */
function readTstInfo(node: Der): TstInfo {
  const r = node.read();
  const version = r.next(TAG.INTEGER, 'version').smallInt();
  if (version !== 1) throw node.error(`TSTInfo version ${version}, expected 1`);
  const policy = r.next(TAG.OID, 'policy').oid();
  const messageImprint = readImprint(r.next(TAG.SEQUENCE, 'messageImprint'));
  const serialNumber = r.next(TAG.INTEGER, 'serialNumber').integer();
  const genTime = r.next(TAG.GENERALIZED_TIME, 'genTime').time();
  const acc = r.optional(TAG.SEQUENCE, 'accuracy');
  const ordering = r.optional(TAG.BOOLEAN, 'ordering')?.bool() ?? false;
  const nonce = r.optional(TAG.INTEGER, 'nonce')?.integer();
  const tsaNode = r.optional(0xa0, 'tsa');
  const extensions = r.optional(0xa1, 'extensions')?.bytes;
  r.end();
  return {
    version,
    policy,
    messageImprint,
    serialNumber,
    genTime,
    accuracy: acc ? readAccuracy(acc) : undefined,
    ordering,
    nonce,
    tsa: tsaNode ? readGeneralName(tsaNode.explicit(0)) : undefined,
    extensions,
  };
}

function readStatus(node: Der): PkiStatusInfo {
  const r = node.read();
  const statusNode = r.next(TAG.INTEGER, 'status');
  const status = STATUS_NAMES[statusNode.smallInt()];
  if (!status) throw statusNode.error('unknown PKIStatus');
  const textNode = r.optional(TAG.SEQUENCE, 'statusString');
  const text = textNode ? textNode.children().map((t) => t.expect(TAG.UTF8_STRING).string()) : [];
  if (textNode && text.length === 0) throw textNode.error('empty PKIFreeText');
  const bits = r.optional(TAG.BIT_STRING, 'failInfo')?.flags() ?? new Set<number>();
  r.end();
  return { status, failInfo: [...bits].map((b) => FAILURE_BITS[b] ?? `bit${b}`), text };
}

/** The certificate a SignerInfo's sid names: IssuerAndSerialNumber or [0] SubjectKeyIdentifier. */
function findSignerCertificate(sid: Der, certificates: readonly Uint8Array[]): Uint8Array | undefined {
  if (sid.tag === TAG.SEQUENCE) {
    const r = sid.read();
    const issuer = r.next(TAG.SEQUENCE, 'issuer').bytes;
    const serial = r.next(TAG.INTEGER, 'serialNumber').integer();
    r.end();
    return certificates.find((c) => {
      const parts = readCertificate(c);
      return parts.serial === serial && equalBytes(parts.issuer, issuer);
    });
  }
  const ski = sid.octets(0x80);
  return certificates.find((c) => {
    const id = parseCertificate(c).subjectKeyIdentifier;
    return id !== undefined && equalBytes(id, ski);
  });
}

/** The encapsulated TSTInfo, the certificates and the one SignerInfo's sid of a token's SignedData. */
function readTokenSignedData(ci: Der): Omit<TimestampToken, 'der'> {
  const r = ci.read();
  if (r.next(TAG.OID, 'contentType').oid() !== OID_SIGNED_DATA) throw ci.error('the token is not a SignedData');
  const sd = r.next(0xa0, 'content').explicit(0).named(`${ci.path}.SignedData`).read();
  r.end();
  sd.next(TAG.INTEGER, 'version').smallInt();
  sd.next(TAG.SET, 'digestAlgorithms');
  const encap = sd.next(TAG.SEQUENCE, 'encapContentInfo');
  const er = encap.read();
  if (er.next(TAG.OID, 'eContentType').oid() !== OID_TST_INFO) throw encap.error('eContentType is not id-ct-TSTInfo');
  const eContent = er.next(0xa0, 'eContent').explicit(0).expect(TAG.OCTET_STRING);
  er.end();
  const certs = sd.optional(0xa0, 'certificates');
  sd.optional(0xa1, 'crls');
  const infos = sd.next(TAG.SET, 'signerInfos');
  sd.end();
  const signerInfos = infos.children();
  if (signerInfos.length !== 1) throw infos.error(`a token has one SignerInfo, found ${signerInfos.length}`);
  const si = (signerInfos[0] as Der).named(`${infos.path}[0]`).read();
  si.next(TAG.INTEGER, 'version');
  const sid = si.next(undefined, 'sid');
  const certificates = certs
    ? certs
        .children()
        .filter((c) => c.tag === TAG.SEQUENCE)
        .map((c) => c.bytes)
    : [];
  return {
    tstInfo: readTstInfo(eContent.inner(`${encap.path}.TSTInfo`)),
    tstInfoDer: eContent.value,
    certificates,
    tsaCertificate: findSignerCertificate(sid, certificates),
  };
}

/**
 * Reads a TimeStampToken: a DER ContentInfo with SignedData whose eContentType is id-ct-TSTInfo,
 * with exactly one SignerInfo. Returns the TSTInfo, the certificates, and the TSA certificate
 * when the SignerInfo's sid names one of them. The signature is not verified (see the module doc).
 *
 * Standard: RFC 3161 §2.4.2; RFC 5652 §5.
 *
 * ```asn1
 * TimeStampToken ::= ContentInfo -- contentType id-signedData, eContentType id-ct-TSTInfo
 * ```
 *
 * @throws {DecodeError} malformed DER, another content type, no eContent, not one SignerInfo, a malformed TSTInfo.
 * @example
 * ```ts
 * const { tstInfo, tsaCertificate } = parseTimestampToken(token);
 * console.log(tstInfo.genTime.toISOString());
 * ```
 */
export function parseTimestampToken(token: Uint8Array): TimestampToken {
  const ci = decodeDer(token, 'TimeStampToken', { maxSize: MAX_RESPONSE });
  return { der: ci.bytes, ...readTokenSignedData(ci) };
}

/**
 * Reads a TimeStampResp (DER): the status with its named failure bits and texts, and the token
 * with its TSTInfo when present. A status other than granted is returned, not thrown; see
 * {@link requestTimestamp} for the checks a client makes.
 *
 * Standard: RFC 3161 §2.4.2.
 *
 * ```asn1
 * TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken TimeStampToken OPTIONAL }
 * ```
 *
 * @throws {DecodeError} when the bytes are not a TimeStampResp (or the token in it is malformed).
 * @example
 * ```ts
 * const { status, token, tstInfo } = parseTimestampResponse(tsr);
 * if (status.status === 'rejection') console.log(status.failInfo, status.text);
 * ```
 */
export function parseTimestampResponse(response: Uint8Array): TimestampResponse {
  const r = decodeDer(response, 'TimeStampResp', { maxSize: MAX_RESPONSE }).read();
  const status = readStatus(r.next(TAG.SEQUENCE, 'status'));
  const tokenNode = r.optional(TAG.SEQUENCE, 'timeStampToken');
  r.end();
  if (!tokenNode) return { status };
  const parsed = readTokenSignedData(tokenNode);
  return { status, token: tokenNode.bytes, tstInfo: parsed.tstInfo, tsaCertificate: parsed.tsaCertificate };
}

// ---------------------------------------------------------------------------------------------
// Checks and the HTTP exchange

/** True when an AlgorithmIdentifier names `oid` with parameters absent or NULL (as OpenSSL compares). */
function sameHashAlgorithm(a: AlgorithmIdentifier, oid: string): boolean {
  return a.oid === oid && (a.params === undefined || equalBytes(a.params, der.null()));
}

function badResponse(message: string, cause?: unknown): TimestampError {
  return new TimestampError('ERR_TSA_BAD_RESPONSE', `time-stamp response: ${message}`, { cause });
}

/** The TSTInfo against what was asked. @throws TimestampError. */
function checkTstInfo(tst: TstInfo, tsaCertificate: Uint8Array | undefined, expected: TimestampExpectation): void {
  const { hashAlgorithm, hashedMessage } = tst.messageImprint;
  if (!sameHashAlgorithm(hashAlgorithm, expected.hashAlgorithm.oid))
    throw new TimestampError(
      'ERR_TSA_MISMATCH',
      `the token's hash algorithm ${hashAlgorithm.oid} is not the request's`,
    );
  if (!equalBytes(hashedMessage, expected.digest))
    throw new TimestampError('ERR_TSA_MISMATCH', "the token's messageImprint is not the request's digest");
  if (expected.nonce !== undefined && tst.nonce !== expected.nonce)
    throw new TimestampError(
      'ERR_TSA_MISMATCH',
      tst.nonce === undefined ? 'the token has no nonce' : "the token's nonce is not the request's",
    );
  if (expected.policy !== undefined && tst.policy !== expected.policy)
    throw new TimestampError('ERR_TSA_MISMATCH', `the token's policy ${tst.policy} is not the requested one`);
  if (expected.certReq && !tsaCertificate) throw badResponse('the TSA certificate asked for is not in the token');
}

/**
 * Reads a TimeStampToken obtained by any means and checks it against what was time-stamped:
 * the messageImprint (hash algorithm, parameters absent or NULL, and hash), and the nonce,
 * policy and presence of the TSA certificate when `expected` names them. The signature is not
 * verified (see the module doc).
 *
 * Standard: RFC 3161 §2.4.2.
 *
 * @throws {TimestampError} `ERR_TSA_BAD_RESPONSE` (the token does not decode, with the
 *   DecodeError as `cause`; a TSA certificate asked for is missing), `ERR_TSA_MISMATCH` (imprint,
 *   nonce or policy).
 * @example
 * ```ts
 * const t = checkTimestampToken(token, { digest, hashAlgorithm: gostr3411_2012_256 });
 * ```
 */
export function checkTimestampToken(token: Uint8Array, expected: TimestampExpectation): TimestampToken {
  checkDigest(expected.digest, expected.hashAlgorithm);
  if (!(token instanceof Uint8Array)) throw badResponse('the token is not bytes');
  let parsed: TimestampToken;
  try {
    parsed = parseTimestampToken(token);
  } catch (e) {
    if (e instanceof DecodeError) throw badResponse(`the token does not decode: ${e.message}`, e);
    throw e;
  }
  checkTstInfo(parsed.tstInfo, parsed.tsaCertificate, expected);
  return parsed;
}

function checkContentType(contentType: string | undefined): void {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (!type || !REPLY_TYPES.includes(type))
    throw badResponse(`content type ${JSON.stringify(contentType ?? '')}, expected application/timestamp-reply`);
}

/** The response's status and token, or the typed error. */
function readReply(body: Uint8Array): TimestampResponse & { token: Uint8Array; tstInfo: TstInfo } {
  let response: TimestampResponse;
  try {
    response = parseTimestampResponse(body);
  } catch (e) {
    if (e instanceof DecodeError) throw badResponse(`not a TimeStampResp: ${e.message}`, e);
    throw e;
  }
  const { status } = response;
  if (status.status !== 'granted' && status.status !== 'grantedWithMods') {
    const detail = [...status.failInfo, ...status.text].join('; ');
    throw new TimestampError('ERR_TSA_REJECTED', `the TSA answered ${status.status}${detail ? `: ${detail}` : ''}`, {
      status: status.status,
      failInfo: status.failInfo,
      statusText: status.text.length ? status.text.join('\n') : undefined,
    });
  }
  if (!response.token || !response.tstInfo) throw badResponse(`status ${status.status} without a token`);
  return response as TimestampResponse & { token: Uint8Array; tstInfo: TstInfo };
}

/**
 * Asks a TSA for a time-stamp token over `digest`: POSTs a TimeStampReq
 * (`application/timestamp-query`) through `fetcher` and checks the answer: HTTP 200 with type
 * `application/timestamp-reply` (the pre-RFC `application/timestamp-response` is accepted too),
 * status granted or grantedWithMods, a token present and well-formed, its messageImprint, nonce
 * and policy equal to the request's, and with `certReq` (the default) the TSA certificate in the
 * token. Time and size limits are the Fetcher's (`createFetcher` of `@eds/core/fetcher`). The
 * token's signature and the TSA's chain are left to the verifier (see the module doc).
 *
 * Standard: RFC 3161 §2.4, §3.4.
 *
 * @throws {TimestampError} `ERR_TSA_REJECTED` (status not granted: `status`, `failInfo`,
 *   `statusText`), `ERR_TSA_BAD_RESPONSE` (wrong status code or content type, not a
 *   TimeStampResp, no token, no TSA certificate though asked for), `ERR_TSA_MISMATCH`
 *   (messageImprint, nonce or policy not the request's).
 * @throws {FetchError} whatever the Fetcher refuses or fails with: timeout, size limit, HTTP
 *   status, host policy, offline, abort.
 * @throws {RangeError}, {TypeError} as {@link createTimestampRequest}, or without a Fetcher.
 * @example
 * ```ts
 * const fetcher = createFetcher({ timeoutMs: 10_000, maxBytes: 1 << 20 });
 * const { token, tstInfo } = await requestTimestamp({
 *   url: 'http://tsa.example.ru/tsp', fetcher, digest, hashAlgorithm: gostr3411_2012_256,
 * });
 * ```
 */
export async function requestTimestamp(options: RequestTimestampOptions): Promise<TimestampResult> {
  const { url, fetcher, signal } = options;
  if (!fetcher || typeof fetcher.fetch !== 'function')
    throw new TypeError('tsp: a Fetcher is required (createFetcher from @eds/core/fetcher)');
  if (typeof url !== 'string') throw new TypeError('tsp: url must be a string');
  const request = buildRequest(options);
  const response = await fetcher.fetch(url, {
    body: request.der,
    contentType: QUERY_TYPE,
    accept: REPLY_TYPES[0] as string,
    ...(signal ? { signal } : {}),
  });
  if (response.status !== 200) throw badResponse(`HTTP status ${response.status}, expected 200`);
  checkContentType(response.contentType);
  const reply = readReply(response.body);
  checkTstInfo(reply.tstInfo, reply.tsaCertificate, {
    digest: options.digest,
    hashAlgorithm: options.hashAlgorithm,
    nonce: request.nonce,
    policy: options.policy,
    certReq: options.certReq ?? true,
  });
  return { status: reply.status, token: reply.token, tstInfo: reply.tstInfo, tsaCertificate: reply.tsaCertificate };
}
