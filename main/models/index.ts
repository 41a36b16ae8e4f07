/** main/models: the public face of the model registry (cards, activate, rollback, import, training service). */
export { ModelRegistry, modelFiles, type ModelEntry, type ResolvedModel } from './registry';
export { resolveModel } from './resolve';
export { readCard, newModelId, policyOf, CARD_FILE, type ModelCard, type CardMetrics, type CardTraining, type CardPostprocess, type CardWeights, type CardEnsemble } from './card';
export { calibratedPlan, calibrateCard, calibrateCardOutOfFold, outOfFoldFolds, type CalibratedCard } from './calibrate-model';
export { importModel, type ImportOptions } from './import';
export { halveModel, type HalvedModel } from './half-model';
export { ensembleModels, type EnsembledModel } from './ensemble-model';
export { trainModel, type TrainRequest, type TrainModelOutcome } from './train-model';
export { defaultLocations, workspaceHome, resourcesDir, appVersion, type Locations } from './workspace';
