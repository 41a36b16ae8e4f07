import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { main } from '../../../main/cli';

/** Runs the CLI in-process and returns its exit code with what it wrote to stdout and stderr. */
async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const write = (sink: 'out' | 'err') => (chunk: string | Uint8Array): boolean => {
    if (sink === 'out') out += String(chunk); else err += String(chunk);
    return true;
  };
  const [stdout, stderr] = [process.stdout.write, process.stderr.write];
  process.stdout.write = write('out') as typeof process.stdout.write;
  process.stderr.write = write('err') as typeof process.stderr.write;
  try {
    return { code: await main(argv), out, err };
  } finally {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
  }
}

test('`sonoseg <command> --help` and `sonoseg help <command>` print that command\'s usage and succeed', async () => {
  for (const argv of [['train', '--help'], ['train', '-h'], ['help', 'train'], ['train', '--data', 'x', '--help']]) {
    const r = await run(argv);
    assert.equal(r.code, 0, argv.join(' '));
    assert.match(r.out, /^usage: sonoseg train --data <dir>/, argv.join(' '));
    assert.doesNotMatch(r.out, /sonoseg eval/, 'only the one command');
    assert.equal(r.err, '');
  }
  const evalHelp = await run(['eval', '--help']);
  assert.match(evalHelp.out, /^usage: sonoseg eval --data <dir>/);
  assert.match(evalHelp.out, /image folder with a mask folder[^]*BUSI class folders[^]*masks beside them/, 'the dataset layouts --data accepts');
  assert.doesNotMatch((await run(['segment', '--help'])).out, /--data <dir> holds/, 'only under commands that read a dataset');
});

test('`sonoseg --help` lists every command; no command is an error; an unknown one is named', async () => {
  const all = await run(['--help']);
  assert.equal(all.code, 0);
  for (const c of ['segment', 'bench', 'train', 'eval', 'calibrate', 'models', 'serve']) assert.match(all.out, new RegExp(`sonoseg ${c} `));
  assert.equal((await run([])).code, 1);
  const unknown = await run(['help', 'frobnicate']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.err, /unknown command 'frobnicate'/);
});
