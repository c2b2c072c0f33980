// PKCS#11 constants and the choice of a signing mechanism for a key, a scheme and an input
// (PKCS#11 v2.40 §2 and §6; TC26 vendor values and the table of tokens.md §3.2 and §6.1).
import { hexDecode } from '@eds/core/encoding';
import { MechanismNotSupportedError } from './errors';
import { digestOf } from './schemes';
import type { HashAlg, KeyAlgorithm, SignatureScheme, SignInput } from './types';

/** Object classes (v2.40 §4.2, CKO_*). */
export const CKO = { CERTIFICATE: 0x1, PUBLIC_KEY: 0x2, PRIVATE_KEY: 0x3 } as const;

/** Attribute types (v2.40 §4, CKA_*; CKA_GOSTR3410_PARAMS from §3.1 of tokens.md). */
export const CKA = {
  CLASS: 0x0,
  TOKEN: 0x1,
  PRIVATE: 0x2,
  LABEL: 0x3,
  VALUE: 0x11,
  CERTIFICATE_TYPE: 0x80,
  KEY_TYPE: 0x100,
  ID: 0x102,
  SIGN: 0x108,
  MODULUS: 0x120,
  EC_PARAMS: 0x180,
  ALWAYS_AUTHENTICATE: 0x202,
  GOSTR3410_PARAMS: 0x250,
  GOSTR3411_PARAMS: 0x251,
  /** JaCarta's attribute for 512-bit parameter sets (TC26 vendor range; tokens.md §3.2). */
  GOSTR3410_512PARAMS: 0xd4321004,
} as const;

/** Certificate types (v2.40 §4.6, CKC_*). */
export const CKC_X_509 = 0x0;

/**
 * Key types (v2.40 §4.8 and §2.3 of PKCS#11 3.0, CKK_*; `GOSTR3410_512` is the TC26 vendor
 * value 0xD4321003 of tokens.md §3.2).
 */
export const CKK = {
  RSA: 0x0,
  EC: 0x3,
  GOSTR3410: 0x30,
  EC_EDWARDS: 0x40,
  GOSTR3410_512: 0xd4321003,
} as const;

/** Mechanisms used for signing (v2.40 §2, CKM_*; TC26 vendor values of tokens.md §3.2). */
export const CKM = {
  RSA_PKCS: 0x1,
  SHA1_RSA_PKCS: 0x6,
  RSA_PKCS_PSS: 0xd,
  SHA1_RSA_PKCS_PSS: 0xe,
  SHA256_RSA_PKCS: 0x40,
  SHA384_RSA_PKCS: 0x41,
  SHA512_RSA_PKCS: 0x42,
  SHA256_RSA_PKCS_PSS: 0x43,
  SHA384_RSA_PKCS_PSS: 0x44,
  SHA512_RSA_PKCS_PSS: 0x45,
  SHA_1: 0x220,
  SHA256: 0x250,
  SHA384: 0x260,
  SHA512: 0x270,
  ECDSA: 0x1041,
  ECDSA_SHA1: 0x1042,
  ECDSA_SHA256: 0x1044,
  ECDSA_SHA384: 0x1045,
  ECDSA_SHA512: 0x1046,
  EDDSA: 0x1057,
  GOSTR3410: 0x1201,
  GOSTR3410_WITH_GOSTR3411: 0x1202,
  GOSTR3410_512: 0xd4321006,
  GOSTR3410_WITH_GOSTR3411_12_256: 0xd4321008,
  GOSTR3410_WITH_GOSTR3411_12_512: 0xd4321009,
  GOSTR3411_12_256: 0xd4321012,
  GOSTR3411_12_512: 0xd4321013,
} as const;

/** RSA-PSS mask generation functions (v2.40 §2.1.7, CKG_*). */
export const CKG = { MGF1_SHA1: 0x1, MGF1_SHA256: 0x2, MGF1_SHA384: 0x3, MGF1_SHA512: 0x4 } as const;

/** Flags (v2.40 §3, CKF_*): sessions, token info and PIN state. */
export const CKF = {
  RW_SESSION: 0x2,
  SERIAL_SESSION: 0x4,
  LOGIN_REQUIRED: 0x4,
  USER_PIN_INITIALIZED: 0x8,
  PROTECTED_AUTHENTICATION_PATH: 0x100,
  TOKEN_INITIALIZED: 0x400,
  USER_PIN_COUNT_LOW: 0x10000,
  USER_PIN_FINAL_TRY: 0x20000,
  USER_PIN_LOCKED: 0x40000,
  USER_PIN_TO_BE_CHANGED: 0x80000,
  DONT_BLOCK: 0x1,
} as const;

/** Session states of CK_SESSION_INFO (v2.40 §5.6 C_GetSessionInfo, CKS_*). */
export const CKS = {
  RO_PUBLIC_SESSION: 0,
  RO_USER_FUNCTIONS: 1,
  RW_PUBLIC_SESSION: 2,
  RW_USER_FUNCTIONS: 3,
  RW_SO_FUNCTIONS: 4,
} as const;

/** User types of C_Login (v2.40 §3.3, CKU_*). */
export const CKU = { SO: 0, USER: 1, CONTEXT_SPECIFIC: 2 } as const;

/** pkcs11js's tag of the CK_RSA_PKCS_PSS_PARAMS structure (`CK_PARAMS_RSA_PSS`). */
export const CK_PARAMS_RSA_PSS = 5;

/** CK_RSA_PKCS_PSS_PARAMS in the form pkcs11js takes (v2.40 §2.1.7). */
export interface RsaPssParameter {
  readonly type: typeof CK_PARAMS_RSA_PSS;
  readonly hashAlg: number;
  readonly mgf: number;
  readonly saltLen: number;
}

/** What {@link selectMechanism} needs to know. */
export interface MechanismQuery {
  /** CKA_KEY_TYPE of the private key, when read (checked against `keyAlgorithm`). */
  readonly keyType?: number | undefined;
  /** The key's algorithm, from its certificate (or from the key's attributes). */
  readonly keyAlgorithm: KeyAlgorithm;
  readonly scheme: SignatureScheme;
  readonly inputType: SignInput['type'];
  /** C_GetMechanismList of the token's slot. */
  readonly mechanisms: readonly number[];
}

/** How to sign: the mechanism for C_SignInit and the transforms around C_Sign. */
export interface MechanismPlan {
  readonly mechanism: number;
  readonly parameter?: RsaPssParameter | undefined;
  /** The hash the adapter computes in JS before signing, when the token cannot hash itself. */
  readonly hashedHere?: HashAlg | undefined;
  /** The bytes given to C_Sign for an input (DigestInfo for RSA PKCS#1, hashing in JS, …). */
  readonly prepare: (input: SignInput) => Uint8Array;
  /** The signature in the scheme's output form from C_Sign's output. */
  readonly finish: (signature: Uint8Array) => Uint8Array;
}

/** DER DigestInfo prefixes (RFC 8017 §9.2 note 1), to be followed by the digest. */
const DIGEST_INFO: Partial<Record<HashAlg, string>> = {
  'SHA-1': '3021300906052b0e03021a05000414',
  'SHA-256': '3031300d060960864801650304020105000420',
  'SHA-384': '3041300d060960864801650304020205000430',
  'SHA-512': '3051300d060960864801650304020305000440',
};

const SHA_MECHS: Partial<Record<HashAlg, { hash: number; mgf: number; pkcs1: number; pss: number; ecdsa: number }>> = {
  'SHA-1': {
    hash: CKM.SHA_1,
    mgf: CKG.MGF1_SHA1,
    pkcs1: CKM.SHA1_RSA_PKCS,
    pss: CKM.SHA1_RSA_PKCS_PSS,
    ecdsa: CKM.ECDSA_SHA1,
  },
  'SHA-256': {
    hash: CKM.SHA256,
    mgf: CKG.MGF1_SHA256,
    pkcs1: CKM.SHA256_RSA_PKCS,
    pss: CKM.SHA256_RSA_PKCS_PSS,
    ecdsa: CKM.ECDSA_SHA256,
  },
  'SHA-384': {
    hash: CKM.SHA384,
    mgf: CKG.MGF1_SHA384,
    pkcs1: CKM.SHA384_RSA_PKCS,
    pss: CKM.SHA384_RSA_PKCS_PSS,
    ecdsa: CKM.ECDSA_SHA384,
  },
  'SHA-512': {
    hash: CKM.SHA512,
    mgf: CKG.MGF1_SHA512,
    pkcs1: CKM.SHA512_RSA_PKCS,
    pss: CKM.SHA512_RSA_PKCS_PSS,
    ecdsa: CKM.ECDSA_SHA512,
  },
};

/** Key types a key of each kind may carry (CKK_GOSTR3410 is used for both GOST sizes by some tokens). */
const KEY_TYPES: Record<KeyAlgorithm['kind'], readonly number[]> = {
  RSA: [CKK.RSA],
  EC: [CKK.EC],
  EdDSA: [CKK.EC_EDWARDS],
  GOST2012: [CKK.GOSTR3410, CKK.GOSTR3410_512],
  other: [],
};

/** A raw or hash-and-sign pair for one key and scheme, before the mechanism list is consulted. */
interface Candidates {
  /** Mechanism over the digest (or over the data for EdDSA), with its input transform. */
  readonly raw?: { mechanism: number; wrap: (digest: Uint8Array) => Uint8Array } | undefined;
  /** Hash-and-sign mechanism over the data. */
  readonly hashing?: number | undefined;
  readonly hash?: HashAlg | undefined;
  readonly parameter?: RsaPssParameter | undefined;
  /** EdDSA: the raw mechanism signs the data itself and no digest input exists. */
  readonly pure?: boolean;
}

const identity = (b: Uint8Array): Uint8Array => b;

/**
 * Chooses the mechanism, its parameter and the input and output transforms for signing with a
 * key (tokens.md §6.1): RSA PKCS#1 v1.5 over a DigestInfo with CKM_RSA_PKCS or with
 * CKM_SHAx_RSA_PKCS, RSA-PSS with CK_RSA_PKCS_PSS_PARAMS, raw CKM_ECDSA (or CKM_ECDSA_SHAx when
 * listed), CKM_EDDSA over data, GOST R 34.10-2012 with CKM_GOSTR3410 / CKM_GOSTR3410_512 over a
 * Streebog digest or the TC26 hash-and-sign mechanisms 0xD4321008 / 0xD4321009. When a
 * hash-and-sign mechanism is not listed, data is hashed in JS and the raw mechanism is used.
 * Never a multi-part (C_SignUpdate) mechanism use. Pure.
 *
 * @throws {MechanismNotSupportedError} when the scheme does not fit the key, the key type does
 *   not fit the key algorithm, or the token lists no usable mechanism. `prepare` throws it when
 *   a digest input names another hash than the scheme or has the wrong length.
 * @example
 * ```ts
 * const plan = selectMechanism({ keyAlgorithm: { kind: 'EC', namedCurve: 'P-256' }, keyType: CKK.EC,
 *   scheme: { name: 'ECDSA', hash: 'SHA-256' }, inputType: 'digest', mechanisms: [CKM.ECDSA] });
 * plan.mechanism; // 0x1041
 * ```
 */
export function selectMechanism(query: MechanismQuery): MechanismPlan {
  const { keyAlgorithm, keyType, scheme } = query;
  if (keyAlgorithm.kind === 'other') throw unsupported(`no signing with ${keyAlgorithm.oid} keys`);
  if (keyType !== undefined && !KEY_TYPES[keyAlgorithm.kind]?.includes(keyType)) {
    throw unsupported(`key type 0x${keyType.toString(16)} does not fit a ${keyAlgorithm.kind} key`);
  }
  const c = candidates(scheme, keyAlgorithm);
  const listed = (m: number | undefined): m is number => m !== undefined && query.mechanisms.includes(m);
  if (c.pure) {
    if (query.inputType !== 'data') throw unsupported('EdDSA signs data, not a digest');
    if (!c.raw || !listed(c.raw.mechanism)) throw notListed(c.raw?.mechanism);
    return { mechanism: c.raw.mechanism, prepare: dataOf, finish: identity };
  }
  const hash = c.hash as HashAlg;
  if (query.inputType === 'data' && listed(c.hashing)) {
    return { mechanism: c.hashing, parameter: c.parameter, prepare: dataOf, finish: identity };
  }
  if (!c.raw || !listed(c.raw.mechanism)) throw notListed(c.raw?.mechanism ?? c.hashing);
  const wrap = c.raw.wrap;
  const prepare =
    query.inputType === 'data'
      ? (input: SignInput) => wrap(digestOf(hash).digest(dataOf(input)))
      : (input: SignInput) => wrap(digestInput(input, hash));
  return {
    mechanism: c.raw.mechanism,
    parameter: c.parameter,
    hashedHere: query.inputType === 'data' ? hash : undefined,
    prepare,
    finish: identity,
  };
}

function candidates(scheme: SignatureScheme, key: KeyAlgorithm): Candidates {
  switch (scheme.name) {
    case 'RSASSA-PKCS1-v1_5': {
      const sha = rsaHash(key, scheme.hash);
      const prefix = hexDecode(DIGEST_INFO[scheme.hash] as string);
      return {
        hash: scheme.hash,
        hashing: sha.pkcs1,
        raw: { mechanism: CKM.RSA_PKCS, wrap: (d) => concat(prefix, d) },
      };
    }
    case 'RSA-PSS': {
      const sha = rsaHash(key, scheme.hash);
      if (!Number.isSafeInteger(scheme.saltLength) || scheme.saltLength < 0) throw unsupported('bad PSS salt length');
      const parameter: RsaPssParameter = {
        type: CK_PARAMS_RSA_PSS,
        hashAlg: sha.hash,
        mgf: sha.mgf,
        saltLen: scheme.saltLength,
      };
      return { hash: scheme.hash, hashing: sha.pss, parameter, raw: { mechanism: CKM.RSA_PKCS_PSS, wrap: identity } };
    }
    case 'ECDSA': {
      const sha = SHA_MECHS[scheme.hash];
      if (key.kind !== 'EC' || !sha) throw mismatch(scheme, key);
      return { hash: scheme.hash, hashing: sha.ecdsa, raw: { mechanism: CKM.ECDSA, wrap: identity } };
    }
    case 'EdDSA':
      if (key.kind !== 'EdDSA') throw mismatch(scheme, key);
      return { pure: true, raw: { mechanism: CKM.EDDSA, wrap: identity } };
    case 'GOST3410':
      return gostCandidates(scheme, key);
    default:
      throw unsupported(`unknown scheme ${String((scheme as { name?: unknown }).name)}`);
  }
}

function gostCandidates(scheme: SignatureScheme & { name: 'GOST3410' }, key: KeyAlgorithm): Candidates {
  if (key.kind !== 'GOST2012') throw mismatch(scheme, key);
  if (key.bits === 256 && scheme.hash === 'STREEBOG-256') {
    const raw = { mechanism: CKM.GOSTR3410, wrap: identity };
    return { hash: scheme.hash, hashing: CKM.GOSTR3410_WITH_GOSTR3411_12_256, raw };
  }
  if (key.bits === 512 && scheme.hash === 'STREEBOG-512') {
    const raw = { mechanism: CKM.GOSTR3410_512, wrap: identity };
    return { hash: scheme.hash, hashing: CKM.GOSTR3410_WITH_GOSTR3411_12_512, raw };
  }
  throw mismatch(scheme, key);
}

function rsaHash(key: KeyAlgorithm, hash: HashAlg) {
  const sha = SHA_MECHS[hash];
  if (key.kind !== 'RSA' || !sha) throw unsupported(`RSA with ${hash} does not fit a ${key.kind} key`);
  return sha;
}

function dataOf(input: SignInput): Uint8Array {
  if (input.type !== 'data') throw unsupported('this mechanism signs data, got a digest');
  return input.data;
}

function digestInput(input: SignInput, hash: HashAlg): Uint8Array {
  if (input.type !== 'digest') throw unsupported('expected a digest input');
  if (input.hash !== hash) throw unsupported(`digest is ${input.hash}, the scheme signs ${hash}`);
  if (input.digest.length !== digestOf(hash).size) {
    throw unsupported(`a ${hash} digest is ${digestOf(hash).size} bytes, got ${input.digest.length}`);
  }
  return input.digest;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function unsupported(message: string): MechanismNotSupportedError {
  return new MechanismNotSupportedError({ message });
}

function mismatch(scheme: SignatureScheme, key: KeyAlgorithm): MechanismNotSupportedError {
  const hash = scheme.name === 'EdDSA' ? '' : ` ${scheme.hash}`;
  return unsupported(`scheme ${scheme.name}${hash} does not fit a ${key.kind} key`);
}

function notListed(mechanism: number | undefined): MechanismNotSupportedError {
  const m = mechanism === undefined ? 'none' : `0x${mechanism.toString(16)}`;
  return unsupported(`the token does not list the mechanism this key and scheme need (${m})`);
}

/**
 * Decodes a CK_ULONG attribute value (CKA_KEY_TYPE, CKA_CLASS, …): little-endian, 8 bytes on
 * 64-bit Unix and 4 bytes on Windows, so the width is taken from the length (tokens.md §2).
 *
 * @throws {RangeError} for a length other than 1 to 8 bytes.
 * @example
 * ```ts
 * decodeUlong(new Uint8Array([0x03, 0, 0, 0, 0, 0, 0, 0])); // 3 (CKK_EC)
 * ```
 */
export function decodeUlong(bytes: Uint8Array): number {
  if (bytes.length < 1 || bytes.length > 8) throw new RangeError(`CK_ULONG of ${bytes.length} bytes`);
  let value = 0;
  for (let i = bytes.length - 1; i >= 0; i--) value = value * 256 + (bytes[i] as number);
  return value;
}

/**
 * Decodes a CK_BBOOL attribute value (CKA_SIGN, CKA_ALWAYS_AUTHENTICATE): one byte, non-zero is
 * true (v2.40 §3.1).
 *
 * @example
 * ```ts
 * decodeBool(new Uint8Array([1])); // true
 * ```
 */
export function decodeBool(bytes: Uint8Array): boolean {
  return bytes.some((b) => b !== 0);
}
