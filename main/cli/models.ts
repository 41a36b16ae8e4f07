import { SonoError } from '../common/errors';
import type { BackendName } from '../engine/backend';
import type { PreprocessPlan } from '../engine/preprocess';
import { defaultLocations, ensembleModels, halveModel, importModel, ModelRegistry, type ModelEntry } from '../models';
import { numberOption, parseArgs, stringOption } from './args';

export const usage = 'sonoseg models list [--json] | activate <id> | rollback | import <dir> [--resize stretch|letterbox] [--normalization unit|zscore] [--id ID] [--name NAME] | half <id> [--max-mb M] [--id ID] | ensemble <id> <id>... [--id ID]';

/** `sonoseg models`: the registry from the command line. */
export async function modelsCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['resize', 'normalization', 'id', 'name', 'backend', 'max-mb'], flags: ['json'] });
  const [sub, arg] = args.positionals;
  const registry = new ModelRegistry(defaultLocations());
  switch (sub) {
    case 'list': return list(registry, args.options.json === true);
    case 'activate': {
      if (!arg) throw new SonoError('INVALID_ARGUMENT', 'usage: sonoseg models activate <id>');
      process.stdout.write(`active model: ${registry.activate(arg).id}\n`);
      return 0;
    }
    case 'rollback':
      process.stdout.write(`active model: ${registry.rollback().id}\n`);
      return 0;
    case 'import': {
      if (!arg) throw new SonoError('INVALID_ARGUMENT', 'usage: sonoseg models import <dir> [--resize ...] [--normalization ...]');
      const plan: Partial<PreprocessPlan> = {};
      if (stringOption(args, 'resize')) plan.resize = stringOption(args, 'resize') as PreprocessPlan['resize'];
      if (stringOption(args, 'normalization')) plan.normalization = stringOption(args, 'normalization') as PreprocessPlan['normalization'];
      const m = await importModel(arg, registry, {
        plan, id: stringOption(args, 'id'), name: stringOption(args, 'name'), backend: stringOption(args, 'backend') as BackendName | undefined,
      });
      process.stdout.write(`imported ${m.id}: input ${m.plan.inputSize}×${m.plan.inputSize}, ${m.plan.resize}, ${m.plan.normalization}, ${m.card.architecture.params} parameters\n`);
      return 0;
    }
    case 'half': {
      if (!arg) throw new SonoError('INVALID_ARGUMENT', 'usage: sonoseg models half <id> [--max-mb M] [--id ID]');
      const maxMb = args.options['max-mb'] === undefined ? undefined : numberOption(args, 'max-mb', 0, (n) => n > 0);
      const h = halveModel(registry, arg, { id: stringOption(args, 'id'), maxBytes: maxMb === undefined ? undefined : Math.floor(maxMb * 1e6) });
      const mb = (n: number) => (n / 1e6).toFixed(2);
      const eight = h.uint8.length ? `, its ${h.uint8.length} largest as 8-bit to fit ${maxMb} MB` : '';
      process.stdout.write(`added ${h.model.id}: ${arg} with float16 weights${eight} (${mb(h.bytesBefore)} MB → ${mb(h.bytesAfter)} MB); ` +
        `its metrics and post-processing are ${arg}'s until \`sonoseg calibrate --model ${h.model.id}\` re-measures them\n`);
      return 0;
    }
    case 'ensemble': {
      const ids = args.positionals.slice(1);
      if (ids.length < 2) throw new SonoError('INVALID_ARGUMENT', 'usage: sonoseg models ensemble <id> <id>... [--id ID]');
      const e = ensembleModels(registry, ids, { id: stringOption(args, 'id') });
      process.stdout.write(`added ${e.model.id}: the mean map of ${ids.join(', ')} (weights ${(e.bytes / 1e6).toFixed(1)} MB); ` +
        `choose its post-processing with \`sonoseg calibrate --model ${e.model.id}\`\n`);
      return 0;
    }
    default:
      throw new SonoError('INVALID_ARGUMENT', `usage: ${usage}`);
  }
}

function list(registry: ModelRegistry, json: boolean): number {
  const { models, problems } = registry.list();
  if (json) {
    process.stdout.write(JSON.stringify({ models: models.map(entryJson), problems }) + '\n');
  } else {
    if (models.length === 0) process.stdout.write('no models\n');
    for (const m of models) {
      const dice = m.card.metrics?.dice;
      process.stdout.write(`${m.active ? '*' : ' '} ${m.id.padEnd(40)} ${m.shipped ? 'shipped ' : 'workspace'} ${m.card.source.padEnd(8)} ` +
        `${m.card.plan.inputSize}px ${dice == null ? '' : `${m.card.metrics!.split} Dice ${dice.toFixed(4)}`}\n`);
    }
  }
  for (const p of problems) process.stderr.write(`warning: skipped ${p}\n`);
  return 0;
}

function entryJson(m: ModelEntry): Record<string, unknown> {
  return { id: m.id, dir: m.dir, shipped: m.shipped, active: m.active, source: m.card.source, plan: m.card.plan, metrics: m.card.metrics, createdAt: m.card.createdAt };
}
