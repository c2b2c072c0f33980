// The page's own texts in Russian and English (the verification report comes from @eds/verify's formatReport).

/** The languages of the page; the same as formatReport's. */
export type Lang = 'ru' | 'en';

/** A text in both languages, or a function of values giving one. */
type Text = { readonly ru: string; readonly en: string };

/** Every fixed text of the page, by the key used in `data-t` attributes. */
export const TEXTS = {
  title: { ru: 'Подпись файла в браузере', en: 'Sign a file in the browser' },
  intro: {
    ru: 'Ключ из файла .pfx открывается в этой странице и никуда не отправляется; пароль не сохраняется. Если установлен КриптоПро ЭЦП Browser plug-in, Рутокен Плагин или NCALayer, их сертификаты тоже можно выбрать.',
    en: 'The key from the .pfx file is opened in this page and sent nowhere; the password is not stored. When the CryptoPro plug-in, the Rutoken Plugin or NCALayer is installed, their certificates can be chosen too.',
  },
  keyTitle: { ru: '1. Ключ и сертификат', en: '1. Key and certificate' },
  pfxFile: { ru: 'Файл ключа (.pfx, .p12)', en: 'Key file (.pfx, .p12)' },
  password: { ru: 'Пароль (или PIN-код токена)', en: 'Password (or the token PIN)' },
  open: { ru: 'Открыть', en: 'Open' },
  forget: { ru: 'Забыть ключи', en: 'Forget the keys' },
  probeNcaLayer: { ru: 'Подключиться к NCALayer', en: 'Connect to NCALayer' },
  certificates: { ru: 'Сертификаты', en: 'Certificates' },
  noCertificates: {
    ru: 'Нет сертификатов: откройте файл .pfx или подключите средство подписи.',
    en: 'No certificates: open a .pfx file or connect a signing bridge.',
  },
  signTitle: { ru: '2. Подписать файл', en: '2. Sign a file' },
  document: { ru: 'Документ', en: 'Document' },
  sign: { ru: 'Подписать', en: 'Sign' },
  download: { ru: 'Скачать подпись (.sig)', en: 'Download the signature (.sig)' },
  verifyTitle: { ru: '3. Проверить подпись', en: '3. Verify the signature' },
  trustRoot: { ru: 'Корневой сертификат (.cer, .pem)', en: 'Root certificate (.cer, .pem)' },
  otherDocument: {
    ru: 'Другой документ (по умолчанию подписанный)',
    en: 'Another document (default: the signed one)',
  },
  otherSignature: {
    ru: 'Другая подпись (по умолчанию созданная)',
    en: 'Another signature (default: the one made)',
  },
  revocation: { ru: 'Проверка отзыва', en: 'Revocation checking' },
  revocationOff: { ru: 'не проверять', en: 'off' },
  revocationPrefer: { ru: 'по данным в подписи, если есть', en: 'from data in the signature, when present' },
  revocationNote: {
    ru: 'Страница работает без сети: статус отзыва сертификатов (OCSP, CRL) в этой демонстрации не запрашивается.',
    en: 'The page works offline: this demo does not fetch the revocation status of certificates (OCSP, CRL).',
  },
  verify: { ru: 'Проверить', en: 'Verify' },
} as const satisfies Record<string, Text>;

/** A key of {@link TEXTS}. */
export type TextKey = keyof typeof TEXTS;

/** Messages with values, in both languages. */
export const MESSAGES = {
  opening: (lang: Lang) => (lang === 'ru' ? 'Открываю файл ключа…' : 'Opening the key file…'),
  signing: (lang: Lang) => (lang === 'ru' ? 'Подписываю…' : 'Signing…'),
  verifying: (lang: Lang) => (lang === 'ru' ? 'Проверяю подпись…' : 'Verifying the signature…'),
  connecting: (lang: Lang) => (lang === 'ru' ? 'Подключаюсь…' : 'Connecting…'),
  signed: (lang: Lang, name: string, bytes: number, who: string) =>
    lang === 'ru'
      ? `Файл «${name}» подписан (${who}): отсоединённая подпись CAdES-BES, ${bytes} байт.`
      : `"${name}" is signed (${who}): a detached CAdES-BES signature, ${bytes} bytes.`,
  issuer: (lang: Lang) => (lang === 'ru' ? 'Издатель' : 'Issuer'),
  validTo: (lang: Lang) => (lang === 'ru' ? 'Действует до' : 'Valid until'),
  qualified: (lang: Lang) => (lang === 'ru' ? 'квалифицированный' : 'qualified'),
  source: (lang: Lang, source: string) => (lang === 'ru' ? `Источник: ${source}` : `Source: ${source}`),
  expiresSoon: (lang: Lang, days: number) =>
    lang === 'ru' ? `Истекает через ${days} дн.` : `Expires in ${days} day${days === 1 ? '' : 's'}`,
  expired: (lang: Lang) => (lang === 'ru' ? 'Срок действия истёк' : 'Expired'),
  notYetValid: (lang: Lang) => (lang === 'ru' ? 'Ещё не действует' : 'Not yet valid'),
  keyExpired: (lang: Lang) =>
    lang === 'ru' ? 'Срок действия закрытого ключа истёк' : 'The private key usage period has ended',
  ncaStorage: (lang: Lang, label: string) =>
    lang === 'ru'
      ? `NCALayer: ${label} (ключ выбирается в окне NCALayer)`
      : `NCALayer: ${label} (the key is chosen in NCALayer's window)`,
  bridgeNone: (lang: Lang) =>
    lang === 'ru'
      ? 'Средства подписи в браузере не найдены (КриптоПро, Рутокен). NCALayer ищется по кнопке.'
      : 'No browser signing bridge found (CryptoPro, Rutoken). NCALayer is looked for on the button.',
  bridgeFound: (lang: Lang, name: string, count: number) =>
    lang === 'ru' ? `${name}: сертификатов ${count}` : `${name}: ${count} certificate${count === 1 ? '' : 's'}`,
  bridgeFailed: (name: string, why: string) => `${name}: ${why}`,
  chooseCertificate: (lang: Lang) => (lang === 'ru' ? 'Выберите сертификат.' : 'Choose a certificate.'),
  chooseDocument: (lang: Lang) => (lang === 'ru' ? 'Выберите документ.' : 'Choose a document.'),
  choosePfx: (lang: Lang) => (lang === 'ru' ? 'Выберите файл .pfx.' : 'Choose a .pfx file.'),
  chooseRoot: (lang: Lang) =>
    lang === 'ru' ? 'Выберите корневой сертификат для проверки.' : 'Choose the root certificate to verify against.',
  noSignature: (lang: Lang) =>
    lang === 'ru'
      ? 'Сначала подпишите документ или выберите файл подписи.'
      : 'Sign a document or choose a signature file first.',
  noDocument: (lang: Lang) =>
    lang === 'ru' ? 'Нет документа для проверки: выберите его.' : 'No document to verify: choose one.',
  tooLarge: (lang: Lang, limit: string) =>
    lang === 'ru' ? `Файл больше допустимого (${limit}).` : `The file is larger than allowed (${limit}).`,
} as const;

/** The text of `key` in `lang`. */
export function text(key: TextKey, lang: Lang): string {
  return TEXTS[key][lang];
}
