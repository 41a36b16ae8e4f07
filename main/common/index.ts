/**
 * The public face of main/common: pure, environment-free code (no Node, no tfjs, no I/O) shared by
 * main, the workers and the renderer. Import from here, not from the files behind it.
 */
export * from './errors';
export * from './image';
export * from './study';

export type { Point } from './geometry';
export { signedArea, closedLength, convexHull, removeCollinear } from './geometry';
export { connectedComponents, labelsBySize, type Components, type Box } from './components';
export { threshold, cleanMask, fillHoles, countLesions, maskArea, isEmptyMask, type CleanOptions } from './mask';
export { traceContours, traceComponent, type ComponentContour, type TraceOptions } from './contour';
export { longestChord, perpendicularExtent, type Chord } from './diameters';
export { measureLesions, type Lesion, type Diameter, type MeasureOptions } from './measure';
export {
  confusionOf, addConfusion, emptyConfusion, dice, iou, diceOf, iouOf, ratesOf,
  type Confusion, type Rates,
} from './metrics';
export { ScoreHistogram, trapezoidArea, type RocPoint } from './roc';
export {
  MetricAccumulator, type EvalSample, type ImageResult, type Summary, type EvaluationReport,
} from './accumulator';
export { resizeBilinear, resizeNearest } from './resize';
export { DEFAULT_CLEANUP, predictedMask, cleanOptionsFor, validateThreshold, validateCleanup, dropUnsure, type Cleanup } from './postprocess';
