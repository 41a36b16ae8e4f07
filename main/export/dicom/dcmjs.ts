/**
 * The slice of dcmjs (no bundled type declarations) that export uses, typed in one place so
 * the rest of the code stays strict. dcmjs "naturalized" datasets use DICOM keywords as keys.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dcmjs = require('dcmjs') as DcmjsModule;

/** A dataset keyed by DICOM keyword (e.g. `PatientName`), as dcmjs naturalizes it. */
export type NaturalDataset = Record<string, unknown>;

/** A dataset keyed by tag hex (e.g. `00100010`) with `{vr, Value}` entries. */
export type TagDict = Record<string, { vr: string; Value?: unknown[] }>;

interface DicomDictInstance {
  meta: TagDict;
  dict: TagDict;
  write(options?: { allowInvalidVRLength?: boolean; fragmentMultiframe?: boolean }): ArrayBuffer;
}

interface DcmjsModule {
  data: {
    DicomDict: new (meta: TagDict) => DicomDictInstance;
    DicomMessage: {
      readFile(buffer: ArrayBuffer, options?: { untilTag?: string; includeUntilTagValue?: boolean; ignoreErrors?: boolean }): DicomDictInstance;
    };
    DicomMetaDictionary: {
      naturalizeDataset(dict: TagDict): NaturalDataset;
      denaturalizeDataset(ds: NaturalDataset): TagDict;
    };
  };
  log: { setLevel?(level: string): void; level?: unknown };
}

/** Serialises a naturalized dataset plus file meta information (PS3.10 7.1) to Part 10 bytes. */
export function writePart10(meta: NaturalDataset, dataset: NaturalDataset): Uint8Array {
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return new Uint8Array(dict.write());
}

export interface ReadOptions {
  /** stop before Pixel Data (7FE0,0010): the header is all a reference or de-identification needs */
  headerOnly?: boolean;
}

/** Parses Part 10 bytes into {meta, dataset}, both naturalized. */
export function readPart10(bytes: Uint8Array, options: ReadOptions = {}): { meta: NaturalDataset; dataset: NaturalDataset } {
  const { DicomMessage, DicomMetaDictionary } = dcmjs.data;
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const readOpts = options.headerOnly ? { untilTag: '7FE00010', includeUntilTagValue: false } : {};
  const dict = DicomMessage.readFile(buffer, readOpts);
  return {
    meta: DicomMetaDictionary.naturalizeDataset(dict.meta),
    dataset: DicomMetaDictionary.naturalizeDataset(dict.dict),
  };
}
