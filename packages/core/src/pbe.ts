// Password-based encryption: PBES2 (RFC 8018 §6.2) with PBKDF2 and AES-CBC or the GOST ciphers of RFC 9337 / R 50.1.112-2016, PKCS#12 PBE (RFC 7292 App. C), PBES1 (RFC 8018 §6.1), and EncryptedPrivateKeyInfo (RFC 5958 §3).

import { getGost28147Sbox, gost28147CfbDecrypt, gost28147CfbEncrypt } from '@eds/gost/gost28147';
import { gost341194 } from '@eds/gost/gost341194';
import { pbkdf2Streebog512Async } from '@eds/gost/kdf';
import { kuznyechik } from '@eds/gost/kuznyechik';
import { magma } from '@eds/gost/magma';
import { ctrAcpkm } from '@eds/gost/modes';
import { streebog256, streebog512 } from '@eds/gost/streebog';
import { md5, sha1 } from '@noble/hashes/legacy.js';
import { pbkdf2Async } from '@noble/hashes/pbkdf2.js';
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import type { CHash } from '@noble/hashes/utils.js';
import { tripleDesCbcDecrypt, tripleDesCbcEncrypt } from './_des';
import { bmpPassword, pkcs12Kdf } from './_pkcs12-kdf';
import { rc2CbcDecrypt } from './_rc2';
import { type Der, decodeDer, der, TAG } from './asn1';
import { toDer } from './encoding';
import { DecodeError, UnsupportedAlgorithmError, UnsupportedFormatError, WrongPasswordError } from './errors';

// ---------------------------------------------------------------------------------------------
// Identifiers

/** id-PBES2 (RFC 8018 App. A.4). */
export const OID_PBES2 = '1.2.840.113549.1.5.13';
/** id-PBKDF2 (RFC 8018 App. A.2). */
export const OID_PBKDF2 = '1.2.840.113549.1.5.12';
/** CryptoPro's proprietary PFX key-bag algorithm ("pbeUnknownGost"), which is not readable here. */
export const OID_CRYPTOPRO_PFX_KEY = '1.2.840.113549.1.12.1.80';

/** PRF names for PBKDF2 (RFC 8018 App. B.1; RFC 9337 §4; RFC 4357 §3). */
export type PbePrf =
  | 'sha1'
  | 'sha224'
  | 'sha256'
  | 'sha384'
  | 'sha512'
  | 'streebog256'
  | 'streebog512'
  | 'gostr3411-94';

/** Encryption schemes this module writes in PBES2. */
export type PbeScheme =
  | 'aes-128-cbc'
  | 'aes-192-cbc'
  | 'aes-256-cbc'
  | 'des-ede3-cbc'
  | 'gost28147-cfb'
  | 'kuznyechik-ctr-acpkm'
  | 'magma-ctr-acpkm';

interface Prf {
  oid: string;
  hash: CHash;
  /** The WebCrypto name when WebCrypto's PBKDF2 can run it. */
  subtle?: string;
}

const PRFS: Record<PbePrf, Prf> = {
  sha1: { oid: '1.2.840.113549.2.7', hash: sha1, subtle: 'SHA-1' },
  sha224: { oid: '1.2.840.113549.2.8', hash: sha224 },
  sha256: { oid: '1.2.840.113549.2.9', hash: sha256, subtle: 'SHA-256' },
  sha384: { oid: '1.2.840.113549.2.10', hash: sha384, subtle: 'SHA-384' },
  sha512: { oid: '1.2.840.113549.2.11', hash: sha512, subtle: 'SHA-512' },
  streebog256: { oid: '1.2.643.7.1.1.4.1', hash: streebog256 },
  streebog512: { oid: '1.2.643.7.1.1.4.2', hash: streebog512 },
  'gostr3411-94': { oid: '1.2.643.2.2.10', hash: gost341194 },
};

const PRF_BY_OID = new Map(Object.entries(PRFS).map(([name, p]) => [p.oid, name as PbePrf]));

const AES_OIDS: Record<string, number> = {
  '2.16.840.1.101.3.4.1.2': 16,
  '2.16.840.1.101.3.4.1.22': 24,
  '2.16.840.1.101.3.4.1.42': 32,
};
const OID_DES_EDE3_CBC = '1.2.840.113549.3.7';
const OID_DES_CBC = '1.3.14.3.2.7';
const OID_RC2_CBC = '1.2.840.113549.3.2';
const OID_GOST28147 = '1.2.643.2.2.21';
const OID_KUZNYECHIK_CTR_ACPKM = '1.2.643.7.1.1.5.2.1';
const OID_MAGMA_CTR_ACPKM = '1.2.643.7.1.1.5.1.1';
const OID_TC26_PARAM_Z = '1.2.643.7.1.2.5.1.1';

/** PKCS#12 PBE (RFC 7292 App. C): key bytes, cipher, RC2 effective bits. */
const PKCS12_PBE: Record<string, { keyLen: number; cipher: 'des-ede3' | 'rc2' | 'rc4'; name: string }> = {
  '1.2.840.113549.1.12.1.1': { keyLen: 16, cipher: 'rc4', name: 'pbeWithSHAAnd128BitRC4' },
  '1.2.840.113549.1.12.1.2': { keyLen: 5, cipher: 'rc4', name: 'pbeWithSHAAnd40BitRC4' },
  '1.2.840.113549.1.12.1.3': { keyLen: 24, cipher: 'des-ede3', name: 'pbeWithSHAAnd3-KeyTripleDES-CBC' },
  '1.2.840.113549.1.12.1.4': { keyLen: 16, cipher: 'des-ede3', name: 'pbeWithSHAAnd2-KeyTripleDES-CBC' },
  '1.2.840.113549.1.12.1.5': { keyLen: 16, cipher: 'rc2', name: 'pbeWithSHAAnd128BitRC2-CBC' },
  '1.2.840.113549.1.12.1.6': { keyLen: 5, cipher: 'rc2', name: 'pbeWithSHAAnd40BitRC2-CBC' },
};

/** PBES1 (RFC 8018 §6.1, App. A.3): hash and cipher. */
const PBES1: Record<string, { hash: CHash | undefined; cipher: 'des' | 'rc2'; name: string }> = {
  '1.2.840.113549.1.5.1': { hash: undefined, cipher: 'des', name: 'pbeWithMD2AndDES-CBC' },
  '1.2.840.113549.1.5.4': { hash: undefined, cipher: 'rc2', name: 'pbeWithMD2AndRC2-CBC' },
  '1.2.840.113549.1.5.3': { hash: md5, cipher: 'des', name: 'pbeWithMD5AndDES-CBC' },
  '1.2.840.113549.1.5.6': { hash: md5, cipher: 'rc2', name: 'pbeWithMD5AndRC2-CBC' },
  '1.2.840.113549.1.5.10': { hash: sha1, cipher: 'des', name: 'pbeWithSHA1AndDES-CBC' },
  '1.2.840.113549.1.5.11': { hash: sha1, cipher: 'rc2', name: 'pbeWithSHA1AndRC2-CBC' },
};

// ---------------------------------------------------------------------------------------------
// Options

/** Limits and controls for decryption. */
export interface PbeDecryptOptions {
  /** Largest iteration count accepted (default 10,000,000): more is refused as a denial of service. */
  maxIterations?: number;
  /** Aborts a long key derivation. */
  signal?: AbortSignal;
  /**
   * PKCS#12 PBE only: derive from an absent password (no bytes) instead of the BMPString of ""
   * (`00 00`). Some writers encode an empty password that way. @internal set by parsePkcs12.
   */
  absentPassword?: boolean;
}

/** Options of encryption (PBES2). */
export interface PbeEncryptOptions {
  /** Cipher; default `aes-256-cbc`. */
  scheme?: PbeScheme;
  /** PBKDF2 PRF; default `sha256`, or `streebog512` for the GOST schemes. */
  prf?: PbePrf;
  /** PBKDF2 iterations; default 2048 (OpenSSL 3's default). */
  iterations?: number;
  /** Salt length in bytes; default 32 for the GOST schemes (as R 50.1.112-2016), 16 otherwise. */
  saltLength?: number;
  /** GOST 28147-89 S-box (name or OID) for `gost28147-cfb`; default param Z (1.2.643.7.1.2.5.1.1). */
  sbox?: string;
  /** Source of random bytes (salt, IV); default `crypto.getRandomValues`. */
  random?: (length: number) => Uint8Array;
  signal?: AbortSignal;
}

const DEFAULT_MAX_ITERATIONS = 10_000_000;
const MAX_SALT = 1024;
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
/** A copy backed by a plain ArrayBuffer, the type WebCrypto takes. */
const ab = (b: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(b);

function defaultRandom(length: number): Uint8Array {
  const c = globalThis.crypto;
  if (!c?.getRandomValues) throw new UnsupportedAlgorithmError({}, 'no crypto.getRandomValues: pass options.random');
  return c.getRandomValues(new Uint8Array(length));
}

function subtle(what: string): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) {
    throw new UnsupportedAlgorithmError(
      { oid: what },
      `${what} needs WebCrypto (crypto.subtle), which this runtime lacks (a browser page must be a secure context)`,
    );
  }
  return s;
}

/** Imports an AES key into WebCrypto; a runtime without that key size (Chromium has no AES-192) is UnsupportedAlgorithmError. */
async function aesKey(key: Uint8Array, usage: 'encrypt' | 'decrypt', oid: string): Promise<CryptoKey> {
  const s = subtle(`AES-${key.length * 8}-CBC`);
  try {
    return await s.importKey('raw', ab(key), 'AES-CBC', false, [usage]);
  } catch {
    throw new UnsupportedAlgorithmError(
      { oid },
      `AES-${key.length * 8}-CBC is not available in this runtime's WebCrypto`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Small readers

interface Algorithm {
  oid: string;
  params: Der | undefined;
  node: Der;
}

function readAlgorithm(node: Der): Algorithm {
  const r = node.read();
  const oid = r.next(TAG.OID, 'algorithm').oid();
  const params = r.more ? r.next(undefined, 'parameters') : undefined;
  r.end();
  return { oid, params, node };
}

function needParams(alg: Algorithm): Der {
  if (!alg.params || alg.params.tag === TAG.NULL) throw alg.node.error(`${alg.oid} needs parameters`);
  return alg.params;
}

function checkIterations(node: Der, n: number, options: PbeDecryptOptions): number {
  const max = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  if (n < 1) throw node.error(`iteration count ${n} is below 1`);
  if (n > max) {
    throw new DecodeError('ERR_DECODE_TOO_LARGE', `${node.path}: iteration count ${n} exceeds the limit of ${max}`, {
      offset: node.offset,
      path: node.path,
    });
  }
  return n;
}

function checkSalt(node: Der): Uint8Array {
  const salt = node.octets();
  if (salt.length > MAX_SALT) throw node.error(`salt of ${salt.length} bytes is longer than ${MAX_SALT}`);
  return salt;
}

/** Removes PKCS#7 / RFC 8018 §6.1.1 padding; a wrong key shows up here. */
function unpad(data: Uint8Array, block: number): Uint8Array {
  const n = data[data.length - 1];
  if (data.length === 0 || n === undefined || n < 1 || n > block || n > data.length)
    throw new WrongPasswordError('bad padding after decryption: wrong password');
  for (let i = data.length - n; i < data.length; i++)
    if (data[i] !== n) throw new WrongPasswordError('bad padding after decryption: wrong password');
  return data.subarray(0, data.length - n);
}

function pad(data: Uint8Array, block: number): Uint8Array {
  const n = block - (data.length % block);
  const out = new Uint8Array(data.length + n).fill(n);
  out.set(data);
  return out;
}

function wholeBlocks(node: Der, data: Uint8Array, block: number): void {
  if (data.length === 0 || data.length % block)
    throw node.error(`ciphertext of ${data.length} bytes is not whole ${block}-byte blocks`);
}

// ---------------------------------------------------------------------------------------------
// PBKDF2

/** PBKDF2 (RFC 8018 §5.2) with the named PRF, WebCrypto when it has the hash, otherwise in JS. */
async function pbkdf2(
  prf: PbePrf,
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  dkLen: number,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  signal?.throwIfAborted();
  const p = PRFS[prf];
  const s = globalThis.crypto?.subtle;
  if (p.subtle && s && password.length > 0) {
    try {
      const key = await s.importKey('raw', ab(password), 'PBKDF2', false, ['deriveBits']);
      const bits = await s.deriveBits({ name: 'PBKDF2', hash: p.subtle, salt: ab(salt), iterations }, key, dkLen * 8);
      return new Uint8Array(bits);
    } catch {
      // Fall through to the JS implementation (some runtimes refuse some parameters).
    }
  }
  if (prf === 'streebog512') return pbkdf2Streebog512Async(password, salt, iterations, dkLen);
  return pbkdf2Async(p.hash, password, salt, { c: iterations, dkLen, asyncTick: 10 });
}

interface Pbkdf2Params {
  salt: Uint8Array;
  iterations: number;
  keyLength: number | undefined;
  prf: PbePrf;
}

/**
 * PBKDF2-params (RFC 8018 App. A.2):
 * ```asn1
 * PBKDF2-params ::= SEQUENCE {
 *   salt CHOICE { specified OCTET STRING, otherSource AlgorithmIdentifier },
 *   iterationCount INTEGER (1..MAX),
 *   keyLength INTEGER (1..MAX) OPTIONAL,
 *   prf AlgorithmIdentifier DEFAULT algid-hmacWithSHA1 }
 * ```
 */
function readPbkdf2(alg: Algorithm, options: PbeDecryptOptions): Pbkdf2Params {
  if (alg.oid !== OID_PBKDF2)
    throw new UnsupportedAlgorithmError({ oid: alg.oid }, `key derivation ${alg.oid} is not supported (only PBKDF2)`);
  const r = needParams(alg).read();
  const salt = checkSalt(r.next(TAG.OCTET_STRING, 'salt'));
  const itNode = r.next(TAG.INTEGER, 'iterationCount');
  const iterations = checkIterations(itNode, itNode.smallInt(), options);
  const kl = r.optional(TAG.INTEGER, 'keyLength');
  const keyLength = kl?.smallInt();
  let prf: PbePrf = 'sha1';
  if (r.more) {
    const p = readAlgorithm(r.next(TAG.SEQUENCE, 'prf'));
    const name = PRF_BY_OID.get(p.oid);
    if (!name) throw new UnsupportedAlgorithmError({ oid: p.oid }, `PBKDF2 PRF ${p.oid} is not supported`);
    prf = name;
  }
  r.end();
  return { salt, iterations, keyLength, prf };
}

// ---------------------------------------------------------------------------------------------
// PBES2 ciphers

interface Cipher {
  keyLen: number;
  decrypt(key: Uint8Array, data: Uint8Array): Promise<Uint8Array>;
}

/** The cipher of a PBES2 encryptionScheme, with its parameters read. */
function readCipher(alg: Algorithm): Cipher {
  const aesLen = AES_OIDS[alg.oid];
  if (aesLen) return aesCipher(alg, aesLen);
  switch (alg.oid) {
    case OID_DES_EDE3_CBC:
    case OID_DES_CBC: {
      const iv = ivOf(needParams(alg), 8);
      const keyLen = alg.oid === OID_DES_CBC ? 8 : 24;
      return {
        keyLen,
        decrypt: async (k, d) => {
          wholeBlocks(alg.node, d, 8);
          return unpad(tripleDesCbcDecrypt(k, iv, d), 8);
        },
      };
    }
    case OID_RC2_CBC:
      return rc2Cipher(alg);
    case OID_GOST28147:
      return gost28147Cipher(alg);
    case OID_KUZNYECHIK_CTR_ACPKM:
    case OID_MAGMA_CTR_ACPKM:
      return acpkmCipher(alg);
    case '1.2.643.7.1.1.5.2.2':
    case '1.2.643.7.1.1.5.1.2':
      throw new UnsupportedAlgorithmError({ oid: alg.oid }, `${alg.oid} (CTR-ACPKM-OMAC) in PBES2 is not supported`);
    default:
      throw new UnsupportedAlgorithmError({ oid: alg.oid }, `PBES2 encryption scheme ${alg.oid} is not supported`);
  }
}

function ivOf(node: Der, length: number): Uint8Array {
  const iv = node.octets();
  if (iv.length !== length) throw node.error(`IV of ${iv.length} bytes, expected ${length}`);
  return iv;
}

function aesCipher(alg: Algorithm, keyLen: number): Cipher {
  const iv = ivOf(needParams(alg), 16);
  return {
    keyLen,
    async decrypt(key, data) {
      wholeBlocks(alg.node, data, 16);
      const k = await aesKey(key, 'decrypt', alg.oid);
      try {
        return new Uint8Array(await subtle('AES-CBC').decrypt({ name: 'AES-CBC', iv: ab(iv) }, k, ab(data)));
      } catch (cause) {
        throw new WrongPasswordError('bad padding after decryption: wrong password', { cause });
      }
    },
  };
}

/** RC2-CBC-Parameter (RFC 8018 B.2.3): version 160 = 40 bits, 120 = 64, 58 = 128, or ≥ 256 the bit count. */
function rc2Cipher(alg: Algorithm): Cipher {
  const p = needParams(alg);
  let bits = 32;
  let ivNode = p;
  if (p.tag === TAG.SEQUENCE) {
    const r = p.read();
    const v = r.optional(TAG.INTEGER, 'rc2ParameterVersion')?.smallInt();
    ivNode = r.next(TAG.OCTET_STRING, 'iv');
    r.end();
    const known: Record<number, number> = { 160: 40, 120: 64, 58: 128 };
    bits = v === undefined ? 32 : (known[v] ?? v);
    if (bits < 1 || bits > 1024) throw p.error(`RC2 parameter version ${v} is not valid`);
  }
  const iv = ivOf(ivNode, 8);
  const keyLen = Math.ceil(bits / 8);
  return {
    keyLen,
    decrypt: async (k, d) => {
      wholeBlocks(alg.node, d, 8);
      return unpad(rc2CbcDecrypt(k, bits, iv, d), 8);
    },
  };
}

/**
 * Gost28147-89-Parameters (RFC 4357 §10.3; R 50.1.112-2016):
 * ```asn1
 * Gost28147-89-Parameters ::= SEQUENCE { iv OCTET STRING (SIZE (8)), encryptionParamSet OBJECT IDENTIFIER }
 * ```
 * CFB with CryptoPro key meshing, no padding.
 */
function gost28147Cipher(alg: Algorithm): Cipher {
  const r = needParams(alg).read();
  const iv = ivOf(r.next(TAG.OCTET_STRING, 'iv'), 8);
  const setNode = r.next(TAG.OID, 'encryptionParamSet');
  r.end();
  const sbox = setNode.oid();
  try {
    getGost28147Sbox(sbox);
  } catch {
    throw new UnsupportedAlgorithmError({ oid: sbox }, `GOST 28147-89 parameter set ${sbox} is not known`);
  }
  return { keyLen: 32, decrypt: async (k, d) => gost28147CfbDecrypt(k, iv, d, { sbox }) };
}

/**
 * Gost3412-15-Encryption-Parameters (RFC 9337 §7): `SEQUENCE { ukm OCTET STRING }`, where the
 * UKM is IV (half a block) ‖ an 8-byte seed (16 bytes for Kuznyechik, 12 for Magma), as the
 * gost-engine reads it; CTR-ACPKM with OpenSSL's section sizes, no padding.
 */
function acpkmCipher(alg: Algorithm): Cipher {
  const kuz = alg.oid === OID_KUZNYECHIK_CTR_ACPKM;
  const r = needParams(alg).read();
  const ukmNode = r.next(TAG.OCTET_STRING, 'ukm');
  r.end();
  const ukm = ukmNode.octets();
  if (ukm.length !== (kuz ? 16 : 12)) throw ukmNode.error(`UKM of ${ukm.length} bytes, expected ${kuz ? 16 : 12}`);
  const iv = ukm.slice(0, kuz ? 8 : 4);
  return { keyLen: 32, decrypt: async (k, d) => ctrAcpkm(kuz ? kuznyechik : magma, k, iv).decrypt(d) };
}

// ---------------------------------------------------------------------------------------------
// Decryption

/**
 * Decrypts `data` under a password-based encryption AlgorithmIdentifier: PBES2 (PBKDF2 with
 * HMAC-SHA-1/224/256/384/512, HMAC-Streebog-256/512 or HMAC-GOST R 34.11-94; AES-CBC, 3DES-CBC,
 * DES-CBC, RC2-CBC, GOST 28147-89 CFB, Kuznyechik/Magma CTR-ACPKM), the PKCS#12 PBEs of RFC 7292
 * App. C (3DES, RC2) and PBES1 (MD5/SHA-1 with DES or RC2). Padding is removed. The password is
 * UTF-8 for PBKDF2/PBES1 and BMPString + NUL for the PKCS#12 PBEs.
 *
 * Standards: RFC 8018 §6.1–6.2, RFC 7292 App. B–C, RFC 9337 §5–7, R 50.1.112-2016.
 *
 * @throws WrongPasswordError when the padding is wrong.
 * @throws DecodeError for malformed parameters or an iteration count above `maxIterations`.
 * @throws UnsupportedAlgorithmError for an unknown algorithm; UnsupportedFormatError for
 *   CryptoPro's proprietary key bag (1.2.840.113549.1.12.1.80).
 * @example
 * ```ts
 * const plain = await decryptPbe(algorithmDer, ciphertext, 'secret');
 * ```
 */
export async function decryptPbe(
  algorithm: Uint8Array | Der,
  data: Uint8Array,
  password: string,
  options: PbeDecryptOptions = {},
): Promise<Uint8Array> {
  const node = algorithm instanceof Uint8Array ? decodeDer(algorithm, 'encryptionAlgorithm') : algorithm;
  const alg = readAlgorithm(node);
  if (alg.oid === OID_PBES2) return decryptPbes2(alg, data, password, options);
  if (alg.oid === OID_CRYPTOPRO_PFX_KEY) throw cryptoProKeyBagError();
  if (PKCS12_PBE[alg.oid]) return decryptPkcs12Pbe(alg, data, password, options);
  if (PBES1[alg.oid]) return decryptPbes1(alg, data, password, options);
  throw new UnsupportedAlgorithmError({ oid: alg.oid }, `password-based encryption ${alg.oid} is not supported`);
}

/** The error for CryptoPro's key bag; @internal shared with pkcs12. */
export function cryptoProKeyBagError(): UnsupportedFormatError {
  return new UnsupportedFormatError(
    'cryptopro-pfx-key',
    "this PFX holds its key in CryptoPro's proprietary PFX key format (algorithm 1.2.840.113549.1.12.1.80, " +
      'written by CryptoPro CSP 4/5 for GOST 2012 keys), which is not supported. Export the key from CryptoPro ' +
      'as a TC26 PFX (R 50.1.112-2016), or use the CryptoPro browser plug-in to sign with it.',
  );
}

/**
 * PBES2-params (RFC 8018 App. A.4):
 * ```asn1
 * PBES2-params ::= SEQUENCE { keyDerivationFunc AlgorithmIdentifier {{PBES2-KDFs}},
 *                             encryptionScheme AlgorithmIdentifier {{PBES2-Encs}} }
 * ```
 */
async function decryptPbes2(
  alg: Algorithm,
  data: Uint8Array,
  password: string,
  options: PbeDecryptOptions,
): Promise<Uint8Array> {
  const r = needParams(alg).read();
  const kdf = readPbkdf2(readAlgorithm(r.next(TAG.SEQUENCE, 'keyDerivationFunc')), options);
  const cipher = readCipher(readAlgorithm(r.next(TAG.SEQUENCE, 'encryptionScheme')));
  r.end();
  if (kdf.keyLength !== undefined && kdf.keyLength !== cipher.keyLen) {
    throw alg.node.error(`PBKDF2 keyLength ${kdf.keyLength} does not fit the cipher (${cipher.keyLen} bytes)`);
  }
  const pw = utf8(password);
  const key = await pbkdf2(kdf.prf, pw, kdf.salt, kdf.iterations, cipher.keyLen, options.signal);
  try {
    return await cipher.decrypt(key, data);
  } finally {
    key.fill(0);
    pw.fill(0);
  }
}

/** pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER } (RFC 7292 App. C). */
function readSaltIterations(alg: Algorithm, options: PbeDecryptOptions): { salt: Uint8Array; iterations: number } {
  const r = needParams(alg).read();
  const salt = checkSalt(r.next(TAG.OCTET_STRING, 'salt'));
  const itNode = r.next(TAG.INTEGER, 'iterations');
  const iterations = checkIterations(itNode, itNode.smallInt(), options);
  r.end();
  return { salt, iterations };
}

async function decryptPkcs12Pbe(
  alg: Algorithm,
  data: Uint8Array,
  password: string,
  options: PbeDecryptOptions,
): Promise<Uint8Array> {
  const spec = PKCS12_PBE[alg.oid] as (typeof PKCS12_PBE)[string];
  if (spec.cipher === 'rc4') throw new UnsupportedAlgorithmError({ oid: alg.oid }, `${spec.name} is not supported`);
  const { salt, iterations } = readSaltIterations(alg, options);
  wholeBlocks(alg.node, data, 8);
  const pw = options.absentPassword && password === '' ? new Uint8Array(0) : bmpPassword(password);
  const kdfOptions = { signal: options.signal };
  const key = await pkcs12Kdf(sha1, pw, salt, 1, iterations, spec.keyLen, kdfOptions);
  const iv = await pkcs12Kdf(sha1, pw, salt, 2, iterations, 8, kdfOptions);
  pw.fill(0);
  try {
    const padded =
      spec.cipher === 'rc2' ? rc2CbcDecrypt(key, spec.keyLen * 8, iv, data) : tripleDesCbcDecrypt(key, iv, data);
    return unpad(padded, 8);
  } finally {
    key.fill(0);
  }
}

/** PBES1 (RFC 8018 §6.1): DK = T_c, T_1 = Hash(P ‖ S); key = DK[0..8], IV = DK[8..16]. */
async function decryptPbes1(
  alg: Algorithm,
  data: Uint8Array,
  password: string,
  options: PbeDecryptOptions,
): Promise<Uint8Array> {
  const spec = PBES1[alg.oid] as (typeof PBES1)[string];
  if (!spec.hash) throw new UnsupportedAlgorithmError({ oid: alg.oid }, `${spec.name} (MD2) is not supported`);
  const { salt, iterations } = readSaltIterations(alg, options);
  if (salt.length !== 8) throw alg.node.error('PBES1 salt must be 8 bytes');
  wholeBlocks(alg.node, data, 8);
  const pw = utf8(password);
  let t = spec.hash.create().update(pw).update(salt).digest();
  for (let i = 1; i < iterations; i++) {
    t = spec.hash(t);
    if ((i & 0xffff) === 0) {
      options.signal?.throwIfAborted();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }
  const key = t.slice(0, 8);
  const iv = t.slice(8, 16);
  const padded = spec.cipher === 'rc2' ? rc2CbcDecrypt(key, 64, iv, data) : tripleDesCbcDecrypt(key, iv, data);
  return unpad(padded, 8);
}

// ---------------------------------------------------------------------------------------------
// Encryption (PBES2)

/**
 * Encrypts `data` with PBES2 (RFC 8018 §6.2): PBKDF2 with the chosen PRF, then AES-CBC / 3DES-CBC
 * (PKCS#7 padding) or GOST 28147-89 CFB / Kuznyechik or Magma CTR-ACPKM (no padding, RFC 9337).
 * Returns the AlgorithmIdentifier (DER) and the ciphertext.
 *
 * @throws {RangeError} for bad options; UnsupportedAlgorithmError when AES needs WebCrypto and
 *   there is none.
 * @example
 * ```ts
 * const { algorithm, ciphertext } = await encryptPbe(data, 'secret', { scheme: 'gost28147-cfb' });
 * ```
 */
export async function encryptPbe(
  data: Uint8Array,
  password: string,
  options: PbeEncryptOptions = {},
): Promise<{ algorithm: Uint8Array; ciphertext: Uint8Array }> {
  const scheme = options.scheme ?? 'aes-256-cbc';
  const gost = scheme.startsWith('gost') || scheme.includes('acpkm');
  const prf = options.prf ?? (gost ? 'streebog512' : 'sha256');
  if (!PRFS[prf]) throw new RangeError(`unknown PRF ${String(prf)}`);
  const iterations = options.iterations ?? 2048;
  if (!Number.isSafeInteger(iterations) || iterations < 1) throw new RangeError('iterations must be an integer >= 1');
  const random = options.random ?? defaultRandom;
  const salt = random(options.saltLength ?? (gost ? 32 : 16));
  const { keyLen, params, oid, encrypt } = makeEncryptor(scheme, options, random);
  const pw = utf8(password);
  const key = await pbkdf2(prf, pw, salt, iterations, keyLen, options.signal);
  pw.fill(0);
  try {
    const ciphertext = await encrypt(key, data);
    const prfAlg = der.seq(der.oid(PRFS[prf].oid), der.null());
    const kdf = der.seq(der.oid(OID_PBKDF2), der.seq(der.octets(salt), der.int(iterations), prfAlg));
    const algorithm = der.seq(der.oid(OID_PBES2), der.seq(kdf, der.seq(der.oid(oid), params)));
    return { algorithm, ciphertext };
  } finally {
    key.fill(0);
  }
}

interface Encryptor {
  keyLen: number;
  oid: string;
  params: Uint8Array;
  encrypt(key: Uint8Array, data: Uint8Array): Promise<Uint8Array>;
}

function makeEncryptor(scheme: PbeScheme, options: PbeEncryptOptions, random: (n: number) => Uint8Array): Encryptor {
  switch (scheme) {
    case 'aes-128-cbc':
    case 'aes-192-cbc':
    case 'aes-256-cbc': {
      const keyLen = Number(scheme.slice(4, 7)) / 8;
      const oid = Object.keys(AES_OIDS).find((o) => AES_OIDS[o] === keyLen) as string;
      const iv = random(16);
      const encrypt = async (key: Uint8Array, data: Uint8Array) => {
        const k = await aesKey(key, 'encrypt', oid);
        return new Uint8Array(await subtle(scheme).encrypt({ name: 'AES-CBC', iv: ab(iv) }, k, ab(data)));
      };
      return { keyLen, oid, params: der.octets(iv), encrypt };
    }
    case 'des-ede3-cbc': {
      const iv = random(8);
      return {
        keyLen: 24,
        oid: OID_DES_EDE3_CBC,
        params: der.octets(iv),
        encrypt: async (k, d) => tripleDesCbcEncrypt(k, iv, pad(d, 8)),
      };
    }
    case 'gost28147-cfb': {
      const iv = random(8);
      const sbox = getGost28147Sbox(options.sbox ?? OID_TC26_PARAM_Z);
      const params = der.seq(der.octets(iv), der.oid(sbox.oid));
      return {
        keyLen: 32,
        oid: OID_GOST28147,
        params,
        encrypt: async (k, d) => gost28147CfbEncrypt(k, iv, d, { sbox: sbox.oid }),
      };
    }
    case 'kuznyechik-ctr-acpkm':
    case 'magma-ctr-acpkm': {
      const kuz = scheme === 'kuznyechik-ctr-acpkm';
      const ukm = random(kuz ? 16 : 12);
      const iv = ukm.slice(0, kuz ? 8 : 4);
      const oid = kuz ? OID_KUZNYECHIK_CTR_ACPKM : OID_MAGMA_CTR_ACPKM;
      const encrypt = async (k: Uint8Array, d: Uint8Array) => ctrAcpkm(kuz ? kuznyechik : magma, k, iv).encrypt(d);
      return { keyLen: 32, oid, params: der.seq(der.octets(ukm)), encrypt };
    }
    default:
      throw new RangeError(`unknown encryption scheme ${String(scheme)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// EncryptedPrivateKeyInfo

/**
 * True when `bytes` look like a DER PrivateKeyInfo / OneAsymmetricKey: a SEQUENCE spanning the
 * input that starts with INTEGER 0 or 1. The check a wrong key fails when no padding tells.
 */
export function looksLikePrivateKeyInfo(bytes: Uint8Array): boolean {
  try {
    const r = decodeDer(bytes, 'PrivateKeyInfo').read();
    const version = r.next(TAG.INTEGER, 'version').smallInt();
    r.next(TAG.SEQUENCE, 'privateKeyAlgorithm');
    return version === 0 || version === 1;
  } catch {
    return false;
  }
}

/**
 * Decrypts an EncryptedPrivateKeyInfo (RFC 5958 §3; DER or `ENCRYPTED PRIVATE KEY` PEM) and
 * returns the PKCS#8 PrivateKeyInfo DER as it is (GOST masked keys included; parse it with the
 * keys module).
 * ```asn1
 * EncryptedPrivateKeyInfo ::= SEQUENCE {
 *   encryptionAlgorithm EncryptionAlgorithmIdentifier, encryptedData OCTET STRING }
 * ```
 *
 * @throws WrongPasswordError for bad padding or a result that is not a PrivateKeyInfo.
 * @throws DecodeError, UnsupportedAlgorithmError, UnsupportedFormatError as {@link decryptPbe}.
 * @example
 * ```ts
 * const pkcs8 = await decryptPrivateKeyInfo(pemText, 'secret');
 * ```
 */
export async function decryptPrivateKeyInfo(
  epki: Uint8Array | string,
  password: string,
  options: PbeDecryptOptions & { maxSize?: number } = {},
): Promise<Uint8Array> {
  const bytes = toDer(epki, { labels: ['ENCRYPTED PRIVATE KEY'], maxBytes: options.maxSize });
  const r = decodeDer(bytes, 'EncryptedPrivateKeyInfo', { maxSize: options.maxSize }).read();
  const alg = r.next(TAG.SEQUENCE, 'encryptionAlgorithm');
  const data = r.next(TAG.OCTET_STRING, 'encryptedData').octets();
  r.end();
  const plain = await decryptPbe(alg, data, password, options);
  if (!looksLikePrivateKeyInfo(plain))
    throw new WrongPasswordError('the decrypted key is not a PrivateKeyInfo: wrong password');
  return plain;
}

/**
 * Encrypts a PKCS#8 PrivateKeyInfo into an EncryptedPrivateKeyInfo (RFC 5958 §3) with PBES2;
 * default PBKDF2-HMAC-SHA-256 (2048 iterations) and AES-256-CBC, as OpenSSL 3.
 * Wrap the result with `encodePem('ENCRYPTED PRIVATE KEY', ...)` for PEM.
 *
 * @throws {RangeError} for bad options or `pkcs8` that is not a PrivateKeyInfo.
 * @example
 * ```ts
 * const epki = await encryptPrivateKeyInfo(pkcs8, 'secret', { scheme: 'kuznyechik-ctr-acpkm' });
 * ```
 */
export async function encryptPrivateKeyInfo(
  pkcs8: Uint8Array,
  password: string,
  options: PbeEncryptOptions = {},
): Promise<Uint8Array> {
  if (!(pkcs8 instanceof Uint8Array) || !looksLikePrivateKeyInfo(pkcs8))
    throw new RangeError('pkcs8 must be a DER PrivateKeyInfo');
  const { algorithm, ciphertext } = await encryptPbe(pkcs8, password, options);
  return der.seq(algorithm, der.octets(ciphertext));
}
