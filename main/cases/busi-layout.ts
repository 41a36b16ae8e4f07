import * as path from 'node:path';
import type { DatasetItem } from './dataset-item';
import { datasetProblems, imageFiles, isDirectory } from './folder-files';

/** BUSI's class folders (Al-Dhabyani et al. 2020); any may be absent, e.g. a benign/malignant-only copy. */
export const BUSI_CLASSES: readonly string[] = ['benign', 'malignant', 'normal'];

/** `<name>_mask.png` (k absent) or `<name>_mask_<k>.png`: a mask of image `<name>.png`. */
const MASK_NAME = /^(.*)_mask(?:_(\d+))?\.png$/i;

/**
 * Lists a BUSI-layout dataset: class folders holding `<name>.png` with `<name>_mask.png` and, for
 * images with several lesions, `<name>_mask_1.png`, `<name>_mask_2.png` … whose union is the mask.
 * Every image needs its `_mask.png`; a mask without its image is an error too.
 */
export async function scanBusi(dir: string): Promise<DatasetItem[]> {
  const items: DatasetItem[] = [];
  const problems: string[] = [];
  for (const className of BUSI_CLASSES) {
    const classDir = path.join(dir, className);
    if (!(await isDirectory(classDir))) continue;
    const files = await imageFiles(classDir);
    const masks = new Map<string, { k: number; file: string }[]>();
    const images: string[] = [];
    for (const f of files) {
      const m = MASK_NAME.exec(f);
      if (!m) { images.push(f); continue; }
      const list = masks.get(m[1]!) ?? [];
      list.push({ k: m[2] === undefined ? 0 : Number(m[2]), file: f });
      masks.set(m[1]!, list);
    }
    for (const img of images) {
      const name = img.slice(0, -path.extname(img).length);
      const own = (masks.get(name) ?? []).sort((a, b) => a.k - b.k);
      masks.delete(name);
      if (own[0]?.k !== 0) { problems.push(`${className}/${img} has no ${name}_mask.png`); continue; }
      items.push({
        id: `${className}/${name}`,
        imagePath: path.join(classDir, img),
        maskPaths: own.map((m) => path.join(classDir, m.file)),
        className,
      });
    }
    for (const [name, list] of masks) problems.push(`${className}/${list[0]!.file} has no image ${name}.png`);
  }
  const err = datasetProblems(problems, `The BUSI-style dataset in ${dir} is incomplete`);
  if (err) throw err;
  return items;
}
