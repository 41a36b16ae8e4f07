import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { deidentifyInherited, deidentificationMarkers } from '../../../main/export/dicom/deidentify';
import { UidMapper } from '../../../main/export/dicom/uids';

test('patient identifiers are pseudonymised, dates and accession emptied, the rest removed', () => {
  const m = new UidMapper('x');
  const out = deidentifyInherited({
    PatientName: [{ Alphabetic: 'Doe^Jane' }], PatientID: 'MRN123', PatientBirthDate: '19700101', PatientSex: 'F',
    OtherPatientIDsSequence: [{ PatientID: 'OLD1' }], PatientAge: '055Y', AccessionNumber: 'A1', StudyDate: '20240101',
    StudyDescription: 'BREAST US LEFT', ReferringPhysicianName: 'Who^Dr', SomethingElse: 'secret',
  }, m);
  assert.equal(out.PatientID, m.pseudonym('MRN123'));
  assert.equal(out.PatientName, out.PatientID);
  for (const k of ['PatientBirthDate', 'PatientSex', 'AccessionNumber', 'StudyDate', 'ReferringPhysicianName']) assert.equal(out[k], '', k);
  for (const k of ['OtherPatientIDsSequence', 'PatientAge', 'StudyDescription', 'SomethingElse']) assert.equal(k in out, false, k);
  assert.ok(!JSON.stringify(out).includes('MRN123') && !JSON.stringify(out).includes('Doe'));
});

test('type 2 attributes are present even when the source lacked them', () => {
  const out = deidentifyInherited({}, new UidMapper('x'));
  for (const k of ['PatientName', 'PatientID', 'PatientBirthDate', 'PatientSex', 'StudyDate', 'StudyTime', 'StudyID', 'AccessionNumber']) {
    assert.ok(k in out, k);
  }
});

test('the markers follow PS3.15: identity removed and the method named and coded', () => {
  const m = deidentificationMarkers();
  assert.equal(m.PatientIdentityRemoved, 'YES');
  assert.ok(String(m.DeidentificationMethod).length <= 64);
  assert.equal((m.DeidentificationMethodCodeSequence as { CodeValue: string }[])[0]!.CodeValue, '113100');
});

test('without any patient identity nothing is invented', () => {
  const out = deidentifyInherited({}, new UidMapper('x'));
  assert.equal(out.PatientName, '');
  assert.equal(out.PatientID, '');
});
