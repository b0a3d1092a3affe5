/** Gradient clipping by global norm (Pascanu et al. 2013), as `torch.nn.utils.clip_grad_norm_`. */
import { noGrad } from '../autograd/grad-mode.js';
import { ValueError } from '../errors.js';
import { abs, pow, square } from '../ops/elementwise.js';
import { max, sum } from '../ops/reduce.js';
import type { Tensor } from '../tensor.js';

/**
 * Scales all gradients in place so that their joint norm is at most `maxNorm`.
 * @param params - parameters whose `.grad` to clip (those without grad are skipped)
 * @param maxNorm - the largest allowed norm
 * @param normType - p of the p-norm (2, 1, Infinity, ...) @default 2
 * @returns the total norm before clipping (a number; may be Infinity or NaN)
 * @throws ValueError for a negative maxNorm or a non-positive normType
 */
export function clipGradNorm(params: readonly Tensor[], maxNorm: number, normType = 2): number {
  if (!(maxNorm >= 0))
    throw new ValueError('clipGradNorm', `maxNorm must be >= 0, got ${maxNorm}`, maxNorm);
  if (!(normType > 0))
    throw new ValueError('clipGradNorm', `normType must be > 0, got ${normType}`, normType);
  const grads = params.map((p) => p.grad).filter((g): g is Tensor => g !== null);
  if (grads.length === 0) return 0;
  return noGrad(() => {
    let total: number;
    if (normType === Infinity) total = Math.max(...grads.map((g) => max(abs(g)).item()));
    else if (normType === 2)
      total = Math.sqrt(grads.reduce((acc, g) => acc + sum(square(g)).item(), 0));
    else
      total =
        grads.reduce((acc, g) => acc + sum(pow(abs(g), normType)).item(), 0) ** (1 / normType);
    const coefficient = maxNorm / (total + 1e-6);
    if (coefficient < 1) for (const g of grads) g.mul_(coefficient);
    return total;
  });
}
