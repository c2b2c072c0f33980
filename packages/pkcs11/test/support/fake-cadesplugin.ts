// A FAKE of the CryptoPro EDS Browser plug-in (cadesplugin async API of @types/cadesplugin 2.1.3, tokens.md §5.1) for tests: real signatures from @eds/core keys, CryptoAPI byte order, HRESULT errors.
/// <reference types="cadesplugin" />
import { gost2012_256, gost2012_512, rsaPkcs1Sha256, rsaPkcs1Sha384, rsaPkcs1Sha512 } from '@eds/core/algorithms';
import { signCades, type TimestampSource, type ValidationDataSource } from '@eds/core/cades';
import { sha1 } from '@eds/core/digests';
import { base64Decode, base64Encode, hexDecode, hexEncode } from '@eds/core/encoding';
import type { IssuedCertificate } from '@eds/core/testing';
import type { SignatureAlgorithm } from '@eds/core/types';
import { parseCertificate } from '@eds/core/x509';
import { signXml, xmlSignatureAlgorithm } from '@eds/core/xmldsig';

/** A certificate with its private key in the fake store. */
export interface FakeKeyEntry {
  readonly issued: IssuedCertificate;
  /** The container PIN; none: the key signs without one. */
  readonly pin?: string | undefined;
  /** PrivateKey.ProviderName (default "Crypto-Pro GOST R 34.10-2012 KC1 CSP"). */
  readonly providerName?: string | undefined;
  /** Issuer certificates written with CAPICOM_CERTIFICATE_INCLUDE_WHOLE_CHAIN. */
  readonly chain?: readonly Uint8Array[] | undefined;
}

/** How the fake behaves. */
export interface FakeCadesPluginOptions {
  readonly entries: readonly FakeKeyEntry[];
  /** Certificates in the store without a private key. */
  readonly otherCertificates?: readonly Uint8Array[] | undefined;
  /**
   * How the cadesplugin promise settles: `resolve` (default), `never` (no extension answers), or
   * rejected with the string cadesplugin_api.js uses ("Плагин недоступен", …).
   */
  readonly load?: 'resolve' | 'never' | { readonly reject: string } | undefined;
  /** false: an NPAPI-era object with CreateObject only. */
  readonly asyncApi?: boolean | undefined;
  /** What the CSP's PIN dialog does when a PIN-protected key has no KeyPin (default `enter`). */
  readonly pinDialog?: 'enter' | 'cancel' | undefined;
  /** Wrong PINs after which the container is blocked (default 3). */
  readonly pinAttempts?: number | undefined;
  /** The in-process TSA behind any TSAAddress (CAdES-T and X Long Type 1). */
  readonly tsa?: TimestampSource | undefined;
  /** What the CSP would fetch for X Long Type 1 (certificates, CRLs, OCSP). */
  readonly revocation?: ValidationDataSource | undefined;
  /** A test device: error texts echo the KeyPin, to prove the bridge keeps it out of its errors. */
  readonly echoPinInErrors?: boolean | undefined;
  /**
   * Calls that never settle (a native host that died, a dialog left open): `CreateObjectAsync:<name>`
   * for an object's creation, `CadesSignedData.SignCades` for the signature.
   */
  readonly hang?: readonly string[] | undefined;
  /** A faulty CSP: SignCades signs these bytes instead of the content it was given. */
  readonly signedContent?: Uint8Array | undefined;
}

/** The fake plug-in object and its controls. */
export interface FakeCadesPlugin {
  /** What a page sees as `window.cadesplugin`. */
  readonly plugin: FakePluginObject;
  /** Calls in order: "Object.member" (propset_ and methods), for protocol assertions. */
  readonly log: string[];
  /** The next signing operation fails with this HRESULT (one-shot). */
  failNext(hresult: number): void;
}

type PluginSurface = Pick<
  CADESPluginAsync,
  | 'JSModuleVersion'
  | 'getLastError'
  | 'CADESCOM_CADES_BES'
  | 'CADESCOM_CADES_T'
  | 'CADESCOM_CADES_X_LONG_TYPE_1'
  | 'CADESCOM_BASE64_TO_BINARY'
  | 'CADESCOM_ENCODE_BASE64'
  | 'CAPICOM_CURRENT_USER_STORE'
  | 'CAPICOM_MY_STORE'
  | 'CAPICOM_STORE_OPEN_MAXIMUM_ALLOWED'
  | 'CAPICOM_CERTIFICATE_FIND_SHA1_HASH'
  | 'CAPICOM_CERTIFICATE_INCLUDE_WHOLE_CHAIN'
  | 'CAPICOM_CERTIFICATE_INCLUDE_END_ENTITY_ONLY'
  | 'CADESCOM_HASH_ALGORITHM_CP_GOST_3411_2012_256'
  | 'CADESCOM_HASH_ALGORITHM_CP_GOST_3411_2012_512'
  | 'CADESCOM_XML_SIGNATURE_TYPE_ENVELOPED'
>;

/** The fake `cadesplugin`: a Promise with the plug-in's members, as cadesplugin_api.js builds it. */
export type FakePluginObject = Promise<void> &
  PluginSurface & {
    CreateObjectAsync?: (name: string) => Promise<unknown>;
    CreateObject?: (name: string) => unknown;
  };

const HR = {
  WRONG_PIN: 0x8010006b,
  PIN_BLOCKED: 0x8010006c,
  CANCELLED: 0x8010006e,
  INVALID_ARG: 0x80070057,
  NOT_FOUND: 0x80092004,
  NO_KEY: 0x8009200b,
  CLASS_NOT_REGISTERED: 0x80040154,
} as const;

const TEXTS: Record<number, string> = {
  [HR.WRONG_PIN]: 'Указан неправильный PIN-код.',
  [HR.PIN_BLOCKED]: 'Карта не может быть использована: PIN-код заблокирован.',
  [HR.CANCELLED]: 'Действие было отменено пользователем.',
  [HR.INVALID_ARG]: 'Параметр задан неверно.',
  [HR.NOT_FOUND]: 'Объект или свойство не найдено.',
  [HR.NO_KEY]: 'Не удается найти сертификат и закрытый ключ для расшифровки.',
  [HR.CLASS_NOT_REGISTERED]: 'Класс не зарегистрирован.',
};

/** An Error as the native host reports one: text, then the HRESULT in parentheses. */
function hresultError(hr: number, extra = ''): Error {
  const text = TEXTS[hr] ?? 'Ошибка.';
  return new Error(`${text}${extra} (0x${(hr >>> 0).toString(16).toUpperCase()})`);
}

/** Raw digest signers by CADESCOM_HASH_ALGORITHM id. */
const RAW_BY_HASH: Record<number, SignatureAlgorithm> = {
  101: gost2012_256,
  102: gost2012_512,
  4: rsaPkcs1Sha256,
  5: rsaPkcs1Sha384,
  6: rsaPkcs1Sha512,
};
const HASH_BY_ID: Record<number, SignatureAlgorithm['digest']> = {
  101: gost2012_256.digest,
  102: gost2012_512.digest,
  4: rsaPkcs1Sha256.digest,
  5: rsaPkcs1Sha384.digest,
  6: rsaPkcs1Sha512.digest,
};

/** CAPICOM base64: CRLF every 64 characters (CryptBinaryToString CRYPT_STRING_BASE64). */
function capicomBase64(bytes: Uint8Array): string {
  return (base64Encode(bytes).match(/.{1,64}/g) ?? []).join('\r\n');
}

interface State {
  readonly options: FakeCadesPluginOptions;
  readonly log: string[];
  readonly wrongPins: Map<FakeKeyEntry, number>;
  failNext: number | undefined;
}

/** One key-use: a one-shot failure, then the PIN rules of the container. */
function authorize(state: State, entry: FakeKeyEntry, keyPin: string | undefined): void {
  const fail = state.failNext;
  if (fail !== undefined) {
    state.failNext = undefined;
    throw hresultError(fail);
  }
  if (entry.pin === undefined) return;
  const max = state.options.pinAttempts ?? 3;
  const wrong = state.wrongPins.get(entry) ?? 0;
  if (wrong >= max) throw hresultError(HR.PIN_BLOCKED);
  if (keyPin === undefined) {
    if ((state.options.pinDialog ?? 'enter') === 'cancel') throw hresultError(HR.CANCELLED);
    return; // the user typed the right PIN into the CSP's dialog
  }
  if (keyPin === entry.pin) {
    state.wrongPins.delete(entry);
    return;
  }
  state.wrongPins.set(entry, wrong + 1);
  const echo = state.options.echoPinInErrors ? ` Введено: "${keyPin}".` : '';
  throw hresultError(wrong + 1 >= max ? HR.PIN_BLOCKED : HR.WRONG_PIN, echo);
}

class FakePrivateKey {
  keyPin: string | undefined;
  constructor(
    private readonly state: State,
    private readonly entry: FakeKeyEntry,
  ) {}
  get ProviderName(): Promise<string> {
    return Promise.resolve(this.entry.providerName ?? 'Crypto-Pro GOST R 34.10-2012 KC1 CSP');
  }
  get ContainerName(): Promise<string> {
    return Promise.resolve(`fake-${hexEncode(sha1.digest(this.entry.issued.certificate)).slice(0, 8)}`);
  }
  get UniqueContainerName(): Promise<string> {
    return this.ContainerName.then((n) => `REGISTRY\\\\${n}`);
  }
  async propset_KeyPin(pin: string): Promise<void> {
    this.state.log.push('PrivateKey.propset_KeyPin');
    this.keyPin = pin;
  }
}

class FakeCertificate {
  readonly entry: FakeKeyEntry | undefined;
  private privateKey: FakePrivateKey | undefined;
  constructor(
    private readonly state: State,
    readonly der: Uint8Array,
    entry: FakeKeyEntry | undefined,
  ) {
    this.entry = entry;
  }
  get Thumbprint(): Promise<string> {
    return Promise.resolve(hexEncode(sha1.digest(this.der)).toUpperCase());
  }
  get SubjectName(): Promise<string> {
    return Promise.resolve(parseCertificate(this.der).subject.toString());
  }
  get IssuerName(): Promise<string> {
    return Promise.resolve(parseCertificate(this.der).issuer.toString());
  }
  get PrivateKey(): Promise<FakePrivateKey> {
    if (!this.entry) return Promise.reject(hresultError(HR.NO_KEY));
    this.privateKey ??= new FakePrivateKey(this.state, this.entry);
    return Promise.resolve(this.privateKey);
  }
  /** The KeyPin set through this certificate object's PrivateKey, if any. */
  get keyPin(): string | undefined {
    return this.privateKey?.keyPin;
  }
  async HasPrivateKey(): Promise<boolean> {
    this.state.log.push('Certificate.HasPrivateKey');
    return this.entry !== undefined;
  }
  async Export(encoding: CADES_Common.ValuesOf<CAPICOM.CAPICOM_ENCODING_TYPE>): Promise<string> {
    this.state.log.push('Certificate.Export');
    if (encoding !== 0) throw hresultError(HR.INVALID_ARG);
    return capicomBase64(this.der);
  }
}

class FakeCertificates {
  constructor(
    private readonly state: State,
    private readonly items: readonly FakeCertificate[],
  ) {}
  get Count(): Promise<number> {
    return Promise.resolve(this.items.length);
  }
  /** 1-based, as in CAPICOM. */
  async Item(index: number): Promise<FakeCertificate> {
    const item = this.items[index - 1];
    if (!item) throw hresultError(HR.INVALID_ARG);
    return item;
  }
  async Find(type: number, criteria: unknown): Promise<FakeCertificates> {
    this.state.log.push('Certificates.Find');
    if (type !== 0 || typeof criteria !== 'string') throw hresultError(HR.INVALID_ARG);
    const want = criteria.replace(/\s+/g, '').toUpperCase();
    const found: FakeCertificate[] = [];
    for (const c of this.items) if ((await c.Thumbprint) === want) found.push(c);
    return new FakeCertificates(this.state, found);
  }
}

class FakeStore implements Pick<CAPICOM.StoreAsync, 'Open' | 'Close'> {
  private opened = false;
  constructor(private readonly state: State) {}
  async Open(location?: number, name?: string, _mode?: number): Promise<void> {
    this.state.log.push('Store.Open');
    if (location !== 2 || name !== 'My') throw hresultError(HR.INVALID_ARG);
    this.opened = true;
  }
  async Close(): Promise<void> {
    this.state.log.push('Store.Close');
    this.opened = false;
  }
  get Certificates(): Promise<FakeCertificates> {
    if (!this.opened) return Promise.reject(hresultError(HR.INVALID_ARG));
    const { entries, otherCertificates = [] } = this.state.options;
    const items = [
      ...entries.map((e) => new FakeCertificate(this.state, e.issued.certificate, e)),
      ...otherCertificates.map((der) => new FakeCertificate(this.state, der, undefined)),
    ];
    return Promise.resolve(new FakeCertificates(this.state, items));
  }
}

class FakeHashedData implements CAdESCOM.CPHashedDataAsync {
  private algorithm: number | undefined;
  private encoding: CADES_Common.ValuesOf<CAdESCOM.CADESCOM_CONTENT_ENCODING_TYPE> = 0;
  value: Uint8Array | undefined;
  constructor(private readonly state: State) {}
  get Algorithm(): Promise<CADES_Common.ValuesOf<CAdESCOM.CADESCOM_HASH_ALGORITHM & CAPICOM.CAPICOM_HASH_ALGORITHM>> {
    return Promise.resolve((this.algorithm ?? 0) as 0);
  }
  get DataEncoding(): Promise<CADES_Common.ValuesOf<CAdESCOM.CADESCOM_CONTENT_ENCODING_TYPE>> {
    return Promise.resolve(this.encoding);
  }
  get Value(): Promise<string> {
    return Promise.resolve(this.value ? hexEncode(this.value).toUpperCase() : '');
  }
  get hashId(): number | undefined {
    return this.algorithm;
  }
  async propset_Algorithm(
    algorithm: CADES_Common.ValuesOf<CAdESCOM.CADESCOM_HASH_ALGORITHM & CAPICOM.CAPICOM_HASH_ALGORITHM>,
  ): Promise<void> {
    this.state.log.push('HashedData.propset_Algorithm');
    this.algorithm = algorithm;
  }
  async propset_DataEncoding(encoding: CADES_Common.ValuesOf<CAdESCOM.CADESCOM_CONTENT_ENCODING_TYPE>): Promise<void> {
    this.encoding = encoding;
  }
  async Hash(data: string): Promise<void> {
    const d = HASH_BY_ID[this.algorithm ?? -1];
    if (!d) throw hresultError(HR.INVALID_ARG);
    this.value = d.digest(this.encoding === 1 ? base64Decode(data) : ucs2le(data));
  }
  /** Hex digits two per byte, spaces allowed; the length must be the algorithm's. */
  async SetHashValue(hex: string): Promise<void> {
    this.state.log.push('HashedData.SetHashValue');
    const d = HASH_BY_ID[this.algorithm ?? -1];
    const clean = hex.replace(/\s+/g, '');
    if (!d || !/^[0-9a-fA-F]*$/.test(clean) || clean.length !== d.size * 2) throw hresultError(HR.INVALID_ARG);
    this.value = hexDecode(clean);
  }
}

function ucs2le(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    out[2 * i] = text.charCodeAt(i) & 0xff;
    out[2 * i + 1] = text.charCodeAt(i) >> 8;
  }
  return out;
}

/** The hash id a key signs with: GOST by size, RSA with SHA-2. */
function hashFits(entry: FakeKeyEntry, id: number): boolean {
  const type = entry.issued.signer.publicKey.type;
  if (type === 'gost2012-256') return id === 101;
  if (type === 'gost2012-512') return id === 102;
  return type === 'rsa' && (id === 4 || id === 5 || id === 6);
}

class FakeRawSignature {
  constructor(private readonly state: State) {}
  /**
   * The CSP's raw signature in CryptoAPI byte order: little-endian, i.e. the whole s‖r
   * (GOST) or RSA big-endian value reversed, as upper-case hex. The real plug-in takes the
   * Certificate object here (docs.cryptopro.ru raw-signature sample; @types says string).
   */
  async SignHash(hashed: unknown, certificate: unknown): Promise<string> {
    this.state.log.push('RawSignature.SignHash');
    if (!(hashed instanceof FakeHashedData) || !(certificate instanceof FakeCertificate)) {
      throw hresultError(HR.INVALID_ARG);
    }
    const entry = certificate.entry;
    if (!entry) throw hresultError(HR.NO_KEY);
    const id = hashed.hashId ?? -1;
    if (!hashed.value || !hashFits(entry, id)) throw hresultError(HR.INVALID_ARG);
    authorize(this.state, entry, certificate.keyPin);
    const alg = RAW_BY_HASH[id] as SignatureAlgorithm;
    const signature = await (alg.signDigest as NonNullable<SignatureAlgorithm['signDigest']>)(
      entry.issued.key,
      hashed.value,
    );
    return hexEncode(signature.slice().reverse()).toUpperCase();
  }
}

class FakeSigner {
  certificate: FakeCertificate | undefined;
  keyPin: string | undefined;
  options: number = 0;
  tsaAddress: string | undefined;
  constructor(private readonly state: State) {}
  async propset_Certificate(certificate: unknown): Promise<void> {
    this.state.log.push('CPSigner.propset_Certificate');
    if (!(certificate instanceof FakeCertificate)) throw hresultError(HR.INVALID_ARG);
    this.certificate = certificate;
  }
  async propset_KeyPin(pin: string): Promise<void> {
    this.state.log.push('CPSigner.propset_KeyPin');
    this.keyPin = pin;
  }
  async propset_Options(options: number): Promise<void> {
    this.state.log.push('CPSigner.propset_Options');
    this.options = options;
  }
  async propset_TSAAddress(address: string): Promise<void> {
    this.state.log.push('CPSigner.propset_TSAAddress');
    this.tsaAddress = address;
  }
  async propset_CheckCertificate(_check: boolean): Promise<void> {}
  /** The entry of the signer's certificate after the PIN rules. */
  use(): FakeKeyEntry {
    const entry = this.certificate?.entry;
    if (!entry) throw hresultError(this.certificate ? HR.NO_KEY : HR.INVALID_ARG);
    authorize(this.state, entry, this.keyPin);
    return entry;
  }
}

class FakeCadesSignedData
  implements Pick<CAdESCOM.CadesSignedDataAsync, 'propset_Content' | 'propset_ContentEncoding' | 'ContentEncoding'>
{
  private encoding: CADES_Common.ValuesOf<CAdESCOM.CADESCOM_CONTENT_ENCODING_TYPE> = 0;
  private content: Uint8Array | undefined;
  constructor(private readonly state: State) {}
  get ContentEncoding(): Promise<CADES_Common.ValuesOf<CAdESCOM.CADESCOM_CONTENT_ENCODING_TYPE>> {
    return Promise.resolve(this.encoding);
  }
  async propset_ContentEncoding(encoding: CADES_Common.ValuesOf<CAdESCOM.CADESCOM_CONTENT_ENCODING_TYPE>) {
    this.state.log.push('CadesSignedData.propset_ContentEncoding');
    this.encoding = encoding;
  }
  /** Converted now with the encoding in force (so the encoding must be set first). */
  async propset_Content(content: string) {
    this.state.log.push('CadesSignedData.propset_Content');
    this.content = this.encoding === 1 ? base64Decode(content) : ucs2le(content);
  }
  async SignCades(signer: unknown, type?: number, detached?: boolean, encoding?: number): Promise<string> {
    this.state.log.push('CadesSignedData.SignCades');
    if (this.state.options.hang?.includes('CadesSignedData.SignCades')) return new Promise<string>(() => {});
    if (!(signer instanceof FakeSigner) || this.content === undefined) throw hresultError(HR.INVALID_ARG);
    const level = type === 1 ? 'BES' : type === 5 ? 'T' : type === 93 || type === 0 ? 'XLT1' : undefined;
    if (!level || (level !== 'BES' && (!signer.tsaAddress || !this.state.options.tsa))) {
      throw hresultError(HR.INVALID_ARG);
    }
    const entry = signer.use();
    const chain = signer.options === 2 ? undefined : entry.chain;
    const cms = await signCades({
      content: this.state.options.signedContent ?? this.content,
      signers: [entry.issued.signer],
      detached: detached ?? false,
      level,
      tsa: this.state.options.tsa,
      revocation: this.state.options.revocation,
      includeCertificates: chain ? 'chain' : 'signer',
      certificates: chain,
    });
    return encoding === 1 ? String.fromCharCode(...cms) : capicomBase64(cms);
  }
}

class FakeSignedXml {
  private content: string | undefined;
  private type: number | undefined;
  private signatureMethod: string | undefined;
  private digestMethod: string | undefined;
  constructor(private readonly state: State) {}
  async propset_Content(content: string) {
    this.state.log.push('SignedXML.propset_Content');
    this.content = content;
  }
  async propset_SignatureType(type: number) {
    this.state.log.push('SignedXML.propset_SignatureType');
    this.type = type;
  }
  async propset_SignatureMethod(uri: string) {
    this.state.log.push('SignedXML.propset_SignatureMethod');
    this.signatureMethod = uri;
  }
  async propset_DigestMethod(uri: string) {
    this.state.log.push('SignedXML.propset_DigestMethod');
    this.digestMethod = uri;
  }
  /** ENVELOPED only, the Signature the last child of the root (the XPath argument is not modelled). */
  async Sign(signer: unknown, xpath?: string): Promise<string> {
    this.state.log.push('SignedXML.Sign');
    if (!(signer instanceof FakeSigner) || this.content === undefined || this.type !== 0 || xpath !== undefined) {
      throw hresultError(HR.INVALID_ARG);
    }
    const entry = signer.certificate?.entry;
    if (!entry) throw hresultError(HR.NO_KEY);
    const uris = xmlSignatureAlgorithm(entry.issued.signer);
    if (uris.signatureUri !== this.signatureMethod || uris.digestUri !== this.digestMethod) {
      throw hresultError(HR.INVALID_ARG);
    }
    signer.use();
    return signXml({ document: this.content, signer: entry.issued.signer, mode: 'enveloped' });
  }
}

const CONSTANTS = {
  JSModuleVersion: '2.3.5-fake',
  CADESCOM_CADES_BES: 1,
  CADESCOM_CADES_T: 5,
  CADESCOM_CADES_X_LONG_TYPE_1: 93,
  CADESCOM_BASE64_TO_BINARY: 1,
  CADESCOM_ENCODE_BASE64: 0,
  CAPICOM_CURRENT_USER_STORE: 2,
  CAPICOM_MY_STORE: 'My',
  CAPICOM_STORE_OPEN_MAXIMUM_ALLOWED: 2,
  CAPICOM_CERTIFICATE_FIND_SHA1_HASH: 0,
  CAPICOM_CERTIFICATE_INCLUDE_WHOLE_CHAIN: 1,
  CAPICOM_CERTIFICATE_INCLUDE_END_ENTITY_ONLY: 2,
  CADESCOM_HASH_ALGORITHM_CP_GOST_3411_2012_256: 101,
  CADESCOM_HASH_ALGORITHM_CP_GOST_3411_2012_512: 102,
  CADESCOM_XML_SIGNATURE_TYPE_ENVELOPED: 0,
} as const satisfies Omit<PluginSurface, 'getLastError'>;

/**
 * Makes a FAKE `cadesplugin`: a Promise carrying the plug-in's members, as cadesplugin_api.js
 * builds it; `CreateObjectAsync` gives objects whose properties are Promises and whose setters
 * are `propset_*`. CAdES-T and X Long Type 1 need `tsa` (and `revocation`); the CSP's network
 * fetches are replaced by them.
 */
export function createFakeCadesPlugin(options: FakeCadesPluginOptions): FakeCadesPlugin {
  const state: State = { options, log: [], wrongPins: new Map(), failNext: undefined };
  const load = options.load ?? 'resolve';
  const promise = new Promise<void>((resolve, reject) => {
    if (load === 'resolve') resolve();
    else if (load !== 'never') reject(load.reject); // cadesplugin_api.js rejects with a string
  });
  promise.catch(() => undefined); // handled by whoever awaits it; no unhandled-rejection noise
  const factories: Record<string, () => unknown> = {
    'CAdESCOM.Store': () => new FakeStore(state),
    'CAdESCOM.HashedData': () => new FakeHashedData(state),
    'CAdESCOM.RawSignature': () => new FakeRawSignature(state),
    'CAdESCOM.CPSigner': () => new FakeSigner(state),
    'CAdESCOM.CadesSignedData': () => new FakeCadesSignedData(state),
    'CAdESCOM.SignedXML': () => new FakeSignedXml(state),
  };
  const create = (name: string) => {
    const make = factories[name];
    if (!make) throw hresultError(HR.CLASS_NOT_REGISTERED);
    return make();
  };
  const members: Partial<FakePluginObject> = {
    ...CONSTANTS,
    getLastError: (error: Error) => error.message,
  };
  if (options.asyncApi === false) members.CreateObject = create;
  else
    members.CreateObjectAsync = async (name: string) => {
      state.log.push(`CreateObjectAsync:${name}`);
      if (options.hang?.includes(`CreateObjectAsync:${name}`)) return new Promise(() => {});
      return create(name);
    };
  const plugin = Object.assign(promise, members) as FakePluginObject;
  return {
    plugin,
    log: state.log,
    failNext(hresult) {
      state.failNext = hresult;
    },
  };
}
