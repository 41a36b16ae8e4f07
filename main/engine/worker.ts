/**
 * Entry of an engine worker thread. It owns one tfjs backend and one ModelSession and answers the
 * requests of main/engine/protocol.ts one at a time, so the thread that owns the UI never computes.
 */
import { parentPort } from 'node:worker_threads';
import { SonoError, toErrorPayload } from '../common/errors';
import { initBackend } from './backend';
import { ModelSession } from './model-session';
import type { Envelope, ReplyEnvelope, Request } from './protocol';
import { setNativeThreads } from './native/conv-kernels';
import { registerEngineKernels } from './register-kernels';
import { augmentedBatch } from './train/augment-apply';

if (!parentPort) throw new Error('main/engine/worker.js must run as a worker thread');
const port = parentPort;
const session = new ModelSession();
let ready = false;

port.on('message', async ({ id, request, threads }: Envelope) => {
  let reply: ReplyEnvelope;
  try {
    if (threads) setNativeThreads(threads);
    const result = await handle(request);
    reply = { id, ok: true, result };
  } catch (e) {
    reply = { id, ok: false, error: toErrorPayload(e) };
  }
  port.postMessage(reply, transferables(reply));
});

async function handle(req: Request): Promise<unknown> {
  if (req.op === 'init') {
    const info = await initBackend({ prefer: req.backend, wasmThreads: req.wasmThreads, onWasmReady: registerEngineKernels });
    ready = true;
    return info;
  }
  if (!ready) throw new SonoError('INTERNAL', 'engine worker used before init');
  switch (req.op) {
    case 'build': return session.build(req.config, req.seed, req.weightsFrom, req.deepSupervision);
    case 'load': return session.load(req.dir, req.deepSupervision, req.seed);
    case 'save': return session.save(req.dir, req.withHeads).then(() => null);
    case 'getWeights': return session.getWeights();
    case 'setWeights': return session.setWeights(req.weights), null;
    case 'predict': return session.predict(req.images, req.plan);
    case 'gradients': return session.gradients(req.batch, req.loss);
    case 'optimizer': return session.configureOptimizer(req.adam), null;
    case 'apply': return session.apply(req.grads, req.learningRate), null;
    case 'itemGradients': return session.gradients(augmentedBatch(req.items, req.plan), req.loss);
    case 'getOptimizerState': return session.getOptimizerState();
    case 'setOptimizerState': return session.setOptimizerState(req.state).then(() => null);
  }
}

/** The big buffers of a reply move instead of being copied. */
function transferables(reply: ReplyEnvelope): ArrayBuffer[] {
  if (!reply.ok) return [];
  const r = reply.result as { data?: Float32Array; grads?: Float32Array[]; moments?: Float32Array[] } | Float32Array[] | unknown[];
  const out: ArrayBuffer[] = [];
  const add = (a: unknown) => {
    if (a instanceof Float32Array && a.buffer instanceof ArrayBuffer) out.push(a.buffer);
  };
  if (Array.isArray(r)) r.forEach((x) => (x instanceof Float32Array ? add(x) : add((x as { data?: unknown })?.data)));
  else if (r && typeof r === 'object' && 'grads' in r) r.grads?.forEach(add);
  else if (r && typeof r === 'object' && 'moments' in r) r.moments?.forEach(add);
  return [...new Set(out)];
}
