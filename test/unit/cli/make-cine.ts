import { writePart10 } from '../../../main/export/dicom/dcmjs';

/**
 * A real multi-frame ultrasound DICOM (US Multi-frame Image Storage, explicit VR little endian,
 * MONOCHROME2) written with dcmjs: a bright disc drifting across `frames` frames of speckle.
 */
export function makeCine(frames: number, width: number, height: number): Uint8Array {
  const pixels = new Uint8Array(frames * width * height);
  let seed = 12345;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (let f = 0; f < frames; f++) {
    const cx = width * (0.3 + 0.4 * (f / frames)), cy = height / 2, r = Math.min(width, height) / 5;
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
      const inside = (x - cx) ** 2 + (y - cy) ** 2 < r * r;
      pixels[f * width * height + y * width + x] = Math.round((inside ? 30 : 120) + rand() * 60);
    }
  }
  const sop = '1.2.826.0.1.3680043.8.498.1' + String(Date.now()).slice(-8);
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: '1.2.840.10008.5.1.4.1.1.3.1',
    MediaStorageSOPInstanceUID: sop,
    TransferSyntaxUID: '1.2.840.10008.1.2.1',
    ImplementationClassUID: '1.2.826.0.1.3680043.8.498.1',
  };
  const dataset = {
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.3.1', SOPInstanceUID: sop, Modality: 'US',
    StudyInstanceUID: sop + '.1', SeriesInstanceUID: sop + '.2', PatientName: 'Test^Cine', PatientID: 'CINE1',
    SamplesPerPixel: 1, PhotometricInterpretation: 'MONOCHROME2', Rows: height, Columns: width,
    BitsAllocated: 8, BitsStored: 8, HighBit: 7, PixelRepresentation: 0, NumberOfFrames: String(frames),
    FrameTime: '33.3', PixelData: [pixels.buffer],
    _vrMap: { PixelData: 'OB' },
  };
  return writePart10(meta, dataset);
}
