// Internal: shared Russian/English rendering helpers for the describe() and toJSON() of certificate, CRL and OCSP views.
import { bytesToBigInt } from './_bytes';
import { contextTag, Der, TAG } from './asn1';
import type { AlgorithmIdentifier } from './types';

// The byte helpers live in _bytes.ts; these names stay for the modules that import them from here.
export { equalBytes as bytesEqual, hexOf as hex } from './_bytes';

/** Output language of `describe()`. */
export type Lang = 'en' | 'ru';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** A date as OpenSSL prints it: `Dec 31 23:59:59 2025 GMT` (field-requirements.md §2). */
export function opensslDate(d: Date): string {
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${d.getUTCFullYear()} GMT`;
}

/** A date for people: OpenSSL form in English, `31.12.2025 23:59:59 UTC` in Russian. */
export function formatDate(d: Date, lang: Lang): string {
  if (lang !== 'ru') return opensslDate(d);
  return `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
}

/** Labels used by the describe() renderers, by language. */
export const LABELS = {
  en: {
    certificate: 'Certificate',
    owner: 'Owner',
    issuer: 'Issuer',
    subject: 'Subject',
    organization: 'Organisation',
    unit: 'Unit',
    title: 'Title',
    email: 'E-mail',
    validFrom: 'Valid from',
    validTo: 'to',
    keyPeriod: 'Private key usable',
    serial: 'Serial number',
    version: 'Version',
    keyAlgorithm: 'Public key',
    paramSet: 'parameter set',
    signatureAlgorithm: 'Signature algorithm',
    keyUsage: 'Key usage',
    extKeyUsage: 'Extended key usage',
    policies: 'Policies',
    qualified: 'Qualified (Russian profile)',
    qualifiedClass: 'Signature tool class',
    subjectSignTool: 'Owner signature tool',
    issuerSignTool: 'CA tools',
    ca: 'CA certificate',
    pathLen: 'path length',
    yes: 'yes',
    no: 'no',
    fingerprint: 'Fingerprint',
    ocsp: 'OCSP',
    caIssuers: 'CA issuers',
    crlDp: 'CRL distribution points',
    thisUpdate: 'This update',
    nextUpdate: 'Next update',
    crlNumber: 'CRL number',
    deltaOf: 'Delta CRL of',
    revoked: 'Revoked certificates',
    revocationList: 'Certificate revocation list',
    ocspResponse: 'OCSP response',
    status: 'Status',
    responder: 'Responder',
    producedAt: 'Produced at',
    certStatus: 'Certificate status',
    reason: 'reason',
    nonce: 'Nonce',
    none: 'none',
  },
  ru: {
    certificate: 'Сертификат',
    owner: 'Владелец',
    issuer: 'Издатель',
    subject: 'Субъект',
    organization: 'Организация',
    unit: 'Подразделение',
    title: 'Должность',
    email: 'Эл. почта',
    validFrom: 'Действителен с',
    validTo: 'по',
    keyPeriod: 'Срок действия закрытого ключа',
    serial: 'Серийный номер',
    version: 'Версия',
    keyAlgorithm: 'Открытый ключ',
    paramSet: 'набор параметров',
    signatureAlgorithm: 'Алгоритм подписи',
    keyUsage: 'Использование ключа',
    extKeyUsage: 'Улучшенный ключ',
    policies: 'Политики',
    qualified: 'Квалифицированный (профиль РФ)',
    qualifiedClass: 'Класс средства ЭП',
    subjectSignTool: 'Средство ЭП владельца',
    issuerSignTool: 'Средства УЦ',
    ca: 'Сертификат УЦ',
    pathLen: 'длина пути',
    yes: 'да',
    no: 'нет',
    fingerprint: 'Отпечаток',
    ocsp: 'OCSP',
    caIssuers: 'Сертификаты УЦ',
    crlDp: 'Точки распространения CRL',
    thisUpdate: 'Выпущен',
    nextUpdate: 'Следующее обновление',
    crlNumber: 'Номер CRL',
    deltaOf: 'Разностный к CRL',
    revoked: 'Отозванных сертификатов',
    revocationList: 'Список отозванных сертификатов',
    ocspResponse: 'Ответ OCSP',
    status: 'Статус',
    responder: 'Ответчик',
    producedAt: 'Сформирован',
    certStatus: 'Статус сертификата',
    reason: 'причина',
    nonce: 'Nonce',
    none: 'нет',
  },
} as const;

/**
 * The labels for `lang`; anything but `'ru'` gets English. Never `LABELS[lang]`: a language
 * string from a caller (`'constructor'`) must not reach Object.prototype.
 */
export function labelsFor(lang: Lang): (typeof LABELS)[Lang] {
  return lang === 'ru' ? LABELS.ru : LABELS.en;
}

/** Renders label/value pairs as aligned lines; undefined values are left out. */
export function renderLines(rows: readonly (readonly [string, string | undefined])[]): string {
  const kept = rows.filter((r): r is readonly [string, string] => r[1] !== undefined && r[1] !== '');
  const width = kept.reduce((w, [k]) => Math.max(w, k.length), 0);
  return kept
    .map(([k, v]) => `${`${k}:`.padEnd(width + 2)}${v.replace(/\n/g, `\n${' '.repeat(width + 2)}`)}`)
    .join('\n');
}

/** Hex of an unsigned big-endian serial, upper case with colons, as people compare it. */
export function serialText(hexDigits: string): string {
  return (hexDigits.match(/../g) ?? [hexDigits]).join(':').toUpperCase();
}

/** AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL } (RFC 5280 §4.1.1.2). */
export function readAlgorithm(node: Der): AlgorithmIdentifier {
  const r = node.read();
  const oid = r.next(TAG.OID, 'algorithm').oid();
  const params = r.more ? r.next(undefined, 'parameters').bytes : undefined;
  r.end();
  return params ? { oid, params } : { oid };
}

/** A node re-read under another identifier octet (an IMPLICIT tag), keeping offsets; its children get the default depth limit. */
export function retag(node: Der, tag: number): Der {
  if (tag === node.tag) return node;
  return new Der(tag, tag & 0x1f, node.bytes, node.value, node.offset, node.path, node.depth, 64);
}

/** The context tag `[n]` identifier octet (re-export for the views). */
export const ctx = contextTag;

/** Time ::= CHOICE { utcTime UTCTime, generalTime GeneralizedTime } (RFC 5280 §4.1.2.5). */
export function readTime(node: Der): Date {
  return node.time();
}

/** Longest serial-number INTEGER read: RFC 5280 §4.1.2.2 allows 20 octets; padded and oversized ones are tolerated up to this. */
export const MAX_SERIAL_BYTES = 128;

/**
 * The contents of a serial-number INTEGER with redundant sign octets dropped (`00 00 01` gives
 * `01`, `ff ff 80` gives `80`): two serials are equal in value exactly when these bytes are.
 *
 * @throws DecodeError for a node that is not an INTEGER, empty, or longer than {@link MAX_SERIAL_BYTES}.
 */
export function serialBytes(node: Der): Uint8Array {
  const v = node.expect(TAG.INTEGER).value;
  if (v.length === 0) throw node.error('empty INTEGER');
  if (v.length > MAX_SERIAL_BYTES) throw node.tooLarge(`serial number longer than ${MAX_SERIAL_BYTES} bytes`);
  let i = 0;
  while (i + 1 < v.length) {
    const a = v[i] as number;
    const b = v[i + 1] as number;
    if (!((a === 0 && b < 0x80) || (a === 0xff && b >= 0x80))) break;
    i++;
  }
  return v.subarray(i);
}

/**
 * A serial-number INTEGER read without the DER minimality check: BoringSSL and Chrome accept
 * padded serials in issued certificates, CRL entries and OCSP CertIDs, so serials are matched
 * by value. Returns the value and whether the encoding was minimal.
 *
 * @throws DecodeError as {@link serialBytes}.
 */
export function readSerial(node: Der): { value: bigint; minimal: boolean } {
  const v = serialBytes(node);
  let n = bytesToBigInt(v);
  if ((v[0] as number) >= 0x80) n -= 1n << BigInt(8 * v.length);
  return { value: n, minimal: v.length === node.value.length };
}
