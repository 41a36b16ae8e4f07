import { BrowserWindow } from 'electron';
import { lockNavigation } from './security/navigation';
import { secureWebPreferences } from './security/web-preferences';

/** The main window: secure preferences, locked navigation, shown once the page has painted. */
export function createMainWindow(o: { indexHtml: string; preload: string; isTrustedUrl: (url: string) => boolean }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: 'SonoSeg — not for diagnostic use',
    backgroundColor: '#111418',
    webPreferences: secureWebPreferences(o.preload),
  });
  lockNavigation(win.webContents, o.isTrustedUrl);
  win.once('ready-to-show', () => win.show());
  void win.loadFile(o.indexHtml);
  return win;
}
