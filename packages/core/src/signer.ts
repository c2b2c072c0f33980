// Software-key signers (the Signer interface of types.ts) from a PKCS#8 key, PEM files or a PKCS#12 file (RFC 7292).
import { equalBytes } from './_bytes';
import { readCertificate } from './_cert-fields';
import { defaultSignatureAlgorithm, parseAlgorithmIdentifier } from './algorithms';
import { decodePem, toDer } from './encoding';
import { EdsError, KeyMismatchError, UnsupportedAlgorithmError } from './errors';
import { importPrivateKey, keysMatch, parsePrivateKey, parsePublicKey } from './keys';
import { parsePkcs12 } from './pkcs12';
import type { PrivateKey, PublicKey, SignatureAlgorithm, Signer } from './types';

/** Options of {@link createSigner}. */
export interface SignerOptions {
  /** The private key that signs. */
  readonly key: PrivateKey;
  /** The signer's certificate (DER); its public key must be the key's. */
  readonly certificate?: Uint8Array | undefined;
  /** The signature algorithm; by default the usual one for the key (`defaultSignatureAlgorithm`). */
  readonly algorithm?: SignatureAlgorithm | undefined;
}

/** True when the certificate (DER) carries the public key of `key`. @throws DecodeError for a malformed certificate. */
function certificateMatches(key: PrivateKey, certificate: Uint8Array): boolean {
  const { spki } = readCertificate(certificate);
  if (equalBytes(spki, key.publicKey.spki)) return true;
  try {
    return keysMatch(key, parsePublicKey(spki));
  } catch {
    return false;
  }
}

/**
 * True when `algorithm` may sign with `key`: the descriptor's own `matches` on its identifier,
 * which checks the key type and curve, and the key's own restrictions (an id-RSASSA-PSS key with
 * parameters signs only with those hashes and at least that salt, RFC 4055 §3.3; such a key
 * never signs PKCS#1 v1.5).
 */
function fits(algorithm: SignatureAlgorithm, key: PublicKey): boolean {
  try {
    return algorithm.matches(parseAlgorithmIdentifier(algorithm.identifier()), key);
  } catch {
    return false;
  }
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('signing was aborted', 'AbortError');
}

/**
 * A Signer over a software private key: `sign(data)` hashes and signs with `algorithm`, and
 * `signDigest(digest)` signs a precomputed hash where the algorithm allows (not Ed25519).
 * Either call rejects with the signal's reason when its AbortSignal is already aborted.
 * For RSA, `signDigest` is variable-time (bigint arithmetic, since WebCrypto cannot sign a
 * precomputed digest): use `sign(data)` where you can.
 *
 * The algorithm must fit the key as its own `matches` says: the key type and curve, and for an
 * id-RSASSA-PSS key with parameters its hashes and minimum salt length (RFC 4055 §3.3).
 *
 * Standard: the signature forms of RFC 5280 §4.1.1.3 (RFC 9215 §3 for GOST R 34.10-2012).
 *
 * @throws {KeyMismatchError} `ERR_KEY_MISMATCH` when `certificate` carries another public key.
 * @throws {UnsupportedAlgorithmError} `ERR_UNSUPPORTED_ALGORITHM` when `algorithm` is for another key
 *   type, is refused by the key's own restrictions, or cannot sign.
 * @throws {DecodeError} when `certificate` is not a DER certificate.
 * @example
 * ```ts
 * const key = await generateKeyPair({ type: 'gost2012-256' });
 * const signer = createSigner({ key });
 * const signature = await signer.sign(new TextEncoder().encode('hello'));
 * ```
 */
export function createSigner(options: SignerOptions): Signer {
  const { key, certificate } = options;
  if (!key?.publicKey || !(key.pkcs8 instanceof Uint8Array))
    throw new TypeError('createSigner: key must be a PrivateKey');
  const algorithm = options.algorithm ?? defaultSignatureAlgorithm(key.publicKey);
  const sign = algorithm.sign;
  if (!sign) throw new UnsupportedAlgorithmError({}, `${algorithm.name} cannot sign (verify-only)`);
  if (!fits(algorithm, key.publicKey))
    throw new UnsupportedAlgorithmError({}, `${algorithm.name} does not fit this ${key.type} key`);
  if (certificate !== undefined && !certificateMatches(key, certificate)) throw new KeyMismatchError();
  const signDigest = algorithm.signDigest;
  const signer: Signer = {
    algorithm,
    publicKey: key.publicKey,
    certificate,
    async sign(data, opts) {
      checkAborted(opts?.signal);
      return sign.call(algorithm, key, data);
    },
  };
  if (!signDigest) return Object.freeze(signer);
  return Object.freeze({
    ...signer,
    async signDigest(digest: Uint8Array, opts?: { signal?: AbortSignal }) {
      checkAborted(opts?.signal);
      if (algorithm.digest && digest.length !== algorithm.digest.size) {
        throw new RangeError(
          `${algorithm.name}: expected a ${algorithm.digest.size}-byte digest, got ${digest.length}`,
        );
      }
      return signDigest.call(algorithm, key, digest);
    },
  });
}

/** Options of {@link signerFromPkcs12} and {@link signerFromPem}. */
export interface SignerImportOptions {
  /** The signature algorithm; by default the usual one for the key. */
  readonly algorithm?: SignatureAlgorithm | undefined;
}

/**
 * A Signer from a PKCS#12 (.pfx/.p12) file: the first private key whose certificate is in the
 * file (matched by public key, the bag's localKeyId preferred), with that certificate. A key with
 * no certificate in the file gives a signer without `certificate`.
 *
 * Standard: RFC 7292 (and the GOST dialects `parsePkcs12` reads).
 *
 * @throws {EdsError} `ERR_KEY_NOT_FOUND` when the file holds no private key; whatever `parsePkcs12`
 *   throws (wrong password, unsupported bag, malformed DER).
 * @example
 * ```ts
 * const signer = await signerFromPkcs12(pfxBytes, 'password');
 * signer.certificate; // DER of the matching certificate
 * ```
 */
export async function signerFromPkcs12(
  pfx: Uint8Array,
  password: string,
  options: SignerImportOptions = {},
): Promise<Signer> {
  const { keys, certificates } = await parsePkcs12(pfx, password);
  let fallback: PrivateKey | undefined;
  for (const entry of keys) {
    const key = parsePrivateKey(entry.pkcs8);
    const matching = certificates.filter((c) => certificateMatches(key, c.der));
    const id = entry.localKeyId;
    const byId = id && matching.find((c) => c.localKeyId && equalBytes(c.localKeyId, id));
    const cert = byId || matching[0];
    if (cert) return createSigner({ key, certificate: cert.der, algorithm: options.algorithm });
    fallback ??= key;
  }
  if (!fallback) throw new EdsError('ERR_KEY_NOT_FOUND', 'the PKCS#12 file holds no private key');
  return createSigner({ key: fallback, algorithm: options.algorithm });
}

/**
 * A Signer from a PEM (or DER) private key and, optionally, PEM (or DER) certificates: of several
 * certificates the one that carries the key's public key is taken.
 *
 * Standard: RFC 7468 (PEM), RFC 5958 (PKCS#8).
 *
 * @throws {KeyMismatchError} `ERR_KEY_MISMATCH` when certificates are given and none is the key's.
 * @throws {DecodeError} for malformed PEM, keys or certificates.
 * @example
 * ```ts
 * const signer = await signerFromPem(keyPem, certPem);
 * ```
 */
export async function signerFromPem(
  keyPem: string | Uint8Array,
  certPem?: string | Uint8Array,
  options: SignerImportOptions = {},
): Promise<Signer> {
  const key = importPrivateKey(keyPem);
  if (certPem === undefined) return createSigner({ key, algorithm: options.algorithm });
  const certificates =
    typeof certPem === 'string' && certPem.includes('-----BEGIN')
      ? decodePem(certPem)
          .filter((b) => b.label === 'CERTIFICATE' || b.label === 'X509 CERTIFICATE')
          .map((b) => b.bytes)
      : [toDer(certPem)];
  const certificate = certificates.find((c) => certificateMatches(key, c));
  if (!certificate) throw new KeyMismatchError('none of the certificates belongs to the private key');
  return createSigner({ key, certificate, algorithm: options.algorithm });
}
