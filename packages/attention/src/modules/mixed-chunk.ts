/**
 * FLASH, "Fast Linear Attention with a Single Head" (Hua et al. 2022,
 * section 3 and Code 2): the gated attention unit made linear in N by mixed
 * chunk attention.
 *
 * Shapes: x [B, N, dim] -> [B, N, dim]. The sequence is cut into G chunks of
 * C positions (the last one zero-padded; padded values are zero, so they add
 * nothing). With U, V, Z as in GAU and four scale-offsets of Z:
 *   quadratic, within each chunk g:  A_g = relu(Qq_g Kq_g^T / C)^2 (lower triangle when causal),  A_g V_g
 *   linear, across chunks:
 *     non-causal:  Ql_g (sum_h Kl_h^T V_h) / N
 *     causal:      Ql_g (sum_{h < g} Kl_h^T V_h) / C     (exclusive prefix sum of chunk states)
 *   out = x + (U * (quadratic + linear)) W_out
 * Cost O(N C s + N s e): linear in N for a fixed chunk size, and causal
 * without a sequential scan, so it trains in parallel and can serve as a
 * transformer layer (stack several; it includes its residual connection).
 */
import { concat, LayerNorm, Linear, Module, type Tensor, tensor, zeros } from '@x/tensor';
import { AttentionValueError } from '../errors.js';
import { checkSequence, type GauOptions, gauSizes, ropeSequence } from './gau.js';
import { ScaleOffset } from './scale-offset.js';

/** Options of `MixedChunkAttention`. */
export interface MixedChunkOptions extends GauOptions {
  /** C, positions per chunk (the paper's group size, 256). @default 256 */
  chunkSize?: number;
}

function padSequence(x: Tensor, length: number): Tensor {
  const [B, N, width] = x.shape as [number, number, number];
  if (length === N) return x;
  return concat([x, zeros([B, length - N, width], { dtype: x.dtype, backend: x.backend })], 1);
}

/**
 * A FLASH layer: gated attention with mixed chunk attention.
 * @example
 * const layer = new MixedChunkAttention(64, { causal: true, chunkSize: 32 });
 * layer.forward(randn([1, 100, 64])).shape // [1, 100, 64]
 */
export class MixedChunkAttention extends Module {
  readonly norm: LayerNorm;
  readonly projection: Linear;
  readonly quadQuery: ScaleOffset;
  readonly quadKey: ScaleOffset;
  readonly linQuery: ScaleOffset;
  readonly linKey: ScaleOffset;
  readonly output: Linear;
  readonly expansion: number;
  readonly sharedDim: number;
  readonly chunkSize: number;
  readonly causal: boolean;
  readonly useRope: boolean;

  /**
   * @param dim - model width
   * @param options - chunkSize, expansion, sharedDim, causal, rope, dtype, generator
   * @throws AttentionValueError for non-positive sizes
   */
  constructor(
    readonly dim: number,
    options: MixedChunkOptions = {},
  ) {
    super();
    const { e, s } = gauSizes('MixedChunkAttention', dim, options);
    const chunkSize = options.chunkSize ?? 256;
    if (!Number.isSafeInteger(chunkSize) || chunkSize < 1)
      throw new AttentionValueError(
        'MixedChunkAttention',
        `chunkSize must be a positive integer, got ${chunkSize}`,
        'chunkSize',
        chunkSize,
      );
    const init = { dtype: options.dtype, generator: options.generator };
    this.expansion = e;
    this.sharedDim = s;
    this.chunkSize = chunkSize;
    this.causal = options.causal ?? false;
    this.useRope = options.rope ?? true;
    this.norm = new LayerNorm(dim, { dtype: options.dtype });
    this.projection = new Linear(dim, 2 * e + s, init);
    this.quadQuery = new ScaleOffset(s, init);
    this.quadKey = new ScaleOffset(s, init);
    this.linQuery = new ScaleOffset(s, init);
    this.linKey = new ScaleOffset(s, init);
    this.output = new Linear(e, dim, init);
  }

  /**
   * @param x - [B, N, dim]
   * @returns x + FLASH(x), [B, N, dim]
   * @throws AttentionShapeError when x is not [B, N, dim]
   */
  forward(x: Tensor): Tensor {
    const [B, N] = checkSequence('MixedChunkAttention', x, this.dim);
    const { expansion: e, sharedDim: s } = this;
    const C = Math.min(this.chunkSize, N);
    const G = Math.ceil(N / C);
    const L = G * C;
    const [u, v, z] = this.projection.forward(this.norm.forward(x)).silu().split([e, e, s], -1) as [
      Tensor,
      Tensor,
      Tensor,
    ];
    const parts = [this.quadQuery, this.quadKey, this.linQuery, this.linKey].map((so) => {
      const t = so.forward(z);
      return padSequence(this.useRope ? ropeSequence(t) : t, L).reshape(B, G, C, s);
    });
    const [qq, qk, lq, lk] = parts as [Tensor, Tensor, Tensor, Tensor];
    const values = padSequence(v, L).reshape(B, G, C, e);
    let weights = qq.matmul(qk.transpose(-2, -1)).div(C).relu().square(); // [B, G, C, C]
    if (this.causal) {
      const lower = new Uint8Array(C * C);
      for (let i = 0; i < C; i++) lower.fill(1, i * C, i * C + i + 1);
      weights = weights.mul(tensor(lower, { shape: [C, C], dtype: x.dtype, backend: x.backend }));
    }
    const quadratic = weights.matmul(values); // [B, G, C, e]
    let linear: Tensor;
    if (this.causal) {
      const states = lk.transpose(-2, -1).matmul(values).div(C); // [B, G, s, e]
      const inclusive = states.cumsum(1);
      const first = zeros([B, 1, s, e], { dtype: x.dtype, backend: x.backend });
      const before = G === 1 ? first : concat([first, inclusive.narrow(1, 0, G - 1)], 1);
      linear = lq.matmul(before);
    } else {
      const summary = lk
        .reshape(B, L, s)
        .transpose(-2, -1)
        .matmul(values.reshape(B, L, e))
        .div(N); // [B, s, e]
      linear = lq.reshape(B, L, s).matmul(summary).reshape(B, G, C, e);
    }
    const mixed = quadratic.add(linear).reshape(B, L, e).narrow(1, 0, N);
    return x.add(this.output.forward(u.mul(mixed)));
  }
}
