import type { Frame } from './image';

/**
 * What main/imaging makes of any input file: a study of one or more frames plus the facts needed
 * to measure (calibration) and to display (metadata). Patient identifiers never go in `metadata`.
 */
export type StudyKind = 'dicom' | 'raster';

/** Physical size of a pixel, from DICOM SequenceOfUltrasoundRegions (0018,6011) or PixelSpacing (0028,0030). */
export interface Calibration {
  /** millimetres per pixel along x (columns) */
  mmPerPixelX: number;
  /** millimetres per pixel along y (rows) */
  mmPerPixelY: number;
  source: 'us-region' | 'pixel-spacing';
  /** the calibrated region in pixel coordinates (inclusive min, exclusive max), when known */
  region?: { x0: number; y0: number; x1: number; y1: number };
}

export interface StudyMetadata {
  modality?: string;
  manufacturer?: string;
  model?: string;
  studyDate?: string;
  /** milliseconds between frames of a cine clip (FrameTime 0018,1063) */
  frameTimeMs?: number;
  photometric?: string;
  transferSyntax?: string;
  bitsStored?: number;
  sopClassUid?: string;
  /** a free-form description of the source format, e.g. "PNG 16-bit gray" */
  format?: string;
}

export interface Warning {
  code: 'NOT_ULTRASOUND' | 'NO_CALIBRATION' | 'LOSSY_SOURCE' | 'MALFORMED_TAG';
  message: string;
}

export interface Study {
  kind: StudyKind;
  /** file name without directory, for display and output naming */
  name: string;
  width: number;
  height: number;
  frames: Frame[];
  calibration?: Calibration;
  metadata: StudyMetadata;
  warnings: Warning[];
}
