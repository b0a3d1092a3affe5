/**
 * Dynamic loss scaling for mixed-precision training (Micikevicius et al.,
 * "Mixed Precision Training", ICLR 2018), with PyTorch's `GradScaler`
 * semantics and defaults, over plain typed arrays (no tensor dependency:
 * @x/tensor wraps it for tensors).
 *
 * Small fp16 gradients underflow to zero; multiplying the loss by a large
 * scale S before backpropagation shifts every gradient up by S. Before the
 * optimizer step the gradients are multiplied by 1/S ("unscaled"); if any is
 * inf or NaN the step is skipped and S shrinks (`backoffFactor`), and after
 * `growthInterval` clean steps in a row S grows (`growthFactor`).
 *
 * One iteration:
 * ```ts
 * const loss = forward();                 // fp16 model
 * backward(scaler.scaleValue(loss));      // gradients come out scaled by S
 * scaler.unscale(grads);                  // optional: only needed before clipping
 * clipGradNorm(grads, 1.0);
 * scaler.step(grads, () => optimizer.step()); // skipped on inf/NaN
 * scaler.update();                        // grow or back off S
 * ```
 * The scale is kept in float32 and 1/S is rounded to float32, as PyTorch does,
 * so unscaled float32 gradients agree with PyTorch's bit for bit.
 */
import { InvalidArgumentError, StateError } from './errors.js';

/** Options of {@link GradScaler} (PyTorch names in camelCase, PyTorch defaults). */
export interface GradScalerOptions {
  /** Initial scale. @default 65536 (2^16) */
  initScale?: number;
  /** Factor applied after `growthInterval` steps without inf/NaN; above 1. @default 2 */
  growthFactor?: number;
  /** Factor applied when a step had inf/NaN; in (0, 1). @default 0.5 */
  backoffFactor?: number;
  /** Clean steps between growths; a positive integer. @default 2000 */
  growthInterval?: number;
  /** When false every method is a pass-through (scale 1, no checks). @default true */
  enabled?: boolean;
}

/** The saved state, with PyTorch's `GradScaler.state_dict()` field names. */
export interface GradScalerState {
  scale: number;
  growth_factor: number;
  backoff_factor: number;
  growth_interval: number;
  _growth_tracker: number;
}

type Stage = 'ready' | 'unscaled' | 'stepped';
type Gradients = readonly (Float32Array | Float64Array)[];

function check(op: string, name: string, value: unknown, ok: boolean, expected: string): void {
  if (!ok) throw new InvalidArgumentError(op, name, value, expected);
}

/**
 * Dynamic loss scaler.
 * @example
 * const scaler = new GradScaler({ growthInterval: 2 });
 * const grads = [new Float32Array([65536, 131072])];
 * scaler.unscale(grads); // { foundInf: false }; grads[0] is now [1, 2]
 * scaler.update();
 * scaler.unscale([new Float32Array([Infinity])]); // { foundInf: true }
 * scaler.update();
 * scaler.scale // 32768
 */
export class GradScaler {
  private currentScale: number;
  private tracker = 0;
  private stage: Stage = 'ready';
  private lastFoundInf: boolean | undefined;
  private factors: { growth: number; backoff: number; interval: number };
  /** Whether scaling is on (false: every method is a pass-through). */
  readonly enabled: boolean;

  /**
   * @param options - scale, growth and backoff settings
   * @throws InvalidArgumentError when an option is out of range
   */
  constructor(options: GradScalerOptions = {}) {
    const op = 'GradScaler';
    const {
      initScale = 65536,
      growthFactor = 2,
      backoffFactor = 0.5,
      growthInterval = 2000,
      enabled = true,
    } = options;
    check(
      op,
      'initScale',
      initScale,
      Number.isFinite(initScale) && initScale > 0,
      'a finite number > 0',
    );
    check(
      op,
      'growthFactor',
      growthFactor,
      Number.isFinite(growthFactor) && growthFactor > 1,
      'a finite number > 1',
    );
    check(
      op,
      'backoffFactor',
      backoffFactor,
      backoffFactor > 0 && backoffFactor < 1,
      'a number in (0, 1)',
    );
    check(
      op,
      'growthInterval',
      growthInterval,
      Number.isSafeInteger(growthInterval) && growthInterval > 0,
      'a positive integer',
    );
    check(op, 'enabled', enabled, typeof enabled === 'boolean', 'a boolean');
    this.currentScale = Math.fround(initScale);
    this.factors = { growth: growthFactor, backoff: backoffFactor, interval: growthInterval };
    this.enabled = enabled;
  }

  /** The factor the scale grows by after `growthInterval` clean steps. */
  get growthFactor(): number {
    return this.factors.growth;
  }

  /** The factor the scale shrinks by after a step with inf/NaN. */
  get backoffFactor(): number {
    return this.factors.backoff;
  }

  /** Clean steps in a row before the scale grows. */
  get growthInterval(): number {
    return this.factors.interval;
  }

  /** The current scale (1 when disabled). */
  get scale(): number {
    return this.enabled ? this.currentScale : 1;
  }

  /** Consecutive steps without inf/NaN since the last growth or backoff. */
  get growthTracker(): number {
    return this.tracker;
  }

  /**
   * The loss multiplied by the scale; backpropagate this instead of the loss.
   * @param loss - the loss value
   * @returns `loss * scale`
   * @example new GradScaler().scaleValue(0.5) // 32768
   */
  scaleValue(loss: number): number {
    return this.enabled ? loss * this.currentScale : loss;
  }

  /**
   * Multiplies every gradient by 1/scale (rounded to float32) in place and looks for
   * inf/NaN. Call at most once per iteration, before clipping; `step` calls it when
   * you have not.
   * @param grads - the gradient arrays
   * @returns whether any gradient was inf or NaN
   * @throws StateError when called twice, or after `step`, in one iteration
   * @throws InvalidArgumentError when `grads` is not an array of Float32Array/Float64Array
   */
  unscale(grads: Gradients): { foundInf: boolean } {
    const op = 'GradScaler.unscale';
    if (!this.enabled) return { foundInf: false };
    if (this.stage !== 'ready') {
      throw new StateError(
        op,
        this.stage,
        `unscale() was already called this iteration (stage ${this.stage}); call update() first`,
      );
    }
    checkGradients(op, grads);
    const inverse = Math.fround(1 / this.currentScale);
    let foundInf = false;
    for (const grad of grads) {
      for (let i = 0; i < grad.length; i++) {
        const g = grad[i]!;
        if (g - g !== 0) foundInf = true;
        grad[i] = g * inverse;
      }
    }
    this.stage = 'unscaled';
    this.lastFoundInf = foundInf;
    return { foundInf };
  }

  /**
   * Unscales `grads` (unless `unscale` ran this iteration) and calls `apply` (the
   * optimizer step) only when no gradient was inf or NaN.
   * @param grads - the gradient arrays
   * @param apply - the optimizer step
   * @returns whether `apply` ran, and whether inf/NaN was found
   * @throws StateError when `step` already ran this iteration
   * @throws InvalidArgumentError when `apply` is not a function
   */
  step(grads: Gradients, apply: () => void): { stepped: boolean; foundInf: boolean } {
    const op = 'GradScaler.step';
    if (typeof apply !== 'function')
      throw new InvalidArgumentError(op, 'apply', apply, 'a function');
    if (!this.enabled) {
      apply();
      return { stepped: true, foundInf: false };
    }
    if (this.stage === 'stepped') {
      throw new StateError(
        op,
        this.stage,
        'step() was already called this iteration; call update() first',
      );
    }
    if (this.stage === 'ready') this.unscale(grads);
    const foundInf = this.lastFoundInf === true;
    if (!foundInf) apply();
    this.stage = 'stepped';
    return { stepped: !foundInf, foundInf };
  }

  /**
   * Updates the scale for the next iteration: back off on inf/NaN, grow after
   * `growthInterval` clean steps (only when the grown scale is finite in float32).
   * @param foundInf - the overflow verdict; defaults to what `unscale`/`step` found
   * @throws StateError when no verdict is given and none was recorded this iteration
   * @example
   * const scaler = new GradScaler();
   * scaler.update(true);
   * scaler.scale // 32768
   */
  update(foundInf?: boolean): void {
    if (!this.enabled) return;
    const verdict = foundInf ?? this.lastFoundInf;
    if (verdict === undefined) {
      throw new StateError(
        'GradScaler.update',
        this.stage,
        'no inf/NaN check was recorded this iteration: call unscale() or step(), or pass foundInf',
      );
    }
    if (verdict) {
      this.currentScale = Math.fround(this.currentScale * this.backoffFactor);
      this.tracker = 0;
    } else if (this.tracker + 1 === this.growthInterval) {
      const grown = Math.fround(this.currentScale * this.growthFactor);
      if (Number.isFinite(grown)) this.currentScale = grown;
      this.tracker = 0;
    } else {
      this.tracker++;
    }
    this.stage = 'ready';
    this.lastFoundInf = undefined;
  }

  /**
   * The state to save, with PyTorch's field names (empty object when disabled, as PyTorch).
   * @returns a plain object
   * @example new GradScaler().stateDict().scale // 65536
   */
  stateDict(): GradScalerState | Record<string, never> {
    if (!this.enabled) return {};
    return {
      scale: this.currentScale,
      growth_factor: this.growthFactor,
      backoff_factor: this.backoffFactor,
      growth_interval: this.growthInterval,
      _growth_tracker: this.tracker,
    };
  }

  /**
   * Restores a saved state (from `stateDict()` or from PyTorch's `state_dict()` as JSON).
   * @param state - the saved state
   * @throws InvalidArgumentError when the state is empty or a field is out of range
   */
  loadStateDict(state: GradScalerState): void {
    const op = 'GradScaler.loadStateDict';
    if (!this.enabled) return;
    if (typeof state !== 'object' || state === null || Object.keys(state).length === 0) {
      throw new InvalidArgumentError(
        op,
        'state',
        state,
        'a non-empty state (an empty one comes from a disabled GradScaler)',
      );
    }
    const restored = new GradScaler({
      initScale: state.scale,
      growthFactor: state.growth_factor,
      backoffFactor: state.backoff_factor,
      growthInterval: state.growth_interval,
    });
    const tracker = state._growth_tracker;
    check(
      op,
      '_growth_tracker',
      tracker,
      Number.isSafeInteger(tracker) && tracker >= 0,
      'a non-negative integer',
    );
    this.currentScale = restored.currentScale;
    this.factors = { ...restored.factors };
    this.tracker = tracker;
    this.stage = 'ready';
    this.lastFoundInf = undefined;
  }
}

function checkGradients(op: string, grads: Gradients): void {
  const ok =
    Array.isArray(grads) &&
    grads.every((g) => g instanceof Float32Array || g instanceof Float64Array);
  if (!ok)
    throw new InvalidArgumentError(op, 'grads', grads, 'an array of Float32Array or Float64Array');
}
