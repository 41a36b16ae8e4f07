import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { SonoError } from '../common/errors';
import { IMAGE_EXTENSIONS } from './dataset-item';

/** Image files of one folder (not recursive), sorted; hidden files and other types are ignored. */
export async function imageFiles(dir: string): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (e) {
    throw new SonoError('DATASET_INVALID', `The folder ${dir} could not be read: ${(e as Error).message}`, { cause: e });
  }
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('.') && IMAGE_EXTENSIONS.includes(path.extname(e.name).toLowerCase()))
    .map((e) => e.name)
    .sort();
}

/** A file name without its extension. */
export function fileStem(file: string): string {
  return file.slice(0, -path.extname(file).length);
}

export async function isDirectory(p: string): Promise<boolean> {
  return fs.stat(p).then((s) => s.isDirectory(), () => false);
}

/** Joins problems into one DATASET_INVALID error that names the first few. */
export function datasetProblems(problems: string[], where: string): SonoError | null {
  if (problems.length === 0) return null;
  const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
  return new SonoError('DATASET_INVALID', `${where}: ${problems.slice(0, 5).join('; ')}${more}.`);
}
