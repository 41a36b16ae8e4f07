import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { halveWeights } from '../../../main/engine/half-weights';
import { concatBytes } from '../../../main/common/bytes';

function artifacts(values: number[], extra?: Int32Array) {
  const f = new Float32Array(values);
  const specs: tf.io.WeightsManifestEntry[] = [{ name: 'w', shape: [values.length], dtype: 'float32' }];
  const parts: Uint8Array[] = [new Uint8Array(f.buffer)];
  if (extra) {
    specs.push({ name: 'steps', shape: [extra.length], dtype: 'int32' });
    parts.push(new Uint8Array(extra.buffer));
  }
  return { specs, data: concatBytes(parts) };
}

test('float32 weights become IEEE binary16 bits, rounded to nearest even', () => {
  // hand-checked encodings: 1 = 0x3c00, −2 = 0xc000, 65504 (largest half) = 0x7bff, 0.1 ≈ 0x2e66,
  // 1 + 2^-11 is a tie between 0x3c00 and 0x3c01 and goes to the even 0x3c00, 2^-24 is the smallest subnormal
  const h = halveWeights(artifacts([1, -2, 65504, 0.1, 1 + 2 ** -11, 2 ** -24, 1e-9, 0]));
  const bits = Array.from(new Uint16Array(h.data.buffer, h.data.byteOffset, 8));
  assert.deepEqual(bits, [0x3c00, 0xc000, 0x7bff, 0x2e66, 0x3c00, 0x0001, 0x0000, 0x0000]);
  assert.deepEqual(h.specs[0]!.quantization, { dtype: 'float16' });
  assert.equal(h.specs[0]!.dtype, 'float32');
});

test('tfjs decodes halved weights back within 2^-11 relative; other dtypes pass through unchanged', () => {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5) * 4;
  const values = Array.from({ length: 1000 }, rand);
  const src = artifacts(values, new Int32Array([3, -4, 2 ** 30]));
  const h = halveWeights(src);
  assert.equal(h.data.byteLength, 1000 * 2 + 3 * 4);
  const decoded = tf.io.decodeWeights(h.data.slice().buffer, h.specs);
  const w = decoded.w!.dataSync();
  for (let i = 0; i < values.length; i++) {
    assert.ok(Math.abs(w[i]! - values[i]!) <= Math.abs(values[i]!) * 2 ** -11 + 2 ** -25, `weight ${i}: ${w[i]} vs ${values[i]}`);
  }
  assert.deepEqual(Array.from(decoded.steps!.dataSync()), [3, -4, 2 ** 30]);
  tf.dispose(Object.values(decoded));
});

test('weights already quantized are left as they are', () => {
  const h = halveWeights(artifacts([1, 2]));
  const again = halveWeights(h);
  assert.deepEqual(again.specs, h.specs);
  assert.deepEqual(Array.from(again.data), Array.from(h.data));
});

test('a weight file shorter or longer than its manifest is an error', () => {
  const src = artifacts([1, 2, 3]);
  assert.throws(() => halveWeights({ specs: src.specs, data: src.data.subarray(0, 8) }), /bytes/);
  assert.throws(() => halveWeights({ specs: src.specs, data: new Uint8Array(16) }), /bytes/);
});
