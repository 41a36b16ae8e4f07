import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { Rng } from '../../../../main/engine/train/rng';

/**
 * Writes a tiny BUSI-layout dataset (benign/, malignant/, normal/ with `<class> (n).png` and
 * `<class> (n)_mask.png`) of synthetic ultrasound-like images: speckled grey tissue, a dark
 * (hypoechoic) ellipse for benign, a darker irregular one for malignant, none for normal.
 */
export interface SyntheticOptions {
  perClass: { benign: number; malignant: number; normal: number };
  width?: number;
  height?: number;
  seed?: number;
}

export async function writeSyntheticBusi(dir: string, o: SyntheticOptions): Promise<void> {
  const rng = new Rng(o.seed ?? 7);
  for (const [cls, n] of Object.entries(o.perClass)) {
    fs.mkdirSync(path.join(dir, cls), { recursive: true });
    for (let k = 1; k <= n; k++) {
      const w = (o.width ?? 48) + rng.int(9), h = (o.height ?? 40) + rng.int(9);
      const { image, mask } = synthetic(w, h, cls, rng);
      await png(image, w, h, path.join(dir, cls, `${cls} (${k}).png`));
      await png(mask, w, h, path.join(dir, cls, `${cls} (${k})_mask.png`));
    }
  }
}

function synthetic(w: number, h: number, cls: string, rng: Rng): { image: Uint8Array; mask: Uint8Array } {
  const image = new Uint8Array(w * h), mask = new Uint8Array(w * h);
  const cx = w * rng.uniform(0.3, 0.7), cy = h * rng.uniform(0.3, 0.7);
  const rx = w * rng.uniform(0.12, 0.25), ry = h * rng.uniform(0.12, 0.22);
  const lesion = cls !== 'normal';
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const wobble = cls === 'malignant' ? 0.25 * Math.sin(5 * Math.atan2(y - cy, x - cx)) : 0;
      const inside = lesion && ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1 + wobble;
      const tissue = 150 + 30 * Math.sin(y / 4) + 25 * rng.normal();
      const v = inside ? 45 + 15 * rng.normal() : tissue;
      image[y * w + x] = Math.max(0, Math.min(255, Math.round(v)));
      mask[y * w + x] = inside ? 255 : 0;
    }
  }
  return { image, mask };
}

async function png(px: Uint8Array, w: number, h: number, file: string): Promise<void> {
  await sharp(Buffer.from(px), { raw: { width: w, height: h, channels: 1 } }).toColourspace('b-w').png().toFile(file);
}
