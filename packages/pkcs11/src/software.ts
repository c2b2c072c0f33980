// The software token adapter: keys held in memory from PKCS#8 (RFC 5958) and PKCS#12 (RFC 7292,
// incl. the GOST TC26 and CryptoPro dialects) behind the TokenAdapter contract (tokens.md §6).
import { ecdsaDerToP1363 } from '@eds/core/algorithms';
import { hexEncode } from '@eds/core/encoding';
import { KeyMismatchError, UnsupportedAlgorithmError } from '@eds/core/errors';
import { importPrivateKey, keysMatch, parsePrivateKey, parsePublicKey } from '@eds/core/keys';
import { decryptPrivateKeyInfo } from '@eds/core/pbe';
import { type ParsePkcs12Options, type Pkcs12Contents, parsePkcs12 } from '@eds/core/pkcs12';
import { createSigner } from '@eds/core/signer';
import type { PrivateKey, Signer } from '@eds/core/types';
import { type Certificate, parseCertificate } from '@eds/core/x509';
import { throwIfAborted as checkAborted, checkDigestInput } from './_shared';
import {
  KeyNotFoundError,
  MechanismNotSupportedError,
  ProviderError,
  TokenError,
  TokenNotPresentError,
} from './errors';
import { keyAlgorithmOf, signatureAlgorithmFor } from './schemes';
import type {
  Capabilities,
  CertificateEntry,
  KeyRef,
  OpOptions,
  SignatureScheme,
  SignInput,
  SignOptions,
  TokenAdapter,
  TokenInfo,
  TokenRef,
} from './types';

/** Options of {@link createSoftwareAdapter}. */
export interface SoftwareAdapterOptions {
  /** The virtual token's label and `tokenId` (default `"software"`). */
  readonly label?: string | undefined;
}

/** Options of {@link SoftwareAdapter.addPkcs12}. */
export interface AddPkcs12Options extends OpOptions {
  /** Limits passed to `parsePkcs12` (`maxSize`, `maxIterations`, `requireMac`, …). */
  readonly pkcs12?: Omit<ParsePkcs12Options, 'signal'> | undefined;
}

/** Options of {@link SoftwareAdapter.addPkcs8}. */
export interface AddPkcs8Options extends OpOptions {
  /** Password of an EncryptedPrivateKeyInfo (`ENCRYPTED PRIVATE KEY`); not kept. */
  readonly password?: string | undefined;
  /** A label for the entry (default: the certificate's subject CN). */
  readonly label?: string | undefined;
}

/** The software adapter: a {@link TokenAdapter} plus the calls that load keys into it. */
export interface SoftwareAdapter extends TokenAdapter {
  readonly provider: 'software';
  /**
   * Reads a PFX (any dialect `parsePkcs12` reads) and adds each private key that has its
   * certificate in the file: several key bags give several entries, returned in bag order. Keys
   * without a certificate in the file are left out, and so are keys no scheme signs with (GOST R
   * 34.10-2001, no longer allowed to sign) when the file holds usable ones.
   *
   * @throws {MechanismNotSupportedError} when every key is of an algorithm no scheme signs with.
   * @throws {KeyNotFoundError} when no key has its certificate in the file.
   * @throws {WrongPasswordError} (@eds/core) for a wrong password; DecodeError, UnsupportedFormatError
   *   and UnsupportedAlgorithmError as `parsePkcs12`.
   * @throws {TokenNotPresentError} after `close()`.
   */
  addPkcs12(pfx: Uint8Array | string, password: string, options?: AddPkcs12Options): Promise<CertificateEntry[]>;
  /**
   * Adds one private key (PKCS#8 DER or PEM, also the traditional `EC PRIVATE KEY` and `RSA PRIVATE
   * KEY`; an EncryptedPrivateKeyInfo when `options.password` is given) with its certificate (DER
   * or PEM).
   *
   * @throws {KeyMismatchError} (@eds/core) when the certificate carries another public key.
   * @throws {WrongPasswordError} (@eds/core) for a wrong password; DecodeError for malformed input
   *   (`ERR_DECODE_ENCRYPTED` for an encrypted key given without a password).
   * @throws {MechanismNotSupportedError} for a key no scheme signs with (GOST R 34.10-2001).
   * @throws {TokenNotPresentError} after `close()`.
   */
  addPkcs8(
    key: Uint8Array | string,
    certificate: Uint8Array | string,
    options?: AddPkcs8Options,
  ): Promise<CertificateEntry>;
}

interface Held {
  readonly entry: CertificateEntry;
  readonly key: PrivateKey;
}

const CAPABILITIES: Capabilities = Object.freeze({
  enumerateTokens: true,
  pinRetries: 'none',
  pinEntry: 'caller',
  rawSign: Object.freeze({ data: true, digest: true }),
  algorithms: Object.freeze(['RSA', 'EC', 'EdDSA', 'GOST2012'] as const),
  tokenEvents: false,
});

const P1363_HALF = { 'P-256': 32, 'P-384': 48, 'P-521': 66 } as const;

/** True when the certificate carries the key's public key. */
function certificateFits(key: PrivateKey, cert: Certificate): boolean {
  try {
    return keysMatch(key, parsePublicKey(cert.spki));
  } catch {
    return false;
  }
}

/** The entry for a key and its certificate; throws MechanismNotSupportedError for keys no scheme signs with. */
function makeHeld(
  tokenId: string,
  key: PrivateKey,
  cert: Certificate,
  storage: 'PKCS12' | 'PKCS8',
  label: string | undefined,
): Held {
  const keyAlgorithm = keyAlgorithmOf(key.publicKey);
  if (keyAlgorithm.kind === 'other')
    throw new MechanismNotSupportedError({ message: `no signing with ${key.type} keys (${keyAlgorithm.oid})` });
  const entry: CertificateEntry = Object.freeze({
    key: Object.freeze({ provider: 'software', tokenId, keyId: cert.fingerprintHex('sha1') }),
    certificate: cert.raw.slice(),
    keyAlgorithm: Object.freeze(keyAlgorithm),
    hasPrivateKey: true,
    alwaysAuthenticate: false,
    label: label ?? cert.subject.commonName,
    storage,
  });
  return { entry, key };
}

/** A PFX key bag's private key, or a MechanismNotSupportedError for an algorithm @eds/core does not read. */
function bagKey(pkcs8: Uint8Array): PrivateKey | MechanismNotSupportedError {
  try {
    return parsePrivateKey(pkcs8);
  } catch (e) {
    if (!(e instanceof UnsupportedAlgorithmError)) throw e;
    return new MechanismNotSupportedError({ message: e.message, cause: e });
  }
}

/** The certificates of a parsed PFX; a malformed extra certificate does not make the file unusable. */
function bagCertificates(contents: Pkcs12Contents): { localKeyId?: Uint8Array; view: Certificate }[] {
  return contents.certificates.flatMap((c) => {
    try {
      return [{ localKeyId: c.localKeyId, view: parseCertificate(c.der) }];
    } catch {
      return [];
    }
  });
}

/**
 * Pairs each key of a parsed PFX with the certificate that carries its public key (the one with
 * the bag's localKeyId when several do). Keys without one are counted in `unpaired`; keys no
 * scheme signs with (GOST R 34.10-2001, unknown algorithms) are returned as errors.
 */
function pairPkcs12(
  tokenId: string,
  contents: Pkcs12Contents,
): { held: Held[]; unsupported: MechanismNotSupportedError[]; unpaired: number } {
  const held: Held[] = [];
  const unsupported: MechanismNotSupportedError[] = [];
  let unpaired = 0;
  const certs = bagCertificates(contents);
  for (const bag of contents.keys) {
    const key = bagKey(bag.pkcs8);
    if (key instanceof MechanismNotSupportedError) {
      unsupported.push(key);
      continue;
    }
    const matching = certs.filter((c) => certificateFits(key, c.view));
    const id = bag.localKeyId ? hexEncode(bag.localKeyId) : undefined;
    const cert = matching.find((c) => c.localKeyId && hexEncode(c.localKeyId) === id) ?? matching[0];
    if (!cert) {
      unpaired++;
      continue;
    }
    try {
      held.push(makeHeld(tokenId, key, cert.view, 'PKCS12', bag.friendlyName));
    } catch (e) {
      if (!(e instanceof MechanismNotSupportedError)) throw e;
      unsupported.push(e);
    }
  }
  return { held, unsupported, unpaired };
}

/** The DER signature in the scheme's output form (ECDSA: IEEE P1363 r‖s; others as @eds/core gives). */
function outputForm(entry: CertificateEntry, signature: Uint8Array): Uint8Array {
  const k = entry.keyAlgorithm;
  return k.kind === 'EC' ? ecdsaDerToP1363(signature, P1363_HALF[k.namedCurve]) : signature;
}

/** An @eds/core Signer for the scheme; MechanismNotSupportedError when the scheme does not fit the key. */
function signerFor(held: Held, scheme: SignatureScheme): Signer {
  const algorithm = signatureAlgorithmFor(scheme, held.entry.keyAlgorithm);
  try {
    return createSigner({ key: held.key, algorithm });
  } catch (e) {
    if (e instanceof UnsupportedAlgorithmError) {
      throw new MechanismNotSupportedError({ message: `${algorithm.name} does not fit this key`, cause: e });
    }
    throw e;
  }
}

async function rawSign(held: Held, input: SignInput, scheme: SignatureScheme): Promise<Uint8Array> {
  const signer = signerFor(held, scheme);
  if (input.type === 'data') return signer.sign(input.data);
  checkDigestInput(input, scheme);
  if (!signer.signDigest) {
    throw new MechanismNotSupportedError({ message: `${scheme.name} cannot sign a precomputed digest` });
  }
  return signer.signDigest(input.digest);
}

/**
 * Creates the software token adapter: one virtual token (`tokenId` = `label`, default
 * `"software"`) holding keys loaded with `addPkcs12` and `addPkcs8`.
 *
 * - `keyId` is the lower-case hex SHA-1 thumbprint of the key's certificate: stable across
 *   sessions and files (the thumbprint CryptoPro shows, in lower case), so a stored {@link KeyRef}
 *   finds the key again after the file is re-opened. Adding the same certificate twice keeps the
 *   first entry. (A PKCS#12 localKeyId is not used: files often share `01 00 00 00`.)
 * - `login`/`logout` only track `loggedIn`: the password was given when the file was opened and
 *   signing never asks for a login. The PIN passed to `login` is ignored and not kept.
 * - File passwords are not kept either; a wrong one rejects with @eds/core's `WrongPasswordError`
 *   (`ERR_WRONG_PASSWORD`; its message never quotes the password). Malformed files give
 *   `DecodeError`, CryptoPro's proprietary key bag `UnsupportedFormatError`, a key whose
 *   certificate is another key's `KeyMismatchError` (all from @eds/core).
 * - `sign` outputs the forms of {@link SignatureScheme}: RSA as is, ECDSA IEEE P1363 r‖s, GOST
 *   s‖r big-endian (RFC 9215 §3), Ed25519 raw (RFC 8032).
 * - `close()` drops every key; afterwards the token is gone (`TokenNotPresentError`).
 *
 * Standard: RFC 7292 (PKCS#12), RFC 5958 (PKCS#8); the contract of shared/docs/reference/tokens.md §6.
 *
 * @throws {TokenNotPresentError} from every call naming another token, or after `close()`.
 * @throws {KeyNotFoundError} from `sign` for a key this adapter does not hold.
 * @throws {MechanismNotSupportedError} from `sign` when the scheme does not fit the key or for
 *   an EdDSA digest; from `addPkcs12`/`addPkcs8` for GOST R 34.10-2001 keys.
 * @throws {RangeError} from `sign` for a digest of another hash than the scheme's or of the wrong
 *   length (the same rule and message as every adapter).
 * @throws {ProviderError} from `sign` for any other failure of the software signer (the original
 *   error is its `cause`).
 * @example
 * ```ts
 * const adapter = createSoftwareAdapter({ label: 'files' });
 * const [entry] = await adapter.addPkcs12(pfxBytes, password);
 * const signature = await adapter.sign(entry.key, { type: 'data', data }, defaultScheme(entry.keyAlgorithm));
 * ```
 */
export function createSoftwareAdapter(options: SoftwareAdapterOptions = {}): SoftwareAdapter {
  const tokenId = options.label ?? 'software';
  const keys = new Map<string, Held>();
  let loggedIn = false;
  let closed = false;

  const checkToken = (token: TokenRef): void => {
    if (closed || token?.provider !== 'software' || token.tokenId !== tokenId) throw new TokenNotPresentError();
  };
  const info = (): TokenInfo =>
    Object.freeze({
      provider: 'software',
      tokenId,
      label: tokenId,
      manufacturer: '@eds/pkcs11',
      model: 'software',
      present: true,
      loggedIn,
      pin: Object.freeze({ state: 'ok' as const }),
      protectedAuthPath: false,
    });
  const admit = (held: Held): CertificateEntry => {
    const existing = keys.get(held.entry.key.keyId);
    if (existing) return existing.entry;
    keys.set(held.entry.key.keyId, held);
    return held.entry;
  };
  const ready = (signal: AbortSignal | undefined): void => {
    checkAborted(signal);
    if (closed) throw new TokenNotPresentError();
  };

  return Object.freeze({
    provider: 'software' as const,
    capabilities: CAPABILITIES,
    async listTokens(o?: OpOptions) {
      checkAborted(o?.signal);
      return closed ? [] : [info()];
    },
    async getTokenInfo(token: TokenRef, o?: OpOptions) {
      checkAborted(o?.signal);
      checkToken(token);
      return info();
    },
    async login(token: TokenRef, _pin: string | undefined, o?: OpOptions) {
      checkAborted(o?.signal);
      checkToken(token);
      loggedIn = true;
    },
    async logout(token: TokenRef, o?: OpOptions) {
      checkAborted(o?.signal);
      checkToken(token);
      loggedIn = false;
    },
    async listCertificates(token: TokenRef, o?: OpOptions) {
      checkAborted(o?.signal);
      checkToken(token);
      return [...keys.values()].map((h) => h.entry);
    },
    async sign(key: KeyRef, input: SignInput, scheme: SignatureScheme, o?: SignOptions) {
      checkAborted(o?.signal);
      checkToken(key);
      const held = keys.get(key.keyId);
      if (!held) throw new KeyNotFoundError({ message: `no software key ${String(key.keyId)}` });
      let signature: Uint8Array;
      try {
        signature = await rawSign(held, input, scheme);
      } catch (e) {
        if (e instanceof TokenError || e instanceof RangeError) throw e;
        throw new ProviderError('software signing failed', { cause: e });
      }
      checkAborted(o?.signal);
      return outputForm(held.entry, signature);
    },
    async addPkcs12(pfx: Uint8Array | string, password: string, o: AddPkcs12Options = {}) {
      ready(o.signal);
      const contents = await parsePkcs12(pfx, password, { ...o.pkcs12, signal: o.signal });
      ready(o.signal);
      const { held, unsupported, unpaired } = pairPkcs12(tokenId, contents);
      if (held.length === 0 && unsupported.length > 0) throw unsupported[0];
      if (held.length === 0) {
        const why = unpaired > 0 ? 'no private key with its certificate' : 'no private key';
        throw new KeyNotFoundError({ message: `the PKCS#12 file holds ${why}` });
      }
      return held.map(admit);
    },
    async addPkcs8(key: Uint8Array | string, certificate: Uint8Array | string, o: AddPkcs8Options = {}) {
      ready(o.signal);
      const pkcs8 = o.password === undefined ? key : await decryptPrivateKeyInfo(key, o.password, { signal: o.signal });
      ready(o.signal);
      const privateKey = importPrivateKey(pkcs8);
      const cert = parseCertificate(certificate);
      if (!certificateFits(privateKey, cert)) {
        throw new KeyMismatchError('the certificate does not carry the public key of the private key');
      }
      return admit(makeHeld(tokenId, privateKey, cert, 'PKCS8', o.label));
    },
    async close() {
      closed = true;
      loggedIn = false;
      keys.clear();
    },
  });
}
