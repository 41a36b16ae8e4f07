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
  /** the weights stored as 8-bit to fit `maxBytes` (none without it) */
  uint8: string[];
}

/**
 * Adds a copy of model `id` to the registry with float16 weights (half the bytes; each weight within
 * a relative 4.9e-4 of the original) and, given `maxBytes`, its largest weights as 8-bit when that is
 * what it takes to fit (half-weights.ts). The card is the original's with a new id and `weights`
 * saying where it came from and which weights are 8-bit; its metrics and post-processing are the
 * original's until `sonoseg calibrate` re-measures them on the copy.
 */
export function halveModel(registry: ModelRegistry, id: string, o: { id?: string; maxBytes?: number } = {}): HalvedModel {
  const src = registry.byId(id);
  if (src.card.weights) throw new SonoError('INVALID_ARGUMENT', `model ${id} already stores ${src.card.weights.dtype} weights`);
  if (o.maxBytes !== undefined && !(o.maxBytes > 0)) throw new SonoError('INVALID_ARGUMENT', `the weight size cap must be positive, got ${o.maxBytes}`);
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-half-'));
  try {
    const sizes = saveHalfPrecisionCopy(src.dir, staging, { maxBytes: o.maxBytes });
    const mixed = sizes.uint8.length > 0;
    const cap = o.maxBytes === undefined ? '' : ` --max-mb ${o.maxBytes / 1e6}`;
    const card: ModelCard = {
      ...src.card,
      id: o.id ?? newModelId(`${modelIdStem(src.id)}-${mixed ? 'f16q8' : 'f16'}`),
      createdAt: new Date().toISOString(),
      weights: {
        dtype: mixed ? 'float16+uint8' : 'float16', derivedFrom: src.id, command: `sonoseg models half ${src.id}${cap}`,
        ...(mixed ? { uint8: sizes.uint8 } : {}),
      },
    };
    const log = path.join(src.dir, 'log.jsonl');
    const extras = src.card.hasLog && fs.existsSync(log) ? [{ name: 'log.jsonl', file: log }] : [];
    return { model: registry.add(staging, card, extras), ...sizes };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
