import * as fs from 'node:fs';
import { resumeTraining, startTraining, type TrainHooks, type TrainOptionsInput, type TrainResult } from '../engine/train';
import { evaluateModelDir } from '../evaluation/evaluate-dataset';
import { evalJson, type EvalJson } from '../evaluation/summary';
import { cardFromRun, cardMetrics, registerRun } from './from-run';
import { calibrateCard } from './calibrate-model';
import type { ModelCard } from './card';
import type { ModelRegistry, ResolvedModel } from './registry';

export type TrainRequest =
  | { kind: 'start'; options: TrainOptionsInput; runDir: string }
  | { kind: 'resume'; runDir: string; epochs?: number };

export interface TrainModelOutcome {
  result: TrainResult;
  model: ResolvedModel;
  /** metrics of the registered model on the held-out split, at original image size */
  heldOut: EvalJson;
  heldOutSplit: 'test' | 'val';
}

/**
 * The whole training service behind the CLI and the training wizard: run (or resume) the loop, evaluate
 * choose the post-processing on validation images (when a test split exists), evaluate the best weights
 * on the held-out split (test, else validation) at original size with it, and add the model
 * with its card and log to the registry; optionally make it the active one.
 */
export async function trainModel(req: TrainRequest, registry: ModelRegistry, hooks: TrainHooks & { activate?: boolean; onEvaluate?: (done: number, total: number) => void; onCalibrate?: (done: number, total: number) => void } = {}): Promise<TrainModelOutcome> {
  const result = req.kind === 'start'
    ? await startTraining(req.options, req.runDir, hooks)
    : await resumeTraining(req.runDir, { epochs: req.epochs }, hooks);
  const weightsDir = fs.existsSync(result.paths.best) ? result.paths.best : result.paths.checkpoint;
  const split = result.data.test.length > 0 ? 'test' : 'val';
  const held = split === 'test' ? result.data.test : result.data.val;
  const o = result.options;
  let card: ModelCard;
  let heldOut: EvalJson;
  if (split === 'test' && result.data.val.length > 0) {
    // post-processing chosen on validation images, then the test images scored once with it
    const calibrated = await calibrateCard(cardFromRun(result, 0, null), weightsDir, result.data.val, held, {
      workers: o.workers, backend: o.backend, signal: hooks.signal,
      onProgress: (what, d, n) => (what === 'evaluating' ? hooks.onEvaluate?.(d, n) : hooks.onCalibrate?.(d, n)),
    });
    card = calibrated.card;
    heldOut = calibrated.heldOut!;
  } else {
    const threshold = 0.5;
    const outcome = await evaluateModelDir(weightsDir, o.plan, held, {
      threshold, workers: o.workers, backend: o.backend, signal: hooks.signal, onProgress: hooks.onEvaluate,
    });
    heldOut = evalJson(outcome.report, threshold, '', outcome.backend.backend);
    card = cardFromRun(result, outcome.params, cardMetrics(heldOut, split));
  }
  const model = registerRun(registry, result, card, weightsDir);
  if (hooks.activate) registry.activate(model.id);
  return { result, model, heldOut: { ...heldOut, modelId: model.id }, heldOutSplit: split };
}
