// PKCS#10 certification requests (RFC 2986): building and signing with any Signer, and a read-only view.
import { compareBytes } from './_bytes';
import {
  type ExtensionsInput,
  encodeExtensions,
  encodeName,
  type NameInput,
  readEnvelope,
  signEnvelope,
} from './_cert-builder';
import { verifySignature } from './algorithms';
import { decodeDer, der, TAG } from './asn1';
import { toDer } from './encoding';
import { DecodeError } from './errors';
import {
  type BasicConstraints,
  decodeBasicConstraints,
  decodeCertificatePolicies,
  decodeExtKeyUsage,
  decodeGeneralNames,
  decodeKeyUsage,
  decodeSubjectSignTool,
  type Extension,
  type GeneralName,
  type KeyUsageName as KeyUsageBit,
  type PolicyInformation,
  parseExtensions,
} from './extensions';
import { parsePublicKey } from './keys';
import { type Name, parseName } from './name';
import { createSigner } from './signer';
import type { AlgorithmIdentifier, PrivateKey, PublicKey, SignatureAlgorithm, Signer } from './types';

export type {
  ExtensionsInput,
  GeneralNameInput,
  IssuerSignToolInput,
  KeyUsageName,
  NameAttributeName,
  NameEntry,
  NameInput,
  RawExtension,
  StringEncoding,
} from './_cert-builder';
export { encodeName } from './_cert-builder';

/** PKCS#9 extensionRequest (RFC 2985 §5.4.2). */
const OID_EXTENSION_REQUEST = '1.2.840.113549.1.9.14';
/** PKCS#9 challengePassword (RFC 2985 §5.4.1). */
const OID_CHALLENGE_PASSWORD = '1.2.840.113549.1.9.7';

/** Largest CSR {@link parseCsr} reads. */
const MAX_CSR = 1024 * 1024;

/** One attribute of a CertificationRequestInfo: its type and the DER of each value. */
export interface CsrAttribute {
  readonly oid: string;
  readonly values: readonly Uint8Array[];
}

/** Options of {@link createCsr}: who signs (a Signer, or a key with an optional algorithm) and what is asked for. */
export interface CsrOptions {
  /** The signer; its public key goes into the request. */
  readonly signer?: Signer;
  /** A private key to sign with when no `signer` is given. */
  readonly key?: PrivateKey;
  /** The algorithm for `key` (default: the usual one for the key). */
  readonly algorithm?: SignatureAlgorithm;
  /** The subject name, with the Russian identifiers where needed. */
  readonly subject: NameInput;
  /** Extensions requested (PKCS#9 extensionRequest). */
  readonly extensions?: ExtensionsInput;
  /** PKCS#9 challengePassword, written as UTF8String. */
  readonly challengePassword?: string;
  /** Further attributes; each value is DER. */
  readonly attributes?: readonly CsrAttribute[];
  readonly signal?: AbortSignal;
}

function csrSigner(options: CsrOptions): Signer {
  if (options.signer) return options.signer;
  if (!options.key) throw new TypeError('createCsr: give a signer or a key');
  return createSigner({ key: options.key, algorithm: options.algorithm });
}

/**
 * Builds and signs a PKCS#10 certification request; the signature proves possession of the key.
 * Returns DER (wrap it with `encodePem('CERTIFICATE REQUEST', der)` for PEM).
 *
 * Standard: RFC 2986 §4; extensionRequest RFC 2985 §5.4.2; names RFC 5280 §4.1.2.4 with the
 * Russian identifiers of FSB order 795.
 *
 * ```asn1
 * CertificationRequest ::= SEQUENCE {
 *   certificationRequestInfo CertificationRequestInfo,
 *   signatureAlgorithm AlgorithmIdentifier,
 *   signature BIT STRING }
 * CertificationRequestInfo ::= SEQUENCE {
 *   version INTEGER { v1(0) },
 *   subject Name,
 *   subjectPKInfo SubjectPublicKeyInfo,
 *   attributes [0] IMPLICIT SET OF Attribute }
 * ```
 *
 * @throws TypeError or RangeError for a bad subject or extension value; `UnsupportedAlgorithmError`
 *   when the algorithm does not fit the key; the signer's errors (an aborted signal's reason).
 * @example
 * ```ts
 * const key = await generateKeyPair({ type: 'gost2012-256' });
 * const csr = await createCsr({
 *   key,
 *   subject: { country: 'RU', commonName: 'Иванов Иван Иванович', snils: '11223344595', inn: '500100732259' },
 *   extensions: { keyUsage: ['digitalSignature', 'nonRepudiation'], extKeyUsage: ['clientAuth'] },
 * });
 * ```
 */
export async function createCsr(options: CsrOptions): Promise<Uint8Array> {
  const signer = csrSigner(options);
  const attributes: Uint8Array[] = [];
  if (options.challengePassword !== undefined) {
    attributes.push(der.seq(der.oid(OID_CHALLENGE_PASSWORD), der.setOf(der.utf8(options.challengePassword))));
  }
  const extensions = options.extensions ? encodeExtensions(options.extensions) : [];
  if (extensions.length) attributes.push(der.seq(der.oid(OID_EXTENSION_REQUEST), der.setOf(der.seq(...extensions))));
  for (const a of options.attributes ?? []) {
    for (const v of a.values) decodeDer(v, `attribute ${a.oid}`);
    attributes.push(der.seq(der.oid(a.oid), der.setOf(...a.values)));
  }
  const info = der.seq(
    der.int(0),
    encodeName(options.subject),
    signer.publicKey.spki,
    der.tlv(0xa0, ...attributes.sort(compareBytes)),
  );
  options.signal?.throwIfAborted();
  return signEnvelope(signer, info, options.signal);
}

/** A read-only view of a PKCS#10 request; byte fields are views of the input. */
export interface Csr {
  /** DER of the whole request. */
  readonly der: Uint8Array;
  /** DER of certificationRequestInfo: the bytes the signature covers. */
  readonly tbs: Uint8Array;
  /** 0 for v1, the only version defined. */
  readonly version: number;
  readonly subject: Name;
  /** DER SubjectPublicKeyInfo. */
  readonly spki: Uint8Array;
  /** The decoded public key. */
  readonly publicKey: PublicKey;
  readonly attributes: readonly CsrAttribute[];
  /** The extensions of the extensionRequest attribute, in order. */
  readonly extensions: readonly Extension[];
  /** The challengePassword, when present. */
  readonly challengePassword: string | undefined;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  /** The signature bits (ECDSA DER, GOST s‖r, RSA and Ed25519 raw). */
  readonly signature: Uint8Array;
  /** The extension with this OID, if requested. */
  extension(oid: string): Extension | undefined;
  /** Requested KeyUsage bits. */
  readonly keyUsage: ReadonlySet<KeyUsageBit> | undefined;
  /** Requested extended key usage OIDs. */
  readonly extKeyUsage: readonly string[] | undefined;
  readonly subjectAltName: readonly GeneralName[] | undefined;
  readonly basicConstraints: BasicConstraints | undefined;
  readonly certificatePolicies: readonly PolicyInformation[] | undefined;
  /** Russian subjectSignTool (1.2.643.100.111). */
  readonly subjectSignTool: string | undefined;
  /**
   * Checks the self-signature with the algorithms given (for example `allAlgorithms`): true when
   * it verifies, false when it does not. Rejects with `UnsupportedAlgorithmError` when no
   * algorithm in the set fits the signature algorithm and key.
   */
  verify(algorithms: readonly SignatureAlgorithm[]): Promise<boolean>;
}

function readAttributes(node: ReturnType<typeof decodeDer>): CsrAttribute[] {
  return node
    .read(0xa0)
    .rest('attribute')
    .map((a) => {
      const r = a.read();
      const oid = r.next(TAG.OID, 'type').oid();
      const values = r
        .next(TAG.SET, 'values')
        .children()
        .map((v) => v.bytes);
      r.end();
      return { oid, values };
    });
}

/**
 * Parses a PKCS#10 request from DER, PEM (`CERTIFICATE REQUEST` or `NEW CERTIFICATE REQUEST`) or Base64.
 *
 * Standard: RFC 2986 §4 (definition at {@link createCsr}).
 *
 * @throws {DecodeError} `ERR_DECODE_DER` (with offset and path) for malformed input, `ERR_DECODE_CSR`
 *   for an unknown version; the decoding errors of `parsePublicKey` for a malformed key.
 * @example
 * ```ts
 * const csr = parseCsr(pemText);
 * csr.subject.snils; // '11223344595'
 * await csr.verify(allAlgorithms); // true
 * ```
 */
export function parseCsr(input: Uint8Array | string): Csr {
  const bytes = toDer(input, { labels: ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'], maxBytes: MAX_CSR });
  const envelope = readEnvelope(bytes, 'CertificationRequest');
  const r = decodeDer(envelope.tbs, 'CertificationRequest.certificationRequestInfo').read();
  const versionNode = r.next(TAG.INTEGER, 'version');
  const version = versionNode.smallInt();
  if (version !== 0)
    throw new DecodeError('ERR_DECODE_CSR', `unknown CSR version ${version}`, { path: versionNode.path });
  const subject = parseName(r.next(TAG.SEQUENCE, 'subject').bytes);
  const spki = r.next(TAG.SEQUENCE, 'subjectPKInfo').bytes;
  const attributes = readAttributes(r.next(0xa0, 'attributes'));
  r.end();
  const publicKey = parsePublicKey(spki);
  const extValue = attributes.find((a) => a.oid === OID_EXTENSION_REQUEST)?.values[0];
  const extensions = extValue ? parseExtensions(decodeDer(extValue, 'extensionRequest')) : [];
  const password = attributes.find((a) => a.oid === OID_CHALLENGE_PASSWORD)?.values[0];
  const challengePassword = password ? decodeDer(password, 'challengePassword').string() : undefined;
  const signatureAlgorithm = envelope.algorithm;
  const { signature, tbs } = envelope;
  const ext = <T>(oid: string, decode: (e: Extension) => T): T | undefined => {
    const e = extensions.find((x) => x.oid === oid);
    return e ? decode(e) : undefined;
  };
  return Object.freeze({
    der: bytes,
    tbs,
    version,
    subject,
    spki,
    publicKey,
    attributes,
    extensions,
    challengePassword,
    signatureAlgorithm,
    signature,
    extension: (oid: string) => extensions.find((e) => e.oid === oid),
    keyUsage: ext('2.5.29.15', decodeKeyUsage),
    extKeyUsage: ext('2.5.29.37', decodeExtKeyUsage),
    subjectAltName: ext('2.5.29.17', decodeGeneralNames),
    basicConstraints: ext('2.5.29.19', decodeBasicConstraints),
    certificatePolicies: ext('2.5.29.32', decodeCertificatePolicies),
    subjectSignTool: ext('1.2.643.100.111', decodeSubjectSignTool),
    verify: (algorithms: readonly SignatureAlgorithm[]) =>
      verifyWith(algorithms, signatureAlgorithm, publicKey, tbs, signature),
  });
}

async function verifyWith(
  algorithms: readonly SignatureAlgorithm[],
  algorithm: AlgorithmIdentifier,
  publicKey: PublicKey,
  data: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  return verifySignature(algorithms, { algorithm, publicKey, data, signature });
}
