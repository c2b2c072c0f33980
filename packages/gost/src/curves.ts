// GOST R 34.10-2012 elliptic-curve parameter sets (RFC 4357, RFC 7091 §7, RFC 7836, TC26).

import { type WeierstrassPointCons, weierstrass } from '@noble/curves/abstract/weierstrass.js';
import { UnknownParameterSetError } from './errors';

/** Names of the parameter sets, as accepted by {@link getCurve}. */
export type CurveName =
  | 'cryptopro-test'
  | 'cryptopro-a'
  | 'cryptopro-b'
  | 'cryptopro-c'
  | 'cryptopro-xcha'
  | 'cryptopro-xchb'
  | 'tc26-256-a'
  | 'tc26-256-b'
  | 'tc26-256-c'
  | 'tc26-256-d'
  | 'tc26-512-test'
  | 'tc26-512-a'
  | 'tc26-512-b'
  | 'tc26-512-c';

/**
 * A GOST R 34.10-2012 parameter set: the curve y² = x³ + ax + b over GF(p) with base point
 * (Gx, Gy) of prime order q and cofactor h. The twisted-Edwards sets (tc26-256-a, tc26-512-c) are
 * given in their Weierstrass form, as the standard and X.509 use them.
 */
export interface GostCurve {
  /** Canonical name, e.g. `cryptopro-a`. */
  readonly name: CurveName;
  /** The parameter set's OID, e.g. `1.2.643.2.2.35.1`. */
  readonly oid: string;
  /** Further OIDs that name the same set (the Kazakh alias of tc26-512-a). */
  readonly aliases: readonly string[];
  /** Key size in bits: 256 or 512; signatures are `2 * byteLength` bytes. */
  readonly bits: 256 | 512;
  /** Length of a private key, of each public-key coordinate and of each signature half. */
  readonly byteLength: 32 | 64;
  readonly p: bigint;
  readonly a: bigint;
  readonly b: bigint;
  /** Order of the base point (the standard's q; `n` in noble). */
  readonly q: bigint;
  /** Cofactor m/q: 4 for the twisted-Edwards sets, 1 otherwise. */
  readonly h: bigint;
  readonly Gx: bigint;
  readonly Gy: bigint;
  /** True for the sets defined as twisted Edwards curves (tc26-256-a, tc26-512-c). */
  readonly twistedEdwards: boolean;
  /**
   * The curve as a generic `@noble/curves` Weierstrass point class, built on first access, for
   * callers who want general point arithmetic. The signature functions of `@eds/gost/gost3410`
   * use their own faster arithmetic and do not need it.
   */
  readonly Point: WeierstrassPointCons<bigint>;
}

type Data = [
  name: CurveName,
  oid: string,
  p: bigint,
  a: bigint,
  b: bigint,
  q: bigint,
  h: bigint,
  Gx: bigint,
  Gy: bigint,
];

// The values: RFC 4357 (CryptoPro sets; the TC26 sets B, C, D of 256 bits reuse them),
// RFC 7091 §7 (test sets), RFC 7836 and TC26 (tc26-256-a, tc26-512-*). The tests check that
// every base point lies on its curve with order q and that OpenSSL's GOST engine derives the same
// public keys on every set it knows.
const P256A = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffd97n;
const P256B = 0x8000000000000000000000000000000000000000000000000000000000000c99n;
const P256C = 0x9b9f605f5a858107ab1ec85e6b41c8aacf846e86789051d37998f7b9022d759bn;
const P512A =
  0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffdc7n;

const CP_A = [
  P256A,
  P256A - 3n,
  166n,
  0xffffffffffffffffffffffffffffffff6c611070995ad10045841b09b761b893n,
  1n,
  1n,
  0x8d91e471e0989cda27df505a453f2b7635294f2ddf23e3b122acc99c9e9f1e14n,
] as const;
const CP_B = [
  P256B,
  P256B - 3n,
  0x3e1af419a269a5f866a7d3c25c3df80ae979259373ff2b182f49d4ce7e1bbc8bn,
  0x800000000000000000000000000000015f700cfff1a624e5e497161bcc8a198fn,
  1n,
  1n,
  0x3fa8124359f96680b83d1c3eb2c070e5c545c9858d03ecfb744bf8d717717efcn,
] as const;
const CP_C = [
  P256C,
  P256C - 3n,
  32858n,
  0x9b9f605f5a858107ab1ec85e6b41c8aa582ca3511eddfb74f02f3a6598980bb9n,
  1n,
  0n,
  0x41ece55743711a8c3cbf3783cd08c0ee4d4dc440d4641a8f366e550dfdb3bb67n,
] as const;

const DATA: readonly Data[] = [
  [
    'cryptopro-test',
    '1.2.643.2.2.35.0',
    0x8000000000000000000000000000000000000000000000000000000000000431n,
    7n,
    0x5fbff498aa938ce739b8e022fbafef40563f6e6a3472fc2a514c0ce9dae23b7en,
    0x8000000000000000000000000000000150fe8a1892976154c59cfc193accf5b3n,
    1n,
    2n,
    0x08e2a8a0e65147d4bd6316030e16d19c85c97f0a9ca267122b96abbcea7e8fc8n,
  ],
  ['cryptopro-a', '1.2.643.2.2.35.1', ...CP_A],
  ['cryptopro-b', '1.2.643.2.2.35.2', ...CP_B],
  ['cryptopro-c', '1.2.643.2.2.35.3', ...CP_C],
  ['cryptopro-xcha', '1.2.643.2.2.36.0', ...CP_A],
  ['cryptopro-xchb', '1.2.643.2.2.36.1', ...CP_C],
  [
    'tc26-256-a',
    '1.2.643.7.1.2.1.1.1',
    P256A,
    0xc2173f1513981673af4892c23035a27ce25e2013bf95aa33b22c656f277e7335n,
    0x295f9bae7428ed9ccc20e7c359a9d41a22fccd9108e17bf7ba9337a6f8ae9513n,
    0x400000000000000000000000000000000fd8cddfc87b6635c115af556c360c67n,
    4n,
    0x91e38443a5e82c0d880923425712b2bb658b9196932e02c78b2582fe742daa28n,
    0x32879423ab1a0375895786c4bb46e9565fde0b5344766740af268adb32322e5cn,
  ],
  ['tc26-256-b', '1.2.643.7.1.2.1.1.2', ...CP_A],
  ['tc26-256-c', '1.2.643.7.1.2.1.1.3', ...CP_B],
  ['tc26-256-d', '1.2.643.7.1.2.1.1.4', ...CP_C],
  [
    'tc26-512-test',
    '1.2.643.7.1.2.1.2.0',
    0x4531acd1fe0023c7550d267b6b2fee80922b14b2ffb90f04d4eb7c09b5d2d15df1d852741af4704a0458047e80e4546d35b8336fac224dd81664bbf528be6373n,
    7n,
    0x1cff0806a31116da29d8cfa54e57eb748bc5f377e49400fdd788b649eca1ac4361834013b2ad7322480a89ca58e0cf74bc9e540c2add6897fad0a3084f302adcn,
    0x4531acd1fe0023c7550d267b6b2fee80922b14b2ffb90f04d4eb7c09b5d2d15da82f2d7ecb1dbac719905c5eecc423f1d86e25edbe23c595d644aaf187e6e6dfn,
    1n,
    0x24d19cc64572ee30f396bf6ebbfd7a6c5213b3b3d7057cc825f91093a68cd762fd60611262cd838dc6b60aa7eee804e28bc849977fac33b4b530f1b120248a9an,
    0x2bb312a43bd2ce6e0d020613c857acddcfbf061e91e5f2c3f32447c259f39b2c83ab156d77f1496bf7eb3351e1ee4e43dc1a18b91b24640b6dbb92cb1add371en,
  ],
  [
    'tc26-512-a',
    '1.2.643.7.1.2.1.2.1',
    P512A,
    P512A - 3n,
    0xe8c2505dedfc86ddc1bd0b2b6667f1da34b82574761cb0e879bd081cfd0b6265ee3cb090f30d27614cb4574010da90dd862ef9d4ebee4761503190785a71c760n,
    0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff27e69532f48d89116ff22b8d4e0560609b4b38abfad2b85dcacdb1411f10b275n,
    1n,
    3n,
    0x7503cfe87a836ae3a61b8816e25450e6ce5e1c93acf1abc1778064fdcbefa921df1626be4fd036e93d75e6a50e3a41e98028fe5fc235f5b889a589cb5215f2a4n,
  ],
  [
    'tc26-512-b',
    '1.2.643.7.1.2.1.2.2',
    0x8000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000006fn,
    0x8000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000006cn,
    0x687d1b459dc841457e3e06cf6f5e2517b97c7d614af138bcbf85dc806c4b289f3e965d2db1416d217f8b276fad1ab69c50f78bee1fa3106efb8ccbc7c5140116n,
    0x800000000000000000000000000000000000000000000000000000000000000149a1ec142565a545acfdb77bd9d40cfa8b996712101bea0ec6346c54374f25bdn,
    1n,
    2n,
    0x1a8f7eda389b094c2c071e3647a8940f3c123b697578c213be6dd9e6c8ec7335dcb228fd1edf4a39152cbcaaf8c0398828041055f94ceeec7e21340780fe41bdn,
  ],
  [
    'tc26-512-c',
    '1.2.643.7.1.2.1.2.3',
    P512A,
    0xdc9203e514a721875485a529d2c722fb187bc8980eb866644de41c68e143064546e861c0e2c9edd92ade71f46fcf50ff2ad97f951fda9f2a2eb6546f39689bd3n,
    0xb4c4ee28cebc6c2c8ac12952cf37f16ac7efb6a9f69f4b57ffda2e4f0de5ade038cbc2fff719d2c18de0284b8bfef3b52b8cc7a5f5bf0a3c8d2319a5312557e1n,
    0x3fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc98cdba46506ab004c33a9ff5147502cc8eda9e7a769a12694623cef47f023edn,
    4n,
    0xe2e31edfc23de7bdebe241ce593ef5de2295b7a9cbaef021d385f7074cea043aa27272a7ae602bf2a7b9033db9ed3610c6fb85487eae97aac5bc7928c1950148n,
    0xf5ce40d95b5eb899abbccff5911cb8577939804d6527378b8c108c3d2090ff9be18e2d33e3021ed2ef32d85822423b6304f726aa854bae07d0396e9a9addc40fn,
  ],
];

/** OID aliases: the Kazakh OID of tc26-512-a (seen on NCALayer / Kalkan signatures). */
const ALIASES: Partial<Record<CurveName, readonly string[]>> = {
  'tc26-512-a': ['1.2.398.3.10.1.1.2.2.1'],
};

/** The OID of the Kazakh alias of tc26-512-a. */
export const OID_KZ_GOST_512_A = '1.2.398.3.10.1.1.2.2.1';

let registry: Map<string, GostCurve> | undefined;

function makeCurve(d: Data): GostCurve {
  const [name, oid, p, a, b, q, h, Gx, Gy] = d;
  const bits = p > 1n << 256n ? 512 : 256;
  let point: WeierstrassPointCons<bigint> | undefined;
  return Object.freeze({
    name,
    oid,
    aliases: ALIASES[name] ?? [],
    bits,
    byteLength: bits === 512 ? 64 : 32,
    p,
    a,
    b,
    q,
    h,
    Gx,
    Gy,
    twistedEdwards: h === 4n,
    get Point() {
      point ??= weierstrass({ p, a, b, n: q, h, Gx, Gy });
      return point;
    },
  });
}

function getRegistry(): Map<string, GostCurve> {
  if (registry) return registry;
  registry = new Map();
  for (const d of DATA) {
    const curve = makeCurve(d);
    for (const key of [curve.name, curve.oid, ...curve.aliases]) registry.set(key, curve);
  }
  return registry;
}

/**
 * Looks up a GOST R 34.10 parameter set by name (`cryptopro-a`, `tc26-512-c`, ...) or OID
 * (`1.2.643.2.2.35.1`, `1.2.643.7.1.2.1.2.1`, the Kazakh alias `1.2.398.3.10.1.1.2.2.1`). A
 * {@link GostCurve} passed in is returned as is.
 *
 * Standards: RFC 4357 (CryptoPro sets), RFC 7091 §7 (test sets), RFC 7836 (TC26 sets).
 *
 * @throws {UnknownParameterSetError} for anything else.
 * @example
 * ```ts
 * const curve = getCurve('1.2.643.7.1.2.1.2.1'); // tc26-512-a
 * curve.byteLength; // 64
 * ```
 */
export function getCurve(nameOrOid: string | GostCurve): GostCurve {
  if (typeof nameOrOid !== 'string') {
    const known = getRegistry().get(nameOrOid?.name);
    if (known === nameOrOid) return known;
    throw new UnknownParameterSetError(String(nameOrOid?.name));
  }
  const curve = getRegistry().get(nameOrOid.toLowerCase());
  if (!curve) throw new UnknownParameterSetError(nameOrOid);
  return curve;
}

/**
 * Lists every parameter set once, in a fixed order (256-bit sets first).
 *
 * @example
 * ```ts
 * listCurves().map((c) => c.name); // ['cryptopro-test', 'cryptopro-a', ...]
 * ```
 */
export function listCurves(): GostCurve[] {
  return DATA.map((d) => getCurve(d[0]));
}
