/**
 * Registers our composed gradient kernels on the wasm backend. Safe to call more than once, and
 * before or after the backend has initialised (the engine looks kernels up per call).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { conv2DBackpropFilter } from './conv2d_backprop_filter';
import { makeConv2DBackpropInput } from './conv2d_backprop_input';
import { makeConcat, makeSplitV } from './channel_concat';
import { makeMaxPoolGrad } from './max_pool_grad';
import { makeCast, makeIdentity } from './identity_share';
import { makeLeadingReduce } from './leading_reduce';
import { makeTile } from './tile_repeat';
import { captureOriginal } from './wasm_ops';

/** How often each of our kernels ran: lets tests prove a kernel was really used, and profiles count calls. */
const calls = new Map<string, number>();
const ours = new Map<string, tf.KernelFunc>();

export function kernelCallCounts(): Record<string, number> {
  return Object.fromEntries(calls);
}

export function resetKernelCallCounts(): void {
  for (const name of calls.keys()) calls.set(name, 0);
}

/** True when the kernel now registered for wasm under `name` is ours. */
export function isOurKernel(name: string): boolean {
  const fn = ours.get(name);
  return fn !== undefined && tf.getKernel(name, 'wasm')?.kernelFunc === fn;
}

function counted(name: string, fn: tf.KernelFunc): tf.KernelFunc {
  calls.set(name, 0);
  return (args) => {
    calls.set(name, (calls.get(name) ?? 0) + 1);
    return fn(args);
  };
}

function install(name: string, fn: tf.KernelFunc): void {
  if (isOurKernel(name)) return;
  const wrapped = counted(name, fn);
  if (tf.getKernel(name, 'wasm') !== undefined) tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: wrapped });
  ours.set(name, wrapped);
}

type Original = Parameters<typeof makeConv2DBackpropInput>[0] & Parameters<typeof makeConcat>[0] &
  Parameters<typeof makeLeadingReduce>[0];

export function registerWasmGradientKernels(): void {
  // Capture the shipped kernels before replacing them: shapes we do not speed up fall back to them.
  const original = (name: string): Original | undefined => captureOriginal(name) as Original | undefined;
  install(tf.Conv2DBackpropFilter, conv2DBackpropFilter);
  const input = original(tf.Conv2DBackpropInput);
  if (input) install(tf.Conv2DBackpropInput, makeConv2DBackpropInput(input));
  const concat = original(tf.Concat);
  if (concat) install(tf.Concat, makeConcat(concat));
  const splitV = original(tf.SplitV);
  if (splitV) install(tf.SplitV, makeSplitV(splitV));
  const sum = original(tf.Sum);
  if (sum) install(tf.Sum, makeLeadingReduce(sum, 'sum'));
  const mean = original(tf.Mean);
  if (mean) install(tf.Mean, makeLeadingReduce(mean, 'mean'));
  const tile = original(tf.Tile);
  if (tile) install(tf.Tile, makeTile(tile));
  const identity = original(tf.Identity);
  if (identity) install(tf.Identity, makeIdentity(identity));
  const cast = original(tf.Cast);
  if (cast) install(tf.Cast, makeCast(cast));
  const maxPoolGrad = original(tf.MaxPoolGrad);
  if (maxPoolGrad) install(tf.MaxPoolGrad, makeMaxPoolGrad(maxPoolGrad));
}
