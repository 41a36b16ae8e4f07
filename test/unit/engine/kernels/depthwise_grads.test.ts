import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { kernelCallCounts, isOurKernel } from '../../../../main/engine/kernels';
import { assertClose, initBackends, onBackend, randomValues } from './helpers';

/** The depthwise convolution's gradients on wasm (ours) against tfjs's cpu backend (the reference). */
interface Case { n: number; h: number; w: number; c: number; k: number; s: number; pad: 'same' | 'valid'; multiplier?: number }

const cases: Case[] = [
  { n: 1, h: 8, w: 8, c: 1, k: 3, s: 1, pad: 'same' },
  { n: 2, h: 9, w: 7, c: 5, k: 3, s: 1, pad: 'same' },
  { n: 2, h: 10, w: 10, c: 6, k: 3, s: 2, pad: 'same' }, // MobileNetV2's stride-2 step on an even side
  { n: 2, h: 9, w: 11, c: 4, k: 3, s: 2, pad: 'same' }, // odd sides: padding differs top/left vs bottom/right
  { n: 3, h: 10, w: 11, c: 3, k: 3, s: 1, pad: 'valid' },
  { n: 1, h: 10, w: 7, c: 2, k: 5, s: 2, pad: 'valid' },
  { n: 2, h: 6, w: 6, c: 3, k: 3, s: 1, pad: 'same', multiplier: 2 }, // not ours: falls back to the cpu kernel
];

/** The loss Σ dy·depthwiseConv(x, f) has gradients (DepthwiseBackpropInput, DepthwiseBackpropFilter) wrt (x, f). */
function gradients(c: Case): tf.Tensor[] {
  const m = c.multiplier ?? 1;
  const x = tf.tensor4d(randomValues(c.n * c.h * c.w * c.c, 3 + c.h * c.c), [c.n, c.h, c.w, c.c]);
  const f = tf.tensor4d(randomValues(c.k * c.k * c.c * m, 11 + c.k), [c.k, c.k, c.c, m]);
  const y = tf.depthwiseConv2d(x, f, c.s, c.pad);
  const dy = tf.tensor(randomValues(y.size, 5 + c.w), y.shape);
  const grad = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, c.pad).mul(dy).sum());
  return grad([x, f]);
}

const label = (c: Case): string => `n${c.n} ${c.h}x${c.w} c${c.c} k${c.k} s${c.s} ${c.pad} m${c.multiplier ?? 1}`;

before(initBackends);

test('depthwise input and filter gradients on wasm match the cpu backend, and ours ran', async () => {
  assert.ok(isOurKernel(tf.DepthwiseConv2dNativeBackpropFilter));
  assert.ok(isOurKernel(tf.DepthwiseConv2dNativeBackpropInput));
  const calls = () => (kernelCallCounts()[tf.DepthwiseConv2dNativeBackpropFilter] ?? 0) + (kernelCallCounts()[tf.DepthwiseConv2dNativeBackpropInput] ?? 0);
  const before = calls();
  for (const c of cases) {
    const expected = await onBackend('cpu', () => gradients(c));
    const actual = await onBackend('wasm', () => gradients(c));
    assertClose(actual[0]!, expected[0]!, `dx ${label(c)}`);
    assertClose(actual[1]!, expected[1]!, `dfilter ${label(c)}`);
  }
  assert.equal(calls() - before, 2 * cases.length);
});

test('a hand-computed case: 1×3×3×1 image, 2×2 filter of ones, stride 1, valid', async () => {
  const [dx, df] = await onBackend('wasm', () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const f = tf.ones([2, 2, 1, 1]) as tf.Tensor4D;
    return tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'valid').sum())([x, f]);
  });
  // each input pixel is read by as many output pixels as windows cover it; each tap sums its 2×2 window of inputs
  assert.deepEqual(Array.from(dx!), [1, 2, 1, 2, 4, 2, 1, 2, 1]);
  assert.deepEqual(Array.from(df!), [1 + 2 + 4 + 5, 2 + 3 + 5 + 6, 4 + 5 + 7 + 8, 5 + 6 + 8 + 9]);
});
