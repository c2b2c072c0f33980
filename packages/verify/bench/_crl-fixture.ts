// Fixture of crl.bench.ts: a CA and a 100,000-entry CRL made by `openssl ca -gencrl` (RFC 5280 §5), cached on disk, and the timed work of each peer.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { verifySignature } from '../../core/src/algorithms';
import { allAlgorithms } from '../../core/src/all-algorithms';
import { der } from '../../core/src/asn1';
import { parseCrl } from '../../core/src/crl';
import { parsePublicKey } from '../../core/src/keys';
import { type Certificate, parseCertificate } from '../../core/src/x509';
import { checkCrl } from '../src/crl-check';

const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '../../..');
const run = promisify(execFile);

/** Revoked entries in the big CRL, and lookups per run (half of them listed). */
export const ENTRIES = 100_000;
export const LOOKUPS = 1_000;
/** Generated files live here (git-ignored) and are reused by later runs. */
export const FIXTURE_DIR = join(root, 'bench-results', 'crl-100k');

const REASONS = ['keyCompromise', 'superseded', 'cessationOfOperation', 'affiliationChanged'];

const CONFIG = `[ ca ]
default_ca = CA_default
[ CA_default ]
dir = .
database = ./$DB
crlnumber = ./crlnumber
certificate = ./ca.pem
private_key = ./ca.key
default_md = sha256
default_crl_days = 30
unique_subject = no
crl_extensions = crl_ext
[ crl_ext ]
authorityKeyIdentifier = keyid:always
[ req ]
distinguished_name = dn
prompt = no
x509_extensions = v3_ca
[ dn ]
CN = EDS bench CRL CA
[ v3_ca ]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
`;

/** OpenSSL without a GOST engine configuration from the environment: the CA is RSA. */
export function opensslEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.OPENSSL_CONF;
  return env;
}

/** A deterministic 13-byte serial in hex: listed ones start 0x10..0x3f, absent ones 0x05. */
function serialHex(i: number, listed: boolean): string {
  let x = (i + 1) * 2654435761;
  const bytes = [listed ? 0x10 + (i % 0x30) : 0x05];
  for (let k = 0; k < 12; k++) {
    x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + k) >>> 0;
    bytes.push(x & 0xff);
  }
  // Four bytes of the index make every serial distinct.
  bytes.splice(9, 4, (i >>> 24) & 0xff, (i >>> 16) & 0xff, (i >>> 8) & 0xff, i & 0xff);
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function gencrl(dir: string, db: string, lines: string[], out: string): Promise<void> {
  writeFileSync(join(dir, db), `${lines.join('\n')}\n`);
  writeFileSync(join(dir, 'crlnumber'), '01\n');
  writeFileSync(join(dir, `${db}.cnf`), CONFIG.replace('$DB', db));
  const env = opensslEnv();
  await run('openssl', ['ca', '-gencrl', '-config', `${db}.cnf`, '-out', `${out}.pem`], { cwd: dir, env });
  await run('openssl', ['crl', '-in', `${out}.pem`, '-outform', 'DER', '-out', `${out}.der`], { cwd: dir, env });
}

/** Makes the CA, the 100,000-entry CRL and a 1-entry CRL (OpenSSL's start-up cost), unless cached. */
export async function ensureFiles(): Promise<string> {
  const dir = FIXTURE_DIR;
  if (existsSync(join(dir, 'done'))) return dir;
  mkdirSync(dir, { recursive: true });
  const env = opensslEnv();
  writeFileSync(join(dir, 'req.cnf'), CONFIG.replace('$DB', 'index.txt'));
  const req = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem'];
  await run('openssl', [...req, '-days', '3650', '-config', 'req.cnf'], { cwd: dir, env });
  const line = (i: number) =>
    `R\t300101000000Z\t250101000000Z,${REASONS[i % REASONS.length]}\t${serialHex(i, true).toUpperCase()}\tunknown\t/CN=u${i}`;
  await gencrl(
    dir,
    'index.txt',
    Array.from({ length: ENTRIES }, (_, i) => line(i)),
    'crl',
  );
  await gencrl(dir, 'tiny-index.txt', [line(0)], 'tiny');
  writeFileSync(join(dir, 'done.tmp'), new Date().toISOString());
  renameSync(join(dir, 'done.tmp'), join(dir, 'done'));
  return dir;
}

/** What each run needs besides the CRL bytes: the CA and the certificates to look up. */
export interface Lookups {
  readonly ca: Certificate;
  /** DER of certificates from the CA: the first half listed in the CRL, the second half not. */
  readonly certDers: readonly Uint8Array[];
  readonly certs: readonly Certificate[];
  /** A validation time within the CRL's validity. */
  readonly time: Date;
}

/**
 * Certificates to look up: only the issuer and serial matter to a CRL lookup, so they are
 * written with the DER writer (same issuer name and key as the CA, a filler signature).
 */
export function lookups(dir: string): Lookups {
  const ca = parseCertificate(readFileSync(join(dir, 'ca.pem'), 'utf8'));
  const alg = der.seq(der.oid('1.2.840.113549.1.1.11'), der.null());
  const when = der.seq(der.utcTime(new Date('2025-01-01T00:00:00Z')), der.utcTime(new Date('2030-01-01T00:00:00Z')));
  const subject = der.seq(der.setOf(der.seq(der.oid('2.5.4.3'), der.utf8('leaf'))));
  const certDers = Array.from({ length: LOOKUPS }, (_, k) => {
    const listed = k < LOOKUPS / 2;
    const serial = BigInt(`0x${serialHex(listed ? k * (ENTRIES / (LOOKUPS / 2)) : k, listed)}`);
    const tbs = der.seq(der.explicit(0, der.int(2)), der.int(serial), alg, ca.subject.raw, when, subject, ca.spki);
    return der.seq(tbs, alg, der.bits(new Uint8Array(256)));
  });
  const certs = certDers.map((d) => parseCertificate(d));
  const crl = parseCrl(readFileSync(join(dir, 'tiny.der')));
  return { ca, certDers, certs, time: new Date(crl.thisUpdate.getTime() + 3600_000) };
}

function expectRevoked(revoked: number, who: string): void {
  if (revoked !== LOOKUPS / 2) throw new Error(`${who}: ${revoked} of ${LOOKUPS} certificates revoked, expected half`);
}

/** eds through @eds/verify: parseCrl, then checkCrl per certificate (signature and entry index once per Crl). */
export async function edsCheckCrl(bytes: Uint8Array, l: Lookups): Promise<void> {
  const crl = parseCrl(bytes);
  let revoked = 0;
  for (const cert of l.certs) {
    const r = await checkCrl(crl, cert, l.ca, { time: l.time });
    if (r.status === 'revoked') revoked++;
    else if (r.status !== 'good') throw new Error(`checkCrl: ${r.status} ${r.detail}`);
  }
  expectRevoked(revoked, 'eds checkCrl');
}

/** eds through @eds/core only: parseCrl, verifySignature, Crl.isRevoked per serial. */
export async function edsCrlApi(bytes: Uint8Array, l: Lookups): Promise<void> {
  const crl = parseCrl(bytes);
  const ok = await verifySignature(allAlgorithms, {
    algorithm: crl.signatureAlgorithm,
    publicKey: parsePublicKey(l.ca.spki),
    data: crl.tbs,
    signature: crl.signature,
  });
  if (!ok) throw new Error('eds: CRL signature does not verify');
  let revoked = 0;
  for (const cert of l.certs) if (crl.isRevoked(cert.serialNumber)) revoked++;
  expectRevoked(revoked, 'eds Crl API');
}

/** The CA and the certificates to look up, as PKI.js objects (made before timing, like the eds ones). */
export interface PkijsLookups {
  readonly ca: import('pkijs').Certificate;
  readonly certs: readonly import('pkijs').Certificate[];
}

export async function pkijsLookups(l: Lookups): Promise<PkijsLookups> {
  const pkijs = await import('pkijs');
  return {
    ca: pkijs.Certificate.fromBER(l.ca.raw.slice()),
    certs: l.certDers.map((d) => pkijs.Certificate.fromBER(d.slice())),
  };
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * PKI.js 4: asn1js.fromBER (node limit lifted), CertificateRevocationList, verify, then lookups
 * in a Set of serials the caller builds from revokedCertificates: PKI.js's own
 * isCertificateRevoked scans every entry per call (see {@link pkijsScanSeconds}).
 */
export async function pkijsCheck(bytes: Uint8Array, l: PkijsLookups): Promise<void> {
  const asn1js = await import('asn1js');
  const pkijs = await import('pkijs');
  // asn1js 4 stops at 10,000 nodes by default (about 2,000 entries of this CRL); lift the limit.
  const { result, offset } = asn1js.fromBER(bytes as Uint8Array<ArrayBuffer>, { maxNodes: 1e8 } as never);
  if (offset === -1) throw new Error('pkijs: CRL does not decode');
  const crl = new pkijs.CertificateRevocationList({ schema: result });
  if (!(await crl.verify({ issuerCertificate: l.ca }))) throw new Error('pkijs: CRL signature does not verify');
  const listed = new Set((crl.revokedCertificates ?? []).map((e) => hex(e.userCertificate.valueBlock.valueHexView)));
  let revoked = 0;
  for (const cert of l.certs) {
    if (crl.issuer.isEqual(cert.issuer) && listed.has(hex(cert.serialNumber.valueBlock.valueHexView))) revoked++;
  }
  expectRevoked(revoked, 'pkijs');
  lastPkijsCrl = crl;
}

let lastPkijsCrl: import('pkijs').CertificateRevocationList | undefined;

/** Seconds per PKI.js isCertificateRevoked call for an unlisted serial (a scan of every entry), over `n` calls. */
export function pkijsScanSeconds(l: PkijsLookups, n: number): number {
  const crl = lastPkijsCrl;
  if (!crl) throw new Error('pkijsCheck has not run');
  const absent = l.certs.slice(l.certs.length - n);
  const start = performance.now();
  for (const cert of absent) if (crl.isCertificateRevoked(cert)) throw new Error('pkijs: unexpected revoked');
  return (performance.now() - start) / 1000 / n;
}
