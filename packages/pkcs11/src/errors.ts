// Typed token errors (ARCHITECTURE.md, "Errors") and the mapping of PKCS#11 return values
// (PKCS#11 v2.40 base specification §11, CKR_*) onto them.
import { EdsError } from '@eds/core/errors';

/** Stable codes of the token error family. */
export type TokenErrorCode =
  | 'ERR_TOKEN_PIN_INCORRECT'
  | 'ERR_TOKEN_PIN_LOCKED'
  | 'ERR_TOKEN_PIN_EXPIRED'
  | 'ERR_TOKEN_NOT_PRESENT'
  | 'ERR_TOKEN_KEY_NOT_FOUND'
  | 'ERR_TOKEN_PROVIDER_UNAVAILABLE'
  | 'ERR_TOKEN_USER_CANCELLED'
  | 'ERR_TOKEN_LOGIN_REQUIRED'
  | 'ERR_TOKEN_MECHANISM_NOT_SUPPORTED'
  | 'ERR_TOKEN_PROVIDER';

/**
 * Base of every error raised by a token adapter. `ckr` is the PKCS#11 return value when the
 * error came from a PKCS#11 module.
 */
export class TokenError extends EdsError {
  declare readonly code: TokenErrorCode;
  readonly ckr: number | undefined;

  constructor(code: TokenErrorCode, message: string, options: { ckr?: number; cause?: unknown } = {}) {
    super(code, message, { cause: options.cause });
    this.ckr = options.ckr;
  }
}

/**
 * The PIN was wrong. `retriesLeft` is known only where the token says so (1 on
 * `CKF_USER_PIN_FINAL_TRY`); undefined means "unknown", never "unlimited".
 *
 * @example
 * ```ts
 * if (e instanceof PinIncorrectError) show(`Неверный PIN-код, осталось попыток: ${e.retriesLeft ?? '?'}`);
 * ```
 */
export class PinIncorrectError extends TokenError {
  readonly retriesLeft: number | undefined;
  constructor(options: { retriesLeft?: number; ckr?: number; cause?: unknown } = {}) {
    super('ERR_TOKEN_PIN_INCORRECT', 'incorrect PIN', options);
    this.retriesLeft = options.retriesLeft;
  }
}

/** The PIN is blocked; only the security officer (PUK/SO PIN) can unblock it. */
export class PinLockedError extends TokenError {
  constructor(options: { ckr?: number; cause?: unknown } = {}) {
    super('ERR_TOKEN_PIN_LOCKED', 'PIN is locked', options);
  }
}

/**
 * The PIN has expired (CKR_PIN_EXPIRED, PKCS#11 v2.40 §11.1): the token accepts no login until the
 * user changes the PIN with the token's own utility.
 *
 * @example
 * ```ts
 * if (e instanceof PinExpiredError) show('Срок действия PIN-кода истёк: смените его утилитой токена');
 * ```
 */
export class PinExpiredError extends TokenError {
  constructor(options: { ckr?: number; cause?: unknown } = {}) {
    super('ERR_TOKEN_PIN_EXPIRED', "the PIN has expired: change it with the token's utility", options);
  }
}

/** The token was removed, or the slot or session it was in is gone. */
export class TokenNotPresentError extends TokenError {
  constructor(options: { ckr?: number; cause?: unknown; message?: string } = {}) {
    super('ERR_TOKEN_NOT_PRESENT', options.message ?? 'token not present', options);
  }
}

/** No key (or certificate) with the requested identifier on the token. */
export class KeyNotFoundError extends TokenError {
  constructor(options: { ckr?: number; cause?: unknown; message?: string } = {}) {
    super('ERR_TOKEN_KEY_NOT_FOUND', options.message ?? 'key not found on the token', options);
  }
}

/**
 * Why a provider could not be used, for a UI to say what to do: install it, start it, trust its
 * local certificate (NCALayer's wss://127.0.0.1), build the native binding (pkcs11js), or wait.
 */
export type ProviderUnavailableReason =
  | 'not-installed'
  | 'not-running'
  | 'certificate-untrusted'
  | 'load-failed'
  | 'native-binding-missing'
  | 'timeout'
  | 'unsupported-runtime';

/** The PKCS#11 module, plug-in or bridge cannot be reached or loaded. */
export class ProviderUnavailableError extends TokenError {
  readonly reason: ProviderUnavailableReason;
  constructor(reason: ProviderUnavailableReason, message: string, options: { cause?: unknown } = {}) {
    super('ERR_TOKEN_PROVIDER_UNAVAILABLE', message, options);
    this.reason = reason;
  }
}

/** The user dismissed a PIN pad or a bridge dialog. */
export class UserCancelledError extends TokenError {
  constructor(options: { ckr?: number; cause?: unknown } = {}) {
    super('ERR_TOKEN_USER_CANCELLED', 'cancelled by the user', options);
  }
}

/** The operation needs a login first (also for keys that ask for the PIN on every use). */
export class LoginRequiredError extends TokenError {
  constructor(options: { ckr?: number; cause?: unknown } = {}) {
    super('ERR_TOKEN_LOGIN_REQUIRED', 'login required', options);
  }
}

/** The token cannot do the requested mechanism with this key. */
export class MechanismNotSupportedError extends TokenError {
  constructor(options: { ckr?: number; cause?: unknown; message?: string } = {}) {
    super(
      'ERR_TOKEN_MECHANISM_NOT_SUPPORTED',
      options.message ?? 'mechanism not supported by the token or key',
      options,
    );
  }
}

/** Any other provider failure; `ckr` says which. */
export class ProviderError extends TokenError {
  constructor(message: string, options: { ckr?: number; cause?: unknown } = {}) {
    super('ERR_TOKEN_PROVIDER', message, options);
  }
}

/** PKCS#11 return values this module maps (v2.40 §11.1 and pkcs11t.h). */
export const CKR = {
  OK: 0x0,
  SLOT_ID_INVALID: 0x3,
  GENERAL_ERROR: 0x5,
  ATTRIBUTE_SENSITIVE: 0x11,
  ATTRIBUTE_TYPE_INVALID: 0x12,
  DEVICE_REMOVED: 0x32,
  FUNCTION_CANCELED: 0x50,
  KEY_HANDLE_INVALID: 0x60,
  KEY_TYPE_INCONSISTENT: 0x63,
  KEY_FUNCTION_NOT_PERMITTED: 0x68,
  MECHANISM_INVALID: 0x70,
  OBJECT_HANDLE_INVALID: 0x82,
  PIN_INCORRECT: 0xa0,
  PIN_INVALID: 0xa1,
  PIN_LEN_RANGE: 0xa2,
  PIN_EXPIRED: 0xa3,
  PIN_LOCKED: 0xa4,
  SESSION_CLOSED: 0xb0,
  SESSION_HANDLE_INVALID: 0xb3,
  TOKEN_NOT_PRESENT: 0xe0,
  USER_ALREADY_LOGGED_IN: 0x100,
  USER_NOT_LOGGED_IN: 0x101,
  CRYPTOKI_ALREADY_INITIALIZED: 0x191,
} as const;

/** Token flags consulted when mapping (v2.40 §3.2, CK_TOKEN_INFO.flags). */
export const CKF_USER_PIN_FINAL_TRY = 0x20000;
export const CKF_USER_PIN_LOCKED = 0x40000;

/**
 * Maps a PKCS#11 return value to a typed error, or `undefined` for values that mean success
 * (`CKR_OK`, `CKR_CRYPTOKI_ALREADY_INITIALIZED`, `CKR_USER_ALREADY_LOGGED_IN`). Table and
 * evidence: shared/docs/reference/tokens.md §6.2. `tokenFlags` refines PIN errors.
 *
 * @example
 * ```ts
 * const error = fromCkr(0xa0, { tokenFlags: 0x20000 }); // PinIncorrectError { retriesLeft: 1 }
 * if (error) throw error;
 * ```
 */
export function fromCkr(ckr: number, context: { tokenFlags?: number; cause?: unknown } = {}): TokenError | undefined {
  const o = { ckr, cause: context.cause };
  const flags = context.tokenFlags ?? 0;
  switch (ckr) {
    case CKR.OK:
    case CKR.CRYPTOKI_ALREADY_INITIALIZED:
    case CKR.USER_ALREADY_LOGGED_IN:
      return undefined;
    case CKR.PIN_INCORRECT:
    case CKR.PIN_INVALID: // characters the token does not accept
    case CKR.PIN_LEN_RANGE: // too short or too long: still a wrong PIN for the user
      if (flags & CKF_USER_PIN_LOCKED) return new PinLockedError(o);
      return new PinIncorrectError(flags & CKF_USER_PIN_FINAL_TRY ? { ...o, retriesLeft: 1 } : o);
    case CKR.PIN_LOCKED:
      return new PinLockedError(o);
    case CKR.PIN_EXPIRED:
      return new PinExpiredError(o);
    case CKR.TOKEN_NOT_PRESENT:
    case CKR.DEVICE_REMOVED:
    case CKR.SLOT_ID_INVALID:
    case CKR.SESSION_HANDLE_INVALID:
    case CKR.SESSION_CLOSED:
      return new TokenNotPresentError(o);
    case CKR.KEY_HANDLE_INVALID:
    case CKR.OBJECT_HANDLE_INVALID:
      return new KeyNotFoundError(o);
    case CKR.FUNCTION_CANCELED:
      return new UserCancelledError(o);
    case CKR.USER_NOT_LOGGED_IN:
      return new LoginRequiredError(o);
    case CKR.MECHANISM_INVALID:
    case CKR.KEY_TYPE_INCONSISTENT:
    case CKR.KEY_FUNCTION_NOT_PERMITTED:
      return new MechanismNotSupportedError(o);
    default:
      return new ProviderError(`PKCS#11 error 0x${ckr.toString(16).padStart(8, '0')}`, o);
  }
}
