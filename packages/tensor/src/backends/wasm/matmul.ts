/**
 * The wasm backend's float32 matmul driver.
 *
 * Shapes: a [...batch, M, K], b [...batch, K, N] (batch axes broadcast, stride
 * 0 where repeated; any strides, transposed views included), out
 * [...batch, M, N] contiguous. For each batch item B is packed once into
 * 8-column panels (`pack_b`, skipped when the batch repeats the same B), then
 * the rows of C are split into multiples of 4 across the threads, each
 * running `gemm` (packing its own A blocks, see `kernels/gemm.ts`) on its
 * own scratch. Problems under about 4 million multiply-adds (160^3) stay on one
 * thread: waking a worker costs more than it saves; a batch of such small
 * products that is large in total is split by batch items instead.
 */
import type { KernelInput } from '../../backend/backend.js';
import { sizeOf } from '../../shape.js';
import { type StridedPlan, stridedPlan } from '../js/strided-plan.js';
import type { WasmContext, WasmStorage } from './context.js';
import { GEMM_KC, GEMM_MC } from './kernels/constants.js';

type Input = KernelInput<WasmStorage>;

/**
 * Multiply-adds a worker misses while it wakes up (tens of microseconds on a
 * VM at ~50 GFLOP/s): the calling thread takes that many more rows' worth.
 */
const WAKE_MULTIPLY_ADDS = 1_250_000;
/** Multiply-adds per batch item below which matmul uses one thread. */
export const MATMUL_THREAD_THRESHOLD = 1 << 22;

/** Scratch of one thread: its A blocks, then the 32-float edge tile. */
const APACK_BYTES = GEMM_MC * GEMM_KC * 4 + 128 * 4;

/**
 * A batch of small products split by items: thread t runs `gemm_items` on a
 * contiguous range of the (a, b, c) address table, packing its own B.
 */
function byItems(
  context: WasmContext,
  a: Input,
  b: Input,
  out: WasmStorage,
  plan: StridedPlan,
  threads: number,
  npad: number,
): void {
  const rank = a.shape.length;
  const [M, K, N] = [a.shape[rank - 2]!, a.shape[rank - 1]!, b.shape[rank - 1]!];
  const batch = plan.rows * plan.inner;
  const table = context.scratch('matmul.items', batch * 12);
  const scratch: number[] = [];
  for (let t = 0; t < threads; t++) {
    scratch.push(
      context.scratch(`matmul.b${t}`, K * npad * 4),
      context.scratch(`matmul.a${t}`, APACK_BYTES),
    );
  }
  const entries = new Int32Array(context.runtime.memory.buffer, table, batch * 3);
  let item = 0;
  for (let row = 0; row < plan.rows; row++) {
    let aStart = plan.starts[0]![row]!;
    let bStart = plan.starts[1]![row]!;
    for (let j = 0; j < plan.inner; j++, item++) {
      entries[item * 3] = a.data.ptr + aStart * 4;
      entries[item * 3 + 1] = b.data.ptr + bStart * 4;
      entries[item * 3 + 2] = out.ptr + item * M * N * 4;
      aStart += plan.innerStrides[0]!;
      bStart += plan.innerStrides[1]!;
    }
  }
  const strides = [
    a.strides[rank - 2]! * 4,
    a.strides[rank - 1]! * 4,
    b.strides[rank - 2]! * 4,
    b.strides[rank - 1]! * 4,
  ];
  const share = Math.ceil(batch / threads);
  const jobs: number[][] = [];
  for (let t = 0, first = 0; first < batch; t++, first += share) {
    const [bpack, apack] = [scratch[2 * t]!, scratch[2 * t + 1]!];
    const count = Math.min(share, batch - first);
    jobs.push([
      table + first * 12,
      count,
      ...strides,
      M,
      N,
      K,
      bpack,
      apack,
      apack + GEMM_MC * GEMM_KC * 4,
    ]);
  }
  context.run('gemm_items', jobs);
}

/** Writes `a @ b` (float32) into `out`. */
export function wasmMatmul(context: WasmContext, a: Input, b: Input, out: WasmStorage): void {
  const rank = a.shape.length;
  const M = a.shape[rank - 2]!;
  const K = a.shape[rank - 1]!;
  const N = b.shape[rank - 1]!;
  const batchShape = a.shape.slice(0, -2);
  const batch = sizeOf(batchShape);
  if (batch === 0 || M === 0 || N === 0) return;
  if (K === 0) {
    context.view(out).fill(0);
    return;
  }
  const plan = stridedPlan(batchShape, [
    { strides: a.strides.slice(0, -2), offset: a.offset },
    { strides: b.strides.slice(0, -2), offset: b.offset },
  ]);
  const npad = Math.ceil(N / 8) * 8;
  if (batch > 1 && M * N * K < MATMUL_THREAD_THRESHOLD) {
    const threads = context.threadsFor(batch * M * N * K, MATMUL_THREAD_THRESHOLD, batch);
    if (threads > 1) {
      byItems(context, a, b, out, plan, threads, npad);
      return;
    }
  }
  const threads = context.threadsFor(M * N * K, MATMUL_THREAD_THRESHOLD, Math.ceil(M / 4));
  // Scratch first: allocating can grow the memory, and every address below is computed after.
  const bpack = context.scratch('matmul.b', K * npad * 4);
  const apacks: number[] = [];
  for (let t = 0; t < threads; t++)
    apacks.push(context.scratch(`matmul.a${t}`, GEMM_MC * GEMM_KC * 4 + 128 * 4));
  const { gemm, pack_b: packB } = context.runtime.exports;
  const ars = a.strides[rank - 2]! * 4;
  const acs = a.strides[rank - 1]! * 4;
  const brs = b.strides[rank - 2]! * 4;
  const bcs = b.strides[rank - 1]! * 4;
  // Row split in multiples of 4: the workers take `share` rows each and the calling thread the
  // rest, a few rows more, since it starts while they are still waking up.
  const lag = Math.min(16, Math.round(WAKE_MULTIPLY_ADDS / (N * K) / 4) * 4);
  const share = Math.max(4, Math.floor((M - lag) / threads / 4) * 4);
  const first = Math.max(0, M - (threads - 1) * share);
  let item = 0;
  let packed = -1;
  for (let row = 0; row < plan.rows; row++) {
    let aStart = plan.starts[0]![row]!;
    let bStart = plan.starts[1]![row]!;
    for (let j = 0; j < plan.inner; j++) {
      if (bStart !== packed) {
        packB(b.data.ptr + bStart * 4, brs, bcs, K, N, bpack);
        packed = bStart;
      }
      const aPtr = a.data.ptr + aStart * 4;
      const cPtr = out.ptr + item * M * N * 4;
      if (threads === 1) {
        gemm(
          aPtr,
          ars,
          acs,
          bpack,
          cPtr,
          N * 4,
          0,
          M,
          N,
          K,
          apacks[0]!,
          apacks[0]! + GEMM_MC * GEMM_KC * 4,
        );
      } else {
        const jobs: number[][] = [];
        for (let t = 0, m0 = 0; t < threads && m0 < M; t++) {
          const m1 = t === 0 ? first : Math.min(M, m0 + share);
          const apack = apacks[t]!;
          const tmp = apack + GEMM_MC * GEMM_KC * 4;
          jobs.push([aPtr, ars, acs, bpack, cPtr, N * 4, m0, m1, N, K, apack, tmp]);
          m0 = m1;
        }
        context.run('gemm', jobs);
      }
      item++;
      aStart += plan.innerStrides[0]!;
      bStart += plan.innerStrides[1]!;
    }
  }
}
