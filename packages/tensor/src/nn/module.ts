/**
 * `Module`: the base class of layers and models, after PyTorch's nn.Module.
 * Parameters, buffers and sub-modules are discovered from the module's own
 * properties (tensors marked with `parameter()`, modules, and arrays of
 * modules), so a layer is a plain class:
 *
 *   class MLP extends Module {
 *     fc1 = new Linear(2, 16);
 *     fc2 = new Linear(16, 3);
 *     forward(x: Tensor) { return this.fc2.forward(this.fc1.forward(x).relu()); }
 *   }
 *
 * Names follow the property path (`fc1.weight`, `layers.0.bias`), matching
 * PyTorch's state-dict keys so safetensors checkpoints map across.
 */
import { noGrad } from '../autograd/grad-mode.js';
import { type DType, isFloat } from '../dtype.js';
import { ShapeError, ValueError } from '../errors.js';
import { keep } from '../memory/scope.js';
import { formatShape, sameShape } from '../shape.js';
import { Tensor } from '../tensor.js';

const PARAMETER = Symbol.for('@x/tensor.parameter');

/**
 * Marks a tensor as a trainable parameter (a leaf that requires grad).
 * @param t - a floating-point tensor
 * @returns the same tensor, marked
 */
export function parameter(t: Tensor): Tensor {
  t.requiresGrad = true;
  (t as unknown as Record<symbol, boolean>)[PARAMETER] = true;
  return keep(t);
}

/** True for tensors marked by `parameter()`. */
export function isParameter(value: unknown): value is Tensor {
  return (
    value instanceof Tensor && (value as unknown as Record<symbol, boolean>)[PARAMETER] === true
  );
}

/** Options of `loadStateDict`. */
export interface LoadStateDictOptions {
  /** Throw when a key is missing or unexpected (true), or load what matches (false). @default true */
  strict?: boolean;
}

/** Base class of layers and models. */
export abstract class Module {
  /** True in training mode (dropout active), false after `eval()`. */
  training = true;
  private readonly bufferNames = new Set<string>();

  /** Runs the module. */
  abstract forward(...inputs: unknown[]): unknown;

  /** Registers a non-trainable tensor (running statistics, masks) that belongs to the state dict. */
  protected registerBuffer(name: string, value: Tensor): void {
    (this as unknown as Record<string, unknown>)[name] = keep(value);
    this.bufferNames.add(name);
  }

  /** Direct sub-modules with their property names (array items named by index). */
  namedChildren(): [string, Module][] {
    const out: [string, Module][] = [];
    for (const [key, value] of Object.entries(this)) {
      if (value instanceof Module) out.push([key, value]);
      else if (Array.isArray(value)) {
        for (const [i, item] of value.entries())
          if (item instanceof Module) out.push([`${key}.${i}`, item]);
      }
    }
    return out;
  }

  /** Every parameter with its dotted path, depth first in declaration order. */
  namedParameters(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [key, value] of Object.entries(this))
      if (isParameter(value)) out.push([prefix + key, value]);
    for (const [name, child] of this.namedChildren())
      out.push(...child.namedParameters(`${prefix}${name}.`));
    return out;
  }

  /** Every parameter (for optimizers). */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Every registered buffer with its dotted path. */
  namedBuffers(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const name of this.bufferNames)
      out.push([prefix + name, (this as unknown as Record<string, Tensor>)[name]!]);
    for (const [name, child] of this.namedChildren())
      out.push(...child.namedBuffers(`${prefix}${name}.`));
    return out;
  }

  /** Number of trainable scalars. */
  parameterCount(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  /** Sets training mode on this module and every sub-module. */
  train(mode = true): this {
    this.training = mode;
    for (const [, child] of this.namedChildren()) child.train(mode);
    return this;
  }

  /** Sets evaluation mode (`train(false)`). */
  eval(): this {
    return this.train(false);
  }

  /**
   * Converts every floating-point parameter and buffer to `dtype` (new leaf
   * tensors replace the old ones; the module's structure is unchanged).
   * @returns this module
   * @example model.to('float16')
   */
  to(dtype: DType): this {
    const own = this as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(this)) {
      if (isParameter(value) && isFloat(value.dtype) && value.dtype !== dtype) {
        own[key] = parameter(noGrad(() => value.detach().to(dtype).clone()));
      } else if (this.bufferNames.has(key) && value instanceof Tensor && isFloat(value.dtype)) {
        own[key] = keep(noGrad(() => value.to(dtype)));
      }
    }
    for (const [, child] of this.namedChildren()) child.to(dtype);
    return this;
  }

  /** Clears `.grad` of every parameter. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** Parameters and buffers by dotted name (the tensors themselves, not copies). */
  stateDict(): Record<string, Tensor> {
    return Object.fromEntries([...this.namedParameters(), ...this.namedBuffers()]);
  }

  /**
   * Copies values from a state dict into the parameters and buffers (converting dtypes).
   * @returns the keys that were missing and unexpected (empty in strict mode)
   * @throws ValueError in strict mode when keys differ; ShapeError when a shape differs
   */
  loadStateDict(
    state: Record<string, Tensor>,
    options: LoadStateDictOptions = {},
  ): { missing: string[]; unexpected: string[] } {
    const own = this.stateDict();
    const missing = Object.keys(own).filter((k) => !(k in state));
    const unexpected = Object.keys(state).filter((k) => !(k in own));
    if ((options.strict ?? true) && (missing.length > 0 || unexpected.length > 0)) {
      throw new ValueError(
        'loadStateDict',
        `state dict keys differ: missing [${missing.join(', ')}], unexpected [${unexpected.join(', ')}]`,
        { missing, unexpected },
      );
    }
    noGrad(() => {
      for (const [key, target] of Object.entries(own)) {
        const source = state[key];
        if (!source) continue;
        if (!sameShape(source.shape, target.shape)) {
          throw new ShapeError(
            'loadStateDict',
            `"${key}" has shape ${formatShape(source.shape)} in the state dict, ${formatShape(target.shape)} in the module`,
            [target.shape, source.shape],
          );
        }
        target.copy_(source.backend === target.backend ? source : source.toBackend(target.backend));
      }
    });
    return { missing, unexpected };
  }
}
