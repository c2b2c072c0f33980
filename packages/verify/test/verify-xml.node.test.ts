// verifyXml() against signatures made by Debian `xmlsec1 --sign` from templates (W3C XMLDSig 1.1; xml-signatures.md §5.1): RSA and ECDSA, enveloped and ID-referenced, inclusive and exclusive C14N; and xmlsec1 --verify agreeing on tampered copies. Node only (child processes).
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { base64Encode, encodePem } from '@eds/core/encoding';
import { exportPrivateKey } from '@eds/core/keys';
import { createTestCa, type IssuedCertificate, type KeySpec, type TestCa } from '@eds/core/testing';
import type { Element } from '@eds/core/xml';
import { openssl } from '@eds/test-support/openssl';
import { withTempDir } from '@eds/test-support/temp';
import { createTrustStore } from '@eds/verify/trust';
import { verifyXml } from '@eds/verify/verify-xml';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const EXC = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const C14N = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';

interface Pki {
  readonly root: TestCa;
  readonly leaf: IssuedCertificate;
}

async function pki(keySpec: KeySpec): Promise<Pki> {
  const root = await createTestCa({ keySpec, profile: 'plain', subject: { commonName: `XML root ${keySpec.type}` } });
  const leaf = await root.issue({ keySpec, profile: 'plain', subject: { commonName: `XML signer ${keySpec.type}` } });
  return { root, leaf };
}

interface Shape {
  readonly name: string;
  readonly uri: string;
  readonly transforms: readonly string[];
  readonly c14n: string;
}

const SHAPES: readonly Shape[] = [
  { name: 'enveloped, exclusive C14N', uri: '', transforms: [ENVELOPED, EXC], c14n: EXC },
  { name: 'enveloped, inclusive C14N', uri: '', transforms: [ENVELOPED], c14n: C14N },
  { name: 'ID-referenced, exclusive C14N', uri: '#doc-1', transforms: [EXC], c14n: EXC },
  { name: 'ID-referenced, inclusive C14N', uri: '#doc-1', transforms: [C14N], c14n: C14N },
  {
    name: 'ID-referenced, exclusive C14N with an InclusiveNamespaces PrefixList',
    uri: '#doc-1',
    transforms: [`<Transform Algorithm="${EXC}"><InclusiveNamespaces xmlns="${EXC}" PrefixList="extra"/></Transform>`],
    c14n: EXC,
  },
];

function template(shape: Shape, signatureMethod: string): string {
  const transforms = shape.transforms.map((t) => (t.startsWith('<') ? t : `<Transform Algorithm="${t}"/>`)).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<Envelope xmlns="urn:example:envelope" xmlns:extra="urn:example:extra" xmlns:unused="urn:example:unused">
  <Data Id="doc-1" amount="100">Платёж № 7 <Inner xmlns="">без пространства имён</Inner> <!-- комментарий --></Data>
  <Signature xmlns="${DSIG}">
    <SignedInfo>
      <CanonicalizationMethod Algorithm="${shape.c14n}"/>
      <SignatureMethod Algorithm="${signatureMethod}"/>
      <Reference URI="${shape.uri}">
        <Transforms>${transforms}</Transforms>
        <DigestMethod Algorithm="${SHA256}"/>
        <DigestValue></DigestValue>
      </Reference>
    </SignedInfo>
    <SignatureValue/>
    <KeyInfo><X509Data/></KeyInfo>
  </Signature>
</Envelope>
`;
}

const ID_ATTR = ['--id-attr:Id', 'urn:example:envelope:Data'];

/** Signs `xml` (a template) with xmlsec1. */
async function xmlsecSign(dir: string, p: Pki, xml: string): Promise<string> {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  await writeFile(key, exportPrivateKey(p.leaf.key, 'pem'));
  await writeFile(cert, encodePem('CERTIFICATE', p.leaf.certificate));
  await writeFile(join(dir, 'tmpl.xml'), xml);
  const out = join(dir, 'signed.xml');
  await run('xmlsec1', [
    '--sign',
    ...ID_ATTR,
    '--privkey-pem',
    `${key},${cert}`,
    '--output',
    out,
    join(dir, 'tmpl.xml'),
  ]);
  return readFile(out, 'utf8');
}

/** xmlsec1 --verify with the root as the only trusted certificate: true for exit 0. */
async function xmlsecVerify(dir: string, p: Pki, xml: string): Promise<boolean> {
  const root = join(dir, 'root.pem');
  await writeFile(root, encodePem('CERTIFICATE', p.root.certificate));
  await writeFile(join(dir, 'check.xml'), xml);
  try {
    await run('xmlsec1', [
      '--verify',
      ...ID_ATTR,
      '--trusted-pem',
      root,
      '--enabled-key-data',
      'x509',
      join(dir, 'check.xml'),
    ]);
    return true;
  } catch {
    return false;
  }
}

const KEYS: readonly [string, KeySpec, string][] = [
  ['RSA-2048', { type: 'rsa', bits: 2048 }, 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256'],
  ['ECDSA P-256', { type: 'ecdsa', curve: 'P-256' }, 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256'],
];

describe.each(KEYS)('xmlsec1-made %s signatures', (_name, keySpec, signatureMethod) => {
  let p: Pki;
  beforeAll(async () => {
    p = await pki(keySpec);
  }, 60_000);

  it.each(SHAPES)('$name: TOTAL_PASSED, signedNodes is exactly the referenced node', async (shape) => {
    await withTempDir(async (dir) => {
      const signed = await xmlsecSign(dir, p, template(shape, signatureMethod));
      expect(await xmlsecVerify(dir, p, signed)).toBe(true);
      const trust = createTrustStore([p.root.certificate]);
      const { report, signedNodes } = await verifyXml({ xml: signed, trust, revocation: 'off' });
      expect(report.container).toBe('XML');
      expect(report.signatures).toHaveLength(1);
      const s = report.signatures[0];
      expect([s?.indication, s?.subIndication], JSON.stringify(s?.checks)).toEqual(['TOTAL_PASSED', undefined]);
      expect(s?.format).toBe('XMLDSig');
      expect(s?.chain).toHaveLength(2);
      expect(signedNodes).toHaveLength(1);
      const node = signedNodes[0];
      if (shape.uri === '') expect(node?.nodeType).toBe(9);
      else expect((node as Element).getAttribute('Id')).toBe('doc-1');
    });
  });

  it('a changed amount fails for both xmlsec1 and verifyXml (HASH_FAILURE)', async () => {
    await withTempDir(async (dir) => {
      const signed = await xmlsecSign(dir, p, template(SHAPES[2] as Shape, signatureMethod));
      const forged = signed.replace('amount="100"', 'amount="900"');
      expect(forged).not.toBe(signed);
      expect(await xmlsecVerify(dir, p, forged)).toBe(false);
      const { report, signedNodes } = await verifyXml({
        xml: forged,
        trust: createTrustStore([p.root.certificate]),
        revocation: 'off',
      });
      expect([report.indication, report.subIndication]).toEqual(['TOTAL_FAILED', 'HASH_FAILURE']);
      expect(signedNodes).toHaveLength(0);
    });
  });

  it('reformatting SignedInfo (whitespace is signed) fails for both', async () => {
    await withTempDir(async (dir) => {
      const signed = await xmlsecSign(dir, p, template(SHAPES[0] as Shape, signatureMethod));
      const forged = signed.replace('<SignedInfo>', '<SignedInfo>\n  ');
      expect(forged).not.toBe(signed);
      expect(await xmlsecVerify(dir, p, forged)).toBe(false);
      const { report } = await verifyXml({
        xml: forged,
        trust: createTrustStore([p.root.certificate]),
        revocation: 'off',
      });
      expect([report.indication, report.subIndication]).toEqual(['TOTAL_FAILED', 'SIG_CRYPTO_FAILURE']);
    });
  });

  it('with a CRL of the test CA the signer is checked: good passes, revoked fails', async () => {
    await withTempDir(async (dir) => {
      const signed = await xmlsecSign(dir, p, template(SHAPES[0] as Shape, signatureMethod));
      const trust = createTrustStore([p.root.certificate]);
      const good = await verifyXml({ xml: signed, trust, revocationData: { crls: [await p.root.createCrl()] } });
      expect(good.report.indication, JSON.stringify(good.report.signatures[0]?.checks)).toBe('TOTAL_PASSED');
      expect(good.report.signatures[0]?.revocation?.status).toBe('good');
      const ca = await pki(keySpec);
      const victim = { root: ca.root, leaf: ca.leaf };
      const signed2 = await xmlsecSign(dir, victim, template(SHAPES[0] as Shape, signatureMethod));
      ca.root.revoke(ca.leaf.serial, { time: new Date(Date.now() - 60_000) });
      const revoked = await verifyXml({
        xml: signed2,
        trust: createTrustStore([ca.root.certificate]),
        revocationData: { crls: [await ca.root.createCrl()] },
      });
      expect(revoked.report.indication).not.toBe('TOTAL_PASSED');
      expect(revoked.report.signatures[0]?.checks.map((c) => c.code)).toContain('PATH_REVOKED');
    });
  }, 60_000);
});

/**
 * GOST fixtures made without our signer or canonicaliser (xml-signatures.md §5.2, with the canonical
 * text written by hand instead of lxml): the signed element and SignedInfo are written already in
 * their exclusive-C14N form, `openssl dgst` with the GOST engine computes the DigestValue and signs
 * the SignedInfo octets (s‖r big-endian, the raw engine output).
 */
describe('OpenSSL-made GOST XMLDSig (hand-written canonical text, gost-engine digest and signature)', () => {
  const CP = 'urn:ietf:params:xml:ns:cpxmlsec:algorithms:';
  const GOST: readonly [string, KeySpec, string, string][] = [
    ['GOST-256', { type: 'gost2012-256' }, 'md_gost12_256', 'gostr34102012-gostr34112012-256'],
    ['GOST-512', { type: 'gost2012-512' }, 'md_gost12_512', 'gostr34102012-gostr34112012-512'],
  ];

  it.each(GOST)(
    '%s: TOTAL_PASSED; a changed element gives HASH_FAILURE',
    async (_name, keySpec, md, sigName) => {
      const p = await pki(keySpec);
      const digestName = md === 'md_gost12_256' ? 'gostr34112012-256' : 'gostr34112012-512';
      await withTempDir(async (dir) => {
        const data = '<doc:Data xmlns:doc="urn:example:doc" Id="data-1">Платёж № 7 на 100 ₽</doc:Data>';
        await writeFile(join(dir, 'data.xml'), data);
        const digest = (await openssl(['dgst', `-${md}`, '-binary', join(dir, 'data.xml')])).stdout;
        const signedInfo = `<ds:SignedInfo xmlns:ds="${DSIG}"><ds:CanonicalizationMethod Algorithm="${EXC}"></ds:CanonicalizationMethod><ds:SignatureMethod Algorithm="${CP}${sigName}"></ds:SignatureMethod><ds:Reference URI="#data-1"><ds:Transforms><ds:Transform Algorithm="${EXC}"></ds:Transform></ds:Transforms><ds:DigestMethod Algorithm="${CP}${digestName}"></ds:DigestMethod><ds:DigestValue>${base64Encode(digest)}</ds:DigestValue></ds:Reference></ds:SignedInfo>`;
        await writeFile(join(dir, 'si.xml'), signedInfo);
        await writeFile(join(dir, 'key.pem'), exportPrivateKey(p.leaf.key, 'pem'));
        const sig = (await openssl(['dgst', `-${md}`, '-sign', join(dir, 'key.pem'), join(dir, 'si.xml')])).stdout;
        const cert = base64Encode(p.leaf.certificate);
        const xml = `<doc:Envelope xmlns:doc="urn:example:doc">${data.replace(' xmlns:doc="urn:example:doc"', '')}<ds:Signature xmlns:ds="${DSIG}">${signedInfo.replace(` xmlns:ds="${DSIG}"`, '')}<ds:SignatureValue>${base64Encode(sig)}</ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature></doc:Envelope>`;
        const trust = createTrustStore([p.root.certificate]);
        const { report, signedNodes } = await verifyXml({ xml, trust, revocation: 'off' });
        const s = report.signatures[0];
        expect([s?.indication, s?.subIndication], JSON.stringify(s?.checks)).toEqual(['TOTAL_PASSED', undefined]);
        expect((signedNodes[0] as Element).getAttribute('Id')).toBe('data-1');
        const forged = await verifyXml({ xml: xml.replace('100 ₽', '900 ₽'), trust, revocation: 'off' });
        expect([forged.report.indication, forged.report.subIndication]).toEqual(['TOTAL_FAILED', 'HASH_FAILURE']);
        const reversed = xml.replace(base64Encode(sig), base64Encode(sig.slice().reverse()));
        const r = await verifyXml({ xml: reversed, trust, revocation: 'off' });
        expect([r.report.indication, r.report.subIndication]).toEqual(['TOTAL_FAILED', 'SIG_CRYPTO_FAILURE']);
      });
    },
    60_000,
  );
});
