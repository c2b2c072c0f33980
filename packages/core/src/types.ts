// The shapes shared by every module of @eds/core: digests, keys, signature algorithms and signers.

/**
 * A hash function with an ASN.1 identifier (RFC 5754 §2, RFC 6986, GOST R 34.11-94).
 *
 * @example
 * ```ts
 * const h = sha256.create(); h.update(chunk); const d = h.digest();
 * ```
 */
export interface DigestAlgorithm {
  /** Stable name: `sha1`, `sha256`, `sha384`, `sha512`, `streebog256`, `streebog512`, `gostr3411-94`. */
  readonly name: string;
  /** The digest algorithm OID (CMS `digestAlgorithm`, ESSCertIDv2 `hashAlgorithm`). */
  readonly oid: string;
  /** Output length in bytes. */
  readonly size: number;
  /** One-shot digest. */
  digest(data: Uint8Array): Uint8Array;
  /** A streaming hash: `update` any number of times, then `digest` once. */
  create(): { update(data: Uint8Array): unknown; digest(): Uint8Array };
}

/** Public-key algorithm families. */
export type KeyType = 'gost2012-256' | 'gost2012-512' | 'gost2001' | 'ecdsa' | 'rsa' | 'ed25519';

/**
 * A public key decoded from a SubjectPublicKeyInfo (RFC 5280 §4.1.2.7). Immutable.
 * `spki` is the DER it came from (or the canonical DER for keys made here).
 */
export interface PublicKey {
  readonly type: KeyType;
  /** DER SubjectPublicKeyInfo. */
  readonly spki: Uint8Array;
  /**
   * The raw key: GOST X‖Y little-endian (64/128 bytes); ECDSA the uncompressed point 04‖X‖Y;
   * RSA the DER RSAPublicKey; Ed25519 the 32 bytes.
   */
  readonly raw: Uint8Array;
  /** GOST parameter set OID, or ECDSA named-curve OID; undefined for RSA and Ed25519. */
  readonly curveOid?: string | undefined;
  /** GOST digestParamSet OID when present in the SPKI parameters. */
  readonly digestParamOid?: string | undefined;
  /** Key size in bits (RSA modulus, curve field size). */
  readonly bits: number;
}

/** A private key with its public key. The secret is only reachable through `pkcs8`. */
export interface PrivateKey {
  readonly type: KeyType;
  readonly publicKey: PublicKey;
  /** DER PKCS#8 PrivateKeyInfo (RFC 5208 / RFC 5958) in the canonical form written by this SDK. */
  readonly pkcs8: Uint8Array;
}

/**
 * An AlgorithmIdentifier (RFC 5280 §4.1.1.2) as found in certificates, CRLs, CSRs and CMS:
 * its OID and the DER of its parameters when present.
 */
export interface AlgorithmIdentifier {
  readonly oid: string;
  readonly params?: Uint8Array | undefined;
}

/**
 * One signature algorithm: a key type, a hash and a signature encoding, with the OIDs that select
 * it. Sets of these are passed explicitly to every operation; there is no global registry.
 * Signatures are in the form X.509 and CMS carry them: ECDSA as DER Ecdsa-Sig-Value, GOST as
 * s‖r big-endian, RSA and Ed25519 raw.
 */
export interface SignatureAlgorithm {
  /** Stable name, e.g. `gost2012-256`, `ecdsa-p256-sha256`, `rsa-pss-sha256`, `ed25519`. */
  readonly name: string;
  readonly keyType: KeyType;
  /** The hash signed, undefined for Ed25519 (which hashes internally). */
  readonly digest: DigestAlgorithm | undefined;
  /** The AlgorithmIdentifier to write in certificates, CSRs, CRLs and CMS signerInfos (DER). */
  identifier(): Uint8Array;
  /**
   * True when this algorithm is the one named by `algorithm` for `key`. `digestOid` is the
   * CMS digestAlgorithm, needed where the signature OID names only the key (rsaEncryption,
   * GOST public-key OIDs in CMS).
   */
  matches(algorithm: AlgorithmIdentifier, key?: PublicKey, digestOid?: string): boolean;
  /** Verifies a signature over `data` (hashed here). Never throws for a bad signature. */
  verify(key: PublicKey, data: Uint8Array, signature: Uint8Array): Promise<boolean>;
  /** Verifies a signature over a precomputed digest; absent for Ed25519. */
  verifyDigest?(key: PublicKey, digest: Uint8Array, signature: Uint8Array): Promise<boolean>;
  /** Signs `data`; absent for verify-only algorithms (GOST 2001). */
  sign?(key: PrivateKey, data: Uint8Array): Promise<Uint8Array>;
  /**
   * Signs a precomputed digest; absent for Ed25519 and verify-only algorithms. Variable-time for
   * RSA (bigint arithmetic even where WebCrypto exists, which cannot sign a digest): use
   * `sign(data)` where you can.
   */
  signDigest?(key: PrivateKey, digest: Uint8Array): Promise<Uint8Array>;
}

/**
 * Something that signs: a software key, a token key or a browser bridge. `certificate` is the
 * signer's certificate (DER) when it has one.
 */
export interface Signer {
  readonly algorithm: SignatureAlgorithm;
  readonly publicKey: PublicKey;
  readonly certificate?: Uint8Array | undefined;
  /** Signs `data` (hashed by the signer with `algorithm.digest`). */
  sign(data: Uint8Array, options?: { signal?: AbortSignal }): Promise<Uint8Array>;
  /**
   * Signs a digest computed by the caller; absent where the signer cannot (Ed25519).
   * Variable-time for RSA software keys (bigint arithmetic even where WebCrypto exists): use
   * `sign(data)` where you can.
   */
  signDigest?(digest: Uint8Array, options?: { signal?: AbortSignal }): Promise<Uint8Array>;
}
