import sharp from 'sharp';
import type { Frame, Mask, ProbabilityMap } from '../common/image';

/** Mask as an 8-bit grey PNG, lesion 255 and background 0, at the frame's own size. */
export async function maskPng(mask: Mask): Promise<Uint8Array> {
  const px = new Uint8Array(mask.data.length);
  for (let i = 0; i < px.length; i++) px[i] = mask.data[i] !== 0 ? 255 : 0;
  return encode(px, mask.width, mask.height, 1);
}

/** Probability as an 8-bit grey PNG: value = round(p × 255), p clamped to [0, 1]. */
export async function probabilityPng(prob: ProbabilityMap): Promise<Uint8Array> {
  const px = new Uint8Array(prob.data.length);
  for (let i = 0; i < px.length; i++) {
    const p = prob.data[i]!;
    px[i] = Number.isNaN(p) ? 0 : Math.round(Math.min(1, Math.max(0, p)) * 255);
  }
  return encode(px, prob.width, prob.height, 1);
}

export async function framePng(frame: Frame): Promise<Uint8Array> {
  return encode(frame.data, frame.width, frame.height, frame.channels);
}

async function encode(px: Uint8Array, width: number, height: number, channels: 1 | 3): Promise<Uint8Array> {
  let img = sharp(Buffer.from(px.buffer, px.byteOffset, px.byteLength), { raw: { width, height, channels } });
  // libvips tags raw input as sRGB and would write an RGB PNG; 'b-w' keeps one 8-bit grey channel
  if (channels === 1) img = img.toColourspace('b-w');
  const buf = await img.png({ compressionLevel: 6 }).toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
