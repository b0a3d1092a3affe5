/**
 * AdamW (Loshchilov & Hutter 2019): Adam with decoupled weight decay,
 * following PyTorch's update exactly:
 *   p *= 1 - lr * weightDecay
 *   m = b1 m + (1 - b1) g,   v = b2 v + (1 - b2) g^2      (vmax = max(vmax, v) with amsgrad)
 *   p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 */
import { noGrad } from '../autograd/grad-mode.js';
import { ValueError } from '../errors.js';
import { zerosLike } from '../ops/creation.js';
import { add, div, maximum, sqrt, square } from '../ops/elementwise.js';
import type { Tensor } from '../tensor.js';
import { type BaseOptions, Optimizer, type ParamGroupInput } from './optimizer.js';

/** Hyper-parameters of AdamW. */
export interface AdamWOptions extends BaseOptions {
  /** Decay rates (beta1, beta2) of the moment estimates. @default [0.9, 0.999] */
  betas: readonly [number, number];
  /** Added to the denominator for stability. @default 1e-8 */
  eps: number;
  /** Use the running maximum of the second moment (Reddi et al. 2018). @default false */
  amsgrad: boolean;
}

/**
 * AdamW with PyTorch's defaults (lr 1e-3, betas 0.9 / 0.999, eps 1e-8, weightDecay 0.01).
 * @example
 * const opt = new AdamW(model.parameters(), { lr: 3e-3 });
 * loss.backward(); opt.step(); opt.zeroGrad();
 */
export class AdamW extends Optimizer<AdamWOptions> {
  /** @throws ValueError for betas outside [0, 1) or a negative eps */
  constructor(
    params: readonly Tensor[] | readonly ParamGroupInput<AdamWOptions>[],
    options: Partial<AdamWOptions> = {},
  ) {
    super(params, {
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 1e-2,
      amsgrad: false,
      ...options,
    });
    for (const g of this.paramGroups) {
      const [b1, b2] = g.betas;
      if (!(b1 >= 0 && b1 < 1 && b2 >= 0 && b2 < 1))
        throw new ValueError('AdamW', `betas must be in [0, 1), got [${b1}, ${b2}]`, g.betas);
      if (!(g.eps >= 0)) throw new ValueError('AdamW', `invalid eps ${g.eps}`, g.eps);
    }
  }

  step(): void {
    noGrad(() => {
      for (const group of this.paramGroups) {
        const [b1, b2] = group.betas;
        for (const p of group.params) {
          const g = p.grad;
          if (!g) continue;
          const s = this.stateOf(p);
          const t = ((s.step as number | undefined) ?? 0) + 1;
          s.step = t;
          const m = this.buffer(p, 'expAvg', () => zerosLike(p));
          const v = this.buffer(p, 'expAvgSq', () => zerosLike(p));
          if (group.weightDecay !== 0) p.mul_(1 - group.lr * group.weightDecay);
          m.mul_(b1).add_(g, 1 - b1);
          v.mul_(b2).add_(square(g), 1 - b2);
          let second = v;
          if (group.amsgrad) {
            const vmax = this.buffer(p, 'maxExpAvgSq', () => zerosLike(p));
            vmax.copy_(maximum(vmax, v));
            second = vmax;
          }
          const bias1 = 1 - b1 ** t;
          const bias2 = 1 - b2 ** t;
          const denom = add(div(sqrt(second), Math.sqrt(bias2)), group.eps);
          p.sub_(div(m, denom), group.lr / bias1);
        }
      }
    });
  }
}
