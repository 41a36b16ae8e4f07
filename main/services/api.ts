import type { EngineInfo } from '../engine';
import type { Channel, EngineInfoResponse, ModelSummary, RequestOf, ResponseOf } from '../../preload/api';
import type { ExportService } from './export-service';
import type { ModelEntry } from '../models';
import type { ModelCatalog } from './model-catalog';
import type { SegmentationService } from './segmentation';
import { summarize, type StudyStore } from './study-store';
import * as v from './validate';

/**
 * The API contract bound to the services: one handler per channel, each validating its request.
 * Both front doors (ipc.ts, http.ts) call these and nothing else, so they cannot drift apart.
 */
export type Handler<C extends Channel> = (request: unknown) => Promise<ResponseOf<C>>;
export type ApiHandlers = { [C in Channel]: Handler<C> };

export interface ApiDependencies {
  studies: StudyStore;
  segmentation: SegmentationService;
  exports: ExportService;
  engineInfo: () => EngineInfo | null;
  models: ModelCatalog;
}

export function createApiHandlers(d: ApiDependencies): ApiHandlers {
  return {
    'studies.open': async (r) => summarize(await d.studies.open(v.fileUpload(r))),
    'studies.frame': async (r) => { const q = v.frameRequest(r); return d.studies.frame(q.studyId, q.frame); },
    'studies.close': async (r) => ({ closed: d.studies.close(v.string(v.object(r), 'studyId', 100)) }),
    segment: async (r) => { const q = v.frameRequest(r); return d.segmentation.segment(q.studyId, q.frame); },
    export: async (r) => d.exports.export(v.exportRequest(r)),
    'engine.info': async (r) => { v.empty(r); return engineInfo(d.engineInfo()); },
    'models.list': async (r) => { v.empty(r); return d.models.list().map((m) => modelSummary(m, d)); },
    'models.active': async (r) => { v.empty(r); return activeModel(d); },
  };
}

/** Calls a channel's handler with a typed request (for tests and in-process callers). */
export function call<C extends Channel>(handlers: ApiHandlers, channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  return (handlers[channel] as Handler<C>)(request);
}

function engineInfo(info: EngineInfo | null): EngineInfoResponse {
  if (!info) return { backend: 'starting', detail: 'the engine is starting', threads: 0, workers: 0, model: null };
  const m = info.model;
  return {
    backend: info.backend,
    detail: info.detail,
    threads: info.threads,
    workers: info.workers,
    model: m ? { id: m.id, inputSize: m.inputSize, resize: m.plan.resize, normalization: m.plan.normalization } : null,
  };
}

/** The model the engine has loaded (null before one loads or when none exists). */
function activeModel(d: ApiDependencies): ModelSummary | null {
  const loaded = d.engineInfo()?.model;
  const m = d.models.chosen;
  if (!m || !loaded || loaded.id !== m.id) return null;
  return { id: m.id, source: m.shipped ? 'shipped' : 'workspace', inputSize: loaded.inputSize, loaded: true };
}

function modelSummary(m: ModelEntry, d: ApiDependencies): ModelSummary {
  const loaded = d.engineInfo()?.model?.id === m.id;
  return { id: m.id, source: m.shipped ? 'shipped' : 'workspace', inputSize: m.card.architecture.inputSize, loaded };
}
