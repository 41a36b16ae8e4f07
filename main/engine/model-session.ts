import * as tf from '@tensorflow/tfjs';
import { SonoError } from '../common/errors';
import type { GrayImage, ProbabilityMap } from '../common/image';
import { pretrainedNamed } from './encoders/pretrained';
import { deepSupervisionLoss, diceBceLoss, imageLesionLoss, lovaszHingeLoss, peakLesionLoss, peakPixels, type LossSettings } from './loss';
import { loadModel, saveModel } from './model-io';
import { modelAtInputSize } from './model-at-size';
import { imageToInput, outputToProbability, planSizes, toProbabilityMap, type PreprocessPlan } from './preprocess';
import type { AdamSettings, ModelSummary, OptimizerState, TensorBatch } from './protocol';
import { buildUNet, copyWeightsByName, encoderLayers, GATE_LAYER, hasGate, mainOutputOnly, modelInputSize, withAuxiliaryOutputs, type UNetConfig } from './unet';

/**
 * One model and its optimizer inside one engine worker. Tensors live only inside tf.tidy or are
 * disposed explicitly; `dispose()` frees everything.
 */
export class ModelSession {
  private model: tf.LayersModel | undefined;
  private optimizer: tf.AdamOptimizer | undefined;
  /** the model's layers with the lesion gate's logit as a last output (built on first use; owns no weights) */
  private withGate: tf.LayersModel | undefined;
  /** the model at other input sides, for multi-scale averaging (built on first use) */
  private readonly resized = new Map<number, tf.LayersModel>();
  /** the share of the optimizer's step the pretrained encoder's weights take (AdamSettings.encoderRate) */
  private encoderRate = 1;
  /** the encoder's layers when encoderRate < 1 */
  private slowed: tf.layers.Layer[] = [];

  /**
   * Builds a U-Net; with `weightsFrom` (a model folder, or MOBILENET_V2_WEIGHTS for the pretrained
   * encoder), it starts from that model's weights wherever layer names and shapes match. With
   * `deepSupervision` it carries the coarse heads of unet.ts's withAuxiliaryOutputs while it trains.
   */
  async build(config: Partial<UNetConfig>, seed?: number, weightsFrom?: string, deepSupervision = false): Promise<ModelSummary> {
    const plain = buildUNet(config, seed);
    let model = plain;
    try {
      if (deepSupervision) model = withAuxiliaryOutputs(plain, seed);
    } catch (e) {
      plain.dispose();
      throw e;
    }
    let freshLayers: string[] | undefined;
    if (weightsFrom) {
      const pretrained = pretrainedNamed(weightsFrom);
      const source = pretrained ? await pretrained.load() : await loadModel(weightsFrom);
      try {
        freshLayers = copyWeightsByName(source, model);
      } finally {
        source.dispose();
      }
    }
    this.replace(model);
    return { ...this.summary(), ...(freshLayers ? { freshLayers } : {}) };
  }

  /** Loads a model folder; with `deepSupervision`, adds the coarse heads (seeded by `seed`) unless it has them (a checkpoint). */
  async load(dir: string, deepSupervision = false, seed?: number): Promise<ModelSummary> {
    const model = await loadModel(dir);
    try {
      this.replace(deepSupervision ? withAuxiliaryOutputs(model, seed) : model);
    } catch (e) {
      model.dispose();
      throw e;
    }
    return this.summary();
  }

  /**
   * Saves the model as a run keeps it: its map only, without deep-supervision heads; `withHeads` keeps
   * them too (a checkpoint, which a resumed run continues).
   */
  async save(dir: string, withHeads = false): Promise<void> {
    const model = this.require();
    await saveModel(withHeads ? model : mainOutputOnly(model), dir);
  }

  /** All weights (trainable and not) in the model's own order, as copies. */
  getWeights(): Float32Array[] {
    return this.require().getWeights().map((w) => w.dataSync().slice() as Float32Array);
  }

  setWeights(values: Float32Array[]): void {
    const model = this.require();
    const current = model.getWeights();
    if (values.length !== current.length) {
      throw new SonoError('MODEL_INVALID', `expected ${current.length} weight arrays, got ${values.length}`);
    }
    const names = model.weights.map((w) => w.name);
    const tensors = current.map((w, i) => {
      if (values[i]!.length !== w.size) throw new SonoError('MODEL_INVALID', `weight ${names[i]} has the wrong size`);
      return tf.tensor(values[i]!, w.shape, 'float32');
    });
    this.dropResized();
    model.setWeights(tensors);
    tensors.forEach((t) => t.dispose());
  }

  /**
   * The model's maps of the images at their own sizes: for each input side of the plan (multi-scale
   * averaging; the model's own side when the plan names none), one pass (two with mirroring), the maps
   * resized back to the image and averaged.
   */
  async predict(images: GrayImage[], plan: PreprocessPlan): Promise<ProbabilityMap[]> {
    const sizes = planSizes(plan);
    const models = await Promise.all(sizes.map((size) => this.atSize(size)));
    const probs = tf.tidy(() => {
      let sums: tf.Tensor2D[] | undefined;
      models.forEach((model, k) => {
        const at = { ...plan, inputSize: sizes[k]! };
        const x = tf.stack(images.map((im) => imageToInput(im, at))) as tf.Tensor4D;
        let out = mapOf(model.predict(x));
        if (plan.flip) out = out.add(tf.reverse(mapOf(model.predict(tf.reverse(x, 2))), 2)).mul(0.5);
        const maps = images.map((im, i) => outputToProbability(out.slice([i, 0, 0, 0], [1, -1, -1, -1]).squeeze([0]) as tf.Tensor3D, im.width, im.height, at));
        sums = sums ? sums.map((s, i) => s.add(maps[i]!)) : maps;
      });
      return sizes.length === 1 ? sums! : sums!.map((s) => s.div(sizes.length) as tf.Tensor2D);
    });
    return probs.map((t) => {
      const map = toProbabilityMap(t);
      t.dispose();
      return map;
    });
  }

  /** The model at an input side: itself at its own, else a copy sharing its weights, kept until the weights change. */
  private async atSize(size: number): Promise<tf.LayersModel> {
    const model = this.require();
    if (size === modelInputSize(model)) return model;
    let resized = this.resized.get(size);
    if (!resized) {
      resized = await modelAtInputSize(model, size);
      this.resized.set(size, resized);
    }
    return resized;
  }

  /** Drops the copies at other sizes (their weights are the model's as they were when made). */
  private dropResized(): void {
    for (const m of this.resized.values()) m.dispose();
    this.resized.clear();
  }

  configureOptimizer(adam: AdamSettings): void {
    const encoderRate = adam.encoderRate ?? 1;
    if (!(encoderRate > 0 && encoderRate <= 1)) throw new SonoError('INVALID_ARGUMENT', `the encoder's rate factor must be in (0, 1], got ${encoderRate}`);
    // before the optimizer changes: a model without an encoder is refused here, not at its first step
    const slowed = encoderRate < 1 ? encoderLayers(this.require()) : [];
    this.optimizer?.dispose();
    this.optimizer = tf.train.adam(adam.learningRate, adam.beta1, adam.beta2, adam.epsilon) as tf.AdamOptimizer;
    this.encoderRate = encoderRate;
    this.slowed = slowed;
  }

  /**
   * Loss and the gradient of every trainable weight for one (sub-)batch, in trainableWeights order.
   * The loss is Dice + BCE of the map (deep supervision's weighted sum over the map and the coarse heads'
   * maps when the model carries them), plus settings.gateWeight × the gate's image-level BCE and
   * settings.peakWeight × the map's peak BCE and settings.lovaszWeight × the map's Lovász hinge (loss.ts).
   */
  gradients(batch: TensorBatch, settings?: LossSettings): { loss: number; n: number; grads: Float32Array[] } {
    const model = this.require();
    this.dropResized(); // a training pass moves batch norm's statistics
    const gateWeight = settings?.gateWeight ?? 0;
    const peakWeight = settings?.peakWeight ?? 0;
    const lovaszWeight = settings?.lovaszWeight ?? 0;
    const network = gateWeight > 0 ? this.gateOutputs() : model;
    const maps = model.outputs.length;
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(() => tf.tidy(() => {
      const x = tf.tensor4d(batch.x, [batch.n, batch.size, batch.size, 1]);
      const y = tf.tensor4d(batch.y, [batch.n, batch.size, batch.size, 1]);
      const out = network.apply(x, { training: true }) as tf.Tensor | tf.Tensor[];
      const [pred, ...rest] = Array.isArray(out) ? out : [out];
      const coarse = rest.slice(0, maps - 1);
      let loss: tf.Tensor = coarse.length > 0 ? deepSupervisionLoss(y, pred!, coarse) : diceBceLoss(y, pred!);
      if (gateWeight > 0) loss = loss.add(imageLesionLoss(y, rest[maps - 1]!).mul(gateWeight));
      if (peakWeight > 0) loss = loss.add(peakLesionLoss(y, pred!, peakPixels(batch.size)).mul(peakWeight));
      if (lovaszWeight > 0) loss = loss.add(lovaszHingeLoss(y, pred!).mul(lovaszWeight));
      return loss as tf.Scalar;
    }), vars);
    const loss = value.dataSync()[0]!;
    value.dispose();
    const out = vars.map((v) => {
      const g = grads[v.name]!;
      const data = g.dataSync().slice() as Float32Array;
      g.dispose();
      return data;
    });
    return { loss, n: batch.n, grads: out };
  }

  /** One Adam step with the given (already averaged) gradients. */
  apply(grads: Float32Array[], learningRate?: number): void {
    const model = this.require();
    this.dropResized();
    if (!this.optimizer) throw new SonoError('INVALID_ARGUMENT', 'configure the optimizer before applying gradients');
    // Adam reads its public-in-practice learningRate field at every step; the schedule sets it here.
    if (learningRate !== undefined) (this.optimizer as unknown as { learningRate: number }).learningRate = learningRate;
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    if (grads.length !== vars.length) throw new SonoError('INVALID_ARGUMENT', `expected ${vars.length} gradients, got ${grads.length}`);
    const named = vars.map((v, i) => ({ name: v.name, tensor: tf.tensor(grads[i]!, v.shape, 'float32') }));
    // Adam's step is lr · m̂ / (√v̂ + ε), linear in lr: taking a fraction of it on the encoder's weights is
    // Adam at that fraction of the rate there, with one optimizer state for the whole model.
    const slowed = this.slowed.flatMap((l) => l.trainableWeights.map((w) => w.read() as tf.Variable));
    const before = slowed.map((v) => v.clone());
    this.optimizer.applyGradients(named);
    named.forEach((g) => g.tensor.dispose());
    // inside tidy: assign keeps the new value's data, and tidy frees the tensors that computed it
    tf.tidy(() => slowed.forEach((v, i) => v.assign(before[i]!.add(v.sub(before[i]!).mul(this.encoderRate)))));
    tf.dispose(before);
  }

  async getOptimizerState(): Promise<OptimizerState> {
    const named = await this.requireOptimizer().getWeights();
    const iterations = (await named[0]!.tensor.data())[0]!;
    named[0]!.tensor.dispose();
    return { iterations, moments: named.slice(1).map((w) => w.tensor.dataSync().slice() as Float32Array) };
  }

  /** Restores Adam's step count and moments (from getOptimizerState of a replica or a checkpoint). */
  async setOptimizerState(state: OptimizerState): Promise<void> {
    const optimizer = this.requireOptimizer();
    const vars = this.require().trainableWeights.map((w) => w.read() as tf.Variable);
    if (state.moments.length !== 0 && state.moments.length !== 2 * vars.length) {
      throw new SonoError('MODEL_INVALID', `optimizer state holds ${state.moments.length} moments, the model needs ${2 * vars.length}`);
    }
    const named = state.moments.map((m, i) => {
      const v = vars[i % vars.length]!;
      if (m.length !== v.size) throw new SonoError('MODEL_INVALID', `optimizer moment for ${v.name} has the wrong size`);
      return { name: `${v.name}/${i < vars.length ? 'm' : 'v'}`, tensor: tf.tensor(m, v.shape, 'float32') };
    });
    const iter = { name: 'iter', tensor: tf.scalar(state.iterations, 'int32') };
    await optimizer.setWeights([iter, ...named]);
    // the optimizer's variables share the data and hold their own reference to it
    [iter, ...named].forEach((w) => w.tensor.dispose());
  }

  dispose(): void {
    this.dropResized();
    this.model?.dispose();
    this.optimizer?.dispose();
    this.model = undefined;
    this.optimizer = undefined;
    this.withGate = undefined;
    this.slowed = [];
  }

  private summary(): ModelSummary {
    const model = this.require();
    return { inputSize: modelInputSize(model), params: model.countParams(), gated: hasGate(model) };
  }

  /** The same layers, answering the model's outputs (the map, and any deep-supervision maps) and then the gate's logit. */
  private gateOutputs(): tf.LayersModel {
    const model = this.require();
    if (!hasGate(model)) {
      throw new SonoError('INVALID_ARGUMENT', 'a gate loss needs a model with the lesion gate (train with --gate)');
    }
    this.withGate ??= tf.model({ inputs: model.inputs, outputs: [...model.outputs, model.getLayer(GATE_LAYER).output as tf.SymbolicTensor] });
    return this.withGate;
  }

  private replace(model: tf.LayersModel): void {
    // withGate shares the old model's layers: dropping it is enough (disposing it would free them twice)
    this.withGate = undefined;
    this.dropResized();
    this.model?.dispose();
    this.optimizer?.dispose();
    this.optimizer = undefined;
    this.encoderRate = 1;
    this.slowed = [];
    this.model = model;
  }

  private requireOptimizer(): tf.AdamOptimizer {
    if (!this.optimizer) throw new SonoError('INVALID_ARGUMENT', 'configure the optimizer before reading or setting its state');
    return this.optimizer;
  }

  private require(): tf.LayersModel {
    if (!this.model) throw new SonoError('MODEL_NOT_FOUND', 'no model is loaded in this engine worker');
    return this.model;
  }
}

/** The map among a model's outputs: the first, when it also answers deep-supervision maps. */
function mapOf(out: tf.Tensor | tf.Tensor[]): tf.Tensor4D {
  return (Array.isArray(out) ? out[0]! : out) as tf.Tensor4D;
}
