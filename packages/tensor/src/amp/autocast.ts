/**
 * Autocast (mixed-precision execution), after PyTorch's `torch.autocast`:
 * inside `autocast(fn, { dtype: 'float16' })`, ops that @x/precision's
 * `AUTOCAST_POLICY` marks `half` (matmul and the layers built on it) cast
 * their float32 inputs to the half dtype, and ops marked `fp32` (exp, log,
 * softmax, log-softmax, norms, losses, sums and means) cast half inputs up to
 * float32. Other ops follow plain type promotion. Casts are ordinary recorded
 * ops, so gradients flow back in each input's own dtype. float64 is never
 * lowered.
 */
import { autocastCategory, autocastDType } from '@x/precision';
import { isFloat } from '../dtype.js';
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';

let active: 'float16' | 'bfloat16' | null = null;

/** Options of `autocast`. */
export interface AutocastOptions {
  /** The half dtype for `half` ops. @default 'float16' */
  dtype?: 'float16' | 'bfloat16';
  /** Turn autocast on (true) or run `fn` unchanged. @default true */
  enabled?: boolean;
}

/**
 * Runs `fn` with autocast on.
 * @returns what `fn` returns
 * @throws ValueError for a dtype other than float16 / bfloat16
 * @example
 * const logits = autocast(() => model.forward(x)); // matmuls in float16, softmax in float32
 */
export function autocast<T>(fn: () => T, options: AutocastOptions = {}): T {
  const dtype = options.dtype ?? 'float16';
  if (dtype !== 'float16' && dtype !== 'bfloat16')
    throw new ValueError(
      'autocast',
      `dtype must be float16 or bfloat16, got ${String(dtype)}`,
      dtype,
    );
  const previous = active;
  active = options.enabled === false ? null : dtype;
  try {
    return fn();
  } finally {
    active = previous;
  }
}

/** The half dtype of the enclosing `autocast`, or null outside one. */
export function autocastDTypeInEffect(): 'float16' | 'bfloat16' | null {
  return active;
}

/**
 * The inputs of op `op` cast as the autocast policy says (internal; a no-op
 * outside `autocast` and for `promote` ops).
 */
export function autocastInputs<T extends Tensor[]>(op: string, ...inputs: T): T {
  if (active === null) return inputs;
  const category = autocastCategory(op);
  if (category === 'promote') return inputs;
  const floating = inputs.filter((t) => isFloat(t.dtype));
  const target = autocastDType(
    op,
    floating.map((t) => t.dtype),
    active,
  );
  if (target === undefined) return inputs;
  return inputs.map((t) =>
    isFloat(t.dtype) && t.dtype !== target && t.dtype !== 'float64' ? t.to(target) : t,
  ) as T;
}

/** Runs `fn` with autocast off (backward passes run this way: gradients keep their inputs' dtypes). */
export function withoutAutocast<T>(fn: () => T): T {
  const previous = active;
  active = null;
  try {
    return fn();
  } finally {
    active = previous;
  }
}
