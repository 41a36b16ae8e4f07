#!/usr/bin/env node
'use strict';
// The `sonoseg` command. Runs the compiled CLI (npm run build:main writes dist/).
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist', 'main', 'cli', 'index.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('error: INTERNAL: sonoseg is not built yet; run `npm run build:main` first\n');
  process.exit(1);
}
require(entry).main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
