import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend } from '../../../main/engine/backend';
import { buildUNet, saveModel } from '../../../main/engine';
import { ModelRegistry, importModel, CARD_FILE, type CardPostprocess } from '../../../main/models';
import { writeJsonAtomic } from '../../../main/fs/atomic';
import { openModelCatalog, type ModelCatalog } from '../../../main/services/model-catalog';

/**
 * An untrained U-Net saved as a model folder for front-door tests: its probability map is real model
 * output (meaningless until trained), so the tests exercise the whole path without a shipped model.
 * Seeded, so the map, and the areas the tests compare, are the same on every run.
 */
export async function untrainedModel(o: { inputSize?: number; depth?: number; baseFilters?: number } = {}): Promise<string> {
  await initBackend({ prefer: 'cpu' });
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-model-')), 'untrained-test');
  const model = buildUNet({ inputSize: o.inputSize ?? 64, depth: o.depth ?? 2, baseFilters: o.baseFilters ?? 4 }, 7);
  await saveModel(model, dir);
  model.dispose();
  return dir;
}

/**
 * The same untrained model imported into a workspace's registry (so it has a card and a plan) and
 * chosen by id: the catalogue a front door gets from startServices.
 */
export async function untrainedCatalog(
  workspace: string, id: string, o: { inputSize?: number; depth?: number; baseFilters?: number; postprocess?: CardPostprocess } = {},
): Promise<ModelCatalog> {
  const loc = { home: workspace, resources: path.join(workspace, 'no-shipped-models') };
  const m = await importModel(await untrainedModel(o), new ModelRegistry(loc), { id });
  // a card with its own threshold and clean-up, as `sonoseg calibrate` writes them
  if (o.postprocess) writeJsonAtomic(path.join(m.dir, CARD_FILE), { ...m.card, postprocess: o.postprocess });
  return openModelCatalog(loc, id);
}
