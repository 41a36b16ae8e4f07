import * as fs from 'node:fs';
import { resumeTraining, startTraining, type TrainHooks, type TrainOptionsInput, type TrainResult } from '../engine/train';
import { evaluateModelDir } from '../evaluation/evaluate-dataset';
import { evalJson, type EvalJson } from '../evaluation/summary';
import { cardFromRun, cardMetrics, registerRun } from './from-run';
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
 * the best weights on the held-out split (test, else validation) at original size, and add the model
 * with its card and log to the registry; optionally make it the active one.
 */
export async function trainModel(req: TrainRequest, registry: ModelRegistry, hooks: TrainHooks & { activate?: boolean; onEvaluate?: (done: number, total: number) => void } = {}): Promise<TrainModelOutcome> {
  const result = req.kind === 'start'
    ? await startTraining(req.options, req.runDir, hooks)
    : await resumeTraining(req.runDir, { epochs: req.epochs }, hooks);
  const weightsDir = fs.existsSync(result.paths.best) ? result.paths.best : result.paths.checkpoint;
  const split = result.data.test.length > 0 ? 'test' : 'val';
  const held = split === 'test' ? result.data.test : result.data.val;
  const o = result.options;
  const threshold = 0.5;
  const outcome = await evaluateModelDir(weightsDir, o.plan, held, {
    threshold, workers: o.workers, backend: o.backend, signal: hooks.signal, onProgress: hooks.onEvaluate,
  });
  const heldOut = evalJson(outcome.report, threshold, '', outcome.backend.backend);
  const card = cardFromRun(result, outcome.params, cardMetrics(heldOut, split));
  const model = registerRun(registry, result, card, weightsDir);
  if (hooks.activate) registry.activate(model.id);
  return { result, model, heldOut: { ...heldOut, modelId: model.id }, heldOutSplit: split };
}
