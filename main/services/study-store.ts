import { randomUUID } from 'node:crypto';
import { SonoError } from '../common/errors';
import type { Study } from '../common/study';
import type { FileUpload, FramePixels, StudySummary } from '../../preload/api';
import { LruMap } from './lru';

/**
 * The studies the user has open: decoded once, kept in memory under an id, evicted least recently
 * used first. The source bytes stay with the study because a DICOM SEG export references them.
 */
export interface OpenStudy {
  id: string;
  study: Study;
  source: FileUpload;
}

export interface StudyStore {
  open(file: FileUpload): Promise<OpenStudy>;
  /** STUDY_NOT_FOUND-style INVALID_ARGUMENT when the id is unknown or was evicted */
  get(id: string): OpenStudy;
  frame(id: string, index: number): FramePixels;
  close(id: string): boolean;
  /** called with the id of every study that leaves the store (closed or evicted) */
  onDidClose(listener: (id: string) => void): void;
}

export type Decoder = (input: FileUpload) => Promise<Study>;

export interface StudyStoreOptions {
  decode: Decoder;
  /** most studies kept open (default 8) */
  maxStudies?: number;
  /** pixel memory budget across studies (default 1 GiB) */
  maxBytes?: number;
}

export class MemoryStudyStore implements StudyStore {
  private readonly studies: LruMap<OpenStudy>;
  private readonly closeListeners: ((id: string) => void)[] = [];

  constructor(private readonly options: StudyStoreOptions) {
    this.studies = new LruMap<OpenStudy>({
      maxEntries: options.maxStudies ?? 8,
      maxBytes: options.maxBytes ?? 1024 ** 3,
      sizeOf: studyBytes,
      onEvict: (id) => { for (const l of this.closeListeners) l(id); },
    });
  }

  async open(file: FileUpload): Promise<OpenStudy> {
    const study = await this.options.decode(file);
    const entry: OpenStudy = { id: randomUUID(), study, source: file };
    this.studies.set(entry.id, entry);
    return entry;
  }

  get(id: string): OpenStudy {
    const entry = this.studies.get(id);
    if (!entry) throw new SonoError('INVALID_ARGUMENT', 'That image is no longer open; please open it again.');
    return entry;
  }

  frame(id: string, index: number): FramePixels {
    const { study } = this.get(id);
    const frame = study.frames[index];
    if (!Number.isInteger(index) || !frame) {
      throw new SonoError('INVALID_ARGUMENT', `Frame ${index} does not exist (the image has ${study.frames.length}).`);
    }
    return { width: frame.width, height: frame.height, channels: frame.channels, data: frame.data };
  }

  close(id: string): boolean {
    return this.studies.delete(id);
  }

  onDidClose(listener: (id: string) => void): void {
    this.closeListeners.push(listener);
  }
}

export function summarize(entry: OpenStudy): StudySummary {
  const { study } = entry;
  return {
    id: entry.id,
    name: study.name,
    kind: study.kind,
    frames: study.frames.length,
    width: study.width,
    height: study.height,
    ...(study.calibration ? { calibration: study.calibration } : {}),
    metadata: study.metadata,
    warnings: study.warnings,
  };
}

function studyBytes(entry: OpenStudy): number {
  return entry.source.bytes.length + entry.study.frames.reduce((n, f) => n + f.data.length, 0);
}
