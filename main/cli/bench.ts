import { runBenchmark } from '../engine/bench';
import type { BackendName } from '../engine/backend';
import { numberOption, parseArgs, stringOption } from './args';

export const usage = 'sonoseg bench [--json] [--workers N] [--backend tensorflow|wasm|cpu] [--size 256] [--base 16] [--depth 4] [--model <dir>] [--train-steps 4]';

/** `sonoseg bench`: one JSON object with latency, throughput and training speed of the engine. */
export async function benchCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['workers', 'backend', 'size', 'base', 'depth', 'model', 'train-steps', 'train-batch'], flags: ['json'] });
  const positive = (n: number) => Number.isInteger(n) && n > 0;
  const result = await runBenchmark({
    workers: args.options.workers ? numberOption(args, 'workers', 1, positive) : undefined,
    backend: stringOption(args, 'backend') as BackendName | undefined,
    inputSize: numberOption(args, 'size', 256, positive),
    baseFilters: numberOption(args, 'base', 16, positive),
    depth: numberOption(args, 'depth', 4, positive),
    modelDir: stringOption(args, 'model'),
    trainSteps: numberOption(args, 'train-steps', 4, (n) => Number.isInteger(n) && n >= 0),
    trainBatch: numberOption(args, 'train-batch', 4, positive),
  });
  if (args.options.json) {
    process.stdout.write(JSON.stringify(result) + '\n');
  } else {
    for (const [k, v] of Object.entries(result)) process.stdout.write(`${k.padEnd(22)} ${v}\n`);
  }
  return 0;
}
