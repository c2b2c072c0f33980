// CMS SignedData signing (RFC 5652 §5, §11.4) with CAdES-BES signed attributes (ETSI EN 319 122-1 §5.2, RFC 5035): attached, detached, streamed, co-signed, countersigned.
/**
 * `@eds/core/cms` makes CMS SignedData in a ContentInfo, DER: CAdES-BES signatures (contentType,
 * messageDigest, signingTime, signingCertificateV2, optional signature policy) or plain CMS
 * signatures without signed attributes, by one or more {@link Signer}s, over bytes or a stream;
 * adds a parallel signer to an existing SignedData without touching the signers already in it;
 * and countersigns a chosen signer (RFC 5652 §11.4). Existing CMS may be DER or BER (read with
 * `@eds/core/signed-data`); the output is DER.
 *
 * @module
 */
import { compareBytes, concatBytes, equalBytes } from './_bytes';
import {
  type CertificateParts,
  type ContentHints,
  certificateParts,
  checkCertificateKey,
  contentHintsAttribute,
  contentTypeAttribute,
  essCertIdHash,
  messageDigestAttribute,
  type SignaturePolicy,
  signaturePolicyAttribute,
  signingCertificateV2Attribute,
  signingTimeAttribute,
} from './_cms-attributes';
import { der } from './asn1';
import { sha512 } from './digests';
import { base64Encode, encodePem } from './encoding';
import { KeyMismatchError, UnsupportedAlgorithmError } from './errors';
import {
  type CmsAttribute,
  encodeSignedData,
  encodeSignerInfo,
  OID_COUNTERSIGNATURE,
  parseSignedData,
} from './signed-data';
import type { DigestAlgorithm, Signer } from './types';

export type { ContentHints, SignaturePolicy } from './_cms-attributes';

const OID_DATA = '1.2.840.113549.1.7.1';
/** At most this many signers in one call, and this many certificates written. */
const MAX_SIGNERS = 64;
const MAX_CERTIFICATES = 1000;
/** Longest issuer chain followed for `includeCertificates: 'chain'`. */
const MAX_CHAIN = 16;

/** Content to sign: bytes, a WHATWG ReadableStream, or any async iterable of byte chunks. */
export type CmsContent = Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/**
 * Which certificates go into SignedData.certificates:
 * - `signer` (default): each signer's certificate, plus every certificate of `certificates`;
 * - `chain`: each signer's certificate and its issuers found in `certificates` (a pool: only the
 *   certificates on a signer's issuer chain, up to a self-signed root, are written);
 * - `none`: no signer certificate; only `certificates` when given.
 */
export type IncludeCertificates = 'signer' | 'chain' | 'none';

/** Options shared by {@link signCms} and {@link addSigner}. */
export interface CmsSignOptions {
  /**
   * `true` (default): CAdES-BES signed attributes, the signature is over their DER. `false`:
   * a plain CMS signature over the content itself (RFC 5652 §5.4), for systems that expect
   * it; only for content type id-data. A detached stream or a precomputed `digest` then
   * needs a signer with `signDigest` (not Ed25519).
   */
  readonly signedAttributes?: boolean | undefined;
  /** signingTime attribute (default: now). UTCTime through 2049, GeneralizedTime after. */
  readonly signingTime?: Date | undefined;
  /** An explicit SignaturePolicyIdentifier attribute (ETSI EN 319 122-1 §5.2.9.1). */
  readonly policy?: SignaturePolicy | undefined;
  /** A content-hints attribute: a description (the file name) and type of the content (RFC 2634 §2.9). */
  readonly contentHints?: ContentHints | undefined;
  readonly includeCertificates?: IncludeCertificates | undefined;
  /** Extra certificates (DER), see {@link IncludeCertificates}. */
  readonly certificates?: readonly Uint8Array[] | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** Options of {@link signCms}: exactly one of `content` and `digest`. */
export interface SignCmsOptions extends CmsSignOptions {
  /**
   * The content. A stream is read once, hashed chunk by chunk for all signers together; when
   * detached it is never held in memory, when attached it is collected into the output (memory
   * grows with its size: use `detached` for large files).
   */
  readonly content?: CmsContent | undefined;
  /** A precomputed message digest (for `detached` only); every signer must use its hash. */
  readonly digest?: Uint8Array | undefined;
  /** Each must have a `certificate` that carries its public key. */
  readonly signers: readonly Signer[];
  /** Leave the content out of the SignedData (default false). */
  readonly detached?: boolean | undefined;
  /** eContentType OID (default id-data 1.2.840.113549.1.7.1). */
  readonly contentType?: string | undefined;
}

/** Options of {@link addSigner}. */
export interface AddSignerOptions extends CmsSignOptions {
  readonly signer: Signer;
  /** The content, for a detached CMS (exactly one of `content` and `digest`); not for an attached one. */
  readonly content?: CmsContent | undefined;
  /** The precomputed message digest, for a detached CMS. */
  readonly digest?: Uint8Array | undefined;
}

/** A signer with what signing needs from it. */
interface Prepared {
  readonly signer: Signer;
  readonly cert: CertificateParts;
  readonly digest: DigestAlgorithm;
}

/** The content as signing needs it: its digest per digest OID and, when held, its bytes (a streamed content as its chunks). */
interface Material {
  readonly digests: ReadonlyMap<string, Uint8Array>;
  readonly bytes?: Uint8Array | readonly Uint8Array[] | undefined;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('signing was aborted', 'AbortError');
}

/** The hash a signer signs with: its algorithm's, or SHA-512 for Ed25519 (RFC 8419 §3). */
function digestOf(signer: Signer): DigestAlgorithm {
  const d = signer.algorithm.digest;
  if (d) return d;
  if (signer.algorithm.keyType === 'ed25519') return sha512;
  throw new UnsupportedAlgorithmError({}, `${signer.algorithm.name}: no digest algorithm for CMS`);
}

function prepare(signer: Signer): Prepared {
  if (!signer || typeof signer.sign !== 'function' || !signer.algorithm || !signer.publicKey)
    throw new TypeError('cms: each signer must be a Signer');
  if (!(signer.certificate instanceof Uint8Array)) throw new TypeError('cms: a signer has no certificate');
  const cert = certificateParts(signer.certificate);
  checkCertificateKey(cert, signer.publicKey);
  return { signer, cert, digest: digestOf(signer) };
}

// ---------------------------------------------------------------------------------------------
// Content

function isReadableStream(c: unknown): c is ReadableStream<Uint8Array> {
  return typeof (c as ReadableStream | undefined)?.getReader === 'function';
}

/** Rejects when `signal` aborts, so that a stalled stream does not hold the caller. */
function abortRace<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new DOMException('signing was aborted', 'AbortError'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** One way to pull chunks from a ReadableStream or an async iterable, and to stop it. */
interface Pull {
  next(): Promise<{ done?: boolean | undefined; value?: unknown }>;
  stop(reason: unknown): Promise<void>;
  release(): void;
}

function puller(content: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): Pull {
  if (isReadableStream(content)) {
    const reader = content.getReader();
    return {
      next: () => reader.read(),
      stop: (reason) => reader.cancel(reason).catch(() => {}),
      release: () => reader.releaseLock(),
    };
  }
  if (typeof content?.[Symbol.asyncIterator] !== 'function')
    throw new TypeError('cms: content must be a Uint8Array, a ReadableStream or an async iterable');
  const it = content[Symbol.asyncIterator]();
  return {
    next: () => it.next(),
    stop: async () => {
      try {
        await it.return?.();
      } catch {
        // the source failed while stopping; the first error is the one reported
      }
    },
    release: () => {},
  };
}

/** Feeds every chunk of a stream to `onChunk`; on failure or abort the source is cancelled. */
async function readStream(
  content: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  onChunk: (chunk: Uint8Array) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  const source = puller(content);
  try {
    for (;;) {
      const { done, value } = await abortRace(source.next(), signal);
      if (done) break;
      if (!(value instanceof Uint8Array)) throw new TypeError('cms: a content chunk is not a Uint8Array');
      throwIfAborted(signal);
      onChunk(value);
    }
  } catch (e) {
    await source.stop(e);
    throw e;
  } finally {
    source.release();
  }
}

/** Hashes the content once for every distinct digest; keeps the bytes when `keep`. */
async function digestContent(
  content: CmsContent,
  algorithms: readonly DigestAlgorithm[],
  keep: boolean,
  signal: AbortSignal | undefined,
): Promise<Material> {
  const distinct = [...new Map(algorithms.map((a) => [a.oid, a])).values()];
  if (content instanceof Uint8Array) {
    return { digests: new Map(distinct.map((a) => [a.oid, a.digest(content)])), bytes: content };
  }
  const hashers = distinct.map((a) => [a.oid, a.create()] as const);
  const chunks: Uint8Array[] = [];
  await readStream(
    content,
    (chunk) => {
      for (const [, h] of hashers) h.update(chunk);
      if (keep) {
        chunks.push(chunk.slice()); // the stream may reuse its buffer
      }
    },
    signal,
  );
  const digests = new Map(hashers.map(([oid, h]) => [oid, h.digest()]));
  return keep ? { digests, bytes: chunks } : { digests };
}

/**
 * Hashes a content with several digest algorithms in one pass: bytes, a ReadableStream or an
 * async iterable of any size, never held whole. What verifiers need to check the messageDigest
 * of every SignerInfo of a detached signature over a large file.
 *
 * Standard: RFC 5652 §5.4 (the message digest calculation process).
 *
 * @throws {TypeError} a content that is none of these, or a chunk that is not a Uint8Array.
 * @throws the stream's error, or the signal's reason when `signal` aborts (the stream is cancelled).
 * @example
 * ```ts
 * const digests = await hashContent(file.stream(), [gostr3411_2012_256, sha256]);
 * digests.get(gostr3411_2012_256.oid); // Uint8Array(32)
 * ```
 */
export async function hashContent(
  content: CmsContent,
  algorithms: readonly DigestAlgorithm[],
  options: { readonly signal?: AbortSignal | undefined } = {},
): Promise<ReadonlyMap<string, Uint8Array>> {
  return (await digestContent(content, algorithms, false, options.signal)).digests;
}

/** The content or precomputed digest, checked against the signers; the stream is read here. */
async function material(
  input: { content?: CmsContent | undefined; digest?: Uint8Array | undefined },
  prepared: readonly Prepared[],
  keep: boolean,
  signal: AbortSignal | undefined,
): Promise<Material> {
  const { content, digest } = input;
  if ((content === undefined) === (digest === undefined))
    throw new TypeError('cms: pass exactly one of content and digest');
  if (digest === undefined)
    return digestContent(
      content as CmsContent,
      prepared.map((p) => p.digest),
      keep,
      signal,
    );
  if (!(digest instanceof Uint8Array)) throw new TypeError('cms: digest must be a Uint8Array');
  const oids = new Set(prepared.map((p) => p.digest.oid));
  if (oids.size > 1) throw new TypeError('cms: one precomputed digest cannot serve signers with different hashes');
  const alg = (prepared[0] as Prepared).digest;
  if (digest.length !== alg.size)
    throw new RangeError(`cms: expected a ${alg.size}-byte ${alg.name} digest, got ${digest.length} bytes`);
  return { digests: new Map([[alg.oid, digest]]) };
}

// ---------------------------------------------------------------------------------------------
// SignerInfo

interface SignerInfoOptions {
  readonly contentType: string;
  readonly signedAttributes: boolean;
  readonly signingTime: Date;
  readonly policy?: SignaturePolicy | undefined;
  readonly contentHints?: ContentHints | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** The DER SET OF signed attributes (tag 0x31), sorted once: exactly the bytes signed (gost.md §5 pitfall 8). */
function signedAttributeSet(p: Prepared, digest: Uint8Array, o: SignerInfoOptions): Uint8Array {
  const attrs = [
    contentTypeAttribute(o.contentType),
    messageDigestAttribute(digest),
    signingTimeAttribute(o.signingTime),
    signingCertificateV2Attribute(p.cert, essCertIdHash(p.signer.publicKey, p.digest)),
  ];
  if (o.policy) attrs.push(signaturePolicyAttribute(o.policy));
  if (o.contentHints) attrs.push(contentHintsAttribute(o.contentHints));
  return der.setOf(...attrs);
}

/** Signs, then checks the signature with the certificate's key (a signer signing with another key is caught here). */
async function signAndCheck(
  p: Prepared,
  data: Uint8Array,
  isDigest: boolean,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const opts = signal ? { signal } : undefined;
  const { signer } = p;
  const signature = isDigest
    ? await (signer.signDigest as NonNullable<Signer['signDigest']>).call(signer, data, opts)
    : await signer.sign(data, opts);
  throwIfAborted(signal);
  const alg = signer.algorithm;
  const ok = isDigest
    ? alg.verifyDigest
      ? await alg.verifyDigest(signer.publicKey, data, signature)
      : true
    : await alg.verify(signer.publicKey, data, signature);
  if (!ok) throw new KeyMismatchError("the signature does not verify with the signer's certificate");
  return signature;
}

/** A v1 SignerInfo over a DER SET OF signed attributes, written back as `[0]` (RFC 5652 §5.3, §5.4). */
async function signedSignerInfo(p: Prepared, set: Uint8Array, signal: AbortSignal | undefined): Promise<Uint8Array> {
  const signature = await signAndCheck(p, set, false, signal);
  const implicit = set.slice();
  implicit[0] = 0xa0;
  return signerInfoOf(p, [implicit], signature);
}

/**
 * ```asn1
 * SignerInfo ::= SEQUENCE { version CMSVersion, sid SignerIdentifier, digestAlgorithm DigestAlgorithmIdentifier,
 *   signedAttrs [0] IMPLICIT SignedAttributes OPTIONAL, signatureAlgorithm SignatureAlgorithmIdentifier,
 *   signature SignatureValue, unsignedAttrs [1] IMPLICIT UnsignedAttributes OPTIONAL }
 * IssuerAndSerialNumber ::= SEQUENCE { issuer Name, serialNumber CertificateSerialNumber }
 * ```
 */
function signerInfoOf(p: Prepared, signed: Uint8Array[], signature: Uint8Array): Uint8Array {
  const sid = der.seq(p.cert.issuer, p.cert.serial);
  const digestAlgorithm = der.seq(der.oid(p.digest.oid));
  return der.seq(der.int(1), sid, digestAlgorithm, ...signed, p.signer.algorithm.identifier(), der.octets(signature));
}

async function signerInfo(p: Prepared, m: Material, o: SignerInfoOptions): Promise<Uint8Array> {
  const digest = m.digests.get(p.digest.oid) as Uint8Array;
  if (o.signedAttributes) return signedSignerInfo(p, signedAttributeSet(p, digest, o), o.signal);
  // A plain signature over content held in chunks: the signer needs it in one piece.
  const bytes = Array.isArray(m.bytes) ? concatBytes(m.bytes) : (m.bytes as Uint8Array | undefined);
  const signature = bytes
    ? await signAndCheck(p, bytes, false, o.signal)
    : await signAndCheck(p, digest, true, o.signal);
  return signerInfoOf(p, [], signature);
}

function checkPlainSignable(prepared: readonly Prepared[], needsDigestSigning: boolean, contentType: string): void {
  if (contentType !== OID_DATA)
    throw new TypeError('cms: signedAttributes: false needs content type id-data (RFC 5652 §5.3)');
  if (!needsDigestSigning) return;
  for (const p of prepared) {
    if (typeof p.signer.signDigest !== 'function')
      throw new TypeError(`cms: ${p.signer.algorithm.name} signer cannot sign a digest; pass the content as bytes`);
  }
}

// ---------------------------------------------------------------------------------------------
// Certificates and SignedData

function addUnique(list: Uint8Array[], cert: Uint8Array): void {
  if (!list.some((c) => equalBytes(c, cert))) list.push(cert);
}

/**
 * `list` with `item` before the first element that sorts after it: a DER-sorted SET OF stays
 * sorted, and an unsorted one (as some producers write) keeps its order.
 */
function insertSorted(list: readonly Uint8Array[], item: Uint8Array): Uint8Array[] {
  const at = list.findIndex((e) => compareBytes(item, e) < 0);
  return at < 0 ? [...list, item] : [...list.slice(0, at), item, ...list.slice(at)];
}

/** `existing` plus each of `added` not already in it, inserted by {@link insertSorted}. */
function mergeCertificates(existing: readonly Uint8Array[], added: readonly Uint8Array[]): Uint8Array[] {
  let out = [...existing];
  for (const c of added) if (!out.some((e) => equalBytes(e, c))) out = insertSorted(out, c);
  if (out.length > MAX_CERTIFICATES) throw new RangeError(`cms: more than ${MAX_CERTIFICATES} certificates`);
  return out;
}

/** The certificates to add for these signers (see {@link IncludeCertificates}). */
function selectCertificates(prepared: readonly Prepared[], options: CmsSignOptions): Uint8Array[] {
  const mode = options.includeCertificates ?? 'signer';
  if (mode !== 'signer' && mode !== 'chain' && mode !== 'none')
    throw new TypeError(`cms: unknown includeCertificates ${JSON.stringify(mode)}`);
  const extra = options.certificates ?? [];
  if (!extra.every((c) => c instanceof Uint8Array)) throw new TypeError('cms: certificates must be DER Uint8Arrays');
  const out: Uint8Array[] = [];
  if (mode !== 'none') for (const p of prepared) addUnique(out, p.cert.der);
  if (mode !== 'chain') for (const c of extra) addUnique(out, c);
  else {
    const pool = extra.map(certificateParts);
    for (const p of prepared) {
      let at = p.cert;
      for (let i = 0; i < MAX_CHAIN && !equalBytes(at.issuer, at.subject); i++) {
        const issuer = pool.find((c) => equalBytes(c.subject, at.issuer));
        if (!issuer) break;
        addUnique(out, issuer.der);
        at = issuer;
      }
    }
  }
  return out;
}

/** CMSVersion of SignedData (RFC 5652 §5.1) for X.509 certificates and v1 SignerInfos. */
function signedDataVersion(contentType: string): number {
  return contentType === OID_DATA ? 1 : 3;
}

/** DER SET OF order (X.690 §11.6). */
function sorted(items: readonly Uint8Array[]): Uint8Array[] {
  return [...items].sort(compareBytes);
}

function signOptions(o: CmsSignOptions, contentType: string): SignerInfoOptions {
  const signingTime = o.signingTime ?? new Date();
  if (!(signingTime instanceof Date) || Number.isNaN(signingTime.getTime()))
    throw new TypeError('cms: signingTime must be a valid Date');
  return {
    contentType,
    signedAttributes: o.signedAttributes ?? true,
    signingTime,
    policy: o.policy,
    contentHints: o.contentHints,
    signal: o.signal,
  };
}

async function signAll(prepared: readonly Prepared[], m: Material, o: SignerInfoOptions): Promise<Uint8Array[]> {
  const infos: Uint8Array[] = [];
  for (const p of prepared) {
    throwIfAborted(o.signal);
    infos.push(await signerInfo(p, m, o));
  }
  return infos;
}

/**
 * Signs content as CMS SignedData in a ContentInfo (DER): CAdES-BES by default (signed
 * attributes contentType, messageDigest, signingTime, signingCertificateV2 and, when given,
 * signaturePolicyIdentifier), or a plain CMS signature over the content with
 * `signedAttributes: false`. Each SignerInfo is version 1 with IssuerAndSerialNumber; its
 * digestAlgorithm is the signer's hash (SHA-512 for Ed25519), its signatureAlgorithm the
 * signer's `identifier()`. A streamed content is read once for all signers. Each signature is
 * checked with the certificate's key before anything is returned.
 *
 * Standard: RFC 5652 §5 and §11; RFC 5035 §3; ETSI EN 319 122-1 §5.2; RFC 9215 (GOST), RFC 8419 (EdDSA).
 *
 * @throws {TypeError} no signers, a signer without certificate, both or neither of content and
 *   digest, `digest` without `detached`, a signer that cannot sign a digest where one is needed.
 * @throws {RangeError} a `digest` of the wrong length for the signers' hash, more than 64 signers.
 * @throws {KeyMismatchError} a certificate that does not carry the signer's key, or a signature
 *   that does not verify with it.
 * @throws {DecodeError} a malformed certificate.
 * @throws the signal's reason when `signal` aborts.
 * @example
 * ```ts
 * const p7s = await signCms({ content: file.stream(), signers: [signer], detached: true });
 * const pem = cmsToPem(p7s);
 * ```
 */
export async function signCms(options: SignCmsOptions): Promise<Uint8Array> {
  throwIfAborted(options.signal);
  const signers = options.signers;
  if (!Array.isArray(signers) || signers.length === 0) throw new TypeError('cms: at least one signer is needed');
  if (signers.length > MAX_SIGNERS) throw new RangeError(`cms: more than ${MAX_SIGNERS} signers`);
  const detached = options.detached ?? false;
  if (options.digest !== undefined && !detached) throw new TypeError('cms: a precomputed digest needs detached: true');
  const contentType = options.contentType ?? OID_DATA;
  der.oid(contentType);
  const prepared = signers.map(prepare);
  const o = signOptions(options, contentType);
  const keep = !detached || (!o.signedAttributes && options.content instanceof Uint8Array);
  if (!o.signedAttributes) checkPlainSignable(prepared, !keep || options.digest !== undefined, contentType);
  const m = await material(options, prepared, keep, options.signal);
  const signerInfos = await signAll(prepared, m, o);
  throwIfAborted(options.signal);
  const certificates = selectCertificates(prepared, options);
  if (certificates.length > MAX_CERTIFICATES) throw new RangeError(`cms: more than ${MAX_CERTIFICATES} certificates`);
  return encodeSignedData({
    version: signedDataVersion(contentType),
    digestAlgorithms: sorted([...new Set(prepared.map((p) => p.digest.oid))].map((oid) => der.seq(der.oid(oid)))),
    encapContentType: contentType,
    content: detached ? undefined : m.bytes,
    certificates: sorted(certificates),
    signerInfos: sorted(signerInfos),
  });
}

// ---------------------------------------------------------------------------------------------
// addSigner

/**
 * Adds a parallel signer to an existing CMS SignedData (RFC 5652 §5), DER or BER (PEM and Base64
 * too): a new SignerInfo (CAdES-BES unless `signedAttributes: false`), its digest algorithm and
 * its certificate. Every existing SignerInfo, certificate, CRL and the encapsulated content keep
 * their bytes and their order; each new element goes before the first one that sorts after it,
 * so a DER-sorted SET OF stays sorted. For a detached CMS pass the content or its digest; an
 * attached one carries its content, and passing either is a TypeError. The output is DER.
 *
 * Standard: RFC 5652 §5.1, §5.3; CAdES parallel signatures (ETSI EN 319 122-1 §5).
 *
 * @throws {DecodeError} when `cms` is not a ContentInfo with SignedData.
 * @throws {TypeError}, {RangeError}, {KeyMismatchError} as {@link signCms}.
 * @throws the signal's reason when `signal` aborts.
 * @example
 * ```ts
 * const both = await addSigner(p7s, { signer: second, content: documentBytes });
 * ```
 */
export async function addSigner(cms: Uint8Array | string, options: AddSignerOptions): Promise<Uint8Array> {
  throwIfAborted(options.signal);
  const parsed = parseSignedData(cms);
  const prepared = [prepare(options.signer)];
  const attached = parsed.content !== undefined;
  if (attached && (options.content !== undefined || options.digest !== undefined))
    throw new TypeError('cms: the CMS carries its content; pass neither content nor digest');
  const o = signOptions(options, parsed.encapContentType);
  if (!o.signedAttributes) {
    const digestSigning = options.digest !== undefined || (!attached && !(options.content instanceof Uint8Array));
    checkPlainSignable(prepared, digestSigning, parsed.encapContentType);
  }
  const m = attached
    ? await material({ content: parsed.content }, prepared, true, options.signal)
    : await material(options, prepared, !o.signedAttributes && options.content instanceof Uint8Array, options.signal);
  const [info] = await signAll(prepared, m, o);
  throwIfAborted(options.signal);
  const newOid = prepared[0]?.digest.oid as string;
  let digestAlgorithms = parsed.digestAlgorithms.map((d) => d.raw);
  if (!parsed.digestAlgorithms.some((d) => d.oid === newOid))
    digestAlgorithms = insertSorted(digestAlgorithms, der.seq(der.oid(newOid)));
  return encodeSignedData({
    ...parsed,
    version: Math.max(parsed.version, signedDataVersion(parsed.encapContentType)),
    digestAlgorithms,
    certificates: mergeCertificates(parsed.certificates, selectCertificates(prepared, options)),
    signerInfos: insertSorted(
      parsed.signerInfos.map((s) => s.raw),
      info as Uint8Array,
    ),
  });
}

// ---------------------------------------------------------------------------------------------
// addCountersignature

/** Options of {@link addCountersignature}. */
export interface AddCountersignatureOptions {
  /** The countersigner; must have a `certificate` that carries its public key. */
  readonly signer: Signer;
  /** Which SignerInfo of `signerInfos` to countersign (default 0, the first as written). */
  readonly signerIndex?: number | undefined;
  /** signingTime of the countersignature (default: now). */
  readonly signingTime?: Date | undefined;
  /** Which certificates to add (default `signer`: the countersigner's), see {@link IncludeCertificates}. */
  readonly includeCertificates?: IncludeCertificates | undefined;
  readonly certificates?: readonly Uint8Array[] | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** `list` with `value` added to its first attribute of type `oid`, or with a new attribute at the end. */
function withAttributeValue(list: readonly CmsAttribute[], oid: string, value: Uint8Array): CmsAttribute[] {
  const at = list.findIndex((a) => a.oid === oid);
  if (at < 0) return [...list, { oid, values: [value] }];
  const old = list[at] as CmsAttribute;
  return list.map((a, i) => (i === at ? { oid, values: [...old.values, value] } : a));
}

/**
 * Countersigns one SignerInfo of a CMS SignedData (DER, BER, PEM or Base64): a new SignerInfo
 * whose messageDigest is the hash of the countersigned SignerInfo's `signature` OCTET STRING
 * contents, with signed attributes messageDigest, signingTime and signingCertificateV2 and no
 * contentType (RFC 5652 §11.4), goes into that SignerInfo's unsignedAttrs as an
 * id-countersignature value (joining an existing countersignature attribute). The
 * countersigner's certificate is added; every other byte of the SignedData stays as it was, and
 * the countersigned SignerInfo keeps its place. The output is DER.
 *
 * Standard: RFC 5652 §11.4; ETSI EN 319 122-1 §5.2.7 (countersignature).
 *
 * @throws {DecodeError} when `cms` is not a ContentInfo with SignedData.
 * @throws {RangeError} a `signerIndex` with no SignerInfo.
 * @throws {TypeError}, {KeyMismatchError} as {@link signCms}.
 * @throws the signal's reason when `signal` aborts.
 * @example
 * ```ts
 * const countersigned = await addCountersignature(p7s, { signer: notary, signerIndex: 0 });
 * ```
 */
export async function addCountersignature(
  cms: Uint8Array | string,
  options: AddCountersignatureOptions,
): Promise<Uint8Array> {
  throwIfAborted(options.signal);
  const parsed = parseSignedData(cms);
  const index = options.signerIndex ?? 0;
  const target = parsed.signerInfos[index];
  if (!Number.isInteger(index) || !target)
    throw new RangeError(`cms: no SignerInfo ${index} (the CMS has ${parsed.signerInfos.length})`);
  const p = prepare(options.signer);
  const o = signOptions(options, parsed.encapContentType);
  const set = der.setOf(
    messageDigestAttribute(p.digest.digest(target.signature)),
    signingTimeAttribute(o.signingTime),
    signingCertificateV2Attribute(p.cert, essCertIdHash(p.signer.publicKey, p.digest)),
  );
  const counter = await signedSignerInfo(p, set, options.signal);
  throwIfAborted(options.signal);
  const list = withAttributeValue(target.unsignedAttrs?.list ?? [], OID_COUNTERSIGNATURE, counter);
  const updated = encodeSignerInfo({ ...target, unsignedAttrs: { list } });
  return encodeSignedData({
    ...parsed,
    certificates: mergeCertificates(parsed.certificates, selectCertificates([p], options)),
    signerInfos: parsed.signerInfos.map((s, i) => (i === index ? updated : s.raw)),
  });
}

// ---------------------------------------------------------------------------------------------
// Output forms

/**
 * PEM of a CMS (RFC 7468 §9, label `CMS`).
 *
 * @example
 * ```ts
 * cmsToPem(p7s); // '-----BEGIN CMS-----\nMII...\n-----END CMS-----\n'
 * ```
 */
export function cmsToPem(cms: Uint8Array): string {
  return encodePem('CMS', cms);
}

/**
 * Base64 of a CMS (RFC 4648 §4, one line), the form many web services and CryptoPro plug-ins exchange.
 *
 * @example
 * ```ts
 * const text = cmsToBase64(p7s);
 * ```
 */
export function cmsToBase64(cms: Uint8Array): string {
  return base64Encode(cms);
}
