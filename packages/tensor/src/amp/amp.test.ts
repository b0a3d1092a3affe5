import { describe, expect, it } from 'vitest';
import { autocast, GradScaler, Linear, MasterWeights, matmul, SGD, tensor } from '../index.js';

describe('autocast', () => {
  it('runs matmul in half precision and softmax, sums and losses in float32', () => {
    const a = tensor([
      [1, 2],
      [3, 4],
    ]);
    const { m, s, sum } = autocast(() => {
      const product = matmul(a, a);
      return { m: product, s: product.softmax(-1), sum: product.sum() };
    });
    expect(m.dtype).toBe('float16');
    expect(s.dtype).toBe('float32');
    expect(sum.dtype).toBe('float32');
    expect(matmul(a, a).dtype).toBe('float32');
    expect(autocast(() => matmul(a, a), { dtype: 'bfloat16' }).dtype).toBe('bfloat16');
    expect(autocast(() => matmul(a.to('float64'), a.to('float64'))).dtype).toBe('float64');
  });

  it('lets gradients flow back to float32 leaves', () => {
    const w = tensor(
      [
        [0.5, -1],
        [2, 0.25],
      ],
      { requiresGrad: true },
    );
    const x = tensor([[1, 2]]);
    autocast(() => matmul(x, w).sum()).backward();
    expect(w.grad!.dtype).toBe('float32');
    expect(w.grad!.toArray()).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });
});

describe('GradScaler', () => {
  it('scales the loss, unscales the gradients and steps', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const optimizer = new SGD([w], { lr: 0.5 });
    const scaler = new GradScaler({ initScale: 1024 });
    scaler.scale(w.square().sum()).backward();
    expect(w.grad!.toArray()).toEqual([2048, 4096]);
    expect(scaler.step(optimizer)).toBe(true);
    scaler.update();
    expect(w.toArray()).toEqual([0, 0]); // w - 0.5 * 2w
  });

  it('skips the step and backs off when a gradient overflows', () => {
    const half = tensor([1], { requiresGrad: true, dtype: 'float16' });
    const master = new MasterWeights([half]);
    const optimizer = new SGD(master.parameters(), { lr: 0.1 });
    const scaler = new GradScaler(); // 2^16
    scaler.scale(half.mul(2)).backward(); // gradient 2 * 65536 overflows float16
    master.gradsToMaster();
    expect(master.master[0]!.grad!.isfinite().item()).toBe(0);
    expect(scaler.step(optimizer)).toBe(false);
    scaler.update();
    master.masterToModel();
    expect(half.toArray()).toEqual([1]);
    expect(scaler.getScale()).toBe(32768);
  });

  it('refuses to unscale half-precision gradients, as PyTorch does', () => {
    const w = tensor([1], { dtype: 'float16', requiresGrad: true });
    const scaler = new GradScaler();
    scaler.scale(w.sum()).backward();
    expect(() => scaler.unscale_(new SGD([w], { lr: 1 }))).toThrow(/float16 gradient/);
  });

  it('grows the scale after growthInterval clean steps and refuses a double unscale', () => {
    const w = tensor([1], { requiresGrad: true });
    const optimizer = new SGD([w], { lr: 0 });
    const scaler = new GradScaler({ initScale: 8, growthInterval: 3 });
    for (let i = 0; i < 3; i++) {
      optimizer.zeroGrad();
      scaler.scale(w.sum()).backward();
      scaler.unscale_(optimizer);
      expect(() => scaler.unscale_(optimizer)).toThrow(/already called/);
      scaler.step(optimizer);
      scaler.update();
    }
    expect(scaler.getScale()).toBe(16);
    expect(scaler.stateDict()).toMatchObject({
      scale: 16,
      growth_factor: 2,
      backoff_factor: 0.5,
      growth_interval: 3,
    });
  });
});

describe('MasterWeights', () => {
  it('keeps updates smaller than a float16 ulp, which plain float16 weights lose', () => {
    // float16 ulp at 1.0 is 2^-10 ~ 1e-3; 100 updates of 1e-4 each add up to 1e-2.
    const half = tensor([1], { dtype: 'float16', requiresGrad: true });
    const master = new MasterWeights([half]);
    const withMaster = new SGD(master.parameters(), { lr: 1e-4 });
    const plain = tensor([1], { dtype: 'float16', requiresGrad: true });
    const withoutMaster = new SGD([plain], { lr: 1e-4 });
    for (let i = 0; i < 100; i++) {
      half.sum().backward();
      master.gradsToMaster();
      withMaster.step();
      master.masterToModel();
      plain.grad = null;
      plain.sum().backward();
      withoutMaster.step();
    }
    expect(plain.item()).toBe(1); // every update rounded away
    expect(master.master[0]!.item()).toBeCloseTo(0.99, 5); // float32 sums of 1e-4 steps
    expect(half.item()).toBe(0.990234375); // the nearest float16 to 0.99
  });

  it('Module.to converts parameters to a half dtype', () => {
    const layer = new Linear(3, 2).to('float16');
    expect(layer.weight.dtype).toBe('float16');
    expect(layer.parameters().every((p) => p.dtype === 'float16' && p.requiresGrad)).toBe(true);
    expect(layer.forward(tensor([[1, 2, 3]], { dtype: 'float16' })).dtype).toBe('float16');
  });
});
