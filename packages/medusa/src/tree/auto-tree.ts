/**
 * Choosing the tree from measurements, for tokens per second rather than
 * tokens per step.
 *
 * Expected tokens per step. As in the Medusa paper (§3.3.1, "optimized tree
 * construction"), head d's candidate of rank r is taken to be right with
 * probability a[d][r] (measured on held-out text, `HeadAccuracy.rank`),
 * independently across heads, so the path [r1, ..., rd] is accepted with
 * probability a[0][r1] * ... * a[d-1][rd], and a tree S yields
 * 1 + sum over its paths of that product tokens per step. Adding the
 * most probable path not yet in the tree, one at a time, gives for every
 * size n the tree of n paths with the most expected tokens (a path is never
 * likelier than its parent, so the greedy tree stays connected).
 *
 * Cost per step. `measurePassCost` times, on this machine and this model,
 * one verification step over T rows (tree-masked forward pass, reading the
 * logits, compacting the cache) for a grid of T, and the heads; the cost of
 * other T is interpolated. On a GPU time(T) is flat up to tens of rows and
 * the reference simply takes a big tree; on a CPU it grows with T, so the
 * best n balances tokens per step against time per step:
 *
 *   n* = argmax_n (1 + E_n) / (time(1 + n + ngramRows) + headsMs)
 *
 * With faster multi-row kernels time(T) / time(1) falls and the same rule
 * picks bigger trees.
 */
import { treeMask, treePositions } from '@x/attention';
import type { LanguageModel } from '@x/lm';
import { Generator, noGrad, tidy } from '@x/tensor';
import { MedusaValueError } from '../errors.js';
import type { HeadAccuracy, MedusaHeads } from '../heads/medusa-heads.js';
import { type MedusaTree, medusaTree } from './medusa-tree.js';

/** Measured cost of one decoding step over T rows. */
export interface PassCost {
  /** Row counts measured, ascending (1 first). */
  readonly rows: readonly number[];
  /** Fastest milliseconds per step at each row count (the fastest of the repeats: on a shared machine slower runs measure the other processes). */
  readonly ms: readonly number[];
  /** Fastest milliseconds of the heads (all of them, one row), 0 without heads. */
  readonly headsMs: number;
  /** Context length the passes ran at. */
  readonly context: number;
}

/** Options of `measurePassCost`. */
export interface PassCostOptions {
  /** Row counts to time. @default [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64] */
  rows?: readonly number[];
  /** Tokens in the cache while timing (a typical context). @default min(128, context / 2) */
  context?: number;
  /** Timings per row count (the fastest is kept; row counts interleave). @default 7 */
  repeats?: number;
  /** Heads to time as well. */
  heads?: MedusaHeads | null;
}

/**
 * Times one verification step over T rows for each T of a grid.
 * @param model - the base model
 * @param options - row counts, context, repeats, heads
 * @returns the fastest milliseconds per row count and of the heads
 * @throws MedusaValueError for row counts that are not positive integers or do not fit the context
 * @example
 * const cost = measurePassCost(model, { rows: [1, 2, 4, 8] });
 * cost.ms[3] / cost.ms[0] // time(8) / time(1)
 */
export function measurePassCost(model: LanguageModel, options: PassCostOptions = {}): PassCost {
  const op = 'measurePassCost';
  const rows = [...(options.rows ?? [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64])].sort(
    (a, b) => a - b,
  );
  const limit =
    model.config.architecture === 'mamba' ? Number.POSITIVE_INFINITY : model.config.maxPositions;
  const context = options.context ?? Math.min(128, Math.floor(limit / 2));
  const repeats = options.repeats ?? 7;
  for (const T of rows)
    if (!Number.isSafeInteger(T) || T < 1 || context + T > limit)
      throw new MedusaValueError(
        op,
        `row count ${T} must be a positive integer with context ${context} + rows <= ${limit}`,
        'rows',
        T,
      );
  const generator = new Generator(7);
  const V = model.config.vocabSize;
  const prompt = Array.from({ length: context }, () => generator.integer(0, V));
  const times = rows.map(() => [] as number[]);
  const headTimes: number[] = [];
  const runner = options.heads ? options.heads.runner() : null;
  const cache = model.createCache({ capacity: context + rows[rows.length - 1]! + 1 });
  try {
    noGrad(() => {
      const hidden = tidy(() => model.forward([prompt], { cache, lastOnly: true }).hidden.clone());
      for (let r = 0; r <= repeats; r++) {
        rows.forEach((T, i) => {
          const tokens = Array.from({ length: T }, () => generator.integer(0, V));
          // a tree of T rows: a chain with a sibling at every other level, like a small Medusa tree
          const parents = tokens.map((_, t) => (t === 0 ? -1 : t % 2 === 0 ? t - 2 : t - 1));
          const start = performance.now();
          tidy(() => {
            const out = model.forward(
              [tokens],
              T > 1
                ? {
                    cache,
                    mask: treeMask(parents, context),
                    positions: treePositions(parents, context),
                  }
                : { cache },
            );
            out.logits.toTypedArray();
            out.hidden.narrow(1, T - 1, 1).toTypedArray();
          });
          if (T > 1) {
            const kept = Array.from({ length: context }, (_, j) => j);
            kept.push(context, context + 1);
            cache.select(kept);
          }
          const elapsed = performance.now() - start;
          cache.truncate(context);
          if (r > 0) times[i]!.push(elapsed); // the first round warms up
        });
        if (runner) {
          const start = performance.now();
          runner.logits(hidden);
          if (r > 0) headTimes.push(performance.now() - start);
        }
      }
      hidden.dispose();
    });
  } finally {
    cache.dispose();
    runner?.dispose();
  }
  const fastest = (values: number[]) => Math.min(...values);
  return { rows, ms: times.map(fastest), headsMs: runner ? fastest(headTimes) : 0, context };
}

/**
 * Milliseconds of a step over T rows, interpolated linearly between measured row counts
 * (extrapolated from the last two past the largest).
 * @param cost - the measured cost
 * @param T - rows
 * @returns milliseconds
 */
export function costAt(cost: PassCost, T: number): number {
  const { rows, ms } = cost;
  if (rows.length === 1 || T <= rows[0]!) return ms[0]!;
  for (let i = 1; i < rows.length; i++)
    if (T <= rows[i]!) {
      const f = (T - rows[i - 1]!) / (rows[i]! - rows[i - 1]!);
      return ms[i - 1]! + f * (ms[i]! - ms[i - 1]!);
    }
  const n = rows.length;
  const slope = (ms[n - 1]! - ms[n - 2]!) / (rows[n - 1]! - rows[n - 2]!);
  return ms[n - 1]! + Math.max(0, slope) * (T - rows[n - 1]!);
}

/** One candidate size of the tree choice. */
export interface TreeCandidate {
  /** Paths in the tree (rows verified: paths + 1 + n-gram rows). */
  readonly paths: number;
  /** Expected tokens per step. */
  readonly tokensPerStep: number;
  /** Expected milliseconds per step. */
  readonly msPerStep: number;
  /** Expected tokens per second. */
  readonly tokensPerSecond: number;
}

/** The chosen tree, with what it is expected to give. */
export interface TreeChoice {
  readonly tree: MedusaTree;
  /** Expected tokens per step of the chosen tree. */
  readonly expectedTokensPerStep: number;
  /** Expected milliseconds per step. */
  readonly expectedMsPerStep: number;
  /** Expected tokens per second. */
  readonly expectedTokensPerSecond: number;
  /** Plain decoding's tokens per second on the same cost (1 / time(1)). */
  readonly plainTokensPerSecond: number;
  /** expectedTokensPerSecond / plainTokensPerSecond. */
  readonly expectedSpeedup: number;
  /** Every size considered, in order of size. */
  readonly candidates: readonly TreeCandidate[];
  /** The measured cost the choice was made from. */
  readonly cost: PassCost;
}

/** Options of `chooseTree`. */
export interface ChooseTreeOptions {
  /** Largest number of paths considered. @default 63 */
  maxPaths?: number;
  /** Deepest path (at most the heads' count). @default the number of heads measured */
  maxDepth?: number;
  /** Candidates per head (ranks below it). @default 10 */
  topK?: number;
  /** Rows verified besides the tree every step (n-gram branches). @default 0 */
  extraRows?: number;
}

/**
 * The tree that maximises expected tokens per second.
 * @param accuracy - the heads' measured rank accuracies
 * @param cost - the measured step cost (`measurePassCost`)
 * @param options - size limits, n-gram rows
 * @returns the chosen tree and the expected figures of every size
 * @throws MedusaValueError for accuracies without rank lists
 * @example
 * const choice = chooseTree(heads.accuracy!, measurePassCost(model, { heads }));
 * choice.tree.choices // [[0], [0, 0], [1], ...]
 * choice.expectedTokensPerStep // 1.9
 */
export function chooseTree(
  accuracy: HeadAccuracy,
  cost: PassCost,
  options: ChooseTreeOptions = {},
): TreeChoice {
  const op = 'chooseTree';
  const rank = accuracy.rank;
  if (!Array.isArray(rank) || rank.length === 0)
    throw new MedusaValueError(op, 'accuracy.rank must hold one list per head', 'accuracy', rank);
  const topK = options.topK ?? 10;
  const maxDepth = Math.min(options.maxDepth ?? rank.length, rank.length);
  const maxPaths = options.maxPaths ?? 63;
  const extraRows = options.extraRows ?? 0;
  const a = (depth: number, r: number) => Math.max(0, rank[depth]?.[r] ?? 0);
  // greedy: the likeliest path not yet taken (a max-heap would do; the frontier stays small)
  const frontier: { path: number[]; p: number }[] = [];
  for (let r = 0; r < topK; r++) frontier.push({ path: [r], p: a(0, r) });
  const paths: number[][] = [];
  const values: number[] = [];
  while (paths.length < maxPaths && frontier.length > 0) {
    let best = 0;
    for (let i = 1; i < frontier.length; i++) if (frontier[i]!.p > frontier[best]!.p) best = i;
    const { path, p } = frontier.splice(best, 1)[0]!;
    if (!(p > 0)) break;
    paths.push(path);
    values.push(p);
    if (path.length < maxDepth)
      for (let r = 0; r < topK; r++)
        frontier.push({ path: [...path, r], p: p * a(path.length, r) });
  }
  const headsMs = cost.headsMs;
  const plainMs = costAt(cost, 1);
  const candidates: TreeCandidate[] = [];
  let expected = 1;
  for (let n = 0; n <= paths.length; n++) {
    if (n > 0) expected += values[n - 1]!;
    const ms = costAt(cost, 1 + n + extraRows) + (n > 0 ? headsMs : 0);
    candidates.push({
      paths: n,
      tokensPerStep: expected,
      msPerStep: ms,
      tokensPerSecond: (1000 * expected) / ms,
    });
  }
  let chosen = candidates[0]!;
  for (const c of candidates) if (c.tokensPerSecond > chosen.tokensPerSecond) chosen = c;
  const tree = medusaTree(paths.slice(0, chosen.paths), { topK });
  const plainTokensPerSecond = 1000 / plainMs;
  return {
    tree,
    expectedTokensPerStep: chosen.tokensPerStep,
    expectedMsPerStep: chosen.msPerStep,
    expectedTokensPerSecond: chosen.tokensPerSecond,
    plainTokensPerSecond,
    expectedSpeedup: chosen.tokensPerSecond / plainTokensPerSecond,
    candidates,
    cost,
  };
}

/**
 * Expected tokens per step of a given tree under the same independence model.
 * @param accuracy - the heads' measured rank accuracies
 * @param tree - the tree
 * @returns 1 + sum over its paths of the product of their ranks' accuracies
 * @example
 * expectedTokensPerStep(heads.accuracy!, medusaTree(mc_sim_7b_63)) // 2.3
 */
export function expectedTokensPerStep(accuracy: HeadAccuracy, tree: MedusaTree): number {
  let total = 1;
  for (const path of tree.choices) {
    let p = 1;
    path.forEach((r, depth) => {
      p *= accuracy.rank[depth]?.[r] ?? 0;
    });
    total += p;
  }
  return total;
}
