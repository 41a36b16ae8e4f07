import type { GrayImage, Mask } from '../../common/image';

/**
 * Lesion carving, after CarveMix (Zhang et al., MICCAI 2021) and TumorCP (Yang et al., MICCAI 2021):
 * a training image takes in, at the same relative place, another training image's lesion together
 * with a rim of the tissue around it, and its mask there becomes that lesion's mask. The network then
 * sees each annotated lesion against many backgrounds, normal tissue included — more lesion contexts
 * from the same annotations, the thing a small set lacks.
 */
export interface CarveDraw {
  /** which donor, in [0, 1): the trainer maps it onto its list of lesion images */
  donor: number;
  /** the rim's width as a fraction of the donor lesion's equivalent radius √(area / π) */
  margin: number;
}

/** The largest rim, as a fraction of the lesion's equivalent radius (CarveMix draws up to half of it too). */
export const MAX_CARVE_MARGIN = 0.5;

/**
 * `target` with the donor's lesion and rim carved in. The donor is first brought to the target's size
 * (nearest neighbour: it is resampled again to the model's size later). Outside the carved region the
 * target is untouched; inside, both image and mask are the donor's. A donor without lesion pixels
 * leaves the target as it is. Inputs are not modified.
 */
export function carveLesion(target: { image: GrayImage; mask: Mask }, donor: { image: GrayImage; mask: Mask }, margin: number): { image: GrayImage; mask: Mask } {
  const { width: w, height: h } = target.image;
  const dImage = resizeNearest(donor.image, w, h);
  const dMask = resizeNearest(donor.mask, w, h);
  let area = 0;
  for (let i = 0; i < dMask.length; i++) if (dMask[i]) area++;
  if (area === 0) return target;
  const rim = margin * Math.sqrt(area / Math.PI);
  const dist = distanceToLesion(dMask, w, h);
  const image = target.image.data.slice();
  const mask = target.mask.data.slice();
  for (let i = 0; i < dist.length; i++) {
    if (dist[i]! <= rim) {
      image[i] = dImage[i]!;
      mask[i] = dMask[i]!;
    }
  }
  return { image: { width: w, height: h, data: image }, mask: { width: w, height: h, data: mask } };
}

function resizeNearest(src: { width: number; height: number; data: Uint8Array }, w: number, h: number): Uint8Array {
  if (src.width === w && src.height === h) return src.data;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(src.height - 1, Math.floor(((y + 0.5) * src.height) / h));
    for (let x = 0; x < w; x++) {
      const sx = Math.min(src.width - 1, Math.floor(((x + 0.5) * src.width) / w));
      out[y * w + x] = src.data[sy * src.width + sx]!;
    }
  }
  return out;
}

/**
 * Distance in pixels from each pixel to the nearest non-zero pixel of `mask` (0 on the lesion), by the
 * two-pass 3-4 chamfer transform (Borgefors 1986): within 8 % of the Euclidean distance, in two sweeps.
 */
export function distanceToLesion(mask: Uint8Array, w: number, h: number): Float32Array {
  const far = 1e9;
  const d = new Float32Array(w * h);
  for (let i = 0; i < d.length; i++) d[i] = mask[i] ? 0 : far;
  const relax = (i: number, j: number, cost: number) => {
    const v = d[j]! + cost;
    if (v < d[i]!) d[i] = v;
  };
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (x > 0) relax(i, i - 1, 3);
      if (y > 0) {
        relax(i, i - w, 3);
        if (x > 0) relax(i, i - w - 1, 4);
        if (x < w - 1) relax(i, i - w + 1, 4);
      }
    }
  }
  for (let y = h - 1; y >= 0; y--) {
    for (let x = w - 1; x >= 0; x--) {
      const i = y * w + x;
      if (x < w - 1) relax(i, i + 1, 3);
      if (y < h - 1) {
        relax(i, i + w, 3);
        if (x < w - 1) relax(i, i + w + 1, 4);
        if (x > 0) relax(i, i + w - 1, 4);
      }
    }
  }
  for (let i = 0; i < d.length; i++) d[i] = d[i]! / 3;
  return d;
}
