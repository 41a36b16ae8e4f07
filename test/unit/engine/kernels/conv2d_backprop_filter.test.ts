import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  chooseFilterGradMethod, conv2DBackpropFilterWith, FilterGradAttrs, FilterGradMethod, filterGradShiftGemm,
} from '../../../../main/engine/kernels/conv2d_backprop_filter';
import { withOps } from '../../../../main/engine/kernels/wasm_ops';
import { convGeometry } from '../../../../main/engine/kernels/conv_geometry';
import { kernelCallCounts, isOurKernel } from '../../../../main/engine/kernels';
import { assertClose, initBackends, maxRelError, onBackend, randomValues } from './helpers';

interface Case { n: number; h: number; w: number; ci: number; co: number; k: number; s: number; pad: 'same' | 'valid' }

const cases: Case[] = [
  { n: 1, h: 8, w: 8, ci: 1, co: 4, k: 3, s: 1, pad: 'same' },
  { n: 2, h: 9, w: 7, ci: 3, co: 5, k: 3, s: 1, pad: 'same' },
  { n: 3, h: 10, w: 11, ci: 4, co: 2, k: 3, s: 1, pad: 'valid' },
  { n: 2, h: 9, w: 9, ci: 6, co: 3, k: 3, s: 2, pad: 'same' },
  { n: 1, h: 10, w: 7, ci: 2, co: 4, k: 3, s: 2, pad: 'valid' },
  { n: 2, h: 8, w: 6, ci: 5, co: 3, k: 2, s: 2, pad: 'same' },
  { n: 2, h: 7, w: 9, ci: 3, co: 4, k: 2, s: 2, pad: 'valid' },
  { n: 3, h: 7, w: 5, ci: 3, co: 4, k: 2, s: 2, pad: 'same' },
  { n: 2, h: 6, w: 7, ci: 4, co: 6, k: 2, s: 1, pad: 'same' },
  { n: 2, h: 5, w: 6, ci: 7, co: 3, k: 1, s: 1, pad: 'valid' },
  { n: 4, h: 16, w: 16, ci: 16, co: 8, k: 3, s: 1, pad: 'same' },
];

function inputs(c: Case): { x: tf.Tensor4D; dy: tf.Tensor4D; attrs: FilterGradAttrs } {
  const attrs: FilterGradAttrs = { strides: [c.s, c.s], pad: c.pad, dataFormat: 'NHWC', filterShape: [c.k, c.k, c.ci, c.co] };
  const g = convGeometry([c.n, c.h, c.w, c.ci], attrs.filterShape, attrs);
  const dyShape: [number, number, number, number] = [c.n, g.outH, g.outW, c.co];
  return {
    x: tf.tensor4d(randomValues(c.n * c.h * c.w * c.ci, 1 + c.h * c.ci), [c.n, c.h, c.w, c.ci]),
    dy: tf.tensor4d(randomValues(dyShape.reduce((a, b) => a * b), 7 + c.co), dyShape),
    attrs,
  };
}

function viaEngine(c: Case): tf.Tensor {
  const { x, dy, attrs } = inputs(c);
  return tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}

function viaMethod(c: Case, method: FilterGradMethod): tf.Tensor {
  const { x, dy, attrs } = inputs(c);
  const backend = tf.backend() as BackendWasm;
  const info = conv2DBackpropFilterWith(method, backend, x, dy, attrs);
  return tf.engine().makeTensorFromTensorInfo(info);
}

const label = (c: Case): string => `n${c.n} ${c.h}x${c.w} ci${c.ci} co${c.co} k${c.k} s${c.s} ${c.pad}`;

before(initBackends);

test('registered Conv2DBackpropFilter matches cpu and is ours', async () => {
  assert.ok(isOurKernel(tf.Conv2DBackpropFilter));
  const before = kernelCallCounts()[tf.Conv2DBackpropFilter] ?? 0;
  for (const c of cases) {
    const [expected] = await onBackend('cpu', () => viaEngine(c));
    const [actual] = await onBackend('wasm', () => viaEngine(c));
    assertClose(actual!, expected!, label(c));
  }
  assert.equal(kernelCallCounts()[tf.Conv2DBackpropFilter], before + cases.length);
});

test('every formulation matches cpu where it applies', async () => {
  for (const c of cases) {
    const g = convGeometry([c.n, c.h, c.w, c.ci], [c.k, c.k, c.ci, c.co], { strides: c.s, pad: c.pad });
    const methods: FilterGradMethod[] = ['convTrick'];
    if (c.s === 1) methods.push('shiftGemm');
    if (chooseFilterGradMethod(g) === 'blockGemm') methods.push('blockGemm');
    const [expected] = await onBackend('cpu', () => viaEngine(c));
    for (const m of methods) {
      const [actual] = await onBackend('wasm', () => viaMethod(c, m));
      assertClose(actual!, expected!, `${m} ${label(c)}`);
    }
  }
});

test('the chunked reduction (used on big images) matches cpu, with windows from x or dy', async () => {
  for (const c of cases.filter((k) => k.s === 1)) for (const windowsFromDy of [false, true]) {
    const [expected] = await onBackend('cpu', () => viaEngine(c));
    const [actual] = await onBackend('wasm', () => {
      const { x, dy, attrs } = inputs(c);
      const g = convGeometry(x.shape, attrs.filterShape, attrs);
      const info = withOps(tf.backend() as BackendWasm, (ops) => filterGradShiftGemm(ops, x, dy, g, 13, windowsFromDy));
      return tf.engine().makeTensorFromTensorInfo(info);
    });
    assertClose(actual!, expected!, `chunked ${label(c)} windowsFromDy ${windowsFromDy}`);
  }
});

test('the comparison can fail: a transposed-kernel result is rejected', async () => {
  const c = cases[1]!;
  const [expected] = await onBackend('cpu', () => viaEngine(c));
  const [wrong] = await onBackend('wasm', () => tf.reverse(viaEngine(c), [0]));
  assert.ok(maxRelError(wrong!, expected!) > 1e-3);
});
