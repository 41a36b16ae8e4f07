import { setFloat16 } from '@petamoriken/float16';
import type * as tf from '@tensorflow/tfjs';
import { concatBytes } from '../common/bytes';
import { SonoError } from '../common/errors';

/**
 * Half-precision weight storage in the tfjs format itself: each float32 weight is written as IEEE
 * binary16 (round to nearest even) and marked `quantization: {dtype: 'float16'}`, which tfjs's
 * decodeWeights turns back into float32 on load — so a halved model loads everywhere a tfjs model
 * does, at half the bytes. A weight's relative error is at most 2^-11 (≈ 4.9e-4); values below
 * 6.1e-5 in size lose relative precision (binary16 subnormals) and below 3e-8 become zero.
 */
export interface WeightsArtifacts {
  specs: tf.io.WeightsManifestEntry[];
  data: Uint8Array;
}

export interface HalvedWeights extends WeightsArtifacts {
  /** weights stored as 8-bit because float16 alone was over `maxBytes`, largest first */
  uint8: string[];
}

/**
 * Stores every float32 weight as float16. With `maxBytes`, when that is still too big, the largest
 * weights are stored as 8-bit instead, the tfjs affine form (`quantization: {dtype: 'uint8', min,
 * scale}`, value = q × scale + min, one range per weight tensor), largest first and only as many as
 * needed to fit: an 8-bit weight is within (max − min) / 510 of the original. The largest tensors are
 * the deep 1×1 convolutions, where one tensor's range is narrow; the small ones (biases, normalisation,
 * depthwise kernels) keep float16. Fails when even all-8-bit weights would not fit.
 */
export function halveWeights(src: WeightsArtifacts, o: { maxBytes?: number } = {}): HalvedWeights {
  const weights = readFloatWeights(src);
  const uint8 = chooseUint8(weights, o.maxBytes);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  for (const [i, w] of weights.entries()) {
    if (!w.values) {
      specs.push(w.spec);
      parts.push(w.raw);
    } else if (uint8.has(i)) {
      const q = toUint8(w.values);
      specs.push({ ...w.spec, quantization: { dtype: 'uint8', min: q.min, scale: q.scale } });
      parts.push(q.data);
    } else {
      specs.push({ ...w.spec, quantization: { dtype: 'float16' } });
      parts.push(toFloat16(w.values));
    }
  }
  return { specs, data: concatBytes(parts), uint8: [...uint8].map((i) => weights[i]!.spec.name) };
}

interface StoredWeight {
  spec: tf.io.WeightsManifestEntry;
  raw: Uint8Array;
  /** the values of a plain float32 weight; null for weights stored otherwise, which pass through */
  values: Float32Array | null;
}

function readFloatWeights(src: WeightsArtifacts): StoredWeight[] {
  const out: StoredWeight[] = [];
  let offset = 0;
  for (const spec of src.specs) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const bytes = storedBytes(spec, count);
    const raw = src.data.subarray(offset, offset + bytes);
    offset += bytes;
    const plain = spec.dtype === 'float32' && !spec.quantization;
    out.push({ spec, raw, values: plain ? new Float32Array(raw.slice().buffer) : null });
  }
  if (offset !== src.data.byteLength) {
    throw new Error(`weights hold ${src.data.byteLength} bytes but the manifest describes ${offset}`);
  }
  return out;
}

/** The indices of the largest float weights to store as 8-bit so the total fits `maxBytes`, largest first. */
function chooseUint8(weights: StoredWeight[], maxBytes: number | undefined): Set<number> {
  const chosen = new Set<number>();
  let total = weights.reduce((sum, w) => sum + (w.values ? w.values.length * 2 : w.raw.byteLength), 0);
  if (maxBytes === undefined || total <= maxBytes) return chosen;
  const largestFirst = [...weights.keys()].filter((i) => weights[i]!.values).sort((a, b) => weights[b]!.values!.length - weights[a]!.values!.length);
  for (const i of largestFirst) {
    if (total <= maxBytes) break;
    chosen.add(i);
    total -= weights[i]!.values!.length;
  }
  if (total > maxBytes) {
    throw new SonoError('INVALID_ARGUMENT', `the weights need at least ${total} bytes even at 8 bits, over the ${maxBytes} allowed`);
  }
  return chosen;
}

function toFloat16(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) setFloat16(view, i * 2, values[i]!, true);
  return out;
}

/** Affine 8-bit codes spanning the tensor's own range; a constant tensor gets scale 1 and code 0. */
function toUint8(values: Float32Array): { data: Uint8Array; min: number; scale: number } {
  let min = Infinity, max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const scale = max > min ? (max - min) / 255 : 1;
  const data = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) data[i] = Math.min(255, Math.max(0, Math.round((values[i]! - min) / scale)));
  return { data, min, scale };
}

/** Bytes a weight occupies in the weight file, quantized or not. */
export function storedBytes(spec: tf.io.WeightsManifestEntry, count = spec.shape.reduce((a, b) => a * b, 1)): number {
  if (spec.quantization) return count * (spec.quantization.dtype === 'uint8' ? 1 : 2);
  return count * (spec.dtype === 'float32' || spec.dtype === 'int32' ? 4 : 1);
}
