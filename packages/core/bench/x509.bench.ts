// Reading certificates and large CRLs: ours against PKI.js (asn1js) and Node's X509Certificate (OpenSSL).

import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { defineBench } from '../../../tooling/bench/src/index.ts';
import { der, TAG } from '../src/asn1';
import { parseCrl } from '../src/crl';
import { decodePem } from '../src/encoding';
import { parseCertificate } from '../src/x509';

const certDer = (() => {
  // The TK26IOK example certificate: GOST R 34.10-2012 with the usual CA extensions.
  const text = readFileSync(new URL('../test/vectors/rfc9215/tk26iok-256.pem', import.meta.url), 'utf8');
  return (decodePem(text)[0] as { bytes: Uint8Array }).bytes.slice() as Uint8Array<ArrayBuffer>;
})();

/** A CRL of `n` entries, as Russian CAs publish (tens of megabytes); signature bytes are filler. */
function bigCrl(n: number): { bytes: Uint8Array; last: bigint } {
  const when = der.utcTime(new Date('2026-01-01T00:00:00Z'));
  const entries: Uint8Array[] = [];
  let last = 0n;
  for (let i = 0; i < n; i++) {
    last = 0x1000_0000_0000_0000_0000_0000_0000n + BigInt(i) * 7919n;
    entries.push(der.seq(der.int(last), when));
  }
  const alg = der.seq(der.oid('1.2.643.7.1.1.3.2'));
  const issuer = der.seq(der.setOf(der.seq(der.oid('2.5.4.3'), der.utf8('Test CA'))));
  const tbs = der.seq(der.int(1), alg, issuer, when, when, der.tlv(TAG.SEQUENCE, der.concat(entries)));
  return { bytes: der.seq(tbs, alg, der.bits(new Uint8Array(64))), last };
}

const crl = bigCrl(20_000);

export default [
  defineBench({
    title: 'Parse a certificate and read subject, key usage, SKI',
    baseline: 'eds',
    subjects: {
      eds: () => {
        const c = parseCertificate(certDer);
        return [c.subject.commonName, c.keyUsage, c.subjectKeyIdentifier];
      },
      'pkijs 4 (asn1js)': () => {
        const c = pkijs.Certificate.fromBER(certDer);
        return [c.subject.typesAndValues[0]?.value.valueBlock.value, c.extensions?.length];
      },
      'node:crypto X509Certificate (OpenSSL)': () => {
        const c = new X509Certificate(certDer);
        return [c.subject, c.keyUsage];
      },
    },
  }),
  defineBench({
    title: `CRL of 20,000 entries (${(crl.bytes.length / 2 ** 20).toFixed(1)} MiB): parse and look up the last serial`,
    bytesPerOp: crl.bytes.length,
    baseline: 'eds',
    time: 3000,
    subjects: {
      eds: () => {
        if (!parseCrl(crl.bytes).isRevoked(crl.last)) throw new Error('not found');
      },
      'pkijs 4 (asn1js)': () => {
        // asn1js 4 stops at 10,000 nodes by default (about 3,300 CRL entries); lift the limit.
        const { result } = asn1js.fromBER(crl.bytes, { maxNodes: 1e7 } as never);
        const list = new pkijs.CertificateRevocationList({ schema: result });
        const hex = crl.last.toString(16);
        const found = list.revokedCertificates?.some(
          (e) =>
            Array.from(e.userCertificate.valueBlock.valueHexView, (b) => b.toString(16).padStart(2, '0')).join('') ===
            hex,
        );
        if (!found) throw new Error('not found');
      },
    },
  }),
];
