/**
 * Registers our composed kernels on the wasm backend: the conv gradients (Conv2DBackpropFilter, which
 * wasm lacks; a fast Conv2DBackpropInput) and faster versions of the other kernels a U-Net training
 * step spends time in. Safe to call more than once, and before or after the backend has initialised
 * (the engine looks kernels up per call).
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
import { makeDepthwiseBackpropFilter, makeDepthwiseBackpropInput } from './depthwise_grads';
import { captureOriginal, KernelFn } from './wasm_ops';

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

/**
 * Kernels we replace, each built around the shipped one (the fallback for shapes we do not speed up).
 * Beyond the conv gradients, these are the other costs a U-Net training step showed in tf.profile.
 */
const REPLACEMENTS: [string, (original: KernelFn) => tf.KernelFunc][] = [
  [tf.Conv2DBackpropInput, makeConv2DBackpropInput], // also Conv2DTranspose's forward pass
  [tf.Concat, makeConcat], // skip connections
  [tf.SplitV, makeSplitV], // their gradient
  [tf.Sum, (o) => makeLeadingReduce(o, 'sum')], // bias gradients
  [tf.Mean, (o) => makeLeadingReduce(o, 'mean')], // batch-norm moments
  [tf.Tile, makeTile], // batch-norm gradient
  [tf.MaxPoolGrad, makeMaxPoolGrad],
  [tf.Identity, makeIdentity], // clones on the gradient tape
  [tf.Cast, makeCast],
];

export function registerWasmGradientKernels(): void {
  install(tf.Conv2DBackpropFilter, conv2DBackpropFilter);
  // the depthwise convolution's gradients (a MobileNetV2 encoder), which wasm lacks
  install(tf.DepthwiseConv2dNativeBackpropFilter, makeDepthwiseBackpropFilter());
  install(tf.DepthwiseConv2dNativeBackpropInput, makeDepthwiseBackpropInput());
  for (const [name, make] of REPLACEMENTS) {
    // Capture the shipped kernel before replacing it (captureOriginal remembers the first one it saw).
    const original = captureOriginal(name);
    if (original) install(name, make(original));
  }
}
