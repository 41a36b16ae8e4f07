import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Folders of the installed app. TODO(models): main/models/workspace.ts has the same lookups; use it
 * once it is committed.
 */
export function packageRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}

/** The built renderer (npm run build:renderer writes it). */
export function rendererDir(): string {
  return path.join(packageRoot(), 'dist', 'renderer');
}

/** Shipped resources: SONOSEG_RESOURCES, else Electron's resourcesPath when it holds models, else the repository's. */
export function resourcesDir(): string {
  if (process.env.SONOSEG_RESOURCES) return path.resolve(process.env.SONOSEG_RESOURCES);
  const electron = (process as { resourcesPath?: string }).resourcesPath;
  if (electron && fs.existsSync(path.join(electron, 'models'))) return electron;
  return path.join(packageRoot(), 'resources');
}

export function appVersion(): string {
  try {
    return String(JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')).version ?? 'dev');
  } catch {
    return 'dev';
  }
}
