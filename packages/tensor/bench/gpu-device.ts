/**
 * `npm run bench:gpu -w @x/tensor`: the gpu backend (gpu.js) on the best
 * target gpu.js finds here (headless-gl, WebGL; `cpu` when neither loads)
 * against our js backend, in one process. Run it on a GPU machine; on a
 * machine without one, run it under `xvfb-run -a` to time gpu.js's GLSL path
 * on Mesa's software renderer (those figures measure llvmpipe on the CPU, not
 * a GPU).
 *
 * Matmul (float32, N x N, GFLOP/s = 2 N^3 / t) at N = 512, 1024, 2048 and
 * softmax over rows of a 1024 x 1024 tensor (1M elements, GB/s of input +
 * output). Each gpu result is first checked against the js backend. Times:
 * the device runs `repeats` back-to-back kernels on resident tensors and one
 * readback ends the run (that readback is timed separately and subtracted, so
 * the figure is kernel throughput; the upload and readback times are printed
 * too). The js backend's time is the median of its runs.
 *
 * WebGPU: gpu.js's WebGPU target is asynchronous (every kernel call returns a
 * Promise), so the backend cannot use it; where the `webgpu` package (Dawn)
 * loads, a plain gpu.js matmul kernel is timed on it as well, as the figure a
 * real GPU gives gpu.js (in Node, headless-gl under Xvfb renders in software).
 *
 * Options: --sizes=512,1024 (matmul sizes), --mode=headlessgl|cpu.
 * Ends with one JSON line of the figures.
 */

import { createGpuBackend, detectGpu, type GpuMode } from '../src/gpu/index.js';
import * as X from '../src/index.js';

const argument = (name: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const detection = detectGpu();
const mode = (argument('mode') as GpuMode | undefined) ?? detection.mode;
const sizes = (argument('sizes') ?? (mode === 'cpu' ? '512,1024' : '512,1024,2048'))
  .split(',')
  .map(Number);

const gpu = createGpuBackend({ mode, name: 'gpu' });
X.registerBackend(gpu, { priority: -1 });

function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!)));
  }
  return worst;
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((p, q) => p - q);
  return sorted[sorted.length >> 1]!;
}

/** Median ms of `run` on the js backend (at least 3 runs, up to ~3 s). */
function timeJs(run: () => X.Tensor): number {
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < 3 || (performance.now() - start < 3000 && samples.length < 50)) {
    const t0 = performance.now();
    X.tidy(() => {
      run();
    });
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

/** Ms per kernel of `run` on the device: `repeats` resident runs, then one readback (subtracted). */
function timeGpu(run: () => X.Tensor, repeats: number, trials = 3): { ms: number; readMs: number } {
  const perRun: number[] = [];
  let readMs = 0;
  for (let trial = 0; trial < trials; trial++) {
    X.tidy(() => {
      const t0 = performance.now();
      let last = run();
      for (let r = 1; r < repeats; r++) last = run();
      last.toTypedArray();
      const total = performance.now() - t0;
      const r0 = performance.now();
      last.toTypedArray();
      readMs = performance.now() - r0;
      perRun.push(Math.max(total - readMs, 0) / repeats);
    });
  }
  return { ms: median(perRun), readMs };
}

const results: Record<string, number | string | boolean> = {
  mode,
  hardware: detection.hardware,
  detection: detection.reason,
};
console.log(`gpu backend on gpu.js mode "${mode}" (${detection.reason})`);
console.log(
  'op        size        gpu ms   gpu GFLOP/s   js ms   js GFLOP/s   gpu/js   max rel err',
);

for (const n of sizes) {
  const a = X.randn([n, n], { dtype: 'float32', backend: 'js' });
  const b = X.randn([n, n], { dtype: 'float32', backend: 'js' });
  const t0 = performance.now();
  const ga = a.toBackend('gpu');
  const gb = b.toBackend('gpu');
  const uploadMs = performance.now() - t0;
  const r0 = performance.now();
  const reference = a.matmul(b).toTypedArray();
  const referenceMs = performance.now() - r0;
  const error = maxRelativeError(ga.matmul(gb).toTypedArray(), reference); // also compiles
  // 2048 on a software path takes tens of seconds per run: one timed run each.
  const big = n >= 2048;
  const gpuTime = timeGpu(() => ga.matmul(gb), big ? 1 : 4, big ? 1 : 3);
  const jsMs = big ? referenceMs : timeJs(() => a.matmul(b));
  const flop = 2 * n ** 3;
  const gpuGflops = flop / gpuTime.ms / 1e6;
  const jsGflops = flop / jsMs / 1e6;
  console.log(
    `matmul    ${`${n}x${n}`.padEnd(10)} ${gpuTime.ms.toFixed(1).padStart(8)} ${gpuGflops.toFixed(2).padStart(12)} ${jsMs.toFixed(1).padStart(8)} ${jsGflops.toFixed(2).padStart(11)} ${(gpuGflops / jsGflops).toFixed(2).padStart(8)}   ${error.toExponential(1)}   (upload ${uploadMs.toFixed(0)} ms, readback ${gpuTime.readMs.toFixed(0)} ms)`,
  );
  results[`matmul${n}GpuGflops`] = Number(gpuGflops.toFixed(3));
  results[`matmul${n}JsGflops`] = Number(jsGflops.toFixed(3));
  results[`matmul${n}MaxRelErr`] = Number(error.toExponential(2));
  for (const t of [a, b, ga, gb]) t.dispose();
}

{
  const x = X.randn([1024, 1024], { dtype: 'float32', backend: 'js' });
  const gx = x.toBackend('gpu');
  const error = maxRelativeError(gx.softmax(-1).toTypedArray(), x.softmax(-1).toTypedArray());
  const gpuTime = timeGpu(() => gx.softmax(-1), 8);
  const jsMs = timeJs(() => x.softmax(-1));
  const bytes = 2 * 4 * 1024 * 1024;
  const gpuGbs = bytes / gpuTime.ms / 1e6;
  const jsGbs = bytes / jsMs / 1e6;
  console.log(
    `softmax   1024x1024  ${gpuTime.ms.toFixed(1).padStart(8)} ${`${gpuGbs.toFixed(2)} GB/s`.padStart(12)} ${jsMs.toFixed(1).padStart(8)} ${`${jsGbs.toFixed(2)} GB/s`.padStart(11)} ${(jsMs / gpuTime.ms).toFixed(2).padStart(8)}   ${error.toExponential(1)}`,
  );
  results.softmax1MGpuMs = Number(gpuTime.ms.toFixed(2));
  results.softmax1MJsMs = Number(jsMs.toFixed(2));
  results.softmax1MMaxRelErr = Number(error.toExponential(2));
}

/** A plain gpu.js matmul kernel on WebGPU through the `webgpu` package, or why not. */
async function webgpuMatmul(n: number): Promise<{ gflops: number; error: number } | string> {
  try {
    const packageName = 'webgpu';
    const dawn = (await import(packageName)) as {
      create(options: string[]): unknown;
      globals: Record<string, unknown>;
    };
    Object.assign(globalThis, dawn.globals);
    Object.defineProperty(globalThis, 'navigator', {
      value: { gpu: dawn.create([]) },
      configurable: true,
    });
    const { GPU } = await import('gpu.js');
    const statics = GPU as unknown as { isWebGPUAvailable(): Promise<boolean> };
    if (!(await statics.isWebGPUAvailable())) return 'no WebGPU adapter';
    const device = new GPU({ mode: 'webgpu' } as never);
    const kernel = device.createKernel(
      `function (a, b) {
        let s = 0.0;
        for (let k = 0; k < ${n}; k++) { s += a[this.thread.y][k] * b[k][this.thread.x]; }
        return s;
      }`,
      { output: [n, n] },
    ) as unknown as (a: Float32Array[], b: Float32Array[]) => Promise<Float32Array[]>;
    const a = X.randn([n, n], { backend: 'js' });
    const b = X.randn([n, n], { backend: 'js' });
    const rows = (t: X.Tensor) => {
      const flat = t.toTypedArray() as Float32Array;
      return Array.from({ length: n }, (_, i) => flat.subarray(i * n, (i + 1) * n));
    };
    const [ra, rb] = [rows(a), rows(b)];
    const first = await kernel(ra, rb);
    const error = maxRelativeError(
      Float32Array.from(first.flatMap((row) => Array.from(row))),
      a.matmul(b).toTypedArray(),
    );
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await kernel(ra, rb);
      samples.push(performance.now() - t0);
    }
    return { gflops: (2 * n ** 3) / median(samples) / 1e6, error };
  } catch (error) {
    return `unavailable: ${String((error as Error).message).split('\n')[0]}`;
  }
}

for (const n of sizes) {
  const webgpu = await webgpuMatmul(n);
  if (typeof webgpu === 'string') {
    console.log(`gpu.js webgpu plain matmul kernel: ${webgpu}`);
    results.webgpu = webgpu;
    break;
  }
  console.log(
    `gpu.js webgpu plain matmul ${n}x${n}: ${webgpu.gflops.toFixed(1)} GFLOP/s (with upload and readback), max rel err ${webgpu.error.toExponential(1)}`,
  );
  results[`webgpuMatmul${n}Gflops`] = Number(webgpu.gflops.toFixed(2));
}

results.compiledKernels = gpu.compiledKernels();
results.fallbackKernels = gpu.fallbackKernels();
gpu.destroy();
console.log(JSON.stringify(results));
