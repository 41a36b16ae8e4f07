/** main/export: the public face. Writes a frame's result as PNG, JSON, CSV and DICOM SEG files. */
export { exportResult, type ExportResult } from './export-result';
export { ALL_FORMATS, SUFFIXES, type ExportFormat, type ExportRequest } from './export-request';
export { readSeg, type ReadSegResult } from './dicom/seg-reader';
export { CSV_COLUMNS } from './measurement-report';
export { DEIDENTIFICATION_METHOD } from './dicom/deidentify';
