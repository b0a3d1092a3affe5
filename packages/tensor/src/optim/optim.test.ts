import { describe, expect, it } from 'vitest';
import {
  AdamW,
  clipGradNorm,
  cosineSchedule,
  LRScheduler,
  linearWarmup,
  SGD,
  tensor,
  ValueError,
} from '../index.js';

/** Gradients of f(p) = sum(c * p^2) / 2 at p: c * p. */
const coefficients = [1, -0.5, 3];
const gradOf = (p: number[]) => p.map((v, i) => coefficients[i]! * v);

function runTensor(
  makeOptimizer: (p: ReturnType<typeof tensor>) => { step(): void; zeroGrad(): void },
  steps: number,
): number[] {
  const p = tensor([1, 2, -1.5], { dtype: 'float64', requiresGrad: true });
  const optimizer = makeOptimizer(p);
  for (let t = 0; t < steps; t++) {
    optimizer.zeroGrad();
    p.square()
      .mul(tensor(coefficients, { dtype: 'float64' }))
      .sum()
      .mul(0.5)
      .backward();
    optimizer.step();
  }
  return p.toArray() as number[];
}

describe('optimizers match plain-number implementations of the PyTorch update rules', () => {
  it('SGD with momentum, dampening and weight decay', () => {
    const lr = 0.1;
    const momentum = 0.9;
    const dampening = 0.1;
    const wd = 0.01;
    const p = [1, 2, -1.5];
    let buf: number[] | null = null;
    for (let t = 0; t < 5; t++) {
      const d = gradOf(p).map((g, i) => g + wd * p[i]!);
      buf = buf ? buf.map((b, i) => momentum * b + (1 - dampening) * d[i]!) : d;
      for (let i = 0; i < 3; i++) p[i]! -= lr * buf[i]!;
    }
    const got = runTensor((x) => new SGD([x], { lr, momentum, dampening, weightDecay: wd }), 5);
    got.forEach((v, i) => expect(v).toBeCloseTo(p[i]!, 12));
  });

  it('SGD with Nesterov momentum', () => {
    const p = [1, 2, -1.5];
    let buf: number[] | null = null;
    for (let t = 0; t < 5; t++) {
      const d = gradOf(p);
      buf = buf ? buf.map((b, i) => 0.9 * b + d[i]!) : d;
      for (let i = 0; i < 3; i++) p[i]! -= 0.05 * (d[i]! + 0.9 * buf[i]!);
    }
    const got = runTensor((x) => new SGD([x], { lr: 0.05, momentum: 0.9, nesterov: true }), 5);
    got.forEach((v, i) => expect(v).toBeCloseTo(p[i]!, 12));
  });

  it.each([false, true])('AdamW (amsgrad %s)', (amsgrad) => {
    const [lr, b1, b2, eps, wd] = [0.01, 0.9, 0.999, 1e-8, 0.1];
    const p = [1, 2, -1.5];
    const m = [0, 0, 0];
    const v = [0, 0, 0];
    const vmax = [0, 0, 0];
    for (let t = 1; t <= 6; t++) {
      const g = gradOf(p);
      for (let i = 0; i < 3; i++) {
        p[i]! *= 1 - lr * wd;
        m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
        v[i] = b2 * v[i]! + (1 - b2) * g[i]! ** 2;
        vmax[i] = Math.max(vmax[i]!, v[i]!);
        const second = amsgrad ? vmax[i]! : v[i]!;
        p[i]! -=
          ((lr / (1 - b1 ** t)) * m[i]!) / (Math.sqrt(second) / Math.sqrt(1 - b2 ** t) + eps);
      }
    }
    const got = runTensor((x) => new AdamW([x], { lr, weightDecay: wd, amsgrad }), 6);
    got.forEach((value, i) => expect(value).toBeCloseTo(p[i]!, 12));
  });

  it('saves and restores optimizer state', () => {
    const p = tensor([1, 2], { requiresGrad: true, dtype: 'float64' });
    const a = new AdamW([p], { lr: 0.1 });
    p.square().sum().backward();
    a.step();
    const q = tensor(p.toArray() as number[], { requiresGrad: true, dtype: 'float64' });
    const b = new AdamW([q], { lr: 0.5 });
    b.loadStateDict(a.stateDict());
    expect(b.lr).toBe(0.1);
    for (const [opt, x] of [
      [a, p],
      [b, q],
    ] as const) {
      opt.zeroGrad();
      x.square().sum().backward();
      opt.step();
    }
    expect(q.toArray()).toEqual(p.toArray());
  });

  it('validates hyper-parameters', () => {
    const p = tensor([1], { requiresGrad: true });
    expect(() => new SGD([p], { lr: -1 })).toThrow(/invalid learning rate -1/);
    expect(() => new SGD([p], { lr: 0.1, nesterov: true })).toThrow(ValueError);
    expect(() => new AdamW([p], { betas: [1, 0.9] })).toThrow(/betas must be in \[0, 1\)/);
    expect(() => new AdamW([tensor([1])])).toThrow(/does not require grad/);
  });
});

describe('schedules and clipping', () => {
  it('cosine with warmup follows its formula', () => {
    const s = cosineSchedule({ totalSteps: 110, warmupSteps: 10, minFactor: 0.1 });
    expect(s(0)).toBeCloseTo(0.1);
    expect(s(9)).toBeCloseTo(1);
    expect(s(60)).toBeCloseTo(0.1 + 0.9 * 0.5);
    expect(s(110)).toBeCloseTo(0.1);
    expect(linearWarmup(4)(1)).toBe(0.5);
  });

  it('LRScheduler sets the optimizer learning rate each step', () => {
    const p = tensor([1], { requiresGrad: true });
    const opt = new SGD([p], { lr: 0.2 });
    const scheduler = new LRScheduler(opt, linearWarmup(2));
    expect(opt.lr).toBeCloseTo(0.1);
    scheduler.step();
    expect(opt.lr).toBeCloseTo(0.2);
  });

  it('clipGradNorm scales gradients to the max norm and returns the norm before', () => {
    const a = tensor([3, 0], { requiresGrad: true });
    const b = tensor([4], { requiresGrad: true });
    a.grad = tensor([3, 0]);
    b.grad = tensor([4]);
    expect(clipGradNorm([a, b], 1)).toBeCloseTo(5);
    expect(a.grad.toTypedArray()[0]).toBeCloseTo(0.6, 5);
    expect(b.grad.toTypedArray()[0]).toBeCloseTo(0.8, 5);
    expect(clipGradNorm([a, b], 10, Infinity)).toBeCloseTo(0.8, 5);
  });
});
