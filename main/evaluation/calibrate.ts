import type { Mask, ProbabilityMap } from '../common/image';
import { SonoError } from '../common/errors';
import { cleanMask, threshold as thresholdMap } from '../common/mask';
import { connectedComponents } from '../common/components';
import { cleanOptionsFor, DEFAULT_CLEANUP, type Cleanup } from '../common/postprocess';
import type { PreprocessPlan } from '../engine/preprocess';
import type { EvalImage, Predictor } from './evaluate';
import type { Interval } from './bootstrap';
import { wilsonInterval } from './binomial';

/**
 * Chooses a model's post-processing on validation images, the nnU-Net habit: try a small grid of
 * (mirror averaging, threshold, minimum mean lesion probability) and keep the setting with the best
 * mean Dice over *all* validation images, where a normal image left empty scores 1 and a normal image
 * with a false lesion scores 0. So one number weighs outlining lesions against false alarms on normal
 * scans, in the proportion the validation set holds them. Never run this on test images.
 */
export interface CalibrationGrid {
  flip: boolean[];
  thresholds: number[];
  minMeanProbabilities: number[];
}

export const DEFAULT_GRID: CalibrationGrid = {
  flip: [false, true],
  thresholds: [0.5, 0.4, 0.6, 0.3, 0.7],
  minMeanProbabilities: [0, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9],
};

export interface Setting {
  flip: boolean;
  threshold: number;
  minMeanProbability: number;
}

export interface SettingScore extends Setting {
  /** mean Dice / IoU over images with a lesion (null when there are none) */
  dice: number | null;
  iou: number | null;
  /** mean Dice over every image (empty vs empty = 1): the objective */
  diceAll: number;
  /** normal images with a lesion left after clean-up (null when there are none) */
  normalFpRate: number | null;
  /** how many normal images that rate is over, and its 95 % Wilson interval (null without normals) */
  normalImages: number;
  normalFpInterval: Interval | null;
}

/**
 * What the choice maximises. 'diceAll' (the default): mean Dice over every image, normal images
 * weighed as often as the validation set holds them. 'lesionDiceAtFp': mean Dice over lesion images
 * among the settings whose normal false-positive rate is at most `maxNormalFp` — an operating point
 * for when false alarms on normal scans must stay under a stated rate; when no setting meets it, the
 * setting with the fewest false alarms (best Dice among those) is kept and `met` is false.
 */
export type CalibrationObjective = { kind: 'diceAll' } | { kind: 'lesionDiceAtFp'; maxNormalFp: number };

export function describeObjective(o: CalibrationObjective): string {
  return o.kind === 'diceAll' ? 'mean Dice over all images (a normal image left empty = 1)'
    : `mean lesion Dice with a normal false-positive rate of at most ${o.maxNormalFp}`;
}

export interface Calibration {
  n: number;
  objective: CalibrationObjective;
  /** false when no setting met the objective's false-positive limit (always true for 'diceAll') */
  met: boolean;
  chosen: SettingScore;
  /** the setting every model starts with: no mirroring, threshold 0.5, no confidence filter */
  baseline: SettingScore;
  /** every setting tried, in grid order */
  tried: SettingScore[];
  cleanup: Cleanup;
}

export interface CalibrateOptions {
  grid?: CalibrationGrid;
  objective?: CalibrationObjective;
  /** the clean-up's other parts (area filter, hole filling) stay as given */
  cleanup?: Cleanup;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** Per-image, per-threshold facts from which every minMeanProbability is scored exactly. */
interface ImageFacts {
  truthArea: number;
  /** the cleaned mask's components: pixel count, overlap with the truth, mean probability */
  parts: { area: number; overlap: number; mean: number }[];
}

/** What one predictor's maps of some images say under every (mirror, threshold) of a grid: facts[flip][threshold][image]. */
export interface CalibrationFacts {
  grid: CalibrationGrid;
  count: number;
  facts: ImageFacts[][][];
}

export async function calibrate(
  predictor: Predictor, plan: PreprocessPlan, count: number, load: (i: number) => Promise<EvalImage>, o: CalibrateOptions = {},
): Promise<Calibration> {
  checkObjective(o.objective); // before the predictions, not after
  return chooseSetting([await collectFacts(predictor, plan, count, load, o)], o);
}

/** Refuses a false-positive limit outside [0, 1]. */
export function checkObjective(objective: CalibrationObjective | undefined): void {
  if (objective?.kind === 'lesionDiceAtFp' && !(objective.maxNormalFp >= 0 && objective.maxNormalFp <= 1)) {
    throw new SonoError('INVALID_ARGUMENT', `the false-positive limit must be between 0 and 1, got ${objective.maxNormalFp}`);
  }
}

/**
 * Predicts `count` images under each mirror setting of the grid and keeps, per threshold, the facts
 * every setting is scored from. Calibrating on several such sets at once (chooseSetting) is how
 * out-of-fold maps are pooled: each image predicted by the one model that did not train on it.
 */
export async function collectFacts(
  predictor: Predictor, plan: PreprocessPlan, count: number, load: (i: number) => Promise<EvalImage>,
  o: Pick<CalibrateOptions, 'grid' | 'cleanup' | 'signal' | 'onProgress'> = {},
): Promise<CalibrationFacts> {
  const grid = o.grid ?? DEFAULT_GRID;
  const cleanup = o.cleanup ?? DEFAULT_CLEANUP;
  if (count === 0) throw new SonoError('INVALID_ARGUMENT', 'calibration needs at least one validation image');
  if (!grid.flip.length || !grid.thresholds.length || !grid.minMeanProbabilities.length) {
    throw new SonoError('INVALID_ARGUMENT', 'the calibration grid is empty');
  }
  const facts = grid.flip.map(() => grid.thresholds.map((): ImageFacts[] => []));
  const chunk = Math.max(1, predictor.size * 2);
  const total = count * grid.flip.length;
  let done = 0;
  for (let start = 0; start < count; start += chunk) {
    const batch = await Promise.all(Array.from({ length: Math.min(chunk, count - start) }, (_, k) => load(start + k)));
    for (const [fi, flip] of grid.flip.entries()) {
      if (o.signal?.aborted) throw new SonoError('CANCELLED', 'calibration was cancelled');
      const maps = await predictor.predict(batch.map((b) => b.image), { ...plan, flip });
      batch.forEach((item, k) => {
        grid.thresholds.forEach((t, ti) => facts[fi]![ti]!.push(imageFacts(maps[k]!, item.mask, t, cleanup)));
      });
      done += batch.length;
      o.onProgress?.(done, total);
    }
  }
  return { grid, count, facts };
}

/** Scores every setting of the grid over all the given facts together and chooses one for the objective. */
export function chooseSetting(sets: CalibrationFacts[], o: Pick<CalibrateOptions, 'objective' | 'cleanup'> = {}): Calibration {
  const grid = sets[0]?.grid;
  if (!grid) throw new SonoError('INVALID_ARGUMENT', 'calibration needs at least one validation image');
  if (sets.some((f) => JSON.stringify(f.grid) !== JSON.stringify(grid))) throw new SonoError('INVALID_ARGUMENT', 'facts collected on different grids cannot be pooled');
  checkObjective(o.objective);
  const pooled = (fi: number, ti: number) => sets.flatMap((f) => f.facts[fi]![ti]!);
  const tried: SettingScore[] = [];
  grid.flip.forEach((flip, fi) => grid.thresholds.forEach((threshold, ti) => {
    const images = pooled(fi, ti);
    grid.minMeanProbabilities.forEach((c) => tried.push({ flip, threshold, minMeanProbability: c, ...scoreSetting(images, c) }));
  }));
  const objective = o.objective ?? { kind: 'diceAll' };
  const { chosen, met } = choose(tried, objective);
  const baselineIndex = tried.findIndex((s) => !s.flip && s.threshold === 0.5 && s.minMeanProbability === 0);
  const baseline = baselineIndex >= 0 ? tried[baselineIndex]! : tried[0]!;
  const cleanup = o.cleanup ?? DEFAULT_CLEANUP;
  const n = sets.reduce((a, f) => a + f.count, 0);
  return { n, objective, met, chosen, baseline, tried, cleanup: { ...cleanup, minMeanProbability: chosen.minMeanProbability } };
}

/** The best setting for the objective; grid order breaks ties (no mirroring, the listed thresholds, the weaker filter first). */
function choose(tried: SettingScore[], objective: CalibrationObjective): { chosen: SettingScore; met: boolean } {
  const best = (among: SettingScore[], score: (s: SettingScore) => number) =>
    among.reduce((b, s) => (score(s) > score(b) + 1e-12 ? s : b));
  if (objective.kind === 'diceAll') return { chosen: best(tried, (s) => s.diceAll), met: true };
  const limit = objective.maxNormalFp;
  const fp = (s: SettingScore) => s.normalFpRate ?? 0;
  const lesionDice = (s: SettingScore) => s.dice ?? 0;
  const within = tried.filter((s) => fp(s) <= limit + 1e-12);
  if (within.length > 0) return { chosen: best(within, lesionDice), met: true };
  const fewest = Math.min(...tried.map(fp));
  return { chosen: best(tried.filter((s) => fp(s) === fewest), lesionDice), met: false };
}

/** Threshold and clean the map as predictedMask does (without the confidence filter) and keep its components' facts. */
function imageFacts(prob: ProbabilityMap, truth: Mask, t: number, cleanup: Cleanup): ImageFacts {
  const cleaned = cleanMask(thresholdMap(prob, t), cleanOptionsFor(prob.width, prob.height, cleanup));
  const c = connectedComponents(cleaned);
  const parts = Array.from({ length: c.count }, () => ({ area: 0, overlap: 0, mean: 0 }));
  let truthArea = 0;
  for (let i = 0; i < c.labels.length; i++) {
    const inTruth = truth.data[i] !== 0;
    if (inTruth) truthArea++;
    const l = c.labels[i]!;
    if (l === 0) continue;
    const p = parts[l - 1]!;
    p.area++;
    p.mean += prob.data[i]!;
    if (inTruth) p.overlap++;
  }
  for (const p of parts) p.mean /= p.area;
  return { truthArea, parts };
}

/**
 * Scores one minimum mean probability: the kept components are those predictedMask keeps, and the
 * confusion of a union of disjoint components is the sum of theirs, so this equals scoring the masks.
 */
export function scoreSetting(images: ImageFacts[], minMean: number): Omit<SettingScore, keyof Setting> {
  let dice = 0, iou = 0, all = 0, lesions = 0, normals = 0, falseAlarms = 0;
  for (const im of images) {
    let area = 0, overlap = 0;
    for (const p of im.parts) if (p.mean >= minMean) { area += p.area; overlap += p.overlap; }
    if (im.truthArea === 0) {
      normals++;
      if (area > 0) falseAlarms++;
      else all += 1;
      continue;
    }
    lesions++;
    const d = (2 * overlap) / (area + im.truthArea);
    dice += d;
    all += d;
    iou += overlap / (area + im.truthArea - overlap);
  }
  return {
    dice: lesions ? dice / lesions : null,
    iou: lesions ? iou / lesions : null,
    diceAll: all / images.length,
    normalFpRate: normals ? falseAlarms / normals : null,
    normalImages: normals,
    normalFpInterval: wilsonInterval(falseAlarms, normals),
  };
}
