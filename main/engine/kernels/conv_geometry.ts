/**
 * Shared conv geometry for the gradient kernels: one place that turns tfjs attrs (strides, pad as
 * 'same' | 'valid' | number | explicit, dimRoundingMode) into explicit paddings and sizes, using tfjs's
 * own computeConv2DInfo so our padding matches the forward conv's exactly.
 */
import * as tf from '@tensorflow/tfjs';
import { SonoError } from '../../common/errors';

export interface ConvGeometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  kH: number;
  kW: number;
  strideH: number;
  strideW: number;
  padTop: number;
  padLeft: number;
  padBottom: number;
  padRight: number;
}

export interface ConvAttrs {
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** Geometry of the forward conv x [N,H,W,inC] * filter [kH,kW,inC,outC] → [N,outH,outW,outC]. */
export function convGeometry(xShape: number[], filterShape: number[], attrs: ConvAttrs): ConvGeometry {
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC') {
    throw new SonoError('INVALID_ARGUMENT', 'The wasm gradient kernels support channels-last (NHWC) data only.');
  }
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  return {
    batch: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: info.outChannels,
    kH: info.filterHeight,
    kW: info.filterWidth,
    strideH: info.strideHeight,
    strideW: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
    padBottom: info.padInfo.bottom,
    padRight: info.padInfo.right,
  };
}

/**
 * True when stride equals the kernel size and no padding is involved: every input pixel then feeds
 * exactly one output pixel (the 2×2 stride-2 up-convolution), so a conv is a plain matmul.
 */
export function isBlockConv(g: ConvGeometry): boolean {
  return g.strideH === g.kH && g.strideW === g.kW &&
    g.padTop === 0 && g.padLeft === 0 && g.padBottom === 0 && g.padRight === 0 &&
    g.outH * g.kH <= g.inH && g.outW * g.kW <= g.inW;
}
