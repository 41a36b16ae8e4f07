import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { reportHtml, type ReportInput } from '../../../../main/evaluation/report/html';
import { evalJson, evaluateImages } from '../../../../main/evaluation';

test('without a training log the report says why, in the caller\'s words when given (an ensemble\'s members)', async () => {
  const mask = { width: 4, height: 4, data: new Uint8Array(16).fill(1) };
  const out = await evaluateImages({ size: 1, predict: async () => [{ width: 4, height: 4, data: new Float32Array(16).fill(0.9) }] },
    { inputSize: 4, resize: 'stretch', normalization: 'unit' }, 1,
    async () => ({ id: 'b', className: 'benign', image: { width: 4, height: 4, data: new Uint8Array(16) }, mask }), { threshold: 0.5 });
  const input: ReportInput = { title: 't', summary: evalJson(out.report, 0.5, 'm', 'cpu'), roc: out.report.roc, dice: [1], log: null, best: [], worst: [], facts: [] };
  assert.match(reportHtml(input), /id="no-training-log">This model has no training log\.</);
  const html = reportHtml({ ...input, noLog: 'An ensemble of 2 models trained separately (a & b)' });
  assert.match(html, /id="no-training-log">An ensemble of 2 models trained separately \(a &amp; b\)</);
});

test('the report says which images its normal false-positive rate counts', async () => {
  const out = await evaluateImages({ size: 1, predict: async () => [{ width: 4, height: 4, data: new Float32Array(16).fill(0.1) }] },
    { inputSize: 4, resize: 'stretch', normalization: 'unit' }, 1,
    async () => ({ id: 'n', className: 'unknown', image: { width: 4, height: 4, data: new Uint8Array(16) }, mask: { width: 4, height: 4, data: new Uint8Array(16) } }), { threshold: 0.5 });
  const input: ReportInput = { title: 't', summary: evalJson(out.report, 0.5, 'm', 'cpu'), roc: out.report.roc, dice: [], log: null, best: [], worst: [], facts: [] };
  const line = (i: ReportInput) => /False-positive rate \(any lesion after clean-up\) on (.*?): </.exec(reportHtml(i))![1];
  assert.equal(line({ ...input, normalImages: { n: 27, by: 'class' } }), 'the 27 normal images');
  assert.equal(line({ ...input, normalImages: { n: 8, by: 'empty-mask' } }), 'the 8 images whose mask is empty (no image is in class normal)');
  assert.equal(line(input), 'normal images');
});
