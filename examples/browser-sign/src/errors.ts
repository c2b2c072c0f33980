// Errors of @eds/core and @eds/pkcs11 as sentences a person can act on (by the stable `code`, never a stack).
import type { Lang } from './i18n';

type Localized = { readonly ru: string; readonly en: string };

/** Messages by error code (ARCHITECTURE.md "Errors"; @eds/core/errors, @eds/pkcs11/errors). */
const BY_CODE: Readonly<Record<string, Localized>> = {
  ERR_WRONG_PASSWORD: {
    ru: 'Неверный пароль к файлу ключа.',
    en: 'Wrong password for the key file.',
  },
  ERR_KEY_MISMATCH: {
    ru: 'Сертификат не соответствует закрытому ключу.',
    en: 'The certificate does not match the private key.',
  },
  ERR_TOKEN_PIN_INCORRECT: { ru: 'Неверный PIN-код.', en: 'Incorrect PIN.' },
  ERR_TOKEN_PIN_LOCKED: {
    ru: 'PIN-код заблокирован: обратитесь к администратору токена.',
    en: 'The PIN is locked: ask the token administrator to unblock it.',
  },
  ERR_TOKEN_NOT_PRESENT: {
    ru: 'Токен не найден: вставьте его или откройте файл ключа снова.',
    en: 'Token not present: insert it or open the key file again.',
  },
  ERR_TOKEN_KEY_NOT_FOUND: {
    ru: 'В файле или на токене нет закрытого ключа вместе с его сертификатом.',
    en: 'The file or token holds no private key together with its certificate.',
  },
  ERR_TOKEN_USER_CANCELLED: { ru: 'Операция отменена.', en: 'Cancelled.' },
  ERR_TOKEN_LOGIN_REQUIRED: {
    ru: 'Нужен PIN-код токена: введите его в поле пароля.',
    en: "The token's PIN is needed: enter it in the password field.",
  },
  ERR_TOKEN_MECHANISM_NOT_SUPPORTED: {
    ru: 'Этот ключ не может подписывать выбранным алгоритмом (например, ГОСТ Р 34.10-2001 больше не допускается).',
    en: 'This key cannot sign with the chosen algorithm (GOST R 34.10-2001, for example, is no longer allowed).',
  },
};

const DECODE: Localized = {
  ru: 'Файл повреждён или имеет не тот формат',
  en: 'The file is damaged or not of the expected format',
};

/** The `code` of an EdsError, or undefined. */
function codeOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The error's own message, cut short and without line breaks (never a stack). */
function messageOf(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  const line = m.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/**
 * A readable message for an error thrown while opening a key, signing or verifying: a fixed
 * sentence per known code, with the provider's own explanation where it helps (bridges say
 * what to install or start); anything else shows its one-line message.
 */
export function describeError(e: unknown, lang: Lang): string {
  const code = codeOf(e);
  if (e instanceof DOMException && e.name === 'AbortError') return lang === 'ru' ? 'Прервано.' : 'Aborted.';
  if (code === 'ERR_TOKEN_PIN_INCORRECT') {
    const left = (e as { retriesLeft?: number }).retriesLeft;
    const base = BY_CODE[code]?.[lang] ?? '';
    if (left === undefined) return base;
    return lang === 'ru' ? `${base} Осталось попыток: ${left}.` : `${base} Tries left: ${left}.`;
  }
  if (code === 'ERR_TOKEN_PROVIDER_UNAVAILABLE' || code === 'ERR_TOKEN_PROVIDER') {
    const head = lang === 'ru' ? 'Средство подписи недоступно' : 'The signing bridge is unavailable';
    return `${head}: ${messageOf(e)}`;
  }
  const known = code ? BY_CODE[code] : undefined;
  if (known) return known[lang];
  if (code === 'ERR_UNSUPPORTED_FORMAT') {
    return `${lang === 'ru' ? 'Этот формат файла не поддерживается' : 'This file format is not supported'}: ${messageOf(e)}`;
  }
  if (code?.startsWith('ERR_DECODE')) return `${DECODE[lang]}: ${messageOf(e)}`;
  return messageOf(e);
}
