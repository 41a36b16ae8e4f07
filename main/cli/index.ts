import { toErrorPayload } from '../common/errors';
import { benchCommand, usage as benchUsage } from './bench';
import { evalCommand, usage as evalUsage } from './eval';
import { calibrateCommand, usage as calibrateUsage } from './calibrate';
import { modelsCommand, usage as modelsUsage } from './models';
import { trainCommand, trainDetails, usage as trainUsage } from './train';
import { serveCommand, usage as serveUsage } from './serve';
import { segmentCommand, usage as segmentUsage } from './segment';
import { datasetHelp } from './dataset-help';

/**
 * The `sonoseg` command line: one front door onto the same services the app uses.
 * Each command lives in its own module and returns its exit code.
 */
type Command = { run: (argv: string[]) => Promise<number>; usage: string; /** printed under the usage by --help */ details?: string };

const commands: Record<string, Command> = {
  segment: { run: segmentCommand, usage: segmentUsage },
  bench: { run: benchCommand, usage: benchUsage },
  train: { run: trainCommand, usage: trainUsage, details: `${datasetHelp}\n${trainDetails}` },
  eval: { run: evalCommand, usage: evalUsage, details: datasetHelp },
  calibrate: { run: calibrateCommand, usage: calibrateUsage, details: datasetHelp },
  models: { run: modelsCommand, usage: modelsUsage },
  serve: { run: serveCommand, usage: serveUsage },
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  // `sonoseg help train` and `sonoseg train --help` both print the one command's usage
  const asked = name === 'help' && rest[0] ? rest[0] : undefined;
  if (!name || name === '--help' || name === '-h' || (name === 'help' && !asked)) {
    process.stdout.write(`usage:\n${Object.values(commands).map((c) => `  ${c.usage}`).join('\n')}\n`);
    return name ? 0 : 1;
  }
  const command = commands[asked ?? name];
  if (!command) {
    process.stderr.write(`error: INVALID_ARGUMENT: unknown command '${asked ?? name}' (try: ${Object.keys(commands).join(', ')})\n`);
    return 1;
  }
  if (asked || rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`usage: ${command.usage}\n${command.details ? `${command.details}\n` : ''}`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    const { code, message } = toErrorPayload(e);
    process.stderr.write(`error: ${code}: ${message}\n`);
    return code === 'INVALID_ARGUMENT' ? 1 : 2;
  }
}
