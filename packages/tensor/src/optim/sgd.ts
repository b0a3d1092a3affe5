/** Stochastic gradient descent with momentum and Nesterov momentum, with PyTorch's update rule. */
import { noGrad } from '../autograd/grad-mode.js';
import { ValueError } from '../errors.js';
import { add, mul } from '../ops/elementwise.js';
import type { Tensor } from '../tensor.js';
import { type BaseOptions, Optimizer, type ParamGroupInput } from './optimizer.js';

/** Hyper-parameters of SGD. */
export interface SGDOptions extends BaseOptions {
  /** Momentum factor mu. @default 0 */
  momentum: number;
  /** Dampening of the gradient added to the momentum buffer. @default 0 */
  dampening: number;
  /** Nesterov momentum (Sutskever et al. 2013). @default false */
  nesterov: boolean;
}

/**
 * SGD: with d = grad + weightDecay * p, buf = momentum * buf + (1 - dampening) * d
 * (buf = d on the first step), p -= lr * (nesterov ? d + momentum * buf : buf).
 * @example
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 */
export class SGD extends Optimizer<SGDOptions> {
  /**
   * @throws ValueError for nesterov without momentum or with dampening, or a negative momentum
   */
  constructor(
    params: readonly Tensor[] | readonly ParamGroupInput<SGDOptions>[],
    options: Partial<SGDOptions> & { lr: number },
  ) {
    super(params, { momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, ...options });
    for (const g of this.paramGroups) {
      if (!(g.momentum >= 0))
        throw new ValueError('SGD', `invalid momentum ${g.momentum}`, g.momentum);
      if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0)) {
        throw new ValueError('SGD', 'nesterov momentum needs momentum > 0 and dampening 0', g);
      }
    }
  }

  step(): void {
    noGrad(() => {
      for (const group of this.paramGroups) {
        for (const p of group.params) {
          if (!p.grad) continue;
          let d = group.weightDecay !== 0 ? add(p.grad, mul(p, group.weightDecay)) : p.grad;
          if (group.momentum !== 0) {
            const fresh = this.stateOf(p).momentumBuffer === undefined;
            const source = d;
            const buf = this.buffer(p, 'momentumBuffer', () => source.clone());
            if (!fresh) buf.mul_(group.momentum).add_(d, 1 - group.dampening);
            d = group.nesterov ? add(d, mul(buf, group.momentum)) : buf;
          }
          p.sub_(d, group.lr);
        }
      }
    });
  }
}
