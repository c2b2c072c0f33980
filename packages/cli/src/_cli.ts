// What every `eds` command shares: the I/O it is given, usage errors, and password input.

/** Where the CLI reads and writes; injected so tests and embedders can capture it. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: AsyncIterable<Uint8Array>;
  /** Environment variables (for `--password-env`); `process.env` in the executable. */
  env?: Record<string, string | undefined>;
  /** stderr is a terminal (progress lines are shown). */
  isTTY?: boolean;
  /** Asks for a secret without echoing it; absent when there is no terminal. */
  prompt?: (question: string) => Promise<string>;
}

/** Wrong use of the command line: exit code 2 (or `exitCode`) with the usage text. */
export class UsageError extends Error {
  readonly exitCode: number;
  constructor(message: string, options: { exitCode?: number } = {}) {
    super(message);
    this.exitCode = options.exitCode ?? 2;
  }
}

/**
 * The password for a file: from the environment variable named by `--password-env`, else from
 * the terminal prompt. Never from the command line, where other users and shell history see it.
 */
export async function readPassword(io: CliIo, envName: string | undefined, what: string): Promise<string> {
  if (envName !== undefined) {
    const value = io.env?.[envName];
    if (value === undefined) throw new UsageError(`environment variable ${envName} is not set`);
    return value;
  }
  if (!io.prompt) throw new UsageError(`${what} needs a password: set --password-env VAR (no terminal to ask on)`);
  return io.prompt(`Password for ${what}: `);
}
