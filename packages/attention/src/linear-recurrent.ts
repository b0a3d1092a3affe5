/**
 * The recurrent form of causal linear attention, for decoding one token at
 * a time (Katharopoulos et al. 2020, "Transformers are RNNs", eq. 18-20):
 *
 *   S_t = S_{t-1} + phi(k_t) v_t^T     [B, Hkv, d, dv]
 *   z_t = z_{t-1} + phi(k_t)           [B, Hkv, 1, d]
 *   out_t = phi(q_t)^T S_t / (phi(q_t) . z_t + eps)
 *
 * Constant memory and time per token, whatever the context length. Feeding
 * a sequence through `step` gives exactly `attention(q, k, v, { causal: true,
 * implementation: 'linear' })` (the tests check it position by position).
 * Composed from tensor ops, so it is differentiable too.
 */
import { type DType, formatShape, type Tensor, zeros } from '@x/tensor';
import { AttentionShapeError, AttentionValueError } from './errors.js';
import { applyFeatureMap } from './linear.js';
import type { FeatureMap } from './options.js';

/** Options of `LinearAttentionState`. */
export interface LinearAttentionStateOptions {
  /** The feature map (must match the parallel form's). @default 'elu' */
  featureMap?: FeatureMap;
  /** Added to the normalizer. @default 1e-6 */
  eps?: number;
  /** State dtype. @default 'float32' */
  dtype?: DType;
  /** Backend of the state. @default the current backend */
  backend?: string;
}

const fmt = (shape: readonly number[]) => formatShape(shape, ',');

/**
 * The running state of causal linear attention for B sequences.
 * @example
 * const state = new LinearAttentionState(1, 2, 16, 16);
 * const out = state.step(q, k, v); // q [1, 4, 1, 16], k / v [1, 2, 1, 16] -> [1, 4, 1, 16]
 */
export class LinearAttentionState {
  /** The sum of phi(k) v^T so far, [B, Hkv, d, dv]. */
  kv: Tensor;
  /** The sum of phi(k) so far, [B, Hkv, 1, d]. */
  normalizer: Tensor;
  /** Tokens consumed. */
  steps = 0;
  private readonly featureMap: FeatureMap;
  private readonly eps: number;

  /**
   * @param batch - B
   * @param kvHeads - Hkv
   * @param headDim - d
   * @param valueDim - dv
   * @param options - feature map, eps, dtype, backend
   * @throws AttentionValueError for non-positive sizes or a negative eps
   */
  constructor(
    readonly batch: number,
    readonly kvHeads: number,
    readonly headDim: number,
    readonly valueDim: number,
    options: LinearAttentionStateOptions = {},
  ) {
    for (const [name, value] of Object.entries({ batch, kvHeads, headDim, valueDim })) {
      if (!Number.isSafeInteger(value) || value < 1)
        throw new AttentionValueError(
          'LinearAttentionState',
          `${name} must be a positive integer, got ${value}`,
          name,
          value,
        );
    }
    this.featureMap = options.featureMap ?? 'elu';
    this.eps = options.eps ?? 1e-6;
    if (!(this.eps >= 0))
      throw new AttentionValueError(
        'LinearAttentionState',
        `eps must be >= 0, got ${this.eps}`,
        'eps',
        this.eps,
      );
    const creation = { dtype: options.dtype ?? 'float32', backend: options.backend };
    this.kv = zeros([batch, kvHeads, headDim, valueDim], creation);
    this.normalizer = zeros([batch, kvHeads, 1, headDim], creation);
  }

  /**
   * Consumes one token: adds its key and value to the state, then attends with its query.
   * @param q - [B, H, 1, d] with Hkv dividing H
   * @param k - [B, Hkv, 1, d]
   * @param v - [B, Hkv, 1, dv]
   * @returns the output [B, H, 1, dv]
   * @throws AttentionShapeError when the shapes do not match the state
   */
  step(q: Tensor, k: Tensor, v: Tensor): Tensor {
    const { batch: B, kvHeads: Hkv, headDim: d, valueDim: dv } = this;
    const H = q.shape[1] ?? 0;
    const ok =
      q.rank === 4 &&
      k.rank === 4 &&
      v.rank === 4 &&
      q.shape[0] === B &&
      q.shape[2] === 1 &&
      q.shape[3] === d &&
      H % Hkv === 0 &&
      H > 0 &&
      k.shape[0] === B &&
      k.shape[1] === Hkv &&
      k.shape[2] === 1 &&
      k.shape[3] === d &&
      v.shape[0] === B &&
      v.shape[1] === Hkv &&
      v.shape[2] === 1 &&
      v.shape[3] === dv;
    if (!ok)
      throw new AttentionShapeError(
        'LinearAttentionState.step',
        `expected q [${B}, H, 1, ${d}] (${Hkv} divides H), k [${B}, ${Hkv}, 1, ${d}], v [${B}, ${Hkv}, 1, ${dv}], got q ${fmt(q.shape)}, k ${fmt(k.shape)}, v ${fmt(v.shape)}`,
        [q.shape, k.shape, v.shape],
      );
    const phiK = applyFeatureMap(k, this.featureMap);
    this.kv = this.kv.add(phiK.transpose(-2, -1).matmul(v));
    this.normalizer = this.normalizer.add(phiK);
    this.steps++;
    const phiQ = applyFeatureMap(q, this.featureMap).reshape(B, Hkv, H / Hkv, d);
    const numerator = phiQ.matmul(this.kv);
    const denominator = phiQ.matmul(this.normalizer.transpose(-2, -1)).add(this.eps);
    return numerator.div(denominator).reshape(B, H, 1, dv);
  }
}
