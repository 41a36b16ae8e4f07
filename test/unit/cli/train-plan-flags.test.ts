import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../paths';
import { writeSyntheticBusi } from '../engine/train/synthetic-dataset';

/**
 * `sonoseg train --antialias` (area shrink) and `--clahe` (equalisation, OpenCV's defaults) go into the model's
 * plan, where eval, exports and the viewer read them.
 */
test('--antialias and --clahe are recorded in the run and in the model card; a model trained without them has neither', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-plan-flags-'));
  try {
    const env = { ...process.env, SONOSEG_HOME: path.join(tmp, 'home') };
    await writeSyntheticBusi(path.join(tmp, 'data'), { perClass: { benign: 6, malignant: 4, normal: 4 }, width: 90, height: 70 });
    const train = (out: string, extra: string[]) => spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'sonoseg.js'), 'train',
      '--data', path.join(tmp, 'data'), '--out', path.join(tmp, out), '--epochs', '1', '--size', '32', '--depth', '2', '--base', '4',
      '--batch', '4', '--workers', '1', '--backend', 'cpu', '--seed', '3', ...extra], { env, encoding: 'utf8' });
    const card = (r: ReturnType<typeof train>) => {
      assert.equal(r.status, 0, r.stdout + r.stderr);
      const id = /^model (\S+)/m.exec(r.stdout)![1]!;
      return JSON.parse(fs.readFileSync(path.join(env.SONOSEG_HOME, 'models', id, 'card.json'), 'utf8'));
    };
    const aa = train('run-aa', ['--antialias']);
    assert.equal(card(aa).plan.antialias, true);
    assert.equal(JSON.parse(fs.readFileSync(path.join(tmp, 'run-aa', 'run.json'), 'utf8')).options.plan.antialias, true);
    const eq = train('run-eq', ['--clahe']);
    assert.deepEqual(card(eq).plan.clahe, { tiles: 8, clip: 2 });
    assert.equal(card(eq).plan.antialias, undefined);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(tmp, 'run-eq', 'run.json'), 'utf8')).options.plan.clahe, { tiles: 8, clip: 2 });
    const plain = card(train('run-plain', []));
    assert.equal(plain.plan.antialias, undefined);
    assert.equal(plain.plan.clahe, undefined);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
