import * as tf from '@tensorflow/tfjs';
import { SonoError } from '../../common/errors';
import { MOBILENET_V2_BLOCKS, readPackagedModel, type EncoderFeatures } from './mobilenet-v2';

/**
 * A wider MobileNetV2 (width 1.4) as a U-Net encoder. Its weights are the nsfwjs package's
 * `mobilenet_v2_mid` model: TF-Hub's ImageNet MobileNetV2 1.4 feature vector under a single linear
 * layer, frozen to a GraphModel with batch norm folded into each convolution (kernel scaled, a bias
 * added). The encoder keeps that form — convolutions with biases, no batch-norm layers — which is the
 * "frozen batch norm" common when fine-tuning with small batches, and equals the published network
 * exactly at the start.
 */
export const MOBILENET_V2_140_SOURCE = 'TF-Hub ImageNet MobileNetV2 (width 1.4, batch norm folded), 8-bit copy from the nsfwjs package (mobilenet_v2_mid)';

/** A `weightsFrom` value that names this encoder instead of a model folder. */
export const MOBILENET_V2_140_WEIGHTS = 'pretrained:mobilenetv2-140';

/** Layer names carry this prefix, so they never meet the width-1.0 encoder's Keras names. */
const PREFIX = 'mnv2w140_';

/** Where the graph keeps the weights; each convolution has `<op>_weights` and `<op>_bn_offset`. */
const GRAPH_SCOPE = 'StatefulPartitionedCall/sequential/keras_layer/StatefulPartitionedCall/StatefulPartitionedCall/StatefulPartitionedCall/predict/MobilenetV2/';

/** Channels rounded as TF-slim's MobileNet does: to a multiple of 8, never down by more than 10 %. */
export function makeDivisible(v: number, divisor = 8): number {
  const n = Math.max(divisor, Math.floor((v + divisor / 2) / divisor) * divisor);
  return n < 0.9 * v ? n + divisor : n;
}

const WIDTH = 1.4;

/** The graph's scope of block i (TF-slim names: expanded_conv, expanded_conv_1, …). */
function blockScope(i: number): string {
  return i === 0 ? 'expanded_conv' : `expanded_conv_${i}`;
}

/**
 * MobileNetV2 1.4 up to block 16's projection (output stride 32) or block 12's (16), 'same' padding as
 * the graph has; skips are the expansion activations before each stride-2 step, as in the width-1.0
 * encoder. Every convolution's layer name is PREFIX + its graph scope with '/' as '_'.
 */
export function mobileNetV2W140Encoder(rgb: tf.SymbolicTensor, outputStride: 16 | 32 = 32): EncoderFeatures {
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]) => layer.apply(x) as tf.SymbolicTensor;
  const relu6 = (name: string) => tf.layers.reLU({ name, maxValue: 6 });
  const conv = (scope: string, filters: number, kernelSize: number, strides = 1) =>
    tf.layers.conv2d({ name: layerName(scope), filters, kernelSize, strides, padding: 'same' });
  let channels = makeDivisible(32 * WIDTH);
  let x = apply(relu6(`${PREFIX}Conv_relu`), apply(conv('Conv', channels, 3, 2), rgb));
  const skips: tf.SymbolicTensor[] = [];
  const blocks = outputStride === 16 ? MOBILENET_V2_BLOCKS.slice(0, 13) : MOBILENET_V2_BLOCKS;
  blocks.forEach(([expansion, base, stride], i) => {
    const scope = blockScope(i);
    const out = makeDivisible(base * WIDTH);
    const input = x;
    if (expansion !== 1) {
      x = apply(relu6(layerName(`${scope}/expand_relu`)), apply(conv(`${scope}/expand`, makeDivisible(channels * expansion), 1), x));
      if (stride === 2) skips.push(x);
    }
    const dw = tf.layers.depthwiseConv2d({ name: layerName(`${scope}/depthwise`), kernelSize: 3, strides: stride, padding: 'same' });
    x = apply(relu6(layerName(`${scope}/depthwise_relu`)), apply(dw, x));
    x = apply(conv(`${scope}/project`, out, 1), x);
    if (stride === 1 && channels === out) x = apply(tf.layers.add({ name: layerName(`${scope}/add`) }), [input, x]);
    channels = out;
  });
  return { skips, bottom: x };
}

function layerName(scope: string): string {
  return PREFIX + scope.replace(/\//g, '_');
}

/**
 * The encoder alone (224² RGB in [−1, 1], output stride 32) holding the published weights, as the
 * source that copyWeightsByName reads from; the caller disposes it.
 */
export function loadMobileNetV2W140(): tf.LayersModel {
  const { weightSpecs, weightData } = readPackagedModel('mobilenet_v2_mid');
  const input = tf.input({ shape: [224, 224, 3], name: 'rgb' });
  const { bottom } = mobileNetV2W140Encoder(input);
  const model = tf.model({ inputs: input, outputs: bottom, name: 'mobilenetv2_140' });
  const weights = tf.io.decodeWeights(weightData, weightSpecs);
  try {
    for (const layer of model.layers) {
      const mine = layer.getWeights();
      if (mine.length === 0) continue;
      const scope = graphScope(layer.name);
      const op = scope.endsWith('/depthwise') ? 'depthwise' : 'Conv2D';
      const kernel = weights[`${GRAPH_SCOPE}${scope}/${op}_weights`];
      const bias = weights[`${GRAPH_SCOPE}${scope}/${op}_bn_offset`];
      if (!kernel || !bias) throw new SonoError('MODEL_INVALID', `the packaged MobileNetV2 1.4 has no weights for ${scope}`);
      if (kernel.shape.join() !== mine[0]!.shape.join() || bias.shape.join() !== mine[1]!.shape.join()) {
        throw new SonoError('MODEL_INVALID', `MobileNetV2 1.4 ${scope}: weights ${kernel.shape}/${bias.shape}, layer ${mine[0]!.shape}/${mine[1]!.shape}`);
      }
      layer.setWeights([kernel, bias]);
    }
  } finally {
    tf.dispose(weights);
  }
  return model;
}

/** The graph scope a layer of this encoder was named after (its convolutions: Conv, expanded_conv_N/op). */
function graphScope(name: string): string {
  const scope = name.slice(PREFIX.length);
  const m = /^(expanded_conv(?:_\d+)?)_(expand|depthwise|project)$/.exec(scope);
  return m ? `${m[1]}/${m[2]}` : scope;
}
