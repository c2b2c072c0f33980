// The login API end to end over HTTP (issue 11, item 4): a GOST test PKI whose OCSP and CRL answer on 127.0.0.1, challenges signed as CMS, every refusal by its reason code.
import { signCms } from '@eds/core/cms';
import { base64Encode } from '@eds/core/encoding';
import { createFetcher } from '@eds/core/fetcher';
import { createTestCa, type IssuedCertificate, testIdentifiers } from '@eds/core/testing';
import type { Signer } from '@eds/core/types';
import { createSoftwareAdapter } from '@eds/pkcs11/software';
import { tokenSigner } from '@eds/pkcs11/token-signer';
import { createTrustStore } from '@eds/verify/trust';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountTable } from '../src/accounts.ts';
import { createLoginServer, type LoginServer } from '../src/app.ts';
import { createDemoPki, type DemoPki, userPfx } from '../src/demo-pki.ts';

interface Answer {
  readonly status: number;
  readonly json: Record<string, unknown>;
  readonly cookies: readonly string[];
  readonly text: string;
}

/** A browser's worth of state: the cookies the server set. */
class Client {
  readonly jar = new Map<string, string>();
  constructor(private readonly base: string) {}

  get cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(path: string, init: { method?: string; body?: string; type?: string; cookie?: string } = {}) {
    const headers: Record<string, string> = {};
    if (init.type !== '') headers['content-type'] = init.type ?? 'application/json';
    const cookie = init.cookie ?? this.cookieHeader;
    if (cookie) headers.cookie = cookie;
    const response = await fetch(`${this.base}${path}`, { method: init.method ?? 'POST', body: init.body, headers });
    const cookies = response.headers.getSetCookie();
    for (const c of cookies) {
      const [pair = ''] = c.split(';');
      const at = pair.indexOf('=');
      const value = pair.slice(at + 1);
      if (/Max-Age=0/.test(c)) this.jar.delete(pair.slice(0, at));
      else this.jar.set(pair.slice(0, at), value);
    }
    const text = await response.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON: the test looking at `text` says so
    }
    return { status: response.status, json, cookies, text } satisfies Answer;
  }

  async challenge(): Promise<string> {
    const r = await this.request('/challenge', { body: '{}' });
    expect(r.status).toBe(200);
    return r.json.challenge as string;
  }

  login(cms: Uint8Array, cookie?: string): Promise<Answer> {
    return this.request('/login', { body: JSON.stringify({ cms: base64Encode(cms) }), cookie });
  }

  me(): Promise<Answer> {
    return this.request('/me', { method: 'GET', type: '' });
  }
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const sign = (signer: Signer, text: string, options: { detached?: boolean; signingTime?: Date } = {}) =>
  signCms({ content: utf8(text), signers: [signer], ...options });

let pki: DemoPki;
let app: LoginServer;
let base: string;
let clockOffset = 0;
let alice: IssuedCertificate & { snils: string; inn: string };
let stranger: IssuedCertificate & { snils: string; inn: string };
let revoked: IssuedCertificate & { snils: string; inn: string };
let innOnly: IssuedCertificate & { snils: string; inn: string };
let noDigitalSignature: IssuedCertificate;
let foreign: IssuedCertificate;

beforeAll(async () => {
  pki = await createDemoPki();
  alice = await pki.issueUser({ surname: 'Иванова', givenName: 'Мария Петровна' });
  stranger = await pki.issueUser({ surname: 'Петров', givenName: 'Пётр Петрович' });
  revoked = await pki.issueUser({ surname: 'Сидоров', givenName: 'Сидор Сидорович' });
  innOnly = await pki.issueUser({ surname: 'Кузнецова', givenName: 'Анна Ивановна' });
  pki.ca.revoke(revoked.serial, { reason: 'keyCompromise', time: new Date(Date.now() - 60_000) });
  const ndsIds = testIdentifiers();
  noDigitalSignature = await pki.ca.issue({
    subject: { commonName: 'Только неотрекаемость', snils: ndsIds.snils, inn: ndsIds.inn },
    keyUsage: ['nonRepudiation'],
  });
  const foreignRoot = await createTestCa({ profile: 'russian-qualified', ocspUrl: null, crlUrl: null });
  const foreignIds = testIdentifiers();
  foreign = await foreignRoot.issue({ subject: { commonName: 'Чужой УЦ', snils: foreignIds.snils } });
  const accounts = createAccountTable([
    { id: 'u-alice', name: 'Иванова Мария Петровна', snils: alice.snils },
    { id: 'u-revoked', name: 'Сидоров С. С.', snils: revoked.snils },
    { id: 'u-inn', name: 'Кузнецова А. И.', inn: innOnly.inn },
    {
      id: 'u-nds',
      name: 'Без digitalSignature',
      snils: `${ndsIds.snils.slice(0, 3)}-${ndsIds.snils.slice(3, 6)}-${ndsIds.snils.slice(6, 9)} ${ndsIds.snils.slice(9)}`,
    },
    { id: 'u-foreign', name: 'Чужой', snils: foreignIds.snils },
  ]);
  app = createLoginServer({
    trust: createTrustStore(pki.root.certificate),
    intermediates: [pki.ca.certificate],
    accounts,
    fetcher: createFetcher({ timeoutMs: 5_000 }),
    now: () => new Date(Date.now() + clockOffset),
  });
  base = (await app.listen(0)).url;
});

afterAll(async () => {
  await app?.close();
  await pki?.close();
});

describe('login by signature', () => {
  it('signs in with a valid signature over the challenge, checks revocation online and opens a session', async () => {
    const client = new Client(base);
    const text = await client.challenge();
    expect(text).toMatch(/^Вход на портал example\.ru, \d{4}-\d\d-\d\dT[\d:.]+Z, nonce [A-Za-z0-9_-]{43}$/);
    const pending = client.jar.get('eds_login_pending');
    expect(pending).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const before = pki.services.count;
    const answer = await client.login(await sign(alice.signer, text));
    expect(answer.json).toEqual({ account: { id: 'u-alice', name: 'Иванова Мария Петровна' }, matchedBy: 'snils' });
    expect(answer.status).toBe(200);
    expect(pki.services.count).toBeGreaterThan(before); // OCSP or CRL fetched over HTTP
    const session = answer.cookies.find((c) => c.startsWith('eds_session='));
    expect(session).toMatch(/; HttpOnly; SameSite=Strict/);
    expect(client.jar.has('eds_login_pending')).toBe(false);
    const me = await client.me();
    expect(me.status).toBe(200);
    expect(me.json.account).toEqual({ id: 'u-alice', name: 'Иванова Мария Петровна' });
    expect(me.json.certificateSubject).toContain('Иванова');
    expect((await new Client(base).me()).json.code).toBe('NO_SESSION');
    await client.request('/logout', { body: '{}' });
    expect((await client.me()).status).toBe(401);
  });

  it('signs in with a key from a .pfx through the software adapter and tokenSigner, detached CMS', async () => {
    const adapter = createSoftwareAdapter();
    const [entry] = await adapter.addPkcs12(await userPfx(alice, pki.ca, 'пароль'), 'пароль');
    const client = new Client(base);
    const text = await client.challenge();
    const signer = tokenSigner({ adapter, entry: entry as NonNullable<typeof entry> });
    const answer = await client.login(await sign(signer, text, { detached: true }));
    expect(answer.json.account).toEqual({ id: 'u-alice', name: 'Иванова Мария Петровна' });
  });

  it('refuses the same CMS a second time: CHALLENGE_REPLAYED', async () => {
    const client = new Client(base);
    const text = await client.challenge();
    const cookie = client.cookieHeader;
    const cms = await sign(alice.signer, text);
    expect((await client.login(cms, cookie)).status).toBe(200);
    const replay = await client.login(cms, cookie); // the captured request, cookie and all
    expect(replay.status).toBe(401);
    expect(replay.json.code).toBe('CHALLENGE_REPLAYED');
    expect(replay.cookies.some((c) => c.startsWith('eds_session=') && !/Max-Age=0/.test(c))).toBe(false);
  });

  it('refuses an old CMS sent with a new challenge: CONTENT_MISMATCH', async () => {
    const client = new Client(base);
    const old = await sign(alice.signer, await client.challenge());
    await client.challenge(); // a new pending login replaces the first
    const answer = await client.login(old);
    expect(answer.status).toBe(401);
    expect(answer.json.code).toBe('CONTENT_MISMATCH');
  });

  it('refuses a CMS over other text, attached or detached: CONTENT_MISMATCH', async () => {
    for (const detached of [false, true]) {
      const client = new Client(base);
      const text = await client.challenge();
      const altered = text.replace('example.ru', 'evil.example');
      const answer = await client.login(await sign(alice.signer, altered, { detached }));
      expect(answer.json.code, `detached: ${detached}`).toBe('CONTENT_MISMATCH');
    }
  });

  it('refuses a challenge answered after its lifetime: CHALLENGE_EXPIRED', async () => {
    const client = new Client(base);
    const cms = await sign(alice.signer, await client.challenge());
    clockOffset = 5 * 60_000 + 1_000;
    try {
      const answer = await client.login(cms);
      expect(answer.status).toBe(401);
      expect(answer.json.code).toBe('CHALLENGE_EXPIRED');
    } finally {
      clockOffset = 0;
    }
  });

  it('refuses an answer without a pending login or with a forged one: CHALLENGE_UNKNOWN', async () => {
    const signed = new Client(base);
    const cms = await sign(alice.signer, await signed.challenge());
    const noCookie = await new Client(base).login(cms, '');
    expect(noCookie.json.code).toBe('CHALLENGE_UNKNOWN');
    const forged = await new Client(base).login(cms, `eds_login_pending=${'A'.repeat(43)}`);
    expect(forged.json.code).toBe('CHALLENGE_UNKNOWN');
    expect((await signed.login(cms)).status).toBe(200); // the real one is still good
  });

  it('refuses a signer from a CA outside the trust store: SIGNATURE_INVALID with the indication', async () => {
    const client = new Client(base);
    const answer = await client.login(await sign(foreign.signer, await client.challenge()));
    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject({ code: 'SIGNATURE_INVALID', indication: 'INDETERMINATE' });
    expect(answer.json.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
  });

  it('refuses a revoked signer: SIGNATURE_INVALID with REVOKED', async () => {
    const client = new Client(base);
    const answer = await client.login(await sign(revoked.signer, await client.challenge()));
    expect(answer.status).toBe(401);
    expect(answer.json.code).toBe('SIGNATURE_INVALID');
    expect(answer.json.indication).not.toBe('TOTAL_PASSED');
    expect(String(answer.json.subIndication)).toMatch(/REVOKED/);
  });

  it('refuses a valid signer whose SNILS and INN have no account: NO_ACCOUNT', async () => {
    const client = new Client(base);
    const answer = await client.login(await sign(stranger.signer, await client.challenge()));
    expect(answer.status).toBe(403);
    expect(answer.json.code).toBe('NO_ACCOUNT');
  });

  it('falls back to the INN when the SNILS has no account', async () => {
    const client = new Client(base);
    const answer = await client.login(await sign(innOnly.signer, await client.challenge()));
    expect(answer.json).toEqual({ account: { id: 'u-inn', name: 'Кузнецова А. И.' }, matchedBy: 'inn' });
  });

  it('refuses a certificate without digitalSignature in its key usage: KEY_USAGE_NOT_ALLOWED', async () => {
    const client = new Client(base);
    const answer = await client.login(await sign(noDigitalSignature.signer, await client.challenge()));
    expect(answer.status).toBe(403);
    expect(answer.json.code).toBe('KEY_USAGE_NOT_ALLOWED');
  });

  it('refuses a signing time outside the challenge window: SIGNING_TIME_OUT_OF_WINDOW', async () => {
    const client = new Client(base);
    const text = await client.challenge();
    const answer = await client.login(
      await sign(alice.signer, text, { signingTime: new Date(Date.now() - 3_600_000) }),
    );
    expect(answer.json.code).toBe('SIGNING_TIME_OUT_OF_WINDOW');
  });

  it('answers bad requests with 4xx and a code, never a stack trace', async () => {
    const client = new Client(base);
    await client.challenge();
    const cases: [() => Promise<Answer>, number, string][] = [
      [() => client.request('/login', { body: 'not json' }), 400, 'BAD_REQUEST'],
      [() => client.request('/login', { body: '{"cms": 42}' }), 400, 'BAD_REQUEST'],
      [() => client.request('/login', { body: `{"cms": "${'A'.repeat(70_000)}"}` }), 413, 'PAYLOAD_TOO_LARGE'],
      [() => client.request('/login', { body: '{}', type: 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
      [() => client.request('/challenge', { method: 'GET', type: '' }), 405, 'METHOD_NOT_ALLOWED'],
      [() => client.request('/nowhere', { method: 'GET', type: '' }), 404, 'NOT_FOUND'],
      // the pending login survived the refusals above, which never reached it; this one uses it up
      [() => client.request('/login', { body: JSON.stringify({ cms: 'QUJD' }) }), 400, 'BAD_REQUEST'],
      [() => client.request('/login', { body: JSON.stringify({ cms: 'QUJD' }) }), 401, 'CHALLENGE_UNKNOWN'],
    ];
    for (const [send, status, code] of cases) {
      const answer = await send();
      expect([answer.status, answer.json.code]).toEqual([status, code]);
      expect(answer.text).not.toMatch(/\bat .+:\d+:\d+/);
    }
    const fresh = new Client(base);
    await fresh.challenge();
    const garbage = await fresh.login(utf8('not a CMS at all'));
    expect([garbage.status, garbage.json.code]).toEqual([400, 'BAD_REQUEST']);
  });
});
