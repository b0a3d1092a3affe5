/**
 * Complex arithmetic on real tensors: a complex tensor is a pair of real
 * tensors of one shape `{ re, im }`, and every operation is composed from
 * @x/tensor's real ops, so it broadcasts and is differentiable for free.
 * (Parameters are stored with a trailing axis of 2, as `torch.view_as_real`;
 * `fromPairs` / `toPairs` convert.)
 */
import { concat, cos, exp, narrow, sin, squeeze, type Tensor, unsqueeze } from '@x/tensor';

/** A complex tensor as its real and imaginary parts (same shape). */
export interface Complex {
  readonly re: Tensor;
  readonly im: Tensor;
}

/**
 * Splits a `[..., 2]` tensor into a complex pair.
 * @param t - real view with a trailing axis of 2
 * @returns `{ re, im }` of shape `[...]`
 * @example fromPairs(tensor([[1, 2]])).im.toArray() // [2]
 */
export function fromPairs(t: Tensor): Complex {
  return { re: squeeze(narrow(t, -1, 0, 1), -1), im: squeeze(narrow(t, -1, 1, 1), -1) };
}

/**
 * Joins a complex pair into a `[..., 2]` tensor.
 * @param z - the pair
 * @returns the real view
 */
export function toPairs(z: Complex): Tensor {
  return concat([unsqueeze(z.re, -1), unsqueeze(z.im, -1)], -1);
}

/** z + w. */
export function cadd(z: Complex, w: Complex): Complex {
  return { re: z.re.add(w.re), im: z.im.add(w.im) };
}

/** z - w. */
export function csub(z: Complex, w: Complex): Complex {
  return { re: z.re.sub(w.re), im: z.im.sub(w.im) };
}

/**
 * z * w.
 * @example cmul(i, i) is -1
 */
export function cmul(z: Complex, w: Complex): Complex {
  return { re: z.re.mul(w.re).sub(z.im.mul(w.im)), im: z.re.mul(w.im).add(z.im.mul(w.re)) };
}

/** z * s for a real tensor or number s. */
export function cscale(z: Complex, s: Tensor | number): Complex {
  return { re: z.re.mul(s), im: z.im.mul(s) };
}

/** z / w (w must be nonzero). */
export function cdiv(z: Complex, w: Complex): Complex {
  const den = w.re.square().add(w.im.square());
  return {
    re: z.re.mul(w.re).add(z.im.mul(w.im)).div(den),
    im: z.im.mul(w.re).sub(z.re.mul(w.im)).div(den),
  };
}

/** The conjugate. */
export function conj(z: Complex): Complex {
  return { re: z.re, im: z.im.neg() };
}

/** exp(z) = e^re (cos im + i sin im). */
export function cexp(z: Complex): Complex {
  const m = exp(z.re);
  return { re: m.mul(cos(z.im)), im: m.mul(sin(z.im)) };
}

/** z - 1 (for the zero-order-hold numerator exp(dt A) - 1). */
export function cminusOne(z: Complex): Complex {
  return { re: z.re.sub(1), im: z.im };
}
