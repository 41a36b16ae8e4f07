import { test, after, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EnginePool, averageGradients, splitBatch } from '../../../main/engine/pool';
import { syntheticFrame } from '../../../main/engine/bench';
import type { TensorBatch } from '../../../main/engine/protocol';
import type { PreprocessPlan } from '../../../main/engine/preprocess';
import { SonoError } from '../../../main/common/errors';

const config = { inputSize: 32, depth: 2, baseFilters: 4 };
const plan: PreprocessPlan = { inputSize: 32, resize: 'stretch', normalization: 'unit' };
let pool: EnginePool;

before(async () => {
  pool = await EnginePool.start({ workers: 2, backend: 'cpu' });
  await pool.loadModel({ kind: 'build', config });
});
after(async () => pool?.dispose());

function batch(n: number, size: number): TensorBatch {
  const per = size * size, x = new Float32Array(n * per), y = new Float32Array(n * per);
  for (let i = 0; i < n; i++) {
    const f = syntheticFrame(size, size, i + 7);
    for (let j = 0; j < per; j++) { x[i * per + j] = f.data[j]! / 255; y[i * per + j] = f.data[j]! < 100 ? 1 : 0; }
  }
  return { n, size, x, y };
}

test('the engine reports its backend and why better ones are not used', () => {
  assert.equal(pool.backend.backend, 'cpu');
  assert.equal(pool.size, 2);
});

test('predict returns a probability map at each frame\'s own size', async () => {
  const frames = [syntheticFrame(50, 37, 1), syntheticFrame(32, 32, 2), syntheticFrame(91, 64, 3)];
  const maps = await pool.predict(frames, plan);
  maps.forEach((m, i) => {
    assert.equal(m.width, frames[i]!.width);
    assert.equal(m.height, frames[i]!.height);
    assert.equal(m.data.length, m.width * m.height);
    assert.ok(m.data.every((p) => p >= 0 && p <= 1));
  });
});

test('both workers hold the same weights, so a frame gets the same answer from either', async () => {
  const f = syntheticFrame(40, 40, 9);
  const maps = await pool.predict([f, f, f, f], plan);
  for (const m of maps.slice(1)) assert.deepEqual(Array.from(m.data), Array.from(maps[0]!.data));
});

test('mirror averaging (plan.flip) is the mean of the prediction and the mirrored prediction of the mirrored image', async () => {
  const frame = syntheticFrame(32, 32, 11);
  const mirror = <T extends Uint8Array | Float32Array>(a: T): T => {
    const out = a.slice() as T;
    for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) out[y * 32 + x] = a[y * 32 + 31 - x]!;
    return out;
  };
  const [plain] = await pool.predict([frame], plan);
  const [ofMirror] = await pool.predict([{ ...frame, data: mirror(frame.data) }], plan);
  const [averaged] = await pool.predict([frame], { ...plan, flip: true });
  const back = mirror(ofMirror!.data);
  let worst = 0, differs = 0;
  for (let i = 0; i < back.length; i++) {
    worst = Math.max(worst, Math.abs(averaged!.data[i]! - (plain!.data[i]! + back[i]!) / 2));
    differs = Math.max(differs, Math.abs(plain!.data[i]! - back[i]!));
  }
  assert.ok(worst < 1e-5, `largest difference ${worst}`);
  assert.ok(differs > 1e-4, 'an untrained U-Net is not mirror-symmetric, so the test can tell the two apart');
});

test('splitBatch covers every image once; averageGradients weights by share', () => {
  const b = batch(5, 4);
  const parts = splitBatch(b, 2);
  assert.deepEqual(parts.map((p) => p.n), [3, 2]);
  assert.deepEqual(Array.from(parts[0]!.x.slice(0, 3)), Array.from(b.x.slice(0, 3)));
  const avg = averageGradients([{ n: 3, grads: [Float32Array.from([1, 2])] }, { n: 1, grads: [Float32Array.from([5, 6])] }]);
  assert.deepEqual(Array.from(avg[0]!), [2, 3]);
});

test('a data-parallel step over 2 workers equals the same step on 1 worker', async () => {
  const single = await EnginePool.start({ workers: 1, backend: 'cpu' });
  try {
    await single.loadModel({ kind: 'build', config });
    await single.loadModelWeights(await pool.getWeights());
    await pool.configureOptimizer({ learningRate: 1e-2 });
    await single.configureOptimizer({ learningRate: 1e-2 });
    const b = batch(4, 32);
    const l2 = await pool.trainStep({ ...b, x: b.x.slice(), y: b.y.slice() });
    const l1 = await single.trainStep(b);
    assert.ok(Math.abs(l1 - l2) < 1e-4, `loss ${l1} vs ${l2}`);
    const [w1, w2] = [await single.getWeights(), await pool.getWeights()];
    let maxDiff = 0, moved = 0;
    w1.forEach((w, i) => w.forEach((v, j) => { maxDiff = Math.max(maxDiff, Math.abs(v - w2[i]![j]!)); }));
    assert.ok(maxDiff < 1e-4, `weights differ by ${maxDiff}`);
    const before = await pool.getWeights();
    await pool.trainStep(batch(4, 32));
    (await pool.getWeights()).forEach((w, i) => w.forEach((v, j) => { moved = Math.max(moved, Math.abs(v - before[i]![j]!)); }));
    assert.ok(moved > 1e-4, 'a training step must change the weights');
  } finally {
    await single.dispose();
  }
});

test('a model folder that does not exist gives MODEL_NOT_FOUND and the pool keeps working', async () => {
  const p = await EnginePool.start({ workers: 1, backend: 'cpu' });
  try {
    await assert.rejects(p.loadModel({ kind: 'dir', dir: path.join(os.tmpdir(), 'no-such-model') }),
      (e: unknown) => e instanceof SonoError && e.code === 'MODEL_NOT_FOUND');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-pool-'));
    fs.writeFileSync(path.join(dir, 'model.json'), 'not json');
    await assert.rejects(p.loadModel({ kind: 'dir', dir }), (e: unknown) => e instanceof SonoError && e.code === 'MODEL_INVALID');
    await p.loadModel({ kind: 'build', config });
    assert.equal((await p.predict([syntheticFrame(20, 20, 1)], plan)).length, 1);
  } finally {
    await p.dispose();
  }
});

test('the loss settings reach every worker: a gate loss on a model without a gate is refused there', async () => {
  await pool.configureOptimizer({ learningRate: 1e-3 });
  const before = await pool.getWeights();
  await assert.rejects(pool.trainStep(batch(2, 32), undefined, { gateWeight: 1 }), (e: unknown) => e instanceof SonoError && /--gate/.test(e.message));
  // nothing was applied
  (await pool.getWeights()).forEach((w, i) => assert.deepEqual(w, before[i]));
});
