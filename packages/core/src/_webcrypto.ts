// Internal: what the signature descriptors share: the WebCrypto (W3C Web Cryptography API) side (which SubtleCrypto to use, imported-key caching, JWK helpers) and argument checks.
import type { DigestAlgorithm, SignatureAlgorithm } from './types';

/**
 * Where a descriptor gets its SubtleCrypto, asked at each operation: the platform's by default;
 * tests pass `() => undefined` to force the pure-JavaScript fallback.
 */
export type SubtleSource = () => SubtleCrypto | undefined;

/** The platform's `crypto.subtle`, or undefined where the runtime has none (old runtimes, insecure contexts). */
export const platformSubtle: SubtleSource = () => globalThis.crypto?.subtle;

/** A descriptor that can be rebuilt on another SubtleCrypto source. @internal */
export const REBUILD: unique symbol = Symbol('eds.rebuild');

/** The shape of a descriptor that supports {@link withSubtle}. */
export interface Rebuildable {
  [REBUILD](source: SubtleSource): SignatureAlgorithm;
}

/**
 * The same descriptor running on `subtle`: a SubtleCrypto, or undefined for the pure-JavaScript
 * code (@noble/curves, the bigint RSA of `_rsa.ts`). For tests that run every vector through
 * both paths; descriptors without a WebCrypto path come back unchanged.
 *
 * @example
 * ```ts
 * const fallback = withSubtle(ecdsaSha256, undefined);
 * ```
 */
export function withSubtle(algorithm: SignatureAlgorithm, subtle: SubtleCrypto | undefined): SignatureAlgorithm {
  const r = (algorithm as Partial<Rebuildable>)[REBUILD];
  return typeof r === 'function' ? r(() => subtle) : algorithm;
}

// Imported keys, cached per SubtleCrypto and per key object (PublicKey/PrivateKey values are
// immutable), under a string naming the import parameters. `undefined` records that the runtime
// cannot import the key that way, so the fallback is used without asking again.
const cache = new WeakMap<SubtleCrypto, WeakMap<object, Map<string, Promise<CryptoKey | undefined>>>>();

/**
 * Imports (once) a key for `usage`, or resolves to undefined when the runtime refuses it (an
 * algorithm, curve or key size it does not support), so that the caller falls back.
 */
export function importCached(
  subtle: SubtleCrypto,
  owner: object,
  id: string,
  load: () => Promise<CryptoKey>,
): Promise<CryptoKey | undefined> {
  let perSubtle = cache.get(subtle);
  if (!perSubtle) {
    perSubtle = new WeakMap();
    cache.set(subtle, perSubtle);
  }
  let perKey = perSubtle.get(owner);
  if (!perKey) {
    perKey = new Map();
    perSubtle.set(owner, perKey);
  }
  let p = perKey.get(id);
  if (!p) {
    p = load().then(
      (k) => k,
      () => undefined,
    );
    perKey.set(id, p);
  }
  return p;
}

/**
 * Runs a WebCrypto verification; a rejected promise (malformed signature, operation error) is a
 * signature that does not verify.
 */
export async function subtleVerify(
  subtle: SubtleCrypto,
  algorithm: AlgorithmIdentifier | RsaPssParams | EcdsaParams,
  key: CryptoKey,
  signature: Uint8Array,
  data: Uint8Array,
): Promise<boolean> {
  try {
    return await subtle.verify(algorithm, key, signature as BufferSource, data as BufferSource);
  } catch {
    return false;
  }
}

/** base64url without padding (RFC 7515 §2), for JWK members. */
export function b64u(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const SUBTLE_HASHES: ReadonlyMap<string, string> = /* @__PURE__ */ new Map([
  ['sha1', 'SHA-1'],
  ['sha256', 'SHA-256'],
  ['sha384', 'SHA-384'],
  ['sha512', 'SHA-512'],
]);

/** The WebCrypto name of a SHA digest descriptor name, or undefined for the others. */
export function subtleHashName(name: string): string | undefined {
  return SUBTLE_HASHES.get(name);
}

/** Throws unless `digest` is a `hash`-sized Uint8Array (the *Digest entry points take a finished hash). */
export function checkDigest(name: string, hash: DigestAlgorithm, digest: Uint8Array): void {
  if (!(digest instanceof Uint8Array) || digest.length !== hash.size)
    throw new RangeError(`${name}: the digest must be ${hash.size} bytes`);
}

/** True for AlgorithmIdentifier parameters that are absent or NULL (encoders differ; RFC 4055 §2.1, RFC 5758 §3.2). */
export function absentOrNull(params: Uint8Array | undefined): boolean {
  return params === undefined || (params.length === 2 && params[0] === 0x05 && params[1] === 0x00);
}
