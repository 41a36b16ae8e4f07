import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { SonoError } from '../common/errors';
import { parseCsv } from './csv';
import { datasetProblems } from './folder-files';
import { SPLITS, type DatasetItem, type Split } from './dataset-item';

/** One row of splits.csv: `file` is the image path relative to the dataset folder. */
export interface SplitRow {
  file: string;
  className?: string;
  group?: string;
  split: Split;
}

/** Reads splits.csv (columns file, class, group, split; class and group optional; any column order). */
export async function readSplits(file: string): Promise<SplitRow[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new SonoError('FILE_NOT_FOUND', `The split file ${path.basename(file)} could not be read.`, { cause: e });
  }
  const [header, ...body] = parseCsv(text, path.basename(file));
  const col = (name: string): number => (header ?? []).map((h) => h.trim().toLowerCase()).indexOf(name);
  const [fileCol, classCol, groupCol, splitCol] = ['file', 'class', 'group', 'split'].map(col) as [number, number, number, number];
  if (fileCol < 0 || splitCol < 0) {
    throw new SonoError('DATASET_INVALID', `${path.basename(file)} needs a header with the columns file and split (found: ${(header ?? []).join(', ')}).`);
  }
  return body.map((r, i) => {
    const line = i + 2;
    const split = (r[splitCol] ?? '').trim() as Split;
    if (!SPLITS.includes(split)) {
      throw new SonoError('DATASET_INVALID', `${path.basename(file)} line ${line}: split "${r[splitCol] ?? ''}" is not one of ${SPLITS.join(', ')}.`);
    }
    const row: SplitRow = { file: (r[fileCol] ?? '').trim().replace(/\\/g, '/'), split };
    if (classCol >= 0 && r[classCol]?.trim()) row.className = r[classCol]!.trim();
    if (groupCol >= 0 && r[groupCol]?.trim()) row.group = r[groupCol]!.trim();
    return row;
  });
}

/**
 * Gives every item its split and group. The file must describe the dataset exactly: a row naming no
 * image of the dataset, an image without a row, a repeated row or a class that contradicts the
 * folder label are all errors, since any of them would silently change what is trained or tested on.
 */
export function applySplits(items: DatasetItem[], rows: SplitRow[], datasetDir: string): DatasetItem[] {
  const byFile = new Map(items.map((it) => [path.relative(datasetDir, it.imagePath).split(path.sep).join('/'), it]));
  const seen = new Set<string>();
  const problems: string[] = [];
  const out: DatasetItem[] = [];
  for (const row of rows) {
    const it = byFile.get(row.file);
    if (!it) { problems.push(`"${row.file}" is listed but is not an image of the dataset`); continue; }
    if (seen.has(row.file)) { problems.push(`"${row.file}" is listed twice`); continue; }
    seen.add(row.file);
    const labelled = it.className !== 'unknown';
    if (row.className && labelled && row.className !== it.className) {
      problems.push(`"${row.file}" is in class ${it.className} but the split file says ${row.className}`);
    }
    out.push({ ...it, className: labelled ? it.className : row.className ?? it.className, split: row.split, ...(row.group ? { group: row.group } : {}) });
  }
  for (const file of byFile.keys()) if (!seen.has(file)) problems.push(`image "${file}" has no row`);
  const err = datasetProblems(problems, 'The split file does not match the dataset');
  if (err) throw err;
  return out;
}
