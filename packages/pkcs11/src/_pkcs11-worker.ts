// pkcs11js in node:worker_threads Workers, one per library path, so blocking PKCS#11 calls (C_Login
// on a PIN pad, C_FindObjects, C_WaitForSlotEvent) never block the event loop nor another module
// (tokens.md §2 "Async", §7).
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { PKCS11_BINDING_METHODS, type Pkcs11Binding } from './_pkcs11-binding';
import { ProviderError, ProviderUnavailableError } from './errors';
import { moduleLoadError } from './pkcs11';

/**
 * The worker, as CommonJS source run with `eval: true` (works from sources and from dist alike).
 * One worker per library path, holding one pkcs11js instance shared by every binding of the
 * process on that path and reference counted, because a second C_Initialize of a module fails
 * (pkcs11js#62). Arguments arrive as Uint8Array and become Buffers; results go back as plain
 * Uint8Array copies. `load` hands the path to pkcs11js as given, so dlopen/LoadLibrary search
 * bare library names.
 */
const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
let PKCS11;
let bindingError;
try { PKCS11 = require(workerData.pkcs11js).PKCS11; } catch (e) { bindingError = e; }
const modules = new Map();   // library path -> { lib, users, initialized }
const instances = new Map(); // binding instance -> library path

function toBuffer(v) {
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (Array.isArray(v)) return v.map(toBuffer);
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const o = {};
    for (const k of Object.keys(v)) o[k] = toBuffer(v[k]);
    return o;
  }
  return v;
}
function fromBuffer(v) {
  if (v instanceof Uint8Array) return new Uint8Array(v);
  if (Array.isArray(v)) return v.map(fromBuffer);
  if (v && typeof v === 'object') {
    const o = {};
    for (const k of Object.keys(v)) o[k] = fromBuffer(v[k]);
    return o;
  }
  return v;
}
function fail(name, message) { const e = new Error(message); e.name = name; return e; }
function moduleOf(instance) {
  const m = modules.get(instances.get(instance));
  if (!m) throw fail('NotLoaded', 'PKCS#11 module not loaded');
  return m;
}
function load(instance, path) {
  if (!PKCS11) throw fail('NativeBindingMissing', String(bindingError && bindingError.message));
  if (instances.has(instance)) throw fail('AlreadyLoaded', 'binding already loaded');
  let m = modules.get(path);
  if (!m) {
    const lib = new PKCS11();
    lib.load(path);
    m = { lib, users: 0, initialized: false };
    modules.set(path, m);
  }
  m.users++;
  instances.set(instance, path);
}
function release(instance) {
  const path = instances.get(instance);
  instances.delete(instance);
  const m = modules.get(path);
  if (!m || --m.users > 0) return;
  modules.delete(path);
  try { if (m.initialized) m.lib.C_Finalize(); } catch {}
  try { m.lib.close(); } catch {}
}
function run(instance, method, args) {
  switch (method) {
    case 'load': return load(instance, args[0]);
    case 'close': return release(instance);
    case 'C_Finalize': return undefined; // done by the last release
    case 'C_Initialize': {
      const m = moduleOf(instance);
      if (!m.initialized) { m.lib.C_Initialize(...toBuffer(args)); m.initialized = true; }
      return undefined;
    }
    default: {
      const m = moduleOf(instance);
      if (typeof m.lib[method] !== 'function') throw fail('NotSupported', 'pkcs11js has no ' + method);
      return m.lib[method](...toBuffer(args));
    }
  }
}
parentPort.on('message', ({ id, instance, method, args }) => {
  try {
    parentPort.postMessage({ id, ok: true, result: fromBuffer(run(instance, method, args)) });
  } catch (e) {
    const error = {
      code: typeof (e && e.code) === 'number' ? e.code : undefined,
      method: (e && e.method) || method,
      message: String((e && e.message) || e),
      name: String((e && e.name) || 'Error'),
    };
    parentPort.postMessage({ id, ok: false, error });
  }
});
`;

interface Reply {
  readonly id: number;
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: { code?: number; method: string; message: string; name: string };
}

interface Shared {
  readonly worker: Worker;
  readonly path: string;
  readonly pending: Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>;
  users: number;
  nextId: number;
  /** The worker ended (crashed or terminated): calls fail at once instead of waiting forever. */
  exited: boolean;
}

/** Workers by library path: a blocking call on one module (a PIN pad) never holds up another. */
const workers = new Map<string, Shared>();
let nextInstance = 1;

function resolvePkcs11js(): string {
  try {
    // import.meta.url: the ESM file, or the CJS file through tsup's shim (packages/pkcs11/tsup.config.ts)
    return createRequire(import.meta.url).resolve('pkcs11js');
  } catch (cause) {
    throw missingBinding(cause instanceof Error ? cause.message : String(cause), cause);
  }
}

function missingBinding(detail: string, cause?: unknown): ProviderUnavailableError {
  return new ProviderUnavailableError(
    'native-binding-missing',
    'the pkcs11js native binding is not installed or not built: install the build tools (python3, make, g++) ' +
      `and run \`pnpm rebuild pkcs11js\` (approve its build script: \`pnpm approve-builds\`). ${detail}`,
    { cause },
  );
}

function startWorker(pkcs11js: string, path: string): Shared {
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { pkcs11js } });
  } catch (cause) {
    throw new ProviderUnavailableError('unsupported-runtime', 'cannot start a worker thread for PKCS#11', { cause });
  }
  const s: Shared = { worker, path, pending: new Map(), users: 0, nextId: 1, exited: false };
  worker.unref();
  worker.on('message', (reply: Reply) => settle(s, reply));
  const failAll = (e: unknown) => {
    s.exited = true;
    for (const p of s.pending.values()) p.reject(new ProviderError('the PKCS#11 worker stopped', { cause: e }));
    s.pending.clear();
    if (workers.get(path) === s) workers.delete(path);
  };
  worker.on('error', failAll);
  worker.on('exit', failAll);
  return s;
}

function settle(s: Shared, reply: Reply): void {
  const p = s.pending.get(reply.id);
  if (!p) return;
  s.pending.delete(reply.id);
  if (s.pending.size === 0) s.worker.unref();
  if (reply.ok) p.resolve(reply.result);
  else p.reject(workerError(s.path, reply.error ?? { method: '', message: 'unknown', name: 'Error' }));
}

/** A worker error as an Error carrying `.code` (CK_RV) and `.method`, like pkcs11js's Pkcs11Error. */
function workerError(path: string, e: NonNullable<Reply['error']>): Error {
  if (e.name === 'NativeBindingMissing') return missingBinding(e.message);
  const error = Object.assign(new Error(e.message), { code: e.code, method: e.method });
  error.name = e.name;
  return e.method === 'load' ? moduleLoadError(error, path) : error;
}

function send(s: Shared, instance: number, method: string, args: unknown[]): Promise<unknown> {
  if (s.exited) return Promise.reject(new ProviderError('the PKCS#11 worker stopped'));
  return new Promise((resolve, reject) => {
    const id = s.nextId++;
    if (s.pending.size === 0) s.worker.ref();
    s.pending.set(id, { resolve, reject });
    s.worker.postMessage({ id, instance, method, args });
  });
}

/** Takes a reference to the worker of `path`, starting it when there is none. */
function acquire(pkcs11js: string, path: string): Shared {
  const s = workers.get(path) ?? startWorker(pkcs11js, path);
  workers.set(path, s);
  s.users++;
  return s;
}

/** Drops a reference; the last one ends the worker. */
async function release(s: Shared): Promise<void> {
  if (--s.users > 0) return;
  if (workers.get(s.path) === s) workers.delete(s.path);
  await s.worker.terminate();
}

/**
 * A {@link Pkcs11Binding} that runs pkcs11js in a worker thread: one worker per library path,
 * shared with one module instance by every binding of the process on that path (reference
 * counted), so a PIN-pad login or a slow vendor call on one module never blocks another module.
 * `close()` releases this binding's module (C_Finalize and unload on the last user) and ends the
 * worker when no binding of its path is left. A worker does not keep the process alive while no
 * call is in flight. Calls before `load` reject with a ProviderError.
 *
 * @throws {ProviderUnavailableError} `native-binding-missing` when pkcs11js cannot be resolved;
 *   `load()` rejects with it when the native part is not built, with `not-installed` when the
 *   module is not found (dlopen/LoadLibrary) and `load-failed` when it does not load.
 * @example
 * ```ts
 * const adapter = await openPkcs11(modulePath, { binding: workerBinding() });
 * ```
 */
export function workerBinding(): Pkcs11Binding {
  const pkcs11js = resolvePkcs11js();
  const instance = nextInstance++;
  let s: Shared | undefined;
  let closed = false;
  const binding: Record<string, unknown> = {};
  for (const method of PKCS11_BINDING_METHODS) {
    binding[method] = (...args: unknown[]) => {
      if (closed) return Promise.reject(new ProviderError('the PKCS#11 binding is closed'));
      if (!s) return Promise.reject(new ProviderError('the PKCS#11 module is not loaded'));
      return send(s, instance, method, args);
    };
  }
  binding.load = async (path: string) => {
    if (closed) throw new ProviderError('the PKCS#11 binding is closed');
    if (s) throw new ProviderError('the PKCS#11 binding is already loaded');
    s = acquire(pkcs11js, path);
    await send(s, instance, 'load', [path]);
  };
  binding.close = async () => {
    if (closed) return;
    closed = true;
    if (!s) return;
    await send(s, instance, 'close', []).catch(() => undefined);
    await release(s);
  };
  return binding as unknown as Pkcs11Binding;
}

/**
 * The library paths that have a worker now, with how many bindings use each (for tests and
 * diagnostics).
 *
 * @example
 * ```ts
 * pkcs11Workers(); // Map { '/usr/lib/softhsm/libsofthsm2.so' => 2 }
 * ```
 */
export function pkcs11Workers(): ReadonlyMap<string, number> {
  return new Map([...workers].map(([path, s]) => [path, s.users]));
}
