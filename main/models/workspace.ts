import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot } from '../fs/package-root';

export { packageRoot };

/**
 * Where things live on disk. The workspace is SONOSEG_HOME (default ~/.sonoseg; the Electron shell
 * sets SONOSEG_HOME to its userData folder). Shipped models live in resources/models/ of the app:
 * SONOSEG_RESOURCES, else Electron's process.resourcesPath, else the repository's resources/.
 */
export interface Locations {
  home: string;
  resources: string;
}

export function workspaceHome(): string {
  return path.resolve(process.env.SONOSEG_HOME || path.join(os.homedir(), '.sonoseg'));
}

export function resourcesDir(): string {
  if (process.env.SONOSEG_RESOURCES) return path.resolve(process.env.SONOSEG_RESOURCES);
  const electron = (process as { resourcesPath?: string }).resourcesPath;
  if (electron && fs.existsSync(path.join(electron, 'models'))) return electron;
  return path.join(packageRoot(), 'resources');
}

export function defaultLocations(): Locations {
  return { home: workspaceHome(), resources: resourcesDir() };
}


export function appVersion(): string {
  try {
    return String(JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')).version ?? 'unknown');
  } catch {
    return 'unknown';
  }
}
