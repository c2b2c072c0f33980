// CAdES-T (ETSI EN 319 122-1 §5.3, RFC 5126 §6.1.1): the signature-time-stamp unsigned attribute over a SignerInfo's signature value, and signing at level BES or T.
/**
 * `@eds/core/cades` raises a CMS SignedData from CAdES-BES to CAdES-T: for a SignerInfo, a
 * time-stamp token from a TSA over the hash of its signature value, added as the unsigned
 * attribute id-aa-signatureTimeStampToken. Every other byte of the SignedData stays as it was,
 * and the SignerInfos keep their order. Input may be DER, BER, PEM or Base64; output is DER.
 *
 * @module
 */
import { type SignCmsOptions, signCms } from './cms';
import { findDigest, gostr3411_2012_256 } from './digests';
import { TimestampError } from './errors';
import type { Fetcher } from './fetcher';
import { encodeSignedData, encodeSignerInfo, parseSignedData, type SignerInfoView } from './signed-data';
import { checkTimestampToken, requestTimestamp } from './tsp';
import type { DigestAlgorithm } from './types';

/** id-aa-signatureTimeStampToken (RFC 5126 §6.1.1, ETSI EN 319 122-1 §5.3). */
export const OID_SIGNATURE_TIMESTAMP_TOKEN = '1.2.840.113549.1.9.16.2.14';
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

/** Options of {@link signCades}: those of `signCms` plus the level and, for T, the TSA. */
export interface SignCadesOptions extends SignCmsOptions {
  readonly level: 'BES' | 'T';
  /** Required for level T. */
  readonly tsa?: TimestampSource | undefined;
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

/**
 * Signs as CAdES: `level: 'BES'` is {@link signCms} with signed attributes; `level: 'T'` then
 * adds a signature time-stamp from `tsa` to every SignerInfo (see {@link addSignatureTimestamp}).
 * Any TSA failure rejects: no signature without its time-stamps is returned.
 *
 * Standard: ETSI EN 319 122-1 §4 (levels), §5.3; RFC 5652 §5.
 *
 * @throws {TypeError} an unknown level, level T without `tsa`, `signedAttributes: false`
 *   (CAdES needs signed attributes), and as `signCms`.
 * @throws {TimestampError}, {FetchError} from the TSA; the errors of `signCms`.
 * @example
 * ```ts
 * const p7s = await signCades({ content: bytes, signers: [signer], detached: true, level: 'T',
 *   tsa: { url: 'http://tsa.example.ru/tsp', fetcher: createFetcher({ timeoutMs: 10_000 }) } });
 * ```
 */
export async function signCades(options: SignCadesOptions): Promise<Uint8Array> {
  const { level, tsa, timestampHashAlgorithm, ...cmsOptions } = options;
  if (level !== 'BES' && level !== 'T') throw new TypeError(`cades: unknown level ${JSON.stringify(level)}`);
  if (options.signedAttributes === false) throw new TypeError('cades: CAdES needs signed attributes');
  if (level === 'T' && !tsa) throw new TypeError('cades: level T needs a tsa');
  const bes = await signCms(cmsOptions);
  if (level === 'BES') return bes;
  return timestampSigners(bes, 'all', tsa as TimestampSource, timestampHashAlgorithm, options.signal);
}
