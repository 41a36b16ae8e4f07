import { SonoError } from '../../common/errors';
import type { GrayImage, Mask } from '../../common/image';
import { resizeBilinear, resizeNearest, shrinkByArea } from '../../common/resize';
import * as path from 'node:path';
import { datasetHash, listDataset, loadItem, sameImages, type DatasetItem, type LoadedItem } from '../../cases';
import type { PreprocessPlan } from '../preprocess';
import { Rng } from './rng';

/** The three parts of a run's data and where the split came from. */
export interface RunData {
  train: DatasetItem[];
  val: DatasetItem[];
  test: DatasetItem[];
  /** 'file': the dataset's split file; 'seeded': drawn from the run's seed (by group) */
  splitSource: 'file' | 'seeded';
  /** datasetHash of the training images, for the model card */
  trainHash: string;
  /** the folders whose every image joined the training images (TrainOptions.addTrain), as given */
  added: string[];
}

/**
 * Lists the dataset and splits it. With a split file (given, or the folder's splits.csv) its split
 * column rules; without one, whole groups (or images) are dealt out by the seed: 15 % validation,
 * 15 % test when there are at least 20 images (else the validation images are the held-out set).
 * Then every image of each `addTrain` folder joins the training images (see addTrainingSets).
 */
export async function splitDataset(dir: string, splitFile: string | undefined, seed: number, addTrain: readonly string[] = [], signal?: AbortSignal): Promise<RunData> {
  const items = await listDataset(dir, { splitFile });
  const hasSplits = items.some((it) => it.split !== undefined);
  const parts = hasSplits ? bySplitColumn(items) : seededSplit(items, seed);
  if (parts.train.length === 0) throw new SonoError('DATASET_INVALID', `${dir} has no training images.`);
  if (parts.val.length === 0) throw new SonoError('DATASET_INVALID', `${dir} has no validation images; early stopping and model selection need some.`);
  const train = [...parts.train, ...await addTrainingSets(dir, addTrain, parts, signal)];
  return { ...parts, train, splitSource: hasSplits ? 'file' : 'seeded', trainHash: await datasetHash(train), added: [...addTrain] };
}

/**
 * The images of further annotated sets (BUS-BRA, a clinic's own exported cases), all for training:
 * validation and test stay the main dataset's, so a model trained with more data is chosen and
 * reported on the same images as one trained without. Each folder is read in any layout listDataset
 * knows, any split file in it ignored; its ids are prefixed with the folder's name (`BUS-BRA/Images/
 * bus_0001-l`), which must therefore differ between folders. An added image whose pixels equal a
 * validation or test image's is refused: training on it would score the model on what it was taught.
 */
async function addTrainingSets(dir: string, folders: readonly string[], main: Pick<RunData, 'train' | 'val' | 'test'>, signal?: AbortSignal): Promise<DatasetItem[]> {
  if (folders.length === 0) return [];
  const names = new Map<string, string>();
  const added: DatasetItem[] = [];
  for (const folder of folders) {
    if (path.resolve(folder) === path.resolve(dir)) {
      throw new SonoError('INVALID_ARGUMENT', `${folder} is the main dataset itself; add other folders to its training images.`);
    }
    const name = path.basename(path.resolve(folder));
    const clash = names.get(name);
    if (clash !== undefined) {
      throw new SonoError('INVALID_ARGUMENT', `${clash} and ${folder} have the same name, which prefixes their images' ids; rename one of them.`);
    }
    names.set(name, folder);
    const items = await listDataset(folder, { splitFile: false });
    added.push(...items.map((it): DatasetItem => ({ ...it, id: `${name}/${it.id}`, split: 'train' })));
  }
  const mainIds = new Set([...main.train, ...main.val, ...main.test].map((it) => it.id));
  const reused = added.find((it) => mainIds.has(it.id));
  if (reused) throw new SonoError('INVALID_ARGUMENT', `the added image ${reused.id} has the id of an image of ${dir}; rename its folder.`);
  const leaks = await sameImages(added, [...main.val, ...main.test], signal);
  if (leaks.length > 0) {
    // advice first: the CLI and the UI cut an error's line at 300 characters
    const shown = leaks.slice(0, 3).map((l) => `${l.a.id} = ${l.b.id} (${main.val.includes(l.b) ? 'validation' : 'test'})`).join('; ');
    throw new SonoError('DATASET_INVALID', `${leaks.length} added image${leaks.length === 1 ? ' has' : 's have'} the pixels of validation or test images `
      + `of the main dataset, which must stay unseen in training; remove ${leaks.length === 1 ? 'it' : 'them'} from the added folder: ${shown}${leaks.length > 3 ? '; …' : ''}`);
  }
  return added;
}

function bySplitColumn(items: DatasetItem[]): Pick<RunData, 'train' | 'val' | 'test'> {
  return {
    train: items.filter((it) => it.split === 'train'),
    val: items.filter((it) => it.split === 'val'),
    test: items.filter((it) => it.split === 'test'),
  };
}

function seededSplit(items: DatasetItem[], seed: number): Pick<RunData, 'train' | 'val' | 'test'> {
  const groups = new Map<string, DatasetItem[]>();
  for (const it of items) {
    const key = it.group ?? it.id;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(it);
  }
  const keys = new Rng(seed ^ 0x5eed).shuffle([...groups.keys()].sort());
  const nVal = Math.max(1, Math.round(0.15 * keys.length));
  const nTest = items.length >= 20 ? Math.round(0.15 * keys.length) : 0;
  const take = (ks: string[]) => ks.flatMap((k) => groups.get(k)!);
  return {
    val: take(keys.slice(0, nVal)),
    test: take(keys.slice(nVal, nVal + nTest)),
    train: take(keys.slice(nVal + nTest)),
  };
}

/** Decodes items in order (sharp decodes off the JS thread), reporting each one. */
export async function loadAll(items: DatasetItem[], onEach?: (done: number) => void, signal?: AbortSignal): Promise<LoadedItem[]> {
  const out: LoadedItem[] = [];
  for (const it of items) {
    if (signal?.aborted) throw new SonoError('CANCELLED', 'training was cancelled');
    out.push(await loadItem(it));
    onEach?.(out.length);
  }
  return out;
}

/**
 * A validation copy at the model's input size (stretch: s×s; letterbox: longer side s), so each
 * epoch's validation predicts small images fast. The final evaluation runs at the original size.
 */
export function validationCopy(item: LoadedItem, plan: PreprocessPlan): LoadedItem {
  const { width: w, height: h } = item.image;
  const s = plan.inputSize;
  const scale = s / Math.max(w, h);
  const [tw, th] = plan.resize === 'stretch' ? [s, s] : [Math.max(1, Math.round(w * scale)), Math.max(1, Math.round(h * scale))];
  if (plan.antialias) {
    // as preprocess.ts prepares this plan's input: area means on each side that shrinks, bilinear on a side
    // that grows, and lesion where most of the cell is
    const sw = Math.min(tw, w), sh = Math.min(th, h);
    const img = resizeBilinear(shrinkByArea(item.image, sw, sh), tw, th);
    const m = resizeBilinear(shrinkByArea(item.mask, sw, sh), tw, th);
    return {
      image: { width: tw, height: th, data: Uint8Array.from(img.data, (v) => Math.round(v)) },
      mask: { width: tw, height: th, data: Uint8Array.from(m.data, (v) => (v > 0.5 ? 1 : 0)) },
    };
  }
  const img = resizeBilinear({ width: w, height: h, data: Float32Array.from(item.image.data) }, tw, th);
  const image: GrayImage = { width: tw, height: th, data: Uint8Array.from(img.data, (v) => Math.round(v)) };
  const mask: Mask = resizeNearest(item.mask, tw, th);
  return { image, mask };
}
