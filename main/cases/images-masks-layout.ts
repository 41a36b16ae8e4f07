import * as path from 'node:path';
import type { DatasetItem } from './dataset-item';
import { datasetProblems, imageFiles } from './folder-files';

/**
 * Lists an `images/` + `masks/` dataset: each image's mask has the same base name in masks/,
 * possibly with another extension (`images/a.jpg` + `masks/a.png`). Class is unknown here; a
 * splits.csv with a class column can supply it.
 */
export async function scanImagesMasks(dir: string): Promise<DatasetItem[]> {
  const imageDir = path.join(dir, 'images');
  const maskDir = path.join(dir, 'masks');
  const masks = new Map<string, string[]>();
  for (const f of await imageFiles(maskDir)) {
    const base = stem(f);
    masks.set(base, [...(masks.get(base) ?? []), f]);
  }
  const problems: string[] = [];
  const items: DatasetItem[] = [];
  const seen = new Set<string>();
  for (const img of await imageFiles(imageDir)) {
    const base = stem(img);
    if (seen.has(base)) { problems.push(`two images are named ${base} (${img})`); continue; }
    seen.add(base);
    const own = masks.get(base) ?? [];
    if (own.length !== 1) {
      problems.push(own.length === 0 ? `images/${img} has no mask in masks/` : `images/${img} has several masks: ${own.join(', ')}`);
      continue;
    }
    items.push({ id: `images/${base}`, imagePath: path.join(imageDir, img), maskPaths: [path.join(maskDir, own[0]!)], className: 'unknown' });
  }
  for (const [base, files] of masks) if (!seen.has(base)) problems.push(`masks/${files[0]} has no image`);
  const err = datasetProblems(problems, `The images/masks dataset in ${dir} is incomplete`);
  if (err) throw err;
  return items;
}

function stem(file: string): string {
  return file.slice(0, -path.extname(file).length);
}
