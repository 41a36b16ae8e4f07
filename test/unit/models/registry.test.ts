import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { SonoError } from '../../../main/common/errors';
import { saveModel } from '../../../main/engine/model-io';
import { buildUNet } from '../../../main/engine/unet';
import { ensembleModels, halveModel, importModel, ModelRegistry, resolveModel, type Locations, type ModelCard } from '../../../main/models';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-registry-'));
const loc: Locations = { home: path.join(tmp, 'home'), resources: path.join(tmp, 'resources') };
const code = (c: string) => (e: unknown) => e instanceof SonoError && e.code === c;

function card(id: string, inputSize = 32): ModelCard {
  return {
    schema: 1, id, createdAt: '2026-01-01T00:00:00Z', appVersion: 'test', source: 'trained',
    architecture: { name: 'unet', unet: null, params: 0, inputSize },
    plan: { inputSize, resize: 'letterbox', normalization: 'zscore' },
    training: null, metrics: null, backend: 'cpu', hasLog: false,
  };
}

test.before(async () => {
  await tf.setBackend('cpu');
  await saveModel(buildUNet({ inputSize: 32, depth: 2, baseFilters: 2 }, 1), path.join(tmp, 'tiny'));
  // a shipped model, as resources/models/<id>/ holds one
  const shipped = path.join(loc.resources, 'models', 'shipped-a');
  await saveModel(buildUNet({ inputSize: 32, depth: 2, baseFilters: 2 }, 2), shipped);
  fs.writeFileSync(path.join(shipped, 'card.json'), JSON.stringify(card('shipped-a')));
  // a model mapping 3 channels: not a 1-channel image model
  const input = tf.input({ shape: [32, 32, 3] });
  const out = tf.layers.conv2d({ filters: 1, kernelSize: 1, activation: 'sigmoid' }).apply(input) as tf.SymbolicTensor;
  await saveModel(tf.model({ inputs: input, outputs: out }), path.join(tmp, 'rgb'));
});
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('with no active model the shipped one is the default, and its plan comes from its card', () => {
  const m = resolveModel(undefined, loc);
  assert.equal(m.id, 'shipped-a');
  assert.equal(m.shipped, true);
  assert.deepEqual(m.plan, { inputSize: 32, resize: 'letterbox', normalization: 'zscore' });
});

test('add, list, activate, rollback; --model takes an id or a folder', () => {
  const reg = new ModelRegistry(loc);
  reg.add(path.join(tmp, 'tiny'), card('m1'));
  reg.add(path.join(tmp, 'tiny'), card('m2'));
  assert.deepEqual(reg.list().models.map((m) => m.id), ['m1', 'm2', 'shipped-a']);
  assert.throws(() => reg.add(path.join(tmp, 'tiny'), card('m1')), code('INVALID_ARGUMENT'));
  reg.activate('m1');
  reg.activate('m2');
  assert.equal(resolveModel(undefined, loc).id, 'm2');
  assert.equal(reg.rollback().id, 'm1');
  assert.equal(reg.rollback().id, 'shipped-a');
  assert.throws(() => reg.rollback(), code('MODEL_NOT_FOUND'));
  assert.equal(resolveModel('m2', loc).dir, path.join(loc.home, 'models', 'm2'));
  assert.equal(resolveModel(path.join(loc.home, 'models', 'm1'), loc).id, 'm1');
  assert.throws(() => resolveModel('nope', loc), code('MODEL_NOT_FOUND'));
  assert.throws(() => resolveModel(path.join(tmp, 'tiny'), loc), code('MODEL_INVALID'), 'a folder without a card is refused');
});

test('a damaged card is reported by list, not dropped silently', () => {
  const bad = path.join(loc.home, 'models', 'broken');
  fs.mkdirSync(bad, { recursive: true });
  fs.writeFileSync(path.join(bad, 'card.json'), '{not json');
  const { models, problems } = new ModelRegistry(loc).list();
  assert.ok(!models.some((m) => m.id === 'broken'));
  assert.match(problems.join('\n'), /broken/);
  fs.rmSync(bad, { recursive: true });
});

test('import checks the shape in an engine worker and writes a card with the given plan', async () => {
  const reg = new ModelRegistry(loc);
  const m = await importModel(path.join(tmp, 'tiny'), reg, { id: 'keras-unet', plan: { resize: 'letterbox' }, backend: 'cpu' });
  assert.equal(m.card.source, 'imported');
  assert.deepEqual(m.plan, { inputSize: 32, resize: 'letterbox', normalization: 'unit' });
  assert.ok(m.card.architecture.params > 0);
  assert.ok(fs.existsSync(path.join(m.dir, 'weights.bin')));
  await assert.rejects(importModel(path.join(tmp, 'rgb'), reg, { backend: 'cpu' }), code('MODEL_INVALID'));
});

test('half adds a float16 copy under a new id with the same card, post-processing and log; never twice', () => {
  const reg = new ModelRegistry(loc);
  const src = path.join(tmp, 'with-log');
  fs.cpSync(path.join(tmp, 'tiny'), src, { recursive: true });
  fs.writeFileSync(path.join(src, 'log.jsonl'), '{"epoch":1}\n');
  const policy = { threshold: 0.4, cleanup: { minAreaFraction: 0.001, fillHoles: true, minMeanProbability: 0.7, largestOnly: false, outlineRatio: 0.8 } };
  reg.add(src, { ...card('unet2-32-20260101-000000-abcd'), hasLog: true, postprocess: policy }, [{ name: 'log.jsonl', file: path.join(src, 'log.jsonl') }]);
  const h = halveModel(reg, 'unet2-32-20260101-000000-abcd');
  assert.match(h.model.id, /^unet2-32-f16-\d{8}-\d{6}-[0-9a-f]{4}$/);
  assert.equal(h.bytesAfter * 2, h.bytesBefore);
  assert.deepEqual(h.model.card.weights, { dtype: 'float16', derivedFrom: 'unet2-32-20260101-000000-abcd', command: 'sonoseg models half unet2-32-20260101-000000-abcd' });
  assert.deepEqual(h.model.card.postprocess, policy);
  assert.deepEqual(h.model.plan, card('x').plan);
  assert.equal(fs.readFileSync(path.join(h.model.dir, 'log.jsonl'), 'utf8'), '{"epoch":1}\n');
  assert.equal(fs.statSync(path.join(h.model.dir, 'weights.bin')).size, h.bytesAfter);
  assert.throws(() => halveModel(reg, h.model.id), code('INVALID_ARGUMENT'));
  assert.throws(() => halveModel(reg, 'no-such-model'), code('MODEL_NOT_FOUND'));
});

test('half under a size cap adds an f16q8 copy whose card names its 8-bit weights and the cap', () => {
  const reg = new ModelRegistry(loc);
  reg.add(path.join(tmp, 'tiny'), card('unet2-32-20260101-000000-cafe'));
  const f32 = fs.statSync(path.join(reg.byId('unet2-32-20260101-000000-cafe').dir, 'weights.bin')).size;
  const maxBytes = Math.floor(f32 * 0.4);
  const h = halveModel(reg, 'unet2-32-20260101-000000-cafe', { maxBytes });
  assert.match(h.model.id, /^unet2-32-f16q8-\d{8}-\d{6}-[0-9a-f]{4}$/);
  assert.ok(h.bytesAfter <= maxBytes && h.uint8.length > 0);
  assert.deepEqual(h.model.card.weights, {
    dtype: 'float16+uint8', derivedFrom: 'unet2-32-20260101-000000-cafe', uint8: h.uint8,
    command: `sonoseg models half unet2-32-20260101-000000-cafe --max-mb ${maxBytes / 1e6}`,
  });
  assert.equal(new ModelRegistry(loc).byId(h.model.id).card.weights?.dtype, 'float16+uint8');
  assert.throws(() => halveModel(reg, h.model.id), code('INVALID_ARGUMENT'));
  assert.throws(() => halveModel(reg, 'unet2-32-20260101-000000-cafe', { maxBytes: 10 }), code('INVALID_ARGUMENT'));
  assert.throws(() => halveModel(reg, 'unet2-32-20260101-000000-cafe', { maxBytes: -1 }), code('INVALID_ARGUMENT'));
});

test('ensemble adds one model averaging its members, whose card keeps each member\'s training; plans must agree', async () => {
  const reg = new ModelRegistry(loc);
  const trained = (id: string, seed: number): ModelCard => ({
    ...card(id), architecture: { name: 'unet', unet: null, params: 100, inputSize: 32 },
    training: { data: { dir: '/d', splitSource: 'file', hash: 'h', train: [], val: [], test: [] }, baseModel: null, epochs: 3, epochsRun: 3,
      bestEpoch: 2, stopped: 'done', seed, options: {}, command: `sonoseg train --seed ${seed}`, seconds: 60 },
  });
  await saveModel(buildUNet({ inputSize: 32, depth: 2, baseFilters: 2 }, 3), path.join(tmp, 'tiny3'));
  reg.add(path.join(tmp, 'tiny'), trained('ens-a', 1));
  reg.add(path.join(tmp, 'tiny3'), trained('ens-b', 2));
  const e = ensembleModels(reg, ['ens-a', 'ens-b']);
  assert.match(e.model.id, /^ens2-32-\d{8}-\d{6}-[0-9a-f]{4}$/);
  assert.equal(e.model.card.source, 'ensemble');
  assert.equal(e.model.card.architecture.params, 200);
  assert.equal(e.model.card.backend, 'cpu');
  assert.deepEqual(e.model.plan, { ...card('x').plan, flip: false });
  assert.deepEqual(e.model.card.ensemble!.members.map((m) => [m.id, m.training!.command]), [['ens-a', 'sonoseg train --seed 1'], ['ens-b', 'sonoseg train --seed 2']]);
  assert.equal(e.model.card.ensemble!.command, 'sonoseg models ensemble ens-a ens-b');
  assert.equal(fs.statSync(path.join(e.model.dir, 'weights.bin')).size, 2 * fs.statSync(path.join(tmp, 'tiny', 'weights.bin')).size);
  // it reads back as a card, and it halves like any model
  assert.equal(reg.byId(e.model.id).card.ensemble!.members.length, 2);
  const h = halveModel(reg, e.model.id);
  assert.equal(h.model.card.ensemble!.members.length, 2);

  // multi-scale sizes carry over only when every member runs at the same ones
  const at = (id: string, seed: number, sizes?: number[]) => reg.add(path.join(tmp, 'tiny'), { ...trained(id, seed), plan: { ...card(id).plan, ...(sizes ? { sizes } : {}) } });
  at('ens-s1', 4, [32, 64]); at('ens-s2', 5, [32, 64]); at('ens-s3', 6, [64]);
  assert.deepEqual(ensembleModels(reg, ['ens-s1', 'ens-s2']).model.plan.sizes, [32, 64]);
  assert.equal(ensembleModels(reg, ['ens-s1', 'ens-s3']).model.plan.sizes, undefined);
  assert.equal(ensembleModels(reg, ['ens-s1', 'ens-a']).model.plan.sizes, undefined);

  reg.add(path.join(tmp, 'tiny'), { ...trained('ens-c', 3), plan: { inputSize: 32, resize: 'stretch', normalization: 'zscore' } });
  assert.throws(() => ensembleModels(reg, ['ens-a', 'ens-c']), (err: unknown) => code('INVALID_ARGUMENT')(err) && /must agree/.test((err as Error).message));
  // anti-aliased members average with anti-aliased ones only, and the ensemble keeps the plan
  reg.add(path.join(tmp, 'tiny'), { ...trained('ens-aa1', 7), plan: { ...card('x').plan, antialias: true } });
  reg.add(path.join(tmp, 'tiny3'), { ...trained('ens-aa2', 8), plan: { ...card('x').plan, antialias: true } });
  assert.throws(() => ensembleModels(reg, ['ens-a', 'ens-aa1']), (err: unknown) => code('INVALID_ARGUMENT')(err) && /area-shrunk/.test((err as Error).message));
  assert.equal(ensembleModels(reg, ['ens-aa1', 'ens-aa2']).model.plan.antialias, true);
  // so do equalised members, with the same CLAHE settings
  reg.add(path.join(tmp, 'tiny'), { ...trained('ens-eq1', 9), plan: { ...card('x').plan, clahe: { tiles: 8, clip: 2 } } });
  reg.add(path.join(tmp, 'tiny3'), { ...trained('ens-eq2', 10), plan: { ...card('x').plan, clahe: { tiles: 8, clip: 2 } } });
  reg.add(path.join(tmp, 'tiny3'), { ...trained('ens-eq3', 11), plan: { ...card('x').plan, clahe: { tiles: 4, clip: 2 } } });
  assert.throws(() => ensembleModels(reg, ['ens-a', 'ens-eq1']), (err: unknown) => code('INVALID_ARGUMENT')(err) && /CLAHE 8×8 clip 2/.test((err as Error).message));
  assert.throws(() => ensembleModels(reg, ['ens-eq1', 'ens-eq3']), (err: unknown) => code('INVALID_ARGUMENT')(err) && /CLAHE 4×4/.test((err as Error).message));
  assert.deepEqual(ensembleModels(reg, ['ens-eq1', 'ens-eq2']).model.plan.clahe, { tiles: 8, clip: 2 });
  assert.throws(() => ensembleModels(reg, ['ens-a']), code('INVALID_ARGUMENT'));
  assert.throws(() => ensembleModels(reg, ['ens-a', 'ens-a']), code('INVALID_ARGUMENT'));
  assert.throws(() => ensembleModels(reg, ['ens-a', 'nope']), code('MODEL_NOT_FOUND'));
});
