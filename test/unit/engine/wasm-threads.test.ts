import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { prepareThreadedWasm } from '../../../main/engine/wasm-threads';

// A wasm backend can be initialised once per isolate, so: the threaded backend runs in this test's
// main thread, and the single-threaded reference (and a threaded copy, the engine's real setting)
// each run in their own worker_threads Worker.

/** deterministic inputs (LCG), so every isolate computes on the same numbers */
function lcg(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; out[i] = s / 2 ** 32 - 0.5; }
  return out;
}

interface Case { name: string; x: number[]; w: number[]; stride: number; pad: 'same' | 'valid'; transpose?: boolean }
const CASES: Case[] = [
  { name: 'conv 3x3 same', x: [2, 37, 29, 8], w: [3, 3, 8, 16], stride: 1, pad: 'same' },
  { name: 'conv 3x3 stride 2 valid', x: [1, 40, 33, 5], w: [3, 3, 5, 7], stride: 2, pad: 'valid' },
  { name: 'conv 1x1', x: [1, 64, 64, 32], w: [1, 1, 32, 24], stride: 1, pad: 'same' },
  { name: 'conv2dTranspose 2x2 stride 2', x: [1, 16, 16, 32], w: [2, 2, 16, 32], stride: 2, pad: 'same', transpose: true },
];

/** runs in any isolate: `tfjs` is the required @tensorflow/tfjs */
const COMPUTE_SRC = `
function lcg(n, seed) { const out = new Float32Array(n); let s = seed >>> 0;
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; out[i] = s / 2 ** 32 - 0.5; } return out; }
function compute(tf, cases) {
  return cases.map((c, k) => tf.tidy(() => {
    const size = a => a.reduce((p, q) => p * q, 1);
    const x = tf.tensor(lcg(size(c.x), 11 + k), c.x), w = tf.tensor(lcg(size(c.w), 97 + k), c.w);
    const y = c.transpose
      ? tf.conv2dTranspose(x, w, [c.x[0], c.x[1] * c.stride, c.x[2] * c.stride, c.w[2]], c.stride, c.pad)
      : tf.conv2d(x, w, c.stride, c.pad);
    return Array.from(y.dataSync());
  }));
}`;
const compute = new Function(`${COMPUTE_SRC}; return compute;`)() as (t: typeof tf, cases: Case[]) => number[][];

function inWorker(threads: number): Promise<{ threads: number; backend: string; prep: unknown; out: number[][] }> {
  const code = `
    const { workerData, parentPort } = require('node:worker_threads');
    ${COMPUTE_SRC}
    (async () => {
      const tf = require(workerData.tfjs);
      require(workerData.wasm);
      let prep = null;
      if (workerData.threads > 1) prep = await require(workerData.mod).prepareThreadedWasm(workerData.threads);
      await tf.setBackend('wasm');
      const out = compute(tf, workerData.cases);
      parentPort.postMessage({ threads: require(workerData.wasm).getThreadsCount(), backend: tf.getBackend(), prep, out });
    })().catch(e => parentPort.postMessage({ error: String(e && e.stack || e) }));`;
  const workerData = {
    threads, cases: CASES,
    tfjs: require.resolve('@tensorflow/tfjs'),
    wasm: require.resolve('@tensorflow/tfjs-backend-wasm'),
    mod: require.resolve('../../../main/engine/wasm-threads'),
  };
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData });
    w.once('message', (m: { error?: string }) => {
      void w.terminate();
      if (m.error) reject(new Error(m.error)); else resolve(m as never);
    });
    w.once('error', reject);
  });
}

function maxAbsDiff(a: number[], b: number[]): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

test('threaded wasm: > 1 XNNPACK thread, in the main thread and in a worker, same results as single-threaded', { timeout: 120_000 }, async () => {
  const wasm = require('@tensorflow/tfjs-backend-wasm') as { getThreadsCount(): number };
  const prep = await prepareThreadedWasm(2);
  assert.ok(prep.ok, prep.reason);
  assert.equal(prep.threads, 2);
  assert.equal(tf.getBackend(), 'wasm');
  assert.equal(wasm.getThreadsCount(), 2);
  assert.ok((tf.backend() as unknown as { wasm: { PThread?: unknown } }).wasm.PThread, 'threaded emscripten module');
  // a second call returns the first answer (the backend initialises once per isolate)
  assert.deepEqual(await prepareThreadedWasm(2), prep);
  await tf.setBackend('wasm');
  assert.equal(wasm.getThreadsCount(), 2);

  const threaded = compute(tf, CASES);
  const [single, workerThreaded] = await Promise.all([inWorker(1), inWorker(2)]);
  assert.equal(single.backend, 'wasm');
  assert.equal(single.threads, 1);
  assert.equal(workerThreaded.backend, 'wasm');
  assert.equal(workerThreaded.threads, 2, JSON.stringify(workerThreaded.prep));
  CASES.forEach((c, i) => {
    assert.ok(maxAbsDiff(threaded[i]!, single.out[i]!) <= 1e-4, `${c.name}: main-thread threaded vs single`);
    assert.ok(maxAbsDiff(workerThreaded.out[i]!, single.out[i]!) <= 1e-4, `${c.name}: worker threaded vs single`);
  });
});

test('prepareThreadedWasm rejects thread counts outside 2..8', async () => {
  for (const n of [0, 1, 9, 2.5, Number.NaN]) {
    const r = await prepareThreadedWasm(n);
    assert.equal(r.ok, false);
    assert.match(r.reason, /threads must be/);
  }
});
