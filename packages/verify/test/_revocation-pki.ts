// Test helpers for the revocation tests: a small test PKI (GOST and ECDSA) and re-signing of edited CRLs and OCSP responses.
import { type Der, decodeDer, der } from '@eds/core/asn1';
import type { KeySpec, TestCa } from '@eds/core/testing';
import { createTestCa } from '@eds/core/testing';
import type { Signer } from '@eds/core/types';
import { type Certificate, parseCertificate } from '@eds/core/x509';

/** The time the test PKIs are made at; CRLs and responses are dated from it. */
export const T0 = new Date('2026-06-01T12:00:00Z');
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** The two key types every revocation test runs with. */
export const KEY_SPECS: readonly (readonly [string, KeySpec])[] = [
  ['GOST 2012-256', { type: 'gost2012-256' }],
  ['ECDSA P-256', { type: 'ecdsa', curve: 'P-256' }],
];

export interface Pki {
  readonly root: TestCa;
  readonly ca: TestCa;
  readonly rootCert: Certificate;
  readonly caCert: Certificate;
  /** Issues a leaf under `ca`. */
  leaf(options?: Parameters<TestCa['issue']>[0]): Promise<{ readonly serial: bigint; readonly cert: Certificate }>;
}

/** Root -> intermediate CA, with the intermediate's CRL and OCSP URLs written into what it issues. */
export async function makePki(keySpec: KeySpec, urls: { crlUrl?: string; ocspUrl?: string } = {}): Promise<Pki> {
  const root = await createTestCa({ keySpec, now: T0, subject: { commonName: 'Revocation Test Root' } });
  const ca = await root.issueIntermediate({
    now: T0,
    subject: { commonName: 'Revocation Test CA' },
    crlUrl: urls.crlUrl ?? 'http://crl.test.invalid/ca.crl',
    ocspUrl: urls.ocspUrl ?? 'http://ocsp.test.invalid/',
  });
  return {
    root,
    ca,
    rootCert: parseCertificate(root.certificate),
    caCert: parseCertificate(ca.certificate),
    async leaf(options = {}) {
      const issued = await ca.issue({ now: T0, ...options });
      return { serial: issued.serial, cert: parseCertificate(issued.certificate) };
    },
  };
}

/** One Extension: `SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }`. */
export function extension(oid: string, value: Uint8Array, critical = false): Uint8Array {
  return der.seq(der.oid(oid), ...(critical ? [der.bool(true)] : []), der.octets(value));
}

async function signed(tbs: Uint8Array, signer: Signer, extra: Uint8Array[] = []): Promise<Uint8Array> {
  return der.seq(tbs, signer.algorithm.identifier(), der.bits(await signer.sign(tbs)), ...extra);
}

/** A test-CA CRL with `extensions` added to its crlExtensions, re-signed by `signer`. */
export async function crlWithExtensions(
  crl: Uint8Array,
  signer: Signer,
  extensions: Uint8Array[],
): Promise<Uint8Array> {
  const tbs = decodeDer(crl, 'CRL').children()[0] as Der;
  const fields = tbs.children();
  const last = fields[fields.length - 1] as Der;
  const existing =
    last.tag === 0xa0
      ? last
          .explicit(0)
          .children()
          .map((e) => e.bytes)
      : [];
  const kept = last.tag === 0xa0 ? fields.slice(0, -1) : fields;
  const body = der.seq(...kept.map((f) => f.bytes), der.explicit(0, der.seq(...existing, ...extensions)));
  return signed(body, signer);
}

/** A test-CA CRL with one byte of its signature flipped. */
export function crlWithBadSignature(crl: Uint8Array): Uint8Array {
  const out = crl.slice();
  out[out.length - 5] = (out[out.length - 5] as number) ^ 0x55;
  return out;
}

/**
 * An OCSP response with `extensions` put into its responseExtensions (replacing any), re-signed by
 * `signer`; `certs` are kept.
 */
export async function ocspWithExtensions(
  response: Uint8Array,
  signer: Signer,
  extensions: Uint8Array[],
): Promise<Uint8Array> {
  const bytesNode = (decodeDer(response, 'OCSPResponse').children()[1] as Der).explicit(0);
  const [type, octets] = bytesNode.children() as [Der, Der];
  const basic = octets.inner('BasicOCSPResponse').children();
  const tbs = (basic[0] as Der).children().filter((f) => f.tag !== 0xa1);
  const body = der.seq(...tbs.map((f) => f.bytes), der.explicit(1, der.seq(...extensions)));
  const newBasic = await signed(
    body,
    signer,
    basic.slice(3).map((c) => c.bytes),
  );
  return der.seq(der.enumerated(0), der.explicit(0, der.seq(type.bytes, der.octets(newBasic))));
}
