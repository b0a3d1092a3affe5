/** A fully connected layer, y = x W^T + b, with PyTorch's layout and initialization. */

import type { DType } from '../dtype.js';
import { ShapeError, ValueError } from '../errors.js';
import { zeros } from '../ops/creation.js';
import { add } from '../ops/elementwise.js';
import { matmul } from '../ops/matmul.js';
import { transpose } from '../ops/views.js';
import type { Generator } from '../random.js';
import type { Tensor } from '../tensor.js';
import { uniform_ } from './init.js';
import { Module, parameter } from './module.js';

/** Options of `Linear`. */
export interface LinearOptions {
  /** Add a learned bias. @default true */
  bias?: boolean;
  /** Parameter dtype. @default 'float32' */
  dtype?: DType;
  /** Generator for the initial weights. @default the default generator */
  generator?: Generator;
}

/**
 * y = x W^T + b over the last axis. `weight` is `[outFeatures, inFeatures]`
 * (PyTorch's layout, so checkpoints load unchanged), initialized like PyTorch:
 * U(-1/sqrt(in), 1/sqrt(in)) for the weight and the bias.
 * @example
 * const layer = new Linear(3, 2);
 * layer.forward(ones([5, 3])).shape // [5, 2]
 */
export class Linear extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  /**
   * @param inFeatures - size of each input vector
   * @param outFeatures - size of each output vector
   * @throws ValueError for non-positive sizes
   */
  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: LinearOptions = {},
  ) {
    super();
    if (
      !(
        Number.isInteger(inFeatures) &&
        inFeatures > 0 &&
        Number.isInteger(outFeatures) &&
        outFeatures > 0
      )
    ) {
      throw new ValueError(
        'Linear',
        `feature sizes must be positive integers, got ${inFeatures}, ${outFeatures}`,
        [inFeatures, outFeatures],
      );
    }
    const dtype = options.dtype ?? 'float32';
    const bound = 1 / Math.sqrt(inFeatures);
    this.weight = parameter(
      uniform_(zeros([outFeatures, inFeatures], { dtype }), -bound, bound, options.generator),
    );
    this.bias =
      options.bias === false
        ? null
        : parameter(uniform_(zeros([outFeatures], { dtype }), -bound, bound, options.generator));
  }

  /**
   * Applies the layer to `[..., inFeatures]`, giving `[..., outFeatures]`.
   * @param x - the input, last axis of size `inFeatures`
   * @returns `[..., outFeatures]`
   * @throws ShapeError naming the layer and its `inFeatures` when the last axis differs
   * @example new Linear(3, 2).forward(ones([4, 5])); // ShapeError: Linear(3 -> 2).forward: input [4,5] has last axis 5, expected inFeatures 3
   */
  forward(x: Tensor): Tensor {
    const width = x.shape[x.shape.length - 1];
    if (width !== this.inFeatures) {
      throw new ShapeError(
        `Linear(${this.inFeatures} -> ${this.outFeatures}).forward`,
        x.shape.length === 0
          ? `input is a scalar, expected [..., inFeatures ${this.inFeatures}]`
          : `input [${x.shape.join(',')}] has last axis ${width}, expected inFeatures ${this.inFeatures}`,
        [x.shape, this.weight.shape],
      );
    }
    const y = matmul(x, transpose(this.weight));
    return this.bias ? add(y, this.bias) : y;
  }
}
