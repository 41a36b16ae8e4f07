/**
 * The preload: exposes exactly the API contract as `window.sonoseg` and nothing more (no ipcRenderer,
 * no generic send/receive). https://www.electronjs.org/docs/latest/tutorial/security#20-do-not-expose-electron-apis-to-untrusted-web-content
 *
 * Sandboxed preloads may require only 'electron' (https://www.electronjs.org/docs/latest/tutorial/sandbox#preload-scripts),
 * so this file imports types alone from ./api; the two literals below must equal IPC_INVOKE_CHANNEL
 * and IPC_EVENT_CHANNEL there (test/unit/preload/preload.test.ts checks both, and that nothing else is required).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiEvent, Channel, IpcInvokeMessage, IpcResult, RequestOf, ResponseOf, SonosegApi } from './api';

const INVOKE_CHANNEL = 'sonoseg:invoke';
const EVENT_CHANNEL = 'sonoseg:event';

/** Errors come back as values; rethrow them as plain {code, message} objects (no Electron wrapper text). */
async function invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const message: IpcInvokeMessage = { channel, request };
  const result = (await ipcRenderer.invoke(INVOKE_CHANNEL, message)) as IpcResult<ResponseOf<C>>;
  if (result.ok) return result.value;
  throw { code: result.error.code, message: result.error.message };
}

function onEvent(listener: (event: ApiEvent) => void): () => void {
  // The Electron event object never reaches the page: it holds the sender and ports.
  const wrapped = (_e: IpcRendererEvent, event: ApiEvent): void => listener(event);
  ipcRenderer.on(EVENT_CHANNEL, wrapped);
  return () => { ipcRenderer.removeListener(EVENT_CHANNEL, wrapped); };
}

const api: SonosegApi = { invoke, onEvent };
contextBridge.exposeInMainWorld('sonoseg', api);
