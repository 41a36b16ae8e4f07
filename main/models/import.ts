import * as fs from 'node:fs';
import * as path from 'node:path';
import { SonoError } from '../common/errors';
import type { BackendName } from '../engine/backend';
import { EnginePool } from '../engine/pool';
import { validatePlan, type PreprocessPlan } from '../engine/preprocess';
import { newModelId, type ModelCard } from './card';
import type { ModelRegistry, ResolvedModel } from './registry';
import { appVersion } from './workspace';

export interface ImportOptions {
  plan?: Partial<PreprocessPlan>;
  id?: string;
  name?: string;
  backend?: BackendName;
}

/**
 * Adds a tfjs LayersModel (e.g. a Keras U-Net converted with tensorflowjs_converter) to the registry.
 * An engine worker loads it and runs one image through it: it must take [n, s, s, 1] and give
 * [n, s, s, 1] (model-io's shape check) and produce finite probabilities. The plan the user gives
 * (default: stretch, unit) goes on the card, since nothing in the model says how it was trained.
 */
export async function importModel(srcDir: string, registry: ModelRegistry, o: ImportOptions = {}): Promise<ResolvedModel> {
  const dir = path.resolve(srcDir);
  if (!fs.existsSync(path.join(dir, 'model.json'))) throw new SonoError('MODEL_NOT_FOUND', `no model.json in ${dir}`);
  const pool = await EnginePool.start({ workers: 1, backend: o.backend });
  try {
    const summary = await pool.loadModel({ kind: 'dir', dir });
    const plan = validatePlan({ ...o.plan, inputSize: summary.inputSize }, summary.inputSize);
    const probe = { width: summary.inputSize, height: summary.inputSize, data: new Uint8Array(summary.inputSize ** 2).fill(128) };
    const [map] = await pool.predict([probe], plan);
    if (!map || !map.data.every((p) => Number.isFinite(p))) throw new SonoError('MODEL_INVALID', 'the model gives non-finite output on a plain grey image');
    const card: ModelCard = {
      schema: 1, id: o.id ?? newModelId(o.name ?? `imported-${path.basename(dir)}`), createdAt: new Date().toISOString(),
      appVersion: appVersion(), source: 'imported',
      architecture: { name: topologyName(dir), unet: null, params: summary.params, inputSize: summary.inputSize },
      plan, training: null, metrics: null, backend: pool.backend.backend, hasLog: false,
      notes: `imported from ${dir}`,
    };
    return registry.add(dir, card);
  } finally {
    await pool.dispose();
  }
}

function topologyName(dir: string): string {
  try {
    const t = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')).modelTopology;
    return String((t?.model_config ?? t)?.config?.name ?? 'imported');
  } catch {
    return 'imported';
  }
}
