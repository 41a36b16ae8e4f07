import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runSonoseg } from './cli-process';
import { writeSyntheticBusi } from '../engine/train/synthetic-dataset';
import { untrainedModel } from '../services/model-fixture';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-calibrate-'));
const home = path.join(tmp, 'home');
const data = path.join(tmp, 'data');
const splitFile = path.join(tmp, 'splits.csv');
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const sonoseg = (args: string[]) => runSonoseg(home, args);

test.before(async () => {
  await writeSyntheticBusi(data, { perClass: { benign: 4, malignant: 3, normal: 3 } });
  // image k of each class: 1–2 train, the next val, the rest test
  const rows = ['file,class,group,split'];
  for (const [cls, n] of [['benign', 4], ['malignant', 3], ['normal', 3]] as const) {
    for (let k = 1; k <= n; k++) rows.push(`${cls}/${cls} (${k}).png,${cls},${cls}${k},${k <= 1 ? 'train' : k === 2 ? 'val' : 'test'}`);
  }
  fs.writeFileSync(splitFile, rows.join('\n') + '\n');
  const imported = sonoseg(['models', 'import', await untrainedModel({ inputSize: 32, depth: 2, baseFilters: 4 }), '--id', 'tiny']);
  assert.equal(imported.code, 0, imported.stderr);
});

test('calibrate chooses on val, scores test with the choice and writes both into the card; eval then applies them', () => {
  const r = sonoseg(['calibrate', '--data', data, '--split-file', splitFile, '--model', 'tiny', '--json', '--workers', '1']);
  assert.equal(r.code, 0, r.stderr);
  type Setting = { threshold: number; minMeanProbability: number; flip: boolean; normalFpRate: number | null };
  type Point = { normalMarked: number; dice: number; setting: Setting };
  const out = JSON.parse(r.stdout) as { modelId: string; val: { n: number; chosen: Setting; tried: Setting[]; tradeoff: Point[] }; test: { n: number; threshold: number } };
  assert.equal(out.modelId, 'tiny');
  // the whole trade-off is printed, the chosen setting among it
  assert.ok(out.val.tried.length > 1);
  assert.ok(out.val.tried.some((s) => JSON.stringify(s) === JSON.stringify(out.val.chosen)), 'the chosen setting is one of those tried');
  // the trade-off's points are settings tried, marking more normal images only for more lesion Dice
  const { tradeoff } = out.val;
  assert.ok(tradeoff.length >= 1);
  tradeoff.forEach((p, i) => {
    assert.ok(out.val.tried.some((s) => JSON.stringify(s) === JSON.stringify(p.setting)));
    if (i > 0) assert.ok(p.normalMarked > tradeoff[i - 1]!.normalMarked && p.dice > tradeoff[i - 1]!.dice);
  });
  assert.equal(out.val.n, 3, 'one val image per class');
  assert.equal(out.test.n, 4, 'benign 3–4, malignant 3, normal 3');
  const card = JSON.parse(fs.readFileSync(path.join(home, 'models', 'tiny', 'card.json'), 'utf8'));
  assert.equal(card.postprocess.threshold, out.val.chosen.threshold);
  assert.equal(card.postprocess.cleanup.minMeanProbability, out.val.chosen.minMeanProbability);
  assert.equal(card.postprocess.chosenOn.split, 'val');
  assert.equal(card.postprocess.chosenOn.normalImages, 1, 'one normal val image');
  const { normalFpRate, normalFpInterval } = card.postprocess.chosenOn;
  assert.ok(normalFpInterval.low <= normalFpRate && normalFpRate <= normalFpInterval.high, JSON.stringify(card.postprocess.chosenOn));
  assert.equal(card.plan.flip, out.val.chosen.flip);
  assert.equal(card.metrics.split, 'test');
  assert.equal(card.metrics.n, 4);
  // eval's default threshold is now the card's
  const e = sonoseg(['eval', '--data', data, '--split-file', splitFile, '--split', 'test', '--model', 'tiny', '--json', '--workers', '1']);
  assert.equal(e.code, 0, e.stderr);
  const ev = JSON.parse(e.stdout) as { threshold: number; dice: number | null; ci95: { dice: { low: number; high: number } | null; resamples: number } };
  assert.equal(ev.threshold, out.val.chosen.threshold);
  assert.equal(ev.dice, card.metrics.dice, 'eval with the card\'s policy reproduces the card\'s test figures');
  assert.equal(ev.ci95.resamples, 2000);
  if (ev.dice !== null) assert.ok(ev.ci95.dice!.low <= ev.dice && ev.dice <= ev.ci95.dice!.high, 'the interval holds the mean');
});

test('calibrate prints the normal false-positive count with its interval, and says when too few normals pin it down', () => {
  const r = sonoseg(['calibrate', '--data', data, '--split-file', splitFile, '--model', 'tiny', '--workers', '1']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /chosen .* normal FP [01]\/1 \(95 % CI 0\.\d\d–[01]\.\d\d\)/);
  assert.match(r.stdout, /note: with 1 normal validation image the false-positive rate on normal scans is known only to within/);
});

test('calibrate --max-normal-fp chooses the best lesion Dice within the limit and names that objective in the card', () => {
  const r = sonoseg(['calibrate', '--data', data, '--split-file', splitFile, '--model', 'tiny', '--max-normal-fp', '0', '--json', '--workers', '1']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { val: { objective: unknown; met: boolean; chosen: { normalFpRate: number; dice: number } } };
  assert.deepEqual(out.val.objective, { kind: 'lesionDiceAtFp', maxNormalFp: 0 });
  if (out.val.met) assert.equal(out.val.chosen.normalFpRate, 0);
  const card = JSON.parse(fs.readFileSync(path.join(home, 'models', 'tiny', 'card.json'), 'utf8'));
  assert.match(card.postprocess.chosenOn.objective, /^mean lesion Dice with a normal false-positive rate of at most 0/);
  const bad = sonoseg(['calibrate', '--data', data, '--split-file', splitFile, '--model', 'tiny', '--max-normal-fp', '2']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /INVALID_ARGUMENT: --max-normal-fp 2 is not a valid number here/);
});

test('calibrate --sizes tries each set of input sides; the chosen set goes into the card\'s plan, and eval runs the model at it', () => {
  const r = sonoseg(['calibrate', '--data', data, '--split-file', splitFile, '--model', 'tiny', '--sizes', '32;32,64', '--json', '--workers', '1']);
  assert.equal(r.code, 0, r.stderr);
  type Setting = { sizes?: number[]; flip: boolean; threshold: number };
  const out = JSON.parse(r.stdout) as { val: { chosen: Setting; baseline: Setting; tried: Setting[] } };
  assert.deepEqual([...new Set(out.val.tried.map((s) => JSON.stringify(s.sizes)))], ['[32]', '[32,64]']);
  assert.deepEqual(out.val.baseline.sizes, [32]);
  const cardPath = path.join(home, 'models', 'tiny', 'card.json');
  const card = JSON.parse(fs.readFileSync(cardPath, 'utf8'));
  assert.deepEqual(card.plan.sizes, out.val.chosen.sizes!.length === 1 ? undefined : out.val.chosen.sizes, 'the model\'s own side alone needs no sizes');
  // one set only: it is chosen, written, and eval's figures with the card's plan are the card's
  const two = sonoseg(['calibrate', '--data', data, '--split-file', splitFile, '--model', 'tiny', '--sizes', '64,32', '--json', '--workers', '1']);
  assert.equal(two.code, 0, two.stderr);
  const withSizes = JSON.parse(fs.readFileSync(cardPath, 'utf8'));
  assert.deepEqual(withSizes.plan.sizes, [64, 32]);
  const e = sonoseg(['eval', '--data', data, '--split-file', splitFile, '--split', 'test', '--model', 'tiny', '--json', '--workers', '1']);
  assert.equal(e.code, 0, e.stderr);
  assert.equal((JSON.parse(e.stdout) as { dice: number | null }).dice, withSizes.metrics.dice);
  // a later calibrate without --sizes keeps the card's sizes (its maps were made with them)
  const again = sonoseg(['calibrate', '--data', data, '--split-file', splitFile, '--model', 'tiny', '--val-only', '--json', '--workers', '1']);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(JSON.parse(fs.readFileSync(cardPath, 'utf8')).plan.sizes, [64, 32]);
  for (const bad of ['32;abc', '32;;64', '16', '32,32', '32;32', '']) {
    const b = sonoseg(['calibrate', '--data', data, '--split-file', splitFile, '--model', 'tiny', '--sizes', bad]);
    assert.equal(b.code, 1, bad);
    assert.match(b.stderr, /INVALID_ARGUMENT: .*(--sizes|input size)/, bad);
  }
  // back to the model's own side for the tests after this one
  assert.equal(sonoseg(['calibrate', '--data', data, '--split-file', splitFile, '--model', 'tiny', '--sizes', '32', '--workers', '1']).code, 0);
  assert.equal(JSON.parse(fs.readFileSync(cardPath, 'utf8')).plan.sizes, undefined);
});

test('calibrate needs a split file with validation images', () => {
  const r = sonoseg(['calibrate', '--data', data, '--model', 'tiny']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /INVALID_ARGUMENT: --data <dir> and --split-file <csv> are required/);
});

test('calibrate --val-only writes the val choice without scoring test, and clears the card\'s stale test figures', () => {
  const scored = sonoseg(['calibrate', '--data', data, '--split-file', splitFile, '--model', 'tiny', '--json', '--workers', '1']);
  assert.equal(scored.code, 0, scored.stderr);
  const cardPath = path.join(home, 'models', 'tiny', 'card.json');
  assert.equal(JSON.parse(fs.readFileSync(cardPath, 'utf8')).metrics.split, 'test', 'a full calibrate leaves test figures');
  const r = sonoseg(['calibrate', '--data', data, '--split-file', splitFile, '--model', 'tiny', '--max-normal-fp', '0', '--val-only', '--json', '--workers', '1']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { val: { n: number; chosen: { threshold: number } }; test: unknown };
  assert.equal(out.val.n, 3);
  assert.equal(out.test, null, 'no test images were scored');
  const card = JSON.parse(fs.readFileSync(cardPath, 'utf8'));
  assert.equal(card.postprocess.threshold, out.val.chosen.threshold);
  assert.match(card.postprocess.chosenOn.objective, /at most 0/);
  assert.equal(card.metrics, null, 'figures measured under the old post-processing are not kept');
  const text = sonoseg(['calibrate', '--data', data, '--split-file', splitFile, '--model', 'tiny', '--val-only', '--workers', '1']);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /test not scored \(--val-only\)/);
  assert.doesNotMatch(text.stdout, /^test, /m);
});

test('calibrate --out-of-fold: each fold model predicts the images it held out, and the choice goes into the ensemble\'s card', () => {
  // two folds over the non-test images: fold 1 holds out image 1 of each class, fold 2 image 2; images 3+ are test
  const foldFile = (k: number) => {
    const file = path.join(tmp, `fold${k}.csv`);
    const rows = ['file,class,group,split'];
    for (const [cls, n] of [['benign', 4], ['malignant', 3], ['normal', 3]] as const) {
      for (let i = 1; i <= n; i++) rows.push(`${cls}/${cls} (${i}).png,${cls},${cls}${i},${i > 2 ? 'test' : i === k ? 'val' : 'train'}`);
    }
    fs.writeFileSync(file, rows.join('\n') + '\n');
    return file;
  };
  const train = (fold: number, extra: string[], seed = fold) => {
    const r = sonoseg(['train', '--data', data, '--split-file', foldFile(fold), '--size', '32', '--depth', '2', '--base', '4', '--epochs', '1',
      '--seed', String(seed), '--workers', '1', '--json', '--out', path.join(tmp, `run-fold${fold}-${extra.length}-${seed}`), ...extra]);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as { modelId: string }).modelId;
  };
  const ensemble = (ids: string[], id: string) => {
    const r = sonoseg(['models', 'ensemble', ...ids, '--id', id]);
    assert.equal(r.code, 0, r.stderr);
    return id;
  };
  const f1 = train(1, ['--select', 'last']), f2 = train(2, ['--select', 'last']), f1picked = train(1, []);

  const r = sonoseg(['calibrate', '--data', data, '--split-file', foldFile(1), '--model', ensemble([f1, f2], 'cv2'), '--out-of-fold', '--json', '--workers', '1']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { val: { n: number; outOfFold: boolean; selectedOnFold: string[]; chosen: { threshold: number; normalImages: number } }; test: { n: number } };
  assert.equal(out.val.n, 6, 'three held-out images per fold, each scored once');
  assert.equal(out.val.chosen.normalImages, 2, 'one normal image held out by each fold');
  assert.deepEqual([out.val.outOfFold, out.val.selectedOnFold], [true, []]);
  assert.equal(out.test.n, 4, 'the split file names the test images');
  const card = JSON.parse(fs.readFileSync(path.join(home, 'models', 'cv2', 'card.json'), 'utf8'));
  assert.equal(card.postprocess.chosenOn.split, 'out-of-fold');
  assert.equal(card.postprocess.threshold, out.val.chosen.threshold);
  assert.equal(card.metrics.split, 'test');
  // out of fold with --sizes: the members predict at the sizes tried; a card's own sizes are kept and chosen on
  // when no --sizes is given (the members' own plans name none)
  const sized = sonoseg(['calibrate', '--data', data, '--model', 'cv2', '--out-of-fold', '--val-only', '--sizes', '32,64', '--json', '--workers', '1']);
  assert.equal(sized.code, 0, sized.stderr);
  type SizedOut = { val: { tried: { sizes?: number[] }[] } };
  assert.ok((JSON.parse(sized.stdout) as SizedOut).val.tried.every((s) => JSON.stringify(s.sizes) === '[32,64]'));
  const cv2Card = path.join(home, 'models', 'cv2', 'card.json');
  assert.deepEqual(JSON.parse(fs.readFileSync(cv2Card, 'utf8')).plan.sizes, [32, 64]);
  const kept = sonoseg(['calibrate', '--data', data, '--model', 'cv2', '--out-of-fold', '--val-only', '--json', '--workers', '1']);
  assert.equal(kept.code, 0, kept.stderr);
  const keptOut = JSON.parse(kept.stdout) as SizedOut;
  assert.ok(keptOut.val.tried.every((s) => JSON.stringify(s.sizes) === '[32,64]'), 'chosen on the card\'s sizes');
  assert.deepEqual(keptOut.val.tried.map((s) => JSON.stringify(s)), (JSON.parse(sized.stdout) as SizedOut).val.tried.map((s) => JSON.stringify(s)));
  assert.deepEqual(JSON.parse(fs.readFileSync(cv2Card, 'utf8')).plan.sizes, [32, 64]);

  // a member that chose its checkpoint on its own fold: allowed, with a warning that the figures are optimistic
  const warned = sonoseg(['calibrate', '--data', data, '--model', ensemble([f1picked, f2], 'cv2-picked'), '--out-of-fold', '--val-only', '--workers', '1']);
  assert.equal(warned.code, 0, warned.stderr);
  assert.match(warned.stdout, /6 validation images, out of fold \(2 folds\)/);
  assert.match(warned.stdout, new RegExp(`warning: ${f1picked} chose its checkpoint on the images it is scored on here`));
  // members holding out the same images (two seeds of fold 1) are one fold, scored on their mean map: every
  // setting's figures are then those of the pair's ensemble on fold 1 and f2 on fold 2, pooled (one normal and
  // two lesion images per fold, so each pooled figure is the two folds' mean)
  const f1b = train(1, ['--select', 'last'], 7);
  const pooled = sonoseg(['calibrate', '--data', data, '--model', ensemble([f1, f1b, f2], 'cv2-seeds'), '--out-of-fold', '--val-only', '--json', '--workers', '1']);
  assert.equal(pooled.code, 0, pooled.stderr);
  type Tried = { dice: number; iou: number; normalFpRate: number }[];
  const pooledTried = (JSON.parse(pooled.stdout) as { val: { n: number; tried: Tried } }).val;
  assert.equal(pooledTried.n, 6, 'each held-out image once, though fold 1 has two members');
  const text = sonoseg(['calibrate', '--data', data, '--model', 'cv2-seeds', '--out-of-fold', '--val-only', '--workers', '1']);
  assert.match(text.stdout, /6 validation images, out of fold \(2 folds, 3 members: each image on the mean map of its fold's\)/);
  const onFold = (k: number, model: string) => {
    const r = sonoseg(['calibrate', '--data', data, '--split-file', foldFile(k), '--model', model, '--val-only', '--json', '--workers', '1']);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as { val: { tried: Tried } }).val.tried;
  };
  const fold1 = onFold(1, ensemble([f1, f1b], 'fold1-pair')), fold2 = onFold(2, f2), fold1alone = onFold(1, f1);
  assert.equal(pooledTried.tried.length, fold1.length);
  pooledTried.tried.forEach((s, i) => {
    for (const key of ['dice', 'iou', 'normalFpRate'] as const) {
      assert.ok(Math.abs(s[key] - (fold1[i]![key] + fold2[i]![key]) / 2) < 1e-9, `setting ${i} ${key}: ${s[key]} vs folds ${fold1[i]![key]}, ${fold2[i]![key]}`);
    }
  });
  assert.ok(fold1.some((s, i) => s.dice !== fold1alone[i]!.dice), 'the second seed changes fold 1\'s maps');
  // seeds of one fold alone are one fold, not two; a single model has no folds; test images inside a fold are refused
  const oneFold = sonoseg(['calibrate', '--data', data, '--model', ensemble([f1, f1picked], 'one-fold'), '--out-of-fold', '--val-only', '--workers', '1']);
  assert.equal(oneFold.code, 1);
  assert.match(oneFold.stderr, /INVALID_ARGUMENT: out-of-fold calibration needs at least two folds, got 1/);
  const single = sonoseg(['calibrate', '--data', data, '--model', f1, '--out-of-fold', '--val-only']);
  assert.match(single.stderr, /INVALID_ARGUMENT: .* is not an ensemble/);
  const allTest = path.join(tmp, 'all-test.csv');
  fs.writeFileSync(allTest, fs.readFileSync(splitFile, 'utf8').replace(/,(train|val)$/gm, ',test'));
  const leak = sonoseg(['calibrate', '--data', data, '--split-file', allTest, '--model', 'cv2', '--out-of-fold']);
  assert.match(leak.stderr, /is both a test image and held out by a fold/);
  const noTest = sonoseg(['calibrate', '--data', data, '--model', 'cv2', '--out-of-fold']);
  assert.match(noTest.stderr, /with --out-of-fold, --split-file <csv> names the test images to score \(or add --val-only\)/);
});
