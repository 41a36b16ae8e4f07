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

function named(tensors: Record<string, number[]>) {
  const specs: tf.io.WeightsManifestEntry[] = Object.entries(tensors).map(([name, v]) => ({ name, shape: [v.length], dtype: 'float32' }));
  return { specs, data: concatBytes(Object.values(tensors).map((v) => new Uint8Array(new Float32Array(v).buffer))) };
}

test('under a size cap the largest weights, and only as many as needed, become 8-bit', () => {
  const ramp = (n: number, lo: number, hi: number) => Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
  const src = named({ small: ramp(10, -1, 1), big: ramp(100, -0.5, 0.5), middle: ramp(40, 0, 2) });
  // float16 everywhere: 300 bytes. Cap 260: 'big' alone as 8-bit saves 100 → 200 bytes, so 'middle' stays float16
  const h = halveWeights(src, { maxBytes: 260 });
  assert.deepEqual(h.uint8, ['big']);
  assert.equal(h.data.byteLength, 10 * 2 + 100 + 40 * 2);
  assert.deepEqual(h.specs.map((s) => s.quantization?.dtype), ['float16', 'uint8', 'float16']);
  // hand-computed affine code: min −0.5, scale 1/255; −0.5 → 0, 0.5 → 255, the ramp's middle rounds to 127 or 128
  assert.deepEqual(h.specs[1]!.quantization, { dtype: 'uint8', min: -0.5, scale: 1 / 255 });
  const codes = h.data.subarray(20, 120);
  assert.equal(codes[0], 0);
  assert.equal(codes[99], 255);
  // tfjs decodes every 8-bit weight within half a step, (max − min) / 510
  const decoded = tf.io.decodeWeights(h.data.slice().buffer, h.specs);
  const big = decoded.big!.dataSync();
  ramp(100, -0.5, 0.5).forEach((v, i) => assert.ok(Math.abs(big[i]! - v) <= 1 / 510 + 1e-7, `weight ${i}: ${big[i]} vs ${v}`));
  tf.dispose(Object.values(decoded));
  // a tighter cap takes the next largest too; without a cap, or a cap float16 meets, nothing is 8-bit
  assert.deepEqual(halveWeights(src, { maxBytes: 199 }).uint8, ['big', 'middle']);
  assert.deepEqual(halveWeights(src, { maxBytes: 300 }).uint8, []);
  assert.deepEqual(halveWeights(src).uint8, []);
});

test('a constant weight survives 8 bits exactly; a cap even 8 bits cannot meet is refused', () => {
  const src = named({ c: new Array(50).fill(0.25), d: [1, 2] });
  const h = halveWeights(src, { maxBytes: 60 });
  assert.deepEqual(h.uint8, ['c']);
  const decoded = tf.io.decodeWeights(h.data.slice().buffer, h.specs);
  assert.deepEqual(Array.from(decoded.c!.dataSync()), new Array(50).fill(0.25));
  tf.dispose(Object.values(decoded));
  assert.throws(() => halveWeights(src, { maxBytes: 40 }), /at least 52 bytes even at 8 bits, over the 40 allowed/);
});
