import * as fs from 'node:fs';
import * as path from 'node:path';
import { SonoError } from '../common/errors';
import { validatePlan, type PreprocessPlan } from '../engine/preprocess';
import type { UNetConfig } from '../engine/unet';
import { DEFAULT_CLEANUP, validateCleanup, validateThreshold, type Cleanup } from '../common/postprocess';

/**
 * A model card: what the model is, how its input is prepared, what it was trained on and how well it
 * did on held-out images. Inference reads the preprocessing plan from here, never from code constants.
 */
export interface CardMetrics {
  /** the held-out split the numbers come from */
  split: 'test' | 'val';
  /** 'original': maps resized back to each image's own size */
  resolution: 'original';
  threshold: number;
  n: number;
  dice: number | null;
  iou: number | null;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  accuracy: number | null;
  auc: number | null;
  normalFpRate: number | null;
}

export interface CardTraining {
  /** `added`: further folders whose every image was a training image (train --add-train); absent when none */
  data: { dir: string; added?: string[]; splitSource: 'file' | 'seeded'; hash: string; train: string[]; val: string[]; test: string[] };
  baseModel: string | null;
  epochs: number;
  epochsRun: number;
  bestEpoch: number | null;
  stopped: 'early' | 'done' | null;
  seed: number;
  options: Record<string, unknown>;
  /** the command line that reproduces the model */
  command: string;
  seconds: number;
}

/**
 * How this model's probability becomes a mask: the default threshold and the clean-up, chosen on
 * validation images by `sonoseg calibrate` (never on test images). Cards without it use 0.5 and
 * DEFAULT_CLEANUP.
 */
export interface CardPostprocess {
  threshold: number;
  cleanup: Cleanup;
  /** what the choice was based on */
  chosenOn?: {
    /** 'out-of-fold': each validation image scored on the map of the ensemble member that held it out */
    split: 'val' | 'out-of-fold';
    n: number;
    objective: string;
    /** the chosen setting's scores on that split */
    dice: number | null;
    iou: number | null;
    diceAll: number | null;
    normalFpRate: number | null;
    /** the normal images behind normalFpRate and its 95 % Wilson interval (absent on older cards) */
    normalImages?: number;
    normalFpInterval?: { low: number; high: number } | null;
    /** the default setting's scores on the same split, for comparison */
    before: { dice: number | null; iou: number | null; diceAll: number | null; normalFpRate: number | null };
  };
}

export interface ModelCard {
  schema: 1;
  id: string;
  createdAt: string;
  appVersion: string;
  source: 'trained' | 'imported' | 'ensemble';
  architecture: { name: string; unet: UNetConfig | null; params: number; inputSize: number };
  plan: PreprocessPlan;
  training: CardTraining | null;
  metrics: CardMetrics | null;
  /** the backend the model was trained (or checked) on */
  backend: string | null;
  /** a training log (log.jsonl) travels with trained models */
  hasLog: boolean;
  postprocess?: CardPostprocess;
  /** how the weights are stored when not as trained (float32) */
  weights?: CardWeights;
  /** for source 'ensemble': the models whose maps it averages, each with its own provenance */
  ensemble?: CardEnsemble;
  notes?: string;
}

/** A model stored at lower precision than it was trained at, and the model it was made from. */
export interface CardWeights {
  /** 'float16+uint8': float16, except the weights listed in `uint8`, stored as 8-bit to fit a size cap */
  dtype: 'float16' | 'float16+uint8';
  derivedFrom: string;
  command: string;
  uint8?: string[];
}

/** An ensemble's members as they were when it was made, and the command that made it. */
export interface CardEnsemble {
  members: { id: string; architecture: string; training: CardTraining | null; backend: string | null; weights?: CardWeights }[];
  command: string;
}

/** The threshold and clean-up every front door applies to this model's maps. */
export function policyOf(card: Pick<ModelCard, 'postprocess'> | null | undefined): { threshold: number; cleanup: Cleanup } {
  if (!card?.postprocess) return { threshold: 0.5, cleanup: DEFAULT_CLEANUP };
  return { threshold: card.postprocess.threshold, cleanup: card.postprocess.cleanup };
}

export const CARD_FILE = 'card.json';

/** Reads and checks a model folder's card; MODEL_INVALID when it is missing or inconsistent. */
export function readCard(dir: string): ModelCard {
  const file = path.join(dir, CARD_FILE);
  if (!fs.existsSync(file)) {
    throw new SonoError('MODEL_INVALID', `${dir} has no ${CARD_FILE}; add the model with \`sonoseg models import ${dir}\` first.`);
  }
  let card: ModelCard;
  try {
    card = JSON.parse(fs.readFileSync(file, 'utf8')) as ModelCard;
  } catch (e) {
    throw new SonoError('MODEL_INVALID', `${CARD_FILE} in ${dir} is not valid JSON`, { cause: e });
  }
  if (card.schema !== 1 || typeof card.id !== 'string' || !card.plan || !card.architecture) {
    throw new SonoError('MODEL_INVALID', `${CARD_FILE} in ${dir} is not a SonoSeg model card`);
  }
  card.plan = validatePlan(card.plan, card.architecture.inputSize);
  if (card.postprocess) {
    try {
      card.postprocess = { ...card.postprocess, threshold: validateThreshold(card.postprocess.threshold), cleanup: validateCleanup(card.postprocess.cleanup) };
    } catch (e) {
      throw new SonoError('MODEL_INVALID', `${CARD_FILE} in ${dir} has a bad postprocess section: ${(e as Error).message}`, { cause: e });
    }
  }
  if (card.ensemble !== undefined && (!Array.isArray(card.ensemble?.members) || card.ensemble.members.length < 2)) {
    throw new SonoError('MODEL_INVALID', `${CARD_FILE} in ${dir} has a bad ensemble section`);
  }
  if (card.weights !== undefined && (!['float16', 'float16+uint8'].includes(card.weights?.dtype) || typeof card.weights.derivedFrom !== 'string')) {
    throw new SonoError('MODEL_INVALID', `${CARD_FILE} in ${dir} has a bad weights section`);
  }
  return card;
}

/** A new id: name-yyyymmdd-hhmmss-xxxx, sortable by date. */
export function newModelId(name: string, date = new Date()): string {
  const stamp = date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const safe = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'model';
  return `${safe}-${stamp}-${Math.random().toString(16).slice(2, 6)}`;
}

/** A model id without its date stamp (and a float16 copy's -f16): the name a derived model builds on. */
export function modelIdStem(id: string): string {
  return id.replace(/-\d{8}-\d{6}-[0-9a-f]{4}$/, '').replace(/-f16(q8)?$/, '');
}

export function isValidModelId(id: string): boolean {
  return /^[a-z0-9][a-z0-9._-]{0,99}$/i.test(id) && !id.includes('..');
}
