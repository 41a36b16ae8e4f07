import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { buildSegDataset, SEGMENTATION_STORAGE, type SegInput } from '../../../main/export/dicom/seg-dataset';
import type { SourceHeader } from '../../../main/export/dicom/source-header';
import { UidMapper } from '../../../main/export/dicom/uids';
import { writePart10 } from '../../../main/export/dicom/dcmjs';
import { readSeg } from '../../../main/export/dicom/seg-reader';

type Item = Record<string, unknown>;
const item = (v: unknown): Item => (v as Item[])[0]!;

function header(over: Partial<SourceHeader> = {}): SourceHeader {
  return {
    sopClassUid: '1.2.840.10008.5.1.4.1.1.3.1', // US Multi-frame
    sopInstanceUid: '1.2.3.4.5.6',
    studyInstanceUid: '1.2.3.4',
    seriesInstanceUid: '1.2.3.4.5',
    frameOfReferenceUid: '1.2.3.9',
    numberOfFrames: 5,
    rows: 3,
    columns: 4,
    inherited: { PatientName: 'Doe^Jane', PatientID: 'P-77', PatientBirthDate: '19700101', AccessionNumber: 'ACC9', StudyID: 'S1' },
    ...over,
  };
}

function input(over: Partial<SegInput> = {}): SegInput {
  return {
    mask: { width: 4, height: 3, data: Uint8Array.from([0, 1, 1, 0, 1, 1, 1, 1, 0, 0, 1, 0]) },
    algorithm: { type: 'AUTOMATIC', name: 'U-Net busi', version: '3' },
    software: { name: 'SonoSeg', version: '0.1.0' },
    ...over,
  };
}

test('a frame of a multi-frame source is referenced with its frame number and the study is kept', () => {
  const { dataset: ds } = buildSegDataset(input({ source: { header: header(), frameNumber: 4 } }));
  assert.equal(ds.SOPClassUID, SEGMENTATION_STORAGE);
  assert.equal(ds.StudyInstanceUID, '1.2.3.4');
  assert.equal(ds.FrameOfReferenceUID, '1.2.3.9');
  assert.equal(ds.PatientName, 'Doe^Jane');
  const deriv = item(item(item(ds.PerFrameFunctionalGroupsSequence).DerivationImageSequence).SourceImageSequence);
  assert.equal(deriv.ReferencedSOPInstanceUID, '1.2.3.4.5.6');
  assert.equal(deriv.ReferencedFrameNumber, 4);
  const series = item(ds.ReferencedSeriesSequence);
  assert.equal(series.SeriesInstanceUID, '1.2.3.4.5');
  assert.equal(item(series.ReferencedInstanceSequence).ReferencedSOPInstanceUID, '1.2.3.4.5.6');
  assert.notEqual(ds.SeriesInstanceUID, '1.2.3.4.5'); // a new series for the derived object
});

test('the segment states its codes and algorithm', () => {
  const edited = buildSegDataset(input({ algorithm: { type: 'SEMIAUTOMATIC', name: 'U-Net busi', version: '3' } })).dataset;
  const seg = item(edited.SegmentSequence);
  assert.equal(seg.SegmentLabel, 'Lesion');
  assert.equal(seg.SegmentAlgorithmType, 'SEMIAUTOMATIC');
  assert.equal(seg.SegmentAlgorithmName, 'U-Net busi 3');
  assert.equal(item(seg.SegmentedPropertyCategoryCodeSequence).CodeValue, '49755003');
  assert.equal(item(seg.SegmentedPropertyTypeCodeSequence).CodeValue, '108369006');
  assert.equal(item(seg.SegmentedPropertyTypeCodeSequence).CodingSchemeDesignator, 'SCT');
  assert.equal(edited.SegmentationType, 'BINARY');
  assert.equal(edited.BitsAllocated, 1);
});

test('a raster source gives a standalone SEG: new study, no references', () => {
  const a = buildSegDataset(input()).dataset;
  const b = buildSegDataset(input()).dataset;
  assert.match(String(a.StudyInstanceUID), /^2\.25\.\d+$/);
  assert.notEqual(a.StudyInstanceUID, b.StudyInstanceUID);
  assert.equal(a.ReferencedSeriesSequence, undefined);
  assert.deepEqual((a.PerFrameFunctionalGroupsSequence as Item[])[0]!.DerivationImageSequence, []);
  assert.equal(a.PatientName, '');
});

test('de-identification maps every source UID consistently and removes identifiers', () => {
  const mapper = new UidMapper('k');
  const ds = buildSegDataset(input({ source: { header: header(), frameNumber: 1 }, deidentify: mapper })).dataset;
  assert.equal(ds.StudyInstanceUID, mapper.map('1.2.3.4'));
  assert.equal(ds.FrameOfReferenceUID, mapper.map('1.2.3.9'));
  const series = item(ds.ReferencedSeriesSequence);
  assert.equal(series.SeriesInstanceUID, mapper.map('1.2.3.4.5'));
  const ref = item(item(item(ds.PerFrameFunctionalGroupsSequence).DerivationImageSequence).SourceImageSequence);
  assert.equal(ref.ReferencedSOPInstanceUID, mapper.map('1.2.3.4.5.6'));
  assert.equal(item(series.ReferencedInstanceSequence).ReferencedSOPInstanceUID, ref.ReferencedSOPInstanceUID);
  assert.equal(ds.PatientIdentityRemoved, 'YES');
  assert.equal(ds.PatientBirthDate, '');
  assert.equal(ds.AccessionNumber, '');
  assert.notEqual(ds.PatientName, 'Doe^Jane');
  const text = new TextDecoder('latin1').decode(writePart10(buildSegDataset(input({ source: { header: header(), frameNumber: 1 }, deidentify: mapper })).meta, ds));
  for (const s of ['Doe^Jane', 'P-77', '19700101', 'ACC9', '1.2.3.4.5.6']) assert.ok(!text.includes(s), s);
});

test('a mask that does not match the source size or a missing frame is refused', () => {
  assert.throws(() => buildSegDataset(input({ source: { header: header({ rows: 4 }), frameNumber: 1 } })), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => buildSegDataset(input({ source: { header: header(), frameNumber: 6 } })), { code: 'INVALID_ARGUMENT' });
});

test('the written SEG reads back to the same mask', () => {
  const inp = input();
  const { meta, dataset } = buildSegDataset(inp);
  const back = readSeg(writePart10(meta, dataset));
  assert.equal(back.masks.length, 1);
  assert.deepEqual(back.masks[0], inp.mask);
});
