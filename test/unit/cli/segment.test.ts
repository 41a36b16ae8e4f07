import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend } from '../../../main/engine/backend';
import { saveModel } from '../../../main/engine/model-io';
import { buildUNet } from '../../../main/engine/unet';
import { ModelRegistry, importModel } from '../../../main/models';
import { repoRoot, sharedDir } from '../paths';
import { makeCine } from './make-cine';

/** The real `sonoseg segment` command, run as a child process on real files and a generated cine clip. */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-segment-'));
const modelDir = path.join(tmp, 'model');
const home = path.join(tmp, 'home');
process.env.SONOSEG_HOME = home;
const busi = path.join(sharedDir, 'datasets', 'busi', 'benign', 'benign (1).png');
const dicom = path.join(repoRoot, 'test', 'fixtures', 'export', 'examples_rgb_color.dcm');

before(async () => {
  await initBackend({ prefer: 'cpu' });
  // Seeded: an unseeded random U-Net can outline anything, and the size of the JSON with it.
  await saveModel(buildUNet({ inputSize: 64, depth: 3, baseFilters: 4 }, 7), modelDir);
  // A model folder needs its card (preprocessing plan): import it into a fresh workspace registry.
  await importModel(modelDir, new ModelRegistry({ home, resources: path.join(tmp, 'no-resources') }), { id: 'tiny-test' });
});

function segment(args: string[]) {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'sonoseg.js'), 'segment', ...args, '--model', 'tiny-test', '--json'],
    { encoding: 'utf8', timeout: 120_000, maxBuffer: 256 << 20, env: { ...process.env, SONOSEG_HOME: home } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, reports: r.stdout.trim() ? JSON.parse(r.stdout) : [] };
}

test('a PNG and a DICOM are segmented; a bad file is reported and the others still run (exit 2)', () => {
  assert.ok(fs.existsSync(busi) && fs.existsSync(dicom), 'fixtures must exist');
  const bad = path.join(tmp, 'broken.dcm');
  fs.writeFileSync(bad, Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), Buffer.from('garbage')]));
  const out = path.join(tmp, 'out1');
  const r = segment([busi, bad, dicom, '--out', out]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /^error: [A-Z_]+: .*broken\.dcm: .+$/m);
  assert.equal(r.reports.length, 2);
  const [png, dcm] = r.reports;
  assert.equal(png.width, 562);
  assert.equal(png.height, 471);
  assert.ok(['tensorflow', 'wasm', 'cpu'].includes(png.backend));
  assert.equal(png.modelId, 'tiny-test');
  assert.ok(Array.isArray(png.lesions) && typeof png.ms === 'number');
  for (const s of ['_mask.png', '_prob.png', '_overlay.png', '_measurements.json']) {
    assert.ok(fs.existsSync(path.join(out, `benign (1)${s}`)), s);
  }
  assert.ok(dcm.files.some((f: string) => f.endsWith('_seg.dcm')), 'DICOM input also gets a DICOM SEG');
});

test('all good inputs give exit 0; an unknown option or a missing --out is a usage error (exit 1)', () => {
  assert.equal(segment([busi, '--out', path.join(tmp, 'out2')]).code, 0);
  assert.equal(segment([busi]).code, 1);
  assert.equal(segment([busi, '--out', tmp, '--thresh', '0.3']).code, 1);
});

test('a 100-frame cine clip is spread over all workers and reports frames per second', () => {
  const clip = path.join(tmp, 'cine.dcm');
  fs.writeFileSync(clip, makeCine(100, 96, 80));
  const out = path.join(tmp, 'out3');
  const r = segment([clip, '--out', out, '--workers', '2']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.reports.length, 100);
  assert.deepEqual(r.reports.map((x: { frame: number }) => x.frame), Array.from({ length: 100 }, (_, i) => i));
  assert.equal(r.reports[0].workers, 2);
  assert.equal(r.reports[0].workersUsed, 2);
  assert.ok(r.reports[0].framesPerSecond > 0);
  assert.ok(fs.existsSync(path.join(out, 'cine_f99_mask.png')));
  const one = segment([clip, '--out', path.join(tmp, 'out4'), '--frames', '7']);
  assert.equal(one.reports.length, 1);
  assert.equal(one.reports[0].frame, 7);
  assert.equal(segment([clip, '--out', tmp, '--frames', '100']).code, 2);
});
