import * as fs from 'node:fs';
import * as path from 'node:path';
import { SonoError } from '../common/errors';
import type { EngineModel } from '../engine';

/**
 * Turns `--model <id|dir>` into a model folder and its preprocessing plan (from card.json).
 * Without `--model`: SONOSEG_MODEL, else the shipped model in resources/models/.
 */
export async function resolveCliModel(spec?: string): Promise<EngineModel & { name: string }> {
  const dir = spec ?? process.env.SONOSEG_MODEL ?? shippedModelDir();
  if (!dir || !fs.existsSync(path.join(dir, 'model.json'))) {
    throw new SonoError('MODEL_NOT_FOUND', spec ? `no model.json in ${spec}` : 'no model found: give --model <dir>');
  }
  const cardFile = path.join(dir, 'card.json');
  const card = fs.existsSync(cardFile) ? readCard(cardFile) : {};
  return { id: card.id ?? path.basename(path.resolve(dir)), dir, plan: card.preprocessing, name: card.name ?? 'SonoSeg U-Net' };
}

function readCard(file: string): { id?: string; name?: string; preprocessing?: EngineModel['plan'] } {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new SonoError('MODEL_INVALID', `model card ${file} is not valid JSON`, { cause: e });
  }
}

function shippedModelDir(): string | undefined {
  const root = path.resolve(__dirname, '..', '..', '..', 'resources', 'models');
  if (!fs.existsSync(root)) return undefined;
  return fs.readdirSync(root).map((d) => path.join(root, d)).find((d) => fs.existsSync(path.join(d, 'model.json')));
}
