import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { toErrorPayload } from '../common/errors';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, isChannel, type ApiEvent, type IpcResult } from '../../preload/api';
import type { ApiHandlers, EventHub } from '../services';

/**
 * Electron's front door: the API contract on one ipcMain.handle channel. Unknown channels and
 * senders other than our own window's top frame at our own page are refused
 * (https://www.electronjs.org/docs/latest/tutorial/security#17-validate-the-sender-of-all-ipc-messages).
 * Errors are returned as {code, message} values, never thrown, so no stack or Electron wrapper
 * text reaches the page.
 */
export interface IpcBindingOptions {
  handlers: ApiHandlers;
  events: EventHub;
  /** the windows that may call the API and receive events */
  windows: () => WebContents[];
  /** whether a frame URL is our own renderer page */
  isTrustedUrl: (url: string) => boolean;
}

export function bindIpc(o: IpcBindingOptions): () => void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, (event, message: unknown) => dispatch(o, event, message));
  const unsubscribe = o.events.subscribe((e: ApiEvent) => {
    for (const wc of o.windows()) if (!wc.isDestroyed()) wc.send(IPC_EVENT_CHANNEL, e);
  });
  return () => {
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
    unsubscribe();
  };
}

async function dispatch(o: IpcBindingOptions, event: IpcMainInvokeEvent, message: unknown): Promise<IpcResult<unknown>> {
  if (!trustedSender(o, event)) {
    return { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'This page may not use the SonoSeg API.' } };
  }
  const { channel, request } = (typeof message === 'object' && message !== null ? message : {}) as { channel?: unknown; request?: unknown };
  if (!isChannel(channel)) {
    return { ok: false, error: { code: 'INVALID_ARGUMENT', message: `Unknown API channel ${String(channel).slice(0, 60)}.` } };
  }
  try {
    return { ok: true, value: await o.handlers[channel](request) };
  } catch (e) {
    return { ok: false, error: toErrorPayload(e) };
  }
}

function trustedSender(o: IpcBindingOptions, event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  // Only the top frame: an iframe (there should be none) never speaks for the app.
  if (!frame || frame.parent !== null) return false;
  return o.windows().includes(event.sender) && o.isTrustedUrl(frame.url);
}
