import type { Mask, ProbabilityMap } from '../common/image';
import { SonoError } from '../common/errors';
import { cleanMask, fillHoles, threshold as thresholdMap } from '../common/mask';
import { connectedComponents } from '../common/components';
import { cleanOptionsFor, DEFAULT_CLEANUP, minAreaPixels, type Cleanup } from '../common/postprocess';
import { checkSizes, type PreprocessPlan } from '../engine/preprocess';
import type { EvalImage, Predictor } from './evaluate';
import type { Interval } from './bootstrap';
import { wilsonInterval } from './binomial';

/**
 * Chooses a model's post-processing on validation images, the nnU-Net habit: try a small grid of
 * (input sizes, mirror averaging, threshold, outline ratio, minimum mean lesion probability, minimum lesion area,
 * largest lesion only) and keep the setting with the best
 * mean Dice over *all* validation images, where a normal image left empty scores 1 and a normal image
 * with a false lesion scores 0. So one number weighs outlining lesions against false alarms on normal
 * scans, in the proportion the validation set holds them. Never run this on test images.
 */
export interface CalibrationGrid {
  flip: boolean[];
  thresholds: number[];
  minMeanProbabilities: number[];
  /**
   * smallest lesion kept, as a fraction of the image; none below the clean-up's own minAreaFraction
   * (the facts are collected with it). Absent: only the clean-up's.
   */
  minAreaFractions?: number[];
  /** absent: [false] */
  largestOnly?: boolean[];
  /** where the edge of a lesion found at threshold t is drawn, as t × ratio (postprocess.ts); absent: [1] */
  outlineRatios?: number[];
  /**
   * sets of input sides the model runs at, maps averaged (multi-scale averaging, PreprocessPlan.sizes);
   * absent: the plan's own, alone
   */
  sizes?: number[][];
}

export const DEFAULT_GRID: CalibrationGrid = {
  flip: [false, true],
  thresholds: [0.5, 0.4, 0.6, 0.3, 0.7],
  minMeanProbabilities: [0, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9],
  minAreaFractions: [DEFAULT_CLEANUP.minAreaFraction, 0.0025, 0.005, 0.01, 0.02],
  largestOnly: [false, true],
  outlineRatios: [1, 0.9, 0.8, 0.7, 0.6],
};

export interface Setting {
  /** the input sides the maps were averaged over; absent: the plan's own */
  sizes?: number[];
  flip: boolean;
  threshold: number;
  minMeanProbability: number;
  minAreaFraction: number;
  largestOnly: boolean;
  outlineRatio: number;
}

/** The parts of a Cleanup a calibration setting chooses. */
export type Filter = Pick<Setting, 'minMeanProbability' | 'minAreaFraction' | 'largestOnly'>;

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
  /** the setting every model starts with: the first sizes, no mirroring, threshold 0.5, no confidence filter, the clean-up's area filter, every lesion, the edge at the threshold */
  baseline: SettingScore;
  /** every setting tried, in grid order */
  tried: SettingScore[];
  cleanup: Cleanup;
}

export interface CalibrateOptions {
  grid?: CalibrationGrid;
  objective?: CalibrationObjective;
  /** hole filling stays as given; its minAreaFraction is the smallest the grid may try */
  cleanup?: Cleanup;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** Per-image facts at one (threshold, outline ratio), from which every filter is scored exactly. */
interface ImageFacts {
  /** the image's pixel count (the area filter is a fraction of it) */
  pixels: number;
  truthArea: number;
  /**
   * the cleaned mask's components at the threshold (what the filters judge): pixel count, mean
   * probability, and the outline they are drawn to (an index into `outlines`)
   */
  parts: { area: number; mean: number; outline: number }[];
  /** the lesions as drawn (components at threshold × ratio that hold a part; the parts themselves at ratio 1), in raster order: pixel count, overlap with the truth */
  outlines: { area: number; overlap: number }[];
}

/** What one predictor's maps of some images say under every (view, threshold, outline ratio) of a grid: facts[view][threshold][ratio][image]. */
export interface CalibrationFacts {
  grid: CalibrationGrid;
  count: number;
  facts: ImageFacts[][][][];
}

/** One way of making the maps: the input sides (absent: the plan's own) and mirroring. */
interface View { sizes?: number[]; flip: boolean }

/** The grid's views in its order: each set of sizes (the plan's own when the grid names none), mirroring inside. */
function viewsOf(grid: CalibrationGrid): View[] {
  const sets: (number[] | undefined)[] = grid.sizes ?? [undefined];
  return sets.flatMap((sizes) => grid.flip.map((flip) => (sizes ? { sizes, flip } : { flip })));
}

/** How many times collectFacts predicts each image under a grid. */
export function passesOf(grid: CalibrationGrid): number {
  return viewsOf(grid).length;
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
  checkGrid(grid, cleanup);
  const ratios = grid.outlineRatios ?? [1];
  const views = viewsOf(grid);
  const facts = views.map(() => grid.thresholds.map(() => ratios.map((): ImageFacts[] => [])));
  const chunk = Math.max(1, predictor.size * 2);
  const total = count * views.length;
  let done = 0;
  for (let start = 0; start < count; start += chunk) {
    const batch = await Promise.all(Array.from({ length: Math.min(chunk, count - start) }, (_, k) => load(start + k)));
    for (const [vi, view] of views.entries()) {
      if (o.signal?.aborted) throw new SonoError('CANCELLED', 'calibration was cancelled');
      const maps = await predictor.predict(batch.map((b) => b.image), { ...plan, ...view });
      batch.forEach((item, k) => {
        grid.thresholds.forEach((t, ti) => imageFacts(maps[k]!, item.mask, t, ratios, cleanup).forEach((f, ri) => facts[vi]![ti]![ri]!.push(f)));
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
  const cleanup = o.cleanup ?? DEFAULT_CLEANUP;
  checkGrid(grid, cleanup);
  const pooled = (vi: number, ti: number, ri: number) => sets.flatMap((f) => f.facts[vi]![ti]![ri]!);
  const tried: SettingScore[] = [];
  viewsOf(grid).forEach((view, vi) => grid.thresholds.forEach((threshold, ti) => (grid.outlineRatios ?? [1]).forEach((outlineRatio, ri) => {
    const images = pooled(vi, ti, ri);
    for (const largestOnly of grid.largestOnly ?? [false]) {
      for (const minAreaFraction of grid.minAreaFractions ?? [cleanup.minAreaFraction]) {
        for (const minMeanProbability of grid.minMeanProbabilities) {
          const filter = { minMeanProbability, minAreaFraction, largestOnly };
          tried.push({ ...view, threshold, outlineRatio, ...filter, ...scoreSetting(images, filter) });
        }
      }
    }
  })));
  const objective = o.objective ?? { kind: 'diceAll' };
  const { chosen, met } = choose(tried, objective);
  const firstSizes = grid.sizes?.[0];
  const baselineIndex = tried.findIndex((s) => s.sizes === firstSizes && !s.flip && s.threshold === 0.5 && s.minMeanProbability === 0 &&
    s.minAreaFraction === cleanup.minAreaFraction && !s.largestOnly && s.outlineRatio === 1);
  const baseline = baselineIndex >= 0 ? tried[baselineIndex]! : tried[0]!;
  const n = sets.reduce((a, f) => a + f.count, 0);
  const { minMeanProbability, minAreaFraction, largestOnly, outlineRatio } = chosen;
  return { n, objective, met, chosen, baseline, tried, cleanup: { ...cleanup, minMeanProbability, minAreaFraction, largestOnly, outlineRatio } };
}

/** Refuses an empty grid, area filters below the clean-up's (its specks are gone from the facts) and outline ratios outside (0, 1]. */
function checkGrid(grid: CalibrationGrid, cleanup: Cleanup): void {
  const areas = grid.minAreaFractions ?? [cleanup.minAreaFraction];
  const ratios = grid.outlineRatios ?? [1];
  if (!grid.flip.length || grid.sizes?.length === 0 || !grid.thresholds.length || !grid.minMeanProbabilities.length || !areas.length ||
      !(grid.largestOnly ?? [false]).length || !ratios.length) {
    throw new SonoError('INVALID_ARGUMENT', 'the calibration grid is empty');
  }
  grid.sizes?.forEach((set) => checkSizes(set, 'INVALID_ARGUMENT'));
  const ratio = ratios.find((r) => !(r > 0 && r <= 1));
  if (ratio !== undefined) throw new SonoError('INVALID_ARGUMENT', `the grid's outline ratio ${ratio} must be in (0, 1]`);
  const below = areas.find((a) => !(a >= cleanup.minAreaFraction && a < 1));
  if (below !== undefined) {
    throw new SonoError('INVALID_ARGUMENT', `the grid's minimum lesion area ${below} must be in [${cleanup.minAreaFraction}, 1): the clean-up's own area filter is the smallest`);
  }
}

/** The best setting for the objective; grid order breaks ties (the first sizes, no mirroring, the listed thresholds, every lesion, the weaker filters first). */
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

/**
 * Threshold and clean the map as predictedMask does (without the filters) and keep, for each outline
 * ratio, its components' facts and the outlines they grow to (the components of the map at t × ratio,
 * holes filled as the clean-up says, that hold a component at t: growInto's).
 */
function imageFacts(prob: ProbabilityMap, truth: Mask, t: number, ratios: number[], cleanup: Cleanup): ImageFacts[] {
  const c = connectedComponents(cleanMask(thresholdMap(prob, t), cleanOptionsFor(prob.width, prob.height, cleanup)));
  const parts = Array.from({ length: c.count }, () => ({ area: 0, mean: 0, outline: 0 }));
  const atT = Array.from({ length: c.count }, () => ({ area: 0, overlap: 0 }));
  let truthArea = 0;
  for (let i = 0; i < c.labels.length; i++) {
    const inTruth = truth.data[i] !== 0;
    if (inTruth) truthArea++;
    const l = c.labels[i]!;
    if (l === 0) continue;
    parts[l - 1]!.area++;
    parts[l - 1]!.mean += prob.data[i]!;
    if (inTruth) atT[l - 1]!.overlap++;
  }
  parts.forEach((p, k) => { p.mean /= p.area; atT[k]!.area = p.area; });
  const pixels = prob.width * prob.height;
  return ratios.map((r) => {
    if (r === 1) return { pixels, truthArea, parts: parts.map((p, k) => ({ ...p, outline: k })), outlines: atT };
    const above = thresholdMap(prob, t * r);
    const low = connectedComponents(cleanup.fillHoles ? fillHoles(above) : above);
    // the outline of each part: the low component under it (a part lies inside one, as t × r <= t)
    const outlineOf = new Int32Array(low.count + 1).fill(-1);
    const outlines: { area: number; overlap: number }[] = [];
    const own = parts.map(() => -1);
    for (let i = 0; i < c.labels.length; i++) {
      const l = c.labels[i]!;
      if (l === 0 || own[l - 1]! >= 0) continue;
      own[l - 1] = low.labels[i]!;
    }
    // number the outlines in raster order of the low components, as predictedMask's largest-lesion tie-break sees them
    const used = [...new Set(own)].sort((a, b) => a - b);
    for (const g of used) { outlineOf[g] = outlines.length; outlines.push({ area: 0, overlap: 0 }); }
    for (let i = 0; i < low.labels.length; i++) {
      const o = outlineOf[low.labels[i]!]!;
      if (low.labels[i] === 0 || o < 0) continue;
      outlines[o]!.area++;
      if (truth.data[i] !== 0) outlines[o]!.overlap++;
    }
    return { pixels, truthArea, parts: parts.map((p, k) => ({ ...p, outline: outlineOf[own[k]!]! })), outlines };
  });
}

/**
 * Scores one filter: the kept outlines are those predictedMask draws (an outline is kept when a part
 * in it passes the filters; outlines are in raster order, as its largest-lesion tie-break), and the
 * confusion of a union of disjoint outlines is the sum of theirs, so this equals scoring the masks.
 */
export function scoreSetting(images: ImageFacts[], filter: Filter): Omit<SettingScore, keyof Setting> {
  let dice = 0, iou = 0, all = 0, lesions = 0, normals = 0, falseAlarms = 0;
  for (const im of images) {
    const minArea = minAreaPixels(filter.minAreaFraction, im.pixels);
    const kept = new Uint8Array(im.outlines.length);
    for (const p of im.parts) if (p.mean >= filter.minMeanProbability && p.area >= minArea) kept[p.outline] = 1;
    let area = 0, overlap = 0;
    im.outlines.forEach((o, k) => {
      if (!kept[k]) return;
      // largest only: a later outline replaces the kept one only when strictly larger (raster-order ties)
      if (filter.largestOnly) { if (o.area > area) { area = o.area; overlap = o.overlap; } return; }
      area += o.area;
      overlap += o.overlap;
    });
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
