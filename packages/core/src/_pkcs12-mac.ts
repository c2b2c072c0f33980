// Internal: the PFX integrity MAC (RFC 7292 §5, App. B; RFC 9579 PBMAC1; TC26 key rule of R 50.1.112-2016): which key rules to try when verifying, and the MacData the writer makes.

import { gost341194 } from '@eds/gost/gost341194';
import { streebog256, streebog512 } from '@eds/gost/streebog';
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import type { CHash } from '@noble/hashes/utils.js';
import { equalBytes } from './_bytes';
import { checkIterations, OID_PBKDF2, PRF_BY_OID, PRFS, pbkdf2, utf8, type WorkBudget } from './_pbes2';
import { bmpPassword, pkcs12Kdf } from './_pkcs12-kdf';
import { type Der, der, TAG } from './asn1';
import { UnsupportedAlgorithmError, WrongPasswordError } from './errors';
import type { PbePrf } from './pbe';
import type { ParsePkcs12Options, Pkcs12Dialect } from './pkcs12';

const OID_PBMAC1 = '1.2.840.113549.1.5.14';

interface MacHash {
  /** Also the PBKDF2 PRF of the TC26 rule. */
  name: PbePrf;
  hash: CHash;
  /** How the key is made by default: the PKCS#12 KDF or the TC26 PBKDF2 rule. */
  rule: 'pkcs12' | 'tc26';
}

/** MacData digest algorithms: OID → hash and default key rule. */
const MAC_HASHES: ReadonlyMap<string, MacHash> = new Map<string, MacHash>([
  ['1.3.14.3.2.26', { name: 'sha1', hash: sha1, rule: 'pkcs12' }],
  ['2.16.840.1.101.3.4.2.4', { name: 'sha224', hash: sha224, rule: 'pkcs12' }],
  ['2.16.840.1.101.3.4.2.1', { name: 'sha256', hash: sha256, rule: 'pkcs12' }],
  ['2.16.840.1.101.3.4.2.2', { name: 'sha384', hash: sha384, rule: 'pkcs12' }],
  ['2.16.840.1.101.3.4.2.3', { name: 'sha512', hash: sha512, rule: 'pkcs12' }],
  ['1.2.643.7.1.1.2.2', { name: 'streebog256', hash: streebog256, rule: 'tc26' }],
  ['1.2.643.7.1.1.2.3', { name: 'streebog512', hash: streebog512, rule: 'tc26' }],
  // CryptoPro CSP 3.x used the PKCS#12 KDF with GOST R 34.11-94 (u = v = 32); OpenSSL the TC26 rule.
  ['1.2.643.2.2.9', { name: 'gostr3411-94', hash: gost341194, rule: 'pkcs12' }],
]);

export interface VerifiedMac {
  algorithm: string;
  iterations: number;
  dialect: Pkcs12Dialect;
  absentPassword: boolean;
}

/** One way to compute the MAC key; tried in order until one verifies. */
interface MacCandidate {
  algorithm: string;
  dialect: Pkcs12Dialect;
  absentPassword: boolean;
  hash: CHash;
  /** The iterations its key derivation runs, charged to the budget before it runs. */
  iterations: number;
  key: () => Promise<Uint8Array>;
}

/**
 * Verifies MacData over the authSafe content; tries each key rule the digest allows (PKCS#12 KDF,
 * with an absent password for "", the TC26 rule for GOST digests, or PBMAC1). Each candidate's
 * derivation is charged to `budget` before it runs: nothing is authenticated yet.
 * ```asn1
 * MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }
 * ```
 */
export async function verifyMac(
  node: Der,
  content: Uint8Array,
  password: string,
  options: ParsePkcs12Options,
  budget: WorkBudget,
): Promise<VerifiedMac> {
  const r = node.read();
  const digestInfo = r.next(TAG.SEQUENCE, 'mac').read();
  const algNode = digestInfo.next(TAG.SEQUENCE, 'digestAlgorithm');
  const expected = digestInfo.next(TAG.OCTET_STRING, 'digest').octets();
  digestInfo.end();
  const salt = r.next(TAG.OCTET_STRING, 'macSalt').octets();
  const itNode = r.optional(TAG.INTEGER, 'iterations');
  r.end();
  const iterations = itNode ? checkIterations(itNode, itNode.smallInt(), options) : 1;
  if (salt.length > 1024) throw node.error('macSalt longer than 1024 bytes');
  const ar = algNode.read();
  const oid = ar.next(TAG.OID, 'algorithm').oid();
  const params = ar.more ? ar.next(undefined, 'parameters') : undefined;
  const candidates =
    oid === OID_PBMAC1
      ? pbmac1Candidates(algNode, params, password, options)
      : macCandidates(oid, salt, iterations, password, options);
  for (const c of candidates) {
    budget.spend(c.iterations, node);
    const key = await c.key();
    const mac = hmac(c.hash, key, content);
    key.fill(0);
    if (equalBytes(mac, expected))
      return { algorithm: c.algorithm, iterations, dialect: c.dialect, absentPassword: c.absentPassword };
  }
  throw new WrongPasswordError('the PFX MAC does not verify: wrong password (or the file was altered)');
}

/** The key rules to try for a MacData digest algorithm, the usual one first. */
function macCandidates(
  oid: string,
  salt: Uint8Array,
  iterations: number,
  password: string,
  options: ParsePkcs12Options,
): MacCandidate[] {
  const spec = MAC_HASHES.get(oid);
  if (!spec) throw new UnsupportedAlgorithmError({ oid }, `PFX MAC digest ${oid} is not supported`);
  const gost = oid.startsWith('1.2.643.');
  const signal = options.signal;
  const classic = (absent: boolean): MacCandidate => ({
    algorithm: `hmac-${spec.name}`,
    dialect: spec.name === 'gostr3411-94' ? 'cryptopro-2001' : gost ? 'gost-tc26' : 'standard',
    absentPassword: absent,
    hash: spec.hash,
    iterations,
    key: () =>
      pkcs12Kdf(
        spec.hash,
        absent ? new Uint8Array(0) : bmpPassword(password),
        salt,
        3,
        iterations,
        spec.hash.outputLen,
        { signal },
      ),
  });
  const tc26: MacCandidate = {
    algorithm: `hmac-${spec.name}`,
    dialect: 'gost-tc26',
    absentPassword: false,
    hash: spec.hash,
    iterations,
    key: async () => (await tc26MacKey(spec.name, password, salt, iterations, signal)).subarray(64),
  };
  const list = [classic(false)];
  if (password === '') list.push(classic(true));
  if (gost) list.splice(spec.rule === 'tc26' ? 0 : list.length, 0, tc26);
  return list;
}

/** PBKDF2 with HMAC-`prf` of the UTF-8 password, 96 bytes: the TC26 MAC key is its last 32 (R 50.1.112-2016). */
async function tc26MacKey(
  prf: PbePrf,
  password: string,
  salt: Uint8Array,
  iterations: number,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const pw = utf8(password);
  try {
    return await pbkdf2(prf, pw, salt, iterations, 96, signal);
  } finally {
    pw.fill(0);
  }
}

/**
 * PBMAC1 (RFC 8018 §7.1, for PKCS#12 RFC 9579): the key is PBKDF2 of the UTF-8 password; MacData's
 * salt and iterations are ignored.
 * ```asn1
 * PBMAC1-params ::= SEQUENCE { keyDerivationFunc AlgorithmIdentifier, messageAuthScheme AlgorithmIdentifier }
 * ```
 */
function pbmac1Candidates(
  algNode: Der,
  params: Der | undefined,
  password: string,
  options: ParsePkcs12Options,
): MacCandidate[] {
  if (!params) throw algNode.error('PBMAC1 without parameters');
  const r = params.read();
  const kdf = r.next(TAG.SEQUENCE, 'keyDerivationFunc').read();
  const kdfOid = kdf.next(TAG.OID, 'algorithm').oid();
  if (kdfOid !== OID_PBKDF2)
    throw new UnsupportedAlgorithmError({ oid: kdfOid }, `PBMAC1 key derivation ${kdfOid} is not supported`);
  const kp = kdf.next(TAG.SEQUENCE, 'parameters').read();
  const salt = kp.next(TAG.OCTET_STRING, 'salt').octets();
  const itNode = kp.next(TAG.INTEGER, 'iterationCount');
  const iterations = checkIterations(itNode, itNode.smallInt(), options);
  const keyLength = kp.next(TAG.INTEGER, 'keyLength').smallInt();
  const prfOid = kp.more ? kp.next(TAG.SEQUENCE, 'prf').read().next(TAG.OID, 'algorithm').oid() : '1.2.840.113549.2.7';
  const macOid = r.next(TAG.SEQUENCE, 'messageAuthScheme').read().next(TAG.OID, 'algorithm').oid();
  const prf = PRF_BY_OID.get(prfOid);
  const mac = PRF_BY_OID.get(macOid);
  if (!prf) throw new UnsupportedAlgorithmError({ oid: prfOid }, `PBMAC1 PRF ${prfOid} is not supported`);
  if (!mac) throw new UnsupportedAlgorithmError({ oid: macOid }, `PBMAC1 MAC ${macOid} is not supported`);
  if (keyLength < 1 || keyLength > 256) throw params.error(`PBMAC1 keyLength ${keyLength} out of range`);
  const signal = options.signal;
  return [
    {
      algorithm: 'pbmac1',
      dialect: 'standard',
      absentPassword: false,
      hash: PRFS[mac].hash,
      iterations,
      key: () => pbkdf2(prf, utf8(password), salt, iterations, keyLength, signal),
    },
  ];
}

/** MacData: HMAC-SHA-256 keyed by the PKCS#12 KDF (8-byte salt), or HMAC-Streebog-512 keyed by the TC26 rule (32-byte salt). */
export async function makeMac(
  content: Uint8Array,
  password: string,
  gost: boolean,
  iterations: number,
  random: (n: number) => Uint8Array,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const salt = random(gost ? 32 : 8);
  const hash = gost ? streebog512 : sha256;
  const key = gost
    ? (await tc26MacKey('streebog512', password, salt, iterations, signal)).slice(64)
    : await pkcs12Kdf(sha256, bmpPassword(password), salt, 3, iterations, 32, { signal });
  const mac = hmac(hash, key, content);
  key.fill(0);
  // The R 50.1.112-2016 example writes the Streebog AlgorithmIdentifier without parameters.
  const alg = gost ? der.seq(der.oid('1.2.643.7.1.1.2.3')) : der.seq(der.oid('2.16.840.1.101.3.4.2.1'), der.null());
  return der.seq(der.seq(alg, der.octets(mac)), der.octets(salt), der.int(iterations));
}
