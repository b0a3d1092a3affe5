/**
 * The Medusa decoding loop over token ids (Cai et al. 2024, Medusa-1 with a
 * frozen base; the reference's `medusa_generate`):
 *
 *   prefill the prompt -> base logits and hidden state of its last token
 *   repeat:
 *     root  = the base model's next token (argmax, or a sample)     [emitted]
 *     heads = top-k candidates of each head from that hidden state  (headsMs)
 *     tree  = root + heads' candidates laid out by the MedusaTree
 *             + n-gram continuations of the sequence (prompt lookup)
 *     one forward pass over the tree under a tree mask              (verifyMs)
 *     keep the accepted path (greedy or typical acceptance)         [emitted]
 *     cache.select(prefix + root + path): the cache is now exactly what
 *     plain decoding of those tokens would hold                     (bookkeepingMs)
 *     the last kept node's logits and hidden state start the next step
 *
 * A step emits 1 + accepted tokens for one forward pass. With greedy
 * acceptance the output equals plain greedy decoding token for token (a
 * test checks it on hundreds of prompts). Stop ids, stop strings (through
 * `shouldStop`), `maxTokens` and the model's context end a sequence exactly
 * where @x/lm's `tokenLoop` would.
 */
import { treeMask, treePositions } from '@x/attention';
import {
  type FinishReason,
  filteredDistribution,
  type GenerationStats,
  type LanguageModel,
  type ModelCache,
  Sampler,
  type TokenLoopOptions,
  yieldToEventLoop,
} from '@x/lm';
import { dispose, Generator, keep, noGrad, type Tensor, tidy } from '@x/tensor';
import { MedusaValueError } from '../errors.js';
import type { HeadsRunner, MedusaHeads } from '../heads/medusa-heads.js';
import { type NgramOptions, PromptLookup } from '../ngram/prompt-lookup.js';
import type { MedusaTree } from '../tree/medusa-tree.js';
import { acceptPath, exactWalk } from './acceptance.js';
import { DraftTree, NODE_SOURCE } from './draft-tree.js';

/** Options of the Medusa loop (plus @x/lm's sampling and stopping options). */
export interface MedusaLoopOptions extends TokenLoopOptions {
  /** The layout of the heads' candidates (from `medusaTree` or `chooseTree`); ignored without heads. */
  tree?: MedusaTree | null;
  /** Prompt-lookup branches (`false`: none). @default false here; `generateMedusa` turns them on */
  ngrams?: NgramOptions | false;
  /** epsilon of typical acceptance (`posterior_threshold`). @default 0.09 */
  posteriorThreshold?: number;
  /** delta of typical acceptance (`posterior_alpha`). @default 0.3 */
  posteriorAlpha?: number;
  /**
   * How drafts are accepted when sampling (temperature > 0): `typical` (the
   * reference's typical acceptance: fast, biased towards likely tokens) or
   * `exact` (speculative sampling with the drafts as point masses: every
   * token distributed exactly as plain sampling's). Greedy decoding always
   * keeps the argmax path.
   * @default 'typical'
   */
  acceptance?: 'typical' | 'exact';
}

/** Statistics of one step. */
export interface MedusaStepStats {
  /** Rows verified in the pass (root included). */
  readonly treeSize: number;
  /** Of which from the heads, and from n-grams (shared nodes count in both). */
  readonly headNodes: number;
  readonly ngramNodes: number;
  /** Tokens kept from the tree beyond the root. */
  readonly accepted: number;
  /** Source of the deepest kept node: `none` (root only), `heads`, `ngram` or `both`. */
  readonly acceptedFrom: 'none' | 'heads' | 'ngram' | 'both';
  /** Milliseconds computing the heads' candidates. */
  readonly headsMs: number;
  /** Milliseconds of the tree's forward pass (and reading its logits). */
  readonly verifyMs: number;
  /** Milliseconds building the tree, accepting, n-gram search and cache compaction. */
  readonly bookkeepingMs: number;
}

/** One step of the loop: the tokens it emitted and its statistics. */
export interface MedusaStep {
  /** Tokens emitted by this step, in order (the root first). */
  readonly ids: readonly number[];
  readonly stats: MedusaStepStats;
}

/** Statistics of a whole generation (@x/lm's, plus the Medusa figures). */
export interface MedusaStats extends GenerationStats {
  /** Forward passes after the prompt (one per step). */
  readonly steps: number;
  /** Mean tokens per step: 1 + the tree tokens kept (1 for plain decoding). */
  readonly tokensPerStep: number;
  /** Mean rows verified per step. */
  readonly meanTreeSize: number;
  /** Steps whose deepest kept node came from the heads / from n-grams. */
  readonly headSteps: number;
  readonly ngramSteps: number;
  /** Total milliseconds in the heads, the verification passes and the bookkeeping. */
  readonly headsMs: number;
  readonly verifyMs: number;
  readonly bookkeepingMs: number;
}

/** What the loop returns at the end. */
export interface MedusaLoopResult {
  readonly ids: number[];
  readonly finishReason: FinishReason;
  readonly stats: MedusaStats;
}

function checkProbability(name: string, value: number): number {
  if (!(value >= 0 && value <= 1))
    throw new MedusaValueError(
      'generateMedusa',
      `${name} must be in [0, 1], got ${value}`,
      name,
      value,
    );
  return value;
}

async function readRows(t: Tensor): Promise<Float32Array> {
  const withData = t as Tensor & { data?: () => Promise<ArrayLike<number>> };
  const values = typeof withData.data === 'function' ? await withData.data() : t.toTypedArray();
  return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
}

/** Top-k ids of each of K rows of V logits, best first (ties to the lower id). */
export function topIds(logits: Float32Array, K: number, V: number, k: number): Int32Array[] {
  const out: Int32Array[] = [];
  for (let h = 0; h < K; h++) {
    const row = logits.subarray(h * V, (h + 1) * V);
    const ids = new Int32Array(Math.min(k, V)).fill(-1);
    const values = new Float64Array(ids.length).fill(-Infinity);
    for (let i = 0; i < V; i++) {
      const v = row[i]!;
      if (!(v > values[ids.length - 1]!)) continue;
      let j = ids.length - 1;
      while (j > 0 && v > values[j - 1]!) {
        values[j] = values[j - 1]!;
        ids[j] = ids[j - 1]!;
        j--;
      }
      values[j] = v;
      ids[j] = i;
    }
    out.push(ids);
  }
  return out;
}

/**
 * Generates token ids with Medusa heads and/or n-gram drafts, verified by the base model.
 * @param model - the base model (transformer: GPT-2 or Llama family; Mamba caches hold no trees)
 * @param heads - its heads, or null (n-grams only, or plain decoding when n-grams are off too)
 * @param prompt - the prompt's token ids (non-empty)
 * @param options - tree, n-grams, sampling, typical acceptance thresholds, maxTokens, stop ids, signal
 * @param shouldStop - asked after each emitted token: true ends the sequence with `stop` (stop strings)
 * @returns an async generator of steps, returning the ids, the finish reason and statistics
 * @throws MedusaValueError for an empty prompt, a Mamba model with a tree, heads of another size, bad thresholds
 * @example
 * const loop = medusaLoop(model, heads, promptIds, { tree: medusaTree(DEFAULT_CPU_CHOICES), maxTokens: 64 });
 * for await (const step of loop) console.log(step.ids, step.stats.accepted);
 */
export async function* medusaLoop(
  model: LanguageModel,
  heads: MedusaHeads | null,
  prompt: readonly number[],
  options: MedusaLoopOptions = {},
  shouldStop: (ids: readonly number[]) => boolean = () => false,
): AsyncGenerator<MedusaStep, MedusaLoopResult> {
  const op = 'generateMedusa';
  const maxTokens = options.maxTokens ?? 128;
  if (!Number.isSafeInteger(maxTokens) || maxTokens < 0)
    throw new MedusaValueError(
      op,
      `maxTokens must be a non-negative integer, got ${maxTokens}`,
      'maxTokens',
      maxTokens,
    );
  if (!Array.isArray(prompt) || prompt.length === 0)
    throw new MedusaValueError(op, 'the prompt needs at least one token', 'prompt', prompt);
  const sampler = new Sampler(options);
  const settings = {
    temperature: sampler.settings.temperature,
    posteriorThreshold: checkProbability('posteriorThreshold', options.posteriorThreshold ?? 0.09),
    posteriorAlpha: checkProbability('posteriorAlpha', options.posteriorAlpha ?? 0.3),
    repetitionPenalty: sampler.settings.repetitionPenalty,
  };
  const acceptance = options.acceptance ?? 'typical';
  if (acceptance !== 'typical' && acceptance !== 'exact')
    throw new MedusaValueError(
      op,
      `acceptance must be typical or exact, got ${acceptance}`,
      'acceptance',
      acceptance,
    );
  const exact = acceptance === 'exact' && settings.temperature > 0;
  const draws = new Generator(sampler.settings.seed + 1);
  const distribution = (row: Float32Array) => filteredDistribution(row, sampler.settings);
  let pendingRoot: number | null = null;
  const tree = heads ? (options.tree ?? null) : null;
  if (heads && tree && tree.depth > heads.config.numHeads)
    throw new MedusaValueError(
      op,
      `the tree is ${tree.depth} deep, the heads are only ${heads.config.numHeads}`,
      'tree',
      tree.depth,
    );
  if (heads && heads.config.vocabSize !== model.config.vocabSize)
    throw new MedusaValueError(
      op,
      `the heads predict ${heads.config.vocabSize} tokens, the model has ${model.config.vocabSize}`,
      'heads',
      heads.config.vocabSize,
    );
  const lookup = options.ngrams ? new PromptLookup(options.ngrams) : null;
  const drafting = (tree !== null && tree.size > 1) || lookup !== null;
  if (drafting && model.config.architecture === 'mamba')
    throw new MedusaValueError(
      op,
      "Mamba's cache keeps one path only: draft trees need an attention model (GPT-2, Llama)",
      'model',
      model.config.architecture,
    );
  const context =
    model.config.architecture === 'mamba' ? Number.POSITIVE_INFINITY : model.config.maxPositions;
  if (prompt.length > context)
    throw new MedusaValueError(
      op,
      `the prompt has ${prompt.length} tokens, the model's context is ${context}`,
      'prompt',
      prompt.length,
    );
  const stopIds = new Set(options.stopIds ?? model.config.eosTokenIds);
  const V = model.config.vocabSize;
  const runner: HeadsRunner | null = heads && tree && tree.size > 1 ? heads.runner() : null;
  const extra = (tree?.size ?? 1) + (lookup ? lookup.options.length * lookup.options.branches : 0);
  const cache: ModelCache = model.createCache({
    capacity: Math.min(
      prompt.length + maxTokens + extra,
      Number.isFinite(context) ? context + extra : prompt.length + maxTokens + extra,
    ),
  });
  const ids: number[] = [];
  const sequence = [...prompt];
  let reason: FinishReason | null = maxTokens === 0 ? 'length' : null;
  const started = performance.now();
  let prefillMs = 0;
  let firstTokenMs = 0;
  let steps = 0;
  let treeRows = 0;
  let acceptedTotal = 0;
  let headSteps = 0;
  let ngramSteps = 0;
  let headsTotal = 0;
  let verifyTotal = 0;
  let bookkeepingTotal = 0;
  /** Emits one token; returns false when the sequence has ended. */
  const emit = (id: number): boolean => {
    if (stopIds.has(id)) {
      reason = 'eos';
      return false;
    }
    ids.push(id);
    sequence.push(id);
    if (shouldStop(ids)) reason = 'stop';
    else if (ids.length >= maxTokens || sequence.length - 1 >= context) reason = 'length';
    return reason === null;
  };
  try {
    let last = noGrad(() =>
      tidy(() => {
        const out = model.forward([prompt as number[]], { cache, lastOnly: true });
        return { logits: keep(out.logits), hidden: keep(out.hidden) };
      }),
    );
    let lastRow = await readRows(last.logits);
    prefillMs = performance.now() - started;
    while (reason === null) {
      if (options.signal?.aborted) {
        reason = 'abort';
        break;
      }
      const stepIds: number[] = [];
      const root = pendingRoot ?? sampler.next(lastRow.slice(), sequence);
      pendingRoot = null;
      if (ids.length === 0) firstTokenMs = performance.now() - started;
      const L = cache.length;
      const rootSeen = sequence.length;
      const going = emit(root);
      if (reason !== 'eos') stepIds.push(root);
      if (!going) {
        // the root ended the sequence: no pass for this step
        dispose(last.logits, last.hidden);
        if (stepIds.length > 0) yield { ids: stepIds, stats: rootOnlyStats() };
        break;
      }
      // the tree: root, heads' candidates, n-gram branches, within the context and the budget
      const t0 = performance.now();
      const draft = new DraftTree(root);
      const maxDepth = Math.min(
        maxTokens - ids.length,
        Number.isFinite(context) ? context - 1 - L : Infinity,
      );
      let headNodes = 0;
      if (runner && tree && maxDepth > 0) {
        const candidates = topIds(runner.logits(last.hidden), tree.depth, V, tree.topK);
        const nodeOf = new Int32Array(tree.size).fill(-1);
        nodeOf[0] = 0;
        for (let i = 1; i < tree.size; i++) {
          const depth = tree.depths[i]!;
          const parent = nodeOf[tree.parents[i]!]!;
          const token = candidates[depth - 1]![tree.ranks[i]!]!;
          if (depth > maxDepth || parent < 0 || token < 0) continue;
          nodeOf[i] = draft.child(parent, token, NODE_SOURCE.heads);
          headNodes++;
        }
      }
      const t1 = performance.now();
      let ngramNodes = 0;
      if (lookup && maxDepth > 0)
        for (const branch of lookup.propose(sequence))
          ngramNodes += draft.addPath(branch, maxDepth, NODE_SOURCE.ngram);
      dispose(last.logits, last.hidden);
      const T = draft.size;
      const t2 = performance.now();
      const verified = noGrad(() =>
        tidy(() => {
          const out = model.forward(
            [draft.tokens],
            T > 1
              ? {
                  cache,
                  mask: treeMask(draft.parents, L),
                  positions: treePositions(draft.parents, L),
                }
              : { cache },
          );
          return { logits: keep(out.logits), hidden: keep(out.hidden) };
        }),
      );
      const rows = await readRows(verified.logits);
      const t3 = performance.now();
      let path: number[];
      if (exact) {
        const walk = exactWalk(
          draft,
          rows,
          V,
          distribution,
          settings,
          sequence.slice(0, rootSeen),
          () => draws.uniform(),
        );
        path = walk.path;
        pendingRoot = walk.next;
      } else path = acceptPath(draft, rows, V, settings, sequence.slice(0, rootSeen));
      for (let i = 1; i < path.length; i++) {
        const id = draft.tokens[path[i]!]!;
        if (!emit(id)) {
          if (reason !== 'eos') stepIds.push(id);
          break;
        }
        stepIds.push(id);
      }
      const end = path[path.length - 1]!;
      if (reason === null && T > 1) {
        const keepIndices = Array.from({ length: L }, (_, i) => i);
        for (const node of path) keepIndices.push(L + node);
        cache.select(keepIndices);
      }
      last = noGrad(() =>
        tidy(() => ({
          logits: keep(verified.logits.narrow(1, end, 1).contiguous()),
          hidden: keep(verified.hidden.narrow(1, end, 1).contiguous()),
        })),
      );
      lastRow = rows.slice(end * V, (end + 1) * V);
      dispose(verified.logits, verified.hidden);
      const source = draft.sources[end]!;
      const acceptedFrom =
        path.length === 1
          ? 'none'
          : source === NODE_SOURCE.both
            ? 'both'
            : source === NODE_SOURCE.ngram
              ? 'ngram'
              : 'heads';
      if (source & NODE_SOURCE.heads && path.length > 1) headSteps++;
      if (source & NODE_SOURCE.ngram && path.length > 1) ngramSteps++;
      const t4 = performance.now();
      const stats: MedusaStepStats = {
        treeSize: T,
        headNodes,
        ngramNodes,
        accepted: path.length - 1,
        acceptedFrom,
        headsMs: t1 - t0,
        verifyMs: t3 - t2,
        bookkeepingMs: t2 - t1 + (t4 - t3),
      };
      steps++;
      treeRows += T;
      acceptedTotal += stats.accepted;
      headsTotal += stats.headsMs;
      verifyTotal += stats.verifyMs;
      bookkeepingTotal += stats.bookkeepingMs;
      yield { ids: stepIds, stats };
      if (reason !== null) {
        dispose(last.logits, last.hidden);
        break;
      }
      await yieldToEventLoop();
    }
  } finally {
    runner?.dispose();
    cache.dispose();
  }
  const total = performance.now() - started;
  const decodeMs = Math.max(0, total - firstTokenMs);
  const decoded = Math.max(0, ids.length - 1);
  return {
    ids,
    finishReason: reason ?? 'length',
    stats: {
      promptTokens: prompt.length,
      generatedTokens: ids.length,
      prefillMs,
      timeToFirstTokenMs: firstTokenMs,
      decodeMs,
      prefillTokensPerSecond: prefillMs > 0 ? prompt.length / (prefillMs / 1000) : 0,
      decodeTokensPerSecond: decodeMs > 0 ? decoded / (decodeMs / 1000) : 0,
      steps,
      tokensPerStep: steps > 0 ? (steps + acceptedTotal) / steps : 0,
      meanTreeSize: steps > 0 ? treeRows / steps : 0,
      headSteps,
      ngramSteps,
      headsMs: headsTotal,
      verifyMs: verifyTotal,
      bookkeepingMs: bookkeepingTotal,
    },
  };
}

function rootOnlyStats(): MedusaStepStats {
  return {
    treeSize: 0,
    headNodes: 0,
    ngramNodes: 0,
    accepted: 0,
    acceptedFrom: 'none',
    headsMs: 0,
    verifyMs: 0,
    bookkeepingMs: 0,
  };
}
