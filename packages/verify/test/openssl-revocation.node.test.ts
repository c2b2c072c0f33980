// Interop of @eds/verify's revocation checking with OpenSSL 3 (issue 7, "Conformance and interop"; RFC 6960, RFC 5280
// §6.3): a real `openssl ocsp` responder and `openssl ca` CRLs on loopback, for GOST R 34.10-2012-256, ECDSA P-256 and
// RSA-2048 hierarchies made by OpenSSL, and a GOST hierarchy made by the test-CA toolkit and answered by OpenSSL.
import { appendFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { der } from '@eds/core/asn1';
import { parseCrl } from '@eds/core/crl';
import { gostr3411_2012_256, sha256 } from '@eds/core/digests';
import { encodePem } from '@eds/core/encoding';
import { createFetcher } from '@eds/core/fetcher';
import { exportPrivateKey } from '@eds/core/keys';
import { parseOcspRequest, parseOcspResponse } from '@eds/core/ocsp';
import { createTestCa, type IssuedCertificate, type KeySpec } from '@eds/core/testing';
import type { DigestAlgorithm } from '@eds/core/types';
import { type Certificate, parseCertificate } from '@eds/core/x509';
import { type OpensslOcsp, type OpensslOcspSettings, startOpensslOcsp } from '@eds/test-support/ocsp';
import { openssl } from '@eds/test-support/openssl';
import { type LoopbackServer, startLoopbackServer } from '@eds/test-support/server';
import { PathValidationError } from '@eds/verify/errors';
import { buildPath } from '@eds/verify/path';
import { createRevocationChecker, type RevocationCheckerOptions } from '@eds/verify/revocation';
import { createTrustStore } from '@eds/verify/trust';
import type { PathValidationOptions, RevocationContext, RevocationResult, TrustStore } from '@eds/verify/types';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

interface KindBase {
  readonly label: string;
  /** openssl's name of the digest the CA signs with (certificates, CRLs, responses). */
  readonly md: string;
  /** The signature algorithm OID expected on what OpenSSL signs. */
  readonly signatureOid: string;
  /** The CertID hash of the requests in one of the tests (besides the default SHA-1). */
  readonly certIdHash: DigestAlgorithm;
}

type Kind =
  | (KindBase & { readonly made: 'openssl'; readonly genpkey: readonly string[] })
  | (KindBase & { readonly made: 'toolkit'; readonly keySpec: KeySpec });

/** GOST R 34.10-2012-256 signing with Streebog-256 (id-tc26-signwithdigest-gost3410-12-256). */
const GOST = { md: 'md_gost12_256', signatureOid: '1.2.643.7.1.1.3.2', certIdHash: gostr3411_2012_256 } as const;

const KINDS: readonly Kind[] = [
  {
    label: 'GOST R 34.10-2012-256 made by OpenSSL',
    made: 'openssl',
    genpkey: ['-algorithm', 'gost2012_256', '-pkeyopt', 'paramset:A'],
    ...GOST,
  },
  {
    label: 'ECDSA P-256 made by OpenSSL',
    made: 'openssl',
    genpkey: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
    md: 'sha256',
    signatureOid: '1.2.840.10045.4.3.2', // ecdsa-with-SHA256
    certIdHash: sha256,
  },
  {
    label: 'RSA-2048 made by OpenSSL',
    made: 'openssl',
    genpkey: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
    md: 'sha256',
    signatureOid: '1.2.840.113549.1.1.11', // sha256WithRSAEncryption
    certIdHash: sha256,
  },
  {
    label: 'GOST R 34.10-2012-256 made by the test-CA toolkit',
    made: 'toolkit',
    keySpec: { type: 'gost2012-256' },
    ...GOST,
  },
];

/** A certificate with the paths of its PEM file and of its key's PEM file. */
interface Party {
  readonly cert: Certificate;
  readonly pem: string;
  readonly key: string;
}

/** root -> CA -> leaves, plus responders; every CA is an `openssl ca` directory (ca.cnf, ca.pem, ca.key, index.txt). */
interface Pki {
  readonly rootDir: string;
  readonly caDir: string;
  readonly impostorDir: string;
  readonly root: Certificate;
  readonly ca: Party;
  readonly good: Certificate;
  /** Revoked with `openssl ca -revoke -crl_reason keyCompromise`. */
  readonly revoked: Certificate;
  /** Issued by the CA but not in its database: OCSP says unknown. */
  readonly unindexed: Certificate;
  /** Issued by the CA with id-kp-OCSPSigning. */
  readonly delegated: Party;
  /** Issued by the CA, without id-kp-OCSPSigning. */
  readonly noEku: Party;
  /** Self-signed, unrelated to the hierarchy. */
  readonly stranger: Party;
  /** Self-signed with the CA's name and subjectKeyIdentifier, and another key. */
  readonly impostor: Party;
}

interface Urls {
  readonly rootCrl: string;
  readonly caCrl: string;
  readonly ocsp: string;
}

interface Fixture extends Pki {
  readonly ocsp: OpensslOcsp;
  readonly files: LoopbackServer;
  /** What the file server answers, by path; tests swap entries. */
  readonly served: Map<string, Uint8Array>;
  readonly crls: { readonly root: Uint8Array; readonly ca: Uint8Array; readonly impostor: Uint8Array };
  readonly trust: TrustStore;
  /** The revocation time OpenSSL recorded in index.txt for `revoked`. */
  readonly revokedAt: Date;
  readonly defaults: OpensslOcspSettings;
}

// ---------------------------------------------------------------------------------------------
// Building the hierarchies with OpenSSL

function caConfig(dir: string, md: string, urls: Urls): string {
  const ee = 'basicConstraints = CA:false\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid:always';
  return `[ ca ]
default_ca = CA_default
[ CA_default ]
dir = ${dir}
database = $dir/index.txt
new_certs_dir = $dir
certificate = $dir/ca.pem
private_key = $dir/ca.key
serial = $dir/serial
crlnumber = $dir/crlnumber
default_md = ${md}
default_days = 30
default_crl_days = 1
policy = policy_any
unique_subject = no
copy_extensions = none
crl_extensions = crl_ext
[ policy_any ]
organizationName = optional
commonName = supplied
[ crl_ext ]
authorityKeyIdentifier = keyid:always
[ v3_root ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ v3_ca ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
crlDistributionPoints = URI:${urls.rootCrl}
[ v3_ee ]
${ee}
keyUsage = critical, digitalSignature, nonRepudiation
crlDistributionPoints = URI:${urls.caCrl}
authorityInfoAccess = OCSP;URI:${urls.ocsp}
[ v3_ocsp ]
${ee}
keyUsage = critical, digitalSignature
extendedKeyUsage = OCSPSigning
noCheck = ignored
crlDistributionPoints = URI:${urls.caCrl}
[ v3_noeku ]
${ee}
keyUsage = critical, digitalSignature
crlDistributionPoints = URI:${urls.caCrl}
`;
}

/** The impostor's extensions: a CA certificate claiming the real CA's key identifier. */
function impostorSection(ski: Uint8Array): string {
  const hex = Array.from(ski, (b) => b.toString(16).padStart(2, '0')).join(':');
  return `[ v3_impostor ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = ${hex}
`;
}

function randomSerialHex(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = ((bytes[0] as number) & 0x7f) | 0x10;
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** An empty `openssl ca` directory with its config. */
async function caDir(base: string, name: string, md: string, urls: Urls): Promise<string> {
  const dir = join(base, name);
  await mkdir(dir);
  await writeFile(join(dir, 'ca.cnf'), caConfig(dir, md, urls));
  await writeFile(join(dir, 'index.txt'), '');
  await writeFile(join(dir, 'serial'), `${randomSerialHex()}\n`);
  await writeFile(join(dir, 'crlnumber'), '01\n');
  return dir;
}

/** The root's, the CA's and the impostor's `openssl ca` directories. */
function caDirs(base: string, md: string, urls: Urls): Promise<[string, string, string]> {
  return Promise.all([caDir(base, 'root', md, urls), caDir(base, 'ca', md, urls), caDir(base, 'impostor', md, urls)]);
}

async function party(pem: string, key: string): Promise<Party> {
  return { cert: parseCertificate(await readFile(pem, 'utf8')), pem, key };
}

async function read(file: string): Promise<Certificate> {
  return parseCertificate(await readFile(file, 'utf8'));
}

const ca = (dir: string, ...args: string[]) => openssl(['ca', '-batch', '-config', join(dir, 'ca.cnf'), ...args]);

/** Root, CA, leaves and responders made by `openssl genpkey`, `req -x509`, `ca` and `x509 -req`. */
async function opensslPki(base: string, kind: Extract<Kind, { made: 'openssl' }>, urls: Urls): Promise<Pki> {
  const [rootDir, caDirPath, impostorDir] = await caDirs(base, kind.md, urls);
  const f = (name: string) => join(base, name);
  const keys = [join(rootDir, 'ca.key'), join(caDirPath, 'ca.key'), join(impostorDir, 'ca.key')];
  keys.push(f('ee.key'), f('rsp.key'), f('stranger.key'));
  await Promise.all(keys.map((k) => openssl(['genpkey', ...kind.genpkey, '-out', k])));
  const subject = (cn: string) => `/O=EDS interop/CN=${kind.label} ${cn}`;
  const selfSigned = (dir: string, key: string, subj: string, ext: string, out: string) =>
    openssl(
      ['req', '-x509', '-new', '-key', key, `-${kind.md}`, '-days', '30', '-subj', subj].concat([
        '-config',
        join(dir, 'ca.cnf'),
        '-extensions',
        ext,
        '-out',
        out,
      ]),
    );
  const csr = (key: string, subj: string, out: string) =>
    openssl(['req', '-new', '-key', key, '-subj', subj, '-out', out]);
  await selfSigned(rootDir, join(rootDir, 'ca.key'), subject('Root'), 'v3_root', join(rootDir, 'ca.pem'));
  await csr(join(caDirPath, 'ca.key'), subject('CA'), f('ca.csr'));
  await ca(rootDir, '-in', f('ca.csr'), '-extensions', 'v3_ca', '-notext', '-out', join(caDirPath, 'ca.pem'));
  await csr(f('ee.key'), subject('Leaf'), f('ee.csr'));
  await csr(f('rsp.key'), subject('OCSP Responder'), f('rsp.csr'));
  for (const [csrFile, ext, out] of [
    ['ee.csr', 'v3_ee', 'good.pem'],
    ['ee.csr', 'v3_ee', 'revoked.pem'],
    ['rsp.csr', 'v3_ocsp', 'delegated.pem'],
    ['rsp.csr', 'v3_noeku', 'noeku.pem'],
  ] as const) {
    await ca(caDirPath, '-in', f(csrFile), '-extensions', ext, '-notext', '-out', f(out));
  }
  await openssl(
    ['x509', '-req', '-in', f('ee.csr'), '-CA', join(caDirPath, 'ca.pem'), '-CAkey', join(caDirPath, 'ca.key')]
      .concat(['-set_serial', `0x${randomSerialHex()}`, `-${kind.md}`, '-days', '30'])
      .concat(['-extfile', join(caDirPath, 'ca.cnf'), '-extensions', 'v3_ee', '-out', f('unindexed.pem')]),
  );
  await selfSigned(caDirPath, f('stranger.key'), subject('Stranger'), 'v3_ocsp', f('stranger.pem'));
  const caSki = (await read(join(caDirPath, 'ca.pem'))).subjectKeyIdentifier as Uint8Array;
  await appendFile(join(impostorDir, 'ca.cnf'), impostorSection(caSki));
  await selfSigned(impostorDir, join(impostorDir, 'ca.key'), subject('CA'), 'v3_impostor', join(impostorDir, 'ca.pem'));
  return {
    rootDir,
    caDir: caDirPath,
    impostorDir,
    root: await read(join(rootDir, 'ca.pem')),
    ca: await party(join(caDirPath, 'ca.pem'), join(caDirPath, 'ca.key')),
    good: await read(f('good.pem')),
    revoked: await read(f('revoked.pem')),
    unindexed: await read(f('unindexed.pem')),
    delegated: await party(f('delegated.pem'), f('rsp.key')),
    noEku: await party(f('noeku.pem'), f('rsp.key')),
    stranger: await party(f('stranger.pem'), f('stranger.key')),
    impostor: await party(join(impostorDir, 'ca.pem'), join(impostorDir, 'ca.key')),
  };
}

/** Writes a toolkit certificate and its exported key as PEM files. */
async function exported(issued: IssuedCertificate, pem: string, key: string): Promise<Party> {
  await writeFile(pem, encodePem('CERTIFICATE', issued.certificate));
  await writeFile(key, exportPrivateKey(issued.key, 'pem'), { mode: 0o600 });
  return party(pem, key);
}

/** The same shape made by @eds/core/testing; OpenSSL gets the exported keys and enters the certificates with `ca -valid`. */
async function toolkitPki(base: string, kind: Extract<Kind, { made: 'toolkit' }>, urls: Urls): Promise<Pki> {
  const [rootDir, caDirPath, impostorDir] = await caDirs(base, kind.md, urls);
  const f = (name: string) => join(base, name);
  const o = { keySpec: kind.keySpec, profile: 'plain' } as const;
  const subject = (commonName: string) => ({ organization: 'EDS interop', commonName: `${kind.label} ${commonName}` });
  const rootCa = await createTestCa({ ...o, subject: subject('Root'), crlUrl: urls.rootCrl, ocspUrl: null });
  const issuing = await rootCa.issueIntermediate({
    ...o,
    subject: subject('CA'),
    crlUrl: urls.caCrl,
    ocspUrl: urls.ocsp,
  });
  const leaf = () => issuing.issue({ ...o, subject: subject('Leaf') });
  const responder = {
    ...o,
    subject: subject('OCSP Responder'),
    keyUsage: ['digitalSignature'],
    ocspUrl: null,
  } as const;
  const delegated = await issuing.issue({ ...responder, extKeyUsage: ['OCSPSigning'], ocspNoCheck: true });
  const noEku = await issuing.issue(responder);
  const stranger = await createTestCa({ ...o, subject: subject('Stranger') });
  const caSki = parseCertificate(issuing.certificate).subjectKeyIdentifier as Uint8Array;
  const ski = [{ oid: '2.5.29.14', value: der.octets(caSki) }];
  const impostor = await createTestCa({ ...o, subject: issuing.subject, extensions: ski });
  const pki: Pki = {
    rootDir,
    caDir: caDirPath,
    impostorDir,
    root: (await exported(rootCa, join(rootDir, 'ca.pem'), join(rootDir, 'ca.key'))).cert,
    ca: await exported(issuing, join(caDirPath, 'ca.pem'), join(caDirPath, 'ca.key')),
    good: (await exported(await leaf(), f('good.pem'), f('good.key'))).cert,
    revoked: (await exported(await leaf(), f('revoked.pem'), f('revoked.key'))).cert,
    unindexed: (await exported(await leaf(), f('unindexed.pem'), f('unindexed.key'))).cert,
    delegated: await exported(delegated, f('delegated.pem'), f('delegated.key')),
    noEku: await exported(noEku, f('noeku.pem'), f('noeku.key')),
    stranger: await exported(stranger, f('stranger.pem'), f('stranger.key')),
    impostor: await exported(impostor, join(impostorDir, 'ca.pem'), join(impostorDir, 'ca.key')),
  };
  await ca(rootDir, '-valid', pki.ca.pem);
  for (const file of ['good.pem', 'revoked.pem', 'delegated.pem', 'noeku.pem']) await ca(caDirPath, '-valid', f(file));
  return pki;
}

/** `openssl ca -gencrl` as DER. */
async function gencrl(dir: string): Promise<Uint8Array> {
  await ca(dir, '-gencrl', '-out', join(dir, 'crl.pem'));
  return (await openssl(['crl', '-in', join(dir, 'crl.pem'), '-outform', 'DER'])).stdout;
}

/** The revocation time of `serial` as OpenSSL wrote it in index.txt (`R <expiry> <YYMMDDHHMMSSZ>,<reason> <serial> ...`). */
async function indexRevocationTime(dir: string, serial: bigint): Promise<Date> {
  for (const line of (await readFile(join(dir, 'index.txt'), 'utf8')).split('\n')) {
    const [flag, , revoked, hex] = line.split('\t');
    if (flag !== 'R' || !hex || BigInt(`0x${hex}`) !== serial) continue;
    const m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z,keyCompromise$/.exec(revoked ?? '');
    if (!m) throw new Error(`unexpected index.txt revocation field ${revoked}`);
    const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
    return new Date(Date.UTC(2000 + y, mo - 1, d, h, mi, s));
  }
  throw new Error('the revoked certificate is not marked R in index.txt');
}

/** Builds one hierarchy with its two servers; `cleanup` gets each server's close as soon as it runs. */
async function setUp(kind: Kind, base: string, cleanup: (() => Promise<void>)[]): Promise<Fixture> {
  const served = new Map<string, Uint8Array>();
  const files = await startLoopbackServer(
    (req) => {
      const body = req.method === 'GET' ? served.get(req.url) : undefined;
      return body ? { body, headers: { 'content-type': 'application/pkix-crl' } } : { status: 404 };
    },
    { maxRequests: 500, lifetimeMs: 120_000 },
  );
  cleanup.push(files.close);
  // The responder's files are written below, before any request reaches it.
  const ocsp = await startOpensslOcsp({
    index: join(base, 'ca', 'index.txt'),
    ca: join(base, 'ca', 'ca.pem'),
    signer: { certificate: join(base, 'ca', 'ca.pem'), key: join(base, 'ca', 'ca.key') },
    maxRequests: 500,
    lifetimeMs: 120_000,
  });
  cleanup.push(ocsp.close);
  const urls = { rootCrl: `${files.url}/root.crl`, caCrl: `${files.url}/ca.crl`, ocsp: ocsp.responderUrl };
  const pki = kind.made === 'openssl' ? await opensslPki(base, kind, urls) : await toolkitPki(base, kind, urls);
  await ca(pki.caDir, '-revoke', join(base, 'revoked.pem'), '-crl_reason', 'keyCompromise');
  const crls = {
    root: await gencrl(pki.rootDir),
    ca: await gencrl(pki.caDir),
    impostor: await gencrl(pki.impostorDir),
  };
  served.set('/root.crl', crls.root);
  served.set('/ca.crl', crls.ca);
  const defaults: OpensslOcspSettings = {
    signer: { certificate: pki.ca.pem, key: pki.ca.key },
    digest: kind.md,
    validityMinutes: 60,
    otherCertificates: undefined,
    byKeyHash: false,
    noCertificates: false,
    answer: undefined,
  };
  ocsp.configure(defaults);
  const revokedAt = await indexRevocationTime(pki.caDir, pki.revoked.serialNumber);
  return { ...pki, ocsp, files, served, crls, trust: createTrustStore(pki.root), revokedAt, defaults };
}

// ---------------------------------------------------------------------------------------------
// Checking

function context(f: Fixture, cert: Certificate, time: Date): RevocationContext {
  return {
    time,
    path: [cert, f.ca.cert, f.root],
    index: 0,
    // A delegated responder is validated like the path validator does: a path to the same anchor.
    validateSigner: (signer, o) =>
      buildPath(signer, { trust: f.trust, intermediates: [f.ca.cert], purpose: o.purpose, time: o.time }),
  };
}

/** One check with a fresh checker (so a fresh cache): online, through createFetcher. */
function check(
  f: Fixture,
  cert: Certificate,
  options: RevocationCheckerOptions = {},
  time = new Date(),
): Promise<RevocationResult> {
  const checker = createRevocationChecker({ fetcher: createFetcher({ timeoutMs: 20_000 }), ...options });
  return checker(cert, f.ca.cert, context(f, cert, time));
}

/** buildPath options with revocation required, online, in the given order (default OCSP then CRL). */
function pathOptions(f: Fixture, order?: RevocationCheckerOptions['order']): PathValidationOptions {
  const revocation = createRevocationChecker({ fetcher: createFetcher({ timeoutMs: 20_000 }), mode: 'require', order });
  return { trust: f.trust, intermediates: [f.ca.cert], time: new Date(), revocation };
}

const OCSP_ONLY: RevocationCheckerOptions = { order: ['ocsp'] };
const summary: string[] = [];

describe.each(KINDS)('revocation against OpenSSL: $label', (kind) => {
  let base: string | undefined;
  let f: Fixture;
  const cleanup: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'eds-openssl-revocation-'));
    f = await setUp(kind, base, cleanup);
  });

  afterEach(() => {
    f.ocsp.configure(f.defaults);
    f.served.set('/ca.crl', f.crls.ca);
  });

  afterAll(async () => {
    if (f) summary.push(`${kind.label} ${f.ocsp.responses.length} OCSP/${f.files.requests.length} CRL`);
    await Promise.all(cleanup.map((close) => close()));
    if (base) await rm(base, { recursive: true, force: true });
    if (summary.length === KINDS.length)
      console.log(`openssl revocation interop (answers served): ${summary.join('; ')}`);
  });

  it('OCSP by POST with a nonce: good, and OpenSSL echoes the nonce', async () => {
    const before = f.ocsp.requests.length;
    const r = await check(f, f.good);
    expect(r).toMatchObject({ status: 'good', source: 'ocsp', url: f.ocsp.responderUrl });
    const request = f.ocsp.requests[before];
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/ocsp-request');
    const sent = parseOcspRequest(request?.body as Uint8Array).nonce;
    expect(sent?.length).toBe(32);
    const answered = f.ocsp.responses.at(-1) as Uint8Array;
    expect(parseOcspResponse(answered).basic?.nonce).toEqual(sent);
    expect(parseOcspResponse(answered).basic?.signatureAlgorithm.oid).toBe(kind.signatureOid);
    expect(r.evidence).toEqual(answered);
    expect(r.nextUpdate?.getTime()).toBe((r.thisUpdate?.getTime() ?? 0) + 60 * 60_000);
  });

  it('OCSP by GET: revoked, with the reason and time OpenSSL recorded', async () => {
    const before = f.ocsp.requests.length;
    const r = await check(f, f.revoked, { ocspGet: true });
    expect(r).toMatchObject({ status: 'revoked', source: 'ocsp', reason: 'keyCompromise' });
    expect(r.revocationTime).toEqual(f.revokedAt);
    expect(f.ocsp.requests[before]?.method).toBe('GET');
  });

  it("OCSP with the CertID hashed by the kind's own digest (Streebog-256 for GOST, SHA-256 otherwise)", async () => {
    const before = f.ocsp.requests.length;
    const r = await check(f, f.revoked, { ...OCSP_ONLY, ocspHash: kind.certIdHash });
    expect(r).toMatchObject({
      status: 'revoked',
      source: 'ocsp',
      reason: 'keyCompromise',
      revocationTime: f.revokedAt,
    });
    const sent = parseOcspRequest(f.ocsp.requests[before]?.body as Uint8Array).requests[0]?.certId;
    expect(sent?.hashAlgorithm.oid).toBe(kind.certIdHash.oid);
    const answered = parseOcspResponse(f.ocsp.responses.at(-1) as Uint8Array).basic?.responses[0]?.certId;
    expect(answered?.hashAlgorithm.oid).toBe(kind.certIdHash.oid);
  });

  it('a certificate missing from the index: OCSP unknown; with the CRL fallback, good from the CRL', async () => {
    const r = await check(f, f.unindexed, OCSP_ONLY);
    expect(r).toMatchObject({ status: 'unknown', source: 'none' });
    expect(r.detail).toMatch(/does not know/);
    expect(await check(f, f.unindexed)).toMatchObject({ status: 'good', source: 'crl' });
  });

  it('a delegated responder (id-kp-OCSPSigning, issued by the CA) is accepted, named by name or by key hash', async () => {
    f.ocsp.configure({ signer: { certificate: f.delegated.pem, key: f.delegated.key } });
    expect(await check(f, f.good, OCSP_ONLY)).toMatchObject({ status: 'good', source: 'ocsp' });
    const revoked = await check(f, f.revoked, OCSP_ONLY);
    expect(revoked).toMatchObject({ status: 'revoked', reason: 'keyCompromise', revocationTime: f.revokedAt });
    f.ocsp.configure({ byKeyHash: true });
    expect(await check(f, f.good, OCSP_ONLY)).toMatchObject({ status: 'good', source: 'ocsp' });
    expect(parseOcspResponse(f.ocsp.responses.at(-1) as Uint8Array).basic?.responderId.type).toBe('byKey');
  });

  it('unauthorised responders are refused: unknown', async () => {
    const signers: [string, Party, RegExp][] = [
      ['an unrelated self-signed responder', f.stranger, /not issued by the CA/],
      ["a key that is not the CA's under the CA's name", f.impostor, /signature does not verify/],
      ['a certificate of the CA without id-kp-OCSPSigning', f.noEku, /OCSPSigning/],
    ];
    for (const [what, signer, why] of signers) {
      f.ocsp.configure({ signer: { certificate: signer.pem, key: signer.key } });
      const r = await check(f, f.good, OCSP_ONLY);
      expect(r, what).toMatchObject({ status: 'unknown', source: 'none' });
      expect(r.detail, what).toMatch(why);
    }
    // An authorised delegate that leaves its certificate out of the response cannot be checked.
    f.ocsp.configure({ signer: { certificate: f.delegated.pem, key: f.delegated.key }, noCertificates: true });
    const bare = await check(f, f.good, OCSP_ONLY);
    expect(bare).toMatchObject({ status: 'unknown', source: 'none' });
    expect(bare.detail).toMatch(/neither the CA nor a certificate in the response/);
    f.ocsp.configure({ signer: { certificate: f.noEku.pem, key: f.noEku.key }, noCertificates: false });
    // The revoked certificate, too, must not come out good from an unauthorised answer.
    expect((await check(f, f.revoked, OCSP_ONLY)).status).toBe('unknown');
  });

  it('an expired response (validation time past nextUpdate) is refused', async () => {
    f.ocsp.configure({ validityMinutes: 1 });
    expect(await check(f, f.good, OCSP_ONLY)).toMatchObject({ status: 'good', source: 'ocsp' });
    const later = new Date(Date.now() + 60 * 60_000);
    const r = await check(f, f.good, OCSP_ONLY, later);
    expect(r).toMatchObject({ status: 'unknown', source: 'none' });
    expect(r.detail).toMatch(/stale|nextUpdate/);
  });

  it('a replayed response carrying an old nonce is refused', async () => {
    expect(await check(f, f.good, OCSP_ONLY)).toMatchObject({ status: 'good', source: 'ocsp' });
    const old = f.ocsp.responses.at(-1) as Uint8Array;
    f.ocsp.configure({ answer: () => ({ body: old, headers: { 'content-type': 'application/ocsp-response' } }) });
    const r = await check(f, f.good, OCSP_ONLY);
    expect(r).toMatchObject({ status: 'unknown', source: 'none' });
    expect(r.detail).toMatch(/nonce/);
  });

  it('CRLs from openssl ca at the distribution point when the responder fails: good and revoked', async () => {
    f.ocsp.configure({ answer: () => ({ status: 500, body: 'responder down' }) });
    const before = f.ocsp.requests.length;
    const good = await check(f, f.good);
    expect(good).toMatchObject({ status: 'good', source: 'crl', url: `${f.files.url}/ca.crl` });
    expect(good.evidence).toEqual(f.crls.ca);
    const revoked = await check(f, f.revoked);
    expect(revoked).toMatchObject({ status: 'revoked', source: 'crl', reason: 'keyCompromise' });
    expect(revoked.revocationTime).toEqual(f.revokedAt);
    expect(f.ocsp.requests.length - before).toBe(2); // OCSP was asked first each time
  });

  it('a CRL of the wrong issuer at the distribution point is refused', async () => {
    const crlOnly: RevocationCheckerOptions = { order: ['crl'] };
    expect(parseCrl(f.crls.ca).signatureAlgorithm.oid).toBe(kind.signatureOid);
    expect(await check(f, f.revoked, crlOnly)).toMatchObject({ status: 'revoked', source: 'crl' });
    // The impostor claims the CA's name and key identifier; only its signature gives it away.
    expect(f.impostor.cert.subject.equals(f.ca.cert.subject)).toBe(true);
    expect(f.impostor.cert.subjectKeyIdentifier).toEqual(f.ca.cert.subjectKeyIdentifier);
    expect(parseCrl(f.crls.impostor).authorityKeyIdentifier?.keyIdentifier).toEqual(f.ca.cert.subjectKeyIdentifier);
    for (const [what, crl, why] of [
      ['the root', f.crls.root, /issuer/],
      ['the impostor', f.crls.impostor, /signature/],
    ] as const) {
      f.served.set('/ca.crl', crl);
      for (const cert of [f.good, f.revoked]) {
        const r = await check(f, cert, crlOnly);
        expect(r, `${what}'s CRL`).toMatchObject({ status: 'unknown', source: 'none' });
        expect(r.detail, `${what}'s CRL`).toMatch(why);
      }
    }
  });

  it('buildPath with revocation required: the good leaf validates, the revoked one fails REVOKED', async () => {
    const path = await buildPath(f.good, pathOptions(f));
    expect(path.certificates.map((c) => c.serialNumber)).toEqual(
      [f.good, f.ca.cert, f.root].map((c) => c.serialNumber),
    );
    // The leaf by OCSP (openssl ocsp), the CA by the root's CRL (openssl ca -gencrl).
    expect(path.revocation.map((r) => r && `${r.status}/${r.source}`)).toEqual(['good/ocsp', 'good/crl', undefined]);
    const failure = await buildPath(f.revoked, pathOptions(f)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PathValidationError);
    expect(failure).toMatchObject({ reason: 'REVOKED', index: 0 });
  });

  it('buildPath with revocation required through a delegated responder, and through the CRL alone', async () => {
    f.ocsp.configure({ signer: { certificate: f.delegated.pem, key: f.delegated.key } });
    const path = await buildPath(f.good, pathOptions(f));
    expect(path.revocation[0]).toMatchObject({ status: 'good', source: 'ocsp' });
    await expect(buildPath(f.revoked, pathOptions(f))).rejects.toMatchObject({ reason: 'REVOKED', index: 0 });
    const byCrl = await buildPath(f.good, pathOptions(f, ['crl']));
    expect(byCrl.revocation[0]).toMatchObject({ status: 'good', source: 'crl' });
    await expect(buildPath(f.revoked, pathOptions(f, ['crl']))).rejects.toMatchObject({ reason: 'REVOKED', index: 0 });
  });
});
