import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { SonoError, fromErrorPayload } from '../common/errors';
import type { Op, Replies, ReplyEnvelope, Request, RequestOf } from './protocol';

/** A promise-per-request handle on one engine worker thread. */
export class WorkerClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private failure: SonoError | undefined;
  busy = false;

  constructor(readonly index: number) {
    this.worker = new Worker(path.join(__dirname, 'worker.js'), { name: `sonoseg-engine-${index}` });
    this.worker.on('message', (m: ReplyEnvelope) => this.settle(m));
    this.worker.on('error', (e) => this.fail(new SonoError('WORKER_FAILED', `engine worker ${index} failed: ${e.message}`)));
    this.worker.on('exit', (code) => {
      if (code !== 0 || this.pending.size > 0) this.fail(new SonoError('WORKER_FAILED', `engine worker ${index} exited (${code})`));
    });
  }

  call<O extends Op>(request: RequestOf<O>, transfer: ArrayBuffer[] = [], threads?: number): Promise<Replies[O]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<Replies[O]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, request: request as Request, threads }, transfer);
    });
  }

  async terminate(): Promise<void> {
    this.failure ??= new SonoError('CANCELLED', 'engine stopped');
    await this.worker.terminate();
  }

  private settle(m: ReplyEnvelope): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.ok) p.resolve(m.result);
    else p.reject(fromErrorPayload(m.error));
  }

  private fail(e: SonoError): void {
    this.failure ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
