/**
 * Conv2DBackpropFilter for the wasm backend, which has none: dW[i,j,ci,co] = Σ_{n,ho,wo}
 * x_pad[n, s·ho+i, s·wo+j, ci] · dy[n,ho,wo,co]. Three formulations, each built only from wasm's own
 * XNNPACK-backed kernels; `conv2DBackpropFilter` picks one by geometry (see `chooseFilterGradMethod`).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { ConvAttrs, ConvGeometry, convGeometry, isBlockConv } from './conv_geometry';
import { WasmOps, withOps } from './wasm_ops';

export type FilterGradMethod = 'shiftGemm' | 'blockGemm' | 'convTrick';

/**
 * Stride 1: the reduction over pixels as kH·kW matmuls that share one packed B operand.
 * dy is zero-padded into the padded input's grid and flattened over (n, h, w); a tap (i, j) is then
 * a shift of i·Wp + j along that flat axis, so each tap's A operand is one contiguous-row slice of
 * the transposed input [inC, L] (rows of memcpy, not a per-pixel gather). XNNPACK caches the packed
 * dy across taps (its fully-connected operator is cached by B's tensor id).
 */
export function filterGradShiftGemm(ops: WasmOps, x: tf.TensorInfo, dy: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const hp = g.outH + g.kH - 1;
  const wp = g.outW + g.kW - 1;
  const xPad = cropOrPad(ops, x, g, hp, wp);
  const len = g.batch * hp * wp;
  const xT = ops.reshape(ops.transpose(xPad, [3, 0, 1, 2]), [g.inC, len]);
  const maxShift = (g.kH - 1) * wp + (g.kW - 1);
  const used = len - maxShift; // flat positions past this hold only the zero padding of dy
  const dyGrid = ops.pad(dy, [[0, 0], [0, g.kH - 1], [0, g.kW - 1], [0, 0]]);
  const b = ops.reshape(ops.slice(ops.reshape(dyGrid, [len, g.outC]), [0, 0], [used, g.outC]), [1, used, g.outC]);
  const taps: tf.TensorInfo[] = [];
  for (let i = 0; i < g.kH; i++) {
    for (let j = 0; j < g.kW; j++) {
      const a = ops.reshape(ops.slice(xT, [0, i * wp + j], [g.inC, used]), [1, g.inC, used]);
      taps.push(ops.matMul(a, b));
    }
  }
  return ops.reshape(ops.concat(taps, 0), [g.kH, g.kW, g.inC, g.outC]);
}

/**
 * Stride == kernel, no padding: every input pixel meets exactly one tap, so the whole gradient is one
 * matmul of the input rearranged to [kH·kW·inC, pixels] with dy [pixels, outC].
 */
export function filterGradBlockGemm(ops: WasmOps, x: tf.TensorInfo, dy: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const h = g.outH * g.kH;
  const w = g.outW * g.kW;
  const xc = h === g.inH && w === g.inW ? x : ops.slice(x, [0, 0, 0, 0], [g.batch, h, w, g.inC]);
  const x6 = ops.reshape(xc, [g.batch, g.outH, g.kH, g.outW, g.kW, g.inC]);
  const pixels = g.batch * g.outH * g.outW;
  const a = ops.reshape(ops.transpose(x6, [2, 4, 5, 0, 1, 3]), [1, g.kH * g.kW * g.inC, pixels]);
  const b = ops.reshape(dy, [1, pixels, g.outC]);
  return ops.reshape(ops.matMul(a, b), [g.kH, g.kW, g.inC, g.outC]);
}

/**
 * Any stride (DESIGN's trick): a conv of the transposed input [inC, H, W, N] with the transposed dy
 * [outH, outW, N, outC] as its filter, dilated by the stride. The batch lands in the channel axis,
 * which XNNPACK handles poorly at small batches, so this is the general fallback.
 */
export function filterGradConvTrick(ops: WasmOps, x: tf.TensorInfo, dy: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const spanH = g.strideH * (g.outH - 1) + g.kH;
  const spanW = g.strideW * (g.outW - 1) + g.kW;
  const xT = ops.transpose(cropOrPad(ops, x, g, spanH, spanW), [3, 1, 2, 0]);
  const dyT = ops.transpose(dy, [1, 2, 0, 3]);
  const r = ops.conv2d(xT, dyT, [1, 1], 'valid', [g.strideH, g.strideW]);
  return ops.transpose(r, [1, 2, 0, 3]);
}

/** Pads x by the conv's top/left padding and pads or crops bottom/right to exactly h × w. */
function cropOrPad(ops: WasmOps, x: tf.TensorInfo, g: ConvGeometry, h: number, w: number): tf.TensorInfo {
  const bottom = h - g.inH - g.padTop;
  const right = w - g.inW - g.padLeft;
  let t = x;
  if (bottom < 0 || right < 0) {
    t = ops.slice(x, [0, 0, 0, 0], [g.batch, g.inH + Math.min(bottom, 0), g.inW + Math.min(right, 0), g.inC]);
  }
  return ops.pad(t, [[0, 0], [g.padTop, Math.max(bottom, 0)], [g.padLeft, Math.max(right, 0)], [0, 0]]);
}

export function chooseFilterGradMethod(g: ConvGeometry): FilterGradMethod {
  if (isBlockConv(g)) return 'blockGemm';
  if (g.strideH === 1 && g.strideW === 1) return 'shiftGemm';
  return 'convTrick';
}

const methods: Record<FilterGradMethod, typeof filterGradConvTrick> = {
  shiftGemm: filterGradShiftGemm,
  blockGemm: filterGradBlockGemm,
  convTrick: filterGradConvTrick,
};

export interface FilterGradAttrs extends ConvAttrs {
  filterShape: [number, number, number, number];
}

/** Computes dW with a given method (exposed for tests and the side-by-side benchmark). */
export function conv2DBackpropFilterWith(method: FilterGradMethod, backend: BackendWasm,
  x: tf.TensorInfo, dy: tf.TensorInfo, attrs: FilterGradAttrs): tf.TensorInfo {
  const g = convGeometry(x.shape, attrs.filterShape, attrs);
  return withOps(backend, (ops) => methods[method](ops, x, dy, g));
}

export const conv2DBackpropFilter: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const a = attrs as unknown as FilterGradAttrs;
  const g = convGeometry(x.shape, a.filterShape, a);
  return withOps(backend as BackendWasm, (ops) => methods[chooseFilterGradMethod(g)](ops, x, dy, g));
};
