// `eds sign`: a CAdES-BES, -T, -X Long Type 1 or B-LT signature (CMS SignedData, RFC 5652 §5; ETSI EN 319 122-1 §4-§6; RFC 5126 §6; RFC 3161) of a file, streamed, attached or detached, or a co-signature added to an existing one.
import { createReadStream, type ReadStream } from 'node:fs';
import { link, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  addSignatureTimestamp,
  addValidationData,
  signCades,
  type TsaEndpoint,
  type ValidationDataSource,
  type ValidationValues,
} from '@eds/core/cades';
import { addSigner, type CmsContent, cmsToPem } from '@eds/core/cms';
import { decodePem } from '@eds/core/encoding';
import { EdsError } from '@eds/core/errors';
import { createFetcher } from '@eds/core/fetcher';
import { parseSignedData } from '@eds/core/signed-data';
import type { Signer } from '@eds/core/types';
import { createTrustStore } from '@eds/verify/trust';
import { validationDataSource } from '@eds/verify/validation-data';
import { type CliIo, UsageError } from './_cli';
import { loadSigner } from './_key-file';
import { signXmlFile, type XmlSignArgs, xmlArgs } from './_sign-xml';
import { normaliseKeyId, tokenKeySigner, withModule } from './_token';

export const SIGN_USAGE = `  sign <file> (--key <key.pem|file.pfx> [--cert <cert.pem>] [--password-env VAR]
            | --token-module <pkcs11.so> --token-key <CKA_ID hex> [--token <serial>])
       [--detached] [--level BES|T|XLT1|LT] [--tsa <url>] [--add-to <existing.sig>]
       [--trust <root.pem>]... [--offline] [--chain <ca.pem>]... [--crl <file>]... [--ocsp <response>]...
       [--xml [--profile default|smev3|kazakh] [--reference-id ID] [--signature-parent ID]]
       [--out <file>] [--pem] [--force]   CAdES signature (DER; default <file>.sig)`;

/** Chunk size of the file stream: large enough that hashing, not I/O calls, dominates. */
const CHUNK = 1 << 20;
/** Limits of the TSA exchange: a time-stamp reply is a few kilobytes. */
const TSA_TIMEOUT_MS = 30_000;
const TSA_MAX_BYTES = 1 << 20;
/** CRLs of Russian CAs run to many megabytes. */
const REVOCATION_MAX_BYTES = 256 << 20;
const LEVELS = ['BES', 'T', 'XLT1', 'LT'] as const;
type Level = (typeof LEVELS)[number];

interface SignArgs {
  file: string;
  /** `--key`, or the token key of `--token-module` and `--token-key` (the PIN from EDS_PIN or a prompt). */
  key?: string | undefined;
  token?: { module: string; keyId: string; serial?: string | undefined } | undefined;
  cert?: string | undefined;
  passwordEnv?: string | undefined;
  detached: boolean;
  level: Level;
  tsa?: string | undefined;
  addTo?: string | undefined;
  /** XLT1 and LT: trusted roots (the path is validated and OCSP/CRLs fetched), and files of CA certificates, CRLs and OCSP responses. */
  trust: string[];
  offline: boolean;
  chain: string[];
  crl: string[];
  ocsp: string[];
  out: string;
  pem: boolean;
  force: boolean;
  /** `--xml`: an XML signature (XMLDSig; XAdES-BES/T when `--level` is given). */
  xml?: XmlSignArgs | undefined;
}

/** Reads and checks the arguments; every wrong combination is a UsageError (exit 2). */
function parseSignArgs(args: readonly string[]): SignArgs {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      key: { type: 'string', short: 'k' },
      'token-module': { type: 'string' },
      'token-key': { type: 'string' },
      token: { type: 'string' },
      cert: { type: 'string', short: 'c' },
      'password-env': { type: 'string' },
      detached: { type: 'boolean', short: 'd', default: false },
      level: { type: 'string' },
      xml: { type: 'boolean', default: false },
      profile: { type: 'string' },
      'reference-id': { type: 'string' },
      'signature-parent': { type: 'string' },
      tsa: { type: 'string' },
      'add-to': { type: 'string' },
      trust: { type: 'string', short: 't', multiple: true, default: [] },
      offline: { type: 'boolean', default: false },
      chain: { type: 'string', multiple: true, default: [] },
      crl: { type: 'string', multiple: true, default: [] },
      ocsp: { type: 'string', multiple: true, default: [] },
      out: { type: 'string', short: 'o' },
      pem: { type: 'boolean', default: false },
      force: { type: 'boolean', short: 'f', default: false },
    },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError('sign needs exactly one <file> to sign');
  const file = positionals[0] as string;
  const token = tokenArgs(values);
  if (!values.key && !token)
    throw new UsageError(
      'sign needs --key <key.pem|file.pfx>, or --token-module <pkcs11.so> with --token-key <CKA_ID>',
    );
  if (values.key && token) throw new UsageError('--key and --token-module exclude each other');
  if (token && (values.cert || values['password-env']))
    throw new UsageError(
      '--cert and --password-env apply to --key: the token holds the certificate, the PIN comes from EDS_PIN',
    );
  const level = (values.level ?? 'BES').toUpperCase() as Level;
  if (!LEVELS.includes(level)) throw new UsageError(`unknown --level ${values.level} (choose BES, T, XLT1 or LT)`);
  const xml = values.xml ? xmlArgs(values, level) : undefined;
  if (level !== 'BES' && !values.tsa) throw new UsageError(`--level ${level} needs --tsa <url> of a timestamp service`);
  if (level === 'BES' && values.tsa) throw new UsageError('--tsa applies to --level T, XLT1 and LT only');
  const longTerm = level === 'XLT1' || level === 'LT';
  if (longTerm && values.trust.length + values.crl.length + values.ocsp.length === 0)
    throw new UsageError(
      `--level ${level} needs revocation data: --trust <root.pem> (validate and fetch OCSP/CRLs), or --crl and/or --ocsp files with --chain <ca.pem>`,
    );
  if (!longTerm && values.trust.length + values.chain.length + values.crl.length + values.ocsp.length > 0)
    throw new UsageError('--trust, --chain, --crl and --ocsp apply to --level XLT1 and LT only');
  if (values.offline && values.trust.length === 0) throw new UsageError('--offline applies with --trust only');
  if (values.tsa && !/^https?:$/.test(urlProtocol(values.tsa)))
    throw new UsageError(`--tsa ${values.tsa} is not an http:// or https:// URL`);
  if (values['add-to'] && values.detached)
    throw new UsageError('--detached does not apply to --add-to: the existing signature decides');
  if (!values.xml && (values.profile || values['reference-id'] || values['signature-parent']))
    throw new UsageError('--profile, --reference-id and --signature-parent apply to --xml only');
  return {
    file,
    key: values.key,
    token,
    cert: values.cert,
    passwordEnv: values['password-env'],
    detached: values.detached,
    level,
    tsa: values.tsa,
    addTo: values['add-to'],
    trust: values.trust,
    offline: values.offline,
    chain: values.chain,
    crl: values.crl,
    ocsp: values.ocsp,
    out: values.out ?? (xml ? `${file.replace(/\.xml$/i, '')}.signed.xml` : `${file}.sig`),
    pem: values.pem,
    force: values.force,
    xml,
  };
}

function tokenArgs(values: {
  'token-module'?: string | undefined;
  'token-key'?: string | undefined;
  token?: string | undefined;
}): SignArgs['token'] {
  const module = values['token-module'];
  const keyId = values['token-key'];
  if (module === undefined && keyId === undefined && values.token === undefined) return undefined;
  if (module === undefined || keyId === undefined)
    throw new UsageError('signing with a token needs both --token-module <pkcs11.so> and --token-key <CKA_ID hex>');
  return { module, keyId: normaliseKeyId(keyId), serial: values.token };
}

function urlProtocol(text: string): string {
  try {
    return new URL(text).protocol;
  } catch {
    return '';
  }
}

/** Refuses early when the output exists and `--force` is absent (checked again when writing). */
async function checkOutput(out: string, force: boolean): Promise<void> {
  if (force) return;
  const exists = await stat(out).then(
    () => true,
    (e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? false : Promise.reject(e)),
  );
  if (exists) throw new UsageError(`${out} exists; pass --force to overwrite it or --out <file>`);
}

/**
 * Writes through a temporary file in the same directory, then renames it into place (or, without
 * `--force`, links it, which fails if the name was taken meanwhile): a failed write never leaves a
 * truncated signature under the output name.
 */
async function writeOutput(out: string, data: Uint8Array | string, force: boolean): Promise<void> {
  const random = Array.from(globalThis.crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16)).join('');
  const temp = join(dirname(out), `.${basename(out)}.${random}.tmp`);
  await writeFile(temp, data, { flag: 'wx' });
  try {
    if (force) return await rename(temp, out);
    await link(temp, out);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new UsageError(`${out} exists; pass --force to overwrite it or --out <file>`);
    throw error;
  } finally {
    await unlink(temp).catch(() => {});
  }
}

/**
 * The file as a stream of 1 MiB chunks, never read whole (attached signing collects it in the
 * output). Each stream is recorded in `opened` so that one left unread by a failure is closed.
 */
function fileContent(file: string, opened: ReadStream[]): CmsContent {
  const stream = createReadStream(file, { highWaterMark: CHUNK });
  opened.push(stream);
  return stream;
}

/** The other certificates of a `--cert` bundle (its issuers), to be written beside the signer's. */
async function extraCertificates(certFile: string | undefined, signer: Signer): Promise<Uint8Array[]> {
  if (certFile === undefined) return [];
  const text = new TextDecoder('latin1').decode(await readFile(certFile));
  if (!text.includes('-----BEGIN')) return [];
  const own = signer.certificate;
  return decodePem(text)
    .filter((b) => b.label === 'CERTIFICATE' || b.label === 'X509 CERTIFICATE')
    .map((b) => b.bytes)
    .filter((c) => !own || c.length !== own.length || c.some((x, i) => x !== own[i]));
}

/** The DER objects of a file: each PEM block with one of `labels`, or the whole file as DER. */
async function readObjects(file: string, labels: readonly string[]): Promise<Uint8Array[]> {
  const bytes = new Uint8Array(await readFile(file));
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, 1 << 16));
  if (!text.includes('-----BEGIN')) return [bytes];
  const blocks = named(file, () => decodePem(new TextDecoder('latin1').decode(bytes)));
  const found = blocks.filter((b) => labels.includes(b.label)).map((b) => b.bytes);
  if (found.length === 0) throw new UsageError(`${file} has no ${labels[0]} PEM block`);
  return found;
}

const CERTIFICATE_LABELS = ['CERTIFICATE', 'X509 CERTIFICATE'];

/** The certificates, CRLs and OCSP responses of `--chain`, `--crl`, `--ocsp` (and the `--cert` bundle's issuers). */
async function validationValues(
  a: SignArgs,
  certificates: readonly Uint8Array[],
): Promise<ValidationValues & { certificates: Uint8Array[]; crls: Uint8Array[]; ocspResponses: Uint8Array[] }> {
  const all = async (files: readonly string[], labels: readonly string[]) =>
    (await Promise.all(files.map((f) => readObjects(f, labels)))).flat();
  return {
    certificates: [...certificates, ...(await all(a.chain, CERTIFICATE_LABELS))],
    crls: await all(a.crl, ['X509 CRL', 'CRL']),
    ocspResponses: await all(a.ocsp, ['OCSP RESPONSE']),
  };
}

/**
 * Where XLT1/LT data comes from: with `--trust`, the signer's path validated by @eds/verify with
 * revocation required, OCSP and CRLs fetched unless `--offline` (the files given are used first);
 * without it, the files as they are.
 */
async function validationSource(a: SignArgs, certificates: readonly Uint8Array[]): Promise<ValidationDataSource> {
  const files = await validationValues(a, certificates);
  if (a.trust.length === 0) return files;
  const roots = (await Promise.all(a.trust.map((f) => readObjects(f, CERTIFICATE_LABELS)))).flat();
  return validationDataSource({
    trust: createTrustStore(roots),
    intermediates: files.certificates,
    revocationData: { crls: files.crls, ocspResponses: files.ocspResponses },
    fetcher: a.offline ? undefined : createFetcher({ timeoutMs: TSA_TIMEOUT_MS, maxBytes: REVOCATION_MAX_BYTES }),
  });
}

/** The TSA of `--tsa`, reached with time and size limits. */
function tsaOf(a: SignArgs): TsaEndpoint | undefined {
  if (a.level === 'BES') return undefined;
  return { url: a.tsa as string, fetcher: createFetcher({ timeoutMs: TSA_TIMEOUT_MS, maxBytes: TSA_MAX_BYTES }) };
}

/**
 * Co-signs `--add-to` (DER, BER, PEM or Base64): for a detached signature the file is its
 * content, for an attached one the file is not read. At level T only the new SignerInfo gets a
 * time-stamp; the existing ones keep their bytes.
 */
async function coSign(
  a: SignArgs,
  signer: Signer,
  certificates: Uint8Array[],
  revocation: ValidationDataSource | undefined,
  opened: ReadStream[],
): Promise<Uint8Array> {
  const existing = new Uint8Array(await readFile(a.addTo as string));
  const before = named(a.addTo as string, () => parseSignedData(existing));
  const options = { signer, certificates };
  const cms = await addSigner(
    existing,
    before.content === undefined ? { ...options, content: fileContent(a.file, opened) } : options,
  );
  const tsa = tsaOf(a);
  if (!tsa) return cms;
  const old = new Set(before.signerInfos.map((si) => hexOf(si.raw)));
  const signerIndex = parseSignedData(cms).signerInfos.findIndex((si) => !old.has(hexOf(si.raw)));
  const cadesT = await addSignatureTimestamp(cms, { tsa, signerIndex });
  if (!revocation) return cadesT;
  return addValidationData(cadesT, { level: a.level as 'XLT1' | 'LT', tsa, revocation, signerIndex });
}

/** Runs `read`, naming `file` in the message of an SDK error (a DecodeError says where, not which file). */
function named<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof EdsError) throw new EdsError(error.code, `${file}: ${error.message}`, { cause: error });
    throw error;
  }
}

function hexOf(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Runs `eds sign`: signs `<file>` with the key of `--key` (PKCS#8 or PFX; the password only from
 * `--password-env` or the terminal) and writes a DER (or `--pem`) CMS to `--out`, by default
 * `<file>.sig`, never overwriting without `--force`.
 */
export async function signCommand(args: readonly string[], io: CliIo): Promise<number> {
  const a = parseSignArgs(args);
  await checkOutput(a.out, a.force);
  const info = await stat(a.file);
  if (!info.isFile()) throw new EdsError('ERR_CLI_NOT_A_FILE', `${a.file} is not a file`);
  const token = a.token;
  if (token) {
    return withModule(token.module, async (adapter) =>
      signWith(a, io, await tokenKeySigner(io, adapter, token.keyId, token.serial)),
    );
  }
  const signer = await loadSigner(io, a.key as string, { certFile: a.cert, passwordEnv: a.passwordEnv });
  if (!signer.certificate)
    throw new UsageError(`${a.key} holds no certificate: give the signer's certificate with --cert <cert.pem>`);
  return signWith(a, io, signer);
}

/** Signs with `signer` (a software key or a token key) and writes the output. */
async function signWith(a: SignArgs, io: CliIo, signer: Signer): Promise<number> {
  if (a.xml) {
    const xml = await signXmlFile(a.file, signer, a.xml, tsaOf(a));
    await writeOutput(a.out, xml, a.force);
    io.stderr(`XML signature (${a.xml.xades ? `XAdES-${a.level}` : 'XMLDSig'}) written to ${a.out}\n`);
    return 0;
  }
  const certificates = await extraCertificates(a.cert, signer);
  const revocation = a.level === 'XLT1' || a.level === 'LT' ? await validationSource(a, certificates) : undefined;
  const opened: ReadStream[] = [];
  let cms: Uint8Array;
  try {
    cms = a.addTo
      ? await coSign(a, signer, certificates, revocation, opened)
      : await signCades({
          content: fileContent(a.file, opened),
          signers: [signer],
          detached: a.detached,
          certificates,
          level: a.level,
          tsa: tsaOf(a),
          revocation,
        });
  } finally {
    for (const stream of opened) stream.destroy();
  }
  await writeOutput(a.out, a.pem ? cmsToPem(cms) : cms, a.force);
  const what = a.addTo ? 'co-signature added' : a.detached ? 'detached signature' : 'signature';
  io.stderr(`${what} (CAdES-${a.level}) written to ${a.out}\n`);
  return 0;
}
