import * as fs from 'node:fs';
import * as path from 'node:path';
import { SonoError } from '../common/errors';
import { writeAtomic, writeJsonAtomic } from '../fs/atomic';
import type { PreprocessPlan } from '../engine/preprocess';
import { CARD_FILE, isValidModelId, readCard, type ModelCard } from './card';
import type { Locations } from './workspace';

/**
 * The model registry: workspace models in <home>/models/<id>/ (model.json, weights, card.json,
 * log.jsonl when trained here), shipped ones in <resources>/models/<id>/. The workspace's
 * models/active.json names the active model and the ones active before it (for rollback); with no
 * active model the shipped default is used: the id in resources/models/DEFAULT, else the last id.
 */
export interface ModelEntry {
  id: string;
  dir: string;
  card: ModelCard;
  shipped: boolean;
  active: boolean;
}

export interface ResolvedModel {
  id: string;
  dir: string;
  card: ModelCard;
  plan: PreprocessPlan;
  shipped: boolean;
}

interface ActiveFile {
  active: string | null;
  history: string[];
}

export class ModelRegistry {
  constructor(private readonly loc: Locations) {}

  get workspaceModels(): string {
    return path.join(this.loc.home, 'models');
  }

  get shippedModels(): string {
    return path.join(this.loc.resources, 'models');
  }

  /** Every readable model; damaged folders are listed in `problems`, never dropped silently. */
  list(): { models: ModelEntry[]; problems: string[] } {
    const problems: string[] = [];
    const active = this.current();
    const read = (root: string, shipped: boolean): ModelEntry[] => subdirs(root).flatMap((id) => {
      try {
        return [{ id, dir: path.join(root, id), card: readCard(path.join(root, id)), shipped, active: id === active?.id }];
      } catch (e) {
        problems.push(`${path.join(root, id)}: ${(e as Error).message}`);
        return [];
      }
    });
    return { models: [...read(this.workspaceModels, false), ...read(this.shippedModels, true)], problems };
  }

  /** The model inference uses: the workspace's active one, else the shipped default; null when neither exists. */
  current(): ResolvedModel | null {
    const id = this.readActive().active ?? this.shippedDefault();
    return id ? this.byId(id) : null;
  }

  activate(id: string): ResolvedModel {
    const model = this.byId(id);
    const state = this.readActive();
    const previous = state.active ?? this.shippedDefault();
    const history = previous && previous !== id ? [...state.history, previous] : state.history;
    this.writeActive({ active: id, history });
    return model;
  }

  /** Makes the previously active model active again. */
  rollback(): ResolvedModel {
    const state = this.readActive();
    const previous = state.history.at(-1);
    if (!previous) throw new SonoError('MODEL_NOT_FOUND', 'There is no earlier model to roll back to.');
    const model = this.byId(previous);
    this.writeActive({ active: previous, history: state.history.slice(0, -1) });
    return model;
  }

  /** Copies a model folder's files (model.json, its weight files, optional extras) in under card.id, with the card. */
  add(srcDir: string, card: ModelCard, extras: { name: string; file: string }[] = []): ResolvedModel {
    if (!isValidModelId(card.id)) throw new SonoError('INVALID_ARGUMENT', `"${card.id}" is not a valid model id`);
    const target = path.join(this.workspaceModels, card.id);
    if (fs.existsSync(target)) throw new SonoError('INVALID_ARGUMENT', `a model with id ${card.id} already exists`);
    const staged = path.join(this.workspaceModels, `.${card.id}.staging-${process.pid}`);
    fs.rmSync(staged, { recursive: true, force: true });
    fs.mkdirSync(staged, { recursive: true });
    try {
      for (const f of [...modelFiles(srcDir).map((n) => ({ name: n, file: path.join(srcDir, n) })), ...extras]) {
        writeAtomic(path.join(staged, f.name), fs.readFileSync(f.file));
      }
      writeJsonAtomic(path.join(staged, CARD_FILE), card);
      fs.renameSync(staged, target);
    } catch (e) {
      fs.rmSync(staged, { recursive: true, force: true });
      throw e;
    }
    return this.byId(card.id);
  }

  /** A model by id: the workspace first, then the shipped ones. */
  byId(id: string): ResolvedModel {
    if (!isValidModelId(id)) throw new SonoError('MODEL_NOT_FOUND', `"${id}" is not a model id`);
    for (const [root, shipped] of [[this.workspaceModels, false], [this.shippedModels, true]] as const) {
      const dir = path.join(root, id);
      if (fs.existsSync(path.join(dir, CARD_FILE))) {
        const card = readCard(dir);
        return { id, dir, card, plan: card.plan, shipped };
      }
    }
    throw new SonoError('MODEL_NOT_FOUND', `There is no model ${id} (see \`sonoseg models list\`).`);
  }

  private shippedDefault(): string | null {
    const pinned = path.join(this.shippedModels, 'DEFAULT');
    if (fs.existsSync(pinned)) return fs.readFileSync(pinned, 'utf8').trim() || null;
    const ids = subdirs(this.shippedModels).filter((id) => fs.existsSync(path.join(this.shippedModels, id, CARD_FILE)));
    return ids.sort().at(-1) ?? null;
  }

  private readActive(): ActiveFile {
    const file = path.join(this.workspaceModels, 'active.json');
    if (!fs.existsSync(file)) return { active: null, history: [] };
    try {
      const a = JSON.parse(fs.readFileSync(file, 'utf8')) as ActiveFile;
      return { active: typeof a.active === 'string' ? a.active : null, history: Array.isArray(a.history) ? a.history : [] };
    } catch (e) {
      throw new SonoError('CORRUPT_FILE', `${file} is damaged; delete it to fall back to the shipped model`, { cause: e });
    }
  }

  private writeActive(a: ActiveFile): void {
    fs.mkdirSync(this.workspaceModels, { recursive: true });
    writeJsonAtomic(path.join(this.workspaceModels, 'active.json'), a);
  }
}

/** model.json and the weight files its manifest names. */
export function modelFiles(dir: string): string[] {
  const json = path.join(dir, 'model.json');
  if (!fs.existsSync(json)) throw new SonoError('MODEL_NOT_FOUND', `no model.json in ${dir}`);
  let manifest: { paths: string[] }[];
  try {
    manifest = JSON.parse(fs.readFileSync(json, 'utf8')).weightsManifest;
  } catch (e) {
    throw new SonoError('MODEL_INVALID', `model.json in ${dir} is not valid JSON`, { cause: e });
  }
  if (!Array.isArray(manifest)) throw new SonoError('MODEL_INVALID', `model.json in ${dir} has no weights manifest`);
  const files = manifest.flatMap((g) => g.paths);
  for (const f of files) {
    if (f.includes('/') || f.includes('\\') || f.startsWith('.')) throw new SonoError('MODEL_INVALID', `weight file ${f} is not inside the model folder`);
  }
  return ['model.json', ...files];
}

function subdirs(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name).sort();
}
