// The CryptoPro plug-in bridge against a protocol-faithful FAKE cadesplugin (tokens.md §5.1, §6.2): store listing, raw SignHash byte order, CAdES and XMLDSig built by the plug-in, load failures, PIN, cancel, abort; Node and Chromium.

import { gost2012_256, gost2012_512, rsaPkcs1Sha256, verifySignature } from '@eds/core/algorithms';
import { allAlgorithms } from '@eds/core/all-algorithms';
import { der } from '@eds/core/asn1';
import { signCms } from '@eds/core/cms';
import { gostr3411_2012_256, sha1 } from '@eds/core/digests';
import { hexDecode, hexEncode } from '@eds/core/encoding';
import { createTestCa, type IssuedCertificate, type TestCa } from '@eds/core/testing';
import { OID_TST_INFO } from '@eds/core/tsp';
import type { DigestAlgorithm } from '@eds/core/types';
import { parseCertificate } from '@eds/core/x509';
import {
  CRYPTOPRO_HRESULT,
  CRYPTOPRO_STORE,
  type CryptoProAdapter,
  createCryptoProAdapter,
  fromCryptoProError,
} from '@eds/pkcs11/cryptopro';
import {
  KeyNotFoundError,
  MechanismNotSupportedError,
  PinIncorrectError,
  PinLockedError,
  ProviderError,
  ProviderUnavailableError,
  TokenError,
  TokenNotPresentError,
  UserCancelledError,
} from '@eds/pkcs11/errors';
import { tokenSigner } from '@eds/pkcs11/token-signer';
import type { CertificateEntry, KeyRef } from '@eds/pkcs11/types';
import { createTrustStore } from '@eds/verify/trust';
import { verify } from '@eds/verify/verify';
import { verifyXml } from '@eds/verify/verify-xml';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFakeCadesPlugin, type FakeCadesPluginOptions, type FakeKeyEntry } from './support/fake-cadesplugin';

const PIN = '27182818';
const doc = new TextEncoder().encode('Акт сверки № 12 от 01.02.2026\n');
const EKU_TIMESTAMPING = { oid: '2.5.29.37', value: der.seq(der.oid('1.3.6.1.5.5.7.3.8')), critical: true };

let root: TestCa;
let gost256: IssuedCertificate;
let gost512: IssuedCertificate;
let rsa: IssuedCertificate;
let tsa: IssuedCertificate;
let crls: { crls: Uint8Array[] };
let entries: FakeKeyEntry[];

beforeAll(async () => {
  root = await createTestCa({
    keySpec: { type: 'gost2012-256' },
    profile: 'russian-qualified',
    subject: { commonName: 'Тестовый УЦ' },
  });
  gost256 = await root.issue({ subject: { commonName: 'Петров Пётр Петрович' } });
  gost512 = await root.issue({ keySpec: { type: 'gost2012-512' }, subject: { commonName: 'Сидорова Анна' } });
  rsa = await root.issue({
    keySpec: { type: 'rsa', bits: 2048 },
    profile: 'plain',
    subject: { commonName: 'RSA user' },
  });
  tsa = await root.issue({
    profile: 'plain',
    subject: { commonName: 'Test TSA' },
    keyUsage: ['digitalSignature'],
    extensions: [EKU_TIMESTAMPING],
  });
  crls = { crls: [await root.createCrl()] };
  entries = [
    { issued: gost256, pin: PIN, chain: [root.certificate], providerName: 'Crypto-Pro GOST R 34.10-2012 KC1 CSP' },
    { issued: gost512, chain: [root.certificate] },
    { issued: rsa, providerName: 'Microsoft Enhanced RSA and AES Cryptographic Provider' },
  ];
}, 60_000);

/** A real RFC 3161 token source: TSTInfo signed by the test TSA as CMS id-ct-TSTInfo. */
function timestampSource(): (digest: Uint8Array, hash: DigestAlgorithm) => Promise<Uint8Array> {
  let serial = 1n;
  return async (digest, hash) => {
    const time = new Date();
    const tst = der.seq(
      der.int(1),
      der.oid('1.2.643.100.99.1'),
      der.seq(der.seq(der.oid(hash.oid)), der.octets(digest)),
      der.int(serial++),
      der.generalizedTime(time),
    );
    return signCms({ content: tst, contentType: OID_TST_INFO, signers: [tsa.signer], signingTime: time });
  };
}

function setup(extra: Partial<FakeCadesPluginOptions> = {}) {
  const fake = createFakeCadesPlugin({ entries, otherCertificates: [root.certificate], ...extra });
  return { fake, adapter: createCryptoProAdapter({ plugin: fake.plugin, loadTimeoutMs: 5_000 }) };
}

const thumbprint = (cert: Uint8Array) => hexEncode(sha1.digest(cert));
const keyOf = (cert: Uint8Array): KeyRef => ({ provider: 'cryptopro', tokenId: 'store', keyId: thumbprint(cert) });
const trust = () => createTrustStore(root.certificate);
const GOST256 = { name: 'GOST3410', hash: 'STREEBOG-256' } as const;

async function entryFor(adapter: CryptoProAdapter, cert: Uint8Array): Promise<CertificateEntry> {
  const list = await adapter.listCertificates(CRYPTOPRO_STORE);
  const e = list.find((x) => x.key.keyId === thumbprint(cert));
  if (!e) throw new Error('entry not listed');
  return e;
}

/** A method call and a property read on a plug-in object (all answers are Promises). */
const call = (o: unknown, name: string, ...args: unknown[]) =>
  (o as Record<string, (...a: unknown[]) => Promise<unknown>>)[name]?.(...args);
const prop = (o: unknown, name: string) => (o as Record<string, Promise<unknown>>)[name];

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('cryptopro: the store', () => {
  it('one pseudo token; certificates with a private key, keyed by lower-case SHA-1 thumbprint', async () => {
    const { adapter, fake } = setup();
    const tokens = await adapter.listTokens();
    expect(tokens.map((t) => [t.provider, t.tokenId, t.present, t.pin.state])).toEqual([
      ['cryptopro', 'store', true, 'unknown'],
    ]);
    expect(await adapter.getTokenInfo(CRYPTOPRO_STORE)).toEqual(tokens[0]);
    // no session login in CryptoPro: accepted and not kept (the PIN goes with each signature)
    await expect(adapter.login(CRYPTOPRO_STORE, PIN)).resolves.toBeUndefined();
    await expect(adapter.logout(CRYPTOPRO_STORE)).resolves.toBeUndefined();
    expect(adapter.capabilities).toMatchObject({
      enumerateTokens: false,
      pinRetries: 'none',
      pinEntry: 'caller-or-provider-ui',
      rawSign: { data: true, digest: true },
      containerSign: { cms: true, cadesLevels: ['BES', 'T', 'XLT1'], xml: true, detached: true },
      tokenEvents: false,
    });
    const list = await adapter.listCertificates(CRYPTOPRO_STORE);
    expect(list.map((e) => e.key.keyId).sort()).toEqual(
      [gost256, gost512, rsa].map((c) => thumbprint(c.certificate)).sort(),
    );
    for (const e of list) {
      expect(e.key.keyId).toMatch(/^[0-9a-f]{40}$/);
      expect(e.hasPrivateKey).toBe(true);
      expect(hexEncode(sha1.digest(e.certificate))).toBe(e.key.keyId);
    }
    const g = list.find((e) => e.key.keyId === thumbprint(gost256.certificate));
    expect(g?.keyAlgorithm).toMatchObject({ kind: 'GOST2012', bits: 256 });
    expect(g?.storage).toBe('Crypto-Pro GOST R 34.10-2012 KC1 CSP');
    expect(g?.label).toBe(parseCertificate(gost256.certificate).subject.toString());
    expect(list.find((e) => e.keyAlgorithm.kind === 'RSA')?.storage).toMatch(/RSA/);
    expect(fake.log.filter((c) => c === 'Store.Open').length).toBe(fake.log.filter((c) => c === 'Store.Close').length);
    await expect(adapter.listCertificates({ provider: 'cryptopro', tokenId: 'other' })).rejects.toBeInstanceOf(
      TokenNotPresentError,
    );
  });
});

describe('cryptopro: raw signatures (RawSignature.SignHash)', () => {
  it('the plug-in returns CryptoAPI little-endian bytes: only their reverse verifies as GOST s‖r', async () => {
    const { fake } = setup();
    // straight through the plug-in's async object model, as a page script would
    const create = fake.plugin.CreateObjectAsync as (name: string) => Promise<unknown>;
    const store = await create('CAdESCOM.Store');
    await call(store, 'Open', 2, 'My', 2);
    const found = await call(
      await prop(store, 'Certificates'),
      'Find',
      0,
      thumbprint(gost256.certificate).toUpperCase(),
    );
    const cert = await call(found, 'Item', 1);
    await call(await prop(cert, 'PrivateKey'), 'propset_KeyPin', PIN);
    const hashed = await create('CAdESCOM.HashedData');
    await call(hashed, 'propset_Algorithm', 101);
    await call(hashed, 'SetHashValue', hexEncode(gostr3411_2012_256.digest(doc)));
    const hex = await call(await create('CAdESCOM.RawSignature'), 'SignHash', hashed, cert);
    const bytes = hexDecode(String(hex));
    expect(bytes.length).toBe(64);
    const input = { algorithm: gost2012_256.identifier(), publicKey: gost256.signer.publicKey, data: doc };
    expect(await verifySignature(allAlgorithms, { ...input, signature: bytes })).toBe(false);
    expect(await verifySignature(allAlgorithms, { ...input, signature: bytes.slice().reverse() })).toBe(true);
  });

  it('sign(digest) of Streebog-256 normalised to s‖r verifies with verifySignature; its reverse does not', async () => {
    const { adapter, fake } = setup();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (data) => {
        const digest = gostr3411_2012_256.digest(data);
        const signature = await adapter.sign(
          keyOf(gost256.certificate),
          { type: 'digest', digest, hash: 'STREEBOG-256' },
          GOST256,
          { pin: PIN },
        );
        expect(signature.length).toBe(64);
        const input = { algorithm: gost2012_256.identifier(), publicKey: gost256.signer.publicKey, data };
        expect(await verifySignature(allAlgorithms, { ...input, signature })).toBe(true);
        expect(await verifySignature(allAlgorithms, { ...input, signature: signature.slice().reverse() })).toBe(false);
      }),
      { numRuns: 5 },
    );
    // the protocol: algorithm before the hash value, the PIN on the certificate's key
    const at = (name: string) => fake.log.indexOf(name);
    expect(at('HashedData.propset_Algorithm')).toBeLessThan(at('HashedData.SetHashValue'));
    expect(at('PrivateKey.propset_KeyPin')).toBeLessThan(at('RawSignature.SignHash'));
  });

  it('sign(data) hashes in JS: GOST-512 and RSA PKCS#1 v1.5 verify', async () => {
    const { adapter } = setup();
    const s512 = await adapter.sign(
      keyOf(gost512.certificate),
      { type: 'data', data: doc },
      {
        name: 'GOST3410',
        hash: 'STREEBOG-512',
      },
    );
    expect(s512.length).toBe(128);
    expect(await gost2012_512.verify(gost512.signer.publicKey, doc, s512)).toBe(true);
    const sRsa = await adapter.sign(
      keyOf(rsa.certificate),
      { type: 'data', data: doc },
      {
        name: 'RSASSA-PKCS1-v1_5',
        hash: 'SHA-256',
      },
    );
    expect(await rsaPkcs1Sha256.verify(rsa.signer.publicKey, doc, sRsa)).toBe(true);
    expect(await rsaPkcs1Sha256.verify(rsa.signer.publicKey, doc, sRsa.slice().reverse())).toBe(false);
  });

  it('schemes the CSP does not sign, or that do not fit the key: MechanismNotSupportedError', async () => {
    const { adapter } = setup();
    const data = { type: 'data', data: doc } as const;
    await expect(adapter.sign(keyOf(rsa.certificate), data, { name: 'ECDSA', hash: 'SHA-256' })).rejects.toBeInstanceOf(
      MechanismNotSupportedError,
    );
    await expect(
      adapter.sign(keyOf(rsa.certificate), data, { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 }),
    ).rejects.toBeInstanceOf(MechanismNotSupportedError);
    await expect(
      adapter.sign(keyOf(gost256.certificate), data, { name: 'GOST3410', hash: 'STREEBOG-512' }, { pin: PIN }),
    ).rejects.toBeInstanceOf(MechanismNotSupportedError);
    await expect(adapter.sign(keyOf(rsa.certificate), data, GOST256)).rejects.toBeInstanceOf(
      MechanismNotSupportedError,
    );
  });

  it('a digest of another hash or length is the RangeError every adapter gives', async () => {
    const { adapter } = setup();
    const key = keyOf(gost256.certificate);
    const digest = gostr3411_2012_256.digest(doc);
    await expect(
      adapter.sign(key, { type: 'digest', digest, hash: 'STREEBOG-512' }, GOST256, { pin: PIN }),
    ).rejects.toThrow(new RangeError('GOST3410 with STREEBOG-256: a STREEBOG-512 digest was given'));
    await expect(
      adapter.sign(key, { type: 'digest', digest: digest.subarray(2), hash: 'STREEBOG-256' }, GOST256, { pin: PIN }),
    ).rejects.toThrow(new RangeError('GOST3410 with STREEBOG-256: expected a 32-byte digest, got 30 bytes'));
  });

  it('tokenSigner + signCms: CAdES-BES that @eds/verify passes', async () => {
    const { adapter } = setup();
    const signer = tokenSigner({ adapter, entry: await entryFor(adapter, gost512.certificate) });
    const p7s = await signCms({ content: doc, signers: [signer], detached: true });
    const report = await verify({ signature: p7s, content: doc, trust: trust(), revocationData: crls });
    expect(report.indication, JSON.stringify(report.signatures[0]?.checks)).toBe('TOTAL_PASSED');
    expect(report.signatures[0]?.signer?.commonName).toBe('Сидорова Анна');
  });
});

describe('cryptopro: containers built by the plug-in', () => {
  it('SignCades BES, detached and attached, with the PIN as KeyPin: TOTAL_PASSED', async () => {
    const { adapter, fake } = setup();
    const key = keyOf(gost256.certificate);
    const detached = await adapter.signCms(key, doc, { detached: true, pin: PIN });
    const r1 = await verify({ signature: detached, content: doc, trust: trust(), revocationData: crls });
    expect(r1.indication, JSON.stringify(r1.signatures[0]?.checks)).toBe('TOTAL_PASSED');
    expect(r1.signatures[0]?.format).toBe('CAdES-BES');
    const attached = await adapter.signCms(key, doc, { detached: false, level: 'BES', pin: PIN });
    const r2 = await verify({ signature: attached, trust: trust(), revocationData: crls });
    expect(r2.indication, JSON.stringify(r2.signatures[0]?.checks)).toBe('TOTAL_PASSED');
    const at = (name: string) => fake.log.indexOf(name);
    expect(at('CadesSignedData.propset_ContentEncoding')).toBeGreaterThanOrEqual(0);
    expect(at('CadesSignedData.propset_ContentEncoding')).toBeLessThan(at('CadesSignedData.propset_Content'));
    expect(at('CPSigner.propset_KeyPin')).toBeLessThan(at('CadesSignedData.SignCades'));
  });

  it('SignCades T and X Long Type 1 with the TSA address: time-stamped, and XLT1 verifies offline', async () => {
    const revocation = { certificates: [root.certificate], crls: crls.crls };
    const { adapter, fake } = setup({ tsa: timestampSource(), revocation });
    const key = keyOf(gost512.certificate);
    const t = await adapter.signCms(key, doc, { detached: true, level: 'T', tsaUrl: 'http://127.0.0.1:1/tsp' });
    const rt = await verify({ signature: t, content: doc, trust: trust(), revocationData: crls });
    expect(rt.signatures[0]?.format).toBe('CAdES-T');
    expect(rt.signatures[0]?.timestamps.map((x) => x.indication)).toEqual(['TOTAL_PASSED']);
    expect(rt.indication, JSON.stringify(rt.signatures[0]?.checks)).toBe('TOTAL_PASSED');
    expect(fake.log).toContain('CPSigner.propset_TSAAddress');
    const xl = await adapter.signCms(key, doc, { detached: true, level: 'XLT1', tsaUrl: 'http://127.0.0.1:1/tsp' });
    const rx = await verify({ signature: xl, content: doc, trust: trust() });
    expect(rx.signatures[0]?.format).toBe('CAdES-X-Long-Type-1');
    expect(rx.indication, JSON.stringify(rx.signatures[0]?.checks)).toBe('TOTAL_PASSED');
    await expect(adapter.signCms(key, doc, { detached: true, level: 'T' })).rejects.toThrow(TypeError);
  });

  it('SignedXML enveloped with the GOST 2012 URIs: verifyXml TOTAL_PASSED', async () => {
    const { adapter } = setup();
    const xml = '<Заявление xmlns="urn:example:app"><Сумма>100</Сумма></Заявление>';
    const signed = await adapter.signXml(keyOf(gost256.certificate), xml, { pin: PIN });
    expect(signed).toContain('urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr34102012-gostr34112012-256');
    const { report } = await verifyXml({ xml: signed, trust: trust(), revocationData: crls });
    expect(report.indication, JSON.stringify(report.signatures[0]?.checks)).toBe('TOTAL_PASSED');
    const forged = await verifyXml({ xml: signed.replace('>100<', '>900<'), trust: trust(), revocationData: crls });
    expect(forged.report.indication).toBe('TOTAL_FAILED');
    const rsaSigned = await adapter.signXml(keyOf(rsa.certificate), xml);
    expect((await verifyXml({ xml: rsaSigned, trust: trust(), revocation: 'off' })).report.indication).toBe(
      'TOTAL_PASSED',
    );
  });
});

describe('cryptopro: the container is checked', () => {
  it('a CMS the CSP built over other bytes is refused: messageDigest (detached), content (attached)', async () => {
    const { adapter } = setup({ signedContent: new TextEncoder().encode('a document the user never saw') });
    const key = keyOf(gost512.certificate);
    const detached = await rejection(adapter.signCms(key, doc, { detached: true }));
    expect(detached).toBeInstanceOf(ProviderError);
    expect((detached as Error).message).toMatch(/messageDigest does not match the data/);
    const attached = await rejection(adapter.signCms(key, doc, { detached: false }));
    expect(attached).toBeInstanceOf(ProviderError);
    expect((attached as Error).message).toMatch(/signed other content/);
  });
});

describe('cryptopro: the plug-in missing, broken or slow', () => {
  const reason = async (adapter: CryptoProAdapter) => {
    const e = await rejection(adapter.listTokens());
    expect(e).toBeInstanceOf(ProviderUnavailableError);
    expect((e as Error).message).toMatch(/install the CryptoPro EDS Browser plug-in/);
    return (e as ProviderUnavailableError).reason;
  };

  it('no cadesplugin: not-installed; a page global is used by default', async () => {
    expect(await reason(createCryptoProAdapter({ plugin: () => undefined }))).toBe('not-installed');
    const g = globalThis as { cadesplugin?: unknown };
    expect(g.cadesplugin).toBeUndefined();
    expect(await reason(createCryptoProAdapter())).toBe('not-installed');
    const { fake } = setup();
    g.cadesplugin = fake.plugin;
    try {
      expect(await createCryptoProAdapter().listTokens()).toHaveLength(1);
    } finally {
      delete g.cadesplugin;
    }
  });

  it('the cadesplugin promise rejecting: not-installed or load-failed; never settling: timeout', async () => {
    const make = (load: FakeCadesPluginOptions['load'], loadTimeoutMs = 5_000) =>
      createCryptoProAdapter({ plugin: createFakeCadesPlugin({ entries: [], load }).plugin, loadTimeoutMs });
    expect(await reason(make({ reject: 'Плагин недоступен' }))).toBe('not-installed');
    expect(await reason(make({ reject: 'Истекло время ожидания загрузки плагина' }))).toBe('not-installed');
    expect(await reason(make({ reject: 'Плагин загружен, но не создаются обьекты' }))).toBe('load-failed');
    expect(await reason(make({ reject: 'Ошибка при загрузке плагина' }))).toBe('load-failed');
    expect(await reason(make('never', 30))).toBe('timeout');
    const syncOnly = createFakeCadesPlugin({ entries: [], asyncApi: false }).plugin;
    expect(await reason(createCryptoProAdapter({ plugin: syncOnly }))).toBe('unsupported-runtime');
  });
});

describe('cryptopro: PIN, cancel, missing keys, abort', () => {
  const expectNoPin = (e: unknown) => {
    const cause = (e as { cause?: unknown }).cause;
    const text = [String(e), (e as Error).stack ?? '', JSON.stringify(e), String(cause), (cause as Error)?.stack ?? ''];
    for (const t of text) expect(t).not.toContain('99990000');
  };

  it('a wrong KeyPin: PinIncorrectError without the PIN (even when the host echoes it); blocked after 3', async () => {
    const { adapter } = setup({ echoPinInErrors: true });
    const key = keyOf(gost256.certificate);
    const e = await rejection(adapter.signCms(key, doc, { detached: true, pin: '99990000' }));
    expect(e).toBeInstanceOf(PinIncorrectError);
    expect((e as PinIncorrectError).retriesLeft).toBeUndefined();
    expect(String((e as Error).cause)).toContain('0x8010006B');
    expectNoPin(e);
    const raw = await rejection(adapter.sign(key, { type: 'data', data: doc }, GOST256, { pin: '99990000' }));
    expect(raw).toBeInstanceOf(PinIncorrectError);
    expectNoPin(raw);
    const locked = await rejection(adapter.signXml(key, '<a/>', { pin: '99990000' }));
    expect(locked).toBeInstanceOf(PinLockedError);
    expectNoPin(locked);
    await expect(adapter.signCms(key, doc, { detached: true, pin: PIN })).rejects.toBeInstanceOf(PinLockedError);
  });

  it('the CSP PIN dialog cancelled: UserCancelledError', async () => {
    const { adapter } = setup({ pinDialog: 'cancel' });
    const key = keyOf(gost256.certificate);
    await expect(adapter.signCms(key, doc, { detached: true })).rejects.toBeInstanceOf(UserCancelledError);
    await expect(adapter.sign(key, { type: 'data', data: doc }, GOST256)).rejects.toBeInstanceOf(UserCancelledError);
    // with the PIN given there is no dialog
    expect((await adapter.signCms(key, doc, { detached: true, pin: PIN })).length).toBeGreaterThan(100);
  });

  it('an unknown thumbprint or a bad reference: KeyNotFoundError; HRESULTs of the CSP map to typed errors', async () => {
    const { adapter, fake } = setup();
    const data = { type: 'data', data: doc } as const;
    const missing = { ...keyOf(gost512.certificate), keyId: '00'.repeat(20) };
    await expect(adapter.sign(missing, data, GOST256)).rejects.toBeInstanceOf(KeyNotFoundError);
    await expect(adapter.signCms(CRYPTOPRO_STORE, doc, { detached: true })).rejects.toBeInstanceOf(KeyNotFoundError);
    // upper-case keyId is found too
    const upper = { ...keyOf(gost512.certificate), keyId: thumbprint(gost512.certificate).toUpperCase() };
    expect((await adapter.sign(upper, data, { name: 'GOST3410', hash: 'STREEBOG-512' })).length).toBe(128);
    const cases: Array<[number, new (...a: never[]) => TokenError]> = [
      [CRYPTOPRO_HRESULT.BAD_KEYSET, KeyNotFoundError],
      [CRYPTOPRO_HRESULT.REMOVED_CARD, TokenNotPresentError],
      [CRYPTOPRO_HRESULT.NO_SMARTCARD, TokenNotPresentError],
      [CRYPTOPRO_HRESULT.CANCELLED_BY_USER, UserCancelledError],
      [CRYPTOPRO_HRESULT.INVALID_ARG, MechanismNotSupportedError],
      [0x80004005, ProviderError],
    ];
    for (const [hr, type] of cases) {
      fake.failNext(hr);
      const e = await rejection(adapter.signCms(keyOf(gost512.certificate), doc, { detached: true }));
      expect(e, hr.toString(16)).toBeInstanceOf(type);
    }
  });

  it('every plug-in failure maps to a TokenError', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.string(), (hr, text) => {
        const e = fromCryptoProError(new Error(`${text} (0x${hr.toString(16).padStart(8, '0')})`));
        expect(e).toBeInstanceOf(TokenError);
      }),
    );
    expect(fromCryptoProError('no code at all')).toBeInstanceOf(ProviderError);
    // the HRESULT is read before the PIN is cut out of the text, whatever the PIN's digits
    const short = fromCryptoProError(new Error('Указан неправильный PIN-код: 0 (0x8010006B)'), undefined, '0');
    expect(short).toBeInstanceOf(PinIncorrectError);
    expect(String(short.cause)).not.toContain('0');
  });

  it('abort: before the call, and while waiting for the plug-in to load', async () => {
    const { adapter } = setup();
    const stop = new AbortController();
    stop.abort();
    const e = await rejection(adapter.listCertificates(CRYPTOPRO_STORE, { signal: stop.signal }));
    expect((e as Error).name).toBe('AbortError');
    const during = new AbortController();
    const walking = adapter.listCertificates(CRYPTOPRO_STORE, { signal: during.signal });
    during.abort();
    expect(((await rejection(walking)) as Error).name).toBe('AbortError');
    const slow = createCryptoProAdapter({ plugin: createFakeCadesPlugin({ entries, load: 'never' }).plugin });
    const later = new AbortController();
    const pending = slow.sign(keyOf(gost512.certificate), { type: 'data', data: doc }, GOST256, {
      signal: later.signal,
    });
    later.abort(new DOMException('user left', 'AbortError'));
    const a = await rejection(pending);
    expect((a as Error).name).toBe('AbortError');
    expect((a as Error).message).toBe('user left');
  });

  it('abort while a plug-in call is in flight (CreateObjectAsync, SignCades) rejects at once with the reason (F-E)', async () => {
    for (const hang of ['CreateObjectAsync:CAdESCOM.Store', 'CadesSignedData.SignCades']) {
      const { adapter, fake } = setup({ hang: [hang] });
      const controller = new AbortController();
      const pending = adapter.signCms(keyOf(gost512.certificate), doc, { detached: true, signal: controller.signal });
      await expect.poll(() => fake.log.at(-1)).toBe(hang); // the plug-in call is in flight
      const reason = new Error(`stop at ${hang}`);
      controller.abort(reason);
      await expect(pending).rejects.toBe(reason);
    }
  });

  it('the exported DER is what the store holds (CAPICOM base64 with line breaks decodes)', async () => {
    const { adapter } = setup();
    const e = await entryFor(adapter, rsa.certificate);
    expect(e.certificate).toEqual(rsa.certificate);
  });
});
