import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { histogram } from '../../../../main/evaluation/report/svg';

test('a histogram\'s count axis is labelled in whole images, and each bar holds its count', () => {
  const values = [...Array(39).fill(0.93), 0.1, 0.12, 0.55];
  const svg = histogram('h', { title: 't', xLabel: 'Dice', yLabel: 'images' }, values, 20);
  const labels = [...svg.matchAll(/text-anchor="end" font-size="10">([^<]+)</g)].map((m) => m[1]);
  assert.deepEqual(labels, ['0', '10', '20', '30', '40'], '39 images: the axis runs to 40');
  const bars = [...svg.matchAll(/<title>(\d+)<\/title>/g)].map((m) => Number(m[1]));
  assert.equal(bars.length, 20);
  assert.equal(bars[18], 39);
  assert.equal(bars[2], 2);
  assert.equal(bars.reduce((a, b) => a + b, 0), values.length);
});
