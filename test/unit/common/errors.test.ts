import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { SonoError, toErrorPayload, fromErrorPayload } from '../../../main/common/errors';

test('a SonoError crosses as {code, message} with one line only', () => {
  const p = toErrorPayload(new SonoError('CORRUPT_FILE', 'bad header\nat line 2'));
  assert.deepEqual(p, { code: 'CORRUPT_FILE', message: 'bad header' });
  assert.equal(fromErrorPayload(p).code, 'CORRUPT_FILE');
});

test('an unknown error becomes INTERNAL without its stack', () => {
  const p = toErrorPayload(new TypeError('x is undefined'));
  assert.equal(p.code, 'INTERNAL');
  assert.equal(p.message, 'x is undefined');
});
