// Test harness for the Chromium test (bundled as an init script): a FAKE CryptoPro plug-in from the @eds/pkcs11 test support, holding one key, as window.cadesplugin before the page's script runs.
import { base64Decode } from '@eds/core/encoding';
import { parsePrivateKey } from '@eds/core/keys';
import { createSigner } from '@eds/core/signer';
import { parseCertificate } from '@eds/core/x509';
import { createFakeCadesPlugin } from '../../../packages/pkcs11/test/support/fake-cadesplugin.ts';

/** Set by the test before this script: the key (PKCS#8) and certificate of the store's one entry, Base64. */
interface FakeKey {
  readonly pkcs8: string;
  readonly certificate: string;
}

const given = (globalThis as { __EDS_FAKE_KEY?: FakeKey }).__EDS_FAKE_KEY;
if (given) {
  const key = parsePrivateKey(base64Decode(given.pkcs8));
  const certificate = base64Decode(given.certificate);
  const issued = {
    certificate,
    key,
    serial: parseCertificate(certificate).serialNumber,
    signer: createSigner({ key, certificate }),
  };
  (globalThis as { cadesplugin?: unknown }).cadesplugin = createFakeCadesPlugin({ entries: [{ issued }] }).plugin;
}
