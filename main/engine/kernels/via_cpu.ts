/**
 * Runs a kernel the wasm backend does not have on tfjs's own cpu backend: the inputs are copied out
 * of wasm memory, the cpu kernel runs, the result is copied back. Exact (tfjs's reference
 * implementation) but slow: the fallback for the cases our own kernels do not cover (depthwise
 * gradients with a depth multiplier other than 1, in depthwise_grads.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { SonoError } from '../../common/errors';

type CpuBackend = tf.KernelBackend & {
  write(values: tf.backend_util.BackendValues, shape: number[], dtype: tf.DataType): tf.DataId;
};

/** A wasm kernel function that delegates `name` to the cpu backend's implementation. */
export function viaCpu(name: string): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const cpuKernel = tf.getKernel(name, 'cpu');
    const cpu = tf.engine().findBackend('cpu') as CpuBackend | null;
    if (!cpuKernel || !cpu) throw new SonoError('INTERNAL', `the cpu backend has no ${name} kernel to delegate to`);
    const wasm = backend as BackendWasm;
    const moved: tf.TensorInfo[] = [];
    const cpuInputs: tf.NamedTensorInfoMap = {};
    for (const [key, info] of Object.entries(inputs)) {
      if (!info) continue;
      const values = wasm.readSync(info.dataId) as tf.backend_util.BackendValues;
      const copy: tf.TensorInfo = { dataId: cpu.write(values, info.shape, info.dtype), shape: info.shape, dtype: info.dtype };
      moved.push(copy);
      cpuInputs[key] = copy;
    }
    try {
      const out = cpuKernel.kernelFunc({ inputs: cpuInputs, backend: cpu, attrs }) as tf.TensorInfo;
      moved.push(out);
      const values = cpu.readSync(out.dataId) as tf.backend_util.BackendValues;
      return { dataId: wasm.write(values, out.shape, out.dtype), shape: out.shape, dtype: out.dtype };
    } finally {
      for (const t of moved) cpu.disposeData(t.dataId);
    }
  };
}
