import * as tf from '@tensorflow/tfjs';
import { SonoError } from '../common/errors';
import { mobileNetV2Encoder } from './encoders/mobilenet-v2';
import { mobileNetV2W140Encoder } from './encoders/mobilenet-v2-140';
import type { EncoderName } from './encoders/pretrained';

/**
 * The U-Net of Ronneberger et al. (2015), as the Keras notebooks and ../shared/bench/peer_unet.py build it:
 * per level two 3×3 'same' convolutions with ReLU, 2×2 max-pooling down, 2×2 stride-2 transposed
 * convolutions up, skip connections by concatenation, a 1×1 sigmoid head. Saved as a tfjs LayersModel,
 * so a Keras U-Net converted with tensorflowjs_converter loads the same way.
 */
export interface UNetConfig {
  /** square input side in pixels; must be divisible by 2^depth */
  inputSize: number;
  /** number of pooling steps (4 in the classic U-Net) */
  depth: number;
  /** filters at the first level; doubled at each level down */
  baseFilters: number;
  /** batch normalisation after every 3×3 convolution */
  batchNorm: boolean;
  /** dropout rate before the bottleneck's convolutions (0 = none) */
  dropout: number;
  /**
   * An image-level lesion gate: the bottleneck's features, averaged over the image, give one offset
   * added to every pixel's logit. Trained by the same loss, it lets the network silence a normal image
   * as a whole instead of pixel by pixel, and it keeps the model a plain one-input, one-map LayersModel.
   */
  gate?: boolean;
  /**
   * 'mobilenetv2': the encoder is an ImageNet-trained MobileNetV2 (main/engine/encoders) with a light
   * U-Net decoder; depth and baseFilters do not apply, and the input side must be divisible by 32.
   * 'mobilenetv2-140': the same with TF-Hub's wider MobileNetV2 (width 1.4, batch norm folded:
   * encoders/mobilenet-v2-140.ts).
   * Absent: the classic U-Net encoder above.
   */
  encoder?: EncoderName;
  /**
   * With the MobileNetV2 encoder: 32 (default) runs it through block 16, as Keras does; 16 stops after
   * block 12, so the deepest features sit at 1/16 of the side. That drops 1.29 M of its 1.84 M weights
   * (blocks 13–16, the ones the packaged copy fine-tuned away from ImageNet) and a decoder level, leaving
   * a member of ~0.70 M weights: more members fit in the same download. Absent: 32.
   */
  outputStride?: 16 | 32;
}

export const DEFAULT_UNET: UNetConfig = { inputSize: 256, depth: 4, baseFilters: 16, batchNorm: false, dropout: 0, gate: false };

export function validateUNetConfig(partial: Partial<UNetConfig>): UNetConfig {
  const c = { ...DEFAULT_UNET, ...partial };
  const int = (v: number, lo: number, hi: number) => Number.isInteger(v) && v >= lo && v <= hi;
  if (!int(c.depth, 1, 6)) throw new SonoError('INVALID_ARGUMENT', `U-Net depth must be 1–6, got ${c.depth}`);
  if (!int(c.baseFilters, 1, 128)) throw new SonoError('INVALID_ARGUMENT', `base filters must be 1–128, got ${c.baseFilters}`);
  if (!int(c.inputSize, 8, 2048) || c.inputSize % 2 ** c.depth !== 0) {
    throw new SonoError('INVALID_ARGUMENT', `input size ${c.inputSize} must be divisible by 2^depth = ${2 ** c.depth}`);
  }
  if (!(c.dropout >= 0 && c.dropout < 1)) throw new SonoError('INVALID_ARGUMENT', `dropout must be in [0, 1), got ${c.dropout}`);
  if (typeof c.gate !== 'boolean') throw new SonoError('INVALID_ARGUMENT', `gate must be true or false, got ${c.gate}`);
  if (c.encoder !== undefined) {
    if (c.encoder !== 'mobilenetv2' && c.encoder !== 'mobilenetv2-140') throw new SonoError('INVALID_ARGUMENT', `unknown encoder ${String(c.encoder)} (known: mobilenetv2, mobilenetv2-140)`);
    const stride = c.outputStride ?? 32;
    if (stride !== 16 && stride !== 32) throw new SonoError('INVALID_ARGUMENT', `output stride must be 16 or 32, got ${String(c.outputStride)}`);
    if (c.inputSize % stride !== 0) throw new SonoError('INVALID_ARGUMENT', `with the MobileNetV2 encoder at output stride ${stride} the input size must be divisible by ${stride}, got ${c.inputSize}`);
  } else if (c.outputStride !== undefined) {
    throw new SonoError('INVALID_ARGUMENT', 'an output stride applies only to the MobileNetV2 encoder');
  }
  return c;
}

/**
 * With a seed, every initializer gets its own seed derived from it, so the same seed builds the same
 * weights on the same backend; without one, tfjs draws them at random. Dropout stays unseeded: a
 * seeded tfjs dropout layer draws the same mask at every step.
 */
export function buildUNet(partial: Partial<UNetConfig> = {}, seed?: number): tf.LayersModel {
  const c = validateUNetConfig(partial);
  const init = initializers(seed);
  if (c.encoder !== undefined) return buildMobileUNet(c, init);
  const input = tf.input({ shape: [c.inputSize, c.inputSize, 1], name: 'image' });
  const skips: tf.SymbolicTensor[] = [];
  let x: tf.SymbolicTensor = input;
  for (let level = 0; level < c.depth; level++) {
    x = convBlock(x, c.baseFilters << level, `enc${level}`, c.batchNorm, init);
    skips.push(x);
    x = tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `enc${level}_pool` }).apply(x) as tf.SymbolicTensor;
  }
  if (c.dropout > 0) x = tf.layers.dropout({ rate: c.dropout, name: 'mid_dropout' }).apply(x) as tf.SymbolicTensor;
  x = convBlock(x, c.baseFilters << c.depth, 'mid', c.batchNorm, init);
  const bottleneck = x;
  for (let level = c.depth - 1; level >= 0; level--) {
    const filters = c.baseFilters << level;
    const up = tf.layers.conv2dTranspose({
      filters, kernelSize: 2, strides: 2, padding: 'same', name: `dec${level}_up`, kernelInitializer: init.he(),
    }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.concatenate({ axis: -1, name: `dec${level}_concat` }).apply([up, skips[level]!]) as tf.SymbolicTensor;
    x = convBlock(x, filters, `dec${level}`, c.batchNorm, init);
  }
  // with a gate the 1×1 head gives logits, and the gate's per-image offset is added before the sigmoid
  const head = tf.layers.conv2d({
    filters: 1, kernelSize: 1, activation: c.gate ? 'linear' : 'sigmoid', name: 'probability', kernelInitializer: init.glorot(),
  }).apply(x) as tf.SymbolicTensor;
  const output = c.gate ? gated(head, bottleneck) : head;
  return tf.model({ inputs: input, outputs: output, name: 'unet' });
}

/** Decoder filters at 1/16, 1/8, 1/4, 1/2 and full size of the input side. */
const MOBILE_DECODER = [96, 64, 48, 32, 16];

/** Decoder levels from the encoder's output stride up to full size (level k comes up to 1/2^k). */
function mobileDecoderLevels(outputStride: 16 | 32): number[] {
  return MOBILE_DECODER.slice(outputStride === 16 ? 1 : 0);
}

/**
 * The MobileNetV2 encoder with a light U-Net decoder: at each level up, a 2×2 stride-2 transposed
 * convolution, concatenation with the encoder's skip, a 1×1 convolution that mixes the (wide) skip
 * down, a 3×3 convolution, each with batch norm and ReLU. The gray image enters through a 1×1
 * convolution to three channels that starts as x ↦ 2x − 1 on every channel: a [0, 1] gray image becomes
 * the [−1, 1] RGB the encoder was trained on, and training may then adapt it.
 */
function buildMobileUNet(c: UNetConfig, init: Initializers): tf.LayersModel {
  const input = tf.input({ shape: [c.inputSize, c.inputSize, 1], name: 'image' });
  const rgb = tf.layers.conv2d({
    filters: 3, kernelSize: 1, name: 'gray_to_rgb', kernelInitializer: tf.initializers.constant({ value: 2 }), biasInitializer: tf.initializers.constant({ value: -1 }),
  }).apply(input) as tf.SymbolicTensor;
  const stride = c.outputStride ?? 32;
  const { skips, bottom } = (c.encoder === 'mobilenetv2-140' ? mobileNetV2W140Encoder : mobileNetV2Encoder)(rgb, stride);
  let x = bottom;
  const levels = mobileDecoderLevels(stride);
  levels.forEach((filters, i) => {
    const level = levels.length - 1 - i;
    x = tf.layers.conv2dTranspose({
      filters, kernelSize: 2, strides: 2, padding: 'same', name: `dec${level}_up`, kernelInitializer: init.he(),
    }).apply(x) as tf.SymbolicTensor;
    const skip = level > 0 ? skips[level - 1] : undefined;
    if (skip) {
      x = tf.layers.concatenate({ axis: -1, name: `dec${level}_concat` }).apply([x, skip]) as tf.SymbolicTensor;
      x = convBnRelu(x, filters, 1, `dec${level}_mix`, init);
    }
    x = convBnRelu(x, filters, 3, `dec${level}_conv`, init);
  });
  const head = tf.layers.conv2d({
    filters: 1, kernelSize: 1, activation: c.gate ? 'linear' : 'sigmoid', name: 'probability', kernelInitializer: init.glorot(),
  }).apply(x) as tf.SymbolicTensor;
  const output = c.gate ? gated(head, bottom) : head;
  return tf.model({ inputs: input, outputs: output, name: 'mobilenetv2_unet' });
}

function convBnRelu(x: tf.SymbolicTensor, filters: number, kernelSize: number, name: string, init: Initializers): tf.SymbolicTensor {
  x = tf.layers.conv2d({ filters, kernelSize, padding: 'same', name, kernelInitializer: init.he(), useBias: false }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: `${name}_bn` }).apply(x) as tf.SymbolicTensor;
  return tf.layers.activation({ activation: 'relu', name: `${name}_relu` }).apply(x) as tf.SymbolicTensor;
}

/**
 * sigmoid(logit + offset), the offset = dense(mean of the bottleneck over the image), one number per
 * image broadcast over the map: the network can lower a whole normal image, or raise a faint lesion,
 * at once. Adding in logit space (rather than multiplying probabilities) never cuts the map's own
 * gradient when the gate closes, and a zero-initialised gate starts as the plain U-Net exactly.
 */
function gated(logits: tf.SymbolicTensor, bottleneck: tf.SymbolicTensor): tf.SymbolicTensor {
  let g = tf.layers.globalAveragePooling2d({ name: 'gate_pool' }).apply(bottleneck) as tf.SymbolicTensor;
  g = tf.layers.dense({ units: 1, name: GATE_LAYER, kernelInitializer: 'zeros', biasInitializer: 'zeros' }).apply(g) as tf.SymbolicTensor;
  g = tf.layers.reshape({ targetShape: [1, 1, 1], name: 'gate_reshape' }).apply(g) as tf.SymbolicTensor;
  const z = tf.layers.add({ name: 'gate_add' }).apply([logits, g]) as tf.SymbolicTensor;
  return tf.layers.activation({ activation: 'sigmoid', name: 'gated_probability' }).apply(z) as tf.SymbolicTensor;
}

/**
 * Deep supervision, as nnU-Net trains: the decoder levels at 1/2, 1/4 and 1/8 of the side (those a shallow
 * classic U-Net has) each get a 1×1 sigmoid head whose map is scored against the mask at that size, so the
 * coarse levels that decide *where* a lesion is learn from the target directly, not only through the levels
 * above them.
 * The heads exist only while training: a checkpoint keeps them (a resumed run continues them), and the
 * model a run keeps (best/, the registry, exports) is the one-map network without them.
 */
export const AUX_LEVELS = [1, 2, 3] as const;

/** The name of the deep-supervision head on decoder level k. */
export function auxHeadName(level: number): string {
  return `aux${level}_probability`;
}

/**
 * The same network answering its map and then one map per AUX_LEVELS entry it has (side / 2^level), from new
 * 1×1 sigmoid heads on the decoder's features; it shares the model's layers and weights. A model that
 * already has them is returned as it is. The heads' initial weights follow `seed` like the rest of the
 * U-Net's.
 */
export function withAuxiliaryOutputs(model: tf.LayersModel, seed?: number): tf.LayersModel {
  if (model.outputs.length > 1) return model;
  const init = initializers(seed === undefined ? undefined : (seed + 0x9e3779b9) >>> 0);
  const levels = AUX_LEVELS.flatMap((level) => {
    const features = decoderFeatures(model, level);
    return features ? [{ level, features }] : [];
  });
  if (levels.length === 0) {
    throw new SonoError('INVALID_ARGUMENT', `deep supervision needs a U-Net built by SonoSeg with a decoder level at 1/2 of the side; ${model.name} has none`);
  }
  const heads = levels.map(({ level, features }) => tf.layers.conv2d({
    filters: 1, kernelSize: 1, activation: 'sigmoid', name: auxHeadName(level), kernelInitializer: init.glorot(),
  }).apply(features) as tf.SymbolicTensor);
  return tf.model({ inputs: model.inputs, outputs: [model.outputs[0]!, ...heads], name: model.name });
}

/** The model with its first output only (the map): what a run keeps, without deep-supervision heads. */
export function mainOutputOnly(model: tf.LayersModel): tf.LayersModel {
  return model.outputs.length === 1 ? model : tf.model({ inputs: model.inputs, outputs: model.outputs[0]!, name: model.name });
}

/**
 * Decoder level k's last activation (the MobileNetV2 decoder's 3×3 block, or the classic U-Net's second
 * convolution), or undefined when the decoder has no such level (a shallow classic U-Net).
 */
function decoderFeatures(model: tf.LayersModel, level: number): tf.SymbolicTensor | undefined {
  const names = [`dec${level}_conv_relu`, `dec${level}_relu2`, `dec${level}_conv2`];
  const layer = names.map((n) => model.layers.find((l) => l.name === n)).find((l) => l !== undefined);
  return layer?.output as tf.SymbolicTensor | undefined;
}

/** The name of the lesion gate's dense layer: a model has a gate when it has this layer. */
export const GATE_LAYER = 'lesion_gate';

export function hasGate(model: tf.LayersModel): boolean {
  return model.layers.some((l) => l.name === GATE_LAYER);
}

/**
 * The pretrained encoder's layers that hold trainable weights: every layer upstream of the decoder's
 * first step up (the encoder's deepest features, whose skips feed the later levels too), less the gray
 * adapter, which is new. Read from the graph, so it holds for a model built here or loaded from a folder.
 */
export function encoderLayers(model: tf.LayersModel): tf.layers.Layer[] {
  const ups = model.layers
    .map((l) => ({ layer: l, level: /^dec(\d+)_up$/.exec(l.name)?.[1] }))
    .filter((u): u is { layer: tf.layers.Layer; level: string } => u.level !== undefined);
  if (!model.layers.some((l) => l.name === 'gray_to_rgb') || ups.length === 0) {
    throw new SonoError('INVALID_ARGUMENT', `${model.name} has no pretrained encoder (train with --encoder)`);
  }
  const top = ups.reduce((a, b) => (Number(b.level) > Number(a.level) ? b : a)).layer;
  const upstream = new Set<tf.layers.Layer>();
  const stack = top.inboundNodes.flatMap((n) => n.inboundLayers);
  while (stack.length > 0) {
    const layer = stack.pop()!;
    if (upstream.has(layer)) continue;
    upstream.add(layer);
    stack.push(...layer.inboundNodes.flatMap((n) => n.inboundLayers));
  }
  return model.layers.filter((l) => upstream.has(l) && l.name !== 'gray_to_rgb' && l.trainableWeights.length > 0);
}

/**
 * Copies into `target` the weights of every layer of `source` with the same name and weight shapes
 * (a U-Net's kernels do not depend on the input size; a gate added to a model starts fresh).
 * Returns the names of the target's layers with weights that found no match.
 */
export function copyWeightsByName(source: tf.LayersModel, target: tf.LayersModel): string[] {
  const fresh: string[] = [];
  for (const layer of target.layers) {
    const mine = layer.getWeights();
    if (mine.length === 0) continue;
    let theirs: tf.Tensor[] | undefined;
    try {
      theirs = source.getLayer(layer.name).getWeights();
    } catch {
      theirs = undefined;
    }
    if (theirs && theirs.length === mine.length && theirs.every((t, i) => t.shape.join() === mine[i]!.shape.join())) layer.setWeights(theirs);
    else fresh.push(layer.name);
  }
  return fresh;
}

type Initializer = ReturnType<typeof tf.initializers.heNormal>;

interface Initializers {
  he(): Initializer | 'heNormal';
  glorot(): Initializer | 'glorotUniform';
}

function initializers(seed: number | undefined): Initializers {
  let next = seed;
  const take = () => (next === undefined ? undefined : (next = (next + 1) >>> 0));
  return {
    he: () => (seed === undefined ? 'heNormal' : tf.initializers.heNormal({ seed: take() })),
    glorot: () => (seed === undefined ? 'glorotUniform' : tf.initializers.glorotUniform({ seed: take() })),
  };
}

function convBlock(x: tf.SymbolicTensor, filters: number, name: string, batchNorm: boolean, init: Initializers): tf.SymbolicTensor {
  for (let i = 1; i <= 2; i++) {
    x = tf.layers.conv2d({
      filters, kernelSize: 3, padding: 'same', name: `${name}_conv${i}`, kernelInitializer: init.he(),
      useBias: !batchNorm, activation: batchNorm ? 'linear' : 'relu',
    }).apply(x) as tf.SymbolicTensor;
    if (batchNorm) {
      x = tf.layers.batchNormalization({ name: `${name}_bn${i}` }).apply(x) as tf.SymbolicTensor;
      x = tf.layers.activation({ activation: 'relu', name: `${name}_relu${i}` }).apply(x) as tf.SymbolicTensor;
    }
  }
  return x;
}

/** The model's square input side, read from its input shape; throws MODEL_INVALID for anything not a 1-channel image model. */
export function modelInputSize(model: tf.LayersModel): number {
  const shape = model.inputs[0]?.shape;
  if (!shape || shape.length !== 4 || shape[3] !== 1 || shape[1] == null || shape[1] !== shape[2]) {
    throw new SonoError('MODEL_INVALID', `model input must be [batch, n, n, 1], got [${shape?.join(', ')}]`);
  }
  const out = model.outputs[0]?.shape;
  if (!out || out.length !== 4 || out[3] !== 1 || out[1] !== shape[1] || out[2] !== shape[2]) {
    throw new SonoError('MODEL_INVALID', `model output must be [batch, ${shape[1]}, ${shape[1]}, 1], got [${out?.join(', ')}]`);
  }
  return shape[1];
}
