import type { Lesion, Mask } from '../../../main/common';
import type { FramePixels } from '../../../preload/api';

/** Canvas painting of the frame, the mask overlay and the outlines; pure functions of their inputs. */

export function frameImage(p: FramePixels): ImageData {
  const out = new ImageData(p.width, p.height);
  const d = out.data, s = p.data;
  const n = p.width * p.height;
  if (p.channels === 1) {
    for (let i = 0, j = 0; i < n; i++, j += 4) { d[j] = d[j + 1] = d[j + 2] = s[i]!; d[j + 3] = 255; }
  } else {
    for (let i = 0, j = 0, k = 0; i < n; i++, j += 4, k += 3) { d[j] = s[k]!; d[j + 1] = s[k + 1]!; d[j + 2] = s[k + 2]!; d[j + 3] = 255; }
  }
  return out;
}

/** Lesion pixels tinted, everything else transparent. */
export function maskImage(mask: Mask, rgba: readonly [number, number, number, number]): ImageData {
  const out = new ImageData(mask.width, mask.height);
  const d = out.data;
  for (let i = 0, j = 0; i < mask.data.length; i++, j += 4) {
    if (mask.data[i] === 0) continue;
    d[j] = rgba[0]; d[j + 1] = rgba[1]; d[j + 2] = rgba[2]; d[j + 3] = rgba[3];
  }
  return out;
}

/**
 * Outlines and, for the largest lesion, its two diameters. `scale` is canvas pixels per CSS pixel,
 * so lines stay ~2 px wide on screen whatever the image size.
 */
export function drawOutlines(ctx: CanvasRenderingContext2D, lesions: readonly Lesion[], scale: number): void {
  ctx.lineJoin = 'round';
  ctx.lineWidth = 2 * scale;
  ctx.strokeStyle = '#ffd400';
  for (const lesion of lesions) {
    const c = lesion.contour;
    if (c.length < 2) continue;
    ctx.beginPath();
    // Contour points use pixel-centre coordinates; canvas pixel i spans [i, i+1), hence +0.5.
    ctx.moveTo(c[0]!.x + 0.5, c[0]!.y + 0.5);
    for (let i = 1; i < c.length; i++) ctx.lineTo(c[i]!.x + 0.5, c[i]!.y + 0.5);
    ctx.closePath();
    ctx.stroke();
  }
  const main = lesions[0];
  if (!main) return;
  ctx.setLineDash([6 * scale, 4 * scale]);
  ctx.lineWidth = 1.5 * scale;
  ctx.strokeStyle = '#35d0ff';
  for (const d of [main.longestDiameter, main.perpendicularDiameter]) {
    ctx.beginPath();
    ctx.moveTo(d.from.x + 0.5, d.from.y + 0.5);
    ctx.lineTo(d.to.x + 0.5, d.to.y + 0.5);
    ctx.stroke();
  }
  ctx.setLineDash([]);
}
