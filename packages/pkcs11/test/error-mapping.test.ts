// Every PKCS#11 return value (CK_RV, PKCS#11 v2.40 §5.1) a module can give on login and signing maps to
// a typed TokenError, with the named classes of shared/docs/reference/tokens.md §6.2; provoked through
// the FAKE PKCS#11 module (test/support/fake-pkcs11.ts); Node and Chromium.

import * as errors from '@eds/pkcs11/errors';
import { CKR } from '@eds/pkcs11/errors';
import { inProcessBinding, openPkcs11, type Pkcs11Adapter } from '@eds/pkcs11/pkcs11';
import type { SignatureScheme } from '@eds/pkcs11/types';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFakePki, FAKE_CKR, FakePkcs11, type FakePki } from './support/fake-pkcs11';

const PIN = 'pin-4821-SECRET';
const T = 'ERR-0001';
const token = { provider: 'pkcs11', tokenId: T } as const;
const key = { ...token, keyId: '01' };
const scheme: SignatureScheme = { name: 'GOST3410', hash: 'STREEBOG-256' };
const data = new TextEncoder().encode('данные');

/**
 * tokens.md §6.2, PKCS#11 column: the CK_RV values and the class each must give. Values copied from
 * the reference document (hex as printed there), not from errors.ts.
 */
const TABLE_6_2: readonly [string, number, string][] = [
  ['CKR_PIN_INCORRECT', 0xa0, 'PinIncorrectError'],
  ['CKR_PIN_LOCKED', 0xa4, 'PinLockedError'],
  ['CKR_TOKEN_NOT_PRESENT', 0xe0, 'TokenNotPresentError'],
  ['CKR_DEVICE_REMOVED', 0x32, 'TokenNotPresentError'],
  ['CKR_SLOT_ID_INVALID', 0x3, 'TokenNotPresentError'],
  ['CKR_SESSION_HANDLE_INVALID', 0xb3, 'TokenNotPresentError'],
  ['CKR_SESSION_CLOSED', 0xb0, 'TokenNotPresentError'],
  ['CKR_KEY_HANDLE_INVALID', 0x60, 'KeyNotFoundError'],
  ['CKR_OBJECT_HANDLE_INVALID', 0x82, 'KeyNotFoundError'],
  ['CKR_FUNCTION_CANCELED', 0x50, 'UserCancelledError'],
  ['CKR_USER_NOT_LOGGED_IN', 0x101, 'LoginRequiredError'],
  ['CKR_MECHANISM_INVALID', 0x70, 'MechanismNotSupportedError'],
  ['CKR_KEY_TYPE_INCONSISTENT', 0x63, 'MechanismNotSupportedError'],
  ['CKR_KEY_FUNCTION_NOT_PERMITTED', 0x68, 'MechanismNotSupportedError'],
  ['CKR_GENERAL_ERROR', 0x5, 'ProviderError'],
  // PKCS#11 v2.40 §11.1 PIN values beyond the reference table: a PIN with characters the token
  // refuses or of the wrong length is a wrong PIN for the user; an expired PIN must be changed.
  ['CKR_PIN_INVALID', 0xa1, 'PinIncorrectError'],
  ['CKR_PIN_LEN_RANGE', 0xa2, 'PinIncorrectError'],
  ['CKR_PIN_EXPIRED', 0xa3, 'PinExpiredError'],
];

/** §6.2: "Treat CKR_CRYPTOKI_ALREADY_INITIALIZED 0x191 and CKR_USER_ALREADY_LOGGED_IN 0x100 as success". */
const SUCCESS_ON_LOGIN = 0x100;

let pki: FakePki;
beforeAll(async () => {
  pki = await createFakePki();
}, 120_000);

async function open(): Promise<{ fake: FakePkcs11; adapter: Pkcs11Adapter }> {
  const objects = [{ id: '01', key: pki.gost256.key, certificate: pki.gost256.certificate }];
  const spec = { serial: T, label: 'errors', flavour: 'jacarta' as const, userPin: PIN, maxRetries: 1000, objects };
  const fake = new FakePkcs11({ tokens: [spec] });
  return { fake, adapter: await openPkcs11('fake-pkcs11.so', { binding: inProcessBinding(fake) }) };
}

/** What an operation ended with: 'ok' or the thrown value. */
const settle = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => 'ok',
    (e: unknown) => e,
  );

function expectTyped(outcome: unknown, ckr: number): void {
  expect(outcome, `0x${ckr.toString(16)}`).toBeInstanceOf(errors.TokenError);
  const text = [String(outcome), (outcome as Error).message, String((outcome as Error).cause)].join('\n');
  expect(text).not.toContain(PIN);
}

/** Any 32-bit CK_RV but success, plus every named one (errors.ts CKR, the fake's pkcs11t.h list, §6.2). */
const NAMED = [...new Set([...Object.values(CKR), ...Object.values(FAKE_CKR), ...TABLE_6_2.map(([, v]) => v)])].filter(
  (v) => v !== 0,
);
const anyCkr = fc.oneof(fc.constantFrom(...NAMED), fc.integer({ min: 1, max: 0xffffffff }));

describe('CK_RV → typed errors, provoked through the fake module', () => {
  it('property: any CK_RV from C_Login gives a TokenError (never a raw Error, never the PIN)', async () => {
    await fc.assert(
      fc.asyncProperty(anyCkr, async (ckr) => {
        const { fake, adapter } = await open();
        fake.failNext('C_Login', ckr);
        const outcome = await settle(adapter.login(token, PIN));
        if (ckr === SUCCESS_ON_LOGIN) expect(outcome).toBe('ok');
        else expectTyped(outcome, ckr);
        await adapter.close();
      }),
      { numRuns: 150 },
    );
  });

  it('property: any CK_RV from the calls of sign() gives a TokenError or a signature', async () => {
    const methods = ['C_GetSlotList', 'C_GetTokenInfo', 'C_GetMechanismList', 'C_OpenSession', 'C_FindObjectsInit'];
    const signing = ['C_FindObjects', 'C_GetAttributeValue', 'C_SignInit', 'C_Sign'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...methods, ...signing), anyCkr, async (method, ckr) => {
        const { fake, adapter } = await open();
        await adapter.login(token, PIN);
        fake.failNext(method, ckr);
        const outcome = await settle(adapter.sign(key, { type: 'data', data }, scheme));
        // Attributes are read one by one and only a missing or sensitive one (0x12, 0x11) is skipped.
        if (outcome === 'ok') expect([method, ckr === 0x11 || ckr === 0x12]).toEqual(['C_GetAttributeValue', true]);
        else expectTyped(outcome, ckr);
        await adapter.close();
      }),
      { numRuns: 150 },
    );
  });

  it.each(TABLE_6_2)('§6.2: %s (%i) on C_Login, C_SignInit and C_Sign gives %s', async (_name, ckr, className) => {
    const expected = (errors as unknown as Record<string, new (...a: never[]) => Error>)[className];
    if (!expected) throw new Error(`errors.ts has no ${className}`);
    const { fake, adapter } = await open();
    fake.failNext('C_Login', ckr);
    const login = await settle(adapter.login(token, PIN));
    expect(login).toBeInstanceOf(expected);
    expect((login as errors.TokenError).ckr).toBe(ckr);
    await adapter.login(token, PIN);
    for (const method of ['C_SignInit', 'C_Sign']) {
      fake.failNext(method, ckr);
      const signed = await settle(adapter.sign(key, { type: 'data', data }, scheme));
      expect(signed, method).toBeInstanceOf(expected);
      expect((signed as errors.TokenError).ckr, method).toBe(ckr);
    }
    await adapter.close();
  });

  it('§6.2: CKR_USER_ALREADY_LOGGED_IN (0x100) on C_Login: the PIN is checked again, then it is a login', async () => {
    const { fake, adapter } = await open();
    // Another application of the process logged the token in (login is token-wide, tokens.md §2).
    const [slot] = fake.C_GetSlotList(true);
    if (!slot) throw new Error('no slot');
    fake.C_Login(fake.C_OpenSession(slot, 0x4), 1, PIN);
    const logins = fake.callCount('C_Login');
    const wrong = await settle(adapter.login(token, 'not-the-pin'));
    expect(wrong).toBeInstanceOf(errors.PinIncorrectError);
    expect(fake.pinStatus(T).failures).toBe(1);
    await adapter.login(token, PIN);
    // 0x100, then C_Logout + C_Login with the wrong PIN; then a plain C_Login with the right one
    expect(fake.callCount('C_Login')).toBe(logins + 3);
    expect(fake.callCount('C_Logout')).toBe(1);
    const sig = await adapter.sign(key, { type: 'data', data }, scheme);
    expect(sig.length).toBe(64);
    await adapter.close();
  });

  it('§6.2: CKR_CRYPTOKI_ALREADY_INITIALIZED (0x191) on C_Initialize opens the module', async () => {
    const objects = [{ id: '01', key: pki.gost256.key, certificate: pki.gost256.certificate }];
    const fake = new FakePkcs11({ tokens: [{ serial: T, label: 'errors', objects }] });
    fake.C_Initialize(); // initialised by another user of the module in the process: the adapter's call gets 0x191
    const adapter = await openPkcs11('fake-pkcs11.so', { binding: inProcessBinding(fake) });
    expect((await adapter.listTokens()).map((t) => t.tokenId)).toEqual([T]);
    await adapter.close();
  });

  it('§6.2: CKR_PIN_INCORRECT with CKF_USER_PIN_FINAL_TRY set gives retriesLeft 1', async () => {
    const objects = [{ id: '01', key: pki.gost256.key, certificate: pki.gost256.certificate }];
    const fake = new FakePkcs11({ tokens: [{ serial: T, label: 'errors', maxRetries: 3, objects }] });
    const adapter = await openPkcs11('fake-pkcs11.so', { binding: inProcessBinding(fake) });
    const first = await settle(adapter.login(token, 'wrong'));
    expect((first as errors.PinIncorrectError).retriesLeft).toBeUndefined();
    const second = await settle(adapter.login(token, 'wrong'));
    expect(second).toBeInstanceOf(errors.PinIncorrectError);
    expect((second as errors.PinIncorrectError).retriesLeft).toBe(1);
    await adapter.close();
  });

  it('§6.2: a load() NativeError is ProviderUnavailableError (not-installed for a missing file, else load-failed)', async () => {
    const cases: [string, string][] = [
      ['/opt/x/librtpkcs11ecp.so: cannot open shared object file: No such file or directory', 'not-installed'],
      ['/opt/x/librtpkcs11ecp.so: undefined symbol: C_GetFunctionList', 'load-failed'],
    ];
    for (const [loadError, reason] of cases) {
      const fake = new FakePkcs11({ tokens: [], loadError });
      const outcome = await settle(openPkcs11('/opt/x/librtpkcs11ecp.so', { binding: inProcessBinding(fake) }));
      expect(outcome).toBeInstanceOf(errors.ProviderUnavailableError);
      expect((outcome as errors.ProviderUnavailableError).reason).toBe(reason);
      expect(fake.callCount('C_Initialize')).toBe(0);
    }
  });
});
