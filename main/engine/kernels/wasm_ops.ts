/**
 * Thin typed calls into the wasm backend's own kernel functions (XNNPACK Conv2D, BatchMatMul, …),
 * so composed kernels run at wasm speed without going through the engine: no tape, no tensor
 * bookkeeping, and no recursion into kernels we ourselves override.
 *
 * An `WasmOps` instance lives for one kernel call. Every intermediate it creates is freed by
 * `dispose()`, except the one handed to `keep()` (the kernel's output, which the engine adopts).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { SonoError } from '../../common/errors';

type Attrs = tf.NamedAttrMap;
/** A wasm kernel function as shipped (what we wrap and fall back to). */
export type KernelFn = (args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs?: Attrs }) =>
  tf.TensorInfo | tf.TensorInfo[];

/** Kernel functions captured before we override anything, keyed by kernel name. */
const captured = new Map<string, KernelFn>();

/** The wasm backend's own implementation of a kernel (captured the first time it is asked for). */
export function wasmKernel(name: string): KernelFn {
  let fn = captured.get(name);
  if (fn === undefined) {
    const config = tf.getKernel(name, 'wasm');
    if (config === undefined) {
      throw new SonoError('INTERNAL', `The wasm backend has no ${name} kernel to build on.`);
    }
    fn = config.kernelFunc as unknown as KernelFn;
    captured.set(name, fn);
  }
  return fn;
}

/** Captures the original kernels we are about to replace, so fallbacks still reach them. */
export function captureOriginal(name: string): KernelFn | undefined {
  return tf.getKernel(name, 'wasm') === undefined ? undefined : wasmKernel(name);
}

export type Pads = [[number, number], [number, number], [number, number], [number, number]];

export class WasmOps {
  private readonly made: tf.TensorInfo[] = [];
  private readonly kept = new Set<tf.TensorInfo>();

  constructor(readonly backend: BackendWasm) {}

  run(name: string, inputs: tf.NamedTensorInfoMap, attrs: Attrs = {}): tf.TensorInfo {
    const out = wasmKernel(name)({ inputs, backend: this.backend, attrs });
    if (Array.isArray(out)) throw new SonoError('INTERNAL', `${name} returned several tensors.`);
    this.made.push(out);
    return out;
  }

  /** Marks the kernel's result: it survives dispose(). */
  keep(t: tf.TensorInfo): tf.TensorInfo {
    this.kept.add(t);
    return t;
  }

  /** A new uninitialised float32 tensor, to be filled through `view`. */
  output(shape: number[]): tf.TensorInfo {
    const out = this.backend.makeOutput(shape, 'float32') as tf.TensorInfo;
    this.made.push(out);
    return out;
  }

  /** A Float32Array over t's heap memory. Take views after the last `output`: growing the heap detaches them. */
  view(t: tf.TensorInfo): Float32Array {
    return this.backend.typedArrayFromHeap(t) as Float32Array;
  }

  /** Frees intermediates early (inside loops over chunks). */
  free(...ts: tf.TensorInfo[]): void {
    for (const t of ts) {
      const i = this.made.indexOf(t);
      if (i >= 0 && !this.kept.has(t)) {
        this.made.splice(i, 1);
        this.backend.disposeData(t.dataId);
      }
    }
  }

  dispose(): void {
    for (const t of this.made) if (!this.kept.has(t)) this.backend.disposeData(t.dataId);
    this.made.length = 0;
  }

  reshape(x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  transpose(x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  pad(x: tf.TensorInfo, paddings: number[][]): tf.TensorInfo {
    if (paddings.every(([a, b]) => a === 0 && b === 0)) return this.run('Identity', { x });
    return this.run('PadV2', { x }, { paddings, constantValue: 0 });
  }

  /**
   * Slice by copying contiguous runs straight between heap views. wasm's own Slice first copies the
   * whole input out of the heap (readSync), which made a 9-tap window loop 10× slower than its matmuls.
   * Worth it when runs are long (the outer loop is per run); short runs go to the C++ StridedSlice.
   */
  slice(x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
    const rank = x.shape.length;
    let run = 1;
    let axis = rank - 1; // innermost axis that is not taken whole
    while (axis > 0 && begin[axis] === 0 && size[axis] === x.shape[axis]) run *= x.shape[axis--]!;
    run *= size[axis]!;
    if (run < 256 || x.dtype !== 'float32') {
      return this.run('StridedSlice', { x }, {
        begin, end: begin.map((b, i) => b + size[i]!), strides: begin.map(() => 1),
        beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0,
      });
    }
    const out = this.backend.makeOutput(size, 'float32') as tf.TensorInfo;
    this.made.push(out);
    const src = this.backend.typedArrayFromHeap(x) as Float32Array;
    const dst = this.backend.typedArrayFromHeap(out) as Float32Array;
    const strides = tf.util.computeStrides(x.shape);
    const outer = size.slice(0, axis);
    const count = outer.reduce((a, b) => a * b, 1);
    const idx = new Array<number>(axis).fill(0);
    for (let r = 0; r < count; r++) {
      let from = begin[axis]! * (axis < rank - 1 ? strides[axis]! : 1);
      for (let d = 0; d < axis; d++) from += (begin[d]! + idx[d]!) * strides[d]!;
      dst.set(src.subarray(from, from + run), r * run);
      for (let d = axis - 1; d >= 0; d--) { if (++idx[d]! < outer[d]!) break; idx[d] = 0; }
    }
    return out;
  }

  concat(xs: tf.TensorInfo[], axis: number): tf.TensorInfo {
    return this.run('Concat', xs as unknown as tf.NamedTensorInfoMap, { axis });
  }

  /** a·b with a [1, m, k], b [1, k, n]: the only shape XNNPACK's fast path takes (no transposes). */
  matMul(a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
    return this.run('BatchMatMul', { a, b }, { transposeA: false, transposeB: false });
  }

  conv2d(x: tf.TensorInfo, filter: tf.TensorInfo, strides: [number, number], pad: Pads | 'same' | 'valid',
    dilations: [number, number] = [1, 1]): tf.TensorInfo {
    return this.run('Conv2D', { x, filter },
      { strides, pad, dilations, dataFormat: 'NHWC', dimRoundingMode: undefined } as unknown as Attrs);
  }

  depthToSpace(x: tf.TensorInfo, blockSize: number): tf.TensorInfo {
    return this.run('DepthToSpace', { x }, { blockSize, dataFormat: 'NHWC' });
  }

  reverse(x: tf.TensorInfo, dims: number[]): tf.TensorInfo {
    return this.run('Reverse', { x }, { dims });
  }
}

/** Runs `body` with a fresh WasmOps, always freeing its intermediates. */
export function withOps(backend: BackendWasm, body: (ops: WasmOps) => tf.TensorInfo): tf.TensorInfo {
  return withOpsMany(backend, (ops) => [body(ops)])[0]!;
}

/** The same for kernels with several outputs (SplitV). */
export function withOpsMany(backend: BackendWasm, body: (ops: WasmOps) => tf.TensorInfo[]): tf.TensorInfo[] {
  const ops = new WasmOps(backend);
  try {
    return body(ops).map((t) => ops.keep(t));
  } finally {
    ops.dispose();
  }
}
