/**
 * Batched matrix multiplication of the js backend.
 *
 * Shapes: a [...batch, M, K], b [...batch, K, N] (batch axes already
 * broadcast, stride 0 where repeated), out [...batch, M, N] contiguous.
 * Algorithm: each batch item is one `gemm` (`gemm.ts`: B and A packed into
 * 4-wide panels per cache block, a 4 x 4 register-blocked micro-kernel),
 * reading both operands through their strides, so transposed and broadcast
 * views need no copy. Every output is one float64 sum over K, rounded once:
 * exact enough to be the reference.
 */
import type { KernelInput } from '../../backend/backend.js';
import { allocArray, type DType, type TypedArray } from '../../dtype.js';
import { sizeOf } from '../../shape.js';
import { gemm } from './gemm.js';
import { stridedPlan } from './strided-plan.js';

type Input = KernelInput<TypedArray>;

/** `a @ b` for every batch. */
export function matmulKernel(a: Input, b: Input, dtype: DType): TypedArray {
  const rank = a.shape.length;
  const M = a.shape[rank - 2]!;
  const K = a.shape[rank - 1]!;
  const N = b.shape[rank - 1]!;
  const batchShape = a.shape.slice(0, -2);
  const batch = sizeOf(batchShape);
  const out = allocArray(dtype, batch * M * N);
  if (batch === 0 || M === 0 || N === 0) return out;
  const plan = stridedPlan(batchShape, [
    { strides: a.strides.slice(0, -2), offset: a.offset },
    { strides: b.strides.slice(0, -2), offset: b.offset },
  ]);
  const aRows = a.strides[rank - 2]!;
  const aCols = a.strides[rank - 1]!;
  const bRows = b.strides[rank - 2]!;
  const bCols = b.strides[rank - 1]!;
  let item = 0;
  for (let row = 0; row < plan.rows; row++) {
    let aStart = plan.starts[0]![row]!;
    let bStart = plan.starts[1]![row]!;
    for (let j = 0; j < plan.inner; j++) {
      gemm({
        m: M,
        n: N,
        k: K,
        a: { data: a.data, offset: aStart, rowStride: aRows, colStride: aCols },
        b: { data: b.data, offset: bStart, rowStride: bRows, colStride: bCols },
        c: { data: out, offset: item * M * N, rowStride: N },
      });
      item++;
      aStart += plan.innerStrides[0]!;
      bStart += plan.innerStrides[1]!;
    }
  }
  return out;
}
