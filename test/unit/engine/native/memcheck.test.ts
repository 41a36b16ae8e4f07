import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { loadOneDnnAddon } from '../../../../main/engine/native/addon';

/**
 * The native kernel tests again under valgrind's memcheck: no read or write outside the memory the
 * kernels were given. A heap overrun does not always crash (oneDNN 2.6.3's 1×1 filter gradient on AVX2
 * corrupted the heap in 4 of 6 runs, see conv-kernels.ts), so a passing test alone does not show it.
 * V8's conservative stack scan reads uninitialised words by design: only addressing errors count.
 * Only the ISA of the machine running it is checked (oneDNN picks its kernels per CPU).
 */
const load = loadOneDnnAddon();
const valgrind = spawnSync('valgrind', ['--version'], { encoding: 'utf8' });
const hasValgrind = valgrind.status === 0;
const required = process.env.SONOSEG_REQUIRE_NATIVE === '1';

test('valgrind is present where CI requires the native kernels', () => {
  if (required) assert.ok(hasValgrind, 'install valgrind (Debian: apt-get install valgrind)');
});

test('the native kernels stay inside their buffers (valgrind memcheck)', { skip: (!load.ok && 'addon not built') || (!hasValgrind && 'valgrind not installed') }, () => {
  const kernelTest = path.join(__dirname, 'conv-kernels.test.js');
  // without the runner's NODE_TEST_CONTEXT the child reports in plain TAP, not the runner's binary protocol
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const run = spawnSync('valgrind', ['-q', '--undef-value-errors=no', '--error-limit=no', '--error-exitcode=99', process.execPath, kernelTest], {
    encoding: 'utf8', maxBuffer: 64 << 20, env: { ...env, SONOSEG_REQUIRE_NATIVE: '1' },
  });
  const errors = `${run.stdout}\n${run.stderr}`.split('\n').filter((l) => /^==\d+== (Invalid|Mismatched|Source and destination)/.test(l));
  assert.deepEqual(errors, [], 'memcheck found addressing errors');
  assert.equal(run.status, 0, `the kernel tests under valgrind exited with ${run.status} (${run.signal ?? 'no signal'}):\n${run.stdout.slice(-2000)}`);
  assert.match(run.stdout, /# pass [1-9]/);
  assert.match(run.stdout, /# fail 0/);
});
