/**
 * GAU and FLASH layers against a float64 reference written as loops from
 * the paper's definitions (with the layers' own parameters), causality,
 * gradients, and FLASH training as a transformer layer on a toy task.
 */
import {
  AdamW,
  crossEntropy,
  Embedding,
  Generator,
  Linear,
  Module,
  noGrad,
  randn,
  type Tensor,
  tensor,
} from '@x/tensor';
import { describe, expect, it } from 'vitest';
import { AttentionShapeError } from './errors.js';
import { GatedAttentionUnit } from './modules/gau.js';
import { MixedChunkAttention } from './modules/mixed-chunk.js';
import type { ScaleOffset } from './modules/scale-offset.js';
import { maxAbsDiff } from './test/reference.js';

type Layer = GatedAttentionUnit | MixedChunkAttention;

const values = (t: Tensor) => Array.from(t.toTypedArray());

/** Rotates pairs (i, i + s/2) of a row at position pos (RoPE, half style, base 10000). */
function ropeRow(row: number[], pos: number): number[] {
  const s = row.length;
  const out = row.slice();
  for (let i = 0; i < s / 2; i++) {
    const angle = pos * 10000 ** ((-2 * i) / s);
    out[i] = row[i]! * Math.cos(angle) - row[i + s / 2]! * Math.sin(angle);
    out[i + s / 2] = row[i]! * Math.sin(angle) + row[i + s / 2]! * Math.cos(angle);
  }
  return out;
}

const dot = (a: number[], b: number[]) => a.reduce((acc, x, i) => acc + x * b[i]!, 0);
const silu = (x: number) => x / (1 + Math.exp(-x));
const relu2 = (x: number) => Math.max(x, 0) ** 2;

/** x + (U * mixed) W_out + b with U, V, Z from LayerNorm and the projection, in float64 loops. */
function referenceLayer(layer: Layer, x: Tensor): Float64Array {
  const [B, N, dim] = x.shape as [number, number, number];
  const { expansion: e, sharedDim: s } = layer;
  const X = values(x);
  const W = values(layer.projection.weight);
  const bias = values(layer.projection.bias!);
  const Wo = values(layer.output.weight);
  const bo = values(layer.output.bias!);
  const lnW = values(layer.norm.weight!);
  const lnB = values(layer.norm.bias!);
  const transforms: ScaleOffset[] =
    layer instanceof GatedAttentionUnit
      ? [layer.query, layer.key]
      : [layer.quadQuery, layer.quadKey, layer.linQuery, layer.linKey];
  const out = new Float64Array(B * N * dim);
  for (let b = 0; b < B; b++) {
    const U: number[][] = [];
    const V: number[][] = [];
    const T: number[][][] = transforms.map(() => []);
    for (let n = 0; n < N; n++) {
      const row = X.slice((b * N + n) * dim, (b * N + n + 1) * dim);
      const mean = row.reduce((a, c) => a + c, 0) / dim;
      const variance = row.reduce((a, c) => a + (c - mean) ** 2, 0) / dim;
      const h = row.map((c, i) => ((c - mean) / Math.sqrt(variance + 1e-5)) * lnW[i]! + lnB[i]!);
      const act = Array.from({ length: 2 * e + s }, (_, o) =>
        silu(dot(h, W.slice(o * dim, (o + 1) * dim)) + bias[o]!),
      );
      U.push(act.slice(0, e));
      V.push(act.slice(e, 2 * e));
      const z = act.slice(2 * e);
      transforms.forEach((t, ti) => {
        const g = values(t.gamma);
        const be = values(t.beta);
        const y = z.map((zi, i) => zi * g[i]! + be[i]!);
        T[ti]!.push(layer.useRope ? ropeRow(y, n) : y);
      });
    }
    for (let i = 0; i < N; i++) {
      const mixed = new Array<number>(e).fill(0);
      const add = (w: number, j: number) => V[j]!.forEach((vj, c) => (mixed[c]! += w * vj));
      if (layer instanceof GatedAttentionUnit) {
        for (let j = 0; j < N; j++)
          if (!layer.causal || j <= i) add(relu2(dot(T[0]![i]!, T[1]![j]!) / N), j);
      } else {
        const C = Math.min(layer.chunkSize, N);
        const chunk = Math.floor(i / C);
        for (let j = 0; j < N; j++) {
          const same = Math.floor(j / C) === chunk;
          if (same && (!layer.causal || j <= i)) add(relu2(dot(T[0]![i]!, T[1]![j]!) / C), j);
          if (layer.causal ? Math.floor(j / C) < chunk : true)
            add(dot(T[2]![i]!, T[3]![j]!) / (layer.causal ? C : N), j);
        }
      }
      const gated = mixed.map((m, c) => m * U[i]![c]!);
      for (let o = 0; o < dim; o++)
        out[(b * N + i) * dim + o] =
          X[(b * N + i) * dim + o]! + dot(gated, Wo.slice(o * e, (o + 1) * e)) + bo[o]!;
    }
  }
  return out;
}

/** Larger scale / offset values than the paper's N(0, 0.02) init, so attention matters in the comparison. */
function randomizeScaleOffsets(layer: Layer, seed: number): void {
  const generator = new Generator(seed);
  noGrad(() => {
    for (const [name, p] of layer.namedParameters()) {
      if (name.endsWith('gamma')) p.copy_(randn(p.shape, { dtype: p.dtype, generator }));
      if (name.endsWith('beta')) p.copy_(randn(p.shape, { dtype: p.dtype, generator }).mul(0.3));
    }
  });
}

const layers: [string, () => Layer, number][] = [
  [
    'GAU',
    () =>
      new GatedAttentionUnit(6, { sharedDim: 4, generator: new Generator(1), dtype: 'float64' }),
    9,
  ],
  [
    'GAU causal, no RoPE',
    () =>
      new GatedAttentionUnit(6, {
        sharedDim: 4,
        causal: true,
        rope: false,
        generator: new Generator(2),
        dtype: 'float64',
      }),
    9,
  ],
  [
    'FLASH',
    () =>
      new MixedChunkAttention(6, {
        sharedDim: 4,
        chunkSize: 4,
        generator: new Generator(3),
        dtype: 'float64',
      }),
    11,
  ],
  [
    'FLASH causal',
    () =>
      new MixedChunkAttention(6, {
        sharedDim: 4,
        chunkSize: 4,
        causal: true,
        generator: new Generator(4),
        dtype: 'float64',
      }),
    11,
  ],
  [
    'FLASH causal, one chunk',
    () =>
      new MixedChunkAttention(6, {
        sharedDim: 4,
        chunkSize: 64,
        causal: true,
        generator: new Generator(5),
        dtype: 'float64',
      }),
    7,
  ],
];

describe('GAU and FLASH against the paper definitions (float64)', () => {
  for (const [name, make, N] of layers) {
    it(name, () => {
      const layer = make();
      randomizeScaleOffsets(layer, 10);
      const x = randn([2, N, 6], { dtype: 'float64', generator: new Generator(11) });
      const out = layer.forward(x);
      expect(out.shape).toEqual([2, N, 6]);
      expect(maxAbsDiff(out.toTypedArray(), referenceLayer(layer, x))).toBeLessThanOrEqual(1e-12);
    });
  }
  it('causal layers do not look ahead', () => {
    for (const layer of [
      new MixedChunkAttention(6, { sharedDim: 4, chunkSize: 3, causal: true }),
      new GatedAttentionUnit(6, { sharedDim: 4, causal: true }),
    ]) {
      randomizeScaleOffsets(layer, 12);
      const x = randn([1, 10, 6], { generator: new Generator(13) });
      const bits = Float32Array.from(x.toTypedArray());
      bits.fill(5, 7 * 6); // change positions 7..9
      const a = layer.forward(x).narrow(1, 0, 7).toTypedArray();
      const b = layer
        .forward(tensor(bits, { shape: [1, 10, 6] }))
        .narrow(1, 0, 7)
        .toTypedArray();
      expect(maxAbsDiff(a, b)).toBe(0);
    }
  });
  it('rejects inputs of the wrong width', () => {
    expect(() => new GatedAttentionUnit(8).forward(randn([1, 4, 6]))).toThrow(AttentionShapeError);
  });
});

class TinyModel extends Module {
  embed = new Embedding(8, 32, { generator: new Generator(20) });
  layer = new MixedChunkAttention(32, {
    sharedDim: 16,
    chunkSize: 8,
    causal: true,
    generator: new Generator(21),
  });
  head = new Linear(32, 8, { generator: new Generator(22) });
  forward(ids: Tensor): Tensor {
    return this.head.forward(this.layer.forward(this.embed.forward(ids)));
  }
}

describe('FLASH as a transformer layer', () => {
  it('learns to copy the previous token (loss falls below a third)', () => {
    const model = new TinyModel();
    noGrad(() => {
      // gamma ~ N(0, 1) instead of the paper's N(0, 0.02), where relu^2 starts with ~0 gradient: a short run
      const generator = new Generator(5);
      for (const [name, p] of model.layer.namedParameters())
        if (name.endsWith('gamma')) p.copy_(randn(p.shape, { generator }));
    });
    const optimizer = new AdamW(model.parameters(), { lr: 0.03, weightDecay: 0 });
    const generator = new Generator(23);
    const losses: number[] = [];
    for (let step = 0; step < 90; step++) {
      const ids = Int32Array.from({ length: 4 * 20 }, () => Math.floor(generator.uniform() * 8));
      const targets = ids.map((_, i) => (i % 20 === 0 ? ids[i]! : ids[i - 1]!));
      const logits = model.forward(tensor(ids, { shape: [4, 20], dtype: 'int32' }));
      const loss = crossEntropy(logits.reshape(80, 8), tensor(targets, { dtype: 'int32' }));
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      losses.push(loss.item());
    }
    const first = losses.slice(0, 5).reduce((a, b) => a + b) / 5;
    const last = losses.slice(-5).reduce((a, b) => a + b) / 5;
    expect(last).toBeLessThan(first / 3);
  });
});
