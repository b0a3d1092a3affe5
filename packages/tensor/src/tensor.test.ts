import { describe, expect, it } from 'vitest';
import {
  AutogradError,
  arange,
  DisposedError,
  dispose,
  keep,
  memory,
  noGrad,
  ones,
  randn,
  resetPeakMemory,
  type Tensor,
  TensorError,
  tensor,
  tidy,
  ValueError,
  zeros,
} from './index.js';

describe('object model', () => {
  it('gives every tensor object its own id, views included', () => {
    const a = arange(6);
    const b = a.reshape(2, 3);
    expect(a.id).not.toBe(b.id);
    expect(new Set([a.id, b.id, a.reshape(3, 2).id]).size).toBe(3);
  });

  it('makes views that share storage with their base', () => {
    const base = arange(12, undefined, 1, { dtype: 'float32' });
    const views = [
      base.reshape(3, 4),
      base.reshape(3, 4).transpose(),
      base.reshape(3, 4).slice([1, 3]),
      base.reshape(1, 12).expand(2, 12),
      base.unsqueeze(0).squeeze(),
      base.reshape(3, 4).permute(1, 0),
      base.flip(0),
    ];
    for (const v of views) {
      expect(v.storage).toBe(base.storage);
      expect(v.base).toBe(base);
    }
    // A write through one view is seen by the others.
    noGrad(() => base.reshape(3, 4).select(0, 1).fill_(-1));
    expect(base.toArray()).toEqual([0, 1, 2, 3, -1, -1, -1, -1, 8, 9, 10, 11]);
    expect(base.reshape(3, 4).transpose().select(0, 0).toArray()).toEqual([0, -1, 8]);
  });

  it('returns new tensors with their own storage from ops', () => {
    const a = tensor([1, 2, 3]);
    const b = a.add(1);
    expect(b.storage).not.toBe(a.storage);
    expect(a.toArray()).toEqual([1, 2, 3]);
  });

  it('records strides and offsets of views', () => {
    const m = arange(12).reshape(3, 4);
    expect(m.strides).toEqual([4, 1]);
    expect(m.transpose().strides).toEqual([1, 4]);
    expect(m.transpose().isContiguous).toBe(false);
    const s = m.slice([1, 3], [1, 4, 2]);
    expect(s.shape).toEqual([2, 2]);
    expect(s.offset).toBe(5);
    expect(s.strides).toEqual([4, 2]);
    expect(s.toArray()).toEqual([
      [5, 7],
      [9, 11],
    ]);
    expect(m.expand(2, 3, 4).strides).toEqual([0, 4, 1]);
  });

  it('reshapes a non-contiguous tensor by copying, and a contiguous one as a view', () => {
    const m = arange(6).reshape(2, 3);
    const t = m.transpose();
    const r = t.reshape(6);
    expect(r.storage).not.toBe(m.storage);
    expect(r.toArray()).toEqual([0, 3, 1, 4, 2, 5]);
    expect(m.reshape(-1).storage).toBe(m.storage);
    expect(() => m.reshape(4)).toThrow(/cannot reshape \[2, 3\]/);
  });

  it('contiguous() returns the same tensor when already contiguous, a copy otherwise', () => {
    const m = arange(6).reshape(2, 3);
    expect(m.contiguous()).toBe(m);
    const c = m.transpose().contiguous();
    expect(c).not.toBe(m);
    expect(c.isContiguous).toBe(true);
    expect(c.toArray()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
  });

  it('clone() copies the values into new storage', () => {
    const a = tensor([1, 2]);
    const b = a.clone();
    noGrad(() => b.fill_(0));
    expect(a.toArray()).toEqual([1, 2]);
  });

  it('item() reads one element and refuses more', () => {
    expect(tensor([[3.5]]).item()).toBe(3.5);
    expect(() => tensor([1, 2]).item()).toThrow(ValueError);
  });

  it('prints readably', () => {
    expect(
      tensor([
        [1, 2],
        [3, 4],
      ]).toString(),
    ).toBe('tensor([[1., 2.],\n        [3., 4.]], dtype=float32, shape=[2, 2])');
    expect(tensor([1.5, -2.25]).toString()).toBe(
      'tensor([ 1.5000, -2.2500], dtype=float32, shape=[2])',
    );
    expect(tensor(true).toString()).toBe('tensor(true, dtype=bool, shape=[])');
    expect(arange(3).toString()).toBe('tensor([0, 1, 2], dtype=int32, shape=[3])');
    const big = arange(2000).toString();
    expect(big).toContain('...');
    expect(big).toContain('1999');
    expect(tensor([1], { requiresGrad: true }).mul(2).toString()).toContain('gradFn=mul');
  });
});

describe('in-place ops', () => {
  it('write into the storage and bump its version', () => {
    const a = tensor([1, 2, 3]);
    const version = a.storage.version;
    a.add_(1).mul_(2);
    expect(a.toArray()).toEqual([4, 6, 8]);
    expect(a.storage.version).toBe(version + 2);
  });

  it('broadcast the operand into the target, not the other way round', () => {
    const a = zeros([2, 3]);
    a.add_(tensor([1, 2, 3]));
    expect(a.toArray()).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]);
    expect(() => zeros([3]).add_(zeros([2, 3]))).toThrow(/does not broadcast to the target/);
  });

  it('are refused on tensors that require grad while grad mode is on', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    expect(() => w.add_(1)).toThrow(AutogradError);
    expect(() => w.mul(2).add_(1)).toThrow(AutogradError);
    noGrad(() => w.add_(1));
    expect(w.toArray()).toEqual([2, 3]);
  });

  it('make a later backward fail when they overwrote a saved value', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = noGrad(() => tensor([2, 2, 2]));
    const z = x.mul(y); // saves y
    noGrad(() => y.mul_(10));
    expect(() => z.sum().backward()).toThrow(/modified in place \(version 0 -> 1\)/);
  });
});

describe('autograd', () => {
  it('accumulates gradients over broadcast axes and repeated use', () => {
    const a = tensor([[1, 2, 3]], { requiresGrad: true });
    const b = tensor([[1], [2]], { requiresGrad: true });
    const y = a.mul(b).add(a).sum();
    y.backward();
    // d/da_j sum_i (a_j b_i + a_j) = sum_i b_i + 2 (a is broadcast over both rows)
    expect(a.grad!.toArray()).toEqual([[5, 5, 5]]);
    expect(b.grad!.toArray()).toEqual([[6], [6]]);
  });

  it('accumulates into .grad across backward calls', () => {
    const x = tensor([2], { requiresGrad: true });
    x.square().sum().backward();
    x.square().sum().backward();
    expect(x.grad!.toArray()).toEqual([8]);
  });

  it('gives leaves independent gradient tensors', () => {
    const a = tensor([1, 1], { requiresGrad: true });
    const b = tensor([1, 1], { requiresGrad: true });
    a.add(b).sum().backward();
    expect(a.grad).not.toBe(b.grad);
    noGrad(() => a.grad!.mul_(5));
    expect(b.grad!.toArray()).toEqual([1, 1]);
  });

  it('detach() and noGrad cut the tape', () => {
    const x = tensor([3], { requiresGrad: true });
    expect(x.detach().requiresGrad).toBe(false);
    expect(x.detach().storage).toBe(x.storage);
    expect(noGrad(() => x.mul(2)).requiresGrad).toBe(false);
    const y = x.mul(x.detach());
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual([3]);
  });

  it('frees the graph after backward unless retainGraph', () => {
    const x = tensor([1], { requiresGrad: true });
    const y = x.exp().sum();
    y.backward(undefined, { retainGraph: true });
    y.backward();
    expect(x.grad!.item()).toBeCloseTo(2 * Math.E, 5);
    expect(() => y.backward()).toThrow(/already freed/);
  });

  it('needs an explicit gradient for non-scalar outputs', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => x.mul(2).backward()).toThrow(
      /gradient can be implied only for one-element outputs/,
    );
    x.mul(2).backward(tensor([1, 10]));
    expect(x.grad!.toArray()).toEqual([2, 20]);
  });

  it('retains non-leaf gradients on request', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = x.mul(3).retainGrad();
    h.square().sum().backward();
    expect(h.grad!.toArray()).toEqual([6, 12]);
  });

  it('handles a chain of 20,000 ops without overflowing the stack', () => {
    const x = tensor([1], { requiresGrad: true });
    let y = x;
    for (let i = 0; i < 20000; i++) y = y.mul(1.0001);
    y.sum().backward();
    expect(x.grad!.item()).toBeCloseTo(1.0001 ** 20000, 2);
  });

  it('refuses requiresGrad on integer tensors', () => {
    expect(() => tensor([1], { dtype: 'int32', requiresGrad: true })).toThrow(
      /only floating-point/,
    );
  });
});

describe('memory', () => {
  it('tidy disposes intermediates and keeps the result', () => {
    const before = memory().storages;
    const x = ones([4]);
    const y = tidy(() => x.mul(2).add(1).exp());
    expect(memory().storages).toBe(before + 2);
    expect(y.isDisposed).toBe(false);
    dispose(x, y);
    expect(memory().storages).toBe(before);
  });

  it('keep() exempts a tensor from its tidy scope', () => {
    let kept: Tensor | null = null;
    tidy(() => {
      kept = keep(ones([2]).mul(3));
      ones([2]);
    });
    expect(kept!.toArray()).toEqual([3, 3]);
  });

  it('a disposed tensor refuses to be used, with a named error', () => {
    const x = ones([2]);
    x.dispose();
    expect(() => x.add(1)).toThrow(DisposedError);
    expect(() => x.toArray()).toThrow(/was disposed/);
    expect(TensorError.isInstance(new DisposedError('op', 1))).toBe(true);
  });

  it('a storage is freed only when its last view is disposed', () => {
    const before = memory().storages;
    const base = randn([3, 3]);
    const view = base.transpose();
    base.dispose();
    expect(memory().storages).toBe(before + 1);
    expect(tidy(() => view.sum().item())).toBeTypeOf('number');
    view.dispose();
    expect(memory().storages).toBe(before);
  });

  it("backward frees each rule's temporaries and each consumed gradient at once", () => {
    // 12 GELUs (tanh form): each backward rule makes ~16 [n] temporaries. A backward that kept them
    // all, and every consumed gradient, until the tidy ends peaks 217 tensors above the forward (measured
    // before this was fixed); freeing per rule leaves one rule's temporaries plus the live gradients.
    const n = 1 << 16;
    const bytes = n * 4;
    const x = randn([n], { requiresGrad: true });
    tidy(() => {
      let y = x;
      for (let i = 0; i < 12; i++) y = y.gelu({ approximate: 'tanh' });
      const loss = y.sum();
      resetPeakMemory();
      const start = memory().bytes;
      loss.backward();
      const extra = (memory().peakBytes - start) / bytes;
      expect(extra).toBeLessThan(24);
    });
    const g = x.grad!.toTypedArray();
    expect(Number.isFinite(g[0]!)).toBe(true);
    // the same gradient as with the graph retained (nothing freed too early)
    const x2 = tensor(x.toTypedArray(), { requiresGrad: true });
    let y2 = x2;
    for (let i = 0; i < 12; i++) y2 = y2.gelu({ approximate: 'tanh' });
    y2.sum().backward(undefined, { retainGraph: true });
    expect(x2.grad!.toTypedArray()).toEqual(g);
  });

  it('a gradient shared by several inputs survives until each has used it', () => {
    const a = randn([3], { requiresGrad: true });
    const b = randn([3], { requiresGrad: true });
    const s = a.add(b); // add hands one gradient tensor to both inputs
    const out = s.mul(s.exp()).add(s).sum();
    out.backward();
    const sv = s.toTypedArray();
    const expected = Float32Array.from(sv, (v) => Math.exp(v) * (1 + v) + 1);
    for (const t of [a, b])
      t.grad!.toTypedArray().forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 4));
  });

  it('tracks peak bytes', () => {
    const start = memory().bytes;
    tidy(() => zeros([1000]).add(1));
    expect(memory().peakBytes).toBeGreaterThanOrEqual(start + 8000);
  });
});
