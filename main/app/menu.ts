import { app, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';

/** The application menu: open, quit, view helpers; developer tools only in unpackaged builds. */
export function buildMenu(o: { onOpen: (win: BrowserWindow) => void }): Menu {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: (_item, win) => { if (win) o.onOpen(win as BrowserWindow); } },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ type: 'separator' as const }, { role: 'reload' as const }, { role: 'toggleDevTools' as const }]),
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
