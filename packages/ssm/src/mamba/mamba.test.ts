import {
  getBackend,
  listBackends,
  loadSafetensors,
  manualSeed,
  noGrad,
  randn,
  saveSafetensors,
  setBackend,
  tensor,
} from '@x/tensor';
import { describe, expect, it } from 'vitest';
import { SsmValueError } from '../errors.js';
import { gradcheckParameters } from '../test/module-gradcheck.js';
import { Mamba } from './mamba.js';
import { MambaLM } from './mamba-lm.js';

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('Mamba block', () => {
  it('has the reference defaults and parameter names / shapes (mamba_simple.py)', () => {
    const block = new Mamba(40);
    expect(block.config).toMatchObject({ dState: 16, dConv: 4, expand: 2, dtRank: 3, dInner: 80 });
    const shapes = Object.fromEntries(block.namedParameters().map(([n, p]) => [n, p.shape]));
    expect(shapes).toEqual({
      A_log: [80, 16],
      D: [80],
      'in_proj.weight': [160, 40],
      'conv1d.weight': [80, 1, 4],
      'conv1d.bias': [80],
      'x_proj.weight': [3 + 32, 80],
      'dt_proj.weight': [80, 3],
      'dt_proj.bias': [80],
      'out_proj.weight': [40, 80],
    });
  });

  it('initializes A = -(1..d_state) and softplus(dt_proj.bias) inside [dt_min, dt_max]', () => {
    const block = new Mamba(16, { seed: 1 });
    const A = block.A_log.exp().toArray() as number[][];
    expect(A[5]!.map(Math.round)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    for (const b of block.dt_proj.bias!.toTypedArray()) {
      const dt = Math.log1p(Math.exp(b));
      expect(dt).toBeGreaterThanOrEqual(0.001 - 1e-6);
      expect(dt).toBeLessThanOrEqual(0.1 + 1e-6);
    }
  });

  it('step-by-step decoding equals the full-sequence forward', () => {
    manualSeed(1);
    const block = new Mamba(16, { seed: 3 });
    const x = randn([2, 11, 16]);
    noGrad(() => {
      const y = block.forward(x).toTypedArray();
      let state = block.initialState(2);
      for (let t = 0; t < 11; t++) {
        const r = block.step(x.select(1, t), state);
        state = r.state;
        const yt = r.y.toTypedArray();
        for (let b = 0; b < 2; b++)
          for (let c = 0; c < 16; c++)
            expect(Math.abs(yt[b * 16 + c]! - y[(b * 11 + t) * 16 + c]!)).toBeLessThan(1e-5);
      }
    });
  });

  it.each([2, 7])('prefill of %i tokens, then steps, equals the full forward', (prefix) => {
    manualSeed(2);
    const block = new Mamba(8, { seed: 4 });
    const x = randn([1, 9, 8]);
    noGrad(() => {
      const y = block.forward(x).toTypedArray();
      let state = block.forwardWithState(x.narrow(1, 0, prefix)).state!;
      for (let t = prefix; t < 9; t++) {
        const r = block.step(x.select(1, t), state);
        state = r.state;
        expect(maxDiff(r.y.toTypedArray(), y.subarray(t * 8, t * 8 + 8))).toBeLessThan(1e-5);
      }
    });
  });

  it('the parallel-scan block equals the sequential-scan block', () => {
    manualSeed(3);
    const x = randn([2, 20, 16]);
    noGrad(() => {
      const a = new Mamba(16, { seed: 5 }).forward(x).toTypedArray();
      const b = new Mamba(16, { seed: 5, scan: 'parallel', chunkSize: 8 })
        .forward(x)
        .toTypedArray();
      expect(maxDiff(a, b)).toBeLessThan(1e-5);
    });
  });

  it.each(['sequential', 'parallel'] as const)(
    'every parameter passes gradcheck in float64 (%s scan)',
    (scan) => {
      manualSeed(4);
      const block = new Mamba(4, { dState: 3, seed: 2, scan, chunkSize: 2, dtype: 'float64' });
      const x = randn([2, 5, 4], { dtype: 'float64' });
      const names = block.namedParameters().map(([n]) => n);
      const r = gradcheckParameters(block, names, () => block.forward(x));
      expect(r.failures).toEqual([]);
    },
  );

  it('state dicts round-trip through safetensors under the reference names', () => {
    const a = new MambaLM({ vocabSize: 10, dModel: 8, nLayers: 2, seed: 1 });
    const b = new MambaLM({ vocabSize: 10, dModel: 8, nLayers: 2, seed: 2 });
    const keys = Object.keys(a.stateDict());
    expect(keys).toContain('backbone.layers.1.mixer.A_log');
    expect(keys).toContain('backbone.layers.0.mixer.in_proj.weight');
    expect(keys).toContain('backbone.layers.0.norm.weight');
    expect(keys).toContain('backbone.norm_f.weight');
    expect(keys).toContain('backbone.embedding.weight');
    b.loadStateDict(loadSafetensors(saveSafetensors(a.stateDict())).tensors);
    const ids = tensor([[1, 2, 3, 4]], { dtype: 'int32' });
    noGrad(() =>
      expect(maxDiff(a.forward(ids).toTypedArray(), b.forward(ids).toTypedArray())).toBe(0),
    );
  });

  it('rejects bad options and inputs', () => {
    expect(() => new Mamba(16, { dtMin: 0.2, dtMax: 0.1 })).toThrow(SsmValueError);
    expect(() => new Mamba(16, { scan: 'fast' as never })).toThrow(/scan must be one of/);
    expect(() => new Mamba(16).forward(randn([1, 4, 8]))).toThrow(
      /x must have shape \[\*, \*, 16\], got \[1, 4, 8\]/,
    );
  });
});

describe('MambaLM', () => {
  it('decoding with step equals the forward logits', () => {
    const model = new MambaLM({ vocabSize: 7, dModel: 16, nLayers: 2, seed: 3 });
    const ids = tensor([[1, 5, 2, 6, 0, 3]], { dtype: 'int32' });
    noGrad(() => {
      const logits = model.forward(ids).toTypedArray();
      let state = model.initialState(1);
      for (let t = 0; t < 6; t++) {
        const r = model.step(ids.select(1, t), state);
        state = r.state;
        expect(maxDiff(r.logits.toTypedArray(), logits.subarray(t * 7, t * 7 + 7))).toBeLessThan(
          1e-5,
        );
      }
    });
  });

  it('untied heads add lm_head.weight; the S4D mixer decodes too', () => {
    const model = new MambaLM({
      vocabSize: 5,
      dModel: 8,
      nLayers: 1,
      mixer: 's4d',
      tieEmbeddings: false,
    });
    expect(Object.keys(model.stateDict())).toContain('lm_head.weight');
    const ids = tensor([[1, 2, 3]], { dtype: 'int32' });
    noGrad(() => {
      const logits = model.forward(ids).toTypedArray();
      let state = model.initialState(1);
      for (let t = 0; t < 3; t++) {
        const r = model.step(ids.select(1, t), state);
        state = r.state;
        expect(maxDiff(r.logits.toTypedArray(), logits.subarray(t * 5, t * 5 + 5))).toBeLessThan(
          1e-5,
        );
      }
    });
  });
});

describe('backends', () => {
  it('a model built on js runs forward, backward and decoding on js while another backend is the default', () => {
    const previous = getBackend().name;
    setBackend('js');
    manualSeed(5);
    const model = new Mamba(8, { dState: 4 });
    const x = randn([1, 6, 8]);
    setBackend(listBackends().includes('wasm') ? 'wasm' : previous);
    try {
      const y = model.forward(x);
      y.square().mean().backward();
      expect(y.backend).toBe('js');
      for (const p of model.parameters()) expect(p.grad?.backend).toBe('js');
      const { y: step } = model.step(x.select(1, 0), model.initialState(1));
      expect(step.backend).toBe('js');
    } finally {
      setBackend(previous);
    }
  });
});
