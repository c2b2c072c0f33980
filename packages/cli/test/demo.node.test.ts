// `eds demo` end to end in-process: the loopback PKI services, CAdES-T and SMEV 3 signatures valid before and refused after the revocation of their signers, and nothing left running or behind; the services' answers to bad requests.
import { readdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { decodeDer, der } from '@eds/core/asn1';
import { parseOcspResponse } from '@eds/core/ocsp';
import { parseTimestampResponse } from '@eds/core/tsp';
import { describe, expect, it } from 'vitest';
import { createDemoPki } from '../src/_demo-pki';
import { startDemoServices } from '../src/_demo-services';
import { runDemo } from '../src/demo';
import { eds } from './_eds';

/** Whether something accepts TCP connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const tcpServers = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;
const demoDirs = async () => (await readdir(tmpdir())).filter((n) => n.startsWith('eds-demo'));

describe('eds demo', () => {
  it('signs and verifies CAdES-T and SMEV 3 before and after revocation, and leaves nothing running or behind', async () => {
    const servers = tcpServers();
    const dirs = await demoDirs();
    const r = await eds(['demo']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    // the Russian and English verdicts: valid, then invalid for the revoked signer
    for (const text of [
      'Подлинность документа подтверждена',
      'Signature is valid',
      'Подпись недействительна',
      'Signature is invalid',
      'Сертификат подписанта отозван',
      "The signer's certificate has been revoked",
    ]) {
      expect(r.out).toContain(text);
    }
    // the revocation reasons as the verifier found them, in both languages
    expect(r.out).toContain('причина: компрометация ключа, источник: OCSP');
    expect(r.out).toContain('reason: key compromise, source: OCSP');
    expect(r.out).toContain('причина: изменение сведений о владельце');
    expect(r.out).toContain('reason: affiliation changed');
    // the XML steps
    expect(r.out).toContain('СМЭВ 3');
    expect(r.out).toContain('Id="SIGNED_BY_CONSUMER"');
    expect(r.out).toContain('Формат: XMLDSig');
    expect(r.out).toContain('Format: CAdES-T');
    expect(r.out.match(/получено \/ got TOTAL_PASSED: OK/g)).toHaveLength(3);
    expect(r.out).toContain('got TOTAL_FAILED/REVOKED: OK');
    expect(r.out).toContain('got INDETERMINATE/REVOKED_NO_POE: OK');
    expect(r.out).not.toContain('UNEXPECTED');
    expect(r.out).toMatch(/requests served: OCSP [1-9]\d*, CRL [1-9]\d*, TSA 2\n/);
    // the steps are numbered 1-10
    for (let n = 1; n <= 10; n++) expect(r.out).toMatch(new RegExp(`^${n}\\. \\S`, 'm'));
    // nothing left: the three ports refuse connections, no server handle, no temporary directory
    const ports = [...new Set([...r.out.matchAll(/http:\/\/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1])))];
    expect(ports).toHaveLength(3);
    for (const port of ports) expect(await listening(port)).toBe(false);
    expect(tcpServers()).toBe(servers);
    expect(await demoDirs()).toEqual(dirs);
  }, 120_000);

  it('shows progress on stderr only when stderr is a terminal', async () => {
    let out = '';
    let err = '';
    const io = {
      stdout: (t: string) => (out += t),
      stderr: (t: string) => (err += t),
      stdin: (async function* () {})(),
      isTTY: true,
    };
    expect(await runDemo(io)).toBe(0);
    expect(err).toContain('проверка / verifying');
    expect(err).toContain('\r\x1b[K');
    expect(out).not.toContain('\r');
  }, 120_000);
});

describe('the demo services', () => {
  it('answer bad requests with errors and limits, not crashes', async () => {
    const services = await startDemoServices();
    try {
      const notReady = await fetch(`${services.crlUrl}/ca.crl`);
      expect(notReady.status).toBe(503);
      const pki = await createDemoPki(services);
      services.serve({ cas: { root: pki.root, ca: pki.ca }, tsa: pki.tsa });
      const post = (url: string, body: Uint8Array) => fetch(url, { method: 'POST', body: new Uint8Array(body) });
      // CRL: fresh, parseable; unknown paths and methods refused
      const crl = await fetch(`${services.crlUrl}/ca.crl`);
      expect(crl.headers.get('content-type')).toBe('application/pkix-crl');
      expect(decodeDer(new Uint8Array(await crl.arrayBuffer())).tag).toBe(0x30);
      expect((await fetch(`${services.crlUrl}/nope.crl`)).status).toBe(404);
      expect((await post(`${services.crlUrl}/ca.crl`, new Uint8Array(1))).status).toBe(405);
      // OCSP: garbage gets malformedRequest; too large a body 413
      const bad = await post(`${services.ocspUrl}/ca`, new Uint8Array([1, 2, 3]));
      expect(parseOcspResponse(new Uint8Array(await bad.arrayBuffer())).responseStatus).toBe('malformedRequest');
      expect((await post(`${services.ocspUrl}/ca`, new Uint8Array(20_000))).status).toBe(413);
      // GET with a bad percent-escape, bad Base64, or a query string: malformedRequest too
      for (const path of ['%E0%A4%A', '!!!not-base64', 'MAA%3D?x=1']) {
        const got = await fetch(`${services.ocspUrl}/ca/${path}`);
        expect(got.status).toBe(200);
        expect(parseOcspResponse(new Uint8Array(await got.arrayBuffer())).responseStatus).toBe('malformedRequest');
      }
      expect((await post(`${services.ocspUrl}/nobody`, new Uint8Array(1))).status).toBe(404);
      // TSA: garbage and an unknown hash are rejected with the failure bit
      const junk = parseTimestampResponse(
        new Uint8Array(await (await post(services.tsaUrl, new Uint8Array(4))).arrayBuffer()),
      );
      expect(junk.status.status).toBe('rejection');
      expect(junk.status.failInfo).toContain('badDataFormat');
      const md5 = der.seq(der.int(1), der.seq(der.seq(der.oid('1.2.840.113549.2.5')), der.octets(new Uint8Array(16))));
      const alg = parseTimestampResponse(new Uint8Array(await (await post(services.tsaUrl, md5)).arrayBuffer()));
      expect(alg.status.failInfo).toContain('badAlg');
      expect((await fetch(services.tsaUrl)).status).toBe(405);
      expect(services.counts().tsa).toBe(3);
    } finally {
      await services.close();
    }
    await services.close(); // twice is harmless
  }, 60_000);
});
