// Object identifiers used by the SDK (X.520, RFC 5280, RFC 6960, FSB order 795 / GOST, NCA RK) and their readable names.

// ---------------------------------------------------------------------------------------------
// X.500 / X.520 attribute types (RFC 5280 §4.1.2.4, Appendix A; RFC 4519).

export const OID_COMMON_NAME = '2.5.4.3';
export const OID_SURNAME = '2.5.4.4';
/** X.520 serialNumber; Kazakh certificates carry `IIN` + 12 digits here. */
export const OID_SERIAL_NUMBER = '2.5.4.5';
export const OID_COUNTRY = '2.5.4.6';
export const OID_LOCALITY = '2.5.4.7';
export const OID_STATE_OR_PROVINCE = '2.5.4.8';
export const OID_STREET = '2.5.4.9';
export const OID_ORGANIZATION = '2.5.4.10';
/** X.520 organizationalUnitName; Kazakh certificates carry `BIN` + 12 digits here. */
export const OID_ORGANIZATIONAL_UNIT = '2.5.4.11';
export const OID_TITLE = '2.5.4.12';
export const OID_BUSINESS_CATEGORY = '2.5.4.15';
export const OID_POSTAL_CODE = '2.5.4.17';
export const OID_NAME = '2.5.4.41';
/** givenName; Russian certificates put the given name and the patronymic here ("Иван Иванович"). */
export const OID_GIVEN_NAME = '2.5.4.42';
export const OID_INITIALS = '2.5.4.43';
export const OID_GENERATION_QUALIFIER = '2.5.4.44';
export const OID_DN_QUALIFIER = '2.5.4.46';
export const OID_PSEUDONYM = '2.5.4.65';
export const OID_ORGANIZATION_IDENTIFIER = '2.5.4.97';
/** PKCS #9 emailAddress (deprecated in names by RFC 5280 but universal in Russian certificates). */
export const OID_EMAIL_ADDRESS = '1.2.840.113549.1.9.1';
export const OID_UNSTRUCTURED_NAME = '1.2.840.113549.1.9.2';
export const OID_DOMAIN_COMPONENT = '0.9.2342.19200300.100.1.25';
export const OID_USER_ID = '0.9.2342.19200300.100.1.1';

// Russian identifiers in names (FSB order 795; field-requirements.md §2; gost.md §1.5).

/** ИНН of an individual (NumericString, 12 digits); legacy profiles wrote a legal entity's INN as "00" + 10 digits. */
export const OID_INN = '1.2.643.3.131.1.1';
/** ИНН ЮЛ: INN of a legal entity (10 digits). field-requirements.md marks this OID [unconfirmed]. */
export const OID_INNLE = '1.2.643.100.4';
/** ОГРН (13 digits). */
export const OID_OGRN = '1.2.643.100.1';
/** ОГРНИП (15 digits). */
export const OID_OGRNIP = '1.2.643.100.5';
/** СНИЛС (11 digits). */
export const OID_SNILS = '1.2.643.100.3';

// ---------------------------------------------------------------------------------------------
// Certificate and CRL extensions (RFC 5280 §4.2, §5.2, §5.3; RFC 6960; FSB order 795).

export const OID_EXT_AUTHORITY_KEY_IDENTIFIER_OBSOLETE = '2.5.29.1';
export const OID_EXT_SUBJECT_DIRECTORY_ATTRIBUTES = '2.5.29.9';
export const OID_EXT_SUBJECT_KEY_IDENTIFIER = '2.5.29.14';
export const OID_EXT_KEY_USAGE = '2.5.29.15';
export const OID_EXT_PRIVATE_KEY_USAGE_PERIOD = '2.5.29.16';
export const OID_EXT_SUBJECT_ALT_NAME = '2.5.29.17';
export const OID_EXT_ISSUER_ALT_NAME = '2.5.29.18';
export const OID_EXT_BASIC_CONSTRAINTS = '2.5.29.19';
export const OID_EXT_CRL_NUMBER = '2.5.29.20';
export const OID_EXT_CRL_REASON = '2.5.29.21';
export const OID_EXT_INVALIDITY_DATE = '2.5.29.24';
export const OID_EXT_DELTA_CRL_INDICATOR = '2.5.29.27';
export const OID_EXT_ISSUING_DISTRIBUTION_POINT = '2.5.29.28';
export const OID_EXT_CERTIFICATE_ISSUER = '2.5.29.29';
export const OID_EXT_NAME_CONSTRAINTS = '2.5.29.30';
export const OID_EXT_CRL_DISTRIBUTION_POINTS = '2.5.29.31';
export const OID_EXT_CERTIFICATE_POLICIES = '2.5.29.32';
export const OID_EXT_POLICY_MAPPINGS = '2.5.29.33';
export const OID_EXT_AUTHORITY_KEY_IDENTIFIER = '2.5.29.35';
export const OID_EXT_POLICY_CONSTRAINTS = '2.5.29.36';
export const OID_EXT_EXT_KEY_USAGE = '2.5.29.37';
export const OID_EXT_FRESHEST_CRL = '2.5.29.46';
export const OID_EXT_INHIBIT_ANY_POLICY = '2.5.29.54';
export const OID_EXT_AUTHORITY_INFO_ACCESS = '1.3.6.1.5.5.7.1.1';
export const OID_EXT_SUBJECT_INFO_ACCESS = '1.3.6.1.5.5.7.1.11';
export const OID_EXT_CT_SCT_LIST = '1.3.6.1.4.1.11129.2.4.2';
/** subjectSignTool: UTF8String naming the signer's crypto tool (средство ЭП). */
export const OID_EXT_SUBJECT_SIGN_TOOL = '1.2.643.100.111';
/** issuerSignTool: SEQUENCE of four UTF8Strings naming the CA's tools and their certificates of conformity. */
export const OID_EXT_ISSUER_SIGN_TOOL = '1.2.643.100.112';
/** Microsoft certificate template / CA version extensions, common in Russian CA certificates. */
export const OID_EXT_MS_CA_VERSION = '1.3.6.1.4.1.311.21.1';
export const OID_EXT_MS_CERT_TEMPLATE = '1.3.6.1.4.1.311.21.7';
export const OID_EXT_MS_PREVIOUS_CERT_HASH = '1.3.6.1.4.1.311.21.2';

// OCSP (RFC 6960 §4.2.1, §4.4; RFC 8954).
export const OID_OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';
export const OID_OCSP_NONCE = '1.3.6.1.5.5.7.48.1.2';
export const OID_OCSP_CRL_ID = '1.3.6.1.5.5.7.48.1.3';
export const OID_OCSP_NO_CHECK = '1.3.6.1.5.5.7.48.1.5';
export const OID_OCSP_ARCHIVE_CUTOFF = '1.3.6.1.5.5.7.48.1.6';

// Access methods (RFC 5280 §4.2.2.1).
export const OID_AD_OCSP = '1.3.6.1.5.5.7.48.1';
export const OID_AD_CA_ISSUERS = '1.3.6.1.5.5.7.48.2';
export const OID_AD_TIME_STAMPING = '1.3.6.1.5.5.7.48.3';
export const OID_AD_CA_REPOSITORY = '1.3.6.1.5.5.7.48.5';

// Policies and qualifiers (RFC 5280 §4.2.1.4).
export const OID_ANY_POLICY = '2.5.29.32.0';
export const OID_QT_CPS = '1.3.6.1.5.5.7.2.1';
export const OID_QT_UNOTICE = '1.3.6.1.5.5.7.2.2';

/**
 * Classes of the signature tool in Russian qualified certificates (certificatePolicies, FSB
 * order 795): КС1 .113.1 (confirmed in gost.md §1.5), КС2 .2, КС3 .3, КВ1 .4, КВ2 .5, КА1 .6
 * (the continuation of the arc as CAs issue it; field-requirements.md lists only KC1).
 */
export const OID_POLICY_KC1 = '1.2.643.100.113.1';
export const OID_POLICY_KC2 = '1.2.643.100.113.2';
export const OID_POLICY_KC3 = '1.2.643.100.113.3';
export const OID_POLICY_KB1 = '1.2.643.100.113.4';
export const OID_POLICY_KB2 = '1.2.643.100.113.5';
export const OID_POLICY_KA1 = '1.2.643.100.113.6';

/** Sign-tool class names by policy OID, Latin transliteration (КС1 = KC1). */
export const QUALIFIED_CLASS_POLICIES: Readonly<Record<string, string>> = {
  [OID_POLICY_KC1]: 'KC1',
  [OID_POLICY_KC2]: 'KC2',
  [OID_POLICY_KC3]: 'KC3',
  [OID_POLICY_KB1]: 'KB1',
  [OID_POLICY_KB2]: 'KB2',
  [OID_POLICY_KA1]: 'KA1',
};

/**
 * Kazakh NCA RK subject-role identifiers (field-requirements.md §2 "KZ role policies"). Public
 * clients (sigex-kz/ncalayer-js-client) match them among the extended key usages.
 */
export const OID_KZ_INDIVIDUAL = '1.2.398.3.3.4.1.1';
export const OID_KZ_LEGAL_ENTITY = '1.2.398.3.3.4.1.2';
export const OID_KZ_HEAD = '1.2.398.3.3.4.1.2.1';
export const OID_KZ_RIGHT_TO_SIGN = '1.2.398.3.3.4.1.2.2';
export const OID_KZ_RIGHT_TO_SIGN_FINANCIAL = '1.2.398.3.3.4.1.2.3';
export const OID_KZ_HR = '1.2.398.3.3.4.1.2.4';
export const OID_KZ_EMPLOYEE = '1.2.398.3.3.4.1.2.5';

// Extended key usages (RFC 5280 §4.2.1.12).
export const OID_EKU_ANY = '2.5.29.37.0';
export const OID_EKU_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
export const OID_EKU_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
export const OID_EKU_CODE_SIGNING = '1.3.6.1.5.5.7.3.3';
export const OID_EKU_EMAIL_PROTECTION = '1.3.6.1.5.5.7.3.4';
export const OID_EKU_TIME_STAMPING = '1.3.6.1.5.5.7.3.8';
export const OID_EKU_OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';

// ---------------------------------------------------------------------------------------------
// Algorithms (gost.md §1.1-1.4; RFC 5754, RFC 8017, RFC 5480, RFC 8410).

export const OID_GOST2012_256 = '1.2.643.7.1.1.1.1';
export const OID_GOST2012_512 = '1.2.643.7.1.1.1.2';
export const OID_STREEBOG256 = '1.2.643.7.1.1.2.2';
export const OID_STREEBOG512 = '1.2.643.7.1.1.2.3';
export const OID_GOST2012_256_SIGN = '1.2.643.7.1.1.3.2';
export const OID_GOST2012_512_SIGN = '1.2.643.7.1.1.3.3';
export const OID_GOST2001 = '1.2.643.2.2.19';
export const OID_GOST2001_SIGN = '1.2.643.2.2.3';
export const OID_GOST341194 = '1.2.643.2.2.9';
export const OID_RSA = '1.2.840.113549.1.1.1';
export const OID_RSA_PSS = '1.2.840.113549.1.1.10';
export const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
export const OID_ED25519 = '1.3.101.112';
export const OID_SHA1 = '1.3.14.3.2.26';
export const OID_SHA256 = '2.16.840.1.101.3.4.2.1';

// CMS content types (RFC 5652 §3, §5).
export const OID_CMS_DATA = '1.2.840.113549.1.7.1';
export const OID_CMS_SIGNED_DATA = '1.2.840.113549.1.7.2';

// ---------------------------------------------------------------------------------------------
// Readable names. `[en, ru?]`; the Russian name is given where Russian users see another term.

type Names = readonly [en: string, ru?: string];

const NAMES: Readonly<Record<string, Names>> = {
  [OID_COMMON_NAME]: ['commonName', 'Общее имя'],
  [OID_SURNAME]: ['surname', 'Фамилия'],
  [OID_SERIAL_NUMBER]: ['serialNumber', 'Серийный номер'],
  [OID_COUNTRY]: ['countryName', 'Страна'],
  [OID_LOCALITY]: ['localityName', 'Населённый пункт'],
  [OID_STATE_OR_PROVINCE]: ['stateOrProvinceName', 'Регион'],
  [OID_STREET]: ['streetAddress', 'Адрес'],
  [OID_ORGANIZATION]: ['organizationName', 'Организация'],
  [OID_ORGANIZATIONAL_UNIT]: ['organizationalUnitName', 'Подразделение'],
  [OID_TITLE]: ['title', 'Должность'],
  [OID_BUSINESS_CATEGORY]: ['businessCategory'],
  [OID_POSTAL_CODE]: ['postalCode', 'Почтовый индекс'],
  [OID_NAME]: ['name'],
  [OID_GIVEN_NAME]: ['givenName', 'Имя и отчество'],
  [OID_INITIALS]: ['initials', 'Инициалы'],
  [OID_GENERATION_QUALIFIER]: ['generationQualifier'],
  [OID_DN_QUALIFIER]: ['dnQualifier'],
  [OID_PSEUDONYM]: ['pseudonym', 'Псевдоним'],
  [OID_ORGANIZATION_IDENTIFIER]: ['organizationIdentifier'],
  [OID_EMAIL_ADDRESS]: ['emailAddress', 'Электронная почта'],
  [OID_UNSTRUCTURED_NAME]: ['unstructuredName'],
  [OID_DOMAIN_COMPONENT]: ['domainComponent'],
  [OID_USER_ID]: ['userId'],
  [OID_INN]: ['INN', 'ИНН'],
  [OID_INNLE]: ['INNLE', 'ИНН ЮЛ'],
  [OID_OGRN]: ['OGRN', 'ОГРН'],
  [OID_OGRNIP]: ['OGRNIP', 'ОГРНИП'],
  [OID_SNILS]: ['SNILS', 'СНИЛС'],
  [OID_EXT_AUTHORITY_KEY_IDENTIFIER_OBSOLETE]: ['authorityKeyIdentifier (obsolete)'],
  [OID_EXT_SUBJECT_DIRECTORY_ATTRIBUTES]: ['subjectDirectoryAttributes'],
  [OID_EXT_SUBJECT_KEY_IDENTIFIER]: ['subjectKeyIdentifier', 'Идентификатор ключа субъекта'],
  [OID_EXT_KEY_USAGE]: ['keyUsage', 'Использование ключа'],
  [OID_EXT_PRIVATE_KEY_USAGE_PERIOD]: ['privateKeyUsagePeriod', 'Срок действия закрытого ключа'],
  [OID_EXT_SUBJECT_ALT_NAME]: ['subjectAltName', 'Альтернативное имя субъекта'],
  [OID_EXT_ISSUER_ALT_NAME]: ['issuerAltName', 'Альтернативное имя издателя'],
  [OID_EXT_BASIC_CONSTRAINTS]: ['basicConstraints', 'Основные ограничения'],
  [OID_EXT_CRL_NUMBER]: ['cRLNumber', 'Номер CRL'],
  [OID_EXT_CRL_REASON]: ['reasonCode', 'Причина отзыва'],
  [OID_EXT_INVALIDITY_DATE]: ['invalidityDate', 'Дата компрометации'],
  [OID_EXT_DELTA_CRL_INDICATOR]: ['deltaCRLIndicator', 'Признак разностного CRL'],
  [OID_EXT_ISSUING_DISTRIBUTION_POINT]: ['issuingDistributionPoint', 'Точка распространения CRL издателя'],
  [OID_EXT_CERTIFICATE_ISSUER]: ['certificateIssuer', 'Издатель сертификата'],
  [OID_EXT_NAME_CONSTRAINTS]: ['nameConstraints', 'Ограничения имён'],
  [OID_EXT_CRL_DISTRIBUTION_POINTS]: ['cRLDistributionPoints', 'Точки распространения CRL'],
  [OID_EXT_CERTIFICATE_POLICIES]: ['certificatePolicies', 'Политики сертификата'],
  [OID_EXT_POLICY_MAPPINGS]: ['policyMappings', 'Сопоставление политик'],
  [OID_EXT_AUTHORITY_KEY_IDENTIFIER]: ['authorityKeyIdentifier', 'Идентификатор ключа центра сертификатов'],
  [OID_EXT_POLICY_CONSTRAINTS]: ['policyConstraints', 'Ограничения политик'],
  [OID_EXT_EXT_KEY_USAGE]: ['extKeyUsage', 'Улучшенный ключ'],
  [OID_EXT_FRESHEST_CRL]: ['freshestCRL', 'Свежайший CRL'],
  [OID_EXT_INHIBIT_ANY_POLICY]: ['inhibitAnyPolicy'],
  [OID_EXT_AUTHORITY_INFO_ACCESS]: ['authorityInfoAccess', 'Доступ к информации о центрах сертификации'],
  [OID_EXT_SUBJECT_INFO_ACCESS]: ['subjectInfoAccess'],
  [OID_EXT_CT_SCT_LIST]: ['signedCertificateTimestampList'],
  [OID_EXT_SUBJECT_SIGN_TOOL]: ['subjectSignTool', 'Средство электронной подписи владельца'],
  [OID_EXT_ISSUER_SIGN_TOOL]: ['issuerSignTool', 'Средства электронной подписи и УЦ издателя'],
  [OID_EXT_MS_CA_VERSION]: ['Microsoft CA version'],
  [OID_EXT_MS_CERT_TEMPLATE]: ['Microsoft certificate template'],
  [OID_EXT_MS_PREVIOUS_CERT_HASH]: ['Microsoft previous CA certificate hash'],
  [OID_OCSP_BASIC]: ['id-pkix-ocsp-basic'],
  [OID_OCSP_NONCE]: ['OCSP nonce'],
  [OID_OCSP_CRL_ID]: ['OCSP CRL reference'],
  [OID_OCSP_NO_CHECK]: ['OCSP no check'],
  [OID_OCSP_ARCHIVE_CUTOFF]: ['OCSP archive cutoff'],
  [OID_AD_OCSP]: ['OCSP'],
  [OID_AD_CA_ISSUERS]: ['caIssuers'],
  [OID_AD_TIME_STAMPING]: ['timeStamping'],
  [OID_AD_CA_REPOSITORY]: ['caRepository'],
  [OID_ANY_POLICY]: ['anyPolicy', 'Любая политика'],
  [OID_QT_CPS]: ['CPS'],
  [OID_QT_UNOTICE]: ['userNotice'],
  [OID_POLICY_KC1]: ['Class KC1 signature tool', 'Класс средства ЭП КС1'],
  [OID_POLICY_KC2]: ['Class KC2 signature tool', 'Класс средства ЭП КС2'],
  [OID_POLICY_KC3]: ['Class KC3 signature tool', 'Класс средства ЭП КС3'],
  [OID_POLICY_KB1]: ['Class KB1 signature tool', 'Класс средства ЭП КВ1'],
  [OID_POLICY_KB2]: ['Class KB2 signature tool', 'Класс средства ЭП КВ2'],
  [OID_POLICY_KA1]: ['Class KA1 signature tool', 'Класс средства ЭП КА1'],
  [OID_KZ_INDIVIDUAL]: ['KZ individual', 'Физическое лицо (РК)'],
  [OID_KZ_LEGAL_ENTITY]: ['KZ legal entity', 'Юридическое лицо (РК)'],
  [OID_KZ_HEAD]: ['KZ head of organisation', 'Первый руководитель (РК)'],
  [OID_KZ_RIGHT_TO_SIGN]: ['KZ right to sign', 'Лицо с правом подписи (РК)'],
  [OID_KZ_RIGHT_TO_SIGN_FINANCIAL]: [
    'KZ right to sign financial documents',
    'Право подписи финансовых документов (РК)',
  ],
  [OID_KZ_HR]: ['KZ HR officer', 'Сотрудник отдела кадров (РК)'],
  [OID_KZ_EMPLOYEE]: ['KZ employee', 'Сотрудник организации (РК)'],
  [OID_EKU_ANY]: ['anyExtendedKeyUsage', 'Любое назначение'],
  [OID_EKU_SERVER_AUTH]: ['serverAuth', 'Проверка подлинности сервера'],
  [OID_EKU_CLIENT_AUTH]: ['clientAuth', 'Проверка подлинности клиента'],
  [OID_EKU_CODE_SIGNING]: ['codeSigning', 'Подписание кода'],
  [OID_EKU_EMAIL_PROTECTION]: ['emailProtection', 'Защищённая электронная почта'],
  [OID_EKU_TIME_STAMPING]: ['timeStamping', 'Штамп времени'],
  [OID_EKU_OCSP_SIGNING]: ['OCSPSigning', 'Подписание ответов OCSP'],
  [OID_GOST2012_256]: ['GOST R 34.10-2012 256-bit', 'ГОСТ Р 34.10-2012 256 бит'],
  [OID_GOST2012_512]: ['GOST R 34.10-2012 512-bit', 'ГОСТ Р 34.10-2012 512 бит'],
  [OID_STREEBOG256]: ['GOST R 34.11-2012 256-bit (Streebog)', 'ГОСТ Р 34.11-2012 256 бит'],
  [OID_STREEBOG512]: ['GOST R 34.11-2012 512-bit (Streebog)', 'ГОСТ Р 34.11-2012 512 бит'],
  [OID_GOST2012_256_SIGN]: ['GOST R 34.10-2012 256 with GOST R 34.11-2012', 'ГОСТ Р 34.11-2012/34.10-2012 256 бит'],
  [OID_GOST2012_512_SIGN]: ['GOST R 34.10-2012 512 with GOST R 34.11-2012', 'ГОСТ Р 34.11-2012/34.10-2012 512 бит'],
  [OID_GOST2001]: ['GOST R 34.10-2001', 'ГОСТ Р 34.10-2001'],
  [OID_GOST2001_SIGN]: ['GOST R 34.10-2001 with GOST R 34.11-94', 'ГОСТ Р 34.11/34.10-2001'],
  [OID_GOST341194]: ['GOST R 34.11-94', 'ГОСТ Р 34.11-94'],
  '1.2.643.7.1.2.1.1.1': ['tc26-256-A'],
  '1.2.643.7.1.2.1.1.2': ['tc26-256-B'],
  '1.2.643.7.1.2.1.1.3': ['tc26-256-C'],
  '1.2.643.7.1.2.1.1.4': ['tc26-256-D'],
  '1.2.643.2.2.35.0': ['GOST R 34.10-2001 TestParamSet'],
  '1.2.643.2.2.35.1': ['CryptoPro-A'],
  '1.2.643.2.2.35.2': ['CryptoPro-B'],
  '1.2.643.2.2.35.3': ['CryptoPro-C'],
  '1.2.643.2.2.36.0': ['CryptoPro-XchA'],
  '1.2.643.2.2.36.1': ['CryptoPro-XchB'],
  '1.2.643.7.1.2.1.2.0': ['tc26-512-Test'],
  '1.2.643.7.1.2.1.2.1': ['tc26-512-A'],
  '1.2.643.7.1.2.1.2.2': ['tc26-512-B'],
  '1.2.643.7.1.2.1.2.3': ['tc26-512-C'],
  '1.2.398.3.10.1.1.2.2.1': ['KZ GOST 512 (tc26-512-A)'],
  [OID_RSA]: ['rsaEncryption'],
  [OID_RSA_PSS]: ['RSASSA-PSS'],
  '1.2.840.113549.1.1.5': ['sha1WithRSAEncryption'],
  '1.2.840.113549.1.1.11': ['sha256WithRSAEncryption'],
  '1.2.840.113549.1.1.12': ['sha384WithRSAEncryption'],
  '1.2.840.113549.1.1.13': ['sha512WithRSAEncryption'],
  [OID_EC_PUBLIC_KEY]: ['id-ecPublicKey'],
  '1.2.840.10045.4.3.2': ['ecdsa-with-SHA256'],
  '1.2.840.10045.4.3.3': ['ecdsa-with-SHA384'],
  '1.2.840.10045.4.3.4': ['ecdsa-with-SHA512'],
  '1.2.840.10045.3.1.7': ['P-256'],
  '1.3.132.0.34': ['P-384'],
  '1.3.132.0.35': ['P-521'],
  [OID_ED25519]: ['Ed25519'],
  [OID_SHA1]: ['SHA-1'],
  [OID_SHA256]: ['SHA-256'],
  '2.16.840.1.101.3.4.2.2': ['SHA-384'],
  '2.16.840.1.101.3.4.2.3': ['SHA-512'],
  [OID_CMS_DATA]: ['id-data'],
  [OID_CMS_SIGNED_DATA]: ['id-signedData'],
};

/**
 * A readable name of an OID in English or Russian; the dotted OID itself when unknown.
 * Russian falls back to the English name where the Russian term is the same.
 *
 * @example
 * ```ts
 * oidName('1.2.643.100.3', 'ru'); // 'СНИЛС'
 * oidName('1.2.643.100.3');       // 'SNILS'
 * ```
 */
export function oidName(oid: string, lang: 'en' | 'ru' = 'en'): string {
  // Own keys only: `constructor` or `toString` must not reach Object.prototype.
  const names = Object.hasOwn(NAMES, oid) ? NAMES[oid] : undefined;
  if (!names) return oid;
  return lang === 'ru' ? (names[1] ?? names[0]) : names[0];
}

/** True when `oid` has a readable name in {@link oidName}. */
export function isKnownOid(oid: string): boolean {
  return Object.hasOwn(NAMES, oid);
}
