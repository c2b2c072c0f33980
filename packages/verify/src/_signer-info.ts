// Internal: the checks of one CMS SignerInfo that need no certification path: signing certificate, signed attributes, message digest, signature value and the signing-certificate(-v2) binding (RFC 5652 §5.3-§5.6, §11; RFC 5035 §3-§5; RFC 2634 §5.4).

import { findAlgorithm } from '@eds/core/algorithms';
import { decodeDer, TAG } from '@eds/core/asn1';
import { findDigest, sha1, sha256 } from '@eds/core/digests';
import { parsePublicKey } from '@eds/core/keys';
import { type Name, parseName } from '@eds/core/name';
import type { SignerInfoView } from '@eds/core/signed-data';
import type { DigestAlgorithm, SignatureAlgorithm } from '@eds/core/types';
import type { Certificate } from '@eds/core/x509';
import type { Check, CheckCode, CheckOutcome, Indication, SubIndication } from './report';

const OID_CONTENT_TYPE = '1.2.840.113549.1.9.3';
const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const OID_SIGNING_TIME = '1.2.840.113549.1.9.5';
const OID_SIGNING_CERTIFICATE = '1.2.840.113549.1.9.16.2.12';
const OID_SIGNING_CERTIFICATE_V2 = '1.2.840.113549.1.9.16.2.47';

/** A failed check's verdict: the indication it forces. */
export interface Failure {
  readonly indication: Exclude<Indication, 'TOTAL_PASSED'>;
  readonly subIndication: SubIndication;
}

/** Checks in order, with the first failure. */
export class CheckList {
  readonly checks: Check[] = [];
  failure: Failure | undefined;

  add(code: CheckCode, outcome: CheckOutcome, extra: Omit<Check, 'code' | 'outcome'> = {}): void {
    this.checks.push({ code, outcome, ...extra });
  }

  /** Records a failed (or indeterminate) check and, if it is the first, its verdict. */
  fail(code: CheckCode, failure: Failure, extra: Omit<Check, 'code' | 'outcome'> = {}): void {
    this.add(code, failure.indication === 'TOTAL_FAILED' ? 'failed' : 'indeterminate', extra);
    this.failure ??= failure;
  }
}

/** What {@link checkSignerInfo} needs besides the SignerInfo. */
export interface SignerInfoContext {
  /** Candidate certificates: the SignedData's, the caller's, certificate-values. */
  readonly certificates: readonly Certificate[];
  /** eContentType; undefined for a countersignature, whose signed attributes must not carry a content type (RFC 5652 §11.4). */
  readonly contentType: string | undefined;
  /** The digest of the signed content per digest OID (for a countersignature: of the countersigned signature value). */
  readonly digests: ReadonlyMap<string, Uint8Array>;
  /** The content itself when held (needed only for an Ed25519 signature without signed attributes). */
  readonly content?: Uint8Array | undefined;
  readonly algorithms: readonly SignatureAlgorithm[];
  /** Require signingCertificate(V2) (time-stamp tokens, RFC 3161 §2.4.2 / RFC 5816). */
  readonly requireSigningCertificate: boolean;
}

/** The outcome: the signer's certificate when found, the checks and the first failure. */
export interface SignerInfoResult {
  readonly certificate: Certificate | undefined;
  readonly list: CheckList;
  /** signingCertificate(V2) was present and bound to the certificate. */
  readonly bound: boolean;
  readonly signatureAlgorithm: SignatureAlgorithm | undefined;
}

const FORMAT: Failure = { indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' };
const NO_CERT: Failure = { indication: 'INDETERMINATE', subIndication: 'NO_SIGNING_CERTIFICATE_FOUND' };

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The certificate a sid names (IssuerAndSerialNumber or SubjectKeyIdentifier), RFC 5652 §5.3. */
export function findSignerCertificate(
  si: SignerInfoView,
  certificates: readonly Certificate[],
): Certificate | undefined {
  const candidates = sidMatches(si, certificates);
  if (candidates.length < 2) return candidates[0];
  // Several certificates answer to the sid (an unsigned certificate list can hold look-alikes):
  // the one the signed signingCertificate(V2) names, else the first.
  return candidates.find((c) => namedByBinding(si, c)) ?? candidates[0];
}

/** Whether the first ESSCertID(v2) of the SignerInfo names `c` by its hash. */
function namedByBinding(si: SignerInfoView, c: Certificate): boolean {
  const v2 = single(si, OID_SIGNING_CERTIFICATE_V2);
  const value = v2 ?? single(si, OID_SIGNING_CERTIFICATE);
  if (value === undefined || value === 'bad') return false;
  try {
    const b = essBinding(value, v2 !== undefined);
    return equal(b.hash.digest(c.raw), b.certHash);
  } catch {
    return false;
  }
}

function sidMatches(si: SignerInfoView, certificates: readonly Certificate[]): Certificate[] {
  const sid = si.sid;
  return certificates.filter((c) => {
    if ('subjectKeyIdentifier' in sid) {
      let ski: Uint8Array | undefined;
      try {
        ski = c.subjectKeyIdentifier;
      } catch {
        return false; // an SKI extension that does not decode names nothing
      }
      return ski !== undefined && equal(ski, sid.subjectKeyIdentifier);
    }
    return c.serialNumber === sid.serialNumber && sameName(c.issuer, sid.issuer);
  });
}

/** The same bytes, or the same name under RFC 5280 §7.1 matching. */
function sameName(name: Name, raw: Uint8Array): boolean {
  if (equal(name.raw, raw)) return true;
  try {
    return name.equals(parseName(raw));
  } catch {
    return false;
  }
}

/** The single value of a signed attribute that must occur once with one value (RFC 5652 §5.3, §11). */
function single(si: SignerInfoView, oid: string): Uint8Array | undefined | 'bad' {
  const found = si.signedAttrs?.list.filter((a) => a.oid === oid) ?? [];
  if (found.length === 0) return undefined;
  if (found.length > 1 || found[0]?.values.length !== 1) return 'bad';
  return found[0]?.values[0];
}

/** Checks contentType, messageDigest and signingTime presence and form; returns the messageDigest. */
function checkSignedAttributes(si: SignerInfoView, ctx: SignerInfoContext, list: CheckList): Uint8Array | undefined {
  const contentType = single(si, OID_CONTENT_TYPE);
  const digest = single(si, OID_MESSAGE_DIGEST);
  const time = single(si, OID_SIGNING_TIME);
  const problems: string[] = [];
  if (digest === undefined || digest === 'bad') problems.push('messageDigest must occur once with one value');
  if (time === 'bad') problems.push('signingTime must occur at most once with one value');
  if (ctx.contentType === undefined) {
    if (contentType !== undefined) problems.push('a countersignature must not carry a content type (RFC 5652 §11.4)');
  } else if (contentType === undefined || contentType === 'bad') {
    problems.push('contentType must occur once with one value');
  } else {
    let oid: string | undefined;
    try {
      oid = decodeDer(contentType, 'ContentType').oid();
    } catch {
      oid = undefined;
    }
    if (oid !== ctx.contentType) {
      list.fail('CONTENT_TYPE_MISMATCH', FORMAT, {
        detail: `contentType ${oid ?? '(malformed)'} is not the eContentType ${ctx.contentType}`,
      });
      return undefined;
    }
  }
  if (problems.length) {
    list.fail('SIGNED_ATTRIBUTES_INVALID', FORMAT, { detail: problems.join('; ') });
    return undefined;
  }
  try {
    return decodeDer(digest as Uint8Array, 'MessageDigest').octets();
  } catch {
    list.fail('SIGNED_ATTRIBUTES_INVALID', FORMAT, { detail: 'messageDigest is not an OCTET STRING' });
    return undefined;
  }
}

/** Verifies the signature value; a missing algorithm is INDETERMINATE, a bad signature TOTAL_FAILED. */
async function checkSignatureValue(
  si: SignerInfoView,
  cert: Certificate,
  ctx: SignerInfoContext,
  digest: Uint8Array,
  list: CheckList,
): Promise<SignatureAlgorithm | undefined> {
  let algorithm: SignatureAlgorithm;
  let key: ReturnType<typeof parsePublicKey>;
  try {
    key = parsePublicKey(cert.spki);
    algorithm = findAlgorithm(ctx.algorithms, si.signatureAlgorithm, { key, digestOid: si.digestAlgorithm.oid });
  } catch (e) {
    list.fail(
      'ALGORITHM_UNSUPPORTED',
      { indication: 'INDETERMINATE', subIndication: 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE' },
      {
        detail: e instanceof Error ? e.message : String(e),
        params: { algorithm: si.signatureAlgorithm.oid },
      },
    );
    return undefined;
  }
  let ok: boolean;
  if (si.signedAttrsForSignature) ok = await algorithm.verify(key, si.signedAttrsForSignature, si.signature);
  else if (ctx.content) ok = await algorithm.verify(key, ctx.content, si.signature);
  else if (algorithm.verifyDigest) ok = await algorithm.verifyDigest(key, digest, si.signature);
  else {
    list.fail(
      'ALGORITHM_UNSUPPORTED',
      { indication: 'INDETERMINATE', subIndication: 'SIGNED_DATA_NOT_FOUND' },
      {
        detail: `${algorithm.name} without signed attributes needs the content in memory`,
        params: { algorithm: algorithm.name },
      },
    );
    return algorithm;
  }
  if (ok) list.add('SIGNATURE_VALID', 'passed', { params: { algorithm: algorithm.name } });
  else list.fail('SIGNATURE_INVALID', { indication: 'TOTAL_FAILED', subIndication: 'SIG_CRYPTO_FAILURE' });
  return algorithm;
}

/**
 * ESSCertID / ESSCertIDv2 of the first entry of signingCertificate(V2): certHash over the whole
 * certificate and, when present, issuerSerial naming it (RFC 5035 §4, RFC 2634 §5.4.1).
 */
function essBinding(
  value: Uint8Array,
  v2: boolean,
): { hash: DigestAlgorithm; certHash: Uint8Array; serial?: bigint; issuer?: Uint8Array } {
  const certs = decodeDer(value, 'SigningCertificate').read().next(TAG.SEQUENCE, 'certs');
  const first = certs.children()[0];
  if (!first) throw new Error('signingCertificate lists no certificate');
  const r = first.read();
  const algorithm = v2 ? r.optional(TAG.SEQUENCE, 'hashAlgorithm') : undefined;
  const hash = algorithm ? findDigest(algorithm.read().next(TAG.OID, 'algorithm').oid()) : v2 ? sha256 : sha1;
  const certHash = r.next(TAG.OCTET_STRING, 'certHash').value;
  const serialNode = r.optional(TAG.SEQUENCE, 'issuerSerial');
  if (!serialNode) return { hash, certHash };
  const s = serialNode.read();
  const names = s.next(TAG.SEQUENCE, 'issuer').children();
  const serial = s.next(TAG.INTEGER, 'serialNumber').integer();
  const dn = names.find((n) => n.tag === 0xa4);
  return dn ? { hash, certHash, serial, issuer: dn.explicit(4).bytes } : { hash, certHash, serial };
}

/** Checks the signingCertificate(V2) attribute against the certificate found by sid. */
function checkBinding(si: SignerInfoView, cert: Certificate, ctx: SignerInfoContext, list: CheckList): boolean {
  const v2 = single(si, OID_SIGNING_CERTIFICATE_V2);
  const v1 = v2 === undefined ? single(si, OID_SIGNING_CERTIFICATE) : undefined;
  const value = v2 ?? v1;
  if (value === undefined) {
    if (ctx.requireSigningCertificate) list.fail('SIGNING_CERTIFICATE_ATTRIBUTE_MISSING', NO_CERT);
    else list.add('SIGNING_CERTIFICATE_ATTRIBUTE_MISSING', 'info');
    return false;
  }
  try {
    if (value === 'bad') throw new Error('the attribute must occur once with one value');
    const b = essBinding(value, v2 !== undefined);
    const problems: string[] = [];
    if (!equal(b.hash.digest(cert.raw), b.certHash))
      problems.push(`the ${b.hash.name} certHash is not the certificate's`);
    if (b.serial !== undefined && b.serial !== cert.serialNumber)
      problems.push('issuerSerial names another serial number');
    if (b.issuer !== undefined && !equal(b.issuer, cert.issuer.raw)) problems.push('issuerSerial names another issuer');
    if (problems.length) {
      list.fail('SIGNING_CERTIFICATE_MISMATCH', NO_CERT, { detail: problems.join('; ') });
      return false;
    }
  } catch (e) {
    list.fail('SIGNING_CERTIFICATE_MISMATCH', NO_CERT, { detail: e instanceof Error ? e.message : String(e) });
    return false;
  }
  list.add('SIGNING_CERTIFICATE_BOUND', 'passed');
  return true;
}

/**
 * Runs the path-independent checks of one SignerInfo, in the order of ETSI EN 319 102-1 §5.2
 * (identification of the signing certificate, then cryptographic verification): stops at the
 * first failure, so later checks are not listed as passed after an earlier one failed.
 */
export async function checkSignerInfo(si: SignerInfoView, ctx: SignerInfoContext): Promise<SignerInfoResult> {
  const list = new CheckList();
  const certificate = findSignerCertificate(si, ctx.certificates);
  const done = (bound = false, signatureAlgorithm?: SignatureAlgorithm) => ({
    certificate,
    list,
    bound,
    signatureAlgorithm,
  });
  if (!certificate) {
    list.fail('SIGNING_CERTIFICATE_NOT_FOUND', NO_CERT);
    return done();
  }
  list.add('SIGNING_CERTIFICATE_FOUND', 'passed');
  let expected: Uint8Array | undefined;
  try {
    expected = ctx.digests.get(findDigest(si.digestAlgorithm.oid).oid);
  } catch {
    expected = undefined;
  }
  if (!expected) {
    list.fail(
      'ALGORITHM_UNSUPPORTED',
      { indication: 'INDETERMINATE', subIndication: 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE' },
      {
        params: { algorithm: si.digestAlgorithm.oid },
      },
    );
    return done();
  }
  if (si.signedAttrs) {
    const digest = checkSignedAttributes(si, ctx, list);
    if (!digest) return done();
    if (!equal(digest, expected)) {
      list.fail('DIGEST_MISMATCH', { indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' });
      return done();
    }
    list.add('SIGNED_ATTRIBUTES_OK', 'passed');
    list.add('DIGEST_MATCH', 'passed');
  }
  if (!si.signedAttrs && ctx.requireSigningCertificate) {
    list.fail('SIGNING_CERTIFICATE_ATTRIBUTE_MISSING', NO_CERT, {
      detail: 'no signed attributes, so no signingCertificate',
    });
    return done();
  }
  const bound = si.signedAttrs ? checkBinding(si, certificate, ctx, list) : false;
  if (list.failure) return done(bound);
  const algorithm = await checkSignatureValue(si, certificate, ctx, expected, list);
  if (!si.signedAttrs && list.checks.some((c) => c.code === 'SIGNATURE_VALID')) list.add('DIGEST_MATCH', 'passed');
  return done(bound, algorithm);
}
