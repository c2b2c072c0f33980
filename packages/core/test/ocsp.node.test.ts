// OCSP views against OpenSSL: requests made by `openssl ocsp`, answered by its one-shot responder from an index.txt (ECDSA P-256 and GOST 2012-256 CAs), compared with `-text`.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodePem } from '@eds/core/encoding';
import type { Name } from '@eds/core/name';
import { type CertId, parseOcspRequest, parseOcspResponse } from '@eds/core/ocsp';
import { opensslText } from '@eds/test-support/openssl';
import { withTempDir } from '@eds/test-support/temp';
import { describe, expect, it } from 'vitest';
import { hex, opensslDate, opensslSerial } from './_openssl-text';

/** One Certificate ID block of `openssl ocsp -text`, with the status lines that follow it in a response. */
interface OpensslSingle {
  hash: string;
  nameHash: string;
  keyHash: string;
  serial: bigint;
  status?: string;
  revocationTime?: Date;
  reason?: string;
  thisUpdate?: Date;
  nextUpdate?: Date;
}

/** What `openssl ocsp -respin ... -text` or `-reqin ... -text` prints, read from its text. */
interface OpensslOcsp {
  status?: string;
  responderId?: string;
  producedAt?: Date;
  singles: OpensslSingle[];
  /** The extnValue of the nonce extension as hex (OpenSSL prints the whole value). */
  nonce?: string;
}

function parseOpensslOcsp(text: string): OpensslOcsp {
  // the responder certificate printed after the response has its own Serial Number lines
  const lines = text.split(/\nCertificate:\n/)[0]?.split('\n') ?? [];
  const out: OpensslOcsp = { singles: [] };
  lines.forEach((line, i) => {
    const m = /^\s+([A-Za-z ]+?)\s*: (.*)$/.exec(line);
    const last = out.singles.at(-1);
    if (/^\s+OCSP Nonce:/.test(line)) out.nonce = lines[i + 1]?.trim().toLowerCase();
    if (!m) return;
    const [, key, value] = m as unknown as [string, string, string];
    if (key === 'OCSP Response Status') out.status = value.split(' ')[0];
    else if (key === 'Responder Id') out.responderId = value;
    else if (key === 'Produced At') out.producedAt = opensslDate(value);
    else if (key === 'Hash Algorithm') out.singles.push({ hash: value, nameHash: '', keyHash: '', serial: -1n });
    else if (!last) return;
    else if (key === 'Issuer Name Hash') last.nameHash = value.toLowerCase();
    else if (key === 'Issuer Key Hash') last.keyHash = value.toLowerCase();
    else if (key === 'Serial Number') last.serial = opensslSerial(value);
    else if (key === 'Cert Status') last.status = value;
    else if (key === 'Revocation Time') last.revocationTime = opensslDate(value);
    else if (key === 'Revocation Reason') last.reason = value.split(' ')[0];
    else if (key === 'This Update') last.thisUpdate = opensslDate(value);
    else if (key === 'Next Update') last.nextUpdate = opensslDate(value);
  });
  return out;
}

/** OpenSSL's names of the CertID hash algorithms used here. */
const HASH_NAMES: Record<string, string> = {
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  'GOST R 34.11-2012 with 256 bit hash': '1.2.643.7.1.1.2.2',
};

/** A name in OpenSSL's default `oneline` form (`C = RU, O = Test, CN = OCSP Test CA`) for ASCII names. */
const SHORT: Record<string, string> = { '2.5.4.6': 'C', '2.5.4.10': 'O', '2.5.4.3': 'CN' };
const oneline = (n: Name) =>
  n.rdns.map((rdn) => rdn.map((a) => `${SHORT[a.type] ?? a.type} = ${a.value}`).join(' + ')).join(', ');

function expectCertId(ours: CertId, theirs: OpensslSingle | undefined, label: string): void {
  expect(theirs, label).toBeDefined();
  expect(ours.hashAlgorithm.oid, label).toBe(HASH_NAMES[theirs?.hash as string]);
  expect(hex(ours.issuerNameHash), label).toBe(theirs?.nameHash);
  expect(hex(ours.issuerKeyHash), label).toBe(theirs?.keyHash);
  expect(ours.serialNumber, label).toBe(theirs?.serial);
}

/** The nonce OpenSSL prints is the extnValue: an OCTET STRING around the nonce bytes (RFC 8954). */
function expectNonce(ours: Uint8Array | undefined, theirs: string | undefined, label: string): void {
  if (theirs === undefined) {
    expect(ours, label).toBeUndefined();
    return;
  }
  expect(ours, label).toBeDefined();
  const bytes = ours as Uint8Array;
  expect(theirs, label).toBe(`04${bytes.length.toString(16).padStart(2, '0')}${hex(bytes)}`);
}

interface Setup {
  label: string;
  gost: boolean;
  nonce: boolean;
  keyId: boolean;
}

const SETUPS: Setup[] = [
  { label: 'ECDSA P-256, nonce, responder by name', gost: false, nonce: true, keyId: false },
  { label: 'ECDSA P-256, no nonce, responder by key', gost: false, nonce: false, keyId: true },
  { label: 'GOST 2012-256, nonce, responder by key', gost: true, nonce: true, keyId: true },
  { label: 'GOST 2012-256, no nonce, responder by name', gost: true, nonce: false, keyId: false },
];

const SERIALS = [0x1001n, 0x7fa0b1n];
const REVOKED_REASON = 'keyCompromise';

/** A CA, two leaves and an index.txt (first leaf valid, second revoked yesterday with a reason). */
async function makeCa(dir: string, s: Setup): Promise<void> {
  const run = (args: string[]) => opensslText(args, { cwd: dir, gost: s.gost });
  const newKey = s.gost ? 'gost2012_256 paramset:A' : 'ec ec_paramgen_curve:P-256';
  const [alg, opt] = newKey.split(' ') as [string, string];
  const keyArgs = (file: string) => ['-newkey', alg, '-pkeyopt', opt, '-nodes', '-keyout', file];
  const md = s.gost ? ['-md_gost12_256'] : ['-sha256'];
  const ca = ['-out', 'ca.pem', '-subj', '/C=RU/O=Test/CN=OCSP Test CA', '-days', '30', ...md];
  await run(['req', '-x509', ...keyArgs('ca.key'), ...ca]);
  const expiry = new Date(Date.now() + 10 * 86_400_000);
  const revoked = new Date(Date.now() - 86_400_000);
  const index: string[] = [];
  for (const [i, serial] of SERIALS.entries()) {
    const leaf = `leaf${i + 1}`;
    await run(['req', '-new', ...keyArgs(`${leaf}.key`), '-subj', `/CN=Leaf ${i + 1}`, '-out', `${leaf}.csr`]);
    await run([
      'x509',
      '-req',
      '-in',
      `${leaf}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-set_serial',
      `0x${serial.toString(16)}`,
      '-days',
      '10',
      ...md,
      '-out',
      `${leaf}.pem`,
    ]);
    const hexSerial = serial.toString(16).toUpperCase().padStart(2, '0');
    const revocation = i === 1 ? `${utcTime(revoked)},${REVOKED_REASON}` : '';
    index.push(
      [i === 1 ? 'R' : 'V', utcTime(expiry), revocation, hexSerial, 'unknown', `/CN=Leaf ${i + 1}`].join('\t'),
    );
  }
  await writeFile(join(dir, 'index.txt'), `${index.join('\n')}\n`);
}

/** YYMMDDHHMMSSZ, the index.txt time form. */
function utcTime(d: Date): string {
  return `${d.toISOString().slice(2, 19).replace(/[-T:]/g, '')}Z`;
}

async function request(dir: string, s: Setup): Promise<void> {
  const args = ['ocsp', ...(s.gost ? ['-md_gost12_256'] : []), '-issuer', 'ca.pem', '-cert', 'leaf1.pem'];
  args.push('-cert', 'leaf2.pem', '-reqout', 'req.der', ...(s.nonce ? [] : ['-no_nonce']));
  await opensslText(args, { cwd: dir, gost: s.gost });
  const respond = ['ocsp', '-index', 'index.txt', '-rsigner', 'ca.pem', '-rkey', 'ca.key', '-CA', 'ca.pem'];
  respond.push('-reqin', 'req.der', '-respout', 'resp.der', '-ndays', '2', ...(s.keyId ? ['-resp_key_id'] : []));
  if (s.gost) respond.push('-rmd', 'md_gost12_256');
  await opensslText(respond, { cwd: dir, gost: s.gost });
}

describe('openssl ocsp request and one-shot response', () => {
  it.each(SETUPS)('$label', async (s) => {
    await withTempDir(async (dir) => {
      await makeCa(dir, s);
      await request(dir, s);
      const reqText = await opensslText(['ocsp', '-reqin', 'req.der', '-text'], { cwd: dir, gost: s.gost });
      const respText = await opensslText(['ocsp', '-respin', 'resp.der', '-text', '-noverify'], {
        cwd: dir,
        gost: s.gost,
      });
      const theirReq = parseOpensslOcsp(reqText);
      const theirs = parseOpensslOcsp(respText);

      // the request
      const req = parseOcspRequest(new Uint8Array(await readFile(join(dir, 'req.der'))));
      expect(req.requests.length).toBe(2);
      expect(theirReq.singles.length).toBe(2);
      for (const [i, q] of req.requests.entries()) expectCertId(q.certId, theirReq.singles[i], `request ${i}`);
      expect(req.requests.map((q) => q.certId.serialNumber)).toEqual(SERIALS);
      expectNonce(req.nonce, theirReq.nonce, 'request nonce');
      expect(req.nonce !== undefined).toBe(s.nonce);
      expect(req.signed).toBe(false);

      // the response
      const res = parseOcspResponse(new Uint8Array(await readFile(join(dir, 'resp.der'))));
      expect(res.responseStatus).toBe(theirs.status);
      expect(res.responseStatus).toBe('successful');
      const basic = res.basic;
      expect(basic).toBeDefined();
      if (!basic) return;
      expect(basic.producedAt.toISOString()).toBe(theirs.producedAt?.toISOString());
      const id = basic.responderId;
      expect(id.type).toBe(s.keyId ? 'byKey' : 'byName');
      expect(id.type === 'byKey' ? hex(id.keyHash).toUpperCase() : oneline(id.name)).toBe(theirs.responderId);
      expectNonce(basic.nonce, theirs.nonce, 'response nonce');
      if (s.nonce) expect(basic.nonce).toEqual(req.nonce);
      expect(basic.responses.length).toBe(theirs.singles.length);
      basic.responses.forEach((r, i) => {
        const t = theirs.singles[i];
        expectCertId(r.certId, t, `response ${i}`);
        expect(r.certId.raw).toEqual(req.requests[i]?.certId.raw);
        expect(r.certStatus.status).toBe(t?.status);
        const revoked = r.certStatus.status === 'revoked' ? r.certStatus : undefined;
        expect(revoked?.time.toISOString()).toBe(t?.revocationTime?.toISOString());
        expect(revoked?.reason).toBe(t?.reason);
        expect(r.thisUpdate.toISOString()).toBe(t?.thisUpdate?.toISOString());
        expect(r.nextUpdate?.toISOString()).toBe(t?.nextUpdate?.toISOString());
      });
      expect(basic.responses.map((r) => r.certStatus.status)).toEqual(['good', 'revoked']);
      expect(theirs.singles[1]?.reason).toBe(REVOKED_REASON);

      // the responder certificate OpenSSL put in is the CA certificate
      const caDer = decodePem(await readFile(join(dir, 'ca.pem'), 'utf8'))[0]?.bytes;
      expect(basic.certs.map((c) => c.raw)).toEqual([caDer]);
      expect(basic.signatureAlgorithm.oid).toBe(s.gost ? '1.2.643.7.1.1.3.2' : '1.2.840.10045.4.3.2');
    });
  });
});
