import type { Mask } from './image';
import { SonoError } from './errors';

/**
 * Connected components of a binary mask. Foreground is 8-connected (a diagonal touch joins two
 * pixels), so background is 4-connected: the usual pairing that keeps Jordan's theorem true on a grid,
 * and the one contour.ts assumes when it splits saddle cells.
 */
export interface Components {
  width: number;
  height: number;
  /** label per pixel: 0 = background, 1..count = component, numbered in raster order of first pixel */
  labels: Int32Array;
  count: number;
  /** sizes[k] = pixel count of component k; sizes[0] = 0 */
  sizes: number[];
  /** bounding box of component k in pixels, inclusive min and exclusive max; boxes[0] is unused */
  boxes: Box[];
}

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function assertMask(mask: Mask, what = 'mask'): void {
  const { width, height, data } = mask;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new SonoError('INVALID_ARGUMENT', `The ${what} has an invalid size ${width}×${height}.`);
  }
  if (data.length !== width * height) {
    throw new SonoError('INVALID_ARGUMENT',
      `The ${what} holds ${data.length} values but its size ${width}×${height} needs ${width * height}.`);
  }
}

/**
 * Labels the 8-connected components with a breadth-first flood fill over an explicit queue: no
 * recursion, so one component spanning a whole 1024×768 frame cannot overflow the stack.
 */
export function connectedComponents(mask: Mask): Components {
  assertMask(mask);
  const { width: w, height: h, data } = mask;
  const labels = new Int32Array(w * h);
  const queue = new Int32Array(w * h);
  const sizes = [0];
  const boxes: Box[] = [{ x0: 0, y0: 0, x1: 0, y1: 0 }];
  let count = 0;
  for (let start = 0; start < w * h; start++) {
    if (data[start] === 0 || labels[start] !== 0) continue;
    count++;
    labels[start] = count;
    const box = { x0: w, y0: h, x1: 0, y1: 0 };
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    while (head < tail) {
      const i = queue[head++]!;
      const x = i % w;
      const y = (i - x) / w;
      if (x < box.x0) box.x0 = x;
      if (x >= box.x1) box.x1 = x + 1;
      if (y < box.y0) box.y0 = y;
      if (y >= box.y1) box.y1 = y + 1;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= w) continue;
          const j = ny * w + nx;
          if (data[j] !== 0 && labels[j] === 0) {
            labels[j] = count;
            queue[tail++] = j;
          }
        }
      }
    }
    sizes.push(tail);
    boxes.push(box);
  }
  return { width: w, height: h, labels, count, sizes, boxes };
}

/** Labels of the components ordered by decreasing size; equal sizes keep raster order. */
export function labelsBySize(c: Components): number[] {
  const order: number[] = [];
  for (let k = 1; k <= c.count; k++) order.push(k);
  return order.sort((a, b) => c.sizes[b]! - c.sizes[a]! || a - b);
}
