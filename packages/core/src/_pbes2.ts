// Internal: PBES2 (RFC 8018 §6.2) with PBKDF2 (§5.2) and its ciphers (AES-CBC, DES/3DES-CBC, RC2-CBC, GOST 28147-89 CFB, Kuznyechik/Magma CTR-ACPKM of RFC 9337), plus the parameter readers the legacy PBEs share.

import { getGost28147Sbox, gost28147CfbDecrypt, gost28147CfbEncrypt } from '@eds/gost/gost28147';
import { gost341194 } from '@eds/gost/gost341194';
import { kuznyechik } from '@eds/gost/kuznyechik';
import { magma } from '@eds/gost/magma';
import { ctrAcpkm } from '@eds/gost/modes';
import { streebog256, streebog512 } from '@eds/gost/streebog';
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import type { CHash } from '@noble/hashes/utils.js';
import { tripleDesCbcDecrypt, tripleDesCbcEncrypt } from './_des';
import { rc2CbcDecrypt } from './_rc2';
import { type Der, der, TAG } from './asn1';
import { DecodeError, UnsupportedAlgorithmError, WrongPasswordError } from './errors';
import type { PbeDecryptOptions, PbeEncryptOptions, PbePrf, PbeScheme } from './pbe';

/** id-PBES2 (RFC 8018 App. A.4). */
export const OID_PBES2 = '1.2.840.113549.1.5.13';
/** id-PBKDF2 (RFC 8018 App. A.2). */
export const OID_PBKDF2 = '1.2.840.113549.1.5.12';

interface Prf {
  oid: string;
  hash: CHash;
  /** The WebCrypto name when WebCrypto's PBKDF2 can run it. */
  subtle?: string;
}

export const PRFS: Record<PbePrf, Prf> = {
  sha1: { oid: '1.2.840.113549.2.7', hash: sha1, subtle: 'SHA-1' },
  sha224: { oid: '1.2.840.113549.2.8', hash: sha224 },
  sha256: { oid: '1.2.840.113549.2.9', hash: sha256, subtle: 'SHA-256' },
  sha384: { oid: '1.2.840.113549.2.10', hash: sha384, subtle: 'SHA-384' },
  sha512: { oid: '1.2.840.113549.2.11', hash: sha512, subtle: 'SHA-512' },
  streebog256: { oid: '1.2.643.7.1.1.4.1', hash: streebog256 },
  streebog512: { oid: '1.2.643.7.1.1.4.2', hash: streebog512 },
  'gostr3411-94': { oid: '1.2.643.2.2.10', hash: gost341194 },
};

export const PRF_BY_OID = new Map(Object.entries(PRFS).map(([name, p]) => [p.oid, name as PbePrf]));

/** The PRF of a name given by a caller; own properties only, so `constructor` is no PRF. */
export function prfOf(name: string): Prf | undefined {
  return typeof name === 'string' && Object.hasOwn(PRFS, name) ? PRFS[name as PbePrf] : undefined;
}

/** AES-CBC OIDs (NIST CSOR) and their key lengths. */
const AES_OIDS: ReadonlyMap<string, number> = new Map([
  ['2.16.840.1.101.3.4.1.2', 16],
  ['2.16.840.1.101.3.4.1.22', 24],
  ['2.16.840.1.101.3.4.1.42', 32],
]);
const OID_DES_EDE3_CBC = '1.2.840.113549.3.7';
const OID_DES_CBC = '1.3.14.3.2.7';
const OID_RC2_CBC = '1.2.840.113549.3.2';
const OID_GOST28147 = '1.2.643.2.2.21';
const OID_KUZNYECHIK_CTR_ACPKM = '1.2.643.7.1.1.5.2.1';
const OID_MAGMA_CTR_ACPKM = '1.2.643.7.1.1.5.1.1';
const OID_TC26_PARAM_Z = '1.2.643.7.1.2.5.1.1';

/** Default limit on PBKDF2, PKCS#12 KDF and PBES1 iterations: more is refused as a denial of service. */
export const DEFAULT_MAX_ITERATIONS = 10_000_000;
const MAX_SALT = 1024;
export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
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

export interface Algorithm {
  oid: string;
  params: Der | undefined;
  node: Der;
}

export function readAlgorithm(node: Der): Algorithm {
  const r = node.read();
  const oid = r.next(TAG.OID, 'algorithm').oid();
  const params = r.more ? r.next(undefined, 'parameters') : undefined;
  r.end();
  return { oid, params, node };
}

export function needParams(alg: Algorithm): Der {
  if (!alg.params || alg.params.tag === TAG.NULL) throw alg.node.error(`${alg.oid} needs parameters`);
  return alg.params;
}

/** The iteration count, refused below 1 or above `maxIterations` (a denial-of-service limit); shared with the PFX MAC. */
export function checkIterations(node: Der, n: number, options: { maxIterations?: number }): number {
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

/**
 * A cumulative limit on key-derivation iterations over one operation (one `parsePkcs12` call):
 * each derivation is charged its iteration count before it runs. @internal
 */
export interface WorkBudget {
  /** @throws DecodeError `ERR_DECODE_TOO_LARGE` when `iterations` more would exceed the budget. */
  spend(iterations: number, node: Der): void;
}

/** A {@link WorkBudget} of `max` iterations in all; `option` names the option in the error message. */
export function workBudget(max: number, option = 'maxTotalIterations'): WorkBudget {
  let spent = 0;
  return {
    spend(iterations, node) {
      spent += iterations;
      if (spent <= max) return;
      throw new DecodeError(
        'ERR_DECODE_TOO_LARGE',
        `${node.path}: the key derivations need more than ${max} iterations in all (${option})`,
        { offset: node.offset, path: node.path },
      );
    },
  };
}

export function checkSalt(node: Der): Uint8Array {
  const salt = node.octets();
  if (salt.length > MAX_SALT) throw node.error(`salt of ${salt.length} bytes is longer than ${MAX_SALT}`);
  return salt;
}

/** Removes PKCS#7 / RFC 8018 §6.1.1 padding; a wrong key shows up here. */
export function unpad(data: Uint8Array, block: number): Uint8Array {
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

export function wholeBlocks(node: Der, data: Uint8Array, block: number): void {
  if (data.length === 0 || data.length % block)
    throw node.error(`ciphertext of ${data.length} bytes is not whole ${block}-byte blocks`);
}

// ---------------------------------------------------------------------------------------------
// PBKDF2

/**
 * PBKDF2 (RFC 8018 §5.2) with the named PRF, WebCrypto when it has the hash, otherwise in JS.
 * An aborted `signal` rejects with its reason: before the start, between slices of the
 * JavaScript derivation, and (without waiting for it) during a WebCrypto one.
 */
export async function pbkdf2(
  prf: PbePrf,
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  dkLen: number,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  signal?.throwIfAborted();
  const p = prfOf(prf);
  if (!p) throw new RangeError(`unknown PRF ${String(prf)}`);
  const s = globalThis.crypto?.subtle;
  if (p.subtle && s && password.length > 0) {
    let bits: ArrayBuffer | undefined;
    try {
      const key = await s.importKey('raw', ab(password), 'PBKDF2', false, ['deriveBits']);
      const params = { name: 'PBKDF2', hash: p.subtle, salt: ab(salt), iterations };
      bits = await abortable(s.deriveBits(params, key, dkLen * 8), signal);
    } catch {
      signal?.throwIfAborted();
      // Otherwise fall through to the JS implementation (some runtimes refuse some parameters).
    }
    if (bits) return new Uint8Array(bits);
  }
  return pbkdf2Js(p.hash, password, salt, iterations, dkLen, signal);
}

/** `promise`, or a rejection with the signal's reason as soon as it aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Milliseconds of derivation between two yields to the event loop (where `signal` is looked at). */
const SLICE_MS = 20;

/**
 * Yields through the timer queue. Not `scheduler.yield()`: its continuation goes before queued
 * timers in Chromium, so a `setTimeout(() => controller.abort())` would never get to run.
 */
function yieldToHost(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * PBKDF2 (RFC 8018 §5.2) with HMAC over a @noble/hashes-style hash (SHA-*, Streebog, GOST R
 * 34.11-94): F(P, S, c, i) = U1 ^ … ^ Uc, U1 = PRF(P, S ‖ INT(i)), Uj = PRF(P, Uj-1). Yields every
 * {@link SLICE_MS} ms and rejects with the signal's reason once it is aborted. Variable-time as
 * the hashes are (table-based Streebog and GOST R 34.11-94).
 */
async function pbkdf2Js(
  hash: CHash,
  password: Uint8Array,
  salt: Uint8Array,
  c: number,
  dkLen: number,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const { iHash, oHash } = hmac.create(hash, password);
  const hLen = hash.outputLen;
  const dk = new Uint8Array(dkLen);
  const u = new Uint8Array(hLen);
  const counter = new Uint8Array(4);
  const work = oHash._cloneInto();
  let since = Date.now();
  try {
    for (let i = 1, pos = 0; pos < dkLen; i++, pos += hLen) {
      new DataView(counter.buffer).setUint32(0, i);
      iHash._cloneInto(work).update(salt).update(counter).digestInto(u);
      oHash._cloneInto(work).update(u).digestInto(u);
      const t = dk.subarray(pos, pos + hLen);
      t.set(u.subarray(0, t.length));
      for (let j = 1; j < c; j++) {
        iHash._cloneInto(work).update(u).digestInto(u);
        oHash._cloneInto(work).update(u).digestInto(u);
        for (let k = 0; k < t.length; k++) t[k] = (t[k] as number) ^ (u[k] as number);
        if ((j & 0x3f) === 0 && Date.now() - since >= SLICE_MS) {
          await yieldToHost();
          signal?.throwIfAborted();
          since = Date.now();
        }
      }
    }
    return dk;
  } catch (e) {
    dk.fill(0);
    throw e;
  } finally {
    for (const h of [iHash, oHash, work]) h.destroy();
    u.fill(0);
  }
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
  const aesLen = AES_OIDS.get(alg.oid);
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
    const known = new Map([
      [160, 40],
      [120, 64],
      [58, 128],
    ]);
    bits = v === undefined ? 32 : (known.get(v) ?? v);
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

/**
 * PBES2-params (RFC 8018 App. A.4):
 * ```asn1
 * PBES2-params ::= SEQUENCE { keyDerivationFunc AlgorithmIdentifier {{PBES2-KDFs}},
 *                             encryptionScheme AlgorithmIdentifier {{PBES2-Encs}} }
 * ```
 */
export async function decryptPbes2(
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
  options.budget?.spend(kdf.iterations, alg.node);
  const pw = utf8(password);
  const key = await pbkdf2(kdf.prf, pw, kdf.salt, kdf.iterations, cipher.keyLen, options.signal);
  try {
    return await cipher.decrypt(key, data);
  } finally {
    key.fill(0);
    pw.fill(0);
  }
}

interface Encryptor {
  keyLen: number;
  oid: string;
  params: Uint8Array;
  encrypt(key: Uint8Array, data: Uint8Array): Promise<Uint8Array>;
}

/** The S-box an encryption option names (default param Z); an unknown one is a RangeError, as other bad options. */
function sboxOption(name: string | undefined) {
  try {
    return getGost28147Sbox(name ?? OID_TC26_PARAM_Z);
  } catch (cause) {
    throw new RangeError(`unknown GOST 28147-89 S-box ${JSON.stringify(name)}`, { cause });
  }
}

function makeEncryptor(scheme: PbeScheme, options: PbeEncryptOptions, random: (n: number) => Uint8Array): Encryptor {
  switch (scheme) {
    case 'aes-128-cbc':
    case 'aes-192-cbc':
    case 'aes-256-cbc': {
      const keyLen = Number(scheme.slice(4, 7)) / 8;
      const oid = [...AES_OIDS].find(([, len]) => len === keyLen)?.[0] as string;
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
      const sbox = sboxOption(options.sbox);
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

/** PBES2 encryption as `encryptPbe` documents it: returns the AlgorithmIdentifier (DER) and the ciphertext. */
export async function encryptPbes2(
  data: Uint8Array,
  password: string,
  options: PbeEncryptOptions = {},
): Promise<{ algorithm: Uint8Array; ciphertext: Uint8Array }> {
  const scheme = options.scheme ?? 'aes-256-cbc';
  const gost = scheme.startsWith('gost') || scheme.includes('acpkm');
  const prf = options.prf ?? (gost ? 'streebog512' : 'sha256');
  const prfSpec = prfOf(prf);
  if (!prfSpec) throw new RangeError(`unknown PRF ${String(prf)}`);
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
    const prfAlg = der.seq(der.oid(prfSpec.oid), der.null());
    const kdf = der.seq(der.oid(OID_PBKDF2), der.seq(der.octets(salt), der.int(iterations), prfAlg));
    const algorithm = der.seq(der.oid(OID_PBES2), der.seq(kdf, der.seq(der.oid(oid), params)));
    return { algorithm, ciphertext };
  } finally {
    key.fill(0);
  }
}
