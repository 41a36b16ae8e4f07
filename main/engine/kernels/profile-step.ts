/**
 * Measures one U-Net training step (forward + backward + Adam) and one forward pass on the wasm
 * backend, for several kernel variants in alternating runs (the machine is shared, so alternatives
 * are compared within one run), and prints one JSON object with ms/image and a tf.profile breakdown.
 *
 *   node dist/main/engine/kernels/profile-step.js [--size 256] [--base 16] [--depth 4] [--batch 4]
 *     [--steps 3] [--variants ours,prototype] [--batchNorm] [--noProfile]
 *
 * Variants: `ours` (what registerWasmGradientKernels installs), `prototype` (wasm as shipped plus
 * DESIGN's first conv-trick filter gradient, the kernel wasm lacks), and `filter:<method>` (ours with
 * one filter-gradient formulation forced) to compare formulations on the whole step.
 * Times are per image: wall clock and process CPU (wasm runs on this one thread, so CPU time is the
 * fairer clock on a shared machine); medians and minima over the alternating runs.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { buildUNet } from '../unet';
import { diceBceLoss } from '../loss';
import { registerWasmGradientKernels } from './register';
import { conv2DBackpropFilterWith, FilterGradAttrs, FilterGradMethod } from './conv2d_backprop_filter';
import { wasmKernel } from './wasm_ops';

interface Options { size: number; base: number; depth: number; batch: number; steps: number; variants: string[]; batchNorm: boolean; profile: boolean }

function parseArgs(argv: string[]): Options {
  const o: Options = { size: 256, base: 16, depth: 4, batch: 4, steps: 3, variants: ['ours', 'prototype'], batchNorm: false, profile: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = (): string => argv[++i] ?? '';
    if (a === '--size') o.size = Number(next());
    else if (a === '--base') o.base = Number(next());
    else if (a === '--depth') o.depth = Number(next());
    else if (a === '--batch') o.batch = Number(next());
    else if (a === '--steps') o.steps = Number(next());
    else if (a === '--variants') o.variants = next().split(',');
    else if (a === '--batchNorm') o.batchNorm = true;
    else if (a === '--noProfile') o.profile = false;
    else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

/** Every kernel registerWasmGradientKernels replaces (or adds, for Conv2DBackpropFilter). */
const OVERRIDDEN = [tf.Conv2DBackpropFilter, tf.Conv2DBackpropInput, tf.Concat, tf.SplitV, tf.Sum, tf.Mean, tf.Tile,
  tf.MaxPoolGrad, tf.Identity, tf.Cast];
let ours: Map<string, tf.KernelFunc> | undefined;

/** Installs the kernels a variant stands for (ours are captured once, then swapped in and out). */
function useVariant(name: string): void {
  registerWasmGradientKernels();
  ours ??= new Map(OVERRIDDEN.map((k) => [k, tf.getKernel(k, 'wasm')!.kernelFunc]));
  const filterWith = (m: FilterGradMethod): tf.KernelFunc => ({ inputs, backend, attrs }) =>
    conv2DBackpropFilterWith(m, backend as BackendWasm, inputs['x']!, inputs['dy']!, attrs as unknown as FilterGradAttrs);
  const chosen = new Map(ours);
  if (name === 'prototype') {
    // wasm as shipped, plus the one kernel it lacks in DESIGN's first (conv-trick) form
    for (const k of OVERRIDDEN) chosen.set(k, wasmKernel(k) as unknown as tf.KernelFunc);
    chosen.set(tf.Conv2DBackpropFilter, filterWith('convTrick'));
  } else if (name.startsWith('filter:')) {
    chosen.set(tf.Conv2DBackpropFilter, filterWith(name.slice(7) as FilterGradMethod));
  } else if (name !== 'ours') {
    throw new Error(`unknown variant ${name}`);
  }
  for (const [kernelName, kernelFunc] of chosen) {
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  }
}

function trainStep(model: tf.LayersModel, opt: tf.Optimizer, x: tf.Tensor4D, y: tf.Tensor4D): void {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => diceBceLoss(y, model.apply(x, { training: true }) as tf.Tensor), vars);
  opt.applyGradients(grads);
  value.dataSync();
  value.dispose();
  tf.dispose(grads);
}

function forward(model: tf.LayersModel, x: tf.Tensor4D): void {
  tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());
}

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

/** Process CPU ms: wasm runs on this one thread, so on a shared machine this is the fairer clock. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function breakdown(f: () => void): Promise<{ totalMs: number; kernels: { name: string; ms: number; share: number; calls: number }[] }> {
  const info = await tf.profile(f);
  const by = new Map<string, { ms: number; calls: number }>();
  for (const k of info.kernels) {
    if (k.name.endsWith('__op')) continue; // op-level wrappers (fusedConv2d__op) repeat their kernel's time
    const e = by.get(k.name) ?? { ms: 0, calls: 0 };
    e.ms += Number(k.kernelTimeMs) || 0;
    e.calls++;
    by.set(k.name, e);
  }
  const total = [...by.values()].reduce((s, e) => s + e.ms, 0);
  const kernels = [...by.entries()].map(([name, e]) => ({ name, ms: Math.round(e.ms), share: Math.round((1000 * e.ms) / total) / 10, calls: e.calls }))
    .sort((a, b) => b.ms - a.ms);
  return { totalMs: Math.round(total), kernels };
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  await tf.setBackend('wasm');
  await tf.ready();
  const model = buildUNet({ inputSize: o.size, depth: o.depth, baseFilters: o.base, batchNorm: o.batchNorm, dropout: 0 });
  const opt = tf.train.adam(1e-3);
  const x = tf.randomUniform([o.batch, o.size, o.size, 1]) as tf.Tensor4D;
  const y = tf.randomUniform([o.batch, o.size, o.size, 1]).greater(0.5).toFloat() as tf.Tensor4D;
  const x1 = x.slice([0, 0, 0, 0], [1, o.size, o.size, 1]);
  const runs: Record<string, Record<'train' | 'trainCpu' | 'fwd' | 'fwdCpu', number[]>> = {};
  for (const v of o.variants) {
    useVariant(v);
    trainStep(model, opt, x, y);
    forward(model, x1);
    runs[v] = { train: [], trainCpu: [], fwd: [], fwdCpu: [] };
  }
  const timed = (f: () => void, wall: number[], cpu: number[], per: number): void => {
    const t = performance.now();
    const c = cpuMs();
    f();
    cpu.push((cpuMs() - c) / per);
    wall.push((performance.now() - t) / per);
  };
  for (let s = 0; s < o.steps; s++) {
    for (const v of o.variants) {
      useVariant(v);
      const r = runs[v]!;
      timed(() => trainStep(model, opt, x, y), r.train, r.trainCpu, o.batch);
      timed(() => forward(model, x1), r.fwd, r.fwdCpu, 1);
    }
  }
  const result: Record<string, unknown> = {
    backend: tf.getBackend(), size: o.size, base: o.base, depth: o.depth, batch: o.batch, batchNorm: o.batchNorm,
    params: model.countParams(), steps: o.steps, variants: {},
  };
  for (const v of o.variants) {
    useVariant(v);
    const r = runs[v]!;
    (result['variants'] as Record<string, unknown>)[v] = {
      trainMsPerImage: Math.round(median(r.train)), trainCpuMsPerImage: Math.round(median(r.trainCpu)),
      trainCpuMinMsPerImage: Math.round(Math.min(...r.trainCpu)), forwardCpuMinMsPerImage: Math.round(Math.min(...r.fwdCpu)),
      trainRuns: r.train.map(Math.round), trainCpuRuns: r.trainCpu.map(Math.round),
      forwardMsPerImage: Math.round(median(r.fwd)), forwardCpuMsPerImage: Math.round(median(r.fwdCpu)),
      forwardRuns: r.fwd.map(Math.round), forwardCpuRuns: r.fwdCpu.map(Math.round),
      trainProfile: o.profile ? await breakdown(() => trainStep(model, opt, x, y)) : undefined,
      forwardProfile: o.profile ? await breakdown(() => forward(model, x1)) : undefined,
    };
  }
  process.stdout.write(`${JSON.stringify(result, null, 1)}\n`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exit(1);
  });
}
