import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findModel } from '../../../main/services/model-source';

test('SONOSEG_MODEL wins; else the first resources/models folder with a model.json; card id and plan are read', () => {
  const res = fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-res-'));
  assert.equal(findModel({}, res), null);
  fs.mkdirSync(path.join(res, 'models', 'a-empty'), { recursive: true });
  fs.mkdirSync(path.join(res, 'models', 'b-model'), { recursive: true });
  fs.writeFileSync(path.join(res, 'models', 'b-model', 'model.json'), '{}');
  fs.writeFileSync(path.join(res, 'models', 'b-model', 'card.json'), JSON.stringify({ id: 'busi-v1', plan: { resize: 'letterbox' } }));
  assert.deepEqual(findModel({}, res), { id: 'busi-v1', dir: path.join(res, 'models', 'b-model'), source: 'resources', plan: { resize: 'letterbox' } });
  assert.deepEqual(findModel({ SONOSEG_MODEL: '/elsewhere/m2' }, res), { id: 'm2', dir: '/elsewhere/m2', source: 'SONOSEG_MODEL' });
});
