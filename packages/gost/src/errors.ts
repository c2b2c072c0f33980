// The SDK's error base class. It lives in the lowest package so that every package, @eds/gost
// included, throws errors that one `instanceof EdsError` check catches.

/**
 * Base class of every error the SDK throws on purpose. `code` is a stable string to branch on
 * (messages may change); `cause` carries the underlying error when there is one.
 *
 * Misuse of an API (a wrong argument type, an out-of-range option) throws the built-in
 * `TypeError` or `RangeError` instead.
 *
 * @example
 * ```ts
 * try { ... } catch (e) {
 *   if (e instanceof EdsError && e.code === 'ERR_DECODE_PEM') { ... }
 * }
 * ```
 */
export class EdsError extends Error {
  /** Stable machine-readable code, e.g. `ERR_DECODE_PEM`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * A key is malformed: wrong length, a private scalar of 0 or not below the group order, a public
 * point off the curve, at infinity or outside the prime-order subgroup.
 * Codes: `ERR_INVALID_PRIVATE_KEY`, `ERR_INVALID_PUBLIC_KEY`.
 *
 * @example
 * ```ts
 * try { verify(sig, digest, publicKey, curve); } catch (e) {
 *   if (e instanceof InvalidKeyError) console.log(e.code);
 * }
 * ```
 */
export class InvalidKeyError extends EdsError {
  declare readonly code: 'ERR_INVALID_PRIVATE_KEY' | 'ERR_INVALID_PUBLIC_KEY';
  constructor(
    code: 'ERR_INVALID_PRIVATE_KEY' | 'ERR_INVALID_PUBLIC_KEY',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/**
 * A parameter set (curve) named by OID or name is not known. `id` is what was asked for.
 * Code: `ERR_UNKNOWN_PARAMETER_SET`.
 *
 * @example
 * ```ts
 * getCurve('1.2.3'); // throws UnknownParameterSetError { id: '1.2.3' }
 * ```
 */
export class UnknownParameterSetError extends EdsError {
  declare readonly code: 'ERR_UNKNOWN_PARAMETER_SET';
  readonly id: string;
  constructor(id: string) {
    super('ERR_UNKNOWN_PARAMETER_SET', `unknown GOST parameter set ${JSON.stringify(id)}`);
    this.id = id;
  }
}

/**
 * A key, IV or input of a symmetric primitive has a length it cannot take: a Kuznyechik key that
 * is not 32 bytes, an IV of the wrong size for a mode, ECB or CBC data that is not whole blocks.
 * Codes: `ERR_INVALID_KEY_LENGTH`, `ERR_INVALID_IV_LENGTH`, `ERR_INVALID_DATA_LENGTH`.
 *
 * @example
 * ```ts
 * kuznyechik(new Uint8Array(16)); // throws InvalidLengthError { code: 'ERR_INVALID_KEY_LENGTH' }
 * ```
 */
export class InvalidLengthError extends EdsError {
  declare readonly code: 'ERR_INVALID_KEY_LENGTH' | 'ERR_INVALID_IV_LENGTH' | 'ERR_INVALID_DATA_LENGTH';
  constructor(code: 'ERR_INVALID_KEY_LENGTH' | 'ERR_INVALID_IV_LENGTH' | 'ERR_INVALID_DATA_LENGTH', message: string) {
    super(code, message);
  }
}

/**
 * Decryption or unwrapping found the data altered or the key wrong: a MAC (OMAC, IMIT, the MAC
 * of a key wrap) does not match, or the padding is malformed. No plaintext is returned.
 * Codes: `ERR_MAC_MISMATCH`, `ERR_BAD_PADDING`.
 *
 * @example
 * ```ts
 * try { unwrap(kek, wrapped); } catch (e) {
 *   if (e instanceof IntegrityError) console.log('corrupt or wrong key');
 * }
 * ```
 */
export class IntegrityError extends EdsError {
  declare readonly code: 'ERR_MAC_MISMATCH' | 'ERR_BAD_PADDING';
  constructor(code: 'ERR_MAC_MISMATCH' | 'ERR_BAD_PADDING', message: string) {
    super(code, message);
  }
}
