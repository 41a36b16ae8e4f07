/** main/cases: the public face. For now: reading annotated training datasets (BUSI, images/ + masks/). */
export { listDataset, detectLayout, type ListOptions } from './list-dataset';
export { loadItem, markLesion, type LoadedItem } from './load-item';
export { datasetHash, type HashOptions } from './dataset-hash';
export { readSplits, type SplitRow } from './splits';
export { BUSI_CLASSES } from './busi-layout';
export { SPLITS, compareIds, type DatasetItem, type DatasetLayout, type Split } from './dataset-item';
