import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PreprocessPlan } from '../engine';

/**
 * Which model folder the app loads at start.
 * TODO(models): replace with main/models resolveModel() once the registry lands; this interim rule is
 * SONOSEG_MODEL (a folder holding model.json), else the first folder under resources/models/ that has one.
 * The preprocessing plan comes from the folder's card.json when present (never from code constants).
 */
export interface ModelChoice {
  id: string;
  dir: string;
  source: 'SONOSEG_MODEL' | 'resources';
  plan?: Partial<PreprocessPlan>;
}

export function findModel(env: NodeJS.ProcessEnv, resourcesDir: string): ModelChoice | null {
  if (env.SONOSEG_MODEL) return describe(path.resolve(env.SONOSEG_MODEL), 'SONOSEG_MODEL');
  const root = path.join(resourcesDir, 'models');
  if (!fs.existsSync(root)) return null;
  const dirs = fs.readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(root, d.name, 'model.json')))
    .map((d) => d.name)
    .sort();
  return dirs.length ? describe(path.join(root, dirs[0]!), 'resources') : null;
}

function describe(dir: string, source: ModelChoice['source']): ModelChoice {
  const card = readCardLoosely(dir);
  return { id: card?.id ?? path.basename(dir), dir, source, ...(card?.plan ? { plan: card.plan } : {}) };
}

/** Only the two fields inference needs; a broken card is left for Engine.useModel to report. */
function readCardLoosely(dir: string): { id?: string; plan?: Partial<PreprocessPlan> } | null {
  try {
    const card = JSON.parse(fs.readFileSync(path.join(dir, 'card.json'), 'utf8')) as { id?: unknown; plan?: unknown };
    return {
      ...(typeof card.id === 'string' ? { id: card.id } : {}),
      ...(card.plan && typeof card.plan === 'object' ? { plan: card.plan as Partial<PreprocessPlan> } : {}),
    };
  } catch {
    return null;
  }
}
