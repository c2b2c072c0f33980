// CAdES-X Long Type 1 and B-LT made by @eds/core/cades with a real TSA (`openssl ts -reply` on loopback) and test-CA CRLs/OCSP: OpenSSL verifies the signature, the CAdES-C time-stamp covers the bytes RFC 5126 §6.3.5 names, the references hash what OpenSSL hashes, and B-LT's CRLs satisfy `openssl cms -verify -crl_check_all`.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Der, decodeDer, der, TAG } from '@eds/core/asn1';
import {
  addValidationData,
  OID_CERTIFICATE_VALUES,
  OID_COMPLETE_CERTIFICATE_REFS,
  OID_COMPLETE_REVOCATION_REFS,
  OID_ESC_TIMESTAMP,
  OID_REVOCATION_VALUES,
  OID_RI_OCSP_RESPONSE,
  OID_SIGNATURE_TIMESTAMP_TOKEN,
  signCades,
} from '@eds/core/cades';
import { encodePem } from '@eds/core/encoding';
import { createFetcher } from '@eds/core/fetcher';
import { exportPrivateKey } from '@eds/core/keys';
import { createTestCa, type IssuedCertificate, type KeySpec, type TestCa } from '@eds/core/testing';
import { openssl } from '@eds/test-support/openssl';
import { withTempDir } from '@eds/test-support/temp';
import { type OpensslTsa, startOpensslTsa } from '@eds/test-support/tsa';
import { bytesToHex } from '@noble/hashes/utils.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputOf } from './_openssl-helpers';

const EKU_TIMESTAMPING = { oid: '2.5.29.37', value: der.seq(der.oid('1.3.6.1.5.5.7.3.8')), critical: true };
const doc = new TextEncoder().encode('Документ для долговременной подписи\r\n');

interface Pki {
  root: TestCa;
  ca: TestCa;
  leaf: IssuedCertificate;
  rootCrl: Uint8Array;
  caCrl: Uint8Array;
  leafOcsp: Uint8Array;
  /** The openssl dgst name of the reference hash. */
  dgst: string;
}

let tsaRoot: TestCa;
let tsa: OpensslTsa;
const pkis = new Map<string, Pki>();

beforeAll(async () => {
  tsaRoot = await createTestCa({ keySpec: { type: 'gost2012-256' }, profile: 'plain' });
  const tsaCert = await tsaRoot.issue({
    profile: 'plain',
    subject: { commonName: 'Test GOST TSA' },
    keyUsage: ['digitalSignature'],
    extensions: [EKU_TIMESTAMPING],
  });
  tsa = await startOpensslTsa({
    key: exportPrivateKey(tsaCert.key, 'pem'),
    certificate: encodePem('CERTIFICATE', tsaCert.certificate),
    chain: encodePem('CERTIFICATE', tsaRoot.certificate),
    signerDigest: 'md_gost12_256',
    maxRequests: 40,
    lifetimeMs: 240_000,
  });
  const specs: [string, KeySpec, string][] = [
    ['GOST-256', { type: 'gost2012-256' }, 'md_gost12_256'],
    ['ECDSA P-256', { type: 'ecdsa', curve: 'P-256' }, 'sha256'],
  ];
  for (const [label, keySpec, dgst] of specs) {
    const root = await createTestCa({ keySpec });
    const ca = await root.issueIntermediate({ keySpec });
    const leaf = await ca.issue();
    const rootCrl = await root.createCrl();
    const caCrl = await ca.createCrl();
    const leafOcsp = await ca.createOcspResponse({ request: [{ certificate: leaf.certificate }] });
    pkis.set(label, { root, ca, leaf, rootCrl, caCrl, leafOcsp, dgst });
  }
}, 180_000);

afterAll(async () => {
  await tsa?.close();
});

/** The unsigned attributes of the first SignerInfo: type and the attribute TLV. */
function unsignedAttributes(cms: Uint8Array): Der[] {
  const sd = (decodeDer(cms).children()[1] as Der).explicit(0).children();
  const si = ((sd[sd.length - 1] as Der).children()[0] as Der).children();
  return (si.find((f) => f.tag === 0xa1) as Der).children();
}

function signatureValue(cms: Uint8Array): Uint8Array {
  const sd = (decodeDer(cms).children()[1] as Der).explicit(0).children();
  const si = ((sd[sd.length - 1] as Der).children()[0] as Der).children();
  return (si.find((f) => f.tag === TAG.OCTET_STRING) as Der).value;
}

const typeOf = (a: Der) => (a.children()[0] as Der).oid();
const attrValue = (a: Der) => (a.children()[1] as Der).children()[0] as Der;

/** `openssl dgst -<name> -binary` of `data`. */
async function dgst(dir: string, name: string, data: Uint8Array): Promise<Uint8Array> {
  await writeFile(join(dir, 'dgst.in'), data);
  return (await openssl(['dgst', `-${name}`, '-binary', join(dir, 'dgst.in')], { gost: true })).stdout;
}

/** The hash value of an OtherHash (bare sha1Hash or OtherHashAlgAndValue). */
function otherHashValue(node: Der): Uint8Array {
  return node.tag === TAG.OCTET_STRING ? node.value : ((node.children()[1] as Der).value as Uint8Array);
}

function basicOf(ocspResponse: Uint8Array): Uint8Array {
  const bytes = (decodeDer(ocspResponse).children()[1] as Der).explicit(0).children()[1] as Der;
  return decodeDer(bytes.value).bytes;
}

async function writeInputs(dir: string, pki: Pki, cms: Uint8Array): Promise<void> {
  await writeFile(join(dir, 'sig.der'), cms);
  await writeFile(join(dir, 'doc.bin'), doc);
  await writeFile(join(dir, 'root.pem'), encodePem('CERTIFICATE', pki.root.certificate));
  await writeFile(
    join(dir, 'both.pem'),
    [pki.root, pki.ca].map((c) => encodePem('CERTIFICATE', c.certificate)).join(''),
  );
  await writeFile(join(dir, 'tsa-root.pem'), encodePem('CERTIFICATE', tsaRoot.certificate));
}

const verifyArgs = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'sig.der', '-CAfile', 'root.pem'];

describe('CAdES-X Long Type 1 with a real TSA and test-CA revocation data', () => {
  for (const label of ['GOST-256', 'ECDSA P-256']) {
    it(`${label}: OpenSSL verifies it; refs, values and the CAdES-C time-stamp are what RFC 5126 says`, async () => {
      const pki = pkis.get(label) as Pki;
      const xlt1 = await signCades({
        content: doc,
        signers: [pki.leaf.signer],
        detached: true,
        level: 'XLT1',
        tsa: { url: tsa.url, fetcher: createFetcher({ timeoutMs: 20_000 }) },
        // an unordered pool, with a CRL that covers nobody on the path (the TSA root's)
        revocation: {
          certificates: [pki.root.certificate, pki.ca.certificate],
          crls: [await tsaRoot.createCrl(), pki.rootCrl],
          ocspResponses: [pki.leafOcsp],
        },
      });
      await withTempDir(async (dir) => {
        await writeInputs(dir, pki, xlt1);
        // OpenSSL does not read certificate-values: the intermediate is given as trusted too
        const out = await outputOf(
          [...verifyArgs, '-CAfile', 'both.pem', '-content', 'doc.bin', '-out', '/dev/null'],
          dir,
        );
        expect(out, out).toContain('Verification successful');

        const attrs = unsignedAttributes(xlt1);
        expect(attrs.map(typeOf)).toEqual([
          OID_SIGNATURE_TIMESTAMP_TOKEN,
          OID_COMPLETE_CERTIFICATE_REFS,
          OID_COMPLETE_REVOCATION_REFS,
          OID_ESC_TIMESTAMP,
          OID_CERTIFICATE_VALUES,
          OID_REVOCATION_VALUES,
        ]);
        const [sigTs, certRefs, revRefs, esc, certValues, revValues] = attrs as [Der, Der, Der, Der, Der, Der];

        // complete-certificate-references: the CA then the root, hashed over the whole certificate
        const ids = attrValue(certRefs).children();
        expect(ids).toHaveLength(2);
        for (const [i, cert] of [pki.ca.certificate, pki.root.certificate].entries()) {
          const id = (ids[i] as Der).children();
          expect(bytesToHex(otherHashValue(id[0] as Der))).toBe(bytesToHex(await dgst(dir, pki.dgst, cert)));
          const serial = ((id[1] as Der).children()[1] as Der).integer();
          expect(serial).toBe((decodeDer(cert).children()[0] as Der).children()[1]?.integer());
        }

        // complete-revocation-references: leaf (OCSP), CA (the root's CRL), root (nothing)
        const refs = attrValue(revRefs).children();
        expect(refs.map((r) => r.children().map((c) => c.tag))).toEqual([[0xa1], [0xa0], []]);
        const ocspId = (
          (((refs[0] as Der).children()[0] as Der).explicit(1).children()[0] as Der).children()[0] as Der
        ).children();
        const basic = basicOf(pki.leafOcsp);
        expect(bytesToHex(otherHashValue(ocspId[1] as Der))).toBe(bytesToHex(await dgst(dir, pki.dgst, basic)));
        const crlId = (
          (((refs[1] as Der).children()[0] as Der).explicit(0).children()[0] as Der).children()[0] as Der
        ).children();
        expect(bytesToHex(otherHashValue(crlId[0] as Der))).toBe(bytesToHex(await dgst(dir, pki.dgst, pki.rootCrl)));

        // certificate-values and revocation-values carry exactly the referenced objects
        expect(
          attrValue(certValues)
            .children()
            .map((c) => bytesToHex(c.bytes)),
        ).toEqual([pki.ca.certificate, pki.root.certificate].map(bytesToHex));
        const revs = attrValue(revValues).children();
        expect(bytesToHex((revs[0] as Der).explicit(0).children()[0]?.bytes as Uint8Array)).toBe(
          bytesToHex(pki.rootCrl),
        );
        expect(bytesToHex((revs[1] as Der).explicit(1).children()[0]?.bytes as Uint8Array)).toBe(bytesToHex(basic));

        // the CAdES-C time-stamp: signature value, then attrType and attrValues of sigTS and both refs
        const covered = [signatureValue(xlt1), ...[sigTs, certRefs, revRefs].map((a) => a.value)];
        const imprint = await dgst(dir, pki.dgst, Uint8Array.from(covered.flatMap((b) => [...b])));
        await writeFile(join(dir, 'esc.der'), attrValue(esc).bytes);
        const tsArgs = ['ts', '-verify', '-in', 'esc.der', '-token_in', '-CAfile', 'tsa-root.pem'];
        const ok = await outputOf([...tsArgs, '-digest', bytesToHex(imprint)], dir);
        expect(ok, ok).toMatch(/Verification: OK/);
        const wrong = await outputOf(
          [...tsArgs, '-digest', bytesToHex(await dgst(dir, pki.dgst, signatureValue(xlt1)))],
          dir,
        );
        expect(wrong).toContain('EXIT-NONZERO');
      });
    });
  }
});

describe('B-LT with a real TSA and test-CA revocation data', () => {
  it('the CRLs in SignedData.crls satisfy openssl cms -verify -crl_check_all; the OCSP response is id-ri-ocsp-response and the version 5', async () => {
    const pki = pkis.get('ECDSA P-256') as Pki;
    const cadesT = await signCades({
      content: doc,
      signers: [pki.leaf.signer],
      detached: true,
      level: 'T',
      tsa: { url: tsa.url, fetcher: createFetcher({ timeoutMs: 20_000 }) },
    });
    await withTempDir(async (dir) => {
      await writeInputs(dir, pki, cadesT);
      // before: neither the intermediate nor any CRL is in the SignedData
      const args = [...verifyArgs, '-content', 'doc.bin', '-crl_check_all', '-out', '/dev/null'];
      const before = await outputOf(args, dir);
      expect(before).toContain('EXIT-NONZERO');
      const withCa = await outputOf([...args, '-CAfile', 'both.pem'], dir);
      expect(withCa).toMatch(/unable to get certificate CRL[\s\S]*EXIT-NONZERO/);

      const lt = await addValidationData(cadesT, {
        level: 'LT',
        revocation: {
          certificates: [pki.ca.certificate, pki.root.certificate],
          crls: [pki.caCrl, pki.rootCrl],
          ocspResponses: [pki.leafOcsp],
        },
      });
      await writeFile(join(dir, 'sig.der'), lt);
      const after = await outputOf(args, dir);
      expect(after, after).toContain('Verification successful');
      const sd = (decodeDer(lt).children()[1] as Der).explicit(0).children();
      expect((sd[0] as Der).integer()).toBe(5n);
      const crls = (sd.find((f) => f.tag === 0xa1) as Der).children();
      const other = crls.filter((c) => c.tag === 0xa1);
      expect(other).toHaveLength(1);
      expect((other[0] as Der).children()[0]?.oid()).toBe(OID_RI_OCSP_RESPONSE);
      expect(bytesToHex((other[0] as Der).children()[1]?.bytes as Uint8Array)).toBe(bytesToHex(pki.leafOcsp));
      // the signer's unsigned attributes are untouched
      expect(unsignedAttributes(lt).map(typeOf)).toEqual([OID_SIGNATURE_TIMESTAMP_TOKEN]);
    });
  });
});
