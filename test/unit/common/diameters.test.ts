import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { longestChord, perpendicularExtent } from '../../../main/common/diameters';
import { convexHull, removeCollinear, closedLength } from '../../../main/common/geometry';

const P = (x: number, y: number): { x: number; y: number } => ({ x, y });

test('convex hull drops interior and collinear points', () => {
  const hull = convexHull([P(0, 0), P(2, 0), P(4, 0), P(4, 3), P(1, 1), P(0, 3), P(2, 3)]);
  assert.deepEqual(new Set(hull.map((p) => `${p.x},${p.y}`)), new Set(['0,0', '4,0', '4,3', '0,3']));
  assert.deepEqual(removeCollinear([P(0, 0), P(1, 0), P(2, 0), P(2, 2), P(0, 2), P(0, 1)]),
    [P(0, 0), P(2, 0), P(2, 2), P(0, 2)]);
  assert.equal(closedLength([P(0, 0), P(3, 0), P(3, 4)]), 12);
  assert.equal(closedLength([P(0, 0), P(3, 0), P(3, 4)], 2, 0.5), 6 + 2 + Math.hypot(6, 2));
});

test('longest chord of a 3-4-5 triangle is its hypotenuse', () => {
  const c = longestChord([P(0, 0), P(4, 0), P(4, 3), P(2, 1)]);
  assert.equal(c.length, 5);
});

test('perpendicular extent of a triangle: the line through the apex', () => {
  const axis = { from: P(0, 0), to: P(10, 0), length: 10 };
  const e = perpendicularExtent([P(0, 0), P(10, 0), P(6, 4)], axis);
  assert.equal(e.length, 4);
  assert.deepEqual([e.from.x, e.to.x], [6, 6]);
});

test('perpendicular extent of an L runs along its upright, from first to last crossing', () => {
  const axis = { from: P(0, 0), to: P(10, 0), length: 10 };
  const e = perpendicularExtent([P(0, 0), P(10, 0), P(10, 1), P(1, 1), P(1, 5), P(0, 5)], axis);
  assert.equal(e.length, 5);
  // a tilted axis: the same shape rotated by 90° gives the same extent
  const rot = [P(0, 0), P(0, 10), P(-1, 10), P(-1, 1), P(-5, 1), P(-5, 0)];
  assert.equal(perpendicularExtent(rot, { from: P(0, 0), to: P(0, 10), length: 10 }).length, 5);
});

test('bucketed edges give the same extent as testing every edge, on ragged star polygons', () => {
  let seed = 99;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let trial = 0; trial < 20; trial++) {
    const n = 20 + Math.floor(rand() * 200);
    const poly = Array.from({ length: n }, (_, k) => {
      const r = 5 + rand() * 40, t = (2 * Math.PI * k) / n;
      return P(Math.round(2 * r * Math.cos(t)) / 2, Math.round(2 * r * Math.sin(t)) / 2);
    });
    const axis = longestChord(poly);
    // naive: every vertex line against every edge
    const ux = (axis.to.x - axis.from.x) / axis.length, uy = (axis.to.y - axis.from.y) / axis.length;
    let want = 0;
    for (const v of poly) {
      const c = v.x * ux + v.y * uy;
      const hits: number[] = [];
      for (let i = 0; i < n; i++) {
        const p = poly[i]!, q = poly[(i + 1) % n]!;
        const a = p.x * ux + p.y * uy, b = q.x * ux + q.y * uy;
        const s = (pt: { x: number; y: number }): number => -pt.x * uy + pt.y * ux;
        if (a === c) hits.push(s(p));
        if (b === c) hits.push(s(q));
        if ((a - c) * (b - c) < 0) hits.push(s(p) + (s(q) - s(p)) * (c - a) / (b - a));
      }
      want = Math.max(want, Math.max(...hits) - Math.min(...hits));
    }
    assert.ok(Math.abs(perpendicularExtent(poly, axis).length - want) < 1e-9, `trial ${trial}`);
  }
});
