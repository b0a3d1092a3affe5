/**
 * `selectiveScan`: Mamba's selective scan as one differentiable op, with the
 * signature of the reference `selective_scan_fn(u, delta, A, B, C, D, z,
 * delta_bias, delta_softplus, return_last_state)` (state-spaces/mamba). The
 * forward is the sequential recurrence; the backward is the hand-written
 * reverse scan of `selective-scan-kernel.ts`, recorded on the tape with
 * `record()` so a length-l scan adds one node, not l * n of them.
 *
 * Reference layout: u, delta, z: [b, d, l]; A: [d, n]; B, C: [b, n, l]
 * (input-dependent) or [d, n] (time-invariant); D, deltaBias: [d];
 * initialState: [b, d, n]. `selectiveScanChannelsLast` takes u, delta, z as
 * [b, l, d] and B, C as [b, l, n] — the layout the Mamba block produces — and
 * is what the kernel runs on (the reference layout is a transposed view).
 * The op is the @x/tensor extension kernel `ssm.selectiveScan`
 * (`selective-scan-kernels.ts`): float32 scans with n % 4 == 0 of tensors on
 * the `wasm` backend run the WebAssembly SIMD kernel in place, split across
 * the core's threads; everything else runs the JS kernel (the reference).
 */
import { dispose, isGradEnabled, type Tensor } from '@x/tensor';
import { SsmShapeError } from '../errors.js';
import { checkFloat, formatShape } from '../validate.js';
import { selectiveScanKernel } from './selective-scan-kernels.js';

/** Options of `selectiveScan` (the reference's keyword arguments). */
export interface SelectiveScanOptions {
  /** Skip connection D, `[d]`: y += D * u. @default none */
  D?: Tensor | null;
  /** Gate z, u's shape: y *= silu(z). @default none */
  z?: Tensor | null;
  /** Added to delta before the softplus, `[d]` (`dt_proj.bias` in Mamba). @default none */
  deltaBias?: Tensor | null;
  /** Apply softplus to delta (+ deltaBias). @default false */
  deltaSoftplus?: boolean;
  /** State before the first step, `[b, d, n]` (differentiable). @default zeros */
  initialState?: Tensor | null;
}

/** The tensor layouts a scan accepts. */
type Layout = 'reference' | 'channels-last';

/**
 * Checks the dtypes and shapes of a selective scan's arguments (internal).
 * @throws SsmShapeError naming every argument's shape; SsmDTypeError for a non-float argument
 */
export function validateScan(
  op: string,
  u: Tensor,
  delta: Tensor,
  A: Tensor,
  B: Tensor,
  C: Tensor,
  options: SelectiveScanOptions,
  layout: Layout = 'reference',
): void {
  const named: [string, Tensor | null | undefined][] = [
    ['u', u],
    ['delta', delta],
    ['A', A],
    ['B', B],
    ['C', C],
    ['D', options.D],
    ['z', options.z],
    ['deltaBias', options.deltaBias],
    ['initialState', options.initialState],
  ];
  for (const [name, t] of named) if (t) checkFloat(op, name, t);
  const bad = (msg: string): never => {
    const shapes: Record<string, readonly number[]> = {};
    for (const [name, t] of named) if (t) shapes[name] = t.shape;
    const listed = named
      .filter(([, t]) => t)
      .map(([name, t]) => `${name} ${formatShape(t!.shape)}`)
      .join(', ');
    throw new SsmShapeError(op, `${msg}; got ${listed}`, shapes);
  };
  const cl = layout === 'channels-last';
  if (u.rank !== 3) bad(cl ? 'u must be [b, l, d]' : 'u must be [b, d, l]');
  const [b, second, third] = u.shape as [number, number, number];
  const [d, l] = cl ? [third, second] : [second, third];
  if (A.rank !== 2 || A.shape[0] !== d) bad('A must be [d, n]');
  const n = A.shape[1]!;
  const same = (t: Tensor, shape: readonly number[]) =>
    t.rank === shape.length && t.shape.every((s, i) => s === shape[i]);
  if (!same(delta, u.shape)) bad('delta must match u');
  const bcShape = B.rank === 3 ? (cl ? [b, l, n] : [b, n, l]) : [d, n];
  if (!same(B, bcShape) || !same(C, bcShape))
    bad(
      `B and C must both be ${cl ? '[b, l, n]' : '[b, n, l]'} or [d, n] (here ${formatShape(bcShape)})`,
    );
  if (options.D && !same(options.D, [d])) bad('D must be [d]');
  if (options.deltaBias && !same(options.deltaBias, [d])) bad('deltaBias must be [d]');
  if (options.z && !same(options.z, u.shape)) bad('z must match u');
  if (options.initialState && !same(options.initialState, [b, d, n]))
    bad('initialState must be [b, d, n]');
}

/**
 * The selective scan on channels-last tensors: u, delta, z `[b, l, d]`,
 * B, C `[b, l, n]` or `[d, n]`; returns y `[b, l, d]` and the final state.
 * Differentiable in every tensor argument except the returned state.
 * @throws SsmShapeError / SsmDTypeError as `selectiveScan`
 */
export function selectiveScanChannelsLast(
  u: Tensor,
  delta: Tensor,
  A: Tensor,
  B: Tensor,
  C: Tensor,
  options: SelectiveScanOptions = {},
): { y: Tensor; lastState: Tensor } {
  validateScan('selectiveScan', u, delta, A, B, C, options, 'channels-last');
  const inputs = [
    u,
    delta,
    A,
    B,
    C,
    options.D ?? null,
    options.z ?? null,
    options.deltaBias ?? null,
    options.initialState ?? null,
  ];
  // what the backward needs is kept only when a gradient will flow
  const save = isGradEnabled() && inputs.some((t) => t?.requiresGrad);
  const [y, lastState, dt, yRaw] = selectiveScanKernel.run(inputs, {
    softplus: options.deltaSoftplus ?? false,
    save,
  }) as [Tensor, Tensor, Tensor, Tensor];
  if (!save) dispose(dt, yRaw);
  return { y, lastState };
}

/**
 * The selective scan: for each batch b and channel d, with dt = softplus(delta + deltaBias),
 * h_t = exp(dt_t A) h_{t-1} + dt_t B_t u_t,  y_t = C_t h_t + D u_t,  y_t *= silu(z_t).
 * Differentiable in every tensor argument (hand-written reverse scan).
 * @param u - input `[b, d, l]`
 * @param delta - step sizes before softplus `[b, d, l]`
 * @param A - state matrix (diagonal per channel) `[d, n]`, usually negative
 * @param B - input matrix `[b, n, l]` (selective) or `[d, n]`
 * @param C - output matrix, like B
 * @param options - D, z, deltaBias, deltaSoftplus, initialState
 * @returns y `[b, d, l]`, the dtype of u
 * @throws SsmShapeError for inconsistent shapes; SsmDTypeError for non-float inputs
 * @example
 * const y = selectiveScan(ones([1, 1, 3]), full([1, 1, 3], 0.5), tensor([[-1]]), ones([1, 1, 3]), ones([1, 1, 3]));
 * y.toArray() // [[[0.5, 0.8033, 0.9873]]]
 */
export function selectiveScan(
  u: Tensor,
  delta: Tensor,
  A: Tensor,
  B: Tensor,
  C: Tensor,
  options: SelectiveScanOptions = {},
): Tensor {
  return selectiveScanWithState(u, delta, A, B, C, options).y;
}

/**
 * `selectiveScan` that also returns the final state `[b, d, n]` (the
 * reference's `return_last_state`), to continue with `Mamba.step` after a
 * prefill. The state is not differentiable.
 * @returns y and lastState
 * @throws as `selectiveScan`
 */
export function selectiveScanWithState(
  u: Tensor,
  delta: Tensor,
  A: Tensor,
  B: Tensor,
  C: Tensor,
  options: SelectiveScanOptions = {},
): { y: Tensor; lastState: Tensor } {
  validateScan('selectiveScan', u, delta, A, B, C, options);
  const T = (t: Tensor) => t.transpose(1, 2);
  const varying = B.rank === 3;
  const result = selectiveScanChannelsLast(
    T(u),
    T(delta),
    A,
    varying ? T(B) : B,
    varying ? T(C) : C,
    { ...options, z: options.z ? T(options.z) : null },
  );
  return { y: T(result.y), lastState: result.lastState };
}
