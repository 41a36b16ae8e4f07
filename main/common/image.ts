/**
 * Plain image types shared by imaging, engine, export and the renderer.
 * Pixel data is row-major, interleaved for colour, 8 bits per sample after decoding
 * (palette, YBR, MONOCHROME1 and 16-bit data are resolved to display values by main/imaging).
 */
export interface Frame {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
}

/** One-channel 8-bit image: what the model sees before resizing and normalisation. */
export interface GrayImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Per-pixel lesion probability in [0, 1] at the frame's own size. */
export interface ProbabilityMap {
  width: number;
  height: number;
  data: Float32Array;
}

/** Binary mask, 0 or 1 per pixel, at the frame's own size. */
export interface Mask {
  width: number;
  height: number;
  data: Uint8Array;
}

/** ITU-R BT.601 luma, the usual grey conversion for colour ultrasound screenshots. */
export function toGray(frame: Frame): GrayImage {
  if (frame.channels === 1) return { width: frame.width, height: frame.height, data: frame.data };
  const n = frame.width * frame.height;
  const out = new Uint8Array(n);
  const d = frame.data;
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    out[i] = Math.round(0.299 * d[j]! + 0.587 * d[j + 1]! + 0.114 * d[j + 2]!);
  }
  return { width: frame.width, height: frame.height, data: out };
}
