/**
 * Sum over every axis but the last (the bias gradient of each conv: dy summed over batch and pixels).
 * wasm's Sum can only reduce innermost axes, so it first transposes the whole of dy; a matmul of a
 * row of ones with dy viewed as [pixels, C] reads dy once instead, ~10× faster at 256². Other
 * reductions go to the original kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { withOps } from './wasm_ops';

const MIN_ELEMENTS = 1 << 15;

type Kernel = (args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs?: tf.NamedAttrMap }) =>
  tf.TensorInfo | tf.TensorInfo[];

/** True when `axis` names exactly the leading rank−1 axes of a big float32 tensor. */
export function sumIsLeading(x: tf.TensorInfo, axis: number | number[]): boolean {
  const rank = x.shape.length;
  if (rank < 2 || x.dtype !== 'float32' || tf.util.sizeFromShape(x.shape) < MIN_ELEMENTS) return false;
  const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
  return axes.length === rank - 1 && axes.every((a, i) => a === i);
}

export function makeSum(original: Kernel): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const x = inputs['x']!;
    if (!sumIsLeading(x, attrs!['axis'] as number | number[])) {
      return original({ inputs, backend: backend as BackendWasm, attrs });
    }
    const c = x.shape[x.shape.length - 1]!;
    const rows = tf.util.sizeFromShape(x.shape) / c;
    const outShape = attrs!['keepDims'] ? [...x.shape.slice(0, -1).map(() => 1), c] : [c];
    return withOps(backend as BackendWasm, (ops) => {
      const ones = ops.run('Fill', {}, { shape: [1, 1, rows], value: 1, dtype: 'float32' });
      return ops.reshape(ops.matMul(ones, ops.reshape(x, [1, rows, c])), outShape);
    });
  };
}
