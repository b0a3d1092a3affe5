/**
 * `MultiScaleRetention`: the RetNet layer (Sun et al. 2023, Section 2.2) with
 * the parameter names of the reference torchscale `MultiScaleRetention`:
 * `q_proj`, `k_proj`, `v_proj`, `g_proj`, `out_proj` (no biases). Per head h
 * a decay gamma_h = 1 - 2^(-5 - h); q and k are rotated by position
 * (the theta shift, rotary angles 1 / 10000^(linspace(0, 1, dk/2)) on pairs of
 * features) and k is scaled by dk^-1/2; the retention output of each head is
 * RMS-normalized (the group norm, no affine), gated by swish(g_proj(x)) and
 * projected:
 *
 *   Y = out_proj( swish(g_proj(X)) ⊙ GroupNorm(Retention(rot(X Wq), rot(X Wk) / sqrt(dk), X Wv)) )
 *
 * `forward` runs any of the three retention forms; `step` decodes one token
 * with the state S [b, h, dk, dv / h] and the position counter.
 */
import {
  cos,
  Generator,
  Linear,
  Module,
  rmsNorm,
  silu,
  sin,
  type Tensor,
  tensor,
  zeros,
} from '@x/tensor';
import { applyLinear } from '../kernels/linear.js';
import { checkInteger, checkOneOf, checkShape } from '../validate.js';
import { RETENTION_MODES, type RetentionMode, retention, retentionStep } from './retention.js';

/** Options of `MultiScaleRetention`. */
export interface MultiScaleRetentionOptions {
  /** Number of heads. @default 4 */
  heads?: number;
  /** Total value width (split over heads). @default 2 * dModel */
  valueDim?: number;
  /** Seed of the initial weights. @default 0 */
  seed?: number;
  /** Parameter dtype. @default 'float32' */
  dtype?: 'float32' | 'float64';
}

/** Decoding state of `MultiScaleRetention`. */
export interface RetentionState {
  /** S `[b, h, dk, dv / h]`. */
  readonly state: Tensor;
  /** Position of the next token. */
  readonly position: number;
}

/**
 * The multi-scale retention layer.
 * @example
 * const layer = new MultiScaleRetention(16, { heads: 2 });
 * layer.forward(randn([1, 12, 16]), 'recurrent') // equals the 'parallel' and 'chunkwise' forms
 */
export class MultiScaleRetention extends Module {
  readonly q_proj: Linear;
  readonly k_proj: Linear;
  readonly v_proj: Linear;
  readonly g_proj: Linear;
  readonly out_proj: Linear;
  readonly heads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  /** Decay per head. */
  readonly gammas: readonly number[];
  private readonly angles: Float64Array;

  /**
   * @param dModel - model width (divisible by heads; dModel / heads even)
   * @param options - heads, value width, seed, dtype
   * @throws SsmValueError for widths that do not divide
   */
  constructor(
    readonly dModel: number,
    options: MultiScaleRetentionOptions = {},
  ) {
    super();
    const op = 'MultiScaleRetention';
    this.heads = checkInteger(op, 'heads', options.heads ?? 4);
    this.valueDim = checkInteger(op, 'valueDim', options.valueDim ?? 2 * dModel);
    this.keyDim = checkInteger(op, 'dModel / heads', dModel / this.heads);
    checkInteger(op, 'dModel / heads / 2', this.keyDim / 2);
    checkInteger(op, 'valueDim / heads', this.valueDim / this.heads);
    const g = new Generator(options.seed ?? 0);
    const linear = (i: number, o: number) =>
      new Linear(i, o, { bias: false, dtype: options.dtype, generator: g });
    this.q_proj = linear(dModel, dModel);
    this.k_proj = linear(dModel, dModel);
    this.v_proj = linear(dModel, this.valueDim);
    this.g_proj = linear(dModel, this.valueDim);
    this.out_proj = linear(this.valueDim, dModel);
    this.gammas = Array.from({ length: this.heads }, (_, h) => 1 - 2 ** (-5 - h));
    const half = this.keyDim / 2;
    this.angles = Float64Array.from({ length: half }, (_, i) =>
      half === 1 ? 1 : 1 / 10000 ** (i / (half - 1)),
    );
  }

  /** Rotates pairs (x_{2i}, x_{2i+1}) of `[b, l, h, dk]` by position * angle_i (internal). */
  private rotate(x: Tensor, offset: number): Tensor {
    const [, l, , dk] = x.shape as [number, number, number, number];
    const phase = new Float64Array(l * dk);
    for (let t = 0; t < l; t++)
      for (let i = 0; i < dk; i++) phase[t * dk + i] = (offset + t) * this.angles[i >> 1]!;
    const theta = tensor(phase, { shape: [l, 1, dk], dtype: x.dtype, backend: x.backend });
    // rotate_every_two: (x0, x1) -> (-x1, x0)
    const pairs = x.reshape([...x.shape.slice(0, 3), dk / 2, 2]);
    const swapped = pairs
      .flip(-1)
      .mul(tensor([-1, 1], { dtype: x.dtype, backend: x.backend }))
      .reshape(x.shape);
    return x.mul(cos(theta)).add(swapped.mul(sin(theta)));
  }

  /** q, k, v and the gate of `[b, l, dModel]`, heads split (internal). */
  private project(x: Tensor, offset: number) {
    const [b, l] = x.shape as [number, number];
    const split = (t: Tensor, width: number) => t.reshape([b, l, this.heads, width]);
    const q = this.rotate(split(applyLinear(this.q_proj, x), this.keyDim), offset);
    const k = this.rotate(split(applyLinear(this.k_proj, x), this.keyDim), offset).mul(
      this.keyDim ** -0.5,
    );
    const v = split(applyLinear(this.v_proj, x), this.valueDim / this.heads);
    return { q, k, v, gate: silu(applyLinear(this.g_proj, x)) };
  }

  /** Group norm, gate and output projection of retention output `[b, l, h, dvh]` (internal). */
  private finish(o: Tensor, gate: Tensor): Tensor {
    const [b, l] = o.shape as [number, number];
    const normed = rmsNorm(o, null, 1e-6).reshape([b, l, this.valueDim]);
    return applyLinear(this.out_proj, normed.mul(gate));
  }

  /**
   * Runs a whole sequence.
   * @param x - `[b, l, dModel]`
   * @param mode - the retention form. @default 'parallel'
   * @param chunkSize - B of the chunkwise form. @default 64
   * @returns `[b, l, dModel]`
   * @throws SsmShapeError when x is not [b, l, dModel]; SsmValueError for an unknown mode
   */
  forward(x: Tensor, mode: RetentionMode = 'parallel', chunkSize = 64): Tensor {
    checkShape('MultiScaleRetention.forward', 'x', x, [-1, -1, this.dModel]);
    checkOneOf('MultiScaleRetention.forward', 'mode', mode, RETENTION_MODES);
    const { q, k, v, gate } = this.project(x, 0);
    const T = (t: Tensor) => t.transpose(1, 2); // [b, l, h, d] <-> [b, h, l, d]
    const o = retention(T(q), T(k), T(v), this.gammas, mode, chunkSize);
    return this.finish(T(o), gate);
  }

  /**
   * A zero decoding state.
   * @param batch - b
   * @returns S = 0 at position 0
   */
  initialState(batch: number): RetentionState {
    const shape = [batch, this.heads, this.keyDim, this.valueDim / this.heads];
    return {
      state: zeros(shape, { dtype: this.q_proj.weight.dtype, backend: this.q_proj.weight.backend }),
      position: 0,
    };
  }

  /**
   * One decoding step.
   * @param x - `[b, dModel]`
   * @param state - from `initialState` or the previous step
   * @returns y `[b, dModel]` and the next state
   */
  step(x: Tensor, state: RetentionState): { y: Tensor; state: RetentionState } {
    checkShape('MultiScaleRetention.step', 'x', x, [state.state.shape[0]!, this.dModel]);
    const { q, k, v, gate } = this.project(x.unsqueeze(1), state.position);
    const r = retentionStep(q.squeeze(1), k.squeeze(1), v.squeeze(1), state.state, this.gammas);
    const y = this.finish(r.y.unsqueeze(1), gate).squeeze(1);
    return { y, state: { state: r.state, position: state.position + 1 } };
  }
}
