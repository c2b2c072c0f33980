// Tests of formatReport and checkMessage: verdict lines, Russian and Kazakh signers, 63-ФЗ art. 11 conditions, revocation lines, the message catalogue and hostile strings (ETSI EN 319 102-1 §5.1).
import {
  CHECK_MESSAGES,
  checkMessage,
  formatReport,
  SUB_INDICATION_MESSAGES,
  subIndicationMessage,
} from '@eds/verify/format';
import type {
  ChainEntry,
  Check,
  CheckCode,
  CheckOutcome,
  Identity,
  Indication,
  RevocationReport,
  SignatureFormat,
  SignatureReport,
  SubIndication,
  TimestampReport,
  VerificationReport,
} from '@eds/verify/report';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// Every code and sub-indication, written out here; the type lines below fail tsc when report.ts grows.
const ALL_CODES = [
  'FORMAT_OK',
  'FORMAT_INVALID',
  'CONTENT_MISSING',
  'DIGEST_MATCH',
  'DIGEST_MISMATCH',
  'SIGNATURE_VALID',
  'SIGNATURE_INVALID',
  'ALGORITHM_UNSUPPORTED',
  'SIGNED_ATTRIBUTES_OK',
  'SIGNED_ATTRIBUTES_INVALID',
  'CONTENT_TYPE_MISMATCH',
  'SIGNING_CERTIFICATE_FOUND',
  'SIGNING_CERTIFICATE_NOT_FOUND',
  'SIGNING_CERTIFICATE_BOUND',
  'SIGNING_CERTIFICATE_ATTRIBUTE_MISSING',
  'SIGNING_CERTIFICATE_MISMATCH',
  'PATH_VALID',
  'PATH_NO_PATH',
  'PATH_NAME_CHAINING',
  'PATH_SIGNATURE',
  'PATH_UNSUPPORTED_ALGORITHM',
  'PATH_EXPIRED',
  'PATH_NOT_YET_VALID',
  'PATH_NOT_CA',
  'PATH_PATH_LENGTH',
  'PATH_KEY_USAGE',
  'PATH_EXTENDED_KEY_USAGE',
  'PATH_NAME_CONSTRAINTS',
  'PATH_POLICY',
  'PATH_UNKNOWN_CRITICAL_EXTENSION',
  'PATH_MALFORMED',
  'PATH_REVOKED',
  'PATH_SUSPENDED',
  'PATH_REVOCATION_UNKNOWN',
  'PATH_ANCHOR_NOT_ALLOWED',
  'PATH_BUDGET',
  'REVOCATION_GOOD',
  'REVOCATION_REVOKED',
  'REVOCATION_SUSPENDED',
  'REVOKED_AFTER_SIGNING',
  'REVOCATION_UNKNOWN',
  'REVOCATION_NOT_CHECKED',
  'TIMESTAMP_VALID',
  'TIMESTAMP_INVALID',
  'TIMESTAMP_IMPRINT_MISMATCH',
  'TIMESTAMP_UNTRUSTED',
  'TIMESTAMP_ORDER',
  'QUALIFIED',
  'NOT_QUALIFIED',
  'VALID_AT_SIGNING_TIME',
  'KEY_USAGE_OK',
  'KEY_USAGE_NOT_FOR_SIGNING',
  'CERT_EXPIRES_SOON',
  'LEGACY_ALGORITHM',
  'WEAK_ALGORITHM',
  'TEST_CA',
  'NO_SIGNING_TIME',
  'SIGNING_TIME_UNTRUSTED',
] as const satisfies readonly CheckCode[];
const ALL_SUBS = [
  'FORMAT_FAILURE',
  'HASH_FAILURE',
  'SIG_CRYPTO_FAILURE',
  'REVOKED',
  'SIG_CONSTRAINTS_FAILURE',
  'CHAIN_CONSTRAINTS_FAILURE',
  'CERTIFICATE_CHAIN_GENERAL_FAILURE',
  'CRYPTO_CONSTRAINTS_FAILURE',
  'EXPIRED',
  'NOT_YET_VALID',
  'POLICY_PROCESSING_ERROR',
  'SIGNATURE_POLICY_NOT_AVAILABLE',
  'TIMESTAMP_ORDER_FAILURE',
  'NO_SIGNING_CERTIFICATE_FOUND',
  'NO_CERTIFICATE_CHAIN_FOUND',
  'REVOKED_NO_POE',
  'REVOKED_CA_NO_POE',
  'OUT_OF_BOUNDS_NO_POE',
  'OUT_OF_BOUNDS_NOT_REVOKED',
  'CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
  'NO_POE',
  'TRY_LATER',
  'SIGNED_DATA_NOT_FOUND',
] as const satisfies readonly SubIndication[];
const codesComplete: [Exclude<CheckCode, (typeof ALL_CODES)[number]>] extends [never] ? true : false = true;
const subsComplete: [Exclude<SubIndication, (typeof ALL_SUBS)[number]>] extends [never] ? true : false = true;
const OUTCOMES: readonly CheckOutcome[] = ['passed', 'failed', 'indeterminate', 'warning', 'info', 'skipped'];
const INDICATIONS: readonly Indication[] = ['TOTAL_PASSED', 'TOTAL_FAILED', 'INDETERMINATE'];

const T_VALIDATION = '2026-12-04T21:05:00Z';
const T_SIGNED = '2026-12-04T20:00:00Z';

const ivanov: Identity = {
  subject: 'CN=Иванов Иван Иванович,SN=Иванов,G=Иван Иванович,O=ООО «Ромашка»,INN=500100732259',
  commonName: 'Иванов Иван Иванович',
  fullName: 'Иванов Иван Иванович',
  organization: 'ООО «Ромашка»',
  title: 'Генеральный директор',
  inn: '500100732259',
  innLe: '7707083893',
  snils: '11223344595',
  ogrn: '1027700132195',
  email: 'ivanov@example.ru',
};
const kazakh: Identity = {
  subject: 'CN=ЖУМАБЕКОВ АСКАР,SERIALNUMBER=IIN880101300123,OU=BIN990140000123',
  commonName: 'ЖУМАБЕКОВ АСКАР',
  iin: '880101300123',
  bin: '990140000123',
};

const good: RevocationReport = { status: 'good', source: 'ocsp', thisUpdate: '2026-12-04T20:30:00Z' };
const chain: ChainEntry[] = [
  {
    subject: 'CN=Иванов Иван Иванович',
    issuer: 'CN=Тестовый УЦ',
    serialNumber: '01AB',
    notBefore: '2026-01-01T00:00:00Z',
    notAfter: '2027-01-01T00:00:00Z',
    fingerprint: 'AA'.repeat(32),
    trustAnchor: false,
    revocation: good,
  },
  {
    subject: 'CN=Тестовый УЦ',
    issuer: 'CN=Тестовый УЦ',
    serialNumber: '01',
    notBefore: '2025-01-01T00:00:00Z',
    notAfter: '2035-01-01T00:00:00Z',
    fingerprint: 'BB'.repeat(32),
    trustAnchor: true,
  },
];

const passedChecks: Check[] = [
  { code: 'FORMAT_OK', outcome: 'passed' },
  { code: 'DIGEST_MATCH', outcome: 'passed', params: { algorithm: 'GOST R 34.11-2012 256' } },
  { code: 'SIGNATURE_VALID', outcome: 'passed' },
  { code: 'SIGNING_CERTIFICATE_BOUND', outcome: 'passed' },
  { code: 'PATH_VALID', outcome: 'passed' },
  { code: 'REVOCATION_GOOD', outcome: 'passed', params: { source: 'ocsp' } },
  { code: 'QUALIFIED', outcome: 'info' },
  { code: 'VALID_AT_SIGNING_TIME', outcome: 'passed' },
  { code: 'KEY_USAGE_OK', outcome: 'passed' },
];

function sig(over: Partial<SignatureReport> = {}): SignatureReport {
  return {
    id: 'S1',
    indication: 'TOTAL_PASSED',
    format: 'CAdES-BES',
    signer: ivanov,
    qualified: true,
    signatureAlgorithm: 'GOST R 34.10-2012 256',
    digestAlgorithm: 'GOST R 34.11-2012 256',
    claimedSigningTime: T_SIGNED,
    bestSignatureTime: T_VALIDATION,
    timestamps: [],
    chain,
    revocation: good,
    checks: passedChecks,
    countersignatures: [],
    ...over,
  };
}

function report(signatures: SignatureReport[], over: Partial<VerificationReport> = {}): VerificationReport {
  const worst =
    signatures.find((s) => s.indication === 'TOTAL_FAILED') ?? signatures.find((s) => s.indication === 'INDETERMINATE');
  return {
    indication: signatures.length === 0 ? 'INDETERMINATE' : (worst?.indication ?? 'TOTAL_PASSED'),
    subIndication: worst?.subIndication,
    validationTime: T_VALIDATION,
    container: 'CMS',
    signatures,
    checks: [],
    ...over,
  };
}

const lines = (r: VerificationReport, lang: 'ru' | 'en' = 'ru', verbose = false) =>
  formatReport(r, { lang, verbose }).split('\n');

describe('verdict line', () => {
  it('says the document is authentic for one and for several valid signatures', () => {
    expect(lines(report([sig()]))[0]).toBe('Подлинность документа подтверждена');
    expect(lines(report([sig()]), 'en')[0]).toBe('Signature is valid');
    const three = report([sig(), sig({ id: 'S2' }), sig({ id: 'S3' })]);
    expect(lines(three)[0]).toBe('Подлинность документа подтверждена, подписей: 3');
    expect(lines(three, 'en')[0]).toBe('All 3 signatures are valid');
  });

  it('says the signature is invalid, with the reason on the next line', () => {
    const r = report([sig({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' })]);
    expect(lines(r).slice(0, 2)).toEqual(['Подпись недействительна', 'Причина: Документ изменён после подписания']);
    expect(lines(r, 'en').slice(0, 2)).toEqual([
      'Signature is invalid',
      'Reason: The document was changed after it was signed',
    ]);
  });

  it('says the signature could not be verified: revocation service down, chain not built', () => {
    const later = report([sig({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' })]);
    expect(lines(later)[0]).toBe('Не удалось подтвердить подлинность подписи');
    expect(lines(later)[1]).toBe(
      'Причина: Не удалось проверить статус сертификата: служба OCSP/CRL недоступна. Повторите попытку позже',
    );
    expect(lines(later, 'en')[0]).toBe('The signature could not be verified');
    expect(lines(later, 'en')[1]).toMatch(/^Reason: .*OCSP\/CRL service is unavailable\. Try again later$/);
    const chainless = report([sig({ indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' })]);
    expect(lines(chainless)[1]).toContain('корневой сертификат удостоверяющего центра не является доверенным');
    expect(lines(chainless, 'en')[1]).toContain('root certificate is not trusted');
  });

  it('names the signature that failed when there are several', () => {
    const r = report([sig(), sig({ id: 'S2', indication: 'TOTAL_FAILED', subIndication: 'SIG_CRYPTO_FAILURE' })]);
    expect(lines(r)[0]).toBe('Подпись недействительна');
    expect(lines(r)[1]).toMatch(/^Причина \(подпись S2\): Значение подписи не прошло криптографическую проверку/);
    expect(lines(r, 'en')[1]).toMatch(/^Reason \(signature S2\): The signature value failed/);
  });

  it('takes the reason from the first failed check when there is no sub-indication', () => {
    const failed = sig({
      indication: 'TOTAL_FAILED',
      checks: [...passedChecks.slice(0, 1), { code: 'SIGNING_CERTIFICATE_MISMATCH', outcome: 'failed' }],
    });
    expect(lines(report([failed]))[1]).toBe(
      'Причина: Сертификат подписанта не совпадает с указанным в атрибуте signingCertificate (возможна подмена сертификата)',
    );
  });

  it('never says valid over a failed signature or without any signature', () => {
    const inconsistent = report([sig(), sig({ id: 'S2', indication: 'TOTAL_FAILED', subIndication: 'REVOKED' })], {
      indication: 'TOTAL_PASSED',
      subIndication: undefined,
    });
    expect(lines(inconsistent).slice(0, 2)).toEqual([
      'Подпись недействительна',
      'Причина (подпись S2): Сертификат подписанта отозван',
    ]);
    const empty = report([], { indication: 'TOTAL_PASSED' });
    expect(lines(empty).slice(0, 2)).toEqual([
      'Не удалось подтвердить подлинность подписи',
      'Причина: Подписанные данные не найдены: подписи нет или к отсоединённой подписи не приложен документ',
    ]);
    const garbage = report([], {
      indication: 'TOTAL_FAILED',
      subIndication: 'FORMAT_FAILURE',
      checks: [{ code: 'FORMAT_INVALID', outcome: 'failed', detail: 'not DER' }],
    });
    expect(lines(garbage, 'en').slice(0, 2)).toEqual([
      'Signature is invalid',
      'Reason: The signature file is damaged or not in a supported format',
    ]);
    expect(lines(garbage, 'en')).toContain('  [FAIL] The signature file is damaged or not in a supported format');
  });

  it('prints the validation time in UTC, dd.mm.yyyy in Russian and ISO-like in English', () => {
    expect(lines(report([sig()]))).toContain('Время проверки: 04.12.2026 21:05:00 UTC');
    expect(lines(report([sig()]), 'en')).toContain('Validation time: 2026-12-04 21:05:00 UTC');
    const offset = report([sig()], { validationTime: '2026-12-05T00:05:00.123+03:00' });
    expect(lines(offset)).toContain('Время проверки: 04.12.2026 21:05:00 UTC');
    expect(lines(report([sig()], { validationTime: 'yesterday' }), 'en')).toContain('Validation time: yesterday');
  });
});

describe('signer and signature details', () => {
  it('shows a qualified Russian signer: ФИО, organisation, INN, INN ЮЛ, SNILS, OGRN and the kind', () => {
    const ru = lines(report([sig()]));
    for (const l of [
      'Подпись S1: подлинность подтверждена',
      '  ФИО: Иванов Иван Иванович',
      '  Организация: ООО «Ромашка»',
      '  Должность: Генеральный директор',
      '  ИНН: 500100732259',
      '  ИНН ЮЛ: 7707083893',
      '  СНИЛС: 11223344595',
      '  ОГРН: 1027700132195',
      '  Эл. почта: ivanov@example.ru',
      '  Вид подписи: Квалифицированная электронная подпись (КЭП, по данным сертификата)',
      '  Формат: CAdES-BES',
      '  Алгоритм подписи: GOST R 34.10-2012 256',
      '  Алгоритм хэширования: GOST R 34.11-2012 256',
      '  Время подписания (указано подписантом, не подтверждено): 04.12.2026 20:00:00 UTC',
      '  Срок действия сертификата: с 01.01.2026 00:00:00 UTC по 01.01.2027 00:00:00 UTC',
    ])
      expect(ru).toContain(l);
    expect(ru.some((l) => /ИИН|БИН|ОГРНИП|ЭЦП|УНЭП/.test(l))).toBe(false);
    const en = lines(report([sig()]), 'en');
    for (const l of [
      'Signature S1: valid',
      '  Full name: Иванов Иван Иванович',
      '  INN (legal entity): 7707083893',
      '  SNILS: 11223344595',
      '  OGRN: 1027700132195',
      '  Signature type: Qualified electronic signature (as the certificate states)',
      '  Signing time (stated by the signer, not proven): 2026-12-04 20:00:00 UTC',
    ])
      expect(en).toContain(l);
  });

  it('states the three 63-ФЗ art. 11 conditions separately, each with its outcome', () => {
    const ru = lines(report([sig()]));
    const at = ru.indexOf('  Условия действительности КЭП (63-ФЗ, ст. 11):');
    expect(at).toBeGreaterThan(0);
    expect(ru.slice(at + 1, at + 4)).toEqual([
      '    [ok] 1. Сертификат действовал на момент подписания (04.12.2026 21:05:00 UTC, время подписания не подтверждено штампом времени, проверено на момент проверки): выполнено',
      '    [ok] 2. Подпись прошла криптографическую проверку: выполнено',
      '    [ok] 3. Подпись используется в пределах ограничений сертификата (проверено назначение ключа): выполнено',
    ]);
    const en = lines(report([sig()]), 'en');
    expect(en).toContain('  Conditions for a qualified signature (Federal Law 63-FZ, art. 11):');
    expect(en).toContain('    [ok] 2. The cryptographic check of the signature is positive: met');
  });

  it('marks each art. 11 condition by its own checks: failed, in doubt, not checked, proven by a time-stamp', () => {
    const ts: TimestampReport = {
      kind: 'signature',
      genTime: '2026-12-04T20:00:05Z',
      tsa: 'CN=TSA',
      hashAlgorithm: 'GOST R 34.11-2012 256',
      indication: 'TOTAL_PASSED',
      checks: [{ code: 'TIMESTAMP_VALID', outcome: 'passed' }],
    };
    const s = sig({
      indication: 'TOTAL_FAILED',
      subIndication: 'CHAIN_CONSTRAINTS_FAILURE',
      bestSignatureTime: '2026-12-04T20:00:05Z',
      timestamps: [ts],
      checks: [
        { code: 'DIGEST_MATCH', outcome: 'skipped' },
        { code: 'SIGNATURE_VALID', outcome: 'passed' },
        { code: 'KEY_USAGE_NOT_FOR_SIGNING', outcome: 'failed', params: { keyUsage: 'keyEncipherment' } },
      ],
    });
    const ru = lines(report([s]));
    expect(ru).toContain(
      '    [-] 1. Сертификат действовал на момент подписания (04.12.2026 20:00:05 UTC, время подтверждено штампом времени): не проверялось',
    );
    expect(ru).toContain('    [?] 2. Подпись прошла криптографическую проверку: не удалось установить');
    expect(ru).toContain(
      '    [FAIL] 3. Подпись используется в пределах ограничений сертификата (проверено назначение ключа): не выполнено',
    );
    expect(ru).toContain(
      '  Штамп времени подписи: 04.12.2026 20:00:05 UTC (служба штампов времени: CN=TSA) — действителен',
    );
    expect(ru).toContain(
      '    [FAIL] Назначение ключа в сертификате не допускает подписание документов (keyEncipherment)',
    );
    const en = lines(report([s]), 'en');
    expect(en).toContain('  Signature time-stamp: 2026-12-04 20:00:05 UTC (time-stamping authority: CN=TSA) — valid');
    expect(en).toContain(
      '    [FAIL] 3. The signature is used within the limits of the certificate (key usage checked): not met',
    );
  });

  it('shows a Kazakh signer with IIN and BIN and a non-qualified signature, without art. 11', () => {
    const kz = sig({ signer: kazakh, qualified: false, signatureAlgorithm: 'RSA PKCS#1 v1.5 SHA-256' });
    const ru = lines(report([kz]));
    expect(ru).toContain('  Владелец сертификата: ЖУМАБЕКОВ АСКАР');
    expect(ru).toContain('  ИИН: 880101300123');
    expect(ru).toContain('  БИН: 990140000123');
    expect(ru).toContain('  Вид подписи: Усиленная неквалифицированная электронная подпись');
    expect(ru.some((l) => /ИНН|СНИЛС|КЭП|ЭЦП|ст\. 11/.test(l))).toBe(false);
    const en = lines(report([kz]), 'en');
    expect(en).toContain('  IIN: 880101300123');
    expect(en).toContain('  BIN: 990140000123');
    expect(en).toContain('  Signature type: Advanced (non-qualified) electronic signature');
    expect(en.some((l) => l.includes('63-FZ'))).toBe(false);
  });

  it('prints no signature kind when no signer certificate was found, and the subject when there is no name', () => {
    const none = sig({
      signer: undefined,
      chain: [],
      qualified: false,
      indication: 'INDETERMINATE',
      subIndication: 'NO_SIGNING_CERTIFICATE_FOUND',
    });
    const ru = lines(report([none]));
    expect(ru.some((l) => l.includes('Вид подписи'))).toBe(false);
    expect(ru).toContain('  Причина: Сертификат подписанта не найден');
    const bare = sig({ signer: { subject: 'SERIALNUMBER=42' } });
    expect(lines(report([bare]))).toContain('  Субъект: SERIALNUMBER=42');
  });

  it('nests countersignatures under their signature, indented', () => {
    const counter = sig({
      id: 'S1.C1',
      signer: { subject: 'CN=Петров Пётр Петрович', fullName: 'Петров Пётр Петрович' },
      qualified: false,
    });
    const ru = lines(report([sig({ countersignatures: [counter] })]));
    const head = ru.indexOf('  Контрподпись S1.C1: подлинность подтверждена');
    expect(head).toBeGreaterThan(ru.indexOf('Подпись S1: подлинность подтверждена'));
    expect(ru[head + 1]).toBe('    ФИО: Петров Пётр Петрович');
    expect(ru).toContain('    Вид подписи: Усиленная неквалифицированная электронная подпись');
    expect(lines(report([sig({ countersignatures: [counter] })]), 'en')).toContain('  Countersignature S1.C1: valid');
  });

  it('stops at a countersignature depth limit instead of recursing without end', () => {
    let deep = sig({ id: 'deep', countersignatures: [] });
    for (let i = 0; i < 40; i++) deep = sig({ id: `L${i}`, countersignatures: [deep] });
    const out = lines(report([deep]));
    expect(out.some((l) => l.trim() === '… ещё не показано: 1')).toBe(true);
    expect(out.some((l) => l.includes('deep'))).toBe(false);
  });
});

describe('chain and revocation', () => {
  const revoked: RevocationReport = {
    status: 'revoked',
    source: 'crl',
    reason: 'keyCompromise',
    revocationTime: '2026-12-01T10:00:00Z',
    thisUpdate: '2026-12-04T00:00:00Z',
    url: 'http://ca.example/ca.crl',
  };
  const revokedSig = sig({
    indication: 'INDETERMINATE',
    subIndication: 'REVOKED_NO_POE',
    chain: [{ ...chain[0], revocation: revoked } as ChainEntry, chain[1] as ChainEntry],
    revocation: revoked,
    checks: [
      {
        code: 'REVOCATION_REVOKED',
        outcome: 'indeterminate',
        certificate: 0,
        params: { revocationTime: '2026-12-01T10:00:00Z', reason: 'keyCompromise', source: 'crl' },
      },
    ],
  });

  it('prints each certificate with issuer, serial, validity and revocation status, reason, time and source', () => {
    const ru = lines(report([revokedSig]));
    const at = ru.indexOf('  Цепочка сертификатов:');
    expect(ru.slice(at + 1, at + 7)).toEqual([
      '    1. CN=Иванов Иван Иванович',
      '      Издатель: CN=Тестовый УЦ',
      '      Серийный номер: 01AB',
      '      Действует: с 01.01.2026 00:00:00 UTC по 01.01.2027 00:00:00 UTC',
      '      Статус отзыва: отозван; дата отзыва: 01.12.2026 10:00:00 UTC; причина: компрометация ключа; источник: CRL; данные на: 04.12.2026 00:00:00 UTC',
      '    2. CN=Тестовый УЦ (доверенный корневой сертификат)',
    ]);
    const en = lines(report([revokedSig]), 'en');
    expect(en).toContain(
      '      Revocation status: revoked; revoked on: 2026-12-01 10:00:00 UTC; reason: key compromise; source: CRL; status as of: 2026-12-04 00:00:00 UTC',
    );
    expect(en).toContain('    2. CN=Тестовый УЦ (trust anchor)');
  });

  it('lists the revocation finding under problems with the certificate it concerns', () => {
    const ru = lines(report([revokedSig]));
    expect(ru).toContain('  Проблемы:');
    expect(ru).toContain(
      '    [?] Сертификат подписанта отозван 01.12.2026 10:00:00 UTC, причина: компрометация ключа, источник: CRL (сертификат 1: CN=Иванов Иван Иванович)',
    );
    expect(lines(report([revokedSig]), 'en')).toContain(
      "    [?] The signer's certificate has been revoked on 2026-12-01 10:00:00 UTC, reason: key compromise, source: CRL (certificate 1: CN=Иванов Иван Иванович)",
    );
  });

  it('prints OCSP, suspension and the evidence details in verbose mode', () => {
    const held: RevocationReport = {
      status: 'suspended',
      source: 'embedded-ocsp',
      reason: 'certificateHold',
      revocationTime: '2026-12-02T00:00:00Z',
      producedAt: '2026-12-04T20:00:00Z',
      nextUpdate: '2026-12-05T20:00:00Z',
    };
    const s = sig({ chain: [{ ...chain[0], revocation: held } as ChainEntry] });
    expect(lines(report([s]))).toContain(
      '      Статус отзыва: действие приостановлено; приостановлен с: 02.12.2026 00:00:00 UTC; причина: приостановление действия; источник: OCSP из подписи или переданный при проверке',
    );
    expect(lines(report([sig()]), 'en')).toContain(
      '      Revocation status: not revoked; source: OCSP; status as of: 2026-12-04 20:30:00 UTC',
    );
    const verbose = lines(report([s]), 'en', true);
    expect(verbose).toContain(
      '      Revocation status: suspended; suspended since: 2026-12-02 00:00:00 UTC; reason: certificate hold; source: OCSP response embedded in the signature or supplied; OCSP response produced at: 2026-12-04 20:00:00 UTC; next update: 2026-12-05 20:00:00 UTC',
    );
    expect(verbose).toContain(`      SHA-256 fingerprint: ${'AA'.repeat(32)}`);
    const online = lines(report([revokedSig]), 'en', true);
    expect(online.some((l) => l.includes('source: CRL (http://ca.example/ca.crl)'))).toBe(true);
  });

  it('prints the signer revocation status on its own line when there is no chain', () => {
    const s = sig({ chain: [], revocation: { status: 'unknown', source: 'none', detail: 'OCSP timeout' } });
    expect(lines(report([s]))).toContain(
      '  Статус отзыва сертификата подписанта: не удалось установить; источник: нет',
    );
    expect(lines(report([s]), 'ru', true)).toContain(
      '  Статус отзыва сертификата подписанта: не удалось установить; источник: нет; Подробности: OCSP timeout',
    );
  });
});

describe('checks and warnings', () => {
  it('warns that the certificate expires soon, with the days left', () => {
    const s = sig({
      checks: [
        ...passedChecks,
        { code: 'CERT_EXPIRES_SOON', outcome: 'warning', params: { days: 12, notAfter: '2026-12-16T21:05:00Z' } },
        { code: 'LEGACY_ALGORITHM', outcome: 'warning', params: { algorithm: 'GOST R 34.10-2001' } },
        { code: 'TEST_CA', outcome: 'warning' },
      ],
    });
    const ru = lines(report([s]));
    const at = ru.indexOf('  Предупреждения:');
    expect(ru.slice(at + 1)).toEqual([
      '    [!] Срок действия сертификата скоро истекает: 16.12.2026 21:05:00 UTC (осталось дней: 12)',
      '    [!] Использован устаревший алгоритм: GOST R 34.10-2001',
      '    [!] Сертификат выпущен тестовым удостоверяющим центром',
    ]);
    expect(lines(report([s]), 'en')).toContain(
      '    [!] The certificate expires soon: 2026-12-16 21:05:00 UTC (days left: 12)',
    );
  });

  it('counts the days left from `now` (default: the validation time) when the check gives none', () => {
    const soon = { ...chain[0], notAfter: '2026-12-15T09:05:00Z' } as ChainEntry;
    const s = sig({ chain: [soon], checks: [{ code: 'CERT_EXPIRES_SOON', outcome: 'warning', certificate: 0 }] });
    expect(lines(report([s]))).toContain(
      '    [!] Срок действия сертификата скоро истекает: 15.12.2026 09:05:00 UTC (осталось дней: 10) (сертификат 1: CN=Иванов Иван Иванович)',
    );
    const later = formatReport(report([s]), { lang: 'en', now: new Date('2026-12-13T09:05:00Z') });
    expect(later).toContain('[!] The certificate expires soon: 2026-12-15 09:05:00 UTC (days left: 2)');
  });

  it('lists only problems and warnings by default, every check with a mark in verbose mode', () => {
    const brief = lines(report([sig()]));
    expect(brief.some((l) => l.includes('Хэш документа'))).toBe(false);
    expect(brief.some((l) => l.includes('Проверки:'))).toBe(false);
    const full = lines(report([sig()]), 'ru', true);
    expect(full).toContain('  Проверки:');
    expect(full).toContain('    [ok] Хэш документа совпадает с подписанным (GOST R 34.11-2012 256)');
    expect(full).toContain('    [ok] Сертификат подписанта не отозван (источник: OCSP)');
    expect(full).toContain('    [i] Сертификат является квалифицированным (по данным сертификата)');
    expect(full).toContain(
      '  Субъект: CN=Иванов Иван Иванович,SN=Иванов,G=Иван Иванович,O=ООО «Ромашка»,INN=500100732259',
    );
    const fullEn = lines(report([sig()]), 'en', true);
    expect(fullEn).toContain("    [ok] The document's hash matches the signed hash (GOST R 34.11-2012 256)");
  });

  it('uses the same ASCII marks in both languages', () => {
    const checks: Check[] = OUTCOMES.map((outcome) => ({ code: 'TEST_CA', outcome }));
    for (const lang of ['ru', 'en'] as const) {
      const marks = lines(report([sig({ checks, qualified: false })]), lang, true)
        .map((l) => /^ {4}(\[[^\]]+\])/.exec(l)?.[1])
        .filter((m) => m !== undefined);
      expect(marks).toEqual(['[ok]', '[FAIL]', '[?]', '[!]', '[i]', '[-]']);
    }
  });

  it('never lets a success sentence claim more than its outcome', () => {
    expect(checkMessage({ code: 'VALID_AT_SIGNING_TIME', outcome: 'failed' }, 'ru')).toBe(
      'Не подтверждено: сертификат действовал на момент подписания',
    );
    expect(checkMessage({ code: 'SIGNATURE_VALID', outcome: 'indeterminate' }, 'en')).toBe(
      "Not confirmed: the signature value verifies with the signer certificate's public key",
    );
    expect(checkMessage({ code: 'REVOCATION_GOOD', outcome: 'skipped' }, 'en')).toBe(
      "Not checked: the signer's certificate is not revoked",
    );
    expect(checkMessage({ code: 'PATH_VALID', outcome: 'passed', params: { time: T_SIGNED } }, 'ru')).toBe(
      'Цепочка сертификатов построена до доверенного корневого сертификата и действительна на 04.12.2026 20:00:00 UTC',
    );
  });

  it('prints the English detail of a check in verbose mode only', () => {
    const s = sig({ checks: [{ code: 'PATH_NO_PATH', outcome: 'indeterminate', detail: 'no issuer for CN=X' }] });
    expect(lines(report([s]))).not.toContain('      Подробности: no issuer for CN=X');
    expect(lines(report([s]), 'ru', true)).toContain('      Подробности: no issuer for CN=X');
  });
});

describe('message catalogue', () => {
  it('lists every code and sub-indication (type-checked)', () => {
    expect(codesComplete && subsComplete).toBe(true);
    expect(Object.keys(CHECK_MESSAGES).sort()).toEqual([...ALL_CODES].sort());
    expect(Object.keys(SUB_INDICATION_MESSAGES).sort()).toEqual([...ALL_SUBS].sort());
  });

  it('has a distinct, non-empty sentence for each sub-indication in both languages', () => {
    for (const lang of ['ru', 'en'] as const) {
      const texts = ALL_SUBS.map((s) => subIndicationMessage(s, lang));
      expect(new Set(texts).size).toBe(ALL_SUBS.length);
      for (const t of texts) {
        expect(t.length).toBeGreaterThan(10);
        expect(/[а-яё]/i.test(t)).toBe(lang === 'ru');
      }
    }
    expect(subIndicationMessage('HASH_FAILURE', 'ru')).toBe('Документ изменён после подписания');
    expect(subIndicationMessage('HASH_FAILURE', 'en')).toBe('The document was changed after it was signed');
  });

  it('has text for every code in both languages and fills every placeholder', () => {
    for (const code of ALL_CODES) {
      for (const lang of ['ru', 'en'] as const) {
        const template = CHECK_MESSAGES[code][lang];
        const names = [...new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string))];
        const bare = checkMessage({ code, outcome: 'warning' }, lang);
        expect(bare.length, `${code} ${lang}`).toBeGreaterThan(10);
        expect(/[а-яё]/i.test(bare), `${code} ${lang}`).toBe(lang === 'ru');
        expect(bare, `${code} ${lang}`).not.toMatch(/[{}[\]]/);
        const params = Object.fromEntries(names.map((n, i) => [n, `X${i}Y`]));
        const full = checkMessage({ code, outcome: 'warning', params }, lang);
        expect(full).not.toMatch(/[{}[\]]/);
        for (let i = 0; i < names.length; i++) expect(full, `${code} ${lang}`).toContain(`X${i}Y`);
        if (names.length > 0) expect(full.length).toBeGreaterThan(bare.length);
      }
    }
  });

  it('prints parameters literally: braces in a value are not placeholders', () => {
    const text = checkMessage(
      { code: 'ALGORITHM_UNSUPPORTED', outcome: 'failed', params: { algorithm: '{days} [x] $&' } },
      'en',
    );
    expect(text).toBe('Unsupported algorithm: {days} [x] $&');
  });

  it('translates revocation reasons and sources, and formats dates, in parameters', () => {
    const check: Check = {
      code: 'PATH_REVOKED',
      outcome: 'failed',
      params: { revocationTime: '2026-01-02T03:04:05Z', reason: 'cACompromise', source: 'embedded-crl' },
    };
    expect(checkMessage(check, 'ru')).toBe(
      'Сертификат в цепочке отозван 02.01.2026 03:04:05 UTC, причина: компрометация ключа удостоверяющего центра, источник: CRL из подписи или переданный при проверке',
    );
    expect(checkMessage(check, 'en')).toBe(
      'A certificate in the chain has been revoked on 2026-01-02 03:04:05 UTC, reason: CA key compromise, source: CRL embedded in the signature or supplied',
    );
    expect(checkMessage({ ...check, params: { reason: 'constructor' } }, 'en')).toBe(
      'A certificate in the chain has been revoked, reason: constructor',
    );
  });

  it('falls back to Russian for an unknown language and prints an unknown code as it is', () => {
    expect(formatReport(report([sig()]), { lang: 'constructor' as 'ru' }).split('\n')[0]).toBe(
      'Подлинность документа подтверждена',
    );
    expect(checkMessage({ code: 'NEW_CODE' as CheckCode, outcome: 'info' }, 'en')).toBe('NEW_CODE');
  });
});

// Characters that must never reach the output from report strings (C0 except the line breaks we
// add, C1, bidi embeddings/overrides/isolates/marks, line and paragraph separators, BOM).
function unsafeIn(text: string): string[] {
  const bad: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) continue;
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
      bad.push(c.toString(16));
    } else if (
      c < 0x20 ||
      (c >= 0x7f && c <= 0x9f) ||
      (c >= 0xdc00 && c <= 0xdfff) ||
      (c >= 0x202a && c <= 0x202e) ||
      (c >= 0x2066 && c <= 0x2069) ||
      [0x061c, 0x200e, 0x200f, 0x2028, 0x2029, 0xfeff].includes(c)
    )
      bad.push(c.toString(16));
  }
  return bad;
}

describe('hostile strings', () => {
  it('cannot forge a verdict line through a certificate subject', () => {
    const forged = '\nПодлинность документа подтверждена\n\u202eadnI\u001b[32m';
    const s = sig({
      indication: 'TOTAL_FAILED',
      subIndication: 'HASH_FAILURE',
      signer: { ...ivanov, fullName: `Иванов${forged}`, organization: '\r\u0085\u2028x' },
      chain: [{ ...chain[0], subject: `CN=${forged}` } as ChainEntry],
    });
    const out = formatReport(report([s]));
    expect(out.split('\n').filter((l) => l.trim() === 'Подлинность документа подтверждена')).toEqual([]);
    expect(unsafeIn(out)).toEqual([]);
    expect(out).toContain('  ФИО: Иванов<U+000A>Подлинность документа подтверждена<U+000A><U+202E>adnI<U+001B>[32m');
    expect(out).toContain('  Организация: <U+000D><U+0085><U+2028>x');
  });

  it('cuts huge strings and keeps the report pure and deterministic', () => {
    const huge = sig({ signer: { subject: 'x', fullName: 'Я'.repeat(100_000) } });
    const r = report([huge]);
    const frozen = JSON.parse(JSON.stringify(r)) as VerificationReport;
    deepFreeze(frozen);
    const a = formatReport(frozen, { verbose: true });
    expect(a).toBe(formatReport(frozen, { verbose: true }));
    expect(a).toContain(`  ФИО: ${'Я'.repeat(1024)}…`);
    expect(a.length).toBeLessThan(10_000);
  });

  it('never throws and never prints a control or bidi character, whatever the strings (property)', () => {
    fc.assert(
      fc.property(
        reportSkeleton,
        fc.array(hostileString, { minLength: 12, maxLength: 12 }),
        fc.boolean(),
        (sk, pool, verbose) => {
          const hostile = materialize(sk, (n) => pool[n] as string) as VerificationReport;
          const plain = materialize(sk, (n) => (pool[n] === '' ? '' : 'a')) as VerificationReport;
          for (const lang of ['ru', 'en'] as const) {
            const out = formatReport(hostile, { lang, verbose });
            expect(unsafeIn(out)).toEqual([]);
            // The line structure depends only on which fields are present, never on their text.
            expect(out.split('\n').length).toBe(formatReport(plain, { lang, verbose }).split('\n').length);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

function deepFreeze(x: unknown): void {
  if (x && typeof x === 'object') {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
}

/** Replaces every `{ __s: n }` leaf of a skeleton by `str(n)`. */
function materialize(x: unknown, str: (n: number) => string): unknown {
  if (Array.isArray(x)) return x.map((v) => materialize(v, str));
  if (x && typeof x === 'object') {
    if ('__s' in x) return str((x as { __s: number }).__s);
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, materialize(v, str)]));
  }
  return x;
}

const hostileChar = fc.oneof(
  fc.constantFrom(
    '\n',
    '\r',
    '\t',
    '\u0000',
    '\u001b',
    '\u007f',
    '\u0085',
    '\u009b',
    '\u061c',
    '\u200e',
    '\u200f',
    '\u2028',
    '\u2029',
    '\u202a',
    '\u202e',
    '\u2066',
    '\u2069',
    '\ufeff',
    '\ud800',
    '\udfff',
    '{',
    '[',
    ']',
    '}',
    'א',
    'ش',
  ),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
const hostileString = fc.oneof(
  fc.string({ unit: hostileChar, maxLength: 24 }),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('', 'keyCompromise', 'ocsp', 'TOTAL_PASSED'),
);

const S = fc.nat(11).map((n) => ({ __s: n }));
const optS = fc.option(S, { nil: undefined });
const FORMATS: readonly SignatureFormat[] = ['CMS', 'CAdES-BES', 'CAdES-T', 'CAdES-X-Long-Type-1', 'XAdES-BES'];
const checkArb = fc.record({
  code: fc.constantFrom(...ALL_CODES),
  outcome: fc.constantFrom(...OUTCOMES),
  detail: optS,
  params: fc.option(
    fc.dictionary(
      fc.constantFrom('algorithm', 'time', 'days', 'notAfter', 'reason', 'source', 'revocationTime', 'tsa', 'other'),
      fc.oneof(S, fc.integer()),
    ),
    { nil: undefined },
  ),
  certificate: fc.option(fc.integer({ min: -1, max: 3 }), { nil: undefined }),
});
const revocationArb = fc.record({
  status: fc.constantFrom('good', 'revoked', 'suspended', 'unknown', 'not-checked'),
  source: fc.constantFrom('ocsp', 'crl', 'embedded-ocsp', 'embedded-crl', 'none'),
  reason: optS,
  revocationTime: optS,
  thisUpdate: optS,
  nextUpdate: optS,
  producedAt: optS,
  url: optS,
  detail: optS,
});
const identityArb = fc.record({
  subject: S,
  commonName: optS,
  fullName: optS,
  organization: optS,
  title: optS,
  email: optS,
  inn: optS,
  innLe: optS,
  snils: optS,
  ogrn: optS,
  ogrnip: optS,
  iin: optS,
  bin: optS,
});
const chainArb = fc.record({
  subject: S,
  issuer: S,
  serialNumber: S,
  notBefore: S,
  notAfter: S,
  fingerprint: S,
  trustAnchor: fc.boolean(),
  revocation: fc.option(revocationArb, { nil: undefined }),
});
const timestampArb = fc.record({
  kind: fc.constantFrom('signature', 'cades-c', 'archive', 'content'),
  genTime: S,
  tsa: optS,
  serialNumber: optS,
  hashAlgorithm: S,
  indication: fc.constantFrom(...INDICATIONS),
  checks: fc.array(checkArb, { maxLength: 3 }),
});
const { signature: signatureArb } = fc.letrec((tie) => ({
  signature: fc.record({
    id: S,
    indication: fc.constantFrom(...INDICATIONS),
    subIndication: fc.option(fc.constantFrom(...ALL_SUBS), { nil: undefined }),
    format: fc.constantFrom(...FORMATS),
    signer: fc.option(identityArb, { nil: undefined }),
    qualified: fc.boolean(),
    signatureAlgorithm: optS,
    digestAlgorithm: optS,
    claimedSigningTime: optS,
    bestSignatureTime: S,
    timestamps: fc.array(timestampArb, { maxLength: 2 }),
    chain: fc.array(chainArb, { maxLength: 3 }),
    revocation: fc.option(revocationArb, { nil: undefined }),
    checks: fc.array(checkArb, { maxLength: 5 }),
    countersignatures: fc.oneof({ depthSize: 'small' }, fc.constant([]), fc.array(tie('signature'), { maxLength: 2 })),
  }),
}));
const reportSkeleton = fc.record({
  indication: fc.constantFrom(...INDICATIONS),
  subIndication: fc.option(fc.constantFrom(...ALL_SUBS), { nil: undefined }),
  validationTime: S,
  container: fc.constantFrom('CMS', 'XML'),
  signatures: fc.array(signatureArb, { maxLength: 3 }),
  checks: fc.array(checkArb, { maxLength: 3 }),
});
