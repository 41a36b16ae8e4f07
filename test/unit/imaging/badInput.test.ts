import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decode } from '../../../main/imaging';
import { badDir, buildBadCorpus } from './badCorpus';
import { errorCode, generated, shared } from './helpers';

interface Expected { file: string; code: string; why: string }
const manifest: Expected[] = JSON.parse(fs.readFileSync(path.join(badDir, 'expected.json'), 'utf8'));

test('the committed bad corpus is what the builder makes (it cannot drift silently)', () => {
  const built = buildBadCorpus();
  assert.deepEqual(manifest.map((m) => m.file), built.map((b) => b.file));
  for (const b of built) assert.deepEqual(new Uint8Array(fs.readFileSync(path.join(badDir, b.file))), new Uint8Array(b.bytes), b.file);
});

for (const { file, code, why } of manifest) {
  test(`bad input ${file} (${why}) → ${code} in < 2 s`, async () => {
    const t0 = performance.now();
    assert.equal(await errorCode(decode(path.join(badDir, file))), code);
    assert.ok(performance.now() - t0 < 2000, `${file} took ${performance.now() - t0} ms`);
  });
}

test('a missing file → FILE_NOT_FOUND', async () => {
  assert.equal(await errorCode(decode(path.join(badDir, 'does-not-exist.dcm'))), 'FILE_NOT_FOUND');
});

test('limits are options: a 64×48 image fails with maxPixels 32×32 and 3 frames with maxFrames 2', async () => {
  assert.equal(await errorCode(decode(generated('mono8_evrle.dcm'), { maxPixels: { width: 32, height: 32 } })), 'TOO_LARGE');
  assert.equal(await errorCode(decode(generated('mono8x3_rle.dcm'), { maxFrames: 2 })), 'TOO_LARGE');
});

test('batch: the whole bad corpus mixed with good files — good ones still decode, bad ones give their codes', async () => {
  const good = [generated('mono8_jls80.dcm'), generated('rgb8_rle.dcm'), shared('pydicom-data/US1_J2KR.dcm'), generated('mono8x3_jpeg50_nobot.dcm')];
  const inputs = [...manifest.map((m) => ({ p: path.join(badDir, m.file), code: m.code })), ...good.map((p) => ({ p, code: 'OK' }))];
  // Interleave so a failure that poisons a codec (wasm abort) would show on the next good file.
  inputs.sort((a, b) => path.basename(a.p).localeCompare(path.basename(b.p)));
  const results = await Promise.allSettled(inputs.map((i) => decode(i.p)));
  results.forEach((r, k) => {
    const want = inputs[k]!.code;
    if (want === 'OK') assert.equal(r.status, 'fulfilled', inputs[k]!.p);
    else assert.equal(r.status === 'rejected' && (r.reason as { code?: string }).code, want, inputs[k]!.p);
  });
  // And after all that, a fresh decode of each good file still works.
  for (const p of good) assert.ok((await decode(p)).frames.length >= 1);
});
