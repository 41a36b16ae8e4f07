import { SonoError } from '../common/errors';

/** Caller-tunable guards against files that would exhaust memory. */
export interface DecodeOptions {
  /** largest accepted frame; default 8192×8192 */
  maxPixels?: { width: number; height: number };
  /** most frames accepted in one study; default 2000 */
  maxFrames?: number;
}

export interface Limits {
  maxWidth: number;
  maxHeight: number;
  maxFrames: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = { maxWidth: 8192, maxHeight: 8192, maxFrames: 2000 };

/** Fills in defaults and refuses nonsense limits (they would silently accept everything). */
export function resolveLimits(options?: DecodeOptions): Limits {
  const limits: Limits = {
    maxWidth: options?.maxPixels?.width ?? DEFAULT_LIMITS.maxWidth,
    maxHeight: options?.maxPixels?.height ?? DEFAULT_LIMITS.maxHeight,
    maxFrames: options?.maxFrames ?? DEFAULT_LIMITS.maxFrames,
  };
  for (const [k, v] of Object.entries(limits)) {
    if (!Number.isInteger(v) || v < 1) throw new SonoError('INVALID_ARGUMENT', `Decode limit ${k} must be a positive integer.`);
  }
  return limits;
}

/**
 * Checks declared dimensions before any pixel buffer is allocated, so a header that claims
 * 65535×65535×10000 fails at once instead of exhausting memory.
 */
export function checkDimensions(width: number, height: number, frames: number, limits: Limits): void {
  if (!(width >= 1 && height >= 1 && frames >= 1) || ![width, height, frames].every(Number.isInteger)) {
    throw new SonoError('CORRUPT_FILE', `The file declares an invalid image size (${width}×${height}, ${frames} frame(s)).`);
  }
  if (width > limits.maxWidth || height > limits.maxHeight) {
    throw new SonoError('TOO_LARGE', `The image is ${width}×${height} pixels; the limit is ${limits.maxWidth}×${limits.maxHeight}.`);
  }
  if (frames > limits.maxFrames) {
    throw new SonoError('TOO_LARGE', `The file holds ${frames} frames; the limit is ${limits.maxFrames}.`);
  }
}
