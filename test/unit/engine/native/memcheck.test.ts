import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { loadOneDnnAddon } from '../../../../main/engine/native/addon';

/**
 * The native kernel tests again under valgrind's memcheck: no read or write outside the memory the
 * kernels were given. A heap overrun does not always crash (oneDNN 2.6.3's strided 1×1 filter gradient
 * on AVX2 corrupted the heap in 4 of 6 runs, see conv-kernels.ts), so a passing test alone does not show it.
 * V8's conservative stack scan reads uninitialised words by design: only addressing errors count.
 * oneDNN picks its kernels per CPU; capping it (DNNL_MAX_CPU_ISA) also checks the SSE4.1 kernels older
 * laptops get. Valgrind shows the program an AVX2 CPU at most, so its AVX-512 kernels go unchecked here.
 */
const load = loadOneDnnAddon();
const hasValgrind = spawnSync('valgrind', ['--version']).status === 0;
const required = process.env.SONOSEG_REQUIRE_NATIVE === '1';
const kernelTest = path.join(__dirname, 'conv-kernels.test.js');

/** The child's environment: the runner's NODE_TEST_CONTEXT dropped, so the child reports in plain TAP. */
function childEnv(maxIsa: string | undefined): NodeJS.ProcessEnv {
  const { NODE_TEST_CONTEXT: _, DNNL_MAX_CPU_ISA: __, ...env } = process.env;
  return { ...env, SONOSEG_REQUIRE_NATIVE: '1', ...(maxIsa ? { DNNL_MAX_CPU_ISA: maxIsa } : {}) };
}

/** The ISA oneDNN runs at under valgrind with a cap (its dnnl_cpu_isa_t value). */
function effectiveIsa(maxIsa: string | undefined): number {
  const probe = `console.log(require(${JSON.stringify(load.ok ? load.file : '')}).info().cpuIsa)`;
  const run = spawnSync('valgrind', ['-q', process.execPath, '-e', probe], { encoding: 'utf8', env: childEnv(maxIsa) });
  assert.equal(run.status, 0, run.stderr);
  return Number(run.stdout.trim());
}

test('valgrind is present where CI requires the native kernels', () => {
  if (required) assert.ok(hasValgrind, 'install valgrind (Debian: apt-get install valgrind)');
});

test('the native kernels stay inside their buffers (valgrind memcheck)', { skip: (!load.ok && 'addon not built') || (!hasValgrind && 'valgrind not installed') }, async (t) => {
  const seen = new Set<number>();
  // no AVX2 cap: valgrind already shows at most an AVX2 CPU, so the uncapped run gets those kernels
  for (const maxIsa of [undefined, 'SSE41']) {
    const isa = effectiveIsa(maxIsa);
    if (seen.has(isa)) continue; // nothing above this cap under valgrind: the same kernels as a run already done
    seen.add(isa);
    await t.test(`oneDNN ISA ${isa} (${maxIsa ? `capped at ${maxIsa}` : 'as the CPU under valgrind allows'})`, () => {
      const run = spawnSync('valgrind', ['-q', '--undef-value-errors=no', '--error-limit=no', '--error-exitcode=99', process.execPath, kernelTest], {
        encoding: 'utf8', maxBuffer: 64 << 20, env: childEnv(maxIsa),
      });
      const errors = `${run.stdout}\n${run.stderr}`.split('\n').filter((l) => /^==\d+== (Invalid|Mismatched|Source and destination)/.test(l));
      assert.deepEqual(errors, [], 'memcheck found addressing errors');
      assert.equal(run.status, 0, `the kernel tests under valgrind exited with ${run.status} (${run.signal ?? 'no signal'}):\n${run.stdout.slice(-2000)}`);
      assert.match(run.stdout, /# pass [1-9]/);
      assert.match(run.stdout, /# fail 0/);
    });
  }
  assert.ok(seen.size >= 2, 'at least the CPU\'s own kernels and the SSE4.1 ones are checked');
});
