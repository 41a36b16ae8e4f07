/** Maps wide sample values (16-bit, rescaled) to the 8-bit display range every Frame uses. */

export function minMax(values: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return values.length === 0 ? { min: 0, max: 0 } : { min, max };
}

/** Linear stretch of [min, max] onto [0, 255]; a flat image maps to 0 rather than dividing by zero. */
export function stretchToByte(values: ArrayLike<number>, min: number, max: number): Uint8Array {
  const out = new Uint8Array(values.length);
  const range = max - min;
  if (range <= 0) return out;
  const k = 255 / range;
  for (let i = 0; i < values.length; i++) {
    const v = (values[i]! - min) * k;
    out[i] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
  }
  return out;
}

/**
 * The DICOM linear VOI function, PS3.3 C.11.2.1.2.1, with output range 0..255:
 * below c − 0.5 − (w − 1)/2 → 0, above c − 0.5 + (w − 1)/2 → 255, linear between.
 */
export function windowToByte(values: ArrayLike<number>, center: number, width: number): Uint8Array {
  const out = new Uint8Array(values.length);
  const w1 = Math.max(width - 1, 0);
  const lo = center - 0.5 - w1 / 2;
  const hi = center - 0.5 + w1 / 2;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (x <= lo) out[i] = 0;
    else if (x > hi || w1 === 0) out[i] = 255;
    else out[i] = Math.round(((x - (center - 0.5)) / w1 + 0.5) * 255);
  }
  return out;
}
