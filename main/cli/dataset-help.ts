import { BUSI_CLASSES, IMAGE_FOLDER_NAMES, MASK_FOLDER_NAMES, MASK_WORDS } from '../cases';

/** What `--data <dir>` may hold: printed under the usage of the commands that read a dataset. */
export const datasetHelp = `
--data <dir> holds one of three layouts (images and masks: png, jpg, tif, webp or bmp):
  an image folder with a mask folder, one mask per image. Folder names, in any case:
    images: ${IMAGE_FOLDER_NAMES.join(', ')}
    masks:  ${MASK_FOLDER_NAMES.join(', ')}
    Masks pair by base name, whatever the extension; else after dropping what all image names, and
    all mask names, share at their start or end (BUS-BRA Images/bus_0001-l.png with
    Masks/mask_0001-l.png; case7.png with case7_mask.png).
  BUSI class folders (${BUSI_CLASSES.join('/, ')}/, in any case, any may be missing), each holding either
    its images with their masks beside them (below) or an image folder with a mask folder (BUS_UC
    Benign/images/ + Benign/masks/). The folder gives the class.
  images with their masks beside them: <name>.png with <name>_mask.png, and <name>_mask_1.png ... for
    further lesions (their union is the mask). The mask word may be ${MASK_WORDS.join(', ')}, after _, - or a
    space (BrEaST case001.png with case001_tumor.png; BUID "1 Benign Image.bmp" with "1 Benign Mask.tif").
    Files named <name>_other... (BrEaST's other findings) are left out.
  Masks may be 0/255, 0/1, colour or JPEG; an all-black mask is an image without a lesion. Every image
  needs a mask and every mask an image: what is unpaired is named in the error (eval --unmasked normal
  counts an image with no mask file as one without a lesion, for sets that ship none for normal scans).
  A split file (--split-file, or <dir>/splits.csv) has columns file and split (train|val|test) and
  optionally class and group; file is the image's path inside <dir> ("Images/bus_0001-l.png").
  When no image is in class normal, the normal false-positive rate counts the images whose mask is empty.`;
