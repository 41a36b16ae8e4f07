import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SonoError } from '../common/errors';
import { FILE_NAME_HEADER, isChannel, type Channel } from '../../preload/api';
import type { ApiHandlers, EventHub, ExportService } from '../services';
import { createGate, type Gate } from './http-security';
import { PAGE_CSP, sendFile, staticFile } from './http-static';
import { parseJson, readBody, sendError, sendJson, sendResult } from './http-wire';

/**
 * Browser mode's front door: the built renderer and the API over HTTP on 127.0.0.1, with
 * Server-Sent Events for progress. Routes:
 *   GET  /?token=…            sets the session cookie once, then redirects to /
 *   POST /api/<channel>       the API (studies.open: raw file bytes; others: JSON)
 *   GET  /api/events          Server-Sent Events (ApiEvent per message)
 *   GET  /files/<id>/<name>   a file an export wrote into the workspace
 *   GET  /<asset>             the renderer
 * Files are read only from the renderer folder and the workspace's exports; requests never name a path.
 */
export interface HttpBridgeOptions {
  handlers: ApiHandlers;
  events: EventHub;
  exports: Pick<ExportService, 'file'>;
  rendererDir: string;
  /** 0 (default) picks a free port */
  port?: number;
  /** fixed token for tests; random per launch otherwise */
  token?: string;
  uploadLimitBytes?: number;
}

export interface HttpBridge {
  /** the address to open once: it carries the token */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const JSON_LIMIT = 256 * 1024 ** 2;
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export async function startHttpBridge(o: HttpBridgeOptions): Promise<HttpBridge> {
  let gate: Gate | undefined;
  const server = http.createServer((req, res) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    route(req, res, gate!, o).catch((e: unknown) => sendError(res, e));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new SonoError('IO_ERROR', `Port ${o.port ?? 0} on 127.0.0.1 is not available (${e.code ?? e.message}).`)));
    // Loopback only: other machines on the network must never reach patient images.
    server.listen(o.port ?? 0, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  gate = createGate(port, o.token);
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${gate.token}`,
    origin,
    port,
    token: gate.token,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function route(req: http.IncomingMessage, res: http.ServerResponse, gate: Gate, o: HttpBridgeOptions): Promise<void> {
  const refused = gate.check(req);
  if (refused) return sendJson(res, refused.status, { code: refused.code, message: refused.message });
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (req.method === 'GET' && url.pathname === '/' && url.searchParams.has('token')) return login(res, gate, url);
  if (!gate.authorized(req)) {
    return sendJson(res, 401, { code: 'UNAUTHORIZED', message: 'Open the address printed by `sonoseg serve`: it carries the access token.' });
  }
  if (url.pathname.startsWith('/api/')) return api(req, res, url.pathname.slice(5), o);
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { code: 'METHOD_NOT_ALLOWED', message: `${req.method} is not supported here.` });
  const download = /^\/files\/([^/]+)\/([^/]+)$/.exec(url.pathname);
  if (download) return exportedFile(res, o, download[1]!, download[2]!);
  const file = staticFile(o.rendererDir, url.pathname);
  if (!file) return notFound(res);
  sendFile(res, file, { 'content-security-policy': PAGE_CSP, 'cache-control': 'no-cache' });
}

/** The token leaves the URL at once: a redirect drops it from the address bar and history. */
function login(res: http.ServerResponse, gate: Gate, url: URL): void {
  if (!gate.tokenMatches(url.searchParams.get('token'))) {
    return sendJson(res, 401, { code: 'UNAUTHORIZED', message: 'The access token is wrong or from an earlier launch.' });
  }
  res.writeHead(303, { 'set-cookie': gate.setCookie(), location: '/', 'cache-control': 'no-store' });
  res.end();
}

async function api(req: http.IncomingMessage, res: http.ServerResponse, name: string, o: HttpBridgeOptions): Promise<void> {
  if (name === 'events' && req.method === 'GET') return eventStream(req, res, o.events);
  if (!isChannel(name)) return notFound(res);
  if (req.method !== 'POST') return sendJson(res, 405, { code: 'METHOD_NOT_ALLOWED', message: 'API calls use POST.' });
  const request = await readRequest(req, name, o.uploadLimitBytes ?? 1024 ** 3);
  const value = await o.handlers[name](request);
  sendResult(res, name, value);
}

async function readRequest(req: http.IncomingMessage, channel: Channel, uploadLimit: number): Promise<unknown> {
  if (channel !== 'studies.open') return parseJson(await readBody(req, JSON_LIMIT));
  const header = req.headers[FILE_NAME_HEADER];
  let name = 'upload';
  try {
    if (typeof header === 'string' && header) name = decodeURIComponent(header);
  } catch {
    throw new SonoError('INVALID_ARGUMENT', 'The file name header is not valid.');
  }
  return { name, bytes: await readBody(req, uploadLimit) };
}

function eventStream(req: http.IncomingMessage, res: http.ServerResponse, events: EventHub): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
  res.write('retry: 2000\n\n');
  const unsubscribe = events.subscribe((event) => {
    res.write(`event: ${event.name}\ndata: ${JSON.stringify(event.payload)}\n\n`);
  });
  // A comment line every 20 s keeps proxies and idle timers from closing a quiet stream.
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 20_000);
  heartbeat.unref();
  req.on('close', () => { clearInterval(heartbeat); unsubscribe(); });
}

function exportedFile(res: http.ServerResponse, o: HttpBridgeOptions, id: string, rawName: string): void {
  let name: string;
  try { name = decodeURIComponent(rawName); } catch { return notFound(res); }
  const file = o.exports.file(id, name);
  if (!file) return notFound(res);
  sendFile(res, file, {
    'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
    'cache-control': 'no-store',
  });
}

function notFound(res: http.ServerResponse): void {
  sendJson(res, 404, { code: 'NOT_FOUND', message: 'There is nothing at this address.' });
}
