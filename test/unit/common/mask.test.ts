import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { threshold, cleanMask, fillHoles, countLesions, maskArea, isEmptyMask } from '../../../main/common/mask';
import { SonoError } from '../../../main/common/errors';
import type { Mask } from '../../../main/common/image';

/** A mask drawn as text: '#' lesion, anything else background. */
function draw(rows: string[]): Mask {
  const h = rows.length, w = rows[0]!.length;
  const data = new Uint8Array(w * h);
  rows.forEach((r, y) => { for (let x = 0; x < w; x++) data[y * w + x] = r[x] === '#' ? 1 : 0; });
  return { width: w, height: h, data };
}

function text(m: Mask): string[] {
  const rows: string[] = [];
  for (let y = 0; y < m.height; y++) {
    rows.push(Array.from(m.data.subarray(y * m.width, (y + 1) * m.width), (v) => (v ? '#' : '.')).join(''));
  }
  return rows;
}

test('threshold keeps p ≥ t, so t itself is lesion', () => {
  const m = threshold({ width: 4, height: 1, data: new Float32Array([0.2, 0.5, 0.49, 1]) }, 0.5);
  assert.deepEqual(Array.from(m.data), [0, 1, 0, 1]);
  assert.equal(maskArea(m), 2);
  assert.equal(isEmptyMask(m), false);
  assert.throws(() => threshold({ width: 3, height: 1, data: new Float32Array(2) }, 0.5), SonoError);
});

test('components are 8-connected: a diagonal touch is one lesion', () => {
  assert.equal(countLesions(draw(['#..', '.#.', '..#'])), 1);
  assert.equal(countLesions(draw(['#.#', '...', '#.#'])), 4);
  assert.equal(countLesions(draw(['##..#', '##...', '....#'])), 3);
  assert.equal(countLesions(draw(['##..#', '##...', '....#']), 2), 1);
  assert.equal(countLesions(draw(['...'])), 0);
});

test('fillHoles fills enclosed background but not a bay open to the border', () => {
  const m = draw([
    '#####...',
    '#...#.#.',
    '#####.#.',
    '......#.',
  ]);
  assert.deepEqual(text(fillHoles(m)), ['#####...', '#####.#.', '#####.#.', '......#.']);
  // background is 4-connected: a hole whose only exit is diagonal stays a hole
  assert.deepEqual(text(fillHoles(draw(['.#.', '#.#', '.#.']))), ['.#.', '###', '.#.']);
});

test('cleanMask fills holes first, then drops small parts, then keeps the largest', () => {
  const m = draw([
    '###....##',
    '#.#....##',
    '###......',
    '.......#.',
  ]);
  // the ring counts 9 pixels once filled, the square 4, the dot 1
  assert.deepEqual(text(cleanMask(m, { fillHoles: true, minAreaPx: 2 })),
    ['###....##', '###....##', '###......', '.........']);
  assert.deepEqual(text(cleanMask(m, { largestOnly: true })),
    ['###......', '#.#......', '###......', '.........']);
  assert.deepEqual(text(cleanMask(m, { minAreaPx: 9, fillHoles: false })), text(draw(['.........', '.........', '.........', '.........'])));
  assert.deepEqual(text(cleanMask(m)), text(m));
  assert.throws(() => cleanMask(m, { minAreaPx: -1 }), (e: unknown) => e instanceof SonoError && e.code === 'INVALID_ARGUMENT');
});

test('one component filling a 1024×768 frame is labelled without recursion', () => {
  const w = 1024, h = 768;
  const data = new Uint8Array(w * h).fill(1);
  // a serpentine wall makes the single component one long path
  for (let y = 1; y < h; y += 2) for (let x = 0; x < w - 1; x++) data[y * w + ((y >> 1) % 2 ? x + 1 : x)] = 0;
  const m = { width: w, height: h, data };
  assert.equal(countLesions(m), 1);
  assert.equal(maskArea(cleanMask(m, { largestOnly: true })), maskArea(m));
});
