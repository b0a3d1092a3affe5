/**
 * The real proof of the GGUF export: llama.cpp itself (node-llama-cpp
 * 3.21.1, its prebuilt CPU binary, one thread) loads the files written from
 * small random checkpoints of each architecture and from a character-level
 * GPT, tokenizes text as we do, gives the same next-token distributions at
 * every position, and greedy-decodes the same tokens. Q8_0 files are
 * compared with our model running on the dequantized Q8_0 weights (what
 * the file holds); llama.cpp also rounds activations to 8 bits in its
 * Q8_0 dot products, hence the looser bound there. Skipped, with the
 * reason printed, where node-llama-cpp's binary cannot load.
 */

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { noGrad, type Tensor, tensor } from '@x/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asTensors, randomGpt2, randomLlama, randomMamba } from '../../test/checkpoints.js';
import { writeGgufFile } from '../../test/gguf-file.js';
import { modelFromCheckpoint } from '../io/checkpoint.js';
import { createModel } from '../models/build.js';
import { parseModelConfig, toHfConfig } from '../models/config.js';
import type { LanguageModel } from '../models/language-model.js';
import { loadModel } from '../node/model-files.js';
import { loadTokenizer } from '../node/tokenizer-files.js';
import { trainBpe } from '../tokenizers/bpe-trainer.js';
import { CharTokenizer } from '../tokenizers/char-tokenizer.js';
import type { Tokenizer } from '../tokenizers/tokenizer.js';
import { type GgufFileType, toGguf } from './gguf.js';
import { dequantizeQ8_0, quantizeQ8_0 } from './gguf-encode.js';

type NodeLlamaCpp = typeof import('node-llama-cpp');
type Llama = Awaited<ReturnType<NodeLlamaCpp['getLlama']>>;

let llama: Llama | null = null;
let skipReason = '';
beforeAll(async () => {
  try {
    const { getLlama } = await import('node-llama-cpp');
    llama = await getLlama({ gpu: false, build: 'never', logLevel: 'error' as never });
  } catch (error) {
    skipReason = `node-llama-cpp cannot load its CPU binary here: ${(error as Error).message}`;
    console.warn(`skipping the llama.cpp checks: ${skipReason}`);
  }
}, 120_000);
afterAll(async () => {
  await llama?.dispose();
});

const corpus = 'To be, or not to be: that is the question.\nWhether tis nobler — café 中文 ok\n';
const text = 'To be — or not: café 中文\nok';

/** Softmax of each row of [T, V] logits. */
function softmaxRows(logits: Float32Array, T: number, V: number): Float64Array[] {
  return Array.from({ length: T }, (_, t) => {
    const row = logits.subarray(t * V, (t + 1) * V);
    const max = Math.max(...row);
    const e = Float64Array.from(row, (x) => Math.exp(x - max));
    const z = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / z);
  });
}

/** Our greedy continuation of `ids` for `n` tokens (full forward each step: the plainest reference). */
function greedy(model: LanguageModel, ids: number[], n: number): number[] {
  const seq = [...ids];
  const V = model.config.vocabSize;
  for (let i = 0; i < n; i++) {
    const logits = model.forward([seq]).logits.toTypedArray() as Float32Array;
    const row = logits.subarray((seq.length - 1) * V, seq.length * V);
    let best = 0;
    for (let v = 1; v < V; v++) if (row[v]! > row[best]!) best = v;
    seq.push(best);
  }
  return seq.slice(ids.length);
}

interface Peer {
  tokenize(text: string): number[];
  probabilities(ids: number[]): Promise<Map<number, number>[]>;
  greedy(ids: number[], n: number): Promise<number[]>;
  dispose(): Promise<void>;
}

async function peer(model: LanguageModel, tokenizer: Tokenizer, type: GgufFileType): Promise<Peer> {
  const path = writeGgufFile(toGguf(model, { tokenizer, type }).parts, `model.${type}.gguf`);
  const lm = await llama!.loadModel({ modelPath: path });
  const context = await lm.createContext({ contextSize: 256, threads: 1, sequences: 1 });
  const sequence = context.getSequence();
  return {
    tokenize: (s) => [...lm.tokenize(s)] as number[],
    async probabilities(ids) {
      await sequence.clearHistory();
      const out = await sequence.controlledEvaluate(
        ids.map((id) => [id as never, { generateNext: { probabilities: true } }]),
      );
      return out.map((o) => o!.next.probabilities! as Map<number, number>);
    },
    async greedy(ids, n) {
      await sequence.clearHistory();
      const tokens: number[] = [];
      for await (const token of sequence.evaluate(ids as never[], { temperature: 0 })) {
        tokens.push(token as number);
        if (tokens.length === n) break;
      }
      return tokens;
    },
    dispose: async () => {
      await context.dispose();
      await lm.dispose();
    },
  };
}

async function maxProbabilityError(model: LanguageModel, p: Peer, ids: number[]): Promise<number> {
  const V = model.config.vocabSize;
  const ours = softmaxRows(
    model.forward([ids]).logits.toTypedArray() as Float32Array,
    ids.length,
    V,
  );
  const theirs = await p.probabilities(ids);
  let worst = 0;
  ours.forEach((row, t) => {
    row.forEach((q, v) => {
      worst = Math.max(worst, Math.abs(q - (theirs[t]!.get(v) ?? 0)));
    });
  });
  return worst;
}

/** Our model with each weight matrix replaced by what a Q8_0 file holds for it (rows of the llama.cpp layout). */
function dequantizedCopy(model: LanguageModel): LanguageModel {
  const tensors: Record<string, Tensor> = {};
  noGrad(() => {
    for (const [name, t] of Object.entries(model.stateDict())) {
      const values = Float32Array.from(t.toTypedArray() as Float32Array);
      // GPT-2's Conv1D is [in, out]: llama.cpp's rows are its columns
      const conv1d = /\.(c_attn|c_proj|c_fc)\.weight$/.test(name);
      const width = conv1d ? t.shape[0]! : t.shape[t.rank - 1]!;
      const keep = t.rank < 2 || /wpe|conv1d|x_proj|dt_proj/.test(name) || width % 32 !== 0;
      if (!keep && conv1d) {
        const [r, c] = t.shape as [number, number];
        const rows = new Float32Array(values.length);
        for (let i = 0; i < r; i++)
          for (let j = 0; j < c; j++) rows[j * r + i] = values[i * c + j]!;
        const back = dequantizeQ8_0(quantizeQ8_0(rows));
        for (let i = 0; i < r; i++)
          for (let j = 0; j < c; j++) values[i * c + j] = back[j * r + i]!;
      } else if (!keep) values.set(dequantizeQ8_0(quantizeQ8_0(values)));
      tensors[name] = tensor(values, { shape: [...t.shape] });
    }
  });
  return modelFromCheckpoint(toHfConfig(model.config), tensors);
}

interface Case {
  name: string;
  model: LanguageModel;
  tokenizer: Tokenizer;
}

function cases(): Case[] {
  const bpe = trainBpe(corpus.repeat(3), {
    vocabSize: 300,
    specialTokens: ['<|endoftext|>'],
  }).tokenizer;
  const chars = CharTokenizer.fromCorpus(corpus);
  const fromCheckpoint = (ckpt: ReturnType<typeof randomGpt2>) =>
    modelFromCheckpoint(ckpt.config, asTensors(ckpt.weights));
  const gpt2 = fromCheckpoint(randomGpt2({ vocab: 300, D: 64, heads: 4, positions: 64 }));
  const llamaModel = fromCheckpoint(
    randomLlama({ vocab: chars.vocabSize, D: 64, heads: 4, kvHeads: 2, I: 96 }),
  );
  const mamba = fromCheckpoint(randomMamba({ vocab: chars.vocabSize, D: 32, N: 8 }));
  const charGpt = createModel(
    parseModelConfig({
      model_type: 'gpt2',
      vocab_size: chars.vocabSize,
      n_positions: 64,
      n_embd: 64,
      n_layer: 2,
      n_head: 4,
    }),
    { seed: 7 },
  ).eval();
  return [
    { name: 'gpt2 (byte-level BPE)', model: gpt2, tokenizer: bpe },
    { name: 'llama (GQA, untied head, characters)', model: llamaModel, tokenizer: chars },
    { name: 'mamba (characters)', model: mamba, tokenizer: chars },
    { name: 'character-level GPT (as x-lm train makes)', model: charGpt, tokenizer: chars },
  ];
}

describe.each(cases())('llama.cpp runs the export of $name', ({ model, tokenizer }) => {
  it('f32: same tokens for text, same next-token distributions, same greedy continuation', async (ctx) => {
    if (!llama) return ctx.skip(skipReason);
    const p = await peer(model, tokenizer, 'f32');
    try {
      const ids = tokenizer.encode(text);
      expect(p.tokenize(text)).toEqual(ids);
      const error = await maxProbabilityError(model, p, ids);
      console.log(`f32 max |p - p_llama.cpp| = ${error.toExponential(2)}`);
      expect(error).toBeLessThan(2e-3); // llama.cpp keeps its KV cache in float16
      expect(await p.greedy(ids, 12)).toEqual(greedy(model, ids, 12));
    } finally {
      await p.dispose();
    }
  });

  it('f16 and q8_0: distributions close to our model on the weights the file holds', async (ctx) => {
    if (!llama) return ctx.skip(skipReason);
    const ids = tokenizer.encode(text);
    const f16 = await peer(model, tokenizer, 'f16');
    try {
      const error = await maxProbabilityError(model, f16, ids);
      console.log(`f16 max |p - p_llama.cpp| = ${error.toExponential(2)}`);
      expect(error).toBeLessThan(5e-3);
    } finally {
      await f16.dispose();
    }
    const q8 = await peer(model, tokenizer, 'q8_0');
    try {
      const dequantized = dequantizedCopy(model);
      const error = await maxProbabilityError(dequantized, q8, ids);
      const vsF32 = await maxProbabilityError(model, q8, ids);
      console.log(
        `q8_0 max |p - p_llama.cpp| = ${error.toExponential(2)} (against the f32 model ${vsF32.toExponential(2)})`,
      );
      // the random checkpoints have large activations, which llama.cpp's 8-bit activation rounding shows up on
      expect(error).toBeLessThan(5e-2);
      const V = model.config.vocabSize;
      const logits = dequantized.forward([ids]).logits.toTypedArray() as Float32Array;
      const theirs = await q8.probabilities(ids);
      for (let t = 0; t < ids.length; t++) {
        const row = [...logits.subarray(t * V, (t + 1) * V)];
        const order = row.map((_, v) => v).sort((a, b) => row[b]! - row[a]!);
        if (row[order[0]!]! - row[order[1]!]! < 0.5) continue; // not a confident position
        expect(theirs[t]!.entries().next().value![0]).toBe(order[0]);
      }
    } finally {
      await q8.dispose();
    }
  });
});

const bundled = fileURLToPath(new URL('../../models/char-shakespeare', import.meta.url));

describe('llama.cpp runs the export of the bundled model', () => {
  it('f32 gives our greedy continuation of a prompt; q8_0 stays close', async (ctx) => {
    if (!llama) return ctx.skip(skipReason);
    if (!existsSync(bundled)) {
      console.warn(`skipping: the bundled model is not at ${bundled}`);
      return ctx.skip('the bundled model is absent');
    }
    const model = await loadModel(bundled);
    const tokenizer = await loadTokenizer(bundled);
    const ids = tokenizer.encode('ROMEO:\nWhat say you, my lord?');
    const f32 = await peer(model, tokenizer, 'f32');
    try {
      expect(f32.tokenize('ROMEO:\nWhat say you, my lord?')).toEqual(ids);
      expect(await maxProbabilityError(model, f32, ids)).toBeLessThan(1e-3);
      expect(await f32.greedy(ids, 40)).toEqual(greedy(model, ids, 40));
    } finally {
      await f32.dispose();
    }
    const q8 = await peer(model, tokenizer, 'q8_0');
    try {
      const error = await maxProbabilityError(dequantizedCopy(model), q8, ids);
      console.log(`bundled model q8_0 max |p - p_llama.cpp| = ${error.toExponential(2)}`);
      expect(error).toBeLessThan(1e-2);
    } finally {
      await q8.dispose();
    }
  });
});
