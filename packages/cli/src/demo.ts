// `eds demo`: the end-to-end demonstration on this machine alone: a throwaway GOST PKI, OCSP, CRL and TSA services over real HTTP on 127.0.0.1, a CAdES-T signature verified with its report in Russian and English, the signer revoked and a new signature refused, then the same for a SMEV 3 XML message.
import { signCades } from '@eds/core/cades';
import { createFetcher, type Fetcher } from '@eds/core/fetcher';
import type { RevocationReason } from '@eds/core/testing';
import { signXml } from '@eds/core/xmldsig';
import { formatReport } from '@eds/verify/format';
import type { Indication, SubIndication, VerificationReport } from '@eds/verify/report';
import { createTrustStore } from '@eds/verify/trust';
import type { TrustStore } from '@eds/verify/types';
import { verify } from '@eds/verify/verify';
import { verifyXml } from '@eds/verify/verify-xml';
import type { CliIo } from './_cli';
import { createDemoPki, type DemoPki, describeSubject } from './_demo-pki';
import { type DemoServices, startDemoServices } from './_demo-services';

/** The documents: an application to a public service, and a second one signed after the revocation. */
const DOCUMENT = 'Заявление о предоставлении государственной услуги № 1.\nПрошу выдать выписку из реестра.\n';
const LATER_DOCUMENT = 'Заявление № 2, подписанное после отзыва сертификата.\n';

/** A SMEV 3 SendRequestRequest: the SenderProvidedRequestData with Id SIGNED_BY_CONSUMER is what is signed. */
function smevEnvelope(messageId: string, regNumber: string): string {
  return `<ns:SendRequestRequest xmlns:ns="urn://x-artefacts-smev-gov-ru/services/message-exchange/types/1.1">\
<ns:SenderProvidedRequestData Id="SIGNED_BY_CONSUMER"><ns:MessageID>${messageId}</ns:MessageID>\
<ns2:MessagePrimaryContent xmlns:ns2="urn://x-artefacts-smev-gov-ru/services/message-exchange/types/basic/1.1">\
<req:Request xmlns:req="urn://example.ru/demo/1.0.0"><req:RegNumber>${regNumber}</req:RegNumber>\
<req:Purpose>Выписка для демонстрации</req:Purpose></req:Request></ns2:MessagePrimaryContent>\
</ns:SenderProvidedRequestData><ns:CallerInformationSystemSignature/></ns:SendRequestRequest>`;
}

/** Network limits of the demo: the loopback only, small answers, short timeouts. */
const FETCH = { timeoutMs: 10_000, maxBytes: 1 << 20 };

/** What one verification was expected to give. */
type Expectation = 'valid' | 'revoked';

/** Everything the steps share. */
interface Demo {
  readonly io: CliIo;
  readonly services: DemoServices;
  readonly pki: DemoPki;
  readonly trust: TrustStore;
  readonly fetcher: Fetcher;
  /** Expectations that did not come true, for the summary. */
  readonly failures: string[];
}

const SPINNER = ['|', '/', '-', '\\'];

/** Runs `work`; on a terminal, stderr shows `label` with a spinner (or dots) until it settles. */
async function withProgress<T>(io: CliIo, label: string, work: () => Promise<T>): Promise<T> {
  if (io.isTTY !== true) return work();
  let i = 0;
  io.stderr(`   ${label} ${SPINNER[0]}`);
  const timer = setInterval(() => io.stderr(`\b${SPINNER[++i % SPINNER.length]}`), 120);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    io.stderr(`\r\x1b[K`);
  }
}

function heading(io: CliIo, n: number, ru: string, en: string): void {
  io.stdout(`\n${n}. ${ru}\n   ${en}\n`);
}

function indent(text: string, by = '   | '): string {
  return text
    .split('\n')
    .map((l) => `${by}${l}`.trimEnd())
    .join('\n');
}

/** Prints the report in both languages and records whether it came out as `expected`. */
function showReport(demo: Demo, report: VerificationReport, expected: Expectation, what: string): void {
  const { io } = demo;
  io.stdout(`   Отчёт (ru):\n${indent(formatReport(report, { lang: 'ru' }))}\n`);
  io.stdout(`   Report (en):\n${indent(formatReport(report, { lang: 'en' }))}\n`);
  const ok = matches(report, expected);
  const got = `${report.indication}${report.subIndication ? `/${report.subIndication}` : ''}`;
  const want = expected === 'valid' ? 'TOTAL_PASSED' : 'REVOKED | REVOKED_NO_POE';
  io.stdout(`   => ожидалось / expected ${want}, получено / got ${got}: ${ok ? 'OK' : 'НЕ ТАК / UNEXPECTED'}\n`);
  if (!ok) demo.failures.push(`${what}: expected ${want}, got ${got}`);
}

const REVOKED: ReadonlySet<SubIndication | undefined> = new Set<SubIndication | undefined>([
  'REVOKED',
  'REVOKED_NO_POE',
]);

function matches(report: VerificationReport, expected: Expectation): boolean {
  const failed: readonly Indication[] = ['TOTAL_FAILED', 'INDETERMINATE'];
  if (expected === 'valid') return report.indication === 'TOTAL_PASSED';
  return failed.includes(report.indication) && REVOKED.has(report.subIndication);
}

/** Step 1: the services, before the PKI whose certificates name them. */
function showServices(io: CliIo, services: DemoServices): void {
  heading(io, 1, 'Службы на 127.0.0.1 (HTTP, в этом же процессе)', 'Services on 127.0.0.1 (HTTP, in this process)');
  io.stdout(`   OCSP: ${services.ocspUrl}/ca   (выдающий УЦ / issuing CA)\n`);
  io.stdout(`   CRL:  ${services.crlUrl}/ca.crl (запасной путь / fallback), ${services.crlUrl}/root.crl\n`);
  io.stdout(`   TSA:  ${services.tsaUrl}      (RFC 3161)\n`);
  io.stdout('   корневой УЦ публикует только CRL / the root CA publishes a CRL only\n');
}

/** Step 2: the PKI. */
async function makePki(io: CliIo, services: DemoServices): Promise<DemoPki> {
  heading(io, 2, 'Тестовая PKI на ГОСТ Р 34.10-2012 (256 бит)', 'A throwaway GOST R 34.10-2012 (256-bit) PKI');
  const pki = await withProgress(io, 'ключи и сертификаты / keys and certificates', () => createDemoPki(services));
  services.serve({ cas: { root: pki.root, ca: pki.ca }, tsa: pki.tsa });
  io.stdout(`   корневой УЦ / root CA:         ${describeSubject(pki.root.certificate)}\n`);
  io.stdout(`   выдающий УЦ / issuing CA:      ${describeSubject(pki.ca.certificate)}\n`);
  io.stdout(`   подписант / signer (CAdES):    ${describeSubject(pki.signer.certificate)}\n`);
  io.stdout(`   подписант / signer (СМЭВ 3):   ${describeSubject(pki.xmlSigner.certificate)}\n`);
  io.stdout(`   служба штампов времени / TSA:  ${describeSubject(pki.tsa.certificate)}\n`);
  return pki;
}

/** A CAdES-T signature (attached) of `text` by the CAdES signer, time-stamped by the loopback TSA. */
async function signDocument(demo: Demo, text: string): Promise<Uint8Array> {
  const content = new TextEncoder().encode(text);
  const signature = await withProgress(demo.io, 'подпись и штамп времени / signing and time-stamping', () =>
    signCades({
      content,
      signers: [demo.pki.signer.signer],
      level: 'T',
      tsa: { url: demo.services.tsaUrl, fetcher: demo.fetcher },
      includeCertificates: 'chain',
      certificates: [demo.pki.ca.certificate, demo.pki.root.certificate],
    }),
  );
  demo.io.stdout(`   документ / document: «${text.split('\n')[0]}» (${content.length} байт / bytes)\n`);
  demo.io.stdout(
    `   подпись CAdES-T / CAdES-T signature: ${signature.length} байт / bytes (ГОСТ Р 34.10-2012, 34.11-2012)\n`,
  );
  return signature;
}

/** Verifies a CMS signature with revocation required (OCSP, CRL as fallback) over the loopback services. */
function verifyCms(demo: Demo, signature: Uint8Array): Promise<VerificationReport> {
  return withProgress(demo.io, 'проверка / verifying', () =>
    verify({ signature, trust: demo.trust, revocation: 'require', fetcher: demo.fetcher }),
  );
}

async function verifyMessage(demo: Demo, xml: string): Promise<VerificationReport> {
  const { report } = await withProgress(demo.io, 'проверка / verifying', () =>
    verifyXml({
      xml,
      profile: 'smev3',
      trust: demo.trust,
      revocation: 'require',
      fetcher: demo.fetcher,
      intermediates: [demo.pki.ca.certificate],
    }),
  );
  return report;
}

/** A revocation time on a whole second (as CRLs carry it) strictly after `after`, waiting until it has passed. */
async function revocationTime(after: Date): Promise<Date> {
  const time = Math.floor(after.getTime() / 1000) * 1000 + 1000;
  const wait = time - Date.now() + 10;
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  return new Date(time);
}

async function revoke(demo: Demo, who: 'signer' | 'xmlSigner', reason: RevocationReason, after: Date) {
  const { pki, io } = demo;
  const time = await revocationTime(after);
  pki.ca.revoke(pki[who].serial, { reason, time });
  const name = describeSubject(pki[who].certificate).split(',')[0];
  io.stdout(`   УЦ отозвал сертификат / the CA revoked the certificate of ${name}\n`);
  io.stdout(`   серийный номер / serial ${pki[who].serial.toString(16)}, причина / reason ${reason}, `);
  io.stdout(`время / time ${time.toISOString()}\n`);
  io.stdout('   с этого момента OCSP и CRL сообщают об отзыве / from now on OCSP and the CRL report the revocation\n');
}

/** Steps 3-7: CAdES-T valid; revocation; a new signature refused; the first one still stands. */
async function cadesSteps(demo: Demo): Promise<void> {
  const { io } = demo;
  heading(io, 3, 'Подпись документа CAdES-T (штамп времени от TSA)', 'Signing a document as CAdES-T (TSA time-stamp)');
  const first = await signDocument(demo, DOCUMENT);
  const signedAt = new Date();
  heading(io, 4, 'Проверка подписи: цепочка, OCSP/CRL, штамп времени', 'Verification: chain, OCSP/CRL, time-stamp');
  showReport(demo, await verifyCms(demo, first), 'valid', 'CAdES-T before revocation');
  heading(io, 5, 'Отзыв сертификата подписанта', "Revoking the signer's certificate");
  await revoke(demo, 'signer', 'keyCompromise', signedAt);
  heading(io, 6, 'Новая подпись после отзыва и её проверка', 'A new signature after the revocation, verified');
  const second = await signDocument(demo, LATER_DOCUMENT);
  showReport(demo, await verifyCms(demo, second), 'revoked', 'CAdES-T after revocation');
  heading(
    io,
    7,
    'Первая подпись, проверенная после отзыва',
    'The first signature, verified again after the revocation',
  );
  const again = await verifyCms(demo, first);
  const ok = again.indication === 'TOTAL_PASSED';
  const verdict = (lang: 'ru' | 'en') => formatReport(again, { lang }).split('\n')[0];
  io.stdout(`   ${verdict('ru')}: штамп времени доказывает, что подпись создана до отзыва\n`);
  io.stdout(`   ${verdict('en')}: the time-stamp proves it was made before the revocation\n`);
  io.stdout(
    `   => ожидалось / expected TOTAL_PASSED, получено / got ${again.indication}: ${ok ? 'OK' : 'НЕ ТАК / UNEXPECTED'}\n`,
  );
  if (!ok) demo.failures.push(`CAdES-T made before the revocation: expected TOTAL_PASSED, got ${again.indication}`);
}

/** Steps 8-10: a SMEV 3 message valid; its signer revoked; a new message refused. */
async function smevSteps(demo: Demo): Promise<void> {
  const { io, pki } = demo;
  heading(
    io,
    8,
    'Сообщение СМЭВ 3: подпись XMLDSig (ГОСТ, трансформация СМЭВ)',
    'A SMEV 3 message: XMLDSig (GOST, SMEV transform)',
  );
  const sign = (xml: string) =>
    withProgress(io, 'подпись / signing', () =>
      signXml({ document: xml, signer: pki.xmlSigner.signer, profile: 'smev3', referenceId: 'SIGNED_BY_CONSUMER' }),
    );
  const message = await sign(smevEnvelope('7a4b8c2e-0d1f-11ef-9a3c-0242ac120002', 'А123ВС77'));
  const signedAt = new Date();
  io.stdout(`   подписан элемент / signed element: ns:SenderProvidedRequestData Id="SIGNED_BY_CONSUMER"\n`);
  io.stdout(`   подпись в / signature in: ns:CallerInformationSystemSignature (${message.length} символов / chars)\n`);
  showReport(demo, await verifyMessage(demo, message), 'valid', 'SMEV 3 before revocation');
  heading(io, 9, 'Отзыв сертификата второго подписанта', "Revoking the second signer's certificate");
  await revoke(demo, 'xmlSigner', 'affiliationChanged', signedAt);
  heading(
    io,
    10,
    'Новое сообщение СМЭВ 3 после отзыва и его проверка',
    'A new SMEV 3 message after the revocation, verified',
  );
  const later = await sign(smevEnvelope('9c1d2e3f-0d1f-11ef-9a3c-0242ac120002', 'В456ОР99'));
  showReport(demo, await verifyMessage(demo, later), 'revoked', 'SMEV 3 after revocation');
}

function summary(demo: Demo): number {
  const { io, failures } = demo;
  const n = demo.services.counts();
  io.stdout(`\nЗапросов к службам / requests served: OCSP ${n.ocsp}, CRL ${n.crl}, TSA ${n.tsa}\n`);
  if (failures.length === 0) {
    io.stdout('Итог: всё как ожидалось — действительные подписи приняты, подписи отозванных сертификатов отклонены.\n');
    io.stdout('Result: everything as expected: valid signatures accepted, those of revoked certificates refused.\n');
    return 0;
  }
  io.stderr(`eds demo: ${failures.length} unexpected outcome(s):\n${failures.map((f) => `  - ${f}\n`).join('')}`);
  return 1;
}

/**
 * Runs the demonstration: starts the OCSP, CRL and TSA services on 127.0.0.1, makes the PKI,
 * signs and verifies CAdES-T and SMEV 3 signatures before and after revoking their signers, and
 * stops the services whatever happens. Nothing is written to disk. Returns 0 when every outcome
 * was the expected one (valid before the revocation, REVOKED after), 1 otherwise.
 */
export async function runDemo(io: CliIo): Promise<number> {
  io.stdout('EDS SDK: демонстрация / demo — всё на этом компьютере / everything on this machine\n');
  const started = Date.now();
  const services = await startDemoServices();
  let code: number;
  try {
    showServices(io, services);
    const pki = await makePki(io, services);
    const fetcher = createFetcher({ ...FETCH, hostPolicy: (url) => url.hostname === '127.0.0.1' });
    const demo: Demo = { io, services, pki, trust: createTrustStore([pki.root.certificate]), fetcher, failures: [] };
    await cadesSteps(demo);
    await smevSteps(demo);
    code = summary(demo);
  } finally {
    await services.close();
  }
  io.stdout(`Службы остановлены / services stopped. ${((Date.now() - started) / 1000).toFixed(1)} с / s\n`);
  return code;
}
