#!/usr/bin/env node
'use strict';
// Builds the optional oneDNN convolution addon with node-gyp. Without oneDNN's headers (Debian:
// libdnnl-dev) the build is skipped with a note and the engine uses its pure wasm kernels; with
// SONOSEG_REQUIRE_NATIVE=1 (CI) a failed build is an error.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const dir = __dirname;
const required = process.env.SONOSEG_REQUIRE_NATIVE === '1';
const header = ['/usr/include/dnnl.hpp', '/usr/include/oneapi/dnnl/dnnl.hpp', '/usr/local/include/dnnl.hpp'].find((f) => fs.existsSync(f));
if (!header) {
  const msg = 'native oneDNN kernels skipped: dnnl.hpp not found (apt-get install libdnnl-dev)';
  if (required) { console.error(`error: ${msg}`); process.exit(1); }
  console.log(msg);
  process.exit(0);
}
const gyp = require.resolve('node-gyp/bin/node-gyp.js');
const nodedir = process.env.npm_config_nodedir || (fs.existsSync('/usr/include/node/node.h') ? '/usr' : undefined);
const args = [gyp, 'rebuild', '--directory', dir, ...(nodedir ? [`--nodedir=${nodedir}`] : [])];
const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
if (r.status !== 0) {
  process.stderr.write(r.stdout.slice(-2000) + r.stderr.slice(-4000));
  const msg = 'native oneDNN kernels failed to build; the engine will use its wasm kernels';
  if (required) { console.error(`error: ${msg}`); process.exit(1); }
  console.log(msg);
  process.exit(0);
}
console.log(`native oneDNN kernels built: ${path.join(dir, 'build', 'Release', 'sonoseg_onednn.node')}`);
