import { SonoError } from '../../common/errors';
import type { GrayImage, Mask } from '../../common/image';
import { resizeBilinear, resizeNearest, shrinkByArea } from '../../common/resize';
import { datasetHash, listDataset, loadItem, type DatasetItem, type LoadedItem } from '../../cases';
import type { PreprocessPlan } from '../preprocess';
import { addTrainingSets } from './added-sets';
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
