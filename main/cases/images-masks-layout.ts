import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { fileStem as stem, imageFiles } from './folder-files';
import type { DatasetItem, FolderScan, Unmasked } from './dataset-item';

/**
 * Folder names, compared case-insensitively and in this order of preference, that hold the images
 * and the masks of a two-folder dataset: `images/` + `masks/`, and the names public breast-ultrasound
 * sets ship with (BUS-BRA `Images/` + `Masks/`, UDIAT Dataset B `original/` + `GT/`).
 */
export const IMAGE_FOLDER_NAMES: readonly string[] = ['images', 'image', 'imgs', 'img', 'original', 'originals'];
export const MASK_FOLDER_NAMES: readonly string[] = ['masks', 'mask', 'gt', 'ground_truth', 'groundtruth', 'labels', 'label'];

export interface ImagesMasksFolders {
  /** the folders' names as they are on disk */
  images: string;
  masks: string;
}

/** The image and mask folders of `dir`, or null when it has no pair of them. */
export async function findImagesMasksFolders(dir: string): Promise<ImagesMasksFolders | null> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name);
  const pick = (names: readonly string[]): string | undefined => {
    for (const n of names) {
      const found = folders.find((f) => f.toLowerCase() === n);
      if (found) return found;
    }
    return undefined;
  };
  const images = pick(IMAGE_FOLDER_NAMES), masks = pick(MASK_FOLDER_NAMES);
  return images && masks ? { images, masks } : null;
}

/**
 * Lists a two-folder dataset: each image has one mask in the mask folder, possibly with another
 * extension (`images/a.jpg` + `masks/a.png`). When the base names do not pair every image, names are
 * paired after dropping what all image names, and what all mask names, share at their start or end
 * up to a separator (`Images/bus_0001-l.png` + `Masks/mask_0001-l.png`; `case7.png` + `case7_mask.png`).
 * Ids are `[<idPrefix>/]<image folder>/<image name>`; the class is `className` ('unknown' at the top of a
 * dataset, where a split file with a class column can supply it). An image without a mask is a problem,
 * or with `unmasked` 'normal' an image without a lesion.
 */
export async function scanImagesMasks(dir: string, folders: ImagesMasksFolders, idPrefix = '', className = 'unknown', unmasked: Unmasked = 'error'): Promise<FolderScan> {
  const imageDir = path.join(dir, folders.images);
  const maskDir = path.join(dir, folders.masks);
  const images = await imageFiles(imageDir);
  const masks = await imageFiles(maskDir);
  // exact base names first; then shared prefixes, suffixes or both dropped; the pairing that pairs most wins
  let best = pairByKey(images, masks, stem, stem);
  for (const drop of [{ prefix: true, suffix: false }, { prefix: false, suffix: true }, { prefix: true, suffix: true }]) {
    if (best.pairs.length === images.length) break;
    const imageKeys = dropSharedAffixes(images.map(stem), drop), maskKeys = dropSharedAffixes(masks.map(stem), drop);
    const tried = pairByKey(images, masks, (f) => imageKeys.get(stem(f))!, (f) => maskKeys.get(stem(f))!);
    if (tried.pairs.length > best.pairs.length) best = tried;
  }
  const under = (folder: string): string => (idPrefix ? `${idPrefix}/${folder}` : folder);
  const item = (img: string, masks: string[]): DatasetItem => ({
    id: `${under(folders.images)}/${stem(img)}`, imagePath: path.join(imageDir, img), maskPaths: masks.map((m) => path.join(maskDir, m)), className,
  });
  const problems = [...best.problems, ...(unmasked === 'error' ? best.unmasked.map((img) => `{images}/${img} has no mask in {masks}/`) : [])];
  return {
    items: [...best.pairs.map(([img, mask]) => item(img, [mask])), ...(unmasked === 'normal' ? best.unmasked.map((img) => item(img, [])) : [])],
    problems: problems.map((p) => p.replace('{images}', under(folders.images)).replace('{masks}', under(folders.masks))),
  };
}

interface Pairing {
  pairs: [image: string, mask: string][];
  /** images with no mask */
  unmasked: string[];
  /** with {images} and {masks} for the folders' names */
  problems: string[];
}

/** Pairs files whose keys are equal; an image may have one mask (or none: `unmasked`), and every mask needs an image. */
function pairByKey(images: string[], masks: string[], imageKey: (file: string) => string, maskKey: (file: string) => string): Pairing {
  const masksByKey = new Map<string, string[]>();
  for (const m of masks) masksByKey.set(maskKey(m), [...(masksByKey.get(maskKey(m)) ?? []), m]);
  const pairs: Pairing['pairs'] = [];
  const unmasked: string[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const img of images) {
    const key = imageKey(img);
    if (seen.has(key)) { problems.push(`two images are named ${stem(img)} ({images}/${img})`); continue; }
    seen.add(key);
    const own = masksByKey.get(key) ?? [];
    if (own.length === 0) { unmasked.push(img); continue; }
    if (own.length > 1) { problems.push(`{images}/${img} has several masks: ${own.join(', ')}`); continue; }
    pairs.push([img, own[0]!]);
  }
  for (const [key, files] of masksByKey) if (!seen.has(key)) problems.push(`{masks}/${files[0]} has no image`);
  return { pairs, unmasked, problems };
}

const SEPARATOR = /[_\-\s.]/;

/**
 * Each name without the prefix all the names share up to and including a separator, and/or without
 * the suffix they all share from a separator on (`bus_0001-l`, `bus_0002-r` → `0001-l`, `0002-r`). Needs
 * two names or more, and never empties a name.
 */
export function dropSharedAffixes(names: string[], drop = { prefix: true, suffix: true }): Map<string, string> {
  const out = new Map(names.map((n) => [n, n]));
  if (names.length < 2) return out;
  let prefix = drop.prefix ? names.reduce((p, n) => commonPrefix(p, n)) : '';
  let cut = -1;
  for (let i = prefix.length - 1; i >= 0; i--) if (SEPARATOR.test(prefix[i]!)) { cut = i; break; }
  prefix = prefix.slice(0, cut + 1);
  const rev = (s: string): string => [...s].reverse().join('');
  let suffix = drop.suffix ? rev(names.map(rev).reduce((p, n) => commonPrefix(p, n))) : '';
  const at = suffix.search(SEPARATOR);
  suffix = at < 0 ? '' : suffix.slice(at);
  for (const n of names) {
    const key = n.slice(prefix.length, n.length - suffix.length);
    out.set(n, key.length > 0 ? key : n); // empty when the affixes cover or overlap the whole name
  }
  return out;
}

function commonPrefix(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.slice(0, i);
}
