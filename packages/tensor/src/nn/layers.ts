/** Small standard layers: Embedding, LayerNorm, RMSNorm, Dropout, Sequential. */
import type { DType } from '../dtype.js';
import { ValueError } from '../errors.js';
import { ones, zeros } from '../ops/creation.js';
import { dropout } from '../ops/dropout.js';
import { embedding } from '../ops/indexing.js';
import { layerNorm, rmsNorm } from '../ops/norm.js';
import type { Generator } from '../random.js';
import type { Tensor } from '../tensor.js';
import { normal_ } from './init.js';
import { Module, parameter } from './module.js';

/**
 * A lookup table of `numEmbeddings` vectors of size `dim`, initialized N(0, 1) as PyTorch.
 * @example new Embedding(10, 4).forward(tensor([1, 2], { dtype: 'int32' })).shape // [2, 4]
 */
export class Embedding extends Module {
  readonly weight: Tensor;
  constructor(
    readonly numEmbeddings: number,
    readonly dim: number,
    options: { dtype?: DType; generator?: Generator } = {},
  ) {
    super();
    if (
      !(Number.isInteger(numEmbeddings) && numEmbeddings > 0 && Number.isInteger(dim) && dim > 0)
    ) {
      throw new ValueError(
        'Embedding',
        `sizes must be positive integers, got ${numEmbeddings}, ${dim}`,
        [numEmbeddings, dim],
      );
    }
    this.weight = parameter(
      normal_(zeros([numEmbeddings, dim], { dtype: options.dtype }), 0, 1, options.generator),
    );
  }

  /** Rows of the table at int32 `ids` of any shape: `[...ids.shape, dim]`. */
  forward(ids: Tensor): Tensor {
    return embedding(this.weight, ids);
  }
}

/** Layer normalization over the last axis of size `dim`, with learned scale (ones) and shift (zeros). */
export class LayerNorm extends Module {
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;
  constructor(
    readonly dim: number,
    readonly options: { eps?: number; affine?: boolean; bias?: boolean; dtype?: DType } = {},
  ) {
    super();
    const affine = options.affine ?? true;
    this.weight = affine ? parameter(ones([dim], { dtype: options.dtype })) : null;
    this.bias =
      affine && options.bias !== false ? parameter(zeros([dim], { dtype: options.dtype })) : null;
  }

  /** Normalizes `[..., dim]`. */
  forward(x: Tensor): Tensor {
    return layerNorm(x, this.weight, this.bias, this.options.eps ?? 1e-5);
  }
}

/** RMS normalization over the last axis of size `dim`, with a learned scale (ones). */
export class RMSNorm extends Module {
  readonly weight: Tensor | null;
  constructor(
    readonly dim: number,
    readonly options: { eps?: number; affine?: boolean; dtype?: DType } = {},
  ) {
    super();
    this.weight =
      options.affine === false ? null : parameter(ones([dim], { dtype: options.dtype }));
  }

  /** Normalizes `[..., dim]`. */
  forward(x: Tensor): Tensor {
    return rmsNorm(x, this.weight, this.options.eps ?? 1e-6);
  }
}

/** Dropout with probability `p` in training mode; identity after `eval()`. */
export class Dropout extends Module {
  constructor(
    readonly p = 0.5,
    readonly generator?: Generator,
  ) {
    super();
    if (!(p >= 0 && p <= 1)) throw new ValueError('Dropout', `p must be in [0, 1], got ${p}`, p);
  }

  forward(x: Tensor): Tensor {
    return dropout(x, this.p, { training: this.training, generator: this.generator });
  }
}

/** A module, or a plain function of one tensor (an activation). */
export type Layer = Module | ((x: Tensor) => Tensor);

/**
 * Runs layers one after another. Functions are allowed between modules.
 * Sub-modules are named by their position, as in PyTorch (`0.weight`, `2.bias`).
 * @example new Sequential(new Linear(2, 8), (x) => x.relu(), new Linear(8, 1))
 */
export class Sequential extends Module {
  private readonly steps: Layer[];
  constructor(...layers: Layer[]) {
    super();
    this.steps = layers;
  }

  override namedChildren(): [string, Module][] {
    return this.steps.flatMap((step, i): [string, Module][] =>
      step instanceof Module ? [[String(i), step]] : [],
    );
  }

  forward(x: Tensor): Tensor {
    let y = x;
    for (const step of this.steps)
      y = step instanceof Module ? (step.forward(y) as Tensor) : step(y);
    return y;
  }
}
