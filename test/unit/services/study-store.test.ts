import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SonoError } from '../../../main/common/errors';
import { decode } from '../../../main/imaging';
import { MemoryStudyStore, summarize } from '../../../main/services/study-store';
import { fixturesDir } from '../paths';

const cine = path.join(fixturesDir, 'dicom', 'real', 'pydicom', 'examples_ybr_color.dcm');
const upload = (file: string) => ({ name: path.basename(file), bytes: new Uint8Array(fs.readFileSync(file)) });

test('open decodes a real DICOM cine clip, keeps it under an id and serves its frames', async () => {
  const store = new MemoryStudyStore({ decode: (f) => decode(f) });
  const entry = await store.open(upload(cine));
  const s = summarize(entry);
  assert.equal(s.kind, 'dicom');
  assert.equal(s.frames, 30);
  assert.ok(s.calibration && s.calibration.mmPerPixelX > 0);
  assert.equal(store.get(s.id), entry);
  const f = store.frame(s.id, 29);
  assert.equal(f.data.length, f.width * f.height * f.channels);
  assert.throws(() => store.frame(s.id, 30), (e: unknown) => e instanceof SonoError && e.code === 'INVALID_ARGUMENT');
});

test('the least recently used study is evicted past the cap and listeners hear of it', async () => {
  const store = new MemoryStudyStore({ decode: (f) => decode(f), maxStudies: 2 });
  const closed: string[] = [];
  store.onDidClose((id) => closed.push(id));
  const file = path.join(fixturesDir, 'dicom', 'generated', 'mono8_evrle.dcm');
  const a = await store.open(upload(file));
  const b = await store.open(upload(file));
  store.get(a.id);
  const c = await store.open(upload(file));
  assert.deepEqual(closed, [b.id]);
  assert.throws(() => store.get(b.id), (e: unknown) => e instanceof SonoError && e.code === 'INVALID_ARGUMENT');
  assert.ok(store.close(c.id));
  assert.deepEqual(closed, [b.id, c.id]);
});

test('a damaged upload is refused with the decoder\'s typed error and nothing is stored', async () => {
  const store = new MemoryStudyStore({ decode: (f) => decode(f) });
  await assert.rejects(store.open({ name: 'x.png', bytes: new Uint8Array([1, 2, 3, 4]) }),
    (e: unknown) => e instanceof SonoError && e.code === 'UNSUPPORTED_FORMAT');
});
