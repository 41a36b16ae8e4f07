import * as path from 'node:path';
import { isSonoError, SonoError } from '../common/errors';
import { DEFAULT_CLAHE } from '../common/clahe';
import { describeEdge } from '../common/postprocess';
import type { BackendName } from '../engine/backend';
import type { EncoderName } from '../engine/encoders/pretrained';
import { DEFAULT_AUGMENT, type AugmentOptions, type SelectOn, type TrainOptionsInput } from '../engine/train';
import { ModelRegistry, defaultLocations, resolveModel, trainModel, type TrainRequest } from '../models';
import { numberOption, parseArgs, stringOption, type ParsedArgs } from './args';
import { ProgressPrinter } from './train-progress';

export const usage = 'sonoseg train --data <dir> [--split-file <csv>] [--add-train <dir>]... [--epochs N] [--init <model>] [--out <runDir>] [--resume <runDir>] [--seed S] ' +
  '[--size 256] [--encoder mobilenetv2|mobilenetv2-140] [--output-stride 32|16] [--base 16] [--depth 4] [--batch 8] [--lr 1e-3] [--schedule cosine|plateau|constant] [--patience 10] [--sampling balanced|shuffle] [--select dice|diceAll|last] [--average 0] [--gate-loss 0] [--peak-loss 0] [--lovasz-loss 0] [--encoder-lr 1] [--deep-supervision] ' +
  '[--batch-norm] [--gate] [--dropout 0] [--augment key=value,…] [--no-augment] [--resize stretch|letterbox] [--antialias] [--clahe] [--normalization unit|zscore] [--workers N] [--backend B] [--activate] [--json]';

const VALUES = ['data', 'split-file', 'epochs', 'init', 'out', 'resume', 'seed', 'size', 'base', 'depth', 'batch', 'lr', 'schedule', 'select',
  'patience', 'sampling', 'dropout', 'resize', 'normalization', 'workers', 'backend', 'average', 'encoder', 'output-stride', 'gate-loss', 'peak-loss', 'lovasz-loss', 'augment', 'encoder-lr'];
/** Printed by `sonoseg train --help` under the layouts every dataset command reads. */
export const trainDetails = `
--add-train <dir> (repeatable): every image of <dir>, in any layout above, is a training image; validation
  and test stay those of --data. A split file inside <dir> is ignored; ids take <dir>'s name as a prefix.
  An added image with the pixels of a validation or test image is refused (a resized or JPEG copy is not found).
--clahe: contrast-limited adaptive histogram equalisation (8 × 8 regions, clip 2) of every input at the
  model's size; it is part of the model's plan, so eval, exports and the viewer prepare images the same way.`;

/** each --add-train names one more folder of training images */
const LISTS = ['add-train'];
const FLAGS = ['batch-norm', 'gate', 'deep-supervision', 'antialias', 'clahe', 'no-augment', 'activate', 'json'];

/** `sonoseg train`: trains (or resumes) a run, evaluates it on held-out images and registers the model. */
export async function trainCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: VALUES, flags: FLAGS, lists: LISTS });
  const loc = defaultLocations();
  const req = request(args, argv, loc.home);
  const printer = new ProgressPrinter(process.stderr);
  const ctl = new AbortController();
  const onSigint = () => {
    if (ctl.signal.aborted) process.exit(130);
    printer.line('stopping after this step (Ctrl-C again to quit at once)…');
    ctl.abort();
  };
  process.on('SIGINT', onSigint);
  printer.line(`run folder: ${req.runDir}`);
  try {
    const out = await trainModel(req, new ModelRegistry(loc), {
      signal: ctl.signal, activate: args.options.activate === true,
      onProgress: (p) => printer.update(p),
      onEpoch: (e) => printer.epoch(e),
      onCalibrate: (d, n) => { if (d === n) printer.line(`chose the threshold and clean-up on ${n / 2} validation images`); },
      onEvaluate: (d, n) => { if (d === n) printer.line(`evaluated ${n} held-out images at original size`); },
    });
    const h = out.heldOut;
    if (args.options.json) process.stdout.write(JSON.stringify({ ...h, modelId: out.model.id, runDir: req.runDir, heldOutSplit: out.heldOutSplit }) + '\n');
    else {
      process.stdout.write(`model ${out.model.id} (${out.model.dir})\n`);
      const pp = out.model.card.postprocess;
      if (pp) process.stdout.write(`post-processing (chosen on val): threshold ${pp.threshold}, minimum mean lesion probability ${pp.cleanup.minMeanProbability}, minimum lesion area ${pp.cleanup.minAreaFraction} of the image, ${pp.cleanup.largestOnly ? 'largest lesion only' : 'every lesion'}, edges at ${describeEdge(pp.cleanup.outlineRatio)}, mirror averaging ${out.model.card.plan.flip ? 'on' : 'off'}\n`);
      process.stdout.write(`${out.heldOutSplit} set, ${h.n} images at original size: Dice ${fmt(h.dice)}  IoU ${fmt(h.iou)}  AUC ${fmt(h.auc)}  normal FP rate ${fmt(h.normalFpRate)}\n`);
      if (!args.options.activate) process.stdout.write(`make it the active model with: sonoseg models activate ${out.model.id}\n`);
    }
    return 0;
  } catch (e) {
    if (isSonoError(e) && e.code === 'CANCELLED') {
      printer.line(`cancelled: ${e.message}. Continue with: sonoseg train --resume ${req.runDir}`);
      return 130;
    }
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

function request(args: ParsedArgs, argv: string[], home: string): TrainRequest & { runDir: string } {
  const resume = stringOption(args, 'resume');
  if (resume) {
    const allowed = new Set(['resume', 'epochs', 'activate', 'json']);
    const extra = [...Object.keys(args.options), ...Object.keys(args.lists)].filter((k) => !allowed.has(k));
    if (extra.length) throw new SonoError('INVALID_ARGUMENT', `--resume repeats the run's own options; only --epochs may change (not --${extra.join(', --')})`);
    const epochs = args.options.epochs ? numberOption(args, 'epochs', 0, (n) => Number.isInteger(n) && n > 0) : undefined;
    return { kind: 'resume', runDir: path.resolve(resume), epochs };
  }
  const data = stringOption(args, 'data');
  if (!data) throw new SonoError('INVALID_ARGUMENT', '--data <dir> is required (or --resume <runDir>)');
  const runDir = path.resolve(stringOption(args, 'out') ?? path.join(home, 'runs', new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)));
  return { kind: 'start', runDir, options: options(args, argv, data) };
}

function options(args: ParsedArgs, argv: string[], data: string): TrainOptionsInput {
  const positive = (n: number) => Number.isInteger(n) && n > 0;
  const init = stringOption(args, 'init');
  const model = init ? resolveModel(init) : undefined;
  // --init with another --size: the same weights at a new input size (a U-Net's kernels do not depend on it)
  const size = numberOption(args, 'size', model ? model.plan.inputSize : 256, positive);
  const gate = args.options.gate === true;
  if (model && (size !== model.plan.inputSize || gate) && !model.card.architecture.unet) {
    throw new SonoError('INVALID_ARGUMENT', `${model.id} does not record its U-Net configuration, so it cannot be rebuilt ${gate ? 'with a gate' : `at ${size}×${size}`}`);
  }
  return {
    data: path.resolve(data),
    splitFile: stringOption(args, 'split-file'),
    ...(args.lists['add-train'] ? { addTrain: args.lists['add-train'].map((d) => path.resolve(d)) } : {}),
    epochs: numberOption(args, 'epochs', 50, positive),
    init: model?.dir,
    initId: model?.id,
    initImported: model ? !model.card.architecture.unet : undefined,
    initArchitecture: model?.card.architecture.name,
    unet: model ? { ...(model.card.architecture.unet ?? {}), inputSize: size, ...(gate ? { gate } : {}) } : {
      inputSize: size, baseFilters: numberOption(args, 'base', 16, positive), depth: numberOption(args, 'depth', 4, positive),
      batchNorm: args.options['batch-norm'] === true, dropout: numberOption(args, 'dropout', 0), gate,
      ...(stringOption(args, 'encoder') ? { encoder: stringOption(args, 'encoder') as EncoderName } : {}),
      ...(args.options['output-stride'] !== undefined ? { outputStride: numberOption(args, 'output-stride', 32) as 16 | 32 } : {}),
    },
    plan: model ? {
      resize: model.plan.resize, normalization: model.plan.normalization, inputSize: size, ...(model.plan.antialias ? { antialias: true } : {}),
      ...(model.plan.clahe ? { clahe: { ...model.plan.clahe } } : {}),
    } : {
      resize: (stringOption(args, 'resize') ?? 'stretch') as 'stretch', normalization: (stringOption(args, 'normalization') ?? 'unit') as 'unit',
      ...(args.options['antialias'] === true ? { antialias: true } : {}),
      ...(args.options['clahe'] === true ? { clahe: { ...DEFAULT_CLAHE } } : {}),
    },
    batch: numberOption(args, 'batch', 8, positive),
    lr: numberOption(args, 'lr', 1e-3, (n) => n > 0 && n < 1),
    schedule: (stringOption(args, 'schedule') ?? 'cosine') as 'cosine',
    patience: numberOption(args, 'patience', 10, (n) => Number.isInteger(n) && n >= 0),
    sampling: (stringOption(args, 'sampling') ?? 'balanced') as 'balanced',
    selectOn: (stringOption(args, 'select') ?? 'dice') as SelectOn,
    average: numberOption(args, 'average', 0),
    gateLoss: numberOption(args, 'gate-loss', 0),
    peakLoss: numberOption(args, 'peak-loss', 0),
    lovaszLoss: numberOption(args, 'lovasz-loss', 0),
    encoderLr: numberOption(args, 'encoder-lr', 1),
    deepSupervision: args.options['deep-supervision'] === true,
    augment: augmentOption(args),
    seed: numberOption(args, 'seed', 1, (n) => Number.isInteger(n) && n >= 0),
    workers: args.options.workers ? numberOption(args, 'workers', 1, positive) : undefined,
    backend: stringOption(args, 'backend') as BackendName | undefined,
    command: ['sonoseg', 'train', ...argv].map(quote).join(' '),
  };
}

/**
 * `--augment rotateDeg=20,scale=0.2`: augmentation settings that differ from the defaults (the keys of
 * AugmentOptions; ranges are checked with the rest of the options). `--no-augment` turns it off.
 */
export function augmentOption(args: ParsedArgs): Partial<AugmentOptions> | false {
  const text = stringOption(args, 'augment');
  if (args.options['no-augment'] === true) {
    if (text !== undefined) throw new SonoError('INVALID_ARGUMENT', '--augment and --no-augment contradict each other');
    return false;
  }
  if (text === undefined) return {};
  const keys = Object.keys(DEFAULT_AUGMENT) as (keyof AugmentOptions)[];
  const out: Partial<AugmentOptions> = {};
  for (const part of text.split(',')) {
    const m = /^\s*(\w+)\s*=\s*([^=\s]+)\s*$/.exec(part);
    if (!m) throw new SonoError('INVALID_ARGUMENT', `--augment takes key=value pairs separated by commas, e.g. rotateDeg=20,scale=0.2; got "${part}"`);
    const key = m[1] as keyof AugmentOptions;
    if (!keys.includes(key)) throw new SonoError('INVALID_ARGUMENT', `--augment: unknown setting "${m[1]}" (one of ${keys.join(', ')})`);
    if (key in out) throw new SonoError('INVALID_ARGUMENT', `--augment: ${key} is given twice`);
    const value = Number(m[2]);
    if (!Number.isFinite(value)) throw new SonoError('INVALID_ARGUMENT', `--augment: ${key} must be a number, got "${m[2]}"`);
    out[key] = value;
  }
  return out;
}

function quote(s: string): string {
  return /^[\w./=:@-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function fmt(v: number | null): string {
  return v === null ? 'n/a' : v.toFixed(4);
}
