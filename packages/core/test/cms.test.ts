// CMS SignedData / CAdES-BES signing (RFC 5652 §5, RFC 5035, ETSI EN 319 122-1): structure read back with decodeDer, signatures checked with verifySignature.
import { verifySignature } from '@eds/core/algorithms';
import { allAlgorithms } from '@eds/core/all-algorithms';
import { type Der, decodeDer, der, TAG } from '@eds/core/asn1';
import { addCountersignature, addSigner, cmsToBase64, cmsToPem, signCms } from '@eds/core/cms';
import { findDigest, gostr3411_2012_256, sha256 } from '@eds/core/digests';
import { base64Decode, decodePem } from '@eds/core/encoding';
import { DecodeError, KeyMismatchError } from '@eds/core/errors';
import { parsePublicKey } from '@eds/core/keys';
import { encodeSignedData, encodeSignerInfo, parseSignedData, type SignerInfoView } from '@eds/core/signed-data';
import { createTestCa, type IssuedCertificate, type KeySpec, type TestCa } from '@eds/core/testing';
import type { Signer } from '@eds/core/types';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sigPolicy: '1.2.840.113549.1.9.16.2.15',
  contentHint: '1.2.840.113549.1.9.16.2.4',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha512: '2.16.840.1.101.3.4.2.3',
  streebog256: '1.2.643.7.1.1.2.2',
  streebog512: '1.2.643.7.1.1.2.3',
};

const SPECS: [string, KeySpec, string][] = [
  ['GOST-256 CryptoPro-A', { type: 'gost2012-256' }, OID.streebog256],
  ['GOST-256 tc26-256-A', { type: 'gost2012-256', paramSet: 'tc26-256-a' }, OID.streebog256],
  ['GOST-512', { type: 'gost2012-512' }, OID.streebog512],
  ['ECDSA P-256', { type: 'ecdsa', curve: 'P-256' }, OID.sha256],
  ['RSA-2048', { type: 'rsa', bits: 2048 }, OID.sha256],
  ['Ed25519', { type: 'ed25519' }, OID.sha512],
];

const content = new TextEncoder().encode('Документ для подписи: CAdES-BES.\n');

/** What a test reads back of one SignerInfo. */
interface ReadSignerInfo {
  bytes: Uint8Array;
  version: number;
  sid: Der;
  digestOid: string;
  /** The signed attributes re-tagged as SET (0x31): the bytes the signature covers. */
  signedSet?: Uint8Array;
  attributes: { oid: string; values: Der[]; bytes: Uint8Array }[];
  signatureAlgorithm: Uint8Array;
  signature: Uint8Array;
}

interface ReadCms {
  version: number;
  digestOids: string[];
  contentType: string;
  content?: Uint8Array;
  certificates: Uint8Array[];
  signerInfos: ReadSignerInfo[];
}

function readSignerInfo(node: Der): ReadSignerInfo {
  const r = node.read();
  const version = r.next(TAG.INTEGER, 'version').smallInt();
  const sid = r.next(TAG.SEQUENCE, 'sid');
  const digestOid = r.next(TAG.SEQUENCE, 'digestAlgorithm').read().next(TAG.OID, 'oid').oid();
  const attrsNode = r.optional(0xa0, 'signedAttrs');
  const signatureAlgorithm = r.next(TAG.SEQUENCE, 'signatureAlgorithm').bytes;
  const signature = r.next(TAG.OCTET_STRING, 'signature').octets();
  r.end();
  const out: ReadSignerInfo = {
    bytes: node.bytes,
    version,
    sid,
    digestOid,
    attributes: [],
    signatureAlgorithm,
    signature,
  };
  if (attrsNode) {
    const set = attrsNode.bytes.slice();
    set[0] = 0x31;
    out.signedSet = set;
    out.attributes = attrsNode.children().map((a) => {
      const ar = a.read();
      return { oid: ar.next(TAG.OID, 'type').oid(), values: ar.next(TAG.SET, 'values').children(), bytes: a.bytes };
    });
  }
  return out;
}

function readCms(bytes: Uint8Array): ReadCms {
  const ci = decodeDer(bytes, 'ContentInfo').read();
  expect(ci.next(TAG.OID, 'type').oid()).toBe(OID.signedData);
  const sd = ci.next(0xa0, 'content').explicit(0).read();
  ci.end();
  const version = sd.next(TAG.INTEGER, 'version').smallInt();
  const digestNodes = sd.next(TAG.SET, 'digestAlgorithms').children();
  expectSorted(digestNodes.map((d) => d.bytes));
  const digestOids = digestNodes.map((d) => d.read().next(TAG.OID, 'oid').oid());
  const encap = sd.next(TAG.SEQUENCE, 'encap').read();
  const contentType = encap.next(TAG.OID, 'eContentType').oid();
  const eContent = encap.optional(0xa0, 'eContent');
  encap.end();
  const certs = sd.optional(0xa0, 'certificates');
  const infoNodes = sd.next(TAG.SET, 'signerInfos').children();
  sd.end();
  expectSorted(infoNodes.map((d) => d.bytes));
  const signerInfos = infoNodes.map(readSignerInfo);
  if (certs) expectSorted(certs.children().map((c) => c.bytes));
  const out: ReadCms = {
    version,
    digestOids,
    contentType,
    certificates: certs ? certs.children().map((c) => c.bytes) : [],
    signerInfos,
  };
  if (eContent) out.content = eContent.explicit(0).octets();
  return out;
}

/** DER SET OF order (X.690 §11.6). */
function expectSorted(items: Uint8Array[]): void {
  expect(items).toEqual([...items].sort(compareBytes));
}

function attr(si: ReadSignerInfo, oid: string): Der {
  const a = si.attributes.find((x) => x.oid === oid);
  expect(a, oid).toBeDefined();
  expect(a?.values.length).toBe(1);
  return a?.values[0] as Der;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return compareBytes(a, b) === 0;
}

/** BER of a DER TLV as CryptoPro and `openssl cms -stream` write it: indefinite lengths, OCTET STRINGs in two segments. */
function toBer(bytes: Uint8Array): Uint8Array {
  const node = decodeDer(bytes);
  const id = [...node.bytes.subarray(0, node.bytes.length - node.value.length)].slice(0, 1);
  if (node.constructed)
    return Uint8Array.from([...id, 0x80, ...node.children().flatMap((c) => [...toBer(c.bytes)]), 0, 0]);
  if (node.tag !== TAG.OCTET_STRING || node.value.length < 2) return node.bytes;
  const half = node.value.length >> 1;
  const seg = (v: Uint8Array) => [...der.octets(v)];
  return Uint8Array.from([0x24, 0x80, ...seg(node.value.subarray(0, half)), ...seg(node.value.subarray(half)), 0, 0]);
}

/** The issuer, serial and SPKI TLVs of a certificate. */
function certFields(cert: Uint8Array): { issuer: Uint8Array; serial: Uint8Array; spki: Uint8Array } {
  const r = decodeDer(cert).read().next(TAG.SEQUENCE, 'tbs').read();
  r.optional(0xa0, 'version');
  const serial = r.next(TAG.INTEGER, 'serial').bytes;
  r.next(TAG.SEQUENCE, 'sig');
  const issuer = r.next(TAG.SEQUENCE, 'issuer').bytes;
  r.next(TAG.SEQUENCE, 'validity');
  r.next(TAG.SEQUENCE, 'subject');
  return { issuer, serial, spki: r.next(TAG.SEQUENCE, 'spki').bytes };
}

/** Verifies one SignerInfo's signature over its re-tagged attributes (or `data` when it has none). */
async function verifies(si: ReadSignerInfo, cert: Uint8Array, data?: Uint8Array): Promise<boolean> {
  return verifySignature(allAlgorithms, {
    algorithm: si.signatureAlgorithm,
    publicKey: parsePublicKey(certFields(cert).spki),
    data: si.signedSet ?? (data as Uint8Array),
    signature: si.signature,
    digestOid: si.digestOid,
  });
}

/** Checks a CAdES-BES SignerInfo against the content and the signer's certificate. */
async function expectBes(si: ReadSignerInfo, cert: Uint8Array, data: Uint8Array, digestOid: string): Promise<void> {
  expect(si.version).toBe(1);
  expect(si.digestOid).toBe(digestOid);
  const f = certFields(cert);
  expect(si.sid.value).toEqual(Uint8Array.from([...f.issuer, ...f.serial]));
  const oids = si.attributes.map((a) => a.oid);
  for (const o of [OID.contentType, OID.messageDigest, OID.signingTime, OID.signingCertificateV2])
    expect(oids).toContain(o);
  expectSorted(si.attributes.map((a) => a.bytes));
  expect(attr(si, OID.contentType).oid()).toBe(OID.data);
  expect(attr(si, OID.messageDigest).octets()).toEqual(findDigest(digestOid).digest(data));
  // signingCertificateV2: certs[0] = ESSCertIDv2
  const essId = attr(si, OID.signingCertificateV2)
    .read()
    .next(TAG.SEQUENCE, 'certs')
    .read()
    .next(TAG.SEQUENCE, 'id')
    .read();
  const gost = digestOid.startsWith('1.2.643.');
  const algNode = essId.optional(TAG.SEQUENCE, 'hashAlgorithm');
  const hashOid = algNode ? algNode.read().next(TAG.OID, 'oid').oid() : OID.sha256;
  expect(algNode === undefined).toBe(!gost); // SHA-256 is the DEFAULT and must be absent in DER
  expect(hashOid).toBe(gost ? digestOid : OID.sha256);
  expect(essId.next(TAG.OCTET_STRING, 'certHash').octets()).toEqual(findDigest(hashOid).digest(cert));
  const issuerSerial = essId.next(TAG.SEQUENCE, 'issuerSerial').read();
  const names = issuerSerial.next(TAG.SEQUENCE, 'issuer').children();
  expect(names.length).toBe(1);
  expect(names[0]?.tag).toBe(0xa4);
  expect(names[0]?.value).toEqual(f.issuer);
  expect(issuerSerial.next(TAG.INTEGER, 'serial').bytes).toEqual(f.serial);
  expect(await verifies(si, cert)).toBe(true);
}

const signers = new Map<string, { root: TestCa; leaf: IssuedCertificate }>();

beforeAll(async () => {
  for (const [label, keySpec] of SPECS) {
    const root = await createTestCa({ keySpec });
    signers.set(label, { root, leaf: await root.issue() });
  }
}, 120_000);

const leafOf = (label: string) => signers.get(label)?.leaf as IssuedCertificate;

describe('signCms: CAdES-BES per key type', () => {
  for (const [label, , digestOid] of SPECS) {
    it(`${label}: attached, attributes, signature`, async () => {
      const { certificate, signer } = leafOf(label);
      const signingTime = new Date('2024-05-06T07:08:09.500Z');
      const cms = await signCms({ content, signers: [signer], signingTime });
      const read = readCms(cms);
      expect(read.version).toBe(1);
      expect(read.contentType).toBe(OID.data);
      expect(read.content).toEqual(content);
      expect(read.digestOids).toEqual([digestOid]);
      expect(read.certificates).toEqual([certificate]);
      expect(read.signerInfos.length).toBe(1);
      const si = read.signerInfos[0] as ReadSignerInfo;
      await expectBes(si, certificate, content, digestOid);
      const t = attr(si, OID.signingTime);
      expect(t.tag).toBe(TAG.UTC_TIME);
      expect(t.time()).toEqual(new Date('2024-05-06T07:08:09Z'));
      // a changed attribute byte breaks the signature
      const set = (si.signedSet as Uint8Array).slice();
      set[set.length - 1] = (set[set.length - 1] as number) ^ 1;
      expect(await verifies({ ...si, signedSet: set }, certificate)).toBe(false);
    });

    it(`${label}: detached from bytes equals detached from a stream`, async () => {
      const { certificate, signer } = leafOf(label);
      const cms = await signCms({ content, signers: [signer], detached: true });
      const read = readCms(cms);
      expect(read.content).toBeUndefined();
      await expectBes(read.signerInfos[0] as ReadSignerInfo, certificate, content, digestOid);
      const streamed = readCms(
        await signCms({ content: new Blob([content]).stream(), signers: [signer], detached: true }),
      );
      expect(attr(streamed.signerInfos[0] as ReadSignerInfo, OID.messageDigest).octets()).toEqual(
        attr(read.signerInfos[0] as ReadSignerInfo, OID.messageDigest).octets(),
      );
    });
  }

  it('GOST-256 signatureAlgorithm is the signature OID 1.2.643.7.1.1.3.2, GOST-512 .3.3', async () => {
    for (const [label, oid] of [
      ['GOST-256 CryptoPro-A', '1.2.643.7.1.1.3.2'],
      ['GOST-512', '1.2.643.7.1.1.3.3'],
    ] as const) {
      const si = readCms(await signCms({ content, signers: [leafOf(label).signer] })).signerInfos[0] as ReadSignerInfo;
      expect(decodeDer(si.signatureAlgorithm).read().next(TAG.OID, 'oid').oid()).toBe(oid);
    }
  });
});

describe('signCms: options', () => {
  it('several signers share one pass; digestAlgorithms are distinct and sorted', async () => {
    const list = ['GOST-256 CryptoPro-A', 'GOST-256 tc26-256-A', 'GOST-512', 'ECDSA P-256'].map(leafOf);
    const read = readCms(await signCms({ content: new Blob([content]).stream(), signers: list.map((l) => l.signer) }));
    expect(read.content).toEqual(content);
    expect(read.signerInfos.length).toBe(4);
    expect(read.digestOids.length).toBe(3);
    expect(new Set(read.digestOids)).toEqual(new Set([OID.streebog256, OID.streebog512, OID.sha256]));
    for (const l of list) {
      const f = certFields(l.certificate);
      const si = read.signerInfos.find(
        (s) => compareBytes(s.sid.value, Uint8Array.from([...f.issuer, ...f.serial])) === 0,
      );
      expect(si).toBeDefined();
      expect(await verifies(si as ReadSignerInfo, l.certificate)).toBe(true);
    }
  });

  it('signingTime after 2049 is GeneralizedTime; a policy attribute is written', async () => {
    const { signer, certificate } = leafOf('ECDSA P-256');
    const policyHash = sha256.digest(new TextEncoder().encode('policy document'));
    const cms = await signCms({
      content,
      signers: [signer],
      signingTime: new Date('2051-01-02T03:04:05Z'),
      policy: { oid: '1.2.3.4.5', hashAlgorithm: sha256, hash: policyHash, uri: 'http://127.0.0.1/policy' },
    });
    const si = readCms(cms).signerInfos[0] as ReadSignerInfo;
    const t = attr(si, OID.signingTime);
    expect(t.tag).toBe(TAG.GENERALIZED_TIME);
    expect(t.time()).toEqual(new Date('2051-01-02T03:04:05Z'));
    const p = attr(si, OID.sigPolicy).read();
    expect(p.next(TAG.OID, 'id').oid()).toBe('1.2.3.4.5');
    const h = p.next(TAG.SEQUENCE, 'hash').read();
    expect(h.next(TAG.SEQUENCE, 'alg').read().next(TAG.OID, 'oid').oid()).toBe(OID.sha256);
    expect(h.next(TAG.OCTET_STRING, 'value').octets()).toEqual(policyHash);
    expect(await verifies(si, certificate)).toBe(true);
  });

  it('content hints carry the description and type; an empty description is a RangeError', async () => {
    const { signer, certificate } = leafOf('ECDSA P-256');
    const cms = await signCms({ content, signers: [signer], contentHints: { description: 'Договор.pdf' } });
    const si = readCms(cms).signerInfos[0] as ReadSignerInfo;
    const hint = attr(si, OID.contentHint).read();
    expect(hint.next(TAG.UTF8_STRING, 'contentDescription').string()).toBe('Договор.pdf');
    expect(hint.next(TAG.OID, 'contentType').oid()).toBe(OID.data);
    hint.end();
    expect(await verifies(si, certificate)).toBe(true);
    await expect(signCms({ content, signers: [signer], contentHints: { description: '' } })).rejects.toBeInstanceOf(
      RangeError,
    );
  });

  it('includeCertificates: chain adds the issuers from the pool, none adds nothing, extra certificates are kept', async () => {
    const root = await createTestCa({ keySpec: { type: 'ecdsa', curve: 'P-256' } });
    const inter = await root.issueIntermediate();
    const leaf = await inter.issue();
    const unrelated = leafOf('RSA-2048').certificate;
    const chain = readCms(
      await signCms({
        content,
        signers: [leaf.signer],
        includeCertificates: 'chain',
        certificates: [unrelated, root.certificate, inter.certificate],
      }),
    );
    expect(chain.certificates.length).toBe(3);
    for (const c of [leaf.certificate, inter.certificate, root.certificate])
      expect(chain.certificates).toContainEqual(c);
    expect([...chain.certificates].sort(compareBytes)).toEqual(chain.certificates);
    const none = readCms(await signCms({ content, signers: [leaf.signer], includeCertificates: 'none' }));
    expect(none.certificates).toEqual([]);
    const extra = readCms(await signCms({ content, signers: [leaf.signer], certificates: [inter.certificate] }));
    expect(extra.certificates.length).toBe(2);
  });

  it('a non-data contentType gives SignedData version 3 and the contentType attribute', async () => {
    const { signer } = leafOf('GOST-256 CryptoPro-A');
    const read = readCms(await signCms({ content, signers: [signer], contentType: '1.2.840.113549.1.9.16.1.4' }));
    expect(read.version).toBe(3);
    expect(read.contentType).toBe('1.2.840.113549.1.9.16.1.4');
    expect(attr(read.signerInfos[0] as ReadSignerInfo, OID.contentType).oid()).toBe('1.2.840.113549.1.9.16.1.4');
  });

  it('a precomputed digest gives the same messageDigest as the content (detached)', async () => {
    const { signer, certificate } = leafOf('GOST-256 CryptoPro-A');
    const digest = gostr3411_2012_256.digest(content);
    const si = readCms(await signCms({ digest, signers: [signer], detached: true })).signerInfos[0] as ReadSignerInfo;
    await expectBes(si, certificate, content, OID.streebog256);
  });

  it('PEM and Base64 forms decode to the DER', async () => {
    const cms = await signCms({ content, signers: [leafOf('ECDSA P-256').signer] });
    const [block] = decodePem(cmsToPem(cms));
    expect(block?.label).toBe('CMS');
    expect(block?.bytes).toEqual(cms);
    expect(base64Decode(cmsToBase64(cms))).toEqual(cms);
  });
});

describe('signCms: plain CMS without signed attributes', () => {
  for (const label of ['GOST-256 CryptoPro-A', 'GOST-512', 'ECDSA P-256', 'RSA-2048', 'Ed25519']) {
    it(`${label}: the signature covers the content itself (bytes, attached and detached)`, async () => {
      const { signer, certificate } = leafOf(label);
      for (const detached of [false, true]) {
        const read = readCms(await signCms({ content, signers: [signer], signedAttributes: false, detached }));
        const si = read.signerInfos[0] as ReadSignerInfo;
        expect(si.signedSet).toBeUndefined();
        expect(await verifies(si, certificate, content)).toBe(true);
        expect(await verifies(si, certificate, content.subarray(1))).toBe(false);
      }
    });
  }

  it('GOST-256 and RSA: a detached stream is signed through signDigest', async () => {
    for (const label of ['GOST-256 CryptoPro-A', 'RSA-2048']) {
      const { signer, certificate } = leafOf(label);
      const cms = await signCms({
        content: new Blob([content]).stream(),
        signers: [signer],
        signedAttributes: false,
        detached: true,
      });
      expect(await verifies(readCms(cms).signerInfos[0] as ReadSignerInfo, certificate, content)).toBe(true);
    }
  });

  it('Ed25519 cannot sign a detached stream or a digest without attributes: TypeError before reading', async () => {
    const { signer } = leafOf('Ed25519');
    let pulled = false;
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(c) {
          pulled = true;
          c.enqueue(content);
          c.close();
        },
      },
      { highWaterMark: 0 },
    ); // no pull until read
    await expect(
      signCms({ content: stream, signers: [signer], signedAttributes: false, detached: true }),
    ).rejects.toBeInstanceOf(TypeError);
    expect(pulled).toBe(false);
  });
});

/** Splits bytes at the given cut points. */
function chunked(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let at = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.slice(at, p));
    at = p;
  }
  return out;
}

describe('streaming', () => {
  it('random content in random chunkings gives the messageDigest of the bytes (property)', async () => {
    const list = ['GOST-256 CryptoPro-A', 'GOST-512', 'ECDSA P-256'].map((l) => leafOf(l).signer);
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 700 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.boolean(),
        async (bytes, cuts, asStream) => {
          const chunks = chunked(bytes, cuts);
          const source = asStream
            ? new ReadableStream<Uint8Array>({
                start(c) {
                  for (const ch of chunks) c.enqueue(ch);
                  c.close();
                },
              })
            : (async function* () {
                yield* chunks;
              })();
          const streamed = readCms(await signCms({ content: source, signers: list, detached: true }));
          const whole = readCms(await signCms({ content: bytes, signers: list, detached: true }));
          for (let i = 0; i < list.length; i++) {
            const digestOid = list[i]?.algorithm.digest?.oid as string;
            const a = streamed.signerInfos.find((s) => s.digestOid === digestOid) as ReadSignerInfo;
            const b = whole.signerInfos.find((s) => s.digestOid === digestOid) as ReadSignerInfo;
            expect(attr(a, OID.messageDigest).octets()).toEqual(attr(b, OID.messageDigest).octets());
            expect(attr(a, OID.messageDigest).octets()).toEqual(findDigest(digestOid).digest(bytes));
          }
        },
      ),
      { numRuns: 15 },
    );
  });

  it('an attached stream is collected into eContent', async () => {
    const chunks = chunked(content, [3, 10, 11, 40]);
    const read = readCms(
      await signCms({
        content: (async function* () {
          yield* chunks;
        })(),
        signers: [leafOf('ECDSA P-256').signer],
      }),
    );
    expect(read.content).toEqual(content);
  });

  it('property: an attached stream in any chunking gives the eContent of one-shot signing, with DER lengths across the 1-, 2- and 3-byte forms', async () => {
    const signer = leafOf('ECDSA P-256').signer;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 70_000 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.boolean(),
        async (length, cuts, plain) => {
          const bytes = Uint8Array.from({ length }, (_, i) => (i * 31 + length) & 0xff);
          const chunks = chunked(bytes, cuts);
          const options = { signers: [signer], signedAttributes: !plain };
          const streamed = await signCms({
            ...options,
            content: (async function* () {
              yield* chunks;
            })(),
          });
          const whole = await signCms({ ...options, content: bytes });
          expect(readCms(streamed).content).toEqual(bytes);
          expect(readCms(whole).content).toEqual(bytes);
        },
      ),
      { numRuns: 12 },
    );
  });
});

describe('addSigner', () => {
  it('adds a parallel signer and keeps the first SignerInfo byte for byte (attached)', async () => {
    const first = leafOf('GOST-256 CryptoPro-A');
    const second = leafOf('ECDSA P-256');
    const one = await signCms({ content, signers: [first.signer] });
    const before = readCms(one);
    const two = await addSigner(one, { signer: second.signer });
    const after = readCms(two);
    expect(after.signerInfos.length).toBe(2);
    expect(after.signerInfos.map((s) => s.bytes)).toContainEqual(before.signerInfos[0]?.bytes);
    expect([...after.digestOids].sort()).toEqual([OID.sha256, OID.streebog256].sort());
    expect(after.certificates).toContainEqual(first.certificate);
    expect(after.certificates).toContainEqual(second.certificate);
    expect(after.content).toEqual(content);
    const added = after.signerInfos.find((s) => s.digestOid === OID.sha256) as ReadSignerInfo;
    await expectBes(added, second.certificate, content, OID.sha256);
    const kept = after.signerInfos.find((s) => s.digestOid === OID.streebog256) as ReadSignerInfo;
    expect(await verifies(kept, first.certificate)).toBe(true);
  });

  it('detached: needs the content or digest; same digest algorithm is not repeated', async () => {
    const a = leafOf('GOST-256 CryptoPro-A');
    const b = leafOf('GOST-256 tc26-256-A');
    const one = await signCms({ content, signers: [a.signer], detached: true });
    await expect(addSigner(one, { signer: b.signer })).rejects.toBeInstanceOf(TypeError);
    const two = readCms(await addSigner(one, { signer: b.signer, content: new Blob([content]).stream() }));
    expect(two.content).toBeUndefined();
    expect(two.digestOids).toEqual([OID.streebog256]);
    expect(two.signerInfos.map((s) => s.bytes)).toContainEqual(readCms(one).signerInfos[0]?.bytes);
    for (const l of [a, b]) {
      const f = certFields(l.certificate);
      const si = two.signerInfos.find(
        (s) => compareBytes(s.sid.value, Uint8Array.from([...f.issuer, ...f.serial])) === 0,
      );
      await expectBes(si as ReadSignerInfo, l.certificate, content, OID.streebog256);
    }
    const viaDigest = readCms(await addSigner(one, { signer: b.signer, digest: gostr3411_2012_256.digest(content) }));
    expect(viaDigest.signerInfos.length).toBe(2);
  });

  it('attached CMS: passing content is a TypeError; garbage is a DecodeError', async () => {
    const one = await signCms({ content, signers: [leafOf('ECDSA P-256').signer] });
    await expect(addSigner(one, { signer: leafOf('RSA-2048').signer, content })).rejects.toBeInstanceOf(TypeError);
    await expect(addSigner(content, { signer: leafOf('RSA-2048').signer })).rejects.toBeInstanceOf(DecodeError);
  });
});

describe('bad input', () => {
  it('a signer without certificate: TypeError', async () => {
    const { signer } = leafOf('ECDSA P-256');
    const bare: Signer = { ...signer, certificate: undefined };
    await expect(signCms({ content, signers: [bare] })).rejects.toBeInstanceOf(TypeError);
    await expect(signCms({ content, signers: [] })).rejects.toBeInstanceOf(TypeError);
  });

  it("a certificate that is not the signer's key: KeyMismatchError", async () => {
    const { signer } = leafOf('ECDSA P-256');
    const wrongCert: Signer = { ...signer, certificate: leafOf('GOST-256 CryptoPro-A').certificate };
    await expect(signCms({ content, signers: [wrongCert] })).rejects.toBeInstanceOf(KeyMismatchError);
    // a signer that signs with another key than the one its certificate and publicKey name
    const other = await (signers.get('ECDSA P-256') as { root: TestCa }).root.issue();
    const liar: Signer = { ...signer, sign: other.signer.sign };
    await expect(signCms({ content, signers: [liar] })).rejects.toBeInstanceOf(KeyMismatchError);
  });

  it('a digest of the wrong length: RangeError; content and digest both or neither, or digest attached: TypeError', async () => {
    const { signer } = leafOf('GOST-512');
    await expect(signCms({ digest: new Uint8Array(32), signers: [signer], detached: true })).rejects.toBeInstanceOf(
      RangeError,
    );
    await expect(
      signCms({ content, digest: new Uint8Array(64), signers: [signer], detached: true }),
    ).rejects.toBeInstanceOf(TypeError);
    await expect(signCms({ signers: [signer], detached: true })).rejects.toBeInstanceOf(TypeError);
    await expect(signCms({ digest: new Uint8Array(64), signers: [signer] })).rejects.toBeInstanceOf(TypeError);
    const mixed = [signer, leafOf('GOST-256 CryptoPro-A').signer];
    await expect(signCms({ digest: new Uint8Array(64), signers: mixed, detached: true })).rejects.toBeInstanceOf(
      TypeError,
    );
  });

  it('an aborted signal rejects with its reason, before and during a stream', async () => {
    const { signer } = leafOf('ECDSA P-256');
    const reason = new Error('stop');
    await expect(signCms({ content, signers: [signer], signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    const controller = new AbortController();
    let cancelled: unknown;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        c.enqueue(content);
        controller.abort(reason); // aborts after the first chunk; the stream never ends by itself
      },
      cancel(r) {
        cancelled = r;
      },
    });
    await expect(
      signCms({ content: stream, signers: [signer], detached: true, signal: controller.signal }),
    ).rejects.toBe(reason);
    expect(cancelled).toBe(reason);
    const stalled = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) });
    const c2 = new AbortController();
    const pending = signCms({ content: stalled, signers: [signer], detached: true, signal: c2.signal });
    c2.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('signedAttributes: false with a non-data content type: TypeError', async () => {
    await expect(
      signCms({
        content,
        signers: [leafOf('RSA-2048').signer],
        signedAttributes: false,
        contentType: '1.2.840.113549.1.9.16.1.4',
      }),
    ).rejects.toBeInstanceOf(TypeError);
  });
});

describe('addCountersignature (RFC 5652 §11.4)', () => {
  /** Checks one countersignature SignerInfo against the countersigned one and the countersigner's certificate. */
  async function expectCountersignature(cs: SignerInfoView, target: SignerInfoView, cert: Uint8Array): Promise<void> {
    const oids = cs.signedAttrs?.list.map((a) => a.oid) ?? [];
    expect(oids).not.toContain(OID.contentType);
    for (const o of [OID.messageDigest, OID.signingTime, OID.signingCertificateV2]) expect(oids).toContain(o);
    expect(cs.messageDigest).toEqual(findDigest(cs.digestAlgorithm.oid).digest(target.signature));
    const f = certFields(cert);
    expect('issuer' in cs.sid && cs.sid.issuer).toEqual(f.issuer);
    const ok = await verifySignature(allAlgorithms, {
      algorithm: cs.signatureAlgorithm,
      publicKey: parsePublicKey(f.spki),
      data: cs.signedAttrsForSignature as Uint8Array,
      signature: cs.signature,
      digestOid: cs.digestAlgorithm.oid,
    });
    expect(ok).toBe(true);
  }

  it('GOST-256 signer countersigned by ECDSA P-256: only the unsigned attribute and the certificate are new', async () => {
    const main = leafOf('GOST-256 CryptoPro-A');
    const counter = leafOf('ECDSA P-256');
    const one = await signCms({ content, signers: [main.signer] });
    const signingTime = new Date('2030-01-02T03:04:05Z');
    const out = await addCountersignature(one, { signer: counter.signer, signingTime });
    const before = parseSignedData(one);
    const after = parseSignedData(out);
    const target = after.signerInfos[0] as SignerInfoView;
    expect(target.countersignatures.length).toBe(1);
    const cs = target.countersignatures[0] as SignerInfoView;
    await expectCountersignature(cs, target, counter.certificate);
    expect(cs.signingTime).toEqual(signingTime);
    expect(target.unsignedAttribute('1.2.840.113549.1.9.6')?.values).toEqual([cs.raw]);
    expect(after.certificates).toContainEqual(counter.certificate);
    // the main signature still verifies, and removing what was added gives back the input byte for byte
    const mainOk = await verifySignature(allAlgorithms, {
      algorithm: target.signatureAlgorithm,
      publicKey: parsePublicKey(certFields(main.certificate).spki),
      data: target.signedAttrsForSignature as Uint8Array,
      signature: target.signature,
      digestOid: target.digestAlgorithm.oid,
    });
    expect(mainOk).toBe(true);
    const stripped = encodeSignedData({
      ...after,
      certificates: after.certificates.filter(
        (c) => c !== after.certificates.find((x) => equalBytes(x, counter.certificate)),
      ),
      signerInfos: [encodeSignerInfo({ ...target, unsignedAttrs: undefined })],
    });
    expect(stripped).toEqual(one);
    expect(before.signerInfos[0]?.unsignedAttrs).toBeUndefined();
  });

  it('a second countersignature joins the attribute; signerIndex picks the signer; a bad index is a RangeError', async () => {
    const a = leafOf('GOST-256 tc26-256-A');
    const b = leafOf('RSA-2048');
    const g5 = leafOf('GOST-512');
    const two = await signCms({ content, signers: [a.signer, b.signer], detached: true });
    const first = await addCountersignature(two, { signer: g5.signer, signerIndex: 1 });
    const second = await addCountersignature(first, { signer: leafOf('Ed25519').signer, signerIndex: 1 });
    const view = parseSignedData(second);
    expect(view.signerInfos[0]?.raw).toEqual(parseSignedData(two).signerInfos[0]?.raw);
    const target = view.signerInfos[1] as SignerInfoView;
    expect(target.unsignedAttrs?.list.length).toBe(1);
    expect(target.countersignatures.length).toBe(2);
    await expectCountersignature(target.countersignatures[0] as SignerInfoView, target, g5.certificate);
    await expectCountersignature(target.countersignatures[1] as SignerInfoView, target, leafOf('Ed25519').certificate);
    await expect(addCountersignature(two, { signer: g5.signer, signerIndex: 2 })).rejects.toBeInstanceOf(RangeError);
    await expect(addCountersignature(two, { signer: g5.signer, signerIndex: -1 })).rejects.toBeInstanceOf(RangeError);
    await expect(addCountersignature(content, { signer: g5.signer })).rejects.toBeInstanceOf(DecodeError);
  });

  it('a countersignature of a countersignature is read back (nested), and addSigner reads BER input', async () => {
    const main = leafOf('ECDSA P-256');
    const one = await signCms({ content, signers: [main.signer] });
    const counter = await addCountersignature(one, { signer: leafOf('GOST-512').signer });
    const sd = parseSignedData(counter);
    const cs = sd.signerInfos[0]?.countersignatures[0] as SignerInfoView;
    // countersign the countersignature by hand, as a nested value
    const inner = parseSignedData(
      await addCountersignature(encodeSignedData({ ...sd, signerInfos: [cs] }), {
        signer: leafOf('GOST-256 CryptoPro-A').signer,
      }),
    ).signerInfos[0] as SignerInfoView;
    const nested = encodeSignerInfo({
      ...(sd.signerInfos[0] as SignerInfoView),
      unsignedAttrs: { list: [{ oid: '1.2.840.113549.1.9.6', values: [inner.raw] }] },
    });
    const again = parseSignedData(encodeSignedData({ ...sd, signerInfos: [nested] }));
    const deep = again.signerInfos[0]?.countersignatures[0]?.countersignatures[0] as SignerInfoView;
    await expectCountersignature(deep, cs, leafOf('GOST-256 CryptoPro-A').certificate);

    // BER: indefinite lengths around everything, the content split in two segments
    const ber = toBer(one);
    expect(ber.length).toBeGreaterThan(one.length);
    const both = await addSigner(ber, { signer: leafOf('RSA-2048').signer });
    const read = readCms(both);
    expect(read.signerInfos.length).toBe(2);
    expect(read.signerInfos.map((s) => s.bytes)).toContainEqual(readCms(one).signerInfos[0]?.bytes);
    expect(read.content).toEqual(content);
    for (const l of [main, leafOf('RSA-2048')]) {
      const f = certFields(l.certificate);
      const si = read.signerInfos.find(
        (x) => compareBytes(x.sid.value, Uint8Array.from([...f.issuer, ...f.serial])) === 0,
      );
      await expectBes(si as ReadSignerInfo, l.certificate, content, OID.sha256);
    }
  });
});
