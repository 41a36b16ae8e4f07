import type { ImageResult } from '../common/accumulator';
import { Rng } from '../engine/train/rng';

/**
 * Percentile-bootstrap 95 % intervals for the per-image figures of an evaluation, so a reader can tell
 * a real difference from the luck of which images were held out. Lesion images and empty-truth
 * (normal) images are resampled separately, each with replacement and at its own count, so every
 * resample has as many of each as the evaluation had: Dice and IoU are means over the lesion
 * images, the normal false-positive rate a fraction of the normal images. Seeded: the same images
 * give the same interval.
 */
export interface Interval {
  low: number;
  high: number;
}

export interface Intervals {
  level: 0.95;
  resamples: number;
  dice: Interval | null;
  iou: Interval | null;
  normalFpRate: Interval | null;
}

export function bootstrapIntervals(images: readonly ImageResult[], o: { resamples?: number; seed?: number } = {}): Intervals {
  const resamples = o.resamples ?? 2000;
  const rng = new Rng(o.seed ?? 1);
  const lesion = images.filter((r) => !r.truthEmpty);
  const normal = images.filter((r) => r.truthEmpty);
  const dice = lesion.map((r) => r.dice), iou = lesion.map((r) => r.iou);
  const fp = normal.map((r) => (r.lesionFound ? 1 : 0));
  const means = { dice: [] as number[], iou: [] as number[], fp: [] as number[] };
  for (let b = 0; b < resamples; b++) {
    let d = 0, u = 0, f = 0;
    for (let i = 0; i < lesion.length; i++) {
      const k = rng.nextUint32() % lesion.length;
      d += dice[k]!;
      u += iou[k]!;
    }
    for (let i = 0; i < normal.length; i++) f += fp[rng.nextUint32() % normal.length]!;
    if (lesion.length) { means.dice.push(d / lesion.length); means.iou.push(u / lesion.length); }
    if (normal.length) means.fp.push(f / normal.length);
  }
  return { level: 0.95, resamples, dice: percentiles(means.dice), iou: percentiles(means.iou), normalFpRate: percentiles(means.fp) };
}

/** The 2.5th and 97.5th percentiles (nearest rank); null for no values. */
function percentiles(values: number[]): Interval | null {
  if (values.length === 0) return null;
  const s = values.slice().sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
  return { low: at(0.025), high: at(0.975) };
}
