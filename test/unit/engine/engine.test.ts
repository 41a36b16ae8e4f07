import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../../main/engine';
import { initBackend } from '../../../main/engine/backend';
import { saveModel } from '../../../main/engine/model-io';
import { buildUNet } from '../../../main/engine/unet';
import { SonoError } from '../../../main/common/errors';
import type { Frame } from '../../../main/common/image';

const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-engine-')), 'm1');
let engine: Engine;

before(async () => {
  await initBackend({ prefer: 'cpu' });
  await saveModel(buildUNet({ inputSize: 32, depth: 2, baseFilters: 4 }), dir);
  engine = await Engine.start({ workers: 1 });
});
after(async () => engine?.dispose());

test('info() names the active backend and the reason for each better one that is not used', () => {
  const info = engine.info();
  assert.ok(['tensorflow', 'wasm', 'cpu'].includes(info.backend));
  assert.ok(info.detail.length > 0);
  const order = ['tensorflow', 'wasm', 'cpu'];
  for (const s of info.skipped) {
    assert.ok(order.indexOf(s.backend) < order.indexOf(info.backend), `${s.backend} is not better than ${info.backend}`);
    assert.ok(s.reason.length > 0);
  }
  assert.equal(info.skipped.length, order.indexOf(info.backend));
  assert.equal(info.model, null);
});

test('predict(frame) gives a probability map at the frame\'s own size, colour or grey', async () => {
  await assert.rejects(engine.predict({ width: 4, height: 4, channels: 1, data: new Uint8Array(16) }),
    (e: unknown) => e instanceof SonoError && e.code === 'MODEL_NOT_FOUND');
  await engine.useModel({ id: 'tiny', dir, plan: { resize: 'letterbox' } });
  assert.equal(engine.info().model?.plan.resize, 'letterbox');
  const rgb: Frame = { width: 45, height: 30, channels: 3, data: new Uint8Array(45 * 30 * 3).map((_, i) => i % 251) };
  const map = await engine.predict(rgb);
  assert.equal(map.width, 45);
  assert.equal(map.height, 30);
  assert.ok(map.data.every((p) => p >= 0 && p <= 1));
});

test('a model that fails to load leaves the previous one active', async () => {
  await assert.rejects(engine.useModel({ id: 'broken', dir: path.join(dir, 'nope') }),
    (e: unknown) => e instanceof SonoError && e.code === 'MODEL_NOT_FOUND');
  assert.equal(engine.info().model?.id, 'tiny');
  await assert.rejects(engine.useModel({ id: 'badplan', dir, plan: { inputSize: 64 } }),
    (e: unknown) => e instanceof SonoError && e.code === 'MODEL_INVALID');
});
