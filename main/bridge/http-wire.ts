import type { IncomingMessage, ServerResponse } from 'node:http';
import { SonoError, toErrorPayload, type ErrorPayload } from '../common/errors';
import { BINARY_FIELD, BYTES_KEY, META_HEADER, type Channel } from '../../preload/api';

/** Encoding of the API over HTTP: bodies in, JSON or raw bytes out, errors as {code, message}. */

/** Reads a request body, refusing more than `limit` bytes before holding them in memory. */
export function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      reject(new SonoError('TOO_LARGE', `The upload is larger than ${Math.round(limit / 1024 ** 2)} MiB.`));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new SonoError('TOO_LARGE', `The upload is larger than ${Math.round(limit / 1024 ** 2)} MiB.`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      const buf = Buffer.concat(chunks);
      resolve(new Uint8Array(buf.buffer, buf.byteOffset, buf.length));
    });
    req.on('error', reject);
  });
}

/** JSON with `{"$bytes": base64}` turned back into Uint8Array. */
export function parseJson(body: Uint8Array): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(Buffer.from(body).toString('utf8'), (_k, v: unknown) => {
      if (v && typeof v === 'object' && !Array.isArray(v) && typeof (v as Record<string, unknown>)[BYTES_KEY] === 'string' &&
          Object.keys(v).length === 1) {
        return new Uint8Array(Buffer.from((v as Record<string, string>)[BYTES_KEY]!, 'base64'));
      }
      return v;
    });
  } catch {
    throw new SonoError('INVALID_ARGUMENT', 'The request body is not valid JSON.');
  }
}

const NO_STORE = { 'cache-control': 'no-store' };

/** A channel's response: its large byte field as the body, the rest as JSON in a header. */
export function sendResult(res: ServerResponse, channel: Channel, value: unknown): void {
  const field = BINARY_FIELD[channel];
  if (field && value && typeof value === 'object') {
    const { [field]: data, ...meta } = value as Record<string, unknown>;
    const bytes = data as Uint8Array;
    res.writeHead(200, {
      ...NO_STORE,
      'content-type': 'application/octet-stream',
      'content-length': bytes.length,
      [META_HEADER]: encodeURIComponent(JSON.stringify(meta)),
    });
    res.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
    return;
  }
  sendJson(res, 200, value);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { ...NO_STORE, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function sendError(res: ServerResponse, e: unknown, status?: number): void {
  const payload: ErrorPayload = toErrorPayload(e);
  if (res.headersSent) { res.destroy(); return; }
  sendJson(res, status ?? statusOf(payload.code), { code: payload.code, message: payload.message });
}

function statusOf(code: string): number {
  switch (code) {
    case 'INVALID_ARGUMENT': return 400;
    case 'FILE_NOT_FOUND': case 'MODEL_NOT_FOUND': return 404;
    case 'TOO_LARGE': return 413;
    case 'UNSUPPORTED_FORMAT': case 'CORRUPT_FILE': case 'NO_PIXEL_DATA': case 'NOT_ULTRASOUND':
    case 'EMPTY_FILE': case 'MODEL_INVALID': return 422;
    case 'CANCELLED': return 409;
    default: return 500;
  }
}
