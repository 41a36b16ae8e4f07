import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The folder holding the app's package.json, found upwards from this file (src or dist): the
 * repository in development, app.asar in a packaged app.
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
