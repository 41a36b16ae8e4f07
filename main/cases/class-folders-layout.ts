import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { findImagesMasksFolders, scanImagesMasks } from './images-masks-layout';
import type { FolderScan, Unmasked } from './dataset-item';
import { scanPairedNames } from './paired-names-layout';

/** BUSI's class folders (Al-Dhabyani et al. 2020); any may be absent, e.g. a benign/malignant-only copy. */
export const BUSI_CLASSES: readonly string[] = ['benign', 'malignant', 'normal'];

export interface ClassFolder {
  /** the folder's name on disk (`benign`, `Benign`) */
  folder: string;
  /** its class, lower case */
  className: string;
}

/** The class folders of `dir`, matched case-insensitively, in BUSI_CLASSES' order. */
export async function findClassFolders(dir: string): Promise<ClassFolder[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return BUSI_CLASSES.flatMap((className) => folders.filter((f) => f.toLowerCase() === className).map((folder) => ({ folder, className })));
}

/**
 * Lists a dataset in class folders. Each folder holds its images either with their masks beside them
 * (BUSI `benign/benign (1).png` + `benign (1)_mask.png`; paired-names-layout.ts) or in an image folder
 * with a mask folder (BUS_UC `Benign/images/` + `Benign/masks/`; images-masks-layout.ts).
 */
export async function scanClassFolders(dir: string, classes: ClassFolder[], unmasked: Unmasked = 'error'): Promise<FolderScan> {
  const scans = await Promise.all(classes.map(async ({ folder, className }) => {
    const classDir = path.join(dir, folder);
    const inner = await findImagesMasksFolders(classDir);
    return inner ? scanImagesMasks(classDir, inner, folder, className, unmasked) : scanPairedNames(classDir, folder, className, unmasked);
  }));
  return { items: scans.flatMap((s) => s.items), problems: scans.flatMap((s) => s.problems) };
}
