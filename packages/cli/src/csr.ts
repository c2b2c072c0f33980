// `eds csr`: a PKCS#10 certification request (RFC 2986) signed with the user's key, with Russian subject attributes.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { GeneralNameInput, KeyUsageName, NameEntry } from '@eds/core/csr';
import { createCsr } from '@eds/core/csr';
import { encodePem } from '@eds/core/encoding';
import { KEY_USAGE_BITS } from '@eds/core/extensions';
import { type CliIo, UsageError } from './_cli';
import { loadSigner } from './_key-file';

export const CSR_USAGE = `  csr --key <key.pem|file.pfx> --subject "CN=...,SNILS=...,INN=...,C=RU"
      [--password-env VAR] [--san email:a@b.ru,dns:host] [--key-usage digitalSignature,...]
      [--eku clientAuth,emailProtection,<oid>] [--sign-tool <name>] [--out <file>] [--der]
                                                      certificate request (PKCS#10)`;

/** Short attribute names people type (OpenSSL's and RFC 4514's), to the names of @eds/core. */
const SHORT_NAMES: Record<string, string> = {
  CN: 'commonName',
  SN: 'surname',
  GN: 'givenName',
  G: 'givenName',
  T: 'title',
  TITLE: 'title',
  O: 'organization',
  OU: 'organizationalUnit',
  C: 'country',
  ST: 'stateOrProvince',
  L: 'locality',
  STREET: 'street',
  E: 'email',
  EMAIL: 'email',
  EMAILADDRESS: 'email',
  SERIALNUMBER: 'serialNumber',
  DC: 'domainComponent',
  INN: 'inn',
  INNLE: 'innle',
  OGRN: 'ogrn',
  OGRNIP: 'ogrnip',
  SNILS: 'snils',
  IIN: 'iin',
  BIN: 'bin',
};

/**
 * Parses a subject as `CN=Иванов Иван,SNILS=11223344595` (RFC 4514 order as typed, `\,` escapes a
 * comma) or OpenSSL's `/CN=.../SNILS=...`. Types are the short names above or dotted OIDs.
 */
export function parseSubject(text: string): NameEntry[] {
  const slash = text.startsWith('/');
  const parts: string[] = [];
  let current = '';
  for (let i = slash ? 1 : 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\' && i + 1 < text.length) current += text[++i];
    else if (c === (slash ? '/' : ',')) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts
    .filter((p) => p.trim() !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq <= 0) throw new UsageError(`subject part ${JSON.stringify(part)} is not TYPE=value`);
      const key = part.slice(0, eq).trim();
      const type = SHORT_NAMES[key.toUpperCase()] ?? (/^\d+(\.\d+)+$/.test(key) ? key : undefined);
      if (!type)
        throw new UsageError(`unknown subject attribute ${key} (use ${Object.keys(SHORT_NAMES).join(', ')} or an OID)`);
      return { type, value: part.slice(eq + 1).trim() };
    });
}

function parseSan(text: string): GeneralNameInput[] {
  return text.split(',').map((item) => {
    const [kind, ...rest] = item.split(':');
    const value = rest.join(':');
    switch (kind?.trim().toLowerCase()) {
      case 'email':
        return { email: value };
      case 'dns':
        return { dns: value };
      case 'uri':
        return { uri: value };
      case 'ip':
        return { ip: value };
      default:
        throw new UsageError(`--san item ${JSON.stringify(item)}: use email:, dns:, uri: or ip:`);
    }
  });
}

function parseKeyUsage(text: string): KeyUsageName[] {
  return text.split(',').map((name) => {
    const found = KEY_USAGE_BITS.find((bit) => bit.toLowerCase() === name.trim().toLowerCase());
    if (!found) throw new UsageError(`unknown key usage ${name} (use ${KEY_USAGE_BITS.join(', ')})`);
    return found;
  });
}

/** Runs `eds csr`: writes PEM (or DER with `--der`) to `--out`, or prints PEM. */
export async function csrCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      key: { type: 'string' },
      subject: { type: 'string' },
      'password-env': { type: 'string' },
      san: { type: 'string' },
      'key-usage': { type: 'string' },
      eku: { type: 'string' },
      'sign-tool': { type: 'string' },
      out: { type: 'string', short: 'o' },
      der: { type: 'boolean', default: false },
    },
  });
  if (!values.key) throw new UsageError('csr needs --key <key.pem|file.pfx>');
  if (!values.subject) throw new UsageError('csr needs --subject "CN=...,C=RU"');
  if (values.der && !values.out) throw new UsageError('--der needs --out <file>');
  const subject = parseSubject(values.subject);
  const signer = await loadSigner(io, values.key, { passwordEnv: values['password-env'] });
  const csr = await createCsr({
    signer,
    subject,
    extensions: {
      ...(values.san && { subjectAltName: parseSan(values.san) }),
      ...(values['key-usage'] && { keyUsage: parseKeyUsage(values['key-usage']) }),
      ...(values.eku && { extKeyUsage: values.eku.split(',').map((s) => s.trim()) }),
      ...(values['sign-tool'] && { subjectSignTool: values['sign-tool'] }),
    },
  });
  const output = values.der ? csr : encodePem('CERTIFICATE REQUEST', csr);
  if (values.out) {
    await writeFile(values.out, output);
    io.stderr(`certificate request written to ${values.out}\n`);
  } else io.stdout(output as string);
  return 0;
}
