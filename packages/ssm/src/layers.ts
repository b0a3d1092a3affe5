/**
 * Small convolution modules with PyTorch's `nn.Conv1d` parameter layout, so
 * checkpoints of the reference models load unchanged:
 *   `CausalDepthwiseConv1d` — Conv1d(C, C, K, groups=C, padding=K-1) cut to the
 *     input length (Mamba's `conv1d`): weight [C, 1, K], bias [C];
 *   `PointwiseConv1d` — Conv1d(Cin, Cout, kernel_size=1) (S4D's `output_linear.0`):
 *     weight [Cout, Cin, 1], bias [Cout].
 * Both take batch-first, channels-last input [b, l, C]; initialization is
 * PyTorch's default U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
 */
import {
  conv1dCausalDepthwise,
  type DType,
  Generator,
  Module,
  matmul,
  parameter,
  type Tensor,
  tensor,
} from '@x/tensor';
import { checkInteger } from './validate.js';

/** Options of the convolution modules. */
export interface ConvOptions {
  /** Add a bias. @default true */
  bias?: boolean;
  /** Seed of the initial weights. @default 0 */
  seed?: number;
  /** Parameter dtype. @default 'float32' */
  dtype?: DType;
}

/** U(-bound, bound) values (internal). */
export function uniformValues(count: number, bound: number, generator: Generator): Float64Array {
  return Float64Array.from({ length: count }, () => (2 * generator.uniform() - 1) * bound);
}

/**
 * Causal depthwise convolution over time, one K-tap filter per channel.
 * @example new CausalDepthwiseConv1d(8, 4).forward(zeros([2, 10, 8])).shape // [2, 10, 8]
 */
export class CausalDepthwiseConv1d extends Module {
  /** `[C, 1, K]`. */
  readonly weight: Tensor;
  /** `[C]`, or null. */
  readonly bias: Tensor | null;

  /**
   * @param channels - C
   * @param kernelSize - K (Mamba's d_conv)
   * @param options - bias, seed, dtype
   * @throws SsmValueError for non-positive sizes
   */
  constructor(
    readonly channels: number,
    readonly kernelSize: number,
    options: ConvOptions = {},
  ) {
    super();
    checkInteger('CausalDepthwiseConv1d', 'channels', channels);
    checkInteger('CausalDepthwiseConv1d', 'kernelSize', kernelSize);
    const g = new Generator(options.seed ?? 0);
    const bound = 1 / Math.sqrt(kernelSize);
    const dtype = options.dtype ?? 'float32';
    this.weight = parameter(
      tensor(uniformValues(channels * kernelSize, bound, g), {
        shape: [channels, 1, kernelSize],
        dtype,
      }),
    );
    this.bias =
      options.bias === false
        ? null
        : parameter(tensor(uniformValues(channels, bound, g), { dtype }));
  }

  /**
   * Applies the filter causally along time.
   * @param x - `[b, l, C]`
   * @returns `[b, l, C]`
   */
  forward(x: Tensor): Tensor {
    return conv1dCausalDepthwise(x.transpose(1, 2), this.weight, this.bias).transpose(1, 2);
  }
}

/**
 * A 1x1 convolution over channels (a per-position linear map).
 * @example new PointwiseConv1d(4, 8).forward(zeros([2, 10, 4])).shape // [2, 10, 8]
 */
export class PointwiseConv1d extends Module {
  /** `[Cout, Cin, 1]`. */
  readonly weight: Tensor;
  /** `[Cout]`, or null. */
  readonly bias: Tensor | null;

  /**
   * @param inChannels - Cin
   * @param outChannels - Cout
   * @param options - bias, seed, dtype
   * @throws SsmValueError for non-positive sizes
   */
  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    options: ConvOptions = {},
  ) {
    super();
    checkInteger('PointwiseConv1d', 'inChannels', inChannels);
    checkInteger('PointwiseConv1d', 'outChannels', outChannels);
    const g = new Generator(options.seed ?? 0);
    const bound = 1 / Math.sqrt(inChannels);
    const dtype = options.dtype ?? 'float32';
    this.weight = parameter(
      tensor(uniformValues(outChannels * inChannels, bound, g), {
        shape: [outChannels, inChannels, 1],
        dtype,
      }),
    );
    this.bias =
      options.bias === false
        ? null
        : parameter(tensor(uniformValues(outChannels, bound, g), { dtype }));
  }

  /**
   * @param x - `[..., Cin]`
   * @returns `[..., Cout]`
   */
  forward(x: Tensor): Tensor {
    const w = this.weight.reshape([this.outChannels, this.inChannels]).transpose(0, 1);
    const y = matmul(x, w);
    return this.bias ? y.add(this.bias) : y;
  }
}
