import * as fs from 'node:fs/promises';
import type { Mask } from '../../common/image';
import type { Study } from '../../common/study';
import { SonoError } from '../../common/errors';
import { writePart10 } from './dcmjs';
import { buildSegDataset, type SegAlgorithm } from './seg-dataset';
import { readSourceHeader, type SourceHeader } from './source-header';
import type { UidMapper } from './uids';

export interface SegFileInput {
  study: Study;
  /** the study's own file, needed to reference it when the study is DICOM */
  source?: { path?: string; bytes?: Uint8Array };
  frameIndex: number;
  mask: Mask;
  algorithm: SegAlgorithm;
  deidentify?: UidMapper;
  software: { name: string; version: string };
  now?: Date;
}

/** Part 10 bytes of the SEG for one frame: referencing the source when DICOM, standalone for rasters. */
export async function segFileBytes(input: SegFileInput): Promise<Uint8Array> {
  const header = input.study.kind === 'dicom' ? await sourceHeader(input.source) : undefined;
  const { meta, dataset } = buildSegDataset({
    mask: input.mask,
    algorithm: input.algorithm,
    source: header ? { header, frameNumber: input.frameIndex + 1 } : undefined,
    deidentify: input.deidentify,
    software: input.software,
    now: input.now,
  });
  return writePart10(meta, dataset);
}

async function sourceHeader(source: SegFileInput['source']): Promise<SourceHeader> {
  if (source?.bytes) return readSourceHeader(source.bytes);
  if (source?.path) {
    let bytes: Uint8Array;
    try {
      bytes = await fs.readFile(source.path);
    } catch (e) {
      throw new SonoError('FILE_NOT_FOUND', `The source DICOM file could not be read again: ${(e as Error).message}`, { cause: e });
    }
    return readSourceHeader(bytes);
  }
  // A SEG without its reference would file into a new, unrelated study: refuse rather than mislead.
  throw new SonoError('INVALID_ARGUMENT', 'A DICOM SEG of a DICOM study needs the source file to reference it.');
}
