// The NCALayer adapter (tokens.md §5.3, §6.2) against a real loopback WebSocket server speaking NCALayer's protocol with real signatures (tooling/test-support/src/ncalayer-server.ts); Node (ws) and Chromium (the browser's WebSocket).
import { base64Decode } from '@eds/core/encoding';
import { parseSignedData } from '@eds/core/signed-data';
import { parseCertificate } from '@eds/core/x509';
import {
  MechanismNotSupportedError,
  ProviderError,
  ProviderUnavailableError,
  TokenNotPresentError,
  UserCancelledError,
} from '@eds/pkcs11/errors';
import { createNcaLayerAdapter, type NcaLayerAdapterOptions, type WebSocketConstructor } from '@eds/pkcs11/ncalayer';
import type { TokenRef } from '@eds/pkcs11/types';
import type {
  NcaLayerMode,
  NcaLayerRequest,
  NcaLayerServerHandle,
  NcaLayerServerOptions,
} from '@eds/test-support/ncalayer-server';
import { createTrustStore } from '@eds/verify/trust';
import { verify } from '@eds/verify/verify';
import { verifyXml } from '@eds/verify/verify-xml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

declare module 'vitest/browser' {
  interface BrowserCommands {
    ncaLayer(action: string, ...args: unknown[]): Promise<unknown>;
  }
}

const inBrowser = typeof window !== 'undefined' && typeof document !== 'undefined';

/** The server's commands: through the test server in the browser, directly in Node (non-literal specifiers keep Vite from bundling Node code for the browser). */
async function command(action: string, ...args: unknown[]): Promise<unknown> {
  if (inBrowser) {
    const { commands } = await import('vitest/browser');
    return commands.ncaLayer(action, ...args);
  }
  const spec = '@eds/test-support/ncalayer-server';
  const m = (await import(/* @vite-ignore */ spec)) as typeof import('@eds/test-support/ncalayer-server');
  return m.ncaLayerCommand(action, ...args);
}

async function webSocket(): Promise<WebSocketConstructor> {
  if (inBrowser) return globalThis.WebSocket;
  const spec = 'ws';
  return ((await import(/* @vite-ignore */ spec)) as { WebSocket: WebSocketConstructor }).WebSocket;
}

interface Server extends NcaLayerServerHandle {
  requests(): Promise<NcaLayerRequest[]>;
  mode(mode: NcaLayerMode): Promise<unknown>;
  stop(): Promise<unknown>;
}

const servers: Server[] = [];
let WS: WebSocketConstructor;

async function start(options: NcaLayerServerOptions = {}): Promise<Server> {
  const h = (await command('start', options)) as NcaLayerServerHandle;
  const server: Server = {
    ...h,
    requests: async () => (await command('requests', h.id)) as NcaLayerRequest[],
    mode: (mode) => command('mode', h.id, mode),
    stop: () => command('stop', h.id),
  };
  servers.push(server);
  return server;
}

const adapterFor = (server: Server, o: NcaLayerAdapterOptions = {}) =>
  createNcaLayerAdapter({ url: server.url, WebSocket: WS, connectTimeoutMs: 5000, requestTimeoutMs: 20_000, ...o });

const PKCS12: TokenRef = { provider: 'ncalayer', tokenId: 'PKCS12' };
const KAZTOKEN: TokenRef = { provider: 'ncalayer', tokenId: 'AKKaztokenStore' };
const doc = new TextEncoder().encode('Шарт № 7 / Договор № 7\n');
const xmlDoc = '<?xml version="1.0" encoding="UTF-8"?><doc><amount currency="KZT">1000</amount></doc>';

let server: Server;

beforeAll(async () => {
  WS = await webSocket();
  server = await start({ activeTokens: ['AKKaztokenStore', 'AKKZIDCardStore', 'not a name!', 'AKKaztokenStore'] });
}, 60_000);

afterAll(async () => {
  for (const s of servers) await s.stop();
});

async function verifyCms(h: Server, p7s: Uint8Array, content?: Uint8Array) {
  return verify({
    signature: p7s,
    content,
    trust: createTrustStore(base64Decode(h.caCertificate)),
    revocationData: { crls: [base64Decode(h.crl)] },
  });
}

async function verifyXmlDoc(h: Server, xml: string) {
  return verifyXml({
    xml,
    trust: createTrustStore(base64Decode(h.caCertificate)),
    revocationData: { crls: [base64Decode(h.crl)] },
  });
}

/** The rejection of `p`, which must reject. */
async function rejection(p: Promise<unknown>): Promise<Error> {
  const settled = await p.then(
    (v) => ({ ok: true as const, v }),
    (e: unknown) => ({ ok: false as const, e }),
  );
  if (settled.ok) throw new Error(`expected a rejection, got ${String(settled.v)}`);
  return settled.e as Error;
}

/** Waits until the server has received `n` requests (the adapter is then waiting for a reply). */
async function receivedCount(h: Server, n: number): Promise<void> {
  for (let i = 0; i < 500 && (await h.requests()).length < n; i++) await new Promise((r) => setTimeout(r, 10));
}

describe('NCALayer adapter: storages and certificates', () => {
  it('lists PKCS12 and the active storages (deduplicated, bad names dropped) with what the provider can tell', async () => {
    const nca = adapterFor(server);
    const tokens = await nca.listTokens();
    expect(tokens.map((t) => t.tokenId)).toEqual(['PKCS12', 'AKKaztokenStore', 'AKKZIDCardStore']);
    expect(tokens[1]).toMatchObject({
      provider: 'ncalayer',
      label: 'Kaztoken',
      loggedIn: 'unknown',
      pin: { state: 'unknown' },
    });
    expect(nca.capabilities).toMatchObject({
      enumerateTokens: true,
      pinRetries: 'none',
      pinEntry: 'provider-ui',
      rawSign: false,
    });
    expect(nca.capabilities.containerSign).toMatchObject({ cms: true, xml: true, detached: true });
    await expect(nca.getTokenInfo(KAZTOKEN)).resolves.toMatchObject({ tokenId: 'AKKaztokenStore', present: true });
    await expect(nca.getTokenInfo({ provider: 'ncalayer', tokenId: 'AKJaCartaStore' })).rejects.toBeInstanceOf(
      TokenNotPresentError,
    );
    await nca.close();
  });

  it('getKeyInfo gives one entry: the chosen certificate, keyId in lower-case hex, a private key', async () => {
    const nca = adapterFor(server);
    const [entry, ...rest] = await nca.listCertificates(PKCS12);
    expect(rest).toEqual([]);
    const certificate = base64Decode(server.certificate);
    expect(entry?.certificate).toEqual(certificate);
    expect(entry?.key).toEqual({
      provider: 'ncalayer',
      tokenId: 'PKCS12',
      keyId: parseCertificate(certificate).fingerprintHex('sha1'),
    });
    expect(entry).toMatchObject({
      hasPrivateKey: true,
      storage: 'PKCS12',
      keyAlgorithm: { kind: 'RSA', modulusBits: 2048 },
    });
    const last = (await server.requests()).at(-1);
    expect(last).toMatchObject({ module: 'kz.gov.pki.knca.commonUtils', method: 'getKeyInfo', args: ['PKCS12'] });
    await nca.close();
  });

  it("a Kazakh GOST 34.310 key is listed with kind 'other' and its OID (NCALayer signs it; no SDK scheme needed)", async () => {
    const h = await start({ kazakhGostKey: true });
    const nca = adapterFor(h);
    const [entry] = await nca.listCertificates(KAZTOKEN);
    expect(entry?.keyAlgorithm).toEqual({ kind: 'other', oid: '1.2.398.3.10.1.1.1.1' });
    const der = entry?.certificate as Uint8Array;
    expect(parseCertificate(der).subject.toString()).toBe(
      parseCertificate(base64Decode(h.certificate)).subject.toString(),
    );
    expect(der).not.toEqual(base64Decode(h.certificate)); // the SPKI OID differs
    expect(entry?.key.keyId).toBe(parseCertificate(der).fingerprintHex('sha1'));
    expect(nca.capabilities.algorithms).toContain('other');
    await nca.close();
  });

  it('login and logout resolve without a request (NCALayer asks in its own dialog); raw sign is refused', async () => {
    const nca = adapterFor(server);
    const before = (await server.requests()).length;
    await nca.login(KAZTOKEN, '123456');
    await nca.logout(KAZTOKEN);
    const raw = await rejection(nca.sign({ ...KAZTOKEN, keyId: '01' }, { type: 'data', data: doc }, { name: 'EdDSA' }));
    expect(raw).toBeInstanceOf(MechanismNotSupportedError);
    expect((await server.requests()).length).toBe(before);
    expect(JSON.stringify(await server.requests())).not.toContain('123456');
    await nca.close();
  });
});

describe('NCALayer adapter: CMS and XML built by NCALayer', () => {
  it('basics.sign attached (PEM from NCALayer) → DER CMS that verifies TOTAL_PASSED and carries the data', async () => {
    const nca = adapterFor(server);
    const p7s = await nca.signCms(KAZTOKEN, doc, { detached: false });
    expect(p7s[0]).toBe(0x30);
    expect(parseSignedData(p7s).content).toEqual(doc);
    const report = await verifyCms(server, p7s);
    expect(report.indication, JSON.stringify(report.signatures.map((s) => s.checks))).toBe('TOTAL_PASSED');
    const last = (await server.requests()).at(-1);
    expect(last).toMatchObject({
      module: 'kz.gov.pki.knca.basics',
      method: 'sign',
      args: {
        allowedStorages: ['AKKaztokenStore'],
        format: 'cms',
        signingParams: { decode: true, encapsulate: true, digested: false },
      },
    });
    expect(base64Decode((last?.args as { data?: string } | undefined)?.data ?? '')).toEqual(doc);
    await nca.close();
  });

  it('basics.sign detached verifies with the content and not with other content', async () => {
    const nca = adapterFor(server);
    const p7s = await nca.signCms(PKCS12, doc, { detached: true });
    expect(parseSignedData(p7s).content).toBeUndefined();
    expect((await verifyCms(server, p7s, doc)).indication).toBe('TOTAL_PASSED');
    expect((await verifyCms(server, p7s, new TextEncoder().encode('other'))).indication).not.toBe('TOTAL_PASSED');
    await nca.close();
  });

  it('commonUtils createCAdESFromBase64 (Base64 DER from NCALayer), attached and detached, verifies', async () => {
    const nca = adapterFor(server, { api: 'commonUtils' });
    const attached = await nca.signCms(KAZTOKEN, doc, { detached: false });
    const detached = await nca.signCms(KAZTOKEN, doc, { detached: true });
    expect((await verifyCms(server, attached)).indication).toBe('TOTAL_PASSED');
    expect((await verifyCms(server, detached, doc)).indication).toBe('TOTAL_PASSED');
    const calls = (await server.requests()).slice(-2);
    expect(
      calls.map((r) => [r.method, (r.args as unknown[])[0], (r.args as unknown[])[1], (r.args as unknown[])[3]]),
    ).toEqual([
      ['createCAdESFromBase64', 'AKKaztokenStore', 'SIGNATURE', true],
      ['createCAdESFromBase64', 'AKKaztokenStore', 'SIGNATURE', false],
    ]);
    await expect(nca.signCms(KAZTOKEN, doc, { detached: true, level: 'T' })).rejects.toBeInstanceOf(
      MechanismNotSupportedError,
    );
    await nca.close();
  });

  it('signXml through basics and through commonUtils verifies with verifyXml; a changed document does not', async () => {
    const viaBasics = adapterFor(server);
    const viaCommon = adapterFor(server, { api: 'commonUtils' });
    for (const nca of [viaBasics, viaCommon]) {
      const signed = await nca.signXml(KAZTOKEN, xmlDoc);
      const { report } = await verifyXmlDoc(server, signed);
      expect(report.indication, JSON.stringify(report.signatures.map((s) => s.checks))).toBe('TOTAL_PASSED');
      const changed = signed.replace('>1000<', '>9000<');
      expect(changed).not.toBe(signed);
      expect((await verifyXmlDoc(server, changed)).report.indication).not.toBe('TOTAL_PASSED');
      await nca.close();
    }
    const [a, b] = (await server.requests()).slice(-2);
    expect([a?.module, (a?.args as { format?: string } | undefined)?.format]).toEqual([
      'kz.gov.pki.knca.basics',
      'xml',
    ]);
    expect([b?.method, b?.args]).toEqual(['signXml', ['AKKaztokenStore', 'SIGNATURE', xmlDoc, '', '']]);
  });
});

describe('NCALayer adapter: one request at a time', () => {
  it('three concurrent signCms reach the server strictly one after another and all verify', async () => {
    const h = await start({ mode: 'slow', delayMs: 150 });
    const nca = adapterFor(h);
    const docs = ['один', 'екі', 'үш'].map((s) => new TextEncoder().encode(s));
    const signed = await Promise.all(docs.map((d) => nca.signCms(KAZTOKEN, d, { detached: true })));
    for (const [i, p7s] of signed.entries()) expect((await verifyCms(h, p7s, docs[i])).indication).toBe('TOTAL_PASSED');
    const requests = await h.requests();
    expect(requests.map((r) => r.concurrent)).toEqual([false, false, false]);
    for (let i = 1; i < requests.length; i++) {
      expect(requests[i]?.receivedSeq).toBeGreaterThan(requests[i - 1]?.answeredSeq ?? Number.POSITIVE_INFINITY);
    }
    await nca.close();
  });

  it('the server does flag two requests in flight on one connection (a raw client, not the adapter)', async () => {
    const h = await start({ mode: 'silent' });
    const socket = new WS(h.url);
    const request = JSON.stringify({ module: 'kz.gov.pki.knca.commonUtils', method: 'getActiveTokens' });
    let greeted = false;
    socket.addEventListener('message', () => {
      if (greeted) return;
      greeted = true;
      socket.send(request);
      socket.send(request);
    });
    await receivedCount(h, 2);
    expect((await h.requests()).map((r) => r.concurrent)).toEqual([false, true]);
    socket.close();
  });
});

describe('NCALayer adapter: failures are typed', () => {
  it('the user cancels: basics {"status":true,"body":{}} and commonUtils action.canceled → UserCancelledError', async () => {
    const h = await start({ mode: 'cancel' });
    const basics = adapterFor(h);
    const common = adapterFor(h, { api: 'commonUtils' });
    await expect(basics.signCms(PKCS12, doc, { detached: true })).rejects.toBeInstanceOf(UserCancelledError);
    await expect(basics.signXml(PKCS12, xmlDoc)).rejects.toBeInstanceOf(UserCancelledError);
    await expect(common.signCms(PKCS12, doc, { detached: true })).rejects.toBeInstanceOf(UserCancelledError);
    await expect(basics.listCertificates(PKCS12)).rejects.toBeInstanceOf(UserCancelledError);
    await basics.close();
    await common.close();
  });

  it('nothing listens on the port → ProviderUnavailableError not-running, saying to start NCALayer', async () => {
    const h = await start();
    await h.stop();
    const nca = adapterFor(h);
    const e = await rejection(nca.listTokens());
    expect(e).toBeInstanceOf(ProviderUnavailableError);
    expect((e as ProviderUnavailableError).reason).toBe('not-running');
    expect(e.message).toMatch(/NCALayer is not running: start it/);
    // A browser cannot tell a refused connection from a refused certificate; ws names the error.
    expect(e.message).toMatch(inBrowser ? /or its local certificate is not trusted/ : /ECONNREFUSED/);
    await nca.close();
  });

  it('no reply in time → ProviderUnavailableError timeout; the next request reconnects and succeeds', async () => {
    const h = await start({ mode: 'silent' });
    const nca = adapterFor(h, { requestTimeoutMs: 300 });
    const e = await rejection(nca.listTokens());
    expect([e instanceof ProviderUnavailableError, (e as ProviderUnavailableError).reason]).toEqual([true, 'timeout']);
    await h.mode('normal');
    await expect(nca.listTokens()).resolves.toHaveLength(2);
    expect((await h.requests()).map((r) => r.connection)).toEqual([1, 2]);
    await nca.close();
  });

  it('abort: the pending request rejects with the reason, a queued one too, and the next request reconnects', async () => {
    const h = await start({ mode: 'silent' });
    const nca = adapterFor(h);
    const pending = new AbortController();
    const queued = new AbortController();
    const first = rejection(nca.signCms(PKCS12, doc, { detached: true, signal: pending.signal }));
    const second = rejection(nca.listTokens({ signal: queued.signal }));
    await receivedCount(h, 1);
    queued.abort();
    expect((await second).name).toBe('AbortError');
    pending.abort(new Error('user left the page'));
    expect((await first).message).toBe('user left the page');
    const already = new AbortController();
    already.abort();
    expect((await rejection(nca.listTokens({ signal: already.signal }))).name).toBe('AbortError');
    await h.mode('normal');
    await expect(nca.listTokens()).resolves.toHaveLength(2);
    expect((await h.requests()).map((r) => [r.connection, r.method])).toEqual([
      [1, 'sign'],
      [2, 'getActiveTokens'],
    ]);
    await nca.close();
  });

  it("NCALayer's error message is surfaced as a ProviderError, without control characters and bounded", async () => {
    const errorMessage = `java.lang.IllegalStateException: boom\r\n\u0007${'x'.repeat(5000)}`;
    const h = await start({ mode: 'error', errorMessage });
    for (const api of ['basics', 'commonUtils'] as const) {
      const nca = adapterFor(h, { api });
      const e = await rejection(nca.signCms(KAZTOKEN, doc, { detached: true }));
      expect(e).toBeInstanceOf(ProviderError);
      expect(e.message).toContain('java.lang.IllegalStateException: boom');
      expect(e.message.length).toBeLessThan(400);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: checking their absence
      expect(e.message).not.toMatch(/[\u0000-\u001f]/);
      await nca.close();
    }
  });

  it('an answer that is no CMS (the empty PEM of the public transcripts, a placeholder text) → ProviderError', async () => {
    const h = await start({ mode: 'empty' });
    for (const api of ['basics', 'commonUtils'] as const) {
      const nca = adapterFor(h, { api });
      const e = await rejection(nca.signCms(KAZTOKEN, doc, { detached: true }));
      expect([api, e instanceof ProviderError, e.message]).toEqual([
        api,
        true,
        'the ncalayer provider returned a malformed CMS',
      ]);
      await nca.close();
    }
  });

  // Vitest's Playwright context sets ignoreHTTPSErrors, so Chromium here accepts the self-signed
  // certificate: the browser run proves the wss:// transport, the Node run (ws) the TLS error mapping.
  it('wss:// with a self-signed local certificate: Node (ws) reports certificate-untrusted; this Chromium, which ignores certificate errors, signs over wss', async () => {
    const h = await start({ tls: true });
    expect(h.url.startsWith('wss://127.0.0.1:')).toBe(true);
    const nca = adapterFor(h);
    if (inBrowser) {
      const p7s = await nca.signCms(KAZTOKEN, doc, { detached: true });
      expect((await verifyCms(h, p7s, doc)).indication).toBe('TOTAL_PASSED');
    } else {
      const e = await rejection(nca.listTokens());
      expect(e).toBeInstanceOf(ProviderUnavailableError);
      expect((e as ProviderUnavailableError).reason).toBe('certificate-untrusted');
      expect(e.message).toMatch(/open https:\/\/127\.0\.0\.1:13579 once and accept it/);
      expect(await h.requests()).toEqual([]);
    }
    await nca.close();
  });

  it('close() is terminal: a socket still connecting is closed, requests in flight, queued and later reject typed (F-I)', async () => {
    const h = await start({ mode: 'silent' });
    const sockets: { readyState: number }[] = [];
    let onSocket: (() => void) | undefined;
    const Base = WS as unknown as new (url: string) => { readyState: number };
    class Tracking extends Base {
      constructor(url: string) {
        super(url);
        sockets.push(this);
        if (onSocket) queueMicrotask(onSocket); // after the adapter has set the socket up, before it opens
      }
    }
    const closedError = (e: Error) => [
      e instanceof ProviderUnavailableError,
      (e as ProviderUnavailableError).reason,
      e.message,
    ];
    const expected = [true, 'not-running', 'the NCALayer adapter is closed'];

    // close() while the first socket is still connecting
    const a = adapterFor(h, { WebSocket: Tracking as unknown as WebSocketConstructor });
    onSocket = () => void a.close();
    const connecting = a.listTokens();
    const queued = a.listCertificates(PKCS12);
    expect(closedError(await rejection(connecting))).toEqual(expected);
    expect(closedError(await rejection(queued))).toEqual(expected);
    expect(closedError(await rejection(a.signCms(KAZTOKEN, doc, { detached: true })))).toEqual(expected);
    expect(sockets).toHaveLength(1); // no reconnection after close()

    // close() while a request waits for NCALayer's reply
    onSocket = undefined;
    const b = adapterFor(h, { WebSocket: Tracking as unknown as WebSocketConstructor });
    const waiting = b.signCms(KAZTOKEN, doc, { detached: true });
    const next = b.listTokens();
    await receivedCount(h, 1);
    await b.close();
    expect(closedError(await rejection(waiting))).toEqual(expected);
    expect(closedError(await rejection(next))).toEqual(expected);
    await expect.poll(() => sockets.map((x) => x.readyState)).toEqual([3, 3]); // CLOSED: nothing keeps Node alive
    expect((await h.requests()).map((r) => r.method)).toEqual(['sign']);
    await b.close(); // idempotent
  });

  it('a CMS over other bytes is refused (messageDigest, content); XML without a ds:Signature is refused', async () => {
    const h = await start({ mode: 'other-content' });
    for (const api of ['basics', 'commonUtils'] as const) {
      const nca = adapterFor(h, { api });
      const detached = await rejection(nca.signCms(KAZTOKEN, doc, { detached: true }));
      expect([api, detached instanceof ProviderError, detached.message]).toEqual([
        api,
        true,
        'the ncalayer provider returned a CMS whose messageDigest does not match the data',
      ]);
      const attached = await rejection(nca.signCms(KAZTOKEN, doc, { detached: false }));
      expect([api, attached instanceof ProviderError, attached.message]).toEqual([
        api,
        true,
        'the ncalayer provider signed other content',
      ]);
      await nca.close();
    }
    await h.mode('unsigned-xml');
    for (const api of ['basics', 'commonUtils'] as const) {
      const nca = adapterFor(h, { api });
      const e = await rejection(nca.signXml(KAZTOKEN, xmlDoc));
      expect([api, e instanceof ProviderError, e.message]).toEqual([
        api,
        true,
        'NCALayer returned XML without a ds:Signature',
      ]);
      await nca.close();
    }
  });

  it('the connection closes mid-request → ProviderUnavailableError not-running', async () => {
    const h = await start({ mode: 'close' });
    const nca = adapterFor(h);
    const e = await rejection(nca.signCms(KAZTOKEN, doc, { detached: false }));
    expect([e instanceof ProviderUnavailableError, (e as ProviderUnavailableError).reason]).toEqual([
      true,
      'not-running',
    ]);
    await nca.close();
  });

  it('misuse is refused before anything is sent: another provider, CAdES-XLT1, a TSA URL', async () => {
    const nca = adapterFor(server);
    const before = (await server.requests()).length;
    await expect(
      nca.signCms({ provider: 'pkcs11', tokenId: 'PKCS12' }, doc, { detached: true }),
    ).rejects.toBeInstanceOf(TokenNotPresentError);
    await expect(nca.signCms(PKCS12, doc, { detached: true, level: 'XLT1' })).rejects.toBeInstanceOf(
      MechanismNotSupportedError,
    );
    await expect(nca.signCms(PKCS12, doc, { detached: true, tsaUrl: 'http://tsp.pki.gov.kz' })).rejects.toBeInstanceOf(
      MechanismNotSupportedError,
    );
    expect((await server.requests()).length).toBe(before);
    await nca.close();
  });
});
