import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { isOurKernel } from '../../../../main/engine/kernels';
import { initBackends, randomValues } from './helpers';

before(initBackends);

test('clone and same-dtype cast share the buffer, survive the original, and free on last dispose', async () => {
  await tf.setBackend('wasm');
  assert.ok(isOurKernel(tf.Identity) && isOurKernel(tf.Cast));
  const backend = tf.backend() as BackendWasm;
  const values = randomValues(1000, 8);
  const start = backend.numDataIds();
  const x = tf.tensor(values, [10, 100]);
  const c = tf.clone(x);
  const k = tf.cast(x, 'float32');
  assert.equal(backend.numDataIds(), start + 1, 'clone/cast made a copy');
  x.dispose();
  assert.deepEqual(c.dataSync(), values);
  assert.deepEqual(k.dataSync(), values);
  c.dispose();
  k.dispose();
  assert.equal(backend.numDataIds(), start);
});

test('casts to another dtype still convert', async () => {
  await tf.setBackend('wasm');
  const x = tf.tensor([1.7, -2.2, 0], [3]);
  assert.deepEqual(Array.from(tf.cast(x, 'int32').dataSync()), [1, -2, 0]);
});
