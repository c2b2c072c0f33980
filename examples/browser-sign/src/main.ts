// The browser signing page: open a .pfx (or use a bridge), sign a file as detached CAdES-BES, verify it in the page and show the report.
import { signCms } from '@eds/core/cms';
import { createSoftwareAdapter, type SoftwareAdapter } from '@eds/pkcs11/software';
import { tokenSigner } from '@eds/pkcs11/token-signer';
import { createTrustStore, formatReport, type VerificationReport, verify } from '@eds/verify';
import {
  type Choice,
  certificateChoices,
  connectNcaLayer,
  ncaLayerUrl,
  type Probe,
  probeCryptoPro,
  probeRutoken,
  SOURCE_NAMES,
  type Source,
} from './bridges';
import { describeError as describeErrorOf } from './errors';
import { type Lang, MESSAGES, TEXTS, type TextKey, text } from './i18n';

const MiB = 1024 * 1024;
/** Largest files the page reads: key files and certificates are small; documents are streamed. */
const LIMITS = { pfx: 16 * MiB, root: 1 * MiB, signature: 16 * MiB, bridgeDocument: 50 * MiB } as const;

/** A signature made in this page. */
interface Signed {
  readonly bytes: Uint8Array;
  readonly document: File;
  readonly url: string;
  readonly who: string;
}

/** What the page is doing, shown while it runs. */
type Busy = 'opening' | 'signing' | 'verifying' | 'connecting';

/** Everything the page shows; replaced, never changed in place. */
interface State {
  readonly lang: Lang;
  readonly choices: readonly Choice[];
  readonly selectedId: string | undefined;
  readonly bridges: Readonly<Partial<Record<Source, Probe>>>;
  readonly signed: Signed | undefined;
  readonly report: VerificationReport | undefined;
  readonly error: unknown;
  readonly busy: Busy | undefined;
}

const NO_ERROR = Symbol('no error');

let state: State = {
  lang: 'ru',
  choices: [],
  selectedId: undefined,
  bridges: {},
  signed: undefined,
  report: undefined,
  error: NO_ERROR,
  busy: undefined,
};
let software: SoftwareAdapter = createSoftwareAdapter({ label: 'pfx' });

function $(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el;
}
const input = (id: string) => $(id) as HTMLInputElement;
const firstFile = (id: string): File | undefined => input(id).files?.[0];

function update(patch: Partial<State>): void {
  state = { ...state, ...patch };
  render();
}

/** Raised for a user mistake (a missing or too large file); `say` gives its message in either language. */
class UserInputError extends Error {
  constructor(readonly say: (lang: Lang) => string) {
    super(say('en'));
  }
}

function need<T>(value: T | undefined, message: (lang: Lang) => string): T {
  if (value === undefined) throw new UserInputError(message);
  return value;
}

async function readLimited(file: File, limit: number): Promise<Uint8Array> {
  if (file.size > limit) throw new UserInputError((lang) => MESSAGES.tooLarge(lang, `${Math.round(limit / MiB)} MiB`));
  return new Uint8Array(await file.arrayBuffer());
}

// ---------------------------------------------------------------------------------------------
// Rendering

function renderTexts(lang: Lang): void {
  document.documentElement.lang = lang;
  document.title = `EDS SDK: ${text('title', lang)}`;
  for (const el of document.querySelectorAll<HTMLElement>('[data-t]')) {
    const key = el.dataset.t as TextKey;
    if (key in TEXTS) el.textContent = text(key, lang);
  }
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-lang]')) {
    b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
  }
}

function warningText(choice: Choice, lang: Lang): string[] {
  if (choice.kind !== 'certificate') return [];
  return choice.selected.warnings.map((w) => {
    switch (w.code) {
      case 'EXPIRES_SOON':
        return MESSAGES.expiresSoon(lang, w.daysLeft);
      case 'EXPIRED':
        return MESSAGES.expired(lang);
      case 'NOT_YET_VALID':
        return MESSAGES.notYetValid(lang);
      case 'KEY_EXPIRED':
        return MESSAGES.keyExpired(lang);
    }
    return '';
  });
}

function choiceLines(choice: Choice, lang: Lang): { title: string; details: string[] } {
  if (choice.kind === 'ncalayer') return { title: MESSAGES.ncaStorage(lang, choice.label), details: [] };
  const d = choice.selected.describe;
  const ids = [
    d.inn && `${lang === 'ru' ? 'ИНН' : 'INN'} ${d.inn}`,
    d.snils && `${lang === 'ru' ? 'СНИЛС' : 'SNILS'} ${d.snils}`,
    d.ogrn && `${lang === 'ru' ? 'ОГРН' : 'OGRN'} ${d.ogrn}`,
  ].filter((s): s is string => Boolean(s));
  const title = d.owner ?? d.subjectCommonName ?? choice.selected.entry.label ?? d.thumbprint;
  const details = [
    [d.organization, ...ids].filter(Boolean).join(', '),
    `${MESSAGES.issuer(lang)}: ${d.issuerCommonName ?? '—'}`,
    `${MESSAGES.validTo(lang)}: ${d.notAfter.toISOString().slice(0, 10)}` +
      (choice.selected.qualified ? ` · ${MESSAGES.qualified(lang)}` : ''),
    MESSAGES.source(lang, SOURCE_NAMES[choice.source]),
  ].filter((s) => s.length > 0);
  return { title, details };
}

function renderChoices(s: State): void {
  const list = $('certificates');
  list.replaceChildren(
    ...s.choices.map((choice, i) => {
      const li = document.createElement('li');
      const radio = document.createElement('input');
      radio.type = 'radio';
      radio.name = 'certificate';
      radio.id = `certificate-${i}`;
      radio.value = choice.id;
      radio.checked = choice.id === s.selectedId;
      radio.addEventListener('change', () => update({ selectedId: choice.id }));
      const label = document.createElement('label');
      label.htmlFor = radio.id;
      const { title, details } = choiceLines(choice, s.lang);
      const strong = document.createElement('strong');
      strong.textContent = title;
      label.append(radio, ' ', strong);
      for (const line of details) {
        const div = document.createElement('div');
        div.className = 'detail';
        div.textContent = line;
        label.append(div);
      }
      for (const w of warningText(choice, s.lang)) {
        const div = document.createElement('div');
        div.className = 'warning';
        div.textContent = `⚠ ${w}`;
        label.append(div);
      }
      li.append(label);
      return li;
    }),
  );
  $('no-certificates').hidden = s.choices.length > 0;
}

function renderBridges(s: State): void {
  const lines = (Object.entries(s.bridges) as [Source, Probe][]).flatMap(([source, probe]) => {
    const name = SOURCE_NAMES[source];
    if (probe.state === 'found') return [MESSAGES.bridgeFound(s.lang, name, probe.choices.length)];
    if (probe.state === 'failed') return [MESSAGES.bridgeFailed(name, describeError(probe.error, s.lang))];
    return [];
  });
  $('bridge-status').textContent = lines.length > 0 ? lines.join(' · ') : MESSAGES.bridgeNone(s.lang);
}

function renderSigned(s: State): void {
  const info = $('signature-info');
  info.hidden = s.signed === undefined;
  if (!s.signed) return;
  $('signature-text').textContent = MESSAGES.signed(
    s.lang,
    s.signed.document.name,
    s.signed.bytes.length,
    s.signed.who,
  );
  const link = document.createElement('a');
  link.id = 'download';
  link.href = s.signed.url;
  link.download = `${s.signed.document.name}.sig`;
  link.textContent = text('download', s.lang);
  $('download-slot').replaceChildren(link);
}

function renderReport(s: State): void {
  $('result').hidden = s.report === undefined;
  if (!s.report) return;
  // The verdict and every word of the report are formatReport's own: the page adds none.
  const full = formatReport(s.report, { lang: s.lang });
  const verdict = $('verdict');
  verdict.textContent = full.split('\n')[0] ?? '';
  verdict.dataset.indication = s.report.indication;
  $('report').textContent = full;
}

function render(): void {
  const s = state;
  renderTexts(s.lang);
  renderChoices(s);
  renderBridges(s);
  renderSigned(s);
  renderReport(s);
  const error = $('error');
  error.hidden = s.error === NO_ERROR;
  error.textContent = s.error === NO_ERROR ? '' : describeError(s.error, s.lang);
  $('busy').textContent = s.busy ? MESSAGES[s.busy](s.lang) : '';
  for (const b of document.querySelectorAll<HTMLButtonElement>('button:not([data-lang])')) b.disabled = !!s.busy;
}

// ---------------------------------------------------------------------------------------------
// Actions

/** Runs an action with the page marked busy; its error is shown as a readable message, never thrown. */
async function run(busy: Busy, action: () => Promise<Partial<State>>): Promise<void> {
  update({ busy, error: NO_ERROR });
  try {
    update({ ...(await action()), busy: undefined });
  } catch (error) {
    update({ busy: undefined, error });
  }
}

function describeError(e: unknown, lang: Lang): string {
  return e instanceof UserInputError ? e.say(lang) : describeErrorOf(e, lang);
}

async function openPfx(): Promise<Partial<State>> {
  const password = input('password');
  // The password is read once and the field emptied, whatever happens: the page keeps no copy.
  const secret = password.value;
  password.value = '';
  const file = need(firstFile('pfx'), MESSAGES.choosePfx);
  const entries = await software.addPkcs12(await readLimited(file, LIMITS.pfx), secret);
  const fromPfx = certificateChoices(
    'pfx',
    software,
    await software.listCertificates({ provider: 'software', tokenId: 'pfx' }),
  );
  const others = state.choices.filter((c) => c.source !== 'pfx');
  const added = fromPfx.find((c) => entries.some((e) => e.key.keyId === c.selected.entry.key.keyId));
  return { choices: [...fromPfx, ...others], selectedId: added?.id ?? state.selectedId };
}

async function forgetKeys(): Promise<Partial<State>> {
  await software.close();
  software = createSoftwareAdapter({ label: 'pfx' });
  const choices = state.choices.filter((c) => c.source !== 'pfx');
  const selectedId = choices.some((c) => c.id === state.selectedId) ? state.selectedId : undefined;
  return { choices, selectedId };
}

/** Signs with a key through tokenSigner and @eds/core's signCms, streaming the document. */
async function signWith(choice: Choice, file: File): Promise<Uint8Array> {
  if (choice.kind === 'ncalayer') {
    // NCALayer builds the CMS itself (no raw signatures): the document goes to it as bytes.
    const bytes = await readLimited(file, LIMITS.bridgeDocument);
    return choice.adapter.signCms(choice.token, bytes, { detached: true, level: 'BES' });
  }
  const { adapter } = choice;
  const { entry } = choice.selected;
  if (adapter.capabilities.pinEntry === 'caller' && choice.source !== 'pfx') {
    const pin = input('password');
    const secret = pin.value;
    pin.value = '';
    if (secret) await adapter.login(entry.key, secret);
  }
  return signCms({
    content: file.stream(),
    signers: [tokenSigner({ adapter, entry })],
    detached: true,
    contentHints: { description: file.name },
  });
}

async function sign(): Promise<Partial<State>> {
  const choice = need(
    state.choices.find((c) => c.id === state.selectedId),
    MESSAGES.chooseCertificate,
  );
  const file = need(firstFile('document'), MESSAGES.chooseDocument);
  const bytes = await signWith(choice, file);
  if (state.signed) URL.revokeObjectURL(state.signed.url);
  const url = URL.createObjectURL(
    new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/pkcs7-signature' }),
  );
  const who =
    choice.kind === 'certificate' ? (choice.selected.describe.owner ?? SOURCE_NAMES[choice.source]) : 'NCALayer';
  return { signed: { bytes, document: file, url, who }, report: undefined };
}

async function verifyNow(): Promise<Partial<State>> {
  const rootFile = need(firstFile('root'), MESSAGES.chooseRoot);
  const trust = createTrustStore(await readLimited(rootFile, LIMITS.root), { label: rootFile.name });
  const otherSignature = firstFile('verify-signature');
  const signature = otherSignature
    ? await readLimited(otherSignature, LIMITS.signature)
    : need(state.signed?.bytes, MESSAGES.noSignature);
  const content = need(
    firstFile('verify-document') ?? state.signed?.document ?? firstFile('document'),
    MESSAGES.noDocument,
  );
  const revocation = (input('revocation') as unknown as HTMLSelectElement).value === 'prefer' ? 'prefer' : 'off';
  // Offline: no fetcher is given, so nothing leaves the page; 'prefer' uses revocation data the signature carries.
  const report = await verify({ signature, content: content.stream(), trust, revocation });
  return { report };
}

async function probeBridges(): Promise<void> {
  const [cryptopro, rutoken] = await Promise.all([probeCryptoPro(), probeRutoken()]);
  const found = [cryptopro, rutoken].flatMap((p) => (p.state === 'found' ? p.choices : []));
  const bridges = { ...state.bridges };
  if (cryptopro.state !== 'absent') bridges.cryptopro = cryptopro;
  if (rutoken.state !== 'absent') bridges.rutoken = rutoken;
  update({ bridges, choices: [...state.choices, ...found] });
}

async function probeNcaLayer(): Promise<Partial<State>> {
  // One connection at a time: a second press replaces the first.
  for (const c of state.choices) if (c.kind === 'ncalayer') await c.adapter.close();
  const probe = await connectNcaLayer(ncaLayerUrl(location.search));
  const choices = state.choices.filter((c) => c.source !== 'ncalayer');
  return {
    bridges: { ...state.bridges, ncalayer: probe },
    choices: probe.state === 'found' ? [...choices, ...probe.choices] : choices,
  };
}

// ---------------------------------------------------------------------------------------------
// Wiring

$('pfx-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void run('opening', openPfx);
});
$('forget').addEventListener('click', () => void run('opening', forgetKeys));
$('sign').addEventListener('click', () => void run('signing', sign));
$('verify').addEventListener('click', () => void run('verifying', verifyNow));
$('probe-ncalayer').addEventListener('click', () => void run('connecting', probeNcaLayer));
for (const b of document.querySelectorAll<HTMLButtonElement>('[data-lang]')) {
  b.addEventListener('click', () => update({ lang: b.dataset.lang === 'en' ? 'en' : 'ru' }));
}

render();
void probeBridges();
