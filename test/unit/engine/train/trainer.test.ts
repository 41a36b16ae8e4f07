import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readLog, resumeTraining, startTraining, type EpochLog } from '../../../../main/engine/train';
import { NO_AUGMENT } from '../../../../main/engine/train/augment-params';
import { readCheckpoint } from '../../../../main/engine/train/checkpoint';
import { SonoError } from '../../../../main/common/errors';
import { writeSyntheticBusi } from './synthetic-dataset';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-trainer-'));
const data = path.join(tmp, 'data');
// wasm: the default backend without the native one, ~60× faster than cpu at this size
const base = {
  data, unet: { inputSize: 32, depth: 2, baseFilters: 4 }, batch: 4, lr: 0.01, seed: 3,
  workers: 2, backend: 'wasm' as const, patience: 0, schedule: 'constant' as const,
};
const losses = (log: EpochLog[]) => log.map((e) => [e.epoch, e.loss, e.valDice]);

test.before(async () => writeSyntheticBusi(data, { perClass: { benign: 8, malignant: 6, normal: 4 } }));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('a tiny U-Net on synthetic lesions: the loss falls and validation Dice rises', async () => {
  const epochs: EpochLog[] = [];
  const result = await startTraining({ ...base, epochs: 20, augment: NO_AUGMENT }, path.join(tmp, 'run-a'), { onEpoch: (e) => epochs.push(e) });
  assert.equal(epochs.length, 20);
  const late = epochs.slice(-3).reduce((s, e) => s + e.loss, 0) / 3;
  assert.ok(late < epochs[0]!.loss * 0.5, `loss falls: ${epochs[0]!.loss} → ${late}`);
  assert.equal(epochs[0]!.valDice, 0, 'an untrained model finds no lesion');
  assert.ok(result.state.best!.dice > 0.6, `validation Dice rises to ${result.state.best!.dice}`);
  assert.deepEqual(readLog(path.join(tmp, 'run-a', 'log.jsonl')), epochs);
  assert.ok(fs.existsSync(path.join(tmp, 'run-a', 'best', 'model.json')));
});

test('a run stopped after 3 epochs and resumed to 6 matches an uninterrupted 6-epoch run (same seed)', async () => {
  const o = { ...base, augment: {} }; // default augmentation: its draws must resume in step too
  const straight = await startTraining({ ...o, epochs: 6 }, path.join(tmp, 'run-straight'));
  await startTraining({ ...o, epochs: 3 }, path.join(tmp, 'run-split'));
  const resumed = await resumeTraining(path.join(tmp, 'run-split'), { epochs: 6 });
  assert.deepEqual(losses(resumed.log), losses(straight.log));
  assert.notDeepEqual(losses(straight.log).map((l) => l[1]), Array(6).fill(straight.log[0]!.loss));
});

test('cancel stops within the epoch, keeps the last checkpoint, and a resume continues from it', async () => {
  const dir = path.join(tmp, 'run-cancel');
  const ctl = new AbortController();
  const run = startTraining({ ...base, epochs: 4, augment: NO_AUGMENT }, dir, {
    signal: ctl.signal, onProgress: (p) => { if (p.phase === 'train' && p.epoch === 2 && p.step === 2) ctl.abort(); },
  });
  await assert.rejects(run, (e: unknown) => e instanceof SonoError && e.code === 'CANCELLED');
  assert.equal(readCheckpoint(path.join(dir, 'checkpoint'))!.state.epoch, 1);
  assert.deepEqual(readLog(path.join(dir, 'log.jsonl')).map((e) => e.epoch), [1]);
  const done = await resumeTraining(dir);
  assert.deepEqual(done.log.map((e) => e.epoch), [1, 2, 3, 4]);
});

test('a new run refuses a folder that already holds one', async () => {
  await assert.rejects(startTraining({ ...base, epochs: 1 }, path.join(tmp, 'run-a')), (e: unknown) => e instanceof SonoError && e.code === 'INVALID_ARGUMENT');
});
