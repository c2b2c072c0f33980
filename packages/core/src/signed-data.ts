// CMS SignedData reader and writer (RFC 5652 §5, §11): a read-only view with raw slices of DER, BER, PEM or Base64 input, and re-assembly byte for byte.
/**
 * `@eds/core/signed-data` reads a ContentInfo with SignedData into a view that keeps the bytes
 * of every part (certificates, attributes, the exact bytes a signature covers), and writes a
 * SignedData back from such a view or from modified parts. BER input (indefinite lengths,
 * constructed OCTET STRINGs, as CryptoPro, Java and `openssl cms -stream` write) is normalised to
 * DER first; DER input round-trips byte for byte.
 *
 * @module
 */
import { berToDer } from './_ber';
import { concatBytes, copyBytes } from './_bytes';
import { type Der, decodeDer, der, TAG } from './asn1';
import { toDer } from './encoding';
import { DecodeError } from './errors';
import type { AlgorithmIdentifier } from './types';

/** id-signedData (RFC 5652 §5.1). */
export const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
/** id-countersignature (RFC 5652 §11.4). */
export const OID_COUNTERSIGNATURE = '1.2.840.113549.1.9.6';
const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const OID_SIGNING_TIME = '1.2.840.113549.1.9.5';
const DEFAULT_MAX_SIZE = 64 * 1024 * 1024;

/** An AlgorithmIdentifier with its DER. */
export interface RawAlgorithmIdentifier extends AlgorithmIdentifier {
  readonly raw: Uint8Array;
}

/**
 * One attribute (RFC 5652 §5.3): `Attribute ::= SEQUENCE { attrType OBJECT IDENTIFIER,
 * attrValues SET OF AttributeValue }`. `values` are the DER TLVs of the values, in the order
 * written; `raw` is the whole Attribute when read from input.
 */
export interface CmsAttribute {
  readonly oid: string;
  readonly values: readonly Uint8Array[];
  readonly raw?: Uint8Array | undefined;
}

/** A signed or unsigned attribute set: the `[0]`/`[1]` TLV as read and its attributes in order. */
export interface AttributeSet {
  readonly raw: Uint8Array;
  readonly list: readonly CmsAttribute[];
}

/**
 * `SignerIdentifier ::= CHOICE { issuerAndSerialNumber IssuerAndSerialNumber,
 * subjectKeyIdentifier [0] SubjectKeyIdentifier }`. `issuer` is the Name TLV; `serialNumberRaw`
 * the INTEGER TLV as written (preferred over `serialNumber` when encoding).
 */
export type SignerIdentifier =
  | {
      readonly issuer: Uint8Array;
      readonly serialNumber: bigint;
      readonly serialNumberRaw?: Uint8Array | undefined;
    }
  | { readonly subjectKeyIdentifier: Uint8Array };

/** What {@link encodeSignerInfo} needs: the fields of a SignerInfo. Attributes are written in the order given. */
export interface SignerInfoParts {
  readonly version: number;
  readonly sid: SignerIdentifier;
  readonly digestAlgorithm: AlgorithmIdentifier;
  readonly signedAttrs?: { readonly list: readonly CmsAttribute[] } | undefined;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly signature: Uint8Array;
  readonly unsignedAttrs?: { readonly list: readonly CmsAttribute[] } | undefined;
}

/** A SignerInfo read from input. Byte fields are views into {@link SignedDataView.der}. */
export interface SignerInfoView extends SignerInfoParts {
  /** The SignerInfo TLV. */
  readonly raw: Uint8Array;
  readonly sid: SignerIdentifier;
  readonly digestAlgorithm: RawAlgorithmIdentifier;
  readonly signedAttrs: AttributeSet | undefined;
  /** The `[0]` signed attributes re-tagged as SET (0x31): exactly the bytes the signature covers (RFC 5652 §5.4). */
  readonly signedAttrsForSignature: Uint8Array | undefined;
  readonly signatureAlgorithm: RawAlgorithmIdentifier;
  /** The contents of the signature OCTET STRING. */
  readonly signature: Uint8Array;
  readonly unsignedAttrs: AttributeSet | undefined;
  /** The contents of the messageDigest signed attribute (RFC 5652 §11.2). */
  readonly messageDigest: Uint8Array | undefined;
  /** The signingTime signed attribute (RFC 5652 §11.3). */
  readonly signingTime: Date | undefined;
  /** The SignerInfos in id-countersignature unsigned attributes (RFC 5652 §11.4), in order. */
  readonly countersignatures: readonly SignerInfoView[];
  /** The first signed attribute of this type. */
  attribute(oid: string): CmsAttribute | undefined;
  /** The first unsigned attribute of this type. */
  unsignedAttribute(oid: string): CmsAttribute | undefined;
}

/**
 * What {@link encodeSignedData} needs. Lists are written in the order given (no re-sorting); a
 * Uint8Array element is taken as a finished TLV. Empty `certificates`/`crls` are left out.
 */
export interface SignedDataParts {
  readonly version: number;
  readonly digestAlgorithms: readonly (AlgorithmIdentifier | Uint8Array)[];
  readonly encapContentType: string;
  /**
   * eContent: the contents of the OCTET STRING, or its chunks in order (copied once, into the
   * output); absent for a detached signature.
   */
  readonly content?: Uint8Array | readonly Uint8Array[] | undefined;
  /** CertificateChoices TLVs. */
  readonly certificates?: readonly Uint8Array[] | undefined;
  /** RevocationInfoChoice TLVs. */
  readonly crls?: readonly Uint8Array[] | undefined;
  readonly signerInfos: readonly (SignerInfoParts | Uint8Array)[];
}

/** A SignedData read by {@link parseSignedData}. Byte fields are views into `der`. */
export interface SignedDataView extends SignedDataParts {
  /** The ContentInfo in DER (the input itself when it was DER). */
  readonly der: Uint8Array;
  /** ContentInfo.contentType: always id-signedData. */
  readonly contentType: string;
  readonly digestAlgorithms: readonly RawAlgorithmIdentifier[];
  readonly content: Uint8Array | undefined;
  readonly certificates: readonly Uint8Array[];
  readonly crls: readonly Uint8Array[];
  readonly signerInfos: readonly SignerInfoView[];
}

/** Options of {@link parseSignedData}. */
export interface ParseSignedDataOptions {
  /** Largest input and DER form in bytes (default 64 MiB). */
  readonly maxSize?: number | undefined;
  /** Deepest ASN.1 nesting (default 64). */
  readonly maxDepth?: number | undefined;
}

// ---------------------------------------------------------------------------------------------
// Reading

function readAlgorithm(node: Der): RawAlgorithmIdentifier {
  const r = node.read();
  const oid = r.next(TAG.OID, 'algorithm').oid();
  const params = r.more ? r.next(undefined, 'parameters').bytes : undefined;
  r.end();
  return params === undefined ? { oid, raw: node.bytes } : { oid, params, raw: node.bytes };
}

/** `IssuerAndSerialNumber ::= SEQUENCE { issuer Name, serialNumber CertificateSerialNumber }` or `[0] SubjectKeyIdentifier`. */
function readSid(node: Der): SignerIdentifier {
  if (node.tag === 0x80) return { subjectKeyIdentifier: node.value };
  const r = node.expect(TAG.SEQUENCE).read();
  const issuer = r.next(TAG.SEQUENCE, 'issuer').bytes;
  const serial = r.next(TAG.INTEGER, 'serialNumber');
  r.end();
  return { issuer, serialNumber: serial.integer(), serialNumberRaw: serial.bytes };
}

interface ReadAttributes {
  readonly set: AttributeSet;
  /** The value nodes of each attribute, for decoding with offsets. */
  readonly nodes: readonly (readonly Der[])[];
}

function readAttributes(node: Der): ReadAttributes {
  const list: CmsAttribute[] = [];
  const nodes: Der[][] = [];
  for (const a of node.children()) {
    const r = a.read();
    const oid = r.next(TAG.OID, 'attrType').oid();
    const values = r.next(TAG.SET, 'attrValues').children();
    r.end();
    list.push({ oid, values: values.map((v) => v.bytes), raw: a.bytes });
    nodes.push(values);
  }
  return { set: { raw: node.bytes, list }, nodes };
}

/** The one value of a signed attribute, or undefined when absent. */
function singleValue(read: ReadAttributes | undefined, oid: string, path: string): Der | undefined {
  const at = read?.set.list.findIndex((a) => a.oid === oid) ?? -1;
  if (at < 0) return undefined;
  const values = (read as ReadAttributes).nodes[at] as readonly Der[];
  if (values.length !== 1) throw new DecodeError('ERR_DECODE_DER', `${path}: attribute ${oid} must have one value`);
  return values[0] as Der;
}

/**
 * ```asn1
 * SignerInfo ::= SEQUENCE { version CMSVersion, sid SignerIdentifier, digestAlgorithm DigestAlgorithmIdentifier,
 *   signedAttrs [0] IMPLICIT SignedAttributes OPTIONAL, signatureAlgorithm SignatureAlgorithmIdentifier,
 *   signature SignatureValue, unsignedAttrs [1] IMPLICIT UnsignedAttributes OPTIONAL }
 * ```
 */
function readSignerInfo(node: Der): SignerInfoView {
  const r = node.read();
  const version = r.next(TAG.INTEGER, 'version').smallInt();
  const sid = readSid(r.next(undefined, 'sid'));
  const digestAlgorithm = readAlgorithm(r.next(TAG.SEQUENCE, 'digestAlgorithm'));
  const signedNode = r.optional(0xa0, 'signedAttrs');
  const signatureAlgorithm = readAlgorithm(r.next(TAG.SEQUENCE, 'signatureAlgorithm'));
  const signature = r.next(TAG.OCTET_STRING, 'signature').octets();
  const unsignedNode = r.optional(0xa1, 'unsignedAttrs');
  r.end();
  const signed = signedNode ? readAttributes(signedNode) : undefined;
  const unsigned = unsignedNode ? readAttributes(unsignedNode) : undefined;
  let forSignature: Uint8Array | undefined;
  if (signedNode) {
    forSignature = copyBytes(signedNode.bytes);
    forSignature[0] = TAG.SET;
  }
  const countersignatures: SignerInfoView[] = [];
  unsigned?.set.list.forEach((a, i) => {
    if (a.oid !== OID_COUNTERSIGNATURE) return;
    for (const v of unsigned.nodes[i] as readonly Der[]) countersignatures.push(readSignerInfo(v));
  });
  const signedList = signed?.set.list ?? [];
  const unsignedList = unsigned?.set.list ?? [];
  return {
    raw: node.bytes,
    version,
    sid,
    digestAlgorithm,
    signedAttrs: signed?.set,
    signedAttrsForSignature: forSignature,
    signatureAlgorithm,
    signature,
    unsignedAttrs: unsigned?.set,
    messageDigest: singleValue(signed, OID_MESSAGE_DIGEST, node.path)?.octets(),
    signingTime: singleValue(signed, OID_SIGNING_TIME, node.path)?.time(),
    countersignatures,
    attribute: (oid) => signedList.find((a) => a.oid === oid),
    unsignedAttribute: (oid) => unsignedList.find((a) => a.oid === oid),
  };
}

/**
 * ```asn1
 * SignedData ::= SEQUENCE { version CMSVersion, digestAlgorithms SET OF DigestAlgorithmIdentifier,
 *   encapContentInfo EncapsulatedContentInfo, certificates [0] IMPLICIT CertificateSet OPTIONAL,
 *   crls [1] IMPLICIT RevocationInfoChoices OPTIONAL, signerInfos SET OF SignerInfo }
 * EncapsulatedContentInfo ::= SEQUENCE { eContentType ContentType, eContent [0] EXPLICIT OCTET STRING OPTIONAL }
 * ```
 */
function readSignedData(bytes: Uint8Array, node: Der): SignedDataView {
  const sd = node.read();
  const version = sd.next(TAG.INTEGER, 'version').smallInt();
  const digestAlgorithms = sd.next(TAG.SET, 'digestAlgorithms').children().map(readAlgorithm);
  const encap = sd.next(TAG.SEQUENCE, 'encapContentInfo').read();
  const encapContentType = encap.next(TAG.OID, 'eContentType').oid();
  const eContent = encap.optional(0xa0, 'eContent');
  encap.end();
  const certs = sd.optional(0xa0, 'certificates');
  const crls = sd.optional(0xa1, 'crls');
  const infos = sd.next(TAG.SET, 'signerInfos').children();
  sd.end();
  return {
    der: bytes,
    contentType: OID_SIGNED_DATA,
    version,
    digestAlgorithms,
    encapContentType,
    content: eContent?.explicit(0).octets(),
    certificates: certs ? certs.children().map((c) => c.bytes) : [],
    crls: crls ? crls.children().map((c) => c.bytes) : [],
    signerInfos: infos.map(readSignerInfo),
  };
}

/**
 * Reads a CMS ContentInfo with SignedData (RFC 5652 §3, §5) from DER, BER (normalised to DER:
 * indefinite and non-minimal lengths, constructed OCTET STRINGs), PEM (labels `CMS` or `PKCS7`)
 * or Base64, into a view that keeps the bytes of each part: the certificates and CRLs as
 * written, each SignerInfo with its signed attributes as read and re-tagged for verification
 * (gost.md §5 pitfall 8), its messageDigest and signingTime, and its countersignatures. Nothing
 * is verified here.
 *
 * Standard: RFC 5652 §5.1 to §5.4, §11.2 to §11.4; ITU-T X.690 §8 (BER), §10 (DER).
 *
 * @throws {DecodeError} `ERR_DECODE_DER` for malformed input or a ContentInfo of another type
 *   (with the byte offset in the DER form and the path of the fault), `ERR_DECODE_FORMAT` for
 *   input that is none of DER, PEM or Base64, `ERR_DECODE_TOO_LARGE` past `maxSize`.
 * @example
 * ```ts
 * const sd = parseSignedData(p7sBytes);
 * const [si] = sd.signerInfos;
 * await verifySignature(allAlgorithms, { algorithm: si.signatureAlgorithm, publicKey, data: si.signedAttrsForSignature, signature: si.signature, digestOid: si.digestAlgorithm.oid });
 * ```
 */
export function parseSignedData(input: Uint8Array | string, options: ParseSignedDataOptions = {}): SignedDataView {
  if (!(input instanceof Uint8Array) && typeof input !== 'string')
    throw new TypeError('parseSignedData: expected bytes or text');
  const maxSize = options.maxSize ?? DEFAULT_MAX_SIZE;
  const limits = options.maxDepth === undefined ? { maxSize } : { maxSize, maxDepth: options.maxDepth };
  const bytes = berToDer(toDer(input, { labels: ['CMS', 'PKCS7'], maxBytes: maxSize }), limits);
  const ci = decodeDer(bytes, 'ContentInfo', limits).read();
  const type = ci.next(TAG.OID, 'contentType');
  if (type.oid() !== OID_SIGNED_DATA) throw type.error(`not a SignedData but ${type.oid()}`);
  const content = ci.next(0xa0, 'content').explicit(0).named('SignedData');
  ci.end();
  return readSignedData(bytes, content);
}

// ---------------------------------------------------------------------------------------------
// Writing

function encodeAlgorithm(a: AlgorithmIdentifier | Uint8Array): Uint8Array {
  if (a instanceof Uint8Array) return a;
  return a.params === undefined ? der.seq(der.oid(a.oid)) : der.seq(der.oid(a.oid), a.params);
}

function encodeSid(sid: SignerIdentifier): Uint8Array {
  if ('subjectKeyIdentifier' in sid) return der.tlv(0x80, sid.subjectKeyIdentifier);
  return der.seq(sid.issuer, sid.serialNumberRaw ?? der.int(sid.serialNumber));
}

/** An Attribute TLV from its type and values, values in the order given. */
export function encodeAttribute(a: CmsAttribute): Uint8Array {
  return der.seq(der.oid(a.oid), der.tlv(TAG.SET, ...a.values));
}

function encodeAttributes(tag: number, list: readonly CmsAttribute[]): Uint8Array {
  return der.tlv(tag, ...list.map(encodeAttribute));
}

/**
 * Writes a SignerInfo (RFC 5652 §5.3) from its parts; a Uint8Array is returned as it is.
 * Attributes and their values are written in the order given: signed attributes are never
 * re-sorted, since the signature covers their bytes. A SignerInfo read from DER comes back
 * byte for byte.
 *
 * ```asn1
 * SignerInfo ::= SEQUENCE { version CMSVersion, sid SignerIdentifier, digestAlgorithm DigestAlgorithmIdentifier,
 *   signedAttrs [0] IMPLICIT SignedAttributes OPTIONAL, signatureAlgorithm SignatureAlgorithmIdentifier,
 *   signature SignatureValue, unsignedAttrs [1] IMPLICIT UnsignedAttributes OPTIONAL }
 * ```
 * @throws {RangeError} an invalid OID or version.
 * @example
 * ```ts
 * const timestamped = encodeSignerInfo({ ...si, unsignedAttrs: { list: [...(si.unsignedAttrs?.list ?? []), tsAttr] } });
 * ```
 */
export function encodeSignerInfo(si: SignerInfoParts | Uint8Array): Uint8Array {
  if (si instanceof Uint8Array) return si;
  const parts = [der.int(si.version), encodeSid(si.sid), encodeAlgorithm(si.digestAlgorithm)];
  if (si.signedAttrs) parts.push(encodeAttributes(0xa0, si.signedAttrs.list));
  parts.push(encodeAlgorithm(si.signatureAlgorithm), der.octets(si.signature));
  if (si.unsignedAttrs) parts.push(encodeAttributes(0xa1, si.unsignedAttrs.list));
  return der.seq(...parts);
}

/**
 * Writes a ContentInfo with SignedData (DER) from a {@link SignedDataView} or modified parts.
 * Every list keeps the order given (re-sort SET OF elements before calling when DER order
 * matters); so parse then encode gives back the input byte for byte when it was DER, and its
 * DER normalisation when it was BER (an empty `[0]`/`[1]` present in the input is the one
 * exception: it is left out).
 *
 * Standard: RFC 5652 §3, §5.1, §5.2.
 *
 * @throws {RangeError} an invalid OID or version.
 * @throws {TypeError} parts that are not byte arrays where bytes are needed.
 * @example
 * ```ts
 * const sd = parseSignedData(p7s);
 * const withCert = encodeSignedData({ ...sd, certificates: [...sd.certificates, issuerCert] });
 * ```
 */
export function encodeSignedData(parts: SignedDataParts): Uint8Array {
  const certificates = parts.certificates ?? [];
  const crls = parts.crls ?? [];
  for (const b of [...certificates, ...crls])
    if (!(b instanceof Uint8Array)) throw new TypeError('encodeSignedData: certificates and crls must be Uint8Arrays');
  const content = parts.content instanceof Uint8Array ? [parts.content] : parts.content;
  if (content?.some((c) => !(c instanceof Uint8Array))) throw new TypeError('encodeSignedData: content must be bytes');
  const econtent = content ? runs(0xa0, runs(TAG.OCTET_STRING, content)) : [];
  const signedData = runs(TAG.SEQUENCE, [
    der.int(parts.version),
    der.tlv(TAG.SET, ...parts.digestAlgorithms.map(encodeAlgorithm)),
    ...runs(TAG.SEQUENCE, [der.oid(parts.encapContentType), ...econtent]),
    ...(certificates.length ? [der.tlv(0xa0, ...certificates)] : []),
    ...(crls.length ? [der.tlv(0xa1, ...crls)] : []),
    der.tlv(TAG.SET, ...parts.signerInfos.map(encodeSignerInfo)),
  ]);
  return concatBytes(runs(TAG.SEQUENCE, [der.oid(OID_SIGNED_DATA), ...runs(0xa0, signedData)]));
}

/** A TLV as runs of bytes, its header then `contents`, nothing copied: the content of an attached SignedData is copied once. */
function runs(tag: number, contents: readonly Uint8Array[]): Uint8Array[] {
  let length = 0;
  for (const c of contents) length += c.length;
  const out = [der.header(tag, length)];
  for (const c of contents) out.push(c);
  return out;
}
