// XMLDSig/XAdES building (@eds/core/xmldsig): structure, digests recomputed with canonicalize, SignatureValue verified with the public key, SMEV 3 and Kazakh profiles, XAdES-BES/T, misuse; Node and Chromium.

import { ecdsaP1363ToDer } from '@eds/core/algorithms';
import { decodeDer } from '@eds/core/asn1';
import {
  C14N_10,
  C14N_10_WITH_COMMENTS,
  C14N_11,
  C14N_11_WITH_COMMENTS,
  canonicalize,
  EXC_C14N,
  EXC_C14N_WITH_COMMENTS,
  excludeSubtree,
} from '@eds/core/c14n';
import { gostr3411_2012_256, sha256 } from '@eds/core/digests';
import { base64Decode } from '@eds/core/encoding';
import { DecodeError, UnsupportedAlgorithmError } from '@eds/core/errors';
import { smevTransform } from '@eds/core/smev-transform';
import { createTestCa, type IssuedCertificate } from '@eds/core/testing';
import type { DigestAlgorithm, Signer } from '@eds/core/types';
import { parseCertificate } from '@eds/core/x509';
import { buildIdIndex, childElements, type Element, findElements, type Node, parseXml } from '@eds/core/xml';
import {
  ECDSA_SHA256,
  ENVELOPED_SIGNATURE,
  GOST2012_256_DIGEST,
  GOST2012_256_SIGNATURE,
  GOST2012_512_DIGEST,
  GOST2012_512_SIGNATURE,
  KZ_GOST2015_512_DIGEST,
  KZ_GOST2015_512_SIGNATURE,
  RSA_SHA256,
  SHA256_DIGEST,
  SMEV_TRANSFORM,
  signXml,
  XADES_NS,
  XADES_SIGNED_PROPERTIES_TYPE,
  XMLDSIG_NS,
  xmlSignatureAlgorithm,
} from '@eds/core/xmldsig';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { fakeTsa, readRequest, token, tstInfo } from './_tsp-builders';
import { arbDocument, renderDocument } from './_xml-arbitrary';

const DS = XMLDSIG_NS;
let gost256: IssuedCertificate;
let gost512: IssuedCertificate;
let gost512c: IssuedCertificate;
let rsa: IssuedCertificate;
let ecdsa: IssuedCertificate;

beforeAll(async () => {
  const g = await createTestCa({ keySpec: { type: 'gost2012-256' } });
  gost256 = await g.issue();
  gost512 = await g.issue({ keySpec: { type: 'gost2012-512' } });
  gost512c = await g.issue({ keySpec: { type: 'gost2012-512', paramSet: 'tc26-512-c' } });
  const r = await createTestCa({ keySpec: { type: 'rsa', bits: 2048 }, profile: 'plain' });
  rsa = await r.issue();
  const e = await createTestCa({ keySpec: { type: 'ecdsa', curve: 'P-256' }, profile: 'plain' });
  ecdsa = await e.issue();
}, 120_000);

const DOC =
  '<doc xmlns="urn:example:doc" xmlns:x="urn:x"><item Id="item-1" x:a="1">Данные <!--c--> text</item><x:note>n</x:note></doc>';

const attr = (e: Element, name: string) => e.getAttribute(name);
const one = (parent: Node, local: string, ns = DS): Element => {
  const found = childElements(parent, ns, local);
  expect(found).toHaveLength(1);
  return found[0] as Element;
};
const text = (e: Element) => e.textContent ?? '';

/** Digest of one Reference recomputed from the output document, independently of xmldsig.ts. */
function recomputeDigest(
  doc: ReturnType<typeof parseXml>,
  signature: Element,
  ref: Element,
  hash: DigestAlgorithm,
): Uint8Array {
  const uri = attr(ref, 'URI') ?? '';
  const target: Node = uri === '' ? doc : (buildIdIndex(doc).get(uri.slice(1)) as Element);
  expect(target).toBeDefined();
  const transforms = childElements(one(ref, 'Transforms'), DS, 'Transform').map((t) => attr(t, 'Algorithm'));
  const sig = excludeSubtree(signature);
  let enveloped = false;
  let octets: Uint8Array | undefined;
  for (const t of transforms) {
    if (t === ENVELOPED_SIGNATURE) enveloped = true;
    else if (t === SMEV_TRANSFORM) octets = smevTransform(octets as Uint8Array);
    else
      octets = canonicalize(target, {
        algorithm: t as string,
        exclude: (n) => n.nodeType === 8 || (enveloped && sig(n)),
      });
  }
  return hash.digest(octets as Uint8Array);
}

interface Checked {
  doc: ReturnType<typeof parseXml>;
  signature: Element;
  signedInfo: Element;
  references: Element[];
  signedInfoBytes: Uint8Array;
  signatureValue: Uint8Array;
}

/** Parses the output, checks one SignedInfo, every digest, and the SignatureValue (converted per layout). */
async function check(
  out: string,
  signer: Signer,
  layout: 'raw' | 'reversed' | 'ecdsa' = 'raw',
  index = 0,
): Promise<Checked> {
  const doc = parseXml(out);
  const signature = findElements(doc, DS, 'Signature')[index] as Element;
  expect(signature).toBeDefined();
  const signedInfo = one(signature, 'SignedInfo');
  const c14n = attr(one(signedInfo, 'CanonicalizationMethod'), 'Algorithm') as string;
  const references = childElements(signedInfo, DS, 'Reference');
  const hash = signer.algorithm.digest as DigestAlgorithm;
  for (const ref of references) {
    const expected = recomputeDigest(doc, signature, ref, hash);
    expect(base64Decode(text(one(ref, 'DigestValue')))).toEqual(expected);
  }
  const signedInfoBytes = canonicalize(signedInfo, { algorithm: c14n });
  const signatureValue = base64Decode(text(one(signature, 'SignatureValue')));
  let sig = signatureValue;
  if (layout === 'reversed') sig = signatureValue.slice().reverse();
  if (layout === 'ecdsa') sig = ecdsaP1363ToDer(signatureValue);
  expect(await signer.algorithm.verify(signer.publicKey, signedInfoBytes, sig)).toBe(true);
  return { doc, signature, signedInfo, references, signedInfoBytes, signatureValue };
}

function transformsOf(ref: Element): (string | null)[] {
  return childElements(one(ref, 'Transforms'), DS, 'Transform').map((t) => attr(t, 'Algorithm'));
}

async function rejects(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('signXml: enveloped signatures with each algorithm', () => {
  const cases = [
    ['GOST 2012-256', () => gost256, GOST2012_256_SIGNATURE, GOST2012_256_DIGEST, 'raw', 64],
    ['GOST 2012-512', () => gost512, GOST2012_512_SIGNATURE, GOST2012_512_DIGEST, 'raw', 128],
    ['RSA 2048', () => rsa, RSA_SHA256, SHA256_DIGEST, 'raw', 256],
    ['ECDSA P-256', () => ecdsa, ECDSA_SHA256, SHA256_DIGEST, 'ecdsa', 64],
  ] as const;
  for (const [label, who, sigUri, digestUri, layout, size] of cases) {
    it(`${label}: URIs, one SignedInfo, digest and signature verify`, async () => {
      const { signer, certificate } = who();
      const out = await signXml({ document: DOC, signer });
      const c = await check(out, signer, layout);
      expect(c.signature.parentNode).toBe(c.doc.documentElement);
      expect(c.doc.documentElement?.lastChild).toBe(c.signature);
      expect(attr(one(c.signedInfo, 'SignatureMethod'), 'Algorithm')).toBe(sigUri);
      expect(attr(one(c.signedInfo, 'CanonicalizationMethod'), 'Algorithm')).toBe(EXC_C14N);
      expect(c.references).toHaveLength(1);
      const ref = c.references[0] as Element;
      expect(attr(ref, 'URI')).toBe('');
      expect(transformsOf(ref)).toEqual([ENVELOPED_SIGNATURE, EXC_C14N]);
      expect(attr(one(ref, 'DigestMethod'), 'Algorithm')).toBe(digestUri);
      expect(c.signatureValue).toHaveLength(size);
      const x509 = one(one(one(c.signature, 'KeyInfo'), 'X509Data'), 'X509Certificate');
      expect(base64Decode(text(x509))).toEqual(certificate);
      expect(xmlSignatureAlgorithm(signer)).toEqual({ signatureUri: sigUri, digestUri });
    });
  }

  it('GOST s‖r layout: the first half is s, so swapping the halves breaks verification', async () => {
    const out = await signXml({ document: DOC, signer: gost256.signer });
    const c = await check(out, gost256.signer);
    const v = c.signatureValue;
    const swapped = new Uint8Array([...v.subarray(32), ...v.subarray(0, 32)]);
    expect(await gost256.signer.algorithm.verify(gost256.signer.publicKey, c.signedInfoBytes, swapped)).toBe(false);
  });

  it('signs an Id-referenced element; changing it breaks the digest, content outside does not', async () => {
    const out = await signXml({ document: DOC, signer: gost256.signer, referenceId: 'item-1' });
    const c = await check(out, gost256.signer);
    const ref = c.references[0] as Element;
    expect(attr(ref, 'URI')).toBe('#item-1');
    const hash = gostr3411_2012_256;
    const outside = parseXml(out.replace('>n</x:note>', '>changed</x:note>'));
    const sigO = findElements(outside, DS, 'Signature')[0] as Element;
    const refO = childElements(one(sigO, 'SignedInfo'), DS, 'Reference')[0] as Element;
    expect(recomputeDigest(outside, sigO, refO, hash)).toEqual(base64Decode(text(one(ref, 'DigestValue'))));
    const inside = parseXml(out.replace('Данные', 'Данные!'));
    const sigI = findElements(inside, DS, 'Signature')[0] as Element;
    const refI = childElements(one(sigI, 'SignedInfo'), DS, 'Reference')[0] as Element;
    expect(recomputeDigest(inside, sigI, refI, hash)).not.toEqual(base64Decode(text(one(ref, 'DigestValue'))));
  });

  it('comments in signed content are outside the digest (XMLDSig §4.4.3.3)', async () => {
    const out = await signXml({ document: DOC, signer: ecdsa.signer });
    await check(out.replace('<!--c-->', '<!--edited comment-->'), ecdsa.signer, 'ecdsa');
  });

  it('keeps an XML declaration, CR character references and the signed bytes through serialisation', async () => {
    const input = new TextEncoder().encode(
      '<?xml version="1.0" encoding="UTF-8"?>\n<a xmlns="urn:a" t="x&#13;y">p&#13;q<b/></a>',
    );
    const out = await signXml({ document: input, signer: gost256.signer });
    expect(out.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    const c = await check(out, gost256.signer);
    expect(c.doc.documentElement?.firstChild?.nodeValue).toBe('p\rq');
  });

  it('C14N 1.0 and 1.1 as canonicalization; no whitespace text inside SignedInfo', async () => {
    for (const algorithm of [C14N_10, C14N_11]) {
      const out = await signXml({ document: DOC, signer: rsa.signer, canonicalization: algorithm });
      const c = await check(out, rsa.signer);
      expect(attr(one(c.signedInfo, 'CanonicalizationMethod'), 'Algorithm')).toBe(algorithm);
      expect(transformsOf(c.references[0] as Element)).toEqual([ENVELOPED_SIGNATURE, algorithm]);
      expect(c.signedInfoBytes.length).toBeGreaterThan(0);
      expect(new TextDecoder().decode(c.signedInfoBytes)).not.toMatch(/>\s+</);
    }
  });

  it('includeCertificate: false leaves KeyInfo out; signatureId is written', async () => {
    const out = await signXml({
      document: DOC,
      signer: gost256.signer,
      includeCertificate: false,
      signatureId: 'sig-7',
    });
    const c = await check(out, gost256.signer);
    expect(childElements(c.signature, DS, 'KeyInfo')).toHaveLength(0);
    expect(attr(c.signature, 'Id')).toBe('sig-7');
  });
});

describe('signXml: enveloping and detached', () => {
  it('enveloping: Signature is the root, the document inside ds:Object, referenced by its Id', async () => {
    const out = await signXml({ document: DOC, signer: ecdsa.signer, mode: 'enveloping' });
    const c = await check(out, ecdsa.signer, 'ecdsa');
    expect(c.doc.documentElement).toBe(c.signature);
    const objects = childElements(c.signature, DS, 'Object');
    expect(objects).toHaveLength(1);
    const object = objects[0] as Element;
    expect(attr(c.references[0] as Element, 'URI')).toBe(`#${attr(object, 'Id')}`);
    expect(transformsOf(c.references[0] as Element)).toEqual([EXC_C14N]);
    expect((object.firstChild as Element).localName).toBe('doc');
  });

  it('detached: Signature in signatureParent, the sibling element referenced, no enveloped transform', async () => {
    const doc = '<env xmlns="urn:e"><data Id="D1">signed</data><sigs Id="S"/></env>';
    const out = await signXml({
      document: doc,
      signer: rsa.signer,
      mode: 'detached',
      referenceId: 'D1',
      signatureParent: 'S',
    });
    const c = await check(out, rsa.signer);
    expect((c.signature.parentNode as Element).getAttribute('Id')).toBe('S');
    expect(transformsOf(c.references[0] as Element)).toEqual([EXC_C14N]);
  });

  it('detached refuses a Signature inside the signed element, and needs referenceId', async () => {
    const doc = '<env xmlns="urn:e"><data Id="D1"><sigs Id="S"/></data></env>';
    expect(
      await rejects(
        signXml({ document: doc, signer: rsa.signer, mode: 'detached', referenceId: 'D1', signatureParent: 'S' }),
      ),
    ).toBeInstanceOf(TypeError);
    expect(await rejects(signXml({ document: doc, signer: rsa.signer, mode: 'detached' }))).toBeInstanceOf(TypeError);
  });
});

const SMEV = [
  '<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>',
  '<ns2:SendRequestRequest xmlns:ns2="urn://x-artefacts-smev-gov-ru/services/message-exchange/types/1.1"',
  ' xmlns:ns3="urn://x-artefacts-smev-gov-ru/services/message-exchange/types/basic/1.1">',
  '<ns2:SenderProvidedRequestData Id="SIGNED_BY_CONSUMER">',
  '<ns2:MessageID>db0486d0-3c08-11e5-95e2-d4c9eff07b77</ns2:MessageID>',
  '<ns3:MessagePrimaryContent><r:Req xmlns:r="urn:req" b="2" a="1">  текст  </r:Req><r:Other xmlns:r="urn:req"/></ns3:MessagePrimaryContent>',
  '</ns2:SenderProvidedRequestData>',
  '<ns2:CallerInformationSystemSignature></ns2:CallerInformationSystemSignature>',
  '</ns2:SendRequestRequest></S:Body></S:Envelope>',
].join('');

describe('signXml: SMEV 3 profile', () => {
  it('exc-c14n + SMEV transform over #SIGNED_BY_CONSUMER, Signature in CallerInformationSystemSignature', async () => {
    for (const issued of [gost256, gost512]) {
      const out = await signXml({
        document: SMEV,
        signer: issued.signer,
        profile: 'smev3',
        referenceId: 'SIGNED_BY_CONSUMER',
      });
      const c = await check(out, issued.signer);
      expect((c.signature.parentNode as Element).localName).toBe('CallerInformationSystemSignature');
      expect(attr(one(c.signedInfo, 'CanonicalizationMethod'), 'Algorithm')).toBe(EXC_C14N);
      expect(c.references).toHaveLength(1);
      expect(attr(c.references[0] as Element, 'URI')).toBe('#SIGNED_BY_CONSUMER');
      expect(transformsOf(c.references[0] as Element)).toEqual([EXC_C14N, SMEV_TRANSFORM]);
      // The digest input is the SMEV form: generated nsN prefixes, no whitespace-only text.
      const el = buildIdIndex(c.doc).get('SIGNED_BY_CONSUMER') as Element;
      const smev = new TextDecoder().decode(smevTransform(canonicalize(el, { algorithm: EXC_C14N })));
      expect(smev.startsWith('<ns1:SenderProvidedRequestData xmlns:ns1=')).toBe(true);
    }
  });

  it('refuses RSA/ECDSA, a missing referenceId, enveloped mode, and an envelope without the signature element', async () => {
    expect(
      await rejects(
        signXml({ document: SMEV, signer: rsa.signer, profile: 'smev3', referenceId: 'SIGNED_BY_CONSUMER' }),
      ),
    ).toBeInstanceOf(UnsupportedAlgorithmError);
    expect(await rejects(signXml({ document: SMEV, signer: gost256.signer, profile: 'smev3' }))).toBeInstanceOf(
      TypeError,
    );
    expect(
      await rejects(
        signXml({
          document: SMEV,
          signer: gost256.signer,
          profile: 'smev3',
          mode: 'enveloped',
          referenceId: 'SIGNED_BY_CONSUMER',
        }),
      ),
    ).toBeInstanceOf(TypeError);
    expect(
      await rejects(
        signXml({
          document: SMEV,
          signer: gost256.signer,
          profile: 'smev3',
          referenceId: 'SIGNED_BY_CONSUMER',
          xades: { level: 'BES' },
        }),
      ),
    ).toBeInstanceOf(TypeError);
    const bare = SMEV.replace('<ns2:CallerInformationSystemSignature></ns2:CallerInformationSystemSignature>', '');
    expect(
      await rejects(
        signXml({ document: bare, signer: gost256.signer, profile: 'smev3', referenceId: 'SIGNED_BY_CONSUMER' }),
      ),
    ).toBeInstanceOf(TypeError);
  });

  it('a second element with Id SIGNED_BY_CONSUMER is refused', async () => {
    const dup = SMEV.replace('<ns2:MessageID>', '<ns2:MessageID Id="SIGNED_BY_CONSUMER">');
    expect(
      await rejects(
        signXml({ document: dup, signer: gost256.signer, profile: 'smev3', referenceId: 'SIGNED_BY_CONSUMER' }),
      ),
    ).toBeInstanceOf(DecodeError);
  });
});

describe('signXml: Kazakh profile', () => {
  it('pkigovkz URIs, inclusive C14N, [enveloped, c14n#WithComments], byte-reversed SignatureValue', async () => {
    const out = await signXml({ document: DOC, signer: gost512.signer, profile: 'kazakh' });
    const c = await check(out, gost512.signer, 'reversed');
    expect(attr(one(c.signedInfo, 'SignatureMethod'), 'Algorithm')).toBe(KZ_GOST2015_512_SIGNATURE);
    expect(attr(one(c.references[0] as Element, 'DigestMethod'), 'Algorithm')).toBe(KZ_GOST2015_512_DIGEST);
    expect(attr(one(c.signedInfo, 'CanonicalizationMethod'), 'Algorithm')).toBe(C14N_10);
    expect(transformsOf(c.references[0] as Element)).toEqual([ENVELOPED_SIGNATURE, C14N_10_WITH_COMMENTS]);
    // Not the Russian layout: unreversed bytes do not verify.
    expect(await gost512.signer.algorithm.verify(gost512.signer.publicKey, c.signedInfoBytes, c.signatureValue)).toBe(
      false,
    );
  });

  it('RSA-SHA256 keeps the W3C URIs and its byte order', async () => {
    const out = await signXml({ document: DOC, signer: rsa.signer, profile: 'kazakh' });
    const c = await check(out, rsa.signer);
    expect(attr(one(c.signedInfo, 'SignatureMethod'), 'Algorithm')).toBe(RSA_SHA256);
  });

  it('refuses ECDSA and GOST-512 keys off paramSetA', async () => {
    expect(await rejects(signXml({ document: DOC, signer: ecdsa.signer, profile: 'kazakh' }))).toBeInstanceOf(
      UnsupportedAlgorithmError,
    );
    expect(await rejects(signXml({ document: DOC, signer: gost512c.signer, profile: 'kazakh' }))).toBeInstanceOf(
      UnsupportedAlgorithmError,
    );
  });
});

describe('signXml: XAdES', () => {
  it('BES: SignedProperties referenced with its Type, SigningCertificateV2 and IssuerSerialV2 bind the certificate', async () => {
    const signingTime = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
    for (const [issued, layout] of [
      [gost256, 'raw'],
      [ecdsa, 'ecdsa'],
    ] as const) {
      const out = await signXml({ document: DOC, signer: issued.signer, xades: { level: 'BES', signingTime } });
      const c = await check(out, issued.signer, layout);
      expect(c.references).toHaveLength(2);
      const propsRef = c.references[1] as Element;
      expect(attr(propsRef, 'Type')).toBe(XADES_SIGNED_PROPERTIES_TYPE);
      const qp = one(one(c.signature, 'Object'), 'QualifyingProperties', XADES_NS);
      expect(attr(qp, 'Target')).toBe(`#${attr(c.signature, 'Id')}`);
      const sp = one(qp, 'SignedProperties', XADES_NS);
      expect(attr(propsRef, 'URI')).toBe(`#${attr(sp, 'Id')}`);
      const ssp = one(sp, 'SignedSignatureProperties', XADES_NS);
      expect(text(one(ssp, 'SigningTime', XADES_NS))).toBe('2026-01-02T03:04:05Z');
      const cert = one(one(ssp, 'SigningCertificateV2', XADES_NS), 'Cert', XADES_NS);
      const certDigest = one(cert, 'CertDigest', XADES_NS);
      const hash = issued.signer.algorithm.digest as DigestAlgorithm;
      expect(base64Decode(text(one(certDigest, 'DigestValue')))).toEqual(hash.digest(issued.certificate));
      const parsed = parseCertificate(issued.certificate);
      const is = decodeDer(base64Decode(text(one(cert, 'IssuerSerialV2', XADES_NS)))).children();
      const generalName = is[0]?.children()[0];
      expect(generalName?.tag).toBe(0xa4);
      expect(generalName?.explicit(4).bytes).toEqual(parsed.issuer.raw);
      expect(is[1]?.integer()).toBe(parsed.serialNumber);
    }
  });

  it('enveloping XAdES over content that already holds a XAdES signature uses its own SignedProperties', async () => {
    const inner = await signXml({
      document: DOC,
      signer: gost256.signer,
      referenceId: 'item-1',
      xades: { level: 'BES' },
    });
    const out = await signXml({ document: inner, signer: rsa.signer, mode: 'enveloping', xades: { level: 'BES' } });
    const c = await check(out, rsa.signer);
    const sp = one(
      one(childElements(c.signature, DS, 'Object')[1] as Element, 'QualifyingProperties', XADES_NS),
      'SignedProperties',
      XADES_NS,
    );
    expect(attr(c.references[1] as Element, 'URI')).toBe(`#${attr(sp, 'Id')}`);
    await check(out, gost256.signer, 'raw', 1);
  });

  it('T: the SignatureTimeStamp covers the exclusive-C14N SignatureValue element', async () => {
    const calls: { digest: Uint8Array; hash: DigestAlgorithm }[] = [];
    let issuedToken: Uint8Array | undefined;
    const tsa = async (digest: Uint8Array, hash: DigestAlgorithm) => {
      calls.push({ digest, hash });
      issuedToken = token(tstInfo({ hashOid: hash.oid, hash: digest }));
      return issuedToken;
    };
    const out = await signXml({ document: DOC, signer: gost256.signer, xades: { level: 'T', tsa } });
    const c = await check(out, gost256.signer);
    expect(calls).toHaveLength(1);
    const sv = one(c.signature, 'SignatureValue');
    expect(calls[0]?.digest).toEqual(gostr3411_2012_256.digest(canonicalize(sv, { algorithm: EXC_C14N })));
    const ts = findElements(c.signature, XADES_NS, 'SignatureTimeStamp');
    expect(ts).toHaveLength(1);
    expect(attr(one(ts[0] as Element, 'CanonicalizationMethod'), 'Algorithm')).toBe(EXC_C14N);
    expect(base64Decode(text(one(ts[0] as Element, 'EncapsulatedTimeStamp', XADES_NS)))).toEqual(issuedToken);
    // Unsigned properties sit outside SignedProperties.
    expect(
      findElements(
        one(findElements(c.signature, XADES_NS, 'QualifyingProperties')[0] as Element, 'SignedProperties', XADES_NS),
        XADES_NS,
        'SignatureTimeStamp',
      ),
    ).toHaveLength(0);
  });

  it('T through a TSA endpoint: the request carries the SignatureValue digest, the token is embedded', async () => {
    const fetcher = fakeTsa(rsa.certificate);
    const out = await signXml({
      document: DOC,
      signer: ecdsa.signer,
      xades: { level: 'T', tsa: { url: 'http://tsa.test/tsp', fetcher } },
    });
    const c = await check(out, ecdsa.signer, 'ecdsa');
    expect(fetcher.requests).toHaveLength(1);
    const q = readRequest(fetcher.requests[0]?.body as Uint8Array);
    const sv = one(c.signature, 'SignatureValue');
    expect(q.hash).toEqual(sha256.digest(canonicalize(sv, { algorithm: EXC_C14N })));
    expect(findElements(c.signature, XADES_NS, 'EncapsulatedTimeStamp')).toHaveLength(1);
  });

  it('T refuses a token over another digest; T without tsa and XAdES without a certificate are misuse', async () => {
    const wrong = async (_d: Uint8Array, hash: DigestAlgorithm) =>
      token(tstInfo({ hashOid: hash.oid, hash: new Uint8Array(32) }));
    expect(
      await rejects(signXml({ document: DOC, signer: gost256.signer, xades: { level: 'T', tsa: wrong } })),
    ).toHaveProperty('code', 'ERR_TSA_MISMATCH');
    expect(await rejects(signXml({ document: DOC, signer: gost256.signer, xades: { level: 'T' } }))).toBeInstanceOf(
      TypeError,
    );
    const bare: Signer = {
      algorithm: gost256.signer.algorithm,
      publicKey: gost256.signer.publicKey,
      sign: (d) => gost256.signer.sign(d),
    };
    expect(await rejects(signXml({ document: DOC, signer: bare, xades: { level: 'BES' } }))).toBeInstanceOf(TypeError);
    expect(await rejects(signXml({ document: DOC, signer: bare, includeCertificate: true }))).toBeInstanceOf(TypeError);
    const out = await signXml({ document: DOC, signer: bare });
    await check(out, bare);
  });
});

describe('signXml: bad input and misuse', () => {
  it('ill-formed XML, DOCTYPE and duplicate Ids are DecodeErrors', async () => {
    const s = gost256.signer;
    expect(await rejects(signXml({ document: '<a><b></a>', signer: s }))).toBeInstanceOf(DecodeError);
    expect(await rejects(signXml({ document: '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', signer: s }))).toBeInstanceOf(
      DecodeError,
    );
    expect(await rejects(signXml({ document: '<a><b Id="x"/><c Id="x"/></a>', signer: s }))).toBeInstanceOf(
      DecodeError,
    );
  });

  it('unknown Ids, taken Ids, bad options and unsupported signers are typed', async () => {
    const s = gost256.signer;
    expect(await rejects(signXml({ document: DOC, signer: s, referenceId: 'nope' }))).toBeInstanceOf(TypeError);
    expect(await rejects(signXml({ document: DOC, signer: s, signatureId: 'item-1' }))).toBeInstanceOf(TypeError);
    expect(await rejects(signXml({ document: DOC, signer: s, referenceId: 'a b' }))).toBeInstanceOf(TypeError);
    expect(await rejects(signXml({ document: DOC, signer: s, canonicalization: 'urn:nope' }))).toBeInstanceOf(
      TypeError,
    );
    expect(await rejects(signXml({ document: DOC, signer: s, mode: 'other' as 'enveloped' }))).toBeInstanceOf(
      TypeError,
    );
    expect(await rejects(signXml({ document: 42 as unknown as string, signer: s }))).toBeInstanceOf(TypeError);
    expect(await rejects(signXml({ document: DOC, signer: undefined as unknown as Signer }))).toBeInstanceOf(TypeError);
    const ed: Signer = { ...s, algorithm: { ...s.algorithm, name: 'ed25519' } };
    expect(await rejects(signXml({ document: DOC, signer: ed }))).toBeInstanceOf(UnsupportedAlgorithmError);
  });

  it('an aborted signal rejects with its reason', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    controller.abort(reason);
    expect(await rejects(signXml({ document: DOC, signer: gost256.signer, signal: controller.signal }))).toBe(reason);
  });
});

describe('signXml: generated documents', () => {
  it('any namespace-well-formed document signs under every C14N, and its digest and signature recompute', async () => {
    const c14n = fc.constantFrom(
      C14N_10,
      C14N_10_WITH_COMMENTS,
      C14N_11,
      C14N_11_WITH_COMMENTS,
      EXC_C14N,
      EXC_C14N_WITH_COMMENTS,
    );
    await fc.assert(
      fc.asyncProperty(arbDocument(), c14n, fc.boolean(), async (d, canonicalization, enveloping) => {
        const document = renderDocument(d);
        const mode = enveloping ? 'enveloping' : 'enveloped';
        const options = { document, signer: ecdsa.signer, canonicalization, mode, includeCertificate: false } as const;
        let duplicateIds = false;
        try {
          buildIdIndex(parseXml(document));
        } catch {
          duplicateIds = true;
        }
        if (duplicateIds) expect(await rejects(signXml(options))).toBeInstanceOf(DecodeError);
        else await check(await signXml(options), ecdsa.signer, 'ecdsa');
      }),
      { numRuns: 60 },
    );
  });
});
