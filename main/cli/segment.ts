import * as fs from 'node:fs';
import * as path from 'node:path';
import { toErrorPayload, SonoError } from '../common/errors';
import type { Lesion } from '../common/measure';
import type { Study } from '../common/study';
import { Engine } from '../engine';
import type { BackendName } from '../engine/backend';
import { exportResult, type ExportFormat } from '../export';
import { decode } from '../imaging';
import type { Cleanup } from '../common/postprocess';
import { policyOf, resolveModel } from '../models';
import { numberOption, parseArgs, stringOption, type ParsedArgs } from './args';
import { progressLine } from './progress';

export const usage = 'sonoseg segment <files...> --out <dir> [--model <id|dir>] [--threshold t] [--frames all|<i>] [--json] [--workers N] [--deidentify]';

/** One JSON object per segmented frame (`--json`). */
export interface FrameReport {
  input: string;
  frame: number;
  width: number;
  height: number;
  backend: BackendName;
  modelId: string;
  /** wall time of this frame's prediction (a clip's batch time divided by its frames) */
  ms: number;
  /** frames per second over the whole file (all workers) */
  framesPerSecond: number;
  /** engine workers in the pool, and how many of them computed frames of this file */
  workers: number;
  workersUsed: number;
  calibrated: boolean;
  lesions: Omit<Lesion, 'contour'>[];
  files: string[];
  warnings: string[];
}

/**
 * `sonoseg segment`: decode each file, predict every chosen frame on all workers, write mask,
 * probability, overlay and measurements (and a DICOM SEG for DICOM input). A bad file is reported
 * as `error: <CODE>: <file>: <message>` and the others still run; exit 2 when any failed.
 */
export async function segmentCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['out', 'model', 'threshold', 'frames', 'workers', 'backend'], flags: ['json', 'deidentify'] });
  const out = stringOption(args, 'out');
  if (!out) throw new SonoError('INVALID_ARGUMENT', '--out <dir> is required');
  if (args.positionals.length === 0) throw new SonoError('INVALID_ARGUMENT', 'give at least one file to segment');
  const frames = parseFrames(stringOption(args, 'frames') ?? 'all');
  const model = resolveModel(stringOption(args, 'model'));
  const { threshold: modelThreshold, cleanup } = policyOf(model.card);
  const threshold = numberOption(args, 'threshold', modelThreshold, (t) => t > 0 && t < 1);
  fs.mkdirSync(out, { recursive: true });
  const engine = await Engine.start({
    workers: args.options.workers ? numberOption(args, 'workers', 1, (n) => Number.isInteger(n) && n > 0) : undefined,
    backend: stringOption(args, 'backend') as BackendName | undefined,
  });
  const reports: FrameReport[] = [];
  let failed = 0;
  try {
    await engine.useModel(model);
    for (const file of args.positionals) {
      try {
        reports.push(...await segmentFile(engine, file, { out, threshold, cleanup, frames, args, modelName: model.card.architecture.name }));
      } catch (e) {
        failed++;
        const { code, message } = toErrorPayload(e);
        process.stderr.write(`error: ${code}: ${file}: ${message}\n`);
      }
    }
  } finally {
    await engine.dispose();
  }
  if (args.options.json) process.stdout.write(JSON.stringify(reports, null, 1) + '\n');
  else for (const r of reports) process.stdout.write(`${r.input}${r.frame ? ` frame ${r.frame}` : ''}: ${r.lesions.length} lesion(s), ${r.ms} ms\n`);
  return failed > 0 ? 2 : 0;
}

type FileOptions = { out: string; threshold: number; cleanup: Cleanup; frames: 'all' | number; args: ParsedArgs; modelName: string };

async function segmentFile(engine: Engine, file: string, o: FileOptions): Promise<FrameReport[]> {
  const study = await decode(file);
  const indices = o.frames === 'all' ? study.frames.map((_, i) => i) : [o.frames];
  if (indices.some((i) => i >= study.frames.length)) {
    throw new SonoError('INVALID_ARGUMENT', `frame ${o.frames} does not exist (the file has ${study.frames.length})`);
  }
  const progress = progressLine(`${path.basename(file)}`, indices.length);
  const t0 = performance.now();
  const used = new Set<number>();
  const maps = await engine.predictMany(indices.map((i) => study.frames[i]!), (_i, worker) => {
    used.add(worker);
    progress.tick();
  });
  const seconds = (performance.now() - t0) / 1000;
  progress.done();
  const info = engine.info();
  const reports: FrameReport[] = [];
  for (const [k, i] of indices.entries()) {
    const baseName = study.frames.length > 1 ? `${stem(file)}_f${i}` : stem(file);
    const result = await exportResult({
      study, source: { path: file }, frameIndex: i, probability: maps[k]!, threshold: o.threshold,
      cleanup: o.cleanup,
      formats: formatsFor(study), deidentify: o.args.options.deidentify === true, outDir: o.out, baseName,
      model: { id: info.model!.id, version: info.model!.id, name: o.modelName },
    });
    reports.push({
      input: file, frame: i, width: study.width, height: study.height, backend: info.backend, modelId: info.model!.id,
      ms: Math.round((seconds * 1000) / indices.length), framesPerSecond: Math.round((indices.length / seconds) * 100) / 100,
      workers: info.workers, workersUsed: used.size,
      calibrated: !!study.calibration, lesions: result.lesions.map(({ contour: _contour, ...rest }) => rest),
      files: result.files, warnings: study.warnings.map((w) => w.code),
    });
  }
  return reports;
}

function formatsFor(study: Study): ExportFormat[] {
  const f: ExportFormat[] = ['mask', 'probability', 'overlay', 'measurements'];
  return study.kind === 'dicom' ? [...f, 'seg'] : f;
}

function parseFrames(v: string): 'all' | number {
  if (v === 'all') return 'all';
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new SonoError('INVALID_ARGUMENT', `--frames must be 'all' or a frame index ≥ 0, got ${v}`);
  return n;
}

function stem(file: string): string {
  return path.basename(file).replace(/\.[^.]*$/, '');
}
