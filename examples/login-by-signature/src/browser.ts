// The login page's script: opens a .pfx (software adapter) or the CryptoPro bridge, signs the server's challenge as CMS and posts it to /login.
import { signCms } from '@eds/core/cms';
import { base64Encode } from '@eds/core/encoding';
import { CRYPTOPRO_STORE, createCryptoProAdapter } from '@eds/pkcs11/cryptopro';
import { type SelectedCertificate, selectCertificates } from '@eds/pkcs11/selection';
import { createSoftwareAdapter } from '@eds/pkcs11/software';
import { tokenSigner } from '@eds/pkcs11/token-signer';
import type { CertificateEntry, TokenAdapter } from '@eds/pkcs11/types';

/** A certificate the user may pick, with the adapter that holds its key. */
interface Choice {
  readonly adapter: TokenAdapter;
  readonly selected: SelectedCertificate;
}

const REASONS: Record<string, string> = {
  CHALLENGE_UNKNOWN: 'Запрос на вход не найден: начните вход заново.',
  CHALLENGE_EXPIRED: 'Время на подпись истекло: начните вход заново.',
  CHALLENGE_REPLAYED: 'Эта подпись уже использовалась для входа.',
  CONTENT_MISMATCH: 'Подписан не тот текст, который выдал портал.',
  SIGNATURE_INVALID: 'Подпись или сертификат не прошли проверку.',
  SIGNING_TIME_OUT_OF_WINDOW: 'Время подписи вне срока действия запроса: проверьте часы компьютера.',
  KEY_USAGE_NOT_ALLOWED: 'Сертификат не предназначен для электронной подписи.',
  NO_ACCOUNT: 'К СНИЛС и ИНН этого сертификата не привязана учётная запись.',
  BAD_REQUEST: 'Сервер не смог прочитать подпись.',
};

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const software = createSoftwareAdapter({ label: 'pfx' });
let choices: Choice[] = [];

function show(id: string, text: string, outcome?: 'ok' | 'error' | 'busy'): void {
  const el = $(id);
  el.textContent = text;
  if (outcome) el.dataset.outcome = outcome;
  else delete el.dataset.outcome;
  delete el.dataset.account;
  delete el.dataset.code;
}

function describe(s: SelectedCertificate): string {
  const d = s.describe;
  const ids = [d.snils && `СНИЛС ${d.snils}`, d.inn && `ИНН ${d.inn}`].filter(Boolean).join(', ');
  const until = d.notAfter.toLocaleDateString('ru-RU');
  return `${d.owner ?? d.subjectCommonName ?? 'без имени'} (${ids || 'без СНИЛС и ИНН'}; ${d.issuerCommonName ?? ''}; до ${until})`;
}

function addChoices(adapter: TokenAdapter, entries: readonly CertificateEntry[]): number {
  // a login needs a key allowed to sign (keyUsage digitalSignature) and a certificate valid now
  const picked = selectCertificates(entries, { keyUsage: ['digitalSignature'] });
  choices = [...choices, ...picked.map((selected) => ({ adapter, selected }))];
  const select = $<HTMLSelectElement>('certificate');
  select.replaceChildren(
    ...choices.map((c, i) => {
      const option = document.createElement('option');
      option.value = String(i);
      option.textContent = describe(c.selected);
      return option;
    }),
  );
  $<HTMLButtonElement>('login').disabled = choices.length === 0;
  return picked.length;
}

function errorText(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === 'ERR_WRONG_PASSWORD') return 'Неверный пароль к файлу ключа.';
  return e instanceof Error ? e.message : String(e);
}

async function openPfx(): Promise<void> {
  const file = $<HTMLInputElement>('pfx').files?.[0];
  if (!file) return show('key-status', 'Выберите файл .pfx или .p12.', 'error');
  show('key-status', 'Открываю ключ…', 'busy');
  try {
    const entries = await software.addPkcs12(
      new Uint8Array(await file.arrayBuffer()),
      $<HTMLInputElement>('password').value,
    );
    const n = addChoices(software, entries);
    show(
      'key-status',
      n > 0 ? `Сертификатов для входа: ${n}` : 'В файле нет действующего сертификата для подписи.',
      n > 0 ? 'ok' : 'error',
    );
  } catch (e) {
    show('key-status', errorText(e), 'error');
  } finally {
    $<HTMLInputElement>('password').value = '';
  }
}

async function openBridge(): Promise<void> {
  show('key-status', 'Обращаюсь к КриптоПро ЭЦП Browser plug-in…', 'busy');
  try {
    const cryptopro = createCryptoProAdapter();
    const n = addChoices(cryptopro, await cryptopro.listCertificates(CRYPTOPRO_STORE));
    show('key-status', `Сертификатов КриптоПро для входа: ${n}`, n > 0 ? 'ok' : 'error');
  } catch (e) {
    show('key-status', errorText(e), 'error');
  }
}

async function postJson(path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    credentials: 'same-origin',
  });
  return { status: response.status, json: await response.json() };
}

async function login(): Promise<void> {
  const choice = choices[Number($<HTMLSelectElement>('certificate').value)];
  if (!choice) return;
  $<HTMLButtonElement>('login').disabled = true;
  show('result', 'Получаю запрос на вход…', 'busy');
  try {
    const issued = await postJson('/challenge', {});
    if (issued.status !== 200) throw new Error(`сервер не выдал запрос (${issued.status})`);
    const challenge = String(issued.json.challenge);
    show('challenge', challenge);
    show('result', 'Подписываю…', 'busy');
    const signer = tokenSigner({ adapter: choice.adapter, entry: choice.selected.entry });
    const cms = await signCms({ content: new TextEncoder().encode(challenge), signers: [signer] });
    show('result', 'Сервер проверяет подпись…', 'busy');
    const answer = await postJson('/login', { cms: base64Encode(cms) });
    if (answer.status === 200) {
      const me = await (await fetch('/me', { credentials: 'same-origin' })).json();
      show('result', `Вы вошли как: ${me.account.name}`, 'ok');
      $('result').dataset.account = String(me.account.id);
    } else {
      const code = String(answer.json.code ?? answer.status);
      const verdict = answer.json.indication
        ? ` (${answer.json.indication}${answer.json.subIndication ? `/${answer.json.subIndication}` : ''})`
        : '';
      show('result', `${REASONS[code] ?? 'Вход не выполнен.'} Код: ${code}${verdict}`, 'error');
      $('result').dataset.code = code;
    }
  } catch (e) {
    show('result', errorText(e), 'error');
  } finally {
    $<HTMLButtonElement>('login').disabled = choices.length === 0;
  }
}

$('open').addEventListener('click', () => void openPfx());
$('login').addEventListener('click', () => void login());
if ((globalThis as { cadesplugin?: unknown }).cadesplugin !== undefined) {
  $('bridge').hidden = false;
  $('use-bridge').addEventListener('click', () => void openBridge());
}
$('page').dataset.ready = 'true';
