// Internal: the validation data a CMS signature carries: SignedData certificates and crls (RFC 5652 §10.2.1, OCSP as id-ri-ocsp-response per RFC 5940 §2.1) and the CAdES certificate-values and revocation-values attributes (RFC 5126 §6.3.3, §6.3.4).
import { type Der, decodeDer, der, TAG } from '@eds/core/asn1';
import type { SignedDataView } from '@eds/core/signed-data';
import { type Certificate, parseCertificate } from '@eds/core/x509';
import type { RevocationData } from './types';

const OID_RI_OCSP_RESPONSE = '1.3.6.1.5.5.7.16.2';
const OID_CERTIFICATE_VALUES = '1.2.840.113549.1.9.16.2.23';
const OID_REVOCATION_VALUES = '1.2.840.113549.1.9.16.2.24';
const OID_OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';
const MAX_ITEMS = 1_000;

/** Certificates and revocation data found in a SignedData, for path building and offline revocation. */
export interface EmbeddedData {
  readonly certificates: readonly Certificate[];
  readonly data: RevocationData;
}

/** An OCSPResponse (successful, basic) around a BasicOCSPResponse, as revocation-values holds only the latter (RFC 6960 §4.2.1). */
function wrapBasic(basic: Uint8Array): Uint8Array {
  return der.seq(
    Uint8Array.of(TAG.ENUMERATED, 1, 0),
    der.explicit(0, der.seq(der.oid(OID_OCSP_BASIC), der.octets(basic))),
  );
}

/** Runs `read` and ignores what does not decode: a malformed embedded item is unusable, not fatal (the validator then lacks it). */
function tryEach(nodes: () => readonly Der[], read: (n: Der) => void): void {
  let list: readonly Der[];
  try {
    list = nodes();
  } catch {
    return;
  }
  for (const n of list.slice(0, MAX_ITEMS)) {
    try {
      read(n);
    } catch {
      // unusable item
    }
  }
}

/** The RevocationInfoChoices of SignedData.crls: CertificateList, or [1] OtherRevocationInfoFormat with an OCSP response. */
function fromCrls(sd: SignedDataView, crls: Uint8Array[], ocsp: Uint8Array[]): void {
  for (const item of sd.crls.slice(0, MAX_ITEMS)) {
    if (item[0] === TAG.SEQUENCE) crls.push(item);
    else if (item[0] === 0xa1) {
      tryEach(
        () => [decodeDer(item, 'OtherRevocationInfoFormat')],
        (n) => {
          const [format, info] = n.children();
          if (format?.oid() === OID_RI_OCSP_RESPONSE && info) ocsp.push(info.expect(TAG.SEQUENCE).bytes);
        },
      );
    }
  }
}

/**
 * Collects every certificate and CRL/OCSP response a SignedData carries, from all SignerInfos'
 * certificate-values and revocation-values too. Items that do not decode are left out.
 */
export function embeddedData(sd: SignedDataView): EmbeddedData {
  const certificates: Certificate[] = [];
  const crls: Uint8Array[] = [];
  const ocsp: Uint8Array[] = [];
  fromCrls(sd, crls, ocsp);
  for (const si of sd.signerInfos) {
    for (const a of si.unsignedAttrs?.list ?? []) {
      const value = a.values[0];
      if (!value) continue;
      if (a.oid === OID_CERTIFICATE_VALUES)
        tryEach(
          () => decodeDer(value, 'CertificateValues').children(),
          (n) => certificates.push(parseCertificate(n.bytes)),
        );
      if (a.oid === OID_REVOCATION_VALUES) {
        tryEach(
          () => decodeDer(value, 'RevocationValues').children(),
          (field) => {
            if (field.tag === 0xa0) for (const c of field.explicit(0).children()) crls.push(c.bytes);
            if (field.tag === 0xa1) for (const b of field.explicit(1).children()) ocsp.push(wrapBasic(b.bytes));
          },
        );
      }
    }
  }
  return { certificates, data: { crls, ocspResponses: ocsp } };
}
