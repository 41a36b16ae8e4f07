/**
 * Registers our fast wasm gradient kernels (main/engine/kernels) once the wasm backend is active.
 * Kept apart so the worker does not depend on the kernels' internals.
 */
export function registerEngineKernels(): void {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const kernels = require('./kernels') as { registerWasmGradientKernels?: () => void };
    kernels.registerWasmGradientKernels?.();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw e;
  }
}
