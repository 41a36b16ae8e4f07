import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../paths';
import { writeSyntheticBusi } from '../engine/train/synthetic-dataset';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-kill-'));
const env = { ...process.env, SONOSEG_HOME: path.join(tmp, 'home') };
const bin = path.join(repoRoot, 'bin', 'sonoseg.js');
const run = path.join(tmp, 'run');
const state = path.join(run, 'checkpoint', 'state.json');

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function sonoseg(args: string[]): { child: ReturnType<typeof spawn>; done: Promise<{ code: number | null; signal: string | null; out: string }> } {
  const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const done = new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, out })));
  return { child, done };
}

test('SIGKILL after the first checkpoint, then --resume continues from that epoch and finishes', async () => {
  await writeSyntheticBusi(path.join(tmp, 'data'), { perClass: { benign: 14, malignant: 10, normal: 6 }, width: 64, height: 56 });
  const first = sonoseg(['train', '--data', path.join(tmp, 'data'), '--out', run, '--epochs', '6', '--size', '64', '--depth', '3',
    '--base', '8', '--batch', '4', '--lr', '0.005', '--workers', '1', '--backend', 'wasm', '--seed', '5', '--augment', 'rotateDeg=15,cropMin=0.7']);
  let killedAt: number | null = null;
  while (killedAt === null) {
    await new Promise((r) => setTimeout(r, 15));
    if (fs.existsSync(state)) {
      first.child.kill('SIGKILL');
      killedAt = Date.now();
    }
    if (first.child.exitCode !== null) break;
  }
  const killed = await first.done;
  assert.equal(killed.signal, 'SIGKILL', `the first run was killed mid-run (output: ${killed.out})`);
  const saved = JSON.parse(fs.readFileSync(state, 'utf8')).epoch as number;
  assert.ok(saved >= 1 && saved < 6, `a checkpoint of epoch ${saved} was on disk at the kill`);

  const second = await sonoseg(['train', '--resume', run]).done;
  assert.equal(second.code, 0, second.out);
  const augment = JSON.parse(fs.readFileSync(path.join(run, 'run.json'), 'utf8')).options.augment;
  assert.deepEqual([augment.rotateDeg, augment.cropMin, augment.scale], [15, 0.7, 0.1], '--augment is in the run, which --resume repeats');
  const epochsRun = [...second.out.matchAll(/^epoch (\d+)\/6 {2}loss/gm)].map((m) => Number(m[1]));
  assert.equal(epochsRun[0], saved + 1, `the resumed run starts at epoch ${saved + 1}: ${epochsRun}`);
  const log = fs.readFileSync(path.join(run, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(log.map((e) => e.epoch), [1, 2, 3, 4, 5, 6]);
  assert.equal(JSON.parse(fs.readFileSync(state, 'utf8')).epoch, 6);
  assert.match(second.out, /^model \S+/m, 'the finished run registers its model');
  // with a test split, the post-processing is chosen on the validation images before test is scored
  assert.match(second.out, /^post-processing \(chosen on val\): threshold [\d.]+/m);
  const id = /^model (\S+)/m.exec(second.out)![1]!;
  const card = JSON.parse(fs.readFileSync(path.join(env.SONOSEG_HOME, 'models', id, 'card.json'), 'utf8'));
  assert.equal(card.postprocess.chosenOn.split, 'val');
  assert.equal(card.metrics.split, 'test');
  assert.equal(card.metrics.threshold, card.postprocess.threshold);
});
