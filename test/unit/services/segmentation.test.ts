import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { SonoError } from '../../../main/common/errors';
import type { Frame, ProbabilityMap } from '../../../main/common/image';
import type { Study } from '../../../main/common/study';
import { EventHub } from '../../../main/services/events';
import { CachedSegmentation, quantize, type Predictor } from '../../../main/services/segmentation';
import { MemoryStudyStore } from '../../../main/services/study-store';

/** A two-frame study whose "model" is a ramp, counting its calls: these tests are about caching. */
function setup(modelId: string | null = 'm1') {
  const frame: Frame = { width: 4, height: 2, channels: 1, data: new Uint8Array(8) };
  const study: Study = { kind: 'raster', name: 's.png', width: 4, height: 2, frames: [frame, frame], metadata: {}, warnings: [] };
  const store = new MemoryStudyStore({ decode: async () => study });
  const calls = { n: 0 };
  const predictor: Predictor = {
    predict: async (f): Promise<ProbabilityMap> => {
      calls.n++;
      await new Promise((r) => setTimeout(r, 5));
      return { width: f.width, height: f.height, data: Float32Array.from({ length: 8 }, (_, i) => i / 7) };
    },
    current: () => ({ modelId, backend: 'cpu' }),
  };
  const events = new EventHub();
  const seen: string[] = [];
  events.subscribe((e) => seen.push(`${e.name}:${(e.payload as { state: string }).state}`));
  return { store, calls, events, seen, seg: new CachedSegmentation(store, predictor, events) };
}

test('a frame is segmented once; later calls and re-thresholds come from the cache', async () => {
  const { store, calls, seen, seg } = setup();
  const { id } = await store.open({ name: 's.png', bytes: new Uint8Array(1) });
  const [a, b] = await Promise.all([seg.segment(id, 0), seg.segment(id, 0)]);
  assert.equal(calls.n, 1, 'concurrent identical requests share one model run');
  assert.equal(a.cached, false);
  assert.deepEqual([...a.probability], [...b.probability]);
  const again = await seg.segment(id, 0);
  assert.equal(again.cached, true);
  assert.equal(again.ms, 0);
  assert.deepEqual([...again.probability], [0, 36, 73, 109, 146, 182, 219, 255]);
  const p = await seg.probability(id, 0);
  assert.equal(calls.n, 1);
  assert.equal(p.map.data[1], Math.fround(36 / 255), 'export sees exactly the quantised values the viewer thresholds');
  await seg.segment(id, 1);
  assert.equal(calls.n, 2);
  assert.deepEqual(seen, ['segment.onDidProgress:running', 'segment.onDidProgress:done', 'segment.onDidProgress:running', 'segment.onDidProgress:done']);
});

test('closing a study drops its kept maps', async () => {
  const { store, calls, seg } = setup();
  const { id } = await store.open({ name: 's.png', bytes: new Uint8Array(1) });
  await seg.segment(id, 0);
  store.close(id);
  await assert.rejects(seg.segment(id, 0), (e: unknown) => e instanceof SonoError && e.code === 'INVALID_ARGUMENT');
  assert.equal(calls.n, 1);
});

test('without a model, segmenting says so with MODEL_NOT_FOUND', async () => {
  const { store, seg } = setup(null);
  const { id } = await store.open({ name: 's.png', bytes: new Uint8Array(1) });
  await assert.rejects(seg.segment(id, 0), (e: unknown) => e instanceof SonoError && e.code === 'MODEL_NOT_FOUND');
});

test('quantize clamps and rounds to 0–255', () => {
  assert.deepEqual([...quantize(Float32Array.from([-1, 0, 0.5, 0.999, 2]))], [0, 0, 128, 255, 255]);
});
