// Test-only page script: puts the FAKE CryptoPro plug-in and the FAKE Rutoken Plugin of @eds/pkcs11's tests on `window`, as their loaders would (bundled by the e2e test, run before the page).
import { base64Decode } from '@eds/core/encoding';
import { parsePrivateKey } from '@eds/core/keys';
import { createSigner } from '@eds/core/signer';
import { createFakeCadesPlugin } from '../../../packages/pkcs11/test/support/fake-cadesplugin';
import { createFakeRutokenPlugin } from '../../../packages/pkcs11/test/support/fake-rutoken-plugin';

/** What the test passes in `window.__fakeBridges`: one key per bridge, as Base64 PKCS#8 and DER certificate. */
export interface FakeBridgesConfig {
  readonly cryptopro?: { readonly pkcs8: string; readonly certificate: string; readonly serial: string };
  readonly rutoken?: {
    readonly pkcs8: string;
    readonly certificate: string;
    readonly serial: string;
    readonly pin: string;
  };
}

const config = (globalThis as { __fakeBridges?: FakeBridgesConfig }).__fakeBridges ?? {};
const g = globalThis as Record<string, unknown>;

if (config.cryptopro) {
  const key = parsePrivateKey(base64Decode(config.cryptopro.pkcs8));
  const certificate = base64Decode(config.cryptopro.certificate);
  const issued = {
    certificate,
    key,
    signer: createSigner({ key, certificate }),
    serial: BigInt(config.cryptopro.serial),
  };
  g.cadesplugin = createFakeCadesPlugin({ entries: [{ issued }] }).plugin;
}

if (config.rutoken) {
  const key = parsePrivateKey(base64Decode(config.rutoken.pkcs8));
  const certificate = base64Decode(config.rutoken.certificate);
  const fake = createFakeRutokenPlugin([
    { serial: config.rutoken.serial, pin: config.rutoken.pin, maxRetries: 10, keys: [{ key, certificate }] },
  ]);
  g.rutoken = { ready: Promise.resolve(), loadPlugin: async () => fake.plugin };
}
