// What a user-supplied file holds (certificate, key, CRL, CSR, CMS, PFX...) and how it is encoded, by structure, never by file name.
import { type Der, decodeDer, TAG } from './asn1';
import { base64Decode, decodePem, detectEncoding, type Encoding } from './encoding';
import { DecodeError } from './errors';

/** The kinds of object {@link detect} recognises. */
export type ObjectKind =
  | 'certificate'
  | 'crl'
  | 'csr'
  | 'public-key'
  | 'private-key'
  | 'encrypted-private-key'
  | 'pkcs12'
  | 'cms-signed'
  | 'cms-certificates'
  | 'cms-enveloped'
  | 'cms-other'
  | 'ocsp-response'
  | 'ocsp-request'
  | 'timestamp-response'
  | 'unknown';

/** One object found in the input. */
export interface DetectedObject {
  kind: ObjectKind;
  /** The DER (or BER, for indefinite-length CMS) bytes of the object. */
  der: Uint8Array;
  /** The PEM label it came with, if any. */
  label?: string;
  /** True when the object uses BER indefinite lengths (as CryptoPro writes CMS). */
  ber?: boolean;
}

/** The result of {@link detect}: the outer encoding and every object in the input, in order. */
export interface Detection {
  encoding: Encoding;
  objects: DetectedObject[];
}

// A Map, not an object literal: labels come from the input, and `constructor` or `__proto__`
// must not find Object.prototype members.
const PEM_KINDS: ReadonlyMap<string, ObjectKind> = new Map<string, ObjectKind>([
  ['CERTIFICATE', 'certificate'],
  ['TRUSTED CERTIFICATE', 'certificate'],
  ['X509 CRL', 'crl'],
  ['CRL', 'crl'],
  ['OCSP RESPONSE', 'ocsp-response'],
  ['OCSP REQUEST', 'ocsp-request'],
  ['PKCS7', 'cms-other'],
  ['CMS', 'cms-other'],
  ['PKCS12', 'pkcs12'],
  ['CERTIFICATE REQUEST', 'csr'],
  ['NEW CERTIFICATE REQUEST', 'csr'],
  ['PUBLIC KEY', 'public-key'],
  ['PRIVATE KEY', 'private-key'],
  ['EC PRIVATE KEY', 'private-key'],
  ['RSA PRIVATE KEY', 'private-key'],
  ['ENCRYPTED PRIVATE KEY', 'encrypted-private-key'],
]);

const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_ENVELOPED_DATA = '1.2.840.113549.1.7.3';
const OID_DATA = '1.2.840.113549.1.7.1';

/**
 * Tells what a user-supplied file holds, the way people find them in `.cer`, `.crt`, `.pem`,
 * `.p7b`, `.p7s`, `.sig`, `.sgn`, `.pfx`, `.crl` and `.csr` files: DER, PEM (every block, any
 * label) or bare Base64 (CRLF, wrapped or not), classified by ASN.1 structure (RFC 5280
 * Certificate and CertificateList, RFC 2986, RFC 5652 ContentInfo, RFC 7292 PFX, RFC 5208/5958,
 * RFC 6960, RFC 3161). PEM labels are checked against the structure: a block whose content is
 * not what its label says is reported as what it is. Variable-time; no signature is checked.
 *
 * @throws DecodeError `ERR_DECODE_FORMAT` when the input is neither DER, PEM nor Base64, and
 *   the PEM/Base64 decoders' errors for broken armour.
 * @example
 * ```ts
 * const { objects } = detect(await file.bytes());
 * if (objects[0]?.kind === 'cms-signed') { ... }
 * ```
 */
export function detect(input: Uint8Array | string, options: { maxBytes?: number } = {}): Detection {
  const encoding = detectEncoding(input);
  if (encoding === 'der' && typeof input !== 'string') return { encoding, objects: [classify(input)] };
  const text = typeof input === 'string' ? input : new TextDecoder('latin1').decode(input);
  if (encoding === 'pem') {
    const objects = decodePem(text, options).map((block) => {
      const found = classify(block.bytes);
      const byLabel = PEM_KINDS.get(block.label);
      // A mislabelled block keeps its true kind; a damaged one keeps its label's, so that the
      // parser for that kind reports exactly what is wrong with it.
      const kind = found.kind === 'unknown' && byLabel ? byLabel : found.kind;
      return { ...found, kind, label: block.label };
    });
    return { encoding, objects };
  }
  if (encoding === 'base64') return { encoding, objects: [classify(base64Decode(text, options))] };
  throw new DecodeError('ERR_DECODE_FORMAT', 'input is neither DER, PEM nor Base64', { offset: 0 });
}

function classify(bytes: Uint8Array): DetectedObject {
  if (bytes[0] === 0x30 && bytes[1] === 0x80) return { kind: classifyBer(bytes), der: bytes, ber: true };
  let kind: ObjectKind = 'unknown';
  try {
    kind = classifyDer(decodeDer(bytes, 'object'));
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
  }
  return { kind, der: bytes };
}

/** Children of a node, or [] when it is not constructed or does not parse. */
function kids(node: Der | undefined): Der[] {
  if (!node?.constructed) return [];
  try {
    return node.children();
  } catch (e) {
    if (e instanceof DecodeError) return [];
    throw e;
  }
}

const isTime = (n: Der | undefined) => n?.tag === TAG.UTC_TIME || n?.tag === TAG.GENERALIZED_TIME;

function classifyDer(root: Der): ObjectKind {
  if (root.tag !== TAG.SEQUENCE) return 'unknown';
  const top = kids(root);
  const [a, b, c] = top;
  if (a?.tag === TAG.OID) return classifyContentInfo(a.oid(), b);
  if (a?.tag === TAG.ENUMERATED) return 'ocsp-response';
  if (a?.tag === TAG.INTEGER && b?.tag === TAG.SEQUENCE) {
    const version = a.value.length === 1 ? a.value[0] : -1;
    if (version === 3 && kids(b)[0]?.tag === TAG.OID) return 'pkcs12';
    if ((version === 0 || version === 1) && c?.tag === TAG.OCTET_STRING) return 'private-key';
    if (version === 1 && c?.tag === TAG.OCTET_STRING) return 'private-key';
  }
  // RFC 3161 TimeStampResp: SEQUENCE { PKIStatusInfo SEQUENCE { INTEGER ... }, ContentInfo? }.
  if (a?.tag === TAG.SEQUENCE && kids(a)[0]?.tag === TAG.INTEGER && (top.length === 1 || kids(b)[0]?.tag === TAG.OID)) {
    if (top.length <= 2 && (top.length === 1 || kids(b).length === 2)) return 'timestamp-response';
  }
  if (top.length === 3 && a?.tag === TAG.SEQUENCE && b?.tag === TAG.SEQUENCE && c?.tag === TAG.BIT_STRING) {
    return classifySigned(kids(a));
  }
  if (top.length === 2 && a?.tag === TAG.SEQUENCE && kids(a)[0]?.tag === TAG.OID) {
    if (b?.tag === TAG.BIT_STRING) return 'public-key';
    if (b?.tag === TAG.OCTET_STRING) return 'encrypted-private-key';
  }
  if (a?.tag === TAG.SEQUENCE && top.length <= 2) {
    // OCSPRequest: SEQUENCE { TBSRequest SEQUENCE { ..., requestList SEQUENCE OF Request }, [0] signature? }.
    const tbs = kids(a);
    if (tbs.some((n) => n.tag === TAG.SEQUENCE && kids(n).every((r) => r.tag === TAG.SEQUENCE))) return 'ocsp-request';
  }
  return 'unknown';
}

/** TBSCertificate, TBSCertList and CertificationRequestInfo told apart by their first fields. */
function classifySigned(tbs: Der[]): ObjectKind {
  const [v, x, y, z] = tbs;
  if (v?.tag === 0xa0 && x?.tag === TAG.INTEGER) return 'certificate'; // [0] version, serialNumber
  // CSR: version, subject, subjectPKInfo, [0] attributes.
  if (v?.tag === TAG.INTEGER && x?.tag === TAG.SEQUENCE && y?.tag === TAG.SEQUENCE && z?.tag === 0xa0) return 'csr';
  // v1 certificate: serialNumber, signature, issuer, validity (two times).
  const validity = kids(z);
  if (v?.tag === TAG.INTEGER && z?.tag === TAG.SEQUENCE && validity.length === 2 && validity.every(isTime)) {
    return 'certificate';
  }
  // CRL: version?, signature, issuer, thisUpdate.
  const [alg, issuer, thisUpdate] = v?.tag === TAG.INTEGER ? [x, y, z] : [v, x, y];
  if (alg?.tag === TAG.SEQUENCE && issuer?.tag === TAG.SEQUENCE && isTime(thisUpdate)) return 'crl';
  return 'unknown';
}

function classifyContentInfo(oid: string, content: Der | undefined): ObjectKind {
  if (oid === OID_ENVELOPED_DATA) return 'cms-enveloped';
  if (oid !== OID_SIGNED_DATA) return 'cms-other';
  // SignedData: version, digestAlgorithms, encapContentInfo, [0] certificates?, [1] crls?, signerInfos.
  const signed = kids(kids(content)[0]);
  const signerInfos = signed[signed.length - 1];
  return signerInfos?.tag === TAG.SET && kids(signerInfos).length === 0 ? 'cms-certificates' : 'cms-signed';
}

/** Indefinite-length input: read the ContentInfo OID from the first bytes. */
function classifyBer(bytes: Uint8Array): ObjectKind {
  if (bytes[2] !== TAG.OID) return 'unknown';
  const len = bytes[3] as number;
  try {
    const oid = decodeDer(bytes.subarray(2, 4 + len), 'contentType').oid();
    if (oid === OID_SIGNED_DATA) return 'cms-signed';
    if (oid === OID_ENVELOPED_DATA) return 'cms-enveloped';
    return oid === OID_DATA ? 'cms-other' : 'unknown';
  } catch (e) {
    if (e instanceof DecodeError) return 'unknown';
    throw e;
  }
}
