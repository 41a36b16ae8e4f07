import type { EpochLog } from '../../engine/train';
import type { RocPoint } from '../../common/roc';
import type { EvalJson, MetricSet } from '../summary';
import type { Interval } from '../bootstrap';
import { escapeXml, histogram, lineChart } from './svg';

export interface ReportCase {
  id: string;
  className: string;
  dice: number;
  /** relative path of its overlay PNG */
  png: string;
}

export interface ReportInput {
  title: string;
  summary: EvalJson;
  roc: RocPoint[];
  /** per-image Dice of the images with a lesion */
  dice: number[];
  log: EpochLog[] | null;
  /** shown instead of the training curves when there is no log (default: the model has none) */
  noLog?: string;
  best: ReportCase[];
  worst: ReportCase[];
  /** e.g. dataset, split, command */
  facts: [string, string][];
  /** the images the normal false-positive rate counts: class normal, or (none in it) those whose mask is empty */
  normalImages?: { n: number; by: 'class' | 'empty-mask' };
}

const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toFixed(4));

/** The report page: summary table, per-class table, ROC, Dice histogram, training curves, best/worst cases. */
export function reportHtml(r: ReportInput): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(r.title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th:first-child,td:first-child{text-align:left}
.plots{display:flex;flex-wrap:wrap;gap:16px}.grid{display:flex;flex-wrap:wrap;gap:10px}figure{margin:0;font-size:12px}figure img{display:block;max-width:200px;image-rendering:auto;border:1px solid #999}
.note{color:#555;font-size:12px}</style></head><body>
<h1>${escapeXml(r.title)}</h1>
<p class="note">Not for diagnostic use. Metrics at each image's original size; ${escapeXml(`threshold ${r.summary.threshold}, model ${r.summary.modelId}, backend ${r.summary.backend}`)}. Dice and IoU: means over images with a lesion; precision, recall, F1, accuracy and AUC pooled over all pixels.</p>
<table id="facts">${r.facts.map(([k, v]) => `<tr><th>${escapeXml(k)}</th><td>${escapeXml(v)}</td></tr>`).join('')}</table>
${metricsTable(r.summary, r.normalImages)}
<h2>Plots</h2><div class="plots">
${rocPlot(r.roc, r.summary.auc)}
${histogram('dice-histogram', { title: 'Per-image Dice (images with a lesion)', xLabel: 'Dice', yLabel: 'images' }, r.dice, 20)}
${r.log && r.log.length ? trainingPlots(r.log) : `<p class="note" id="no-training-log">${escapeXml(r.noLog ?? 'This model has no training log.')}</p>`}
</div>
${caseGrid('Best cases', 'best-cases', r.best)}
${caseGrid('Worst cases', 'worst-cases', r.worst)}
<p class="note">Overlays: ground truth green, prediction red.</p>
</body></html>
`;
}

function metricsTable(s: EvalJson, normals: ReportInput['normalImages']): string {
  const rows: [string, MetricSet | null][] = [['all', s], ...Object.entries(s.perClass)];
  const head = ['group', 'n', 'Dice', 'IoU', 'precision', 'recall', 'F1', 'accuracy', 'AUC', 'TP', 'FP', 'FN', 'TN', 'FP image rate'];
  const body = rows.map(([name, m]) => m
    ? `<tr><td>${escapeXml(name)}</td><td>${m.n}</td>${[m.dice, m.iou, m.precision, m.recall, m.f1, m.accuracy, m.auc].map((v) => `<td>${fmt(v)}</td>`).join('')}${[m.confusion.tp, m.confusion.fp, m.confusion.fn, m.confusion.tn].map((v) => `<td>${v}</td>`).join('')}<td>${fmt(m.fpImageRate)}</td></tr>`
    : `<tr><td>${escapeXml(name)}</td><td>0</td>${'<td>–</td>'.repeat(head.length - 2)}</tr>`).join('\n');
  return `<h2>Metrics</h2><table id="metrics"><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr>\n${body}</table>
<p>False-positive rate (any lesion after clean-up) on ${normalsText(normals)}: <b id="normal-fp">${fmt(s.normalFpRate)}</b></p>
<p id="intervals">95 % bootstrap intervals (${s.ci95.resamples} resamples of the images): Dice ${interval(s.ci95.dice)}, IoU ${interval(s.ci95.iou)},
normal false-positive rate ${interval(s.ci95.normalFpRate)}. Differences smaller than these spans may be the luck of which images were held out.</p>`;
}

function normalsText(n: ReportInput['normalImages']): string {
  if (!n) return 'normal images';
  if (n.by === 'class') return `the ${n.n} normal images`;
  return `the ${n.n} images whose mask is empty (no image is in class normal)`;
}

function interval(i: Interval | null): string {
  return i ? `${fmt(i.low)}–${fmt(i.high)}` : '–';
}

function rocPlot(roc: RocPoint[], auc: number | null): string {
  const diagonal = '<path d="M52,258 L408,28" stroke="#bbb" stroke-dasharray="4 4" fill="none"/>';
  return lineChart('roc-curve', { title: `ROC curve (AUC ${fmt(auc)})`, xLabel: 'false-positive rate', yLabel: 'true-positive rate', x: [0, 1], y: [0, 1] },
    [{ name: 'pixels, pooled', color: '#d8453b', points: roc.map((p) => [p.fpr, p.tpr]) }], diagonal);
}

function trainingPlots(log: EpochLog[]): string {
  const maxEpoch = Math.max(...log.map((e) => e.epoch));
  const maxLoss = Math.max(...log.map((e) => e.loss));
  const val = (k: 'valDice' | 'valIou') => log.filter((e) => e[k] !== null).map((e) => [e.epoch, e[k]!] as [number, number]);
  const averaged = log.filter((e) => e.average?.valDice != null).map((e) => [e.epoch, e.average!.valDice!] as [number, number]);
  const series = [{ name: 'val Dice', color: '#2a9d4b', points: val('valDice') }, { name: 'val IoU', color: '#8a5cd0', points: val('valIou') }];
  if (averaged.length) series.push({ name: 'val Dice, averaged weights', color: '#e08a1e', points: averaged });
  return lineChart('training-loss', { title: 'Training loss', xLabel: 'epoch', yLabel: 'Dice + BCE', x: [0, maxEpoch], y: [0, maxLoss] },
    [{ name: 'training loss', color: '#3b7dd8', points: log.map((e) => [e.epoch, e.loss]) }]) + '\n' +
    lineChart('training-validation', { title: 'Validation (at model input size)', xLabel: 'epoch', yLabel: 'score', x: [0, maxEpoch], y: [0, 1] },
      series);
}

function caseGrid(title: string, id: string, cases: ReportCase[]): string {
  if (cases.length === 0) return '';
  return `<h2>${title}</h2><div class="grid" id="${id}">${cases.map((c) =>
    `<figure><img src="${escapeXml(c.png)}" alt="${escapeXml(c.id)}"><figcaption>${escapeXml(c.id)} (${escapeXml(c.className)}) Dice ${c.dice.toFixed(3)}</figcaption></figure>`).join('')}</div>`;
}
