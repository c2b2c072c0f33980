// The Rutoken Plugin adapter (tokens.md §5.2, errors §6.2) against a FAKE plug-in backed by @eds/core GOST keys;
// every signature is checked independently (certificate public key, @eds/verify verify()). Node and Chromium.
import { gost2012_256, gost2012_512, verifySignature } from '@eds/core/algorithms';
import { allAlgorithms } from '@eds/core/all-algorithms';
import { signCms } from '@eds/core/cms';
import { gostr3411_2012_256, gostr3411_2012_512 } from '@eds/core/digests';
import { parsePublicKey } from '@eds/core/keys';
import { createTestCa, type IssuedCertificate, type TestCa } from '@eds/core/testing';
import { parseCertificate } from '@eds/core/x509';
import {
  KeyNotFoundError,
  LoginRequiredError,
  MechanismNotSupportedError,
  PinIncorrectError,
  PinLockedError,
  ProviderError,
  ProviderUnavailableError,
  TokenNotPresentError,
  UserCancelledError,
} from '@eds/pkcs11/errors';
import {
  createRutokenAdapter,
  RUTOKEN_NOT_INSTALLED_MESSAGE,
  type RutokenAdapter,
  type RutokenPlugin,
} from '@eds/pkcs11/rutoken';
import { tokenSigner } from '@eds/pkcs11/token-signer';
import type { CertificateEntry, TokenEvent, TokenRef } from '@eds/pkcs11/types';
import { createTrustStore } from '@eds/verify/trust';
import { verify } from '@eds/verify/verify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFakeRutokenPlugin, type FakeRutoken, fakeLoadPlugin } from './support/fake-rutoken-plugin';

const PIN = '84736251';
const WRONG = '11112222';
const SERIAL_A = '0a1b2c3d';
const SERIAL_B = '3f00aa17';
const doc = new TextEncoder().encode('Договор поставки № 17 от 2 декабря\n');
const tokenA: TokenRef = { provider: 'rutoken-plugin', tokenId: SERIAL_A };

let ca: TestCa;
let leaf256: IssuedCertificate;
let leaf512: IssuedCertificate;
let orphan: IssuedCertificate;

beforeAll(async () => {
  ca = await createTestCa({ keySpec: { type: 'gost2012-256' } });
  leaf256 = await ca.issue({ keySpec: { type: 'gost2012-256' }, subject: { commonName: 'Рутокен 256' } });
  leaf512 = await ca.issue({ keySpec: { type: 'gost2012-512' }, subject: { commonName: 'Рутокен 512' } });
  orphan = await ca.issue({ keySpec: { type: 'gost2012-256' }, subject: { commonName: 'Без ключа' } });
}, 120_000);

function setup(options: { maxRetries?: number; single?: boolean } = {}): {
  fake: FakeRutoken;
  adapter: RutokenAdapter;
} {
  const fake = createFakeRutokenPlugin([
    {
      serial: SERIAL_A,
      pin: PIN,
      label: 'Иванов',
      maxRetries: options.maxRetries ?? 10,
      keys: options.single ? [leaf256] : [leaf256, leaf512],
      orphanCertificates: options.single ? [] : [orphan.certificate],
    },
    { serial: SERIAL_B, pin: '87654321', maxRetries: 5, keys: [leaf512] },
  ]);
  return { fake, adapter: createRutokenAdapter({ plugin: fake.plugin }) };
}

const GOST256 = { name: 'GOST3410', hash: 'STREEBOG-256' } as const;
/** DER of the OID 1.2.643.7.1.1.1.1 (GOST R 34.10-2012 256-bit public key). */
const GOST_2012_256_KEY_OID = [0x06, 0x08, 0x2a, 0x85, 0x03, 0x07, 0x01, 0x01, 0x01, 0x01];

/** The certificate with the last byte of the first `oid` TLV changed (the signature then fails; listing only parses). */
function withSpkiOidLastByte(der: Uint8Array, oid: readonly number[], last: number): Uint8Array {
  const out = der.slice();
  for (let i = 0; i + oid.length <= out.length; i++) {
    if (oid.every((b, j) => out[i + j] === b)) {
      out[i + oid.length - 1] = last;
      return out;
    }
  }
  throw new Error('OID not in the certificate');
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

/** Everything an error says, its causes included. */
function everything(e: unknown): string {
  const parts: string[] = [];
  for (let x: unknown = e, depth = 0; x !== undefined && x !== null && depth < 8; depth++) {
    parts.push(String(x), JSON.stringify(x), (x as Error).stack ?? '');
    x = (x as { cause?: unknown }).cause;
  }
  return parts.join('\n');
}

function publicKeyOf(certificate: Uint8Array) {
  return parsePublicKey(parseCertificate(certificate).spki);
}

async function loggedIn(options?: Parameters<typeof setup>[0]) {
  const s = setup(options);
  await s.adapter.login(tokenA, PIN);
  const entries = await s.adapter.listCertificates(tokenA);
  const e256 = entries.find(
    (e) => e.keyAlgorithm.kind === 'GOST2012' && e.keyAlgorithm.bits === 256 && e.hasPrivateKey,
  );
  const e512 = entries.find((e) => e.keyAlgorithm.kind === 'GOST2012' && e.keyAlgorithm.bits === 512);
  return { ...s, entries, e256, e512 };
}

describe('rutoken: devices and PIN', () => {
  it('lists the devices by serial with the exact retry counters, whatever their device numbers', async () => {
    const { fake, adapter } = setup();
    expect(adapter.provider).toBe('rutoken-plugin');
    expect(adapter.capabilities).toMatchObject({ enumerateTokens: true, pinRetries: 'exact', pinEntry: 'caller' });
    const tokens = await adapter.listTokens();
    expect(tokens.map((t) => [t.tokenId, t.label, t.pin.state, t.pin.retriesLeft, t.loggedIn, t.present])).toEqual([
      [SERIAL_A, 'Иванов', 'ok', 10, false, true],
      [SERIAL_B, `Rutoken ${SERIAL_B}`, 'ok', 5, false, true],
    ]);
    fake.renumber();
    expect((await adapter.getTokenInfo({ provider: 'rutoken-plugin', tokenId: SERIAL_B })).serial).toBe(SERIAL_B);
    expect(JSON.parse(JSON.stringify(tokens[0]))).toEqual(tokens[0]); // serialisable
  });

  it('reads TOKEN_INFO_PIN_RETRIES_LEFT where TOKEN_INFO_PINS_INFO is missing', async () => {
    const { fake } = setup({ maxRetries: 7 });
    const plugin: RutokenPlugin = { ...fake.plugin, TOKEN_INFO_PINS_INFO: undefined };
    const [a] = await createRutokenAdapter({ plugin }).listTokens();
    expect(a?.pin).toEqual({ state: 'ok', retriesLeft: 7 });
  });

  it('wrong PIN: PinIncorrectError with the exact count, a refusal before the final try, then PinLockedError; the PIN is in no error', async () => {
    const { fake, adapter } = setup({ maxRetries: 3 });
    const errors: unknown[] = [];
    const attempt = async (pin: string, allowFinalTry = false) => {
      const e = await rejection(adapter.login(tokenA, pin, { allowFinalTry }));
      errors.push(e);
      return e;
    };
    const first = await attempt(WRONG);
    expect(first).toBeInstanceOf(PinIncorrectError);
    expect((first as PinIncorrectError).retriesLeft).toBe(2);
    const second = await attempt(`${WRONG}9`);
    expect((second as PinIncorrectError).retriesLeft).toBe(1);
    expect((await adapter.getTokenInfo(tokenA)).pin).toEqual({ state: 'finalTry', retriesLeft: 1 });

    const logins = fake.calls.filter((c) => c === 'login').length;
    const refused = await attempt(WRONG);
    expect(refused).toBeInstanceOf(PinIncorrectError);
    expect((refused as PinIncorrectError).retriesLeft).toBe(1);
    expect(fake.calls.filter((c) => c === 'login').length).toBe(logins); // not tried
    expect(fake.state(SERIAL_A).retriesLeft).toBe(1);

    expect(await attempt(WRONG, true)).toBeInstanceOf(PinLockedError);
    expect(await attempt(PIN, true)).toBeInstanceOf(PinLockedError);
    expect((await adapter.getTokenInfo(tokenA)).pin).toEqual({ state: 'locked', retriesLeft: 0 });
    for (const e of errors) {
      const text = everything(e);
      expect(text).not.toContain(PIN);
      expect(text).not.toContain(WRONG);
    }
  });

  it('logs in and out; a second login or logout is not an error; the counter is back to its maximum', async () => {
    const { adapter } = setup({ maxRetries: 4 });
    await expect(adapter.login(tokenA, WRONG)).rejects.toMatchObject({ retriesLeft: 3 });
    await adapter.login(tokenA, PIN);
    expect(await adapter.getTokenInfo(tokenA)).toMatchObject({ loggedIn: true, pin: { state: 'ok', retriesLeft: 4 } });
    await adapter.login(tokenA, PIN);
    await adapter.logout(tokenA);
    await adapter.logout(tokenA);
    expect((await adapter.getTokenInfo(tokenA)).loggedIn).toBe(false);
    await expect(adapter.login(tokenA, undefined)).rejects.toBeInstanceOf(LoginRequiredError);
  });

  it('lists the user certificates with the plug-in key ids; a certificate without a key says so', async () => {
    const { fake, entries } = await loggedIn();
    const ids = fake.ids(SERIAL_A);
    expect(entries).toHaveLength(3);
    const view = entries.map((e) => [e.key.keyId, e.hasPrivateKey, e.keyAlgorithm.kind, e.storage]);
    expect(view).toEqual([
      [ids[0]?.keyId, true, 'GOST2012', 'rutoken'],
      [ids[1]?.keyId, true, 'GOST2012', 'rutoken'],
      [ids[2]?.certId, false, 'GOST2012', 'rutoken'],
    ]);
    expect(entries.map((e) => e.certificate)).toEqual([leaf256.certificate, leaf512.certificate, orphan.certificate]);
    expect(entries.every((e) => e.key.provider === 'rutoken-plugin' && e.key.tokenId === SERIAL_A)).toBe(true);
  });
});

describe('rutoken: keys it does not sign with', () => {
  it("a certificate whose key algorithm the SDK does not sign with is listed as kind 'other', like PKCS#11", async () => {
    const odd = withSpkiOidLastByte(orphan.certificate, GOST_2012_256_KEY_OID, 0x09);
    const fake = createFakeRutokenPlugin([{ serial: SERIAL_A, pin: PIN, keys: [leaf256], orphanCertificates: [odd] }]);
    const adapter = createRutokenAdapter({ plugin: fake.plugin });
    await adapter.login(tokenA, PIN);
    const entries = await adapter.listCertificates(tokenA);
    expect(entries.map((e) => e.keyAlgorithm)).toEqual([
      { kind: 'GOST2012', bits: 256, paramSet: expect.any(String) },
      { kind: 'other', oid: '1.2.643.7.1.1.1.9', parameter: expect.any(String) },
    ]);
    expect(entries[1]?.certificate).toEqual(odd);
  });

  it("signing refuses a key whose certificate is of kind 'other' or of another size, before the plug-in signs", async () => {
    const odd = withSpkiOidLastByte(leaf256.certificate, GOST_2012_256_KEY_OID, 0x09);
    const fake = createFakeRutokenPlugin([
      { serial: SERIAL_A, pin: PIN, keys: [{ certificate: odd, key: leaf256.key }, leaf512] },
    ]);
    const adapter = createRutokenAdapter({ plugin: fake.plugin });
    await adapter.login(tokenA, PIN);
    const [other, e512] = await adapter.listCertificates(tokenA);
    if (!other || !e512) throw new Error('entries missing');
    const data = { type: 'data', data: doc } as const;
    const e = await rejection(adapter.sign(other.key, data, GOST256));
    expect(e).toBeInstanceOf(MechanismNotSupportedError);
    expect((e as Error).message).toMatch(/1\.2\.643\.7\.1\.1\.1\.9/);
    await expect(adapter.sign(e512.key, data, GOST256)).rejects.toBeInstanceOf(MechanismNotSupportedError);
    expect(fake.calls).not.toContain('rawSign');
    const signature = await adapter.sign(e512.key, data, { name: 'GOST3410', hash: 'STREEBOG-512' });
    expect(await gost2012_512.verify(publicKeyOf(leaf512.certificate), doc, signature)).toBe(true);
  });
});

describe('rutoken: raw signatures', () => {
  it('signs a Streebog digest and data (hashed here or by the plug-in); each verifies with the certificate key', async () => {
    const { fake, adapter, e256, e512 } = await loggedIn();
    if (!e256 || !e512) throw new Error('entries missing');
    const onDevice = createRutokenAdapter({ plugin: fake.plugin, hashOnDevice: true });
    const cases = [
      [e256, gost2012_256, 'STREEBOG-256', gostr3411_2012_256.digest(doc)],
      [e512, gost2012_512, 'STREEBOG-512', gostr3411_2012_512.digest(doc)],
    ] as const;
    for (const [entry, algorithm, hash, digest] of cases) {
      const scheme = { name: 'GOST3410', hash } as const;
      const sigs = [
        await adapter.sign(entry.key, { type: 'digest', digest, hash }, scheme),
        await adapter.sign(entry.key, { type: 'data', data: doc }, scheme),
        await onDevice.sign(entry.key, { type: 'data', data: doc }, scheme),
      ];
      const publicKey = publicKeyOf(entry.certificate);
      for (const signature of sigs) {
        expect(signature).toHaveLength(hash === 'STREEBOG-256' ? 64 : 128);
        const input = { algorithm: algorithm.identifier(), publicKey, signature };
        expect(await verifySignature(allAlgorithms, { ...input, data: doc })).toBe(true);
        expect(await verifySignature(allAlgorithms, { ...input, data: doc.subarray(1) })).toBe(false);
      }
    }
  });

  it('refuses other schemes and wrong digests; asks for a login; an unknown key is KeyNotFoundError', async () => {
    const { adapter, e256 } = await loggedIn();
    if (!e256) throw new Error('entry missing');
    const digest = gostr3411_2012_256.digest(doc);
    await expect(
      adapter.sign(e256.key, { type: 'digest', digest, hash: 'SHA-256' }, { name: 'ECDSA', hash: 'SHA-256' }),
    ).rejects.toBeInstanceOf(MechanismNotSupportedError);
    await expect(
      adapter.sign(
        e256.key,
        { type: 'digest', digest: digest.subarray(1), hash: 'STREEBOG-256' },
        { name: 'GOST3410', hash: 'STREEBOG-256' },
      ),
    ).rejects.toThrow(new RangeError('GOST3410 with STREEBOG-256: expected a 32-byte digest, got 31 bytes'));
    await expect(
      adapter.sign(
        e256.key,
        { type: 'digest', digest: new Uint8Array(64), hash: 'STREEBOG-512' },
        { name: 'GOST3410', hash: 'STREEBOG-256' },
      ),
    ).rejects.toThrow(new RangeError('GOST3410 with STREEBOG-256: a STREEBOG-512 digest was given'));
    const scheme = { name: 'GOST3410', hash: 'STREEBOG-256' } as const;
    await expect(
      adapter.sign({ ...e256.key, keyId: 'de:ad' }, { type: 'data', data: doc }, scheme),
    ).rejects.toBeInstanceOf(KeyNotFoundError);
    await adapter.logout(tokenA);
    await expect(adapter.sign(e256.key, { type: 'data', data: doc }, scheme)).rejects.toBeInstanceOf(
      LoginRequiredError,
    );
  });
});

describe('rutoken: CMS', () => {
  const trust = () => createTrustStore(ca.certificate);

  it('tokenSigner + @eds/core signCms: detached (256) and attached (512) verify TOTAL_PASSED', async () => {
    const { adapter, e256, e512 } = await loggedIn();
    for (const [entry, detached] of [
      [e256, true],
      [e512, false],
    ] as const) {
      const signer = tokenSigner({ adapter, entry: entry as CertificateEntry });
      const cms = await signCms({ content: doc, signers: [signer], detached });
      const r = await verify({
        signature: cms,
        content: detached ? doc : undefined,
        trust: trust(),
        revocation: 'off',
      });
      expect([r.indication, r.signatures[0]?.signatureAlgorithm], JSON.stringify(r.signatures)).toEqual([
        'TOTAL_PASSED',
        entry?.keyAlgorithm.kind === 'GOST2012' && entry.keyAlgorithm.bits === 512 ? 'gost2012-512' : 'gost2012-256',
      ]);
      if (detached) {
        const tampered = await verify({ signature: cms, content: doc.subarray(1), trust: trust(), revocation: 'off' });
        expect(tampered.indication).not.toBe('TOTAL_PASSED');
      }
    }
  });

  it("the plug-in's own CMS, attached and detached, verifies TOTAL_PASSED", async () => {
    const { adapter, e512 } = await loggedIn();
    if (!e512) throw new Error('entry missing');
    for (const detached of [true, false]) {
      const cms = await adapter.signCms(e512.key, doc, { detached });
      const r = await verify({
        signature: cms,
        content: detached ? doc : undefined,
        trust: trust(),
        revocation: 'off',
      });
      expect(r.indication, JSON.stringify(r.signatures)).toBe('TOTAL_PASSED');
      expect(r.signatures[0]?.signatureAlgorithm).toBe('gost2012-512');
    }
    await expect(adapter.signCms(e512.key, doc, { detached: true, level: 'T' })).rejects.toBeInstanceOf(
      MechanismNotSupportedError,
    );
    await expect(adapter.signCms(tokenA, doc, { detached: true })).rejects.toBeInstanceOf(KeyNotFoundError); // two keys
  });

  it('a CMS the plug-in built over other bytes is refused: messageDigest (detached), content (attached)', async () => {
    const { fake, adapter, e512 } = await loggedIn();
    if (!e512) throw new Error('entry missing');
    fake.signOtherContent(new TextEncoder().encode('a document the user never saw'));
    const detached = await rejection(adapter.signCms(e512.key, doc, { detached: true }));
    expect(detached).toBeInstanceOf(ProviderError);
    expect((detached as Error).message).toMatch(/messageDigest does not match the data/);
    const attached = await rejection(adapter.signCms(e512.key, doc, { detached: false }));
    expect(attached).toBeInstanceOf(ProviderError);
    expect((attached as Error).message).toMatch(/signed other content/);
    fake.signOtherContent(undefined);
    expect((await adapter.signCms(e512.key, doc, { detached: true })).length).toBeGreaterThan(0);
  });

  it('a TokenRef signs with the only key on the token', async () => {
    const { adapter } = await loggedIn({ single: true });
    const cms = await adapter.signCms(tokenA, doc, { detached: true });
    const r = await verify({ signature: cms, content: doc, trust: trust(), revocation: 'off' });
    expect(r.indication).toBe('TOTAL_PASSED');
  });
});

describe('rutoken: failures', () => {
  it('not installed: ProviderUnavailableError(not-installed) with a message for the UI; retried after installation', async () => {
    const none = await rejection(createRutokenAdapter().listTokens());
    expect(none).toBeInstanceOf(ProviderUnavailableError);
    expect(none).toMatchObject({ reason: 'not-installed', message: RUTOKEN_NOT_INSTALLED_MESSAGE });
    const missing = await rejection(createRutokenAdapter({ loadPlugin: fakeLoadPlugin(undefined) }).listTokens());
    expect(missing).toMatchObject({ reason: 'not-installed', code: 'ERR_TOKEN_PROVIDER_UNAVAILABLE' });

    const { fake } = setup();
    let installed = false;
    const adapter = createRutokenAdapter({ loadPlugin: () => fakeLoadPlugin(installed ? fake.plugin : undefined)() });
    await expect(adapter.listTokens()).rejects.toMatchObject({ reason: 'not-installed' });
    installed = true;
    expect(await adapter.listTokens()).toHaveLength(2);

    const hung = createRutokenAdapter({ loadPlugin: () => new Promise<never>(() => {}), loadTimeoutMs: 20 });
    await expect(hung.listTokens()).rejects.toMatchObject({ reason: 'timeout' });
    const broken = createRutokenAdapter({ plugin: { errorCodes: {} } as unknown as RutokenPlugin });
    await expect(broken.listTokens()).rejects.toMatchObject({ reason: 'load-failed' });
  });

  it('cancel (PKCS11_CANCEL) is UserCancelledError; the PIN counter is untouched and the PIN is in no error', async () => {
    const { fake, adapter, e256 } = await loggedIn();
    if (!e256) throw new Error('entry missing');
    fake.failNext('PKCS11_CANCEL', 'rawSign');
    const e = await rejection(
      adapter.sign(e256.key, { type: 'data', data: doc }, { name: 'GOST3410', hash: 'STREEBOG-256' }),
    );
    expect(e).toBeInstanceOf(UserCancelledError);
    await adapter.logout(tokenA);
    fake.failNext('PKCS11_CANCEL', 'login');
    const onLogin = await rejection(adapter.login(tokenA, PIN));
    expect(onLogin).toBeInstanceOf(UserCancelledError);
    expect(fake.state(SERIAL_A).retriesLeft).toBe(10);
    expect(everything(onLogin)).not.toContain(PIN);
    fake.failNext('PKCS11_CANCEL', 'sign');
    await adapter.login(tokenA, PIN);
    await expect(adapter.signCms(e256.key, doc, { detached: true })).rejects.toBeInstanceOf(UserCancelledError);
  });

  it('a removed token is TokenNotPresentError, before or during the call; other tokens still list', async () => {
    const { fake, adapter, e256 } = await loggedIn();
    if (!e256) throw new Error('entry missing');
    const scheme = { name: 'GOST3410', hash: 'STREEBOG-256' } as const;
    fake.failNext('TOKEN_NOT_PRESENT', 'rawSign');
    await expect(adapter.sign(e256.key, { type: 'data', data: doc }, scheme)).rejects.toBeInstanceOf(
      TokenNotPresentError,
    );
    fake.failNext('DEVICE_NOT_FOUND', 'sign');
    await expect(adapter.signCms(e256.key, doc, { detached: true })).rejects.toBeInstanceOf(TokenNotPresentError);
    fake.remove(SERIAL_A);
    await expect(adapter.sign(e256.key, { type: 'data', data: doc }, scheme)).rejects.toBeInstanceOf(
      TokenNotPresentError,
    );
    await expect(adapter.login(tokenA, PIN)).rejects.toBeInstanceOf(TokenNotPresentError);
    expect((await adapter.listTokens()).map((t) => t.tokenId)).toEqual([SERIAL_B]);
    fake.insert(SERIAL_A);
    fake.renumber();
    expect((await adapter.listTokens()).map((t) => t.tokenId)).toEqual([SERIAL_A, SERIAL_B]);
  });

  it('an unmapped plug-in code is a ProviderError naming the code; a mechanism code is MechanismNotSupportedError', async () => {
    const { fake, adapter, e256 } = await loggedIn();
    if (!e256) throw new Error('entry missing');
    const scheme = { name: 'GOST3410', hash: 'STREEBOG-256' } as const;
    fake.failNext('FUNCTION_FAILED', 'rawSign');
    const e = await rejection(adapter.sign(e256.key, { type: 'data', data: doc }, scheme));
    expect(e).toBeInstanceOf(ProviderError);
    expect((e as Error).message).toContain(`${fake.plugin.errorCodes.FUNCTION_FAILED} (FUNCTION_FAILED)`);
    fake.failNext('WRONG_KEY_TYPE', 'rawSign');
    await expect(adapter.sign(e256.key, { type: 'data', data: doc }, scheme)).rejects.toBeInstanceOf(
      MechanismNotSupportedError,
    );
  });

  it('abort: an aborted signal stops before the plug-in is called, and a signal aborted meanwhile wins over the result', async () => {
    const { fake, adapter, e256 } = await loggedIn();
    if (!e256) throw new Error('entry missing');
    const scheme = { name: 'GOST3410', hash: 'STREEBOG-256' } as const;
    const before = fake.calls.length;
    const reason = new Error('stop');
    await expect(adapter.listTokens({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(fake.calls.length).toBe(before);

    const controller = new AbortController();
    const plugin: RutokenPlugin = {
      ...fake.plugin,
      rawSign: async (...args) => {
        const out = await fake.plugin.rawSign(...args);
        controller.abort();
        return out;
      },
    };
    const e = await rejection(
      createRutokenAdapter({ plugin }).sign(e256.key, { type: 'data', data: doc }, scheme, {
        signal: controller.signal,
      }),
    );
    expect((e as DOMException).name).toBe('AbortError');
  });

  it('abort while a plug-in call is in flight (login, rawSign, signCms, loading) rejects at once with the reason (F-E)', async () => {
    const { fake, adapter, e256 } = await loggedIn();
    if (!e256) throw new Error('entry missing');
    const cases: [string, (signal: AbortSignal) => Promise<unknown>][] = [
      ['login', (signal) => adapter.login(tokenA, PIN, { signal })],
      ['rawSign', (signal) => adapter.sign(e256.key, { type: 'data', data: doc }, GOST256, { signal })],
      ['sign', (signal) => adapter.signCms(e256.key, doc, { detached: true, signal })],
      ['enumerateDevices', (signal) => adapter.listTokens({ signal })],
    ];
    for (const [method, run] of cases) {
      fake.hangNext(method);
      const controller = new AbortController();
      const p = run(controller.signal);
      await expect.poll(() => fake.calls.at(-1)).toBe(method); // the plug-in call is in flight
      const reason = new Error(`stop ${method}`);
      controller.abort(reason);
      await expect(p).rejects.toBe(reason);
    }
    const hanging = createRutokenAdapter({ loadPlugin: () => new Promise<RutokenPlugin>(() => {}) });
    const controller = new AbortController();
    const p = hanging.listTokens({ signal: controller.signal });
    controller.abort();
    expect(((await rejection(p)) as DOMException).name).toBe('AbortError');
  });

  it('a listener that throws neither starves the others nor makes the event repeat (F-D)', async () => {
    const { fake } = setup();
    const adapter = createRutokenAdapter({ plugin: fake.plugin, pollIntervalMs: 5 });
    let thrown = 0;
    const events: TokenEvent[] = [];
    adapter.onTokenEvent?.(() => {
      thrown++;
      throw new Error('listener bug');
    });
    adapter.onTokenEvent?.((e) => events.push(e));
    await expect.poll(() => fake.calls.filter((c) => c === 'enumerateDevices').length).toBeGreaterThan(1);
    fake.remove(SERIAL_B);
    await expect.poll(() => events.length).toBe(1);
    const polls = fake.calls.filter((c) => c === 'enumerateDevices').length;
    await expect.poll(() => fake.calls.filter((c) => c === 'enumerateDevices').length).toBeGreaterThan(polls + 3);
    expect(thrown).toBe(1);
    expect(events).toEqual([{ type: 'removed', token: { provider: 'rutoken-plugin', tokenId: SERIAL_B } }]);
    await adapter.close();
    const after = fake.calls.length;
    expect(adapter.onTokenEvent?.(() => {})).toBeTypeOf('function');
    await new Promise((r) => setTimeout(r, 30));
    expect(fake.calls.length).toBe(after); // closed: no polling again
  });

  it('reports insertion and removal by polling enumerateDevices', async () => {
    const { fake } = setup();
    const adapter = createRutokenAdapter({ plugin: fake.plugin, pollIntervalMs: 5 });
    const events: TokenEvent[] = [];
    const stop = adapter.onTokenEvent?.((e) => events.push(e));
    await expect.poll(() => fake.calls.filter((c) => c === 'enumerateDevices').length).toBeGreaterThan(1);
    fake.remove(SERIAL_B);
    await expect.poll(() => events.length).toBe(1);
    fake.insert(SERIAL_B);
    await expect.poll(() => events.length).toBe(2);
    expect(events).toEqual([
      { type: 'removed', token: { provider: 'rutoken-plugin', tokenId: SERIAL_B } },
      { type: 'inserted', token: { provider: 'rutoken-plugin', tokenId: SERIAL_B } },
    ]);
    stop?.();
    await adapter.close();
    await adapter.close();
  });
});
