/**
 * The API contract between the renderer and main: request/response types, channel names and events.
 * Electron IPC (preload/index.ts + main/bridge/ipc.ts) and browser mode (main/bridge/http.ts +
 * renderer/src/lib/http-transport.ts) carry exactly this; nothing else crosses. Errors cross as
 * `{code, message}` only (ErrorPayload), never as stack traces.
 *
 * This file is plain TypeScript with no runtime imports, so the renderer, the preload and main can
 * all import it.
 */
import type { ErrorPayload } from '../main/common/errors';
import type { Calibration, StudyMetadata, StudyKind, Warning } from '../main/common/study';
import type { Mask } from '../main/common/image';
import type { Cleanup } from '../main/common/postprocess';

export type { ErrorPayload };

/** A file the user gave the app: its name and its bytes (the bridge never accepts a path). */
export interface FileUpload {
  name: string;
  bytes: Uint8Array;
}

export interface StudySummary {
  id: string;
  name: string;
  kind: StudyKind;
  frames: number;
  width: number;
  height: number;
  calibration?: Calibration;
  metadata: StudyMetadata;
  warnings: Warning[];
}

/** One frame's display pixels, 8 bits per sample, row-major, interleaved when channels is 3. */
export interface FramePixels {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
}

export interface FrameRequest {
  studyId: string;
  frame: number;
}

export interface Segmentation {
  studyId: string;
  frame: number;
  width: number;
  height: number;
  /** lesion probability quantised to 0–255 (p = value / 255) at the frame's own size */
  probability: Uint8Array;
  modelId: string;
  backend: string;
  /** the model's own threshold (the slider starts there) and clean-up, chosen on validation images */
  defaultThreshold: number;
  cleanup: Cleanup;
  /** model time in milliseconds; 0 when the result came from the cache */
  ms: number;
  cached: boolean;
}

export type ExportFormat = 'mask' | 'probability' | 'overlay' | 'contours' | 'measurements' | 'seg';

export interface ExportRequest {
  studyId: string;
  frame: number;
  formats: ExportFormat[];
  threshold: number;
  /** the edited mask (0/1 per pixel at image size); absent: the thresholded probability */
  mask?: Mask;
  deidentify: boolean;
}

export interface ExportedFile {
  name: string;
  bytes: number;
}

export interface ExportResponse {
  /** identifies this export; browser mode downloads its files by it */
  exportId: string;
  /** the folder the files were written to */
  dir: string;
  files: ExportedFile[];
  lesions: number;
  maskEdited: boolean;
}

export interface EngineInfoResponse {
  backend: string;
  detail: string;
  threads: number;
  workers: number;
  model: { id: string; inputSize: number; resize: string; normalization: string } | null;
}

export interface ModelSummary {
  id: string;
  /** 'shipped' (resources/models) or 'workspace' (trained or imported here) */
  source: 'shipped' | 'workspace';
  inputSize: number | null;
  /** whether the engine has this model loaded now */
  loaded: boolean;
}

/** Every channel: its request and response types. */
export interface ApiChannels {
  'studies.open': { request: FileUpload; response: StudySummary };
  'studies.frame': { request: FrameRequest; response: FramePixels };
  'studies.close': { request: { studyId: string }; response: { closed: boolean } };
  segment: { request: FrameRequest; response: Segmentation };
  export: { request: ExportRequest; response: ExportResponse };
  'engine.info': { request: Record<string, never>; response: EngineInfoResponse };
  'models.list': { request: Record<string, never>; response: ModelSummary[] };
  'models.active': { request: Record<string, never>; response: ModelSummary | null };
}

export type Channel = keyof ApiChannels;
export type RequestOf<C extends Channel> = ApiChannels[C]['request'];
export type ResponseOf<C extends Channel> = ApiChannels[C]['response'];

export const CHANNELS: readonly Channel[] = [
  'studies.open', 'studies.frame', 'studies.close', 'segment', 'export', 'engine.info', 'models.list', 'models.active',
];

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && (CHANNELS as readonly string[]).includes(name);
}

/**
 * Responses that carry one large byte array. Over HTTP that field travels as the raw body and the
 * rest as JSON in a header, so a frame or a probability map is never base64-encoded.
 */
export const BINARY_FIELD: Partial<Record<Channel, string>> = {
  'studies.frame': 'data',
  segment: 'probability',
};

/**
 * Browser mode sends requests as JSON; a byte array inside one (an edited mask) travels as
 * `{"$bytes": "<base64>"}`. Electron IPC needs none of this: structured clone carries Uint8Array.
 */
export const BYTES_KEY = '$bytes';

/** Over HTTP, studies.open sends the file as the raw body and its name, URI-encoded, in this header. */
export const FILE_NAME_HEADER = 'x-sonoseg-file-name';
/** Over HTTP, a binary response carries its other fields as URI-encoded JSON in this header. */
export const META_HEADER = 'x-sonoseg-meta';

/** Events main sends without being asked (Electron: one IPC channel; browser mode: Server-Sent Events). */
export interface ApiEvents {
  /** a segmentation started or finished (long on big models or slow backends) */
  'segment.onDidProgress': { studyId: string; frame: number; state: 'running' | 'done' | 'failed'; ms?: number };
  /** the shell opened a study for the user (File ▸ Open… in Electron) */
  'studies.onDidOpen': StudySummary;
}
export type EventName = keyof ApiEvents;
export const EVENT_NAMES: readonly EventName[] = ['segment.onDidProgress', 'studies.onDidOpen'];

export interface ApiEvent<E extends EventName = EventName> {
  name: E;
  payload: ApiEvents[E];
}

/**
 * Electron IPC: every call goes through one channel as {channel, request}, so main sees the API
 * channel name and refuses unknown ones with a proper {code, message}; events come on another.
 */
export const IPC_INVOKE_CHANNEL = 'sonoseg:invoke';
export const IPC_EVENT_CHANNEL = 'sonoseg:event';

export interface IpcInvokeMessage {
  channel: string;
  request: unknown;
}

/** The object the preload exposes as `window.sonoseg`. */
export interface SonosegApi {
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  /** subscribe to events; returns the unsubscribe function */
  onEvent(listener: (event: ApiEvent) => void): () => void;
}

/** What an IPC handler returns: errors are values, so Electron never wraps them in its own text. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: ErrorPayload };
