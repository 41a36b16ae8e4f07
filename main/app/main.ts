import * as path from 'node:path';
import { app, BrowserWindow, Menu, session } from 'electron';
import { bindIpc } from '../bridge/ipc';
import { rendererDir, startServices, type Services } from '../services';
import { buildMenu } from './menu';
import { openWithDialog } from './open-dialog';
import { enforceCsp } from './security/content-security-policy';
import { denyAllPermissions } from './security/permissions';
import { trustedPage } from './security/trusted-page';
import { createMainWindow } from './window';

/** Electron entry: lifecycle only. Everything the app does lives in main/services. */
const indexHtml = path.join(rendererDir(), 'index.html');
const preload = path.join(__dirname, '..', '..', 'preload', 'index.js');
const isTrustedUrl = trustedPage(indexHtml);
let services: Services | undefined;

if (!app.requestSingleInstanceLock()) app.quit();
// The workspace defaults to Electron's per-user data folder (DESIGN: Workspace on disk).
process.env.SONOSEG_HOME ||= app.getPath('userData');

app.whenReady().then(async () => {
  enforceCsp(session.defaultSession);
  denyAllPermissions(session.defaultSession);
  services = await startServices();
  const s = services;
  bindIpc({ handlers: s.handlers, events: s.events, windows: () => BrowserWindow.getAllWindows().map((w) => w.webContents), isTrustedUrl });
  Menu.setApplicationMenu(buildMenu({ onOpen: (win) => void openWithDialog(win, s) }));
  createMainWindow({ indexHtml, preload, isTrustedUrl });
  app.on('activate', () => { if (BrowserWindow.getAllWindows().length === 0) createMainWindow({ indexHtml, preload, isTrustedUrl }); });
}).catch((e: unknown) => {
  process.stderr.write(`SonoSeg could not start: ${(e as Error).message}\n`);
  app.exit(1);
});

app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus());
app.on('window-all-closed', () => { if (process.platform !== 'darwin') app.quit(); });
app.on('will-quit', () => { void services?.dispose(); });
