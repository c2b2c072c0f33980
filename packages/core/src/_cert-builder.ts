// Internal DER builders shared by csr.ts and testing.ts: X.501 Names with the Russian and Kazakh identifiers
// (RFC 5280 §4.1.2.4, FSB order 795), X.509 v3 extensions (RFC 5280 §4.2) and signed envelopes (RFC 5280 §4.1.1).
import { sha1 } from '@noble/hashes/legacy.js';
import { bytesToBigInt } from './_bytes';
import { decodeDer, der, TAG } from './asn1';
import { KEY_USAGE_BITS, type KeyUsageName } from './extensions';
import type { Signer } from './types';

/** The attribute names a {@link NameInput} object may use. */
export type NameAttributeName =
  | 'country'
  | 'stateOrProvince'
  | 'locality'
  | 'street'
  | 'organization'
  | 'organizationalUnit'
  | 'title'
  | 'commonName'
  | 'surname'
  | 'givenName'
  | 'pseudonym'
  | 'serialNumber'
  | 'email'
  | 'domainComponent'
  | 'inn'
  | 'innle'
  | 'ogrn'
  | 'ogrnip'
  | 'snils'
  | 'iin'
  | 'bin';

/** A character-string type for an explicit {@link NameEntry}. */
export type StringEncoding = 'utf8' | 'printable' | 'numeric' | 'ia5' | 'bmp';

/** One RDN with one attribute: a known name or a dotted OID, its value, optionally the string type. */
export interface NameEntry {
  readonly type: NameAttributeName | string;
  readonly value: string;
  /** Overrides the string type (and the value checks of the Russian identifiers). */
  readonly encoding?: StringEncoding;
}

/**
 * A distinguished name to encode: an object of named attributes (written in a fixed conventional
 * order, country first; an array value gives repeated RDNs), an ordered list of entries or
 * `[type, value]` pairs, or the DER of a Name used as is.
 */
export type NameInput =
  | Readonly<Partial<Record<NameAttributeName, string | readonly string[]>>>
  | readonly (NameEntry | readonly [string, string])[]
  | Uint8Array;

interface AttributeRule {
  readonly oid: string;
  readonly encoding: StringEncoding;
  /** Digits required for the Russian numeric identifiers. */
  readonly digits?: number;
  /** Kazakh identifiers are written with a prefix into another attribute. */
  readonly prefix?: string;
}

/**
 * Attribute types and their string types: X.520 DirectoryString as UTF8String (RFC 5280 §4.1.2.6),
 * country and serialNumber PrintableString, emailAddress and domainComponent IA5String (RFC 5280
 * appendix A), the Russian identifiers NumericString of fixed length (FSB order 795: INN 12,
 * INNLE 10, OGRN 13, OGRNIP 15, SNILS 11 digits). The Kazakh IIN goes into serialNumber as
 * `IIN` + 12 digits and the BIN into organizationalUnit as `BIN` + 12 digits (field-requirements.md §2,
 * marked unconfirmed there).
 */
const ATTRIBUTES: Readonly<Record<NameAttributeName, AttributeRule>> = {
  country: { oid: '2.5.4.6', encoding: 'printable' },
  stateOrProvince: { oid: '2.5.4.8', encoding: 'utf8' },
  locality: { oid: '2.5.4.7', encoding: 'utf8' },
  street: { oid: '2.5.4.9', encoding: 'utf8' },
  organization: { oid: '2.5.4.10', encoding: 'utf8' },
  organizationalUnit: { oid: '2.5.4.11', encoding: 'utf8' },
  title: { oid: '2.5.4.12', encoding: 'utf8' },
  commonName: { oid: '2.5.4.3', encoding: 'utf8' },
  surname: { oid: '2.5.4.4', encoding: 'utf8' },
  givenName: { oid: '2.5.4.42', encoding: 'utf8' },
  pseudonym: { oid: '2.5.4.65', encoding: 'utf8' },
  serialNumber: { oid: '2.5.4.5', encoding: 'printable' },
  email: { oid: '1.2.840.113549.1.9.1', encoding: 'ia5' },
  domainComponent: { oid: '0.9.2342.19200300.100.1.25', encoding: 'ia5' },
  inn: { oid: '1.2.643.3.131.1.1', encoding: 'numeric', digits: 12 },
  innle: { oid: '1.2.643.100.4', encoding: 'numeric', digits: 10 },
  ogrn: { oid: '1.2.643.100.1', encoding: 'numeric', digits: 13 },
  ogrnip: { oid: '1.2.643.100.5', encoding: 'numeric', digits: 15 },
  snils: { oid: '1.2.643.100.3', encoding: 'numeric', digits: 11 },
  iin: { oid: '2.5.4.5', encoding: 'printable', digits: 12, prefix: 'IIN' },
  bin: { oid: '2.5.4.11', encoding: 'utf8', digits: 12, prefix: 'BIN' },
};

/** The order in which the attributes of a NameInput object are written. */
const ATTRIBUTE_ORDER = Object.keys(ATTRIBUTES) as NameAttributeName[];

const MAX_NAME_VALUE = 1024;
const MAX_RDNS = 64;

function encodeString(value: string, encoding: StringEncoding): Uint8Array {
  switch (encoding) {
    case 'printable':
      return der.printable(value);
    case 'numeric':
      return der.numeric(value);
    case 'ia5':
      return der.ia5(value);
    case 'bmp':
      return der.bmp(value);
    default:
      return der.utf8(value);
  }
}

/** The rule of a known attribute name; own properties only, so `toString` or `__proto__` is no name. */
function attributeRule(type: string): AttributeRule | undefined {
  return typeof type === 'string' && Object.hasOwn(ATTRIBUTES, type)
    ? ATTRIBUTES[type as NameAttributeName]
    : undefined;
}

function encodeAttribute(type: string, value: string, encoding?: StringEncoding): Uint8Array {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_NAME_VALUE) {
    throw new RangeError(`name attribute ${type}: value must be a string of 1 to ${MAX_NAME_VALUE} characters`);
  }
  const rule = attributeRule(type);
  if (!rule) {
    if (!/^\d+(\.\d+)+$/.test(type)) throw new TypeError(`unknown name attribute ${JSON.stringify(type)}`);
    return der.setOf(der.seq(der.oid(type), encodeString(value, encoding ?? 'utf8')));
  }
  let text = value;
  if (rule.digits !== undefined && encoding === undefined) {
    const digits = rule.prefix && value.startsWith(rule.prefix) ? value.slice(rule.prefix.length) : value;
    if (!new RegExp(`^\\d{${rule.digits}}$`).test(digits)) {
      throw new RangeError(`name attribute ${type}: expected ${rule.digits} digits, got ${JSON.stringify(value)}`);
    }
    text = (rule.prefix ?? '') + digits;
  }
  if (type === 'country' && encoding === undefined && !/^[A-Z]{2}$/.test(value)) {
    throw new RangeError(`country must be two capital letters (ISO 3166), got ${JSON.stringify(value)}`);
  }
  return der.setOf(der.seq(der.oid(rule.oid), encodeString(text, encoding ?? rule.encoding)));
}

/**
 * Encodes a distinguished name (RFC 5280 §4.1.2.4), one attribute per RDN.
 *
 * ```asn1
 * Name ::= SEQUENCE OF RelativeDistinguishedName
 * RelativeDistinguishedName ::= SET SIZE (1..MAX) OF AttributeTypeAndValue
 * AttributeTypeAndValue ::= SEQUENCE { type OBJECT IDENTIFIER, value ANY DEFINED BY type }
 * ```
 *
 * @throws TypeError for an unknown attribute name; RangeError for a value the attribute cannot hold
 *   (a country that is not two capital letters, an INN that is not 12 digits, ...).
 * @example
 * ```ts
 * encodeName({ country: 'RU', commonName: 'Иванов Иван', snils: '11223344595', inn: '500100732259' });
 * ```
 */
export function encodeName(input: NameInput): Uint8Array {
  if (input instanceof Uint8Array) {
    decodeDer(input, 'Name').read();
    return input;
  }
  const rdns: Uint8Array[] = [];
  if (Array.isArray(input)) {
    for (const entry of input as readonly (NameEntry | readonly [string, string])[]) {
      if (Array.isArray(entry)) rdns.push(encodeAttribute(entry[0] as string, entry[1] as string));
      else {
        const e = entry as NameEntry;
        rdns.push(encodeAttribute(e.type, e.value, e.encoding));
      }
    }
  } else {
    const object = input as Readonly<Record<string, string | readonly string[] | undefined>>;
    for (const key of Object.keys(object)) {
      if (!attributeRule(key)) throw new TypeError(`unknown name attribute ${JSON.stringify(key)}`);
    }
    for (const key of ATTRIBUTE_ORDER) {
      const value = object[key];
      if (value === undefined) continue;
      for (const v of typeof value === 'string' ? [value] : value) rdns.push(encodeAttribute(key, v));
    }
  }
  if (rdns.length > MAX_RDNS) throw new RangeError(`a name of more than ${MAX_RDNS} attributes`);
  return der.seq(...rdns);
}

// ---------------------------------------------------------------------------------------------
// Extensions (RFC 5280 §4.2)

export type { KeyUsageName };

/** Extended key usage purposes by name (RFC 5280 §4.2.1.12); any other value is taken as a dotted OID. */
export const EKU_OIDS: Readonly<Record<string, string>> = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  OCSPSigning: '1.3.6.1.5.5.7.3.9',
};

/** The OID of an extended key usage given by name or as a dotted OID. @throws RangeError for anything else. */
function ekuOid(usage: string): string {
  if (typeof usage === 'string' && Object.hasOwn(EKU_OIDS, usage)) return EKU_OIDS[usage] as string;
  if (typeof usage === 'string' && /^\d+(\.\d+)+$/.test(usage)) return usage;
  throw new RangeError(`unknown extended key usage ${JSON.stringify(usage)}: a name of EKU_OIDS or a dotted OID`);
}

/** A GeneralName (RFC 5280 §4.2.1.6) of one of the forms in use. */
export type GeneralNameInput =
  | { readonly email: string }
  | { readonly dns: string }
  | { readonly uri: string }
  | { readonly ip: string }
  | { readonly directoryName: NameInput };

/** An extension given as its DER value (the contents of extnValue). */
export interface RawExtension {
  readonly oid: string;
  readonly critical?: boolean;
  /** DER of the extension value, without the OCTET STRING wrapper. */
  readonly value: Uint8Array;
}

/** The Russian issuerSignTool value (FSB order 795): the four names of the tools and their conformity certificates. */
export interface IssuerSignToolInput {
  readonly signTool: string;
  readonly cATool: string;
  readonly signToolCert: string;
  readonly cAToolCert: string;
}

/** Certificate extensions to write; each field is one extension. */
export interface ExtensionsInput {
  /** KeyUsage, critical. */
  readonly keyUsage?: readonly KeyUsageName[];
  /** ExtendedKeyUsage by name (`clientAuth`, `emailProtection`, ...) or OID, not critical. */
  readonly extKeyUsage?: readonly string[];
  readonly subjectAltName?: readonly GeneralNameInput[];
  /** BasicConstraints, critical when `ca` is true. */
  readonly basicConstraints?: { readonly ca: boolean; readonly pathLen?: number };
  /** Policy OIDs, or OIDs with a CPS URI (id-qt-cps). */
  readonly certificatePolicies?: readonly (string | { readonly oid: string; readonly cps?: string })[];
  /** subjectSignTool (1.2.643.100.111), UTF8String. */
  readonly subjectSignTool?: string;
  /** issuerSignTool (1.2.643.100.112). */
  readonly issuerSignTool?: IssuerSignToolInput;
  /** PrivateKeyUsagePeriod (2.5.29.16). */
  readonly privateKeyUsagePeriod?: { readonly notBefore?: Date; readonly notAfter?: Date };
  /** CRL distribution point URIs, one DistributionPoint each. */
  readonly crlDistributionPoints?: readonly string[];
  /** AuthorityInfoAccess URIs. */
  readonly authorityInfoAccess?: { readonly ocsp?: readonly string[]; readonly caIssuers?: readonly string[] };
  /** id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1), for delegated OCSP responders. */
  readonly ocspNoCheck?: boolean;
  /** SubjectKeyIdentifier value. */
  readonly subjectKeyIdentifier?: Uint8Array;
  /** AuthorityKeyIdentifier keyIdentifier. */
  readonly authorityKeyIdentifier?: Uint8Array;
  /** Further extensions as DER; one with the OID of a generated extension replaces it. */
  readonly extra?: readonly RawExtension[];
}

/** Extension OIDs written here. */
export const EXT = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  privateKeyUsagePeriod: '2.5.29.16',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  cRLNumber: '2.5.29.20',
  reasonCode: '2.5.29.21',
  deltaCRLIndicator: '2.5.29.27',
  crlDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
  subjectSignTool: '1.2.643.100.111',
  issuerSignTool: '1.2.643.100.112',
} as const;

/** IA5String with an implicit context tag, as GeneralName's rfc822Name, dNSName and URI are. */
function ia5Tagged(n: number, s: string): Uint8Array {
  return der.implicit(n, der.ia5(s));
}

function ipBytes(ip: string): Uint8Array {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (v4) {
    const bytes = v4.slice(1).map(Number);
    if (bytes.some((b) => b > 255)) throw new RangeError(`bad IPv4 address ${ip}`);
    return Uint8Array.from(bytes);
  }
  throw new RangeError(`only IPv4 addresses are supported here, got ${JSON.stringify(ip)}`);
}

/** Encodes a GeneralName (RFC 5280 §4.2.1.6). @throws RangeError for a bad value. */
export function encodeGeneralName(name: GeneralNameInput): Uint8Array {
  if ('email' in name) return ia5Tagged(1, name.email);
  if ('dns' in name) return ia5Tagged(2, name.dns);
  if ('uri' in name) return ia5Tagged(6, name.uri);
  if ('ip' in name) return der.tlv(0x87, ipBytes(name.ip));
  if ('directoryName' in name) return der.explicit(4, encodeName(name.directoryName));
  throw new TypeError('unknown GeneralName form');
}

/** An Extension (RFC 5280 §4.1): `SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }`. */
export function encodeExtension(oid: string, value: Uint8Array, critical = false): Uint8Array {
  return critical ? der.seq(der.oid(oid), der.bool(true), der.octets(value)) : der.seq(der.oid(oid), der.octets(value));
}

function policies(list: NonNullable<ExtensionsInput['certificatePolicies']>): Uint8Array {
  return der.seq(
    ...list.map((p) => {
      const { oid, cps } = typeof p === 'string' ? { oid: p, cps: undefined } : p;
      const qualifiers = cps ? [der.seq(der.seq(der.oid('1.3.6.1.5.5.7.2.1'), der.ia5(cps)))] : [];
      return der.seq(der.oid(oid), ...qualifiers);
    }),
  );
}

function uris(list: readonly string[], method: string): Uint8Array[] {
  return list.map((u) => der.seq(der.oid(method), ia5Tagged(6, u)));
}

function basicConstraints(bc: NonNullable<ExtensionsInput['basicConstraints']>): Uint8Array {
  const parts: Uint8Array[] = [];
  if (bc.ca) parts.push(der.bool(true));
  if (bc.pathLen !== undefined) {
    if (!bc.ca) throw new RangeError('basicConstraints.pathLen needs ca: true');
    if (!Number.isInteger(bc.pathLen) || bc.pathLen < 0) throw new RangeError('pathLen must be a non-negative integer');
    parts.push(der.int(bc.pathLen));
  }
  return der.seq(...parts);
}

function keyUsage(names: readonly KeyUsageName[]): Uint8Array {
  return der.flags(
    names.map((n) => {
      const bit = KEY_USAGE_BITS.indexOf(n);
      if (bit < 0) throw new RangeError(`unknown key usage ${JSON.stringify(n)}`);
      return bit;
    }),
  );
}

function privateKeyUsagePeriod(p: NonNullable<ExtensionsInput['privateKeyUsagePeriod']>): Uint8Array {
  const parts: Uint8Array[] = [];
  const whole = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000);
  if (p.notBefore) parts.push(der.implicit(0, der.generalizedTime(whole(p.notBefore))));
  if (p.notAfter) parts.push(der.implicit(1, der.generalizedTime(whole(p.notAfter))));
  return der.seq(...parts);
}

/**
 * Encodes the extensions asked for, in a fixed order, each as a DER Extension.
 *
 * @throws RangeError for a value an extension cannot hold; TypeError for an unknown form.
 * @example
 * ```ts
 * const exts = encodeExtensions({ keyUsage: ['digitalSignature'], extKeyUsage: ['clientAuth'] });
 * ```
 */
export function encodeExtensions(input: ExtensionsInput): Uint8Array[] {
  const out: [string, Uint8Array, boolean][] = [];
  const add = (oid: string, value: Uint8Array, critical = false) => out.push([oid, value, critical]);
  if (input.basicConstraints)
    add(EXT.basicConstraints, basicConstraints(input.basicConstraints), input.basicConstraints.ca);
  if (input.keyUsage) add(EXT.keyUsage, keyUsage(input.keyUsage), true);
  if (input.extKeyUsage) {
    add(EXT.extKeyUsage, der.seq(...input.extKeyUsage.map((u) => der.oid(ekuOid(u)))));
  }
  if (input.subjectKeyIdentifier) add(EXT.subjectKeyIdentifier, der.octets(input.subjectKeyIdentifier));
  if (input.authorityKeyIdentifier) {
    add(EXT.authorityKeyIdentifier, der.seq(der.tlv(0x80, input.authorityKeyIdentifier)));
  }
  if (input.privateKeyUsagePeriod) add(EXT.privateKeyUsagePeriod, privateKeyUsagePeriod(input.privateKeyUsagePeriod));
  if (input.subjectAltName) add(EXT.subjectAltName, der.seq(...input.subjectAltName.map(encodeGeneralName)));
  if (input.certificatePolicies) add(EXT.certificatePolicies, policies(input.certificatePolicies));
  if (input.crlDistributionPoints?.length) {
    const points = input.crlDistributionPoints.map((u) => der.seq(der.explicit(0, der.tlv(0xa0, ia5Tagged(6, u)))));
    add(EXT.crlDistributionPoints, der.seq(...points));
  }
  const aia = input.authorityInfoAccess;
  if (aia && (aia.ocsp?.length || aia.caIssuers?.length)) {
    const entries = [...uris(aia.ocsp ?? [], '1.3.6.1.5.5.7.48.1'), ...uris(aia.caIssuers ?? [], '1.3.6.1.5.5.7.48.2')];
    add(EXT.authorityInfoAccess, der.seq(...entries));
  }
  if (input.ocspNoCheck) add(EXT.ocspNoCheck, der.null());
  if (input.subjectSignTool !== undefined) add(EXT.subjectSignTool, der.utf8(input.subjectSignTool));
  if (input.issuerSignTool) {
    const t = input.issuerSignTool;
    add(EXT.issuerSignTool, der.seq(...[t.signTool, t.cATool, t.signToolCert, t.cAToolCert].map(der.utf8)));
  }
  for (const raw of input.extra ?? []) {
    decodeDer(raw.value, `extension ${raw.oid}`);
    const at = out.findIndex(([oid]) => oid === raw.oid);
    const entry: [string, Uint8Array, boolean] = [raw.oid, raw.value, raw.critical ?? false];
    if (at >= 0) out[at] = entry;
    else out.push(entry);
  }
  return out.map(([oid, value, critical]) => encodeExtension(oid, value, critical));
}

// ---------------------------------------------------------------------------------------------
// Keys, serials, signing

/** The subjectPublicKey bits of a SubjectPublicKeyInfo (RFC 5280 §4.1.2.7). @throws DecodeError. */
export function subjectPublicKeyBits(spki: Uint8Array): Uint8Array {
  const r = decodeDer(spki, 'SubjectPublicKeyInfo').read();
  r.next(TAG.SEQUENCE, 'algorithm');
  const bits = r.next(TAG.BIT_STRING, 'subjectPublicKey').bitBytes();
  r.end();
  return bits;
}

/** Key identifier method 1 of RFC 5280 §4.2.1.2: SHA-1 of the subjectPublicKey bits. */
export function keyIdentifier(spki: Uint8Array): Uint8Array {
  return sha1(subjectPublicKeyBits(spki));
}

/** A random positive 16-byte serial number (RFC 5280 §4.1.2.2 allows up to 20 octets). */
export function randomSerial(): bigint {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = ((bytes[0] as number) & 0x7f) | 0x01;
  return bytesToBigInt(bytes);
}

/** Checks a serial number is positive and fits 20 octets (RFC 5280 §4.1.2.2). @throws RangeError. */
export function checkSerial(serial: bigint): bigint {
  if (typeof serial !== 'bigint' || serial <= 0n || serial >= 1n << 159n) {
    throw new RangeError('serial number must be a positive integer of at most 20 octets');
  }
  return serial;
}

/**
 * Signs a TBS structure and wraps it (RFC 5280 §4.1.1, RFC 2986 §4.2, RFC 6960 §4.2.1):
 * `SEQUENCE { tbs, signatureAlgorithm AlgorithmIdentifier, signature BIT STRING }`.
 */
export async function signEnvelope(
  signer: Signer,
  tbs: Uint8Array,
  signal?: AbortSignal,
  extra: readonly Uint8Array[] = [],
): Promise<Uint8Array> {
  const signature = await signer.sign(tbs, signal ? { signal } : undefined);
  return der.seq(tbs, signer.algorithm.identifier(), der.bits(signature), ...extra);
}

/** The TBS, AlgorithmIdentifier and signature bits of a signed envelope; views of `bytes`. @throws DecodeError. */
export function readEnvelope(
  bytes: Uint8Array,
  path: string,
): { tbs: Uint8Array; algorithm: { oid: string; params?: Uint8Array }; signature: Uint8Array } {
  const r = decodeDer(bytes, path).read();
  const tbs = r.next(TAG.SEQUENCE, 'tbs');
  const alg = r.next(TAG.SEQUENCE, 'signatureAlgorithm').read();
  const oid = alg.next(TAG.OID, 'algorithm').oid();
  const params = alg.more ? alg.next(undefined, 'parameters').bytes : undefined;
  alg.end();
  const signature = r.next(TAG.BIT_STRING, 'signature').bitBytes();
  r.end();
  return { tbs: tbs.bytes, algorithm: params ? { oid, params } : { oid }, signature };
}
