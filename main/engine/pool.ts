import * as os from 'node:os';
import { SonoError } from '../common/errors';
import type { GrayImage, ProbabilityMap } from '../common/image';
import type { BackendInfo, BackendName } from './backend';
import type { PreprocessPlan } from './preprocess';
import type { AdamSettings, ModelSummary, TensorBatch } from './protocol';
import type { UNetConfig } from './unet';
import { WorkerClient } from './worker-client';

export interface PoolOptions {
  /** number of worker threads; default: every core */
  workers?: number;
  backend?: BackendName;
}

export type ModelSource = { kind: 'build'; config: Partial<UNetConfig> } | { kind: 'dir'; dir: string };

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
      const infos = await Promise.all(workers.map((w) => w.call({ op: 'init', backend: options.backend })));
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
    const summary = source.kind === 'build'
      ? await first!.call({ op: 'build', config: source.config })
      : await first!.call({ op: 'load', dir: source.dir });
    if (rest.length > 0) {
      const weights = await first!.call({ op: 'getWeights' });
      await Promise.all(rest.map(async (w) => {
        if (source.kind === 'build') await w.call({ op: 'build', config: source.config });
        else await w.call({ op: 'load', dir: source.dir });
        await w.call({ op: 'setWeights', weights });
      }));
    }
    return summary;
  }

  /** Probability maps at each image's own size; each image goes to the next idle worker. */
  async predict(images: GrayImage[], plan: PreprocessPlan, onEach?: (i: number) => void): Promise<ProbabilityMap[]> {
    const out: ProbabilityMap[] = new Array(images.length);
    let next = 0;
    await Promise.all(this.workers.map(async (w) => {
      while (next < images.length) {
        const i = next++;
        [out[i]] = await w.call({ op: 'predict', images: [images[i]!], plan });
        onEach?.(i);
      }
    }));
    return out;
  }

  async configureOptimizer(adam: AdamSettings): Promise<void> {
    await Promise.all(this.workers.map((w) => w.call({ op: 'optimizer', adam })));
  }

  /** One optimizer step over the whole batch using every worker; returns the batch's mean loss. */
  async trainStep(batch: TensorBatch, learningRate?: number): Promise<number> {
    const parts = splitBatch(batch, this.workers.length);
    const results = await Promise.all(parts.map((part, i) =>
      this.workers[i]!.call({ op: 'gradients', batch: part }, [part.x.buffer as ArrayBuffer, part.y.buffer as ArrayBuffer])));
    const grads = averageGradients(results);
    await Promise.all(this.workers.map((w) => w.call({ op: 'apply', grads, learningRate })));
    return results.reduce((s, r) => s + r.loss * r.n, 0) / batch.n;
  }

  /** Sets the same weights (model order, e.g. from getWeights or a checkpoint) on every worker. */
  async loadModelWeights(weights: Float32Array[]): Promise<void> {
    await Promise.all(this.workers.map((w) => w.call({ op: 'setWeights', weights })));
  }

  async getWeights(): Promise<Float32Array[]> {
    return this.workers[0]!.call({ op: 'getWeights' });
  }

  async save(dir: string): Promise<void> {
    await this.workers[0]!.call({ op: 'save', dir });
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
