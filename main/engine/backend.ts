import * as tf from '@tensorflow/tfjs';
import { SonoError } from '../common/errors';
import { prepareThreadedWasm } from './wasm-threads';

/**
 * Backend choice, best first: `tensorflow` (the native libtensorflow of @tensorflow/tfjs-node-gpu or
 * @tensorflow/tfjs-node — optional packages whose native library installs only where it can be
 * downloaded), `wasm` (XNNPACK + SIMD, with our gradient kernels), `cpu` (plain JS, the reference).
 * `info` says which one runs and why each better one does not.
 */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export const BACKENDS: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

export interface BackendInfo {
  backend: BackendName;
  /** threads the backend computes with inside one engine worker */
  threads: number;
  /** one line on the active backend (package, SIMD, kernels) */
  detail: string;
  /** each better backend that is not active, with the reason */
  skipped: { backend: BackendName; reason: string }[];
}

type Attempt = { ok: true; threads: number; detail: string } | { ok: false; reason: string };

export interface BackendOptions {
  /** force one backend (e.g. `cpu` as a numeric reference); default: the best that loads */
  prefer?: BackendName;
  /**
   * XNNPACK threads for the wasm backend (default 1). Threads help one image's latency on an idle
   * machine (≈ 1.3× with 2 threads, measured) but cost throughput when several workers run, so the
   * pool uses them only on request (SONOSEG_WASM_THREADS or --wasm-threads).
   */
  wasmThreads?: number;
  /** hook run once the wasm backend is active (registers our kernels); says whether native convolutions run */
  onWasmReady?: () => { native: boolean; detail: string };
}

let active: BackendInfo | undefined;

export async function initBackend(options: BackendOptions = {}): Promise<BackendInfo> {
  // PROD silences tfjs's console banners and debug checks; our own info() reports the backend instead.
  tf.env().set('PROD', true);
  if (active && (!options.prefer || options.prefer === active.backend)) return active;
  const order = options.prefer ? [options.prefer] : BACKENDS;
  const skipped: BackendInfo['skipped'] = [];
  for (const name of order) {
    const attempt = await tryBackend(name, options);
    if (attempt.ok) {
      active = { backend: name, threads: attempt.threads, detail: attempt.detail, skipped };
      return active;
    }
    skipped.push({ backend: name, reason: attempt.reason });
  }
  throw new SonoError('INTERNAL', `no TensorFlow.js backend could start: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`);
}

export function activeBackend(): BackendInfo | undefined {
  return active;
}

async function tryBackend(name: BackendName, options: BackendOptions): Promise<Attempt> {
  try {
    switch (name) {
      case 'tensorflow': return await tryTensorflow();
      case 'wasm': return await tryWasm(options.onWasmReady, options.wasmThreads ?? 1);
      case 'cpu': return await trySet('cpu', 1, 'plain JavaScript kernels (reference, slow)');
    }
  } catch (e) {
    return { ok: false, reason: oneLine(e) };
  }
}

async function tryTensorflow(): Promise<Attempt> {
  const reasons: string[] = [];
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      // Loading the package registers the 'tensorflow' backend; it throws when libtensorflow is absent.
      require(pkg);
      return await trySet('tensorflow', require('node:os').availableParallelism(), `${pkg} (native libtensorflow)`);
    } catch (e) {
      reasons.push(`${pkg}: ${isMissingModule(e, pkg) ? 'not installed (optional; its native library could not be downloaded)' : oneLine(e)}`);
    }
  }
  return { ok: false, reason: reasons.join('; ') };
}

async function tryWasm(onReady: BackendOptions['onWasmReady'], wasmThreads: number): Promise<Attempt> {
  require('@tensorflow/tfjs-backend-wasm');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  let threading = '';
  if (wasmThreads > 1) {
    const r = await prepareThreadedWasm(wasmThreads);
    threading = r.ok ? `, ${r.threads} XNNPACK threads` : `; threaded build not used: ${r.reason}`;
  }
  const attempt = await trySet('wasm', 1, `@tensorflow/tfjs-backend-wasm (XNNPACK${simd ? ', SIMD' : ''}${threading})`);
  if (!attempt.ok) return attempt;
  const kernels = onReady?.();
  const wasm = require('@tensorflow/tfjs-backend-wasm') as { getThreadsCount(): number };
  if (kernels?.native) {
    // Convolutions (≈ 90 % of the work) run in oneDNN with as many threads as the pool grants.
    return { ok: true, threads: require('node:os').availableParallelism(), detail: `${attempt.detail} + ${kernels.detail}` };
  }
  const why = kernels ? `; ${kernels.detail}` : '';
  return { ok: true, threads: wasm.getThreadsCount(), detail: `${attempt.detail}${why}` };
}

async function trySet(name: string, threads: number, detail: string): Promise<Attempt> {
  if (!tf.findBackendFactory(name)) return { ok: false, reason: `backend '${name}' is not registered` };
  const ok = await tf.setBackend(name);
  if (!ok) return { ok: false, reason: `backend '${name}' failed to initialise` };
  await tf.ready();
  return { ok: true, threads, detail };
}

function isMissingModule(e: unknown, pkg: string): boolean {
  return (e as NodeJS.ErrnoException)?.code === 'MODULE_NOT_FOUND' && String((e as Error).message).includes(pkg);
}

function oneLine(e: unknown): string {
  return String(e instanceof Error ? e.message : e).split('\n', 1)[0]!;
}
