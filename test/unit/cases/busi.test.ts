import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { datasetHash, listDataset, loadItem, type DatasetItem } from '../../../main/cases';
import { sharedDir } from '../paths';

// Expected numbers are those documented in ../shared/datasets/busi/README.md.
const BUSI = path.join(sharedDir, 'datasets', 'busi');

function count<T>(xs: T[], key: (x: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return out;
}

async function maskBits(file: string): Promise<Uint8Array> {
  // a different decode path from loadItem: first channel only, no colour conversion
  const { data } = await sharp(file).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return Uint8Array.from(data, (v) => (v > 0 ? 1 : 0));
}

test('BUSI: images and mask files per class, and the 18 extra masks', async () => {
  assert.ok(fs.existsSync(BUSI), `BUSI copy missing at ${BUSI}`);
  const items = await listDataset(BUSI);
  assert.equal(items.length, 780);
  assert.deepEqual(count(items, (i) => i.className), { benign: 437, malignant: 210, normal: 133 });
  const masks: Record<string, number> = {};
  for (const it of items) masks[it.className] = (masks[it.className] ?? 0) + it.maskPaths.length;
  assert.deepEqual(masks, { benign: 454, malignant: 211, normal: 133 });
  const extra = items.filter((i) => i.maskPaths.length > 1);
  assert.equal(extra.reduce((s, i) => s + i.maskPaths.length - 1, 0), 18);
  assert.deepEqual(extra.filter((i) => i.className === 'malignant').map((i) => i.id), ['malignant/malignant (53)']);
  assert.deepEqual(extra.filter((i) => i.className === 'benign').map((i) => Number(/\((\d+)\)/.exec(i.id)![1])),
    [4, 25, 54, 58, 83, 92, 93, 98, 100, 163, 173, 181, 195, 315, 346, 424]);
  const b195 = items.find((i) => i.id === 'benign/benign (195)')!;
  assert.deepEqual(b195.maskPaths.map((p) => path.basename(p)), ['benign (195)_mask.png', 'benign (195)_mask_1.png', 'benign (195)_mask_2.png']);
});

test('BUSI: splits.csv gives the documented split sizes and no group spans two splits', async () => {
  const items = await listDataset(BUSI);
  assert.deepEqual(count(items, (i) => `${i.className}/${i.split}`), {
    'benign/train': 306, 'benign/val': 44, 'benign/test': 87,
    'malignant/train': 147, 'malignant/val': 21, 'malignant/test': 42,
    'normal/train': 93, 'normal/val': 13, 'normal/test': 27,
  });
  assert.deepEqual(count(items, (i) => i.split!), { train: 546, val: 78, test: 156 });
  const splitOfGroup = new Map<string, string>();
  for (const it of items) {
    assert.ok(it.group, it.id);
    assert.equal(splitOfGroup.get(it.group!) ?? it.split, it.split, `group ${it.group} spans splits`);
    splitOfGroup.set(it.group!, it.split!);
  }
  assert.equal(splitOfGroup.size, 578);
  assert.equal((await listDataset(BUSI, { split: 'val' })).length, 78);
  assert.equal((await listDataset(BUSI, { splitFile: false }))[0]!.split, undefined);
});

test('BUSI: benign (195) loads as the union of its three masks', async () => {
  const item = (await listDataset(BUSI)).find((i) => i.id === 'benign/benign (195)')!;
  const { image, mask } = await loadItem(item);
  assert.deepEqual([mask.width, mask.height], [image.width, image.height]);
  const parts = await Promise.all(item.maskPaths.map(maskBits));
  const areas = parts.map((p) => p.reduce((s, v) => s + v, 0));
  const union = parts[0]!.map((v, i) => v | parts[1]![i]! | parts[2]![i]!);
  assert.deepEqual(mask.data, union);
  const unionArea = union.reduce((s, v) => s + v, 0);
  assert.ok(areas.every((a) => a > 0 && a < unionArea), `areas ${areas} union ${unionArea}`);
});

test('BUSI: RGB normal masks are empty, RGBA masks and colour images load', async () => {
  const items = await listDataset(BUSI);
  const get = (id: string): DatasetItem => items.find((i) => i.id === id)!;
  const normal = await loadItem(get('normal/normal (1)'));
  assert.equal(normal.mask.data.reduce((s, v) => s + v, 0), 0);
  const rgba = await loadItem(get('benign/benign (4)')); // benign (4)_mask_1.png is RGBA
  const extraOnly = await maskBits(get('benign/benign (4)').maskPaths[1]!);
  assert.ok(extraOnly.some((v, i) => v === 1 && rgba.mask.data[i] === 1));
  const colour = await loadItem(get('benign/benign (6)'));
  assert.equal(colour.image.data.length, colour.image.width * colour.image.height);
  assert.deepEqual([...new Set(colour.mask.data)].sort(), [0, 1]);
});

test('BUSI: the dataset hash is stable and changes with the item set', async () => {
  const items = await listDataset(BUSI);
  const h = await datasetHash(items);
  assert.match(h, /^[0-9a-f]{64}$/);
  assert.equal(await datasetHash([...items].reverse()), h);
  assert.notEqual(await datasetHash(items.slice(1)), h);
  assert.notEqual(await datasetHash(items.map((i, k) => (k === 0 ? { ...i, split: 'test' as const } : i))), h);
});

test('a relative --split-file is relative to the working directory; a bare name inside the dataset still works', async () => {
  const cwd = process.cwd();
  try {
    process.chdir(path.dirname(BUSI));
    const rel = path.join(path.basename(BUSI), 'splits.csv');
    const items = await listDataset(path.basename(BUSI), { splitFile: rel, split: 'test' });
    assert.equal(items.length, 156);
  } finally {
    process.chdir(cwd);
  }
  assert.equal((await listDataset(BUSI, { splitFile: 'splits.csv', split: 'val' })).length, 78);
});
