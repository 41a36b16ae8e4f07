import * as fs from 'node:fs';
import { PRETRAINED } from '../engine/encoders/pretrained';
import type { TrainResult } from '../engine/train';
import type { EvalJson } from '../evaluation/summary';
import { modelIdStem, newModelId, type CardMetrics, type ModelCard } from './card';
import type { ModelRegistry, ResolvedModel } from './registry';
import { appVersion } from './workspace';

/** The card of a finished run's best model, with its metrics on the held-out split. */
export function cardFromRun(r: TrainResult, params: number, metrics: CardMetrics | null, id?: string): ModelCard {
  const o = r.options;
  // a network the run did not build (imported, an ensemble) keeps its own name; its id says it was fine-tuned
  const own = o.initImported ? { name: o.initArchitecture ?? 'imported', stem: `${modelIdStem(o.initId ?? 'imported')}-ft` } : undefined;
  const mobile = o.unet.encoder !== undefined;
  const os16 = mobile && o.unet.outputStride === 16;
  const wide = o.unet.encoder === 'mobilenetv2-140';
  return {
    schema: 1,
    id: id ?? newModelId(own?.stem ?? `${mobile ? `mnv2${wide ? 'w140' : ''}${os16 ? 'os16' : ''}unet` : `unet${o.unet.baseFilters}`}-${o.plan.inputSize}`),
    createdAt: new Date().toISOString(),
    appVersion: appVersion(),
    source: 'trained',
    architecture: { name: own?.name ?? (mobile ? `mobilenetv2${wide ? '-140' : ''}${os16 ? '-os16' : ''}-unet` : 'unet'), unet: own ? null : o.unet, params, inputSize: o.plan.inputSize },
    plan: o.plan,
    training: {
      data: {
        dir: o.data, ...(r.data.added.length > 0 ? { added: r.data.added } : {}), splitSource: r.data.splitSource, hash: r.data.trainHash,
        train: r.data.train.map((i) => i.id), val: r.data.val.map((i) => i.id), test: r.data.test.map((i) => i.id),
      },
      // a run from scratch with a pretrained encoder names the encoder's weights
      baseModel: o.initId ?? o.init ?? (o.unet.encoder ? PRETRAINED[o.unet.encoder].source : null),
      epochs: o.epochs,
      epochsRun: r.state.epoch,
      bestEpoch: r.state.best?.epoch ?? null,
      stopped: r.state.stopped,
      seed: o.seed,
      options: { ...o, command: undefined },
      command: o.command,
      seconds: Math.round(r.state.seconds),
    },
    metrics,
    backend: r.backend.backend,
    hasLog: fs.existsSync(r.paths.log),
  };
}

export function cardMetrics(j: EvalJson, split: 'test' | 'val'): CardMetrics {
  return {
    split, resolution: 'original', threshold: j.threshold, n: j.n, dice: j.dice, iou: j.iou, precision: j.precision,
    recall: j.recall, f1: j.f1, accuracy: j.accuracy, auc: j.auc, normalFpRate: j.normalFpRate,
  };
}

/** Adds the run's best weights (else its last checkpoint) with the card and the run's log. */
export function registerRun(registry: ModelRegistry, r: TrainResult, card: ModelCard, weightsDir: string): ResolvedModel {
  const extras = fs.existsSync(r.paths.log) ? [{ name: 'log.jsonl', file: r.paths.log }] : [];
  return registry.add(weightsDir, card, extras);
}
