import * as fs from 'node:fs';
import * as path from 'node:path';
import { SonoError } from '../../common/errors';
import { writeJsonAtomic } from '../../fs/atomic';
import type { TrainOptions } from './options';

/**
 * A run folder: run.json (the options, so --resume repeats the run), log.jsonl (one line per epoch),
 * checkpoint/ (the last finished epoch) and best/ (the weights with the best validation Dice).
 */
export interface RunPaths {
  dir: string;
  runJson: string;
  log: string;
  checkpoint: string;
  best: string;
}

export interface RunRecord {
  version: 1;
  createdAt: string;
  options: TrainOptions;
  /** datasetHash of the training images when the run started; a resumed run checks it */
  trainHash: string;
}

export function runPaths(dir: string): RunPaths {
  const d = path.resolve(dir);
  return {
    dir: d,
    runJson: path.join(d, 'run.json'),
    log: path.join(d, 'log.jsonl'),
    checkpoint: path.join(d, 'checkpoint'),
    best: path.join(d, 'best'),
  };
}

export function writeRunRecord(p: RunPaths, record: RunRecord): void {
  fs.mkdirSync(p.dir, { recursive: true });
  writeJsonAtomic(p.runJson, record);
}

export function readRunRecord(p: RunPaths): RunRecord {
  if (!fs.existsSync(p.runJson)) throw new SonoError('FILE_NOT_FOUND', `${p.dir} is not a training run folder (no run.json).`);
  try {
    const r = JSON.parse(fs.readFileSync(p.runJson, 'utf8')) as RunRecord;
    if (r.version !== 1 || !r.options) throw new Error('unknown layout');
    return r;
  } catch (e) {
    throw new SonoError('CORRUPT_FILE', `run.json in ${p.dir} is damaged: ${(e as Error).message}`, { cause: e });
  }
}

/** A new run's folder must not hold another run: a second start would overwrite its checkpoints. */
export function assertFreshRunDir(p: RunPaths): void {
  if (fs.existsSync(p.runJson)) {
    throw new SonoError('INVALID_ARGUMENT', `${p.dir} already holds a training run; continue it with --resume ${p.dir} or choose another --out.`);
  }
}
