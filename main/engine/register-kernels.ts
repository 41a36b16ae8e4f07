import { registerWasmGradientKernels } from './kernels';
import { loadOneDnnAddon } from './native/addon';
import { registerNativeConvKernels } from './native/conv-kernels';

/**
 * Runs once the wasm backend is active: first our wasm gradient kernels (main/engine/kernels), then,
 * where the optional native addon loads, oneDNN convolutions on top (they fall back to the wasm
 * kernels for cases they do not cover). Returns a line for engine.info().
 */
export function registerEngineKernels(): { native: boolean; detail: string } {
  registerWasmGradientKernels();
  const addon = loadOneDnnAddon();
  if (!addon.ok) return { native: false, detail: addon.reason };
  registerNativeConvKernels(addon.addon);
  return { native: true, detail: `oneDNN ${addon.addon.info().version} native convolutions` };
}
