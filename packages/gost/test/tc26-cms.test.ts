// The EnvelopedData examples of R 1323565.1.024-2019 Appendix A.2 (KARI and KTRI with KExp15, Kuznyechik / Magma CTR-ACPKM[-OMAC]) opened with @eds/gost primitives only.

// The CMS structure is read by the test-only DER reader; everything cryptographic is @eds/gost.
// The processing was worked out from gost-engine (facts, not code: gost_ec_keyx.c gost_keg and
// pkey_gost2018_decrypt, gost_ameth.c gost_cms_set_kari_shared_info, gost_keyexpimp.c gost_kimp15
// and the kexp15 wrap ciphers, gost_gost2015.c, gost_grasshopper_cipher.c, gost_crypt.c) and
// checked against OpenSSL 3.0 + gost-engine, which decrypts all four files:
//
// 1. KEG (R 1323565.1.020-2018 §6.4.5.1 as gost-engine implements it), from the 32-byte UKM (the
//    KARI `ukm`, or the `ukm` in the KTRI's GostR3410-KeyTransport) and the RECIPIENT key type:
//    - VKO's UKM is UKM[0..16] read as a big-endian number, so it is reversed for the
//      little-endian UKM of `vko2012_*` (read little-endian, KImp15 fails: tested below);
//    - 512-bit key: K = VKO_GOSTR3410_2012_512, 64 bytes;
//    - 256-bit key: K = KDF_TREE_GOSTR3411_2012_256(VKO_GOSTR3410_2012_256, label "kdf tree",
//      seed UKM[16..24], 64 bytes, R = 1).
//    K = K_Exp_MAC ‖ K_Exp_ENC: the MAC key is the FIRST half (swapped, KImp15 fails).
// 2. KImp15 (CTR under K_Exp_ENC, full-block OMAC under K_Exp_MAC over IV ‖ CEK) with
//    IV = UKM[24..24 + n/2]; the cipher is named by the kexp15 OID.
// 3. Content: Gost3412-15-Encryption-Parameters ::= SEQUENCE { ukm OCTET STRING }, ukm = IV ‖ seed
//    (16 bytes for Kuznyechik, 12 for Magma: IV of n/2 bytes, seed of 8, used by -omac only).
//    - ctr-acpkm: CTR-ACPKM(CEK, IV);
//    - ctr-acpkm-omac: KDF_TREE(CEK, "kdf tree", seed, 64) = K_ENC ‖ K_MAC (here the ENCRYPTION
//      key comes first); CTR-ACPKM(K_ENC, IV) over the content; the MAC is the plain full-block
//      OMAC of GOST R 34.13-2015 §5.6 under K_MAC over the plaintext (OMAC-ACPKM does not match),
//      encrypted by the CTR-ACPKM stream continued after the content, in the unprotected
//      attribute 1.2.643.7.1.0.6.1.1.
//    Section size: gost-engine sets 256 KiB (Kuznyechik) and 8 KiB (Magma) for CMS. The contents
//    here are 47 bytes (+ the MAC), inside the first section: these vectors do not pin it down.
//
// The plaintext is 47 bytes, cp1251 "Контрольный пример для структуры EnvelopedData.";
// plain/text_decrypted.plain holds them plus a line feed (OpenSSL outputs the 47 bytes;
// gost-engine's own driver compares `grep` output, which adds the line feed).
// a221 names its originator by issuerAndSerialNumber: the sender's public key comes from
// sender256_cert.pem (stock `openssl cms -decrypt` crashes on a221 without gost-engine's
// patched `-originator` option).

import { IntegrityError } from '@eds/gost/errors';
import { getPublicKey, OID_GOST3410_2012_256, OID_GOST3410_2012_512 } from '@eds/gost/gost3410';
import {
  kdfTreeGostR3411_2012_256,
  OID_VKO_GOST3410_2012_256,
  OID_VKO_GOST3410_2012_512,
  vko2012_256,
  vko2012_512,
} from '@eds/gost/kdf';
import { type Kexp15Cipher, kimp15, OID_KEXP15_KUZNYECHIK, OID_KEXP15_MAGMA } from '@eds/gost/keywrap';
import { kuznyechik } from '@eds/gost/kuznyechik';
import { magma } from '@eds/gost/magma';
import { type CipherFactory, ctrAcpkm, mac, omacAcpkm, verifyMac } from '@eds/gost/modes';
import { type DerNode, decodePem, nth, parseDer } from '@eds/test-support/der';
import { readVector, readVectorText } from '@eds/test-support/vectors';
import { bytesToHex, concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { beforeAll, describe, expect, it } from 'vitest';

const DIR = 'gost/tc26-cms-2019';

const OID_ENVELOPED_DATA = '1.2.840.113549.1.7.3';
const OID_DATA = '1.2.840.113549.1.7.1';
/** The unprotected attribute with the encrypted MAC of the -omac modes (gost-engine: OID_GOST_CMS_MAC). */
const OID_CMS_MAC_ATTRIBUTE = '1.2.643.7.1.0.6.1.1';

interface ContentAlgorithm {
  readonly cipher: Kexp15Cipher;
  readonly omac: boolean;
}

/** Content-encryption algorithms of R 1323565.1.024-2019 (gost.md §1.3). */
const CONTENT_ALGORITHMS: Readonly<Record<string, ContentAlgorithm>> = {
  '1.2.643.7.1.1.5.1.1': { cipher: 'magma', omac: false },
  '1.2.643.7.1.1.5.1.2': { cipher: 'magma', omac: true },
  '1.2.643.7.1.1.5.2.1': { cipher: 'kuznyechik', omac: false },
  '1.2.643.7.1.1.5.2.2': { cipher: 'kuznyechik', omac: true },
};
const KEXP15_CIPHERS: Readonly<Record<string, Kexp15Cipher>> = {
  [OID_KEXP15_MAGMA]: 'magma',
  [OID_KEXP15_KUZNYECHIK]: 'kuznyechik',
};
const CIPHERS: Readonly<Record<Kexp15Cipher, { create: CipherFactory; n: 8 | 16; section: number }>> = {
  kuznyechik: { create: kuznyechik, n: 16, section: 256 * 1024 },
  magma: { create: magma, n: 8, section: 8 * 1024 },
};
const KDF_TREE_LABEL = utf8ToBytes('kdf tree');
/** Length of the UKM of KEG and KExp15 in CMS. */
const KEG_UKM_LENGTH = 32;
/** Length of the KDF_TREE seed in the content-encryption parameters. */
const SEED_LENGTH = 8;

/** A GOST R 34.10-2012 private key: the little-endian scalar and its parameter set. */
interface PrivateKey {
  readonly bits: 256 | 512;
  readonly curve: string;
  readonly d: Uint8Array;
}

/** A GOST R 34.10-2012 public key: x ‖ y, each little-endian. */
interface PublicKey {
  readonly bits: 256 | 512;
  readonly curve: string;
  readonly q: Uint8Array;
}

interface Certificate {
  readonly issuer: Uint8Array;
  readonly serial: bigint;
  readonly publicKey: PublicKey;
}

/** The fields of the one RecipientInfo that the key derivation and KImp15 read. */
interface KeyFields {
  readonly kind: 'kari' | 'ktri';
  readonly algorithm: DerNode;
  /** The 32-byte UKM (OCTET STRING). */
  readonly ukm: DerNode;
  /** The KExp15 output (OCTET STRING). */
  readonly encryptedKey: DerNode;
  /** The other party's key: a KARI originator (key or identifier), a KTRI ephemeral key. */
  readonly other: DerNode;
}

interface EnvelopedParts {
  readonly key: KeyFields;
  readonly encryptedContentInfo: DerNode;
  readonly unprotectedAttrs: DerNode | undefined;
}

/** What opening an EnvelopedData took, so that tests can check each step. */
interface Opened {
  readonly plaintext: Uint8Array;
  readonly recipientInfo: 'kari' | 'ktri';
  readonly kexp: Kexp15Cipher;
  readonly content: ContentAlgorithm;
}

async function readDer(file: string, label: string): Promise<DerNode> {
  return parseDer(decodePem(await readVectorText(`${DIR}/${file}`), label));
}

// ---------------------------------------------------------------------------------------------
// Keys and certificates (RFC 9215, RFC 5958)
// ---------------------------------------------------------------------------------------------

/** AlgorithmIdentifier of a GOST R 34.10-2012 key: { id, SEQUENCE { publicKeyParamSet, digestParamSet OPTIONAL } }. */
function keyAlgorithm(algorithm: DerNode): { bits: 256 | 512; curve: string } {
  const fields = algorithm.sequence();
  const id = nth(fields, 0).oid();
  if (id !== OID_GOST3410_2012_256 && id !== OID_GOST3410_2012_512) throw new Error(`not a GOST 2012 key: ${id}`);
  return { bits: id === OID_GOST3410_2012_256 ? 256 : 512, curve: nth(nth(fields, 1).sequence(), 0).oid() };
}

/**
 * OneAsymmetricKey (PKCS#8) with a GOST key (gost.md §2): `privateKey` holds the raw
 * little-endian scalar, as in these files, or a DER OCTET STRING around it. Masked keys do not
 * occur here and are refused.
 */
function privateKey(pkcs8: DerNode): PrivateKey {
  const fields = pkcs8.sequence();
  expect(nth(fields, 0).integer()).toBe(0n);
  const { bits, curve } = keyAlgorithm(nth(fields, 1));
  const key = nth(fields, 2);
  const d = key.value.length === bits / 8 ? key.octetString() : key.decodeContents().octetString();
  if (d.length !== bits / 8) throw new Error(`unsupported private key layout (${key.value.length} bytes)`);
  return { bits, curve, d };
}

/** SubjectPublicKeyInfo, or the same two fields of an OriginatorPublicKey. */
function publicKey(algorithm: DerNode, subjectPublicKey: DerNode): PublicKey {
  const { bits, curve } = keyAlgorithm(algorithm);
  const q = subjectPublicKey.decodeBitStringContents().octetString();
  if (q.length !== bits / 4) throw new Error(`public key of ${q.length} bytes for a ${bits}-bit key`);
  return { bits, curve, q };
}

function spkiPublicKey(spki: DerNode): PublicKey {
  const fields = spki.sequence();
  return publicKey(nth(fields, 0), nth(fields, 1));
}

/** TBSCertificate ::= SEQUENCE { [0] version, serialNumber, signature, issuer, validity, subject, spki, ... } */
function certificate(cert: DerNode): Certificate {
  const tbs = nth(cert.sequence(), 0).sequence();
  const at = nth(tbs, 0).isContext(0) ? 1 : 0;
  return {
    serial: nth(tbs, at).integer(),
    issuer: nth(tbs, at + 2).raw,
    publicKey: spkiPublicKey(nth(tbs, at + 5)),
  };
}

/** True if an IssuerAndSerialNumber (RFC 5652 §10.2.4) names this certificate. */
function names(issuerAndSerial: DerNode, cert: Certificate): boolean {
  const [issuer, serial] = issuerAndSerial.sequence();
  return (
    issuer !== undefined &&
    serial !== undefined &&
    bytesToHex(issuer.raw) === bytesToHex(cert.issuer) &&
    serial.integer() === cert.serial
  );
}

// ---------------------------------------------------------------------------------------------
// EnvelopedData (RFC 5652 §6 with R 1323565.1.024-2019)
// ---------------------------------------------------------------------------------------------

/**
 * ContentInfo { id-envelopedData, [0] EnvelopedData ::= SEQUENCE { version, originatorInfo [0]
 * OPTIONAL, recipientInfos SET, encryptedContentInfo, unprotectedAttrs [1] OPTIONAL } } with one
 * RecipientInfo for `recipient`.
 */
function envelopedData(cms: DerNode, recipient: Certificate): EnvelopedParts {
  const contentInfo = cms.sequence();
  expect(nth(contentInfo, 0).oid()).toBe(OID_ENVELOPED_DATA);
  const fields = nth(contentInfo, 1).explicit(0).sequence();
  const at = nth(fields, 1).isContext(0) ? 1 : 0; // originatorInfo, absent in these examples
  expect([0n, 2n]).toContain(nth(fields, 0).integer());
  const infos = nth(fields, at + 1).set();
  expect(infos).toHaveLength(1);
  const unprotectedAttrs = fields[at + 3]?.expectTag('context', 1, true);
  expect(fields.length).toBeLessThanOrEqual(at + 4);
  return { key: recipientInfo(nth(infos, 0), recipient), encryptedContentInfo: nth(fields, at + 2), unprotectedAttrs };
}

/**
 * KeyAgreeRecipientInfo ::= [1] IMPLICIT SEQUENCE { version 3, originator [0] EXPLICIT
 *   OriginatorIdentifierOrKey, ukm [1] EXPLICIT OCTET STRING, keyEncryptionAlgorithm,
 *   recipientEncryptedKeys SEQUENCE OF SEQUENCE { rid, encryptedKey OCTET STRING } }
 * KeyTransRecipientInfo ::= SEQUENCE { version 0, rid IssuerAndSerialNumber, keyEncryptionAlgorithm,
 *   encryptedKey OCTET STRING } whose encryptedKey holds GostR3410-KeyTransport ::= SEQUENCE {
 *   encryptedKey OCTET STRING, ephemeralPublicKey SubjectPublicKeyInfo, ukm OCTET STRING }
 */
function recipientInfo(info: DerNode, recipient: Certificate): KeyFields {
  if (info.isContext(1)) {
    const kari = info.sequence(1, 'context');
    expect(nth(kari, 0).integer()).toBe(3n);
    const mine = nth(kari, 4)
      .sequence()
      .filter((rek) => names(nth(rek.sequence(), 0), recipient));
    expect(mine).toHaveLength(1);
    return {
      kind: 'kari',
      other: nth(kari, 1).explicit(0),
      ukm: nth(kari, 2).explicit(1),
      algorithm: nth(kari, 3),
      encryptedKey: nth(nth(mine, 0).sequence(), 1),
    };
  }
  const ktri = info.sequence();
  expect(nth(ktri, 0).integer()).toBe(0n);
  if (!names(nth(ktri, 1), recipient)) throw new Error('KeyTransRecipientInfo for another recipient');
  const transport = nth(ktri, 3).decodeContents().sequence();
  expect(transport).toHaveLength(3);
  return {
    kind: 'ktri',
    algorithm: nth(ktri, 2),
    encryptedKey: nth(transport, 0),
    other: nth(transport, 1),
    ukm: nth(transport, 2),
  };
}

/**
 * The other party's public key: a KTRI ephemeral SubjectPublicKeyInfo, a KARI originatorKey
 * ([1] IMPLICIT OriginatorPublicKey: SubjectPublicKeyInfo's fields), or the certificate a KARI
 * issuerAndSerialNumber names.
 */
function otherPublicKey(fields: KeyFields, originators: readonly Certificate[]): PublicKey {
  if (fields.kind === 'ktri') return spkiPublicKey(fields.other);
  if (fields.other.isContext(1)) {
    const key = fields.other.sequence(1, 'context');
    return publicKey(nth(key, 0), nth(key, 1));
  }
  const cert = originators.find((c) => names(fields.other, c));
  if (!cert) throw new Error('originator certificate not found');
  return cert.publicKey;
}

/** KeyEncryptionAlgorithmIdentifier: a kexp15 OID with SEQUENCE { key agreement OID } matching our key. */
function kexpCipher(algorithm: DerNode, own: PrivateKey): Kexp15Cipher {
  const fields = algorithm.sequence();
  const oid = nth(fields, 0).oid();
  const cipher = KEXP15_CIPHERS[oid];
  if (cipher === undefined) throw new Error(`unknown key encryption algorithm ${oid}`);
  expect(nth(nth(fields, 1).sequence(), 0).oid()).toBe(
    own.bits === 512 ? OID_VKO_GOST3410_2012_512 : OID_VKO_GOST3410_2012_256,
  );
  return cipher;
}

/** KEG: the 64 bytes K_Exp_MAC ‖ K_Exp_ENC from our private key, the other public key and the UKM. */
function keg(own: PrivateKey, other: PublicKey, ukm: Uint8Array): Uint8Array {
  if (ukm.length !== KEG_UKM_LENGTH) throw new Error(`UKM of ${ukm.length} bytes, expected ${KEG_UKM_LENGTH}`);
  if (other.curve !== own.curve) throw new Error(`keys on different curves: ${own.curve}, ${other.curve}`);
  const vkoUkm = ukm.slice(0, 16).reverse();
  if (own.bits === 512) return vko2012_512(own.d, other.q, vkoUkm, own.curve);
  const vko = vko2012_256(own.d, other.q, vkoUkm, own.curve);
  return kdfTreeGostR3411_2012_256(vko, KDF_TREE_LABEL, ukm.subarray(16, 24), 64);
}

/** KImp15 with the KEG keys and IV = UKM[24..24 + n/2]; throws IntegrityError on a bad MAC. */
function importCek(cipher: Kexp15Cipher, keys: Uint8Array, ukm: Uint8Array, encryptedKey: Uint8Array): Uint8Array {
  const iv = ukm.subarray(24, 24 + CIPHERS[cipher].n / 2);
  return kimp15(cipher, encryptedKey, keys.subarray(32, 64), keys.subarray(0, 32), iv);
}

/** The one value of the one attribute 1.2.643.7.1.0.6.1.1 in unprotectedAttrs. */
function macAttribute(unprotectedAttrs: DerNode | undefined): Uint8Array {
  // Attribute ::= SEQUENCE { attrType OBJECT IDENTIFIER, attrValues SET OF OCTET STRING }
  const found = (unprotectedAttrs?.sequence(1, 'context') ?? [])
    .map((attr) => attr.sequence())
    .filter((attr) => nth(attr, 0).oid() === OID_CMS_MAC_ATTRIBUTE);
  const [attribute, ...others] = found;
  if (attribute === undefined || others.length > 0) {
    throw new Error(`expected one MAC attribute, found ${found.length}`);
  }
  const values = nth(attribute, 1).set();
  if (values.length !== 1) throw new Error('the MAC attribute must have one value');
  return nth(values, 0).octetString();
}

/**
 * EncryptedContentInfo ::= SEQUENCE { contentType, contentEncryptionAlgorithm { OID,
 *   Gost3412-15-Encryption-Parameters }, encryptedContent [0] IMPLICIT OCTET STRING }
 */
function decryptContent(
  eci: DerNode,
  cek: Uint8Array,
  unprotectedAttrs: DerNode | undefined,
): { plaintext: Uint8Array; content: ContentAlgorithm } {
  const fields = eci.sequence();
  expect(nth(fields, 0).oid()).toBe(OID_DATA);
  const algorithm = nth(fields, 1).sequence();
  const oid = nth(algorithm, 0).oid();
  const content = CONTENT_ALGORITHMS[oid];
  if (content === undefined) throw new Error(`unknown content encryption ${oid}`);
  const { create, n, section } = CIPHERS[content.cipher];
  const params = nth(algorithm, 1).sequence();
  expect(params).toHaveLength(1);
  const ukm = nth(params, 0).octetString();
  expect(ukm).toHaveLength(n / 2 + SEED_LENGTH);
  const iv = ukm.subarray(0, n / 2);
  const ciphertext = nth(fields, 2).octetString(0);
  if (!content.omac) {
    return { plaintext: ctrAcpkm(create, cek, iv, { sectionSize: section }).decrypt(ciphertext), content };
  }
  const keys = kdfTreeGostR3411_2012_256(cek, KDF_TREE_LABEL, ukm.subarray(n / 2), 64);
  const encryptedMac = macAttribute(unprotectedAttrs);
  expect(encryptedMac).toHaveLength(n);
  const stream = ctrAcpkm(create, keys.subarray(0, 32), iv, { sectionSize: section });
  const decrypted = stream.decrypt(concatBytes(ciphertext, encryptedMac));
  const plaintext = decrypted.slice(0, ciphertext.length);
  verifyMac(mac(create(keys.subarray(32, 64)), plaintext), decrypted.subarray(ciphertext.length));
  return { plaintext, content };
}

/** Opens an EnvelopedData for `recipient` with its private key `own`. */
function openEnvelopedData(
  cms: DerNode,
  own: PrivateKey,
  recipient: Certificate,
  originators: readonly Certificate[],
): Opened {
  const parts = envelopedData(cms, recipient);
  const { key } = parts;
  const kexp = kexpCipher(key.algorithm, own);
  const ukm = key.ukm.octetString();
  const cek = importCek(kexp, keg(own, otherPublicKey(key, originators), ukm), ukm, key.encryptedKey.octetString());
  const { plaintext, content } = decryptContent(parts.encryptedContentInfo, cek, parts.unprotectedAttrs);
  return { plaintext, recipientInfo: key.kind, kexp, content };
}

// ---------------------------------------------------------------------------------------------
// The examples
// ---------------------------------------------------------------------------------------------

interface Example {
  readonly file: string;
  readonly key: string;
  readonly cert: string;
  readonly originators: readonly string[];
  readonly expected: Omit<Opened, 'plaintext'>;
}

const EXAMPLES: Readonly<Record<string, Example>> = {
  a211: {
    file: 'encrypted_keyagree_a211.pem',
    key: 'recipient512_key.pem',
    cert: 'recipient512_cert.pem',
    originators: [],
    expected: { recipientInfo: 'kari', kexp: 'kuznyechik', content: { cipher: 'kuznyechik', omac: true } },
  },
  a221: {
    file: 'encrypted_keyagree_a221.pem',
    key: 'recipient256_key.pem',
    cert: 'recipient256_cert.pem',
    originators: ['sender256_cert.pem'],
    expected: { recipientInfo: 'kari', kexp: 'magma', content: { cipher: 'magma', omac: false } },
  },
  a231: {
    file: 'encrypted_keytrans_a231.pem',
    key: 'recipient256_key.pem',
    cert: 'recipient256_cert.pem',
    originators: [],
    expected: { recipientInfo: 'ktri', kexp: 'kuznyechik', content: { cipher: 'kuznyechik', omac: false } },
  },
  a241: {
    file: 'encrypted_keytrans_a241.pem',
    key: 'recipient512_key.pem',
    cert: 'recipient512_cert.pem',
    originators: [],
    expected: { recipientInfo: 'ktri', kexp: 'kuznyechik', content: { cipher: 'magma', omac: true } },
  },
};
const IDS = Object.keys(EXAMPLES);

interface Loaded {
  readonly der: Uint8Array;
  readonly own: PrivateKey;
  readonly recipient: Certificate;
  readonly originators: readonly Certificate[];
}

const loaded = new Map<string, Loaded>();
let plainFile: Uint8Array = new Uint8Array(0);
let expectedPlaintext: Uint8Array = new Uint8Array(0);
let sender256: PrivateKey;

beforeAll(async () => {
  plainFile = await readVector(`${DIR}/plain/text_decrypted.plain`);
  expectedPlaintext = plainFile.subarray(0, plainFile.length - 1);
  sender256 = privateKey(await readDer('sender256_key.pem', 'PRIVATE KEY'));
  for (const [id, ex] of Object.entries(EXAMPLES)) {
    const originators: Certificate[] = [];
    for (const file of ex.originators) originators.push(certificate(await readDer(file, 'CERTIFICATE')));
    loaded.set(id, {
      der: (await readDer(ex.file, 'CMS')).raw,
      own: privateKey(await readDer(ex.key, 'PRIVATE KEY')),
      recipient: certificate(await readDer(ex.cert, 'CERTIFICATE')),
      originators,
    });
  }
});

function example(id: string): Loaded {
  const ex = loaded.get(id);
  if (!ex) throw new Error(`example ${id} not loaded`);
  return ex;
}

/** Opens example `id`, from `der` if given (an altered copy), with `own` if given. */
function open(id: string, der?: Uint8Array, own?: PrivateKey): Opened {
  const ex = example(id);
  return openEnvelopedData(parseDer(der ?? ex.der), own ?? ex.own, ex.recipient, ex.originators);
}

function parts(id: string): EnvelopedParts {
  return envelopedData(parseDer(example(id).der), example(id).recipient);
}

/** A copy of example `id` with the low bit of byte `at` flipped. */
function flipped(id: string, at: number): Uint8Array {
  const out = example(id).der.slice();
  out[at] = (out[at] as number) ^ 1;
  return out;
}

/** Where the value of the MAC attribute and the last byte of its type OID are. */
function macOffsets(id: string): { value: number; type: number } {
  const attr = nth(parts(id).unprotectedAttrs?.children() ?? [], 0).sequence();
  const type = nth(attr, 0);
  return { value: nth(nth(attr, 1).set(), 0).contentOffset, type: type.contentOffset + type.value.length - 1 };
}

function contentOffset(id: string): number {
  return nth(parts(id).encryptedContentInfo.sequence(), 2).contentOffset;
}

function expectMacMismatch(f: () => unknown): void {
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(IntegrityError);
  expect(error).toMatchObject({ code: 'ERR_MAC_MISMATCH' });
}

describe('R 1323565.1.024-2019 A.2: EnvelopedData opened with @eds/gost', () => {
  it('plain/text_decrypted.plain is the 47-byte cp1251 text and a line feed', () => {
    expect(plainFile).toHaveLength(48);
    expect(plainFile[47]).toBe(0x0a);
    expect(new TextDecoder('windows-1251').decode(expectedPlaintext)).toBe(
      'Контрольный пример для структуры EnvelopedData.',
    );
  });

  for (const id of IDS) {
    const { expected } = EXAMPLES[id] as Example;
    const mode = `${expected.content.cipher}-ctr-acpkm${expected.content.omac ? '-omac' : ''}`;
    const what = `${expected.recipientInfo.toUpperCase()}, ${expected.kexp}-kexp15, ${mode}`;
    it(`${id} (${what}) decrypts to the plaintext${expected.content.omac ? ' and its MAC verifies' : ''}`, () => {
      const { plaintext, ...steps } = open(id);
      expect(bytesToHex(plaintext)).toBe(bytesToHex(expectedPlaintext));
      expect(steps).toEqual(expected);
    });
  }

  it('the recipient keys (PKCS#8, little-endian scalars) belong to the recipient certificates', () => {
    for (const id of ['a211', 'a231']) {
      const { own, recipient } = example(id);
      expect(own.curve).toBe(recipient.publicKey.curve);
      expect(bytesToHex(getPublicKey(own.d, own.curve))).toBe(bytesToHex(recipient.publicKey.q));
    }
  });

  it('a221: the originator (sender256 private key) derives the same KEG keys as the recipient', () => {
    const { own, recipient, originators } = example('a221');
    const { key } = parts('a221');
    const ukm = key.ukm.octetString();
    const fromRecipient = keg(own, otherPublicKey(key, originators), ukm);
    expect(bytesToHex(keg(sender256, recipient.publicKey, ukm))).toBe(bytesToHex(fromRecipient));
  });
});

describe('R 1323565.1.024-2019 A.2: every integrity check can fail', () => {
  for (const id of IDS) {
    it(`${id}: an altered encrypted key fails KImp15`, () => {
      expectMacMismatch(() => open(id, flipped(id, parts(id).key.encryptedKey.contentOffset)));
    });

    it(`${id}: an altered UKM fails KImp15`, () => {
      expectMacMismatch(() => open(id, flipped(id, parts(id).key.ukm.contentOffset)));
    });
  }

  for (const id of ['a211', 'a241']) {
    it(`${id}: altered content fails the OMAC`, () => {
      expectMacMismatch(() => open(id, flipped(id, contentOffset(id) + 20)));
    });

    it(`${id}: an altered MAC attribute fails the OMAC`, () => {
      expectMacMismatch(() => open(id, flipped(id, macOffsets(id).value)));
    });

    it(`${id}: without the MAC attribute the content is refused`, () => {
      expect(() => open(id, flipped(id, macOffsets(id).type))).toThrow(/expected one MAC attribute, found 0/);
    });
  }

  for (const id of ['a221', 'a231']) {
    it(`${id}: CTR-ACPKM without OMAC is malleable (documented): a flipped bit flips one plaintext bit`, () => {
      const { plaintext } = open(id, flipped(id, contentOffset(id) + 20));
      const expected = expectedPlaintext.slice();
      expected[20] = (expected[20] as number) ^ 1;
      expect(bytesToHex(plaintext)).toBe(bytesToHex(expected));
    });
  }

  it('a231: another key on the same curve (sender256) fails KImp15', () => {
    expect(sender256.curve).toBe(example('a231').own.curve);
    expectMacMismatch(() => open('a231', undefined, sender256));
  });

  it('a231: the readings that do not match the data fail (UKM little-endian; KEG halves swapped)', () => {
    const { own } = example('a231');
    const { key } = parts('a231');
    const ukm = key.ukm.octetString();
    const other = otherPublicKey(key, []);
    const wrapped = key.encryptedKey.octetString();
    const keys = keg(own, other, ukm);
    expect(importCek('kuznyechik', keys, ukm, wrapped)).toHaveLength(32);
    const vkoLittleEndian = vko2012_256(own.d, other.q, ukm.slice(0, 16), own.curve);
    const littleEndian = kdfTreeGostR3411_2012_256(vkoLittleEndian, KDF_TREE_LABEL, ukm.subarray(16, 24), 64);
    expectMacMismatch(() => importCek('kuznyechik', littleEndian, ukm, wrapped));
    const swapped = concatBytes(keys.subarray(32), keys.subarray(0, 32));
    expectMacMismatch(() => importCek('kuznyechik', swapped, ukm, wrapped));
  });

  it('a211: the content MAC is the plain OMAC of 34.13 §5.6, not OMAC-ACPKM', () => {
    const { own } = example('a211');
    const { key, encryptedContentInfo, unprotectedAttrs } = parts('a211');
    const ukm = key.ukm.octetString();
    const cek = importCek('kuznyechik', keg(own, otherPublicKey(key, []), ukm), ukm, key.encryptedKey.octetString());
    const { plaintext } = decryptContent(encryptedContentInfo, cek, unprotectedAttrs);
    const params = nth(nth(encryptedContentInfo.sequence(), 1).sequence(), 1).sequence();
    const contentUkm = nth(params, 0).octetString();
    const keys = kdfTreeGostR3411_2012_256(cek, KDF_TREE_LABEL, contentUkm.subarray(8), 64);
    const ciphertext = nth(encryptedContentInfo.sequence(), 2).octetString(0);
    const stream = ctrAcpkm(kuznyechik, keys.subarray(0, 32), contentUkm.subarray(0, 8), { sectionSize: 256 * 1024 });
    const tag = stream.decrypt(concatBytes(ciphertext, macAttribute(unprotectedAttrs))).subarray(ciphertext.length);
    expect(bytesToHex(mac(kuznyechik(keys.subarray(32)), plaintext))).toBe(bytesToHex(tag));
    expect(bytesToHex(omacAcpkm(kuznyechik, keys.subarray(32), plaintext))).not.toBe(bytesToHex(tag));
  });
});
