// A FAKE PKCS#11 module for tests only: the pkcs11js `PKCS11` class surface (PKCS#11 v2.40 §5) over
// in-memory tokens, for what SoftHSM2 cannot do (tokens.md §1.2, §4): GOST vendor mechanisms (§3.2),
// PIN counters and lock, removal, PIN pad, cancel, injected CK_RV failures. Never a real token.
import { decodeDer, der, TAG } from '@eds/core/asn1';
import { sha256, sha384, sha512 } from '@eds/core/digests';
import { createTestCa, type IssuedCertificate, type KeySpec, type TestCa } from '@eds/core/testing';
import type { PrivateKey } from '@eds/core/types';
import { parseCertificate } from '@eds/core/x509';
import { getCurve } from '@eds/gost/curves';
import { sign as gostSign } from '@eds/gost/gost3410';
import { streebog256, streebog512 } from '@eds/gost/streebog';

// ---------------------------------------------------------------------------------------------
// PKCS#11 constants (pkcs11t.h v2.40; TC26 vendor values from tokens.md §3.2)

/** CK_RV values by name, as pkcs11js names them in its error messages (pkcs11t.h). */
export const FAKE_CKR: Readonly<Record<string, number>> = Object.freeze({
  CKR_OK: 0x0,
  CKR_CANCEL: 0x1,
  CKR_HOST_MEMORY: 0x2,
  CKR_SLOT_ID_INVALID: 0x3,
  CKR_GENERAL_ERROR: 0x5,
  CKR_FUNCTION_FAILED: 0x6,
  CKR_ARGUMENTS_BAD: 0x7,
  CKR_NO_EVENT: 0x8,
  CKR_NEED_TO_CREATE_THREADS: 0x9,
  CKR_CANT_LOCK: 0xa,
  CKR_ATTRIBUTE_READ_ONLY: 0x10,
  CKR_ATTRIBUTE_SENSITIVE: 0x11,
  CKR_ATTRIBUTE_TYPE_INVALID: 0x12,
  CKR_ATTRIBUTE_VALUE_INVALID: 0x13,
  CKR_DATA_INVALID: 0x20,
  CKR_DATA_LEN_RANGE: 0x21,
  CKR_DEVICE_ERROR: 0x30,
  CKR_DEVICE_MEMORY: 0x31,
  CKR_DEVICE_REMOVED: 0x32,
  CKR_ENCRYPTED_DATA_INVALID: 0x40,
  CKR_ENCRYPTED_DATA_LEN_RANGE: 0x41,
  CKR_FUNCTION_CANCELED: 0x50,
  CKR_FUNCTION_NOT_PARALLEL: 0x51,
  CKR_FUNCTION_NOT_SUPPORTED: 0x54,
  CKR_KEY_HANDLE_INVALID: 0x60,
  CKR_KEY_SIZE_RANGE: 0x62,
  CKR_KEY_TYPE_INCONSISTENT: 0x63,
  CKR_KEY_NOT_NEEDED: 0x64,
  CKR_KEY_CHANGED: 0x65,
  CKR_KEY_NEEDED: 0x66,
  CKR_KEY_INDIGESTIBLE: 0x67,
  CKR_KEY_FUNCTION_NOT_PERMITTED: 0x68,
  CKR_KEY_NOT_WRAPPABLE: 0x69,
  CKR_KEY_UNEXTRACTABLE: 0x6a,
  CKR_MECHANISM_INVALID: 0x70,
  CKR_MECHANISM_PARAM_INVALID: 0x71,
  CKR_OBJECT_HANDLE_INVALID: 0x82,
  CKR_OPERATION_ACTIVE: 0x90,
  CKR_OPERATION_NOT_INITIALIZED: 0x91,
  CKR_PIN_INCORRECT: 0xa0,
  CKR_PIN_INVALID: 0xa1,
  CKR_PIN_LEN_RANGE: 0xa2,
  CKR_PIN_EXPIRED: 0xa3,
  CKR_PIN_LOCKED: 0xa4,
  CKR_SESSION_CLOSED: 0xb0,
  CKR_SESSION_COUNT: 0xb1,
  CKR_SESSION_HANDLE_INVALID: 0xb3,
  CKR_SESSION_PARALLEL_NOT_SUPPORTED: 0xb4,
  CKR_SESSION_READ_ONLY: 0xb5,
  CKR_SESSION_EXISTS: 0xb6,
  CKR_SESSION_READ_ONLY_EXISTS: 0xb7,
  CKR_SESSION_READ_WRITE_SO_EXISTS: 0xb8,
  CKR_SIGNATURE_INVALID: 0xc0,
  CKR_SIGNATURE_LEN_RANGE: 0xc1,
  CKR_TEMPLATE_INCOMPLETE: 0xd0,
  CKR_TEMPLATE_INCONSISTENT: 0xd1,
  CKR_TOKEN_NOT_PRESENT: 0xe0,
  CKR_TOKEN_NOT_RECOGNIZED: 0xe1,
  CKR_TOKEN_WRITE_PROTECTED: 0xe2,
  CKR_UNWRAPPING_KEY_HANDLE_INVALID: 0xf0,
  CKR_UNWRAPPING_KEY_SIZE_RANGE: 0xf1,
  CKR_UNWRAPPING_KEY_TYPE_INCONSISTENT: 0xf2,
  CKR_USER_ALREADY_LOGGED_IN: 0x100,
  CKR_USER_NOT_LOGGED_IN: 0x101,
  CKR_USER_PIN_NOT_INITIALIZED: 0x102,
  CKR_USER_TYPE_INVALID: 0x103,
  CKR_USER_ANOTHER_ALREADY_LOGGED_IN: 0x104,
  CKR_USER_TOO_MANY_TYPES: 0x105,
  CKR_WRAPPED_KEY_INVALID: 0x110,
  CKR_WRAPPED_KEY_LEN_RANGE: 0x112,
  CKR_WRAPPING_KEY_HANDLE_INVALID: 0x113,
  CKR_WRAPPING_KEY_SIZE_RANGE: 0x114,
  CKR_WRAPPING_KEY_TYPE_INCONSISTENT: 0x115,
  CKR_RANDOM_SEED_NOT_SUPPORTED: 0x120,
  CKR_RANDOM_NO_RNG: 0x121,
  CKR_DOMAIN_PARAMS_INVALID: 0x130,
  CKR_BUFFER_TOO_SMALL: 0x150,
  CKR_SAVED_STATE_INVALID: 0x160,
  CKR_INFORMATION_SENSITIVE: 0x170,
  CKR_STATE_UNSAVEABLE: 0x180,
  CKR_CRYPTOKI_NOT_INITIALIZED: 0x190,
  CKR_CRYPTOKI_ALREADY_INITIALIZED: 0x191,
  CKR_MUTEX_BAD: 0x1a0,
  CKR_MUTEX_NOT_LOCKED: 0x1a1,
  CKR_NEW_PIN_MODE: 0x1b0,
  CKR_NEXT_OTP: 0x1b1,
  CKR_EXCEEDED_MAX_ITERATIONS: 0x1b5,
  CKR_FIPS_SELF_TEST_FAILED: 0x1b6,
  CKR_LIBRARY_LOAD_FAILED: 0x1b7,
  CKR_PIN_TOO_WEAK: 0x1b8,
  CKR_PUBLIC_KEY_INVALID: 0x1b9,
  CKR_FUNCTION_REJECTED: 0x200,
});

const CKR_NAME = new Map(Object.entries(FAKE_CKR).map(([name, value]) => [value, name]));
const R = FAKE_CKR as Record<string, number>;
const rv = (name: string): number => R[`CKR_${name}`] as number;

/** Mechanisms the fake knows (v2.40 and TC26 vendor values, tokens.md §3.2, §6.1). */
export const FAKE_CKM = Object.freeze({
  RSA_PKCS: 0x1,
  SHA256_RSA_PKCS: 0x40,
  SHA384_RSA_PKCS: 0x41,
  SHA512_RSA_PKCS: 0x42,
  ECDSA: 0x1041,
  ECDSA_SHA256: 0x1044,
  ECDSA_SHA384: 0x1045,
  ECDSA_SHA512: 0x1046,
  GOSTR3410_KEY_PAIR_GEN: 0x1200,
  GOSTR3410: 0x1201,
  GOSTR3410_WITH_GOSTR3411: 0x1202,
  GOSTR3411: 0x1210,
  GOSTR3410_512_KEY_PAIR_GEN: 0xd4321005,
  GOSTR3410_512: 0xd4321006,
  GOSTR3410_WITH_GOSTR3411_12_256: 0xd4321008,
  GOSTR3410_WITH_GOSTR3411_12_512: 0xd4321009,
  GOSTR3411_12_256: 0xd4321012,
  GOSTR3411_12_512: 0xd4321013,
  SHA256: 0x250,
});

/** Attribute types the fake stores (v2.40 §4; CKA_GOSTR3410_512PARAMS is JaCarta's, tokens.md §3.2). */
export const FAKE_CKA = Object.freeze({
  CLASS: 0x0,
  TOKEN: 0x1,
  PRIVATE: 0x2,
  LABEL: 0x3,
  VALUE: 0x11,
  CERTIFICATE_TYPE: 0x80,
  ISSUER: 0x81,
  SERIAL_NUMBER: 0x82,
  KEY_TYPE: 0x100,
  SUBJECT: 0x101,
  ID: 0x102,
  SENSITIVE: 0x103,
  SIGN: 0x108,
  VERIFY: 0x10a,
  MODULUS: 0x120,
  MODULUS_BITS: 0x121,
  PUBLIC_EXPONENT: 0x122,
  EXTRACTABLE: 0x162,
  EC_PARAMS: 0x180,
  EC_POINT: 0x181,
  ALWAYS_AUTHENTICATE: 0x202,
  GOSTR3410_PARAMS: 0x250,
  GOSTR3411_PARAMS: 0x251,
  GOSTR3410_512PARAMS_JACARTA: 0xd4321004,
});

/** Key types (v2.40 §4.8; CKK_GOSTR3410_512 from tokens.md §3.2). */
export const FAKE_CKK = Object.freeze({ RSA: 0x0, EC: 0x3, GOSTR3410: 0x30, GOSTR3410_512: 0xd4321003 });

/** Token flags (v2.40 §3.2 CK_TOKEN_INFO). */
export const FAKE_CKF = Object.freeze({
  RNG: 0x1,
  LOGIN_REQUIRED: 0x4,
  USER_PIN_INITIALIZED: 0x8,
  PROTECTED_AUTHENTICATION_PATH: 0x100,
  TOKEN_INITIALIZED: 0x400,
  USER_PIN_COUNT_LOW: 0x10000,
  USER_PIN_FINAL_TRY: 0x20000,
  USER_PIN_LOCKED: 0x40000,
  USER_PIN_TO_BE_CHANGED: 0x80000,
  DONT_BLOCK: 0x1,
  RW_SESSION: 0x2,
  SERIAL_SESSION: 0x4,
});

const CKO = { CERTIFICATE: 1, PUBLIC_KEY: 2, PRIVATE_KEY: 3 } as const;
const CKU = { USER: 1, CONTEXT_SPECIFIC: 2 } as const;
const A = FAKE_CKA;
const M = FAKE_CKM;

// ---------------------------------------------------------------------------------------------
// Errors shaped like pkcs11js's Pkcs11Error

/**
 * A FAKE of pkcs11js's `Pkcs11Error`: `code` is the CK_RV, `method` the PKCS#11 function, `message`
 * the CKR name ("CKR_VENDOR_DEFINED" for values pkcs11js does not name).
 */
export class FakePkcs11Error extends Error {
  readonly code: number;
  readonly method: string;
  readonly nativeStack = '';
  constructor(code: number, method: string) {
    super(CKR_NAME.get(code) ?? 'CKR_VENDOR_DEFINED');
    this.name = 'Pkcs11Error';
    this.code = code;
    this.method = method;
  }
}

/** A FAKE of pkcs11js's `NativeError` (library load failures and the like). */
export class FakeNativeError extends Error {
  readonly method: string;
  readonly nativeStack = '';
  constructor(message: string, method: string) {
    super(message);
    this.name = 'NativeError';
    this.method = method;
  }
}

// ---------------------------------------------------------------------------------------------
// Byte helpers

const enc = new TextEncoder();
const hexOf = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const fromHex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g) ?? [], (x) => Number.parseInt(x, 16));
const bigOf = (b: Uint8Array): bigint => (b.length ? BigInt(`0x${hexOf(b)}`) : 0n);
const bytesOf = (n: bigint, len: number): Uint8Array => fromHex(n.toString(16).padStart(len * 2, '0'));
const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
const pad = (s: string, n: number) => s.padEnd(n, ' ').slice(0, n);

/** CK_ULONG as raw bytes, little-endian like Linux x64 (8 bytes) or Windows (4). */
function ulong(n: number, size: 4 | 8): Uint8Array {
  const out = new Uint8Array(size);
  new DataView(out.buffer).setUint32(0, n >>> 0, true);
  return out;
}

function readUlong(b: Uint8Array): number {
  if (b.length !== 4 && b.length !== 8) return -1;
  const v = new DataView(b.buffer, b.byteOffset, b.length);
  return b.length === 8 && v.getUint32(4, true) !== 0 ? -1 : v.getUint32(0, true);
}

function randomBig(max: bigint): bigint {
  const len = Math.ceil(max.toString(16).length / 2) + 8;
  return (bigOf(globalThis.crypto.getRandomValues(new Uint8Array(len))) % (max - 1n)) + 1n;
}

function powMod(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  let x = b % m;
  for (let k = e; k > 0n; k >>= 1n) {
    if (k & 1n) r = (r * x) % m;
    x = (x * x) % m;
  }
  return r;
}

function invMod(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [((a % m) + m) % m, m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return ((s0 % m) + m) % m;
}

// ---------------------------------------------------------------------------------------------
// The token's "chip": software signing, synchronous like a C_Sign call (FAKE, variable-time)

interface EcCurve {
  readonly p: bigint;
  readonly n: bigint;
  readonly g: readonly [bigint, bigint];
  readonly size: number;
}

/** NIST P-256 and P-384 (FIPS 186-5 / SP 800-186 §3.2.1), a = -3. */
const EC_CURVES: Record<string, EcCurve> = {
  '1.2.840.10045.3.1.7': {
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    g: [
      0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
      0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
    ],
    size: 32,
  },
  '1.3.132.0.34': {
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    g: [
      0xaa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7n,
      0x3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5fn,
    ],
    size: 48,
  },
};

type Point = readonly [bigint, bigint] | null;

function ecAdd(P: Point, Q: Point, c: EcCurve): Point {
  if (!P) return Q;
  if (!Q) return P;
  const { p } = c;
  if (P[0] === Q[0] && (P[1] + Q[1]) % p === 0n) return null;
  const l =
    P[0] === Q[0] && P[1] === Q[1]
      ? (((3n * P[0] * P[0] - 3n) % p) * invMod(2n * P[1], p)) % p
      : (((Q[1] - P[1]) % p) * invMod(Q[0] - P[0], p)) % p;
  const x = (((l * l - P[0] - Q[0]) % p) + p) % p;
  return [x, (((l * (P[0] - x) - P[1]) % p) + p) % p];
}

function ecMul(k: bigint, P: Point, c: EcCurve): Point {
  let r: Point = null;
  let a = P;
  for (let e = k; e > 0n; e >>= 1n) {
    if (e & 1n) r = ecAdd(r, a, c);
    a = ecAdd(a, a, c);
  }
  return r;
}

/** ECDSA over a digest (FIPS 186-5 §6.4.1), output r‖s (the CKM_ECDSA form, v2.40 §2.3.6). */
function ecdsaSign(c: EcCurve, d: bigint, digest: Uint8Array): Uint8Array {
  const nBits = c.n.toString(2).length;
  const e = bigOf(digest) >> BigInt(Math.max(0, digest.length * 8 - nBits));
  for (;;) {
    const k = randomBig(c.n);
    const R0 = ecMul(k, c.g, c);
    if (!R0) continue;
    const r = R0[0] % c.n;
    const s = (invMod(k, c.n) * (e + r * d)) % c.n;
    if (r !== 0n && s !== 0n) return new Uint8Array([...bytesOf(r, c.size), ...bytesOf(s, c.size)]);
  }
}

const DIGEST_INFO: Record<number, { prefix: string; hash: (d: Uint8Array) => Uint8Array }> = {
  [M.SHA256_RSA_PKCS]: { prefix: '3031300d060960864801650304020105000420', hash: (d) => sha256.digest(d) },
  [M.SHA384_RSA_PKCS]: { prefix: '3041300d060960864801650304020205000430', hash: (d) => sha384.digest(d) },
  [M.SHA512_RSA_PKCS]: { prefix: '3051300d060960864801650304020305000440', hash: (d) => sha512.digest(d) },
};

/** RSASSA-PKCS1-v1_5 signature primitive over T (RFC 8017 §8.2.1, §9.2 step 5). */
function rsaPkcs1(key: { n: bigint; d: bigint }, t: Uint8Array): Uint8Array {
  const k = Math.ceil(key.n.toString(16).length / 2);
  if (t.length > k - 11) throw new FakePkcs11Error(rv('DATA_LEN_RANGE'), 'C_Sign');
  const em = new Uint8Array(k).fill(0xff);
  em[0] = 0;
  em[1] = 1;
  em[k - t.length - 1] = 0;
  em.set(t, k - t.length);
  return bytesOf(powMod(bigOf(em), key.d, key.n), k);
}

type Chip =
  | { kind: 'rsa'; n: bigint; e: bigint; d: bigint }
  | { kind: 'ec'; curve: EcCurve; curveOid: string; d: bigint }
  | { kind: 'gost'; bits: 256 | 512; curveOid: string; d: Uint8Array };

/** The secret half of a PKCS#8 PrivateKeyInfo (RFC 5208 §5), read for the fake chip. */
function chipOf(key: PrivateKey): Chip {
  const r = decodeDer(key.pkcs8, 'pkcs8').read();
  r.next(TAG.INTEGER, 'version');
  r.next(TAG.SEQUENCE, 'algorithm');
  const inner = r.next(TAG.OCTET_STRING, 'privateKey').inner();
  const pub = key.publicKey;
  if (key.type === 'rsa') {
    const f = inner.read();
    f.next(TAG.INTEGER, 'v');
    const [n, e, d] = ['n', 'e', 'd'].map((x) => f.next(TAG.INTEGER, x).integer()) as [bigint, bigint, bigint];
    return { kind: 'rsa', n, e, d };
  }
  if (key.type === 'ecdsa') {
    const f = inner.read();
    f.next(TAG.INTEGER, 'v');
    const curve = EC_CURVES[pub.curveOid ?? ''];
    if (!curve) throw new RangeError(`FakePkcs11: unsupported curve ${pub.curveOid}`);
    return { kind: 'ec', curve, curveOid: pub.curveOid ?? '', d: bigOf(f.next(TAG.OCTET_STRING, 'd').value) };
  }
  if (key.type === 'gost2012-256' || key.type === 'gost2012-512') {
    const len = key.type === 'gost2012-256' ? 32 : 64;
    const d = inner.tag === TAG.INTEGER ? bytesOf(inner.integer(), len).reverse() : inner.value;
    return { kind: 'gost', bits: len === 32 ? 256 : 512, curveOid: pub.curveOid ?? '', d };
  }
  throw new RangeError(`FakePkcs11: no fake chip for ${key.type} keys`);
}

/** The key types each mechanism accepts, and how it signs. */
function mechanismSigner(mech: number, chip: Chip): ((data: Uint8Array) => Uint8Array) | undefined {
  const dataLen = (want: number, data: Uint8Array) => {
    if (data.length !== want) throw new FakePkcs11Error(rv('DATA_LEN_RANGE'), 'C_Sign');
    return data;
  };
  if (chip.kind === 'rsa') {
    if (mech === M.RSA_PKCS) return (data) => rsaPkcs1(chip, data);
    const di = DIGEST_INFO[mech];
    return di && ((data) => rsaPkcs1(chip, new Uint8Array([...fromHex(di.prefix), ...di.hash(data)])));
  }
  if (chip.kind === 'ec') {
    const hashes: Record<number, (d: Uint8Array) => Uint8Array> = {
      [M.ECDSA]: (d) => d,
      [M.ECDSA_SHA256]: (d) => sha256.digest(d),
      [M.ECDSA_SHA384]: (d) => sha384.digest(d),
      [M.ECDSA_SHA512]: (d) => sha512.digest(d),
    };
    const h = hashes[mech];
    return h && ((data) => ecdsaSign(chip.curve, chip.d, h(data)));
  }
  const curve = getCurve(chip.curveOid);
  const raw = chip.bits === 256 ? M.GOSTR3410 : M.GOSTR3410_512;
  const hashSign = chip.bits === 256 ? M.GOSTR3410_WITH_GOSTR3411_12_256 : M.GOSTR3410_WITH_GOSTR3411_12_512;
  const streebog = chip.bits === 256 ? streebog256 : streebog512;
  if (mech === raw) return (data) => gostSign(dataLen(chip.bits / 8, data), chip.d, curve);
  if (mech === hashSign) return (data) => gostSign(streebog(data), chip.d, curve);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Tokens, objects and sessions

/** Vendor flavour: which GOST attributes and mechanisms the fake token shows (tokens.md §3). */
export type FakeFlavour = 'rutoken' | 'jacarta' | 'tc26';

/** A key pair and/or certificate on a fake token, paired by CKA_ID. */
export interface FakeObjectSpec {
  /** CKA_ID as lower-case hex. */
  readonly id: string;
  readonly label?: string;
  /** The private key (its public half becomes a CKO_PUBLIC_KEY object). */
  readonly key?: PrivateKey;
  /** DER X.509 certificate (a CKO_CERTIFICATE object). */
  readonly certificate?: Uint8Array;
  /** Stored as the certificate's CKA_VALUE instead of `certificate` (a damaged certificate object). */
  readonly certificateValue?: Uint8Array;
  /** CKA_ALWAYS_AUTHENTICATE on the private key. */
  readonly alwaysAuthenticate?: boolean;
  /** CKA_SIGN on the private key (default true). */
  readonly canSign?: boolean;
  /** Attributes that replace or add to those of both key objects (e.g. a GOST R 34.11-94 CKA_GOSTR3411_PARAMS). */
  readonly keyAttributes?: readonly (readonly [number, Uint8Array])[];
}

/** One fake token in its own slot. */
export interface FakeTokenSpec {
  readonly serial: string;
  readonly label: string;
  readonly flavour?: FakeFlavour;
  /** The user PIN (default "1234"). */
  readonly userPin?: string;
  /** Wrong PINs before the PIN locks (default 3). */
  readonly maxRetries?: number;
  /** A PIN pad reader (CKF_PROTECTED_AUTHENTICATION_PATH): C_Login takes no PIN. */
  readonly protectedAuthPath?: boolean;
  /** Start with the token out of the reader. */
  readonly removed?: boolean;
  /** Replace the flavour's mechanism list. */
  readonly mechanisms?: readonly number[];
  /** CK_ULONG size of attribute values (8 = Linux x64, the default; 4 = Windows). */
  readonly ulongSize?: 4 | 8;
  readonly objects?: readonly FakeObjectSpec[];
  /** Slot ID (default a large unstable-looking number, as SoftHSM gives). */
  readonly slotId?: number;
}

/** What the fake's simulated user does at the PIN pad. */
export type PinPadAction = 'enter' | 'cancel' | 'wrong';

interface FakeObject {
  readonly handle: number;
  readonly cls: number;
  readonly attrs: Map<number, Uint8Array>;
  readonly chip?: Chip;
  readonly alwaysAuthenticate: boolean;
  readonly isPrivate: boolean;
}

interface TokenState {
  readonly spec: FakeTokenSpec;
  readonly slot: number;
  readonly objects: FakeObject[];
  readonly mechanisms: readonly number[];
  present: boolean;
  failures: number;
  loggedIn: boolean;
  pinPad: PinPadAction[];
}

interface SignOp {
  readonly sign: (data: Uint8Array) => Uint8Array;
  contextOk: boolean;
  readonly needsContext: boolean;
}

interface Session {
  readonly token: TokenState;
  readonly flags: number;
  state: 'open' | 'removed';
  find?: { results: number[]; pos: number };
  op?: SignOp;
}

const RSA_MECHS = [M.RSA_PKCS, M.SHA256_RSA_PKCS, M.SHA384_RSA_PKCS, M.SHA512_RSA_PKCS, M.ECDSA];
const GOST_RAW = [M.GOSTR3410_KEY_PAIR_GEN, M.GOSTR3410, M.GOSTR3410_512_KEY_PAIR_GEN, M.GOSTR3410_512];
const GOST_DIGESTS = [M.GOSTR3411_12_256, M.GOSTR3411_12_512];
const GOST_HASH_SIGN = [M.GOSTR3410_WITH_GOSTR3411_12_256, M.GOSTR3410_WITH_GOSTR3411_12_512];
const RUTOKEN_REFUSES: readonly number[] = [...GOST_HASH_SIGN, M.GOSTR3410_WITH_GOSTR3411];

/** Mechanism lists per flavour: Rutoken lists raw GOST only (tokens.md §2: pkcs11js#40, graphene#106). */
const FLAVOUR_MECHANISMS: Record<FakeFlavour, readonly number[]> = {
  rutoken: [...RSA_MECHS, ...GOST_RAW, ...GOST_DIGESTS],
  jacarta: [...RSA_MECHS, ...GOST_RAW, ...GOST_HASH_SIGN, ...GOST_DIGESTS],
  tc26: [...RSA_MECHS, M.ECDSA_SHA256, M.ECDSA_SHA384, ...GOST_RAW, ...GOST_HASH_SIGN, ...GOST_DIGESTS],
};

const STREEBOG_OID = { 256: '1.2.643.7.1.1.2.2', 512: '1.2.643.7.1.1.2.3' } as const;

/** Attributes every key object of `chip` carries (v2.40 §4.8-4.9; GOST per tokens.md §3.2-3.3). */
function keyAttributes(chip: Chip, flavour: FakeFlavour, size: 4 | 8): [number, Uint8Array][] {
  if (chip.kind === 'rsa') {
    const n = bytesOf(chip.n, Math.ceil(chip.n.toString(16).length / 2));
    return [
      [A.KEY_TYPE, ulong(FAKE_CKK.RSA, size)],
      [A.MODULUS, n],
      [A.MODULUS_BITS, ulong(chip.n.toString(2).length, size)],
      [A.PUBLIC_EXPONENT, bytesOf(chip.e, Math.ceil(chip.e.toString(16).length / 2))],
    ];
  }
  if (chip.kind === 'ec')
    return [
      [A.KEY_TYPE, ulong(FAKE_CKK.EC, size)],
      [A.EC_PARAMS, der.oid(chip.curveOid)],
    ];
  const params = der.oid(chip.curveOid);
  const paramsType = chip.bits === 512 && flavour === 'jacarta' ? A.GOSTR3410_512PARAMS_JACARTA : A.GOSTR3410_PARAMS;
  const keyType = chip.bits === 256 ? FAKE_CKK.GOSTR3410 : FAKE_CKK.GOSTR3410_512;
  return [
    [A.KEY_TYPE, ulong(keyType, size)],
    [paramsType, params],
    [A.GOSTR3411_PARAMS, der.oid(STREEBOG_OID[chip.bits])],
  ];
}

function publicValue(key: PrivateKey, chip: Chip): [number, Uint8Array][] {
  if (chip.kind === 'ec') return [[A.EC_POINT, der.octets(key.publicKey.raw)]];
  if (chip.kind === 'gost') return [[A.VALUE, key.publicKey.raw]];
  return [];
}

const TRUE = Uint8Array.of(1);
const FALSE = Uint8Array.of(0);
const bool = (b: boolean) => (b ? TRUE : FALSE);

function buildObjects(spec: FakeTokenSpec, nextHandle: () => number): FakeObject[] {
  const size = spec.ulongSize ?? 8;
  const flavour = spec.flavour ?? 'tc26';
  const out: FakeObject[] = [];
  for (const o of spec.objects ?? []) {
    const common: [number, Uint8Array][] = [
      [A.ID, fromHex(o.id)],
      [A.LABEL, enc.encode(o.label ?? o.id)],
      [A.TOKEN, TRUE],
    ];
    if (o.certificate) {
      const c = parseCertificate(o.certificate);
      const attrs = new Map<number, Uint8Array>([
        ...common,
        [A.CLASS, ulong(CKO.CERTIFICATE, size)],
        [A.PRIVATE, FALSE],
        [A.CERTIFICATE_TYPE, ulong(0, size)],
        [A.VALUE, o.certificateValue ?? o.certificate],
        [A.SUBJECT, c.subject.raw],
        [A.ISSUER, c.issuer.raw],
        [A.SERIAL_NUMBER, der.int(c.serialNumber)],
      ]);
      out.push({ handle: nextHandle(), cls: CKO.CERTIFICATE, attrs, alwaysAuthenticate: false, isPrivate: false });
    }
    if (o.key) out.push(...keyObjects(o, o.key, common, flavour, size, nextHandle));
  }
  return out;
}

function keyObjects(
  o: FakeObjectSpec,
  key: PrivateKey,
  common: [number, Uint8Array][],
  flavour: FakeFlavour,
  size: 4 | 8,
  nextHandle: () => number,
): FakeObject[] {
  const chip = chipOf(key);
  const kattrs = [...keyAttributes(chip, flavour, size), ...(o.keyAttributes ?? [])];
  const pub = new Map<number, Uint8Array>([
    ...common,
    ...kattrs,
    ...publicValue(key, chip),
    [A.CLASS, ulong(CKO.PUBLIC_KEY, size)],
    [A.PRIVATE, FALSE],
    [A.VERIFY, TRUE],
  ]);
  const always = o.alwaysAuthenticate ?? false;
  const priv = new Map<number, Uint8Array>([
    ...common,
    ...kattrs,
    [A.CLASS, ulong(CKO.PRIVATE_KEY, size)],
    [A.PRIVATE, TRUE],
    [A.SENSITIVE, TRUE],
    [A.EXTRACTABLE, FALSE],
    [A.SIGN, bool(o.canSign ?? true)],
    [A.ALWAYS_AUTHENTICATE, bool(always)],
  ]);
  return [
    { handle: nextHandle(), cls: CKO.PUBLIC_KEY, attrs: pub, alwaysAuthenticate: false, isPrivate: false },
    { handle: nextHandle(), cls: CKO.PRIVATE_KEY, attrs: priv, chip, alwaysAuthenticate: always, isPrivate: true },
  ];
}

/** A template value (pkcs11js Attribute.value) as the raw bytes the token stores. */
function templateBytes(value: unknown, stored: Uint8Array): Uint8Array | undefined {
  if (typeof value === 'number') return readUlong(stored) === value ? stored : ulong(value, 8);
  if (typeof value === 'boolean') return bool(value);
  if (typeof value === 'string') return enc.encode(value);
  if (value instanceof Uint8Array) return value;
  return undefined;
}

function matches(obj: FakeObject, template: readonly { type: number; value?: unknown }[]): boolean {
  return template.every(({ type, value }) => {
    const stored = obj.attrs.get(type);
    if (!stored) return false;
    if (value === undefined) return true;
    const want = templateBytes(value, stored);
    return want !== undefined && equal(want, stored);
  });
}

/** Handles are CK_ULONG buffers, as pkcs11js returns them (8 bytes LE on Linux x64). */
function handleOf(n: number): Uint8Array {
  return ulong(n, 8);
}

function numberOf(h: unknown, method: string, invalid: string): number {
  if (!(h instanceof Uint8Array)) throw new TypeError(`${method}: handle must be a Buffer/Uint8Array`);
  const n = readUlong(h);
  if (n < 0) throw new FakePkcs11Error(rv(invalid), method);
  return n;
}

// ---------------------------------------------------------------------------------------------
// The module

/** Options of {@link FakePkcs11}. */
export interface FakePkcs11Options {
  readonly tokens: readonly FakeTokenSpec[];
  /** Make `load()` fail as when the library is missing (a NativeError, like pkcs11js). */
  readonly loadError?: string;
  readonly manufacturerID?: string;
  readonly libraryDescription?: string;
}

/**
 * A FAKE PKCS#11 module for tests, with the method names and argument/return shapes of pkcs11js's
 * `PKCS11` class for the subset an adapter uses. Handles and attribute values are Uint8Arrays
 * (CK_ULONG 8 bytes LE), text fields are space-padded, errors are {@link FakePkcs11Error}s. The
 * keys sign for real (GOST with @eds/gost, RSA and ECDSA with bigint arithmetic), so signatures
 * verify with independent verifiers. Test controls: {@link remove}, {@link insert},
 * {@link failNext}, {@link pinPad}, {@link callCount}, {@link onCall}.
 *
 * @example
 * ```ts
 * const fake = new FakePkcs11({ tokens: [{ serial: 'RT0001', label: 'Rutoken', flavour: 'rutoken',
 *   objects: [{ id: '01', key: leaf.key, certificate: leaf.certificate }] }] });
 * const adapter = await openPkcs11('fake', { binding: inProcessBinding(fake) });
 * ```
 */
export class FakePkcs11 {
  libPath = '';
  /** Called at the start of every PKCS#11 call with the method name (never the arguments). */
  onCall: ((method: string) => void) | undefined;
  /** The mechanism of every C_SignInit that reached a token, in order (for tests to see the choice). */
  readonly signInits: number[] = [];
  private readonly tokens: TokenState[];
  private readonly sessions = new Map<number, Session>();
  private readonly failures = new Map<string, number[]>();
  private readonly counts = new Map<string, number>();
  private readonly events: number[] = [];
  private initialized = false;
  private nextSession = 0x7e000001;

  constructor(private readonly options: FakePkcs11Options) {
    let next = 0x00c0ffee;
    const nextHandle = () => next++;
    this.tokens = options.tokens.map((spec, i) => ({
      spec,
      slot: spec.slotId ?? 0x2cbce174 + i * 0x1011,
      objects: buildObjects(spec, nextHandle),
      mechanisms: spec.mechanisms ?? FLAVOUR_MECHANISMS[spec.flavour ?? 'tc26'],
      present: !spec.removed,
      failures: 0,
      loggedIn: false,
      pinPad: [],
    }));
  }

  // ----- test controls ---------------------------------------------------------------------

  /** The next call of `method` throws a Pkcs11Error with `ckr` (queued; state untouched). */
  failNext(method: string, ckr: number): void {
    if (!Number.isInteger(ckr) || ckr <= 0 || ckr > 0xffffffff) throw new RangeError(`not an error CK_RV: ${ckr}`);
    this.failures.set(method, [...(this.failures.get(method) ?? []), ckr]);
  }

  /** Pulls the token out: sessions die (CKR_DEVICE_REMOVED, then CKR_SESSION_HANDLE_INVALID), a slot event is queued. */
  remove(serial: string): void {
    const t = this.token(serial);
    t.present = false;
    t.loggedIn = false;
    for (const s of this.sessions.values()) if (s.token === t) s.state = 'removed';
    this.events.push(t.slot);
  }

  /** Puts the token back (logged out, PIN counter as it was) and queues a slot event. */
  insert(serial: string): void {
    const t = this.token(serial);
    t.present = true;
    this.events.push(t.slot);
  }

  /** Queues what the simulated user does at the next PIN pad prompts (default: enters the right PIN). */
  pinPad(serial: string, ...actions: PinPadAction[]): void {
    this.token(serial).pinPad.push(...actions);
  }

  /** How many times `method` was called. */
  callCount(method: string): number {
    return this.counts.get(method) ?? 0;
  }

  /** The PIN counter as the token keeps it. */
  pinStatus(serial: string): { failures: number; retriesLeft: number; loggedIn: boolean; openSessions: number } {
    const t = this.token(serial);
    const openSessions = [...this.sessions.values()].filter((s) => s.token === t).length;
    return { failures: t.failures, retriesLeft: this.maxRetries(t) - t.failures, loggedIn: t.loggedIn, openSessions };
  }

  private token(serial: string): TokenState {
    const t = this.tokens.find((x) => x.spec.serial === serial);
    if (!t) throw new RangeError(`FakePkcs11: no token ${serial}`);
    return t;
  }

  private maxRetries(t: TokenState): number {
    return t.spec.maxRetries ?? 3;
  }

  /** Counts the call, runs the hook, throws an injected failure, checks initialisation. */
  private enter(method: string, needsInit = true): void {
    this.counts.set(method, this.callCount(method) + 1);
    this.onCall?.(method);
    const queue = this.failures.get(method);
    const injected = queue?.shift();
    if (injected !== undefined) throw new FakePkcs11Error(injected, method);
    if (needsInit && !this.initialized) throw new FakePkcs11Error(rv('CRYPTOKI_NOT_INITIALIZED'), method);
  }

  private slotToken(slot: unknown, method: string): TokenState {
    const n = numberOf(slot, method, 'SLOT_ID_INVALID');
    const t = this.tokens.find((x) => x.slot === n);
    if (!t) throw new FakePkcs11Error(rv('SLOT_ID_INVALID'), method);
    return t;
  }

  private presentToken(slot: unknown, method: string): TokenState {
    const t = this.slotToken(slot, method);
    if (!t.present) throw new FakePkcs11Error(rv('TOKEN_NOT_PRESENT'), method);
    return t;
  }

  private session(handle: unknown, method: string): Session {
    const n = numberOf(handle, method, 'SESSION_HANDLE_INVALID');
    const s = this.sessions.get(n);
    if (!s) throw new FakePkcs11Error(rv('SESSION_HANDLE_INVALID'), method);
    if (s.state === 'removed') {
      this.sessions.delete(n);
      throw new FakePkcs11Error(rv('DEVICE_REMOVED'), method);
    }
    return s;
  }

  private visible(s: Session, obj: FakeObject): boolean {
    return !obj.isPrivate || s.token.loggedIn;
  }

  private tokenFlags(t: TokenState): number {
    const f = FAKE_CKF;
    let flags = f.RNG | f.LOGIN_REQUIRED | f.USER_PIN_INITIALIZED | f.TOKEN_INITIALIZED;
    if (t.spec.protectedAuthPath) flags |= f.PROTECTED_AUTHENTICATION_PATH;
    const left = this.maxRetries(t) - t.failures;
    if (t.failures > 0 && left > 0) flags |= f.USER_PIN_COUNT_LOW;
    if (left === 1) flags |= f.USER_PIN_FINAL_TRY;
    if (left <= 0) flags |= f.USER_PIN_LOCKED;
    return flags;
  }

  // ----- pkcs11js surface ------------------------------------------------------------------

  load(path: string): void {
    this.enter('load', false);
    if (this.options.loadError) throw new FakeNativeError(this.options.loadError, 'load');
    this.libPath = path;
  }

  C_Initialize(_options?: { flags?: number; libraryParameters?: string }): void {
    this.enter('C_Initialize', false);
    if (this.initialized) throw new FakePkcs11Error(rv('CRYPTOKI_ALREADY_INITIALIZED'), 'C_Initialize');
    this.initialized = true;
  }

  C_Finalize(): void {
    this.enter('C_Finalize');
    this.initialized = false;
    this.sessions.clear();
    for (const t of this.tokens) t.loggedIn = false;
  }

  close(): void {
    this.enter('close', false);
  }

  C_GetInfo() {
    this.enter('C_GetInfo');
    return {
      cryptokiVersion: { major: 2, minor: 40 },
      manufacturerID: pad(this.options.manufacturerID ?? 'EDS test FAKE', 32),
      flags: 0,
      libraryDescription: pad(this.options.libraryDescription ?? 'FakePkcs11 (tests only)', 32),
      libraryVersion: { major: 1, minor: 0 },
    };
  }

  C_GetSlotList(tokenPresent = false): Uint8Array[] {
    this.enter('C_GetSlotList');
    return this.tokens.filter((t) => !tokenPresent || t.present).map((t) => handleOf(t.slot));
  }

  C_GetSlotInfo(slot: Uint8Array) {
    this.enter('C_GetSlotInfo');
    const t = this.slotToken(slot, 'C_GetSlotInfo');
    return {
      slotDescription: pad(`FAKE reader ${t.spec.serial}`, 64),
      manufacturerID: pad('EDS test FAKE', 32),
      flags: (t.present ? 1 : 0) | 2 | 4, // CKF_TOKEN_PRESENT | CKF_REMOVABLE_DEVICE | CKF_HW_SLOT
      hardwareVersion: { major: 1, minor: 0 },
      firmwareVersion: { major: 1, minor: 0 },
    };
  }

  C_GetTokenInfo(slot: Uint8Array) {
    this.enter('C_GetTokenInfo');
    const t = this.presentToken(slot, 'C_GetTokenInfo');
    const sessions = [...this.sessions.values()].filter((s) => s.token === t);
    const vendor = { rutoken: 'Aktiv Co.', jacarta: 'Aladdin R.D.', tc26: 'TC26 FAKE' }[t.spec.flavour ?? 'tc26'];
    return {
      label: pad(t.spec.label, 32),
      manufacturerID: pad(vendor, 32),
      model: pad(`FAKE ${t.spec.flavour ?? 'tc26'}`, 16),
      serialNumber: pad(t.spec.serial, 16),
      flags: this.tokenFlags(t),
      maxSessionCount: 0,
      sessionCount: sessions.length,
      maxRwSessionCount: 0,
      rwSessionCount: sessions.filter((s) => s.flags & FAKE_CKF.RW_SESSION).length,
      maxPinLen: 32,
      minPinLen: 4,
      hardwareVersion: { major: 1, minor: 0 },
      firmwareVersion: { major: 1, minor: 0 },
      utcTime: '',
      totalPublicMemory: 65536,
      freePublicMemory: 32768,
      totalPrivateMemory: 65536,
      freePrivateMemory: 32768,
    };
  }

  C_GetMechanismList(slot: Uint8Array): number[] {
    this.enter('C_GetMechanismList');
    return [...this.presentToken(slot, 'C_GetMechanismList').mechanisms];
  }

  C_GetMechanismInfo(slot: Uint8Array, mech: number) {
    this.enter('C_GetMechanismInfo');
    const t = this.presentToken(slot, 'C_GetMechanismInfo');
    if (!t.mechanisms.includes(mech)) throw new FakePkcs11Error(rv('MECHANISM_INVALID'), 'C_GetMechanismInfo');
    return { minKeySize: 256, maxKeySize: 4096, flags: 0x1 | 0x800 }; // CKF_HW | CKF_SIGN
  }

  C_OpenSession(slot: Uint8Array, flags: number): Uint8Array {
    this.enter('C_OpenSession');
    const t = this.presentToken(slot, 'C_OpenSession');
    if (!(flags & FAKE_CKF.SERIAL_SESSION)) {
      throw new FakePkcs11Error(rv('SESSION_PARALLEL_NOT_SUPPORTED'), 'C_OpenSession');
    }
    const id = this.nextSession++;
    this.sessions.set(id, { token: t, flags, state: 'open' });
    return handleOf(id);
  }

  C_CloseSession(session: Uint8Array): void {
    this.enter('C_CloseSession');
    const s = this.session(session, 'C_CloseSession');
    this.sessions.delete(readUlong(session));
    // v2.40 §5.6: closing the last session of a token logs the user out.
    if (![...this.sessions.values()].some((x) => x.token === s.token)) s.token.loggedIn = false;
  }

  C_CloseAllSessions(slot: Uint8Array): void {
    this.enter('C_CloseAllSessions');
    const t = this.slotToken(slot, 'C_CloseAllSessions');
    for (const [id, s] of this.sessions) if (s.token === t) this.sessions.delete(id);
    t.loggedIn = false;
  }

  C_GetSessionInfo(session: Uint8Array) {
    this.enter('C_GetSessionInfo');
    const s = this.session(session, 'C_GetSessionInfo');
    const rw = (s.flags & FAKE_CKF.RW_SESSION) !== 0;
    const state = (rw ? 2 : 0) + (s.token.loggedIn ? 1 : 0); // CKS_RO/RW_PUBLIC_SESSION / _USER_FUNCTIONS
    return { slotID: handleOf(s.token.slot), state, flags: s.flags, deviceError: 0 };
  }

  C_Login(session: Uint8Array, userType: number, pin?: string | null): void {
    this.enter('C_Login');
    const s = this.session(session, 'C_Login');
    if (userType === CKU.USER) {
      if (s.token.loggedIn) throw new FakePkcs11Error(rv('USER_ALREADY_LOGGED_IN'), 'C_Login');
      this.checkPin(s.token, pin);
      s.token.loggedIn = true;
      return;
    }
    if (userType === CKU.CONTEXT_SPECIFIC) {
      if (!s.op?.needsContext) throw new FakePkcs11Error(rv('OPERATION_NOT_INITIALIZED'), 'C_Login');
      this.checkPin(s.token, pin);
      s.op.contextOk = true;
      return;
    }
    throw new FakePkcs11Error(rv('USER_TYPE_INVALID'), 'C_Login'); // no SO in the fake
  }

  /** The PIN check with its retry counter (v2.40 §5.6 C_Login; flags §3.2). */
  private checkPin(t: TokenState, pin: string | null | undefined): void {
    if (t.failures >= this.maxRetries(t)) throw new FakePkcs11Error(rv('PIN_LOCKED'), 'C_Login');
    let ok: boolean;
    if (pin === undefined || pin === null) {
      if (!t.spec.protectedAuthPath) throw new FakePkcs11Error(rv('ARGUMENTS_BAD'), 'C_Login');
      const action = t.pinPad.shift() ?? 'enter';
      if (action === 'cancel') throw new FakePkcs11Error(rv('FUNCTION_CANCELED'), 'C_Login');
      ok = action === 'enter';
    } else {
      ok = pin === (t.spec.userPin ?? '1234');
    }
    if (!ok) {
      t.failures++;
      throw new FakePkcs11Error(rv('PIN_INCORRECT'), 'C_Login');
    }
    t.failures = 0;
  }

  C_Logout(session: Uint8Array): void {
    this.enter('C_Logout');
    const s = this.session(session, 'C_Logout');
    if (!s.token.loggedIn) throw new FakePkcs11Error(rv('USER_NOT_LOGGED_IN'), 'C_Logout');
    s.token.loggedIn = false;
    for (const x of this.sessions.values()) if (x.token === s.token) x.op = undefined;
  }

  C_FindObjectsInit(session: Uint8Array, template: { type: number; value?: unknown }[]): void {
    this.enter('C_FindObjectsInit');
    const s = this.session(session, 'C_FindObjectsInit');
    if (s.find) throw new FakePkcs11Error(rv('OPERATION_ACTIVE'), 'C_FindObjectsInit');
    const results = s.token.objects.filter((o) => this.visible(s, o) && matches(o, template)).map((o) => o.handle);
    s.find = { results, pos: 0 };
  }

  C_FindObjects(session: Uint8Array): Uint8Array | null;
  C_FindObjects(session: Uint8Array, maxObjectCount: number): Uint8Array[];
  C_FindObjects(session: Uint8Array, maxObjectCount?: number): Uint8Array[] | Uint8Array | null {
    this.enter('C_FindObjects');
    const s = this.session(session, 'C_FindObjects');
    const find = s.find;
    if (!find) throw new FakePkcs11Error(rv('OPERATION_NOT_INITIALIZED'), 'C_FindObjects');
    const n = maxObjectCount ?? 1;
    const page = find.results.slice(find.pos, find.pos + n).map(handleOf);
    find.pos += page.length;
    return maxObjectCount === undefined ? (page[0] ?? null) : page;
  }

  C_FindObjectsFinal(session: Uint8Array): void {
    this.enter('C_FindObjectsFinal');
    const s = this.session(session, 'C_FindObjectsFinal');
    if (!s.find) throw new FakePkcs11Error(rv('OPERATION_NOT_INITIALIZED'), 'C_FindObjectsFinal');
    s.find = undefined;
  }

  private object(s: Session, handle: unknown, method: string, invalid = 'OBJECT_HANDLE_INVALID'): FakeObject {
    const n = numberOf(handle, method, invalid);
    const obj = s.token.objects.find((o) => o.handle === n);
    if (!obj || !this.visible(s, obj)) throw new FakePkcs11Error(rv(invalid), method);
    return obj;
  }

  C_GetAttributeValue(
    session: Uint8Array,
    object: Uint8Array,
    template: { type: number }[],
  ): { type: number; value: Uint8Array }[] {
    this.enter('C_GetAttributeValue');
    const s = this.session(session, 'C_GetAttributeValue');
    const obj = this.object(s, object, 'C_GetAttributeValue');
    return template.map(({ type }) => {
      if (obj.cls === CKO.PRIVATE_KEY && type === A.VALUE) {
        throw new FakePkcs11Error(rv('ATTRIBUTE_SENSITIVE'), 'C_GetAttributeValue');
      }
      const value = obj.attrs.get(type);
      if (!value) throw new FakePkcs11Error(rv('ATTRIBUTE_TYPE_INVALID'), 'C_GetAttributeValue');
      return { type, value: value.slice() };
    });
  }

  C_SignInit(session: Uint8Array, mechanism: { mechanism: number; parameter?: unknown }, key: Uint8Array): void {
    this.enter('C_SignInit');
    const s = this.session(session, 'C_SignInit');
    if (s.op) throw new FakePkcs11Error(rv('OPERATION_ACTIVE'), 'C_SignInit');
    const n = numberOf(key, 'C_SignInit', 'KEY_HANDLE_INVALID');
    const obj = s.token.objects.find((o) => o.handle === n);
    if (obj?.isPrivate && !s.token.loggedIn) throw new FakePkcs11Error(rv('USER_NOT_LOGGED_IN'), 'C_SignInit');
    if (!obj || obj.cls === CKO.CERTIFICATE) throw new FakePkcs11Error(rv('KEY_HANDLE_INVALID'), 'C_SignInit');
    if (!obj.chip || readUlong(obj.attrs.get(A.SIGN) ?? FALSE) === 0) {
      throw new FakePkcs11Error(rv('KEY_FUNCTION_NOT_PERMITTED'), 'C_SignInit');
    }
    this.signInits.push(mechanism.mechanism);
    const sign = this.signerFor(s.token, mechanism.mechanism, obj.chip);
    s.op = { sign, contextOk: !obj.alwaysAuthenticate, needsContext: obj.alwaysAuthenticate };
  }

  private signerFor(t: TokenState, mech: number, chip: Chip): (data: Uint8Array) => Uint8Array {
    const fail = (name: string) => new FakePkcs11Error(rv(name), 'C_SignInit');
    // Rutoken ECP answers hash-and-sign GOST mechanisms with KEY_TYPE_INCONSISTENT (pkcs11js#40, graphene#106).
    if (t.spec.flavour === 'rutoken' && RUTOKEN_REFUSES.includes(mech)) {
      throw fail('KEY_TYPE_INCONSISTENT');
    }
    if (!t.mechanisms.includes(mech)) throw fail('MECHANISM_INVALID');
    const sign = mechanismSigner(mech, chip);
    if (!sign) throw fail('KEY_TYPE_INCONSISTENT');
    return sign;
  }

  C_Sign(session: Uint8Array, inData: Uint8Array, outData: Uint8Array): Uint8Array;
  C_Sign(
    session: Uint8Array,
    inData: Uint8Array,
    outData: Uint8Array,
    cb: (error: Error | null, data: Uint8Array | null) => void,
  ): void;
  C_Sign(
    session: Uint8Array,
    inData: Uint8Array,
    outData: Uint8Array,
    cb?: (error: Error | null, data: Uint8Array | null) => void,
  ): Uint8Array | undefined {
    if (!cb) return this.signNow(session, inData, outData);
    let result: Uint8Array;
    try {
      result = this.signNow(session, inData, outData);
    } catch (e) {
      queueMicrotask(() => cb(e as Error, null));
      return undefined;
    }
    queueMicrotask(() => cb(null, result));
    return undefined;
  }

  /** pkcs11js's promisified C_Sign. */
  C_SignAsync(session: Uint8Array, inData: Uint8Array, outData: Uint8Array): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      try {
        resolve(this.signNow(session, inData, outData));
      } catch (e) {
        reject(e);
      }
    });
  }

  private signNow(session: Uint8Array, inData: Uint8Array, outData: Uint8Array): Uint8Array {
    this.enter('C_Sign');
    const s = this.session(session, 'C_Sign');
    const op = s.op;
    if (!op) throw new FakePkcs11Error(rv('OPERATION_NOT_INITIALIZED'), 'C_Sign');
    if (!op.contextOk) {
      s.op = undefined;
      throw new FakePkcs11Error(rv('USER_NOT_LOGGED_IN'), 'C_Sign');
    }
    let signature: Uint8Array;
    try {
      signature = op.sign(Uint8Array.from(inData));
    } catch (e) {
      s.op = undefined;
      throw e instanceof FakePkcs11Error ? e : new FakePkcs11Error(rv('FUNCTION_FAILED'), 'C_Sign');
    }
    if (outData.length < signature.length) throw new FakePkcs11Error(rv('BUFFER_TOO_SMALL'), 'C_Sign');
    s.op = undefined;
    outData.set(signature);
    return outData.subarray(0, signature.length);
  }

  C_WaitForSlotEvent(flags: number): Uint8Array | null {
    this.enter('C_WaitForSlotEvent');
    const slot = this.events.shift();
    if (slot !== undefined) return handleOf(slot);
    // A fake cannot block: without CKF_DONT_BLOCK it answers as modules without blocking support do.
    if (!(flags & FAKE_CKF.DONT_BLOCK)) throw new FakePkcs11Error(rv('FUNCTION_NOT_SUPPORTED'), 'C_WaitForSlotEvent');
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Keys and certificates for fake tokens

/** A test PKI for fake tokens: a GOST root and leaves of every key kind the fake signs with. */
export interface FakePki {
  readonly ca: TestCa;
  /** GOST 2012-256 (CryptoPro-A), 2012-256 (tc26-256-A), 2012-512 (tc26-512-A), ECDSA P-256, RSA 2048. */
  readonly gost256: IssuedCertificate;
  readonly gost256tc26: IssuedCertificate;
  readonly gost512: IssuedCertificate;
  readonly ecdsa: IssuedCertificate;
  readonly rsa: IssuedCertificate;
  /** The CA's CRL (empty), so verify() can establish revocation status offline. */
  readonly crl: Uint8Array;
}

/**
 * Makes the {@link FakePki} with @eds/core/testing (FOR TESTS ONLY).
 *
 * @example
 * ```ts
 * const pki = await createFakePki();
 * new FakePkcs11({ tokens: [{ serial: 'S', label: 'L', objects: [{ id: '01', key: pki.gost256.key, certificate: pki.gost256.certificate }] }] });
 * ```
 */
export async function createFakePki(): Promise<FakePki> {
  const ca = await createTestCa({ keySpec: { type: 'gost2012-256' }, subject: { commonName: 'FAKE token test CA' } });
  const issue = (keySpec: KeySpec, commonName: string) => ca.issue({ keySpec, subject: { commonName } });
  return {
    ca,
    gost256: await issue({ type: 'gost2012-256' }, 'GOST 256 key on a fake token'),
    gost256tc26: await issue({ type: 'gost2012-256', paramSet: '1.2.643.7.1.2.1.1.1' }, 'GOST 256 tc26-A'),
    gost512: await issue({ type: 'gost2012-512' }, 'GOST 512 key on a fake token'),
    ecdsa: await issue({ type: 'ecdsa', curve: 'P-256' }, 'ECDSA key on a fake token'),
    rsa: await issue({ type: 'rsa', bits: 2048 }, 'RSA key on a fake token'),
    crl: await ca.createCrl(),
  };
}
