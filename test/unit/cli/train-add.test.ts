import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from '../../../main/cli/args';
import { writeSyntheticBusi } from '../engine/train/synthetic-dataset';
import { runSonoseg } from './cli-process';

test('a list option gathers every value in order; a plain option keeps its last', () => {
  const a = parseArgs(['--add-train', 'a', '--data', 'x', '--add-train=b', '--data', 'y'], { values: ['data'], lists: ['add-train'] });
  assert.deepEqual(a.lists, { 'add-train': ['a', 'b'] });
  assert.equal(a.options.data, 'y');
  assert.deepEqual(parseArgs([], { lists: ['add-train'] }).lists, {});
  assert.throws(() => parseArgs(['--add-train'], { lists: ['add-train'] }), /--add-train needs a value/);
});

test('train --help explains --add-train under the dataset layouts', async () => {
  const r = runSonoseg(os.tmpdir(), ['train', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /--data <dir> holds one of three layouts[\s\S]*\n--add-train <dir> \(repeatable\): every image of <dir>/);
});

/** `sonoseg train --add-train`: the card names the added folder and its images; a resumed run notices when they change. */
test('--add-train: the images train, the card records the folder, and a resume refuses a changed added folder', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-add-cli-'));
  try {
    const home = path.join(tmp, 'home');
    await writeSyntheticBusi(path.join(tmp, 'busi'), { perClass: { benign: 6, malignant: 4, normal: 4 }, width: 60, height: 50 });
    await writeSyntheticBusi(path.join(tmp, 'clinic'), { perClass: { benign: 3, malignant: 0, normal: 1 }, width: 60, height: 50, seed: 9 });
    const run = path.join(tmp, 'run');
    const common = ['--epochs', '1', '--size', '32', '--depth', '2', '--base', '4', '--batch', '4', '--workers', '1', '--backend', 'cpu', '--seed', '3'];
    const r = runSonoseg(home, ['train', '--data', path.join(tmp, 'busi'), '--add-train', path.join(tmp, 'clinic'), '--out', run, ...common]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const id = /^model (\S+)/m.exec(r.stdout)![1]!;
    const card = JSON.parse(fs.readFileSync(path.join(home, 'models', id, 'card.json'), 'utf8'));
    assert.deepEqual(card.training.data.added, [path.join(tmp, 'clinic')]);
    const clinic = card.training.data.train.filter((i: string) => i.startsWith('clinic/'));
    assert.deepEqual(clinic, ['clinic/benign/benign (1)', 'clinic/benign/benign (2)', 'clinic/benign/benign (3)', 'clinic/normal/normal (1)']);
    assert.ok(!card.training.data.val.concat(card.training.data.test).some((i: string) => i.startsWith('clinic/')));
    assert.match(card.training.command, /--add-train/);

    const again = runSonoseg(home, ['train', '--resume', run, '--add-train', path.join(tmp, 'busi')]);
    assert.equal(again.code, 1, again.stdout + again.stderr);
    assert.match(again.stderr, /only --epochs may change \(not --add-train\)/);
    fs.rmSync(path.join(tmp, 'clinic', 'normal', 'normal (1).png'));
    fs.rmSync(path.join(tmp, 'clinic', 'normal', 'normal (1)_mask.png'));
    const changed = runSonoseg(home, ['train', '--resume', run, '--epochs', '2']);
    assert.notEqual(changed.code, 0);
    assert.match(changed.stderr, /training images .* changed since the run .* started/);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
