/**
 * The gated attention unit, GAU (Hua et al. 2022, "Transformer Quality in
 * Linear Time", section 2 and Code 1): one layer that replaces both the
 * attention and the MLP block of a transformer.
 *
 * Shapes: x [B, N, dim] -> [B, N, dim]. With e = expansion, s = sharedDim:
 *   x' = LayerNorm(x)
 *   U, V, Z = split(silu(x' W_in)), widths e, e, s
 *   Q = Z * gamma_q + beta_q,  K = Z * gamma_k + beta_k   (RoPE on both, optional)
 *   A = relu(Q K^T / N)^2                 [B, N, N]  (lower triangle when causal)
 *   out = x + (U * (A V)) W_out
 * The attention is squared ReLU, not softmax, with a single head of size s;
 * the paper's learned relative-position bias is left out (RoPE carries
 * position instead). A is N x N: GAU is quadratic; `MixedChunkAttention`
 * is its linear-time form.
 */
import {
  type DType,
  formatShape,
  type Generator,
  LayerNorm,
  Linear,
  Module,
  type Tensor,
  tensor,
} from '@x/tensor';
import { AttentionShapeError, AttentionValueError } from '../errors.js';
import { rope } from '../rope.js';
import { ScaleOffset } from './scale-offset.js';

/** Options of `GatedAttentionUnit` and `MixedChunkAttention`. */
export interface GauOptions {
  /** e, the width of U and V. @default 2 * dim */
  expansion?: number;
  /** s, the width of the shared projection Z (the attention head size). @default 128 */
  sharedDim?: number;
  /** Each position attends only itself and earlier ones. @default false */
  causal?: boolean;
  /** Apply rotary position embeddings to the queries and keys. @default true */
  rope?: boolean;
  /** Parameter dtype. @default 'float32' */
  dtype?: DType;
  /** Generator for the initial weights. @default the default generator */
  generator?: Generator;
}

/** Validates the sizes shared by GAU and FLASH (internal). */
export function gauSizes(op: string, dim: number, options: GauOptions): { e: number; s: number } {
  const e = options.expansion ?? 2 * dim;
  const s = options.sharedDim ?? 128;
  for (const [name, value] of Object.entries({ dim, expansion: e, sharedDim: s })) {
    if (!Number.isSafeInteger(value) || value < 1)
      throw new AttentionValueError(
        op,
        `${name} must be a positive integer, got ${value}`,
        name,
        value,
      );
  }
  if (options.rope !== false && s % 2 !== 0)
    throw new AttentionValueError(op, `sharedDim must be even for RoPE, got ${s}`, 'sharedDim', s);
  return { e, s };
}

/** Checks x is [B, N, dim] (internal). */
export function checkSequence(op: string, x: Tensor, dim: number): [number, number] {
  if (x.rank !== 3 || x.shape[2] !== dim)
    throw new AttentionShapeError(
      op,
      `x must be [B, N, ${dim}], got ${formatShape(x.shape, ',')}`,
      [x.shape],
    );
  return [x.shape[0]!, x.shape[1]!];
}

/** Positions 0..N-1 with RoPE applied to a [B, N, s] tensor (internal). */
export function ropeSequence(x: Tensor): Tensor {
  const [B, N, s] = x.shape as [number, number, number];
  const positions = Float64Array.from({ length: N }, (_, i) => i);
  return rope(x.reshape(B, 1, N, s), positions).reshape(B, N, s);
}

/**
 * A gated attention unit layer (includes its residual connection).
 * @example
 * const layer = new GatedAttentionUnit(64, { causal: true });
 * layer.forward(randn([2, 10, 64])).shape // [2, 10, 64]
 */
export class GatedAttentionUnit extends Module {
  readonly norm: LayerNorm;
  readonly projection: Linear;
  readonly query: ScaleOffset;
  readonly key: ScaleOffset;
  readonly output: Linear;
  readonly expansion: number;
  readonly sharedDim: number;
  readonly causal: boolean;
  readonly useRope: boolean;

  /**
   * @param dim - model width
   * @param options - expansion, sharedDim, causal, rope, dtype, generator
   * @throws AttentionValueError for non-positive sizes (or an odd sharedDim with RoPE)
   */
  constructor(
    readonly dim: number,
    options: GauOptions = {},
  ) {
    super();
    const { e, s } = gauSizes('GatedAttentionUnit', dim, options);
    const init = { dtype: options.dtype, generator: options.generator };
    this.expansion = e;
    this.sharedDim = s;
    this.causal = options.causal ?? false;
    this.useRope = options.rope ?? true;
    this.norm = new LayerNorm(dim, { dtype: options.dtype });
    this.projection = new Linear(dim, 2 * e + s, init);
    this.query = new ScaleOffset(s, init);
    this.key = new ScaleOffset(s, init);
    this.output = new Linear(e, dim, init);
  }

  /**
   * @param x - [B, N, dim]
   * @returns x + GAU(x), [B, N, dim]
   * @throws AttentionShapeError when x is not [B, N, dim]
   */
  forward(x: Tensor): Tensor {
    const [, N] = checkSequence('GatedAttentionUnit', x, this.dim);
    const [u, v, z] = this.projection
      .forward(this.norm.forward(x))
      .silu()
      .split([this.expansion, this.expansion, this.sharedDim], -1) as [Tensor, Tensor, Tensor];
    let q = this.query.forward(z);
    let k = this.key.forward(z);
    if (this.useRope) {
      q = ropeSequence(q);
      k = ropeSequence(k);
    }
    let weights = q.matmul(k.transpose(-2, -1)).div(N).relu().square();
    if (this.causal) {
      const lower = new Uint8Array(N * N);
      for (let i = 0; i < N; i++) lower.fill(1, i * N, i * N + i + 1);
      weights = weights.mul(tensor(lower, { shape: [N, N], dtype: x.dtype, backend: x.backend }));
    }
    return x.add(this.output.forward(u.mul(weights.matmul(v))));
  }
}
