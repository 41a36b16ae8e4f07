import type { ApiEvent, Channel, RequestOf, ResponseOf } from '../../../preload/api';
import { HttpTransport } from './http-transport';

/**
 * How the renderer reaches main: the preload's IPC API inside Electron, HTTP + Server-Sent Events in
 * browser mode. The rest of the renderer sees only this interface.
 */
export interface Transport {
  readonly kind: 'ipc' | 'http';
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
  /** a URL the browser can download an exported file from (browser mode only) */
  downloadUrl(exportId: string, name: string): string | null;
}

export function createTransport(): Transport {
  const api = window.sonoseg;
  if (api) {
    return {
      kind: 'ipc',
      invoke: (channel, request) => api.invoke(channel, request),
      onEvent: (listener) => api.onEvent(listener),
      downloadUrl: () => null,
    };
  }
  return new HttpTransport(window.location.origin);
}
