import * as fs from 'node:fs';
import * as path from 'node:path';
import { SonoError } from '../common/errors';
import { readCard } from './card';
import { ModelRegistry, type ResolvedModel } from './registry';
import { defaultLocations, type Locations } from './workspace';

/**
 * `--model <id|dir>` for every command (eval, segment, train --init): a folder path with a card
 * is used as is; anything else is a registry id; no spec means the active model, else the shipped
 * default. The result carries the card's preprocessing plan, which inference must use.
 */
export function resolveModel(spec?: string, loc: Locations = defaultLocations()): ResolvedModel {
  const registry = new ModelRegistry(loc);
  if (spec === undefined || spec === '') {
    const current = registry.current();
    if (!current) {
      throw new SonoError('MODEL_NOT_FOUND', 'No model is active and none is shipped; train one (`sonoseg train`) or import one (`sonoseg models import`).');
    }
    return current;
  }
  if (looksLikePath(spec) || fs.existsSync(path.join(spec, 'model.json'))) {
    const dir = path.resolve(spec);
    if (!fs.existsSync(path.join(dir, 'model.json'))) throw new SonoError('MODEL_NOT_FOUND', `no model.json in ${dir}`);
    const card = readCard(dir);
    return { id: card.id, dir, card, plan: card.plan, shipped: false };
  }
  return registry.byId(spec);
}

function looksLikePath(spec: string): boolean {
  return spec.includes('/') || spec.includes('\\') || spec.startsWith('.');
}
