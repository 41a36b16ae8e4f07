import type { ErrorPayload } from '../common/errors';
import type { GrayImage, ProbabilityMap } from '../common/image';
import type { BackendInfo, BackendName } from './backend';
import type { PreprocessPlan } from './preprocess';
import type { LossSettings } from './loss';
import type { AugmentedItem } from './train/augment-apply';
import type { UNetConfig } from './unet';

/**
 * Messages between the engine's pool (any thread) and its workers. Every request carries an id;
 * every reply echoes it with either a result or an error payload. Big arrays travel as transferables.
 */
export interface AdamSettings {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /**
   * The share of each step the pretrained encoder's weights take, in (0, 1]; the rest of the model takes
   * the whole step. Absent = 1.
   */
  encoderRate?: number;
}

/** A training batch already at the model's size: n images of s×s, row-major, float32. */
export interface TensorBatch {
  n: number;
  size: number;
  x: Float32Array;
  y: Float32Array;
}

/**
 * Adam's state in trainableWeights order: the step count, then every first moment, then every
 * second moment (empty before the first step). Saved in checkpoints so a resumed run continues the same
 * optimisation instead of restarting Adam from zero.
 */
export interface OptimizerState {
  iterations: number;
  moments: Float32Array[];
}

export interface ModelSummary {
  inputSize: number;
  params: number;
  /** whether the model has the image-level lesion gate (unet.ts) */
  gated: boolean;
  /** after a build from another model's weights: the layers that started fresh */
  freshLayers?: string[];
}

export type Request =
  | { op: 'init'; backend?: BackendName; wasmThreads?: number }
  | { op: 'build'; config: Partial<UNetConfig>; seed?: number; weightsFrom?: string; deepSupervision?: boolean }
  | { op: 'load'; dir: string; deepSupervision?: boolean; seed?: number }
  | { op: 'getWeights' }
  | { op: 'setWeights'; weights: Float32Array[] }
  | { op: 'predict'; images: GrayImage[]; plan: PreprocessPlan }
  | { op: 'gradients'; batch: TensorBatch; loss?: LossSettings }
  | { op: 'optimizer'; adam: AdamSettings }
  | { op: 'apply'; grads: Float32Array[]; learningRate?: number }
  | { op: 'save'; dir: string; withHeads?: boolean }
  | { op: 'itemGradients'; items: AugmentedItem[]; plan: PreprocessPlan; loss?: LossSettings }
  | { op: 'getOptimizerState' }
  | { op: 'setOptimizerState'; state: OptimizerState };

export interface Replies {
  init: BackendInfo;
  build: ModelSummary;
  load: ModelSummary;
  getWeights: Float32Array[];
  setWeights: null;
  predict: ProbabilityMap[];
  gradients: { loss: number; n: number; grads: Float32Array[] };
  optimizer: null;
  apply: null;
  save: null;
  itemGradients: { loss: number; n: number; grads: Float32Array[] };
  getOptimizerState: OptimizerState;
  setOptimizerState: null;
}

export type Op = Request['op'];
export type RequestOf<O extends Op> = Extract<Request, { op: O }>;

/** `threads`: how many threads this request may compute with (native kernels), granted by the pool. */
export type Envelope = { id: number; request: Request; threads?: number };
export type ReplyEnvelope =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: ErrorPayload };
