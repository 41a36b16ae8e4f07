import * as path from 'node:path';
import { SonoError } from '../common/errors';
import { describeEdge } from '../common/postprocess';
import { checkSizes } from '../engine/preprocess';
import { listDataset } from '../cases';
import type { BackendName } from '../engine/backend';
import { writeJsonAtomic } from '../fs/atomic';
import { calibrateCard, calibrateCardOutOfFold, CARD_FILE, type CalibratedCard, defaultLocations, ModelRegistry, outOfFoldFolds, resolveModel } from '../models';
import { tradeoffOf, type CalibrationObjective } from '../evaluation';
import { numberOption, parseArgs, stringOption } from './args';

export const usage = 'sonoseg calibrate --data <dir> (--split-file <csv> | --model <ensemble> --out-of-fold [--split-file <csv>]) [--model <id|dir>] [--max-normal-fp r] [--sizes "<sides>;<sides>…"] [--val-only] [--json] [--workers N] [--backend B]';

/**
 * `sonoseg calibrate`: choose a model's threshold, lesion filters (confidence, area, largest only) and mirror averaging on
 * the split file's validation images, score its test images once with the choice, and write both
 * into the model's card. Every front door then applies them. Test images never influence the choice.
 * `--val-only` skips the test images, for comparing candidates without looking at test each time;
 * the card's test figures are then cleared (they were measured with the old post-processing).
 * `--out-of-fold` (for an ensemble of cross-validation fold models, e.g. trained on
 * resources/splits/busi-cv4-fold*.csv with `--select last`): the choice is made on out-of-fold maps,
 * each member predicting the validation images its card says it held out (members that held out the
 * same images, e.g. two seeds of one fold, predict them as their mean); the split file then only
 * names the test images.
 */
export async function calibrateCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['data', 'split-file', 'model', 'workers', 'backend', 'max-normal-fp', 'sizes'], flags: ['json', 'val-only', 'out-of-fold'] });
  const data = stringOption(args, 'data');
  const splitFile = stringOption(args, 'split-file');
  const outOfFold = args.options['out-of-fold'] === true;
  const valOnly = args.options['val-only'] === true;
  if (!outOfFold && (!data || !splitFile)) throw new SonoError('INVALID_ARGUMENT', '--data <dir> and --split-file <csv> are required (validation images choose, test images report)');
  if (!data) throw new SonoError('INVALID_ARGUMENT', '--data <dir> is required');
  if (outOfFold && !splitFile && !valOnly) throw new SonoError('INVALID_ARGUMENT', 'with --out-of-fold, --split-file <csv> names the test images to score (or add --val-only)');
  const objective: CalibrationObjective = args.options['max-normal-fp'] === undefined ? { kind: 'diceAll' }
    : { kind: 'lesionDiceAtFp', maxNormalFp: numberOption(args, 'max-normal-fp', 0, (r) => r >= 0 && r <= 1) };
  const sizes = sizeSets(stringOption(args, 'sizes'));
  const model = resolveModel(stringOption(args, 'model'));
  if (model.shipped) {
    throw new SonoError('INVALID_ARGUMENT', `${model.id} is a shipped model and read-only; calibrate a workspace copy (sonoseg models import ${model.dir}).`);
  }
  const test = valOnly ? [] : await listDataset(data, { splitFile, split: 'test' });
  const run = {
    workers: args.options.workers ? numberOption(args, 'workers', 1, (n) => Number.isInteger(n) && n > 0) : undefined,
    backend: stringOption(args, 'backend') as BackendName | undefined,
    objective,
    sizes,
    onProgress: (what: string, d: number, n: number) => { if (process.stderr.isTTY) process.stderr.write(`\r${what} ${d}/${n}\x1b[K${d === n ? '\n' : ''}`); },
  };
  let selectedOnFold: string[] = [];
  let folds = 0;
  let out: CalibratedCard;
  if (outOfFold) {
    const cv = outOfFoldFolds(model.card, new ModelRegistry(defaultLocations()), await listDataset(data));
    selectedOnFold = cv.selectedOnFold;
    folds = cv.folds.length;
    out = await calibrateCardOutOfFold(model.card, model.dir, cv.folds, test, run);
  } else {
    const val = await listDataset(data, { splitFile, split: 'val' });
    if (val.length === 0) throw new SonoError('INVALID_ARGUMENT', `${splitFile} has no validation images`);
    out = await calibrateCard(model.card, model.dir, val, test, run);
  }
  writeJsonAtomic(path.join(model.dir, CARD_FILE), out.card);
  const { chosen, baseline } = out.calibration;
  const tradeoff = tradeoffOf(out.calibration.tried);
  if (args.options.json) {
    const on = { n: out.calibration.n, objective, met: out.calibration.met, chosen, baseline, tried: out.calibration.tried, tradeoff, ...(outOfFold ? { outOfFold: true, selectedOnFold } : {}) };
    process.stdout.write(JSON.stringify({ modelId: model.id, val: on, test: out.heldOut }) + '\n');
    return 0;
  }
  const f = (v: number | null) => (v === null ? 'n/a' : v.toFixed(4));
  const fp = (s: typeof chosen) => (s.normalFpInterval === null ? 'n/a'
    : `${Math.round(s.normalFpRate! * s.normalImages)}/${s.normalImages} (95 % CI ${s.normalFpInterval.low.toFixed(2)}–${s.normalFpInterval.high.toFixed(2)})`);
  const line = (name: string, s: typeof chosen) =>
    `${name.padEnd(9)} ${s.sizes ? `sizes ${s.sizes.join(',')}  ` : ''}mirror ${s.flip ? 'on ' : 'off'}  threshold ${s.threshold}  min mean p ${s.minMeanProbability}  min area ${s.minAreaFraction}  ${s.largestOnly ? 'largest lesion' : 'every lesion'}  edge at ${describeEdge(s.outlineRatio)}  Dice ${f(s.dice)}  IoU ${f(s.iou)}  Dice over all ${f(s.diceAll)}  normal FP ${fp(s)}\n`;
  const members = model.card.ensemble?.members.length ?? 0;
  const where = !outOfFold ? `${out.calibration.n} validation images`
    : `${out.calibration.n} validation images, out of fold (${folds} folds${members > folds ? `, ${members} members: each image on the mean map of its fold's` : ''})`;
  process.stdout.write(`${model.id}: ${where}\n${line('default', baseline)}${line('chosen', chosen)}`);
  if (tradeoff.length > 1) {
    process.stdout.write(`trade-off (normal images marked → best lesion Dice): ${tradeoff.map((p) => `${p.normalMarked} → ${p.dice.toFixed(3)}`).join(', ')}\n`);
  }
  if (selectedOnFold.length > 0) {
    process.stdout.write(`warning: ${selectedOnFold.join(', ')} chose ${selectedOnFold.length === 1 ? 'its checkpoint' : 'their checkpoints'} on the images ${selectedOnFold.length === 1 ? 'it is' : 'they are'} scored on here ` +
      '(trained without --select last): the out-of-fold figures are optimistic\n');
  }
  if (!out.calibration.met && objective.kind === 'lesionDiceAtFp') {
    process.stdout.write(`warning: no setting keeps the normal false-positive rate at or under ${objective.maxNormalFp}; kept the one with the fewest\n`);
  }
  const ci = chosen.normalFpInterval;
  if (ci && ci.high - ci.low > 0.15) {
    process.stdout.write(`note: with ${chosen.normalImages} normal validation image${chosen.normalImages === 1 ? '' : 's'} the false-positive rate on normal scans is known only to within ` +
      `${ci.low.toFixed(2)}–${ci.high.toFixed(2)}; more normal images in the validation split would narrow it\n`);
  }
  const t = out.heldOut;
  if (t) process.stdout.write(`test, ${t.n} images: Dice ${f(t.dice)}  IoU ${f(t.iou)}  normal FP ${f(t.normalFpRate)}  (written to the card)\n`);
  else if (valOnly) process.stdout.write('test not scored (--val-only); the card\'s test figures were cleared: score the model you choose once with `sonoseg eval --split test`\n');
  return 0;
}

/**
 * `--sizes "192;160,192,224"`: sets of input sides (separated by ';', sides by ','), each a way of
 * running the model that calibration tries (multi-scale averaging); absent: the model's own side.
 */
export function sizeSets(text: string | undefined): number[][] | undefined {
  if (text === undefined) return undefined;
  const sets = text.split(';').map((set) => set.split(',').map((n) => n.trim()));
  for (const set of sets) {
    const bad = set.find((n) => !/^\d+$/.test(n));
    if (bad !== undefined) throw new SonoError('INVALID_ARGUMENT', `--sizes takes sets of whole numbers like "192;160,192,224", got "${bad}" in "${text}"`);
  }
  const out = sets.map((set) => set.map(Number));
  out.forEach((set) => checkSizes(set, 'INVALID_ARGUMENT'));
  if (new Set(out.map((set) => set.join(','))).size !== out.length) throw new SonoError('INVALID_ARGUMENT', `--sizes lists a set twice: "${text}"`);
  return out;
}
