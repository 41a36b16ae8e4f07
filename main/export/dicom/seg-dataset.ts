import type { Mask } from '../../common/image';
import { SonoError } from '../../common/errors';
import type { NaturalDataset } from './dcmjs';
import { packBits } from './bit-pack';
import { deidentificationMarkers, deidentifyInherited } from './deidentify';
import type { SourceHeader } from './source-header';
import { newUid, type UidMapper } from './uids';

/** Segmentation Storage SOP Class (PS3.4 B.5) */
export const SEGMENTATION_STORAGE = '1.2.840.10008.5.1.4.1.1.66.4';
/** Explicit VR Little Endian (PS3.5 A.2): uncompressed, so any reader can unpack the 1-bit frames */
const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
/** SonoSeg's implementation class UID (PS3.7 D.3.3.2), a fixed 2.25 UUID-derived value */
export const IMPLEMENTATION_CLASS_UID = '2.25.340192292785962352552759250618713707783';

export interface SegAlgorithm {
  /** AUTOMATIC: the model's mask as is; SEMIAUTOMATIC: the user edited it (PS3.3 C.8.20.2, Segment Algorithm Type) */
  type: 'AUTOMATIC' | 'SEMIAUTOMATIC';
  name: string;
  version: string;
}

export interface SegInput {
  mask: Mask;
  algorithm: SegAlgorithm;
  /** the DICOM instance the mask was drawn on; absent for raster sources (a standalone SEG) */
  source?: { header: SourceHeader; frameNumber: number };
  /** when given, patient/study attributes and UIDs are de-identified with it */
  deidentify?: UidMapper;
  software: { name: string; version: string };
  now?: Date;
}

export interface SegDataset {
  meta: NaturalDataset;
  dataset: NaturalDataset;
}

/** Builds a single-frame, single-segment BINARY Segmentation instance (PS3.3 A.51). */
export function buildSegDataset(input: SegInput): SegDataset {
  checkInput(input);
  const sopInstanceUid = newUid();
  const now = input.now ?? new Date();
  const dataset: NaturalDataset = {
    SpecificCharacterSet: 'ISO_IR 192', // UTF-8: dcmjs decodes source text to Unicode
    SOPClassUID: SEGMENTATION_STORAGE,
    SOPInstanceUID: sopInstanceUid,
    InstanceCreationDate: dicomDate(now),
    InstanceCreationTime: dicomTime(now),
    ...patientAndStudy(input),
    ...seriesAndEquipment(input),
    ...imageAndPixels(input.mask, now),
    ...segmentation(input),
    ...functionalGroups(input),
    ...commonInstanceReference(input),
  };
  if (input.deidentify) Object.assign(dataset, deidentificationMarkers());
  const meta: NaturalDataset = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: SEGMENTATION_STORAGE,
    MediaStorageSOPInstanceUID: sopInstanceUid,
    TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: `SONOSEG_${input.software.version}`.slice(0, 16),
  };
  return { meta, dataset };
}

function checkInput(input: SegInput): void {
  const { mask, source } = input;
  if (mask.data.length !== mask.width * mask.height) {
    throw new SonoError('INVALID_ARGUMENT', 'The mask data does not match its width and height.');
  }
  if (!source) return;
  const { header, frameNumber } = source;
  if (header.rows !== mask.height || header.columns !== mask.width) {
    throw new SonoError('INVALID_ARGUMENT',
      `The mask is ${mask.width}×${mask.height} but the source image is ${header.columns}×${header.rows}.`);
  }
  if (!Number.isInteger(frameNumber) || frameNumber < 1 || frameNumber > header.numberOfFrames) {
    throw new SonoError('INVALID_ARGUMENT', `Frame ${frameNumber} does not exist in the source (it has ${header.numberOfFrames}).`);
  }
}

/** Patient (C.7.1.1) and General Study (C.7.2.1): the source's, so the SEG files into the same study. */
function patientAndStudy(input: SegInput): NaturalDataset {
  const { source, deidentify } = input;
  const inherited = source?.header.inherited ?? {};
  const attrs = deidentify ? deidentifyInherited(inherited, deidentify) : { ...inherited };
  for (const k of ['PatientName', 'PatientID', 'PatientBirthDate', 'PatientSex', 'StudyDate', 'StudyTime',
    'ReferringPhysicianName', 'StudyID', 'AccessionNumber']) {
    attrs[k] ??= ''; // Type 2: present, possibly empty
  }
  const study = source?.header.studyInstanceUid;
  attrs.StudyInstanceUID = study === undefined ? newUid() : deidentify ? deidentify.map(study) : study;
  return attrs;
}

/** General Series (C.7.3.1), Segmentation Series (C.8.20.1), Frame of Reference (C.7.4.1), Equipment. */
function seriesAndEquipment(input: SegInput): NaturalDataset {
  const { software, algorithm, source, deidentify } = input;
  const out: NaturalDataset = {
    Modality: 'SEG',
    SeriesInstanceUID: newUid(),
    SeriesNumber: 900,
    SeriesDescription: 'SonoSeg lesion segmentation',
    // General Equipment (C.7.5.1) and Enhanced General Equipment (C.7.5.2): all Type 1 in the latter
    Manufacturer: software.name,
    ManufacturerModelName: `${algorithm.name}`.slice(0, 64),
    DeviceSerialNumber: 'NONE',
    SoftwareVersions: [`${software.name} ${software.version}`, `${algorithm.name} ${algorithm.version}`],
  };
  const frameOfReference = source?.header.frameOfReferenceUid;
  if (frameOfReference !== undefined) {
    out.FrameOfReferenceUID = deidentify ? deidentify.map(frameOfReference) : frameOfReference;
    out.PositionReferenceIndicator = ''; // Type 2
  }
  return out;
}

/** General Image (C.7.6.1), Image Pixel (C.7.6.3) as constrained by Segmentation Image (C.8.20.2). */
function imageAndPixels(mask: Mask, now: Date): NaturalDataset {
  return {
    InstanceNumber: 1,
    // Type 2C in General Image (C.7.6.1): required when Image Orientation (Patient) is absent, as here
    PatientOrientation: '',
    ContentDate: dicomDate(now),
    ContentTime: dicomTime(now),
    ImageType: ['DERIVED', 'PRIMARY'],
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: mask.height,
    Columns: mask.width,
    BitsAllocated: 1, // BINARY (C.8.20.2.1)
    BitsStored: 1,
    HighBit: 0,
    PixelRepresentation: 0,
    LossyImageCompression: '00',
    NumberOfFrames: 1,
    PixelData: packBits(mask.data).buffer,
    _vrMap: { PixelData: 'OB' }, // PS3.5 A.2: OB for Bits Allocated 1 in Explicit VR
  };
}

/** Segmentation Image module (C.8.20.2) with its one segment (Segment Description macro, C.8.20-4). */
function segmentation(input: SegInput): NaturalDataset {
  const { algorithm } = input;
  return {
    SegmentationType: 'BINARY',
    ContentLabel: 'LESION',
    ContentDescription: 'Breast lesion outline',
    ContentCreatorName: input.software.name,
    SegmentSequence: [{
      SegmentNumber: 1,
      SegmentLabel: 'Lesion',
      SegmentAlgorithmType: algorithm.type,
      SegmentAlgorithmName: `${algorithm.name} ${algorithm.version}`.slice(0, 64),
      // CID 7150 Segmentation Property Categories / CID 7151-family types
      SegmentedPropertyCategoryCodeSequence: [code('49755003', 'SCT', 'Morphologically abnormal structure')],
      SegmentedPropertyTypeCodeSequence: [code('108369006', 'SCT', 'Neoplasm')],
      AnatomicRegionSequence: [code('76752008', 'SCT', 'Breast')],
      // PS3.3 C.10.7.1.1 scaling of CIELab; sRGB (255, 80, 40), the overlay PNG's colour
      RecommendedDisplayCIELabValue: [38740, 49462, 47892],
    }],
  };
}

/** Multi-frame Functional Groups (C.7.6.16) and Multi-frame Dimension (C.7.6.17). */
function functionalGroups(input: SegInput): NaturalDataset {
  const organization = newUid();
  const frame: NaturalDataset = {
    FrameContentSequence: [{ DimensionIndexValues: [1] }],
    SegmentIdentificationSequence: [{ ReferencedSegmentNumber: 1 }],
  };
  const derivation = derivationImage(input);
  // Type 2 in the Derivation Image macro: present but empty when the source is not a DICOM image
  frame.DerivationImageSequence = derivation ? [derivation] : [];
  return {
    DimensionOrganizationSequence: [{ DimensionOrganizationUID: organization }],
    DimensionIndexSequence: [{
      DimensionOrganizationUID: organization,
      DimensionIndexPointer: 0x0062000b, // Referenced Segment Number
      FunctionalGroupPointer: 0x0062000a, // Segment Identification Sequence
      DimensionDescriptionLabel: 'Segment',
    }],
    SharedFunctionalGroupsSequence: [{}],
    PerFrameFunctionalGroupsSequence: [frame],
  };
}

/** Derivation Image macro (C.7.6.16.2.6): which source frame this mask was derived from. */
function derivationImage(input: SegInput): NaturalDataset | undefined {
  const { source, deidentify } = input;
  if (!source) return undefined;
  const { header, frameNumber } = source;
  const ref: NaturalDataset = {
    ReferencedSOPClassUID: header.sopClassUid,
    ReferencedSOPInstanceUID: deidentify ? deidentify.map(header.sopInstanceUid) : header.sopInstanceUid,
    PurposeOfReferenceCodeSequence: [code('121322', 'DCM', 'Source image for image processing operation')],
  };
  // Referenced Frame Number is required when the source is a multi-frame image (C.7.6.16.2.6)
  if (header.numberOfFrames > 1) ref.ReferencedFrameNumber = frameNumber;
  return {
    DerivationCodeSequence: [code('113076', 'DCM', 'Segmentation')],
    SourceImageSequence: [ref],
  };
}

/** Common Instance Reference module (C.12.2): required when instances of the same study are referenced. */
function commonInstanceReference(input: SegInput): NaturalDataset {
  const { source, deidentify } = input;
  if (!source) return {};
  const { header } = source;
  const uid = (u: string): string => (deidentify ? deidentify.map(u) : u);
  return {
    ReferencedSeriesSequence: [{
      SeriesInstanceUID: uid(header.seriesInstanceUid),
      ReferencedInstanceSequence: [{
        ReferencedSOPClassUID: header.sopClassUid,
        ReferencedSOPInstanceUID: uid(header.sopInstanceUid),
      }],
    }],
  };
}

function code(value: string, scheme: string, meaning: string): NaturalDataset {
  return { CodeValue: value, CodingSchemeDesignator: scheme, CodeMeaning: meaning };
}

function dicomDate(d: Date): string {
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}`;
}

function dicomTime(d: Date): string {
  return `${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
