import * as tf from '@tensorflow/tfjs';
import { isTiled2x2 } from '../kernels/max_pool_grad';
import type { OneDnnAddon } from './addon';

/**
 * Overrides the wasm backend's convolution kernels (forward, fused forward, both gradients) with
 * oneDNN ones that read and write the wasm heap in place. Anything the native path does not cover
 * (dilation, NCHW, PReLU/leaky activations, non-float input, 1×1 filters with a stride) goes to
 * the kernel that was registered before, so behaviour never narrows.
 */
type Info = tf.TensorInfo;
type WasmBackend = tf.KernelBackend & {
  makeOutput(shape: number[], dtype: tf.DataType): Info;
  typedArrayFromHeap(t: Info): Float32Array;
};
type Attrs = {
  strides: number | [number, number]; pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  dilations?: number | [number, number]; dataFormat?: string; dimRoundingMode?: 'floor' | 'round' | 'ceil';
  activation?: string; inputShape?: number[]; filterShape?: number[];
};

const ACTIVATIONS: Record<string, 0 | 1 | 2> = { linear: 0, relu: 1, sigmoid: 2 };
let threads = 1;
let calls = 0;
let fallbacks = 0;

/** Threads oneDNN may use for the next convolutions of this worker. */
export function setNativeThreads(n: number): void {
  threads = Math.max(1, Math.floor(n));
}

/** How many convolutions ran natively (lets tests prove the native path was taken). */
export function nativeConvCalls(): number {
  return calls;
}

/** How many calls of the overridden kernels went to the wasm kernel instead (lets tests prove none did). */
export function nativeFallbacks(): number {
  return fallbacks;
}

export function registerNativeConvKernels(addon: OneDnnAddon): void {
  override('Conv2D', (args, fallback) => forward(addon, args, fallback, false));
  override('FusedConv2D', (args, fallback) => forward(addon, args, fallback, true));
  override('Conv2DBackpropInput', (args, fallback) => backwardData(addon, args, fallback));
  override('Conv2DBackpropFilter', (args, fallback) => backwardFilter(addon, args, fallback));
  override('Concat', (args, fallback) => concatLast(addon, args, fallback));
  override('MaxPoolGrad', (args, fallback) => maxPoolGrad(addon, args, fallback));
}

/** The 2×2 stride-2 pooling gradient in one native pass; other pool geometries fall back. */
function maxPoolGrad(addon: OneDnnAddon, { inputs, backend, attrs }: KernelArgs, fallback: (() => Info) | null): Info {
  const { dy, input, output } = inputs as Record<string, Info>;
  if (!isTiled2x2(input!, attrs as unknown as Parameters<typeof isTiled2x2>[1]) || dy!.dtype !== 'float32') return requireFallback(fallback);
  const [n, h, w, c] = input!.shape as [number, number, number, number];
  const out = backend.makeOutput(input!.shape, 'float32');
  addon.maxPoolGrad2x2(backend.typedArrayFromHeap(dy!), backend.typedArrayFromHeap(input!), backend.typedArrayFromHeap(output!),
    backend.typedArrayFromHeap(out), n, h, w, c, threads);
  calls++;
  return out;
}

/** Channel-axis concatenation of float32 tensors (the skip connections); other axes fall back. */
function concatLast(addon: OneDnnAddon, { inputs, backend, attrs }: KernelArgs, fallback: (() => Info) | null): Info {
  const xs = (Array.isArray(inputs) ? inputs : Object.values(inputs)) as Info[];
  const rank = xs[0]?.shape.length ?? 0;
  const axis = (attrs as unknown as { axis: number }).axis;
  const last = axis === -1 || axis === rank - 1;
  if (!last || rank < 2 || xs.some((x) => x.dtype !== 'float32' || x.shape.length !== rank)) return requireFallback(fallback);
  const outer = xs[0]!.shape.slice(0, -1).reduce((a, b) => a * b, 1);
  if (xs.some((x) => x.shape.slice(0, -1).reduce((a, b) => a * b, 1) !== outer)) return requireFallback(fallback);
  const widths = xs.map((x) => x.shape[rank - 1]!);
  const out = backend.makeOutput([...xs[0]!.shape.slice(0, -1), widths.reduce((a, b) => a + b, 0)], 'float32');
  addon.concatLast(xs.map((x) => backend.typedArrayFromHeap(x)), widths, backend.typedArrayFromHeap(out), outer, threads);
  calls++;
  return out;
}

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: WasmBackend; attrs: Attrs };
type Impl = (args: KernelArgs, fallback: (() => Info) | null) => Info;

function override(kernelName: string, impl: Impl): void {
  const previous = tf.getKernel(kernelName, 'wasm');
  if (previous) tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({
    kernelName, backendName: 'wasm',
    setupFunc: previous?.setupFunc,
    kernelFunc: ((args: KernelArgs) => impl(args, previous ? () => previous.kernelFunc(args as never) as Info : null)) as never,
  });
}

/** Geometry for oneDNN, or null when the native path does not apply. */
function geometry(xShape: number[], filterShape: number[], attrs: Attrs): { info: tf.backend_util.Conv2DInfo; g: number[] } | null {
  if (attrs.dataFormat && attrs.dataFormat !== 'NHWC') return null;
  const dil = attrs.dilations ?? 1;
  if (dil !== 1 && !(Array.isArray(dil) && dil[0] === 1 && dil[1] === 1)) return null;
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number], filterShape as [number, number, number, number],
    attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw, padInfo } = info;
  // A 1×1 filter with a stride goes to the wasm kernel: oneDNN copies the strided pixels into a workspace
  // first, and its 1×1 filter gradient on NHWC indexes that workspace by the channel block instead of
  // the channel count, so with fewer input channels than a block it writes past it (oneDNN issue #6035;
  // here 2.6.3 on AVX2, caught by valgrind, crashed CI). The U-Nets never have such a convolution
  // (unet-gradients.test.ts checks that none of theirs falls back).
  if (kh === 1 && kw === 1 && (sh > 1 || sw > 1)) return null;
  // oneDNN wants right/bottom padding consistent with the output size it is given; it may be negative
  // ('valid' with stride 2 on an odd size leaves the last row unread), which oneDNN accepts.
  const pb = (info.outHeight - 1) * sh + kh - info.inHeight - padInfo.top;
  const pr = (info.outWidth - 1) * sw + kw - info.inWidth - padInfo.left;
  if (padInfo.top < 0 || padInfo.left < 0) return null;
  return { info, g: [sh, sw, padInfo.top, padInfo.left, pb, pr] };
}

function forward(addon: OneDnnAddon, { inputs, backend, attrs }: KernelArgs, fallback: (() => Info) | null, fused: boolean): Info {
  const { x, filter, bias, preluActivationWeights } = inputs as Record<string, Info | undefined>;
  const act = fused ? ACTIVATIONS[attrs.activation ?? 'linear'] : 0;
  const geo = geometry(x!.shape, filter!.shape, attrs);
  if (!geo || act === undefined || preluActivationWeights || (bias && bias.shape.length !== 1) || x!.dtype !== 'float32') {
    return requireFallback(fallback);
  }
  const { info } = geo;
  const outShape = [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
  const out = backend.makeOutput(outShape, 'float32'); // may grow the heap: take views after it
  addon.conv(0, backend.typedArrayFromHeap(x!), x!.shape, backend.typedArrayFromHeap(filter!), filter!.shape,
    bias ? backend.typedArrayFromHeap(bias) : null, backend.typedArrayFromHeap(out), outShape, geo.g, act, threads);
  calls++;
  return out;
}

function backwardData(addon: OneDnnAddon, args: KernelArgs, fallback: (() => Info) | null): Info {
  const { dy, filter } = args.inputs as Record<string, Info>;
  const xShape = args.attrs.inputShape!;
  return gradient(addon, args, fallback, 1, dy!, filter!, xShape, geometry(xShape, filter!.shape, args.attrs));
}

function backwardFilter(addon: OneDnnAddon, args: KernelArgs, fallback: (() => Info) | null): Info {
  const { x, dy } = args.inputs as Record<string, Info>;
  const filterShape = args.attrs.filterShape!;
  return gradient(addon, args, fallback, 2, x!, dy!, filterShape, geometry(x!.shape, filterShape, args.attrs));
}

/** Both convolution gradients: oneDNN kind 1 (dy, filter → dx) or 2 (x, dy → dfilter). */
function gradient(addon: OneDnnAddon, { backend }: KernelArgs, fallback: (() => Info) | null, kind: 1 | 2,
  a: Info, b: Info, outShape: number[], geo: ReturnType<typeof geometry>): Info {
  if (!geo) return requireFallback(fallback);
  const out = backend.makeOutput(outShape, 'float32'); // may grow the heap: take views after it
  addon.conv(kind, backend.typedArrayFromHeap(a), a.shape, backend.typedArrayFromHeap(b), b.shape,
    null, backend.typedArrayFromHeap(out), outShape, geo.g, 0, threads);
  calls++;
  return out;
}

function requireFallback(fallback: (() => Info) | null): Info {
  if (!fallback) throw new Error('this convolution is not supported by the native kernels and wasm has no kernel for it');
  fallbacks++;
  return fallback();
}
