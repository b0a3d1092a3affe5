/**
 * Sampling with Medusa at temperature 0.7 against plain sampling at the
 * same temperature, on the same prompts and seeds: tokens per second, and
 * whether the text comes from the same distribution — the mean
 * log-likelihood per token of the generated text under the base model
 * (temperature 1), which should stay within 2% of plain sampling's. Run
 * with typical acceptance (the reference's) and with exact acceptance
 * (speculative sampling with point-mass drafts).
 */
import { generate, type LanguageModel, type Tokenizer } from '@x/lm';
import { logSoftmax, noGrad, tidy } from '@x/tensor';
import { generateMedusa, type MedusaHeads, type MedusaTree } from '../src/index.js';

/** What the section reports. */
export interface TypicalFigures {
  readonly samples: number;
  readonly temperature: number;
  readonly plain: { tokensPerSecond: number; meanLogLikelihood: number };
  readonly typical: { tokensPerSecond: number; meanLogLikelihood: number; tokensPerStep: number };
  /** |typical - plain| / |plain| of the mean log-likelihoods. */
  readonly relativeDifference: number;
  readonly withinTwoPercent: boolean;
  readonly speedup: number;
}

function logLikelihood(
  model: LanguageModel,
  prompt: readonly number[],
  continuation: readonly number[],
): number {
  if (continuation.length === 0) return 0;
  const ids = [...prompt, ...continuation];
  return noGrad(() =>
    tidy(() => {
      const V = model.config.vocabSize;
      const logp = logSoftmax(model.forward([ids]).logits, -1).toTypedArray();
      let total = 0;
      for (let i = 0; i < continuation.length; i++) {
        const at = prompt.length - 1 + i; // logits at position j predict token j + 1
        total += logp[at * V + continuation[i]!]!;
      }
      return total;
    }),
  );
}

/**
 * Runs the comparison.
 * @param model - the base model
 * @param tokenizer - its tokenizer
 * @param heads - the heads
 * @param tree - the tree
 * @param prompts - prompt texts (cycled through)
 * @param samples - generations per method
 * @param maxTokens - tokens per generation
 */
export async function typicalFigures(
  model: LanguageModel,
  tokenizer: Tokenizer,
  heads: MedusaHeads,
  tree: MedusaTree,
  prompts: readonly string[],
  samples: number,
  maxTokens: number,
  thresholds: {
    posteriorThreshold?: number;
    posteriorAlpha?: number;
    acceptance?: 'typical' | 'exact';
  } = {},
): Promise<TypicalFigures> {
  const temperature = 0.7;
  const totals = {
    plain: { tokens: 0, ms: 0, ll: 0 },
    typical: { tokens: 0, ms: 0, ll: 0, steps: 0, kept: 0 },
  };
  for (let s = 0; s < samples; s++) {
    const prompt = prompts[s % prompts.length]!;
    const ids = tokenizer.encode(prompt);
    const options = { maxTokens, temperature, seed: s + 1 };
    let start = performance.now();
    const plain = await generate(model, tokenizer, prompt, options);
    totals.plain.ms += performance.now() - start;
    start = performance.now();
    const typical = await generateMedusa(model, heads, tokenizer, prompt, {
      ...options,
      ...thresholds,
      tree,
      ngrams: false,
    });
    totals.typical.ms += performance.now() - start;
    totals.plain.tokens += plain.ids.length;
    totals.typical.tokens += typical.ids.length;
    totals.plain.ll += logLikelihood(model, ids, plain.ids);
    totals.typical.ll += logLikelihood(model, ids, typical.ids);
    totals.typical.steps += typical.stats.steps;
    totals.typical.kept += typical.stats.tokensPerStep * typical.stats.steps;
  }
  const plainLl = totals.plain.ll / totals.plain.tokens;
  const typicalLl = totals.typical.ll / totals.typical.tokens;
  const plainTps = (1000 * totals.plain.tokens) / totals.plain.ms;
  const typicalTps = (1000 * totals.typical.tokens) / totals.typical.ms;
  const relativeDifference = Math.abs(typicalLl - plainLl) / Math.abs(plainLl);
  return {
    samples,
    temperature,
    plain: { tokensPerSecond: plainTps, meanLogLikelihood: plainLl },
    typical: {
      tokensPerSecond: typicalTps,
      meanLogLikelihood: typicalLl,
      tokensPerStep: totals.typical.kept / totals.typical.steps,
    },
    relativeDifference,
    withinTwoPercent: relativeDifference <= 0.02,
    speedup: typicalTps / plainTps,
  };
}
