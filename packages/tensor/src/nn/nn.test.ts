import { describe, expect, it } from 'vitest';
import {
  Dropout,
  Embedding,
  Generator,
  LayerNorm,
  Linear,
  Module,
  ones,
  RMSNorm,
  randn,
  Sequential,
  ShapeError,
  type Tensor,
  tensor,
  ValueError,
} from '../index.js';
import { init } from './index.js';

class TwoLayer extends Module {
  fc1 = new Linear(3, 4);
  blocks = [new LayerNorm(4), new RMSNorm(4)];
  fc2 = new Linear(4, 2, { bias: false });
  drop = new Dropout(0.5);
  forward(x: Tensor): Tensor {
    return this.fc2.forward(
      this.drop.forward(
        this.blocks[1]!.forward(this.blocks[0]!.forward(this.fc1.forward(x).relu())),
      ),
    );
  }
}

describe('Module', () => {
  it('discovers parameters with PyTorch-style dotted names', () => {
    const m = new TwoLayer();
    expect(m.namedParameters().map(([n]) => n)).toEqual([
      'fc1.weight',
      'fc1.bias',
      'blocks.0.weight',
      'blocks.0.bias',
      'blocks.1.weight',
      'fc2.weight',
    ]);
    expect(m.parameterCount()).toBe(3 * 4 + 4 + 4 + 4 + 4 + 4 * 2);
    expect(m.parameters().every((p) => p.requiresGrad)).toBe(true);
  });

  it('propagates train / eval to sub-modules', () => {
    const m = new TwoLayer().eval();
    expect(m.drop.training).toBe(false);
    const x = randn([5, 3]);
    expect(m.forward(x).toArray()).toEqual(m.forward(x).toArray());
    m.train();
    expect(m.blocks[0]!.training).toBe(true);
  });

  it('round-trips a state dict and refuses mismatched ones', () => {
    const a = new TwoLayer();
    const b = new TwoLayer();
    b.loadStateDict(a.stateDict());
    const x = randn([2, 3]);
    expect(b.eval().forward(x).toArray()).toEqual(a.eval().forward(x).toArray());
    const partial = { ...a.stateDict() };
    delete partial['fc2.weight'];
    expect(() => b.loadStateDict(partial)).toThrow(/missing \[fc2.weight\]/);
    expect(b.loadStateDict(partial, { strict: false }).missing).toEqual(['fc2.weight']);
    expect(() => b.loadStateDict({ ...a.stateDict(), 'fc1.bias': ones([5]) })).toThrow(ShapeError);
  });

  it('names Sequential children by position, as PyTorch', () => {
    const s = new Sequential(new Linear(2, 3), (x) => x.relu(), new Linear(3, 1));
    expect(Object.keys(s.stateDict())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(s.forward(ones([4, 2])).shape).toEqual([4, 1]);
  });
});

describe('layers', () => {
  it('Linear computes x W^T + b and initializes within +-1/sqrt(in)', () => {
    const layer = new Linear(3, 2, { generator: new Generator(1) });
    const w = layer.weight.toArray() as number[][];
    const b = layer.bias!.toArray() as number[];
    for (const v of [...w.flat(), ...b]) expect(Math.abs(v)).toBeLessThanOrEqual(1 / Math.sqrt(3));
    const x = [1, -2, 0.5];
    const expected = w.map((row, o) => row.reduce((acc, wv, i) => acc + wv * x[i]!, b[o]!));
    const y = layer.forward(tensor([x])).toArray() as number[][];
    y[0]!.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    expect(() => new Linear(0, 2)).toThrow(ValueError);
  });

  it('Linear names the layer and its inFeatures for an input of the wrong width', () => {
    const layer = new Linear(3, 2);
    expect(() => layer.forward(ones([4, 5]))).toThrow(ShapeError);
    expect(() => layer.forward(ones([4, 5]))).toThrow(
      'Linear(3 -> 2).forward: input [4,5] has last axis 5, expected inFeatures 3',
    );
    expect(() => layer.forward(tensor(1))).toThrow(
      /input is a scalar, expected \[\.\.\., inFeatures 3\]/,
    );
    expect(layer.forward(ones([2, 7, 3])).shape).toEqual([2, 7, 2]);
  });

  it('Embedding looks rows up', () => {
    const e = new Embedding(4, 2);
    const rows = e.weight.toArray() as number[][];
    expect(e.forward(tensor([[3, 0]], { dtype: 'int32' })).toArray()).toEqual([[rows[3], rows[0]]]);
  });

  it('Dropout zeroes about p of the values and rescales the rest', () => {
    const d = new Dropout(0.25, new Generator(3));
    const y = d.forward(ones([10000])).toTypedArray();
    const zeros = y.filter((v) => v === 0).length;
    expect(Math.abs(zeros / 10000 - 0.25)).toBeLessThan(0.02);
    expect(y.filter((v) => v !== 0).every((v) => Math.abs(v - 1 / 0.75) < 1e-6)).toBe(true);
  });

  it('initializers follow their formulas', () => {
    const t = ones([300, 200]);
    init.xavierUniform_(t, 1, new Generator(2));
    const bound = Math.sqrt(6 / 500);
    expect(t.abs().max().item()).toBeLessThanOrEqual(bound);
    expect(Math.abs(t.var().item() - bound ** 2 / 3)).toBeLessThan(0.05 * bound ** 2);
    init.kaimingNormal_(t, { generator: new Generator(3) });
    expect(Math.abs(t.std().item() - Math.sqrt(2 / 200))).toBeLessThan(
      0.02 * Math.sqrt(2 / 200) * 5,
    );
    init.truncNormal_(t, 0, 1, -0.5, 0.5, new Generator(4));
    expect(t.abs().max().item()).toBeLessThanOrEqual(0.5);
  });
});
