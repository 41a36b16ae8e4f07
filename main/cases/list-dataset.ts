import * as fs from 'node:fs';
import * as path from 'node:path';
import { SonoError } from '../common/errors';
import { BUSI_CLASSES, findClassFolders, scanClassFolders, type ClassFolder } from './class-folders-layout';
import { compareIds, type DatasetItem, type DatasetLayout, type FolderScan, type Split, type Unmasked } from './dataset-item';
import { datasetProblems, isDirectory } from './folder-files';
import { findImagesMasksFolders, IMAGE_FOLDER_NAMES, MASK_FOLDER_NAMES, scanImagesMasks, type ImagesMasksFolders } from './images-masks-layout';
import { hasPairedNames, MASK_WORDS, scanPairedNames } from './paired-names-layout';
import { applySplits, readSplits } from './splits';

export interface ListOptions {
  /** split file; default `<dir>/splits.csv` when it exists; false: ignore any split file */
  splitFile?: string | false;
  /** keep only this split (needs a split file) */
  split?: Split;
  /** an image with no mask file: an error (default) or, with 'normal', an image without a lesion */
  unmasked?: Unmasked;
}

type FoundLayout =
  | { layout: 'images-masks'; folders: ImagesMasksFolders }
  | { layout: 'busi'; classes: ClassFolder[] }
  | { layout: 'paired-names' };

/**
 * Which layout a folder holds, in this order: an image folder + a mask folder; class folders
 * (benign/, malignant/, normal/, any case); images with their masks beside them.
 */
export async function detectLayout(dir: string): Promise<DatasetLayout> {
  return (await findLayout(dir)).layout;
}

async function findLayout(dir: string): Promise<FoundLayout> {
  if (!(await isDirectory(dir))) throw new SonoError('DATASET_INVALID', `${dir} is not a folder.`);
  const found = await layoutOf(dir);
  if (found) return found;
  const inside = await datasetsInside(dir);
  const hint = inside.length > 0 ? ` Did you mean ${inside.map((d) => path.join(dir, d)).join(' or ')}?` : '';
  throw new SonoError('DATASET_INVALID',
    `${dir} holds no image folder with a mask folder (${IMAGE_FOLDER_NAMES.join('|')} + ${MASK_FOLDER_NAMES.join('|')}), ` +
    `no class folders (${BUSI_CLASSES.join(', ')}) and no images with masks beside them (<name>_${MASK_WORDS.join('|')}).${hint}`);
}

async function layoutOf(dir: string): Promise<FoundLayout | null> {
  const folders = await findImagesMasksFolders(dir);
  if (folders) return { layout: 'images-masks', folders };
  const classes = await findClassFolders(dir);
  if (classes.length > 0) return { layout: 'busi', classes };
  if (await hasPairedNames(dir)) return { layout: 'paired-names' };
  return null;
}

/** Subfolders that hold a dataset themselves (a download unpacked one level deep), at most three. */
async function datasetsInside(dir: string): Promise<string[]> {
  const entries = await fs.promises.readdir(dir, { withFileTypes: true }).catch(() => []);
  const found: string[] = [];
  for (const e of entries.filter((x) => x.isDirectory()).map((x) => x.name).sort()) {
    if (await layoutOf(path.join(dir, e))) found.push(e);
    if (found.length === 3) break;
  }
  return found;
}

async function scan(root: string, found: FoundLayout, unmasked: Unmasked): Promise<FolderScan> {
  switch (found.layout) {
    case 'images-masks': return scanImagesMasks(root, found.folders, '', 'unknown', unmasked);
    case 'busi': return scanClassFolders(root, found.classes, unmasked);
    case 'paired-names': return scanPairedNames(root, '', 'unknown', unmasked);
  }
}

/**
 * Lists a training dataset without reading any pixels: items sorted by id, with split and group from
 * the split file when there is one. Throws DATASET_INVALID when the folder or split file is inconsistent.
 */
export async function listDataset(dir: string, options: ListOptions = {}): Promise<DatasetItem[]> {
  const root = path.resolve(dir);
  const { items: scanned, problems } = await scan(root, await findLayout(root), options.unmasked ?? 'error');
  const err = datasetProblems(problems, `The dataset in ${dir} is incomplete`);
  if (err) throw err;
  let items = scanned;
  if (items.length === 0) throw new SonoError('DATASET_INVALID', `No images were found in ${dir}.`);
  const splitFile = splitFileOf(root, options.splitFile);
  if (splitFile) items = applySplits(items, await readSplits(splitFile), root);
  else if (options.split) {
    throw new SonoError('DATASET_INVALID', `The ${options.split} split was asked for but ${dir} has no splits.csv.`);
  }
  if (options.split) items = items.filter((it) => it.split === options.split);
  return items.sort((a, b) => compareIds(a.id, b.id));
}

function splitFileOf(root: string, option: ListOptions['splitFile']): string | null {
  if (option === false) return null;
  // A path on the command line is relative to the working directory, like every other path there;
  // a bare name that only exists inside the dataset folder (e.g. "splits.csv") still works.
  if (typeof option === 'string') {
    const fromCwd = path.resolve(option);
    return fs.existsSync(fromCwd) || path.isAbsolute(option) ? fromCwd : path.resolve(root, option);
  }
  const def = path.join(root, 'splits.csv');
  return fs.existsSync(def) ? def : null;
}
