// `eds token list|certs`: the tokens a PKCS#11 module sees (PKCS#11 v2.40 §5.5 C_GetTokenInfo) and the certificates on them with the CKA_ID of their keys.
import { parseArgs } from 'node:util';
import { parseCertificate } from '@eds/core/x509';
import type { CertificateEntry, TokenInfo } from '@eds/pkcs11/types';
import { type CliIo, UsageError } from './_cli';
import { pickTokens, readPin, withModule } from './_token';

export const TOKEN_USAGE = `  token list --module <pkcs11.so> [--json]            tokens the PKCS#11 module sees, with PIN state
  token certs --module <pkcs11.so> [--token <serial>] [--login] [--json]
                                                      certificates and the CKA_ID of their keys
                                                      (PIN from ${'$'}EDS_PIN or a prompt, never from argv)`;

/** Certificates expiring within this many days are flagged. */
const EXPIRY_WARNING_DAYS = 30;

/** Runs `eds token <list|certs>`. */
export async function tokenCommand(args: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      module: { type: 'string', short: 'm' },
      token: { type: 'string' },
      login: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  if (sub !== 'list' && sub !== 'certs') throw new UsageError('token needs a subcommand: list or certs');
  if (positionals.length > 0) throw new UsageError(`token ${sub} takes no file arguments`);
  if (!values.module) throw new UsageError(`token ${sub} needs --module <path to the PKCS#11 module>`);
  if (sub === 'list' && (values.login || values.token))
    throw new UsageError('--login and --token apply to token certs');
  const modulePath = values.module;
  return withModule(modulePath, async (adapter) => {
    const tokens = await pickTokens(adapter, values.token);
    if (sub === 'list') {
      io.stdout(values.json ? `${JSON.stringify(tokens, null, 2)}\n` : tokens.map(describeToken).join('\n'));
      if (!values.json && tokens.length === 0) io.stdout('no token present\n');
      return 0;
    }
    if (values.login && tokens.length > 1)
      throw new UsageError(
        '--login with several tokens present: choose one with --token <serial> (a PIN is tried on one token only)',
      );
    const out: Array<{ token: TokenInfo; certificates: CertificateEntry[] }> = [];
    for (const token of tokens) {
      if (values.login && token.loggedIn !== true) await adapter.login(token, await readPin(io, token));
      out.push({ token, certificates: await adapter.listCertificates(token) });
    }
    io.stdout(values.json ? `${JSON.stringify(out.map(certsJson), null, 2)}\n` : out.map(describeCerts).join('\n'));
    return 0;
  });
}

function describeToken(t: TokenInfo): string {
  const pin = t.pin.retriesLeft === undefined ? t.pin.state : `${t.pin.state}, ${t.pin.retriesLeft} tries left`;
  return [
    `token "${t.label}" serial ${t.tokenId}`,
    `  ${[t.manufacturer, t.model].filter(Boolean).join(' ')}`,
    `  PIN: ${pin}${t.protectedAuthPath ? ' (PIN pad)' : ''}; logged in: ${t.loggedIn}`,
    '',
  ].join('\n');
}

function certsJson({ token, certificates }: { token: TokenInfo; certificates: CertificateEntry[] }) {
  return {
    token: { tokenId: token.tokenId, label: token.label },
    certificates: certificates.map((c) => {
      const cert = parseCertificate(c.certificate);
      return {
        key: c.key,
        label: c.label,
        hasPrivateKey: c.hasPrivateKey,
        keyAlgorithm: c.keyAlgorithm,
        subject: cert.subject.toString(),
        issuer: cert.issuer.toString(),
        notBefore: cert.notBefore.toISOString(),
        notAfter: cert.notAfter.toISOString(),
        qualified: cert.isQualified,
      };
    }),
  };
}

function describeCerts({ token, certificates }: { token: TokenInfo; certificates: CertificateEntry[] }): string {
  const lines = [`token "${token.label}" serial ${token.tokenId}: ${certificates.length} certificate(s)`];
  if (certificates.length === 0 && token.loggedIn !== true)
    lines.push('  (some tokens show certificates only after --login)');
  for (const c of certificates) {
    const cert = parseCertificate(c.certificate);
    const days = cert.expiresInDays();
    const expiry = days < 0 ? 'EXPIRED' : days <= EXPIRY_WARNING_DAYS ? `expires in ${days} days` : '';
    lines.push(
      `  key ${c.key.keyId}${c.label ? ` "${c.label}"` : ''}${c.hasPrivateKey ? '' : ' (no private key)'}`,
      `    ${cert.subject.commonName ?? cert.subject.toString()} — issued by ${cert.issuer.commonName ?? cert.issuer.toString()}`,
      `    ${c.keyAlgorithm.kind}, valid until ${cert.notAfter.toISOString().slice(0, 10)}${expiry ? ` (${expiry})` : ''}${cert.isQualified ? ', qualified' : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
