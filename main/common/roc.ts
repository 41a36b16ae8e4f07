import { SonoError } from './errors';

/**
 * ROC over pooled pixels from two histograms of scores (lesion pixels, background pixels), so
 * millions of pixels cost two arrays of `bins` counters instead of a sort.
 *
 * A score p in [0, 1] falls in bin round(p · (bins − 1)) (values outside [0, 1] are clamped). The
 * app's probabilities are 8-bit (k / 255): with 256 bins each value has its own bin, and with more
 * bins distinct values still never share one, so the AUC is exact for them. Pixels in the same bin
 * are ties and count ½, as in the Mann–Whitney statistic; the trapezoid rule over the curve gives
 * the same number.
 */
export interface RocPoint {
  /** bin value: pixels whose score falls in this bin or a higher one are called lesion */
  threshold: number;
  /** false-positive rate, fp / (fp + tn) */
  fpr: number;
  /** true-positive rate, tp / (tp + fn) */
  tpr: number;
}

export class ScoreHistogram {
  readonly bins: number;
  /** counts of lesion pixels per bin (Float64: exact integer counts up to 2^53) */
  readonly positives: Float64Array;
  /** counts of background pixels per bin */
  readonly negatives: Float64Array;

  constructor(bins = 1024) {
    if (!Number.isInteger(bins) || bins < 2) {
      throw new SonoError('INVALID_ARGUMENT', `A score histogram needs at least 2 bins, not ${bins}.`);
    }
    this.bins = bins;
    this.positives = new Float64Array(bins);
    this.negatives = new Float64Array(bins);
  }

  binOf(p: number): number {
    const top = this.bins - 1;
    if (p <= 0) return 0;
    if (p >= 1) return top;
    const b = Math.round(p * top);
    if (Number.isNaN(b)) throw new SonoError('INVALID_ARGUMENT', 'A probability is not a number.');
    return b;
  }

  /** Adds every pixel: scores[i] with label truth[i] (non-zero = lesion). */
  add(scores: ArrayLike<number>, truth: ArrayLike<number>): void {
    if (scores.length !== truth.length) {
      throw new SonoError('INVALID_ARGUMENT', `${scores.length} scores but ${truth.length} labels.`);
    }
    for (let i = 0; i < scores.length; i++) {
      const b = this.binOf(scores[i]!);
      if (truth[i] !== 0) this.positives[b]!++; else this.negatives[b]!++;
    }
  }

  merge(other: ScoreHistogram): void {
    if (other.bins !== this.bins) throw new SonoError('INVALID_ARGUMENT', 'Histograms with different bins.');
    for (let b = 0; b < this.bins; b++) {
      this.positives[b]! += other.positives[b]!;
      this.negatives[b]! += other.negatives[b]!;
    }
  }

  totals(): { positives: number; negatives: number } {
    let p = 0, n = 0;
    for (let b = 0; b < this.bins; b++) { p += this.positives[b]!; n += this.negatives[b]!; }
    return { positives: p, negatives: n };
  }

  /**
   * Area under the ROC curve: the probability that a random lesion pixel scores above a random
   * background pixel, ties counting ½. Null when either class has no pixels.
   */
  auc(): number | null {
    const { positives: P, negatives: N } = this.totals();
    if (P === 0 || N === 0) return null;
    let below = 0, pairs = 0;
    for (let b = 0; b < this.bins; b++) {
      pairs += this.positives[b]! * (below + 0.5 * this.negatives[b]!);
      below += this.negatives[b]!;
    }
    return pairs / (P * N);
  }

  /** ROC points from (0, 0) to (1, 1), one per occupied bin, thresholds decreasing. Empty if undefined. */
  curve(): RocPoint[] {
    const { positives: P, negatives: N } = this.totals();
    if (P === 0 || N === 0) return [];
    const top = this.bins - 1;
    // the first point's threshold lies above every bin (a finite number survives JSON)
    const out: RocPoint[] = [{ threshold: 1 + 1 / top, fpr: 0, tpr: 0 }];
    let tp = 0, fp = 0;
    for (let b = top; b >= 0; b--) {
      if (this.positives[b] === 0 && this.negatives[b] === 0) continue;
      tp += this.positives[b]!;
      fp += this.negatives[b]!;
      out.push({ threshold: b / top, fpr: fp / N, tpr: tp / P });
    }
    return out;
  }
}

/** Area under a curve of points ordered by fpr, by the trapezoid rule. */
export function trapezoidArea(curve: readonly RocPoint[]): number {
  let a = 0;
  for (let i = 1; i < curve.length; i++) {
    a += (curve[i]!.fpr - curve[i - 1]!.fpr) * (curve[i]!.tpr + curve[i - 1]!.tpr) / 2;
  }
  return a;
}
