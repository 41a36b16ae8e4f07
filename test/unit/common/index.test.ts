import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as common from '../../../main/common/index';
import { repoRoot } from '../paths';

test('the index exposes the mask, contour, measure, metric and resize functions', () => {
  for (const name of ['threshold', 'cleanMask', 'traceContours', 'measureLesions', 'MetricAccumulator',
    'ScoreHistogram', 'resizeBilinear', 'resizeNearest', 'SonoError', 'toGray']) {
    assert.equal(typeof (common as Record<string, unknown>)[name], 'function', name);
  }
});

test('main/common imports nothing outside itself (the renderer bundles it)', () => {
  const dir = path.join(repoRoot, 'main', 'common');
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const src = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const m of src.matchAll(/(?:from|import|require\()\s*['"]([^'"]+)['"]/g)) {
      assert.ok(m[1]!.startsWith('./'), `${file} imports ${m[1]}`);
    }
  }
});
