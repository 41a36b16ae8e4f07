import * as path from 'node:path';
import { SonoError } from '../../common/errors';
import { listDataset, sameImages, type DatasetItem } from '../../cases';

/**
 * The images of further annotated sets (BUS-BRA, a clinic's own exported cases), all for training:
 * validation and test stay the main dataset's, so a model trained with more data is chosen and
 * reported on the same images as one trained without. Each folder is read in any layout listDataset
 * knows, any split file in it ignored; its ids are prefixed with the folder's name (`BUS-BRA/Images/
 * bus_0001-l`), which must therefore differ between folders. An added image whose pixels equal a
 * validation or test image's is refused: training on it would score the model on what it was taught.
 */
export async function addTrainingSets(
  dir: string, folders: readonly string[], main: { train: DatasetItem[]; val: DatasetItem[]; test: DatasetItem[] }, signal?: AbortSignal,
): Promise<DatasetItem[]> {
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
