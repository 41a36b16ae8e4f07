import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { SonoError } from '../../common/errors';

/**
 * An ImageNet-trained MobileNetV2 (Sandler et al. 2018, Keras applications, width 1.0, 224²) as the
 * encoder of a U-Net: a few hundred BUSI images are too few to learn edges and textures from scratch,
 * and an encoder that already has them is the habit of every strong BUSI result.
 *
 * The only copy of those weights the npm registry carries is inside the `nsfwjs` package (MIT): its
 * MobileNetV2 classifier keeps the Keras ImageNet weights of blocks 0–10 frozen (their `trainable` is
 * false in its topology) and fine-tuned blocks 11–16 for its own five-class task; the weights are
 * stored quantised to 8 bits per tensor. We take the convolution and batch-norm layers by name and
 * ignore its classification head.
 */
export const MOBILENET_V2_SOURCE = 'ImageNet MobileNetV2 (Keras applications, width 1.0), 8-bit copy from the nsfwjs package';

/** A `weightsFrom` value that names this encoder instead of a model folder. */
export const MOBILENET_V2_WEIGHTS = 'pretrained:mobilenetv2';

interface ModelModule {
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

function packageModelDir(): string {
  let entry: string;
  try {
    entry = require.resolve('nsfwjs');
  } catch {
    throw new SonoError('MODEL_INVALID', 'the pretrained MobileNetV2 encoder needs the nsfwjs package (npm ci installs it)');
  }
  // entry: <pkg>/dist/cjs/index.js; the model files: <pkg>/dist/models/mobilenet_v2/
  return path.join(path.dirname(entry), '..', 'models', 'mobilenet_v2');
}

/**
 * One of the nsfwjs package's models as stored: its topology, weight specs and the weight bytes (the
 * package wraps each file in a JS module holding base64).
 */
export function readPackagedModel(name: 'mobilenet_v2' | 'mobilenet_v2_mid'): { modelTopology: object; weightSpecs: tf.io.WeightsManifestEntry[]; weightData: ArrayBuffer } {
  const dir = path.join(packageModelDir(), '..', name);
  const model = require(path.join(dir, 'model.min.js')) as ModelModule;
  const group = model.weightsManifest[0];
  if (!group || model.weightsManifest.length !== 1) throw new SonoError('MODEL_INVALID', `unexpected weight groups in ${dir}`);
  const shards = group.paths.map((p) => {
    const file = path.join(dir, `${p}.min.js`);
    if (!fs.existsSync(file)) throw new SonoError('MODEL_INVALID', `missing weight shard ${file}`);
    return Buffer.from(require(file) as string, 'base64');
  });
  const bytes = Buffer.concat(shards);
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return { modelTopology: model.modelTopology, weightSpecs: group.weights, weightData };
}

/** The MobileNetV2 classifier as published, with its ImageNet encoder; the caller disposes it. */
export async function loadMobileNetV2(): Promise<tf.LayersModel> {
  return tf.loadLayersModel(tf.io.fromMemory(readPackagedModel('mobilenet_v2')));
}

/** Expansion factor, output channels (at width 1.0) and stride of each inverted-residual block, as in Keras. */
export const MOBILENET_V2_BLOCKS: [expansion: number, channels: number, stride: number][] = [
  [1, 16, 1],
  [6, 24, 2], [6, 24, 1],
  [6, 32, 2], [6, 32, 1], [6, 32, 1],
  [6, 64, 2], [6, 64, 1], [6, 64, 1], [6, 64, 1],
  [6, 96, 1], [6, 96, 1], [6, 96, 1],
  [6, 160, 2], [6, 160, 1], [6, 160, 1],
  [6, 320, 1],
];

/**
 * The encoder's features: skips at 1/2, 1/4, 1/8 (and 1/16 at output stride 32) of the input side, and the
 * bottom at 1/32 (or 1/16).
 */
export interface EncoderFeatures {
  skips: tf.SymbolicTensor[];
  bottom: tf.SymbolicTensor;
}

/**
 * MobileNetV2 up to block 16's projection (output stride 32) or block 12's (16), with Keras's layer names
 * (so the weights load by name) and 'same' padding (for an even side, Keras's explicit pad-then-valid
 * stride-2 step is the same thing).
 * The skips are the expansion activations just before each stride-2 step, as DeepLabV3+ and
 * segmentation_models take them.
 */
export function mobileNetV2Encoder(rgb: tf.SymbolicTensor, outputStride: 16 | 32 = 32): EncoderFeatures {
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]) => layer.apply(x) as tf.SymbolicTensor;
  // Keras builds these with momentum 0.999; ultrasound statistics are far from ImageNet's, and at 0.999 the
  // moving averages trailed the batch statistics for ~1000 steps (val Dice 0.18, 0.23 after epochs 1–2 of
  // a BUSI run), so we use the common 0.99.
  const bn = (name: string) => tf.layers.batchNormalization({ name, epsilon: 1e-3, momentum: 0.99 });
  const relu6 = (name: string) => tf.layers.reLU({ name, maxValue: 6 });
  let x = apply(tf.layers.conv2d({ name: 'Conv1', filters: 32, kernelSize: 3, strides: 2, padding: 'same', useBias: false }), rgb);
  x = apply(relu6('Conv1_relu'), apply(bn('bn_Conv1'), x));
  const skips: tf.SymbolicTensor[] = [];
  let channels = 32;
  // blocks 0–12 end at 1/16 of the side; block 13 is the next stride-2 step
  const blocks = outputStride === 16 ? MOBILENET_V2_BLOCKS.slice(0, 13) : MOBILENET_V2_BLOCKS;
  blocks.forEach(([expansion, out, stride], i) => {
    const prefix = i === 0 ? 'expanded_conv_' : `block_${i}_`;
    const input = x;
    if (expansion !== 1) {
      x = apply(tf.layers.conv2d({ name: `${prefix}expand`, filters: channels * expansion, kernelSize: 1, useBias: false }), x);
      x = apply(relu6(`${prefix}expand_relu`), apply(bn(`${prefix}expand_BN`), x));
      if (stride === 2) skips.push(x);
    }
    x = apply(tf.layers.depthwiseConv2d({ name: `${prefix}depthwise`, kernelSize: 3, strides: stride, padding: 'same', useBias: false }), x);
    x = apply(relu6(`${prefix}depthwise_relu`), apply(bn(`${prefix}depthwise_BN`), x));
    x = apply(tf.layers.conv2d({ name: `${prefix}project`, filters: out, kernelSize: 1, useBias: false }), x);
    x = apply(bn(`${prefix}project_BN`), x);
    if (stride === 1 && channels === out) x = apply(tf.layers.add({ name: `${prefix}add` }), [input, x]);
    channels = out;
  });
  return { skips, bottom: x };
}
