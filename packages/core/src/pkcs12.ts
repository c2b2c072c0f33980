// PKCS#12 / PFX files (RFC 7292) in three dialects: standard, GOST TC26 (R 50.1.112-2016, RFC 9548) and legacy CryptoPro GOST 2001; reading and writing with password integrity and privacy.

import { sha1 } from '@noble/hashes/legacy.js';
import { DEFAULT_MAX_ITERATIONS, workBudget } from './_pbes2';
import { makeMac, verifyMac } from './_pkcs12-mac';
import { type Der, decodeDer, der, TAG } from './asn1';
import { toDer } from './encoding';
import { UnsupportedFormatError, WrongPasswordError } from './errors';
import {
  cryptoProKeyBagError,
  decryptPbe,
  encryptPbe,
  looksLikePrivateKeyInfo,
  OID_CRYPTOPRO_PFX_KEY,
  OID_PBES2,
  type PbeDecryptOptions,
} from './pbe';

// ---------------------------------------------------------------------------------------------
// Identifiers (RFC 7292 App. D; RFC 5652 §4–8; RFC 2985 §5.5)

const OID_DATA = '1.2.840.113549.1.7.1';
const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_ENVELOPED_DATA = '1.2.840.113549.1.7.3';
const OID_ENCRYPTED_DATA = '1.2.840.113549.1.7.6';
const BAG = {
  key: '1.2.840.113549.1.12.10.1.1',
  shroudedKey: '1.2.840.113549.1.12.10.1.2',
  cert: '1.2.840.113549.1.12.10.1.3',
  crl: '1.2.840.113549.1.12.10.1.4',
  secret: '1.2.840.113549.1.12.10.1.5',
  safeContents: '1.2.840.113549.1.12.10.1.6',
} as const;
const OID_X509_CERTIFICATE = '1.2.840.113549.1.9.22.1';
const OID_FRIENDLY_NAME = '1.2.840.113549.1.9.20';
const OID_LOCAL_KEY_ID = '1.2.840.113549.1.9.21';

// ---------------------------------------------------------------------------------------------
// Public types

/** The PFX flavours this module tells apart (see gost.md §4). */
export type Pkcs12Dialect = 'standard' | 'gost-tc26' | 'cryptopro-2001';

/** What {@link parsePkcs12} found. PKCS#8 and certificate bytes are copies, left as stored. */
export interface Pkcs12Contents {
  /** Private keys as PKCS#8 PrivateKeyInfo DER (GOST masked forms untouched; parse with the keys module). */
  keys: { pkcs8: Uint8Array; localKeyId?: Uint8Array; friendlyName?: string }[];
  /** X.509 certificates (DER) from the certBags. */
  certificates: { der: Uint8Array; localKeyId?: Uint8Array; friendlyName?: string }[];
  dialect: Pkcs12Dialect;
  /** The integrity MAC that was verified, or undefined when the file has none. */
  mac: { algorithm: string; iterations: number } | undefined;
}

/** Options of {@link parsePkcs12}. */
export interface ParsePkcs12Options {
  /** Largest input in bytes (default 16 MiB). */
  maxSize?: number;
  /** Largest iteration count of the MAC or any PBE (default 10,000,000); more is a DecodeError `ERR_DECODE_TOO_LARGE`. */
  maxIterations?: number;
  /**
   * Largest sum of the iteration counts of all key derivations one call runs (default
   * 20,000,000): every MAC key rule tried (up to three, before anything is authenticated) and
   * every encrypted bag (the legacy PKCS#12 PBEs count twice, for the key and the IV). A file
   * that needs more is refused with DecodeError `ERR_DECODE_TOO_LARGE` before the derivation that
   * would exceed it runs, so a hostile file of many bags cannot keep a thread busy for minutes.
   */
  maxTotalIterations?: number;
  /**
   * Refuse a file without integrity MAC (UnsupportedFormatError `pfx-without-mac`). Default
   * false, as OpenSSL: such files exist (`openssl pkcs12 -nomac`, some exporters) and are read,
   * with `mac: undefined` in the result. Without a MAC nothing authenticates the contents: whoever
   * can replace the file can put in a key and certificates of their own (a plain keyBag needs no
   * password), so set this when the file comes from somewhere you do not control.
   */
  requireMac?: boolean;
  /** Aborts key derivation. */
  signal?: AbortSignal;
}

/** Options of {@link createPkcs12}. */
export interface CreatePkcs12Options {
  /** The private key, or undefined for a certificates-only file. */
  key: { pkcs8: Uint8Array } | undefined;
  /** DER certificates; the first one is the key's own (it gets the key's localKeyId). */
  certificates: Uint8Array[];
  password: string;
  /**
   * `standard`: PBES2 / PBKDF2-HMAC-SHA-256 / AES-256-CBC, HMAC-SHA-256 MAC (OpenSSL 3 defaults).
   * `gost-tc26`: PBES2 / PBKDF2-HMAC-Streebog-512 / GOST 28147-89 CFB param Z, HMAC-Streebog-512
   * MAC with the TC26 key rule (R 50.1.112-2016).
   */
  dialect: 'standard' | 'gost-tc26';
  /** gost-tc26 only: the bag cipher (default `gost28147-cfb`; the others are RFC 9548's). */
  encryption?: 'gost28147-cfb' | 'kuznyechik-ctr-acpkm' | 'magma-ctr-acpkm';
  /** friendlyName of the key and its certificate. */
  friendlyName?: string;
  /** Iterations of every KDF: default 2048 (standard, as OpenSSL 3) or 2000 (gost-tc26, as the R 50.1.112-2016 example). */
  iterations?: number;
  /** Random bytes for salts and IVs (default `crypto.getRandomValues`). */
  random?: (length: number) => Uint8Array;
  signal?: AbortSignal;
}

const DEFAULT_MAX_SIZE = 16 * 1024 * 1024;
/** Default {@link ParsePkcs12Options.maxTotalIterations}: two derivations at the largest count allowed. */
const DEFAULT_MAX_TOTAL_ITERATIONS = 20_000_000;
const MAX_BAGS = 10_000;
const MAX_NESTING = 4;

// ---------------------------------------------------------------------------------------------
// Reading

interface ParseState {
  password: string;
  options: ParsePkcs12Options;
  pbe: PbeDecryptOptions;
  out: Pkcs12Contents;
  bags: number;
  /** What the bag algorithms say about the dialect. */
  gost94: boolean;
  tc26: boolean;
}

/**
 * Reads a PFX (RFC 7292 §4; DER, Base64 or PEM text) with its password: verifies the MAC, decrypts
 * the bags and returns the keys (PKCS#8 DER as stored) and certificates. Reads the standard
 * dialect (PBES2 / PBKDF2 / AES, legacy SHA-1 3DES and RC2, SHA-1/SHA-2 MAC, RFC 9579 PBMAC1),
 * GOST TC26 (R 50.1.112-2016 / RFC 9548: PBKDF2-HMAC-Streebog-512, GOST 28147-89 CFB or
 * Kuznyechik/Magma CTR-ACPKM, MAC key = last 32 bytes of PBKDF2(password, salt, c, 96)) and the
 * legacy CryptoPro GOST 2001 dialect (MAC by the PKCS#12 KDF over GOST R 34.11-94).
 * ```asn1
 * PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo, macData MacData OPTIONAL }
 * MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }
 * AuthenticatedSafe ::= SEQUENCE OF ContentInfo -- data or encryptedData
 * SafeBag ::= SEQUENCE { bagId OBJECT IDENTIFIER, bagValue [0] EXPLICIT ANY, bagAttributes SET OF PKCS12Attribute OPTIONAL }
 * CertBag ::= SEQUENCE { certId OBJECT IDENTIFIER, certValue [0] EXPLICIT OCTET STRING }
 * ```
 * Only strict DER is read (BER files with indefinite lengths are refused with a DecodeError).
 *
 * Work is bounded: `maxIterations` per derivation, `maxTotalIterations` for all of them,
 * 10,000 bags, 16 MiB (`maxSize`). A file without MAC is read unless `requireMac` is set (see
 * there why you may want it) and reports `mac: undefined`.
 *
 * @throws WrongPasswordError when the MAC does not verify or, without a MAC, decryption fails.
 * @throws DecodeError for a malformed file (with the path of the fault), an iteration count
 *   above `maxIterations` or a total above `maxTotalIterations` (`ERR_DECODE_TOO_LARGE`).
 * @throws UnsupportedAlgorithmError for an unknown MAC or cipher; UnsupportedFormatError for
 *   CryptoPro's proprietary key bag (1.2.840.113549.1.12.1.80), public-key integrity or privacy,
 *   or a file without MAC under `requireMac` (`pfx-without-mac`).
 * @example
 * ```ts
 * const { keys, certificates, dialect } = await parsePkcs12(fileBytes, 'Пароль для PFX');
 * ```
 */
export async function parsePkcs12(
  input: Uint8Array | string,
  password: string,
  options: ParsePkcs12Options = {},
): Promise<Pkcs12Contents> {
  if (typeof password !== 'string') throw new TypeError('parsePkcs12: the password must be a string');
  const maxSize = options.maxSize ?? DEFAULT_MAX_SIZE;
  const bytes = toDer(input, { maxBytes: maxSize });
  const r = decodeDer(bytes, 'PFX', { maxSize }).read();
  const versionNode = r.next(TAG.INTEGER, 'version');
  if (versionNode.smallInt() !== 3) throw versionNode.error('PFX version is not 3');
  const authSafe = readAuthSafe(r.next(TAG.SEQUENCE, 'authSafe'));
  const macNode = r.optional(TAG.SEQUENCE, 'macData');
  r.end();
  if (!macNode && options.requireMac) {
    throw new UnsupportedFormatError(
      'pfx-without-mac',
      'this PFX has no integrity MAC, so nothing authenticates its contents, and requireMac is set',
    );
  }
  const budget = workBudget(options.maxTotalIterations ?? DEFAULT_MAX_TOTAL_ITERATIONS);
  const state: ParseState = {
    password,
    options,
    pbe: { maxIterations: options.maxIterations ?? DEFAULT_MAX_ITERATIONS, signal: options.signal, budget },
    out: { keys: [], certificates: [], dialect: 'standard', mac: undefined },
    bags: 0,
    gost94: false,
    tc26: false,
  };
  let macDialect: Pkcs12Dialect | undefined;
  if (macNode) {
    const verified = await verifyMac(macNode, authSafe.value, password, options, budget);
    state.out.mac = { algorithm: verified.algorithm, iterations: verified.iterations };
    state.pbe.absentPassword = verified.absentPassword;
    macDialect = verified.dialect;
  }
  await readAuthenticatedSafe(authSafe, state, macNode !== undefined);
  state.out.dialect = macDialect ?? (state.gost94 ? 'cryptopro-2001' : state.tc26 ? 'gost-tc26' : 'standard');
  if (macDialect === 'standard' && (state.gost94 || state.tc26))
    state.out.dialect = state.gost94 ? 'cryptopro-2001' : 'gost-tc26';
  return state.out;
}

/** The authSafe ContentInfo: must be `data` (password integrity); its OCTET STRING holds the AuthenticatedSafe. */
function readAuthSafe(node: Der): Der {
  const r = node.read();
  const type = r.next(TAG.OID, 'contentType').oid();
  if (type === OID_SIGNED_DATA) {
    throw new UnsupportedFormatError(
      'pfx-public-key-integrity',
      'this PFX uses public-key integrity mode (authSafe is signedData), which is not supported',
    );
  }
  if (type !== OID_DATA) throw node.error(`authSafe content type ${type} is not data`);
  const content = r.next(undefined, 'content').explicit(0).expect(TAG.OCTET_STRING);
  r.end();
  return content;
}

async function readAuthenticatedSafe(authSafe: Der, state: ParseState, macVerified: boolean): Promise<void> {
  const list = authSafe.inner('AuthenticatedSafe').expect(TAG.SEQUENCE);
  for (const ci of list.iterate()) {
    const r = ci.read();
    const type = r.next(TAG.OID, 'contentType').oid();
    const content = r.more ? r.next(undefined, 'content').explicit(0) : undefined;
    r.end();
    if (type === OID_DATA) {
      if (!content) throw ci.error('data ContentInfo without content');
      await readSafeContents(content.expect(TAG.OCTET_STRING).inner('SafeContents'), state, 0, macVerified);
    } else if (type === OID_ENCRYPTED_DATA) {
      if (!content) throw ci.error('encryptedData ContentInfo without content');
      const plain = await decryptEncryptedData(content, state, macVerified);
      await readSafeContents(plain, state, 0, macVerified);
    } else if (type === OID_ENVELOPED_DATA) {
      throw new UnsupportedFormatError(
        'pfx-public-key-privacy',
        'this PFX uses public-key privacy mode (envelopedData), which is not supported',
      );
    } else throw ci.error(`ContentInfo type ${type} is not data or encryptedData`);
  }
}

/**
 * ```asn1
 * EncryptedData ::= SEQUENCE { version INTEGER, encryptedContentInfo EncryptedContentInfo, unprotectedAttrs [1] IMPLICIT ... OPTIONAL }
 * EncryptedContentInfo ::= SEQUENCE { contentType OID, contentEncryptionAlgorithm AlgorithmIdentifier, encryptedContent [0] IMPLICIT OCTET STRING OPTIONAL }
 * ```
 */
async function decryptEncryptedData(node: Der, state: ParseState, macVerified: boolean): Promise<Der> {
  const r = node.read();
  r.next(TAG.INTEGER, 'version');
  const eci = r.next(TAG.SEQUENCE, 'encryptedContentInfo').read();
  r.rest('unprotectedAttrs');
  eci.next(TAG.OID, 'contentType');
  const alg = eci.next(TAG.SEQUENCE, 'contentEncryptionAlgorithm');
  const contentNode = eci.more ? eci.next(undefined, 'encryptedContent') : undefined;
  eci.end();
  if (!contentNode) throw node.error('EncryptedData without encryptedContent');
  const ciphertext = implicitOctets(contentNode);
  noteAlgorithm(alg, state);
  const plain = await decryptBag(alg, ciphertext, state, macVerified);
  try {
    return decodeDer(plain, 'SafeContents').expect(TAG.SEQUENCE);
  } catch (cause) {
    throw wrongPassword(macVerified, 'the decrypted certificates are not DER', cause);
  }
}

/** [0] IMPLICIT OCTET STRING, primitive or (BER-style) constructed of OCTET STRINGs. */
function implicitOctets(node: Der): Uint8Array {
  if (node.tag === 0x80) return node.value;
  if (node.tag !== 0xa0) throw node.error('expected [0] IMPLICIT OCTET STRING');
  return der.concat(node.children().map((c) => c.octets()));
}

function wrongPassword(macVerified: boolean, what: string, cause?: unknown): WrongPasswordError {
  const why = macVerified
    ? `${what}: the privacy password differs from the integrity password`
    : `${what}: wrong password`;
  return new WrongPasswordError(why, { cause });
}

async function decryptBag(alg: Der, data: Uint8Array, state: ParseState, macVerified: boolean): Promise<Uint8Array> {
  try {
    return await decryptPbe(alg, data, state.password, state.pbe);
  } catch (e) {
    if (e instanceof WrongPasswordError) throw wrongPassword(macVerified, 'decryption failed', e);
    if (e instanceof Error && e.name === 'InvalidLengthError') throw alg.error(`bad cipher input: ${e.message}`);
    throw e;
  }
}

/** Remembers whether a bag algorithm is GOST (CryptoPro 2001 or TC26), to name the dialect. */
function noteAlgorithm(alg: Der, state: ParseState): void {
  try {
    const r = alg.read();
    if (r.next(TAG.OID, 'algorithm').oid() !== OID_PBES2) return;
    const p = r.next(TAG.SEQUENCE, 'parameters').read();
    const kdf = p.next(TAG.SEQUENCE, 'kdf').read();
    kdf.next(TAG.OID, 'oid');
    const prf = kdf
      .next(TAG.SEQUENCE, 'params')
      .children()
      .find((c) => c.tag === TAG.SEQUENCE);
    const prfOid = prf ? prf.read().next(TAG.OID, 'prf').oid() : '';
    const encOid = p.next(TAG.SEQUENCE, 'enc').read().next(TAG.OID, 'oid').oid();
    if (prfOid === '1.2.643.2.2.10') state.gost94 = true;
    else if (prfOid.startsWith('1.2.643.') || encOid.startsWith('1.2.643.')) state.tc26 = true;
  } catch {
    // The decryption that follows reports malformed parameters.
  }
}

async function readSafeContents(list: Der, state: ParseState, depth: number, macVerified: boolean): Promise<void> {
  list.expect(TAG.SEQUENCE);
  for (const bag of list.iterate()) {
    if (++state.bags > MAX_BAGS) throw bag.error(`more than ${MAX_BAGS} bags`);
    const r = bag.read();
    const bagId = r.next(TAG.OID, 'bagId').oid();
    const value = r.next(undefined, 'bagValue').explicit(0);
    const attrs = r.optional(TAG.SET, 'bagAttributes');
    r.end();
    const meta = attrs ? readAttributes(attrs) : {};
    if (bagId === BAG.key) {
      value.expect(TAG.SEQUENCE);
      state.out.keys.push({ pkcs8: value.bytes.slice(), ...meta });
    } else if (bagId === BAG.shroudedKey) {
      state.out.keys.push({ pkcs8: await readShroudedKey(value, state, macVerified), ...meta });
    } else if (bagId === BAG.cert) {
      const cert = readCertBag(value);
      if (cert) state.out.certificates.push({ der: cert, ...meta });
    } else if (bagId === BAG.safeContents) {
      if (depth >= MAX_NESTING) throw bag.error(`safeContentsBag nested deeper than ${MAX_NESTING}`);
      await readSafeContents(value, state, depth + 1, macVerified);
    }
    // crlBag, secretBag and unknown bags are skipped.
  }
}

async function readShroudedKey(value: Der, state: ParseState, macVerified: boolean): Promise<Uint8Array> {
  const r = value.read();
  const alg = r.next(TAG.SEQUENCE, 'encryptionAlgorithm');
  const data = r.next(TAG.OCTET_STRING, 'encryptedData').octets();
  r.end();
  const oid = alg.read().next(TAG.OID, 'algorithm').oid();
  if (oid === OID_CRYPTOPRO_PFX_KEY) throw cryptoProKeyBagError();
  noteAlgorithm(alg, state);
  const pkcs8 = await decryptBag(alg, data, state, macVerified);
  if (!looksLikePrivateKeyInfo(pkcs8)) throw wrongPassword(macVerified, 'the decrypted key is not a PrivateKeyInfo');
  return pkcs8.slice();
}

function readCertBag(value: Der): Uint8Array | undefined {
  const r = value.read();
  const certId = r.next(TAG.OID, 'certId').oid();
  const cert = r.next(undefined, 'certValue').explicit(0).expect(TAG.OCTET_STRING);
  r.end();
  if (certId !== OID_X509_CERTIFICATE) return undefined;
  cert.inner('certificate').expect(TAG.SEQUENCE);
  return cert.value.slice();
}

/** PKCS12Attribute ::= SEQUENCE { attrId OID, attrValues SET OF ANY }: friendlyName and localKeyId. */
function readAttributes(set: Der): { localKeyId?: Uint8Array; friendlyName?: string } {
  const out: { localKeyId?: Uint8Array; friendlyName?: string } = {};
  for (const attr of set.iterate()) {
    const r = attr.read();
    const type = r.next(TAG.OID, 'attrId').oid();
    const values = r.next(TAG.SET, 'attrValues').children();
    r.end();
    const first = values[0];
    if (!first) continue;
    if (type === OID_LOCAL_KEY_ID) out.localKeyId = first.octets().slice();
    else if (type === OID_FRIENDLY_NAME && first.isString) out.friendlyName = first.string();
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * Writes a PFX (RFC 7292) with password integrity and privacy: certificates in an encryptedData
 * SafeContents, the key in a pkcs8ShroudedKeyBag, both with PBES2, and a MacData. The key and the
 * first certificate share a localKeyId (SHA-1 of that certificate, as OpenSSL) and the
 * friendlyName. `standard` follows OpenSSL 3's defaults; `gost-tc26` R 50.1.112-2016 (opened by
 * OpenSSL with the GOST engine).
 *
 * @throws {RangeError} for bad options (no key and no certificates, a key that is not a PrivateKeyInfo).
 * @throws UnsupportedAlgorithmError when AES is needed and the runtime has no WebCrypto.
 * @example
 * ```ts
 * const pfx = await createPkcs12({ key: { pkcs8 }, certificates: [cert], password: 'secret', dialect: 'gost-tc26' });
 * ```
 */
export async function createPkcs12(options: CreatePkcs12Options): Promise<Uint8Array> {
  const { key, certificates, password, dialect } = options;
  if (typeof password !== 'string') throw new TypeError('createPkcs12: the password must be a string');
  if (dialect !== 'standard' && dialect !== 'gost-tc26')
    throw new RangeError(`createPkcs12: unknown dialect ${String(dialect)}`);
  if (!Array.isArray(certificates)) throw new TypeError('createPkcs12: certificates must be an array');
  if (!key && certificates.length === 0) throw new RangeError('createPkcs12: nothing to store');
  if (key && !looksLikePrivateKeyInfo(key.pkcs8))
    throw new RangeError('createPkcs12: key.pkcs8 is not a DER PrivateKeyInfo');
  const gost = dialect === 'gost-tc26';
  const iterations = options.iterations ?? (gost ? 2000 : 2048);
  if (!Number.isSafeInteger(iterations) || iterations < 1)
    throw new RangeError('createPkcs12: iterations must be an integer >= 1');
  const random = options.random ?? ((n: number) => globalThis.crypto.getRandomValues(new Uint8Array(n)));
  const pbe = {
    scheme: gost ? (options.encryption ?? 'gost28147-cfb') : 'aes-256-cbc',
    prf: gost ? 'streebog512' : 'sha256',
    iterations,
    random,
    signal: options.signal,
  } as const;
  const localKeyId = certificates[0] && key ? sha1(certificates[0]) : undefined;
  const contentInfos: Uint8Array[] = [];
  if (certificates.length) {
    const bags = certificates.map((c, i) =>
      certBag(c, i === 0 ? localKeyId : undefined, i === 0 ? options.friendlyName : undefined),
    );
    const { algorithm, ciphertext } = await encryptPbe(der.seq(...bags), password, pbe);
    const eci = der.seq(der.oid(OID_DATA), algorithm, der.tlv(0x80, ciphertext));
    contentInfos.push(der.seq(der.oid(OID_ENCRYPTED_DATA), der.explicit(0, der.seq(der.int(0), eci))));
  }
  if (key) {
    const { algorithm, ciphertext } = await encryptPbe(key.pkcs8, password, pbe);
    const bag = safeBag(BAG.shroudedKey, der.seq(algorithm, der.octets(ciphertext)), localKeyId, options.friendlyName);
    contentInfos.push(der.seq(der.oid(OID_DATA), der.explicit(0, der.octets(der.seq(bag)))));
  }
  const authSafe = der.seq(...contentInfos);
  const macData = await makeMac(authSafe, password, gost, iterations, random, options.signal);
  return der.seq(der.int(3), der.seq(der.oid(OID_DATA), der.explicit(0, der.octets(authSafe))), macData);
}

function safeBag(bagId: string, value: Uint8Array, localKeyId?: Uint8Array, friendlyName?: string): Uint8Array {
  const attrs: Uint8Array[] = [];
  if (friendlyName !== undefined) attrs.push(der.seq(der.oid(OID_FRIENDLY_NAME), der.setOf(der.bmp(friendlyName))));
  if (localKeyId) attrs.push(der.seq(der.oid(OID_LOCAL_KEY_ID), der.setOf(der.octets(localKeyId))));
  return der.seq(der.oid(bagId), der.explicit(0, value), ...(attrs.length ? [der.setOf(...attrs)] : []));
}

function certBag(cert: Uint8Array, localKeyId?: Uint8Array, friendlyName?: string): Uint8Array {
  if (!(cert instanceof Uint8Array)) throw new TypeError('createPkcs12: each certificate must be a Uint8Array (DER)');
  decodeDer(cert, 'certificate').expect(TAG.SEQUENCE);
  const value = der.seq(der.oid(OID_X509_CERTIFICATE), der.explicit(0, der.octets(cert)));
  return safeBag(BAG.cert, value, localKeyId, friendlyName);
}
