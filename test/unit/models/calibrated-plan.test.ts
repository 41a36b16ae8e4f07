import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { calibratedPlan, outOfFoldFolds, type ModelCard, type ModelRegistry } from '../../../main/models';
import type { PreprocessPlan } from '../../../main/engine/preprocess';

const plan: PreprocessPlan = { inputSize: 192, resize: 'stretch', normalization: 'unit', flip: false };

test('the calibrated plan takes the chosen mirroring and sizes; the input size alone is written as no sizes', () => {
  assert.deepEqual(calibratedPlan(plan, { flip: true, sizes: [160, 192, 224] }), { ...plan, flip: true, sizes: [160, 192, 224] });
  assert.deepEqual(calibratedPlan({ ...plan, sizes: [160, 192] }, { flip: false, sizes: [192] }), plan);
  assert.ok(!('sizes' in calibratedPlan({ ...plan, sizes: [224] }, { flip: false, sizes: [192] })));
  // a side other than the input size, alone, is a real choice
  assert.deepEqual(calibratedPlan(plan, { flip: false, sizes: [224] }).sizes, [224]);
  // a choice made without a sizes dimension was made on the plan's own sizes, which stay
  assert.deepEqual(calibratedPlan({ ...plan, sizes: [160, 192] }, { flip: true }), { ...plan, flip: true, sizes: [160, 192] });
  assert.deepEqual(calibratedPlan(plan, { flip: true }), { ...plan, flip: true });
  // the chosen setting's array is not shared with the card
  const chosen = { flip: false, sizes: [192, 224] };
  const out = calibratedPlan(plan, chosen);
  chosen.sizes.push(256);
  assert.deepEqual(out.sizes, [192, 224]);
});

test('out of fold, every member predicts with the ensemble\'s plan (e.g. its antialias), not its own card\'s', () => {
  const member = (id: string, val: string[]) => ({ id, training: { data: { val }, options: { selectOn: 'last' } } });
  const ensemble = {
    id: 'ens', plan: { ...plan, antialias: true },
    ensemble: { members: [member('a', ['x1', 'x2']), member('b', ['y1']), member('a2', ['x2', 'x1'])] },
  } as unknown as ModelCard;
  const registry = { byId: (id: string) => ({ id, dir: `/models/${id}`, plan }) } as unknown as ModelRegistry;
  const items = ['x1', 'x2', 'y1'].map((id) => ({ id, imagePath: `${id}.png`, maskPaths: [], className: 'benign' }));
  const { folds } = outOfFoldFolds(ensemble, registry, items);
  assert.deepEqual(folds.map((f) => f.dirs), [['/models/a', '/models/a2'], ['/models/b']]);
  for (const f of folds) assert.deepEqual(f.plan, { ...plan, antialias: true });
});
