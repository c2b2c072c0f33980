import { base64Encode, DecodeError, decodePem, encodePem } from '@eds/core';
import { der } from '@eds/core/asn1';
import { detect } from '@eds/core/detect';
import { readFixture, readVector, readVectorText } from '@eds/test-support/vectors';
import { describe, expect, it } from 'vitest';

const RFC9215 = 'packages/core/test/vectors/rfc9215';
const text = async (path: string) => new TextDecoder().decode(await readFixture(path));
const kinds = (input: Uint8Array | string) => detect(input).objects.map((o) => o.kind);

describe('detect: what a user-supplied file holds', () => {
  it('classifies the RFC 9215 certificate, CRL, CSR and key in PEM, DER and bare Base64', async () => {
    for (const [file, kind] of [
      ['gost2012-256-tc26a-cert.pem', 'certificate'],
      ['gost2012-256-tc26a-crl.pem', 'crl'],
      ['gost2012-512-testparamset-csr.pem', 'csr'],
      ['gost2012-256-testparamset-key.pem', 'private-key'],
    ] as const) {
      const pem = await text(`${RFC9215}/${file}`);
      const [block] = decodePem(pem);
      const derBytes = block?.bytes as Uint8Array;
      expect(detect(pem)).toMatchObject({ encoding: 'pem', objects: [{ kind, label: block?.label }] });
      expect(detect(derBytes)).toMatchObject({ encoding: 'der', objects: [{ kind }] });
      // .sig/.cer files saved from portals: Base64 with CRLF line breaks, as text or as bytes.
      const b64 = base64Encode(derBytes).replace(/.{1,76}/g, '$&\r\n');
      expect(kinds(b64)).toEqual([kind]);
      expect(kinds(new TextEncoder().encode(b64))).toEqual([kind]);
    }
  });

  it('reads every block of a bundle in order, whatever the labels and white space', async () => {
    const cert = await text(`${RFC9215}/gost2012-256-tc26a-cert.pem`);
    const crl = await text(`${RFC9215}/gost2012-256-tc26a-crl.pem`);
    const messy = `junk before\r\n${cert.replace(/\n/g, '\r\n')}\n\n  ${crl}trailing text`;
    expect(kinds(messy)).toEqual(['certificate', 'crl']);
  });

  it('trusts the structure over a wrong PEM label', async () => {
    const [crl] = decodePem(await text(`${RFC9215}/gost2012-256-tc26a-crl.pem`));
    const mislabelled = `-----BEGIN CERTIFICATE-----\n${base64Encode(crl?.bytes as Uint8Array)}\n-----END CERTIFICATE-----\n`;
    expect(detect(mislabelled).objects[0]).toMatchObject({ kind: 'crl', label: 'CERTIFICATE' });
  });

  it('tells CMS types apart: signed, digested, enveloped, and certificates-only (.p7b)', async () => {
    const dir = 'gost/tc26-cms-2019';
    expect(kinds(await readVectorText(`${dir}/signed_a111.pem`))).toEqual(['cms-signed']);
    expect(kinds(await readVectorText(`${dir}/hashed_a311.pem`))).toEqual(['cms-other']);
    expect(kinds(await readVectorText(`${dir}/encrypted_keyagree_a211.pem`))).toEqual(['cms-enveloped']);
    expect(kinds(await readVector('nist-pkits/smime-der/SignedAllCertificatesNoPoliciesTest2.p7s'))).toEqual([
      'cms-signed',
    ]);
    const [cert] = decodePem(await text(`${RFC9215}/gost2012-256-tc26a-cert.pem`));
    const p7b = der.seq(
      der.oid('1.2.840.113549.1.7.2'),
      der.explicit(
        0,
        der.seq(
          der.int(1),
          der.setOf(),
          der.seq(der.oid('1.2.840.113549.1.7.1')),
          der.implicit(0, der.seq(cert?.bytes as Uint8Array)),
          der.setOf(),
        ),
      ),
    );
    expect(kinds(p7b)).toEqual(['cms-certificates']);
    // CryptoPro writes CMS with indefinite lengths (BER).
    const ber = Uint8Array.of(0x30, 0x80, ...der.oid('1.2.840.113549.1.7.2'), 0xa0, 0x80, 0, 0, 0, 0);
    expect(detect(ber).objects[0]).toMatchObject({ kind: 'cms-signed', ber: true });
  });

  it('recognises PKCS#12 files', async () => {
    for (const file of ['r50-1-112.pfx', 'bc-gost2001.pfx', 'bc-gost2001-openssl-integer.pfx']) {
      expect(kinds(await readFixture(`packages/core/test/vectors/pkcs12/${file}`))).toEqual(['pkcs12']);
    }
  });

  it('classifies the BoringSSL OCSP and CRL corpus blocks as their labels say', async () => {
    const expected: Record<string, string> = {
      CERTIFICATE: 'certificate',
      'CA CERTIFICATE': 'certificate',
      'CA CERTIFICATE 2': 'certificate',
      CRL: 'crl',
      'OCSP REQUEST': 'ocsp-request',
      'OCSP RESPONSE': 'ocsp-response',
    };
    type Cases = { cases: { file: string }[] };
    const index = JSON.parse(await readVectorText('boringssl-revocation/expected.json')) as { ocsp: Cases; crl: Cases };
    const files = [...index.ocsp.cases, ...index.crl.cases].map((c) => c.file);
    let blocks = 0;
    const wrong: string[] = [];
    for (const name of files) {
      const found = detect(await readVectorText(`boringssl-revocation/${name}`));
      for (const o of found.objects) {
        blocks++;
        if (expected[o.label as string] !== o.kind) wrong.push(`${name} ${o.label} -> ${o.kind}`);
      }
    }
    expect(blocks).toBeGreaterThan(300);
    expect(wrong).toEqual([]);
  });

  it('says plainly when input is none of DER, PEM or Base64', () => {
    for (const junk of ['hello, world!', Uint8Array.of(0x30, 0x05, 0x01), '']) {
      expect(() => detect(junk)).toThrow(expect.objectContaining({ code: 'ERR_DECODE_FORMAT' }));
    }
    expect(() => detect('-----BEGIN CERTIFICATE-----\nAAA*\n-----END CERTIFICATE-----')).toThrow(DecodeError);
    expect(kinds(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x05))).toEqual(['unknown']);
  });

  it('PEM labels that name Object.prototype members give no kind from the label (regression, issue 5 review)', () => {
    const junk = Uint8Array.of(1, 2, 3);
    for (const label of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      const [found] = detect(encodePem(label, junk)).objects;
      expect(found?.kind, label).toBe('unknown');
      expect(found?.label).toBe(label);
    }
    // A real object under such a label is still classified by its structure.
    const cert = der.seq(
      der.seq(der.explicit(0, der.int(2)), der.int(1)),
      der.seq(der.oid('1.2.643.7.1.1.3.2')),
      der.bits(new Uint8Array(4)),
    );
    expect(kinds(encodePem('constructor', cert))).toEqual(['certificate']);
  });
});
