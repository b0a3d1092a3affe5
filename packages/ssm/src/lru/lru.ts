/**
 * `LRU`: the Linear Recurrent Unit (Orvieto, Smith, Gu, Fernando, Gulcehre,
 * Pascanu, De 2023, "Resurrecting Recurrent Neural Networks for Long
 * Sequences", Section 3 and Appendix A), with the paper's parameter names:
 *
 *   lambda = exp(-exp(nu_log) + i exp(theta_log))                    [N] complex, |lambda| < 1
 *   h_t    = lambda ⊙ h_{t-1} + exp(gamma_log) ⊙ ((B_re + i B_im) x_t)  [N] complex
 *   y_t    = Re((C_re + i C_im) h_t) + D ⊙ x_t                        [H]
 *
 * Initialization as the paper: |lambda| uniform on the ring [r_min, r_max]
 * (nu_log = log(-log(r) )), phase uniform in [0, max_phase], B ~ N(0, 1/(2H)),
 * C ~ N(0, 1/N), D ~ N(0, 1), gamma_log = log(sqrt(1 - |lambda|^2)) (the
 * normalization that keeps the state's variance at the input's).
 * The recurrence runs as one `complexDiagonalScan` (hand-written backward);
 * `step` advances one token for decoding.
 */
import { concat, Generator, Module, parameter, type Tensor, tensor, zeros } from '@x/tensor';
import { linear } from '../kernels/linear.js';
import { complexDiagonalScan } from '../scan/complex-scan.js';
import { checkFinite, checkInteger, checkShape } from '../validate.js';

/** Options of `LRU`. */
export interface LRUOptions {
  /** Smallest initial |lambda|. @default 0 */
  rMin?: number;
  /** Largest initial |lambda|. @default 1 */
  rMax?: number;
  /** Largest initial phase. @default 6.283185307179586 (2 pi) */
  maxPhase?: number;
  /** Seed of the initialization. @default 0 */
  seed?: number;
  /** Parameter dtype. @default 'float32' */
  dtype?: 'float32' | 'float64';
}

/**
 * The LRU layer, `[b, l, H] -> [b, l, H]` with N complex states.
 * @example
 * const lru = new LRU(8, 16, { rMin: 0.9, rMax: 0.999, maxPhase: Math.PI / 10 });
 * lru.forward(randn([2, 20, 8])).shape // [2, 20, 8]
 */
export class LRU extends Module {
  readonly nu_log: Tensor;
  readonly theta_log: Tensor;
  readonly gamma_log: Tensor;
  readonly B_re: Tensor;
  readonly B_im: Tensor;
  readonly C_re: Tensor;
  readonly C_im: Tensor;
  readonly D: Tensor;

  /**
   * @param dModel - H, input and output width
   * @param stateSize - N, complex states
   * @param options - ring radii, phase range, seed, dtype
   * @throws SsmValueError for bad sizes or radii outside [0, 1)
   */
  constructor(
    readonly dModel: number,
    readonly stateSize: number,
    options: LRUOptions = {},
  ) {
    super();
    const op = 'LRU';
    checkInteger(op, 'dModel', dModel);
    checkInteger(op, 'stateSize', stateSize);
    const rMin = checkFinite(op, 'rMin', options.rMin ?? 0);
    const rMax = checkFinite(op, 'rMax', options.rMax ?? 1);
    checkFinite(op, 'rMax - rMin', rMax - rMin >= 0 && rMin >= 0 ? 1 : Number.NaN);
    const maxPhase = checkFinite(op, 'maxPhase', options.maxPhase ?? 2 * Math.PI, true);
    const g = new Generator(options.seed ?? 0);
    const dtype = options.dtype ?? 'float32';
    const H = dModel;
    const N = stateSize;
    const nu = new Float64Array(N);
    const theta = new Float64Array(N);
    const gamma = new Float64Array(N);
    for (let n = 0; n < N; n++) {
      // avoid r = 0 exactly (log of 0) and r = 1 (no decay)
      const u = Math.min(Math.max(g.uniform(), 1e-7), 1 - 1e-7);
      const r2 = u * (rMax ** 2 - rMin ** 2) + rMin ** 2;
      nu[n] = Math.log(-0.5 * Math.log(r2));
      theta[n] = Math.log(maxPhase * Math.max(g.uniform(), 1e-7));
      gamma[n] = Math.log(Math.sqrt(1 - r2));
    }
    const normal = (count: number, std: number) =>
      Float64Array.from({ length: count }, () => g.normal() * std);
    const p = (values: Float64Array, shape: number[]) =>
      parameter(tensor(values, { shape, dtype }));
    this.nu_log = p(nu, [N]);
    this.theta_log = p(theta, [N]);
    this.gamma_log = p(gamma, [N]);
    this.B_re = p(normal(N * H, 1 / Math.sqrt(2 * H)), [N, H]);
    this.B_im = p(normal(N * H, 1 / Math.sqrt(2 * H)), [N, H]);
    this.C_re = p(normal(H * N, 1 / Math.sqrt(N)), [H, N]);
    this.C_im = p(normal(H * N, 1 / Math.sqrt(N)), [H, N]);
    this.D = p(normal(H, 1), [H]);
  }

  /**
   * lambda as (re, im) pairs `[N, 2]` (differentiable in nu_log, theta_log).
   * @returns the diagonal
   */
  lambda(): Tensor {
    const magnitude = this.nu_log.exp().neg().exp();
    const phase = this.theta_log.exp();
    return concat(
      [magnitude.mul(phase.cos()).unsqueeze(-1), magnitude.mul(phase.sin()).unsqueeze(-1)],
      -1,
    );
  }

  /** The normalized input projection of `[..., H]` as pairs `[..., N, 2]` (internal). */
  private input(x: Tensor): Tensor {
    const scale = this.gamma_log.exp().unsqueeze(-1); // [N, 1]
    const re = linear(x, this.B_re.mul(scale)).unsqueeze(-1);
    const im = linear(x, this.B_im.mul(scale)).unsqueeze(-1);
    return concat([re, im], -1);
  }

  /** y = Re(C h) + D x for states `[..., N, 2]` (internal). */
  private output(h: Tensor, x: Tensor): Tensor {
    const hRe = h.narrow(-1, 0, 1).squeeze(-1);
    const hIm = h.narrow(-1, 1, 1).squeeze(-1);
    return linear(hRe, this.C_re).sub(linear(hIm, this.C_im)).add(x.mul(this.D));
  }

  /**
   * Runs a whole sequence with the scan.
   * @param x - `[b, l, H]`
   * @returns `[b, l, H]`
   * @throws SsmShapeError when x is not [b, l, H]
   */
  forward(x: Tensor): Tensor {
    checkShape('LRU.forward', 'x', x, [-1, -1, this.dModel]);
    return this.output(complexDiagonalScan(this.lambda(), this.input(x)), x);
  }

  /**
   * A zero decoding state.
   * @param batch - b
   * @returns h = 0, `[b, N, 2]`
   */
  initialState(batch: number): Tensor {
    return zeros([batch, this.stateSize, 2], { dtype: this.D.dtype, backend: this.D.backend });
  }

  /**
   * One decoding step.
   * @param x - `[b, H]`
   * @param state - h `[b, N, 2]`
   * @returns y `[b, H]` and the next state
   */
  step(x: Tensor, state: Tensor): { y: Tensor; state: Tensor } {
    checkShape('LRU.step', 'x', x, [state.shape[0]!, this.dModel]);
    const lam = this.lambda();
    const lr = lam.narrow(-1, 0, 1).squeeze(-1);
    const li = lam.narrow(-1, 1, 1).squeeze(-1);
    const hr = state.narrow(-1, 0, 1).squeeze(-1);
    const hi = state.narrow(-1, 1, 1).squeeze(-1);
    const bu = this.input(x);
    const nr = lr
      .mul(hr)
      .sub(li.mul(hi))
      .add(bu.narrow(-1, 0, 1).squeeze(-1));
    const ni = lr
      .mul(hi)
      .add(li.mul(hr))
      .add(bu.narrow(-1, 1, 1).squeeze(-1));
    const next = concat([nr.unsqueeze(-1), ni.unsqueeze(-1)], -1);
    return { y: this.output(next, x), state: next };
  }
}
