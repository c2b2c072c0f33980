// End-to-end tests of the verification service: a GOST and an ECDSA test PKI with a loopback CRL server, the service in-process on a free port and as a child process the way the README starts it.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signCms } from '@eds/core/cms';
import { createFetcher } from '@eds/core/fetcher';
import { type LoopbackServer, startLoopbackServer } from '@eds/test-support/server';
import { createTrustStore } from '@eds/verify/trust';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSamplePki, type SamplePki, writeSample } from '../src/sample.ts';
import { start, type VerifyResponse } from '../src/service.ts';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const VALID_RU = 'Подлинность документа подтверждена';
const VALID_EN = 'Signature is valid';
const MAX_DOCUMENT = 256 << 10;
const MAX_SIGNATURE = 4 << 10;

let crlServer: LoopbackServer;
let gost: SamplePki;
let ecdsa: SamplePki;
let service: Awaited<ReturnType<typeof start>>;
const logLines: string[] = [];

beforeAll(async () => {
  const cas: Record<string, SamplePki> = {};
  // CRLs made on each request, so that a revocation shows at once
  crlServer = await startLoopbackServer(
    async (req) => {
      const [, pki, file] = req.url.split('/');
      const owner = cas[pki ?? ''];
      if (!owner || (file !== 'root.crl' && file !== 'ca.crl')) return { status: 404 };
      const crl = await (file === 'root.crl' ? owner.root : owner.ca).createCrl();
      return { headers: { 'content-type': 'application/pkix-crl' }, body: crl };
    },
    { maxRequests: 1000, lifetimeMs: 600_000 },
  );
  gost = await createSamplePki({ keySpec: { type: 'gost2012-256' }, crlBase: `${crlServer.url}/gost` });
  ecdsa = await createSamplePki({ keySpec: { type: 'ecdsa', curve: 'P-256' }, crlBase: `${crlServer.url}/ecdsa` });
  cas.gost = gost;
  cas.ecdsa = ecdsa;
  service = await start({
    port: 0,
    trust: createTrustStore([gost.root.certificate, ecdsa.root.certificate]),
    intermediates: [gost.ca.certificate, ecdsa.ca.certificate],
    revocation: 'require',
    fetcher: createFetcher({ timeoutMs: 5_000, hostPolicy: (url) => url.hostname === '127.0.0.1' }),
    maxDocumentBytes: MAX_DOCUMENT,
    maxSignatureBytes: MAX_SIGNATURE,
    log: (line) => logLines.push(line),
  });
});

afterAll(async () => {
  await service?.close(1_000);
  await crlServer?.close();
});

function multipart(parts: readonly [string, Uint8Array | string][]): FormData {
  const form = new FormData();
  for (const [name, value] of parts)
    form.append(name, new Blob([typeof value === 'string' ? value : Uint8Array.from(value)]), `${name}.bin`);
  return form;
}

async function post(body: FormData | string, headers: Record<string, string> = {}) {
  const res = await fetch(`${service.url}/verify`, { method: 'POST', body, headers });
  return {
    status: res.status,
    body: (await res.json()) as VerifyResponse & { error?: { code: string; message: string } },
  };
}

function b64(bytes: Uint8Array | string): string {
  return Buffer.from(bytes).toString('base64');
}

describe('GET /health', () => {
  it('answers ok with the version', async () => {
    const res = await fetch(`${service.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', version: '0.0.0' });
  });
});

describe('POST /verify', () => {
  it('passes a detached GOST signature sent as multipart, the document streamed after it, revocation fetched', async () => {
    const before = crlServer.requests.length;
    const { status, body } = await post(
      multipart([
        ['signature', gost.detached],
        ['document', gost.document],
      ]),
    );
    expect(status).toBe(200);
    expect(body.indication).toBe('TOTAL_PASSED');
    expect(body.report.indication).toBe('TOTAL_PASSED');
    expect(body.report.signatures[0]?.signer?.commonName).toBe('Иванов Иван Иванович');
    expect(body.summary.ru).toContain(VALID_RU);
    expect(body.summary.en).toContain(VALID_EN);
    const fetched = crlServer.requests.slice(before).map((r) => r.url);
    expect(fetched).toContain('/gost/ca.crl');
  });

  it('passes a detached ECDSA signature with the document part first', async () => {
    const { status, body } = await post(
      multipart([
        ['document', ecdsa.document],
        ['signature', ecdsa.detached],
      ]),
    );
    expect(status).toBe(200);
    expect(body.indication).toBe('TOTAL_PASSED');
    expect(body.summary.en).toContain(VALID_EN);
  });

  it('fails a tampered document with HASH_FAILURE', async () => {
    const tampered = Uint8Array.from(gost.document);
    tampered[3] = (tampered[3] as number) ^ 1;
    const { status, body } = await post(
      multipart([
        ['signature', gost.detached],
        ['document', tampered],
      ]),
    );
    expect(status).toBe(200);
    expect(body.indication).toBe('TOTAL_FAILED');
    expect(body.subIndication).toBe('HASH_FAILURE');
    expect(body.summary.ru).not.toContain(VALID_RU);
    expect(body.summary.en).toMatch(/hash does not match/);
  });

  it('passes an attached signature sent as JSON', async () => {
    const { status, body } = await post(JSON.stringify({ signature: b64(gost.attached) }), {
      'content-type': 'application/json',
    });
    expect(status).toBe(200);
    expect(body.indication).toBe('TOTAL_PASSED');
    expect(body.report.container).toBe('CMS');
  });

  it('passes a detached ECDSA signature sent as JSON', async () => {
    const json = JSON.stringify({ signature: b64(ecdsa.detached), document: b64(ecdsa.document) });
    const { body } = await post(json, { 'content-type': 'application/json; charset=utf-8' });
    expect(body.indication).toBe('TOTAL_PASSED');
  });

  it('reads a large Base64 document in JSON (8 MiB): a report, not a 500', async () => {
    const roomy = await start({
      port: 0,
      trust: createTrustStore([ecdsa.root.certificate]),
      revocation: 'off',
      maxDocumentBytes: 16 << 20,
      log: () => {},
    });
    try {
      const big = new Uint8Array(8 << 20).fill(0x41);
      const json = JSON.stringify({ signature: b64(ecdsa.detached), document: b64(big) });
      const res = await fetch(`${roomy.url}/verify`, {
        method: 'POST',
        body: json,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as VerifyResponse;
      expect([body.indication, body.subIndication]).toEqual(['TOTAL_FAILED', 'HASH_FAILURE']);
    } finally {
      await roomy.close(1_000);
    }
  });

  it('passes a signed XML sent as the signature part, and as the only part named document', async () => {
    for (const name of ['signature', 'document']) {
      const { status, body } = await post(multipart([[name, gost.xml]]));
      expect(status).toBe(200);
      expect(body.indication).toBe('TOTAL_PASSED');
      expect(body.summary.ru).toContain(VALID_RU);
    }
  });

  it('fails a signed XML whose content was changed', async () => {
    const { body } = await post(multipart([['signature', gost.xml.replace('Пример', 'Примеp')]]));
    expect(body.indication).toBe('TOTAL_FAILED');
  });

  it('does not pass a signature whose signer was revoked before it was checked', async () => {
    const signer = await ecdsa.ca.issue({ subject: { commonName: 'Revoked Signer' }, profile: 'plain' });
    const signature = await signCms({ content: ecdsa.document, signers: [signer.signer], detached: true });
    ecdsa.ca.revoke(signer.serial, { reason: 'keyCompromise', time: new Date(Date.now() - 60_000) });
    const { status, body } = await post(
      multipart([
        ['signature', signature],
        ['document', ecdsa.document],
      ]),
    );
    expect(status).toBe(200);
    expect(body.indication).not.toBe('TOTAL_PASSED');
    expect(body.subIndication).toMatch(/REVOKED/);
  });

  it('answers 413 for a document over the limit, declared or streamed', async () => {
    const big = new Uint8Array(MAX_DOCUMENT + 1);
    const declared = await post(
      multipart([
        ['signature', gost.detached],
        ['document', big],
      ]),
    );
    expect(declared.status).toBe(413);
    expect(declared.body.error?.code).toBe('PAYLOAD_TOO_LARGE');
    // chunked, without Content-Length: caught while the document streams
    const boundary = 'xyz123';
    const head = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="signature"\r\n\r\n`),
      gost.detached,
      Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="document"\r\n\r\n`),
    ]);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(head);
        else if (sent > MAX_DOCUMENT * 2) controller.close();
        else controller.enqueue(new Uint8Array(16 << 10));
        sent += 16 << 10;
      },
    });
    const res = await fetch(`${service.url}/verify`, {
      method: 'POST',
      body: stream,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/document is larger/);
  });

  it('answers 413 for a detached signature over its limit', async () => {
    // a valid detached signature made large by extra certificates in SignedData.certificates
    const extra = await Promise.all(Array.from({ length: 8 }, () => ecdsa.ca.issue({ profile: 'plain' })));
    const signature = await signCms({
      content: ecdsa.document,
      signers: [ecdsa.signer.signer],
      detached: true,
      certificates: extra.map((c) => c.certificate),
    });
    expect(signature.length).toBeGreaterThan(MAX_SIGNATURE);
    const { status, body } = await post(
      multipart([
        ['signature', signature],
        ['document', ecdsa.document],
      ]),
    );
    expect(status).toBe(413);
    expect(body.error?.message).toMatch(/detached signature is larger than 4096 bytes/);
  });

  it.each([
    [
      'garbage as the signature',
      () =>
        post(
          multipart([
            ['signature', 'not a signature at all'],
            ['document', 'x'],
          ]),
        ),
      'SIGNATURE_UNREADABLE',
    ],
    ['XML that is not signed', () => post(multipart([['signature', '<a>no signature</a>']])), 'SIGNATURE_UNREADABLE'],
    ['a detached signature without its document', () => post(multipart([['signature', gost.detached]])), 'BAD_REQUEST'],
    [
      'an attached signature with a document',
      () =>
        post(
          multipart([
            ['signature', gost.attached],
            ['document', 'x'],
          ]),
        ),
      'BAD_REQUEST',
    ],
    ['an unknown part', () => post(multipart([['file', 'x']])), 'BAD_REQUEST'],
    [
      'a part twice',
      () =>
        post(
          multipart([
            ['signature', gost.detached],
            ['signature', gost.detached],
          ]),
        ),
      'BAD_REQUEST',
    ],
    ['JSON that does not parse', () => post('{"signature":', { 'content-type': 'application/json' }), 'BAD_REQUEST'],
    ['JSON with bad Base64', () => post('{"signature":"***"}', { 'content-type': 'application/json' }), 'BAD_REQUEST'],
    ['JSON with an unknown field', () => post('{"sig":"AAAA"}', { 'content-type': 'application/json' }), 'BAD_REQUEST'],
    [
      'multipart without a closing boundary',
      () =>
        post('--b\r\nContent-Disposition: form-data; name="signature"\r\n\r\nabc', {
          'content-type': 'multipart/form-data; boundary=b',
        }),
      'BAD_REQUEST',
    ],
  ])('answers 400 for %s', async (_, send, code) => {
    const { status, body } = await send();
    expect(status).toBe(400);
    expect(body.error?.code).toBe(code);
    expect(body.error?.message).toBeTruthy();
    expect(JSON.stringify(body)).not.toMatch(/\n\s+at /); // no stack traces
  });

  it('answers 415 for another content type, 405 for another method, 404 elsewhere', async () => {
    expect((await post('x', { 'content-type': 'text/plain' })).status).toBe(415);
    const get = await fetch(`${service.url}/verify`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await fetch(`${service.url}/nothing`)).status).toBe(404);
  });

  it('logs one JSON line per request, without document contents', () => {
    expect(logLines.length).toBeGreaterThan(10);
    for (const line of logLines) {
      const entry = JSON.parse(line);
      expect(entry).toMatchObject({ method: expect.any(String), path: expect.any(String), status: expect.any(Number) });
      expect(line).not.toContain('Договор');
      expect(line).not.toContain('Пример');
    }
  });
});

describe('busy and slow requests', () => {
  it('answers 503 BUSY past the concurrency limit and 503 TIMEOUT for a request that stalls', async () => {
    const slow = await start({
      trust: createTrustStore(gost.root.certificate),
      maxConcurrent: 1,
      requestTimeoutMs: 1_500,
      log: () => {},
    });
    try {
      // an upload that sends its first bytes and then nothing; it holds the only slot from its 'request' event on
      const arrived = new Promise((resolve) => slow.server.once('request', resolve));
      const stalled = fetch(`${slow.url}/verify`, {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=b' },
        body: new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(Buffer.from('--b\r\nContent-Disposition: form-data; name="signature"\r\n\r\n'));
          },
        }),
        duplex: 'half',
      } as RequestInit);
      await arrived;
      const busy = await fetch(`${slow.url}/verify`, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
      expect(busy.status).toBe(503);
      expect(busy.headers.get('retry-after')).toBe('1');
      expect(((await busy.json()) as { error: { code: string } }).error.code).toBe('BUSY');
      const res = await stalled;
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('TIMEOUT');
    } finally {
      await slow.close(500);
    }
  });
});

describe('as a child process (the README way)', () => {
  let child: ChildProcess | undefined;
  let dir: string | undefined;

  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('starts from the environment, verifies offline with the sample CRLs, and stops on SIGTERM', async () => {
    dir = mkdtempSync(join(tmpdir(), 'eds-verify-service-'));
    const sample = await writeSample(dir, { keySpec: { type: 'gost2012-256' } });
    child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: PACKAGE_DIR,
      env: {
        ...process.env,
        EDS_TRUST: join(dir, 'root.pem'),
        EDS_INTERMEDIATES: join(dir, 'intermediates.pem'),
        EDS_CRL: join(dir, 'crl'),
        EDS_OFFLINE: '1',
        EDS_PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr?.on('data', (d) => {
      err += d;
    });
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      child?.stdout?.on('data', (d) => {
        out += d;
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      void exited.then((code) => reject(new Error(`exited with ${code}: ${err}`)));
    });
    expect(out).toMatch(/1 trust anchors, offline, revocation require/);
    const form = multipart([
      ['signature', sample.detached],
      ['document', sample.document],
    ]);
    const res = await fetch(`${url}/verify`, { method: 'POST', body: form });
    const body = (await res.json()) as VerifyResponse;
    expect(res.status).toBe(200);
    expect(body.indication).toBe('TOTAL_PASSED');
    expect(body.summary.ru).toContain(VALID_RU);
    const xml = await fetch(`${url}/verify`, { method: 'POST', body: multipart([['document', sample.xml]]) });
    expect(((await xml.json()) as VerifyResponse).indication).toBe('TOTAL_PASSED');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toMatch(/"path":"\/verify".*"status":200/);
    expect(out).toContain('verify-service stopped');
    expect(err).toBe('');
  });
});
