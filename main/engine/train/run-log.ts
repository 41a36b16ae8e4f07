import * as fs from 'node:fs';
import * as path from 'node:path';
import { SonoError } from '../../common/errors';
import { writeAtomic } from '../../fs/atomic';

/** One line of a run's log.jsonl: what one epoch did. */
export interface EpochLog {
  /** 1-based */
  epoch: number;
  /** mean training loss (Dice + BCE) over the epoch's steps */
  loss: number;
  /** validation at the model's input size (see data.ts): Dice and IoU over images with a lesion */
  valDice: number | null;
  valIou: number | null;
  /** mean Dice over all validation images, empty-vs-empty counting 1 */
  valDiceAll: number | null;
  /** learning rate at the epoch's last step */
  lr: number;
  seconds: number;
  /** this epoch's weights are the best so far */
  best: boolean;
  /** with weight averaging: the average weights' validation, and whether they are the best so far */
  average?: { valDice: number | null; valIou: number | null; valDiceAll: number | null; best: boolean };
  at: string;
}

export const LOG_FILE = 'log.jsonl';

export function readLog(file: string): EpochLog[] {
  if (!fs.existsSync(file)) return [];
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
  return lines.map((l, i) => {
    try {
      return JSON.parse(l) as EpochLog;
    } catch (e) {
      throw new SonoError('CORRUPT_FILE', `${path.basename(file)} line ${i + 1} is not valid JSON`, { cause: e });
    }
  });
}

/** Rewrites the whole log (small) atomically with `entries`: a kill never leaves half a line. */
export function writeLog(file: string, entries: EpochLog[]): void {
  writeAtomic(file, entries.map((e) => JSON.stringify(e)).join('\n') + (entries.length ? '\n' : ''));
}

export function appendLog(file: string, entry: EpochLog): void {
  writeLog(file, [...readLog(file).filter((e) => e.epoch < entry.epoch), entry]);
}
