/**
 * Tape nodes. An op that runs with grad mode on and at least one input that
 * requires grad attaches a `GradNode` to its output: the inputs, a backward
 * rule that maps the output's gradient to the inputs' gradients, and the
 * tensors the rule reads, with their storage versions at record time so an
 * in-place write in between is caught.
 */

import type { Tensor } from '../tensor.js';
import { isGradEnabled } from './grad-mode.js';

/** Maps the gradient of an op's output to the gradients of its inputs (null where none is needed). */
export type BackwardRule = (grad: Tensor) => readonly (Tensor | null)[];

/** One recorded op on the tape. */
export interface GradNode {
  /** The op's name, for messages. */
  readonly op: string;
  /** The op's tensor inputs, in the order the rule returns their gradients. */
  readonly inputs: readonly Tensor[];
  /** The rule; null once the graph was freed by a backward pass. */
  rule: BackwardRule | null;
  /** Tensors the rule reads, with the storage version each had when recorded. */
  readonly saved: readonly { readonly tensor: Tensor; readonly version: number }[];
}

/**
 * Records an op on the tape if grad mode is on and any input requires grad;
 * otherwise does nothing. Returns `output` for chaining.
 * @param op - op name
 * @param output - the op's result
 * @param inputs - the op's tensor inputs
 * @param rule - gradient rule (runs with grad mode off)
 * @param saved - tensors the rule reads (checked for in-place changes)
 */
export function record(
  op: string,
  output: Tensor,
  inputs: readonly Tensor[],
  rule: BackwardRule,
  saved: readonly Tensor[] = [],
): Tensor {
  if (!isGradEnabled() || !inputs.some((input) => input.requiresGrad)) return output;
  output.requiresGrad = true;
  output.gradFn = {
    op,
    inputs,
    rule,
    saved: saved.map((tensor) => ({ tensor, version: tensor.storage.version })),
  };
  return output;
}

/** True when an op on these inputs would be recorded. */
export function needsGrad(...inputs: readonly Tensor[]): boolean {
  return isGradEnabled() && inputs.some((input) => input.requiresGrad);
}
