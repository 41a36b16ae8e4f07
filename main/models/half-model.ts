import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SonoError } from '../common/errors';
import { saveHalfPrecisionCopy } from '../engine/model-io';
import { modelIdStem, newModelId, type ModelCard } from './card';
import type { ModelRegistry, ResolvedModel } from './registry';

export interface HalvedModel {
  model: ResolvedModel;
  bytesBefore: number;
  bytesAfter: number;
}

/**
 * Adds a copy of model `id` to the registry with float16 weights (half the bytes; each weight within
 * a relative 4.9e-4 of the original). The card is the original's with a new id and `weights` saying
 * where it came from; its metrics and post-processing are the original's until `sonoseg calibrate`
 * re-measures them on the copy.
 */
export function halveModel(registry: ModelRegistry, id: string, o: { id?: string } = {}): HalvedModel {
  const src = registry.byId(id);
  if (src.card.weights?.dtype === 'float16') throw new SonoError('INVALID_ARGUMENT', `model ${id} already stores float16 weights`);
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-half-'));
  try {
    const sizes = saveHalfPrecisionCopy(src.dir, staging);
    const card: ModelCard = {
      ...src.card,
      id: o.id ?? newModelId(`${modelIdStem(src.id)}-f16`),
      createdAt: new Date().toISOString(),
      weights: { dtype: 'float16', derivedFrom: src.id, command: `sonoseg models half ${src.id}` },
    };
    const log = path.join(src.dir, 'log.jsonl');
    const extras = src.card.hasLog && fs.existsSync(log) ? [{ name: 'log.jsonl', file: log }] : [];
    return { model: registry.add(staging, card, extras), ...sizes };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
