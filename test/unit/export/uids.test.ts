import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { newUid, UidMapper } from '../../../main/export/dicom/uids';

const UID = /^(0|[1-9]\d*)(\.(0|[1-9]\d*))*$/; // PS3.5 9.1: digits and dots, no leading zeros

test('new UIDs are valid, unique and within 64 characters', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const u = newUid();
    assert.match(u, UID);
    assert.ok(u.startsWith('2.25.') && u.length <= 64, u);
    seen.add(u);
  }
  assert.equal(seen.size, 200);
});

test('the mapper is consistent for one secret and differs between secrets', () => {
  const a = new UidMapper('secret-a');
  const a2 = new UidMapper('secret-a');
  const b = new UidMapper('secret-b');
  const src = '1.2.826.0.1.3680043.8.498.60462359955763750474035947786807696063';
  assert.equal(a.map(src), a2.map(src));
  assert.notEqual(a.map(src), b.map(src));
  assert.notEqual(a.map(src), a.map(`${src}.1`));
  assert.match(a.map(src), UID);
  assert.ok(a.map(src).length <= 64);
  assert.equal(a.pseudonym('13US1'), a2.pseudonym('13US1'));
  assert.ok(!a.pseudonym('13US1').includes('13US1'));
});
