/**
 * The ONNX export run in onnxruntime-node 1.30 (the engine under
 * transformers.js): small random GPT-2 and Llama checkpoints (grouped-query
 * attention, tied and untied heads, rope_theta 500000) and a character
 * GPT give our logits for a prompt in one call, then for each decoded
 * token in one call per token over the KV cache the graph returns;
 * greedy decoding through the graph gives our tokens; padding in
 * `attention_mask` hides keys as our `attentionMask` does; Mamba is refused.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { asTensors, randomGpt2, randomLlama, randomMamba } from '../../test/checkpoints.js';
import { onnxDecoder } from '../../test/onnx-session.js';
import { ExportError } from '../errors.js';
import { modelFromCheckpoint } from '../io/checkpoint.js';
import { createModel } from '../models/build.js';
import { parseModelConfig } from '../models/config.js';
import type { LanguageModel } from '../models/language-model.js';
import { toOnnx } from './onnx.js';

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

const argmaxLast = (logits: Float32Array, V: number) => {
  const row = logits.subarray(logits.length - V);
  let best = 0;
  for (let v = 1; v < V; v++) if (row[v]! > row[best]!) best = v;
  return best;
};

const checkpoint = (c: ReturnType<typeof randomGpt2>) =>
  modelFromCheckpoint(c.config, asTensors(c.weights));
const cases: [string, LanguageModel][] = [
  ['gpt2', checkpoint(randomGpt2({ vocab: 37, D: 32, heads: 4, positions: 32 }))],
  ['llama (GQA, untied head)', checkpoint(randomLlama({ D: 32, heads: 4, kvHeads: 2, I: 48 }))],
  [
    'llama (MQA, tied head, rope_theta 500000)',
    checkpoint(randomLlama({ D: 32, heads: 4, kvHeads: 1, tied: true, theta: 500000 })),
  ],
  [
    'character GPT',
    createModel(
      parseModelConfig({
        model_type: 'gpt2',
        vocab_size: 65,
        n_positions: 64,
        n_embd: 64,
        n_layer: 2,
        n_head: 4,
      }),
      { seed: 3 },
    ).eval(),
  ],
];

describe.each(cases)('onnxruntime runs the ONNX export of %s', (_, model) => {
  it('prefill and one-token-per-call decoding over the returned cache give our logits', async () => {
    const V = model.config.vocabSize;
    const prompt = [3, 1, 4, 1, 5, 9, 2, 6];
    const decoder = await onnxDecoder(toOnnx(model));
    try {
      const ours = model.forward([prompt]).logits.toTypedArray() as Float32Array;
      expect(maxDifference(await decoder.step(prompt), ours)).toBeLessThan(1e-4);
      const sequence = [...prompt];
      for (let i = 0; i < 6; i++) {
        const next = argmaxLast(model.forward([sequence]).logits.toTypedArray() as Float32Array, V);
        const theirs = await decoder.step([next]);
        sequence.push(next);
        const full = model.forward([sequence]).logits.toTypedArray() as Float32Array;
        expect(maxDifference(theirs, full.subarray(full.length - V))).toBeLessThan(1e-4);
        expect(argmaxLast(theirs, V)).toBe(argmaxLast(full, V));
      }
    } finally {
      await decoder.release();
    }
  });
});

describe('toOnnx', () => {
  it('attention_mask zeros hide padded keys as attentionMask does (left padding, batch 2)', async () => {
    const model = cases[1]![1];
    const V = model.config.vocabSize;
    const file = toOnnx(model);
    const session = await ort.InferenceSession.create(file.bytes, { intraOpNumThreads: 1 });
    const ids = [
      [0, 0, 7, 8, 9],
      [1, 2, 3, 4, 5],
    ];
    const mask = [
      [0, 0, 1, 1, 1],
      [1, 1, 1, 1, 1],
    ];
    const positions = mask.map((row) => {
      let p = -1;
      return row.map((m) => (m ? ++p : 0));
    });
    const int64 = (rows: number[][]) =>
      new ort.Tensor('int64', BigInt64Array.from(rows.flat(), BigInt), [2, 5]);
    const empty = new ort.Tensor('float32', new Float32Array(0), [
      2,
      file.cache.kvHeads,
      0,
      file.cache.headDim,
    ]);
    const feeds: Record<string, ort.Tensor> = {
      input_ids: int64(ids),
      attention_mask: int64(mask),
      position_ids: int64(positions),
    };
    for (const name of file.inputs) if (name.startsWith('past')) feeds[name] = empty;
    const out = (await session.run(feeds)).logits!.data as Float32Array;
    const ours = model.forward(ids, { attentionMask: mask }).logits.toTypedArray() as Float32Array;
    // compare the real positions only (padded queries are don't-care in both)
    for (const [b, from] of [
      [0, 2],
      [1, 0],
    ] as const)
      for (let t = from; t < 5; t++) {
        const at = (b * 5 + t) * V;
        expect(maxDifference(out.subarray(at, at + V), ours.subarray(at, at + V))).toBeLessThan(
          1e-4,
        );
      }
    await session.release();
  });

  it('refuses Mamba', () => {
    const c = randomMamba();
    expect(() => toOnnx(checkpoint(c as never))).toThrow(ExportError);
    expect(() => toOnnx(checkpoint(c as never))).toThrow(/Mamba has no ONNX export/);
  });
});
