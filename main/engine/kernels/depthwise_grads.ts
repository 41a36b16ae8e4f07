/**
 * The depthwise convolution's gradients for the wasm backend, which ships only its forward pass.
 * Plain loops over NHWC data with the channel innermost (contiguous in memory for the image, the
 * output gradient and the filter alike), for a depth multiplier of 1 — what MobileNetV2 uses. Other
 * multipliers go to tfjs's cpu backend (via_cpu.ts), which is exact but about a hundred times slower
 * here: 14 s of a 16 s training step at 128² in its filter gradient (measured before this file).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { viaCpu } from './via_cpu';

type Attrs = {
  strides: [number, number] | number;
  dilations: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

/** Index geometry of one depthwise convolution, as tfjs computes it for the forward pass. */
function geometry(xShape: number[], filterShape: number[], attrs: Attrs) {
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number], filterShape as [number, number, number, number],
    attrs.strides, attrs.dilations, attrs.pad as 'same', attrs.dimRoundingMode, true,
  );
  return {
    batch: info.batchSize, inH: info.inHeight, inW: info.inWidth, channels: info.inChannels,
    outH: info.outHeight, outW: info.outWidth, kH: info.filterHeight, kW: info.filterWidth,
    sH: info.strideHeight, sW: info.strideWidth, dH: info.dilationHeight, dW: info.dilationWidth,
    top: info.padInfo.top, left: info.padInfo.left,
  };
}

type Geometry = ReturnType<typeof geometry>;

/**
 * The two gradients share one walk over every (output pixel, filter tap) pair that touches the image;
 * `filterGradient` picks which is accumulated. Written out flat (no callback per tap), so V8 keeps the
 * channel loop tight: ~0.4 s of a 1.1 s MobileNetV2 U-Net training step (128², batch 8, one worker).
 */
function accumulate(g: Geometry, filterGradient: boolean, a: Float32Array, b: Float32Array, out: Float32Array): void {
  const C = g.channels;
  for (let n = 0; n < g.batch; n++) {
    for (let y = 0; y < g.outH; y++) {
      for (let x = 0; x < g.outW; x++) {
        const outAt = ((n * g.outH + y) * g.outW + x) * C;
        for (let i = 0; i < g.kH; i++) {
          const iy = y * g.sH + i * g.dH - g.top;
          if (iy < 0 || iy >= g.inH) continue;
          for (let j = 0; j < g.kW; j++) {
            const ix = x * g.sW + j * g.dW - g.left;
            if (ix < 0 || ix >= g.inW) continue;
            const inAt = ((n * g.inH + iy) * g.inW + ix) * C;
            const tapAt = (i * g.kW + j) * C;
            if (filterGradient) {
              // a = x, b = dy, out = dfilter
              for (let c = 0; c < C; c++) out[tapAt + c] += a[inAt + c]! * b[outAt + c]!;
            } else {
              // a = dy, b = filter, out = dx
              for (let c = 0; c < C; c++) out[inAt + c] += a[outAt + c]! * b[tapAt + c]!;
            }
          }
        }
      }
    }
  }
}

/** dL/dfilter[i, j, c, 0] = Σ over batch and output pixels of x[input pixel of tap (i, j), c] · dy[pixel, c]. */
export function depthwiseFilterGradient(x: Float32Array, dy: Float32Array, g: Geometry): Float32Array {
  const dw = new Float32Array(g.kH * g.kW * g.channels);
  accumulate(g, true, x, dy, dw);
  return dw;
}

/** dL/dx[pixel, c] = Σ over the output pixels and taps that read it of dy[output pixel, c] · filter[tap, c]. */
export function depthwiseInputGradient(dy: Float32Array, filter: Float32Array, g: Geometry): Float32Array {
  const dx = new Float32Array(g.batch * g.inH * g.inW * g.channels);
  accumulate(g, false, dy, filter, dx);
  return dx;
}

function read(backend: BackendWasm, t: tf.TensorInfo): Float32Array {
  return backend.readSync(t.dataId) as Float32Array;
}

type FourD = [number, number, number, number];

/**
 * A wasm kernel for one of the two gradients: `compute` returns the result's values and shape, or
 * null for a case it does not cover (depth multiplier ≠ 1, not float32), which tfjs's cpu kernel takes.
 */
function depthwiseKernel(name: string, compute: (backend: BackendWasm, inputs: tf.NamedTensorInfoMap, attrs: Attrs & Record<string, unknown>) =>
  { values: Float32Array; shape: FourD } | null): tf.KernelFunc {
  const fallback = viaCpu(name);
  return (args) => {
    const backend = args.backend as BackendWasm;
    const result = compute(backend, args.inputs, args.attrs as unknown as Attrs & Record<string, unknown>);
    if (!result) return fallback(args);
    return { dataId: backend.write(result.values, result.shape, 'float32'), shape: result.shape, dtype: 'float32' };
  };
}

export function makeDepthwiseBackpropFilter(): tf.KernelFunc {
  return depthwiseKernel(tf.DepthwiseConv2dNativeBackpropFilter, (backend, inputs, attrs) => {
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const filterShape = attrs['filterShape'] as FourD;
    if (filterShape[3] !== 1 || x.dtype !== 'float32') return null;
    const g = geometry(x.shape, filterShape, attrs);
    return { values: depthwiseFilterGradient(read(backend, x), read(backend, dy), g), shape: filterShape };
  });
}

export function makeDepthwiseBackpropInput(): tf.KernelFunc {
  return depthwiseKernel(tf.DepthwiseConv2dNativeBackpropInput, (backend, inputs, attrs) => {
    const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const inputShape = attrs['inputShape'] as FourD;
    if (filter.shape[3] !== 1 || dy.dtype !== 'float32') return null;
    const g = geometry(inputShape, filter.shape, attrs);
    return { values: depthwiseInputGradient(read(backend, dy), read(backend, filter), g), shape: inputShape };
  });
}
