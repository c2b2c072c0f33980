// `eds verify`: a CMS/CAdES or XML (XMLDSig/XAdES) signature checked with @eds/verify (RFC 5652 §5; ETSI EN 319 102-1 §5), the report printed for a person (ru/en) or as JSON; exit code 0 valid, 1 invalid, 2 indeterminate.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { decodePem } from '@eds/core/encoding';
import { createFetcher } from '@eds/core/fetcher';
import { formatReport } from '@eds/verify/format';
import type { VerificationReport } from '@eds/verify/report';
import { createTrustStore } from '@eds/verify/trust';
import type { RevocationMode } from '@eds/verify/types';
import { verify } from '@eds/verify/verify';
import { verifyXml } from '@eds/verify/verify-xml';
import { type CliIo, UsageError } from './_cli';

export const VERIFY_USAGE = `  verify <file|file.xml> [--sig <signature>] --trust <root.pem>... [--crl <file>]...
       [--offline] [--revocation require|prefer|off] [--json] [--lang ru|en]
                   check a signature (attached <file> or a signed XML file, or detached --sig over <file>);
                   exit 0 valid, 1 invalid, 2 indeterminate, 64 wrong usage`;

/** Exit codes of `eds verify` by indication; wrong usage is 64 (EX_USAGE) so that it is never read as a verdict. */
const EXIT = { TOTAL_PASSED: 0, TOTAL_FAILED: 1, INDETERMINATE: 2 } as const;
const USAGE_EXIT = 64;
/** Network limits for OCSP and CRL downloads; Russian CAs publish CRLs of many megabytes. */
const FETCH_TIMEOUT_MS = 15_000;
const FETCH_MAX_BYTES = 256 << 20;
/** A progress line is shown for files from this size on, when stderr is a terminal. */
const PROGRESS_FROM = 16 << 20;
const CHUNK = 1 << 20;

interface VerifyArgs {
  file: string;
  sig?: string | undefined;
  trust: string[];
  crl: string[];
  offline: boolean;
  revocation: RevocationMode;
  json: boolean;
  lang: 'ru' | 'en';
}

function usage(message: string): UsageError {
  return new UsageError(message, { exitCode: USAGE_EXIT });
}

function parseVerifyArgs(args: readonly string[]): VerifyArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (e) {
    throw usage((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw usage('verify needs exactly one <file>');
  if (values.trust.length === 0) throw usage('verify needs --trust <root.pem> (the CA roots you trust)');
  const revocation = values.revocation;
  if (revocation !== 'require' && revocation !== 'prefer' && revocation !== 'off')
    throw usage(`unknown --revocation ${revocation} (choose require, prefer or off)`);
  if (values.lang !== 'ru' && values.lang !== 'en') throw usage(`unknown --lang ${values.lang} (choose ru or en)`);
  return {
    file: positionals[0] as string,
    sig: values.sig,
    trust: values.trust,
    crl: values.crl,
    offline: values.offline,
    revocation,
    json: values.json,
    lang: values.lang,
  };
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    options: {
      sig: { type: 'string', short: 's' },
      trust: { type: 'string', short: 't', multiple: true, default: [] },
      crl: { type: 'string', multiple: true, default: [] },
      offline: { type: 'boolean', default: false },
      revocation: { type: 'string', default: 'require' },
      json: { type: 'boolean', default: false },
      lang: { type: 'string', default: 'ru' },
    },
    allowPositionals: true,
  });
}

/** The DER objects of a file: each PEM block with one of `labels`, or the whole file as DER. */
async function objects(file: string, labels: readonly string[]): Promise<Uint8Array[]> {
  const bytes = new Uint8Array(await readFile(file));
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1 << 16));
  if (!head.includes('-----BEGIN')) return [bytes];
  const found = decodePem(new TextDecoder('latin1').decode(bytes))
    .filter((b) => labels.includes(b.label))
    .map((b) => b.bytes);
  if (found.length === 0) throw usage(`${file} has no ${labels[0]} PEM block`);
  return found;
}

/** An XML document (after an optional BOM and white space, `<`) rather than DER, PEM or Base64 CMS. */
function looksLikeXml(bytes: Uint8Array): boolean {
  const head = new TextDecoder()
    .decode(bytes.subarray(0, 256))
    .replace(/^\uFEFF/, '')
    .trimStart();
  return head.startsWith('<');
}

/** The file as 1 MiB chunks, with a progress line on a terminal for large files. */
async function* streamed(file: string, size: number, io: CliIo, tty: boolean): AsyncGenerator<Uint8Array> {
  const show = tty && size >= PROGRESS_FROM;
  let done = 0;
  let shown = -1;
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) {
    done += (chunk as Uint8Array).length;
    const percent = Math.floor((done * 100) / size);
    if (show && percent !== shown) {
      shown = percent;
      io.stderr(`\r${file}: ${percent}%`);
    }
    yield chunk as Uint8Array;
  }
  if (show) io.stderr('\n');
}

/**
 * Runs `eds verify`: the signature (`<file>` when attached, `--sig` when detached, DER, PEM or
 * Base64) against the roots of `--trust`, revocation from the CRLs of `--crl`, the embedded data
 * and, unless `--offline`, OCSP and CRL downloads. Prints the report (Russian by default, or
 * `--json`) and returns 0 for TOTAL_PASSED, 1 for TOTAL_FAILED, 2 for INDETERMINATE.
 */
export async function verifyCommand(args: readonly string[], io: CliIo): Promise<number> {
  const a = parseVerifyArgs(args);
  const roots = (await Promise.all(a.trust.map((f) => objects(f, ['CERTIFICATE', 'X509 CERTIFICATE'])))).flat();
  const crls = (await Promise.all(a.crl.map((f) => objects(f, ['X509 CRL', 'CRL'])))).flat();
  const signatureFile = a.sig ?? a.file;
  const signature = new Uint8Array(await readFile(signatureFile));
  const common = {
    trust: createTrustStore(roots),
    revocation: a.revocation,
    revocationData: { crls },
    fetcher: a.offline ? undefined : createFetcher({ timeoutMs: FETCH_TIMEOUT_MS, maxBytes: FETCH_MAX_BYTES }),
  };
  let report: VerificationReport;
  if (!a.sig && looksLikeXml(signature)) {
    report = (await verifyXml({ ...common, xml: signature })).report;
  } else {
    const size = a.sig ? (await stat(a.file)).size : 0;
    const content = a.sig ? streamed(a.file, size, io, io.isTTY === true) : undefined;
    report = await verify({ ...common, signature, content });
  }
  io.stdout(a.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report, { lang: a.lang })}\n`);
  return EXIT[report.indication];
}
