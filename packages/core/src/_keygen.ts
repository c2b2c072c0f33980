// Internal: key generation for `@eds/core/keys` as PKCS#8 DER (GOST R 34.10-2012 §6.1, FIPS 186-5 A.2.1, RFC 8032 §5.1.5, WebCrypto generateKey) and the GOST AlgorithmIdentifier the SDK writes (RFC 9215 §4.2).
import { type GostCurve, getCurve } from '@eds/gost/curves';
import { bigIntToBytes, bytesToBigInt } from './_bytes';
import {
  bigToBytesLE,
  ecCurveInfo,
  OID_EC_PUBLIC_KEY,
  OID_ED25519,
  OID_GOST2012_256,
  OID_GOST2012_512,
  OID_RSA,
  OID_STREEBOG256,
} from './_key-material';
import { der } from './asn1';
import { UnsupportedAlgorithmError } from './errors';
import type { KeySpec } from './keys';

/** PKCS#8 PrivateKeyInfo version 0 around a privateKey's contents. */
export function pkcs8Of(algorithm: Uint8Array, privateKey: Uint8Array): Uint8Array {
  return der.seq(der.int(0), algorithm, der.octets(privateKey));
}

/** 2001-era parameter sets (RFC 4357 §10.1, CryptoPro test, A, B, C, XchA, XchB). */
function isCryptoProSet(oid: string): boolean {
  return oid.startsWith('1.2.643.2.2.35.') || oid.startsWith('1.2.643.2.2.36.');
}

/**
 * The GOST AlgorithmIdentifier the SDK writes (RFC 9215 §4.2): digestParamSet Streebog-256 for
 * 256-bit keys on the 2001-era CryptoPro parameter sets, none for the TC26 sets (256-bit A-D,
 * all 512-bit), as the RFC 9215 example keys and gost-engine's 256-bit keys do.
 */
export function gostAlgorithm(type: 'gost2012-256' | 'gost2012-512', curveOid: string): Uint8Array {
  const digest = type === 'gost2012-256' && isCryptoProSet(curveOid) ? [der.oid(OID_STREEBOG256)] : [];
  return der.seq(
    der.oid(type === 'gost2012-256' ? OID_GOST2012_256 : OID_GOST2012_512),
    der.seq(der.oid(curveOid), ...digest),
  );
}

/** The curve and parameter-set OID a GOST KeySpec names; `paramSet` defaults to CryptoPro-A (256) or tc26-512-A (512). */
export function gostSpecCurve(spec: { type: 'gost2012-256' | 'gost2012-512'; paramSet?: string }): {
  curve: GostCurve;
  oid: string;
} {
  const want = spec.paramSet ?? (spec.type === 'gost2012-256' ? '1.2.643.2.2.35.1' : '1.2.643.7.1.2.1.2.1');
  let curve: GostCurve;
  try {
    curve = getCurve(want);
  } catch {
    throw new UnsupportedAlgorithmError(
      /^\d+(\.\d+)+$/.test(want) ? { oid: want } : {},
      `unknown GOST parameter set ${JSON.stringify(want)}`,
    );
  }
  const bits = spec.type === 'gost2012-256' ? 256 : 512;
  if (curve.bits !== bits) throw new RangeError(`parameter set ${curve.name} is not a ${bits}-bit set`);
  // An OID given by the caller is kept as is (the Kazakh alias of tc26-512-A stays the alias).
  return { curve, oid: /^\d+(\.\d+)+$/.test(want) ? want : curve.oid };
}

export type RandomSource = (n: number) => Uint8Array;

function defaultRandom(n: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}

function randomBytes(random: RandomSource, n: number): Uint8Array {
  const out = random(n);
  if (!(out instanceof Uint8Array) || out.length !== n) throw new TypeError(`random(${n}) must return ${n} bytes`);
  return out;
}

/** A uniform scalar in [1, q): 64 extra random bits make the bias negligible (FIPS 186-5 A.2.1). */
function randomScalar(random: RandomSource, q: bigint, size: number): bigint {
  return (bytesToBigInt(randomBytes(random, size + 8)) % (q - 1n)) + 1n;
}

function subtle(): SubtleCrypto | undefined {
  return globalThis.crypto?.subtle;
}

/** Generates through WebCrypto and exports as PKCS#8. */
async function webCryptoPkcs8(
  algorithm: AlgorithmIdentifier | EcKeyGenParams | RsaHashedKeyGenParams,
): Promise<Uint8Array> {
  const s = subtle() as SubtleCrypto;
  const pair = (await s.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  return new Uint8Array(await s.exportKey('pkcs8', pair.privateKey));
}

/**
 * A new private key as PKCS#8 DER, not yet in the canonical form `parsePrivateKey` gives. With
 * `random`, or without WebCrypto (or without the curve in it), the key is made here from
 * `random`; otherwise by WebCrypto. RSA keys come only from WebCrypto.
 */
export async function generatePkcs8(spec: KeySpec, random?: RandomSource): Promise<Uint8Array> {
  const rnd = random ?? defaultRandom;
  switch (spec.type) {
    case 'gost2012-256':
    case 'gost2012-512': {
      const { curve, oid } = gostSpecCurve(spec);
      const d = bigToBytesLE(randomScalar(rnd, curve.q, curve.byteLength), curve.byteLength);
      return pkcs8Of(gostAlgorithm(spec.type, oid), der.octets(d));
    }
    case 'ecdsa': {
      const info = ecCurveInfo(spec.curve);
      if (!info) throw new RangeError(`unknown curve ${spec.curve}`);
      if (!random && subtle()) {
        try {
          return await webCryptoPkcs8({ name: 'ECDSA', namedCurve: info.name });
        } catch {} // the runtime lacks this curve: fall back to noble
      }
      const d = bigIntToBytes(randomScalar(rnd, info.noble.Point.Fn.ORDER, info.size), info.size);
      // ECPrivateKey (RFC 5915 §3) with the scalar only; parsing adds the public key.
      return pkcs8Of(der.seq(der.oid(OID_EC_PUBLIC_KEY), der.oid(info.oid)), der.seq(der.int(1), der.octets(d)));
    }
    case 'rsa':
      return generateRsa(spec);
    case 'ed25519':
      if (!random && subtle()) {
        try {
          return await webCryptoPkcs8({ name: 'Ed25519' });
        } catch {} // no Ed25519 in this WebCrypto: fall back to noble
      }
      // CurvePrivateKey ::= OCTET STRING (RFC 8410 §7).
      return pkcs8Of(der.seq(der.oid(OID_ED25519)), der.octets(randomBytes(rnd, 32)));
    default:
      if ((spec as { type: string }).type === 'gost2001') {
        throw new UnsupportedAlgorithmError(
          { oid: '1.2.643.2.2.19' },
          'GOST R 34.10-2001 keys are verify-only and cannot be generated',
        );
      }
      throw new TypeError(`unknown key type ${(spec as { type: string }).type}`);
  }
}

async function generateRsa(spec: { bits: number; publicExponent?: number }): Promise<Uint8Array> {
  if (![2048, 3072, 4096].includes(spec.bits)) throw new RangeError(`RSA keys of ${spec.bits} bits are not generated`);
  if (spec.publicExponent !== undefined && spec.publicExponent !== 65537)
    throw new RangeError('the RSA public exponent must be 65537');
  if (!subtle()) {
    throw new UnsupportedAlgorithmError(
      { oid: OID_RSA },
      'RSA key generation needs WebCrypto (globalThis.crypto.subtle), which this runtime lacks',
    );
  }
  return webCryptoPkcs8({
    name: 'RSASSA-PKCS1-v1_5',
    modulusLength: spec.bits,
    publicExponent: Uint8Array.of(1, 0, 1),
    hash: 'SHA-256',
  });
}
