import {
  BINARY_FIELD, BYTES_KEY, EVENT_NAMES, FILE_NAME_HEADER, META_HEADER,
  type ApiEvent, type Channel, type ErrorPayload, type FileUpload, type RequestOf, type ResponseOf,
} from '../../../preload/api';
import type { Transport } from './bridge';

/**
 * Browser mode: POST /api/<channel>. A study upload is the raw file; other requests are JSON with
 * byte arrays as {"$bytes": base64}. Frame and probability responses come back as raw bytes with
 * the other fields in a header. The session cookie (set by the one-time ?token= URL) authenticates.
 */
export class HttpTransport implements Transport {
  readonly kind = 'http' as const;

  constructor(private readonly origin: string) {}

  async invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
    const init = channel === 'studies.open' ? uploadInit(request as FileUpload) : jsonInit(request);
    const res = await fetch(`${this.origin}/api/${channel}`, { method: 'POST', credentials: 'same-origin', ...init });
    if (!res.ok) throw await errorOf(res);
    const field = BINARY_FIELD[channel];
    if (!field) return (await res.json()) as ResponseOf<C>;
    const meta = JSON.parse(decodeURIComponent(res.headers.get(META_HEADER) ?? '%7B%7D')) as Record<string, unknown>;
    meta[field] = new Uint8Array(await res.arrayBuffer());
    return meta as ResponseOf<C>;
  }

  onEvent(listener: (event: ApiEvent) => void): () => void {
    const source = new EventSource(`${this.origin}/api/events`, { withCredentials: true });
    for (const name of EVENT_NAMES) {
      source.addEventListener(name, (m) => listener({ name, payload: JSON.parse((m as MessageEvent<string>).data) } as ApiEvent));
    }
    return () => source.close();
  }

  downloadUrl(exportId: string, name: string): string {
    return `${this.origin}/files/${encodeURIComponent(exportId)}/${encodeURIComponent(name)}`;
  }
}

function uploadInit(file: FileUpload): RequestInit {
  return {
    body: file.bytes as Uint8Array<ArrayBuffer>,
    headers: { 'content-type': 'application/octet-stream', [FILE_NAME_HEADER]: encodeURIComponent(file.name) },
  };
}

function jsonInit(request: unknown): RequestInit {
  const body = JSON.stringify(request, (_k, v: unknown) => (v instanceof Uint8Array ? { [BYTES_KEY]: toBase64(v) } : v));
  return { body, headers: { 'content-type': 'application/json' } };
}

async function errorOf(res: Response): Promise<ErrorPayload> {
  try {
    const e = (await res.json()) as Partial<ErrorPayload>;
    if (typeof e.code === 'string' && typeof e.message === 'string') return { code: e.code, message: e.message } as ErrorPayload;
  } catch {
    // not JSON: fall through to a generic message
  }
  return { code: 'INTERNAL', message: `The server answered ${res.status} ${res.statusText}.` };
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  // Chunks keep String.fromCharCode under the engine's argument limit.
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
