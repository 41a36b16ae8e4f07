/**
 * Typed errors with a stable code. Only `{code, message}` crosses a front door (IPC, HTTP, CLI):
 * never a stack trace. Messages are written for a clinician to read.
 */
export type ErrorCode =
  | 'UNSUPPORTED_FORMAT'
  | 'CORRUPT_FILE'
  | 'NO_PIXEL_DATA'
  | 'NOT_ULTRASOUND'
  | 'TOO_LARGE'
  | 'EMPTY_FILE'
  | 'FILE_NOT_FOUND'
  | 'MODEL_NOT_FOUND'
  | 'MODEL_INVALID'
  | 'DATASET_INVALID'
  | 'INVALID_ARGUMENT'
  | 'CANCELLED'
  | 'WORKER_FAILED'
  | 'IO_ERROR'
  | 'INTERNAL';

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
}

export class SonoError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SonoError';
  }

  toJSON(): ErrorPayload {
    return { code: this.code, message: this.message };
  }
}

export function isSonoError(e: unknown): e is SonoError {
  return e instanceof SonoError;
}

/** The form an error takes when it crosses a front door: a code and a one-line message. */
export function toErrorPayload(e: unknown): ErrorPayload {
  if (isSonoError(e)) return { code: e.code, message: firstLine(e.message) };
  if (isErrorPayload(e)) return { code: e.code, message: firstLine(e.message) };
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'INTERNAL', message: firstLine(message) };
}

/** Rebuilds a SonoError from a payload that came back from a worker or over the bridge. */
export function fromErrorPayload(p: ErrorPayload): SonoError {
  return new SonoError(p.code, p.message);
}

function isErrorPayload(e: unknown): e is ErrorPayload {
  return typeof e === 'object' && e !== null && typeof (e as ErrorPayload).code === 'string' &&
    typeof (e as ErrorPayload).message === 'string';
}

function firstLine(s: string): string {
  const line = s.split('\n', 1)[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
