import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { traceContours } from '../../../main/common/contour';
import { signedArea } from '../../../main/common/geometry';
import type { Mask } from '../../../main/common/image';

function draw(rows: string[]): Mask {
  const h = rows.length, w = rows[0]!.length;
  const data = new Uint8Array(w * h);
  rows.forEach((r, y) => { for (let x = 0; x < w; x++) data[y * w + x] = r[x] === '#' ? 1 : 0; });
  return { width: w, height: h, data };
}

const xy = (pts: { x: number; y: number }[]): string => pts.map((p) => `${p.x},${p.y}`).join(' ');

test('a single pixel is a diamond through its edge midpoints, clockwise on screen', () => {
  const [c] = traceContours(draw(['...', '.#.', '...']));
  assert.equal(xy(c!.outer), '1,0.5 1.5,1 1,1.5 0.5,1');
  assert.equal(signedArea(c!.outer), 0.5);
});

test('a pixel in the image corner is traced although the outline leaves the image', () => {
  const [c] = traceContours(draw(['#.', '..']));
  assert.equal(xy(c!.outer), '0,-0.5 0.5,0 0,0.5 -0.5,0');
});

test('a rectangle touching the border runs along its pixel edges, cut at the corners', () => {
  const [c] = traceContours(draw(['###', '###']));
  assert.equal(xy(c!.outer), '0,-0.5 2,-0.5 2.5,0 2.5,1 2,1.5 0,1.5 -0.5,1 -0.5,0');
  // extent equals the pixel extent: 3 columns wide, 2 rows high
  const xs = c!.outer.map((p) => p.x), ys = c!.outer.map((p) => p.y);
  assert.equal(Math.max(...xs) - Math.min(...xs), 3);
  assert.equal(Math.max(...ys) - Math.min(...ys), 2);
});

test('a one-pixel diagonal line is one closed outline joined through its saddles', () => {
  const contours = traceContours(draw(['#...', '.#..', '..#.']));
  assert.equal(contours.length, 1);
  assert.equal(xy(contours[0]!.outer), '0,-0.5 2.5,2 2,2.5 -0.5,0');
});

test('a thin vertical line has both sides and an end cap', () => {
  const [c] = traceContours(draw(['.#.', '.#.', '.#.']));
  assert.equal(xy(c!.outer), '1,-0.5 1.5,0 1.5,2 1,2.5 0.5,2 0.5,0');
});

test('holes are traced only when asked, anticlockwise, and islands in a hole are separate', () => {
  const m = draw([
    '#####',
    '#...#',
    '#.#.#',
    '#...#',
    '#####',
  ]);
  const plain = traceContours(m);
  assert.equal(plain.length, 2);
  assert.deepEqual(plain[0]!.holes, []);
  const [ring, island] = traceContours(m, { holes: true });
  assert.equal(ring!.holes.length, 1);
  // outline on pixel edges minus a ⅛ px² triangle cut at each of the 4 corners:
  // outer 5×5 − 4/8 = 24.5 clockwise; the 3×3 hole (island included) 9 − 4/8 = 8.5 anticlockwise
  assert.equal(signedArea(ring!.outer), 24.5);
  assert.equal(signedArea(ring!.holes[0]!), -8.5);
  assert.equal(xy(island!.outer), '2,1.5 2.5,2 2,2.5 1.5,2');
});
