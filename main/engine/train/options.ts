import { SonoError } from '../../common/errors';
import type { BackendName } from '../backend';
import type { PreprocessPlan } from '../preprocess';
import { validateUNetConfig, type UNetConfig } from '../unet';
import { validateAugment, type AugmentOptions } from './augment-params';
import type { Sampling } from './sampler';
import type { ScheduleKind } from './schedule';

/** Everything that defines a training run; saved in the run folder's run.json so --resume repeats it. */
export interface TrainOptions {
  /** dataset folder (BUSI class folders or images/ + masks/) */
  data: string;
  splitFile?: string;
  /**
   * Further annotated dataset folders whose every image is a training image (added-sets.ts);
   * validation and test stay `data`'s. Absent when none, as in runs recorded before it existed.
   */
  addTrain?: string[];
  epochs: number;
  /** a model folder to start from (its architecture and plan win over unet/plan) */
  init?: string;
  /** the init model's registry id, for the card */
  initId?: string;
  /** the init model was imported: its architecture is its own, not `unet` */
  initImported?: boolean;
  /** that model's architecture name (an imported network, an ensemble), for the card */
  initArchitecture?: string;
  unet: UNetConfig;
  plan: PreprocessPlan;
  batch: number;
  lr: number;
  schedule: ScheduleKind;
  /** epochs without a better validation Dice before stopping (0 = never stop early) */
  patience: number;
  sampling: Sampling;
  /**
   * The validation figure that picks the best checkpoint: 'dice' (mean Dice over images with a lesion)
   * or 'diceAll' (over every image; a normal image scores 1 only when nothing is predicted, so false
   * lesions on normal scans count against a checkpoint), or 'last': the final weights (the running
   * average when averaging is on), whatever validation says, with no early stopping. 'last' is for
   * cross-validation, where the held-out fold must not pick the checkpoint whose predictions on it are
   * then used to choose the post-processing.
   */
  selectOn: SelectOn;
  /**
   * Weight averaging: after each epoch the average weights become β·average + (1 − β)·weights, are
   * validated too, and are kept as the best model when they score better (0 = off). The average
   * smooths the epoch-to-epoch swing of a small training set, like Polyak/SWA averaging.
   */
  average: number;
  /**
   * Weight of the lesion gate's image-level loss (loss.ts: does this image hold a lesion?); 0 = off.
   * Needs a gated U-Net. Absent in runs recorded before it existed, which means 0.
   */
  gateLoss?: number;
  /**
   * Weight of the map's peak loss (loss.ts: the mean of its most probable pixels against "does this
   * image hold a lesion"); 0 = off. Absent in runs recorded before it existed, which means 0.
   */
  peakLoss?: number;
  /**
   * Weight of the map's Lovász hinge (loss.ts: a convex surrogate of each image's IoU, added to Dice + BCE);
   * 0 = off. Absent in runs recorded before it existed, which means 0.
   */
  lovaszLoss?: number;
  /**
   * The pretrained encoder's learning rate as a share of the schedule's (0, 1]: a gentler rate keeps more
   * of what ImageNet taught it. Needs an encoder; absent in runs recorded before it existed, which means 1.
   */
  encoderLr?: number;
  /**
   * Deep supervision (unet.ts AUX_LEVELS, loss.ts deepSupervisionLoss): coarse heads on the decoder are
   * trained beside the map and dropped from the model the run keeps. Absent in runs recorded before it
   * existed, which means off.
   */
  deepSupervision?: boolean;
  augment: AugmentOptions | false;
  seed: number;
  workers?: number;
  backend?: BackendName;
  /** the command line that reproduces the run, for the model card */
  command: string;
}

export type TrainOptionsInput = Partial<Omit<TrainOptions, 'unet' | 'plan' | 'augment'>> & {
  data: string;
  unet?: Partial<UNetConfig>;
  plan?: Partial<PreprocessPlan>;
  augment?: Partial<AugmentOptions> | false;
};

export type SelectOn = 'dice' | 'diceAll' | 'last';

export function validateTrainOptions(o: TrainOptionsInput): TrainOptions {
  const unet = validateUNetConfig(o.unet ?? {});
  const plan: PreprocessPlan = { inputSize: unet.inputSize, resize: 'stretch', normalization: 'unit', ...o.plan };
  if (plan.inputSize !== unet.inputSize) plan.inputSize = unet.inputSize;
  const int = (name: string, v: number, lo: number, hi: number) => {
    if (!Number.isInteger(v) || v < lo || v > hi) throw new SonoError('INVALID_ARGUMENT', `${name} must be an integer in [${lo}, ${hi}], got ${v}`);
    return v;
  };
  const selectOn = o.selectOn ?? 'dice';
  if (selectOn !== 'dice' && selectOn !== 'diceAll' && selectOn !== 'last') throw new SonoError('INVALID_ARGUMENT', `select must be dice, diceAll or last, got ${selectOn}`);
  const gateLoss = o.gateLoss ?? 0;
  if (!(gateLoss >= 0 && gateLoss <= 100)) throw new SonoError('INVALID_ARGUMENT', `the gate loss weight must be in [0, 100], got ${gateLoss}`);
  if (gateLoss > 0 && !unet.gate) throw new SonoError('INVALID_ARGUMENT', 'a gate loss needs the lesion gate: add --gate');
  const peakLoss = o.peakLoss ?? 0;
  if (!(peakLoss >= 0 && peakLoss <= 100)) throw new SonoError('INVALID_ARGUMENT', `the peak loss weight must be in [0, 100], got ${peakLoss}`);
  const lovaszLoss = o.lovaszLoss ?? 0;
  if (!(lovaszLoss >= 0 && lovaszLoss <= 100)) throw new SonoError('INVALID_ARGUMENT', `the Lovász loss weight must be in [0, 100], got ${lovaszLoss}`);
  const encoderLr = o.encoderLr ?? 1;
  if (!(encoderLr > 0 && encoderLr <= 1)) throw new SonoError('INVALID_ARGUMENT', `the encoder's learning-rate factor must be in (0, 1], got ${encoderLr}`);
  if (encoderLr < 1 && !unet.encoder) throw new SonoError('INVALID_ARGUMENT', 'an encoder learning-rate factor needs a pretrained encoder: add --encoder');
  const sampling = o.sampling ?? 'balanced';
  if (sampling !== 'balanced' && sampling !== 'shuffle') throw new SonoError('INVALID_ARGUMENT', `sampling must be balanced or shuffle, got ${sampling}`);
  const addTrain = o.addTrain ?? [];
  if (!Array.isArray(addTrain) || addTrain.some((d) => typeof d !== 'string' || d.trim() === '')) {
    throw new SonoError('INVALID_ARGUMENT', 'each added training folder must be a folder path');
  }
  return {
    data: o.data,
    splitFile: o.splitFile,
    ...(addTrain.length > 0 ? { addTrain: [...addTrain] } : {}),
    epochs: int('epochs', o.epochs ?? 50, 1, 10000),
    init: o.init,
    initId: o.initId,
    ...(o.initImported ? { initImported: true, ...(o.initArchitecture ? { initArchitecture: o.initArchitecture } : {}) } : {}),
    unet,
    plan,
    batch: int('batch', o.batch ?? 8, 1, 1024),
    lr: o.lr ?? 1e-3,
    schedule: o.schedule ?? 'cosine',
    patience: int('patience', o.patience ?? 10, 0, 10000),
    sampling,
    selectOn,
    average: averageDecay(o.average ?? 0),
    ...(gateLoss > 0 ? { gateLoss } : {}),
    ...(peakLoss > 0 ? { peakLoss } : {}),
    ...(lovaszLoss > 0 ? { lovaszLoss } : {}),
    ...(encoderLr < 1 ? { encoderLr } : {}),
    ...(o.deepSupervision ? { deepSupervision: true } : {}),
    augment: o.augment === false ? false : validateAugment(o.augment ?? {}),
    seed: int('seed', o.seed ?? 1, 0, 2 ** 32 - 1),
    workers: o.workers,
    backend: o.backend,
    command: o.command ?? '',
  };
}

function averageDecay(b: number): number {
  if (!(b >= 0 && b < 1)) throw new SonoError('INVALID_ARGUMENT', `the averaging decay must be in [0, 1), got ${b}`);
  return b;
}
