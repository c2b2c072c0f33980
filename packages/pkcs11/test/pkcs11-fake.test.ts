// The PKCS#11 adapter through the FAKE PKCS#11 module (test/support/fake-pkcs11.ts): GOST vendor
// mechanisms (tokens.md §3.2, §6.1), PIN counters and lock (§2, §6.2), removal, PIN pad, cancel,
// always-authenticate keys, abort, and a CAdES-BES from a token key; Node and Chromium.
import {
  ecdsaP1363ToDer,
  ecdsaSha256,
  gost2012_256,
  gost2012_512,
  rsaPkcs1Sha256,
  verifySignature,
} from '@eds/core/algorithms';
import { allAlgorithms } from '@eds/core/all-algorithms';
import { der } from '@eds/core/asn1';
import { signCms } from '@eds/core/cms';
import { gostr3411_2012_256, gostr3411_2012_512, sha256 } from '@eds/core/digests';
import { DecodeError } from '@eds/core/errors';
import { createTestCa, type IssuedCertificate } from '@eds/core/testing';
import type { SignatureAlgorithm } from '@eds/core/types';
import {
  KeyNotFoundError,
  LoginRequiredError,
  MechanismNotSupportedError,
  PinIncorrectError,
  PinLockedError,
  ProviderError,
  TokenError,
  TokenNotPresentError,
  UserCancelledError,
} from '@eds/pkcs11/errors';
import { inProcessBinding, openPkcs11, type Pkcs11Adapter } from '@eds/pkcs11/pkcs11';
import { tokenSigner } from '@eds/pkcs11/token-signer';
import type { HashAlg, SignatureScheme, TokenEvent, TokenRef } from '@eds/pkcs11/types';
import { createTrustStore } from '@eds/verify/trust';
import { verify } from '@eds/verify/verify';
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createFakePki,
  FAKE_CKA,
  FAKE_CKM,
  FAKE_CKR,
  type FakeFlavour,
  FakePkcs11,
  type FakePki,
  type FakeTokenSpec,
} from './support/fake-pkcs11';

const PIN = '1234';
const data = new TextEncoder().encode('Платёжное поручение № 42 (подписано ключом с токена)');

let pki: FakePki;
beforeAll(async () => {
  pki = await createFakePki();
}, 120_000);

const opened: Pkcs11Adapter[] = [];
afterEach(async () => {
  for (const a of opened.splice(0)) await a.close();
});

async function open(tokens: FakeTokenSpec[], pollIntervalMs?: number) {
  const fake = new FakePkcs11({ tokens });
  const adapter = await openPkcs11('fake-pkcs11.so', { binding: inProcessBinding(fake), pollIntervalMs });
  opened.push(adapter);
  return { fake, adapter };
}

const ref = (serial: string): TokenRef => ({ provider: 'pkcs11', tokenId: serial });

function gostToken(serial: string, flavour: FakeFlavour, extra: Partial<FakeTokenSpec> = {}): FakeTokenSpec {
  return {
    serial,
    label: `${flavour} token`,
    flavour,
    objects: [
      { id: 'a256', label: 'gost256', key: pki.gost256.key, certificate: pki.gost256.certificate },
      { id: 'b512', label: 'gost512', key: pki.gost512.key, certificate: pki.gost512.certificate },
    ],
    ...extra,
  };
}

/** Verified by @eds/core's verifier against the certificate's public key (not the adapter's code). */
function verifies(leaf: IssuedCertificate, algorithm: SignatureAlgorithm, signature: Uint8Array, signed = data) {
  return verifySignature(allAlgorithms, {
    algorithm: algorithm.identifier(),
    publicKey: leaf.key.publicKey,
    data: signed,
    signature,
  });
}

const GOST_SIZES = [
  { bits: 256, id: 'a256', hash: 'STREEBOG-256' as HashAlg, alg: () => gost2012_256, leaf: () => pki.gost256 },
  { bits: 512, id: 'b512', hash: 'STREEBOG-512' as HashAlg, alg: () => gost2012_512, leaf: () => pki.gost512 },
] as const;

describe('GOST R 34.10-2012 on Rutoken, JaCarta and TC26 fake tokens', () => {
  // Rutoken lists raw GOST only, so data is hashed in JS; JaCarta and TC26 hash on the token.
  const expectedMechanism = (flavour: FakeFlavour, bits: number, input: 'data' | 'digest') => {
    const raw = bits === 256 ? FAKE_CKM.GOSTR3410 : FAKE_CKM.GOSTR3410_512;
    if (input === 'digest' || flavour === 'rutoken') return raw;
    return bits === 256 ? FAKE_CKM.GOSTR3410_WITH_GOSTR3411_12_256 : FAKE_CKM.GOSTR3410_WITH_GOSTR3411_12_512;
  };

  for (const flavour of ['rutoken', 'jacarta', 'tc26'] as const) {
    for (const size of GOST_SIZES) {
      it(`${flavour}: GOST-${size.bits} signatures of data and of a digest verify (s‖r)`, async () => {
        const { fake, adapter } = await open([gostToken('GOST-0001', flavour)]);
        await adapter.login(ref('GOST-0001'), PIN);
        const entries = await adapter.listCertificates(ref('GOST-0001'));
        const entry = entries.find((e) => e.key.keyId === size.id);
        expect(entry?.hasPrivateKey).toBe(true);
        expect(entry?.keyAlgorithm).toMatchObject({ kind: 'GOST2012', bits: size.bits });
        const scheme: SignatureScheme = { name: 'GOST3410', hash: size.hash };
        const key = entry?.key ?? { provider: 'pkcs11', tokenId: 'GOST-0001', keyId: size.id };

        const overData = await adapter.sign(key, { type: 'data', data }, scheme);
        const digest = (size.bits === 256 ? gostr3411_2012_256 : gostr3411_2012_512).digest(data);
        const overDigest = await adapter.sign(key, { type: 'digest', digest, hash: size.hash }, scheme);

        expect(overData.length).toBe(size.bits / 4);
        expect(await verifies(size.leaf(), size.alg(), overData)).toBe(true);
        expect(await verifies(size.leaf(), size.alg(), overDigest)).toBe(true);
        expect(fake.signInits).toEqual([
          expectedMechanism(flavour, size.bits, 'data'),
          expectedMechanism(flavour, size.bits, 'digest'),
        ]);
        // Byte order matters: r‖s (the halves swapped) must not verify.
        const swapped = new Uint8Array([...overData.subarray(size.bits / 8), ...overData.subarray(0, size.bits / 8)]);
        expect(await verifies(size.leaf(), size.alg(), swapped)).toBe(false);
      });
    }
  }

  it('a Rutoken that lists hash-and-sign GOST mechanisms but refuses them: MechanismNotSupportedError', async () => {
    const all = [FAKE_CKM.GOSTR3410, FAKE_CKM.GOSTR3410_WITH_GOSTR3411_12_256];
    const { fake, adapter } = await open([gostToken('RT-LISTS', 'rutoken', { mechanisms: all })]);
    await adapter.login(ref('RT-LISTS'), PIN);
    const key = { provider: 'pkcs11', tokenId: 'RT-LISTS', keyId: 'a256' };
    const scheme: SignatureScheme = { name: 'GOST3410', hash: 'STREEBOG-256' };
    await expect(adapter.sign(key, { type: 'data', data }, scheme)).rejects.toBeInstanceOf(MechanismNotSupportedError);
    expect(fake.signInits).toEqual([FAKE_CKM.GOSTR3410_WITH_GOSTR3411_12_256]);
    // The digest path with the raw mechanism still works.
    const digest = gostr3411_2012_256.digest(data);
    const sig = await adapter.sign(key, { type: 'digest', digest, hash: 'STREEBOG-256' }, scheme);
    expect(await verifies(pki.gost256, gost2012_256, sig)).toBe(true);
  });

  it('a JaCarta GOST-512 key without a certificate (params in CKA_GOSTR3410_512PARAMS) still signs', async () => {
    const token = gostToken('JC-NOCERT', 'jacarta', { objects: [{ id: 'cc', key: pki.gost512.key }] });
    const { adapter } = await open([token]);
    await adapter.login(ref('JC-NOCERT'), PIN);
    const key = { provider: 'pkcs11', tokenId: 'JC-NOCERT', keyId: 'cc' };
    const sig = await adapter.sign(key, { type: 'data', data }, { name: 'GOST3410', hash: 'STREEBOG-512' });
    expect(await verifies(pki.gost512, gost2012_512, sig)).toBe(true);
  });

  it('a token with 4-byte CK_ULONG attributes (as on Windows): the key type is read and GOST-512 signs', async () => {
    const token = gostToken('WIN-0001', 'tc26', { ulongSize: 4, objects: [{ id: 'dd', key: pki.gost512.key }] });
    const { adapter } = await open([token]);
    await adapter.login(ref('WIN-0001'), PIN);
    const key = { provider: 'pkcs11', tokenId: 'WIN-0001', keyId: 'dd' };
    const sig = await adapter.sign(key, { type: 'data', data }, { name: 'GOST3410', hash: 'STREEBOG-512' });
    expect(await verifies(pki.gost512, gost2012_512, sig)).toBe(true);
  });

  it('one token hosting GOST, ECDSA and RSA keys: each signature verifies with its certificate', async () => {
    const objects = [
      { id: '01', key: pki.gost256tc26.key, certificate: pki.gost256tc26.certificate },
      { id: '02', key: pki.ecdsa.key, certificate: pki.ecdsa.certificate },
      { id: '03', key: pki.rsa.key, certificate: pki.rsa.certificate },
    ];
    const { adapter } = await open([{ serial: 'MIXED', label: 'mixed', flavour: 'jacarta', objects }]);
    await adapter.login(ref('MIXED'), PIN);
    const key = (keyId: string) => ({ provider: 'pkcs11', tokenId: 'MIXED', keyId });
    const gost = await adapter.sign(key('01'), { type: 'data', data }, { name: 'GOST3410', hash: 'STREEBOG-256' });
    expect(await verifies(pki.gost256tc26, gost2012_256, gost)).toBe(true);
    const digest = sha256.digest(data);
    const ec = await adapter.sign(
      key('02'),
      { type: 'digest', digest, hash: 'SHA-256' },
      { name: 'ECDSA', hash: 'SHA-256' },
    );
    expect(ec.length).toBe(64);
    expect(await verifies(pki.ecdsa, ecdsaSha256, ecdsaP1363ToDer(ec))).toBe(true);
    for (const input of [
      { type: 'data' as const, data },
      { type: 'digest' as const, digest, hash: 'SHA-256' as const },
    ]) {
      const rsa = await adapter.sign(key('03'), input, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
      expect(await verifies(pki.rsa, rsaPkcs1Sha256, rsa)).toBe(true);
    }
  });
});

describe('PIN counters: count low, final try, locked', () => {
  const T = 'PIN-0001';
  const wrong = '0000-not-the-pin';

  it('wrong PINs: PinIncorrectError and token states evolve; the final try is refused without C_Login', async () => {
    const { fake, adapter } = await open([gostToken(T, 'rutoken', { maxRetries: 3 })]);
    expect((await adapter.getTokenInfo(ref(T))).pin.state).toBe('ok');

    const first = await adapter.login(ref(T), wrong).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(PinIncorrectError);
    expect((first as PinIncorrectError).retriesLeft).toBeUndefined();
    expect((await adapter.getTokenInfo(ref(T))).pin.state).toBe('countLow');

    const second = await adapter.login(ref(T), wrong).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(PinIncorrectError);
    expect((second as PinIncorrectError).retriesLeft).toBe(1);
    expect((await adapter.getTokenInfo(ref(T))).pin).toMatchObject({ state: 'finalTry', retriesLeft: 1 });

    const calls = fake.callCount('C_Login');
    const refused = await adapter.login(ref(T), PIN).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PinIncorrectError);
    expect((refused as PinIncorrectError).retriesLeft).toBe(1);
    expect(fake.callCount('C_Login')).toBe(calls);
    expect(fake.pinStatus(T).retriesLeft).toBe(1);

    await expect(adapter.login(ref(T), wrong, { allowFinalTry: true })).rejects.toBeInstanceOf(PinLockedError);
    expect(fake.callCount('C_Login')).toBe(calls + 1);
    expect((await adapter.getTokenInfo(ref(T))).pin.state).toBe('locked');

    await expect(adapter.login(ref(T), PIN, { allowFinalTry: true })).rejects.toBeInstanceOf(PinLockedError);
    expect(fake.callCount('C_Login')).toBe(calls + 1);
  });

  it('with allowFinalTry the right PIN logs in at the final try and resets the counter', async () => {
    const { fake, adapter } = await open([gostToken(T, 'jacarta', { maxRetries: 2 })]);
    await expect(adapter.login(ref(T), wrong)).rejects.toBeInstanceOf(PinIncorrectError);
    expect((await adapter.getTokenInfo(ref(T))).pin.state).toBe('finalTry');
    await adapter.login(ref(T), PIN, { allowFinalTry: true });
    expect((await adapter.getTokenInfo(ref(T))).pin.state).toBe('ok');
    expect((await adapter.getTokenInfo(ref(T))).loggedIn).toBe(true);
    expect(fake.pinStatus(T).failures).toBe(0);
  });

  it('property: the adapter reports what the token keeps over any sequence of logins', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 6 }),
        fc.array(fc.boolean(), { maxLength: 10 }),
        async (max, tries) => {
          const { fake, adapter } = await open([gostToken(T, 'tc26', { maxRetries: max })]);
          let failures = 0;
          for (const right of tries) {
            const outcome = await adapter.login(ref(T), right ? PIN : wrong, { allowFinalTry: true }).then(
              () => 'ok',
              (e: unknown) => e,
            );
            if (failures >= max) expect(outcome).toBeInstanceOf(PinLockedError);
            else if (right) expect(outcome).toBe('ok');
            else if (failures + 1 >= max) expect(outcome).toBeInstanceOf(PinLockedError);
            else expect(outcome).toBeInstanceOf(PinIncorrectError);
            if (failures < max) failures = right ? 0 : failures + 1;
            if (outcome === 'ok') await adapter.logout(ref(T));
            const left = max - failures;
            const state = left <= 0 ? 'locked' : left === 1 ? 'finalTry' : failures > 0 ? 'countLow' : 'ok';
            expect((await adapter.getTokenInfo(ref(T))).pin.state).toBe(state);
            expect(fake.pinStatus(T).failures).toBe(failures);
          }
          await adapter.close();
        },
      ),
      { numRuns: 25 },
    );
  });

  it('the PIN appears in no error, message or cause', async () => {
    const secret = 'Zx9-secret-PIN-7731';
    const { adapter } = await open([gostToken(T, 'rutoken', { maxRetries: 5 })]);
    const e = (await adapter.login(ref(T), secret).catch((x: unknown) => x)) as PinIncorrectError;
    expect(e).toBeInstanceOf(PinIncorrectError);
    const text = [e.message, String(e), e.stack ?? '', String(e.cause), JSON.stringify(e)].join('\n');
    expect(text).not.toContain(secret);
  });
});

describe('token removal and insertion', () => {
  const T = 'RM-0001';

  it('a removed token: TokenNotPresentError everywhere, absent from listTokens, back after insertion', async () => {
    const { fake, adapter } = await open([gostToken(T, 'rutoken'), gostToken('OTHER', 'tc26')]);
    await adapter.login(ref(T), PIN);
    fake.remove(T);
    expect((await adapter.listTokens()).map((t) => t.tokenId)).toEqual(['OTHER']);
    await expect(adapter.getTokenInfo(ref(T))).rejects.toBeInstanceOf(TokenNotPresentError);
    await expect(adapter.listCertificates(ref(T))).rejects.toBeInstanceOf(TokenNotPresentError);
    const key = { provider: 'pkcs11', tokenId: T, keyId: 'a256' };
    const scheme: SignatureScheme = { name: 'GOST3410', hash: 'STREEBOG-256' };
    await expect(adapter.sign(key, { type: 'data', data }, scheme)).rejects.toBeInstanceOf(TokenNotPresentError);
    fake.insert(T);
    expect((await adapter.listTokens()).map((t) => t.tokenId).sort()).toEqual(['OTHER', T]);
    // Pulling the token out logged it out: the key is hidden until the next login.
    await expect(adapter.sign(key, { type: 'data', data }, scheme)).rejects.toBeInstanceOf(LoginRequiredError);
    await adapter.login(ref(T), PIN);
    expect(await verifies(pki.gost256, gost2012_256, await adapter.sign(key, { type: 'data', data }, scheme))).toBe(
      true,
    );
  });

  it('removal in the middle of signing (CKR_DEVICE_REMOVED on the session): TokenNotPresentError', async () => {
    const { fake, adapter } = await open([gostToken(T, 'jacarta')]);
    await adapter.login(ref(T), PIN);
    fake.onCall = (method) => {
      if (method === 'C_SignInit') fake.remove(T);
    };
    const key = { provider: 'pkcs11', tokenId: T, keyId: 'b512' };
    const sign = adapter.sign(key, { type: 'data', data }, { name: 'GOST3410', hash: 'STREEBOG-512' });
    await expect(sign).rejects.toBeInstanceOf(TokenNotPresentError);
    expect(fake.callCount('C_Sign')).toBe(0);
  });

  it("onTokenEvent reports 'removed' and 'inserted' with the token serial", async () => {
    const { fake, adapter } = await open([gostToken(T, 'tc26')], 10);
    const events: TokenEvent[] = [];
    const before = fake.callCount('C_GetSlotList');
    const unsubscribe = adapter.onTokenEvent((e) => events.push(e));
    // The second poll starts only after the first finished: the present set is known.
    const wait = { timeout: 10_000, interval: 5 };
    await vi.waitFor(() => expect(fake.callCount('C_GetSlotList')).toBeGreaterThanOrEqual(before + 2), wait);
    fake.remove(T);
    await vi.waitFor(() => expect(events).toHaveLength(1), wait);
    fake.insert(T);
    await vi.waitFor(() => expect(events).toHaveLength(2), wait);
    unsubscribe();
    expect(events).toEqual([
      { type: 'removed', token: ref(T) },
      { type: 'inserted', token: ref(T) },
    ]);
  });
});

describe('PIN pad (CKF_PROTECTED_AUTHENTICATION_PATH)', () => {
  const T = 'PAD-0001';

  it('login without a PIN on a PIN pad reader, then signing works', async () => {
    const { fake, adapter } = await open([gostToken(T, 'rutoken', { protectedAuthPath: true })]);
    expect((await adapter.getTokenInfo(ref(T))).protectedAuthPath).toBe(true);
    await adapter.login(ref(T), undefined);
    expect(fake.pinStatus(T).loggedIn).toBe(true);
    const key = { provider: 'pkcs11', tokenId: T, keyId: 'a256' };
    const sig = await adapter.sign(key, { type: 'data', data }, { name: 'GOST3410', hash: 'STREEBOG-256' });
    expect(await verifies(pki.gost256, gost2012_256, sig)).toBe(true);
  });

  it('the user cancels at the PIN pad: UserCancelledError, the counter untouched', async () => {
    const { fake, adapter } = await open([gostToken(T, 'jacarta', { protectedAuthPath: true })]);
    fake.pinPad(T, 'cancel');
    await expect(adapter.login(ref(T), undefined)).rejects.toBeInstanceOf(UserCancelledError);
    expect(fake.pinStatus(T)).toMatchObject({ failures: 0, loggedIn: false });
    fake.pinPad(T, 'wrong');
    await expect(adapter.login(ref(T), undefined)).rejects.toBeInstanceOf(PinIncorrectError);
    expect(fake.pinStatus(T).failures).toBe(1);
    await adapter.login(ref(T), undefined);
    expect(fake.pinStatus(T)).toMatchObject({ failures: 0, loggedIn: true });
  });

  it('no PIN and no PIN pad: LoginRequiredError before any C_Login', async () => {
    const { fake, adapter } = await open([gostToken(T, 'tc26')]);
    await expect(adapter.login(ref(T), undefined)).rejects.toBeInstanceOf(LoginRequiredError);
    expect(fake.callCount('C_Login')).toBe(0);
  });
});

describe('CKA_ALWAYS_AUTHENTICATE keys', () => {
  const T = 'AA-0001';
  const token = () =>
    gostToken(T, 'tc26', {
      maxRetries: 5,
      objects: [{ id: '0a', key: pki.gost256.key, certificate: pki.gost256.certificate, alwaysAuthenticate: true }],
    });
  const key = { provider: 'pkcs11', tokenId: T, keyId: '0a' };
  const scheme: SignatureScheme = { name: 'GOST3410', hash: 'STREEBOG-256' };

  it('signs with a context-specific login; without a PIN: LoginRequiredError; a wrong one counts', async () => {
    const { fake, adapter } = await open([token()]);
    await adapter.login(ref(T), PIN);
    const [entry] = await adapter.listCertificates(ref(T));
    expect(entry?.alwaysAuthenticate).toBe(true);
    await expect(adapter.sign(key, { type: 'data', data }, scheme)).rejects.toBeInstanceOf(LoginRequiredError);
    const logins = fake.callCount('C_Login');
    const sig = await adapter.sign(key, { type: 'data', data }, scheme, { pin: PIN });
    expect(await verifies(pki.gost256, gost2012_256, sig)).toBe(true);
    expect(fake.callCount('C_Login')).toBe(logins + 1);
    await expect(adapter.sign(key, { type: 'data', data }, scheme, { pin: '9999' })).rejects.toBeInstanceOf(
      PinIncorrectError,
    );
    expect(fake.pinStatus(T).failures).toBe(1);
  });

  it('on a PIN-pad reader the context-specific login needs no PIN from the caller', async () => {
    const padToken = { ...token(), protectedAuthPath: true };
    const { fake, adapter } = await open([padToken]);
    await adapter.login(ref(T), undefined);
    const logins = fake.callCount('C_Login');
    const sig = await adapter.sign(key, { type: 'data', data }, scheme);
    expect(await verifies(pki.gost256, gost2012_256, sig)).toBe(true);
    expect(fake.callCount('C_Login')).toBe(logins + 1);
    fake.pinPad(T, 'cancel');
    await expect(adapter.sign(key, { type: 'data', data }, scheme)).rejects.toBeInstanceOf(UserCancelledError);
  });

  it('tokenSigner asks for the PIN on every signature', async () => {
    const { adapter } = await open([token()]);
    await adapter.login(ref(T), PIN);
    const [entry] = await adapter.listCertificates(ref(T));
    let asked = 0;
    const pin = async () => {
      asked++;
      return PIN;
    };
    if (!entry) throw new Error('no certificate listed');
    const signer = tokenSigner({ adapter, entry, pin });
    expect(await verifies(pki.gost256, gost2012_256, await signer.sign(data))).toBe(true);
    expect(await verifies(pki.gost256, gost2012_256, await signer.sign(data))).toBe(true);
    expect(asked).toBe(2);
  });

  it('the fake itself: C_Sign without the context login is CKR_USER_NOT_LOGGED_IN', () => {
    const fake = new FakePkcs11({ tokens: [token()] });
    fake.C_Initialize();
    const [slot] = fake.C_GetSlotList(true);
    if (!slot) throw new Error('no slot');
    const session = fake.C_OpenSession(slot, 0x6);
    fake.C_Login(session, 1, PIN);
    fake.C_FindObjectsInit(session, [{ type: 0x0, value: 3 }]);
    const [handle] = fake.C_FindObjects(session, 10);
    fake.C_FindObjectsFinal(session);
    if (!handle) throw new Error('no key');
    fake.C_SignInit(session, { mechanism: FAKE_CKM.GOSTR3410 }, handle);
    expect(() => fake.C_Sign(session, new Uint8Array(32), new Uint8Array(64))).toThrow(
      expect.objectContaining({ code: FAKE_CKR.CKR_USER_NOT_LOGGED_IN, message: 'CKR_USER_NOT_LOGGED_IN' }),
    );
  });
});

describe('AbortSignal', () => {
  const T = 'AB-0001';
  const key = { provider: 'pkcs11', tokenId: T, keyId: 'a256' };
  const scheme: SignatureScheme = { name: 'GOST3410', hash: 'STREEBOG-256' };

  it('an aborted signal stops before any PKCS#11 call and rejects with its reason', async () => {
    const { fake, adapter } = await open([gostToken(T, 'tc26')]);
    const reason = new DOMException('user left the page', 'AbortError');
    const signal = AbortSignal.abort(reason);
    const slotCalls = fake.callCount('C_GetSlotList');
    await expect(adapter.sign(key, { type: 'data', data }, scheme, { signal })).rejects.toBe(reason);
    await expect(adapter.login(ref(T), PIN, { signal })).rejects.toBe(reason);
    await expect(adapter.listTokens({ signal })).rejects.toBe(reason);
    expect(fake.callCount('C_GetSlotList')).toBe(slotCalls);
    expect(fake.callCount('C_Login')).toBe(0);
  });

  it('an abort during C_SignInit: AbortError, and C_Sign is never called', async () => {
    const { fake, adapter } = await open([gostToken(T, 'tc26')]);
    await adapter.login(ref(T), PIN);
    const controller = new AbortController();
    fake.onCall = (method) => {
      if (method === 'C_SignInit') controller.abort();
    };
    const outcome = await adapter
      .sign(key, { type: 'data', data }, scheme, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect((outcome as Error).name).toBe('AbortError');
    expect(outcome).not.toBeInstanceOf(TokenError);
    expect(fake.callCount('C_SignInit')).toBe(1);
    expect(fake.callCount('C_Sign')).toBe(0);
  });
});

describe('CAdES-BES with a token key', () => {
  for (const size of GOST_SIZES) {
    it(`signCms through tokenSigner with a GOST-${size.bits} key on a fake token verifies: TOTAL_PASSED`, async () => {
      const { adapter } = await open([gostToken('CMS-0001', 'rutoken')]);
      await adapter.login(ref('CMS-0001'), PIN);
      const entry = (await adapter.listCertificates(ref('CMS-0001'))).find((e) => e.key.keyId === size.id);
      if (!entry) throw new Error('no certificate listed');
      const signer = tokenSigner({ adapter, entry });
      const cms = await signCms({ content: data, signers: [signer] });
      const report = await verify({
        signature: cms,
        trust: createTrustStore(pki.ca.certificate),
        revocationData: { crls: [pki.crl] },
      });
      expect(report.indication, JSON.stringify(report.signatures.map((s) => s.checks))).toBe('TOTAL_PASSED');
      const tampered = cms.slice();
      const at = tampered.length - 10;
      tampered[at] = (tampered[at] as number) ^ 1;
      const bad = await verify({
        signature: tampered,
        trust: createTrustStore(pki.ca.certificate),
        revocationData: { crls: [pki.crl] },
      });
      expect(bad.indication).not.toBe('TOTAL_PASSED');
    });
  }
});

describe('FakePkcs11 itself: the pkcs11js shapes the adapter relies on', () => {
  const start = (spec: Partial<FakeTokenSpec> = {}) => {
    const fake = new FakePkcs11({ tokens: [{ ...gostToken('SELF-1', 'jacarta'), ...spec }] });
    fake.C_Initialize();
    const [slot] = fake.C_GetSlotList(true);
    if (!slot) throw new Error('no slot');
    return { fake, slot, session: fake.C_OpenSession(slot, 0x4) };
  };
  const code = (fn: () => unknown): number | undefined => {
    try {
      fn();
    } catch (e) {
      return (e as { code?: number }).code;
    }
    return undefined;
  };

  it('handles are 8-byte buffers, text fields blank-padded, CKA_KEY_TYPE 8 bytes LE (4 on request)', () => {
    const { fake, slot, session } = start();
    expect(slot.length).toBe(8);
    const info = fake.C_GetTokenInfo(slot);
    expect([info.label.length, info.serialNumber.length, info.model.length]).toEqual([32, 16, 16]);
    expect(info.label.trim()).toBe('jacarta token');
    fake.C_FindObjectsInit(session, [
      { type: 0x0, value: 2 },
      { type: 0x102, value: new Uint8Array([0xb5, 0x12]) },
    ]);
    const [pub] = fake.C_FindObjects(session, 5);
    fake.C_FindObjectsFinal(session);
    if (!pub) throw new Error('no public key');
    const [keyType, params512] = [0x100, 0xd4321004].map(
      (type) => fake.C_GetAttributeValue(session, pub, [{ type }])[0],
    );
    expect([...(keyType?.value ?? [])]).toEqual([0x03, 0x10, 0x32, 0xd4, 0, 0, 0, 0]); // CKK_GOSTR3410_512
    expect(params512?.value[0]).toBe(0x06); // JaCarta: the 512-bit params under 0xD4321004 …
    expect(code(() => fake.C_GetAttributeValue(session, pub, [{ type: 0x250 }]))).toBe(0x12); // … not under 0x250
    const win = start({ ulongSize: 4 });
    win.fake.C_FindObjectsInit(win.session, [{ type: 0x0, value: 2 }]);
    const [h] = win.fake.C_FindObjects(win.session, 1);
    if (!h) throw new Error('no object');
    expect(win.fake.C_GetAttributeValue(win.session, h, [{ type: 0x100 }])[0]?.value.length).toBe(4);
  });

  it('token flags evolve COUNT_LOW → FINAL_TRY → LOCKED; then CKR_PIN_LOCKED even for the right PIN', () => {
    const { fake, slot, session } = start({ maxRetries: 3 });
    const flags = () => fake.C_GetTokenInfo(slot).flags & 0x70000;
    expect(flags()).toBe(0);
    expect(code(() => fake.C_Login(session, 1, 'bad'))).toBe(0xa0);
    expect(flags()).toBe(0x10000);
    expect(code(() => fake.C_Login(session, 1, 'bad'))).toBe(0xa0);
    expect(flags()).toBe(0x30000);
    expect(code(() => fake.C_Login(session, 1, 'bad'))).toBe(0xa0);
    expect(flags()).toBe(0x40000);
    expect(code(() => fake.C_Login(session, 1, PIN))).toBe(0xa4);
  });

  it('removal: slot absent from C_GetSlotList(true), sessions answer DEVICE_REMOVED then SESSION_HANDLE_INVALID', () => {
    const { fake, slot, session } = start();
    fake.remove('SELF-1');
    expect(fake.C_GetSlotList(true)).toEqual([]);
    expect(fake.C_GetSlotList(false)).toEqual([slot]);
    expect(code(() => fake.C_GetTokenInfo(slot))).toBe(0xe0);
    expect(code(() => fake.C_FindObjectsInit(session, []))).toBe(0x32);
    expect(code(() => fake.C_FindObjectsInit(session, []))).toBe(0xb3);
    expect(fake.C_WaitForSlotEvent(1)).toEqual(slot);
    expect(fake.C_WaitForSlotEvent(1)).toBeNull();
    fake.insert('SELF-1');
    expect(fake.C_WaitForSlotEvent(1)).toEqual(slot);
    expect(fake.C_GetSlotList(true)).toEqual([slot]);
  });

  it('errors look like pkcs11js Pkcs11Error; failNext provokes any CK_RV once', () => {
    const { fake, slot } = start();
    fake.failNext('C_GetTokenInfo', 0x80001234);
    const e = (() => {
      try {
        fake.C_GetTokenInfo(slot);
      } catch (x) {
        return x as Error & { code: number; method: string };
      }
    })();
    expect([e?.name, e?.message, e?.code, e?.method]).toEqual([
      'Pkcs11Error',
      'CKR_VENDOR_DEFINED',
      0x80001234,
      'C_GetTokenInfo',
    ]);
    expect(fake.C_GetTokenInfo(slot).serialNumber.trim()).toBe('SELF-1');
  });
});

describe('a kept login session that went stale (review F-B)', () => {
  const T = 'STALE-01';
  const key = { provider: 'pkcs11', tokenId: T, keyId: 'a256' } as const;
  const scheme: SignatureScheme = { name: 'GOST3410', hash: 'STREEBOG-256' };

  it('pulled out and put back between calls: not logged in; login() logs in again; sign without it asks for login', async () => {
    const { fake, adapter } = await open([gostToken(T, 'rutoken')]);
    await adapter.login(ref(T), PIN);
    fake.remove(T);
    fake.insert(T);
    expect((await adapter.getTokenInfo(ref(T))).loggedIn).toBe(false);
    expect((await adapter.listTokens()).find((t) => t.tokenId === T)?.loggedIn).toBe(false);
    await expect(adapter.sign(key, { type: 'data', data }, scheme)).rejects.toBeInstanceOf(LoginRequiredError);
    const logins = fake.callCount('C_Login');
    await adapter.login(ref(T), PIN);
    expect(fake.callCount('C_Login')).toBe(logins + 1);
    expect(fake.pinStatus(T).loggedIn).toBe(true);
    expect((await adapter.getTokenInfo(ref(T))).loggedIn).toBe(true);
    expect(await verifies(pki.gost256, gost2012_256, await adapter.sign(key, { type: 'data', data }, scheme))).toBe(
      true,
    );
  });

  it('the kept session survives, but the token was logged out: sign is LoginRequiredError, not KeyNotFoundError', async () => {
    const { fake, adapter: a } = await open([gostToken(T, 'tc26')]);
    const b = await openPkcs11('fake-pkcs11.so', { binding: inProcessBinding(fake) });
    opened.push(b);
    await a.login(ref(T), PIN);
    await b.login(ref(T), PIN);
    await a.logout(ref(T)); // C_Logout is token-wide: b's session is now a public one
    expect(fake.pinStatus(T).loggedIn).toBe(false);
    expect((await b.getTokenInfo(ref(T))).loggedIn).toBe(false);
    const e = await b.sign(key, { type: 'data', data }, scheme).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LoginRequiredError);
    expect(e).not.toBeInstanceOf(KeyNotFoundError);
    await b.login(ref(T), PIN);
    expect(fake.pinStatus(T).loggedIn).toBe(true);
    expect((await b.sign(key, { type: 'data', data }, scheme)).length).toBe(64);
  });

  it('a key that really is missing on a logged-in token is still KeyNotFoundError', async () => {
    const { adapter } = await open([gostToken(T, 'tc26')]);
    await adapter.login(ref(T), PIN);
    const missing = { ...key, keyId: 'ffee' };
    await expect(adapter.sign(missing, { type: 'data', data }, scheme)).rejects.toBeInstanceOf(KeyNotFoundError);
  });
});

describe('login on a token that is already logged in checks the PIN again (review F-A)', () => {
  const T = 'RELOG-01';
  const wrong = 'totally-wrong';
  const key = { provider: 'pkcs11', tokenId: T, keyId: 'a256' } as const;
  const scheme: SignatureScheme = { name: 'GOST3410', hash: 'STREEBOG-256' };

  it('same adapter: right then wrong PIN is PinIncorrectError (counted, logged out); right again logs in', async () => {
    const { fake, adapter } = await open([gostToken(T, 'rutoken')]);
    await adapter.login(ref(T), PIN);
    await expect(adapter.login(ref(T), wrong)).rejects.toBeInstanceOf(PinIncorrectError);
    expect(fake.pinStatus(T)).toMatchObject({ failures: 1, loggedIn: false });
    expect((await adapter.getTokenInfo(ref(T))).loggedIn).toBe(false);
    await expect(adapter.sign(key, { type: 'data', data }, scheme)).rejects.toBeInstanceOf(LoginRequiredError);
    await adapter.login(ref(T), PIN);
    await adapter.login(ref(T), PIN); // checked again: still fine
    expect(fake.pinStatus(T)).toMatchObject({ failures: 0, loggedIn: true });
    expect((await adapter.sign(key, { type: 'data', data }, scheme)).length).toBe(64);
  });

  it('a status read while the PIN is checked again (between C_Logout and C_Login) does not break the login', async () => {
    const { adapter } = await open([gostToken(T, 'rutoken')]);
    await adapter.login(ref(T), PIN);
    // start getTokenInfo after 0..40 microtask turns, so that some reads land inside the re-login
    for (let turns = 0; turns < 40; turns++) {
      const login = adapter.login(ref(T), PIN);
      const read = (async () => {
        for (let i = 0; i < turns; i++) await Promise.resolve();
        return adapter.getTokenInfo(ref(T));
      })();
      const [l, r] = await Promise.allSettled([login, read]);
      expect(l.status, `login with a read after ${turns} turns`).toBe('fulfilled');
      expect(r.status).toBe('fulfilled');
    }
    expect((await adapter.getTokenInfo(ref(T))).loggedIn).toBe(true);
    expect((await adapter.sign(key, { type: 'data', data }, scheme)).length).toBe(64);
  });

  it('second adapter on the same module: a wrong PIN after the other logged in is refused, in both orders', async () => {
    const { fake, adapter: a } = await open([gostToken(T, 'tc26')]);
    const b = await openPkcs11('fake-pkcs11.so', { binding: inProcessBinding(fake) });
    opened.push(b);
    await a.login(ref(T), PIN);
    await expect(b.login(ref(T), wrong)).rejects.toBeInstanceOf(PinIncorrectError);
    expect(fake.pinStatus(T)).toMatchObject({ failures: 1, loggedIn: false });
    await expect(a.sign(key, { type: 'data', data }, scheme)).rejects.toBeInstanceOf(LoginRequiredError);
    await b.login(ref(T), PIN);
    await expect(a.login(ref(T), wrong)).rejects.toBeInstanceOf(PinIncorrectError);
    expect(fake.pinStatus(T)).toMatchObject({ failures: 1, loggedIn: false });
    await a.login(ref(T), PIN);
    expect((await b.getTokenInfo(ref(T))).loggedIn).toBe(true);
    expect((await b.sign(key, { type: 'data', data }, scheme)).length).toBe(64);
  });

  it('concurrent logins of one token (one adapter or two) are serialised: C_Logout is always followed by its C_Login', async () => {
    const { fake, adapter: a } = await open([gostToken(T, 'jacarta', { maxRetries: 10 })]);
    const b = await openPkcs11('fake-pkcs11.so', { binding: inProcessBinding(fake) });
    opened.push(b);
    const trace: string[] = [];
    fake.onCall = (m) => {
      if (m === 'C_Login' || m === 'C_Logout') trace.push(m);
    };
    await a.login(ref(T), PIN);
    const outcomes = await Promise.all(
      [a.login(ref(T), wrong), b.login(ref(T), PIN), a.login(ref(T), PIN), b.login(ref(T), wrong)].map((p) =>
        p.then(
          () => 'ok',
          (e: unknown) => (e instanceof PinIncorrectError ? 'wrong' : e),
        ),
      ),
    );
    expect(outcomes).toEqual(['wrong', 'ok', 'ok', 'wrong']);
    trace.forEach((m, i) => {
      if (m === 'C_Logout') expect(trace[i + 1]).toBe('C_Login');
    });
    expect(fake.pinStatus(T).loggedIn).toBe(false); // the last one in the queue was the wrong PIN
  });

  it('a login queued behind another one of the token rejects at once on abort; the queue goes on', async () => {
    const fake = new FakePkcs11({ tokens: [gostToken(T, 'tc26')] });
    const real = inProcessBinding(fake);
    let open = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const held = {
      ...real,
      C_Login: async (...args: Parameters<typeof real.C_Login>) => {
        await gate;
        return real.C_Login(...args);
      },
    };
    const a = await openPkcs11('fake-pkcs11.so', { binding: held });
    const b = await openPkcs11('fake-pkcs11.so', { binding: real });
    opened.push(a, b);
    const first = a.login(ref(T), PIN); // a PIN pad that waits for the user, say
    const controller = new AbortController();
    const queued = b.login(ref(T), PIN, { signal: controller.signal }).catch((e: unknown) => e);
    const reason = new DOMException('the user went away', 'AbortError');
    controller.abort(reason);
    expect(await queued).toBe(reason);
    expect(fake.callCount('C_Login')).toBe(0); // neither reached the token yet
    open();
    await first;
    await b.login(ref(T), PIN);
    expect(fake.pinStatus(T)).toMatchObject({ loggedIn: true, failures: 0 });
  });

  it('PIN pad: an existing login is kept without a prompt', async () => {
    const { fake, adapter } = await open([gostToken(T, 'rutoken', { protectedAuthPath: true })]);
    await adapter.login(ref(T), undefined);
    const logins = fake.callCount('C_Login');
    await adapter.login(ref(T), undefined);
    expect(fake.callCount('C_Login')).toBe(logins);
    expect(fake.pinStatus(T).loggedIn).toBe(true);
  });
});

describe('the key algorithm: the certificate decides, attributes only without one (review F-J)', () => {
  const T = 'ALG-01';
  const scheme: SignatureScheme = { name: 'GOST3410', hash: 'STREEBOG-256' };
  const input = { type: 'data', data } as const;

  it('a key whose certificate says GOST R 34.10-2001 is refused, though its attributes look like GOST 2012', async () => {
    const ca = await createTestCa({ keySpec: { type: 'gost2012-256' } });
    const leaf = await ca.issue({
      keySpec: { type: 'gost2012-256', paramSet: '1.2.643.2.2.35.1' },
      subject: { commonName: 'k' },
    });
    const pub = leaf.key.publicKey;
    const spki2001 = der.seq(
      der.seq(der.oid('1.2.643.2.2.19'), der.seq(der.oid('1.2.643.2.2.35.1'), der.oid('1.2.643.2.2.30.1'))),
      der.bits(der.octets(pub.raw)),
    );
    const key2001 = { ...leaf.key, publicKey: { ...pub, spki: spki2001 } };
    const cert2001 = (await ca.issue({ key: key2001 as never, subject: { commonName: 'GOST 2001' } })).certificate;
    const { fake, adapter } = await open([
      { serial: T, label: 'alg', flavour: 'rutoken', objects: [{ id: '20', key: leaf.key, certificate: cert2001 }] },
    ]);
    await adapter.login(ref(T), PIN);
    const [entry] = await adapter.listCertificates(ref(T));
    expect(entry?.keyAlgorithm).toMatchObject({ kind: 'other', oid: '1.2.643.2.2.19' });
    const e = await adapter.sign({ provider: 'pkcs11', tokenId: T, keyId: '20' }, input, scheme).catch((x) => x);
    expect(e).toBeInstanceOf(MechanismNotSupportedError);
    expect(fake.callCount('C_SignInit')).toBe(0);
  });

  it('a certificate that does not parse is not replaced by the key attributes: DecodeError, nothing signed', async () => {
    const damaged = pki.gost256.certificate.slice(0, 40);
    const { fake, adapter } = await open([
      {
        serial: T,
        label: 'alg',
        flavour: 'tc26',
        objects: [{ id: '24', key: pki.gost256.key, certificate: pki.gost256.certificate, certificateValue: damaged }],
      },
    ]);
    await adapter.login(ref(T), PIN);
    expect(await adapter.listCertificates(ref(T))).toEqual([]); // left out of the list...
    const e = await adapter.sign({ provider: 'pkcs11', tokenId: T, keyId: '24' }, input, scheme).catch((x) => x);
    expect(e).toBeInstanceOf(DecodeError); // ...and not signed with a guessed algorithm
    expect(fake.callCount('C_SignInit')).toBe(0);
  });

  it('a key without a certificate whose CKA_GOSTR3411_PARAMS is a GOST R 34.11-94 set is refused', async () => {
    const hash94 = [FAKE_CKA.GOSTR3411_PARAMS, der.oid('1.2.643.2.2.30.1')] as const;
    const { fake, adapter } = await open([
      {
        serial: T,
        label: 'alg',
        flavour: 'tc26',
        objects: [
          { id: '21', key: pki.gost256.key, keyAttributes: [hash94] },
          { id: '22', key: pki.gost256.key },
        ],
      },
    ]);
    await adapter.login(ref(T), PIN);
    const e = await adapter.sign({ provider: 'pkcs11', tokenId: T, keyId: '21' }, input, scheme).catch((x) => x);
    expect(e).toBeInstanceOf(MechanismNotSupportedError);
    expect(fake.callCount('C_SignInit')).toBe(0);
    // the same key with a Streebog CKA_GOSTR3411_PARAMS (no certificate either) signs
    const sig = await adapter.sign({ provider: 'pkcs11', tokenId: T, keyId: '22' }, input, scheme);
    expect(await verifies(pki.gost256, gost2012_256, sig)).toBe(true);
  });

  it('an ECDSA key without a certificate: the curve from CKA_EC_PARAMS (the shared named-curve table)', async () => {
    const { adapter } = await open([
      { serial: T, label: 'alg', flavour: 'tc26', objects: [{ id: '23', key: pki.ecdsa.key }] },
    ]);
    await adapter.login(ref(T), PIN);
    const sig = await adapter.sign({ provider: 'pkcs11', tokenId: T, keyId: '23' }, input, {
      name: 'ECDSA',
      hash: 'SHA-256',
    });
    expect(await verifies(pki.ecdsa, ecdsaSha256, ecdsaP1363ToDer(sig))).toBe(true);
  });
});

describe('attribute reads: only a missing or sensitive attribute is skipped', () => {
  const T = 'ATTR-01';
  const key = { provider: 'pkcs11', tokenId: T, keyId: 'a256' } as const;
  const scheme: SignatureScheme = { name: 'GOST3410', hash: 'STREEBOG-256' };

  it('CKR_DEVICE_ERROR while reading attributes is a ProviderError with its CK_RV, not a missing key', async () => {
    const { fake, adapter } = await open([gostToken(T, 'tc26')]);
    await adapter.login(ref(T), PIN);
    fake.failNext('C_GetAttributeValue', FAKE_CKR.CKR_DEVICE_ERROR as number);
    const e = await adapter.sign(key, { type: 'data', data }, scheme).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ProviderError);
    expect((e as ProviderError).ckr).toBe(0x30);
    fake.failNext('C_GetAttributeValue', FAKE_CKR.CKR_DEVICE_ERROR as number);
    await expect(adapter.listCertificates(ref(T))).rejects.toBeInstanceOf(ProviderError);
  });

  it('CKR_ATTRIBUTE_SENSITIVE or CKR_ATTRIBUTE_TYPE_INVALID leaves only that attribute out', async () => {
    const { fake, adapter } = await open([gostToken(T, 'tc26')]);
    await adapter.login(ref(T), PIN);
    for (const ckr of [0x11, 0x12]) {
      fake.failNext('C_GetAttributeValue', ckr); // the first read: a certificate's CKA_ID
      const entries = await adapter.listCertificates(ref(T));
      expect(entries.map((x) => x.key.keyId).sort()).toEqual(['', 'b512']);
    }
  });
});
