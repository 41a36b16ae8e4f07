import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { EnginePool } from '../../../main/engine/pool';
import { syntheticFrame } from '../../../main/engine/bench';

/**
 * Inference never runs on the calling thread: while predictions run, a timer on this thread keeps
 * firing, with no stall as long as half of one prediction call. A main-thread engine would block the
 * timer for a whole call; the bound is relative so that a busy machine (other processes taking the
 * cores, which delays every thread a little) does not fail a worker-thread engine.
 */
test('the event loop stays responsive while the engine predicts', async () => {
  const pool = await EnginePool.start({ workers: 1 });
  try {
    const summary = await pool.loadModel({ kind: 'build', config: { inputSize: 256, depth: 4, baseFilters: 16 } });
    const plan = { inputSize: summary.inputSize, resize: 'stretch' as const, normalization: 'unit' as const };
    const frames = Array.from({ length: 8 }, (_, i) => syntheticFrame(640, 480, i));
    let last = performance.now(), worst = 0, ticks = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      worst = Math.max(worst, now - last);
      last = now;
      ticks++;
    }, 5);
    // Keep the engine busy for at least a second whatever the backend's speed (native kernels
    // finish eight frames in ~0.4 s), so the check below always has something to measure.
    const calls: number[] = [];
    const t0 = performance.now();
    while (performance.now() - t0 < 1000) {
      const c0 = performance.now();
      await pool.predict(frames, plan);
      calls.push(performance.now() - c0);
    }
    const busy = performance.now() - t0;
    clearInterval(timer);
    const shortest = Math.min(...calls);
    assert.ok(shortest > 100, `one prediction call must be long enough to show a stall (took ${shortest.toFixed(0)} ms)`);
    assert.ok(ticks > busy / 100, `timer fired only ${ticks} times in ${busy.toFixed(0)} ms`);
    assert.ok(worst < shortest / 2,
      `worst event-loop stall ${worst.toFixed(1)} ms while predicting for ${busy.toFixed(0)} ms (shortest call ${shortest.toFixed(0)} ms)`);
  } finally {
    await pool.dispose();
  }
});
