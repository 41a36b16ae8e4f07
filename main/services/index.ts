import * as path from 'node:path';
import { SonoError, toErrorPayload } from '../common/errors';
import type { Frame, ProbabilityMap } from '../common/image';
import { Engine, type EngineOptions } from '../engine';
import { decode } from '../imaging';
import { createApiHandlers, type ApiHandlers } from './api';
import { EventHub } from './events';
import { WorkspaceExportService, type ExportService } from './export-service';
import { appVersion, defaultLocations, policyOf, type ResolvedModel } from '../models';
import { openModelCatalog, type ModelCatalog } from './model-catalog';
import { CachedSegmentation, type Predictor, type SegmentationService } from './segmentation';
import { MemoryStudyStore, type StudyStore } from './study-store';

/**
 * The one place where services are built and wired. Electron (main/app), browser mode (sonoseg serve)
 * and tests all start here; front doors receive `handlers` and `events` and compute nothing themselves.
 */
export { createApiHandlers, call, type ApiHandlers, type Handler } from './api';
export { EventHub } from './events';
export { openModelCatalog, type ModelCatalog } from './model-catalog';
export type { StudyStore } from './study-store';
export type { SegmentationService, Predictor } from './segmentation';
export type { ExportService } from './export-service';
export { rendererDir } from './paths';

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
  models: ModelCatalog;
  software?: { name: string; version: string };
  maxStudies?: number;
}

export async function createServices(o: ServiceOptions): Promise<Services> {
  const events = new EventHub();
  const predictor = await enginePredictor(o.engine, o.models.chosen);
  const studies = new MemoryStudyStore({ decode: (file) => decode(file), maxStudies: o.maxStudies });
  const segmentation = new CachedSegmentation(studies, predictor, events);
  const exports = new WorkspaceExportService(studies, segmentation, path.join(o.workspace, 'exports'),
    o.software ?? { name: 'SonoSeg', version: 'dev' });
  const handlers = createApiHandlers({
    studies, segmentation, exports, engineInfo: () => o.engine.info(), models: o.models,
  });
  return { handlers, events, studies, segmentation, exports, workspace: o.workspace, dispose: () => o.engine.dispose() };
}

export interface StartOptions {
  workspace?: string;
  engine?: EngineOptions;
  /** a model id or folder chosen on the command line; default: SONOSEG_MODEL, the active model, the shipped one */
  model?: string;
}

/** Starts the engine, finds the model and builds the services: what every front door calls first. */
export async function startServices(o: StartOptions = {}): Promise<Services> {
  const engine = await Engine.start(o.engine ?? {});
  const loc = { ...defaultLocations(), ...(o.workspace ? { home: o.workspace } : {}) };
  try {
    const models = openModelCatalog(loc, o.model);
    return await createServices({ engine, workspace: loc.home, models, software: { name: 'SonoSeg', version: appVersion() } });
  } catch (e) {
    await engine.dispose();
    throw e;
  }
}

/**
 * Loads the model into the engine. A model that fails to load does not stop the app: the viewer still
 * opens images, and segmenting reports why there is no model.
 */
async function enginePredictor(engine: Engine, model: ResolvedModel | null): Promise<Predictor> {
  let problem: SonoError | undefined;
  if (model) {
    try {
      await engine.useModel({ id: model.id, dir: model.dir, plan: model.plan });
    } catch (e) {
      const p = toErrorPayload(e);
      problem = new SonoError(p.code, `The model ${model.id} could not be loaded: ${p.message}`);
    }
  }
  return {
    predict: (frame: Frame): Promise<ProbabilityMap> => engine.predict(frame),
    current: () => {
      const info = engine.info();
      return { modelId: info.model?.id ?? null, backend: info.backend, ...policyOf(model?.card), ...(problem ? { problem } : {}) };
    },
  };
}
