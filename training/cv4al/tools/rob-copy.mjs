// Measurement ROB (training/cv4rob/RULE.md): fold 1's held-out BUSI images, darker (D), brighter (E), JPEG q75 (J), half size (H).
import sharp from 'sharp';
import fs from 'node:fs';
import path from 'node:path';

const SRC = '/work/shared/datasets/busi';
const OUT = '/work/scratch/s27/rob';
const rows = fs.readFileSync('/work/main/resources/splits/busi-cv4-fold1.csv', 'utf8').trim().split('\n');
const val = rows.slice(1).filter((r) => r.split(',').at(-1) === 'val');
const V = ['D', 'E', 'J', 'H'];
for (const v of V) {
  for (const c of ['benign', 'malignant', 'normal']) fs.mkdirSync(path.join(OUT, v, c), { recursive: true });
  fs.writeFileSync(path.join(OUT, v, 'fold1-val.csv'), [rows[0], ...val].join('\n') + '\n');
}
const gain = async (src, k, colour) => {
  const { data, info } = await sharp(src).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const out = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Math.min(255, Math.round(data[i] * k));
  return sharp(out, { raw: { width: info.width, height: info.height, channels: info.channels } }).toColourspace(colour ? 'srgb' : 'b-w').png();
};
for (const row of val) {
  const file = row.split(',')[0];
  const src = path.join(SRC, file);
  const dir = path.dirname(file), stem = path.basename(file, '.png');
  const meta = await sharp(src).metadata();
  const colour = meta.channels >= 3;
  const masks = fs.readdirSync(path.join(SRC, dir)).filter((f) => f.startsWith(`${stem}_mask`));
  for (const m of masks) for (const v of ['D', 'E', 'J']) fs.copyFileSync(path.join(SRC, dir, m), path.join(OUT, v, dir, m));
  await (await gain(src, 0.8, colour)).toFile(path.join(OUT, 'D', file));
  await (await gain(src, 1.2, colour)).toFile(path.join(OUT, 'E', file));
  const jpg = await sharp(src).removeAlpha().jpeg({ quality: 75 }).toBuffer();
  await sharp(jpg).toColourspace(colour ? 'srgb' : 'b-w').png().toFile(path.join(OUT, 'J', file));
  const w = Math.round(meta.width / 2), h = Math.round(meta.height / 2);
  await sharp(src).removeAlpha().resize(w, h, { fit: 'fill', kernel: 'linear' }).toColourspace(colour ? 'srgb' : 'b-w').png().toFile(path.join(OUT, 'H', file));
  for (const m of masks) await sharp(path.join(SRC, dir, m)).resize(w, h, { fit: 'fill', kernel: 'nearest' }).png().toFile(path.join(OUT, 'H', dir, m));
}
console.log('copied', val.length, 'images into', V.join(', '));
