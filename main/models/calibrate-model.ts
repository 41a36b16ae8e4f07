import { SonoError } from '../common/errors';
import type { DatasetItem } from '../cases';
import type { BackendName } from '../engine/backend';
import { withSizes, type PreprocessPlan } from '../engine/preprocess';
import {
  calibrateModelDir, calibrateOutOfFold, DEFAULT_GRID, describeObjective, evaluateModelDir, evalJson,
  type Calibration, type CalibrationGrid, type SettingScore as Setting, type CalibrationFold, type CalibrationObjective, type EvalJson,
} from '../evaluation';
import { cardMetrics } from './from-run';
import type { CardPostprocess, ModelCard } from './card';
import type { ModelRegistry } from './registry';

export interface CalibratedCard {
  card: ModelCard;
  calibration: Calibration & { params: number };
  /** the held-out split scored again with the chosen setting (null when none was given) */
  heldOut: EvalJson | null;
}

/**
 * Chooses a model's threshold, confidence filter, mirror averaging (and, when asked, input sizes) on validation images, then
 * scores the held-out images with that choice so the card's metrics describe what the app does.
 * The held-out images play no part in the choice.
 */
export async function calibrateCard(
  card: ModelCard, modelDir: string, val: DatasetItem[], heldOut: DatasetItem[], o: CalibrateCardOptions = {},
): Promise<CalibratedCard> {
  const calibration = await calibrateModelDir(modelDir, card.plan, val, {
    workers: o.workers, backend: o.backend, signal: o.signal, objective: o.objective, grid: gridFor(o, card.plan), onProgress: (d, n) => o.onProgress?.('calibrating', d, n),
  });
  return withCalibration(card, modelDir, calibration, 'val', heldOut, o);
}

/**
 * The same for an ensemble of cross-validation fold models: the choice is made on out-of-fold maps
 * (outOfFoldFolds), then written into the ensemble's card and applied to the ensemble's held-out images.
 */
export async function calibrateCardOutOfFold(
  card: ModelCard, modelDir: string, folds: CalibrationFold[], heldOut: DatasetItem[], o: CalibrateCardOptions = {},
): Promise<CalibratedCard> {
  const inFolds = new Set(folds.flatMap((f) => f.items.map((it) => it.id)));
  const leak = heldOut.find((it) => inFolds.has(it.id));
  if (leak) throw new SonoError('INVALID_ARGUMENT', `${leak.id} is both a test image and held out by a fold: the test images must be outside every fold`);
  const calibration = await calibrateOutOfFold(folds, {
    workers: o.workers, backend: o.backend, signal: o.signal, objective: o.objective, grid: gridFor(o, card.plan), onProgress: (d, n) => o.onProgress?.('calibrating out of fold', d, n),
  });
  return withCalibration(card, modelDir, { ...calibration, params: card.architecture.params }, 'out-of-fold', heldOut, o);
}

/**
 * An ensemble's members as cross-validation folds: each member (found in the registry) with the
 * validation images its card says it held out, looked up among `items`. Members that held out the
 * same images (seeds of one fold) form one fold, scored on their mean map. Refused when a member is
 * missing, was not trained here, or held out an image `items` does not have. Every fold predicts with the
 * ensemble's plan: `models ensemble` makes it the members' own (ensembleModels checks they prepare their
 * input alike), but a card edited since, or made by hand, is scored as it will run.
 */
export function outOfFoldFolds(card: ModelCard, registry: ModelRegistry, items: DatasetItem[]): { folds: CalibrationFold[]; selectedOnFold: string[] } {
  const members = card.ensemble?.members;
  if (!members) throw new SonoError('INVALID_ARGUMENT', `${card.id} is not an ensemble: out-of-fold calibration needs an ensemble of fold models`);
  const byId = new Map(items.map((it) => [it.id, it]));
  const selectedOnFold: string[] = [];
  const byHeldOut = new Map<string, CalibrationFold>();
  for (const m of members) {
    const held = m.training?.data.val;
    if (!held || held.length === 0) throw new SonoError('INVALID_ARGUMENT', `member ${m.id} has no training record of the images it held out`);
    const missing = held.find((id) => !byId.has(id));
    if (missing !== undefined) throw new SonoError('INVALID_ARGUMENT', `member ${m.id} held out ${missing}, which is not in the dataset given`);
    if (m.training!.options.selectOn !== 'last') selectedOnFold.push(m.id);
    const model = registry.byId(m.id);
    const key = [...held].sort().join('\n');
    const fold = byHeldOut.get(key);
    if (fold) fold.dirs.push(model.dir);
    // each member predicts as the ensemble prepares its input (the ensemble's plan, e.g. its antialias), not as
    // its own card says: the choice is made for the ensemble (flip and sizes come from the grid)
    else byHeldOut.set(key, { dirs: [model.dir], plan: card.plan, items: held.map((id) => byId.get(id)!) });
  }
  return { folds: [...byHeldOut.values()], selectedOnFold };
}

interface CalibrateCardOptions {
  /** sets of input sides to try (multi-scale averaging); absent: the card's own (its plan's sizes, else its input size) */
  sizes?: number[][];
  workers?: number;
  backend?: BackendName;
  objective?: CalibrationObjective;
  signal?: AbortSignal;
  onProgress?: (what: string, done: number, total: number) => void;
}

/**
 * The plan with the chosen mirroring and sizes. A choice that names no sizes (the grid tried none) was
 * made on the plan's own, which stay; a model run at its own side alone gets no sizes in its card
 * (every card without them reads so).
 */
export function calibratedPlan(plan: PreprocessPlan, chosen: Pick<Setting, 'flip' | 'sizes'>): PreprocessPlan {
  return { ...withSizes(plan, chosen.sizes ?? plan.sizes), flip: chosen.flip };
}

/**
 * The default grid with the sizes asked for, else the card's own: out-of-fold members predict with
 * their own plans, so a card's sizes must be asked for to be what the choice is made on.
 */
function gridFor(o: CalibrateCardOptions, plan: PreprocessPlan): CalibrationGrid {
  const sizes = o.sizes ?? (plan.sizes ? [plan.sizes] : undefined);
  return sizes ? { ...DEFAULT_GRID, sizes } : DEFAULT_GRID;
}

async function withCalibration(
  card: ModelCard, modelDir: string, calibration: Calibration & { params: number }, split: 'val' | 'out-of-fold',
  heldOut: DatasetItem[], o: CalibrateCardOptions,
): Promise<CalibratedCard> {
  const run = { workers: o.workers, backend: o.backend, signal: o.signal };
  const c = calibration.chosen;
  const score = (s: Calibration['chosen']) => ({ dice: s.dice, iou: s.iou, diceAll: s.diceAll, normalFpRate: s.normalFpRate });
  const postprocess: CardPostprocess = {
    threshold: c.threshold,
    cleanup: calibration.cleanup,
    chosenOn: {
      split, n: calibration.n, objective: describeObjective(calibration.objective) + (calibration.met ? '' : ' (not met: fewest false positives kept)'), ...score(c),
      normalImages: c.normalImages, normalFpInterval: c.normalFpInterval, before: score(calibration.baseline),
    },
  };
  const plan = calibratedPlan(card.plan, c);
  // the card's figures were measured with the old post-processing: replaced below, or cleared when not re-measured
  let metrics: ModelCard['metrics'] = null;
  let held: EvalJson | null = null;
  if (heldOut.length > 0) {
    const outcome = await evaluateModelDir(modelDir, plan, heldOut, {
      ...run, threshold: c.threshold, cleanup: calibration.cleanup, onProgress: (d, n) => o.onProgress?.('evaluating', d, n),
    });
    held = { ...evalJson(outcome.report, c.threshold, card.id, outcome.backend.backend) };
    metrics = cardMetrics(held, 'test');
  }
  const architecture = { ...card.architecture, params: calibration.params };
  return { card: { ...card, architecture, plan, postprocess, metrics }, calibration, heldOut: held };
}
