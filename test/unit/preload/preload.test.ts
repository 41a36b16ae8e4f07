import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../../preload/api';
import { repoRoot } from '../paths';

/** A sandboxed preload may require only 'electron'; its channel literals must match the contract. */
const compiled = fs.readFileSync(path.join(repoRoot, 'dist', 'preload', 'index.js'), 'utf8');

test('the compiled preload requires nothing but electron', () => {
  const required = [...compiled.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
  assert.deepEqual([...new Set(required)], ['electron']);
});

test('the preload uses the contract\'s channel names and exposes only invoke and onEvent', () => {
  assert.ok(compiled.includes(`'${IPC_INVOKE_CHANNEL}'`) || compiled.includes(`"${IPC_INVOKE_CHANNEL}"`));
  assert.ok(compiled.includes(`'${IPC_EVENT_CHANNEL}'`) || compiled.includes(`"${IPC_EVENT_CHANNEL}"`));
  assert.match(compiled, /exposeInMainWorld\('sonoseg', api\)/);
  assert.match(compiled, /const api = \{ invoke, onEvent \}/);
});
