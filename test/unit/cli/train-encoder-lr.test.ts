import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../paths';

/** `sonoseg train --encoder-lr m` reaches the options check: a bad factor stops the run before it starts. */
test('--encoder-lr without --encoder, or outside (0, 1], is refused with a clear message and no run folder', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-encoder-lr-'));
  try {
    const train = (args: string[]) => spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'sonoseg.js'), 'train', '--data', tmp, '--out', path.join(tmp, 'run'), ...args],
      { env: { ...process.env, SONOSEG_HOME: path.join(tmp, 'home') }, encoding: 'utf8' });
    const plain = train(['--encoder-lr', '0.1']);
    assert.notEqual(plain.status, 0);
    assert.match(plain.stderr, /INVALID_ARGUMENT: an encoder learning-rate factor needs a pretrained encoder: add --encoder/);
    const big = train(['--encoder', 'mobilenetv2', '--size', '64', '--encoder-lr', '2']);
    assert.notEqual(big.status, 0);
    assert.match(big.stderr, /learning-rate factor must be in \(0, 1\], got 2/);
    assert.equal(fs.existsSync(path.join(tmp, 'run')), false);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
