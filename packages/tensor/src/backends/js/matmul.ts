/**
 * Batched matrix multiplication of the js backend.
 *
 * Shapes: a [...batch, M, K], b [...batch, K, N] (batch axes already
 * broadcast, stride 0 where repeated), out [...batch, M, N] contiguous.
 * Algorithm: for each batch, B is packed into a contiguous K x N block of the
 * output's array type (unless it already is one), then the i-k-j loop order
 * streams rows of B into a float64 accumulator row, so the inner loop is a
 * unit-stride axpy. Simple and exact enough to be the reference.
 */
import type { KernelInput } from '../../backend/backend.js';
import { allocArray, type DType, type TypedArray } from '../../dtype.js';
import { sizeOf } from '../../shape.js';
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
  const aRowStride = a.strides[rank - 2]!;
  const aColStride = a.strides[rank - 1]!;
  const bRowStride = b.strides[rank - 2]!;
  const bColStride = b.strides[rank - 1]!;
  const packed = b.strides[rank - 1] === 1 ? new Float64Array(0) : new Float64Array(K * N);
  const acc = new Float64Array(N);
  const A = a.data;
  const B = b.data;
  let batchIndex = 0;
  let lastPackedStart = -1;
  for (let row = 0; row < plan.rows; row++) {
    let aStart = plan.starts[0]![row]!;
    let bStart = plan.starts[1]![row]!;
    for (
      let j = 0;
      j < plan.inner;
      j++, aStart += plan.innerStrides[0]!, bStart += plan.innerStrides[1]!
    ) {
      // Rows of B are read in place when they are unit-stride; otherwise B is packed once per batch.
      const direct = bColStride === 1;
      let source: TypedArray | Float64Array = B;
      let base = bStart;
      let rowStride = bRowStride;
      if (!direct) {
        if (bStart !== lastPackedStart) {
          for (let k = 0; k < K; k++) {
            for (let n = 0; n < N; n++)
              packed[k * N + n] = B[bStart + k * bRowStride + n * bColStride]!;
          }
          lastPackedStart = bStart;
        }
        source = packed;
        base = 0;
        rowStride = N;
      }
      const outBase = batchIndex * M * N;
      for (let i = 0; i < M; i++) {
        acc.fill(0);
        const aRow = aStart + i * aRowStride;
        for (let k = 0; k < K; k++) {
          const aik = A[aRow + k * aColStride]!;
          const bRow = base + k * rowStride;
          for (let n = 0; n < N; n++) acc[n]! += aik * source[bRow + n]!;
        }
        out.set(acc, outBase + i * N);
      }
      batchIndex++;
    }
  }
  return out;
}
