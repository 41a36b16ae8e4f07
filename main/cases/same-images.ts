import { createHash } from 'node:crypto';
import { SonoError } from '../common/errors';
import type { DatasetItem } from './dataset-item';
import { loadImage } from './load-item';

/** An image of one list whose pixels equal those of an image of the other. */
export interface SameImage {
  a: DatasetItem;
  b: DatasetItem;
}

/**
 * The pairs of images, one from `a` and one from `b`, whose decoded grey pixels are identical (same
 * size, same values): a copy under another name, in another folder or re-encoded without loss (PNG ↔
 * TIFF, another PNG compression). A resized, cropped or lossy (JPEG) copy is not found.
 */
export async function sameImages(a: readonly DatasetItem[], b: readonly DatasetItem[], signal?: AbortSignal): Promise<SameImage[]> {
  const byHash = new Map<string, DatasetItem[]>();
  for (const it of b) {
    const h = await pixelHash(it, signal);
    (byHash.get(h) ?? byHash.set(h, []).get(h)!).push(it);
  }
  const out: SameImage[] = [];
  for (const it of a) {
    for (const other of byHash.get(await pixelHash(it, signal)) ?? []) out.push({ a: it, b: other });
  }
  return out;
}

async function pixelHash(item: DatasetItem, signal?: AbortSignal): Promise<string> {
  if (signal?.aborted) throw new SonoError('CANCELLED', 'cancelled while comparing images');
  const img = await loadImage(item.imagePath);
  return createHash('sha256').update(`${img.width}x${img.height}\n`).update(img.data).digest('hex');
}
