import type { GrayImage } from '../common/image';
import type { BackendName } from './backend';
import { EnginePool } from './pool';
import { planSizes, type PreprocessPlan } from './preprocess';
import type { TensorBatch } from './protocol';

export interface BenchOptions {
  workers?: number;
  backend?: BackendName;
  inputSize?: number;
  baseFilters?: number;
  depth?: number;
  /** single-image runs for the latency median (≥ 10) */
  latencyRuns?: number;
  /** images per worker in the throughput run */
  batchPerWorker?: number;
  /** images per training step (split across workers) */
  trainBatch?: number;
  trainSteps?: number;
  /** a model folder to load instead of building a fresh U-Net */
  modelDir?: string;
  /** how to prepare and run the images (a model card's plan: mirroring, multi-scale sizes); absent: one plain pass */
  plan?: PreprocessPlan;
}

export interface BenchResult {
  backend: BackendName;
  workers: number;
  threadsPerWorker: number;
  inputSize: number;
  /** the input sides each image was run at, and whether its mirror image was too (the inference figures' passes) */
  sizes: number[];
  flip: boolean;
  baseFilters: number | null;
  depth: number | null;
  params: number;
  inferMsPerImage: number;
  inferImagesPerSecond: number;
  /** null when trainSteps is 0 */
  trainMsPerImage: number | null;
  trainBatch: number;
}

/** Builds (or loads) the model on every worker, warms up, then measures latency, throughput and training. */
export async function runBenchmark(o: BenchOptions = {}): Promise<BenchResult> {
  const size = o.inputSize ?? 256;
  const pool = await EnginePool.start({ workers: o.workers, backend: o.backend });
  try {
    const summary = await pool.loadModel(o.modelDir
      ? { kind: 'dir', dir: o.modelDir }
      : { kind: 'build', config: { inputSize: size, baseFilters: o.baseFilters ?? 16, depth: o.depth ?? 4 } });
    const plan: PreprocessPlan = o.plan ?? { inputSize: summary.inputSize, resize: 'stretch', normalization: 'unit' };
    const image = syntheticFrame(summary.inputSize, summary.inputSize, 1);
    await pool.predict(Array.from({ length: pool.size }, () => image), plan); // warm-up: every worker compiles its kernels
    const latencies: number[] = [];
    for (let i = 0; i < Math.max(10, o.latencyRuns ?? 10); i++) {
      const t = performance.now();
      await pool.predict([image], plan);
      latencies.push(performance.now() - t);
    }
    const nBatch = pool.size * (o.batchPerWorker ?? 4);
    const t0 = performance.now();
    await pool.predict(Array.from({ length: nBatch }, (_, i) => syntheticFrame(summary.inputSize, summary.inputSize, i + 2)), plan);
    const throughput = nBatch / ((performance.now() - t0) / 1000);
    const trainBatch = o.trainBatch ?? 4;
    const steps = o.trainSteps ?? 4;
    const trainMs = steps > 0 ? await measureTraining(pool, summary.inputSize, trainBatch, steps) : null;
    return {
      backend: pool.backend.backend, workers: pool.size, threadsPerWorker: pool.backend.threads,
      inputSize: summary.inputSize, sizes: planSizes(plan), flip: plan.flip === true, baseFilters: o.modelDir ? null : o.baseFilters ?? 16,
      depth: o.modelDir ? null : o.depth ?? 4, params: summary.params,
      inferMsPerImage: round(median(latencies)), inferImagesPerSecond: round(throughput, 2),
      trainMsPerImage: trainMs === null ? null : round(trainMs / trainBatch), trainBatch,
    };
  } finally {
    await pool.dispose();
  }
}

/** Median wall time of one full optimizer step (all workers), after one warm-up step. */
async function measureTraining(pool: EnginePool, size: number, n: number, steps: number): Promise<number> {
  await pool.configureOptimizer({ learningRate: 1e-4 });
  const times: number[] = [];
  for (let i = 0; i <= steps; i++) {
    const batch = syntheticBatch(n, size, i);
    const t = performance.now();
    await pool.trainStep(batch);
    if (i > 0) times.push(performance.now() - t);
  }
  return median(times);
}

/** A speckled disc on a gradient: image-like content (not constant) so no kernel takes a shortcut. */
export function syntheticFrame(width: number, height: number, seed: number): GrayImage {
  const data = new Uint8Array(width * height);
  const rng = mulberry32(seed);
  const cx = width * (0.3 + 0.4 * rng()), cy = height * (0.3 + 0.4 * rng()), r = Math.min(width, height) * 0.15;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = (x - cx) ** 2 + (y - cy) ** 2 < r * r;
      data[y * width + x] = Math.min(255, (inside ? 40 : 90 + (y / height) * 80) + rng() * 60);
    }
  }
  return { width, height, data };
}

function syntheticBatch(n: number, size: number, seed: number): TensorBatch {
  const per = size * size;
  const x = new Float32Array(n * per), y = new Float32Array(n * per);
  for (let i = 0; i < n; i++) {
    const f = syntheticFrame(size, size, seed * 31 + i + 1);
    for (let j = 0; j < per; j++) {
      x[i * per + j] = f.data[j]! / 255;
      y[i * per + j] = f.data[j]! < 100 ? 1 : 0;
    }
  }
  return { n, size, x, y };
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
