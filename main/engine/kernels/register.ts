/**
 * Registers our composed gradient kernels on the wasm backend. Safe to call more than once, and
 * before or after the backend has initialised (the engine looks kernels up per call).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { conv2DBackpropFilter } from './conv2d_backprop_filter';
import { makeConv2DBackpropInput } from './conv2d_backprop_input';
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

export function registerWasmGradientKernels(): void {
  // Capture the shipped Conv2DBackpropInput before replacing it: shapes we do not speed up fall back to it.
  const originalInput = captureOriginal(tf.Conv2DBackpropInput);
  install(tf.Conv2DBackpropFilter, conv2DBackpropFilter);
  if (originalInput !== undefined) {
    install(tf.Conv2DBackpropInput, makeConv2DBackpropInput(
      originalInput as Parameters<typeof makeConv2DBackpropInput>[0]));
  }
}
