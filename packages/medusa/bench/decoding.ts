/**
 * Plain greedy decoding against Medusa on a set of prompts, interleaved
 * prompt by prompt (plain, heads, n-grams, both), so that the load of a
 * shared machine falls on every method alike. Every Medusa output is
 * checked against the plain one token for token before it is counted.
 */
import { generate, type LanguageModel, type Tokenizer } from '@x/lm';
import { generateMedusa, type MedusaHeads, type MedusaTree } from '../src/index.js';

/** One prompt of a set, with the passages its n-grams may copy from. */
export interface BenchPrompt {
  readonly prompt: string;
  readonly passages?: readonly string[];
}

/** Totals of one method over a prompt set. */
export interface MethodFigures {
  /** Generated tokens. */
  readonly tokens: number;
  /** Milliseconds of all generations (prefill included). */
  readonly ms: number;
  readonly tokensPerSecond: number;
  /** Mean tokens per verification step (1 + kept drafts); 1 for plain decoding. */
  readonly tokensPerStep: number;
  /** Wall-clock speedup over plain decoding in the same run. */
  readonly speedup: number;
  /** Whether every output equalled plain greedy decoding's. */
  readonly identical: boolean;
  /** Mean rows verified per step. */
  readonly meanTreeSize: number;
}

/** The methods compared. */
export type Method = 'plain' | 'heads' | 'ngrams' | 'both';

/**
 * Runs every method on every prompt.
 * @param model - the base model
 * @param tokenizer - its tokenizer
 * @param heads - the heads
 * @param trees - the tree for heads only and for heads + n-grams
 * @param prompts - the prompts
 * @param maxTokens - tokens per generation (capped by the context)
 */
export async function compareDecoding(
  model: LanguageModel,
  tokenizer: Tokenizer,
  heads: MedusaHeads,
  trees: { heads: MedusaTree; both: MedusaTree },
  prompts: readonly BenchPrompt[],
  maxTokens: number,
): Promise<Record<Method, MethodFigures>> {
  const totals: Record<
    Method,
    { tokens: number; ms: number; steps: number; kept: number; rows: number; identical: boolean }
  > = {
    plain: { tokens: 0, ms: 0, steps: 0, kept: 0, rows: 0, identical: true },
    heads: { tokens: 0, ms: 0, steps: 0, kept: 0, rows: 0, identical: true },
    ngrams: { tokens: 0, ms: 0, steps: 0, kept: 0, rows: 0, identical: true },
    both: { tokens: 0, ms: 0, steps: 0, kept: 0, rows: 0, identical: true },
  };
  // warm up every path once
  await generate(model, tokenizer, prompts[0]!.prompt, { maxTokens: 8 });
  await generateMedusa(model, heads, tokenizer, prompts[0]!.prompt, {
    maxTokens: 8,
    tree: trees.both,
  });
  for (const { prompt, passages = [] } of prompts) {
    let start = performance.now();
    const plain = await generate(model, tokenizer, prompt, { maxTokens });
    totals.plain.ms += performance.now() - start;
    totals.plain.tokens += plain.ids.length;
    totals.plain.steps += plain.ids.length;
    totals.plain.rows += plain.ids.length;
    const runs = {
      heads: { heads, options: { tree: trees.heads, ngrams: false as const } },
      ngrams: { heads: null, options: { passages } },
      both: { heads, options: { tree: trees.both, passages } },
    };
    for (const [method, run] of Object.entries(runs) as [
      Exclude<Method, 'plain'>,
      (typeof runs)['heads'],
    ][]) {
      start = performance.now();
      const result = await generateMedusa(model, run.heads, tokenizer, prompt, {
        maxTokens,
        ...run.options,
      });
      const t = totals[method];
      t.ms += performance.now() - start;
      t.tokens += result.ids.length;
      t.steps += result.stats.steps;
      t.kept += result.stats.tokensPerStep * result.stats.steps;
      t.rows += result.stats.meanTreeSize * result.stats.steps;
      if (result.ids.join() !== plain.ids.join()) t.identical = false;
    }
  }
  const plainTps = (1000 * totals.plain.tokens) / totals.plain.ms;
  const figures = {} as Record<Method, MethodFigures>;
  for (const method of ['plain', 'heads', 'ngrams', 'both'] as const) {
    const t = totals[method];
    const tps = (1000 * t.tokens) / t.ms;
    figures[method] = {
      tokens: t.tokens,
      ms: t.ms,
      tokensPerSecond: tps,
      tokensPerStep: method === 'plain' ? 1 : t.kept / t.steps,
      speedup: tps / plainTps,
      identical: t.identical,
      meanTreeSize: method === 'plain' ? 1 : t.rows / t.steps,
    };
  }
  return figures;
}
