/**
 * Every architecture against an independent float64 reference: small
 * random checkpoints in the Hugging Face layout are written to a folder,
 * loaded with `loadModel`, and their logits compared with plain-loop
 * references over the same weights; incremental decoding with the cache
 * must equal the full forward; save and reload keeps the logits.
 */
import { rmSync } from 'node:fs';
import { noGrad, type Tensor } from '@x/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import {
  randomGpt2,
  randomLlama,
  randomMamba,
  roundedTo,
  writeCheckpoint,
} from '../../test/checkpoints.js';
import type { RefWeights } from '../../test/reference/common.js';
import { gpt2Reference } from '../../test/reference/gpt2.js';
import { llamaReference } from '../../test/reference/llama.js';
import { mambaReference } from '../../test/reference/mamba.js';
import { loadModel, saveModel } from '../node/index.js';
import type { LanguageModel } from './language-model.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function folder(...args: Parameters<typeof writeCheckpoint>): string {
  const dir = writeCheckpoint(...args);
  dirs.push(dir);
  return dir;
}

/** Largest |a - b| between model logits [1, T, V] and reference rows. */
function maxError(logits: Tensor, reference: Float64Array[]): number {
  const values = logits.toTypedArray();
  const V = reference[0]!.length;
  let worst = 0;
  reference.forEach((row, t) => {
    for (let v = 0; v < V; v++) worst = Math.max(worst, Math.abs(values[t * V + v]! - row[v]!));
  });
  return worst;
}

const ids = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8];

type Case = {
  name: string;
  checkpoint: ReturnType<typeof randomGpt2>;
  reference: (weights: RefWeights, ids: number[]) => Float64Array[];
};

const cases: Case[] = [
  {
    name: 'gpt2',
    checkpoint: randomGpt2(),
    reference: (w, x) => gpt2Reference(randomGpt2().config as never, w, x),
  },
  {
    name: 'llama (GQA, untied head)',
    checkpoint: randomLlama(),
    reference: (w, x) => llamaReference(randomLlama().config as never, w, x),
  },
  {
    name: 'llama (tied head, rope_theta 500000)',
    checkpoint: randomLlama({ tied: true, theta: 500000, kvHeads: 1 }),
    reference: (w, x) =>
      llamaReference(randomLlama({ tied: true, theta: 500000, kvHeads: 1 }).config as never, w, x),
  },
  {
    name: 'mamba',
    checkpoint: randomMamba(),
    reference: (w, x) => mambaReference(randomMamba().config as never, w, x),
  },
  {
    name: 'mamba (state-spaces names and config)',
    checkpoint: randomMamba({ stateSpaces: true }),
    reference: (w, x) =>
      mambaReference(
        {
          hidden_size: 8,
          num_hidden_layers: 2,
          state_size: 4,
          conv_kernel: 4,
          expand: 2,
          time_step_rank: 2,
        },
        w,
        x,
      ),
  },
];

describe.each(cases)('$name', ({ checkpoint, reference }) => {
  it('loads from a Hugging Face folder and equals the float64 reference within 1e-4', async () => {
    const model = await loadModel(folder(checkpoint));
    const expected = reference(checkpoint.weights, ids);
    const { logits } = noGrad(() => model.forward([ids]));
    expect(logits.shape).toEqual([1, ids.length, expected[0]!.length]);
    expect(maxError(logits, expected)).toBeLessThan(1e-4);
  });

  it('float16 and bfloat16 files load (widened, or kept 16-bit with dtype)', async () => {
    for (const dtype of ['float16', 'bfloat16'] as const) {
      const expected = reference(roundedTo(checkpoint.weights, dtype), ids);
      const dir = folder(checkpoint, dtype);
      const widened = await loadModel(dir);
      expect(widened.embeddingWeight().dtype).toBe('float32');
      expect(maxError(noGrad(() => widened.forward([ids])).logits, expected)).toBeLessThan(1e-4);
      if (checkpoint.config.model_type === 'mamba' || !('model_type' in checkpoint.config))
        continue;
      const kept = await loadModel(dir, { dtype });
      expect(kept.embeddingWeight().dtype).toBe(dtype);
      expect(maxError(noGrad(() => kept.forward([ids])).logits, expected)).toBeLessThan(1e-4);
    }
  });

  it('decoding with the cache, one token or a few at a time, equals the full forward', async () => {
    const model = await loadModel(folder(checkpoint));
    noGrad(() => {
      const full = model.forward([ids]).logits.toTypedArray();
      const V = full.length / ids.length;
      const cache = model.createCache();
      const chunks = [5, 1, 1, 3, 1, 1];
      let at = 0;
      for (const n of chunks) {
        const step = model.forward([ids.slice(at, at + n)], { cache }).logits.toTypedArray();
        for (let i = 0; i < step.length; i++)
          expect(Math.abs(step[i]! - full[at * V + i]!)).toBeLessThan(1e-5);
        at += n;
      }
      expect(cache.length).toBe(ids.length);
    });
  });

  it('save and reload gives identical logits', async () => {
    const model = await loadModel(folder(checkpoint));
    const dir = folder(checkpoint);
    await saveModel(dir, model);
    const again = await loadModel(dir);
    noGrad(() => {
      expect(again.forward([ids]).logits.toTypedArray()).toEqual(
        model.forward([ids]).logits.toTypedArray(),
      );
    });
  });
});

describe('cache operations', () => {
  it('truncate and select return to exactly the state plain decoding has', async () => {
    for (const checkpoint of [randomGpt2(), randomLlama(), randomMamba()]) {
      const model: LanguageModel = await loadModel(folder(checkpoint));
      noGrad(() => {
        const plain = model.createCache();
        model.forward([ids.slice(0, 6)], { cache: plain });
        const expected = model.forward([[ids[6]!]], { cache: plain }).logits.toTypedArray();
        // A draft of 3 tokens of which the first 1 is accepted: keep the prefix + 1.
        const draft = model.createCache();
        model.forward([ids.slice(0, 5)], { cache: draft });
        model.forward([[ids[5]!, 7, 7]], { cache: draft });
        draft.select([0, 1, 2, 3, 4, 5]);
        expect(model.forward([[ids[6]!]], { cache: draft }).logits.toTypedArray()).toEqual(
          expected,
        );
        // truncate back and continue, on a clone
        const fork = plain.clone();
        fork.truncate(6);
        expect(model.forward([[ids[6]!]], { cache: fork }).logits.toTypedArray()).toEqual(expected);
        expect(plain.length).toBe(7);
      });
    }
  });
});
