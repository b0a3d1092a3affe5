/**
 * `@x/tensor/gpu`: the gpu.js backend. Needs the optional peer dependency
 * `gpu.js` (and, in Node, its optional `gl` for headless-gl); the main entry
 * never imports it.
 *
 *   import { registerGpuBackend } from '@x/tensor/gpu';
 *   registerGpuBackend(); // registers 'gpu' where gpu.js reports a hardware GPU
 *   setBackend('auto');
 */
export {
  createGpuBackend,
  detectGpu,
  type GpuBackend,
  type GpuBackendOptions,
  type GpuDetection,
  type GpuMode,
  type GpuRegistration,
  type GpuStorage,
  headlessGlUnavailable,
  type RegisterGpuOptions,
  registerGpuBackend,
} from '../backends/gpu/index.js';
