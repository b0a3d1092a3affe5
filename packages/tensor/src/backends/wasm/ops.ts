/**
 * Drivers of the wasm backend's float32 elementwise and row kernels. Each
 * returns false when the layout or op has no wasm path (the backend then runs
 * the js kernel over views of the same memory):
 * - binary ops whose operands walk with inner stride 0 or 1 (contiguous rows,
 *   a broadcast scalar, a broadcast row), one kernel call per outer row;
 * - unary ops over unit-stride rows;
 * - one long row (contiguous, or against a broadcast scalar) splits across
 *   threads above `ELEMENTWISE_THREAD_THRESHOLD` elements;
 * - reductions of trailing axes (row kernels) or leading axes (column
 *   kernels, threads taking column ranges) of a contiguous tensor, softmax along the
 *   last axis and layer / RMS norm of a contiguous tensor, split by rows
 *   across threads above `ROWS_THREAD_THRESHOLD` elements.
 */
import type {
  BinaryOpName,
  KernelInput,
  ReduceOpName,
  UnaryOpName,
} from '../../backend/backend.js';
import { isContiguous, sizeOf } from '../../shape.js';
import { stridedPlan } from '../js/strided-plan.js';
import type { WasmContext, WasmStorage } from './context.js';
import { WASM_BINARY_OPS, WASM_UNARY_OPS } from './kernels/constants.js';

type Input = KernelInput<WasmStorage>;

/** Elements of a row job below which it runs on one thread. */
export const ROWS_THREAD_THRESHOLD = 1 << 16;
/** Elements of an elementwise job below which it runs on one thread (waking a worker costs ~20 us). */
export const ELEMENTWISE_THREAD_THRESHOLD = 1 << 18;
/** Inner rows shorter than this with many rows go to the js kernel (call overhead). */
const MIN_INNER = 8;

const BINARY = new Set<string>(WASM_BINARY_OPS);
const UNARY = new Set<string>(WASM_UNARY_OPS);

const address = (x: Input) => x.data.ptr + x.offset * 4;

/** `op(a, b)` into `out`, or false. */
export function wasmBinary(
  context: WasmContext,
  op: BinaryOpName,
  a: Input,
  b: Input,
  out: WasmStorage,
): boolean {
  if (!BINARY.has(op)) return false;
  const plan = stridedPlan(a.shape, [a, b]);
  const [sa, sb] = plan.innerStrides as [number, number];
  if ((sa !== 0 && sa !== 1) || (sb !== 0 && sb !== 1)) return false;
  if (plan.inner < MIN_INNER && plan.rows > 1) return false;
  const fn = context.runtime.exports[`bin_${op}`]!;
  const [startsA, startsB] = plan.starts as [Int32Array, Int32Array];
  const pa = a.data.ptr;
  const pb = b.data.ptr;
  if (plan.rows === 1) {
    // One long row (contiguous, or against a broadcast scalar): split it across threads.
    const [a0, b0] = [pa + startsA[0]! * 4, pb + startsB[0]! * 4];
    splitElements(context, `bin_${op}`, plan.inner, (start, count) => [
      a0 + start * 4 * sa,
      sa,
      b0 + start * 4 * sb,
      sb,
      out.ptr + start * 4,
      count,
    ]);
    return true;
  }
  for (let row = 0, o = out.ptr; row < plan.rows; row++, o += plan.inner * 4)
    fn(pa + startsA[row]! * 4, sa, pb + startsB[row]! * 4, sb, o, plan.inner);
  return true;
}

/** `op(x)` into `out`, or false. */
export function wasmUnary(
  context: WasmContext,
  op: UnaryOpName,
  x: Input,
  out: WasmStorage,
): boolean {
  if (!UNARY.has(op)) return false;
  const fn = context.runtime.exports[`un_${op}`]!;
  if (isContiguous(x.shape, x.strides)) {
    const start = address(x);
    splitElements(context, `un_${op}`, sizeOf(x.shape), (first, count) => [
      start + first * 4,
      out.ptr + first * 4,
      count,
    ]);
    return true;
  }
  const plan = stridedPlan(x.shape, [x]);
  if (plan.innerStrides[0] !== 1 || (plan.inner < MIN_INNER && plan.rows > 1)) return false;
  const starts = plan.starts[0]!;
  for (let row = 0, o = out.ptr; row < plan.rows; row++, o += plan.inner * 4)
    fn(x.data.ptr + starts[row]! * 4, o, plan.inner);
  return true;
}

/** Runs an elementwise kernel over `n` elements, in 16-element-aligned chunks across threads when large. */
function splitElements(
  context: WasmContext,
  fn: string,
  n: number,
  job: (start: number, count: number) => number[],
): void {
  const threads = context.threadsFor(n, ELEMENTWISE_THREAD_THRESHOLD, Math.ceil(n / 65536));
  const share = Math.ceil(n / threads / 16) * 16;
  const jobs: number[][] = [];
  for (let start = 0; start < n; start += share) jobs.push(job(start, Math.min(share, n - start)));
  context.run(fn, jobs);
}

/** Runs a row kernel over `rows` rows, split across threads when large. */
function overRows(
  context: WasmContext,
  fn: string,
  x: number,
  out: number,
  rows: number,
  cols: number,
  outRowBytes: number,
  extra: readonly number[],
): void {
  const threads = context.threadsFor(rows * cols, ROWS_THREAD_THRESHOLD, rows);
  const share = Math.ceil(rows / threads);
  const jobs: number[][] = [];
  for (let r0 = 0; r0 < rows; r0 += share) {
    const count = Math.min(share, rows - r0);
    jobs.push([x + r0 * cols * 4, out + r0 * outRowBytes, count, cols, ...extra]);
  }
  context.run(fn, jobs);
}

/** Reduction of trailing or leading axes of a contiguous float32 tensor, or false. */
export function wasmReduce(
  context: WasmContext,
  op: ReduceOpName,
  x: Input,
  axes: readonly number[],
  out: WasmStorage,
): boolean {
  if (op === 'prod' || !isContiguous(x.shape, x.strides)) return false;
  const rank = x.shape.length;
  const trailing = axes.every((axis, i) => axis === rank - axes.length + i);
  const leading = axes.every((axis, i) => axis === i);
  if (!trailing && !leading) return false;
  const split = trailing ? rank - axes.length : axes.length;
  const outer = sizeOf(x.shape.slice(0, split));
  const inner = sizeOf(x.shape.slice(split));
  if (outer === 0 || inner === 0) return false;
  if (trailing) {
    const fn = op === 'sum' ? 'row_sum' : op === 'max' ? 'row_max' : 'row_min';
    overRows(context, fn, address(x), out.ptr, outer, inner, 4, []);
    return true;
  }
  // Leading axes: column reductions of [outer, inner], threads taking column ranges.
  const scratch = op === 'sum' ? context.scratch('reduce.columns', inner * 8) : 0;
  const threads = context.threadsFor(outer * inner, ROWS_THREAD_THRESHOLD, Math.ceil(inner / 64));
  const share = Math.ceil(inner / threads / 16) * 16;
  const base = address(x);
  const jobs: number[][] = [];
  for (let c0 = 0; c0 < inner; c0 += share) {
    const count = Math.min(share, inner - c0);
    const job = [base + c0 * 4, out.ptr + c0 * 4, outer, count, inner * 4];
    jobs.push(op === 'sum' ? [...job, scratch + c0 * 8] : job);
  }
  context.run(`col_${op}`, jobs);
  return true;
}

/** Softmax along the last axis of a contiguous float32 tensor, or false. */
export function wasmSoftmax(
  context: WasmContext,
  x: Input,
  axis: number,
  log: boolean,
  out: WasmStorage,
): boolean {
  const rank = x.shape.length;
  if (axis !== rank - 1 || !isContiguous(x.shape, x.strides)) return false;
  const cols = x.shape[rank - 1]!;
  const rows = sizeOf(x.shape) / Math.max(cols, 1);
  if (cols === 0 || rows === 0) return false;
  overRows(context, 'softmax_rows', address(x), out.ptr, rows, cols, cols * 4, [log ? 1 : 0]);
  return true;
}

/** The address of a last-axis parameter vector, 0 for none, or -1 when not unit-stride float32. */
function vector(param: Input | null): number {
  if (param === null) return 0;
  if (param.dtype !== 'float32') return -1;
  const stride = param.strides[param.strides.length - 1] ?? 1;
  const length = param.shape[param.shape.length - 1] ?? 1;
  return stride === 1 || length === 1 ? address(param) : -1;
}

/** Layer norm (bias !== undefined) or RMS norm over the last axis, or false. */
export function wasmNorm(
  context: WasmContext,
  x: Input,
  weight: Input | null,
  bias: Input | null | undefined,
  eps: number,
  out: WasmStorage,
): boolean {
  if (!isContiguous(x.shape, x.strides)) return false;
  const rank = x.shape.length;
  const cols = x.shape[rank - 1] ?? 1;
  const rows = sizeOf(x.shape) / Math.max(cols, 1);
  if (cols === 0 || rows === 0 || rank === 0) return false;
  const w = vector(weight);
  const b = bias === undefined ? 0 : vector(bias);
  if (w < 0 || b < 0) return false;
  if (bias === undefined) {
    overRows(context, 'rmsnorm_rows', address(x), out.ptr, rows, cols, cols * 4, [w, eps]);
  } else {
    overRows(context, 'layernorm_rows', address(x), out.ptr, rows, cols, cols * 4, [w, b, eps]);
  }
  return true;
}
