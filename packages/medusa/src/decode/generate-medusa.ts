/**
 * Text generation with Medusa: `streamMedusa` (an async iterator of steps:
 * the text each step added, its tokens and statistics) and
 * `generateMedusa` (the whole continuation), over @x/lm's models and
 * tokenizers, with @x/lm's prompt encoding, stop ids, stop strings and
 * held-back streaming text (`TextTracker`), so the text equals what
 * @x/lm's `generate` gives under greedy decoding.
 *
 * The tree: `tree: 'auto'` (the default when the heads carry measured
 * accuracies) measures the step cost on this machine once per model and
 * heads and picks the tree with the most expected tokens per second;
 * a path list or a `MedusaTree` fixes it. N-gram branches from the prompt,
 * the continuation and `passages` are on by default.
 */
import {
  type FinishReason,
  type LanguageModel,
  promptIds,
  stopIdsOf,
  TextTracker,
  type Tokenizer,
} from '@x/lm';
import { MedusaValueError } from '../errors.js';
import type { MedusaHeads } from '../heads/medusa-heads.js';
import type { NgramOptions } from '../ngram/prompt-lookup.js';
import { type ResolvedNgramOptions, resolveNgramOptions } from '../ngram/prompt-lookup.js';
import { chooseTree, measurePassCost, type TreeChoice } from '../tree/auto-tree.js';
import { DEFAULT_CPU_CHOICES } from '../tree/medusa-choices.js';
import { type MedusaTree, medusaTree } from '../tree/medusa-tree.js';
import {
  type MedusaLoopOptions,
  type MedusaStats,
  type MedusaStepStats,
  medusaLoop,
} from './medusa-loop.js';

/** Options of `generateMedusa` and `streamMedusa`. */
export interface MedusaGenerateOptions extends Omit<MedusaLoopOptions, 'tree' | 'ngrams'> {
  /**
   * The heads' tree: `'auto'` (measure and choose; needs `heads.accuracy`), a
   * list of paths (`mc_sim_7b_63`), or a `MedusaTree`.
   * @default 'auto' when the heads carry accuracies, else `DEFAULT_CPU_CHOICES`
   */
  tree?: 'auto' | MedusaTree | readonly (readonly number[])[];
  /** N-gram branches (prompt lookup), `false` for none. @default {} (on) */
  ngrams?: NgramOptions | false;
  /** Retrieved passages whose text n-gram branches may copy (besides the prompt). @default [] */
  passages?: readonly string[];
  /** Strings that end the continuation (not included). @default none */
  stop?: readonly string[];
  /** Prepend the beginning-of-sequence token (as @x/lm's `generate`). */
  addBos?: boolean;
}

/** A streamed step. */
export interface MedusaChunk {
  /** New visible text (may be empty while a stop string or a character is pending). */
  readonly text: string;
  /** Tokens the step emitted. */
  readonly ids: readonly number[];
  /** The step's statistics. */
  readonly stats: MedusaStepStats;
}

/** The result of a Medusa generation. */
export interface MedusaResult {
  readonly text: string;
  readonly ids: readonly number[];
  readonly finishReason: FinishReason;
  readonly stats: MedusaStats;
  /** The tree used, and what it was expected to give when chosen automatically. */
  readonly tree: MedusaTree | null;
  readonly treeChoice: TreeChoice | null;
}

const choices = new WeakMap<MedusaHeads, Map<string, TreeChoice>>();

/**
 * Rows the n-gram branches are expected to add to a step, for the tree
 * choice: a quarter of `length x branches`, since most steps find no match
 * or share nodes with the heads' branch (measured on the bundled model: 1.5
 * rows per step for the default 8-token branch).
 * @param ngrams - resolved n-gram options, or false
 * @returns the expected extra rows
 */
export function expectedNgramRows(ngrams: ResolvedNgramOptions | false): number {
  return ngrams ? Math.ceil((ngrams.length * ngrams.branches) / 4) : 0;
}

/**
 * The tree `tree: 'auto'` picks for a model and heads (measured once, then remembered).
 * @param model - the base model
 * @param heads - heads with measured accuracies
 * @param options - `extraRows`: n-gram rows verified every step
 * @returns the choice
 * @throws MedusaValueError when the heads carry no accuracies
 * @example
 * const { tree, expectedTokensPerStep } = autoTree(model, heads);
 */
export function autoTree(
  model: LanguageModel,
  heads: MedusaHeads,
  options: { extraRows?: number } = {},
): TreeChoice {
  if (!heads.accuracy)
    throw new MedusaValueError(
      'generateMedusa',
      "tree: 'auto' needs the heads' measured accuracies (heads trained by trainHeads or x-medusa train carry them): pass a path list instead",
      'tree',
      'auto',
    );
  const extraRows = options.extraRows ?? 0;
  const key = `${extraRows}`;
  let byModel = choices.get(heads);
  if (!byModel) {
    byModel = new Map();
    choices.set(heads, byModel);
  }
  let choice = byModel.get(key);
  if (!choice) {
    const cost = measurePassCost(model, { heads, rows: costGrid(model) });
    choice = chooseTree(heads.accuracy, cost, {
      extraRows,
      maxDepth: heads.config.numHeads,
    });
    byModel.set(key, choice);
  }
  return choice;
}

function costGrid(model: LanguageModel): number[] {
  const grid = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64];
  const config = model.config;
  if (config.architecture === 'mamba') return grid;
  return grid.filter((T) => T + Math.min(128, config.maxPositions >> 1) <= config.maxPositions);
}

function resolveTree(
  model: LanguageModel,
  heads: MedusaHeads | null,
  tree: MedusaGenerateOptions['tree'],
  extraRows: number,
): { tree: MedusaTree | null; choice: TreeChoice | null } {
  if (!heads) return { tree: null, choice: null };
  if (tree === 'auto' || (tree === undefined && heads.accuracy)) {
    const choice = autoTree(model, heads, { extraRows });
    return { tree: choice.tree, choice };
  }
  if (tree === undefined)
    return {
      tree: medusaTree(DEFAULT_CPU_CHOICES.filter((path) => path.length <= heads.config.numHeads)),
      choice: null,
    };
  if (Array.isArray(tree)) return { tree: medusaTree(tree), choice: null };
  return { tree: tree as MedusaTree, choice: null };
}

/**
 * Streams a Medusa continuation of `prompt`, one chunk per verification step.
 * @param model - the base model
 * @param heads - its Medusa heads, or null (n-grams only)
 * @param tokenizer - the model's tokenizer
 * @param prompt - the text to continue
 * @param options - tree, n-grams and passages, sampling (greedy by default), typical acceptance thresholds, maxTokens, stop strings and ids, signal
 * @returns an async generator of chunks, returning the `MedusaResult`
 * @throws MedusaValueError / TreeError for invalid options; @x/lm's InputError for a prompt that encodes to nothing
 * @example
 * for await (const chunk of streamMedusa(model, heads, tokenizer, 'ROMEO:', { maxTokens: 80 }))
 *   process.stdout.write(chunk.text); // chunk.stats.accepted tokens came free with this step
 */
export async function* streamMedusa(
  model: LanguageModel,
  heads: MedusaHeads | null,
  tokenizer: Tokenizer,
  prompt: string,
  options: MedusaGenerateOptions = {},
): AsyncGenerator<MedusaChunk, MedusaResult> {
  const ids = promptIds(model, tokenizer, prompt, options);
  let ngrams: ResolvedNgramOptions | false = false;
  if (options.ngrams !== false) {
    const given = options.ngrams ?? {};
    const passages = [
      ...(given.passages ?? []),
      ...(options.passages ?? []).map((text) => tokenizer.encode(text)),
    ];
    ngrams = resolveNgramOptions({ ...given, passages });
  }
  const extraRows = expectedNgramRows(ngrams);
  const { tree, choice } = resolveTree(model, heads, options.tree, extraRows);
  const tracker = new TextTracker(tokenizer, options.stop ?? []);
  const out: number[] = [];
  const loop = medusaLoop(
    model,
    heads,
    ids,
    { ...options, tree, ngrams, stopIds: stopIdsOf(model, tokenizer, options) },
    (emitted) => {
      tracker.update(emitted);
      return tracker.stopped !== null;
    },
  );
  let shown = '';
  for (;;) {
    const step = await loop.next();
    if (step.done) {
      const result = step.value;
      return {
        text: tracker.final(result.ids),
        ids: result.ids,
        finishReason: result.finishReason,
        stats: result.stats,
        tree,
        treeChoice: choice,
      };
    }
    out.push(...step.value.ids);
    // the tracker already saw every token (shouldStop); what it shows now is new text
    const text = tracker.shown.slice(shown.length);
    shown = tracker.shown;
    yield { text, ids: step.value.ids, stats: step.value.stats };
  }
}

/**
 * Generates a Medusa continuation of `prompt`.
 * @param model - the base model
 * @param heads - its Medusa heads, or null (n-grams only)
 * @param tokenizer - the model's tokenizer
 * @param prompt - the text to continue
 * @param options - as `streamMedusa`
 * @returns the text, ids, finish reason, statistics and the tree used
 * @throws as `streamMedusa`
 * @example
 * const { text, stats } = await generateMedusa(model, heads, tokenizer, 'ROMEO:', { maxTokens: 80 });
 * stats.tokensPerStep // 2.1
 */
export async function generateMedusa(
  model: LanguageModel,
  heads: MedusaHeads | null,
  tokenizer: Tokenizer,
  prompt: string,
  options: MedusaGenerateOptions = {},
): Promise<MedusaResult> {
  const stream = streamMedusa(model, heads, tokenizer, prompt, options);
  for (;;) {
    const step = await stream.next();
    if (step.done) return step.value;
  }
}
