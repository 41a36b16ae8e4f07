import type { Frame, ProbabilityMap } from '../common/image';
import { DEFAULT_CLEANUP, type Cleanup } from '../common/postprocess';
import { SonoError } from '../common/errors';
import type { Segmentation } from '../../preload/api';
import type { EventHub } from './events';
import { LruMap } from './lru';
import type { StudyStore } from './study-store';

/**
 * Runs the model on a frame and keeps the result, so revisiting a frame, re-thresholding or
 * exporting never runs the model again. The map is kept quantised to 0–255: that is what the
 * renderer thresholds, and export thresholds the very same values, so the exported mask equals the
 * one on screen pixel for pixel.
 */
export interface Predictor {
  predict(frame: Frame): Promise<ProbabilityMap>;
  /**
   * the active model id, backend name and the model's threshold and clean-up (its card's, chosen on
   * validation images); modelId null (with the reason) when none is loaded
   */
  current(): { modelId: string | null; backend: string; problem?: SonoError; threshold?: number; cleanup?: Cleanup };
}

export interface SegmentationService {
  segment(studyId: string, frame: number): Promise<Segmentation>;
  /** the kept map as probabilities (value / 255); runs the model if the frame was never segmented */
  probability(studyId: string, frame: number): Promise<{ map: ProbabilityMap; modelId: string; cleanup: Cleanup }>;
}

interface Kept {
  width: number;
  height: number;
  probability: Uint8Array;
  modelId: string;
  backend: string;
  defaultThreshold: number;
  cleanup: Cleanup;
}

export class CachedSegmentation implements SegmentationService {
  private readonly kept: LruMap<Kept>;
  private readonly running = new Map<string, Promise<Kept>>();

  constructor(
    private readonly store: StudyStore,
    private readonly predictor: Predictor,
    private readonly events: EventHub,
    maxMaps = 256,
  ) {
    this.kept = new LruMap<Kept>({ maxEntries: maxMaps, maxBytes: 512 * 1024 ** 2, sizeOf: (k) => k.probability.length });
    store.onDidClose((id) => this.forget(id));
  }

  async segment(studyId: string, frame: number): Promise<Segmentation> {
    const key = this.key(studyId, frame);
    const hit = this.kept.get(key);
    if (hit) return { studyId, frame, ...hit, ms: 0, cached: true };
    const started = performance.now();
    const kept = await this.run(key, studyId, frame);
    return { studyId, frame, ...kept, ms: Math.round(performance.now() - started), cached: false };
  }

  async probability(studyId: string, frame: number): Promise<{ map: ProbabilityMap; modelId: string; cleanup: Cleanup }> {
    const key = this.key(studyId, frame);
    const kept = this.kept.get(key) ?? await this.run(key, studyId, frame);
    const data = new Float32Array(kept.probability.length);
    for (let i = 0; i < data.length; i++) data[i] = kept.probability[i]! / 255;
    return { map: { width: kept.width, height: kept.height, data }, modelId: kept.modelId, cleanup: kept.cleanup };
  }

  /** Identical concurrent requests share one model run. */
  private run(key: string, studyId: string, frame: number): Promise<Kept> {
    const pending = this.running.get(key);
    if (pending) return pending;
    const job = this.predict(studyId, frame).finally(() => this.running.delete(key));
    this.running.set(key, job);
    return job;
  }

  private async predict(studyId: string, index: number): Promise<Kept> {
    const frame = this.store.get(studyId).study.frames[index];
    if (!Number.isInteger(index) || !frame) throw new SonoError('INVALID_ARGUMENT', `Frame ${index} does not exist.`);
    const { modelId, backend, problem, threshold, cleanup } = this.predictor.current();
    if (!modelId) {
      throw problem ?? new SonoError('MODEL_NOT_FOUND', 'No segmentation model is installed. Set SONOSEG_MODEL to a model folder, or add one under resources/models/.');
    }
    this.events.emit('segment.onDidProgress', { studyId, frame: index, state: 'running' });
    const started = performance.now();
    try {
      const map = await this.predictor.predict(frame);
      const kept: Kept = {
        width: map.width, height: map.height, probability: quantize(map.data), modelId, backend,
        defaultThreshold: threshold ?? 0.5, cleanup: cleanup ?? DEFAULT_CLEANUP,
      };
      // Keep only results whose study is still open: a close during the run must not resurrect it.
      if (this.isOpen(studyId)) this.kept.set(this.key(studyId, index, modelId), kept);
      this.events.emit('segment.onDidProgress', { studyId, frame: index, state: 'done', ms: Math.round(performance.now() - started) });
      return kept;
    } catch (e) {
      this.events.emit('segment.onDidProgress', { studyId, frame: index, state: 'failed' });
      throw e;
    }
  }

  /** Results depend on the model, so the active model id is part of the key. */
  private key(studyId: string, frame: number, modelId = this.predictor.current().modelId ?? ''): string {
    return `${studyId}\u0000${frame}\u0000${modelId}`;
  }

  private isOpen(studyId: string): boolean {
    try { this.store.get(studyId); return true; } catch { return false; }
  }

  private forget(studyId: string): void {
    for (const key of this.kept.keys()) if (key.startsWith(`${studyId}\u0000`)) this.kept.delete(key);
  }
}

/** p ∈ [0, 1] → round(255·p): the resolution the viewer and export share. */
export function quantize(p: Float32Array): Uint8Array {
  const out = new Uint8Array(p.length);
  for (let i = 0; i < p.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, p[i]!)) * 255);
  return out;
}
