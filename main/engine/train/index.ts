/**
 * main/engine/train: the public face of training. startTraining begins a run in a fresh folder;
 * resumeTraining continues one from its last checkpoint with the options saved in its run.json.
 */
import { validateTrainOptions, type TrainOptions, type TrainOptionsInput } from './options';
import { readRunRecord, runPaths } from './run-files';
import { runTraining, type TrainHooks, type TrainResult } from './trainer';

export async function startTraining(input: TrainOptionsInput, runDir: string, hooks?: TrainHooks): Promise<TrainResult> {
  return runTraining(validateTrainOptions(input), runPaths(runDir), hooks, true);
}

/** `epochs` may extend a finished run; every other option comes from the run's own run.json. */
export async function resumeTraining(runDir: string, overrides: { epochs?: number } = {}, hooks?: TrainHooks): Promise<TrainResult> {
  const paths = runPaths(runDir);
  const record = readRunRecord(paths);
  const epochs = overrides.epochs ?? record.options.epochs;
  // a changed epoch count is part of how the model came to be: the card's command must say so
  const command = epochs !== record.options.epochs && record.options.command
    ? `${record.options.command} && sonoseg train --resume ${runDir} --epochs ${epochs}` : record.options.command;
  const o: TrainOptions = validateTrainOptions({ ...record.options, epochs, command });
  return runTraining(o, paths, hooks, false);
}

export { validateTrainOptions, type SelectOn, type TrainOptions, type TrainOptionsInput } from './options';
export { runPaths, readRunRecord, type RunPaths, type RunRecord } from './run-files';
export { readLog, LOG_FILE, type EpochLog } from './run-log';
export type { TrainHooks, TrainProgress, TrainResult } from './trainer';
export { DEFAULT_AUGMENT, NO_AUGMENT, type AugmentOptions } from './augment-params';
export type { Sampling } from './sampler';
export type { ScheduleKind } from './schedule';
