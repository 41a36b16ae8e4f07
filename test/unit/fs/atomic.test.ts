import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from '../../../main/fs/atomic';

test('writes, replaces and leaves no temporary file behind', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-aw-'));
  const f = path.join(dir, 'a.json');
  await writeFileAtomic(f, 'first');
  await writeFileAtomic(f, new Uint8Array([104, 105]));
  assert.equal(fs.readFileSync(f, 'utf8'), 'hi');
  assert.deepEqual(fs.readdirSync(dir), ['a.json']);
  fs.rmSync(dir, { recursive: true });
});

test('a folder that does not exist gives IO_ERROR', async () => {
  const f = path.join(os.tmpdir(), 'sonoseg-missing-dir-x', 'nope', 'a.txt');
  await assert.rejects(writeFileAtomic(f, 'x'), { code: 'IO_ERROR' });
});
