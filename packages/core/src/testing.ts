// A test certification authority for tests and demos: X.509 v3 certificates (RFC 5280 §4), CRLs (RFC 5280 §5)
// and OCSP responses (RFC 6960 §4.2), plain or in the Russian qualified-certificate profile (FSB order 795).
/**
 * `@eds/core/testing` makes keys, CA hierarchies, end-entity certificates, CRLs and OCSP
 * responses **for tests, demos and examples only**. Its certificates carry no real identity, its
 * Russian identifiers are random numbers with valid check digits, and it keeps its CA keys in memory.
 * Never use it to issue certificates anyone relies on.
 *
 * @module
 */

import {
  checkSerial,
  type ExtensionsInput,
  encodeExtensions,
  encodeName,
  type KeyUsageName,
  keyIdentifier,
  type NameInput,
  type RawExtension,
  randomSerial,
  signEnvelope,
} from './_cert-builder';
import { readCertificate } from './_cert-fields';
import {
  type CrlOptions,
  createCrl,
  createOcspResponse,
  type OcspResponseOptions,
  REVOCATION_REASONS,
  type Revocation,
  type RevocationAuthority,
  type RevocationReason,
} from './_test-ca-revocation';
import { der } from './asn1';
import { generateKeyPair, type KeySpec } from './keys';
import { createSigner } from './signer';
import type { PrivateKey, SignatureAlgorithm, Signer } from './types';

export type { KeyUsageName, NameInput, RawExtension } from './_cert-builder';
export {
  type CertIdInput,
  type CrlOptions,
  OCSP_RESPONSE_STATUS,
  type OcspResponseOptions,
  REVOCATION_REASONS,
  type Revocation,
  type RevocationReason,
} from './_test-ca-revocation';
export type { KeySpec } from './keys';

/** Certificate profile: plain RFC 5280, or the Russian qualified-certificate profile. */
export type TestProfile = 'russian-qualified' | 'plain';

/** A validity period; missing ends are set relative to `now`. */
export interface Validity {
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

/** Extension fields {@link TestCa.issue} accepts besides the defaults of its profile. */
type IssueExtensionFields = Pick<
  ExtensionsInput,
  | 'keyUsage'
  | 'extKeyUsage'
  | 'subjectAltName'
  | 'certificatePolicies'
  | 'subjectSignTool'
  | 'issuerSignTool'
  | 'privateKeyUsagePeriod'
  | 'ocspNoCheck'
>;

/** What every certificate the toolkit makes may set. */
interface CertificateOptions {
  /** The subject; defaults depend on the profile. Under `russian-qualified` an object subject gets the identifiers it lacks. */
  readonly subject?: NameInput;
  /** The subject's key; generated from `keySpec` when absent. */
  readonly key?: PrivateKey;
  readonly keySpec?: KeySpec;
  /** The algorithm of the returned signer (default: the usual one for the key). */
  readonly signatureAlgorithm?: SignatureAlgorithm;
  readonly validity?: Validity;
  /** The time defaults are relative to (default: the current time). */
  readonly now?: Date;
  /** Serial number (default: 16 random bytes, positive). */
  readonly serial?: bigint;
  readonly profile?: TestProfile;
  /** Raw extensions added last; one with the OID of a generated extension replaces it. */
  readonly extensions?: readonly RawExtension[];
  readonly signal?: AbortSignal;
}

/** URLs a CA puts into the certificates it issues (CRL DP, AIA); `null` leaves one out. */
interface ServiceUrls {
  readonly crlUrl?: string | null;
  readonly ocspUrl?: string | null;
  readonly caIssuersUrl?: string | null;
}

/** Options of {@link createTestCa} and {@link TestCa.issueIntermediate}. */
export interface TestCaOptions extends CertificateOptions, ServiceUrls {
  /** basicConstraints pathLenConstraint (default: none). */
  readonly pathLen?: number;
}

/** Options of {@link TestCa.issue}. */
export interface IssueOptions extends CertificateOptions, ServiceUrls, IssueExtensionFields {
  /** basicConstraints of the end entity (default `{ ca: false }`). */
  readonly basicConstraints?: ExtensionsInput['basicConstraints'];
}

/** An issued certificate with its key and a ready signer. */
export interface IssuedCertificate {
  /** DER certificate. */
  readonly certificate: Uint8Array;
  readonly key: PrivateKey;
  /** A signer over `key` with `certificate` attached. */
  readonly signer: Signer;
  readonly serial: bigint;
}

/**
 * A test certification authority. Everything it makes is signed through its {@link Signer}, so any
 * key type works; it records what it issued and revoked to answer CRL and OCSP requests.
 * For tests and demos only.
 */
export interface TestCa extends IssuedCertificate {
  /** DER Name of the CA (the issuer of what it signs). */
  readonly subject: Uint8Array;
  /** This CA's certificate followed by its issuers' up to the root. */
  readonly chain: readonly Uint8Array[];
  readonly profile: TestProfile;
  /** Issues an end-entity certificate (a key is generated unless given). */
  issue(options?: IssueOptions): Promise<IssuedCertificate>;
  /** Issues a subordinate CA. */
  issueIntermediate(options?: TestCaOptions): Promise<TestCa>;
  /** Records a revocation (default reason none, time now). `target` is a serial or a certificate this CA issued. */
  revoke(target: bigint | Uint8Array, options?: { reason?: RevocationReason; time?: Date }): void;
  /** The revocations recorded so far, in order. */
  revocations(): readonly Revocation[];
  /** A signed CRL v2 of the revocations up to `thisUpdate`. */
  createCrl(options?: CrlOptions): Promise<Uint8Array>;
  /** A signed OCSP response (DER OCSPResponse). */
  createOcspResponse(options?: OcspResponseOptions): Promise<Uint8Array>;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const YEAR = 365 * DAY;
const POLICY_KC1 = '1.2.643.100.113.1';
const POLICY_KC2 = '1.2.643.100.113.2';

/** Sign-tool names written under the Russian profile: invented, and marked as test values. */
const SIGN_TOOL = 'Тестовое средство ЭП @eds/core/testing (не сертифицировано)';
const ISSUER_SIGN_TOOL = {
  signTool: SIGN_TOOL,
  cATool: 'Тестовый УЦ @eds/core/testing',
  signToolCert: 'Тест: сертификат соответствия отсутствует',
  cAToolCert: 'Тест: сертификат соответствия отсутствует',
};

// ---------------------------------------------------------------------------------------------
// Russian test identifiers with valid check digits

function randomDigits(n: number): number[] {
  return Array.from(globalThis.crypto.getRandomValues(new Uint8Array(n)), (b) => b % 10);
}

function weighted(digits: readonly number[], weights: readonly number[]): number {
  return weights.reduce((sum, w, i) => sum + w * (digits[i] as number), 0);
}

function innCheck(digits: number[], weights: number[]): number {
  return (weighted(digits, weights) % 11) % 10;
}

function mod(digits: readonly number[], m: number): number {
  return digits.reduce((r, d) => (r * 10 + d) % m, 0);
}

/**
 * Random Russian identifiers with valid check digits, for test subjects: INN of an individual
 * (12 digits) and of a legal entity (10), OGRN (13), OGRNIP (15), SNILS (11). They are random, so one
 * may happen to be a real person's or company's number: use them for tests and demos only.
 *
 * Check digits: INN per the FNS algorithm (weights 2,4,10,3,5,9,4,6,8 and 7,2,4,10,3,5,9,4,6,8 /
 * 3,7,2,4,10,3,5,9,4,6,8), OGRN mod 11, OGRNIP mod 13, SNILS weights 9..1 mod 101.
 *
 * @example
 * ```ts
 * const ids = testIdentifiers();
 * await ca.issue({ subject: { commonName: 'Иванов Иван', snils: ids.snils, inn: ids.inn } });
 * ```
 */
export function testIdentifiers(): { inn: string; innle: string; ogrn: string; ogrnip: string; snils: string } {
  const person = [1, ...randomDigits(9)]; // region codes start at 01; avoid a leading zero
  person.push(innCheck(person, [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]));
  person.push(innCheck(person, [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]));
  const entity = [7, 7, ...randomDigits(7)];
  entity.push(innCheck(entity, [2, 4, 10, 3, 5, 9, 4, 6, 8]));
  const ogrn = [1, ...randomDigits(11)];
  ogrn.push(mod(ogrn, 11) % 10);
  const ogrnip = [3, ...randomDigits(13)];
  ogrnip.push(mod(ogrnip, 13) % 10);
  const snils = [1, ...randomDigits(8)];
  let s = weighted(snils, [9, 8, 7, 6, 5, 4, 3, 2, 1]);
  s = s < 100 ? s : s % 101 === 100 ? 0 : s % 101;
  const text = (d: number[]) => d.join('');
  return {
    inn: text(person),
    innle: text(entity),
    ogrn: text(ogrn),
    ogrnip: text(ogrnip),
    snils: text(snils) + String(s).padStart(2, '0'),
  };
}

// ---------------------------------------------------------------------------------------------
// Subjects and keys

type NameObject = Readonly<Record<string, string | readonly string[] | undefined>>;

function isNameObject(input: NameInput): input is NameObject {
  return !(input instanceof Uint8Array) && !Array.isArray(input);
}

/** Adds what the Russian profile expects of a subject (FSB order 795) and the object lacks. */
function russianSubject(input: NameInput, kind: 'ca' | 'person'): NameInput {
  if (!isNameObject(input)) return input;
  const ids = testIdentifiers();
  const out: Record<string, string | readonly string[] | undefined> = { country: 'RU', ...input };
  if (kind === 'ca' || out.organization !== undefined) {
    if (out.ogrn === undefined && out.ogrnip === undefined) out.ogrn = ids.ogrn;
    if (out.innle === undefined) out.innle = ids.innle;
  }
  if (kind === 'person') {
    out.snils ??= ids.snils;
    out.inn ??= ids.inn;
  }
  return out as NameInput;
}

function defaultCaSubject(profile: TestProfile, level: number): NameInput {
  const tag = globalThis.crypto
    .getRandomValues(new Uint8Array(3))
    .reduce((s, b) => s + b.toString(16).padStart(2, '0'), '');
  if (profile === 'plain') {
    return { organization: 'EDS Test', commonName: `EDS Test ${level === 0 ? 'Root' : 'Intermediate'} CA ${tag}` };
  }
  return {
    country: 'RU',
    stateOrProvince: '77 г. Москва',
    locality: 'г. Москва',
    street: 'ул. Тестовая, д. 1',
    organization: 'ООО «Тестовый УЦ»',
    commonName: `Тестовый УЦ ${level === 0 ? 'корневой' : 'подчинённый'} ${tag}`,
    email: 'ca@test.invalid',
  };
}

function defaultLeafSubject(profile: TestProfile): NameInput {
  if (profile === 'plain') return { commonName: 'EDS Test End Entity' };
  return {
    country: 'RU',
    stateOrProvince: '77 г. Москва',
    locality: 'г. Москва',
    commonName: 'Иванов Иван Иванович',
    surname: 'Иванов',
    givenName: 'Иван Иванович',
  };
}

const EC_CURVES: ReadonlyMap<string | undefined, 'P-256' | 'P-384' | 'P-521'> = new Map([
  ['1.2.840.10045.3.1.7', 'P-256'],
  ['1.3.132.0.34', 'P-384'],
  ['1.3.132.0.35', 'P-521'],
]);

/** A spec that makes keys of the same kind as `key`. */
function specOf(key: PrivateKey): KeySpec {
  switch (key.type) {
    case 'ecdsa':
      return { type: 'ecdsa', curve: EC_CURVES.get(key.publicKey.curveOid) ?? 'P-256' } as KeySpec;
    case 'rsa':
      return { type: 'rsa', bits: ([2048, 3072, 4096] as const).find((b) => b === key.publicKey.bits) ?? 2048 };
    case 'gost2012-512':
      return { type: 'gost2012-512' } as KeySpec;
    case 'ed25519':
      return { type: 'ed25519' } as KeySpec;
    default:
      return { type: 'gost2012-256' } as KeySpec;
  }
}

async function keyFor(options: CertificateOptions, fallback: KeySpec): Promise<PrivateKey> {
  return options.key ?? generateKeyPair(options.keySpec ?? fallback);
}

function validityFor(options: CertificateOptions, span: number, cap?: Date): { notBefore: Date; notAfter: Date } {
  const now = options.now ?? new Date();
  const notBefore = options.validity?.notBefore ?? new Date(now.getTime() - 5 * MINUTE);
  let notAfter = options.validity?.notAfter ?? new Date(now.getTime() + span);
  if (!options.validity?.notAfter && cap && notAfter > cap) notAfter = cap;
  if (notAfter <= notBefore) throw new RangeError('validity: notAfter must be after notBefore');
  return { notBefore, notAfter };
}

// ---------------------------------------------------------------------------------------------
// Certificates

interface TbsParams {
  readonly serial: bigint;
  readonly issuer: Uint8Array;
  readonly subject: Uint8Array;
  readonly spki: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly extensions: readonly Uint8Array[];
}

/**
 * ```asn1
 * TBSCertificate ::= SEQUENCE {
 *   version [0] EXPLICIT Version DEFAULT v1, serialNumber INTEGER, signature AlgorithmIdentifier,
 *   issuer Name, validity Validity, subject Name, subjectPublicKeyInfo SubjectPublicKeyInfo,
 *   extensions [3] EXPLICIT Extensions OPTIONAL }
 * ```
 */
function signCertificate(signer: Signer, p: TbsParams, signal?: AbortSignal): Promise<Uint8Array> {
  const tbs = der.seq(
    der.explicit(0, der.int(2)),
    der.int(checkSerial(p.serial)),
    signer.algorithm.identifier(),
    p.issuer,
    der.seq(der.time(p.notBefore), der.time(p.notAfter)),
    p.subject,
    p.spki,
    der.explicit(3, der.seq(...p.extensions)),
  );
  return signEnvelope(signer, tbs, signal);
}

/** Internal state of one CA. */
interface CaState extends RevocationAuthority {
  readonly cert: IssuedCertificate;
  readonly notAfter: Date;
  readonly chain: readonly Uint8Array[];
  readonly profile: TestProfile;
  readonly keySpec: KeySpec;
  readonly urls: ServiceUrls;
}

/** The extensions an issuer adds to everything it signs: AKI, CRL DP and AIA. */
function issuerExtensions(ca: CaState | undefined, spki: Uint8Array, urls: ServiceUrls): ExtensionsInput {
  const pick = (k: keyof ServiceUrls) => (urls[k] === undefined ? ca?.urls[k] : urls[k]) ?? undefined;
  const crl = pick('crlUrl');
  const ocsp = pick('ocspUrl');
  const caIssuers = pick('caIssuersUrl');
  return {
    subjectKeyIdentifier: keyIdentifier(spki),
    authorityKeyIdentifier: keyIdentifier(ca ? ca.spki : spki),
    crlDistributionPoints: crl ? [crl] : undefined,
    authorityInfoAccess: { ocsp: ocsp ? [ocsp] : undefined, caIssuers: caIssuers ? [caIssuers] : undefined },
  };
}

async function makeCa(parent: CaState | undefined, options: TestCaOptions): Promise<TestCa> {
  const profile = options.profile ?? parent?.profile ?? 'plain';
  const fallback: KeySpec =
    parent?.keySpec ??
    ((profile === 'plain' ? { type: 'ecdsa', curve: 'P-256' } : { type: 'gost2012-256' }) as KeySpec);
  const key = await keyFor(options, fallback);
  const level = parent ? parent.chain.length : 0;
  let subjectInput = options.subject ?? defaultCaSubject(profile, level);
  if (profile === 'russian-qualified') subjectInput = russianSubject(subjectInput, 'ca');
  const subject = encodeName(subjectInput);
  const spki = key.publicKey.spki;
  const serial = options.serial ?? randomSerial();
  const { notBefore, notAfter } = validityFor(options, parent ? 5 * YEAR : 10 * YEAR, parent?.notAfter);
  const russian: ExtensionsInput =
    profile === 'russian-qualified'
      ? { certificatePolicies: [POLICY_KC1, POLICY_KC2], subjectSignTool: SIGN_TOOL, issuerSignTool: ISSUER_SIGN_TOOL }
      : {};
  const extensions = encodeExtensions({
    basicConstraints: { ca: true, pathLen: options.pathLen },
    keyUsage: ['digitalSignature', 'keyCertSign', 'cRLSign'],
    ...issuerExtensions(parent, spki, parent ? {} : { crlUrl: null, ocspUrl: null, caIssuersUrl: null }),
    ...russian,
    extra: options.extensions,
  });
  const ownSigner = createSigner({ key, algorithm: options.signatureAlgorithm });
  const issuerSigner = parent ? parent.cert.signer : ownSigner;
  const certificate = await signCertificate(
    issuerSigner,
    { serial, issuer: parent ? parent.subject : subject, subject, spki, notBefore, notAfter, extensions },
    options.signal,
  );
  parent?.issued.add(serial);
  const state: CaState = {
    cert: {
      certificate,
      key,
      serial,
      signer: createSigner({ key, certificate, algorithm: options.signatureAlgorithm }),
    },
    subject,
    spki,
    notAfter,
    chain: [certificate, ...(parent?.chain ?? [])],
    profile,
    keySpec: options.keySpec ?? (options.key ? specOf(options.key) : fallback),
    urls: { crlUrl: options.crlUrl, ocspUrl: options.ocspUrl, caIssuersUrl: options.caIssuersUrl },
    issued: new Set(),
    revoked: new Map(),
    crls: new Map(),
    lastCrl: 0n,
  };
  return caFacade(state);
}

function leafExtensions(
  ca: CaState,
  key: PrivateKey,
  o: IssueOptions,
  profile: TestProfile,
  validity: { notBefore: Date; notAfter: Date },
): Uint8Array[] {
  const russian = profile === 'russian-qualified';
  const gost = key.type === 'gost2012-256' || key.type === 'gost2012-512';
  const usage: KeyUsageName[] =
    russian && gost
      ? ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment']
      : ['digitalSignature', 'nonRepudiation'];
  const pkupEnd = new Date(Math.min(validity.notBefore.getTime() + 15 * 30 * DAY, validity.notAfter.getTime()));
  const defaults: ExtensionsInput = russian
    ? {
        extKeyUsage: ['clientAuth', 'emailProtection'],
        certificatePolicies: [POLICY_KC1, POLICY_KC2],
        subjectSignTool: SIGN_TOOL,
        issuerSignTool: ISSUER_SIGN_TOOL,
        privateKeyUsagePeriod: { notBefore: validity.notBefore, notAfter: pkupEnd },
      }
    : {};
  return encodeExtensions({
    basicConstraints: o.basicConstraints ?? { ca: false },
    keyUsage: o.keyUsage ?? usage,
    ...issuerExtensions(ca, key.publicKey.spki, o),
    ...defaults,
    ...definedOnly({
      extKeyUsage: o.extKeyUsage,
      subjectAltName: o.subjectAltName,
      certificatePolicies: o.certificatePolicies,
      subjectSignTool: o.subjectSignTool,
      issuerSignTool: o.issuerSignTool,
      privateKeyUsagePeriod: o.privateKeyUsagePeriod,
      ocspNoCheck: o.ocspNoCheck,
    }),
    extra: o.extensions,
  });
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

async function issueLeaf(ca: CaState, o: IssueOptions): Promise<IssuedCertificate> {
  const profile = o.profile ?? ca.profile;
  const key = await keyFor(o, ca.keySpec);
  let subjectInput = o.subject ?? defaultLeafSubject(profile);
  if (profile === 'russian-qualified') subjectInput = russianSubject(subjectInput, 'person');
  const validity = validityFor(o, YEAR, ca.notAfter);
  const serial = o.serial ?? randomSerial();
  const certificate = await signCertificate(
    ca.cert.signer,
    {
      serial,
      issuer: ca.subject,
      subject: encodeName(subjectInput),
      spki: key.publicKey.spki,
      ...validity,
      extensions: leafExtensions(ca, key, o, profile, validity),
    },
    o.signal,
  );
  ca.issued.add(serial);
  return { certificate, key, serial, signer: createSigner({ key, certificate, algorithm: o.signatureAlgorithm }) };
}

// ---------------------------------------------------------------------------------------------

function caFacade(state: CaState): TestCa {
  return Object.freeze({
    ...state.cert,
    subject: state.subject,
    chain: state.chain,
    profile: state.profile,
    issue: (options: IssueOptions = {}) => issueLeaf(state, options),
    issueIntermediate: (options: TestCaOptions = {}) => makeCa(state, options),
    revoke(target: bigint | Uint8Array, options: { reason?: RevocationReason; time?: Date } = {}) {
      const serial = typeof target === 'bigint' ? target : readCertificate(target).serial;
      if (options.reason !== undefined && !Object.hasOwn(REVOCATION_REASONS, options.reason)) {
        throw new RangeError(`unknown revocation reason ${JSON.stringify(options.reason)}`);
      }
      state.revoked.set(serial, { serial, time: options.time ?? new Date(), reason: options.reason });
    },
    revocations: () => [...state.revoked.values()],
    createCrl: (options: CrlOptions = {}) => createCrl(state, options),
    createOcspResponse: (options: OcspResponseOptions = {}) => createOcspResponse(state, options),
  });
}

/**
 * Creates a self-signed root test CA. **For tests and demos only.**
 *
 * Profiles: `plain` (RFC 5280: basicConstraints, keyUsage, SKI/AKI; default key ECDSA P-256) and
 * `russian-qualified` (FSB order 795 as summarised in field-requirements.md: subject with C=RU,
 * OGRN and INNLE; certificatePolicies КС1 and КС2 (1.2.643.100.113.1/.2); subjectSignTool and
 * issuerSignTool; default key GOST R 34.10-2012 256). Certificates it issues inherit its key type
 * and profile unless told otherwise. Validity defaults to 10 years from 5 minutes before `now`.
 *
 * @throws RangeError or TypeError for bad options (subject values, validity, serial); the errors
 *   of `generateKeyPair` and of the signer.
 * @example
 * ```ts
 * const root = await createTestCa({ keySpec: { type: 'gost2012-512' }, profile: 'russian-qualified' });
 * const ca = await root.issueIntermediate({ ocspUrl: 'http://127.0.0.1:8080/ocsp' });
 * const leaf = await ca.issue({ subject: { commonName: 'Иванов Иван Иванович' } });
 * ca.revoke(leaf.serial, { reason: 'keyCompromise' });
 * const crl = await ca.createCrl();
 * ```
 */
export function createTestCa(options: TestCaOptions = {}): Promise<TestCa> {
  return makeCa(undefined, options);
}
