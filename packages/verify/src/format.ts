// Renders the validation report (ETSI EN 319 102-1 §5.1 indications; 63-ФЗ art. 11 for qualified signatures) as plain text for a person, in Russian or English.

import {
  CHECK_MESSAGES,
  LABELS,
  type LabelKey,
  type LocalizedText,
  REVOCATION_REASONS,
  REVOCATION_SOURCES,
  SUB_INDICATION_MESSAGES,
} from './_format-messages';
import {
  type ChainEntry,
  type Check,
  type CheckCode,
  type CheckOutcome,
  type Identity,
  type Indication,
  type RevocationReport,
  type SignatureReport,
  type SubIndication,
  type TimestampReport,
  type VerificationReport,
  worstIndication,
} from './report';

export { CHECK_MESSAGES, type LocalizedText, SUB_INDICATION_MESSAGES } from './_format-messages';

/** The languages of the rendered report. */
export type ReportLanguage = 'ru' | 'en';

/** Options of {@link formatReport}. */
export interface FormatOptions {
  /** Language of the text (default `'ru'`). */
  readonly lang?: ReportLanguage | undefined;
  /** List every check with its outcome mark, and the evidence details (default false: problems and warnings only). */
  readonly verbose?: boolean | undefined;
  /**
   * The reference time of relative phrases ("expires in N days") when a check gives no `days`
   * parameter (default: the report's `validationTime`); never the clock, so output is deterministic.
   */
  readonly now?: Date | undefined;
}

const MARKS: Readonly<Record<CheckOutcome, string>> = {
  passed: '[ok]',
  failed: '[FAIL]',
  indeterminate: '[?]',
  warning: '[!]',
  info: '[i]',
  skipped: '[-]',
};

/** Codes that state a success: rendered with "Not confirmed:" when their outcome is not `passed`. */
const POSITIVE: ReadonlySet<CheckCode> = new Set<CheckCode>([
  'FORMAT_OK',
  'DIGEST_MATCH',
  'SIGNATURE_VALID',
  'SIGNED_ATTRIBUTES_OK',
  'SIGNING_CERTIFICATE_FOUND',
  'SIGNING_CERTIFICATE_BOUND',
  'PATH_VALID',
  'REVOCATION_GOOD',
  'TIMESTAMP_VALID',
  'VALID_AT_SIGNING_TIME',
  'KEY_USAGE_OK',
  'QUALIFIED',
]);

/** Longest string taken from the report (certificate names can be hostile or huge). */
const MAX_FIELD = 1024;
/** Deepest countersignature nesting printed (real files nest one or two levels). */
const MAX_DEPTH = 16;
/** Most entries printed per list (signatures, checks, chain), so thousands of signers stay readable. */
const MAX_ITEMS = 1000;
const DAY_MS = 86_400_000;

type Params = Readonly<Record<string, string | number>>;

/** The one lookup into the tables: own properties only, so `'constructor'` never reaches Object.prototype. */
function pick(table: Readonly<Record<string, LocalizedText>>, key: unknown, lang: ReportLanguage): string | undefined {
  if (typeof key !== 'string' || !Object.hasOwn(table, key)) return undefined;
  return (table[key] as LocalizedText)[lang];
}

function label(key: LabelKey, lang: ReportLanguage, n?: string | number): string {
  const text = LABELS[key][lang];
  return n === undefined ? text : text.replace('{n}', () => String(n));
}

function isUnsafe(c: number): boolean {
  return (
    c < 0x20 ||
    (c >= 0x7f && c <= 0x9f) ||
    c === 0x061c ||
    c === 0x200e ||
    c === 0x200f ||
    c === 0x2028 ||
    c === 0x2029 ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2066 && c <= 0x2069) ||
    c === 0xfeff
  );
}

function escapeUnit(c: number): string {
  return `<U+${c.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/**
 * A string from the report made safe to print on one line: C0 and C1 controls, line and
 * paragraph separators, bidi embeddings, overrides, isolates and marks, and lone surrogates are
 * shown as `<U+XXXX>`; anything past {@link MAX_FIELD} code units is cut and marked `…`.
 */
function clean(value: unknown): string {
  const s = String(value);
  const n = Math.min(s.length, MAX_FIELD);
  let out = '';
  let i = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += s.slice(i, i + 2);
        i++;
      } else out += escapeUnit(c);
    } else if ((c >= 0xdc00 && c <= 0xdfff) || isUnsafe(c)) out += escapeUnit(c);
    else out += s.charAt(i);
  }
  return i < s.length ? `${out}…` : out;
}

const ISO_TIME = /^[+-]?\d{4,6}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** An ISO 8601 time as `04.12.2026 21:05:00 UTC` (ru) or `2026-12-04 21:05:00 UTC` (en); anything else as cleaned text. */
function formatTime(value: unknown, lang: ReportLanguage): string {
  const ms = typeof value === 'string' && ISO_TIME.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) return clean(value);
  const d = new Date(ms);
  const y = pad(d.getUTCFullYear(), 4);
  const day =
    lang === 'ru'
      ? `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${y}`
      : `${y}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return `${day} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
}

function paramText(name: string, value: string | number, lang: ReportLanguage): string {
  if (typeof value === 'number') return clean(value);
  if (name === 'reason') return pick(REVOCATION_REASONS, value, lang) ?? clean(value);
  if (name === 'source') return pick(REVOCATION_SOURCES, value, lang) ?? clean(value);
  return formatTime(value, lang);
}

/** Fills `{name}` and drops `[...]` segments with a missing parameter; only the template is parsed, never the values. */
function fill(template: string, params: Params | undefined, lang: ReportLanguage): string {
  const value = (name: string): string | undefined => {
    if (params === undefined || params === null || !Object.hasOwn(params, name)) return undefined;
    const v = params[name];
    return (typeof v === 'string' && v !== '') || typeof v === 'number' ? paramText(name, v, lang) : undefined;
  };
  const part = (text: string): string | undefined => {
    let missing = false;
    const out = text.replace(/\{(\w+)\}/g, (_, name: string) => {
      const v = value(name);
      if (v === undefined) missing = true;
      return v ?? '';
    });
    return missing ? undefined : out;
  };
  return template.replace(/\[([^\]]*)\]|\{(\w+)\}/g, (whole: string, segment: string | undefined) =>
    segment !== undefined ? (part(segment) ?? '') : (part(whole) ?? '?'),
  );
}

function lowerFirst(text: string): string {
  const second = text.charAt(1);
  return second !== second.toLowerCase() ? text : text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * The sentence of one check in `lang`, with its parameters filled in. A check that states a
 * success (e.g. `SIGNATURE_VALID`) but did not pass reads "Not confirmed: …" ("Not checked: …"
 * when skipped), so the sentence never claims more than the check proved.
 *
 * Standard: ETSI EN 319 102-1 §5.1 (the checks behind an indication).
 * @throws never; an unknown code is printed as it is.
 * @example
 * ```ts
 * checkMessage({ code: 'CERT_EXPIRES_SOON', outcome: 'warning', params: { days: 12 } }, 'en');
 * // 'The certificate expires soon (days left: 12)'
 * ```
 */
export function checkMessage(check: Check, lang: ReportLanguage = 'ru'): string {
  const l = lang === 'en' ? 'en' : 'ru';
  const template = pick(CHECK_MESSAGES, check.code, l);
  const text = template === undefined ? clean(check.code) : fill(template, check.params, l);
  if (
    !POSITIVE.has(check.code) ||
    check.outcome === 'passed' ||
    check.outcome === 'info' ||
    check.outcome === 'warning'
  )
    return text;
  return `${label(check.outcome === 'skipped' ? 'notChecked' : 'notConfirmed', l)}: ${lowerFirst(text)}`;
}

/**
 * The sentence explaining a sub-indication to a person (e.g. HASH_FAILURE: "The document was
 * changed after it was signed").
 *
 * Standard: ETSI EN 319 102-1 §5.1.3, Tables 5 and 6.
 * @throws never; an unknown value is printed as it is.
 * @example
 * ```ts
 * subIndicationMessage('TRY_LATER', 'ru'); // 'Не удалось проверить статус сертификата: …'
 * ```
 */
export function subIndicationMessage(subIndication: SubIndication, lang: ReportLanguage = 'ru'): string {
  return pick(SUB_INDICATION_MESSAGES, subIndication, lang === 'en' ? 'en' : 'ru') ?? clean(subIndication);
}

/** What the renderer carries: the language, the mode, the reference time and the lines so far. */
interface Context {
  readonly lang: ReportLanguage;
  readonly verbose: boolean;
  readonly nowMs: number;
  readonly out: string[];
}

function line(ctx: Context, indent: number, text: string): void {
  ctx.out.push('  '.repeat(indent) + text);
}

function present(value: unknown): value is string | number {
  return (typeof value === 'string' && value !== '') || typeof value === 'number';
}

function items<T>(value: readonly T[] | undefined): readonly T[] {
  return Array.isArray(value) ? value : [];
}

/** Calls `render` for at most {@link MAX_ITEMS} entries, then says how many were left out. */
function each<T>(ctx: Context, list: readonly T[], indent: number, render: (item: T, index: number) => void): void {
  list.slice(0, MAX_ITEMS).forEach(render);
  if (list.length > MAX_ITEMS) line(ctx, indent, label('more', ctx.lang, list.length - MAX_ITEMS));
}

const VERDICT: Readonly<Record<Indication, LabelKey>> = {
  TOTAL_PASSED: 'passed',
  TOTAL_FAILED: 'failed',
  INDETERMINATE: 'indeterminate',
};
const SIGNATURE_STATE: Readonly<Record<Indication, LabelKey>> = {
  TOTAL_PASSED: 'sigPassed',
  TOTAL_FAILED: 'sigFailed',
  INDETERMINATE: 'sigIndeterminate',
};
const TIMESTAMP_STATE: Readonly<Record<Indication, LabelKey>> = {
  TOTAL_PASSED: 'tsPassed',
  TOTAL_FAILED: 'tsFailed',
  INDETERMINATE: 'tsIndeterminate',
};
const TIMESTAMP_KIND: Readonly<Record<TimestampReport['kind'], LabelKey>> = {
  signature: 'tsSignature',
  'cades-c': 'tscades-c',
  archive: 'tsArchive',
  content: 'tsContent',
};

function stateLabel(table: Readonly<Record<string, LabelKey>>, key: unknown, lang: ReportLanguage): string {
  return typeof key === 'string' && Object.hasOwn(table, key) ? label(table[key] as LabelKey, lang) : clean(key);
}

function firstProblem(checks: readonly Check[], lang: ReportLanguage): string | undefined {
  const found = items(checks).find((c) => c.outcome === 'failed' || c.outcome === 'indeterminate');
  return found === undefined ? undefined : checkMessage(found, lang);
}

function reasonOf(
  result: { subIndication?: SubIndication | undefined; checks: readonly Check[] },
  lang: ReportLanguage,
): string | undefined {
  return result.subIndication !== undefined
    ? subIndicationMessage(result.subIndication, lang)
    : firstProblem(result.checks, lang);
}

/**
 * The verdict and its reason. The overall indication is never better than any signature's, so an
 * inconsistent report cannot print "valid" over a failed signature; no signature is never "valid".
 */
function verdict(ctx: Context, report: VerificationReport): void {
  const sigs = items(report.signatures);
  const worst =
    sigs.length === 0
      ? report.indication === 'TOTAL_PASSED'
        ? worstIndication([])
        : report
      : worstIndication([report, ...sigs]);
  const many = sigs.length > 1;
  line(
    ctx,
    0,
    worst.indication === 'TOTAL_PASSED' && many
      ? label('passedMany', ctx.lang, sigs.length)
      : stateLabel(VERDICT, worst.indication, ctx.lang),
  );
  if (worst.indication === 'TOTAL_PASSED') return;
  const culprit = sigs.find(
    (s) =>
      s.indication === worst.indication &&
      (worst.subIndication === undefined || s.subIndication === worst.subIndication),
  );
  const reason =
    worst.subIndication !== undefined
      ? subIndicationMessage(worst.subIndication, ctx.lang)
      : (firstProblem(report.checks, ctx.lang) ?? (culprit ? reasonOf(culprit, ctx.lang) : undefined));
  if (reason === undefined) return;
  const head = many && culprit ? label('reasonOf', ctx.lang, clean(culprit.id)) : label('reason', ctx.lang);
  line(ctx, 0, `${head}: ${reason}`);
}

const IDENTITY_ROWS: readonly (readonly [keyof Identity, LabelKey])[] = [
  ['organization', 'organization'],
  ['title', 'title'],
  ['inn', 'inn'],
  ['innLe', 'innLe'],
  ['snils', 'snils'],
  ['ogrn', 'ogrn'],
  ['ogrnip', 'ogrnip'],
  ['iin', 'iin'],
  ['bin', 'bin'],
  ['email', 'email'],
];

/** ФИО (or the common name), organisation, title and identifiers present in the certificate. */
function identity(ctx: Context, who: Identity, indent: number): void {
  const put = (key: LabelKey, value: unknown) => line(ctx, indent, `${label(key, ctx.lang)}: ${clean(value)}`);
  if (present(who.fullName)) put('fullName', who.fullName);
  else if (present(who.commonName)) put('commonName', who.commonName);
  for (const [field, key] of IDENTITY_ROWS) if (present(who[field])) put(key, who[field]);
  const named = present(who.fullName) || present(who.commonName) || present(who.organization);
  if ((ctx.verbose || !named) && present(who.subject)) put('subject', who.subject);
}

function revocationText(rev: RevocationReport, lang: ReportLanguage, verbose: boolean): string {
  const parts = [stateLabel(REVOCATION_STATE, rev.status, lang)];
  const add = (key: LabelKey, value: string) => parts.push(`${label(key, lang)}: ${value}`);
  if (present(rev.revocationTime))
    add(rev.status === 'suspended' ? 'suspensionTime' : 'revocationTime', formatTime(rev.revocationTime, lang));
  if (present(rev.reason)) add('revReason', pick(REVOCATION_REASONS, rev.reason, lang) ?? clean(rev.reason));
  if (present(rev.source)) {
    const source = pick(REVOCATION_SOURCES, rev.source, lang) ?? clean(rev.source);
    add('source', present(rev.url) && verbose ? `${source} (${clean(rev.url)})` : source);
  }
  if (present(rev.thisUpdate)) add('thisUpdate', formatTime(rev.thisUpdate, lang));
  if (verbose && present(rev.producedAt)) add('producedAt', formatTime(rev.producedAt, lang));
  if (verbose && present(rev.nextUpdate)) add('nextUpdate', formatTime(rev.nextUpdate, lang));
  if (verbose && present(rev.detail)) add('details', clean(rev.detail));
  return parts.join('; ');
}

const REVOCATION_STATE: Readonly<Record<RevocationReport['status'], LabelKey>> = {
  good: 'rev-good',
  revoked: 'rev-revoked',
  suspended: 'rev-suspended',
  unknown: 'rev-unknown',
  'not-checked': 'rev-not-checked',
};

function validityText(entry: { notBefore: string; notAfter: string }, lang: ReportLanguage): string {
  return `${label('from', lang)} ${formatTime(entry.notBefore, lang)} ${label('to', lang)} ${formatTime(entry.notAfter, lang)}`;
}

/** The path, target first: subject, issuer, serial number, validity and revocation of each certificate. */
function chainLines(ctx: Context, chain: readonly ChainEntry[], indent: number): void {
  if (chain.length === 0) return;
  const { lang } = ctx;
  line(ctx, indent, `${label('chain', lang)}:`);
  each(ctx, chain, indent + 1, (entry, i) => {
    const anchor = entry.trustAnchor === true ? ` (${label('anchor', lang)})` : '';
    line(ctx, indent + 1, `${i + 1}. ${clean(entry.name ?? entry.subject)}${anchor}`);
    const put = (key: LabelKey, value: string) => line(ctx, indent + 2, `${label(key, lang)}: ${value}`);
    if (ctx.verbose && entry.name !== undefined) put('subject', clean(entry.subject));
    put('issuer', clean(entry.issuerName ?? entry.issuer));
    put('serial', clean(entry.serialNumber));
    put('validity', validityText(entry, lang));
    if (entry.revocation) put('revocation', revocationText(entry.revocation, lang, ctx.verbose));
    if (ctx.verbose && present(entry.fingerprint)) put('fingerprint', clean(entry.fingerprint));
  });
}

/** A CERT_EXPIRES_SOON check without `days` gets them from its notAfter (or the certificate's) and `now`. */
function withDays(check: Check, chain: readonly ChainEntry[], nowMs: number): Check {
  const params = check.params ?? {};
  if (check.code !== 'CERT_EXPIRES_SOON' || Object.hasOwn(params, 'days') || Number.isNaN(nowMs)) return check;
  const notAfter = Object.hasOwn(params, 'notAfter') ? params.notAfter : chain[check.certificate ?? 0]?.notAfter;
  const end = typeof notAfter === 'string' && ISO_TIME.test(notAfter) ? Date.parse(notAfter) : Number.NaN;
  if (Number.isNaN(end) || end < nowMs) return check;
  return { ...check, params: { ...params, notAfter: notAfter as string, days: Math.floor((end - nowMs) / DAY_MS) } };
}

function checkLine(ctx: Context, check: Check, chain: readonly ChainEntry[], indent: number): void {
  const mark = Object.hasOwn(MARKS, check.outcome) ? MARKS[check.outcome] : '[?]';
  const index = check.certificate;
  const cert = typeof index === 'number' && Number.isInteger(index) ? chain[index] : undefined;
  const about = cert ? ` (${label('certificateN', ctx.lang, (index as number) + 1)}: ${clean(cert.subject)})` : '';
  line(ctx, indent, `${mark} ${checkMessage(withDays(check, chain, ctx.nowMs), ctx.lang)}${about}`);
  if (ctx.verbose && present(check.detail))
    line(ctx, indent + 1, `${label('details', ctx.lang)}: ${clean(check.detail)}`);
}

/** Verbose: every check with its mark. Otherwise failed and indeterminate checks, then warnings. */
function checkLines(ctx: Context, checks: readonly Check[], chain: readonly ChainEntry[], indent: number): void {
  const groups: [LabelKey, readonly Check[]][] = ctx.verbose
    ? [['checks', checks]]
    : [
        ['problems', checks.filter((c) => c.outcome === 'failed' || c.outcome === 'indeterminate')],
        ['warnings', checks.filter((c) => c.outcome === 'warning')],
      ];
  for (const [key, list] of groups) {
    if (list.length === 0) continue;
    line(ctx, indent, `${label(key, ctx.lang)}:`);
    each(ctx, list, indent + 1, (c) => checkLine(ctx, c, chain, indent + 1));
  }
}

function timestampLines(
  ctx: Context,
  stamps: readonly TimestampReport[],
  chain: readonly ChainEntry[],
  indent: number,
): void {
  const { lang } = ctx;
  each(ctx, stamps, indent, (ts) => {
    const tsa = present(ts.tsa) ? ` (${label('tsa', lang)}: ${clean(ts.tsa)})` : '';
    const state = stateLabel(TIMESTAMP_STATE, ts.indication, lang);
    line(ctx, indent, `${stateLabel(TIMESTAMP_KIND, ts.kind, lang)}: ${formatTime(ts.genTime, lang)}${tsa} — ${state}`);
    if (ctx.verbose && present(ts.serialNumber))
      line(ctx, indent + 1, `${label('serial', lang)}: ${clean(ts.serialNumber)}`);
    if (ctx.verbose && present(ts.hashAlgorithm))
      line(ctx, indent + 1, `${label('hashAlgorithm', lang)}: ${clean(ts.hashAlgorithm)}`);
    checkLines(ctx, items(ts.checks), chain, indent + 1);
  });
}

type ConditionOutcome = 'passed' | 'failed' | 'indeterminate' | 'skipped';

/**
 * One 63-ФЗ art. 11 condition from the checks: failed when a related check failed, passed only
 * when every required check passed and nothing related is in doubt, not checked when none ran.
 */
function condition(
  checks: readonly Check[],
  required: readonly CheckCode[],
  related: readonly CheckCode[],
): ConditionOutcome {
  const relevant = checks.filter((c) => required.includes(c.code) || related.includes(c.code));
  if (relevant.length === 0) return 'skipped';
  if (relevant.some((c) => c.outcome === 'failed')) return 'failed';
  const proven = required.every((code) => relevant.some((c) => c.code === code && c.outcome === 'passed'));
  const doubt = relevant.some((c) => c.outcome !== 'passed' || !POSITIVE.has(c.code));
  return proven && !doubt ? 'passed' : 'indeterminate';
}

/** The three conditions of 63-ФЗ art. 11 stated separately, each with its outcome. */
function article11(ctx: Context, sig: SignatureReport, checks: readonly Check[], indent: number): void {
  const { lang } = ctx;
  const proven = items(sig.timestamps).some((t) => t.kind === 'signature' && t.indication === 'TOTAL_PASSED');
  const when = `${formatTime(sig.bestSignatureTime, lang)}, ${label(proven ? 'art11Proven' : 'art11Unproven', lang)}`;
  const rows: [string, ConditionOutcome][] = [
    [`${label('art11Time', lang)} (${when})`, condition(checks, ['VALID_AT_SIGNING_TIME'], [])],
    [
      label('art11Crypto', lang),
      condition(checks, ['SIGNATURE_VALID'], ['SIGNATURE_INVALID', 'DIGEST_MATCH', 'DIGEST_MISMATCH']),
    ],
    [label('art11Limits', lang), condition(checks, ['KEY_USAGE_OK'], ['KEY_USAGE_NOT_FOR_SIGNING'])],
  ];
  line(ctx, indent, `${label('art11', lang)}:`);
  for (const [text, outcome] of rows)
    line(ctx, indent + 1, `${MARKS[outcome]} ${text}: ${label(`cond-${outcome}`, lang)}`);
}

/** One signature and, indented below it, its countersignatures. */
function signatureLines(ctx: Context, sig: SignatureReport, indent: number, depth: number): void {
  const { lang } = ctx;
  const kind = depth === 0 ? 'signature' : 'countersignature';
  line(ctx, indent, `${label(kind, lang)} ${clean(sig.id)}: ${stateLabel(SIGNATURE_STATE, sig.indication, lang)}`);
  const i = indent + 1;
  const checks = items(sig.checks);
  const chain = items(sig.chain);
  const put = (key: LabelKey, value: string) => line(ctx, i, `${label(key, lang)}: ${value}`);
  if (sig.indication !== 'TOTAL_PASSED') {
    const reason = reasonOf({ subIndication: sig.subIndication, checks }, lang);
    if (reason !== undefined) put('reason', reason);
  }
  if (sig.signer) identity(ctx, sig.signer, i);
  if (sig.signer || chain.length > 0) put('kind', label(sig.qualified === true ? 'qualified' : 'nonQualified', lang));
  if (present(sig.format)) put('format', clean(sig.format));
  if (present(sig.signatureAlgorithm)) put('signatureAlgorithm', clean(sig.signatureAlgorithm));
  if (present(sig.digestAlgorithm)) put('digestAlgorithm', clean(sig.digestAlgorithm));
  if (present(sig.claimedSigningTime)) put('claimedTime', formatTime(sig.claimedSigningTime, lang));
  timestampLines(ctx, items(sig.timestamps), chain, i);
  if (present(sig.bestSignatureTime)) put('bestTime', formatTime(sig.bestSignatureTime, lang));
  const leaf = chain[0];
  if (leaf) put('certValidity', validityText(leaf, lang));
  else if (sig.revocation) put('signerRevocation', revocationText(sig.revocation, lang, ctx.verbose));
  if (sig.qualified === true) article11(ctx, sig, checks, i);
  chainLines(ctx, chain, i);
  checkLines(ctx, checks, chain, i);
  const counters = items(sig.countersignatures);
  if (counters.length === 0) return;
  if (depth >= MAX_DEPTH) line(ctx, i, label('more', lang, counters.length));
  else each(ctx, counters, i, (c) => signatureLines(ctx, c, i, depth + 1));
}

/**
 * Renders a validation report as plain text for a person: first the verdict users know
 * («Подлинность документа подтверждена» / "Signature is valid", «Подпись недействительна» /
 * "Signature is invalid", «Не удалось подтвердить подлинность подписи» / "The signature could not
 * be verified") with its reason, then each signature: signer identity, qualified or not, format,
 * algorithms, signing time (claimed) and time-stamps, the 63-ФЗ art. 11 conditions for a
 * qualified signature, the chain with revocation status, problems and warnings (every check when
 * `verbose`), countersignatures indented. Times are UTC. Every string taken from the report is
 * cleaned of control and bidi characters (shown as `<U+XXXX>`) and cut at 1024 characters, so a
 * hostile certificate cannot forge lines. Lines end with `\n`, none after the last. Pure and
 * deterministic: no I/O, no clock, no locale.
 *
 * Standard: ETSI EN 319 102-1 §5.1; 63-ФЗ art. 11 (field-requirements.md §1, verification.md §3).
 * @throws never for a report of the documented shape.
 * @example
 * ```ts
 * const report = await verify({ signature, content, trust });
 * console.log(formatReport(report, { lang: 'en' }).split('\n')[0]); // 'Signature is valid'
 * ```
 */
export function formatReport(report: VerificationReport, options: FormatOptions = {}): string {
  const lang = options.lang === 'en' ? 'en' : 'ru';
  const now = options.now instanceof Date ? options.now.getTime() : Number.NaN;
  const validation = typeof report.validationTime === 'string' && ISO_TIME.test(report.validationTime);
  const nowMs = Number.isNaN(now) && validation ? Date.parse(report.validationTime) : now;
  const ctx: Context = { lang, verbose: options.verbose === true, nowMs, out: [] };
  verdict(ctx, report);
  ctx.out.push('');
  line(ctx, 0, `${label('validationTime', lang)}: ${formatTime(report.validationTime, lang)}`);
  checkLines(ctx, items(report.checks), [], 0);
  each(ctx, items(report.signatures), 0, (sig) => {
    ctx.out.push('');
    signatureLines(ctx, sig, 0, 0);
  });
  return ctx.out.join('\n');
}
