import { BUSI_CLASSES, IMAGE_FOLDER_NAMES, MASK_FOLDER_NAMES } from '../cases';

/** What `--data <dir>` may hold: printed under the usage of the commands that read a dataset. */
export const datasetHelp = `
--data <dir> holds one of two layouts:
  BUSI class folders (${BUSI_CLASSES.join('/, ')}/, any may be missing): <name>.png with <name>_mask.png,
    and <name>_mask_1.png ... for further lesions (their union is the mask).
  an image folder with a mask folder, one mask per image. Folder names, in any case:
    images: ${IMAGE_FOLDER_NAMES.join(', ')}
    masks:  ${MASK_FOLDER_NAMES.join(', ')}
    Masks pair by base name, whatever the extension (png, jpg, tif, webp); else after dropping what
    all image names, and all mask names, share at their start or end (BUS-BRA Images/bus_0001-l.png
    with Masks/mask_0001-l.png; case7.png with case7_mask.png).
    Masks may be 0/255, 0/1, colour or JPEG; an all-black mask is an image without a lesion.
  A split file (--split-file, or <dir>/splits.csv) has columns file and split (train|val|test) and
  optionally class and group; file is the image's path inside <dir> ("Images/bus_0001-l.png").
  When no image is in class normal, the normal false-positive rate counts the images whose mask is empty.`;
