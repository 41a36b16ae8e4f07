import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { packBits, unpackBits } from '../../../main/export/dicom/bit-pack';

test('the first pixel goes to the least significant bit (PS3.5 8.1.1)', () => {
  const packed = packBits(Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]));
  assert.deepEqual([...packed], [0b00000001, 0b00000110]);
});

test('packed data is padded to an even length', () => {
  assert.equal(packBits(new Uint8Array(9)).length, 2);
  assert.equal(packBits(new Uint8Array(17)).length, 4);
  assert.equal(packBits(new Uint8Array(16)).length, 2);
});

test('any non-zero value counts as set', () => {
  assert.deepEqual([...packBits(Uint8Array.from([255, 2, 0, 1]))], [0b1011, 0]);
});

test('unpack reverses pack, also from a bit offset that is not a byte boundary', () => {
  const n = 7 * 5;
  const a = Uint8Array.from({ length: n }, (_, i) => ((i * 7919) % 3 === 0 ? 1 : 0));
  const b = Uint8Array.from({ length: n }, (_, i) => (i % 4 === 1 ? 1 : 0));
  const both = new Uint8Array(2 * n);
  both.set(a);
  both.set(b, n);
  const packed = packBits(both);
  assert.deepEqual(unpackBits(packed, n, 0), a);
  assert.deepEqual(unpackBits(packed, n, n), b);
  assert.throws(() => unpackBits(packed, n, packed.length * 8), RangeError);
});
