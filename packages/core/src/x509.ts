// X.509 certificate view (RFC 5280 §4.1) with the Russian qualified-certificate profile (FSB order 795) and Kazakh identifiers.
import { streebog256 } from '@eds/gost/streebog';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  formatDate,
  hex,
  type Lang,
  labelsFor,
  readAlgorithm,
  readSerial,
  renderLines,
  retag,
  serialText,
} from './_describe';
import { extensionsJson, readSigned } from './_signed';
import { contextTag, type Der, decodeDer, TAG } from './asn1';
import { decodePem, detectEncoding, toDer } from './encoding';
import { DecodeError } from './errors';
import {
  type AuthorityKeyIdentifier,
  type BasicConstraints,
  type DistributionPoint,
  decodeAuthorityKeyIdentifier,
  decodeBasicConstraints,
  decodeCertificatePolicies,
  decodeCrlDistributionPoints,
  decodeExtKeyUsage,
  decodeGeneralNames,
  decodeInfoAccess,
  decodeIssuerSignTool,
  decodeKeyUsage,
  decodeNameConstraints,
  decodePolicyConstraints,
  decodePolicyMappings,
  decodePrivateKeyUsagePeriod,
  decodeSubjectKeyIdentifier,
  decodeSubjectSignTool,
  type Extension,
  findExtension,
  type GeneralName,
  type InfoAccess,
  type IssuerSignTool,
  type KeyUsageName,
  type NameConstraints,
  type PolicyConstraints,
  type PolicyInformation,
  type PrivateKeyUsagePeriod,
  parseExtensions,
} from './extensions';
import { type Name, parseName } from './name';
import {
  OID_CMS_SIGNED_DATA,
  OID_EXT_AUTHORITY_INFO_ACCESS,
  OID_EXT_AUTHORITY_KEY_IDENTIFIER,
  OID_EXT_BASIC_CONSTRAINTS,
  OID_EXT_CERTIFICATE_POLICIES,
  OID_EXT_CRL_DISTRIBUTION_POINTS,
  OID_EXT_EXT_KEY_USAGE,
  OID_EXT_ISSUER_ALT_NAME,
  OID_EXT_ISSUER_SIGN_TOOL,
  OID_EXT_KEY_USAGE,
  OID_EXT_NAME_CONSTRAINTS,
  OID_EXT_POLICY_CONSTRAINTS,
  OID_EXT_POLICY_MAPPINGS,
  OID_EXT_PRIVATE_KEY_USAGE_PERIOD,
  OID_EXT_SUBJECT_ALT_NAME,
  OID_EXT_SUBJECT_KEY_IDENTIFIER,
  OID_EXT_SUBJECT_SIGN_TOOL,
  oidName,
  QUALIFIED_CLASS_POLICIES,
} from './oids';
import type { AlgorithmIdentifier } from './types';

/** Options of {@link parseCertificate}. */
export interface CertificateOptions {
  /** Largest accepted input in bytes (default 1 MiB). */
  maxSize?: number;
}

/** Fingerprint hash names. */
export type FingerprintAlgorithm = 'sha1' | 'sha256' | 'streebog256';

// A Map so that a name from a caller (`constructor`, `toString`) cannot find Object.prototype.
const HASHES: ReadonlyMap<string, (b: Uint8Array) => Uint8Array> = new Map<
  FingerprintAlgorithm,
  (b: Uint8Array) => Uint8Array
>([
  ['sha1', (b) => sha1(b)],
  ['sha256', (b) => sha256(b)],
  ['streebog256', (b) => streebog256(b)],
]);

const DEFAULT_MAX_CERT = 1024 * 1024;
const DAY_MS = 86_400_000;

/**
 * A read-only view of an X.509 certificate (RFC 5280 §4.1). The structure, names and extension
 * list are checked when parsed; typed extension getters decode on first use and cache.
 *
 * ```asn1
 * Certificate ::= SEQUENCE { tbsCertificate TBSCertificate, signatureAlgorithm AlgorithmIdentifier, signatureValue BIT STRING }
 * TBSCertificate ::= SEQUENCE { version [0] EXPLICIT Version DEFAULT v1, serialNumber CertificateSerialNumber,
 *   signature AlgorithmIdentifier, issuer Name, validity Validity, subject Name, subjectPublicKeyInfo SubjectPublicKeyInfo,
 *   issuerUniqueID [1] IMPLICIT UniqueIdentifier OPTIONAL, subjectUniqueID [2] IMPLICIT UniqueIdentifier OPTIONAL,
 *   extensions [3] EXPLICIT Extensions OPTIONAL }
 * Validity ::= SEQUENCE { notBefore Time, notAfter Time }
 * ```
 */
export class Certificate {
  /** DER of the whole certificate. */
  readonly raw: Uint8Array;
  /** DER of TBSCertificate: the signed bytes. */
  readonly tbs: Uint8Array;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  /** The signatureValue BIT STRING bytes (GOST: s‖r big-endian). */
  readonly signature: Uint8Array;
  /** 1, 2 or 3. */
  readonly version: number;
  readonly serialNumber: bigint;
  readonly issuer: Name;
  readonly subject: Name;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** DER of SubjectPublicKeyInfo. */
  readonly spki: Uint8Array;
  readonly publicKeyAlgorithm: AlgorithmIdentifier;
  /** The subjectPublicKey BIT STRING bytes. */
  readonly publicKey: Uint8Array;
  readonly issuerUniqueID: Uint8Array | undefined;
  readonly subjectUniqueID: Uint8Array | undefined;
  /** The extensions in encoded order (empty for v1/v2 certificates). */
  readonly extensions: readonly Extension[];
  /**
   * Non-conformities accepted on parse: a negative or zero serial, a serial over 20 octets
   * (RFC 5280 §4.1.2.2), a non-minimal serial INTEGER, an explicitly encoded default version.
   */
  readonly notes: readonly string[];
  private readonly cache = new Map<string, unknown>();

  /** @internal use {@link parseCertificate}. */
  constructor(root: Der) {
    const notes: string[] = [];
    const env = readSigned(root, 'tbsCertificate', '§4.1.1.2');
    this.raw = env.raw;
    this.tbs = env.tbs;
    this.signatureAlgorithm = env.signatureAlgorithm;
    this.signature = env.signature;
    const t = env.body;
    const v = t.optional(contextTag(0, true), 'version');
    this.version = v ? v.explicit(0).smallInt() + 1 : 1;
    if (this.version < 1 || this.version > 3) throw (v as Der).error(`unknown certificate version ${this.version}`);
    if (v && this.version === 1) notes.push('version v1 encoded explicitly (DER omits the default)');
    const serialNode = t.next(TAG.INTEGER, 'serialNumber');
    const serial = readSerial(serialNode);
    this.serialNumber = serial.value;
    if (!serial.minimal) notes.push('serial number INTEGER not minimally encoded (X.690 §8.3.2)');
    if (this.serialNumber <= 0n) notes.push('serial number is not positive (RFC 5280 §4.1.2.2)');
    if (serialNode.value.length > 20) notes.push('serial number longer than 20 octets (RFC 5280 §4.1.2.2)');
    env.readInnerAlgorithm();
    this.issuer = parseName(t.next(TAG.SEQUENCE, 'issuer'));
    const validity = t.next(TAG.SEQUENCE, 'validity').read();
    this.notBefore = validity.next(undefined, 'notBefore').time();
    this.notAfter = validity.next(undefined, 'notAfter').time();
    validity.end();
    this.subject = parseName(t.next(TAG.SEQUENCE, 'subject'));
    const spki = t.next(TAG.SEQUENCE, 'subjectPublicKeyInfo');
    this.spki = spki.bytes;
    const s = spki.read();
    this.publicKeyAlgorithm = readAlgorithm(s.next(TAG.SEQUENCE, 'algorithm'));
    this.publicKey = s.next(TAG.BIT_STRING, 'subjectPublicKey').bitBytes();
    s.end();
    this.issuerUniqueID = this.uniqueId(t.optional(contextTag(1, false), 'issuerUniqueID'));
    this.subjectUniqueID = this.uniqueId(t.optional(contextTag(2, false), 'subjectUniqueID'));
    const ext = t.optional(contextTag(3, true), 'extensions');
    t.end();
    if (ext && this.version !== 3) throw ext.error('extensions in a certificate that is not v3');
    this.extensions = ext ? parseExtensions(ext.explicit(3)) : [];
    this.notes = notes;
  }

  private uniqueId(node: Der | undefined): Uint8Array | undefined {
    if (!node) return undefined;
    if (this.version < 2) throw node.error('unique identifier in a v1 certificate');
    return retag(node, TAG.BIT_STRING).bits().bytes;
  }

  private memo<T>(key: string, make: () => T): T {
    if (!this.cache.has(key)) this.cache.set(key, make());
    return this.cache.get(key) as T;
  }

  private ext<T>(oid: string, decode: (e: Extension) => T): T | undefined {
    return this.memo(oid, () => {
      const e = findExtension(this.extensions, oid);
      return e ? decode(e) : undefined;
    });
  }

  /** The serial as unsigned big-endian hex (two's complement for a negative serial), lower case. */
  get serialHex(): string {
    let n = this.serialNumber;
    if (n < 0n) n += 1n << BigInt(8 * Math.ceil((n.toString(16).length + 1) / 2));
    const h = n.toString(16);
    return h.length % 2 ? `0${h}` : h;
  }

  /** The GOST parameter set or EC named-curve OID of the key, when the parameters name one. */
  get publicKeyParamSet(): string | undefined {
    return this.memo('paramSet', () => {
      const p = this.publicKeyAlgorithm.params;
      if (!p) return undefined;
      try {
        const node = decodeDer(p, 'parameters');
        if (node.tag === TAG.OID) return node.oid();
        if (node.tag === TAG.SEQUENCE) return node.read().next(TAG.OID, 'publicKeyParamSet').oid();
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
      }
      return undefined;
    });
  }

  get basicConstraints(): BasicConstraints | undefined {
    return this.ext(OID_EXT_BASIC_CONSTRAINTS, decodeBasicConstraints);
  }
  get keyUsage(): ReadonlySet<KeyUsageName> | undefined {
    return this.ext(OID_EXT_KEY_USAGE, decodeKeyUsage);
  }
  /** Extended key usage OIDs. */
  get extKeyUsage(): readonly string[] | undefined {
    return this.ext(OID_EXT_EXT_KEY_USAGE, decodeExtKeyUsage);
  }
  get certificatePolicies(): readonly PolicyInformation[] | undefined {
    return this.ext(OID_EXT_CERTIFICATE_POLICIES, decodeCertificatePolicies);
  }
  get subjectKeyIdentifier(): Uint8Array | undefined {
    return this.ext(OID_EXT_SUBJECT_KEY_IDENTIFIER, decodeSubjectKeyIdentifier);
  }
  get authorityKeyIdentifier(): AuthorityKeyIdentifier | undefined {
    return this.ext(OID_EXT_AUTHORITY_KEY_IDENTIFIER, decodeAuthorityKeyIdentifier);
  }
  get authorityInfoAccess(): InfoAccess | undefined {
    return this.ext(OID_EXT_AUTHORITY_INFO_ACCESS, decodeInfoAccess);
  }
  get crlDistributionPoints(): readonly DistributionPoint[] | undefined {
    return this.ext(OID_EXT_CRL_DISTRIBUTION_POINTS, decodeCrlDistributionPoints);
  }
  get nameConstraints(): NameConstraints | undefined {
    return this.ext(OID_EXT_NAME_CONSTRAINTS, decodeNameConstraints);
  }
  get subjectAltName(): readonly GeneralName[] | undefined {
    return this.ext(OID_EXT_SUBJECT_ALT_NAME, decodeGeneralNames);
  }
  get issuerAltName(): readonly GeneralName[] | undefined {
    return this.ext(OID_EXT_ISSUER_ALT_NAME, decodeGeneralNames);
  }
  get policyConstraints(): PolicyConstraints | undefined {
    return this.ext(OID_EXT_POLICY_CONSTRAINTS, decodePolicyConstraints);
  }
  get policyMappings(): readonly { issuerDomainPolicy: string; subjectDomainPolicy: string }[] | undefined {
    return this.ext(OID_EXT_POLICY_MAPPINGS, decodePolicyMappings);
  }
  get privateKeyUsagePeriod(): PrivateKeyUsagePeriod | undefined {
    return this.ext(OID_EXT_PRIVATE_KEY_USAGE_PERIOD, decodePrivateKeyUsagePeriod);
  }
  get subjectSignTool(): string | undefined {
    return this.ext(OID_EXT_SUBJECT_SIGN_TOOL, decodeSubjectSignTool);
  }
  get issuerSignTool(): IssuerSignTool | undefined {
    return this.ext(OID_EXT_ISSUER_SIGN_TOOL, decodeIssuerSignTool);
  }

  /** True when basicConstraints says cA. */
  get isCA(): boolean {
    return this.basicConstraints?.ca ?? false;
  }

  /** True when issuer and subject match (RFC 5280 §6.1 name matching): self-issued. */
  get isSelfIssued(): boolean {
    return this.issuer.equals(this.subject);
  }

  /** Sign-tool classes named in certificatePolicies (`KC1`...`KA1`), in policy order. */
  get qualifiedClasses(): readonly string[] {
    return (this.certificatePolicies ?? []).flatMap((p) => {
      const c = Object.hasOwn(QUALIFIED_CLASS_POLICIES, p.oid) ? QUALIFIED_CLASS_POLICIES[p.oid] : undefined;
      return c ? [c] : [];
    });
  }

  /**
   * True when the certificate follows the Russian qualified-certificate profile (FSB order 795,
   * field-requirements.md §2, gost.md §1.5): it carries subjectSignTool (1.2.643.100.111),
   * issuerSignTool (1.2.643.100.112) and at least one sign-tool class policy
   * 1.2.643.100.113.1-6 (KC1...KA1). This is a profile check only: whether the issuer is an
   * accredited CA is decided by path validation against the Минцифры trusted list.
   */
  get isQualified(): boolean {
    return this.subjectSignTool !== undefined && this.issuerSignTool !== undefined && this.qualifiedClasses.length > 0;
  }

  /**
   * Whole days from `now` until notAfter, rounded down; negative once expired.
   *
   * @example
   * ```ts
   * if (cert.expiresInDays() < 30) warn();
   * ```
   */
  expiresInDays(now: Date = new Date()): number {
    return Math.floor((this.notAfter.getTime() - now.getTime()) / DAY_MS);
  }

  /** True when `time` is within notBefore..notAfter inclusive (RFC 5280 §4.1.2.5). */
  isValidAt(time: Date = new Date()): boolean {
    const t = time.getTime();
    return t >= this.notBefore.getTime() && t <= this.notAfter.getTime();
  }

  /**
   * The hash of the whole DER certificate (the thumbprint users compare).
   *
   * @example
   * ```ts
   * cert.fingerprintHex('sha1'); // 'a1b2...'
   * ```
   */
  fingerprint(alg: FingerprintAlgorithm): Uint8Array {
    const hash = HASHES.get(alg);
    if (!hash) throw new TypeError(`unknown fingerprint algorithm ${String(alg)}`);
    return this.memo(`fp:${alg}`, () => hash(this.raw));
  }

  /** {@link fingerprint} as lower-case hex. */
  fingerprintHex(alg: FingerprintAlgorithm): string {
    return hex(this.fingerprint(alg));
  }

  /** The owner's full name: surname + givenName (given name and patronymic) when present, else CN. */
  get ownerName(): string | undefined {
    const s = this.subject;
    if (s.surname && s.givenName) return `${s.surname} ${s.givenName}`;
    return s.commonName ?? s.surname ?? s.organization;
  }

  /**
   * A readable multi-line description in English or Russian: owner, identifiers, organisation,
   * issuer, validity, serial, key algorithm and parameter set, key usage, EKU, policies and
   * qualified class, sign tools, fingerprints.
   *
   * @throws DecodeError when an extension it shows is malformed.
   * @example
   * ```ts
   * console.log(cert.describe('ru'));
   * ```
   */
  describe(lang: Lang = 'en'): string {
    return renderLines(describeRows(this, lang));
  }

  /** The decoded fields for JSON output (`eds cert --json`): dates as ISO strings, bytes as hex. */
  toJSON(): Record<string, unknown> {
    return certificateJson(this);
  }
}

function describeRows(c: Certificate, lang: Lang): [string, string | undefined][] {
  const L = labelsFor(lang);
  const s = c.subject;
  const pkup = c.privateKeyUsagePeriod;
  const ist = c.issuerSignTool;
  const bc = c.basicConstraints;
  const id = (oid: string) => oidName(oid, lang);
  return [
    [L.owner, c.ownerName],
    [id('1.2.643.100.3'), s.snils],
    [id('1.2.643.3.131.1.1'), s.inn],
    [id('1.2.643.100.4'), s.innle],
    [id('1.2.643.100.1'), s.ogrn],
    [id('1.2.643.100.5'), s.ogrnip],
    [lang === 'ru' ? 'ИИН' : 'IIN', s.iin],
    [lang === 'ru' ? 'БИН' : 'BIN', s.bin],
    [L.organization, s.organization],
    [L.unit, s.organizationalUnit],
    [L.title, s.title],
    [L.email, s.email],
    [L.subject, s.toString()],
    [L.issuer, c.issuer.commonName ? `${c.issuer.commonName} (${c.issuer.toString()})` : c.issuer.toString()],
    [L.validFrom, `${formatDate(c.notBefore, lang)} ${L.validTo} ${formatDate(c.notAfter, lang)}`],
    [
      L.keyPeriod,
      pkup
        ? `${pkup.notBefore ? formatDate(pkup.notBefore, lang) : '…'} – ${pkup.notAfter ? formatDate(pkup.notAfter, lang) : '…'}`
        : undefined,
    ],
    [L.serial, serialText(c.serialHex)],
    [
      L.keyAlgorithm,
      `${id(c.publicKeyAlgorithm.oid)}${c.publicKeyParamSet ? `, ${L.paramSet} ${id(c.publicKeyParamSet)}` : ''}`,
    ],
    [L.signatureAlgorithm, id(c.signatureAlgorithm.oid)],
    [L.ca, bc?.ca ? `${L.yes}${bc.pathLength !== undefined ? `, ${L.pathLen} ${bc.pathLength}` : ''}` : undefined],
    [L.keyUsage, c.keyUsage ? [...c.keyUsage].join(', ') : undefined],
    [L.extKeyUsage, c.extKeyUsage?.map(id).join(', ')],
    [L.policies, c.certificatePolicies?.map((p) => id(p.oid)).join(', ')],
    [L.qualified, c.isQualified ? `${L.yes} (${c.qualifiedClasses.join(', ')})` : L.no],
    [L.subjectSignTool, c.subjectSignTool],
    [L.issuerSignTool, ist ? [ist.signTool, ist.cATool, ist.signToolCert, ist.cAToolCert].join('\n') : undefined],
    [L.ocsp, c.authorityInfoAccess?.ocsp.join(', ')],
    [L.caIssuers, c.authorityInfoAccess?.caIssuers.join(', ')],
    [L.crlDp, c.crlDistributionPoints?.flatMap((d) => d.uris).join(', ')],
    [`${L.fingerprint} SHA-1`, c.fingerprintHex('sha1')],
    [`${L.fingerprint} SHA-256`, c.fingerprintHex('sha256')],
    [`${L.fingerprint} ${lang === 'ru' ? 'ГОСТ Р 34.11-2012' : 'Streebog-256'}`, c.fingerprintHex('streebog256')],
  ];
}

function nameJson(n: Name): Record<string, unknown> {
  return {
    text: n.toString(),
    attributes: n.attributes.map((a) => ({ type: a.type, name: oidName(a.type), value: a.value })),
  };
}

function generalNameJson(g: GeneralName): Record<string, unknown> {
  if (g.type === 'directoryName') return { type: g.type, value: g.value.toString() };
  if ('raw' in g) return { type: g.type, raw: hex(g.raw) };
  if (g.type === 'otherName') return { type: g.type, typeId: g.typeId, value: hex(g.value) };
  return { type: g.type, value: g.value instanceof Uint8Array ? hex(g.value) : g.value };
}

function certificateJson(c: Certificate): Record<string, unknown> {
  const s = c.subject;
  const pkup = c.privateKeyUsagePeriod;
  const aki = c.authorityKeyIdentifier;
  return {
    version: c.version,
    serialNumber: c.serialHex,
    signatureAlgorithm: { oid: c.signatureAlgorithm.oid, name: oidName(c.signatureAlgorithm.oid) },
    issuer: nameJson(c.issuer),
    subject: nameJson(s),
    identifiers: { inn: s.inn, innle: s.innle, ogrn: s.ogrn, ogrnip: s.ogrnip, snils: s.snils, iin: s.iin, bin: s.bin },
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    publicKey: {
      algorithm: c.publicKeyAlgorithm.oid,
      name: oidName(c.publicKeyAlgorithm.oid),
      paramSet: c.publicKeyParamSet,
    },
    isCA: c.isCA,
    isQualified: c.isQualified,
    qualifiedClasses: c.qualifiedClasses,
    basicConstraints: c.basicConstraints,
    keyUsage: c.keyUsage ? [...c.keyUsage] : undefined,
    extKeyUsage: c.extKeyUsage,
    certificatePolicies: c.certificatePolicies?.map((p) => ({
      oid: p.oid,
      qualifiers: p.qualifiers.map((q) => ({ oid: q.oid, cps: q.cps, userNotice: q.userNotice })),
    })),
    subjectKeyIdentifier: c.subjectKeyIdentifier ? hex(c.subjectKeyIdentifier) : undefined,
    authorityKeyIdentifier: aki
      ? {
          keyIdentifier: aki.keyIdentifier ? hex(aki.keyIdentifier) : undefined,
          authorityCertIssuer: aki.authorityCertIssuer?.map(generalNameJson),
          authorityCertSerialNumber: aki.authorityCertSerialNumber?.toString(16),
        }
      : undefined,
    authorityInfoAccess: c.authorityInfoAccess
      ? { ocsp: c.authorityInfoAccess.ocsp, caIssuers: c.authorityInfoAccess.caIssuers }
      : undefined,
    crlDistributionPoints: c.crlDistributionPoints?.map((d) => d.uris),
    subjectAltName: c.subjectAltName?.map(generalNameJson),
    privateKeyUsagePeriod: pkup
      ? { notBefore: pkup.notBefore?.toISOString(), notAfter: pkup.notAfter?.toISOString() }
      : undefined,
    subjectSignTool: c.subjectSignTool,
    issuerSignTool: c.issuerSignTool,
    extensions: extensionsJson(c.extensions),
    fingerprints: {
      sha1: c.fingerprintHex('sha1'),
      sha256: c.fingerprintHex('sha256'),
      streebog256: c.fingerprintHex('streebog256'),
    },
    notes: c.notes,
  };
}

/**
 * Parses one X.509 certificate from DER, PEM (first `CERTIFICATE` block) or Base64 (RFC 5280 §4.1).
 *
 * @throws DecodeError `ERR_DECODE_DER` for malformed DER (with offset and path), differing inner
 *   and outer signature algorithms, extensions outside v3, duplicate extensions;
 *   `ERR_DECODE_TOO_LARGE` past `maxSize`; the PEM/Base64 errors of `toDer`.
 * @example
 * ```ts
 * const cert = parseCertificate(pemText);
 * cert.subject.snils; cert.isQualified; cert.describe('ru');
 * ```
 */
export function parseCertificate(input: Uint8Array | string, options: CertificateOptions = {}): Certificate {
  const maxSize = options.maxSize ?? DEFAULT_MAX_CERT;
  const der = toDer(input, {
    labels: ['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE'],
    maxBytes: maxSize * 2,
  });
  return new Certificate(decodeDer(der, 'Certificate', { maxSize }));
}

/** Options of {@link parseCertificates}. */
export interface CertificatesOptions {
  /** Largest accepted input in bytes (default 64 MiB). */
  maxSize?: number;
  /** Most certificates returned (default 10,000). */
  maxCount?: number;
}

/**
 * Parses a certificate bundle: several PEM `CERTIFICATE` blocks, PEM `PKCS7`/`CMS` blocks, one
 * DER certificate, or a DER "certs-only" PKCS#7/CMS SignedData (.p7b; RFC 5652 §5.1 ContentInfo
 * with `certificates [0]`). Other CertificateChoices (attribute and other certificates) are
 * skipped. BER (indefinite-length) .p7b files are not read.
 *
 * ```asn1
 * ContentInfo ::= SEQUENCE { contentType OBJECT IDENTIFIER, content [0] EXPLICIT ANY }
 * SignedData ::= SEQUENCE { version, digestAlgorithms SET, encapContentInfo SEQUENCE,
 *   certificates [0] IMPLICIT CertificateSet OPTIONAL, crls [1] IMPLICIT RevocationInfoChoices OPTIONAL, signerInfos SET }
 * ```
 *
 * @throws DecodeError as {@link parseCertificate}; `ERR_DECODE_FORMAT` for a ContentInfo that is
 *   not SignedData; `ERR_DECODE_TOO_LARGE` past the limits.
 * @example
 * ```ts
 * const chain = parseCertificates(p7bBytes);
 * ```
 */
export function parseCertificates(input: Uint8Array | string, options: CertificatesOptions = {}): Certificate[] {
  const maxSize = options.maxSize ?? 64 * 1024 * 1024;
  const maxCount = options.maxCount ?? 10_000;
  const out: Certificate[] = [];
  const add = (c: Certificate) => {
    if (out.length >= maxCount) throw new DecodeError('ERR_DECODE_TOO_LARGE', `more than ${maxCount} certificates`);
    out.push(c);
  };
  if (detectEncoding(input) === 'pem') {
    const text = typeof input === 'string' ? input : new TextDecoder('latin1').decode(input);
    for (const block of decodePem(text, { maxBytes: maxSize * 2 })) {
      if (/^(X509 |TRUSTED )?CERTIFICATE$/.test(block.label))
        add(new Certificate(decodeDer(block.bytes, 'Certificate', { maxSize })));
      else if (block.label === 'PKCS7' || block.label === 'CMS') for (const c of fromDer(block.bytes, maxSize)) add(c);
    }
    return out;
  }
  for (const c of fromDer(toDer(input, { maxBytes: maxSize * 2 }), maxSize)) add(c);
  return out;
}

function fromDer(der: Uint8Array, maxSize: number): Certificate[] {
  const root = decodeDer(der, 'input', { maxSize });
  const first = root.read().next(undefined, 'first');
  if (first.tag !== TAG.OID) return [new Certificate(root.named('Certificate'))];
  const r = root.named('ContentInfo').read();
  const type = r.next(TAG.OID, 'contentType').oid();
  if (type !== OID_CMS_SIGNED_DATA) {
    throw new DecodeError('ERR_DECODE_FORMAT', `ContentInfo of type ${type} is not SignedData`, {
      offset: root.offset,
    });
  }
  const sd = r.next(contextTag(0, true), 'content').explicit(0).named('SignedData').read();
  r.end();
  sd.next(TAG.INTEGER, 'version');
  sd.next(TAG.SET, 'digestAlgorithms');
  sd.next(TAG.SEQUENCE, 'encapContentInfo');
  const certs = sd.optional(contextTag(0, true), 'certificates');
  if (!certs) return [];
  return certs.children().flatMap((c) => (c.tag === TAG.SEQUENCE ? [new Certificate(c)] : []));
}
