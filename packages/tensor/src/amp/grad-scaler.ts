/**
 * Dynamic loss scaling for tensors (Micikevicius et al. 2018, "Mixed
 * Precision Training"), with PyTorch's `GradScaler` workflow:
 *
 *   scaler.scale(loss).backward();
 *   scaler.unscale_(optimizer);          // optional: before gradient clipping
 *   clipGradNorm(params, 1);
 *   scaler.step(optimizer);              // skipped when a gradient is inf / NaN
 *   scaler.update();                     // back off on overflow, grow after 2000 clean steps
 *
 * The scale's state machine (defaults: init 2^16, growth 2, backoff 0.5,
 * interval 2000) is @x/precision's `GradScaler`; this class applies it to the
 * `.grad` tensors of an optimizer's parameters.
 */
import {
  type GradScalerOptions,
  type GradScalerState,
  GradScaler as ScaleState,
} from '@x/precision';
import { noGrad } from '../autograd/grad-mode.js';
import { isHalf } from '../dtype.js';
import { AutogradError } from '../errors.js';
import type { BaseOptions, Optimizer } from '../optim/optimizer.js';
import type { Tensor } from '../tensor.js';

type AnyOptimizer = Optimizer<BaseOptions>;

/** Dynamic loss scaling for mixed-precision training. */
export class GradScaler {
  private readonly state: ScaleState;
  private readonly unscaled = new Set<AnyOptimizer>();
  private foundInf = false;

  /** @param options - `initScale`, `growthFactor`, `backoffFactor`, `growthInterval`, `enabled` (PyTorch's defaults) */
  constructor(options: GradScalerOptions = {}) {
    this.state = new ScaleState(options);
  }

  /** Whether scaling is on. */
  get enabled(): boolean {
    return this.state.enabled;
  }

  /** The current scale factor. */
  getScale(): number {
    return this.state.scale;
  }

  /**
   * The loss multiplied by the current scale (call `.backward()` on it).
   * @example scaler.scale(loss).backward();
   */
  scale(loss: Tensor): Tensor {
    if (!this.enabled) return loss;
    const wide = loss.dtype === 'float64' ? loss : loss.to('float32');
    return wide.mul(this.state.scale);
  }

  /**
   * Divides the gradients of `optimizer`'s parameters by the scale, in place,
   * and records whether any is inf or NaN. At most once per iteration per optimizer.
   * @throws AutogradError when called twice for one optimizer in an iteration
   */
  unscale_(optimizer: AnyOptimizer): void {
    if (!this.enabled) return;
    if (this.unscaled.has(optimizer))
      throw new AutogradError(
        'GradScaler.unscale_',
        'unscale_() was already called for this optimizer since the last update()',
      );
    const inverse = 1 / this.state.scale;
    noGrad(() => {
      for (const group of optimizer.paramGroups) {
        for (const p of group.params) {
          const g: Tensor | null = p.grad;
          if (!g) continue;
          if (isHalf(g.dtype)) {
            throw new AutogradError(
              'GradScaler.unscale_',
              `parameter #${p.id} has a ${g.dtype} gradient: unscaling it in ${g.dtype} would underflow small values again; give the optimizer float32 master weights (MasterWeights) and unscale those`,
            );
          }
          g.mul_(inverse);
          if (!this.foundInf && g.isfinite().logicalNot().sum().item() > 0) this.foundInf = true;
        }
      }
    });
    this.unscaled.add(optimizer);
  }

  /**
   * Unscales (if not done yet) and runs `optimizer.step()` unless a gradient was inf / NaN.
   * @returns whether the optimizer stepped
   */
  step(optimizer: AnyOptimizer): boolean {
    if (!this.enabled) {
      optimizer.step();
      return true;
    }
    if (!this.unscaled.has(optimizer)) this.unscale_(optimizer);
    if (this.foundInf) return false;
    optimizer.step();
    return true;
  }

  /** Updates the scale from this iteration's verdict (back off on overflow, grow after a clean interval). */
  update(): void {
    if (!this.enabled) return;
    this.state.update(this.foundInf);
    this.foundInf = false;
    this.unscaled.clear();
  }

  /** Whether this iteration found an inf / NaN gradient (so its step was or will be skipped). */
  get overflowed(): boolean {
    return this.foundInf;
  }

  /** The scaler's state with PyTorch's field names. */
  stateDict(): GradScalerState | Record<string, never> {
    return this.state.stateDict();
  }

  /** Restores a state from `stateDict()`. */
  loadStateDict(state: GradScalerState): void {
    this.state.loadStateDict(state);
  }
}
