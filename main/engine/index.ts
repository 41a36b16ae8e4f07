/** Public face of the engine: start it, give it a model, predict; the pool is there for training. */
export { Engine, type EngineInfo, type EngineModel, type EngineOptions } from './engine';
export { BACKENDS, type BackendInfo, type BackendName } from './backend';
export { EnginePool, type ModelSource } from './pool';
export { buildUNet, validateUNetConfig, DEFAULT_UNET, type UNetConfig } from './unet';
export { loadModel, saveModel } from './model-io';
export type { PreprocessPlan } from './preprocess';
export { median, round, runBenchmark, type BenchOptions, type BenchResult } from './bench';
