// Internal to `eds demo`: the throwaway GOST R 34.10-2012 (256) PKI of the demonstration, made with @eds/core/testing: a root, an intermediate CA, two qualified signers and a TSA, their CRL DP and OCSP URLs on the loopback services.
import { der } from '@eds/core/asn1';
import { createTestCa, type IssuedCertificate, type TestCa, testIdentifiers } from '@eds/core/testing';
import { parseCertificate } from '@eds/core/x509';

/** The demo PKI. */
export interface DemoPki {
  readonly root: TestCa;
  readonly ca: TestCa;
  /** The CAdES signer: a qualified certificate of an employee of an organisation. */
  readonly signer: IssuedCertificate;
  /** The SMEV 3 signer: a second employee. */
  readonly xmlSigner: IssuedCertificate;
  readonly tsa: IssuedCertificate;
}

/** Where the services are: base URLs as started by `startDemoServices`. */
export interface DemoUrls {
  readonly ocspUrl: string;
  readonly crlUrl: string;
}

const KEY = { type: 'gost2012-256' } as const;
const YEAR = 365 * 86_400_000;
/** id-kp-timeStamping, critical as RFC 3161 §2.3 requires of a TSA certificate. */
const EKU_TIMESTAMPING = { oid: '2.5.29.37', value: der.seq(der.oid('1.3.6.1.5.5.7.3.8')), critical: true };

const ORGANISATION = {
  country: 'RU',
  stateOrProvince: '77 г. Москва',
  locality: 'г. Москва',
  street: 'ул. Примерная, д. 1',
  organization: 'ООО «Ромашка» (демо)',
};

/** A qualified person's subject: full name, INN, SNILS, and the organisation with its OGRN and INN. */
function employee(surname: string, givenName: string, title: string, org: { ogrn: string; innle: string }) {
  const ids = testIdentifiers();
  return {
    ...ORGANISATION,
    commonName: `${surname} ${givenName}`,
    surname,
    givenName,
    title,
    ogrn: org.ogrn,
    innle: org.innle,
    inn: ids.inn,
    snils: ids.snils,
  };
}

/**
 * Root (its CRL only, as an offline root publishes) → intermediate CA (OCSP and CRL) → the signers
 * and the TSA. Every certificate's CRL DP and AIA OCSP URLs point at the loopback services.
 */
export async function createDemoPki(urls: DemoUrls): Promise<DemoPki> {
  const root = await createTestCa({
    keySpec: KEY,
    profile: 'russian-qualified',
    subject: { organization: 'АО «Демо-УЦ»', commonName: 'Демо-УЦ: корневой (тест)' },
    crlUrl: `${urls.crlUrl}/root.crl`,
    ocspUrl: null,
  });
  const ca = await root.issueIntermediate({
    subject: { organization: 'АО «Демо-УЦ»', commonName: 'Демо-УЦ: выдающий (тест)' },
    crlUrl: `${urls.crlUrl}/ca.crl`,
    ocspUrl: `${urls.ocspUrl}/ca`,
  });
  const ids = testIdentifiers();
  const org = { ogrn: ids.ogrn, innle: ids.innle };
  const signer = await ca.issue({ subject: employee('Иванов', 'Иван Иванович', 'Генеральный директор', org) });
  const xmlSigner = await ca.issue({ subject: employee('Петрова', 'Анна Сергеевна', 'Главный бухгалтер', org) });
  const now = Date.now();
  const tsa = await ca.issue({
    profile: 'plain',
    subject: { country: 'RU', organization: 'АО «Демо-УЦ»', commonName: 'Демо-УЦ: служба штампов времени (тест)' },
    keyUsage: ['digitalSignature'],
    extensions: [EKU_TIMESTAMPING],
    validity: { notBefore: new Date(now - 60_000), notAfter: new Date(now + 3 * YEAR) },
  });
  return { root, ca, signer, xmlSigner, tsa };
}

/** One line about a certificate's subject: name, title, organisation and identifiers. */
export function describeSubject(certificate: Uint8Array): string {
  const s = parseCertificate(certificate).subject;
  const parts = [
    s.commonName,
    s.title,
    s.organization,
    s.inn && `ИНН ${s.inn}`,
    s.snils && `СНИЛС ${s.snils}`,
    s.ogrn && `ОГРН ${s.ogrn}`,
  ];
  return parts.filter((p) => p).join(', ');
}
