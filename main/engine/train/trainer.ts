import { SonoError } from '../../common/errors';
import type { LoadedItem } from '../../cases';
import { evaluateImages } from '../../evaluation/evaluate';
import { replaceDir, stagingDir } from '../../fs/atomic';
import type { BackendInfo } from '../backend';
import { PRETRAINED } from '../encoders/pretrained';
import { EnginePool } from '../pool';
import { drawAugment, IDENTITY_AUGMENT } from './augment-params';
import { readAverage, readCheckpoint, restoreCheckpoint, saveCheckpoint, type LoopState } from './checkpoint';
import { loadAll, splitDataset, validationCopy, type RunData } from './data';
import type { SelectOn, TrainOptions } from './options';
import { appendLog, readLog, writeLog, type EpochLog } from './run-log';
import { assertFreshRunDir, readRunRecord, writeRunRecord, type RunPaths } from './run-files';
import { Rng } from './rng';
import { batches, epochOrder } from './sampler';
import { afterEpoch, learningRate, newSchedule } from './schedule';

export interface TrainProgress {
  phase: 'load' | 'train' | 'validate';
  epoch: number;
  epochs: number;
  step: number;
  steps: number;
  /** running mean loss of the epoch so far */
  loss: number | null;
  lr: number | null;
  etaSeconds: number | null;
}

export interface TrainHooks {
  onProgress?: (p: TrainProgress) => void;
  onEpoch?: (e: EpochLog) => void;
  signal?: AbortSignal;
}

export interface TrainResult {
  options: TrainOptions;
  paths: RunPaths;
  data: RunData;
  backend: BackendInfo;
  state: LoopState;
  log: EpochLog[];
}

/** What one run session holds in memory. */
interface Session {
  o: TrainOptions;
  paths: RunPaths;
  pool: EnginePool;
  train: LoadedItem[];
  classes: string[];
  val: { id: string; className: string; image: LoadedItem['image']; mask: LoadedItem['mask'] }[];
  hooks: TrainHooks;
  timing: { stepSeconds: number[]; valSeconds: number[] };
  /** with weight averaging: the running average of the epoch-end weights (model order) */
  average: Float32Array[] | null;
  /** indices into train of the images with lesion pixels: the donors carving draws from */
  lesions: number[];
}

/**
 * The training loop over a run folder: starts fresh or from the folder's checkpoint, trains epoch by
 * epoch (class-balanced order, augmentation drawn from the seeded RNG, Adam with the schedule's rate),
 * validates, keeps best/, logs, checkpoints; stops at the last epoch, on early stopping or on cancel.
 */
export async function runTraining(o: TrainOptions, paths: RunPaths, hooks: TrainHooks = {}, fresh = true): Promise<TrainResult> {
  const data = await splitDataset(o.data, o.splitFile, o.seed, o.addTrain, hooks.signal);
  recordRun(o, paths, data, fresh);
  const pool = await EnginePool.start({ workers: o.workers, backend: o.backend });
  try {
    const state = await prepareModel(pool, o, paths);
    if (state.stopped === 'early' || state.epoch >= o.epochs) {
      return { options: o, paths, data, backend: pool.backend, state, log: readLog(paths.log) };
    }
    const s = await loadSession(pool, o, paths, data, hooks);
    const ckpt = readCheckpoint(paths.checkpoint);
    s.average = ckpt && o.average > 0 ? readAverage(ckpt.dir) : null;
    const final = await loop(s, { ...state, stopped: null });
    return { options: o, paths, data, backend: pool.backend, state: final, log: readLog(paths.log) };
  } finally {
    await pool.dispose();
  }
}

function recordRun(o: TrainOptions, paths: RunPaths, data: RunData, fresh: boolean): void {
  if (fresh) {
    assertFreshRunDir(paths);
    writeRunRecord(paths, { version: 1, createdAt: new Date().toISOString(), options: o, trainHash: data.trainHash });
  } else if (readRunRecord(paths).trainHash !== data.trainHash) {
    throw new SonoError('DATASET_INVALID', `the training images in ${o.data} changed since the run in ${paths.dir} started; start a new run`);
  }
}

async function prepareModel(pool: EnginePool, o: TrainOptions, paths: RunPaths): Promise<LoopState> {
  const adam = { learningRate: o.lr, ...(o.encoderLr ? { encoderRate: o.encoderLr } : {}) };
  const ckpt = readCheckpoint(paths.checkpoint);
  if (ckpt) {
    await restoreCheckpoint(pool, ckpt.dir, adam);
    // log lines of an epoch whose checkpoint never landed are dropped; that epoch runs again
    writeLog(paths.log, readLog(paths.log).filter((e) => e.epoch <= ckpt.state.epoch));
    return ckpt.state;
  }
  // a pretrained encoder, unless the run starts from a whole model
  const encoderWeights = o.unet.encoder ? PRETRAINED[o.unet.encoder].weights : undefined;
  const deepSupervision = o.deepSupervision ?? false;
  let summary = await pool.loadModel(o.init
    ? { kind: 'dir', dir: o.init, deepSupervision, seed: o.seed }
    : { kind: 'build', config: o.unet, seed: o.seed, weightsFrom: encoderWeights, deepSupervision });
  if (o.init && (summary.inputSize !== o.plan.inputSize || summary.gated !== (o.unet.gate ?? false))) {
    // the init model's weights, matched by layer name, in the U-Net built for the new input size or with a gate
    summary = await pool.loadModel({ kind: 'build', config: o.unet, seed: o.seed, weightsFrom: o.init, deepSupervision });
  }
  if (summary.inputSize !== o.plan.inputSize) {
    throw new SonoError('MODEL_INVALID', `the model takes ${summary.inputSize}×${summary.inputSize} images but the plan says ${o.plan.inputSize}`);
  }
  await pool.configureOptimizer(adam);
  writeLog(paths.log, []);
  return {
    version: 1, epoch: 0, step: 0, rng: new Rng(o.seed).state(), schedule: newSchedule(o.schedule, o.lr, o.epochs, Math.ceil(o.patience / 2) || 3),
    best: null, sinceBest: 0, stopped: null, seconds: 0,
  };
}

async function loadSession(pool: EnginePool, o: TrainOptions, paths: RunPaths, data: RunData, hooks: TrainHooks): Promise<Session> {
  const total = data.train.length + data.val.length;
  const progress = (done: number) => hooks.onProgress?.({
    phase: 'load', epoch: 0, epochs: o.epochs, step: done, steps: total, loss: null, lr: null, etaSeconds: null,
  });
  const train = await loadAll(data.train, progress, hooks.signal);
  const valLoaded = await loadAll(data.val, (d) => progress(train.length + d), hooks.signal);
  const val = valLoaded.map((it, i) => ({ id: data.val[i]!.id, className: data.val[i]!.className, ...validationCopy(it, o.plan) }));
  return {
    o, paths, pool, train, classes: data.train.map((it) => it.className), val, hooks,
    timing: { stepSeconds: [], valSeconds: [] },
    average: null,
    lesions: train.flatMap((it, i) => (it.mask.data.some((v) => v !== 0) ? [i] : [])),
  };
}

async function loop(s: Session, start: LoopState): Promise<LoopState> {
  let state = start;
  while (state.epoch < s.o.epochs && state.stopped === null) {
    const t0 = performance.now();
    const rng = new Rng(state.rng);
    const epoch = state.epoch + 1;
    const { loss, lr, steps } = await trainEpoch(s, state, rng, epoch);
    // batch norm's moving statistics differ per worker (each saw its own sub-batches): --batch-norm's, and
    // the MobileNetV2 encoders' and their decoder's, which always have it
    if (s.o.unet.batchNorm || s.o.unet.encoder) await s.pool.syncWeights();
    const val = await validate(s, epoch);
    // Runs saved before selectOn existed have none: they selected on 'dice'.
    const select = s.o.selectOn ?? 'dice';
    const score = selectionScore(val, select);
    const beats = (x: number | null, than: number | null) => x !== null && (than === null || x > than + 1e-4);
    // under 'last' every epoch's weights (or their average) replace the previous ones
    let improved = select === 'last' || beats(score, state.best?.dice ?? null);
    const toBeat = select === 'last' ? null : improved ? score : state.best?.dice ?? null;
    const averaged = (s.o.average ?? 0) > 0 ? await validateAverage(s, epoch, toBeat) : null;
    if (averaged?.best) improved = false; // the average beat these weights too: best/ holds the average
    if (improved) await saveBest(s);
    const seconds = (performance.now() - t0) / 1000;
    const entry: EpochLog = {
      epoch, loss, valDice: val.dice, valIou: val.iou, valDiceAll: val.diceAll, lr, seconds, best: improved, at: new Date().toISOString(),
      ...(averaged ? { average: averaged } : {}),
    };
    const averageScore = averaged && selectionScore({ dice: averaged.valDice, diceAll: averaged.valDiceAll }, select);
    const bestNow = averaged?.best ? { epoch, dice: averageScore!, average: true } : improved ? { epoch, dice: score! } : state.best;
    appendLog(s.paths.log, entry);
    const sinceBest = improved || averaged?.best ? 0 : state.sinceBest + 1;
    state = {
      ...state, epoch, step: state.step + steps, rng: rng.state(), seconds: state.seconds + seconds, sinceBest,
      schedule: afterEpoch(state.schedule, score ?? 0),
      best: bestNow,
      stopped: s.o.patience > 0 && sinceBest >= s.o.patience ? 'early' : epoch >= s.o.epochs ? 'done' : null,
    };
    await saveCheckpoint(s.pool, s.paths.checkpoint, state, s.average);
    s.hooks.onEpoch?.(entry);
  }
  return state;
}

async function trainEpoch(s: Session, state: LoopState, rng: Rng, epoch: number): Promise<{ loss: number; lr: number; steps: number }> {
  const order = epochOrder(s.classes, rng, s.o.sampling);
  const steps = batches(order, s.o.batch);
  let sum = 0, lr = 0;
  for (let b = 0; b < steps.length; b++) {
    if (s.hooks.signal?.aborted) throw new SonoError('CANCELLED', `training was cancelled in epoch ${epoch}; the checkpoint of epoch ${epoch - 1} stands`);
    const items = steps[b]!.map((i) => {
      const aug = s.o.augment ? drawAugment(rng, s.o.augment) : IDENTITY_AUGMENT;
      const donor = aug.carve ? donorOf(s.lesions, i, aug.carve.donor) : undefined;
      return { image: s.train[i]!.image, mask: s.train[i]!.mask, aug, ...(donor !== undefined ? { donor: s.train[donor]! } : {}) };
    });
    lr = learningRate(state.schedule, epoch - 1 + b / steps.length);
    const t = performance.now();
    sum += await s.pool.trainItems(items, s.o.plan, lr, { gateWeight: s.o.gateLoss ?? 0, peakWeight: s.o.peakLoss ?? 0, lovaszWeight: s.o.lovaszLoss ?? 0 });
    s.timing.stepSeconds.push((performance.now() - t) / 1000);
    s.hooks.onProgress?.({
      phase: 'train', epoch, epochs: s.o.epochs, step: b + 1, steps: steps.length, loss: sum / (b + 1), lr,
      etaSeconds: eta(s, epoch, b + 1, steps.length),
    });
  }
  return { loss: sum / steps.length, lr, steps: steps.length };
}

/**
 * The lesion image a draw u in [0, 1) picks for image `self`: never itself (the next one then);
 * undefined when no other image has a lesion.
 */
export function donorOf(lesions: readonly number[], self: number, u: number): number | undefined {
  const others = lesions.length - (lesions.includes(self) ? 1 : 0);
  if (others === 0) return undefined;
  const k = Math.min(lesions.length - 1, Math.floor(u * lesions.length));
  return lesions[k] === self ? lesions[(k + 1) % lesions.length] : lesions[k];
}

/** Validation at the model's input size (fast); `sonoseg eval` measures at the original size. */
async function validate(s: Session, epoch: number): Promise<{ dice: number | null; iou: number | null; diceAll: number | null }> {
  const t = performance.now();
  s.hooks.onProgress?.({ phase: 'validate', epoch, epochs: s.o.epochs, step: 0, steps: s.val.length, loss: null, lr: null, etaSeconds: null });
  const { report } = await evaluateImages(s.pool, s.o.plan, s.val.length, async (i) => s.val[i]!, { threshold: 0.5, signal: s.hooks.signal });
  s.timing.valSeconds.push((performance.now() - t) / 1000);
  return { dice: report.dice, iou: report.iou, diceAll: report.diceAll };
}

/**
 * Folds this epoch's weights into the running average, validates the average and, when it beats
 * `toBeat`, saves it as best/. The pool holds this epoch's weights again afterwards, so training
 * continues exactly as without averaging. The first epoch's average is its weights: nothing to check.
 */
async function validateAverage(s: Session, epoch: number, toBeat: number | null): Promise<NonNullable<EpochLog['average']> | null> {
  const weights = await s.pool.getWeights();
  const b = s.o.average;
  if (!s.average) {
    s.average = weights.map((w) => w.slice());
    return null;
  }
  s.average.forEach((a, i) => { const w = weights[i]!; for (let k = 0; k < a.length; k++) a[k] = b * a[k]! + (1 - b) * w[k]!; });
  await s.pool.loadModelWeights(s.average);
  try {
    const val = await validate(s, epoch);
    const score = selectionScore(val, s.o.selectOn ?? 'dice');
    const best = score !== null && (toBeat === null || score > toBeat + 1e-4);
    if (best) await saveBest(s);
    return { valDice: val.dice, valIou: val.iou, valDiceAll: val.diceAll, best };
  } finally {
    await s.pool.loadModelWeights(weights);
  }
}

/** The validation figure that judges a checkpoint; under 'last', which judges none, the one logged as the kept weights'. */
function selectionScore(val: { dice: number | null; diceAll: number | null }, select: SelectOn): number | null {
  return select === 'last' ? val.diceAll ?? val.dice : val[select];
}

async function saveBest(s: Session): Promise<void> {
  const staged = stagingDir(s.paths.best);
  await s.pool.save(staged);
  replaceDir(staged, s.paths.best);
}

function eta(s: Session, epoch: number, step: number, steps: number): number {
  const recent = s.timing.stepSeconds.slice(-50);
  const perStep = recent.reduce((a, b) => a + b, 0) / recent.length;
  const perVal = s.timing.valSeconds.length ? s.timing.valSeconds.reduce((a, b) => a + b, 0) / s.timing.valSeconds.length : 0;
  const epochsLeft = s.o.epochs - epoch;
  return (steps - step + epochsLeft * steps) * perStep + (epochsLeft + 1) * perVal;
}

