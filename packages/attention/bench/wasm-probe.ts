/**
 * `npx tsx bench/wasm-probe.ts`: what a SIMD backend would gain, measured
 * rather than guessed. The js flash kernels spend ~80% of their time in one
 * routine, `gemmNT` (see bench/profile.ts). This probe assembles a
 * WebAssembly SIMD version of that 64 x 64 x 64 tile product
 * (`gemm-probe.wat`: f32x4 over the contracted axis, the same 4 x 2 register
 * block) with wabt, checks it against a plain loop, and times both on CPU
 * time. It is a prototype for the wasm backend issue, not shipped code.
 */
import { readFileSync } from 'node:fs';
import wabtInit from 'wabt';
import { gemmNT } from '../src/kernels/gemm-nt.js';

const n = 64;
const wabt = await wabtInit();
const source = readFileSync(new URL('./gemm-probe.wat', import.meta.url), 'utf8');
const { buffer } = wabt.parseWat('gemm-probe.wat', source, { simd: true }).toBinary({});
const { instance } = (await WebAssembly.instantiate(buffer)) as unknown as {
  instance: WebAssembly.Instance;
};
const { gemm, memory } = instance.exports as {
  gemm: (...args: number[]) => void;
  memory: WebAssembly.Memory;
};
const heap = new Float32Array(memory.buffer);
const [A, B, C] = [0, n * n, 2 * n * n];
for (let i = 0; i < 2 * n * n; i++) heap[i] = Math.sin(i);
gemm(A * 4, n, B * 4, n, C * 4, n, n, n, n, 1);
let maxError = 0;
for (let r = 0; r < n; r++) {
  for (let c = 0; c < n; c++) {
    let dot = 0;
    for (let t = 0; t < n; t++) dot += heap[A + r * n + t]! * heap[B + c * n + t]!;
    maxError = Math.max(maxError, Math.abs(dot - heap[C + r * n + c]!));
  }
}

const a = Float64Array.from(heap.subarray(A, A + n * n));
const b = Float64Array.from(heap.subarray(B, B + n * n));
const c = new Float64Array(n * n);
const cpu = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
const best = { wasm: 0, js: 0 };
for (let round = 0; round < 7; round++) {
  let t0 = cpu();
  for (let i = 0; i < 2000; i++) gemm(A * 4, n, B * 4, n, C * 4, n, n, n, n, 1);
  best.wasm = Math.max(best.wasm, (2000 * 2 * n ** 3) / (cpu() - t0) / 1e6);
  t0 = cpu();
  for (let i = 0; i < 500; i++) gemmNT(a, 0, n, b, 0, n, c, 0, n, n, n, n, 1, false);
  best.js = Math.max(best.js, (500 * 2 * n ** 3) / (cpu() - t0) / 1e6);
}
console.log(
  `64 x 64 x 64 tile product (C = A B^T), best of 7, CPU time; wasm max |error| ${maxError.toExponential(1)} (float32)`,
);
console.log(`  js gemmNT (float64 scalar):  ${best.js.toFixed(2)} GFLOP/s`);
console.log(
  `  wasm SIMD (f32x4 prototype): ${best.wasm.toFixed(2)} GFLOP/s (${(best.wasm / best.js).toFixed(1)}x)`,
);
console.log(
  JSON.stringify({
    probe: 'gemmNT',
    gflops: { js: Number(best.js.toFixed(2)), wasmSimd: Number(best.wasm.toFixed(2)) },
  }),
);
