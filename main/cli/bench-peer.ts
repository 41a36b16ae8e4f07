import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../fs/package-root';

/**
 * The PyTorch peer benchmark (../shared/bench/peer_unet.py: the same U-Net on this CPU), run beside
 * ours in the same invocation so both see the same machine load; absolute times here swing by 2×.
 */
export interface PeerResult {
  peer: string;
  threads: number;
  inferMsPerImage: number;
  trainMsPerImage: number;
}

export type PeerOutcome = { ok: true; runs: PeerResult[] } | { ok: false; reason: string };

export function defaultPeerScript(): string {
  return path.resolve(packageRoot(), '..', 'shared', 'bench', 'peer_unet.py');
}

export function runPeer(script: string, size: number, base: number, threads: number): PeerResult | string {
  if (!fs.existsSync(script)) return `peer script not found: ${script}`;
  const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const r = spawnSync(python, [script, String(size), String(base), String(threads)], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) return `peer failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`;
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as PeerResult;
  } catch {
    return `peer printed no JSON: ${r.stdout.slice(0, 200)}`;
  }
}

/** Median-of-runs ratios ours/peer: below 1 means we are faster (time) — for throughput, peer/ours. */
export function ratios(ours: { inferMsPerImage: number; inferImagesPerSecond: number; trainMsPerImage: number | null }, peers: PeerResult[]) {
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const peerInfer = med(peers.map((p) => p.inferMsPerImage));
  const peerTrain = med(peers.map((p) => p.trainMsPerImage));
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    peerInferMsPerImage: peerInfer,
    peerInferImagesPerSecond: round(1000 / peerInfer),
    peerTrainMsPerImage: peerTrain,
    latencyRatio: round(ours.inferMsPerImage / peerInfer),
    throughputRatio: round(ours.inferImagesPerSecond / (1000 / peerInfer)),
    trainTimeRatio: ours.trainMsPerImage === null ? null : round(ours.trainMsPerImage / peerTrain),
  };
}
