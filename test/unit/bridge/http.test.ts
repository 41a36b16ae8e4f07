import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { startHttpBridge, type HttpBridge } from '../../../main/bridge/http';
import { Engine } from '../../../main/engine';
import { createServices, type Services } from '../../../main/services';
import { fixturesDir } from '../paths';
import { untrainedCatalog } from '../services/model-fixture';

/** Browser mode's security rules and wire format, against the real server and services. */
let services: Services;
let bridge: HttpBridge;
let host: string;
const renderer = fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-renderer-'));

before(async () => {
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>t</title>');
  fs.writeFileSync(path.join(os.tmpdir(), 'outside.txt'), 'secret');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-ws-'));
  const models = await untrainedCatalog(workspace, 'untrained-test');
  services = await createServices({ engine: await Engine.start({ workers: 1 }), workspace, models });
  bridge = await startHttpBridge({ handlers: services.handlers, events: services.events, exports: services.exports, rendererDir: renderer });
  host = `127.0.0.1:${bridge.port}`;
});
after(async () => { await bridge?.close(); await services?.dispose(); });

interface Reply { status: number; headers: http.IncomingHttpHeaders; body: Buffer }

function request(pathName: string, o: { method?: string; headers?: Record<string, string>; body?: Uint8Array | string; address?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: o.address ?? '127.0.0.1', port: bridge.port, path: pathName, method: o.method ?? 'GET',
      headers: { host, ...o.headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}
const auth = () => ({ authorization: `Bearer ${bridge.token}` });
const api = (channel: string, body: unknown, headers: Record<string, string> = {}) =>
  request(`/api/${channel}`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const errorOf = (r: Reply) => JSON.parse(r.body.toString()) as Record<string, unknown>;

test('listens on 127.0.0.1 only: another loopback address is refused', async () => {
  assert.match(bridge.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
  await assert.rejects(request('/', { address: '127.0.0.2' }), (e: NodeJS.ErrnoException) => e.code === 'ECONNREFUSED');
});

test('without the token nothing is served; the one-time URL sets an HttpOnly SameSite=Strict cookie', async () => {
  assert.equal((await request('/')).status, 401);
  assert.equal((await request('/api/engine.info', { method: 'POST', body: '{}' })).status, 401);
  assert.equal((await request('/?token=' + 'f'.repeat(64))).status, 401);
  assert.equal((await request('/api/engine.info', { method: 'POST', body: '{}', headers: { authorization: 'Bearer nope' } })).status, 401);
  const login = await request(`/?token=${bridge.token}`);
  assert.equal(login.status, 303);
  assert.equal(login.headers.location, '/');
  const cookie = login.headers['set-cookie']![0]!;
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  const page = await request('/', { headers: { cookie: cookie.split(';')[0]! } });
  assert.equal(page.status, 200);
  assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
});

test('a wrong Host header (DNS rebinding) is refused with 421', async () => {
  for (const h of ['evil.example', `evil.example:${bridge.port}`, '127.0.0.1:1', `[::1]:${bridge.port}`]) {
    const r = await request('/api/engine.info', { method: 'POST', headers: { ...auth(), host: h }, body: '{}' });
    assert.equal(r.status, 421, h);
    assert.equal(errorOf(r).code, 'FORBIDDEN_HOST');
  }
  assert.equal((await request('/api/engine.info', { method: 'POST', headers: { ...auth(), host: `localhost:${bridge.port}` }, body: '{}' })).status, 200);
});

test('cross-site requests are refused with 403, same-origin ones pass', async () => {
  const evil = await api('engine.info', {}, { origin: 'https://evil.example' });
  assert.equal(evil.status, 403);
  assert.deepEqual(errorOf(evil), { code: 'FORBIDDEN_ORIGIN', message: 'Requests from other sites are refused.' });
  assert.equal((await api('engine.info', {}, { origin: `http://127.0.0.1:${bridge.port + 1}` })).status, 403);
  assert.equal((await api('engine.info', {}, { 'sec-fetch-site': 'cross-site' })).status, 403);
  assert.equal((await api('engine.info', {}, { origin: `http://${host}`, 'sec-fetch-site': 'same-origin' })).status, 200);
});

test('unknown routes and channels are 404; wrong methods 405', async () => {
  for (const p of ['/nope', '/api/nope', '/../package.json', '/%2e%2e/%2e%2e/package.json', '/files/../x', '/files/20260101T000000-00000000/..%2F..%2Foutside.txt', '/.hidden']) {
    const r = await request(p, { method: p.startsWith('/api/') ? 'POST' : 'GET', headers: auth() });
    assert.equal(r.status, 404, p);
    assert.equal(errorOf(r).code, 'NOT_FOUND');
  }
  assert.equal((await request('/api/engine.info', { headers: auth() })).status, 405);
  assert.equal((await request('/', { method: 'DELETE', headers: auth() })).status, 405);
});

test('errors cross as {code, message} JSON only, with a fitting status', async () => {
  const garbage = await request('/api/studies.open', { method: 'POST', headers: { ...auth(), 'x-sonoseg-file-name': 'x.png' }, body: new Uint8Array([1, 2, 3, 4]) });
  assert.equal(garbage.status, 422);
  assert.match(String(garbage.headers['content-type']), /application\/json/);
  assert.deepEqual(Object.keys(errorOf(garbage)).sort(), ['code', 'message']);
  assert.equal(errorOf(garbage).code, 'UNSUPPORTED_FORMAT');
  const badJson = await request('/api/segment', { method: 'POST', headers: auth(), body: '{nope' });
  assert.equal(badJson.status, 400);
  assert.deepEqual(errorOf(badJson), { code: 'INVALID_ARGUMENT', message: 'The request body is not valid JSON.' });
  const missing = await api('segment', { studyId: 'gone', frame: 0 });
  assert.equal(missing.status, 400);
  assert.doesNotMatch(missing.body.toString(), /at .*\.js:\d+/, 'no stack trace');
});

test('a real upload round-trips: frame and probability as raw bytes, events over SSE, export download', async () => {
  const file = path.join(fixturesDir, 'dicom', 'real', 'pydicom-data', 'OBXXXX1A_rle.dcm');
  const opened = await request('/api/studies.open', { method: 'POST', headers: { ...auth(), 'x-sonoseg-file-name': encodeURIComponent('OB xx.dcm') }, body: fs.readFileSync(file) });
  assert.equal(opened.status, 200);
  const study = JSON.parse(opened.body.toString()) as { id: string; width: number; height: number; name: string };
  assert.equal(study.name, 'OB xx.dcm');
  const frame = await api('studies.frame', { studyId: study.id, frame: 0 });
  const meta = JSON.parse(decodeURIComponent(String(frame.headers['x-sonoseg-meta']))) as { width: number; channels: number };
  assert.equal(frame.body.length, study.width * study.height * meta.channels);
  const { events } = await collectEvents();
  const seg = await api('segment', { studyId: study.id, frame: 0 });
  assert.equal(seg.body.length, study.width * study.height);
  assert.match(String(seg.headers['x-sonoseg-meta']), /untrained-test/);
  assert.deepEqual((await events).slice(0, 2), ['segment.onDidProgress running', 'segment.onDidProgress done']);
  const mask = new Uint8Array(study.width * study.height).fill(1);
  const exported = await api('export', { studyId: study.id, frame: 0, formats: ['mask'], threshold: 0.5, deidentify: true,
    mask: { width: study.width, height: study.height, data: { $bytes: Buffer.from(mask).toString('base64') } } });
  const res = JSON.parse(exported.body.toString()) as { exportId: string; files: { name: string; bytes: number }[]; maskEdited: boolean };
  assert.equal(res.maskEdited, true);
  const dl = await request(`/files/${res.exportId}/${encodeURIComponent(res.files[0]!.name)}`, { headers: auth() });
  assert.equal(dl.status, 200);
  assert.equal(dl.body.length, res.files[0]!.bytes);
  assert.match(String(dl.headers['content-disposition']), /^attachment/);
});

/**
 * Opens the event stream; resolves once subscribed (the server subscribes as it sends the headers)
 * with a promise of the first two events' "name state" lines.
 */
function collectEvents(): Promise<{ events: Promise<string[]> }> {
  return new Promise((subscribed, reject) => {
    const seen: string[] = [];
    let resolve!: (v: string[]) => void;
    const first = new Promise<string[]>((r) => { resolve = r; });
    const req = http.get({ host: '127.0.0.1', port: bridge.port, path: '/api/events', headers: { host, ...auth() } }, (res) => {
      subscribed({ events: first });
      let buf = '';
      res.on('data', (c: Buffer) => {
        buf += c.toString();
        for (const m of buf.matchAll(/event: (\S+)\ndata: (.*)\n\n/g)) seen.push(`${m[1]} ${(JSON.parse(m[2]!) as { state: string }).state}`);
        buf = buf.slice(buf.lastIndexOf('\n\n') + 2);
        if (seen.length >= 2) { req.destroy(); resolve(seen); }
      });
    });
    req.on('error', (e) => { if (seen.length < 2) reject(e); });
  });
}
