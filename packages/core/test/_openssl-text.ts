// Test support (Node only): reading values out of OpenSSL's `-text` output (dates, integers, serials, RFC 2253 names), for the X.509, CRL and OCSP interop tests.
import type { Name } from '@eds/core/name';
import { expect } from 'vitest';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Jan  1 08:30:00 2010 GMT` (ASN1_TIME_print) → Date. */
export function opensslDate(text: string): Date {
  const m = /^(\w{3}) +(\d{1,2}) (\d\d):(\d\d):(\d\d) (\d{4}) GMT$/.exec(text.trim());
  if (!m) throw new Error(`unexpected OpenSSL date ${JSON.stringify(text)}`);
  const [, mon, d, h, mi, s, y] = m as unknown as [string, string, string, string, string, string, string];
  return new Date(Date.UTC(Number(y), MONTHS.indexOf(mon), Number(d), Number(h), Number(mi), Number(s)));
}

/** An INTEGER as OpenSSL prints an extension value: decimal, `0x` hex for large values, or colon-separated hex. */
export function opensslInteger(text: string): bigint {
  const t = text.trim();
  const neg = t.startsWith('-');
  const body = neg ? t.slice(1).trim() : t;
  let v: bigint;
  if (/^0x/i.test(body)) v = BigInt(body);
  else if (/[:a-f]/i.test(body)) v = BigInt(`0x${body.replace(/:/g, '')}`);
  else v = BigInt(body);
  return neg ? -v : v;
}

/** A serial number as `crl -text` and `ocsp -text` print it: hex, `-` for a negative one. */
export function opensslSerial(text: string): bigint {
  const t = text.trim();
  return t.startsWith('-') ? -BigInt(`0x${t.slice(1)}`) : BigInt(`0x${t}`);
}

/** Lower-case hex. */
export const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** Upper-case hex with colons, as OpenSSL prints key identifiers. */
export const colonHex = (b: Uint8Array): string => (hex(b).match(/../g) ?? []).join(':').toUpperCase();

/** OpenSSL's short names of the attribute types RFC 4514 §3 does not name (PKITS uses them). */
const OPENSSL_NAMES: Record<string, string> = {
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.12': 'title',
  '2.5.4.42': 'GN',
  '2.5.4.43': 'initials',
  '2.5.4.44': 'generationQualifier',
  '2.5.4.46': 'dnQualifier',
  '2.5.4.65': 'pseudonym',
  '1.2.643.3.131.1.1': 'INN',
  '1.2.643.100.1': 'OGRN',
  '1.2.643.100.3': 'SNILS',
  '1.2.643.100.4': 'INNLE',
  '1.2.643.100.5': 'OGRNIP',
};

/** Splits an RFC 4514 string at unescaped `,` and `+` into `type=value` texts, values unescaped. */
export function rfc4514Attributes(text: string): [string, string][] {
  return text.split(/(?<=(?:^|[^\\])(?:\\\\)*)[,+]/).map((part) => {
    const eq = part.indexOf('=');
    return [part.slice(0, eq), part.slice(eq + 1).replace(/\\(.)/g, '$1')];
  });
}

/**
 * Our RFC 4514 string against OpenSSL's RFC 2253 output: equal as text when every attribute type
 * has an RFC 4514 §3 short name (compared without case: OpenSSL writes `street`); otherwise (OpenSSL names more types than RFC 4514 does, and we
 * print the others as dotted OIDs with `#` + hex) attribute by attribute.
 */
export function compareName(name: Name, theirs: string, label: string): void {
  const ours = name.toString();
  if (!name.attributes.some((a) => OPENSSL_NAMES[a.type])) {
    expect(ours, label).toBe(theirs);
    return;
  }
  const attrs = [...name.rdns].reverse().flat();
  const mine = rfc4514Attributes(ours);
  const got = rfc4514Attributes(theirs);
  expect(mine.length, label).toBe(attrs.length);
  expect(got.length, label).toBe(attrs.length);
  attrs.forEach((a, i) => {
    const [type, value] = mine[i] as [string, string];
    const openssl = OPENSSL_NAMES[a.type];
    if (openssl) {
      expect([type, value], label).toEqual([a.type, `#${hex(a.raw)}`]);
      expect(got[i], label).toEqual([openssl, a.value]);
    } else expect([got[i]?.[0]?.toUpperCase(), got[i]?.[1]], label).toEqual([type.toUpperCase(), value]); // OpenSSL: `street`
  });
}
