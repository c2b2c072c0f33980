// The EnvelopedData examples of R 1323565.1.024-2019 Appendix A.2 (KARI and KTRI with KExp15, Kuznyechik / Magma CTR-ACPKM[-OMAC]) opened with @eds/gost primitives only.

// The CMS structure is read by the test-only DER reader; everything cryptographic is @eds/gost.
// The processing below was worked out from gost-engine (facts, no code: gost_ec_keyx.c gost_keg /
// pkey_gost2018_decrypt, gost_ameth.c gost_cms_set_kari_shared_info, gost_keyexpimp.c
// gost_kimp15 and the kexp15 wrap ciphers, gost_gost2015.c, gost_grasshopper_cipher.c,
// gost_crypt.c) and checked against OpenSSL 3.0 + gost-engine, which decrypts all four files:
//
// 1. KEG (R 1323565.1.020-2018 §6.4.5.1 as gost-engine implements it), from the 32-byte UKM (the
//    KARI `ukm`, or the `ukm` of the KTRI's GostR3410-KeyTransport) and the recipient key type:
//    - VKO's UKM is UKM[0..16] read as a big-endian number (so reversed for the little-endian
//      UKM of `vko2012_*`); with the little-endian reading the KImp15 MAC fails;
//    - 512-bit key: K_EXP = VKO_GOSTR3410_2012_512, 64 bytes;
//    - 256-bit key: K_EXP = KDF_TREE_GOSTR3411_2012_256(VKO_GOSTR3410_2012_256, label "kdf tree",
//      seed UKM[16..24], 64 bytes, R = 1).
//    K_EXP = K_Exp_MAC ‖ K_Exp_ENC: the MAC key is the FIRST half.
// 2. KImp15 (CTR under K_Exp_ENC, then full-block OMAC under K_Exp_MAC over IV ‖ CEK) with
//    IV = UKM[24..24 + n/2]; the cipher comes from the kexp15 OID.
// 3. Content: Gost3412-15-Encryption-Parameters ::= SEQUENCE { ukm OCTET STRING }, ukm = IV ‖ seed
//    (16 bytes for Kuznyechik, 12 for Magma; IV = n/2 bytes; seed = 8 bytes, used by -omac only).
//    - ctr-acpkm: CTR-ACPKM(CEK, IV);
//    - ctr-acpkm-omac: KDF_TREE(CEK, "kdf tree", seed, 64) = K_ENC ‖ K_MAC (the ENCRYPTION key
//      first here), CTR-ACPKM(K_ENC, IV) over the content; the MAC is the plain full-block OMAC of
//      GOST R 34.13-2015 §5.6 under K_MAC over the plaintext (not OMAC-ACPKM: that does not match),
//      encrypted by the CTR-ACPKM stream continued after the content, and stored in the
//      unprotected attribute 1.2.643.7.1.0.6.1.1.
//    Section size: gost-engine sets 256 KiB (Kuznyechik) and 8 KiB (Magma) for CMS. These contents
//    are 47 bytes (+ the MAC), inside the first section, so the vectors do not pin it down.
//
// The plaintext of every example is 47 bytes, cp1251 "Контрольный пример для структуры
// EnvelopedData."; plain/text_decrypted.plain holds those bytes plus a final line feed (OpenSSL
// prints exactly the 47 bytes; gost-engine's own driver compares `grep` output, which adds it).
// A.2.2 (a221) names its originator by issuerAndSerialNumber: the sender's public key comes from
// sender256_cert.pem (stock `openssl cms -decrypt` crashes without gost-engine's `-originator`).

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
import { type CipherFactory, ctrAcpkm, mac, verifyMac } from '@eds/gost/modes';
import { type DerNode, decodePem, parseDer } from '@eds/test-support/der';
import { readVector, readVectorText } from '@eds/test-support/vectors';
import { bytesToHex, concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { beforeAll, describe, expect, it } from 'vitest';

const DIR = 'gost/tc26-cms-2019';

const OID_ENVELOPED_DATA = '1.2.840.113549.1.7.3';
const OID_DATA = '1.2.840.113549.1.7.1';
/** The unprotected attribute that carries the encrypted MAC of the -omac modes (gost-engine OID_GOST_CMS_MAC). */
const OID_CMS_MAC_ATTRIBUTE = '1.2.643.7.1.0.6.1.1';

/** Content-encryption algorithms (R 1323565.1.024-2019; gost.md §1.3). */
const CONTENT_ALGORITHMS: Readonly<Record<string, { cipher: Kexp15Cipher; omac: boolean }>> = {
  '1.2.643.7.1.1.5.1.1': { cipher: 'magma', omac: false },
  '1.2.643.7.1.1.5.1.2': { cipher: 'magma', omac: true },
  '1.2.643.7.1.1.5.2.1': { cipher: 'kuznyechik', omac: false },
  '1.2.643.7.1.1.5.2.2': { cipher: 'kuznyechik', omac: true },
};
const KEXP15_CIPHERS: Readonly<Record<string, Kexp15Cipher>> = {
  [OID_KEXP15_MAGMA]: 'magma',
  [OID_KEXP15_KUZNYECHIK]: 'kuznyechik',
};
const CIPHER: Readonly<Record<Kexp15Cipher, { create: CipherFactory; n: 8 | 16; section: number }>> = {
  kuznyechik: { create: kuznyechik, n: 16, section: 256 * 1024 },
  magma: { create: magma, n: 8, section: 8 * 1024 },
};
const KDF_TREE_LABEL = utf8ToBytes('kdf tree');
/** Length of the UKM of KEG / KExp15 in CMS. */
const KEG_UKM_LENGTH = 32;
/** Length of the KDF_TREE seed in the content parameters. */
const SEED_LENGTH = 8;

/** A GOST R 34.10-2012 private key from PKCS#8: the little-endian scalar and its parameters. */
interface PrivateKey {
  readonly bits: 256 | 512;
  readonly curve: string;
  readonly d: Uint8Array;
}

/** A GOST R 34.10-2012 public key from a SubjectPublicKeyInfo: x ‖ y, little-endian. */
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

/** The CEK from a RecipientInfo and the KExp15 cipher that protected it. */
interface Unwrapped {
  readonly cek: Uint8Array;
  readonly kexp: Kexp15Cipher;
}

/** What opening an EnvelopedData took, so that tests can check each step. */
interface Opened {
  readonly plaintext: Uint8Array;
  readonly recipientInfo: 'kari' | 'ktri';
  readonly kexp: Kexp15Cipher;
  readonly content: { cipher: Kexp15Cipher; omac: boolean };
}

async function readDer(file: string, label: string): Promise<{ der: Uint8Array; node: DerNode }> {
  const der = decodePem(await readVectorText(`${DIR}/${file}`), label);
  return { der, node: parseDer(der) };
}

/** `bits` and the curve OID of an AlgorithmIdentifier of GOST R 34.10-2012 (RFC 9215 §2). */
function keyAlgorithm(algorithm: DerNode): { bits: 256 | 512; curve: string } {
  const [oid, params] = algorithm.sequence();
  const id = oid?.oid();
  if (id !== OID_GOST3410_2012_256 && id !== OID_GOST3410_2012_512) throw new Error(`not a GOST 2012 key: ${id}`);
  const curve = params?.sequence()[0]?.oid();
  if (curve === undefined) throw new Error('no publicKeyParamSet');
  return { bits: id === OID_GOST3410_2012_256 ? 256 : 512, curve };
}

/**
 * PKCS#8 (RFC 5958) with a GOST key (gost.md §2): `privateKey` is the raw little-endian scalar,
 * as in these files, or a DER OCTET STRING around it. Masked keys do not occur here.
 */
function privateKey(pkcs8: DerNode): PrivateKey {
  const [version, algorithm, key] = pkcs8.sequence();
  expect(version?.integer()).toBe(0n);
  const { bits, curve } = keyAlgorithm(algorithm as DerNode);
  const raw = (key as DerNode).octetString();
  const d = raw.length === bits / 8 ? raw : parseDer(raw).octetString();
  if (d.length !== bits / 8) throw new Error(`unsupported private key layout (${raw.length} bytes)`);
  return { bits, curve, d };
}

/** SubjectPublicKeyInfo { algorithm, subjectPublicKey BIT STRING }. */
function publicKey(spki: DerNode): PublicKey {
  const [algorithm, key] = spki.sequence();
  return publicKeyOf(algorithm as DerNode, key as DerNode);
}

/** A GOST public key from its algorithm and BIT STRING, which holds a DER OCTET STRING with x ‖ y (gost.md §2). */
function publicKeyOf(algorithm: DerNode, key: DerNode): PublicKey {
  const { bits, curve } = keyAlgorithm(algorithm);
  const q = parseDer(key.bitStringBytes()).octetString();
  if (q.length !== bits / 4) throw new Error(`public key of ${q.length} bytes for a ${bits}-bit key`);
  return { bits, curve, q };
}

function certificate(cert: DerNode): Certificate {
  const tbs = cert.sequence()[0]?.sequence() ?? [];
  // TBSCertificate ::= SEQUENCE { [0] version, serialNumber, signature, issuer, validity, subject, spki, ... }
  const [, serial, , issuer, , , spki] = tbs[0]?.isContext(0) ? tbs : [undefined, ...tbs];
  return {
    issuer: (issuer as DerNode).raw,
    serial: (serial as DerNode).integer(),
    publicKey: publicKey(spki as DerNode),
  };
}

/** IssuerAndSerialNumber (RFC 5652 §10.2.4) names this certificate. */
function names(ias: DerNode, cert: Certificate): boolean {
  const [issuer, serial] = ias.sequence();
  return (
    bytesToHex((issuer as DerNode).raw) === bytesToHex(cert.issuer) && (serial as DerNode).integer() === cert.serial
  );
}

/**
 * KEG: the 64-byte K_Exp_MAC ‖ K_Exp_ENC from our private key, the other party's public key and
 * the 32-byte UKM (see the top of this file).
 */
function keg(own: PrivateKey, other: PublicKey, ukm: Uint8Array): Uint8Array {
  if (ukm.length !== KEG_UKM_LENGTH) throw new Error(`UKM of ${ukm.length} bytes, expected ${KEG_UKM_LENGTH}`);
  if (other.curve !== own.curve) throw new Error(`keys on different curves: ${own.curve}, ${other.curve}`);
  const vkoUkm = ukm.slice(0, 16).reverse();
  if (own.bits === 512) return vko2012_512(own.d, other.q, vkoUkm, own.curve);
  return kdfTreeGostR3411_2012_256(
    vko2012_256(own.d, other.q, vkoUkm, own.curve),
    KDF_TREE_LABEL,
    ukm.subarray(16, 24),
    64,
  );
}

/**
 * KeyEncryptionAlgorithmIdentifier of R 1323565.1.024-2019: a kexp15 OID with
 * SEQUENCE { key agreement OID }, which must match the recipient key.
 */
function kexpAlgorithm(algorithm: DerNode, own: PrivateKey): Kexp15Cipher {
  const [oid, params] = algorithm.sequence();
  const cipher = KEXP15_CIPHERS[(oid as DerNode).oid()];
  if (cipher === undefined) throw new Error(`unknown key encryption algorithm ${(oid as DerNode).oid()}`);
  const agreement = params?.sequence()[0]?.oid();
  expect(agreement).toBe(own.bits === 512 ? OID_VKO_GOST3410_2012_512 : OID_VKO_GOST3410_2012_256);
  return cipher;
}

/** KImp15 with the KEG keys: IV = UKM[24..24 + n/2]; throws IntegrityError on a bad MAC. */
function importCek(cipher: Kexp15Cipher, keys: Uint8Array, ukm: Uint8Array, encryptedKey: Uint8Array): Uint8Array {
  const iv = ukm.subarray(24, 24 + CIPHER[cipher].n / 2);
  return kimp15(cipher, encryptedKey, keys.subarray(32, 64), keys.subarray(0, 32), iv);
}

/**
 * KeyAgreeRecipientInfo ::= SEQUENCE { version 3, originator [0] EXPLICIT OriginatorIdentifierOrKey,
 *   ukm [1] EXPLICIT OCTET STRING, keyEncryptionAlgorithm, recipientEncryptedKeys }
 * OriginatorIdentifierOrKey ::= CHOICE { issuerAndSerialNumber, subjectKeyIdentifier [0],
 *   originatorKey [1] IMPLICIT OriginatorPublicKey (SEQUENCE { algorithm, publicKey BIT STRING }) }
 */
function openKari(kari: DerNode, own: PrivateKey, recipient: Certificate, originators: Certificate[]): Unwrapped {
  const [version, originator, ukmNode, algorithm, encryptedKeys] = kari.sequence(1, 'context');
  expect(version?.integer()).toBe(3n);
  const orig = (originator as DerNode).explicit(0);
  let other: PublicKey;
  if (orig.isContext(1)) {
    // OriginatorPublicKey has the fields of a SubjectPublicKeyInfo under an implicit [1].
    const [alg, key] = orig.sequence(1, 'context');
    other = publicKeyOf(alg as DerNode, key as DerNode);
  } else {
    const cert = originators.find((c) => names(orig, c));
    if (!cert) throw new Error('originator certificate not found');
    other = cert.publicKey;
  }
  const ukm = (ukmNode as DerNode).explicit(1).octetString();
  const cipher = kexpAlgorithm(algorithm as DerNode, own);
  const mine = (encryptedKeys as DerNode).sequence().find((rek) => names(rek.sequence()[0] as DerNode, recipient));
  if (!mine) throw new Error('no RecipientEncryptedKey for this recipient');
  const keys = keg(own, other, ukm);
  return { cek: importCek(cipher, keys, ukm, (mine.sequence()[1] as DerNode).octetString()), kexp: cipher };
}

/**
 * KeyTransRecipientInfo ::= SEQUENCE { version 0, rid IssuerAndSerialNumber, keyEncryptionAlgorithm,
 *   encryptedKey OCTET STRING } whose encryptedKey holds
 * GostR3410-KeyTransport ::= SEQUENCE { encryptedKey OCTET STRING (KExp15 output),
 *   ephemeralPublicKey SubjectPublicKeyInfo, ukm OCTET STRING (32 bytes) }.
 */
function openKtri(ktri: DerNode, own: PrivateKey, recipient: Certificate): Unwrapped {
  const [version, rid, algorithm, encryptedKey] = ktri.sequence();
  expect(version?.integer()).toBe(0n);
  if (!names(rid as DerNode, recipient)) throw new Error('KeyTransRecipientInfo for another recipient');
  const cipher = kexpAlgorithm(algorithm as DerNode, own);
  const [exported, ephemeral, ukm] = parseDer((encryptedKey as DerNode).octetString()).sequence();
  const ukmBytes = (ukm as DerNode).octetString();
  const keys = keg(own, publicKey(ephemeral as DerNode), ukmBytes);
  return { cek: importCek(cipher, keys, ukmBytes, (exported as DerNode).octetString()), kexp: cipher };
}

/** The MAC of an -omac content: the one value of attribute 1.2.643.7.1.0.6.1.1. */
function macAttribute(unprotectedAttrs: DerNode | undefined): Uint8Array {
  if (unprotectedAttrs === undefined) throw new Error('no unprotectedAttrs: the MAC is missing');
  const found = unprotectedAttrs
    .sequence(1, 'context')
    .map((attr) => attr.sequence())
    .filter(([type]) => (type as DerNode).oid() === OID_CMS_MAC_ATTRIBUTE);
  if (found.length !== 1) throw new Error(`expected one MAC attribute, found ${found.length}`);
  const values = (found[0]?.[1] as DerNode).set();
  if (values.length !== 1) throw new Error('the MAC attribute must have one value');
  return (values[0] as DerNode).octetString();
}

/**
 * EncryptedContentInfo ::= SEQUENCE { contentType, contentEncryptionAlgorithm
 *   { OID, Gost3412-15-Encryption-Parameters }, encryptedContent [0] IMPLICIT OCTET STRING }
 */
function decryptContent(
  eci: DerNode,
  cek: Uint8Array,
  unprotectedAttrs: DerNode | undefined,
): { plaintext: Uint8Array; cipher: Kexp15Cipher; omac: boolean } {
  const [contentType, algorithm, encrypted] = eci.sequence();
  expect(contentType?.oid()).toBe(OID_DATA);
  const [oid, params] = (algorithm as DerNode).sequence();
  const alg = CONTENT_ALGORITHMS[(oid as DerNode).oid()];
  if (alg === undefined) throw new Error(`unknown content encryption ${(oid as DerNode).oid()}`);
  const { create, n, section } = CIPHER[alg.cipher];
  const paramFields = (params as DerNode).sequence();
  expect(paramFields).toHaveLength(1);
  const ukm = (paramFields[0] as DerNode).octetString();
  expect(ukm).toHaveLength(n / 2 + SEED_LENGTH);
  const iv = ukm.subarray(0, n / 2);
  const ciphertext = (encrypted as DerNode).octetString(0);
  if (!alg.omac) {
    return { plaintext: ctrAcpkm(create, cek, iv, { sectionSize: section }).decrypt(ciphertext), ...alg };
  }
  const keys = kdfTreeGostR3411_2012_256(cek, KDF_TREE_LABEL, ukm.subarray(n / 2), 64);
  const encryptedMac = macAttribute(unprotectedAttrs);
  expect(encryptedMac).toHaveLength(n);
  const all = ctrAcpkm(create, keys.subarray(0, 32), iv, { sectionSize: section }).decrypt(
    concatBytes(ciphertext, encryptedMac),
  );
  const plaintext = all.slice(0, ciphertext.length);
  verifyMac(mac(create(keys.subarray(32, 64)), plaintext), all.subarray(ciphertext.length));
  return { plaintext, ...alg };
}

/**
 * ContentInfo { id-envelopedData, [0] EnvelopedData ::= SEQUENCE { version, originatorInfo [0]
 * OPTIONAL, recipientInfos SET, encryptedContentInfo, unprotectedAttrs [1] OPTIONAL } }: opens
 * the one RecipientInfo for `recipient` with `own`.
 */
function openEnvelopedData(
  cms: DerNode,
  own: PrivateKey,
  recipient: Certificate,
  originators: Certificate[] = [],
): Opened {
  const [type, content] = cms.sequence();
  expect(type?.oid()).toBe(OID_ENVELOPED_DATA);
  const fields = (content as DerNode).explicit(0).sequence();
  const [version, recipientInfos, eci, unprotectedAttrs] = fields[1]?.isContext(0) ? fields.slice(1) : fields;
  expect([0n, 2n]).toContain(version?.integer());
  if (unprotectedAttrs !== undefined) unprotectedAttrs.expectTag('context', 1, true);
  const infos = (recipientInfos as DerNode).set();
  expect(infos).toHaveLength(1);
  const info = infos[0] as DerNode;
  const recipientInfo = info.isContext(1) ? 'kari' : 'ktri';
  const { cek, kexp } =
    recipientInfo === 'kari' ? openKari(info, own, recipient, originators) : openKtri(info, own, recipient);
  const { plaintext, ...alg } = decryptContent(eci as DerNode, cek, unprotectedAttrs);
  return { plaintext, recipientInfo, kexp, content: alg };
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
  readonly originators: Certificate[];
}

const loaded = new Map<string, Loaded>();
let plainFile: Uint8Array;
let expectedPlaintext: Uint8Array;

beforeAll(async () => {
  plainFile = await readVector(`${DIR}/plain/text_decrypted.plain`);
  expectedPlaintext = plainFile.subarray(0, plainFile.length - 1);
  for (const [id, ex] of Object.entries(EXAMPLES)) {
    const originators: Certificate[] = [];
    for (const file of ex.originators) originators.push(certificate((await readDer(file, 'CERTIFICATE')).node));
    loaded.set(id, {
      der: (await readDer(ex.file, 'CMS')).der,
      own: privateKey((await readDer(ex.key, 'PRIVATE KEY')).node),
      recipient: certificate((await readDer(ex.cert, 'CERTIFICATE')).node),
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

/** A copy of `der` with the low bit of byte `at` flipped. */
function flip(der: Uint8Array, at: number): Uint8Array {
  const out = der.slice();
  out[at] = (out[at] as number) ^ 1;
  return out;
}

/** Runs `f` and returns what it threw (fails the test if nothing). */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an exception');
}

/** Offsets in an example's DER of the fields the negative tests alter. */
function fieldOffsets(id: string): {
  encryptedKey: number;
  ukm: number;
  content: number;
  mac?: number;
  macType?: number;
} {
  const fields = parseDer(example(id).der).sequence()[1]?.explicit(0).sequence() ?? [];
  const [, infos, eci, attrs] = fields;
  const info = (infos as DerNode).set()[0] as DerNode;
  let encryptedKey: number;
  let ukm: number;
  if (info.isContext(1)) {
    const kari = info.sequence(1, 'context');
    ukm = (kari[2] as DerNode).explicit(1).contentOffset;
    encryptedKey = (kari[4]?.sequence()[0]?.sequence()[1] as DerNode).contentOffset;
  } else {
    const outer = info.sequence()[3] as DerNode;
    const transport = parseDer(outer.octetString()).sequence();
    encryptedKey = outer.contentOffset + (transport[0] as DerNode).contentOffset;
    ukm = outer.contentOffset + (transport[2] as DerNode).contentOffset;
  }
  const content = (eci?.sequence()[2] as DerNode).contentOffset;
  if (attrs === undefined) return { encryptedKey, ukm, content };
  const [type, values] = attrs.children()[0]?.sequence() ?? [];
  return {
    encryptedKey,
    ukm,
    content,
    mac: (values?.set()[0] as DerNode).contentOffset,
    macType: (type as DerNode).contentOffset + (type as DerNode).value.length - 1,
  };
}

function expectMacMismatch(f: () => unknown): void {
  const e = thrown(f);
  expect(e).toBeInstanceOf(IntegrityError);
  expect(e).toMatchObject({ code: 'ERR_MAC_MISMATCH' });
}

describe('R 1323565.1.024-2019 A.2: EnvelopedData decrypted with @eds/gost', () => {
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
    it(`${id}: ${expected.recipientInfo.toUpperCase()}, ${expected.kexp}-kexp15, ${mode} decrypts to the plaintext`, () => {
      const opened = open(id);
      expect(bytesToHex(opened.plaintext)).toBe(bytesToHex(expectedPlaintext));
      expect({ ...opened, plaintext: undefined }).toEqual({ ...expected, plaintext: undefined });
    });
  }

  it('the recipient private keys (PKCS#8, little-endian scalars) belong to the recipient certificates', () => {
    for (const id of ['a211', 'a231']) {
      const { own, recipient } = example(id);
      expect(own.curve).toBe(recipient.publicKey.curve);
      expect(bytesToHex(getPublicKey(own.d, own.curve))).toBe(bytesToHex(recipient.publicKey.q));
    }
  });

  it('a221: the originator (sender256 key, recipient256 certificate) derives the same KEG keys', async () => {
    const sender = privateKey((await readDer('sender256_key.pem', 'PRIVATE KEY')).node);
    const { own, recipient, originators } = example('a221');
    const kari = parseDer(example('a221').der)
      .sequence()[1]
      ?.explicit(0)
      .sequence()[1]
      ?.set()[0]
      ?.sequence(1, 'context');
    const ukm = (kari?.[2] as DerNode).explicit(1).octetString();
    const fromRecipient = keg(own, (originators[0] as Certificate).publicKey, ukm);
    expect(bytesToHex(keg(sender, recipient.publicKey, ukm))).toBe(bytesToHex(fromRecipient));
  });
});

describe('R 1323565.1.024-2019 A.2: every integrity check can fail', () => {
  for (const id of IDS) {
    it(`${id}: an altered encrypted key fails KImp15`, () => {
      expectMacMismatch(() => open(id, flip(example(id).der, fieldOffsets(id).encryptedKey)));
    });

    it(`${id}: an altered UKM fails KImp15`, () => {
      expectMacMismatch(() => open(id, flip(example(id).der, fieldOffsets(id).ukm)));
    });
  }

  for (const id of ['a211', 'a241']) {
    it(`${id}: altered content fails the OMAC`, () => {
      expectMacMismatch(() => open(id, flip(example(id).der, fieldOffsets(id).content + 20)));
    });

    it(`${id}: an altered MAC attribute fails the OMAC`, () => {
      expectMacMismatch(() => open(id, flip(example(id).der, fieldOffsets(id).mac as number)));
    });

    it(`${id}: without the MAC attribute the content is refused`, () => {
      const renamed = flip(example(id).der, fieldOffsets(id).macType as number);
      expect(() => open(id, renamed)).toThrow(/expected one MAC attribute, found 0/);
    });
  }

  for (const id of ['a221', 'a231']) {
    it(`${id}: CTR-ACPKM without OMAC is malleable (documented): one flipped bit flips one plaintext bit`, () => {
      const opened = open(id, flip(example(id).der, fieldOffsets(id).content + 20));
      expect(bytesToHex(opened.plaintext)).toBe(bytesToHex(flip(expectedPlaintext, 20)));
    });
  }

  it('a231: another key on the same curve (sender256) fails KImp15', async () => {
    const sender = privateKey((await readDer('sender256_key.pem', 'PRIVATE KEY')).node);
    expect(sender.curve).toBe(example('a231').own.curve);
    expectMacMismatch(() => open('a231', undefined, sender));
  });

  it('a231: the alternatives that do not match the data fail (UKM little-endian, KEG halves swapped)', () => {
    const { own, der } = example('a231');
    const ktri = parseDer(der).sequence()[1]?.explicit(0).sequence()[1]?.set()[0]?.sequence() ?? [];
    const [exported, ephemeral, ukm] = parseDer((ktri[3] as DerNode).octetString()).sequence();
    const ukmBytes = (ukm as DerNode).octetString();
    const other = publicKey(ephemeral as DerNode);
    const wrapped = (exported as DerNode).octetString();
    const keys = keg(own, other, ukmBytes);
    expect(importCek('kuznyechik', keys, ukmBytes, wrapped)).toHaveLength(32);
    const littleEndian = kdfTreeGostR3411_2012_256(
      vko2012_256(own.d, other.q, ukmBytes.slice(0, 16), own.curve),
      KDF_TREE_LABEL,
      ukmBytes.subarray(16, 24),
      64,
    );
    expectMacMismatch(() => importCek('kuznyechik', littleEndian, ukmBytes, wrapped));
    const swapped = concatBytes(keys.subarray(32), keys.subarray(0, 32));
    expectMacMismatch(() => importCek('kuznyechik', swapped, ukmBytes, wrapped));
  });
});
