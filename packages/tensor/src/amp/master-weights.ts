/**
 * fp32 master weights behind half-precision model parameters (Micikevicius
 * et al. 2018): the model computes with float16 / bfloat16 parameters, the
 * optimizer updates float32 copies, so updates smaller than a half-precision
 * ulp of the weight are not lost; after each step the copies are rounded back
 * into the model.
 *
 *   const master = new MasterWeights(model.to('float16').parameters());
 *   const optimizer = new SGD(master.parameters(), { lr: 0.1 });
 *   // each step: scaler.scale(loss).backward(); master.gradsToMaster();
 *   //            scaler.step(optimizer); scaler.update(); master.masterToModel();
 */
import { noGrad } from '../autograd/grad-mode.js';
import { ValueError } from '../errors.js';
import { keep } from '../memory/scope.js';
import { parameter } from '../nn/module.js';
import type { Tensor } from '../tensor.js';

/** float32 master copies of a model's parameters. */
export class MasterWeights {
  /** The model's (half-precision) parameters. */
  readonly model: readonly Tensor[];
  /** The float32 copies the optimizer updates. */
  readonly master: readonly Tensor[];

  /**
   * @param modelParameters - the model's parameters (any float dtype)
   * @throws ValueError for an empty list
   */
  constructor(modelParameters: readonly Tensor[]) {
    if (modelParameters.length === 0)
      throw new ValueError('MasterWeights', 'got no parameters', modelParameters);
    this.model = [...modelParameters];
    this.master = this.model.map((p) => parameter(noGrad(() => p.to('float32').clone())));
  }

  /** The float32 copies, for the optimizer. */
  parameters(): Tensor[] {
    return [...this.master];
  }

  /** Moves the model's gradients to the master copies as float32 (clearing the model's). */
  gradsToMaster(): void {
    noGrad(() => {
      this.model.forEach((p, i) => {
        const m = this.master[i]!;
        m.grad?.dispose();
        m.grad = p.grad ? keep(p.grad.to('float32').clone()) : null;
        p.grad?.dispose();
        p.grad = null;
      });
    });
  }

  /** Rounds the master copies back into the model's parameters. */
  masterToModel(): void {
    noGrad(() => {
      this.model.forEach((p, i) => p.copy_(this.master[i]!));
    });
  }
}
