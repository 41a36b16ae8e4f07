/**
 * Multi-threaded tfjs-wasm (XNNPACK + pthreadpool) in Node / worker_threads.
 *
 * tfjs-backend-wasm 4.22 never picks its threaded build in Node, and would fail if forced to:
 *  1. the flag WASM_HAS_MULTITHREAD_SUPPORT is hard-wired to false when IS_NODE;
 *  2. the pthread workers are started from `URL.createObjectURL(blob)` (the worker script) and are
 *     told to load the main glue from a Blob (`mainScriptUrlOrBlob`); Node's Worker refuses blob:
 *     URLs and the worker's `importScripts` shim reads files with fs;
 *  3. the C side caps the XNNPACK pool at `emscripten_num_logical_cores() / 2` (computed once, in the
 *     module's static constructors), and the Node branch of that function returns
 *     `require('os').cpus().length` — on a 2-core machine that is 1 thread whatever
 *     `setThreadsCount` asks for. (`navigator.hardwareConcurrency` is not consulted in Node.)
 *
 * `prepareThreadedWasm(n)` works around all three and initialises the wasm backend itself, so it can
 * report the thread count XNNPACK really got:
 *  - writes the pthread worker script (the package's own `wasmWorkerContents`, with a two-line
 *    prologue that makes the Blob → file-path step a no-op) and a copy of the threaded glue into a
 *    content-addressed folder under os.tmpdir();
 *  - makes `URL.createObjectURL` return that worker file for exactly the worker-script Blob
 *    (type `application/javascript`, the known byte size) — every other Blob goes to Node's own;
 *  - sets WASM_HAS_MULTITHREAD_SUPPORT = true and `setThreadsCount(n)`;
 *  - while the backend initialises (and only then), `os.cpus()` reports 2·n entries, so the C cap
 *    `cores / 2` equals n;
 *  - calls `tf.setBackend('wasm')`, then checks `getThreadsCount()`.
 *
 * Call it instead of / before `tf.setBackend('wasm')` (after that call the wasm backend is already
 * active; calling setBackend('wasm') again is harmless). It must run before anything else has
 * initialised the wasm backend in this isolate (thread or process). On failure the threaded flag is
 * reset, so a following `tf.setBackend('wasm')` gets the ordinary single-threaded SIMD build.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';

export interface ThreadedWasmResult {
  /** true when the wasm backend is active with the threaded build and XNNPACK has `threads` threads */
  ok: boolean;
  /** what happened, for logs and the UI's backend line */
  reason: string;
  /** XNNPACK thread count reported by the backend (-1 when the backend did not initialise) */
  threads: number;
}

interface WasmPackage {
  setThreadsCount(n: number): void;
  getThreadsCount(): number;
}

/** pthread workers the threaded build pre-spawns (emscripten PTHREAD_POOL_SIZE = 8) */
const MAX_THREADS = 8;
const INIT_TIMEOUT_MS = 60_000;
const WORKER_FILE = 'tfjs-backend-wasm-threaded-simd.worker.cjs';
const GLUE_FILE = 'tfjs-backend-wasm-threaded-simd.js';

let installed: { workerPath: string; workerBlobSize: number } | null = null;
let previous: Promise<ThreadedWasmResult> | null = null;

/**
 * Enables the threaded wasm build with `threads` XNNPACK threads (2..8) and makes wasm the active
 * backend. Never rejects: `ok` false plus `reason` when it could not (then nothing or only the
 * single-threaded fallback is set up). The backend initialises once per isolate, so every call
 * after the first valid one returns the first answer.
 */
export function prepareThreadedWasm(threads: number): Promise<ThreadedWasmResult> {
  if (!Number.isInteger(threads) || threads < 2 || threads > MAX_THREADS) {
    return Promise.resolve(fail(`threads must be an integer in 2..${MAX_THREADS} (got ${threads}); not enabling the threaded build`));
  }
  previous ??= prepare(threads);
  return previous;
}

function fail(reason: string, threads = -1): ThreadedWasmResult {
  return { ok: false, reason, threads };
}

async function prepare(threads: number): Promise<ThreadedWasmResult> {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') {
    return fail('SharedArrayBuffer/Atomics unavailable');
  }
  if (!wasmThreadsValidate()) return fail('this WebAssembly engine rejects shared memory / atomics');
  if (tf.engine().registry['wasm'] != null) {
    return fail('the wasm backend is already initialised in this thread (single-threaded build)');
  }
  const wasmPkg = require('@tensorflow/tfjs-backend-wasm') as WasmPackage;
  if (!(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'))) {
    return fail('no WebAssembly SIMD: tfjs only ships the threaded build with SIMD');
  }

  try {
    installShims();
  } catch (e) {
    return fail(`could not write the pthread worker files: ${(e as Error).message}`);
  }

  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasmPkg.setThreadsCount(threads);
  // the real module object (an `import * as` namespace only has getters); the glue calls its cpus()
  const osModule = require('node:os') as { cpus: typeof os.cpus };
  const realCpus = osModule.cpus;
  const padded = (): os.CpuInfo[] => {
    const cpus = realCpus.call(osModule);
    const want = Math.max(cpus.length, 2 * threads);
    return Array.from({ length: want }, (_, i) => cpus[i % Math.max(1, cpus.length)]!);
  };
  let timer: NodeJS.Timeout | undefined;
  let initOk = false;
  let initError = '';
  osModule.cpus = padded;
  try {
    const timeout = new Promise<'timeout'>(resolve => { timer = setTimeout(() => resolve('timeout'), INIT_TIMEOUT_MS); });
    const r = await Promise.race([tf.setBackend('wasm'), timeout]);
    if (r === 'timeout') initError = `backend init did not finish in ${INIT_TIMEOUT_MS / 1000} s (pthread workers not loading?)`;
    else initOk = r;
  } catch (e) {
    initError = (e as Error).message ?? String(e);
  } finally {
    osModule.cpus = realCpus;
    if (timer) clearTimeout(timer);
  }
  if (!initOk) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    wasmPkg.setThreadsCount(-1);
    return fail(`threaded wasm backend failed to initialise: ${initError || 'tf.setBackend returned false'}`);
  }
  // emscripten ref()s a Node Worker while it runs a pthread; the XNNPACK pool threads run for the
  // whole life of the module (parked in Atomics.wait), so they would keep the process / the engine
  // Worker alive forever. They need no event loop of their own: unref them.
  const pthread = (tf.backend() as unknown as { wasm?: { PThread?: { runningWorkers?: { unref?(): void }[] } } }).wasm?.PThread;
  for (const w of pthread?.runningWorkers ?? []) w.unref?.();
  const got = wasmPkg.getThreadsCount();
  if (got !== threads) {
    return { ok: false, reason: `threaded wasm build active but XNNPACK reports ${got} thread(s), asked for ${threads}`, threads: got };
  }
  return { ok: true, reason: `tfjs-wasm threaded SIMD build, XNNPACK pool of ${got} threads`, threads: got };
}

function installShims(): void {
  if (installed) return;
  const pkgDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  const wasmOut = path.join(pkgDir, 'wasm-out');
  const { wasmWorkerContents } = require(path.join(wasmOut, 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string };
  const glue = fs.readFileSync(path.join(wasmOut, GLUE_FILE), 'utf8');
  // tfjs escapes '\n' before building the Blob (a "\n" in a string literal would otherwise become
  // a raw newline); the Blob's size is how we recognise it below.
  const workerBody = wasmWorkerContents.replace(/\n/g, '\\n');
  const workerBlobSize = Buffer.byteLength(workerBody, 'utf8');

  const hash = crypto.createHash('sha256').update(workerBody).update(glue).digest('hex').slice(0, 16);
  const dir = path.join(os.tmpdir(), `sonoseg-tfjs-wasm-threads-${hash}`);
  const gluePath = path.join(dir, GLUE_FILE);
  const workerPath = path.join(dir, WORKER_FILE);
  // The pthread worker receives the main glue as a Blob; Node has no fs path for it, so its
  // createObjectURL returns the glue copy (same emscripten build as the bundle's inlined factory).
  const prologue =
    `URL.createObjectURL=function(){return ${JSON.stringify(gluePath)}};URL.revokeObjectURL=function(){};\n`;
  fs.mkdirSync(dir, { recursive: true });
  writeIfChanged(gluePath, glue);
  writeIfChanged(workerPath, prologue + workerBody);

  const nodeCreateObjectURL = URL.createObjectURL.bind(URL);
  URL.createObjectURL = (obj: Blob): string => {
    if (obj instanceof Blob && obj.type === 'application/javascript' && obj.size === workerBlobSize) return workerPath;
    return nodeCreateObjectURL(obj);
  };
  installed = { workerPath, workerBlobSize };
}

/** atomic write (several engine workers may race to create the same files) */
function writeIfChanged(file: string, text: string): void {
  try {
    if (fs.readFileSync(file, 'utf8') === text) return;
  } catch { /* missing */ }
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** same probe as tfjs's flag (a module with shared memory and an atomic load) */
function wasmThreadsValidate(): boolean {
  const wasm = (globalThis as { WebAssembly?: { validate(bytes: Uint8Array): boolean } }).WebAssembly;
  if (!wasm) return false;
  try {
    return wasm.validate(new Uint8Array([
      0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 5,
      4, 1, 3, 1, 1, 10, 11, 1, 9, 0, 65, 0, 254, 16, 2, 0, 26, 11,
    ]));
  } catch {
    return false;
  }
}
