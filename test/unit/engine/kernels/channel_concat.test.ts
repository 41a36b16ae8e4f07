import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { concatIsFast, splitIsFast } from '../../../../main/engine/kernels/channel_concat';
import { isOurKernel, kernelCallCounts } from '../../../../main/engine/kernels';
import { assertClose, initBackends, maxRelError, onBackend, randomValues } from './helpers';

before(initBackends);

const t = (shape: number[], seed: number): tf.Tensor => tf.tensor(randomValues(shape.reduce((a, b) => a * b, 1), seed), shape);

interface Case { shapes: number[][]; axis: number; fast: boolean }
const concatCases: Case[] = [
  { shapes: [[2, 64, 64, 8], [2, 64, 64, 8]], axis: 3, fast: true },
  { shapes: [[1, 41, 65, 5], [1, 41, 65, 5], [1, 41, 65, 5]], axis: -1, fast: true },
  { shapes: [[2, 64, 64, 8], [2, 64, 64, 3]], axis: 3, fast: false },
  { shapes: [[2, 64, 64, 8], [2, 64, 64, 8]], axis: 1, fast: false },
  { shapes: [[1, 4, 4, 2], [1, 4, 4, 2]], axis: 3, fast: false },
];

test('Concat matches cpu on fast and fallback shapes', async () => {
  assert.ok(isOurKernel(tf.Concat));
  const before = kernelCallCounts()[tf.Concat] ?? 0;
  for (const c of concatCases) {
    const infos = c.shapes.map((s) => ({ shape: s, dtype: 'float32' as const, dataId: {} }));
    assert.equal(concatIsFast(infos, c.axis), c.fast, JSON.stringify(c));
    const run = (): tf.Tensor => tf.concat(c.shapes.map((s, i) => t(s, i + 1)), c.axis);
    const [expected] = await onBackend('cpu', run);
    const [actual] = await onBackend('wasm', run);
    assertClose(actual!, expected!, `concat ${JSON.stringify(c)}`);
  }
  assert.ok((kernelCallCounts()[tf.Concat] ?? 0) >= before + concatCases.length);
});

test('SplitV matches cpu on fast and fallback shapes', async () => {
  assert.ok(isOurKernel(tf.SplitV));
  const cases: { shape: number[]; splits: number | number[]; axis: number; fast: boolean }[] = [
    { shape: [2, 64, 64, 16], splits: 2, axis: 3, fast: true },
    { shape: [1, 31, 67, 18], splits: [6, 6, 6], axis: -1, fast: true },
    { shape: [2, 64, 64, 16], splits: [10, 6], axis: 3, fast: false },
    { shape: [2, 64, 64, 16], splits: 2, axis: 2, fast: false },
  ];
  for (const c of cases) {
    const splits = tf.backend_util.prepareSplitSize(tf.zeros(c.shape), c.splits, c.axis < 0 ? c.shape.length + c.axis : c.axis);
    assert.equal(splitIsFast({ shape: c.shape, dtype: 'float32', dataId: {} }, splits, c.axis), c.fast, JSON.stringify(c));
    const run = (): tf.Tensor[] => tf.split(t(c.shape, 5), c.splits, c.axis);
    const expected = await onBackend('cpu', run);
    const actual = await onBackend('wasm', run);
    assert.equal(actual.length, expected.length);
    actual.forEach((a, i) => assertClose(a, expected[i]!, `split ${JSON.stringify(c)} part ${i}`));
  }
});

test('a swapped split is rejected (the comparison can fail)', async () => {
  const run = (): tf.Tensor[] => tf.split(t([2, 64, 64, 16], 5), 2, 3);
  const expected = await onBackend('cpu', run);
  const actual = await onBackend('wasm', run);
  assert.ok(maxRelError(actual[1]!, expected[0]!) > 1e-3);
});
