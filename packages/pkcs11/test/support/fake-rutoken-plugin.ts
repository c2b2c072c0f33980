// A FAKE Rutoken Plugin object (CryptoPlugin API v4.x surface of tokens.md §5.2) for tests: the real method
// names, numeric error codes and colon-hex encoding, backed by @eds/core software GOST keys and signCms.
import { signCms } from '@eds/core/cms';
import { sha1 } from '@eds/core/digests';
import { base64Decode, base64Encode, encodePem } from '@eds/core/encoding';
import { createSigner } from '@eds/core/signer';
import type { PrivateKey } from '@eds/core/types';
import type { RutokenCmsOptions, RutokenPlugin, RutokenRawSignOptions } from '@eds/pkcs11/rutoken';

/**
 * Error codes of this FAKE. The names are the plug-in's; the numbers are invented (the adapter must
 * look them up in `errorCodes`, never assume them).
 */
export const FAKE_ERROR_CODES = Object.freeze({
  UNKNOWN_ERROR: 1,
  BAD_PARAMS: 2,
  DEVICE_NOT_FOUND: 4,
  DEVICE_ERROR: 5,
  TOKEN_INVALID: 6,
  CERTIFICATE_NOT_FOUND: 10,
  PIN_INCORRECT: 21,
  PIN_LOCKED: 22,
  USER_NOT_LOGGED_IN: 25,
  ALREADY_LOGGED_IN: 26,
  KEY_NOT_FOUND: 28,
  WRONG_KEY_TYPE: 31,
  DATA_LEN_RANGE: 36,
  FUNCTION_FAILED: 47,
  MECHANISM_INVALID: 48,
  TOKEN_NOT_PRESENT: 61,
  PKCS11_CANCEL: 77,
});
export type FakeErrorName = keyof typeof FAKE_ERROR_CODES;

/** A key pair with its certificate on a fake device. */
export interface FakeRutokenKey {
  readonly certificate: Uint8Array;
  readonly key: PrivateKey;
}

/** A fake device. */
export interface FakeRutokenDeviceSpec {
  readonly serial: string;
  readonly pin: string;
  readonly label?: string;
  readonly model?: string;
  readonly maxRetries?: number;
  readonly keys: readonly FakeRutokenKey[];
  /** A certificate on the token without its private key. */
  readonly orphanCertificates?: readonly Uint8Array[];
}

interface Entry {
  readonly certId: string;
  readonly keyId: string | undefined;
  readonly certificate: Uint8Array;
  readonly key: PrivateKey | undefined;
}

interface DeviceState {
  readonly spec: FakeRutokenDeviceSpec;
  readonly entries: readonly Entry[];
  retriesLeft: number;
  loggedIn: boolean;
  present: boolean;
}

/** What a test sees and steers. */
export interface FakeRutoken {
  readonly plugin: RutokenPlugin;
  /** Method names called, in order (never arguments: no PIN here either). */
  readonly calls: string[];
  /** The device's state. */
  state(serial: string): { retriesLeft: number; loggedIn: boolean; present: boolean };
  remove(serial: string): void;
  insert(serial: string): void;
  /** Changes every device number (as the plug-in does between enumerations after a change). */
  renumber(): void;
  /** The next call of `method` (default: any of login, rawSign, sign) rejects with this code. */
  failNext(name: FakeErrorName, method?: string): void;
  /** The next call of `method` never settles (a plug-in whose native host died, a dialog left open). */
  hangNext(method: string): void;
  /** A faulty plug-in: `sign` builds its CMS over these bytes instead of the data it was given (undefined: off). */
  signOtherContent(content: Uint8Array | undefined): void;
  /** The number of `getKeyByCertificate` etc. ids the fake gave (cert id, key id) per serial. */
  ids(serial: string): { certId: string; keyId: string | undefined }[];
}

const fail = (name: FakeErrorName): Error => new Error(String(FAKE_ERROR_CODES[name]));
const HANG = Symbol('hang');

function colonHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(':');
}

/** The plug-in's strict colon-hex ("aa:bb:…"); anything else is BAD_PARAMS. */
function parseColonHex(text: string): Uint8Array {
  if (typeof text !== 'string' || !/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2})*$/.test(text)) throw fail('BAD_PARAMS');
  return Uint8Array.from(text.split(':'), (h) => Number.parseInt(h, 16));
}

function entriesOf(spec: FakeRutokenDeviceSpec, n: number): Entry[] {
  const keyed = spec.keys.map((k, i) => ({
    certId: colonHex(sha1.digest(k.certificate)),
    keyId: colonHex(Uint8Array.of(0x4b, n, i, 0x01, 0xa5)),
    certificate: k.certificate,
    key: k.key,
  }));
  const orphans = (spec.orphanCertificates ?? []).map((c) => ({
    certId: colonHex(sha1.digest(c)),
    keyId: undefined,
    certificate: c,
    key: undefined,
  }));
  return [...keyed, ...orphans];
}

/**
 * A FAKE Rutoken Plugin: devices with GOST keys from @eds/core, exact PIN counters that lock at 0,
 * `rawSign` over a digest or (with `computeHash`) over data, `sign` building a real CMS with
 * @eds/core signCms, and controls for removal, renumbering, cancel and other failures.
 *
 * @example
 * ```ts
 * const fake = createFakeRutokenPlugin([{ serial: '0a1b2c3d', pin: '12345678', keys: [leaf] }]);
 * const adapter = createRutokenAdapter({ plugin: fake.plugin });
 * ```
 */
export function createFakeRutokenPlugin(specs: readonly FakeRutokenDeviceSpec[]): FakeRutoken {
  const devices = specs.map<DeviceState>((spec, n) => ({
    spec,
    entries: entriesOf(spec, n),
    retriesLeft: spec.maxRetries ?? 10,
    loggedIn: false,
    present: true,
  }));
  let offset = 0;
  const failures: { name: FakeErrorName; method: string | undefined }[] = [];
  const calls: string[] = [];
  const hangs: string[] = [];
  let substitute: Uint8Array | undefined;

  const present = () => devices.filter((d) => d.present);
  const byId = (id: number): DeviceState => {
    const d = present()[id - offset];
    if (!d) throw fail('DEVICE_NOT_FOUND');
    return d;
  };
  const enter = (method: string) => {
    calls.push(method);
    const h = hangs.indexOf(method);
    if (h >= 0) {
      hangs.splice(h, 1);
      throw HANG;
    }
    const i = failures.findIndex(
      (f) => f.method === method || (f.method === undefined && ['login', 'rawSign', 'sign'].includes(method)),
    );
    if (i >= 0) {
      const [f] = failures.splice(i, 1);
      if (f) throw fail(f.name);
    }
  };
  const keyEntry = (d: DeviceState, keyId: string): Entry & { key: PrivateKey } => {
    const e = d.entries.find((x) => x.keyId === keyId);
    if (!e?.key) throw fail('KEY_NOT_FOUND');
    return e as Entry & { key: PrivateKey };
  };
  const certEntry = (d: DeviceState, certId: string): Entry => {
    const e = d.entries.find((x) => x.certId === certId);
    if (!e) throw fail('CERTIFICATE_NOT_FOUND');
    return e;
  };
  const loggedIn = (d: DeviceState) => {
    if (!d.loggedIn) throw fail('USER_NOT_LOGGED_IN');
  };

  const plugin: RutokenPlugin = {
    errorCodes: FAKE_ERROR_CODES,
    TOKEN_INFO_SERIAL: 101,
    TOKEN_INFO_LABEL: 102,
    TOKEN_INFO_MODEL: 103,
    TOKEN_INFO_IS_LOGGED_IN: 104,
    TOKEN_INFO_PINS_INFO: 105,
    TOKEN_INFO_PIN_RETRIES_LEFT: 106,
    CERT_CATEGORY_USER: 1,
    DATA_FORMAT_BASE64: 2,
    HASH_TYPE_GOST3411_12_256: 201,
    HASH_TYPE_GOST3411_12_512: 202,
    async enumerateDevices() {
      enter('enumerateDevices');
      return present().map((_, i) => i + offset);
    },
    async getDeviceInfo(id, type) {
      enter('getDeviceInfo');
      const d = byId(id);
      switch (type) {
        case 101:
          return d.spec.serial;
        case 102:
          return d.spec.label ?? '';
        case 103:
          return d.spec.model ?? 'Rutoken ECP 3.0 (fake)';
        case 104:
          return d.loggedIn;
        case 105:
          return { retriesLeft: d.retriesLeft, isPinCached: false, isPinDefault: false };
        case 106:
          return d.retriesLeft;
        default:
          throw fail('BAD_PARAMS');
      }
    },
    async login(id, pin) {
      enter('login');
      const d = byId(id);
      if (d.retriesLeft === 0) throw fail('PIN_LOCKED');
      if (d.loggedIn) throw fail('ALREADY_LOGGED_IN');
      if (pin !== d.spec.pin) {
        d.retriesLeft--;
        throw fail('PIN_INCORRECT');
      }
      d.retriesLeft = d.spec.maxRetries ?? 10;
      d.loggedIn = true;
      return true;
    },
    async logout(id) {
      enter('logout');
      const d = byId(id);
      if (!d.loggedIn) throw fail('USER_NOT_LOGGED_IN');
      d.loggedIn = false;
      return true;
    },
    async enumerateCertificates(id, category) {
      enter('enumerateCertificates');
      const d = byId(id);
      if (category !== 1) return [];
      return d.entries.map((e) => e.certId);
    },
    async getCertificate(id, certId) {
      enter('getCertificate');
      return encodePem('CERTIFICATE', certEntry(byId(id), certId).certificate);
    },
    async getKeyByCertificate(id, certId) {
      enter('getKeyByCertificate');
      const e = certEntry(byId(id), certId);
      if (!e.keyId) throw fail('KEY_NOT_FOUND');
      return e.keyId;
    },
    async rawSign(id, keyId, data, options: RutokenRawSignOptions) {
      enter('rawSign');
      const d = byId(id);
      loggedIn(d);
      const { key } = keyEntry(d, keyId);
      const signer = createSigner({ key });
      const bytes = parseColonHex(data);
      if (options?.computeHash) {
        const want = key.type === 'gost2012-256' ? 201 : 202;
        if (options.hashAlgorithm !== undefined && options.hashAlgorithm !== want) throw fail('MECHANISM_INVALID');
        return colonHex(await signer.sign(bytes));
      }
      if (bytes.length !== signer.algorithm.digest?.size) throw fail('DATA_LEN_RANGE');
      return colonHex(await (signer.signDigest as (d: Uint8Array) => Promise<Uint8Array>)(bytes));
    },
    async sign(id, certId, data, format, options: RutokenCmsOptions) {
      enter('sign');
      const d = byId(id);
      loggedIn(d);
      const e = certEntry(d, certId);
      if (!e.key) throw fail('KEY_NOT_FOUND');
      if (format !== 2) throw fail('BAD_PARAMS');
      const content = substitute ?? base64Decode(data);
      const cms = await signCms({
        content,
        detached: options?.detached ?? false,
        signers: [createSigner({ key: e.key, certificate: e.certificate })],
        includeCertificates: options?.addUserCertificate ? 'signer' : 'none',
      });
      return base64Encode(cms);
    },
  };
  // a method told to hang (hangNext) never settles
  for (const [name, f] of Object.entries(plugin)) {
    if (typeof f !== 'function') continue;
    (plugin as unknown as Record<string, unknown>)[name] = (...args: unknown[]) =>
      (f as (...a: unknown[]) => Promise<unknown>)
        .apply(plugin, args)
        .catch((e: unknown) => (e === HANG ? new Promise(() => {}) : Promise.reject(e)));
  }

  const find = (serial: string) => {
    const d = devices.find((x) => x.spec.serial === serial);
    if (!d) throw new Error(`fake: no device ${serial}`);
    return d;
  };
  return {
    plugin,
    calls,
    state: (serial) => {
      const d = find(serial);
      return { retriesLeft: d.retriesLeft, loggedIn: d.loggedIn, present: d.present };
    },
    remove: (serial) => {
      const d = find(serial);
      d.present = false;
      d.loggedIn = false;
    },
    insert: (serial) => {
      find(serial).present = true;
    },
    renumber: () => {
      offset += 7;
    },
    failNext: (name, method) => {
      failures.push({ name, method });
    },
    hangNext: (method) => {
      hangs.push(method);
    },
    signOtherContent: (content) => {
      substitute = content;
    },
    ids: (serial) => find(serial).entries.map((e) => ({ certId: e.certId, keyId: e.keyId })),
  };
}

/**
 * A `loadPlugin`-shaped function of the FAKE: resolves `plugin`, or rejects as the real loader
 * chain does when the extension or the plug-in is missing.
 */
export function fakeLoadPlugin(plugin: RutokenPlugin | undefined): () => Promise<RutokenPlugin> {
  return async () => {
    if (!plugin) throw new Error("Rutoken Plugin wasn't found");
    return plugin;
  };
}
