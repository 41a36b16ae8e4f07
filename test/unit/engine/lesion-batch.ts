import type { TensorBatch } from '../../../main/engine/protocol';

/** n size×size images: even ones hold a 4×4 lesion (target and a bright square), odd ones are empty. */
export function lesionBatch(n: number, size = 16): TensorBatch {
  const per = size * size, x = new Float32Array(n * per), y = new Float32Array(n * per);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < per; j++) x[i * per + j] = ((j * 7 + i * 13) % 17) / 40;
    if (i % 2 === 1) continue;
    for (let r = 5; r < 9; r++) for (let c = 6; c < 10; c++) { y[i * per + r * size + c] = 1; x[i * per + r * size + c] = 0.9; }
  }
  return { n, size, x, y };
}
