import * as os from 'node:os';
import * as path from 'node:path';
import { SonoError, toErrorPayload } from '../common/errors';
import type { Frame, ProbabilityMap } from '../common/image';
import { Engine, type EngineOptions } from '../engine';
import { decode } from '../imaging';
import { createApiHandlers, type ApiHandlers } from './api';
import { EventHub } from './events';
import { WorkspaceExportService, type ExportService } from './export-service';
import { findModel, type ModelChoice } from './model-source';
import { appVersion, resourcesDir } from './paths';
import { CachedSegmentation, type Predictor, type SegmentationService } from './segmentation';
import { MemoryStudyStore, type StudyStore } from './study-store';

/**
 * The one place where services are built and wired. Electron (main/app), browser mode (sonoseg serve)
 * and tests all start here; front doors receive `handlers` and `events` and compute nothing themselves.
 */
export { createApiHandlers, call, type ApiHandlers, type Handler } from './api';
export { EventHub } from './events';
export { findModel, type ModelChoice } from './model-source';
export type { StudyStore } from './study-store';
export type { SegmentationService, Predictor } from './segmentation';
export type { ExportService } from './export-service';
export { rendererDir, resourcesDir, appVersion, packageRoot } from './paths';

export interface Services {
  handlers: ApiHandlers;
  events: EventHub;
  studies: StudyStore;
  segmentation: SegmentationService;
  exports: ExportService;
  workspace: string;
  dispose(): Promise<void>;
}

export interface ServiceOptions {
  engine: Engine;
  /** SONOSEG_HOME; exports are written under <workspace>/exports */
  workspace: string;
  model: ModelChoice | null;
  software?: { name: string; version: string };
  maxStudies?: number;
}

export async function createServices(o: ServiceOptions): Promise<Services> {
  const events = new EventHub();
  const predictor = await enginePredictor(o.engine, o.model);
  const studies = new MemoryStudyStore({ decode: (file) => decode(file), maxStudies: o.maxStudies });
  const segmentation = new CachedSegmentation(studies, predictor, events);
  const exports = new WorkspaceExportService(studies, segmentation, path.join(o.workspace, 'exports'),
    o.software ?? { name: 'SonoSeg', version: 'dev' });
  const handlers = createApiHandlers({
    studies, segmentation, exports, engineInfo: () => o.engine.info(), model: () => (predictor.current().modelId ? o.model : null),
  });
  return { handlers, events, studies, segmentation, exports, workspace: o.workspace, dispose: () => o.engine.dispose() };
}

export interface StartOptions {
  workspace?: string;
  engine?: EngineOptions;
  /** a model folder chosen on the command line; default: SONOSEG_MODEL, then resources/models */
  modelDir?: string;
}

/** Starts the engine, finds the model and builds the services: what every front door calls first. */
export async function startServices(o: StartOptions = {}): Promise<Services> {
  const engine = await Engine.start(o.engine ?? {});
  const model = o.modelDir ? findModel({ SONOSEG_MODEL: o.modelDir }, resourcesDir()) : findModel(process.env, resourcesDir());
  return createServices({ engine, workspace: o.workspace ?? defaultWorkspace(), model, software: { name: 'SonoSeg', version: appVersion() } });
}

export function defaultWorkspace(): string {
  return path.resolve(process.env.SONOSEG_HOME || path.join(os.homedir(), '.sonoseg'));
}

/**
 * Loads the model into the engine. A model that fails to load does not stop the app: the viewer still
 * opens images, and segmenting reports why there is no model.
 */
async function enginePredictor(engine: Engine, model: ModelChoice | null): Promise<Predictor> {
  let problem: SonoError | undefined;
  if (model) {
    try {
      await engine.useModel({ id: model.id, dir: model.dir, ...(model.plan ? { plan: model.plan } : {}) });
    } catch (e) {
      const p = toErrorPayload(e);
      problem = new SonoError(p.code, `The model ${model.id} could not be loaded: ${p.message}`);
    }
  }
  return {
    predict: (frame: Frame): Promise<ProbabilityMap> => engine.predict(frame),
    current: () => {
      const info = engine.info();
      return { modelId: info.model?.id ?? null, backend: info.backend, ...(problem ? { problem } : {}) };
    },
  };
}
