/**
 * `Mamba`: the Mamba block (Gu & Dao 2023, "Mamba: Linear-Time Sequence
 * Modeling with Selective State Spaces", Section 3.4 and Figure 3), with the
 * parameter names and shapes of the reference `mamba_simple.py`, so
 * safetensors checkpoints of the reference load with `loadStateDict`:
 *
 *   in_proj.weight   [2 d_inner, d_model]      conv1d.weight [d_inner, 1, d_conv]   conv1d.bias [d_inner]
 *   x_proj.weight    [dt_rank + 2 d_state, d_inner]
 *   dt_proj.weight   [d_inner, dt_rank]        dt_proj.bias  [d_inner]
 *   A_log            [d_inner, d_state]        D             [d_inner]
 *   out_proj.weight  [d_model, d_inner]
 *
 * Forward over x [b, l, d_model]:
 *   x, z   = split(in_proj(x))                       [b, l, d_inner] each
 *   x      = silu(conv1d(x))                         causal depthwise, width d_conv
 *   dt, B, C = split(x_proj(x), [dt_rank, d_state, d_state])
 *   y      = selective_scan(x, dt_proj.weight dt, -exp(A_log), B, C, D, z,
 *                           delta_bias = dt_proj.bias, delta_softplus)
 *   out    = out_proj(y)
 * `step` is the reference's decoding step with a conv state [b, d_inner, d_conv]
 * (the last d_conv inputs of the conv) and an SSM state [b, d_inner, d_state].
 */
import {
  concat,
  exp,
  Generator,
  Linear,
  Module,
  noGrad,
  parameter,
  silu,
  softplus,
  type Tensor,
  tensor,
  zeros,
} from '@x/tensor';
import { causalConvSilu } from '../kernels/causal-conv.js';
import { applyLinear, linear } from '../kernels/linear.js';
import { CausalDepthwiseConv1d } from '../layers.js';
import { selectiveScanChannelsLast } from '../scan/selective-scan.js';
import { selectiveScanParallel } from '../scan/selective-scan-parallel.js';
import { checkInteger, checkShape } from '../validate.js';
import {
  aLogInit,
  dtProjInit,
  type MambaOptions,
  type ResolvedMambaOptions,
  resolveMambaOptions,
} from './config.js';

/** The decoding state of one Mamba block. */
export interface MambaState {
  /** The last d_conv inputs of the causal conv, `[b, d_inner, d_conv]`. */
  readonly conv: Tensor;
  /** The SSM state h, `[b, d_inner, d_state]`. */
  readonly ssm: Tensor;
}

/**
 * The Mamba block.
 * @example
 * const block = new Mamba(16); // d_state 16, d_conv 4, expand 2, dt_rank 1
 * block.forward(randn([2, 10, 16])).shape // [2, 10, 16]
 */
export class Mamba extends Module {
  readonly config: ResolvedMambaOptions;
  readonly in_proj: Linear;
  readonly conv1d: CausalDepthwiseConv1d;
  readonly x_proj: Linear;
  readonly dt_proj: Linear;
  /** log(-A), `[d_inner, d_state]`. */
  readonly A_log: Tensor;
  /** Skip connection, `[d_inner]`. */
  readonly D: Tensor;
  readonly out_proj: Linear;

  /**
   * @param dModel - the model width
   * @param options - the reference's hyper-parameters (defaults as `mamba_simple.py`), scan choice, seed, dtype
   * @throws SsmValueError for invalid sizes or options
   */
  constructor(dModel: number, options: MambaOptions = {}) {
    super();
    const c = resolveMambaOptions(dModel, options);
    this.config = c;
    const g = new Generator(c.seed);
    const dtype = c.dtype;
    this.in_proj = new Linear(dModel, 2 * c.dInner, { bias: c.bias, dtype, generator: g });
    this.conv1d = new CausalDepthwiseConv1d(c.dInner, c.dConv, {
      bias: c.convBias,
      seed: c.seed + 1,
      dtype,
    });
    this.x_proj = new Linear(c.dInner, c.dtRank + 2 * c.dState, {
      bias: false,
      dtype,
      generator: g,
    });
    this.dt_proj = new Linear(c.dtRank, c.dInner, { dtype, generator: g });
    const dt = dtProjInit(c, g);
    noGrad(() => {
      this.dt_proj.weight.copy_(tensor(dt.weight, { shape: [c.dInner, c.dtRank], dtype }));
      this.dt_proj.bias!.copy_(tensor(dt.bias, { dtype }));
    });
    this.A_log = parameter(
      tensor(aLogInit(c.dInner, c.dState), { shape: [c.dInner, c.dState], dtype }),
    );
    this.D = parameter(tensor(new Float64Array(c.dInner).fill(1), { dtype }));
    this.out_proj = new Linear(c.dInner, dModel, { bias: c.bias, dtype, generator: g });
  }

  /** The input projection, conv and x_proj split shared by forward and prefill (internal). */
  private project(x: Tensor) {
    const { dInner, dtRank, dState } = this.config;
    const [xs, z] = applyLinear(this.in_proj, x).split([dInner, dInner], -1) as [Tensor, Tensor];
    const xc = causalConvSilu(xs, this.conv1d.weight, this.conv1d.bias); // [b, l, d_inner]
    const [dtLow, B, C] = applyLinear(this.x_proj, xc).split([dtRank, dState, dState], -1) as [
      Tensor,
      Tensor,
      Tensor,
    ];
    const dt = linear(dtLow, this.dt_proj.weight); // [b, l, d_inner], bias added in the scan
    return { xs, z, xc, dt, B, C };
  }

  /**
   * Runs a whole sequence (the training / prefill form).
   * @param x - `[b, l, d_model]`
   * @returns `[b, l, d_model]`
   * @throws SsmShapeError when x is not [b, l, d_model]
   */
  forward(x: Tensor): Tensor {
    return this.forwardWithState(x, false).y;
  }

  /**
   * Runs a whole sequence and returns the decoding state after it (a prefill).
   * @param x - `[b, l, d_model]`
   * @param withState - also compute the final state (sequential scan only) @default true
   * @returns y `[b, l, d_model]` and the state for `step`
   * @throws SsmShapeError when x is not [b, l, d_model]
   */
  forwardWithState(x: Tensor, withState = true): { y: Tensor; state: MambaState | null } {
    const { dModel, dConv, scan, chunkSize } = this.config;
    checkShape('Mamba.forward', 'x', x, [-1, -1, dModel]);
    const { xs, z, xc, dt, B, C } = this.project(x);
    const A = exp(this.A_log).neg();
    const T = (t: Tensor) => t.transpose(1, 2); // [b, l, c] <-> [b, c, l]
    let y: Tensor; // [b, l, d_inner]
    let ssm: Tensor | null = null;
    if (scan === 'parallel' && !withState) {
      const options = { D: this.D, z: T(z), deltaBias: this.dt_proj.bias, deltaSoftplus: true };
      y = T(selectiveScanParallel(T(xc), T(dt), A, T(B), T(C), { ...options, chunkSize }));
    } else {
      const options = { D: this.D, z, deltaBias: this.dt_proj.bias, deltaSoftplus: true };
      const result = selectiveScanChannelsLast(xc, dt, A, B, C, options);
      y = result.y;
      ssm = result.lastState;
    }
    const out = applyLinear(this.out_proj, y);
    if (!withState) return { y: out, state: null };
    const [b, l] = x.shape as [number, number];
    const tail = T(xs.detach()); // [b, d_inner, l]
    const conv =
      l >= dConv
        ? tail.narrow(2, l - dConv, dConv).contiguous()
        : concat(
            [
              zeros([b, this.config.dInner, dConv - l], { dtype: x.dtype, backend: x.backend }),
              tail,
            ],
            2,
          );
    return { y: out, state: { conv, ssm: ssm!.detach() } };
  }

  /**
   * A zero decoding state.
   * @param batch - b
   * @returns conv `[b, d_inner, d_conv]` and ssm `[b, d_inner, d_state]` zeros
   */
  initialState(batch: number): MambaState {
    checkInteger('Mamba.initialState', 'batch', batch);
    const { dInner, dConv, dState, dtype } = this.config;
    return {
      conv: zeros([batch, dInner, dConv], { dtype, backend: this.D.backend }),
      ssm: zeros([batch, dInner, dState], { dtype, backend: this.D.backend }),
    };
  }

  /**
   * One decoding step (the reference `Mamba.step`), constant cost in the sequence length.
   * @param x - this token's features `[b, d_model]`
   * @param state - from `initialState`, `forwardWithState` or the previous step
   * @returns y `[b, d_model]` and the next state
   * @throws SsmShapeError when x or the state has the wrong shape
   */
  step(x: Tensor, state: MambaState): { y: Tensor; state: MambaState } {
    const { dModel, dInner, dConv, dState, dtRank } = this.config;
    const b = state.conv.shape[0]!;
    checkShape('Mamba.step', 'x', x, [b, dModel]);
    checkShape('Mamba.step', 'state.conv', state.conv, [b, dInner, dConv]);
    checkShape('Mamba.step', 'state.ssm', state.ssm, [b, dInner, dState]);
    const [xs, z] = applyLinear(this.in_proj, x).split([dInner, dInner], -1) as [Tensor, Tensor];
    const conv = concat([state.conv.narrow(2, 1, dConv - 1), xs.unsqueeze(-1)], 2);
    let xc = conv.mul(this.conv1d.weight.reshape([dInner, dConv])).sum(-1);
    if (this.conv1d.bias) xc = xc.add(this.conv1d.bias);
    xc = silu(xc); // [b, d_inner]
    const [dtLow, B, C] = applyLinear(this.x_proj, xc).split([dtRank, dState, dState], -1) as [
      Tensor,
      Tensor,
      Tensor,
    ];
    const dt = softplus(applyLinear(this.dt_proj, dtLow)); // [b, d_inner]
    const A = exp(this.A_log).neg(); // [d_inner, d_state]
    const dA = exp(dt.unsqueeze(-1).mul(A));
    const dBx = dt.mul(xc).unsqueeze(-1).mul(B.unsqueeze(1)); // [b, d_inner, d_state]
    const ssm = state.ssm.mul(dA).add(dBx);
    let y = ssm.mul(C.unsqueeze(1)).sum(-1).add(xc.mul(this.D));
    y = y.mul(silu(z));
    return { y: applyLinear(this.out_proj, y), state: { conv, ssm } };
  }
}
