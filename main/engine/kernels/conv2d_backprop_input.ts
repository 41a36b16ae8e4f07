/**
 * Conv2DBackpropInput for the wasm backend. wasm ships one, but it is a plain loop ~10× slower than
 * its XNNPACK forward conv. It is both the input gradient of every conv and the forward pass of
 * Conv2DTranspose, so we route the two shapes a U-Net uses onto fast kernels and leave the rest to
 * the original kernel:
 * - stride 1: a forward conv of dy with the spatially flipped filter, in/out channels swapped;
 * - stride == kernel, no padding (2×2 stride-2 up-convolution): one matmul + DepthToSpace.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { ConvAttrs, ConvGeometry, convGeometry, isBlockConv } from './conv_geometry';
import { KernelFn, WasmOps, withOps } from './wasm_ops';

export type InputGradMethod = 'flippedConv' | 'blockGemm' | 'original';

/**
 * Stride 1: dx[h] = Σ_i dy[h + padTop − i] · W[i] is a forward conv of dy, padded by (k−1−pad) on
 * each side, with W reversed in both spatial axes and its channel axes swapped.
 */
export function inputGradFlippedConv(ops: WasmOps, dy: tf.TensorInfo, filter: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const flipped = ops.transpose(ops.reverse(filter, [0, 1]), [0, 1, 3, 2]);
  const pads: [[number, number], [number, number], [number, number], [number, number]] = [
    [0, 0], [g.kH - 1 - g.padTop, g.kH - 1 - g.padBottom], [g.kW - 1 - g.padLeft, g.kW - 1 - g.padRight], [0, 0]];
  return ops.conv2d(dy, flipped, [1, 1], pads);
}

/**
 * Stride == kernel: each dy pixel spreads over its own kH×kW block of dx, so dx = depthToSpace of
 * dy [pixels, outC] · W' [outC, kH·kW·inC]. Rows/columns the forward conv never read stay zero.
 */
export function inputGradBlockGemm(ops: WasmOps, dy: tf.TensorInfo, filter: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const pixels = g.batch * g.outH * g.outW;
  const rows = g.batch * g.outH;
  const a = ops.reshape(dy, [1, pixels, g.outC]);
  // One matmul per kernel row i gives dx rows kH·h + i, already in (w, j, c) order; interleaving the
  // kH results along a new row axis is a concat of long contiguous runs. (wasm's DepthToSpace, the
  // obvious alternative, is a per-element loop ~10× slower than the matmuls.)
  const wT = ops.transpose(filter, [0, 3, 1, 2]); // [kH, outC, kW, inC]
  const parts: tf.TensorInfo[] = [];
  for (let i = 0; i < g.kH; i++) {
    const wi = ops.reshape(ops.slice(wT, [i, 0, 0, 0], [1, g.outC, g.kW, g.inC]), [1, g.outC, g.kW * g.inC]);
    parts.push(ops.reshape(ops.matMul(a, wi), [rows, 1, g.outW * g.kW * g.inC]));
  }
  const dx = ops.reshape(ops.concat(parts, 1), [g.batch, g.outH * g.kH, g.outW * g.kW, g.inC]);
  const missingH = g.inH - g.outH * g.kH;
  const missingW = g.inW - g.outW * g.kW;
  return ops.pad(dx, [[0, 0], [0, missingH], [0, missingW], [0, 0]]);
}

export function chooseInputGradMethod(g: ConvGeometry): InputGradMethod {
  if (isBlockConv(g)) return 'blockGemm';
  const padsFit = g.padTop < g.kH && g.padBottom < g.kH && g.padLeft < g.kW && g.padRight < g.kW;
  if (g.strideH === 1 && g.strideW === 1 && padsFit) return 'flippedConv';
  return 'original';
}

export interface InputGradAttrs extends ConvAttrs {
  inputShape: [number, number, number, number];
}

/** Computes dx with a given method (exposed for tests and the side-by-side benchmark). */
export function conv2DBackpropInputWith(method: InputGradMethod, backend: BackendWasm, dy: tf.TensorInfo,
  filter: tf.TensorInfo, attrs: InputGradAttrs, original: KernelFn): tf.TensorInfo {
  if (method === 'original') {
    return original({ inputs: { dy, filter }, backend, attrs: attrs as unknown as tf.NamedAttrMap }) as tf.TensorInfo;
  }
  const g = convGeometry(attrs.inputShape, filter.shape, attrs);
  const body = method === 'blockGemm' ? inputGradBlockGemm : inputGradFlippedConv;
  return withOps(backend, (ops) => body(ops, dy, filter, g));
}

/** Builds the kernel function around the original wasm kernel (the fallback for other shapes). */
export function makeConv2DBackpropInput(original: KernelFn): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const a = attrs as unknown as InputGradAttrs;
    const g = convGeometry(a.inputShape, filter.shape, a);
    return conv2DBackpropInputWith(chooseInputGradMethod(g), backend as BackendWasm, dy, filter, a, original);
  };
}
