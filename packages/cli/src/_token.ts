// Keys on PKCS#11 tokens for the CLI: opening a module, finding a token and key by CKA_ID, logging in with the PIN from EDS_PIN or a prompt.

import type { Signer } from '@eds/core/types';
import { KeyNotFoundError, TokenNotPresentError } from '@eds/pkcs11/errors';
import { openPkcs11, type Pkcs11Adapter } from '@eds/pkcs11/pkcs11';
import { tokenSigner } from '@eds/pkcs11/token-signer';
import type { TokenInfo } from '@eds/pkcs11/types';
import { type CliIo, UsageError } from './_cli';

/** The environment variable the PIN is read from; never from the command line. */
export const PIN_ENV = 'EDS_PIN';

/**
 * The user PIN: from `EDS_PIN`, else asked on the terminal without echo. The CLI never prints it
 * and passes it straight to the module's C_Login.
 */
export async function readPin(io: CliIo, token: TokenInfo): Promise<string | undefined> {
  const fromEnv = io.env?.[PIN_ENV];
  if (fromEnv !== undefined) return fromEnv;
  if (token.protectedAuthPath) return undefined; // entered on the reader's PIN pad
  if (!io.prompt) throw new UsageError(`token "${token.label}" needs a PIN: set ${PIN_ENV} (no terminal to ask on)`);
  return io.prompt(`PIN for token "${token.label}" (${token.tokenId}): `);
}

/** Opens the module of `--module`/`--token-module`, runs `work`, and always unloads it. */
export async function withModule<T>(modulePath: string, work: (adapter: Pkcs11Adapter) => Promise<T>): Promise<T> {
  const adapter = await openPkcs11(modulePath);
  try {
    return await work(adapter);
  } finally {
    await adapter.close();
  }
}

/** The present tokens, or only the one whose serial is `serial`. */
export async function pickTokens(adapter: Pkcs11Adapter, serial: string | undefined): Promise<TokenInfo[]> {
  const tokens = (await adapter.listTokens()).filter((t) => t.present);
  if (serial === undefined) return tokens;
  const token = tokens.find((t) => t.tokenId === serial || t.serial === serial);
  if (!token) throw new TokenNotPresentError({ message: `no token with serial ${serial} is present` });
  return [token];
}

/**
 * A Signer over the key `keyId` (CKA_ID in hex) and its certificate. The token is the one given by
 * `serial`, else the one present token whose certificates (public objects, read without a PIN)
 * include that CKA_ID; only that token is logged in, so one PIN is never tried on several tokens
 * (a wrong try counts against each token's PIN). A token that shows certificates only after login
 * must be named with `--token` when more than one token is present.
 *
 * @throws {KeyNotFoundError} when the chosen token has no certificate and private key with that CKA_ID.
 */
export async function tokenKeySigner(
  io: CliIo,
  adapter: Pkcs11Adapter,
  keyId: string,
  serial: string | undefined,
): Promise<Signer> {
  const wanted = normaliseKeyId(keyId);
  const tokens = await pickTokens(adapter, serial);
  const holders: TokenInfo[] = [];
  for (const token of tokens) {
    if ((await adapter.listCertificates(token)).some((e) => e.key.keyId === wanted)) holders.push(token);
  }
  if (holders.length > 1)
    throw new UsageError(`more than one token holds key ${wanted}: choose one with --token <serial>`);
  const token = holders[0] ?? (tokens.length === 1 ? tokens[0] : undefined);
  if (!token) {
    const why =
      tokens.length === 0 ? 'no token is present' : `none of the ${tokens.length} tokens shows it without a PIN`;
    throw new UsageError(`key ${wanted}: ${why}; choose the token with --token <serial>`);
  }
  if (token.loggedIn !== true) await adapter.login(token, await readPin(io, token));
  const entry = (await adapter.listCertificates(token)).find((e) => e.key.keyId === wanted && e.hasPrivateKey);
  if (!entry) throw new KeyNotFoundError({ message: `no certificate with a private key of CKA_ID ${wanted}` });
  return tokenSigner({ adapter, entry, pin: async () => readPin(io, token) });
}

/** CKA_ID as lower-case hex without separators ("0A:1b" → "0a1b"). */
export function normaliseKeyId(text: string): string {
  const hex = text.replace(/[:\s]/g, '').toLowerCase();
  if (!/^([0-9a-f]{2})+$/.test(hex)) throw new UsageError(`--token-key ${text} is not a CKA_ID in hex`);
  return hex;
}
