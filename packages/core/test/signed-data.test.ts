// CMS SignedData reader/writer (RFC 5652 §5) and the BER normaliser (X.690 §8, §10): TC26 2019/2014 examples, NIST PKITS S/MIME, signCms output, hand-built and random BER, fuzzing.

import { berToDer } from '@eds/core/_ber';
import { verifySignature } from '@eds/core/algorithms';
import { allAlgorithms } from '@eds/core/all-algorithms';
import { decodeDer, der, TAG } from '@eds/core/asn1';
import { signCms } from '@eds/core/cms';
import { findDigest, gostr3411_2012_256, gostr3411_2012_512, sha256 } from '@eds/core/digests';
import { base64Encode, decodePem, encodePem, hexDecode } from '@eds/core/encoding';
import { DecodeError, UnsupportedAlgorithmError } from '@eds/core/errors';
import { parsePublicKey } from '@eds/core/keys';
import {
  encodeSignedData,
  encodeSignerInfo,
  parseSignedData,
  type SignedDataView,
  type SignerInfoView,
} from '@eds/core/signed-data';
import { createTestCa, type IssuedCertificate } from '@eds/core/testing';
import { parseCertificate } from '@eds/core/x509';
import { readVector, readVectorText } from '@eds/test-support/vectors';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  streebog256: '1.2.643.7.1.1.2.2',
  streebog512: '1.2.643.7.1.1.2.3',
};

const hex = (h: string) => hexDecode(h.replace(/\s+/g, ''));
const TC26 = 'gost/tc26-cms-2019';

/** The certificate among `certs` that the SignerInfo's sid names. */
function signerCertificate(si: SignerInfoView, certs: readonly Uint8Array[]) {
  const sid = si.sid;
  if (!('issuer' in sid)) throw new Error('expected IssuerAndSerialNumber');
  const found = certs
    .map((c) => parseCertificate(c))
    .find((c) => c.serialNumber === sid.serialNumber && equal(c.issuer.raw, sid.issuer));
  if (!found) throw new Error('signer certificate not found');
  return found;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Verifies a SignerInfo's signature: over its re-tagged signed attributes, or over `content` when it has none. */
async function verifySigner(si: SignerInfoView, cert: Uint8Array, content?: Uint8Array): Promise<boolean> {
  return verifySignature(allAlgorithms, {
    algorithm: si.signatureAlgorithm,
    publicKey: parsePublicKey(parseCertificate(cert).spki),
    data: si.signedAttrsForSignature ?? (content as Uint8Array),
    signature: si.signature,
    digestOid: si.digestAlgorithm.oid,
  });
}

/** Parses and checks parse -> encode is the DER form byte for byte. */
function roundTrip(input: Uint8Array | string): SignedDataView {
  const sd = parseSignedData(input);
  expect(equal(encodeSignedData(sd), sd.der)).toBe(true);
  for (const si of sd.signerInfos) expect(equal(encodeSignerInfo(si), si.raw)).toBe(true);
  return sd;
}

// ---------------------------------------------------------------------------------------------
// A test-side BER writer: rewrites DER into equivalent BER in the ways CryptoPro/Java/OpenSSL do.

interface BerChoices {
  /** Per constructed node: write an indefinite length. */
  indefinite: () => boolean;
  /** Per OCTET STRING: split into this many constructed segments (0 = keep primitive). */
  split: () => number;
  /** Per definite length: extra leading zero length octets. */
  pad: () => number;
}

function lengthOctets(n: number, pad: number): number[] {
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  if (n < 0x80 && pad === 0) return [n];
  for (let i = 0; i < pad; i++) bytes.unshift(0);
  return [0x80 | bytes.length, ...bytes];
}

function berTlv(tag: number[], body: Uint8Array, indefinite: boolean, pad: number): Uint8Array {
  const head = indefinite ? [...tag, 0x80] : [...tag, ...lengthOctets(body.length, pad)];
  return Uint8Array.from([...head, ...body, ...(indefinite ? [0, 0] : [])]);
}

function berify(input: Uint8Array, c: BerChoices): Uint8Array {
  const walk = (bytes: Uint8Array): Uint8Array => {
    const node = decodeDer(bytes, 'x', { maxDepth: 200 });
    const tag = [...node.bytes.subarray(0, node.bytes.length - node.value.length)];
    const idLen = node.tagNumber >= 31 ? tag.findIndex((b, i) => i > 0 && !(b & 0x80)) + 1 : 1;
    const id = tag.slice(0, idLen);
    if (node.constructed) {
      const body = node.children().flatMap((ch) => [...walk(ch.bytes)]);
      return berTlv(id, Uint8Array.from(body), c.indefinite(), c.pad());
    }
    if (node.tag === TAG.OCTET_STRING) {
      const n = c.split();
      if (n > 0) {
        const v = node.value;
        const segments: Uint8Array[] = [];
        for (let i = 0; i < n; i++) {
          const seg = v.subarray(Math.floor((i * v.length) / n), Math.floor(((i + 1) * v.length) / n));
          segments.push(berTlv([0x04], seg, false, c.pad()));
        }
        return berTlv([0x24], Uint8Array.from(segments.flatMap((s) => [...s])), c.indefinite(), c.pad());
      }
    }
    return berTlv(id, node.value, false, c.pad());
  };
  return walk(input);
}

const allIndefinite: BerChoices = { indefinite: () => true, split: () => 2, pad: () => 0 };

function randomChoices(seed: number): BerChoices {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
  return { indefinite: () => next() < 0.5, split: () => Math.floor(next() * 4), pad: () => (next() < 0.2 ? 1 : 0) };
}

// ---------------------------------------------------------------------------------------------

describe('berToDer', () => {
  const cases: [string, string, string][] = [
    ['indefinite SEQUENCE', '30 80 02 01 05 00 00', '30 03 02 01 05'],
    [
      'constructed OCTET STRING, indefinite, two segments',
      '30 80 24 80 04 02 61 62 04 01 63 00 00 00 00',
      '30 05 04 03 61 62 63',
    ],
    ['nested constructed OCTET STRING segments', '24 80 24 80 04 01 61 00 00 04 01 62 00 00', '04 02 61 62'],
    ['constructed OCTET STRING, definite', '24 06 04 01 61 04 01 62', '04 02 61 62'],
    ['empty constructed OCTET STRING', '24 80 00 00', '04 00'],
    ['non-minimal lengths', '30 81 07 04 82 00 01 ff 05 00', '30 05 04 01 ff 05 00'],
    ['high tag number kept', 'bf 1f 80 02 01 01 00 00', 'bf 1f 03 02 01 01'],
    [
      'explicit [0] indefinite around a constructed UTF8String',
      'a0 80 2c 80 0c 01 d0 0c 01 9f 00 00 00 00',
      'a0 04 0c 02 d0 9f',
    ],
    ['SET OF order kept', '31 80 02 01 02 02 01 01 00 00', '31 06 02 01 02 02 01 01'],
  ];
  for (const [name, ber, want] of cases) {
    it(name, () => {
      expect(berToDer(hex(ber))).toEqual(hex(want));
    });
  }

  it('a long string: the DER length needs the long form although the BER one did not', () => {
    const body = new Uint8Array(200).fill(0x41);
    const ber = Uint8Array.from([
      0x30,
      0x80,
      0x24,
      0x80,
      0x04,
      0x64,
      ...body.subarray(0, 100),
      0x04,
      0x64,
      ...body.subarray(100),
      0,
      0,
      0,
      0,
    ]);
    expect(berToDer(ber)).toEqual(Uint8Array.from([0x30, 0x81, 0xcb, 0x04, 0x81, 0xc8, ...body]));
  });

  it('DER comes back as the same array', () => {
    const d = hex('30 06 02 01 05 04 01 ff');
    expect(berToDer(d)).toBe(d);
  });

  const bad: [string, string, number][] = [
    ['missing end-of-contents', '30 80 02 01 05', 5],
    ['indefinite primitive', '04 80 61 00 00', 0],
    ['stray end-of-contents in a definite SEQUENCE', '30 04 02 01 05 00', 5],
    ['end-of-contents at the top', '00 00', 0],
    ['segment of another type', '24 80 02 01 00 00 00', 2],
    ['constructed BIT STRING', '23 80 03 02 00 ff 00 00', 0],
    ['length past the end', '30 05 02 01', 0],
    ['data after the end', '30 00 00', 2],
    ['five length octets', '30 85 00 00 00 00 01 00', 0],
    ['truncated header', '30', 0],
  ];
  for (const [name, input, offset] of bad) {
    it(`DecodeError with the offset: ${name}`, () => {
      try {
        berToDer(hex(input));
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(DecodeError);
        expect((e as DecodeError).offset).toBe(offset);
      }
    });
  }

  it('depth and size limits', () => {
    const deep = Uint8Array.from([...Array(70).fill([0x30, 0x80]).flat(), ...Array(70).fill([0, 0]).flat()]);
    expect(() => berToDer(deep)).toThrow(DecodeError);
    // 64 levels with a short length, then 6 whose contents reach 128 bytes and take a 2-octet length
    expect(berToDer(deep, { maxDepth: 80 }).length).toBe(64 * 2 + 6 * 3);
    expect(() => berToDer(new Uint8Array(100), { maxSize: 10 })).toThrow(
      expect.objectContaining({ code: 'ERR_DECODE_TOO_LARGE' }),
    );
    // DER can be longer than BER: the limit applies to the output too
    const ber = Uint8Array.from([0x30, 0x80, 0x04, 0x82, 0x00, 0x80, ...new Uint8Array(128), 0, 0]);
    expect(() => berToDer(ber, { maxSize: ber.length - 2 })).toThrow(
      expect.objectContaining({ code: 'ERR_DECODE_TOO_LARGE' }),
    );
  });

  /** Random DER trees built with the core writer. */
  const derTree: fc.Arbitrary<Uint8Array> = fc.letrec<{ node: Uint8Array }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.uint8Array({ maxLength: 300 }).map((b) => der.octets(b)),
      fc.bigInt({ min: -(2n ** 130n), max: 2n ** 130n }).map((n) => der.int(n)),
      fc.constantFrom(der.null(), der.bool(true), der.oid('1.2.643.7.1.1.2.2'), der.utf8('подпись')),
      fc.array(tie('node'), { maxLength: 5 }).map((items) => der.seq(...items)),
      fc.array(tie('node'), { maxLength: 4 }).map((items) => der.tlv(TAG.SET, ...items)),
      tie('node').map((inner) => der.explicit(3, inner)),
      // [64] primitive: a tag number in the high-tag-number form
      fc.uint8Array({ maxLength: 20 }).map((b) => Uint8Array.from([0x9f, 0x40, b.length, ...b])),
    ),
  })).node;

  it('DER input is returned unchanged; any BER rewriting of it normalises back to it (property)', () => {
    fc.assert(
      fc.property(derTree, fc.integer(), (d, seed) => {
        expect(berToDer(d)).toBe(d);
        expect(berToDer(berify(d, randomChoices(seed)))).toEqual(d);
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe('TC26 R 1323565.1.024-2019 examples', () => {
  it('A.1.1 (signed_a111): 512-bit signer, signed attributes, attached content; verifies with sender512', async () => {
    const pem = await readVectorText(`${TC26}/signed_a111.pem`);
    const sd = roundTrip(pem);
    expect(sd.der).toEqual(decodePem(pem)[0]?.bytes);
    expect(berToDer(sd.der)).toBe(sd.der); // the file is DER
    expect(sd.contentType).toBe(OID.signedData);
    expect(sd.version).toBe(1);
    expect(sd.digestAlgorithms.map((a) => a.oid)).toEqual([OID.streebog512]);
    expect(sd.encapContentType).toBe(OID.data);
    expect(new TextDecoder('windows-1251').decode(sd.content)).toBe('Контрольный пример для структуры SignedData.');
    expect(sd.certificates.length).toBe(1);
    expect(sd.crls).toEqual([]);
    expect(sd.signerInfos.length).toBe(1);
    const si = sd.signerInfos[0] as SignerInfoView;
    expect(si.version).toBe(1);
    expect('issuer' in si.sid && si.sid.serialNumber).toBe(0x018cba84n);
    expect(si.digestAlgorithm.oid).toBe(OID.streebog512);
    expect(si.signatureAlgorithm.oid).toBe('1.2.643.7.1.1.1.2');
    expect(si.signedAttrs?.list.map((a) => a.oid)).toEqual([
      OID.contentType,
      OID.signingTime,
      '1.2.840.113549.1.9.98',
      OID.messageDigest,
    ]);
    expect(si.signedAttrsForSignature?.[0]).toBe(0x31);
    expect(si.signedAttrsForSignature?.subarray(1)).toEqual(si.signedAttrs?.raw.subarray(1));
    expect(si.signedAttrs?.raw[0]).toBe(0xa0);
    expect(si.attribute(OID.contentType)?.values).toEqual([der.oid(OID.data)]);
    expect(si.messageDigest).toEqual(gostr3411_2012_512.digest(sd.content as Uint8Array));
    expect(si.signingTime).toBeInstanceOf(Date);
    expect(si.unsignedAttrs).toBeUndefined();
    expect(si.countersignatures).toEqual([]);
    const sender = decodePem(await readVectorText(`${TC26}/sender512_cert.pem`))[0]?.bytes as Uint8Array;
    expect(sd.certificates[0]).toEqual(sender);
    expect(signerCertificate(si, sd.certificates).raw).toEqual(sender);
    expect(await verifySigner(si, sender)).toBe(true);
    // the signature covers the re-tagged attributes, not the [0] bytes
    const asRead = { ...si, signedAttrsForSignature: si.signedAttrs?.raw };
    expect(await verifySigner(asRead, sender)).toBe(false);
  });

  it('A.1.2 (signed_a121): tc26-256-A signer, no signed attributes; the signature is over the content', async () => {
    const sd = roundTrip(await readVectorText(`${TC26}/signed_a121.pem`));
    const si = sd.signerInfos[0] as SignerInfoView;
    expect(si.signedAttrs).toBeUndefined();
    expect(si.signedAttrsForSignature).toBeUndefined();
    expect(si.messageDigest).toBeUndefined();
    expect(si.signingTime).toBeUndefined();
    expect(si.digestAlgorithm.oid).toBe(OID.streebog256);
    expect(si.signatureAlgorithm.oid).toBe('1.2.643.7.1.1.1.1');
    const sender = decodePem(await readVectorText(`${TC26}/sender256_cert.pem`))[0]?.bytes as Uint8Array;
    expect(signerCertificate(si, sd.certificates).raw).toEqual(sender);
    const content = sd.content as Uint8Array;
    expect(await verifySigner(si, sender, content)).toBe(true);
    const other = content.slice();
    other[0] = (other[0] as number) ^ 1;
    expect(await verifySigner(si, sender, other)).toBe(false);
  });

  it('the same files as BER (indefinite lengths, split content) read to the same view and verify', async () => {
    for (const name of ['signed_a111.pem', 'signed_a121.pem']) {
      const derBytes = decodePem(await readVectorText(`${TC26}/${name}`))[0]?.bytes as Uint8Array;
      const ber = berify(derBytes, allIndefinite);
      expect(ber.length).not.toBe(derBytes.length);
      const sd = parseSignedData(ber);
      expect(sd.der).toEqual(derBytes);
      expect(encodeSignedData(sd)).toEqual(derBytes);
      const si = sd.signerInfos[0] as SignerInfoView;
      const cert = sd.certificates[0] as Uint8Array;
      expect(await verifySigner(si, cert, sd.content)).toBe(true);
      // PEM with the PKCS7 label and bare Base64 are read too
      expect(parseSignedData(encodePem('PKCS7', ber)).der).toEqual(derBytes);
      expect(parseSignedData(base64Encode(ber)).der).toEqual(derBytes);
    }
  });
});

describe('TC26 TK26CMS 2014 examples', () => {
  for (const [bits, digest] of [
    ['256', gostr3411_2012_256],
    ['512', gostr3411_2012_512],
  ] as const) {
    it(`TestSigned_${bits}.der: DER (not BER), no certificates, no signed attributes; round-trips`, async () => {
      const input = await readVector(`gost/tk26cms-2014/TestSigned_${bits}.der`);
      expect(berToDer(input)).toBe(input);
      const sd = roundTrip(input);
      expect(sd.der).toBe(input);
      expect(sd.certificates).toEqual([]);
      expect(new TextDecoder().decode(sd.content)).toBe('Test message');
      const si = sd.signerInfos[0] as SignerInfoView;
      expect(si.digestAlgorithm.oid).toBe(digest.oid);
      expect(si.digestAlgorithm.params).toEqual(der.null());
      expect(si.signedAttrs).toBeUndefined();
      expect(si.signature.length).toBe(Number(bits) / 4);
      expect('issuer' in si.sid && si.sid.serialNumber).toBe(1n);
    });
  }
});

describe('NIST PKITS S/MIME signatures (smime-der)', () => {
  it('a sample of 30 parse, round-trip, and their RSA signatures verify over signed-content.bin', async () => {
    const suite = JSON.parse(await readVectorText('nist-pkits/pkits_testcases.json')) as {
      cases: { smime_der?: string }[];
    };
    const files = [...new Set(suite.cases.map((c) => c.smime_der).filter((f): f is string => !!f))];
    expect(files.length).toBeGreaterThan(200);
    const sample = files.filter((_, i) => i % Math.floor(files.length / 30) === 0).slice(0, 30);
    expect(sample.length).toBe(30);
    const content = await readVector('nist-pkits/smime-der/signed-content.bin');
    let verified = 0;
    for (const f of sample) {
      const sd = roundTrip(await readVector(`nist-pkits/${f}`));
      expect(sd.content).toBeUndefined();
      expect(sd.certificates.length).toBeGreaterThan(0);
      expect(sd.crls.length).toBeGreaterThan(0);
      const si = sd.signerInfos[0] as SignerInfoView;
      expect(si.messageDigest).toEqual(findDigest(si.digestAlgorithm.oid).digest(content));
      const check = verifySigner(si, signerCertificate(si, sd.certificates).raw);
      if (si.signatureAlgorithm.oid.startsWith('1.2.840.10040.')) {
        // DSA is outside the SDK's algorithms: a typed refusal, never a pass.
        await expect(check, f).rejects.toBeInstanceOf(UnsupportedAlgorithmError);
        continue;
      }
      expect(await check, f).toBe(true);
      verified++;
    }
    expect(verified).toBeGreaterThanOrEqual(27);
  });
});

describe('CMS from signCms', () => {
  let g256: IssuedCertificate;
  let ec: IssuedCertificate;
  beforeAll(async () => {
    g256 = await (await createTestCa({ keySpec: { type: 'gost2012-256' } })).issue();
    ec = await (await createTestCa({ keySpec: { type: 'ecdsa', curve: 'P-256' } })).issue();
  }, 60_000);

  it('leaves the input bytes alone even when slice() returns a view (Node Buffer)', async () => {
    const cms = await signCms({ content: new TextEncoder().encode('x'), signers: [g256.signer] });
    // Buffer's slice is a view; this stand-in behaves the same in both runtimes.
    // (subarrays of it are ViewSlices too, through Symbol.species, as Buffer's are Buffers)
    class ViewSlice extends Uint8Array<ArrayBuffer> {
      override slice(start?: number, end?: number): Uint8Array<ArrayBuffer> {
        return this.subarray(start, end);
      }
    }
    const input = new ViewSlice(new ArrayBuffer(cms.length));
    input.set(cms);
    const si = parseSignedData(input).signerInfos[0];
    expect(si?.signedAttrsForSignature?.[0]).toBe(TAG.SET);
    expect(Array.from(input)).toEqual(Array.from(cms));
    expect(parseSignedData(input).signerInfos[0]?.signedAttrsForSignature).toEqual(si?.signedAttrsForSignature);
  });

  it('attached, two signers: fields match what was signed; round-trips; BER forms normalise to it', async () => {
    const content = new TextEncoder().encode('Документ');
    const signingTime = new Date('2024-05-01T10:20:30Z');
    const cms = await signCms({ content, signers: [g256.signer, ec.signer], signingTime });
    const sd = roundTrip(cms);
    expect(sd.der).toBe(cms);
    expect(sd.version).toBe(1);
    expect(sd.content).toEqual(content);
    expect(sd.digestAlgorithms.map((a) => a.oid).sort()).toEqual([OID.streebog256, sha256.oid].sort());
    expect([...sd.certificates].sort()).toEqual([g256.certificate, ec.certificate].sort());
    for (const si of sd.signerInfos) {
      const cert = signerCertificate(si, sd.certificates);
      expect(si.signingTime).toEqual(signingTime);
      expect(si.messageDigest).toEqual(findDigest(si.digestAlgorithm.oid).digest(content));
      expect(await verifySigner(si, cert.raw)).toBe(true);
    }
    for (let seed = 1; seed <= 20; seed++) {
      const ber = berify(cms, randomChoices(seed));
      const view = parseSignedData(ber);
      expect(view.der).toEqual(cms);
      expect(encodeSignedData(view)).toEqual(cms);
    }
  });

  it('detached, subjectKeyIdentifier sid built by hand, unsigned attributes: parts round-trip', async () => {
    const cms = await signCms({
      content: new Uint8Array([1, 2, 3]),
      signers: [ec.signer],
      detached: true,
      signedAttributes: false,
    });
    const sd = roundTrip(cms);
    expect(sd.content).toBeUndefined();
    const si = sd.signerInfos[0] as SignerInfoView;
    const modified = encodeSignerInfo({
      ...si,
      version: 3,
      sid: { subjectKeyIdentifier: Uint8Array.of(1, 2, 3, 4) },
      unsignedAttrs: { list: [{ oid: '1.2.3.4', values: [der.null(), der.int(7)] }] },
    });
    const again = roundTrip(encodeSignedData({ ...sd, version: 3, signerInfos: [modified] }));
    const s2 = again.signerInfos[0] as SignerInfoView;
    expect(s2.sid).toEqual({ subjectKeyIdentifier: Uint8Array.of(1, 2, 3, 4) });
    expect(s2.unsignedAttribute('1.2.3.4')?.values).toEqual([der.null(), der.int(7)]);
    expect(s2.signature).toEqual(si.signature);
    expect(s2.attribute('1.2.3.4')).toBeUndefined();
  });
});

describe('bad input', () => {
  it('other content types, garbage, and two values of messageDigest are DecodeErrors', async () => {
    const hashed = await readVectorText(`${TC26}/hashed_a311.pem`);
    expect(() => parseSignedData(hashed)).toThrow(DecodeError);
    expect(() => parseSignedData(new Uint8Array([1, 2, 3]))).toThrow(DecodeError);
    expect(() => parseSignedData('not base64 !')).toThrow(DecodeError);
    const sd = parseSignedData(await readVectorText(`${TC26}/signed_a111.pem`));
    const si = sd.signerInfos[0] as SignerInfoView;
    const list = (si.signedAttrs?.list ?? []).map((a) =>
      a.oid === OID.messageDigest ? { ...a, values: [...a.values, ...a.values] } : a,
    );
    const bad = encodeSignedData({ ...sd, signerInfos: [encodeSignerInfo({ ...si, signedAttrs: { list } })] });
    expect(() => parseSignedData(bad)).toThrow(DecodeError);
  });

  it('mutated inputs (DER and BER) give a view or a DecodeError, never another error (fuzz)', async () => {
    const a111 = decodePem(await readVectorText(`${TC26}/signed_a111.pem`))[0]?.bytes as Uint8Array;
    const seeds = [a111, berify(a111, allIndefinite)];
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(
          fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'cut', 'insert', 'drop')),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        (seed, edits) => {
          let b = seed.slice();
          for (const [pos, value, op] of edits) {
            const at = pos % b.length;
            if (op === 'set') b[at] = value;
            else if (op === 'cut') b = b.slice(0, at);
            else if (op === 'insert') b = Uint8Array.from([...b.subarray(0, at), value, ...b.subarray(at)]);
            else b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + 1)]);
          }
          try {
            const sd = parseSignedData(b);
            // what reads also writes and reads again (an empty [0]/[1] would not be written back)
            expect(parseSignedData(encodeSignedData(sd)).signerInfos.length).toBe(sd.signerInfos.length);
          } catch (e) {
            if (!(e instanceof DecodeError)) throw e;
          }
        },
      ),
      { numRuns: 1500 },
    );
  });
});
