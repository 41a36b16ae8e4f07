import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LruMap } from '../../../main/services/lru';

test('evicts the least recently used entry past the count cap, telling onEvict', () => {
  const evicted: string[] = [];
  const lru = new LruMap<number>({ maxEntries: 2, onEvict: (k) => evicted.push(k) });
  lru.set('a', 1);
  lru.set('b', 2);
  assert.equal(lru.get('a'), 1); // a is now the most recent
  lru.set('c', 3);
  assert.deepEqual(evicted, ['b']);
  assert.deepEqual(lru.keys(), ['a', 'c']);
});

test('a byte budget evicts old entries but always keeps the newest', () => {
  const lru = new LruMap<Uint8Array>({ maxEntries: 10, maxBytes: 100, sizeOf: (v) => v.length });
  lru.set('a', new Uint8Array(60));
  lru.set('b', new Uint8Array(60));
  assert.deepEqual(lru.keys(), ['b']);
  lru.set('huge', new Uint8Array(500));
  assert.deepEqual(lru.keys(), ['huge']);
  assert.equal(lru.totalBytes, 500);
  assert.ok(lru.delete('huge'));
  assert.equal(lru.totalBytes, 0);
  assert.equal(lru.delete('huge'), false);
});
