// The login page in Debian's Chromium driven by Playwright (issue 11, item 4): open a .pfx, sign the challenge, see the account; the captured login request replayed is refused.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { base64Encode } from '@eds/core/encoding';
import { createFetcher } from '@eds/core/fetcher';
import { CHROMIUM_ARGS, requireChromium } from '@eds/test-support/chromium';
import { createTrustStore } from '@eds/verify/trust';
import { build } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountTable } from '../src/accounts.ts';
import { createLoginServer, type LoginServer } from '../src/app.ts';
import { createDemoPki, type DemoPki, userPfx } from '../src/demo-pki.ts';
import { buildPage, edsSources } from '../src/page.ts';

const PASSWORD = 'пароль к ключу';
const SCREENSHOT = fileURLToPath(new URL('../../../test-results/login-by-signature.png', import.meta.url));

let pki: DemoPki;
let app: LoginServer;
let url: string;
let browser: Browser;
let alicePfx: Uint8Array;
let strangerPfx: Uint8Array;
/** The init script that gives the page a FAKE CryptoPro plug-in holding the third user's key. */
let fakeBridge: string;

beforeAll(async () => {
  const executablePath = requireChromium(); // fails naming the Debian package
  pki = await createDemoPki();
  const alice = await pki.issueUser({ surname: 'Иванова', givenName: 'Мария Петровна' });
  const stranger = await pki.issueUser({ surname: 'Петров', givenName: 'Пётр Петрович' });
  alicePfx = await userPfx(alice, pki.ca, PASSWORD);
  strangerPfx = await userPfx(stranger, pki.ca, PASSWORD);
  const viaBridge = await pki.issueUser({ surname: 'Смирнов', givenName: 'Алексей Викторович' });
  fakeBridge = await bridgeScript(viaBridge.key.pkcs8, viaBridge.certificate);
  app = createLoginServer({
    trust: createTrustStore(pki.root.certificate),
    intermediates: [pki.ca.certificate],
    accounts: createAccountTable([
      { id: 'u-1001', name: 'Иванова Мария Петровна', snils: alice.snils },
      { id: 'u-1002', name: 'Смирнов Алексей Викторович', snils: viaBridge.snils },
    ]),
    fetcher: createFetcher({ timeoutMs: 5_000 }),
    page: await buildPage(),
  });
  url = (await app.listen(0)).url;
  browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await pki?.close();
});

/** test/_fake-bridge.ts bundled for the browser, preceded by the key it is to hold. */
async function bridgeScript(pkcs8: Uint8Array, certificate: Uint8Array): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('_fake-bridge.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
    plugins: [edsSources],
  });
  const key = { pkcs8: base64Encode(pkcs8), certificate: base64Encode(certificate) };
  return `globalThis.__EDS_FAKE_KEY = ${JSON.stringify(key)};\n${result.outputFiles[0]?.text}`;
}

/** A fresh page (own cookies) with the key file opened. */
async function openWithKey(pfx: Uint8Array, password: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.locator('#page[data-ready="true"]').waitFor();
  await page.setInputFiles('#pfx', { name: 'key.pfx', mimeType: 'application/x-pkcs12', buffer: Buffer.from(pfx) });
  await page.fill('#password', password);
  await page.click('#open');
  await page.locator('#key-status[data-outcome]:not([data-outcome="busy"])').waitFor();
  return { page, errors };
}

describe('login page in Chromium', () => {
  it('signs in with a .pfx key and shows the account; the captured request replayed is refused', async () => {
    const { page, errors } = await openWithKey(alicePfx, PASSWORD);
    expect(await page.textContent('#key-status')).toBe('Сертификатов для входа: 1');
    expect(await page.textContent('#certificate option')).toContain('Иванова Мария Петровна');
    const captured = page.waitForRequest((r) => r.url().endsWith('/login') && r.method() === 'POST');
    await page.click('#login');
    const result = page.locator('#result[data-outcome="ok"]');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.textContent()).toBe('Вы вошли как: Иванова Мария Петровна');
    expect(await page.textContent('#challenge')).toMatch(/^Вход на портал example\.ru, .+, nonce [A-Za-z0-9_-]{43}$/);
    await mkdir(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    const request = await captured;
    const body = request.postData() ?? '';
    const headers = await request.allHeaders();
    expect(headers.cookie).toMatch(/eds_login_pending=/);
    // the same request again, cookie and all (an attacker who captured it)
    const replay = await fetch(`${url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: headers.cookie ?? '' },
      body,
    });
    expect(replay.status).toBe(401);
    expect((await replay.json()).code).toBe('CHALLENGE_REPLAYED');
    // and from the browser's own context, whose pending login was closed by the successful one
    const again = await page.request.post(`${url}/login`, {
      data: body,
      headers: { 'content-type': 'application/json' },
    });
    expect(again.status()).toBe(401);
    expect((await again.json()).code).toBe('CHALLENGE_UNKNOWN');
    // the session stays the one the real login opened
    const me = await page.request.get(`${url}/me`);
    expect((await me.json()).account).toEqual({ id: 'u-1001', name: 'Иванова Мария Петровна' });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows the reason when the certificate has no account', async () => {
    const { page } = await openWithKey(strangerPfx, PASSWORD);
    await page.click('#login');
    const result = page.locator('#result[data-outcome="error"]');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.getAttribute('data-code')).toBe('NO_ACCOUNT');
    expect(await result.textContent()).toContain('не привязана учётная запись');
    await page.context().close();
  });

  it('says so when the password is wrong', async () => {
    const { page } = await openWithKey(alicePfx, 'не тот пароль');
    expect(await page.textContent('#key-status')).toBe('Неверный пароль к файлу ключа.');
    expect(await page.isDisabled('#login')).toBe(true);
    await page.context().close();
  });

  it('signs in through the CryptoPro plug-in when the page has one (a FAKE plug-in with real GOST keys)', async () => {
    const context = await browser.newContext();
    await context.addInitScript({ content: fakeBridge });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.locator('#page[data-ready="true"]').waitFor();
    expect(await page.isVisible('#use-bridge')).toBe(true);
    await page.click('#use-bridge');
    await page.locator('#key-status[data-outcome]:not([data-outcome="busy"])').waitFor();
    expect(await page.textContent('#key-status')).toBe('Сертификатов КриптоПро для входа: 1');
    await page.click('#login');
    const result = page.locator('#result[data-outcome]:not([data-outcome="busy"])');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.textContent()).toBe('Вы вошли как: Смирнов Алексей Викторович');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('offers no plug-in button when the page has no plug-in', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    await page.locator('#page[data-ready="true"]').waitFor();
    expect(await page.isVisible('#use-bridge')).toBe(false);
    await context.close();
  });
});
