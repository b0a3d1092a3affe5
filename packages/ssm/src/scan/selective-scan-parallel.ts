/**
 * `selectiveScanParallel`: the selective scan computed by the chunked
 * parallel associative scan (`linear-scan.ts`) over materialized
 * discretized inputs, all in tensor ops (differentiable by autograd):
 *
 *   dt = softplus(delta + deltaBias)              [b, d, l]
 *   a  = exp(dt * A)                              [b, d, l, n]   (A_bar, zero-order hold)
 *   x  = dt * u * B                               [b, d, l, n]   (B_bar u, Euler for B as in Mamba)
 *   h  = chunkedLinearScan(a, x)                  [b, d, l, n]
 *   y  = sum_n h * C + D u,  y *= silu(z)
 *
 * It equals `selectiveScan` (the sequential reference) to float rounding; it
 * holds b * d * l * n values per intermediate, where the sequential op keeps
 * none, so it is the form for wide parallel hardware rather than the js backend.
 */
import { exp, matmul, silu, softplus, sum, type Tensor, unsqueeze } from '@x/tensor';
import { chunkedLinearScan } from './linear-scan.js';
import { type SelectiveScanOptions, validateScan } from './selective-scan.js';

/** Options of `selectiveScanParallel`. */
export interface SelectiveScanParallelOptions extends SelectiveScanOptions {
  /** Steps per chunk of the associative scan. @default 64 */
  chunkSize?: number;
}

/**
 * The selective scan by a chunked parallel associative scan; same arguments and result as `selectiveScan`.
 * @param u - input `[b, d, l]`
 * @param delta - step sizes before softplus `[b, d, l]`
 * @param A - `[d, n]`
 * @param B - `[b, n, l]` or `[d, n]`
 * @param C - like B
 * @param options - as `selectiveScan`, plus chunkSize
 * @returns y `[b, d, l]`
 * @throws SsmShapeError / SsmDTypeError as `selectiveScan`
 * @example
 * const y = selectiveScanParallel(u, delta, A, B, C, { chunkSize: 16 }); // equals selectiveScan(u, delta, A, B, C)
 */
export function selectiveScanParallel(
  u: Tensor,
  delta: Tensor,
  A: Tensor,
  B: Tensor,
  C: Tensor,
  options: SelectiveScanParallelOptions = {},
): Tensor {
  validateScan('selectiveScanParallel', u, delta, A, B, C, options);
  let dt = options.deltaBias ? delta.add(unsqueeze(options.deltaBias, -1)) : delta;
  if (options.deltaSoftplus) dt = softplus(dt);
  const dt4 = unsqueeze(dt, -1); // [b, d, l, 1]
  const a = exp(dt4.mul(unsqueeze(A, 1))); // [b, d, l, n]
  const varying = B.rank === 3;
  // B as [b, 1, l, n] (selective) or [d, 1, n] (time-invariant)
  const Bx = varying ? unsqueeze(B.transpose(1, 2), 1) : unsqueeze(B, 1);
  const x = dt4.mul(unsqueeze(u, -1)).mul(Bx);
  const h = chunkedLinearScan(a, x, {
    chunkSize: options.chunkSize ?? 64,
    initialState: options.initialState ?? null,
  });
  let y: Tensor;
  if (varying) {
    // y[b, d, l] = sum_n h[b, d, l, n] C[b, n, l]
    y = sum(h.mul(unsqueeze(C.transpose(1, 2), 1)), -1);
  } else {
    // y[b, d, l] = sum_n h[b, d, l, n] C[d, n]: a batched matrix-vector product
    y = matmul(h, unsqueeze(C, -1)).squeeze(-1);
  }
  if (options.D) y = y.add(unsqueeze(options.D, -1).mul(u));
  if (options.z) y = y.mul(silu(options.z));
  return y;
}
