import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  chooseInputGradMethod, conv2DBackpropInputWith, InputGradAttrs, InputGradMethod,
} from '../../../../main/engine/kernels/conv2d_backprop_input';
import { convGeometry } from '../../../../main/engine/kernels/conv_geometry';
import { wasmKernel } from '../../../../main/engine/kernels/wasm_ops';
import { kernelCallCounts, isOurKernel } from '../../../../main/engine/kernels';
import { assertClose, initBackends, maxRelError, onBackend, randomValues } from './helpers';

interface Case { n: number; h: number; w: number; ci: number; co: number; k: number; s: number; pad: 'same' | 'valid'; expect: InputGradMethod }

const cases: Case[] = [
  { n: 1, h: 8, w: 8, ci: 1, co: 4, k: 3, s: 1, pad: 'same', expect: 'flippedConv' },
  { n: 2, h: 9, w: 7, ci: 3, co: 5, k: 3, s: 1, pad: 'same', expect: 'flippedConv' },
  { n: 3, h: 10, w: 11, ci: 4, co: 2, k: 3, s: 1, pad: 'valid', expect: 'flippedConv' },
  { n: 2, h: 6, w: 7, ci: 4, co: 6, k: 2, s: 1, pad: 'same', expect: 'flippedConv' },
  { n: 2, h: 5, w: 6, ci: 7, co: 3, k: 1, s: 1, pad: 'valid', expect: 'blockGemm' },
  { n: 2, h: 8, w: 6, ci: 5, co: 3, k: 2, s: 2, pad: 'same', expect: 'blockGemm' },
  { n: 2, h: 7, w: 9, ci: 3, co: 4, k: 2, s: 2, pad: 'valid', expect: 'blockGemm' },
  { n: 4, h: 16, w: 16, ci: 8, co: 16, k: 2, s: 2, pad: 'same', expect: 'blockGemm' },
  { n: 3, h: 7, w: 5, ci: 3, co: 4, k: 2, s: 2, pad: 'same', expect: 'original' },
  { n: 2, h: 9, w: 9, ci: 6, co: 3, k: 3, s: 2, pad: 'same', expect: 'original' },
  { n: 1, h: 10, w: 7, ci: 2, co: 4, k: 3, s: 2, pad: 'valid', expect: 'original' },
];

function inputs(c: Case): { dy: tf.Tensor4D; filter: tf.Tensor4D; attrs: InputGradAttrs } {
  const attrs: InputGradAttrs = { strides: [c.s, c.s], pad: c.pad, dataFormat: 'NHWC', inputShape: [c.n, c.h, c.w, c.ci] };
  const g = convGeometry(attrs.inputShape, [c.k, c.k, c.ci, c.co], attrs);
  const dyShape: [number, number, number, number] = [c.n, g.outH, g.outW, c.co];
  return {
    dy: tf.tensor4d(randomValues(dyShape.reduce((a, b) => a * b), 3 + c.h), dyShape),
    filter: tf.tensor4d(randomValues(c.k * c.k * c.ci * c.co, 11 + c.ci), [c.k, c.k, c.ci, c.co]),
    attrs,
  };
}

function viaEngine(c: Case): tf.Tensor {
  const { dy, filter, attrs } = inputs(c);
  return tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}

function viaMethod(c: Case, method: InputGradMethod): tf.Tensor {
  const { dy, filter, attrs } = inputs(c);
  const info = conv2DBackpropInputWith(method, tf.backend() as BackendWasm, dy, filter, attrs, wasmKernel(tf.Conv2DBackpropInput));
  return tf.engine().makeTensorFromTensorInfo(info);
}

const label = (c: Case): string => `n${c.n} ${c.h}x${c.w} ci${c.ci} co${c.co} k${c.k} s${c.s} ${c.pad}`;

before(initBackends);

test('registered Conv2DBackpropInput matches cpu, picks the expected method, and is ours', async () => {
  assert.ok(isOurKernel(tf.Conv2DBackpropInput));
  const before = kernelCallCounts()[tf.Conv2DBackpropInput] ?? 0;
  for (const c of cases) {
    const g = convGeometry([c.n, c.h, c.w, c.ci], [c.k, c.k, c.ci, c.co], { strides: c.s, pad: c.pad });
    assert.equal(chooseInputGradMethod(g), c.expect, label(c));
    const [expected] = await onBackend('cpu', () => viaEngine(c));
    const [actual] = await onBackend('wasm', () => viaEngine(c));
    assertClose(actual!, expected!, label(c));
  }
  assert.equal(kernelCallCounts()[tf.Conv2DBackpropInput], before + cases.length);
});

test('fast formulations match cpu where they apply', async () => {
  for (const c of cases.filter((k) => k.expect !== 'original')) {
    const [expected] = await onBackend('cpu', () => viaEngine(c));
    const [actual] = await onBackend('wasm', () => viaMethod(c, c.expect));
    assertClose(actual!, expected!, `${c.expect} ${label(c)}`);
  }
});

test('conv2dTranspose (the up-convolution forward) matches cpu', async () => {
  const x = randomValues(2 * 5 * 6 * 8, 5);
  const w = randomValues(2 * 2 * 4 * 8, 6);
  const run = (): tf.Tensor => tf.conv2dTranspose(tf.tensor4d(x, [2, 5, 6, 8]), tf.tensor4d(w, [2, 2, 4, 8]),
    [2, 10, 12, 4], 2, 'same');
  const [expected] = await onBackend('cpu', run);
  const [actual] = await onBackend('wasm', run);
  assertClose(actual!, expected!, 'conv2dTranspose 2x2/2');
});

test('kernels free their intermediates', async () => {
  await tf.setBackend('wasm');
  const backend = tf.backend() as BackendWasm;
  const c = cases[1]!;
  viaEngine(c).dispose(); // warm up
  const start = backend.numDataIds();
  tf.tidy(() => { viaEngine(cases[1]!); viaEngine(cases[6]!); });
  assert.equal(backend.numDataIds(), start);
});

test('the comparison can fail: an unflipped filter is rejected', async () => {
  const c = cases[1]!;
  const [expected] = await onBackend('cpu', () => viaEngine(c));
  const [wrong] = await onBackend('wasm', () => {
    const { dy, filter } = inputs(c);
    return tf.conv2d(dy, tf.transpose(filter, [0, 1, 3, 2]), 1, 'same');
  });
  assert.ok(maxRelError(wrong!, expected!) > 1e-3);
});
