// Internal helpers shared by the token adapters (no export entry): abort and timeout races, the token-event
// poller, the digest-input rule and the check of provider-built CMS (RFC 5652 §5.4, §11.2).
import { verifySignature } from '@eds/core/algorithms';
import { allAlgorithms } from '@eds/core/all-algorithms';
import { findDigest } from '@eds/core/digests';
import { UnsupportedAlgorithmError } from '@eds/core/errors';
import { parsePublicKey } from '@eds/core/keys';
import { parseName } from '@eds/core/name';
import { parseSignedData, type SignedDataView, type SignerInfoView } from '@eds/core/signed-data';
import type { DigestAlgorithm, PublicKey } from '@eds/core/types';
import { type Certificate, parseCertificate } from '@eds/core/x509';
import { MechanismNotSupportedError, ProviderError } from './errors';
import { digestOf } from './schemes';
import type { ProviderId, SignatureScheme, SignInput, TokenEvent } from './types';

/**
 * The reason of an aborted signal, or an `AbortError` DOMException when it has none.
 *
 * @example
 * ```ts
 * reject(abortReason(signal));
 * ```
 */
export function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException('aborted', 'AbortError');
}

/**
 * Throws the signal's reason (or an `AbortError` DOMException) when it has aborted.
 *
 * @throws the signal's reason when `signal.aborted`.
 * @example
 * ```ts
 * throwIfAborted(options.signal);
 * ```
 */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortReason(signal);
}

/**
 * Waits for `promise`, or rejects with the signal's reason as soon as it aborts (also when it has
 * already aborted). The provider call itself cannot be stopped: it is left to settle and its
 * result, or its rejection, is dropped.
 *
 * @throws the signal's reason on abort; otherwise whatever `promise` rejects with.
 * @example
 * ```ts
 * const devices = await raceAbort(plugin.enumerateDevices(), signal);
 * ```
 */
export function raceAbort<T>(promise: PromiseLike<T>, signal: AbortSignal | undefined): Promise<T> {
  const p = Promise.resolve(promise);
  if (!signal) return p;
  p.catch(() => undefined); // a rejection after the abort is nobody's
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/**
 * Waits for `promise` at most `ms` milliseconds; then rejects with `onTimeout()`. The timer is
 * cleared when `promise` settles first.
 *
 * @throws `onTimeout()` after `ms`; otherwise whatever `promise` rejects with.
 * @example
 * ```ts
 * await withTimeout(load(), 10_000, () => new ProviderUnavailableError('timeout', 'no answer'));
 * ```
 */
export function withTimeout<T>(promise: PromiseLike<T>, ms: number, onTimeout: () => unknown): Promise<T> {
  const p = Promise.resolve(promise);
  p.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** Options of {@link createPoller}. */
export interface PollerOptions {
  /** The `provider` of the TokenRefs in the events. */
  readonly provider: ProviderId;
  readonly intervalMs: number;
  /** The token ids present now; a rejection is retried at the next tick (nothing is emitted). */
  snapshot(): Promise<ReadonlySet<string> | readonly string[]>;
  /** Called for each removal before the listeners hear of it (e.g. to forget a login). */
  onRemoved?(tokenId: string): void;
}

/** What {@link createPoller} returns. */
export interface Poller {
  /** Adds a listener (polling starts with the first); returns the unsubscribe function. */
  subscribe(listener: (event: TokenEvent) => void): () => void;
  /**
   * Takes token ids the adapter read anyway (listTokens) as the current state while polling, so
   * changes are reported against what the caller saw; ignored when nobody is subscribed.
   */
  observe(tokenIds: readonly string[]): void;
  /** Stops polling and drops every listener; later `subscribe` calls do nothing. Idempotent. */
  close(): void;
}

/**
 * Token insertion and removal by polling (TokenAdapter.onTokenEvent): polls only while someone is
 * subscribed, reports changes against the previous snapshot, records the new snapshot BEFORE
 * emitting (a listener that throws cannot make an event repeat), calls every listener in its own
 * try/catch, drops the result of a poll that was overtaken by an unsubscribe, and stops for good
 * on `close()`. Timers never keep a Node process alive.
 *
 * @example
 * ```ts
 * const poller = createPoller({ provider: 'rutoken-plugin', intervalMs: 1000, snapshot: serials });
 * const off = poller.subscribe((e) => console.log(e.type, e.token.tokenId));
 * ```
 */
export function createPoller(options: PollerOptions): Poller {
  const listeners = new Set<(event: TokenEvent) => void>();
  let timer: ReturnType<typeof setInterval> | undefined;
  let known: Set<string> | undefined;
  let busy = false;
  let closed = false;
  let generation = 0;
  const emit = (type: TokenEvent['type'], tokenId: string) => {
    if (type === 'removed') options.onRemoved?.(tokenId);
    const event: TokenEvent = { type, token: { provider: options.provider, tokenId } };
    for (const l of [...listeners]) {
      try {
        l(event);
      } catch {
        // a listener's failure is its own
      }
    }
  };
  /** Records `now` as the state (before anyone hears of it), then reports the changes. */
  const update = (now: Set<string>) => {
    const before = known;
    known = now;
    generation++;
    if (!before) return;
    for (const s of before) if (!now.has(s)) emit('removed', s);
    for (const s of now) if (!before.has(s)) emit('inserted', s);
  };
  const poll = async () => {
    if (busy || closed) return;
    busy = true;
    const started = generation;
    try {
      const now = new Set(await options.snapshot());
      if (started === generation && timer !== undefined) update(now);
    } catch {
      // the provider is unavailable for now: keep the last state, retry at the next tick
    } finally {
      busy = false;
    }
  };
  const stop = () => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
    known = undefined;
    generation++;
  };
  return {
    subscribe(listener) {
      if (closed) return () => {};
      listeners.add(listener);
      if (timer === undefined) {
        timer = setInterval(() => void poll(), options.intervalMs);
        (timer as { unref?: () => void }).unref?.();
        void poll();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) stop();
      };
    },
    observe(tokenIds) {
      if (timer !== undefined) update(new Set(tokenIds));
    },
    close() {
      closed = true;
      listeners.clear();
      stop();
    },
  };
}

/**
 * The one rule for a precomputed digest given to `TokenAdapter.sign`: EdDSA signs no digest
 * (MechanismNotSupportedError); a digest of another hash than the scheme's, or of another length
 * than that hash's size, is a RangeError. Data input passes.
 *
 * @throws {MechanismNotSupportedError} for a digest with an EdDSA scheme.
 * @throws {RangeError} for a digest of another hash or of the wrong length.
 * @example
 * ```ts
 * checkDigestInput({ type: 'digest', digest, hash: 'SHA-256' }, { name: 'ECDSA', hash: 'SHA-256' });
 * ```
 */
export function checkDigestInput(input: SignInput, scheme: SignatureScheme): void {
  if (input.type !== 'digest') return;
  if (scheme.name === 'EdDSA') {
    throw new MechanismNotSupportedError({ message: 'EdDSA signs the data itself, not a precomputed digest' });
  }
  if (input.hash !== scheme.hash) {
    throw new RangeError(`${scheme.name} with ${scheme.hash}: a ${String(input.hash)} digest was given`);
  }
  const size = digestOf(scheme.hash).size;
  if (!(input.digest instanceof Uint8Array) || input.digest.length !== size) {
    const got = input.digest instanceof Uint8Array ? `${input.digest.length} bytes` : 'no bytes';
    throw new RangeError(`${scheme.name} with ${scheme.hash}: expected a ${size}-byte digest, got ${got}`);
  }
}

/** Options of {@link checkContainer}. */
export interface CheckContainerOptions {
  /** Whether a detached CMS (no eContent) was asked for. */
  readonly detached: boolean;
  /** Named in the errors ("the cryptopro provider returned …"). */
  readonly provider: string;
  /**
   * `skip`: a SignerInfo whose certificate carries a key @eds/core does not know (Kazakh GOST
   * 34.310 through NCALayer) passes without the signature check, and without the messageDigest
   * check when its digest is unknown too; a known key is always verified. `reject` (default): a
   * ProviderError for any algorithm that cannot be checked.
   */
  readonly unknownAlgorithms?: 'reject' | 'skip' | undefined;
}

/**
 * Checks a CMS SignedData a provider built (RFC 5652): it parses, has a SignerInfo, is attached
 * or detached as asked, carries `data` when attached, every SignerInfo's messageDigest (§11.2)
 * is the hash of `data` with its digest algorithm, and every signature verifies (§5.4, over the
 * signed attributes) with the signer's certificate from the SignedData's certificates (by issuer
 * and serial, or subject key identifier). No path validation: that needs a trust store.
 *
 * @returns the DER of the CMS.
 * @throws {ProviderError} for a malformed CMS, a missing signer or certificate, the wrong shape,
 *   other content, a messageDigest that does not match the data, a signature that does not verify.
 * @example
 * ```ts
 * const der = await checkContainer(base64Decode(b64), data, { detached: true, provider: 'cryptopro' });
 * ```
 */
export async function checkContainer(
  cms: Uint8Array | string,
  data: Uint8Array,
  options: CheckContainerOptions,
): Promise<Uint8Array> {
  const who = `the ${options.provider} provider`;
  let sd: SignedDataView;
  try {
    sd = parseSignedData(typeof cms === 'string' ? cms.trim() : cms);
  } catch (cause) {
    throw new ProviderError(`${who} returned a malformed CMS`, { cause });
  }
  if (sd.signerInfos.length === 0) throw new ProviderError(`${who} returned a CMS without a SignerInfo`);
  if (options.detached !== (sd.content === undefined)) {
    const got = options.detached ? 'an attached' : 'a detached';
    throw new ProviderError(`${who} returned ${got} CMS where the other was asked`);
  }
  if (sd.content && !bytesEqual(sd.content, data)) throw new ProviderError(`${who} signed other content`);
  const certificates = sd.certificates.flatMap((c) => {
    try {
      return [parseCertificate(c)];
    } catch {
      return []; // other CertificateChoices (attribute certificates) or a certificate nothing here reads
    }
  });
  for (const si of sd.signerInfos) await checkSignerInfo(si, data, certificates, options, who);
  return sd.der.slice();
}

async function checkSignerInfo(
  si: SignerInfoView,
  data: Uint8Array,
  certificates: readonly Certificate[],
  options: CheckContainerOptions,
  who: string,
): Promise<void> {
  const cert = certificates.find((c) => identifies(si, c));
  if (!cert) throw new ProviderError(`${who} returned a CMS without the signer's certificate`);
  const cannot = (what: string, cause: unknown) =>
    new ProviderError(`${who} returned a CMS whose ${what} cannot be checked`, { cause });
  let publicKey: PublicKey | undefined;
  try {
    publicKey = parsePublicKey(cert.spki);
  } catch (e) {
    if (!(e instanceof UnsupportedAlgorithmError) || options.unknownAlgorithms !== 'skip') throw cannot('key', e);
  }
  let digest: DigestAlgorithm | undefined;
  try {
    digest = findDigest(si.digestAlgorithm.oid);
  } catch (e) {
    if (publicKey || !(e instanceof UnsupportedAlgorithmError)) throw cannot('digest algorithm', e);
  }
  const signed = si.signedAttrsForSignature;
  if (digest && signed && !bytesEqualOpt(si.messageDigest, digest.digest(data))) {
    throw new ProviderError(`${who} returned a CMS whose messageDigest does not match the data`);
  }
  if (!publicKey) return; // a key @eds/core does not implement, allowed by `unknownAlgorithms: 'skip'`
  let ok: boolean;
  try {
    ok = await verifySignature(allAlgorithms, {
      algorithm: si.signatureAlgorithm,
      publicKey,
      data: signed ?? data,
      signature: si.signature,
      digestOid: si.digestAlgorithm.oid,
    });
  } catch (e) {
    throw cannot('signature', e);
  }
  if (!ok) throw new ProviderError(`${who} returned a CMS whose signature does not verify`);
}

function identifies(si: SignerInfoView, cert: Certificate): boolean {
  const sid = si.sid;
  if ('subjectKeyIdentifier' in sid) {
    const ski = cert.subjectKeyIdentifier;
    return ski !== undefined && bytesEqual(ski, sid.subjectKeyIdentifier);
  }
  if (sid.serialNumber !== cert.serialNumber) return false;
  try {
    return cert.issuer.equals(parseName(sid.issuer));
  } catch {
    return false;
  }
}

function bytesEqualOpt(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && bytesEqual(a, b);
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
