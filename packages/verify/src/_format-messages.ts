// Internal: the Russian and English sentences of the report (check codes, sub-indications, labels, revocation sources and reasons), used by format.ts.
import type { CheckCode, RevocationReport, SubIndication } from './report';

/**
 * One sentence in Russian and English. `{name}` is replaced by `check.params[name]`; a segment in
 * square brackets `[...]` is left out when any placeholder in it has no value, so a sentence
 * stays grammatical without its parameters.
 */
export interface LocalizedText {
  readonly ru: string;
  readonly en: string;
}

/**
 * The sentence of every check code. Parameters used: `algorithm`, `attribute`, `oid`, `keyUsage`,
 * `time`, `notBefore`, `notAfter`, `days`, `revocationTime`, `reason` (a CRLReason name such as
 * `keyCompromise`, translated), `source` (`ocsp`, `crl`, `embedded-ocsp`, `embedded-crl`,
 * translated) and `tsa`; ISO 8601 values are printed as dates. Typed as a full Record so a new
 * `CheckCode` without text fails type checking.
 *
 * Standard: ETSI EN 319 102-1 §5.1 (the checks behind an indication); wording per
 * field-requirements.md §8.
 * @example
 * ```ts
 * CHECK_MESSAGES.CERT_EXPIRES_SOON.ru; // 'Срок действия сертификата скоро истекает[: {notAfter}][ (осталось дней: {days})]'
 * ```
 */
export const CHECK_MESSAGES: Readonly<Record<CheckCode, LocalizedText>> = {
  FORMAT_OK: { ru: 'Структура подписи корректна', en: 'The signature is well-formed' },
  FORMAT_INVALID: {
    ru: 'Файл подписи повреждён или имеет неподдерживаемый формат',
    en: 'The signature file is damaged or not in a supported format',
  },
  CONTENT_MISSING: {
    ru: 'Подписанный документ не передан для проверки (отсоединённая подпись)',
    en: 'The signed document was not supplied (detached signature)',
  },
  DIGEST_MATCH: {
    ru: 'Хэш документа совпадает с подписанным[ ({algorithm})]',
    en: "The document's hash matches the signed hash[ ({algorithm})]",
  },
  DIGEST_MISMATCH: {
    ru: 'Хэш документа не совпадает с подписанным: документ изменён после подписания или подпись относится к другому документу',
    en: "The document's hash does not match the signed hash: the document was changed after signing, or the signature belongs to another document",
  },
  SIGNATURE_VALID: {
    ru: 'Значение подписи верно для открытого ключа сертификата подписанта[ ({algorithm})]',
    en: "The signature value verifies with the signer certificate's public key[ ({algorithm})]",
  },
  SIGNATURE_INVALID: {
    ru: 'Значение подписи не проходит проверку открытым ключом сертификата подписанта',
    en: "The signature value does not verify with the signer certificate's public key",
  },
  ALGORITHM_UNSUPPORTED: {
    ru: 'Алгоритм не поддерживается[: {algorithm}]',
    en: 'Unsupported algorithm[: {algorithm}]',
  },
  SIGNED_ATTRIBUTES_OK: { ru: 'Подписанные атрибуты корректны', en: 'The signed attributes are well-formed' },
  SIGNED_ATTRIBUTES_INVALID: {
    ru: 'Подписанные атрибуты некорректны[: {attribute}]',
    en: 'The signed attributes are invalid[: {attribute}]',
  },
  CONTENT_TYPE_MISMATCH: {
    ru: 'Тип содержимого в подписанных атрибутах не совпадает с типом подписанных данных',
    en: 'The content type in the signed attributes does not match the signed data',
  },
  SIGNING_CERTIFICATE_FOUND: { ru: 'Сертификат подписанта найден', en: "The signer's certificate was found" },
  SIGNING_CERTIFICATE_NOT_FOUND: {
    ru: 'Сертификат подписанта не найден',
    en: "The signer's certificate was not found",
  },
  SIGNING_CERTIFICATE_BOUND: {
    ru: 'Сертификат подписанта совпадает с указанным в подписанном атрибуте signingCertificate',
    en: "The signer's certificate matches the signed signingCertificate attribute",
  },
  SIGNING_CERTIFICATE_ATTRIBUTE_MISSING: {
    ru: 'Нет подписанного атрибута signingCertificate: сертификат подписанта не закреплён подписью',
    en: "No signed signingCertificate attribute: the signer's certificate is not bound by the signature",
  },
  SIGNING_CERTIFICATE_MISMATCH: {
    ru: 'Сертификат подписанта не совпадает с указанным в атрибуте signingCertificate (возможна подмена сертификата)',
    en: "The signer's certificate differs from the one named in the signingCertificate attribute (it may have been substituted)",
  },
  PATH_VALID: {
    ru: 'Цепочка сертификатов построена до доверенного корневого сертификата и действительна[ на {time}]',
    en: 'The certificate chain leads to a trusted root and is valid[ at {time}]',
  },
  PATH_NO_PATH: {
    ru: 'Не удалось построить цепочку сертификатов до доверенного корневого сертификата',
    en: 'No certificate chain to a trusted root could be built',
  },
  PATH_NAME_CHAINING: {
    ru: 'Издатель сертификата не совпадает с владельцем следующего сертификата цепочки',
    en: "A certificate's issuer does not match the subject of the next certificate in the chain",
  },
  PATH_SIGNATURE: {
    ru: 'Подпись удостоверяющего центра на сертификате неверна',
    en: "The CA's signature on a certificate does not verify",
  },
  PATH_UNSUPPORTED_ALGORITHM: {
    ru: 'Сертификат в цепочке подписан неподдерживаемым алгоритмом[: {algorithm}]',
    en: 'A certificate in the chain is signed with an unsupported algorithm[: {algorithm}]',
  },
  PATH_EXPIRED: {
    ru: 'Срок действия сертификата в цепочке истёк[ (действовал по {notAfter})]',
    en: 'A certificate in the chain has expired[ (valid until {notAfter})]',
  },
  PATH_NOT_YET_VALID: {
    ru: 'Срок действия сертификата в цепочке ещё не начался[ (действует с {notBefore})]',
    en: 'A certificate in the chain is not yet valid[ (valid from {notBefore})]',
  },
  PATH_NOT_CA: {
    ru: 'Сертификат использован как сертификат удостоверяющего центра, но не является им',
    en: 'A certificate used as an issuer is not a CA certificate',
  },
  PATH_PATH_LENGTH: {
    ru: 'Превышена допустимая длина цепочки сертификатов (pathLenConstraint)',
    en: 'The certificate chain is longer than allowed (pathLenConstraint)',
  },
  PATH_KEY_USAGE: {
    ru: 'Назначение ключа (keyUsage) сертификата не допускает такого использования',
    en: "A certificate's key usage does not allow this use",
  },
  PATH_EXTENDED_KEY_USAGE: {
    ru: 'Расширенное назначение ключа (extendedKeyUsage) сертификата не допускает такого использования',
    en: "A certificate's extended key usage does not allow this use",
  },
  PATH_NAME_CONSTRAINTS: {
    ru: 'Имя в сертификате нарушает ограничения имён (nameConstraints) удостоверяющего центра',
    en: "A name in a certificate violates the CA's name constraints",
  },
  PATH_POLICY: {
    ru: 'Сертификаты цепочки не соответствуют требуемым политикам сертификации',
    en: 'The chain does not satisfy the required certificate policies',
  },
  PATH_UNKNOWN_CRITICAL_EXTENSION: {
    ru: 'Сертификат содержит неизвестное критическое расширение[ ({oid})]',
    en: 'A certificate has an unknown critical extension[ ({oid})]',
  },
  PATH_MALFORMED: {
    ru: 'Сертификат в цепочке повреждён или нарушает требования RFC 5280',
    en: 'A certificate in the chain is malformed or breaks RFC 5280',
  },
  PATH_REVOKED: {
    ru: 'Сертификат в цепочке отозван[ {revocationTime}][, причина: {reason}][, источник: {source}]',
    en: 'A certificate in the chain has been revoked[ on {revocationTime}][, reason: {reason}][, source: {source}]',
  },
  PATH_SUSPENDED: {
    ru: 'Действие сертификата в цепочке приостановлено[ с {revocationTime}][, источник: {source}]',
    en: 'A certificate in the chain is suspended[ since {revocationTime}][, source: {source}]',
  },
  PATH_REVOCATION_UNKNOWN: {
    ru: 'Не удалось установить статус отзыва сертификата в цепочке: нет пригодных данных OCSP или CRL',
    en: 'The revocation status of a certificate in the chain could not be established: no usable OCSP or CRL data',
  },
  PATH_ANCHOR_NOT_ALLOWED: {
    ru: 'Доверенный корневой сертификат не разрешено использовать для этой цели',
    en: 'The trusted root may not be used for this purpose',
  },
  PATH_BUDGET: {
    ru: 'Построение цепочки сертификатов остановлено: превышен предел числа проверок',
    en: 'Chain building stopped: the work limit was reached',
  },
  REVOCATION_GOOD: {
    ru: 'Сертификат подписанта не отозван[ (источник: {source})][, данные на {time}]',
    en: "The signer's certificate is not revoked[ (source: {source})][, status as of {time}]",
  },
  REVOCATION_REVOKED: {
    ru: 'Сертификат подписанта отозван[ {revocationTime}][, причина: {reason}][, источник: {source}]',
    en: "The signer's certificate has been revoked[ on {revocationTime}][, reason: {reason}][, source: {source}]",
  },
  REVOKED_AFTER_SIGNING: {
    ru: 'Сертификат подписанта отозван[ {revocationTime}][, причина: {reason}][, источник: {source}] — после подписания, что подтверждено штампом времени',
    en: "The signer's certificate was revoked[ on {revocationTime}][, reason: {reason}][, source: {source}], after the signing time proven by a time-stamp",
  },
  REVOCATION_SUSPENDED: {
    ru: 'Действие сертификата подписанта приостановлено[ с {revocationTime}][, источник: {source}]',
    en: "The signer's certificate is suspended[ since {revocationTime}][, source: {source}]",
  },
  REVOCATION_UNKNOWN: {
    ru: 'Не удалось установить статус отзыва сертификата подписанта: служба OCSP/CRL недоступна или не дала пригодного ответа',
    en: "The revocation status of the signer's certificate could not be established: the OCSP/CRL service is unavailable or gave no usable answer",
  },
  REVOCATION_NOT_CHECKED: {
    ru: 'Статус отзыва сертификата подписанта не проверялся',
    en: "The revocation status of the signer's certificate was not checked",
  },
  TIMESTAMP_VALID: {
    ru: 'Штамп времени действителен[: {time}][ (служба штампов времени: {tsa})]',
    en: 'The time-stamp is valid[: {time}][ (time-stamping authority: {tsa})]',
  },
  TIMESTAMP_INVALID: { ru: 'Штамп времени недействителен', en: 'The time-stamp is invalid' },
  TIMESTAMP_IMPRINT_MISMATCH: {
    ru: 'Штамп времени выдан не на эту подпись: хэш в штампе не совпадает',
    en: 'The time-stamp does not cover this signature: its hash does not match',
  },
  TIMESTAMP_UNTRUSTED: {
    ru: 'Сертификат службы штампов времени недействителен или не является доверенным',
    en: "The time-stamping authority's certificate is invalid or not trusted",
  },
  TIMESTAMP_ORDER: {
    ru: 'Штампы времени следуют в неверном порядке',
    en: 'The time-stamps are in the wrong order',
  },
  QUALIFIED: {
    ru: 'Сертификат является квалифицированным (по данным сертификата)',
    en: 'The certificate is qualified (as stated in the certificate)',
  },
  NOT_QUALIFIED: {
    ru: 'Сертификат не содержит признаков квалифицированного сертификата',
    en: 'The certificate is not marked as qualified',
  },
  VALID_AT_SIGNING_TIME: {
    ru: 'Сертификат действовал на момент подписания[ ({time})]',
    en: 'The certificate was valid at the time of signing[ ({time})]',
  },
  KEY_USAGE_OK: {
    ru: 'Назначение ключа в сертификате допускает подписание документов',
    en: 'The key usage in the certificate allows signing documents',
  },
  KEY_USAGE_NOT_FOR_SIGNING: {
    ru: 'Назначение ключа в сертификате не допускает подписание документов[ ({keyUsage})]',
    en: 'The key usage in the certificate does not allow signing documents[ ({keyUsage})]',
  },
  CERT_EXPIRES_SOON: {
    ru: 'Срок действия сертификата скоро истекает[: {notAfter}][ (осталось дней: {days})]',
    en: 'The certificate expires soon[: {notAfter}][ (days left: {days})]',
  },
  LEGACY_ALGORITHM: {
    ru: 'Использован устаревший алгоритм[: {algorithm}]',
    en: 'A legacy algorithm is used[: {algorithm}]',
  },
  WEAK_ALGORITHM: {
    ru: 'Использован криптографически слабый алгоритм[: {algorithm}]',
    en: 'A cryptographically weak algorithm is used[: {algorithm}]',
  },
  TEST_CA: {
    ru: 'Сертификат выпущен тестовым удостоверяющим центром',
    en: 'The certificate was issued by a test CA',
  },
  NO_SIGNING_TIME: { ru: 'Время подписания в подписи не указано', en: 'The signature states no signing time' },
  SIGNING_TIME_UNTRUSTED: {
    ru: 'Время подписания указано подписантом и не подтверждено штампом времени',
    en: 'The signing time is stated by the signer and not proven by a time-stamp',
  },
};

/**
 * The reason of each sub-indication, phrased for people; typed as a full Record like
 * {@link CHECK_MESSAGES}.
 *
 * Standard: ETSI EN 319 102-1 §5.1.3, Tables 5 and 6.
 * @example
 * ```ts
 * SUB_INDICATION_MESSAGES.HASH_FAILURE.en; // 'The document was changed after it was signed'
 * ```
 */
export const SUB_INDICATION_MESSAGES: Readonly<Record<SubIndication, LocalizedText>> = {
  FORMAT_FAILURE: {
    ru: 'Файл подписи повреждён или имеет неподдерживаемый формат',
    en: 'The signature file is damaged or not in a supported format',
  },
  HASH_FAILURE: { ru: 'Документ изменён после подписания', en: 'The document was changed after it was signed' },
  SIG_CRYPTO_FAILURE: {
    ru: 'Значение подписи не прошло криптографическую проверку: подпись или её атрибуты изменены либо не соответствуют сертификату',
    en: 'The signature value failed the cryptographic check: the signature or its attributes were altered, or do not match the certificate',
  },
  REVOKED: { ru: 'Сертификат подписанта отозван', en: "The signer's certificate has been revoked" },
  SIG_CONSTRAINTS_FAILURE: {
    ru: 'Подпись не соответствует требованиям проверки (например, к подписанным атрибутам)',
    en: 'The signature does not meet the validation constraints (for example, on its signed attributes)',
  },
  CHAIN_CONSTRAINTS_FAILURE: {
    ru: 'Цепочка сертификатов не соответствует ограничениям (назначение ключа, политики, ограничения имён или длины)',
    en: 'The certificate chain does not meet its constraints (key usage, policies, name or length constraints)',
  },
  CERTIFICATE_CHAIN_GENERAL_FAILURE: {
    ru: 'Цепочка сертификатов недействительна',
    en: 'The certificate chain is invalid',
  },
  CRYPTO_CONSTRAINTS_FAILURE: {
    ru: 'Использован недопустимый или слишком слабый криптографический алгоритм',
    en: 'A cryptographic algorithm that is not allowed or too weak was used',
  },
  EXPIRED: { ru: 'Срок действия сертификата подписанта истёк', en: "The signer's certificate has expired" },
  NOT_YET_VALID: {
    ru: 'Срок действия сертификата подписанта ещё не начался',
    en: "The signer's certificate is not yet valid",
  },
  POLICY_PROCESSING_ERROR: {
    ru: 'Не удалось обработать политику подписи',
    en: 'The signature policy could not be processed',
  },
  SIGNATURE_POLICY_NOT_AVAILABLE: {
    ru: 'Документ политики подписи недоступен',
    en: 'The signature policy document is not available',
  },
  TIMESTAMP_ORDER_FAILURE: {
    ru: 'Штампы времени следуют в неверном порядке',
    en: 'The time-stamps are in the wrong order',
  },
  NO_SIGNING_CERTIFICATE_FOUND: {
    ru: 'Сертификат подписанта не найден',
    en: "The signer's certificate was not found",
  },
  NO_CERTIFICATE_CHAIN_FOUND: {
    ru: 'Не удалось построить цепочку сертификатов: нет промежуточного сертификата или корневой сертификат удостоверяющего центра не является доверенным',
    en: "The certificate chain could not be built: an intermediate certificate is missing or the CA's root certificate is not trusted",
  },
  REVOKED_NO_POE: {
    ru: 'Сертификат подписанта отозван, и нет подтверждения (штампа времени), что подпись создана до отзыва',
    en: "The signer's certificate has been revoked and there is no proof (such as a time-stamp) that the signature was made before that",
  },
  REVOKED_CA_NO_POE: {
    ru: 'Сертификат удостоверяющего центра в цепочке отозван, и нет подтверждения, что подпись создана до отзыва',
    en: 'A CA certificate in the chain has been revoked and there is no proof that the signature was made before that',
  },
  OUT_OF_BOUNDS_NO_POE: {
    ru: 'Время проверки вне срока действия сертификата, и нет подтверждения (штампа времени), что подпись создана в этот срок',
    en: 'The validation time is outside the certificate validity period and there is no proof (such as a time-stamp) that the signature was made within it',
  },
  OUT_OF_BOUNDS_NOT_REVOKED: {
    ru: 'Время проверки вне срока действия сертификата; сертификат не отозван, но нет подтверждения, что подпись создана в срок его действия',
    en: 'The validation time is outside the certificate validity period; the certificate is not revoked, but there is no proof that the signature was made within it',
  },
  CRYPTO_CONSTRAINTS_FAILURE_NO_POE: {
    ru: 'Алгоритм больше не считается надёжным, и нет подтверждения, что подпись создана, пока он был надёжным',
    en: 'An algorithm is no longer considered secure and there is no proof that the signature was made while it was',
  },
  NO_POE: {
    ru: 'Нет подтверждения времени создания подписи (штампа времени), необходимого для проверки',
    en: 'There is no proof of the time the signature was made (such as a time-stamp), which the check needs',
  },
  TRY_LATER: {
    ru: 'Не удалось проверить статус сертификата: служба OCSP/CRL недоступна. Повторите попытку позже',
    en: 'The certificate status could not be checked: the OCSP/CRL service is unavailable. Try again later',
  },
  SIGNED_DATA_NOT_FOUND: {
    ru: 'Подписанные данные не найдены: подписи нет или к отсоединённой подписи не приложен документ',
    en: 'The signed data was not found: there is no signature, or the document of a detached signature was not supplied',
  },
};

/** Labels of the report's lines; `{n}` is filled by the renderer. */
export const LABELS = {
  passed: { ru: 'Подлинность документа подтверждена', en: 'Signature is valid' },
  passedMany: { ru: 'Подлинность документа подтверждена, подписей: {n}', en: 'All {n} signatures are valid' },
  failed: { ru: 'Подпись недействительна', en: 'Signature is invalid' },
  indeterminate: { ru: 'Не удалось подтвердить подлинность подписи', en: 'The signature could not be verified' },
  reason: { ru: 'Причина', en: 'Reason' },
  reasonOf: { ru: 'Причина (подпись {n})', en: 'Reason (signature {n})' },
  validationTime: { ru: 'Время проверки', en: 'Validation time' },
  signature: { ru: 'Подпись', en: 'Signature' },
  countersignature: { ru: 'Контрподпись', en: 'Countersignature' },
  sigPassed: { ru: 'подлинность подтверждена', en: 'valid' },
  sigFailed: { ru: 'недействительна', en: 'invalid' },
  sigIndeterminate: { ru: 'не удалось подтвердить подлинность', en: 'could not be verified' },
  fullName: { ru: 'ФИО', en: 'Full name' },
  commonName: { ru: 'Владелец сертификата', en: 'Certificate holder' },
  subject: { ru: 'Субъект', en: 'Subject' },
  organization: { ru: 'Организация', en: 'Organisation' },
  title: { ru: 'Должность', en: 'Title' },
  inn: { ru: 'ИНН', en: 'INN' },
  innLe: { ru: 'ИНН ЮЛ', en: 'INN (legal entity)' },
  snils: { ru: 'СНИЛС', en: 'SNILS' },
  ogrn: { ru: 'ОГРН', en: 'OGRN' },
  ogrnip: { ru: 'ОГРНИП', en: 'OGRNIP' },
  iin: { ru: 'ИИН', en: 'IIN' },
  bin: { ru: 'БИН', en: 'BIN' },
  email: { ru: 'Эл. почта', en: 'E-mail' },
  kind: { ru: 'Вид подписи', en: 'Signature type' },
  qualified: {
    ru: 'Квалифицированная электронная подпись (КЭП, по данным сертификата)',
    en: 'Qualified electronic signature (as the certificate states)',
  },
  nonQualified: {
    ru: 'Усиленная неквалифицированная электронная подпись',
    en: 'Advanced (non-qualified) electronic signature',
  },
  format: { ru: 'Формат', en: 'Format' },
  signatureAlgorithm: { ru: 'Алгоритм подписи', en: 'Signature algorithm' },
  digestAlgorithm: { ru: 'Алгоритм хэширования', en: 'Hash algorithm' },
  claimedTime: {
    ru: 'Время подписания (указано подписантом, не подтверждено)',
    en: 'Signing time (stated by the signer, not proven)',
  },
  bestTime: { ru: 'Сертификаты проверены на момент', en: 'Certificates checked as of' },
  tsSignature: { ru: 'Штамп времени подписи', en: 'Signature time-stamp' },
  'tscades-c': { ru: 'Штамп времени на данные проверки (CAdES-C)', en: 'CAdES-C time-stamp' },
  tsArchive: { ru: 'Архивный штамп времени', en: 'Archive time-stamp' },
  tsContent: { ru: 'Штамп времени на содержимое', en: 'Content time-stamp' },
  tsa: { ru: 'служба штампов времени', en: 'time-stamping authority' },
  tsPassed: { ru: 'действителен', en: 'valid' },
  tsFailed: { ru: 'недействителен', en: 'invalid' },
  tsIndeterminate: { ru: 'не удалось проверить', en: 'could not be verified' },
  serial: { ru: 'Серийный номер', en: 'Serial number' },
  hashAlgorithm: { ru: 'Алгоритм хэширования', en: 'Hash algorithm' },
  certValidity: { ru: 'Срок действия сертификата', en: 'Certificate validity' },
  validity: { ru: 'Действует', en: 'Valid' },
  from: { ru: 'с', en: 'from' },
  to: { ru: 'по', en: 'to' },
  chain: { ru: 'Цепочка сертификатов', en: 'Certificate chain' },
  issuer: { ru: 'Издатель', en: 'Issuer' },
  anchor: { ru: 'доверенный корневой сертификат', en: 'trust anchor' },
  fingerprint: { ru: 'Отпечаток SHA-256', en: 'SHA-256 fingerprint' },
  revocation: { ru: 'Статус отзыва', en: 'Revocation status' },
  signerRevocation: { ru: 'Статус отзыва сертификата подписанта', en: "Revocation status of the signer's certificate" },
  'rev-good': { ru: 'не отозван', en: 'not revoked' },
  'rev-revoked': { ru: 'отозван', en: 'revoked' },
  'rev-suspended': { ru: 'действие приостановлено', en: 'suspended' },
  'rev-unknown': { ru: 'не удалось установить', en: 'unknown' },
  'rev-not-checked': { ru: 'не проверялся', en: 'not checked' },
  revocationTime: { ru: 'дата отзыва', en: 'revoked on' },
  suspensionTime: { ru: 'приостановлен с', en: 'suspended since' },
  revReason: { ru: 'причина', en: 'reason' },
  source: { ru: 'источник', en: 'source' },
  thisUpdate: { ru: 'данные на', en: 'status as of' },
  nextUpdate: { ru: 'следующее обновление', en: 'next update' },
  producedAt: { ru: 'ответ OCSP сформирован', en: 'OCSP response produced at' },
  details: { ru: 'Подробности', en: 'Details' },
  problems: { ru: 'Проблемы', en: 'Problems' },
  warnings: { ru: 'Предупреждения', en: 'Warnings' },
  checks: { ru: 'Проверки', en: 'Checks' },
  certificateN: { ru: 'сертификат {n}', en: 'certificate {n}' },
  notConfirmed: { ru: 'Не подтверждено', en: 'Not confirmed' },
  notChecked: { ru: 'Не проверялось', en: 'Not checked' },
  art11: {
    ru: 'Условия действительности КЭП (63-ФЗ, ст. 11)',
    en: 'Conditions for a qualified signature (Federal Law 63-FZ, art. 11)',
  },
  art11Time: {
    ru: '1. Сертификат действовал на момент подписания',
    en: '1. The certificate was valid at the time of signing',
  },
  art11Proven: { ru: 'время подтверждено штампом времени', en: 'time proven by a time-stamp' },
  art11Unproven: {
    ru: 'время подписания не подтверждено штампом времени, проверено на момент проверки',
    en: 'signing time not proven by a time-stamp, checked at the validation time',
  },
  art11Crypto: {
    ru: '2. Подпись прошла криптографическую проверку',
    en: '2. The cryptographic check of the signature is positive',
  },
  art11Limits: {
    ru: '3. Подпись используется в пределах ограничений сертификата (проверено назначение ключа)',
    en: '3. The signature is used within the limits of the certificate (key usage checked)',
  },
  'cond-passed': { ru: 'выполнено', en: 'met' },
  'cond-failed': { ru: 'не выполнено', en: 'not met' },
  'cond-indeterminate': { ru: 'не удалось установить', en: 'could not be determined' },
  'cond-skipped': { ru: 'не проверялось', en: 'not checked' },
  more: { ru: '… ещё не показано: {n}', en: '… not shown: {n} more' },
} as const satisfies Record<string, LocalizedText>;

export type LabelKey = keyof typeof LABELS;

export const REVOCATION_SOURCES: Readonly<Record<RevocationReport['source'], LocalizedText>> = {
  ocsp: { ru: 'OCSP', en: 'OCSP' },
  crl: { ru: 'CRL', en: 'CRL' },
  'embedded-ocsp': {
    ru: 'OCSP из подписи или переданный при проверке',
    en: 'OCSP response embedded in the signature or supplied',
  },
  'embedded-crl': { ru: 'CRL из подписи или переданный при проверке', en: 'CRL embedded in the signature or supplied' },
  none: { ru: 'нет', en: 'none' },
};

/** CRLReason names (RFC 5280 §5.3.1). */
export const REVOCATION_REASONS: Readonly<Record<string, LocalizedText>> = {
  unspecified: { ru: 'не указана', en: 'unspecified' },
  keyCompromise: { ru: 'компрометация ключа', en: 'key compromise' },
  cACompromise: { ru: 'компрометация ключа удостоверяющего центра', en: 'CA key compromise' },
  affiliationChanged: { ru: 'изменение сведений о владельце', en: 'affiliation changed' },
  superseded: { ru: 'сертификат заменён', en: 'superseded' },
  cessationOfOperation: { ru: 'прекращение деятельности', en: 'cessation of operation' },
  certificateHold: { ru: 'приостановление действия', en: 'certificate hold' },
  removeFromCRL: { ru: 'исключение из CRL', en: 'removed from CRL' },
  privilegeWithdrawn: { ru: 'прекращение полномочий', en: 'privilege withdrawn' },
  aACompromise: { ru: 'компрометация ключа центра атрибутов', en: 'AA compromise' },
};
