import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root (the folder holding package.json), found from the compiled test's location. */
export const repoRoot: string = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + __dirname);
    dir = up;
  }
  return dir;
})();

export const fixturesDir = path.join(repoRoot, 'test', 'fixtures');
/** ../shared beside the clone: datasets, DICOM fixtures, peer benchmark. */
export const sharedDir = path.resolve(repoRoot, '..', 'shared');
