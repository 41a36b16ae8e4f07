import * as fs from 'node:fs';
import * as path from 'node:path';
import { SonoError } from '../common/errors';
import type { BackendName } from '../engine';
import { startHttpBridge } from '../bridge/http';
import { rendererDir, startServices } from '../services';
import { numberOption, parseArgs, stringOption } from './args';

export const usage = 'sonoseg serve [--port N] [--model <dir>] [--workers N] [--backend tensorflow|wasm|cpu]';

/**
 * `sonoseg serve`: browser mode. Prints the address (with its one-time token) on stdout as
 * `SonoSeg is running at <url>` and serves until interrupted.
 */
export async function serveCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['port', 'model', 'workers', 'backend'] });
  const port = numberOption(args, 'port', 0, (n) => Number.isInteger(n) && n >= 0 && n < 65536);
  const renderer = rendererDir();
  if (!fs.existsSync(path.join(renderer, 'index.html'))) {
    throw new SonoError('INTERNAL', 'The user interface is not built yet; run `npm run build:renderer` first.');
  }
  const workers = args.options.workers ? numberOption(args, 'workers', 1, (n) => Number.isInteger(n) && n > 0) : undefined;
  const services = await startServices({
    engine: { ...(workers ? { workers } : {}), ...(args.options.backend ? { backend: stringOption(args, 'backend') as BackendName } : {}) },
    ...(stringOption(args, 'model') ? { model: stringOption(args, 'model') } : {}),
  });
  const bridge = await startHttpBridge({ handlers: services.handlers, events: services.events, exports: services.exports, rendererDir: renderer, port });
  process.stdout.write(`SonoSeg is running at ${bridge.url}\n(not for diagnostic use; press Ctrl+C to stop)\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await bridge.close();
  await services.dispose();
  return 0;
}
