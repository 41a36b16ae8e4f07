/** Colour-space conversions for DICOM photometric interpretations (PS3.3 C.7.6.3.1.2). */

function clamp(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
}

/** YBR_FULL → RGB with the full-range ITU-R BT.601 equations the standard gives, in place. */
export function ybrFullToRgb(data: Uint8Array): Uint8Array {
  for (let i = 0; i + 2 < data.length; i += 3) {
    const y = data[i]!, cb = data[i + 1]! - 128, cr = data[i + 2]! - 128;
    data[i] = clamp(y + 1.402 * cr);
    data[i + 1] = clamp(y - 0.344136 * cb - 0.714136 * cr);
    data[i + 2] = clamp(y + 1.772 * cb);
  }
  return data;
}

/**
 * Native YBR_FULL_422: each pair of horizontally adjacent pixels is stored as Y1 Y2 Cb Cr,
 * two bytes per pixel (C.7.6.3.1.2). Expands to 3 samples per pixel, then converts to RGB.
 */
export function ybr422ToRgb(data: Uint8Array, pixels: number): Uint8Array {
  const out = new Uint8Array(pixels * 3);
  for (let p = 0, i = 0; p + 1 < pixels + 1 && i + 3 < data.length; p += 2, i += 4) {
    const cb = data[i + 2]!, cr = data[i + 3]!;
    out.set([data[i]!, cb, cr], 3 * p);
    if (p + 1 < pixels) out.set([data[i + 1]!, cb, cr], 3 * (p + 1));
  }
  return ybrFullToRgb(out);
}

/** Planar Configuration 1 (colour-by-plane, C.7.6.3.1.3) → colour-by-pixel. */
export function deplanarize<T extends Uint8Array | Uint16Array | Int32Array>(planar: T, components: number): T {
  const n = Math.floor(planar.length / components);
  const out = new (planar.constructor as new (len: number) => T)(n * components);
  for (let c = 0; c < components; c++) {
    for (let i = 0; i < n; i++) out[i * components + c] = planar[c * n + i]!;
  }
  return out;
}
