// The entry point: `node --import tsx src/server.ts --trust roots.pem --accounts accounts.json` reads its settings, builds the page and listens until SIGINT or SIGTERM.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { decodePem } from '@eds/core/encoding';
import { createFetcher } from '@eds/core/fetcher';
import { createTrustStore } from '@eds/verify/trust';
import type { RevocationMode } from '@eds/verify/types';
import { parseAccounts } from './accounts.ts';
import { createLoginServer, type LoginServerOptions } from './app.ts';
import { buildPage } from './page.ts';

const USAGE = `usage: node --import tsx src/server.ts --trust <roots.pem> --accounts <accounts.json> [options]
  --trust <file>          CA roots (PEM bundle or one DER certificate)
  --accounts <file>       JSON array of { "id", "name", "snils"?, "inn"? }
  --intermediates <file>  CA certificates to build paths from (PEM bundle), not trusted
  --portal <name>         the portal named in the signed text (default example.ru)
  --port <n>              default 8080; 0 picks a free port
  --host <addr>           default 127.0.0.1
  --revocation <mode>     require (default) | prefer | off
  --secure-cookies        add Secure to cookies (behind HTTPS)`;

/** The DER certificates of a PEM bundle or a DER file. */
function certificates(path: string): Uint8Array[] {
  const bytes = new Uint8Array(readFileSync(path));
  const text = new TextDecoder('latin1').decode(bytes);
  if (!text.includes('-----BEGIN')) return [bytes];
  return decodePem(text)
    .filter((b) => b.label === 'CERTIFICATE')
    .map((b) => b.bytes);
}

/** The server's options from the command line; relative paths from where pnpm was started. */
function configure(args: readonly string[]): LoginServerOptions & { port: number; host: string } {
  const { values } = parseArgs({
    args: args[0] === '--' ? args.slice(1) : [...args],
    options: {
      trust: { type: 'string' },
      accounts: { type: 'string' },
      intermediates: { type: 'string' },
      portal: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      revocation: { type: 'string' },
      'secure-cookies': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.trust || !values.accounts) throw new Error('--trust and --accounts are required');
  const base = process.env.INIT_CWD ?? process.cwd();
  const revocation = values.revocation ?? 'require';
  if (!['require', 'prefer', 'off'].includes(revocation)) throw new Error(`bad --revocation ${revocation}`);
  const port = Number(values.port ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`bad --port ${values.port}`);
  return {
    trust: createTrustStore(certificates(resolve(base, values.trust))),
    accounts: parseAccounts(readFileSync(resolve(base, values.accounts), 'utf8')),
    intermediates: values.intermediates ? certificates(resolve(base, values.intermediates)) : undefined,
    portal: values.portal,
    revocation: revocation as RevocationMode,
    // OCSP answers are small, CRLs of qualified CAs reach tens of MiB
    fetcher: createFetcher({ timeoutMs: 10_000, maxBytes: 64 << 20 }),
    secureCookies: values['secure-cookies'],
    port,
    host: values.host ?? '127.0.0.1',
    log: (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
  };
}

async function main(): Promise<number> {
  let config: ReturnType<typeof configure>;
  try {
    config = configure(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`login-by-signature: ${(e as Error).message}\n${USAGE}\n`);
    return 64;
  }
  const app = createLoginServer({ ...config, page: await buildPage() });
  const { url } = await app.listen(config.port, config.host);
  process.stdout.write(`login-by-signature listening on ${url} (${config.accounts.accounts.length} accounts)\n`);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await app.close();
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`login-by-signature: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
