// The token adapter contract shared by every provider: PKCS#11 modules, software keys and the
// browser bridges (shared/docs/reference/tokens.md §6). Types only; no runtime code.

/** Which provider an adapter speaks to. */
export type ProviderId = 'pkcs11' | 'software' | 'cryptopro' | 'rutoken-plugin' | 'ncalayer' | (string & {});

/**
 * A token, serialisable (JSON) and stable across sessions: `tokenId` is the token serial number
 * (PKCS#11, Rutoken plug-in), the storage name (NCALayer), `"store"` (CryptoPro) or the
 * software adapter's label. Never a slot number or a handle.
 */
export interface TokenRef {
  readonly provider: ProviderId;
  readonly tokenId: string;
}

/**
 * A private key, serialisable and stable: `keyId` is CKA_ID in lower-case hex (PKCS#11), the
 * certificate thumbprint (CryptoPro), the plug-in's key id (Rutoken) or the software entry's id.
 */
export interface KeyRef extends TokenRef {
  readonly keyId: string;
}

/** Hash functions a scheme can name. */
export type HashAlg = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512' | 'STREEBOG-256' | 'STREEBOG-512';

/**
 * What kind of key a certificate or token object holds (from the certificate's SPKI). `other`:
 * a key the SDK does not sign with (GOST R 34.10-2001, Kazakh GOST 34.310, other curves) — listed,
 * so a picker can show it and a provider that builds its own CMS (NCALayer) can use it, but
 * refused by raw signing with MechanismNotSupportedError.
 */
export type KeyAlgorithm =
  | { readonly kind: 'RSA'; readonly modulusBits: number }
  | { readonly kind: 'EC'; readonly namedCurve: 'P-256' | 'P-384' | 'P-521' }
  | { readonly kind: 'EdDSA'; readonly curve: 'Ed25519' }
  | { readonly kind: 'GOST2012'; readonly bits: 256 | 512; readonly paramSet: string }
  | { readonly kind: 'other'; readonly oid: string; readonly parameter?: string | undefined };

/**
 * How to sign. Outputs are always in the form X.509 and CMS use: RSA as is, ECDSA as IEEE P1363
 * r‖s (the caller DER-encodes for CMS), GOST as s‖r big-endian (RFC 9215 §3), Ed25519 as RFC 8032.
 */
export type SignatureScheme =
  | { readonly name: 'RSASSA-PKCS1-v1_5'; readonly hash: HashAlg }
  | { readonly name: 'RSA-PSS'; readonly hash: HashAlg; readonly saltLength: number }
  | { readonly name: 'ECDSA'; readonly hash: HashAlg }
  | { readonly name: 'EdDSA' }
  | { readonly name: 'GOST3410'; readonly hash: HashAlg };

/** What to sign: the data (hashed by the provider or the adapter) or a digest computed by the caller. */
export type SignInput =
  | { readonly type: 'data'; readonly data: Uint8Array }
  | { readonly type: 'digest'; readonly digest: Uint8Array; readonly hash: HashAlg };

/** What a provider can do; callers branch on these, never on the provider id. */
export interface Capabilities {
  /** Whether `listTokens` enumerates devices (false: the provider picks in its own dialog). */
  readonly enumerateTokens: boolean;
  /** How much the provider says about PIN retries. */
  readonly pinRetries: 'exact' | 'flags' | 'none';
  /** Who collects the PIN. */
  readonly pinEntry: 'caller' | 'provider-ui' | 'pinpad' | 'caller-or-provider-ui';
  /** Raw signatures the adapter can make, or false when only containers (CMS, XML) are built. */
  readonly rawSign: { readonly data: boolean; readonly digest: boolean } | false;
  /** Containers the provider builds itself (NCALayer, CryptoPro), when any. */
  readonly containerSign?: {
    readonly cms: boolean;
    readonly cadesLevels?: readonly ('BES' | 'T' | 'XLT1')[];
    readonly xml: boolean;
    readonly detached: boolean;
  };
  /** Key kinds the provider signs with. */
  readonly algorithms: readonly KeyAlgorithm['kind'][];
  /** Whether `onTokenEvent` reports insertion and removal. */
  readonly tokenEvents: boolean;
}

/** PIN state as far as the provider tells (PKCS#11 v2.40 §3.2 CK_TOKEN_INFO flags). */
export type PinState = 'ok' | 'countLow' | 'finalTry' | 'locked' | 'toBeChanged' | 'unknown';

/** A token and its state. */
export interface TokenInfo extends TokenRef {
  readonly label: string;
  readonly manufacturer?: string | undefined;
  readonly model?: string | undefined;
  readonly serial?: string | undefined;
  readonly present: boolean;
  readonly loggedIn: boolean | 'unknown';
  readonly pin: {
    readonly state: PinState;
    /** Known only where the provider says; undefined means unknown, never unlimited. */
    readonly retriesLeft?: number | undefined;
  };
  /** The PIN is entered on the reader (PKCS#11 CKF_PROTECTED_AUTHENTICATION_PATH). */
  readonly protectedAuthPath: boolean;
  /** Raw CK_TOKEN_INFO.flags where the provider has them. */
  readonly rawFlags?: number | undefined;
}

/** A certificate on a token with the reference of its private key. */
export interface CertificateEntry {
  readonly key: KeyRef;
  /** DER. */
  readonly certificate: Uint8Array;
  readonly keyAlgorithm: KeyAlgorithm;
  readonly hasPrivateKey: boolean;
  /** The key asks for the PIN on every signature (CKA_ALWAYS_AUTHENTICATE). */
  readonly alwaysAuthenticate?: boolean | undefined;
  readonly label?: string | undefined;
  /** Where the key lives, for display and filtering ("pkcs11", "PKCS12", "AKKaztokenStore", …). */
  readonly storage: string;
}

/** Options every operation takes. */
export interface OpOptions {
  readonly signal?: AbortSignal | undefined;
}

/** Options of {@link TokenAdapter.sign}. */
export interface SignOptions extends OpOptions {
  /** PIN for keys that ask on every use (CKA_ALWAYS_AUTHENTICATE, CryptoPro KeyPin). Not kept. */
  readonly pin?: string | undefined;
}

/** Options of {@link TokenAdapter.login}. */
export interface LoginOptions extends OpOptions {
  /**
   * Log in even when the token says the next wrong PIN locks it (CKF_USER_PIN_FINAL_TRY). Off by
   * default: the adapter refuses with a PinIncorrectError{retriesLeft: 1} before trying.
   */
  readonly allowFinalTry?: boolean | undefined;
}

/** A token insertion or removal. */
export interface TokenEvent {
  readonly type: 'inserted' | 'removed';
  readonly token: TokenRef;
}

/**
 * One interface over every place a private key can live. Every method may throw the typed
 * errors of `@eds/pkcs11/errors` (PinIncorrectError, PinLockedError, TokenNotPresentError,
 * KeyNotFoundError, ProviderUnavailableError, UserCancelledError, LoginRequiredError,
 * MechanismNotSupportedError, ProviderError) and `AbortError`-named DOMExceptions on abort.
 */
export interface TokenAdapter {
  readonly provider: ProviderId;
  readonly capabilities: Capabilities;
  /** Tokens the provider sees now. */
  listTokens(options?: OpOptions): Promise<TokenInfo[]>;
  /** One token's current state. */
  getTokenInfo(token: TokenRef, options?: OpOptions): Promise<TokenInfo>;
  /** Logs in; `pin` undefined means the provider's own dialog or the reader's PIN pad. The PIN is not kept. */
  login(token: TokenRef, pin: string | undefined, options?: LoginOptions): Promise<void>;
  logout(token: TokenRef, options?: OpOptions): Promise<void>;
  /** Certificates with their key references (public objects; some tokens show them only after login). */
  listCertificates(token: TokenRef, options?: OpOptions): Promise<CertificateEntry[]>;
  /** A raw signature in the scheme's output form (see {@link SignatureScheme}). */
  sign(key: KeyRef, input: SignInput, scheme: SignatureScheme, options?: SignOptions): Promise<Uint8Array>;
  /** Subscribes to insertion and removal; returns the unsubscribe function. Absent when unsupported. */
  onTokenEvent?(listener: (event: TokenEvent) => void): () => void;
  /** Releases the provider (unloads the module, closes sockets). Idempotent. */
  close(): Promise<void>;
}

/** Options of a provider-built CMS signature. */
export interface ContainerCmsOptions extends OpOptions {
  readonly detached: boolean;
  readonly level?: 'BES' | 'T' | 'XLT1' | undefined;
  readonly tsaUrl?: string | undefined;
  readonly pin?: string | undefined;
}

/** Options of a provider-built XML signature. */
export interface ContainerXmlOptions extends OpOptions {
  /** XPath of the element to sign (NCALayer's tbsElementXPath). */
  readonly signedElementXPath?: string | undefined;
  /** XPath of the element that receives the Signature. */
  readonly signatureParentXPath?: string | undefined;
  readonly pin?: string | undefined;
}

/**
 * Providers that build the signature container themselves (NCALayer always; CryptoPro
 * optionally). `key` may be a TokenRef where the user picks the key in the provider's dialog.
 */
export interface ContainerSigner {
  /** A DER CMS SignedData over `data`. */
  signCms(key: KeyRef | TokenRef, data: Uint8Array, options: ContainerCmsOptions): Promise<Uint8Array>;
  /** The signed XML document. */
  signXml?(key: KeyRef | TokenRef, xml: string, options?: ContainerXmlOptions): Promise<string>;
}
