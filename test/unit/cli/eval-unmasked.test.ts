import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { runSonoseg } from './cli-process';
import { untrainedModel } from '../services/model-fixture';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-eval-unmasked-'));
const home = path.join(tmp, 'home');
const data = path.join(tmp, 'breast');
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const sonoseg = (args: string[]) => runSonoseg(home, args);

const grey = (w: number, h: number, at: (x: number, y: number) => number) =>
  sharp(Buffer.from(Uint8Array.from({ length: w * h }, (_, i) => at(i % w, Math.floor(i / w)))), { raw: { width: w, height: h, channels: 1 } }).png();

test.before(async () => {
  // BrEaST's naming: two lesion scans with their _tumor masks and one normal scan that ships no mask
  fs.mkdirSync(data, { recursive: true });
  for (const c of ['case001', 'case002', 'case003']) await grey(40, 30, (x, y) => (x * 5 + y * 3) % 256).toFile(path.join(data, `${c}.png`));
  for (const c of ['case001', 'case002']) await grey(40, 30, (x, y) => (x > 10 && x < 20 && y > 5 && y < 15 ? 255 : 0)).toFile(path.join(data, `${c}_tumor.png`));
  const imported = sonoseg(['models', 'import', await untrainedModel({ inputSize: 32, depth: 2, baseFilters: 4 }), '--id', 'tiny']);
  assert.equal(imported.code, 0, imported.stderr);
});

test('eval refuses an image without a mask by default, names it, and counts it as normal with --unmasked normal', () => {
  const refused = sonoseg(['eval', '--data', data, '--model', 'tiny', '--json', '--workers', '1']);
  assert.equal(refused.code, 2, 'a dataset error');
  assert.match(refused.stderr, /case003\.png has no mask/);
  const r = sonoseg(['eval', '--data', data, '--model', 'tiny', '--json', '--workers', '1', '--unmasked', 'normal']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /1 of 3 images have no mask file: counted as images without a lesion/);
  const out = JSON.parse(r.stdout) as { n: number; normalFpRate: number | null };
  assert.equal(out.n, 3);
  assert.equal(typeof out.normalFpRate, 'number', 'the mask-less scan is the normal image the false-positive rate counts');
  const bad = sonoseg(['eval', '--data', data, '--model', 'tiny', '--unmasked', 'maybe']);
  assert.equal(bad.code, 1, 'a usage error');
  assert.match(bad.stderr, /--unmasked must be error or normal, got maybe/);
});
