/**
 * Retention (Sun et al. 2023, "Retentive Network: A Successor to Transformer
 * for Large Language Models", Section 2.1, Eqs. 5-7) in its three equivalent
 * forms, for one decay gamma per head. Shapes: q, k [b, h, l, dk], v [b, h, l, dv],
 * state S [b, h, dk, dv], output [b, h, l, dv].
 *
 *   parallel:   O = (Q K^T ⊙ D) V,            D[n, m] = gamma^(n - m) if n >= m else 0
 *   recurrent:  S_n = gamma S_{n-1} + K_n^T V_n,   o_n = Q_n S_n
 *   chunkwise:  per chunk of B steps,
 *               O_[i] = (Q_[i] K_[i]^T ⊙ D) V_[i] + (Q_[i] R_{i-1}) ⊙ xi,   xi[j] = gamma^(j + 1)
 *               R_i  = K_[i]^T (V_[i] ⊙ zeta) + gamma^B R_{i-1},        zeta[j] = gamma^(B - j - 1)
 *
 * Rotations (xPos / RoPE) are applied to q and k by the caller, identically
 * for all forms. These are the paper's unnormalized equations, so the forms
 * agree exactly; the group norm that follows in a layer removes the scale.
 * All tensor ops: differentiable through autograd.
 */
import { concat, type Tensor, tensor, zeros } from '@x/tensor';
import { SsmShapeError } from '../errors.js';
import { checkFinite, checkFloat, checkInteger, formatShape } from '../validate.js';

/** The three forms of retention. */
export type RetentionMode = 'parallel' | 'recurrent' | 'chunkwise';

/** Every retention form. */
export const RETENTION_MODES: readonly RetentionMode[] = ['parallel', 'recurrent', 'chunkwise'];

function checkInputs(op: string, q: Tensor, k: Tensor, v: Tensor, gammas: readonly number[]): void {
  for (const [name, t] of [
    ['q', q],
    ['k', k],
    ['v', v],
  ] as const)
    checkFloat(op, name, t);
  const [b, h, l] = q.shape;
  const ok =
    q.rank === 4 &&
    k.rank === 4 &&
    v.rank === 4 &&
    k.shape.every((s, i) => s === q.shape[i]) &&
    v.shape[0] === b &&
    v.shape[1] === h &&
    v.shape[2] === l &&
    gammas.length === h;
  if (!ok) {
    throw new SsmShapeError(
      op,
      `expects q, k [b, h, l, dk], v [b, h, l, dv] and one gamma per head; got q ${formatShape(q.shape)}, k ${formatShape(k.shape)}, v ${formatShape(v.shape)}, ${gammas.length} gammas`,
      { q: q.shape, k: k.shape, v: v.shape },
    );
  }
  for (const g of gammas) checkFinite(op, 'gamma', g, true);
}

/** A [h, rows, cols] tensor of gamma_h^(exponent(i, j)), 0 where exponent is null (internal). */
function decayTensor(
  gammas: readonly number[],
  rows: number,
  cols: number,
  exponent: (i: number, j: number) => number | null,
  dtype: 'float32' | 'float64',
  backend: string,
): Tensor {
  const values = new Float64Array(gammas.length * rows * cols);
  gammas.forEach((g, h) => {
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) {
        const e = exponent(i, j);
        values[(h * rows + i) * cols + j] = e === null ? 0 : g ** e;
      }
  });
  return tensor(values, { shape: [gammas.length, rows, cols], dtype, backend });
}

/**
 * Retention over a whole sequence.
 * @param q - queries `[b, h, l, dk]` (rotated, scaled)
 * @param k - keys `[b, h, l, dk]`
 * @param v - values `[b, h, l, dv]`
 * @param gammas - decay per head, in (0, 1]
 * @param mode - 'parallel' (training), 'recurrent' (one step at a time) or 'chunkwise'
 * @param chunkSize - B of the chunkwise form. @default 64
 * @returns `[b, h, l, dv]`
 * @throws SsmShapeError for mismatched shapes; SsmValueError for a bad gamma or chunk size
 * @example
 * retention(q, k, v, [0.9, 0.99], 'chunkwise', 16) // equals retention(q, k, v, [0.9, 0.99], 'parallel')
 */
export function retention(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  gammas: readonly number[],
  mode: RetentionMode = 'parallel',
  chunkSize = 64,
): Tensor {
  checkInputs('retention', q, k, v, gammas);
  const dtype = q.dtype as 'float32' | 'float64';
  const [b, h, l, dk] = q.shape as [number, number, number, number];
  const dv = v.shape[3]!;
  if (mode === 'parallel') {
    const D = decayTensor(gammas, l, l, (n, m) => (n >= m ? n - m : null), dtype, q.backend);
    return q.matmul(k.transpose(2, 3)).mul(D).matmul(v);
  }
  if (mode === 'recurrent') {
    let state = zeros([b, h, dk, dv], { dtype, backend: q.backend });
    const outputs: Tensor[] = [];
    for (let t = 0; t < l; t++) {
      const r = retentionStep(q.select(2, t), k.select(2, t), v.select(2, t), state, gammas);
      state = r.state;
      outputs.push(r.y.unsqueeze(2));
    }
    return l === 0 ? zeros([b, h, 0, dv], { dtype, backend: q.backend }) : concat(outputs, 2);
  }
  const size = checkInteger('retention', 'chunkSize', chunkSize);
  const gammaT = tensor(gammas, { dtype, backend: q.backend }).reshape([h, 1, 1]);
  let R: Tensor | null = null;
  const outputs: Tensor[] = [];
  for (let start = 0; start < l; start += size) {
    const B = Math.min(size, l - start);
    const qi = q.narrow(2, start, B);
    const ki = k.narrow(2, start, B);
    const vi = v.narrow(2, start, B);
    const D = decayTensor(gammas, B, B, (n, m) => (n >= m ? n - m : null), dtype, q.backend);
    let out = qi.matmul(ki.transpose(2, 3)).mul(D).matmul(vi);
    if (R) {
      const xi = decayTensor(gammas, B, 1, (j) => j + 1, dtype, q.backend);
      out = out.add(qi.matmul(R).mul(xi));
    }
    const zeta = decayTensor(gammas, B, 1, (j) => B - j - 1, dtype, q.backend);
    const inner = ki.transpose(2, 3).matmul(vi.mul(zeta));
    R = R ? inner.add(R.mul(gammaT.pow(B))) : inner;
    outputs.push(out);
  }
  return l === 0 ? zeros([b, h, 0, dv], { dtype, backend: q.backend }) : concat(outputs, 2);
}

/**
 * One recurrent step: S = gamma S + k^T v, y = q S.
 * @param q - `[b, h, dk]`
 * @param k - `[b, h, dk]`
 * @param v - `[b, h, dv]`
 * @param state - S `[b, h, dk, dv]`
 * @param gammas - decay per head
 * @returns y `[b, h, dv]` and the new state
 */
export function retentionStep(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  state: Tensor,
  gammas: readonly number[],
): { y: Tensor; state: Tensor } {
  const h = gammas.length;
  const gammaT = tensor(gammas, { dtype: state.dtype, backend: state.backend }).reshape([h, 1, 1]);
  const next = state.mul(gammaT).add(k.unsqueeze(-1).mul(v.unsqueeze(-2)));
  const y = q.unsqueeze(-2).matmul(next).squeeze(-2);
  return { y, state: next };
}
