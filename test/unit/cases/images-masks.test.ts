import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { datasetHash, detectLayout, listDataset, loadItem, markLesion } from '../../../main/cases';
import { dropSharedAffixes } from '../../../main/cases/images-masks-layout';
import { encode as encodeBmp } from 'bmp-ts';

let root: string;

/** A w×h grey ramp; `channels` 3 repeats it in R, G and B. */
async function writeImage(file: string, w: number, h: number, channels: 1 | 3 = 1): Promise<void> {
  const px = new Uint8Array(w * h * channels);
  for (let i = 0; i < w * h; i++) px.fill((i * 7) % 256, i * channels, (i + 1) * channels);
  let img = sharp(Buffer.from(px), { raw: { width: w, height: h, channels } });
  if (channels === 1) img = img.toColourspace('b-w');
  await img.toFile(file);
}

/** A mask with a filled rectangle, as grey or as RGB (lesion drawn in pure red). */
async function writeMask(file: string, w: number, h: number, rect: [number, number, number, number], rgb = false): Promise<void> {
  const channels = rgb ? 3 : 1;
  const px = new Uint8Array(w * h * channels);
  const [x0, y0, x1, y1] = rect;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) px[(y * w + x) * channels] = 255;
  let img = sharp(Buffer.from(px), { raw: { width: w, height: h, channels } });
  if (!rgb) img = img.toColourspace('b-w');
  // sharp's TIFF and WebP defaults are lossy (JPEG, VP8); a mask must stay exact
  const ext = path.extname(file);
  img = ext === '.tif' ? img.tiff({ compression: 'lzw' }) : ext === '.webp' ? img.webp({ lossless: true }) : img.png();
  await img.toFile(file);
}

async function makeDataset(dir: string): Promise<void> {
  fs.mkdirSync(path.join(dir, 'images'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'masks'), { recursive: true });
  await writeImage(path.join(dir, 'images', 'case2.png'), 30, 20);
  await writeMask(path.join(dir, 'masks', 'case2.png'), 30, 20, [5, 5, 15, 10]);
  await writeImage(path.join(dir, 'images', 'case10.png'), 17, 11, 3);
  await writeMask(path.join(dir, 'masks', 'case10.tif'), 17, 11, [0, 0, 3, 2], true);
  await writeImage(path.join(dir, 'images', 'left, upper.png'), 12, 12);
  await writeMask(path.join(dir, 'masks', 'left, upper.webp'), 12, 12, [1, 1, 2, 2]);
  fs.writeFileSync(path.join(dir, 'images', '.DS_Store'), 'junk');
  fs.writeFileSync(path.join(dir, 'README.txt'), 'not an image');
}

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-cases-'));
  await makeDataset(path.join(root, 'good'));
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

function copyDataset(name: string): string {
  const dir = path.join(root, name);
  fs.cpSync(path.join(root, 'good'), dir, { recursive: true });
  return dir;
}

test('images/ + masks/: masks found by base name whatever their extension, ids in natural order', async () => {
  const dir = path.join(root, 'good');
  assert.equal(await detectLayout(dir), 'images-masks');
  const items = await listDataset(dir);
  assert.deepEqual(items.map((i) => i.id), ['images/case2', 'images/case10', 'images/left, upper']);
  assert.deepEqual(items.map((i) => path.basename(i.maskPaths[0]!)), ['case2.png', 'case10.tif', 'left, upper.webp']);
  assert.ok(items.every((i) => i.className === 'unknown' && i.split === undefined));
});

test('loadItem gives an 8-bit grey image and a 0/1 mask at the image size', async () => {
  const items = await listDataset(path.join(root, 'good'));
  const a = await loadItem(items[0]!);
  assert.deepEqual([a.image.width, a.image.height, a.image.data.length], [30, 20, 600]);
  assert.equal(a.image.data[5], 35); // ramp value (5 × 7) survives the grey round trip
  assert.equal(a.mask.data.reduce((s, v) => s + v, 0), 10 * 5);
  assert.equal(a.mask.data[5 * 30 + 5], 1);
  assert.equal(a.mask.data[4 * 30 + 5], 0);
  const rgb = await loadItem(items[1]!); // RGB image, RGB (red-only) mask in TIFF
  assert.equal(rgb.image.data[3], 21);
  assert.equal(rgb.mask.data.reduce((s, v) => s + v, 0), 6);
});

test('markLesion: 0/255 and 0/1 masks are "any non-zero"; faint noise under half the brightest value is not lesion', () => {
  const mark = (rgb: number[]): number[] => { const out = new Uint8Array(rgb.length / 3); markLesion(Uint8Array.from(rgb), out); return [...out]; };
  assert.deepEqual(mark([0, 0, 0, 255, 255, 255, 0, 0, 0, 255, 255, 255]), [0, 1, 0, 1]);
  assert.deepEqual(mark([0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0]), [0, 1, 1, 0], '0/1 masks');
  assert.deepEqual(mark([0, 0, 0, 255, 0, 0, 0, 200, 0, 0, 0, 0]), [0, 1, 1, 0], 'colour masks: any bright channel');
  assert.deepEqual(mark([3, 3, 3, 127, 127, 127, 128, 128, 128, 255, 255, 255]), [0, 0, 1, 1], 'cut at half of 255');
  assert.deepEqual(mark([0, 0, 0, 0, 0, 0]), [0, 0], 'an all-black mask marks nothing');
  const into = Uint8Array.from([1, 0]);
  markLesion(Uint8Array.from([0, 0, 0, 0, 0, 0]), into);
  assert.deepEqual([...into], [1, 0], 'a second mask file adds to the first, never clears it');
});

test('a lossy JPEG mask and a 0/1 PNG mask load as the lesion that was drawn', async () => {
  const dir = copyDataset('lossy-masks');
  for (const f of fs.readdirSync(path.join(dir, 'masks'))) fs.rmSync(path.join(dir, 'masks', f));
  const w = 64, h = 48, rect = { x0: 16, y0: 12, x1: 44, y1: 36 };
  const px = new Uint8Array(w * h);
  for (let y = rect.y0; y < rect.y1; y++) for (let x = rect.x0; x < rect.x1; x++) px[y * w + x] = 255;
  const raw = { raw: { width: w, height: h, channels: 1 as const } };
  await sharp(Buffer.from(px), raw).jpeg({ quality: 60 }).toFile(path.join(dir, 'masks', 'case2.jpg'));
  await sharp(Buffer.from(px.map((v) => (v ? 1 : 0))), raw).png().toFile(path.join(dir, 'masks', 'case10.png'));
  await sharp(Buffer.from(px), raw).png().toFile(path.join(dir, 'masks', 'left, upper.png'));
  for (const f of fs.readdirSync(path.join(dir, 'images'))) fs.rmSync(path.join(dir, 'images', f));
  for (const f of ['case2', 'case10', 'left, upper']) await writeImage(path.join(dir, 'images', `${f}.png`), w, h);
  const area = (rect.x1 - rect.x0) * (rect.y1 - rect.y0);
  const items = await listDataset(dir);
  const { data: jpeg } = await sharp(path.join(dir, 'masks', 'case2.jpg')).greyscale().raw().toBuffer({ resolveWithObject: true });
  assert.ok(jpeg.filter((v) => v > 0).length > area + 20, 'the JPEG really has faint noise around the lesion');
  for (const item of items) {
    const { mask } = await loadItem(item);
    const inside = (i: number): boolean => { const x = i % w, y = Math.floor(i / w); return x >= rect.x0 && x < rect.x1 && y >= rect.y0 && y < rect.y1; };
    let wrong = 0;
    mask.data.forEach((v, i) => { if (v !== (inside(i) ? 1 : 0)) wrong++; });
    assert.ok(wrong <= (item.maskPaths[0]!.endsWith('.jpg') ? 8 : 0), `${item.id}: ${wrong} pixels differ from the drawn lesion`);
  }
});

test('a split file with quoted names gives classes, groups and splits', async () => {
  const dir = copyDataset('with-splits');
  fs.writeFileSync(path.join(dir, 'splits.csv'),
    'file,class,group,split\r\nimages/case2.png,benign,g1,train\r\nimages/case10.png,malignant,g2,test\r\n"images/left, upper.png",benign,g1,train\r\n');
  const items = await listDataset(dir);
  assert.deepEqual(items.map((i) => [i.className, i.group, i.split]), [['benign', 'g1', 'train'], ['malignant', 'g2', 'test'], ['benign', 'g1', 'train']]);
  assert.deepEqual((await listDataset(dir, { split: 'test' })).map((i) => i.id), ['images/case10']);
  assert.notEqual(await datasetHash(items), await datasetHash(await listDataset(dir, { splitFile: false })));
});

test('split file errors: unknown file, image without a row, bad split name', async () => {
  const dir = copyDataset('bad-splits');
  const csv = path.join(dir, 'splits.csv');
  fs.writeFileSync(csv, 'file,split\nimages/case2.png,train\nimages/case10.png,val\n"images/left, upper.png",test\nimages/ghost.png,train\n');
  await assert.rejects(listDataset(dir), { code: 'DATASET_INVALID', message: /ghost\.png" is listed but is not an image/ });
  fs.writeFileSync(csv, 'file,split\nimages/case2.png,train\n');
  await assert.rejects(listDataset(dir), { code: 'DATASET_INVALID', message: /image "images\/case10\.png" has no row/ });
  fs.writeFileSync(csv, 'file,split\nimages/case2.png,training\n');
  await assert.rejects(listDataset(dir), { code: 'DATASET_INVALID', message: /line 2: split "training"/ });
  fs.writeFileSync(csv, 'name,split\n');
  await assert.rejects(listDataset(dir), { code: 'DATASET_INVALID', message: /columns file and split/ });
  await assert.rejects(listDataset(path.join(root, 'good'), { split: 'val' }), { code: 'DATASET_INVALID' });
});

test('layout errors: a mask without an image, an image without a mask, a size mismatch', async () => {
  const orphan = copyDataset('orphan');
  await writeMask(path.join(orphan, 'masks', 'lost.png'), 4, 4, [0, 0, 1, 1]);
  await assert.rejects(listDataset(orphan), { code: 'DATASET_INVALID', message: /masks\/lost\.png has no image/ });
  const missing = copyDataset('missing');
  fs.rmSync(path.join(missing, 'masks', 'case2.png'));
  await assert.rejects(listDataset(missing), { code: 'DATASET_INVALID', message: /images\/case2\.png has no mask/ });
  const mismatch = copyDataset('mismatch');
  await writeMask(path.join(mismatch, 'masks', 'case2.png'), 29, 20, [0, 0, 1, 1]);
  const item = (await listDataset(mismatch))[0]!;
  await assert.rejects(loadItem(item), { code: 'DATASET_INVALID', message: /29×20 but the image is 30×20/ });
  await assert.rejects(listDataset(path.join(root, 'good', 'images')), { code: 'DATASET_INVALID' });
});

/** A two-folder set whose image k is (10 + k)×8 with its mask at the same size, so a wrong pairing cannot load. */
async function makeNamedSet(dir: string, folders: [string, string], names: [string, string][]): Promise<void> {
  fs.mkdirSync(path.join(dir, folders[0]), { recursive: true });
  fs.mkdirSync(path.join(dir, folders[1]), { recursive: true });
  for (const [k, [img, mask]] of names.entries()) {
    await writeImage(path.join(dir, folders[0], img), 10 + k, 8);
    await writeMask(path.join(dir, folders[1], mask), 10 + k, 8, [0, 0, 1 + k, 1]);
  }
}

test('public sets\' folder names and naming: BUS-BRA (Images/bus_… + Masks/mask_…), UDIAT (original/ + GT/), name_mask', async () => {
  const busBra = path.join(root, 'bus-bra');
  await makeNamedSet(busBra, ['Images', 'Masks'],
    [['bus_0001-l.png', 'mask_0001-l.png'], ['bus_0001-r.png', 'mask_0001-r.png'], ['bus_0002-l.png', 'mask_0002-l.png']]);
  const udiat = path.join(root, 'udiat');
  await makeNamedSet(udiat, ['original', 'GT'], [['000001.png', '000001.png'], ['000002.png', '000002.png']]);
  const suffixed = path.join(root, 'suffixed');
  await makeNamedSet(suffixed, ['images', 'masks'], [['case7.png', 'case7_mask.png'], ['case12.jpg', 'case12_mask.png']]);
  for (const [dir, ids] of [[busBra, ['Images/bus_0001-l', 'Images/bus_0001-r', 'Images/bus_0002-l']],
    [udiat, ['original/000001', 'original/000002']], [suffixed, ['images/case7', 'images/case12']]] as const) {
    assert.equal(await detectLayout(dir), 'images-masks');
    const items = await listDataset(dir);
    assert.deepEqual(items.map((i) => i.id), ids);
    for (const item of items) {
      const { image, mask } = await loadItem(item); // throws on a size mismatch, i.e. a wrong pairing
      const k = image.width - 10;
      assert.equal(mask.data.reduce((s, v) => s + v, 0), 1 + k, item.id);
    }
  }
  const orphan = path.join(root, 'bus-bra-orphan');
  fs.cpSync(busBra, orphan, { recursive: true });
  await writeMask(path.join(orphan, 'Masks', 'mask_0003-l.png'), 4, 4, [0, 0, 1, 1]);
  await assert.rejects(listDataset(orphan), { code: 'DATASET_INVALID', message: /Masks\/mask_0003-l\.png has no image/ });
  fs.rmSync(path.join(orphan, 'Masks', 'mask_0001-r.png'));
  // now every mask name ends in "-l" as well as starting with "mask_": the prefix-only pairing still names the one gap
  await assert.rejects(listDataset(orphan), (e: Error) => /Images\/bus_0001-r\.png has no mask in Masks\//.test(e.message)
    && !/bus_0001-l|bus_0002-l/.test(e.message));
});

test('dropSharedAffixes: cuts only at separators, needs two names, never empties a name', () => {
  const keys = (names: string[]): string[] => names.map((n) => dropSharedAffixes(names).get(n)!);
  assert.deepEqual(keys(['bus_0001-l', 'bus_0002-r']), ['0001-l', '0002-r']);
  assert.deepEqual(keys(['case7_mask', 'case12_mask']), ['case7', 'case12']);
  assert.deepEqual(keys(['case7', 'case12']), ['case7', 'case12'], '"case" is not followed by a separator');
  assert.deepEqual(keys(['a_x_m', 'a_y_m']), ['x', 'y']);
  assert.deepEqual(keys(['p_1', 'p_1_q']), ['1', '1_q']);
  assert.deepEqual(keys(['p_', 'p_']), ['p_', 'p_'], 'a name that would be emptied keeps itself');
  assert.deepEqual(keys(['mask_0001']), ['mask_0001'], 'one name shares nothing with others');
  const only = (names: string[], drop: { prefix: boolean; suffix: boolean }): string[] => names.map((n) => dropSharedAffixes(names, drop).get(n)!);
  assert.deepEqual(only(['mask_1-l', 'mask_2-l'], { prefix: true, suffix: false }), ['1-l', '2-l']);
  assert.deepEqual(only(['mask_1-l', 'mask_2-l'], { prefix: false, suffix: true }), ['mask_1', 'mask_2']);
});

test('a dataset unpacked one level deep is named in the error', async () => {
  const outer = path.join(root, 'download');
  fs.mkdirSync(path.join(outer, 'Dataset_BUSI_with_GT', 'benign'), { recursive: true });
  fs.mkdirSync(path.join(outer, 'notes'));
  await assert.rejects(listDataset(outer), { code: 'DATASET_INVALID', message: /Did you mean .*download\/Dataset_BUSI_with_GT\?/ });
  await assert.rejects(listDataset(path.join(outer, 'notes')), (e: Error) => !/Did you mean/.test(e.message));
});

test('BUSI layout: extra masks merge, a missing _mask.png is reported', async () => {
  const dir = path.join(root, 'busi-mini');
  fs.mkdirSync(path.join(dir, 'benign'), { recursive: true });
  const b = (f: string): string => path.join(dir, 'benign', f);
  await writeImage(b('benign (1).png'), 10, 8);
  await writeMask(b('benign (1)_mask.png'), 10, 8, [0, 0, 2, 2]);
  await writeMask(b('benign (1)_mask_1.png'), 10, 8, [5, 5, 7, 7], true);
  await writeImage(b('benign (2).png'), 10, 8);
  await writeMask(b('benign (2)_mask.png'), 10, 8, [1, 1, 2, 2]);
  const items = await listDataset(dir);
  assert.equal(await detectLayout(dir), 'busi');
  assert.deepEqual(items.map((i) => [i.id, i.maskPaths.length]), [['benign/benign (1)', 2], ['benign/benign (2)', 1]]);
  assert.equal((await loadItem(items[0]!)).mask.data.reduce((s, v) => s + v, 0), 8);
  fs.rmSync(b('benign (2)_mask.png'));
  await assert.rejects(listDataset(dir), { code: 'DATASET_INVALID', message: /benign\/benign \(2\)\.png has no mask \(e\.g\. benign \(2\)_mask\.png\)/ });
});

/** A 24-bit BMP of the same ramp writeImage draws (bmp-ts writes ABGR per pixel). */
function writeBmp(file: string, w: number, h: number): void {
  const abgr = Buffer.alloc(w * h * 4);
  for (let i = 0; i < w * h; i++) abgr.fill((i * 7) % 256, 4 * i + 1, 4 * i + 4);
  fs.writeFileSync(file, encodeBmp({ data: abgr, width: w, height: h, bitPP: 24 }).data);
}

test('class folders in any case holding an image folder + a mask folder (BUS_UC Benign/images + Benign/masks)', async () => {
  const dir = path.join(root, 'bus-uc');
  await makeNamedSet(path.join(dir, 'Benign'), ['images', 'masks'], [['b1.png', 'b1.png'], ['b2.png', 'b2.png']]);
  await makeNamedSet(path.join(dir, 'Malignant'), ['images', 'masks'], [['m1.png', 'm1.png']]);
  assert.equal(await detectLayout(dir), 'busi');
  const items = await listDataset(dir);
  assert.deepEqual(items.map((i) => [i.id, i.className]),
    [['Benign/images/b1', 'benign'], ['Benign/images/b2', 'benign'], ['Malignant/images/m1', 'malignant']]);
  for (const item of items) await loadItem(item); // a wrong pairing would not load (sizes differ)
  fs.rmSync(path.join(dir, 'Malignant', 'masks', 'm1.png'));
  await assert.rejects(listDataset(dir), { code: 'DATASET_INVALID', message: /Malignant\/images\/m1\.png has no mask in Malignant\/masks\// });
});

test('images with their masks beside them: BrEaST-Lesions_USG (case001.png + case001_tumor.png; _other findings left out)', async () => {
  const dir = path.join(root, 'breast');
  fs.mkdirSync(dir, { recursive: true });
  await writeImage(path.join(dir, 'case001.png'), 12, 8);
  await writeMask(path.join(dir, 'case001_tumor.png'), 12, 8, [0, 0, 3, 2]);
  await writeMask(path.join(dir, 'case001_other1.png'), 12, 8, [6, 6, 8, 8]);
  await writeImage(path.join(dir, 'case002.png'), 9, 7, 3);
  await writeMask(path.join(dir, 'case002_tumor.png'), 9, 7, [1, 1, 2, 2]);
  await writeMask(path.join(dir, 'case002_tumor2.png'), 9, 7, [4, 4, 6, 5]);
  assert.equal(await detectLayout(dir), 'paired-names');
  const items = await listDataset(dir);
  assert.deepEqual(items.map((i) => [i.id, i.className, i.maskPaths.map((p) => path.basename(p))]),
    [['case001', 'unknown', ['case001_tumor.png']], ['case002', 'unknown', ['case002_tumor.png', 'case002_tumor2.png']]]);
  const area = async (k: number) => (await loadItem(items[k]!)).mask.data.reduce((s, v) => s + v, 0);
  assert.equal(await area(0), 6, 'the other finding is not part of the lesion');
  assert.equal(await area(1), 1 + 2, 'a second tumour mask adds to the first');
  await writeImage(path.join(dir, 'case003.png'), 5, 5);
  await writeMask(path.join(dir, 'case004_tumor.png'), 5, 5, [0, 0, 1, 1]);
  await assert.rejects(listDataset(dir), (e: Error) => /case003\.png has no mask \(e\.g\. case003_mask\.png\)/.test(e.message)
    && /case004_tumor\.png has no image/.test(e.message));
});

test('BUID: class folders of BMP images named "<n> Benign Image" with TIFF masks "<n> Benign Mask"; BMP decodes exactly', async () => {
  const dir = path.join(root, 'buid');
  fs.mkdirSync(path.join(dir, 'Benign'), { recursive: true });
  const b = (f: string): string => path.join(dir, 'Benign', f);
  writeBmp(b('1 Benign Image.bmp'), 13, 6);
  await writeMask(b('1 Benign Mask.tif'), 13, 6, [2, 1, 5, 3]);
  await writeImage(b('2 Benign Image.png'), 13, 6);
  await writeMask(b('2 Benign Mask.tif'), 13, 6, [0, 0, 1, 1]);
  const items = await listDataset(dir);
  assert.deepEqual(items.map((i) => [i.id, i.className]), [['Benign/1 Benign Image', 'benign'], ['Benign/2 Benign Image', 'benign']]);
  const [bmp, png] = await Promise.all(items.map((i) => loadItem(i)));
  assert.deepEqual(bmp!.image, png!.image, 'the BMP ramp loads as the PNG ramp');
  assert.equal(bmp!.mask.data.reduce((s, v) => s + v, 0), 6);
  // an image that two names would give the same masks is an error, not a guess
  await writeImage(b('1 Benign.png'), 13, 6);
  await assert.rejects(listDataset(dir), { code: 'DATASET_INVALID', message: /would share the same masks/ });
});

test('a damaged BMP is a clear error naming the file', async () => {
  const dir = path.join(root, 'bad-bmp');
  fs.mkdirSync(path.join(dir, 'images'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'masks'));
  fs.writeFileSync(path.join(dir, 'images', 'x.bmp'), Buffer.from('BM not really a bitmap at all, just text'));
  await writeMask(path.join(dir, 'masks', 'x.png'), 4, 4, [0, 0, 1, 1]);
  const [item] = await listDataset(dir);
  await assert.rejects(loadItem(item!), { code: 'CORRUPT_FILE', message: /x\.bmp could not be decoded/ });
});

test('--unmasked normal: an image with no mask file is an image without a lesion; by default it is an error', async () => {
  const flat = path.join(root, 'breast-normals');
  fs.mkdirSync(flat, { recursive: true });
  await writeImage(path.join(flat, 'case001.png'), 12, 8);
  await writeMask(path.join(flat, 'case001_tumor.png'), 12, 8, [0, 0, 3, 2]);
  await writeImage(path.join(flat, 'case002.png'), 9, 7);
  await assert.rejects(listDataset(flat), { code: 'DATASET_INVALID', message: /case002\.png has no mask/ });
  const items = await listDataset(flat, { unmasked: 'normal' });
  assert.deepEqual(items.map((i) => [i.id, i.maskPaths.length]), [['case001', 1], ['case002', 0]]);
  const normal = await loadItem(items[1]!);
  assert.deepEqual([normal.mask.width, normal.mask.height, normal.mask.data.some((v) => v !== 0)], [9, 7, false]);
  // the same for an image folder + mask folder, and inside class folders; a mask without an image stays an error
  const two = copyDataset('two-folder-normals');
  fs.rmSync(path.join(two, 'masks', 'case2.png'));
  const listed = await listDataset(two, { unmasked: 'normal' });
  assert.deepEqual(listed.map((i) => [i.id, i.maskPaths.length]), [['images/case2', 0], ['images/case10', 1], ['images/left, upper', 1]]);
  const classes = path.join(root, 'class-normals');
  await makeNamedSet(path.join(classes, 'Normal'), ['images', 'masks'], [['n1.png', 'n1.png']]);
  await writeImage(path.join(classes, 'Normal', 'images', 'n2.png'), 5, 5);
  assert.deepEqual((await listDataset(classes, { unmasked: 'normal' })).map((i) => [i.id, i.className, i.maskPaths.length]),
    [['Normal/images/n1', 'normal', 1], ['Normal/images/n2', 'normal', 0]]);
  await writeMask(path.join(flat, 'case009_tumor.png'), 5, 5, [0, 0, 1, 1]);
  await assert.rejects(listDataset(flat, { unmasked: 'normal' }), { code: 'DATASET_INVALID', message: /case009_tumor\.png has no image/ });
});
