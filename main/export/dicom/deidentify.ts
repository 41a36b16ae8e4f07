import type { NaturalDataset } from './dcmjs';
import type { UidMapper } from './uids';

/**
 * De-identification of what a SEG carries over from its source, after the Basic Application Level
 * Confidentiality Profile (PS3.15 Annex E, Table E.1-1). Only the attributes in INHERITED_KEYWORDS
 * (source-header.ts) are ever copied, so institution, station, operator, device serial number and
 * free-text comments of the source are already absent; this table handles the rest:
 *   X  remove                     Z  replace with a zero-length value (Type 2 stays present)
 *   P  replace with a pseudonym   (E.1 allows a dummy value for Z; a stable pseudonym keeps
 *                                  exports of one patient together without naming them)
 * UIDs (Study, Series, SOP Instance, Frame of Reference) follow action U through UidMapper.
 * Not covered: burned-in text in pixel data (the overlay PNG shows the source pixels as they are),
 * private attributes (never copied), and the Retain* options of Table E.1-1 (none applied).
 */
type Action = 'X' | 'Z' | 'P';

const ACTIONS: Readonly<Record<string, Action>> = {
  PatientName: 'P', // (0010,0010)
  PatientID: 'P', // (0010,0020)
  IssuerOfPatientID: 'X', // (0010,0021)
  PatientBirthDate: 'Z', // (0010,0030)
  PatientSex: 'Z', // (0010,0040)
  OtherPatientIDsSequence: 'X', // (0010,1002)
  PatientAge: 'X', // (0010,1010)
  PatientSize: 'X', // (0010,1020)
  PatientWeight: 'X', // (0010,1030)
  EthnicGroup: 'X', // (0010,2160)
  StudyDate: 'Z', // (0008,0020)
  StudyTime: 'Z', // (0008,0030)
  ReferringPhysicianName: 'Z', // (0008,0090)
  StudyID: 'Z', // (0020,0010)
  AccessionNumber: 'Z', // (0008,0050)
  StudyDescription: 'X', // (0008,1030)
  ClinicalTrialSponsorName: 'X',
  ClinicalTrialProtocolID: 'X',
  ClinicalTrialSiteID: 'X',
  ClinicalTrialSubjectID: 'X',
};

/** Human-readable summary written to DeidentificationMethod (0012,0063), LO: at most 64 characters. */
export const DEIDENTIFICATION_METHOD = 'SonoSeg: PS3.15 E.1 basic profile subset';

/** Applies the table to the inherited patient/study attributes; unknown attributes are dropped. */
export function deidentifyInherited(inherited: NaturalDataset, mapper: UidMapper): NaturalDataset {
  const out: NaturalDataset = {};
  const identity = textOf(inherited.PatientID) || textOf(inherited.PatientName);
  // no identity to protect (raster source): leave the Type 2 values empty rather than invent a patient
  const pseudonym = identity === '' ? '' : mapper.pseudonym(identity);
  for (const keyword of Object.keys(inherited)) {
    const action = ACTIONS[keyword];
    if (action === 'Z') out[keyword] = '';
    else if (action === 'P') out[keyword] = pseudonym;
    // 'X' and anything not in the table: left out
  }
  // Type 2 attributes of the Patient and General Study modules must be present even when empty.
  for (const k of ['PatientName', 'PatientID']) out[k] ??= pseudonym;
  for (const k of ['PatientBirthDate', 'PatientSex', 'StudyDate', 'StudyTime', 'ReferringPhysicianName', 'StudyID', 'AccessionNumber']) {
    out[k] ??= '';
  }
  return out;
}

/** Patient Identity Removed (0012,0062), De-identification Method (0012,0063) and its code (0012,0064). */
export function deidentificationMarkers(): NaturalDataset {
  return {
    PatientIdentityRemoved: 'YES',
    DeidentificationMethod: DEIDENTIFICATION_METHOD,
    DeidentificationMethodCodeSequence: [
      // CID 7050: 113100 Basic Application Confidentiality Profile
      { CodeValue: '113100', CodingSchemeDesignator: 'DCM', CodeMeaning: 'Basic Application Confidentiality Profile' },
    ],
  };
}

/** A PN or string value as plain text (dcmjs reads PN as [{Alphabetic}]). */
function textOf(v: unknown): string {
  if (typeof v === 'string') return v.trim();
  if (Array.isArray(v)) return v.map(textOf).join('\\');
  if (v && typeof v === 'object' && 'Alphabetic' in v) return String((v as { Alphabetic: unknown }).Alphabetic ?? '').trim();
  return '';
}
