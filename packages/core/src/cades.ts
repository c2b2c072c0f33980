// CAdES levels above BES (ETSI EN 319 122-1 §5.3-§5.5, RFC 5126 §6): the signature time-stamp (T), CAdES-X Long Type 1 and the baseline B-LT, and signing at any of these levels.
/**
 * `@eds/core/cades` raises a CMS SignedData from CAdES-BES to CAdES-T (a TSA's time-stamp over
 * a SignerInfo's signature value, unsigned attribute id-aa-signatureTimeStampToken), to
 * CAdES-X Long Type 1 (certificate and revocation references and values, and the CAdES-C
 * time-stamp over them, as Russian qualified-signature software makes) or to the ETSI baseline
 * B-LT (the certificates, CRLs and OCSP responses in the SignedData itself). Every other byte of
 * the SignedData stays as it was, and the SignerInfos keep their order. Input may be DER, BER,
 * PEM or Base64; output is DER. Certificates and revocation data are given by the caller (data
 * or a callback, for example `validationDataSource` of the verification package): this module
 * fetches nothing but time-stamps.
 *
 * @module
 */

import { concatBytes, equalBytes } from './_bytes';
import {
  type CollectedPath,
  certificateValues,
  collectPath,
  completeCertificateRefs,
  completeRevocationRefs,
  revocationValues,
  usedEvidence,
  type ValidationValues,
  valueCertificates,
} from './_validation-data';
import { decodeDer, der } from './asn1';
import { type SignCmsOptions, signCms } from './cms';
import { findDigest, gostr3411_2012_256 } from './digests';
import { TimestampError, ValidationDataError } from './errors';
import type { Fetcher } from './fetcher';
import {
  type CmsAttribute,
  encodeAttribute,
  encodeSignedData,
  encodeSignerInfo,
  parseSignedData,
  type SignedDataView,
  type SignerInfoView,
} from './signed-data';
import { checkTimestampToken, requestTimestamp } from './tsp';
import type { DigestAlgorithm } from './types';
import { type Certificate, parseCertificate } from './x509';

/** id-aa-signatureTimeStampToken (RFC 5126 §6.1.1, ETSI EN 319 122-1 §5.3). */
export const OID_SIGNATURE_TIMESTAMP_TOKEN = '1.2.840.113549.1.9.16.2.14';
/** id-aa-ets-certificateRefs: complete-certificate-references (RFC 5126 §6.2.1). */
export const OID_COMPLETE_CERTIFICATE_REFS = '1.2.840.113549.1.9.16.2.21';
/** id-aa-ets-revocationRefs: complete-revocation-references (RFC 5126 §6.2.2). */
export const OID_COMPLETE_REVOCATION_REFS = '1.2.840.113549.1.9.16.2.22';
/** id-aa-ets-certValues: certificate-values (RFC 5126 §6.3.3). */
export const OID_CERTIFICATE_VALUES = '1.2.840.113549.1.9.16.2.23';
/** id-aa-ets-revocationValues: revocation-values (RFC 5126 §6.3.4). */
export const OID_REVOCATION_VALUES = '1.2.840.113549.1.9.16.2.24';
/** id-aa-ets-escTimeStamp: the CAdES-C time-stamp of CAdES-X Type 1 (RFC 5126 §6.3.5). */
export const OID_ESC_TIMESTAMP = '1.2.840.113549.1.9.16.2.25';
/** id-ri-ocsp-response: an OCSPResponse as OtherRevocationInfoFormat in SignedData.crls (RFC 5940 §2.1). */
export const OID_RI_OCSP_RESPONSE = '1.3.6.1.5.5.7.16.2';
/** GOST R 34.11-94: CAdES time-stamps of GOST 2001 signatures use Streebog-256 instead. */
const OID_GOSTR3411_94 = '1.2.643.2.2.9';

/** A TSA reached over HTTP through an injected {@link Fetcher} (see `requestTimestamp` of `@eds/core/tsp`). */
export interface TsaEndpoint {
  readonly url: string;
  /** The network boundary: `createFetcher` of `@eds/core/fetcher` gives time and size limits. */
  readonly fetcher: Fetcher;
  /** reqPolicy to ask for. */
  readonly policy?: string | undefined;
  /** Ask for the TSA certificate in the token (default true). */
  readonly certReq?: boolean | undefined;
}

/**
 * Where time-stamps come from: a TSA endpoint, or a function that returns a DER TimeStampToken
 * over `digest` (a token service, a test double). A function's token is checked like a TSA's:
 * it must decode and carry `digest` and `hashAlgorithm` as its messageImprint.
 */
export type TimestampSource =
  | TsaEndpoint
  | ((digest: Uint8Array, hashAlgorithm: DigestAlgorithm, signal?: AbortSignal) => Promise<Uint8Array>);

/** Options of {@link addSignatureTimestamp}. */
export interface AddSignatureTimestampOptions {
  readonly tsa: TimestampSource;
  /** Which SignerInfo, in the order of the input (default 0). */
  readonly signerIndex?: number | undefined;
  /** The time-stamp hash (default: the SignerInfo's digest algorithm; Streebog-256 for GOST R 34.11-94). */
  readonly hashAlgorithm?: DigestAlgorithm | undefined;
  readonly signal?: AbortSignal | undefined;
}

export type { ValidationValues } from './_validation-data';

/** What a {@link ValidationDataSource} callback is asked for: one signer's data. */
export interface ValidationDataRequest {
  /** The signer's DER certificate. */
  readonly signerCertificate: Uint8Array;
  /** The SignedData's certificates (the signer's among them). */
  readonly certificates: readonly Uint8Array[];
  /** The SignerInfo's signature time-stamp tokens (DER), whose TSA data B-LT may also carry. */
  readonly timestampTokens: readonly Uint8Array[];
  readonly signal?: AbortSignal | undefined;
}

/**
 * Where the certificates and revocation data of CAdES-X Long Type 1 and B-LT come from: the data
 * itself, or a function that returns it for a signer (the verification package's
 * `validationDataSource`, a cache, a CA's service).
 */
export type ValidationDataSource = ValidationValues | ((request: ValidationDataRequest) => Promise<ValidationValues>);

/** Options of {@link addValidationData}. */
export interface AddValidationDataOptions {
  /**
   * `XLT1`: CAdES-X Long Type 1 (RFC 5126 §4.4.3.2, §6.2, §6.3): complete-certificate-references,
   * complete-revocation-references, the CAdES-C time-stamp (id-aa-ets-escTimeStamp) from `tsa`,
   * certificate-values and revocation-values as unsigned attributes. The values hold what the
   * references name, then every other certificate and CRL/OCSP response `revocation` gave (the
   * TSA's chain and status, so that the time-stamp can be validated offline too).
   * `LT`: ETSI EN 319 122-1 B-LT (§6.3 level requirements): the certificates in
   * SignedData.certificates, the CRLs and OCSP responses in SignedData.crls (OCSP as
   * id-ri-ocsp-response, RFC 5940), and everything else `revocation` gave (for example the TSA's
   * chain and revocation data) alongside.
   */
  readonly level: 'XLT1' | 'LT';
  readonly revocation: ValidationDataSource;
  /** Required for XLT1: the TSA of the CAdES-C time-stamp. */
  readonly tsa?: TimestampSource | undefined;
  /** Which SignerInfo, in the order of the input (default 0). */
  readonly signerIndex?: number | undefined;
  /** The hash of the references and of the CAdES-C time-stamp (default as for the signature time-stamp). */
  readonly hashAlgorithm?: DigestAlgorithm | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** Options of {@link signCades}: those of `signCms` plus the level, the TSA and, for XLT1 and LT, the validation data. */
export interface SignCadesOptions extends SignCmsOptions {
  readonly level: 'BES' | 'T' | 'XLT1' | 'LT';
  /** Required for levels T, XLT1 and LT. */
  readonly tsa?: TimestampSource | undefined;
  /** Required for levels XLT1 and LT: asked once per signer. */
  readonly revocation?: ValidationDataSource | undefined;
  /** The time-stamp hash for every signer (default: each signer's digest). */
  readonly timestampHashAlgorithm?: DigestAlgorithm | undefined;
}

// ---------------------------------------------------------------------------------------------
// Time-stamping

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('time-stamping was aborted', 'AbortError');
}

/** The default time-stamp hash for a SignerInfo: its own digest, Streebog-256 in place of GOST R 34.11-94. */
function defaultHash(si: SignerInfoView): DigestAlgorithm {
  const oid = si.digestAlgorithm.oid;
  return oid === OID_GOSTR3411_94 ? gostr3411_2012_256 : findDigest(oid);
}

function isEndpoint(tsa: TimestampSource): tsa is TsaEndpoint {
  return typeof tsa === 'object' && tsa !== null && typeof (tsa as TsaEndpoint).url === 'string';
}

/** A checked DER TimeStampToken over `digest`. */
async function obtainToken(
  tsa: TimestampSource,
  digest: Uint8Array,
  hashAlgorithm: DigestAlgorithm,
  signal: AbortSignal | undefined,
): Promise<Uint8Array> {
  if (isEndpoint(tsa)) {
    const { url, fetcher, policy, certReq } = tsa;
    return (await requestTimestamp({ url, fetcher, policy, certReq, digest, hashAlgorithm, signal })).token;
  }
  if (typeof tsa !== 'function') throw new TypeError('cades: tsa must be { url, fetcher } or a function');
  const token = await tsa(digest, hashAlgorithm, signal);
  if (!(token instanceof Uint8Array))
    throw new TimestampError('ERR_TSA_BAD_RESPONSE', 'the time-stamp source returned no token bytes');
  return checkTimestampToken(token, { digest, hashAlgorithm }).der;
}

/** Time-stamps the SignerInfos at `indices` and returns the new ContentInfo; all else keeps its bytes and order. */
async function timestampSigners(
  cms: Uint8Array | string,
  indices: readonly number[] | 'all',
  tsa: TimestampSource,
  hashAlgorithm: DigestAlgorithm | undefined,
  signal: AbortSignal | undefined,
): Promise<Uint8Array> {
  throwIfAborted(signal);
  const parsed = parseSignedData(cms);
  const infos: Uint8Array[] = parsed.signerInfos.map((s) => s.raw);
  for (const i of indices === 'all' ? infos.keys() : indices) {
    const si = parsed.signerInfos[i];
    if (!si) throw new RangeError(`cades: no SignerInfo at index ${i} (there are ${infos.length})`);
    const hash = hashAlgorithm ?? defaultHash(si);
    const token = await obtainToken(tsa, hash.digest(si.signature), hash, signal);
    throwIfAborted(signal);
    // Appended after the unsigned attributes already there: their order carries meaning (ETSI EN 319 122-1 §5.5).
    const list = [...(si.unsignedAttrs?.list ?? []), { oid: OID_SIGNATURE_TIMESTAMP_TOKEN, values: [token] }];
    infos[i] = encodeSignerInfo({ ...si, unsignedAttrs: { list } });
  }
  return encodeSignedData({ ...parsed, signerInfos: infos });
}

function checkIndex(signerIndex: number | undefined): number {
  const i = signerIndex ?? 0;
  if (!Number.isSafeInteger(i) || i < 0) throw new RangeError('cades: signerIndex must be a non-negative integer');
  return i;
}

/**
 * Adds a CAdES signature time-stamp to one SignerInfo of a DER CMS SignedData: the hash of the
 * SignerInfo's signature value (the OCTET STRING contents) is time-stamped by `tsa`, and the
 * token goes into that SignerInfo's unsignedAttrs as id-aa-signatureTimeStampToken
 * (1.2.840.113549.1.9.16.2.14), after any unsigned attributes already there. Every other
 * SignerInfo, the certificates, CRLs and the content keep their bytes. Nothing is returned
 * unless the TSA answered with a token that passes the checks of `requestTimestamp`.
 *
 * Standard: ETSI EN 319 122-1 §5.3 (signature-time-stamp); RFC 5126 §6.1.1; RFC 3161.
 *
 * ```asn1
 * SignatureTimeStampToken ::= TimeStampToken
 * ```
 *
 * @throws {DecodeError} when `cms` is not a DER ContentInfo with SignedData.
 * @throws {RangeError} a `signerIndex` past the SignerInfos.
 * @throws {UnsupportedAlgorithmError} a SignerInfo digest algorithm with no known hash (pass `hashAlgorithm`).
 * @throws {TimestampError}, {FetchError} from the TSA exchange (see `requestTimestamp`).
 * @throws the signal's reason when `signal` aborts.
 * @example
 * ```ts
 * const cadesT = await addSignatureTimestamp(p7s, { tsa: { url: 'http://tsa.example.ru/tsp', fetcher: createFetcher() } });
 * ```
 */
export async function addSignatureTimestamp(
  cms: Uint8Array | string,
  options: AddSignatureTimestampOptions,
): Promise<Uint8Array> {
  const index = checkIndex(options.signerIndex);
  return timestampSigners(cms, [index], options.tsa, options.hashAlgorithm, options.signal);
}

// ---------------------------------------------------------------------------------------------
// CAdES-X Long Type 1 and B-LT

/** The certificate a SignerInfo's sid names, among `certificates`. */
function signerCertificate(si: SignerInfoView, certificates: readonly Uint8Array[]): Certificate {
  const sid = si.sid;
  for (const raw of certificates) {
    let c: Certificate;
    try {
      c = parseCertificate(raw);
    } catch {
      continue;
    }
    const ski = c.subjectKeyIdentifier;
    const match =
      'subjectKeyIdentifier' in sid
        ? ski !== undefined && equalBytes(ski, sid.subjectKeyIdentifier)
        : c.serialNumber === sid.serialNumber && equalBytes(c.issuer.raw, sid.issuer);
    if (match) return c;
  }
  throw new ValidationDataError(
    'ERR_VALIDATION_DATA_INCOMPLETE',
    "cades: the signer's certificate is not in the SignedData",
  );
}

/** An attribute's DER without its outer SEQUENCE header: attrType and attrValues TLVs (ETSI EN 319 122-1 A.1.5). */
function attributeContents(a: CmsAttribute): Uint8Array {
  return decodeDer(encodeAttribute(a), 'Attribute').value;
}

function has(si: SignerInfoView, oid: string): boolean {
  return si.unsignedAttrs?.list.some((a) => a.oid === oid) ?? false;
}

/** The unsigned attributes of CAdES-X Long Type 1 after those already there (RFC 5126 §6.2, §6.3). */
async function xLongType1(
  si: SignerInfoView,
  path: CollectedPath,
  sigTs: readonly CmsAttribute[],
  options: AddValidationDataOptions,
): Promise<CmsAttribute[]> {
  if (!options.tsa) throw new TypeError('cades: level XLT1 needs a tsa for the CAdES-C time-stamp');
  const hash = options.hashAlgorithm ?? defaultHash(si);
  const certRefs = { oid: OID_COMPLETE_CERTIFICATE_REFS, values: [completeCertificateRefs(path, hash)] };
  const revRefs = { oid: OID_COMPLETE_REVOCATION_REFS, values: [completeRevocationRefs(path, hash)] };
  const covered = [si.signature, ...[...sigTs, certRefs, revRefs].map(attributeContents)];
  const token = await obtainToken(options.tsa, hash.digest(concatBytes(covered)), hash, options.signal);
  return [
    certRefs,
    revRefs,
    { oid: OID_ESC_TIMESTAMP, values: [token] },
    { oid: OID_CERTIFICATE_VALUES, values: [certificateValues(valueCertificates(path))] },
    { oid: OID_REVOCATION_VALUES, values: [revocationValues(path)] },
  ];
}

function appendNew(list: Uint8Array[], items: readonly Uint8Array[]): void {
  for (const item of items) if (!list.some((x) => equalBytes(x, item))) list.push(item);
}

/** B-LT: the path, its evidence and every other supplied item into SignedData.certificates and .crls (RFC 5652 §10.2.1, RFC 5940 §2.1). */
function baselineLt(sd: Extending, path: CollectedPath): Extending {
  const certificates = [...sd.certificates];
  appendNew(certificates, [path.signer.raw, ...path.chain.map((c) => c.raw), ...path.pool.map((c) => c.raw)]);
  const used = usedEvidence(path);
  const crls = [...sd.crls];
  appendNew(
    crls,
    [...used.crls, ...path.crls].map((c) => c.raw),
  );
  const ocsp = [...new Set([...used.ocsp, ...path.ocsp])].map((b) => path.ocspResponse.get(b) as Uint8Array);
  appendNew(
    crls,
    ocsp.map((r) => der.tlv(0xa1, der.oid(OID_RI_OCSP_RESPONSE), r)),
  );
  // A RevocationInfoChoice of type other makes the SignedData version 5 (RFC 5652 §5.1).
  const version = crls.some((c) => c[0] === 0xa1) ? Math.max(sd.version, 5) : sd.version;
  return { ...sd, version, certificates, crls };
}

/** A SignedData being extended: SignerInfos already rewritten are DER. */
type Extending = Omit<SignedDataView, 'signerInfos'> & {
  readonly signerInfos: readonly (SignerInfoView | Uint8Array)[];
};

/** Adds XLT1 or B-LT validation data for the SignerInfo at `index` of `sd`. */
async function extendSigner(sd: Extending, index: number, options: AddValidationDataOptions): Promise<Extending> {
  const si = sd.signerInfos[index];
  if (si instanceof Uint8Array) throw new TypeError(`cades: SignerInfo ${index} was extended already`);
  if (!si) throw new RangeError(`cades: no SignerInfo at index ${index} (there are ${sd.signerInfos.length})`);
  const sigTs = si.unsignedAttrs?.list.filter((a) => a.oid === OID_SIGNATURE_TIMESTAMP_TOKEN) ?? [];
  if (sigTs.length === 0)
    throw new TypeError(`cades: level ${options.level} needs a signature time-stamp first (level T)`);
  if (options.level === 'XLT1' && (has(si, OID_COMPLETE_CERTIFICATE_REFS) || has(si, OID_ESC_TIMESTAMP)))
    throw new TypeError('cades: the SignerInfo already has CAdES-C references or time-stamp');
  const signer = signerCertificate(si, sd.certificates);
  const source = options.revocation;
  const values =
    typeof source === 'function'
      ? await source({
          signerCertificate: signer.raw,
          certificates: sd.certificates,
          timestampTokens: sigTs.flatMap((a) => a.values),
          signal: options.signal,
        })
      : source;
  throwIfAborted(options.signal);
  const path = collectPath(signer, values, sd.certificates);
  if (options.level === 'LT') return baselineLt(sd, path);
  const added = await xLongType1(si, path, sigTs, options);
  throwIfAborted(options.signal);
  const list = [...(si.unsignedAttrs?.list ?? []), ...added];
  const signerInfos = sd.signerInfos.map((s, i) =>
    i === index ? encodeSignerInfo({ ...si, unsignedAttrs: { list } }) : s,
  );
  return { ...sd, signerInfos };
}

function checkLevel(level: unknown, allowed: readonly string[]): void {
  if (!allowed.includes(level as string)) throw new TypeError(`cades: unknown level ${JSON.stringify(level)}`);
}

/**
 * Raises one SignerInfo of a CAdES-T SignedData to CAdES-X Long Type 1 or to B-LT with the
 * certificates and revocation data `revocation` gives. The signer's path is ordered from them
 * (name chaining, AKI/SKI) up to a self-issued anchor, and every certificate but the anchor must
 * be covered by a CRL or a good OCSP answer; revoked or held certificates are refused. For XLT1
 * the references hash with the signer's digest (Streebog-256 for GOST, SHA-1 as the bare
 * sha1Hash form) over the whole certificate, CRL and BasicOCSPResponse; the CAdES-C time-stamp
 * covers the signature value, the signature time-stamp attributes and both reference attributes
 * (each as attrType and attrValues, ETSI EN 319 122-1 A.1.5). Nothing is returned unless every
 * step succeeded. The data is not validated here (signatures, times): pass what a verifier
 * accepted.
 *
 * Standard: RFC 5126 §4.4.3.2, §6.2.1-§6.3.5; ETSI EN 319 122-1 §5.4, §5.5, §6.3 (B-LT); RFC 5940 §2.1.
 *
 * ```asn1
 * CompleteCertificateRefs ::= SEQUENCE OF OtherCertID
 * CompleteRevocationRefs ::= SEQUENCE OF CrlOcspRef
 * CertificateValues ::= SEQUENCE OF Certificate
 * RevocationValues ::= SEQUENCE { crlVals [0] SEQUENCE OF CertificateList OPTIONAL,
 *   ocspVals [1] SEQUENCE OF BasicOCSPResponse OPTIONAL, otherRevVals [2] OtherRevVals OPTIONAL }
 * ESCTimeStampToken ::= TimeStampToken
 * ```
 *
 * @throws {TypeError} no signature time-stamp yet, XLT1 without `tsa` or on a SignerInfo that already has references, an unknown level.
 * @throws {RangeError} a `signerIndex` past the SignerInfos; more than 1,000 certificates, CRLs or OCSP responses.
 * @throws {ValidationDataError} an incomplete path or uncovered certificate (`ERR_VALIDATION_DATA_INCOMPLETE`), a revoked one
 *   (`ERR_VALIDATION_DATA_REVOKED`), data that does not decode or an unsuccessful OCSP response (`ERR_VALIDATION_DATA_UNUSABLE`).
 * @throws {DecodeError} when `cms` is not a ContentInfo with SignedData.
 * @throws {TimestampError}, {FetchError} from the TSA; the signal's reason when `signal` aborts.
 * @example
 * ```ts
 * const xlt1 = await addValidationData(cadesT, {
 *   level: 'XLT1', tsa, revocation: { certificates: [caCert, rootCert], ocspResponses: [ocsp], crls: [rootCrl] },
 * });
 * ```
 */
export async function addValidationData(
  cms: Uint8Array | string,
  options: AddValidationDataOptions,
): Promise<Uint8Array> {
  checkLevel(options.level, ['XLT1', 'LT']);
  throwIfAborted(options.signal);
  const sd = await extendSigner(parseSignedData(cms), checkIndex(options.signerIndex), options);
  return encodeSignedData(sd);
}

/**
 * Signs as CAdES: `level: 'BES'` is {@link signCms} with signed attributes; `level: 'T'` then
 * adds a signature time-stamp from `tsa` to every SignerInfo (see {@link addSignatureTimestamp});
 * `XLT1` and `LT` then add the validation data of {@link addValidationData} for every signer.
 * Any TSA or validation-data failure rejects: nothing short of the level asked for is returned.
 *
 * Standard: ETSI EN 319 122-1 §4 (levels), §5.3-§5.5; RFC 5126 §4.4; RFC 5652 §5.
 *
 * @throws {TypeError} an unknown level, a level above BES without `tsa`, XLT1 or LT without `revocation`,
 *   `signedAttributes: false` (CAdES needs signed attributes), and as `signCms`.
 * @throws {TimestampError}, {FetchError} from the TSA; {ValidationDataError} as `addValidationData`; the errors of `signCms`.
 * @example
 * ```ts
 * const p7s = await signCades({ content: bytes, signers: [signer], detached: true, level: 'T',
 *   tsa: { url: 'http://tsa.example.ru/tsp', fetcher: createFetcher({ timeoutMs: 10_000 }) } });
 * ```
 */
export async function signCades(options: SignCadesOptions): Promise<Uint8Array> {
  const { level, tsa, revocation, timestampHashAlgorithm, ...cmsOptions } = options;
  checkLevel(level, ['BES', 'T', 'XLT1', 'LT']);
  if (options.signedAttributes === false) throw new TypeError('cades: CAdES needs signed attributes');
  if (level !== 'BES' && !tsa) throw new TypeError(`cades: level ${level} needs a tsa`);
  if ((level === 'XLT1' || level === 'LT') && !revocation)
    throw new TypeError(`cades: level ${level} needs revocation data`);
  const bes = await signCms(cmsOptions);
  if (level === 'BES') return bes;
  const cadesT = await timestampSigners(bes, 'all', tsa as TimestampSource, timestampHashAlgorithm, options.signal);
  if (level === 'T') return cadesT;
  let sd: Extending = parseSignedData(cadesT);
  const extend = {
    level,
    tsa,
    revocation: revocation as ValidationDataSource,
    hashAlgorithm: timestampHashAlgorithm,
    signal: options.signal,
  };
  for (let i = 0; i < sd.signerInfos.length; i++) sd = await extendSigner(sd, i, extend);
  return encodeSignedData(sd);
}
