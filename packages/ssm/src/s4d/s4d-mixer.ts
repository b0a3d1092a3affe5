/**
 * `S4DMixer`: the Mamba block with its selective scan replaced by a
 * time-invariant S4D layer — the "Mamba architecture with an S4 layer"
 * ablation of the Mamba paper (Table 1), used as the non-selective baseline
 * of the same size: in_proj, causal conv1d + SiLU, then y = K * x + D x with
 * the S4D kernel (no input-dependent delta, B or C), gated by silu(z), out_proj.
 * Parameter names: `in_proj`, `conv1d`, `kernel.*` (see `S4DKernel`), `D`, `out_proj`.
 */
import {
  concat,
  type DType,
  Generator,
  Linear,
  Module,
  parameter,
  silu,
  type Tensor,
  tensor,
} from '@x/tensor';
import { causalConvSilu } from '../kernels/causal-conv.js';
import { applyLinear } from '../kernels/linear.js';
import { CausalDepthwiseConv1d } from '../layers.js';
import { checkFinite, checkInteger, checkShape } from '../validate.js';
import type { S4DInit } from './init.js';
import { S4DKernel } from './kernel.js';
import { type S4DMode, type S4DState, s4dInitialState, s4dSequence, s4dStep } from './ssm.js';

/** Options of `S4DMixer`. */
export interface S4DMixerOptions {
  /** N, the real state size per channel (N/2 complex modes). @default 16 */
  dState?: number;
  /** Width of the causal conv. @default 4 */
  dConv?: number;
  /** d_inner = expand * d_model. @default 2 */
  expand?: number;
  /** Eigenvalue initialization. @default 'lin' */
  init?: S4DInit;
  /** Initial step range. @default 0.001 */
  dtMin?: number;
  /** @default 0.1 */
  dtMax?: number;
  /** How `forward` runs the SSM. @default 'convolution' */
  mode?: S4DMode;
  /** Seed of the initial weights. @default 0 */
  seed?: number;
  /** Parameter dtype. @default 'float32' */
  dtype?: 'float32' | 'float64';
}

/** Decoding state: the conv window and the S4D state. */
export interface S4DMixerState {
  readonly conv: Tensor;
  readonly ssm: S4DState;
}

/**
 * Mamba's block with a non-selective S4D SSM.
 * @example new S4DMixer(16).forward(randn([2, 10, 16])).shape // [2, 10, 16]
 */
export class S4DMixer extends Module {
  readonly in_proj: Linear;
  readonly conv1d: CausalDepthwiseConv1d;
  readonly kernel: S4DKernel;
  readonly D: Tensor;
  readonly out_proj: Linear;
  readonly dInner: number;
  readonly dConv: number;
  readonly mode: S4DMode;

  /**
   * @param dModel - model width
   * @param options - state size, conv width, expansion, init, step range, mode, seed, dtype
   * @throws SsmValueError for invalid sizes
   */
  constructor(
    readonly dModel: number,
    options: S4DMixerOptions = {},
  ) {
    super();
    checkInteger('S4DMixer', 'dModel', dModel);
    const expand = checkFinite('S4DMixer', 'expand', options.expand ?? 2, true);
    this.dInner = checkInteger('S4DMixer', 'dInner', Math.round(expand * dModel));
    this.dConv = checkInteger('S4DMixer', 'dConv', options.dConv ?? 4);
    this.mode = options.mode ?? 'convolution';
    const seed = options.seed ?? 0;
    const dtype: DType = options.dtype ?? 'float32';
    const g = new Generator(seed);
    this.in_proj = new Linear(dModel, 2 * this.dInner, { bias: false, dtype, generator: g });
    this.conv1d = new CausalDepthwiseConv1d(this.dInner, this.dConv, { seed: seed + 1, dtype });
    this.kernel = new S4DKernel(this.dInner, {
      stateSize: options.dState ?? 16,
      init: options.init ?? 'lin',
      dtMin: options.dtMin,
      dtMax: options.dtMax,
      seed: seed + 2,
      dtype: options.dtype,
    });
    this.D = parameter(tensor(new Float64Array(this.dInner).fill(1), { dtype }));
    this.out_proj = new Linear(this.dInner, dModel, { bias: false, dtype, generator: g });
  }

  /**
   * @param x - `[b, l, d_model]`
   * @returns `[b, l, d_model]`
   * @throws SsmShapeError when x is not [b, l, d_model]
   */
  forward(x: Tensor): Tensor {
    checkShape('S4DMixer.forward', 'x', x, [-1, -1, this.dModel]);
    const [xs, z] = applyLinear(this.in_proj, x).split([this.dInner, this.dInner], -1) as [
      Tensor,
      Tensor,
    ];
    const xc = causalConvSilu(xs, this.conv1d.weight, this.conv1d.bias);
    const y = s4dSequence(this.kernel, this.D, xc, this.mode).mul(silu(z));
    return applyLinear(this.out_proj, y);
  }

  /**
   * A zero decoding state.
   * @param batch - b
   * @returns the state
   */
  initialState(batch: number): S4DMixerState {
    return {
      conv: tensor(new Float64Array(batch * this.dInner * this.dConv), {
        shape: [batch, this.dInner, this.dConv],
        dtype: this.D.dtype,
        backend: this.D.backend,
      }),
      ssm: s4dInitialState(this.kernel, batch),
    };
  }

  /**
   * One decoding step.
   * @param x - `[b, d_model]`
   * @param state - the previous state
   * @returns y `[b, d_model]` and the next state
   */
  step(x: Tensor, state: S4DMixerState): { y: Tensor; state: S4DMixerState } {
    const [xs, z] = applyLinear(this.in_proj, x).split([this.dInner, this.dInner], -1) as [
      Tensor,
      Tensor,
    ];
    const conv = concat([state.conv.narrow(2, 1, this.dConv - 1), xs.unsqueeze(-1)], 2);
    let xc = conv.mul(this.conv1d.weight.reshape([this.dInner, this.dConv])).sum(-1);
    if (this.conv1d.bias) xc = xc.add(this.conv1d.bias);
    xc = silu(xc);
    const result = s4dStep(this.kernel, this.D, xc, state.ssm);
    return {
      y: applyLinear(this.out_proj, result.y.mul(silu(z))),
      state: { conv, ssm: result.state },
    };
  }
}
