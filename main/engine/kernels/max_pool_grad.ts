/**
 * MaxPoolGrad for the U-Net's 2×2 stride-2 pooling on wasm. wasm's own kernel rescans every window
 * per element in plain C++ (~20 ns/element); here the four window positions become four planes
 * (one 3-D transpose and long-run copies), each plane takes dy where it holds the window's maximum,
 * and the planes are put back. Ties go to the first maximum in row-major window order, as the cpu
 * and wasm kernels do. Other pool geometries go to the original kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { KernelFn, WasmOps, withOps } from './wasm_ops';

interface PoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** True for non-overlapping, unpadded 2×2 windows that tile the float32 input exactly. */
export function isTiled2x2(x: tf.TensorInfo, a: PoolAttrs): boolean {
  if (x.dtype !== 'float32' || x.shape.length !== 4) return false;
  const info = tf.backend_util.computePool2DInfo(x.shape as [number, number, number, number],
    a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
  const p = info.padInfo;
  return info.filterHeight === 2 && info.filterWidth === 2 && info.strideHeight === 2 && info.strideWidth === 2 &&
    p.top === 0 && p.left === 0 && p.bottom === 0 && p.right === 0 &&
    info.outHeight * 2 === info.inHeight && info.outWidth * 2 === info.inWidth;
}

function maxPoolGrad2x2(ops: WasmOps, dy: tf.TensorInfo, x: tf.TensorInfo, y: tf.TensorInfo): tf.TensorInfo {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const rows = n * (h / 2);
  const run = (w / 2) * c;
  const pairs = n * h * (w / 2);
  // x as [pixel pairs, j, c] → [j, pixel pairs, c] = [j, rows, i, run]: window column j outermost.
  const planes = ops.reshape(ops.transpose(ops.reshape(x, [pairs, 2, c]), [1, 0, 2]), [2, rows, 2, run]);
  const shape = [1, rows, 1, run];
  const yv = ops.reshape(y, shape);
  const dyv = ops.reshape(dy, shape);
  const zeros = ops.run('Fill', {}, { shape, value: 0, dtype: 'float32' });
  const grads: tf.TensorInfo[][] = [[], []]; // grads[j][i]
  // dy not yet handed to an earlier (first-in-window-order) maximum: two selects per position,
  // cheaper than building first-match masks with logical ops on bool tensors.
  let rest = dyv;
  const order = [[0, 0], [0, 1], [1, 0], [1, 1]] as const;
  order.forEach(([i, j], k) => {
    const isMax = ops.run('Equal', { a: ops.slice(planes, [j, 0, i, 0], shape), b: yv });
    grads[j]![i] = ops.run('Select', { condition: isMax, t: rest, e: zeros });
    if (k < order.length - 1) rest = ops.run('Select', { condition: isMax, t: zeros, e: rest });
  });
  const joined = ops.concat(grads.map((g) => ops.concat(g, 2)), 0); // [j, rows, i, run]
  return ops.reshape(ops.transpose(ops.reshape(joined, [2, pairs, c]), [1, 0, 2]), x.shape);
}

export function makeMaxPoolGrad(original: KernelFn): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { dy, input, output } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo; output: tf.TensorInfo };
    if (!isTiled2x2(input, attrs as unknown as PoolAttrs)) {
      return original({ inputs, backend: backend as BackendWasm, attrs });
    }
    return withOps(backend as BackendWasm, (ops) => maxPoolGrad2x2(ops, dy, input, output));
  };
}
