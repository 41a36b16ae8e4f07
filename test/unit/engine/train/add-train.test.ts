import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { splitDataset } from '../../../../main/engine/train/data';
import { validateTrainOptions } from '../../../../main/engine/train/options';
import { SonoError } from '../../../../main/common/errors';
import { writeSyntheticBusi } from './synthetic-dataset';

let tmp: string;
let main: string;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-add-train-'));
  main = path.join(tmp, 'busi');
  await writeSyntheticBusi(main, { perClass: { benign: 12, malignant: 8, normal: 6 } });
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** An images/ + masks/ set (BUS-BRA's layout) of `n` synthetic lesion images, written from a BUSI-layout copy. */
async function addedSet(name: string, n: number, seed: number): Promise<string> {
  const src = path.join(tmp, `${name}-src`);
  await writeSyntheticBusi(src, { perClass: { benign: n, malignant: 0, normal: 0 }, seed });
  const dir = path.join(tmp, name);
  fs.mkdirSync(path.join(dir, 'Images'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'Masks'), { recursive: true });
  for (let k = 1; k <= n; k++) {
    fs.copyFileSync(path.join(src, 'benign', `benign (${k}).png`), path.join(dir, 'Images', `bus_${k}.png`));
    fs.copyFileSync(path.join(src, 'benign', `benign (${k})_mask.png`), path.join(dir, 'Masks', `bus_${k}.png`));
  }
  fs.rmSync(src, { recursive: true });
  return dir;
}

const code = (c: string, message: RegExp) => (e: unknown) => e instanceof SonoError && e.code === c && message.test(e.message);

test('every image of an added folder is a training image under its folder-prefixed id; validation and test do not change', async () => {
  const extra = await addedSet('BUS-BRA', 5, 31);
  const plain = await splitDataset(main, undefined, 4);
  const more = await splitDataset(main, undefined, 4, [extra]);
  assert.deepEqual(more.val.map((it) => it.id), plain.val.map((it) => it.id));
  assert.deepEqual(more.test.map((it) => it.id), plain.test.map((it) => it.id));
  assert.deepEqual(more.train.map((it) => it.id), [...plain.train.map((it) => it.id), ...[1, 2, 3, 4, 5].map((k) => `BUS-BRA/Images/bus_${k}`)]);
  assert.ok(more.train.slice(plain.train.length).every((it) => it.split === 'train' && it.maskPaths.length === 1));
  assert.deepEqual(more.added, [extra]);
  assert.deepEqual(plain.added, []);
  assert.notEqual(more.trainHash, plain.trainHash, 'the training-set fingerprint covers the added images');
});

test("an added folder's own split file is ignored: all of its images train", async () => {
  const extra = await addedSet('clinic', 3, 32);
  fs.writeFileSync(path.join(extra, 'splits.csv'), 'file,split\nImages/bus_1.png,test\nImages/bus_2.png,val\nImages/bus_3.png,train\n');
  const d = await splitDataset(main, undefined, 4, [extra]);
  assert.deepEqual(d.train.filter((it) => it.id.startsWith('clinic/')).map((it) => it.split), ['train', 'train', 'train']);
});

test('an added copy of a validation or test image is refused, even re-encoded; a copy of a training image is not', async () => {
  const plain = await splitDataset(main, undefined, 4);
  const heldOut = plain.test[0]!, trained = plain.train[0]!;
  const leaky = await addedSet('leaky', 2, 33);
  // the same pixels in another container (lossless TIFF) under another name
  await sharp(heldOut.imagePath).tiff({ compression: 'lzw' }).toFile(path.join(leaky, 'Images', 'copy.tif'));
  fs.copyFileSync(heldOut.maskPaths[0]!, path.join(leaky, 'Masks', 'copy.png'));
  await assert.rejects(splitDataset(main, undefined, 4, [leaky]),
    code('DATASET_INVALID', new RegExp(`^1 added image has the pixels of validation or test images .*remove it from the added folder: leaky/Images/copy = ${escape(heldOut.id)} \\(test\\)$`)));
  fs.rmSync(path.join(leaky, 'Images', 'copy.tif'));
  fs.rmSync(path.join(leaky, 'Masks', 'copy.png'));
  fs.copyFileSync(trained.imagePath, path.join(leaky, 'Images', 'again.png'));
  fs.copyFileSync(trained.maskPaths[0]!, path.join(leaky, 'Masks', 'again.png'));
  const d = await splitDataset(main, undefined, 4, [leaky]);
  assert.ok(d.train.some((it) => it.id === 'leaky/Images/again'));
});

test('refused: the main folder added to itself, two added folders of one name, a missing folder', async () => {
  await assert.rejects(splitDataset(main, undefined, 4, [main]), code('INVALID_ARGUMENT', /is the main dataset itself/));
  const a = await addedSet('twin', 2, 34);
  const bParent = path.join(tmp, 'elsewhere');
  fs.mkdirSync(bParent);
  fs.cpSync(a, path.join(bParent, 'twin'), { recursive: true });
  await assert.rejects(splitDataset(main, undefined, 4, [a, path.join(bParent, 'twin')]), code('INVALID_ARGUMENT', /have the same name.*rename one/));
  await assert.rejects(splitDataset(main, undefined, 4, [path.join(tmp, 'nowhere')]), (e: unknown) => e instanceof SonoError);
});

test('the run options keep added folders only when there are some, and refuse an empty path', () => {
  assert.equal(validateTrainOptions({ data: '/d' }).addTrain, undefined);
  assert.equal(validateTrainOptions({ data: '/d', addTrain: [] }).addTrain, undefined);
  assert.deepEqual(validateTrainOptions({ data: '/d', addTrain: ['/e', '/f'] }).addTrain, ['/e', '/f']);
  assert.throws(() => validateTrainOptions({ data: '/d', addTrain: [' '] }), code('INVALID_ARGUMENT', /folder path/));
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
