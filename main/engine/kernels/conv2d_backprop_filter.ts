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
 * Stride 1: the reduction over pixels as matmuls of stacked tap windows with dy.
 * dy is zero-padded into the padded input's grid and flattened over (n, h, w); a tap (i, j) is then
 * a shift of i·Wp + j along that flat axis, so row (tap, c) of the A operand is one contiguous run of
 * the transposed input [inC, L] (a memcpy, not a per-pixel gather), and B is the flat dy [L, outC].
 * XNNPACK's matmul does not block the reduction axis, so for big images we cut it into chunks
 * (`chunk` pixels each, summing the partial results): each chunk's B panel then stays in L2 while
 * every row of A passes over it, which measured ~1.5× faster at 128² and 256².
 */
export function filterGradShiftGemm(ops: WasmOps, x: tf.TensorInfo, dy: tf.TensorInfo, g: ConvGeometry,
  chunk = defaultChunk(g), windowsFromDy = g.outC < g.inC): tf.TensorInfo {
  const hp = g.outH + g.kH - 1;
  const wp = g.outW + g.kW - 1;
  const len = g.batch * hp * wp;
  const xPad = cropOrPad(ops, x, g, hp, wp);
  const dyGrid = ops.pad(dy, [[0, 0], [0, g.kH - 1], [0, g.kW - 1], [0, 0]]);
  const shifts: number[] = [];
  for (let i = 0; i < g.kH; i++) for (let j = 0; j < g.kW; j++) shifts.push(i * wp + j);
  const maxShift = shifts[shifts.length - 1]!;
  // Windows come from the operand with fewer channels (fewer rows to copy): Σ_q x[q+s]·dy[q] is
  // also Σ_r x[r]·dy[r−s], so dy can be the shifted side if its flat axis is zero-padded in front.
  let windows: tf.TensorInfo;
  let packed: tf.TensorInfo;
  let starts: number[];
  let used: number;
  if (windowsFromDy) {
    windows = ops.pad(ops.reshape(ops.transpose(dyGrid, [3, 0, 1, 2]), [g.outC, len]), [[0, 0], [maxShift, 0]]);
    packed = ops.reshape(xPad, [len, g.inC]);
    starts = shifts.map((sh) => maxShift - sh);
    used = len;
  } else {
    windows = ops.reshape(ops.transpose(xPad, [3, 0, 1, 2]), [g.inC, len]);
    packed = ops.reshape(dyGrid, [len, g.outC]);
    starts = shifts;
    used = len - maxShift; // flat positions past this hold only dy's zero padding
  }
  const cols = packed.shape[1]!;
  let sum: tf.TensorInfo | undefined;
  for (let k0 = 0; k0 < used; k0 += chunk) {
    const n = Math.min(chunk, used - k0);
    const b = ops.reshape(ops.slice(packed, [k0, 0], [n, cols]), [1, n, cols]);
    const a = tapWindows(ops, windows, starts, k0, n);
    const part = ops.matMul(a, b);
    ops.free(a, b);
    if (sum === undefined) {
      sum = part;
    } else {
      const next = ops.run('Add', { a: sum, b: part });
      ops.free(sum, part);
      sum = next;
    }
  }
  if (!windowsFromDy) return ops.reshape(sum!, [g.kH, g.kW, g.inC, g.outC]);
  return ops.transpose(ops.reshape(sum!, [g.kH, g.kW, g.outC, g.inC]), [0, 1, 3, 2]);
}

/** Chunk only where it measured faster (big images); deep, small layers run as one matmul. */
function defaultChunk(g: ConvGeometry): number {
  const pixels = g.batch * (g.outH + g.kH - 1) * (g.outW + g.kW - 1);
  return pixels >= 32768 ? 4096 : pixels;
}

/** A [1, taps·C, n] whose row (t, c) is src[c, k0 + start_t ...+ n]: one memcpy per row. */
function tapWindows(ops: WasmOps, src2d: tf.TensorInfo, starts: number[], k0: number, n: number): tf.TensorInfo {
  const [channels, len] = src2d.shape as [number, number];
  const a = ops.output([1, starts.length * channels, n]);
  const src = ops.view(src2d);
  const dst = ops.view(a);
  let row = 0;
  for (const s of starts) {
    for (let c = 0; c < channels; c++, row++) {
      const from = c * len + k0 + s;
      dst.set(src.subarray(from, from + n), row * n);
    }
  }
  return a;
}

/**
 * Stride == kernel, no padding: every input pixel meets exactly one tap, so the whole gradient is one
 * matmul of the input rearranged to [kH·kW·inC, pixels] with dy [pixels, outC].
 */
export function filterGradBlockGemm(ops: WasmOps, x: tf.TensorInfo, dy: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const h = g.outH * g.kH;
  const w = g.outW * g.kW;
  const xc = h === g.inH && w === g.inW ? x : ops.slice(x, [0, 0, 0, 0], [g.batch, h, w, g.inC]);
  // x as [N·outH, kH, outW, kW·inC] → [kH, kW·inC, N·outH, outW]: a 4-D transpose. (wasm's transpose
  // of rank 5+ is a per-element loop that allocates index vectors: 5× slower on the 2×2 up-convs.)
  const x4 = ops.reshape(xc, [g.batch * g.outH, g.kH, g.outW, g.kW * g.inC]);
  const pixels = g.batch * g.outH * g.outW;
  const a = ops.reshape(ops.transpose(x4, [1, 3, 0, 2]), [1, g.kH * g.kW * g.inC, pixels]);
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
