import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { SonoError } from '../common/errors';
import { concatBytes } from '../common/bytes';
import { modelInputSize } from './unet';
import { writeAtomic } from '../fs/atomic';
import { halveWeights, storedBytes } from './half-weights';
import { ensembleFiles } from './ensemble-topology';

/**
 * Reads and writes the tfjs LayersModel format (model.json + weights.bin) on disk without
 * @tensorflow/tfjs-node, whose file:// handler is not available on the wasm and cpu backends.
 * Every failure to load is a typed MODEL_NOT_FOUND or MODEL_INVALID error, never a crash.
 */
export const MODEL_JSON = 'model.json';
const WEIGHTS_FILE = 'weights.bin';

export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const weightData = tf.io.CompositeArrayBuffer.join(artifacts.weightData);
    writeModelFiles(dir, artifacts.modelTopology as object, artifacts.weightSpecs ?? [], new Uint8Array(weightData), {
      generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    });
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  }));
}

/**
 * Writes a copy of the model in `srcDir` to `dstDir` with its float32 weights stored as float16, and
 * with `maxBytes` its largest weights as 8-bit if that is what it takes to fit (half-weights.ts); it
 * loads like any tfjs model. Returns the two weight sizes and the weights stored as 8-bit.
 */
export function saveHalfPrecisionCopy(srcDir: string, dstDir: string, o: { maxBytes?: number } = {}): { bytesBefore: number; bytesAfter: number; uint8: string[] } {
  const src = readArtifacts(srcDir);
  const half = halveWeights({ specs: src.weightSpecs!, data: new Uint8Array(src.weightData as ArrayBuffer) }, o);
  fs.mkdirSync(dstDir, { recursive: true });
  writeModelFiles(dstDir, src.modelTopology as object, half.specs, half.data, {
    generatedBy: src.generatedBy, convertedBy: half.uint8.length ? 'SonoSeg float16 + 8-bit weights' : 'SonoSeg float16 weights',
  });
  return { bytesBefore: (src.weightData as ArrayBuffer).byteLength, bytesAfter: half.data.byteLength, uint8: half.uint8 };
}

/**
 * Writes to `dstDir` one model that averages the probability maps of the models in `memberDirs`
 * (ensemble-topology.ts). Returns the weight bytes written.
 */
export function saveEnsembleOf(memberDirs: string[], dstDir: string): { bytes: number } {
  const members = memberDirs.map((dir) => {
    const a = readArtifacts(dir);
    return { topology: a.modelTopology as object, specs: a.weightSpecs!, data: new Uint8Array(a.weightData as ArrayBuffer) };
  });
  const out = ensembleFiles(members);
  fs.mkdirSync(dstDir, { recursive: true });
  writeModelFiles(dstDir, out.topology, out.specs, out.data, { generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`, convertedBy: 'SonoSeg ensemble' });
  return { bytes: out.data.byteLength };
}

function writeModelFiles(dir: string, topology: object, specs: tf.io.WeightsManifestEntry[], data: Uint8Array,
  about: { generatedBy?: string; convertedBy?: string | null }): void {
  const modelJson = {
    format: 'layers-model',
    generatedBy: about.generatedBy ?? null,
    convertedBy: about.convertedBy ?? null,
    modelTopology: topology,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: specs }],
  };
  writeAtomic(path.join(dir, WEIGHTS_FILE), data);
  writeAtomic(path.join(dir, MODEL_JSON), JSON.stringify(modelJson));
}

/** Loads model.json and its weight shards from `dir`, checking that it maps a 1-channel image to a 1-channel map. */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  const artifacts = readArtifacts(dir);
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (e) {
    throw new SonoError('MODEL_INVALID', `model in ${dir} does not load: ${(e as Error).message}`, { cause: e });
  }
  try {
    modelInputSize(model);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}

/** model.json and its weights from `dir`: MODEL_NOT_FOUND without model.json, MODEL_INVALID when damaged. */
function readArtifacts(dir: string): tf.io.ModelArtifacts {
  const jsonPath = path.join(dir, MODEL_JSON);
  if (!fs.existsSync(jsonPath)) throw new SonoError('MODEL_NOT_FOUND', `no ${MODEL_JSON} in ${dir}`);
  let json: { modelTopology?: unknown; weightsManifest?: tf.io.WeightsManifestConfig; format?: string; generatedBy?: string };
  try {
    json = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
  } catch (e) {
    throw new SonoError('MODEL_INVALID', `${MODEL_JSON} in ${dir} is not valid JSON`, { cause: e });
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new SonoError('MODEL_INVALID', `${MODEL_JSON} in ${dir} is not a tfjs LayersModel (no topology or weights manifest)`);
  }
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    weightSpecs.push(...group.weights);
    for (const p of group.paths) buffers.push(readShard(dir, p));
  }
  const weightData = concatBytes(buffers);
  const expected = weightSpecs.reduce((sum, w) => sum + storedBytes(w), 0);
  if (weightData.byteLength !== expected) {
    throw new SonoError('MODEL_INVALID',
      `weights in ${dir} hold ${weightData.byteLength} bytes but the manifest needs ${expected}: corrupt or truncated`);
  }
  return {
    modelTopology: json.modelTopology as object, weightSpecs, weightData: weightData.buffer as ArrayBuffer,
    format: json.format, generatedBy: json.generatedBy,
  };
}

function readShard(dir: string, rel: string): Uint8Array {
  const file = path.resolve(dir, rel);
  if (path.relative(dir, file).startsWith('..')) throw new SonoError('MODEL_INVALID', `weight path ${rel} leaves the model folder`);
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new SonoError('MODEL_INVALID', `weight file ${rel} of the model in ${dir} is missing or unreadable`, { cause: e });
  }
}
