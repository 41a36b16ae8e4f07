import type { Frame, Mask, ProbabilityMap } from '../../../main/common/image';
import type { Study } from '../../../main/common/study';

/** A soft disc: p = logistic((r − d) / 2), so p ≥ 0.5 exactly where the distance d ≤ r. */
export function discProbability(width: number, height: number, cx: number, cy: number, r: number): ProbabilityMap {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d = Math.hypot(x - cx, y - cy);
      data[y * width + x] = 1 / (1 + Math.exp((d - r) / 2));
    }
  }
  return { width, height, data };
}

export function thresholdAt(p: ProbabilityMap, t: number): Mask {
  return { width: p.width, height: p.height, data: Uint8Array.from(p.data, (v) => (v >= t ? 1 : 0)) };
}

/** A grey speckle-like frame: deterministic pseudo-random texture. */
export function grayFrame(width: number, height: number, seed = 7): Frame {
  const data = new Uint8Array(width * height);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    data[i] = 40 + ((s >>> 16) % 120);
  }
  return { width, height, channels: 1, data };
}

export function rasterStudy(frame: Frame, name = 'Jane Doe scan.png'): Study {
  return { kind: 'raster', name, width: frame.width, height: frame.height, frames: [frame], metadata: {}, warnings: [] };
}

export function countOnes(data: Uint8Array): number {
  let n = 0;
  for (const v of data) if (v !== 0) n++;
  return n;
}
