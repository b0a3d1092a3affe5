/**
 * The bench's table and JSON: one row per implementation and size (with the
 * cores it actually used, CPU time over wall time), with our
 * wasm backend's speedup over each peer (1 thread and 2 threads), the file
 * `bench/results/latest.json`, and the closing one-line JSON of headline
 * figures.
 */
import { mkdirSync, writeFileSync } from 'node:fs';

/** One measurement. */
export interface Row {
  op: string;
  size: string;
  impl: string;
  ms: number;
  /** GFLOP/s for matmul, GB/s (input + output bytes) for the others. */
  rate: number;
  unit: string;
  maxError: number;
  /** Process CPU time / wall time while timing (cores actually used). */
  cpuPerWall: number;
}

/** Our implementations, whose speedups over the others are reported. */
export const WASM_1 = 'x wasm 1T';
export const WASM_2 = 'x wasm 2T';

const pad = (s: string, n: number) => s.padEnd(n);
const ratio = (peer: Row | undefined, ours: Row | undefined) =>
  peer && ours ? Number((peer.ms / ours.ms).toFixed(2)) : null;

/** Prints the table. */
export function printTable(rows: readonly Row[], header: string): void {
  console.log(header);
  console.log(
    `${pad('op', 10)}${pad('size', 11)}${pad('impl', 22)}${pad('ms', 11)}${pad('rate', 17)}${pad('cpu/wall', 10)}${pad('wasm 1T x', 11)}wasm 2T x`,
  );
  for (const row of rows) {
    const group = rows.filter((r) => r.op === row.op && r.size === row.size);
    const ours1 = group.find((r) => r.impl === WASM_1);
    const ours2 = group.find((r) => r.impl === WASM_2);
    const mine = row.impl === WASM_1 || row.impl === WASM_2;
    const r1 = mine ? '' : `${ratio(row, ours1) ?? ''}`;
    const r2 = mine ? '' : `${ratio(row, ours2) ?? ''}`;
    console.log(
      `${pad(row.op, 10)}${pad(row.size, 11)}${pad(row.impl, 22)}${pad(row.ms.toFixed(3), 11)}${pad(`${row.rate.toFixed(2)} ${row.unit}`, 17)}${pad(row.cpuPerWall.toFixed(2), 10)}${pad(r1, 11)}${r2}`,
    );
  }
}

/** Writes `bench/results/latest.json`. */
export function writeResults(rows: readonly Row[], meta: Record<string, unknown>): void {
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(
    new URL('./results/latest.json', import.meta.url),
    `${JSON.stringify({ date: new Date().toISOString(), ...meta, rows }, null, 2)}\n`,
  );
}

/** The headline figures: matmul GFLOP/s per implementation and size, our ratios, row-op speedups. */
export function headline(rows: readonly Row[], meta: Record<string, unknown>): string {
  const matmul: Record<string, Record<string, number>> = {};
  const ratios: Record<string, Record<string, number | null>> = {};
  for (const row of rows.filter((r) => r.op === 'matmul')) {
    matmul[row.size] ??= {};
    matmul[row.size]![row.impl] = Number(row.rate.toFixed(2));
  }
  for (const size of Object.keys(matmul)) {
    const group = rows.filter((r) => r.op === 'matmul' && r.size === size);
    const find = (impl: string) => group.find((r) => r.impl === impl);
    ratios[size] = {
      wasm1VsTfjsWasm: ratio(find('tfjs-wasm'), find(WASM_1)),
      wasm2VsTfjsWasm: ratio(find('tfjs-wasm'), find(WASM_2)),
      wasm1VsOnnx1: ratio(find('onnxruntime 1T'), find(WASM_1)),
      wasm2VsOnnx2: ratio(find('onnxruntime 2T'), find(WASM_2)),
      wasm1VsJs: ratio(find('x js'), find(WASM_1)),
      wasm1VsGpuJs: ratio(find('gpu.js'), find(WASM_1)),
    };
  }
  const rowOps: Record<string, Record<string, number | null>> = {};
  for (const row of rows.filter((r) => r.op !== 'matmul' && r.impl === WASM_1)) {
    const group = rows.filter((r) => r.op === row.op && r.size === row.size);
    const find = (impl: string) => group.find((r) => r.impl === impl);
    rowOps[row.op] = {
      wasm1VsJs: ratio(find('x js'), row),
      wasm2VsJs: ratio(find('x js'), find(WASM_2)),
      wasm1VsTfjsWasm: ratio(find('tfjs-wasm'), row),
    };
  }
  return JSON.stringify({ bench: '@x/tensor', ...meta, gflops: matmul, ratios, rowOps });
}
