// Dumps a fold's held-out probability maps (mean of the given members, mirror on) with masks and images.
// usage (after npm run build:main): node training/cv4bf/tools/dump.js <fold k> <out prefix> <member dir>...
const path = require('node:path'), fs = require('node:fs'), os = require('node:os');
const ROOT = path.join(__dirname, '..', '..', '..');
const D = path.join(ROOT, 'dist', 'main');
const { EnginePool } = require(D + '/engine/pool');
const { saveEnsembleOf } = require(D + '/engine/model-io');
const { listDataset, loadItem } = require(D + '/cases');
(async () => {
  const [k, prefix, ...dirs] = process.argv.slice(2);
  const items = await listDataset(path.join(ROOT, '..', 'shared', 'datasets', 'busi'), { splitFile: path.join(ROOT, 'resources', 'splits', `busi-cv4-fold${k}.csv`), split: 'val' });
  const card = JSON.parse(fs.readFileSync(path.join(dirs[0], 'card.json'), 'utf8'));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ens-'));
  saveEnsembleOf(dirs, tmp);
  const pool = await EnginePool.start({ workers: 2 });
  await pool.loadModel({ kind: 'dir', dir: tmp });
  const index = []; const out = fs.openSync(prefix + '.bin', 'w'); let off = 0;
  for (let s = 0; s < items.length; s += 4) {
    const batch = await Promise.all(items.slice(s, s + 4).map((it) => loadItem(it)));
    const maps = await pool.predict(batch.map((b) => b.image), { ...card.plan, flip: true });
    batch.forEach((b, j) => {
      const it = items[s + j], m = maps[j];
      const p = Buffer.from(new Float32Array(m.data).buffer);
      const bufs = [Buffer.from(b.image.data), Buffer.from(b.mask.data), p];
      for (const x of bufs) { fs.writeSync(out, x); }
      index.push({ id: it.id, cls: it.className, w: m.width, h: m.height, off });
      off += bufs.reduce((a, x) => a + x.length, 0);
    });
    process.stderr.write(`\r${s + 4}/${items.length}`);
  }
  fs.closeSync(out);
  fs.writeFileSync(prefix + '.json', JSON.stringify(index));
  await pool.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
})().catch((e) => { console.error(e); process.exit(1); });
