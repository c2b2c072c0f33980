// A token key as the @eds/core Signer, so that CMS/CAdES (RFC 5652, ETSI EN 319 122-1) and XML
// signatures (XMLDSig 1.1) are built by the SDK the same way for tokens and software keys.
import { ecdsaP1363ToDer } from '@eds/core/algorithms';
import { parsePublicKey } from '@eds/core/keys';
import type { Signer } from '@eds/core/types';
import { parseCertificate } from '@eds/core/x509';
import { checkDigestInput } from './_shared';
import { MechanismNotSupportedError, ProviderError } from './errors';
import { defaultScheme, digestOf, signatureAlgorithmFor } from './schemes';
import type { CertificateEntry, SignatureScheme, SignInput, TokenAdapter } from './types';

/** Options of {@link tokenSigner}. */
export interface TokenSignerOptions {
  readonly adapter: TokenAdapter;
  /** The certificate and key reference, as `adapter.listCertificates` returned it. */
  readonly entry: CertificateEntry;
  /** The signature scheme; by default {@link defaultScheme} of the key. */
  readonly scheme?: SignatureScheme | undefined;
  /**
   * Asked for the PIN on every signature with a key that wants it each time
   * (`entry.alwaysAuthenticate`); the answer is passed on and not kept.
   */
  readonly pin?: (() => Promise<string | undefined>) | undefined;
  /**
   * Check every signature against the certificate's public key before returning it (default
   * true): a token that pairs the certificate with another key, or a bridge with a byte-order
   * fault, then fails here rather than in the relying party's verifier.
   */
  readonly verify?: boolean | undefined;
}

/**
 * Turns a key on a token into the @eds/core {@link Signer}: `signCms`, `signCades` and `signXml`
 * then work with tokens unchanged. The signature algorithm follows the scheme and the
 * certificate's key (RFC 9215 §3 for GOST, RFC 5754/RFC 4055 for RSA, RFC 5758 for ECDSA);
 * ECDSA's r‖s from the token is DER-encoded as CMS and X.509 want it (RFC 5753 §7.2).
 *
 * @throws {MechanismNotSupportedError} when the provider makes no raw signatures (NCALayer: use
 *   its `signCms`) or the scheme does not fit the key.
 * @throws {DecodeError} when the entry's certificate is not DER.
 * @throws {RangeError} from `signDigest` for a digest whose length is not the scheme hash's size
 *   (the message every adapter's `sign` gives).
 * @example
 * ```ts
 * const [entry] = await adapter.listCertificates(token);
 * const cms = await signCms({ signer: tokenSigner({ adapter, entry }), content, detached: true });
 * ```
 */
export function tokenSigner(options: TokenSignerOptions): Signer {
  const { adapter, entry } = options;
  const raw = adapter.capabilities.rawSign;
  if (!raw || !(raw.data || raw.digest)) {
    throw new MechanismNotSupportedError({
      message: `${adapter.provider} makes no raw signatures: use its own CMS or XML signing`,
    });
  }
  const scheme = options.scheme ?? defaultScheme(entry.keyAlgorithm);
  const algorithm = signatureAlgorithmFor(scheme, entry.keyAlgorithm);
  const publicKey = parsePublicKey(parseCertificate(entry.certificate).spki);
  const check = options.verify ?? true;

  const finish = async (input: SignInput, signature: Uint8Array, signal?: AbortSignal) => {
    const out = scheme.name === 'ECDSA' ? ecdsaP1363ToDer(signature) : signature;
    if (check) {
      const ok =
        input.type === 'data'
          ? await algorithm.verify(publicKey, input.data, out)
          : await algorithm.verifyDigest?.(publicKey, input.digest, out);
      if (!ok) {
        throw new ProviderError(
          `the ${adapter.provider} signature does not verify with the certificate's public key ` +
            '(a key paired with another certificate, or a provider fault)',
        );
      }
    }
    signal?.throwIfAborted();
    return out;
  };
  const run = async (input: SignInput, signal?: AbortSignal) => {
    signal?.throwIfAborted();
    const pin = entry.alwaysAuthenticate && options.pin ? await options.pin() : undefined;
    const signature = await adapter.sign(entry.key, input, scheme, { signal, pin });
    return finish(input, signature, signal);
  };
  const hash = scheme.name === 'EdDSA' ? undefined : scheme.hash;

  const signer: Signer = {
    algorithm,
    publicKey,
    certificate: entry.certificate,
    async sign(data, opts) {
      if (raw.data || !hash) return run({ type: 'data', data }, opts?.signal);
      return run({ type: 'digest', digest: digestOf(hash).digest(data), hash }, opts?.signal);
    },
  };
  if (!hash || !raw.digest) return Object.freeze(signer);
  return Object.freeze({
    ...signer,
    async signDigest(digest: Uint8Array, opts?: { signal?: AbortSignal }) {
      const input: SignInput = { type: 'digest', digest, hash };
      checkDigestInput(input, scheme); // the RangeError every adapter gives for a wrong length
      return run(input, opts?.signal);
    },
  });
}
