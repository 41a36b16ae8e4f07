import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import type { EvaluationReport } from '../../common/accumulator';
import { writeAtomic } from '../../fs/atomic';
import type { EpochLog } from '../../engine/train';
import type { ImageOutcome } from '../evaluate';
import type { EvalJson } from '../summary';
import { overlayRgb } from '../thumbnail';
import { reportHtml, type ReportCase } from './html';

export interface WriteReportInput {
  dir: string;
  summary: EvalJson;
  report: EvaluationReport;
  images: ImageOutcome[];
  log: EpochLog[] | null;
  noLog?: string;
  facts: [string, string][];
  /** cases in each of the best and worst grids */
  gridSize?: number;
}

/** Writes <dir>/index.html and <dir>/cases/*.png; returns the HTML's path. */
export async function writeReport(o: WriteReportInput): Promise<string> {
  fs.mkdirSync(path.join(o.dir, 'cases'), { recursive: true });
  const lesion = o.images.filter((im) => !im.truthEmpty && im.thumbnail);
  const ranked = [...lesion].sort((a, b) => b.dice - a.dice || a.id.localeCompare(b.id));
  const k = Math.min(o.gridSize ?? 8, Math.floor(ranked.length / 2) || ranked.length);
  const best = await writeCases(o.dir, 'best', ranked.slice(0, k));
  const worst = await writeCases(o.dir, 'worst', ranked.slice(-k).reverse());
  const html = reportHtml({
    title: `SonoSeg evaluation — ${o.summary.modelId}`, summary: o.summary, roc: o.report.roc,
    dice: lesion.map((im) => im.dice), log: o.log, noLog: o.noLog, best, worst, facts: o.facts,
    normalImages: o.report.perClass.normal ? { n: o.report.perClass.normal.n, by: 'class' } : { n: o.report.emptyTruthImages, by: 'empty-mask' },
  });
  const file = path.join(o.dir, 'index.html');
  writeAtomic(file, html);
  return file;
}

async function writeCases(dir: string, prefix: string, images: ImageOutcome[]): Promise<ReportCase[]> {
  const out: ReportCase[] = [];
  for (const [i, im] of images.entries()) {
    const t = im.thumbnail!;
    const png = await sharp(Buffer.from(overlayRgb(t)), { raw: { width: t.width, height: t.height, channels: 3 } }).png().toBuffer();
    const rel = `cases/${prefix}-${i + 1}.png`;
    writeAtomic(path.join(dir, rel), png);
    out.push({ id: im.id, className: im.className, dice: im.dice, png: rel });
  }
  return out;
}
