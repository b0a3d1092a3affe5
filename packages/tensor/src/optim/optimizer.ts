/**
 * `Optimizer`: the base of SGD and AdamW. It holds parameter groups (each
 * with its own hyper-parameters), per-parameter state, `zeroGrad`, a
 * settable learning rate and state save / load. Updates run in place inside
 * `noGrad`, composed from tensor ops, so they run on any backend.
 */
import { ValueError } from '../errors.js';
import { keep } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';

/** Hyper-parameters every optimizer has. */
export interface BaseOptions {
  /** Learning rate. */
  lr: number;
  /** Weight decay coefficient. */
  weightDecay: number;
}

/** A group of parameters sharing hyper-parameters (unset ones take the optimizer's defaults). */
export type ParamGroupInput<O> = { params: readonly Tensor[] } & Partial<O>;

/** A group with all hyper-parameters resolved. */
export type ParamGroup<O> = { params: Tensor[] } & O;

/** Serializable optimizer state, keyed by parameter position (as PyTorch's state_dict). */
export interface OptimizerState {
  state: Record<number, Record<string, Tensor | number>>;
  paramGroups: Record<string, unknown>[];
}

/** Base class of optimizers. */
export abstract class Optimizer<O extends BaseOptions> {
  readonly paramGroups: ParamGroup<O>[];
  /** Per-parameter state (moment buffers, step counts). */
  protected readonly state = new Map<Tensor, Record<string, Tensor | number>>();

  /**
   * @param params - parameters, or groups of parameters with their own options
   * @param defaults - hyper-parameters for groups that do not set them
   * @throws ValueError for an empty parameter list, a parameter that does not require grad, or a negative lr
   */
  constructor(params: readonly Tensor[] | readonly ParamGroupInput<O>[], defaults: O) {
    const groups: ParamGroupInput<O>[] =
      params.length > 0 && 'params' in (params[0] as object)
        ? [...(params as ParamGroupInput<O>[])]
        : [{ params: params as Tensor[] } as unknown as ParamGroupInput<O>];
    this.paramGroups = groups.map(
      (group) => ({ ...defaults, ...group, params: [...group.params] }) as ParamGroup<O>,
    );
    const all = this.paramGroups.flatMap((g) => g.params);
    if (all.length === 0)
      throw new ValueError(this.constructor.name, 'got an empty parameter list', params);
    for (const p of all) {
      if (!p.requiresGrad)
        throw new ValueError(
          this.constructor.name,
          `parameter #${p.id} does not require grad`,
          p.id,
        );
    }
    for (const group of this.paramGroups) {
      if (!(group.lr >= 0))
        throw new ValueError(this.constructor.name, `invalid learning rate ${group.lr}`, group.lr);
      if (!(group.weightDecay >= 0))
        throw new ValueError(
          this.constructor.name,
          `invalid weight decay ${group.weightDecay}`,
          group.weightDecay,
        );
    }
  }

  /** Performs one update from the current `.grad` of each parameter (parameters without grad are skipped). */
  abstract step(): void;

  /** Clears every parameter's `.grad` (disposing the old gradient tensors, which autograd owns). */
  zeroGrad(): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        p.grad?.dispose();
        p.grad = null;
      }
    }
  }

  /** The learning rate of the first group. */
  get lr(): number {
    return this.paramGroups[0]!.lr;
  }

  /** Sets the learning rate of every group. */
  set lr(value: number) {
    if (!(value >= 0)) throw new ValueError('lr', `invalid learning rate ${value}`, value);
    for (const group of this.paramGroups) group.lr = value;
  }

  /** The state of one parameter, created empty on first use. */
  protected stateOf(p: Tensor): Record<string, Tensor | number> {
    let s = this.state.get(p);
    if (!s) {
      s = {};
      this.state.set(p, s);
    }
    return s;
  }

  /** A state tensor of `p` by name, created by `init` (and kept alive across `tidy` scopes) on first use. */
  protected buffer(p: Tensor, name: string, init: () => Tensor): Tensor {
    const s = this.stateOf(p);
    let value = s[name] as Tensor | undefined;
    if (value === undefined) {
      value = keep(init());
      s[name] = value;
    }
    return value;
  }

  /** Keeps a state tensor alive across `tidy` scopes. */
  protected persistent(t: Tensor): Tensor {
    return keep(t);
  }

  /** Hyper-parameters and per-parameter state, keyed by parameter position. */
  stateDict(): OptimizerState {
    const params = this.paramGroups.flatMap((g) => g.params);
    const state: OptimizerState['state'] = {};
    params.forEach((p, i) => {
      const s = this.state.get(p);
      if (s) state[i] = { ...s };
    });
    let index = 0;
    const paramGroups = this.paramGroups.map(({ params: groupParams, ...options }) => ({
      ...options,
      params: groupParams.map(() => index++),
    }));
    return { state, paramGroups };
  }

  /**
   * Restores a `stateDict()` taken from an optimizer over the same parameter shapes.
   * @throws ValueError when the group structure differs
   */
  loadStateDict(saved: OptimizerState): void {
    if (saved.paramGroups.length !== this.paramGroups.length) {
      throw new ValueError(
        'loadStateDict',
        `${saved.paramGroups.length} saved parameter groups, ${this.paramGroups.length} here`,
        saved.paramGroups.length,
      );
    }
    const params = this.paramGroups.flatMap((g) => g.params);
    saved.paramGroups.forEach((group, i) => {
      const { params: _indices, ...options } = group;
      Object.assign(this.paramGroups[i]!, options);
    });
    this.state.clear();
    for (const [key, s] of Object.entries(saved.state)) {
      const p = params[Number(key)];
      if (!p)
        throw new ValueError(
          'loadStateDict',
          `state for parameter ${key}, but there are only ${params.length}`,
          key,
        );
      const copy: Record<string, Tensor | number> = {};
      for (const [name, value] of Object.entries(s))
        copy[name] = typeof value === 'number' ? value : this.persistent(value.clone());
      this.state.set(p, copy);
    }
  }
}
