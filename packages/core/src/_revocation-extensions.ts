// Internal: CRL distribution points (RFC 5280 §4.2.1.13), CRL and CRL-entry extensions (§5.2, §5.3) and the OCSP nonce (RFC 6960 §4.4.1, RFC 8954).

import { retag } from './_describe';
import { type Extension, openExtension as open } from './_extension-list';
import { type GeneralName, readGeneralNames } from './_general-name';
import { contextTag, type Der, TAG } from './asn1';
import { DecodeError } from './errors';

/** ReasonFlags bit names, bit 0 first (RFC 5280 §4.2.1.13). */
export const REASON_FLAG_BITS = [
  'unused',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'privilegeWithdrawn',
  'aACompromise',
] as const;

export type ReasonFlag = (typeof REASON_FLAG_BITS)[number];

/** DistributionPointName: full GeneralNames, or an RDN relative to the CRL issuer kept as a one-RDN Name. */
export type DistributionPointName =
  | { readonly type: 'fullName'; readonly names: readonly GeneralName[] }
  | { readonly type: 'nameRelativeToCRLIssuer'; readonly raw: Uint8Array };

/** One DistributionPoint. `uris` lists the URIs of `fullName` for convenience. */
export interface DistributionPoint {
  readonly name?: DistributionPointName | undefined;
  readonly reasons?: ReadonlySet<ReasonFlag> | undefined;
  readonly crlIssuer?: readonly GeneralName[] | undefined;
  readonly uris: readonly string[];
}

function readDpName(node: Der): DistributionPointName {
  const inner = node.explicit(0);
  if (inner.tag === contextTag(0, true)) return { type: 'fullName', names: readGeneralNames(inner, inner.tag) };
  if (inner.tag === contextTag(1, true)) return { type: 'nameRelativeToCRLIssuer', raw: inner.bytes };
  throw inner.error('expected fullName [0] or nameRelativeToCRLIssuer [1]');
}

function reasonSet(node: Der): ReadonlySet<ReasonFlag> {
  const bits = node.flags(node.tag);
  return new Set(REASON_FLAG_BITS.filter((_, i) => bits.has(i)));
}

function dpUris(name: DistributionPointName | undefined): string[] {
  if (name?.type !== 'fullName') return [];
  return name.names.flatMap((n) => (n.type === 'uniformResourceIdentifier' ? [n.value] : []));
}

/**
 * cRLDistributionPoints (RFC 5280 §4.2.1.13), also freshestCRL (§4.2.1.15).
 *
 * ```asn1
 * CRLDistributionPoints ::= SEQUENCE SIZE (1..MAX) OF DistributionPoint
 * DistributionPoint ::= SEQUENCE { distributionPoint [0] DistributionPointName OPTIONAL,
 *   reasons [1] ReasonFlags OPTIONAL, cRLIssuer [2] GeneralNames OPTIONAL }
 * DistributionPointName ::= CHOICE { fullName [0] GeneralNames, nameRelativeToCRLIssuer [1] RelativeDistinguishedName }
 * ```
 *
 * @throws DecodeError for malformed DER, or a point with neither a name nor a cRLIssuer.
 * @example
 * ```ts
 * decodeCrlDistributionPoints(ext).flatMap((p) => p.uris);
 * ```
 */
export function decodeCrlDistributionPoints(input: Extension | Uint8Array): DistributionPoint[] {
  const node = open(input, 'CRLDistributionPoints').expect(TAG.SEQUENCE);
  const out: DistributionPoint[] = [];
  for (const item of node.iterate()) {
    const r = item.read();
    const dp = r.optional(contextTag(0, true), 'distributionPoint');
    const reasons = r.optional(contextTag(1, false), 'reasons');
    const issuer = r.optional(contextTag(2, true), 'cRLIssuer');
    r.end();
    if (!dp && !issuer) throw item.error('DistributionPoint with neither distributionPoint nor cRLIssuer');
    const name = dp ? readDpName(dp) : undefined;
    out.push({
      name,
      reasons: reasons ? reasonSet(reasons) : undefined,
      crlIssuer: issuer ? readGeneralNames(issuer, issuer.tag) : undefined,
      uris: dpUris(name),
    });
  }
  if (out.length === 0) throw node.error('empty CRLDistributionPoints');
  return out;
}

/**
 * cRLNumber or deltaCRLIndicator (RFC 5280 §5.2.3, §5.2.4): `CRLNumber ::= INTEGER (0..MAX)`.
 *
 * @throws DecodeError for malformed DER or a negative number.
 * @example
 * ```ts
 * decodeCrlNumber(ext); // 42n
 * ```
 */
export function decodeCrlNumber(input: Extension | Uint8Array): bigint {
  const node = open(input, 'CRLNumber');
  const n = node.integer();
  if (n < 0n) throw node.error('negative CRLNumber');
  return n;
}

/** IssuingDistributionPoint fields; booleans are false when absent. */
export interface IssuingDistributionPoint {
  readonly name?: DistributionPointName | undefined;
  readonly uris: readonly string[];
  readonly onlyContainsUserCerts: boolean;
  readonly onlyContainsCACerts: boolean;
  readonly onlySomeReasons?: ReadonlySet<ReasonFlag> | undefined;
  readonly indirectCRL: boolean;
  readonly onlyContainsAttributeCerts: boolean;
}

/**
 * issuingDistributionPoint (RFC 5280 §5.2.5). An empty sequence and more than one of the
 * `onlyContains*` flags are errors (RFC 5280 §5.2.5).
 *
 * ```asn1
 * IssuingDistributionPoint ::= SEQUENCE { distributionPoint [0] DistributionPointName OPTIONAL,
 *   onlyContainsUserCerts [1] BOOLEAN DEFAULT FALSE, onlyContainsCACerts [2] BOOLEAN DEFAULT FALSE,
 *   onlySomeReasons [3] ReasonFlags OPTIONAL, indirectCRL [4] BOOLEAN DEFAULT FALSE,
 *   onlyContainsAttributeCerts [5] BOOLEAN DEFAULT FALSE }
 * ```
 *
 * @throws DecodeError for malformed DER or the violations above.
 * @example
 * ```ts
 * decodeIssuingDistributionPoint(ext).onlyContainsUserCerts;
 * ```
 */
export function decodeIssuingDistributionPoint(input: Extension | Uint8Array): IssuingDistributionPoint {
  const node = open(input, 'IssuingDistributionPoint');
  const r = node.read();
  const dp = r.optional(contextTag(0, true), 'distributionPoint');
  const flag = (n: number, name: string) => {
    const f = r.optional(contextTag(n, false), name);
    return f ? retag(f, TAG.BOOLEAN).bool() : false;
  };
  const onlyContainsUserCerts = flag(1, 'onlyContainsUserCerts');
  const onlyContainsCACerts = flag(2, 'onlyContainsCACerts');
  const reasons = r.optional(contextTag(3, false), 'onlySomeReasons');
  const indirectCRL = flag(4, 'indirectCRL');
  const onlyContainsAttributeCerts = flag(5, 'onlyContainsAttributeCerts');
  r.end();
  if (node.value.length === 0) throw node.error('empty IssuingDistributionPoint');
  if (Number(onlyContainsUserCerts) + Number(onlyContainsCACerts) + Number(onlyContainsAttributeCerts) > 1) {
    throw node.error('more than one onlyContains* flag set');
  }
  const name = dp ? readDpName(dp) : undefined;
  return {
    name,
    uris: dpUris(name),
    onlyContainsUserCerts,
    onlyContainsCACerts,
    onlySomeReasons: reasons ? reasonSet(reasons) : undefined,
    indirectCRL,
    onlyContainsAttributeCerts,
  };
}

/** CRLReason names by code (RFC 5280 §5.3.1); 7 is not used. */
export const CRL_REASONS: Readonly<Record<number, string>> = {
  0: 'unspecified',
  1: 'keyCompromise',
  2: 'cACompromise',
  3: 'affiliationChanged',
  4: 'superseded',
  5: 'cessationOfOperation',
  6: 'certificateHold',
  8: 'removeFromCRL',
  9: 'privilegeWithdrawn',
  10: 'aACompromise',
};

/** Reads a CRLReason ENUMERATED node. */
export function readReason(node: Der): string {
  const code = node.smallInt(TAG.ENUMERATED);
  const name = CRL_REASONS[code];
  if (!name) throw node.error(`unknown CRLReason ${code}`);
  return name;
}

/**
 * reasonCode CRL-entry extension (RFC 5280 §5.3.1): `CRLReason ::= ENUMERATED`, as its name.
 *
 * @throws DecodeError for malformed DER or an unknown code.
 * @example
 * ```ts
 * decodeReasonCode(ext); // 'keyCompromise'
 * ```
 */
export function decodeReasonCode(input: Extension | Uint8Array): string {
  return readReason(open(input, 'CRLReason'));
}

/**
 * invalidityDate CRL-entry extension (RFC 5280 §5.3.2): `InvalidityDate ::= GeneralizedTime`.
 *
 * @throws DecodeError for malformed DER or a time not in DER form.
 * @example
 * ```ts
 * decodeInvalidityDate(ext).toISOString();
 * ```
 */
export function decodeInvalidityDate(input: Extension | Uint8Array): Date {
  return open(input, 'InvalidityDate').expect(TAG.GENERALIZED_TIME).time();
}

/**
 * OCSP nonce (RFC 6960 §4.4.1, RFC 8954): the contents of the inner OCTET STRING; responders
 * that put the bare bytes in extnValue are read as-is.
 *
 * @example
 * ```ts
 * decodeOcspNonce(ext).length; // 32
 * ```
 */
export function decodeOcspNonce(input: Extension | Uint8Array): Uint8Array {
  const bytes = input instanceof Uint8Array ? input : input.value;
  try {
    return open(input, 'Nonce').octets();
  } catch (e) {
    if (e instanceof DecodeError) return bytes;
    throw e;
  }
}
