/**
 * Layer norm (Ba et al. 2016) and RMS norm (Zhang & Sennrich 2019) over the
 * last axis, with optional affine parameters of the last axis' length.
 * The forward pass uses the backend's fused kernel when present, else the
 * composition; the backward rule is written out (recomputing mean and
 * 1/std from x) so no intermediate is kept:
 *   xhat = (x - mean) * rstd,  dxhat = g * w,
 *   dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))   (layer norm)
 *   dx = rstd * (dxhat - xhat * mean(dxhat * xhat))                  (RMS norm)
 */
import { autocastInputs } from '../amp/autocast.js';
import { noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/node.js';
import { ShapeError, ValueError } from '../errors.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { backendOf, input, requireFloat, wrap } from './dispatch.js';
import * as ew from './elementwise.js';
import { mean, sum } from './reduce.js';

function checkParams(
  op: string,
  x: Tensor,
  eps: number,
  ...params: (Tensor | null | undefined)[]
): void {
  requireFloat(op, x);
  if (x.rank === 0) throw new ShapeError(op, 'needs at least one axis', [x.shape]);
  if (!(eps >= 0)) throw new ValueError(op, `eps must be >= 0, got ${eps}`, eps);
  const n = x.shape[x.rank - 1]!;
  for (const p of params) {
    if (p && (p.rank !== 1 || p.shape[0] !== n)) {
      throw new ShapeError(
        op,
        `parameter shape ${formatShape(p.shape)} does not match the last axis of ${formatShape(x.shape)}`,
        [x.shape, p.shape],
      );
    }
  }
}

/** Sums a per-position gradient over every axis but the last. */
function sumToLast(t: Tensor): Tensor {
  const axes = Array.from({ length: t.rank - 1 }, (_, i) => i);
  return axes.length > 0 ? sum(t, axes) : t;
}

function standardize(x: Tensor, eps: number, center: boolean): { xhat: Tensor; rstd: Tensor } {
  const centered = center ? ew.sub(x, mean(x, -1, { keepdims: true })) : x;
  const rstd = ew.rsqrt(ew.add(mean(ew.square(centered), -1, { keepdims: true }), eps));
  return { xhat: ew.mul(centered, rstd), rstd };
}

/**
 * Layer normalization over the last axis: (x - mean) / sqrt(var + eps) * weight + bias,
 * with the biased variance (as PyTorch).
 * @param eps - added to the variance @default 1e-5
 * @throws ShapeError when weight or bias do not match the last axis
 */
export function layerNorm(
  source: Tensor,
  weight?: Tensor | null,
  bias?: Tensor | null,
  eps = 1e-5,
): Tensor {
  const [x] = autocastInputs('layerNorm', source);
  checkParams('layerNorm', x, eps, weight, bias);
  const backend = backendOf('layerNorm', x, ...[weight, bias].filter((t): t is Tensor => !!t));
  const y = backend.layerNorm
    ? wrap(
        backend,
        backend.layerNorm(input(x), weight ? input(weight) : null, bias ? input(bias) : null, eps),
        x.shape,
        x.dtype,
      )
    : noGrad(() => {
        let out = standardize(x, eps, true).xhat;
        if (weight) out = ew.mul(out, weight);
        return bias ? ew.add(out, bias) : out;
      });
  const inputs = [x, weight, bias].filter((t): t is Tensor => !!t);
  return record(
    'layerNorm',
    y,
    inputs,
    (g) => {
      const { xhat, rstd } = standardize(x, eps, true);
      const dxhat = weight ? ew.mul(g, weight) : g;
      const dx = ew.mul(
        rstd,
        ew.sub(
          ew.sub(dxhat, mean(dxhat, -1, { keepdims: true })),
          ew.mul(xhat, mean(ew.mul(dxhat, xhat), -1, { keepdims: true })),
        ),
      );
      const grads: Tensor[] = [dx];
      if (weight) grads.push(sumToLast(ew.mul(g, xhat)));
      if (bias) grads.push(sumToLast(g));
      return grads;
    },
    inputs,
  );
}

/**
 * RMS normalization over the last axis: x / sqrt(mean(x^2) + eps) * weight.
 * @param eps - added to the mean square @default 1e-6
 * @throws ShapeError when weight does not match the last axis
 */
export function rmsNorm(source: Tensor, weight?: Tensor | null, eps = 1e-6): Tensor {
  const [x] = autocastInputs('rmsNorm', source);
  checkParams('rmsNorm', x, eps, weight);
  const backend = backendOf('rmsNorm', x, ...(weight ? [weight] : []));
  const y = backend.rmsNorm
    ? wrap(backend, backend.rmsNorm(input(x), weight ? input(weight) : null, eps), x.shape, x.dtype)
    : noGrad(() => {
        const out = standardize(x, eps, false).xhat;
        return weight ? ew.mul(out, weight) : out;
      });
  const inputs = weight ? [x, weight] : [x];
  return record(
    'rmsNorm',
    y,
    inputs,
    (g) => {
      const { xhat, rstd } = standardize(x, eps, false);
      const dxhat = weight ? ew.mul(g, weight) : g;
      const dx = ew.mul(
        rstd,
        ew.sub(dxhat, ew.mul(xhat, mean(ew.mul(dxhat, xhat), -1, { keepdims: true }))),
      );
      return weight ? [dx, sumToLast(ew.mul(g, xhat))] : [dx];
    },
    inputs,
  );
}
