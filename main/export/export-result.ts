import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Frame } from '../common/image';
import { SonoError } from '../common/errors';
import { measureLesions, type Lesion } from '../common/measure';
import { writeFileAtomic } from '../fs/atomic';
import { calibrationInfo } from './calibration-info';
import { contourDocument } from './contour-document';
import { segFileBytes } from './dicom/seg-file';
import { UidMapper } from './dicom/uids';
import { ALL_FORMATS, SUFFIXES, type ExportFormat, type ExportRequest } from './export-request';
import { finalMask, type FinalMask } from './final-mask';
import { measurementsCsv, measurementsJson } from './measurement-report';
import { composeOverlay } from './overlay';
import { framePng, maskPng, probabilityPng } from './png';

export interface ExportResult {
  /** absolute paths of the files written, in the order of ALL_FORMATS */
  files: string[];
  lesions: Lesion[];
  maskEdited: boolean;
}

const DEFAULT_SOFTWARE = { name: 'SonoSeg', version: 'dev' };

/** Writes every requested output for one frame; each file is written atomically. */
export async function exportResult(req: ExportRequest): Promise<ExportResult> {
  const frame = checkRequest(req);
  const final = finalMask(req.probability, req.threshold, req.editedMask, req.cleanup);
  const lesions = measureLesions(final.mask, req.probability, req.study.calibration ?? null);
  await fs.mkdir(req.outDir, { recursive: true }).catch((e: Error) => {
    throw new SonoError('IO_ERROR', `The export folder could not be created: ${e.message}`, { cause: e });
  });
  const files: string[] = [];
  for (const format of ALL_FORMATS) {
    if (!req.formats.includes(format)) continue;
    const outputs = await render(format, req, frame, final, lesions);
    for (const [suffix, data] of outputs) {
      const file = path.resolve(req.outDir, `${req.baseName}${suffix}`);
      await writeFileAtomic(file, data);
      files.push(file);
    }
  }
  return { files, lesions, maskEdited: final.edited };
}

async function render(
  format: ExportFormat, req: ExportRequest, frame: Frame, final: FinalMask, lesions: Lesion[],
): Promise<[string, Uint8Array | string][]> {
  const [first, second] = SUFFIXES[format] as [string, string?];
  const cal = calibrationInfo(req.study.calibration);
  switch (format) {
    case 'mask': return [[first, await maskPng(final.mask)]];
    case 'probability': return [[first, await probabilityPng(req.probability)]];
    case 'overlay': return [[first, await framePng(composeOverlay(frame, final.mask))]];
    case 'contours': return [[first, json(contourDocument(lesions, frame.width, frame.height, cal))]];
    case 'measurements': return [
      [first, json(measurementsJson(lesions, {
        sourceName: req.deidentify ? null : req.study.name,
        sourceKind: req.study.kind,
        frameIndex: req.frameIndex,
        width: frame.width,
        height: frame.height,
        model: req.model,
        threshold: req.threshold,
        maskEdited: final.edited,
        calibration: cal,
        createdAt: (req.now ?? new Date()).toISOString(),
      }))],
      [second!, measurementsCsv(lesions, cal)],
    ];
    case 'seg': return [[first, await segFileBytes({
      study: req.study,
      source: req.source,
      frameIndex: req.frameIndex,
      mask: final.mask,
      algorithm: { type: final.edited ? 'SEMIAUTOMATIC' : 'AUTOMATIC', name: req.model.name, version: req.model.version },
      deidentify: req.deidentify ? new UidMapper(req.deidentifySecret) : undefined,
      software: req.software ?? DEFAULT_SOFTWARE,
      now: req.now,
    })]];
  }
}

function checkRequest(req: ExportRequest): Frame {
  const frame = req.study.frames[req.frameIndex];
  if (!Number.isInteger(req.frameIndex) || !frame) {
    throw new SonoError('INVALID_ARGUMENT', `Frame ${req.frameIndex} does not exist (the study has ${req.study.frames.length}).`);
  }
  const p = req.probability;
  if (p.width !== frame.width || p.height !== frame.height || p.data.length !== p.width * p.height) {
    throw new SonoError('INVALID_ARGUMENT',
      `The probability map is ${p.width}×${p.height} but the frame is ${frame.width}×${frame.height}.`);
  }
  if (req.baseName === '' || /[\\/]/.test(req.baseName) || req.baseName === '.' || req.baseName === '..') {
    throw new SonoError('INVALID_ARGUMENT', `"${req.baseName}" cannot be used as a file name.`);
  }
  const unknown = req.formats.filter((f) => !ALL_FORMATS.includes(f));
  if (req.formats.length === 0 || unknown.length > 0) {
    throw new SonoError('INVALID_ARGUMENT', `Unknown or no export formats: ${unknown.join(', ') || '(none)'}.`);
  }
  return frame;
}

function json(value: object): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
