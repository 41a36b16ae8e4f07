import type { Mask, ProbabilityMap } from '../common/image';
import type { Study } from '../common/study';
import type { Cleanup } from '../common/postprocess';

export type ExportFormat = 'mask' | 'probability' | 'overlay' | 'contours' | 'measurements' | 'seg';

export const ALL_FORMATS: readonly ExportFormat[] = ['mask', 'probability', 'overlay', 'contours', 'measurements', 'seg'];

/** File name suffix of each output, after `<baseName>`. 'measurements' writes both JSON and CSV. */
export const SUFFIXES: Readonly<Record<ExportFormat, readonly string[]>> = {
  mask: ['_mask.png'],
  probability: ['_prob.png'],
  overlay: ['_overlay.png'],
  contours: ['_contours.json'],
  measurements: ['_measurements.json', '_measurements.csv'],
  seg: ['_seg.dcm'],
};

export interface ExportRequest {
  study: Study;
  /** the study's source file (path or bytes); required for 'seg' when study.kind is 'dicom' */
  source?: { path?: string; bytes?: Uint8Array };
  /** 0-based frame of the study */
  frameIndex: number;
  /** probability at the frame's own size */
  probability: ProbabilityMap;
  threshold: number;
  /** the brush-edited mask; when present it replaces the thresholded (and cleaned) mask */
  editedMask?: Mask;
  /** clean-up applied to the thresholded mask (not to an edited one) */
  cleanup?: Cleanup;
  formats: readonly ExportFormat[];
  deidentify: boolean;
  /** secret for consistent UID/pseudonym mapping across exports; random per export when absent */
  deidentifySecret?: string | Uint8Array;
  outDir: string;
  baseName: string;
  model: { id: string; version: string; name: string };
  /** the app writing the files, for SEG equipment attributes */
  software?: { name: string; version: string };
  now?: Date;
}
