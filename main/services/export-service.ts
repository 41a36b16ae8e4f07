import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SonoError } from '../common/errors';
import { exportResult } from '../export';
import type { ExportRequest, ExportResponse } from '../../preload/api';
import type { SegmentationService } from './segmentation';
import type { StudyStore } from './study-store';

/**
 * Writes a frame's result into the workspace (exports/<exportId>/) with main/export, using the kept
 * probability map, and finds written files again for browser-mode downloads — only inside that folder.
 */
export interface ExportService {
  export(req: ExportRequest): Promise<ExportResponse>;
  /** absolute path of a file written by an export, or null when there is no such file */
  file(exportId: string, name: string): string | null;
}

const EXPORT_ID = /^[0-9]{8}T[0-9]{6}-[0-9a-f]{8}$/;
const FILE_NAME = /^[^/\\\u0000]+$/;

export class WorkspaceExportService implements ExportService {
  constructor(
    private readonly store: StudyStore,
    private readonly segmentation: SegmentationService,
    private readonly outRoot: string,
    private readonly software: { name: string; version: string },
  ) {}

  async export(req: ExportRequest): Promise<ExportResponse> {
    const { study, source } = this.store.get(req.studyId);
    const { map, modelId, cleanup } = await this.segmentation.probability(req.studyId, req.frame);
    const exportId = newExportId();
    const dir = path.join(this.outRoot, exportId);
    const result = await exportResult({
      study,
      source: { bytes: source.bytes },
      frameIndex: req.frame,
      probability: map,
      threshold: req.threshold,
      cleanup,
      ...(req.mask ? { editedMask: req.mask } : {}),
      formats: req.formats,
      deidentify: req.deidentify,
      outDir: dir,
      baseName: baseName(study.name, req.frame, study.frames.length, req.deidentify),
      model: { id: modelId, version: modelId, name: 'SonoSeg U-Net' },
      software: this.software,
    });
    const files = result.files.map((f) => ({ name: path.basename(f), bytes: fs.statSync(f).size }));
    return { exportId, dir, files, lesions: result.lesions.length, maskEdited: result.maskEdited };
  }

  file(exportId: string, name: string): string | null {
    if (!EXPORT_ID.test(exportId) || !FILE_NAME.test(name) || name === '.' || name === '..') return null;
    const file = path.join(this.outRoot, exportId, name);
    // Belt and braces: the regexes already forbid separators, but never serve outside the export folder.
    if (path.dirname(file) !== path.join(this.outRoot, exportId)) return null;
    return fs.existsSync(file) && fs.statSync(file).isFile() ? file : null;
  }
}

function newExportId(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15);
  return `${stamp}-${randomBytes(4).toString('hex')}`;
}

/** The source's name without extension (none when de-identifying: file names often carry patient names). */
export function baseName(name: string, frame: number, frames: number, deidentify: boolean): string {
  const stem = deidentify ? 'deidentified' : (name.replace(/\.[^.]*$/, '').replace(/[^\p{L}\p{N} ()_.-]+/gu, '_').trim() || 'image');
  const safe = stem === '.' || stem === '..' ? 'image' : stem;
  if (!Number.isInteger(frame) || frame < 0) throw new SonoError('INVALID_ARGUMENT', `Frame ${frame} does not exist.`);
  return frames > 1 ? `${safe}_frame${frame + 1}` : safe;
}
