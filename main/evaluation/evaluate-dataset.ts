import { loadItem, type DatasetItem } from '../cases';
import type { BackendInfo, BackendName } from '../engine/backend';
import { EnginePool } from '../engine/pool';
import type { PreprocessPlan } from '../engine/preprocess';
import { evaluateImages, type EvalOptions, type EvalOutcome } from './evaluate';
import { calibrate, type Calibration, type CalibrateOptions } from './calibrate';

export interface DatasetEvalOptions extends EvalOptions {
  workers?: number;
  backend?: BackendName;
}

/**
 * Evaluates a model folder on dataset items at each image's original size: the engine's predict
 * resizes each probability map back to its image, and the metrics are computed there.
 */
export async function evaluateModelDir(
  modelDir: string, plan: PreprocessPlan, items: DatasetItem[], o: DatasetEvalOptions,
): Promise<EvalOutcome & { backend: BackendInfo; params: number }> {
  const pool = await EnginePool.start({ workers: o.workers, backend: o.backend });
  try {
    const { params } = await pool.loadModel({ kind: 'dir', dir: modelDir });
    const outcome = await evaluateImages(pool, plan, items.length, async (i) => {
      const it = items[i]!;
      const { image, mask } = await loadItem(it);
      return { id: it.id, className: it.className, image, mask };
    }, o);
    return { ...outcome, backend: pool.backend, params };
  } finally {
    await pool.dispose();
  }
}

/** Chooses the model's post-processing on dataset items (validation images only) at original size; see calibrate.ts. */
export async function calibrateModelDir(
  modelDir: string, plan: PreprocessPlan, items: DatasetItem[], o: CalibrateOptions & { workers?: number; backend?: BackendName },
): Promise<Calibration & { backend: BackendInfo; params: number }> {
  const pool = await EnginePool.start({ workers: o.workers, backend: o.backend });
  try {
    const { params } = await pool.loadModel({ kind: 'dir', dir: modelDir });
    const outcome = await calibrate(pool, plan, items.length, async (i) => {
      const it = items[i]!;
      const { image, mask } = await loadItem(it);
      return { id: it.id, className: it.className, image, mask };
    }, o);
    return { ...outcome, backend: pool.backend, params };
  } finally {
    await pool.dispose();
  }
}
