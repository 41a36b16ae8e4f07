/**
 * Identity (and Cast to the same dtype) for the wasm backend by sharing the buffer, as the cpu and
 * webgl backends do and as wasm's own Reshape does; wasm's versions copy it. No wasm kernel writes
 * into its inputs, and buffers are reference-counted, so sharing is safe. The gradient tape clones
 * a few hundred tensors per U-Net step, some of them 4×256²×16 activations.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelFn } from './wasm_ops';

function share(backend: BackendWasm, x: tf.TensorInfo): tf.TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export function makeIdentity(original: KernelFn): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const x = inputs['x']!;
    if (x.dtype === 'string') return original({ inputs, backend: backend as BackendWasm, attrs });
    return share(backend as BackendWasm, x);
  };
}

export function makeCast(original: KernelFn): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const x = inputs['x']!;
    if (x.dtype === 'string' || attrs!['dtype'] !== x.dtype) return original({ inputs, backend: backend as BackendWasm, attrs });
    return share(backend as BackendWasm, x);
  };
}
