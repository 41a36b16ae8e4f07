import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../../fs/package-root';

/**
 * Loads the optional native addon (main/engine/native/onednn_conv.cc, built by `npm run build:native`
 * where oneDNN's headers are installed — Debian: libdnnl-dev). Its absence is normal: the engine then
 * keeps the pure wasm kernels, and says why.
 */
export interface OneDnnAddon {
  conv(
    kind: 0 | 1 | 2,
    a: Float32Array, aShape: number[],
    b: Float32Array, bShape: number[],
    bias: Float32Array | null,
    out: Float32Array, outShape: number[],
    geometry: number[], activation: 0 | 1 | 2, threads: number,
  ): void;
  info(): { version: string; cpuIsa: number; maxThreads: number };
  concatLast(inputs: Float32Array[], widths: number[], out: Float32Array, outer: number, threads: number): void;
  maxPoolGrad2x2(dy: Float32Array, x: Float32Array, y: Float32Array, dx: Float32Array,
    n: number, h: number, w: number, c: number, threads: number): void;
}

export type AddonLoad = { ok: true; addon: OneDnnAddon; file: string } | { ok: false; reason: string };

let cached: AddonLoad | undefined;

export function loadOneDnnAddon(): AddonLoad {
  if (cached) return cached;
  const file = addonPath();
  if (!file) {
    cached = { ok: false, reason: 'native oneDNN kernels not built (npm run build:native needs libdnnl-dev)' };
    return cached;
  }
  // libgomp reads this once, when the addon loads it. Spinning OpenMP threads steal the core from
  // the other engine worker and from the UI; passive waiting costs little at these kernel sizes.
  process.env.OMP_WAIT_POLICY ??= 'PASSIVE';
  try {
    cached = { ok: true, addon: require(file) as OneDnnAddon, file };
  } catch (e) {
    cached = { ok: false, reason: `native oneDNN kernels failed to load: ${String((e as Error).message).split('\n', 1)[0]}` };
  }
  return cached;
}

function addonPath(): string | undefined {
  if (process.env.SONOSEG_NATIVE === '0') return undefined;
  const rel = path.join('main', 'engine', 'native', 'build', 'Release', 'sonoseg_onednn.node');
  const root = packageRoot();
  const candidates = [process.env.SONOSEG_NATIVE_ADDON, path.join(root, rel), path.join(root + '.unpacked', rel)];
  return candidates.find((c): c is string => !!c && fs.existsSync(c));
}
