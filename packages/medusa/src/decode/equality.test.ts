/**
 * The promise of greedy speculative decoding: Medusa's output equals plain
 * greedy decoding token for token. Checked against @x/lm's `generate` (an
 * independent one-token-per-pass loop) on 200 prompts, each decoded with
 * heads only, n-grams only, and both; the runs must also actually accept
 * draft tokens (a decoder that never accepts would pass trivially).
 */
import { generate } from '@x/lm';
import { beforeAll, describe, expect, it } from 'vitest';
import { shakespeare, tinyHeads, tinyModel, tokenizer } from '../../test/models.js';
import type { MedusaHeads } from '../heads/medusa-heads.js';
import { medusaTree } from '../tree/medusa-tree.js';
import { generateMedusa } from './generate-medusa.js';

const PROMPTS = 200;
const MAX_TOKENS = 24;

describe('greedy Medusa equals plain greedy decoding', () => {
  let model: Awaited<ReturnType<typeof tinyModel>>;
  let heads: MedusaHeads;
  beforeAll(async () => {
    model = await tinyModel();
    heads = await tinyHeads(model);
  }, 120_000);

  it(`on ${PROMPTS} prompts, for heads only, n-grams only and both`, async () => {
    const tree = medusaTree([[0], [1], [0, 0], [0, 1], [1, 0], [0, 0, 0], [2]]);
    const modes = {
      heads: { heads, options: { tree, ngrams: false as const } },
      ngrams: { heads: null, options: { ngrams: { minMatch: 2 } } },
      both: { heads, options: { tree, ngrams: { minMatch: 2 } } },
    };
    const accepted = { heads: 0, ngrams: 0, both: 0 };
    const steps = { heads: 0, ngrams: 0, both: 0 };
    let mismatches = 0;
    for (let p = 0; p < PROMPTS; p++) {
      // prompts of 5 to 40 characters from all over the slice
      const start = (p * 7919) % (shakespeare.length - 60);
      const prompt = shakespeare.slice(start, start + 5 + (p % 36));
      const plain = await generate(model, tokenizer, prompt, { maxTokens: MAX_TOKENS });
      for (const [mode, { heads: h, options }] of Object.entries(modes) as [
        keyof typeof modes,
        (typeof modes)[keyof typeof modes],
      ][]) {
        const medusa = await generateMedusa(model, h, tokenizer, prompt, {
          maxTokens: MAX_TOKENS,
          ...options,
        });
        if (medusa.ids.join() !== plain.ids.join()) mismatches++;
        expect(medusa.ids, `${mode}, prompt ${JSON.stringify(prompt)}`).toEqual(plain.ids);
        expect(medusa.finishReason).toBe(plain.finishReason);
        accepted[mode] += medusa.ids.length - medusa.stats.steps;
        steps[mode] += medusa.stats.steps;
      }
    }
    expect(mismatches).toBe(0);
    const perStep = (mode: keyof typeof steps) =>
      ((steps[mode] + accepted[mode]) / steps[mode]).toFixed(2);
    console.log(
      `tokens per step over ${PROMPTS} prompts: heads ${perStep('heads')}, n-grams ${perStep('ngrams')}, both ${perStep('both')}`,
    );
    // each mode kept a good share of draft tokens: mean tokens per step well above 1
    for (const mode of ['heads', 'ngrams', 'both'] as const)
      expect((steps[mode] + accepted[mode]) / steps[mode], mode).toBeGreaterThan(1.3);
  }, 600_000);
});
