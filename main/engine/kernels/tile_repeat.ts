/**
 * Tile that repeats the whole tensor (reps > 1 only on leading axes of size 1), as batch-norm's
 * gradient does to spread a per-channel [1,1,1,C] over [N,H,W,C]. wasm's Tile computes an index per
 * element (~85 ms at 4×256²×16, a third of a BN step); repeated blocks are instead written by
 * doubling copies (log₂(reps) memcpys). Other tilings go to the original kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { KernelFn, withOps } from './wasm_ops';

/** True when tiling only repeats the whole float32 tensor: every tiled axis has size 1 and precedes the rest. */
export function isWholeRepeat(x: tf.TensorInfo, reps: number[]): boolean {
  if (x.dtype !== 'float32' || reps.length !== x.shape.length) return false;
  const lastTiled = reps.reduce((last, r, i) => (r > 1 ? i : last), -1);
  return lastTiled >= 0 && x.shape.slice(0, lastTiled + 1).every((d) => d === 1);
}

export function makeTile(original: KernelFn): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const x = inputs['x']!;
    const reps = attrs!['reps'] as number[];
    if (!isWholeRepeat(x, reps)) return original({ inputs, backend: backend as BackendWasm, attrs });
    return withOps(backend as BackendWasm, (ops) => {
      const out = ops.output(x.shape.map((d, i) => d * reps[i]!));
      const block = tf.util.sizeFromShape(x.shape);
      const total = tf.util.sizeFromShape(out.shape);
      const dst = ops.view(out);
      dst.set(ops.view(x));
      for (let filled = block; filled < total; filled *= 2) dst.copyWithin(filled, 0, Math.min(filled, total - filled));
      return out;
    });
  };
}
