import * as path from 'node:path';
import type { DatasetItem, FolderScan, Unmasked } from './dataset-item';
import { fileStem as stem, imageFiles } from './folder-files';

/** The words that end a mask's name (MASK_NAME). */
export const MASK_WORDS: readonly string[] = ['mask', 'tumor', 'tumour', 'gt', 'seg', 'label'];

/**
 * A mask beside its image, told by a word after the image's name and a separator (`_`, `-` or a
 * space), optionally numbered for further lesions: BUSI `benign (1)_mask.png` and `benign (1)_mask_1.png`,
 * BrEaST-Lesions_USG `case001_tumor.png`, BUID `1 Benign Mask.tif`. Compared case-insensitively.
 */
const MASK_NAME = new RegExp(`^(.+?)[ _-](${MASK_WORDS.join('|')})(?:[ _-]?(\\d+))?$`, 'i');

/**
 * BrEaST-Lesions_USG outlines other findings beside the tumour (`case001_other.png`, `_other1`): not the
 * lesion, so neither an image nor one of its masks; left out.
 */
const OTHER_FINDING = /^(.+?)[ _-]other(?:[ _-]?\d+)?$/i;

/** A word an image's name may end in where its masks say `mask` (BUID `1 Benign Image.bmp`). */
const IMAGE_WORD = /[ _-](image|img)$/i;

/** True when a folder holds an image file named as a mask (so it is a folder of images with their masks beside them). */
export async function hasPairedNames(dir: string): Promise<boolean> {
  const files = await imageFiles(dir).catch(() => []);
  return files.some((f) => MASK_NAME.test(stem(f)));
}

/**
 * Lists a folder of images with their masks beside them (see MASK_NAME); an image's lesion mask is the
 * union of its masks. Every image needs a mask (unless `unmasked` is 'normal'), and every mask an image;
 * ids are `<idPrefix>/<image name>` without the extension (just the name when idPrefix is empty).
 */
export async function scanPairedNames(dir: string, idPrefix: string, className: string, unmasked: Unmasked = 'error'): Promise<FolderScan> {
  const files = await imageFiles(dir);
  const where = (f: string): string => (idPrefix ? `${idPrefix}/${f}` : f);
  const masks = new Map<string, { k: number; file: string }[]>();
  const images: { key: string; file: string }[] = [];
  for (const f of files) {
    const name = stem(f);
    const m = MASK_NAME.exec(name);
    if (m) {
      const key = m[1]!.toLowerCase();
      masks.set(key, [...(masks.get(key) ?? []), { k: m[3] === undefined ? 0 : Number(m[3]), file: f }]);
    } else if (!OTHER_FINDING.test(name)) {
      images.push({ key: name.replace(IMAGE_WORD, '').toLowerCase(), file: f });
    }
  }
  const items: DatasetItem[] = [];
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const { key, file } of images) {
    const twin = seen.get(key);
    if (twin) { problems.push(`${where(file)} and ${where(twin)} would share the same masks`); continue; }
    seen.set(key, file);
    const own = (masks.get(key) ?? []).sort((a, b) => a.k - b.k || (a.file < b.file ? -1 : 1));
    if (own.length === 0 && unmasked === 'error') { problems.push(`${where(file)} has no mask (e.g. ${stem(file).replace(IMAGE_WORD, '')}_mask.png)`); continue; }
    items.push({
      id: where(stem(file)),
      imagePath: path.join(dir, file),
      maskPaths: own.map((m) => path.join(dir, m.file)),
      className,
    });
  }
  for (const [key, list] of masks) if (!seen.has(key)) problems.push(`${where(list[0]!.file)} has no image`);
  return { items, problems };
}
