/**
 * The backward pass, as readable as micrograd's: collect the tape nodes
 * reachable from the output in topological order (an iterative depth-first
 * search, so long chains do not overflow the stack), then walk them in
 * reverse, calling each node's rule with the gradient of its output and
 * accumulating the results into the inputs' gradients. Leaves that require
 * grad accumulate into `.grad`. Rules run with grad mode off.
 */

import { withoutAutocast } from '../amp/autocast.js';
import { AutogradError, ShapeError } from '../errors.js';
import { keep, tidyCreated } from '../memory/scope.js';
import { ones } from '../ops/creation.js';
import { add } from '../ops/elementwise.js';
import { formatShape, sameShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { noGrad } from './grad-mode.js';

/** Non-leaf tensors reachable from `root`, each after all tensors that consume it. */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: [Tensor, number][] = [[root, 0]];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [tensor, next] = top;
    const inputs = tensor.gradFn?.inputs ?? [];
    if (next < inputs.length) {
      top[1]++;
      const child = inputs[next]!;
      if (child.gradFn !== null && !visited.has(child)) {
        visited.add(child);
        stack.push([child, 0]);
      }
    } else {
      stack.pop();
      if (tensor.gradFn !== null) order.push(tensor);
    }
  }
  return order.reverse();
}

/**
 * Runs backpropagation from `root` (see `Tensor.backward`).
 * @throws AutogradError when root does not require grad, is not a scalar and
 *   no gradient is given, the graph was already freed, or a saved tensor was
 *   modified in place
 */
export function backward(
  root: Tensor,
  gradient?: Tensor,
  options: { retainGraph?: boolean } = {},
): void {
  root.assertAlive('backward');
  if (!root.requiresGrad)
    throw new AutogradError(
      'backward',
      `tensor #${root.id} does not require grad and has no grad function`,
    );
  let seed = gradient;
  if (seed === undefined) {
    if (root.size !== 1) {
      throw new AutogradError(
        'backward',
        `gradient can be implied only for one-element outputs; pass a gradient for shape ${formatShape(root.shape)}`,
      );
    }
    seed = ones(root.shape, { dtype: root.dtype, backend: root.backend });
  } else if (!sameShape(seed.shape, root.shape)) {
    throw new ShapeError(
      'backward',
      `gradient shape ${formatShape(seed.shape)} does not match output shape ${formatShape(root.shape)}`,
      [root.shape, seed.shape],
    );
  }
  const grads = new Map<Tensor, Tensor>([[root, seed]]);
  // How many pending entries of `grads` hold each gradient tensor: a gradient nobody holds any more
  // (consumed by its node's rule, or summed into another) is disposed at once, and each rule runs in a
  // tidy scope, so a backward pass holds the live gradients only, not every temporary of every rule.
  const holders = new Map<Tensor, number>([[seed, 1]]);
  const hold = (t: Tensor, delta: number) => holders.set(t, (holders.get(t) ?? 0) + delta);
  // Only gradients backward made itself are freed, never a tensor a rule passed through from outside.
  const ours = new Set<Tensor>(gradient === undefined ? [seed] : []);
  const release = (t: Tensor) => {
    if ((holders.get(t) ?? 0) > 0 || !ours.has(t)) return;
    holders.delete(t);
    ours.delete(t);
    t.dispose();
  };
  withoutAutocast(() =>
    noGrad(() => {
      if (root.gradFn === null) {
        accumulateLeaf(root, seed);
        return;
      }
      for (const tensor of topologicalOrder(root)) {
        const grad = grads.get(tensor);
        grads.delete(tensor);
        if (grad === undefined) continue;
        hold(grad, -1);
        const node = tensor.gradFn!;
        if (node.rule === null) {
          throw new AutogradError(
            'backward',
            `the graph through "${node.op}" was already freed by a previous backward(); pass { retainGraph: true } to the first call`,
          );
        }
        for (const { tensor: saved, version } of node.saved) {
          if (saved.storage.version !== version) {
            throw new AutogradError(
              'backward',
              `tensor #${saved.id} saved by "${node.op}" was modified in place (version ${version} -> ${saved.storage.version}); use an out-of-place op`,
            );
          }
        }
        let retained = false;
        if (tensor.retainsGrad) {
          tensor.grad = keep(tensor.grad ? add(tensor.grad, grad) : grad);
          retained = tensor.grad === grad;
        }
        const rule = node.rule;
        const { result: inputGrads, created } = tidyCreated(() => rule(grad));
        for (const t of created) ours.add(t);
        if (!options.retainGraph) node.rule = null;
        const produced = new Set<Tensor>();
        node.inputs.forEach((input, i) => {
          const g = inputGrads[i];
          if (g !== null && g !== undefined) produced.add(g);
          if (!input.requiresGrad || g === null || g === undefined) return;
          if (!sameShape(g.shape, input.shape)) {
            throw new ShapeError(
              'backward',
              `rule of "${node.op}" returned a gradient of shape ${formatShape(g.shape)} for an input of shape ${formatShape(input.shape)}`,
              [input.shape, g.shape],
            );
          }
          if (input.gradFn === null) accumulateLeaf(input, g);
          else {
            const previous = grads.get(input);
            const next = previous ? add(previous, g) : g;
            if (previous) ours.add(next);
            grads.set(input, next);
            hold(next, 1);
            if (previous) {
              hold(previous, -1);
              release(previous);
            }
          }
        });
        for (const g of produced) if (g !== grad) release(g);
        if (!retained) release(grad);
      }
    }),
  );
}

function accumulateLeaf(leaf: Tensor, grad: Tensor): void {
  const g = grad.dtype === leaf.dtype ? grad : grad.to(leaf.dtype);
  // A gradient tensor may be shared (add hands one tensor to both inputs) or be a view of another
  // gradient: the first assignment copies it, so in-place updates of one .grad never reach another.
  const previous = leaf.grad;
  leaf.grad = keep(previous ? add(previous, g) : g.clone());
  previous?.dispose();
}
