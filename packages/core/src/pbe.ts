// Password-based encryption: PBES2 (RFC 8018 §6.2) with PBKDF2 and AES-CBC or the GOST ciphers of RFC 9337 / R 50.1.112-2016, PKCS#12 PBE (RFC 7292 App. C), PBES1 (RFC 8018 §6.1), and EncryptedPrivateKeyInfo (RFC 5958 §3).

import { md5, sha1 } from '@noble/hashes/legacy.js';
import type { CHash } from '@noble/hashes/utils.js';
import { tripleDesCbcDecrypt } from './_des';
import {
  type Algorithm,
  checkIterations,
  checkSalt,
  decryptPbes2,
  encryptPbes2,
  needParams,
  OID_PBES2,
  readAlgorithm,
  unpad,
  utf8,
  type WorkBudget,
  wholeBlocks,
} from './_pbes2';
import { bmpPassword, pkcs12Kdf } from './_pkcs12-kdf';
import { rc2CbcDecrypt } from './_rc2';
import { type Der, decodeDer, der, TAG } from './asn1';
import { toDer } from './encoding';
import { UnsupportedAlgorithmError, UnsupportedFormatError, WrongPasswordError } from './errors';

export { OID_PBES2, OID_PBKDF2 } from './_pbes2';

// ---------------------------------------------------------------------------------------------
// Identifiers

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

/** PKCS#12 PBE (RFC 7292 App. C): key bytes, cipher, RC2 effective bits. */
const PKCS12_PBE: ReadonlyMap<string, { keyLen: number; cipher: 'des-ede3' | 'rc2' | 'rc4'; name: string }> = new Map([
  ['1.2.840.113549.1.12.1.1', { keyLen: 16, cipher: 'rc4', name: 'pbeWithSHAAnd128BitRC4' }],
  ['1.2.840.113549.1.12.1.2', { keyLen: 5, cipher: 'rc4', name: 'pbeWithSHAAnd40BitRC4' }],
  ['1.2.840.113549.1.12.1.3', { keyLen: 24, cipher: 'des-ede3', name: 'pbeWithSHAAnd3-KeyTripleDES-CBC' }],
  ['1.2.840.113549.1.12.1.4', { keyLen: 16, cipher: 'des-ede3', name: 'pbeWithSHAAnd2-KeyTripleDES-CBC' }],
  ['1.2.840.113549.1.12.1.5', { keyLen: 16, cipher: 'rc2', name: 'pbeWithSHAAnd128BitRC2-CBC' }],
  ['1.2.840.113549.1.12.1.6', { keyLen: 5, cipher: 'rc2', name: 'pbeWithSHAAnd40BitRC2-CBC' }],
]);

/** PBES1 (RFC 8018 §6.1, App. A.3): hash and cipher. */
const PBES1: ReadonlyMap<string, { hash: CHash | undefined; cipher: 'des' | 'rc2'; name: string }> = new Map([
  ['1.2.840.113549.1.5.1', { hash: undefined, cipher: 'des', name: 'pbeWithMD2AndDES-CBC' }],
  ['1.2.840.113549.1.5.4', { hash: undefined, cipher: 'rc2', name: 'pbeWithMD2AndRC2-CBC' }],
  ['1.2.840.113549.1.5.3', { hash: md5, cipher: 'des', name: 'pbeWithMD5AndDES-CBC' }],
  ['1.2.840.113549.1.5.6', { hash: md5, cipher: 'rc2', name: 'pbeWithMD5AndRC2-CBC' }],
  ['1.2.840.113549.1.5.10', { hash: sha1, cipher: 'des', name: 'pbeWithSHA1AndDES-CBC' }],
  ['1.2.840.113549.1.5.11', { hash: sha1, cipher: 'rc2', name: 'pbeWithSHA1AndRC2-CBC' }],
]);

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
  /** The cumulative iteration budget of a whole PFX read. @internal set by parsePkcs12. */
  budget?: WorkBudget;
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
  const pkcs12 = PKCS12_PBE.get(alg.oid);
  if (pkcs12) return decryptPkcs12Pbe(alg, pkcs12, data, password, options);
  const pbes1 = PBES1.get(alg.oid);
  if (pbes1) return decryptPbes1(alg, pbes1, data, password, options);
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
  spec: { keyLen: number; cipher: 'des-ede3' | 'rc2' | 'rc4'; name: string },
  data: Uint8Array,
  password: string,
  options: PbeDecryptOptions,
): Promise<Uint8Array> {
  if (spec.cipher === 'rc4') throw new UnsupportedAlgorithmError({ oid: alg.oid }, `${spec.name} is not supported`);
  const { salt, iterations } = readSaltIterations(alg, options);
  wholeBlocks(alg.node, data, 8);
  options.budget?.spend(2 * iterations, alg.node); // two derivations: the key and the IV
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
  spec: { hash: CHash | undefined; cipher: 'des' | 'rc2'; name: string },
  data: Uint8Array,
  password: string,
  options: PbeDecryptOptions,
): Promise<Uint8Array> {
  if (!spec.hash) throw new UnsupportedAlgorithmError({ oid: alg.oid }, `${spec.name} (MD2) is not supported`);
  const { salt, iterations } = readSaltIterations(alg, options);
  if (salt.length !== 8) throw alg.node.error('PBES1 salt must be 8 bytes');
  wholeBlocks(alg.node, data, 8);
  options.budget?.spend(iterations, alg.node);
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
  return encryptPbes2(data, password, options);
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
