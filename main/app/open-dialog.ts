import { dialog, type BrowserWindow } from 'electron';
import { toErrorPayload } from '../common/errors';
import { readStudyFile } from '../imaging';
import type { Services } from '../services';

/**
 * File ▸ Open…: the user picks a file in the system dialog; main reads it (a path the user chose,
 * never one from the page) and opens it through the same API handler the page uses.
 */
export async function openWithDialog(win: BrowserWindow, services: Services): Promise<void> {
  const picked = await dialog.showOpenDialog(win, {
    title: 'Open an ultrasound image',
    properties: ['openFile'],
    filters: [
      { name: 'Ultrasound images', extensions: ['dcm', 'dicom', 'png', 'jpg', 'jpeg', 'bmp', 'tif', 'tiff', 'webp'] },
      { name: 'All files', extensions: ['*'] },
    ],
  });
  const file = picked.filePaths[0];
  if (picked.canceled || !file) return;
  try {
    const summary = await services.handlers['studies.open'](await readStudyFile(file));
    services.events.emit('studies.onDidOpen', summary);
  } catch (e) {
    const { code, message } = toErrorPayload(e);
    dialog.showErrorBox('The image could not be opened', `${message} (${code})`);
  }
}
