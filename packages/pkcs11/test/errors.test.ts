import { EdsError } from '@eds/core';
import {
  CKF_USER_PIN_FINAL_TRY,
  CKF_USER_PIN_LOCKED,
  CKR,
  fromCkr,
  KeyNotFoundError,
  LoginRequiredError,
  MechanismNotSupportedError,
  PinExpiredError,
  PinIncorrectError,
  PinLockedError,
  ProviderError,
  ProviderUnavailableError,
  TokenError,
  TokenNotPresentError,
  UserCancelledError,
} from '@eds/pkcs11';
import { describe, expect, it } from 'vitest';

// Table from shared/docs/reference/tokens.md §6.2: CKR value -> typed error and stable code.
const table: Array<[number, new (...a: never[]) => TokenError, string]> = [
  [0xa0, PinIncorrectError, 'ERR_TOKEN_PIN_INCORRECT'],
  [0xa4, PinLockedError, 'ERR_TOKEN_PIN_LOCKED'],
  // PKCS#11 v2.40 §11.1: CKR_PIN_INVALID and CKR_PIN_LEN_RANGE are wrong PINs; CKR_PIN_EXPIRED its own error.
  [0xa1, PinIncorrectError, 'ERR_TOKEN_PIN_INCORRECT'],
  [0xa2, PinIncorrectError, 'ERR_TOKEN_PIN_INCORRECT'],
  [0xa3, PinExpiredError, 'ERR_TOKEN_PIN_EXPIRED'],
  [0xe0, TokenNotPresentError, 'ERR_TOKEN_NOT_PRESENT'],
  [0x32, TokenNotPresentError, 'ERR_TOKEN_NOT_PRESENT'],
  [0x03, TokenNotPresentError, 'ERR_TOKEN_NOT_PRESENT'],
  [0xb3, TokenNotPresentError, 'ERR_TOKEN_NOT_PRESENT'],
  [0xb0, TokenNotPresentError, 'ERR_TOKEN_NOT_PRESENT'],
  [0x60, KeyNotFoundError, 'ERR_TOKEN_KEY_NOT_FOUND'],
  [0x82, KeyNotFoundError, 'ERR_TOKEN_KEY_NOT_FOUND'],
  [0x50, UserCancelledError, 'ERR_TOKEN_USER_CANCELLED'],
  [0x101, LoginRequiredError, 'ERR_TOKEN_LOGIN_REQUIRED'],
  [0x70, MechanismNotSupportedError, 'ERR_TOKEN_MECHANISM_NOT_SUPPORTED'],
  [0x63, MechanismNotSupportedError, 'ERR_TOKEN_MECHANISM_NOT_SUPPORTED'],
  [0x68, MechanismNotSupportedError, 'ERR_TOKEN_MECHANISM_NOT_SUPPORTED'],
  [0x05, ProviderError, 'ERR_TOKEN_PROVIDER'],
  [0x1234, ProviderError, 'ERR_TOKEN_PROVIDER'],
];

describe('fromCkr (PKCS#11 return values to typed errors)', () => {
  it.each(table)('maps 0x%s', (ckr, type, code) => {
    const e = fromCkr(ckr);
    expect(e).toBeInstanceOf(type);
    expect(e).toBeInstanceOf(TokenError);
    expect(e).toBeInstanceOf(EdsError);
    expect(e).toMatchObject({ code, ckr });
  });

  it('treats the success-like values as success', () => {
    expect([CKR.OK, CKR.CRYPTOKI_ALREADY_INITIALIZED, CKR.USER_ALREADY_LOGGED_IN].map((c) => fromCkr(c))).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('uses the token flags: final try means one retry left, locked means locked', () => {
    expect(fromCkr(CKR.PIN_INCORRECT)).toMatchObject({ retriesLeft: undefined });
    expect(fromCkr(CKR.PIN_INCORRECT, { tokenFlags: CKF_USER_PIN_FINAL_TRY })).toMatchObject({ retriesLeft: 1 });
    expect(fromCkr(CKR.PIN_INCORRECT, { tokenFlags: CKF_USER_PIN_LOCKED })).toBeInstanceOf(PinLockedError);
  });

  it('names unknown values in hex and keeps the cause', () => {
    const cause = new Error('native');
    const e = fromCkr(0x80000001, { cause });
    expect(e?.message).toBe('PKCS#11 error 0x80000001');
    expect(e?.cause).toBe(cause);
    expect(e?.name).toBe('ProviderError');
  });

  it('an expired PIN says what to do; final-try flags refine the PIN_LEN_RANGE and PIN_INVALID answers too', () => {
    const e = fromCkr(0xa3);
    expect(e).toMatchObject({
      name: 'PinExpiredError',
      message: "the PIN has expired: change it with the token's utility",
    });
    expect(fromCkr(0xa2, { tokenFlags: CKF_USER_PIN_FINAL_TRY })).toMatchObject({ retriesLeft: 1 });
    expect(fromCkr(0xa1, { tokenFlags: CKF_USER_PIN_LOCKED })).toBeInstanceOf(PinLockedError);
  });

  it('says why a provider is unavailable', () => {
    const e = new ProviderUnavailableError('not-installed', 'pkcs11js is not installed');
    expect(e).toMatchObject({
      code: 'ERR_TOKEN_PROVIDER_UNAVAILABLE',
      reason: 'not-installed',
      name: 'ProviderUnavailableError',
    });
  });
});
