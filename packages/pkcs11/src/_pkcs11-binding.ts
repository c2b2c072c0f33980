// The PKCS#11 binding of the adapter: the subset of pkcs11js (v2.x) it calls, made asynchronous,
// and the in-process wrapper of a pkcs11js-shaped object (PKCS#11 v2.40 §5).
import { ProviderError, ProviderUnavailableError, TokenError } from './errors';
import type { RsaPssParameter } from './mechanisms';

/** A slot, session or object handle: opaque bytes, never shown to callers. */
export type Pkcs11Handle = Uint8Array;

/** An attribute of a search or read template (pkcs11js `Attribute`). */
export interface Pkcs11Attribute {
  readonly type: number;
  readonly value?: number | boolean | string | Uint8Array | undefined;
}

/** An attribute read back (pkcs11js `AttributeResult`). */
export interface Pkcs11AttributeResult {
  readonly type: number;
  readonly value: Uint8Array;
}

/** A mechanism with its parameter (pkcs11js `Mechanism`). */
export interface Pkcs11Mechanism {
  readonly mechanism: number;
  readonly parameter?: Uint8Array | number | RsaPssParameter | undefined;
}

/** A version as pkcs11js reports it. */
export interface Pkcs11Version {
  readonly major: number;
  readonly minor: number;
}

/** CK_INFO (pkcs11js `ModuleInfo`); strings are blank-padded. */
export interface Pkcs11ModuleInfo {
  readonly cryptokiVersion: Pkcs11Version;
  readonly manufacturerID: string;
  readonly flags: number;
  readonly libraryDescription: string;
  readonly libraryVersion: Pkcs11Version;
}

/** CK_TOKEN_INFO (the pkcs11js `TokenInfo` fields the adapter reads); strings are blank-padded. */
export interface Pkcs11TokenInfo {
  readonly label: string;
  readonly manufacturerID: string;
  readonly model: string;
  readonly serialNumber: string;
  readonly flags: number;
  readonly minPinLen?: number;
  readonly maxPinLen?: number;
}

/** CK_SESSION_INFO (pkcs11js `SessionInfo`): `state` is a CKS_* value (v2.40 §5.6). */
export interface Pkcs11SessionInfo {
  readonly state: number;
  readonly flags: number;
}

/**
 * The pkcs11js calls the adapter makes, each returning a Promise, so the binding can run in a
 * worker thread (`workerBinding`), in-process (`inProcessBinding`) or be a test fake. Errors
 * carry `.code`, the CK_RV (as pkcs11js's `Pkcs11Error` does).
 */
export interface Pkcs11Binding {
  load(path: string): Promise<void>;
  C_Initialize(options?: { flags?: number }): Promise<void>;
  C_GetInfo(): Promise<Pkcs11ModuleInfo>;
  C_GetSlotList(tokenPresent?: boolean): Promise<Pkcs11Handle[]>;
  C_GetTokenInfo(slot: Pkcs11Handle): Promise<Pkcs11TokenInfo>;
  C_GetMechanismList(slot: Pkcs11Handle): Promise<number[]>;
  C_OpenSession(slot: Pkcs11Handle, flags: number): Promise<Pkcs11Handle>;
  C_CloseSession(session: Pkcs11Handle): Promise<void>;
  C_GetSessionInfo(session: Pkcs11Handle): Promise<Pkcs11SessionInfo>;
  C_Login(session: Pkcs11Handle, userType: number, pin?: string): Promise<void>;
  C_Logout(session: Pkcs11Handle): Promise<void>;
  C_FindObjectsInit(session: Pkcs11Handle, template: readonly Pkcs11Attribute[]): Promise<void>;
  C_FindObjects(session: Pkcs11Handle, maxObjectCount: number): Promise<Pkcs11Handle[]>;
  C_FindObjectsFinal(session: Pkcs11Handle): Promise<void>;
  C_GetAttributeValue(
    session: Pkcs11Handle,
    object: Pkcs11Handle,
    template: readonly Pkcs11Attribute[],
  ): Promise<Pkcs11AttributeResult[]>;
  C_SignInit(session: Pkcs11Handle, mechanism: Pkcs11Mechanism, key: Pkcs11Handle): Promise<void>;
  /** Single-part sign; `outData` is a buffer large enough for the signature, the result is sliced. */
  C_Sign(session: Pkcs11Handle, inData: Uint8Array, outData: Uint8Array): Promise<Uint8Array>;
  C_WaitForSlotEvent?(flags: number): Promise<Pkcs11Handle | null>;
  C_Finalize(): Promise<void>;
  /** Unloads the module (and ends the worker, for `workerBinding`). */
  close(): Promise<void>;
}

/** Method names of {@link Pkcs11Binding} besides `close`, in the order pkcs11js defines them. */
export const PKCS11_BINDING_METHODS = [
  'load',
  'C_Initialize',
  'C_GetInfo',
  'C_GetSlotList',
  'C_GetTokenInfo',
  'C_GetMechanismList',
  'C_OpenSession',
  'C_CloseSession',
  'C_GetSessionInfo',
  'C_Login',
  'C_Logout',
  'C_FindObjectsInit',
  'C_FindObjects',
  'C_FindObjectsFinal',
  'C_GetAttributeValue',
  'C_SignInit',
  'C_Sign',
  'C_WaitForSlotEvent',
  'C_Finalize',
] as const;

type SyncMethod = (...args: unknown[]) => unknown;

/**
 * Wraps a synchronous pkcs11js-shaped object (a real `new PKCS11()` or a test fake) into a
 * {@link Pkcs11Binding} that runs on the calling thread. Uint8Array arguments become Buffers
 * where Buffer exists (pkcs11js needs them), deep in templates and mechanism parameters.
 * Blocking calls block the caller: prefer `workerBinding` for real modules.
 *
 * @throws nothing itself; the methods reject with what the object throws.
 * @example
 * ```ts
 * const adapter = await openPkcs11('/fake.so', { binding: inProcessBinding(new FakePkcs11()) });
 * ```
 */
export function inProcessBinding(pkcs11: object): Pkcs11Binding {
  const target = pkcs11 as Record<string, SyncMethod | undefined>;
  const call =
    (name: string) =>
    async (...args: unknown[]): Promise<never> => {
      const fn = target[name];
      if (typeof fn !== 'function') throw new ProviderError(`the binding has no ${name}`);
      return fn.apply(pkcs11, args.map(toNative)) as never;
    };
  const binding: Record<string, unknown> = {};
  for (const name of PKCS11_BINDING_METHODS) {
    if (name !== 'C_WaitForSlotEvent' || typeof target[name] === 'function') binding[name] = call(name);
  }
  binding.close = async () => {
    if (typeof target.close === 'function') target.close.call(pkcs11);
  };
  return binding as unknown as Pkcs11Binding;
}

/** Uint8Array → Buffer (deep through plain objects and arrays) when Buffer exists. */
function toNative(value: unknown): unknown {
  const B = (globalThis as { Buffer?: { from(a: ArrayBufferLike, o: number, l: number): Uint8Array } }).Buffer;
  if (value instanceof Uint8Array) {
    return B && value.constructor === Uint8Array ? B.from(value.buffer, value.byteOffset, value.byteLength) : value;
  }
  if (Array.isArray(value)) return value.map(toNative);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toNative(v)]));
  }
  return value;
}

/**
 * The typed error for a failed `load` of a PKCS#11 module: dlopen's "cannot open shared object
 * file" / "No such file" and Windows LoadLibrary's "The specified module could not be found" are
 * `not-installed`; any other failure (not a shared library, no C_GetFunctionList) is `load-failed`.
 * TokenErrors pass through.
 *
 * @throws nothing; returns the error.
 * @example
 * ```ts
 * moduleLoadError(new Error('x.so: cannot open shared object file'), 'x.so').reason; // 'not-installed'
 * ```
 */
export function moduleLoadError(e: unknown, modulePath: string): TokenError {
  if (e instanceof TokenError) return e;
  const message = e instanceof Error ? e.message : String(e);
  const missing = /cannot open shared object|no such file|specified module could not be found|ENOENT/i.test(message);
  return new ProviderUnavailableError(
    missing ? 'not-installed' : 'load-failed',
    `PKCS#11 module ${modulePath} ${missing ? 'not found' : 'failed to load'}: ${message}`,
    { cause: e },
  );
}
