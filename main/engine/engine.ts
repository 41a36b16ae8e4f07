import { SonoError } from '../common/errors';
import { toGray, type Frame, type ProbabilityMap } from '../common/image';
import type { BackendInfo, BackendName } from './backend';
import { EnginePool } from './pool';
import { validatePlan, type PreprocessPlan } from './preprocess';

/**
 * The engine as the rest of the app sees it: a pool of worker threads holding one model, its
 * preprocessing plan (from the model card), and `info()` saying which backend runs and why.
 */
export interface EngineModel {
  id: string;
  dir: string;
  /** from the model card; inference never falls back to code constants when a card gives one */
  plan?: Partial<PreprocessPlan>;
}

export interface EngineInfo extends BackendInfo {
  workers: number;
  model: { id: string; inputSize: number; params: number; plan: PreprocessPlan } | null;
}

export interface EngineOptions {
  workers?: number;
  backend?: BackendName;
}

export class Engine {
  private model: EngineInfo['model'] = null;
  private source: EngineModel | null = null;

  private constructor(readonly pool: EnginePool) {}

  static async start(options: EngineOptions = {}): Promise<Engine> {
    return new Engine(await EnginePool.start(options));
  }

  /** Loads a model folder into every worker; on failure the previous model stays active. */
  async useModel(m: EngineModel): Promise<void> {
    try {
      const summary = await this.pool.loadModel({ kind: 'dir', dir: m.dir });
      const plan = validatePlan(m.plan, summary.inputSize);
      // Warm-up: each worker sets up its kernels now, so the clinician's first image is not the slow one.
      const blank = { width: plan.inputSize, height: plan.inputSize, data: new Uint8Array(plan.inputSize ** 2) };
      await this.pool.predict(Array.from({ length: this.pool.size }, () => blank), plan);
      this.model = { id: m.id, inputSize: summary.inputSize, params: summary.params, plan };
      this.source = m;
    } catch (e) {
      // Some workers may already hold the new weights: put the previous model back everywhere.
      if (this.source) await this.pool.loadModel({ kind: 'dir', dir: this.source.dir });
      throw e;
    }
  }

  info(): EngineInfo {
    return { ...this.pool.backend, workers: this.pool.size, model: this.model };
  }

  /** Probability map at the frame's own size. */
  async predict(frame: Frame): Promise<ProbabilityMap> {
    const [map] = await this.predictMany([frame]);
    return map!;
  }

  /** Frames spread over every worker; `onEach(i)` fires as each finishes (for progress). */
  async predictMany(frames: Frame[], onEach?: (i: number, worker: number) => void): Promise<ProbabilityMap[]> {
    if (!this.model) throw new SonoError('MODEL_NOT_FOUND', 'no model is loaded');
    return this.pool.predict(frames.map(toGray), this.model.plan, onEach);
  }

  async dispose(): Promise<void> {
    await this.pool.dispose();
  }
}
