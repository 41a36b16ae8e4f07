import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CARD_FILE, readCard } from '../models/card';
import { runBenchmark, type BenchResult } from '../engine/bench';
import type { BackendName } from '../engine/backend';
import { numberOption, parseArgs, stringOption, type ParsedArgs } from './args';
import { defaultPeerScript, ratios, runPeer, type PeerResult } from './bench-peer';

export const usage = 'sonoseg bench [--json] [--workers N] [--backend tensorflow|wasm|cpu] [--size 256] [--base 16] [--depth 4] ' +
  '[--model <dir>] [--train-steps 4] [--peer <peer_unet.py>|auto] [--rounds 1]';

/**
 * `sonoseg bench`: one JSON object with latency, throughput and training speed of the engine.
 * With --peer, the PyTorch peer runs before and after each of our rounds, and the JSON gains the
 * peer's figures and the ratios (our time / peer time; our throughput / peer throughput).
 */
export async function benchCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    values: ['workers', 'backend', 'size', 'base', 'depth', 'model', 'train-steps', 'train-batch', 'peer', 'rounds'], flags: ['json'],
  });
  const positive = (n: number) => Number.isInteger(n) && n > 0;
  const size = numberOption(args, 'size', 256, positive), base = numberOption(args, 'base', 16, positive);
  const peer = stringOption(args, 'peer');
  const script = peer === 'auto' ? defaultPeerScript() : peer;
  const rounds = numberOption(args, 'rounds', 1, positive);
  const ours: BenchResult[] = [];
  const peers: PeerResult[] = [];
  const peerErrors: string[] = [];
  const runPeerOnce = () => {
    if (!script) return;
    const r = runPeer(script, size, base, os.availableParallelism());
    if (typeof r === 'string') peerErrors.push(r); else peers.push(r);
  };
  runPeerOnce();
  for (let i = 0; i < rounds; i++) {
    ours.push(await runOnce(args, size, base, positive));
    runPeerOnce();
  }
  const result = { ...bestOf(ours), rounds, ...(script ? peerSection(ours, peers, peerErrors) : {}) };
  if (args.options.json) process.stdout.write(JSON.stringify(result) + '\n');
  else for (const [k, v] of Object.entries(result)) process.stdout.write(`${k.padEnd(26)} ${typeof v === 'object' ? JSON.stringify(v) : v}\n`);
  return 0;
}

function runOnce(args: ParsedArgs, size: number, base: number, positive: (n: number) => boolean): Promise<BenchResult> {
  const modelDir = stringOption(args, 'model');
  return runBenchmark({
    workers: args.options.workers ? numberOption(args, 'workers', 1, positive) : undefined,
    backend: stringOption(args, 'backend') as BackendName | undefined,
    inputSize: size, baseFilters: base, depth: numberOption(args, 'depth', 4, positive),
    modelDir,
    // a model with a card is benched as the app runs it: its plan's mirroring and input sizes
    plan: modelDir && fs.existsSync(path.join(modelDir, CARD_FILE)) ? readCard(modelDir).plan : undefined,
    trainSteps: numberOption(args, 'train-steps', 4, (n) => Number.isInteger(n) && n >= 0),
    trainBatch: numberOption(args, 'train-batch', 4, positive),
  });
}

/** Medians over rounds (each round's figures are themselves medians or rates). */
function bestOf(results: BenchResult[]): BenchResult {
  if (results.length === 1) return results[0]!;
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const r = { ...results[0]! };
  r.inferMsPerImage = med(results.map((x) => x.inferMsPerImage));
  r.inferImagesPerSecond = med(results.map((x) => x.inferImagesPerSecond));
  const train = results.map((x) => x.trainMsPerImage).filter((x): x is number => x !== null);
  r.trainMsPerImage = train.length ? med(train) : null;
  return r;
}

function peerSection(ours: BenchResult[], peers: PeerResult[], errors: string[]) {
  if (peers.length === 0) return { peer: null, peerError: errors[0] ?? 'peer did not run' };
  return { peer: peers[0]!.peer, peerRuns: peers.length, ...ratios(bestOf(ours), peers) };
}
