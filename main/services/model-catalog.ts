import { isSonoError } from '../common/errors';
import { ModelRegistry, resolveModel, type Locations, type ModelEntry, type ResolvedModel } from '../models';

/**
 * What the app shows and loads from the model registry (main/models): the model to load at start
 * (a `--model` id or folder, else SONOSEG_MODEL, else the active one, else the shipped default) and
 * the list for the models view. No model at all is not an error here: the viewer still opens images.
 */
export interface ModelCatalog {
  /** the model chosen at start, or null when there is none */
  chosen: ResolvedModel | null;
  list(): ModelEntry[];
}

export function openModelCatalog(loc: Locations, spec?: string): ModelCatalog {
  const registry = new ModelRegistry(loc);
  let chosen: ResolvedModel | null = null;
  try {
    chosen = resolveModel(spec ?? process.env.SONOSEG_MODEL, loc);
  } catch (e) {
    // An explicit choice that fails must be reported; an empty registry just means "no model yet".
    if (spec || process.env.SONOSEG_MODEL || !isSonoError(e) || e.code !== 'MODEL_NOT_FOUND') throw e;
  }
  return { chosen, list: () => registry.list().models };
}
