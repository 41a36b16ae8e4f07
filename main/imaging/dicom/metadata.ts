import type { DataSet } from 'dicom-parser';
import type { StudyMetadata } from '../../common/study';
import type { PixelModule } from './pixelModule';
import type { TransferSyntaxInfo } from './transferSyntax';

/**
 * The display facts of a study. Only the attributes named here are read: patient name, ID and birth
 * date (0010,xxxx) are never copied, so they cannot leak into the UI, logs or error messages.
 */
export function readMetadata(ds: DataSet, pm: PixelModule, ts: TransferSyntaxInfo): StudyMetadata {
  const frameTime = ds.floatString('x00181063'); // FrameTime in ms (C.7.6.5)
  const meta: StudyMetadata = {
    modality: str(ds, 'x00080060'),
    manufacturer: str(ds, 'x00080070'),
    model: str(ds, 'x00081090'),
    studyDate: str(ds, 'x00080020'),
    frameTimeMs: frameTime !== undefined && Number.isFinite(frameTime) ? frameTime : undefined,
    photometric: pm.photometric,
    transferSyntax: ts.uid,
    bitsStored: pm.bitsStored,
    sopClassUid: str(ds, 'x00080016'),
    format: `DICOM ${ts.name}, ${pm.photometric} ${pm.bitsAllocated}-bit, ${pm.frames} frame${pm.frames > 1 ? 's' : ''}`,
  };
  for (const k of Object.keys(meta) as (keyof StudyMetadata)[]) if (meta[k] === undefined) delete meta[k];
  return meta;
}

function str(ds: DataSet, tag: string): string | undefined {
  try {
    const v = ds.string(tag)?.replace(/\0/g, '').trim();
    return v ? v : undefined;
  } catch {
    return undefined; // a malformed value is left out rather than failing the whole study
  }
}
