// Error families of @eds/verify (ARCHITECTURE.md, "Errors"): path validation and revocation.
import type { Certificate } from '@eds/core/x509';
import { EdsError } from '@eds/gost/errors';
import type { RevocationResult } from './types';

export { EdsError };

/**
 * Why a certification path was rejected (RFC 5280 §6.1.3-§6.1.5 and the path builder).
 *
 * - `NO_PATH`: no chain from the certificate to a trust anchor (no issuer found).
 * - `NAME_CHAINING`: an issuer's subject does not match the certificate's issuer (§6.1.3 a.4).
 * - `SIGNATURE`: a certificate's signature does not verify with its issuer's key (§6.1.3 a.1).
 * - `UNSUPPORTED_ALGORITHM`: a signature or key algorithm outside the algorithm set (DSA, ...).
 * - `EXPIRED`, `NOT_YET_VALID`: outside notBefore..notAfter at the validation time (§6.1.3 a.2).
 * - `NOT_CA`: an issuer without basicConstraints cA (or a v1/v2 intermediate) (§6.1.4 k).
 * - `PATH_LENGTH`: a pathLenConstraint or the caller's depth limit exceeded (§6.1.4 l, m).
 * - `KEY_USAGE`: an issuer without keyCertSign, or the leaf without a required key usage (§6.1.4 n).
 * - `EXTENDED_KEY_USAGE`: the leaf (or, by policy, a CA) lacks the required purpose.
 * - `NAME_CONSTRAINTS`: a subject name or alternative name outside the permitted / inside the excluded subtrees (§6.1.3 b, c).
 * - `POLICY`: the valid policy tree is empty where an explicit policy is required (§6.1.3 f, §6.1.5 g).
 * - `UNKNOWN_CRITICAL_EXTENSION`: a critical extension the validator does not process (§6.1.4 o, §6.1.5 f).
 * - `MALFORMED`: a certificate that does not decode or breaks an RFC 5280 MUST.
 * - `REVOKED`, `SUSPENDED`: revocation data says so; `REVOCATION_UNKNOWN`: required revocation data is missing or unusable.
 * - `ANCHOR_NOT_ALLOWED`: the only anchors reached may not be used for the requested purpose.
 * - `BUDGET`: the path builder's work budget ran out before a valid path was found.
 */
export type PathFailureReason =
  | 'NO_PATH'
  | 'NAME_CHAINING'
  | 'SIGNATURE'
  | 'UNSUPPORTED_ALGORITHM'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'NOT_CA'
  | 'PATH_LENGTH'
  | 'KEY_USAGE'
  | 'EXTENDED_KEY_USAGE'
  | 'NAME_CONSTRAINTS'
  | 'POLICY'
  | 'UNKNOWN_CRITICAL_EXTENSION'
  | 'MALFORMED'
  | 'REVOKED'
  | 'SUSPENDED'
  | 'REVOCATION_UNKNOWN'
  | 'ANCHOR_NOT_ALLOWED'
  | 'BUDGET';

/**
 * A certification path could not be validated. `reason` is the most specific failure found,
 * `certificate` the offending certificate and `index` its position in the path (0 = the target).
 * Code: `ERR_PATH_<reason>`.
 *
 * @example
 * ```ts
 * try { await buildPath(cert, { trust }); } catch (e) {
 *   if (e instanceof PathValidationError && e.reason === 'EXPIRED') console.log(e.certificate?.notAfter);
 * }
 * ```
 */
export class PathValidationError extends EdsError {
  readonly reason: PathFailureReason;
  readonly certificate: Certificate | undefined;
  readonly index: number | undefined;
  /** For REVOKED, SUSPENDED and REVOCATION_UNKNOWN: the revocation answer that failed the path. */
  readonly revocation: RevocationResult | undefined;

  constructor(
    reason: PathFailureReason,
    message: string,
    options: { certificate?: Certificate; index?: number; cause?: unknown; revocation?: RevocationResult } = {},
  ) {
    super(`ERR_PATH_${reason}`, message, { cause: options.cause });
    this.reason = reason;
    this.certificate = options.certificate;
    this.index = options.index;
    this.revocation = options.revocation;
  }
}
