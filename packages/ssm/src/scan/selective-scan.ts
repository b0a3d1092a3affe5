/**
 * `selectiveScan`: Mamba's selective scan as one differentiable op, with the
 * signature of the reference `selective_scan_fn(u, delta, A, B, C, D, z,
 * delta_bias, delta_softplus, return_last_state)` (state-spaces/mamba). The
 * forward is the sequential recurrence; the backward is the hand-written
 * reverse scan of `selective-scan-kernel.ts`, recorded on the tape with
 * `record()` so a length-l scan adds one node, not l * n of them.
 *
 * Shapes: u, delta, z: [b, d, l]; A: [d, n]; B, C: [b, n, l] (input-dependent)
 * or [d, n] (time-invariant); D, deltaBias: [d]; initialState: [b, d, n].
 */
import { isGradEnabled, record, type Tensor, tensor } from '@x/tensor';
import { SsmShapeError } from '../errors.js';
import { checkFloat, formatShape } from '../validate.js';
import { type ScanArrays, scanBackward, scanForward } from './selective-scan-kernel.js';

/** Options of `selectiveScan` (the reference's keyword arguments). */
export interface SelectiveScanOptions {
  /** Skip connection D, `[d]`: y += D * u. @default none */
  D?: Tensor | null;
  /** Gate z, `[b, d, l]`: y *= silu(z). @default none */
  z?: Tensor | null;
  /** Added to delta before the softplus, `[d]` (`dt_proj.bias` in Mamba). @default none */
  deltaBias?: Tensor | null;
  /** Apply softplus to delta (+ deltaBias). @default false */
  deltaSoftplus?: boolean;
  /** State before the first step, `[b, d, n]` (differentiable). @default zeros */
  initialState?: Tensor | null;
}

/** Inputs after validation, in record order (internal). */
export interface ScanInputs {
  readonly arrays: ScanArrays;
  readonly tensors: Tensor[];
  readonly names: string[];
}

type Named = [string, Tensor | null | undefined][];

function namedInputs(
  u: Tensor,
  delta: Tensor,
  A: Tensor,
  B: Tensor,
  C: Tensor,
  options: SelectiveScanOptions,
): Named {
  return [
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
}

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
): void {
  const named = namedInputs(u, delta, A, B, C, options);
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
  if (u.rank !== 3) bad('u must be [b, d, l]');
  const [b, d, l] = u.shape as [number, number, number];
  if (A.rank !== 2 || A.shape[0] !== d) bad('A must be [d, n]');
  const n = A.shape[1]!;
  const same = (t: Tensor, shape: readonly number[]) =>
    t.rank === shape.length && t.shape.every((s, i) => s === shape[i]);
  if (!same(delta, u.shape)) bad('delta must match u');
  const bcShape = B.rank === 3 ? [b, n, l] : [d, n];
  if (!same(B, bcShape) || !same(C, bcShape))
    bad(`B and C must both be [b, n, l] or [d, n] (here ${formatShape(bcShape)})`);
  if (options.D && !same(options.D, [d])) bad('D must be [d]');
  if (options.deltaBias && !same(options.deltaBias, [d])) bad('deltaBias must be [d]');
  if (options.z && !same(options.z, u.shape)) bad('z must match u');
  if (options.initialState && !same(options.initialState, [b, d, n]))
    bad('initialState must be [b, d, n]');
}

/** Validates the arguments and copies them into flat arrays (internal). */
export function prepareScan(
  op: string,
  u: Tensor,
  delta: Tensor,
  A: Tensor,
  B: Tensor,
  C: Tensor,
  options: SelectiveScanOptions,
): ScanInputs {
  validateScan(op, u, delta, A, B, C, options);
  const named = namedInputs(u, delta, A, B, C, options);
  const [b, d, l] = u.shape as [number, number, number];
  const varying = B.rank === 3;
  const flat = (t: Tensor | null | undefined) => (t ? t.toTypedArray() : null);
  const arrays: ScanArrays = {
    b,
    d,
    l,
    n: A.shape[1]!,
    u: u.toTypedArray(),
    delta: delta.toTypedArray(),
    A: A.toTypedArray(),
    B: varying ? B.transpose(1, 2).toTypedArray() : B.toTypedArray(),
    C: varying ? C.transpose(1, 2).toTypedArray() : C.toTypedArray(),
    varying,
    D: flat(options.D),
    z: flat(options.z),
    deltaBias: flat(options.deltaBias),
    softplus: options.deltaSoftplus ?? false,
    h0: flat(options.initialState),
  };
  const present = named.filter(([, t]) => t) as [string, Tensor][];
  return { arrays, tensors: present.map(([, t]) => t), names: present.map(([name]) => name) };
}

function allocLike(t: Tensor, size: number): Float32Array | Float64Array {
  return t.dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

/** Converts a [b, l, n] flat gradient back to [b, n, l] (internal). */
function transposeBack(g: Float64Array, b: number, l: number, n: number): Float64Array {
  const out = new Float64Array(g.length);
  for (let bi = 0; bi < b; bi++)
    for (let t = 0; t < l; t++)
      for (let k = 0; k < n; k++) out[(bi * n + k) * l + t] = g[(bi * l + t) * n + k]!;
  return out;
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
 * reference's `return_last_state`), to continue with `mambaStep` after a
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
  const { arrays, tensors, names } = prepareScan('selectiveScan', u, delta, A, B, C, options);
  const { b, d, l, n } = arrays;
  const out = allocLike(u, b * d * l);
  const hLast = allocLike(u, b * d * n);
  const saved = scanForward(
    arrays,
    out,
    hLast,
    tensors.some((t) => t.requiresGrad) && isGradEnabled(),
  );
  const y = tensor(out, { shape: [b, d, l], dtype: u.dtype });
  const lastState = tensor(hLast, { shape: [b, d, n], dtype: u.dtype });
  record(
    'selectiveScan',
    y,
    tensors,
    (grad) => {
      const g = scanBackward(arrays, saved!, grad.toTypedArray());
      const byName: Record<string, Float64Array | null> = {
        u: g.u,
        delta: g.delta,
        A: g.A,
        B: arrays.varying ? transposeBack(g.B, b, l, n) : g.B,
        C: arrays.varying ? transposeBack(g.C, b, l, n) : g.C,
        D: g.D,
        z: g.z,
        deltaBias: g.deltaBias,
        initialState: g.h0,
      };
      return tensors.map((t, i) =>
        t.requiresGrad ? tensor(byName[names[i]!]!, { shape: t.shape, dtype: t.dtype }) : null,
      );
    },
    tensors,
  );
  return { y, lastState };
}
