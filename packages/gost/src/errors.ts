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
