import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ScoreHistogram, trapezoidArea } from '../../../main/common/roc';

test('3 of 4 lesion/background pairs ranked right gives AUC 0.75', () => {
  const h = new ScoreHistogram(256);
  // lesion 0.8 beats 0.6 and 0.2; lesion 0.4 beats 0.2 but not 0.6
  h.add([0.8, 0.4, 0.6, 0.2], [1, 1, 0, 0]);
  assert.equal(h.auc(), 0.75);
  assert.equal(trapezoidArea(h.curve()), 0.75);
});

test('ties count one half', () => {
  const h = new ScoreHistogram();
  h.add([0.5, 0.5], [1, 0]);
  assert.equal(h.auc(), 0.5);
  const g = new ScoreHistogram();
  // pairs: (0.9,0.3) 1, (0.9,0.9) ½, (0.3,0.3) ½, (0.3,0.9) 0 → 2/4
  g.add([0.9, 0.3, 0.3, 0.9], [1, 1, 0, 0]);
  assert.equal(g.auc(), 0.5);
  assert.equal(trapezoidArea(g.curve()), 0.5);
});

test('perfect and reversed rankings; undefined without one of the classes', () => {
  const h = new ScoreHistogram();
  h.add([1, 0.7, 0.1, 0], [1, 1, 0, 0]);
  assert.equal(h.auc(), 1);
  const r = new ScoreHistogram();
  r.add([1, 0.7, 0.1, 0], [0, 0, 1, 1]);
  assert.equal(r.auc(), 0);
  const only = new ScoreHistogram();
  only.add([0.3, 0.4], [1, 1]);
  assert.equal(only.auc(), null);
  assert.deepEqual(only.curve(), []);
});

test('8-bit probabilities are exact: histogram AUC equals the pairwise count on random data', () => {
  let seed = 12345;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const scores: number[] = [], labels: number[] = [];
  for (let i = 0; i < 400; i++) {
    const lesion = rand() < 0.3 ? 1 : 0;
    labels.push(lesion);
    scores.push(Math.min(255, Math.floor((rand() * 0.7 + lesion * 0.3) * 256)) / 255);
  }
  let pairs = 0, np = 0, nn = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i]) np++; else nn++;
    for (let j = 0; j < scores.length; j++) {
      if (labels[i] !== 1 || labels[j] !== 0) continue;
      pairs += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  for (const bins of [256, 1024]) {
    const h = new ScoreHistogram(bins);
    h.add(Float32Array.from(scores), labels);
    assert.ok(Math.abs(h.auc()! - pairs / (np * nn)) < 1e-12, `${bins} bins`);
    assert.ok(Math.abs(trapezoidArea(h.curve()) - h.auc()!) < 1e-12);
  }
});

test('merging histograms equals adding all pixels to one; curve runs (0,0) to (1,1)', () => {
  const a = new ScoreHistogram(), b = new ScoreHistogram(), all = new ScoreHistogram();
  a.add([0.1, 0.9], [0, 1]);
  b.add([0.6, 0.2], [0, 1]);
  all.add([0.1, 0.9, 0.6, 0.2], [0, 1, 0, 1]);
  a.merge(b);
  assert.equal(a.auc(), all.auc());
  const c = a.curve();
  assert.deepEqual([c[0]!.fpr, c[0]!.tpr], [0, 0]);
  assert.deepEqual([c.at(-1)!.fpr, c.at(-1)!.tpr], [1, 1]);
  assert.throws(() => new ScoreHistogram(1));
  assert.throws(() => a.add([NaN], [1]));
});
