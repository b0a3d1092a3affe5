/**
 * Finding out what gpu.js can run on here, and whether that is a real GPU.
 *
 * gpu.js reports which of its targets load (WebGPU, WebGL2, WebGL, headless-gl
 * in Node). A target that loads is not necessarily a GPU: headless-gl under
 * Xvfb renders with Mesa's llvmpipe on the CPU, and browsers may fall back to
 * SwiftShader. `auto` backend selection must not move tensors to such a
 * software renderer, so detection also names the renderer where it can: in
 * Node it looks for a software rasterizer among the loaded shared libraries
 * (`/proc/self/maps` on Linux) after a headless-gl context was made; in
 * browsers it reads the WebGL renderer string.
 *
 * gpu.js's WebGPU target is not used: every WebGPU kernel call returns a
 * Promise (its readback is asynchronous), and the backend interface is
 * synchronous (`download` returns the values). WebGPU's presence is reported
 * in the reason only.
 */
import { GPU } from 'gpu.js';

/** The gpu.js targets this backend can use (`cpu` runs kernels as JavaScript). */
export type GpuMode = 'webgl2' | 'webgl' | 'headlessgl' | 'cpu';

/** What detection found. */
export interface GpuDetection {
  /** The best gpu.js target that loads here. */
  readonly mode: GpuMode;
  /** True when `mode` runs on a hardware GPU (false for `cpu` and software renderers). */
  readonly hardware: boolean;
  /** A human-readable reason, naming the renderer when known. */
  readonly reason: string;
}

const SOFTWARE_LIBRARY = /swrast_dri|kms_swrast|llvmpipe|softpipe|libvulkan_lvp|swiftshader/i;
const SOFTWARE_RENDERER = /llvmpipe|softpipe|swiftshader|software|basic render/i;

interface GpuStatics {
  isWebGPUSupported?: boolean;
  isWebGL2Supported?: boolean;
  isWebGLSupported?: boolean;
  isHeadlessGLSupported?: boolean;
}

interface ProcessLike {
  versions?: { node?: string };
  env: Record<string, string | undefined>;
  cwd(): string;
  getBuiltinModule?: (id: string) => unknown;
}

/** Reads the loaded shared libraries of this process (Linux), or null where that is unknown. */
function loadedLibraries(): string | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const fs = proc?.getBuiltinModule?.('node:fs') as
    | { readFileSync(path: string, encoding: 'utf8'): string }
    | undefined;
  try {
    return fs ? fs.readFileSync('/proc/self/maps', 'utf8') : null;
  } catch {
    return null;
  }
}

/** The renderer string of a browser WebGL2 context, or null. */
function browserRenderer(): string | null {
  const doc = (globalThis as { document?: { createElement(tag: string): unknown } }).document;
  if (!doc) return null;
  type Gl = {
    getExtension(name: string): { UNMASKED_RENDERER_WEBGL: number } | null;
    getParameter(p: number): unknown;
    RENDERER: number;
  };
  const canvas = doc.createElement('canvas') as { getContext(kind: string): Gl | null };
  const gl = canvas.getContext('webgl2');
  if (!gl) return null;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}

/** Makes a headless-gl context (by running a one-texel kernel) and tells whether it is software-rendered. */
function headlessGlIsSoftware(): { software: boolean; detail: string } {
  const gpu = new GPU({ mode: 'headlessgl' });
  try {
    const kernel = gpu.createKernel('function () { return 1.0; }', { output: [1] });
    kernel();
    const maps = loadedLibraries();
    if (maps === null) return { software: true, detail: 'renderer unknown' };
    const match = maps.match(SOFTWARE_LIBRARY);
    return match
      ? { software: true, detail: `software rasterizer ${match[0]}` }
      : { software: false, detail: 'hardware OpenGL driver' };
  } catch (error) {
    return { software: true, detail: `context failed: ${(error as Error).message}` };
  } finally {
    void gpu.destroy();
  }
}

/**
 * Why gpu.js's headless-gl target cannot run in this process, or null when it
 * can: the optional `gl` package missing or unbuilt, or no X display.
 * @returns a reason naming the fix, or null
 * @example
 * headlessGlUnavailable() // 'no X display: run under `xvfb-run -a` (or set DISPLAY)'
 */
export function headlessGlUnavailable(): string | null {
  if ((GPU as unknown as GpuStatics).isHeadlessGLSupported) return null;
  const proc = (globalThis as { process?: ProcessLike }).process;
  if (!proc?.versions?.node) return 'headless-gl runs in Node.js only';
  type Require = ((id: string) => unknown) & { resolve(id: string): string };
  const module = proc.getBuiltinModule?.('node:module') as
    | { createRequire(from: string): Require }
    | undefined;
  try {
    if (module) {
      // gl is resolved from where gpu.js is, as gpu.js itself loads it.
      const fromCwd = module.createRequire(`${proc.cwd()}/`);
      module.createRequire(fromCwd.resolve('gpu.js'))('gl');
    }
  } catch (error) {
    const first = (error as Error).message.split('\n')[0];
    return `the optional package "gl" does not load (${first}); install it with its install script allowed`;
  }
  if (!proc.env.DISPLAY) return 'no X display: run under `xvfb-run -a` (or set DISPLAY)';
  return 'headless-gl could not create a WebGL context on this display';
}

/**
 * Detects the best gpu.js target here and whether it is a hardware GPU.
 * @returns the mode, whether it is hardware, and why
 * @example
 * detectGpu() // { mode: 'cpu', hardware: false, reason: 'gpu.js found no WebGL or headless-gl' }
 */
export function detectGpu(): GpuDetection {
  const statics = GPU as unknown as GpuStatics;
  const webgpu = statics.isWebGPUSupported
    ? ' (WebGPU present but async-only in gpu.js: unused)'
    : '';
  if (statics.isWebGL2Supported || statics.isWebGLSupported) {
    const mode = statics.isWebGL2Supported ? 'webgl2' : 'webgl';
    const renderer = browserRenderer();
    const software = renderer === null || SOFTWARE_RENDERER.test(renderer);
    return {
      mode,
      hardware: !software,
      reason: `gpu.js reports ${mode}, renderer ${renderer ?? 'unknown'}${webgpu}`,
    };
  }
  if (statics.isHeadlessGLSupported) {
    const { software, detail } = headlessGlIsSoftware();
    return { mode: 'headlessgl', hardware: !software, reason: `headless-gl: ${detail}${webgpu}` };
  }
  return { mode: 'cpu', hardware: false, reason: `gpu.js found no WebGL or headless-gl${webgpu}` };
}
