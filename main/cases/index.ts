/** main/cases: the public face. Reading annotated training datasets (class folders, an image folder + a mask folder, images with masks beside them). */
export { listDataset, detectLayout, type ListOptions } from './list-dataset';
export { loadItem, loadImage, markLesion, type LoadedItem } from './load-item';
export { sameImages, type SameImage } from './same-images';
export { datasetHash, type HashOptions } from './dataset-hash';
export { readSplits, type SplitRow } from './splits';
export { BUSI_CLASSES } from './class-folders-layout';
export { MASK_WORDS } from './paired-names-layout';
export { IMAGE_FOLDER_NAMES, MASK_FOLDER_NAMES } from './images-masks-layout';
export { SPLITS, compareIds, type DatasetItem, type DatasetLayout, type Split, type Unmasked } from './dataset-item';
