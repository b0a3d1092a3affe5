/**
 * Heads: the ResBlock and projection against a float64 loop, the fused
 * decoding runner against the module, the reference's tensor names, files
 * that round-trip, and the named errors for heads loaded onto another base
 * model or from broken files.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointOf, createModel, modelFromBytes, parseModelConfig } from '@x/lm';
import { Generator, noGrad, randn, saveSafetensors, tensor } from '@x/tensor';
import { describe, expect, it } from 'vitest';
import { BaseModelMismatchError, HeadsFormatError, MedusaValueError } from '../errors.js';
import { loadHeads, saveHeads } from '../node/heads-files.js';
import { headsCheckpoint, headsFromCheckpoint } from './heads-checkpoint.js';
import { MedusaHeads } from './medusa-heads.js';

const config = (overrides: Record<string, unknown> = {}) =>
  parseModelConfig({
    model_type: 'gpt2',
    vocab_size: 23,
    n_positions: 32,
    n_embd: 12,
    n_layer: 1,
    n_head: 2,
    ...overrides,
  });
const base = (seed = 1, overrides = {}) => createModel(config(overrides), { seed }).eval();

/** Random values into every parameter of the heads (the ResBlocks start at zero). */
function randomize(heads: MedusaHeads, seed: number) {
  const generator = new Generator(seed);
  noGrad(() => {
    for (const p of heads.parameters()) p.copy_(randn(p.shape, { generator }).mul(0.3));
  });
}

function reference(heads: MedusaHeads, k: number, h: Float64Array): Float64Array {
  let x = Array.from(h);
  const head = heads.medusa_head[k]!;
  for (const block of head.blocks) {
    const W = block.linear.weight.toArray() as number[][];
    const b = block.linear.bias!.toArray() as number[];
    x = x.map((xi, i) => {
      const z = W[i]!.reduce((acc, w, j) => acc + w * x[j]!, b[i]!);
      return xi + z / (1 + Math.exp(-z));
    });
  }
  const P = heads.projectionWeight(k).toArray() as number[][];
  return Float64Array.from(P, (row) => row.reduce((acc, w, j) => acc + w * x[j]!, 0));
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tolerance = 1e-4) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(tolerance);
};

describe('MedusaHeads', () => {
  it('start as the base model shifted: ResBlocks at zero weight, projections copied from the LM head', () => {
    const model = base();
    const heads = new MedusaHeads(model, { heads: 2 });
    for (const head of heads.medusa_head) {
      expect(head.blocks[0]!.linear.weight.toTypedArray().every((v) => v === 0)).toBe(true);
      expect(head.projection!.weight.toTypedArray()).toEqual(model.headWeight().toTypedArray());
    }
  });

  it.each([
    { layers: 1, shareLmHead: false },
    { layers: 2, shareLmHead: false },
    { layers: 1, shareLmHead: true },
  ])('logits and the fused runner equal a float64 loop (%o)', ({ layers, shareLmHead }) => {
    const model = base();
    const heads = new MedusaHeads(model, { heads: 3, layers, shareLmHead });
    randomize(heads, 2);
    const h = Float64Array.from({ length: 12 }, (_, i) => Math.sin(i + 1));
    const hidden = tensor(Float32Array.from(h), { shape: [1, 1, 12] });
    const runner = heads.runner();
    const fused = runner.logits(hidden);
    for (let k = 0; k < 3; k++) {
      const want = reference(heads, k, Float64Array.from(Float32Array.from(h)));
      close(heads.logits(k, hidden).toTypedArray(), want);
      close(fused.subarray(k * 23, (k + 1) * 23), want);
    }
    runner.dispose();
    expect(heads.forward(hidden).shape).toEqual([3, 1, 1, 23]);
    // a shared head is the base model's own, not a parameter of the heads
    expect(heads.parameterCount()).toBe(
      3 * layers * (12 * 12 + 12) + (shareLmHead ? 0 : 3 * 23 * 12),
    );
  });

  it("keeps the reference's tensor names", () => {
    const heads = new MedusaHeads(base(), { heads: 2, layers: 2 });
    expect(heads.namedParameters().map(([name]) => name)).toEqual([
      'medusa_head.0.0.linear.weight',
      'medusa_head.0.0.linear.bias',
      'medusa_head.0.1.linear.weight',
      'medusa_head.0.1.linear.bias',
      'medusa_head.0.2.weight',
      'medusa_head.1.0.linear.weight',
      'medusa_head.1.0.linear.bias',
      'medusa_head.1.1.linear.weight',
      'medusa_head.1.1.linear.bias',
      'medusa_head.1.2.weight',
    ]);
    const shared = new MedusaHeads(base(), { heads: 1, shareLmHead: true });
    expect(shared.namedParameters().map(([name]) => name)).toEqual([
      'medusa_head.0.0.linear.weight',
      'medusa_head.0.0.linear.bias',
    ]);
    expect(() => new MedusaHeads(base(), { heads: 0 })).toThrow(MedusaValueError);
  });

  it('round-trip through files, in memory and as a folder', async () => {
    const model = base();
    const heads = new MedusaHeads(model, { heads: 2, baseModel: 'char-small' });
    randomize(heads, 3);
    heads.accuracy = {
      top1: [0.5, 0.25],
      top5: [0.9, 0.6],
      rank: [
        [0.5, 0.2],
        [0.25, 0.15],
      ],
      positions: 100,
    };
    const files = headsCheckpoint(heads);
    expect(files.config).toMatchObject({
      medusa_num_heads: 2,
      medusa_num_layers: 1,
      base_model_name_or_path: 'char-small',
    });
    const h = tensor(
      Float32Array.from({ length: 12 }, (_, i) => i / 12),
      { shape: [1, 12] },
    );
    const back = headsFromCheckpoint(files.config, files.weights, model, files.accuracy);
    expect(back.logits(1, h).toTypedArray()).toEqual(heads.logits(1, h).toTypedArray());
    const dir = mkdtempSync(join(tmpdir(), 'medusa-heads-'));
    await saveHeads(dir, heads);
    const loaded = await loadHeads(dir, model);
    expect(loaded.logits(0, h).toTypedArray()).toEqual(heads.logits(0, h).toTypedArray());
    expect(loaded.accuracy).toEqual(heads.accuracy);
    expect(loaded.config.baseModel).toBe('char-small');
  });

  it('onto another base model: a BaseModelMismatchError; the same model in float16 loads', () => {
    const model = base(1);
    const heads = new MedusaHeads(model, { heads: 1, baseModel: 'char-small' });
    const { config: json, weights } = headsCheckpoint(heads);
    const retrained = base(2);
    expect(() => headsFromCheckpoint(json, weights, retrained)).toThrow(BaseModelMismatchError);
    expect(() => headsFromCheckpoint(json, weights, retrained)).toThrow(
      /belong to base model "char-small" \(fingerprint [0-9a-f]{8}\), the model given has other weights/,
    );
    expect(() => headsFromCheckpoint(json, weights, base(1, { vocab_size: 24 }))).toThrow(
      'the model given has vocab_size 24',
    );
    expect(() => headsFromCheckpoint(json, weights, base(1, { n_layer: 2 }))).toThrow(
      'num_layers 2',
    );
    const half = checkpointOf(model, { dtype: 'float16' });
    const model16 = modelFromBytes(JSON.stringify(half.config), half.weights, { dtype: 'float16' });
    expect(headsFromCheckpoint(json, weights, model16).config.numHeads).toBe(1);
  });

  it('broken files: a HeadsFormatError naming the file or tensor', async () => {
    const model = base();
    const heads = new MedusaHeads(model, { heads: 2 });
    const { config: json, weights } = headsCheckpoint(heads);
    expect(() => headsFromCheckpoint({ ...json, medusa_num_heads: 3 }, weights, model)).toThrow(
      'lacks 3 tensor(s) of 3 heads with 1 layer(s): medusa_head.2.0.linear.weight',
    );
    expect(() => headsFromCheckpoint({ ...json, medusa_num_heads: 1 }, weights, model)).toThrow(
      'holds tensor(s) the config does not describe: medusa_head.1.0.linear.bias',
    );
    expect(() => headsFromCheckpoint({ ...json, medusa_num_heads: 'x' }, weights, model)).toThrow(
      'config.json: "medusa_num_heads" must be a positive integer, got "x"',
    );
    const { base_model_signature: _, ...unsigned } = json;
    expect(() => headsFromCheckpoint(unsigned, weights, model)).toThrow(
      '"base_model_signature" is missing',
    );
    const misshaped = saveSafetensors({
      'medusa_head.0.0.linear.weight': tensor(new Float32Array(12 * 11), { shape: [12, 11] }),
      'medusa_head.0.0.linear.bias': tensor(new Float32Array(12)),
      'medusa_head.0.1.weight': tensor(new Float32Array(23 * 12), { shape: [23, 12] }),
    });
    expect(() => headsFromCheckpoint({ ...json, medusa_num_heads: 1 }, misshaped, model)).toThrow(
      'tensor "medusa_head.0.0.linear.weight" has shape [12, 11], heads of this base model need [12, 12]',
    );
    expect(() => headsFromCheckpoint(json, new Uint8Array(3), model)).toThrow(HeadsFormatError);
    await expect(loadHeads('/no/such/dir', model)).rejects.toThrow('/no/such/dir is not a folder');
    const dir = mkdtempSync(join(tmpdir(), 'medusa-heads-'));
    await expect(loadHeads(dir, model)).rejects.toThrow('cannot read');
    writeFileSync(join(dir, 'config.json'), '{ nope');
    await expect(loadHeads(dir, model)).rejects.toThrow('config.json is not valid JSON');
  });
});
