/**
 * Parameter initializers (in place, like `torch.nn.init`): uniform, normal,
 * truncated normal, constant, Xavier/Glorot (Glorot & Bengio 2010) and
 * Kaiming/He (He et al. 2015). Values are drawn on the CPU from a seeded
 * generator and copied in, so they are the same on every backend.
 */
import { noGrad } from '../autograd/grad-mode.js';
import { ShapeError, ValueError } from '../errors.js';
import { tensor } from '../ops/creation.js';
import { defaultGenerator, type Generator } from '../random.js';
import type { Tensor } from '../tensor.js';

function fill(t: Tensor, draw: () => number): Tensor {
  const values = new Float64Array(t.size);
  for (let i = 0; i < values.length; i++) values[i] = draw();
  return noGrad(() =>
    t.copy_(tensor(values, { shape: t.shape, dtype: t.dtype, backend: t.backend })),
  );
}

/**
 * Fan-in and fan-out of a weight: for `[out, in, ...kernel]`, in * kernel and out * kernel.
 * @throws ShapeError for tensors with fewer than 2 axes
 */
export function fans(t: Tensor): { fanIn: number; fanOut: number } {
  if (t.rank < 2)
    throw new ShapeError(
      'fans',
      `fan in and fan out need at least 2 axes, got [${t.shape.join(', ')}]`,
      [t.shape],
    );
  const receptive = t.shape.slice(2).reduce((p, e) => p * e, 1);
  return { fanIn: t.shape[1]! * receptive, fanOut: t.shape[0]! * receptive };
}

/** Fills with U(low, high). */
export function uniform_(
  t: Tensor,
  low = 0,
  high = 1,
  generator: Generator = defaultGenerator,
): Tensor {
  if (!(low <= high))
    throw new ValueError('uniform_', `need low <= high, got ${low}, ${high}`, [low, high]);
  return fill(t, () => low + (high - low) * generator.uniform());
}

/** Fills with N(mean, std^2). */
export function normal_(
  t: Tensor,
  mean = 0,
  std = 1,
  generator: Generator = defaultGenerator,
): Tensor {
  if (!(std >= 0)) throw new ValueError('normal_', `std must be >= 0, got ${std}`, std);
  return fill(t, () => mean + std * generator.normal());
}

/** Fills with N(mean, std^2) redrawn until inside [low, high] (in absolute units, as PyTorch). */
export function truncNormal_(
  t: Tensor,
  mean = 0,
  std = 1,
  low = -2,
  high = 2,
  generator: Generator = defaultGenerator,
): Tensor {
  if (!(low < high))
    throw new ValueError('truncNormal_', `need low < high, got ${low}, ${high}`, [low, high]);
  return fill(t, () => {
    for (;;) {
      const v = mean + std * generator.normal();
      if (v >= low && v <= high) return v;
    }
  });
}

/** Fills with a constant. */
export function constant_(t: Tensor, value: number): Tensor {
  return noGrad(() => t.fill_(value));
}

/** Fills with zeros. */
export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

/** Fills with ones. */
export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

/** Xavier/Glorot uniform: U(-a, a) with a = gain * sqrt(6 / (fanIn + fanOut)). */
export function xavierUniform_(
  t: Tensor,
  gain = 1,
  generator: Generator = defaultGenerator,
): Tensor {
  const { fanIn, fanOut } = fans(t);
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -bound, bound, generator);
}

/** Xavier/Glorot normal: N(0, std^2) with std = gain * sqrt(2 / (fanIn + fanOut)). */
export function xavierNormal_(
  t: Tensor,
  gain = 1,
  generator: Generator = defaultGenerator,
): Tensor {
  const { fanIn, fanOut } = fans(t);
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), generator);
}

/** Options of the Kaiming initializers. */
export interface KaimingOptions {
  /** Negative slope of the rectifier after this layer (leaky ReLU). @default 0 */
  a?: number;
  /** Preserve the variance of activations (`fanIn`) or of gradients (`fanOut`). @default 'fanIn' */
  mode?: 'fanIn' | 'fanOut';
  /** Random generator. @default the default generator */
  generator?: Generator;
}

function kaimingStd(t: Tensor, options: KaimingOptions): number {
  const { fanIn, fanOut } = fans(t);
  const a = options.a ?? 0;
  const gain = Math.sqrt(2 / (1 + a * a));
  return gain / Math.sqrt(options.mode === 'fanOut' ? fanOut : fanIn);
}

/** Kaiming/He uniform: U(-b, b) with b = gain * sqrt(3 / fan), gain = sqrt(2 / (1 + a^2)). */
export function kaimingUniform_(t: Tensor, options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd(t, options);
  return uniform_(t, -bound, bound, options.generator);
}

/** Kaiming/He normal: N(0, std^2) with std = gain / sqrt(fan). */
export function kaimingNormal_(t: Tensor, options: KaimingOptions = {}): Tensor {
  return normal_(t, 0, kaimingStd(t, options), options.generator);
}
