/**
 * Test support: leak probes (issue 19). Runs a call many times after a
 * warm-up and reports how much the JS heap and the ArrayBuffer / WebAssembly
 * memory (`process.memoryUsage().arrayBuffers`, which counts wasm memories)
 * grew, each measured after a full garbage collection, so what is left is
 * what the calls retained.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose_gc');
const collect = runInNewContext('gc') as () => void;

/** Heap and buffer memory after a full collection. */
function settled(): { heap: number; buffers: number } {
  for (let i = 0; i < 3; i++) collect();
  const usage = process.memoryUsage();
  return { heap: usage.heapUsed, buffers: usage.arrayBuffers };
}

/** What a leak probe measured. */
export interface LeakReport {
  calls: number;
  /** Retained JS heap growth over the measured calls, in bytes (negative: it shrank). */
  heapGrowth: number;
  /** Retained ArrayBuffer and WebAssembly memory growth, in bytes. */
  bufferGrowth: number;
  milliseconds: number;
}

/**
 * Calls `run(i)` `warmup` times, collects, calls it `calls` times more, collects.
 * @param run - the call under test (its result is dropped)
 * @param calls - measured calls
 * @param warmup - calls before the first measurement (JIT, caches, pools)
 * @returns the growth
 */
export function measureLeak(
  run: (i: number) => unknown,
  calls: number,
  warmup: number,
): LeakReport {
  for (let i = 0; i < warmup; i++) run(i);
  const before = settled();
  const started = performance.now();
  for (let i = 0; i < calls; i++) run(warmup + i);
  const milliseconds = performance.now() - started;
  const after = settled();
  return {
    calls,
    heapGrowth: after.heap - before.heap,
    bufferGrowth: after.buffers - before.buffers,
    milliseconds,
  };
}

/**
 * One line for the test log.
 * @param what - the call
 * @param report - the probe's report
 * @returns for example `HnswIndex.search: 10000 calls, heap +12.3 KB, buffers +0.0 KB, 812 ms`
 */
export function describeLeak(what: string, report: LeakReport): string {
  const kb = (bytes: number) => `${bytes >= 0 ? '+' : ''}${(bytes / 1024).toFixed(1)} KB`;
  return `${what}: ${report.calls} calls, heap ${kb(report.heapGrowth)}, buffers and wasm ${kb(report.bufferGrowth)}, ${report.milliseconds.toFixed(0)} ms`;
}
