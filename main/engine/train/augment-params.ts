import { SonoError } from '../../common/errors';
import { MAX_CARVE_MARGIN, type CarveDraw } from './carve';
import type { Rng } from './rng';

/**
 * Augmentation suited to B-mode ultrasound, drawn on the calling side from the run's seeded RNG so a
 * run is reproducible; the engine workers only apply the drawn numbers (augment-apply.ts).
 * Flips are left–right only: depth runs down the image (near field on top, acoustic shadows below a
 * lesion), so an up–down flip would show the network anatomy no probe produces.
 */
export interface AugmentOptions {
  /** probability of a left–right flip */
  flip: number;
  /** largest rotation, degrees either way */
  rotateDeg: number;
  /** zoom drawn in [1 − scale, 1 + scale] */
  scale: number;
  /** largest shift, as a fraction of the side */
  shift: number;
  /** random crop: the window's side is a fraction in [cropMin, 1] of the image's, placed anywhere */
  cropMin: number;
  /** additive brightness in [−b, b] on the [0, 1] intensity scale */
  brightness: number;
  /** contrast factor in [1 − c, 1 + c] about mid-grey */
  contrast: number;
  /** gamma = exp(u), u in [−g, g] */
  gamma: number;
  /** multiplicative speckle: each pixel × (1 + σ·N(0, 1)), σ drawn in [0, speckle] */
  speckle: number;
  /**
   * probability that an image takes in another training image's lesion with a rim of its tissue
   * (carve.ts); 0 = never, and runs recorded before it existed have none
   */
  carve?: number;
  /**
   * the scanner's overall gain: every grey value × k, k drawn in [1 − g, 1 + g] (clipped at white), before
   * gamma, contrast and brightness; 0 = off, and runs recorded before it existed have none
   */
  gain?: number;
}

export const DEFAULT_AUGMENT: AugmentOptions = {
  flip: 0.5, rotateDeg: 10, scale: 0.1, shift: 0.05, cropMin: 0.8,
  brightness: 0.1, contrast: 0.2, gamma: 0.2, speckle: 0.15, carve: 0, gain: 0,
};

export const NO_AUGMENT: AugmentOptions = {
  flip: 0, rotateDeg: 0, scale: 0, shift: 0, cropMin: 1, brightness: 0, contrast: 0, gamma: 0, speckle: 0, carve: 0, gain: 0,
};

/** The numbers drawn for one training image. */
export interface AugmentParams {
  flip: boolean;
  /** radians */
  angle: number;
  zoom: number;
  cropFraction: number;
  /** where the crop window sits, 0 = left/top edge, 1 = right/bottom edge */
  cropX: number;
  cropY: number;
  /** fractions of the side */
  shiftX: number;
  shiftY: number;
  brightness: number;
  contrast: number;
  gamma: number;
  speckleSigma: number;
  /** seed of the per-pixel speckle noise */
  noiseSeed: number;
  /** a lesion carved in from another image, or null */
  carve: CarveDraw | null;
  /** multiplicative gain on the grey values (1 = none; absent in params drawn before it existed) */
  gain?: number;
}

export const IDENTITY_AUGMENT: AugmentParams = {
  flip: false, angle: 0, zoom: 1, cropFraction: 1, cropX: 0.5, cropY: 0.5, shiftX: 0, shiftY: 0,
  brightness: 0, contrast: 1, gamma: 1, speckleSigma: 0, noiseSeed: 0, carve: null,
};

export function validateAugment(partial: Partial<AugmentOptions>): AugmentOptions {
  const o = { ...DEFAULT_AUGMENT, ...partial };
  const inRange = (k: keyof AugmentOptions, lo: number, hi: number) => {
    const v = o[k];
    if (!(v !== undefined && v >= lo && v <= hi)) throw new SonoError('INVALID_ARGUMENT', `augmentation ${k} must be in [${lo}, ${hi}], got ${v}`);
  };
  inRange('flip', 0, 1); inRange('rotateDeg', 0, 45); inRange('scale', 0, 0.5); inRange('shift', 0, 0.3);
  inRange('cropMin', 0.3, 1); inRange('brightness', 0, 0.5); inRange('contrast', 0, 0.9); inRange('gamma', 0, 1);
  inRange('speckle', 0, 1); inRange('carve', 0, 1); inRange('gain', 0, 0.5);
  return o;
}

/**
 * Draws one image's augmentation; always consumes the same count of numbers for the same options so
 * runs stay in step. Carving draws its three numbers only when it is on, so a run without it draws
 * exactly what runs drew before carving existed; the gain likewise draws its one number last, only when on.
 */
export function drawAugment(rng: Rng, o: AugmentOptions): AugmentParams {
  const sym = (r: number) => rng.uniform(-r, r);
  const carveRate = o.carve ?? 0;
  const base = {
    flip: rng.next() < o.flip,
    angle: (sym(o.rotateDeg) * Math.PI) / 180,
    zoom: 1 + sym(o.scale),
    cropFraction: rng.uniform(o.cropMin, 1),
    cropX: rng.next(),
    cropY: rng.next(),
    shiftX: sym(o.shift),
    shiftY: sym(o.shift),
    brightness: sym(o.brightness),
    contrast: 1 + sym(o.contrast),
    gamma: Math.exp(sym(o.gamma)),
    speckleSigma: rng.uniform(0, o.speckle),
    noiseSeed: rng.nextUint32(),
  };
  let carve: CarveDraw | null = null;
  if (carveRate > 0) {
    const on = rng.next() < carveRate;
    const drawn = { donor: rng.next(), margin: rng.uniform(0, MAX_CARVE_MARGIN) };
    carve = on ? drawn : null;
  }
  const gain = o.gain ?? 0;
  return gain > 0 ? { ...base, carve, gain: 1 + sym(gain) } : { ...base, carve };
}

/**
 * The projective transform tf.image.transform takes, [a0, a1, a2, b0, b1, b2, c0, c1], mapping each
 * output pixel (x, y) of the s×s model input to the source point (a0x + a1y + a2, b0x + b1y + b2).
 * Order from output to source: flip, rotate, zoom, crop window, shift, all about the centre.
 */
export function affineOf(p: AugmentParams, size: number): number[] {
  const c = (size - 1) / 2;
  const k = p.cropFraction / p.zoom;
  const cos = Math.cos(p.angle) * k, sin = Math.sin(p.angle) * k;
  const f = p.flip ? -1 : 1;
  const m00 = cos * f, m01 = -sin, m10 = sin * f, m11 = cos;
  const offX = (p.cropX - 0.5) * (1 - p.cropFraction) * size + p.shiftX * size;
  const offY = (p.cropY - 0.5) * (1 - p.cropFraction) * size + p.shiftY * size;
  const tx = c + offX - (m00 * c + m01 * c);
  const ty = c + offY - (m10 * c + m11 * c);
  return [m00, m01, tx, m10, m11, ty, 0, 0];
}

export function isIdentityGeometry(p: AugmentParams): boolean {
  return !p.flip && p.angle === 0 && p.zoom === 1 && p.cropFraction === 1 && p.shiftX === 0 && p.shiftY === 0;
}
