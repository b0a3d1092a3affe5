/**
 * Grad mode: whether ops record themselves on the autograd tape. Off inside
 * `noGrad(fn)` (optimizer steps, evaluation) and inside backward passes.
 */

let enabled = true;

/** True when new ops are recorded for autograd. */
export function isGradEnabled(): boolean {
  return enabled;
}

/**
 * Runs `fn` with gradient recording off: no tape is built, results do not
 * require grad.
 * @param fn - the work to run
 * @returns what `fn` returns
 * @example
 * const y = noGrad(() => w.mul(2)); // y.requiresGrad === false
 */
export function noGrad<T>(fn: () => T): T {
  const previous = enabled;
  enabled = false;
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}

/**
 * Runs `fn` with gradient recording on (inside a `noGrad` scope).
 * @param fn - the work to run
 * @returns what `fn` returns
 */
export function enableGrad<T>(fn: () => T): T {
  const previous = enabled;
  enabled = true;
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}
