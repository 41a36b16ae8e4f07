#!/usr/bin/env node
'use strict';
// `npm start`: the Electron app where Electron's binary is installed, else browser mode
// (`sonoseg serve`), printing the address and opening the system browser only when one is configured
// (BROWSER, as in create-react-app and friends); it never waits for a browser.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');

function electronBinary() {
  try {
    const bin = require('electron'); // the electron package exports its binary's path, and throws when absent
    return typeof bin === 'string' && fs.existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

function runElectron(bin) {
  const child = spawn(bin, [root], { stdio: 'inherit' });
  child.on('exit', (code) => { process.exitCode = code ?? 1; });
}

function runBrowserMode() {
  process.stdout.write('Electron is not installed here: starting browser mode.\n');
  const child = spawn(process.execPath, [path.join(__dirname, 'sonoseg.js'), 'serve', ...process.argv.slice(2)], { stdio: ['inherit', 'pipe', 'inherit'] });
  let opened = false;
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    const url = /SonoSeg is running at (\S+)/.exec(String(chunk))?.[1];
    if (url && !opened && process.env.BROWSER && process.env.BROWSER !== 'none') {
      opened = true;
      spawn(process.env.BROWSER, [url], { stdio: 'ignore', detached: true }).on('error', () => {}).unref();
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => { process.exitCode = code ?? 0; });
}

const bin = electronBinary();
if (bin) runElectron(bin); else runBrowserMode();
