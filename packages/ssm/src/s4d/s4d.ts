/**
 * `S4D`: the S4D layer of the reference minimal implementation
 * (state-spaces/s4 `models/s4/s4d.py`, class `S4D`), with its parameter names:
 * `D [H]`, `kernel.*` (see `S4DKernel`) and `output_linear.0` (a 1x1 Conv1d
 * H -> 2H followed by a GLU over channels). Input and output are
 * batch-first, channels-last [b, l, H] (the reference's `transposed=False`):
 *
 *   y = GLU(output_linear(GELU(K * u + D u)))
 *
 * `forward` runs the convolution (FFT) or the recurrence; `step` advances one
 * token with a fixed-size state, for decoding.
 */
import {
  type DType,
  Generator,
  gelu,
  Module,
  parameter,
  sigmoid,
  type Tensor,
  tensor,
} from '@x/tensor';
import { PointwiseConv1d } from '../layers.js';
import { checkInteger, checkOneOf, checkShape } from '../validate.js';
import { S4DKernel, type S4DKernelOptions } from './kernel.js';
import {
  S4D_MODES,
  type S4DMode,
  type S4DState,
  s4dInitialState,
  s4dSequence,
  s4dStep,
} from './ssm.js';

/** Options of `S4D`. */
export interface S4DOptions extends S4DKernelOptions {
  /** Parameter dtype. @default 'float32' */
  dtype?: 'float32' | 'float64';
}

/**
 * The S4D layer.
 * @example
 * const layer = new S4D(8, { stateSize: 16 });
 * const u = randn([2, 32, 8]);
 * layer.forward(u, 'convolution') // equals layer.forward(u, 'recurrent') to ~1e-6
 */
export class S4D extends Module {
  /** Skip connection, `[H]` (initialized N(0, 1) as the reference). */
  readonly D: Tensor;
  /** The SSM kernel. */
  readonly kernel: S4DKernel;
  /** `[PointwiseConv1d(H, 2H)]`, named `output_linear.0` as in the reference's `nn.Sequential`. */
  readonly output_linear: PointwiseConv1d[];

  /**
   * @param channels - H (d_model)
   * @param options - kernel options (stateSize N, init, dt range, seed) and dtype
   * @throws SsmValueError for bad sizes or options
   */
  constructor(
    readonly channels: number,
    options: S4DOptions = {},
  ) {
    super();
    checkInteger('S4D', 'channels', channels);
    const seed = options.seed ?? 0;
    const dtype: DType = options.dtype ?? 'float32';
    const g = new Generator(seed + 1);
    this.D = parameter(
      tensor(
        Float64Array.from({ length: channels }, () => g.normal()),
        { dtype },
      ),
    );
    this.kernel = new S4DKernel(channels, { ...options, seed });
    this.output_linear = [new PointwiseConv1d(channels, 2 * channels, { seed: seed + 2, dtype })];
  }

  /** The GELU, output projection and GLU after the SSM (internal). */
  private head(y: Tensor): Tensor {
    const z = this.output_linear[0]!.forward(gelu(y));
    const [a, b] = z.split([this.channels, this.channels], -1) as [Tensor, Tensor];
    return a.mul(sigmoid(b));
  }

  /**
   * Runs a whole sequence.
   * @param u - `[b, l, H]`
   * @param mode - 'convolution' (FFT, the training form) or 'recurrent' (a scan)
   * @returns `[b, l, H]`
   * @throws SsmShapeError when u is not [b, l, H]; SsmValueError for an unknown mode
   */
  forward(u: Tensor, mode: S4DMode = 'convolution'): Tensor {
    checkShape('S4D.forward', 'u', u, [-1, -1, this.channels]);
    checkOneOf('S4D.forward', 'mode', mode, S4D_MODES);
    return this.head(s4dSequence(this.kernel, this.D, u, mode));
  }

  /**
   * A zero decoding state.
   * @param batch - b
   * @returns the state, `[b, H, N/2]` complex
   */
  initialState(batch: number): S4DState {
    return s4dInitialState(this.kernel, checkInteger('S4D.initialState', 'batch', batch));
  }

  /**
   * One decoding step.
   * @param ut - the input token's features `[b, H]`
   * @param state - the state from `initialState` or the previous step
   * @returns the output `[b, H]` and the next state
   * @throws SsmShapeError when ut is not [b, H]
   */
  step(ut: Tensor, state: S4DState): { y: Tensor; state: S4DState } {
    checkShape('S4D.step', 'ut', ut, [state.re.shape[0]!, this.channels]);
    const result = s4dStep(this.kernel, this.D, ut, state);
    return { y: this.head(result.y), state: result.state };
  }
}
