import * as fs from 'node:fs';
import * as path from 'node:path';
import { SonoError } from '../common/errors';
import { listDataset, SPLITS, type Split, type Unmasked } from '../cases';
import type { BackendName } from '../engine/backend';
import { readLog } from '../engine/train';
import { evalJson, evaluateModelDir, validateThreshold, writeReport, type EvalJson, type Interval } from '../evaluation';
import { policyOf, resolveModel } from '../models';
import { numberOption, parseArgs, stringOption } from './args';

export const usage = 'sonoseg eval --data <dir> [--split-file <csv> --split test] [--model <id|dir>] [--threshold t] [--unmasked error|normal] [--json] [--report <dir>] [--workers N] [--backend B]';

/** `sonoseg eval`: metrics of a model on a dataset at original image size, as JSON or text, optionally an HTML report. */
export async function evalCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['data', 'split-file', 'split', 'model', 'threshold', 'report', 'workers', 'backend', 'unmasked'], flags: ['json'] });
  const data = stringOption(args, 'data');
  if (!data) throw new SonoError('INVALID_ARGUMENT', '--data <dir> is required');
  const split = stringOption(args, 'split') as Split | undefined;
  if (split && !SPLITS.includes(split)) throw new SonoError('INVALID_ARGUMENT', `--split must be one of ${SPLITS.join(', ')}`);
  const splitFile = stringOption(args, 'split-file');
  if (split && !splitFile) throw new SonoError('INVALID_ARGUMENT', '--split needs --split-file');
  const unmasked = (stringOption(args, 'unmasked') ?? 'error') as Unmasked;
  if (unmasked !== 'error' && unmasked !== 'normal') throw new SonoError('INVALID_ARGUMENT', `--unmasked must be error or normal, got ${String(unmasked)}`);
  const model = resolveModel(stringOption(args, 'model'));
  // the model's own threshold and clean-up (chosen on validation images), unless --threshold overrides
  const policy = policyOf(model.card);
  const threshold = validateThreshold(numberOption(args, 'threshold', policy.threshold));
  // without --split-file every image in the folder counts, even when the folder has a splits.csv
  const items = await listDataset(data, { splitFile: splitFile ?? false, split, unmasked });
  const withoutMask = items.filter((it) => it.maskPaths.length === 0).length;
  if (withoutMask > 0) process.stderr.write(`${withoutMask} of ${items.length} images have no mask file: counted as images without a lesion (--unmasked normal)\n`);
  const reportDir = stringOption(args, 'report');
  const outcome = await evaluateModelDir(model.dir, model.plan, items, {
    threshold,
    cleanup: policy.cleanup,
    workers: args.options.workers ? numberOption(args, 'workers', 1, (n) => Number.isInteger(n) && n > 0) : undefined,
    backend: stringOption(args, 'backend') as BackendName | undefined,
    thumbnailSide: reportDir ? 200 : 0,
    onProgress: (d, n) => { if (process.stderr.isTTY) process.stderr.write(`\revaluating ${d}/${n}\x1b[K${d === n ? '\n' : ''}`); },
  });
  const summary = evalJson(outcome.report, threshold, model.id, outcome.backend.backend);
  if (args.options.json) process.stdout.write(JSON.stringify(summary) + '\n');
  else process.stdout.write(text(summary));
  if (reportDir) {
    const logFile = path.join(model.dir, 'log.jsonl');
    const file = await writeReport({
      dir: path.resolve(reportDir), summary, report: outcome.report, images: outcome.images,
      log: fs.existsSync(logFile) ? readLog(logFile) : null,
      noLog: model.card.ensemble ? `An ensemble of ${model.card.ensemble.members.length} models trained separately (${model.card.ensemble.members.map((m) => m.id).join(', ')}): ` +
        'each member\'s training log is in its own run folder, and the card records its command.' : undefined,
      facts: [['dataset', path.resolve(data)], ['split', split ?? 'all images'], ['images', String(items.length)],
        ['model', `${model.id} (${model.dir})`], ['plan', JSON.stringify(model.plan)], ['clean-up', JSON.stringify(policy.cleanup)], ['backend', outcome.backend.backend]],
    });
    process.stderr.write(`report: ${file}\n`);
  }
  return 0;
}

function interval(i: Interval | null): string {
  return i ? `${i.low.toFixed(3)}–${i.high.toFixed(3)}` : 'n/a';
}

function text(s: EvalJson): string {
  const f = (v: number | null) => (v === null ? 'n/a' : v.toFixed(4));
  const line = (name: string, m: EvalJson['perClass'][string]) => m
    ? `${name.padEnd(10)} n=${String(m.n).padEnd(5)} Dice ${f(m.dice)}  IoU ${f(m.iou)}  precision ${f(m.precision)}  recall ${f(m.recall)}  F1 ${f(m.f1)}  accuracy ${f(m.accuracy)}  AUC ${f(m.auc)}\n`
    : `${name.padEnd(10)} no images\n`;
  return line('all', s) + Object.entries(s.perClass).map(([k, m]) => line(k, m)).join('') +
    `confusion  TP ${s.confusion.tp}  FP ${s.confusion.fp}  FN ${s.confusion.fn}  TN ${s.confusion.tn}\n` +
    `normal images with a false lesion: ${f(s.normalFpRate)}\n` +
    `95 % bootstrap intervals: Dice ${interval(s.ci95.dice)}  IoU ${interval(s.ci95.iou)}  normal false-positive rate ${interval(s.ci95.normalFpRate)}\n` +
    `threshold ${s.threshold}  model ${s.modelId}  backend ${s.backend}\n`;
}
