import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { loadOneDnnAddon } from '../../../../main/engine/native/addon';
import { nativeConvCalls, nativeFallbacks, registerNativeConvKernels } from '../../../../main/engine/native/conv-kernels';
import { initBackends } from '../kernels/helpers';

/**
 * The oneDNN kernels against the tfjs cpu backend (the reference) on random tensors:
 * strides 1 and 2, 'same' and 'valid', odd and even sizes, 1×1/2×2/3×3 filters, forward and both
 * gradients. CI builds the addon (SONOSEG_REQUIRE_NATIVE=1); elsewhere its absence is reported.
 */
const load = loadOneDnnAddon();

before(async () => {
  if (!load.ok) return;
  await initBackends(); // the wasm gradient kernels under ours, as main/engine/register-kernels.ts stacks them
  registerNativeConvKernels(load.addon);
});

test('the native addon is present where CI requires it', () => {
  if (process.env.SONOSEG_REQUIRE_NATIVE === '1') assert.ok(load.ok, load.ok ? '' : load.reason);
});

function rand(shape: number[], seed: number): Float32Array {
  let s = seed;
  const n = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: n }, () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1);
}

async function onBoth(f: () => tf.Tensor | tf.Tensor[]): Promise<[Float32Array[], Float32Array[]]> {
  const run = async (b: string) => {
    await tf.setBackend(b);
    const out = tf.tidy(f);
    const arr = (Array.isArray(out) ? out : [out]);
    const data = await Promise.all(arr.map(async (t) => (await t.data()) as Float32Array));
    arr.forEach((t) => t.dispose());
    return data;
  };
  const cpu = await run('cpu');
  const wasm = await run('wasm');
  return [cpu, wasm];
}

function assertClose(ref: Float32Array[], got: Float32Array[], what: string): void {
  ref.forEach((r, i) => {
    const g = got[i]!;
    assert.equal(g.length, r.length, what);
    let scale = 1, diff = 0;
    r.forEach((v, j) => { scale = Math.max(scale, Math.abs(v)); diff = Math.max(diff, Math.abs(v - g[j]!)); });
    assert.ok(diff <= 1e-3 * scale, `${what}: max |native - cpu| = ${diff} (scale ${scale})`);
  });
}

const cases: { n: number; h: number; w: number; c: number; oc: number; k: number; s: 1 | 2; pad: 'same' | 'valid' }[] = [];
for (const [h, w] of [[8, 8], [9, 7], [16, 11]] as const) {
  for (const k of [1, 2, 3]) for (const s of [1, 2] as const) for (const pad of ['same', 'valid'] as const) {
    cases.push({ n: 2, h, w, c: 3, oc: 5, k, s, pad });
  }
}


test('forward, input gradient and filter gradient match the cpu backend', { skip: !load.ok && 'addon not built' }, async () => {
  const before = nativeConvCalls(), fallbacksBefore = nativeFallbacks();
  let nativeCases = 0, strided1x1Cases = 0;
  for (const c of cases) {
    const xs = [c.n, c.h, c.w, c.c], fs = [c.k, c.k, c.c, c.oc];
    const x = rand(xs, 7 + c.h * 31 + c.k), f = rand(fs, 11 + c.w + c.s);
    const what = JSON.stringify(c);
    const [cpu, wasm] = await onBoth(() => {
      const xt = tf.tensor4d(x, xs as never), ft = tf.tensor4d(f, fs as never);
      const loss = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.conv2d(a, b, c.s, c.pad).square().sum();
      const [dx, df] = tf.grads(loss as never)([xt, ft]);
      return [tf.conv2d(xt, ft, c.s, c.pad), dx!, df!];
    });
    assertClose(cpu, wasm, what);
    if (c.k === 1 && c.s > 1) strided1x1Cases++;
    else nativeCases++;
  }
  assert.ok(nativeCases >= 20 && strided1x1Cases >= 5, `${nativeCases} native and ${strided1x1Cases} strided 1×1 cases`);
  assert.ok(nativeConvCalls() - before >= nativeCases * 3, 'the native kernels must have run');
  // a strided 1×1 filter goes to the wasm kernels (oneDNN's overrun there, see conv-kernels.ts)
  assert.ok(nativeFallbacks() - fallbacksBefore >= strided1x1Cases * 3, 'strided 1×1 convolutions must fall back');
});

test('fused conv with bias and relu/sigmoid, and the 2×2 stride-2 transposed conv, match the cpu backend',
  { skip: !load.ok && 'addon not built' }, async () => {
    for (const activation of ['linear', 'relu', 'sigmoid'] as const) {
      const x = rand([1, 10, 12, 4], 3), f = rand([3, 3, 4, 6], 5), b = rand([6], 9);
      const [cpu, wasm] = await onBoth(() => tf.fused.conv2d({
        x: tf.tensor4d(x, [1, 10, 12, 4]), filter: tf.tensor4d(f, [3, 3, 4, 6]), strides: 1, pad: 'same',
        bias: tf.tensor1d(b), activation,
      }));
      assertClose(cpu, wasm, `fused ${activation}`);
    }
    const x = rand([2, 5, 6, 8], 13), f = rand([2, 2, 4, 8], 17);
    const [cpu, wasm] = await onBoth(() => {
      const xt = tf.tensor4d(x, [2, 5, 6, 8]), ft = tf.tensor4d(f, [2, 2, 4, 8]);
      const up = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.conv2dTranspose(a, b, [2, 10, 12, 4], 2, 'same');
      const [dx, df] = tf.grads(((a: tf.Tensor4D, b: tf.Tensor4D) => up(a, b).square().sum()) as never)([xt, ft]);
      return [up(xt, ft), dx!, df!];
    });
    assertClose(cpu, wasm, 'conv2dTranspose 2x2 s2');
  });

test('channel concatenation (skip connections) matches the cpu backend; other axes still work', { skip: !load.ok && 'addon not built' }, async () => {
  const a = rand([2, 5, 7, 3], 21), b = rand([2, 5, 7, 4], 23);
  const before = nativeConvCalls();
  const [cpu, wasm] = await onBoth(() => {
    const at = tf.tensor4d(a, [2, 5, 7, 3]), bt = tf.tensor4d(b, [2, 5, 7, 4]);
    return [tf.concat([at, bt], -1), tf.concat([at, at], 1), tf.concat([bt, at, bt], 3)];
  });
  assertClose(cpu, wasm, 'concat');
  assert.ok(nativeConvCalls() - before >= 2, 'channel concatenations must run natively');
});

test('2×2 max-pooling gradient (ties to the first maximum) matches the cpu backend', { skip: !load.ok && 'addon not built' }, async () => {
  const x = rand([2, 6, 8, 3], 31).map((v) => Math.round(v * 3) / 3); // coarse values: many ties in a window
  const before = nativeConvCalls();
  const [cpu, wasm] = await onBoth(() => {
    const xt = tf.tensor4d(x, [2, 6, 8, 3]);
    const f = (a: tf.Tensor4D) => tf.maxPool(a, 2, 2, 'valid').mul(tf.range(1, 2 * 3 * 4 * 3 + 1).reshape([2, 3, 4, 3])).sum();
    return [tf.grad(f as never)(xt)];
  });
  assertClose(cpu, wasm, 'maxPoolGrad');
  assert.ok(nativeConvCalls() - before >= 1, 'the native pooling gradient must have run');
});
