import { setFloat16 } from '@petamoriken/float16';
import type * as tf from '@tensorflow/tfjs';
import { concatBytes } from '../common/bytes';

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

export function halveWeights(src: WeightsArtifacts): WeightsArtifacts {
  const specs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const spec of src.specs) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const bytes = storedBytes(spec, count);
    const raw = src.data.subarray(offset, offset + bytes);
    offset += bytes;
    if (spec.dtype !== 'float32' || spec.quantization) {
      specs.push(spec);
      parts.push(raw);
      continue;
    }
    const values = new Float32Array(raw.slice().buffer);
    const out = new Uint8Array(count * 2);
    const view = new DataView(out.buffer);
    for (let i = 0; i < count; i++) setFloat16(view, i * 2, values[i]!, true);
    specs.push({ ...spec, quantization: { dtype: 'float16' } });
    parts.push(out);
  }
  if (offset !== src.data.byteLength) {
    throw new Error(`weights hold ${src.data.byteLength} bytes but the manifest describes ${offset}`);
  }
  return { specs, data: concatBytes(parts) };
}

/** Bytes a weight occupies in the weight file, quantized or not. */
export function storedBytes(spec: tf.io.WeightsManifestEntry, count = spec.shape.reduce((a, b) => a * b, 1)): number {
  if (spec.quantization) return count * (spec.quantization.dtype === 'uint8' ? 1 : 2);
  return count * (spec.dtype === 'float32' || spec.dtype === 'int32' ? 4 : 1);
}
