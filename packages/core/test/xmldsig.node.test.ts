// XMLDSig/XAdES building (@eds/core/xmldsig) against independent verifiers: Debian xmlsec1 for RSA and ECDSA; for GOST, OpenSSL + gost-engine over libxml2's canonical bytes (xml-signatures.md §5).
import { execFile, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { C14N_10_WITH_COMMENTS, canonicalize } from '@eds/core/c14n';
import { base64Decode, encodePem } from '@eds/core/encoding';
import { smevTransform } from '@eds/core/smev-transform';
import { createTestCa, type IssuedCertificate, type TestCa } from '@eds/core/testing';
import { childElements, type Element, findElements, parseXml } from '@eds/core/xml';
import { signXml, XMLDSIG_NS } from '@eds/core/xmldsig';
import { COMPONENTS, requireComponent } from '@eds/test-support/components';
import { openssl } from '@eds/test-support/openssl';
import { withTempDir } from '@eds/test-support/temp';
import { beforeAll, describe, expect, it } from 'vitest';

const DOC =
  '<doc xmlns="urn:example:doc" xmlns:x="urn:x"><item Id="item-1" x:a="1">Данные <!--c--> text</item><x:note>n</x:note></doc>';
const DETACHED = '<env xmlns="urn:e"><data Id="D1">signed &amp; sealed</data><sigs Id="S"/></env>';
const SMEV = [
  '<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>',
  '<ns2:SendRequestRequest xmlns:ns2="urn://x-artefacts-smev-gov-ru/services/message-exchange/types/1.1"',
  ' xmlns:ns3="urn://x-artefacts-smev-gov-ru/services/message-exchange/types/basic/1.1">',
  '<ns2:SenderProvidedRequestData Id="SIGNED_BY_CONSUMER">',
  '<ns2:MessageID>db0486d0-3c08-11e5-95e2-d4c9eff07b77</ns2:MessageID>',
  '<ns3:MessagePrimaryContent><r:Req xmlns:r="urn:req" b="2" a="1">  текст  </r:Req><r:Other xmlns:r="urn:req"/></ns3:MessagePrimaryContent>',
  '</ns2:SenderProvidedRequestData>',
  '<ns2:CallerInformationSystemSignature Id="CALLER_SIG"></ns2:CallerInformationSystemSignature>',
  '</ns2:SendRequestRequest></S:Body></S:Envelope>',
].join('');
const ID_ATTRS = ['item', 'SignedProperties', 'Object', 'data', 'SenderProvidedRequestData'].flatMap((n) => [
  '--id-attr:Id',
  n,
]);

interface Run {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

function xmlsec1(args: string[]): Promise<Run> {
  const cmd = requireComponent(COMPONENTS.xmlsec1);
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args);
    const out: Buffer[] = [];
    let err = '';
    p.stdout.on('data', (d: Buffer) => out.push(d));
    p.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: err }));
  });
}

/** `xmlsec1 --verify` with the CA as trust anchor; true only for exit 0 and "OK". */
async function xmlsecVerifies(dir: string, xml: string, ca: Uint8Array): Promise<boolean> {
  const file = join(dir, `s${Math.random().toString(36).slice(2)}.xml`);
  await writeFile(file, xml);
  await writeFile(join(dir, 'ca.pem'), encodePem('CERTIFICATE', ca));
  const r = await xmlsec1(['--verify', '--trusted-pem', join(dir, 'ca.pem'), ...ID_ATTRS, file]);
  return r.code === 0 && /^OK$/m.test(r.stderr);
}

/** libxml2's pre-digest octets of the first Reference, as xmlsec1 --store-references prints them. */
async function xmlsecPreDigest(dir: string, xml: string, ca: Uint8Array): Promise<Buffer> {
  const file = join(dir, 'pre.xml');
  await writeFile(file, xml);
  await writeFile(join(dir, 'ca.pem'), encodePem('CERTIFICATE', ca));
  const r = await xmlsec1([
    '--verify',
    '--trusted-pem',
    join(dir, 'ca.pem'),
    ...ID_ATTRS,
    '--store-references',
    '--print-debug',
    file,
  ]);
  expect(r.code).toBe(0);
  const text = r.stdout.toString('latin1');
  const start = '== PreDigest data - start buffer:\n';
  const a = text.indexOf(start);
  const b = text.indexOf('\n== PreDigest data - end buffer', a);
  expect(a).toBeGreaterThan(0);
  return Buffer.from(text.slice(a + start.length, b), 'latin1');
}

function signatureParts(xml: string, index = 0) {
  const doc = parseXml(xml);
  const signature = findElements(doc, XMLDSIG_NS, 'Signature')[index] as Element;
  const [signedInfo] = childElements(signature, XMLDSIG_NS, 'SignedInfo') as [Element];
  const [c14n] = childElements(signedInfo, XMLDSIG_NS, 'CanonicalizationMethod') as [Element];
  const [ref] = childElements(signedInfo, XMLDSIG_NS, 'Reference') as [Element];
  const [digestValue] = childElements(ref, XMLDSIG_NS, 'DigestValue') as [Element];
  const [sv] = childElements(signature, XMLDSIG_NS, 'SignatureValue') as [Element];
  return {
    signedInfo: canonicalize(signedInfo, { algorithm: c14n.getAttribute('Algorithm') as string }),
    digestValue: base64Decode(digestValue.textContent ?? ''),
    signatureValue: base64Decode(sv.textContent ?? ''),
  };
}

/** openssl dgst -verify over `data` with the certificate's public key; true for "Verified OK". */
async function opensslVerifies(dir: string, md: string, cert: Uint8Array, data: Uint8Array, sig: Uint8Array) {
  await writeFile(join(dir, 'cert.der'), cert);
  await writeFile(join(dir, 'si.bin'), data);
  await writeFile(join(dir, 'sig.bin'), sig);
  await openssl(['x509', '-inform', 'der', '-in', 'cert.der', '-pubkey', '-noout', '-out', 'pub.pem'], { cwd: dir });
  try {
    const r = await openssl(['dgst', md, '-verify', 'pub.pem', '-signature', 'sig.bin', 'si.bin'], { cwd: dir });
    return new TextDecoder().decode(r.stdout).includes('Verified OK');
  } catch {
    return false;
  }
}

async function opensslDigest(dir: string, md: string, data: Uint8Array): Promise<Uint8Array> {
  await writeFile(join(dir, 'data.bin'), data);
  await openssl(['dgst', md, '-binary', '-out', 'digest.bin', 'data.bin'], { cwd: dir });
  return new Uint8Array(await readFile(join(dir, 'digest.bin')));
}

/** Runs a program and returns its stdout as bytes (a non-zero exit rejects, naming the package to install when it is missing). */
async function run(file: string, args: string[]): Promise<{ stdout: Buffer }> {
  try {
    return await promisify(execFile)(file, args, { encoding: 'buffer', maxBuffer: 1 << 24 });
  } catch (e) {
    throw new Error(`${file} failed (python3-lxml is installed by scripts/setup-system.sh): ${(e as Error).message}`);
  }
}

let rsaCa: TestCa;
let ecCa: TestCa;
let rsa: IssuedCertificate;
let ecdsa: IssuedCertificate;
let gost256: IssuedCertificate;
let gost512: IssuedCertificate;

beforeAll(async () => {
  rsaCa = await createTestCa({ keySpec: { type: 'rsa', bits: 2048 }, profile: 'plain' });
  rsa = await rsaCa.issue();
  ecCa = await createTestCa({ keySpec: { type: 'ecdsa', curve: 'P-256' }, profile: 'plain' });
  ecdsa = await ecCa.issue();
  const g = await createTestCa({ keySpec: { type: 'gost2012-256' } });
  gost256 = await g.issue();
  gost512 = await g.issue({ keySpec: { type: 'gost2012-512' } });
}, 120_000);

describe('xmlsec1 --verify accepts our RSA and ECDSA signatures', () => {
  const variants = [
    ['enveloped URI=""', { document: DOC }],
    ['enveloped #item-1', { document: DOC, referenceId: 'item-1' }],
    ['enveloped XAdES-BES', { document: DOC, xades: { level: 'BES' as const } }],
    ['enveloping', { document: DOC, mode: 'enveloping' as const }],
    ['detached', { document: DETACHED, mode: 'detached' as const, referenceId: 'D1', signatureParent: 'S' }],
    [
      'detached XAdES-BES',
      { document: DETACHED, mode: 'detached' as const, referenceId: 'D1', xades: { level: 'BES' as const } },
    ],
  ] as const;
  for (const [label, who, ca] of [
    ['RSA', () => rsa, () => rsaCa],
    ['ECDSA P-256', () => ecdsa, () => ecCa],
  ] as const) {
    for (const [variant, options] of variants) {
      it(`${label} ${variant}`, async () => {
        const out = await signXml({ ...options, signer: who().signer });
        await withTempDir(async (dir) => {
          expect(await xmlsecVerifies(dir, out, ca().certificate)).toBe(true);
        });
      });
    }
  }

  it('a change in the signed element, in SignedProperties or in the SignatureValue makes xmlsec1 fail', async () => {
    await withTempDir(async (dir) => {
      for (const [issued, ca] of [
        [rsa, rsaCa],
        [ecdsa, ecCa],
      ] as const) {
        const out = await signXml({
          document: DOC,
          signer: issued.signer,
          referenceId: 'item-1',
          xades: { level: 'BES' },
        });
        expect(await xmlsecVerifies(dir, out, ca.certificate)).toBe(true);
        expect(await xmlsecVerifies(dir, out.replace('Данные', 'Данные!'), ca.certificate)).toBe(false);
        expect(
          await xmlsecVerifies(dir, out.replace(/<xades:SigningTime>\d{4}/, '<xades:SigningTime>1999'), ca.certificate),
        ).toBe(false);
        const sv = signatureParts(out).signatureValue;
        sv[5] = (sv[5] as number) ^ 1;
        const flipped = out.replace(
          /<ds:SignatureValue>[^<]*</,
          `<ds:SignatureValue>${Buffer.from(sv).toString('base64')}<`,
        );
        expect(await xmlsecVerifies(dir, flipped, ca.certificate)).toBe(false);
      }
    });
  });
});

describe('GOST: OpenSSL gost-engine verifies SignatureValue, digests match libxml2 canonical bytes', () => {
  for (const [label, who, md] of [
    ['GOST 2012-256', () => gost256, '-md_gost12_256'],
    ['GOST 2012-512', () => gost512, '-md_gost12_512'],
  ] as const) {
    it(`${label} enveloped: s‖r verifies, DigestValue = openssl dgst of xmlsec1's pre-digest octets`, async () => {
      const issued = who();
      const out = await signXml({ document: DOC, signer: issued.signer });
      const twin = await signXml({ document: DOC, signer: rsa.signer });
      await withTempDir(async (dir) => {
        const p = signatureParts(out);
        expect(await opensslVerifies(dir, md, issued.certificate, p.signedInfo, p.signatureValue)).toBe(true);
        const bad = p.signatureValue.slice();
        bad[0] = (bad[0] as number) ^ 1;
        expect(await opensslVerifies(dir, md, issued.certificate, p.signedInfo, bad)).toBe(false);
        const pre = await xmlsecPreDigest(dir, twin, rsaCa.certificate);
        expect(await opensslDigest(dir, md, pre)).toEqual(p.digestValue);
      });
    });
  }

  it("GOST 2012-256: lxml (libxml2 through python3-lxml) canonicalises SignedInfo to our bytes, and openssl verifies over lxml's", async () => {
    const out = await signXml({ document: DOC, signer: gost256.signer, xades: { level: 'BES' } });
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'signed.xml'), out);
      // Debian's python3 (the one with python3-lxml); the script prints nothing but the canonical octets
      const script = [
        'import sys',
        'from lxml import etree',
        'NS = "http://www.w3.org/2000/09/xmldsig#"',
        'doc = etree.parse(sys.argv[1])',
        'si = doc.find(".//{%s}SignedInfo" % NS)',
        'alg = si.find("{%s}CanonicalizationMethod" % NS).get("Algorithm")',
        'exc = "xml-exc-c14n" in alg',
        'sys.stdout.buffer.write(etree.tostring(si, method="c14n", exclusive=exc, with_comments=alg.endswith("WithComments")))',
      ].join('\n');
      const { stdout } = await run('/usr/bin/python3', ['-c', script, join(dir, 'signed.xml')]);
      const p = signatureParts(out);
      expect(Buffer.from(stdout).equals(Buffer.from(p.signedInfo))).toBe(true);
      expect(
        await opensslVerifies(dir, '-md_gost12_256', gost256.certificate, new Uint8Array(stdout), p.signatureValue),
      ).toBe(true);
    });
  });

  it('SMEV 3: s‖r verifies; DigestValue = openssl dgst of SMEV(xmlsec1 exc-c14n of #SIGNED_BY_CONSUMER)', async () => {
    const out = await signXml({
      document: SMEV,
      signer: gost256.signer,
      profile: 'smev3',
      referenceId: 'SIGNED_BY_CONSUMER',
    });
    const twin = await signXml({
      document: SMEV,
      signer: rsa.signer,
      mode: 'detached',
      referenceId: 'SIGNED_BY_CONSUMER',
      signatureParent: 'CALLER_SIG',
    });
    await withTempDir(async (dir) => {
      const p = signatureParts(out);
      expect(await opensslVerifies(dir, '-md_gost12_256', gost256.certificate, p.signedInfo, p.signatureValue)).toBe(
        true,
      );
      const pre = await xmlsecPreDigest(dir, twin, rsaCa.certificate);
      expect(await opensslDigest(dir, '-md_gost12_256', smevTransform(new Uint8Array(pre)))).toEqual(p.digestValue);
    });
  });

  it('Kazakh: the reversed SignatureValue verifies only after reversing; DigestValue over inclusive C14N', async () => {
    const out = await signXml({ document: DOC, signer: gost512.signer, profile: 'kazakh' });
    const twin = await signXml({ document: DOC, signer: rsa.signer, canonicalization: C14N_10_WITH_COMMENTS });
    await withTempDir(async (dir) => {
      const p = signatureParts(out);
      const reversed = p.signatureValue.slice().reverse();
      expect(await opensslVerifies(dir, '-md_gost12_512', gost512.certificate, p.signedInfo, reversed)).toBe(true);
      expect(await opensslVerifies(dir, '-md_gost12_512', gost512.certificate, p.signedInfo, p.signatureValue)).toBe(
        false,
      );
      const pre = await xmlsecPreDigest(dir, twin, rsaCa.certificate);
      expect(await opensslDigest(dir, '-md_gost12_512', pre)).toEqual(p.digestValue);
    });
  });
});
