import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SonoError } from '../common/errors';
import { loadItem, type DatasetItem } from '../cases';
import type { BackendInfo, BackendName } from '../engine/backend';
import { saveEnsembleOf } from '../engine/model-io';
import { EnginePool } from '../engine/pool';
import type { PreprocessPlan } from '../engine/preprocess';
import { evaluateImages, type EvalImage, type EvalOptions, type EvalOutcome } from './evaluate';
import { calibrate, checkObjective, chooseSetting, collectFacts, DEFAULT_GRID, passesOf, type CalibrationFacts, type Calibration, type CalibrateOptions } from './calibrate';

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
    const outcome = await evaluateImages(pool, plan, items.length, loaderOf(items), o);
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
    const outcome = await calibrate(pool, plan, items.length, loaderOf(items), o);
    return { ...outcome, backend: pool.backend, params };
  } finally {
    await pool.dispose();
  }
}

/**
 * One cross-validation fold: the images it held out (its validation fold) and the model folders
 * trained without them. Several folders (e.g. seeds of one fold) are scored on their mean map.
 */
export interface CalibrationFold {
  dirs: string[];
  plan: PreprocessPlan;
  items: DatasetItem[];
}

/**
 * Chooses post-processing on out-of-fold maps: each fold's model predicts only the images it held
 * out, and every setting is scored over all folds' images together. So every image counts once, and
 * none was seen in training by the model whose map of it is scored (nnU-Net's habit: the choice is
 * then applied to the ensemble of the fold models). Folds are predicted one after another; a fold
 * of several models is predicted by their ensemble, built in a temporary folder.
 */
export async function calibrateOutOfFold(
  folds: CalibrationFold[], o: CalibrateOptions & { workers?: number; backend?: BackendName },
): Promise<Calibration & { backend: BackendInfo }> {
  if (folds.length < 2) throw new SonoError('INVALID_ARGUMENT', `out-of-fold calibration needs at least two folds, got ${folds.length}`);
  checkObjective(o.objective);
  const seen = new Map<string, number>();
  folds.forEach((f, k) => f.items.forEach((it) => {
    const other = seen.get(it.id);
    if (other !== undefined) throw new SonoError('INVALID_ARGUMENT', `${it.id} is held out by folds ${other + 1} and ${k + 1}: the folds must not overlap`);
    seen.set(it.id, k);
  }));
  const passes = passesOf(o.grid ?? DEFAULT_GRID); // each image is predicted once per (sizes, mirror) view
  const total = folds.reduce((a, f) => a + f.items.length, 0) * passes;
  const sets: CalibrationFacts[] = [];
  let backend: BackendInfo | null = null;
  let before = 0;
  for (const f of folds) {
    if (f.dirs.length === 0) throw new SonoError('INVALID_ARGUMENT', 'a fold needs at least one model folder');
    const pool = await EnginePool.start({ workers: o.workers, backend: o.backend });
    let averaged: string | null = null;
    try {
      if (f.dirs.length > 1) {
        averaged = fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-fold-'));
        saveEnsembleOf(f.dirs, averaged);
      }
      await pool.loadModel({ kind: 'dir', dir: averaged ?? f.dirs[0]! });
      backend = pool.backend;
      const offset = before * passes;
      sets.push(await collectFacts(pool, f.plan, f.items.length, loaderOf(f.items), { ...o, onProgress: (d) => o.onProgress?.(offset + d, total) }));
    } finally {
      await pool.dispose();
      if (averaged) fs.rmSync(averaged, { recursive: true, force: true });
    }
    before += f.items.length;
  }
  return { ...chooseSetting(sets, o), backend: backend! };
}

/** Reads dataset item i (image and merged mask) when the evaluation asks for it. */
function loaderOf(items: DatasetItem[]): (i: number) => Promise<EvalImage> {
  return async (i) => {
    const it = items[i]!;
    const { image, mask } = await loadItem(it);
    return { id: it.id, className: it.className, image, mask };
  };
}
