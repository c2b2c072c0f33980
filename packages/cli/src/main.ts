// The `eds` command line: argument handling and dispatch. Exit codes: 0 success, 1 a command
// failed (for example an unreadable file), 2 wrong usage; `eds verify` has its own (0 valid,
// 1 invalid, 2 indeterminate, 64 wrong usage).
import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { EdsError } from '@eds/core/errors';
import { type CliIo, UsageError } from './_cli';
import { CERT_USAGE, certCommand } from './cert';
import { CSR_USAGE, csrCommand } from './csr';
import { runDemo } from './demo';
import { DIGESTS, digestStream, formatDigestLine, isDigestName } from './digest';
import { KEYGEN_USAGE, keygenCommand } from './keygen';
import { SIGN_USAGE, signCommand } from './sign';
import { TOKEN_USAGE, tokenCommand } from './token';
import { VERIFY_USAGE, verifyCommand } from './verify';

export type { CliIo } from './_cli';

const USAGE = `Usage: eds <command> [options]

Commands:
  digest [--alg streebog256|streebog512] <file...>   print GOST R 34.11-2012 digests ("-" reads stdin)
  demo                                                run the end-to-end demonstration
${CERT_USAGE}
${KEYGEN_USAGE}
${CSR_USAGE}
${SIGN_USAGE}
${VERIFY_USAGE}
${TOKEN_USAGE}

Options:
  -h, --help       show this help
  -v, --version    show the version
`;

/**
 * Runs the CLI with `argv` (without the node and script paths) and returns the exit code.
 *
 * @example
 * ```ts
 * const code = await run(['digest', 'doc.pdf'], { stdout: console.log, stderr: console.error, stdin: process.stdin });
 * ```
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'digest':
        return await digestCommand(rest, io);
      case 'demo':
        return await runDemo(io);
      case 'keygen':
        return await keygenCommand(rest, io);
      case 'cert':
        return await certCommand(rest, io);
      case 'csr':
        return await csrCommand(rest, io);
      case 'sign':
        return await signCommand(rest, io);
      case 'verify':
        return await verifyCommand(rest, io);
      case 'token':
        return await tokenCommand(rest, io);
      case '-v':
      case '--version':
        io.stdout(`${VERSION}\n`);
        return 0;
      case undefined:
      case '-h':
      case '--help':
        io.stdout(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.stderr(`eds: ${(error as Error).message}\n\n${USAGE}`);
      return error instanceof UsageError ? error.exitCode : 2;
    }
    // Typed SDK errors and file-system errors are the user's to fix: one line, exit 1.
    if (error instanceof EdsError || isSystemError(error)) {
      io.stderr(`eds: ${(error as Error).message}\n`);
      return 1;
    }
    throw error;
  }
}

declare const __EDS_VERSION__: string | undefined;
const VERSION = typeof __EDS_VERSION__ === 'string' ? __EDS_VERSION__ : '0.0.0-dev';

function isSystemError(error: unknown): boolean {
  return error instanceof Error && 'syscall' in error && typeof (error as { code?: unknown }).code === 'string';
}

function isParseArgsError(error: unknown): boolean {
  return error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
}

async function digestCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { alg: { type: 'string', short: 'a', default: 'streebog256' } },
    allowPositionals: true,
  });
  const alg = values.alg;
  if (!isDigestName(alg)) {
    throw new UsageError(`unknown digest "${alg}" (choose ${Object.keys(DIGESTS).join(' or ')})`);
  }
  if (positionals.length === 0) throw new UsageError('digest needs at least one file (or "-" for stdin)');
  let status = 0;
  for (const file of positionals) {
    try {
      const source = file === '-' ? io.stdin : createReadStream(file, { highWaterMark: 1 << 20 });
      io.stdout(`${formatDigestLine(await digestStream(alg, source), file)}\n`);
    } catch (error) {
      io.stderr(`eds: ${file}: ${(error as Error).message}\n`);
      status = 1;
    }
  }
  return status;
}
