import * as os from 'node:os';
import { SonoError } from '../common/errors';
import type { GrayImage, ProbabilityMap } from '../common/image';
import type { BackendInfo, BackendName } from './backend';
import type { PreprocessPlan } from './preprocess';
import type { LossSettings } from './loss';
import type { AdamSettings, ModelSummary, OptimizerState, TensorBatch } from './protocol';
import type { AugmentedItem } from './train/augment-apply';
import type { UNetConfig } from './unet';
import { WorkerClient } from './worker-client';

export interface PoolOptions {
  /** number of worker threads; default: every core */
  workers?: number;
  backend?: BackendName;
  /** XNNPACK threads per worker (default: SONOSEG_WASM_THREADS, else 1); see backend.ts */
  wasmThreads?: number;
}

/**
 * A model to build (optionally starting from another model's weights, matched by layer name) or to load.
 * `seed`: a fixed seed for the initial weights (buildUNet); default: random. `deepSupervision`: the model
 * carries deep supervision's coarse heads while it trains (unet.ts withAuxiliaryOutputs; a folder that
 * already has them, a checkpoint, keeps its own).
 */
export type ModelSource =
  | { kind: 'build'; config: Partial<UNetConfig>; seed?: number; weightsFrom?: string; deepSupervision?: boolean }
  | { kind: 'dir'; dir: string; deepSupervision?: boolean; seed?: number };

/**
 * Worker threads that each hold the same model. Inference spreads frames over idle workers;
 * training splits a batch across workers, averages their gradients (weighted by sub-batch size)
 * and applies the same Adam step everywhere, so the replicas stay identical (data parallelism).
 */
export class EnginePool {
  private constructor(private readonly workers: WorkerClient[], readonly backend: BackendInfo) {}

  static async start(options: PoolOptions = {}): Promise<EnginePool> {
    const n = Math.max(1, options.workers ?? os.availableParallelism());
    const workers = Array.from({ length: n }, (_, i) => new WorkerClient(i));
    try {
      const wasmThreads = options.wasmThreads ?? (Number(process.env.SONOSEG_WASM_THREADS) || 1);
      const infos = await Promise.all(workers.map((w) => w.call({ op: 'init', backend: options.backend, wasmThreads })));
      return new EnginePool(workers, infos[0]!);
    } catch (e) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw e;
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Builds or loads the model in worker 0 and copies its weights to the others, so all start equal. */
  async loadModel(source: ModelSource): Promise<ModelSummary> {
    const [first, ...rest] = this.workers;
    const heads = source.deepSupervision ?? false;
    const summary = source.kind === 'build'
      ? await first!.call({ op: 'build', config: source.config, seed: source.seed, weightsFrom: source.weightsFrom, deepSupervision: heads })
      : await first!.call({ op: 'load', dir: source.dir, deepSupervision: heads, seed: source.seed });
    if (rest.length > 0) {
      const weights = await first!.call({ op: 'getWeights' });
      await Promise.all(rest.map(async (w) => {
        if (source.kind === 'build') await w.call({ op: 'build', config: source.config, seed: source.seed, deepSupervision: heads });
        else await w.call({ op: 'load', dir: source.dir, deepSupervision: heads });
        await w.call({ op: 'setWeights', weights });
      }));
    }
    return summary;
  }

  /** Probability maps at each image's own size; each image goes to the next idle worker. */
  async predict(images: GrayImage[], plan: PreprocessPlan, onEach?: (i: number, worker: number) => void): Promise<ProbabilityMap[]> {
    const out: ProbabilityMap[] = new Array(images.length);
    const threads = this.threadsEach(images.length);
    let next = 0;
    await Promise.all(this.workers.map(async (w) => {
      while (next < images.length) {
        const i = next++;
        [out[i]] = await w.call({ op: 'predict', images: [images[i]!], plan }, [], threads);
        onEach?.(i, w.index);
      }
    }));
    return out;
  }

  /** Cores shared fairly among the workers busy on one call: a lone image gets the whole machine. */
  private threadsEach(jobs: number): number {
    return Math.max(1, Math.floor(os.availableParallelism() / Math.max(1, Math.min(jobs, this.workers.length))));
  }

  async configureOptimizer(adam: AdamSettings): Promise<void> {
    await Promise.all(this.workers.map((w) => w.call({ op: 'optimizer', adam })));
  }

  /** One optimizer step over the whole batch using every worker; returns the batch's mean loss. */
  async trainStep(batch: TensorBatch, learningRate?: number, loss?: LossSettings): Promise<number> {
    const parts = splitBatch(batch, this.workers.length);
    const results = await Promise.all(parts.map((part, i) =>
      this.workers[i]!.call({ op: 'gradients', batch: part, loss }, [part.x.buffer as ArrayBuffer, part.y.buffer as ArrayBuffer],
        this.threadsEach(parts.length))));
    const grads = averageGradients(results);
    await Promise.all(this.workers.map((w) => w.call({ op: 'apply', grads, learningRate })));
    return results.reduce((s, r) => s + r.loss * r.n, 0) / batch.n;
  }

  /**
   * One optimizer step from raw images: each worker augments and preprocesses its share of the items
   * (augment-apply.ts), so the calling thread never touches a tensor; gradients are averaged as in trainStep.
   */
  async trainItems(items: AugmentedItem[], plan: PreprocessPlan, learningRate?: number, loss?: LossSettings): Promise<number> {
    if (items.length === 0) throw new SonoError('INVALID_ARGUMENT', 'a training step needs at least one image');
    const parts = splitItems(items, this.workers.length);
    const results = await Promise.all(parts.map((part, i) =>
      this.workers[i]!.call({ op: 'itemGradients', items: part, plan, loss }, [], this.threadsEach(parts.length))));
    const grads = averageGradients(results);
    await Promise.all(this.workers.map((w) => w.call({ op: 'apply', grads, learningRate })));
    return results.reduce((s, r) => s + r.loss * r.n, 0) / items.length;
  }

  /** Adam's state; the replicas hold the same one, so worker 0's is the pool's. */
  async getOptimizerState(): Promise<OptimizerState> {
    return this.workers[0]!.call({ op: 'getOptimizerState' });
  }

  async setOptimizerState(state: OptimizerState): Promise<void> {
    await Promise.all(this.workers.map((w) => w.call({ op: 'setOptimizerState', state })));
  }

  /**
   * Averages every weight over the workers and sets the mean everywhere. Trainable weights are already
   * equal; batch-norm moving statistics are not (each worker saw its own sub-batches), so call this before
   * validating or saving a model trained with batch norm on more than one worker.
   */
  async syncWeights(): Promise<void> {
    if (this.workers.length === 1) return;
    const all = await Promise.all(this.workers.map((w) => w.call({ op: 'getWeights' })));
    await this.loadModelWeights(averageGradients(all.map((grads) => ({ n: 1, grads }))));
  }

  /** Sets the same weights (model order, e.g. from getWeights or a checkpoint) on every worker. */
  async loadModelWeights(weights: Float32Array[]): Promise<void> {
    await Promise.all(this.workers.map((w) => w.call({ op: 'setWeights', weights })));
  }

  async getWeights(): Promise<Float32Array[]> {
    return this.workers[0]!.call({ op: 'getWeights' });
  }

  /** Saves the model as a run keeps it; `withHeads` keeps deep supervision's heads too (checkpoints). */
  async save(dir: string, withHeads = false): Promise<void> {
    await this.workers[0]!.call({ op: 'save', dir, withHeads });
  }

  async dispose(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Splits n images into at most k contiguous parts (copies, so each part's buffer can be transferred). */
export function splitBatch(batch: TensorBatch, k: number): TensorBatch[] {
  const parts: TensorBatch[] = [];
  const per = batch.size * batch.size;
  const count = Math.min(k, batch.n);
  let start = 0;
  for (let i = 0; i < count; i++) {
    const n = Math.floor(batch.n / count) + (i < batch.n % count ? 1 : 0);
    parts.push({
      n, size: batch.size,
      x: batch.x.slice(start * per, (start + n) * per),
      y: batch.y.slice(start * per, (start + n) * per),
    });
    start += n;
  }
  return parts;
}

/** Splits items into at most k contiguous parts, sizes differing by at most one. */
export function splitItems<T>(items: T[], k: number): T[][] {
  const count = Math.min(k, items.length);
  const parts: T[][] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const n = Math.floor(items.length / count) + (i < items.length % count ? 1 : 0);
    parts.push(items.slice(start, start + n));
    start += n;
  }
  return parts;
}

/** Mean of per-worker mean gradients, weighted by each worker's share of the batch. */
export function averageGradients(results: { n: number; grads: Float32Array[] }[]): Float32Array[] {
  if (results.length === 0) throw new SonoError('INVALID_ARGUMENT', 'no gradients to average');
  const total = results.reduce((s, r) => s + r.n, 0);
  return results[0]!.grads.map((_, v) => {
    const out = new Float32Array(results[0]!.grads[v]!.length);
    for (const r of results) {
      const g = r.grads[v]!;
      const w = r.n / total;
      for (let j = 0; j < g.length; j++) out[j] += w * g[j]!;
    }
    return out;
  });
}
