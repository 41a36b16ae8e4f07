import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseCsv } from '../../../main/cases/csv';

test('quoted fields keep commas, doubled quotes and line breaks', () => {
  const text = '\ufefffile,split\r\n"a, b.png",train\r\n"say ""hi"".png",val\n"two\nlines.png",test\n\n';
  assert.deepEqual(parseCsv(text), [
    ['file', 'split'], ['a, b.png', 'train'], ['say "hi".png', 'val'], ['two\nlines.png', 'test'],
  ]);
});

test('empty fields and a last line without a line break are kept', () => {
  assert.deepEqual(parseCsv('a,,c\r\nd,e,'), [['a', '', 'c'], ['d', 'e', '']]);
});

test('an unterminated quote is a DATASET_INVALID error', () => {
  assert.throws(() => parseCsv('file,split\n"a.png,train\n'), { code: 'DATASET_INVALID' });
});
