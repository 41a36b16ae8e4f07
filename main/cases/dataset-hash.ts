import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { compareIds, type DatasetItem } from './dataset-item';

export interface HashOptions {
  /** hash file contents (reads every byte) instead of file sizes; slower, catches same-size edits */
  content?: boolean;
}

/**
 * A fingerprint of a training set for the model card: sha256 over one line per item, in id order,
 * holding id, class, split and the size (or content hash) of the image and of each mask. Paths are
 * left out on purpose so the same data in another folder or on another machine hashes the same.
 */
export async function datasetHash(items: readonly DatasetItem[], options: HashOptions = {}): Promise<string> {
  const sorted = [...items].sort((a, b) => compareIds(a.id, b.id));
  const h = createHash('sha256');
  h.update(`sonoseg-dataset-v1 ${options.content ? 'content' : 'size'}\n`);
  for (const it of sorted) {
    const files = await Promise.all([it.imagePath, ...it.maskPaths].map((f) => fingerprint(f, options.content === true)));
    h.update(`${JSON.stringify([it.id, it.className, it.split ?? null, files])}\n`);
  }
  return h.digest('hex');
}

async function fingerprint(file: string, content: boolean): Promise<string> {
  if (!content) return String((await fs.stat(file)).size);
  return createHash('sha256').update(await fs.readFile(file)).digest('hex');
}
