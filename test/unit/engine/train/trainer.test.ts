import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readLog, resumeTraining, startTraining, type EpochLog } from '../../../../main/engine/train';
import { NO_AUGMENT } from '../../../../main/engine/train/augment-params';
import { readAverage, readCheckpoint } from '../../../../main/engine/train/checkpoint';
import { loadModel } from '../../../../main/engine/model-io';
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
  const o = { ...base, augment: { carve: 0.5 } }; // default augmentation with carving: its draws must resume in step too
  const straight = await startTraining({ ...o, epochs: 6 }, path.join(tmp, 'run-straight'));
  await startTraining({ ...o, epochs: 3, command: 'sonoseg train --epochs 3' }, path.join(tmp, 'run-split'));
  const resumed = await resumeTraining(path.join(tmp, 'run-split'), { epochs: 6 });
  assert.deepEqual(losses(resumed.log), losses(straight.log));
  assert.equal(resumed.options.command, `sonoseg train --epochs 3 && sonoseg train --resume ${path.join(tmp, 'run-split')} --epochs 6`);
  assert.notDeepEqual(losses(straight.log).map((l) => l[1]), Array(6).fill(straight.log[0]!.loss));
});

test('weight averaging validates the average beside the weights, leaves training untouched, and resumes exactly', async () => {
  const o = { ...base, augment: NO_AUGMENT, average: 0.6 };
  const plain = await startTraining({ ...base, augment: NO_AUGMENT, epochs: 16 }, path.join(tmp, 'run-plain'));
  const straight = await startTraining({ ...o, epochs: 16 }, path.join(tmp, 'run-avg'));
  // validating the average must not change the training itself (up to float rounding: the kernels'
  // summation order can follow the heap layout, which the extra validation shifts)
  assertClose(straight.log.map((e) => e.loss), plain.log.map((e) => e.loss), 1e-4);
  assert.equal(straight.log[0]!.average, undefined, 'the first average is the first weights: nothing to validate');
  for (const e of straight.log.slice(1)) assert.equal(typeof e.average?.valDice, 'number');
  assert.ok(straight.log.slice(1).some((e) => e.average!.valDice !== e.valDice), 'the average is a different model');
  const bests = straight.log.filter((e) => e.best || e.average?.best);
  assert.ok(bests.length > 0);
  assert.equal(straight.state.best!.average === true, !!bests.at(-1)!.average?.best);
  await startTraining({ ...o, epochs: 8 }, path.join(tmp, 'run-avg-split'));
  const resumed = await resumeTraining(path.join(tmp, 'run-avg-split'), { epochs: 16 });
  // the 8 epochs before the stop are the same run; after the resume the reloaded tensors sit elsewhere on the
  // heap, so float rounding may drift: on an AMD EPYC (AVX2) machine by up to 1.3e-4 of a loss by epoch 14, where
  // the AVX-512 machines this was written on stayed under 1e-4
  assert.deepEqual(resumed.log.slice(0, 8).map((e) => e.loss), straight.log.slice(0, 8).map((e) => e.loss));
  assertClose(resumed.log.map((e) => e.loss), straight.log.map((e) => e.loss), 1e-3);
  assertClose(resumed.log.map((e) => e.average?.valDice ?? -1), straight.log.map((e) => e.average?.valDice ?? -1), 1e-3);
});

test('--select last keeps the final averaged weights whatever validation says, and never stops early', async () => {
  const dir = path.join(tmp, 'run-last');
  const run = await startTraining({ ...base, augment: NO_AUGMENT, epochs: 6, average: 0.6, selectOn: 'last', patience: 1 }, dir);
  assert.deepEqual(run.log.map((e) => e.epoch), [1, 2, 3, 4, 5, 6], 'patience does not apply');
  assert.equal(run.state.stopped, 'done');
  assert.equal(run.log[0]!.best, true, 'epoch 1: its weights are the average');
  for (const e of run.log.slice(1)) assert.equal(e.average?.best, true, `epoch ${e.epoch}: the new average replaces the kept weights`);
  assert.deepEqual({ epoch: run.state.best!.epoch, average: run.state.best!.average }, { epoch: 6, average: true });
  assert.equal(run.state.best!.dice, run.log[5]!.average!.valDiceAll);
  const kept = await loadModel(path.join(dir, 'best'));
  const average = readAverage(path.join(dir, 'checkpoint'))!;
  const weights = kept.getWeights().map((w) => w.dataSync());
  assert.equal(weights.length, average.length);
  weights.forEach((w, i) => assertClose(Array.from(w), Array.from(average[i]!), 1e-6));
  kept.dispose();
});

function assertClose(a: number[], b: number[], tol: number): void {
  assert.equal(a.length, b.length);
  a.forEach((x, i) => assert.ok(Math.abs(x - b[i]!) <= tol * Math.max(1, Math.abs(b[i]!)), `item ${i}: ${x} vs ${b[i]}`));
}

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

test('a model trained at one input size starts a run at another (same weights, new input size)', async () => {
  const small = await startTraining({ ...base, epochs: 16, augment: NO_AUGMENT }, path.join(tmp, 'run-32'));
  const big = { ...base, unet: { ...base.unet, inputSize: 64 }, plan: { inputSize: 64 }, epochs: 1, augment: NO_AUGMENT };
  const fresh = await startTraining(big, path.join(tmp, 'run-64-fresh'));
  const tuned = await startTraining({ ...big, init: small.paths.best }, path.join(tmp, 'run-64-init'));
  const model = JSON.parse(fs.readFileSync(path.join(tuned.paths.checkpoint, 'model.json'), 'utf8'));
  assert.match(JSON.stringify(model.modelTopology), /"batch_input_shape":\[null,64,64,1\]/);
  assert.ok(tuned.log[0]!.loss < fresh.log[0]!.loss * 0.8, `the 32×32 weights carry over: loss ${tuned.log[0]!.loss} vs ${fresh.log[0]!.loss} from scratch`);
});

test('a gated U-Net trains on synthetic lesions, and a plain one gains a gate as an init (its layers carry over)', async () => {
  const o = { ...base, unet: { ...base.unet, gate: true }, epochs: 16, augment: NO_AUGMENT };
  const gated = await startTraining(o, path.join(tmp, 'run-gated'));
  assert.ok(gated.log.at(-1)!.loss < gated.log[0]!.loss * 0.6, `loss falls: ${gated.log[0]!.loss} → ${gated.log.at(-1)!.loss}`);
  assert.ok(gated.state.best!.dice > 0.5, `validation Dice rises to ${gated.state.best!.dice}`);
  const model = JSON.parse(fs.readFileSync(path.join(gated.paths.best, 'model.json'), 'utf8'));
  assert.match(JSON.stringify(model.modelTopology), /"name":"lesion_gate"/);
  const plain = await startTraining({ ...base, epochs: 16, augment: NO_AUGMENT }, path.join(tmp, 'run-plain-for-gate'));
  const fresh = await startTraining({ ...o, epochs: 1 }, path.join(tmp, 'run-gate-fresh'));
  const tuned = await startTraining({ ...o, epochs: 1, init: plain.paths.best }, path.join(tmp, 'run-gate-init'));
  const tunedModel = JSON.parse(fs.readFileSync(path.join(tuned.paths.checkpoint, 'model.json'), 'utf8'));
  assert.match(JSON.stringify(tunedModel.modelTopology), /"name":"lesion_gate"/);
  assert.ok(tuned.log[0]!.loss < fresh.log[0]!.loss * 0.8, `the plain model's weights carry over: loss ${tuned.log[0]!.loss} vs ${fresh.log[0]!.loss} from scratch`);
});

test('a U-Net with the pretrained MobileNetV2 encoder trains on wasm workers (the depthwise gradients) and its loss falls', async () => {
  const o = { ...base, unet: { inputSize: 32, encoder: 'mobilenetv2' as const }, lr: 1e-3, epochs: 8, augment: NO_AUGMENT };
  const run = await startTraining(o, path.join(tmp, 'run-mobilenet'));
  const late = run.log.slice(-2).reduce((s, e) => s + e.loss, 0) / 2;
  assert.ok(late < run.log[0]!.loss * 0.8, `loss falls: ${run.log[0]!.loss} → ${late}`);
  const model = JSON.parse(fs.readFileSync(path.join(run.paths.best, 'model.json'), 'utf8'));
  assert.match(JSON.stringify(model.modelTopology), /"name":"block_16_depthwise"/);
});

test("an encoder learning-rate factor is kept in the run and through a resume: 1 + 1 epochs equal 2 straight", async () => {
  // two workers: their batch-norm statistics are synced after each epoch, so validation (spread over both)
  // and a resumed run (restored onto both) see the same model
  const o = { ...base, unet: { inputSize: 32, encoder: 'mobilenetv2' as const }, lr: 1e-3, encoderLr: 0.1, augment: NO_AUGMENT };
  const straight = await startTraining({ ...o, epochs: 2 }, path.join(tmp, 'run-encoder-lr'));
  await startTraining({ ...o, epochs: 1 }, path.join(tmp, 'run-encoder-lr-split'));
  const resumed = await resumeTraining(path.join(tmp, 'run-encoder-lr-split'), { epochs: 2 });
  assert.equal(resumed.options.encoderLr, 0.1);
  assert.deepEqual(losses(resumed.log), losses(straight.log));
  const full = await startTraining({ ...o, encoderLr: undefined, epochs: 2 }, path.join(tmp, 'run-encoder-lr-full'));
  assert.notDeepEqual(losses(full.log)[1], losses(straight.log)[1], 'the factor changes the second epoch');
});

test('deep supervision: trains, its heads live in the checkpoint so 2 + 2 epochs equal 4 straight, and best/ is the map alone', async () => {
  const o = { ...base, unet: { inputSize: 32, depth: 3, baseFilters: 4 }, augment: NO_AUGMENT, deepSupervision: true };
  const straight = await startTraining({ ...o, epochs: 4 }, path.join(tmp, 'run-deep'));
  await startTraining({ ...o, epochs: 2 }, path.join(tmp, 'run-deep-split'));
  const resumed = await resumeTraining(path.join(tmp, 'run-deep-split'), { epochs: 4 });
  assert.equal(resumed.options.deepSupervision, true);
  assert.deepEqual(losses(resumed.log), losses(straight.log));
  const outputs = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')).modelTopology.config.output_layers.length;
  assert.equal(outputs(readCheckpoint(straight.paths.checkpoint)!.dir), 3, 'the checkpoint keeps the heads at 1/2 and 1/4');
  assert.equal(outputs(straight.paths.best), 1, 'the kept model has no heads');
  assert.equal((await loadModel(straight.paths.best)).outputs.length, 1);
  const plain = await startTraining({ ...o, deepSupervision: undefined, epochs: 1 }, path.join(tmp, 'run-deep-off'));
  assert.notEqual(plain.log[0]!.loss, straight.log[0]!.loss, 'the heads change the loss');
});

test('a new run refuses a folder that already holds one', async () => {
  await assert.rejects(startTraining({ ...base, epochs: 1 }, path.join(tmp, 'run-a')), (e: unknown) => e instanceof SonoError && e.code === 'INVALID_ARGUMENT');
});
