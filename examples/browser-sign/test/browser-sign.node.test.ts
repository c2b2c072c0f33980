// End-to-end test of examples/browser-sign: the page built with Vite, served on 127.0.0.1 and driven in Debian's Chromium through Playwright (open a .pfx, sign, verify, read the verdict).
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { base64Encode, encodePem } from '@eds/core/encoding';
import { createPkcs12 } from '@eds/core/pkcs12';
import { createTestCa, type IssuedCertificate, type TestCa, testIdentifiers } from '@eds/core/testing';
import { CHROMIUM_ARGS, requireChromium } from '@eds/test-support/chromium';
import { startNcaLayerServer } from '@eds/test-support/ncalayer-server';
import { type Browser, chromium, type Page } from 'playwright';
import { build, type PreviewServer, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edsAliases } from '../vite.config.ts';
import type { FakeBridgesConfig } from './fake-bridges-page.ts';

const exampleDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const screenshotDir = join(repoRoot, 'test-results', 'browser-sign');

// The verdicts are formatReport's own wording (@eds/verify/format); the page shows the first line.
const VALID = { ru: 'Подлинность документа подтверждена', en: 'Signature is valid' };
const INVALID = { ru: 'Подпись недействительна', en: 'Signature is invalid' };

/** One signer of the test PKI, as the files a user has: the .pfx, its password, the root certificate. */
interface KeyFiles {
  readonly pfx: string;
  readonly password: string;
  readonly root: string;
  /** Text the certificate picker shows for this signer. */
  readonly owner: string;
  readonly identifiers: readonly string[];
}

let work: string;
let server: PreviewServer | undefined;
let browser: Browser | undefined;
let baseUrl: string;
let gostRoot: TestCa;
let gost: KeyFiles;
let ecdsa: KeyFiles;
let documentA: string;
let documentB: string;

/** The INN and SNILS of a qualified person's subject. */
function pick(ids: ReturnType<typeof testIdentifiers>): { inn: string; snils: string } {
  return { inn: ids.inn, snils: ids.snils };
}

/** A GOST R 34.10-2012 (256) signer in the Russian qualified profile, its PFX in the TC26 dialect, the root as PEM. */
async function gostFiles(dir: string): Promise<KeyFiles> {
  const root = gostRoot;
  const ids = testIdentifiers();
  const leaf = await root.issue({
    subject: {
      country: 'RU',
      commonName: 'Иванов Иван Иванович',
      surname: 'Иванов',
      givenName: 'Иван Иванович',
      inn: ids.inn,
      snils: ids.snils,
    },
  });
  const password = 'Пароль-ГОСТ 1';
  const pfx = await createPkcs12({
    key: { pkcs8: leaf.key.pkcs8 },
    certificates: [leaf.certificate],
    password,
    dialect: 'gost-tc26',
    friendlyName: 'Иванов',
  });
  await writeFile(join(dir, 'ivanov-gost.pfx'), pfx);
  await writeFile(join(dir, 'root-gost.pem'), encodePem('CERTIFICATE', root.certificate));
  return {
    pfx: join(dir, 'ivanov-gost.pfx'),
    password,
    root: join(dir, 'root-gost.pem'),
    owner: 'Иванов Иван Иванович',
    identifiers: [`ИНН ${ids.inn}`, `СНИЛС ${ids.snils}`],
  };
}

/** An ECDSA P-256 signer (plain RFC 5280 profile), its PFX in the standard dialect, the root as DER. */
async function ecdsaFiles(dir: string): Promise<KeyFiles> {
  const root = await createTestCa({ profile: 'plain', subject: { commonName: 'Test Root browser-sign' } });
  const leaf = await root.issue({ subject: { commonName: 'Jane Doe', organization: 'Example Ltd' } });
  const password = 'ecdsa password';
  const pfx = await createPkcs12({
    key: { pkcs8: leaf.key.pkcs8 },
    certificates: [leaf.certificate],
    password,
    dialect: 'standard',
  });
  await writeFile(join(dir, 'jane-ecdsa.p12'), pfx);
  await writeFile(join(dir, 'root-ecdsa.cer'), root.certificate);
  return {
    pfx: join(dir, 'jane-ecdsa.p12'),
    password,
    root: join(dir, 'root-ecdsa.cer'),
    owner: 'Jane Doe',
    identifiers: ['Example Ltd'],
  };
}

/** Builds the page into the temporary directory and serves it with `vite preview` on a free loopback port. */
async function startPage(outDir: string): Promise<PreviewServer> {
  const configFile = join(exampleDir, 'vite.config.ts');
  await build({ configFile, root: exampleDir, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  return preview({
    configFile,
    root: exampleDir,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false },
  });
}

/** A fresh page; errors thrown in it fail the test that reads `errors`. */
async function openPage(): Promise<{ page: Page; errors: string[] }> {
  if (!browser) throw new Error('the browser did not start');
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(baseUrl);
  await page.locator('#bridge-status').filter({ hasText: /\S/ }).waitFor();
  return { page, errors };
}

/** Waits until `selector` shows `expected`, and fails with what the page shows (verdict and error) otherwise. */
async function expectText(page: Page, selector: string, expected: string): Promise<void> {
  try {
    await page.waitForFunction(
      ([sel, want]) => document.querySelector(sel as string)?.textContent?.includes(want as string) === true,
      [selector, expected],
      { timeout: 30_000 },
    );
  } catch {
    const shown = await page.evaluate(
      (sel) => ({
        target: document.querySelector(sel)?.textContent,
        error: document.querySelector('#error')?.textContent,
        busy: document.querySelector('#busy')?.textContent,
      }),
      selector,
    );
    throw new Error(`${selector} does not show "${expected}": ${JSON.stringify(shown)}`);
  }
  expect(await page.textContent(selector)).toContain(expected);
}

/** The user's steps: choose the .pfx, enter the password, open, pick the certificate. */
async function openKey(page: Page, key: KeyFiles, password = key.password): Promise<void> {
  await page.setInputFiles('#pfx', key.pfx);
  await page.fill('#password', password);
  await page.click('#open');
}

async function pickCertificate(page: Page, key: KeyFiles): Promise<void> {
  const item = page.locator('#certificates label', { hasText: key.owner });
  await item.waitFor({ timeout: 30_000 });
  for (const id of key.identifiers) expect(await item.textContent()).toContain(id);
  await item.click();
  expect(await page.inputValue('#password')).toBe(''); // the page keeps no copy of the password
}

/** Sign `document`, upload the root, press Verify (with another document when given). */
async function signAndVerify(page: Page, key: KeyFiles, document: string, verifyWith?: string): Promise<void> {
  await page.setInputFiles('#document', document);
  await page.click('#sign');
  await page.locator('#signature-info').waitFor({ state: 'visible', timeout: 30_000 });
  expect(await page.getAttribute('#download', 'download')).toBe(`${document.split('/').pop()}.sig`);
  expect(await page.getAttribute('#download', 'href')).toMatch(/^blob:/);
  await page.setInputFiles('#root', key.root);
  if (verifyWith) await page.setInputFiles('#verify-document', verifyWith);
  await page.click('#verify');
}

async function screenshot(page: Page, name: string): Promise<void> {
  const path = join(screenshotDir, name);
  await page.screenshot({ path, fullPage: true });
  expect((await stat(path)).size).toBeGreaterThan(1000);
}

/** The FAKE CryptoPro and Rutoken plug-ins of @eds/pkcs11's tests, bundled for the page (an IIFE run before it). */
async function fakeBridgesScript(): Promise<string> {
  const out = await build({
    configFile: false,
    logLevel: 'warn',
    resolve: { alias: edsAliases },
    build: {
      write: false,
      target: 'es2022',
      minify: false,
      lib: { entry: join(exampleDir, 'test', 'fake-bridges-page.ts'), formats: ['iife'], name: 'fakeBridges' },
    },
  });
  const output = Array.isArray(out) ? out[0] : out;
  if (!output || !('output' in output)) throw new Error('the fake bridges did not build');
  for (const o of output.output) if (o.type === 'chunk') return o.code;
  throw new Error('the fake bridges bundle has no chunk');
}

/** A page with the fake bridges installed as their loaders would install them. */
async function openPageWithBridges(config: FakeBridgesConfig): Promise<{ page: Page; errors: string[] }> {
  if (!browser) throw new Error('the browser did not start');
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript({ content: `window.__fakeBridges = ${JSON.stringify(config)};\n${await bridgesScript}` });
  await page.goto(baseUrl);
  await page.locator('#bridge-status').filter({ hasText: /\S/ }).waitFor();
  return { page, errors };
}

function bridgeKey(leaf: IssuedCertificate) {
  return {
    pkcs8: base64Encode(leaf.key.pkcs8),
    certificate: base64Encode(leaf.certificate),
    serial: leaf.serial.toString(),
  };
}

let bridgesScript: Promise<string>;

beforeAll(async () => {
  const executablePath = requireChromium();
  gostRoot = await createTestCa({
    keySpec: { type: 'gost2012-256' },
    profile: 'russian-qualified',
    subject: { organization: 'АО «Тестовый УЦ»', commonName: 'Тестовый УЦ browser-sign' },
  });
  work = await mkdtemp(join(tmpdir(), 'eds-browser-sign-'));
  await mkdir(screenshotDir, { recursive: true });
  [gost, ecdsa] = await Promise.all([gostFiles(work), ecdsaFiles(work)]);
  documentA = join(work, 'Договор.txt');
  documentB = join(work, 'Договор-изменённый.txt');
  await writeFile(documentA, 'Договор № 1 от 1 декабря 2026 г. Сумма: 100 000 руб.\n');
  await writeFile(documentB, 'Договор № 1 от 1 декабря 2026 г. Сумма: 900 000 руб.\n');
  server = await startPage(join(work, 'dist'));
  bridgesScript = fakeBridgesScript();
  bridgesScript.catch(() => undefined); // awaited by the bridge tests
  const address = server.httpServer.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${address.port}/`;
  browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS], headless: true });
}, 240_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await server?.close().catch(() => undefined);
  if (work) await rm(work, { recursive: true, force: true });
});

// Generous: two cores shared with other work; nothing here is timed.
describe('examples/browser-sign in Chromium', { timeout: 120_000 }, () => {
  it('signs with a GOST 2012-256 .pfx (TC26) and shows the valid verdict in Russian and English', async () => {
    const { page, errors } = await openPage();
    await openKey(page, gost);
    await pickCertificate(page, gost);
    await signAndVerify(page, gost, documentA);
    await expectText(page, '#verdict', VALID.ru);
    expect(await page.getAttribute('#verdict', 'data-indication')).toBe('TOTAL_PASSED');
    expect(await page.textContent('#report')).toContain('Иванов');
    await screenshot(page, 'gost-valid-ru.png');
    await page.click('#lang-en');
    await expectText(page, '#verdict', VALID.en);
    expect(await page.textContent('#sign')).toBe('Sign');
    await screenshot(page, 'gost-valid-en.png');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('signs with an ECDSA P-256 .p12 and shows the valid verdict in Russian and English', async () => {
    const { page, errors } = await openPage();
    await openKey(page, ecdsa);
    await pickCertificate(page, ecdsa);
    await signAndVerify(page, ecdsa, documentA);
    await expectText(page, '#verdict', VALID.ru);
    await page.click('#lang-en');
    await expectText(page, '#verdict', VALID.en);
    expect(await page.getAttribute('#verdict', 'data-indication')).toBe('TOTAL_PASSED');
    await screenshot(page, 'ecdsa-valid-en.png');
    await page.click('#lang-ru');
    await expectText(page, '#verdict', VALID.ru);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says "wrong password" for a wrong .pfx password and lists no certificate', async () => {
    const { page, errors } = await openPage();
    await openKey(page, gost, 'not the password');
    await expectText(page, '#error', 'Неверный пароль');
    expect(await page.locator('#certificates li').count()).toBe(0);
    await page.click('#lang-en');
    await expectText(page, '#error', 'Wrong password');
    expect(await page.textContent('#error')).not.toMatch(/at \w|\.ts:\d/); // a sentence, not a stack
    await screenshot(page, 'wrong-password.png');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('warns in the picker about a certificate that expires soon', async () => {
    const day = 86_400_000;
    const leaf = await gostRoot.issue({
      subject: { commonName: 'Кузнецов Олег Игоревич', ...pick(testIdentifiers()) },
      validity: { notBefore: new Date(Date.now() - day), notAfter: new Date(Date.now() + 10 * day + 3_600_000) },
    });
    const path = join(work, 'kuznetsov-expiring.pfx');
    const password = 'скоро истечёт';
    await writeFile(
      path,
      await createPkcs12({
        key: { pkcs8: leaf.key.pkcs8 },
        certificates: [leaf.certificate],
        password,
        dialect: 'gost-tc26',
      }),
    );
    const { page, errors } = await openPage();
    await openKey(page, { ...gost, pfx: path, password });
    const item = page.locator('#certificates label', { hasText: 'Кузнецов Олег Игоревич' });
    await item.waitFor({ timeout: 30_000 });
    expect(await item.locator('.warning').textContent()).toBe('⚠ Истекает через 10 дн.');
    await page.click('#lang-en');
    expect(await item.locator('.warning').textContent()).toBe('⚠ Expires in 10 days');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('signs through NCALayer (its protocol on a loopback test server) when the user connects to it', async () => {
    const nca = await startNcaLayerServer({ activeTokens: ['AKKaztokenStore'] });
    try {
      const rootFile = join(work, 'nca-root.cer');
      await writeFile(rootFile, nca.caCertificate);
      const page = await browser?.newPage();
      if (!page) throw new Error('the browser did not start');
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${baseUrl}?ncalayer=${encodeURIComponent(nca.url)}`);
      await page.locator('#bridge-status').filter({ hasText: /\S/ }).waitFor();
      expect(nca.requests).toHaveLength(0); // never probed without the button
      await page.click('#probe-ncalayer');
      await expectText(page, '#bridge-status', 'NCALayer');
      const item = page.locator('#certificates label', { hasText: 'Kaztoken' });
      await item.waitFor({ timeout: 30_000 });
      await item.click();
      await page.setInputFiles('#document', documentA);
      await page.click('#sign');
      await page.locator('#signature-info').waitFor({ state: 'visible', timeout: 30_000 });
      await page.setInputFiles('#root', rootFile);
      await page.click('#verify');
      await expectText(page, '#verdict', VALID.ru);
      expect(nca.requests.map((r) => r.method)).toContain('sign');
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await nca.close();
    }
  });

  it('lists the CryptoPro plug-in certificates and signs through it (FAKE plug-in)', async () => {
    const leaf = await gostRoot.issue({ subject: { commonName: 'Петров Пётр Петрович', ...pick(testIdentifiers()) } });
    const { page, errors } = await openPageWithBridges({ cryptopro: bridgeKey(leaf) });
    await expectText(page, '#bridge-status', 'КриптоПро ЭЦП Browser plug-in: сертификатов 1');
    const item = page.locator('#certificates label', { hasText: 'Петров Пётр Петрович' });
    await item.click();
    expect(await item.textContent()).toContain('КриптоПро');
    await page.setInputFiles('#document', documentA);
    await page.click('#sign');
    await page.locator('#signature-info').waitFor({ state: 'visible', timeout: 30_000 });
    await page.setInputFiles('#root', gost.root);
    await page.click('#verify');
    await expectText(page, '#verdict', VALID.ru);
    expect(await page.textContent('#report')).toContain('Петров');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('signs with a Rutoken Plugin key after the PIN, and says how many tries are left after a wrong one (FAKE plug-in)', async () => {
    const leaf = await gostRoot.issue({
      subject: { commonName: 'Сидорова Анна Сергеевна', ...pick(testIdentifiers()) },
    });
    const { page, errors } = await openPageWithBridges({
      rutoken: { ...bridgeKey(leaf), serial: '0a1b2c3d', pin: '12345678' },
    });
    await expectText(page, '#bridge-status', 'Рутокен Плагин: сертификатов 1');
    await page.locator('#certificates label', { hasText: 'Сидорова Анна Сергеевна' }).click();
    await page.setInputFiles('#document', documentA);
    await page.fill('#password', '0000');
    await page.click('#sign');
    await expectText(page, '#error', 'Неверный PIN-код. Осталось попыток: 9.');
    expect(await page.isVisible('#signature-info')).toBe(false);
    await page.fill('#password', '12345678');
    await page.click('#sign');
    await page.locator('#signature-info').waitFor({ state: 'visible', timeout: 30_000 });
    expect(await page.isVisible('#error')).toBe(false);
    await page.setInputFiles('#root', gost.root);
    await page.click('#verify');
    await expectText(page, '#verdict', VALID.ru);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the invalid verdict when another document is verified against the signature (GOST and ECDSA)', async () => {
    for (const key of [gost, ecdsa]) {
      const { page, errors } = await openPage();
      await openKey(page, key);
      await pickCertificate(page, key);
      await signAndVerify(page, key, documentA, documentB);
      await expectText(page, '#verdict', INVALID.ru);
      expect(await page.getAttribute('#verdict', 'data-indication')).toBe('TOTAL_FAILED');
      await page.click('#lang-en');
      await expectText(page, '#verdict', INVALID.en);
      if (key === gost) await screenshot(page, 'gost-changed-document.png');
      expect(errors).toEqual([]);
      await page.close();
    }
  });
});
