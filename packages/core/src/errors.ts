// Error families of @eds/core (ARCHITECTURE.md, "Errors"). All extend EdsError from @eds/gost.
import { EdsError } from '@eds/gost/errors';

export { EdsError };

/**
 * Input bytes or text could not be decoded (PEM, Base64, hex, DER, XML). `offset` is the byte
 * or character offset where decoding failed, when known; `path` names the structure being read
 * (for example `Certificate.tbsCertificate.validity`).
 *
 * Codes: `ERR_DECODE_PEM`, `ERR_DECODE_BASE64`, `ERR_DECODE_HEX`, `ERR_DECODE_FORMAT`,
 * `ERR_DECODE_TOO_LARGE`.
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
