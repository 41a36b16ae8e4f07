import { SonoError } from '../common/errors';
import type { GrayImage, Mask } from '../common/image';
import { MetricAccumulator, type EvaluationReport } from '../common/accumulator';
import type { PreprocessPlan } from '../engine/preprocess';
import { DEFAULT_CLEANUP, predictedMask, type Cleanup } from '../common/postprocess';
import { thumbnailOf, type Thumbnail } from './thumbnail';

/** Anything that turns images into probability maps at their own size (the engine pool). */
export interface Predictor {
  readonly size: number;
  predict(images: GrayImage[], plan: PreprocessPlan): Promise<{ width: number; height: number; data: Float32Array }[]>;
}

export interface EvalImage {
  id: string;
  className: string;
  image: GrayImage;
  mask: Mask;
}

export interface EvalOptions {
  threshold: number;
  cleanup?: Cleanup;
  /** keep a thumbnail of this largest side per image for the report (0 = none) */
  thumbnailSide?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface ImageOutcome {
  id: string;
  className: string;
  dice: number;
  iou: number;
  truthEmpty: boolean;
  lesionFound: boolean;
  thumbnail?: Thumbnail;
}

export interface EvalOutcome {
  report: EvaluationReport;
  images: ImageOutcome[];
}

/**
 * Predicts every image (loaded a few at a time by `load`) and scores it with MetricAccumulator
 * (common/accumulator.ts holds every definition). Maps come back at each image's own size, so the
 * metrics are at the resolution they are given: original size in `sonoseg eval`.
 */
export async function evaluateImages(
  predictor: Predictor, plan: PreprocessPlan, count: number, load: (i: number) => Promise<EvalImage>, o: EvalOptions,
): Promise<EvalOutcome> {
  const acc = new MetricAccumulator(1024);
  const images: ImageOutcome[] = [];
  const chunk = Math.max(1, predictor.size * 2);
  for (let start = 0; start < count; start += chunk) {
    if (o.signal?.aborted) throw new SonoError('CANCELLED', 'evaluation was cancelled');
    const batch = await Promise.all(Array.from({ length: Math.min(chunk, count - start) }, (_, k) => load(start + k)));
    const maps = await predictor.predict(batch.map((b) => b.image), plan);
    batch.forEach((item, k) => images.push(score(acc, item, maps[k]!, o)));
    o.onProgress?.(images.length, count);
  }
  return { report: acc.report(), images };
}

function score(acc: MetricAccumulator, item: EvalImage, probability: { width: number; height: number; data: Float32Array }, o: EvalOptions): ImageOutcome {
  const prediction = predictedMask(probability, o.threshold, o.cleanup ?? DEFAULT_CLEANUP);
  const r = acc.add({ probability, truth: item.mask, threshold: o.threshold, label: item.className, prediction });
  const out: ImageOutcome = { id: item.id, className: item.className, dice: r.dice, iou: r.iou, truthEmpty: r.truthEmpty, lesionFound: r.lesionFound };
  if (o.thumbnailSide) out.thumbnail = thumbnailOf(item.image, item.mask, prediction, o.thumbnailSide);
  return out;
}
