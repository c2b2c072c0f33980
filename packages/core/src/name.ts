// X.500 distinguished names (RFC 5280 §4.1.2.4, §7.1; RFC 4514 string form) with Russian and Kazakh identifiers.

import { bytesEqual, hex } from './_describe';
import { Der, decodeDer, TAG } from './asn1';
import { DecodeError } from './errors';
import {
  OID_COMMON_NAME,
  OID_COUNTRY,
  OID_DOMAIN_COMPONENT,
  OID_EMAIL_ADDRESS,
  OID_GIVEN_NAME,
  OID_INN,
  OID_INNLE,
  OID_LOCALITY,
  OID_OGRN,
  OID_OGRNIP,
  OID_ORGANIZATION,
  OID_ORGANIZATIONAL_UNIT,
  OID_SERIAL_NUMBER,
  OID_SNILS,
  OID_STATE_OR_PROVINCE,
  OID_STREET,
  OID_SURNAME,
  OID_TITLE,
  OID_USER_ID,
} from './oids';

/**
 * One AttributeTypeAndValue of a name.
 * `value` is the decoded string for every character-string type, otherwise `#` + hex of the DER
 * (RFC 4514 §2.4); `raw` is the DER of the value; `rdn` is the index of its RDN in `rdns`.
 */
export interface NameAttribute {
  readonly type: string;
  readonly value: string;
  /** DER TLV of the attribute value (its ASN.1 type is `raw[0]`). */
  readonly raw: Uint8Array;
  /** True when the value is a character string. */
  readonly isString: boolean;
  readonly rdn: number;
}

/** Upper bound on attributes in one name; real names have fewer than 30. */
const MAX_ATTRIBUTES = 1024;

/** RFC 4514 §3 short names; other types print as dotted OIDs with a hex value. */
const RFC4514_NAMES: Readonly<Record<string, string>> = {
  [OID_COMMON_NAME]: 'CN',
  [OID_LOCALITY]: 'L',
  [OID_STATE_OR_PROVINCE]: 'ST',
  [OID_ORGANIZATION]: 'O',
  [OID_ORGANIZATIONAL_UNIT]: 'OU',
  [OID_COUNTRY]: 'C',
  [OID_STREET]: 'STREET',
  [OID_DOMAIN_COMPONENT]: 'DC',
  [OID_USER_ID]: 'UID',
};

/**
 * A read-only view of an X.501 Name (RFC 5280 §4.1.2.4). Multi-valued RDNs are kept.
 *
 * ```asn1
 * Name ::= CHOICE { rdnSequence RDNSequence }
 * RDNSequence ::= SEQUENCE OF RelativeDistinguishedName
 * RelativeDistinguishedName ::= SET SIZE (1..MAX) OF AttributeTypeAndValue
 * AttributeTypeAndValue ::= SEQUENCE { type OBJECT IDENTIFIER, value ANY -- DEFINED BY type }
 * ```
 */
export class Name {
  /** @internal use {@link parseName}. */
  constructor(
    /** DER of the whole Name. */
    readonly raw: Uint8Array,
    /** The RDNs in encoded order (most significant first), each a set of attributes. */
    readonly rdns: readonly (readonly NameAttribute[])[],
  ) {}

  /** Every attribute in encoded order. */
  get attributes(): readonly NameAttribute[] {
    return this.rdns.flat();
  }

  /** The first value of an attribute type, or undefined. */
  get(type: string): string | undefined {
    for (const rdn of this.rdns) for (const a of rdn) if (a.type === type) return a.value;
    return undefined;
  }

  /** Every value of an attribute type, in order. */
  getAll(type: string): string[] {
    return this.attributes.filter((a) => a.type === type).map((a) => a.value);
  }

  get commonName(): string | undefined {
    return this.get(OID_COMMON_NAME);
  }
  get surname(): string | undefined {
    return this.get(OID_SURNAME);
  }
  /** givenName; in Russian certificates the given name and patronymic ("Иван Иванович"). */
  get givenName(): string | undefined {
    return this.get(OID_GIVEN_NAME);
  }
  get organization(): string | undefined {
    return this.get(OID_ORGANIZATION);
  }
  get organizationalUnit(): string | undefined {
    return this.get(OID_ORGANIZATIONAL_UNIT);
  }
  get title(): string | undefined {
    return this.get(OID_TITLE);
  }
  get country(): string | undefined {
    return this.get(OID_COUNTRY);
  }
  get stateOrProvince(): string | undefined {
    return this.get(OID_STATE_OR_PROVINCE);
  }
  get locality(): string | undefined {
    return this.get(OID_LOCALITY);
  }
  get street(): string | undefined {
    return this.get(OID_STREET);
  }
  /** PKCS #9 emailAddress. */
  get email(): string | undefined {
    return this.get(OID_EMAIL_ADDRESS);
  }
  /** X.520 serialNumber as written (for Kazakh certificates `IIN...`; see {@link iin}). */
  get serialNumber(): string | undefined {
    return this.get(OID_SERIAL_NUMBER);
  }

  /**
   * ИНН of an individual (1.2.643.3.131.1.1), trimmed. A value of "00" followed by 10 digits is
   * the legacy encoding of a legal entity's INN (before INNLE existed): it is returned as written
   * here and decoded by {@link innle}.
   */
  get inn(): string | undefined {
    return this.get(OID_INN)?.trim();
  }

  /**
   * ИНН ЮЛ, the 10-digit INN of a legal entity: the INNLE attribute (1.2.643.100.4) when present,
   * else the legacy "00" + 10 digits form in the INN attribute with the two zeros dropped. This
   * normalisation is not in field-requirements.md; it follows the pre-2021 FSB order 795 profile
   * where legal entities' INNs were padded to 12 digits [unconfirmed].
   */
  get innle(): string | undefined {
    const le = this.get(OID_INNLE)?.trim();
    if (le !== undefined) return le;
    const inn = this.inn;
    return inn && /^00\d{10}$/.test(inn) ? inn.slice(2) : undefined;
  }

  get ogrn(): string | undefined {
    return this.get(OID_OGRN)?.trim();
  }
  get ogrnip(): string | undefined {
    return this.get(OID_OGRNIP)?.trim();
  }
  get snils(): string | undefined {
    return this.get(OID_SNILS)?.trim();
  }

  /**
   * Kazakh ИИН: the 12 digits of a subject `serialNumber` written `IIN` + 12 digits
   * (field-requirements.md §2, marked [unconfirmed] there).
   */
  get iin(): string | undefined {
    return prefixed(this.getAll(OID_SERIAL_NUMBER), 'IIN');
  }

  /** Kazakh БИН: the 12 digits of an `OU` written `BIN` + 12 digits (field-requirements.md §2, [unconfirmed]). */
  get bin(): string | undefined {
    return prefixed(this.getAll(OID_ORGANIZATIONAL_UNIT), 'BIN');
  }

  /** True when the name has no RDN (allowed for subjects with a subjectAltName). */
  get isEmpty(): boolean {
    return this.rdns.length === 0;
  }

  /**
   * The RFC 4514 string: RDNs last-to-first, `+` inside multi-valued RDNs, RFC 4514 §3 short
   * names, other types as dotted OIDs with `#` + hex of the DER value, specials escaped (§2.4).
   *
   * @example
   * ```ts
   * name.toString(); // 'CN=Иванов Иван,O=ООО Ромашка,C=RU'
   * ```
   */
  toString(): string {
    return [...this.rdns]
      .reverse()
      .map((rdn) => rdn.map(attributeText).join('+'))
      .join(',');
  }

  /**
   * Name matching per RFC 5280 §7.1: same RDN count, each RDN the same set of attributes;
   * string values compared after Unicode NFKC, case folding and whitespace compression (an
   * approximation of the RFC 4518 preparation), other values byte for byte.
   */
  equals(other: Name): boolean {
    if (bytesEqual(this.raw, other.raw)) return true;
    if (this.rdns.length !== other.rdns.length) return false;
    return this.rdns.every((rdn, i) => rdnEquals(rdn, other.rdns[i] as readonly NameAttribute[]));
  }
}

function prefixed(values: string[], prefix: string): string | undefined {
  for (const v of values) {
    const m = new RegExp(`^${prefix}(\\d{12})$`).exec(v.trim());
    if (m) return m[1];
  }
  return undefined;
}

function attributeText(a: NameAttribute): string {
  const short = Object.hasOwn(RFC4514_NAMES, a.type) ? RFC4514_NAMES[a.type] : undefined;
  if (!short || !a.isString) return `${a.type}=#${hex(a.raw)}`;
  return `${short}=${escapeValue(a.value)}`;
}

/** RFC 4514 §2.4 escaping. */
function escapeValue(v: string): string {
  let s = v.replace(/[\\"+,;<>]/g, (c) => `\\${c}`).replace(/\0/g, '\\00');
  if (s.startsWith('#') || s.startsWith(' ')) s = `\\${s}`;
  // a one-character value ' ' was escaped as leading space just above
  if (v.length > 1 && v.endsWith(' ')) s = `${s.slice(0, -1)}\\ `;
  return s;
}

/** RFC 5280 §7.1 / RFC 4518 (approximate): NFKC, case fold, compress white space. */
export function prepareString(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

function attributeEquals(a: NameAttribute, b: NameAttribute): boolean {
  if (a.type !== b.type) return false;
  if (a.isString && b.isString) return prepareString(a.value) === prepareString(b.value);
  return bytesEqual(a.raw, b.raw);
}

/** The comparison key of {@link attributeEquals}: equal keys exactly when the attributes match. */
function attributeKey(a: NameAttribute): string {
  // A string value's DER never equals a non-string's (their tags differ), so the two kinds cannot collide.
  return `${a.type} ${a.isString ? `s${prepareString(a.value)}` : `b${hex(a.raw)}`}`;
}

/** Multiset equality of two RDNs, linear in their size (an RDN may hold up to 1024 attributes). */
function rdnEquals(a: readonly NameAttribute[], b: readonly NameAttribute[]): boolean {
  if (a.length !== b.length) return false;
  if (a.length === 1) return attributeEquals(a[0] as NameAttribute, b[0] as NameAttribute);
  const counts = new Map<string, number>();
  for (const x of a) {
    const k = attributeKey(x);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  for (const y of b) {
    const k = attributeKey(y);
    const n = counts.get(k);
    if (!n) return false;
    counts.set(k, n - 1);
  }
  return true;
}

function readAttribute(node: Der, rdn: number): NameAttribute {
  const r = node.read();
  const type = r.next(TAG.OID, 'type').oid();
  const valueNode = r.next(undefined, 'value');
  r.end();
  const isString = valueNode.isString;
  const value = isString ? valueNode.string() : `#${hex(valueNode.bytes)}`;
  return { type, value, raw: valueNode.bytes, isString, rdn };
}

/**
 * Decodes a Name (RFC 5280 §4.1.2.4) from DER bytes or a decoded node. Every character-string
 * type is read (UTF8, Printable, Teletex as Latin-1, BMP, Universal, IA5, Numeric, Visible).
 *
 * @throws DecodeError `ERR_DECODE_DER` for malformed DER, an empty RDN, a non-OID type, or an
 *   invalid string; `ERR_DECODE_TOO_LARGE` past 1024 attributes.
 * @example
 * ```ts
 * const subject = parseName(nameDer);
 * subject.snils; // '12345678901'
 * ```
 */
export function parseName(input: Uint8Array | Der): Name {
  const node = input instanceof Der ? input : decodeDer(input, 'Name');
  node.expect(TAG.SEQUENCE);
  const rdns: NameAttribute[][] = [];
  let count = 0;
  for (const set of node.iterate()) {
    set.expect(TAG.SET);
    const attrs: NameAttribute[] = [];
    for (const atv of set.iterate()) {
      if (++count > MAX_ATTRIBUTES) {
        throw new DecodeError('ERR_DECODE_TOO_LARGE', `more than ${MAX_ATTRIBUTES} attributes in a name`, {
          offset: atv.offset,
          path: node.path,
        });
      }
      attrs.push(readAttribute(atv, rdns.length));
    }
    if (attrs.length === 0) throw set.error('empty RelativeDistinguishedName');
    rdns.push(attrs);
  }
  return new Name(node.bytes, rdns);
}
