/**
 * The cheap per-dimension transform GAU and FLASH use to derive several
 * query / key tensors from one shared projection Z (Hua et al. 2022,
 * "Transformer Quality in Linear Time", section 2): z * gamma + beta, with
 * gamma drawn from N(0, 0.02^2) and beta zero, as in the paper's code.
 */
import {
  type DType,
  type Generator,
  Module,
  parameter,
  randn,
  type Tensor,
  zeros,
} from '@x/tensor';

/** z * gamma + beta over the last axis. */
export class ScaleOffset extends Module {
  /** Per-dimension scale [dim]. */
  readonly gamma: Tensor;
  /** Per-dimension offset [dim]. */
  readonly beta: Tensor;

  /**
   * @param dim - size of the last axis
   * @param options - dtype and generator for gamma's initialization
   */
  constructor(dim: number, options: { dtype?: DType; generator?: Generator } = {}) {
    super();
    this.gamma = parameter(
      randn([dim], { dtype: options.dtype, generator: options.generator }).mul(0.02),
    );
    this.beta = parameter(zeros([dim], { dtype: options.dtype }));
  }

  /**
   * @param z - [..., dim]
   * @returns z * gamma + beta
   */
  forward(z: Tensor): Tensor {
    return z.mul(this.gamma).add(this.beta);
  }
}
