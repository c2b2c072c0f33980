// The PKCS#11 token adapter for Node over a pkcs11js-shaped binding (PKCS#11 v2.40 §5; rules of
// shared/docs/reference/tokens.md §2.1, mechanisms §6.1, errors §6.2).
import { decodeDer } from '@eds/core/asn1';
import { hexDecode, hexEncode } from '@eds/core/encoding';
import { DecodeError } from '@eds/core/errors';
import {
  moduleLoadError,
  type Pkcs11Attribute,
  type Pkcs11Binding,
  type Pkcs11Handle,
  type Pkcs11TokenInfo,
  type Pkcs11Version,
} from './_pkcs11-binding';
import { createPoller, type Poller, raceAbort, throwIfAborted } from './_shared';
import {
  CKR,
  fromCkr,
  KeyNotFoundError,
  LoginRequiredError,
  MechanismNotSupportedError,
  PinIncorrectError,
  PinLockedError,
  ProviderError,
  ProviderUnavailableError,
  TokenError,
  TokenNotPresentError,
} from './errors';
import { CKA, CKC_X_509, CKF, CKK, CKO, CKS, CKU, decodeBool, decodeUlong, selectMechanism } from './mechanisms';
import { keyAlgorithmOfCertificate, NAMED_CURVES } from './schemes';
import type {
  Capabilities,
  CertificateEntry,
  KeyAlgorithm,
  KeyRef,
  LoginOptions,
  OpOptions,
  PinState,
  SignatureScheme,
  SignInput,
  SignOptions,
  TokenAdapter,
  TokenEvent,
  TokenInfo,
  TokenRef,
} from './types';

// The binding interface and its in-process wrapper are part of this subpath's API.
export * from './_pkcs11-binding';

// ---------------------------------------------------------------------------------------------
// The adapter

/** Options of {@link openPkcs11}. */
export interface OpenPkcs11Options extends OpOptions {
  /** The binding to use; default a worker-thread binding over pkcs11js. */
  readonly binding?: Pkcs11Binding | undefined;
  /** How often `onTokenEvent` polls C_GetSlotList while a listener is subscribed (default 1000 ms). */
  readonly pollIntervalMs?: number | undefined;
}

/** What C_GetInfo says about the module, trimmed. */
export interface Pkcs11ModuleDescription {
  readonly manufacturer: string;
  readonly libraryDescription: string;
  /** Library version, `major.minor`. */
  readonly version: string;
  /** Cryptoki version the module implements, `major.minor`. */
  readonly cryptokiVersion: string;
}

/** A {@link TokenAdapter} over one PKCS#11 module. */
export interface Pkcs11Adapter extends TokenAdapter {
  readonly provider: 'pkcs11';
  /**
   * Logs in to the token (C_Login as CKU_USER, PKCS#11 v2.40 §5.6). Login is token-wide: it
   * covers every session of the module in the process. When the token is already logged in
   * (through this adapter, another adapter on the module or another application) and a PIN is
   * given, the PIN is checked again by C_Logout and C_Login, so a wrong PIN is always a
   * PinIncorrectError — and leaves the token logged out for everyone, and a signature running
   * on the token at that moment may fail. Logins and logouts of one token are serialised in the
   * process. Without a PIN (PIN-pad reader) an existing login is kept. The PIN is not kept.
   *
   * @throws {PinIncorrectError} wrong PIN (also at CKF_USER_PIN_FINAL_TRY without `allowFinalTry`).
   * @throws {PinLockedError} / {PinExpiredError} / {LoginRequiredError} (no PIN, no PIN pad) /
   *   {UserCancelledError} (PIN pad) / {TokenNotPresentError}.
   * @example
   * ```ts
   * await p11.login({ provider: 'pkcs11', tokenId: 'A1B2C3' }, pin); // checks the PIN even if logged in
   * ```
   */
  login(token: TokenRef, pin: string | undefined, options?: LoginOptions): Promise<void>;
  /** The module's manufacturer, description and version (C_GetInfo). */
  moduleInfo(options?: OpOptions): Promise<Pkcs11ModuleDescription>;
  onTokenEvent(listener: (event: TokenEvent) => void): () => void;
}

const CAPABILITIES: Capabilities = Object.freeze({
  enumerateTokens: true,
  pinRetries: 'flags',
  pinEntry: 'caller',
  rawSign: Object.freeze({ data: true, digest: true }),
  algorithms: Object.freeze(['RSA', 'EC', 'EdDSA', 'GOST2012'] as const),
  tokenEvents: true,
});

/** Largest signature expected: RSA 16384 bits (SoftHSM's maximum) is 2048 bytes. */
const MAX_SIGNATURE = 2048;
const FIND_BATCH = 64;

/** Where a call is made: used to decide what an error means and whether it may carry a cause. */
interface CallContext {
  readonly signal?: AbortSignal | undefined;
  /** Token flags for refining PIN errors. */
  readonly flags?: () => Promise<number | undefined>;
  /** The call carries a PIN: its error gets no `cause`. */
  readonly secret?: boolean;
}

/** A session kept open while logged in, and the slot it was opened on. */
interface KeptSession {
  readonly slot: Pkcs11Handle;
  readonly session: Pkcs11Handle;
}

/** Adapter state shared by its operations. */
interface State {
  readonly binding: Pkcs11Binding;
  /** Sessions kept open while logged in (login is token-wide), by token serial. */
  readonly loginSessions: Map<string, KeptSession>;
  closed: boolean;
}

/**
 * Opens a PKCS#11 module and returns a token adapter over it: tokens by serial number, keys by
 * CKA_ID, PIN state from the token flags, mechanisms per tokens.md §6.1, CKR codes mapped to the
 * typed errors (§6.2). By default pkcs11js runs in a worker thread, so a PIN-pad login or a slow
 * token never blocks the event loop. One module instance per library path per process.
 *
 * @throws {ProviderUnavailableError} `native-binding-missing` when pkcs11js is not installed or
 *   not built, `not-installed` when dlopen/LoadLibrary does not find the module (a path or a
 *   bare library name, searched as the system does), `load-failed` when it does not load or
 *   initialise.
 * @example
 * ```ts
 * const p11 = await openPkcs11('/usr/lib/softhsm/libsofthsm2.so');
 * const [token] = await p11.listTokens();
 * await p11.login(token, process.env.EDS_PIN);
 * const [entry] = await p11.listCertificates(token);
 * const sig = await p11.sign(entry.key, { type: 'data', data }, { name: 'ECDSA', hash: 'SHA-256' });
 * await p11.close();
 * ```
 */
export async function openPkcs11(modulePath: string, options: OpenPkcs11Options = {}): Promise<Pkcs11Adapter> {
  throwIfAborted(options.signal);
  const binding = options.binding ?? (await defaultBinding());
  try {
    await binding.load(modulePath);
  } catch (e) {
    await binding.close().catch(() => undefined);
    throw moduleLoadError(e, modulePath);
  }
  try {
    await binding.C_Initialize();
  } catch (e) {
    if (ckrOf(e) !== CKR.CRYPTOKI_ALREADY_INITIALIZED) {
      await binding.close().catch(() => undefined);
      throw e instanceof TokenError ? e : new ProviderUnavailableError('load-failed', initMessage(e), { cause: e });
    }
  }
  const state: State = { binding, loginSessions: new Map(), closed: false };
  if (options.signal?.aborted) {
    await close(state);
    throwIfAborted(options.signal);
  }
  return createAdapter(state, options.pollIntervalMs ?? 1000);
}

async function defaultBinding(): Promise<Pkcs11Binding> {
  const { workerBinding } = await import('./_pkcs11-worker');
  return workerBinding();
}

function initMessage(e: unknown): string {
  return `C_Initialize failed: ${e instanceof Error ? e.message : String(e)}`;
}

function createAdapter(state: State, pollMs: number): Pkcs11Adapter {
  const events = createEvents(state, pollMs);
  return Object.freeze({
    provider: 'pkcs11' as const,
    capabilities: CAPABILITIES,
    moduleInfo: (o?: OpOptions) => moduleInfo(state, o),
    listTokens: async (o?: OpOptions) => {
      const tokens = await listTokens(state, o);
      events.observe(tokens.map((t) => t.tokenId));
      return tokens;
    },
    getTokenInfo: (t: TokenRef, o?: OpOptions) => getTokenInfo(state, t, o),
    login: (t: TokenRef, pin: string | undefined, o?: LoginOptions) => login(state, t, pin, o),
    logout: (t: TokenRef, o?: OpOptions) => logout(state, t, o),
    listCertificates: (t: TokenRef, o?: OpOptions) => listCertificates(state, t, o),
    sign: (k: KeyRef, input: SignInput, scheme: SignatureScheme, o?: SignOptions) => sign(state, k, input, scheme, o),
    onTokenEvent: (listener: (event: TokenEvent) => void) => {
      ensureOpen(state);
      return events.subscribe(listener);
    },
    close: async () => {
      events.close();
      await close(state);
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Calls, errors, abort

function ckrOf(e: unknown): number | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * Runs one provider call: abort checked before and after (and an abort while in flight rejects
 * at once; the call itself finishes in the worker), errors mapped to typed errors.
 */
async function call<T>(ctx: CallContext, fn: () => Promise<T>): Promise<T> {
  throwIfAborted(ctx.signal);
  let result: T;
  try {
    result = await raceAbort(fn(), ctx.signal);
  } catch (e) {
    throw await mapError(e, ctx);
  }
  throwIfAborted(ctx.signal);
  return result;
}

async function mapError(e: unknown, ctx: CallContext): Promise<unknown> {
  if (e instanceof TokenError) return e;
  if (ctx.signal?.aborted && e === ctx.signal.reason) return e;
  if (e instanceof DOMException && e.name === 'AbortError') return e;
  const ckr = ckrOf(e);
  const cause = ctx.secret ? undefined : e;
  if (ckr === undefined) {
    const message = ctx.secret ? 'PKCS#11 login failed' : `PKCS#11 call failed: ${(e as Error)?.message ?? e}`;
    return new ProviderError(message, { cause });
  }
  const tokenFlags = isPinError(ckr) && ctx.flags ? await ctx.flags().catch(() => undefined) : undefined;
  return fromCkr(ckr, { tokenFlags, cause }) ?? new ProviderError(`unexpected success code ${ckr}`, { ckr });
}

function isPinError(ckr: number): boolean {
  return ckr === CKR.PIN_INCORRECT || ckr === CKR.PIN_INVALID || ckr === CKR.PIN_LEN_RANGE || ckr === CKR.PIN_LOCKED;
}

// ---------------------------------------------------------------------------------------------
// Tokens

const trim = (s: string | undefined): string => (s ?? '').replace(/[\s\0]+$/u, '').trim();

function pinState(flags: number): { state: PinState; retriesLeft?: number } {
  if (flags & CKF.USER_PIN_LOCKED) return { state: 'locked', retriesLeft: 0 };
  if (flags & CKF.USER_PIN_FINAL_TRY) return { state: 'finalTry', retriesLeft: 1 };
  if (flags & CKF.USER_PIN_COUNT_LOW) return { state: 'countLow' };
  if (flags & CKF.USER_PIN_TO_BE_CHANGED) return { state: 'toBeChanged' };
  return { state: 'ok' };
}

function tokenInfoOf(info: Pkcs11TokenInfo, loggedIn: boolean): TokenInfo {
  const serial = trim(info.serialNumber);
  return {
    provider: 'pkcs11',
    tokenId: serial,
    label: trim(info.label),
    manufacturer: trim(info.manufacturerID),
    model: trim(info.model),
    serial,
    present: true,
    loggedIn,
    pin: pinState(info.flags),
    protectedAuthPath: (info.flags & CKF.PROTECTED_AUTHENTICATION_PATH) !== 0,
    rawFlags: info.flags,
  };
}

/** Present slots with their token info; a slot whose token vanished meanwhile is left out. */
async function presentTokens(
  state: State,
  signal?: AbortSignal,
): Promise<{ slot: Pkcs11Handle; info: Pkcs11TokenInfo }[]> {
  const slots = await call({ signal }, () => state.binding.C_GetSlotList(true));
  const out: { slot: Pkcs11Handle; info: Pkcs11TokenInfo }[] = [];
  for (const slot of slots) {
    try {
      const info = await call({ signal }, () => state.binding.C_GetTokenInfo(slot));
      // A token without a serial (SoftHSM's free slot, an uninitialised card) cannot be addressed.
      if (trim(info.serialNumber)) out.push({ slot, info });
    } catch (e) {
      if (!(e instanceof TokenNotPresentError)) throw e;
    }
  }
  return out;
}

/** Re-resolves a token's slot by serial (slot ids are not stable, tokens.md §2.1). */
async function resolveToken(
  state: State,
  token: TokenRef,
  signal?: AbortSignal,
): Promise<{ slot: Pkcs11Handle; info: Pkcs11TokenInfo; serial: string }> {
  ensureOpen(state);
  if (token.provider !== 'pkcs11') throw new TokenNotPresentError();
  const found = (await presentTokens(state, signal)).find((t) => trim(t.info.serialNumber) === token.tokenId);
  if (!found) {
    await dropLoginSession(state, token.tokenId);
    throw new TokenNotPresentError();
  }
  return { ...found, serial: token.tokenId };
}

function ensureOpen(state: State): void {
  if (state.closed) throw new ProviderUnavailableError('not-running', 'the PKCS#11 adapter is closed');
}

async function moduleInfo(state: State, o: OpOptions = {}): Promise<Pkcs11ModuleDescription> {
  ensureOpen(state);
  const info = await call({ signal: o.signal }, () => state.binding.C_GetInfo());
  const v = (x: Pkcs11Version) => `${x.major}.${x.minor}`;
  return {
    manufacturer: trim(info.manufacturerID),
    libraryDescription: trim(info.libraryDescription),
    version: v(info.libraryVersion),
    cryptokiVersion: v(info.cryptokiVersion),
  };
}

async function listTokens(state: State, o: OpOptions = {}): Promise<TokenInfo[]> {
  ensureOpen(state);
  const out: TokenInfo[] = [];
  for (const { slot, info } of await presentTokens(state, o.signal)) {
    const live = await liveLoginSession(state, trim(info.serialNumber), slot, o.signal);
    out.push(tokenInfoOf(info, live !== undefined));
  }
  return out;
}

async function getTokenInfo(state: State, token: TokenRef, o: OpOptions = {}): Promise<TokenInfo> {
  const { slot, info, serial } = await resolveToken(state, token, o.signal);
  return tokenInfoOf(info, (await liveLoginSession(state, serial, slot, o.signal)) !== undefined);
}

// ---------------------------------------------------------------------------------------------
// Sessions and login

/** Runs `fn` in a fresh session on the token's slot and closes the session afterwards. */
async function withSession<T>(
  state: State,
  slot: Pkcs11Handle,
  signal: AbortSignal | undefined,
  fn: (session: Pkcs11Handle) => Promise<T>,
): Promise<T> {
  const session = await call({ signal }, () => state.binding.C_OpenSession(slot, CKF.SERIAL_SESSION));
  try {
    return await fn(session);
  } finally {
    await state.binding.C_CloseSession(session).catch(() => undefined);
  }
}

function flagsReader(state: State, slot: Pkcs11Handle): () => Promise<number | undefined> {
  return async () => (await state.binding.C_GetTokenInfo(slot)).flags;
}

/** Refuses to try a PIN when the token is locked or one wrong PIN away from locking. */
function guardPin(flags: number, allowFinalTry: boolean): void {
  if (flags & CKF.USER_PIN_LOCKED) throw new PinLockedError();
  if (flags & CKF.USER_PIN_FINAL_TRY && !allowFinalTry) throw new PinIncorrectError({ retriesLeft: 1 });
}

/**
 * Logs in to the token (C_Login as CKU_USER, v2.40 §5.6). Login is token-wide: when the token is
 * already logged in (by this adapter, another adapter on the module or another application) and
 * a PIN is given, the PIN is checked again by C_Logout and C_Login, so a wrong PIN is always a
 * PinIncorrectError and leaves the token logged out. Logins and logouts of one token are
 * serialised in the process. Without a PIN (PIN pad), an existing login is kept as it is.
 */
async function login(state: State, token: TokenRef, pin: string | undefined, o: LoginOptions = {}): Promise<void> {
  ensureOpen(state);
  await exclusive(token.tokenId, o.signal, async () => {
    const { slot, info, serial } = await resolveToken(state, token, o.signal);
    guardPin(info.flags, o.allowFinalTry === true);
    const pinPad = (info.flags & CKF.PROTECTED_AUTHENTICATION_PATH) !== 0;
    if (pin === undefined && !pinPad) throw new LoginRequiredError();
    const kept = await liveLoginSession(state, serial, slot, o.signal, true);
    if (kept) {
      if (pin !== undefined) await recheckPin(state, serial, kept, pin, o.signal);
      return;
    }
    const session = await call({ signal: o.signal }, () => state.binding.C_OpenSession(slot, CKF.SERIAL_SESSION));
    try {
      const ctx = { signal: o.signal, flags: flagsReader(state, slot), secret: true };
      const already = await call(ctx, () =>
        loginCall(state, session, CKU.USER, pin).then(() => false, alreadyLoggedIn),
      );
      if (already && pin !== undefined) await relogin(state, slot, session, pin, o.signal);
    } catch (e) {
      await state.binding.C_CloseSession(session).catch(() => undefined);
      throw e;
    }
    state.loginSessions.set(serial, { slot, session });
  });
}

/** C_Login, with the PIN pad form (no PIN argument) when `pin` is undefined. */
function loginCall(state: State, session: Pkcs11Handle, userType: number, pin: string | undefined): Promise<void> {
  return pin === undefined ? state.binding.C_Login(session, userType) : state.binding.C_Login(session, userType, pin);
}

/** CKR_USER_ALREADY_LOGGED_IN: `true` (the token is logged in, the PIN was not checked). */
function alreadyLoggedIn(e: unknown): true {
  if (ckrOf(e) !== CKR.USER_ALREADY_LOGGED_IN) throw e;
  return true;
}

/** Checks `pin` on a token that is logged in through `kept`; a failure drops the kept session. */
async function recheckPin(state: State, serial: string, kept: KeptSession, pin: string, signal?: AbortSignal) {
  try {
    await relogin(state, kept.slot, kept.session, pin, signal);
  } catch (e) {
    if (state.loginSessions.get(serial) === kept) await dropLoginSession(state, serial);
    throw e;
  }
}

/** C_Logout then C_Login with `pin` on `session`: the token checks the PIN again (token-wide). */
async function relogin(state: State, slot: Pkcs11Handle, session: Pkcs11Handle, pin: string, signal?: AbortSignal) {
  await call({ signal }, () => state.binding.C_Logout(session)).catch((e: unknown) => {
    if (!(e instanceof LoginRequiredError)) throw e; // CKR_USER_NOT_LOGGED_IN: logged out meanwhile
  });
  const flags = (await call({ signal }, () => state.binding.C_GetTokenInfo(slot))).flags;
  guardPin(flags, true); // the final try was allowed (or refused) before; a lock is still a lock
  await call({ signal, flags: flagsReader(state, slot), secret: true }, () => loginCall(state, session, CKU.USER, pin));
}

/** The process-wide queue of logins and logouts per token serial (login state is token-wide). */
const tokenQueues = new Map<string, Promise<void>>();

/** Runs `fn` after the earlier logins/logouts of the token; an abort while waiting rejects at once. */
async function exclusive<T>(serial: string, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
  const previous = tokenQueues.get(serial) ?? Promise.resolve();
  let release = () => {};
  const mine = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = previous.then(() => mine);
  tokenQueues.set(serial, tail);
  try {
    await raceAbort(previous, signal);
    return await fn();
  } finally {
    release();
    if (tokenQueues.get(serial) === tail) tokenQueues.delete(serial);
  }
}

/**
 * The kept login session of a token when the token still says it is logged in through it
 * (CKS_RO_USER_FUNCTIONS or CKS_RW_USER_FUNCTIONS, v2.40 §5.6); a stale one (the token was pulled
 * and put back, another adapter or application logged out, another slot) is dropped. The drop
 * happens in the token's login queue after a second look, so a login that is between its C_Logout
 * and C_Login (checking a PIN again) is not mistaken for a stale one. `inQueue`: the caller already
 * holds the queue (login).
 */
async function liveLoginSession(
  state: State,
  serial: string,
  slot: Pkcs11Handle,
  signal?: AbortSignal,
  inQueue = false,
): Promise<KeptSession | undefined> {
  const kept = state.loginSessions.get(serial);
  if (!kept) return undefined;
  if (await sessionIsLive(state, kept, slot, signal)) return kept;
  const drop = async () => {
    if (state.loginSessions.get(serial) !== kept) return;
    if (await sessionIsLive(state, kept, slot, signal)) return;
    await dropLoginSession(state, serial);
  };
  if (inQueue) await drop();
  else await exclusive(serial, signal, drop);
  return state.loginSessions.get(serial) === kept ? kept : undefined;
}

async function sessionIsLive(state: State, kept: KeptSession, slot: Pkcs11Handle, signal?: AbortSignal) {
  if (!sameHandle(kept.slot, slot)) return false;
  try {
    const { state: cks } = await call({ signal }, () => state.binding.C_GetSessionInfo(kept.session));
    return cks === CKS.RO_USER_FUNCTIONS || cks === CKS.RW_USER_FUNCTIONS;
  } catch (e) {
    if (signal?.aborted || isAbort(e)) throw e;
    return false; // a session the module no longer knows is stale
  }
}

function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}

async function logout(state: State, token: TokenRef, o: OpOptions = {}): Promise<void> {
  ensureOpen(state);
  throwIfAborted(o.signal);
  await exclusive(token.tokenId, o.signal, () => logoutNow(state, token, o));
}

async function logoutNow(state: State, token: TokenRef, o: OpOptions): Promise<void> {
  const kept = state.loginSessions.get(token.tokenId);
  if (!kept) return;
  state.loginSessions.delete(token.tokenId);
  try {
    await call({ signal: o.signal }, () => state.binding.C_Logout(kept.session)).catch((e: unknown) => {
      if (!(e instanceof LoginRequiredError || e instanceof TokenNotPresentError)) throw e;
    });
  } finally {
    await state.binding.C_CloseSession(kept.session).catch(() => undefined);
  }
}

async function dropLoginSession(state: State, serial: string): Promise<void> {
  const kept = state.loginSessions.get(serial);
  if (!kept) return;
  state.loginSessions.delete(serial);
  await state.binding.C_CloseSession(kept.session).catch(() => undefined);
}

function sameHandle(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

async function close(state: State): Promise<void> {
  if (state.closed) return;
  state.closed = true;
  for (const serial of [...state.loginSessions.keys()]) await dropLoginSession(state, serial);
  await state.binding.C_Finalize().catch(() => undefined);
  await state.binding.close().catch(() => undefined);
}

// ---------------------------------------------------------------------------------------------
// Objects

async function findObjects(
  state: State,
  session: Pkcs11Handle,
  template: readonly Pkcs11Attribute[],
  signal?: AbortSignal,
): Promise<Pkcs11Handle[]> {
  await call({ signal }, () => state.binding.C_FindObjectsInit(session, template));
  const found: Pkcs11Handle[] = [];
  try {
    for (;;) {
      const batch = await call({ signal }, () => state.binding.C_FindObjects(session, FIND_BATCH));
      found.push(...batch);
      if (batch.length < FIND_BATCH) break;
    }
  } finally {
    await state.binding.C_FindObjectsFinal(session).catch(() => undefined);
  }
  return found;
}

/**
 * Reads attributes one call each, so an attribute the object lacks (CKR_ATTRIBUTE_TYPE_INVALID) or
 * keeps secret (CKR_ATTRIBUTE_SENSITIVE) leaves only itself out; any other failure is thrown.
 */
async function readAttributes(
  state: State,
  session: Pkcs11Handle,
  object: Pkcs11Handle,
  types: readonly number[],
  signal?: AbortSignal,
): Promise<Map<number, Uint8Array>> {
  const out = new Map<number, Uint8Array>();
  for (const type of types) {
    try {
      const [attr] = await call({ signal }, () => state.binding.C_GetAttributeValue(session, object, [{ type }]));
      if (attr?.value) out.set(type, new Uint8Array(attr.value));
    } catch (e) {
      const ckr = e instanceof TokenError ? e.ckr : undefined;
      if (ckr !== CKR.ATTRIBUTE_TYPE_INVALID && ckr !== CKR.ATTRIBUTE_SENSITIVE) throw e;
    }
  }
  return out;
}

interface PrivateKeyInfo {
  readonly handle: Pkcs11Handle;
  readonly keyType: number | undefined;
  readonly canSign: boolean;
  readonly alwaysAuthenticate: boolean;
  readonly attributes: Map<number, Uint8Array>;
}

async function privateKeys(
  state: State,
  session: Pkcs11Handle,
  id: Uint8Array | undefined,
  signal?: AbortSignal,
): Promise<Map<string, PrivateKeyInfo>> {
  const template: Pkcs11Attribute[] = [{ type: CKA.CLASS, value: CKO.PRIVATE_KEY }];
  if (id) template.push({ type: CKA.ID, value: id });
  const out = new Map<string, PrivateKeyInfo>();
  for (const handle of await findObjects(state, session, template, signal)) {
    const a = await readAttributes(
      state,
      session,
      handle,
      [
        CKA.ID,
        CKA.KEY_TYPE,
        CKA.SIGN,
        CKA.ALWAYS_AUTHENTICATE,
        CKA.MODULUS,
        CKA.EC_PARAMS,
        CKA.GOSTR3410_PARAMS,
        CKA.GOSTR3411_PARAMS,
        CKA.GOSTR3410_512PARAMS,
      ],
      signal,
    );
    const keyId = hexEncode(a.get(CKA.ID) ?? new Uint8Array(0)).toLowerCase();
    const kt = a.get(CKA.KEY_TYPE);
    const sign = a.get(CKA.SIGN);
    const aa = a.get(CKA.ALWAYS_AUTHENTICATE);
    if (out.has(keyId)) continue;
    out.set(keyId, {
      handle,
      keyType: kt?.length ? decodeUlong(kt) : undefined,
      canSign: sign ? decodeBool(sign) : true,
      alwaysAuthenticate: aa ? decodeBool(aa) : false,
      attributes: a,
    });
  }
  return out;
}

interface CertificateObject {
  readonly keyId: string;
  readonly der: Uint8Array;
  readonly label: string | undefined;
}

async function certificates(
  state: State,
  session: Pkcs11Handle,
  id: Uint8Array | undefined,
  signal?: AbortSignal,
): Promise<CertificateObject[]> {
  const template: Pkcs11Attribute[] = [
    { type: CKA.CLASS, value: CKO.CERTIFICATE },
    { type: CKA.CERTIFICATE_TYPE, value: CKC_X_509 },
  ];
  if (id) template.push({ type: CKA.ID, value: id });
  const out: CertificateObject[] = [];
  for (const handle of await findObjects(state, session, template, signal)) {
    const a = await readAttributes(state, session, handle, [CKA.ID, CKA.VALUE, CKA.LABEL], signal);
    const der = a.get(CKA.VALUE);
    if (!der?.length) continue;
    const label = a.get(CKA.LABEL);
    out.push({
      keyId: hexEncode(a.get(CKA.ID) ?? new Uint8Array(0)).toLowerCase(),
      der,
      label: label ? new TextDecoder().decode(label) : undefined,
    });
  }
  return out;
}

/**
 * Certificates on the token, each paired with the private key of the same CKA_ID. Certificates
 * that do not parse or whose key no adapter signs with (GOST R 34.10-2001, other curves) are
 * left out. Private keys are visible only after login on most tokens.
 */
async function listCertificates(state: State, token: TokenRef, o: OpOptions = {}): Promise<CertificateEntry[]> {
  const { slot, serial } = await resolveToken(state, token, o.signal);
  return withSession(state, slot, o.signal, async (session) => {
    const certs = await certificates(state, session, undefined, o.signal);
    const keys = await privateKeys(state, session, undefined, o.signal);
    const out: CertificateEntry[] = [];
    for (const c of certs) {
      const keyAlgorithm = tryKeyAlgorithm(c.der);
      if (!keyAlgorithm) continue;
      const key = keys.get(c.keyId);
      out.push({
        key: { provider: 'pkcs11', tokenId: serial, keyId: c.keyId },
        certificate: c.der,
        keyAlgorithm,
        hasPrivateKey: key !== undefined,
        alwaysAuthenticate: key?.alwaysAuthenticate,
        label: c.label,
        storage: 'pkcs11',
      });
    }
    return out;
  });
}

function tryKeyAlgorithm(der: Uint8Array): KeyAlgorithm | undefined {
  try {
    return keyAlgorithmOfCertificate(der);
  } catch (e) {
    if (e instanceof DecodeError || e instanceof MechanismNotSupportedError) return undefined;
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Signing

function parseKeyId(key: KeyRef): Uint8Array {
  if (key.provider !== 'pkcs11' || !/^(?:[0-9a-f]{2})*$/i.test(key.keyId)) {
    throw new KeyNotFoundError({ message: 'not a PKCS#11 key reference' });
  }
  return hexDecode(key.keyId);
}

async function sign(
  state: State,
  key: KeyRef,
  input: SignInput,
  scheme: SignatureScheme,
  o: SignOptions = {},
): Promise<Uint8Array> {
  const id = parseKeyId(key);
  const { slot, info, serial } = await resolveToken(state, key, o.signal);
  const mechanisms = await call({ signal: o.signal }, () => state.binding.C_GetMechanismList(slot));
  return withSession(state, slot, o.signal, async (session) => {
    const found = (await privateKeys(state, session, id, o.signal)).get(key.keyId.toLowerCase());
    if (!found) throw await missingKey(state, serial, slot, info.flags, o.signal);
    if (!found.canSign) throw new MechanismNotSupportedError({ message: 'the key does not allow signing (CKA_SIGN)' });
    const [cert] = await certificates(state, session, id, o.signal);
    // The certificate decides the algorithm; the key's attributes only when there is none.
    const keyAlgorithm = cert ? keyAlgorithmOfCertificate(cert.der) : keyAlgorithmOfAttributes(found);
    const plan = selectMechanism({ keyType: found.keyType, keyAlgorithm, scheme, inputType: input.type, mechanisms });
    const payload = plan.prepare(input);
    // Without a PIN, only a PIN-pad reader can do the context-specific login.
    const pinPad = (info.flags & CKF.PROTECTED_AUTHENTICATION_PATH) !== 0;
    if (found.alwaysAuthenticate && o.pin === undefined && !pinPad) throw new LoginRequiredError();
    const ctx = { signal: o.signal };
    await call(ctx, () =>
      state.binding.C_SignInit(session, { mechanism: plan.mechanism, parameter: plan.parameter }, found.handle),
    );
    if (found.alwaysAuthenticate) await contextLogin(state, slot, session, o);
    const out = new Uint8Array(MAX_SIGNATURE);
    return plan.finish(new Uint8Array(await call(ctx, () => state.binding.C_Sign(session, payload, out))));
  });
}

/**
 * The error for a key that is not found: LoginRequiredError when the token needs a login and is
 * not logged in, also when a kept login session turned out stale (it is dropped); otherwise
 * KeyNotFoundError.
 */
async function missingKey(
  state: State,
  serial: string,
  slot: Pkcs11Handle,
  flags: number,
  signal?: AbortSignal,
): Promise<TokenError> {
  const kept = state.loginSessions.has(serial);
  const live = kept && (await liveLoginSession(state, serial, slot, signal)) !== undefined;
  if (kept && !live) return new LoginRequiredError();
  return flags & CKF.LOGIN_REQUIRED && !live ? new LoginRequiredError() : new KeyNotFoundError();
}

/** CKU_CONTEXT_SPECIFIC login right after C_SignInit for CKA_ALWAYS_AUTHENTICATE keys (v2.40 §5.5). */
async function contextLogin(state: State, slot: Pkcs11Handle, session: Pkcs11Handle, o: SignOptions): Promise<void> {
  const flags = (await call({ signal: o.signal }, () => state.binding.C_GetTokenInfo(slot))).flags;
  guardPin(flags, false);
  const ctx = { signal: o.signal, flags: flagsReader(state, slot), secret: true };
  await call(ctx, () => loginCall(state, session, CKU.CONTEXT_SPECIFIC, o.pin));
}

/** Hash parameter sets of GOST R 34.11-94 (RFC 4357 §11.2): only GOST R 34.10-2001 keys name them. */
const GOST_94_HASH_PARAMS = '1.2.643.2.2.30.';

/**
 * The key algorithm from the key's own attributes, for keys stored without a certificate. A
 * CKK_GOSTR3410 key whose CKA_GOSTR3411_PARAMS names a GOST R 34.11-94 parameter set is a
 * GOST R 34.10-2001 key, which may no longer sign: refused.
 */
function keyAlgorithmOfAttributes(key: PrivateKeyInfo): KeyAlgorithm {
  const a = key.attributes;
  if (oidText(a.get(CKA.GOSTR3411_PARAMS)).startsWith(GOST_94_HASH_PARAMS)) {
    throw new MechanismNotSupportedError({ message: 'no signing with GOST R 34.10-2001 keys' });
  }
  switch (key.keyType) {
    case CKK.RSA: {
      const modulus = a.get(CKA.MODULUS);
      if (modulus?.length) return { kind: 'RSA', modulusBits: bitLength(modulus) };
      break;
    }
    case CKK.EC: {
      const curve = NAMED_CURVES[oidText(a.get(CKA.EC_PARAMS))];
      if (curve) return { kind: 'EC', namedCurve: curve };
      break;
    }
    case CKK.EC_EDWARDS:
      return { kind: 'EdDSA', curve: 'Ed25519' };
    case CKK.GOSTR3410:
    case CKK.GOSTR3410_512:
      return {
        kind: 'GOST2012',
        bits: key.keyType === CKK.GOSTR3410_512 ? 512 : 256,
        // the standard attribute first (Rutoken, TC26), JaCarta's own for 512-bit keys otherwise
        paramSet: oidText(nonEmpty(a.get(CKA.GOSTR3410_PARAMS)) ?? a.get(CKA.GOSTR3410_512PARAMS)),
      };
  }
  throw new MechanismNotSupportedError({ message: 'cannot tell the key algorithm (no certificate, unknown key type)' });
}

function nonEmpty(bytes: Uint8Array | undefined): Uint8Array | undefined {
  return bytes?.length ? bytes : undefined;
}

function bitLength(bigEndian: Uint8Array): number {
  let i = 0;
  while (i < bigEndian.length && bigEndian[i] === 0) i++;
  if (i === bigEndian.length) return 0;
  return (bigEndian.length - i - 1) * 8 + (32 - Math.clz32(bigEndian[i] as number));
}

/** A DER OBJECT IDENTIFIER as dotted text, or '' when it is not one. */
function oidText(bytes: Uint8Array | undefined): string {
  try {
    return bytes ? decodeDer(bytes, 'OBJECT IDENTIFIER').oid() : '';
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------------------------------------
// Token events

/** C_GetSlotList(true) polled while listeners are subscribed; a removed token's login is forgotten. */
function createEvents(state: State, pollMs: number): Poller {
  return createPoller({
    provider: 'pkcs11',
    intervalMs: pollMs,
    snapshot: async () => (await presentTokens(state)).map((t) => trim(t.info.serialNumber)),
    onRemoved: (serial) => void dropLoginSession(state, serial),
  });
}
