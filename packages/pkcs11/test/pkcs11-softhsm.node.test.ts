// The PKCS#11 adapter against a real token: SoftHSM2 per run (tokens.md §4.3), pkcs11js in a
// worker; signatures checked with openssl and @eds/core verifySignature, CAdES with @eds/verify
// and `openssl cms -verify`.
import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ecdsaP1363ToDer, ecdsaSha256, rsaPkcs1Sha256, rsaPssSha256, verifySignature } from '@eds/core/algorithms';
import { signCms } from '@eds/core/cms';
import { sha256 } from '@eds/core/digests';
import { encodePem } from '@eds/core/encoding';
import { parsePublicKey } from '@eds/core/keys';
import { createTestCa, type IssuedCertificate, type TestCa } from '@eds/core/testing';
import type { PublicKey, SignatureAlgorithm } from '@eds/core/types';
import { parseCertificate } from '@eds/core/x509';
import { pkcs11Workers, workerBinding } from '@eds/pkcs11/_pkcs11-worker';
import {
  KeyNotFoundError,
  LoginRequiredError,
  PinIncorrectError,
  ProviderUnavailableError,
  TokenNotPresentError,
} from '@eds/pkcs11/errors';
import { CKF } from '@eds/pkcs11/mechanisms';
import { openPkcs11, type Pkcs11Adapter, type Pkcs11Binding } from '@eds/pkcs11/pkcs11';
import { tokenSigner } from '@eds/pkcs11/token-signer';
import type { CertificateEntry, KeyRef, SignatureScheme, SignInput, TokenEvent } from '@eds/pkcs11/types';
import { openssl } from '@eds/test-support/openssl';
import { createSoftHsm, type SoftHsm } from '@eds/test-support/softhsm';
import { createTrustStore } from '@eds/verify/trust';
import { verify } from '@eds/verify/verify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const utf8 = (s: string) => new TextEncoder().encode(s);
const WRONG_PIN = '98765-wrong';

let hsm: SoftHsm;
let adapter: Pkcs11Adapter;
let root: TestCa;
let rsaLeaf: IssuedCertificate;
let ecLeaf: IssuedCertificate;
let dir: string;
/** Public keys of the keys generated on the token (read back with pkcs11-tool, DER SPKI). */
const generated = new Map<string, PublicKey>();

const ref = (keyId: string): KeyRef => ({ provider: 'pkcs11', tokenId: hsm.serial, keyId });
const token = () => ({ provider: 'pkcs11', tokenId: hsm.serial }) as const;

beforeAll(async () => {
  hsm = await createSoftHsm({ label: 'eds-softhsm' });
  dir = await mkdtemp(join(tmpdir(), 'eds-p11-'));
  root = await createTestCa({ keySpec: { type: 'ecdsa', curve: 'P-256' }, crlUrl: null, ocspUrl: null });
  rsaLeaf = await root.issue({ keySpec: { type: 'rsa', bits: 2048 }, subject: { commonName: 'RSA на токене' } });
  ecLeaf = await root.issue({ keySpec: { type: 'ecdsa', curve: 'P-256' }, subject: { commonName: 'EC на токене' } });
  await hsm.generateKey({ type: 'rsa', id: '01', label: 'rsa-gen' });
  await hsm.generateKey({ type: 'ec', id: '02', label: 'ec-gen' });
  await hsm.generateKey({ type: 'ec', id: '05', label: 'ec-always', alwaysAuthenticate: true });
  await hsm.importKey({ pkcs8: rsaLeaf.key.pkcs8, certificate: rsaLeaf.certificate, id: 'a004', label: 'rsa-imp' });
  await hsm.importKey({ pkcs8: ecLeaf.key.pkcs8, certificate: ecLeaf.certificate, id: 'a006', label: 'ec-imp' });
  for (const id of ['01', '02', '05']) {
    const spki = await hsm.pkcs11Tool(['--read-object', '--type', 'pubkey', '--id', id]);
    generated.set(id, parsePublicKey(spki));
  }
  adapter = await openPkcs11(hsm.modulePath);
}, 120_000);

afterAll(async () => {
  await adapter?.close();
  await hsm?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Verifies with `openssl pkeyutl -verify` over the data (RSA PKCS#1 / PSS, ECDSA with DER). */
async function opensslVerify(
  key: PublicKey,
  data: Uint8Array,
  signature: Uint8Array,
  kind: 'pkcs1' | 'pss' | 'ecdsa',
): Promise<boolean> {
  const name = `v-${Math.random().toString(36).slice(2)}`;
  await writeFile(join(dir, `${name}.pub`), key.spki);
  await writeFile(join(dir, `${name}.dat`), data);
  await writeFile(join(dir, `${name}.sig`), kind === 'ecdsa' ? ecdsaP1363ToDer(signature) : signature);
  const pss = kind === 'pss' ? ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32'] : [];
  try {
    await openssl(
      [
        'dgst',
        '-sha256',
        '-keyform',
        'DER',
        '-verify',
        `${name}.pub`,
        ...pss,
        '-signature',
        `${name}.sig`,
        `${name}.dat`,
      ],
      { cwd: dir, gost: false },
    );
    return true;
  } catch {
    return false;
  }
}

describe('tokens and login', () => {
  it('lists the SoftHSM token by serial with label, flags and PIN state', async () => {
    const tokens = await adapter.listTokens();
    const t = tokens.find((x) => x.tokenId === hsm.serial);
    expect(t).toBeDefined();
    expect(t?.label).toBe('eds-softhsm');
    expect(t?.serial).toBe(hsm.serial);
    expect(t?.manufacturer).toBe('SoftHSM project');
    expect(t?.present).toBe(true);
    expect(tokens.every((x) => x.tokenId !== '')).toBe(true); // SoftHSM's free slot has no serial
    expect((t?.rawFlags ?? 0) & CKF.TOKEN_INITIALIZED).toBe(CKF.TOKEN_INITIALIZED);
    expect((t?.rawFlags ?? 0) & CKF.LOGIN_REQUIRED).toBe(CKF.LOGIN_REQUIRED);
    expect(t?.protectedAuthPath).toBe(false);
    expect(['ok', 'countLow']).toContain(t?.pin.state);
    const info = await adapter.moduleInfo();
    expect(info.manufacturer).toBe('SoftHSM');
    expect(info.version).toMatch(/^2\.\d+$/);
  });

  it('maps a wrong PIN to PinIncorrectError without the PIN anywhere in the error', async () => {
    const error = await adapter.login(token(), WRONG_PIN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PinIncorrectError);
    expect((error as PinIncorrectError).ckr).toBe(0xa0);
    const text = [
      String(error),
      (error as Error).stack,
      JSON.stringify(error),
      JSON.stringify((error as Error).cause ?? null),
      String((error as Error).cause ?? ''),
    ].join('\n');
    expect(text).not.toContain(WRONG_PIN);
    const info = await adapter.getTokenInfo(token());
    expect(info.pin.state).toBe('countLow'); // SoftHSM sets CKF_USER_PIN_COUNT_LOW after a wrong PIN (§4.2)
    expect(info.loggedIn).toBe(false);
  });

  it('cannot see private keys before login', async () => {
    await expect(
      adapter.sign(ref('02'), { type: 'data', data: utf8('x') }, { name: 'ECDSA', hash: 'SHA-256' }),
    ).rejects.toBeInstanceOf(LoginRequiredError);
  });

  it('unknown serials are TokenNotPresentError', async () => {
    const missing = { provider: 'pkcs11', tokenId: 'no-such-serial' } as const;
    await expect(adapter.getTokenInfo(missing)).rejects.toBeInstanceOf(TokenNotPresentError);
    await expect(adapter.login(missing, hsm.pin)).rejects.toBeInstanceOf(TokenNotPresentError);
    await expect(adapter.listCertificates(missing)).rejects.toBeInstanceOf(TokenNotPresentError);
  });

  it('logs in; a second login is a success; the state says logged in', async () => {
    await adapter.login(token(), hsm.pin);
    await adapter.login(token(), hsm.pin);
    const info = await adapter.getTokenInfo(token());
    expect(info.loggedIn).toBe(true);
    expect(info.pin.state).toBe('ok'); // a correct login clears COUNT_LOW
  });
});

describe('certificates and signatures', () => {
  beforeAll(async () => {
    await adapter.login(token(), hsm.pin);
  });

  it('lists imported certificates paired with their keys by CKA_ID; refs survive JSON', async () => {
    const entries = await adapter.listCertificates(token());
    const byId = new Map(entries.map((e) => [e.key.keyId, e]));
    const rsa = byId.get('a004') as CertificateEntry;
    const ec = byId.get('a006') as CertificateEntry;
    expect(rsa.certificate).toEqual(rsaLeaf.certificate);
    expect(ec.certificate).toEqual(ecLeaf.certificate);
    expect(rsa.keyAlgorithm).toEqual({ kind: 'RSA', modulusBits: 2048 });
    expect(ec.keyAlgorithm).toEqual({ kind: 'EC', namedCurve: 'P-256' });
    expect(rsa.hasPrivateKey && ec.hasPrivateKey).toBe(true);
    expect(rsa.label).toBe('rsa-imp');
    expect(rsa.key).toEqual({ provider: 'pkcs11', tokenId: hsm.serial, keyId: 'a004' });
    const revived = JSON.parse(JSON.stringify(ec.key)) as KeyRef;
    const data = utf8('signed with a key reference that went through JSON');
    const sig = await adapter.sign(revived, { type: 'data', data }, { name: 'ECDSA', hash: 'SHA-256' });
    expect(await opensslVerify(parsePublicKey(parseCertificate(ec.certificate).spki), data, sig, 'ecdsa')).toBe(true);
  });

  const CASES: {
    name: string;
    id: string;
    scheme: SignatureScheme;
    alg: SignatureAlgorithm;
    kind: 'pkcs1' | 'pss' | 'ecdsa';
  }[] = [
    {
      name: 'RSA PKCS#1 (generated)',
      id: '01',
      scheme: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      alg: rsaPkcs1Sha256,
      kind: 'pkcs1',
    },
    {
      name: 'RSA-PSS (generated)',
      id: '01',
      scheme: { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 },
      alg: rsaPssSha256,
      kind: 'pss',
    },
    {
      name: 'ECDSA P-256 (generated)',
      id: '02',
      scheme: { name: 'ECDSA', hash: 'SHA-256' },
      alg: ecdsaSha256,
      kind: 'ecdsa',
    },
    {
      name: 'RSA PKCS#1 (imported)',
      id: 'a004',
      scheme: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      alg: rsaPkcs1Sha256,
      kind: 'pkcs1',
    },
    {
      name: 'ECDSA P-256 (imported)',
      id: 'a006',
      scheme: { name: 'ECDSA', hash: 'SHA-256' },
      alg: ecdsaSha256,
      kind: 'ecdsa',
    },
  ];

  const publicKeyOf = (id: string): PublicKey =>
    generated.get(id) ?? parsePublicKey((id === 'a004' ? rsaLeaf : ecLeaf).key.publicKey.spki);

  it.each(CASES)('$name: data and digest signatures verify with openssl and @eds/core', async (c) => {
    const data = utf8(`Документ для ${c.name}`);
    const inputs: SignInput[] = [
      { type: 'data', data },
      { type: 'digest', digest: sha256.digest(data), hash: 'SHA-256' },
    ];
    const key = publicKeyOf(c.id);
    for (const input of inputs) {
      const sig = await adapter.sign(ref(c.id), input, c.scheme);
      expect(await opensslVerify(key, data, sig, c.kind)).toBe(true);
      const encoded = c.kind === 'ecdsa' ? ecdsaP1363ToDer(sig) : sig;
      expect(
        await verifySignature([c.alg], { algorithm: c.alg.identifier(), publicKey: key, data, signature: encoded }),
      ).toBe(true);
      const other = utf8('другой документ');
      expect(await opensslVerify(key, other, sig, c.kind)).toBe(false);
    }
  });

  it('an always-authenticate key needs the PIN in the sign options', async () => {
    const data = utf8('каждый раз с PIN-кодом');
    const scheme = { name: 'ECDSA', hash: 'SHA-256' } as const;
    await expect(adapter.sign(ref('05'), { type: 'data', data }, scheme)).rejects.toBeInstanceOf(LoginRequiredError);
    const error = await adapter
      .sign(ref('05'), { type: 'data', data }, scheme, { pin: WRONG_PIN })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PinIncorrectError);
    expect(`${String(error)}${(error as Error).stack}${JSON.stringify(error)}`).not.toContain(WRONG_PIN);
    const sig = await adapter.sign(ref('05'), { type: 'data', data }, scheme, { pin: hsm.pin });
    expect(await opensslVerify(generated.get('05') as PublicKey, data, sig, 'ecdsa')).toBe(true);
  });

  it('an unknown CKA_ID is KeyNotFoundError; a bad key reference too', async () => {
    const input = { type: 'data', data: utf8('x') } as const;
    const scheme = { name: 'ECDSA', hash: 'SHA-256' } as const;
    await expect(adapter.sign(ref('ff77'), input, scheme)).rejects.toBeInstanceOf(KeyNotFoundError);
    await expect(adapter.sign(ref('not hex'), input, scheme)).rejects.toBeInstanceOf(KeyNotFoundError);
    await expect(adapter.sign({ ...ref('02'), tokenId: 'gone' }, input, scheme)).rejects.toBeInstanceOf(
      TokenNotPresentError,
    );
  });

  it('an aborted signal stops the operation with its reason', async () => {
    const controller = new AbortController();
    const reason = new DOMException('stop', 'AbortError');
    controller.abort(reason);
    const input = { type: 'data', data: utf8('x') } as const;
    await expect(
      adapter.sign(ref('02'), input, { name: 'ECDSA', hash: 'SHA-256' }, { signal: controller.signal }),
    ).rejects.toBe(reason);
    await expect(adapter.listTokens({ signal: controller.signal })).rejects.toBe(reason);
    const late = new AbortController();
    const pending = adapter.listCertificates(token(), { signal: late.signal });
    late.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('keeps the main thread responsive while a signature is in flight (the binding runs in a worker)', async () => {
    // A binding on the main thread would finish in microtasks, before any event-loop turn.
    const order: string[] = [];
    setImmediate(() => order.push('event loop turned'));
    const signature = await adapter.sign(
      ref('01'),
      { type: 'data', data: utf8('RSA') },
      {
        name: 'RSASSA-PKCS1-v1_5',
        hash: 'SHA-256',
      },
    );
    order.push('signed');
    expect(order).toEqual(['event loop turned', 'signed']);
    expect(signature.length).toBe(256);
  });
});

describe('module errors', () => {
  it('a missing module is ProviderUnavailableError not-installed', async () => {
    const error = await openPkcs11(join(dir, 'no-such-module.so')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as ProviderUnavailableError).reason).toBe('not-installed');
  });

  it('a file that is not a PKCS#11 module is ProviderUnavailableError load-failed', async () => {
    const fake = join(dir, 'not-a-module.so');
    await writeFile(fake, 'not an ELF file');
    const error = await openPkcs11(fake).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as ProviderUnavailableError).reason).toBe('load-failed');
  });

  it('a bare library name reaches dlopen: found in the default directories it opens, else not-installed', async () => {
    // OpenSC's module (Debian opensc-pkcs11, with pkcs11-tool) lies in /usr/lib/<multiarch>, searched by dlopen.
    const bare = await openPkcs11('opensc-pkcs11.so');
    try {
      expect((await bare.moduleInfo()).manufacturer).toBe('OpenSC Project');
    } finally {
      await bare.close();
    }
    const missing = await openPkcs11('libeds-no-such-pkcs11-module.so').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ProviderUnavailableError);
    expect((missing as ProviderUnavailableError).reason).toBe('not-installed');
  });

  it('a second adapter on the same module shares it and both work', async () => {
    const second = await openPkcs11(hsm.modulePath);
    try {
      expect((await second.listTokens()).some((t) => t.tokenId === hsm.serial)).toBe(true);
    } finally {
      await second.close();
    }
    expect((await adapter.listTokens()).some((t) => t.tokenId === hsm.serial)).toBe(true);
  });
});

describe('CAdES-BES through tokenSigner', () => {
  beforeAll(async () => {
    await adapter.login(token(), hsm.pin);
  });

  const CASES = [
    { name: 'RSA', id: 'a004', detached: true },
    { name: 'RSA', id: 'a004', detached: false },
    { name: 'ECDSA', id: 'a006', detached: true },
    { name: 'ECDSA', id: 'a006', detached: false },
  ];

  it.each(CASES)('$name, detached $detached: verifies with @eds/verify and openssl cms', async (c) => {
    const entry = (await adapter.listCertificates(token())).find((e) => e.key.keyId === c.id) as CertificateEntry;
    const content = utf8(`Договор, подписанный ключом ${c.name} на токене`);
    const signature = await signCms({ content, signers: [tokenSigner({ adapter, entry })], detached: c.detached });
    const trust = createTrustStore(root.certificate);
    const report = await verify({
      signature,
      content: c.detached ? content : undefined,
      trust,
      revocation: 'off',
    });
    expect(report.indication, JSON.stringify(report.signatures[0]?.checks)).toBe('TOTAL_PASSED');
    const name = `cms-${c.id}-${c.detached}`;
    await writeFile(join(dir, `${name}.p7s`), signature);
    await writeFile(join(dir, `${name}.txt`), content);
    await writeFile(join(dir, 'root.pem'), encodePem('CERTIFICATE', root.certificate));
    const args = [
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      `${name}.p7s`,
      '-CAfile',
      'root.pem',
      '-purpose',
      'any',
    ];
    const out = await openssl([...args, ...(c.detached ? ['-content', `${name}.txt`] : [])], { cwd: dir, gost: false });
    expect(out.stdout).toEqual(content);
    if (c.detached) {
      await writeFile(join(dir, `${name}.bad`), utf8('подменённый договор'));
      await expect(openssl([...args, '-content', `${name}.bad`], { cwd: dir, gost: false })).rejects.toThrow();
    }
  });
});

describe('token events', () => {
  it('reports removal and insertion by serial (the slot list of the real module, filtered)', async () => {
    // SoftHSM cannot remove a token (tokens.md §4.2): hide its slot in C_GetSlotList instead.
    const real = workerBinding();
    let hidden = false;
    const binding: Pkcs11Binding = {
      ...real,
      C_GetSlotList: async (present) => (hidden ? [] : real.C_GetSlotList(present)),
    };
    const watcher = await openPkcs11(hsm.modulePath, { binding, pollIntervalMs: 20 });
    try {
      const events: TokenEvent[] = [];
      let notify = () => {};
      const off = watcher.onTokenEvent((e) => {
        events.push(e);
        notify();
      });
      const next = (type: TokenEvent['type']) =>
        new Promise<void>((resolve) => {
          notify = () => events.some((e) => e.type === type) && resolve();
          notify();
        });
      await watcher.listTokens(); // the baseline events are reported against
      hidden = true;
      await next('removed');
      const input = { type: 'data', data: utf8('x') } as const;
      await expect(watcher.sign(ref('02'), input, { name: 'ECDSA', hash: 'SHA-256' })).rejects.toBeInstanceOf(
        TokenNotPresentError,
      );
      hidden = false;
      await next('inserted');
      off();
      expect(events.filter((e) => e.token.tokenId === hsm.serial).map((e) => e.type)).toEqual(['removed', 'inserted']);
      expect(events.every((e) => e.token.provider === 'pkcs11')).toBe(true);
    } finally {
      await watcher.close();
    }
  });
});

describe('logout', () => {
  it('logs out: private keys are out of reach until the next login', async () => {
    const input = { type: 'data', data: utf8('после выхода') } as const;
    const scheme = { name: 'ECDSA', hash: 'SHA-256' } as const;
    await adapter.login(token(), hsm.pin);
    await adapter.logout(token());
    expect((await adapter.getTokenInfo(token())).loggedIn).toBe(false);
    await expect(adapter.sign(ref('02'), input, scheme)).rejects.toBeInstanceOf(LoginRequiredError);
    await adapter.logout(token()); // idempotent
    await adapter.login(token(), hsm.pin);
    expect((await adapter.sign(ref('02'), input, scheme)).length).toBe(64);
  });
});

describe('workers: one per library path', () => {
  it('adapters on one module share its worker; another path gets its own; closing one leaves the others working', async () => {
    const users = () => pkcs11Workers().get(hsm.modulePath) ?? 0;
    const before = users();
    expect(before).toBeGreaterThanOrEqual(1); // the suite's adapter
    const second = await openPkcs11(hsm.modulePath);
    expect(users()).toBe(before + 1);
    // A copy of the module is another library path (and another module instance): its own worker.
    const copy = join(dir, 'libsofthsm2-copy.so');
    await copyFile(hsm.modulePath, copy);
    const third = await openPkcs11(copy);
    expect(pkcs11Workers().get(copy)).toBe(1);
    expect(users()).toBe(before + 1);
    try {
      expect((await third.listTokens()).some((t) => t.tokenId === hsm.serial)).toBe(true);
      await third.close();
      expect(pkcs11Workers().has(copy)).toBe(false);
      await second.login(token(), hsm.pin);
      const input = { type: 'data', data: utf8('два адаптера') } as const;
      const signature = await second.sign(ref('02'), input, { name: 'ECDSA', hash: 'SHA-256' });
      await second.close();
      expect(users()).toBe(before);
      // The suite's adapter is unaffected: same module instance, same worker, the token still logged in.
      const key = generated.get('02') as PublicKey;
      expect(await opensslVerify(key, input.data, signature, 'ecdsa')).toBe(true);
      await adapter.login(token(), hsm.pin);
      expect((await adapter.sign(ref('02'), input, { name: 'ECDSA', hash: 'SHA-256' })).length).toBe(64);
    } finally {
      await third.close();
      await second.close();
    }
  });
});

describe('workers and the process', () => {
  it('idle workers of two modules, never closed, do not keep a process alive', async () => {
    const script = join(dir, 'idle.mts');
    const src = fileURLToPath(new URL('../src/pkcs11.ts', import.meta.url));
    await writeFile(
      script,
      `import { openPkcs11 } from ${JSON.stringify(src)};\n` +
        'const a = await openPkcs11(process.argv[2]);\n' +
        "const b = await openPkcs11('opensc-pkcs11.so');\n" +
        'console.log((await a.listTokens()).map((t) => t.tokenId).join(","), (await b.moduleInfo()).manufacturer);\n',
    );
    const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
    const result = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
      // The timeout only turns a hang into a failure (exit code null); it asserts no duration.
      const child = spawn(tsx, [script, hsm.modulePath], { env: { ...process.env }, timeout: 60_000 });
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, out }));
    });
    expect(result.code).toBe(0);
    expect(result.out).toContain(hsm.serial);
    expect(result.out).toContain('OpenSC Project');
  }, 90_000);
});

describe('login state shared by two adapters on one module (review F-A, F-B)', () => {
  it('a wrong PIN on the second adapter is refused though the token is logged in; a logout there is seen here', async () => {
    const input = { type: 'data', data: utf8('вход') } as const;
    const scheme = { name: 'ECDSA', hash: 'SHA-256' } as const;
    const other = await openPkcs11(hsm.modulePath);
    try {
      await adapter.login(token(), hsm.pin);
      const wrong = await other.login(token(), WRONG_PIN).catch((e: unknown) => e);
      expect(wrong).toBeInstanceOf(PinIncorrectError);
      expect((await adapter.getTokenInfo(token())).loggedIn).toBe(false); // the wrong PIN logged the token out
      await expect(adapter.sign(ref('02'), input, scheme)).rejects.toBeInstanceOf(LoginRequiredError);
      await other.login(token(), hsm.pin);
      await adapter.login(token(), hsm.pin); // checks the PIN again on the logged-in token
      expect((await adapter.getTokenInfo(token())).loggedIn).toBe(true);
      await other.logout(token()); // token-wide: the suite adapter's kept session is stale now
      expect((await adapter.getTokenInfo(token())).loggedIn).toBe(false);
      await expect(adapter.sign(ref('02'), input, scheme)).rejects.toBeInstanceOf(LoginRequiredError);
      await adapter.login(token(), hsm.pin);
      expect((await adapter.sign(ref('02'), input, scheme)).length).toBe(64);
    } finally {
      await other.close();
    }
  });
});
