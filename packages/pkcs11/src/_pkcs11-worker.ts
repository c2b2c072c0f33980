// pkcs11js in a node:worker_threads Worker, so blocking PKCS#11 calls (C_Login on a PIN pad,
// C_FindObjects, C_WaitForSlotEvent) never block the event loop (tokens.md §2 "Async", §7).
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { ProviderError, ProviderUnavailableError } from './errors';
import { PKCS11_BINDING_METHODS, type Pkcs11Binding } from './pkcs11';

/**
 * The worker, as CommonJS source run with `eval: true` (works from sources and from dist alike).
 * One pkcs11js instance per library path, shared by every binding of the process and reference
 * counted, because a second C_Initialize of a module fails (pkcs11js#62). Arguments arrive as
 * Uint8Array and become Buffers; results go back as plain Uint8Array copies.
 */
const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
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
    if (!fs.existsSync(path)) throw fail('ModuleNotFound', 'no such file: ' + path);
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
  readonly pending: Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>;
  users: number;
  nextId: number;
  /** The worker ended (crashed or terminated): calls fail at once instead of waiting forever. */
  exited: boolean;
}

let shared: Shared | undefined;
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

function startWorker(): Shared {
  const pkcs11js = resolvePkcs11js();
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { pkcs11js } });
  } catch (cause) {
    throw new ProviderUnavailableError('unsupported-runtime', 'cannot start a worker thread for PKCS#11', { cause });
  }
  const s: Shared = { worker, pending: new Map(), users: 0, nextId: 1, exited: false };
  worker.unref();
  worker.on('message', (reply: Reply) => settle(s, reply));
  const failAll = (e: unknown) => {
    s.exited = true;
    for (const p of s.pending.values()) p.reject(new ProviderError('the PKCS#11 worker stopped', { cause: e }));
    s.pending.clear();
    if (shared === s) shared = undefined;
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
  else p.reject(workerError(reply.error ?? { method: '', message: 'unknown', name: 'Error' }));
}

/** A worker error as an Error carrying `.code` (CK_RV) and `.method`, like pkcs11js's Pkcs11Error. */
function workerError(e: NonNullable<Reply['error']>): Error {
  if (e.name === 'NativeBindingMissing') return missingBinding(e.message);
  if (e.name === 'ModuleNotFound') return new ProviderUnavailableError('not-installed', e.message);
  const error = Object.assign(new Error(e.message), { code: e.code, method: e.method });
  error.name = e.name;
  if (e.method === 'load')
    return new ProviderUnavailableError('load-failed', `load failed: ${e.message}`, { cause: error });
  return error;
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

/**
 * A {@link Pkcs11Binding} that runs pkcs11js in a worker thread. All bindings of a process share
 * one worker and one module instance per library path (reference counted); `close()` releases
 * this binding's module (C_Finalize and unload on the last user) and ends the worker when no
 * binding is left. The worker does not keep the process alive while no call is in flight.
 *
 * @throws {ProviderUnavailableError} `native-binding-missing` when pkcs11js cannot be resolved;
 *   `load()` rejects with it when the native part is not built, with `not-installed` when the
 *   module file does not exist and `load-failed` when it does not load.
 * @example
 * ```ts
 * const adapter = await openPkcs11(modulePath, { binding: workerBinding() });
 * ```
 */
export function workerBinding(): Pkcs11Binding {
  const s = shared ?? startWorker();
  shared = s;
  s.users++;
  const instance = nextInstance++;
  let closed = false;
  const binding: Record<string, unknown> = {};
  for (const method of PKCS11_BINDING_METHODS) {
    binding[method] = (...args: unknown[]) =>
      closed ? Promise.reject(new ProviderError('the PKCS#11 binding is closed')) : send(s, instance, method, args);
  }
  binding.close = async () => {
    if (closed) return;
    closed = true;
    await send(s, instance, 'close', []).catch(() => undefined);
    if (--s.users === 0) {
      if (shared === s) shared = undefined;
      await s.worker.terminate();
    }
  };
  return binding as unknown as Pkcs11Binding;
}
