import type { GrayImage, Mask, ProbabilityMap } from '../common/image';
import { resizeBilinear, resizeNearest } from '../common/resize';

/** A small copy of one evaluated image for the report's best/worst grid. */
export interface Thumbnail {
  width: number;
  height: number;
  image: Uint8Array;
  truth: Uint8Array;
  prediction: Uint8Array;
}

export function thumbnailOf(image: GrayImage, truth: Mask, prediction: Mask, maxSide: number): Thumbnail {
  const scale = Math.min(1, maxSide / Math.max(image.width, image.height));
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const src: ProbabilityMap = { width: image.width, height: image.height, data: Float32Array.from(image.data) };
  const small = resizeBilinear(src, width, height);
  return {
    width, height,
    image: Uint8Array.from(small.data, (v) => Math.round(v)),
    truth: resizeNearest(truth, width, height).data,
    prediction: resizeNearest(prediction, width, height).data,
  };
}

/**
 * RGB overlay: the image in grey, the ground-truth outline green, the predicted outline red
 * (outlines, not fills, so the tissue under both stays visible).
 */
export function overlayRgb(t: Thumbnail): Uint8Array {
  const out = new Uint8Array(t.width * t.height * 3);
  for (let i = 0; i < t.width * t.height; i++) {
    const g = t.image[i]!;
    out[3 * i] = g; out[3 * i + 1] = g; out[3 * i + 2] = g;
    if (isEdge(t.truth, t.width, t.height, i)) { out[3 * i] = 40; out[3 * i + 1] = 220; out[3 * i + 2] = 60; }
    if (isEdge(t.prediction, t.width, t.height, i)) { out[3 * i] = 240; out[3 * i + 1] = 50; out[3 * i + 2] = 40; }
  }
  return out;
}

function isEdge(m: Uint8Array, w: number, h: number, i: number): boolean {
  if (m[i] === 0) return false;
  const x = i % w, y = (i - x) / w;
  return x === 0 || y === 0 || x === w - 1 || y === h - 1 || m[i - 1] === 0 || m[i + 1] === 0 || m[i - w] === 0 || m[i + w] === 0;
}
