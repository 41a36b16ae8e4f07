import { SonoError } from '../../common/errors';
import { readPart10, type NaturalDataset } from './dcmjs';

/**
 * What a derived object (our SEG) needs from its source instance: the identifiers it references
 * and the patient/study attributes it must repeat so that it files into the same study.
 */
export interface SourceHeader {
  sopClassUid: string;
  sopInstanceUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  /** Frame of Reference UID (0020,0052), when the source has one */
  frameOfReferenceUid?: string;
  numberOfFrames: number;
  rows: number;
  columns: number;
  /** Patient, General Study and Patient Study module attributes, copied as they are */
  inherited: NaturalDataset;
}

/**
 * Attributes a SEG takes over from its source (PS3.3 A.51: the Patient module C.7.1.1, General Study
 * C.7.2.1 and Patient Study C.7.2.2 describe the same patient and study). Anything not listed is not
 * copied, so equipment, institution and operator details of the source never reach the export.
 */
export const INHERITED_KEYWORDS: readonly string[] = [
  'PatientName', 'PatientID', 'IssuerOfPatientID', 'PatientBirthDate', 'PatientSex',
  'OtherPatientIDsSequence', 'PatientAge', 'PatientSize', 'PatientWeight', 'EthnicGroup',
  'StudyDate', 'StudyTime', 'ReferringPhysicianName', 'StudyID', 'AccessionNumber', 'StudyDescription',
  'ClinicalTrialSponsorName', 'ClinicalTrialProtocolID', 'ClinicalTrialSiteID', 'ClinicalTrialSubjectID',
];

/** Reads the header of a Part 10 file (pixel data skipped) into a SourceHeader. */
export function readSourceHeader(bytes: Uint8Array): SourceHeader {
  let ds: NaturalDataset;
  try {
    ds = readPart10(bytes, { headerOnly: true }).dataset;
  } catch (e) {
    throw new SonoError('CORRUPT_FILE', `The source DICOM file could not be read: ${(e as Error).message}`, { cause: e });
  }
  const inherited: NaturalDataset = {};
  for (const k of INHERITED_KEYWORDS) if (ds[k] !== undefined) inherited[k] = ds[k];
  const header: SourceHeader = {
    sopClassUid: requireUid(ds, 'SOPClassUID'),
    sopInstanceUid: requireUid(ds, 'SOPInstanceUID'),
    studyInstanceUid: requireUid(ds, 'StudyInstanceUID'),
    seriesInstanceUid: requireUid(ds, 'SeriesInstanceUID'),
    numberOfFrames: Number(ds.NumberOfFrames ?? 1) || 1,
    rows: Number(ds.Rows ?? 0),
    columns: Number(ds.Columns ?? 0),
    inherited,
  };
  if (typeof ds.FrameOfReferenceUID === 'string' && ds.FrameOfReferenceUID !== '') {
    header.frameOfReferenceUid = ds.FrameOfReferenceUID;
  }
  return header;
}

function requireUid(ds: NaturalDataset, keyword: string): string {
  const v = ds[keyword];
  if (typeof v !== 'string' || v.trim() === '') {
    throw new SonoError('CORRUPT_FILE', `The source DICOM file has no ${keyword}; a segmentation cannot reference it.`);
  }
  return v.trim();
}
