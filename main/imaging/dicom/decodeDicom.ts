import type { DataSet } from 'dicom-parser';
import type { Frame } from '../../common/image';
import type { Study, Warning } from '../../common/study';
import type { Limits } from '../limits';
import { readCalibration } from './calibration';
import { decodeCompressedFrame } from './compressed';
import { encapsulatedFrames, nativeFrameReader, type Samples } from './frames';
import type { GrayMapping } from './grayscale';
import { readMetadata } from './metadata';
import { readPalette } from './palette';
import { parseDicomBytes } from './parse';
import { readPixelModule, type PixelModule } from './pixelModule';
import { renderFrame, type RenderInput } from './render';
import type { TransferSyntaxInfo } from './transferSyntax';

/** DICOM (Part 10 or preamble-less) → Study: every frame decoded to 8-bit, plus calibration and metadata. */
export async function decodeDicom(bytes: Uint8Array, name: string, limits: Limits): Promise<Study> {
  const { dataSet: ds, transferSyntax: ts } = parseDicomBytes(bytes);
  const pm = readPixelModule(ds, limits);
  const warnings: Warning[] = [];
  const metadata = readMetadata(ds, pm, ts);
  if (metadata.modality !== 'US') {
    warnings.push({ code: 'NOT_ULTRASOUND', message: `The modality is ${metadata.modality ?? 'not given'}, not ultrasound (US); results may be meaningless.` });
  }
  if (ts.lossy || ds.string('x00282110') === '01') {
    warnings.push({ code: 'LOSSY_SOURCE', message: 'The image was lossy-compressed; fine detail may be altered.' });
  }
  const calibration = readCalibration(ds, warnings);
  const { frames, mapping } = await decodeFrames(ds, pm, ts);
  if (mapping === 'min/max') metadata.format += ', scaled to 8-bit by min/max';
  if (mapping === 'window') metadata.format += ', VOI window applied';
  return { kind: 'dicom', name, width: pm.columns, height: pm.rows, frames, calibration, metadata, warnings };
}

async function decodeFrames(ds: DataSet, pm: PixelModule, ts: TransferSyntaxInfo): Promise<{ frames: Frame[]; mapping?: GrayMapping }> {
  const palette = pm.photometric === 'PALETTE COLOR' ? readPalette(ds, pm.pixelRepresentation) : undefined;
  const photometric = decodedPhotometric(pm, ts);
  const native = ts.encoding === 'native';
  const frames: Frame[] = [];
  let mapping: GrayMapping | undefined;
  const render = (samples: Samples) => {
    const input: RenderInput = {
      samples, photometric,
      planar: native && pm.planarConfiguration === 1 && pm.samplesPerPixel === 3,
      subsampled422: native && pm.photometric === 'YBR_FULL_422' && pm.bitsAllocated === 8,
    };
    const r = renderFrame(input, pm, ds, palette);
    mapping ??= r.mapping;
    frames.push(r.frame);
  };
  if (native) {
    const read = nativeFrameReader(ds, pm, ts.bigEndian);
    for (let i = 0; i < pm.frames; i++) render(read(i));
  } else {
    const encoded = encapsulatedFrames(ds, pm);
    for (const e of encoded) render(await decodeCompressedFrame(e, pm, ts.encoding));
  }
  return { frames, mapping };
}

/**
 * What the samples are after decompression: libjpeg converts YCbCr JPEG to RGB itself, and OpenJPEG
 * undoes the JPEG 2000 component transforms (YBR_ICT/YBR_RCT, PS3.5 A.4.4) itself.
 */
function decodedPhotometric(pm: PixelModule, ts: TransferSyntaxInfo): string {
  if (pm.samplesPerPixel === 3 && ts.encoding === 'jpeg') return 'RGB';
  if (ts.encoding === 'jpeg2000' && (pm.photometric === 'YBR_ICT' || pm.photometric === 'YBR_RCT')) return 'RGB';
  return pm.photometric;
}
