import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { GrayImage, Mask, ProbabilityMap } from '../../../main/common/image';
import { confusionOf, diceOf, iouOf } from '../../../main/common/metrics';
import { calibrate, calibrateOutOfFold, chooseSetting, collectFacts, predictedMask, type CalibrationGrid, type EvalImage } from '../../../main/evaluation';
import type { PreprocessPlan } from '../../../main/engine/preprocess';

const W = 40, H = 30;

function disk(cx: number, cy: number, r: number): Mask {
  const data = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) data[y * W + x] = (x - cx) ** 2 + (y - cy) ** 2 <= r * r ? 1 : 0;
  return { width: W, height: H, data };
}

/** p = level inside the disk, 0.02 elsewhere. */
function blob(cx: number, cy: number, r: number, level: number): ProbabilityMap {
  return { width: W, height: H, data: Float32Array.from(disk(cx, cy, r).data, (v) => (v ? level : 0.02)) };
}

function add(a: ProbabilityMap, b: ProbabilityMap): ProbabilityMap {
  return { width: W, height: H, data: a.data.map((v, i) => Math.max(v, b.data[i]!)) };
}

const img = (): GrayImage => ({ width: W, height: H, data: new Uint8Array(W * H) });
const empty: Mask = { width: W, height: H, data: new Uint8Array(W * H) };
/** four lesion images (each with a confident lesion, one also with a faint false blob) and two normals with faint blobs */
const cases: { item: EvalImage; plain: ProbabilityMap; mirrored: ProbabilityMap }[] = [
  { item: { id: 'b1', className: 'benign', image: img(), mask: disk(12, 12, 6) }, plain: blob(12, 12, 6, 0.95), mirrored: blob(12, 12, 6, 0.95) },
  { item: { id: 'b2', className: 'benign', image: img(), mask: disk(25, 15, 7) }, plain: add(blob(25, 15, 7, 0.9), blob(6, 24, 3, 0.62)), mirrored: blob(25, 15, 7, 0.9) },
  { item: { id: 'm1', className: 'malignant', image: img(), mask: disk(20, 14, 9) }, plain: blob(20, 14, 8, 0.92), mirrored: blob(20, 14, 8, 0.92) },
  { item: { id: 'm2', className: 'malignant', image: img(), mask: disk(28, 10, 5) }, plain: blob(28, 10, 5, 0.97), mirrored: blob(28, 10, 5, 0.97) },
  { item: { id: 'n1', className: 'normal', image: img(), mask: empty }, plain: blob(15, 15, 5, 0.66), mirrored: blob(15, 15, 5, 0.66) },
  { item: { id: 'n2', className: 'normal', image: img(), mask: empty }, plain: blob(30, 20, 4, 0.72), mirrored: blob(30, 20, 4, 0.72) },
];

/** Stands in for the engine: the map it returns depends on whether the plan asks for mirror averaging. */
function fakePredictor(among = cases) {
  const plans: PreprocessPlan[] = [];
  return {
    plans,
    size: 1,
    predict: async (images: GrayImage[], plan: PreprocessPlan) => {
      plans.push(plan);
      return images.map((im) => {
        const c = among.find((k) => k.item.image === im)!;
        return plan.flip ? c.mirrored : c.plain;
      });
    },
  };
}

const plan: PreprocessPlan = { inputSize: 32, resize: 'stretch', normalization: 'unit' };

test('calibration drops faint blobs on normal images and keeps confident lesions', async () => {
  const p = fakePredictor();
  const cal = await calibrate(p, plan, cases.length, async (i) => cases[i]!.item);
  assert.equal(cal.n, 6);
  // the faint blobs (≤ 0.72) go, the lesions (≥ 0.9) stay
  assert.ok(cal.chosen.minMeanProbability > 0.72 && cal.chosen.minMeanProbability <= 0.9, `chosen ${cal.chosen.minMeanProbability}`);
  assert.equal(cal.chosen.normalFpRate, 0);
  assert.equal(cal.baseline.normalFpRate, 1);
  // 0 of 2 normals: Wilson centre = half-width = (1.96²/4) / (1 + 1.96²/2) = 0.3288, so [0, 0.6576]
  assert.equal(cal.chosen.normalImages, 2);
  assert.equal(cal.chosen.normalFpInterval!.low, 0);
  assert.ok(Math.abs(cal.chosen.normalFpInterval!.high - 0.6576) < 1e-4);
  assert.ok(cal.chosen.diceAll > cal.baseline.diceAll);
  assert.equal(cal.cleanup.minMeanProbability, cal.chosen.minMeanProbability);
  // ties go to the simpler setting: the mirrored maps are no better once the filter is on
  assert.equal(cal.chosen.flip, false);
  assert.equal(cal.chosen.threshold, 0.5);
  assert.deepEqual([...new Set(p.plans.map((q) => q.flip))], [false, true]);
});

test('each setting\'s score equals scoring the masks predictedMask makes', async () => {
  // plus a lesion image whose truth is the second of two equal blobs (the largest-lesion tie-break) and
  // a grid whose area filters drop the 3- and 4-pixel-radius blobs (29 and 49 of 1200 pixels)
  const tie = { item: { id: 'b3', className: 'benign' as const, image: img(), mask: disk(30, 15, 4) }, plain: add(blob(8, 15, 4, 0.9), blob(30, 15, 4, 0.9)), mirrored: blob(30, 15, 4, 0.9) };
  // and maps with faint halos (p 0.42–0.45) around confident cores, for the outline ratios (0.5 × 0.8 = 0.4 takes them in):
  // a core in its halo; a sure and an unsure core in one halo; a normal image's faint blob with a halo; and a small
  // haloed core that outgrows a larger bare one once grown (largest lesion at t: the wrong one; grown: the right one)
  const haloed = (cx: number, cy: number, r: number, level: number, halo: number) => add(blob(cx, cy, r, level), blob(cx, cy, halo, 0.42));
  const halos = [
    { item: { id: 'h1', className: 'benign' as const, image: img(), mask: disk(20, 15, 8) }, plain: haloed(20, 15, 5, 0.9, 8), mirrored: blob(20, 15, 5, 0.9) },
    { item: { id: 'h2', className: 'benign' as const, image: img(), mask: disk(12, 15, 9) }, plain: add(add(blob(12, 15, 9, 0.45), blob(8, 15, 3, 0.95)), blob(16, 15, 3, 0.75)), mirrored: blob(12, 15, 9, 0.45) },
    { item: { id: 'h3', className: 'normal' as const, image: img(), mask: empty }, plain: haloed(20, 12, 4, 0.8, 7), mirrored: haloed(20, 12, 4, 0.8, 7) },
    { item: { id: 'h4', className: 'malignant' as const, image: img(), mask: disk(30, 20, 7) }, plain: add(blob(8, 8, 4, 0.9), haloed(30, 20, 3, 0.9, 7)), mirrored: haloed(30, 20, 3, 0.9, 7) },
  ];
  const all6 = [...cases, tie, ...halos];
  const grid: CalibrationGrid = { flip: [false, true], thresholds: [0.5, 0.7], minMeanProbabilities: [0, 0.7, 0.9], minAreaFractions: [0.001, 0.03, 0.05], largestOnly: [false, true], outlineRatios: [1, 0.8, 0.5] };
  const cal = await calibrate(fakePredictor(all6), plan, all6.length, async (i) => all6[i]!.item, { grid });
  assert.equal(cal.tried.length, 2 * 2 * 3 * 3 * 3 * 2);
  const lesions = all6.filter((c) => c.item.className !== 'normal').length, normals = all6.length - lesions;
  for (const s of cal.tried) {
    let dice = 0, iou = 0, all = 0, fp = 0;
    const { minMeanProbability, minAreaFraction, largestOnly, outlineRatio } = s;
    for (const c of all6) {
      const m = predictedMask(s.flip ? c.mirrored : c.plain, s.threshold, { ...cal.cleanup, minMeanProbability, minAreaFraction, largestOnly, outlineRatio });
      const conf = confusionOf(m, c.item.mask);
      if (c.item.className === 'normal') { const found = conf.fp > 0; fp += found ? 1 : 0; all += found ? 0 : 1; continue; }
      dice += diceOf(conf); iou += iouOf(conf); all += diceOf(conf);
    }
    assert.ok(Math.abs(s.dice! - dice / lesions) < 1e-12, JSON.stringify(s));
    assert.ok(Math.abs(s.iou! - iou / lesions) < 1e-12);
    assert.ok(Math.abs(s.diceAll - all / all6.length) < 1e-12);
    assert.equal(s.normalFpRate, fp / normals);
  }
  // the grid is not idle: the area filter, the largest-lesion rule and the outline ratio each change some score
  const at = (f: Partial<typeof cal.tried[0]>) => cal.tried.find((s) => Object.entries(f).every(([k, v]) => s[k as keyof typeof s] === v))!;
  const base = { flip: false, threshold: 0.5, minMeanProbability: 0, outlineRatio: 1 };
  assert.ok(at({ ...base, outlineRatio: 0.8, minAreaFraction: 0.001, largestOnly: false }).dice! > at({ ...base, minAreaFraction: 0.001, largestOnly: false }).dice! + 0.05);
  // largest only, grown: h4's haloed core outgrows the bare one, so its truth is found
  assert.ok(at({ ...base, outlineRatio: 0.8, minAreaFraction: 0.001, largestOnly: true }).dice! > at({ ...base, minAreaFraction: 0.001, largestOnly: true }).dice! + 0.05);
  // an outline ratio never changes which normal images are marked
  for (const s of cal.tried) assert.equal(s.normalFpRate, at({ flip: s.flip, threshold: s.threshold, minMeanProbability: s.minMeanProbability, minAreaFraction: s.minAreaFraction, largestOnly: s.largestOnly, outlineRatio: 1 }).normalFpRate);
  assert.ok(at({ ...base, minAreaFraction: 0.05, largestOnly: false }).normalFpRate! < at({ ...base, minAreaFraction: 0.001, largestOnly: false }).normalFpRate!);
  // largest only: b2 loses its false blob (Dice 0.91 -> 1) but b3 keeps the wrong one of its twin blobs (0.67 -> 0)
  assert.ok(at({ ...base, minAreaFraction: 0.001, largestOnly: true }).dice! < at({ ...base, minAreaFraction: 0.001, largestOnly: false }).dice! - 0.1);
  // the chosen filter is what the card gets
  assert.equal(cal.cleanup.minAreaFraction, cal.chosen.minAreaFraction);
  assert.equal(cal.cleanup.largestOnly, cal.chosen.largestOnly);
});

test('with a false-positive limit the choice is the best lesion Dice among settings within it', async () => {
  const load = async (i: number) => cases[i]!.item;
  const atMost = (maxNormalFp: number, grid?: CalibrationGrid) =>
    calibrate(fakePredictor(), plan, cases.length, load, { objective: { kind: 'lesionDiceAtFp', maxNormalFp }, grid });
  const strict = await atMost(0);
  assert.equal(strict.met, true);
  assert.equal(strict.chosen.normalFpRate, 0);
  const within0 = strict.tried.filter((s) => s.normalFpRate === 0);
  assert.equal(strict.chosen.dice, Math.max(...within0.map((s) => s.dice!)));
  // no limit at all: the best lesion Dice anywhere, false alarms or not
  const loose = await atMost(1);
  assert.equal(loose.chosen.dice, Math.max(...loose.tried.map((s) => s.dice!)));
  assert.equal(loose.objective.kind, 'lesionDiceAtFp');
  // without the confidence filter every threshold leaves a blob on n2 (0.72): the limit cannot be met, and the
  // setting with the fewest false alarms is kept (threshold 0.7 drops n1's 0.66 blob: 1 of 2)
  const unmet = await atMost(0, { flip: [false], thresholds: [0.5, 0.6, 0.7], minMeanProbabilities: [0] });
  assert.equal(unmet.met, false);
  assert.equal(unmet.chosen.normalFpRate, 0.5);
  assert.equal(unmet.chosen.threshold, 0.7);
  // the default objective is unchanged and always met
  const plain = await calibrate(fakePredictor(), plan, cases.length, load);
  assert.deepEqual(plain.objective, { kind: 'diceAll' });
  assert.equal(plain.met, true);
  // a limit outside [0, 1] is refused before anything is predicted
  const p = fakePredictor();
  await assert.rejects(calibrate(p, plan, cases.length, load, { objective: { kind: 'lesionDiceAtFp', maxNormalFp: 1.5 } }), { code: 'INVALID_ARGUMENT' });
  assert.equal(p.plans.length, 0);
});

test('mirror averaging is chosen when it is what removes the false blob', async () => {
  const grid = { flip: [false, true], thresholds: [0.5], minMeanProbabilities: [0] };
  const onlyLesions = cases.slice(0, 4);
  const cal = await calibrate(fakePredictor(onlyLesions), plan, 4, async (i) => onlyLesions[i]!.item, { grid });
  assert.equal(cal.chosen.flip, true);
  assert.equal(cal.chosen.normalFpRate, null);
  assert.equal(cal.chosen.normalFpInterval, null);
});

test('input sizes are a grid dimension: each (sizes, mirror) view predicted once, scored exactly, chosen when it finds a lesion', async () => {
  // a lesion the model misses at its own size (p 0.3) and finds when sizes 32 and 64 are averaged (p 0.8)
  const faint = { item: { id: 'b9', className: 'benign' as const, image: img(), mask: disk(20, 15, 6) }, plain: blob(20, 15, 6, 0.3), mirrored: blob(20, 15, 6, 0.3) };
  const among = [...cases, faint];
  const multi = (c: typeof among[0]) => (c === faint ? blob(20, 15, 6, 0.8) : c.plain);
  const plans: PreprocessPlan[] = [];
  const predictor = {
    size: 1,
    predict: async (images: GrayImage[], q: PreprocessPlan) => {
      plans.push(q);
      return images.map((im) => {
        const c = among.find((k) => k.item.image === im)!;
        return q.sizes?.length === 2 ? multi(c) : q.flip ? c.mirrored : c.plain;
      });
    },
  };
  const grid: CalibrationGrid = { sizes: [[32], [32, 64]], flip: [false, true], thresholds: [0.5], minMeanProbabilities: [0, 0.75] };
  const cal = await calibrate(predictor, plan, among.length, async (i) => among[i]!.item, { grid, objective: { kind: 'lesionDiceAtFp', maxNormalFp: 0 } });
  // one pass per view and image chunk, views in grid order: the first sizes, mirroring inside
  assert.deepEqual([...new Set(plans.map((q) => JSON.stringify([q.sizes, q.flip])))], ['[[32],false]', '[[32],true]', '[[32,64],false]', '[[32,64],true]']);
  assert.ok(plans.every((q) => q.inputSize === 32 && q.resize === 'stretch'));
  assert.equal(cal.tried.length, 2 * 2 * 2);
  for (const s of cal.tried) {
    let dice = 0;
    for (const c of among.filter((k) => k.item.className !== 'normal')) {
      const map = s.sizes!.length === 2 ? multi(c) : s.flip ? c.mirrored : c.plain;
      dice += diceOf(confusionOf(predictedMask(map, s.threshold, { ...cal.cleanup, minMeanProbability: s.minMeanProbability }), c.item.mask));
    }
    assert.ok(Math.abs(s.dice! - dice / 5) < 1e-12, JSON.stringify(s));
  }
  assert.deepEqual(cal.chosen.sizes, [32, 64]);
  assert.equal(cal.chosen.flip, false);
  assert.equal(cal.chosen.normalFpRate, 0);
  assert.deepEqual(cal.baseline.sizes, [32]);
  assert.equal(cal.baseline.flip, false);
  // without a sizes dimension, settings name no sizes (the plan's own)
  const own = await calibrate(fakePredictor(), plan, cases.length, async (i) => cases[i]!.item, { grid: { flip: [false], thresholds: [0.5], minMeanProbabilities: [0] } });
  assert.ok(own.tried.every((s) => !('sizes' in s)));
  // bad sets are refused before anything is predicted
  for (const sizes of [[], [[]], [[16]], [[64, 64]], [[32.5]]]) {
    const p = fakePredictor();
    await assert.rejects(calibrate(p, plan, 1, async (i) => cases[i]!.item, { grid: { sizes, flip: [false], thresholds: [0.5], minMeanProbabilities: [0] } }), { code: 'INVALID_ARGUMENT' }, JSON.stringify(sizes));
    assert.equal(p.plans.length, 0);
  }
});

test('an empty validation set or grid, or an area filter below the clean-up\'s, is refused', async () => {
  await assert.rejects(calibrate(fakePredictor(), plan, 0, async (i) => cases[i]!.item), { code: 'INVALID_ARGUMENT' });
  await assert.rejects(calibrate(fakePredictor(), plan, 1, async (i) => cases[i]!.item, { grid: { flip: [], thresholds: [0.5], minMeanProbabilities: [0] } }), { code: 'INVALID_ARGUMENT' });
  await assert.rejects(calibrate(fakePredictor(), plan, 1, async (i) => cases[i]!.item, { grid: { flip: [false], thresholds: [0.5], minMeanProbabilities: [0], largestOnly: [] } }), { code: 'INVALID_ARGUMENT' });
  // an area filter finer than the clean-up's cannot be scored from its facts
  await assert.rejects(calibrate(fakePredictor(), plan, 1, async (i) => cases[i]!.item, { grid: { flip: [false], thresholds: [0.5], minMeanProbabilities: [0], minAreaFractions: [0.0005] } }), { code: 'INVALID_ARGUMENT' });
});

test('out-of-fold: facts from two predictors, each on its own images, score as one set of maps would', async () => {
  // fold A holds out b1, b2, n1; fold B m1, m2, n2. Fold B's model is a different one: it sees n2's blob as confident.
  const foldA = [cases[0]!, cases[1]!, cases[4]!];
  const foldB = [cases[2]!, cases[3]!, { ...cases[5]!, plain: blob(30, 20, 4, 0.88), mirrored: blob(30, 20, 4, 0.88) }];
  const a = fakePredictor(foldA), b = fakePredictor(foldB);
  const objective = { kind: 'lesionDiceAtFp' as const, maxNormalFp: 0.5 };
  const facts = [
    await collectFacts(a, plan, 3, async (i) => foldA[i]!.item),
    await collectFacts(b, plan, 3, async (i) => foldB[i]!.item),
  ];
  const pooled = chooseSetting(facts, { objective });
  // the reference: one predictor that returns each image's out-of-fold map, calibrated in one pass
  const all = [...foldA, ...foldB];
  const one = await calibrate(fakePredictor(all), plan, 6, async (i) => all[i]!.item, { objective });
  assert.equal(pooled.n, 6);
  assert.deepEqual(pooled.tried, one.tried);
  assert.deepEqual(pooled.chosen, one.chosen);
  // n2's blob (0.88 in fold B) goes only with the 0.9 floor, which gains no lesion Dice: within the limit of 0.5 the
  // tie goes to the weaker filter, so 1 of 2 normals stays flagged
  assert.equal(pooled.chosen.normalFpRate, 0.5);
  // facts from different grids are not pooled
  const other = await collectFacts(b, plan, 3, async (i) => foldB[i]!.item, { grid: { flip: [false], thresholds: [0.5], minMeanProbabilities: [0] } });
  assert.throws(() => chooseSetting([facts[0]!, other]), { code: 'INVALID_ARGUMENT' });
});

test('out-of-fold: folds that share some of their images are refused before any model is loaded', async () => {
  const item = (id: string) => ({ id, className: 'benign' as const, imagePath: `${id}.png`, maskPaths: [] });
  const folds = [
    { dirs: ['/nonexistent/a'], plan, items: [item('x'), item('y')] },
    { dirs: ['/nonexistent/b', '/nonexistent/c'], plan, items: [item('y'), item('z')] },
  ];
  await assert.rejects(calibrateOutOfFold(folds, {}), { code: 'INVALID_ARGUMENT', message: /y is held out by folds 1 and 2: the folds must not overlap/ });
  await assert.rejects(calibrateOutOfFold([{ ...folds[0]!, dirs: [] }, { ...folds[1]!, items: [item('z')] }], {}), { code: 'INVALID_ARGUMENT', message: /a fold needs at least one model folder/ });
});
