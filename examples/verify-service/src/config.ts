// The service's settings from command-line flags and EDS_* environment variables, and the trust anchors and CRLs they name.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { decodePem } from '@eds/core/encoding';
import { createFetcher } from '@eds/core/fetcher';
import { createTrustStore } from '@eds/verify/trust';
import type { RevocationMode } from '@eds/verify/types';
import type { VerifyServiceOptions } from './service.ts';

/** Everything the service needs to start, resolved from flags and the environment. */
export interface ServiceConfig extends VerifyServiceOptions {
  readonly port: number;
  readonly host: string;
}

/** Wrong flags, environment or files; the message says which. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export const USAGE = `usage: node --import tsx src/server.ts --trust <file|dir> [options]
  --trust <path>          CA roots: a PEM bundle, a DER certificate or a directory of them   (EDS_TRUST)
  --port <n>              default 8080; 0 picks a free port                                  (EDS_PORT, PORT)
  --host <addr>           default 127.0.0.1                                                  (EDS_HOST)
  --revocation <mode>     require (default) | prefer | off                                   (EDS_REVOCATION)
  --offline               never fetch OCSP or CRLs                                           (EDS_OFFLINE=1)
  --intermediates <path>  CA certificates to build paths from (not trusted), file or dir   (EDS_INTERMEDIATES)
  --crl <path>            CRLs to use, a file or a directory (repeatable)                    (EDS_CRL)
  --max-document <bytes>  default 52428800 (50 MiB)                                          (EDS_MAX_DOCUMENT_BYTES)
  --max-signature <bytes> default 1048576 (1 MiB)                                            (EDS_MAX_SIGNATURE_BYTES)
  --timeout <ms>          per request, default 120000                                        (EDS_REQUEST_TIMEOUT_MS)
  --fetch-timeout <ms>    per OCSP or CRL download, default 10000                            (EDS_FETCH_TIMEOUT_MS)`;

/** Largest OCSP or CRL download: qualified CAs publish CRLs of many megabytes. */
const FETCH_MAX_BYTES = 64 << 20;
const CERT_LABELS = ['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE'];
const CRL_LABELS = ['X509 CRL', 'CRL'];

/** The files of `path`: itself, or the regular files of a directory (not recursive), sorted. */
function filesOf(path: string, extensions: RegExp): string[] {
  let info: ReturnType<typeof statSync>;
  try {
    info = statSync(path);
  } catch {
    throw new ConfigError(`${path}: no such file or directory`);
  }
  if (!info.isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => extensions.test(name))
    .sort()
    .map((name) => join(path, name))
    .filter((file) => statSync(file).isFile());
}

/** The DER objects of a file: its PEM blocks with one of `labels`, or the whole file as DER. */
function derObjects(file: string, labels: readonly string[]): Uint8Array[] {
  const bytes = new Uint8Array(readFileSync(file));
  const text = new TextDecoder('latin1').decode(bytes);
  if (!text.includes('-----BEGIN')) {
    if (bytes[0] !== 0x30) throw new ConfigError(`${file}: neither PEM nor DER (${labels[0]})`);
    return [bytes];
  }
  return decodePem(text)
    .filter((block) => labels.includes(block.label))
    .map((block) => block.bytes);
}

/**
 * The trust anchors of a PEM bundle, a DER certificate or a directory of `.pem`, `.crt`, `.cer`
 * and `.der` files, each labelled with its file name.
 *
 * @throws ConfigError for a missing path, a file that holds no certificate, or none at all.
 * @example
 * ```ts
 * const trust = loadTrust('/etc/eds/roots');
 * ```
 */
export function loadTrust(path: string): VerifyServiceOptions['trust'] {
  const entries = filesOf(path, /\.(pem|crt|cer|der)$/i).flatMap((file) => {
    try {
      return derObjects(file, CERT_LABELS).map((certificate) => ({ certificate, label: basename(file) }));
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      throw new ConfigError(`${file}: ${(e as Error).message}`);
    }
  });
  if (entries.length === 0) throw new ConfigError(`${path}: no certificates found`);
  try {
    return createTrustStore(entries);
  } catch (e) {
    throw new ConfigError(`${path}: ${(e as Error).message}`);
  }
}

/** The certificates (DER) of a PEM bundle, a DER file or a directory of them. */
export function loadCertificates(path: string): Uint8Array[] {
  const found = filesOf(path, /\.(pem|crt|cer|der)$/i).flatMap((file) => derObjects(file, CERT_LABELS));
  if (found.length === 0) throw new ConfigError(`${path}: no certificates found`);
  return found;
}

/** The CRLs (DER) of files or directories of `.crl`, `.pem` and `.der` files. */
export function loadCrls(paths: readonly string[]): Uint8Array[] {
  return paths.flatMap((path) => filesOf(path, /\.(crl|pem|der)$/i).flatMap((file) => derObjects(file, CRL_LABELS)));
}

function positive(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new ConfigError(`${name} must be a positive integer, not ${value}`);
  return n;
}

/**
 * Reads the settings: flags first, then `EDS_*` variables, then defaults. Relative paths are
 * taken from where pnpm was started (`INIT_CWD`), else from the current directory.
 *
 * @throws ConfigError for an unknown flag, a bad value, or trust anchors that cannot be read.
 * @example
 * ```ts
 * const config = loadConfig(process.argv.slice(2), process.env);
 * ```
 */
export function loadConfig(args: readonly string[], env: NodeJS.ProcessEnv): ServiceConfig {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(args).values;
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  const base = env.INIT_CWD ?? process.cwd();
  const trustPath = values.trust ?? env.EDS_TRUST;
  if (!trustPath) throw new ConfigError('no trust anchors: pass --trust <file|dir> or set EDS_TRUST');
  const revocation = values.revocation ?? env.EDS_REVOCATION ?? 'require';
  if (revocation !== 'require' && revocation !== 'prefer' && revocation !== 'off')
    throw new ConfigError(`revocation must be require, prefer or off, not ${revocation}`);
  const offline = values.offline || env.EDS_OFFLINE === '1' || env.EDS_OFFLINE === 'true';
  const crlPaths = values.crl.length > 0 ? values.crl : (env.EDS_CRL ?? '').split(',').filter(Boolean);
  const port = Number(values.port ?? env.EDS_PORT ?? env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new ConfigError(`bad port ${values.port ?? env.EDS_PORT ?? env.PORT}`);
  const fetchTimeout = positive(values['fetch-timeout'] ?? env.EDS_FETCH_TIMEOUT_MS, 'fetch timeout', 10_000);
  const crls = loadCrls(crlPaths.map((p) => resolve(base, p)));
  const intermediatesPath = values.intermediates ?? env.EDS_INTERMEDIATES;
  const intermediates = intermediatesPath ? loadCertificates(resolve(base, intermediatesPath)) : undefined;
  return {
    port,
    host: values.host ?? env.EDS_HOST ?? '127.0.0.1',
    trust: loadTrust(resolve(base, trustPath)),
    revocation: revocation as RevocationMode,
    revocationData: crls.length > 0 ? { crls } : undefined,
    intermediates,
    fetcher: offline
      ? undefined
      : createFetcher({
          timeoutMs: fetchTimeout,
          maxBytes: FETCH_MAX_BYTES,
          // OCSP and CRL URLs come from certificates: keep them off this host and the private network
          hostPolicy: values['fetch-private'] || env.EDS_FETCH_PRIVATE === '1' ? undefined : isPublicHost,
        }),
    maxDocumentBytes: positive(values['max-document'] ?? env.EDS_MAX_DOCUMENT_BYTES, 'max document size', 50 << 20),
    maxSignatureBytes: positive(values['max-signature'] ?? env.EDS_MAX_SIGNATURE_BYTES, 'max signature size', 1 << 20),
    requestTimeoutMs: positive(values.timeout ?? env.EDS_REQUEST_TIMEOUT_MS, 'request timeout', 120_000),
  };
}

/**
 * False for host names a public OCSP responder or CRL distribution point never has: localhost,
 * and IP literals of loopback, private, link-local, carrier-grade NAT and unique-local ranges.
 * (A DNS name that resolves to such an address is not caught here; a firewall rule is the
 * complete answer.)
 */
export function isPublicHost(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return false;
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host.replace(/^::ffff:/, ''));
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return !(
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b < 128) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b < 32) ||
      (a === 192 && b === 168)
    );
  }
  if (host.includes(':'))
    return !(host === '::' || host === '::1' || host.startsWith('::ffff:') || /^f[cd]|^fe[89ab]/.test(host));
  return true;
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: args[0] === '--' ? args.slice(1) : [...args], // `pnpm start -- --flag` passes the `--` on
    options: {
      trust: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      revocation: { type: 'string' },
      offline: { type: 'boolean', default: false },
      crl: { type: 'string', multiple: true, default: [] },
      intermediates: { type: 'string' },
      'max-document': { type: 'string' },
      'max-signature': { type: 'string' },
      timeout: { type: 'string' },
      'fetch-timeout': { type: 'string' },
      'fetch-private': { type: 'boolean', default: false },
    },
    allowPositionals: false,
    strict: true,
  });
}
