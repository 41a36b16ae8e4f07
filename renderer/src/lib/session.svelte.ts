import { DEFAULT_CLEANUP, measureLesions, predictedMask, type Lesion, type Mask, type ProbabilityMap } from '../../../main/common';
import type {
  EngineInfoResponse, ErrorPayload, ExportFormat, ExportResponse, FramePixels, Segmentation, StudySummary,
} from '../../../preload/api';
import type { Transport } from './bridge';

/**
 * Everything the viewer shows, in one reactive class. The probability map is kept (as $state.raw:
 * big, replaced whole, never mutated) and thresholded here, so the slider never re-runs the model.
 * The mask is its own state: a user edit (the brush, later) replaces it through editMask() and
 * survives threshold changes until resetEdits().
 */
export type Phase = 'empty' | 'opening' | 'segmenting' | 'ready';

export class Session {
  study = $state.raw<StudySummary | null>(null);
  frameIndex = $state(0);
  pixels = $state.raw<FramePixels | null>(null);
  probability = $state.raw<ProbabilityMap | null>(null);
  segmentation = $state.raw<Omit<Segmentation, 'probability'> | null>(null);
  threshold = $state(0.5);
  editedMask = $state.raw<Mask | null>(null);
  phase = $state<Phase>('empty');
  error = $state.raw<ErrorPayload | null>(null);
  engine = $state.raw<EngineInfoResponse | null>(null);
  lastExport = $state.raw<ExportResponse | null>(null);
  exporting = $state(false);

  /** the mask on screen: the user's edit, else the kept probability at the slider's threshold, cleaned as everywhere else */
  readonly mask: Mask | null = $derived(this.editedMask ??
    (this.probability ? predictedMask(this.probability, this.threshold, this.segmentation?.cleanup ?? DEFAULT_CLEANUP) : null));
  readonly lesions: Lesion[] = $derived(this.mask ? measureLesions(this.mask, this.probability, this.study?.calibration ?? null) : []);

  /** increases with every frame request, so a slow answer for an earlier frame is dropped */
  #generation = 0;
  /** the model whose threshold the slider was last set to; a new model moves the slider to its own */
  #thresholdFrom: string | null = null;

  constructor(readonly transport: Transport) {
    transport.onEvent((e) => {
      if (e.name === 'studies.onDidOpen') void this.#show(e.payload as StudySummary);
    });
    void this.refreshEngine();
  }

  async refreshEngine(): Promise<void> {
    try {
      this.engine = await this.transport.invoke('engine.info', {});
    } catch (e) {
      this.error = asError(e);
    }
  }

  async open(file: File): Promise<void> {
    this.error = null;
    this.phase = 'opening';
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const summary = await this.transport.invoke('studies.open', { name: file.name, bytes });
      const previous = this.study;
      await this.#show(summary);
      if (previous) void this.transport.invoke('studies.close', { studyId: previous.id }).catch(() => undefined);
    } catch (e) {
      this.error = asError(e);
      this.phase = this.study ? 'ready' : 'empty';
    }
  }

  async #show(summary: StudySummary): Promise<void> {
    // The previous study's frame and outline go at once: they must never show under the new study's name.
    // (showFrame below starts a new generation, so a late answer for the old study is dropped.)
    this.pixels = null;
    this.probability = null;
    this.editedMask = null;
    this.segmentation = null;
    this.study = summary;
    this.lastExport = null;
    await this.showFrame(0);
  }

  /** Shows a frame at once, then segments it (the service caches, so revisiting is instant). */
  async showFrame(index: number): Promise<void> {
    const study = this.study;
    if (!study) return;
    const generation = ++this.#generation;
    this.frameIndex = index;
    this.error = null;
    try {
      const pixels = await this.transport.invoke('studies.frame', { studyId: study.id, frame: index });
      if (generation !== this.#generation) return;
      this.pixels = pixels;
      this.probability = null;
      this.editedMask = null;
      this.segmentation = null;
      this.phase = 'segmenting';
      const result = await this.transport.invoke('segment', { studyId: study.id, frame: index });
      if (generation !== this.#generation) return;
      const { probability, ...rest } = result;
      if (rest.modelId !== this.#thresholdFrom) {
        this.threshold = rest.defaultThreshold;
        this.#thresholdFrom = rest.modelId;
      }
      this.probability = toProbability(result.width, result.height, probability);
      this.segmentation = rest;
      if (!this.engine?.model) void this.refreshEngine();
    } catch (e) {
      if (generation === this.#generation) this.error = asError(e);
    } finally {
      if (generation === this.#generation) this.phase = 'ready';
    }
  }

  /** The one way the mask changes by hand (the brush will call this). */
  editMask(mask: Mask): void {
    this.editedMask = mask;
  }

  resetEdits(): void {
    this.editedMask = null;
  }

  async exportFiles(formats: ExportFormat[], deidentify: boolean): Promise<void> {
    const study = this.study;
    if (!study || !this.probability) return;
    this.exporting = true;
    this.error = null;
    try {
      this.lastExport = await this.transport.invoke('export', {
        studyId: study.id, frame: this.frameIndex, formats, threshold: this.threshold, deidentify,
        ...(this.editedMask ? { mask: this.editedMask } : {}),
      });
    } catch (e) {
      this.error = asError(e);
    } finally {
      this.exporting = false;
    }
  }
}

/** The same p = value / 255 the export service uses, so both threshold identical numbers. */
function toProbability(width: number, height: number, bytes: Uint8Array): ProbabilityMap {
  const data = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) data[i] = bytes[i]! / 255;
  return { width, height, data };
}

function asError(e: unknown): ErrorPayload {
  if (typeof e === 'object' && e !== null && 'code' in e && 'message' in e) {
    return { code: String((e as ErrorPayload).code), message: String((e as ErrorPayload).message) } as ErrorPayload;
  }
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}
