import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from '../paths';

/** Runs bin/sonoseg.js in a child process with SONOSEG_HOME = `home`: its exit code, stdout and stderr. */
export function runSonoseg(home: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'sonoseg.js'), ...args],
    { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20, env: { ...process.env, SONOSEG_HOME: home } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
