import type { DatasetItem } from '../cases';
import type { BackendName } from '../engine/backend';
import { calibrateModelDir, describeObjective, evaluateModelDir, evalJson, type Calibration, type CalibrationObjective, type EvalJson } from '../evaluation';
import { cardMetrics } from './from-run';
import type { CardPostprocess, ModelCard } from './card';

export interface CalibratedCard {
  card: ModelCard;
  calibration: Calibration & { params: number };
  /** the held-out split scored again with the chosen setting (null when none was given) */
  heldOut: EvalJson | null;
}

/**
 * Chooses a model's threshold, confidence filter and mirror averaging on validation images, then
 * scores the held-out images with that choice so the card's metrics describe what the app does.
 * The held-out images play no part in the choice.
 */
export async function calibrateCard(
  card: ModelCard, modelDir: string, val: DatasetItem[], heldOut: DatasetItem[],
  o: { workers?: number; backend?: BackendName; objective?: CalibrationObjective; signal?: AbortSignal; onProgress?: (what: string, done: number, total: number) => void } = {},
): Promise<CalibratedCard> {
  const run = { workers: o.workers, backend: o.backend, signal: o.signal };
  const calibration = await calibrateModelDir(modelDir, card.plan, val, { ...run, objective: o.objective, onProgress: (d, n) => o.onProgress?.('calibrating', d, n) });
  const c = calibration.chosen;
  const score = (s: Calibration['chosen']) => ({ dice: s.dice, iou: s.iou, diceAll: s.diceAll, normalFpRate: s.normalFpRate });
  const postprocess: CardPostprocess = {
    threshold: c.threshold,
    cleanup: calibration.cleanup,
    chosenOn: {
      split: 'val', n: calibration.n, objective: describeObjective(calibration.objective) + (calibration.met ? '' : ' (not met: fewest false positives kept)'), ...score(c),
      normalImages: c.normalImages, normalFpInterval: c.normalFpInterval, before: score(calibration.baseline),
    },
  };
  const plan = { ...card.plan, flip: c.flip };
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
