// Sample inputs for trying the service: a throwaway test PKI (@eds/core/testing), its CRLs, and a document signed detached, attached and as XML.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signCms } from '@eds/core/cms';
import { encodePem } from '@eds/core/encoding';
import { createTestCa, type IssuedCertificate, type KeySpec, type TestCa, testIdentifiers } from '@eds/core/testing';
import { signXml } from '@eds/core/xmldsig';

/** A root, an intermediate CA and a qualified signer, with a document signed three ways. */
export interface SamplePki {
  readonly root: TestCa;
  readonly ca: TestCa;
  readonly signer: IssuedCertificate;
  readonly document: Uint8Array;
  /** Detached CMS (DER) over `document`. */
  readonly detached: Uint8Array;
  /** Attached CMS (DER) holding `document`. */
  readonly attached: Uint8Array;
  /** An enveloped XMLDSig signature over a small XML document. */
  readonly xml: string;
}

/** Options of {@link createSamplePki}. */
export interface SamplePkiOptions {
  /** Key type of every certificate (default GOST R 34.10-2012 256). */
  readonly keySpec?: KeySpec | undefined;
  /** A base URL: the CAs write `<crlBase>/root.crl` and `<crlBase>/ca.crl` as CRL distribution points (default none). */
  readonly crlBase?: string | undefined;
}

/**
 * Makes a throwaway PKI with the test-CA toolkit (**for tests and demos only**: random keys held
 * in memory, invented identities) and signs a sample document with it.
 *
 * @throws the errors of createTestCa, signCms and signXml.
 * @example
 * ```ts
 * const { root, detached, document } = await createSamplePki({ keySpec: { type: 'ecdsa', curve: 'P-256' } });
 * ```
 */
export async function createSamplePki(options: SamplePkiOptions = {}): Promise<SamplePki> {
  const keySpec = options.keySpec ?? { type: 'gost2012-256' };
  const url = (name: string) => (options.crlBase ? `${options.crlBase}/${name}` : null);
  const root = await createTestCa({
    keySpec,
    profile: 'russian-qualified',
    subject: { commonName: 'Тестовый корневой УЦ (пример)' },
    crlUrl: url('root.crl'),
    ocspUrl: null,
    caIssuersUrl: null,
  });
  const ca = await root.issueIntermediate({
    keySpec,
    subject: { commonName: 'Тестовый УЦ (пример)' },
    crlUrl: url('ca.crl'),
    ocspUrl: null,
    caIssuersUrl: null,
  });
  const ids = testIdentifiers();
  const signer = await ca.issue({
    subject: {
      commonName: 'Иванов Иван Иванович',
      surname: 'Иванов',
      givenName: 'Иван Иванович',
      snils: ids.snils,
      inn: ids.inn,
      country: 'RU',
    },
  });
  const document = new TextEncoder().encode('Договор № 1 от 1 января. Пример документа для подписи.\n');
  const detached = await signCms({ content: document, signers: [signer.signer], detached: true });
  const attached = await signCms({ content: document, signers: [signer.signer] });
  const xml = await signXml({
    document: '<?xml version="1.0" encoding="UTF-8"?>\n<Заявление><Номер>1</Номер><Текст>Пример</Текст></Заявление>',
    signer: signer.signer,
  });
  return { root, ca, signer, document, detached, attached, xml };
}

/**
 * Writes a sample PKI into `dir`: `root.pem` (the trust anchor), `intermediates.pem` (the
 * issuing CA, which the XML signature does not carry), `crl/root.crl` and
 * `crl/ca.crl` (valid for 7 days), `document.txt` with `document.txt.sig` (detached) and
 * `document.p7s` (attached), and `signed.xml`.
 *
 * @throws the errors of {@link createSamplePki} and of the file system.
 * @example
 * ```ts
 * await writeSample('sample');
 * ```
 */
export async function writeSample(dir: string, options: SamplePkiOptions = {}): Promise<SamplePki> {
  const pki = await createSamplePki(options);
  mkdirSync(join(dir, 'crl'), { recursive: true });
  writeFileSync(join(dir, 'root.pem'), encodePem('CERTIFICATE', pki.root.certificate));
  writeFileSync(join(dir, 'intermediates.pem'), encodePem('CERTIFICATE', pki.ca.certificate));
  writeFileSync(join(dir, 'crl', 'root.crl'), await pki.root.createCrl());
  writeFileSync(join(dir, 'crl', 'ca.crl'), await pki.ca.createCrl());
  writeFileSync(join(dir, 'document.txt'), pki.document);
  writeFileSync(join(dir, 'document.txt.sig'), pki.detached);
  writeFileSync(join(dir, 'document.p7s'), pki.attached);
  writeFileSync(join(dir, 'signed.xml'), pki.xml);
  return pki;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = fileURLToPath(new URL('../sample', import.meta.url));
  await writeSample(dir);
  process.stdout.write(`sample PKI and signatures written to ${dir}\n`);
}
