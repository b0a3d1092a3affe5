/**
 * Batched prompts of different lengths (left padding with an attention
 * mask) give the same logits as each prompt alone, during the prompt and
 * during cached decoding; a draft tree verified in one pass under a tree
 * mask gives each node the logits of its branch decoded alone.
 */
import { treeMask, treePositions } from '@x/attention';
import { noGrad } from '@x/tensor';
import { describe, expect, it } from 'vitest';
import { asTensors, randomGpt2, randomLlama, randomMamba } from '../../test/checkpoints.js';
import { modelFromCheckpoint } from '../io/checkpoint.js';

const models = {
  gpt2: () => modelFromCheckpoint(randomGpt2().config, asTensors(randomGpt2().weights)),
  llama: () => modelFromCheckpoint(randomLlama().config, asTensors(randomLlama().weights)),
  mamba: () => modelFromCheckpoint(randomMamba().config, asTensors(randomMamba().weights)),
};

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tolerance = 1e-5) => {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  expect(worst).toBeLessThan(tolerance);
};

describe.each(Object.entries(models))('%s', (_, make) => {
  it('left-padded batch equals each prompt alone, in the prompt and in cached decoding', () => {
    const model = make();
    const prompts = [
      [5, 6, 7, 8, 9],
      [1, 2],
      [3, 4, 5],
    ];
    const T = 5;
    const pad = 0;
    noGrad(() => {
      const ids = prompts.map((p) => [...Array(T - p.length).fill(pad), ...p]);
      const mask = prompts.map((p) => [...Array(T - p.length).fill(0), ...p.map(() => 1)]);
      const cache = model.createCache({ batch: 3 });
      const batched = model.forward(ids, { cache, attentionMask: mask }).logits;
      const next = [[10], [11], [12]];
      const stepped = model.forward(next, { cache }).logits;
      const V = model.config.vocabSize;
      prompts.forEach((prompt, b) => {
        const alone = model.createCache();
        const own = model.forward([prompt], { cache: alone }).logits.toTypedArray();
        const rows = batched
          .narrow(0, b, 1)
          .narrow(1, T - prompt.length, prompt.length)
          .toTypedArray();
        close(rows, own);
        const ownNext = model.forward([next[b]!], { cache: alone }).logits.toTypedArray();
        close(stepped.narrow(0, b, 1).toTypedArray(), ownNext);
        expect(ownNext.length).toBe(V);
      });
    });
  });
});

describe.each(['gpt2', 'llama'] as const)('tree verification (%s)', (name) => {
  it('each node of a draft tree gets the logits of its branch decoded alone', () => {
    const model = models[name]();
    const prefix = [4, 8, 15, 16];
    // node: token, parent (-1 = after the prefix)
    const tokens = [23, 32, 7, 9, 11];
    const parents = [-1, -1, 0, 0, 2];
    noGrad(() => {
      const cache = model.createCache();
      model.forward([prefix], { cache });
      const L = cache.length;
      const tree = model.forward([tokens], {
        cache,
        mask: treeMask(parents, L),
        positions: treePositions(parents, L),
      }).logits;
      const V = model.config.vocabSize;
      tokens.forEach((_, node) => {
        const path: number[] = [];
        for (let n = node; n !== -1; n = parents[n]!) path.unshift(tokens[n]!);
        const alone = model.forward([[...prefix, ...path]]).logits;
        close(
          tree.narrow(1, node, 1).toTypedArray(),
          alone.narrow(1, prefix.length + path.length - 1, 1).toTypedArray(),
        );
      });
      // accept the path 0 -> 2 -> 4 and keep decoding: equals plain decoding of that path
      cache.select([0, 1, 2, 3, L + 0, L + 2, L + 4]);
      const after = model.forward([[3]], { cache }).logits.toTypedArray();
      const plain = model
        .forward([[...prefix, 23, 7, 11, 3]])
        .logits.narrow(1, 7, 1)
        .toTypedArray();
      close(after, plain);
      expect(after.length).toBe(V);
    });
  });
});
