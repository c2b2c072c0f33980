// Error families of @eds/core (ARCHITECTURE.md, "Errors"). All extend EdsError from @eds/gost.
import { EdsError } from '@eds/gost/errors';

export { EdsError };

/**
 * Input bytes or text could not be decoded (PEM, Base64, hex, DER, XML). `offset` is the byte
 * or character offset where decoding failed, when known; `path` names the structure being read
 * (for example `Certificate.tbsCertificate.validity`).
 *
 * Codes: `ERR_DECODE_PEM`, `ERR_DECODE_BASE64`, `ERR_DECODE_HEX`, `ERR_DECODE_FORMAT` (none of
 * DER, PEM, Base64, or not the object asked for), `ERR_DECODE_DER` (malformed or non-canonical DER,
 * a missing or unexpected field), `ERR_DECODE_KEY` (well-formed DER that is not a valid key),
 * `ERR_DECODE_ENCRYPTED` (an encrypted private key where a plain one is needed), `ERR_DECODE_CSR`,
 * `ERR_DECODE_TOO_LARGE` (a size, count or iteration limit), `ERR_DECODE_XML` (ill-formed XML, or XML
 * refused by `parseXml`: a DOCTYPE, an undeclared entity, a non-UTF-8 encoding),
 * `ERR_DECODE_DUPLICATE_ID` (one ID value on two elements of an XML document; `path` is the ID).
 *
 * @example
 * ```ts
 * try { decodePem(text); } catch (e) {
 *   if (e instanceof DecodeError) console.log(e.code, e.offset);
 * }
 * ```
 */
export class DecodeError extends EdsError {
  readonly offset: number | undefined;
  readonly path: string | undefined;

  constructor(code: string, message: string, options: { offset?: number; path?: string; cause?: unknown } = {}) {
    super(code, message, { cause: options.cause });
    this.offset = options.offset;
    this.path = options.path;
  }
}

/**
 * An algorithm identified by `oid` (ASN.1) or `uri` (XML) is not supported by the algorithm
 * set in use. Code: `ERR_UNSUPPORTED_ALGORITHM`.
 *
 * @example
 * ```ts
 * throw new UnsupportedAlgorithmError({ oid: '1.2.643.2.2.20' }, 'GOST R 34.10-94 is not supported');
 * ```
 */
export class UnsupportedAlgorithmError extends EdsError {
  readonly oid: string | undefined;
  readonly uri: string | undefined;

  constructor(id: { oid?: string; uri?: string }, message?: string) {
    super('ERR_UNSUPPORTED_ALGORITHM', message ?? `unsupported algorithm ${id.oid ?? id.uri ?? '(unknown)'}`);
    this.oid = id.oid;
    this.uri = id.uri;
  }
}

/**
 * A private key and a certificate (or public key) that were meant to belong together do not:
 * the certificate's SubjectPublicKeyInfo is not the key's public key. Code: `ERR_KEY_MISMATCH`.
 *
 * @example
 * ```ts
 * try { createSigner({ key, certificate }); } catch (e) {
 *   if (e instanceof KeyMismatchError) console.log('wrong certificate for this key');
 * }
 * ```
 */
export class KeyMismatchError extends EdsError {
  constructor(message = 'the certificate does not belong to the private key', options?: { cause?: unknown }) {
    super('ERR_KEY_MISMATCH', message, options);
  }
}

/**
 * The password is wrong: a PKCS#12 MAC does not verify, or (where nothing else checks the
 * password) decrypted data has bad padding or does not parse as DER. A PFX whose integrity
 * password differs from its privacy password gives this error too. Code: `ERR_WRONG_PASSWORD`.
 *
 * @example
 * ```ts
 * try { await parsePkcs12(pfx, password); } catch (e) {
 *   if (e instanceof WrongPasswordError) askAgain();
 * }
 * ```
 */
export class WrongPasswordError extends EdsError {
  declare readonly code: 'ERR_WRONG_PASSWORD';
  constructor(message = 'wrong password', options: { cause?: unknown } = {}) {
    super('ERR_WRONG_PASSWORD', message, options);
  }
}

/**
 * The input is a known format (or a known variant of one) that the SDK does not read, such as
 * CryptoPro's proprietary PFX key bag or a public-key-protected PFX. `what` names the format;
 * the message says what it is and what to do instead. Code: `ERR_UNSUPPORTED_FORMAT`.
 *
 * @example
 * ```ts
 * try { await parsePkcs12(pfx, password); } catch (e) {
 *   if (e instanceof UnsupportedFormatError) console.log(e.what, e.message);
 * }
 * ```
 */
export class UnsupportedFormatError extends EdsError {
  declare readonly code: 'ERR_UNSUPPORTED_FORMAT';
  /** A short stable name of the format, e.g. `cryptopro-pfx-key`. */
  readonly what: string;
  constructor(what: string, message: string, options: { cause?: unknown } = {}) {
    super('ERR_UNSUPPORTED_FORMAT', message, options);
    this.what = what;
  }
}

/** Stable codes of {@link TimestampError}. */
export type TimestampErrorCode = 'ERR_TSA_REJECTED' | 'ERR_TSA_BAD_RESPONSE' | 'ERR_TSA_MISMATCH';

/**
 * A time-stamp authority (RFC 3161) did not give a usable answer. Codes:
 * `ERR_TSA_REJECTED` (PKIStatus rejection, waiting, revocation...: `status`, `failInfo` and
 * `statusText` say what the TSA said), `ERR_TSA_BAD_RESPONSE` (not a TimeStampResp, the wrong
 * content type, a granted status without a well-formed token, a missing TSA certificate that was
 * asked for), `ERR_TSA_MISMATCH` (the token's messageImprint or nonce is not the request's).
 * Network failures are `FetchError`s of the Fetcher, not this class.
 *
 * @example
 * ```ts
 * try { await requestTimestamp({ url, fetcher, digest, hashAlgorithm }); } catch (e) {
 *   if (e instanceof TimestampError && e.code === 'ERR_TSA_REJECTED') console.log(e.failInfo);
 * }
 * ```
 */
export class TimestampError extends EdsError {
  declare readonly code: TimestampErrorCode;
  /** The PKIStatus name the TSA answered (`rejection`, `waiting`, ...), when known. */
  readonly status: string | undefined;
  /** The PKIFailureInfo bit names (`badAlg`, `badDataFormat`, ...), when given. */
  readonly failInfo: readonly string[] | undefined;
  /** The PKIFreeText of the status, joined by newlines, when given. */
  readonly statusText: string | undefined;
  constructor(
    code: TimestampErrorCode,
    message: string,
    options: { status?: string; failInfo?: readonly string[]; statusText?: string; cause?: unknown } = {},
  ) {
    super(code, message, { cause: options.cause });
    this.status = options.status;
    this.failInfo = options.failInfo;
    this.statusText = options.statusText;
  }
}

/** Stable codes of {@link ValidationDataError}. */
export type ValidationDataErrorCode =
  | 'ERR_VALIDATION_DATA_INCOMPLETE'
  | 'ERR_VALIDATION_DATA_REVOKED'
  | 'ERR_VALIDATION_DATA_UNUSABLE';

/**
 * The certificates and revocation data given for CAdES-X Long Type 1 or B-LT cannot be
 * embedded: `ERR_VALIDATION_DATA_INCOMPLETE` (no issuer certificate up to a self-issued anchor,
 * or no CRL or OCSP response that covers a certificate of the path), `ERR_VALIDATION_DATA_REVOKED`
 * (the data says a certificate of the path is revoked or on hold), `ERR_VALIDATION_DATA_UNUSABLE`
 * (an OCSP response that is not successful, data that does not decode). `certificate` names the
 * certificate concerned (its subject), when there is one.
 *
 * @example
 * ```ts
 * try { await signCades({ ...options, level: 'XLT1' }); } catch (e) {
 *   if (e instanceof ValidationDataError && e.code === 'ERR_VALIDATION_DATA_REVOKED') console.log(e.certificate);
 * }
 * ```
 */
export class ValidationDataError extends EdsError {
  declare readonly code: ValidationDataErrorCode;
  /** Subject of the certificate concerned (RFC 4514 string), when there is one. */
  readonly certificate: string | undefined;
  constructor(code: ValidationDataErrorCode, message: string, options: { certificate?: string; cause?: unknown } = {}) {
    super(code, message, { cause: options.cause });
    this.certificate = options.certificate;
  }
}
