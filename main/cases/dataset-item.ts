/** One training example found on disk: an image and the mask files whose union is its lesion mask. */
export type Split = 'train' | 'val' | 'test';

export const SPLITS: readonly Split[] = ['train', 'val', 'test'];

export interface DatasetItem {
  /** the image's path relative to the dataset folder, '/'-separated, without extension: stable across machines */
  id: string;
  imagePath: string;
  /**
   * the masks whose union is the lesion mask (BUSI: `_mask`, `_mask_1`, `_mask_2`); none for an image
   * listed without a mask as an image without a lesion (ListOptions.unmasked 'normal')
   */
  maskPaths: string[];
  /** 'benign' | 'malignant' | 'normal' for BUSI; from splits.csv or 'unknown' otherwise */
  className: string;
  split?: Split;
  /** near-duplicate group (splits.csv): items of one group must stay in one split */
  group?: string;
}

/**
 * 'images-masks': an image folder with a mask folder; 'busi': class folders (benign/, malignant/,
 * normal/); 'paired-names': images with their masks beside them in one folder.
 */
/**
 * What an image with no mask file is: 'error' (the default: a forgotten mask must not pass for a normal
 * scan) or 'normal', an image without a lesion (sets that ship no mask for their normal scans).
 */
export type Unmasked = 'error' | 'normal';

/** What a layout's scan of one folder found. */
export interface FolderScan {
  items: DatasetItem[];
  /** what stops the folder from being read, one line each */
  problems: string[];
}

export type DatasetLayout = 'busi' | 'images-masks' | 'paired-names';

/** Image file types a dataset may hold (sharp's, and BMP through bmp-ts); compared lower-case. */
export const IMAGE_EXTENSIONS: readonly string[] = ['.png', '.jpg', '.jpeg', '.tif', '.tiff', '.webp', '.bmp'];

/** Orders ids as a person would ('benign (2)' before 'benign (10)'), the same on every machine. */
export function compareIds(a: string, b: string): number {
  const re = /(\d+)|(\D+)/g;
  const pa = a.match(re) ?? [], pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!, y = pb[i]!;
    if (x === y) continue;
    const nx = /^\d/.test(x), ny = /^\d/.test(y);
    if (nx && ny && Number(x) !== Number(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length || (a < b ? -1 : a > b ? 1 : 0);
}
