import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SonoError } from '../common/errors';
import { saveEnsembleOf } from '../engine/model-io';
import { withSizes, type PreprocessPlan } from '../engine/preprocess';
import { appVersion } from './workspace';
import { newModelId, type ModelCard } from './card';
import type { ModelRegistry, ResolvedModel } from './registry';

export interface EnsembledModel {
  model: ResolvedModel;
  bytes: number;
}

/**
 * Adds to the registry one model that averages the probability maps of models `ids`
 * (engine/ensemble-topology.ts). They must prepare their input the same way (size, resize,
 * normalisation). The card lists each member's own training record; it has no post-processing or
 * metrics of its own until `sonoseg calibrate` measures them on the ensemble.
 */
export function ensembleModels(registry: ModelRegistry, ids: string[], o: { id?: string } = {}): EnsembledModel {
  if (ids.length < 2) throw new SonoError('INVALID_ARGUMENT', 'an ensemble needs at least two model ids');
  if (new Set(ids).size !== ids.length) throw new SonoError('INVALID_ARGUMENT', 'an ensemble lists each model once');
  const members = ids.map((id) => registry.byId(id));
  const plan = members[0]!.plan;
  for (const m of members.slice(1)) {
    if (m.plan.inputSize !== plan.inputSize || m.plan.resize !== plan.resize || m.plan.normalization !== plan.normalization
      || (m.plan.antialias ?? false) !== (plan.antialias ?? false) || describeClahe(m.plan) !== describeClahe(plan)) {
      throw new SonoError('INVALID_ARGUMENT', `${m.id} prepares its input as ${describe(m.plan)}, ${members[0]!.id} as ${describe(plan)}; an ensemble's members must agree`);
    }
  }
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-ensemble-'));
  try {
    const { bytes } = saveEnsembleOf(members.map((m) => m.dir), staging);
    const card: ModelCard = {
      schema: 1,
      id: o.id ?? newModelId(`ens${members.length}-${plan.inputSize}`),
      createdAt: new Date().toISOString(),
      appVersion: appVersion(),
      source: 'ensemble',
      architecture: {
        name: `ensemble of ${members.length} (${members.map((m) => m.card.architecture.name).join(', ')})`,
        unet: null,
        params: members.reduce((n, m) => n + m.card.architecture.params, 0),
        inputSize: plan.inputSize,
      },
      // mirroring and multi-scale sizes carry over when every member runs so (`calibrate` can choose them again)
      plan: { ...withSizes(plan, sharedSizes(members.map((m) => m.plan))), flip: members.every((m) => m.plan.flip === true) },
      training: null,
      metrics: null,
      // the members' training backend when they share one
      backend: new Set(members.map((m) => m.card.backend)).size === 1 ? members[0]!.card.backend : null,
      hasLog: false,
      ensemble: {
        members: members.map((m) => ({
          id: m.id, architecture: m.card.architecture.name, training: m.card.training, backend: m.card.backend,
          ...(m.card.weights ? { weights: m.card.weights } : {}),
        })),
        command: `sonoseg models ensemble ${ids.join(' ')}`,
      },
    };
    return { model: registry.add(staging, card), bytes };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function describe(p: ResolvedModel['plan']): string {
  return `${p.inputSize}² ${p.resize}${p.antialias ? ' (area-shrunk)' : ''}${describeClahe(p)} ${p.normalization}`;
}

function describeClahe(p: ResolvedModel['plan']): string {
  return p.clahe ? ` CLAHE ${p.clahe.tiles}×${p.clahe.tiles} clip ${p.clahe.clip}` : '';
}

/** The sizes every plan names, when they all name the same (else none: the ensemble runs at its input size). */
function sharedSizes(plans: PreprocessPlan[]): number[] | undefined {
  const first = plans[0]?.sizes;
  return first && plans.every((p) => JSON.stringify(p.sizes) === JSON.stringify(first)) ? first : undefined;
}
