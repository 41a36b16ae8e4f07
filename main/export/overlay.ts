import type { Frame, Mask } from '../common/image';

/** Fill colour of the lesion; the SEG's RecommendedDisplayCIELabValue encodes the same sRGB. */
export const LESION_FILL: readonly [number, number, number] = [255, 80, 40];
/** Outline colour: yellow stays visible on grey speckle and on the orange fill. */
export const LESION_OUTLINE: readonly [number, number, number] = [255, 230, 0];
const FILL_ALPHA = 0.35;

/**
 * The frame as RGB with the lesion filled semi-transparent and its boundary drawn opaque.
 * Boundary = lesion pixels with a 4-neighbour outside the lesion (or on the image edge), widened to
 * about 1/300 of the image size so it stays visible when a large frame is shown scaled down.
 */
export function composeOverlay(frame: Frame, mask: Mask): Frame {
  const { width: w, height: h } = frame;
  const out = new Uint8Array(w * h * 3);
  for (let i = 0, j = 0; i < w * h; i++, j += 3) {
    const s = i * frame.channels;
    const rgb = frame.channels === 1 ? [frame.data[s]!, frame.data[s]!, frame.data[s]!] : [frame.data[s]!, frame.data[s + 1]!, frame.data[s + 2]!];
    const a = mask.data[i] !== 0 ? FILL_ALPHA : 0;
    for (let c = 0; c < 3; c++) out[j + c] = Math.round(rgb[c]! * (1 - a) + LESION_FILL[c]! * a);
  }
  const outline = dilate(boundary(mask), w, h, Math.max(0, Math.round(Math.max(w, h) / 300) - 1));
  for (let i = 0; i < w * h; i++) {
    if (outline[i] === 0) continue;
    out.set(LESION_OUTLINE, i * 3);
  }
  return { width: w, height: h, channels: 3, data: out };
}

function boundary(mask: Mask): Uint8Array {
  const { width: w, height: h, data } = mask;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (data[i] === 0) continue;
      const edge = x === 0 || y === 0 || x === w - 1 || y === h - 1 ||
        data[i - 1] === 0 || data[i + 1] === 0 || data[i - w] === 0 || data[i + w] === 0;
      if (edge) out[i] = 1;
    }
  }
  return out;
}

/** Square dilation by radius r (r = 0 returns the input). */
function dilate(src: Uint8Array, w: number, h: number, r: number): Uint8Array {
  if (r <= 0) return src;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (src[y * w + x] === 0) continue;
      for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
        out.fill(1, yy * w + Math.max(0, x - r), yy * w + Math.min(w - 1, x + r) + 1);
      }
    }
  }
  return out;
}
