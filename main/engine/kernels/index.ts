/** Public face of the wasm gradient kernels: call registerWasmGradientKernels() once wasm is ready. */
export { registerWasmGradientKernels, kernelCallCounts, resetKernelCallCounts, isOurKernel } from './register';
