import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { EnginePool } from '../../../main/engine/pool';
import { syntheticFrame } from '../../../main/engine/bench';

/**
 * Inference never runs on the calling thread: while predictions run, a timer on this thread keeps
 * firing with < 50 ms stalls. The work lasts over a second, so a main-thread engine would fail.
 */
test('the event loop stays responsive while the engine predicts', async () => {
  const pool = await EnginePool.start({ workers: 1 });
  try {
    const summary = await pool.loadModel({ kind: 'build', config: { inputSize: 256, depth: 4, baseFilters: 16 } });
    const plan = { inputSize: summary.inputSize, resize: 'stretch' as const, normalization: 'unit' as const };
    const frames = Array.from({ length: 4 }, (_, i) => syntheticFrame(640, 480, i));
    let last = performance.now(), worst = 0, ticks = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      worst = Math.max(worst, now - last);
      last = now;
      ticks++;
    }, 5);
    // Keep the engine busy for at least a second whatever the backend's speed (native kernels
    // finish four frames in ~0.2 s), so the check below always has something to measure.
    const t0 = performance.now();
    while (performance.now() - t0 < 1000) await pool.predict(frames, plan);
    const busy = performance.now() - t0;
    clearInterval(timer);
    assert.ok(busy > 300, `the prediction must be long enough to show anything (took ${busy.toFixed(0)} ms)`);
    assert.ok(ticks > busy / 50, `timer fired only ${ticks} times in ${busy.toFixed(0)} ms`);
    assert.ok(worst < 50, `worst event-loop stall ${worst.toFixed(1)} ms while predicting for ${busy.toFixed(0)} ms`);
  } finally {
    await pool.dispose();
  }
});
