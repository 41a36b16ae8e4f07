import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startHttpBridge } from '../../main/bridge/http';
import { median, round } from '../../main/engine';
import { rendererDir, startServices } from '../../main/services';
import { repoRoot } from '../unit/paths';
import { launchChromium } from './browser';

/**
 * Benchmark (not a test): how long a clinician waits in the real viewer, from choosing a file to its
 * outline on screen, with the model a fresh install runs (the shipped one) on every core.
 * The clock runs inside the page: it starts as the file is handed to the file input and stops one
 * animation frame after the status bar says "Segmented" (the overlay is painted in the same update).
 * Playwright's own waits poll with growing gaps (up to 0.5 s) and overstate the wait, so none is used.
 * Prints one JSON object: {modelId, backend, workers, images, runs, firstMs, medianMs, maxMs,
 * serverMedianMs}. `npm run bench:viewer` builds first; the sample images are resources/samples.
 */
const ROUNDS = Number(process.env.SONOSEG_VIEWER_ROUNDS ?? 5);

/** Runs in the page (as text: this file is compiled without the DOM's types). */
const STOPWATCH = `{
  const el = document.querySelector('[data-testid=phase]');
  const start = performance.now();
  window.sonosegLatency = new Promise((resolve) => {
    const seen = new MutationObserver(() => {
      if (!/Segmented/.test(el.textContent)) return;
      seen.disconnect();
      requestAnimationFrame(() => resolve({ ms: performance.now() - start, status: el.textContent.trim() }));
    });
    seen.observe(el, { childList: true, subtree: true, characterData: true });
  });
  true; // the block's value: evaluate() would otherwise wait for the promise, before the file is chosen
}`;

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(rendererDir(), 'index.html'))) throw new Error('run `npm run build:renderer` first');
  const samples = fs.readdirSync(path.join(repoRoot, 'resources', 'samples')).filter((f) => f.endsWith('.png')).sort()
    .map((f) => path.join(repoRoot, 'resources', 'samples', f));
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-viewer-bench-'));
  const services = await startServices({ workspace });
  const bridge = await startHttpBridge({ handlers: services.handlers, events: services.events, exports: services.exports, rendererDir: rendererDir() });
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    await page.goto(bridge.url);
    await page.getByTestId('model').filter({ hasNotText: 'none loaded' }).waitFor();
    const waits: number[] = [];
    const server: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      for (const file of samples) {
        await page.evaluate(STOPWATCH);
        await page.getByTestId('file-input').setInputFiles(file);
        const { ms, status } = await page.evaluate<{ ms: number; status: string }>('window.sonosegLatency');
        waits.push(ms);
        const reported = /Segmented in ([\d.]+) (ms|s) /.exec(status);
        if (reported) server.push(Number(reported[1]) * (reported[2] === 's' ? 1000 : 1));
      }
    }
    const info = await services.handlers['engine.info']({});
    console.log(JSON.stringify({
      modelId: info.model?.id ?? null, backend: info.backend, workers: info.workers,
      images: samples.map((f) => path.basename(f)), runs: waits.length,
      firstMs: round(waits[0]!), medianMs: round(median(waits.slice(1))), maxMs: round(Math.max(...waits.slice(1))),
      serverMedianMs: server.length > 1 ? round(median(server.slice(1))) : null,
    }));
  } finally {
    await browser.close();
    await bridge.close();
    await services.dispose();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
