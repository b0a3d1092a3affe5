/**
 * `gradcheckParameters`: gradient checks of a module's parameters. `gradcheck`
 * perturbs copies of its inputs and passes them to the function, so a
 * function that reads `module.weight` directly would see no perturbation;
 * this helper swaps each named parameter for the argument gradcheck passes
 * (on the module object that owns it) while the function runs.
 */
import type { Module, Tensor } from '@x/tensor';
import { type GradcheckOptions, type GradcheckResult, gradcheck } from '@x/tensor/test';

/**
 * Checks the gradients of `run()` with respect to the named parameters of `module`.
 * @param module - a module with float64 parameters
 * @param names - dotted parameter names (as `namedParameters()` gives them)
 * @param run - computes the output from the module
 * @param options - gradcheck tolerances
 * @returns gradcheck's result (inputs in the order of `names`)
 * @throws Error when a name is not a parameter of the module
 * @example gradcheckParameters(layer, ['D', 'kernel.log_dt'], () => layer.forward(u)).passed // true
 */
export function gradcheckParameters(
  module: Module,
  names: readonly string[],
  run: () => Tensor,
  options: GradcheckOptions = {},
): GradcheckResult {
  const owners = names.map((name) => {
    const path = name.split('.');
    let owner: Record<string, unknown> = module as unknown as Record<string, unknown>;
    for (const key of path.slice(0, -1)) owner = owner[key] as Record<string, unknown>;
    const key = path.at(-1)!;
    if (!owner || !(key in owner)) throw new Error(`gradcheckParameters: no parameter "${name}"`);
    return { owner, key, tensor: owner[key] as Tensor };
  });
  return gradcheck(
    (...args: Tensor[]) => {
      owners.forEach((o, i) => {
        o.owner[o.key] = args[i];
      });
      try {
        return run();
      } finally {
        for (const o of owners) o.owner[o.key] = o.tensor;
      }
    },
    owners.map((o) => o.tensor),
    options,
  );
}
