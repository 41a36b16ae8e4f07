/** main/cases: the public face. For now: reading annotated training datasets (BUSI, an image folder + a mask folder). */
export { listDataset, detectLayout, type ListOptions } from './list-dataset';
export { loadItem, markLesion, type LoadedItem } from './load-item';
export { datasetHash, type HashOptions } from './dataset-hash';
export { readSplits, type SplitRow } from './splits';
export { BUSI_CLASSES } from './busi-layout';
export { IMAGE_FOLDER_NAMES, MASK_FOLDER_NAMES } from './images-masks-layout';
export { SPLITS, compareIds, type DatasetItem, type DatasetLayout, type Split } from './dataset-item';
