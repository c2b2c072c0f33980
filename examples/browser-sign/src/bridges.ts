// The keys the page can sign with: .pfx entries of the software adapter and the certificates of browser bridges (CryptoPro plug-in, Rutoken Plugin, NCALayer), probed cheaply.
import { CRYPTOPRO_STORE, createCryptoProAdapter } from '@eds/pkcs11/cryptopro';
import { createNcaLayerAdapter, type NcaLayerAdapter } from '@eds/pkcs11/ncalayer';
import { createRutokenAdapter, type RutokenPlugin } from '@eds/pkcs11/rutoken';
import { type SelectedCertificate, selectCertificates } from '@eds/pkcs11/selection';
import type { CertificateEntry, TokenAdapter, TokenRef } from '@eds/pkcs11/types';

/** Where a key lives. */
export type Source = 'pfx' | 'cryptopro' | 'rutoken' | 'ncalayer';

/** Display names of the sources. */
export const SOURCE_NAMES: Readonly<Record<Source, string>> = {
  pfx: '.pfx',
  cryptopro: 'КриптоПро ЭЦП Browser plug-in',
  rutoken: 'Рутокен Плагин',
  ncalayer: 'NCALayer',
};

/** A certificate with its key on an adapter that makes raw signatures (signed through tokenSigner). */
export interface CertificateChoice {
  readonly kind: 'certificate';
  readonly id: string;
  readonly source: Source;
  readonly adapter: TokenAdapter;
  readonly selected: SelectedCertificate;
}

/** An NCALayer storage: NCALayer shows its own key dialog and builds the CMS itself. */
export interface NcaLayerChoice {
  readonly kind: 'ncalayer';
  readonly id: string;
  readonly source: 'ncalayer';
  readonly adapter: NcaLayerAdapter;
  readonly token: TokenRef;
  readonly label: string;
}

/** One entry of the certificate picker. */
export type Choice = CertificateChoice | NcaLayerChoice;

/** The result of looking for a bridge: absent, found with its choices, or found but failing. */
export type Probe =
  | { readonly state: 'absent' }
  | { readonly state: 'found'; readonly choices: readonly Choice[] }
  | { readonly state: 'failed'; readonly error: unknown };

/**
 * Picker entries for certificates of one adapter: every certificate with a private key, valid or
 * not (status and warnings shown), sorted as `selectCertificates` sorts (valid, qualified, latest).
 */
export function certificateChoices(
  source: Source,
  adapter: TokenAdapter,
  entries: readonly CertificateEntry[],
): CertificateChoice[] {
  return selectCertificates(entries, { validity: 'any' }).map((selected) => ({
    kind: 'certificate',
    id: `${source}:${selected.entry.key.tokenId}:${selected.entry.key.keyId}`,
    source,
    adapter,
    selected,
  }));
}

/** The CryptoPro plug-in, when the page loaded `cadesplugin_api.js` (window.cadesplugin). */
export async function probeCryptoPro(): Promise<Probe> {
  if (!('cadesplugin' in globalThis)) return { state: 'absent' };
  try {
    const adapter = createCryptoProAdapter({ loadTimeoutMs: 10_000 });
    const entries = await adapter.listCertificates(CRYPTOPRO_STORE);
    return { state: 'found', choices: certificateChoices('cryptopro', adapter, entries) };
  } catch (error) {
    return { state: 'failed', error };
  }
}

/** The global object of Aktiv's `rutoken-plugin.js` (npm `@aktivco/rutoken-plugin`), the part used here. */
interface RutokenGlobal {
  readonly ready: Promise<unknown>;
  loadPlugin(): Promise<RutokenPlugin>;
}

function rutokenGlobal(): RutokenGlobal | undefined {
  const r = (globalThis as { rutoken?: Partial<RutokenGlobal> }).rutoken;
  return r && typeof r.loadPlugin === 'function' && r.ready ? (r as RutokenGlobal) : undefined;
}

/** The Rutoken Plugin, when the page loaded `rutoken-plugin.js` (window.rutoken): every device's certificates. */
export async function probeRutoken(): Promise<Probe> {
  const rutoken = rutokenGlobal();
  if (!rutoken) return { state: 'absent' };
  try {
    const adapter = createRutokenAdapter({
      loadPlugin: async () => {
        await rutoken.ready;
        return rutoken.loadPlugin();
      },
    });
    const choices: Choice[] = [];
    for (const token of await adapter.listTokens()) {
      choices.push(...certificateChoices('rutoken', adapter, await adapter.listCertificates(token)));
    }
    return { state: 'found', choices };
  } catch (error) {
    return { state: 'failed', error };
  }
}

/** A loopback WebSocket address, the only kind the page accepts for NCALayer. */
const LOOPBACK_WS = /^wss?:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d{1,5}$/;

/**
 * The NCALayer address: wss://127.0.0.1:13579, or another loopback address given as
 * `?ncalayer=ws://127.0.0.1:<port>` (a test server or a relay); anything else is ignored.
 */
export function ncaLayerUrl(search: string): string | undefined {
  const given = new URLSearchParams(search).get('ncalayer');
  return given && LOOPBACK_WS.test(given) ? given : undefined;
}

/**
 * NCALayer on wss://127.0.0.1:13579 (or `url`): only when the user asks (the page never polls the
 * loopback port by itself). One entry per storage NCALayer reports; the key is picked in
 * NCALayer's dialog.
 */
export async function connectNcaLayer(url?: string): Promise<Probe> {
  const adapter = createNcaLayerAdapter({ url, connectTimeoutMs: 3000 });
  try {
    const tokens = await adapter.listTokens();
    const choices: NcaLayerChoice[] = tokens.map((t) => ({
      kind: 'ncalayer',
      id: `ncalayer:${t.tokenId}`,
      source: 'ncalayer',
      adapter,
      token: { provider: t.provider, tokenId: t.tokenId },
      label: t.label,
    }));
    return { state: 'found', choices };
  } catch (error) {
    await adapter.close();
    return { state: 'failed', error };
  }
}
