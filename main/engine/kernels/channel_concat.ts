/**
 * Concat and SplitV along the channel (last) axis for the wasm backend: the U-Net's skip connections
 * and their gradients. wasm's own versions copy one pixel's channels at a time from JS (a loop over
 * every pixel); with equal parts, the same result is one long-run copy plus one 3-D transpose in C++:
 * parts [M, C] stacked as [k, M, C] ⇄ transposed to [M, k, C]. Pure data movement, so exact.
 * Other shapes (unequal parts, other axes, small tensors) go to the original kernels.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { KernelFn, withOps, withOpsMany } from './wasm_ops';

/** Below this many elements the per-pixel loop is cheap enough and not worth a transpose. */
const MIN_ELEMENTS = 1 << 15;

function lastAxis(axis: number | number[], rank: number): boolean {
  const a = Array.isArray(axis) ? axis[0]! : axis;
  return rank >= 2 && (a === -1 || a === rank - 1);
}

const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** True when Concat takes the transpose path: equal float32 parts joined on the last axis, big enough. */
export function concatIsFast(parts: tf.TensorInfo[], axis: number | number[]): boolean {
  const first = parts[0];
  if (first === undefined || parts.length < 2) return false;
  const rank = first.shape.length;
  const equal = parts.every((t) => t.dtype === 'float32' && t.shape.length === rank &&
    t.shape.every((d, i) => d === first.shape[i]));
  return equal && lastAxis(axis, rank) && size(first.shape) * parts.length >= MIN_ELEMENTS;
}

/** True when SplitV takes the transpose path: a float32 last axis cut into equal parts, big enough. */
export function splitIsFast(x: tf.TensorInfo, splits: number[], axis: number | number[]): boolean {
  const equal = splits.length > 1 && splits.every((s) => s === splits[0]);
  return equal && x.dtype === 'float32' && lastAxis(axis, x.shape.length) && size(x.shape) >= MIN_ELEMENTS;
}

export function makeConcat(original: KernelFn): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const parts = inputs as unknown as tf.TensorInfo[];
    if (!concatIsFast(parts, attrs!['axis'] as number)) {
      return original({ inputs, backend: backend as BackendWasm, attrs });
    }
    const first = parts[0]!;
    const rank = first.shape.length;
    const c = first.shape[rank - 1]!;
    const m = size(first.shape) / c;
    return withOps(backend as BackendWasm, (ops) => {
      const stacked = ops.concat(parts.map((t) => ops.reshape(t, [1, m, c])), 0);
      const out = ops.transpose(stacked, [1, 0, 2]);
      return ops.reshape(out, [...first.shape.slice(0, -1), c * parts.length]);
    });
  };
}

export function makeSplitV(original: KernelFn): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const x = inputs['x']!;
    const rank = x.shape.length;
    const total = x.shape[rank - 1]!;
    const splits = tf.backend_util.prepareSplitSize(x as tf.Tensor, attrs!['numOrSizeSplits'] as number | number[], rank - 1);
    if (!splitIsFast(x, splits, attrs!['axis'] as number)) {
      return original({ inputs, backend: backend as BackendWasm, attrs });
    }
    const c = total / splits.length;
    const m = size(x.shape) / total;
    return withOpsMany(backend as BackendWasm, (ops) => {
      const planes = ops.transpose(ops.reshape(x, [m, splits.length, c]), [1, 0, 2]);
      return splits.map((_, i) => ops.reshape(ops.slice(planes, [i, 0, 0], [1, m, c]), [...x.shape.slice(0, -1), c]));
    });
  };
}
