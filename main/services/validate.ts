import { SonoError } from '../common/errors';
import type { Mask } from '../common/image';
import type { ExportFormat, ExportRequest, FileUpload, FrameRequest } from '../../preload/api';

/**
 * Requests come from a web page, so every field is checked before a service sees it; a bad request
 * is INVALID_ARGUMENT with a readable message, never a crash deeper in.
 */
type Obj = Record<string, unknown>;

const FORMATS: readonly ExportFormat[] = ['mask', 'probability', 'overlay', 'contours', 'measurements', 'seg'];

export function object(v: unknown, what = 'request'): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(`${what} must be an object`);
  return v as Obj;
}

export function string(o: Obj, key: string, max = 1000): string {
  const v = o[key];
  if (typeof v !== 'string' || v.length === 0 || v.length > max) throw bad(`${key} must be a non-empty string`);
  return v;
}

export function int(o: Obj, key: string, min = 0): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw bad(`${key} must be an integer ≥ ${min}`);
  return v;
}

export function bytes(o: Obj, key: string): Uint8Array {
  const v = o[key];
  if (!(v instanceof Uint8Array)) throw bad(`${key} must be bytes`);
  return v;
}

export function fileUpload(v: unknown): FileUpload {
  const o = object(v);
  return { name: string(o, 'name', 255).replace(/^.*[\\/]/, ''), bytes: bytes(o, 'bytes') };
}

export function frameRequest(v: unknown): FrameRequest {
  const o = object(v);
  return { studyId: string(o, 'studyId', 100), frame: int(o, 'frame') };
}

export function exportRequest(v: unknown): ExportRequest {
  const o = object(v);
  const formats = o.formats;
  if (!Array.isArray(formats) || formats.length === 0 || !formats.every((f) => FORMATS.includes(f as ExportFormat))) {
    throw bad(`formats must list some of: ${FORMATS.join(', ')}`);
  }
  const t = o.threshold;
  if (typeof t !== 'number' || !(t >= 0 && t <= 1)) throw bad('threshold must be a number between 0 and 1');
  if (typeof o.deidentify !== 'boolean') throw bad('deidentify must be true or false');
  return {
    ...frameRequest(o),
    formats: [...new Set(formats as ExportFormat[])],
    threshold: t,
    deidentify: o.deidentify,
    ...(o.mask !== undefined && o.mask !== null ? { mask: mask(o.mask) } : {}),
  };
}

function mask(v: unknown): Mask {
  const o = object(v, 'mask');
  const width = int(o, 'width', 1), height = int(o, 'height', 1);
  const data = bytes(o, 'data');
  if (data.length !== width * height) throw bad(`mask holds ${data.length} values for ${width}×${height}`);
  return { width, height, data };
}

export function empty(v: unknown): Record<string, never> {
  if (v !== undefined && v !== null) object(v);
  return {};
}

function bad(message: string): SonoError {
  return new SonoError('INVALID_ARGUMENT', `Invalid request: ${message}.`);
}
