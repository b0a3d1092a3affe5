/**
 * The machine's streaming read bandwidth, measured the way a decode step
 * reads its weights: a plain WebAssembly SIMD sum (four f32x4
 * accumulators, 64 bytes per iteration) over a 512 MB buffer, compiled
 * from the WAT below with wabt at run time. On 2 threads each worker sums
 * its own 256 MB buffer at the same time; the figure is all bytes read
 * over the wall time of the slowest. Best of 8 passes.
 */
import { Worker } from 'node:worker_threads';
import wabtInit from 'wabt';

const WAT = `(module
  (memory (export "memory") PAGES)
  (func (export "sum") (param $ptr i32) (param $len i32) (result f32)
    (local $end i32) (local $a v128) (local $b v128) (local $c v128) (local $d v128)
    (local.set $end (i32.add (local.get $ptr) (local.get $len)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $ptr) (local.get $end)))
        (local.set $a (f32x4.add (local.get $a) (v128.load offset=0 (local.get $ptr))))
        (local.set $b (f32x4.add (local.get $b) (v128.load offset=16 (local.get $ptr))))
        (local.set $c (f32x4.add (local.get $c) (v128.load offset=32 (local.get $ptr))))
        (local.set $d (f32x4.add (local.get $d) (v128.load offset=48 (local.get $ptr))))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 64)))
        (br $next)))
    (local.set $a (f32x4.add (f32x4.add (local.get $a) (local.get $b)) (f32x4.add (local.get $c) (local.get $d))))
    (f32.add (f32.add (f32x4.extract_lane 0 (local.get $a)) (f32x4.extract_lane 1 (local.get $a)))
             (f32.add (f32x4.extract_lane 2 (local.get $a)) (f32x4.extract_lane 3 (local.get $a))))))`;

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { exports } = new WebAssembly.Instance(new WebAssembly.Module(workerData.binary));
const bytes = workerData.bytes;
new Float32Array(exports.memory.buffer, 0, bytes / 4).fill(1); // touch every page
parentPort.on('message', () => {
  const start = performance.now();
  const s = exports.sum(0, bytes);
  parentPort.postMessage({ ms: performance.now() - start, ok: s === bytes / 4 });
});
`;

async function binary(bytes: number): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const pages = Math.ceil(bytes / 65536);
  const module = wabt.parseWat('stream-sum.wat', WAT.replace('PAGES', String(pages)), {
    simd: true,
  });
  const { buffer } = module.toBinary({});
  module.destroy();
  return buffer;
}

/** Streaming read GB/s (1e9 bytes per second) on `threads` threads over 512 MB in all. */
export async function streamingBandwidth(
  threads: number,
  totalBytes = 512 * 2 ** 20,
): Promise<number> {
  const bytes = totalBytes / threads;
  const wasm = await binary(bytes);
  const workers = Array.from(
    { length: threads },
    () => new Worker(WORKER, { eval: true, workerData: { binary: wasm, bytes } }),
  );
  const run = () =>
    Promise.all(
      workers.map(
        (w) =>
          new Promise<{ ms: number; ok: boolean }>((resolve) => {
            w.once('message', resolve);
            w.postMessage('go');
          }),
      ),
    );
  try {
    await run(); // warm-up (and page touching)
    let best = Number.POSITIVE_INFINITY;
    for (let pass = 0; pass < 8; pass++) {
      const start = performance.now();
      const results = await run();
      if (!results.every((r) => r.ok)) throw new Error('stream sum: wrong result');
      best = Math.min(best, performance.now() - start);
    }
    return totalBytes / (best / 1000) / 1e9;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
