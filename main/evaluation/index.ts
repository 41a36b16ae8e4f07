/** main/evaluation: scoring predictions with common/accumulator.ts and the HTML report. */
export { evaluateImages, type EvalImage, type EvalOptions, type EvalOutcome, type ImageOutcome, type Predictor } from './evaluate';
export { evaluateModelDir, calibrateModelDir, calibrateOutOfFold, type CalibrationFold, type DatasetEvalOptions } from './evaluate-dataset';
export { calibrate, chooseSetting, collectFacts, describeObjective, scoreSetting, DEFAULT_GRID, type Calibration, type CalibrationFacts, type CalibrationGrid, type CalibrationObjective, type SettingScore } from './calibrate';
export { tradeoffOf, type TradeoffPoint } from './tradeoff';
export { DEFAULT_CLEANUP, predictedMask, validateThreshold, type Cleanup } from '../common/postprocess';
export { evalJson, metricSet, BUSI_CLASS_NAMES, type EvalJson, type MetricSet } from './summary';
export { bootstrapIntervals, type Interval, type Intervals } from './bootstrap';
export { wilsonInterval } from './binomial';
export { writeReport, type WriteReportInput } from './report/write-report';
