import * as fs from 'node:fs';
import * as path from 'node:path';
import { SonoError } from '../../common/errors';
import { readableDir, replaceDir, stagingDir, writeAtomic, writeJsonAtomic } from '../../fs/atomic';
import type { EnginePool } from '../pool';
import type { AdamSettings, OptimizerState } from '../protocol';
import type { RngState } from './rng';
import type { ScheduleState } from './schedule';

/**
 * A checkpoint is a folder: the model (model.json + weights.bin, with any deep-supervision heads), Adam's state (optimizer.bin +
 * optimizer.json) and the loop's state (state.json: epochs done, RNG, schedule, best so far). It is
 * written whole into a staging folder and swapped in (fs/atomic.ts), so a kill at any instant leaves
 * the previous or the new checkpoint, and a resumed run loses at most the epoch in progress.
 */
export interface LoopState {
  version: 1;
  /** epochs completed */
  epoch: number;
  /** optimizer steps taken */
  step: number;
  rng: RngState;
  schedule: ScheduleState;
  /** the best validation score so far; `average` when the averaged weights scored it */
  best: { epoch: number; dice: number; average?: boolean } | null;
  /** epochs since the best one */
  sinceBest: number;
  stopped: 'early' | 'done' | null;
  /** training seconds so far, over all sessions */
  seconds: number;
}

const STATE = 'state.json';
const OPT_JSON = 'optimizer.json';
const OPT_BIN = 'optimizer.bin';
const AVG_JSON = 'average.json';
const AVG_BIN = 'average.bin';

/** Saves the pool's model, Adam's state, the loop state and (with weight averaging) the average weights. */
export async function saveCheckpoint(pool: EnginePool, dir: string, state: LoopState, average: Float32Array[] | null = null): Promise<void> {
  const staged = stagingDir(dir);
  try {
    await pool.save(staged, true); // with deep supervision's heads, which the resumed run continues
    const opt = await pool.getOptimizerState();
    writeAtomic(path.join(staged, OPT_BIN), concat(opt.moments));
    writeJsonAtomic(path.join(staged, OPT_JSON), { iterations: opt.iterations, lengths: opt.moments.map((m) => m.length) });
    if (average) {
      writeAtomic(path.join(staged, AVG_BIN), concat(average));
      writeJsonAtomic(path.join(staged, AVG_JSON), { lengths: average.map((m) => m.length) });
    }
    writeJsonAtomic(path.join(staged, STATE), state);
    replaceDir(staged, dir);
  } catch (e) {
    fs.rmSync(staged, { recursive: true, force: true });
    throw e;
  }
}

/** The checkpoint's folder and loop state, or null when the run has none yet. */
export function readCheckpoint(dir: string): { dir: string; state: LoopState } | null {
  const found = readableDir(dir);
  if (!found || !fs.existsSync(path.join(found, STATE))) return null;
  const state = readJson<LoopState>(path.join(found, STATE));
  if (state.version !== 1) throw new SonoError('CORRUPT_FILE', `checkpoint ${found} has unknown version ${state.version}`);
  return { dir: found, state };
}

/** Loads the checkpoint's weights into every worker and gives them a fresh Adam holding its saved state. */
export async function restoreCheckpoint(pool: EnginePool, dir: string, adam: AdamSettings): Promise<void> {
  await pool.loadModel({ kind: 'dir', dir });
  await pool.configureOptimizer(adam);
  const meta = readJson<{ iterations: number; lengths: number[] }>(path.join(dir, OPT_JSON));
  const state: OptimizerState = { iterations: meta.iterations, moments: readArrays(dir, OPT_BIN, meta.lengths) };
  await pool.setOptimizerState(state);
}

/** The checkpoint's average weights, or null when the run does not average. */
export function readAverage(dir: string): Float32Array[] | null {
  if (!fs.existsSync(path.join(dir, AVG_JSON))) return null;
  return readArrays(dir, AVG_BIN, readJson<{ lengths: number[] }>(path.join(dir, AVG_JSON)).lengths);
}

function readArrays(dir: string, name: string, lengths: number[]): Float32Array[] {
  const bytes = fs.readFileSync(path.join(dir, name));
  const total = lengths.reduce((a, b) => a + b, 0);
  if (bytes.byteLength !== total * 4) throw new SonoError('CORRUPT_FILE', `${name} in ${dir} is truncated`);
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const out: Float32Array[] = [];
  let at = 0;
  for (const n of lengths) { out.push(all.slice(at, at + n)); at += n; }
  return out;
}

function concat(parts: Float32Array[]): Uint8Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return new Uint8Array(out.buffer);
}

function readJson<T>(file: string): T {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (e) {
    throw new SonoError('CORRUPT_FILE', `${path.basename(file)} in ${path.dirname(file)} is missing or not valid JSON`, { cause: e });
  }
}
